#!/bin/bash
# t_query_synonyms.sh - the query translator reads synonyms.txt from $IMRSEARCH_DICT_DIR when
# it is set, and refuses a broken dictionary with a message naming the file and line.
. "$(dirname "$0")/lib.sh"
DUMP="$IMR_BUILD/query_dump"

# An edited dictionary is used without a rebuild; its forms are matched across punctuation.
mkdir -p "$T/good"
printf '# test groups\nGR | game ready\nfoo-bar | foobar\n' >"$T/good/synonyms.txt"
IMRSEARCH_DICT_DIR="$T/good" "$DUMP" 'game ready knee' 'Foo/Bar' 'tens' >"$T/out" 2>&1
cat >"$T/want" <<'WANT'
query: game ready knee
fts5:  ("GR" OR "game ready") AND (item : "knee" OR ("GR" OR "game ready"))
text:  game ready
facet: region knee ("knee"), or in the text: item : "knee"
term:  game ready
term:  GR
query: Foo/Bar
fts5:  "foo-bar" OR "foobar"
term:  Foo/Bar
term:  foo-bar
term:  foobar
query: tens
fts5:  "tens"
term:  tens
WANT
expect_equal_file "override dictionary" "$T/out" "$T/want"

# Broken dictionaries: every query fails with the reason.
check_broken() { # NAME CONTENT WANT_MESSAGE
    mkdir -p "$T/$1"
    printf '%b' "$2" >"$T/$1/synonyms.txt"
    local got
    got=$(IMRSEARCH_DICT_DIR="$T/$1" "$DUMP" 'cold' 2>&1)
    expect_equal "$1" "$got" "query: cold
error: $3"
}
check_broken one-form 'TENS\n' 'synonyms.txt:1: a synonym group needs at least two forms'
check_broken no-letters 'a | b\n# c\n-- | x\n' 'synonyms.txt:3: form "--" has no letter or digit'
check_broken two-groups 'a | b\nc | d\nB | e\n' 'synonyms.txt:3: "b" is already a form on line 1'
# A file the folder does not hold is the built-in one.
mkdir -p "$T/empty"
got=$(IMRSEARCH_DICT_DIR="$T/empty" "$DUMP" 'esi' 2>&1 | sed -n 2p)
expect_equal "missing file" "$got" 'fts5:  "ESI" OR "epidural steroid injection"'
# decisions.txt is read from the folder too: a word made a decision word there is read.
printf 'nixed | upheld\n' >"$T/good/decisions.txt"
got=$(IMRSEARCH_DICT_DIR="$T/good" "$DUMP" 'tens nixed' 2>&1 | grep '^facet')
expect_equal "edited decisions" "$got" 'facet: decision upheld ("nixed")' 

# The shipped dictionary loads and expands both ways.
got=$("$DUMP" 'esi' 2>&1 | sed -n 2p)
expect_equal "shipped dictionary" "$got" 'fts5:  "ESI" OR "epidural steroid injection"'
expect_status "refused query exits 2" 2 "$DUMP" 'OR'
finish
