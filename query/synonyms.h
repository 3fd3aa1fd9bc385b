/*
 * synonyms.h - the query's vocabulary (synonyms.c): folding a word for dictionary lookup, and
 * the synonym groups of query/synonyms.txt, loaded once per process.
 */
#ifndef IMR_SYNONYMS_H
#define IMR_SYNONYMS_H

#include <stddef.h>
#include <stdint.h>

#include "imr.h"

/* Decodes the code point at s (valid UTF-8, n > 0 bytes left); stores its length in *len. */
int32_t imr__decode(const char *s, size_t n, size_t *len);

/*
 * Folds s[0..n) for dictionary matching: case, width and accents folded (NFKC casefold, marks
 * stripped), every run of characters that are not letters or digits turned into one space,
 * trimmed. On success *out is a new string (empty when s has no letter or digit) the caller
 * frees. Returns IMR_ERR_NOMEM, or IMR_ERR_INTERNAL when utf8proc refuses the text.
 */
imr_status_t imr__fold_key(const char *s, size_t n, char **out, imr_error_t *err);

/*
 * Loads query/synonyms.txt the first time (thread-safe) and returns how that went: IMR_OK, or
 * the dictionary's error (a message naming the file and line) into *err.
 */
imr_status_t imr__synonyms_load(imr_error_t *err);

/*
 * The synonym group one of whose forms folds to `key` (-1: none), with that form's index in
 * *form (when not NULL).
 */
int imr__syn_lookup(const char *key, size_t *form);

/* Most words in one folded form. */
int imr__syn_max_words(void);

/* The forms of group g: indexes [*first, *end). */
void imr__syn_group(int g, size_t *first, size_t *end);

/* Form f as written in the file (without its '~'). */
const char *imr__syn_form(size_t f);

/*
 * 1 when form f is ambiguous (written `~FORM`): it is searched when it is what the user
 * typed, never added to a query that typed another form of its group (RFA, PT).
 */
int imr__syn_ambiguous(size_t f);

#endif
