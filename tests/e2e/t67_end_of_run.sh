#!/usr/bin/env bash
# t67_end_of_run.sh - the end of a run is crash-safe: a first load killed after its last
# commit, before the merge and the word counts, leaves both recorded in meta by the batches'
# own transactions; the next run, though it has no letter to write, and `imrindex --optimize`
# without a PATH finish them: item_term equals a clean run's, item_fts is merged as a clean
# run's is. The kill is placed there without timing: the last file is a PDF whose extraction
# hangs (IMR_PDF_FAULT=hang), and the run is killed once every text letter is committed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

L="$IMR_SRC/corpus/letters"
mkdir -p "$T/text" "$T/in" "$T/pdf"
cp "$L"/*.txt "$T/text/"
cp "$L"/*.txt "$T/in/"
env ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 "$IMR_BUILD/txt2pdf" --lines 30 -o "$T/pdf" \
    "$L/001_f6bc1215f6435560.txt" || fail "txt2pdf"
cp "$T/pdf/001_f6bc1215f6435560.pdf" "$T/in/zzz_last.pdf"
n_text=$(ls "$T/text" | wc -l)

"$IMRINDEX" --db "$T/clean.db" -q "$T/text" || fail "clean run"
terms() { sql "$1" "SELECT term || ' ' || docs FROM item_term ORDER BY term;"; }
segments_rows() { sql "$1" "SELECT count(*) FROM item_fts_idx;"; }
terms "$T/clean.db" >"$T/want.terms"
[ -s "$T/want.terms" ] || fail "clean run: no item_term rows"
want_idx=$(segments_rows "$T/clean.db")

# killed_at_end DB: a run over $T/in killed after its last text letter's commit.
killed_at_end() {
    IMR_PDF_FAULT=hang "$IMRINDEX" --db "$1" -q --batch 1 --pdf-timeout 120 "$T/in" 2>"$1.err" &
    local pid=$! waited=0
    while [ "$waited" -lt 3000 ]; do # up to 300 s: a sanitizer build on a loaded runner is slow
        if [ "$(sqlite3 "$1" "SELECT count(*) FROM letter" 2>/dev/null)" = "$n_text" ] &&
            pgrep -P "$pid" >/dev/null; then
            break
        fi
        kill -0 "$pid" 2>/dev/null || break # it ended by itself: the checks below say how
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || {
        wait "$pid"
        echo "$1: imrindex ended before it was killed (status $?, after ${waited}00 ms of" \
             "polling; $(sqlite3 "$1" "SELECT count(*) FROM letter" 2>&1) letters):" >&2
        cat "$1.err" >&2
    }
    wait "$pid" 2>/dev/null
    expect_equal "$1: killed after $n_text commits" "$(sqlite3 "$1" "SELECT count(*) FROM letter")" "$n_text"
    expect_equal "$1: merge recorded" "$(sqlite3 "$1" "SELECT value FROM meta WHERE key = 'merge_pending'")" 1
}

# killed_first_load DB: a first load of $T/in killed so; every item's change is recorded.
killed_first_load() {
    killed_at_end "$1"
    expect_equal "$1: changes recorded" \
        "$(sqlite3 "$1" "SELECT CAST(value AS INTEGER) = (SELECT count(*) FROM item) FROM meta WHERE key = 'item_term_pending'")" 1
}

# The next run over the same letters has nothing to write and finishes the end of the run.
killed_first_load "$T/k1.db"
expect_status "next run" 0 "$IMRINDEX" --db "$T/k1.db" -q "$T/text"
terms "$T/k1.db" >"$T/got.terms"
expect_equal_file "next run: item_term" "$T/got.terms" "$T/want.terms"
expect_equal "next run: item_fts merged" "$(segments_rows "$T/k1.db")" "$want_idx"
expect_equal "next run: nothing pending" "$(sqlite3 "$T/k1.db" "SELECT count(*) FROM meta WHERE key = 'merge_pending'")" 0

# --optimize without a PATH merges, and finishes the word counts too.
killed_first_load "$T/k2.db"
expect_status "--optimize" 0 "$IMRINDEX" --db "$T/k2.db" -q --optimize
terms "$T/k2.db" >"$T/got.terms"
expect_equal_file "--optimize: item_term" "$T/got.terms" "$T/want.terms"
expect_equal "--optimize: item_fts merged" "$(segments_rows "$T/k2.db")" "$want_idx"

# A run that is not a first load, but writes the quarter of the items after which its end
# merges item_fts, records that merge too (it used to be recorded in first loads only, so a
# kill after such a run's last commit left item_fts unmerged for good; also when a reader
# kept a first load from leaving WAL mode).
mkdir -p "$T/one"
cp "$T/text/$(ls "$T/text" | head -n 1)" "$T/one/"
"$IMRINDEX" --db "$T/k3.db" -q "$T/one" || fail "k3: one letter"
killed_at_end "$T/k3.db"
segments() { sql "$1" "SELECT count(DISTINCT segid) FROM item_fts_idx;"; }
[ "$(segments "$T/k3.db")" -gt 1 ] && pass || fail "k3: item_fts already merged"
expect_status "not a first load: next run" 0 "$IMRINDEX" --db "$T/k3.db" -q "$T/text"
terms "$T/k3.db" >"$T/got.terms"
expect_equal_file "not a first load: item_term" "$T/got.terms" "$T/want.terms"
expect_equal "not a first load: item_fts merged" "$(segments "$T/k3.db")" 1

finish
