/*
 * test_items.c - items and decisions (indexer/items.c): item lines plain, numbered, upper
 * case and wrapped; the labelled paragraphs; items without decision; layout 3 wording.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"

static char buf[1024];

static const char *span(const char *text, imr_span_t s)
{
    snprintf(buf, sizeof buf, "%.*s", (int)s.len, text + s.off);
    return buf;
}

static imr__doc_t doc;
static imr_item_t *items;
static size_t n;
static char problem[160];
static int truncated;

/* Parses a whole text as a decisions section. */
static void parse(const char *t)
{
    free(items);
    imr__doc_free(&doc);
    CHECK_INT(imr__doc_init(&doc, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_parse(&doc, (imr_span_t){0, (uint32_t)strlen(t)}, &items, &n, problem,
                               sizeof problem, &truncated, NULL),
              IMR_OK);
}

/* Parses a layout-3 text as its three sections: the items up to two characters before the
 * text at guide, the guidelines from there up to two characters before the text at rat, the
 * rationale from there to the last character but the final newline. */
static void layout3(const char *t, const char *guide, const char *rat)
{
    const char *g = strstr(t, guide), *r = strstr(t, rat);
    free(items);
    items = NULL;
    imr__doc_free(&doc);
    CHECK_INT(imr__doc_init(&doc, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_layout3(&doc, (imr_span_t){0, (uint32_t)(g - t - 2)},
                                 (imr_span_t){(uint32_t)(g - t), (uint32_t)(r - g - 2)},
                                 (imr_span_t){(uint32_t)(r - t), (uint32_t)strlen(r) - 1}, &items,
                                 &n, NULL),
              IMR_OK);
}

static void test_plain(void)
{
    const char *t =
        "The Final Determination was based on decisions for the disputed items/services set forth below:\n\n"
        "Hot/Cold unit for the lumbar spine: Upheld\n\n"
        "Claims Administrator guideline: The Claims Administrator did not base their decision on the\n"
        "MTUS. Decision based on Non-MTUS Citation ODG.\n\n"
        "MAXIMUS guideline: Decision based on MTUS ACOEM Chapter 12.\n\n"
        "Decision rationale: The request is not medically necessary.\n\n"
        "Diagnostic Bilateral L4-L5 and L5-S1 Medial Branch Blocks under Fluoroscopic\n"
        "Guidance:  Overturned\n\n"
        "Claims Administrator guideline: None.\n\n"
        "MAXIMUS guideline: ODG.\n\n"
        "Decision rationale: First paragraph.\n\nSecond paragraph.\n";
    parse(t);
    CHECK_INT(n, 2);
    CHECK_STR(span(t, items[0].text), "Hot/Cold unit for the lumbar spine");
    CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);
    CHECK_STR(span(t, items[0].ca_guideline),
              "The Claims Administrator did not base their decision on the\nMTUS. Decision based "
              "on Non-MTUS Citation ODG.");
    CHECK_STR(span(t, items[0].guideline), "Decision based on MTUS ACOEM Chapter 12.");
    CHECK_STR(span(t, items[0].rationale), "The request is not medically necessary.");
    CHECK_STR(span(t, items[1].text), "Diagnostic Bilateral L4-L5 and L5-S1 Medial Branch Blocks "
                                      "under Fluoroscopic\nGuidance");
    CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    CHECK_STR(span(t, items[1].rationale), "First paragraph.\n\nSecond paragraph.");
    CHECK_STR(problem, "");
    CHECK_INT(truncated, 0);
}

static void test_numbered_upper(void)
{
    const char *t = "1. NORCO 10/325MG #90: UPHELD\n\nDecision rationale: No.\n\n"
                    "2) RETROSPECTIVE URINE DRUG SCREEN:\nOVERTURNED\n\nDecision rationale: Yes.\n\n"
                    "3 - Flexeril 7.5mg #60 for spasm of the thoracic and lumbar\nspine: Upheld\n\n"
                    "Decision rationale: No.\n\n"
                    "Item 4: 12 sessions of physical therapy: Overturned.\n\nDecision rationale: Yes.\n";
    parse(t);
    CHECK_INT(n, 4);
    CHECK_STR(span(t, items[0].text), "NORCO 10/325MG #90");
    CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);
    CHECK_STR(span(t, items[1].text), "RETROSPECTIVE URINE DRUG SCREEN");
    CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    CHECK_STR(span(t, items[2].text), "Flexeril 7.5mg #60 for spasm of the thoracic and lumbar\nspine");
    CHECK_STR(span(t, items[3].text), "12 sessions of physical therapy");
    CHECK_INT(items[3].decision, IMR_DECISION_OVERTURNED);
    CHECK_STR(span(t, items[3].rationale), "Yes.");
}

static void test_page_break_in_item_line(void)
{
    /* A blank line inside a wrapped item line; a rationale without final period above. */
    const char *t = "Decision rationale: Authorization is recommended\n\n"
                    "2 - Prospective request for Robaxin 750mg as needed for the right\n\n"
                    "hip:  Upheld\n\nDecision rationale: No.\n\n"
                    "Norco 10/325mg #90: Upheld\n\nDecision rationale: No.\n";
    parse(t);
    CHECK_INT(n, 3);
    CHECK_STR(span(t, items[1].text),
              "Prospective request for Robaxin 750mg as needed for the right\n\nhip");
    CHECK_STR(span(t, items[2].text), "Norco 10/325mg #90");
}

static void test_labels_are_not_items(void)
{
    /* Labelled lines never start items, even when they end like an item line. */
    const char *t = "TENS unit: Upheld\n\n"
                    "Claims Administrator guideline: Decision based on MTUS: Upheld\n\n"
                    "MAXIMUS guideline: Decision based on MTUS: Overturned\n\n"
                    "Decision rationale: Not necessary.\n";
    parse(t);
    CHECK_INT(n, 1);
    CHECK_STR(span(t, items[0].text), "TENS unit");
    CHECK_STR(span(t, items[0].ca_guideline), "Decision based on MTUS: Upheld");
    CHECK_STR(span(t, items[0].guideline), "Decision based on MTUS: Overturned");
}

static void test_no_decision(void)
{
    const char *t = "Right L5-S1 microdiscectomy: Overturned\n\n"
                    "Claims Administrator guideline: A.\n\nMAXIMUS guideline: B.\n\n"
                    "Decision rationale: Yes.\n\n"
                    "Post-operative lumbar brace\n\n"
                    "Claims Administrator guideline: C.\n\nMAXIMUS guideline: D.\n\n"
                    "Decision rationale: No.\n";
    parse(t);
    CHECK_INT(n, 2);
    CHECK_STR(span(t, items[0].rationale), "Yes.");
    CHECK_STR(span(t, items[1].text), "Post-operative lumbar brace");
    CHECK_INT(items[1].decision, IMR_DECISION_UNKNOWN);
    CHECK_STR(span(t, items[1].ca_guideline), "C.");
    CHECK_STR(problem, "");

    /* The first item without decision: the text before the first label. */
    t = "Lumbar brace\n\nClaims Administrator guideline: C.\n\nDecision rationale: No.\n";
    parse(t);
    CHECK_INT(n, 1);
    CHECK_STR(span(t, items[0].text), "Lumbar brace");
    CHECK_INT(items[0].decision, IMR_DECISION_UNKNOWN);
}

static void test_truncated(void)
{
    parse("MRI: Upheld\n\nMAXIMUS guideline: ODG.\n\nDecision rationale: The records do not");
    CHECK_INT(n, 1);
    CHECK_INT(truncated, 1);
    CHECK_STR(problem, "truncated in the decisions section");
    /* A last item without rationale whose letter ends a sentence lacks its rationale; one
     * that stops inside a sentence was cut off. */
    parse("Knee brace: Overturned\n\nMAXIMUS guideline: The reviewer relied on the ACOEM.\n");
    CHECK_INT(n, 1);
    CHECK_INT(truncated, 0);
    CHECK_STR(problem, "");
    parse("Knee brace: Overturned\n\nMAXIMUS guideline: The reviewer relied on the\n");
    CHECK_INT(truncated, 1);
    CHECK_STR(problem, "truncated in the decisions section");
    parse("The Final Determination was based on decisions for the disputed items/services set forth below:\n");
    CHECK_INT(n, 0);
    CHECK_STR(problem, "truncated in the decisions section");
    CHECK_INT(truncated, 1);
    parse("The reviewer could not identify the items.\n");
    CHECK_INT(n, 0);
    CHECK_STR(problem, "no items found in the decisions section");
    CHECK_INT(truncated, 0);
}

static void test_wording(void)
{
    struct {
        const char *text;
        imr_decision_t want;
    } cases[] = {
        {"Therefore the request is medically necessary.", IMR_DECISION_OVERTURNED},
        {"The unit is medically necessary and appropriate.", IMR_DECISION_OVERTURNED},
        {"The request was not medically necessary.", IMR_DECISION_UPHELD},
        {"It is therefore not medically necessary.", IMR_DECISION_UPHELD},
        {"Guidelines say it is medically necessary after surgery. Here it is not medically "
         "necessary.",
         IMR_DECISION_UPHELD},
        {"It was not medically necessary before; it is medically necessary now.",
         IMR_DECISION_OVERTURNED},
        {"The request cannot be considered medically necessary.", IMR_DECISION_UPHELD},
        {"In order to be medically necessary, criteria must be met.", IMR_DECISION_UNKNOWN},
        {"No conclusion here.", IMR_DECISION_UNKNOWN},
        /* Misspelt by one letter, the words still count. */
        {"The request is not medcally necessary.", IMR_DECISION_UPHELD},
        {"The request is meidcally necesary.", IMR_DECISION_OVERTURNED},
        {"The request is not medial necessary.", IMR_DECISION_UNKNOWN},
        /* The cues of decision_cues.txt, each in its sentence. */
        {"Authorization is recommended.", IMR_DECISION_OVERTURNED},
        {"The request for the cold therapy unit is certified.", IMR_DECISION_OVERTURNED},
        {"The lumbar epidural steroid injection is not supported.", IMR_DECISION_UPHELD},
        {"The request was not medically necessary.", IMR_DECISION_UPHELD},
        {"The request for a TENS unit is not recommended.", IMR_DECISION_UPHELD},
        {"The request is non-certified.", IMR_DECISION_UPHELD},
        {"The request was not found to be medically necessary.", IMR_DECISION_UPHELD},
        {"Medical necessity has not been established.", IMR_DECISION_UPHELD},
        {"Guidelines: routine use is not recommended. Here it is certified.",
         IMR_DECISION_OVERTURNED},
        /* A negation in the sentence before does not count. */
        {"There is no documentation. The request is medically necessary.",
         IMR_DECISION_OVERTURNED},
        /* Other conclusions a reviewer writes (decision_cues.txt). */
        {"The requested MRI is medically indicated.", IMR_DECISION_OVERTURNED},
        {"The request is not medically indicated.", IMR_DECISION_UPHELD},
        {"The request is medically reasonable and necessary.", IMR_DECISION_OVERTURNED},
        {"The request is not medically reasonable or necessary.", IMR_DECISION_UPHELD},
        {"This request is medically appropriate.", IMR_DECISION_OVERTURNED},
        {"The request is neither medically necessary nor appropriate.", IMR_DECISION_UPHELD},
        {"The request is approved.", IMR_DECISION_OVERTURNED},
        {"The requested treatment is not approved.", IMR_DECISION_UPHELD},
        {"The treatment is warranted.", IMR_DECISION_OVERTURNED},
        {"The request should be authorized.", IMR_DECISION_OVERTURNED},
        {"The request should not be authorized.", IMR_DECISION_UPHELD},
        {"The request is recommended for approval.", IMR_DECISION_OVERTURNED},
        {"The request is consistent with guidelines and is recommended for certification.",
         IMR_DECISION_OVERTURNED},
        {"The request is recommended for non-certification.", IMR_DECISION_UPHELD},
        {"Denial is recommended.", IMR_DECISION_UPHELD},
        {"The request is not reasonable.", IMR_DECISION_UPHELD},
        {"The medical necessity of the request has been established.", IMR_DECISION_OVERTURNED},
        {"Medical necessity for the requested unit has not been established.",
         IMR_DECISION_UPHELD},
        {"There is no medical necessity for the request.", IMR_DECISION_UPHELD},
        {"The request lacks medical necessity.", IMR_DECISION_UPHELD},
        /* The words inside a phrase start no other: not "certification is recommended". */
        {"Non-certification is recommended.", IMR_DECISION_UPHELD},
        /* The medically-necessary phrases misspelt: "medically indicated" too. */
        {"The request is not medcally indicated.", IMR_DECISION_UPHELD},
        /* An adverb inside the phrase is left out (`filler`). */
        {"The requested CPM machine is therefore not supported.", IMR_DECISION_UPHELD},
        {"The request is, thus, not certified.", IMR_DECISION_UPHELD},
        {"The request is therefore certified.", IMR_DECISION_OVERTURNED},
        /* The recommendation that concludes a rationale. */
        {"He has already completed a course of this treatment with no lasting benefit. "
         "Recommendation is for denial.",
         IMR_DECISION_UPHELD},
        {"Recommendation is for non-certification.", IMR_DECISION_UPHELD},
        {"Recommendation is for certification.", IMR_DECISION_OVERTURNED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        imr_span_t s = {0, (uint32_t)strlen(cases[i].text)};
        CHECK_INT(imr__decision_from_wording(cases[i].text, s, NULL), cases[i].want);
    }
    /* The stating clause starts at its verb. */
    const char *t = "Ice machine is not medically necessary and appropriate.";
    uint32_t clause = 0;
    imr__decision_from_wording(t, (imr_span_t){0, (uint32_t)strlen(t)}, &clause);
    CHECK_INT(clause, 12);
    t = "Norco 10/325 mg #60 is not certified.";
    imr__decision_from_wording(t, (imr_span_t){0, (uint32_t)strlen(t)}, &clause);
    CHECK_INT(clause, 20);
}

static void test_item_sentences(void)
{
    /* Layout 2 as the 2013-2014 notices print it: numbered sentences that state the decision,
     * paragraphs opened by sentences and by "Rationale for the Decision:". */
    const char *t =
        "1. Ice machine is not medically necessary and appropriate.\n"
        "The Claims Administrator based its decision on the Official Disability Guidelines (ODG),\n"
        "Knee Chapter.\n"
        "The Expert Reviewer based his/her decision on the ODG, Knee Chapter, Continuous-flow\n"
        "cryotherapy.\n"
        "Rationale for the Decision:\n"
        "The request is not supported.\n"
        "2. Physical therapy for the lumbar spine, twelve sessions, is medically necessary and\n"
        "appropriate.\n"
        "The Claims Administrator did not cite any medical evidence for its decision.\n"
        "The Expert Reviewer based his/her decision on the MTUS.\n"
        "Rationale for the Decision: Six sessions helped.\n";
    parse(t);
    CHECK_INT(n, 2);
    CHECK_STR(span(t, items[0].text), "Ice machine");
    CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);
    CHECK_STR(span(t, items[0].ca_guideline),
              "The Claims Administrator based its decision on the Official Disability Guidelines "
              "(ODG),\nKnee Chapter.");
    CHECK_STR(span(t, items[0].guideline), "The Expert Reviewer based his/her decision on the "
                                           "ODG, Knee Chapter, Continuous-flow\ncryotherapy.");
    CHECK_STR(span(t, items[0].rationale), "The request is not supported.");
    CHECK_INT(items[0].wording, IMR_DECISION_UPHELD);
    CHECK_STR(span(t, items[1].text), "Physical therapy for the lumbar spine, twelve sessions,");
    CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    CHECK_STR(span(t, items[1].ca_guideline),
              "The Claims Administrator did not cite any medical evidence for its decision.");
    CHECK_STR(span(t, items[1].rationale), "Six sessions helped.");
    CHECK_STR(problem, "");

    /* Double spaced, a blank line after each line of the sentence. */
    t = "2. RETRO: magnetic resonance imaging of right hip and the low back is not medically "
        "necessary\n\nand appropriate.\n\nThe Claims Administrator based its decision on the "
        "MTUS.\n\nRationale for the Decision: No.\n";
    parse(t);
    CHECK_INT(n, 1);
    CHECK_STR(span(t, items[0].text),
              "RETRO: magnetic resonance imaging of right hip and the low back");
    CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);

    /* A sentence not followed by a paragraph label is not an item. */
    parse("MRI: Upheld\n\nDecision rationale: Reasons.\n\n1. The request is not medically "
          "necessary.\n2. It was not supported.\n");
    CHECK_INT(n, 1);

    /* The label alone on its line, the paragraph's sentence below it. */
    t = "TENS unit: Upheld\n"
        "MAXIMUS guideline:\n"
        "The Expert Reviewer did not base their decision on the MTUS.\n"
        "Decision rationale: No.\n";
    parse(t);
    CHECK_INT(n, 1);
    CHECK_STR(span(t, items[0].guideline),
              "The Expert Reviewer did not base their decision on the MTUS.");
}

static void test_sentence_labels(void)
{
    /* Any sentence that opens with "The Expert Reviewer" opens the reviewer's paragraph. */
    const char *t = "1. Lidoderm 5% patch #30 is not medically necessary and appropriate.\n"
                    "The Claims Administrator cited the ODG.\n"
                    "The Expert Reviewer found that no section of the MTUS was applicable.\n"
                    "Rationale for the Decision:\n"
                    "Back pain is not neuropathic. The Expert Reviewer adds this as\n"
                    "the Expert Reviewer would: it is not supported. The Claims\n"
                    "Administrator noted the same. The request is not certified.\n";
    parse(t);
    CHECK_INT(n, 1);
    CHECK_STR(span(t, items[0].ca_guideline), "The Claims Administrator cited the ODG.");
    CHECK_STR(span(t, items[0].guideline),
              "The Expert Reviewer found that no section of the MTUS was applicable.");
    /* Lines that do not start a sentence with a capital are the rationale's. */
    CHECK_INT(strstr(span(t, items[0].rationale), "Administrator noted") != NULL, 1);
    CHECK_INT(strstr(span(t, items[0].rationale), "the Expert Reviewer would") != NULL, 1);
}

static void test_rationale_decides(void)
{
    /* An item line without decision takes the rationale's conclusion; an item line that
     * states one keeps it, and the rationale's other reading is kept beside it. */
    const char *t = "Lumbar brace\n\nClaims Administrator guideline: C.\n\n"
                    "Decision rationale: The lumbar brace is not medically necessary.\n\n"
                    "TENS unit: Overturned\n\nDecision rationale: The TENS unit is not "
                    "supported.\n";
    parse(t);
    CHECK_INT(n, 2);
    CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);
    CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    CHECK_INT(items[1].wording, IMR_DECISION_UPHELD);
}

static void test_layout3_items(void)
{
    const char *t = "ISSUE AT DISPUTE:\n"
                    "1. Cold therapy unit for the left shoulder\n"
                    "2. Lumbar epidural steroid injection at L4-L5 under fluoroscopic\n"
                    "guidance\n"
                    "GUIDELINES:\n"
                    "For the cold therapy unit: ODG, Shoulder Chapter.\n\n"
                    "For the epidural steroid injection: MTUS, page 46.\n"
                    "RATIONALE:\n"
                    "The cold therapy unit was requested after surgery. Authorization is "
                    "recommended.\n\n"
                    "The epidural injection lacks documented radiculopathy.\n\n"
                    "The lumbar epidural steroid injection is not supported.\n";
    imr__doc_t d;
    imr_item_t *it = NULL;
    size_t k = 0;
    const char *g = strstr(t, "For the cold"), *r = strstr(t, "The cold therapy unit was");
    imr_span_t issue = {18, (uint32_t)(strstr(t, "GUIDELINES:") - t - 18)};
    imr_span_t guide = {(uint32_t)(g - t), (uint32_t)(strstr(t, "RATIONALE:") - g - 1)};
    imr_span_t rat = {(uint32_t)(r - t), (uint32_t)strlen(r) - 1};
    CHECK_INT(imr__doc_init(&d, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_layout3(&d, issue, guide, rat, &it, &k, NULL), IMR_OK);
    CHECK_INT(k, 2);
    if (k == 2) {
        CHECK_STR(span(t, it[0].text), "Cold therapy unit for the left shoulder");
        CHECK_STR(span(t, it[1].text), "Lumbar epidural steroid injection at L4-L5 under "
                                       "fluoroscopic\nguidance");
        CHECK_STR(span(t, it[0].guideline), "For the cold therapy unit: ODG, Shoulder Chapter.");
        CHECK_STR(span(t, it[1].guideline), "For the epidural steroid injection: MTUS, page 46.");
        CHECK_INT(it[0].decision, IMR_DECISION_OVERTURNED);
        /* Three rationale paragraphs for two items: the second and third name the injection. */
        CHECK_STR(span(t, it[1].rationale), "The epidural injection lacks documented "
                                            "radiculopathy.\n\nThe lumbar epidural steroid "
                                            "injection is not supported.");
        CHECK_INT(it[1].decision, IMR_DECISION_UPHELD);
    }
    free(it);
    imr__doc_free(&d);

    /* Unnumbered lines, one paragraph per line: one item each. */
    layout3("MRI of the knee\nX-ray of the knee\n\nA.\n\nB.\n\nThe MRI is medically necessary."
            "\n\nThe X-ray is not recommended.\n",
            "A.", "The MRI");
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(span(doc.text, items[1].text), "X-ray of the knee");
        CHECK_INT(items[0].decision, IMR_DECISION_OVERTURNED);
        CHECK_INT(items[1].decision, IMR_DECISION_UPHELD);
    }

    /* A blank line inside a sentence is a page break: two paragraphs for two items. */
    layout3("MRI of the knee\nX-ray of the knee\n\nFor the MRI: ODG (May\n\n2009), Knee.\n\n"
            "For the X-ray: ACOEM.\n\nThe MRI is medically necessary.\n\n"
            "The X-ray is not recommended.\n",
            "For the MRI", "The MRI");
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(span(doc.text, items[0].guideline), "For the MRI: ODG (May\n\n2009), Knee.");
        CHECK_STR(span(doc.text, items[1].guideline), "For the X-ray: ACOEM.");
    }

    /* Single spaced, no blank line between the paragraphs: "For the ...:" opens each, so the
     * long first line is an item of its own, not wrapped into the second. */
    layout3("Chiropractic treatment - the left foot and the cervical spine, 18 sessions\n"
            "Pregabalin 150 mg #45\n\n"
            "For the chiropractic treatment: The Expert Reviewer based his/her decision on the\n"
            "MTUS.\nFor the pregabalin 150 mg #45: The Professional Reviewer relied upon the ODG.\n\n"
            "For the chiropractic treatment: Therefore, the chiropractic treatment is\nnot "
            "medically necessary.\nFor the pregabalin 150 mg #45: The Pregabalin 150 mg #45 was "
            "medically necessary.\n",
            "For the chiropractic treatment: The", "For the chiropractic treatment: Therefore");
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(span(doc.text, items[1].text), "Pregabalin 150 mg #45");
        CHECK_STR(span(doc.text, items[1].guideline),
                  "For the pregabalin 150 mg #45: The Professional Reviewer relied upon the ODG.");
        CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);
        CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    }

    /* The paragraphs opened by the items' names, in lower case. */
    layout3("Transcutaneous electrical nerve stimulation (TENS) unit, the bilateral shoulder\n"
            "Trigger point injections\n\n"
            "transcutaneous electrical nerve stimulation (tens) unit: The Professional Reviewer\n"
            "relied upon the MTUS.\ntrigger point injections: The Professional Reviewer relied "
            "upon the ODG.\n\n"
            "transcutaneous electrical nerve stimulation (tens) unit: The request is not\n"
            "medically necessary.\ntrigger point injections: The request is certified.\n",
            "transcutaneous electrical nerve stimulation (tens) unit: The Professional",
            "transcutaneous electrical nerve stimulation (tens) unit: The request");
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(span(doc.text, items[1].text), "Trigger point injections");
        CHECK_STR(span(doc.text, items[1].guideline),
                  "trigger point injections: The Professional Reviewer relied upon the ODG.");
        CHECK_INT(items[0].decision, IMR_DECISION_UPHELD);
        CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    }

    /* One guideline paragraph that cites for both items: each item has all of it. */
    layout3("Aquatic therapy x 12\nRight shoulder subacromial decompression\n\n"
            "The reviewer relied on the MTUS, page 22, Aquatic therapy; and the MTUS ACOEM Chapter "
            "9.\n\nRegarding the aquatic therapy: it is medically necessary.\n\n"
            "Regarding the decompression: the request is certified.\n",
            "The reviewer", "Regarding the aquatic");
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(items[1].guideline.len > 0, 1);
        CHECK_INT(items[1].guideline.off, items[0].guideline.off);
        CHECK_INT(items[1].guideline.len, items[0].guideline.len);
        CHECK_INT(items[0].decision, IMR_DECISION_OVERTURNED);
        CHECK_INT(items[1].decision, IMR_DECISION_OVERTURNED);
    }
}

static void test_items_start(void)
{
    const char *t = "The patient has knee pain.\n\nKnee MRI: Upheld\n\nDecision rationale: No.\n";
    imr__doc_t d;
    CHECK_INT(imr__doc_init(&d, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_start(&d, (imr_span_t){0, (uint32_t)strlen(t)}), 28);
    imr__doc_free(&d);
    t = "The patient has knee pain.\n\n1. Knee MRI is not medically necessary and appropriate.\n"
        "The Claims Administrator based its decision on the ODG.\n";
    CHECK_INT(imr__doc_init(&d, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_start(&d, (imr_span_t){0, (uint32_t)strlen(t)}), 28);
    imr__doc_free(&d);
    /* The sentence introducing the items opens them, though a summary sentence above it
     * looks like a label. */
    t = "The claims administrator referenced a progress note of 7/3/15 in its determination.\n"
        "The Final Determination was based on decisions for the disputed items/services set "
        "forth below:\nFLECTOR PATCH 1.3% #240: Upheld\nDecision rationale: No.\n";
    CHECK_INT(imr__doc_init(&d, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_start(&d, (imr_span_t){0, (uint32_t)strlen(t)}), 84);
    imr__doc_free(&d);
    t = "The patient has knee pain. Nothing else.\n";
    CHECK_INT(imr__doc_init(&d, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__items_start(&d, (imr_span_t){0, (uint32_t)strlen(t)}), UINT32_MAX);
    imr__doc_free(&d);
}

static void test_numbering(void)
{
    struct {
        const char *in, *want;
    } cases[] = {
        {"1. Norco", "Norco"},   {"2) Norco", "Norco"},       {"3 - Norco", "Norco"},
        {"(4) Norco", "Norco"},  {"#5 Norco", "Norco"},       {"Item 6: Norco", "Norco"},
        {"12 sessions", "12 sessions"}, {"1 Q-Tech unit", "1 Q-Tech unit"},
        {"7.5mg Flexeril", "7.5mg Flexeril"}, {"2 \xE2\x80\x93 Norco", "Norco"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        imr_span_t s = imr__strip_numbering(cases[i].in, (imr_span_t){0, (uint32_t)strlen(cases[i].in)});
        CHECK_STR(span(cases[i].in, s), cases[i].want);
    }
}

int main(void)
{
    test_plain();
    test_numbered_upper();
    test_page_break_in_item_line();
    test_labels_are_not_items();
    test_no_decision();
    test_truncated();
    test_wording();
    test_item_sentences();
    test_rationale_decides();
    test_sentence_labels();
    test_layout3_items();
    test_items_start();
    test_numbering();
    free(items);
    imr__doc_free(&doc);
    return check_done();
}
