#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: the criterion benches (time per request and allocations, with and
# without the App-level layer; origin matching at scale; hostile header lists), the
# compile-time experiment on a generated crate, the over-the-wire runs with wrk (bare,
# static-cors, static-cors with its layer, actix-cors, the middleware floor), then the tables
# and the chart.
#
#   scripts/bench.sh                  # everything (8-9 minutes on 2 cores, builds warm)
#   BENCH_SKIP="wire compile" scripts/bench.sh   # leave parts out: benches, compile, wire
#   BENCH_SKIP="benches compile wire" scripts/bench.sh   # only redraw tables and chart
#
# Knobs: COMPILE_ROUNDS (5), WIRE_ROUNDS (20), WIRE_SECONDS (1), WIRE_CONNECTIONS (32).
# Every number lands in target/bench-report/*.csv; the tables replace the marked part of
# BENCHMARKS.md and the chart is bench-report/benchmarks.png. Loopback only; every load run
# is bounded in time. Exits non-zero if a bench asserting a goal fails (after the report), and
# at once if a static-cors (with or without the layer) or actix-cors server answers a wire run
# with anything but 2xx.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

REPORT="$CARGO_TARGET_DIR/bench-report"
SKIP=" ${BENCH_SKIP:-} "
COMPILE_ROUNDS="${COMPILE_ROUNDS:-5}"
WIRE_ROUNDS="${WIRE_ROUNDS:-20}"
WIRE_SECONDS="${WIRE_SECONDS:-1}"
WIRE_CONNECTIONS="${WIRE_CONNECTIONS:-32}"
failed=()
started=$SECONDS
mkdir -p "$REPORT"

step() { printf '\n==> %s\n' "$*"; }
skipped() { [[ "$SKIP" == *" $1 "* ]]; }
now() { date +%s.%N; }

# The machine and the load, for the report; a partial run (BENCH_SKIP) adds a line instead.
machine() {
    # Everything skipped: the tables are only redrawn from the CSV files already there.
    if skipped benches && skipped compile && skipped wire; then
        return
    fi
    if [ -n "${BENCH_SKIP:-}" ] && [ -f "$REPORT/machine.txt" ]; then
        echo "Re-run without \`$BENCH_SKIP\` on $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >>"$REPORT/machine.txt"
        return
    fi
    {
        echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
        echo "Kernel: $(uname -sr); $(rustc -V)"
        echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: ratios come from interleaved runs)"
        echo "Command: scripts/bench.sh"
    } >"$REPORT/machine.txt"
}

benches() {
    for bench in per_request allocations origin_scaling header_parsing live_sets layer_overhead; do
        step "cargo bench --bench $bench"
        cargo bench --quiet --bench "$bench" --manifest-path "$REPO/Cargo.toml" 2>&1 |
            grep -v '^\s*$' | grep -vE '^(Benchmarking|Found|  [0-9]+ \()' || failed+=("$bench")
    done
}

# Writes one handler file of the generated crate: 20 handlers, with or without #[cors].
handler_file() {
    local file=$1 first=$2 cors=$3
    {
        echo "use actix_web::{get, web, HttpResponse};"
        [ "$cors" = 1 ] && echo "use static_cors::cors;"
        echo
        for i in $(seq "$first" $((first + 19))); do
            if [ "$cors" = 1 ]; then
                echo "#[cors(origins = [\"https://app.example.com\", \"https://*.example.org\"], headers = [\"content-type\", \"x-token\"], expose = [\"x-request-id\"], credentials = true, max_age = 600)]"
            fi
            echo "#[get(\"/r$i/items/{id}\")]"
            echo "pub async fn h$i() -> HttpResponse {"
            echo "    HttpResponse::Ok().body(\"item-0\")"
            echo "}"
            echo
        done
        echo "pub fn configure(cfg: &mut web::ServiceConfig) {"
        for i in $(seq "$first" $((first + 19))); do echo "    cfg.service(h$i);"; done
        echo "}"
    } >"$file"
}

# Generates a crate of 200 handlers in 10 files.
generate_crate() {
    local dir=$1 name=$2 cors=$3
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
actix-web = { version = "4", default-features = false, features = ["macros"] }
static-cors = { path = "$REPO" }
EOF
    {
        for f in $(seq 0 9); do echo "mod handlers_$f;"; done
        echo
        echo "/// Registers the 200 handlers."
        echo "pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {"
        for f in $(seq 0 9); do echo "    handlers_$f::configure(cfg);"; done
        echo "}"
    } >"$dir/src/lib.rs"
    for f in $(seq 0 9); do handler_file "$dir/src/handlers_$f.rs" $((f * 20)) "$cors"; done
}

compile_time() {
    step "compile time: 200 handlers with #[cors] against the same without ($COMPILE_ROUNDS rounds)"
    local dir="$CARGO_TARGET_DIR/compile-bench"
    rm -rf "$dir/with" "$dir/without"
    mkdir -p "$dir"
    generate_crate "$dir/with" gen-with 1
    generate_crate "$dir/without" gen-without 0
    printf '[workspace]\nmembers = ["with", "without"]\nresolver = "2"\n' >"$dir/Cargo.toml"
    cp "$REPO/Cargo.lock" "$dir/Cargo.lock"
    # The generated crates build in their own target dir; clean and build must both use it.
    local cargo=(env CARGO_TARGET_DIR="$dir/target" cargo)
    local build=("${cargo[@]}" build --quiet --manifest-path "$dir/Cargo.toml")
    "${build[@]}" # dependencies, once
    echo "round,variant,clean_seconds,incremental_seconds" >"$REPORT/compile_time.csv"
    for round in $(seq 1 "$COMPILE_ROUNDS"); do
        local order=(with without)
        [ $((round % 2)) -eq 0 ] && order=(without with)
        for variant in "${order[@]}"; do
            "${cargo[@]}" clean --quiet --manifest-path "$dir/Cargo.toml" -p "gen-$variant"
            local t0 t1 t2
            t0=$(now)
            "${build[@]}" -p "gen-$variant"
            t1=$(now)
            # One file changes: one handler's body.
            sed -i "0,/\"item-[0-9]*\"/s//\"item-$round\"/" "$dir/$variant/src/handlers_0.rs"
            "${build[@]}" -p "gen-$variant"
            t2=$(now)
            awk -v r="$round" -v v="$variant" -v a="$t0" -v b="$t1" -v c="$t2" \
                'BEGIN { printf "%s,%s,%.3f,%.3f\n", r, v, b - a, c - b }' | tee -a "$REPORT/compile_time.csv"
            # A clean build that is not slower than a one-file rebuild was not clean.
            awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { exit !(b - a > c - b) }' ||
                failed+=("compile time: gen-$variant was not rebuilt from scratch")
        done
    done
}

# Nanoseconds the threads of process $1 have run on a CPU, from the scheduler's accounting.
cpu_ns() {
    cat /proc/"$1"/task/*/schedstat | awk '{ sum += $1 } END { printf "%.0f\n", sum }'
}

# One wrk run against the server of process $2: prints `requests per second,server CPU ns per
# request`. The second stays put when other work on this shared machine takes CPU time from
# the server (it then serves fewer requests in as much less time), where the first does not.
# With `ok` first, fails on any non-2xx answer (the bare server has no preflight route: its
# 404s are the baseline).
wrk_run() {
    local check=$1 pid=$2 out before after
    shift 2
    before=$(cpu_ns "$pid")
    out="$(taskset -c 1 wrk -t1 -c"$WIRE_CONNECTIONS" -d"${WIRE_SECONDS}s" "$@")"
    after=$(cpu_ns "$pid")
    if [ "$check" = ok ] && grep -q 'Non-2xx' <<<"$out"; then
        echo "wrk: non-2xx answers: $out" >&2
        return 1
    fi
    awk -v cpu=$((after - before)) '
        /^Requests\/sec:/ { rps = $2 }
        / requests in / { n = $1 }
        END { printf "%s,%.0f\n", rps, cpu / n }
    ' <<<"$out"
}

wire() {
    step "over the wire: wrk against bench_server, $WIRE_ROUNDS rounds of ${WIRE_SECONDS} s per mode and request"
    ensure_packages wrk util-linux
    cargo build --quiet --release --example bench_server --manifest-path "$REPO/Cargo.toml"
    local server="$CARGO_TARGET_DIR/release/examples/bench_server"
    local lua="$REPORT/preflight.lua"
    cat >"$lua" <<'EOF'
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "https://app.example.com"
wrk.headers["Access-Control-Request-Method"] = "GET"
wrk.headers["Access-Control-Request-Headers"] = "content-type,x-token"
EOF
    echo "round,mode,case,requests_per_second,server_cpu_ns_per_request" >"$REPORT/wire.csv"
    # static-cors-layer: the same route with the App-level layer, which answers preflights
    # before routing; floor: the in-process bench's hand-written middleware floor.
    local modes=(bare static-cors static-cors-layer actix-cors floor)
    # Every mode serves at once, each on its own port, all on CPU 0 (an idle server costs
    # nothing): a round measures the modes seconds apart, so that load from elsewhere on this
    # shared machine hits them alike (a server per mode in turn spread a round over a minute,
    # and per-round ratios swung by 3x).
    SERVER_PIDS=()
    trap 'for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
    local k
    for k in "${!modes[@]}"; do
        taskset -c 0 "$server" "${modes[$k]}" "127.0.0.1:$((9471 + k))" >/dev/null &
        SERVER_PIDS+=($!)
    done
    for k in "${!modes[@]}"; do
        wait_for_port $((9471 + k))
        # Warm up: connections, pools, caches.
        taskset -c 1 wrk -t1 -c"$WIRE_CONNECTIONS" -d1s -H "Origin: https://app.example.com" \
            "http://127.0.0.1:$((9471 + k))/items" >/dev/null
        taskset -c 1 wrk -t1 -c"$WIRE_CONNECTIONS" -d1s -s "$lua" \
            "http://127.0.0.1:$((9471 + k))/items" >/dev/null
    done
    local round case j mode url pid result
    for round in $(seq 1 "$WIRE_ROUNDS"); do
        for case in get preflight; do
            for j in "${!modes[@]}"; do
                # The order rotates every round, so that no mode always follows another.
                k=$(((j + round) % ${#modes[@]}))
                mode=${modes[$k]}
                pid=${SERVER_PIDS[$k]}
                url="http://127.0.0.1:$((9471 + k))/items"
                if [ "$case" = get ]; then
                    result=$(wrk_run ok "$pid" -H "Origin: https://app.example.com" "$url")
                elif [ "$mode" = bare ]; then
                    result=$(wrk_run any "$pid" -s "$lua" "$url")
                else
                    result=$(wrk_run ok "$pid" -s "$lua" "$url")
                fi
                echo "$round,$mode,$case,$result" | tee -a "$REPORT/wire.csv"
            done
        done
    done
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}

report() {
    step "tables and chart"
    ensure_packages fonts-dejavu-core
    CARGO_TARGET_DIR="$CARGO_TARGET_DIR/bench-report-build" cargo build --quiet --release \
        --manifest-path "$REPO/bench-report/Cargo.toml"
    "$CARGO_TARGET_DIR/bench-report-build/release/bench-report" "$REPORT" \
        "$REPO/bench-report/benchmarks.png" "$REPORT/tables.md"
    # The tables replace what lies between the markers of BENCHMARKS.md.
    awk -v tables="$REPORT/tables.md" '
        /<!-- tables:begin -->/ { print; while ((getline line < tables) > 0) print line; skip = 1; next }
        /<!-- tables:end -->/ { skip = 0 }
        !skip { print }
    ' "$REPO/BENCHMARKS.md" >"$REPORT/BENCHMARKS.md"
    cp "$REPORT/BENCHMARKS.md" "$REPO/BENCHMARKS.md"
}

machine
skipped benches || benches
skipped compile || compile_time
skipped wire || wire
report
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); took $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
