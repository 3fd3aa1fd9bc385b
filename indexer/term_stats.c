/*
 * term_stats.c - item_term, the number of items each term of item_fts occurs in.
 *
 * Why. BM25 weighs a query's words by their rarity (IDF), and FTS5 learns how many rows hold a
 * phrase only by walking the phrase's whole doclist: for a query of a few common words that
 * costs more than the search itself. The search reads the counts from item_term instead
 * (query/rank.c), one primary-key lookup per word.
 *
 * Freshness. The table is rebuilt from FTS5's own vocabulary (an fts5vocab 'row' table over
 * item_fts: one pass over the index, 1.1 s at 200,000 letters) at the end of every run,
 * in one transaction, when the items written or removed since the last rebuild reach
 * IMR__TERM_STATS_SLACK percent of the items, or when it is empty. In between, the counts are
 * at most that much out of date, which moves an IDF by about as little; a word missing from
 * the table is counted by FTS5 as before. meta('item_term_pending') counts the changes since
 * the last rebuild; each batch adds its own inside its transaction (store.c), so a run stopped
 * after a commit leaves the rebuild it owes to the next run. imr_db_rebuild() (imrindex --rebuild) refills it with the
 * full-text indexes it rebuilds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "imr.h"
#include "imr_db.h"
#include "imr_schema.h"
#include "db_private.h"
#include "term_stats.h"

/* Fills item_term again from item_fts's vocabulary and sets nothing pending. */
static int refill(sqlite3 *sql)
{
    return sqlite3_exec(sql,
                        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.item_vocab USING"
                        " fts5vocab(main, " IMR_TABLE_ITEM_FTS ", row);"
                        "DELETE FROM " IMR_TABLE_ITEM_TERM ";"
                        "INSERT INTO " IMR_TABLE_ITEM_TERM "(term, docs)"
                        " SELECT term, doc FROM temp.item_vocab;"
                        "INSERT OR REPLACE INTO " IMR_TABLE_META "(key, value)"
                        " VALUES ('item_term_pending', '0');",
                        NULL, NULL, NULL);
}

imr_status_t imr__term_stats_update(imr_db_t *db, imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    long long pending = 0, items = 0, filled = 0;
    int rc = imr__db_int(sql,
                      "SELECT CAST(value AS INTEGER) FROM " IMR_TABLE_META
                      " WHERE key = 'item_term_pending'",
                      &pending);
    if (rc == SQLITE_OK)
        rc = imr__db_int(sql, "SELECT count(*) FROM " IMR_TABLE_ITEM, &items);
    if (rc == SQLITE_OK)
        rc = imr__db_int(sql, "SELECT EXISTS (SELECT 1 FROM " IMR_TABLE_ITEM_TERM ")", &filled);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "reading the term statistics", err);
    if (filled ? pending * 100 < items * IMR__TERM_STATS_SLACK : items == 0 && pending == 0)
        return IMR_OK;
    rc = sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = refill(sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(sql))
        sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "updating the term statistics", err);
    return IMR_OK;
}

imr_status_t imr_db_rebuild(imr_db_t *db, imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    int rc = sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = imr__db_recreate_derived(sql);
    if (rc == SQLITE_OK)
        rc = refill(sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        imr_status_t st = imr_db_fail(db, rc, "rebuilding", err);
        if (!sqlite3_get_autocommit(sql))
            sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    return IMR_OK;
}
