/*
 * search.c - ranked item search with snippets.
 *
 * Design. A search runs in two phases.
 *
 *  1. Ranking: one statement walks every item that matches the query and filters. For an
 *     item-level query it is `SELECT imr_rank(item_fts, ?collector) FROM item_fts WHERE MATCH`
 *     (joined to item, and letter, only when a filter needs them): imr_rank() (rank.c) scores
 *     each match with bm25 over the item's own text - BM25's length normalisation is the
 *     item's; an item without a rationale is scaled by IMR_NO_RATIONALE_FACTOR - and hands it
 *     to a collector that counts every match and its letter (read from the rowid) and keeps
 *     only the offset + limit best, skipping the one costly lookup of a row that cannot enter
 *     the page. A query with letter-level parts (summary:, letter:) adds `rowid / 1024 IN
 *     (letter_fts MATCH ...)`; one with only such parts walks the matching letters' items,
 *     ranked by bm25(letter_fts, IMR_LETTER_BM25_WEIGHTS), through the same collector.
 *     The page asked for (offset,
 *     limit; letters instead of items with by_letter, which keeps every match) is then cut
 *     from the sorted matches. Without a query the order is the newest decision first
 *     (decision date descending, then letter, then item).
 *
 *  2. Display, for the hits of the page only: the letter's and item's columns by primary key,
 *     then, when there is a query, one `MATCH ?1 AND rowid = ?2` lookup whose imr_snippet()
 *     (snippet.c) gives the item text with its matched words marked and a snippet of the part
 *     of the item that matched best; for a hit matched in its letter, the same lookup on
 *     letter_fts gives a snippet of the summary (the item text is then shown unmarked).
 *     Snippets are never made for rows that are not shown: over all matches they would
 *     dominate the cost of a query. A lookup reads the query's doclists from their start,
 *     so a page of more than SNIPPET_PASS_MIN hits (an export) makes its snippets in one
 *     pass over the matches instead, imr_snippet() skipping the rows not on the page: a
 *     7,610-item CSV export of "oxycodone" (seven synonym phrases) at 200,000 letters went
 *     from 1.8 s of CPU to 0.15 s.
 */
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "search_private.h"

struct imr_results {
    imr_hit_t *hits; /* n hits of the page */
    size_t n;
    uint64_t total_items;     /* first-pass matches: every part in the item's own text */
    uint64_t total_letters;   /* distinct letters of those */
    uint64_t undated;         /* letters the date filters left out (imr_results_undated_letters) */
    uint64_t work;            /* VM steps of the search's statements (imr_results_work) */
    imr_query_t *query;       /* the query as read, owned */
    imr__pool_t owned;        /* strings owned by the result set */
    imr_results_t *related;   /* items of the matches' kind (related_items()), or NULL */
};

static const double item_weights[IMR_N_ITEM_COLS] = IMR_ITEM_BM25_WEIGHTS;

int imr_search_weights_parse(const char *s, double *w)
{
    double v[IMR_N_ITEM_COLS];
    const char *p = s;
    if (!s)
        return 0;
    for (int i = 0; i < IMR_N_ITEM_COLS; i++) {
        char *end;
        v[i] = strtod(p, &end);
        if (end == p || !(v[i] >= 0) || *end != (i + 1 < IMR_N_ITEM_COLS ? ',' : '\0'))
            return 0;
        p = end + 1;
    }
    memcpy(w, v, sizeof v);
    return 1;
}
static const double letter_weights[IMR_N_LETTER_COLS] = IMR_LETTER_BM25_WEIGHTS;
static const char *const item_columns[IMR_N_ITEM_COLS] = IMR_ITEM_COLUMN_NAMES;
static const char *const letter_columns[IMR_N_LETTER_COLS] = IMR_LETTER_COLUMN_NAMES;

size_t imr_results_count(const imr_results_t *r)
{
    return r->n;
}

const imr_hit_t *imr_results_hit(const imr_results_t *r, size_t i)
{
    return i < r->n ? &r->hits[i] : NULL;
}

uint64_t imr_results_total_items(const imr_results_t *r)
{
    return r->total_items;
}

uint64_t imr_results_total_letters(const imr_results_t *r)
{
    return r->total_letters;
}

uint64_t imr_results_undated_letters(const imr_results_t *r)
{
    return r->undated;
}

uint64_t imr_results_work(const imr_results_t *r)
{
    return r->work;
}

const imr_query_t *imr_results_query(const imr_results_t *r)
{
    return r->query;
}

size_t imr_results_n_related(const imr_results_t *r)
{
    return r->related ? r->related->n : 0;
}

const imr_hit_t *imr_results_related(const imr_results_t *r, size_t i)
{
    return r->related ? imr_results_hit(r->related, i) : NULL;
}

const imr_query_t *imr_results_related_query(const imr_results_t *r)
{
    return r->related ? r->related->query : NULL;
}

void imr_results_free(imr_results_t *r)
{
    if (!r)
        return;
    imr_results_free(r->related);
    imr__pool_free(&r->owned);
    free(r->hits);
    imr_query_free(r->query);
    free(r);
}

/* Copies the display form of n bytes of s into r. */
static const char *own_display_bytes(imr_results_t *r, const char *s, size_t n)
{
    imr__buf_t b = {0};
    imr__buf_add_display(&b, s, n);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return imr__pool_keep(&r->owned, b.p);
}

/* Copies the display form of a column's text into r. */
static const char *own_display(imr_results_t *r, sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return own_display_bytes(r, s ? s : "", s ? (size_t)sqlite3_column_bytes(st, col) : 0);
}

static int by_letter_then_key(const void *a, const void *b)
{
    const imr__match_t *x = a, *y = b;
    if (x->letter_id != y->letter_id)
        return x->letter_id < y->letter_id ? -1 : 1;
    return imr__match_cmp(a, b);
}

/* A letter's group of matches in the sorted-by-letter array. */
typedef struct group {
    double best; /* key of its best match */
    int64_t letter_id;
    size_t first, n; /* its matches: m[first .. first + n) */
} group_t;

static int group_by_best(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    if (x->best != y->best)
        return x->best < y->best ? -1 : 1;
    return x->letter_id < y->letter_id ? -1 : x->letter_id > y->letter_id;
}

/*
 * Steps st (prepared and bound) to the end. With `columns` its rows are (item id, letter id,
 * score) and go into c (the key is the row's position when `listing`); without, imr_rank()
 * in st fills c itself.
 */
static imr_status_t collect_rows(imr_db_t *db, sqlite3_stmt *st, int columns, int listing,
                                 imr__collector_t *c, imr_error_t *err)
{
    int rc;
    uint64_t position = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!columns)
            continue;
        imr__match_t m = {0.0, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)};
        m.key = listing ? (double)position++ : sqlite3_column_double(st, 2);
        if (imr__collector_add(c, &m) != SQLITE_OK)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    if (rc == SQLITE_NOMEM)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    return rc == SQLITE_DONE ? IMR_OK : imr_db_fail(db, rc, "searching", err);
}

/* Appends ", w0, w1, ..." to q. */
static void add_weights(imr__buf_t *q, const double *w, int n)
{
    for (int c = 0; c < n; c++)
        imr__buf_printf(q, ", %g", w[c]);
}

/*
 * Phase 1: collects the matches into c (set up here; the caller frees it) and sets the totals
 * of r. Without `totals`, a listing (no query) is the newest decision year first and stops at
 * its page, read from the index item_kind alone when its filters are the item's facets; r's
 * totals then count only that page.
 */
static imr_status_t rank_all(imr_db_t *db, const imr_search_opts_t *opts, const imr__filter_t *f,
                             int totals, imr_results_t *r, imr__collector_t *c,
                             imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    imr__buf_t q = {0};
    sqlite3_stmt *st = NULL;
    int64_t max_letter = 0;
    int rc;
    imr_status_t status = imr__max_letter(db, &max_letter, err);
    if (status != IMR_OK)
        return status;
    /* Grouping by letter ranks letters by their best item: it needs every match. */
    size_t want = opts->limit ? opts->offset + opts->limit : 0;
    status = imr__collector_init(c, opts->by_letter ? 0 : want, max_letter,
                                 opts->bm25_weights ? opts->bm25_weights : item_weights, err);
    if (status != IMR_OK)
        return status;

    int param = 1 + (f->match != NULL) + (f->match_letter != NULL); /* the collector's */
    if (f->match) {
        imr__buf_printf(&q, "SELECT imr_rank(" IMR_TABLE_ITEM_FTS ", ?%d%s) %s", param,
                        f->boost_args, f->from_where);
        c->n_scored = imr_query_n_scored(f->query);
        c->n_groups = f->n_groups;
        memcpy(c->group_mask, f->probe_mask, sizeof c->group_mask);
        status = imr__functions_register(db, err);
        rc = status == IMR_OK ? imr__collector_scoring(c, sql, f->match) : SQLITE_OK;
        if (rc != SQLITE_OK)
            status = imr_db_fail(db, rc, "reading the term statistics", err);
    } else if (f->match_letter) {
        imr__buf_adds(&q, "SELECT i.id, i.letter_id, bm25(" IMR_TABLE_LETTER_FTS);
        add_weights(&q, letter_weights, IMR_N_LETTER_COLS);
        imr__buf_printf(&q, ") %s", f->from_where);
    } else {
        if (totals || !want || opts->by_letter)
            imr__buf_printf(&q,
                            "SELECT i.id, i.letter_id, 0 %s ORDER BY l.decision_date DESC, l.name,"
                            " i.ord",
                            f->from_where);
        else
            imr__buf_printf(&q, "SELECT i.id, i.id / " IMR_XSTR(IMR_ITEMS_PER_LETTER)
                                ", 0 %s ORDER BY i.year DESC, i.id DESC LIMIT %zu",
                            f->from_where, want);
    }
    if (status == IMR_OK && q.oom)
        status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (status == IMR_OK) {
        rc = sqlite3_prepare_v2(sql, q.p, -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = imr__filter_bind(f, st);
        if (rc == SQLITE_OK && f->match)
            rc = sqlite3_bind_pointer(st, param, c, IMR__COLLECTOR_TYPE, NULL);
        if (rc != SQLITE_OK)
            status = imr_db_fail(db, rc, "searching", err);
        else
            status = collect_rows(db, st, !f->match, !f->has_query, c, err);
    }
    if (st)
        r->work += (uint64_t)sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(st);
    free(q.p);

    r->total_items = c->count;
    r->total_letters = c->letters;
    return status;
}

/*
 * Cuts the page out of the matches: fills page[] (allocated, *n_page entries) with the
 * matches to show in order, and letter ranks when grouping.
 */
static imr_status_t cut_page(const imr_search_opts_t *opts, imr__collector_t *c,
                             imr__match_t **page, size_t **letter_rank, size_t *n_page,
                             imr_error_t *err)
{
    size_t limit = opts->limit ? opts->limit : (size_t)-1;
    imr__match_t *m = c->m;
    size_t n = c->n;
    *page = NULL;
    *letter_rank = NULL;
    *n_page = 0;
    if (!opts->by_letter) {
        imr__collector_sort(c);
        size_t first = opts->offset < n ? opts->offset : n;
        size_t k = n - first < limit ? n - first : limit;
        if (k == 0)
            return IMR_OK;
        if (!(*page = malloc(k * sizeof **page)))
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        memcpy(*page, m + first, k * sizeof *m);
        *n_page = k;
        return IMR_OK;
    }

    if (n > 1)
        qsort(m, n, sizeof *m, by_letter_then_key);
    size_t n_groups = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || m[i].letter_id != m[i - 1].letter_id)
            n_groups++;
    group_t *g = malloc((n_groups ? n_groups : 1) * sizeof *g);
    if (!g)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || m[i].letter_id != m[i - 1].letter_id) {
            g[k] = (group_t){m[i].key, m[i].letter_id, i, 0};
            k++;
        }
        g[k - 1].n++;
    }
    if (n_groups > 1)
        qsort(g, n_groups, sizeof *g, group_by_best);
    size_t first = opts->offset < n_groups ? opts->offset : n_groups;
    size_t last = n_groups - first < limit ? n_groups : first + limit;
    size_t n_hits = 0;
    for (size_t i = first; i < last; i++)
        n_hits += g[i].n;
    if (n_hits) {
        *page = malloc(n_hits * sizeof **page);
        *letter_rank = malloc(n_hits * sizeof **letter_rank);
        if (!*page || !*letter_rank) {
            free(*page);
            free(*letter_rank);
            *page = NULL;
            *letter_rank = NULL;
            free(g);
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
    }
    size_t j = 0;
    for (size_t i = first; i < last; i++)
        for (size_t h = 0; h < g[i].n; h++) {
            (*page)[j] = m[g[i].first + h];
            (*letter_rank)[j] = i + 1;
            j++;
        }
    *n_page = n_hits;
    free(g);
    return IMR_OK;
}

/* The opening `tokens` words of text, in display form, with an ellipsis when cut. */
static char *opening_words(const char *text, size_t len, int tokens)
{
    imr__buf_t b = {0};
    imr__buf_add_display(&b, text, len);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    int words = 0;
    for (size_t i = 0; i < b.len; i++)
        if (b.p[i] == ' ' && ++words == tokens) {
            b.p[i] = '\0';
            b.len = i;
            imr__buf_adds(&b, "\xe2\x80\xa6");
            break;
        }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* Statements of phase 2, prepared once per search when needed. */
typedef struct display_stmts {
    sqlite3_stmt *row;         /* letter and item columns of item ?1, with its text */
    sqlite3_stmt *row_query;   /* the same without the text (imr_snippet() gives it) */
    sqlite3_stmt *snippet;     /* imr_snippet(item_fts, ?3) for MATCH ?1, rowid ?2 */
    sqlite3_stmt *letter_snip; /* imr_snippet(letter_fts, ?3) for MATCH ?1, rowid ?2 */
    const char *letter_match;  /* the letter_fts expression of letter_snip */
} display_stmts_t;

/*
 * The letter's and item's columns of a hit. The item text and the rationale (for a listing
 * without a query, or a hit matched in its letter) are cut out of the letter's text, which
 * SQLite then reads whole; for a hit matched in its own text, imr_snippet() gives the item
 * text and the letter's text is not read here.
 */
#define ROW_COLUMNS                                                                                \
    "SELECT l.name, l.path, l.case_number, l.decision_date, i.ord, i.decision, i.item_type,"       \
    " i.body_region, i.sources, l.pages, i.rationale_off, i.guideline_off, i.ca_off,"              \
    " l.summary_off, l.other_off, i.citation, " IMR_SQL_TRUNCATED("l") ", l.year, l.year_source"
/* The row's column of the first of those offsets, of the citation (and the truncation after
 * it), of the year (and its source after it), and of the listing's texts after them. */
#define ROW_COL_OFFSETS  10
#define ROW_COL_CITATION 15
#define ROW_COL_YEAR     17
#define ROW_COL_TEXTS    19
#define ROW_FROM                                                                                   \
    " FROM " IMR_TABLE_ITEM " i JOIN " IMR_TABLE_LETTER " l ON l.id = i.letter_id"                 \
    " WHERE i.id = ?1"
static const char row_sql_listing[] = ROW_COLUMNS
    ", CAST(substr(CAST(l.text AS BLOB), i.text_off + 1, i.text_len) AS TEXT),"
    " CAST(substr(CAST(l.text AS BLOB), i.rationale_off + 1, i.rationale_len) AS TEXT),"
    " CAST(substr(CAST(l.text AS BLOB), l.summary_off + 1, l.summary_len) AS TEXT)" ROW_FROM;
static const char row_sql_query[] = ROW_COLUMNS ROW_FROM;

/* A copy of marked text without its marks, owned by r. */
static const char *own_unmarked(imr_results_t *r, const char *marked)
{
    char *s = marked ? strdup(marked) : NULL;
    if (!s)
        return NULL;
    char *w = s;
    for (const char *p = s; *p; p++)
        if (*p != IMR_MARK_OPEN && *p != IMR_MARK_CLOSE)
            *w++ = *p;
    *w = '\0';
    return imr__pool_keep(&r->owned, s);
}

/* The parts of imr_snippet()'s "COLUMN \x1f ITEM \x1f SNIPPET \x1f FROM", pointing into it. */
typedef struct snippet_parts {
    const char *col, *item, *snip;
    size_t n_col, n_item, n_snip;
    long from; /* byte offset in the column's text where the snippet starts */
} snippet_parts_t;

static imr_status_t split_snippet(const char *text, size_t len, snippet_parts_t *sp,
                                  imr_error_t *err)
{
    const char *sep1 = text ? memchr(text, '\x1f', len) : NULL;
    const char *sep2 = sep1 ? memchr(sep1 + 1, '\x1f', len - (size_t)(sep1 + 1 - text)) : NULL;
    const char *sep3 = sep2 ? memchr(sep2 + 1, '\x1f', len - (size_t)(sep2 + 1 - text)) : NULL;
    if (!sep3)
        return imr_error_set(err, IMR_ERR_INTERNAL, "imr_snippet returned no snippet");
    sp->col = text;
    sp->n_col = (size_t)(sep1 - text);
    sp->item = sep1 + 1;
    sp->n_item = (size_t)(sep2 - sep1 - 1);
    sp->snip = sep2 + 1;
    sp->n_snip = (size_t)(sep3 - sep2 - 1);
    sp->from = strtol(sep3 + 1, NULL, 10);
    return IMR_OK;
}

/*
 * Runs a snippet statement (MATCH ?1, rowid ?2, width ?3) and splits its result into *sp,
 * pointing into the statement's row: valid until it is reset.
 */
static imr_status_t run_snippet(imr_db_t *db, sqlite3_stmt *st, const char *match, int64_t id,
                                int tokens, snippet_parts_t *sp, imr_error_t *err)
{
    sqlite3_reset(st);
    int rc = sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 3, tokens);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) != SQLITE_ROW)
        return imr_db_fail(db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "making a snippet", err);
    return split_snippet((const char *)sqlite3_column_text(st, 0),
                         (size_t)sqlite3_column_bytes(st, 0), sp, err);
}

/* A page with more hits than this makes their snippets in one pass (snippets_in_one_pass()). */
#define SNIPPET_PASS_MIN 32

/* A hit of the page by item id: the id first, so that the pairs sort and search by it. */
typedef struct page_ref {
    int64_t id;
    size_t at; /* index in the page */
} page_ref_t;

static int cmp_ref(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/*
 * The snippets of a page's hits, in one pass over the query's matches: raw[i] (malloc'd) is
 * imr_snippet()'s result for page[i]. A lookup `MATCH ?1 AND rowid = ?2` reads the query's
 * doclists from their start, so a lookup per hit costs the page size times the matches; this
 * costs the matches once. Adds the pass's VM steps to *work.
 */
static imr_status_t snippets_in_one_pass(imr_db_t *db, const char *match, int tokens,
                                         const imr__match_t *page, size_t n_page, char **raw,
                                         uint64_t *work, imr_error_t *err)
{
    sqlite3_stmt *st = NULL;
    page_ref_t *ref = malloc(n_page * sizeof *ref);
    int64_t *id = malloc(n_page * sizeof *id);
    if (!ref || !id) {
        free(ref);
        free(id);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n_page; i++)
        ref[i] = (page_ref_t){page[i].item_id, i};
    qsort(ref, n_page, sizeof *ref, cmp_ref);
    for (size_t k = 0; k < n_page; k++)
        id[k] = ref[k].id;
    imr__rows_t rows = {id, n_page};
    imr_status_t st_ = IMR_OK;
    int rc = sqlite3_prepare_v2(imr_db_sqlite(db),
                                "SELECT rowid, imr_snippet(" IMR_TABLE_ITEM_FTS ", ?2, ?3) FROM "
                                IMR_TABLE_ITEM_FTS " WHERE " IMR_TABLE_ITEM_FTS " MATCH ?1",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 2, tokens);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_pointer(st, 3, &rows, IMR__ROWS_POINTER, NULL);
    size_t found = 0;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(st)) != SQLITE_ROW)
            break;
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            continue;
        int64_t rowid = sqlite3_column_int64(st, 0);
        const page_ref_t *r = bsearch(&rowid, ref, n_page, sizeof *ref, cmp_ref);
        size_t i = r ? r->at : 0;
        if (!r || raw[i])
            continue;
        if (!(raw[i] = strdup((const char *)sqlite3_column_text(st, 1)))) {
            st_ = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            break;
        }
        found++;
    }
    if (st_ == IMR_OK && rc != SQLITE_DONE)
        st_ = imr_db_fail(db, rc, "making the snippets", err);
    else if (st_ == IMR_OK && found != n_page)
        st_ = imr_db_fail(db, SQLITE_CORRUPT, "making the snippets", err);
    if (st)
        *work += (uint64_t)sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(st);
    free(ref);
    free(id);
    return st_;
}

/* The column name among names[0..n) spelled col[0..n_col), or `dflt`. */
static const char *column_named(const char *const *names, int n, const char *col, size_t n_col,
                                const char *dflt)
{
    for (int c = 0; c < n; c++)
        if (strlen(names[c]) == n_col && memcmp(names[c], col, n_col) == 0)
            return names[c];
    return dflt;
}

/*
 * The page of the letter on which a snippet from column `from_col` (one of item_columns or
 * letter_columns) starts, `from` bytes into that column's text: from the row's l.pages and
 * column offsets (ROW_COLUMNS). 0 when the letter has no pages.
 */
static int snippet_page(sqlite3_stmt *row, const char *from_col, long from)
{
    static const struct {
        const char *const *names;
        int col, at; /* names[col] is read at row column ROW_COL_OFFSETS + at */
    } offsets[] = {{item_columns, IMR_COL_RATIONALE, 0},    {item_columns, IMR_COL_GUIDELINE, 1},
                   {item_columns, IMR_COL_CA_GUIDELINE, 2}, {letter_columns, IMR_LCOL_SUMMARY, 3},
                   {letter_columns, IMR_LCOL_OTHER, 4}};
    long off = 0;
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++)
        if (offsets[k].names[offsets[k].col] == from_col)
            off = (long)sqlite3_column_int64(row, ROW_COL_OFFSETS + offsets[k].at);
    return imr__page_of((const char *)sqlite3_column_text(row, ROW_COL_OFFSETS - 1), off + from);
}

/*
 * Phase 2 for one hit: fills h from the database. A hit of a query of only letter-level parts
 * is h->in_letter.
 */
static imr_status_t fill_hit(imr_db_t *db, const imr__filter_t *f, const display_stmts_t *s,
                             int snippet_tokens, const char *raw, imr_results_t *r, imr_hit_t *h,
                             imr_error_t *err)
{
    h->in_letter = !f->match && f->match_letter;
    int own_text = !f->match || h->in_letter; /* the item text comes from the row */
    sqlite3_stmt *row = own_text ? s->row : s->row_query;
    int rc;
    sqlite3_reset(row);
    rc = sqlite3_bind_int64(row, 1, h->item_id);
    if (rc == SQLITE_OK && (rc = sqlite3_step(row)) != SQLITE_ROW)
        return rc == SQLITE_DONE ? imr_error_set(err, IMR_ERR_DB_CORRUPT,
                                                 "%s: item %lld is in the index but not in the "
                                                 "item table",
                                                 imr_db_filename(db), (long long)h->item_id)
                                 : imr_db_fail(db, rc, "reading a hit", err);
    h->letter = imr__pool_column(&r->owned, row, 0);
    h->path = imr__pool_column(&r->owned, row, 1);
    h->case_number = imr__pool_column(&r->owned, row, 2);
    h->decision_date = imr__pool_column(&r->owned, row, 3);
    h->item_number = sqlite3_column_int(row, 4);
    h->decision = imr__pool_column(&r->owned, row, 5);
    h->item_type = imr__pool_column(&r->owned, row, 6);
    h->body_region = imr__pool_column(&r->owned, row, 7);
    h->sources = (unsigned)sqlite3_column_int(row, 8);
    h->citation = own_display(r, row, ROW_COL_CITATION);
    h->partial = sqlite3_column_int(row, ROW_COL_CITATION + 1);
    h->year = imr__pool_column(&r->owned, row, ROW_COL_YEAR);
    h->year_source = imr__pool_column(&r->owned, row, ROW_COL_YEAR + 1);
    h->snippet_from = item_columns[IMR_COL_RATIONALE];
    if (!h->letter || !h->path || !h->case_number || !h->decision_date || !h->decision ||
        !h->item_type || !h->body_region || !h->citation || !h->year || !h->year_source)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (!f->has_query) {
        h->item = own_display(r, row, ROW_COL_TEXTS);
        h->item_marked = h->item;
        /* The rationale's opening; an item without one (unknown layout): the summary's. */
        int col = sqlite3_column_bytes(row, ROW_COL_TEXTS + 1) > 0 ? ROW_COL_TEXTS + 1
                                                                   : ROW_COL_TEXTS + 2;
        const char *open = (const char *)sqlite3_column_text(row, col);
        if (col == ROW_COL_TEXTS + 2)
            h->snippet_from = letter_columns[IMR_LCOL_SUMMARY];
        h->page = snippet_page(row, h->snippet_from, 0);
        h->snippet = imr__pool_keep(&r->owned, opening_words(open ? open : "",
                                          open ? (size_t)sqlite3_column_bytes(row, col) : 0,
                                          snippet_tokens));
        if (!h->item || !h->snippet)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        return IMR_OK;
    }

    snippet_parts_t sp;
    imr_status_t st;
    if (h->in_letter) {
        h->item = own_display(r, row, ROW_COL_TEXTS);
        h->item_marked = h->item;
        st = run_snippet(db, s->letter_snip, s->letter_match, h->letter_id, snippet_tokens, &sp,
                         err);
        if (st != IMR_OK)
            return st;
        h->snippet_from = column_named(letter_columns, IMR_N_LETTER_COLS, sp.col, sp.n_col,
                                       letter_columns[IMR_LCOL_SUMMARY]);
    } else {
        st = raw ? split_snippet(raw, strlen(raw), &sp, err)
                 : run_snippet(db, s->snippet, f->match, h->item_id, snippet_tokens, &sp, err);
        if (st != IMR_OK)
            return st;
        h->snippet_from = column_named(item_columns, IMR_N_ITEM_COLS, sp.col, sp.n_col,
                                       item_columns[IMR_COL_RATIONALE]);
        h->item_marked = own_display_bytes(r, sp.item, sp.n_item);
        h->item = own_unmarked(r, h->item_marked);
    }
    h->snippet = own_display_bytes(r, sp.snip, sp.n_snip);
    h->page = snippet_page(row, h->snippet_from, sp.from);
    if (!h->item || !h->item_marked || !h->snippet)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    return IMR_OK;
}

/*
 * The item type that most (more than half) of r's hits have, or NULL; `other` is no kind.
 * One pass finds the only type that can be the majority (Boyer-Moore's vote), a second counts
 * it: a page of thousands of hits costs two passes, not one per hit.
 */
static const char *kind_of_hits(const imr_results_t *r)
{
    const char *kind = NULL;
    size_t votes = 0, same = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (votes == 0) {
            kind = r->hits[i].item_type;
            votes = 1;
        } else if (strcmp(r->hits[i].item_type, kind) == 0) {
            votes++;
        } else {
            votes--;
        }
    }
    for (size_t i = 0; kind && i < r->n; i++)
        same += strcmp(r->hits[i].item_type, kind) == 0;
    if (!kind || 2 * same <= r->n || strcmp(kind, "other") == 0)
        return NULL;
    return kind;
}

/*
 * Writes into *text the query of r's kind (imr_results_related()): `type:KIND` and the
 * field:value form of every facet read from r's query. Returns 0 (nothing written) when the
 * query has none: no kind, an exclusion, a letter-level part, or two values of one facet.
 */
static int kind_query(const imr_results_t *r, imr__buf_t *text)
{
    const imr_query_t *q = r->query;
    const char *kind = kind_of_hits(r);
    if (!kind || !imr_query_fts5(q) || imr_query_fts5_letter(q) || imr_query_fts5_exclude(q))
        return 0;
    imr__buf_printf(text, "type:%s", kind);
    for (size_t k = 0; k < imr_query_n_facets(q); k++) {
        const imr_query_facet_t *fc = imr_query_facet(q, k);
        if (fc->negated)
            return 0;
        for (size_t j = 0; j < k; j++)
            if (strcmp(imr_query_facet(q, j)->field, fc->field) == 0 &&
                strcmp(imr_query_facet(q, j)->value, fc->value) != 0)
                return 0;
        if (strcmp(fc->field, "type") != 0)
            imr__buf_printf(text, " %s:%s", fc->field, fc->value);
    }
    return 1;
}

static imr_status_t search(imr_db_t *db, const imr_search_opts_t *opts, int totals,
                           imr_results_t **out, imr_error_t *err);

/*
 * Sets r->related (imr_results_related()) when opts asks for it and r's matches are all on
 * its page and fewer than opts->limit: the search of kind_query() with opts's filters, less
 * the items that are matches.
 */
static imr_status_t related_items(imr_db_t *db, const imr_search_opts_t *opts, imr_results_t *r,
                                  imr_error_t *err)
{
    if (!opts->related || !opts->limit || opts->offset || opts->by_letter || !r->query ||
        r->n == 0 || r->total_items != r->n || r->n >= opts->limit)
        return IMR_OK;
    imr__buf_t text = {0};
    if (!kind_query(r, &text) || text.oom) {
        int oom = text.oom;
        free(text.p);
        return oom ? imr_error_set(err, IMR_ERR_NOMEM, "out of memory") : IMR_OK;
    }
    imr_search_opts_t o = *opts;
    o.query = text.p;
    o.related = 0;
    o.literal = 0;
    size_t room = opts->limit - r->n < IMR_RELATED_MAX ? opts->limit - r->n : IMR_RELATED_MAX;
    o.limit = r->n + room; /* enough for `room` after leaving out the matches */
    imr_results_t *k = NULL;
    imr_status_t st = search(db, &o, 0, &k, err); /* its totals are not shown */
    free(text.p);
    if (st != IMR_OK)
        return st;
    r->work += k->work;
    /* Leave out the matches, keep `room` of the others, numbered after the matches. */
    int64_t *match = malloc(r->n * sizeof *match);
    if (!match) {
        imr_results_free(k);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n; i++)
        match[i] = r->hits[i].item_id;
    qsort(match, r->n, sizeof *match, cmp_ref);
    size_t kept = 0;
    for (size_t i = 0; i < k->n && kept < room; i++) {
        if (bsearch(&k->hits[i].item_id, match, r->n, sizeof *match, cmp_ref))
            continue;
        k->hits[kept] = k->hits[i];
        k->hits[kept].rank = r->n + kept + 1;
        k->hits[kept].related = 1;
        kept++;
    }
    free(match);
    k->n = kept;
    if (kept)
        r->related = k;
    else
        imr_results_free(k);
    return IMR_OK;
}

/* imr_search(); without `totals`, as rank_all() says. */
static imr_status_t search(imr_db_t *db, const imr_search_opts_t *opts, int totals,
                           imr_results_t **out, imr_error_t *err)
{
    imr__filter_t f;
    imr_results_t *r = NULL;
    imr__collector_t c = {0};
    imr__match_t *page = NULL;
    size_t n_page = 0, *letter_rank = NULL;
    display_stmts_t s = {0};
    sqlite3 *sql = imr_db_sqlite(db);
    int tokens = opts->snippet_tokens > 0 ? opts->snippet_tokens : IMR_SNIPPET_TOKENS;
    if (tokens > 64)
        tokens = 64;

    *out = NULL;
    imr_status_t st = imr__filter_compile(
        db, opts, (totals ? IMR__JOIN_LISTING : IMR__JOIN_NEEDED) | IMR__ITEM_OPTIONAL, &f, err);
    if (st == IMR_OK && !(r = calloc(1, sizeof *r)))
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (st == IMR_OK)
        st = rank_all(db, opts, &f, totals, r, &c, err);
    if (st == IMR_OK && totals)
        st = imr__filter_undated(db, &f, &r->undated, err);
    if (st == IMR_OK)
        st = cut_page(opts, &c, &page, &letter_rank, &n_page, err);
    if (st == IMR_OK && n_page && !(r->hits = calloc(n_page, sizeof *r->hits)))
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (st == IMR_OK && n_page) {
        int rc = sqlite3_prepare_v2(sql, row_sql_listing, -1, &s.row, NULL);
        if (rc == SQLITE_OK && f.match)
            rc = sqlite3_prepare_v2(sql, row_sql_query, -1, &s.row_query, NULL);
        if (rc == SQLITE_OK && f.has_query) {
            st = imr__functions_register(db, err);
            if (st == IMR_OK && f.match)
                rc = sqlite3_prepare_v2(sql,
                                        "SELECT imr_snippet(" IMR_TABLE_ITEM_FTS
                                        ", ?3) FROM " IMR_TABLE_ITEM_FTS
                                        " WHERE " IMR_TABLE_ITEM_FTS " MATCH ?1 AND rowid = ?2",
                                        -1, &s.snippet, NULL);
            s.letter_match = f.match ? NULL : f.match_letter;
            if (st == IMR_OK && rc == SQLITE_OK && s.letter_match)
                rc = sqlite3_prepare_v2(sql,
                                        "SELECT imr_snippet(" IMR_TABLE_LETTER_FTS
                                        ", ?3) FROM " IMR_TABLE_LETTER_FTS
                                        " WHERE " IMR_TABLE_LETTER_FTS " MATCH ?1 AND rowid = ?2",
                                        -1, &s.letter_snip, NULL);
        }
        if (st == IMR_OK && rc != SQLITE_OK)
            st = imr_db_fail(db, rc, "preparing the display of hits", err);
    }
    char **raw = NULL; /* the page's snippets made in one pass, when it is long */
    if (st == IMR_OK && f.match && n_page > SNIPPET_PASS_MIN) {
        if (!(raw = calloc(n_page, sizeof *raw)))
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        else
            st = snippets_in_one_pass(db, f.match, tokens, page, n_page, raw, &r->work, err);
    }
    for (size_t i = 0; st == IMR_OK && i < n_page; i++) {
        imr_hit_t *h = &r->hits[i];
        h->item_id = page[i].item_id;
        h->letter_id = page[i].letter_id;
        h->score = f.has_query ? -page[i].key : 0.0;
        if (opts->by_letter) {
            h->letter_rank = letter_rank[i];
            h->rank = letter_rank[i];
            h->first_of_letter = i == 0 || letter_rank[i] != letter_rank[i - 1];
        } else {
            h->rank = opts->offset + i + 1;
        }
        st = fill_hit(db, &f, &s, tokens, raw ? raw[i] : NULL, r, h, err);
        r->n = i + 1;
    }
    for (size_t i = 0; raw && i < n_page; i++)
        free(raw[i]);
    free(raw);
    sqlite3_stmt *const display[] = {s.row, s.row_query, s.snippet, s.letter_snip};
    for (size_t i = 0; i < sizeof display / sizeof display[0]; i++) {
        if (r && display[i])
            r->work += (uint64_t)sqlite3_stmt_status(display[i], SQLITE_STMTSTATUS_VM_STEP, 0);
        sqlite3_finalize(display[i]);
    }
    if (r && st == IMR_OK) { /* the results keep the query as read */
        r->query = f.query;
        f.query = NULL;
    }
    imr__filter_clear(&f);
    if (st == IMR_OK)
        st = related_items(db, opts, r, err);
    imr__collector_free(&c);
    free(page);
    free(letter_rank);
    if (st != IMR_OK) {
        imr_results_free(r);
        return st;
    }
    *out = r;
    return IMR_OK;
}

imr_status_t imr_search(imr_db_t *db, const imr_search_opts_t *opts, imr_results_t **out,
                        imr_error_t *err)
{
    return search(db, opts, 1, out, err);
}
