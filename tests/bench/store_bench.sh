#!/usr/bin/env bash
# store_bench.sh - indexing throughput and storage of imrindex against stock FTS5, one run.
#
# Usage: tests/bench/store_bench.sh BUILD_DIR CORPUS_DIR [WORK_DIR]
#
# Loads every *.txt under CORPUS_DIR (1) into stock FTS5 from the sqlite3 shell, one column
# per letter, tokenize='porter unicode61 remove_diacritics 2', one transaction; (2) with
# imrindex into a new database; then (3) rebuilds imrindex's index as external content
# (the design) and as an ordinary FTS5 table with its own copy of the text, and compares their
# sizes and build times. Prints one line per measurement. Wall times on a shared machine vary:
# run it more than once.
set -euo pipefail
build=$(cd "$1" && pwd)
corpus=$(cd "$2" && pwd)
work=${3:-$(mktemp -d)}
mkdir -p "$work"
ext="$build/imr"
bytes=$(find "$corpus" -name '*.txt' -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$corpus" -name '*.txt' -type f | wc -l)
echo "corpus: $files letters, $bytes bytes"

now() { date +%s.%N; }
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN {printf "%.1f", b / 1e6 / t}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
ratio() { awk -v s="$1" -v b="$bytes" 'BEGIN {printf "%.2f", s / b}'; }

# (1) stock FTS5
rm -f "$work/stock.db"
t0=$(now)
sqlite3 "$work/stock.db" "CREATE VIRTUAL TABLE doc USING fts5(body,
    tokenize='porter unicode61 remove_diacritics 2'); BEGIN;
    INSERT INTO doc(body) SELECT CAST(readfile(name) AS TEXT) FROM fsdir('$corpus')
    WHERE name LIKE '%.txt'; COMMIT;"
t1=$(now)
s=$(stat -c %s "$work/stock.db")
echo "stock fts5: $(secs "$t0" "$t1") s, $(mbs "$(secs "$t0" "$t1")") MB/s, size $s ($(ratio "$s") x corpus)"

# (2) imrindex
rm -f "$work/imr.db" "$work/imr.db-wal" "$work/imr.db-shm"
t0=$(now)
/usr/bin/time -f "%M" -o "$work/rss" "$build/imrindex" -q --db "$work/imr.db" "$corpus" || true
t1=$(now)
s=$(stat -c %s "$work/imr.db")
items=$(sqlite3 "$work/imr.db" "SELECT count(*) FROM item;")
echo "imrindex:   $(secs "$t0" "$t1") s, $(mbs "$(secs "$t0" "$t1")") MB/s, size $s ($(ratio "$s") x corpus), $items items, peak RSS $(($(cat "$work/rss") / 1024)) MB"

# (3) external against ordinary content, on the same rows
cp "$work/imr.db" "$work/ext.db"
sqlite3 "$work/ext.db" "PRAGMA journal_mode = DELETE; VACUUM;" >/dev/null
t0=$(now)
sqlite3 "$work/ext.db" ".load $ext" "INSERT INTO item_fts(item_fts) VALUES('rebuild');
    INSERT INTO letter_fts(letter_fts) VALUES('rebuild');"
t1=$(now)
sqlite3 "$work/ext.db" "VACUUM;"
se=$(stat -c %s "$work/ext.db")
echo "external content: rebuild $(secs "$t0" "$t1") s, size $se ($(ratio "$se") x corpus)"
cp "$work/ext.db" "$work/ord.db"
sqlite3 "$work/ord.db" ".load $ext" "DROP TABLE item_fts; CREATE VIRTUAL TABLE item_fts USING
    fts5(item, rationale, guideline, ca_guideline, tokenize='imr');
    DROP TABLE letter_fts; CREATE VIRTUAL TABLE letter_fts USING
    fts5(summary, other, tokenize='imr');"
t0=$(now)
sqlite3 "$work/ord.db" ".load $ext" "INSERT INTO item_fts(rowid, item, rationale, guideline,
    ca_guideline) SELECT id, item, rationale, guideline, ca_guideline FROM item_doc;
    INSERT INTO letter_fts(rowid, summary, other) SELECT id, summary, other FROM letter_doc;"
t1=$(now)
sqlite3 "$work/ord.db" "VACUUM;"
so=$(stat -c %s "$work/ord.db")
echo "ordinary content: build $(secs "$t0" "$t1") s, size $so ($(ratio "$so") x corpus)"
for db in ext ord; do
    echo "$db: $(sqlite3 "$work/$db.db" "SELECT name || ' ' || sum(pgsize) FROM dbstat
        GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 4;" | tr '\n' ';')"
done
