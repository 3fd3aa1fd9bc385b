#!/usr/bin/env bash
# t42_search_facets.sh - imrsearch's facet counts and totals checked against counts computed
# here, independently, with the sqlite3 shell over the item, item_source and letter tables.
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 1; }

# The SQL value of each facet for item i of letter l.
declare -A SQL=(
    [type]="i.item_type" [region]="i.body_region" [decision]="i.decision"
    [specialty]="CASE l.specialty WHEN '' THEN 'unknown' ELSE l.specialty END"
    [year]="CASE l.decision_date WHEN '' THEN 'unknown' ELSE substr(l.decision_date, 1, 4) END"
    [source]="s.source" [claims-source]="s.source"
)
from() { # the FROM clause for a facet, restricted to the items of table pick when $1 = 1
    local f=$1 picked=$2 j="FROM item i JOIN letter l ON l.id = i.letter_id"
    [ "$f" = source ] && j="$j JOIN item_source s ON s.item_id = i.id AND s.party = 'maximus'"
    [ "$f" = claims-source ] && j="$j JOIN item_source s ON s.item_id = i.id AND s.party = 'claims'"
    [ "$picked" = 1 ] && j="$j JOIN pick p ON p.name = l.name AND p.ord = i.ord"
    printf '%s' "$j"
}

# check NAME PICKED [imrsearch args...]: every facet, one at a time, as value,count lines.
check() {
    local name=$1 picked=$2
    shift 2
    for f in type region source claims-source decision specialty year; do
        "$IMRSEARCH" --db "$DB" --facets "$f" --format csv "$@" >"$T/got.csv" 2>"$T/err"
        python3 -c 'import csv,sys
for r in list(csv.reader(open(sys.argv[1], newline="")))[1:]: print(r[1] + "|" + r[2])' "$T/got.csv" | sort >"$T/got"
        sqlite3 "$DB" "$(cat "$T/pick.sql" 2>/dev/null)
            SELECT ${SQL[$f]}, count(*) $(from "$f" "$picked") GROUP BY 1;" | sort >"$T/want"
        expect_equal_file "$name: $f" "$T/got" "$T/want"
    done
}

# The whole database.
rm -f "$T/pick.sql"
check "all items" 0

# A query: the items imrsearch lists for it matched in their own text (facet counts leave out
# the hits of the wider pass, matched in their letter), counted by SQL.
pick() { # pick QUERY [args...]: writes the SQL that makes table pick of the listed items
    "$IMRSEARCH" --db "$DB" --format jsonl --limit 0 "$@" 2>/dev/null | python3 -c 'import json,sys
for line in sys.stdin:
    h = json.loads(line)
    if h["matched_in"] == "item": print(h["letter"] + "\t" + str(h["item_number"]))' >"$T/ids"
    { echo "CREATE TEMP TABLE pick(name, ord);"
      awk -F'\t' '{printf "INSERT INTO pick VALUES(%c%s%c, %d);\n", 39, $1, 39, $2}' "$T/ids"; } >"$T/pick.sql"
}
pick cryotherapy
check "cryotherapy" 1 cryotherapy
pick --decision upheld hot cold
check "hot cold, upheld" 1 --decision upheld hot cold
pick --type cold-heat-device,traction
check "two types" 1 --type cold-heat-device,traction

# A cross table, region by decision, as region|decision|count lines.
"$IMRSEARCH" --db "$DB" --by region --by decision --format csv >"$T/cross.csv"
python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
for r in rows[1:]:
    if r[0] == "total": continue
    for k, v in zip(rows[0][1:-1], r[1:-1]):
        if v != "0": print(r[0] + "|" + k + "|" + v)' "$T/cross.csv" | sort >"$T/got"
sqlite3 "$DB" "SELECT body_region, decision, count(*) FROM item GROUP BY 1, 2;" | sort >"$T/want"
expect_equal_file "region by decision" "$T/got" "$T/want"

# Totals: stats and the header of a facet count.
"$IMRSEARCH" --db "$DB" stats --format json >"$T/stats.json"
got=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["letters"], s["items"], s["complete"] + s["partial"] + s["unparsed"])' "$T/stats.json")
want=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM letter), (SELECT count(*) FROM item), (SELECT count(*) FROM letter);" | tr '|' ' ')
expect_equal "stats totals" "$got" "$want"
"$IMRSEARCH" --db "$DB" --facets decision --format json cryotherapy >"$T/f.json"
pick cryotherapy
got=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["total_items"], s["total_letters"])' "$T/f.json")
want=$(sqlite3 "$DB" "$(cat "$T/pick.sql") SELECT count(*), count(DISTINCT name) FROM pick;" | tr '|' ' ')
expect_equal "facet totals" "$got" "$want"

finish
