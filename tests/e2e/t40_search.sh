#!/usr/bin/env bash
# t40_search.sh - table-driven search cases over corpus/letters: tests/data/search_cases.txt
# lists a query, imrsearch options and the exact ranked hits expected.
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"

# The format of the cases is described at the top of the file.
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    query=$(printf '%s' "$line" | awk -F' [|] ' '{print $1}')
    opts=$(printf '%s' "$line" | awk -F' [|] ' '{print $2}')
    want=$(printf '%s' "$line" | awk -F' [|] ' '{print $3}')
    # shellcheck disable=SC2086
    "$IMRSEARCH" --db "$DB" --format ids --limit 0 $opts -- "$query" >"$T/ids" 2>"$T/err"
    code=$?
    got=$(awk -F'\t' '{ n = split($1, part, "_"); id = ($1 ~ /^[0-9][0-9][0-9]_/) ? part[1] : part[1] "_" part[2]
        printf "%s%s%s", (NR > 1 ? " " : ""), id, (NF > 1 ? "#" $2 : "") }' "$T/ids")
    [ -z "$got" ] && got="-"
    expect_equal "search [$query] [$opts]" "$got" "$want"
    if [ "$want" = "-" ]; then expect_equal "exit of [$query] [$opts]" "$code" 1
    else expect_equal "exit of [$query] [$opts]" "$code" 0; fi
done <"$GOLDEN/search_cases.txt"

# IMRSEARCH_BM25_WEIGHTS (the benchmark's weight tuning) replaces the item weights when it
# holds four numbers, and is ignored otherwise.
rank() { "$IMRSEARCH" --db "$DB" --format ids --limit 0 -- "cold unit"; }
default=$(rank)
expect_equal "ignored weights" "$(IMRSEARCH_BM25_WEIGHTS=10,4 rank)" "$default"
expect_equal "junk weights" "$(IMRSEARCH_BM25_WEIGHTS=a,b,c,d rank)" "$default"
rationale_only=$(IMRSEARCH_BM25_WEIGHTS=0,10,0,0 rank)
if [ "$rationale_only" != "$default" ]; then pass; else fail "weights from the environment change nothing"; fi
expect_equal "same items, other order" "$(echo "$rationale_only" | sort)" "$(echo "$default" | sort)"

finish
