#!/usr/bin/env bash
# t11_extension - the `imr` tokenizer loaded into the plain sqlite3 shell with .load: create
# an fts5 table with tokenize='imr', insert, MATCH (stemmed, unstemmed, ligature, spinal
# level, dose, prefix and phrase queries), highlight() and snippet() offsets, bad options.
. "$(dirname "$0")/lib.sh"
DB="$T/ext.db"
EXT="$IMR_BUILD/imr"

# A sanitized build's extension needs the sanitizer runtimes loaded before the shell's own
# libraries: preload the ones it links to.
preload=$(ldd "$EXT.so" 2>/dev/null | awk '/lib(asan|ubsan)\.so/ {print $3}' | paste -sd: -)
[ -n "$preload" ] && export LD_PRELOAD="$preload"

# sql STATEMENT...: runs statements in the sqlite3 shell with the extension loaded.
sql() { sqlite3 -batch "$DB" ".load $EXT" "$@"; }

# ids QUERY [TABLE]: the rowids the FTS5 query matches, in order, separated by spaces.
ids() {
    local q=${1//\'/\'\'} t=${2:-doc}
    sql "SELECT coalesce(group_concat(rowid, ' '), '-') FROM (SELECT rowid FROM $t
         WHERE $t MATCH '$q' ORDER BY rowid)"
}

# expect_ids QUERY WANT [TABLE]
expect_ids() { expect_equal "MATCH $1${3:+ in $3}" "$(ids "$1" "${3:-doc}" 2>&1)" "$2"; }

# hl QUERY: highlight() of every matching row, one per line.
hl() {
    local q=${1//\'/\'\'}
    sql "SELECT highlight(doc, 0, '[', ']') FROM doc WHERE doc MATCH '$q' ORDER BY rowid"
}

sql "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='imr')" \
    "INSERT INTO doc(rowid, body) VALUES
       (1, 'Cryotherapies were requested after shoulder surgery.'),
       (2, 'Continuous-flow cryotherapy unit for the right knee.'),
       (3, 'Pulmonary ﬁbrosis noted; MRI of the C5-6 level.'),
       (4, 'Norco 10/325 mg #90 is not medically necessary.'),
       (5, 'Disc disease at L5-S1 and L4-5; Núñez’s test was positive.'),
       (6, 'Hot/cold contrast therapy was upheld; polypharmacy noted.')"
expect_equal "table has rows" "$(sql "SELECT count(*) FROM doc")" "6"

# Stemmed and unstemmed forms, case.
expect_ids 'cryotherapy' '1 2'
expect_ids 'cryotherapies' '1 2'
expect_ids 'CRYOTHERAPIES' '1 2'
expect_ids 'requesting' '1'
expect_ids 'necessary' '4'
expect_ids 'medical' '4'

# Ligatures, full width, accents, apostrophes: in the text and in the query.
expect_ids 'fibrosis' '3'
expect_ids 'ﬁbrosis' '3'
expect_ids 'ＭＲＩ' '3'
expect_ids 'nunez' '5'
expect_ids 'NÚÑEZ' '5'
expect_ids "\"Nunez's\"" '5'
expect_ids '"Núñez’s test"' '5'

# Spinal levels and doses, quoted as FTS5 needs for anything but letters and digits.
expect_ids '"C5-C6"' '3'
expect_ids '"c5/6"' '3'
expect_ids '"C5-6"' '3'
expect_ids 'c6' '3'
expect_ids '"L5-S1"' '5'
expect_ids '"l4-l5"' '5'
expect_ids '"L4/5"' '5'
expect_ids '"10/325mg"' '4'
expect_ids '"10/325 mg"' '4'
expect_ids '"#90"' '4'
expect_ids '"hot/cold"' '6'
expect_ids '"hot cold"' '6'
expect_ids '"continuous flow"' '2'

# Phrases keep order and adjacency.
expect_ids '"medically necessary"' '4'
expect_ids '"necessary medically"' '-'
expect_ids '"cryotherapy unit"' '2'
expect_ids 'NEAR(shoulder cryotherapies, 3)' '1'

# Prefix queries: the folded form finds longer words ("poly" is a prefix of "polypharmaci",
# its stem "poli" is not), the colocated stem finds inflections ("cryotherapies" is not a
# prefix of the indexed "cryotherapi", its stem is).
expect_ids 'cryotherap*' '1 2'
expect_ids 'cryotherapies*' '1 2'
expect_ids 'cryo*' '1 2'
expect_ids 'poly*' '6'
expect_ids 'neces*' '4'
expect_ids '"continuous flo"*' '2'

# highlight() and snippet() mark the words as written, using offsets in the original text.
expect_equal "highlight cryotherapies" "$(hl cryotherapies)" \
    "$(printf '%s\n' '[Cryotherapies] were requested after shoulder surgery.' \
        'Continuous-flow [cryotherapy] unit for the right knee.')"
expect_equal "highlight prefix" "$(hl 'cryotherapies*')" \
    "$(printf '%s\n' '[Cryotherapies] were requested after shoulder surgery.' \
        'Continuous-flow [cryotherapy] unit for the right knee.')"
expect_equal "highlight ligature" "$(hl fibrosis)" 'Pulmonary [ﬁbrosis] noted; MRI of the C5-6 level.'
expect_equal "highlight level" "$(hl '"C5-C6"')" 'Pulmonary ﬁbrosis noted; MRI of the [C5-6] level.'
expect_equal "highlight dose" "$(hl '"10/325mg" AND "#90"')" \
    'Norco [10/325 mg] #[90] is not medically necessary.'
expect_equal "highlight accents" "$(hl 'nunez OR "L4-L5"')" \
    'Disc disease at L5-S1 and [L4-5]; [Núñez’s] test was positive.'
expect_equal "snippet" \
    "$(sql "SELECT snippet(doc, 0, '[', ']', '...', 4) FROM doc WHERE doc MATCH 'continuous'")" \
    '[Continuous]-flow cryotherapy unit...'

# Options through the tokenizer arguments.
sql "CREATE VIRTUAL TABLE plain USING fts5(body, tokenize='imr stem 0')" \
    "INSERT INTO plain(rowid, body) VALUES (1, 'Cryotherapy was requested.')"
expect_ids 'cryotherapy' '1' plain
expect_ids 'cryotherapies' '-' plain
expect_ids 'cryotherap*' '1' plain
sql "CREATE VIRTUAL TABLE fr USING fts5(body, tokenize='imr language french')" \
    "INSERT INTO fr(rowid, body) VALUES (1, 'Les thérapies continues')"
expect_ids 'therapie' '1' fr
expect_ids 'continue' '1' fr

# A bad option fails the CREATE with FTS5's fixed message (the v1 API carries no text).
for spec in 'imr bogus 1' 'imr stem yes' 'imr language klingon' 'imr stem'; do
    expect_status "bad option: $spec" 1 sqlite3 -batch "$DB" ".load $EXT" \
        "CREATE VIRTUAL TABLE bad USING fts5(body, tokenize='$spec')"
    expect_equal "bad option message: $spec" "$(cat "$T/err")" \
        "Error: stepping, error in tokenizer constructor"
done

# Without the extension the table cannot be read: the tokenizer really comes from it.
expect_status "no extension" 1 sqlite3 -batch "$DB" "SELECT count(*) FROM doc WHERE doc MATCH 'x'"

finish
