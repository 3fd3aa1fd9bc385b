#!/usr/bin/env bash
# t70_bounded_work.sh - a search's work is bounded by its matches: no query costs more than a
# fixed factor of the items it matches plus the hits it shows, and the work grows as the
# matches do, not faster. Work is imr_results_work(), the SQLite virtual-machine steps of the
# search's statements (tests/tools/search_work), so nothing is timed. Issue 17 found a page
# whose own-text matches were fewer than the page size cost a correlated bm25 subquery per
# candidate: `--limit 64544 the` took 104 s against 3 s for `--limit 64543`, and `--limit 0
# "physical therapy"` 1.3 s at 4k letters but 99 s at 40k.
. "$(dirname "$0")/lib.sh"

# Two databases: the bundled letters 8 times, and 32 times (each copy under its own name), so
# that every query matches exactly four times as many items in the second.
mkdir -p "$T/a" "$T/b"
for c in $(seq 1 32); do
    for f in "$IMR_SRC"/corpus/letters/*.txt; do
        b=$(basename "$f" .txt)
        [ "$c" -le 8 ] && cp "$f" "$T/a/${b}_c$c.txt"
        cp "$f" "$T/b/${b}_c$c.txt"
    done
done
"$IMRINDEX" --db "$T/a.db" -q "$T/a" || fail "index a"
"$IMRINDEX" --db "$T/b.db" -q "$T/b" || fail "index b"

# Queries of every kind: the issue's, common words, phrases, prefixes, OR, exclusions, facet
# words, letter-level scopes, no match, and the query-less listing (the empty line). After a
# '|', the query whose matches bound the work when it is not the query itself: facets alone
# are read through an index on one of them and checked for the others, so "upheld shoulder"
# (no item) costs a constant per upheld item.
cat >"$T/cases" <<'Q'
the
physical therapy
cryotherapy patient history
"home exercise"
therap*
norco OR tramadol
lumbar MRI
overturned -knee
upheld shoulder|upheld
summary:pain
letter:"physical therapy"
xyzzy

Q
cut -d'|' -f1 "$T/cases" >"$T/queries"
awk -F'|' '{ print (NF > 1 ? $2 : $1) }' "$T/cases" >"$T/bounds"

# work DB LIMIT [FILE]: "ITEMS SHOWN WORK QUERY" for each query of FILE ($T/queries).
work() { "$IMR_BUILD/search_work" "$1" "$2" <"${3:-$T/queries}"; }

# Per query, with a page of 10 and with every hit: (1) the work is at most 100 steps per item
# matched (by the query, or by its bound) or hit shown, plus 1,000 (measured: 44 at most);
# (2) four times the matches cost at most 4.5 times the work (measured: 4.0 at most; a
# per-candidate subquery over the table grows with the square of the size: 16 times).
work "$T/b.db" 10 "$T/bounds" | cut -d' ' -f1 >"$T/nbound"
for limit in 10 0; do
    work "$T/a.db" "$limit" >"$T/wa" || fail "search_work a"
    work "$T/b.db" "$limit" >"$T/wb" || fail "search_work b"
    expect_equal "limit $limit: queries answered" "$(grep -vc '^error' "$T/wb")" "$(wc -l <"$T/queries")"
    out=$(paste -d '\t' "$T/wa" "$T/wb" "$T/nbound" | awk -F '\t' -v limit="$limit" '{
        split($1, a, " "); split($2, b, " ")
        q = substr($2, length(b[1] b[2] b[3]) + 4)
        if (b[1] != 4 * a[1]) print "limit " limit ", [" q "]: " b[1] " items, not 4 x " a[1]
        if (b[3] > 100 * ($3 + b[2]) + 1000)
            print "limit " limit ", [" q "]: work " b[3] " for " $3 " items, " b[2] " shown"
        if (b[3] > 4.5 * a[3] + 100)
            print "limit " limit ", [" q "]: work " a[3] " -> " b[3] " for 4 x the items"
    }')
    expect_equal "limit $limit: work bounded by matches" "$out" ""
done

# No cliff at the number of matches: a page one hit longer than the matches costs what a page
# one hit shorter does, give or take what one hit's display costs.
total=$(head -n 1 "$T/wb" | cut -d' ' -f1)
[ "$total" -gt 10 ] || fail "the: $total items"
w_less=$(echo the | "$IMR_BUILD/search_work" "$T/b.db" $((total - 1)) | cut -d' ' -f3)
w_more=$(echo the | "$IMR_BUILD/search_work" "$T/b.db" $((total + 1)) | cut -d' ' -f3)
if [ "$w_more" -le $((w_less + w_less / 20 + 100)) ]; then pass; else
    fail "the: --limit $((total + 1)) costs $w_more, --limit $((total - 1)) $w_less"
fi

finish
