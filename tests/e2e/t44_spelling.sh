#!/usr/bin/env bash
# t44_spelling.sh - a misspelt word that no item holds is searched as the word one edit away
# that items hold (imr_query_correct(), docs/query-syntax.md "Misspelt words"), and says so;
# quoted, excluded, literal and common words are searched as typed.
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
ids() { "$IMRSEARCH" --db "$DB" --format ids --limit 0 "$@" 2>/dev/null | sort; }

# The correction finds what the right spelling finds, and the reading names it.
for pair in "cyrotherapy:cryotherapy" "physcial therapy:physical therapy" \
            "crytherapy shoulder:cryotherapy shoulder"; do
    typed=${pair%%:*} right=${pair#*:}
    want=$(ids -- $right)
    [ -n "$want" ] || fail "the right spelling [$right] finds nothing in the seeds"
    expect_equal "corrected [$typed]" "$(ids -- $typed)" "$want"
done
got=$("$IMRSEARCH" --db "$DB" --limit 1 cyrotherapy | sed -n 2p)
expect_equal "reading line" "$got" \
    'read as: cryotherapy · spelling cyrotherapy → cryotherapy  (--literal or "quotes": words as text)'
got=$("$IMRSEARCH" --db "$DB" --format json --limit 1 cyrotherapy |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["interpretation"]["corrections"])')
expect_equal "json corrections" "$got" "[{'typed': 'cyrotherapy', 'searched': 'cryotherapy'}]"
# The counts agree with the hits.
got=$("$IMRSEARCH" --db "$DB" --format json --by decision cyrotherapy |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["tables"][0]["total"])' 2>&1)
expect_equal "facet counts corrected" "$got" "$(ids -- cryotherapy | wc -l)"

# Searched as typed: quoted, excluded, a prefix, --literal, and a word the letters hold
# ("could": one item, although "cold" is in five: not enough to call it a typo).
expect_status "quoted" 1 "$IMRSEARCH" --db "$DB" '"cyrotherapy"'
expect_status "literal" 1 "$IMRSEARCH" --db "$DB" --literal cyrotherapy
expect_status "prefix" 1 "$IMRSEARCH" --db "$DB" 'cyrotherap*'
expect_equal "excluded" "$(ids -- cold -cyrotherapy)" "$(ids -- cold)"
could=$(ids -- could)
expect_equal "a word the letters hold" "$(printf '%s\n' "$could" | grep -c .)" 1
expect_equal "not read as cold" "$("$IMRSEARCH" --db "$DB" --limit 1 could | grep -c spelling)" 0
# A word nothing is near stays, and nothing matches.
expect_status "no correction" 1 "$IMRSEARCH" --db "$DB" zzqxv
finish
