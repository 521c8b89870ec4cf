#!/usr/bin/env bash
# A real shared cache in front of the demo: nginx on loopback as a caching reverse proxy
# (proxy_cache, honouring Vary). Requests alternate between two allowed origins, a refused one
# and no Origin, repeatedly; no response may carry an Access-Control-Allow-Origin for an origin
# other than the one that asked, and every allowed origin must be granted.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages nginx-light curl
work="$(mktemp -d)"
cleanup() {
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    [ -n "${DEMO_PID:-}" ] && kill "$DEMO_PID" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_demo
# run_checks ROUNDS EXTRA_DIRECTIVE: starts nginx with the extra location directive, sends the
# requests, sets PASSED, FAILED and HITS, and stops nginx.
run_checks() {
local rounds=$1 extra=$2
rm -rf "$work/cache" && mkdir -p "$work/cache" "$work/logs"
cat >"$work/nginx.conf" <<CONF
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    proxy_cache_path $work/cache keys_zone=demo:1m max_size=10m;
    server {
        listen 127.0.0.1:8090;
        location / {
            proxy_pass http://127.0.0.1:8080;
            proxy_cache demo;
            proxy_cache_valid 200 10m;
            add_header X-Cache-Status \$upstream_cache_status always;
            $extra
        }
    }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -t -q
nginx -p "$work" -c "$work/nginx.conf"
wait_for_port 8090

# path, then the origins that path grants
declare -A granted=(
    ["/api/exact"]="http://127.0.0.1:8081 http://localhost:8081"
    ["/api/items/7"]="http://127.0.0.1:8081 http://localhost:8081 http://a.localhost:8081"
)
origins=("http://127.0.0.1:8081" "http://localhost:8081" "https://evil.example" "" "http://a.localhost:8081")
passed=0 failed=0 hits=0
for round in $(seq 1 "$rounds"); do
    for path in "${!granted[@]}"; do
        for origin in "${origins[@]}"; do
            args=(-s -o /dev/null -D - --max-time 5 "http://127.0.0.1:8090$path")
            [ -n "$origin" ] && args+=(-H "Origin: $origin")
            headers="$(curl "${args[@]}" | tr -d '\r')"
            acao="$(grep -i '^access-control-allow-origin:' <<<"$headers" | cut -d' ' -f2- || true)"
            grep -qi '^x-cache-status: HIT' <<<"$headers" && hits=$((hits + 1))
            expected=""
            if [ -n "$origin" ] && [[ " ${granted[$path]} " == *" $origin "* ]]; then expected="$origin"; fi
            if [ "$acao" == "$expected" ]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                [ -z "$extra" ] && echo "FAIL round $round $path origin='${origin:-none}': got Access-Control-Allow-Origin '${acao}', expected '${expected}'"
            fi
        done
    done
done
kill "$(cat "$work/nginx.pid")" && sleep 0.5
PASSED=$passed FAILED=$failed HITS=$hits
}

# Control: a cache told to ignore Vary must mix origins up, or this test could not catch it.
run_checks 5 "proxy_ignore_headers Vary;"
echo "control (cache ignoring Vary): $FAILED of $((PASSED + FAILED)) responses carried another origin's grant"
control_failed=$FAILED

run_checks 50 ""
passed=$PASSED failed=$FAILED hits=$HITS
echo "nginx $(nginx -v 2>&1 | cut -d/ -f2): $((passed + failed)) responses checked, $hits served from the cache"
if [ "$control_failed" -eq 0 ]; then
    echo "FAIL: the control run found no mix-up, so this test proves nothing"
    failed=$((failed + 1))
fi
if [ "$hits" -lt $(( (passed + failed) / 2 )) ]; then
    echo "FAIL: the cache served too few responses ($hits) for this test to mean anything"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
