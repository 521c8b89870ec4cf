#!/usr/bin/env bash
# Fuzzes the runtime's request-facing parsers with libFuzzer (cargo-fuzz), each target for a
# bounded time, starting from the seed corpus in fuzz/seeds. Fails on any crash.
#   scripts/fuzz.sh                 # every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=10 scripts/fuzz.sh preflight
set -euo pipefail
source "$(dirname "$0")/lib.sh"

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(origin header_list preflight set_insert)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz passes nightly-only flags to rustc; the stable toolchain accepts them this way.
export RUSTC_BOOTSTRAP=1
# Fuzzing flags would invalidate the main build's artifacts: keep them apart.
export CARGO_TARGET_DIR="$REPO/target/fuzz"
cd "$REPO/fuzz"

failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="$CARGO_TARGET_DIR/$target.log"
    mkdir -p "$CARGO_TARGET_DIR"
    if cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 >"$log" 2>&1; then
        runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
        rate=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$log")
        echo "PASS $target: $runs executions in ${FUZZ_SECONDS}s ($rate/s), corpus $(ls "corpus/$target" | wc -l) inputs"
    else
        failed=$((failed + 1))
        echo "FAIL $target: see $log"
        tail -40 "$log"
    fi
done
echo "$(( ${#targets[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
