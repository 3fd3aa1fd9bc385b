/*
 * vocab.h - the slug tables of vocab.c, for the parts of the library that index into them.
 */
#ifndef IMR_VOCAB_PRIVATE_H
#define IMR_VOCAB_PRIVATE_H

#include "imr_common.h"

/* NULL-terminated, in the brief's order: a facet matcher's value is an index into them. */
extern const char *const imr__item_types[];
extern const char *const imr__body_regions[];

/*
 * The specialty facet's values: the slugs of the dictionary specialties.txt sorted, then
 * "other" and "unknown"; NULL-terminated, loaded once (thread-safe). NULL when the dictionary
 * cannot be read or has a bad entry; imr__specialties_load() then returns why (IMR_ERR_IO,
 * IMR_ERR_ARG). A slug has fewer than IMR__SPECIALTY_BYTES bytes.
 */
#define IMR__SPECIALTY_BYTES 40
const char *const *imr__specialty_values(void);
imr_status_t imr__specialties_load(imr_error_t *err);

#endif
