/*
 * reading.h - the words of a query that name a facet value (reading.c): decision words
 * (query/decisions.txt), body regions (indexer/dict/body_regions.txt) and guideline sources
 * (indexer/dict/guideline_sources.txt), each list with one owner.
 */
#ifndef IMR_READING_H
#define IMR_READING_H

#include <stddef.h>

#include "imr.h"

/* Loads the three dictionaries the first time (thread-safe); their error into *err. */
imr_status_t imr__reading_load(imr_error_t *err);

/*
 * The longest facet entry that the query words words[0..n) start with, where words are
 * imr__fold_key() forms, one word each, and item_end[k] is 1 when word k ends an operand of
 * the query (a match must end there). A word "and" between words of an entry is skipped, as
 * the dictionaries leave it out. A spinal level written as one operand ("L5-S1", "C5-6")
 * reads as its region. Returns the words used (0: none) and sets *field ("decision", "region"
 * or "source") and *slug (static strings).
 */
size_t imr__read_facet(const char *const *words, const unsigned char *item_end, size_t n,
                       const char **field, const char **slug);

#endif
