/*
 * stem.c - Snowball stemming with a bounded cache of stems.
 *
 * Design. The words of the letters follow Zipf's law: a few thousand words make most of the
 * text, so most calls stem a word already stemmed. Each stemmer keeps a cache of
 * 2 * CACHE_SETS (word, stem) pairs for words and stems of at most CACHE_WORD bytes. It is
 * two-way set associative: the word's hash picks a set of two slots, the most recently used
 * first. A hit in the second slot swaps the two; a miss stems with Snowball, moves the first
 * slot to the second and writes the new pair first. Each slot is one 64-byte cache line and
 * the whole cache has a fixed size (1 MB: 16,384 words, enough for the bulk of a Zipfian
 * vocabulary), so memory does not grow with the vocabulary.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "stem.h"

#define CACHE_SET_BITS 13
#define CACHE_SETS     (1u << CACHE_SET_BITS)
#define CACHE_WORD     29 /* longest word or stem kept in the cache, in bytes */

struct cache_slot {
    uint32_t hash;         /* the word's hash as given to imr__stem() */
    uint8_t wlen;          /* bytes of word; 0 for an empty slot */
    uint8_t slen;          /* bytes of stem */
    char word[CACHE_WORD]; /* the normalised word */
    char stem[CACHE_WORD]; /* its stem */
};

_Static_assert(sizeof(struct cache_slot) == 64, "a cache slot is one cache line");

struct imr__stemmer {
    struct sb_stemmer *sb;    /* the Snowball stemmer, owned */
    struct cache_slot *cache; /* 2 * CACHE_SETS slots, owned */
};

int imr__stemmer_known(const char *language)
{
    const char **names = sb_stemmer_list();
    for (int i = 0; names && names[i]; i++)
        if (strcmp(names[i], language) == 0)
            return 1;
    return 0;
}

int imr__stemmer_new(const char *language, imr__stemmer_t **out)
{
    *out = NULL;
    if (!imr__stemmer_known(language))
        return SQLITE_ERROR;
    imr__stemmer_t *st = calloc(1, sizeof *st);
    if (!st)
        return SQLITE_NOMEM;
    st->cache = calloc(2 * CACHE_SETS, sizeof *st->cache);
    st->sb = sb_stemmer_new(language, "UTF_8");
    if (!st->cache || !st->sb) {
        /* The name is known, so a NULL stemmer means memory ran out. */
        imr__stemmer_free(st);
        return SQLITE_NOMEM;
    }
    *out = st;
    return SQLITE_OK;
}

void imr__stemmer_free(imr__stemmer_t *st)
{
    if (!st)
        return;
    if (st->sb)
        sb_stemmer_delete(st->sb);
    free(st->cache);
    free(st);
}

/* Returns 1 when `slot` holds `word`. */
static int slot_holds(const struct cache_slot *slot, const char *word, int n, unsigned hash)
{
    if (slot->hash != hash || slot->wlen != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (slot->word[i] != word[i])
            return 0;
    return 1;
}

int imr__stem(imr__stemmer_t *st, const char *word, int n, unsigned hash,
              const char **stem, int *len)
{
    struct cache_slot *set = NULL;
    if (n > 0 && n <= CACHE_WORD) {
        set = &st->cache[2 * ((hash * 0x9E3779B1u) >> (32 - CACHE_SET_BITS))];
        if (slot_holds(&set[0], word, n, hash)) {
            *stem = set[0].stem;
            *len = set[0].slen;
            return SQLITE_OK;
        }
        if (slot_holds(&set[1], word, n, hash)) {
            struct cache_slot hit = set[1];
            set[1] = set[0];
            set[0] = hit;
            *stem = set[0].stem;
            *len = set[0].slen;
            return SQLITE_OK;
        }
    }
    const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)word, n);
    if (!s)
        return SQLITE_NOMEM;
    int slen = sb_stemmer_length(st->sb);
    if (set && slen <= CACHE_WORD) {
        set[1] = set[0];
        set[0].hash = hash;
        set[0].wlen = (uint8_t)n;
        set[0].slen = (uint8_t)slen;
        memcpy(set[0].word, word, (size_t)n);
        memcpy(set[0].stem, s, (size_t)slen);
        *stem = set[0].stem;
    } else {
        *stem = (const char *)s;
    }
    *len = slen;
    return SQLITE_OK;
}
