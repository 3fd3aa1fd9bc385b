/*
 * synonyms.c - the query's vocabulary: the folding of words for dictionary lookup, and the
 * synonym groups of query/synonyms.txt (synonyms.h). The groups are loaded once per process,
 * under pthread_once, and only read afterwards.
 *
 * A form written `~FORM` is ambiguous: the letters use it for more than the group's meaning
 * (RFA is also "request for authorization", PT also "patient"). Typed, it is searched with
 * its group; a query that typed another form of the group never gets it added.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "dict.h"
#include "normalize.h"
#include "synonyms.h"

#define SYNONYMS_FILE "synonyms.txt"

/* Decodes the code point at s (valid UTF-8, n > 0 bytes left); stores its length in *len. */
int32_t imr__decode(const char *s, size_t n, size_t *len)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    if (l <= 0) { /* cannot happen after validation; treat the byte as a one-byte space */
        *len = 1;
        return ' ';
    }
    *len = (size_t)l;
    return cp;
}

/*
 * Folds s[0..n) for synonym matching: case, width and accents folded (NFKC casefold, marks
 * stripped), every run of characters that are not letters or digits turned into one space,
 * trimmed. On success *out is a new string (empty when s has no letter or digit) the caller
 * frees. Returns IMR_ERR_NOMEM, or IMR_ERR_INTERNAL when utf8proc refuses the text.
 */
imr_status_t imr__fold_key(const char *s, size_t n, char **out, imr_error_t *err)
{
    /* ASCII text (every dictionary entry, most queries) needs no utf8proc: its NFKC casefold is
       its lower case, and it has no marks. Only other text is mapped first. */
    size_t ascii = 0;
    while (ascii < n && (unsigned char)s[ascii] < 0x80)
        ascii++;
    utf8proc_uint8_t *mapped = NULL;
    const char *text = s;
    size_t m = n;
    *out = NULL;
    if (ascii < n) {
        utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                          &mapped,
                                          UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                              UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
        if (r < 0) {
            if (r == UTF8PROC_ERROR_NOMEM)
                return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            return imr_error_set(err, IMR_ERR_INTERNAL, "cannot normalise query text: %s",
                                 utf8proc_errmsg(r));
        }
        text = (const char *)mapped;
        m = (size_t)r;
    }
    char *key = malloc(m + 1);
    if (!key) {
        free(mapped);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    size_t k = 0, i = 0, l;
    int gap = 0;
    while (i < m) {
        int32_t c = imr__decode(text + i, m - i, &l);
        if (imr__is_letter_or_digit(c)) {
            if (gap && k > 0)
                key[k++] = ' ';
            gap = 0;
            if (c >= 'A' && c <= 'Z') /* the ASCII casefold; mapped text has none left */
                key[k++] = (char)(c - 'A' + 'a');
            else {
                memcpy(key + k, text + i, l);
                k += l;
            }
        } else {
            gap = 1;
        }
        i += l;
    }
    key[k] = '\0';
    free(mapped);
    *out = key;
    return IMR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Synonyms: query/synonyms.txt, loaded once per process                                    */
/* ---------------------------------------------------------------------------------------- */

/* One form of a synonym group, folded, for lookup. */
typedef struct syn_key {
    char *key; /* imr__fold_key() of the form */
    int group; /* index of its group */
    size_t form; /* index of the form */
    int line;  /* line of synonyms.txt, for messages */
} syn_key_t;

/* Every group of synonyms.txt. Written once under pthread_once, then only read. */
static struct {
    char **form;               /* every form as written, group after group */
    unsigned char *ambiguous;  /* per form: written ~FORM (see imr__syn_ambiguous()) */
    size_t n_form, cap_form;   /* forms stored; room for */
    size_t *first;             /* first[g] .. first[g + 1] - 1: the forms of group g */
    size_t n_group, cap_group; /* groups stored; room for (in first[], less one) */
    syn_key_t *key;            /* one per form, sorted by key */
    size_t n_key;              /* keys usable for lookup: n_form, or 0 when loading failed */
    int max_words;             /* most words in one folded form */
    imr_error_t error;         /* how loading ended */
} g_syn;

static pthread_once_t g_syn_once = PTHREAD_ONCE_INIT;

/* Stores one synonym group (a dictionary line); an imr_dict_fn. */
static imr_status_t syn_add_group(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    if (e->n_fields < 2)
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: a synonym group needs at least two forms",
                             e->file, e->line);
    if (g_syn.n_group + 2 > g_syn.cap_group) {
        size_t cap = g_syn.cap_group ? 2 * g_syn.cap_group : 64;
        size_t *grown = realloc(g_syn.first, cap * sizeof *grown);
        if (!grown)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        g_syn.first = grown;
        g_syn.cap_group = cap;
    }
    g_syn.first[g_syn.n_group] = g_syn.n_form;
    for (int f = 0; f < e->n_fields; f++) {
        if (g_syn.n_form == g_syn.cap_form) {
            size_t cap = g_syn.cap_form ? 2 * g_syn.cap_form : 256;
            char **grown = realloc(g_syn.form, cap * sizeof *grown);
            syn_key_t *kgrown = realloc(g_syn.key, cap * sizeof *kgrown);
            unsigned char *agrown = realloc(g_syn.ambiguous, cap);
            if (grown)
                g_syn.form = grown;
            if (kgrown)
                g_syn.key = kgrown;
            if (agrown)
                g_syn.ambiguous = agrown;
            if (!grown || !kgrown || !agrown)
                return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            g_syn.cap_form = cap;
        }
        const char *written = e->field[f];
        int ambiguous = written[0] == '~';
        written += ambiguous;
        char *key = NULL;
        imr_status_t st = imr__fold_key(written, strlen(written), &key, err);
        if (st != IMR_OK)
            return st;
        if (!*key) {
            free(key);
            return imr_error_set(err, IMR_ERR_ARG, "%s:%d: form \"%s\" has no letter or digit",
                                 e->file, e->line, e->field[f]);
        }
        char *form = strdup(written);
        if (!form) {
            free(key);
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
        int words = 1;
        for (const char *c = key; *c; c++)
            words += *c == ' ';
        if (words > g_syn.max_words)
            g_syn.max_words = words;
        g_syn.key[g_syn.n_form] = (syn_key_t){key, (int)g_syn.n_group, g_syn.n_form, e->line};
        g_syn.ambiguous[g_syn.n_form] = (unsigned char)ambiguous;
        g_syn.form[g_syn.n_form++] = form;
        g_syn.n_key = g_syn.n_form;
    }
    g_syn.first[++g_syn.n_group] = g_syn.n_form;
    return IMR_OK;
}

/* Orders syn_key_t by key, for qsort() and bsearch(). */
static int syn_key_cmp(const void *a, const void *b)
{
    return strcmp(((const syn_key_t *)a)->key, ((const syn_key_t *)b)->key);
}

/* Loads synonyms.txt into g_syn; the outcome is left in g_syn.error. Runs once. */
static void syn_load(void)
{
    imr_error_t *err = &g_syn.error;
    imr_status_t st = imr__dict_each(SYNONYMS_FILE, syn_add_group, NULL, err);
    if (st == IMR_OK && g_syn.n_key > 0) {
        qsort(g_syn.key, g_syn.n_key, sizeof *g_syn.key, syn_key_cmp);
        for (size_t i = 1; st == IMR_OK && i < g_syn.n_key; i++) {
            const syn_key_t *a = &g_syn.key[i - 1], *b = &g_syn.key[i];
            if (strcmp(a->key, b->key) != 0 || a->group == b->group)
                continue;
            int first = a->line < b->line ? a->line : b->line;
            int second = a->line < b->line ? b->line : a->line;
            st = imr_error_set(err, IMR_ERR_ARG, "%s:%d: \"%s\" is already a form on line %d",
                               SYNONYMS_FILE, second, b->key, first);
        }
    }
    if (st == IMR_OK) {
        g_syn.error.status = IMR_OK;
        g_syn.error.msg[0] = '\0';
    } else {
        /* Keep nothing half-built: a failed dictionary means no synonyms and an error. */
        g_syn.n_key = 0;
        g_syn.n_group = 0;
        if (g_syn.error.status == IMR_OK)
            imr_error_set(err, IMR_ERR_INTERNAL, "%s: cannot load", SYNONYMS_FILE);
    }
}

int imr__syn_lookup(const char *key, size_t *form)
{
    if (!*key || g_syn.n_key == 0)
        return -1;
    syn_key_t probe = {(char *)key, 0, 0, 0};
    const syn_key_t *hit = bsearch(&probe, g_syn.key, g_syn.n_key, sizeof *g_syn.key, syn_key_cmp);
    if (hit && form)
        *form = hit->form;
    return hit ? hit->group : -1;
}

imr_status_t imr__synonyms_load(imr_error_t *err)
{
    pthread_once(&g_syn_once, syn_load);
    if (g_syn.error.status != IMR_OK && err)
        *err = g_syn.error;
    return g_syn.error.status;
}

int imr__syn_max_words(void)
{
    return g_syn.max_words;
}

void imr__syn_group(int g, size_t *first, size_t *end)
{
    *first = g_syn.first[g];
    *end = g_syn.first[g + 1];
}

const char *imr__syn_form(size_t f)
{
    return g_syn.form[f];
}

int imr__syn_ambiguous(size_t f)
{
    return g_syn.ambiguous[f];
}

