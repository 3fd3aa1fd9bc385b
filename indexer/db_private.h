/*
 * db_private.h - what the core's db.c shares with the rest of the library, and only with it.
 */
#ifndef IMR_DB_PRIVATE_H
#define IMR_DB_PRIVATE_H

#include <sqlite3.h>

#include "imr.h"

/* The SQLite connection, owned by db and valid until imr_db_close(). */
sqlite3 *imr_db_sqlite(imr_db_t *db);

/*
 * What a serving connection (IMR_DB_SERVE) keeps between queries for a higher layer (the facet
 * cache of facets_query.c): `p` and the function that frees it, called by imr_db_close().
 * Returns NULL for a connection of another mode, which keeps nothing.
 */
typedef struct imr__db_cache {
    void *p;
    void (*free)(void *p);
} imr__db_cache_t;
imr__db_cache_t *imr__db_cache(imr_db_t *db);

/*
 * Runs `query` and stores the first column of its first row in *value (0 when it returns no
 * row). Returns an SQLite code (db.c).
 */
int imr__db_int(sqlite3 *sql, const char *query, long long *value);

/*
 * Sets how the connection commits (db.c): the write-ahead log with synchronous NORMAL, every
 * writing connection's mode, when `rollback` is 0; a rollback journal kept between
 * transactions (journal_mode PERSIST) with synchronous FULL when 1, for loading an empty
 * database (store.c). Returns SQLITE_OK when the mode is now
 * the one asked for, SQLITE_BUSY when another connection kept it from changing, or an error.
 */
int imr__db_set_journal(sqlite3 *sql, int rollback);

/*
 * Drops and creates again everything of the schema but the core tables (meta, letter, item):
 * the views, the indexes, item_term (left empty) and both full-text tables, whose indexes it
 * then builds from the letters' text (FTS5's 'rebuild'). A full-text table too damaged for
 * FTS5 to open goes with its shadow tables and its schema row. The caller holds a write
 * transaction. Returns an SQLite code (db.c).
 */
int imr__db_recreate_derived(sqlite3 *sql);

#endif
