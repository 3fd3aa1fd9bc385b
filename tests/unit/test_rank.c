/*
 * test_rank.c - imr_rank() and the collector (query/rank.c) over the letters of corpus/letters,
 * indexed here by the library: its scores against FTS5's own bm25() computed by SQL, the best
 * matches it keeps against a full sort of every match, and the term statistics it reads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "imr.h"
#include "imr_schema.h"
#include "rank.h"
#include "search_private.h"

static const double weights[IMR_N_ITEM_COLS] = IMR_ITEM_BM25_WEIGHTS;

/* FTS5 expressions as the query translator writes them (one phrase per quoted string). */
static const char *const queries[] = {
    "\"shoulder\"",
    "\"unit\"",
    "\"medically\"",
    "\"the\"",
    "\"cryotherapy\" OR \"cold therapy\"",
    "(\"hot/cold\" OR \"hot and cold\") AND \"unit\"",
    "\"medial branch block\" OR \"MBB\"",
    "\"physical therapy\" AND \"knee\"",
    "\"lumbar\" NOT \"injection\"",
    "NEAR(\"hot\" \"cold\", 5)",
    "rationale : \"recommended\"",
    "\"cryo\" * OR \"therap\" *",
    "\"L4-L5\"",
    "\"10/325 mg\" OR \"Norco\"",
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

/*
 * Collects every match of `match` with imr_rank() into c (keep: 0 for all), with the term
 * statistics when stats, else FTS5's counts, and the proximity bonus `proximity` (rank.h);
 * `phrases` is the expression the statistics are read for (normally match itself).
 */
static void collect_near(sqlite3 *sql, const char *match, const char *phrases, size_t keep,
                         int stats, double proximity, imr__collector_t *c)
{
    imr_error_t err;
    CHECK_INT(imr__collector_init(c, keep, 1000, weights, &err), IMR_OK);
    c->proximity = proximity;
    if (stats)
        CHECK_INT(imr__collector_scoring(c, sql, phrases), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(sql,
                                 "SELECT imr_rank(item_fts, ?2) FROM item_fts"
                                 " WHERE item_fts MATCH ?1",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_pointer(st, 2, c, IMR__COLLECTOR_TYPE, NULL);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        CHECK(sqlite3_column_type(st, 0) == SQLITE_NULL);
    CHECK_INT(rc, SQLITE_DONE);
    sqlite3_finalize(st);
    imr__collector_sort(c);
}

/* Collects with imr_rank(), without the proximity bonus: the scores are bm25's. */
static void collect(sqlite3 *sql, const char *match, const char *phrases, size_t keep,
                    int stats, imr__collector_t *c)
{
    collect_near(sql, match, phrases, keep, stats, 0.0, c);
}

/* The key of item `id` among c's matches, or NAN. */
static double key_of(const imr__collector_t *c, int64_t id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->m[i].item_id == id)
            return c->m[i].key;
    return NAN;
}

/*
 * Every score equals FTS5's bm25() with the same weights (halved, for an item without a
 * rationale), computed by SQL: with FTS5's phrase counts, and with item_term's for
 * expressions of single words, where both counts are exact.
 */
static void test_scores_equal_bm25(sqlite3 *sql)
{
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(sql,
                                 "SELECT f.rowid, bm25(item_fts, 10.0, 4.0, 1.5, 0.5) * CASE WHEN"
                                 " i.rationale_len > 0 THEN 1 ELSE 0.5 END FROM item_fts f"
                                 " JOIN item i ON i.id = f.rowid WHERE item_fts MATCH ?1",
                                 -1, &st, NULL),
              SQLITE_OK);
    int compared = 0;
    for (size_t q = 0; q < N_QUERIES; q++) {
        int single_words = strchr(queries[q] + 1, '"') == queries[q] + strlen(queries[q]) - 1 &&
                           !strchr(queries[q], ' ') && !strchr(queries[q], '-');
        for (int stats = 0; stats <= single_words; stats++) {
            imr__collector_t c;
            collect(sql, queries[q], queries[q], 0, stats, &c);
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, queries[q], -1, SQLITE_STATIC);
            size_t n = 0;
            while (sqlite3_step(st) == SQLITE_ROW) {
                double want = sqlite3_column_double(st, 1), got = key_of(&c, sqlite3_column_int64(st, 0));
                if (!(fabs(got - want) <= 1e-9 * (1 + fabs(want))))
                    fprintf(stderr, "  %s (stats %d): item %lld: %.12g, bm25 %.12g\n", queries[q],
                            stats, (long long)sqlite3_column_int64(st, 0), got, want);
                CHECK(fabs(got - want) <= 1e-9 * (1 + fabs(want)));
                n++;
                compared++;
            }
            CHECK_INT((long long)c.count, (long long)n);
            CHECK_INT((long long)c.n, (long long)n);
            imr__collector_free(&c);
        }
    }
    sqlite3_finalize(st);
    CHECK(compared > 100); /* the corpus has matches for these */
}

/* FTS5's bm25() of item `id` for the expression `match` (0 when it does not match), halved
   for an item without a rationale. */
static double bm25_of(sqlite3 *sql, const char *match, int64_t id)
{
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(sql,
                                 "SELECT bm25(item_fts, 10.0, 4.0, 1.5, 0.5) * CASE WHEN"
                                 " i.rationale_len > 0 THEN 1 ELSE 0.5 END FROM item_fts f"
                                 " JOIN item i ON i.id = f.rowid WHERE item_fts MATCH ?1"
                                 " AND f.rowid = ?2",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    double score = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0.0;
    sqlite3_finalize(st);
    return score;
}

/*
 * Phrases joined by OR are alternatives and score as the best of them (a row holding both
 * scores as much as its better one, not their sum); other phrases add up. Single words, so
 * that item_term's counts are FTS5's.
 */
static void test_alternatives(sqlite3 *sql)
{
    static const struct {
        const char *match;
        const char *group[2][2]; /* each group's phrases, scoring as their best */
    } cases[] = {
        {"\"cold\" OR \"unit\"", {{"\"cold\"", "\"unit\""}, {NULL, NULL}}},
        {"(\"hot\" OR \"cold\") AND \"unit\"", {{"\"hot\"", "\"cold\""}, {"\"unit\"", NULL}}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        imr__collector_t c;
        collect(sql, cases[k].match, cases[k].match, 0, 1, &c);
        int both = 0; /* rows holding both alternatives of the first group */
        for (size_t i = 0; i < c.n; i++) {
            int64_t id = c.m[i].item_id;
            double want = 0.0;
            for (int g = 0; g < 2 && cases[k].group[g][0]; g++) {
                double best = 0.0, s;
                int held = 0;
                for (int p = 0; p < 2 && cases[k].group[g][p]; p++)
                    if ((s = bm25_of(sql, cases[k].group[g][p], id)) < 0.0) {
                        held++;
                        best = s < best ? s : best; /* bm25() is negative: lower is better */
                    }
                want += best;
                both += g == 0 && held == 2;
            }
            if (!(fabs(c.m[i].key - want) <= 1e-9 * (1 + fabs(want))))
                fprintf(stderr, "  %s: item %lld: %.12g, want %.12g\n", cases[k].match,
                        (long long)id, c.m[i].key, want);
            CHECK(fabs(c.m[i].key - want) <= 1e-9 * (1 + fabs(want)));
        }
        CHECK(both > 0); /* the case tests what it says */
        imr__collector_free(&c);
    }
}

/*
 * Keeping the k best gives the first k of the full sort, the same totals, and, for a broad
 * query, skips the exact score of some rows.
 */
static void test_best_kept(sqlite3 *sql)
{
    uint64_t skipped = 0;
    for (size_t q = 0; q < N_QUERIES; q++)
        for (size_t k = 1; k <= 7; k += 3) {
            imr__collector_t all, best;
            collect(sql, queries[q], queries[q], 0, 1, &all);
            collect(sql, queries[q], queries[q], k, 1, &best);
            CHECK_INT((long long)best.count, (long long)all.count);
            CHECK_INT((long long)best.letters, (long long)all.letters);
            CHECK_INT((long long)best.n, (long long)(all.n < k ? all.n : k));
            for (size_t i = 0; i < best.n && i < all.n; i++) {
                CHECK_INT((long long)best.m[i].item_id, (long long)all.m[i].item_id);
                CHECK(best.m[i].key == all.m[i].key);
                CHECK_INT((long long)best.m[i].letter_id,
                          (long long)IMR_ITEM_LETTER(best.m[i].item_id));
            }
            skipped += best.count - best.scored;
            CHECK(all.scored == all.count); /* keeping all scores all */
            imr__collector_free(&all);
            imr__collector_free(&best);
        }
    CHECK(skipped > 0);
}

/*
 * The term statistics: a phrase's count is its rarest word's, and an expression whose quoted
 * strings do not line up with FTS5's phrases falls back to FTS5's counts (the same scores as
 * without statistics).
 */
static void test_term_stats(sqlite3 *sql)
{
    const char *q = "\"cold therapy\" OR \"unit\"";
    imr__collector_t exact, stats, wrong;
    collect(sql, q, q, 0, 0, &exact);
    collect(sql, q, q, 0, 1, &stats);
    collect(sql, q, "\"unit\"", 0, 1, &wrong); /* one quoted string for two phrases */
    CHECK_INT(exact.n_phrases, 2);
    CHECK(exact.idf[1] == stats.idf[1]); /* one word: exact */
    CHECK(stats.idf[0] <= exact.idf[0]); /* the phrase: no rarer than "cold" */
    for (int i = 0; i < 2; i++)
        CHECK(wrong.idf[i] == exact.idf[i]);
    sqlite3_int64 cold = 0;
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(sql, "SELECT docs FROM item_term WHERE term = 'cold'", -1, &st,
                                 NULL),
              SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        cold = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    CHECK(cold > 0);
    imr__collector_free(&exact);
    imr__collector_free(&stats);
    imr__collector_free(&wrong);
}

/*
 * The proximity bonus: with it, an item whose item line or rationale has the query's two words
 * next to each other, in order (FTS5's own phrase match says which), scores 1 + the bonus
 * times its score without; any other item the same.
 */
static void test_proximity(sqlite3 *sql)
{
    static const char *const pairs[][2] = {
        {"\"cold\" AND \"unit\"", "{item rationale} : \"cold unit\""},
        {"\"continuous\" AND \"flow\"", "{item rationale} : \"continuous flow\""},
        {"\"medically\" AND \"necessary\"", "{item rationale} : \"medically necessary\""},
        /* alternatives count as one word: either followed by unit */
        {"(\"hot\" OR \"cold\") AND \"unit\"",
         "{item rationale} : (\"hot unit\" OR \"cold unit\")"},
    };
    int near = 0, apart = 0;
    for (size_t q = 0; q < sizeof pairs / sizeof pairs[0]; q++) {
        imr__collector_t plain, bonus;
        collect(sql, pairs[q][0], pairs[q][0], 0, 1, &plain);
        collect_near(sql, pairs[q][0], pairs[q][0], 0, 1, 0.5, &bonus);
        CHECK_INT((long long)bonus.n, (long long)plain.n);
        sqlite3_stmt *st = NULL;
        CHECK_INT(sqlite3_prepare_v2(sql, "SELECT 1 FROM item_fts WHERE item_fts MATCH ?1 AND rowid = ?2",
                                     -1, &st, NULL),
                  SQLITE_OK);
        for (size_t i = 0; i < plain.n; i++) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, pairs[q][1], -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, plain.m[i].item_id);
            int adjacent = sqlite3_step(st) == SQLITE_ROW;
            double want = plain.m[i].key * (adjacent ? 1.5 : 1.0);
            double got = key_of(&bonus, plain.m[i].item_id);
            CHECK(fabs(got - want) <= 1e-9 * (1 + fabs(want)));
            near += adjacent;
            apart += !adjacent;
        }
        sqlite3_finalize(st);
        imr__collector_free(&plain);
        imr__collector_free(&bonus);
    }
    CHECK(near > 0 && apart > 0); /* the seeds have both */
}

/* imr__phrase_end(): a doubled quote is inside the string; an unterminated string ends at NUL. */
static void test_phrase_end(void)
{
    const char *e = "{item} : \"10\"\" brace\" OR \"ice\"* AND \"open";
    const char *a = imr__phrase_end(strchr(e, '"'));
    CHECK_INT(a - e, 20); /* "10"" brace" is one string */
    const char *b = imr__phrase_end(strchr(a + 1, '"'));
    CHECK_INT(b - e, 29);
    CHECK_INT(*imr__phrase_end(strchr(b + 1, '"')), 0);
    const char *empty = "\"\"", *quote_open = "\"\"\"";
    CHECK_INT(imr__phrase_end(empty) - empty, 1);
    CHECK_INT(*imr__phrase_end(quote_open), 0);
}

int main(void)
{
    char path[] = "/tmp/imr-test-rank-XXXXXX";
    int fd = mkstemp(path);
    imr_db_t *db = NULL;
    imr_indexer_t *ix = NULL;
    imr_file_list_t *list = NULL;
    imr_error_t err;
    if (fd < 0)
        return 1;
    close(fd);
    unlink(path);
    if (imr_db_open(path, IMR_DB_WRITE, &db, &err) != IMR_OK ||
        imr_indexer_new(db, NULL, &ix, &err) != IMR_OK ||
        imr_file_list_new(&list, &err) != IMR_OK ||
        imr_file_list_add(list, IMR_SOURCE_DIR "/corpus/letters", &err) != IMR_OK ||
        imr_indexer_add_list(ix, list, NULL, NULL, &err) != IMR_OK ||
        imr_indexer_finish(ix, &err) != IMR_OK ||
        imr__functions_register(db, &err) != IMR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    imr_file_list_free(list);
    imr_indexer_free(ix);
    sqlite3 *sql = imr_db_sqlite(db);
    test_scores_equal_bm25(sql);
    test_alternatives(sql);
    test_best_kept(sql);
    test_term_stats(sql);
    test_proximity(sql);
    test_phrase_end();
    imr_db_close(db);
    check_remove_db(path);
    return check_done();
}
