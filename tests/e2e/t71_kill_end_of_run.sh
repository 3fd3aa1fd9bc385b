#!/usr/bin/env bash
# t71_kill_end_of_run.sh - imrindex killed with SIGKILL at pseudo-random moments of the end of
# a run, between its last commit and its exit (a fixed seed, as t60_kill_random): the final
# merge of a first load, the word counts (item_term), the planner's statistics, the return to
# WAL. After each kill `imrindex --check` says the database is whole; the next run over the
# same letters, which has nothing to write, finishes what the kill left: item_term equals a
# clean run's, item_fts is merged as a clean run's is, nothing stays pending in meta, and the
# rows are a clean run's. t67_end_of_run kills at one fixed point of the end; this test
# spreads the kills over it. The moment of the last commit is found by polling the database
# every millisecond (a first load holds every letter, an update has counted its changes in
# meta, only once the last batch is committed); each kill then comes 0 to 150% of a clean
# run's end later.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

python3 "$IMR_SRC/corpus/generate.py" --count 3000 --seed 5 --out "$T/gen" >/dev/null 2>&1 ||
    fail "generate.py"
C="$T/gen/letters"
n=$(find "$C" -name '*.txt' | wc -l)
terms() { sql "$1" "SELECT term || ' ' || docs FROM item_term ORDER BY term;"; }
idx_rows() { sql "$1" "SELECT count(*) FROM item_fts_idx;"; }
meta() { sqlite3 "$1" "SELECT coalesce((SELECT value FROM meta WHERE key = '$2'), 0);"; }

# kill_at.py IMRINDEX ERRFILE DB FOLDER SQL WANT DELAY_MS ARGS...: runs IMRINDEX --db DB -q
# ARGS FOLDER, polls SQL on DB (every millisecond, on a read-only connection opened for each
# poll: one kept open would keep a first load from leaving WAL mode) until it gives WANT,
# then kills the run with SIGKILL DELAY_MS later (-1: lets it end); prints its exit
# status (137: killed) and the milliseconds from WANT to its exit.
cat >"$T/kill_at.py" <<'PY'
import signal, sqlite3, subprocess, sys, time
imrindex, errfile, db, folder, query, want, delay = sys.argv[1:8]
run = subprocess.Popen([imrindex, "--db", db, "-q"] + sys.argv[8:] + [folder],
                       stderr=open(errfile, "wb"))
while run.poll() is None:
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=0.001)
        try:
            if str(con.execute(query).fetchone()[0]) == want:
                break
        finally:
            con.close()
    except sqlite3.Error:
        pass
    time.sleep(0.001)
t1 = time.monotonic()
if int(delay) >= 0 and run.poll() is None:
    time.sleep(int(delay) / 1000)
    run.send_signal(signal.SIGKILL)
code = run.wait()
print(128 - code if code < 0 else code, int((time.monotonic() - t1) * 1000))
PY

# run_end DB FOLDER SQL WANT DELAY_MS [ARGS...]: kill_at.py; sets $status and $end_ms.
run_end() {
    read -r status end_ms < <(python3 "$T/kill_at.py" "$IMRINDEX" "$T/run.err" "$@")
}

all_in="SELECT count(*) FROM letter"
# An update's only batch is the first to count changes (its base database owes none).
changed="SELECT value != '0' FROM meta WHERE key = 'item_term_pending'"

# Clean runs: a first load of the letters, the same database updated to the revised letters,
# and a first load of the revised letters; the ends of the first two are timed.
run_end "$T/clean.db" "$C" "$all_in" "$n" -1 --batch 100
expect_equal "clean first load: exit" "$status" 0
first_end=$end_ms
# The updates' base: the same letters in another folder, indexed there, then 600 of them
# changed in place, so that an update finds them at the paths its database holds (a changed
# copy beside a file that still exists would be another letter).
cp -r "$C" "$T/rev"
"$IMRINDEX" --db "$T/base.db" -q --batch 100 "$T/rev" || fail "base run of the letters in rev"
python3 - "$T/rev" <<'PY'
import os, random, sys
d = sys.argv[1]
names = sorted(os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f.endswith(".txt"))
for f in random.Random(71).sample(names, 600):
    with open(f, "ab") as out:
        out.write(b"Revision seventy-one.\n")
PY
cp "$T/base.db" "$T/base_rev.db"
run_end "$T/base_rev.db" "$T/rev" "$changed" 1 -1
expect_equal "clean update: exit" "$status" 0
update_end=$end_ms
"$IMRINDEX" --db "$T/clean_rev.db" -q --batch 100 "$T/rev" || fail "clean run of the revised letters"
echo "note: the end of a first load took $first_end ms, of an update $update_end ms" >&2
for db in clean clean_rev; do
    terms "$T/$db.db" >"$T/$db.terms"
    rows "$T/$db.db" >"$T/$db.rows"
done
want_idx=$(idx_rows "$T/clean.db")

RANDOM=71 # fixed seed: the same delays every time
in_end=0
# after_kill NAME DB FOLDER CLEAN: the checks after a kill, then the next run and its checks.
after_kill() {
    local name=$1 db=$2 folder=$3 clean=$4 code=0
    case $status in
    137) ;;
    0) echo "note: $name: ended before its kill" >&2 ;;
    *) fail "$name: exit $status: $(cat "$T/run.err")" ;;
    esac
    "$IMRINDEX" --db "$db" --check >"$T/out" 2>"$T/err" || code=$?
    expect_equal "$name: --check" "$code:$(cat "$T/err")" "0:imrindex: $db: ok"
    local merge pending
    merge=$(meta "$db" merge_pending)
    pending=$(meta "$db" item_term_pending)
    [ "$merge" != 0 ] || [ "$pending" != 0 ] && in_end=$((in_end + 1))
    echo "note: $name: left merge_pending $merge, item_term_pending $pending" >&2
    expect_status "$name: next run" 0 "$IMRINDEX" --db "$db" -q "$folder"
    terms "$db" >"$T/got.terms"
    expect_equal_file "$name: item_term" "$T/got.terms" "$T/$clean.terms"
    rows "$db" >"$T/got.rows"
    expect_equal_file "$name: rows" "$T/got.rows" "$T/$clean.rows"
    expect_equal "$name: nothing pending" "$(meta "$db" merge_pending):$(meta "$db" item_term_pending)" 0:0
    expect_equal "$name: back in WAL mode" "$(sqlite3 "$db" 'PRAGMA journal_mode;')" wal
    code=0
    "$IMRINDEX" --db "$db" --check >"$T/out" 2>"$T/err" || code=$?
    expect_equal "$name: --check after the next run" "$code" 0
}

# Six first loads killed in their end: then item_fts must be merged as a clean one is.
for k in 1 2 3 4 5 6; do
    delay=$((RANDOM % (first_end * 3 / 2 + 1)))
    db="$T/first$k.db"
    run_end "$db" "$C" "$all_in" "$n" "$delay" --batch 100
    after_kill "first load $k (${delay} ms)" "$db" "$C" clean
    expect_equal "first load $k: item_fts merged" "$(idx_rows "$db")" "$want_idx"
done
# Four updates (600 letters replaced) killed in their end.
for k in 1 2 3 4; do
    delay=$((RANDOM % (update_end * 3 / 2 + 1)))
    db="$T/update$k.db"
    cp "$T/base.db" "$db"
    run_end "$db" "$T/rev" "$changed" 1 "$delay"
    after_kill "update $k (${delay} ms)" "$db" "$T/rev" clean_rev
done
# A slow machine (a sanitizer build, a loaded CI runner) can end runs before their kills land:
# then more first loads, killed early in their end, until two kills have landed (at most ten).
extra=0
while [ "$in_end" -lt 2 ] && [ "$extra" -lt 10 ]; do
    extra=$((extra + 1))
    delay=$((RANDOM % (first_end / 4 + 1)))
    db="$T/extra$extra.db"
    run_end "$db" "$C" "$all_in" "$n" "$delay" --batch 100
    after_kill "extra first load $extra (${delay} ms)" "$db" "$C" clean
done
echo "note: $in_end of $((10 + extra)) kills left work pending" >&2
[ "$in_end" -ge 2 ] || fail "only $in_end of $((10 + extra)) kills landed before the end's work was done"

finish
