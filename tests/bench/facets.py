#!/usr/bin/env python3
"""facets.py - facet accuracy of imrindex on letters of the variants generator, against the
project's own generator as the baseline, measured in the same run.

Usage: tests/bench/facets.py [--letters N] [--seed S] [--jobs J] [--build DIR] [--base DIR]
                             [--doc FILE] [--examples K] [--notes TEXT] [--corpora DIR]
                             [--work DIR]

Steps, for each of the two corpora (corpus/generate.py --variants and corpus/generate.py, N
letters each, default 2,000, seed 1; kept in corpus/generated/variants-<N> and
corpus/generated/<N> (or under --corpora DIR), reused when their truth file is complete):
1. index the letters with DIR/imrindex (default build/) into a fresh database under
   .bench/facets/ (gitignored; or --work DIR);
2. export every item with `imrsearch --format jsonl --limit 0 --layout L`, once per layout, so
   that each item also carries the layout the parser gave its letter;
3. match the index's items to the truth's, letter by letter, by the words of their texts;
4. report, per corpus: the share of partial and unparsed letters (imrindex's own summary;
   and the share of the letters the truth says are whole that imrindex calls partial),
   items found (recall) and precision, and the share of truth items whose decision, item type,
   guideline sources (the reviewer's set, exactly), body region (where the truth names one,
   and over all items) and layout are right, and per letter the case number, the decision
   date and the year (`imrsearch --from Y --to Y --format ids`, once per year), and the
   reviewer specialty (read from the database: the text as printed, and the set of slugs of
   letter.specialties against the truth's spellings mapped to slugs here). An item that was
   not found counts as wrong in every facet. Then, for the variants corpus, the figures by layout and variant kind, the
   commonest confusions and one example letter per kind of failure.

With --base DIR (a second build, say of the main branch) both corpora are also indexed with
DIR's imrindex, and the table has a row for each, so that a change is measured against its
base in one run.

With --doc FILE (docs/benchmarks.md) the table replaces the section between the markers
`<!-- facets:begin -->` and `<!-- facets:end -->`. Python 3 standard library only.
"""

import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- facets:begin -->", "<!-- facets:end -->"
FACETS = ("decision", "item_type", "guideline_source", "body_region")

# The specialty slugs a reader gives each spelling the generators print (written here from
# the spellings, not from indexer/dict/specialties.txt); a truth of several, "A, B", is the set.
SPECIALTY_SLUGS = {
    "orthopedic surgery": "orthopedic-surgery", "orthopaedic surgery": "orthopedic-surgery",
    "physical medicine and rehabilitation": "physical-medicine-rehabilitation",
    "physical medicine & rehabilitation": "physical-medicine-rehabilitation",
    "anesthesiology": "anesthesiology", "pain medicine": "pain-medicine",
    "pain management": "pain-medicine", "internal medicine": "internal-medicine",
    "itnernal medicine": "internal-medicine", "family practice": "family-medicine",
    "family medicine": "family-medicine", "occupational medicine": "occupational-medicine",
    "preventive medicine": "preventive-medicine", "neurology": "neurology",
    "psychiatry": "psychiatry", "psychology": "psychology", "chiropractic": "chiropractic",
    "emergency medicine": "emergency-medicine", "neurological surgery": "neurosurgery",
    "rheumatology": "rheumatology", "acupuncture": "acupuncture", "hand surgery": "hand-surgery",
    "sports medicine": "sports-medicine", "podiatry": "podiatry",
    "plastic surgery": "plastic-surgery", "general surgery": "general-surgery",
    "spine surgery": "spine-surgery", "addiction medicine": "addiction-medicine",
    "foot and ankle surgery": "podiatry",
}


def truth_complete(corpus, n):
    """True when CORPUS/truth.jsonl has N lines and its last line is whole JSON."""
    path = os.path.join(corpus, "truth.jsonl")
    if not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    if len(lines) != n:
        return False
    try:
        json.loads(lines[-1]) if lines else None
    except ValueError:
        return False
    return True


def ensure_corpus(corpus, n, seed, jobs, variants):
    """Generates CORPUS unless a complete one is there; returns the truth records."""
    if not truth_complete(corpus, n):
        if os.path.isdir(corpus):
            subprocess.run(["rm", "-rf", os.path.join(corpus, "letters"),
                            os.path.join(corpus, "truth.jsonl")], check=True)
        os.makedirs(corpus, exist_ok=True)
        cmd = [sys.executable, os.path.join(ROOT, "corpus", "generate.py"), "--count", str(n),
               "--seed", str(seed), "--out", corpus, "--jobs", str(jobs)]
        if variants:
            cmd.append("--variants")
        print("== generating %s" % corpus, file=sys.stderr)
        subprocess.run(cmd, check=True)
    with open(os.path.join(corpus, "truth.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def index_and_export(build, corpus, db):
    """Indexes CORPUS into DB (fresh); returns (imrindex output: the summary and one line
    per letter, {letter: [items]}, {letter: year of the year facet, as --from/--to read it},
    seconds)."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    t0 = time.time()
    run = subprocess.run([os.path.join(build, "imrindex"), "-v", "--db", db,
                          os.path.join(corpus, "letters")], capture_output=True, text=True)
    dt = time.time() - t0
    if run.returncode not in (0, 1):
        raise SystemExit("facets.py: imrindex failed (%d): %s" % (run.returncode,
                                                                  run.stderr.strip()[:500]))
    got = collections.defaultdict(list)
    for layout in (0, 1, 2, 3):
        out = subprocess.run([os.path.join(build, "imrsearch"), "--db", db, "--format", "jsonl",
                              "--limit", "0", "--layout", str(layout)],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            raise SystemExit("facets.py: imrsearch failed (%d): %s" % (
                out.returncode, out.stderr.strip()[:500]))
        for line in out.stdout.splitlines():
            rec = json.loads(line)
            rec["layout"] = layout
            got[rec["letter"]].append(rec)
    for items in got.values():
        items.sort(key=lambda r: r["item_number"])
    years = {}
    for year in range(2010, 2031):
        out = subprocess.run([os.path.join(build, "imrsearch"), "--db", db, "--format", "ids",
                              "--limit", "0", "--from", str(year), "--to", str(year)],
                             capture_output=True, text=True)
        for line in out.stdout.splitlines():
            years[line.split("\t")[0]] = str(year)
    return run.stdout + run.stderr, got, years, dt


def norm_words(text):
    """The words of an item text for matching: lower case, hyphens and ligatures undone."""
    text = text.replace("\ufb01", "fi").replace("-", "").lower()
    return [w for w in re.findall(r"[a-z0-9]+", text) if w not in ("the", "of", "for", "a")]


def similarity(a, b):
    """How alike two item texts are: shared words over the shorter text's words."""
    wa, wb = set(norm_words(a)), set(norm_words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def match(truth_items, got_items):
    """Pairs truth items with index items (each used once, most alike first, ties in order);
    returns {truth index: got index}."""
    pairs = []
    for i, t in enumerate(truth_items):
        for j, g in enumerate(got_items):
            s = similarity(t["text"], g["item"])
            if s >= 0.5:
                pairs.append((-s, abs(i - j), i, j))
    pairs.sort()
    used_t, used_g, out = set(), set(), {}
    for _, _, i, j in pairs:
        if i not in used_t and j not in used_g:
            out[i] = j
            used_t.add(i)
            used_g.add(j)
    return out


def kind_of_layout(t):
    """The truth layout with layout-2 notices told apart."""
    if t["layout"] == 2 and "notice" in t.get("variants", []):
        return "2 (notice)"
    return str(t["layout"])


def evaluate(truths, got, years, summary):
    """Scores one corpus; returns a dict of counts, rates, breakdowns and examples."""
    c = collections.Counter()
    by_group = collections.defaultdict(collections.Counter)
    confusions = collections.defaultdict(collections.Counter)
    examples = collections.OrderedDict()

    def example(kind, t, detail):
        if kind not in examples:
            examples[kind] = (t["letter"], t["path"], detail)

    for t in truths:
        g_items = [g for g in got.get(t["letter"], []) if g["item"].strip()]
        placeholders = len(got.get(t["letter"], [])) - len(g_items)
        groups = ["layout " + kind_of_layout(t)] + t.get("variants", []) + \
            ["messy " + m for m in t.get("messy", [])]
        c["letters"] += 1
        got_layout = got[t["letter"]][0]["layout"] if got.get(t["letter"]) else None
        if got_layout == t["layout"]:
            c["layout_ok"] += 1
        else:
            example("layout %s read as %s" % (t["layout"], got_layout), t, "")
        if t["case_number"]:
            c["case_n"] += 1
            gc = got[t["letter"]][0]["case_number"] if got.get(t["letter"]) else ""
            c["case_ok"] += gc == t["case_number"]
        if t["decision_date"]:
            c["date_n"] += 1
            gd = got[t["letter"]][0]["decision_date"] if got.get(t["letter"]) else ""
            c["date_ok"] += gd == t["decision_date"]
            if gd != t["decision_date"]:
                example("decision date", t, "truth %s, index %r" % (t["decision_date"], gd))
        want_year = t.get("year") or t["decision_date"][:4]
        if want_year:
            c["year_n"] += 1
            c["year_ok"] += years.get(t["letter"]) == want_year
            if years.get(t["letter"]) != want_year:
                example("year (from %s)" % (t.get("year_source") or "decision-date"), t,
                        "truth %s, index %s" % (want_year, years.get(t["letter"], "none")))
        m = match(t["items"], g_items)
        c["truth_items"] += len(t["items"])
        if not t["truncated"]:
            c["got_items"] += len(g_items)
            c["got_matched"] += len(set(m.values()))
            c["placeholders"] += placeholders
            if len(g_items) > len(set(m.values())):
                extra = [g["item"] for j, g in enumerate(g_items) if j not in set(m.values())]
                example("extra item", t, "index items not in the truth: %r" % extra[:3])
        for i, ti in enumerate(t["items"]):
            res = {}
            gi = g_items[m[i]] if i in m else None
            res["found"] = gi is not None
            if gi is None:
                example("item not found", t, "truth %r; index %r" % (
                    ti["text"], [g["item"] for g in g_items] or "(no items)"))
            for f in FACETS:
                want = ti[f]
                have = gi[f] if gi else None
                ok = have == want
                res[f] = ok
                if gi is not None and not ok:
                    w = ",".join(want) if isinstance(want, list) else want
                    h = ",".join(have) if isinstance(have, list) else have
                    confusions[f][(w, h)] += 1
                    example("%s %s -> %s" % (f, w, h), t, "item %r" % ti["text"])
            res["region_named"] = res["body_region"] if ti["body_region"] != "unspecified" \
                else None
            for grp in ["all"] + groups:
                by = by_group[grp]
                by["items"] += 1
                for k, v in res.items():
                    if v is not None:
                        by[k + "_n"] += 1
                        by[k] += v
    rates = {}
    allg = by_group["all"]
    for k in ("found", "decision", "item_type", "guideline_source", "body_region",
              "region_named"):
        rates[k] = allg[k] / allg[k + "_n"] if allg[k + "_n"] else float("nan")
    rates["precision"] = c["got_matched"] / c["got_items"] if c["got_items"] else float("nan")
    rates["layout"] = c["layout_ok"] / c["letters"] if c["letters"] else float("nan")
    rates["case_number"] = c["case_ok"] / c["case_n"] if c["case_n"] else float("nan")
    rates["decision_date"] = c["date_ok"] / c["date_n"] if c["date_n"] else float("nan")
    rates["year"] = c["year_ok"] / c["year_n"] if c["year_n"] else float("nan")
    mm = re.search(r"partial: (\d+), unparsed: (\d+)", summary)
    rates["partial"] = int(mm.group(1)) / c["letters"] if mm else float("nan")
    rates["unparsed"] = int(mm.group(2)) / c["letters"] if mm else float("nan")
    partial = set(re.findall(r"([^/\s]+)\.[A-Za-z]+: indexed, [^\n]*?, partial: ", summary))
    whole = [t["letter"] for t in truths if not t["truncated"]]
    rates["partial_whole"] = sum(x in partial for x in whole) / len(whole) if whole else \
        float("nan")
    return {"counts": c, "rates": rates, "groups": by_group, "confusions": confusions,
            "examples": examples}


def specialty_scores(truths, db):
    """Per corpus and build, over the letters whose truth names a specialty: the share whose
    letter.specialty is the truth's text as printed, the share whose specialty facet (the set
    of letter.specialties; a build without that column: none) is the truth's set of slugs, and
    how many facet rows the index has for them against the truth's distinct slugs."""
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    cols = [r[1] for r in con.execute("PRAGMA table_info(letter)")]
    has_slugs = "specialties" in cols
    rows = con.execute("SELECT name, specialty, %s FROM letter" % (
        "specialties" if has_slugs else "''")).fetchall()
    con.close()
    got = {name: (text, slugs) for name, text, slugs in rows}
    c = collections.Counter()
    facet_rows, want_rows = set(), set()
    for t in truths:
        spec = t.get("specialty", "")
        if not spec or t["letter"] not in got:
            continue
        want = [SPECIALTY_SLUGS.get(s.strip().lower()) for s in spec.split(",")]
        if None in want:
            c["unmapped"] += 1
            continue
        text, slugs = got[t["letter"]]
        c["n"] += 1
        c["text"] += text == spec
        c["slugs"] += has_slugs and set(slugs.split(",")) == set(want)
        facet_rows.update(slugs.split(",") if has_slugs else [text or "unknown"])
        want_rows.update(want)
    return {"n": c["n"], "unmapped": c["unmapped"],
            "text": c["text"] / c["n"] if c["n"] else float("nan"),
            "slugs": c["slugs"] / c["n"] if c["n"] and has_slugs else float("nan"),
            "rows": len(facet_rows), "want_rows": len(want_rows)}


def specialty_table(rows):
    """The specialty table: one row per (label, result)."""
    out = ["| corpus | letters with a specialty | text as printed | slugs agree | facet rows "
           "(truth's slugs) |", "|---|---|---|---|---|"]
    for label, r in rows:
        s = r["specialty"]
        out.append("| %s | %d | %s | %s | %d (%d) |" % (label, s["n"], pct(s["text"]),
                                                        pct(s["slugs"]), s["rows"],
                                                        s["want_rows"]))
    return out


def pct(x):
    """A rate as a percentage."""
    return "n/a" if x != x else "%.1f%%" % (100 * x)


COLUMNS = [("partial letters", "partial"), ("partial, not truncated", "partial_whole"),
           ("unparsed", "unparsed"), ("items found", "found"),
           ("precision", "precision"), ("decision", "decision"), ("item type", "item_type"),
           ("guideline source", "guideline_source"), ("region (named)", "region_named"),
           ("region (all)", "body_region"), ("layout", "layout"),
           ("case number", "case_number"), ("decision date", "decision_date"),
           ("year", "year")]


def table(rows):
    """The main table: one row per (label, result)."""
    out = ["| corpus | letters | truth items | " + " | ".join(c for c, _ in COLUMNS) + " |",
           "|---" * (len(COLUMNS) + 3) + "|"]
    for label, r in rows:
        out.append("| %s | %d | %d | " % (label, r["counts"]["letters"],
                                           r["counts"]["truth_items"]) +
                   " | ".join(pct(r["rates"][k]) for _, k in COLUMNS) + " |")
    return out


def breakdown(r, min_items=20):
    """Rows per group (layout, variant kind, messiness) of one corpus."""
    out = ["| group | items | found | decision | item type | source | region (named) |",
           "|---|---|---|---|---|---|---|"]
    groups = sorted((g for g in r["groups"] if g != "all"),
                    key=lambda g: (not g.startswith("layout"), g))
    for g in groups:
        by = r["groups"][g]
        if by["items"] < min_items and not g.startswith("layout"):
            continue
        cells = [by[k] / by[k + "_n"] if by[k + "_n"] else float("nan")
                 for k in ("found", "decision", "item_type", "guideline_source",
                           "region_named")]
        out.append("| %s | %d | %s |" % (g, by["items"], " | ".join(pct(x) for x in cells)))
    return out


def confusion_lines(r, k=8):
    """The commonest confusions of each facet."""
    out = []
    for f in FACETS:
        top = r["confusions"][f].most_common(k)
        if top:
            out.append("- %s: " % f + "; ".join("%s -> %s (%d)" % (w, h, n)
                                                 for (w, h), n in top))
    return out


def main(argv=None):
    """Command line entry point."""
    ap = argparse.ArgumentParser(description="Facet accuracy of imrindex on the variants "
                                 "corpus against the project's own generator.")
    ap.add_argument("--letters", type=int, default=2000, help="letters per corpus (2000)")
    ap.add_argument("--seed", type=int, default=1, help="seed of both generators (1)")
    ap.add_argument("--jobs", type=int, default=2, help="generator processes (2)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="folder holding imrindex and imrsearch (build/)")
    ap.add_argument("--base", help="a second build folder measured in the same run")
    ap.add_argument("--doc", help="markdown file whose facets section is replaced")
    ap.add_argument("--examples", type=int, default=12, help="example failures shown (12)")
    ap.add_argument("--notes", default="", help="a note printed with the table")
    ap.add_argument("--corpora", default=os.path.join(ROOT, "corpus", "generated"),
                    help="folder of the generated corpora (corpus/generated/)")
    ap.add_argument("--work", default=os.path.join(ROOT, ".bench", "facets"),
                    help="folder of the databases (.bench/facets/)")
    a = ap.parse_args(argv)
    if a.letters < 1:
        ap.error("--letters must be positive")
    for build in [a.build] + ([a.base] if a.base else []):
        for prog in ("imrindex", "imrsearch"):
            if not os.access(os.path.join(build, prog), os.X_OK):
                ap.error("%s is not built in %s" % (prog, build))
    gen = a.corpora
    suffix = "" if a.seed == 1 else "-seed%d" % a.seed
    work = a.work
    os.makedirs(work, exist_ok=True)
    results, base_rows = [], []
    for label, name, variants in (("variants (corpus/variants.py)", "variants-%d%s" % (
            a.letters, suffix), True), ("own generator (corpus/generate.py)", "%d%s" % (
            a.letters, suffix), False)):
        corpus = os.path.join(gen, name)
        truths = ensure_corpus(corpus, a.letters, a.seed, a.jobs, variants)
        for build, rows, db in [(a.build, results, name)] + (
                [(a.base, base_rows, name + "-base")] if a.base else []):
            print("== indexing and exporting %s with %s" % (corpus, build), file=sys.stderr)
            summary, got, years, dt = index_and_export(build, corpus,
                                                       os.path.join(work, db + ".db"))
            r = evaluate(truths, got, years, summary)
            r["specialty"] = specialty_scores(truths, os.path.join(work, db + ".db"))
            r["seconds"] = dt
            rows.append((label, r, name))
    shown = lambda x: os.path.relpath(x, ROOT) if x.startswith(ROOT + os.sep) else x
    rows = [(label, r) for label, r, _ in results]
    if a.base:
        rows = [(label + ", " + shown(a.build), r) for label, r in rows] + \
               [(label + ", base " + shown(a.base), r) for label, r, _ in base_rows]
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["### %s - facet accuracy, %d letters per corpus" % (when, a.letters), "",
             "- Command: `tests/bench/facets.py%s`" % "".join(
                 " " + os.path.relpath(x, ROOT) if x.startswith(ROOT + os.sep) else " " + x
                 for x in (argv if argv is not None else sys.argv[1:])),
             "- Corpora: `corpus/generated/%s` and `corpus/generated/%s` (seed %d)" % (
                 results[0][2], results[1][2], a.seed)]
    if a.notes:
        lines.append("- Notes: " + a.notes)
    lines += [""] + table(rows) + [""]
    lines.append("Items are matched to the truth by the words of their texts; an item not "
                 "found counts as wrong in every facet. Guideline source: the reviewer's set, "
                 "exactly. Precision and the index's extra items leave out truncated letters "
                 "(their cut item is in the truth only when whole). Partial and unparsed: "
                 "imrindex's own count; not truncated: the share of the letters the truth "
                 "says are whole that imrindex calls partial. Year: the letters whose year the truth knows (the "
                 "variants truth's `year`: decision date, else `Dated:`, else the case "
                 "number, else the latest date in the text; the own generator's: its "
                 "decision date), as `imrsearch --from Y --to Y` finds them.")
    lines += ["", "Reviewer specialty, over the letters whose truth names one (its spellings "
              "mapped to slugs in tests/bench/facets.py): the text as the letter prints it, and "
              "the specialty facet's set of slugs against the truth's (n/a: a build that "
              "stores no slugs; its facet rows are the texts):", ""] + specialty_table(rows)
    lines += ["", "Variants corpus, by layout, variant kind and messiness (groups of 20 items "
              "or more):", ""] + breakdown(results[0][1])
    for label, r, _ in results:
        lines += ["", "Commonest confusions, %s (facet: truth -> index, items):" % label, ""]
        lines += confusion_lines(r) or ["- none"]
    report = "\n".join(lines) + "\n"
    print(report)
    print("Example failures (variants corpus), one letter per kind:")
    for kind, (letter, path, detail) in list(results[0][1]["examples"].items())[:a.examples]:
        print("- %s: %s (%s) %s" % (kind, letter, path, detail))
    if a.doc:
        with open(a.doc, encoding="utf-8") as f:
            doc = f.read()
        block = BEGIN + "\n" + report + END
        if BEGIN in doc and END in doc:
            doc = doc[:doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n## Facet accuracy on the variants corpus\n\n" + \
                block + "\n"
        with open(a.doc, "w", encoding="utf-8") as f:
            f.write(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
