#!/usr/bin/env bash
# t45_relax.sh - a query of three words or more whose text no item matches leaves words out,
# one at a time, the one without which the most items match (with the filters), until some
# item's text matches (filter.c, docs/query-syntax.md "When no item has every word"), and says
# which; the filters alone never make a short query drop a word (no false precedents), but do
# a long one's; quoted phrases, excluded words, --literal and shorter queries are searched as
# typed.
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
ids() { "$IMRSEARCH" --db "$DB" --format ids --limit 0 "$@" 2>/dev/null | sort; }
count() { ids "$@" | grep -c .; }

# No seed item holds "acupuncture"; seven hold cryotherapy and unit. The word left out is
# acupuncture (without cryotherapy or unit, nothing would match), and the hits are those of
# the query without it.
expect_equal "no item has acupuncture" "$(count --literal acupuncture)" 0
want=$(ids -- cryotherapy unit)
[ -n "$want" ] || fail "the seeds hold no cryotherapy unit"
expect_equal "relaxed hits" "$(ids -- cryotherapy unit acupuncture)" "$want"
expect_equal "relaxed, words in any order" "$(ids -- acupuncture cryotherapy unit)" "$want"
got=$("$IMRSEARCH" --db "$DB" --limit 1 cryotherapy unit acupuncture | sed -n 2p)
expect_equal "reading line" "$got" \
    'read as: cryotherapy unit · left out (no matching item has every word): acupuncture  (--literal or "quotes": words as text)'
got=$("$IMRSEARCH" --db "$DB" --format json --limit 1 cryotherapy unit acupuncture |
      python3 -c 'import json,sys; i=json.load(sys.stdin)["interpretation"]; print(i["text"], i["dropped"])')
expect_equal "json dropped" "$got" "cryotherapy unit ['acupuncture']"
# The facet counts read the query as the search does.
got=$("$IMRSEARCH" --db "$DB" --format json --by decision cryotherapy unit acupuncture |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["tables"][0]["total"], d["interpretation"]["dropped"])')
expect_equal "facet counts relaxed" "$got" "$(printf '%s\n' "$want" | grep -c .) ['acupuncture']"
got=$("$IMRSEARCH" --db "$DB" --by decision cryotherapy unit acupuncture | sed -n 2p)
expect_equal "facet reading line" "$got" \
    'read as: cryotherapy unit · left out (no matching item has every word): acupuncture  (--literal or "quotes": words as text)'

# Filters: one item holds therapy, rental and days, and it is upheld. Overturned, a short
# query lists nothing rather than items about something else; a long one (five words that may
# be left out) leaves out the word without which overturned items match.
expect_equal "therapy rental days" "$(count -- therapy rental days)" 1
expect_status "short, filtered to nothing" 1 "$IMRSEARCH" --db "$DB" --decision overturned therapy rental days
expect_status "short, the decision word" 1 "$IMRSEARCH" --db "$DB" therapy rental days overturned
expect_equal "long, upheld" "$(ids -- therapy rental days for the)" "$(ids -- therapy rental days)"
want=$(ids --decision overturned -- rental days for the)
[ -n "$want" ] || fail "no overturned item holds rental days for the"
expect_equal "long, relaxed by the filter" "$(ids --decision overturned -- therapy rental days for the)" "$want"
expect_equal "long, the decision word" "$(ids -- therapy rental days for the overturned)" "$want"
# An excluded word stays excluded.
expect_equal "exclusion kept" "$(ids -- cryotherapy unit acupuncture -knee)" "$(ids -- cryotherapy unit -knee)"

# Searched as typed, and nothing matches: --literal, a quoted phrase with one word besides
# (a phrase is never left out), and words that match nothing even one by one.
expect_status "literal" 1 "$IMRSEARCH" --db "$DB" --literal cryotherapy unit acupuncture
expect_status "phrase and a word" 1 "$IMRSEARCH" --db "$DB" '"cold unit" acupuncture'
expect_status "nothing at all" 1 "$IMRSEARCH" --db "$DB" zzqxv qqzvx
got=$("$IMRSEARCH" --db "$DB" zzqxv qqzvx 2>&1 | sed -n 2p)
expect_equal "nothing at all: no words left out" "$(printf '%s' "$got" | grep -c 'left out')" 0
# A query that matches as typed leaves nothing out.
got=$("$IMRSEARCH" --db "$DB" --format json --limit 1 therapy rental |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["interpretation"]["dropped"])')
expect_equal "matched as typed" "$got" "[]"
finish
