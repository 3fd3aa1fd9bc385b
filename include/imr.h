/*
 * imr.h - the public API of libimr, the library behind imrindex and imrsearch.
 *
 * libimr indexes California workers' compensation Independent Medical Review (IMR) final
 * determination letters into an SQLite FTS5 database and searches them by disputed item.
 * This header includes the headers of every part, and imr_common.h, what they all share
 * (statuses, the error record, exit codes), so that a program needs only this one. Each
 * header also compiles alone (tests/CMakeLists.txt checks it).
 *
 * Conventions, for every function in every imr_*.h header:
 *  - A fallible function returns an imr_status_t and, when its `err` argument is not NULL,
 *    fills it with a one-line message for a person (no trailing newline, no raw SQLite text
 *    for a user's mistake). On success `err` is left untouched.
 *  - The library never prints and never exits. Only the programs' main.c files do.
 *  - Constructors set `*out` to NULL on failure; every destructor accepts NULL.
 *  - Ownership of every returned pointer is stated where the function is declared.
 */
#ifndef IMR_H
#define IMR_H

#include "imr_common.h"
#include "imr_tokenizer.h"
#include "imr_vocab.h"
#include "imr_letter.h"
#include "imr_db.h"
#include "imr_index.h"
#include "imr_query.h"
#include "imr_search.h"

#endif
