#!/usr/bin/env bash
# t65_hostile_names.sh - files that are not what their names say: a FIFO or a device named
# *.txt in a folder is named on stderr and skipped, never opened to block; a FIFO given as
# the database is refused by both programs. Every run is under `timeout`, so a blocking open
# fails the test instead of hanging it.
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

finish
