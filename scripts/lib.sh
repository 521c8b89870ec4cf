# Shared helpers of the scripts: repository root, tool installs, the demo server's lifecycle.
# shellcheck shell=bash

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"

# Installs Debian packages that are missing (CI machines start bare).
ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Waits until something accepts connections on 127.0.0.1:$1 (at most 30 s).
wait_for_port() {
    for _ in $(seq 1 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on 127.0.0.1:$1" >&2
    return 1
}

# Builds (release) and starts the demo in the background; sets DEMO_PID.
start_demo() {
    cargo build --release --quiet --example demo --manifest-path "$REPO/Cargo.toml"
    "$CARGO_TARGET_DIR/release/examples/demo" >"${1:-/dev/null}" 2>&1 &
    DEMO_PID=$!
    wait_for_port 8080
}

# Resident memory of a process, in KiB.
rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
