#!/usr/bin/env bash
# t60_kill_random.sh - imrindex killed with SIGKILL at 15 pseudo-random moments of a 3,000-letter
# run (a fixed seed, so every run of the test kills at the same fractions of the run), in
# three chains of five runs each going on from what the last kill left, with 600 letters
# changed before each later run: after each kill the database passes SQLite's
# integrity_check and FTS5's integrity-check of every fts5 table, holds no letter without
# items, and can be searched; a final run then completes it to exactly the rows of one clean
# run over the same letters. Extends t34_kill.sh (one kill after the first
# commit) to kills anywhere: creating the schema, mid-batch, mid-commit, during the final
# merge and statistics.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

python3 "$IMR_SRC/corpus/generate.py" --count 3000 --seed 5 --out "$T/gen" >/dev/null 2>&1 ||
    fail "generate.py"
C="$T/gen/letters"

# ms: milliseconds of the monotonic-ish wall clock.
ms() { echo $(($(date +%s%N) / 1000000)); }

# A clean run, timed: kills are spread over its length.
t0=$(ms)
"$IMRINDEX" --db "$T/timing.db" -q --batch 200 "$C" || fail "timing run"
dur=$(($(ms) - t0))
[ "$dur" -gt 0 ] || dur=1
echo "note: clean run: $dur ms, $(counts "$T/timing.db") (letters items sources)" >&2

# revise N SEED: appends a line to N letters picked with SEED, so that the next run has
# changed letters to replace (delete and insert) as well as unchanged ones to skip.
revise() {
    python3 - "$C" "$1" "$2" <<'PY'
import os, random, sys
d, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = sorted(os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f.endswith(".txt"))
for f in random.Random(seed).sample(names, n):
    with open(f, "ab") as out:
        out.write(b"Revision %d.\n" % seed)
PY
}

RANDOM=6 # fixed seed: the same delays every time
finished=0
killed=0
# Three chains of five kills; each chain starts from no database and goes on from what each
# kill left, as a user re-running after a crash would. Batch sizes vary, so kills land both in
# small batches and in one run-long transaction.
for chain in 1 2 3; do
    db="$T/chain$chain.db"
    case $chain in 1) batch=50 ;; 2) batch=500 ;; 3) batch=5000 ;; esac
    for k in 1 2 3 4 5; do
        # The first kill of a chain comes 0 to 110% of a clean run's time after the start;
        # later runs have 600 changed letters and the rest unchanged: 0 to 40%.
        if [ "$k" = 1 ]; then
            delay=$((RANDOM % (dur * 11 / 10 + 1)))
        else
            revise 600 "$chain$k" || fail "revise"
            delay=$((RANDOM % (dur * 4 / 10 + 1)))
        fi
        "$IMRINDEX" --db "$db" -q --batch "$batch" "$C" 2>"$T/kill.err" &
        pid=$!
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -KILL "$pid" 2>/dev/null
        status=0
        wait "$pid" 2>/dev/null || status=$?
        name="chain $chain kill $k (batch $batch, ${delay} ms)"
        if [ "$status" = 137 ]; then
            killed=$((killed + 1))
        elif [ "$status" = 0 ]; then
            finished=$((finished + 1))
        else
            fail "$name: exit $status: $(cat "$T/kill.err")"
        fi
        [ -e "$db" ] || continue # killed before it made the file
        if [ "$(sql "$db" "SELECT count(*) FROM sqlite_schema;")" = 0 ]; then
            # Killed after the run lock made the file, before the schema was committed: an
            # empty database, which the next run fills.
            expect_equal "$name: integrity_check (empty)" "$(sql "$db" 'PRAGMA integrity_check;')" ok
            continue
        fi
        check_integrity_all "$name" "$db"
        expect_equal "$name: no letter without items" "$(sql "$db" "SELECT count(*) FROM letter
            WHERE id NOT IN (SELECT letter_id FROM item);")" 0
        expect_equal "$name: no item without letter" "$(sql "$db" "SELECT count(*) FROM item
            WHERE letter_id NOT IN (SELECT id FROM letter);")" 0
        # A search finds something (0), nothing (1) or an empty database (3: killed before the
        # schema was committed); never an internal error or a damaged database.
        code=0
        "$IMRSEARCH" --db "$db" --format ids cryotherapy >/dev/null 2>"$T/search.err" || code=$?
        case "$code:$(cat "$T/search.err")" in
        0:* | 1:*) pass ;;
        "3:imrsearch: $db: the database is empty; build it with: imrindex --db $db FOLDER") pass ;;
        *) fail "$name: search exit $code: $(cat "$T/search.err")" ;;
        esac
    done
    # The completing run: the same rows as a clean run over the letters as they are now.
    expect_status "chain $chain: completing run" 0 "$IMRINDEX" --db "$db" -q "$C"
    "$IMRINDEX" --db "$T/clean$chain.db" -q "$C" || fail "chain $chain: clean run"
    rows "$T/clean$chain.db" >"$T/rows.clean"
    clean_counts=$(counts "$T/clean$chain.db")
    check_integrity_all "chain $chain: completed" "$db"
    rows "$db" >"$T/rows"
    expect_equal_file "chain $chain: same rows as a clean run" "$T/rows" "$T/rows.clean"
    expect_equal "chain $chain: same counts" "$(counts "$db")" "$clean_counts"
done
echo "note: $killed runs killed, $finished finished before their kill" >&2
[ "$killed" -ge 8 ] || fail "only $killed of 15 runs were killed mid-run"
# The state a kill leaves between the run lock making the file and the schema's commit is an
# empty file: a search says so, the next run fills it.
: >"$T/empty.db"
expect_status "empty database: search" 3 "$IMRSEARCH" --db "$T/empty.db" cryotherapy
expect_status "empty database: run" 0 "$IMRINDEX" --db "$T/empty.db" -q "$IMR_SRC/corpus/letters"
check_integrity_all "empty database: filled" "$T/empty.db"

finish
