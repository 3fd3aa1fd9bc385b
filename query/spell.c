/*
 * spell.c - misspelt query words, corrected against the index (imr_query_correct(),
 * imr_query.h).
 *
 * An attorney types "cyrotherapy" or "tramadal" and expects the letters about cryotherapy and
 * tramadol, not "no items". A word is checked only when it can be wrong in a way worth fixing:
 * a plain word of the text query (parse.c lists them: not quoted, not a prefix, not read as a
 * facet, not an abbreviation of synonyms.txt), ASCII letters only, four or more. Its items are
 * counted by its token (the `imr` tokenizer's, so stemmed) in item_term; a token item_term
 * lacks counts as one item when FTS5 finds it (item_term may lag behind the last run), else
 * none. A word held by more than SPELL_MAX_TYPED items is taken as written.
 *
 * The correction is the candidate one edit away - a letter deleted, inserted, replaced, two
 * neighbours swapped, or a space inserted ("hwave": "h wave") - whose token the most items
 * hold, from item_term: at least IMR_SPELL_MIN_ITEMS of them (fewer would often be another
 * typo in the letters) and IMR_SPELL_RATIO times as many as hold the word typed (the letters
 * have typos of their own: "acupunture" is in one item of 20,000 letters, "acupuncture" in
 * 925; and "soma" is a drug, not a typo of "some"). One edit covers typed misspellings; two edits would bring in too many
 * real words of other meanings. A candidate split in two words needs both words in item_term
 * and the phrase in FTS5, and counts as its rarer word. The candidates of a word are a few
 * hundred lookups of an indexed table, under a millisecond.
 */
#include <stdlib.h>
#include <string.h>

#include "db_private.h"
#include "fts5_api.h"
#include "imr.h"
#include "imr_schema.h"
#include "rewrite.h"

enum { WORD_MAX = 48, SPELL_MAX_TYPED = 20 };

typedef struct speller {
    sqlite3 *sql;
    fts5_tokenizer api;
    Fts5Tokenizer *tok;
    sqlite3_stmt *docs;   /* the items holding a token, from item_term */
    sqlite3_stmt *exists; /* one item whose text matches ?1 */
} speller_t;

/* What one_token() learns of a text: its single token, or that it has more or none. */
typedef struct token_of {
    char s[WORD_MAX * 2];
    int n;
    int count;
} token_of_t;

static int one_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
    token_of_t *t = ctx;
    (void)start;
    (void)end;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (t->count++ == 0 && n < (int)sizeof t->s) {
        memcpy(t->s, token, (size_t)n);
        t->n = n;
    }
    return SQLITE_OK;
}

/* The items holding word w[0..n) by item_term: its count, 0 when the table lacks it, or -1
   when w is not one token. */
static long long token_docs(speller_t *sp, const char *w, int n)
{
    token_of_t t = {.count = 0};
    if (sp->api.xTokenize(sp->tok, &t, FTS5_TOKENIZE_QUERY, w, n, one_token) != SQLITE_OK ||
        t.count != 1 || t.n == 0)
        return -1;
    long long docs = 0;
    sqlite3_reset(sp->docs);
    if (sqlite3_bind_text(sp->docs, 1, t.s, t.n, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(sp->docs) == SQLITE_ROW)
        docs = sqlite3_column_int64(sp->docs, 0);
    sqlite3_reset(sp->docs);
    return docs;
}

/* 1 when some item's text holds the phrase w[0..n) (FTS5, so whatever item_term says). */
static int phrase_exists(speller_t *sp, const char *w, int n)
{
    char expr[WORD_MAX + 4];
    if (n + 3 > (int)sizeof expr)
        return 0;
    expr[0] = '"';
    memcpy(expr + 1, w, (size_t)n);
    expr[n + 1] = '"';
    expr[n + 2] = '\0';
    sqlite3_reset(sp->exists);
    int found = sqlite3_bind_text(sp->exists, 1, expr, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
                sqlite3_step(sp->exists) == SQLITE_ROW;
    sqlite3_reset(sp->exists);
    return found;
}

/* The items a candidate c[0..n) stands for: one word's count, or a split's rarer word when
   the phrase occurs. */
static long long candidate_docs(speller_t *sp, const char *c, int n)
{
    const char *space = memchr(c, ' ', (size_t)n);
    if (!space)
        return token_docs(sp, c, n);
    int left = (int)(space - c);
    long long a = token_docs(sp, c, left), b = token_docs(sp, space + 1, n - left - 1);
    if (a <= 0 || b <= 0 || !phrase_exists(sp, c, n))
        return 0;
    return a < b ? a : b;
}

/* Keeps candidate c[0..n) in best when more items hold it. */
static void consider(speller_t *sp, const char *c, int n, char *best, long long *best_docs)
{
    long long d = candidate_docs(sp, c, n);
    if (d > *best_docs) {
        *best_docs = d;
        memcpy(best, c, (size_t)n);
        best[n] = '\0';
    }
}

/*
 * The correction of w[0..n) (lower-case ASCII letters), which `held` items hold, into best
 * (room for WORD_MAX + 2): 1 when a candidate one edit away is held by enough items.
 */
static int correct_word(speller_t *sp, const char *w, int n, long long held, char *best)
{
    char c[WORD_MAX + 2];
    long long best_docs = 0;
    for (int i = 0; i < n; i++) { /* deletions */
        memcpy(c, w, (size_t)i);
        memcpy(c + i, w + i + 1, (size_t)(n - i - 1));
        consider(sp, c, n - 1, best, &best_docs);
    }
    for (int i = 0; i + 1 < n; i++) { /* transpositions */
        if (w[i] == w[i + 1])
            continue;
        memcpy(c, w, (size_t)n);
        c[i] = w[i + 1];
        c[i + 1] = w[i];
        consider(sp, c, n, best, &best_docs);
    }
    for (int i = 0; i < n; i++) /* replacements */
        for (char l = 'a'; l <= 'z'; l++) {
            if (l == w[i])
                continue;
            memcpy(c, w, (size_t)n);
            c[i] = l;
            consider(sp, c, n, best, &best_docs);
        }
    for (int i = 0; i <= n; i++) /* insertions, of a letter or (inside the word) a space */
        for (int k = 0; k <= 26; k++) {
            char l = k < 26 ? (char)('a' + k) : ' ';
            if (l == ' ' && (i == 0 || i == n))
                continue;
            memcpy(c, w, (size_t)i);
            c[i] = l;
            memcpy(c + i + 1, w + i, (size_t)(n - i));
            consider(sp, c, n + 1, best, &best_docs);
        }
    return best_docs >= IMR_SPELL_MIN_ITEMS && best_docs >= held * IMR_SPELL_RATIO;
}

/* The word typed[pos..pos+len) folded for checking into w, or 0 when it is not checked. */
static int checkable(const char *typed, size_t pos, size_t len, char *w)
{
    if (len < 4 || len > WORD_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = typed[pos + i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch < 'a' || ch > 'z')
            return 0;
        w[i] = ch;
    }
    return 1;
}

static imr_status_t speller_open(imr_db_t *db, speller_t *sp, imr_error_t *err)
{
    memset(sp, 0, sizeof *sp);
    sp->sql = imr_db_sqlite(db);
    fts5_api *fts = NULL;
    void *ud = NULL;
    int rc = imr__fts5_api(sp->sql, &fts);
    if (rc == SQLITE_OK)
        rc = fts->xFindTokenizer(fts, "imr", &ud, &sp->api);
    if (rc == SQLITE_OK)
        rc = sp->api.xCreate(ud, NULL, 0, &sp->tok);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(sp->sql,
                                "SELECT docs FROM " IMR_TABLE_ITEM_TERM " WHERE term = ?1", -1,
                                &sp->docs, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(sp->sql,
                                "SELECT rowid FROM " IMR_TABLE_ITEM_FTS " WHERE " IMR_TABLE_ITEM_FTS
                                " MATCH ?1 LIMIT 1",
                                -1, &sp->exists, NULL);
    if (rc != SQLITE_OK)
        return imr_error_set(err, rc == SQLITE_NOMEM ? IMR_ERR_NOMEM : IMR_ERR_INTERNAL,
                             "cannot check the query's spelling: %s", sqlite3_errstr(rc));
    return IMR_OK;
}

static void speller_close(speller_t *sp)
{
    if (sp->tok)
        sp->api.xDelete(sp->tok);
    sqlite3_finalize(sp->docs);
    sqlite3_finalize(sp->exists);
}

/* Appends s[0..n) to the malloc'd text *t of length *len; 0 when out of memory. */
static int append(char **t, size_t *len, const char *s, size_t n)
{
    char *grown = realloc(*t, *len + n + 1);
    if (!grown)
        return 0;
    memcpy(grown + *len, s, n);
    *len += n;
    grown[*len] = '\0';
    *t = grown;
    return 1;
}

imr_status_t imr_query_correct(imr_db_t *db, imr_query_t **q, imr_error_t *err)
{
    if (!db || !q || !*q)
        return imr_error_set(err, IMR_ERR_ARG, "imr_query_correct: no database or query");
    const imr_query_t *in = *q;
    if ((imr__query_flags(in) & IMR_QUERY_LITERAL) || imr__query_n_words(in) == 0)
        return IMR_OK;
    speller_t sp;
    imr_status_t st = speller_open(db, &sp, err);
    const char *typed = imr__query_typed(in);
    char *text = NULL;
    size_t text_len = 0, copied = 0, n_fix = 0;
    imr__spelling_fix_t *fix = NULL;
    for (size_t i = 0; st == IMR_OK && i < imr__query_n_words(in); i++) {
        size_t pos, len;
        char w[WORD_MAX + 1], best[WORD_MAX + 2];
        imr__query_word(in, i, &pos, &len);
        if (pos < copied || !checkable(typed, pos, len, w))
            continue;
        long long held = token_docs(&sp, w, (int)len);
        if (held == 0)
            held = phrase_exists(&sp, w, (int)len);
        if (held < 0 || held > SPELL_MAX_TYPED || !correct_word(&sp, w, (int)len, held, best))
            continue;
        imr__spelling_fix_t *grown = realloc(fix, (n_fix + 1) * sizeof *fix);
        if (grown) {
            fix = grown;
            fix[n_fix].typed = strndup(typed + pos, len);
            fix[n_fix++].searched = strdup(best);
        }
        if (!grown || !fix[n_fix - 1].typed || !fix[n_fix - 1].searched ||
            !append(&text, &text_len, typed + copied, pos - copied) ||
            !append(&text, &text_len, best, strlen(best))) {
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            break;
        }
        copied = pos + len;
    }
    speller_close(&sp);
    imr_query_t *out = NULL;
    if (st == IMR_OK && n_fix &&
        !append(&text, &text_len, typed + copied, strlen(typed) - copied))
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (st == IMR_OK && n_fix &&
        (st = imr_query_parse_flags(text, imr__query_flags(in), &out, err)) == IMR_OK) {
        imr__query_take_fixes(out, fix, n_fix);
        fix = NULL;
        imr_query_free(*q);
        *q = out;
    }
    for (size_t i = 0; fix && i < n_fix; i++) {
        free(fix[i].typed);
        free(fix[i].searched);
    }
    free(fix);
    free(text);
    return st;
}
