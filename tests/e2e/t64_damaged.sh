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

finish
