#!/usr/bin/env python3
"""evaluate.py - the benchmark's arithmetic: relevance, quality metrics, latency, facet accuracy.

Standard library only. Subcommands:

  quality  --truth T --queries Q --system NAME:LEVEL:DIR [...] [--json OUT]
      Scores ranked result lists. DIR holds <query id>.jsonl, one result per line, best first,
      each with "letter" (and "item_number" for LEVEL=item). LEVEL is "letter" (a letter's gain
      is the best gain of its items) or "item" (the gain of the truth item at that position).
      Prints P@10, nDCG@10 and R@100 per system, averaged over the queries that have at least
      one fully relevant unit.

  latency  --times FILE [...]
      Median and 95th percentile of the per-run times (seconds, one "qid<TAB>seconds" a line).

  facets   --truth T --db IMRINDEX_DB [--json OUT] [--confusions N]
      Share of truth items whose item_type, body_region, guideline_source set and decision the
      imrindex database agrees with, matched by (letter name, 1-based item position), and the
      most common confusions.

Relevance (docs/benchmarks.md states it for readers): a query names what its reader wants in
"relevant": item_type (a list, required), optionally body_region (list), guideline_source
(list) and decision (one value). An item's gain is
  0  when its item_type is not listed, or a decision is given and differs;
  2  when, besides, its body_region is listed (or none is given) and its guideline sources meet
     the listed ones (or none are given);
  1  otherwise (right kind of item and decision, wrong region or source).
"Relevant" for P@10 and R@100 means gain 2. nDCG@10 uses the graded gains with the linear
discount gain / log2(rank + 1), normalised by the best possible ranking of the collection.
"""
import argparse
import json
import math
import os
import sys
from collections import Counter

K_PREC = 10
K_RECALL = 100


def letter_key(name_or_path):
    """The letter's name: its file name without folder and extension."""
    base = os.path.basename(name_or_path)
    return base[:-4] if base.endswith(".txt") else base


def load_truth(path):
    """Returns {letter name: [item dict, ...]} from a truth.jsonl file, items in letter order."""
    truth = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            key = letter_key(rec.get("path") or rec["letter"])
            truth[key] = rec.get("items", [])
            if rec.get("letter") and letter_key(rec["letter"]) != key:
                truth[letter_key(rec["letter"])] = truth[key]
    return truth


def load_queries(path):
    """Returns the query records of a queries.jsonl file, in file order."""
    queries = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            q = json.loads(line)
            if "id" not in q or "q" not in q or "relevant" not in q:
                raise ValueError(f"{path}:{n}: a query needs id, q and relevant")
            if not q["relevant"].get("item_type"):
                raise ValueError(f"{path}:{n}: relevant.item_type is required")
            queries.append(q)
    return queries


def item_gain(item, rel):
    """The gain (0, 1 or 2) of one truth item for a query's relevance record."""
    if item.get("item_type") not in rel["item_type"]:
        return 0
    if rel.get("decision") and item.get("decision") != rel["decision"]:
        return 0
    regions = rel.get("body_region")
    if regions and item.get("body_region") not in regions:
        return 1
    sources = rel.get("guideline_source")
    if sources and not set(item.get("guideline_source") or []) & set(sources):
        return 1
    return 2


def unit_gains(truth, rel, level):
    """{unit: gain} for every unit of the collection with a positive gain.

    A unit is a letter name (level "letter") or a (letter name, item number) pair."""
    gains = {}
    for letter, items in truth.items():
        if level == "letter":
            g = max((item_gain(it, rel) for it in items), default=0)
            if g:
                gains[letter] = g
        else:
            for i, it in enumerate(items, 1):
                g = item_gain(it, rel)
                if g:
                    gains[(letter, i)] = g
    return gains


def result_unit(rec, level):
    """The unit a result line names, or None when it names none."""
    name = rec.get("letter") or rec.get("path")
    if not name:
        return None
    name = letter_key(str(name))
    if level == "letter":
        return name
    num = rec.get("item_number")
    if num is None:
        return None
    return (name, int(num))


def score_ranking(units, gains):
    """P@10, nDCG@10 and R@100 of a ranked list of units against {unit: gain}.

    Repeated units count once, at their first rank; later repeats gain nothing."""
    seen = set()
    ranked = []
    for u in units:
        ranked.append(0 if u in seen else gains.get(u, 0))
        seen.add(u)
    n_rel = sum(1 for g in gains.values() if g == 2)
    top = ranked[:K_PREC]
    p10 = sum(1 for g in top if g == 2) / K_PREC
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(top))
    ideal = sorted(gains.values(), reverse=True)[:K_PREC]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    ndcg = dcg / idcg if idcg > 0 else 0.0
    r100 = sum(1 for g in ranked[:K_RECALL] if g == 2) / n_rel if n_rel else 0.0
    return {"p10": p10, "ndcg10": ndcg, "r100": r100, "n_relevant": n_rel}


def read_results(path, level):
    """The ranked units in one result file; a missing file is an empty list."""
    units = []
    if not os.path.exists(path):
        return units
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            u = result_unit(rec, level)
            if u is not None:
                units.append(u)
    return units


def quality(truth, queries, level, result_dir):
    """Mean metrics of one system and its per-query scores."""
    per_query = {}
    for q in queries:
        gains = unit_gains(truth, q["relevant"], level)
        if not any(g == 2 for g in gains.values()):
            per_query[q["id"]] = None
            continue
        units = read_results(os.path.join(result_dir, q["id"] + ".jsonl"), level)
        per_query[q["id"]] = score_ranking(units, gains)
    scored = [s for s in per_query.values() if s]
    mean = {}
    for m in ("p10", "ndcg10", "r100"):
        mean[m] = sum(s[m] for s in scored) / len(scored) if scored else 0.0
    mean["n_queries"] = len(scored)
    mean["n_skipped"] = sum(1 for s in per_query.values() if s is None)
    return mean, per_query


def percentile(values, p):
    """The p-th percentile (0-100) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    v = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(v)))
    return v[rank - 1]


def latency(paths):
    """Median and 95th percentile, in milliseconds, of all runs in the given time files."""
    times = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split("\t")
                if len(parts) == 2:
                    times.append(float(parts[1]) * 1000.0)
    return {"median_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "n_runs": len(times)}


def facet_rows(db_path):
    """{(letter name, item number): facet dict} read from an imrindex database's plain tables."""
    import sqlite3
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT l.name, i.ord, i.item_type, i.body_region, i.decision,"
            " (SELECT group_concat(s.source) FROM item_source s"
            "   WHERE s.item_id = i.id AND s.party = 'maximus')"
            " FROM item i JOIN letter l ON l.id = i.letter_id").fetchall()
    finally:
        con.close()
    got = {}
    for name, ord_, itype, region, decision, sources in rows:
        got[(letter_key(name), int(ord_))] = {
            "item_type": itype, "body_region": region, "decision": decision,
            "guideline_source": sorted(sources.split(",")) if sources else []}
    return got


FACETS = ("item_type", "body_region", "guideline_source", "decision")


def facets(truth, got, n_confusions):
    """Share of truth items whose facets equal the database's, and the commonest confusions.

    An item the database lacks counts as wrong on every facet ("(missing)")."""
    seen = set()
    right = Counter()
    confusions = Counter()
    n_items = 0
    for letter, items in truth.items():
        if letter in seen:
            continue
        seen.add(letter)
        for i, it in enumerate(items, 1):
            n_items += 1
            g = got.get((letter, i))
            for f in FACETS:
                want = it.get(f)
                have = g.get(f) if g else None
                if f == "guideline_source":
                    want = sorted(want or [])
                    ok = g is not None and sorted(have) == want
                    want_s = ",".join(want) or "(empty)"
                    have_s = ",".join(have) if g else "(missing)"
                else:
                    ok = g is not None and have == want
                    want_s, have_s = str(want), str(have) if g else "(missing)"
                if ok:
                    right[f] += 1
                else:
                    confusions[(f, want_s, have_s)] += 1
    n_truth_keys = {(l, i) for l, items in truth.items() for i in range(1, len(items) + 1)}
    extra = sum(1 for k in got if k not in n_truth_keys)
    share = {f: (right[f] / n_items if n_items else 0.0) for f in FACETS}
    top = [{"facet": f, "truth": w, "index": h, "count": c}
           for (f, w, h), c in confusions.most_common(n_confusions)]
    return {"n_items": n_items, "extra_items": extra, "share": share, "confusions": top}


def parse_system(spec):
    """NAME:LEVEL:DIR -> (name, level, dir)."""
    parts = spec.split(":", 2)
    if len(parts) != 3 or parts[1] not in ("letter", "item"):
        raise argparse.ArgumentTypeError(f"--system wants NAME:letter|item:DIR, got {spec}")
    return tuple(parts)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--truth", required=True)
    q.add_argument("--queries", required=True)
    q.add_argument("--system", type=parse_system, action="append", required=True)
    q.add_argument("--json")
    q.add_argument("--per-query", action="store_true", help="print every query's scores")
    la = sub.add_parser("latency")
    la.add_argument("--times", nargs="+", required=True)
    fa = sub.add_parser("facets")
    fa.add_argument("--truth", required=True)
    fa.add_argument("--db", required=True)
    fa.add_argument("--json")
    fa.add_argument("--confusions", type=int, default=20)
    a = ap.parse_args(argv)

    if a.cmd == "quality":
        truth = load_truth(a.truth)
        queries = load_queries(a.queries)
        out = {}
        for name, level, rdir in a.system:
            mean, per_query = quality(truth, queries, level, rdir)
            out[name] = {"mean": mean, "per_query": per_query}
            print(f"{name}\tP@10 {mean['p10']:.3f}\tnDCG@10 {mean['ndcg10']:.3f}"
                  f"\tR@100 {mean['r100']:.3f}\t({mean['n_queries']} queries,"
                  f" {mean['n_skipped']} without relevant items)")
            if a.per_query:
                for qid, s in per_query.items():
                    if s:
                        print(f"  {qid}\tP@10 {s['p10']:.3f}\tnDCG@10 {s['ndcg10']:.3f}"
                              f"\tR@100 {s['r100']:.3f}\trelevant {s['n_relevant']}")
                    else:
                        print(f"  {qid}\t(no relevant unit)")
        if a.json:
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(out, f, indent=1, sort_keys=True)
    elif a.cmd == "latency":
        r = latency(a.times)
        print(f"median {r['median_ms']:.2f} ms\tp95 {r['p95_ms']:.2f} ms\t({r['n_runs']} runs)")
    elif a.cmd == "facets":
        truth = load_truth(a.truth)
        r = facets(truth, facet_rows(a.db), a.confusions)
        print(f"{r['n_items']} truth items, {r['extra_items']} extra items in the index")
        for f in FACETS:
            print(f"{f}\t{100.0 * r['share'][f]:.2f}%")
        if r["confusions"]:
            print("commonest confusions (facet: truth -> index, count):")
            for c in r["confusions"]:
                print(f"  {c['facet']}: {c['truth']} -> {c['index']}\t{c['count']}")
        if a.json:
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(r, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
