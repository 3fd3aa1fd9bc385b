/*
 * fuzz_query.c - libFuzzer harness for the query translator (query/parse.c).
 *
 * Each input (up to 12 KB, so the length limit is crossed) is parsed as a query. The
 * translator must never crash, leak or read out of bounds; it must return IMR_OK or
 * IMR_ERR_QUERY (IMR_ERR_NOMEM is tolerated) with a non-empty one-line message; and every
 * expression it produces must be accepted by FTS5 on an in-memory item_fts table. Any other
 * outcome aborts, which libFuzzer reports as a crash with the input saved.
 *
 * Build and run (clang only):
 *   CC=clang cmake -B build-fuzz -DIMR_FUZZ=ON -DIMR_SANITIZE=ON && cmake --build build-fuzz
 *   build-fuzz/tests/fuzz_query -max_total_time=60 -max_len=12288 corpus_dir
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "imr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *g_db;
static sqlite3_stmt *g_match;

/* Opens the in-memory table, once per process. Aborts when SQLite cannot. */
static void open_fts(void)
{
    if (g_db)
        return;
    if (sqlite3_open(":memory:", &g_db) != SQLITE_OK ||
        sqlite3_exec(g_db,
                     "CREATE VIRTUAL TABLE item_fts USING fts5(item, rationale, guideline,"
                     " ca_guideline, summary, other);"
                     "INSERT INTO item_fts VALUES('TENS unit L5-S1 cold', 'cold therapy',"
                     " 'ODG', 'MTUS', 'shoulder', 'other');",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(g_db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH ?", -1,
                           &g_match, NULL) != SQLITE_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 12288)
        return 0;
    open_fts();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a NUL inside ends the query, as it would in a C string */

    imr_query_t *q = NULL;
    imr_error_t err = {0};
    imr_status_t st = imr_query_parse(text, &q, &err);
    if (st == IMR_OK) {
        if (!q)
            abort();
        const char *fts = imr_query_fts5(q);
        for (size_t i = 0; i < imr_query_n_terms(q); i++)
            if (!imr_query_term(q, i) || !*imr_query_term(q, i))
                abort();
        if (fts) {
            sqlite3_reset(g_match);
            sqlite3_bind_text(g_match, 1, fts, -1, SQLITE_TRANSIENT);
            int rc;
            while ((rc = sqlite3_step(g_match)) == SQLITE_ROW)
                ;
            if (rc != SQLITE_DONE) {
                fprintf(stderr, "FTS5 refused [%s]: %s\n", fts, sqlite3_errmsg(g_db));
                abort();
            }
            sqlite3_reset(g_match);
        }
    } else if (st == IMR_ERR_QUERY) {
        if (q || !err.msg[0] || strchr(err.msg, '\n'))
            abort();
    } else if (st != IMR_ERR_NOMEM) {
        fprintf(stderr, "unexpected status %d: %s\n", (int)st, err.msg);
        abort();
    }
    imr_query_free(q);
    free(text);
    return 0;
}
