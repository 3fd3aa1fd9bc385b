/*
 * match.c - normalised tokens and the phrase matcher the dictionaries are compiled into.
 *
 * Design. Dictionary patterns and letter text are compared on the same normalised tokens
 * (see imr__toks_t in parse.h): "Hot/Cold unit", "hot cold unit" and "HOT AND COLD UNIT"
 * are all `hot cold unit`. A pattern is a sequence of tokens whose last one may end in `*`
 * (a prefix: `cryotherap*`); a pattern of one token may instead start with `*` (a suffix:
 * `*ectomy`). Patterns are kept in a hash table keyed by their first token; patterns that are
 * a single prefix are kept in a second table keyed by the prefix's first three characters;
 * the few suffixes in one list. Matching at a token costs two lookups and a check of each
 * candidate and of each suffix, so a text is matched in time linear in its tokens, whatever
 * the size of the dictionary.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

void imr__toks_reset(imr__toks_t *toks)
{
    toks->buf_len = 0;
    toks->n = 0;
}

void imr__toks_free(imr__toks_t *toks)
{
    if (!toks)
        return;
    free(toks->buf);
    free(toks->t);
    memset(toks, 0, sizeof *toks);
}

/* Makes room for `chars` more characters and `ntok` more tokens. */
static int tok_reserve(imr__toks_t *t, size_t chars, size_t ntok)
{
    if (t->buf_len + chars > t->buf_cap) {
        size_t cap = t->buf_cap ? t->buf_cap : 512;
        while (cap < t->buf_len + chars)
            cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b)
            return 0;
        t->buf = b;
        t->buf_cap = cap;
    }
    if (t->n + ntok > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < t->n + ntok)
            cap *= 2;
        imr__tok_t *p = realloc(t->t, cap * sizeof *p);
        if (!p)
            return 0;
        t->t = p;
        t->cap = cap;
    }
    return 1;
}

/* Lower-case form of each byte that is an ASCII letter or digit, 0 for the others. */
static const unsigned char alnum_lower[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5', ['6'] = '6',
    ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
    ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
    ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
    ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
    ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
    ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z'};


imr_status_t imr__toks_add(imr__toks_t *toks, const char *s, size_t n, uint32_t base)
{
    const unsigned char *u = (const unsigned char *)s;
    /* At most n tokens of n characters in all, each with its NUL. */
    if (toks->buf_len + 2 * n + 1 > toks->buf_cap || toks->n + n + 1 > toks->cap) {
        if (!tok_reserve(toks, 2 * n + 1, n + 1))
            return IMR_ERR_NOMEM;
    }
    char *out = toks->buf + toks->buf_len;
    size_t i = 0;
    while (i < n) {
        while (i < n && !alnum_lower[u[i]])
            i++;
        if (i == n)
            break;
        size_t start = i;
        char *w = out;
        int prev_digit = 0;
        unsigned char c;
        /* A digit followed by a letter ends a token: "325mg" -> "325" "mg". */
        while (i < n && (c = alnum_lower[u[i]]) != 0) {
            int digit = c <= '9';
            if (prev_digit && !digit)
                break;
            *out++ = (char)c;
            prev_digit = digit;
            i++;
        }
        size_t len = (size_t)(out - w);
        if (len == 3 && w[0] == 'a' && w[1] == 'n' && w[2] == 'd') {
            out = w; /* "and" is left out */
            continue;
        }
        if (len > 60000) { /* keep the length in a uint16_t */
            out = w + 60000;
            len = 60000;
        }
        *out++ = '\0';
        imr__tok_t *t = &toks->t[toks->n++];
        t->off = (uint32_t)(w - toks->buf);
        t->len = (uint16_t)len;
        t->src = base + (uint32_t)start;
    }
    toks->buf_len = (size_t)(out - toks->buf);
    return IMR_OK;
}

/* One compiled pattern. */
typedef struct pat {
    uint32_t first;  /* index of its first token in the matcher's token pool */
    uint16_t ntok;   /* number of tokens */
    uint8_t prefix;  /* the last token is a prefix */
    uint8_t suffix;  /* the one token is a suffix */
    int value, arg;
    int32_t next;    /* next pattern in the same hash chain, or -1 */
} pat_t;

struct imr__matcher {
    pat_t *pats;
    size_t n, cap;
    imr__toks_t pool;    /* the tokens of every pattern */
    int32_t *exact;      /* hash of first token -> first pattern of the chain, or -1 */
    int32_t *pre;        /* hash of a prefix's first three characters -> chain */
    int32_t suf;         /* the chain of suffix patterns, or -1 */
    size_t nbuckets;     /* a power of two */
};

#define NBUCKETS 4096

/* FNV-1a hash of s[0, n). */
static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

imr_status_t imr__matcher_new(imr__matcher_t **out, imr_error_t *err)
{
    imr__matcher_t *m = calloc(1, sizeof *m);
    *out = NULL;
    if (!m || !(m->exact = malloc(NBUCKETS * sizeof *m->exact)) ||
        !(m->pre = malloc(NBUCKETS * sizeof *m->pre))) {
        imr__matcher_free(m);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory loading a dictionary");
    }
    m->nbuckets = NBUCKETS;
    m->suf = -1;
    for (size_t i = 0; i < NBUCKETS; i++)
        m->exact[i] = m->pre[i] = -1;
    *out = m;
    return IMR_OK;
}

void imr__matcher_free(imr__matcher_t *m)
{
    if (!m)
        return;
    free(m->pats);
    imr__toks_free(&m->pool);
    free(m->exact);
    free(m->pre);
    free(m);
}

imr_status_t imr__matcher_add(imr__matcher_t *m, const char *pattern, int value, int arg,
                              imr_error_t *err)
{
    size_t plen = strlen(pattern);
    int prefix = plen > 0 && pattern[plen - 1] == '*';
    int suffix = !prefix && plen > 0 && pattern[0] == '*';
    size_t first = m->pool.n;
    if (imr__toks_add(&m->pool, pattern + suffix, plen - (size_t)prefix - (size_t)suffix, 0) !=
        IMR_OK)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory loading a dictionary");
    size_t ntok = m->pool.n - first;
    if (ntok == 0 || ntok > 32)
        return imr_error_set(err, IMR_ERR_ARG, "pattern \"%s\" has %s tokens", pattern,
                             ntok ? "too many" : "no");
    const imr__tok_t *last = &m->pool.t[m->pool.n - 1];
    if (prefix && ntok == 1 && last->len < 3)
        return imr_error_set(err, IMR_ERR_ARG, "prefix pattern \"%s\" is shorter than 3",
                             pattern);
    if (suffix && (ntok != 1 || last->len < 4))
        return imr_error_set(err, IMR_ERR_ARG,
                             "suffix pattern \"%s\" is not one word of 4 letters or more",
                             pattern);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        pat_t *p = realloc(m->pats, cap * sizeof *p);
        if (!p)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory loading a dictionary");
        m->pats = p;
        m->cap = cap;
    }
    pat_t *p = &m->pats[m->n];
    *p = (pat_t){(uint32_t)first, (uint16_t)ntok, (uint8_t)prefix, (uint8_t)suffix, value, arg,
                 -1};
    const imr__tok_t *t0 = &m->pool.t[first];
    const char *s0 = m->pool.buf + t0->off;
    int32_t *table = prefix && ntok == 1 ? m->pre : m->exact;
    uint32_t h = hash_str(s0, prefix && ntok == 1 ? 3 : t0->len) & (uint32_t)(m->nbuckets - 1);
    /* Append at the end of the chain, so candidates come in the order added. */
    int32_t *slot = suffix ? &m->suf : &table[h];
    while (*slot >= 0)
        slot = &m->pats[*slot].next;
    *slot = (int32_t)m->n;
    m->n++;
    return IMR_OK;
}

/* Does pattern p match the tokens from i on? Returns the end token or 0. */
static size_t pat_matches(const imr__matcher_t *m, const pat_t *p, const imr__toks_t *tk,
                          size_t i, size_t to)
{
    if (i + p->ntok > to)
        return 0;
    for (size_t k = 0; k < p->ntok; k++) {
        const imr__tok_t *pt = &m->pool.t[p->first + k];
        const imr__tok_t *tt = &tk->t[i + k];
        const char *ps = m->pool.buf + pt->off, *ts = tk->buf + tt->off;
        if (p->prefix && k + 1 == p->ntok) {
            if (tt->len < pt->len || memcmp(ps, ts, pt->len) != 0)
                return 0;
        } else if (p->suffix) { /* a word that ends so, longer by two letters or more */
            if (tt->len < pt->len + 2 || memcmp(ps, ts + tt->len - pt->len, pt->len) != 0)
                return 0;
        } else if (tt->len != pt->len || memcmp(ps, ts, pt->len) != 0) {
            return 0;
        }
    }
    return i + p->ntok;
}

/* Stores in out[found..] the patterns of the chain at head that match at token i; returns
 * the new count (which may exceed max: only max are stored). */
static size_t walk(const imr__matcher_t *m, int32_t head, const imr__toks_t *tk, size_t i,
                   size_t to, imr__match_t *out, size_t max, size_t found)
{
    for (int32_t c = head; c >= 0; c = m->pats[c].next) {
        size_t end = pat_matches(m, &m->pats[c], tk, i, to);
        if (!end)
            continue;
        if (found < max)
            out[found] = (imr__match_t){(uint32_t)c, (uint32_t)i, (uint32_t)end,
                                        m->pats[c].value, m->pats[c].arg};
        found++;
    }
    return found;
}

size_t imr__match_at(const imr__matcher_t *m, const imr__toks_t *toks, size_t i, size_t to,
                     imr__match_t *out, size_t max)
{
    const imr__tok_t *t = &toks->t[i];
    const char *s = toks->buf + t->off;
    uint32_t mask = (uint32_t)(m->nbuckets - 1);
    size_t found = walk(m, m->exact[hash_str(s, t->len) & mask], toks, i, to, out, max, 0);
    if (t->len >= 3)
        found = walk(m, m->pre[hash_str(s, 3) & mask], toks, i, to, out, max, found);
    if (m->suf >= 0 && t->len >= 6)
        found = walk(m, m->suf, toks, i, to, out, max, found);
    return found;
}

/*
 * Is a within one edit of b (one letter inserted, deleted, replaced, or two neighbours
 * swapped)? Typed letters misspell words ("medcally", "physcial").
 */
static int near_word(const char *a, const char *b)
{
    size_t an = strlen(a), bn = strlen(b), i = 0;
    if (an > bn + 1 || bn > an + 1)
        return 0;
    while (i < an && i < bn && a[i] == b[i])
        i++;
    if (i == an && i == bn)
        return 1;
    if (an == bn)
        return strcmp(a + i + 1, b + i + 1) == 0 ||
               (i + 1 < an && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                strcmp(a + i + 2, b + i + 2) == 0);
    return an < bn ? strcmp(a + i, b + i + 1) == 0 : strcmp(a + i + 1, b + i) == 0;
}

/* Is the token t within one edit of the first pn characters of some word starting with pre? */
static int near_prefix(const char *pre, size_t pn, const char *t, size_t tn)
{
    char buf[64];
    for (size_t k = pn > 1 ? pn - 1 : 1; k <= pn + 1 && k <= tn && k < sizeof buf; k++) {
        memcpy(buf, t, k);
        buf[k] = '\0';
        if (near_word(pre, buf))
            return 1;
    }
    return 0;
}

size_t imr__match_near(const imr__matcher_t *m, const imr__toks_t *toks, size_t i, size_t to,
                       int max_words, imr__match_t *out)
{
    for (size_t c = 0; c < m->n; c++) {
        const pat_t *p = &m->pats[c];
        if (i + p->ntok > to || p->suffix)
            continue;
        int edits = 0;
        size_t k;
        for (k = 0; k < p->ntok && edits <= max_words; k++) {
            const imr__tok_t *pt = &m->pool.t[p->first + k];
            const imr__tok_t *tt = &toks->t[i + k];
            const char *ps = m->pool.buf + pt->off, *ts = toks->buf + tt->off;
            int prefix = p->prefix && k + 1 == p->ntok;
            if (prefix ? tt->len >= pt->len && memcmp(ps, ts, pt->len) == 0
                       : tt->len == pt->len && memcmp(ps, ts, pt->len) == 0)
                continue;
            /* A misspelt word of five letters or more, its first letter right (a slip
             * elsewhere is far more common; "motion" is not "lotion", "bands" not "hands").
             * Quick refusals first: the lengths differ by more than one, or the first
             * letters do. */
            if (tt->len < 5 || pt->len < 4 || (ts[0] >= '0' && ts[0] <= '9') ||
                (!prefix && (tt->len > pt->len + 1 || pt->len > tt->len + 1)) ||
                (prefix && pt->len > tt->len + 1) || ps[0] != ts[0])
                break;
            if (prefix ? !near_prefix(ps, pt->len, ts, tt->len) : !near_word(ps, ts))
                break;
            edits++;
        }
        if (k == p->ntok && edits >= 1 && edits <= max_words) {
            *out = (imr__match_t){(uint32_t)c, (uint32_t)i, (uint32_t)(i + p->ntok), p->value,
                                  p->arg};
            return 1;
        }
    }
    return 0;
}
