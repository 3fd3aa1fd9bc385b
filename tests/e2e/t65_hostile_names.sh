#!/usr/bin/env bash
# t65_hostile_names.sh - files that are not what their names say: a FIFO or a device named
# *.txt in a folder is named on stderr and skipped, never opened to block; a FIFO given as
# the database is refused by both programs; a folder past PATH_MAX is named with its reason.
# Every run is under `timeout`, so a blocking open fails the test instead of hanging it.
. "$(dirname "$0")/lib.sh"
export IMRSEARCH_NO_TIMING=1

mkdir -p "$T/in"
cp "$IMR_SRC/corpus/letters/004_86369982a4019b49.txt" "$T/in/"
mkfifo "$T/in/pipe.txt" "$T/in/pipe.dat"
ln -s /dev/tty "$T/in/tty.txt"
got=0
timeout 20 "$IMRINDEX" --db "$T/a.db" -q "$T/in" 2>"$T/err" || got=$?
expect_equal "folder with a FIFO: exit" "$got" 1
expect_equal "folder with a FIFO: lines" "$(cat "$T/err")" "$T/in/pipe.txt: not a regular file
$T/in/tty.txt: not a regular file"

mkfifo "$T/db.fifo"
got=0
timeout 20 "$IMRSEARCH" --db "$T/db.fifo" cryotherapy 2>"$T/err" || got=$?
expect_equal "imrsearch --db FIFO: exit" "$got" 2
expect_equal "imrsearch --db FIFO: line" "$(cat "$T/err")" "imrsearch: $T/db.fifo: not a regular file, not a database file"
got=0
timeout 20 "$IMRINDEX" --db "$T/db.fifo" -q "$T/in" 2>"$T/err" || got=$?
expect_equal "imrindex --db FIFO: exit" "$got" 2
expect_equal "imrindex --db FIFO: line" "$(tail -n 1 "$T/err")" "imrindex: $T/db.fifo: not a regular file, not a database file"

# Names with control bytes and invalid UTF-8: every message and text output quotes them as C
# escapes (\033, \n, \377), so they cannot drive the terminal or split a line; JSON stays
# valid.
mkdir "$T/names"
: >"$T/names/"$'title\033]0;owned\007\033[2J.txt'
: >"$T/names/"$'two\nlines.txt'
cp "$IMR_SRC/corpus/letters/004_86369982a4019b49.txt" "$T/names/"$'esc\033[2Jx.txt'
cp "$IMR_SRC/corpus/letters/001_f6bc1215f6435560.txt" "$T/names/"$'bad\377name.txt'
got=0
"$IMRINDEX" --db "$T/names.db" -q "$T/names" 2>"$T/err" || got=$?
expect_equal "control names: exit" "$got" 1
expect_equal "control names: lines" "$(cat "$T/err")" "$T/names/title\\033]0;owned\\007\\033[2J.txt: empty file
$T/names/two\\nlines.txt: empty file"
"$IMRINDEX" --db "$T/names.db" -v "$T/names" 2>"$T/err"
expect_equal "control names: -v has no raw control byte" "$(LC_ALL=C grep -c $'[\001-\037\177]' "$T/err")" 0
"$IMRSEARCH" --db "$T/names.db" --no-color cryotherapy >"$T/out" 2>&1
grep -q '^  1\. esc\\033\[2Jx  ' "$T/out" && pass || fail "search text: quoted name"
expect_equal "search text: no raw control byte" "$(LC_ALL=C grep -c $'[\001-\011\013-\037\177]' "$T/out")" 0
"$IMRSEARCH" --db "$T/names.db" --format ids --limit 0 -- -zzzz OR cryotherapy OR pain >"$T/out" 2>&1
expect_equal "ids: no raw control byte" "$(LC_ALL=C grep -c $'[\001-\011\013-\037\177]' "$T/out")" 0
"$IMRSEARCH" --db "$T/names.db" show $'nope\033[2J' 2>"$T/err"
expect_equal "show: quoted id" "$(cat "$T/err")" "imrsearch: no letter \"nope\\033[2J\" in $T/names.db"
"$IMRSEARCH" --db "$T/names.db" --format json --limit 0 pain >"$T/out.json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out.json" && pass || fail "json with a non-UTF-8 name"

# A letter under folders past PATH_MAX (4096 bytes), which the system cannot name: the folder
# where the walk has to stop is named with the reason, and the run exits 1 (it used to drop
# such letters silently and exit 0).
python3 - "$T/deep" "$IMR_SRC/corpus/letters/001_f6bc1215f6435560.txt" <<'PY'
import os, sys
os.mkdir(sys.argv[1])
fd = os.open(sys.argv[1], os.O_RDONLY)
n = len(sys.argv[1])
while n < 4300:
    os.mkdir("d" * 200, dir_fd=fd)
    fd = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
    n += 201
out = os.open("late.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(out, open(sys.argv[2], "rb").read())
PY
got=0
timeout 60 "$IMRINDEX" --db "$T/deep.db" -q "$T/deep" 2>"$T/err" || got=$?
expect_equal "past PATH_MAX: exit" "$got" 1
expect_equal "past PATH_MAX: lines" "$(wc -l <"$T/err")" 2
expect_equal "past PATH_MAX: no letter" "$(sed -n 2p "$T/err")" \
    "imrindex: no letter file found (folders are searched for *.txt, *.text and *.pdf files, in any case)"
case $(sed -n 1p "$T/err") in
"$T/deep/dddd"*"dddd: path too long for the system (over 4096 bytes)") pass ;;
*) fail "past PATH_MAX: line: $(cut -c1-80 "$T/err")" ;;
esac

finish
