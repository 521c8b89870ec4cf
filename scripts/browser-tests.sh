#!/usr/bin/env bash
# The real judge: headless Chromium runs every case of browser-suite/ (cross-origin fetch()
# calls from two page origins and a *.localhost subdomain against a real actix-web server),
# then checks the demo's own page and saves screenshots under target/browser-suite/.
#
#   scripts/browser-tests.sh            # three runs in a row (RUNS=1 for one)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages chromium chromium-driver fonts-dejavu-core

cargo build --release --quiet --example demo --manifest-path "$REPO/Cargo.toml"
suite_target="$CARGO_TARGET_DIR/browser-suite"
CARGO_TARGET_DIR="$suite_target" cargo build --quiet --locked \
    --manifest-path "$REPO/browser-suite/Cargo.toml"

export DEMO_BIN="$CARGO_TARGET_DIR/release/examples/demo"
export ARTIFACTS="$suite_target"
runs="${RUNS:-3}"
for run in $(seq 1 "$runs"); do
    echo "== browser run $run of $runs"
    timeout 300 "$suite_target/debug/browser-suite"
done
echo "screenshots: $ARTIFACTS/demo-page.png, $ARTIFACTS/demo-page-subdomain.png"
