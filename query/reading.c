/*
 * reading.c - the facet words of a query: which query words name a decision, a body region or
 * a guideline source (reading.h).
 *
 * The word lists are the dictionaries' own: query/decisions.txt, and the indexer's
 * body_regions.txt and guideline_sources.txt (the entries of kind mtus, acoem, odg, aetna), so
 * a region the indexer learns is a region the query reads. A region entry that is also an
 * item type's pattern (item_types.txt) or a synonym form (synonyms.txt) names a treatment
 * (ACDF, LESI, TKA, CTR): it stays text, and hides its words from the shorter entries. They are loaded once per process
 * into one table of entries, each a list of folded words (the last one a prefix when the
 * dictionary writes `word*`); a query is short, so a lookup tries every entry.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "imr.h"
#include "reading.h"
#include "synonyms.h"

#define READ_MAX_WORDS 8

/* One dictionary entry. */
typedef struct entry {
    char *words[READ_MAX_WORDS]; /* folded words */
    int n_words;
    int prefix;        /* the last word is a prefix */
    const char *field; /* "decision", "region", "source"; NULL: an entry that hides its words */
    const char *slug;  /* canonical value (imr_facet_values()), NULL with field */
} entry_t;

static struct {
    entry_t *e;
    size_t n, cap;
    char **treatments; /* folded item type patterns, while loading */
    size_t n_treatments, cap_treatments;
    imr_error_t error;
} g_read;

/* Keeps an item type's pattern (folded) in g_read.treatments; an imr_dict_fn. */
static imr_status_t add_treatment(const imr_dict_entry_t *d, void *ctx, imr_error_t *err)
{
    (void)ctx;
    if (d->n_fields < 2 || strcmp(d->field[1], "ignore") == 0)
        return IMR_OK;
    size_t len = strlen(d->field[0]);
    char *key = NULL;
    imr_status_t st = imr__fold_key(d->field[0], len - (len && d->field[0][len - 1] == '*'), &key,
                                    err);
    if (st != IMR_OK)
        return st;
    if (g_read.n_treatments == g_read.cap_treatments) {
        size_t cap = g_read.cap_treatments ? 2 * g_read.cap_treatments : 512;
        char **grown = realloc(g_read.treatments, cap * sizeof *grown);
        if (!grown) {
            free(key);
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
        g_read.treatments = grown;
        g_read.cap_treatments = cap;
    }
    g_read.treatments[g_read.n_treatments++] = key;
    return IMR_OK;
}

/* 1 when the folded key names a treatment: an item type's pattern or a synonym form. */
static int is_treatment(const char *key)
{
    if (imr__syn_lookup(key, NULL) >= 0)
        return 1;
    for (size_t i = 0; i < g_read.n_treatments; i++)
        if (strcmp(g_read.treatments[i], key) == 0)
            return 1;
    return 0;
}

static pthread_once_t g_read_once = PTHREAD_ONCE_INIT;

/* The canonical value of `facet` spelled `slug`, or NULL. */
static const char *canonical(const char *facet, const char *slug)
{
    const char *const *v = imr_facet_values(facet);
    for (size_t i = 0; v && v[i]; i++)
        if (strcmp(v[i], slug) == 0)
            return v[i];
    return NULL;
}

/* What a dictionary's entries mean: the field and the facet whose slugs its values are. */
typedef struct source_file {
    const char *file, *field, *facet;
} source_file_t;

/* Stores one line of a dictionary (pattern | value ...); an imr_dict_fn. */
static imr_status_t add_entry(const imr_dict_entry_t *d, void *ctx, imr_error_t *err)
{
    const source_file_t *src = ctx;
    if (d->n_fields < 2)
        return IMR_OK;
    const char *slug = NULL, *field = src->field;
    if (strcmp(d->field[1], "ignore") == 0 && strcmp(src->field, "region") == 0)
        field = NULL;
    else if (!(slug = canonical(src->facet, d->field[1])) || strcmp(slug, "other") == 0 ||
             strcmp(slug, "none") == 0)
        return IMR_OK; /* negations, citations, "other" evidence: not a facet word */
    size_t len = strlen(d->field[0]);
    int prefix = len > 0 && d->field[0][len - 1] == '*';
    char *key = NULL;
    imr_status_t st = imr__fold_key(d->field[0], len - (size_t)prefix, &key, err);
    if (st != IMR_OK)
        return st;
    if (!*key) {
        free(key);
        return IMR_OK;
    }
    if (field && strcmp(field, "region") == 0 && is_treatment(key))
        field = NULL; /* ACDF is a surgery, not the word "cervical" */
    if (g_read.n == g_read.cap) {
        size_t cap = g_read.cap ? 2 * g_read.cap : 256;
        entry_t *grown = realloc(g_read.e, cap * sizeof *grown);
        if (!grown) {
            free(key);
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
        g_read.e = grown;
        g_read.cap = cap;
    }
    entry_t *e = &g_read.e[g_read.n];
    memset(e, 0, sizeof *e);
    for (char *w = key; w && *w && e->n_words < READ_MAX_WORDS;) {
        char *sp = strchr(w, ' ');
        size_t wl = sp ? (size_t)(sp - w) : strlen(w);
        if (!(e->words[e->n_words] = strndup(w, wl))) {
            for (int k = 0; k < e->n_words; k++)
                free(e->words[k]);
            free(key);
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
        e->n_words++;
        w = sp ? sp + 1 : NULL;
    }
    free(key);
    e->prefix = prefix;
    e->field = field;
    e->slug = slug;
    g_read.n++;
    return IMR_OK;
}

/* Loads the dictionaries into g_read (item types only to know treatments); the outcome is left in g_read.error. */
static void load(void)
{
    static const source_file_t files[] = {
        {"decisions.txt", "decision", "decision"},
        {"body_regions.txt", "region", "body_region"},
        {"guideline_sources.txt", "source", "guideline_source"},
    };
    imr_status_t st = imr__synonyms_load(&g_read.error);
    if (st == IMR_OK)
        st = imr__dict_each("item_types.txt", add_treatment, NULL, &g_read.error);
    for (size_t i = 0; st == IMR_OK && i < sizeof files / sizeof files[0]; i++)
        st = imr__dict_each(files[i].file, add_entry, (void *)&files[i], &g_read.error);
    for (size_t i = 0; i < g_read.n_treatments; i++)
        free(g_read.treatments[i]);
    free(g_read.treatments);
    g_read.treatments = NULL;
    if (st == IMR_OK) {
        g_read.error.status = IMR_OK;
        g_read.error.msg[0] = '\0';
    } else {
        g_read.n = 0;
    }
}

imr_status_t imr__reading_load(imr_error_t *err)
{
    pthread_once(&g_read_once, load);
    if (g_read.error.status != IMR_OK && err)
        *err = g_read.error;
    return g_read.error.status;
}

/* 1 when the folded word w is the entry word ew, or starts with it when `prefix`. */
static int word_fits(const char *w, const char *ew, int prefix)
{
    return prefix ? strncmp(w, ew, strlen(ew)) == 0 : strcmp(w, ew) == 0;
}

/* Words of words[0..n) that entry e uses from the start, ending at an operand's end; 0: none. */
static size_t entry_fits(const entry_t *e, const char *const *words, const unsigned char *item_end,
                         size_t n)
{
    size_t j = 0;
    for (int k = 0; k < e->n_words; k++) {
        while (k > 0 && j < n && strcmp(words[j], "and") == 0)
            j++;
        if (j >= n || !word_fits(words[j], e->words[k], e->prefix && k == e->n_words - 1))
            return 0;
        j++;
    }
    return item_end[j - 1] ? j : 0;
}

/* 1 for a word of only digits. */
static int all_digits(const char *w)
{
    if (!*w)
        return 0;
    for (; *w; w++)
        if (*w < '0' || *w > '9')
            return 0;
    return 1;
}

/*
 * A spinal level written as one operand: words[0..end] where words[0] is a one-word region
 * entry of the form letter + digits (l5, c5), and every other word a number (C5-6) or a
 * one-word entry of the same region (L5-S1). The region's slug, or NULL.
 */
static const char *spinal_level(const char *const *words, size_t end)
{
    const char *region = NULL;
    for (size_t k = 0; k <= end; k++) {
        if (k > 0 && all_digits(words[k]))
            continue;
        const char *found = NULL;
        for (size_t i = 0; i < g_read.n && !found; i++) {
            const entry_t *e = &g_read.e[i];
            if (e->field && strcmp(e->field, "region") == 0 && e->n_words == 1 && !e->prefix &&
                strcmp(e->words[0], words[k]) == 0 && all_digits(words[k] + 1))
                found = e->slug;
        }
        if (!found || (region && region != found))
            return NULL;
        region = found;
    }
    return region;
}

size_t imr__read_facet(const char *const *words, const unsigned char *item_end, size_t n,
                       const char **field, const char **slug)
{
    size_t best = 0;
    *field = NULL;
    *slug = NULL;
    for (size_t i = 0; i < g_read.n; i++) {
        size_t used = entry_fits(&g_read.e[i], words, item_end, n);
        if (used > best) {
            best = used;
            *field = g_read.e[i].field;
            *slug = g_read.e[i].slug;
        }
    }
    if (best)
        return best;
    size_t end = 0;
    while (end < n && !item_end[end])
        end++;
    if (end > 0 && end < n && (*slug = spinal_level(words, end))) {
        *field = "region";
        return end + 1;
    }
    return 0;
}
