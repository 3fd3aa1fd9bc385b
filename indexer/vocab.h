/*
 * vocab.h - the slug tables of vocab.c, for the parts of the library that index into them.
 */
#ifndef IMR_VOCAB_PRIVATE_H
#define IMR_VOCAB_PRIVATE_H

/* NULL-terminated, in the brief's order: a facet matcher's value is an index into them. */
extern const char *const imr__item_types[];
extern const char *const imr__body_regions[];

/*
 * The specialty facet's values (specialty.c): the slugs of specialties.txt sorted, then
 * "other" and "unknown"; NULL-terminated, loaded once. NULL when the dictionary cannot be read.
 */
const char *const *imr__specialty_values(void);

#endif
