#!/usr/bin/env python3
"""typed.py - the typed-query benchmark: queries typed as plain words, three systems, two limits.

    typed.py run --system imr|stock|peritem --prog PROGRAM --db PATH --queries FILE --out DIR
                 [--repeat R] [--limits 10,100]
    typed.py report --truth T --queries FILE --work DIR [--doc FILE] [--worst K]
                 [--imrsearch PROGRAM --db PATH]

run: for every query and every limit, one untimed warm-up process, then R timed processes
(wall time from fork to exit, "id<TAB>seconds" lines in DIR/times-<limit>.tsv); the output of
the last one is kept as DIR/<limit>/<id>.jsonl and scored. A query's "argv" is handed to
imrsearch as the shell would pass it; the FTS5 baselines get its words ANDed, an excluded word
(`-knee`) after NOT (run_queries.command). Failures (any exit status but 0, and 1 for
imrsearch's "nothing matched") go to DIR/errors.log.

report: nDCG@10 overall and on the query groups (GROUPS), R@100 and latency p50 / p95 / worst
per system and limit, from WORK/runs/<system>/; relevance is evaluate.py's item_gain, a letter
judged by its best item. Prints the table, writes WORK/report.md, WORK/per_query.tsv and
WORK/worst.txt (the K queries where imrsearch trails stock FTS5 most, with what imrsearch
prints for the first few of them and the truth of its top 3), and with --doc replaces this
corpus's block of typed-set figures in docs/benchmarks.md.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import (K_PREC, item_gain, load_queries, load_truth, machine, percentile,  # noqa: E402
                      quality, read_results)
from run_queries import command, run  # noqa: E402

SYSTEMS = (("imr", "item", "imrsearch"),
           ("stock", "letter", "stock FTS5, one row per letter"),
           ("peritem", "item", "per-item FTS5 baseline"))
# Query groups: name, heading, test on a query record.
GROUPS = (
    ("all", "nDCG@10", lambda q: True),
    ("threeway", "three-way", lambda q: "decision" in q["relevant"] and
     "body_region" in q["relevant"]),
    ("decision", "decision word", lambda q: "decision" in q["relevant"]),
    ("summary", "region in summary", lambda q: "summary-region" in q.get("tags", ())),
    ("exclusion", "exclusion", lambda q: "exclusion" in q.get("tags", ())),
)
BEGIN = "<!-- typed-set results: tests/bench/typed.sh replaces a corpus's block -->"
END = "<!-- end of typed-set results -->"
N_SHOWN = 5


def run_system(a):
    """The `run` subcommand: every query at every limit, timed, outputs kept."""
    queries = load_queries(a.queries)
    limits = [int(x) for x in a.limits.split(",")]
    n_errors = 0
    with open(os.path.join(a.out, "errors.log"), "w", encoding="utf-8") as errors:
        for limit in limits:
            os.makedirs(os.path.join(a.out, str(limit)), exist_ok=True)
            with open(os.path.join(a.out, f"times-{limit}.tsv"), "w", encoding="utf-8") as times:
                for q in queries:
                    cmd = command(a.system, a.prog, a.db, q, limit)
                    out = os.path.join(a.out, str(limit), q["id"] + ".jsonl")
                    run(cmd)
                    for _ in range(a.repeat):
                        dt, rc, err = run(cmd, out)
                        times.write(f"{q['id']}\t{dt:.6f}\n")
                    if rc not in (0, 1) or (rc == 1 and a.system != "imr"):
                        n_errors += 1
                        errors.write(f"{q['id']}\t--limit {limit}\texit {rc}\t{err}\n")
    if n_errors:
        print(f"typed.py: {a.system}: {n_errors} runs failed, see "
              f"{os.path.join(a.out, 'errors.log')}", file=sys.stderr)
    return 0


def read_times(path):
    """{query id: [milliseconds, ...]} from a times file."""
    times = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, sec = line.rstrip("\n").partition("\t")
            times.setdefault(qid, []).append(float(sec) * 1000.0)
    return times


def mean(values):
    return sum(values) / len(values) if values else None


def measure(truth, queries, work):
    """{(system, limit): row} with the group means, recall, latency and error count."""
    rows = {}
    for name, level, _ in SYSTEMS:
        base = os.path.join(work, "runs", name)
        if not os.path.isdir(base):
            continue
        for limit in sorted(int(d) for d in os.listdir(base) if d.isdigit()):
            _, per_query = quality(truth, queries, level, os.path.join(base, str(limit)))
            row = {"per_query": {k: v["ndcg10"] if v else None for k, v in per_query.items()}}
            for gname, _, test in GROUPS:
                vals = [per_query[q["id"]]["ndcg10"] for q in queries
                        if test(q) and per_query[q["id"]]]
                row[gname] = mean(vals)
                row["n_" + gname] = len(vals)
            if limit >= 100:
                row["r100"] = mean([s["r100"] for s in per_query.values() if s])
            ms = [t for ts in read_times(os.path.join(base, f"times-{limit}.tsv")).values()
                  for t in ts]
            row.update(p50=percentile(ms, 50), p95=percentile(ms, 95), worst=max(ms, default=0))
            with open(os.path.join(base, "errors.log"), encoding="utf-8") as f:
                row["errors"] = sum(1 for line in f if f"--limit {limit}\t" in line)
            rows[(name, limit)] = row
    return rows


def fmt(v, spec="{:.3f}"):
    return "-" if v is None else spec.format(v)


def table(meta, queries, rows):
    """The markdown block of one run: heading, what was run, the table."""
    n_scored = rows[next(iter(rows))]["n_all"] if rows else 0
    lines = [f"#### {meta['letters']:,} letters, mode {meta['mode']}", "",
             f"{meta['date']}; `{meta['command']}`; {meta['corpus_bytes'] / 1e6:,.1f} MB,"
             f" {meta['n_items']:,} items; {len(queries)} typed queries, {n_scored} with a"
             f" relevant item in this corpus; {meta['repeat']} timed run(s) per query and limit;"
             f" starting a process costs {meta['spawn_ms']:.1f} ms here. {machine()}.", ""]
    counts = {g: rows[next(iter(rows))]["n_" + g] for g, _, _ in GROUPS} if rows else {}
    head = ["system", "--limit"] + [f"{h} ({counts.get(g, 0)})" for g, h, _ in GROUPS] + \
        ["R@100", "p50 ms", "p95 ms", "worst ms", "failed runs"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, _, label in SYSTEMS:
        for (sysname, limit), row in rows.items():
            if sysname != name:
                continue
            cells = [label, str(limit)] + [fmt(row[g]) for g, _, _ in GROUPS] + \
                [fmt(row.get("r100")), fmt(row["p50"], "{:.0f}"), fmt(row["p95"], "{:.0f}"),
                 fmt(row["worst"], "{:.0f}"), str(row["errors"])]
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


def top_truth(truth, q, path, n):
    """Lines naming the truth (type, region, decision, gain) of the first n results in path."""
    out = []
    for letter, num in read_results(path, "item")[:n]:
        items = truth.get(letter, [])
        it = items[num - 1] if 0 < num <= len(items) else None
        if it is None:
            out.append(f"    {letter} #{num}: not a truth item")
        else:
            out.append(f"    {letter} #{num}: gain {item_gain(it, q['relevant'])}:"
                       f" {it['item_type']}, {it['body_region']}, {it['decision']}:"
                       f" {it['text'][:70]}")
    return out


def worst(truth, queries, rows, work, k, imrsearch, db):
    """The text of worst.txt: the k queries where imrsearch (--limit 100) trails stock most."""
    imr, stock = rows.get(("imr", 100)), rows.get(("stock", 100))
    if not imr or not stock:
        return ""
    peritem = rows.get(("peritem", 100), {"per_query": {}})
    imr10 = rows.get(("imr", 10), {"per_query": {}})
    scored = [q for q in queries if imr["per_query"].get(q["id"]) is not None]
    scored.sort(key=lambda q: (imr["per_query"][q["id"]] - stock["per_query"][q["id"]],
                               imr["per_query"][q["id"]]))
    lines = [f"nDCG@{K_PREC} per query, imrsearch against stock FTS5 (--limit 100), worst {k}",
             f"{'query as typed':44} {'imr@10':>7} {'imr@100':>7} {'stock':>7} {'peritem':>7}"]
    for q in scored[:k]:
        pq = peritem["per_query"].get(q["id"])
        lines.append(f"{' '.join(q['argv'])[:44]:44} {fmt(imr10['per_query'].get(q['id'])):>7}"
                     f" {fmt(imr['per_query'][q['id']]):>7}"
                     f" {fmt(stock['per_query'][q['id']]):>7} {fmt(pq):>7}")
    if imrsearch and db:
        lines += ["", f"What imrsearch prints (--limit 3) for the first {N_SHOWN}, and the truth"
                  " of its top 3 at --limit 100:"]
        env = dict(os.environ, NO_COLOR="1")
        for q in scored[:N_SHOWN]:
            p = subprocess.run([imrsearch, "--db", db, "--limit", "3"] + q["argv"],
                               capture_output=True, text=True, env=env, errors="replace")
            lines += ["", "$ imrsearch " + " ".join(q["argv"])]
            lines += [line for line in (p.stdout + p.stderr).rstrip("\n").split("\n")]
            lines.append("  truth of the top 3:")
            lines += top_truth(truth, q, os.path.join(work, "runs", "imr", "100",
                                                      q["id"] + ".jsonl"), 3)
    return "\n".join(lines) + "\n"


def insert_block(doc, block):
    """Replaces the block with the same heading between BEGIN and END in doc (or adds it)."""
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"typed.py: {doc} has no typed-set results markers")
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    blocks = {}
    for chunk in body.split("\n#### ")[1:]:
        blocks[chunk.split("\n", 1)[0]] = "#### " + chunk.strip("\n")
    blocks[block.split("\n", 1)[0][5:]] = block.strip("\n")
    body = "\n\n".join(blocks[key] for key in sorted(blocks))
    with open(doc, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n\n" + body + "\n\n" + END + tail)


def report(a):
    """The `report` subcommand."""
    truth = load_truth(a.truth)
    queries = load_queries(a.queries)
    with open(os.path.join(a.work, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    rows = measure(truth, queries, a.work)
    md = table(meta, queries, rows)
    with open(os.path.join(a.work, "report.md"), "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(a.work, "per_query.tsv"), "w", encoding="utf-8") as f:
        keys = sorted(rows)
        f.write("query\t" + "\t".join(f"{s}@{lim}" for s, lim in keys) + "\n")
        for q in queries:
            f.write(q["id"] + "\t" + "\t".join(fmt(rows[k]["per_query"].get(q["id"]))
                                               for k in keys) + "\n")
    bad = worst(truth, queries, rows, a.work, a.worst, a.imrsearch, a.db)
    with open(os.path.join(a.work, "worst.txt"), "w", encoding="utf-8") as f:
        f.write(bad)
    print(md)
    print(bad)
    if a.doc:
        insert_block(a.doc, md)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--system", required=True, choices=[s for s, _, _ in SYSTEMS])
    r.add_argument("--prog", required=True)
    r.add_argument("--db", required=True)
    r.add_argument("--queries", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--repeat", type=int, default=1)
    r.add_argument("--limits", default="10,100")
    p = sub.add_parser("report")
    p.add_argument("--truth", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--doc")
    p.add_argument("--worst", type=int, default=15)
    p.add_argument("--imrsearch")
    p.add_argument("--db")
    a = ap.parse_args(argv)
    return run_system(a) if a.cmd == "run" else report(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
