# store_lib.sh - helpers for the imrindex tests (t30-t36), sourced after lib.sh.

# A sanitized build's extension needs the sanitizer runtimes loaded first into the sqlite3
# shell, which was not built with them; the shell's own leaks are not ours to report.
SQLITE_PRELOAD=""
if command -v ldd >/dev/null && ldd "$IMR_BUILD/imr.so" 2>/dev/null | grep -q libasan; then
    SQLITE_PRELOAD=$(ldd "$IMR_BUILD/imr.so" | awk '/lib(asan|ubsan)/ { printf "%s ", $3 }')
fi

# sql DB SQL...: runs SQL in the sqlite3 shell with the imr tokenizer extension loaded.
sql() {
    local db=$1
    shift
    if [ -n "$SQLITE_PRELOAD" ]; then
        LD_PRELOAD="$SQLITE_PRELOAD" ASAN_OPTIONS=detect_leaks=0 \
            sqlite3 -batch "$db" ".load $IMR_BUILD/imr" "$@"
    else
        sqlite3 -batch "$db" ".load $IMR_BUILD/imr" "$@"
    fi
}

# counts DB: "letters items sources" of a database.
counts() {
    sql "$1" "SELECT (SELECT count(*) FROM letter) || ' ' || (SELECT count(*) FROM item) || ' ' ||
              (SELECT count(*) FROM item_source);"
}

# rows DB: every letter, item and item_source row, by letter name and item order, without
# row ids, so that two databases built in different ways can be compared.
rows() {
    sql "$1" "SELECT name, path, hash, size, layout, parse, problem, warnings, case_number,
                     injury_date, ur_denial_date, decision_date, specialty, length(text),
                     summary_off, summary_len, other_off, other_len
              FROM letter ORDER BY name;
              SELECT l.name, i.ord, i.decision, i.item_type, i.body_region, i.text_off,
                     i.text_len, i.guideline_off, i.guideline_len, i.ca_off, i.ca_len,
                     i.rationale_off, i.rationale_len
              FROM item i JOIN letter l ON l.id = i.letter_id ORDER BY l.name, i.ord;
              SELECT l.name, i.ord, s.party, s.source
              FROM item_source s JOIN item i ON i.id = s.item_id
              JOIN letter l ON l.id = i.letter_id ORDER BY 1, 2, 3, 4;"
}

# check_integrity NAME DB: SQLite's integrity check and FTS5's on both full-text tables, which
# compares each index with the text of its view (item_doc, letter_doc).
check_integrity() {
    expect_equal "$1: integrity_check" "$(sql "$2" 'PRAGMA integrity_check;')" ok
    local out
    out=$(sql "$2" "INSERT INTO item_fts(item_fts) VALUES('integrity-check');" 2>&1)
    expect_equal "$1: FTS5 integrity-check of item_fts" "$out" ""
    out=$(sql "$2" "INSERT INTO letter_fts(letter_fts) VALUES('integrity-check');" 2>&1)
    expect_equal "$1: FTS5 integrity-check of letter_fts" "$out" ""
}

# matches DB QUERY: the letter names whose text (an item's or the letter's own) matches the
# FTS5 QUERY, sorted, unique.
matches() {
    sql "$1" "SELECT l.name FROM item_fts f JOIN item i ON i.id = f.rowid
              JOIN letter l ON l.id = i.letter_id WHERE item_fts MATCH '$2'
              UNION SELECT l.name FROM letter_fts f JOIN letter l ON l.id = f.rowid
              WHERE letter_fts MATCH '$2' ORDER BY 1;"
}

# summary FILE: the stderr of a run without its last line (time and speed).
summary() {
    sed '$d' "$1"
}

# check_integrity_all NAME DB: SQLite's integrity check, then FTS5's integrity-check of every
# fts5 table the schema holds (item_fts, and any other), each expected to print nothing.
check_integrity_all() {
    expect_equal "$1: integrity_check" "$(sql "$2" 'PRAGMA integrity_check;')" ok
    local t out tables
    tables=$(sql "$2" "SELECT name FROM sqlite_schema WHERE type = 'table'
                       AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name;")
    [ -n "$tables" ] || fail "$1: no fts5 table"
    for t in $tables; do
        out=$(sql "$2" "INSERT INTO $t($t) VALUES('integrity-check');" 2>&1)
        expect_equal "$1: FTS5 integrity-check of $t" "$out" ""
    done
}
