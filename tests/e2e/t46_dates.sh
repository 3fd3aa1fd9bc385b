#!/usr/bin/env bash
# t46_dates.sh - the year of letters that print no decision date (the seeds print none): from
# a case number's CMyy- prefix, a Dated: line or the latest date of the text, stored with its
# source and shown with the letter; --from/--to keep such letters by their year and say how
# many letters they left out for having no date at all.
. "$(dirname "$0")/lib.sh"

L="$IMR_SRC/corpus/letters"
mkdir -p "$T/letters"
# Seed 001 with a case number above it: received in 2013, though its summary runs to 2015.
{ printf 'Case Number: CM13-0012345 \n\n'; cat "$L/001_f6bc1215f6435560.txt"; } >"$T/letters/case.txt"
# Seed 003 with a notice's Dated: line: 2016, though its summary ends in 2014.
{ printf 'Dated: 07/15/2016 \n\n'; cat "$L/003_6d6d2d7886315427.txt"; } >"$T/letters/dated.txt"
# Seed 002 as it is: its latest date is 12/23/2014.
cp "$L/002_916c3e67ea9e97c8.txt" "$T/letters/latest.txt"
# Seed 000 without its one full date ("March 1, 2013"): nothing in it is dated.
sed 's/March 1, 2013/March 2013/' "$L/000_df993e4b537a0a78.txt" >"$T/letters/undated.txt"
DB="$T/d.db"
"$IMRINDEX" --db "$DB" -q "$T/letters" || fail "imrindex"
export IMRSEARCH_DB="$DB" IMRSEARCH_NO_TIMING=1

expect_equal "years and their sources" \
    "$(sqlite3 "$DB" "SELECT name, decision_date, year, year_source FROM letter ORDER BY name")" \
    "case||2013|case-number
dated||2016|dated-line
latest||2014|latest-date
undated|||none"
expect_equal "item years" "$(sqlite3 "$DB" "SELECT DISTINCT l.name, i.year FROM item i JOIN letter l
    ON l.id = i.letter_id ORDER BY l.name")" "case|2013
dated|2016
latest|2014
undated|"

# --from 2013 keeps the letter placed by its case number, and says what it left out.
expect_equal "--from 2013 --to 2013" "$("$IMRSEARCH" --from 2013 --to 2013 --letters --format ids)" "case"
expect_equal "--from 2015: the case number, not the summary's 2015" \
    "$("$IMRSEARCH" --from 2015 --letters --format ids | sort | tr '\n' ' ')" "dated "
expect_equal "--from 2014-06: a bound in the year keeps a letter known by its year" \
    "$("$IMRSEARCH" --from 2014-06 --letters --format ids | sort | tr '\n' ' ')" "dated latest "
"$IMRSEARCH" --from 2013 --limit 1 >"$T/out"
expect_equal "text header" "$(head -n 2 "$T/out")" \
    "4 items in 3 letters match from=2013; item 1 shown
left out: 1 letter with no date (no decision date, nothing else dated)"
expect_equal "hit line" "$(sed -n 4p "$T/out" | sed 's/  [A-Z]*$//')" "  1. case  CM13-0012345  2013 (case-number)"
"$IMRSEARCH" --limit 1 >"$T/out"
expect_equal "no date filter: nothing left out" "$(grep -c '^left out' "$T/out")" "0"
expect_equal "json" "$("$IMRSEARCH" --to 2014 --format json --limit 0 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["total_letters"], d["undated_left_out"], sorted({(h["letter"], h["year"], h["year_source"]) for h in d["hits"]}))')" \
    "2 1 [('case', '2013', 'case-number'), ('latest', '2014', 'latest-date')]"
expect_equal "json without a date filter" \
    "$("$IMRSEARCH" --format json --limit 0 | python3 -c 'import json, sys; print(json.load(sys.stdin)["undated_left_out"])')" "0"
# The counts say it too; the year facet has the undated letter's item as unknown.
"$IMRSEARCH" --to 2030 --by year >"$T/out"
expect_equal "facets header" "$(sed -n 2p "$T/out")" \
    "left out: 1 letter with no date (no decision date, nothing else dated)"
expect_equal "year facet" "$("$IMRSEARCH" --facets year --format csv | tr -d '\r')" "facet,value,count,overturn_rate
year,2013,1,0
year,2014,1,0
year,2016,2,0
year,unknown,1,0"
expect_equal "facets json" "$("$IMRSEARCH" --from 2016 --by year --format json | python3 -c '
import json, sys; d = json.load(sys.stdin); print(d["total_items"], d["undated_left_out"])')" "2 1"
# Nothing dated in range: no items, exit 1, and still the note.
expect_status "--to 2012" 1 "$IMRSEARCH" --to 2012
expect_equal "--to 2012 header" "$(cat "$T/out")" \
    "no items match to=2012
left out: 1 letter with no date (no decision date, nothing else dated)"
# year:YYYY in the query reads the same year.
expect_equal "year:2013" "$("$IMRSEARCH" --letters --format ids -- 'year:2013')" "case"

# The letter view shows the year and where it comes from.
expect_equal "show case" "$("$IMRSEARCH" show case | grep '^year')" "year            2013 (case-number)"
expect_equal "show undated" "$("$IMRSEARCH" show undated | grep '^year')" "year            unknown (none)"
expect_equal "show json" "$("$IMRSEARCH" show dated --format json | python3 -c '
import json, sys; d = json.load(sys.stdin); print(d["year"], d["year_source"])')" "2016 dated-line"

finish
