/*
 * tokenizer.h - the `imr` FTS5 tokenizer's private entry points.
 *
 * include/imr_tokenizer.h has the public one, imr_tokenizer_register(). These are shared with
 * the loadable extension (shim/extension.c) and the test and benchmark tools.
 */
#ifndef IMR_SHIM_TOKENIZER_H
#define IMR_SHIM_TOKENIZER_H

#include <sqlite3.h>

/* The name the tokenizer is registered under: tokenize='imr'. */
#define IMR__TOKENIZER_NAME "imr"

/*
 * Registers the `imr` tokenizer with an fts5_api. Returns an SQLite result code: SQLITE_OK,
 * SQLITE_ERROR when `api` is NULL or older than version 2, or what xCreateTokenizer returned.
 */
int imr__tokenizer_install(fts5_api *api);

/*
 * Stores in *out the fts5_api of connection `db` (SELECT fts5(?1) with a bound pointer).
 * The pointer is owned by the connection and valid while it is open. Returns an SQLite result
 * code; SQLITE_ERROR (and *out NULL) when the connection has no FTS5.
 */
int imr__fts5_api(sqlite3 *db, fts5_api **out);

#endif
