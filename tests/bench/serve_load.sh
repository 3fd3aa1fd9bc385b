#!/usr/bin/env bash
# serve_load.sh - the web server under load: indexes a corpus (once), starts `imrsearch serve`
# on a free port, runs tests/bench/serve_load.py (C clients x R requests over search, letter
# and report pages of the benchmark's queries) and prints p50/p95 per page. Fails when an
# answer is not a 200, when the server does not stop cleanly on SIGTERM, or when the
# database's bytes changed. docs/benchmarks.md ("Web server") has the figures.
#
#   tests/bench/serve_load.sh [--letters N | --corpus DIR] [--clients C] [--requests R]
#                             [--build DIR] [--queries FILE] [--work DIR]
#
# --letters N: corpus/generated/N (default 20000; generate it with tests/bench/run.sh or
# corpus/generate.py); --corpus DIR: a folder of letters instead. The database goes to
# --work (default .bench/serve-<name>/) as imr.db and is reused. Run heavy sizes under
# flock /tmp/imr-bench.lock.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LETTERS=20000
CORPUS=
CLIENTS=16
REQUESTS=25
BUILD="$ROOT/build"
WORK=
QUERIES="$ROOT/tests/bench/queries.jsonl"
die() { echo "serve_load.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
    --letters) LETTERS=${2:?--letters needs a number}; shift 2 ;;
    --corpus) CORPUS=$(realpath "${2:?--corpus needs a folder}"); shift 2 ;;
    --clients) CLIENTS=${2:?--clients needs a number}; shift 2 ;;
    --requests) REQUESTS=${2:?--requests needs a number}; shift 2 ;;
    --build) BUILD=$(realpath "${2:?--build needs a folder}"); shift 2 ;;
    --queries) QUERIES=$(realpath "${2:?--queries needs a file}"); shift 2 ;;
    --work) WORK=$(realpath "${2:?--work needs a folder}"); shift 2 ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
if [ -z "$CORPUS" ]; then
    CORPUS="$ROOT/corpus/generated/$LETTERS/letters"
    [ -d "$CORPUS" ] || die "no corpus $CORPUS: generate it first (tests/bench/run.sh --letters $LETTERS, or corpus/generate.py)"
fi
for prog in imrindex imrsearch; do
    [ -x "$BUILD/$prog" ] || die "no $BUILD/$prog: build first"
done
[ -n "$WORK" ] || WORK="$ROOT/.bench/serve-$(basename "$(dirname "$CORPUS")")-$(basename "$CORPUS")"
mkdir -p "$WORK"
DB="$WORK/imr.db"
if [ ! -f "$DB" ]; then
    echo "== indexing $CORPUS into $DB" >&2
    "$BUILD/imrindex" --db "$DB" -q "$CORPUS"
fi
letters=$(sqlite3 "$DB" "SELECT count(*) FROM letter")
before=$(sha256sum <"$DB")

"$BUILD/imrsearch" --db "$DB" serve --port 0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
. "$ROOT/tests/e2e/serve_lib.sh"
url=$(serve_url "$WORK/serve.out" "$server")
[ -n "$url" ] || { cat "$WORK/serve.err" >&2; die "the server did not start"; }

echo "imrsearch serve on $letters letters ($(nproc) cores), $(date -u +%Y-%m-%d)"
code=0
python3 "$ROOT/tests/bench/serve_load.py" "$url" "$QUERIES" --clients "$CLIENTS" \
    --requests "$REQUESTS" || code=1

kill -TERM "$server"
stop=0
wait "$server" || stop=$?
trap - EXIT
[ "$stop" = 0 ] || { echo "serve_load.sh: the server exited $stop on SIGTERM" >&2; code=1; }
if [ "$(sha256sum <"$DB")" = "$before" ]; then
    echo "database unchanged"
else
    echo "serve_load.sh: the database changed under the server" >&2
    code=1
fi
[ -s "$WORK/serve.err" ] && { echo "server's stderr:" >&2; cat "$WORK/serve.err" >&2; }
exit "$code"
