"""vocab.py - the facet slugs of the brief, read from indexer/vocab.def, their one list.

DECISION, ITEM_TYPE, BODY_REGION and GUIDELINE_SOURCE are tuples of slugs in the brief's order
(the order vocab.c gives the library); NAMED_REGIONS is BODY_REGION without "multiple" and
"unspecified", the regions a text can name. Standard library only; reads the source tree, so
it works from a clean clone without a build.
"""

import os
import re

DEF = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "indexer", "vocab.def")


def read(path=DEF):
    """The facets of PATH: {"DECISION": ("upheld", ...), ...} from its
    `#define IMR_SLUGS_NAME(X) X("slug") ...` lines (continued with backslashes)."""
    with open(path, encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    facets = {}
    for name, body in re.findall(r"^#define IMR_SLUGS_(\w+)\(X\)(.*)$", text, re.M):
        facets[name] = tuple(re.findall(r'X\("([^"]+)"\)', body))
    for name in ("DECISION", "ITEM_TYPE", "BODY_REGION", "GUIDELINE_SOURCE"):
        if not facets.get(name):
            raise ValueError("%s: no IMR_SLUGS_%s" % (path, name))
    return facets


_FACETS = read()
DECISION = _FACETS["DECISION"]
ITEM_TYPE = _FACETS["ITEM_TYPE"]
BODY_REGION = _FACETS["BODY_REGION"]
GUIDELINE_SOURCE = _FACETS["GUIDELINE_SOURCE"]
NAMED_REGIONS = tuple(r for r in BODY_REGION if r not in ("multiple", "unspecified"))
