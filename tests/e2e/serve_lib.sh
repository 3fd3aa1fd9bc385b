# serve_lib.sh - sourced by t50_serve.sh and tests/bench/serve_load.sh: the address of an
# `imrsearch serve --port 0` that was started with its stdout in a file.

# serve_url OUT PID: waits (up to 30 s) until the server PID writes "listening on URL/" into
# the file OUT, or ends; prints URL, or nothing when it never listened.
serve_url() {
    for _ in $(seq 600); do
        grep -qs '^listening on ' "$1" && break
        kill -0 "$2" 2>/dev/null || break
        sleep 0.05
    done
    sed -n 's|^listening on \(http://[^ ]*\)/$|\1|p' "$1"
}
