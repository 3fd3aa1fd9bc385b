#!/usr/bin/env python3
"""corpus_check.py - checks a generated corpus against its truth file (used by t05_generator.sh).

Usage: corpus_check.py DIR [--proportions] [--variants]

Checks that truth.jsonl has one valid line per letter file, in id order, with exactly the
documented keys and only the brief's slugs; that every item text occurs in its letter once the
letter is read back as docs/corpus.md defines (normalise()); and with --proportions that the
layouts, decisions, items per letter, sizes and messiness fall in their documented bounds.
With --variants the corpus is one of corpus/variants.py: its truth has four more keys
(VARIANT_KEYS), one more kind of messiness (`mixed-encoding`), and a letter is decoded as a
careful reader would a file that mixes encodings: each valid UTF-8 sequence as UTF-8, only the
stray bytes as Windows-1252.
Prints one line per problem and exits 1 if there was any.
"""
import codecs
import json
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus"))
import vocab  # noqa: E402  (the brief's slugs, indexer/vocab.def)

KEYS = ["letter", "path", "layout", "case_number", "injury_date", "ur_denial_date",
        "decision_date", "specialty", "truncated", "messy", "items"]
VARIANT_KEYS = ["dated", "year", "year_source", "variants"]
ITEM_KEYS = ["text", "decision", "item_type", "body_region", "guideline_source",
             "ca_guideline_source"]
DECISIONS = set(vocab.DECISION)
TYPES = set(vocab.ITEM_TYPE)
REGIONS = set(vocab.BODY_REGION)
SOURCES = vocab.GUIDELINE_SOURCE
MESSY = ["crlf", "footer", "hyphen", "ligature", "quotes", "nbsp", "runon", "latin1", "truncated"]
FOOTER = re.compile(r"^\s*(Page )?\d+ of \d+\s*$")
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")


def cp1252_stray(err):
    """Decoding error handler: the stray bytes of a mixed file read as Windows-1252."""
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", errors="replace"), err.end


def normalise(data, mixed=False):
    """A letter's bytes as one line of text: decoded (UTF-8, else Windows-1252), CRLF undone,
    page footers and blank lines dropped, lines stripped and joined with one space (no space
    after a line ending in '-'), NFKC (ligatures, NBSP), curly quotes made straight, runs of
    spaces collapsed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="cp1252-stray") if mixed else data.decode("cp1252")
    text = text.replace("\r\n", "\n").replace("\u00a0", " ")
    out = ""
    for ln in text.split("\n"):
        ln = ln.strip()
        if not ln or FOOTER.match(ln):
            continue
        if out and not out.endswith("-"):
            out += " "
        out += ln
    out = unicodedata.normalize("NFKC", out)
    out = out.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r" +", " ", out)


def comparable(s):
    """Item texts are compared without hyphens: a line break may add one ('cryo-' / 'therapy')."""
    return re.sub(r" +", " ", s.replace("-", ""))


codecs.register_error("cp1252-stray", cp1252_stray)


def main():
    root = sys.argv[1]
    props = "--proportions" in sys.argv
    variants = "--variants" in sys.argv
    keys = KEYS + VARIANT_KEYS if variants else KEYS
    messy_kinds = MESSY + ["mixed-encoding"] if variants else MESSY
    problems = []
    truths = []
    with open(os.path.join(root, "truth.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                t = json.loads(line)
            except ValueError as e:
                problems.append("truth line %d: invalid JSON: %s" % (n, e))
                continue
            truths.append(t)
    files = []
    for d in sorted(os.listdir(os.path.join(root, "letters"))):
        for fn in sorted(os.listdir(os.path.join(root, "letters", d))):
            files.append("letters/%s/%s" % (d, fn))
    if [t.get("path") for t in truths] != files:
        problems.append("truth paths (%d) do not match the letter files (%d) in order"
                        % (len(truths), len(files)))
    stats = {"layout": {}, "items": {}, "upheld": 0, "n_items": 0, "sizes": [], "messy": {},
             "regions": {}, "types": {}}
    for t in truths:
        name = t.get("letter")
        if list(t.keys()) != keys:
            problems.append("%s: keys %s" % (name, list(t.keys())))
            continue
        if t["layout"] not in (0, 1, 2, 3):
            problems.append("%s: layout %r" % (name, t["layout"]))
        for k in ("injury_date", "ur_denial_date", "decision_date"):
            if not DATE.match(t[k]):
                problems.append("%s: %s %r" % (name, k, t[k]))
        if t["case_number"] and not re.match(r"^CM\d\d-\d{7}$", t["case_number"]):
            problems.append("%s: case number %r" % (name, t["case_number"]))
        if any(m not in messy_kinds for m in t["messy"]) or t["truncated"] != ("truncated" in t["messy"]):
            problems.append("%s: messy %r / truncated %r" % (name, t["messy"], t["truncated"]))
        if t["layout"] == 0 and t["items"]:
            problems.append("%s: unknown layout with items" % name)
        with open(os.path.join(root, t["path"]), "rb") as f:
            data = f.read()
        text = comparable(normalise(data, variants))
        for it in t["items"]:
            if list(it.keys()) != ITEM_KEYS:
                problems.append("%s: item keys %s" % (name, list(it.keys())))
                continue
            if it["decision"] not in DECISIONS or it["item_type"] not in TYPES or \
                    it["body_region"] not in REGIONS:
                problems.append("%s: bad slug in %r" % (name, it))
            for k in ("guideline_source", "ca_guideline_source"):
                if any(s not in SOURCES for s in it[k]) or \
                        it[k] != [s for s in SOURCES if s in it[k]]:
                    problems.append("%s: %s %r" % (name, k, it[k]))
            if comparable(it["text"]) not in text:
                problems.append("%s: item text not found: %r" % (name, it["text"]))
            stats["n_items"] += 1
            stats["upheld"] += it["decision"] == "upheld"
            stats["regions"][it["body_region"]] = stats["regions"].get(it["body_region"], 0) + 1
            stats["types"][it["item_type"]] = stats["types"].get(it["item_type"], 0) + 1
        stats["layout"][t["layout"]] = stats["layout"].get(t["layout"], 0) + 1
        if not t["truncated"] and t["layout"] != 0:
            k = len(t["items"])
            stats["items"][k] = stats["items"].get(k, 0) + 1
        if not t["truncated"]:
            stats["sizes"].append(len(data))
        for m in t["messy"]:
            stats["messy"][m] = stats["messy"].get(m, 0) + 1
    if props and truths:
        n = len(truths)

        def bound(what, value, lo, hi):
            if not lo <= value <= hi:
                problems.append("%s = %.3f, want %.3f..%.3f" % (what, value, lo, hi))

        lay = stats["layout"]
        bound("layout 1 share", lay.get(1, 0) / n, 0.74, 0.85)
        bound("layout 2 share", lay.get(2, 0) / n, 0.11, 0.19)
        bound("layout 3 share", lay.get(3, 0) / n, 0.03, 0.08)
        bound("unknown layout share", lay.get(0, 0) / n, 0.005, 0.04)
        bound("upheld share", stats["upheld"] / max(1, stats["n_items"]), 0.85, 0.90)
        ni = sum(stats["items"].values())
        bound("1-item letters", stats["items"].get(1, 0) / ni, 0.50, 0.65)
        bound("2-item letters", stats["items"].get(2, 0) / ni, 0.20, 0.32)
        bound("3-item letters", stats["items"].get(3, 0) / ni, 0.06, 0.14)
        bound("4-5-item letters", (stats["items"].get(4, 0) + stats["items"].get(5, 0)) / ni,
              0.03, 0.10)
        if any(k < 1 or k > 5 for k in stats["items"]):
            problems.append("items per letter outside 1..5: %r" % stats["items"])
        sizes = stats["sizes"]
        bound("letters of 3-15 KB", sum(1 for s in sizes if 3000 <= s <= 15000) / len(sizes),
              0.97, 1.0)
        bound("letters of 4-8 KB", sum(1 for s in sizes if 4000 <= s <= 8000) / len(sizes),
              0.5, 1.0)
        for m in MESSY:
            bound("messy %s share" % m, stats["messy"].get(m, 0) / n, 0.01, 0.10)
        bound("unspecified region share",
              stats["regions"].get("unspecified", 0) / max(1, stats["n_items"]), 0.05, 0.35)
        bound("multiple region share",
              stats["regions"].get("multiple", 0) / max(1, stats["n_items"]), 0.005, 0.15)
        if len(stats["types"]) != len(TYPES):
            problems.append("item types present: %d of %d" % (len(stats["types"]), len(TYPES)))
    for p in problems[:50]:
        print(p)
    if len(problems) > 50:
        print("... %d problems in all" % len(problems))
    if "-v" in sys.argv:
        print(json.dumps({k: v for k, v in stats.items() if k != "sizes"}, sort_keys=True))
        s = sorted(stats["sizes"])
        if s:
            print("sizes: min %d p10 %d median %d p90 %d max %d" % (
                s[0], s[len(s) // 10], s[len(s) // 2], s[len(s) * 9 // 10], s[-1]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
