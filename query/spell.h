/*
 * spell.h - what spell.c (imr_query_correct(), imr_query.h) and parse.c share: the query's
 * typed text and the plain words it searches in the items' text, and the corrections made.
 */
#ifndef IMR_SPELL_H
#define IMR_SPELL_H

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

#endif
