/*
 * store_private.h - what walk.c, prepare.c and store.c share, private to the library.
 */
#ifndef IMR_STORE_PRIVATE_H
#define IMR_STORE_PRIVATE_H

#include <stdint.h>

#include "db_private.h"
#include "imr.h"

/*
 * Maps an errno value met on a file or folder to a skip reason and a static lower-case
 * description for "PATH: description" ("no such file or directory", "permission denied", ...).
 */
imr_skip_reason_t imr__errno_reason(int e, const char **what);

/* item_term is rebuilt when the items changed since its last rebuild reach this percentage. */
#define IMR__TERM_STATS_SLACK 1

/*
 * Called at the end of every run: rebuilds item_term when it is empty (and items exist) or
 * the changes meta('item_term_pending') counts since its last rebuild (items written, plus
 * letters removed, a lower bound of their items) reach IMR__TERM_STATS_SLACK percent of the
 * items; else writes nothing (term_stats.c). Errors: the database's.
 */
imr_status_t imr__term_stats_update(imr_db_t *db, imr_error_t *err);

#endif
