#!/usr/bin/env bash
# pdf.sh - indexing PDF letters: imrindex on the PDFs against the two-step route a user has
# without it, `pdftotext -layout` on each PDF and then imrindex on the .txt output, in one run.
#
#   tests/bench/pdf.sh [--letters N] [--seed S] [--repeat R] [--lines L] [--long K]
#                      [--long-pages P]
#
# Steps: a Release build in build-release/; the generated corpus corpus/generated/<N> (reused
# when complete, else made by corpus/generate.py); its letters rendered by txt2pdf into
# text-layer PDFs of L lines a page (default 50, the state's letters have about that many) in
# .bench/pdf-<N>/ (not timed); then R rounds (default 3), each timing in turn, with a warm page
# cache and a new database every time:
#   ours      imrindex on the PDF folder (extraction in worker processes, one a core);
#   one core  the same under taskset -c 0: what running the workers beside each other gains
#             (imrindex counts the cores online, so it still starts one worker a core);
#   two-step  pdftotext -layout on each PDF one after another (the loop a user writes), then
#             imrindex on the .txt folder;
#   two-step, parallel  the same with one pdftotext a core (xargs -P).
# Reported: the median wall time of each, PDF MB/s and letters/s, the ratios, and peak
# resident memory (of imrindex and its largest worker: /usr/bin/time). Then the peak memory
# of ours again on the same letters at 10 lines a page (five times the pages), and on K long
# PDFs (default 4; 0: none), each the corpus's next letters one after another up to P pages
# (default 200, imrindex's --pdf-pages bound), L lines a page; both must stay about the same:
# extraction is one page at a time and one PDF at a time a worker.
# Heavy: run it under flock /tmp/imr-bench.lock. Figures go in docs/benchmarks.md by hand.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LETTERS=2000
SEED=1
REPEAT=3
LINES=50
LONG=4
LONG_PAGES=200
while [ $# -gt 0 ]; do
    case $1 in
    --letters) LETTERS=${2:?--letters needs a number}; shift 2 ;;
    --seed) SEED=${2:?--seed needs a number}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a number}; shift 2 ;;
    --lines) LINES=${2:?--lines needs a number}; shift 2 ;;
    --long) LONG=${2:?--long needs a number}; shift 2 ;;
    --long-pages) LONG_PAGES=${2:?--long-pages needs a number}; shift 2 ;;
    -h | --help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pdf.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
say() { echo "== $*" >&2; }
for tool in pdftotext qpdf taskset /usr/bin/time xargs; do
    command -v "$tool" >/dev/null || { echo "pdf.sh: $tool is missing" >&2; exit 2; }
done

BUILD="$ROOT/build-release"
say "Release build in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j 2 --target imrindex txt2pdf >/dev/null

NAME=$LETTERS
[ "$SEED" = 1 ] || NAME="$LETTERS-seed$SEED"
CORPUS="$ROOT/corpus/generated/$NAME"
WORK="$ROOT/.bench/pdf-$NAME"
if [ "$(cat "$CORPUS/truth.jsonl" 2>/dev/null | wc -l)" -ne "$LETTERS" ]; then
    say "generating $LETTERS letters (seed $SEED) in $CORPUS"
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    python3 "$ROOT/corpus/generate.py" --count "$LETTERS" --seed "$SEED" --out "$CORPUS" --jobs 2
fi
mkdir -p "$WORK"
find "$CORPUS/letters" -name '*.txt' | sort >"$WORK/letters.list"
[ "$(wc -l <"$WORK/letters.list")" -eq "$LETTERS" ] || { echo "pdf.sh: $CORPUS is incomplete" >&2; exit 2; }

# render DIR LINES LIST: the text files named in LIST as PDFs of LINES lines a page, once.
render() {
    if [ "$(find "$1" -name '*.pdf' 2>/dev/null | wc -l)" -ne "$(wc -l <"$3")" ]; then
        say "rendering $(wc -l <"$3") files into $1 ($2 lines a page)"
        rm -rf "$1"
        mkdir -p "$1"
        ASAN_OPTIONS=detect_leaks=0 xargs -P 2 -n 200 "$BUILD/txt2pdf" --lines "$2" -o "$1" <"$3"
    fi
}
# mean_pages DIR: the mean page count of (the first 50) PDFs in DIR.
mean_pages() {
    find "$1" -name '*.pdf' | sort | sed -n '1,50p' | xargs -n 1 qpdf --show-npages |
        awk '{s += $1} END {printf "%.1f", s / NR}'
}
render "$WORK/pdf" "$LINES" "$WORK/letters.list"
render "$WORK/pdf-10" 10 "$WORK/letters.list"
# The long letters: whole letters one after another up to LONG_PAGES pages (long_letters.awk).
mkdir -p "$WORK/long-txt"
awk -v k="$LONG" -v max=$((LONG_PAGES * LINES)) -v out="$WORK/long-txt" \
    -f "$ROOT/tests/bench/long_letters.awk" "$WORK/letters.list"
find "$WORK/long-txt" -name 'long-*.txt' | sort -V | sed -n "1,${LONG}p" >"$WORK/long.list"
LONG_DIR="$WORK/long-$LONG_PAGES-$LINES"
[ "$LONG" -eq 0 ] || render "$LONG_DIR" "$LINES" "$WORK/long.list"
pdf_bytes=$(find "$WORK/pdf" -name '*.pdf' -printf '%s\n' | awk '{s += $1} END {print s}')
pages=$(mean_pages "$WORK/pdf")
pages10=$(mean_pages "$WORK/pdf-10")
long_pages=none
if [ "$LONG" -gt 0 ]; then
    long_pages=$(find "$LONG_DIR" -name '*.pdf' | sort -V | xargs -n 1 qpdf --show-npages | paste -sd /)
    echo "$long_pages" | tr / '\n' | awk -v max="$LONG_PAGES" '$1 > max { exit 1 }' ||
        { echo "pdf.sh: a long PDF has more than $LONG_PAGES pages ($long_pages)" >&2; exit 2; }
fi

# timed NAME CMD...: runs CMD under /usr/bin/time; appends "NAME seconds peak-KB" to runs.
timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/$name.err" ||
        { echo "pdf.sh: $name failed:" >&2; tail -n 5 "$WORK/$name.err" >&2; exit 1; }
    echo "$name $(cat "$WORK/time.out")" >>"$WORK/runs"
}
two_step() { # two_step JOBS: pdftotext -layout on every PDF (JOBS at once), then imrindex
    rm -rf "$WORK/txt"
    mkdir -p "$WORK/txt"
    find "$WORK/pdf" -name '*.pdf' -printf '%f\n' | sed 's/\.pdf$//' |
        xargs -P "$1" -I{} pdftotext -layout "$WORK/pdf/{}.pdf" "$WORK/txt/{}.txt"
    rm -f "$WORK/two.db"*
    "$BUILD/imrindex" -q --db "$WORK/two.db" "$WORK/txt"
}
export -f two_step
export WORK BUILD

: >"$WORK/runs"
cores=$(nproc)
for r in $(seq "$REPEAT"); do
    say "round $r of $REPEAT"
    cat "$WORK"/pdf/*.pdf >/dev/null
    rm -f "$WORK/ours.db"*
    timed ours "$BUILD/imrindex" -q --db "$WORK/ours.db" "$WORK/pdf"
    cat "$WORK"/pdf/*.pdf >/dev/null
    rm -f "$WORK/one.db"*
    timed one-core taskset -c 0 "$BUILD/imrindex" -q --db "$WORK/one.db" "$WORK/pdf"
    cat "$WORK"/pdf/*.pdf >/dev/null
    timed two-step bash -c 'two_step 1'
    cat "$WORK"/pdf/*.pdf >/dev/null
    timed two-step-parallel bash -c "two_step $cores"
done
cat "$WORK"/pdf-10/*.pdf >/dev/null
rm -f "$WORK/ours10.db"*
timed ours-10-lines "$BUILD/imrindex" -q --db "$WORK/ours10.db" "$WORK/pdf-10"
long_own=none
if [ "$LONG" -gt 0 ]; then
    cat "$LONG_DIR"/*.pdf >/dev/null
    rm -f "$WORK/long.db"*
    timed ours-long "$BUILD/imrindex" -v --db "$WORK/long.db" "$LONG_DIR"
    # imrindex -v: its own peak (getrusage, the workers apart); /usr/bin/time: the largest of all.
    long_own=$(sed -n 's/.*memory: peak \([0-9.]*\) MB resident.*/\1/p' "$WORK/ours-long.err")
    long_letters=$(sqlite3 "$WORK/long.db" "SELECT count(*) FROM letter")
    long_bytes=$(find "$LONG_DIR" -name '*.pdf' -printf '%s\n' | awk '{s += $1} END {print s}')
fi
items_ours=$(sqlite3 "$WORK/ours.db" "SELECT count(*) FROM item")
items_two=$(sqlite3 "$WORK/two.db" "SELECT count(*) FROM item")
same=$(sqlite3 "$WORK/ours.db" "ATTACH '$WORK/two.db' AS t;
    SELECT count(*) FROM (SELECT l.name, i.ord, i.decision, i.item_type, i.body_region, i.sources
    FROM item i JOIN letter l ON l.id = i.letter_id INTERSECT SELECT l.name, i.ord, i.decision,
    i.item_type, i.body_region, i.sources FROM t.item i JOIN t.letter l ON l.id = i.letter_id)")

python3 - "$WORK/runs" "$LETTERS" "$pdf_bytes" "$pages" "$pages10" "$cores" "$items_ours" \
    "$items_two" "$same" "$LINES" "$LONG" "$LONG_PAGES" "$long_pages" "$long_own" \
    "${long_letters:-0}" "${long_bytes:-0}" <<'PY'
import statistics, sys
(runs, letters, pdf_bytes, pages, pages10, cores, items_ours, items_two, same, lines, long,
 long_max, long_pages, long_own, long_letters, long_bytes) = sys.argv[1:]
letters, pdf_bytes = int(letters), int(pdf_bytes)
t, m = {}, {}
for line in open(runs):
    name, sec, kb = line.split()
    t.setdefault(name, []).append(float(sec))
    m[name] = max(m.get(name, 0), int(kb))
med = {k: statistics.median(v) for k, v in t.items()}
print(f"{letters} generated letters as PDFs, {lines} lines a page (mean {pages} pages), "
      f"{pdf_bytes / 1e6:.1f} MB of PDF; {cores} cores; median of {len(t['ours'])} rounds")
print()
print("| route | wall s | PDF MB/s | letters/s | vs ours | peak RSS MB |")
print("|---|---|---|---|---|---|")
for name, label in [("ours", "imrindex on the PDFs"),
                    ("one-core", "imrindex on the PDFs, one core (taskset -c 0)"),
                    ("two-step", "pdftotext -layout (one at a time) + imrindex"),
                    ("two-step-parallel", f"pdftotext -layout ({cores} at a time) + imrindex")]:
    s = med[name]
    print(f"| {label} | {s:.2f} | {pdf_bytes / 1e6 / s:.2f} | {letters / s:.0f} | "
          f"{s / med['ours']:.2f}x | {m[name] / 1024:.0f} |")
print()
print(f"Both cores against one: {med['one-core'] / med['ours']:.2f}x "
      f"({med['one-core']:.2f} s under taskset -c 0, {cores} workers on the one core).")
print(f"Peak RSS of imrindex on the same letters at 10 lines a page (mean {pages10} pages): "
      f"{m['ours-10-lines'] / 1024:.0f} MB, {t['ours-10-lines'][0]:.2f} s.")
if int(long):
    print(f"Peak RSS of imrindex -v on {long} long PDFs ({long_letters} indexed; whole letters "
          f"one after another up to {long_max} pages; {long_pages} pages; "
          f"{int(long_bytes) / 1e6:.2f} MB): {m['ours-long'] / 1024:.0f} MB of the largest "
          f"process, {float(long_own):.0f} MB of imrindex itself, {t['ours-long'][0]:.2f} s.")
print(f"Items: {items_ours} from the PDFs, {items_two} from pdftotext's text; {same} items "
      f"(letter, position, decision, type, region, sources) the same in both.")
PY
