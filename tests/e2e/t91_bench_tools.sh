#!/usr/bin/env bash
# t91_bench_tools.sh - the benchmark's stock FTS5 peer (bench_stock_load, bench_stock_query)
# on the five seed letters (corpus/letters/00[0-4]_*), and run_queries.py's translation of a
# query for the peers; tests/bench/export.sh on the bundled letters.
. "$(dirname "$0")/lib.sh"
LOAD="$IMR_BUILD/bench_stock_load"
QUERY="$IMR_BUILD/bench_stock_query"
ls "$IMR_SRC"/corpus/letters/00[0-4]_*.txt >"$T/files.txt"
echo "$T/no-such-letter.txt" >>"$T/files.txt"

# One row per letter; an unreadable file is named, skipped and makes the exit status 1.
expect_status "load letters" 1 "$LOAD" "$T/stock.db" "$T/files.txt"
expect_equal "load summary" "$(tail -n 1 "$T/err")" "bench_stock_load: 5 files, 5 rows, 1 skipped"
expect_status "load refuses an existing db" 2 "$LOAD" "$T/stock.db" "$T/files.txt"
expect_equal "existing db message" "$(cat "$T/err")" "bench_stock_load: $T/stock.db exists already"

# ThermoCool is disputed in seeds 003 and 004 only; the snippet brackets the match.
expect_status "query thermocool" 0 "$QUERY" "$T/stock.db" '"thermocool"' 10
got=$(python3 -c 'import json,sys
print(" ".join(sorted(json.loads(l)["letter"] for l in sys.stdin)))' <"$T/out")
expect_equal "thermocool letters" "$got" "003_6d6d2d7886315427 004_86369982a4019b49"
expect_equal "thermocool snippet" "$(grep -ci '\[thermocool\]' "$T/out")" "2"
expect_status "query limit" 0 "$QUERY" "$T/stock.db" '"unit"' 2
expect_equal "limit 2" "$(wc -l <"$T/out")" "2"
expect_status "query bad syntax" 3 "$QUERY" "$T/stock.db" '"hot" AND (' 10
expect_equal "bad syntax message" "$(cat "$T/err")" 'bench_stock_query: fts5: syntax error near ""'
expect_status "query bad limit" 2 "$QUERY" "$T/stock.db" '"hot"' 0

# Per item: seeds 003 and 004 have two disputed items each, the others one.
ls "$IMR_SRC"/corpus/letters/00[0-4]_*.txt >"$T/files.txt"
expect_status "load items" 0 "$LOAD" --per-item "$T/items.db" "$T/files.txt"
expect_equal "items summary" "$(tail -n 1 "$T/err")" "bench_stock_load: 5 files, 7 rows, 0 skipped"
expect_status "query medial branch" 0 "$QUERY" "$T/items.db" '"medial" AND "branch"' 1
got=$(python3 -c 'import json,sys
r = json.loads(sys.stdin.readline()); print(r["letter"], r["item_number"])' <"$T/out")
expect_equal "medial branch item" "$got" "004_86369982a4019b49 1"

# How run_queries.py hands a query and its filters to the peers.
(cd "$IMR_SRC/tests/bench" && python3 -c '
from run_queries import fts5_expression, filter_words, command
print(fts5_expression("ESI L5-S1", filter_words(["--decision", "overturned"])))
print(fts5_expression("\"medial branch\" block",
                      filter_words(["--region", "wrist-hand", "--source", "odg"])))
print(" ".join(command("xapian", "X", "D", {"q": "hot cold", "args": ["--region", "ankle-foot"]}, 10)))
print(" ".join(command("imr", "S", "D", {"q": "hot cold", "args": ["--decision", "upheld"]}, 100)))'
) >"$T/translate.out" 2>&1
cat >"$T/translate.want" <<'WANT'
"ESI" AND "L5-S1" AND "overturned"
"medial branch" AND "block" AND "wrist" AND "ODG"
X query D hot cold ankle 10
S --db D --format jsonl --limit 100 --decision upheld hot cold
WANT
expect_equal_file "peer translation" "$T/translate.out" "$T/translate.want"
# export.sh: one row per program and query, with the CSV's rows (thermocool: two items).
"$IMRINDEX" --db "$T/imr.db" -q "$IMR_SRC"/corpus/letters || fail "imrindex"
cp "$T/imr.db" "$T/other.db"
bash "$IMR_SRC/tests/bench/export.sh" --repeat 1 "$T/imr.db" a="$IMRSEARCH" b="$IMRSEARCH@$T/other.db" \
    -- thermocool >"$T/export.md" || fail "export.sh"
expect_equal "export.sh rows" "$(tail -n +3 "$T/export.md" | cut -d'|' -f2-4 | tr -s ' ')" \
    "$(printf ' thermocool | a | 2 \n thermocool | b | 2 ')"
# The ratio to the baseline: 1.00 for the baseline itself, a number (1.00 too, at times) for
# the other.
expect_equal "export.sh ratios" "$(tail -n +3 "$T/export.md" | cut -d'|' -f7 | tr -d ' ' |
    sed -E '1s/^1\.00$/base/; 2s/^[0-9]+\.[0-9]{2}$/ratio/' | tr '\n' ' ')" "base ratio "
expect_status "export.sh without a program" 2 bash "$IMR_SRC/tests/bench/export.sh" "$T/imr.db"
finish
