/*
 * store_private.h - what walk.c and store.c share, private to the library.
 */
#ifndef IMR_STORE_PRIVATE_H
#define IMR_STORE_PRIVATE_H

#include <stdint.h>

#include "imr.h"

/*
 * Maps an errno value met on a file or folder to a skip reason and a static lower-case
 * description for "PATH: description" ("no such file or directory", "permission denied", ...).
 */
imr_skip_reason_t imr__errno_reason(int e, const char **what);

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

/* item_term is rebuilt when the items changed since its last rebuild reach this percentage. */
#define IMR__TERM_STATS_SLACK 1

/*
 * Called at the end of a run that changed `changed` items (those written, plus the letters
 * removed, a lower bound of their items): rebuilds item_term when
 * it is empty or the changes since its last rebuild reach IMR__TERM_STATS_SLACK percent of
 * the items, else only adds them up (term_stats.c). Errors: the database's.
 */
imr_status_t imr__term_stats_update(imr_db_t *db, uint64_t changed, imr_error_t *err);

#endif
