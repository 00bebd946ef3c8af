#!/usr/bin/env bash
# Builds libverify in release mode and installs the C library into PREFIX:
#   PREFIX/lib/libverify.so, PREFIX/lib/libverify.a,
#   PREFIX/include/verify.h, PREFIX/lib/pkgconfig/verify.pc
#
#   scripts/install-c.sh /usr/local
#
# Honours CARGO_TARGET_DIR. See docs/c-and-go.md for compiling against it.
set -euo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
prefix=$(cd "$1" && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)

cargo build --manifest-path "$root/Cargo.toml" --release --lib

install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$target/release/libverify.so" "$prefix/lib/libverify.so"
install -m 0644 "$target/release/libverify.a" "$prefix/lib/libverify.a"
install -m 0644 "$root/include/verify.h" "$prefix/include/verify.h"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "$root/verify.pc.in" >"$prefix/lib/pkgconfig/verify.pc"
echo "installed libverify $version into $prefix"
