#!/usr/bin/env python3
"""generate.py - writes an archive-scale corpus of synthetic IMR letters and their truth.

Usage: corpus/generate.py --count N --seed S --out DIR [--jobs J] [--variants]

Writes DIR/letters/<shard>/gen_<id>.txt (1000 letters per shard folder) and DIR/truth.jsonl
(one JSON line per letter, in id order). Every letter is generated from its own random
generator seeded with (seed, index), so the output is byte-identical for a given seed whatever
--jobs is. See docs/corpus.md for the truth format, the proportions, the messiness injected and
how the facet truth follows from the generated text.

Design: a letter is built from choices (layout, items, regions, guideline citations), and the
text and the truth are produced together from the same choices. Sentences carry the body
regions they name; the facet rules of docs/facets.md (item text, then non-guideline rationale
sentences, then summary sentences that mention the item) are applied to those tags, never by
classifying the finished text. Python 3 standard library only.
"""

import bisect
import datetime
import math
import os
import re
import sys
import time
import random

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shards  # noqa: E402  (the corpus writer: shards, worker processes, truth.jsonl)
import vocab  # noqa: E402  (the facet slugs, indexer/vocab.def)

# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------


_ZIPF_CUM = {}


class Zipf:
    """A list whose pick() favours the first entries: weight of entry k is 1/(k+1)^s."""

    def __init__(self, items, s=1.0):
        self.items = items if isinstance(items, list) else list(items)
        key = (len(self.items), s)
        cum = _ZIPF_CUM.get(key)
        if cum is None:
            acc = 0.0
            cum = []
            for k in range(len(self.items)):
                acc += 1.0 / (k + 1) ** s
                cum.append(acc)
            _ZIPF_CUM[key] = cum
        self.cum = cum
        self.total = cum[-1]

    def pick(self, rng):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.total)]


class Weighted:
    """Weighted choice among (weight, value) pairs."""

    def __init__(self, pairs):
        self.values = [v for _, v in pairs]
        acc = 0.0
        self.cum = []
        for w, _ in pairs:
            acc += w
            self.cum.append(acc)
        self.total = acc

    def pick(self, rng):
        return self.values[bisect.bisect_left(self.cum, rng.random() * self.total)]


def lines(block):
    """Non-empty stripped lines of a triple-quoted block."""
    return [s.strip() for s in block.strip().split("\n") if s.strip()]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


_ORD_1990 = datetime.date(1990, 1, 1).toordinal()


def day_to_date(n):
    """Days since 1990-01-01 -> (y, m, d)."""
    d = datetime.date.fromordinal(_ORD_1990 + n)
    return (d.year, d.month, d.day)


def date_to_day(y, m, d):
    """(y, m, d) -> days since 1990-01-01."""
    return datetime.date(y, m, d).toordinal() - _ORD_1990


def iso(ymd):
    """(y, m, d) -> "YYYY-MM-DD"."""
    return "%04d-%02d-%02d" % ymd


def fmt_date(rng, ymd, style=None):
    """A date as letters write it: 10/29/2012, 3/19/12, March 1, 2013, 12/02/2014."""
    y, m, d = ymd
    if style is None:
        style = rng.randrange(4)
    if style == 0:
        return "%d/%d/%d" % (m, d, y)
    if style == 1:
        return "%02d/%02d/%d" % (m, d, y)
    if style == 2:
        return "%d/%d/%02d" % (m, d, y % 100)
    return "%s %d, %d" % (MONTHS[m - 1], d, y)


# ----------------------------------------------------------------------------------------------
# Body regions. A phrase generator returns text that names exactly the region it is filed
# under (docs/facets.md word list); everything else the generator writes avoids those words
# except where a region is meant to be a distractor.
# ----------------------------------------------------------------------------------------------

REGION_WEIGHT = Weighted([(24, "cervical"), (3, "thoracic"), (34, "lumbar"), (14, "shoulder"),
                          (3, "elbow"), (8, "wrist-hand"), (3, "hip"), (9, "knee"),
                          (4, "ankle-foot"), (2, "head")])
SIDES = Zipf(["right", "left", "bilateral"], 0.6)
LIMB = {"shoulder", "elbow", "wrist-hand", "hip", "knee", "ankle-foot"}


def cervical_level(rng, style=None):
    """A cervical level such as C5-C6 or C5-6."""
    n = Zipf([5, 4, 6, 3, 2]).pick(rng)
    style = rng.randrange(3) if style is None else style
    if style == 0:
        return "C%d-C%d" % (n, n + 1)
    if style == 1:
        return "C%d-%d" % (n, n + 1)
    return "C%d-C%d" % (n, n + 1)


def lumbar_level(rng, style=None):
    """A lumbar level such as L4-L5, L4-5 or L5-S1."""
    n = Zipf([4, 5, 3, 2, 1]).pick(rng)
    style = rng.randrange(3) if style is None else style
    if n == 5:
        return "L5-S1"
    if style == 1:
        return "L%d-%d" % (n, n + 1)
    return "L%d-L%d" % (n, n + 1)


def thoracic_level(rng):
    """A thoracic level such as T6-T7."""
    n = rng.randint(4, 11)
    return "T%d-T%d" % (n, n + 1)


def levels(rng, reg, k=None):
    """One or two spinal levels of a spinal region, as a phrase: 'L4-L5 and L5-S1'."""
    f = {"cervical": cervical_level, "lumbar": lumbar_level}.get(reg)
    if f is None:
        return thoracic_level(rng)
    k = k or Zipf([1, 2]).pick(rng)
    style = rng.randrange(3)
    a = f(rng, style)
    if k == 1:
        return a
    b = f(rng, style)
    if b == a:
        return a
    return "%s and %s" % (a, b)


def region_noun(rng, reg, side=None):
    """'lumbar spine', 'left knee', 'neck' ... for 'for the X' / 'of the X'."""
    side = side or SIDES.pick(rng)
    if reg == "cervical":
        return Zipf(["cervical spine", "neck", "cervical spine"]).pick(rng)
    if reg == "thoracic":
        return Zipf(["thoracic spine", "mid back", "thoracic region"]).pick(rng)
    if reg == "lumbar":
        return Zipf(["lumbar spine", "low back", "lumbosacral spine", "lumbar region"]).pick(rng)
    if reg == "head":
        return "head"
    name = {"shoulder": ["shoulder"], "elbow": ["elbow"],
            "wrist-hand": ["wrist", "hand", "wrist and hand", "thumb", "hand and wrist"],
            "hip": ["hip"], "knee": ["knee"], "ankle-foot": ["ankle", "foot", "ankle and foot"]}
    n = Zipf(name[reg]).pick(rng)
    if side == "bilateral":
        plural = {"shoulder": "shoulders", "elbow": "elbows", "wrist": "wrists", "hand": "hands",
                  "hip": "hips", "knee": "knees", "ankle": "ankles", "foot": "feet",
                  "thumb": "thumbs"}
        if n in plural and rng.random() < 0.5:
            return "bilateral " + plural[n]
    return side + " " + n


def region_adj(rng, reg):
    """An adjective or noun used before another noun: 'lumbar', 'neck', 'right knee'."""
    if reg == "cervical":
        return Zipf(["cervical", "neck"]).pick(rng)
    if reg == "thoracic":
        return "thoracic"
    if reg == "lumbar":
        return Zipf(["lumbar", "low back", "lumbosacral"]).pick(rng)
    if reg == "head":
        return "head"
    return region_noun(rng, reg)


def complaint(rng, reg):
    """A patient complaint naming the region: 'low back pain radiating to the left leg'."""
    side = SIDES.pick(rng)
    s = side if side != "bilateral" else Zipf(["bilateral", "right", "left"]).pick(rng)
    opts = {
        "cervical": ["neck pain", "neck pain radiating to the %s upper extremity" % s,
                     "cervical radiculopathy", "chronic neck pain with stiffness",
                     "cervical strain", "neck pain with occipital tension",
                     "cervical radiculitis", "cervical spondylosis", "neck spasm",
                     "C6 radiculopathy", "cervical disc protrusion"],
        "thoracic": ["mid back pain", "thoracic spine pain", "thoracic strain",
                     "mid back stiffness", "thoracic myofascial pain"],
        "lumbar": ["low back pain", "low back pain radiating to the %s lower extremity" % s,
                   "lumbar radiculopathy", "lumbosacral strain", "chronic low back pain",
                   "lumbar disc herniation", "lumbar facet arthropathy",
                   "low back pain with %s leg numbness" % s, "L5 radiculopathy",
                   "lumbar spondylosis", "lumbar degenerative disc disease"],
        "shoulder": ["%s shoulder pain" % side, "%s shoulder impingement" % side,
                     "a %s rotator cuff tear" % s, "%s shoulder adhesive capsulitis" % s,
                     "%s shoulder tendinitis" % side, "a %s shoulder labral tear" % s,
                     "rotator cuff tendinosis of the %s shoulder" % s],
        "elbow": ["%s elbow pain" % side, "%s lateral epicondylitis" % side,
                  "%s medial epicondylitis" % side, "%s elbow cubital tunnel syndrome" % s],
        "wrist-hand": ["%s wrist pain" % side, "%s carpal tunnel syndrome" % side,
                       "numbness in the %s hand" % s, "%s hand pain" % side,
                       "%s thumb pain" % s, "a %s wrist sprain" % s,
                       "triggering of the %s ring finger" % s],
        "hip": ["%s hip pain" % side, "%s hip bursitis" % s, "%s hip osteoarthritis" % side,
                "a %s hip labral tear" % s],
        "knee": ["%s knee pain" % side, "a %s medial meniscus tear" % s,
                 "%s knee internal derangement" % side, "%s knee osteoarthritis" % side,
                 "%s patellofemoral syndrome" % side, "a %s knee sprain" % s],
        "ankle-foot": ["%s ankle pain" % side, "a %s ankle sprain" % s, "%s foot pain" % side,
                       "%s plantar fasciitis" % side, "%s heel pain" % side],
        "head": ["headaches", "post-traumatic headaches", "post-concussion syndrome",
                 "TMJ pain", "chronic daily headaches"],
    }
    return Zipf(opts[reg], 0.8).pick(rng)


def finding(rng, reg):
    """An examination finding naming the region."""
    side = SIDES.pick(rng)
    s = side if side != "bilateral" else "right"
    deg = rng.choice([20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150])
    opts = {
        "cervical": ["tenderness over the cervical paraspinal muscles",
                     "decreased cervical range of motion",
                     "cervical flexion limited to %d degrees" % (deg // 3 + 10),
                     "decreased sensation in the %s C6 dermatome" % s,
                     "spasm of the cervical paraspinal musculature",
                     "pain with cervical extension and rotation",
                     "diminished %s biceps reflex with C5-6 tenderness" % s],
        "thoracic": ["tenderness over the thoracic paraspinal muscles",
                     "pain with thoracic rotation", "spasm at T6-T8"],
        "lumbar": ["tenderness over the lumbar paraspinal muscles",
                   "lumbar flexion limited to %d degrees" % (deg // 2 + 10),
                   "decreased sensation in the %s L5 dermatome" % s,
                   "pain with lumbar extension and facet loading",
                   "spasm of the lumbar paraspinal musculature",
                   "decreased lumbar range of motion",
                   "tenderness at L4-L5 and L5-S1"],
        "shoulder": ["positive Neer and Hawkins signs of the %s shoulder" % s,
                     "%s shoulder abduction to %d degrees" % (s, deg),
                     "%s shoulder flexion limited to %d degrees" % (s, deg),
                     "tenderness over the %s acromioclavicular joint of the shoulder" % s,
                     "a positive drop arm test on the %s shoulder" % s],
        "elbow": ["tenderness over the %s lateral epicondyle" % s,
                  "pain with resisted extension at the %s elbow" % s],
        "wrist-hand": ["positive Tinel's and Phalen's signs at the %s wrist" % s,
                       "decreased grip strength of the %s hand" % s,
                       "tenderness over the %s first dorsal compartment of the wrist" % s],
        "hip": ["pain with internal rotation of the %s hip" % s,
                "tenderness over the %s greater trochanter of the hip" % s],
        "knee": ["medial joint line tenderness of the %s knee" % s,
                 "a positive McMurray's test of the %s knee" % s,
                 "%s knee flexion to %d degrees" % (s, deg), "crepitus of the %s knee" % s,
                 "a mild %s knee effusion" % s],
        "ankle-foot": ["swelling over the %s lateral ankle" % s,
                       "tenderness at the %s plantar fascia insertion" % s,
                       "decreased %s ankle dorsiflexion" % s],
        "head": ["tenderness over the occipital region with headaches",
                 "TMJ tenderness with clicking"],
    }
    return Zipf(opts[reg], 0.7).pick(rng)


# Findings that name no region (filler for the summary and rationale).
NEUTRAL_FINDINGS = lines("""
a normal gait
an antalgic gait
5/5 motor strength throughout
4/5 motor strength with giveway weakness
deep tendon reflexes 2+ and symmetric
diminished deep tendon reflexes
a positive straight leg raise at 60 degrees
a negative straight leg raise bilaterally
intact sensation to light touch
decreased sensation to pinprick in the lower extremities
decreased sensation in the upper extremities
muscle spasm with guarding
a positive Spurling's maneuver
a negative Hoffmann's sign
no clonus
a slow and guarded gait with use of a cane
difficulty rising from a seated position
pain behaviors during the examination
blood pressure of 138/86
a body mass index of 34
tenderness to palpation with trigger points
myofascial tenderness
diffuse tenderness without focal deficits
a positive Waddell's sign
normal muscle tone and bulk
mild atrophy of the thigh musculature
hyperalgesia and allodynia
restricted range of motion in all planes
a flat affect
an anxious mood
no signs of sedation
pain rated 8/10 without medications and 4/10 with medications
""")


# ----------------------------------------------------------------------------------------------
# Item types: how each kind of disputed item is written. Every head is a phrase that belongs to
# its type and names no body region; `key` is the distinctive word a summary sentence uses to
# mention the item (shared with the item text).
# ----------------------------------------------------------------------------------------------

OPIOIDS = [("Norco", ["5/325mg", "7.5/325mg", "10/325mg", "10/325 mg"]),
           ("Hydrocodone/APAP", ["10/325mg", "7.5/325mg", "5/325mg"]),
           ("hydrocodone/acetaminophen", ["10/325mg", "7.5/325mg"]),
           ("Percocet", ["10/325mg", "5/325mg", "7.5/325mg"]),
           ("oxycodone", ["5mg", "10mg", "15mg", "30mg"]),
           ("OxyContin", ["10mg", "20mg", "40mg", "80mg"]),
           ("oxycodone/APAP", ["10/325mg", "5/325mg"]),
           ("tramadol", ["50mg", "100mg"]),
           ("Tramadol ER", ["150mg", "200mg", "300mg"]),
           ("Ultram", ["50mg"]), ("Ultram ER", ["150mg", "200mg"]),
           ("Ultracet", ["37.5/325mg"]),
           ("tramadol/APAP", ["37.5/325mg"]),
           ("Nucynta", ["50mg", "75mg", "100mg"]), ("Nucynta ER", ["100mg", "150mg"]),
           ("tapentadol", ["50mg", "100mg"]),
           ("MS Contin", ["15mg", "30mg", "60mg"]),
           ("morphine sulfate ER", ["15mg", "30mg"]),
           ("Kadian", ["20mg", "30mg"]), ("methadone", ["5mg", "10mg"]),
           ("Dilaudid", ["2mg", "4mg", "8mg"]), ("hydromorphone", ["2mg", "4mg"]),
           ("Opana ER", ["10mg", "20mg"]), ("oxymorphone", ["10mg"]),
           ("Duragesic", ["25mcg/hr", "50mcg/hr", "75mcg/hr"]),
           ("Butrans", ["5mcg/hr", "10mcg/hr", "20mcg/hr"]),
           ("buprenorphine", ["2mg", "8mg"]),
           ("Tylenol with codeine No. 3", ["300/30mg"]),
           ("Vicodin", ["5/300mg", "5/500mg"]),
           ("Lortab", ["7.5/500mg", "10/325mg"]), ("Roxicodone", ["15mg", "30mg"]),
           ("Hysingla ER", ["20mg", "40mg"]), ("Zohydro ER", ["20mg"]),
           ("Xartemis XR", ["7.5/325mg"]), ("Fentanyl", ["25mcg/hr"]),
           ("Exalgo", ["8mg", "12mg"]), ("Embeda", ["20/0.8mg"]), ("Avinza", ["30mg"])]
NSAIDS = [("naproxen", ["500mg", "550mg", "375mg"]), ("naproxen sodium", ["550mg", "275mg"]),
          ("Anaprox DS", ["550mg"]), ("Anaprox", ["550mg", "275mg"]), ("Naprosyn", ["500mg"]),
          ("ibuprofen", ["600mg", "800mg", "400mg"]), ("Motrin", ["800mg", "600mg"]),
          ("meloxicam", ["7.5mg", "15mg"]), ("Mobic", ["7.5mg", "15mg"]),
          ("diclofenac sodium ER", ["100mg"]), ("diclofenac", ["75mg", "50mg"]),
          ("Voltaren XR", ["100mg"]), ("Celebrex", ["200mg", "100mg"]),
          ("celecoxib", ["200mg"]), ("etodolac", ["400mg", "500mg"]), ("Lodine", ["400mg"]),
          ("nabumetone", ["500mg", "750mg"]), ("Relafen", ["750mg"]),
          ("Daypro", ["600mg"]), ("oxaprozin", ["600mg"]), ("fenoprofen", ["400mg"]),
          ("Nalfon", ["400mg"]), ("ketoprofen", ["75mg"]), ("piroxicam", ["20mg"]),
          ("Duexis", ["800/26.6mg"]), ("Vimovo", ["500/20mg"]), ("Arthrotec", ["75mg"]),
          ("Zipsor", ["25mg"]), ("indomethacin", ["25mg", "50mg"]), ("sulindac", ["200mg"])]
RELAXANTS = [("cyclobenzaprine", ["5mg", "7.5mg", "10mg"]), ("Flexeril", ["10mg", "7.5mg"]),
             ("Fexmid", ["7.5mg"]), ("Amrix", ["15mg", "30mg"]),
             ("tizanidine", ["2mg", "4mg"]), ("Zanaflex", ["4mg", "2mg"]),
             ("carisoprodol", ["350mg"]), ("Soma", ["350mg", "250mg"]),
             ("methocarbamol", ["500mg", "750mg"]), ("Robaxin", ["750mg"]),
             ("baclofen", ["10mg", "20mg"]), ("orphenadrine ER", ["100mg"]),
             ("Norflex", ["100mg"]), ("metaxalone", ["800mg"]), ("Skelaxin", ["800mg"]),
             ("chlorzoxazone", ["500mg"]), ("Parafon Forte", ["500mg"]),
             ("Lorzone", ["750mg"]), ("dantrolene", ["25mg"])]
OTHER_MEDS = [("gabapentin", ["300mg", "600mg", "800mg"]), ("Neurontin", ["300mg", "600mg"]),
              ("Lyrica", ["50mg", "75mg", "150mg"]), ("pregabalin", ["75mg"]),
              ("omeprazole", ["20mg", "40mg"]), ("Prilosec", ["20mg"]),
              ("pantoprazole", ["20mg", "40mg"]), ("Protonix", ["40mg"]),
              ("ranitidine", ["150mg"]), ("esomeprazole", ["40mg"]), ("Nexium", ["40mg"]),
              ("Ambien", ["10mg", "5mg"]), ("zolpidem", ["10mg"]), ("Ambien CR", ["12.5mg"]),
              ("Lunesta", ["3mg"]), ("trazodone", ["50mg", "100mg"]),
              ("Xanax", ["0.5mg", "1mg"]), ("alprazolam", ["0.25mg", "0.5mg"]),
              ("Klonopin", ["0.5mg", "1mg"]), ("clonazepam", ["0.5mg"]),
              ("Valium", ["5mg", "10mg"]), ("diazepam", ["5mg"]),
              ("Cymbalta", ["30mg", "60mg"]), ("duloxetine", ["30mg", "60mg"]),
              ("amitriptyline", ["10mg", "25mg"]), ("Elavil", ["25mg"]),
              ("nortriptyline", ["25mg"]), ("Wellbutrin XL", ["150mg"]),
              ("sertraline", ["50mg", "100mg"]), ("Zoloft", ["50mg"]),
              ("Prozac", ["20mg"]), ("venlafaxine ER", ["75mg"]),
              ("Topamax", ["25mg", "50mg"]), ("topiramate", ["25mg"]),
              ("Imitrex", ["50mg", "100mg"]), ("sumatriptan", ["50mg"]),
              ("Fioricet", ["50/325/40mg"]), ("ondansetron", ["4mg", "8mg"]),
              ("Zofran", ["8mg"]), ("Colace", ["100mg"]), ("docusate sodium", ["100mg"]),
              ("senna", ["8.6mg"]), ("Senokot-S", ["8.6/50mg"]), ("Amitiza", ["24mcg"]),
              ("Movantik", ["25mg"]), ("Sentra PM", ["#60"]), ("Theramine", ["#120"]),
              ("Trepadone", ["#120"]), ("Gabadone", ["#60"]), ("Restoril", ["15mg", "30mg"]),
              ("Provigil", ["100mg"]), ("Savella", ["50mg"]), ("Horizant", ["600mg"]),
              ("Gralise", ["600mg"]), ("Neurontin", ["800mg"]), ("Keppra", ["500mg"]),
              ("Cialis", ["5mg"]), ("Viagra", ["100mg"]), ("Medrol Dosepak", ["4mg"]),
              ("prednisone", ["10mg", "20mg"]), ("vitamin D", ["50,000 IU"])]
# Classes of the other medications: their guideline sentences and citations fit the drug.
MED_CLASS = {}
for _cls, _names in (
        ("aed", "gabapentin Neurontin Lyrica pregabalin Topamax topiramate Keppra Horizant Gralise"),
        ("ppi", "omeprazole Prilosec pantoprazole Protonix ranitidine esomeprazole Nexium"),
        ("sleep", "Ambien zolpidem Lunesta trazodone Restoril Provigil"),
        ("benzo", "Xanax alprazolam Klonopin clonazepam Valium diazepam"),
        ("antidep", "Cymbalta duloxetine amitriptyline Elavil nortriptyline Wellbutrin sertraline "
                    "Zoloft Prozac venlafaxine Savella"),
        ("headache", "Imitrex sumatriptan Fioricet"),
        ("antiemetic", "ondansetron Zofran"),
        ("laxative", "Colace docusate senna Senokot-S Amitiza Movantik"),
        ("medfood", "Sentra Theramine Trepadone Gabadone vitamin")):
    for _n in _names.split():
        MED_CLASS[_n.lower()] = _cls
MED_TOPIC = {"aed": ["anti-epilepsy drugs", "gabapentinoids"],
             "ppi": ["proton pump inhibitors", "PPIs"], "sleep": ["sleep aids", "hypnotics"],
             "benzo": ["benzodiazepines"], "antidep": ["antidepressants", "SNRIs"],
             "headache": ["triptans", "barbiturate-containing analgesics"],
             "antiemetic": ["antiemetics"], "laxative": ["stool softeners", "laxatives"],
             "medfood": ["medical food", "medical foods"]}
MED_GUIDE = {
    "aed": lines("""
The MTUS states that anti-epilepsy drugs are recommended for neuropathic pain.
Per the MTUS, a good response to the use of anti-epilepsy drugs has been defined as a 50% reduction in pain.
The MTUS recommends documentation of pain relief and improvement in function with anti-epilepsy drugs.
"""),
    "ppi": lines("""
The MTUS recommends a proton pump inhibitor only for patients at intermediate risk for gastrointestinal events.
Per MTUS guidelines, risk factors include age over 65, a history of peptic ulcer, GI bleeding or perforation, and concurrent use of aspirin or corticosteroids.
ODG states that long-term PPI use has been shown to increase the risk of hip fracture.
"""),
    "sleep": lines("""
ODG recommends that treatment of insomnia be based on the etiology, and pharmacological agents be used only after careful evaluation.
ODG states that zolpidem is approved for the short-term (usually two to six weeks) treatment of insomnia.
"""),
    "benzo": lines("""
The MTUS does not recommend benzodiazepines for long-term use because long-term efficacy is unproven and there is a risk of dependence.
Per the MTUS, most guidelines limit the use of benzodiazepines to 4 weeks.
"""),
    "antidep": lines("""
The MTUS recommends antidepressants as a first line option for neuropathic pain and as a possibility for non-neuropathic pain.
ODG recommends duloxetine as an option in first-line treatment of neuropathic pain.
"""),
    "headache": lines("""
ODG recommends triptans for migraine sufferers.
The MTUS does not recommend barbiturate-containing analgesic agents for chronic pain.
"""),
    "antiemetic": lines("""
ODG does not recommend antiemetics for nausea and vomiting secondary to chronic opioid use.
"""),
    "laxative": lines("""
The MTUS recommends prophylactic treatment of constipation when opioid therapy is initiated.
"""),
    "medfood": lines("""
ODG does not recommend medical food for chronic pain.
ODG states that a medical food must be used under the supervision of a physician for a distinctive nutritional requirement.
"""),
}
MED_CPMTG = {"aed": ("Anti-epilepsy drugs (AEDs)", "16-18"),
             "ppi": ("NSAIDs, GI symptoms & cardiovascular risk", "68-69"),
             "benzo": ("Benzodiazepines", "24"),
             "antidep": ("Antidepressants for chronic pain", "13-16"),
             "laxative": ("Opioids, criteria for use", "77"),
             "headache": ("Barbiturate-containing analgesic agents (BCAs)", "23")}
MED_ODG = {"aed": "Anti-epilepsy drugs (AEDs) for pain", "ppi": "Proton pump inhibitors (PPIs)",
           "sleep": "Insomnia treatment", "benzo": "Benzodiazepines",
           "antidep": "Antidepressants for chronic pain", "headache": "Triptans",
           "antiemetic": "Antiemetics (for opioid nausea)", "laxative": "Opioid-induced constipation treatment",
           "medfood": "Medical food"}
TOPICALS = lines("""
Lidoderm 5% patch #30
Lidoderm patches 5% #60
lidocaine 5% patches #30
Terocin patches #30
Terocin lotion 120ml
Flector patch 1.3% #60
Voltaren 1% gel 100gm
Pennsaid 2% solution
capsaicin 0.075% cream
Menthoderm gel 120gm
LidoPro ointment 121gm
Medrox patches #30
Dendracin lotion 120ml
compounded cream: flurbiprofen 20%/lidocaine 5%, 180gm
compounded topical cream (ketoprofen 20%, gabapentin 10%, lidocaine 5%)
Flurbiprofen 20% cream 120gm
Gabapentin 10%/Cyclobenzaprine 6% compounded cream
Ketoprofen/Lidocaine/Capsaicin compounded cream
compounded topical analgesic cream 240gm
topical compound Flurbi (NAP) cream-LA 180gm
Capsaicin 0.025%/Flurbiprofen 15%/Menthol 2%/Camphor 2% cream
Amitriptyline 10%/Dextromethorphan 10%/Gabapentin 10% cream 210gm
Synovacin cream
Ultraflex-G cream 120gm
topical compounded medications
Salonpas patches
Lidopro lotion 4oz
Biofreeze gel
diclofenac 1.5% topical solution
""")

# Each type: weight in the corpus, item heads (text, key word or None for the first word) and
# whether the item text usually names a region (probability).
TYPE_WEIGHTS = Weighted([
    (13, "opioid"), (5, "nsaid"), (6, "muscle-relaxant"), (8, "topical"),
    (8, "medication-other"), (4, "epidural-injection"), (3, "facet-mbb"),
    (1.5, "trigger-point-injection"), (2, "injection-other"), (7, "physical-therapy"),
    (2, "chiropractic"), (3, "acupuncture"), (5, "surgery"), (6, "mri"), (3, "imaging-other"),
    (4, "emg-ncv"), (3, "lab-drug-screen"), (2, "psych"), (1, "home-health"),
    (1.5, "functional-restoration"), (4, "consultation"), (3, "cold-heat-device"),
    (3, "tens-estim"), (0.7, "traction"), (3, "dme-other"), (1.5, "other")])

COLD_HEAT = lines("""
hot/cold unit|cold
Hot/cold therapy unit with wrap|cold
hot and cold unit|cold
Q-Tech hot and cold unit|q-tech
Q-Tech cold therapy recovery system with wrap|q-tech
cryotherapy unit|cryotherapy
continuous-flow cryotherapy unit|cryotherapy
continuous flow cryotherapy|cryotherapy
cold therapy unit|cold
Game Ready unit|game
Game Ready cold compression system|game
Polar Care unit|polar
Polar Care cold therapy unit|polar
ThermoCool unit|thermocool
ThermoCool hot and cold contrast therapy unit with compression|thermocool
cold compression unit|compression
hot/ice machine|ice
vasopneumatic compression device|vasopneumatic
Vascutherm cold compression unit|vascutherm
heat and cold therapy unit|cold
cryo unit with pad|cryo
Cryo-Cuff|cryo-cuff
Iceman cold therapy unit|iceman
VPULSE cold therapy unit|vpulse
""")
TENS = lines("""
TENS unit|tens
TENS unit with supplies|tens
transcutaneous electrical nerve stimulation (TENS) unit|transcutaneous
transcutaneous electrical nerve stimulation unit|transcutaneous
30 day trial of a TENS unit|tens
H-wave unit|h-wave
home H-wave device|h-wave
interferential stimulator|interferential
interferential current stimulation unit|interferential
NMES unit|nmes
neuromuscular electrical stimulation unit|neuromuscular
TENS/EMS unit|tens
electrical muscle stimulator|stimulator
TENS patch x 2 pairs|tens
four lead TENS unit|tens
""")
TRACTION = lines("""
home traction unit|traction
home cervical traction unit|traction
Saunders home traction device|traction
over-the-door traction unit|traction
pneumatic traction device|traction
cervical traction with air bladder|traction
lumbar traction unit|traction
""")
DME = lines("""
front-wheeled walker|walker
four-wheeled walker with seat|walker
orthopedic mattress|mattress
adjustable bed|bed
hospital bed|bed
ergonomic chair|chair
recliner chair|chair
shower chair|chair
raised toilet seat|toilet
power wheelchair|wheelchair
motorized scooter|scooter
single point cane|cane
orthopedic pillow|pillow
home exercise kit|kit
lumbar support brace|brace
lumbosacral orthosis|orthosis
hinged knee brace|brace
knee immobilizer|immobilizer
wrist splint|splint
cock-up wrist brace|brace
thumb spica splint|splint
shoulder sling|sling
cervical collar|collar
cervical pillow|pillow
ankle brace|brace
custom foot orthotics|orthotics
elbow strap|strap
""")
# DME heads that name a region themselves.
DME_REGION = {"lumbar support brace": "lumbar", "lumbosacral orthosis": "lumbar",
              "hinged knee brace": "knee", "knee immobilizer": "knee", "wrist splint": "wrist-hand",
              "cock-up wrist brace": "wrist-hand", "thumb spica splint": "wrist-hand",
              "shoulder sling": "shoulder", "cervical collar": "cervical",
              "cervical pillow": "cervical", "ankle brace": "ankle-foot",
              "custom foot orthotics": "ankle-foot", "elbow strap": "elbow",
              "home cervical traction unit": "cervical", "cervical traction with air bladder":
              "cervical", "lumbar traction unit": "lumbar"}
PT = lines("""
physical therapy|physical
additional physical therapy|physical
physical therapy 2x6|physical
physical therapy 3x4|physical
physical therapy 2 times a week for 6 weeks|physical
12 sessions of physical therapy|physical
8 physical therapy visits|physical
post-operative physical therapy 12 sessions|physical
PT 2x4|pt
PT x 8 visits|pt
physiotherapy 6 sessions|physiotherapy
aquatic therapy 2x6|aquatic
aquatic therapy x 8 sessions|aquatic
pool therapy|pool
""")
CHIRO = lines("""
chiropractic manipulation 2x4|chiropractic
chiropractic treatment x 6 visits|chiropractic
chiropractic care|chiropractic
manipulative therapy|manipulative
chiropractic sessions with myofascial release|chiropractic
chiropractic therapy 1x6|chiropractic
osteopathic manipulative treatment|manipulative
""")
ACU = lines("""
acupuncture|acupuncture
acupuncture 2x3|acupuncture
additional acupuncture x 6 sessions|acupuncture
acupuncture 1x6|acupuncture
electroacupuncture|electroacupuncture
acupuncture with cupping 2x4|acupuncture
8 sessions of acupuncture|acupuncture
""")
PSYCH = lines("""
psychotherapy 6 sessions|psychotherapy
cognitive behavioral therapy (CBT) x 6|cognitive
cognitive behavioural therapy|cognitive
psychological evaluation|psychological
psychological testing|psychological
psychiatric consultation|psychiatric
psychiatric follow-up visits|psychiatric
biofeedback 6 sessions|biofeedback
group psychotherapy|psychotherapy
CBT 10 sessions|cbt
psychological treatment x 8|psychological
""")
HOME = lines("""
home health care 4 hours a day|home
home health aide 3 times a week|aide
home health services|home
in-home care assistance 6 hours per day|in-home
home nursing visits|nursing
""")
FRP = lines("""
functional restoration program x 160 hours|restoration
functional restoration program evaluation|restoration
HELP functional restoration program|restoration
work hardening program x 10 sessions|hardening
work conditioning 12 sessions|conditioning
multidisciplinary chronic pain management program|multidisciplinary
chronic pain program|program
""")
CONSULT = lines("""
orthopedic consultation|orthopedic
pain management consultation|pain
referral to a spine surgeon|spine
neurology consultation|neurology
follow-up visit with a pain specialist|specialist
evaluation with an orthopedic surgeon|orthopedic
internal medicine consultation|internal
second opinion with a spine specialist|spine
consultation with a neurosurgeon|neurosurgeon
referral to a rheumatologist|rheumatologist
podiatry consultation|podiatry
sleep medicine consultation|sleep
follow-up office visits|office
""")
LAB = lines("""
urine drug screen|urine
urine drug testing|urine
random urine drug test|urine
UDS|uds
urine toxicology screen|toxicology
comprehensive metabolic panel|metabolic
CBC and CMP labs|labs
hepatic and renal function panel|hepatic
serum drug levels|serum
pharmacogenetic testing|pharmacogenetic
qualitative urine drug screen|urine
""")
EMG = lines("""
EMG/NCV of the bilateral lower extremities|emg
EMG/NCV of the bilateral upper extremities|emg
electromyography and nerve conduction studies of the upper extremities|electromyography
NCV of the bilateral lower extremities|ncv
EMG of the left upper extremity|emg
NCS/EMG of the right lower extremity|ncs
nerve conduction velocity study|conduction
electrodiagnostic studies|electrodiagnostic
""")
OTHER = lines("""
gym membership for 6 months|gym
transportation to and from medical appointments|transportation
weight loss program|weight
interpreter services|interpreter
extracorporeal shockwave therapy|shockwave
sleep study|sleep
infrared therapy|infrared
YMCA membership|ymca
""")


def parse_heads(entries):
    """"head|key" lines -> Zipf list of (head, key)."""
    out = []
    for e in entries:
        text, key = e.split("|")
        out.append((text, key))
    return Zipf(out, 0.9)


HEADS = {"cold-heat-device": parse_heads(COLD_HEAT), "tens-estim": parse_heads(TENS),
         "traction": parse_heads(TRACTION), "dme-other": parse_heads(DME),
         "physical-therapy": parse_heads(PT), "chiropractic": parse_heads(CHIRO),
         "acupuncture": parse_heads(ACU), "psych": parse_heads(PSYCH),
         "home-health": parse_heads(HOME), "functional-restoration": parse_heads(FRP),
         "consultation": parse_heads(CONSULT), "lab-drug-screen": parse_heads(LAB),
         "emg-ncv": parse_heads(EMG), "other": parse_heads(OTHER)}
DRUGS = {"opioid": Zipf(OPIOIDS, 0.9), "nsaid": Zipf(NSAIDS, 0.9),
         "muscle-relaxant": Zipf(RELAXANTS, 0.9), "medication-other": Zipf(OTHER_MEDS, 0.8)}
ALL_DRUGS = OPIOIDS + NSAIDS + RELAXANTS + OTHER_MEDS
QTY = Zipf(["#60", "#90", "#30", "#120", "#180", "#240", "#100", "#20", "#45", "#15", "#150"], 0.7)
SIG = Zipf(["", "", "", "1 tab PO q4-6h PRN", "one tablet twice a day", "BID", "TID", "QHS",
            "q8h prn", "every 12 hours", "1 PO daily", "with 2 refills", "x 1 month",
            "1-2 tablets every 6 hours as needed", "1 PO TID PRN spasm"], 0.5)

SPINAL = {"cervical", "thoracic", "lumbar"}

# Region-bearing item heads: (template, key, region). {side}, {lv} and {noun} are filled in.
SURGERY = [
    ("{side} shoulder arthroscopy with subacromial decompression", "arthroscopy", "shoulder"),
    ("arthroscopic rotator cuff repair of the {side} shoulder", "arthroscopic", "shoulder"),
    ("{side} shoulder arthroscopic labral repair", "labral", "shoulder"),
    ("{side} knee arthroscopy with partial medial meniscectomy", "arthroscopy", "knee"),
    ("total knee arthroplasty, {side}", "arthroplasty", "knee"),
    ("{side} knee arthroscopic chondroplasty", "chondroplasty", "knee"),
    ("{side} knee ACL reconstruction", "reconstruction", "knee"),
    ("anterior cervical discectomy and fusion (ACDF) at {lv}", "discectomy", "cervical"),
    ("ACDF {lv}", "acdf", "cervical"),
    ("cervical disc arthroplasty at {lv}", "arthroplasty", "cervical"),
    ("posterior cervical foraminotomy at {lv}", "foraminotomy", "cervical"),
    ("{lv} posterior lumbar interbody fusion", "fusion", "lumbar"),
    ("lumbar laminectomy and discectomy at {lv}", "laminectomy", "lumbar"),
    ("microdiscectomy at {lv}", "microdiscectomy", "lumbar"),
    ("{lv} decompression and fusion", "fusion", "lumbar"),
    ("anterior lumbar interbody fusion at {lv}", "fusion", "lumbar"),
    ("{side} carpal tunnel release", "release", "wrist-hand"),
    ("{side} trigger finger release", "release", "wrist-hand"),
    ("{side} de Quervain's release of the wrist", "quervain", "wrist-hand"),
    ("{side} thumb CMC arthroplasty", "arthroplasty", "wrist-hand"),
    ("{side} lateral epicondyle release of the elbow", "epicondyle", "elbow"),
    ("{side} cubital tunnel release of the elbow", "cubital", "elbow"),
    ("{side} total hip arthroplasty", "arthroplasty", "hip"),
    ("{side} hip arthroscopy with labral repair", "arthroscopy", "hip"),
    ("{side} ankle arthroscopy", "arthroscopy", "ankle-foot"),
    ("{side} plantar fascia release of the foot", "plantar", "ankle-foot"),
]
ESI = [("{adj} epidural steroid injection at {lv}", "epidural"),
       ("transforaminal epidural steroid injection at {side} {lv}", "epidural"),
       ("{lv} transforaminal ESI", "esi"), ("ESI at {lv}", "esi"),
       ("interlaminar epidural steroid injection at {lv}", "epidural"),
       ("{adj} epidural steroid injection", "epidural"),
       ("TFESI {side} {lv}", "tfesi"),
       ("{side} {lv} transforaminal epidural steroid injection under fluoroscopy", "epidural"),
       ("{adj} ESI", "esi")]
ESI_NOREGION = [("epidural steroid injection", "epidural"), ("ESI x 1", "esi"),
                ("repeat epidural steroid injection", "epidural")]
FACET = [("diagnostic medial branch blocks at {lv}", "medial"),
         ("bilateral {lv} facet injections", "facet"), ("MBB at {lv}", "mbb"),
         ("radiofrequency ablation at {lv}", "radiofrequency"), ("RFA {side} {lv}", "rfa"),
         ("{adj} facet joint injection", "facet"),
         ("{adj} radiofrequency neurotomy at {lv}", "radiofrequency"),
         ("medial branch radiofrequency rhizotomy at {lv}", "rhizotomy"),
         ("intra-articular facet injection at {lv}", "facet"),
         ("Diagnostic Bilateral {lv} Medial Branch Blocks under Fluoroscopic Guidance", "medial"),
         ("{adj} MBB", "mbb"), ("{adj} RFA", "rfa")]
FACET_NOREGION = [("facet injections", "facet"), ("medial branch blocks", "medial"),
                  ("radiofrequency ablation", "radiofrequency")]
TPI = [("trigger point injections to the {noun}", "trigger"),
       ("trigger point injection of the {adj} paraspinal muscles", "trigger"),
       ("TPI to the {noun} x 3", "tpi")]
TPI_NOREGION = [("trigger point injections x 4", "trigger"), ("TPI x 3", "tpi"),
                ("trigger point injection", "trigger"), ("4 trigger point injections", "trigger")]
INJ = [("PRP injection to the {noun}", "prp", None),
       ("platelet-rich plasma injection of the {noun}", "platelet", None),
       ("cortisone injection to the {noun}", "cortisone", None),
       ("corticosteroid injection of the {noun}", "corticosteroid", None),
       ("steroid injection to the {noun}", "steroid", None),
       ("Synvisc-One injection to the {side} knee", "synvisc", "knee"),
       ("Orthovisc series of three injections for the {side} knee", "orthovisc", "knee"),
       ("Supartz injections x 5 for the {side} knee", "supartz", "knee"),
       ("hyaluronic acid injections for the {side} knee", "hyaluronic", "knee"),
       ("viscosupplementation injections of the {side} knee", "viscosupplementation", "knee"),
       ("subacromial cortisone injection of the {side} shoulder", "subacromial", "shoulder"),
       ("greater occipital nerve block for headaches", "occipital", "head"),
       ("Botox injections for migraine headaches", "botox", "head")]
INJ_NOREGION = [("vitamin B12 injection", "b12"), ("stellate ganglion block", "stellate"),
                ("platelet-rich plasma injection", "platelet"), ("PRP injection", "prp"),
                ("cortisone injection", "cortisone")]
MRI = [("MRI of the {noun}", "mri"), ("{adj} MRI", "mri"), ("MRI {noun}", "mri"),
       ("repeat MRI of the {noun}", "mri"), ("3T MRI of the {noun}", "mri"),
       ("magnetic resonance imaging (MRI) of the {noun}", "magnetic"),
       ("open MRI of the {noun}", "mri"), ("{adj} MRI without contrast", "mri"),
       ("MRI with contrast of the {noun}", "mri")]
MRI_NOREGION = [("MRI", "mri"), ("repeat MRI", "mri"), ("upright MRI", "mri")]
IMAGING = [("x-rays of the {noun}", "rays"), ("X-ray {noun} 3 views", "ray"),
           ("CT scan of the {noun}", "ct"), ("ultrasound of the {noun}", "ultrasound"),
           ("CT myelogram of the {noun}", "myelogram"), ("{adj} x-rays", "rays"),
           ("flexion-extension x-rays of the {noun}", "flexion")]
IMAGING_NOREGION = [("bone scan", "bone"), ("three-phase bone scan", "bone"),
                    ("DEXA scan", "dexa"), ("CT scan", "ct")]

# Words that do not make a summary sentence "mention" an item: function words and words so
# common in letters that no careful reader would take them as naming the disputed item.
STOP = set("""the a an of for to and or with in on at by from as is was were be been has had
have this that these those his her he she him its their it into per x q under over one two
three four five six seven eight nine ten times week weeks day days month months year years
request requested requests pain patient patients treatment treatments prospective retrospective
right left bilateral purchase rental prescription unit units therapy session sessions visit
visits additional repeat trial supplies dos mg use used between""".split())
WORD_RE = re.compile(r"[a-z0-9]+")


def words_of(text):
    """Lower-case alphanumeric words of at least 2 characters, minus STOP."""
    return [w for w in WORD_RE.findall(text.lower()) if len(w) > 1 and w not in STOP
            and not w.isdigit()]


class Item:
    """One disputed item: its text, type, regions and decision, built together."""

    def __init__(self):
        self.text = ""           # as written in the item line
        self.head = ""           # the phrase other sentences use to refer to the item
        self.itype = "other"
        self.key = []            # distinctive words shared by mentioning sentences
        self.r_text = []         # regions named in the item text
        self.r_rat = []          # regions named in non-guideline rationale sentences
        self.r_sum = []          # regions of summary sentences that mention the item
        self.decision = "upheld"
        self.topic_region = None # the region the case is about (for guideline chapters)
        self.gsrc = []
        self.casrc = []
        self.year = 2015         # year of the decision (citations are not newer)
        self.medclass = None     # class of an other medication ("ppi", "aed", ...)


def fill(rng, tmpl, reg):
    """Fills {side}, {lv}, {noun} and {adj} of an item template with region `reg`."""
    side = SIDES.pick(rng)
    out = tmpl
    if "{lv}" in out:
        out = out.replace("{lv}", levels(rng, reg))
    if "{noun}" in out:
        out = out.replace("{noun}", region_noun(rng, reg, side))
    if "{adj}" in out:
        out = out.replace("{adj}", region_adj(rng, reg))
    return out.replace("{side}", side)


def pick_region(rng, allowed=None):
    """A region drawn with REGION_WEIGHT, restricted to `allowed` when given."""
    for _ in range(20):
        r = REGION_WEIGHT.pick(rng)
        if allowed is None or r in allowed:
            return r
    return allowed[0]


def drug_text(rng, drug):
    """A medication request as letters write it: "Norco 10/325mg #90"."""
    name, doses = drug
    dose = rng.choice(doses)
    q = QTY.pick(rng)
    form = rng.randrange(6)
    if dose.startswith("#"):
        base = "%s %s" % (name, dose)
    elif form == 0:
        base = "%s %s %s" % (name, dose, q)
    elif form == 1:
        base = "%s %s, %s" % (name, dose, q)
    elif form == 2:
        base = "%s %s" % (name, dose)
    elif form == 3:
        base = "%s %s%s" % (name, dose, q.replace("#", " #"))
    elif form == 4:
        base = "1 prescription of %s %s %s" % (name, dose, q)
    else:
        base = "%s %s qty %s" % (name, dose, q[1:])
    sig = SIG.pick(rng)
    if sig and rng.random() < 0.3:
        base += " " + sig
    return base.strip()


PREFIX_DEVICE = Zipf(["", "", "Purchase of ", "Rental of ", "Retrospective request for ",
                      "DME: ", "Prospective request for 1 ", "Retrospective ", "1 "], 0.6)
PREFIX_SERVICE = Zipf(["", "", "", "Retrospective request for ", "Prospective request for ",
                       "Request for ", "Retrospective "], 0.7)
PREFIX_DRUG = Zipf(["", "", "", "Retrospective request for ", "Prospective request for ",
                    "Retrospective "], 0.7)


def make_item(rng, itype, case_region, dos):
    """Builds one item of type itype. case_region: the case's main region (may be used)."""
    it = Item()
    it.itype = itype
    reg = None
    head = key = None
    if itype in DRUGS:
        head = drug_text(rng, DRUGS[itype].pick(rng))
        key = head.split()[0] if not head.startswith("1 prescription") else head.split()[3]
        if rng.random() < 0.05 and itype != "medication-other":
            reg = case_region if rng.random() < 0.7 else pick_region(rng)
            head += " for the " + region_noun(rng, reg)
        text = PREFIX_DRUG.pick(rng) + head
        if itype == "medication-other":
            it.medclass = MED_CLASS.get(key.lower())
        if rng.random() < 0.06:
            text += " (DOS: %s)" % fmt_date(rng, dos, 2)
    elif itype == "topical":
        head = Zipf(TOPICALS, 0.8).pick(rng)
        key = head.replace(":", " ").split()[0]
        if key.lower() in ("compounded", "topical", "compound"):
            key = "compounded" if "compounded" in head.lower() else "topical"
        if rng.random() < 0.08:
            reg = case_region
            head += " for the " + region_noun(rng, reg)
        text = PREFIX_DRUG.pick(rng) + head
    elif itype == "surgery":
        tmpl, key, reg = Zipf(SURGERY, 0.5).pick(rng)
        if case_region in [s[2] for s in SURGERY] and rng.random() < 0.6:
            cands = [s for s in SURGERY if s[2] == case_region]
            tmpl, key, reg = rng.choice(cands)
        head = fill(rng, tmpl, reg)
        text = Zipf(["", "", "Outpatient ", "Retrospective request for ",
                     "Prospective request for "]).pick(rng) + head
        if rng.random() < 0.15:
            text += Zipf([" with 1 day inpatient stay", " as an outpatient",
                          " with assistant surgeon", " and pre-operative clearance"]).pick(rng)
    elif itype in ("epidural-injection", "facet-mbb", "trigger-point-injection",
                   "injection-other", "mri", "imaging-other"):
        table = {"epidural-injection": (ESI, ESI_NOREGION, 0.9),
                 "facet-mbb": (FACET, FACET_NOREGION, 0.9),
                 "trigger-point-injection": (TPI, TPI_NOREGION, 0.45),
                 "injection-other": (INJ, INJ_NOREGION, 0.85),
                 "mri": (MRI, MRI_NOREGION, 0.9),
                 "imaging-other": (IMAGING, IMAGING_NOREGION, 0.8)}[itype]
        with_reg, without, p = table
        if rng.random() < p:
            entry = Zipf(with_reg, 0.7).pick(rng)
            tmpl, key = entry[0], entry[1]
            fixed = entry[2] if len(entry) > 2 else None
            if fixed:
                reg = fixed
            elif itype in ("epidural-injection", "facet-mbb"):
                reg = case_region if case_region in SPINAL else pick_region(rng, ["lumbar", "cervical"])
                if rng.random() < 0.05:
                    reg = "thoracic"
            elif "{lv}" in tmpl or "paraspinal" in tmpl or "flexion" in tmpl:
                reg = case_region if case_region in SPINAL else "lumbar"
            else:
                reg = case_region if rng.random() < 0.65 else pick_region(rng)
            if not fixed and reg == "head" and ("{noun}" not in tmpl and "{adj}" not in tmpl
                                                or "{lv}" in tmpl):
                reg = "cervical"
            head = fill(rng, tmpl, reg)
            # Two regions in one imaging request: "MRI of the cervical and lumbar spine".
            if itype == "mri" and reg in ("cervical", "lumbar") and rng.random() < 0.07:
                head = "MRI of the cervical and lumbar spine"
                reg = ["cervical", "lumbar"]
        else:
            head, key = Zipf(without, 0.8).pick(rng)
        text = PREFIX_SERVICE.pick(rng) + head
    else:
        head, key = HEADS[itype].pick(rng)
        reg = DME_REGION.get(head)
        p_reg = {"cold-heat-device": 0.45, "tens-estim": 0.25, "traction": 0.1,
                 "dme-other": 0.15, "physical-therapy": 0.55, "chiropractic": 0.5,
                 "acupuncture": 0.45, "consultation": 0.2, "other": 0.1}.get(itype, 0.0)
        if reg is None and rng.random() < p_reg:
            reg = case_region if rng.random() < 0.75 else pick_region(rng)
            if itype == "traction" and reg not in SPINAL:
                reg = "cervical"
            joiner = Zipf([" for the ", " to the ", " of the "]).pick(rng)
            if itype == "consultation":
                joiner = " for the "
            if rng.random() < 0.06 and reg != "head":
                other = pick_region(rng)
                if other != reg and other != "head":
                    head += joiner + region_noun(rng, reg) + " and " + region_noun(rng, other)
                    reg = [reg, other]
                else:
                    head += joiner + region_noun(rng, reg)
            else:
                head += joiner + region_noun(rng, reg)
        pre = PREFIX_DEVICE if itype in ("cold-heat-device", "tens-estim", "traction",
                                         "dme-other") else PREFIX_SERVICE
        text = pre.pick(rng) + head
        if itype in ("cold-heat-device", "tens-estim") and rng.random() < 0.2:
            text += Zipf([" for 30 days", " for 60 days", " x 2 weeks", " rental for 7 days",
                          " with supplies", " for home use"]).pick(rng)
    if itype not in DRUGS and itype != "topical" and rng.random() < 0.12:
        text += Zipf([" as requested by the treating physician", " for the management of chronic pain",
                      " under fluoroscopic guidance with IV sedation" if "inject" in itype or
                      itype in ("facet-mbb", "epidural-injection") else " as an outpatient",
                      " per RFA dated %s" % fmt_date(rng, dos, 0),
                      " as part of the post-operative care plan"], 0.5).pick(rng)
    if "(DOS" not in text and rng.random() < (0.35 if 2014 <= dos[0] <= 2016 else 0.06):
        # Requests dated by a service window, common in 2014-2016 letters.
        a = date_to_day(*dos) - rng.randint(20, 90)
        text += " between %s and %s" % (fmt_date(rng, day_to_date(a), 0),
                                         fmt_date(rng, day_to_date(a + rng.randint(30, 120)), 0))
    it.head = head
    it.text = text[0].upper() + text[1:] if text[0].islower() else text
    if reg is None:
        it.r_text = []
    elif isinstance(reg, list):
        it.r_text = sorted(set(reg))
    else:
        it.r_text = [reg]
    tw = words_of(it.text)
    it.key = [w for w in words_of(key) if w in tw] or words_of(head)
    it.topic_region = it.r_text[0] if it.r_text else case_region
    return it


# Topic phrases per type, used in guideline and patient sentences.
TOPIC = {"cold-heat-device": ["continuous-flow cryotherapy", "hot/cold therapy units",
                              "cold therapy devices", "cryotherapy"],
         "tens-estim": ["TENS", "transcutaneous electrical nerve stimulation",
                        "electrical stimulation units", "H-wave stimulation"],
         "traction": ["traction", "home traction devices"],
         "dme-other": ["durable medical equipment", "DME"],
         "opioid": ["opioids", "long-term opioid use", "ongoing opioid therapy"],
         "nsaid": ["NSAIDs", "non-steroidal anti-inflammatory drugs",
                   "nonsteroidal anti-inflammatory medications"],
         "muscle-relaxant": ["muscle relaxants", "non-sedating muscle relaxants",
                             "antispasmodics"],
         "topical": ["topical analgesics", "compounded topical agents",
                     "topical lidocaine"],
         "medication-other": ["this medication", "the requested medication"],
         "epidural-injection": ["epidural steroid injections", "ESIs"],
         "facet-mbb": ["facet joint diagnostic blocks", "medial branch blocks",
                       "radiofrequency neurotomy", "facet joint injections"],
         "trigger-point-injection": ["trigger point injections"],
         "injection-other": ["injections of this type", "platelet-rich plasma",
                             "corticosteroid injections", "viscosupplementation"],
         "physical-therapy": ["physical medicine", "physical therapy", "aquatic therapy"],
         "chiropractic": ["manual therapy and manipulation", "chiropractic care"],
         "acupuncture": ["acupuncture"],
         "surgery": ["surgical intervention", "operative treatment", "surgery"],
         "mri": ["MRI", "magnetic resonance imaging", "imaging studies"],
         "imaging-other": ["radiographs", "imaging studies", "CT scanning", "bone scans"],
         "emg-ncv": ["electrodiagnostic studies", "EMG/NCV testing", "nerve conduction studies"],
         "lab-drug-screen": ["urine drug testing", "drug screening", "laboratory testing"],
         "psych": ["psychological treatment", "cognitive behavioral therapy",
                   "behavioral interventions", "psychological evaluations"],
         "home-health": ["home health services"],
         "functional-restoration": ["functional restoration programs", "work hardening",
                                    "chronic pain programs"],
         "consultation": ["specialty referral", "consultations", "office visits"],
         "other": ["this modality", "the requested service"]}

# MTUS Chronic Pain Medical Treatment Guidelines topics and pages, per type.
CPMTG = {"opioid": [("Opioids, criteria for use", "76-78"), ("Opioids, specific drug list", "91"),
                    ("Opioids for chronic pain", "80-81"), ("On-Going Management", "78")],
         "nsaid": [("NSAIDs (non-steroidal anti-inflammatory drugs)", "67-68"),
                   ("NSAIDs, specific drug list & adverse effects", "70-73")],
         "muscle-relaxant": [("Muscle relaxants (for pain)", "63-66"), ("Cyclobenzaprine", "41-42"),
                             ("Carisoprodol (Soma)", "29")],
         "topical": [("Topical Analgesics", "111-113"), ("Lidoderm (lidocaine patch)", "56-57")],
         "medication-other": [("Anti-epilepsy drugs (AEDs)", "16-18"),
                              ("NSAIDs, GI symptoms & cardiovascular risk", "68-69"),
                              ("Antidepressants for chronic pain", "13-16"),
                              ("Medical food", "")],
         "tens-estim": [("TENS, chronic pain (transcutaneous electrical nerve stimulation)",
                         "114-116"), ("H-wave stimulation (HWT)", "117-118"),
                        ("Interferential Current Stimulation (ICS)", "118-120"),
                        ("Neuromuscular electrical stimulation (NMES devices)", "121")],
         "epidural-injection": [("Epidural steroid injections (ESIs)", "46")],
         "trigger-point-injection": [("Trigger point injections", "122")],
         "physical-therapy": [("Physical Medicine", "98-99"), ("Aquatic therapy", "22")],
         "chiropractic": [("Manual therapy & manipulation", "58-59")],
         "lab-drug-screen": [("Drug testing", "43"), ("Opioids, steps to avoid misuse/addiction",
                                                       "94")],
         "psych": [("Behavioral interventions", "23"), ("Psychological evaluations", "100-101"),
                   ("Biofeedback", "24-25")],
         "home-health": [("Home health services", "51")],
         "functional-restoration": [("Functional restoration programs (FRPs)", "30-32"),
                                    ("Chronic pain programs (functional restoration programs)",
                                     "30-34")],
         "facet-mbb": [("Introduction", "1")], "injection-other": [("Injections", "")]}
ACOEM_CH = {"cervical": (8, "Neck and Upper Back Complaints", ["174", "177-178", "181-183"]),
            "thoracic": (8, "Neck and Upper Back Complaints", ["174", "181"]),
            "lumbar": (12, "Low Back Complaints", ["299", "300", "303-305", "308-310"]),
            "shoulder": (9, "Shoulder Complaints", ["204", "207-209", "211"]),
            "elbow": (10, "Elbow Disorders", ["27", "33-34"]),
            "wrist-hand": (11, "Forearm, Wrist, and Hand Complaints", ["264", "265", "270"]),
            "knee": (13, "Knee Complaints", ["337-339", "343-345"]),
            "ankle-foot": (14, "Ankle and Foot Complaints", ["371", "374"]),
            "hip": (12, "Low Back Complaints", ["300"]),
            "head": (7, "Independent Medical Examinations and Consultations", ["127"])}
ODG_CH = {"cervical": "Neck and Upper Back (Acute & Chronic)",
          "thoracic": "Low Back - Lumbar & Thoracic (Acute & Chronic)",
          "lumbar": "Low Back - Lumbar & Thoracic (Acute & Chronic)",
          "shoulder": "Shoulder (Acute & Chronic)", "elbow": "Elbow (Acute & Chronic)",
          "wrist-hand": "Forearm, Wrist, & Hand (Acute & Chronic)",
          "hip": "Hip & Pelvis (Acute & Chronic)", "knee": "Knee & Leg (Acute & Chronic)",
          "ankle-foot": "Ankle & Foot (Acute & Chronic)",
          "head": "Head (trauma, headaches, etc., not including stress & mental disorders)"}
ODG_TOPIC = {"cold-heat-device": ["Continuous-flow cryotherapy", "Cold/heat packs",
                                  "Heat/cold applications", "Game Ready accelerated recovery system",
                                  "Vasopneumatic devices"],
             "tens-estim": ["TENS (transcutaneous electrical nerve stimulation)", "H-wave stimulation",
                            "Interferential current stimulation (ICS)"],
             "traction": ["Traction", "Traction (mechanical)"],
             "dme-other": ["Durable medical equipment (DME)", "Back brace, post operative (fusion)",
                           "Mattress selection", "Walking aids (canes, crutches, braces, orthoses, & walkers)"],
             "opioid": ["Opioids", "Opioids, dosing", "Opioids for chronic pain"],
             "nsaid": ["NSAIDs", "NSAIDs, GI symptoms & cardiovascular risk"],
             "muscle-relaxant": ["Muscle relaxants (for pain)", "Cyclobenzaprine (Flexeril)"],
             "topical": ["Topical analgesics", "Compound drugs", "Lidoderm (lidocaine patch)"],
             "medication-other": ["Insomnia treatment", "Proton pump inhibitors (PPIs)",
                                  "Anti-epilepsy drugs (AEDs) for pain", "Medical food",
                                  "Benzodiazepines", "Antidepressants for chronic pain"],
             "epidural-injection": ["Epidural steroid injections (ESIs)"],
             "facet-mbb": ["Facet joint diagnostic blocks", "Facet joint radiofrequency neurotomy",
                           "Facet joint pain, signs & symptoms", "Facet joint medial branch blocks (therapeutic injections)"],
             "trigger-point-injection": ["Trigger point injections"],
             "injection-other": ["Platelet-rich plasma (PRP)", "Hyaluronic acid injections",
                                 "Steroid injections", "Corticosteroid injections"],
             "physical-therapy": ["Physical therapy", "Aquatic therapy", "Physical therapy (PT)"],
             "chiropractic": ["Manipulation"], "acupuncture": ["Acupuncture"],
             "surgery": ["Surgery for rotator cuff repair", "Fusion (spinal)",
                         "Discectomy/laminectomy", "Meniscectomy", "Carpal tunnel release surgery (CTR)",
                         "Knee joint replacement", "Hip arthroplasty", "Indications for Surgery"],
             "mri": ["Magnetic resonance imaging (MRI)", "MRIs (magnetic resonance imaging)"],
             "imaging-other": ["Radiography", "Computed tomography (CT)", "Bone scan",
                               "Flexion/extension imaging studies", "Ultrasound, diagnostic"],
             "emg-ncv": ["Electromyography (EMG)", "Nerve conduction studies (NCS)",
                         "EMGs (electromyography)"],
             "lab-drug-screen": ["Urine drug testing (UDT)", "Lab testing",
                                 "Pharmacogenetic testing/ pharmacogenomics (opioids & chronic non-malignant pain)"],
             "psych": ["Cognitive therapy for depression", "Psychological evaluations",
                       "Psychotherapy guidelines", "Office visits"],
             "home-health": ["Home health services"],
             "functional-restoration": ["Functional restoration programs (FRPs)", "Work conditioning, work hardening"],
             "consultation": ["Office visits", "Evaluation & management (E&M)"],
             "other": ["Gym memberships", "Extracorporeal shock wave therapy (ESWT)",
                       "Polysomnography", "Transportation (to & from appointments)"]}
AETNA_TOPIC = {"cold-heat-device": ["Hot or Ice Machine", "Cryoanalgesia and Therapeutic Cold",
                                    "Pneumatic Compression Devices"],
               "tens-estim": ["Electrical Stimulation for Pain", "Transcutaneous Electrical Nerve Stimulation"],
               "traction": ["Cervical Traction Devices", "Spinal Unloading Devices"],
               "dme-other": ["Durable Medical Equipment", "Hospital Beds and Accessories"],
               "lab-drug-screen": ["Drug Testing", "Pharmacogenetic and Pharmacodynamic Testing"],
               "injection-other": ["Viscosupplementation", "Platelet Rich Plasma"],
               "other": ["Health Club Memberships", "Extracorporeal Shock-Wave Therapy"]}
OTHER_EVIDENCE = lines("""
Harrison's Principles of Internal Medicine, 18th Edition
Journal of Bone and Joint Surgery, American Volume, 2012
UpToDate, Chronic pain management
Cigna Medical Coverage Policy, Cold Therapy Devices
Anthem Medical Policy DME.00011
Blue Cross Blue Shield Medical Policy, Electrical Stimulation
The Spine Journal, 2010; 10(6): 514-529
National Guideline Clearinghouse
American Society of Interventional Pain Physicians (ASIPP) guidelines
FDA prescribing information
Clinical Pharmacology database
Physicians' Desk Reference, 68th Edition
Cochrane Database of Systematic Reviews, 2014
Colorado Division of Workers' Compensation Medical Treatment Guidelines
Washington State Department of Labor and Industries guideline
Medicare National Coverage Determination 280.1
Up to date: Treatment of acute low back pain
New England Journal of Medicine, 2013; 368: 2465-2473
Pain Physician, 2012; 15: E199-E245
Archives of Physical Medicine and Rehabilitation, 2011
Clinical Orthopaedics and Related Research, 2009
Official guidelines of the American Academy of Orthopaedic Surgeons (AAOS)
Medscape, Drugs and Diseases
Epocrates online
""")

# ----------------------------------------------------------------------------------------------
# Guideline paragraphs: text and the set of sources it cites, from the same choice.
# ----------------------------------------------------------------------------------------------



def mtus_part(rng, it):
    """'Decision based on MTUS ...' -> (text, sources)."""
    reg = it.topic_region or "lumbar"
    ch = ACOEM_CH.get(reg, ACOEM_CH["lumbar"])
    if it.medclass and it.medclass not in MED_CPMTG:
        pass
    elif it.itype in CPMTG and rng.random() < 0.7:
        topic, pages = (MED_CPMTG[it.medclass] if it.medclass else rng.choice(CPMTG[it.itype]))
        pg = " Page(s): %s" % pages if pages else ""
        form = rng.randrange(4)
        if form == 0:
            return "Decision based on MTUS Chronic Pain Medical Treatment Guidelines %s%s." % (
                topic, pg), {"mtus"}
        if form == 1:
            return "Decision based on MTUS Chronic Pain %s%s." % (topic, pg), {"mtus"}
        if form == 2:
            return ("Decision based on MTUS Medical Treatment Utilization Schedule (MTUS) 2009, "
                    "Chronic Pain Medical Treatment Guidelines, %s%s." % (topic, pg)), {"mtus"}
        return "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, %s." % topic, {"mtus"}
    if it.itype == "physical-therapy" and rng.random() < 0.3:
        return ("Decision based on MTUS Postsurgical Treatment Guidelines, %s." % Zipf(
            ["Shoulder", "Knee", "Low Back", "Neck & Upper Back", "Carpal tunnel syndrome"]).pick(rng)
        ), {"mtus"}
    n, title, pages = ch
    form = rng.randrange(3)
    if form == 0:
        return "Decision based on MTUS ACOEM Chapter %d %s Page(s): %s." % (
            n, title, rng.choice(pages)), {"mtus", "acoem"}
    if form == 1:
        return ("Decision based on MTUS American College of Occupational and Environmental "
                "Medicine (ACOEM), 2nd Edition, (2004), Chapter %d, %s, page %s." % (
                    n, title, rng.choice(pages))), {"mtus", "acoem"}
    return "Decision based on MTUS ACOEM Chapter %d %s." % (n, title), {"mtus", "acoem"}


def nonmtus_part(rng, it, kind):
    """A "Decision based on Non-MTUS Citation ..." sentence of kind odg, aetna, acoem3 or other
    -> (text, sources)."""
    reg = it.topic_region or "lumbar"
    if kind == "odg":
        topic = (MED_ODG[it.medclass] if it.medclass else
                 rng.choice(ODG_TOPIC.get(it.itype, ODG_TOPIC["other"])))
        form = Zipf([0, 1, 2, 3, 4], 0.8).pick(rng)
        if form == 0:
            return "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), %s, %s." % (
                ODG_CH[reg].split(" (")[0], topic), {"odg"}
        if form == 1:
            # The edition is not newer than the decision.
            year = rng.randint(min(2013, it.year) if it.year < 2016 else 2015, min(2019, it.year))
            chapter = ODG_CH[reg].split(" -")[0].split(" (")[0].lower()
            return "Decision based on Non-MTUS Citation ODG-TWC %d: %s: %s." % (
                year, chapter, topic), {"odg"}
        if form == 2:
            return "Decision based on Non-MTUS Citation Official Disability Guidelines, %s, %s." % (
                ODG_CH[reg], topic), {"odg"}
        if form == 3:
            return "Decision based on Non-MTUS Citation OFFICIAL DISABILITY GUIDELINES.", {"odg"}
        return ("Decision based on Non-MTUS Citation Work Loss Data Institute, ODG Treatment in "
                "Workers' Comp, %s." % ODG_CH[reg]), {"odg"}
    if kind == "aetna":
        topic = rng.choice(AETNA_TOPIC.get(it.itype, ["Durable Medical Equipment",
                                                     "Pain Management"]))
        return ("Decision based on Non-MTUS Citation Other Medical Treatment Guideline or "
                "Medical Evidence: AETNA Clinical Policy Bulletin, %s." % topic), {"aetna"}
    if kind == "acoem3":
        n, title, _ = ACOEM_CH.get(reg, ACOEM_CH["lumbar"])
        return ("Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice "
                "Guidelines, 3rd ed, %s, pg %d." % (title.replace("Complaints", "Disorders"),
                                                    rng.randint(120, 900))), {"acoem"}
    ev = Zipf(OTHER_EVIDENCE, 0.6).pick(rng)
    return ("Decision based on Non-MTUS Citation Other Medical Treatment Guideline or Medical "
            "Evidence: %s." % ev), {"other"}


def guideline_paragraph(rng, it, who):
    """The 'MAXIMUS guideline:' (who='maximus') or 'Claims Administrator guideline:' text."""
    subject = "The Expert Reviewer" if who == "maximus" else "The Claims Administrator"
    if who == "maximus" and rng.random() < 0.3:
        subject = rng.choice(["The Physician Reviewer", "The Expert Reviewer"])
    p_none = 0.012 if who == "maximus" else 0.22
    if rng.random() < p_none:
        return "%s did not cite any medical evidence for its decision." % subject, {"none"}
    plan = Weighted([(30, ["mtus"]), (26, ["not", "odg"]), (12, ["mtus", "odg"]),
                     (4, ["not", "aetna"]), (5, ["not", "other"]), (3, ["mtus", "other"]),
                     (5, ["mtus", "acoem3"]), (2, ["not", "acoem3"]),
                     (1.5, ["mtus", "aetna"])]).pick(rng)
    parts = []
    src = set()
    for p in plan:
        if p == "not":
            parts.append("%s did not base their decision on the MTUS." % subject)
        elif p == "mtus":
            t, s = mtus_part(rng, it)
            parts.append(t)
            src |= s
        else:
            t, s = nonmtus_part(rng, it, p)
            parts.append(t)
            src |= s
    if who == "maximus" and "odg" in src and rng.random() < 0.2:
        parts.append(Zipf(["", "Recommended as an option after surgery, but not for nonsurgical "
                           "treatment.", "Not recommended for chronic pain."]).pick(rng))
    return " ".join(p for p in parts if p), src


def layout3_guideline(rng, it):
    """The guideline section of layout 3 (the reviewer's basis)."""
    plan = Weighted([(40, "mtus"), (30, "odg"), (15, "both"), (5, "aetna"), (5, "other")]).pick(rng)
    out = []
    src = set()
    if plan in ("mtus", "both"):
        t, s = mtus_part(rng, it)
        t = t.replace("Decision based on MTUS ", "")
        out.append("The Expert Reviewer based their decision on the %s, which is part of the "
                   "California Medical Treatment Utilization Schedule (MTUS)." % t.rstrip("."))
        src |= s | {"mtus"}
    if plan in ("odg", "both", "aetna", "other"):
        kind = {"both": "odg", "odg": "odg"}.get(plan, plan)
        if plan != "both":
            out.append("The Expert Reviewer did not base their decision on the MTUS.")
        t, s = nonmtus_part(rng, it, kind)
        t = t.replace("Decision based on Non-MTUS Citation ", "")
        out.append("The Expert Reviewer relied on the %s." % t.rstrip("."))
        src |= s
    return " ".join(out), src

# ----------------------------------------------------------------------------------------------
# Rationale sentences. Guideline sentences always name a guideline (so the facet rules skip
# them) and may carry distracting regions; patient sentences never name a guideline.
# ----------------------------------------------------------------------------------------------

GUIDE_GENERIC = lines("""
CA MTUS does not specifically address {topic}.
California MTUS is silent on {topic}.
The MTUS does not address {topic} for this condition.
The MTUS Chronic Pain Medical Treatment Guidelines state that {topic} should be supported by documentation of objective functional improvement.
ODG states that {topic} may be considered when conservative care has failed.
According to the Official Disability Guidelines, {topic} are not recommended as a first-line treatment.
The ODG criteria for {topic} include documentation of a specific functional goal.
ACOEM guidelines indicate that {topic} should be part of an evidence-based program.
Guidelines support {topic} only when there is documented functional benefit.
As per the MTUS guidelines, ongoing use requires documentation of pain relief and improved function.
The guidelines recommend a time-limited trial with reassessment.
The cited guideline does not support {topic} in the chronic phase of injury.
Per ODG, there is insufficient evidence to support {topic} in this setting.
ACOEM Chapter 6 notes that passive modalities are of limited value in chronic pain.
Page 9 of the MTUS Chronic Pain Medical Treatment Guidelines describes the expected outcomes of treatment.
The MTUS recommends that treatment be continued only with evidence of functional improvement.
ODG guidelines support {topic} when specific criteria are met.
Aetna considers {topic} experimental and investigational for this indication.
""")
GUIDE_REGION = lines("""
ODG supports the use of {topic} after {r1} surgery but not for nonsurgical use.
ODG guidelines support {topic} for up to 7 days after {r1} or {r2} surgery.
The MTUS guidelines address {topic} mainly in the context of {r1} complaints.
ACOEM recommends {topic} for {r1} complaints only in the acute phase.
Per the Official Disability Guidelines, {topic} is recommended as an option for post-operative {r1} rehabilitation.
The guidelines state that {topic} is not recommended for the {r1} or {r2}.
The ODG chapter on the {r1} states that {topic} may be considered in select cases.
""")
GUIDE_TYPE = {
    "cold-heat-device": lines("""
ODG recommends continuous-flow cryotherapy as an option after surgery for up to 7 days, including home use.
The MTUS ACOEM guidelines recommend at-home local applications of heat and cold as methods of symptom control.
ODG does not recommend cryotherapy for nonsurgical treatment.
As stated on the AETNA Clinical Policy Bulletin, the Hot/Ice Machine and similar devices are experimental and investigational for reducing pain and swelling after surgery or injury.
ACOEM does not support high-tech devices for delivering heat therapy and/or cryotherapy.
"""),
    "tens-estim": lines("""
The MTUS states that a one-month home-based TENS trial may be considered as a noninvasive conservative option if used as an adjunct to a program of evidence-based functional restoration.
Per MTUS guidelines, H-wave stimulation is not recommended as an isolated intervention.
The MTUS does not recommend interferential current stimulation as an isolated intervention.
MTUS guidelines state that NMES is used primarily as part of a rehabilitation program following stroke and there is no evidence to support its use in chronic pain.
"""),
    "traction": lines("""
The MTUS ACOEM guidelines state that traction is not recommended.
ODG recommends home cervical patient controlled traction for patients with radicular symptoms, in conjunction with a home exercise program.
"""),
    "dme-other": lines("""
ODG defines durable medical equipment as equipment that can withstand repeated use and is primarily used to serve a medical purpose.
ACOEM guidelines state that lumbar supports have not been shown to have any lasting benefit beyond the acute phase of symptom relief.
ODG does not recommend specific mattresses for the treatment of pain.
"""),
    "opioid": lines("""
The MTUS Chronic Pain Medical Treatment Guidelines recommend ongoing review and documentation of pain relief, functional status, appropriate medication use, and side effects.
MTUS guidelines state that opioids should be discontinued if there is no overall improvement in function.
According to the MTUS, a satisfactory response to treatment may be indicated by decreased pain, increased level of function, or improved quality of life.
The MTUS recommends the lowest possible dose be prescribed to improve pain and function, and the 4 A's of opioid monitoring.
The MTUS guidelines do not recommend a morphine equivalent dose above 120 mg per day.
"""),
    "nsaid": lines("""
The MTUS recommends NSAIDs at the lowest dose for the shortest period in patients with moderate to severe pain.
MTUS guidelines state that there is no evidence of long-term effectiveness of NSAIDs for pain or function.
The MTUS notes that NSAIDs are recommended as a second-line treatment after acetaminophen.
"""),
    "muscle-relaxant": lines("""
The MTUS recommends non-sedating muscle relaxants with caution as a second-line option for short-term treatment of acute exacerbations.
MTUS guidelines state that cyclobenzaprine is not recommended to be used for longer than 2-3 weeks.
The MTUS does not recommend carisoprodol for long-term use.
"""),
    "topical": lines("""
The MTUS states that topical analgesics are largely experimental in use with few randomized controlled trials.
Per the MTUS, any compounded product that contains at least one drug or drug class that is not recommended is not recommended.
The MTUS supports topical lidocaine only for localized peripheral pain after evidence of a trial of first-line therapy.
"""),
    "medication-other": lines("""
The MTUS states that anti-epilepsy drugs are recommended for neuropathic pain.
The MTUS recommends a proton pump inhibitor only for patients at intermediate risk for gastrointestinal events.
ODG recommends that treatment of insomnia be based on the etiology, and pharmacological agents be used only after careful evaluation.
ODG states that benzodiazepines are not recommended for long-term use because efficacy is unproven and there is a risk of dependence.
"""),
    "epidural-injection": lines("""
The MTUS criteria for epidural steroid injections require radiculopathy documented by physical examination and corroborated by imaging studies and/or electrodiagnostic testing.
MTUS guidelines state that repeat blocks should be based on continued objective documented pain relief and functional improvement, including at least 50% pain relief for six to eight weeks.
The MTUS recommends no more than two nerve root levels be injected using transforaminal blocks.
"""),
    "facet-mbb": lines("""
ODG criteria for facet joint diagnostic blocks include one set of diagnostic medial branch blocks with a response of at least 70%.
ODG states that facet joint radiofrequency neurotomy requires a diagnosis of facet joint pain using a medial branch block.
ODG recommends no more than two facet joint levels be injected in one session.
"""),
    "trigger-point-injection": lines("""
The MTUS recommends trigger point injections only for myofascial pain syndrome with documentation of circumscribed trigger points with evidence upon palpation of a twitch response as well as referred pain.
MTUS guidelines do not recommend repeat injections unless greater than 50% pain relief is obtained for six weeks.
"""),
    "injection-other": lines("""
ODG states that platelet-rich plasma injections are under study.
ODG recommends hyaluronic acid injections as an option for severe osteoarthritis in patients who have not responded to conservative treatment.
The ACOEM guidelines support corticosteroid injections when conservative therapy has failed.
"""),
    "physical-therapy": lines("""
The MTUS recommends 9-10 visits over 8 weeks for myalgia and myositis, and 8-10 visits over 4 weeks for neuralgia, neuritis, and radiculitis.
The MTUS supports a fading of treatment frequency plus active self-directed home physical medicine.
The MTUS Chronic Pain Medical Treatment Guidelines recommend aquatic therapy as an optional form of exercise therapy where reduced weight bearing is desirable.
The Postsurgical Treatment Guidelines support an initial course of therapy of one half of the general course.
"""),
    "chiropractic": lines("""
The MTUS recommends manual therapy and manipulation for chronic pain caused by musculoskeletal conditions, with a trial of 6 visits over 2 weeks.
The MTUS states that elective/maintenance care is not medically necessary.
"""),
    "acupuncture": lines("""
The MTUS Acupuncture Medical Treatment Guidelines state that the time to produce functional improvement is 3 to 6 treatments.
The Acupuncture Medical Treatment Guidelines allow treatments to be extended if functional improvement is documented.
"""),
    "surgery": lines("""
ACOEM guidelines state that referral for surgical consultation is indicated for patients who have activity limitation for more than four months and failure to increase range of motion and strength after exercise programs.
ODG indications for surgery include conservative care, subjective clinical findings, objective clinical findings and imaging clinical findings.
The MTUS ACOEM guidelines support surgery when there is clear clinical and imaging evidence of a lesion that has been shown to benefit from surgical repair.
"""),
    "mri": lines("""
The MTUS ACOEM guidelines state that unequivocal objective findings that identify specific nerve compromise on the neurologic examination are sufficient evidence to warrant imaging.
ODG states that repeat MRI is not routinely recommended and should be reserved for a significant change in symptoms and/or findings suggestive of significant pathology.
ACOEM guidelines do not recommend imaging studies in the absence of red flags.
"""),
    "imaging-other": lines("""
The ACOEM guidelines state that radiographs are not recommended in the absence of red flags for serious pathology.
ODG recommends a bone scan only for specific indications such as suspected metastases or infection.
"""),
    "emg-ncv": lines("""
The ACOEM guidelines state that electromyography, including H-reflex tests, may be useful to identify subtle, focal neurologic dysfunction in patients with symptoms lasting more than three or four weeks.
ODG states that nerve conduction studies are not recommended when a patient is presumed to have symptoms on the basis of radiculopathy.
"""),
    "lab-drug-screen": lines("""
The MTUS recommends drug testing as an option, using a urine drug screen to assess for the use or the presence of illegal drugs.
ODG recommends urine drug testing on a yearly basis for patients at low risk of addiction.
ODG does not recommend genetic testing for potential opioid abuse.
"""),
    "psych": lines("""
The MTUS recommends psychological evaluations as a generally accepted, well-established diagnostic procedure.
The MTUS recommends an initial trial of 3-4 psychotherapy visits over 2 weeks, with up to 6-10 visits over 5-6 weeks with evidence of objective functional improvement.
ODG recommends cognitive behavioral therapy for depression.
"""),
    "home-health": lines("""
The MTUS recommends home health services only for otherwise recommended medical treatment for patients who are homebound, on a part-time or intermittent basis, generally up to no more than 35 hours per week.
Per MTUS guidelines, medical treatment does not include homemaker services like shopping, cleaning, and laundry.
"""),
    "functional-restoration": lines("""
The MTUS recommends functional restoration programs when an adequate and thorough evaluation has been made, including baseline functional testing.
The MTUS states that treatment in a functional restoration program is not suggested for longer than 2 weeks without evidence of demonstrated efficacy.
ODG criteria for work hardening include a defined return to work goal agreed to by the employer and employee.
"""),
    "consultation": lines("""
ACOEM guidelines state that the occupational health practitioner may refer to other specialists if a diagnosis is uncertain or extremely complex.
ODG recommends office visits as determined to be medically necessary, based on the patient's concerns, signs and symptoms, and clinical stability.
"""),
    "other": lines("""
ODG does not recommend gym memberships as a medical prescription unless a documented home exercise program with periodic assessment and revision has not been effective.
The guidelines do not address this service.
"""),
}

PATIENT_GENERIC = lines("""
The treating physician has not documented objective functional improvement with prior treatment.
There is no documentation of a specific functional goal for the requested treatment.
The medical records do not indicate why the requested treatment is needed at this time.
The records provided do not demonstrate a significant change in symptoms or findings.
Within the documentation available for review, there is no evidence of a failed trial of first-line treatment.
The treating provider did not furnish a compelling applicant-specific rationale.
The applicant remains off of work, on total temporary disability.
The documentation does not establish how this treatment would change the management of the case.
There is no indication that the applicant is actively participating in a home exercise program.
The attending provider did not outline the duration or frequency of use.
The requested quantity exceeds what would be considered reasonable.
There was no documentation of any side effects or aberrant behaviors.
The most recent progress report notes pain rated 7/10.
The applicant reported that pain decreased from 8/10 to 5/10 with treatment.
The treating physician documented improved ability to perform activities of daily living.
The applicant has returned to modified work.
There is documentation of a prior course of treatment without lasting benefit.
The records do not include a urine drug screen or a signed pain agreement.
The progress report dated {date} noted persistent symptoms despite conservative care.
In the absence of such documentation, the request cannot be supported.
The applicant has had an extensive course of treatment to date.
The provider failed to document the number of prior sessions completed.
The applicant's work status was not clearly reported.
There is no clear rationale for the requested duration.
The clinical information submitted for review does not support the request.
The patient has been using this treatment since at least {date}.
Detailed functional gains from the previous course were not reported.
""")
PATIENT_POSITIVE = lines("""
The treating physician documented objective functional improvement with prior treatment.
The applicant reported that pain decreased from 8/10 to 4/10 with the requested treatment.
The records document a clear functional goal for the requested treatment.
The applicant has returned to work and is participating in a home exercise program.
There is documentation of failed conservative care, including medications and therapy.
The provider documented the frequency and duration of use.
The request is for a reasonable, time-limited course of treatment.
The progress report dated {date} noted improved tolerance for standing and walking.
The applicant has not had prior treatment of this type.
Ongoing monitoring, including urine drug testing and a signed pain agreement, is documented.
The applicant reported improved ability to perform activities of daily living.
""")
PATIENT_REGION = lines("""
The patient continues to complain of {complaint}.
The progress report dated {date} documented {complaint}.
On examination there was {finding}.
The applicant has persistent {complaint} despite conservative care.
The most recent evaluation noted {finding}.
This patient has {complaint} and the treating physician documented {finding}.
The request was made for treatment of {complaint}.
The applicant underwent surgery of the {noun} on {date}.
The treating physician has documented that the patient has {complaint}.
The requested treatment is intended for the {noun}.
The patient's {complaint} has not responded to medications and home exercise.
""")

DECIDE_UPHELD = lines("""
Therefore, the request for {item} is not medically necessary.
As such, the request for {item} is not medically necessary.
The requested {item} is not medically necessary.
Therefore, {item} is not medically necessary.
Consequently, the request for {item} is not medically necessary and appropriate.
Based on the currently available information, the medical necessity of {item} has not been established.
The request for {item} is therefore not medically necessary.
Recommendation is for denial.
Therefore, the request was not medically necessary.
""")
DECIDE_OVERTURNED = lines("""
Therefore, the request for {item} is medically necessary.
As such, the request for {item} is medically necessary.
The requested {item} is medically necessary.
Therefore, {item} is medically necessary and appropriate.
The request for {item} is therefore medically necessary.
Authorization is recommended.
Therefore, the request was medically necessary.
""")
OPENERS = lines("""
Regarding the request for {item}, California MTUS does not address the issue.
Regarding the request for {item}, the ODG criteria were reviewed.
No, the request for {item} was not medically necessary, medically appropriate, or indicated here.
Yes, the request for {item} was medically necessary, medically appropriate, and indicated here.
The patient is being treated for chronic pain.
According to the progress report dated {date}, the treating physician requested {head}.
""")

# ----------------------------------------------------------------------------------------------
# Case summary material.
# ----------------------------------------------------------------------------------------------

OCCUPATIONS = Zipf(lines("""
warehouse worker
truck driver
machine operator
janitor
correctional officer
registered nurse
construction laborer
certified nursing assistant
cashier
police officer
firefighter
home health aide
customer service representative
forklift operator
electrician
school teacher
bus driver
farm worker
carpenter
delivery driver
housekeeper
office assistant
mechanic
security guard
cook
plumber
landscaper
sheriff's deputy
grocery clerk
packer
welder
painter
dental assistant
medical assistant
caregiver
data entry clerk
bartender
roofer
"""), 0.6)
MECH = Zipf(lines("""
lifting a heavy box
a slip and fall at work
repetitive work activities
cumulative trauma
a motor vehicle accident while driving a company vehicle
pulling a pallet jack
a fall from a ladder
being struck by a falling object
lifting a patient
an altercation with an inmate
pushing a heavy cart
tripping over a hose
repetitive typing and keyboarding
unloading a truck
a trip and fall over a pallet
continuous bending and stooping
moving furniture
a rear-end collision
carrying heavy equipment
restraining a combative patient
"""), 0.7)
TREATMENTS = Zipf(lines("""
medications
physical therapy
acupuncture
chiropractic treatment
a TENS unit
home exercise
epidural steroid injections
activity modification
psychotherapy
aquatic therapy
trigger point injections
massage
cognitive behavioral therapy
a functional restoration program
work restrictions
bracing
ice and heat
topical creams
facet injections
manipulative therapy
a home H-wave device
biofeedback
"""), 0.8)
NEUTRAL_SUMMARY = lines("""
{Pro} is currently not working.
{Pro} is working modified duty with restrictions.
{Pro} remains on temporary total disability.
The applicant's attorney subsequently appealed.
The claims administrator referenced a {date} progress note and associated RFA form in its determination.
{Pro} also reports depression, anxiety and sleep disturbance.
{Pro} rates {poss} pain at {n}/10 without medications and {m}/10 with medications.
Current medications include {meds}.
{Pro} reports that {drug} helps with {poss} pain and allows {obj} to perform household chores.
Treatment to date has included {tx}.
Prior treatment has consisted of {tx}.
{Pro} has completed {k} sessions of therapy with temporary relief.
There was no documentation of aberrant drug-taking behavior.
A urine drug screen dated {date} was consistent with prescribed medications.
A urine drug screen dated {date} was inconsistent with the prescribed medications.
{Pro} denies any new injury.
{Pro} reports difficulty sleeping due to pain.
The records reviewed include progress reports from {date} through {date2}.
Progress notes dated {date} were reviewed.
An agreed medical evaluation was performed on {date}.
A qualified medical evaluation dated {date} was reviewed.
{Pro} has a history of hypertension and diabetes.
{Pro} has a history of gastritis with NSAID use.
{Pro} reports constipation with {poss} current medications.
{Pro} was declared permanent and stationary on {date}.
The treating physician recommended continuation of the current medication regimen.
The provider noted that {pro} would remain on the same work restrictions.
{Pro} reports {k}% improvement with the current treatment.
{Pro} is status post {k} sessions of acupuncture.
{Pro} was seen by the treating physician on {date} for a follow-up visit.
Vital signs were within normal limits.
On physical examination, there was {nfinding}.
Examination revealed {nfinding} and {nfinding2}.
Electrodiagnostic studies dated {date} were reported as normal.
A functional capacity evaluation was performed on {date}.
The treatment plan included continuation of the home exercise program.
{Pro} has been prescribed {drug} since at least {date}.
A CURES report dated {date} was appropriate.
{Pro} smokes one pack of cigarettes per day.
{Pro} uses a cane for ambulation.
Records from {clinic} were reviewed.
The patient was evaluated at {clinic} on {date}.
{Pro} has been treated by {clinic} since {date}.
""")
REGION_SUMMARY = lines("""
On {date}, {pro} presented for follow-up complaining of {complaint}.
The progress report dated {date} noted {complaint} rated {n}/10.
{Pro} complains of {complaint}.
{Pro} also had {complaint}.
Physical examination revealed {finding} and {nfinding}.
On exam, there was {finding}.
Examination of the {noun} showed {finding}.
An MRI of the {noun} dated {date} showed {mri}.
X-rays of the {noun} dated {date} were unremarkable.
{Pro} underwent {surgery} on {date}.
Prior surgical treatment included {surgery}.
The diagnoses include {complaint} and {complaint2}.
{Pro} reports ongoing {complaint} that worsens with prolonged standing and walking.
The patient has had {complaint} since the injury.
{Pro} was diagnosed with {complaint}.
Treatment to date has included {tx} for the {noun}.
{Pro} received {tx} for the {noun} with some relief.
{Pro} reports increased {complaint} after a flare-up on {date}.
Subjective complaints include {complaint}.
Objective findings include {finding}.
""")
TREATMENTS_LOCAL = Zipf(["physical therapy", "medications", "acupuncture", "chiropractic treatment",
                         "massage", "ice and heat", "bracing", "home exercise",
                         "a cortisone injection", "activity modification"], 0.8)
MRI_FINDINGS = Zipf(lines("""
a 3 mm disc protrusion
multilevel degenerative changes
a full-thickness tear
mild degenerative changes
a 4-5 mm disc bulge with mild foraminal narrowing
moderate central canal stenosis
no acute findings
tendinosis without a tear
post-surgical changes
a small effusion
a degenerative tear
mild neural foraminal narrowing
"""), 0.7)
CLINICS = Zipf(lines("""
the primary treating physician
the pain management specialist
the orthopedic surgeon
the chiropractor
the acupuncturist
the psychologist
an occupational medicine clinic
the physical therapist
"""), 0.8)
SURNAMES = lines("""
Núñez Peña Muñoz Ibáñez Gómez Jiménez Ramírez Rodríguez Martínez Hernández Sánchez López
Fernández González Pérez Álvarez Domínguez Vásquez Chávez Suárez Gutiérrez Díaz Beltrán
Cortés Marín Mendoza Orozco Zúñiga Ortíz Ruíz Rubén Andrés
""")
SURNAMES = " ".join(SURNAMES).split()
ASCII_NAMES = ("Nguyen Patel Kim Chen Singh Garcia Lee Smith Johnson Williams Brown Jones "
               "Miller Davis Wilson Anderson Thomas Taylor Moore Jackson Martin Thompson White "
               "Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Torres Hill "
               "Green Adams Baker Nelson Carter Mitchell Roberts Campbell Parker Evans Edwards "
               "Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey Reed "
               "Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett Gray Hughes "
               "Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Bell "
               "Coleman Butler Henderson Barnes Fisher Vasquez Simmons Graham Marshall Owens "
               "Harrison Gibson Wallace Hamilton Ellis Tran Pham Huang Wong Yamamoto Tanaka "
               "Khan Ali Shah Cohen Schwartz Friedman Novak Kowalski Ivanov Petrov Rossi Romano "
               "Silva Santos Costa Oliveira Pereira Moreno Aguilar Castillo Vargas Ramos Reyes "
               "Cruz Flores Rivera Morales Herrera Medina Castro Guzman Soto Delgado Salazar").split()
SUFFIX_CLINIC = Zipf(["Medical Group", "Orthopedic Group", "Pain Management", "Medical Clinic",
                      "Spine Center", "Physical Therapy", "Chiropractic", "Occupational Health",
                      "Family Medicine", "Rehabilitation Center", "Health Services"], 0.8)

# Uncommon clinical words, drawn with Zipf weights: they make the vocabulary grow with the
# corpus as it does in the real archive.
RARE_TERMS = Zipf(" ".join(lines("""
allodynia hyperpathia dysesthesia paresthesias myelopathy spondylolisthesis retrolisthesis
spondylolysis osteophytosis uncovertebral hypertrophy ligamentum flavum annular fissure
desiccation Modic endplate Schmorl nodes syrinx pseudarthrosis arthrofibrosis chondromalacia
tendinopathy bursopathy enthesopathy tenosynovitis synovitis capsulitis fasciitis neuritis
neuropathy radiculitis plexopathy causalgia dystrophy CRPS fibromyalgia myositis myalgia
somatization catastrophizing kinesiophobia deconditioning sarcopenia obesity dyslipidemia
hypothyroidism GERD dyspepsia gastritis constipation nausea dizziness vertigo tinnitus
insomnia hypersomnia fatigue irritability anhedonia dysthymia hypervigilance nightmares
Oswestry DASH VAS NRS PHQ-9 GAD-7 BDI BAI Beck Epworth SOAPP COMM ORT MMPI
tramadol-induced hyperalgesia opioid-induced tolerance dependency dosage titration taper
weaning detoxification naloxone Narcan CURES PAR pharmacist pharmacy refill dispensed
compounding pharmacy pill count pill bottles diversion misuse abuse addiction
radiculopathy stenosis foraminal spinal canal cauda equina conus neuroforaminal
lateral recess thecal sac nerve root impingement effacement extrusion sequestration
herniation protrusion bulging osteoarthritis arthrosis degenerative joint disease
hardware removal instrumentation pedicle screws interbody cage allograft autograft
ganglion cyst lipoma bursitis tendinitis impingement labrum SLAP Bankart
Hill-Sachs acromion acromioplasty clavicle scapula glenoid humerus olecranon radius ulna
scaphoid lunate triquetrum metacarpal phalanx tibia fibula femur talus calcaneus
navicular cuboid cuneiform metatarsal hallux valgus sesamoid Achilles tendon
sciatica piriformis sacroiliitis coccydynia trochanteric gluteal hamstring quadriceps
gastrocnemius trapezius rhomboid levator scapulae sternocleidomastoid scalene
occipital frontal temporal mandibular bruxism dental cephalgia migraine cluster
hypertension tachycardia bradycardia arrhythmia anticoagulation warfarin Eliquis
metformin insulin glipizide lisinopril losartan amlodipine atorvastatin simvastatin
levothyroxine albuterol montelukast cetirizine loratadine famotidine sucralfate
""")).split(), 1.05)


def make_context(rng, dec_day):
    """The patient and the case dates of one letter."""
    sex = "female" if rng.random() < 0.45 else "male"
    ctx = {"sex": sex, "pro": "she" if sex == "female" else "he",
           "poss": "her" if sex == "female" else "his", "obj": "her" if sex == "female" else "him",
           "age": rng.randint(22, 72)}
    ctx["Pro"] = ctx["pro"].capitalize()
    inj_day = dec_day - rng.randint(200, 365 * 12)
    ur_day = dec_day - rng.randint(25, 120)
    ctx["inj"] = day_to_date(inj_day)
    ctx["age"] = max(ctx["age"], (dec_day - inj_day) // 365 + rng.randint(19, 30))
    ctx["ur"] = day_to_date(ur_day)
    ctx["inj_day"], ctx["ur_day"], ctx["dec_day"] = inj_day, ur_day, dec_day
    ctx["date_style"] = rng.randrange(4)
    ctx["clinic_name"] = None
    return ctx


def some_date(rng, ctx, lo=None, hi=None):
    """A date between lo and hi (days; default: the 18 months before the UR denial), as written."""
    lo = max(ctx["inj_day"] + 10, ctx["ur_day"] - 540) if lo is None else lo
    hi = ctx["ur_day"] - 1 if hi is None else hi
    lo = max(lo, ctx["inj_day"] + 1)
    if hi <= lo:
        hi = lo + 1
    style = ctx["date_style"] if rng.random() < 0.8 else None
    return fmt_date(rng, day_to_date(rng.randint(lo, hi)), style)


def med_list(rng, k):
    """k medications with doses, as a list in a sentence."""
    out = []
    for _ in range(k):
        name, doses = rng.choice(ALL_DRUGS) if rng.random() < 0.4 else Zipf(ALL_DRUGS, 0.9).pick(rng)
        d = rng.choice(doses)
        out.append(("%s %s" % (name, d)).strip() if rng.random() < 0.7 else name)
    if len(out) == 1:
        return out[0]
    return ", ".join(out[:-1]) + " and " + out[-1]


def tx_list(rng, k, pool=None):
    """k treatments, as a list in a sentence."""
    out = []
    for _ in range(k):
        t = (pool or TREATMENTS).pick(rng)
        if t not in out:
            out.append(t)
    if len(out) == 1:
        return out[0]
    return ", ".join(out[:-1]) + " and " + out[-1]


def surgery_phrase(rng, reg):
    """A past surgery of region `reg`, or None."""
    cands = [s for s in SURGERY if s[2] == reg]
    if not cands:
        return None
    tmpl = rng.choice(cands)[0]
    return fill(rng, tmpl, reg)


def fill_summary(rng, tmpl, ctx, regs):
    """Fills a summary template; returns (text, regions named) or None."""
    out = tmpl
    named = []

    def next_reg(slot):
        # Only a second complaint names the second region; every other slot is about the first.
        r = regs[1] if slot == "{complaint2}" and len(regs) > 1 else regs[0]
        if r not in named:
            named.append(r)
        return r

    for slot in ("{complaint2}", "{complaint}", "{finding}", "{noun}", "{surgery}"):
        while slot in out:
            if slot == "{surgery}":
                r = next_reg(slot)
                val = surgery_phrase(rng, r)
                if val is None:
                    return None
            elif slot.startswith("{complaint"):
                val = complaint(rng, next_reg(slot))
            elif slot == "{finding}":
                val = finding(rng, next_reg(slot))
            else:
                val = region_noun(rng, next_reg(slot))
            out = out.replace(slot, val, 1)
    rep = {"{pro}": ctx["pro"], "{Pro}": ctx["Pro"], "{poss}": ctx["poss"], "{obj}": ctx["obj"]}
    for k, v in rep.items():
        out = out.replace(k, v)
    while "{date}" in out:
        out = out.replace("{date}", some_date(rng, ctx), 1)
    if "{date2}" in out:
        out = out.replace("{date2}", some_date(rng, ctx, ctx["ur_day"] - 60, ctx["ur_day"] - 2))
    if "{n}" in out:
        n = rng.randint(5, 9)
        out = out.replace("{n}", str(n)).replace("{m}", str(rng.randint(2, n - 1)))
    if "{k}" in out:
        out = out.replace("{k}", str(rng.choice([4, 6, 8, 10, 12, 18, 20, 24, 30, 40, 50])))
    if "{meds}" in out:
        out = out.replace("{meds}", med_list(rng, rng.randint(1, 5)))
    if "{drug}" in out:
        out = out.replace("{drug}", Zipf(ALL_DRUGS, 0.9).pick(rng)[0])
    if "{tx} for the" in out:
        out = out.replace("{tx}", tx_list(rng, rng.randint(1, 3), TREATMENTS_LOCAL))
    if "{tx}" in out:
        out = out.replace("{tx}", tx_list(rng, rng.randint(1, 4)))
    if "{mri}" in out:
        out = out.replace("{mri}", MRI_FINDINGS.pick(rng))
    if "{nfinding2}" in out:
        out = out.replace("{nfinding2}", Zipf(NEUTRAL_FINDINGS, 0.6).pick(rng))
    if "{nfinding}" in out:
        out = out.replace("{nfinding}", Zipf(NEUTRAL_FINDINGS, 0.6).pick(rng))
    if "{clinic}" in out:
        if ctx["clinic_name"] is None:
            if ctx.get("latin1") or rng.random() < 0.15:
                nm = rng.choice(SURNAMES)
            else:
                nm = rng.choice(ASCII_NAMES)
            ctx["clinic_name"] = "%s %s" % (nm, SUFFIX_CLINIC.pick(rng))
        out = out.replace("{clinic}", ctx["clinic_name"])
    return out, named


def rare_sentence(rng, ctx):
    """A neutral sentence carrying uncommon clinical words (the vocabulary's long tail)."""
    a, b = RARE_TERMS.pick(rng), RARE_TERMS.pick(rng)
    if a == b:
        b = rng.choice(RARE_TERMS.items)
    t = Zipf(["The records also mention {a} and {b}.", "There was a history of {a}.",
              "{Pro} was previously evaluated for {a}.", "The differential included {a} and {b}.",
              "Prior notes reference {a}.", "Review of systems was positive for {a}."]).pick(rng)
    return t.replace("{a}", a).replace("{b}", b).replace("{Pro}", ctx["Pro"])

# ----------------------------------------------------------------------------------------------
# Sentences with tags. A sentence is [text, regions, is_guideline].
# ----------------------------------------------------------------------------------------------


def sent(text, regions=(), guide=False):
    """A sentence: [text, regions it names, whether it cites a guideline]."""
    return [text, list(regions), guide]


def ref_of(rng, it, upper, p_text):
    """How other sentences name the item: its text as written, or its head phrase."""
    plain = it.text.lower() == it.head.lower()
    if plain and (upper or rng.random() < p_text):
        return it.text
    return it.head.upper() if upper else it.head


def rationale_for(rng, it, ctx, layout, upper):
    """Decision rationale sentences for one item; sets it.r_rat."""
    out = []
    ref_item = ref_of(rng, it, upper, 0.6)
    used = set()
    date = some_date(rng, ctx)
    up = it.decision == "upheld"
    if rng.random() < 0.45:
        cands = [o for o in OPENERS if not ((o.startswith("No,") and not up) or
                                            (o.startswith("Yes,") and up))]
        o = Zipf(cands, 0.7).pick(rng)
        o = o.replace("{item}", ref_item).replace("{head}", it.head).replace("{date}", date)
        out.append(sent(o, [], "MTUS" in o or "ODG" in o))
        if "does not address" in o:
            used.add("silent")
    topics = MED_TOPIC[it.medclass] if it.medclass else TOPIC.get(it.itype, ["this treatment"])
    n_guide = Zipf([2, 1, 3, 4], 0.8).pick(rng)
    gpool = MED_GUIDE[it.medclass] if it.medclass else GUIDE_TYPE.get(it.itype, [])
    for _ in range(n_guide):
        r = rng.random()
        topic = rng.choice(topics)
        if r < 0.25:
            g = Zipf(GUIDE_REGION).pick(rng)
            r1 = pick_region(rng, ["shoulder", "knee", "lumbar", "cervical", "hip", "elbow"])
            r2 = pick_region(rng, ["knee", "shoulder", "hip", "ankle-foot"])
            g = g.replace("{r1}", {"lumbar": "low back", "cervical": "neck", "wrist-hand": "wrist",
                                   "ankle-foot": "ankle"}.get(r1, r1))
            g = g.replace("{r2}", {"ankle-foot": "ankle"}.get(r2, r2))
        elif r < 0.75 and gpool:
            g = Zipf(gpool, 0.7).pick(rng)
        else:
            g = Zipf(GUIDE_GENERIC, 0.6).pick(rng)
        silent = "does not address" in g or "silent" in g or "does not specifically" in g
        if g in used or (silent and "silent" in used):
            continue
        used.add(g)
        if silent:
            used.add("silent")
        g = g.replace("{topic}", topic)
        g = g[0].upper() + g[1:]
        out.append(sent(g, [], True))
    # Patient sentences: the regions they name decide the item's region when its text has none.
    if it.r_text:
        mode = Zipf(["same", "none", "other"]).pick(rng)
    else:
        mode = Weighted([(45, "none"), (49, "one"), (6, "two")]).pick(rng)
    n_pat = Zipf([2, 3, 1, 4, 5], 0.6).pick(rng)
    regs = []
    if mode in ("same",):
        regs = [it.r_text[0]]
    elif mode == "one":
        regs = [ctx["regions"][0] if rng.random() < 0.75 else pick_region(rng)]
    elif mode == "two":
        a = ctx["regions"][0]
        b = pick_region(rng)
        regs = [a, b] if a != b else [a]
    elif mode == "other":
        regs = [pick_region(rng)]
    reg_slots = list(regs)
    pats = []
    for j in range(n_pat):
        if reg_slots and (j >= n_pat - len(reg_slots) or rng.random() < 0.5):
            r = reg_slots.pop(0)
            for _ in range(5):
                res = fill_summary(rng, Zipf(PATIENT_REGION, 0.6).pick(rng), ctx, [r])
                if res:
                    pats.append(sent(res[0], res[1]))
                    break
        else:
            t = Zipf(PATIENT_GENERIC if up else PATIENT_POSITIVE, 0.5).pick(rng)
            if t not in used:
                used.add(t)
                pats.append(sent(t.replace("{date}", some_date(rng, ctx))))
    for r in reg_slots:
        res = fill_summary(rng, PATIENT_REGION[0], ctx, [r])
        pats.append(sent(res[0], res[1]))
    if rng.random() < 0.5:
        out.extend(pats)
    else:
        # Guideline sentences first, then the patient's facts (the common order).
        gl = [s for s in out if s[2]]
        rest = [s for s in out if not s[2]]
        out = rest + gl + pats
    # The decision sentence comes last.
    pool = DECIDE_UPHELD if up else DECIDE_OVERTURNED
    if layout == 3:
        pool = [d for d in pool if "medically necessary" in d]
    d = Zipf(pool, 0.5).pick(rng).replace("{item}", ref_item)
    out.append(sent(d, list(it.r_text)))
    found = []
    for s in out:
        if not s[2]:
            for r in s[1]:
                if r not in found:
                    found.append(r)
    it.r_rat = sorted(found)
    return out


def summary_for(rng, ctx, items, layout):
    """Case summary sentences; sets it.r_sum for every item."""
    out = []
    regs = ctx["regions"]
    age, sex = ctx["age"], ctx["sex"]
    inj = fmt_date(rng, ctx["inj"], ctx["date_style"])
    occ = OCCUPATIONS.pick(rng)
    opening = Zipf([
        "The patient is a {age}-year-old {sex} who has submitted a claim for {diag} associated with an industrial injury date of {inj}.",
        "The applicant is a represented {age}-year-old {occ} who has filed a claim for {diag} reportedly associated with an industrial injury of {inj}.",
        "The injured worker is a {age} year old {sex} with an industrial injury dated {inj}.",
        "This is a patient with a date of injury of {inj}.",
        "The patient is a {age} Y, {F} with a date of injury {inj}, with diagnoses of {diag}.",
        "This {age}-year-old {sex} {occ} sustained an industrial injury on {inj}.",
        "The claimant is a {age}-year-old {sex} who reported an industrial injury on {inj} while working as a {occ}.",
        "According to the records, this {age}-year-old {sex} was injured on {inj}.",
        "The injured worker is a {age}-year-old {sex} {occ} who sustained injuries to the {noun} on {inj}.",
        "The applicant is a {age}-year-old {sex} who sustained an industrial injury on {inj} and is being treated for {diag}.",
    ], 0.6).pick(rng)
    named = []
    if "{diag}" in opening:
        k = min(len(regs), rng.randint(1, 3))
        ds = []
        for r in regs[:k]:
            ds.append(complaint(rng, r))
            named.append(r)
        diag = ds[0] if len(ds) == 1 else ", ".join(ds[:-1]) + " and " + ds[-1]
        opening = opening.replace("{diag}", diag)
    if "{noun}" in opening:
        opening = opening.replace("{noun}", region_noun(rng, regs[0]))
        named.append(regs[0])
    opening = (opening.replace("{age}", str(age)).replace("{sex}", sex).replace("{inj}", inj)
               .replace("{occ}", occ).replace("{F}", sex[0].upper()))
    out.append(sent(opening, named))
    if rng.random() < 0.5:
        out.append(sent("The mechanism of injury was %s." % MECH.pick(rng)))
    n_mid = rng.randint(12, 26) if rng.random() < 0.8 else rng.randint(26, 40)
    n_mid += ctx.get("extra", 0)
    used = set()
    for _ in range(n_mid):
        r = rng.random()
        if r < 0.45:
            k = 2 if rng.random() < 0.2 and len(regs) > 1 else 1
            rr = regs[:k] if rng.random() < 0.7 else [pick_region(rng)]
            tmpl = Zipf(REGION_SUMMARY, 0.5).pick(rng)
            if tmpl in used:
                continue
            used.add(tmpl)
            res = fill_summary(rng, tmpl, ctx, rr)
            if res:
                out.append(sent(res[0], res[1]))
        elif r < 0.93:
            tmpl = Zipf(NEUTRAL_SUMMARY, 0.4).pick(rng)
            group = "work" if ("working" in tmpl or "disability" in tmpl) else tmpl
            if tmpl in used or group in used:
                continue
            used.add(tmpl)
            used.add(group)
            res = fill_summary(rng, tmpl, ctx, regs)
            out.append(sent(res[0]))
        else:
            out.append(sent(rare_sentence(rng, ctx)))
    if ctx.get("latin1"):
        res = fill_summary(rng, "Records from {clinic} were reviewed.", ctx, regs)
        out.insert(rng.randint(1, len(out)), sent(res[0]))
    # Sentences that mention the items: the request and its denial.
    ur = fmt_date(rng, ctx["ur"], ctx["date_style"])
    for it in items:
        if rng.random() < 0.25 and layout != 3:
            continue
        ref = ref_of(rng, it, False, 0.4)
        tmpl = Zipf([
            "Utilization review dated {ur} denied the request for {ref}.",
            "In a Utilization Review report dated {ur}, the claims administrator failed to approve a request for {ref}.",
            "A utilization review determination dated {ur} recommends non-certification of {ref}.",
            "On {ur} Utilization Review non-certified the request for {ref}.",
            "The treating provider requested {ref} on {date}.",
            "The attending provider sought authorization for {ref} on {date}.",
            "A request for {ref} was submitted on {date}.",
            "The current request is for {ref}.",
            "Utilization review from {ur} modified the request for {ref}.",
        ], 0.6).pick(rng)
        t = tmpl.replace("{ur}", ur).replace("{ref}", ref).replace("{date}", some_date(rng, ctx))
        mregs = list(it.r_text)
        if not it.r_text and rng.random() < 0.55:
            # The request's purpose names a region (the summary step of the facet rules).
            r = regs[0] if rng.random() < 0.7 else pick_region(rng)
            if rng.random() < 0.4:
                t = t[:-1] + " to treat " + complaint(rng, r) + "."
            else:
                t = t[:-1] + " for the " + region_noun(rng, r) + "."
            mregs.append(r)
        pos = len(out) if rng.random() < 0.6 else rng.randint(1, len(out))
        out.insert(pos, sent(t, mregs))
        if rng.random() < 0.25:
            out.insert(pos + 1, sent(Zipf(["Reasons for denial were not made available.",
                                           "Official Disability Guidelines were cited.",
                                           "The MTUS was cited.",
                                           "The claims administrator cited non-MTUS guidelines."]).pick(rng)))
    # Which sentences mention which item: a shared key word. A region sentence sharing only
    # other words of an item whose region rests on the summary is dropped (neither clearly
    # about the item nor clearly not).
    pending = [(set(words_of(it.text)), set(it.key)) for it in items
               if not it.r_text and not it.r_rat]
    kept = []
    for s in out:
        if s[1] and pending:
            ws = set(words_of(s[0]))
            gray = False
            for strong, key in pending:
                if ws & strong and not ws & key:
                    gray = True
            if gray:
                continue
        kept.append(s)
    for it in items:
        found = []
        keys = set(it.key)
        for s in kept:
            if s[1] and keys & set(words_of(s[0])):
                for r in s[1]:
                    if r not in found:
                        found.append(r)
        it.r_sum = sorted(found)
    return kept


def region_truth(it):
    """The body_region slug of an item by the three steps of docs/facets.md."""
    for step in (it.r_text, it.r_rat, it.r_sum):
        if step:
            return step[0] if len(set(step)) == 1 else "multiple"
    return "unspecified"

# ----------------------------------------------------------------------------------------------
# Reviewer boilerplate.
# ----------------------------------------------------------------------------------------------

SPECIALTIES = Zipf(["Orthopaedic Surgery", "Physical Medicine and Rehabilitation",
                    "Occupational Medicine", "Anesthesiology", "Internal Medicine",
                    "Family Practice", "Preventive Medicine", "Emergency Medicine", "Neurology",
                    "Pain Medicine", "Neurological Surgery", "Psychiatry", "Plastic Surgery",
                    "Rheumatology", "General Surgery", "Sports Medicine"], 0.7)
SUBSPECIALTIES = Zipf(["Pain Management", "Hand Surgery", "Spine Surgery", "Sports Medicine",
                       "Pain Medicine", "Addiction Medicine", "Foot and Ankle Surgery"], 0.8)
STATES = Zipf(["California", "Texas", "New York", "Florida", "Arizona", "Illinois", "Oregon",
               "Washington", "Nevada", "Pennsylvania", "Ohio", "Michigan", "Maryland",
               "Massachusetts", "Colorado", "Georgia"], 0.8)


def boilerplate(rng, style):
    """(paragraph text, credentials lines, specialty truth). style picks the specialty form."""
    reviewer = Zipf(["expert reviewer", "physician reviewer", "expert reviewer"]).pick(rng)
    svc = Zipf(["items/services", "items/Service"]).pick(rng)
    spec = ""
    cred = []
    parts = ["MAXIMUS Federal Services sent the complete case file to %s %s." % (
        "an" if reviewer[0] == "e" else "a", reviewer),
        "He/she has no affiliation with the employer, employee, providers or the claims "
        "administrator."]
    if style == "board":
        s1 = SPECIALTIES.pick(rng)
        spec = s1
        if rng.random() < 0.3:
            parts.append("The %s is Board Certified in %s, has a subspecialty in %s and is "
                         "licensed to practice in California." % (reviewer, s1,
                                                                  SUBSPECIALTIES.pick(rng)))
        else:
            parts.append("The %s is Board Certified in %s and is licensed to practice in "
                         "California." % (reviewer, s1))
    elif style == "cred":
        states = []
        for _ in range(rng.randint(1, 3)):
            st = STATES.pick(rng)
            if st not in states:
                states.append(st)
        if "California" not in states:
            states.append("California")
        specs = [SPECIALTIES.pick(rng)]
        if rng.random() < 0.25:
            s2 = SPECIALTIES.pick(rng)
            if s2 != specs[0]:
                specs.append(s2)
        spec = ", ".join(specs)
        cred = ["The Expert Reviewer has the following credentials:",
                "State(s) of Licensure: " + ", ".join(states),
                "Certification(s)/Specialty: " + spec]
    parts.append("He/she has been in active clinical practice for more than five years and is "
                 "currently working at least 24 hours a week in active practice.")
    parts.append("The %s was selected based on his/her clinical experience, education, "
                 "background, and expertise in the same or similar specialties that evaluate "
                 "and/or treat the medical condition and disputed %s." % (reviewer, svc))
    parts.append("He/she is familiar with governing laws and regulations, including the "
                 "strength of evidence hierarchy that applies to Independent Medical Review "
                 "determinations.")
    return " ".join(parts), cred, spec


def header_lines(rng, fields, two_per_line):
    """fields: list of (label, value). Returns lines."""
    if not two_per_line:
        return ["%s %s" % (k, v) for k, v in fields]
    out = []
    for i in range(0, len(fields), 2):
        pair = fields[i:i + 2]
        out.append("  ".join("%s %s" % (k, v) for k, v in pair))
    return out


def hdate(rng, ymd, style):
    """A header date: 07/20/2015 (style 0) or 7/20/2015."""
    y, m, d = ymd
    return "%02d/%02d/%d" % (m, d, y) if style == 0 else "%d/%d/%d" % (m, d, y)


# ----------------------------------------------------------------------------------------------
# One letter.
# ----------------------------------------------------------------------------------------------

DAY_2013_07 = date_to_day(2013, 7, 1)
DAY_2013_12 = date_to_day(2013, 12, 31)
DAY_2016_12 = date_to_day(2016, 12, 31)
DAY_2024_12 = date_to_day(2024, 12, 31)
N_ITEMS = Weighted([(55, 1), (28, 2), (10, 3), (4.5, 4), (2.5, 5)])
MESSY = [("crlf", 0.05), ("footer", 0.06), ("hyphen", 0.06), ("ligature", 0.04),
         ("quotes", 0.05), ("nbsp", 0.04), ("runon", 0.06), ("latin1", 0.03),
         ("truncated", 0.03)]
UNKNOWN_TITLES = lines("""
UTILIZATION REVIEW APPEAL SUMMARY
PEER REVIEW REPORT
INDEPENDENT REVIEW REPORT
SUPPLEMENTAL PHYSICIAN REVIEW
NOTICE OF REVIEW OUTCOME
MEDICAL RECORD REVIEW
""")


def number_prefix(rng, style, i):
    """Item numbering: "", "1. ", "1) " or "1 - "."""
    return {0: "", 1: "%d. " % i, 2: "%d) " % i, 3: "%d - " % i}[style]


def heading(B, first, rest, wrapped):
    """Appends a section heading through B, on one line or wrapped over two as PDF extraction
    sometimes leaves it."""
    if wrapped:
        B(("line", first))
        B(("line", rest))
    else:
        B(("line", first + " " + rest))


def reviewer_section(rng, B, spec_style):
    """Appends the HOW THE IMR FINAL DETERMINATION WAS MADE section of layouts 1 and 2 (the
    reviewer boilerplate and, in some letters, the credentials lines) through B; returns the
    reviewer's specialty as the truth records it. Marks the span the specialty comes from."""
    brk = ("brk",)
    text, cred, spec = boilerplate(rng, spec_style)
    B(("line", " HOW THE IMR FINAL DETERMINATION WAS MADE"))
    if spec_style == "board":
        B(("start", "spec"))
    B(("para", text))
    B(("mark", "spec") if spec_style == "board" else ("noop",))
    B(brk)
    if cred:
        B(("start", "spec"))
        for line in cred:
            B(("line", line))
        B(("mark", "spec"))
        B(brk)
    return spec


def build_letter(seed, index):
    """Letter `index` of corpus `seed`: (bytes, truth dict). A letter that comes out shorter
    than 3.2 KB is built again with a longer case summary."""
    for attempt in range(4):
        data, truth = build_one(seed, index, attempt)
        if len(data) >= 3200 or truth["truncated"]:
            break
    return data, truth


def build_one(seed, index, attempt):
    """One attempt at letter `index`: (bytes, truth)."""
    # The letter's shape comes from a generator that does not depend on the attempt, so that
    # rebuilding a short letter does not bias layouts, item counts or decisions.
    shape = random.Random("imrgen:%d:%d" % (seed, index))
    rng = random.Random("imrgen:%d:%d:%d" % (seed, index, attempt))
    r = shape.random()
    if r < 0.02:
        layout = 0
    elif r < 0.02 + 0.98 * 0.80:
        layout = 1
    elif r < 0.02 + 0.98 * 0.95:
        layout = 2
    else:
        layout = 3
    if layout == 3:
        dec_day = shape.randint(DAY_2013_07, DAY_2013_12)
    elif layout == 2:
        dec_day = shape.randint(DAY_2013_07, DAY_2016_12)
    else:
        dec_day = shape.randint(DAY_2013_07, DAY_2024_12)
    messy = [name for name, p in MESSY if shape.random() < p]
    if "latin1" in messy and "ligature" in messy:
        messy.remove("ligature")
    ctx = make_context(rng, dec_day)
    ctx["extra"] = 8 * attempt
    ctx["latin1"] = "latin1" in messy
    primary = REGION_WEIGHT.pick(rng)
    regs = [primary]
    for _ in range(Zipf([0, 1, 2], 0.8).pick(rng)):
        x = REGION_WEIGHT.pick(rng)
        if x not in regs:
            regs.append(x)
    ctx["regions"] = regs
    n = 1 if layout == 3 else N_ITEMS.pick(shape)
    types = [TYPE_WEIGHTS.pick(shape) for _ in range(n)]
    decisions = ["upheld" if shape.random() < 0.87 else "overturned" for _ in range(n)]
    items = []
    seen = set()
    for k in range(n):
        for _try in range(6):
            it = make_item(rng, types[k], primary, ctx["ur"])
            if it.text.lower() not in seen:
                break
        seen.add(it.text.lower())
        it.decision = decisions[k]
        it.year = day_to_date(dec_day)[0]
        items.append(it)
    upper = rng.random() < 0.15
    title_case = (not upper) and rng.random() < 0.08
    for it in items:
        if upper:
            it.text = it.text.upper()
        elif title_case:
            it.text = " ".join(w[0].upper() + w[1:] if w[:1].islower() and w not in (
                "of", "for", "the", "and", "to", "with", "at", "under", "a", "an", "per") else w
                for w in it.text.split(" "))
    rats = [rationale_for(rng, it, ctx, layout, upper) for it in items]
    summary = summary_for(rng, ctx, items, layout)
    for it in items:
        if layout == 3:
            it.gsrc_text, it.gsrc = layout3_guideline(rng, it)
            it.ca_text, it.casrc = "", set()
        else:
            it.ca_text, it.casrc = guideline_paragraph(rng, it, "ca")
            it.gsrc_text, it.gsrc = guideline_paragraph(rng, it, "maximus")

    truth = {"letter": "gen_%07d" % index,
             "path": "letters/%04d/gen_%07d.txt" % (index // 1000, index),
             "layout": layout, "case_number": "", "injury_date": "", "ur_denial_date": "",
             "decision_date": "", "specialty": "", "truncated": False, "messy": [], "items": []}
    blocks = []
    B = blocks.append
    brk = ("brk",)
    ur_day = ctx["ur_day"]
    app_day = ur_day + rng.randint(5, 25)
    assigned_day = min(app_day + rng.randint(1, 20), dec_day - 1)
    case_no = "CM%02d-%07d" % (day_to_date(app_day)[0] % 100, rng.randint(1, 199999))
    hstyle = rng.randrange(2)
    fields_all = [("Case Number:", case_no, "case_number"),
                  ("Date Assigned:", hdate(rng, day_to_date(assigned_day), hstyle), None),
                  ("Date of Injury:", hdate(rng, ctx["inj"], hstyle), "injury_date"),
                  ("Decision Date:", hdate(rng, day_to_date(dec_day), hstyle), "decision_date"),
                  ("UR Denial Date:", hdate(rng, ctx["ur"], hstyle), "ur_denial_date"),
                  ("Priority:", Zipf(["Standard", "Standard", "Expedited"]).pick(rng), None),
                  ("Application Received:", hdate(rng, day_to_date(app_day), hstyle), None)]
    truth_vals = {"case_number": case_no, "injury_date": iso(ctx["inj"]),
                  "decision_date": iso(day_to_date(dec_day)), "ur_denial_date": iso(ctx["ur"])}

    def use_header(fields):
        for label, val, key in fields:
            if key:
                truth[key] = truth_vals[key]
        return [(l, v) for l, v, _ in fields]

    spec_style = Weighted([(42, "board"), (45, "cred"), (13, "none")]).pick(rng)
    marks = {}
    summary_paras = split_paragraphs(rng, summary)

    def summary_blocks():
        for k, para in enumerate(summary_paras):
            if k:
                B(brk)
            B(("para", para))

    def items_blocks(numbered):
        sep = Zipf([":  ", ": "]).pick(rng)
        dec_word = {"upheld": "Upheld", "overturned": "Overturned"}
        if upper and rng.random() < 0.3:
            dec_word = {"upheld": "UPHELD", "overturned": "OVERTURNED"}
        for i, it in enumerate(items):
            B(brk)
            B(("para", [sent(number_prefix(rng, numbered, i + 1) + it.text + sep +
                             dec_word[it.decision])], "item"))
            B(brk)
            B(("para", [sent("Claims Administrator guideline: " + it.ca_text, [], True)], "g"))
            B(brk)
            B(("para", [sent("MAXIMUS guideline: " + it.gsrc_text, [], True)], "g"))
            B(brk)
            rat = [list(s) for s in rats[i]]
            rat[0][0] = "Decision rationale: " + rat[0][0]
            B(("para", rat))
            B(("mark", "item%d" % i))

    if layout == 1:
        if rng.random() < 0.75:
            fields = [f for f in fields_all if f[2] != "ur_denial_date" or rng.random() > 0.05]
            for line in header_lines(rng, use_header(fields), rng.random() < 0.5):
                B(("line", line))
            B(brk)
        truth["specialty"] = reviewer_section(rng, B, spec_style)
        B(("line", "CLINICAL CASE SUMMARY"))
        B(("para", "The expert reviewer developed the following clinical case summary based on "
                   "a review of the case file, including all medical records:"))
        B(brk)
        summary_blocks()
        B(brk)
        if rng.random() < 0.03:
            B(("line", "IMR ISSUES, DECISIONS AND"))
            B(("line", "RATIONALES"))
        else:
            B(("line", "IMR ISSUES, DECISIONS AND RATIONALES"))
        B(("para", "The Final Determination was based on decisions for the disputed "
                   "items/services set forth below:"))
        items_blocks(Zipf([0, 1, 2, 3], 1.2).pick(rng) if len(items) > 1 or rng.random() < 0.2 else 0)
    elif layout == 2:
        for line in ["MAXIMUS FEDERAL SERVICES, INC.", "Independent Medical Review",
                     "P.O. Box 138009", "Sacramento, CA 95813-8009",
                     "(855) 865-8873  Fax: (916) 605-4270"]:
            B(("line", line))
        B(brk)
        B(("line", "Notice of Independent Medical Review Determination"))
        B(brk)
        order = [fields_all[3], fields_all[0], fields_all[2], fields_all[4], fields_all[6],
                 fields_all[5]]
        for line in header_lines(rng, use_header(order), False):
            B(("line", line))
        B(brk)
        B(("line", "Dear  :"))
        B(("para", "MAXIMUS Federal Services has completed the Independent Medical Review (IMR) "
                   "of the above workers' compensation case. This letter provides you with the "
                   "IMR Final Determination and explains how the determination was made."))
        B(brk)
        n_up = sum(1 for it in items if it.decision == "upheld")
        if n_up == len(items):
            fd = ("Final Determination: UPHOLD. This means we decided that none of the disputed "
                  "items/services are medically necessary and appropriate.")
        elif n_up == 0:
            fd = ("Final Determination: OVERTURN. This means we decided that all of the disputed "
                  "items/services are medically necessary and appropriate.")
        else:
            fd = ("Final Determination: UPHOLD IN PART. This means we decided that some of the "
                  "disputed items/services are medically necessary and appropriate.")
        B(("para", fd + " A detailed explanation of the decision for each of the disputed "
                        "items/services is provided later in this letter."))
        B(brk)
        B(("para", "This decision is final and binding on all parties. Your claims administrator "
                   "will take immediate action to authorize any overturned treatment. The "
                   "determination may be appealed as provided in Labor Code section 4610.6(h)."))
        B(brk)
        B(("line", "Sincerely,"))
        B(("line", "Medical Director"))
        B(brk)
        truth["specialty"] = reviewer_section(rng, B, spec_style)
        B(("line", "DOCUMENTS REVIEWED"))
        for line in documents(rng, ctx):
            B(("line", line))
        B(brk)
        B(("line", "CLINICAL CASE SUMMARY"))
        summary_blocks()
        B(brk)
        B(("line", "IMR DECISION(S) AND RATIONALE(S)"))
        B(("para", "The Final Determination was based on decisions for the disputed "
                   "items/services set forth below:"))
        items_blocks(Zipf([1, 0, 2], 1.0).pick(rng))
        B(brk)
        B(("line", "/%s" % "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3))))
        B(("para", "cc: Department of Industrial Relations, Division of Workers' Compensation"))
    elif layout == 3:
        it = items[0]
        B(("line", "MEDICAL PROFESSIONAL REVIEW"))
        B(brk)
        if rng.random() < 0.6:
            order = [fields_all[0], fields_all[2], fields_all[4], fields_all[3]]
            for line in header_lines(rng, use_header(order), rng.random() < 0.3):
                B(("line", line))
            B(brk)
        wrap_heads = rng.random() < 0.3
        if rng.random() < 0.2:
            B(("para", [sent("ISSUE AT DISPUTE: " + it.text)], "item"))
        else:
            B(("line", "ISSUE AT DISPUTE:"))
            B(("para", [sent(it.text)], "item"))
        B(brk)
        B(("line", "CASE SUMMARY:"))
        summary_blocks()
        B(brk)
        B(("line", "DOCUMENTS REVIEWED FOR DETERMINATION:"))
        for line in documents(rng, ctx):
            B(("line", line))
        B(brk)
        heading(B, "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL",
                "REVIEWER AND WHY:", wrap_heads)
        B(("para", [sent(it.gsrc_text, [], True)], "g"))
        B(brk)
        heading(B, "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT",
                "MEDICALLY NECESSARY:", wrap_heads)
        B(("para", rats[0]))
        B(("mark", "item0"))
        B(brk)
        B(("line", "MEDICAL REVIEWER QUALIFICATIONS:"))
        s1 = SPECIALTIES.pick(rng)
        B(("start", "spec"))
        B(("para", "The physician reviewer is Board Certified in %s and is licensed to practice "
                   "in California. He/she has been in active clinical practice for more than five "
                   "years and is currently working at least 24 hours a week in active practice." % s1))
        B(("mark", "spec"))
        truth["specialty"] = s1
    else:
        B(("line", rng.choice(UNKNOWN_TITLES)))
        B(brk)
        B(("line", "HISTORY:"))
        summary_blocks()
        B(brk)
        B(("line", "RECORDS REVIEWED:"))
        for line in documents(rng, ctx):
            B(("line", line))
        B(brk)
        for i, it in enumerate(items):
            B(("line", "DISCUSSION:" if i == 0 else "ADDITIONAL DISCUSSION:"))
            B(("para", [sent("The request under review is " + it.text + ".")] + rats[i]))
            B(brk)
        B(("line", "REVIEWER:"))
        B(("para", "The reviewer has been in active clinical practice for more than five years."))
    if layout != 0:
        for it in items:
            truth["items"].append({
                "text": it.text, "decision": it.decision, "item_type": it.itype,
                "body_region": region_truth(it),
                "guideline_source": [s for s in vocab.GUIDELINE_SOURCE if s in it.gsrc],
                "ca_guideline_source": [s for s in vocab.GUIDELINE_SOURCE if s in it.casrc]})
    data, applied, cut_info = render(rng, blocks, messy)
    if cut_info is not None:
        truth["truncated"] = True
        offs = cut_info
        truth["items"] = [t for i, t in enumerate(truth["items"]) if "item%d" % i in offs]
        if "spec" not in offs:
            truth["specialty"] = ""
    truth["messy"] = applied
    return data, truth


def split_paragraphs(rng, sents):
    """Splits the summary into 1-3 paragraphs."""
    if len(sents) < 8 or rng.random() < 0.6:
        return [sents]
    k = rng.randint(3, len(sents) - 3)
    return [sents[:k], sents[k:]]


def documents(rng, ctx):
    """The lines of a documents-reviewed list."""
    out = []
    style = rng.randrange(3)
    docs = ["Application for Independent Medical Review dated %s" % fmt_date(
                rng, day_to_date(ctx["ur_day"] + rng.randint(3, 20)), 1),
            "Utilization Review Determination dated %s" % fmt_date(rng, ctx["ur"], 1),
            "Medical records from %s through %s" % (
                some_date(rng, ctx, ctx["ur_day"] - 700, ctx["ur_day"] - 200),
                some_date(rng, ctx, ctx["ur_day"] - 190, ctx["ur_day"] - 2)),
            "Progress reports from the treating physician",
            "Request for authorization dated %s" % some_date(rng, ctx)]
    if rng.random() < 0.5:
        docs.append("Agreed Medical Evaluation dated %s" % some_date(rng, ctx))
    if rng.random() < 0.3:
        docs.append("Diagnostic imaging reports")
    for i, d in enumerate(docs[:rng.randint(2, len(docs))]):
        out.append({0: "%d. %s" % (i + 1, d), 1: "- %s" % d, 2: d}[style])
    return out

# ----------------------------------------------------------------------------------------------
# Rendering: sentences -> wrapped lines (each followed by a blank line, trailing spaces), page
# breaks, and the messiness of real extracted text.
# ----------------------------------------------------------------------------------------------

FI_RE = re.compile("fi")
VOWELS = set("aeiou")


def typo(rng, text):
    """The text with one typo (swap, drop or double a letter) in a long lower-case word."""
    ws = text.split(" ")
    cands = [i for i, w in enumerate(ws) if len(w) >= 6 and w.isalpha() and w.islower()]
    if not cands:
        return text
    i = rng.choice(cands)
    w = ws[i]
    k = rng.randint(1, len(w) - 3)
    op = rng.randrange(3)
    if op == 0:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    elif op == 1:
        w = w[:k] + w[k + 1:]
    else:
        w = w[:k] + w[k] + w[k:]
    ws[i] = w
    return " ".join(ws)


def wrap(rng, text, width, hyphen, stats):
    """Greedy wrap on spaces. Hyphenated words may break after their hyphen; with `hyphen`
    messiness long words are also broken with an inserted hyphen."""
    out = []
    cur = []      # words (and "" for extra spaces) of the current line
    n = -1        # length of the current line as joined with single spaces
    for w in text.split(" "):
        lw = len(w)
        if n < 0:
            if lw:
                cur = [w]
                n = lw
            continue
        if n + 1 + lw <= width:
            cur.append(w)
            n += 1 + lw
            continue
        room = width - n - 1
        if "-" in w and room > 2 and rng.random() < 0.6:
            cut = w.rfind("-", 0, room)
            if 0 < cut < lw - 1:
                cur.append(w[:cut + 1])
                out.append(" ".join(cur))
                cur = [w[cut + 1:]]
                n = lw - cut - 1
                continue
        if hyphen and lw >= 8 and room >= 4 and w.isalpha() and rng.random() < 0.4:
            k = min(room - 1, lw - 3)
            if k >= 3:
                k = rng.randint(3, k)
                cur.append(w[:k] + "-")
                out.append(" ".join(cur))
                cur = [w[k:]]
                n = lw - k
                stats["hyphen"] = True
                continue
        out.append(" ".join(cur))
        if lw:
            cur = [w]
            n = lw
        else:
            cur = []
            n = -1
    if cur:
        out.append(" ".join(cur))
    return out


def render(rng, blocks, messy):
    """Blocks -> (bytes, messiness applied, names of the marks before the cut or None)."""
    width = rng.randint(95, 101)
    sep = "  " if rng.random() < 0.3 else " "
    stats = {}
    p_typo = 0.04 if rng.random() < 0.4 else 0.0
    lines_ = []    # [text, [mark names ending on this line], [mark names starting here]]
    pending_start = []

    def add_line(t):
        lines_.append([t, [], pending_start[:]])
        pending_start.clear()

    def char_mess(t):
        if "ligature" in messy and "fi" in t:
            t2 = FI_RE.sub(lambda m: "\ufb01" if rng.random() < 0.6 else "fi", t)
            if t2 != t:
                stats["ligature"] = True
                t = t2
        if "quotes" in messy and ("'" in t or '"' in t):
            t = t.replace("'", "\u2019")
            parts = t.split('"')
            t = parts[0] + "".join(("\u201c" if i % 2 else "\u201d") + p
                                   for i, p in enumerate(parts[1:], 1))
            stats["quotes"] = True
        return t

    for b in blocks:
        kind = b[0]
        if kind == "brk":
            add_line(" ")
        elif kind == "line":
            add_line(char_mess(b[1]) + " ")
        elif kind == "mark":
            lines_[-1][1].append(b[1])
        elif kind == "start":
            pending_start.append(b[1])
        elif kind == "para":
            body = b[1]
            role = b[2] if len(b) > 2 else ""
            if isinstance(body, str):
                text = body
            else:
                parts = []
                for j, s in enumerate(body):
                    t = s[0]
                    if p_typo and not s[1] and not s[2] and role == "" and rng.random() < p_typo * 4:
                        t = typo(rng, t)
                    if (j and "runon" in messy and role == "" and not s[1] and not body[j - 1][1]
                            and parts and parts[-1].endswith(".") and rng.random() < 0.3):
                        parts[-1] = parts[-1] + t
                        stats["runon"] = True
                    else:
                        parts.append(t)
                text = sep.join(parts)
            if "nbsp" in messy:
                chars = list(text)
                for k, c in enumerate(chars):
                    if c == " " and rng.random() < 0.04 and 0 < k < len(chars) - 1 \
                            and chars[k - 1] != " " and chars[k + 1] != " ":
                        chars[k] = "\u00a0"
                        stats["nbsp"] = True
                text = "".join(chars)
            text = char_mess(text)
            for ln in wrap(rng, text, width, "hyphen" in messy, stats):
                tail = " "
                if ln.endswith(".") and rng.random() < 0.15:
                    tail = Zipf(["  ", "   "]).pick(rng)
                add_line(ln + tail)
    # Trailing blank lines as in the extracted PDFs.
    for _ in range(rng.randint(1, 4)):
        add_line(" ")
    # Page breaks: an extra empty line (and with footers, "Page k of N").
    per_page = rng.randint(22, 28)
    n_pages = max(1, math.ceil(len(lines_) / per_page))
    paged = []
    footer = "footer" in messy
    for k, ln in enumerate(lines_):
        paged.append(ln)
        if (k + 1) % per_page == 0 and k + 1 < len(lines_):
            page = (k + 1) // per_page
            if footer:
                paged.append([Zipf(["Page %d of %d", "Page %d of %d", "%d of %d"]).pick(rng) % (
                    page, n_pages) + " ", [], []])
                stats["footer"] = True
            paged.append(["", [], []])
    if footer:
        paged.append(["Page %d of %d " % (n_pages, n_pages), [], []])
    paged.append(["", [], []])
    # Assemble with offsets of marks.
    pieces = []
    pos = 0
    end_of = {}
    start_of = {}
    for t, ends, starts in paged:
        for s in starts:
            start_of[s] = pos
        for e in ends:
            end_of[e] = pos + len(t.rstrip())
        pieces.append(t)
        pieces.append("\n\n")
        pos += len(t) + 2
    text = "".join(pieces)
    cut_info = None
    if "truncated" in messy:
        c = int(len(text) * rng.uniform(0.35, 0.92))
        if "spec" in start_of and start_of["spec"] <= c < end_of.get("spec", 0):
            c = end_of["spec"] + 1
        text = text[:c]
        cut_info = set(name for name, off in end_of.items() if off <= c)
        stats["truncated"] = True
    if "crlf" in messy:
        text = text.replace("\n", "\r\n")
        stats["crlf"] = True
    if "latin1" in messy:
        data = text.encode("cp1252")
        if any(b >= 0x80 for b in data):
            stats["latin1"] = True
    else:
        data = text.encode("utf-8")
    applied = [name for name, _ in MESSY if stats.get(name)]
    return data, applied, cut_info


# ----------------------------------------------------------------------------------------------
# Driver.
# ----------------------------------------------------------------------------------------------

def main(argv=None):
    """Command line entry point."""
    ap = shards.arguments("Generate synthetic IMR letters and their truth.")
    ap.add_argument("--variants", action="store_true",
                    help="write letters in real letters' variants instead (corpus/variants.py)")
    a = shards.parse(ap, argv)
    if a.variants:
        import variants
        variants.run(a.count, a.seed, a.out, a.jobs)
        return 0
    t0 = time.time()
    total = shards.write_corpus(build_letter, a.count, a.seed, a.out, a.jobs)
    dt = time.time() - t0
    print("generate.py: %d letters, %.1f MB, %.1f s (%.0f letters/s, %.1f MB/s)" % (
        a.count, total / 1e6, dt, a.count / dt if dt else 0, total / 1e6 / dt if dt else 0),
        file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
