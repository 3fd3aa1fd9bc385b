/*
 * tokenizer.h - the `imr` FTS5 tokenizer's private entry points.
 *
 * include/imr_tokenizer.h has the public one, imr_tokenizer_register(). These are shared with
 * the loadable extension (shim/extension.c) and the test and benchmark tools.
 */
#ifndef IMR_SHIM_TOKENIZER_H
#define IMR_SHIM_TOKENIZER_H

#include <stddef.h>

#include <sqlite3.h>

/* The name the tokenizer is registered under: tokenize='imr'. */
#define IMR__TOKENIZER_NAME "imr"

/*
 * Registers the `imr` tokenizer with an fts5_api. Returns an SQLite result code: SQLITE_OK,
 * SQLITE_ERROR when `api` is NULL or older than version 2, or what xCreateTokenizer returned.
 */
int imr__tokenizer_install(fts5_api *api);


/*
 * Tokens computed ahead. A program that knows which texts it will insert into an FTS5 table
 * of the imr tokenizer can tokenize them in another thread (imr__pretok_add, with a tokenizer
 * of its own: stemmers are not thread-safe) and tell the connection's tokenizer to expect them
 * (imr__tok_replay). The tokenizer then reports the stored tokens instead of computing them,
 * for each expected text in turn whose bytes equal the text FTS5 gives it, and tokenizes any
 * other text as usual: a wrong or stale expectation costs time, never correctness. Only
 * instances with the default options (tokenize='imr', as imrindex's tables) replay.
 */
typedef struct imr__tok imr__tok_t;               /* a tokenizer instance of one thread */
typedef struct imr__pretok imr__pretok_t;         /* texts and their tokens, in order */
typedef struct imr__tok_shared imr__tok_shared_t; /* one registration's replay state */

/* Makes a tokenizer with the default options in *out. Returns SQLITE_OK or SQLITE_NOMEM. */
int imr__tok_new_default(imr__tok_t **out);
/* Frees a tokenizer made by imr__tok_new_default(). Accepts NULL. */
void imr__tok_free(imr__tok_t *tok);

/* Makes an empty pretok in *out (owned by the caller). Returns SQLITE_OK or SQLITE_NOMEM. */
int imr__pretok_new(imr__pretok_t **out);
/* Frees a pretok. Accepts NULL. */
void imr__pretok_free(imr__pretok_t *p);
/* Forgets every text of p, keeping its memory. */
void imr__pretok_clear(imr__pretok_t *p);
/* The number of texts in p. */
size_t imr__pretok_count(const imr__pretok_t *p);
/* The bytes of memory p holds (what its texts and tokens take, or may take without growing). */
size_t imr__pretok_bytes(const imr__pretok_t *p);
/*
 * Tokenizes text[0, n) with `tok` as an FTS5 document and appends it and its tokens to p. The
 * text is not copied: it must stay unchanged while p may be replayed. Returns SQLITE_OK,
 * SQLITE_NOMEM or SQLITE_ERROR (utf8proc failed); on an error p is as before.
 */
int imr__pretok_add(imr__pretok_t *p, imr__tok_t *tok, const char *text, int n);

/*
 * Stores in *out the replay state of the imr tokenizer registered last with `api` (owned by
 * the connection, valid while it is open). Returns SQLITE_OK, or SQLITE_ERROR when the
 * tokenizer is not registered there.
 */
int imr__tok_shared_find(fts5_api *api, imr__tok_shared_t **out);

/*
 * Makes the tokenizer instances of `shared` expect texts first .. first + count - 1 of p next,
 * in order; p NULL (or a range beyond p's texts) expects nothing. p must outlive the
 * expectation: call imr__tok_replay(shared, NULL, 0, 0) before changing or freeing it.
 */
void imr__tok_replay(imr__tok_shared_t *shared, const imr__pretok_t *p, size_t first, size_t count);

/* The number of texts replayed since the last imr__tok_replay() on `shared`. */
size_t imr__tok_replayed(const imr__tok_shared_t *shared);

#endif
