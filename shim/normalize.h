/*
 * normalize.h - word segmentation and normalisation for the `imr` tokenizer (private).
 *
 * A scanner walks a UTF-8 text and returns its tokens one at a time, each with the byte
 * offsets of its characters in the ORIGINAL text and its normalised form (case-folded, NFKC
 * compatibility forms replaced, diacritics removed) in a separate buffer. It knows nothing of
 * SQLite or stemming: tokenizer.c drives it and stems what it returns.
 *
 * The rules, in the order they apply:
 *  - Token characters are Unicode letters (L*), marks (M*) and numbers (N*). Everything else,
 *    including every byte that is not part of a valid UTF-8 sequence, separates tokens.
 *  - An apostrophe (' or U+2019) between two letters stays in the token, as ASCII '.
 *  - A format character (Cf, e.g. a soft hyphen) between two token characters is dropped and
 *    does not split the token; U+200B ZERO WIDTH SPACE is a separator.
 *  - A token is split where a digit is followed by a letter ("325mg" -> "325" "mg"), never
 *    where a letter is followed by a digit ("L5" stays "l5").
 *  - Spinal levels: a token whose normalised text is 1-2 digits, that follows a level token
 *    (normalised c, t, l or s + 1-2 digits) across exactly one '-', '/', U+2010 HYPHEN,
 *    U+2011, U+2012, U+2013 EN DASH, U+FF0D or U+FF0F, gets the level's letter: "C5-6" gives
 *    "c5" "c6", as "C5-C6" does. Its offsets stay those of its digits.
 *  - Normalised text longer than IMR__TOKEN_MAX bytes is cut at a character boundary; the
 *    offsets still cover the whole run.
 * A token whose normalised form is empty (only marks, say) is skipped.
 */
#ifndef IMR_NORMALIZE_H
#define IMR_NORMALIZE_H

#include <stdint.h>

/* Bytes of normalised text kept per token. */
#define IMR__TOKEN_MAX 256

/* Results of imr__scan_next(). */
#define IMR__SCAN_END   0  /* no more tokens */
#define IMR__SCAN_TOKEN 1  /* *tok holds the next token */
#define IMR__SCAN_ERROR -1 /* utf8proc reported an error: a bug or an unsupported library */

/* The state of one walk over one text. Lives on the caller's stack; holds no heap memory. */
typedef struct imr__scan {
    const unsigned char *text; /* the original text, not owned */
    int n;                     /* its length in bytes */
    int pos;                   /* offset of the next byte to look at */
    int remove_diacritics;     /* 1: strip marks after decomposition; 0: keep and compose */
    int prev_end;              /* end offset of the previous token, -1 before the first */
    char prev_level;           /* letter of the previous token if it was a spinal level, or 0 */
} imr__scan_t;

/* One token. */
typedef struct imr__token {
    int start;                    /* offset of its first byte in the original text */
    int end;                      /* offset one past its last byte in the original text */
    int len;                      /* bytes of normalised text in buf */
    int has_digit;                /* 1 when it contains a number character */
    unsigned hash;                /* imr__word_hash(buf, len) */
    char buf[IMR__TOKEN_MAX + 4]; /* normalised text, NUL-terminated */
} imr__token_t;

/*
 * The key of the stem cache: each byte is XORed into the hash rotated left by 5 bits. It is
 * cheap enough to compute while the scanner copies a token (a shift, an or and an xor per
 * byte); the cache mixes the bits before it picks a set.
 */
#define IMR__HASH_STEP(h, c) ((((h) << 5) | ((h) >> 27)) ^ (unsigned char)(c))

/* Returns the hash of s[0, n) that imr__token_t.hash holds. */
static inline unsigned imr__word_hash(const char *s, int n)
{
    unsigned h = 0;
    for (int i = 0; i < n; i++)
        h = IMR__HASH_STEP(h, s[i]);
    return h;
}

/*
 * Starts a walk over `text` (`n` bytes, need not be NUL-terminated or valid UTF-8).
 * `remove_diacritics` is 1 or 0.
 */
void imr__scan_init(imr__scan_t *scan, const char *text, int n, int remove_diacritics);

/*
 * Finds the next token and fills *tok. Returns IMR__SCAN_TOKEN, IMR__SCAN_END when the text
 * has no more tokens, or IMR__SCAN_ERROR when utf8proc returned an error.
 */
int imr__scan_next(imr__scan_t *scan, imr__token_t *tok);

/*
 * 1 when the code point `cp` is a letter or a number by the tokenizer's own classes (the
 * classes its tokens are made of, marks aside). The query language uses it for its rule that
 * a word without a letter or digit is dropped, so that rule cannot drift from the tokenizer.
 */
int imr__is_letter_or_digit(int32_t cp);

#endif
