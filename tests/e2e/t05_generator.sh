#!/usr/bin/env bash
# t05_generator.sh - the corpus generator (corpus/generate.py): deterministic whatever --jobs,
# seed-dependent, and its truth file agrees with its letters and the documented proportions;
# its slugs are the library's.
source "$(dirname "$0")/lib.sh"
GEN="$IMR_SRC/corpus/generate.py"
CHECK="$IMR_SRC/tests/e2e/corpus_check.py"

sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# Same seed, one or two worker processes: byte-identical letters and truth.
python3 "$GEN" --count 300 --seed 7 --out "$T/a" --jobs 1 2>/dev/null
python3 "$GEN" --count 300 --seed 7 --out "$T/b" --jobs 2 2>/dev/null
sums "$T/a" >"$T/a.sums"
sums "$T/b" >"$T/b.sums"
expect_equal_file "same seed, --jobs 1 vs 2" "$T/b.sums" "$T/a.sums"
expect_equal "301 files (300 letters + truth)" "$(wc -l <"$T/a.sums")" "301"
expect_equal "truth has one line per letter" "$(wc -l <"$T/a/truth.jsonl")" "300"
expect_equal "shard folder and id naming" "$(sed -n 300p "$T/a/truth.jsonl" | cut -c1-69)" \
    '{"letter": "gen_0000300", "path": "letters/0000/gen_0000300.txt", "la'

# A different seed gives different letters.
python3 "$GEN" --count 50 --seed 8 --out "$T/c" --jobs 2 2>/dev/null
if cmp -s "$T/a/letters/0000/gen_0000001.txt" "$T/c/letters/0000/gen_0000001.txt"; then
    fail "seed 8 equals seed 7"; else pass; fi

# 2000 letters of the same seed: shards of at most 1000 letters (letter 1000 opens shard 0001),
# the summary line, and the first 300 letters do not depend on --count.
python3 "$GEN" --count 2000 --seed 7 --out "$T/e" --jobs 2 2>"$T/e.err"
expect_equal "shard folders" "$(ls "$T/e/letters" | tr '\n' ' ')" "0000 0001 0002 "
expect_equal "shard 0000 size" "$(ls "$T/e/letters/0000" | wc -l)" "999"
expect_equal "shard 0001 first" "$(ls "$T/e/letters/0001" | head -1)" "gen_0001000.txt"
expect_equal "shard 0002" "$(ls "$T/e/letters/0002")" "gen_0002000.txt"
if grep -Eq '^generate.py: 2000 letters, [0-9.]+ MB, [0-9.]+ s' "$T/e.err"; then pass; else
    fail "summary line: $(cat "$T/e.err")"; fi
cmp -s "$T/a/letters/0000/gen_0000123.txt" "$T/e/letters/0000/gen_0000123.txt" && pass ||
    fail "letter 123 depends on --count"
expect_equal "truth prefix" "$(head -300 "$T/e/truth.jsonl" | sha256sum)" \
    "$(sha256sum <"$T/a/truth.jsonl")"

# Truth is valid, item texts occur in their letters, proportions hold.
if python3 "$CHECK" "$T/e" --proportions >"$T/check.out"; then pass; else
    fail "corpus_check"; cat "$T/check.out" >&2; fi

# The checker itself notices an item text that is not in its letter, and a bad slug.
sed '0,/"text": "/s//"text": "NOT IN THE LETTER /' "$T/e/truth.jsonl" >"$T/t1" && mv "$T/t1" "$T/e/truth.jsonl"
expect_status "checker catches a wrong item text" 1 python3 "$CHECK" "$T/e"
sed '0,/"text": "NOT IN THE LETTER /s//"text": "/; 0,/"item_type": "[a-z-]*"/s//"item_type": "gadget"/' \
    "$T/e/truth.jsonl" >"$T/t1" && mv "$T/t1" "$T/e/truth.jsonl"
expect_status "checker catches a bad slug" 1 python3 "$CHECK" "$T/e"
grep -q 'bad slug' "$T/out" && pass || fail "bad slug message: $(cat "$T/out")"

# Bad arguments are a usage error.
expect_status "missing --out" 2 python3 "$GEN" --count 3 --seed 1
expect_status "negative count" 2 python3 "$GEN" --count -1 --seed 1 --out "$T/f"
expect_status "output folder not empty" 2 python3 "$GEN" --count 3 --seed 1 --out "$T/a"
grep -q 'already holds letters' "$T/err" && pass || fail "not-empty message: $(cat "$T/err")"
expect_status "zero letters" 0 python3 "$GEN" --count 0 --seed 1 --out "$T/z"
expect_equal "zero letters: empty truth" "$(wc -c <"$T/z/truth.jsonl")" "0"

# The slugs of the generators and the checker (corpus/vocab.py, read from indexer/vocab.def)
# are the library's, in its order, as imrsearch lists them after a value it does not know.
"$IMRINDEX" --db "$T/seeds.db" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
vocab() {
    python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import vocab
print(", ".join(getattr(vocab, sys.argv[2])))' "$IMR_SRC/corpus" "$1"
}
for f in decision:DECISION type:ITEM_TYPE region:BODY_REGION source:GUIDELINE_SOURCE; do
    listed=$("$IMRSEARCH" --db "$T/seeds.db" "--${f%%:*}" zzzz x 2>&1 | sed -n 's/.* are: //p')
    expect_equal "vocab.py ${f#*:} is the library's" "$(vocab "${f#*:}")" "$listed"
done
[ "$(vocab NAMED_REGIONS | tr -cd , | wc -c)" = 9 ] && pass || fail "ten named regions: $(vocab NAMED_REGIONS)"
finish
