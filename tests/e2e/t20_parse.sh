#!/usr/bin/env bash
# t20_parse.sh - the letter parser over every letter of corpus/letters/: layout, parse status,
# header fields, items, decisions and facets compared with tests/data/parse/<name>.expected
# (written by imr_parsedump; regenerate with IMR_UPDATE_GOLDEN=1 and read the diff).
. "$(dirname "$0")/lib.sh"

# tests/data/parse/letters/ holds letters written for the parser alone (layout variants,
# malformed letters), kept out of corpus/letters so that the search goldens do not depend on
# them.
DUMP="$IMR_BUILD/imr_parsedump"
for letter in "$IMR_SRC"/corpus/letters/*.txt "$GOLDEN"/parse/letters/*.txt; do
    name=$(basename "$letter" .txt)
    "$DUMP" "$letter" >"$T/$name.out" 2>&1
    update_or_compare "parse $name" "$T/$name.out" "$GOLDEN/parse/$name.expected"
done

# Every golden file belongs to a letter that still exists.
for want in "$GOLDEN"/parse/*.expected; do
    name=$(basename "$want" .expected)
    if [ -f "$IMR_SRC/corpus/letters/$name.txt" ] || [ -f "$GOLDEN/parse/letters/$name.txt" ]
    then pass; else fail "stale golden $name"; fi
done

# Files that are not letter text are refused with a one-line reason.
printf '' >"$T/empty.txt"
printf '  \r\n\n \n' >"$T/blank.txt"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n' >"$T/scan.txt"
printf 'CLINICAL CASE SUMMARY\n\0\0\0\n' >"$T/nul.txt"
head -c 600 /dev/zero | tr '\0' '\001' >"$T/ctrl.txt"
"$DUMP" "$T/empty.txt" "$T/blank.txt" "$T/scan.txt" "$T/nul.txt" "$T/ctrl.txt" >"$T/errors.out"
cat >"$T/errors.want" <<'WANT'
== empty.txt
error: empty file
== blank.txt
error: empty file
== scan.txt
error: a PDF, not text (imrindex reads its text)
== nul.txt
error: binary file (NUL bytes)
== ctrl.txt
error: binary file (control characters)
WANT
expect_equal_file "refused inputs" "$T/errors.out" "$T/errors.want"

# The dictionaries are data: an edited copy in $IMRSEARCH_DICT_DIR is used instead of the
# compiled-in one, and a mistake in it is reported with its file and line.
mkdir "$T/dict"
cp "$IMR_SRC"/indexer/dict/*.txt "$T/dict/"
printf 'thermocool | traction\n' | cat - "$IMR_SRC/indexer/dict/item_types.txt" >"$T/dict/item_types.txt"
IMRSEARCH_DICT_DIR="$T/dict" "$DUMP" "$IMR_SRC/corpus/letters/003_6d6d2d7886315427.txt" >"$T/dict.out"
got=$(grep -m1 "item_type" "$T/dict.out" | tr -d ' ')
expect_equal "edited dictionary is read" "$got" "item_type:traction"
printf 'hot cold | cold-device\n' >>"$T/dict/item_types.txt"
IMRSEARCH_DICT_DIR="$T/dict" "$DUMP" "$IMR_SRC/corpus/letters/000_df993e4b537a0a78.txt" >"$T/bad.out"
n=$(wc -l <"$IMR_SRC/indexer/dict/item_types.txt")
expect_equal "bad dictionary line" "$(sed -n 2p "$T/bad.out")" \
    "error: dictionary: item_types.txt:$((n + 2)): unknown item type \"cold-device\""

finish
