#!/usr/bin/env bash
# t42_search_facets.sh - imrsearch's facet counts and totals checked against counts computed
# here, independently, with the sqlite3 shell over the item, item_source and letter tables.
# Facet counts leave out the placeholder item of the unparsed letter (item.placeholder = 1) and
# count a letter's item under each of its specialty slugs (letter.specialties).
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 1; }

# The SQL value of each facet for item i of letter l.
declare -A SQL=(
    [type]="i.item_type" [region]="i.body_region" [decision]="i.decision"
    [specialty]="CASE sp.value WHEN '' THEN 'unknown' ELSE sp.value END"
    [year]="CASE l.year WHEN '' THEN 'unknown' ELSE l.year END"
    [source]="s.source" [claims-source]="s.source"
)
from() { # the FROM clause for a facet, restricted to the items of table pick when $1 = 1
    local f=$1 picked=$2 j="FROM item i JOIN letter l ON l.id = i.letter_id"
    [ "$f" = source ] && j="$j JOIN item_source s ON s.item_id = i.id AND s.party = 'maximus'"
    [ "$f" = claims-source ] && j="$j JOIN item_source s ON s.item_id = i.id AND s.party = 'claims'"
    [ "$f" = specialty ] && j="$j JOIN json_each('[\"' || replace(l.specialties, ',', '\",\"') || '\"]') sp"
    [ "$picked" = 1 ] && j="$j JOIN pick p ON p.name = l.name AND p.ord = i.ord"
    printf '%s WHERE i.placeholder = 0' "$j"
}

# check NAME PICKED [imrsearch args...]: every facet, one at a time, as value,count lines.
check() {
    local name=$1 picked=$2
    shift 2
    for f in type region source claims-source decision specialty year; do
        "$IMRSEARCH" --db "$DB" --facets "$f" --format csv "$@" >"$T/got.csv" 2>"$T/err"
        python3 -c 'import csv,sys
for r in list(csv.reader(open(sys.argv[1], newline="")))[1:]:
    if r[0] != "letters": print(r[1] + "|" + r[2])' "$T/got.csv" | sort >"$T/got"
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

# A cross table, region by decision, as region|decision|count lines; the CSV is one table
# (one header, a row per region, no totals row).
"$IMRSEARCH" --db "$DB" --by region --by decision --format csv >"$T/cross.csv"
python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0][0] == "region by decision" and rows[0][-2:] == ["total", "overturn_rate"], rows[0]
for r in rows[1:]:
    assert len(r) == len(rows[0]) and r[0] != "total", r
    if r[0] == "letters left out (no item read)": continue
    for k, v in zip(rows[0][1:-2], r[1:-2]):
        if v != "0": print(r[0] + "|" + k + "|" + v)' "$T/cross.csv" | sort >"$T/got"
sqlite3 "$DB" "SELECT body_region, decision, count(*) FROM item WHERE placeholder = 0 GROUP BY 1, 2;" | sort >"$T/want"
expect_equal_file "region by decision" "$T/got" "$T/want"

# The overturn rate of every row, in every table of text and CSV and in JSON, is SQL's
# overturned / (upheld + overturned) to one decimal, empty or "-" without a decided item;
# rows that are the decisions have none.
rate_sql() { # rate_sql SQL-EXPR [JOIN]: value|rate lines
    sqlite3 "$DB" "SELECT $1, CASE WHEN sum(i.decision IN ('upheld', 'overturned')) = 0 THEN ''
        ELSE printf('%.1f', 100.0 * sum(i.decision = 'overturned')
                           / sum(i.decision IN ('upheld', 'overturned'))) END
        FROM item i JOIN letter l ON l.id = i.letter_id ${2:-} WHERE i.placeholder = 0 GROUP BY 1;" | sort
}
rate_csv() { # rate_csv FILE: value|rate lines of a long or wide CSV table
    python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
for r in rows:
    v = r.get("value", next(iter(r.values())))
    if r.get("facet") == "letters" or v == "letters left out (no item read)": continue
    x = r["overturn_rate"]
    print(v + "|" + ("%.1f" % float(x) if x else ""))' "$1" | sort
}
for f in type region year; do
    "$IMRSEARCH" --db "$DB" --by "$f" --format csv >"$T/rate.csv"
    rate_csv "$T/rate.csv" >"$T/got"
    rate_sql "${SQL[$f]}" >"$T/want"
    expect_equal_file "overturn rate by $f (csv)" "$T/got" "$T/want"
    "$IMRSEARCH" --db "$DB" --by "$f" --by region --format csv >"$T/rate.csv"
    rate_csv "$T/rate.csv" >"$T/got"
    expect_equal_file "overturn rate by $f and region (csv)" "$T/got" "$T/want"
    "$IMRSEARCH" --db "$DB" --by "$f" --format json | python3 -c 'import json,sys
for v in json.load(sys.stdin)["tables"][0]["values"]:
    x = v["overturn_rate"]
    print(v["value"] + "|" + ("" if x is None else "%.1f" % x))' | sort >"$T/got"
    expect_equal_file "overturn rate by $f (json)" "$T/got" "$T/want"
    # Lines 1-4: the header, the letters left out, a blank line, the table's header.
    "$IMRSEARCH" --db "$DB" --by "$f" --by source | awk 'NR > 4 && $1 != "total" && $1 !~ /^\(/ {
        r = $NF; sub(/%$/, "", r); if (r == "-") r = ""; print $1 "|" r }' | sort >"$T/got"
    expect_equal_file "overturn rate by $f and source (text)" "$T/got" "$T/want"
done
rate_sql "s.source" "JOIN item_source s ON s.item_id = i.id AND s.party = 'maximus'" >"$T/want"
"$IMRSEARCH" --db "$DB" --by source --by decision --format csv >"$T/rate.csv"
rate_csv "$T/rate.csv" >"$T/got"
expect_equal_file "overturn rate by source (an item under each of its sources)" "$T/got" "$T/want"
"$IMRSEARCH" --db "$DB" --by decision --format csv >"$T/rate.csv"
expect_equal "no overturn rate for decision rows" "$(rate_csv "$T/rate.csv" | tr '\n' ' ')" \
    "overturned| upheld| "
total=$("$IMRSEARCH" --db "$DB" --by type | awk '$1 == "total" { print $NF }')
want=$(sqlite3 "$DB" "SELECT printf('%.1f%%', 100.0 * sum(decision = 'overturned')
    / sum(decision IN ('upheld', 'overturned'))) FROM item")
expect_equal "overturn rate of the totals (text)" "$total" "$want"

# CSV is one table a file: pandas' and a spreadsheet's reading. A cross table with --facets
# is refused; a table without rows is its header.
"$IMRSEARCH" --db "$DB" --by region --by decision --facets type --format csv >"$T/out" 2>"$T/err"
expect_equal "csv: cross table and --facets [exit]" "$?" 2
expect_equal "csv: cross table and --facets [message]" "$(cat "$T/err")" \
    "imrsearch: --format csv writes one table: a cross table (--by twice) cannot go with --facets; run them apart"
"$IMRSEARCH" --db "$DB" --by region --by decision --format csv dentures >"$T/out"
expect_equal "csv: empty cross table" "$(tr -d '\r' <"$T/out")" "region by decision,total,overturn_rate"
"$IMRSEARCH" --db "$DB" --facets type,region --format csv dentures >"$T/out"
expect_equal "csv: empty facet tables" "$(tr -d '\r' <"$T/out")" "facet,value,count,overturn_rate"
"$IMRSEARCH" --db "$DB" --facets type,region,decision --format csv >"$T/out"
python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
sys.exit(not (rows[0] == ["facet", "value", "count", "overturn_rate"] and all(len(r) == 4 for r in rows) and all(rows)))' "$T/out" \
    && pass || fail "csv: several facets in one long table"

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
