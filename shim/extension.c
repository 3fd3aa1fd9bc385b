/*
 * extension.c - the `imr` tokenizer as a loadable SQLite extension (build/imr.so).
 *
 *     sqlite> .load build/imr
 *     sqlite> CREATE VIRTUAL TABLE t USING fts5(body, tokenize='imr');
 *
 * SQLite derives the entry point sqlite3_imr_init from the file name. This file alone talks
 * to SQLite through the sqlite3_api_routines the host passes in, so the extension works in
 * whichever SQLite loads it; the tokenizer itself only uses the fts5_api it is given.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "imr.h"
#include "tokenizer.h"

IMR_API int sqlite3_imr_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api);

/*
 * Stores in *out the fts5_api of `db`, through the host's routines. Returns an SQLite result
 * code; SQLITE_ERROR when the host SQLite has no FTS5.
 */
static int host_fts5_api(sqlite3 *db, fts5_api **out)
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
    return rc;
}

/*
 * The entry point: registers the `imr` tokenizer on `db`. Returns SQLITE_OK, or an error code
 * with a message in *errmsg (allocated with sqlite3_mprintf, freed by the host).
 */
int sqlite3_imr_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
    fts5_api *fts5 = NULL;
    SQLITE_EXTENSION_INIT2(api);

    int rc = host_fts5_api(db, &fts5);
    if (rc != SQLITE_OK) {
        if (errmsg)
            *errmsg = sqlite3_mprintf("imr: this SQLite has no FTS5 (%s)", sqlite3_errmsg(db));
        return rc;
    }
    rc = imr__tokenizer_install(fts5);
    if (rc != SQLITE_OK && errmsg)
        *errmsg = sqlite3_mprintf("imr: cannot register the tokenizer: %s", sqlite3_errstr(rc));
    return rc;
}
