#!/usr/bin/env python3
"""typed.py - the typed-query benchmark: queries typed as plain words, imrsearch against stock
FTS5 and the per-item baseline, at two limits, in one run.

    flock /tmp/imr-bench.lock tests/bench/typed.py [--corpus DIR] [--imrsearch [LABEL=]PROGRAM]...
        [--queries FILE] [--repeat R] [--limits 10,100] [--work DIR] [--doc FILE | --no-doc]
        [--worst K] [--build DIR] [--no-build] [--report-only]

Steps (docs/benchmarks.md, "The typed-query set"):
1. a Release build of this tree in build-release/ (or --build DIR): imrindex, imrsearch and the
   stock FTS5 tools bench_stock_load and bench_stock_query; --no-build uses DIR as it is;
2. for every imrsearch given (default: the one in the build folder), a fresh index of
   the corpus built by the imrindex beside it (each branch reads the schema it writes), then
   the stock FTS5 index (one row per letter) and the per-item baseline (one row per item,
   holding imrindex's own item text, decision word and rationale), both by this tree's tools;
   each imrsearch and its imrindex are first copied to WORK/bin/, so that a rebuild of their
   tree during the run changes nothing;
3. every query at every limit on every system: one untimed warm-up process, then R timed ones
   (wall time of the whole process), the output of the last one kept and scored;
4. the report: nDCG@10 overall and per query group, R@100, latency p50 / p95 / worst, failed
   runs; printed, written to WORK/report.md, per_query.tsv and worst.txt (the queries where
   each imrsearch trails stock FTS5 most, with what it prints and the truth of its top 3),
   and put into docs/benchmarks.md in place of the older figures of the same corpus and query
   set (the block's heading names both: "20,000 letters, heldout_queries").

--report-only scores the runs of an earlier run in WORK again (steps 4 only).
How each system gets a query and how an item is judged: run_queries.command and
evaluate.item_gain.
"""
import argparse
import datetime
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(BENCH))
sys.path.insert(0, BENCH)
from evaluate import (K_PREC, item_gain, load_queries, load_truth, machine, percentile,  # noqa: E402
                      quality, read_results, unit_gains)
from run_queries import command, run  # noqa: E402

# Query groups: name, heading, test on a query record.
GROUPS = (
    ("all", "nDCG@10", lambda q: True),
    ("threeway", "three-way", lambda q: "decision" in q["relevant"] and
     "body_region" in q["relevant"]),
    ("decision", "decision word", lambda q: "decision" in q["relevant"]),
    ("summary", "region in summary", lambda q: "summary-region" in q.get("tags", ())),
    ("exclusion", "exclusion", lambda q: "exclusion" in q.get("tags", ())),
)
KIND_LEVEL = {"imr": "item", "stock": "letter", "peritem": "item"}
BEGIN = "<!-- typed-set results: tests/bench/typed.py replaces a corpus's block -->"
END = "<!-- end of typed-set results -->"
N_SHOWN = 5


def say(msg):
    print(f"== {msg}", file=sys.stderr, flush=True)


def git_state(folder):
    """'branch commit' (with '+changes' when the tree differs from it) of the git tree that
    holds folder, or '' when it is not in one."""
    def git(*args):
        p = subprocess.run(["git", "-C", folder] + list(args), capture_output=True, text=True)
        return p.stdout.strip() if p.returncode == 0 else None
    commit = git("rev-parse", "--short", "HEAD")
    if commit is None:
        return ""
    branch = git("rev-parse", "--abbrev-ref", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{branch} {commit}" + ("+changes" if dirty else "")


def source_tree(prog):
    """The source folder whose build made prog (its CMakeCache.txt's source dir), or prog's
    folder when there is no cache."""
    cache = os.path.join(os.path.dirname(prog), "CMakeCache.txt")
    try:
        with open(cache, encoding="utf-8") as f:
            for line in f:
                if line.startswith("CMAKE_HOME_DIRECTORY:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return os.path.dirname(prog)


def build_type(prog):
    """The CMake build type of prog's build folder ('' when unknown)."""
    try:
        with open(os.path.join(os.path.dirname(prog), "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return ""


def parse_imrsearch(spec):
    """[LABEL=]PROGRAM -> (label or None, absolute program path)."""
    label, eq, prog = spec.partition("=")
    if not eq:
        label, prog = None, spec
    prog = os.path.abspath(prog)
    if not os.access(prog, os.X_OK):
        raise argparse.ArgumentTypeError(f"{prog}: not an executable imrsearch")
    if not os.access(os.path.join(os.path.dirname(prog), "imrindex"), os.X_OK):
        raise argparse.ArgumentTypeError(f"{prog}: no imrindex beside it to build its index")
    return label, prog


def snapshot(prog, work, n):
    """Copies prog and the imrindex beside it to WORK/bin/imr<n>/ and returns the copy of prog,
    so that a rebuild of that tree during the run changes nothing (their data files are built
    in)."""
    folder = os.path.join(work, "bin", f"imr{n}")
    os.makedirs(folder, exist_ok=True)
    for src in (prog, os.path.join(os.path.dirname(prog), "imrindex")):
        shutil.copy2(src, os.path.join(folder, os.path.basename(src)))
    return os.path.join(folder, os.path.basename(prog))


def checked(argv, log):
    """Runs argv with its output to the file log; stops the benchmark when it fails."""
    with open(log, "wb") as out:
        p = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        with open(log, encoding="utf-8", errors="replace") as f:
            tail = f.read()[-800:]
        raise SystemExit(f"typed.py: {shlex.join(argv)} exited {p.returncode} (see {log}):\n"
                         f"{tail}")


def corpus_meta(corpus, work):
    """Letter count, bytes and items of the corpus; writes WORK/files.txt (truth order)."""
    total = n_items = n_letters = 0
    with open(os.path.join(corpus, "truth.jsonl"), encoding="utf-8") as t, \
            open(os.path.join(work, "files.txt"), "w", encoding="utf-8") as out:
        for line in t:
            if not line.strip():
                continue
            rec = json.loads(line)
            path = rec["path"] if os.path.isabs(rec["path"]) else os.path.join(corpus, rec["path"])
            total += os.path.getsize(path)
            n_items += len(rec.get("items", []))
            n_letters += 1
            out.write(path + "\n")
    return {"letters": n_letters, "corpus_bytes": total, "n_items": n_items}


def spawn_ms():
    """The median wall time of starting /bin/true from here: the floor under every latency."""
    times = []
    for _ in range(21):
        t0 = time.perf_counter()
        subprocess.run(["/bin/true"])
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def index_all(a, systems, work, tools):
    """Builds every system's database (fresh) under WORK/db/."""
    dbdir = os.path.join(work, "db")
    os.makedirs(dbdir, exist_ok=True)
    for s in systems:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(s["db"] + suffix):
                os.remove(s["db"] + suffix)
        log = os.path.join(dbdir, s["key"] + ".log")
        say(f"indexing for {s['label']}")
        t0 = time.perf_counter()
        if s["kind"] == "imr":
            imrindex = os.path.join(os.path.dirname(s["prog"]), "imrindex")
            # imrindex exits 1 when some letters were only partly read: they stay indexed.
            with open(log, "wb") as out:
                p = subprocess.run([imrindex, "--db", s["db"], os.path.join(a.corpus, "letters")],
                                   stdout=out, stderr=subprocess.STDOUT)
            if p.returncode not in (0, 1) or not os.path.exists(s["db"]):
                raise SystemExit(f"typed.py: {imrindex} exited {p.returncode} (see {log})")
        else:
            flag = ["--per-item"] if s["kind"] == "peritem" else []
            checked([os.path.join(tools, "bench_stock_load")] + flag +
                    [s["db"], os.path.join(work, "files.txt")], log)
        s["index_s"] = time.perf_counter() - t0


def failure(kind, rc, out):
    """Why a run failed ('' when it did not): an exit status other than 0 (or 1, imrsearch's
    "nothing matched"), or output that is not JSON lines (a usage text on stdout)."""
    if rc not in (0, 1) or (rc == 1 and kind != "imr"):
        return f"exit {rc}"
    with open(out, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip() and not line.startswith("{"):
                return f"exit {rc}, output not JSON lines: {line.strip()[:60]}"
    return ""


def run_system(s, queries, limits, repeat):
    """Every query at every limit on one system, timed, outputs kept under s['out']."""
    n_errors = 0
    os.makedirs(s["out"], exist_ok=True)
    with open(os.path.join(s["out"], "errors.log"), "w", encoding="utf-8") as errors:
        for limit in limits:
            os.makedirs(os.path.join(s["out"], str(limit)), exist_ok=True)
            with open(os.path.join(s["out"], f"times-{limit}.tsv"), "w",
                      encoding="utf-8") as times:
                for q in queries:
                    cmd = command(s["kind"], s["prog"], s["db"], q, limit)
                    out = os.path.join(s["out"], str(limit), q["id"] + ".jsonl")
                    run(cmd)
                    for _ in range(repeat):
                        dt, rc, err = run(cmd, out)
                        times.write(f"{q['id']}\t{dt:.6f}\n")
                    why = failure(s["kind"], rc, out)
                    if why:
                        n_errors += 1
                        errors.write(f"{q['id']}\t--limit {limit}\t{why}\t"
                                     f"{shlex.join(cmd)}\t{err}\n")
    if n_errors:
        print(f"typed.py: {s['label']}: {n_errors} runs failed, see "
              f"{os.path.join(s['out'], 'errors.log')}", file=sys.stderr)


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


def measure(truth, queries, systems, limits):
    """{(system key, limit): row} with the group means, recall, latency and failed runs."""
    rows = {}
    for s in systems:
        for limit in limits:
            _, per_query = quality(truth, queries, KIND_LEVEL[s["kind"]],
                                   os.path.join(s["out"], str(limit)))
            row = {"per_query": {k: v["ndcg10"] if v else None for k, v in per_query.items()}}
            for gname, _, test in GROUPS:
                vals = [per_query[q["id"]]["ndcg10"] for q in queries
                        if test(q) and per_query[q["id"]]]
                row[gname] = mean(vals)
                row["n_" + gname] = len(vals)
            if limit >= 100:
                row["r100"] = mean([v["r100"] for v in per_query.values() if v])
            ms = [t for ts in read_times(os.path.join(s["out"], f"times-{limit}.tsv")).values()
                  for t in ts]
            row.update(p50=percentile(ms, 50), p95=percentile(ms, 95), worst=max(ms, default=0))
            with open(os.path.join(s["out"], "errors.log"), encoding="utf-8") as f:
                row["errors"] = sum(1 for line in f if f"\t--limit {limit}\t" in line)
            rows[(s["key"], limit)] = row
    return rows


def fmt(v, spec="{:.3f}"):
    return "-" if v is None else spec.format(v)


def describe(s):
    """A system's name in the table: the label and, for imrsearch, the tree it was built from."""
    if s["kind"] == "imr":
        return f"{s['label']} ({s['tree']})" if s.get("tree") else s["label"]
    return s["label"]


def table(meta, queries, systems, rows):
    """The markdown block of one run: heading, what was run, the table, the notes."""
    first = rows[(systems[0]["key"], meta["limits"][0])]
    lines = [f"#### {meta['letters']:,} letters, {set_name(meta['queries'])}", "",
             f"{meta['date']}; `{meta['command']}`; corpus `{meta['corpus']}`,"
             f" {meta['corpus_bytes'] / 1e6:,.1f} MB, {meta['n_items']:,} items;"
             f" {len(queries)} typed queries of `{meta['queries']}`, {first['n_all']} with a"
             f" relevant item in this corpus; each query a fresh process, top 100 ids at --limit 100;"
             f" {meta['repeat']} timed run(s) per query and limit after one warm-up;"
             f" starting a process costs {meta['spawn_ms']:.1f} ms here. {machine()}.", ""]
    head = ["system", "--limit"] + [f"{h} ({first['n_' + g]})" for g, h, _ in GROUPS] + \
        ["R@100", "p50 ms", "p95 ms", "worst ms", "failed runs"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in systems:
        for limit in meta["limits"]:
            row = rows[(s["key"], limit)]
            cells = [describe(s), str(limit)] + [fmt(row[g]) for g, _, _ in GROUPS] + \
                [fmt(row.get("r100")), fmt(row["p50"], "{:.0f}"), fmt(row["p95"], "{:.0f}"),
                 fmt(row["worst"], "{:.0f}"), str(row["errors"])]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Columns: nDCG@10 over all scored queries and over the queries of each group"
              " (in brackets, how many): three-way = item + region + decision word, decision"
              " word = any query with one, region in summary = the region is often named only in"
              " the case summary, exclusion = a -word or `not`. A failed run (an exit status"
              " other than 0, or 1 for imrsearch's \"nothing matched\"; or output that is not"
              " JSON lines, such as the usage text) scores 0.", ""]
    notes = []
    for s in systems:
        if s["kind"] == "imr":
            notes.append(f"{s['label']} is `{s['prog_shown']}`"
                         f" ({s.get('build_type') or 'unknown'} build), its index built by the"
                         f" imrindex beside it in {s['index_s']:.0f} s.")
    notes.append("The per-item baseline's rows carry imrindex's own item cut, item text and"
                 " decision (as the word upheld or overturned), so its decision-word figures"
                 " lean on imrindex's parse; stock FTS5 has only the letter's words.")
    lines += [" ".join(notes), ""]
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


def result_gains(truth, q, path):
    """(items of gain 2 in the corpus, results in path, the gains of its first 10 as a string:
    x for an item the truth lacks)."""
    gains = unit_gains(truth, q["relevant"], "item")
    units = read_results(path, "item")
    top = "".join(str(gains.get(u, 0)) if 0 < u[1] <= len(truth.get(u[0], ())) else "x"
                  for u in units[:K_PREC])
    return sum(1 for g in gains.values() if g == 2), len(units), top or "-"


def worst(truth, queries, systems, rows, k):
    """The text of worst.txt: for each imrsearch, the k queries where it trails stock FTS5 most
    at --limit 100, then what it prints (--limit 3) for the first few of them."""
    stock_key = next(s["key"] for s in systems if s["kind"] == "stock")
    peritem_key = next(s["key"] for s in systems if s["kind"] == "peritem")
    stock, peritem = rows[(stock_key, 100)], rows[(peritem_key, 100)]
    lines = []
    env = dict(os.environ, NO_COLOR="1")
    for s in systems:
        if s["kind"] != "imr" or (s["key"], 100) not in rows:
            continue
        imr, imr10 = rows[(s["key"], 100)], rows.get((s["key"], 10), {"per_query": {}})
        scored = [q for q in queries if imr["per_query"].get(q["id"]) is not None]
        scored.sort(key=lambda q: (imr["per_query"][q["id"]] - stock["per_query"][q["id"]],
                                   imr["per_query"][q["id"]]))
        lines += [f"{describe(s)}: nDCG@{K_PREC} per query against stock FTS5 (--limit 100),"
                  f" worst {k}",
                  f"{'query as typed':44} {'imr@10':>7} {'imr@100':>7} {'stock':>7}"
                  f" {'peritem':>7} {'relevant':>8} {'returned':>8}  its top 10's gains"]
        for q in scored[:k]:
            n_rel, n_got, top = result_gains(truth, q, os.path.join(s["out"], "100",
                                                                   q["id"] + ".jsonl"))
            lines.append(f"{shlex.join(q['argv'])[:44]:44}"
                         f" {fmt(imr10['per_query'].get(q['id'])):>7}"
                         f" {fmt(imr['per_query'][q['id']]):>7}"
                         f" {fmt(stock['per_query'][q['id']]):>7}"
                         f" {fmt(peritem['per_query'].get(q['id'])):>7}"
                         f" {n_rel:>8} {n_got:>8}  {top}")
        lines += ["(relevant: items of gain 2 in the corpus; returned: items imrsearch listed at"
                  " --limit 100; gains of its first 10, x = an item the truth lacks, such as the"
                  " whole-text item of a letter imrindex could not parse)"]
        if not os.path.exists(s["db"]):
            lines.append("")
            continue
        lines += ["", f"What it prints (--limit 3) for the first {N_SHOWN}, and the truth of its"
                  " top 3 at --limit 100:"]
        for q in scored[:N_SHOWN]:
            p = subprocess.run([s["prog"], "--db", s["db"], "--limit", "3"] + q["argv"],
                               capture_output=True, text=True, env=env, errors="replace")
            lines += ["", "$ imrsearch " + shlex.join(q["argv"])]
            lines += (p.stdout + p.stderr).rstrip("\n").split("\n")
            lines.append("  truth of the top 3:")
            lines += top_truth(truth, q, os.path.join(s["out"], "100", q["id"] + ".jsonl"), 3)
        lines.append("")
    return "\n".join(lines)


def insert_block(doc, block):
    """Replaces the block with the same heading between BEGIN and END in doc (or adds it)."""
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"typed.py: {doc} has no typed-set results markers")
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    blocks = {}
    for chunk in ("\n" + body).split("\n#### ")[1:]:
        blocks[chunk.split("\n", 1)[0]] = "#### " + chunk.strip("\n")
    blocks[block.split("\n", 1)[0][5:]] = block.strip("\n")
    body = "\n\n".join(blocks[key] for key in sorted(blocks))
    with open(doc, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n\n" + body + "\n\n" + END + tail)


def set_name(path):
    """The name of a query set in headings and work folders: its file name without .jsonl."""
    name = os.path.basename(path)
    return name[:-len(".jsonl")] if name.endswith(".jsonl") else name


def report(a, meta, queries):
    """Scores the runs in WORK against the query set a.queries; prints and writes the report
    files (and the doc block, one per corpus and query set)."""
    truth = load_truth(os.path.join(a.corpus, "truth.jsonl"))
    meta = dict(meta, queries=shown(a.queries))
    systems = meta["systems"]
    rows = measure(truth, queries, systems, meta["limits"])
    md = table(meta, queries, systems, rows)
    with open(os.path.join(a.work, "report.md"), "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(a.work, "per_query.tsv"), "w", encoding="utf-8") as f:
        keys = [(s["key"], limit) for s in systems for limit in meta["limits"]]
        f.write("query\t" + "\t".join(f"{key}@{limit}" for key, limit in keys) + "\n")
        for q in queries:
            f.write(q["id"] + "\t" + "\t".join(fmt(rows[k]["per_query"].get(q["id"]))
                                               for k in keys) + "\n")
    bad = worst(truth, queries, systems, rows, a.worst) if 100 in meta["limits"] else ""
    with open(os.path.join(a.work, "worst.txt"), "w", encoding="utf-8") as f:
        f.write(bad)
    print(md)
    print(bad)
    if a.doc:
        insert_block(a.doc, md)
        say(f"figures put into {a.doc}")


def shown(path, tree=""):
    """How path is named in the report: relative to this tree when inside it, else relative to
    the source tree it was built from, after that tree's branch ("<query>/build/imrsearch"),
    else by its last component: the report never names this machine's folders."""
    rel = os.path.relpath(path, ROOT)
    if not rel.startswith(".."):
        return rel
    src = source_tree(path)
    rel = os.path.relpath(path, src)
    if tree and not rel.startswith(".."):
        return f"<{tree.split()[0]}>/{rel}"
    return os.path.basename(path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus", "generated", "20000"),
                    help="a generated corpus: letters/ and truth.jsonl (default: %(default)s)")
    ap.add_argument("--imrsearch", action="append", type=parse_imrsearch, default=[],
                    metavar="[LABEL=]PROGRAM",
                    help="an imrsearch to measure, with imrindex beside it (repeatable;"
                    " default: the build folder's imrsearch)")
    ap.add_argument("--queries", default=os.path.join(BENCH, "typed_queries.jsonl"),
                    help="the query set (default: %(default)s); its file name names the doc block"
                    " and the default work folder")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per query and limit")
    ap.add_argument("--limits", default="10,100")
    ap.add_argument("--work", help="work folder (default: .bench/typed-<corpus folder name>-"
                    "<query set name>)")
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    ap.add_argument("--no-doc", dest="doc", action="store_const", const=None)
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-release"),
                    help="this tree's build folder, for the stock FTS5 tools and the default"
                    " imrsearch (default: %(default)s, a Release build)")
    ap.add_argument("--no-build", action="store_true", help="use --build as it is")
    ap.add_argument("--report-only", action="store_true")
    a = ap.parse_args(argv)
    a.corpus = os.path.abspath(a.corpus)
    a.queries = os.path.abspath(a.queries)
    a.work = os.path.abspath(a.work or os.path.join(
        ROOT, ".bench", f"typed-{os.path.basename(a.corpus)}-{set_name(a.queries)}"))
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    try:
        limits = sorted({int(x) for x in a.limits.split(",")})
    except ValueError:
        ap.error(f"--limits wants numbers separated by commas, got {a.limits}")
    if not os.path.isfile(os.path.join(a.corpus, "truth.jsonl")):
        ap.error(f"{a.corpus}: no truth.jsonl (generate the corpus with corpus/generate.py)")
    queries = load_queries(a.queries)
    os.makedirs(a.work, exist_ok=True)
    meta_path = os.path.join(a.work, "meta.json")
    if a.report_only:
        with open(meta_path, encoding="utf-8") as f:
            report(a, json.load(f), queries)
        return 0

    tools = os.path.abspath(a.build)
    if not a.no_build:
        say(f"Release build in {tools}")
        subprocess.run(["cmake", "-S", ROOT, "-B", tools, "-DCMAKE_BUILD_TYPE=Release"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", tools, "-j", "2"], check=True,
                       stdout=subprocess.DEVNULL)
    imrs = a.imrsearch or [parse_imrsearch(os.path.join(tools, "imrsearch"))]
    systems = []
    for n, (label, prog) in enumerate(imrs, 1):
        tree = git_state(source_tree(prog))
        systems.append({"kind": "imr", "key": f"imr{n}", "prog": snapshot(prog, a.work, n),
                        "prog_shown": shown(prog, tree),
                        "label": label or (tree.split()[0] if tree else f"imrsearch {n}"),
                        "tree": tree, "build_type": build_type(prog)})
    stock_query = os.path.join(tools, "bench_stock_query")
    systems.append({"kind": "stock", "key": "stock", "prog": stock_query,
                    "label": "stock FTS5 (porter, one row per letter, words ANDed, bm25)"})
    systems.append({"kind": "peritem", "key": "peritem", "prog": stock_query,
                    "label": "per-item stock FTS5 (rows carry imrindex's decision)"})
    for s in systems:
        s["db"] = os.path.join(a.work, "db", s["key"] + ".db")
        s["out"] = os.path.join(a.work, "runs", s["key"])
    meta = corpus_meta(a.corpus, a.work)
    meta.update(
        date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        command=shlex.join(["tests/bench/typed.py", "--corpus", shown(a.corpus),
                            "--queries", shown(a.queries)] +
                           [f"--imrsearch={s['label']}={s['prog_shown']}" for s in systems
                            if s["kind"] == "imr"] +
                           ["--repeat", str(a.repeat), "--limits", a.limits]),
        corpus=shown(a.corpus),
        repeat=a.repeat, limits=limits, spawn_ms=spawn_ms(), systems=systems)
    index_all(a, systems, a.work, tools)
    for s in systems:
        say(f"queries: {s['label']}")
        run_system(s, queries, limits, a.repeat)
    with open(meta_path, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    report(a, meta, queries)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
