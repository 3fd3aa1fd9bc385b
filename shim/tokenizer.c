/*
 * tokenizer.c - the `imr` FTS5 tokenizer: segmentation and normalisation (normalize.c) and
 * Snowball stemming with a cache (stem.c), behind SQLite 3.40's v1 fts5_tokenizer API.
 *
 * Design. The tokenizer does its own segmentation instead of wrapping unicode61, because it
 * must see "C5-6", "10/325mg" and "#90" whole to tokenize them as a reader means them. An
 * instance (one per FTS5 table and connection) holds only its options and its stemmer; each
 * xTokenize call keeps its state in a scanner on the stack. Every token is reported with the
 * offsets of its characters in the original text, so highlight() and snippet() mark the words
 * as written; the normalised and stemmed text lives in separate buffers.
 *
 * Stemming: tokens of fewer than STEM_MIN or more than STEM_MAX bytes, and tokens with a
 * number in them, are not stemmed. For a prefix query (FTS5_TOKENIZE_PREFIX) the last token
 * is emitted folded but unstemmed, followed by its stem as a colocated token when the two
 * differ, so that both "cryotherap*" and "cryotherapies*" find "cryotherapy".
 *
 * Options (tokenize='imr NAME VALUE ...'): stem 0|1 (default 1), language NAME (a Snowball
 * algorithm, default english), remove_diacritics 0|1|2 (default 1; 2 means the same as 1).
 * An unknown option or a bad value makes xCreate fail with SQLITE_ERROR, which FTS5 reports
 * as "error in tokenizer constructor": the v1 API has no way to carry a message.
 */
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "stem.h"
#include "tokenizer.h"

#define STEM_MIN 3  /* shorter tokens pass through unstemmed */
#define STEM_MAX 64 /* longer tokens pass through unstemmed */

/* One tokenizer instance: its options and its stemmer. */
typedef struct imr__tok {
    imr__stemmer_t *stemmer;   /* owned; NULL when stemming is off */
    int remove_diacritics;     /* 1 or 0 */
    int defaults;              /* made with the default options, as imr__tok_new_default() */
    imr__tok_shared_t *shared; /* its registration's state, not owned; NULL for none */
} imr_tok_instance_t;

/*
 * What one registration of the tokenizer (one connection) shares with the instances it
 * creates: the texts whose tokens were computed ahead, expected next from FTS5.
 */
struct imr__tok_shared {
    const imr__pretok_t *replay; /* texts tokenized ahead, not owned; NULL for none */
    size_t first;                /* the first text expected by the last imr__tok_replay() */
    size_t next, end;            /* the texts of replay still expected: [next, end) */
};

/* One text tokenized ahead: its tokens are pretok.buf[off, end). */
struct pretext {
    const char *text; /* the text, not owned */
    int n;            /* its length in bytes */
    size_t off, end;  /* its token records in buf */
};

/*
 * Texts tokenized ahead. Each token is a record in buf: start, end and length as ints, then
 * the token's bytes (the folded and stemmed form FTS5 would be given).
 */
struct imr__pretok {
    struct pretext *texts; /* owned */
    size_t n_texts, cap_texts;
    unsigned char *buf; /* owned */
    size_t len, cap;
};

/* The xToken callback FTS5 gives to xTokenize. */
typedef int (*token_fn)(void *ctx, int tflags, const char *token, int n, int start, int end);

/* Parses "0" or "1" (and "2" when allow2) into *value. Returns 1 when it is one of them. */
static int parse_flag(const char *s, int allow2, int *value)
{
    if (strcmp(s, "0") == 0 || strcmp(s, "1") == 0 || (allow2 && strcmp(s, "2") == 0)) {
        *value = s[0] != '0';
        return 1;
    }
    return 0;
}

/* xDelete: frees an instance. Accepts NULL. */
static void tok_delete(Fts5Tokenizer *p)
{
    imr_tok_instance_t *inst = (imr_tok_instance_t *)p;
    if (!inst)
        return;
    imr__stemmer_free(inst->stemmer);
    free(inst);
}

/*
 * xCreate: builds an instance from the tokenizer arguments (pairs of option name and value).
 * Returns SQLITE_OK, SQLITE_ERROR for an unknown option, a missing or bad value or an unknown
 * language, or SQLITE_NOMEM.
 */
static int tok_create(void *user_data, const char **argv, int argc, Fts5Tokenizer **out)
{
    const char *language = "english";
    int stem = 1, remove_diacritics = 1;

    *out = NULL;
    if (argc % 2 != 0)
        return SQLITE_ERROR;
    for (int i = 0; i < argc; i += 2) {
        const char *name = argv[i], *value = argv[i + 1];
        if (strcmp(name, "stem") == 0) {
            if (!parse_flag(value, 0, &stem))
                return SQLITE_ERROR;
        } else if (strcmp(name, "remove_diacritics") == 0) {
            if (!parse_flag(value, 1, &remove_diacritics))
                return SQLITE_ERROR;
        } else if (strcmp(name, "language") == 0) {
            if (!imr__stemmer_known(value))
                return SQLITE_ERROR;
            language = value;
        } else {
            return SQLITE_ERROR;
        }
    }

    imr_tok_instance_t *inst = calloc(1, sizeof *inst);
    if (!inst)
        return SQLITE_NOMEM;
    inst->remove_diacritics = remove_diacritics;
    inst->defaults = stem && remove_diacritics && strcmp(language, "english") == 0;
    inst->shared = user_data;
    if (stem) {
        int rc = imr__stemmer_new(language, &inst->stemmer);
        if (rc != SQLITE_OK) {
            tok_delete((Fts5Tokenizer *)inst);
            return rc;
        }
    }
    *out = (Fts5Tokenizer *)inst;
    return SQLITE_OK;
}

/*
 * Stems (when the instance stems and the token qualifies) and reports one token through
 * xToken. `prefix_last` asks for the prefix-query form: the folded token, then its stem as a
 * colocated token when different. Returns SQLITE_NOMEM when the stemmer fails, else what
 * xToken returned.
 */
static int emit(const imr_tok_instance_t *inst, void *ctx, token_fn xToken, const imr__token_t *tok,
                int prefix_last)
{
    const char *text = tok->buf;
    int n = tok->len;

    if (inst->stemmer && !tok->has_digit && tok->len >= STEM_MIN && tok->len <= STEM_MAX &&
        imr__stem(inst->stemmer, tok->buf, tok->len, tok->hash, &text, &n) != SQLITE_OK)
        return SQLITE_NOMEM;
    if (!prefix_last)
        return xToken(ctx, 0, text, n, tok->start, tok->end);
    int rc = xToken(ctx, 0, tok->buf, tok->len, tok->start, tok->end);
    if (rc == SQLITE_OK && (n != tok->len || memcmp(text, tok->buf, (size_t)n) != 0))
        rc = xToken(ctx, FTS5_TOKEN_COLOCATED, text, n, tok->start, tok->end);
    return rc;
}

/*
 * Reports the tokens of text[0, n) from the texts tokenized ahead, when the next text
 * expected there has the same bytes: returns what xToken returned (SQLITE_OK or its first
 * error), or -1 when nothing was expected or the text differs (the caller tokenizes it).
 */
static int replay(imr__tok_shared_t *sh, void *ctx, const char *text, int n, token_fn xToken)
{
    if (!sh->replay || sh->next >= sh->end)
        return -1;
    const struct pretext *t = &sh->replay->texts[sh->next];
    if (t->n != n || (n > 0 && memcmp(t->text, text, (size_t)n) != 0))
        return -1;
    sh->next++;
    int rc = SQLITE_OK;
    const unsigned char *b = sh->replay->buf;
    for (size_t off = t->off; rc == SQLITE_OK && off < t->end;) {
        int rec[3];
        memcpy(rec, b + off, sizeof rec);
        off += sizeof rec;
        rc = xToken(ctx, 0, (const char *)b + off, rec[2], rec[0], rec[1]);
        off += (size_t)rec[2];
    }
    return rc;
}

/*
 * xTokenize: reports every token of text[0, n) through xToken, with offsets into `text`.
 * Returns SQLITE_OK, SQLITE_NOMEM, SQLITE_ERROR when utf8proc fails, or the first error
 * xToken returned (which stops the walk).
 */
static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        token_fn xToken)
{
    const imr_tok_instance_t *inst = (const imr_tok_instance_t *)p;
    imr__scan_t scan;
    imr__token_t tok[2]; /* in a prefix query the last token waits in one while the next is read */
    int rc = SQLITE_OK, r = IMR__SCAN_END, cur = 0, waiting = 0;
    int prefix = (flags & FTS5_TOKENIZE_PREFIX) != 0;

    if (flags == FTS5_TOKENIZE_DOCUMENT && inst->shared && inst->defaults &&
        (rc = replay(inst->shared, ctx, text, n, xToken)) >= 0)
        return rc;
    rc = SQLITE_OK;

    imr__scan_init(&scan, text, n < 0 ? 0 : n, inst->remove_diacritics);
    while (rc == SQLITE_OK && (r = imr__scan_next(&scan, &tok[cur])) == IMR__SCAN_TOKEN) {
        if (!prefix) {
            rc = emit(inst, ctx, xToken, &tok[cur], 0);
            continue;
        }
        if (waiting)
            rc = emit(inst, ctx, xToken, &tok[cur ^ 1], 0);
        waiting = 1;
        cur ^= 1;
    }
    if (rc == SQLITE_OK && r == IMR__SCAN_ERROR)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK && waiting)
        rc = emit(inst, ctx, xToken, &tok[cur ^ 1], 1);
    return rc;
}

int imr__tokenizer_install(fts5_api *api)
{
    fts5_tokenizer tokenizer = {tok_create, tok_delete, tok_tokenize};
    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    imr__tok_shared_t *shared = calloc(1, sizeof *shared);
    if (!shared)
        return SQLITE_NOMEM;
    int rc = api->xCreateTokenizer(api, IMR__TOKENIZER_NAME, shared, &tokenizer, free);
    if (rc != SQLITE_OK)
        free(shared);
    return rc;
}

int imr__tok_shared_find(fts5_api *api, imr__tok_shared_t **out)
{
    void *user_data = NULL;
    fts5_tokenizer tokenizer;
    *out = NULL;
    int rc = api->xFindTokenizer(api, IMR__TOKENIZER_NAME, &user_data, &tokenizer);
    if (rc == SQLITE_OK && tokenizer.xTokenize != tok_tokenize)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        *out = user_data;
    return rc;
}

void imr__tok_replay(imr__tok_shared_t *shared, const imr__pretok_t *p, size_t first, size_t count)
{
    shared->replay = p && first + count <= p->n_texts ? p : NULL;
    shared->first = shared->next = first;
    shared->end = first + count;
}

size_t imr__tok_replayed(const imr__tok_shared_t *shared)
{
    return shared->next - shared->first;
}

int imr__tok_new_default(imr__tok_t **out)
{
    Fts5Tokenizer *t = NULL;
    int rc = tok_create(NULL, NULL, 0, &t);
    *out = (imr__tok_t *)t;
    return rc;
}

void imr__tok_free(imr__tok_t *tok)
{
    tok_delete((Fts5Tokenizer *)tok);
}

int imr__pretok_new(imr__pretok_t **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? SQLITE_OK : SQLITE_NOMEM;
}

void imr__pretok_free(imr__pretok_t *p)
{
    if (!p)
        return;
    free(p->texts);
    free(p->buf);
    free(p);
}

void imr__pretok_clear(imr__pretok_t *p)
{
    p->n_texts = 0;
    p->len = 0;
}

size_t imr__pretok_count(const imr__pretok_t *p)
{
    return p->n_texts;
}

size_t imr__pretok_bytes(const imr__pretok_t *p)
{
    return sizeof *p + p->cap + p->cap_texts * sizeof *p->texts;
}

/* The xToken of imr__pretok_add(): appends one token record to the pretok `ctx`. */
static int collect(void *ctx, int tflags, const char *token, int n, int start, int end)
{
    imr__pretok_t *p = ctx;
    int rec[3] = {start, end, n};
    size_t need = p->len + sizeof rec + (size_t)n;
    (void)tflags;
    if (need > p->cap) {
        size_t cap = p->cap ? p->cap : 16384;
        while (cap < need)
            cap *= 2;
        unsigned char *b = realloc(p->buf, cap);
        if (!b)
            return SQLITE_NOMEM;
        p->buf = b;
        p->cap = cap;
    }
    memcpy(p->buf + p->len, rec, sizeof rec);
    memcpy(p->buf + p->len + sizeof rec, token, (size_t)n);
    p->len = need;
    return SQLITE_OK;
}

int imr__pretok_add(imr__pretok_t *p, imr__tok_t *tok, const char *text, int n)
{
    if (p->n_texts == p->cap_texts) {
        size_t cap = p->cap_texts ? p->cap_texts * 2 : 16;
        struct pretext *t = realloc(p->texts, cap * sizeof *t);
        if (!t)
            return SQLITE_NOMEM;
        p->texts = t;
        p->cap_texts = cap;
    }
    struct pretext *t = &p->texts[p->n_texts];
    t->text = text;
    t->n = n;
    t->off = p->len;
    int rc = tok_tokenize((Fts5Tokenizer *)tok, p, FTS5_TOKENIZE_DOCUMENT, text, n, collect);
    t->end = p->len;
    if (rc == SQLITE_OK)
        p->n_texts++;
    else
        p->len = t->off;
    return rc;
}
