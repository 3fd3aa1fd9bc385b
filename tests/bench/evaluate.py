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

  report   --work DIR [--doc FILE]
      Gathers one benchmark run's files under DIR (meta.json, index/<system>.time and .size,
      runs/<system>/times.tsv, quality.json, facets.json), prints the table with the ratio of
      each figure to the best peer, writes DIR/summary.json and, with --doc, inserts the run
      as a new section into FILE (docs/benchmarks.md) below its results marker, keeping the
      sections of older runs.

  compare  --base DIR --big DIR [--doc FILE]
      How build time, index size, peak memory and query latency grow between two runs (e.g.
      200,000 and 1,000,000 letters), from their summary.json files.

Relevance (docs/benchmarks.md states it for readers): a query names what its reader wants in
"relevant": item_type (a list, required), optionally body_region (list), guideline_source
(list) and decision (one value); the typed-query set (typed_queries.jsonl) may add text_must,
text_none, text_any (lists of regular expressions on the truth item's text) and region_not
(list). An item's gain is
  0  when its item_type is not listed, a decision is given and differs, no text_must
     expression matches its text, a text_none one does, or its region is in region_not;
  2  when, besides, its body_region is listed (or none is given), its guideline sources meet
     the listed ones (or none are given) and a text_any expression matches (or none is given);
  1  otherwise (right kind of item and decision, wrong region, source or product).
"Relevant" for P@10 and R@100 means gain 2. nDCG@10 uses the graded gains with the linear
discount gain / log2(rank + 1), normalised by the best possible ranking of the collection.
"""
import argparse
import json
import math
import os
import re
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
            if "id" not in q or not ("q" in q or "argv" in q) or "relevant" not in q:
                raise ValueError(f"{path}:{n}: a query needs id, q (or argv) and relevant")
            if not q["relevant"].get("item_type"):
                raise ValueError(f"{path}:{n}: relevant.item_type is required")
            queries.append(q)
    return queries


def text_matches(item, patterns):
    """True when one of the regular expressions matches the item's text (case ignored)."""
    text = item.get("text") or ""
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def item_gain(item, rel):
    """The gain (0, 1 or 2) of one truth item for a query's relevance record.

    Hard constraints (gain 0 when broken): item_type, decision, text_must (one of the
    expressions matches the item text), text_none (none matches), region_not (the item's
    body_region is not one of these). Soft ones (gain 1 when broken, 2 when all hold):
    body_region, guideline_source, text_any (one of the expressions matches)."""
    if item.get("item_type") not in rel["item_type"]:
        return 0
    if rel.get("decision") and item.get("decision") != rel["decision"]:
        return 0
    if rel.get("text_must") and not text_matches(item, rel["text_must"]):
        return 0
    if rel.get("text_none") and text_matches(item, rel["text_none"]):
        return 0
    if item.get("body_region") in rel.get("region_not", ()):
        return 0
    regions = rel.get("body_region")
    if regions and item.get("body_region") not in regions:
        return 1
    sources = rel.get("guideline_source")
    if sources and not set(item.get("guideline_source") or []) & set(sources):
        return 1
    if rel.get("text_any") and not text_matches(item, rel["text_any"]):
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


# --- one run's report -------------------------------------------------------------------------

SYSTEMS = (
    ("imr", "imrindex / imrsearch"),
    ("stock", "stock FTS5, one row per letter"),
    ("xapian", "Xapian, one document per letter"),
    ("peritem", "plain per-item FTS5 baseline"),
)
PEERS = ("stock", "xapian")
# Columns of the table: key, heading, format, True when a larger figure is better.
COLUMNS = (
    ("wall_s", "index wall s", "{:.2f}", False),
    ("cpu_s", "index CPU s", "{:.2f}", False),
    ("mb_s", "MB/s", "{:.1f}", True),
    ("rss_mb", "peak RSS MB", "{:.0f}", False),
    ("size_ratio", "index / corpus", "{:.2f}", False),
    ("median_ms", "query median ms", "{:.1f}", False),
    ("p95_ms", "query p95 ms", "{:.1f}", False),
    ("p10", "P@10", "{:.3f}", True),
    ("ndcg10", "nDCG@10", "{:.3f}", True),
    ("r100", "R@100", "{:.3f}", True),
)
MARKER = "<!-- benchmark results: newest first; tests/bench/run.sh inserts new runs here -->"


def parse_gnu_time(path):
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB from `/usr/bin/time -v`."""
    r = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, _, val = line.strip().rpartition(": ")
            if key.startswith("Elapsed (wall clock) time"):
                secs = 0.0
                for part in val.split(":"):
                    secs = secs * 60 + float(part)
                r["wall_s"] = secs
            elif key == "User time (seconds)":
                r["cpu_s"] = r.get("cpu_s", 0.0) + float(val)
            elif key == "System time (seconds)":
                r["cpu_s"] = r.get("cpu_s", 0.0) + float(val)
            elif key == "Maximum resident set size (kbytes)":
                r["rss_mb"] = int(val) / 1024.0
            elif key == "Exit status":
                r["exit"] = int(val)
    return r


def machine():
    """A one-line description of this machine: CPUs, model, RAM, kernel."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = 0.0
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram = int(line.split()[1]) / 1024.0 / 1024.0
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {ram:.1f} GB RAM, Linux {os.uname().release}"


def gather(work):
    """{system: {figure: value}} for one run directory, plus its meta record."""
    with open(os.path.join(work, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    qual = {}
    qpath = os.path.join(work, "quality.json")
    if os.path.exists(qpath):
        with open(qpath, encoding="utf-8") as f:
            qual = json.load(f)
    rows = {}
    for sysname, _ in SYSTEMS:
        row = {}
        tpath = os.path.join(work, "index", sysname + ".time")
        if os.path.exists(tpath):
            row.update(parse_gnu_time(tpath))
            if row.get("wall_s"):
                row["mb_s"] = meta["corpus_bytes"] / 1e6 / row["wall_s"]
        spath = os.path.join(work, "index", sysname + ".size")
        if os.path.exists(spath):
            with open(spath, encoding="utf-8") as f:
                row["size_bytes"] = int(f.read().split()[0])
            row["size_ratio"] = row["size_bytes"] / meta["corpus_bytes"]
        times = os.path.join(work, "runs", sysname, "times.tsv")
        if os.path.exists(times) and os.path.getsize(times) > 0:
            row.update(latency([times]))
        if sysname in qual:
            row.update({k: qual[sysname]["mean"][k] for k in ("p10", "ndcg10", "r100")})
        if row:
            rows[sysname] = row
    return meta, rows


def best_peer(rows, key, higher):
    """The best peer's figure for `key`, or None when no peer has it."""
    vals = [rows[p][key] for p in PEERS if p in rows and rows[p].get(key) is not None]
    if not vals:
        return None
    return max(vals) if higher else min(vals)


def targets(rows, facet_share):
    """The issue's targets that one run can check, each with met / not met."""
    imr = rows.get("imr", {})
    out = []

    def check(name, ok):
        out.append(f"- {name}: {'met' if ok else 'NOT met'}")

    peers = [rows[p] for p in PEERS if p in rows]
    if imr.get("wall_s") is not None and peers:
        check("indexing faster than both peers",
              all(imr["wall_s"] < p.get("wall_s", float("inf")) for p in peers))
    if imr.get("median_ms") is not None:
        check("query median under 10 ms", imr["median_ms"] < 10.0)
        check("query 95th percentile under 50 ms", imr["p95_ms"] < 50.0)
        if peers:
            check("query latency better than both peers",
                  all(imr["median_ms"] < p.get("median_ms", float("inf")) and
                      imr["p95_ms"] < p.get("p95_ms", float("inf")) for p in peers))
    if imr.get("ndcg10") is not None:
        others = [rows[s]["ndcg10"] for s in ("stock", "xapian", "peritem")
                  if s in rows and rows[s].get("ndcg10") is not None]
        check("nDCG@10 above both peers and the per-item baseline",
              all(imr["ndcg10"] > o for o in others))
    if facet_share:
        check("facet accuracy at least 98% on each facet",
              all(v >= 0.98 for v in facet_share.values()))
    return out


def report_markdown(meta, rows, facet):
    """The run's section of docs/benchmarks.md, as a string."""
    lines = [f"### {meta['date']} - {meta['letters']:,} letters"
             f" ({meta['corpus_bytes'] / 1e6:,.1f} MB)", ""]
    lines.append(f"- Machine: {meta.get('machine') or machine()}")
    lines.append(f"- Command: `{meta['command']}`")
    lines.append(f"- Corpus: `{meta['corpus']}` ({meta.get('source', 'generated')},"
                 f" seed {meta.get('seed', '?')}), {meta.get('n_items', 0):,} disputed items;"
                 f" {meta.get('n_queries', 0)} queries,"
                 f" timed runs per query: {meta.get('repeat', 0)}")
    if meta.get("spawn_ms") is not None:
        lines.append("- Starting a process (`/bin/true` from Python) takes"
                     f" {meta['spawn_ms']:.1f} ms here: it is part of every query latency below.")
    if meta.get("notes"):
        lines.append(f"- Notes: {meta['notes']}")
    lines.append("")
    head = "| system | " + " | ".join(c[1] for c in COLUMNS) + " |"
    lines += [head, "|" + "---|" * (len(COLUMNS) + 1)]

    def cell(row, key, fmt):
        v = row.get(key)
        return fmt.format(v) if v is not None else "-"

    for sysname, label in SYSTEMS:
        if sysname in rows:
            lines.append(f"| {label} | " + " | ".join(cell(rows[sysname], k, f)
                                                      for k, _, f, _ in COLUMNS) + " |")
    if "imr" in rows:
        ratios = []
        for key, _, _, higher in COLUMNS:
            best = best_peer(rows, key, higher)
            v = rows["imr"].get(key)
            ratios.append(f"{v / best:.2f}x" if v is not None and best else "-")
        lines.append("| **imr / best peer** | " + " | ".join(ratios) + " |")
    lines.append("")
    lines.append("Ratio row: imrindex/imrsearch's figure divided by the better of stock FTS5 and"
                 " Xapian for that column (below 1 is better for times, memory, size and"
                 " latency; above 1 is better for MB/s and the quality columns).")
    lines.append("")
    share = None
    if facet:
        share = facet["share"]
        lines.append(f"Facet accuracy of imrindex over {facet['n_items']:,} truth items"
                     f" ({facet['extra_items']} items in the index that the truth lacks): "
                     + ", ".join(f"{k} {100 * share[k]:.2f}%" for k in FACETS) + ".")
        if facet["confusions"]:
            lines.append("")
            lines.append("Commonest confusions (facet: truth -> index, items): "
                         + "; ".join(f"{c['facet']}: {c['truth']} -> {c['index']} ({c['count']})"
                                     for c in facet["confusions"][:10]) + ".")
        lines.append("")
    lines.append("Targets checked by this run:")
    lines += targets(rows, share) or ["- none (imrindex/imrsearch were not measured)"]
    lines.append("")
    return "\n".join(lines)


def insert_section(doc, section):
    """Inserts `section` below the results marker of the file `doc` (appends the marker and
    section when the file has none)."""
    text = ""
    if os.path.exists(doc):
        with open(doc, encoding="utf-8") as f:
            text = f.read()
    if MARKER in text:
        text = text.replace(MARKER, MARKER + "\n\n" + section.rstrip("\n"), 1)
    else:
        text = text.rstrip("\n") + "\n\n" + MARKER + "\n\n" + section
    if not text.endswith("\n"):
        text += "\n"
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def write_per_query(work):
    """Writes DIR/per_query.txt: each query's nDCG@10 (and its relevant units) per system."""
    qpath = os.path.join(work, "quality.json")
    if not os.path.exists(qpath):
        return
    with open(qpath, encoding="utf-8") as f:
        qual = json.load(f)
    names = [s for s, _ in SYSTEMS if s in qual]
    if not names:
        return
    with open(os.path.join(work, "per_query.txt"), "w", encoding="utf-8") as out:
        out.write("nDCG@10 per query (relevant units: items for imr/peritem, letters for the"
                  " peers)\n")
        out.write("query".ljust(32) + "".join(n.rjust(9) for n in names) + "   relevant\n")
        for qid, first in qual[names[0]]["per_query"].items():
            cells = []
            for n in names:
                sc = qual[n]["per_query"].get(qid)
                cells.append(f"{sc['ndcg10']:9.3f}" if sc else "        -")
            rel = "/".join(str(qual[n]["per_query"][qid]["n_relevant"]) for n in names
                           if qual[n]["per_query"].get(qid))
            out.write(qid.ljust(32) + "".join(cells) + "   " + rel + "\n")


def report(work, doc):
    """Prints one run's table, writes DIR/summary.json, and inserts it into doc if given."""
    meta, rows = gather(work)
    facet = None
    fpath = os.path.join(work, "facets.json")
    if os.path.exists(fpath):
        with open(fpath, encoding="utf-8") as f:
            facet = json.load(f)
    meta.setdefault("machine", machine())
    write_per_query(work)
    md = report_markdown(meta, rows, facet)
    print(md)
    with open(os.path.join(work, "summary.json"), "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "rows": rows, "facets": facet}, f, indent=1, sort_keys=True)
    if doc:
        insert_section(doc, md)


GROWTH = (("wall_s", "build wall"), ("cpu_s", "build CPU"), ("rss_mb", "peak RSS"),
          ("size_bytes", "index size"), ("median_ms", "query median"), ("p95_ms", "query p95"))


def compare(base, big, doc):
    """Prints (and inserts into doc) how each system's figures grow from run base to big."""
    with open(os.path.join(base, "summary.json"), encoding="utf-8") as f:
        a = json.load(f)
    with open(os.path.join(big, "summary.json"), encoding="utf-8") as f:
        b = json.load(f)
    na, nb = a["meta"]["letters"], b["meta"]["letters"]
    lines = [f"### Growth from {na:,} to {nb:,} letters ({nb / na:.1f}x the letters,"
             f" {b['meta']['corpus_bytes'] / a['meta']['corpus_bytes']:.1f}x the bytes)", "",
             "| system | " + " | ".join(f"{lab} ({na // 1000}k -> {nb // 1000}k)"
                                         for _, lab in GROWTH) + " |",
             "|" + "---|" * (len(GROWTH) + 1)]
    for sysname, label in SYSTEMS:
        ra, rb = a["rows"].get(sysname), b["rows"].get(sysname)
        if not ra or not rb:
            continue
        cells = []
        for key, _ in GROWTH:
            va, vb = ra.get(key), rb.get(key)
            if va is None or vb is None or not va:
                cells.append("-")
            elif key == "size_bytes":
                cells.append(f"{va / 1e6:,.0f} -> {vb / 1e6:,.0f} MB ({vb / va:.1f}x)")
            else:
                cells.append(f"{va:,.1f} -> {vb:,.1f} ({vb / va:.1f}x)")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += projection(a, b)
    md = "\n".join(lines)
    print(md)
    if doc:
        insert_section(doc, md)


ARCHIVE_LETTERS = 2_000_000


def projection(a, b):
    """Lines projecting imrindex/imrsearch's figures to the whole archive (ARCHIVE_LETTERS).

    Each figure is taken to grow as a power of the letter count, the power fitted through the
    two runs (f = c * n^k, k = log(f_big / f_base) / log(n_big / n_base)): a straight line on a
    log-log plot, which is what linear, n log n and flat growth look like over a small range."""
    ra, rb = a["rows"].get("imr"), b["rows"].get("imr")
    if not ra or not rb:
        return []
    na, nb = a["meta"]["letters"], b["meta"]["letters"]
    if nb <= na:
        return []
    out = [f"Projected to the whole archive ({ARCHIVE_LETTERS:,} letters,"
           f" {b['meta']['corpus_bytes'] / nb * ARCHIVE_LETTERS / 1e9:,.1f} GB of letters of"
           f" this corpus's size) by the growth exponent k between the two runs"
           f" (figure ~ letters^k):", ""]
    units = {"wall_s": ("build wall", "s"), "cpu_s": ("build CPU", "s"),
             "rss_mb": ("peak RSS", "MB"), "size_bytes": ("index size", "GB"),
             "median_ms": ("query median", "ms"), "p95_ms": ("query p95", "ms")}
    for key, (label, unit) in units.items():
        va, vb = ra.get(key), rb.get(key)
        if not va or not vb:
            continue
        k = math.log(vb / va) / math.log(nb / na)
        proj = vb * (ARCHIVE_LETTERS / nb) ** k
        if key == "size_bytes":
            proj /= 1e9
        elif key in ("wall_s", "cpu_s") and proj > 600:
            proj, unit = proj / 60.0, "min"
        out.append(f"- imrindex/imrsearch {label}: k = {k:.2f}, about {proj:,.1f} {unit}")
    out.append("")
    return out


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
    re_ = sub.add_parser("report")
    re_.add_argument("--work", required=True)
    re_.add_argument("--doc")
    co = sub.add_parser("compare")
    co.add_argument("--base", required=True)
    co.add_argument("--big", required=True)
    co.add_argument("--doc")
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
    elif a.cmd == "report":
        report(a.work, a.doc)
    elif a.cmd == "compare":
        compare(a.base, a.big, a.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
