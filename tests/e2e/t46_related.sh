#!/usr/bin/env bash
# t46_related.sh - when a search's matches are fewer than its page, the items of their kind
# follow them, labelled (imr_results_related(), docs/query-syntax.md "Items of the same kind"):
# the items of the type most matches have, with the facets the query read, that lack some of
# its words. They are never matches: the totals, the facet counts and the exports (csv, ids)
# leave them out, and a query that matches nothing gets none (no false precedents).
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
json() { "$IMRSEARCH" --db "$DB" --format json "$@"; }
# related ARGS...: "total hits related" and, for each related item, "rank type decision matched_in".
related() {
    json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["total_items"], len(d["hits"]), len(d["related"]), d["related_kind"])
for h in d["related"]:
    print(h["rank"], h["item_type"], h["decision"], h["matched_in"])'
}

# One seed item is a Game Ready unit, upheld; five other cold-heat-device items are upheld.
kind=$("$IMRSEARCH" --db "$DB" --format ids --limit 0 --type cold-heat-device --decision upheld | grep -c .)
expect_equal "upheld cold-heat-device items" "$kind" 6
got=$(related game ready upheld)
expect_equal "related: totals, kind" "$(sed -n 1p <<<"$got")" \
    "1 1 5 type cold-heat-device · decision upheld"
expect_equal "related: numbered after the match, of the kind" "$(sed 1d <<<"$got")" \
    "$(for r in 2 3 4 5 6; do echo "$r cold-heat-device upheld related"; done)"
# None of them is a match: none holds "game ready" in its own text.
got=$(json game ready upheld | python3 -c '
import json, sys
print(sum("game ready" in h["item"].lower() for h in json.load(sys.stdin)["related"]))')
expect_equal "related: none has the words" "$got" 0
# The page's limit bounds matches and related items together.
expect_equal "limit 3" "$(related --limit 3 game ready upheld | sed -n 1p)" \
    "1 1 2 type cold-heat-device · decision upheld"

# Text: the matches' header counts the matches; the related items come under their own line.
out=$("$IMRSEARCH" --db "$DB" --no-color game ready upheld)
expect_equal "text header" "$(sed -n 1p <<<"$out" | sed 's/ ([0-9]* ms)//')" \
    '1 item in 1 letter matches "game ready upheld"'
expect_equal "text label" "$(grep -A1 'of the same kind' <<<"$out")" \
    "  5 more items of the same kind, without every word (newest first; --no-related hides them):
  type cold-heat-device · decision upheld"
expect_equal "text numbering" "$(grep -oE '^ +[0-9]+\. ' <<<"$out" | tr -d ' .' | tr '\n' ' ')" "1 2 3 4 5 6 "
# jsonl: the matches, then the related items, each saying which it is.
expect_equal "jsonl" "$("$IMRSEARCH" --db "$DB" --format jsonl game ready upheld |
    python3 -c 'import json,sys; print(" ".join(json.loads(l)["matched_in"] for l in sys.stdin))')" \
    "item related related related related related"

# Never in exports, counts, later pages, letter groups, nor with --no-related.
expect_equal "csv" "$("$IMRSEARCH" --db "$DB" --format csv game ready upheld | tail -n +2 | grep -c .)" 1
expect_equal "ids" "$("$IMRSEARCH" --db "$DB" --format ids game ready upheld | grep -c .)" 1
got=$("$IMRSEARCH" --db "$DB" --format json --by decision game ready upheld |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["tables"][0]["total"])')
expect_equal "facet counts" "$got" 1
expect_equal "--no-related" "$(related --no-related game ready upheld)" "1 1 0 None"
expect_equal "offset" "$(related --offset 1 thermocool | sed -n 1p)" "2 1 0 None"
expect_equal "limit 0 (an export)" "$(related --limit 0 game ready upheld)" "1 1 0 None"
expect_equal "letters" "$(json --letters game ready upheld | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["related"]))')" 0
# A query with an exclusion, or two values of one facet, has no single kind to follow.
expect_equal "exclusion" "$(related game ready upheld -lumbar | sed -n 1p)" "1 1 0 None"
# A full page has no room; a page of all the matches of a type lists the rest of it.
expect_equal "full page" "$(related --limit 2 thermocool | sed -n 1p)" "2 2 0 None"
expect_equal "two matches" "$(related thermocool | sed -n 1p)" "2 2 5 type cold-heat-device"

# No false precedent: a query that matches nothing lists nothing of any kind.
expect_status "thermocool overturned" 1 "$IMRSEARCH" --db "$DB" thermocool overturned
expect_status "--decision overturned thermocool" 1 "$IMRSEARCH" --db "$DB" --decision overturned thermocool
# The related items keep the options' filters: the ODG ones of the five.
got=$(json --source odg game ready upheld | python3 -c '
import json, sys
print(" ".join(h["letter"][:3] + ":" + ",".join(h["guideline_source"]) for h in json.load(sys.stdin)["related"]))')
expect_equal "options kept" "$got" "003:odg 004:odg"
finish
