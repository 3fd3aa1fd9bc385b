#!/usr/bin/env bash
# t90_bench_smoke.sh - the benchmark's metric code (tests/bench/evaluate.py) on a tiny fixed
# truth file and fixed result lists whose scores were worked out by hand.
. "$(dirname "$0")/lib.sh"
EVAL="python3 $IMR_SRC/tests/bench/evaluate.py"
D="$IMR_SRC/tests/data/bench"

# Query q1 (cold-heat-device, shoulder). Item gains: L1#1=2 L2#1=1 L3#1=2 L3#2=2, others 0;
# ideal DCG = 2 + 2/log2(3) + 2/log2(4) + 1/log2(5) = 4.69254.
#   item run  L2#1 L1#1 L4#1 L3#2 -> gains 1 2 0 2: DCG = 1 + 2/log2(3) + 2/log2(5) = 3.12321,
#             nDCG 0.666, P@10 2/10, R@100 2/3.
#   letter run L3 L4 L2 -> gains 2 0 1 (L1 and L3 fully relevant): DCG 2 + 1/2 = 2.5 over
#             ideal 2 + 2/log2(3) + 1/2 = 3.76186: nDCG 0.665, P@10 1/10, R@100 1/2.
# Query q2 (cold-heat-device, overturned): L1#1 and L3#2, ideal 2 + 2/log2(3) = 3.26186.
#   item run  L3#2 L3#2(repeat, no gain) L1#1: DCG 2 + 2/2 = 3: nDCG 0.920, P@10 0.2, R@100 1.
#   letter run L2 L1(named by path): DCG 2/log2(3): nDCG 0.387, P@10 0.1, R@100 1/2.
# Query q3 has no relevant item in the collection and is left out of the means.
$EVAL quality --truth "$D/truth.jsonl" --queries "$D/queries.jsonl" \
    --system imr:item:"$D/item" --system stock:letter:"$D/letter" --per-query --json "$T/q.json" \
    >"$T/quality.out" 2>&1
cat >"$T/quality.want" <<'WANT'
imr	P@10 0.200	nDCG@10 0.793	R@100 0.833	(2 queries, 1 without relevant items)
  q1	P@10 0.200	nDCG@10 0.666	R@100 0.667	relevant 3
  q2	P@10 0.200	nDCG@10 0.920	R@100 1.000	relevant 2
  q3	(no relevant unit)
stock	P@10 0.100	nDCG@10 0.526	R@100 0.500	(2 queries, 1 without relevant items)
  q1	P@10 0.100	nDCG@10 0.665	R@100 0.500	relevant 2
  q2	P@10 0.100	nDCG@10 0.387	R@100 0.500	relevant 2
  q3	(no relevant unit)
WANT
expect_equal_file "quality table" "$T/quality.out" "$T/quality.want"
got=$(python3 -c "import json,sys
print(round(json.load(open(sys.argv[1]))['imr']['mean']['ndcg10'], 6))" "$T/q.json")
expect_equal "quality json nDCG" "$got" "0.792646"

# Twenty runs of 1..20 ms: nearest-rank median is the 10th, 95th percentile the 19th.
$EVAL latency --times "$D/times.tsv" >"$T/latency.out" 2>&1
expect_equal "latency" "$(cat "$T/latency.out")" "median 10.00 ms	p95 19.00 ms	(20 runs)"

# Facets: of 6 truth items the index has L1#2 in the wrong region, L2#1 with an extra source,
# L3#2 with the wrong decision, L4#1 missing, plus one item the truth lacks (L3#3).
python3 - "$D/facets.sql" "$T/f.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[2]); con.executescript(open(sys.argv[1]).read()); con.commit()
PY
$EVAL facets --truth "$D/truth.jsonl" --db "$T/f.db" --confusions 3 >"$T/facets.out" 2>&1
cat >"$T/facets.want" <<'WANT'
6 truth items, 1 extra items in the index
item_type	83.33%
body_region	66.67%
guideline_source	66.67%
decision	66.67%
commonest confusions (facet: truth -> index, count):
  body_region: lumbar -> cervical	1
  guideline_source: odg -> mtus,odg	1
  decision: overturned -> upheld	1
WANT
expect_equal_file "facets" "$T/facets.out" "$T/facets.want"

# A query without relevant.item_type is refused.
printf '%s\n' '{"id": "bad", "q": "x", "relevant": {}}' >"$T/bad.jsonl"
expect_status "bad query file" 1 $EVAL quality --truth "$D/truth.jsonl" --queries "$T/bad.jsonl" \
    --system s:item:"$D/item"
finish
