#!/usr/bin/env bash
# Long fuzz runs (issue 6), one target after another on one core: each target runs
# until RUNS executions (default 10 million) or MAX_SECONDS (default 3 hours),
# whichever comes first. Not part of CI (scripts/test-fuzz.sh is the CI smoke run).
#
#   scripts/fuzz-long.sh                 # every target
#   scripts/fuzz-long.sh verify x5c      # some targets
#
# Sanitizers: `ffi` drives the C ABI, the one module with `unsafe` code, so it runs
# under AddressSanitizer (with LeakSanitizer: a leaked handle is a finding). Every
# other target runs only safe Rust (the crate forbids `unsafe` outside src/ffi), where
# AddressSanitizer can find nothing that Rust's own checks miss, so they run without
# it (`-s none`), 3 to 10 times faster; panics, overflow checks and debug assertions
# stay on. Logs go to fuzz/logs/<target>.log; a finding to fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

RUNS="${RUNS:-10000000}"
MAX_SECONDS="${MAX_SECONDS:-10800}"
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
./seed.sh
mkdir -p logs

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
status=0
for target in "${targets[@]}"; do
    sanitizer=none
    [ "$target" = ffi ] && sanitizer=address
    echo "== $target (sanitizer $sanitizer, $RUNS runs or ${MAX_SECONDS}s)"
    if ! cargo +nightly fuzz run -s "$sanitizer" "$target" -- \
        -dict=notary.dict -rss_limit_mb=2048 -timeout=10 -runs="$RUNS" \
        -max_total_time="$MAX_SECONDS" -print_final_stats=1 >"logs/$target.log" 2>&1; then
        echo "fuzz-long: $target FAILED, see fuzz/logs/$target.log and fuzz/artifacts/$target/" >&2
        status=1
    fi
    grep -E '^#[0-9]+' "logs/$target.log" | tail -n 1
done
exit "$status"
