/*
 * stem.h - Snowball stemming with a bounded cache of stems (private to the tokenizer).
 *
 * One imr__stemmer_t belongs to one tokenizer instance: Snowball stemmers keep their result
 * in the stemmer, so an instance must not be used by two threads at once (SQLite serialises
 * the use of a connection, and a tokenizer instance belongs to one connection).
 */
#ifndef IMR_STEM_H
#define IMR_STEM_H

#include <sqlite3.h>

typedef struct imr__stemmer imr__stemmer_t;

/*
 * Creates a stemmer for the Snowball algorithm `language` ("english", "french", ... any name
 * sb_stemmer_list() gives) working on UTF-8. On success *out owns it; free it with
 * imr__stemmer_free(). Returns SQLITE_OK, SQLITE_ERROR when there is no such algorithm, or
 * SQLITE_NOMEM when memory runs out; *out is then NULL.
 */
int imr__stemmer_new(const char *language, imr__stemmer_t **out);

/* Frees a stemmer and its cache. Accepts NULL. */
void imr__stemmer_free(imr__stemmer_t *st);

/* Returns 1 when `language` names a Snowball algorithm of the installed libstemmer. */
int imr__stemmer_known(const char *language);

/*
 * Stems `word` (`n` bytes of normalised UTF-8). `hash` keys the cache: any hash of the word,
 * as long as the same word always comes with the same hash (imr__token_t.hash does; a poor
 * hash only costs speed, never correctness). On success *stem points to the stem and *len
 * holds its length; the stem is owned by the stemmer and valid until the next call. Returns
 * SQLITE_OK, or SQLITE_NOMEM when Snowball runs out of memory.
 */
int imr__stem(imr__stemmer_t *st, const char *word, int n, unsigned hash, const char **stem,
              int *len);

#endif
