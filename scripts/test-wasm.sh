#!/usr/bin/env bash
# WASM and WASI: installs what the build and tests need (idempotently), builds the npm
# package (wasm/pkg-web, wasm/pkg-node) and the WASI module (wasm/pkg-wasi), then runs
# the Node tests over the fixtures, the WASI byte-identity tests against the native
# library, and the headless-Chromium test. scripts/test.sh calls this; it also runs
# on its own. Screenshots and native outcomes land in wasm/test-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s  [%ss]\n' "$*" "$SECONDS"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "wasm: toolchain"
installed_targets="$(rustup target list --installed)"
for target in wasm32-unknown-unknown wasm32-wasip1; do
  grep -qx "$target" <<<"$installed_targets" || rustup target add "$target"
done

# clang + llvm-ar compile ring's C code for wasm32; wasm-opt shrinks the modules;
# Chromium runs the browser test.
missing=()
have clang || have clang-14 || missing+=(clang)
have llvm-ar || have llvm-ar-14 || missing+=(llvm)
have wasm-opt || missing+=(binaryen)
have chromium || missing+=(chromium)
have node || missing+=(nodejs)
have npm || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in wasm/Cargo.lock.
bindgen_version="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' wasm/Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  # Only the wasm-bindgen binary is needed. --locked fails (quickly) where the CLI's
  # lockfile pins a webpki-roots release the registry no longer serves; then the
  # dependencies are resolved afresh.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --bin wasm-bindgen --force --locked ||
    cargo install wasm-bindgen-cli --version "$bindgen_version" --bin wasm-bindgen --force
fi

step "wasm: npm dependencies (typescript, playwright-core)"
(cd wasm && npm ci --no-audit --no-fund --loglevel=error)

step "wasm: format and lint"
(
  cd wasm
  export CC_wasm32_unknown_unknown="${CC_wasm32_unknown_unknown:-$(command -v clang || command -v clang-14)}"
  export AR_wasm32_unknown_unknown="${AR_wasm32_unknown_unknown:-$(command -v llvm-ar || command -v llvm-ar-14)}"
  export CC_wasm32_wasip1="$CC_wasm32_unknown_unknown" AR_wasm32_wasip1="$AR_wasm32_unknown_unknown"
  cargo fmt --check
  cargo clippy --release --locked --target wasm32-unknown-unknown --target wasm32-wasip1 -- -D warnings
)

step "wasm: build (npm package and WASI module)"
bash wasm/build.sh

step "wasm: type declarations (tsc --noEmit)"
(cd wasm && npx tsc --noEmit -p types)

step "wasm: native outcomes to compare with (examples/outcome_json.rs)"
mkdir -p wasm/test-artifacts/native
cargo run --quiet --locked --example outcome_json -- tests/fixtures/manifest.json >wasm/test-artifacts/native/fixtures.json
if [ -f ../shared/vectors/manifest.json ]; then
  cargo run --quiet --locked --example outcome_json -- ../shared/vectors/manifest.json >wasm/test-artifacts/native/vectors.json
else
  echo "skipped notation-go's vectors: ../shared/vectors is not present"
fi

step "wasm: Node package, WASI module and headless Chromium tests"
(cd wasm && npm test)
step "wasm: done"
