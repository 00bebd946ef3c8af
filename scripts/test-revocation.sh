#!/usr/bin/env bash
# Timestamp and revocation tests (docs/revocation.md, docs/timestamp.md): installs what
# they need, idempotently, checks that tests/fixtures/revocation/gen.py reproduces the
# committed fixtures byte for byte, then runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "fixture generator reproduces tests/fixtures/{revocation,timestamp}"
if ! python3 -c 'import cryptography, sys; sys.exit(cryptography.__version__ != "48.0.0")' 2>/dev/null; then
  python3 -m pip install --quiet 'cryptography==48.0.0' 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages 'cryptography==48.0.0'
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/revocation"
cp -r tests/fixtures/revocation/gen.py tests/fixtures/revocation/keys "$work/revocation/"
python3 "$work/revocation/gen.py"
cp tests/fixtures/revocation/README.md "$work/revocation/"
diff -r tests/fixtures/revocation "$work/revocation"
diff -r tests/fixtures/timestamp "$work/timestamp"

step "timestamp, CRL, OCSP unit tests and integration tests"
cargo test --lib -- timestamp:: crl:: signed_data::
cargo test --test revocation --test timestamp --test vectors

echo
echo "revocation and timestamp tests passed"
