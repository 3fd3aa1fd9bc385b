/*
 * rank.c - imr_rank(), the ranking function, an FTS5 auxiliary function registered on the
 * connection (with imr_snippet() of snippet.c) by imr__functions_register().
 *
 * Design. imr_rank(item_fts, item_bytes) is Okapi BM25 the way FTS5's own bm25() computes it
 * (k1 = 1.2, b = 0.75; per phrase an IDF from the number of rows holding it, and a frequency
 * that adds, for every instance, the weight of the column it is in: IMR_BM25_WEIGHTS) with one
 * difference, the document length D:
 *
 *  - bm25() takes D from the %_docsize table, one B-tree lookup per matching row. Measured on
 *    27,000 matching items, that lookup costs about 2 microseconds a row, three quarters of the
 *    whole cost of ranking, and ranking every match dominates a query.
 *  - imr_rank() takes D from its second argument: the bytes of the item's own parts (item
 *    text, rationale and both guideline paragraphs), which the ranking statement reads anyway
 *    from the item row it joins for the letter id. Bytes become tokens by a ratio calibrated
 *    on the first rows of each query (their token counts read from %_docsize). avgdl is the
 *    average token count of the same four columns (xColumnTotalSize / xRowCount). An item of
 *    a letter whose layout is unknown has no parts of its own (the whole letter is its
 *    summary): its D is the row's whole length, read from %_docsize, so a whole letter does
 *    not outrank real items by the sheer number of its matches.
 *
 * Measured, and not the default. On the generated corpus (20,000 letters, the benchmark's 50
 * queries, whole imrsearch processes) imr_rank() cuts the CPU time of a query by about 10%
 * (median 11.0 ms against 12.0 ms, 95th percentile 19.5 against 22.5 ms) but ranks worse:
 * nDCG@10 0.863 against 0.913, P@10 0.788 against 0.830. Normalising by the whole row
 * penalises items that match only through a long case summary or boilerplate, which the
 * item's own length does not see. imrsearch therefore ranks with bm25() and
 * IMR_BM25_WEIGHTS; IMRSEARCH_RANK=imr selects imr_rank() for the benchmark's comparisons.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "search_private.h"

#define RANK_K1 1.2
#define RANK_B  0.75
/* Rows of a query whose exact token counts calibrate the bytes-per-token ratio. */
#define RANK_CALIBRATION_ROWS 64
/* The item's own columns: their lengths make D. */
#define RANK_OWN_COLUMNS 4

static const double rank_weights[IMR_N_COLS] = IMR_BM25_WEIGHTS;

/* Per-query state, kept with xSetAuxdata. */
typedef struct rank_data {
    int n_phrases;
    double *idf;          /* n_phrases IDF values */
    double *freq;         /* n_phrases weighted frequencies of the current row (scratch) */
    double avgdl;         /* average tokens of the item's own columns */
    double bytes, tokens; /* calibration sums */
    int calibrated_rows;
} rank_data_t;

static void rank_data_free(void *p)
{
    rank_data_t *d = p;
    if (d) {
        free(d->idf);
        free(d->freq);
        free(d);
    }
}

static int count_hit(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

/* Builds the per-query state: IDF per phrase, average length. */
static int rank_data_new(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data_t **out)
{
    sqlite3_int64 n_rows = 0;
    int rc = api->xRowCount(fts, &n_rows);
    rank_data_t *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return SQLITE_NOMEM;
    d->n_phrases = api->xPhraseCount(fts);
    d->idf = calloc((size_t)d->n_phrases + 1, sizeof *d->idf);
    d->freq = calloc((size_t)d->n_phrases + 1, sizeof *d->freq);
    if (!d->idf || !d->freq) {
        rank_data_free(d);
        return SQLITE_NOMEM;
    }
    for (int p = 0; rc == SQLITE_OK && p < d->n_phrases; p++) {
        sqlite3_int64 n_hit = 0;
        rc = api->xQueryPhrase(fts, p, &n_hit, count_hit);
        double idf = log(((double)n_rows - (double)n_hit + 0.5) / ((double)n_hit + 0.5));
        d->idf[p] = idf > 0 ? idf : 1e-6;
    }
    double total = 0;
    for (int c = 0; rc == SQLITE_OK && c < RANK_OWN_COLUMNS; c++) {
        sqlite3_int64 t = 0;
        rc = api->xColumnTotalSize(fts, c, &t);
        total += (double)t;
    }
    d->avgdl = n_rows > 0 ? total / (double)n_rows : 1.0;
    if (d->avgdl < 1.0)
        d->avgdl = 1.0;
    if (rc != SQLITE_OK) {
        rank_data_free(d);
        return rc;
    }
    *out = d;
    return SQLITE_OK;
}

/* imr_rank(item_fts, item_bytes): BM25, lower is better (like bm25()). */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_args,
                    sqlite3_value **args)
{
    rank_data_t *d = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK;
    if (!d) {
        rc = rank_data_new(api, fts, &d);
        if (rc == SQLITE_OK)
            rc = api->xSetAuxdata(fts, d, rank_data_free);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    double bytes = n_args >= 1 ? sqlite3_value_double(args[0]) : 0.0;
    double dl;
    if (bytes <= 0) {
        /* No item of its own (a letter of unknown layout): its whole text is the item. */
        int tokens = 0;
        rc = api->xColumnSize(fts, -1, &tokens);
        dl = tokens;
    } else if (d->calibrated_rows < RANK_CALIBRATION_ROWS) {
        int tokens = 0;
        dl = 0;
        for (int c = 0; rc == SQLITE_OK && c < RANK_OWN_COLUMNS; c++) {
            rc = api->xColumnSize(fts, c, &tokens);
            dl += tokens;
        }
        d->bytes += bytes;
        d->tokens += dl;
        d->calibrated_rows++;
    } else {
        dl = d->tokens > 0 ? bytes * d->tokens / d->bytes : bytes / 6.0;
    }

    memset(d->freq, 0, (size_t)d->n_phrases * sizeof *d->freq);
    int n_inst = 0;
    if (rc == SQLITE_OK)
        rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && col >= 0 && col < IMR_N_COLS && phrase >= 0 && phrase < d->n_phrases)
            d->freq[phrase] += rank_weights[col];
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double norm = RANK_K1 * (1.0 - RANK_B + RANK_B * dl / d->avgdl);
    double score = 0;
    for (int p = 0; p < d->n_phrases; p++)
        score += d->idf[p] * (d->freq[p] * (RANK_K1 + 1.0)) / (d->freq[p] + norm);
    sqlite3_result_double(ctx, -score);
}

imr_status_t imr__search_fts5_api(imr_db_t *db, fts5_api **api, imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    sqlite3_stmt *st = NULL;
    *api = NULL;
    int rc = sqlite3_prepare_v2(sql, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_pointer(st, 1, (void *)api, "fts5_api_ptr", NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(sql);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "finding FTS5", err);
    if (!*api)
        return imr_error_set(err, IMR_ERR_INTERNAL, "this SQLite has no FTS5");
    return IMR_OK;
}

imr_status_t imr__functions_register(imr_db_t *db, imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    sqlite3_stmt *probe = NULL;
    int rc = sqlite3_prepare_v2(
        sql,
        "SELECT imr_rank(" IMR_TABLE_ITEM_FTS ", 0), imr_snippet(" IMR_TABLE_ITEM_FTS
        ", 8) FROM " IMR_TABLE_ITEM_FTS " WHERE " IMR_TABLE_ITEM_FTS " MATCH 'x' AND 0",
        -1, &probe, NULL);
    sqlite3_finalize(probe);
    if (rc == SQLITE_OK)
        return IMR_OK;

    fts5_api *api = NULL;
    imr_status_t st = imr__search_fts5_api(db, &api, err);
    if (st != IMR_OK)
        return st;
    rc = api->xCreateFunction(api, "imr_rank", NULL, rank_fn, NULL);
    if (rc == SQLITE_OK && imr__snippet_register(api) != IMR_OK)
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "registering the ranking functions", err);
    return IMR_OK;
}
