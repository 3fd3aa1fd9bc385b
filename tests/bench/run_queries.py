#!/usr/bin/env python3
"""run_queries.py - runs the query set against one system, one fresh process per query.

    run_queries.py --system imr|stock|peritem|xapian --db PATH --prog PROGRAM
                   --queries FILE --out DIR [--repeat R] [--no-timing]

For every query: one untimed warm-up run, then R timed runs of the top 10 with snippets (the
wall time of the whole process, from fork to exit, written to DIR/times.tsv as
"id<TAB>seconds"), then one run of the top 100 whose output is kept as DIR/results/<id>.jsonl
for the quality metrics. --no-timing keeps only the top-100 run (for weight tuning).

How each system gets a query (docs/benchmarks.md); a query of the typed set gives its "argv"
(the words as the shell passes them) instead of one string QUERY:
  imr      imrsearch --db DB --format jsonl --limit N [the query's args] QUERY
  stock    bench_stock_query DB EXPR N, EXPR = every word or "quoted phrase" of the query
  peritem  quoted, joined by AND (FTS5's own syntax, no abbreviation expansion); a -word
           after NOT
  xapian   xapian_bench query DB QUERY N (Xapian's QueryParser, default AND)
The peers have no facets: a filter in the query's args becomes a query word instead
(--decision overturned -> "overturned", --region wrist-hand -> "wrist", --source odg -> "ODG").
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

REGION_WORD = {"cervical": "cervical", "thoracic": "thoracic", "lumbar": "lumbar",
               "shoulder": "shoulder", "elbow": "elbow", "wrist-hand": "wrist", "hip": "hip",
               "knee": "knee", "ankle-foot": "ankle", "head": "head"}
SOURCE_WORD = {"mtus": "MTUS", "acoem": "ACOEM", "odg": "ODG", "aetna": "Aetna"}


def filter_words(args):
    """The query words that stand in for a query's filters on a system without facets."""
    words = []
    i = 0
    while i < len(args):
        opt = args[i]
        val = args[i + 1] if i + 1 < len(args) else ""
        if opt == "--decision" and val in ("upheld", "overturned"):
            words.append(val)
        elif opt == "--region" and val in REGION_WORD:
            words.append(REGION_WORD[val])
        elif opt == "--source" and val in SOURCE_WORD:
            words.append(SOURCE_WORD[val])
        elif opt not in ("--type", "--from", "--to"):
            raise ValueError(f"no peer translation for filter {opt} {val}")
        i += 2
    return words


def fts5_expression(q, extra):
    """Stock FTS5 MATCH text: each word or quoted phrase quoted as an FTS5 string, ANDed; a
    word typed with a leading "-" (an exclusion, `cryotherapy -knee`) goes after FTS5's NOT."""
    parts = [p for p in shlex.split(q.replace("'", " ")) + extra if p.strip()]

    def quote(p):
        return '"' + p.replace('"', '""') + '"'

    excluded = [quote(p[1:]) for p in parts if p.startswith("-") and p.strip("-")]
    expr = " AND ".join(quote(p) for p in parts if not (p.startswith("-") and p.strip("-")))
    if excluded:
        expr = f"({expr}) NOT " + " NOT ".join(excluded)
    return expr


def command(system, prog, db, q, limit):
    """The argv that runs query record q on `system` for the top `limit`."""
    args = q.get("args", [])
    words = q["argv"] if "argv" in q else [q["q"]]
    if system == "imr":
        return [prog, "--db", db, "--format", "jsonl", "--limit", str(limit)] + args + words
    extra = filter_words(args)
    text = " ".join(words)
    if system in ("stock", "peritem"):
        return [prog, db, fts5_expression(text, extra), str(limit)]
    if system == "xapian":
        return [prog, "query", db, " ".join([text] + extra), str(limit)]
    raise ValueError(f"unknown system {system}")


def run(argv, out_path=None):
    """Runs argv with stdout to out_path (or nowhere); returns (seconds, exit status, stderr)."""
    out = open(out_path, "wb") if out_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
    finally:
        if out_path:
            out.close()
    return dt, p.returncode, p.stderr.decode("utf-8", "replace").strip()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--system", required=True, choices=("imr", "stock", "peritem", "xapian"))
    ap.add_argument("--db", required=True)
    ap.add_argument("--prog", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-timing", action="store_true")
    a = ap.parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from evaluate import load_queries
    queries = load_queries(a.queries)
    os.makedirs(os.path.join(a.out, "results"), exist_ok=True)
    n_errors = 0
    with open(os.path.join(a.out, "times.tsv"), "w", encoding="utf-8") as times, \
            open(os.path.join(a.out, "errors.log"), "w", encoding="utf-8") as errors:
        for q in queries:
            if not a.no_timing:
                cmd = command(a.system, a.prog, a.db, q, 10)
                run(cmd)
                for _ in range(a.repeat):
                    dt, _, _ = run(cmd)
                    times.write(f"{q['id']}\t{dt:.6f}\n")
            cmd = command(a.system, a.prog, a.db, q, 100)
            _, rc, err = run(cmd, os.path.join(a.out, "results", q["id"] + ".jsonl"))
            # imrsearch exits 1 when nothing matched; that is an answer, not a failure.
            if rc not in (0, 1) or (rc == 1 and a.system != "imr"):
                n_errors += 1
                errors.write(f"{q['id']}\texit {rc}\t{shlex.join(cmd)}\t{err}\n")
    if n_errors:
        print(f"run_queries: {a.system}: {n_errors} queries failed, see "
              f"{os.path.join(a.out, 'errors.log')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
