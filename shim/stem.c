/*
 * stem.c - Snowball stemming with a bounded cache of stems.
 *
 * Design. The words of the letters follow Zipf's law: a few thousand words make most of the
 * text, so most calls stem a word already stemmed. Each stemmer keeps a direct-mapped cache of
 * CACHE_SLOTS (word, stem) pairs for words and stems of at most CACHE_WORD bytes: the word's
 * FNV-1a hash picks one slot, a hit returns the stored stem, a miss stems with Snowball and
 * overwrites the slot. The cache has a fixed size (about 400 KB), so memory does not grow with
 * the vocabulary, and needs no eviction bookkeeping.
 */
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "stem.h"

#define CACHE_SLOTS 8192 /* a power of two */
#define CACHE_WORD  24   /* longest word or stem kept in the cache, in bytes */

struct cache_slot {
    unsigned char wlen;     /* bytes of word; 0 for an empty slot */
    unsigned char slen;     /* bytes of stem */
    char word[CACHE_WORD];  /* the normalised word */
    char stem[CACHE_WORD];  /* its stem */
};

struct imr__stemmer {
    struct sb_stemmer *sb;    /* the Snowball stemmer, owned */
    struct cache_slot *cache; /* CACHE_SLOTS slots, owned */
};

int imr__stemmer_known(const char *language)
{
    const char **names = sb_stemmer_list();
    for (int i = 0; names && names[i]; i++)
        if (strcmp(names[i], language) == 0)
            return 1;
    return 0;
}

imr_status_t imr__stemmer_new(const char *language, imr__stemmer_t **out)
{
    *out = NULL;
    if (!imr__stemmer_known(language))
        return IMR_ERR_ARG;
    imr__stemmer_t *st = calloc(1, sizeof *st);
    if (!st)
        return IMR_ERR_NOMEM;
    st->cache = calloc(CACHE_SLOTS, sizeof *st->cache);
    st->sb = sb_stemmer_new(language, "UTF_8");
    if (!st->cache || !st->sb) {
        /* The name is known, so a NULL stemmer means memory ran out. */
        imr__stemmer_free(st);
        return IMR_ERR_NOMEM;
    }
    *out = st;
    return IMR_OK;
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

/* FNV-1a, 32 bits. */
static unsigned hash_word(const char *w, int n)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h;
}

imr_status_t imr__stem(imr__stemmer_t *st, const char *word, int n, const char **stem, int *len)
{
    struct cache_slot *slot = NULL;
    if (n > 0 && n <= CACHE_WORD) {
        slot = &st->cache[hash_word(word, n) & (CACHE_SLOTS - 1)];
        if (slot->wlen == n && memcmp(slot->word, word, (size_t)n) == 0) {
            *stem = slot->stem;
            *len = slot->slen;
            return IMR_OK;
        }
    }
    const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)word, n);
    if (!s)
        return IMR_ERR_NOMEM;
    int slen = sb_stemmer_length(st->sb);
    if (slot && slen <= CACHE_WORD) {
        slot->wlen = (unsigned char)n;
        slot->slen = (unsigned char)slen;
        memcpy(slot->word, word, (size_t)n);
        memcpy(slot->stem, s, (size_t)slen);
        *stem = slot->stem;
    } else {
        *stem = (const char *)s;
    }
    *len = slen;
    return IMR_OK;
}
