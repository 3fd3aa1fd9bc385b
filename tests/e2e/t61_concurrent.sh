#!/usr/bin/env bash
# t61_concurrent.sh - concurrent use of one database.
#  1. Searches while imrindex writes: every imrsearch run exits 0 or 1 (never 3: busy or
#     damaged, never 70), and each sees one committed state: its letter count is the count
#     before the run plus whole batches (or the count after), its item count is the number of
#     items of exactly those letters, and every facet table totals that same item count.
#  2. Two imrindex runs on one database: the second refuses with one clear line while the
#     first holds the database (exit 3), deterministically with flock(1) holding the lock, and
#     in a real race of two runs; the database ends with the rows of one clean run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

python3 "$IMR_SRC/corpus/generate.py" --count 3000 --seed 7 --out "$T/gen" >/dev/null 2>&1 ||
    fail "generate.py"
C="$T/gen/letters"
first=$(ls "$C" | head -n 1)

# The state before: the first folder only.
db="$T/imr.db"
"$IMRINDEX" --db "$db" -q "$C/$first" || fail "first folder"
before=$(sql "$db" "SELECT count(*) FROM letter;")

# 1. Searches while a run adds the other letters in batches of 50: two loops of searches,
# one of stats (totals and facet tables), one of ranked searches; their outputs are checked
# after the run.
"$IMRINDEX" --db "$db" -q --batch 50 "$C" 2>"$T/writer.err" &
writer=$!
mkdir -p "$T/s" "$T/q"
(
    n=0
    while kill -0 "$writer" 2>/dev/null || [ "$n" -lt 3 ]; do
        n=$((n + 1))
        code=0
        "$IMRSEARCH" --db "$db" --format json stats >"$T/s/$n" 2>"$T/s/$n.err" || code=$?
        echo "$code" >"$T/s/$n.code"
    done
) &
stats_loop=$!
n=0
while kill -0 "$writer" 2>/dev/null || [ "$n" -lt 3 ]; do
    n=$((n + 1))
    code=0
    "$IMRSEARCH" --db "$db" --format json --limit 5 --facets type pain >"$T/q/$n" \
        2>"$T/q/$n.err" || code=$?
    echo "$code" >"$T/q/$n.code"
done
wait "$stats_loop"
status=0
wait "$writer" || status=$?
expect_equal "writer exit" "$status" 0
after=$(sql "$db" "SELECT count(*) FROM letter;")
total=$(find "$C" -name '*.txt' | wc -l)
expect_equal "all letters in" "$after" "$total"
for f in "$T"/q/*.code; do
    case $(cat "$f") in
    0 | 1) pass ;;
    *) fail "search ${f%.code}: exit $(cat "$f"): $(cat "${f%.code}.err")" ;;
    esac
done
for f in "$T"/s/*.code; do
    if [ "$(cat "$f")" != 0 ]; then
        fail "stats ${f%.code}: exit $(cat "$f"): $(cat "${f%.code}.err")"
        continue
    fi
    python3 - "${f%.code}" >>"$T/seen" <<'PY' || fail "stats ${f%.code}: not one state"
import json, sys
s = json.load(open(sys.argv[1]))
for t in s["tables"]:  # the placeholder items of letters no item was read from are left out
    if t["total"] + s["left_out_letters"] != s["items"]:
        sys.exit("%s totals %d items and %d left out, the database %d items" % (
            t["rows"], t["total"], s["left_out_letters"], s["items"]))
print(s["letters"], s["items"])
PY
done
echo "note: $(ls "$T"/q/*.code | wc -l) searches and $(ls "$T"/s/*.code | wc -l) stats while" \
    "writing; $(sort -u "$T/seen" | wc -l) distinct states seen" >&2

# Every state seen was committed: letters are the first ones written (ids are given in
# order), whole batches of 50 after the first folder, and items are theirs exactly.
sort -u "$T/seen" | while read -r letters items; do
    if [ "$letters" -ne "$after" ] && [ $(((letters - before) % 50)) -ne 0 ]; then
        fail "letters $letters: not the first folder ($before) plus whole batches"
    fi
    want=$(sql "$db" "SELECT count(*) FROM item WHERE letter_id IN
                      (SELECT id FROM letter ORDER BY id LIMIT $letters);")
    expect_equal "items of the first $letters letters" "$items" "$want"
done

# 2a. While another process holds the run lock, imrindex refuses at once, with one line.
flock "$db" sh -c "'$IMRINDEX' --db '$db' -q '$C' 2>'$T/lock.err'; echo \$? >'$T/lock.code'"
expect_equal "locked: exit" "$(cat "$T/lock.code")" 3
expect_equal "locked: message" "$(cat "$T/lock.err")" \
    "imrindex: $db: another imrindex is updating this database; run again when it has finished"

# 2b. Two runs started together on a new database, three times: each pair either ran one
# after the other (both exit 0) or one refused (exit 3, the message above); the database
# always ends with the rows of a clean run.
"$IMRINDEX" --db "$T/clean.db" -q "$C" || fail "clean run"
rows "$T/clean.db" >"$T/rows.clean"
for r in 1 2 3; do
    rdb="$T/race$r.db"
    "$IMRINDEX" --db "$rdb" -q "$C" 2>"$T/a.err" &
    a=$!
    "$IMRINDEX" --db "$rdb" -q "$C" 2>"$T/b.err" &
    b=$!
    sa=0
    wait "$a" || sa=$?
    sb=0
    wait "$b" || sb=$?
    msg="imrindex: $rdb: another imrindex is updating this database; run again when it has finished"
    case "$sa:$sb" in
    0:0) pass ;;
    0:3) expect_equal "race $r: message" "$(cat "$T/b.err")" "$msg" ;;
    3:0) expect_equal "race $r: message" "$(cat "$T/a.err")" "$msg" ;;
    *) fail "race $r: exits $sa and $sb: $(cat "$T/a.err" "$T/b.err")" ;;
    esac
    check_integrity_all "race $r" "$rdb"
    rows "$rdb" >"$T/rows"
    expect_equal_file "race $r: rows of a clean run" "$T/rows" "$T/rows.clean"
done
finish
