/*
 * store_private.h - what walk.c and store.c share, private to the library.
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
 * Called at the end of a run that changed `changed` items (those written, plus the letters
 * removed, a lower bound of their items): rebuilds item_term when
 * it is empty or the changes since its last rebuild reach IMR__TERM_STATS_SLACK percent of
 * the items, else only adds them up (term_stats.c). Errors: the database's.
 */
imr_status_t imr__term_stats_update(imr_db_t *db, uint64_t changed, imr_error_t *err);

#endif
