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
    CHECK_STR(problem, "no decision for item 2");

    /* The first item without decision: the text before the first label. */
    t = "Lumbar brace\n\nClaims Administrator guideline: C.\n\nDecision rationale: No.\n";
    parse(t);
    CHECK_INT(n, 1);
    CHECK_STR(span(t, items[0].text), "Lumbar brace");
    CHECK_STR(problem, "no decision for item 1");
}

static void test_truncated(void)
{
    parse("MRI: Upheld\n\nMAXIMUS guideline: ODG.\n\nDecision rationale: The records do not");
    CHECK_INT(n, 1);
    CHECK_INT(truncated, 1);
    CHECK_STR(problem, "truncated in the decisions section");
    parse("MRI: Upheld\n\nMAXIMUS guideline: ODG.\n");
    CHECK_INT(truncated, 1);
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
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        imr_span_t s = {0, (uint32_t)strlen(cases[i].text)};
        CHECK_INT(imr__decision_from_wording(cases[i].text, s), cases[i].want);
    }
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
    test_numbering();
    free(items);
    imr__doc_free(&doc);
    return check_done();
}
