#!/usr/bin/env bash
# t38_encodings.sh - letters in the encodings real files come in: Windows-1252 beside UTF-8 in
# one file, UTF-16 with a byte order mark; every word stays findable.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
B="$T/in"
mkdir -p "$B"
src="$IMR_SRC/corpus/letters/000_df993e4b537a0a78.txt"

# A Latin-1 n-tilde (one byte) and a UTF-8 fi ligature (three bytes) in one letter.
sed -e 's/The patient is a 54-year-old female/The patient, Ms. Pe\xf1a, is a signi\xef\xac\x81cant 54-year-old female/' \
    "$src" >"$B/mixed.txt"
grep -q 'Pe.a' "$B/mixed.txt" || fail "the mixed letter was not made"
# UTF-16, little- and big-endian, each with its byte order mark.
sed 's/54-year-old female/54-year-old caf\xc3\xa9 owner/' "$src" | iconv -f UTF-8 -t UTF-16LE |
    { printf '\377\376'; cat; } >"$B/wide_le.txt"
sed 's/54-year-old female/54-year-old tambourine player/' "$src" | iconv -f UTF-8 -t UTF-16BE |
    { printf '\376\377'; cat; } >"$B/wide_be.txt"

db="$T/imr.db"
expect_status "index" 0 "$IMRINDEX" --db "$db" -q "$B"
ids() { "$IMRSEARCH" --db "$db" --format ids --limit 0 -- "$@" | cut -f1 | sort -u | tr '\n' ' '; }
expect_equal "ligature word beside a Latin-1 byte" "$(ids summary:significant)" "mixed "
expect_equal "the Latin-1 word" "$(ids 'summary:Peña')" "mixed "
expect_equal "the Latin-1 word, unaccented" "$(ids 'summary:pena')" "mixed "
expect_equal "UTF-16LE" "$(ids 'summary:café')" "wide_le "
expect_equal "UTF-16BE" "$(ids 'summary:tambourine')" "wide_be "
# The stored text is UTF-8, the mixed letter marked as not UTF-8 throughout.
expect_equal "warnings" "$(sql "$db" "SELECT name || ':' || warnings FROM letter ORDER BY name;" | tr '\n' ' ')" \
    "mixed:1 wide_be:0 wide_le:0 "
expect_equal "text" "$(sql "$db" "SELECT instr(text, 'Ms. Peña, is a significant') > 0 FROM letter WHERE name = 'mixed';")" 1
check_integrity "encodings" "$db"

# A byte that no encoding reads is named, with -v and at the end of the run.
sed 's/54-year-old female/54-year-old fe\x81male/' "$src" >"$T/odd.txt"
expect_status "unreadable byte" 0 "$IMRINDEX" --db "$T/odd.db" -v "$T/odd.txt"
sed -n "s|$T|T|g; /odd.txt/p; /^encoding/p" "$T/err" >"$T/got"
cat >"$T/want" <<'WANT'
T/odd.txt: indexed, layout 1, 1 item; bytes not UTF-8, read as Windows-1252; bytes that no encoding reads, shown as U+FFFD
encoding: 1 letter with bytes that no encoding reads (shown as U+FFFD)
  T/odd.txt: bytes that no encoding reads, shown as U+FFFD
WANT
expect_equal_file "unreadable byte named" "$T/got" "$T/want"
expect_equal "its warnings" "$(sql "$T/odd.db" "SELECT warnings FROM letter;")" 17
finish
