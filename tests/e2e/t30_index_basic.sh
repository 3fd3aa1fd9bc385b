#!/usr/bin/env bash
# imrindex over the bundled letters: rows, index, summary, database location.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
# The five real seed letters, copied: corpus/letters also holds the parser's test letters.
L="$T/seeds"
mkdir -p "$L"
cp "$IMR_SRC"/corpus/letters/00[0-4]_*.txt "$L/"

# A --db whose folders do not exist yet: created.
db="$T/new/sub/imr.db"
expect_status "index letters" 0 "$IMRINDEX" --db "$db" "$L"
expect_equal "db created" "$([ -f "$db" ] && echo yes)" yes
expect_equal "counts" "$(counts "$db")" "5 7 $(sql "$db" 'SELECT count(*) FROM item_source;')"
expect_equal "summary" "$(summary "$T/err")" "5 indexed (5 new, 0 changed), 0 unchanged, 0 skipped; 7 items
by layout: 1: 5, 2: 0, 3: 0, unknown: 0; partial: 0, unparsed: 0"
expect_equal "last line" "$(tail -n 1 "$T/err" | sed "s/[0-9][0-9.]*/N/g")" "read N MB in N s (N MB/s)"
expect_equal "nothing on stdout" "$(cat "$T/out")" ""
check_integrity "fresh" "$db"

# Letter ids are file stems, paths are absolute.
expect_equal "names" "$(sql "$db" 'SELECT name FROM letter ORDER BY id;' | tr '\n' ' ')" \
    "000_df993e4b537a0a78 001_f6bc1215f6435560 002_916c3e67ea9e97c8 003_6d6d2d7886315427 004_86369982a4019b49 "
expect_equal "paths" "$(sql "$db" "SELECT path FROM letter WHERE name = '004_86369982a4019b49';")" \
    "$L/004_86369982a4019b49.txt"
expect_equal "hash" "$(sql "$db" "SELECT length(hash), size FROM letter WHERE id = 1;")" \
    "16|$(wc -c <"$L/000_df993e4b537a0a78.txt")"
expect_equal "schema version" "$(sql "$db" 'PRAGMA user_version; PRAGMA application_id;' | tr '\n' ' ')" \
    "7 1229804115 "

# The FTS index finds items, and snippets come from the stored text.
expect_equal "thermocool" "$(matches "$db" thermocool | tr "\n" " ")" "003_6d6d2d7886315427 004_86369982a4019b49 "
snip=$(sql "$db" "SELECT snippet(item_fts, -1, '[', ']', '', 4) FROM item_fts
                  WHERE item_fts MATCH 'thermocool' LIMIT 1;")
case "$snip" in *"[THERMOCOOL]"* | *"[ThermoCool]"*) pass ;; *) fail "snippet: $snip" ;; esac
expect_equal "item_doc text" "$(sql "$db" "SELECT count(*) FROM item_doc d JOIN item i ON i.id = d.id
    WHERE length(CAST(d.item AS BLOB)) = i.text_len;")" 7

# The default location: $IMRSEARCH_DB, else $XDG_DATA_HOME, else $HOME/.local/share.
( cd / && "$IMRINDEX" -q "$L/000_df993e4b537a0a78.txt" ) 2>"$T/err"
expect_equal "IMRSEARCH_DB" "$(counts "$IMRSEARCH_DB" | cut -d' ' -f1)" 1
( unset IMRSEARCH_DB; export XDG_DATA_HOME="$T/xdg"; "$IMRINDEX" -q "$L" )
expect_equal "XDG_DATA_HOME" "$(counts "$T/xdg/imrsearch/imr.db" | cut -d' ' -f1)" 5
( unset IMRSEARCH_DB XDG_DATA_HOME; export HOME="$T/home"; "$IMRINDEX" -q "$L" )
expect_equal "HOME" "$(counts "$T/home/.local/share/imrsearch/imr.db" | cut -d' ' -f1)" 5

# Paths from standard input, '-', mixed with a path argument.
printf '%s\n' "$L/001_f6bc1215f6435560.txt" "" "$L/002_916c3e67ea9e97c8.txt" |
    "$IMRINDEX" --db "$T/stdin.db" - "$L/003_6d6d2d7886315427.txt" 2>"$T/err"
expect_equal "stdin list" "$(counts "$T/stdin.db" | cut -d' ' -f1,2)" "3 4"

# --quiet prints nothing; off a terminal there is no progress line.
expect_status "quiet" 0 "$IMRINDEX" --db "$T/q.db" --quiet "$L"
expect_equal "quiet stderr" "$(cat "$T/err")" ""
"$IMRINDEX" --db "$T/p.db" "$L" 2>"$T/err"
expect_equal "no progress off a terminal" "$(grep -c $'\r' "$T/err")" 0

# --verbose: one line per letter.
"$IMRINDEX" --db "$T/v.db" --verbose "$L" 2>"$T/err"
expect_equal "verbose" "$(grep -c ': indexed, layout 1, ' "$T/err")" 5

# All the bundled letters: every layout counted; --verbose names the partial and unparsed ones.
"$IMRINDEX" --db "$T/all.db" --verbose "$IMR_SRC/corpus/letters" 2>"$T/err"
n_files=$(ls "$IMR_SRC"/corpus/letters/*.txt | wc -l)
expect_equal "all letters" "$(sql "$T/all.db" 'SELECT count(*) FROM letter;')" "$n_files"
expect_equal "summary by layout" "$(sed -n 's/^by layout: .*; partial: \([0-9]*\), unparsed: \([0-9]*\)$/\1 \2/p' "$T/err")" \
    "$(sql "$T/all.db" "SELECT sum(parse = 'partial') || ' ' || sum(parse = 'unparsed') FROM letter;")"
for layout in 1 2 3 0; do
    want=$(sql "$T/all.db" "SELECT count(*) FROM letter WHERE layout = $layout;")
    name=$layout
    [ "$layout" = 0 ] && name=unknown
    grep -q "^by layout: .*\b$name: $want\b" "$T/err" && pass || fail "layout $name count"
done
expect_equal "partial letters named" "$(grep -c 'items*, partial: ' "$T/err")" \
    "$(sql "$T/all.db" "SELECT count(*) FROM letter WHERE parse = 'partial';")"
expect_equal "unparsed letter named" "$(grep -c 'items*, unparsed: ' "$T/err")" \
    "$(sql "$T/all.db" "SELECT count(*) FROM letter WHERE parse = 'unparsed';")"
grep -q "u_001_ur_notice.txt: indexed, layout unknown, 1 item, unparsed: " "$T/err" && pass ||
    fail "unknown layout line"
finish
