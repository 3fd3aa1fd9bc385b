/*
 * imr_tokenizer.h - the `imr` FTS5 tokenizer: utf8proc normalisation + Snowball stemming.
 *
 * What it does to text, its options and its offsets contract: docs/tokenizer.md.
 */
#ifndef IMR_TOKENIZER_H
#define IMR_TOKENIZER_H

#include <sqlite3.h>

#include "imr_common.h"

/*
 * Registers the FTS5 tokenizer named "imr" on `db`. Every connection that reads or writes an
 * imrsearch database must call this first (imr_db_open() does). Returns IMR_ERR_INTERNAL when
 * the connection has no FTS5 or the registration fails.
 */
IMR_API imr_status_t imr_tokenizer_register(sqlite3 *db, imr_error_t *err);

#endif
