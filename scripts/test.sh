#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need
# (idempotently), then runs every test of every binding. `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

step "fixtures: the generator reproduces them and the independent checker agrees"
if ! python3 -c 'import cryptography, sys; sys.exit(cryptography.__version__ != "48.0.0")' 2>/dev/null; then
  python3 -m pip install --quiet 'cryptography==48.0.0' 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages 'cryptography==48.0.0'
fi
python3 tests/fixtures/gen/gen.py >/dev/null
python3 tests/fixtures/gen/catalogue.py
python3 tests/fixtures/gen/check.py | tail -n 1
git diff --exit-code --stat -- tests/fixtures tests/catalogue.rs

step "format and lint"
cargo fmt --all --check
cargo clippy --all-targets --features cli -- -D warnings
cargo clippy --all-targets --no-default-features --features ring -- -D warnings

step "core tests, aws-lc backend (default)"
cargo test --features cli

step "core tests, ring backend"
cargo test --no-default-features --features ring

step "identical verdicts on both backends"
bash scripts/compare-backends.sh

for script in scripts/test-*.sh; do
  step "$script"
  bash "$script"
done

echo
echo "all test suites passed"
