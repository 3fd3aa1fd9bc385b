/*
 * fts5_api.h - finding the fts5_api of a connection.
 *
 * Header-only on purpose, so that one definition serves two bindings: included by the core
 * (indexer/db.c) it calls the SQLite that libimr links; included by shim/extension.c after
 * <sqlite3ext.h> it calls the routines of whichever SQLite loads the extension.
 */
#ifndef IMR_SHIM_FTS5_API_H
#define IMR_SHIM_FTS5_API_H

#include <stddef.h>

/*
 * Stores in *out the fts5_api of connection `db` (SELECT fts5(?1) with a bound pointer). The
 * pointer is owned by the connection and valid while it is open. Returns an SQLite result
 * code; SQLITE_ERROR (and *out NULL) when the connection has no FTS5.
 */
static inline int imr__fts5_api(sqlite3 *db, fts5_api **out)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_pointer(st, 1, (void *)out, "fts5_api_ptr", NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) != SQLITE_ROW)
        rc = sqlite3_errcode(db);
    int frc = sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = frc;
    if (rc == SQLITE_OK && !*out)
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK)
        *out = NULL;
    return rc;
}

#endif
