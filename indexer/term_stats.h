/*
 * term_stats.h - keeping item_term up to date (private to the library; term_stats.c has the
 * design note). Used by store.c at the end of every run.
 */
#ifndef IMR_TERM_STATS_H
#define IMR_TERM_STATS_H

#include "imr.h"

/* item_term is rebuilt when the items changed since its last rebuild reach this percentage. */
#define IMR__TERM_STATS_SLACK 1

/*
 * Called at the end of every run: rebuilds item_term when it is empty (and items exist) or
 * the changes meta('item_term_pending') counts since its last rebuild (items written, plus
 * letters removed, a lower bound of their items) reach IMR__TERM_STATS_SLACK percent of the
 * items; else writes nothing. Errors: the database's.
 */
imr_status_t imr__term_stats_update(imr_db_t *db, imr_error_t *err);

#endif
