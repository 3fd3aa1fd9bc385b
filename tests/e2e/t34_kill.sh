#!/usr/bin/env bash
# A run killed in the middle (SIGKILL, then SIGINT) leaves a consistent database holding whole
# batches, and the next run completes the work: the same rows as one clean run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

# 3000 letters: the seeds under 600 names each, in 10 folders, each copy with a line of its own.
python3 - "$IMR_SRC/corpus/letters" "$T/corpus" <<'PY'
import os, sys
seeds = sorted(f for f in os.listdir(sys.argv[1]) if f.endswith(".txt") and f[:2] == "00")
texts = [open(os.path.join(sys.argv[1], f), "rb").read() for f in seeds]
n = 0
for d in range(10):
    os.makedirs(os.path.join(sys.argv[2], "d%d" % d))
    for k in range(60):
        for f, t in zip(seeds, texts):
            n += 1
            with open(os.path.join(sys.argv[2], "d%d" % d, "c%d_%s" % (n, f)), "wb") as out:
                out.write(t + b"Copy %d.\n" % n)
PY
n=$(find "$T/corpus" -name '*.txt' | wc -l)
total=$n

# letters DB: how many letters DB holds, 0 before it has any. A first load locks the file
# while it commits a batch: the query waits for that instead of failing.
letters() {
    sqlite3 -batch -cmd ".timeout 5000" "$1" "SELECT count(*) FROM letter;" 2>/dev/null || echo 0
}

# wait_for_letters DB [BEFORE]: waits (up to 60 s) until DB holds more than BEFORE (0) letters,
# a batch more committed.
wait_for_letters() {
    local i
    for i in $(seq 1 600); do
        [ "$(letters "$1")" -gt "${2:-0}" ] && return 0
        sleep 0.1
    done
    return 1
}

# check_killed NAME DB STATUS WANT_STATUS: the database after a stopped run.
check_killed() {
    expect_equal "$1: exit status" "$3" "$4"
    check_integrity "$1" "$2"
    local letters
    letters=$(sql "$2" "SELECT count(*) FROM letter;")
    # Whole batches of 50 only, unless the run happened to finish first.
    if [ "$letters" -ne "$total" ]; then
        expect_equal "$1: whole batches" "$((letters % 50))" 0
    else
        echo "note: $1: the run finished before the signal" >&2
    fi
    expect_equal "$1: no letter without items" "$(sql "$2" "SELECT count(*) FROM letter
        WHERE id NOT IN (SELECT letter_id FROM item);")" 0
}

# merging DB: item_fts's automerge option (0 while a first load runs, store.c).
merging() {
    sql "$1" "SELECT v FROM item_fts_config WHERE k = 'automerge';"
}

# The clean run, a first load that ends as every run does: write-ahead log, usual merging.
"$IMRINDEX" --db "$T/clean.db" -q "$T/corpus"
expect_equal "clean run" "$(sql "$T/clean.db" 'SELECT count(*) FROM letter;')" "$total"
expect_equal "clean run: journal" "$(sql "$T/clean.db" 'PRAGMA journal_mode;')" wal
[ -e "$T/clean.db-journal" ] && fail "clean run: journal file left" || pass
expect_equal "clean run: merging" "$(merging "$T/clean.db")" 8

# SIGKILL after the first commit.
db="$T/killed.db"
"$IMRINDEX" --db "$db" --batch 50 -q "$T/corpus" &
pid=$!
wait_for_letters "$db" || fail "no commit seen"
kill -KILL "$pid"
status=0
wait "$pid" || status=$?
# A first load keeps its rollback journal file between batches (journal_mode PERSIST).
journal=no
[ -e "$db-journal" ] && journal=yes
check_killed "SIGKILL" "$db" "$status" 137
if [ "$(sql "$db" 'SELECT count(*) FROM letter;')" -ne "$total" ]; then
    expect_equal "SIGKILL: a first load's journal file" "$journal" yes
    expect_equal "SIGKILL: a first load's merging" "$(merging "$db")" 0
fi

# SIGINT: the open batch is rolled back, the message says so, exit 130. A run that finishes
# before the signal lands proves nothing: the case is tried again on a new database (a first
# load, with the whole corpus to write), three times at most, and fails if no signal landed.
# sigint DB: runs imrindex on DB and sends SIGINT once it has committed a batch; sets status.
sigint() {
    "$IMRINDEX" --db "$1" --batch 50 "$T/corpus" 2>"$T/int.err" &
    local pid=$!
    wait_for_letters "$1" "$(letters "$1")"
    kill -INT "$pid"
    status=0
    wait "$pid" || status=$?
}
int_db=$db
sigint "$int_db"
for attempt in 1 2 3; do
    [ "$status" = 0 ] || break
    echo "note: SIGINT: the run finished before the signal; again on a new database" >&2
    int_db="$T/int$attempt.db"
    sigint "$int_db"
done
if [ "$status" = 0 ]; then
    fail "SIGINT: every run finished before the signal"
else
    check_killed "SIGINT" "$int_db" "$status" 130
    expect_equal "SIGINT message" "$(tail -n 1 "$T/int.err")" \
        "imrindex: interrupted; the last batch was rolled back, earlier ones are kept"
fi

# The next run completes the work.
expect_status "completing run" 0 "$IMRINDEX" --db "$db" "$T/corpus"
expect_equal "completing summary" "$(head -n 1 "$T/err" | sed 's/[0-9][0-9]*/N/g')" \
    "N indexed (N new, N changed), N unchanged, N skipped; N items"
check_integrity "completed" "$db"
expect_equal "completed: journal" "$(sql "$db" 'PRAGMA journal_mode;')" wal
[ -e "$db-journal" ] && fail "completed: journal file left" || pass
expect_equal "completed: merging" "$(merging "$db")" 8
rows "$db" >"$T/rows"
rows "$T/clean.db" >"$T/rows.clean"
expect_equal_file "same rows as a clean run" "$T/rows" "$T/rows.clean"
expect_equal "same index" "$(matches "$db" 'copy AND 2999' | wc -l)" 1

# A first load commits through a rollback journal, so a run killed while a batch is being
# written into the file leaves a hot journal. Made here by an sqlite3 shell killed inside a
# transaction that spilled pages into the file: imrsearch, which only reads, says what to do,
# and the next imrindex undoes the batch.
hot="$T/hot.db"
cp "$db" "$hot"
sql "$hot" "PRAGMA journal_mode = DELETE;" >/dev/null
(
    sqlite3 -batch "$hot" <<'SQL'
PRAGMA cache_size = 10;
BEGIN;
UPDATE letter SET problem = problem || 'x';
.shell kill -9 $PPID
SQL
    true
) >/dev/null 2>&1
[ -s "$hot-journal" ] && pass || fail "hot journal: none left"
expect_status "hot journal: search" 3 "$IMRSEARCH" --db "$hot" cold
expect_equal "hot journal: message" "$(cat "$T/err")" "imrsearch: $hot: an indexing run was \
stopped while writing a batch; run imrindex on this database again to undo that batch and finish"
expect_status "hot journal: next run" 0 "$IMRINDEX" -q --db "$hot" "$T/corpus"
[ -e "$hot-journal" ] && fail "hot journal: still there after the run" || pass
expect_equal "hot journal: back to the log" "$(sql "$hot" 'PRAGMA journal_mode;')" wal
check_integrity "hot journal" "$hot"
rows "$hot" >"$T/rows.hot"
expect_equal_file "hot journal: same rows as a clean run" "$T/rows.hot" "$T/rows.clean"
finish
