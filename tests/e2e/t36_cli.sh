#!/usr/bin/env bash
# imrindex's options, usage errors and database errors: exact messages and exit statuses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
# The five real seed letters, copied: corpus/letters also holds the parser's test letters.
L="$T/seeds"
mkdir -p "$L"
cp "$IMR_SRC"/corpus/letters/00[0-4]_*.txt "$L/"

expect_status "--help" 0 "$IMRINDEX" --help
for opt in --db --prune --batch --optimize --quiet --verbose --help --version "Exit status"; do
    grep -q -- "$opt" "$T/out" && pass || fail "--help does not mention $opt"
done
expect_equal "--help stderr" "$(cat "$T/err")" ""
expect_status "-h" 0 "$IMRINDEX" -h
expect_status "--version" 0 "$IMRINDEX" --version
expect_equal "--version output" "$(cat "$T/out")" "imrindex 0.1.0"

# usage NAME MESSAGE ARGS...: exit 2 with exactly MESSAGE on stderr, nothing written.
usage() {
    local name=$1 msg=$2
    shift 2
    expect_status "$name" 2 "$IMRINDEX" "$@"
    expect_equal "$name message" "$(cat "$T/err")" "$msg"
}
usage "unknown option" "imrindex: unknown option --frobnicate (try imrindex --help)" \
    --db "$T/u.db" --frobnicate "$L"
usage "no path" "imrindex: no PATH given (try imrindex --help)" --db "$T/u.db"
usage "--db without value" "imrindex: --db needs a PATH (try imrindex --help)" --db
usage "bad --batch" "imrindex: --batch needs a number of letters from 1 to 1000000" \
    --batch 0 "$L"
usage "quiet and verbose" "imrindex: --quiet and --verbose do not go together" -q -v "$L"
expect_equal "nothing created" "$([ -e "$T/u.db" ] && echo yes || echo no)" no
usage "--db is a folder" "imrindex: $T: is a folder, not a database file" --db "$T" "$L"

# '--' ends the options.
mkdir -p "$T/-x"
cp "$L/000_df993e4b537a0a78.txt" "$T/-x/"
(cd "$T" && "$IMRINDEX" --db "$T/dash.db" -q -- -x)
expect_equal "-- then a path starting with -" "$(counts "$T/dash.db" | cut -d' ' -f1)" 1

# Database problems: exit 3.
echo "just text" >"$T/notdb.db"
expect_status "not a database" 3 "$IMRINDEX" --db "$T/notdb.db" "$L"
expect_equal "not a database message" "$(cat "$T/err")" \
    "imrindex: $T/notdb.db: not an imrsearch database"
sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
expect_status "another SQLite file" 3 "$IMRINDEX" --db "$T/other.db" "$L"
expect_equal "another SQLite file message" "$(cat "$T/err")" \
    "imrindex: $T/other.db: not an imrsearch database"
"$IMRINDEX" --db "$T/v.db" -q "$L"
sqlite3 "$T/v.db" "PRAGMA user_version = 99;"
expect_status "other schema version" 3 "$IMRINDEX" --db "$T/v.db" "$L"
expect_equal "other schema version message" "$(cat "$T/err")" \
    "imrindex: $T/v.db: built with schema version 99, but this is version 7; delete it and index the letters again, or give --db another file"
finish
