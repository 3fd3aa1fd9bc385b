#!/usr/bin/env python3
"""variants.py - IMR final determination letters in the phrasings real letters use, and their truth.

Usage: corpus/variants.py --count N --seed S --out DIR [--jobs J]
       (also: corpus/generate.py --variants --count N --seed S --out DIR [--jobs J])

A second generator, written from the product brief ("Variants in real letters", "Facets") and
the five seed letters only, without reading the parser or its dictionaries, so that the
parser's assumptions are not built into the letters. It writes layout-1 letters with and
without header blocks, classic layout-2 letters and the 2013-2014 layout-2 notices (cover page,
numbered item sentences), layout-3 letters with one or several items, unknown layouts, and
malformed letters (a missing heading or rationale, an item line without its decision, cut
files), in many wordings: decisions, guideline citations, item names (abbreviations, brands,
coined compound names, doses, prefixes, typos), dates in several formats, spinal levels, and
the texture of extracted PDFs (wrapped lines, blank lines, footers, hyphenation, ligatures,
curly quotes, NBSPs, run-on sentences, CRLF, Windows-1252 and mixed encodings).

Output: DIR/letters/<shard>/var_<id>.txt and DIR/truth.jsonl in the format of docs/corpus.md
(same keys, same slugs), with four more keys per letter: "dated" (the notice's `Dated:` line,
ISO), "year" and "year_source" (the year a careful reader would place the letter in, and from
what: decision-date, dated, case-number, events), and "variants" (the kinds of variation in
this letter, for failure analysis). Each letter has its own random generator seeded from
(seed, index): the output does not depend on --jobs or --count. Standard library only.

How the truth is kept honest: every sentence is generated with the body regions it names and
whether it paraphrases a guideline; the region of an item is read from those tags by the
brief's three steps (item text, then the rationale's own sentences, then the summary sentences
that mention the item). Summary sentences that name a region but do not mention an item never
share a non-generic word with any item of the letter, so no reasonable reading of "mention"
changes the truth. Decisions come from the item line, item sentence or, where the letter states
it nowhere else, from the rationale's conclusion, which always agrees with the decision.
"""

import datetime
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shards  # noqa: E402  (the corpus writer: shards, worker processes, truth.jsonl)
import vocab  # noqa: E402  (the facet slugs, indexer/vocab.def)


# ---------------------------------------------------------------------------------------------
# Body regions: how letters name them. {S} is a side (right, left, bilateral) or nothing.

REGION_PHRASES = {
    "cervical": ["the cervical spine", "the neck", "cervical spine", "the c-spine", "neck",
                 "the cervical region"],
    "thoracic": ["the thoracic spine", "the mid back", "thoracic spine", "the T-spine"],
    "lumbar": ["the lumbar spine", "the low back", "lumbar spine", "the lower back",
               "the lumbosacral spine", "L/S spine", "the L-spine"],
    "shoulder": ["the {S} shoulder", "{S} shoulder", "the {S} shoulder joint"],
    "elbow": ["the {S} elbow", "{S} elbow"],
    "wrist-hand": ["the {S} wrist", "the {S} hand", "{S} wrist", "the {S} hand and wrist",
                   "the {S} thumb"],
    "hip": ["the {S} hip", "{S} hip"],
    "knee": ["the {S} knee", "{S} knee"],
    "ankle-foot": ["the {S} ankle", "the {S} foot", "{S} ankle", "the {S} ankle and foot"],
    "head": ["headaches", "the head", "post-traumatic headaches"],
}

# Sentences of a patient's complaints and findings, per region ({P} is the pronoun).
COMPLAINTS = {
    "cervical": ["{P} reports constant neck pain radiating to the upper extremities",
                 "there is tenderness over the paracervical musculature with spasm",
                 "cervical range of motion is decreased in all planes",
                 "Spurling's test is positive on the right",
                 "{P} complains of neck pain rated 6/10"],
    "thoracic": ["{P} describes mid back pain between the shoulder blades",
                 "there is tenderness over the thoracic paraspinal muscles",
                 "{P} reports mid back pain that worsens with sitting"],
    "lumbar": ["{P} continues to complain of low back pain radiating to the legs",
               "lumbar range of motion is limited by pain",
               "straight leg raise is positive on the left at 60 degrees",
               "there is tenderness to palpation over the lumbar paraspinals",
               "{P} rates the low back pain at 7/10"],
    "shoulder": ["{P} reports pain in the right shoulder with overhead activity",
                 "impingement signs are positive at the left shoulder",
                 "shoulder abduction is limited to 120 degrees",
                 "{P} has weakness of the rotator cuff"],
    "elbow": ["{P} reports lateral elbow pain with gripping",
              "there is tenderness over the lateral epicondyle"],
    "wrist-hand": ["{P} reports numbness and tingling in both hands",
                   "Phalen's and Tinel's signs are positive at the wrists",
                   "grip strength is reduced in the right hand"],
    "hip": ["{P} reports right hip pain with prolonged walking",
            "hip flexion is limited and painful"],
    "knee": ["{P} complains of left knee pain and swelling",
             "there is medial joint line tenderness of the right knee",
             "McMurray's test is positive at the knee"],
    "ankle-foot": ["{P} reports right ankle pain with weight bearing",
                   "there is tenderness over the plantar fascia of the left foot"],
    "head": ["{P} reports daily headaches since the injury",
             "{P} describes post-concussive headaches with dizziness"],
}

# ---------------------------------------------------------------------------------------------
# Item heads per type. A head is "text" or "text|regions" (the regions the head itself names).
# "~" marks a head that takes no added region phrase. Types are the brief's slugs.

HEADS = {
    "cold-heat-device": [
        "Hot/Cold unit", "hot and cold therapy unit", "Cold therapy unit", "cryotherapy unit",
        "Game Ready cold therapy system", "Polar Care unit", "ThermoCool hot and cold contrast "
        "therapy unit with compression", "Q-Tech cold therapy recovery system with wrap",
        "continuous-flow cryotherapy device", "ice machine", "Vascutherm cold compression unit",
        "Iceman cold therapy unit", "cold compression unit", "infrared heat lamp~",
        "heating pad", "hot/cold contrast unit", "cryo-cuff",
        "cold therapy wrap"],
    "tens-estim": [
        "TENS unit", "transcutaneous electrical nerve stimulation (TENS) unit", "H-wave unit",
        "H-Wave device", "interferential current stimulator", "IF unit", "NMES unit",
        "neuromuscular electrical stimulator", "Prime Dual TENS/EMS unit",
        "TENS unit supplies (electrodes, batteries)", "E-stim unit", "RS-4i sequential stimulator",
        "electrical muscle stimulation unit"],
    "traction": [
        "home cervical traction unit|cervical", "Saunders home traction device",
        "lumbar traction unit|lumbar", "over the door cervical traction|cervical",
        "inversion table", "pneumatic traction device", "home traction unit"],
    "dme-other": [
        "lumbar support brace|lumbar", "LSO brace|lumbar", "hinged knee brace|knee",
        "knee sleeve|knee", "wrist splint|wrist-hand", "front-wheeled walker~", "single point cane~",
        "shower chair~", "tub transfer bench~", "orthopedic mattress~", "cervical pillow|cervical",
        "CPM machine", "continuous passive motion device", "lumbar corset|lumbar",
        "shoulder sling|shoulder", "arm sling", "raised toilet seat~", "custom orthotics|ankle-foot",
        "motorized scooter~", "hospital bed~", "cervical collar|cervical",
        "ergonomic chair~", "thumb spica splint|wrist-hand"],
    "opioid": [
        "Norco {d} #{q}", "Hydrocodone/APAP {d} #{q}", "hydrocodone/acetaminophen {d}, #{q}",
        "Vicodin ES #{q}", "Percocet {d} #{q}", "Oxycodone {m} #{q}", "OxyContin {m} #{q}",
        "Tramadol {m} #{q}", "Tramadol ER {m} #{q}", "Ultram {m} #{q}", "Ultracet 37.5/325 #{q}",
        "Nucynta {m} #{q}", "Tapentadol ER {m} #{q}", "MS Contin {m} #{q}",
        "Morphine sulfate ER {m} #{q}", "Dilaudid {m} #{q}", "hydromorphone {m} #{q}",
        "Tylenol #3 #{q}", "Tylenol with codeine #3, #{q}", "Opana ER {m} #{q}",
        "oxymorphone {m} #{q}", "Methadone {m} #{q}", "Kadian {m} #{q}", "Exalgo {m} #{q}"],
    "nsaid": [
        "Naproxen {m} #{q}", "Naproxen sodium {m} #{q}", "Anaprox DS 550 mg #{q}",
        "Naprosyn {m} #{q}", "Ibuprofen {m} #{q}", "Motrin {m} #{q}", "Celebrex {m} #{q}",
        "celecoxib {m} #{q}", "Meloxicam {m} #{q}", "Mobic {m} #{q}",
        "Diclofenac sodium ER {m} #{q}", "Voltaren XR {m} #{q}", "Etodolac {m} #{q}",
        "Nabumetone {m} #{q}", "Relafen {m} #{q}", "Daypro {m} #{q}", "Oxaprozin {m} #{q}",
        "Indomethacin {m} #{q}", "Duexis 800/26.6 mg #{q}"],
    "muscle-relaxant": [
        "Cyclobenzaprine {m} #{q}", "Flexeril {m} #{q}", "Fexmid {m} #{q}", "Soma {m} #{q}",
        "Carisoprodol {m} #{q}", "Tizanidine {m} #{q}", "Zanaflex {m} #{q}",
        "Methocarbamol {m} #{q}", "Robaxin {m} #{q}", "Baclofen {m} #{q}",
        "Metaxalone {m} #{q}", "Skelaxin {m} #{q}", "Orphenadrine ER {m} #{q}", "Norflex {m} #{q}",
        "Amrix {m} #{q}"],
    "topical": [
        "Lidoderm 5% patch #{q}", "Lidocaine 5% patches #{q}", "Voltaren gel 1% {g}",
        "Flector patch 1.3% #{q}", "Terocin patches #{q}", "Terocin lotion {g}",
        "Flurbiprofen 20%/Lidocaine 5% cream {g}", "Ketoprofen/Gabapentin/Lidocaine compound {g}",
        "GABACYCLOTRAM {g}", "CYCLOKETOLIDO cream {g}", "FLURLIDOBAC compounded cream {g}",
        "KETOFLURCAP topical {g}", "Capsaicin 0.075% cream {g}", "Menthoderm gel {g}",
        "Medrox patches #{q}", "Dendracin lotion {g}", "Pennsaid 2% solution {g}",
        "compounded topical cream (flurbiprofen, cyclobenzaprine, menthol) {g}",
        "Gabapentin 10%/Amitriptyline 5% transdermal compound {g}",
        "TGHot compounded cream {g}", "Fluriflex cream {g}", "Biotherm topical lotion {g}",
        "Ben-Gay ultra strength {g}"],
    "medication-other": [
        "Omeprazole {m} #{q}", "Prilosec {m} #{q}", "Pantoprazole {m} #{q}", "Protonix {m} #{q}",
        "Ranitidine {m} #{q}", "Gabapentin {m} #{q}", "Neurontin {m} #{q}", "Lyrica {m} #{q}",
        "Pregabalin {m} #{q}", "Cymbalta {m} #{q}", "Duloxetine {m} #{q}",
        "Amitriptyline {m} #{q}", "Trazodone {m} #{q}", "Ambien {m} #{q}", "Zolpidem {m} #{q}",
        "Topamax {m} #{q}", "Colace {m} #{q}", "Docusate sodium {m} #{q}", "Senokot-S #{q}",
        "Senna {m} #{q}", "Lactulose 10 g/15 mL", "Miralax 17 g", "Ondansetron ODT {m} #{q}",
        "Zofran {m} #{q}", "Medrol Dosepak", "Prednisone {m} #{q}", "Theramine #{q}",
        "Sentra PM #{q}", "Vitamin D 50,000 IU #{q}", "Fioricet #{q}", "Imitrex {m} #{q}",
        "Lunesta {m} #{q}", "Wellbutrin XL {m} #{q}", "Cialis {m} #{q}", "Linzess {m} #{q}"],
    "epidural-injection": [
        "lumbar epidural steroid injection|lumbar", "LESI|lumbar", "LESI L4-5|lumbar",
        "TFESI", "transforaminal epidural steroid injection",
        "cervical epidural steroid injection|cervical", "CESI C6-7|cervical", "CESI|cervical",
        "caudal epidural steroid injection|lumbar", "interlaminar epidural steroid injection",
        "ESI", "epidural steroid injection", "Bilateral TFESI", "translaminar ESI"],
    "facet-mbb": [
        "medial branch block", "Diagnostic medial branch blocks under fluoroscopic guidance",
        "MBB", "facet joint injection", "lumbar facet injections|lumbar",
        "radiofrequency ablation", "RFA", "radiofrequency neurotomy", "rhizotomy",
        "cervical facet joint block|cervical", "facet nerve block"],
    "trigger-point-injection": [
        "trigger point injections", "Trigger point injections x 4", "TPI x 3",
        "trigger point injection with lidocaine"],
    "injection-other": [
        "cortisone injection", "intra-articular steroid injection", "Synvisc-One injection",
        "Orthovisc injections x 3", "hyaluronic acid injection", "PRP injection",
        "subacromial injection|shoulder",
        "occipital nerve block|head", "stellate ganglion block", "Botox injections",
        "Depo-Medrol injection", "platelet rich plasma injection"],
    "physical-therapy": [
        "physical therapy", "PT", "aquatic therapy", "pool therapy", "post-operative physical "
        "therapy", "physiotherapy", "Aqua therapy", "physical therapy re-evaluation",
        "land-based physical therapy", "Physcial therapy", "Post-op PT"],
    "chiropractic": [
        "chiropractic treatment", "chiropractic manipulation", "chiropractic care",
        "chiropractic therapy", "OMT", "osteopathic manipulative treatment", "chiropratic sessions",
        "manipulation therapy"],
    "acupuncture": [
        "acupuncture", "electro-acupuncture", "acupuncture with electrical stimulation",
        "accupuncture", "additional acupuncture", "acupuncture treatment"],
    "surgery": [
        "arthroscopy with subacromial decompression of the {S} shoulder|shoulder",
        "L4-L5 laminectomy and discectomy|lumbar", "ACDF C5-6|cervical",
        "anterior cervical discectomy and fusion at C5-C6 and C6-C7|cervical",
        "CTR|wrist-hand", "carpal tunnel release|wrist-hand",
        "{S} knee arthroscopy with partial medial meniscectomy|knee",
        "total knee arthroplasty|knee", "lumbar fusion at L5-S1|lumbar", "microdiscectomy",
        "trigger finger release|wrist-hand", "rotator cuff repair|shoulder",
        "De Quervain's release|wrist-hand", "cubital tunnel release|elbow",
        "lateral epicondylar release|elbow", "hip arthroscopy|hip", "bunionectomy|ankle-foot",
        "plantar fascia release|ankle-foot",
        "open reduction internal fixation", "revision surgery", "posterior lumbar interbody "
        "fusion L4-5|lumbar", "ulnar nerve transposition|elbow"],
    "mri": [
        "MRI", "MRI without contrast", "magnetic resonance imaging", "MR arthrogram",
        "repeat MRI", "open MRI", "3T MRI"],
    "imaging-other": [
        "x-rays", "X-ray", "CT scan", "CT", "bone scan~", "flexion/extension "
        "radiographs", "CT myelogram", "diagnostic ultrasound", "three-view radiographs"],
    "emg-ncv": [
        "EMG/NCV", "EMG/NCS of the bilateral upper extremities~",
        "NCV of the bilateral lower extremities~", "electromyography", "nerve conduction studies",
        "EMG", "NCS", "electrodiagnostic studies", "EMG/NCV of the lower extremities~"],
    "lab-drug-screen": [
        "urine drug screen~", "UDS~", "urine toxicology screen~", "random urine drug testing~",
        "quantitative urine drug testing~", "comprehensive metabolic panel~", "CBC~",
        "liver function tests~", "hepatic and renal function panel~", "serum drug levels~"],
    "psych": [
        "psychological evaluation~", "psychotherapy sessions~", "cognitive behavioral therapy~",
        "CBT x 6~", "psychiatric consultation~", "psychological testing~", "psych consult~",
        "individual psychotherapy~", "group psychotherapy~"],
    "home-health": [
        "home health aide~", "home health care~", "home care assistance~", "in-home nursing care~",
        "home health services~"],
    "functional-restoration": [
        "functional restoration program~", "FRP~", "work hardening program~",
        "chronic pain management program~", "interdisciplinary pain rehabilitation program~",
        "work conditioning~"],
    "consultation": [
        "orthopedic consultation", "referral to a pain management specialist~", "neurology "
        "consultation~", "pain management evaluation~", "follow-up visit with the orthopedist~",
        "pre-operative medical clearance~", "internal medicine consultation~",
        "spine surgeon referral", "hand surgeon consultation|wrist-hand", "podiatry consultation"
        "|ankle-foot", "ENT consultation~"],
    "other": [
        "gym membership~", "weight loss program~", "transportation to medical appointments~",
        "medical transportation~", "hot tub~", "pool membership~"],
}

TYPE_WEIGHTS = {
    "opioid": 12, "topical": 8, "medication-other": 8, "physical-therapy": 7, "mri": 6,
    "nsaid": 5, "muscle-relaxant": 5, "cold-heat-device": 5, "tens-estim": 4, "surgery": 4,
    "epidural-injection": 4, "dme-other": 4, "acupuncture": 3, "chiropractic": 3,
    "facet-mbb": 3, "emg-ncv": 3, "lab-drug-screen": 3, "consultation": 3, "psych": 2,
    "imaging-other": 2, "injection-other": 2, "trigger-point-injection": 2, "traction": 1.5,
    "home-health": 1, "functional-restoration": 1.5, "other": 1.5}

MEDS = ("opioid", "nsaid", "muscle-relaxant", "topical", "medication-other")

# Types whose item may name a region and how often.
TAKES_REGION = {
    "cold-heat-device": 0.45, "tens-estim": 0.3, "traction": 0.3, "dme-other": 0.2,
    "topical": 0.1, "epidural-injection": 0.4, "facet-mbb": 0.6, "trigger-point-injection": 0.4,
    "injection-other": 0.6, "physical-therapy": 0.6, "chiropractic": 0.5, "acupuncture": 0.5,
    "surgery": 0.1, "mri": 0.9, "imaging-other": 0.85, "emg-ncv": 0.3, "consultation": 0.2}

# Spinal levels, written the ways letters write them.
CERV = ["C3-4", "C4-5", "C5-6", "C6-7", "C4-C5", "C5-C6", "C6-C7", "C5/6", "C5-C7"]
THOR = ["T7-8", "T8-T9", "T11-12"]
LUMB = ["L3-4", "L4-5", "L5-S1", "L3-L4", "L4-L5", "L4/5", "L5/S1", "L4-S1"]

DOSES = ["10/325mg", "10/325 mg", "7.5/325mg", "5/325", "10/300mg", "10mg/325mg"]
MGS = ["5 mg", "7.5mg", "10mg", "15 mg", "20mg", "25 mg", "50mg", "100 mg", "150mg", "200 mg",
       "300mg", "500 mg", "550mg", "600 mg", "750mg", "800 mg"]
DOSE_OF = {
    "oxycodone": ["5mg", "10 mg", "15mg", "30 mg"], "oxycontin": ["10mg", "20 mg", "40mg"],
    "tramadol": ["50mg", "50 mg", "100mg", "150 mg", "200mg"], "ultram": ["50mg", "50 mg"],
    "nucynta": ["50mg", "75 mg", "100mg"], "tapentadol": ["100mg", "150 mg"],
    "ms": ["15mg", "30 mg", "60mg"], "morphine": ["15mg", "30 mg"], "dilaudid": ["2mg", "4 mg"],
    "hydromorphone": ["2mg", "4 mg", "8mg"], "opana": ["10mg", "20 mg"],
    "oxymorphone": ["5mg", "10 mg"], "methadone": ["5mg", "10 mg"], "kadian": ["20mg", "30 mg"],
    "exalgo": ["8mg", "16 mg"], "naproxen": ["500mg", "550 mg", "375mg"],
    "naprosyn": ["500mg", "375 mg"], "ibuprofen": ["600mg", "800 mg"], "motrin": ["800mg"],
    "celebrex": ["100mg", "200 mg"], "celecoxib": ["200mg"], "meloxicam": ["7.5mg", "15 mg"],
    "mobic": ["7.5 mg", "15mg"], "diclofenac": ["75mg", "100 mg"], "voltaren": ["100mg"],
    "etodolac": ["400mg", "500 mg"], "nabumetone": ["500mg", "750 mg"],
    "relafen": ["500mg", "750mg"], "daypro": ["600mg"], "oxaprozin": ["600 mg"],
    "indomethacin": ["25mg", "50 mg"], "cyclobenzaprine": ["5mg", "7.5mg", "10 mg"],
    "flexeril": ["5mg", "10 mg"], "fexmid": ["7.5mg"], "soma": ["350mg", "350 mg"],
    "carisoprodol": ["350mg"], "tizanidine": ["2mg", "4 mg"], "zanaflex": ["4mg", "4 mg"],
    "methocarbamol": ["500mg", "750 mg"], "robaxin": ["500mg", "750mg"],
    "baclofen": ["10mg", "20 mg"], "metaxalone": ["800mg"], "skelaxin": ["800 mg"],
    "orphenadrine": ["100mg"], "norflex": ["100 mg"], "amrix": ["15mg", "30 mg"],
    "omeprazole": ["20mg", "20 mg", "40mg"], "prilosec": ["20mg", "20 mg"],
    "pantoprazole": ["20mg", "40 mg"], "protonix": ["40mg"], "ranitidine": ["150mg", "150 mg"],
    "gabapentin": ["300mg", "600 mg", "800mg"], "neurontin": ["300mg", "600 mg"],
    "lyrica": ["50mg", "75 mg", "150mg"], "pregabalin": ["75mg", "150 mg"],
    "cymbalta": ["30mg", "60 mg"], "duloxetine": ["30mg", "60 mg"],
    "amitriptyline": ["10mg", "25 mg"], "trazodone": ["50mg", "100 mg"],
    "ambien": ["5mg", "10 mg"], "zolpidem": ["5mg", "10 mg", "12.5mg"],
    "topamax": ["25mg", "50 mg"], "colace": ["100mg", "100 mg"], "docusate": ["100mg", "250 mg"],
    "senna": ["8.6mg", "8.6 mg"], "ondansetron": ["4mg", "8 mg"], "zofran": ["4mg", "8 mg"],
    "prednisone": ["10mg", "20 mg"], "imitrex": ["50mg", "100 mg"], "lunesta": ["2mg", "3 mg"],
    "wellbutrin": ["150mg", "300 mg"], "cialis": ["5mg", "20 mg"], "linzess": ["145mcg"]}
GRAMS = ["180gm", "120 grams", "240g", "180 gm", "30 g tube", "#1 tube", "120ml"]
QTYS = ["30", "60", "90", "120", "180", "20", "45", "240"]

# ---------------------------------------------------------------------------------------------
# Guideline citations: each part knows the sources a careful reader sees in it.

MTUS_PARTS = [  # mtus only
    "MTUS Chronic Pain Medical Treatment Guidelines, page {p}",
    "CA MTUS 2009 Chronic Pain Medical Treatment Guidelines, pages {p}-{p2}",
    "California Medical Treatment Utilization Schedule (MTUS), Chronic Pain Medical Treatment "
    "Guidelines, {topic}, pages {p}-{p2}",
    "MTUS Chronic Pain Guidelines (2009), {topic}",
    "Chronic Pain Medical Treatment Guidelines (May 2009), {topic}, page {p}",
    "MTUS Postsurgical Treatment Guidelines, {topic}",
    "MTUS (Effective July 18, 2009), Page(s): {p}"]
MTUS_ACOEM_PARTS = [  # mtus + acoem
    "MTUS ACOEM Chapter {ch} {chname} Page(s): {p}",
    "ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {ch}, {chname}, page {p}, which is "
    "part of the MTUS",
    "CA MTUS/ACOEM Chapter {ch}, {chname}, pages {p}-{p2}",
    "American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, 2004, "
    "Chapter {ch}, {chname}, as adopted by the MTUS",
    "MTUS: ACOEM, {chname}, Table {ch}-5"]
ACOEM_PARTS = [  # acoem only (not adopted in the MTUS)
    "ACOEM Occupational Medicine Practice Guidelines, 3rd Edition, {chname}",
    "ACOEM Guidelines, 3rd Ed., {chname}, Recommendation: {topic}",
    "American College of Occupational and Environmental Medicine (ACOEM) Practice Guidelines, "
    "3rd Edition (2011), {chname}"]
ODG_PARTS = [
    "Official Disability Guidelines (ODG), {odgch}, {topic}",
    "ODG-TWC {odgch} Procedure Summary",
    "Official Disability Guidelines, Treatment in Workers' Compensation, {year}, {odgch}, "
    "{topic}",
    "Work Loss Data Institute, Official Disability Guidelines, {odgch}",
    "ODG {odgch} chapter, {topic}",
    "OFFICIAL DISABILITY GUIDELINES, {odgch}"]
AETNA_PARTS = [
    "Aetna Clinical Policy Bulletin: {topic} (Number 0{p})",
    "AETNA Clinical Policy Bulletin, {topic}",
    "Aetna CPB #0{p}, {topic}"]
OTHER_PARTS = [
    "Hayes Medical Technology Directory, {topic}",
    "Blue Cross of California Medical Policy, {topic}",
    "UpToDate, {topic}",
    "Harrison's Principles of Internal Medicine, 18th edition",
    "National Guideline Clearinghouse, {topic}",
    "FDA prescribing information for the requested medication",
    "American Academy of Orthopaedic Surgeons (AAOS) Clinical Practice Guideline, {topic}",
    "Physicians' Desk Reference, 2013 edition",
    "Spine (Phila Pa 1976). 2009 May 1;34(10):1066-77",
    "Anthem Medical Policy, {topic}",
    "Medscape Reference, {topic}"]

ACOEM_CHAPTERS = [("8", "Neck and Upper Back Complaints"), ("9", "Shoulder Complaints"),
                  ("10", "Elbow Disorders"), ("11", "Forearm, Wrist, and Hand Complaints"),
                  ("12", "Low Back Complaints"), ("13", "Knee Complaints"),
                  ("14", "Ankle and Foot Complaints"), ("6", "Pain, Suffering and the "
                  "Restoration of Function"), ("7", "Independent Medical Examinations and "
                  "Consultations")]
ODG_CHAPTERS = ["Knee & Leg (Acute & Chronic)", "Low Back - Lumbar & Thoracic (Acute & Chronic)",
                "Neck and Upper Back (Acute & Chronic)", "Shoulder (Acute & Chronic)",
                "Pain (Chronic)", "Forearm, Wrist, & Hand", "Ankle & Foot", "Hip & Pelvis",
                "Head", "Mental Illness & Stress", "Elbow (Acute & Chronic)"]
TOPICS = ["Continuous-flow cryotherapy", "Opioids, criteria for use", "Topical Analgesics",
          "Urine drug testing", "Muscle relaxants (for pain)", "Physical Medicine",
          "Epidural steroid injections (ESIs)", "Facet joint diagnostic blocks",
          "Durable medical equipment (DME)", "Transcutaneous electrotherapy", "NSAIDs",
          "Proton pump inhibitors", "Acupuncture Medical Treatment Guidelines",
          "Manual therapy & manipulation", "Magnetic resonance imaging (MRI)", "Office visits",
          "Functional restoration programs (FRPs)", "Home health services",
          "Cold/heat packs", "Insomnia treatment", "Psychological treatment", "Traction"]


def fill_cite(rng, tmpl):
    """Fills a citation template's slots."""
    ch, chname = rng.choice(ACOEM_CHAPTERS)
    p = rng.randint(40, 300)
    return tmpl.format(p=p, p2=p + rng.randint(1, 20), topic=rng.choice(TOPICS), ch=ch,
                       chname=chname, odgch=rng.choice(ODG_CHAPTERS),
                       year=rng.choice(["2013", "2014", "2015", "2016"]))


def cite_part(rng, kind):
    """Returns (text, sources) for one cited guideline of KIND."""
    table = {"mtus": (MTUS_PARTS, {"mtus"}), "mtus+acoem": (MTUS_ACOEM_PARTS, {"mtus", "acoem"}),
             "acoem": (ACOEM_PARTS, {"acoem"}), "odg": (ODG_PARTS, {"odg"}),
             "aetna": (AETNA_PARTS, {"aetna"}), "other": (OTHER_PARTS, {"other"})}[kind]
    return fill_cite(rng, rng.choice(table[0])), set(table[1])


def ordered(sources):
    """A source set as a list in the brief's order."""
    return [s for s in vocab.GUIDELINE_SOURCE if s in sources]


def choose_cites(rng):
    """Chooses what a reviewer cites: (mtus parts kinds, non-mtus kinds)."""
    r = rng.random()
    if r < 0.35:
        return [rng.choice(["mtus", "mtus+acoem"])], []
    if r < 0.55:
        return [rng.choice(["mtus", "mtus+acoem"])], [rng.choice(["odg", "odg", "acoem", "other"])]
    if r < 0.85:
        return [], [rng.choice(["odg", "odg", "odg", "aetna", "acoem", "other"])]
    if r < 0.95:
        return [], ["odg", rng.choice(["aetna", "other", "acoem"])]
    return ["mtus"], ["odg", "other"]


def reviewer_paragraph(rng, style):
    """The reviewer's guideline paragraph in one of the brief's phrasings.

    STYLE: 'l1' (layout 1, after `MAXIMUS guideline:`), 'notice' (a layout-2 notice sentence),
    'l3' (layout 3 guidelines section). Returns (text, sources)."""
    if rng.random() < 0.012:
        text = rng.choice([
            "The Expert Reviewer did not cite any medical evidence for his/her decision.",
            "The Expert Reviewer did not cite any guidelines or medical evidence for the decision."])
        return text, {"none"}
    mt, non = choose_cites(rng)
    mparts = [cite_part(rng, k) for k in mt]
    nparts = [cite_part(rng, k) for k in non]
    src = set()
    for _, s in mparts + nparts:
        src |= s
    mtext = " and ".join(t for t, _ in mparts)
    ntext = "; ".join(t for t, _ in nparts)
    he = rng.choices(["his/her", "his or her", "their", "the"], [70, 10, 10, 10])[0]
    if style == "l1":
        if mparts and nparts:
            forms = ["Decision based on MTUS {m}. Decision based on Non-MTUS Citation {n}.",
                     "Decision based on {m}. Decision based on Non-MTUS Citation {n}.",
                     "The Expert Reviewer based {he} decision on the {m}, and on the {n}, which is "
                     "not part of the MTUS."]
        elif mparts:
            forms = ["Decision based on MTUS {m}.", "Decision based on {m}.",
                     "The Expert Reviewer based {he} decision on the {m}.",
                     "The Expert Reviewer's decision was based on the {m}."]
        else:
            forms = ["The Expert Reviewer did not base their decision on the MTUS. Decision based "
                     "on Non-MTUS Citation {n}.",
                     "The Expert Reviewer did not base their decision on the MTUS. Decision based "
                     "on Non-MTUS Citation Other Medical Treatment Guideline or Medical Evidence: "
                     "{n}.",
                     "Decision based on Non-MTUS Citation {n}.",
                     "The Expert Reviewer based {he} decision on the {n}, which is not part of the "
                     "MTUS.",
                     "The Expert Reviewer found that no section of the MTUS was applicable. Per "
                     "the Strength of Evidence hierarchy established by the California "
                     "Department of Industrial Relations, Division of Workers' Compensation, the "
                     "Expert Reviewer based {he} decision on the {n}.",
                     "The Expert Reviewer did not base his/her decision on the MTUS. The Expert "
                     "Reviewer relied on the {n}."]
    elif style == "notice":
        if mparts and nparts:
            forms = ["The Expert Reviewer based {he} decision on the {m}, which is part of the "
                     "MTUS, and the {n}, which is not part of the MTUS.",
                     "The Expert Reviewer based his/her decision on the {m} and the {n}."]
        elif mparts:
            forms = ["The Expert Reviewer based {he} decision on the {m}, which is part of the "
                     "MTUS.", "The Expert Reviewer based his/her decision on the {m}."]
        else:
            forms = ["The Expert Reviewer found that no section of the MTUS was applicable. Per "
                     "the Strength of Evidence hierarchy established by the California "
                     "Department of Industrial Relations, Division of Workers' Compensation, the "
                     "Expert Reviewer based {he} decision on the {n}.",
                     "The Expert Reviewer based his/her decision on the {n}, which is not part of "
                     "the MTUS.",
                     "The Expert Reviewer based {he} decision on the {n}. The MTUS is silent on "
                     "this request."]
    else:
        if mparts and nparts:
            forms = ["The Expert Reviewer based {he} decision on the {m}, which is part of the "
                     "California Medical Treatment Utilization Schedule (MTUS), and on the {n}.",
                     "The Professional Reviewer relied upon the {m} and the {n}."]
        elif mparts:
            forms = ["The Expert Reviewer based {he} decision on the {m}, which is part of the "
                     "California Medical Treatment Utilization Schedule (MTUS).",
                     "The Professional Reviewer relied upon the {m}. These guidelines address "
                     "the requested treatment directly."]
        else:
            forms = ["The Expert Reviewer did not base {he} decision on the MTUS. The Expert "
                     "Reviewer relied on the {n}.",
                     "The MTUS does not address this request. The Professional Reviewer relied "
                     "upon the {n}, which is not part of the MTUS.",
                     "The Expert Reviewer based {he} decision on the {n}, which is not part of "
                     "the MTUS."]
    return rng.choice(forms).format(m=mtext, n=ntext, he=he).replace("MTUS MTUS", "MTUS") \
        .replace("MTUS CA MTUS", "CA MTUS").replace("MTUS California", "California"), src


def claims_paragraph(rng, style):
    """The claims administrator's guideline paragraph. Returns (text, sources)."""
    if rng.random() < 0.22:
        return rng.choice(["The Claims Administrator did not cite any medical evidence for its "
                           "decision.",
                           "The Claims Administrator did not cite any guidelines or evidence "
                           "for its decision."]), {"none"}
    mt, non = choose_cites(rng)
    parts = [cite_part(rng, k) for k in mt + non]
    src = set()
    for _, s in parts:
        src |= s
    cites = " and ".join(t for t, _ in parts)
    if style == "notice":
        form = "The Claims Administrator based its decision on the {c}."
    elif mt:
        form = rng.choice(["Decision based on MTUS {c}.", "The Claims Administrator based its "
                           "decision on the {c}.", "Decision based on {c}."])
    else:
        form = rng.choice(["The Claims Administrator did not base their decision on the MTUS. "
                           "Decision based on Non-MTUS Citation {c}.",
                           "The Claims Administrator based its decision on the Non-MTUS {c}."])
    return form.format(c=cites).replace("MTUS MTUS", "MTUS").replace("MTUS CA MTUS", "CA MTUS") \
        .replace("MTUS California", "California"), src


# ---------------------------------------------------------------------------------------------
# Decisions: how rationales conclude (the item's name is {I}).

UPHELD_ENDS = [
    "Therefore, the request for {I} is not medically necessary.",
    "As such, the request for {I} was not medically necessary.",
    "The request for {I} is not medically necessary and appropriate.",
    "Therefore, {I} is not medically necessary.",
    "The requested {I} is therefore not supported.",
    "Accordingly, the request for {I} is not recommended.",
    "Therefore, the request for {I} is non-certified.",
    "The request for {I} is not certified.",
    "Medical necessity for the requested {I} has not been established.",
    "Recommendation is for denial.",
    "Consequently, {I} cannot be recommended as medically necessary.",
    "The request is not medically necessary.",
    "In light of the above, the {I} is not warranted and is not medically necessary.",
    "Based on the guidelines and the medical records, the request for {I} is not medically "
    "necessary at this time."]
OVERTURNED_ENDS = [
    "Therefore, the request for {I} is medically necessary.",
    "The request for {I} is medically necessary and appropriate.",
    "As such, the request for {I} was medically necessary.",
    "Authorization is recommended.",
    "Therefore, the requested {I} is certified.",
    "The request for {I} is certified.",
    "Medical necessity for the requested {I} has been established.",
    "Given the above, {I} is medically necessary.",
    "The request is medically necessary and appropriate.",
    "Therefore, the request for {I} is supported and is medically necessary."]

# Guideline paraphrases: a rationale's own first sentences. {I} is the item; they may name
# regions that are not the patient's (distractors), and always name a guideline.
GUIDE_SENTENCES = [
    ("ODG supports the use of {I} for up to 7 days after {dx} surgery, but not for nonsurgical "
     "use.", True),
    ("According to the MTUS, {I} may be considered when there is documentation of functional "
     "improvement.", False),
    ("CA MTUS and ODG do not specifically address the requested {I}.", False),
    ("The Official Disability Guidelines state that {I} is recommended as an option after {dx} "
     "surgery.", True),
    ("ACOEM guidelines recommend conservative care before {I} is considered for patients with "
     "{dx} complaints.", True),
    ("The MTUS Chronic Pain Medical Treatment Guidelines require ongoing review and "
     "documentation of pain relief, functional status and side effects.", False),
    ("Guidelines state that the use of {I} should be part of an active treatment program.",
     False),
    ("MTUS is silent on this request, and ODG was consulted.", False),
    ("Per the ODG, {I} is not recommended for chronic {dx} pain without a clear rationale.",
     True),
    ("AETNA considers {I} experimental and investigational for this indication.", False)]

DISTRACTOR = {"shoulder": "shoulder", "knee": "knee", "lumbar": "low back", "cervical": "neck",
              "wrist-hand": "wrist", "hip": "hip", "ankle-foot": "ankle"}

PATIENT_AGAINST = [
    "The medical records submitted for review do not document objective functional improvement "
    "with prior treatment.",
    "There is no documentation of a failed trial of first-line conservative care.",
    "The treating physician has not provided a rationale for this request.",
    "The records indicate that {p} has remained off work.",
    "There is no evidence of a recent reassessment or a defined treatment goal.",
    "The requesting provider did not specify the frequency or duration of use.",
    "{P} has already completed a course of this treatment with no lasting benefit."]
PATIENT_FOR = [
    "The documentation shows that prior treatment provided meaningful relief and improved "
    "function.",
    "The provider documented decreased pain scores and an increased ability to perform "
    "activities of daily living.",
    "A signed pain agreement and consistent prior screening results were documented.",
    "{P} has failed conservative care including medications and a home exercise program.",
    "The treating physician outlined specific goals and a time-limited plan."]

PATIENT_REGION = [
    "In this case, the patient has persistent {r} pain despite conservative care.",
    "The records document ongoing pain and stiffness of {rp}.",
    "The provider requested this treatment for {rp}.",
    "The injured worker has objective findings at {rp} on the most recent examination.",
    "Here, the applicant's complaints involve {rp}.",
    "This was prescribed to address symptoms in {rp}."]

REGION_ADJ = {"cervical": "neck", "thoracic": "mid back", "lumbar": "low back",
              "shoulder": "shoulder", "elbow": "elbow", "wrist-hand": "wrist", "hip": "hip",
              "knee": "knee", "ankle-foot": "ankle", "head": "head"}

# ---------------------------------------------------------------------------------------------
# Dates.

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MON_ABBR = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
            "Nov.", "Dec."]


def fmt_date(rng, d, style=None):
    """A date as letters write it, in STYLE or a random one."""
    style = style if style is not None else rng.choice(
        ["mdY", "mdY", "mdy", "MdY", "MdY", "iso", "abbr", "mdY0", "dMY"])
    if style == "mdY":
        return "%d/%d/%d" % (d.month, d.day, d.year)
    if style == "mdY0":
        return "%02d/%02d/%d" % (d.month, d.day, d.year)
    if style == "mdy":
        return "%d/%d/%02d" % (d.month, d.day, d.year % 100)
    if style == "MdY":
        return "%s %d, %d" % (MONTHS[d.month - 1], d.day, d.year)
    if style == "abbr":
        return "%s %d, %d" % (MON_ABBR[d.month - 1], d.day, d.year)
    if style == "dMY":
        return "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year)
    return d.isoformat()


def cd(rng, ctx, d, style=None):
    """A date of the letter's body, formatted; remembers it as a dated event of the text."""
    ctx["printed"].append(d)
    return fmt_date(rng, d, style)


def add_days(d, n):
    """D plus N days."""
    return d + datetime.timedelta(days=n)


# ---------------------------------------------------------------------------------------------
# Items.

GENERIC = set("""a an the of for to and or with in on at by x as from under per
request requested retrospective prospective purchase rental unit units therapy session sessions
visit visits additional repeat trial supplies dos use used between right left bilateral home
times week weeks day days month months year years one two three four five six eight ten twelve
service services associated surgical outpatient treatment treatments care program evaluation
mg gm ml g tab tabs count""".split())


def words(text):
    """Lower-case words of TEXT (letters and digits)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def key_words(text):
    """Words of an item text that could make another sentence mention it."""
    return {w for w in words(text) if w not in GENERIC and not w[0].isdigit() and len(w) > 1}


def side(rng):
    """A side word, or none."""
    return rng.choice(["right", "left", "bilateral", "", "", "Right", "Left"])


def region_phrase(rng, reg, in_sentence=True):
    """A phrase naming REG (IN_SENTENCE: in lower case)."""
    p = rng.choice(REGION_PHRASES[reg])
    s = side(rng)
    s = s.lower() if in_sentence else s
    p = p.replace("{S}", s).replace("  ", " ").strip()
    return p


def spinal_levels(rng, reg):
    """One or two spinal levels of REG, written in one style."""
    pool = {"cervical": CERV, "thoracic": THOR, "lumbar": LUMB}[reg]
    a = rng.choice(pool)
    if rng.random() < 0.4:
        b = rng.choice(pool)
        if b != a:
            return "%s and %s" % (a, b) if rng.random() < 0.6 else "%s, %s" % (a, b)
    return a


def dose(rng, head):
    """A usual strength for the drug HEAD names, or one of MGS."""
    w = words(head)
    return rng.choice(DOSE_OF.get(w[0], MGS)) if w else rng.choice(MGS)


def make_item(rng, itype, ctx):
    """Builds one item: dict with text (as on the item line), short (as a rationale names it),
    regions (named by the text), itype."""
    raw = rng.choice(HEADS[itype])
    head, _, regs = raw.partition("|")
    fixed = head.endswith("~")
    head = head.rstrip("~")
    regions = set(r for r in regs.split(",") if r)
    head = head.format(d=rng.choice(DOSES), m=dose(rng, head), q=rng.choice(QTYS),
                       g=rng.choice(GRAMS), S=side(rng)).replace("  ", " ").strip()
    short = head
    text = head
    if not fixed and not regions and rng.random() < TAKES_REGION.get(itype, 0.0):
        reg = rng.choice(["lumbar", "lumbar", "lumbar", "cervical", "cervical", "shoulder",
                          "knee", "knee", "wrist-hand", "hip", "ankle-foot", "elbow", "thoracic"])
        if itype in ("epidural-injection", "facet-mbb") and reg not in ("cervical", "thoracic",
                                                                       "lumbar"):
            reg = "lumbar"
        two = None
        if rng.random() < 0.07:
            two = rng.choice([r for r in ("cervical", "lumbar", "shoulder", "knee") if r != reg])
        if reg in ("cervical", "thoracic", "lumbar") and itype in ("epidural-injection",
                                                                    "facet-mbb") \
                and rng.random() < 0.7:
            lv = spinal_levels(rng, reg)
            text = rng.choice(["{h} at {lv}", "{lv} {h}", "{h} {lv}", "{h} at the {lv} level",
                               "{h}, {lv}"]).format(h=head, lv=lv)
        else:
            rp = region_phrase(rng, reg, False)
            if two:
                rp = rp + " and " + region_phrase(rng, two, False)
            text = rng.choice(["{h} for {r}", "{h} of {r}", "{h} to {r}", "{h} - {r}",
                               "{h}, {r}", "{r2} {h}"]).format(h=head, r=rp, r2=re.sub(
                                   r"^the ", "", rp, flags=re.I))
            if text.startswith(rp) and not rp[0].isupper():
                text = text[0].upper() + text[1:] if rng.random() < 0.5 else text
        regions = {reg} | ({two} if two else set())
    core = text
    # quantities and prefixes
    if itype in ("physical-therapy", "chiropractic", "acupuncture", "psych") and \
            rng.random() < 0.55:
        n = rng.choice(["6", "8", "12", "18", "24"])
        text = rng.choice(["{n} sessions of {t}", "{t} x {n}", "{t} 2x6", "{t} ({n} visits)",
                           "{t}, {n} sessions", "{t} 3 times a week for 4 weeks",
                           "{t} 2 times 4"]).format(n=n, t=text)
    if itype in ("cold-heat-device", "tens-estim", "dme-other", "traction") and \
            rng.random() < 0.35:
        text = rng.choice(["Purchase of {t}", "Rental of {t} for 30 days", "{t} (purchase)",
                           "{t} rental x 30 days", "DME: {t}", "30 day rental of {t}"]).format(t=text)
    r = rng.random()
    if r < 0.12:
        text = "Retrospective request for " + text
    elif r < 0.18:
        text = ("Prospective request for " if text[:1].isdigit() else
                "Prospective request for 1 ") + text
    elif r < 0.22 and itype in ("cold-heat-device", "physical-therapy", "dme-other",
                                 "consultation", "lab-drug-screen", "other"):
        text = "Associated surgical service: " + text if not text.startswith("Associated") \
            else text
    elif r < 0.25:
        text = "Request for " + text
    elif r < 0.28:
        text = "RETRO: " + text
    if ctx is not None and rng.random() < 0.12:
        b = ctx["events_last"]
        a = add_days(b, -rng.randint(20, 90))
        text += rng.choice([" between %s and %s" % (cd(rng, ctx, a, "mdY"), cd(rng, ctx, b, "mdY")),
                            " (DOS: %s)" % cd(rng, ctx, b, "mdy"),
                            (" dispensed on %s" if itype in MEDS else " on %s") % cd(
                                rng, ctx, b, "mdY")])
    return {"text": text, "short": short, "core": core, "regions": regions, "itype": itype}


def casing(rng, text, style):
    """Applies the letter's item casing."""
    if style == "upper":
        return text.upper()
    if style == "title":
        return " ".join(w[:1].upper() + w[1:] if w[:1].isalpha() else w for w in text.split(" "))
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# Sentences: (text, regions, guide, mentions) where mentions is a set of item indexes.

def lower_first(text):
    """TEXT with its first letter in lower case unless it starts an acronym or a name."""
    return text[0].lower() + text[1:] if text.split(" ")[0].lower() in COMMON_FIRST else text


COMMON_FIRST = set("""hot cold cryotherapy continuous ice cold heating infrared transcutaneous
interferential neuromuscular electrical home lumbar over inversion pneumatic hinged knee wrist
front-wheeled single shower tub orthopedic cervical continuous shoulder arm raised custom back
motorized hospital ergonomic thumb compounded capsaicin diagnostic medial facet radiofrequency
rhizotomy trigger intra-articular hyaluronic vitamin subacromial occipital stellate physical
aquatic pool post-operative physiotherapy aqua land-based post-op chiropractic osteopathic
manipulation acupuncture electro-acupuncture accupuncture additional arthroscopy carpal total
microdiscectomy rotator cubital lateral hip bunionectomy plantar spinal open revision posterior
ulnar magnetic repeat x-rays bone ultrasound flexion/extension three-view nerve electromyography
electrodiagnostic urine random quantitative comprehensive liver hepatic serum psychological
psychotherapy cognitive psychiatric psych individual group functional work chronic
interdisciplinary orthopedic referral neurology pain follow-up pre-operative internal spine hand
podiatry sleep dental gym weight transportation inpatient medical pool cortisone platelet
cryo-cuff dvt/cold lidocaine ketoprofen/gabapentin/lidocaine gabapentin flurbiprofen""".split())


def sent(text, regions=(), guide=False, mentions=()):
    """One tagged sentence."""
    return {"t": text, "r": set(regions), "g": guide, "m": set(mentions)}


def rationale(rng, it, pron, upper, reg_choice):
    """The sentences of an item's rationale; the last states the decision."""
    name = lower_first(it["short"]) if not upper else it["short"]
    if rng.random() < 0.3:
        name = it["text"]
    out = []
    op = rng.choice(["Regarding the request for {I}, ", "With regard to {I}, ", "", "", ""])
    g = rng.sample(GUIDE_SENTENCES, rng.randint(1, 3))
    for k, (tmpl, dist) in enumerate(g):
        dx = rng.choice(list(DISTRACTOR)) if dist else ""
        t = tmpl.format(I=name, dx=DISTRACTOR.get(dx, ""))
        if k == 0 and op:
            t = op.format(I=name) + (t[0].lower() + t[1:] if t[1:2].islower() else t)
        out.append(sent(t, (), guide=True))
    for _ in range(rng.randint(1, 2)):
        pool = PATIENT_AGAINST if it["decision"] == "upheld" else PATIENT_FOR
        out.append(sent(rng.choice(pool).format(P=pron[0].upper() + pron[1:], p=pron)))
    for reg in reg_choice:
        rp = region_phrase(rng, reg)
        out.append(sent(rng.choice(PATIENT_REGION).format(r=REGION_ADJ[reg], rp=rp), [reg]))
    rng.shuffle(out[len(g):])
    ends = UPHELD_ENDS if it["decision"] == "upheld" else OVERTURNED_ENDS
    out.append(sent(rng.choice(ends).format(I=name)))
    return out


def layout3_rationale(rng, it, pron, reg_choice):
    """A layout-3 rationale: the decision only in its wording (plain, unambiguous endings)."""
    s = rationale(rng, it, pron, False, reg_choice)
    name = lower_first(it["short"])
    if it["decision"] == "upheld":
        end = rng.choice(["The request for {I} is not medically necessary.",
                          "The {I} was not medically necessary.",
                          "The requested {I} is not supported by the guidelines and is not "
                          "medically necessary.",
                          "The request for {I} is not recommended.",
                          "Therefore, the {I} is not medically necessary."])
    else:
        end = rng.choice(["The request for {I} is medically necessary.",
                          "The requested {I} is certified.",
                          "Authorization is recommended for the {I}.",
                          "The {I} is medically necessary and appropriate.",
                          "The request for {I} was medically necessary."])
    s[-1] = sent(end.format(I=name))
    return s


SUMMARY_OPEN = [
    "The patient is a {age}-year-old {sex} who sustained an industrial injury on {doi}.",
    "This is a {age} year old {sex} with a date of injury of {doi}.",
    "The applicant is a represented {age}-year-old {sex} who has filed a claim for chronic pain "
    "reportedly associated with an industrial injury of {doi}.",
    "The injured worker is a {age} year old {sex} with an industrial injury dated {doi}.",
    "This {age}-year-old {sex} {job} was injured at work on {doi}.",
    "The claimant is a {age} y/o {sex} who reported a cumulative trauma injury through {doi}."]
JOBS = ["warehouse worker", "truck driver", "nurse", "correctional officer", "janitor",
        "office assistant", "carpenter", "cashier", "farm laborer", "teacher"]
SUMMARY_MISC = [
    "Treatment to date has included medications, rest and activity modification.",
    "{P} has been temporarily totally disabled since {d}.",
    "The claims administrator referenced a progress note of {d} in its determination.",
    "The applicant's attorney subsequently appealed.",
    "{P} is currently not working.",
    "A progress report dated {d} noted no change in symptoms.",
    "{P} denies any new injury.",
    "Past medical history is significant for hypertension and diabetes.",
    "Work status remains modified duty with restrictions.",
    "{P} was seen for follow-up on {d} and reported sleep disturbance.",
    "The treating provider's note of {d} is handwritten and partly illegible."]


def summary(rng, ctx, items):
    """The case summary sentences; items get their mention sentences (and regions)."""
    pron = ctx["pron"]
    out = [sent(rng.choice(SUMMARY_OPEN).format(age=ctx["age"], sex=ctx["sex"],
                                                doi=cd(rng, ctx, ctx["doi"]),
                                                job=rng.choice(JOBS)))]
    kw = set()
    for it in items:
        kw |= key_words(it["text"])
    pool = []
    for reg in ctx["case_regions"]:
        for c in rng.sample(COMPLAINTS[reg], min(2, len(COMPLAINTS[reg]))):
            t = c.format(P=pron.capitalize())
            t = t[0].upper() + t[1:] + "."
            if key_words(t) & kw:
                continue
            pool.append(sent(t, [reg]))
    for m in rng.sample(SUMMARY_MISC, 3):
        d = ctx["events"].pop(0) if ctx["events"] else ctx["ur"]
        t = m.format(P=pron.capitalize(), d=cd(rng, ctx, d))
        if key_words(t) & kw:
            continue
        pool.append(sent(t))
    rng.shuffle(pool)
    out += pool
    # mentions of the items: the request, and sometimes where it is for
    for i, it in enumerate(items):
        if it["sum_regions"]:
            rp = " and ".join(region_phrase(rng, r) for r in sorted(it["sum_regions"]))
            t = rng.choice(["On {d}, the treating physician requested {I} for {rp}.",
                            "The provider sought authorization for {I} for ongoing complaints "
                            "involving {rp}.",
                            "{I} was recommended on {d} to address {rp}."])
            t = t.format(d=cd(rng, ctx, ctx["events_last"]), I=it["short"].lower()
                         if rng.random() < 0.6 else it["short"], rp=rp)
            out.append(sent(t[0].upper() + t[1:], it["sum_regions"], mentions=[i]))
    ur = cd(rng, ctx, ctx["ur"])
    if items and all(not it["regions"] for it in items) and len(items) > 1:
        t = rng.choice(["Utilization review dated {d} non-certified the requests for {L}.",
                        "On {d}, Utilization Review denied {L}.",
                        "A utilization review determination dated {d} recommends non-certification "
                        "of {L}."]).format(d=ur, L=", ".join(it["short"] for it in items[:-1]) +
                                           " and " + items[-1]["short"])
        out.append(sent(t, mentions=range(len(items))))
    else:
        for i, it in enumerate(items):
            t = rng.choice(["Utilization review dated {d} non-certified the request for {I}.",
                            "In a Utilization Review report dated {d}, the claims administrator "
                            "failed to approve a request for {I}.",
                            "On {d} Utilization Review modified or denied the request for {I}.",
                            "The request for {I} was denied by utilization review on {d}."])
            t = t.format(d=ur, I=it["core"])
            out.append(sent(t, it["regions"], mentions=[i]))
    if rng.random() < 0.3:
        out.append(sent("The reasons for denial were not made available."))
    return out


# ---------------------------------------------------------------------------------------------
# Text blocks and rendering.

class Doc:
    """A letter as a list of blocks: ('p', text) a paragraph, ('h', text) a heading line,
    ('l', text) a line kept as it is, ('mark', key) a position to remember."""

    def __init__(self):
        self.blocks = []

    def p(self, text):
        """Adds a paragraph."""
        self.blocks.append(("p", text))

    def h(self, text):
        """Adds a heading line."""
        self.blocks.append(("h", text))

    def line(self, text):
        """Adds a line kept as it is."""
        self.blocks.append(("l", text))

    def mark(self, key):
        """Remembers the position after the blocks so far."""
        self.blocks.append(("mark", key))


def join_sents(sents, sep):
    """Joins sentence dicts into a paragraph."""
    return sep.join(s["t"] for s in sents)


LIGATURE_WORDS = re.compile(r"fi")


def wrap(rng, text, width, hyphenate, stats):
    """Wraps TEXT into lines of about WIDTH columns; sometimes breaks a long word with a hyphen."""
    lines, cur = [], ""
    for w in text.split(" "):
        if not w:
            cur += " "
            continue
        if cur and len(cur) + 1 + len(w) > width:
            if hyphenate and len(w) >= 9 and w.isalpha() and w.islower() and \
                    rng.random() < 0.25 and len(cur) + 6 < width:
                k = rng.randint(3, len(w) - 4)
                lines.append(cur + " " + w[:k] + "-")
                cur = w[k:]
                stats.add("hyphen")
                continue
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        lines.append(cur)
    return lines


def render(rng, doc, tex):
    """Renders DOC into text; returns (text, marks), marks {key: offset of the end of the last
    written character before the mark}. Renders twice from the same random state, the second
    time knowing the number of pages for the footers."""
    state = rng.getstate()
    text, marks, pages = render_pass(rng, doc, tex, 0)
    rng.setstate(state)
    tex["applied"].discard("footer")
    text, marks, _ = render_pass(rng, doc, tex, pages)
    return text, marks


def render_pass(rng, doc, tex, pages):
    """One rendering pass; returns (text, marks, pages)."""
    width = rng.randint(92, 101)
    out = []
    pos = 0
    end = 0
    marks = {}
    nline = 0
    page_len = rng.randint(22, 28)
    stats = tex["applied"]

    def emit(line):
        nonlocal pos, end, nline
        chunk = line + tex["trail"] + "\n" + ("\n" if tex["double"] else "")
        out.append(chunk)
        if line.strip():
            end = pos + len(line)
        pos += len(chunk)
        nline += 1
        if nline % page_len == 0:
            extra = "\n"
            if tex["footer"]:
                page = nline // page_len
                extra = ("Page %d of %d\n\n" if tex["footer"] == 1 else "%d of %d\n") % (
                    page, pages)
                stats.add("footer")
            out.append(extra)
            pos += len(extra)

    for kind, text in doc.blocks:
        if kind == "mark":
            marks[text] = end
            continue
        if kind == "h":
            if tex["wrapheads"] and len(text) > 30 and rng.random() < 0.4:
                ws = text.split(" ")
                k = len(ws) // 2 + 1
                emit(tex["lead"] + " ".join(ws[:k]))
                emit(" ".join(ws[k:]))
                stats.add("wrapped-heading")
            else:
                emit(tex["lead"] + text)
            continue
        if kind == "l":
            emit(text)
            continue
        for ln in wrap(rng, text, width, tex["hyphen"], stats):
            emit(ln)
        emit(tex["parbreak"])
    return "".join(out), marks, nline // page_len + 1


def texture(rng):
    """Chooses the letter's texture and messiness."""
    tex = {"double": rng.random() < 0.8, "trail": rng.choice([" ", " ", "", "  "]),
           "parbreak": rng.choice([" ", " ", ""]), "footer": 0,
           "hyphen": rng.random() < 0.07, "wrapheads": rng.random() < 0.06, "applied": set(),
           "lead": rng.choice(["", "", " "])}
    if rng.random() < 0.07:
        tex["footer"] = rng.choice([1, 2])
    return tex


def messy_text(rng, text, applied):
    """Applies character-level messiness to the rendered text."""
    if rng.random() < 0.05:
        text2 = text.replace("fi", "\ufb01")
        if text2 != text:
            applied.add("ligature")
            text = text2
    if rng.random() < 0.04:
        text2 = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", text)
        text2 = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text2)
        if text2 != text:
            applied.add("quotes")
            text = text2
    if rng.random() < 0.04:
        chars = list(text)
        for k, c in enumerate(chars):
            if c == " " and 0 < k < len(chars) - 1 and chars[k - 1].isalpha() and \
                    chars[k + 1].isalpha() and rng.random() < 0.04:
                chars[k] = "\u00a0"
        text = "".join(chars)
        applied.add("nbsp")
    return text


def encode(rng, text, enc, applied):
    """Encodes the letter: ENC is utf8, latin1 (all Windows-1252) or mixed (UTF-8 with a
    ligature, and the clinic's name in Windows-1252); CRLF line ends sometimes."""
    if rng.random() < 0.05:
        text = text.replace("\n", "\r\n")
        applied.add("crlf")
    if enc == "latin1":
        applied.discard("ligature")
        applied.add("latin1")
        return text.replace("\ufb01", "fi").encode("cp1252", errors="replace")
    if enc == "mixed" and "Nu\u00f1ez" in text:
        if "\ufb01" not in text:
            text = text.replace("fi", "\ufb01", 3)
        k = text.index("Nu\u00f1ez")
        applied.add("mixed-encoding")
        return text[:k].encode("utf-8") + "Nu\u00f1ez".encode("cp1252") + \
            text[k + 5:].encode("utf-8")
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The letter.

BOILER_1 = (
    "MAXIMUS Federal Services sent the complete case file to {an} {who}. He/she has no "
    "affiliation with the employer, employee, providers or the claims administrator. {board}"
    "He/she has been in active clinical practice for more than five years and is currently "
    "working at least 24 hours a week in active practice. The {who} was selected based on "
    "his/her clinical experience, education, background, and expertise in the same or similar "
    "specialties that evaluate and/or treat the medical condition and disputed items/services. "
    "He/she is familiar with governing laws and regulations, including the strength of evidence "
    "hierarchy that applies to Independent Medical Review determinations.")

SPECIALTIES = ["Orthopedic Surgery", "Orthopaedic Surgery", "Physical Medicine and "
               "Rehabilitation", "Physical Medicine & Rehabilitation", "Anesthesiology",
               "Pain Medicine", "Internal Medicine", "Family Practice", "Occupational Medicine",
               "Preventive Medicine", "Neurology", "Psychiatry", "Psychology", "Chiropractic",
               "Emergency Medicine", "Neurological Surgery", "Rheumatology", "Acupuncture",
               "Itnernal Medicine", "Hand Surgery", "Sports Medicine", "Podiatry"]


def reviewer_block(rng, d, truth):
    """The reviewer's qualifications in the seeds' two forms (or none)."""
    who = rng.choice(["expert reviewer", "physician reviewer", "expert reviewer"])
    r = rng.random()
    spec = rng.choice(SPECIALTIES)
    if r < 0.45:
        sub = rng.random() < 0.25
        board = "The %s is Board Certified in %s%s and is licensed to practice in %s. " % (
            who, spec, ", has a subspecialty in Pain Management" if sub else "",
            rng.choice(["California", "California", "Texas", "Florida"]))
        truth["specialty"] = spec
        d.p(BOILER_1.format(an="an" if who[0] == "e" else "a", who=who, board=board))
    else:
        d.p(BOILER_1.format(an="an" if who[0] == "e" else "a", who=who, board=""))
        if r < 0.88:
            d.line("The Expert Reviewer has the following credentials:")
            d.line("State(s) of Licensure: " + rng.choice(["California", "Texas, New York, "
                                                           "California", "Arizona, California"]))
            if rng.random() < 0.2:
                spec = spec + ", " + rng.choice(["Pain Medicine", "Occupational Medicine"])
                if spec.startswith("Pain Medicine, Pain"):
                    spec = "Anesthesiology, Pain Medicine"
            d.line("Certification(s)/Specialty: " + spec)
            truth["specialty"] = spec
    d.mark("specialty")


def header_block(rng, d, ctx, truth, two_per_line):
    """The layout-1 / classic layout-2 header block."""
    style = rng.choice(["mdY", "mdY0", "iso", "MdY", "mdy"])
    fields = [("Case Number:", ctx["case"]), ("Date Assigned:", fmt_date(rng, ctx["assigned"], style)),
              ("Date of Injury:", fmt_date(rng, ctx["doi"], style)),
              ("Decision Date:", fmt_date(rng, ctx["decision"], style)),
              ("UR Denial Date:", fmt_date(rng, ctx["ur"], style)),
              ("Priority:", rng.choice(["Standard", "Expedited", "STANDARD"])),
              ("Application Received:", fmt_date(rng, ctx["received"], style))]
    if rng.random() < 0.05:
        fields = [f for f in fields if f[0] != "UR Denial Date:"]
    if rng.random() < 0.06:
        fields = [f for f in fields if f[0] != "Decision Date:"]
    truth["case_number"] = ctx["case"]
    truth["injury_date"] = ctx["doi"].isoformat()
    if any(f[0] == "Decision Date:" for f in fields):
        truth["decision_date"] = ctx["decision"].isoformat()
    if any(f[0] == "UR Denial Date:" for f in fields):
        truth["ur_denial_date"] = ctx["ur"].isoformat()
    if two_per_line:
        for k in range(0, len(fields), 2):
            d.line("   ".join("%s %s" % f for f in fields[k:k + 2]))
    else:
        for f in fields:
            d.line("%s %s" % f)
    d.p("")


def place_regions(rng, items, ctx):
    """Decides, per item without a region in its text, the rationale's and summary's regions."""
    for it in items:
        it["rat_regions"] = set()
        it["sum_regions"] = set()
        if it["regions"]:
            if rng.random() < 0.3:  # the rationale repeats the item's own region
                it["rat_regions"] = set(it["regions"]) if len(it["regions"]) == 1 else set()
            continue
        r = rng.random()
        reg = rng.choice(ctx["case_regions"])
        if it["itype"] in ("lab-drug-screen", "psych", "home-health", "functional-restoration",
                           "other") or r < 0.35:
            continue
        if r < 0.65:
            it["rat_regions"] = {reg}
            if rng.random() < 0.08:
                it["rat_regions"].add(rng.choice([x for x in vocab.NAMED_REGIONS
                                                  if x != reg and x != "head"]))
        elif r < 0.9:
            it["sum_regions"] = {reg}
        else:
            it["rat_regions"] = {reg}


def region_of(it):
    """Region slug by the brief's three steps."""
    for regs in (it["regions"], it["rat_regions"], it["sum_regions"]):
        if len(regs) == 1:
            return next(iter(regs))
        if len(regs) > 1:
            return "multiple"
    return "unspecified"


def number(rng, style, i):
    """An item number in STYLE."""
    return {"dot": "%d. " % i, "paren": "%d) " % i, "both": "(%d) " % i, "dash": "%d - " % i,
            "none": ""}[style]


def build_letter(seed, index):
    """Builds letter INDEX of SEED: returns (bytes, truth)."""
    rng = random.Random("variants:%d:%d" % (seed, index))
    name = "var_%07d" % index
    truth = {"letter": name, "path": "letters/%04d/%s.txt" % (index // 1000, name),
             "layout": 1, "case_number": "", "injury_date": "", "ur_denial_date": "",
             "decision_date": "", "specialty": "", "truncated": False, "messy": [],
             "items": [], "dated": "", "year": "", "year_source": "", "variants": []}
    var = []
    r = rng.random()
    layout = 1 if r < 0.56 else 2 if r < 0.64 else "notice" if r < 0.81 else 3 if r < 0.97 else 0
    # dates
    if layout in (1, 0):
        decision = datetime.date(2013, 7, 1) + datetime.timedelta(days=rng.randint(0, 4200))
    elif layout in (2, "notice"):
        decision = datetime.date(2013, 7, 1) + datetime.timedelta(days=rng.randint(0, 540))
    else:
        decision = datetime.date(2013, 3, 1) + datetime.timedelta(days=rng.randint(0, 300))
    received = add_days(decision, -rng.randint(10, 60))
    ur = add_days(received, -rng.randint(5, 40))
    doi = add_days(ur, -rng.randint(200, 3000))
    events = sorted(add_days(doi, rng.randint(30, max(31, (ur - doi).days - 5)))
                    for _ in range(4))
    ctx = {"decision": decision, "received": received, "ur": ur, "doi": doi,
           "assigned": add_days(received, rng.randint(1, 5)),
           "case": "CM%02d-%07d" % (received.year % 100, rng.randint(1, 9999999)),
           "sex": rng.choice(["male", "female"]), "age": rng.randint(24, 68),
           "events": events[:-1], "events_last": events[-1], "printed": []}
    ctx["pron"] = "he" if ctx["sex"] == "male" else "she"
    if rng.random() < 0.3:
        ctx["pron"] = "the patient"
    ctx["case_regions"] = rng.sample(["lumbar", "cervical", "shoulder", "knee", "wrist-hand",
                                      "lumbar", "cervical", "hip", "ankle-foot", "elbow"],
                                     rng.choice([1, 2, 2, 3]))
    ctx["case_regions"] = list(dict.fromkeys(ctx["case_regions"]))
    # items
    if layout == 0:
        items = []
    else:
        n = rng.choices([1, 2, 3, 4, 5], [52, 28, 11, 6, 3])[0]
        types = list(TYPE_WEIGHTS)
        items = []
        seen = set()
        while len(items) < n:
            t = rng.choices(types, [TYPE_WEIGHTS[x] for x in types])[0]
            it = make_item(rng, t, ctx)
            kw = key_words(it["text"]) | key_words(it["short"])
            if kw & seen:  # two items sharing a word would mention each other
                continue
            seen |= kw
            items.append(it)
        for i, it in enumerate(items):
            it["decision"] = "upheld" if rng.random() < 0.87 else "overturned"
            it["idx"] = i
        place_regions(rng, items, ctx)
    case = rng.choices(["as", "upper", "title"], [75, 17, 8])[0]
    if case != "as":
        var.append("item-case-" + case)
    for it in items:
        it["text"] = casing(rng, it["text"], case)
        if case == "upper":
            it["short"] = it["short"]
    sep = rng.choice([" ", "  "])
    runon = rng.random() < 0.06
    d = Doc()
    tex = texture(rng)
    missing = None
    if layout != 0 and rng.random() < 0.06:
        missing = rng.choice(["decisions-heading", "summary-heading", "rationale"]
                             if layout != 3 else ["issue-heading"])
        var.append("missing-" + missing)
    enc = rng.choices(["utf8", "latin1", "mixed"], [94, 3, 3])[0]
    clinic = rng.random() < 0.15 or enc != "utf8"

    def para(sents):
        text = join_sents(sents, sep)
        if runon:
            text = re.sub(r"(?<=[a-z])\. (?=(The|There|A|He|She|In|Treatment|Past|Work) )",
                          lambda m: "." if rng.random() < 0.5 else ". ", text)
            if text != join_sents(sents, sep):
                tex["applied"].add("runon")
        return text

    summ = summary(rng, ctx, items) if layout != 0 else []
    if clinic and summ:
        summ.insert(1, sent("{P} treats at Nu\u00f1ez Medical Group.".format(
            P=ctx["pron"].capitalize())))
    summary_paras = [para(summ[:len(summ) // 2 + 1]), para(summ[len(summ) // 2 + 1:])] \
        if len(summ) > 3 else [para(summ)]

    def year_from(src, y):
        if not truth["year"]:
            truth["year"] = str(y)
            truth["year_source"] = src

    # ----- layouts -----
    if layout == 1 or layout == 2:
        truth["layout"] = layout
        hb = rng.random() < (0.7 if layout == 1 else 1.0)
        if layout == 2:
            d.line("MAXIMUS FEDERAL SERVICES, INC.")
            d.line("Independent Medical Review")
        if hb:
            header_block(rng, d, ctx, truth, two_per_line=rng.random() < 0.3)
            var.append("header-block")
        else:
            var.append("no-header")
            if rng.random() < 0.1:
                d.line(rng.choice(["Case Number: ", "IMR Case Number: ", "Case No.: "]) +
                       ctx["case"])
                d.p("")
                truth["case_number"] = ctx["case"]
                var.append("case-number-only")
        d.h("HOW THE IMR FINAL DETERMINATION WAS MADE")
        reviewer_block(rng, d, truth)
        if layout == 2:
            d.h("DOCUMENTS REVIEWED")
            for k, doc_ in enumerate(documents(rng, ctx), 1):
                d.line("%d. %s" % (k, doc_))
        if missing != "summary-heading":
            d.h("CLINICAL CASE SUMMARY")
        d.p("The expert reviewer developed the following clinical case summary based on a "
            "review of the case file, including all medical records:")
        for sp in summary_paras:
            d.p(sp)
        if missing != "decisions-heading":
            d.h("IMR ISSUES, DECISIONS AND RATIONALES" if layout == 1
                else "IMR DECISION(S) AND RATIONALE(S)")
        d.p("The Final Determination was based on decisions for the disputed items/services set "
            "forth below:")
        numbering = rng.choices(["none", "dot", "paren", "both", "dash"], [70, 14, 8, 4, 4])[0]
        if numbering != "none":
            var.append("numbered-" + numbering)
        miss_rat = rng.randrange(len(items)) if missing == "rationale" else -1
        for i, it in enumerate(items):
            item_line_l1(rng, d, it, i + 1, numbering, var)
            ca_text, ca_src = claims_paragraph(rng, "l1")
            rv_text, rv_src = reviewer_paragraph(rng, "l1")
            if rng.random() < 0.85:
                d.p("Claims Administrator guideline: " + ca_text)
            else:
                d.p(ca_text if ca_text.startswith("The Claims") else
                    "The Claims Administrator based its decision on the " + ca_text.split(
                        "Decision based on ")[-1])
                var.append("ca-sentence")
            lab = rng.random()
            if lab < 0.75 or not rv_text.startswith("The Expert Reviewer"):
                d.p("MAXIMUS guideline: " + rv_text)
            else:
                d.p(rv_text)
                var.append("reviewer-sentence")
            it["src"], it["ca_src"] = rv_src, ca_src
            if i == miss_rat:
                d.mark("item%d" % i)
                continue
            rs = rationale(rng, it, ctx["pron"], case == "upper", sorted(it["rat_regions"]))
            d.p(rng.choice(["Decision rationale: ", "Decision rationale: ",
                            "Rationale for the Decision: "]) + para(rs))
            d.mark("item%d" % i)
        if truth["decision_date"]:
            year_from("decision-date", ctx["decision"].year)
    elif layout == "notice":
        truth["layout"] = 2
        var.append("notice")
        if rng.random() < 0.7:
            d.line("MAXIMUS FEDERAL SERVICES, INC.")
            d.line("Independent Medical Review")
            d.line("P.O. Box 138009")
            d.line("Sacramento, CA 95813-8009")
        d.h("Notice of Independent Medical Review Determination")
        dated = fmt_date(rng, ctx["decision"], rng.choice(["mdY0", "MdY", "mdY"]))
        d.line("Dated: " + dated)
        truth["dated"] = ctx["decision"].isoformat()
        d.p("")
        st = rng.choice(["mdY0", "mdY", "MdY"])
        d.line("Employee:")
        d.line("Claim Number:")
        d.line("IMR Case Number: %s      Date of Injury: %s" % (ctx["case"],
                                                                fmt_date(rng, ctx["doi"], st)))
        d.line("UR Denial Date: %s      Priority: %s" % (fmt_date(rng, ctx["ur"], st),
                                                         rng.choice(["Standard", "Expedited"])))
        d.line("Application Received: %s" % fmt_date(rng, ctx["received"], st))
        truth["case_number"] = ctx["case"]
        truth["injury_date"] = ctx["doi"].isoformat()
        truth["ur_denial_date"] = ctx["ur"].isoformat()
        listed = ", ".join(it["short"].upper() if rng.random() < 0.5 else it["short"]
                           for it in items)
        d.p("Treatment(s) in Dispute Listed on IMR Application: " + listed)
        d.p("Dear  ,")
        d.p("MAXIMUS Federal Services has completed the Independent Medical Review (IMR) of the "
            "above workers' compensation case. This letter provides you with the IMR Final "
            "Determination and explains how the determination was made.")
        decs = {it["decision"] for it in items}
        fd = "UPHOLD" if decs == {"upheld"} else "OVERTURN" if decs == {"overturned"} \
            else "PARTIAL OVERTURN"
        d.p("Final Determination: " + fd)
        d.p({"UPHOLD": "This means we decided that none of the disputed items/services are "
                       "medically necessary and appropriate.",
             "OVERTURN": "This means we decided that all of the disputed items/services are "
                         "medically necessary and appropriate.",
             "PARTIAL OVERTURN": "This means we decided that some of the disputed "
                                 "items/services are medically necessary and appropriate."}[fd] +
            " A detailed explanation of the decision for each of the disputed items/services is "
            "provided later in this letter.")
        d.p("This decision is final and binding on all parties. Sincerely,")
        d.line("Paul Manchester, MD")
        d.line("Chief Medical Officer")
        d.line("Independent Medical Review")
        year_from("dated", ctx["decision"].year)
        d.h("HOW THE IMR FINAL DETERMINATION WAS MADE")
        reviewer_block(rng, d, truth)
        d.h("DOCUMENTS REVIEWED")
        for k, doc_ in enumerate(documents(rng, ctx), 1):
            d.line("%d. %s" % (k, doc_))
        if missing != "summary-heading":
            d.h("CLINICAL CASE SUMMARY")
        for sp in summary_paras:
            d.p(sp)
        if missing != "decisions-heading":
            d.h("IMR DECISION(S) AND RATIONALE(S)")
        miss_rat = rng.randrange(len(items)) if missing == "rationale" else -1
        for i, it in enumerate(items):
            neg = it["decision"] == "upheld"
            verb = rng.choices([
                ("is not medically necessary and appropriate.", "is medically necessary and "
                 "appropriate."),
                ("was not medically necessary and appropriate.", "was medically necessary and "
                 "appropriate."),
                ("is not medically necessary.", "is medically necessary."),
                ("are not medically necessary and appropriate.", "are medically necessary and "
                 "appropriate.")], [70, 10, 12, 8])[0][0 if neg else 1]
            lead = rng.choice(["", "", "", "The request for ", "The "]) \
                if it["text"] == it["core"] else ""
            d.p("%d. %s%s %s" % (i + 1, lead, it["text"], verb))
            ca_text, ca_src = claims_paragraph(rng, "notice")
            rv_text, rv_src = reviewer_paragraph(rng, "notice")
            d.p(ca_text)
            d.p(rv_text)
            it["src"], it["ca_src"] = rv_src, ca_src
            if i != miss_rat:
                rs = rationale(rng, it, ctx["pron"], case == "upper", sorted(it["rat_regions"]))
                if rng.random() < 0.5:
                    d.line("Rationale for the Decision:")
                    d.p(para(rs))
                else:
                    d.p("Rationale for the Decision: " + para(rs))
            d.mark("item%d" % i)
    elif layout == 3:
        truth["layout"] = 3
        d.line("MEDICAL PROFESSIONAL REVIEW")
        if rng.random() < 0.6:
            st = rng.choice(["mdY", "mdY0", "MdY"])
            d.line("IMR Case Number: " + ctx["case"])
            d.line("Date of Injury: " + fmt_date(rng, ctx["doi"], st))
            d.line("UR Denial Date: " + fmt_date(rng, ctx["ur"], st))
            d.line("Decision Date: " + fmt_date(rng, ctx["decision"], st))
            truth.update(case_number=ctx["case"], injury_date=ctx["doi"].isoformat(),
                         ur_denial_date=ctx["ur"].isoformat(),
                         decision_date=ctx["decision"].isoformat())
            year_from("decision-date", ctx["decision"].year)
            var.append("header-block")
            d.p("")
        numbered = len(items) > 1 and rng.random() < 0.6
        if missing != "issue-heading":
            if len(items) == 1 and rng.random() < 0.5:
                d.line("ISSUE AT DISPUTE: " + items[0]["text"])
            else:
                d.h("ISSUE AT DISPUTE:")
                for i, it in enumerate(items):
                    d.line(("%d. " % (i + 1) if numbered else "") + it["text"])
        else:
            for i, it in enumerate(items):
                d.line(("%d. " % (i + 1) if numbered else "") + it["text"])
            d.p("")
        if len(items) > 1:
            var.append("l3-multi")
        d.h("CASE SUMMARY:")
        for sp in summary_paras:
            d.p(sp)
        d.h("DOCUMENTS REVIEWED FOR DETERMINATION:")
        for doc_ in documents(rng, ctx):
            d.line("- " + doc_)
        d.h("MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:")
        intro = rng.choice(["For the {I}: ", "Regarding {I}: ", "{I}: ", ""])
        for it in items:
            rv_text, rv_src = reviewer_paragraph(rng, "l3")
            it["src"], it["ca_src"] = rv_src, set()
            lead = intro.format(I=it["short"].lower()) if len(items) > 1 else ""
            d.p(lead + rv_text)
        d.h("RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:")
        for i, it in enumerate(items):
            rs = layout3_rationale(rng, it, ctx["pron"], sorted(it["rat_regions"]))
            lead = intro.format(I=it["short"].lower()) if len(items) > 1 else ""
            d.p(lead + para(rs))
            d.mark("item%d" % i)
        d.h("MEDICAL REVIEWER QUALIFICATIONS:")
        spec = rng.choice(SPECIALTIES)
        d.p("The physician reviewer is Board Certified in %s and is licensed to practice in "
            "California. He/she has been in active clinical practice for more than five years "
            "and is currently working at least 24 hours a week in active practice." % spec)
        truth["specialty"] = spec
        d.mark("specialty")
    else:
        truth["layout"] = 0
        var.append("unknown-layout")
        unknown_letter(rng, d, ctx)
    if truth["case_number"]:
        year_from("case-number", 2000 + int(ctx["case"][2:4]))
    if ctx["printed"]:
        year_from("events", max(ctx["printed"]).year)
    if clinic and layout == 0:
        d.p("Copies were sent to Nu\u00f1ez Medical Group.")
    # ----- render -----
    text, marks = render(rng, d, tex)
    applied = tex["applied"]
    text = messy_text(rng, text, applied)
    cut = None
    if rng.random() < 0.035 and layout != 0:
        cut = int(len(text) * rng.uniform(0.35, 0.92))
        text = text[:cut]
        truth["truncated"] = True
        applied.add("truncated")
    data = encode(rng, text, enc, applied)
    # ----- truth -----
    for it in items:
        kw = key_words(it["text"]) | key_words(it["short"])
        it["sum_regions"] = set()
        for i_s in summ:
            if it["idx"] in i_s["m"] or key_words(i_s["t"]) & kw:
                it["sum_regions"] |= i_s["r"]
    for i, it in enumerate(items):
        if cut is not None and marks.get("item%d" % i, 0) > cut:
            continue
        truth["items"].append({
            "text": clean_item_text(it["text"]), "decision": it["decision"],
            "item_type": it["itype"], "body_region": region_of(it),
            "guideline_source": ordered(it["src"]), "ca_guideline_source": ordered(it["ca_src"])})
    if cut is not None and marks.get("specialty", 0) > cut:
        truth["specialty"] = ""
    order = ["crlf", "footer", "hyphen", "ligature", "quotes", "nbsp", "runon", "latin1",
             "mixed-encoding", "truncated"]
    truth["messy"] = [m for m in order if m in applied]
    truth["variants"] = var + (["wrapped-heading"] if "wrapped-heading" in applied else []) + \
        ([] if tex["double"] else ["single-spaced"])
    return data, truth


def clean_item_text(text):
    """The truth text of an item."""
    return text.strip()


def item_line_l1(rng, d, it, i, numbering, var):
    """Writes a layout-1 item line: `TEXT: Upheld` in its variants."""
    word = "Upheld" if it["decision"] == "upheld" else "Overturned"
    r = rng.random()
    if r < 0.12:
        word = word.upper()
    elif r < 0.14:
        word = word.lower()
    num = number(rng, numbering, i)
    gap = rng.choice([" ", "  ", " ", "   "])
    r = rng.random()
    if r < 0.04:
        d.line(num + it["text"])  # no decision on the item line: the rationale states it
        var.append("item-no-decision")
    elif r < 0.10:
        d.line(num + it["text"] + ":")
        d.line(word)
        var.append("decision-next-line")
    elif r < 0.13:
        d.line(num + it["text"] + ":" + gap + word + ".")
    else:
        d.line(num + it["text"] + ":" + gap + word)
    d.p("")


def documents(rng, ctx):
    """The documents-reviewed list."""
    docs = ["Application of Independent Medical Review dated %s" % cd(rng, ctx, ctx["received"]),
            "Utilization Review Determination dated %s" % cd(rng, ctx, ctx["ur"]),
            "Medical records from %s" % rng.choice(["the treating physician", "the claims "
                                                    "administrator", "the employee's attorney"]),
            "Progress reports dated %s through %s" % (cd(rng, ctx, ctx["doi"]),
                                                      cd(rng, ctx, ctx["events_last"])),
            "Employee medical records from the provider"]
    return docs[:rng.randint(3, 5)]


def unknown_letter(rng, d, ctx):
    """A letter of no known layout: an eligibility notice or a withdrawal."""
    kind = rng.choice(["ineligible", "withdrawn", "ur"])
    if kind == "ineligible":
        d.h("NOTICE OF INELIGIBILITY FOR INDEPENDENT REVIEW")
        d.p("Your application for review received on %s could not be accepted. The utilization "
            "review decision was issued on %s, and the application was received after the "
            "deadline." % (cd(rng, ctx, ctx["received"]), cd(rng, ctx, ctx["ur"])))
    elif kind == "withdrawn":
        d.h("Withdrawal of Application")
        d.p("The application for review submitted on %s has been withdrawn at the request of "
            "the employee. No determination will be issued." % cd(rng, ctx, ctx["received"]))
    else:
        d.h("UTILIZATION REVIEW NOTICE")
        d.p("A physician advisor reviewed the request submitted on %s. Please contact the "
            "claims adjuster with any questions about this notice." % cd(rng, ctx, ctx["ur"]))
    d.p("Progress notes through %s were received." % cd(rng, ctx, ctx["events_last"]))


# ---------------------------------------------------------------------------------------------

def run(count, seed, out, jobs):
    """Writes the corpus and prints its one-line summary to stderr."""
    t0 = time.time()
    total = shards.write_corpus(build_letter, count, seed, out, jobs)
    dt = time.time() - t0
    print("variants.py: %d letters, %.1f MB, %.1f s (%.0f letters/s)" % (
        count, total / 1e6, dt, count / dt if dt else 0), file=sys.stderr)


def main(argv=None):
    """Command line entry point (also generate.py --variants)."""
    a = shards.parse(shards.arguments("Generate IMR letters in real letters' variants and their "
                                      "truth."), argv)
    run(a.count, a.seed, a.out, a.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
