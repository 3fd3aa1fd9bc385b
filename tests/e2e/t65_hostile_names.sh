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
expect_equal "past PATH_MAX: lines" "$(wc -l <"$T/err")" 1
case $(cat "$T/err") in
"$T/deep/dddd"*"dddd: path too long for the system (over 4096 bytes)") pass ;;
*) fail "past PATH_MAX: line: $(cut -c1-80 "$T/err")" ;;
esac

finish
