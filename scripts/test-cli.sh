#!/usr/bin/env bash
# Tests of the notary-verify CLI (docs/cli.md): installs what they need, idempotently,
# then runs them, checks that examples/gen.py reproduces the committed example, and
# runs the README's main-job command.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "CLI unit and integration tests"
cargo test --features cli --bin notary-verify --test cli

step "examples/gen.py reproduces examples/ byte for byte"
if ! python3 -c 'import cryptography, sys; sys.exit(cryptography.__version__ != "48.0.0")' 2>/dev/null; then
  python3 -m pip install --quiet 'cryptography==48.0.0' 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages 'cryptography==48.0.0'
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp examples/gen.py "$work/"
python3 "$work/gen.py" >/dev/null
for dir in layout config blob; do
  diff -r "examples/$dir" "$work/$dir"
done

step "main job: verify the bundled example"
cargo run --quiet --features cli -- verify --config examples/config \
  --oci-layout examples/layout --reference registry.example/net-monitor:v1 | tee "$work/out.txt"
head -n1 "$work/out.txt" | grep -q '^✓ Successfully verified signature for registry.example/net-monitor@sha256:'

echo
echo "CLI tests passed"
