/*
 * snippet.c - imr_snippet(), the FTS5 auxiliary function that makes a hit's display text in
 * one lookup: the item text with its matched words marked, and a snippet of the part of the
 * item that matched best.
 *
 * Design (after FTS5's own highlight() and snippet(), and RediSearch's fragmenter).
 *
 *  - The column. "The part that matched best" is a fixed order of preference, the order in
 *    which a reader judges an item: the rationale, the reviewer's guideline, the claims
 *    administrator's guideline, the case summary, the rest of the letter. The first column
 *    holding a match of the query is the snippet's. A match in the item text alone (which is
 *    shown whole, marked) gives the rationale's opening words, the reviewer's answer.
 *  - The window. Of `n` consecutive tokens, the window that holds the most distinct phrases of
 *    the query, then the most matched tokens, then the earliest; it starts a quarter of the
 *    window before a match, so the match is read in context.
 *  - Marks. Matched tokens are found from xInst() (phrase, column, token offset) and
 *    xPhraseSize(); runs of consecutive matched tokens get one mark, IMR_MARK_OPEN ...
 *    IMR_MARK_CLOSE, around the words as written (the tokenizer's byte offsets), so
 *    "continuous-flow cryotherapy" is marked whole.
 *
 * One function call per hit replaces highlight() plus snippet() (two full-text lookups): on
 * the generated corpus that halves the cost of showing a page of hits. The result is one
 * string, "COLUMN \x1f ITEM \x1f SNIPPET" without the spaces, split by search.c.
 */
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "search_private.h"

static const int column_preference[] = {IMR_COL_RATIONALE, IMR_COL_GUIDELINE,
                                        IMR_COL_CA_GUIDELINE, IMR_COL_SUMMARY, IMR_COL_OTHER};

/* Tokens of one column: which are matched, and where each token is in the text. */
typedef struct column_marks {
    unsigned char *hit; /* hit[i]: token i is part of a match */
    int n_hit;          /* size of hit[] */
    int first, last;    /* tokens to write: [first, last) */
    const char *text;
    imr__buf_t *out;
    int pos;            /* tokens seen */
    int in_mark;        /* a mark is open */
    int written;        /* bytes of text written or skipped */
    int started;        /* a token was written */
} column_marks_t;

static int write_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    column_marks_t *m = ctx;
    (void)tok;
    (void)n;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    int pos = m->pos++;
    if (pos < m->first)
        return SQLITE_OK;
    if (pos >= m->last)
        return SQLITE_DONE;
    int hit = pos < m->n_hit && m->hit[pos];
    if (!m->started) {
        m->written = start;
        m->started = 1;
    }
    if (!hit && m->in_mark) {
        imr__buf_add(m->out, IMR_MARK_CLOSE_STR, 1);
        m->in_mark = 0;
    }
    /* The text between the previous token and this one (spaces, punctuation). */
    if (start > m->written)
        imr__buf_add(m->out, m->text + m->written, (size_t)(start - m->written));
    if (hit && !m->in_mark) {
        imr__buf_add(m->out, IMR_MARK_OPEN_STR, 1);
        m->in_mark = 1;
    }
    if (end > start && start >= m->written)
        imr__buf_add(m->out, m->text + start, (size_t)(end - start));
    if (end > m->written)
        m->written = end;
    return m->out->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* Writes tokens [first, last) of column `col` to out, the runs of hit[] tokens marked. */
static int write_column(const Fts5ExtensionApi *api, Fts5Context *fts, int col,
                        unsigned char *hit, int n_hit, int first, int last, imr__buf_t *out)
{
    const char *text = NULL;
    int len = 0;
    int rc = api->xColumnText(fts, col, &text, &len);
    if (rc != SQLITE_OK || !text || len <= 0)
        return rc;
    column_marks_t m = {hit, n_hit, first, last, text, out, 0, 0, 0, 0};
    rc = api->xTokenize(fts, text, len, &m, write_token);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    if (m.in_mark)
        imr__buf_add(out, IMR_MARK_CLOSE_STR, 1);
    return out->oom ? SQLITE_NOMEM : rc;
}

/* Marks in hit[] (n tokens) the tokens of column col covered by the query's matches. */
static int mark_hits(const Fts5ExtensionApi *api, Fts5Context *fts, int col, unsigned char *hit,
                     int n)
{
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, c, off;
        rc = api->xInst(fts, i, &phrase, &c, &off);
        if (rc != SQLITE_OK || c != col)
            continue;
        int size = api->xPhraseSize(fts, phrase);
        for (int k = off; k < off + size && k < n; k++)
            if (k >= 0)
                hit[k] = 1;
    }
    return rc;
}

/* Picks the start of the best window of `width` tokens in column col (see the design note). */
static int best_window(const Fts5ExtensionApi *api, Fts5Context *fts, int col, int width,
                       int *start)
{
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    long best = -1;
    *start = 0;
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, c, off;
        rc = api->xInst(fts, i, &phrase, &c, &off);
        if (rc != SQLITE_OK || c != col)
            continue;
        int s = off - width / 4 > 0 ? off - width / 4 : 0;
        unsigned long long phrases = 0;
        long tokens = 0;
        for (int j = 0; rc == SQLITE_OK && j < n_inst; j++) {
            int p2, c2, o2;
            rc = api->xInst(fts, j, &p2, &c2, &o2);
            if (rc == SQLITE_OK && c2 == col && o2 >= s && o2 < s + width) {
                phrases |= 1ULL << (p2 & 63);
                tokens++;
            }
        }
        long distinct = 0;
        for (unsigned long long b = phrases; b; b &= b - 1)
            distinct++;
        long score = distinct * 1000 + tokens;
        if (score > best) {
            best = score;
            *start = s;
        }
    }
    return rc;
}

/* imr_snippet(item_fts, width): "COLUMN\x1fITEM\x1fSNIPPET", see the design note. */
static void snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int n_args, sqlite3_value **args)
{
    int width = n_args >= 1 ? sqlite3_value_int(args[0]) : IMR_SNIPPET_TOKENS;
    if (width < 4)
        width = 4;
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    unsigned mask = 0;
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && col >= 0 && col < IMR_N_COLS)
            mask |= 1u << col;
    }
    int col = IMR_COL_RATIONALE;
    for (size_t k = 0; k < sizeof column_preference / sizeof column_preference[0]; k++)
        if (mask & (1u << column_preference[k])) {
            col = column_preference[k];
            break;
        }

    static const char *const names[IMR_N_COLS] = IMR_FTS_COLUMN_NAMES;
    imr__buf_t out = {0};
    unsigned char *hit = NULL;
    int n_item = 0, n_col = 0, start = 0;
    imr__buf_adds(&out, names[col]);
    imr__buf_add(&out, "\x1f", 1);

    /* The item text, whole, marked. */
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, IMR_COL_ITEM, &n_item);
    if (rc == SQLITE_OK && n_item > 0) {
        if (!(hit = calloc((size_t)n_item, 1)))
            rc = SQLITE_NOMEM;
        if (rc == SQLITE_OK)
            rc = mark_hits(api, fts, IMR_COL_ITEM, hit, n_item);
        if (rc == SQLITE_OK)
            rc = write_column(api, fts, IMR_COL_ITEM, hit, n_item, 0, n_item, &out);
        free(hit);
        hit = NULL;
    }
    imr__buf_add(&out, "\x1f", 1);

    /* The snippet: the best window of the chosen column. */
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, col, &n_col);
    if (rc == SQLITE_OK && n_col > 0) {
        if (mask & (1u << col))
            rc = best_window(api, fts, col, width, &start);
        if (rc == SQLITE_OK && start + width > n_col)
            start = n_col - width > 0 ? n_col - width : 0;
        int end = start + width < n_col ? start + width : n_col;
        if (rc == SQLITE_OK && !(hit = calloc((size_t)n_col, 1)))
            rc = SQLITE_NOMEM;
        if (rc == SQLITE_OK)
            rc = mark_hits(api, fts, col, hit, n_col);
        if (rc == SQLITE_OK && start > 0)
            imr__buf_adds(&out, "\xe2\x80\xa6");
        if (rc == SQLITE_OK)
            rc = write_column(api, fts, col, hit, n_col, start, end, &out);
        if (rc == SQLITE_OK && end < n_col)
            imr__buf_adds(&out, "\xe2\x80\xa6");
        free(hit);
    }
    if (rc == SQLITE_OK && out.oom)
        rc = SQLITE_NOMEM;
    if (rc != SQLITE_OK) {
        free(out.p);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_text(ctx, out.p, (int)out.len, free);
}

imr_status_t imr__snippet_register(fts5_api *api)
{
    return api->xCreateFunction(api, "imr_snippet", NULL, snippet_fn, NULL) == SQLITE_OK
               ? IMR_OK
               : IMR_ERR_INTERNAL;
}
