#!/usr/bin/env bash
# t41_search_output.sh - golden outputs of every imrsearch printer (text, json, jsonl, csv,
# ids; hits, letters, facet tables, cross tables, stats, a whole letter) over corpus/letters,
# and the validity of the JSON and CSV they write.
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
export IMRSEARCH_NO_TIMING=1
G="$GOLDEN/search"

# golden NAME ARGS...: runs imrsearch ARGS and compares stdout with search/NAME.golden.
golden() {
    local name=$1
    shift
    "$IMRSEARCH" --db "$DB" "$@" >"$T/$name.raw" 2>"$T/$name.err"
    # Letter paths are stored absolute: make them independent of the checkout.
    sed "s|$IMR_SRC/|SRC/|g" "$T/$name.raw" >"$T/$name.out"
    update_or_compare "$name" "$T/$name.out" "$G/$name.golden"
}

golden text continuous flow cryotherapy
golden text_letters --letters thermocool
golden text_filters --decision upheld --region lumbar,cervical --limit 2 hot cold unit
golden text_page --limit 2 --offset 1 thermocool
golden text_nomatch dentures
golden text_listing --source aetna
golden text_unparsed --layout 0,3 --limit 0
golden json --format json --limit 3 continuous flow cryotherapy
golden json_letters --format json --letters --limit 1 thermocool
golden jsonl --format jsonl --limit 2 thermocool
golden csv --format csv --limit 0 thermocool
golden ids --format ids --limit 0 cryotherapy
golden ids_letters --format ids --letters cryotherapy
golden show show 004 thermocool cryotherapy
golden show_json show 000 --format json hot
golden facets --facets type,region,source,decision,specialty,year
golden facets_query --facets decision,source cryotherapy
golden cross --by region --by decision
golden cross_source --by source --by decision --type cold-heat-device
golden facets_csv --facets decision,source --by region --format csv
golden cross_csv --by region --by decision --format csv
golden facets_json --facets region --by region --by decision --format json cryotherapy
golden stats stats
golden stats_json stats --format json
golden stats_csv stats --format csv

# The JSON parses and has the documented fields; the CSV reads back as RFC 4180.
for f in json json_letters show_json facets_json stats_json; do
    if python3 -m json.tool "$T/$f.out" >/dev/null 2>&1; then pass; else fail "$f is not JSON"; fi
done
while IFS= read -r line; do
    if printf '%s' "$line" | python3 -m json.tool >/dev/null 2>&1; then pass; else fail "jsonl line"; fi
done <"$T/jsonl.out"
fields=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hits"][0].keys()))' "$T/json.out")
expect_equal "json fields" "$fields" \
    "rank letter path case_number decision_date year year_source item_number item decision item_type body_region guideline_source citation partial score matched_in snippet page"
rows=$(python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); print(len(r), len(set(map(len, r))))' "$T/csv.out")
expect_equal "csv rows and widths" "$rows" "3 1"

# An export is the header's total: as many CSV rows as the JSON total, for every query; and
# the totals are the same on every page, with scores that never rise down the list.
for q in "cold unit" "thermocool" "cryotherapy shoulder" "hot cold unit" "overturned" "lumbar -knee"; do
    "$IMRSEARCH" --db "$DB" --format csv --limit 0 -- "$q" >"$T/all.csv"
    rows=$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], newline="")))) - 1)' "$T/all.csv")
    totals=""
    for off in 0 1 2 3; do
        "$IMRSEARCH" --db "$DB" --format json --limit 2 --offset "$off" -- "$q" >"$T/page.json"
        totals="$totals $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total_items"])' "$T/page.json")"
    done
    first=${totals# }
    first=${first%% *}
    expect_equal "total on every page [$q]" "$totals" " $first $first $first $first"
    expect_equal "export rows = total [$q]" "$rows" "$first"
    python3 -c 'import csv,sys
r = list(csv.DictReader(open(sys.argv[1], newline="")))
s = [float(x["score"]) for x in r]
sys.exit(any(b > a for a, b in zip(s, s[1:])))' "$T/all.csv" && pass || fail "scores never rise [$q]"
done

# A long page makes its snippets in one pass over the matches (search.c), a short one by a
# lookup per hit: both give the same hits, snippets and pages. 300 generated letters give
# pages longer than the pass's threshold (32 hits).
python3 "$IMR_SRC/corpus/generate.py" --count 300 --seed 3 --out "$T/gen" >/dev/null 2>&1 ||
    fail "generate.py 300 letters"
"$IMRINDEX" --db "$T/gen.db" -q "$T/gen" || fail "imrindex 300 letters"
for q in "therapy" "mri OR norco OR tens" "pain"; do
    "$IMRSEARCH" --db "$T/gen.db" --format csv --limit 96 -- "$q" >"$T/long.csv"
    : >"$T/short.csv"
    for off in 0 24 48 72; do
        "$IMRSEARCH" --db "$T/gen.db" --format csv --limit 24 --offset $off -- "$q" |
            if [ $off = 0 ]; then cat; else sed 1d; fi >>"$T/short.csv"
    done
    expect_equal "long page has its hits [$q]" "$(($(wc -l <"$T/long.csv") > 40))" 1
    expect_equal_file "one pass = lookups [$q]" "$T/long.csv" "$T/short.csv"
done

# Colour only on a terminal, never with NO_COLOR or --no-color.
# on_tty OUT COMMAND...: runs COMMAND with its output on a pseudo-terminal, saved into OUT.
on_tty() {
    python3 - "$@" <<'PY'
import os, subprocess, sys
master, slave = os.openpty()
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        data = os.read(master, 65536)
    except OSError:  # EIO: the command closed the terminal
        break
    if not data:
        break
    out += data
child.wait()
open(sys.argv[1], "wb").write(out)
PY
}
TERM=xterm NO_COLOR= on_tty "$T/tty.out" "$IMRSEARCH" --db "$DB" --limit 2 thermocool
if grep -q $'\033\\[1;33m' "$T/tty.out" && grep -q $'\033\\[1;31mUPHELD' "$T/tty.out"; then pass; else fail "colour on a terminal"; cat -A "$T/tty.out" >&2; fi
TERM=xterm NO_COLOR= on_tty "$T/tty2.out" "$IMRSEARCH" --db "$DB" --no-color --limit 2 thermocool
if grep -q $'\033' "$T/tty2.out"; then fail "--no-color on a terminal"; else pass; fi
TERM=xterm NO_COLOR=1 on_tty "$T/tty3.out" "$IMRSEARCH" --db "$DB" --limit 2 thermocool
if grep -q $'\033' "$T/tty3.out"; then fail "NO_COLOR on a terminal"; else pass; fi
if grep -q $'\033' "$T/text.out"; then fail "colour in a pipe"; else pass; fi

finish
