/*
 * test_letter.c - the public parser API (indexer/letter.c): a seed letter end to end, the
 * slugs and facet value lists, refusals, and parsing from several threads at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "imr.h"

static char *seed;
static size_t seed_len;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    return buf;
}

/* The facets of seed 004, as one string. */
static void summarize(const imr_letter_t *l, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%d %s", (int)l->layout, imr_parse_status_slug(l->parse));
    for (size_t i = 0; i < l->n_items && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, " | %s %s %s %u %u",
                              imr_decision_slug(l->items[i].decision), l->items[i].item_type,
                              l->items[i].body_region, l->items[i].sources, l->items[i].ca_sources);
}

static void *parse_many(void *arg)
{
    char *got = arg;
    for (int k = 0; k < 200; k++) {
        imr_letter_t *l;
        if (imr_letter_parse(seed, seed_len, &l, NULL) != IMR_OK) {
            strcpy(got, "error");
            return NULL;
        }
        summarize(l, got, 256);
        imr_letter_free(l);
    }
    return NULL;
}

static void test_seed(void)
{
    imr_letter_t *l = NULL;
    imr_error_t err;
    CHECK_INT(imr_letter_parse(seed, seed_len, &l, &err), IMR_OK);
    CHECK_INT(l->layout, IMR_LAYOUT_1);
    CHECK_INT(l->parse, IMR_PARSE_COMPLETE);
    CHECK_STR(l->problem, "");
    CHECK_STR(l->specialty, "Physical Medicine and Rehabilitation");
    /* No decision date, no case number: placed by its latest date, the report of 6/20/13. */
    CHECK_STR(l->decision_date, "");
    CHECK_STR(l->year, "2013");
    CHECK_STR(l->year_source, "latest-date");
    CHECK_INT(l->n_items, 2);
    CHECK_INT(l->text[l->text_len], '\0');
    CHECK_INT(strlen(l->text), l->text_len);
    char got[256];
    summarize(l, got, sizeof got);
    CHECK_STR(got, "1 complete | overturned facet-mbb lumbar 4 32 | upheld cold-heat-device "
                   "unspecified 4 32");
    /* Spans lie inside the text; the item text has no decision and no label. */
    const imr_item_t *it = &l->items[1];
    CHECK(it->text.off + it->text.len <= l->text_len);
    CHECK(strncmp(l->text + it->text.off, "Rental of a ThermoCool", 22) == 0);
    CHECK(strncmp(l->text + it->rationale.off, "According to", 12) == 0);
    CHECK(strncmp(l->text + l->summary.off, "The expert reviewer developed", 29) == 0);
    imr_letter_free(l);
    imr_letter_free(NULL);
}

static void test_threads(void)
{
    pthread_t th[4];
    char got[4][256];
    for (int i = 0; i < 4; i++)
        CHECK_INT(pthread_create(&th[i], NULL, parse_many, got[i]), 0);
    for (int i = 0; i < 4; i++)
        CHECK_INT(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 4; i++)
        CHECK_STR(got[i], "1 complete | overturned facet-mbb lumbar 4 32 | upheld "
                          "cold-heat-device unspecified 4 32");
}

static void test_refusals(void)
{
    imr_letter_t dummy, *l = &dummy;
    imr_error_t err;
    CHECK_INT(imr_letter_parse("", 0, &l, &err), IMR_ERR_INPUT);
    CHECK(l == NULL);
    CHECK_STR(err.msg, "empty file");
    CHECK_INT(err.status, IMR_ERR_INPUT);
    CHECK_INT(imr_letter_parse("%PDF-1.5", 8, &l, &err), IMR_ERR_INPUT);
    CHECK_STR(err.msg, "a PDF, not text (imrindex reads its text)");
    CHECK_INT(imr_letter_parse("a\0b", 3, &l, NULL), IMR_ERR_INPUT);

    /* Unknown layout: indexed whole as one pseudo-item. */
    const char *t = "Some other document.\nWith two lines.\n";
    CHECK_INT(imr_letter_parse(t, strlen(t), &l, &err), IMR_OK);
    CHECK_INT(l->parse, IMR_PARSE_UNPARSED);
    CHECK_STR(l->problem, "unknown layout");
    CHECK_INT(l->n_items, 1);
    CHECK_STR(l->items[0].item_type, "other");
    CHECK_STR(l->items[0].body_region, "unspecified");
    CHECK_INT(l->items[0].decision, IMR_DECISION_UNKNOWN);
    CHECK_INT(l->summary.len, l->text_len);
    imr_letter_free(l);

    /* Known layouts with a heading but nothing under it are partial, never complete. */
    t = "HOW THE IMR FINAL DETERMINATION WAS MADE\nText.\n\nCLINICAL CASE SUMMARY\nSumm.\n\n"
        "IMR ISSUES, DECISIONS AND RATIONALES\n";
    CHECK_INT(imr_letter_parse(t, strlen(t), &l, &err), IMR_OK);
    CHECK_INT(l->parse, IMR_PARSE_PARTIAL);
    CHECK_STR(l->problem, "truncated in the decisions section");
    CHECK(l->warnings & IMR_WARN_TRUNCATED);
    CHECK_INT(l->n_items, 1);
    imr_letter_free(l);
    t = "MEDICAL PROFESSIONAL REVIEW\n\nISSUE AT DISPUTE:\n\nRATIONALE FOR WHY THE REQUESTED "
        "TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\nIt is medically necessary.\n";
    CHECK_INT(imr_letter_parse(t, strlen(t), &l, &err), IMR_OK);
    CHECK_INT(l->parse, IMR_PARSE_PARTIAL);
    CHECK_STR(l->problem, "no ISSUE AT DISPUTE text");
    imr_letter_free(l);
}

static void test_slugs(void)
{
    CHECK_STR(imr_decision_slug(IMR_DECISION_UPHELD), "upheld");
    CHECK_STR(imr_decision_slug(IMR_DECISION_OVERTURNED), "overturned");
    CHECK_STR(imr_decision_slug(IMR_DECISION_UNKNOWN), "unknown");
    CHECK_STR(imr_source_slug(IMR_SOURCE_MTUS), "mtus");
    CHECK_STR(imr_source_slug(IMR_SOURCE_NONE), "none");
    CHECK_STR(imr_source_slug(IMR_SOURCE_MTUS | IMR_SOURCE_ODG), "unknown");
    CHECK_STR(imr_parse_status_slug(IMR_PARSE_PARTIAL), "partial");
    static const struct {
        const char *facet;
        int n;
        const char *first, *last;
    } lists[] = {{"decision", 3, "upheld", "unknown"},
                 {"item_type", 26, "cold-heat-device", "other"},
                 {"body_region", 12, "cervical", "unspecified"},
                 {"guideline_source", 6, "mtus", "none"}};
    for (size_t i = 0; i < 4; i++) {
        const char *const *v = imr_facet_values(lists[i].facet);
        int n = 0;
        while (v && v[n])
            n++;
        CHECK_INT(n, lists[i].n);
        CHECK_STR(v[0], lists[i].first);
        CHECK_STR(v[n - 1], lists[i].last);
    }
    CHECK(imr_facet_values("year") == NULL);
    CHECK(imr_facet_values(NULL) == NULL);
}

/* Parses a letter given as a string; the caller frees it. */
static imr_letter_t *parse_str(const char *t)
{
    imr_letter_t *l = NULL;
    imr_error_t err;
    CHECK_INT(imr_letter_parse(t, strlen(t), &l, &err), IMR_OK);
    return l;
}

static void test_missing_headings(void)
{
    /* No decisions heading: the items start at the first item line after the summary. */
    imr_letter_t *l = parse_str("HOW THE IMR FINAL DETERMINATION WAS MADE\nA reviewer.\n\n"
                                "CLINICAL CASE SUMMARY\nThe patient has knee pain.\n\n"
                                "Knee MRI: Upheld\nMAXIMUS guideline: ODG, Knee Chapter.\n"
                                "Decision rationale: The MRI is not medically necessary.\n");
    if (l) {
        CHECK_INT(l->parse, IMR_PARSE_COMPLETE);
        CHECK_INT(l->warnings & IMR_WARN_NO_HEADING, IMR_WARN_NO_HEADING);
        CHECK_INT(l->n_items, 1);
        CHECK_INT(l->items[0].decision, IMR_DECISION_UPHELD);
        CHECK_INT(l->summary.len, strlen("The patient has knee pain."));
        CHECK_INT(l->items[0].sources, IMR_SOURCE_ODG);
    }
    imr_letter_free(l);
    /* No summary heading: the summary stands between the reviewer's section and the items. */
    l = parse_str("HOW THE IMR FINAL DETERMINATION WAS MADE\nA reviewer.\n\n"
                  "The patient has knee pain.\n\nIMR ISSUES, DECISIONS AND RATIONALES\n"
                  "Knee MRI: Overturned\nDecision rationale: It is medically necessary.\n");
    if (l) {
        CHECK_INT(l->parse, IMR_PARSE_COMPLETE);
        CHECK_INT(l->warnings & IMR_WARN_NO_HEADING, IMR_WARN_NO_HEADING);
        CHECK(l->summary.len > 0 && strstr(l->text + l->summary.off, "knee pain") != NULL);
    }
    imr_letter_free(l);
    /* ... and the credentials after the reviewer's paragraph, read as the summary's start. */
    l = parse_str("HOW THE IMR FINAL DETERMINATION WAS MADE\nA reviewer.\n\n"
                  "The Expert Reviewer has the following credentials:\n"
                  "State(s) of Licensure: California\n\nCertification(s)/Specialty: Family "
                  "Practice\n\nThe patient has knee pain.\n\nIMR ISSUES, DECISIONS AND "
                  "RATIONALES\nKnee MRI: Overturned\nDecision rationale: It is medically "
                  "necessary.\n");
    if (l) {
        CHECK_STR(l->specialty, "Family Practice");
        CHECK_STR(l->specialties, "family-medicine");
    }
    imr_letter_free(l);
    /* Layout 3 without ISSUE AT DISPUTE: the paragraph before the first heading. */
    l = parse_str("MEDICAL PROFESSIONAL REVIEW\nMAXIMUS Federal Services, Inc.\n"
                  "Independent Medical Review\n\nIMR Case Number: CM13-0000001\n\n"
                  "Lumbar MRI\nTENS unit\n\nCASE SUMMARY:\nBack pain.\n\n"
                  "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY "
                  "NECESSARY:\nThe lumbar MRI is medically necessary.\n\nThe TENS unit is not "
                  "recommended.\n\nMEDICAL REVIEWER QUALIFICATIONS:\nBoard Certified in "
                  "Neurology.\n");
    if (l) {
        CHECK_INT(l->layout, IMR_LAYOUT_3);
        CHECK_INT(l->parse, IMR_PARSE_COMPLETE);
        CHECK_INT(l->n_items, 2);
        if (l->n_items == 2) {
            CHECK_INT(l->items[0].decision, IMR_DECISION_OVERTURNED);
            CHECK_INT(l->items[1].decision, IMR_DECISION_UPHELD);
        }
    }
    imr_letter_free(l);
}

int main(void)
{
    seed = read_file(IMR_SOURCE_DIR "/corpus/letters/004_86369982a4019b49.txt", &seed_len);
    CHECK(seed != NULL);
    if (!seed)
        return check_done();
    test_seed();
    test_threads();
    test_refusals();
    test_slugs();
    test_missing_headings();
    free(seed);
    return check_done();
}
