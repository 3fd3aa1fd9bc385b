/*
 * rewrite.h - what the query's rewrites share with parse.c: spell.c's corrections
 * (imr_query_correct(), imr_query.h) and filter.c's relaxation (words left out when no item
 * holds them all). Both rewrite the typed text and parse it again.
 */
#ifndef IMR_REWRITE_H
#define IMR_REWRITE_H

#include <stddef.h>

#include "imr.h"

/* One correction: the word as typed and the word searched instead, both malloc'd. */
typedef struct imr__spelling_fix {
    char *typed;
    char *searched;
} imr__spelling_fix_t;

/* The text q was parsed from, and the flags it was parsed with (parse.c). */
const char *imr__query_typed(const imr_query_t *q);
unsigned imr__query_flags(const imr_query_t *q);

/* The plain words q searches in the items' text: word i at bytes [pos, pos + len) of typed. */
size_t imr__query_n_words(const imr_query_t *q);
void imr__query_word(const imr_query_t *q, size_t i, size_t *pos, size_t *len);

/* Gives q the corrections fix[0..n) (malloc'd, with their strings), which it frees. */
void imr__query_take_fixes(imr_query_t *q, imr__spelling_fix_t *fix, size_t n);

/* The words a relaxation may leave out (one unquoted word or synonym form of the top-level
   AND, searched in the item's own text): word i at bytes [pos, pos + len) of typed. */
size_t imr__query_n_optional(const imr_query_t *q);
void imr__query_optional(const imr_query_t *q, size_t i, size_t *pos, size_t *len);

/*
 * *out: q parsed again without bytes [pos, pos + len) of its typed text, with q's flags and
 * corrections and its dropped words plus this one (imr_query_dropped()). IMR_ERR_QUERY when
 * what is left does not parse, IMR_ERR_NOMEM; *out NULL then.
 */
imr_status_t imr__query_rewritten(const imr_query_t *q, size_t pos, size_t len,
                                  imr_query_t **out, imr_error_t *err);

#endif
