#!/usr/bin/env bash
# t68_slow_reader.sh - a slow reader does not stop a first load: a read transaction held for
# longer than the busy timeout (10 s) while the first load must write (its merge, after the
# last text letter; the run waits on a PDF whose extraction hangs, IMR_PDF_FAULT=hang, so the
# reader is in place before it) makes imrindex wait and try again, and the run completes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

L="$IMR_SRC/corpus/letters"
mkdir -p "$T/in" "$T/pdf"
cp "$L"/*.txt "$T/in/"
env ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 "$IMR_BUILD/txt2pdf" --lines 30 -o "$T/pdf" \
    "$L/001_f6bc1215f6435560.txt" || fail "txt2pdf"
cp "$T/pdf/001_f6bc1215f6435560.pdf" "$T/in/zzz_last.pdf"
n_text=$(ls "$L"/*.txt | wc -l)

IMR_PDF_FAULT=hang "$IMRINDEX" --db "$T/a.db" -q --batch 1 --pdf-timeout 2 "$T/in" 2>"$T/err" &
pid=$!
# The reader: once every text letter is committed, one read transaction held for 14 s.
python3 - "$T/a.db" "$n_text" <<'PY'
import sqlite3, sys, time
deadline = time.time() + 60
while time.time() < deadline:
    try:
        db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, isolation_level=None)
        db.execute("BEGIN")
        if db.execute("SELECT count(*) FROM letter").fetchone()[0] == int(sys.argv[2]):
            time.sleep(14)
            db.execute("COMMIT")
            break
        db.execute("COMMIT")
        db.close()
    except sqlite3.Error:
        pass
    time.sleep(0.05)
PY
got=0
wait "$pid" || got=$?
expect_equal "first load with a slow reader: exit" "$got" 1
expect_equal "first load with a slow reader: only the PDF skipped" "$(cat "$T/err")" \
    "$T/in/zzz_last.pdf: pdf extraction timed out after 2 s"
"$IMRINDEX" --db "$T/clean.db" -q "$T/in"/*.txt || fail "clean run"
rows "$T/a.db" >"$T/got.rows"
rows "$T/clean.db" >"$T/want.rows"
expect_equal_file "rows of a clean run" "$T/got.rows" "$T/want.rows"
expect_equal "merged as a clean run" "$(sql "$T/a.db" "SELECT count(*) FROM item_fts_idx")" \
    "$(sql "$T/clean.db" "SELECT count(*) FROM item_fts_idx")"

finish
