#!/usr/bin/env bash
# t06_variants.sh - the variants generator (corpus/variants.py, also corpus/generate.py
# --variants): deterministic whatever --jobs, its truth agrees with its letters, it writes every
# layout and kind of variation it documents; and the facet-accuracy benchmark
# (tests/bench/facets.py) runs end to end on a few letters.
source "$(dirname "$0")/lib.sh"
VAR="$IMR_SRC/corpus/variants.py"
GEN="$IMR_SRC/corpus/generate.py"
CHECK="$IMR_SRC/tests/e2e/corpus_check.py"

sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# Same seed: byte-identical whatever --jobs, and through generate.py --variants.
python3 "$VAR" --count 300 --seed 5 --out "$T/a" --jobs 1 2>/dev/null
python3 "$GEN" --variants --count 300 --seed 5 --out "$T/b" --jobs 2 2>"$T/b.err"
sums "$T/a" >"$T/a.sums"
sums "$T/b" >"$T/b.sums"
expect_equal_file "same seed, variants.py --jobs 1 vs generate.py --variants --jobs 2" \
    "$T/b.sums" "$T/a.sums"
expect_equal "truth has one line per letter" "$(wc -l <"$T/a/truth.jsonl")" "300"
expect_equal "id naming" "$(sed -n 300p "$T/a/truth.jsonl" | cut -c1-69)" \
    '{"letter": "var_0000300", "path": "letters/0000/var_0000300.txt", "la'
if grep -Eq '^variants.py: 300 letters, [0-9.]+ MB, [0-9.]+ s' "$T/b.err"; then pass; else
    fail "summary line: $(cat "$T/b.err")"; fi

# A different seed gives other letters; letter k does not depend on --count.
python3 "$VAR" --count 1200 --seed 5 --out "$T/c" 2>/dev/null
cmp -s "$T/a/letters/0000/var_0000123.txt" "$T/c/letters/0000/var_0000123.txt" && pass ||
    fail "letter 123 depends on --count"
expect_equal "shard 0001 first" "$(ls "$T/c/letters/0001" | head -1)" "var_0001000.txt"
python3 "$VAR" --count 5 --seed 6 --out "$T/d" 2>/dev/null
if cmp -s "$T/a/letters/0000/var_0000001.txt" "$T/d/letters/0000/var_0000001.txt"; then
    fail "seed 6 equals seed 5"; else pass; fi

# The truth is valid and every item text occurs in its letter.
if python3 "$CHECK" "$T/c" --variants >"$T/check.out"; then pass; else
    fail "corpus_check --variants"; head -20 "$T/check.out" >&2; fi

# Every layout, the layout-2 notices, several layout-3 items, missing headings, cut files and
# the encodings occur in 1,200 letters.
python3 - "$T/c/truth.jsonl" >"$T/kinds" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    seen.add("layout-%d" % t["layout"])
    seen.update(t["variants"])
    seen.update(t["messy"])
    seen.add("year-" + t["year_source"])
    for it in t["items"]:
        seen.add(it["item_type"])
print(" ".join(sorted(seen)))
PY
for kind in layout-0 layout-1 layout-2 layout-3 notice l3-multi missing-decisions-heading \
    missing-summary-heading missing-issue-heading missing-rationale item-no-decision \
    decision-next-line truncated latin1 mixed-encoding ligature crlf footer single-spaced \
    year-decision-date year-dated year-case-number year-events topical epidural-injection; do
    case " $(cat "$T/kinds") " in *" $kind "*) pass ;; *) fail "no letter with $kind" ;; esac
done

# A mixed file: valid UTF-8 (a ligature) and a stray Windows-1252 byte.
python3 - "$T/c" <<'PY' && pass || fail "mixed-encoding letter is not mixed"
import json, sys
for line in open(sys.argv[1] + "/truth.jsonl", encoding="utf-8"):
    t = json.loads(line)
    if "mixed-encoding" in t["messy"]:
        data = open(sys.argv[1] + "/" + t["path"], "rb").read()
        assert "\ufb01".encode() in data and b"Nu\xf1ez" in data
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            sys.exit(0)
sys.exit(1)
PY

# The benchmark on 30 letters per corpus: both rows of the table, figures as percentages.
if python3 "$IMR_SRC/tests/bench/facets.py" --letters 30 --build "$IMR_BUILD" \
    --corpora "$T/gen" --work "$T/work" --jobs 1 >"$T/bench.out" 2>"$T/bench.err"; then
    pass; else fail "facets.py: $(tail -3 "$T/bench.err")"; fi
grep -Eq '^\| variants \(corpus/variants.py\) \| 30 \| [0-9]+ \| ([0-9.]+%|n/a)' "$T/bench.out" &&
    pass || fail "variants row: $(grep variants "$T/bench.out" | head -2)"
grep -Eq '^\| own generator \(corpus/generate.py\) \| 30 \| [0-9]+ \| ([0-9.]+%|n/a)' \
    "$T/bench.out" && pass || fail "own generator row"
# With --base, a row per build and corpus; the same build twice gives the same figures.
python3 "$IMR_SRC/tests/bench/facets.py" --letters 30 --build "$IMR_BUILD" --base "$IMR_BUILD" \
    --corpora "$T/gen" --work "$T/work" --jobs 1 >"$T/base.out" 2>"$T/base.err" &&
    pass || fail "facets.py --base: $(tail -3 "$T/base.err")"
# (The rows of the main table; the specialty table has rows of the same names, 6 cells.)
awk -F'|' 'NF > 10' "$T/base.out" >"$T/main_rows"
awk -F'|' 'NF == 7 && /^\| [vo]/' "$T/base.out" >"$T/specialty_rows"
[ "$(grep -c '^| variants (corpus/variants.py), ' "$T/main_rows")" = 2 ] &&
    [ "$(grep -c '^| own generator (corpus/generate.py), ' "$T/main_rows")" = 2 ] &&
    pass || fail "--base rows: $(grep '^| [vo]' "$T/main_rows")"
[ "$(grep '^| variants (corpus/variants.py), ' "$T/main_rows" | cut -d'|' -f3- | sort -u |
    wc -l)" = 1 ] && pass || fail "the same build twice differs"
[ "$(wc -l <"$T/specialty_rows")" = 4 ] &&
    [ "$(grep '^| variants (corpus/variants.py), ' "$T/specialty_rows" | cut -d'|' -f3- |
        sort -u | wc -l)" = 1 ] && pass || fail "specialty rows: $(cat "$T/specialty_rows")"
expect_status "facets.py without a build" 2 python3 "$IMR_SRC/tests/bench/facets.py" \
    --letters 3 --build "$T/nowhere" --corpora "$T/gen" --work "$T/work"
grep -q 'imrindex is not built' "$T/err" && pass || fail "no-build message: $(cat "$T/err")"
finish
