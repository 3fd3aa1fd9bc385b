/*
 * test_layout.c - layout detection, headings (wrapped, mixed case), sections, header fields,
 * dates, the letter's year and the reviewer's specialty (indexer/layout.c).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"

static char buf[1024];

/* The text of a span, for comparisons. */
static const char *span(const char *text, imr_span_t s)
{
    snprintf(buf, sizeof buf, "%.*s", (int)s.len, text + s.off);
    return buf;
}

/* Splits text (already clean) into sections. */
static void split(const char *text, imr__doc_t *doc, imr__sections_t *s)
{
    CHECK_INT(imr__doc_init(doc, text, strlen(text), NULL), IMR_OK);
    imr__sections_split(doc, s);
}

static void test_layout1(void)
{
    const char *t = "HOW THE IMR FINAL DETERMINATION WAS MADE\nReviewer text.\n\n"
                    "CLINICAL CASE SUMMARY\nThe summary.\nSecond line.\n\n"
                    "IMR ISSUES, DECISIONS AND RATIONALES\nItem: Upheld\n";
    imr__doc_t doc;
    imr__sections_t s;
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_1);
    CHECK_STR(span(t, s.other), "HOW THE IMR FINAL DETERMINATION WAS MADE\nReviewer text.");
    CHECK_STR(span(t, s.summary), "The summary.\nSecond line.");
    CHECK_STR(span(t, s.decisions), "Item: Upheld");
    CHECK_STR(s.problem, "");
    imr__doc_free(&doc);

    /* A heading wrapped over two lines, another in mixed case with extra spaces. */
    t = "Header\n\nClinical  Case summary\nThe summary.\n\nIMR ISSUES, DECISIONS AND\n"
        "RATIONALES\nItem: Upheld\n";
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_1);
    CHECK_STR(span(t, s.summary), "The summary.");
    CHECK_STR(span(t, s.decisions), "Item: Upheld");
    uint32_t body;
    CHECK_INT(imr__heading_at(&doc, 5, IMR__H_ISSUES, &body), 2);
    CHECK_INT(imr__heading_at(&doc, 6, IMR__H_ISSUES, &body), 0);
    CHECK_INT(imr__heading_at(&doc, 2, IMR__H_SUMMARY, &body), 1);
    imr__doc_free(&doc);

    /* Prose that contains heading words is not a heading. */
    t = "The expert reviewer developed the following clinical case summary\n";
    CHECK_INT(imr__doc_init(&doc, t, strlen(t), NULL), IMR_OK);
    CHECK_INT(imr__heading_at(&doc, 0, IMR__H_SUMMARY, &body), 0);
    imr__doc_free(&doc);

    /* Cut off before the decisions: still layout 1, with a problem. */
    t = "HOW THE IMR FINAL DETERMINATION WAS MADE\nText.\n\nCLINICAL CASE SUMMARY\nThe summ";
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_1);
    CHECK_STR(span(t, s.summary), "The summ");
    CHECK_INT(s.decisions.len, 0);
    CHECK_STR(s.problem, "truncated before the decisions section");
    imr__doc_free(&doc);
}

static void test_layout2(void)
{
    const char *t = "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\n\n"
                    "Case Number: CM14-0000001\n\nHOW THE IMR FINAL DETERMINATION WAS MADE\n"
                    "Text.\n\nDOCUMENTS REVIEWED\nA report.\n\nCLINICAL CASE SUMMARY\nSumm.\n\n"
                    "IMR DECISION(S) AND RATIONALE(S)\nItem: Overturned\n";
    imr__doc_t doc;
    imr__sections_t s;
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_2);
    CHECK(strstr(span(t, s.other), "DOCUMENTS REVIEWED\nA report.") != NULL);
    CHECK_STR(span(t, s.summary), "Summ.");
    CHECK_STR(span(t, s.decisions), "Item: Overturned");
    imr__doc_free(&doc);

    /* The 2013-2014 notice, cut off before its decisions heading: its first line tells. */
    t = "Notice of Independent Medical Review Determination\nDated: 1/8/2014\n\n"
        "HOW THE IMR FINAL DETERMINATION WAS MADE\nText.\n\nCLINICAL CASE SUMMARY\nSumm.\n";
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_2);
    imr__doc_free(&doc);
    /* No decisions heading, no notice line: DOCUMENTS REVIEWED is layout 2's alone. */
    t = "HOW THE IMR FINAL DETERMINATION WAS MADE\nText.\n\nDOCUMENTS REVIEWED\n1. A report."
        "\n\nCLINICAL CASE SUMMARY\nSumm.\n\n1. Knee MRI is not medically necessary.\n"
        "Rationale for the Decision: No.\n";
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_2);
    imr__doc_free(&doc);
}

static void test_layout3(void)
{
    const char *t = "MEDICAL PROFESSIONAL REVIEW\nIMR Case Number: CM13-0000002\n\n"
                    "ISSUE AT DISPUTE: Cryotherapy unit\n\nCASE SUMMARY:\nThe case.\n\n"
                    "Documents Reviewed for Determination:\nUR letter.\n\n"
                    "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND\n"
                    "WHY:\nODG.\n\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT "
                    "MEDICALLY NECESSARY:\nIt is medically necessary.\n\n"
                    "MEDICAL REVIEWER QUALIFICATIONS:\nBoard Certified in Surgery.\n";
    imr__doc_t doc;
    imr__sections_t s;
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_3);
    CHECK_STR(span(t, s.issue), "Cryotherapy unit");
    CHECK_STR(span(t, s.summary), "The case.\n\nDocuments Reviewed for Determination:\nUR letter.");
    CHECK_STR(span(t, s.guideline), "ODG.");
    CHECK_STR(span(t, s.rationale), "It is medically necessary.");
    CHECK_STR(span(t, s.other), "Board Certified in Surgery.");
    CHECK_STR(span(t, s.header), "MEDICAL PROFESSIONAL REVIEW\nIMR Case Number: CM13-0000002");
    CHECK_STR(s.problem, "");
    imr__doc_free(&doc);

    /* Headings wrapped at other words, one with a blank line between its halves. */
    t = "MEDICAL PROFESSIONAL REVIEW\n\nISSUE AT DISPUTE:\nMRI\n\n"
        "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL\n\nREVIEWER AND WHY:\nODG.\n\n"
        "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT\nMEDICALLY NECESSARY:\n"
        "It is not medically necessary.\n";
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_3);
    CHECK_STR(span(t, s.guideline), "ODG.");
    CHECK_STR(span(t, s.rationale), "It is not medically necessary.");
    uint32_t body;
    CHECK_INT(imr__heading_at(&doc, 5, IMR__H_GUIDELINES3, &body), 3);
    imr__doc_free(&doc);

    /* Without the first line, the layout 3 headings still say layout 3. */
    t = "ISSUE AT DISPUTE:\nMRI\n\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT "
        "MEDICALLY NECESSARY:\nIt is not medically";
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_3);
    CHECK_STR(span(t, s.issue), "MRI");
    imr__doc_free(&doc);
}

static void test_unknown(void)
{
    const char *t = "NOTICE OF UTILIZATION REVIEW DETERMINATION\nDear provider,\n";
    imr__doc_t doc;
    imr__sections_t s;
    split(t, &doc, &s);
    CHECK_INT(s.layout, IMR_LAYOUT_UNKNOWN);
    CHECK_STR(span(t, s.summary), "NOTICE OF UTILIZATION REVIEW DETERMINATION\nDear provider,");
    CHECK_STR(s.problem, "unknown layout");
    imr__doc_free(&doc);
}

static void test_header_fields(void)
{
    const char *t = "Case Number: CM13-0012345 Date Assigned: 08/12/2013\n"
                    "Date of Injury: 03/01/2012 Decision Date: 1/2/14\n"
                    "UR Decision Date: July 25, 2013 Priority: STANDARD\n";
    imr_letter_t l;
    memset(&l, 0, sizeof l);
    imr__header_fields(t, (imr_span_t){0, (uint32_t)strlen(t)}, &l);
    CHECK_STR(l.case_number, "CM13-0012345");
    CHECK_STR(l.injury_date, "2012-03-01");
    CHECK_STR(l.decision_date, "2014-01-02");
    CHECK_STR(l.ur_denial_date, "2013-07-25");

    memset(&l, 0, sizeof l);
    t = "Claimant: (redacted)  DOI: 3/19/12  Case No.: CM13-0000003\n";
    imr__header_fields(t, (imr_span_t){0, (uint32_t)strlen(t)}, &l);
    CHECK_STR(l.injury_date, "2012-03-19");
    CHECK_STR(l.case_number, "CM13-0000003");

    char d[11];
    CHECK(imr__parse_date("March 1, 2013", 13, d));
    CHECK_STR(d, "2013-03-01");
    CHECK(imr__parse_date("Sept. 9, 2014", 13, d));
    CHECK_STR(d, "2014-09-09");
    CHECK(imr__parse_date("2013-03-01", 10, d));
    CHECK_STR(d, "2013-03-01");
    CHECK(imr__parse_date("3/1/13", 6, d));
    CHECK_STR(d, "2013-03-01");
    CHECK(!imr__parse_date("13/45/2013", 10, d));
    CHECK(!imr__parse_date("STANDARD", 8, d));
    CHECK(!imr__parse_date("12/2013", 7, d));
    CHECK(imr__parse_date("2 May 2016", 10, d));
    CHECK_STR(d, "2016-05-02");
    CHECK(imr__parse_date("9 Sept. 2014", 12, d));
    CHECK_STR(d, "2014-09-09");
    CHECK(!imr__parse_date("2 mg 2016", 9, d));
    CHECK(!imr__parse_date("Decreased 5 2014", 16, d));
    CHECK(!imr__parse_date("2 May 20161", 11, d));
    /* Wrapped, with the blank line of extracted text between the halves. */
    CHECK(imr__parse_date("Apr.\n\n7, 2014", 14, d));
    CHECK_STR(d, "2014-04-07");
    CHECK(imr__parse_date("25  \n\nMarch 2015", 17, d));
    CHECK_STR(d, "2015-03-25");
}

/*
 * The letter's year from each cue, its sentence as the input: the header fields are read
 * first (the case number, the decision date), as imr_letter_parse() does, then the year.
 */
static void test_letter_year(void)
{
    static const struct {
        const char *text, *year, *source;
    } cases[] = {
        /* The decision date wins over every other cue. */
        {"Case Number: CM13-0012345 Decision Date: 1/2/14\nDated: July 3, 2013\n", "2014",
         "decision-date"},
        /* A notice's Dated: line, before its case number (received the year before). */
        {"Notice of Independent Medical Review Determination\nDated: 01/06/2014\n"
         "IMR Case Number: CM13-0098765      Date of Injury: 3/4/2012\n", "2014", "dated-line"},
        {"  DATED : Jan. 6, 2015\n", "2015", "dated-line"},
        {"Date of Notice: 2016-02-29\n", "2016", "dated-line"},
        /* A case number and no date of the letter: the CMyy- prefix. */
        {"Case Number: CM13-0012345\nThe patient was seen on 2/20/14.\n", "2013",
         "case-number"},
        {"IMR Case Number: cm15-0000001\n", "2015", "case-number"},
        /* Nothing but the summary's events: the latest full date. */
        {"The patient was injured on 3/19/12. A progress report dated 1/2/14 notes pain; the\n"
         "request of February 20, 2013 was denied.\n", "2014", "latest-date"},
        {"She was seen on Sept. 9, 2014 and on 2014-10-01.\n", "2014", "latest-date"},
        {"Reports of 5 March 2015 and 2 May 2016 were reviewed.\n", "2016", "latest-date"},
        /* A planned date past LAST_YEAR does not count; 2012's events place the letter in
           2013, IMR's first year. */
        {"Follow up on 1/1/2041. The report dated 12/20/12 requests a unit.\n", "2013",
         "latest-date"},
        /* Not dates: a dose, a level, a year alone, "decreased" before numbers, a case number
           of no IMR year, a dated line without a date, an injury dated in the body. */
        {"Norco 10/325mg #90 at L5-S1 per ODG 2013; pain decreased 5 2014.\n"
         "Case Number: CM99-0000001\nDated: (redacted)\n", "", "none"},
        {"The injured worker has an industrial injury\ndated: unknown\n", "", "none"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        imr_letter_t l;
        memset(&l, 0, sizeof l);
        const char *t = cases[k].text;
        imr__header_fields(t, (imr_span_t){0, (uint32_t)strlen(t)}, &l);
        imr__letter_year(t, strlen(t), &l);
        CHECK_STR(l.year, cases[k].year);
        CHECK_STR(l.year_source, cases[k].source);
    }
}

static void test_specialty(void)
{
    char out[128];
    const char *t = "The reviewer is Board Certified in Physical Medicine and Rehabilitation, has a\n"
                    "subspecialty in Pain Management and is licensed.";
    imr__specialty(t, (imr_span_t){0, (uint32_t)strlen(t)}, out, sizeof out);
    CHECK_STR(out, "Physical Medicine and Rehabilitation");
    t = "reviewer is Board\nCertified in Occupational Medicine and is licensed to practice";
    imr__specialty(t, (imr_span_t){0, (uint32_t)strlen(t)}, out, sizeof out);
    CHECK_STR(out, "Occupational Medicine");
    t = "State(s) of Licensure: California\nCertification(s)/Specialty: Preventive Medicine, "
        "Occupational Medicine\nBoard Certified in Surgery.";
    imr__specialty(t, (imr_span_t){0, (uint32_t)strlen(t)}, out, sizeof out);
    CHECK_STR(out, "Preventive Medicine, Occupational Medicine");
    t = "No credentials here.";
    imr__specialty(t, (imr_span_t){0, (uint32_t)strlen(t)}, out, sizeof out);
    CHECK_STR(out, "");
}

int main(void)
{
    test_layout1();
    test_layout2();
    test_layout3();
    test_unknown();
    test_header_fields();
    test_letter_year();
    test_specialty();
    return check_done();
}
