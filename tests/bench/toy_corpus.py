#!/usr/bin/env python3
"""toy_corpus.py - a throwaway corpus of copies of the five seed letters, for trying the harness.

    toy_corpus.py --count N --out DIR [--seeds DIR]

Writes DIR/letters/<shard>/<id>.txt (letter i is seed i mod 5) and DIR/truth.jsonl in the
corpus generator's format, with the seeds' facets as docs/facets.md reads them. Its numbers
mean nothing (five distinct texts); it only exercises the benchmark's plumbing before a real
generated corpus exists.
"""
import argparse
import json
import os
import sys

# The seeds' items as docs/facets.md reads them (text, decision, type, region, sources).
SEEDS = {
    "000_df993e4b537a0a78": [("Q-TECH HOT AND COLD UNIT FOR LUMBAR SPINE", "upheld",
                              "cold-heat-device", "lumbar", ["aetna"])],
    "001_f6bc1215f6435560": [("Hot/Cold unit for the lumbar spine", "upheld",
                              "cold-heat-device", "lumbar", ["acoem", "mtus"])],
    "002_916c3e67ea9e97c8": [("Hot/cold therapy unit with wrap", "upheld",
                              "cold-heat-device", "cervical", ["acoem", "mtus"])],
    "003_6d6d2d7886315427": [("RETROSPECTIVE REQUEST FOR 1 THERMOCOOL UNIT", "upheld",
                              "cold-heat-device", "unspecified", ["odg"]),
                             ("RETROSPECTIVE 1 HOME TRACTION UNIT", "upheld", "traction",
                              "unspecified", ["acoem", "mtus"])],
    "004_86369982a4019b49": [("Medial branch blocks L4-L5 L5-S1", "overturned", "facet-mbb",
                              "lumbar", ["odg"]),
                             ("ThermoCool unit", "upheld", "cold-heat-device", "unspecified",
                              ["odg"])],
}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--seeds", default=os.path.join(here, "..", "..", "corpus", "letters"))
    a = ap.parse_args(argv)
    names = sorted(SEEDS)
    texts = {}
    for n in names:
        with open(os.path.join(a.seeds, n + ".txt"), "rb") as f:
            texts[n] = f.read()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "truth.jsonl"), "w", encoding="utf-8") as truth:
        for i in range(a.count):
            seed = names[i % len(names)]
            letter = f"toy{i:07d}"
            rel = os.path.join("letters", f"{i // 1000:04d}", letter + ".txt")
            os.makedirs(os.path.join(a.out, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(a.out, rel), "wb") as f:
                f.write(texts[seed])
            items = [{"text": t, "decision": d, "item_type": ty, "body_region": r,
                      "guideline_source": s, "ca_guideline_source": []}
                     for t, d, ty, r, s in SEEDS[seed]]
            truth.write(json.dumps({"letter": letter, "path": rel, "layout": 1,
                                    "truncated": False, "messy": [], "items": items}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
