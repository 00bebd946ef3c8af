#!/usr/bin/env bash
# Builds the npm package's two flavours (pkg-web/: ESM for browsers and bundlers,
# pkg-node/: Node) and the WASI module (pkg-wasi/), then prints their sizes.
#
# Needs the rustup targets wasm32-unknown-unknown and wasm32-wasip1, clang and
# llvm-ar (ring's C code), wasm-bindgen-cli of the same version as the wasm-bindgen
# crate, and wasm-opt (binaryen). scripts/test-wasm.sh installs all of them.
set -euo pipefail
cd "$(dirname "$0")"

# ring compiles C for wasm32: point cc at clang/llvm-ar, versioned names included.
tool() { command -v "$1" || command -v "$1-14" || { echo "build.sh: $1 not found (apt-get install clang llvm)" >&2; exit 1; }; }
for target in wasm32_unknown_unknown wasm32_wasip1; do
  cc_var="CC_$target" ar_var="AR_$target"
  export "$cc_var=${!cc_var:-$(tool clang)}" "$ar_var=${!ar_var:-$(tool llvm-ar)}"
done

target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked --target wasm32-unknown-unknown --target wasm32-wasip1

# wasm-opt -Oz on top of rustc's opt-level "z" + LTO, with the features rustc
# enables by default for wasm32. The wasm-bindgen input is optimised rather than its
# output: binaryen 108 (Debian 12) mislabels the externref table wasm-bindgen adds.
optimise() {
  wasm-opt -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-multivalue "$1" -o "$2"
}

rm -rf pkg-web pkg-node pkg-wasi
optimised="$target_dir/wasm32-unknown-unknown/release/notary_verify.opt.wasm"
optimise "$target_dir/wasm32-unknown-unknown/release/notary_verify.wasm" "$optimised"
wasm-bindgen --target web --out-dir pkg-web --out-name notary_verify --weak-refs --no-typescript "$optimised"
wasm-bindgen --target nodejs --out-dir pkg-node --out-name notary_verify --weak-refs --no-typescript "$optimised"
# The Node flavour is CommonJS inside an ESM package.
echo '{ "type": "commonjs" }' >pkg-node/package.json
mkdir pkg-wasi
optimise "$target_dir/wasm32-wasip1/release/notary_verify.wasm" pkg-wasi/notary_verify.wasm

for wasm in pkg-web/notary_verify_bg.wasm pkg-wasi/notary_verify.wasm; do
  printf '%-30s %8d bytes, %8d gzipped (gzip -9)\n' "$wasm" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"
done
