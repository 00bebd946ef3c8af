#!/usr/bin/env bash
# Fuzz smoke test (issue 6).
#
# Installs what it needs (idempotent), seeds fuzz/corpus/ from the committed fixtures,
# builds every cargo-fuzz target (nightly, AddressSanitizer, debug assertions on) and
# runs each for FUZZ_SECONDS (default 45) with the dictionary. Any crash, panic, leak,
# out-of-memory (> 2 GiB) or slow input (> 10 s) fails the script; libFuzzer writes the
# input to fuzz/artifacts/<target>/. (The benchmarks are compiled, not run, by the
# clippy --all-targets steps of scripts/test.sh; see docs/benchmarks.md.)
#
# Long runs: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS="${FUZZ_SECONDS:-45}"

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "test-fuzz: the nightly toolchain is required (rustup toolchain install nightly)" >&2
    exit 1
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
command -v python3 >/dev/null || { echo "test-fuzz: python3 is required by fuzz/seed.sh" >&2; exit 1; }

./fuzz/seed.sh
cargo +nightly fuzz build

status=0
for target in $(cargo +nightly fuzz list); do
    echo "== fuzz $target (${FUZZ_SECONDS}s)"
    if ! cargo +nightly fuzz run "$target" -- \
        -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=10 \
        -dict=fuzz/notary.dict -print_final_stats=1; then
        echo "test-fuzz: target $target FAILED (input saved under fuzz/artifacts/$target/)" >&2
        status=1
    fi
done

if [ "$status" -ne 0 ]; then
    exit 1
fi
echo "test-fuzz: all $(cargo +nightly fuzz list | wc -l) fuzz targets ran ${FUZZ_SECONDS}s without a finding"
