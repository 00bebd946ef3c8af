#!/usr/bin/env bash
# Tests the C ABI (libverify, include/verify.h) and the Go binding (bindings/go):
#   1. installs what they need, idempotently: cc, valgrind, pkg-config, Go
#      (Debian's golang-go), cbindgen (pinned);
#   2. checks include/verify.h against a fresh cbindgen generation;
#   3. installs the release library into a temporary prefix with
#      scripts/install-c.sh and builds tests/c/test_verify.c against it as a user
#      would (pkg-config), linked dynamically and statically, plain, under
#      ASan+UBSan and under valgrind;
#   4. runs `go test` in bindings/go, linked dynamically and statically; the
#      fixture cases must give byte-identical outcome JSON to the Rust API.
# Exits non-zero on the first failure. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

CBINDGEN_VERSION=0.29.4
target=${CARGO_TARGET_DIR:-$root/target}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n==> ffi: %s\n' "$*"; }

step "install tools"
missing=()
command -v cc >/dev/null || missing+=(gcc libc6-dev)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v go >/dev/null || missing+=(golang-go)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]]; then
  # A debug build: it compiles in a third of the time and runs in a second.
  cargo install --locked --debug --version "$CBINDGEN_VERSION" cbindgen
fi
go version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "header is up to date (tests/ffi_header.rs)"
# Same features and profile as scripts/test.sh's `cargo test`, so nothing rebuilds.
NV_REQUIRE_CBINDGEN=1 cargo test --features cli --test ffi_header

step "install into a temporary prefix (scripts/install-c.sh)"
prefix=$work/prefix
bash scripts/install-c.sh "$prefix"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
libdir=$(pkg-config --variable=libdir verify)

step "C tests"
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -g $(pkg-config --cflags verify))
dynamic=($(pkg-config --libs verify) -lpthread "-Wl,-rpath,$libdir")
static=("$libdir/libverify.a" $(pkg-config --libs-only-l --static verify | sed 's/-lverify//'))
sanitize=(-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all)
cc "${cflags[@]}" tests/c/test_verify.c "${dynamic[@]}" -o "$work/test_dynamic"
cc "${cflags[@]}" tests/c/test_verify.c "${static[@]}" -o "$work/test_static"
cc "${cflags[@]}" "${sanitize[@]}" tests/c/test_verify.c "${dynamic[@]}" -o "$work/test_dynamic_asan"
cc "${cflags[@]}" "${sanitize[@]}" tests/c/test_verify.c "${static[@]}" -o "$work/test_static_asan"
if ldd "$work/test_static" | grep -q libverify; then
  echo "test_static links libverify.so; expected the archive" >&2
  exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in dynamic static dynamic_asan static_asan; do
  echo "-- test_$t"
  "$work/test_$t" tests/fixtures
done
for t in dynamic static; do
  echo "-- valgrind test_$t"
  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    "$work/test_$t" tests/fixtures
done

step "Rust outcomes of the fixture cases (examples/outcome_json.rs)"
cargo run -q --release --example outcome_json -- tests/fixtures/manifest.json >"$work/outcomes.json"

step "Go tests"
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=1
export CGO_LDFLAGS="-L$libdir" LD_LIBRARY_PATH="$libdir" NV_OUTCOMES="$work/outcomes.json"
(
  cd bindings/go
  test -z "$(gofmt -l .)" || { gofmt -l . >&2; echo "gofmt: files above need formatting" >&2; exit 1; }
  go vet ./...
  echo "-- dynamic"
  go test -count=1 ./...
  echo "-- static (-tags verify_static)"
  go test -count=1 -tags verify_static ./...
)

echo
echo "ffi: all C and Go tests passed"
