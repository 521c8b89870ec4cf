#!/usr/bin/env bash
# Bounded load on the demo server (loopback only): at least a million requests mixing allowed,
# refused, preflight and hostile ones, while another task replaces and edits the demo's live
# origin set thousands of times. Passes with zero 5xx, zero wrong grants (an answer must match
# the set as it was before or after the update it raced with), and the server's resident
# memory flat (reported at start and end).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MIN_REQUESTS="${MIN_REQUESTS:-1000000}"
MAX_SECONDS="${MAX_SECONDS:-150}"
MAX_UPDATES="${MAX_UPDATES:-200000}"
ensure_packages wrk curl
# Every process this script started ends with it (a kill that fails must not stop the others).
trap 'for pid in ${CHURN_PID:-} ${DEMO_PID:-}; do kill "$pid" 2>/dev/null || true; done' EXIT
start_demo

ADMIN=http://127.0.0.1:8080/admin/tenant-origins
updates_file="$(mktemp)"
# Edits the live set until killed or MAX_UPDATES: `a.tenant` stays in it through every update.
churn() {
    local updates=0 body
    while [ "$updates" -lt "$MAX_UPDATES" ]; do
        if [ $((updates % 4)) -eq 0 ]; then body=$'https://a.tenant.example\nhttps://b.tenant.example'; else body='https://a.tenant.example'; fi
        curl -sf -o /dev/null -X PUT --data-binary "$body" "$ADMIN"
        curl -sf -o /dev/null --data-binary 'https://*.preview.tenant.example' "$ADMIN"
        curl -sf -o /dev/null -X DELETE "$ADMIN?origin=https://*.preview.tenant.example"
        updates=$((updates + 3))
        # Renamed into place, so that a reader never sees the file half written.
        echo "$updates" >"$updates_file.next" && mv -f "$updates_file.next" "$updates_file"
    done
}
curl -sf -o /dev/null -X PUT --data-binary 'https://a.tenant.example' "$ADMIN"
# A refused entry is answered 400 with the rule, and changes nothing.
refusal="$(curl -s -w ' %{http_code}' --data-binary 'https://a.tenant.example/' "$ADMIN")"
echo "refused entry: $refusal"

# Warm up so the start figure is the steady state, not the empty process.
wrk -t1 -c1 -d2s -s "$REPO/scripts/load.lua" http://127.0.0.1:8080 >/dev/null
rss_start=$(rss_kib "$DEMO_PID")
churn &
CHURN_PID=$!
checked=0 fivexx=0 wrong=0 rounds=0 started=$SECONDS
while [ "$checked" -lt "$MIN_REQUESTS" ] && [ $((SECONDS - started)) -lt "$MAX_SECONDS" ]; do
    out="$(wrk -t2 -c2 -d10s -s "$REPO/scripts/load.lua" http://127.0.0.1:8080)"
    line="$(grep '^checked=' <<<"$out")"
    eval "round_${line// / round_}"
    checked=$((checked + round_checked)) fivexx=$((fivexx + round_fivexx)) wrong=$((wrong + round_wrong))
    rounds=$((rounds + 1))
    echo "round $rounds: $round_checked requests, rss $(rss_kib "$DEMO_PID") KiB"
done
kill "$CHURN_PID" 2>/dev/null || true
wait "$CHURN_PID" 2>/dev/null || true
updates="$(cat "$updates_file")"
rm -f "$updates_file" "$updates_file.next"
rss_end=$(rss_kib "$DEMO_PID")
echo "requests checked: $checked in $((SECONDS - started)) s; 5xx: $fivexx; wrong grants: $wrong"
echo "live set updates during the load: $updates"
echo "server RSS: start ${rss_start} KiB, end ${rss_end} KiB"

failed=0
[ "$checked" -ge "$MIN_REQUESTS" ] || { echo "FAIL: fewer than $MIN_REQUESTS requests"; failed=$((failed + 1)); }
[ "$fivexx" -eq 0 ] || { echo "FAIL: $fivexx responses were 5xx"; failed=$((failed + 1)); }
[ "$wrong" -eq 0 ] || { echo "FAIL: $wrong responses granted the wrong origin"; failed=$((failed + 1)); }
[ "$updates" -ge 1000 ] || { echo "FAIL: only $updates updates of the live set"; failed=$((failed + 1)); }
[[ "$refusal" == *"origin ends with a slash"*" 400" ]] || { echo "FAIL: a bad entry was not refused with its rule"; failed=$((failed + 1)); }
# Flat: the end within 10% (or 2 MiB) of the warmed-up start.
limit=$(( rss_start + (rss_start / 10 > 2048 ? rss_start / 10 : 2048) ))
[ "$rss_end" -le "$limit" ] || { echo "FAIL: RSS grew from $rss_start to $rss_end KiB"; failed=$((failed + 1)); }
echo "$((6 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
