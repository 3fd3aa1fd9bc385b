"""shards.py - the corpus writer that generate.py and variants.py share, and their command line.

A generator is a module-level function BUILD(seed, index) -> (bytes, truth) (the worker
processes receive it by name). write_corpus() writes its letters into DIR/letters/<shard>/
(1000 letters per shard folder) with worker processes, and DIR/truth.jsonl in id order, so the
output is the same whatever --jobs is. Standard library only.
"""

import argparse
import json
import multiprocessing
import os


def work(args):
    """Generates letters [lo, hi) with BUILD and writes them; returns their truth lines and byte
    count."""
    build, seed, lo, hi, out = args
    truths = []
    nbytes = 0
    for index in range(lo, hi):
        data, truth = build(seed, index)
        path = os.path.join(out, truth["path"])
        with open(path, "wb") as f:
            f.write(data)
        nbytes += len(data)
        truths.append(json.dumps(truth, ensure_ascii=False))
    return truths, nbytes


def write_corpus(build, count, seed, out, jobs):
    """Writes letters 1..COUNT made by BUILD(seed, index) -> (bytes, truth) into OUT's shard
    folders, and OUT/truth.jsonl in id order; returns the bytes of letters written. BUILD is a
    module-level function (the worker processes receive it by name)."""
    first, last = 1, count
    for shard in range(first // 1000, last // 1000 + 1):
        os.makedirs(os.path.join(out, "letters", "%04d" % shard), exist_ok=True)
    chunk = 250
    tasks = [(build, seed, lo, min(lo + chunk, last + 1), out)
             for lo in range(first, last + 1, chunk)]
    total = 0
    tmp = os.path.join(out, "truth.jsonl.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as tf:
        if jobs == 1:
            results = map(work, tasks)
            for truths, nb in results:
                tf.write("".join(t + "\n" for t in truths))
                total += nb
        else:
            with multiprocessing.Pool(jobs) as pool:
                for truths, nb in pool.imap(work, tasks):
                    tf.write("".join(t + "\n" for t in truths))
                    total += nb
    os.replace(tmp, os.path.join(out, "truth.jsonl"))
    return total


def arguments(description):
    """The command line both generators take: --count, --seed, --out, --jobs. A generator may
    add its own before parse()."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--count", type=int, required=True, help="number of letters")
    ap.add_argument("--seed", type=int, required=True, help="random seed")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    return ap


def parse(ap, argv):
    """Parses argv with AP (arguments()); exits with argparse's usage error when --count is
    negative, --jobs below 1, or the output folder already holds letters."""
    a = ap.parse_args(argv)
    if a.count < 0 or a.jobs < 1:
        ap.error("--count must be >= 0 and --jobs >= 1")
    letters = os.path.join(a.out, "letters")
    if os.path.isdir(letters) and os.listdir(letters):
        ap.error("%s already holds letters; give an empty or new folder" % letters)
    return a
