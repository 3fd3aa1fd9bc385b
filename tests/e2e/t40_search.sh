#!/usr/bin/env bash
# t40_search.sh - table-driven search cases over corpus/letters: tests/data/search_cases.txt
# lists a query, imrsearch options and the exact ranked hits expected.
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"

# The format of the cases is described at the top of the file.
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    query=$(printf '%s' "$line" | awk -F' [|] ' '{print $1}')
    opts=$(printf '%s' "$line" | awk -F' [|] ' '{print $2}')
    want=$(printf '%s' "$line" | awk -F' [|] ' '{print $3}')
    # shellcheck disable=SC2086
    "$IMRSEARCH" --db "$DB" --format ids --limit 0 $opts -- "$query" >"$T/ids" 2>"$T/err"
    code=$?
    got=$(awk -F'\t' '{ n = split($1, part, "_"); id = ($1 ~ /^[0-9][0-9][0-9]_/) ? part[1] : part[1] "_" part[2]
        printf "%s%s%s", (NR > 1 ? " " : ""), id, (NF > 1 ? "#" $2 : "") }' "$T/ids")
    [ -z "$got" ] && got="-"
    expect_equal "search [$query] [$opts]" "$got" "$want"
    if [ "$want" = "-" ]; then expect_equal "exit of [$query] [$opts]" "$code" 1
    else expect_equal "exit of [$query] [$opts]" "$code" 0; fi
done <"$GOLDEN/search_cases.txt"

# IMRSEARCH_BM25_WEIGHTS (the benchmark's weight tuning) replaces the item weights when it
# holds four numbers, and is ignored otherwise (the scores say it: the seeds' order of
# "cold unit" is the same either way).
rank() { "$IMRSEARCH" --db "$DB" --format csv --limit 0 -- "cold unit"; }
default=$(rank)
expect_equal "ignored weights" "$(IMRSEARCH_BM25_WEIGHTS=10,4 rank)" "$default"
expect_equal "junk weights" "$(IMRSEARCH_BM25_WEIGHTS=a,b,c,d rank)" "$default"
rationale_only=$(IMRSEARCH_BM25_WEIGHTS=0,10,0,0 rank)
if [ "$rationale_only" != "$default" ]; then pass; else fail "weights from the environment change nothing"; fi
ids() { "$IMRSEARCH" --db "$DB" --format ids --limit 0 -- "cold unit" | sort; }
expect_equal "same items" "$(IMRSEARCH_BM25_WEIGHTS=0,10,0,0 ids)" "$(ids)"

# The command line: a word that begins with '-' is an exclusion, wherever it stands, unless it
# is exactly -n, -f, -h or -V; long options may follow the words.
s() { "$IMRSEARCH" --db "$DB" "$@"; }
expect_equal "exclusion as its own word" "$(s -f ids -n 0 cold -thermocool)" \
    "$(s -f ids -n 0 -- "cold -thermocool")"
expect_equal "exclusion first" "$(s -f ids -n 0 -thermocool cold)" "$(s -f ids -n 0 -- "cold -thermocool")"
expect_equal "-h-wave is a word" "$(s -f ids -n 0 cold -h-wave)" "$(s -f ids -n 0 -- "cold -h-wave")"
expect_equal "-norco is a word" "$(s -f ids -n 0 tramadol -norco cold)" \
    "$(s -f ids -n 0 -- "tramadol -norco cold")"
expect_equal "options after the words" "$(s cold unit -f ids --limit 2)" "$(s -f ids --limit 2 cold unit)"
expect_equal "-n after the words" "$(s cold unit -n 1 -f ids)" "$(s -f ids -n1 cold unit)"
expect_equal "lower-case not" "$(s -f ids -n 0 cold not thermocool)" "$(s -f ids -n 0 -- "cold NOT thermocool")"
expect_equal "decision word" "$(s -f ids -n 0 cold unit upheld)" "$(s -f ids -n 0 --decision upheld cold unit)"

# The reading is shown: a line under the text header, an interpretation object in JSON, and
# --explain prints it without searching (no database needed).
IMRSEARCH_NO_TIMING=1 s -n 1 thermocool upheld >"$T/read.txt"
expect_equal "read as line" "$(sed -n 2p "$T/read.txt")" \
    'read as: thermocool · decision upheld  (--literal or "quotes": words as text)'
s -f json -n 1 cold unit knee denied >"$T/read.json"
got=$(python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["interpretation"]; print(i["text"], [(f["field"], f["value"], f["acts_as"]) for f in i["facets"]])' "$T/read.json")
expect_equal "interpretation" "$got" "cold unit [('region', 'knee', 'facet or text'), ('decision', 'upheld', 'filter')]"
s -f json -n 1 cold unit -knee not denied >"$T/read.json"
got=$(python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["interpretation"]; print(i["text"], [(f["field"], f["value"], f["acts_as"]) for f in i["facets"]])' "$T/read.json")
expect_equal "interpretation of excluded facet words" "$got" "cold unit [('region', 'knee', 'exclusion'), ('decision', 'upheld', 'exclusion')]"
expect_equal "excluded decision word" "$(s -f ids -n 0 cold unit not denied)" "$(s -f ids -n 0 --decision overturned cold unit)"
"$IMRSEARCH" --db "$T/none.db" --explain cold unit knee overturned -thermocool >"$T/explain" 2>&1
expect_equal "explain" "$(cat "$T/explain")" 'query:       cold unit knee overturned -thermocool
read as:     cold unit -thermocool · region knee · decision overturned
text:        cold unit -thermocool
facets:      region knee, from "knee": the item'"'"'s region is knee, or item : "knee"
             decision overturned, from "overturned": a filter, as --decision overturned
item_fts:    (("cold" AND "unit") NOT ("ThermoCool" OR "Thermo Cool")) AND (item : "knee" OR "cold")
letter_fts:  (not searched)
options:     (none)'
expect_equal "no database made" "$(ls "$T/none.db" 2>&1 >/dev/null | wc -l)" 1

finish
