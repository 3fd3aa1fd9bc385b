/*
 * rank.c - the matches of a search: every one counted, the best ones kept, and imr_rank(),
 * the FTS5 auxiliary function that scores item_fts matches straight into them.
 *
 * Design. A search must count every match (the header's "N items in M letters") but shows
 * only a page, so the collector counts each match, marks its letter in a bitmap, and keeps
 * only the `keep` best in a max-heap (the worst kept on top). imr_rank(item_fts, collector)
 * is called by SQLite once per matching item and returns nothing; it adds the item to the
 * collector (a pointer bound with sqlite3_bind_pointer()), so the ranking statement carries
 * no result columns and needs no lookup in the item table (the letter is in the rowid).
 *
 * The score is FTS5's bm25() computed the same way (the same IDF from xQueryPhrase() counts,
 * the same average row length, k1 = 1.2, b = 0.75, column weights, and the row's total token
 * count as its length), times IMR_NO_RATIONALE_FACTOR for an item without a rationale. The
 * row's length is the one thing that costs a lookup (the %_docsize table); everything else
 * comes from the position lists FTS5 has already read to match the row. So the length is
 * read only when it can matter: the row is at least as long as the ends of its last matches
 * in each column add up to, and with that length its score is as good as it can be; when
 * even that bound is worse than the worst match kept, the row cannot enter the page and is
 * counted without its exact score. Once the heap holds good matches, most rows of a
 * broad query stop there (tests/unit/test_rank.c checks that the pages are the same as with
 * every score computed, and the scores the same as bm25()'s).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_private.h"
#include "imr_schema.h"
#include "rank.h"

#define BM25_K1 1.2
#define BM25_B 0.75

imr_status_t imr__max_letter(imr_db_t *db, int64_t *max, imr_error_t *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(imr_db_sqlite(db), "SELECT max(id) FROM " IMR_TABLE_LETTER, -1,
                                &st, NULL);
    *max = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *max = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? IMR_OK : imr_db_fail(db, rc, "counting letters", err);
}

int imr__match_cmp(const void *a, const void *b)
{
    const imr__match_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->item_id < y->item_id ? -1 : x->item_id > y->item_id;
}

imr_status_t imr__collector_init(imr__collector_t *c, size_t keep, int64_t max_letter,
                                 const double *weights, imr_error_t *err)
{
    memset(c, 0, sizeof *c);
    c->keep = keep;
    c->max_letter = max_letter < 0 ? 0 : max_letter;
    c->n_phrases = -1;
    c->n_scored = -1;
    c->proximity = IMR_PROXIMITY_BOOST;
    memcpy(c->weights, weights, sizeof c->weights);
    if (!(c->seen = calloc((size_t)c->max_letter / 8 + 1, 1)))
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    return IMR_OK;
}

int imr__collector_scoring(imr__collector_t *c, sqlite3 *sql, const char *match)
{
    c->match = match;
    return sqlite3_prepare_v2(sql,
                              "SELECT docs FROM " IMR_TABLE_ITEM_TERM " WHERE term = ?1", -1,
                              &c->lookup, NULL);
}

void imr__collector_free(imr__collector_t *c)
{
    sqlite3_finalize(c->lookup);
    free(c->m);
    free(c->seen);
    free(c->idf);
    free(c->alt);
    memset(c, 0, sizeof *c);
}

/* Sifts m[i] down the max-heap m[0..n) (the worst match on top). */
static void sift_down(imr__match_t *m, size_t n, size_t i)
{
    for (;;) {
        size_t worst = i, l = 2 * i + 1, r = l + 1;
        if (l < n && imr__match_cmp(&m[l], &m[worst]) > 0)
            worst = l;
        if (r < n && imr__match_cmp(&m[r], &m[worst]) > 0)
            worst = r;
        if (worst == i)
            return;
        imr__match_t t = m[i];
        m[i] = m[worst];
        m[worst] = t;
        i = worst;
    }
}

/* 1 when c keeps every match it is given so far (no heap yet). */
static int keeps_all(const imr__collector_t *c)
{
    return c->keep == 0 || c->n < c->keep;
}

int imr__collector_would_keep(const imr__collector_t *c, const imr__match_t *m)
{
    return keeps_all(c) || imr__match_cmp(m, &c->m[0]) < 0;
}

int imr__collector_add(imr__collector_t *c, const imr__match_t *m)
{
    c->count++;
    if (imr__mark_letter(c->seen, c->max_letter, m->letter_id))
        c->letters++;
    if (keeps_all(c)) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 256;
            if (c->keep && cap > c->keep)
                cap = c->keep;
            imr__match_t *p = realloc(c->m, cap * sizeof *p);
            if (!p)
                return SQLITE_NOMEM;
            c->m = p;
            c->cap = cap;
        }
        c->m[c->n++] = *m;
        if (c->n == c->keep) /* full: from now on a heap */
            for (size_t i = c->n / 2; i-- > 0;)
                sift_down(c->m, c->n, i);
    } else if (imr__match_cmp(m, &c->m[0]) < 0) {
        c->m[0] = *m;
        sift_down(c->m, c->n, 0);
    }
    return SQLITE_OK;
}

void imr__collector_sort(imr__collector_t *c)
{
    if (c->n > 1)
        qsort(c->m, c->n, sizeof *c->m, imr__match_cmp);
}

/* xQueryPhrase() callback: counts the rows. */
static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)user)++;
    return SQLITE_OK;
}

/* What term_docs() gathers over the tokens of one phrase. */
typedef struct phrase_docs {
    sqlite3_stmt *lookup; /* SELECT docs FROM item_term WHERE term = ?1 */
    int n_tokens;
    sqlite3_int64 docs; /* the least count of its tokens so far; -1: a token is not there */
    int rc;
} phrase_docs_t;

/* xTokenize() callback: looks one token of a phrase up in item_term. */
static int term_docs(void *ctx, int flags, const char *token, int n, int start, int end)
{
    phrase_docs_t *p = ctx;
    (void)start;
    (void)end;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    p->n_tokens++;
    sqlite3_reset(p->lookup);
    int rc = sqlite3_bind_text(p->lookup, 1, token, n, SQLITE_STATIC);
    if (rc == SQLITE_OK && (rc = sqlite3_step(p->lookup)) == SQLITE_ROW) {
        sqlite3_int64 d = sqlite3_column_int64(p->lookup, 0);
        if (p->docs != -1 && (p->docs == -2 || d < p->docs))
            p->docs = d;
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        p->docs = -1;
        rc = SQLITE_OK;
    }
    sqlite3_reset(p->lookup);
    p->rc = rc;
    return rc;
}

/* See rank.h. */
const char *imr__phrase_end(const char *open)
{
    const char *s = open + 1;
    for (; *s && !(s[0] == '"' && s[1] != '"'); s++)
        if (s[0] == '"')
            s++;
    return s;
}

/*
 * Fills hits[0..n) with the number of items holding each phrase of the query, from item_term:
 * for a phrase, the least count of its words (a phrase is no commoner than its rarest word),
 * or -1 where the table cannot tell (a prefix, a word it lacks). The phrases are the quoted
 * strings of c->match in order - the order in which FTS5 numbers them - and each must
 * tokenize to xPhraseSize() tokens; when they do not, every entry is -1. hits[n..2n) is
 * scratch. Returns an SQLite code.
 */
static int phrase_docs(const Fts5ExtensionApi *api, Fts5Context *fts, const imr__collector_t *c,
                       int n, sqlite3_int64 *hits)
{
    for (int i = 0; i < n; i++)
        hits[i] = -1;
    if (!c->lookup || !c->match)
        return SQLITE_OK;
    sqlite3_int64 *found = hits + n; /* the second half of hits[] */
    int k = 0;
    for (const char *s = c->match; *s; s++) {
        if (*s != '"')
            continue;
        const char *end = imr__phrase_end(s);
        if (!*end || k == n)
            return SQLITE_OK; /* not the expression expected: FTS5 counts */
        char text[512]; /* the phrase without its quotes, "" read as " */
        size_t len = 0;
        for (s++; s < end; s++) {
            if (s[0] == '"')
                s++;
            if (len < sizeof text)
                text[len++] = *s;
        }
        const char *after = s + 1;
        while (*after == ' ')
            after++;
        phrase_docs_t p = {c->lookup, 0, -2, SQLITE_OK};
        int rc = len < sizeof text ? api->xTokenize(fts, text, (int)len, &p, term_docs) : SQLITE_OK;
        if (rc != SQLITE_OK)
            return p.rc != SQLITE_OK ? p.rc : rc;
        if (len >= sizeof text || p.n_tokens != api->xPhraseSize(fts, k))
            return SQLITE_OK;
        found[k++] = *after == '*' || p.docs < 0 ? -1 : p.docs;
    }
    if (k == n)
        for (int i = 0; i < n; i++)
            hits[i] = found[i];
    return SQLITE_OK;
}

/*
 * Fills alt[0..n) for the phrases of expression `match`: a phrase joined to the one before by
 * exactly " OR " (a synonym group's forms, "CTR" OR "carpal tunnel release", or alternatives
 * typed with OR) gets that one's alt, any other phrase its own number. With an expression that
 * does not hold n phrases, every phrase is its own.
 */
static void phrase_alternatives(const char *match, int n, int *alt)
{
    int k = 0;
    const char *prev = NULL; /* the closing quote of the phrase before */
    for (const char *s = match; s && *s && k < n; s++) {
        if (*s != '"')
            continue;
        const char *open = s;
        s = imr__phrase_end(open);
        if (!*s)
            break;
        alt[k] = prev && open - prev == 5 && strncmp(prev + 1, " OR ", 4) == 0 ? alt[k - 1] : k;
        prev = s;
        k++;
    }
    for (int i = 0; k != n && i < n; i++)
        alt[i] = i;
}

/* The query's statistics, once per search: the IDF of every phrase and the average length. */
static int prepare_scoring(const Fts5ExtensionApi *api, Fts5Context *fts, imr__collector_t *c)
{
    int n = api->xPhraseCount(fts);
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK)
        return rc;
    if (!(c->idf = calloc((size_t)(n > 0 ? n : 1) * 2, sizeof *c->idf)))
        return SQLITE_NOMEM;
    c->freq = c->idf + (n > 0 ? n : 1);
    if (!(c->alt = malloc((size_t)(n > 0 ? n : 1) * sizeof *c->alt)))
        return SQLITE_NOMEM;
    phrase_alternatives(c->match, n, c->alt);
    c->n_phrases = n;
    c->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
    if (c->avgdl <= 0)
        c->avgdl = 1.0;
    sqlite3_int64 *hits = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof *hits);
    if (!hits)
        return SQLITE_NOMEM;
    rc = phrase_docs(api, fts, c, n, hits);
    for (int i = 0; rc == SQLITE_OK && i < n; i++) {
        if (hits[i] < 0) {
            hits[i] = 0;
            rc = api->xQueryPhrase(fts, i, &hits[i], count_row);
        }
        double idf = log(((double)rows - (double)hits[i] + 0.5) / ((double)hits[i] + 0.5));
        c->idf[i] = idf > 0.0 ? idf : 1e-6;
    }
    free(hits);
    return rc;
}

/*
 * The BM25 sum over the phrases with frequencies c->freq[] for a row whose length term
 * k1 * (1 - b + b * D / avgdl) is `norm`, a run of alternatives counting as its best phrase
 * (as a disjunction-max query does): an item line that says "carpal tunnel release" once
 * outranks a fusion whose citation says "Carpal tunnel release surgery (CTR)", instead of the
 * citation scoring the one treatment twice.
 */
static double bm25_sum(const imr__collector_t *c, double norm)
{
    double score = 0.0, best = 0.0;
    int n = c->n_scored >= 0 && c->n_scored < c->n_phrases ? c->n_scored : c->n_phrases;
    for (int i = 0; i < n; i++) {
        if (i > 0 && c->alt[i] != c->alt[i - 1]) {
            score += best;
            best = 0.0;
        }
        double s = c->freq[i] > 0.0
                       ? c->idf[i] * (c->freq[i] * (BM25_K1 + 1.0)) / (c->freq[i] + norm)
                       : 0.0;
        if (s > best)
            best = s;
    }
    return score + best;
}

/* 1 when phrase i occurs in the current row; *rc gets an SQLite error. */
static int phrase_occurs(const Fts5ExtensionApi *api, Fts5Context *fts, int i, int *rc)
{
    Fts5PhraseIter it;
    int col = -1, off = 0;
    *rc = api->xPhraseFirst(fts, i, &it, &col, &off);
    return *rc == SQLITE_OK && col >= 0;
}

/*
 * The proximity factor of the current row: 1 + boost (c->proximity) times the share of
 * neighbouring runs of alternatives among the scored phrases (query words next to each other,
 * a synonym group counting as one word) where a phrase of the first ends where one of the
 * second begins, in the item line or the rationale.
 */
static double proximity(const Fts5ExtensionApi *api, Fts5Context *fts, const imr__collector_t *c,
                        int n, int *rc)
{
    if (n < 2 || c->proximity == 0.0)
        return 1.0;
    int pairs = 0, runs = 1;
    for (int i = 0; *rc == SQLITE_OK && i < n; i++) {
        if (i == 0 || c->alt[i] == c->alt[i - 1])
            continue;
        runs++;
        int end[16], n_end = 0, found = 0; /* the ends of the run before, in those columns */
        for (int a = c->alt[i - 1]; a < i && *rc == SQLITE_OK; a++) {
            Fts5PhraseIter it;
            int col = -1, off = 0, size = api->xPhraseSize(fts, a);
            *rc = api->xPhraseFirst(fts, a, &it, &col, &off);
            for (; *rc == SQLITE_OK && col >= 0 && n_end < 16; api->xPhraseNext(fts, &it, &col, &off))
                if (col == IMR_COL_ITEM || col == IMR_COL_RATIONALE)
                    end[n_end++] = col * (1 << 24) + off + size;
        }
        for (int b = i; *rc == SQLITE_OK && n_end && !found && b < n && c->alt[b] == i; b++) {
            Fts5PhraseIter it;
            int col = -1, off = 0;
            *rc = api->xPhraseFirst(fts, b, &it, &col, &off);
            for (; *rc == SQLITE_OK && col >= 0 && !found; api->xPhraseNext(fts, &it, &col, &off))
                for (int k = 0; k < n_end && !found; k++)
                    found = end[k] == col * (1 << 24) + off;
        }
        pairs += found;
    }
    return runs < 2 ? 1.0 : 1.0 + c->proximity * pairs / (runs - 1);
}

void imr__probe_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_arg,
                   sqlite3_value **arg)
{
    if (n_arg != 2) {
        sqlite3_result_error(ctx, "imr_probe() takes a phrase number and a mask", -1);
        return;
    }
    int first = sqlite3_value_int(arg[0]), rc = SQLITE_OK, found = 0;
    unsigned mask = (unsigned)sqlite3_value_int64(arg[1]);
    for (int b = 0; b < 32 && !found && rc == SQLITE_OK; b++)
        if ((mask >> b) & 1u && first + b < api->xPhraseCount(fts))
            found = phrase_occurs(api, fts, first + b, &rc);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_int(ctx, found);
}

void imr__rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_arg,
                  sqlite3_value **arg)
{
    imr__collector_t *c = n_arg >= 1 ? sqlite3_value_pointer(arg[0], IMR__COLLECTOR_TYPE) : NULL;
    if (!c || n_arg != 1 + c->n_groups) {
        sqlite3_result_error(ctx, "imr_rank() takes the search's collector", -1);
        return;
    }
    int rc = c->n_phrases < 0 ? prepare_scoring(api, fts, c) : SQLITE_OK;

    /* Weighted frequency of every phrase in the row, from its position lists, and the end of
     * its last match in each column: the row is at least the sum of those long. */
    int end[IMR_N_ITEM_COLS] = {0};
    for (int i = 0; rc == SQLITE_OK && i < c->n_phrases; i++) {
        Fts5PhraseIter it;
        int col = -1, off = 0, size = api->xPhraseSize(fts, i);
        double f = 0.0;
        rc = api->xPhraseFirst(fts, i, &it, &col, &off);
        for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off))
            if (col < IMR_N_ITEM_COLS) {
                f += c->weights[col];
                if (off + size > end[col])
                    end[col] = off + size;
            }
        c->freq[i] = f;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }

    /* The factors of the reading and of proximity, known before the row's length. */
    int n_scored = c->n_scored >= 0 && c->n_scored < c->n_phrases ? c->n_scored : c->n_phrases;
    double factor = proximity(api, fts, c, n_scored, &rc);
    for (int g = 0; rc == SQLITE_OK && g < c->n_groups; g++) {
        if (sqlite3_value_int(arg[1 + g]))
            factor *= IMR_FACET_AGREE_BOOST;
        int text = 0;
        for (int b = 0; b < 32 && !text && rc == SQLITE_OK; b++)
            if ((c->group_mask[g] >> b) & 1u && n_scored + b < c->n_phrases)
                text = phrase_occurs(api, fts, n_scored + b, &rc);
        if (text)
            factor *= IMR_FACET_TEXT_BOOST;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    int least = 0;
    for (int k = 0; k < IMR_N_ITEM_COLS; k++)
        least += end[k];
    sqlite3_int64 id = api->xRowid(fts);
    imr__match_t m = {-factor * bm25_sum(c, BM25_K1 * (1.0 - BM25_B + BM25_B * least / c->avgdl)),
                      id, IMR_ITEM_LETTER(id)};
    if (imr__collector_would_keep(c, &m)) { /* the bound might enter: the exact score */
        int len = 0, rationale = 0;
        rc = api->xColumnSize(fts, -1, &len);
        if (rc == SQLITE_OK)
            rc = api->xColumnSize(fts, IMR_COL_RATIONALE, &rationale);
        double norm = BM25_K1 * (1.0 - BM25_B + BM25_B * (double)len / c->avgdl);
        m.key = -factor * bm25_sum(c, norm) * (rationale > 0 ? 1.0 : IMR_NO_RATIONALE_FACTOR);
        c->scored++;
    }
    if (rc == SQLITE_OK)
        rc = imr__collector_add(c, &m);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_null(ctx);
}
