/*
 * test_query.c - the query language (query/parse.c).
 *
 * 1. Every case of tests/data/query_translate.txt: the FTS5 expression or the exact error,
 *    and the highlight terms.
 * 2. Every successful translation there is run as a MATCH on an in-memory item_fts table
 *    (stock unicode61 tokenizer: this checks FTS5 syntax, not matching).
 * 3. Limits: query length, term count, nesting depth.
 * 4. The API's edges: NULL arguments, the empty query, imr_query_free(NULL).
 * 0. The first queries of the process run in four threads at once (the dictionary loads once).
 * 5. A fuzz loop: a few thousand random strings from a query-ish alphabet (fixed seed); each
 *    must translate to something FTS5 accepts or be refused with IMR_ERR_QUERY and one line.
 * 6. imr__fold_key(), the dictionaries' and synonyms' key, on ASCII (folded without utf8proc)
 *    and on other text (mapped by it): both give the same keys for the same words.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "check.h"
#include "imr.h"
#include "synonyms.h"

static sqlite3 *g_db;
static sqlite3_stmt *g_match, *g_match_letter;

/* One thread's translation of the same query, compared by the main thread. */
typedef struct thread_result {
    imr_status_t st;
    char fts[512];
} thread_result_t;

/* Thread body: translates one query into the thread_result_t it is given. */
static void *parse_in_thread(void *arg)
{
    thread_result_t *r = arg;
    imr_query_t *q = NULL;
    imr_error_t err = {0};
    r->st = imr_query_parse("transcutaneous electrical nerve stimulation unit", &q, &err);
    snprintf(r->fts, sizeof r->fts, "%s", r->st == IMR_OK ? imr_query_fts5(q) : err.msg);
    imr_query_free(q);
    return NULL;
}

/* Four threads make the first translations of the process together. */
static void test_threads(void)
{
    pthread_t th[4];
    thread_result_t res[4];
    for (int i = 0; i < 4; i++)
        CHECK_INT(pthread_create(&th[i], NULL, parse_in_thread, &res[i]), 0);
    for (int i = 0; i < 4; i++) {
        CHECK_INT(pthread_join(th[i], NULL), 0);
        CHECK_INT(res[i].st, IMR_OK);
        CHECK_STR(res[i].fts, "(\"TENS\" OR \"transcutaneous electrical nerve stimulation\" OR "
                              "\"transcutaneous electrical nerve stimulator\") AND \"unit\"");
    }
}

/* Opens the in-memory table every translation is tried on. */
static void open_fts(void)
{
    int rc = sqlite3_open(":memory:", &g_db);
    CHECK(rc == SQLITE_OK);
    rc = sqlite3_exec(g_db,
                      "CREATE VIRTUAL TABLE item_fts USING fts5(item, rationale, guideline,"
                      " ca_guideline);"
                      "INSERT INTO item_fts VALUES('TENS unit L5-S1', 'cold therapy', 'ODG',"
                      " 'MTUS');"
                      "CREATE VIRTUAL TABLE letter_fts USING fts5(summary, other);"
                      "INSERT INTO letter_fts VALUES('shoulder', 'other');",
                      NULL, NULL, NULL);
    CHECK(rc == SQLITE_OK);
    rc = sqlite3_prepare_v2(g_db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH ?", -1,
                            &g_match, NULL);
    CHECK(rc == SQLITE_OK);
    rc = sqlite3_prepare_v2(g_db, "SELECT count(*) FROM letter_fts WHERE letter_fts MATCH ?", -1,
                            &g_match_letter, NULL);
    CHECK(rc == SQLITE_OK);
}

/* Returns 1 when FTS5 runs `expr` on statement m without error; prints the error otherwise. */
static int fts5_runs(sqlite3_stmt *m, const char *expr, const char *query)
{
    sqlite3_reset(m);
    sqlite3_bind_text(m, 1, expr, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(m)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "FTS5 refused [%s] (from [%s]): %s\n", expr, query, sqlite3_errmsg(g_db));
        sqlite3_reset(m);
        return 0;
    }
    return 1;
}

/*
 * Returns 1 when FTS5 accepts every expression of q: the item one on item_fts, the letter one
 * on letter_fts, and each soft facet's probe on item_fts.
 */
static int query_accepted(const imr_query_t *q, const char *query)
{
    int ok = 1;
    if (imr_query_fts5(q))
        ok &= fts5_runs(g_match, imr_query_fts5(q), query);
    if (imr_query_fts5_letter(q))
        ok &= fts5_runs(g_match_letter, imr_query_fts5_letter(q), query);
    for (size_t i = 0; i < imr_query_n_facets(q); i++)
        if (imr_query_facet(q, i)->probe)
            ok &= fts5_runs(g_match, imr_query_facet(q, i)->probe, query);
    return ok;
}

/* Returns 1 when FTS5 accepts `expr` on item_fts. */
static int fts5_accepts(const char *expr, const char *query)
{
    return fts5_runs(g_match, expr, query);
}

/* Decodes an "esc:" query line (\xHH, \t, \n, \\) into buf. */
static void unescape(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    while (*s && n + 1 < cap) {
        if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
            char hex[3] = {s[2], s[3], 0};
            buf[n++] = (char)strtol(hex, NULL, 16);
            s += 4;
        } else if (s[0] == '\\' && (s[1] == 't' || s[1] == 'n' || s[1] == '\\')) {
            buf[n++] = s[1] == 't' ? '\t' : s[1] == 'n' ? '\n' : '\\';
            s += 2;
        } else {
            buf[n++] = *s++;
        }
    }
    buf[n] = '\0';
}

/* Joins q's terms with " | ", as the table file writes them. */
static void join_terms(const imr_query_t *q, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < imr_query_n_terms(q); i++)
        n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", i ? " | " : "",
                              imr_query_term(q, i));
}

/*
 * Checks one case of the table file; line is the case's first line number. want_terms holds
 * the case's lines after the expression ("letter: ..." and "terms: ..."), joined by newlines.
 */
static void run_case(const char *query_line, const char *want, const char *want_terms, int line)
{
    char query[4096], got[16384], terms[8192];
    imr_query_t *q = NULL;
    imr_error_t err = {0};

    if (strncmp(query_line, "esc:", 4) == 0)
        unescape(query_line + 4, query, sizeof query);
    else
        snprintf(query, sizeof query, "%s", query_line);
    imr_status_t st = imr_query_parse(query, &q, &err);
    if (st == IMR_OK) {
        const char *fts = imr_query_fts5(q), *letter = imr_query_fts5_letter(q);
        snprintf(got, sizeof got, "%s", fts ? fts : letter ? "(none)" : "(everything)");
        if (letter)
            snprintf(got + strlen(got), sizeof got - strlen(got), "\nletter: %s", letter);
        if (imr_query_fts5_exclude(q))
            snprintf(got + strlen(got), sizeof got - strlen(got), "\nnot: %s",
                     imr_query_fts5_exclude(q));
        for (size_t i = 0; i < imr_query_n_facets(q); i++) {
            const imr_query_facet_t *f = imr_query_facet(q, i);
            snprintf(got + strlen(got), sizeof got - strlen(got), "\nread: %s%s %s%s",
                     f->negated ? "not " : "", f->field, f->value, f->soft ? " or text" : "");
        }
        join_terms(q, terms, sizeof terms);
        snprintf(got + strlen(got), sizeof got - strlen(got), "\nterms:%s%s", *terms ? " " : "",
                 terms);
        CHECK(query_accepted(q, query));
        CHECK(q != NULL);
    } else {
        snprintf(got, sizeof got, "error: %s", err.msg);
        CHECK_INT(st, IMR_ERR_QUERY);
        CHECK(q == NULL);
    }
    char expect[40000];
    snprintf(expect, sizeof expect, "%s%s%s", want, want_terms ? "\n" : "",
             want_terms ? want_terms : "");
    if (strcmp(got, expect) == 0) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr, "query_translate.txt:%d: [%s]\n  got:  %s\n  want: %s\n", line, query_line,
                got, expect);
    }
    imr_query_free(q);
}

/* Runs every case of tests/data/query_translate.txt; returns how many there were. */
static int run_table(void)
{
    const char *path = IMR_SOURCE_DIR "/tests/data/query_translate.txt";
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return 0;
    char lines[8][4096]; /* a case: the query, the expression, up to six lines more */
    int n = 0, first = 0, lineno = 0, cases = 0;
    char buf[4096];
    for (;;) {
        char *got = fgets(buf, sizeof buf, f);
        if (got) {
            lineno++;
            buf[strcspn(buf, "\n")] = '\0';
            if (strncmp(buf, "##", 2) == 0)
                continue;
        }
        if (!got || buf[0] == '\0') {
            if (n >= 2) {
                char rest[8 * 4100] = "";
                for (int k = 2; k < n; k++)
                    snprintf(rest + strlen(rest), sizeof rest - strlen(rest), "%s%s",
                             k > 2 ? "\n" : "", lines[k]);
                run_case(lines[0], lines[1], n >= 3 ? rest : NULL, first);
                cases++;
            } else if (n == 1) {
                fprintf(stderr, "query_translate.txt:%d: a case without an expectation\n", first);
                check_failed++;
            }
            n = 0;
            if (!got)
                break;
            continue;
        }
        if (n == 0)
            first = lineno;
        if (n < 8)
            snprintf(lines[n++], sizeof lines[0], "%s", buf);
    }
    fclose(f);
    return cases;
}

/* Parses text and returns the status; on success checks FTS5 accepts the expression. */
static imr_status_t parse_status(const char *text, imr_error_t *err)
{
    imr_query_t *q = NULL;
    imr_status_t st = imr_query_parse(text, &q, err);
    if (st == IMR_OK)
        CHECK(query_accepted(q, text));
    imr_query_free(q);
    return st;
}

/* Query length, term count and nesting limits. */
static void test_limits(void)
{
    imr_error_t err = {0};
    size_t big = 100 * 1024;
    char *s = malloc(big + 1);
    CHECK(s != NULL);
    if (!s)
        return;

    /* 100 KB of "a ". */
    for (size_t i = 0; i < big; i += 2)
        memcpy(s + i, "a ", 2);
    s[big] = '\0';
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK_STR(err.msg, "query is too long: more than 10000 bytes");

    /* Exactly 10,000 bytes is accepted as to length, but 5,000 words are too many terms. */
    s[10000] = '\0';
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK_STR(err.msg, "query is too long: more than 256 terms");

    /* 256 words pass, 257 do not. */
    s[256 * 2] = '\0';
    CHECK_INT(parse_status(s, &err), IMR_OK);
    for (size_t i = 0; i < 257 * 2; i += 2)
        memcpy(s + i, "a ", 2);
    s[257 * 2] = '\0';
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK_STR(err.msg, "query is too long: more than 256 terms");

    /* 64 nested parentheses pass, 65 do not; 4,000 are refused without deep recursion. */
    for (int depth = 64; depth <= 65; depth++) {
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            s[n++] = '(';
        s[n++] = 'x';
        for (int i = 0; i < depth; i++)
            s[n++] = ')';
        s[n] = '\0';
        imr_status_t st = parse_status(s, &err);
        CHECK_INT(st, depth == 64 ? IMR_OK : IMR_ERR_QUERY);
        if (depth == 65)
            CHECK_STR(err.msg, "too many nested parentheses or fields (at column 65): "
                               "(x))))))))))))))))))))))))))))))))))))))...");
    }
    memset(s, '(', 4000);
    s[4000] = '\0';
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK(strncmp(err.msg, "too many nested parentheses or fields (at column 65): ((((", 57) == 0);

    /* Field scopes count as nesting too. */
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(s + n, "item:");
    sprintf(s + n, "x");
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK(strncmp(err.msg, "too many nested parentheses or fields (at column 321)", 53) == 0);

    /* A long error excerpt is cut and marked. */
    memset(s, 'y', 200);
    memcpy(s + 200, " OR", 4);
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK_STR(err.msg, "OR needs a term after it (at column 202): OR");
    memcpy(s, "OR ", 3);
    memset(s + 3, 'y', 200);
    s[203] = '\0';
    CHECK_INT(parse_status(s, &err), IMR_ERR_QUERY);
    CHECK_STR(
        err.msg,
        "OR needs a term before it (at column 1): OR yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...");
    free(s);
}

/* NULL arguments, the empty query, accessors out of range. */
static void test_api(void)
{
    imr_error_t err = {0};
    imr_query_t *q = (imr_query_t *)&err;

    CHECK_INT(imr_query_parse(NULL, &q, &err), IMR_ERR_ARG);
    CHECK(q == NULL);
    CHECK_INT(imr_query_parse("cold", NULL, &err), IMR_ERR_ARG);
    CHECK_INT(imr_query_parse("(", &q, NULL), IMR_ERR_QUERY); /* err may be NULL */
    CHECK(q == NULL);

    CHECK_INT(imr_query_parse("", &q, &err), IMR_OK);
    CHECK(q != NULL);
    CHECK(imr_query_fts5(q) == NULL);
    CHECK_INT(imr_query_n_terms(q), 0);
    CHECK(imr_query_term(q, 0) == NULL);
    imr_query_free(q);

    CHECK_INT(imr_query_parse("cold", &q, &err), IMR_OK);
    CHECK_STR(imr_query_fts5(q), "\"cold\"");
    CHECK_INT(imr_query_n_terms(q), 1);
    CHECK_STR(imr_query_term(q, 0), "cold");
    CHECK(imr_query_term(q, 1) == NULL);
    imr_query_free(q);

    imr_query_free(NULL);
    CHECK(imr_query_fts5(NULL) == NULL);
    CHECK_INT(imr_query_n_terms(NULL), 0);
    CHECK(imr_query_term(NULL, 0) == NULL);
}

/* A small deterministic generator (xorshift32), so the fuzz loop is the same every run. */
static uint32_t g_rand = 2463534242u;
/* The next pseudo-random number. */
static uint32_t next_rand(void)
{
    g_rand ^= g_rand << 13;
    g_rand ^= g_rand >> 17;
    g_rand ^= g_rand << 5;
    return g_rand;
}

/* Random strings from pieces of the query language; each translates or is refused cleanly. */
static void test_fuzz(void)
{
    static const char *const pieces[] = {
        "cold",       "TENS",  "tens",        "unit",     "h-wave",     "L5-S1",
        "10/325mg",   "#90",   "a",           "c",        "OR",         "AND",
        "NOT",        "NEAR",  "NEAR(",       "or",       "not",        "(",
        ")",          "\"",    "“",           "”",        "-",          "--",
        "*",          "cryo*", "item:",       "summary:", "guideline:", "rationale:",
        "foo:",       ":",     ",",           "5",        "1001",       " ",
        " ",          " ",     "  ",          "\t",       "'",          ";",
        "{",          "}",     "^",           "é",        "東",         "ＴＥＮＳ",
        "\xc2\xa0",   "🙂",  "medial",      "branch",   "block",      "transcutaneous",
        "electrical", "nerve", "stimulation", "\xff",     "\xc3",       "\x01",
        "hot/cold",   "\"\"",
    };
    const size_t n_pieces = sizeof pieces / sizeof pieces[0];
    char s[512];
    int ok = 0, refused = 0, bad = 0;

    for (int iter = 0; iter < 4000; iter++) {
        size_t n = 0;
        int count = 1 + (int)(next_rand() % 24);
        for (int k = 0; k < count; k++) {
            const char *pc = pieces[next_rand() % n_pieces];
            size_t l = strlen(pc);
            if (n + l >= sizeof s)
                break;
            memcpy(s + n, pc, l);
            n += l;
        }
        s[n] = '\0';
        imr_query_t *q = NULL;
        imr_error_t err = {0};
        imr_status_t st = imr_query_parse(s, &q, &err);
        if (st == IMR_OK) {
            ok++;
            if (imr_query_fts5(q) && !fts5_accepts(imr_query_fts5(q), s))
                bad++;
        } else if (st == IMR_ERR_QUERY && q == NULL && err.msg[0] && !strchr(err.msg, '\n')) {
            refused++;
        } else {
            bad++;
            fprintf(stderr, "fuzz: [%s] gave status %d: %s\n", s, (int)st, err.msg);
        }
        imr_query_free(q);
    }
    CHECK_INT(bad, 0);
    CHECK(ok > 100);
    CHECK(refused > 100);
    printf("fuzz: %d translated, %d refused\n", ok, refused);
}

static void test_fold_key(void)
{
    static const struct {
        const char *in;
        size_t n; /* 0: strlen */
        const char *want;
    } cases[] = {
        {"Hot/Cold  UNIT", 0, "hot cold unit"},
        {"L5-S1", 0, "l5 s1"},
        {"  --  ", 0, ""},
        {"", 0, ""},
        {"a\0b", 3, "a b"},
        {"Q-TECH 10/325mg", 0, "q tech 10 325mg"},
        {"CAF\xc3\x89 cold", 0, "cafe cold"},                /* É: casefold, mark stripped */
        {"\xef\xbc\xa3\xef\xbd\x8f\xef\xbd\x8c\xef\xbd\x84 UNIT", 0, "cold unit"}, /* fullwidth */
        {"Stra\xc3\x9f" "e", 0, "strasse"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = NULL;
        imr_error_t err;
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].in);
        CHECK_INT(imr__fold_key(cases[i].in, n, &key, &err), IMR_OK);
        if (key)
            CHECK_STR(key, cases[i].want);
        free(key);
    }
    char *key = NULL;
    imr_error_t err;
    CHECK_INT(imr__fold_key("caf\xc3", 4, &key, &err), IMR_ERR_INTERNAL); /* cut UTF-8 */
    CHECK(key == NULL);
}

int main(void)
{
    test_threads();
    open_fts();
    int cases = run_table();
    printf("%d table cases\n", cases);
    CHECK(cases >= 80);
    test_limits();
    test_api();
    test_fuzz();
    test_fold_key();
    sqlite3_finalize(g_match);
    sqlite3_finalize(g_match_letter);
    sqlite3_close(g_db);
    return check_done();
}
