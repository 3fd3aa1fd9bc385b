#!/usr/bin/env bash
# t92_typed_bench.sh - the typed-query benchmark's tool (tests/bench/typed.py): its scoring on a
# hand-made case worked out by hand (--report-only), then one whole run on five copies of the
# seed letters (plumbing only: imrsearch's own figures are not asserted, they are measured),
# one doc block per corpus and query set, and the held-out query set's records.
. "$(dirname "$0")/lib.sh"
TYPED="python3 $IMR_SRC/tests/bench/typed.py"

# --- the scoring, on tests/data/bench/truth.jsonl (letters L1-L4) -----------------------------
# qa "polar care shoulder overturned" (three-way): L3#2 gain 2, L1#1 gain 1 (not Polar Care),
#    ideal 2 + 1/log2(3) = 2.63093. imr L1#1 L3#2: (1 + 2/log2(3)) / ideal = 0.860; stock
#    (letters; L3 gain 2, L1 gain 1) L3 L2: 2 / 2.63093 = 0.760.
# qb "cryotherapy -knee": L1#1 L3#1 L3#2 gain 2 (L2#1 is a knee), ideal 2 + 2/log2(3) + 1 =
#    4.26186. imr L2#1 L3#1: (2/log2(3)) / ideal = 0.296, R@100 1/3; stock L3 L1: 1.000.
# qc "tens -hwave": L4#1. imr failed (no output, one failed run at each limit): 0; stock L4: 1.
# qd "norco" has no relevant item (text_must) and is left out.
# imr means: all (0.860 + 0.296 + 0) / 3 = 0.385, exclusion (qb, qc) 0.148, R@100 0.444.
H="$T/hand"
mkdir -p "$H/corpus"
cp "$GOLDEN/bench/truth.jsonl" "$H/corpus/truth.jsonl"
cat >"$H/queries.jsonl" <<'Q'
{"id": "qa", "argv": ["polar", "care", "shoulder", "overturned"], "relevant": {"item_type": ["cold-heat-device"], "body_region": ["shoulder"], "decision": "overturned", "text_any": ["polar\\W*care"]}}
{"id": "qb", "argv": ["cryotherapy", "-knee"], "tags": ["exclusion"], "relevant": {"item_type": ["cold-heat-device"], "region_not": ["knee"]}}
{"id": "qc", "argv": ["tens", "-hwave"], "tags": ["exclusion"], "relevant": {"item_type": ["tens-estim"], "text_none": ["h\\W*wave"]}}
{"id": "qd", "argv": ["norco"], "relevant": {"item_type": ["opioid"], "text_must": ["norco"]}}
Q
python3 - "$H" <<'PY'
import json, os, sys
h = sys.argv[1]
runs = {"imr1": {"qa": [("L1", 1), ("L3", 2)], "qb": [("L2", 1), ("L3", 1)]},
        "stock": {"qa": [("L3", None), ("L2", None)], "qb": [("L3", None), ("L1", None)],
                  "qc": [("L4", None)]},
        "peritem": {}}
systems = [{"kind": "imr", "key": "imr1", "label": "hand", "tree": "", "prog": "/nonexistent",
            "prog_shown": "hand/imrsearch", "build_type": "Release", "index_s": 1.0},
           {"kind": "stock", "key": "stock", "label": "stock", "prog": "/nonexistent"},
           {"kind": "peritem", "key": "peritem", "label": "peritem", "prog": "/nonexistent"}]
for s in systems:
    s["db"] = os.path.join(h, "db", s["key"] + ".db")
    s["out"] = os.path.join(h, "work", "runs", s["key"])
    for limit in (10, 100):
        os.makedirs(os.path.join(s["out"], str(limit)))
        for qid, units in runs[s["key"]].items():
            with open(os.path.join(s["out"], str(limit), qid + ".jsonl"), "w") as f:
                for letter, num in units:
                    f.write(json.dumps({"letter": letter, "item_number": num}) + "\n")
        # Latency: 1..20 ms at --limit 10 (p50 the 10th, p95 the 19th), 10 times that at 100.
        with open(os.path.join(s["out"], f"times-{limit}.tsv"), "w") as f:
            for n in range(1, 21):
                f.write(f"qa\t{n * limit / 10000.0:.6f}\n")
    with open(os.path.join(s["out"], "errors.log"), "w") as f:
        if s["kind"] == "imr":
            f.write("qc\t--limit 10\texit 2\tx\ty\nqc\t--limit 100\texit 2\tx\ty\n")
meta = {"letters": 4, "corpus_bytes": 4000, "n_items": 6, "date": "D", "command": "C",
        "corpus": "hand", "repeat": 1, "limits": [10, 100], "spawn_ms": 1.0, "systems": systems}
with open(os.path.join(h, "work", "meta.json"), "w") as f:
    json.dump(meta, f)
PY
expect_status "report-only" 0 $TYPED --report-only --corpus "$H/corpus" --work "$H/work" \
    --queries "$H/queries.jsonl" --no-doc
grep '^| ' "$H/work/report.md" | cut -d'|' -f2-13 | sed 's/^ *//; s/ *$//; s/ *| */|/g' >"$T/rows.out"
cat >"$T/rows.want" <<'WANT'
system|--limit|nDCG@10 (3)|three-way (1)|decision word (1)|region in summary (0)|exclusion (2)|R@100|p50 ms|p95 ms|worst ms|failed runs
hand|10|0.385|0.860|0.860|-|0.148|-|10|19|20|1
hand|100|0.385|0.860|0.860|-|0.148|0.444|100|190|200|1
stock|10|0.920|0.760|0.760|-|1.000|-|10|19|20|0
stock|100|0.920|0.760|0.760|-|1.000|1.000|100|190|200|0
peritem|10|0.000|0.000|0.000|-|0.000|-|10|19|20|0
peritem|100|0.000|0.000|0.000|-|0.000|0.000|100|190|200|0
WANT
expect_equal_file "hand-made scores" "$T/rows.out" "$T/rows.want"
expect_equal "worst query first" "$(sed -n 3p "$H/work/worst.txt" | cut -c1-44 | sed 's/ *$//')" \
    "tens -hwave"

# --- one whole run on five seed copies: every system runs, the doc block is replaced ---------
python3 "$IMR_SRC/tests/bench/toy_corpus.py" --count 5 --out "$T/toy" >/dev/null
cat >"$T/toy.jsonl" <<'Q'
{"id": "thermocool", "argv": ["thermocool"], "relevant": {"item_type": ["cold-heat-device"], "text_must": ["thermo\\W*cool"]}}
{"id": "help-text", "argv": ["hot", "-h"], "relevant": {"item_type": ["cold-heat-device"], "text_must": ["no such text"]}}
Q
printf '%s\n' '# Doc' '<!-- typed-set results: tests/bench/typed.py replaces a corpus'"'"'s block -->' \
    '<!-- end of typed-set results -->' 'tail' >"$T/doc.md"
for n in 1 2; do
    expect_status "whole run $n" 0 $TYPED --corpus "$T/toy" --work "$T/work" --build "$IMR_BUILD" \
        --no-build --queries "$T/toy.jsonl" --repeat 1 --doc "$T/doc.md"
done
expect_equal "one block in the doc" "$(grep -c '^#### 5 letters, toy$' "$T/doc.md")" "1"
expect_equal "the report names its set" \
    "$(grep -c 'typed queries of `toy.jsonl`' "$T/work/report.md")" "1"
# Another query set's figures get their own block beside the first, not in its place.
cp "$T/toy.jsonl" "$T/other.jsonl"
expect_status "other set" 0 $TYPED --report-only --corpus "$T/toy" --work "$T/work" \
    --queries "$T/other.jsonl" --doc "$T/doc.md"
expect_equal "two blocks in the doc" "$(grep '^#### ' "$T/doc.md")" "#### 5 letters, other
#### 5 letters, toy"
expect_equal "doc tail kept" "$(tail -n 1 "$T/doc.md")" "tail"
# Stock FTS5 finds ThermoCool in seeds 003 and 004 only, both relevant.
expect_equal "stock row" "$(grep '^| stock FTS5.* | 100 |' "$T/work/report.md" | cut -d'|' -f4 |
    tr -d ' ')" "1.000"
# `hot -h` prints imrsearch's help on stdout: a failed run, whatever the exit status.
expect_equal "help is a failed run" "$(cut -f1,2 "$T/work/runs/imr1/errors.log")" \
    "help-text	--limit 10
help-text	--limit 100"
# --- the held-out query set: every line parses, every query has a relevance record item_gain
# can judge (only the keys it reads, regular expressions that compile, a decision of the brief)
got=$(python3 - "$IMR_SRC/tests/bench" 2>&1 <<'PY'
import re, sys
sys.path.insert(0, sys.argv[1])
from evaluate import load_queries
KEYS = {"item_type", "decision", "text_must", "text_none", "region_not", "body_region",
        "guideline_source", "text_any"}
queries = load_queries(sys.argv[1] + "/heldout_queries.jsonl")
ids = set()
for q in queries:
    rel = q["relevant"]
    assert q["id"] not in ids, f"{q['id']}: id twice"
    ids.add(q["id"])
    assert q["argv"] and all(isinstance(w, str) and w for w in q["argv"]), f"{q['id']}: argv"
    assert q.get("tags"), f"{q['id']}: no tags"
    assert set(rel) <= KEYS, f"{q['id']}: unknown keys {set(rel) - KEYS}"
    assert rel.get("decision", "upheld") in ("upheld", "overturned"), f"{q['id']}: decision"
    for key in KEYS - {"decision"}:
        assert isinstance(rel.get(key, []), list), f"{q['id']}: {key} is not a list"
    for key in ("text_must", "text_none", "text_any"):
        for pattern in rel.get(key, []):
            re.compile(pattern)
print(f"{len(queries)} queries")
PY
)
expect_equal "held-out set parses" "$got" "64 queries"
finish
