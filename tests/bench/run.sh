#!/usr/bin/env bash
# run.sh - the imrsearch benchmark: indexing, query latency, search quality and facet accuracy
# of imrindex/imrsearch against stock SQLite FTS5 and Xapian, in one run. docs/benchmarks.md
# explains every figure.
#
#   tests/bench/run.sh [--letters N] [--seed S] [--out DIR] [--jobs J] [--skip-xapian]
#                      [--queries FILE] [--repeat R] [--no-doc] [--notes TEXT] [--toy]
#   tests/bench/run.sh --tune-weights FILE [--letters N] ...   (bm25 weight candidates)
#   tests/bench/run.sh --compare N1 N2                         (growth between two runs)
#   tests/bench/run.sh --facet-accuracy [--letters N] ...      (tests/bench/facets.py: the
#                      variants corpus against the own generator's; N defaults to 2000)
#
# Steps: a Release build in build-release/ (and xapian_bench with g++), the corpus
# corpus/generated/<N> (reused when its truth file is complete, else generated), a warm page
# cache, then each indexer in turn under /usr/bin/time -v, the query set against each system
# (one process per query), the metrics, and one table printed and inserted into
# docs/benchmarks.md. Work files go to .bench/<N>/ (gitignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH="$ROOT/tests/bench"
LETTERS=200000
SEED=1
OUT=
JOBS=2
SKIP_XAPIAN=0
QUERIES="$BENCH/queries.jsonl"
REPEAT=3
DOC="$ROOT/docs/benchmarks.md"
TOY=0
NOTES=
TUNE=
COMPARE=
FACET=0
LETTERS_GIVEN=0
CMDLINE="tests/bench/run.sh${*:+ $*}"

die() { echo "run.sh: $*" >&2; exit 2; }
say() { echo "== $*" >&2; }

# usage [CODE]: prints the header above (to stderr when CODE is not 0) and exits with CODE.
usage() {
    if [ "${1:-0}" = 0 ]; then
        sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    else
        sed -n '6,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    fi
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case $1 in
    --letters) LETTERS=${2:?--letters needs a number}; LETTERS_GIVEN=1; shift 2 ;;
    --seed) SEED=${2:?--seed needs a number}; shift 2 ;;
    --out) OUT=${2:?--out needs a folder}; shift 2 ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
    --skip-xapian) SKIP_XAPIAN=1; shift ;;
    --queries) QUERIES=$(realpath "${2:?--queries needs a file}"); shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a number}; shift 2 ;;
    --no-doc) DOC=; shift ;;
    --notes) NOTES=${2:?--notes needs text}; shift 2 ;;
    --toy) TOY=1; DOC=; shift ;;
    --tune-weights) TUNE=$(realpath "${2:?--tune-weights needs a file}"); DOC=; shift 2 ;;
    --facet-accuracy) FACET=1; SKIP_XAPIAN=1; shift ;;
    --compare) COMPARE="${2:?--compare needs two sizes} ${3:?--compare needs two sizes}"; shift 3 ;;
    -h | --help) usage 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage 2 ;;
    esac
done
case $LETTERS in '' | *[!0-9]*) die "--letters must be a positive number" ;; esac
[ "$LETTERS" -gt 0 ] || die "--letters must be a positive number"
[ -f "$QUERIES" ] || die "$QUERIES: no such query file"

if [ -n "$COMPARE" ]; then
    set -- $COMPARE
    exec python3 "$BENCH/evaluate.py" compare --base "$ROOT/.bench/$1" --big "$ROOT/.bench/$2" \
        ${DOC:+--doc "$DOC"}
fi

# --- tools ------------------------------------------------------------------------------------
# Installs a Debian package when a tool is missing (needs root; says so).
need() {
    local pkg=$1 test=$2
    if ! eval "$test" >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "$pkg is missing: install it (apt-get install $pkg) and rerun"
        say "installing $pkg with apt-get (as root)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >&2
    fi
}
need time "test -x /usr/bin/time"
if [ "$SKIP_XAPIAN" = 0 ]; then
    need g++ "command -v g++"
    need libxapian-dev "pkg-config --exists xapian-core || command -v xapian-config"
fi

BUILD="$ROOT/build-release"
say "Release build in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j "$JOBS" >/dev/null
HAVE_IMR=1
if [ ! -x "$BUILD/imrindex" ] || [ ! -x "$BUILD/imrsearch" ]; then
    HAVE_IMR=0
    echo "run.sh: warning: imrindex/imrsearch are not built: their rows are skipped" >&2
fi
if [ "$FACET" = 1 ]; then
    [ "$LETTERS_GIVEN" = 1 ] || LETTERS=2000
    exec python3 "$BENCH/facets.py" --build "$BUILD" --letters "$LETTERS" --seed "$SEED" \
        --jobs "$JOBS" ${DOC:+--doc "$DOC"} ${NOTES:+--notes "$NOTES"}
fi
if [ "$SKIP_XAPIAN" = 0 ]; then
    XAPIAN_BENCH="$BUILD/xapian_bench"
    if [ ! -x "$XAPIAN_BENCH" ] || [ "$BENCH/xapian_bench.cc" -nt "$XAPIAN_BENCH" ]; then
        # shellcheck disable=SC2046
        g++ -O2 -std=c++17 -Wall -Wextra -o "$XAPIAN_BENCH" "$BENCH/xapian_bench.cc" \
            $(pkg-config --cflags --libs xapian-core 2>/dev/null || xapian-config --cxxflags --libs)
    fi
fi

# --- corpus -----------------------------------------------------------------------------------
# Each corpus has its own folder and its own work folder: <N> for seed 1, <N>-seed<S> for
# another seed, <N>-<name> for a corpus given with --out.
NAME=$LETTERS
[ "$SEED" = 1 ] || NAME="$LETTERS-seed$SEED"
if [ "$TOY" = 1 ]; then
    CORPUS=${OUT:-$ROOT/.bench/toy-corpus/$NAME}
    WORK="$ROOT/.bench/toy-$NAME"
else
    CORPUS=${OUT:-$ROOT/corpus/generated/$NAME}
    WORK="$ROOT/.bench/$NAME"
fi
[ -z "$OUT" ] || WORK="$WORK-$(basename "$(realpath -m "$OUT")")"
mkdir -p "$WORK"
CORPUS=$(realpath -m "$CORPUS")

# A truth file is complete when it has N lines and its last line is whole JSON.
truth_complete() {
    [ -f "$CORPUS/truth.jsonl" ] || return 1
    [ "$(wc -l <"$CORPUS/truth.jsonl")" -eq "$LETTERS" ] || return 1
    tail -n 1 "$CORPUS/truth.jsonl" | python3 -c 'import json,sys; json.loads(sys.stdin.read())'
}
if truth_complete 2>/dev/null; then
    say "reusing the corpus in $CORPUS"
else
    rm -rf "$CORPUS/letters" "$CORPUS/truth.jsonl"
    if [ "$TOY" = 1 ]; then
        say "making a toy corpus of $LETTERS copies of the seed letters in $CORPUS"
        python3 "$BENCH/toy_corpus.py" --count "$LETTERS" --out "$CORPUS"
    else
        [ -f "$ROOT/corpus/generate.py" ] || die "corpus/generate.py is missing (try --toy)"
        say "generating $LETTERS letters (seed $SEED) in $CORPUS"
        mkdir -p "$CORPUS"
        /usr/bin/time -v -o "$WORK/generate.time" python3 "$ROOT/corpus/generate.py" \
            --count "$LETTERS" --seed "$SEED" --out "$CORPUS" --jobs "$JOBS"
    fi
    truth_complete || die "$CORPUS/truth.jsonl is not complete after generating"
fi

# The file list (truth order), the corpus bytes and the run's description.
# (A tuning run leaves the figures of the last full run alone.)
if [ -z "$TUNE" ]; then
    rm -rf "$WORK/index" "$WORK/runs" "$WORK/quality.json" "$WORK/facets.json"
fi
mkdir -p "$WORK/index" "$WORK/runs"
META=meta.json
[ -z "$TUNE" ] || META=tune-meta.json
python3 - "$CORPUS" "$WORK" "$LETTERS" "$SEED" "$CMDLINE" "$TOY" "$NOTES" "$QUERIES" \
    "$REPEAT" "$META" <<'PY'
import datetime, json, os, sys
corpus, work, letters, seed, cmdline, toy, notes, queries, repeat, meta_name = sys.argv[1:]
total = n_items = 0
with open(os.path.join(corpus, "truth.jsonl"), encoding="utf-8") as t, \
        open(os.path.join(work, "files.txt"), "w", encoding="utf-8") as out:
    for line in t:
        rec = json.loads(line)
        path = rec["path"] if os.path.isabs(rec["path"]) else os.path.join(corpus, rec["path"])
        total += os.path.getsize(path)
        n_items += len(rec.get("items", []))
        out.write(path + "\n")
n_queries = sum(1 for l in open(queries, encoding="utf-8") if l.strip() and not l.startswith("#"))
# What starting a process costs here: the floor under every query latency.
import statistics, subprocess, time
spawn = []
for _ in range(21):
    t0 = time.perf_counter()
    subprocess.run(["/bin/true"])
    spawn.append((time.perf_counter() - t0) * 1000.0)
meta = {"letters": int(letters), "seed": int(seed), "corpus": os.path.relpath(corpus),
        "corpus_bytes": total, "n_items": n_items, "command": cmdline,
        "source": "toy copies of the seeds" if toy == "1" else "corpus/generate.py",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "notes": notes, "n_queries": n_queries, "repeat": int(repeat),
        "spawn_ms": statistics.median(spawn)}
with open(os.path.join(work, meta_name), "w", encoding="utf-8") as f:
    json.dump(meta, f, indent=1)
print(f"{letters} letters, {total / 1e6:.1f} MB, {n_items} items", file=sys.stderr)
PY

say "warming the page cache"
xargs -d '\n' cat <"$WORK/files.txt" >/dev/null

# timed NAME COMMAND...: runs COMMAND under /usr/bin/time -v into index/NAME.time.
timed() {
    local name=$1
    shift
    say "indexing: $name"
    if ! /usr/bin/time -v -o "$WORK/index/$name.time" "$@" >"$WORK/index/$name.log" 2>&1; then
        echo "run.sh: warning: $name exited with an error (see $WORK/index/$name.log):" >&2
        tail -n 5 "$WORK/index/$name.log" >&2
    fi
}
# size_of PATH...: total bytes of the paths that exist (files or folders).
size_of() {
    local p existing=()
    for p in "$@"; do [ -e "$p" ] && existing+=("$p"); done
    if [ ${#existing[@]} -eq 0 ]; then
        echo 0
    else
        du -cb "${existing[@]}" | tail -n 1 | cut -f1
    fi
}

IMR_DB="$WORK/imr.db"
if [ -n "$TUNE" ] && [ -f "$IMR_DB" ]; then
    say "tuning: reusing $IMR_DB"
elif [ "$HAVE_IMR" = 1 ]; then
    rm -f "$IMR_DB" "$IMR_DB-wal" "$IMR_DB-shm"
    timed imr "$BUILD/imrindex" --db "$IMR_DB" "$CORPUS/letters"
    size_of "$IMR_DB" "$IMR_DB-wal" >"$WORK/index/imr.size"
fi

# --- bm25 weight tuning -----------------------------------------------------------------------
if [ -n "$TUNE" ]; then
    [ "$HAVE_IMR" = 1 ] || die "tuning needs imrindex and imrsearch"
    k=0
    rm -rf "$WORK/tune"
    : >"$WORK/tune.tsv"
    while IFS= read -r weights; do
        case $weights in '' | '#'*) continue ;; esac
        k=$((k + 1))
        say "tuning: weights $weights"
        IMRSEARCH_BM25_WEIGHTS=$weights python3 "$BENCH/run_queries.py" --system imr \
            --db "$IMR_DB" --prog "$BUILD/imrsearch" --queries "$QUERIES" \
            --out "$WORK/tune/$k" --no-timing
        python3 "$BENCH/evaluate.py" quality --truth "$CORPUS/truth.jsonl" --queries "$QUERIES" \
            --system "w$k:item:$WORK/tune/$k/results" --json "$WORK/tune/$k/quality.json" |
            sed "s/^w$k\t/$weights\t/" | tee -a "$WORK/tune.tsv"
    done <"$TUNE"
    n_distinct=$(cd "$WORK/tune" &&
        for d in */; do cat "$d"results/* | md5sum; done | sort -u | wc -l)
    if [ "$k" -gt 1 ] && [ "$n_distinct" = 1 ]; then
        echo "run.sh: warning: every weight vector gave the same results:" \
            "does imrsearch read IMRSEARCH_BM25_WEIGHTS?" >&2
    fi
    say "tuning results (weights, then means over the query set) in $WORK/tune.tsv"
    sort -t$'\t' -k3,3r "$WORK/tune.tsv"
    exit 0
fi

# --- indexing the peers -----------------------------------------------------------------------
rm -f "$WORK/stock.db" "$WORK/peritem.db"
timed stock "$BUILD/bench_stock_load" "$WORK/stock.db" "$WORK/files.txt"
size_of "$WORK/stock.db" >"$WORK/index/stock.size"
if [ "$SKIP_XAPIAN" = 0 ]; then
    rm -rf "$WORK/xapian.db"
    timed xapian "$XAPIAN_BENCH" index "$WORK/xapian.db" "$WORK/files.txt"
    size_of "$WORK/xapian.db" >"$WORK/index/xapian.size"
fi
timed peritem "$BUILD/bench_stock_load" --per-item "$WORK/peritem.db" "$WORK/files.txt"
size_of "$WORK/peritem.db" >"$WORK/index/peritem.size"

# --- queries ----------------------------------------------------------------------------------
queries() {
    local sysname=$1 db=$2 prog=$3
    say "queries: $sysname"
    python3 "$BENCH/run_queries.py" --system "$sysname" --db "$db" --prog "$prog" \
        --queries "$QUERIES" --out "$WORK/runs/$sysname" --repeat "$REPEAT"
}
SYSTEMS=()
if [ "$HAVE_IMR" = 1 ]; then
    queries imr "$IMR_DB" "$BUILD/imrsearch"
    SYSTEMS+=(--system "imr:item:$WORK/runs/imr/results")
fi
queries stock "$WORK/stock.db" "$BUILD/bench_stock_query"
SYSTEMS+=(--system "stock:letter:$WORK/runs/stock/results")
if [ "$SKIP_XAPIAN" = 0 ]; then
    queries xapian "$WORK/xapian.db" "$XAPIAN_BENCH"
    SYSTEMS+=(--system "xapian:letter:$WORK/runs/xapian/results")
fi
queries peritem "$WORK/peritem.db" "$BUILD/bench_stock_query"
SYSTEMS+=(--system "peritem:item:$WORK/runs/peritem/results")

# --- metrics and report -----------------------------------------------------------------------
say "quality"
python3 "$BENCH/evaluate.py" quality --truth "$CORPUS/truth.jsonl" --queries "$QUERIES" \
    "${SYSTEMS[@]}" --json "$WORK/quality.json" --per-query >"$WORK/quality.txt"
if [ "$HAVE_IMR" = 1 ] && [ -f "$IMR_DB" ]; then
    say "facet accuracy"
    python3 "$BENCH/evaluate.py" facets --truth "$CORPUS/truth.jsonl" --db "$IMR_DB" \
        --json "$WORK/facets.json" >"$WORK/facets.txt"
fi
say "report (per-query scores: $WORK/quality.txt and per_query.txt; facet confusions:" \
    "$WORK/facets.txt)"
python3 "$BENCH/evaluate.py" report --work "$WORK" ${DOC:+--doc "$DOC"}
