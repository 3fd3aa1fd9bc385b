/*
 * test_search.c - imr_search(), imr_facets(), imr_stats() and imr_letter_show() over a small
 * database written here by hand (SQL inserts, then an FTS5 rebuild), so that every facet of
 * every item is known without the letter parser, and every count below is worked out from the
 * table in this file.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "imr.h"
#include "imr_schema.h"
#include "print.h"
#include "search_private.h"

typedef struct test_item {
    const char *text, *ca, *guideline, *rationale;
    const char *decision, *type, *region, *sources; /* sources: comma list */
} test_item_t;

typedef struct test_letter {
    const char *name, *case_number, *date, *specialty, *parse;
    int layout;
    const char *other, *summary;
    test_item_t items[3];
} test_letter_t;

/* The database: four letters, six items. */
static const test_letter_t letters[] = {
    {"l1_cryo",
     "CM15-0000001",
     "2015-06-01",
     "Orthopedic Surgery",
     "complete",
     1,
     "The expert reviewer is Board Certified in Orthopedic Surgery.",
     "The patient underwent arthroscopic shoulder surgery on May 2, 2015.",
     {{"Continuous flow cryotherapy unit for the right shoulder", "None cited.",
       "Official Disability Guidelines (ODG), Shoulder, Continuous-flow cryotherapy.",
       "ODG recommends continuous-flow cryotherapy for up to 7 days after shoulder surgery.\n"
       "The patient had shoulder surgery. The request is medically necessary.",
       "overturned", "cold-heat-device", "shoulder", "odg"}}},
    {"l2_thermo",
     "CM13-0000002",
     "2013-08-01",
     "Physical Medicine and Rehabilitation",
     "complete",
     1,
     "The physician reviewer is Board Certified in Physical Medicine.",
     "Diagnostic medial branch blocks were requested. The ThermoCool hot and cold contrast "
     "unit was requested for 60 days; prior cryotherapies had helped.",
     {{"Diagnostic L4-L5 Medial Branch Blocks", "None cited.",
       "Official Disability Guidelines (ODG), Facet Joint Diagnostic Blocks.",
       "The blocks appear reasonable and are supported by ODG. Authorization is recommended.",
       "overturned", "facet-mbb", "lumbar", "odg"},
      {"Rental of a ThermoCool Hot and Cold Unit", "None cited.",
       "MTUS; Official Disability Guidelines (ODG), Knee.",
       "The requested use of the ThermoCool unit is not supported. Recommendation is for "
       "denial.",
       "upheld", "cold-heat-device", "unspecified", "mtus,odg"}}},
    {"l3_tens",
     "CM14-0000003",
     "2014-02-10",
     "Occupational Medicine",
     "complete",
     2,
     "MAXIMUS FEDERAL SERVICES, INC.",
     "The applicant has chronic low back pain.",
     {{"TENS unit for the lumbar spine", "ODG.", "MTUS ACOEM Chapter 12, Low Back Complaints.",
       "Transcutaneous electrical nerve stimulation is not recommended as a primary treatment.",
       "upheld", "tens-estim", "lumbar", "mtus,acoem"},
      {"Lumbar traction unit", "None cited.", "MTUS ACOEM Chapter 12.",
       "Traction is not recommended for the low back.", "upheld", "traction", "lumbar",
       "mtus,acoem"}}},
    {"l4_mri",
     "",
     "",
     "",
     "partial",
     0,
     "",
     "Knee pain after a fall at work.",
     {{"MRI of the left knee", "", "", "Imaging is not supported.", "upheld", "mri", "knee",
       "none"}}},
};
#define N_LETTERS (sizeof letters / sizeof letters[0])

/* A letter whose text needs escaping in JSON and quoting in CSV, for the printers. */
static const test_letter_t odd_letters[] = {
    {"p1_odd",
     "CM16-0000009",
     "2016-01-02",
     "Pain \"Medicine\", Anesthesia",
     "complete",
     1,
     "Reviewer.",
     "Takes Norco.",
     {{"Norco 10/325mg #90, \"as needed\"", "None.", "MTUS, Opioids.",
       "Norco is not supported: back\\slash, tab\there,\r\nnew line.", "upheld", "opioid",
       "unspecified", "mtus"}}},
};

/* The enum imr_source bits of a comma list of source slugs. */
static unsigned source_bits(const char *list)
{
    unsigned bits = 0;
    while (list && *list) {
        size_t n = strcspn(list, ",");
        for (unsigned bit = 1; bit < (1u << IMR_N_SOURCES); bit <<= 1)
            if (strlen(imr_source_slug(bit)) == n && strncmp(imr_source_slug(bit), list, n) == 0)
                bits |= bit;
        list += n;
        if (*list == ',')
            list++;
    }
    return bits;
}

static sqlite3_stmt *prep(sqlite3 *sql, const char *q)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(sql));
        exit(1);
    }
    return st;
}

/* Appends a part to the letter text and records its span. */
static void part(imr__buf_t *text, const char *label, const char *s, long long *off, long long *len)
{
    imr__buf_adds(text, label);
    *off = (long long)text->len;
    imr__buf_adds(text, s);
    *len = (long long)strlen(s);
    imr__buf_adds(text, "\n");
}

/* letter.specialties of the letters' specialty texts, as the indexer stores them. */
static const char *specialty_slugs(const char *specialty)
{
    static const char *const slugs[][2] = {
        {"Orthopedic Surgery", "orthopedic-surgery"},
        {"Physical Medicine and Rehabilitation", "physical-medicine-rehabilitation"},
        {"Occupational Medicine", "occupational-medicine"}};
    for (size_t i = 0; i < sizeof slugs / sizeof slugs[0]; i++)
        if (strcmp(specialty, slugs[i][0]) == 0)
            return slugs[i][1];
    return "";
}

static void build(imr_db_t *db, const test_letter_t *set, size_t n_letters)
{
    sqlite3 *sql = imr_db_sqlite(db);
    sqlite3_exec(sql, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *il = prep(sql, "INSERT INTO letter(name, path, hash, size, layout, parse,"
                                 " case_number, decision_date, specialty, text, summary_off,"
                                 " summary_len, other_off, other_len, year, year_source,"
                                 " specialties)"
                                 " VALUES(?1, 'corpus/' || ?1 || '.txt', 'h', 1, ?2, ?3, ?4, ?5,"
                                 " ?6, ?7, ?8, ?9, ?10, ?11, substr(?5, 1, 4),"
                                 " CASE ?5 WHEN '' THEN 'none' ELSE 'decision-date' END, ?12)");
    sqlite3_stmt *ii = prep(sql, "INSERT INTO item(id, letter_id, ord, decision,"
                                 " item_type, body_region, text_off, text_len, guideline_off,"
                                 " guideline_len, ca_off, ca_len, rationale_off, rationale_len,"
                                 " sources, ca_sources, year)"
                                 " VALUES(" IMR_SQL_ITEM_ID("?1", "?2") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                                 " ?14, ?15, substr(?16, 1, 4))");
    for (size_t l = 0; l < n_letters; l++) {
        const test_letter_t *t = &set[l];
        imr__buf_t text = {0};
        long long so, sl, oo, ol, sp[3][8];
        part(&text, "", t->other, &oo, &ol);
        part(&text, "CLINICAL CASE SUMMARY\n", t->summary, &so, &sl);
        for (int i = 0; i < 3 && t->items[i].text; i++) {
            const test_item_t *it = &t->items[i];
            part(&text, "", it->text, &sp[i][0], &sp[i][1]);
            imr__buf_adds(&text, it->decision);
            imr__buf_adds(&text, "\n");
            part(&text, "Claims Administrator guideline: ", it->ca, &sp[i][2], &sp[i][3]);
            part(&text, "MAXIMUS guideline: ", it->guideline, &sp[i][4], &sp[i][5]);
            part(&text, "Decision rationale: ", it->rationale, &sp[i][6], &sp[i][7]);
        }
        sqlite3_reset(il);
        sqlite3_bind_text(il, 1, t->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(il, 2, t->layout);
        sqlite3_bind_text(il, 3, t->parse, -1, SQLITE_STATIC);
        sqlite3_bind_text(il, 4, t->case_number, -1, SQLITE_STATIC);
        sqlite3_bind_text(il, 5, t->date, -1, SQLITE_STATIC);
        sqlite3_bind_text(il, 6, t->specialty, -1, SQLITE_STATIC);
        sqlite3_bind_text(il, 7, text.p, -1, SQLITE_STATIC);
        sqlite3_bind_int64(il, 8, so);
        sqlite3_bind_int64(il, 9, sl);
        sqlite3_bind_int64(il, 10, oo);
        sqlite3_bind_int64(il, 11, ol);
        sqlite3_bind_text(il, 12, specialty_slugs(t->specialty), -1, SQLITE_STATIC);
        CHECK_INT(sqlite3_step(il), SQLITE_DONE);
        sqlite3_int64 letter_id = sqlite3_last_insert_rowid(sql);
        for (int i = 0; i < 3 && t->items[i].text; i++) {
            const test_item_t *it = &t->items[i];
            sqlite3_reset(ii);
            sqlite3_bind_int64(ii, 1, letter_id);
            sqlite3_bind_int(ii, 2, i + 1);
            sqlite3_bind_text(ii, 3, it->decision, -1, SQLITE_STATIC);
            sqlite3_bind_text(ii, 4, it->type, -1, SQLITE_STATIC);
            sqlite3_bind_text(ii, 5, it->region, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ii, 6, sp[i][0]);
            sqlite3_bind_int64(ii, 7, sp[i][1]);
            sqlite3_bind_int64(ii, 8, sp[i][4]);
            sqlite3_bind_int64(ii, 9, sp[i][5]);
            sqlite3_bind_int64(ii, 10, sp[i][2]);
            sqlite3_bind_int64(ii, 11, sp[i][3]);
            sqlite3_bind_int64(ii, 12, sp[i][6]);
            sqlite3_bind_int64(ii, 13, sp[i][7]);
            sqlite3_bind_int(ii, 14, (int)source_bits(it->sources));
            sqlite3_bind_int(ii, 15, IMR_SOURCE_NONE);
            sqlite3_bind_text(ii, 16, t->date, -1, SQLITE_STATIC);
            CHECK_INT(sqlite3_step(ii), SQLITE_DONE);
        }
        free(text.p);
    }
    sqlite3_finalize(il);
    sqlite3_finalize(ii);
    CHECK_INT(sqlite3_exec(sql, "INSERT INTO item_fts(item_fts) VALUES('rebuild');"
                                "INSERT INTO letter_fts(letter_fts) VALUES('rebuild'); COMMIT", NULL,
                           NULL, NULL),
              SQLITE_OK);
}

/* Runs a search and writes "letter#item" of every hit, space-separated, into out. */
static imr_status_t ids(imr_db_t *db, imr_search_opts_t o, char *out, size_t n, uint64_t *items,
                        uint64_t *lets, imr_error_t *err)
{
    imr_results_t *r = NULL;
    imr_status_t st = imr_search(db, &o, &r, err);
    out[0] = '\0';
    if (st != IMR_OK)
        return st;
    for (size_t i = 0; i < imr_results_count(r); i++) {
        const imr_hit_t *h = imr_results_hit(r, i);
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s#%d", i ? " " : "", h->letter, h->item_number);
    }
    if (items)
        *items = imr_results_total_items(r);
    if (lets)
        *lets = imr_results_total_letters(r);
    imr_results_free(r);
    return IMR_OK;
}

/*
 * A word of l1's summary only ("arthroscopic"): summary: and letter: find its letter's item,
 * marked as matched in the letter, with a snippet from the summary. An unscoped query finds
 * nothing: a word of the letter never makes an item a hit. A part mixing the tables inside an
 * OR is refused.
 */
static void test_letter_words(imr_db_t *db)
{
    static const char *const queries[] = {"summary:arthroscopic", "letter:arthroscopic"};
    imr_error_t err;
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
        imr_results_t *r = NULL;
        imr_search_opts_t o = {.query = queries[k], .limit = 10};
        CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
        CHECK(r && imr_results_count(r) == 1);
        if (r && imr_results_count(r) == 1) {
            const imr_hit_t *h = imr_results_hit(r, 0);
            CHECK_STR(h->letter, "l1_cryo");
            CHECK_INT(h->in_letter, 1);
            CHECK_STR(h->snippet_from, "summary");
            CHECK(strstr(h->snippet, IMR_MARK_OPEN_STR "arthroscopic") != NULL);
            CHECK_STR(h->item, "Continuous flow cryotherapy unit for the right shoulder");
            CHECK_INT(imr_results_total_items(r), 1);
            CHECK_INT(imr_results_total_letters(r), 1);
            CHECK(h->score > 0);
        }
        imr_results_free(r);
    }
    for (int limit = 0; limit <= 10; limit += 10) {
        imr_results_t *r = NULL;
        imr_search_opts_t o = {.query = "arthroscopic", .limit = (size_t)limit};
        CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
        CHECK_INT(r ? imr_results_count(r) : 1, 0);
        CHECK_INT(r ? imr_results_total_items(r) : 1, 0);
        imr_results_free(r);
    }
    /* Found on the item's own text: not marked, snippet from the item's columns. */
    imr_results_t *r = NULL;
    imr_search_opts_t o = {.query = "cryotherapy", .limit = 1};
    CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
    CHECK(r && imr_results_count(r) == 1);
    if (r && imr_results_count(r) == 1) {
        CHECK_INT(imr_results_hit(r, 0)->in_letter, 0);
        CHECK_STR(imr_results_hit(r, 0)->snippet_from, "rationale");
    }
    imr_results_free(r);
    /* Only items whose own text has the words: l2's items say cryotherapy only in its summary. */
    char got[256];
    uint64_t items = 0;
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "cryotherapy"}, got, sizeof got, &items, NULL,
                  &err),
              IMR_OK);
    CHECK_STR(got, "l1_cryo#1");
    /* An item-level and a letter-level part together: both must hold. */
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "unit summary:arthroscopic"}, got, sizeof got,
                  &items, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l1_cryo#1");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "traction summary:arthroscopic"}, got,
                  sizeof got, &items, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "item:arthroscopic"}, got, sizeof got, &items,
                  NULL, &err),
              IMR_OK);
    CHECK_STR(got, "");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "(cryotherapy OR summary:arthroscopic)"}, got,
                  sizeof got, NULL, NULL, &err),
              IMR_ERR_QUERY);
    CHECK_STR(err.msg, "this part mixes the item's text with the letter's (summary:, letter:) "
                       "inside one OR, NOT, NEAR or field; write them as separate parts (at "
                       "column 1): (cryotherapy OR summary:arthroscopic)");
}

static void test_search(imr_db_t *db)
{
    char got[1024];
    uint64_t items = 0, lets = 0;
    imr_error_t err;

    /* Everything, newest decision first; a letter without a date last. */
    CHECK_INT(ids(db, (imr_search_opts_t){0}, got, sizeof got, &items, &lets, &err), IMR_OK);
    CHECK_STR(got, "l1_cryo#1 l3_tens#1 l3_tens#2 l2_thermo#1 l2_thermo#2 l4_mri#1");
    CHECK_INT(items, 6);
    CHECK_INT(lets, 4);

    /* The item's own text and rationale outrank the case summary. */
    CHECK_INT(
        ids(db, (imr_search_opts_t){.query = "cryotherapy"}, got, sizeof got, &items, &lets, &err),
        IMR_OK);
    CHECK_STR(got, "l1_cryo#1");
    CHECK_INT(items, 1); /* on its own text only, whatever the page */
    CHECK_INT(lets, 1);
    for (size_t limit = 0; limit <= 10; limit++) {
        imr_results_t *r = NULL;
        imr_search_opts_t o = {.query = "cryotherapy", .limit = limit};
        CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
        CHECK_INT(r ? imr_results_total_items(r) : 0, 1);
        CHECK_INT(r ? imr_results_count(r) : 0, 1);
        imr_results_free(r);
    }

    /*
     * "thermocool overturned": the upheld ThermoCool item of l2 is not an overturned hit, and
     * neither is its overturned medial branch block, whose letter names ThermoCool only in the
     * summary: no overturned ThermoCool precedent exists.
     */
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool", .decision = "overturned"}, got,
                  sizeof got, &items, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "");
    CHECK_INT(items, 0);
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool overturned"}, got, sizeof got,
                  &items, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool upheld"}, got, sizeof got, NULL,
                  NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l2_thermo#2");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool", .decision = "upheld"}, got,
                  sizeof got, NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l2_thermo#2");
    CHECK_INT(
        ids(db, (imr_search_opts_t){.query = "item:thermocool"}, got, sizeof got, NULL, NULL, &err),
        IMR_OK);
    CHECK_STR(got, "l2_thermo#2");
    /* With a page of one, the first pass fills it: no wider pass, only the item's own text. */
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool", .limit = 1}, got, sizeof got,
                  &items, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l2_thermo#2");
    CHECK_INT(items, 1);

    /* A word only in a letter's summary: through summary: and through the wider pass. */
    test_letter_words(db);

    /* Filters: lists, case, dates, layout, specialty, source. */
    CHECK_INT(ids(db, (imr_search_opts_t){.item_type = "tens-estim, MRI"}, got, sizeof got, NULL,
                  NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l3_tens#1 l4_mri#1");
    CHECK_INT(ids(db, (imr_search_opts_t){.body_region = "lumbar", .date_from = "2014"}, got,
                  sizeof got, NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l3_tens#1 l3_tens#2");
    CHECK_INT(ids(db, (imr_search_opts_t){.date_to = "2014-02"}, got, sizeof got, NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l3_tens#1 l3_tens#2 l2_thermo#1 l2_thermo#2");
    CHECK_INT(
        ids(db, (imr_search_opts_t){.date_to = "2014-02-09"}, got, sizeof got, NULL, NULL, &err),
        IMR_OK);
    CHECK_STR(got, "l2_thermo#1 l2_thermo#2");
    /* l4_mri has no date at all: a date filter leaves it out and counts it, when it would
       match otherwise. */
    static const struct {
        imr_search_opts_t o;
        uint64_t undated;
    } undated[] = {{{.date_from = "2014"}, 1},
                   {{.query = "knee", .date_to = "2020"}, 1},
                   {{.query = "knee"}, 0},
                   {{.body_region = "lumbar", .date_from = "2014"}, 0}};
    for (size_t k = 0; k < sizeof undated / sizeof undated[0]; k++) {
        imr_results_t *r = NULL;
        imr_facets_t *fc = NULL;
        imr_facet_request_t req = {{"year", NULL}, 1};
        CHECK_INT(imr_search(db, &undated[k].o, &r, &err), IMR_OK);
        CHECK_INT(imr_facets(db, &undated[k].o, &req, 1, &fc, &err), IMR_OK);
        if (r)
            CHECK_INT(imr_results_undated_letters(r), undated[k].undated);
        if (fc)
            CHECK_INT(imr_facets_undated_letters(fc), undated[k].undated);
        imr_results_free(r);
        imr_facets_free(fc);
    }
    CHECK_INT(ids(db, (imr_search_opts_t){.layout = "2,0"}, got, sizeof got, NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l3_tens#1 l3_tens#2 l4_mri#1");
    CHECK_INT(
        ids(db, (imr_search_opts_t){.specialty = "ORTHOPEDIC"}, got, sizeof got, NULL, NULL, &err),
        IMR_OK);
    CHECK_STR(got, "l1_cryo#1");
    CHECK_INT(ids(db, (imr_search_opts_t){.specialty = "50%"}, got, sizeof got, &items, NULL, &err),
              IMR_ERR_ARG);
    CHECK(strncmp(err.msg, "unknown specialty \"50%\"; specialties are: acupuncture, ", 55) == 0);
    CHECK(strstr(err.msg, ", orthopedic-surgery, ") && strstr(err.msg, ", other, unknown"));
    /* Both spellings, pairs in either order, words of a slug, unknown. */
    CHECK_INT(ids(db, (imr_search_opts_t){.specialty = "physical medicine"}, got, sizeof got,
                  NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l2_thermo#1 l2_thermo#2");
    CHECK_INT(ids(db, (imr_search_opts_t){.specialty = "unknown,orthopedic-surgery"}, got,
                  sizeof got, NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l1_cryo#1 l4_mri#1");
    CHECK_INT(ids(db, (imr_search_opts_t){.specialty = "surgery-orthopedic"}, got, sizeof got,
                  NULL, NULL, &err),
              IMR_ERR_ARG);
    /* A specialty that exists, with a query that matches nothing: no match, no error. */
    CHECK_INT(ids(db, (imr_search_opts_t){.specialty = "orthopedic", .query = "traction"}, got,
                  sizeof got, &items, NULL, &err),
              IMR_OK);
    CHECK_INT(items, 0);
    CHECK_INT(ids(db, (imr_search_opts_t){.source = "mtus", .query = "unit"}, got, sizeof got, NULL,
                  NULL, &err),
              IMR_OK);
    CHECK(strstr(got, "l2_thermo#2") && strstr(got, "l3_tens#1") && strstr(got, "l3_tens#2") &&
          !strstr(got, "l1_cryo"));

    /* Pages: offset and limit; past the end keeps the totals. */
    CHECK_INT(
        ids(db, (imr_search_opts_t){.limit = 2, .offset = 1}, got, sizeof got, &items, NULL, &err),
        IMR_OK);
    CHECK_STR(got, "l3_tens#1 l3_tens#2");
    CHECK_INT(
        ids(db, (imr_search_opts_t){.limit = 2, .offset = 10}, got, sizeof got, &items, NULL, &err),
        IMR_OK);
    CHECK_STR(got, "");
    CHECK_INT(items, 6);

    /* Grouped per letter: limit counts letters. */
    imr_results_t *r = NULL;
    imr_search_opts_t g = {.by_letter = 1, .limit = 2};
    CHECK_INT(imr_search(db, &g, &r, &err), IMR_OK);
    if (!r)
        return;
    CHECK_INT(imr_results_count(r), 3);
    CHECK_STR(imr_results_hit(r, 1)->letter, "l3_tens");
    CHECK_INT(imr_results_hit(r, 1)->first_of_letter, 1);
    CHECK_INT(imr_results_hit(r, 2)->first_of_letter, 0);
    CHECK_INT(imr_results_hit(r, 2)->letter_rank, 2);
    imr_results_free(r);

    /* A hit's fields, snippet from the rationale with marks, display form without newlines. */
    /*
     * A region word matches the item's region or its item line, never the boilerplate: l2's
     * ThermoCool unit names the knee only in its guideline citation. --literal searches it.
     */
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool knee"}, got, sizeof got, NULL,
                  NULL, &err),
              IMR_OK);
    CHECK_STR(got, "");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "thermocool knee", .literal = 1}, got,
                  sizeof got, NULL, NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l2_thermo#2");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "cryotherapy shoulder"}, got, sizeof got, NULL,
                  NULL, &err),
              IMR_OK);
    CHECK_STR(got, "l1_cryo#1");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "region:lumbar"}, got, sizeof got, NULL, NULL,
                  &err),
              IMR_OK);
    CHECK_STR(got, "l3_tens#1 l3_tens#2 l2_thermo#1");
    CHECK_INT(ids(db, (imr_search_opts_t){.query = "region:elbowish"}, got, sizeof got, NULL,
                  NULL, &err),
              IMR_ERR_ARG);

    /* --literal: "shoulder" is text, not the region (the phrase is marked whole). */
    imr_search_opts_t q = {.query = "shoulder surgery", .limit = 1, .literal = 1};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_OK);
    CHECK(r && imr_results_count(r) == 1);
    if (r && imr_results_count(r) == 1) {
        const imr_hit_t *h = imr_results_hit(r, 0);
        CHECK_STR(h->letter, "l1_cryo");
        CHECK_STR(h->path, "corpus/l1_cryo.txt");
        CHECK_STR(h->case_number, "CM15-0000001");
        CHECK_STR(h->decision_date, "2015-06-01");
        CHECK_STR(h->decision, "overturned");
        CHECK_STR(h->item_type, "cold-heat-device");
        CHECK_STR(h->body_region, "shoulder");
        CHECK_INT(h->sources, IMR_SOURCE_ODG);
        CHECK_STR(h->item, "Continuous flow cryotherapy unit for the right shoulder");
        CHECK_STR(h->item_marked,
                  "Continuous flow cryotherapy unit for the right \x02shoulder\x03");
        CHECK_STR(h->snippet_from, "rationale");
        CHECK(strstr(h->snippet, "\x02shoulder surgery\x03. The patient") != NULL);
        CHECK(strchr(h->snippet, '\n') == NULL);
        CHECK(h->score > 0);
    }
    imr_results_free(r);

    /* Errors, message by message. */
    q = (imr_search_opts_t){.body_region = "sholder"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK(r == NULL);
    CHECK_STR(err.msg, "unknown region \"sholder\" (did you mean \"shoulder\"?); regions are: "
                       "cervical, thoracic, lumbar, shoulder, elbow, wrist-hand, hip, knee, "
                       "ankle-foot, head, multiple, unspecified");
    q = (imr_search_opts_t){.decision = "maybe"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "unknown decision \"maybe\"; decisions are: upheld, overturned, unknown");
    q = (imr_search_opts_t){.claims_source = "odgg"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "unknown claims source \"odgg\" (did you mean \"odg\"?); claims sources "
                       "are: mtus, acoem, odg, aetna, other, none");
    q = (imr_search_opts_t){.layout = "4"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "unknown layout \"4\"; layouts are: 0, 1, 2, 3");
    q = (imr_search_opts_t){.source = ","};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "unknown source \",\"; sources are: mtus, acoem, odg, aetna, other, none");
    q = (imr_search_opts_t){.date_from = "2015-02-30"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "bad date \"2015-02-30\" for --from: write YYYY, YYYY-MM or YYYY-MM-DD");
    q = (imr_search_opts_t){.date_from = "2016", .date_to = "2015-12"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "--from 2016 is after --to 2015-12");
    q = (imr_search_opts_t){.query = "(cold"};
    CHECK_INT(imr_search(db, &q, &r, &err), IMR_ERR_QUERY);
}

static void test_dates(void)
{
    static const struct {
        const char *in;
        int upper;
        const char *want; /* NULL: refused */
    } cases[] = {
        {"2015", 0, "2015-01-01"},
        {"2015", 1, "2015-12-31"},
        {"2016-02", 1, "2016-02-29"},
        {"2015-02", 1, "2015-02-28"},
        {"1900-02", 1, "1900-02-28"},
        {"2000-02", 1, "2000-02-29"},
        {"2015-06-15", 1, "2015-06-15"},
        {"2015-6-15", 0, NULL},
        {"2015-13", 0, NULL},
        {"2015-04-31", 0, NULL},
        {"15", 0, NULL},
        {"", 0, NULL},
        {"2015-06-1x", 0, NULL},
        {"20150601", 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11] = "";
        imr_error_t err;
        imr_status_t st = imr_date_bound(cases[i].in, cases[i].upper, "--to", out, &err);
        if (cases[i].want) {
            CHECK_INT(st, IMR_OK);
            CHECK_STR(out, cases[i].want);
        } else {
            CHECK_INT(st, IMR_ERR_ARG);
        }
    }
}

static void test_display(void)
{
    imr__buf_t b = {0};
    imr__buf_add_display(&b, "  a\n\n b\t\tc\xc2\xa0 d  \r\n", 18);
    CHECK_STR(b.p, "a b c d");
    free(b.p);
    b = (imr__buf_t){0};
    imr__buf_add_display(&b, " \n ", 3);
    CHECK_STR(b.p, "");
    free(b.p);
}

/* Finds row `value` of a one-facet table; its count, or -1. */
static long long cell(const imr_facet_table_t *t, const char *row, const char *col)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (strcmp(t->row_value[i], row) == 0) {
            if (!col)
                return (long long)t->row_total[i];
            for (size_t j = 0; j < t->n_cols; j++)
                if (strcmp(t->col_value[j], col) == 0)
                    return (long long)t->count[i * t->n_cols + j];
            return 0;
        }
    return -1;
}

static void test_facets(imr_db_t *db)
{
    imr_error_t err;
    imr_facets_t *f = NULL;
    imr_facet_request_t req[] = {{{"decision", NULL}, 1},     {{"source", NULL}, 1},
                                 {{"year", NULL}, 1},         {{"specialty", NULL}, 1},
                                 {{"region", "decision"}, 2}, {{"source", "decision"}, 2},
                                 {{"item_type", NULL}, 1}};
    imr_search_opts_t all = {0};
    CHECK_INT(imr_facets(db, &all, req, 7, &f, &err), IMR_OK);
    if (!f)
        return;
    CHECK_INT(imr_facets_total_items(f), 6);
    CHECK_INT(imr_facets_total_letters(f), 4);
    const imr_facet_table_t *t = imr_facets_table(f, 0);
    CHECK_STR(t->dim[0], "decision");
    CHECK_INT(t->n_rows, 2);
    CHECK_STR(t->row_value[0], "upheld");
    CHECK_INT(t->row_total[0], 4);
    CHECK_STR(t->row_value[1], "overturned");
    CHECK_INT(t->row_total[1], 2);
    CHECK_INT(t->total, 6);
    t = imr_facets_table(f, 1); /* source: by count, ties by name */
    CHECK_INT(t->n_rows, 4);
    CHECK_STR(t->row_value[0], "mtus");
    CHECK_INT(t->row_total[0], 3);
    CHECK_STR(t->row_value[1], "odg");
    CHECK_INT(t->row_total[1], 3);
    CHECK_STR(t->row_value[2], "acoem");
    CHECK_INT(t->row_total[2], 2);
    CHECK_STR(t->row_value[3], "none");
    CHECK_INT(t->total, 6);
    t = imr_facets_table(f, 2); /* year: ascending, unknown last */
    CHECK_INT(t->n_rows, 4);
    CHECK_STR(t->row_value[0], "2013");
    CHECK_INT(t->row_total[0], 2);
    CHECK_STR(t->row_value[3], "unknown");
    t = imr_facets_table(f, 3);
    CHECK_INT(cell(t, "physical-medicine-rehabilitation", NULL), 2);
    CHECK_INT(cell(t, "unknown", NULL), 1);
    t = imr_facets_table(f, 4); /* region x decision */
    CHECK_STR(t->dim[0], "region");
    CHECK_STR(t->dim[1], "decision");
    CHECK_INT(cell(t, "lumbar", "upheld"), 2);
    CHECK_INT(cell(t, "lumbar", "overturned"), 1);
    CHECK_INT(cell(t, "lumbar", NULL), 3);
    CHECK_INT(cell(t, "shoulder", "overturned"), 1);
    CHECK_INT(t->n_cols, 2);
    CHECK_STR(t->col_value[0], "upheld");
    CHECK_INT(t->col_total[0], 4);
    t = imr_facets_table(f, 5); /* source x decision: items counted once in totals */
    CHECK_INT(cell(t, "odg", "overturned"), 2);
    CHECK_INT(cell(t, "odg", "upheld"), 1);
    CHECK_INT(cell(t, "mtus", "upheld"), 3);
    CHECK_INT(t->col_total[0], 4);
    CHECK_INT(t->total, 6);
    t = imr_facets_table(f, 6);
    CHECK_STR(t->dim[0], "type");
    CHECK_INT(cell(t, "cold-heat-device", NULL), 2);
    imr_facets_free(f);

    /* With a query and a filter. */
    imr_search_opts_t o = {.query = "unit", .decision = "upheld"};
    CHECK_INT(imr_facets(db, &o, req, 1, &f, &err), IMR_OK);
    if (f) {
        CHECK_INT(imr_facets_total_items(f), 3);
        CHECK_INT(imr_facets_total_letters(f), 2);
    }
    imr_facets_free(f);

    imr_facet_request_t bad = {{"region", "colour"}, 2};
    CHECK_INT(imr_facets(db, &all, &bad, 1, &f, &err), IMR_ERR_ARG);
    CHECK(f == NULL);
    CHECK_STR(err.msg, "unknown facet \"colour\"; facets are: type, region, source, decision, "
                       "specialty, year, claims-source");

    imr_stats_t s;
    CHECK_INT(imr_stats(db, &s, &err), IMR_OK);
    CHECK_INT(s.letters, 4);
    CHECK_INT(s.items, 6);
    CHECK_INT(s.complete, 3);
    CHECK_INT(s.partial, 1);
    CHECK_INT(s.layout[1], 2);
    CHECK_INT(s.layout[2], 1);
    CHECK_INT(s.layout[0], 1);
}

static void test_show(imr_db_t *db)
{
    imr_error_t err;
    imr_letter_view_t *v = NULL;
    CHECK_INT(imr_letter_show(db, "l2", "cryotherapy thermo*", &v, &err), IMR_OK);
    CHECK(v != NULL);
    if (v) {
        CHECK_STR(v->name, "l2_thermo");
        CHECK_INT(v->n_items, 2);
        CHECK_STR(v->items[1].text, "Rental of a ThermoCool Hot and Cold Unit");
        CHECK_STR(v->items[1].decision, "upheld");
        CHECK_INT(v->items[1].sources, IMR_SOURCE_MTUS | IMR_SOURCE_ODG);
        /* Inflections and prefixes are marked; the rest of the text is kept as is. */
        CHECK(strstr(v->text, "prior \x02"
                              "cryotherapies\x03 had") != NULL);
        CHECK(strstr(v->text, "The \x02ThermoCool\x03 hot") != NULL);
        CHECK_INT(v->n_marks, 4);
    }
    imr_letter_view_free(v);
    CHECK_INT(imr_letter_show(db, "CM14-0000003", NULL, &v, &err), IMR_OK);
    CHECK(v && strcmp(v->name, "l3_tens") == 0 && v->n_marks == 0);
    imr_letter_view_free(v);
    CHECK_INT(imr_letter_show(db, "corpus/l4_mri.txt", "", &v, &err), IMR_OK);
    CHECK(v && strcmp(v->name, "l4_mri") == 0 && strcmp(v->parse, "partial") == 0);
    imr_letter_view_free(v);
    CHECK_INT(imr_letter_show(db, "nothing", NULL, &v, &err), IMR_OK);
    CHECK(v == NULL);
    CHECK_INT(imr_letter_show(db, "l", NULL, &v, &err), IMR_ERR_ARG);
    CHECK_STR(err.msg, "letter \"l\" is ambiguous: l1_cryo, l2_thermo, l3_tens, ...");
    CHECK_INT(imr_letter_show(db, "l1_cryo", "\"open", &v, &err), IMR_ERR_QUERY);
}


/* Runs printer p on the hits of query over db into a string (caller frees). */
static char *print_hits(imr_db_t *db, const imr_printer_t *p, const char *query)
{
    imr_results_t *r = NULL;
    imr_error_t err;
    imr_search_opts_t o = {.query = query};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f || imr_search(db, &o, &r, &err) != IMR_OK) {
        if (f)
            fclose(f);
        free(buf);
        return NULL;
    }
    imr_print_ctx_t c = {.out = f, .query = query, .filters = "", .elapsed_ms = -1.0,
                         .reading = imr_results_query(r)};
    p->results(&c, r);
    fclose(f);
    imr_results_free(r);
    return buf;
}

static void test_printers(imr_db_t *db)
{
    char *s = print_hits(db, imr__printer_find("csv"), "norco");
    CHECK_STR(s, "rank,letter,path,case_number,decision_date,year,year_source,item_number,item,"
                 "decision,item_type,body_region,guideline_source,citation,partial,score,"
                 "matched_in,snippet,page\r\n"
                 "1,p1_odd,corpus/p1_odd.txt,CM16-0000009,2016-01-02,2016,decision-date,1,"
                 "\"Norco 10/325mg #90, \"\"as needed\"\"\",upheld,opioid,unspecified,mtus,,false,"
                 "2.02632e-06,item,\"[Norco] is not supported: back\\slash, tab here, new line.\","
                 "\r\n");
    free(s);
    s = print_hits(db, imr__printer_find("jsonl"), "norco");
    CHECK(s && strstr(s, "\"item\": \"Norco 10/325mg #90, \\\"as needed\\\"\"") != NULL);
    CHECK(s && strstr(s, "\"snippet\": \"[Norco] is not supported: back\\\\slash, tab here, new "
                         "line.\"") != NULL);
    CHECK(s && strstr(s, "\"guideline_source\": [\"mtus\"]") != NULL);
    free(s);
    s = print_hits(db, imr__printer_find("text"), "norco");
    CHECK_STR(s, "1 item in 1 letter matches \"norco\"\n\n"
                 "  1. p1_odd  CM16-0000009  2016-01-02  UPHELD\n"
                 "     [Norco] 10/325mg #90, \"as needed\"\n"
                 "     opioid \xc2\xb7 unspecified \xc2\xb7 mtus \xc2\xb7 item 1\n"
                 "     [Norco] is not supported: back\\slash, tab here, new line.\n");
    free(s);
    s = print_hits(db, imr__printer_find("ids"), "norco");
    CHECK_STR(s, "p1_odd\t1\n");
    free(s);
    CHECK(imr__printer_find("xml") == NULL);
}

/*
 * imr_search_weights_parse() takes exactly IMR_N_ITEM_COLS non-negative numbers; a search
 * ranks with opts.bm25_weights when given (all zero: every score 0) and with the library's
 * weights otherwise.
 */
static void test_weights(imr_db_t *db)
{
    double w[IMR_N_ITEM_COLS] = {7, 7, 7, 7};
    CHECK_INT(imr_search_weights_parse("10,4,1.5,0.5", w), 1);
    CHECK(w[0] == 10 && w[1] == 4 && w[2] == 1.5 && w[3] == 0.5);
    static const char *const bad[] = {"10,4", "a,b,c,d", "1,2,3,4,", "1,2,3,4,5", "-1,2,3,4", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(imr_search_weights_parse(bad[i], w), 0);
        CHECK(w[0] == 10 && w[3] == 0.5); /* unchanged */
    }
    CHECK_INT(imr_search_weights_parse(NULL, w), 0);

    static const double zero[IMR_N_ITEM_COLS] = {0};
    for (int tuned = 0; tuned <= 1; tuned++) {
        imr_search_opts_t o = {.query = "cryotherapy", .bm25_weights = tuned ? zero : NULL};
        imr_results_t *r = NULL;
        imr_error_t err;
        CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
        CHECK(r && imr_results_count(r) > 0);
        for (size_t i = 0; r && i < imr_results_count(r); i++)
            CHECK(tuned ? imr_results_hit(r, i)->score == 0.0 : imr_results_hit(r, i)->score > 0.0);
        imr_results_free(r);
    }
}

/*
 * Items of the same kind (imr_results_related()), on a database of one traction item that
 * names the Saunders unit and 14 other upheld lumbar traction items, one of them overturned:
 * after the one match come at most IMR_RELATED_MAX of the others, newest decision year first,
 * numbered after it and marked related; never the overturned one under "upheld", never more
 * than the limit allows, and none without the option.
 */
static void test_related(void)
{
    enum { N = 16 };
    static char names[N][16], cases[N][16], dates[N][16];
    test_letter_t set[N];
    memset(set, 0, sizeof set);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "t%02d", i);
        snprintf(cases[i], sizeof cases[i], "CM%02d-00000%02d", 13 + i % 10, i);
        snprintf(dates[i], sizeof dates[i], "20%02d-03-01", 13 + i % 10);
        set[i] = (test_letter_t){names[i], cases[i], dates[i], "Orthopedic Surgery", "complete",
                                 1, "Reviewer.", "Low back pain.",
                                 {{i == 0 ? "Saunders home traction unit" : "Home traction unit",
                                   "None cited.", "MTUS ACOEM Chapter 12.",
                                   "Traction is not recommended for the low back.",
                                   i == N - 1 ? "overturned" : "upheld", "traction", "lumbar",
                                   "mtus,acoem"}}};
    }
    set[N - 2].items[0].type = "tens-estim"; /* another kind */
    set[N - 2].items[0].text = "TENS unit";
    char path[] = "/tmp/imr-test-related-XXXXXX";
    int fd = mkstemp(path);
    imr_db_t *db = NULL;
    imr_error_t err;
    CHECK(fd >= 0);
    close(fd);
    unlink(path);
    CHECK_INT(imr_db_open(path, IMR_DB_WRITE, &db, &err), IMR_OK);
    build(db, set, N);

    imr_search_opts_t o = {.query = "saunders traction upheld", .limit = 100, .related = 1};
    imr_results_t *r = NULL;
    CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
    CHECK_INT((int)imr_results_count(r), 1);
    CHECK_INT((int)imr_results_total_items(r), 1);
    CHECK_INT((int)imr_results_n_related(r), IMR_RELATED_MAX);
    const char *prev_year = "9999";
    for (size_t i = 0; i < imr_results_n_related(r); i++) {
        const imr_hit_t *h = imr_results_related(r, i);
        CHECK(h->related);
        CHECK_INT((int)h->rank, (int)i + 2);
        CHECK_STR(h->item_type, "traction");
        CHECK_STR(h->decision, "upheld");
        CHECK(strcmp(h->letter, "t00") != 0);
        CHECK(strcmp(h->decision_date, prev_year) <= 0); /* newest year first */
        prev_year = h->decision_date;
    }
    const imr_query_t *kind = imr_results_related_query(r);
    CHECK(kind && imr_query_n_facets(kind) == 2);
    imr_results_free(r);

    /* Two matches of two types: no kind is most of them, so none follow. */
    o.query = "saunders OR tens";
    CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
    CHECK_INT((int)imr_results_count(r), 2);
    CHECK_INT((int)imr_results_n_related(r), 0);
    imr_results_free(r);
    o.query = "saunders traction upheld";

    o.limit = 4; /* room for three */
    CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
    CHECK_INT((int)imr_results_n_related(r), 3);
    uint64_t work = imr_results_work(r);
    imr_results_free(r);
    o.related = 0;
    CHECK_INT(imr_search(db, &o, &r, &err), IMR_OK);
    CHECK_INT((int)imr_results_n_related(r), 0);
    CHECK(imr_results_work(r) < work); /* the work counts the related search's */
    CHECK(imr_results_related(r, 0) == NULL && imr_results_related_query(r) == NULL);
    imr_results_free(r);
    imr_db_close(db);
    check_remove_db(path);
}

int main(void)
{
    char path[] = "/tmp/imr-test-search-XXXXXX";
    int fd = mkstemp(path);
    imr_db_t *db = NULL;
    imr_error_t err;
    if (fd < 0)
        return 1;
    close(fd);
    unlink(path);
    if (imr_db_open(path, IMR_DB_WRITE, &db, &err) != IMR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    build(db, letters, N_LETTERS);
    test_search(db);
    test_weights(db);
    test_facets(db);
    test_show(db);
    test_dates();
    test_display();
    test_related();
    imr_db_close(db);
    check_remove_db(path);

    /* A second database for the printers. */
    if (imr_db_open(path, IMR_DB_WRITE, &db, &err) != IMR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    build(db, odd_letters, 1);
    test_printers(db);
    imr_db_close(db);
    check_remove_db(path);
    return check_done();
}
