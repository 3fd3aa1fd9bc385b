/*
 * snippet.c - imr_snippet(), the FTS5 auxiliary function that makes a hit's display text in
 * one lookup: the item text with its matched words marked, and a snippet of the part of the
 * item that matched best.
 *
 * Design (after FTS5's own highlight() and snippet(), and RediSearch's fragmenter).
 *
 *  - The column. "The part that matched best" is a fixed order of preference, the order in
 *    which a reader judges an item: the rationale, the reviewer's guideline, the claims
 *    administrator's guideline. The first column holding a match of the query is the
 *    snippet's. A match in the item text alone (which is shown whole, marked) gives the
 *    rationale's opening words, the reviewer's answer. Called on letter_fts (a hit of a
 *    query of only summary:/letter: parts) the order is the case summary, then the rest of the
 *    letter, and there is no item text.
 *  - The window. Of `n` consecutive tokens, the window that holds the most distinct phrases of
 *    the query, then the most matched tokens, then the earliest. A window starts at the
 *    beginning of the sentence of a match when that is at most two thirds of a window before
 *    it, else a quarter of a window before the match, so the match is read in context.
 *  - Marks. Matched tokens are found from xInst() (phrase, column, token offset) and
 *    xPhraseSize(); runs of consecutive matched tokens get one mark, IMR_MARK_OPEN ...
 *    IMR_MARK_CLOSE, around the words as written (the tokenizer's byte offsets), so
 *    "continuous-flow cryotherapy" is marked whole.
 *
 * One function call per hit replaces highlight() plus snippet() (two full-text lookups): on
 * the generated corpus that halves the cost of showing a page of hits. The result is one
 * string, "COLUMN \x1f ITEM \x1f SNIPPET \x1f FROM" without the spaces (ITEM empty on
 * letter_fts; FROM the byte offset in the column's text where the snippet starts, in decimal,
 * which gives the page), split by search.c. The table is told by its column count.
 */
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "search_private.h"
#include "fts5_api.h"
#include "tokenizer.h"

static const int item_preference[] = {IMR_COL_RATIONALE, IMR_COL_GUIDELINE, IMR_COL_CA_GUIDELINE};
static const int letter_preference[] = {IMR_LCOL_SUMMARY, IMR_LCOL_OTHER};

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

/* Byte offsets of a column's tokens, by position. */
typedef struct token_offsets {
    int *start, *end; /* n entries */
    int n;            /* tokens recorded */
    int cap;          /* entries allocated */
} token_offsets_t;

static int record_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    token_offsets_t *t = ctx;
    (void)tok;
    (void)n;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (t->n == t->cap)
        return SQLITE_DONE;
    t->start[t->n] = start;
    t->end[t->n] = end;
    t->n++;
    return SQLITE_OK;
}

/* 1 when token i of text begins a sentence: the first, or after ". ", "? ", "! " or ": ". */
static int sentence_start(const char *text, const token_offsets_t *t, int i)
{
    if (i == 0)
        return 1;
    for (int b = t->end[i - 1]; b < t->start[i]; b++)
        if (text[b] == '.' || text[b] == '?' || text[b] == '!' || text[b] == ':')
            return 1;
    return 0;
}

/*
 * Picks the start of the best window of `width` tokens in column col (see the design note):
 * for each match, the window starts at the nearest sentence start at most two thirds of a
 * window before it, else a quarter of a window before it.
 */
static int best_window(const Fts5ExtensionApi *api, Fts5Context *fts, int col, int width,
                       const char *text, const token_offsets_t *t, int *start)
{
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    long best = -1;
    *start = 0;
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, c, off;
        rc = api->xInst(fts, i, &phrase, &c, &off);
        if (rc != SQLITE_OK || c != col || off >= t->n)
            continue;
        int s = off - width / 4 > 0 ? off - width / 4 : 0;
        for (int k = off; k >= 0 && k >= off - width * 2 / 3; k--)
            if (sentence_start(text, t, k)) {
                s = k;
                break;
            }
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

/* Writes tokens [first, last) of text to out, the runs of hit[] tokens marked. */
static void write_window(const char *text, const token_offsets_t *t, const unsigned char *hit,
                         int first, int last, imr__buf_t *out)
{
    int in_mark = 0;
    for (int i = first; i < last && i < t->n; i++) {
        if (i > first) {
            if (!hit[i] && in_mark) {
                imr__buf_add(out, IMR_MARK_CLOSE_STR, 1);
                in_mark = 0;
            }
            if (t->start[i] > t->end[i - 1])
                imr__buf_add(out, text + t->end[i - 1], (size_t)(t->start[i] - t->end[i - 1]));
        }
        if (hit[i] && !in_mark) {
            imr__buf_add(out, IMR_MARK_OPEN_STR, 1);
            in_mark = 1;
        }
        if (t->end[i] > t->start[i])
            imr__buf_add(out, text + t->start[i], (size_t)(t->end[i] - t->start[i]));
    }
    if (in_mark)
        imr__buf_add(out, IMR_MARK_CLOSE_STR, 1);
}

/*
 * Appends tokens of column col to out: the whole column (width 0) or the best window of
 * `width` tokens, with ellipses where the column is cut. `matched` says the column holds a
 * match. *from gets the byte offset in the column's text where what was written starts.
 * Returns SQLITE_CORRUPT_VTAB when the column's text has fewer tokens than the index says.
 */
static int write_column(const Fts5ExtensionApi *api, Fts5Context *fts, int col, int width,
                        int matched, imr__buf_t *out, int *from)
{
    *from = 0;
    const char *text = NULL;
    int len = 0, n_tok = 0;
    int rc = api->xColumnText(fts, col, &text, &len);
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, col, &n_tok);
    if (rc != SQLITE_OK || n_tok <= 0)
        return rc;
    if (!text || len <= 0)
        return SQLITE_CORRUPT_VTAB;
    token_offsets_t t = {malloc((size_t)n_tok * sizeof(int)), malloc((size_t)n_tok * sizeof(int)),
                         0, n_tok};
    unsigned char *hit = calloc((size_t)n_tok, 1);
    if (!t.start || !t.end || !hit)
        rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK)
        rc = api->xTokenize(fts, text, len, &t, record_token);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    /* The index counted n_tok tokens in this column: fewer in its text now means the text or
     * its spans changed under the index (imr_db_fail() names the repair). */
    if (rc == SQLITE_OK && t.n < n_tok)
        rc = SQLITE_CORRUPT_VTAB;
    if (rc == SQLITE_OK)
        rc = mark_hits(api, fts, col, hit, t.n);
    int first = 0, last = t.n;
    if (rc == SQLITE_OK && width > 0 && t.n > width) {
        if (matched)
            rc = best_window(api, fts, col, width, text, &t, &first);
        if (first + width > t.n)
            first = t.n - width;
        last = first + width;
    }
    if (rc == SQLITE_OK) {
        *from = t.n > 0 ? t.start[first] : 0;
        if (first > 0)
            imr__buf_adds(out, "\xe2\x80\xa6");
        write_window(text, &t, hit, first, last, out);
        /* The punctuation that ends the last word ("for." rather than "for"). */
        int tail = t.end[last - 1], stop = last < t.n ? t.start[last] : len;
        while (tail < stop && text[tail] != ' ' && text[tail] != '\n' && text[tail] != '\t' &&
               text[tail] != '\r')
            tail++;
        imr__buf_add(out, text + t.end[last - 1], (size_t)(tail - t.end[last - 1]));
        if (last < t.n)
            imr__buf_adds(out, "\xe2\x80\xa6");
        if (out->oom)
            rc = SQLITE_NOMEM;
    }
    free(t.start);
    free(t.end);
    free(hit);
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* imr_snippet(item_fts | letter_fts, width [, rows]): "COLUMN\x1fITEM\x1fSNIPPET\x1fFROM", see
 * the design note; NULL for a row that is not among `rows` (search_private.h). */
static void snippet_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int n_args, sqlite3_value **args)
{
    const imr__rows_t *rows = n_args >= 2 ? sqlite3_value_pointer(args[1], IMR__ROWS_POINTER)
                                          : NULL;
    if (rows) {
        int64_t id = api->xRowid(fts);
        if (!bsearch(&id, rows->id, rows->n, sizeof *rows->id, cmp_id)) {
            sqlite3_result_null(ctx);
            return;
        }
    }
    int width = n_args >= 1 ? sqlite3_value_int(args[0]) : IMR_SNIPPET_TOKENS;
    if (width < 4)
        width = 4;
    static const char *const item_names[IMR_N_ITEM_COLS] = IMR_ITEM_COLUMN_NAMES;
    static const char *const letter_names[IMR_N_LETTER_COLS] = IMR_LETTER_COLUMN_NAMES;
    int letter = api->xColumnCount(fts) == IMR_N_LETTER_COLS;
    int n_cols = letter ? IMR_N_LETTER_COLS : IMR_N_ITEM_COLS;
    const int *pref = letter ? letter_preference : item_preference;
    size_t n_pref = letter ? sizeof letter_preference / sizeof letter_preference[0]
                           : sizeof item_preference / sizeof item_preference[0];
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    unsigned mask = 0;
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && col >= 0 && col < n_cols)
            mask |= 1u << col;
    }
    int col = pref[0];
    for (size_t k = 0; k < n_pref; k++)
        if (mask & (1u << pref[k])) {
            col = pref[k];
            break;
        }

    imr__buf_t out = {0};
    imr__buf_adds(&out, letter ? letter_names[col] : item_names[col]);
    imr__buf_add(&out, "\x1f", 1);
    int from = 0;
    if (rc == SQLITE_OK && !letter)
        rc = write_column(api, fts, IMR_COL_ITEM, 0, 1, &out, &from);
    imr__buf_add(&out, "\x1f", 1);
    if (rc == SQLITE_OK)
        rc = write_column(api, fts, col, width, (mask & (1u << col)) != 0, &out, &from);
    imr__buf_printf(&out, "\x1f%d", from);
    if (rc == SQLITE_OK && out.oom)
        rc = SQLITE_NOMEM;
    if (rc != SQLITE_OK) {
        free(out.p);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_text(ctx, out.p, (int)out.len, free);
}

imr_status_t imr__search_fts5_api(imr_db_t *db, fts5_api **api, imr_error_t *err)
{
    int rc = imr__fts5_api(imr_db_sqlite(db), api);
    if (rc != SQLITE_OK && rc != SQLITE_ERROR)
        return imr_db_fail(db, rc, "finding FTS5", err);
    if (rc != SQLITE_OK)
        return imr_error_set(err, IMR_ERR_INTERNAL, "this SQLite has no FTS5");
    return IMR_OK;
}

imr_status_t imr__functions_register(imr_db_t *db, imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    sqlite3_stmt *probe = NULL;
    int rc = sqlite3_prepare_v2(sql,
                                "SELECT imr_snippet(" IMR_TABLE_ITEM_FTS ", 8) FROM "
                                IMR_TABLE_ITEM_FTS " WHERE " IMR_TABLE_ITEM_FTS " MATCH 'x' AND 0",
                                -1, &probe, NULL);
    sqlite3_finalize(probe);
    if (rc == SQLITE_OK)
        return IMR_OK;

    fts5_api *api = NULL;
    imr_status_t st = imr__search_fts5_api(db, &api, err);
    if (st != IMR_OK)
        return st;
    rc = api->xCreateFunction(api, "imr_snippet", NULL, snippet_fn, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "imr_rank", NULL, imr__rank_fn, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "imr_probe", NULL, imr__probe_fn, NULL);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "registering the search functions", err);
    return IMR_OK;
}
