#!/usr/bin/env bash
# t49_placeholders.sh - the pseudo-item of a letter no item was read from (the unparsed
# u_001_ur_notice: type other, region unspecified, source none, decision unknown) is left out
# of every facet table and total, and each output says how many letters were left out; the
# letter is still found by its text.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/one" "$T/two"
cp "$IMR_SRC/corpus/letters/u_001_ur_notice.txt" "$IMR_SRC/corpus/letters/l2_001_mri_knee.txt" "$T/two/"
cp "$IMR_SRC/corpus/letters/l2_001_mri_knee.txt" "$T/one/"
"$IMRINDEX" --db "$T/two.db" -q "$T/two" || fail "imrindex two"
"$IMRINDEX" --db "$T/one.db" -q "$T/one" || fail "imrindex one"
export IMRSEARCH_NO_TIMING=1
expect_equal "the unparsed letter's placeholder" \
    "$(sqlite3 "$T/two.db" "SELECT l.parse, i.placeholder, i.item_type, i.body_region, i.decision
        FROM item i JOIN letter l ON l.id = i.letter_id WHERE l.name = 'u_001_ur_notice'")" \
    "unparsed|1|other|unspecified|unknown"

# Every facet counts as if the unparsed letter were not there.
for f in type region source claims-source decision specialty year; do
    "$IMRSEARCH" --db "$T/two.db" --by "$f" --format csv | tr -d '\r' | grep -v '^letters,' >"$T/got"
    "$IMRSEARCH" --db "$T/one.db" --by "$f" --format csv | tr -d '\r' >"$T/want"
    expect_equal_file "--by $f leaves the placeholder out" "$T/got" "$T/want"
done
"$IMRSEARCH" --db "$T/two.db" --by type --by decision --format csv | tr -d '\r' | grep -v '^letters ' >"$T/got"
"$IMRSEARCH" --db "$T/one.db" --by type --by decision --format csv | tr -d '\r' >"$T/want"
expect_equal_file "cross table leaves the placeholder out" "$T/got" "$T/want"

# ... and says so, in every format.
"$IMRSEARCH" --db "$T/two.db" --by type >"$T/got"
sed -n 1,2p "$T/got" >"$T/head"
printf '%s\n' "1 item in 1 letter" \
    "left out: 1 letter no item was read from (unparsed); its text is still searched" >"$T/want"
expect_equal_file "text says it" "$T/head" "$T/want"
expect_equal "text: not said when nothing is left out" \
    "$("$IMRSEARCH" --db "$T/one.db" --by type | grep -c '^left out')" 0
expect_equal "csv says it" "$("$IMRSEARCH" --db "$T/two.db" --by type --format csv | tr -d '\r' | tail -n 1)" \
    "letters,left out (no item read),1,"
expect_equal "csv cross table says it" \
    "$("$IMRSEARCH" --db "$T/two.db" --by type --by decision --format csv | tr -d '\r' | tail -n 1)" \
    "letters left out (no item read),,1,"
expect_equal "json says it" "$("$IMRSEARCH" --db "$T/two.db" --by type --format json | python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["total_items"], d["total_letters"], d["left_out_letters"])')" "1 1 1"
expect_equal "stats says it" "$("$IMRSEARCH" --db "$T/two.db" stats --format json | python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["unparsed"], d["left_out_letters"], d["tables"][0]["total"])')" "1 1 1"
# A query that matches only the unparsed letter: no item counted, one letter left out.
"$IMRSEARCH" --db "$T/two.db" --by type --format json 'summary:"physician advisor"' | python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["total_items"], d["left_out_letters"])' >"$T/got"
echo "0 1" >"$T/want"
expect_equal_file "a query's count leaves it out too" "$T/got" "$T/want"

# Still searchable by its text (the whole of it is the letter's summary).
"$IMRSEARCH" --db "$T/two.db" --format ids --limit 0 'summary:"physician advisor"' | cut -f1 >"$T/got"
echo "u_001_ur_notice" >"$T/want"
expect_equal_file "searchable by text" "$T/got" "$T/want"
finish
