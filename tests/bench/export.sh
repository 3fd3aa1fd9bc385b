#!/usr/bin/env bash
# export.sh - whole-result exports, `imrsearch --format csv --limit 0 QUERY`, timed for each
# imrsearch given on the same letters, the first one the baseline, in one run.
#
#   tests/bench/export.sh [--repeat R] DB LABEL=IMRSEARCH[@DB] [LABEL=IMRSEARCH[@DB] ...]
#                         [-- QUERY ...]
#
# Each query (default: four of the typed set's, from about 7,000 to 20,000 items at 200,000
# letters) runs once to warm the page cache, then R times (default 5) with every program;
# reported per query and program: the CSV's rows (without the header) and the best and the
# median wall time in seconds, with the ratio of the median to the baseline's. Each program
# reads DB, or the database after its @ (a build of another schema version needs its own, made
# by the imrindex beside it from the same letters).
# Heavy: run it under flock /tmp/imr-bench.lock. Figures go in docs/benchmarks.md by hand.
set -euo pipefail

REPEAT=5
if [ "${1:-}" = --repeat ]; then
    REPEAT=${2:?--repeat needs a number}
    shift 2
fi
DB=${1:?usage: export.sh [--repeat R] DB LABEL=IMRSEARCH ... [-- QUERY ...]}
shift
progs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in *=*) progs+=("$1") ;; *) echo "export.sh: $1: not LABEL=IMRSEARCH" >&2; exit 2 ;; esac
    shift
done
[ ${#progs[@]} -gt 0 ] || { echo "export.sh: no imrsearch given" >&2; exit 2; }
[ "${1:-}" = -- ] && shift
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=("hot cold unit" "norco" "physical therapy" "mri")

out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '| query | program | rows | best s | median s | median vs %s |\n|---|---|---|---|---|---|\n' \
    "${progs[0]%%=*}"
for q in "${queries[@]}"; do
    base=""
    for spec in "${progs[@]}"; do
        label=${spec%%=*} prog=${spec#*=} db=$DB
        case $prog in *@*) db=${prog#*@} prog=${prog%%@*} ;; esac
        read -r -a words <<<"$q"
        "$prog" --db "$db" --format csv --limit 0 "${words[@]}" >"$out" # warm-up
        rows=$(($(wc -l <"$out") - 1))
        times=()
        for _ in $(seq "$REPEAT"); do
            t0=$(date +%s.%N)
            "$prog" --db "$db" --format csv --limit 0 "${words[@]}" >"$out"
            t1=$(date +%s.%N)
            times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')")
        done
        read -r best median < <(printf '%s\n' "${times[@]}" | sort -g |
            awk '{t[NR] = $1} END {printf "%.3f %.3f\n", t[1], t[int((NR + 1) / 2)]}')
        [ -n "$base" ] || base=$median
        ratio=$(awk -v m="$median" -v b="$base" 'BEGIN {printf "%.2f", (b > 0 ? m / b : 0)}')
        printf '| %s | %s | %d | %s | %s | %s |\n' "$q" "$label" "$rows" "$best" "$median" "$ratio"
    done
done
