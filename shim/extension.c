/*
 * extension.c - the `imr` tokenizer as a loadable SQLite extension (build/imr.so).
 *
 *     sqlite> .load build/imr
 *     sqlite> CREATE VIRTUAL TABLE t USING fts5(body, tokenize='imr');
 *
 * SQLite derives the entry point sqlite3_imr_init from the file name. The extension is built
 * from shim/ alone and links no SQLite: this file reaches SQLite only through the routines
 * the host passes in, and the tokenizer only through the fts5_api it is given, so it works in
 * whichever SQLite loads it, a statically linked one included. A version script exports
 * sqlite3_imr_init and nothing else.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "fts5_api.h"
#include "tokenizer.h"

__attribute__((visibility("default"))) int sqlite3_imr_init(sqlite3 *db, char **errmsg,
                                                      const sqlite3_api_routines *api);

/*
 * The entry point: registers the `imr` tokenizer on `db`. Returns SQLITE_OK, or an error code
 * with a message in *errmsg (allocated with sqlite3_mprintf, freed by the host).
 */
int sqlite3_imr_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
    fts5_api *fts5 = NULL;
    SQLITE_EXTENSION_INIT2(api);

    int rc = imr__fts5_api(db, &fts5);
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
