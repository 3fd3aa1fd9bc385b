#!/usr/bin/env bash
# t64_damaged.sh - tampered databases: a letter's text or an item's spans changed under the
# full-text index give a clear line and exit 3, never an out-of-bounds read (this suite runs
# under ASan in CI, where such a read aborts the search).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
export IMRSEARCH_NO_TIMING=1

CLEAN="$T/clean.db"
"$IMRINDEX" --db "$CLEAN" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"

# tampered NAME SQL: a copy of the clean database with SQL applied, in $T/NAME.db.
tampered() {
    cp "$CLEAN" "$T/$1.db"
    sql "$T/$1.db" "$2" || fail "$1: tampering"
}

# The index says the items have tokens; their text has none, or other bytes.
inconsistent() {
    echo "imrsearch: $T/$1.db: making a snippet: database inconsistent: the full-text index does not match the letters' text; run imrindex --rebuild --db $T/$1.db"
}
tampered blank "UPDATE letter SET text = printf('%.*c', length(CAST(text AS BLOB)), ' ');"
error "blank text" 3 "$(inconsistent blank)" --db "$T/blank.db" cryotherapy
for span in "rationale_off = 1000000000" "rationale_off = -50" "rationale_len = -100" \
    "rationale_len = 0" "text_len = 0"; do
    name=span$((${n_span:-0} + 1)) n_span=$((${n_span:-0} + 1))
    tampered "$name" "UPDATE item SET $span;"
    error "$span" 3 "$(inconsistent "$name")" --db "$T/$name.db" cryotherapy
done

# Damaged schemas: each search and each imrindex run names the damage and what to do (exit 3,
# the database untouched); imrindex --check lists it; --rebuild repairs whatever is derived from
# the letters' text, after which --check is ok and a search finds what the clean one finds.
"$IMRSEARCH" --db "$CLEAN" --format ids --limit 0 cryotherapy >"$T/want.ids"
rebuild="run imrindex --rebuild --db"
n=0
while IFS='|' read -r what problem; do
    n=$((n + 1))
    db="$T/d$n.db"
    cp "$CLEAN" "$db"
    sql "$db" "$what" || fail "$what: tampering"
    error "$what: search" 3 "imrsearch: $db: damaged: $problem; $rebuild $db" --db "$db" cryotherapy
    before=$(sha256sum <"$db")
    expect_status "$what: index" 3 "$IMRINDEX" --db "$db" -q "$IMR_SRC/corpus/letters"
    expect_equal "$what: index message" "$(cat "$T/err")" "imrindex: $db: damaged: $problem; $rebuild $db"
    expect_equal "$what: untouched" "$(sha256sum <"$db")" "$before"
    expect_status "$what: check" 3 "$IMRINDEX" --db "$db" --check
    expect_equal "$what: check lines" "$(cat "$T/err")" "imrindex: $db: $problem
imrindex: $db: 1 problem; $rebuild $db"
    expect_status "$what: rebuild" 0 "$IMRINDEX" --db "$db" --rebuild
    expect_status "$what: check after" 0 "$IMRINDEX" --db "$db" --check
    expect_equal "$what: check after line" "$(cat "$T/err")" "imrindex: $db: ok"
    "$IMRSEARCH" --db "$db" --format ids --limit 0 cryotherapy >"$T/got.ids"
    expect_equal_file "$what: search after" "$T/got.ids" "$T/want.ids"
done <<'CASES'
DROP TABLE item_fts_config;|the full-text table item_fts has lost its table item_fts_config
DROP TABLE letter_fts_data;|the full-text table letter_fts has lost its table letter_fts_data
DROP TABLE item_fts_docsize;|the full-text table item_fts has lost its table item_fts_docsize
UPDATE item_fts_config SET v = 99 WHERE k = 'version';|the full-text table item_fts is of FTS5 format 99, not 4
DROP VIEW item_doc;|the view item_doc is missing
DROP VIEW letter_doc; CREATE VIEW letter_doc(id, summary, other) AS SELECT 1, 2, 3;|the view letter_doc is not as this version makes it
DROP TABLE item_term;|the table item_term is missing
DROP INDEX item_decision;|the index item_decision is missing
CASES

# What the schema check cannot see: the index's pages, or the text under it. --check finds it
# with FTS5's integrity-check, --rebuild repairs it.
cp "$CLEAN" "$T/pages.db"
sql "$T/pages.db" "DELETE FROM item_fts_data WHERE id = 10;" || fail "pages: tampering"
error "lost structure: search" 3 "$(echo "imrsearch: $T/pages.db: searching: database inconsistent: the full-text index does not match the letters' text; run imrindex --rebuild --db $T/pages.db")" --db "$T/pages.db" cryotherapy
# check_rebuild DB LINES: --check prints LINES (exit 3), --rebuild repairs, --check is then ok.
check_rebuild() {
    expect_status "$1: check" 3 "$IMRINDEX" --db "$1" --check
    expect_equal "$1: check lines" "$(cat "$T/err")" "$2"
    expect_status "$1: rebuild" 0 "$IMRINDEX" --db "$1" --rebuild
    expect_status "$1: check after" 0 "$IMRINDEX" --db "$1" --check
}
mismatch="the full-text table item_fts does not match the letters' text"
check_rebuild "$T/pages.db" "imrindex: $T/pages.db: $mismatch
imrindex: $T/pages.db: 1 problem; $rebuild $T/pages.db"
check_rebuild "$T/blank.db" "imrindex: $T/blank.db: $mismatch
imrindex: $T/blank.db: the full-text table letter_fts does not match the letters' text
imrindex: $T/blank.db: 2 problems; $rebuild $T/blank.db"
"$IMRSEARCH" --db "$T/pages.db" --format ids --limit 0 cryotherapy >"$T/got.ids"
expect_equal_file "lost structure: search after" "$T/got.ids" "$T/want.ids"

# A lost core table: nothing to rebuild from.
cp "$CLEAN" "$T/core.db"
sql "$T/core.db" "DROP TABLE item;" || fail "core: tampering"
lost="damaged: the table item is missing; its letters are lost: delete the file and index the letters again"
error "lost item table: search" 3 "imrsearch: $T/core.db: $lost" --db "$T/core.db" cryotherapy
expect_status "lost item table: rebuild" 3 "$IMRINDEX" --db "$T/core.db" --rebuild
expect_equal "lost item table: rebuild message" "$(cat "$T/err")" "imrindex: $T/core.db: $lost"
expect_status "--check with a PATH" 2 "$IMRINDEX" --db "$T/core.db" --check "$IMR_SRC/corpus/letters"

finish
