/*
 * show.c - one whole letter, with the words of a query marked.
 *
 * Design. Marking must agree with matching: a word is marked when the imr tokenizer, the one
 * the index was built with, turns it into the same token as a word of the query's positive
 * terms (imr_query_term()). So "cryotherapies" in the letter is marked for the query
 * "cryotherapy", ligatures and accents fold alike, and a prefix term ("cryo*") marks every
 * word whose token starts with the prefix's token. A phrase ("cold therapy", also from an
 * abbreviation's expansion) is marked only where its words stand together, as one mark from
 * its first word to its last. The tokenizer reports byte offsets into the original text, so
 * the marks land around the words as written.
 */
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "search_private.h"

#define MARK_MAX_PHRASE 16 /* longest phrase matched as a phrase; longer ones by their end */
#define MARK_MAX_TOKEN  64 /* longest token compared */

/* One query term: a phrase of tokens; the last is a prefix for a prefix term. */
typedef struct term {
    char tok[MARK_MAX_PHRASE][MARK_MAX_TOKEN];
    int len[MARK_MAX_PHRASE];
    int n;
    int prefix;
} term_t;

/* The tokens of the query's terms. */
typedef struct term_set {
    term_t *term; /* n terms, owned */
    size_t n;
} term_set_t;

static int collect_term(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    term_t *t = ctx;
    (void)start;
    (void)end;
    if (n <= 0 || (flags & FTS5_TOKEN_COLOCATED))
        return SQLITE_OK;
    if (t->n == MARK_MAX_PHRASE) { /* keep the last words */
        memmove(t->tok[0], t->tok[1], sizeof t->tok[0] * (MARK_MAX_PHRASE - 1));
        memmove(t->len, t->len + 1, sizeof t->len[0] * (MARK_MAX_PHRASE - 1));
        t->n--;
    }
    int k = n < MARK_MAX_TOKEN ? n : MARK_MAX_TOKEN;
    memcpy(t->tok[t->n], tok, (size_t)k);
    t->len[t->n] = n;
    t->n++;
    return SQLITE_OK;
}

/* A token of the letter, as recently seen. */
typedef struct seen_token {
    char tok[MARK_MAX_TOKEN];
    int len, start, end;
} seen_token_t;

/* Marking state while tokenizing the letter. */
typedef struct marker {
    const term_set_t *terms;
    const char *text;
    imr__buf_t *out;
    int done; /* bytes of text already copied to out */
    size_t n_marks;
    seen_token_t recent[MARK_MAX_PHRASE]; /* ring of the last tokens */
    size_t n_seen;                        /* tokens seen so far */
} marker_t;

static int same_token(const seen_token_t *s, const term_t *t, int i, int as_prefix)
{
    int tl = t->len[i];
    if (tl > MARK_MAX_TOKEN || s->len > MARK_MAX_TOKEN)
        return 0;
    if (as_prefix)
        return s->len >= tl && memcmp(s->tok, t->tok[i], (size_t)tl) == 0;
    return s->len == tl && memcmp(s->tok, t->tok[i], (size_t)tl) == 0;
}

static int mark_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    marker_t *m = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    seen_token_t *s = &m->recent[m->n_seen % MARK_MAX_PHRASE];
    s->len = n;
    memcpy(s->tok, tok, (size_t)(n < MARK_MAX_TOKEN ? n : MARK_MAX_TOKEN));
    s->start = start;
    s->end = end;
    m->n_seen++;

    int from = -1;
    for (size_t i = 0; i < m->terms->n; i++) {
        const term_t *t = &m->terms->term[i];
        if (t->n == 0 || (size_t)t->n > m->n_seen)
            continue;
        int ok = 1;
        for (int k = 0; ok && k < t->n; k++) {
            const seen_token_t *p =
                &m->recent[(m->n_seen - (size_t)t->n + (size_t)k) % MARK_MAX_PHRASE];
            ok = same_token(p, t, k, t->prefix && k == t->n - 1);
        }
        if (ok) {
            int first = m->recent[(m->n_seen - (size_t)t->n) % MARK_MAX_PHRASE].start;
            if (from < 0 || first < from)
                from = first;
        }
    }
    if (from < 0)
        return SQLITE_OK;
    if (from < m->done)
        from = start >= m->done ? start : -1;
    if (from < 0)
        return SQLITE_OK;
    imr__buf_add(m->out, m->text + m->done, (size_t)(from - m->done));
    imr__buf_add(m->out, IMR_MARK_OPEN_STR, 1);
    imr__buf_add(m->out, m->text + from, (size_t)(end - from));
    imr__buf_add(m->out, IMR_MARK_CLOSE_STR, 1);
    m->done = end;
    m->n_marks++;
    return m->out->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/*
 * Writes text (len bytes) into out with the words of query's terms marked; *n_marks counts
 * them.
 */
static imr_status_t mark_text(imr_db_t *db, const imr_query_t *query, const char *text, size_t len,
                              imr__buf_t *out, size_t *n_marks, imr_error_t *err)
{
    fts5_api *api = NULL;
    fts5_tokenizer tk;
    Fts5Tokenizer *inst = NULL;
    void *ud = NULL;
    term_set_t ts = {NULL, 0};
    imr_status_t st = imr__search_fts5_api(db, &api, err);
    int rc = SQLITE_OK;

    *n_marks = 0;
    if (st != IMR_OK)
        return st;
    rc = api->xFindTokenizer(api, "imr", &ud, &tk);
    if (rc == SQLITE_OK)
        rc = tk.xCreate(ud, NULL, 0, &inst);
    size_t n_terms = imr_query_n_terms(query);
    if (rc == SQLITE_OK && n_terms && !(ts.term = calloc(n_terms, sizeof *ts.term)))
        rc = SQLITE_NOMEM;
    for (size_t i = 0; rc == SQLITE_OK && i < n_terms; i++) {
        const char *term = imr_query_term(query, i);
        size_t tl = strlen(term);
        term_t *t = &ts.term[ts.n++];
        t->prefix = tl > 0 && term[tl - 1] == '*';
        rc = tk.xTokenize(inst, t, t->prefix ? FTS5_TOKENIZE_PREFIX : FTS5_TOKENIZE_QUERY, term,
                          (int)(t->prefix ? tl - 1 : tl), collect_term);
    }
    if (rc == SQLITE_OK && ts.n > 0) {
        marker_t *m = calloc(1, sizeof *m);
        if (!m) {
            rc = SQLITE_NOMEM;
        } else {
            m->terms = &ts;
            m->text = text;
            m->out = out;
            rc = tk.xTokenize(inst, m, FTS5_TOKENIZE_DOCUMENT, text, (int)len, mark_token);
            if (rc == SQLITE_OK)
                imr__buf_add(out, text + m->done, len - (size_t)m->done);
            *n_marks = m->n_marks;
            free(m);
        }
    } else if (rc == SQLITE_OK) {
        imr__buf_add(out, text, len);
    }
    if (inst)
        tk.xDelete(inst);
    free(ts.term);
    if (rc == SQLITE_NOMEM || out->oom)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (rc != SQLITE_OK)
        return imr_error_set(err, IMR_ERR_INTERNAL, "tokenizing the letter: %s",
                             sqlite3_errstr(rc));
    return IMR_OK;
}

/* A view and the strings it owns. */
typedef struct view {
    imr_letter_view_t pub;
    imr__pool_t owned;
} view_t;

void imr_letter_view_free(imr_letter_view_t *v)
{
    if (!v)
        return;
    view_t *w = (view_t *)v;
    imr__pool_free(&w->owned);
    free(v->items);
    free((size_t *)v->pages);
    free(w);
}

int imr__page_of(const char *pages, long off)
{
    int page = 0;
    for (const char *p = pages; p && *p;) {
        char *end;
        long start = strtol(p, &end, 10);
        if (end == p || start > off)
            break;
        page++;
        p = end;
    }
    return page;
}

/*
 * Sets v->pages from a letter's page starts (`pages`, "0 2861 5940", offsets into the text
 * before marking) as offsets into v->text, which has a mark byte inserted before and after
 * each marked word. Returns 0 when memory runs out.
 */
static int view_pages(imr_letter_view_t *v, const char *pages)
{
    size_t n = 0, *at = NULL;
    for (const char *p = pages; p && *p; n++) {
        char *end;
        strtol(p, &end, 10);
        if (end == p)
            break;
        p = end;
    }
    if (n && !(at = malloc(n * sizeof *at)))
        return 0;
    const char *p = pages, *t = v->text;
    size_t raw = 0; /* bytes of unmarked text before t */
    for (size_t k = 0; k < n; k++) {
        char *end;
        size_t start = (size_t)strtoul(p, &end, 10);
        p = end;
        for (; *t && raw < start; t++)
            raw += *t != IMR_MARK_OPEN && *t != IMR_MARK_CLOSE;
        at[k] = (size_t)(t - v->text); /* before a mark that opens the page's first word */
    }
    v->pages = at;
    v->n_pages = n;
    return 1;
}


/*
 * Finds the letter id of `id`: exact name, unique name prefix, then case number or path.
 * *found is 0 when nothing matches.
 */
static imr_status_t find_letter(imr_db_t *db, const char *id, int64_t *letter, int *found,
                                imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    sqlite3_stmt *st = NULL;
    int rc;
    *found = 0;

    rc = sqlite3_prepare_v2(sql, "SELECT id FROM " IMR_TABLE_LETTER " WHERE name = ?1", -1, &st,
                            NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *letter = sqlite3_column_int64(st, 0);
        *found = 1;
    }
    sqlite3_finalize(st);
    if (*found)
        return IMR_OK;
    if (rc != SQLITE_DONE)
        return imr_db_fail(db, rc, "finding the letter", err);

    /* A unique prefix, by a range over the name index. */
    size_t n = strlen(id);
    char *hi = malloc(n + 1);
    if (!hi)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    memcpy(hi, id, n + 1);
    while (n > 0 && (unsigned char)hi[n - 1] == 0xff)
        hi[--n] = '\0';
    if (n == 0) {
        free(hi);
        return IMR_OK;
    }
    hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
    rc = sqlite3_prepare_v2(sql,
                            "SELECT id, name FROM " IMR_TABLE_LETTER
                            " WHERE name >= ?1 AND name < ?2 ORDER BY name LIMIT 4",
                            -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    imr__buf_t names = {0};
    int k = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (k++ == 0)
            *letter = sqlite3_column_int64(st, 0);
        imr__buf_printf(&names, "%s%s", k > 1 ? ", " : "",
                        k < 4 ? (const char *)sqlite3_column_text(st, 1) : "...");
    }
    sqlite3_finalize(st);
    free(hi);
    imr_status_t status = IMR_OK;
    if (rc != SQLITE_DONE)
        status = imr_db_fail(db, rc, "finding the letter", err);
    else if (names.oom)
        status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    else if (k > 1)
        status = imr_error_set(err, IMR_ERR_ARG, "letter \"%s\" is ambiguous: %s", id, names.p);
    free(names.p);
    if (status != IMR_OK || k == 1) {
        *found = k == 1;
        return status;
    }

    rc = sqlite3_prepare_v2(sql,
                            "SELECT id FROM " IMR_TABLE_LETTER
                            " WHERE case_number = ?1 OR path = ?1 ORDER BY name LIMIT 1",
                            -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *letter = sqlite3_column_int64(st, 0);
        *found = 1;
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return imr_db_fail(db, rc, "finding the letter", err);
    return IMR_OK;
}

imr_status_t imr_letter_show(imr_db_t *db, const char *id, const char *query,
                             imr_letter_view_t **out, imr_error_t *err)
{
    sqlite3 *sql = imr_db_sqlite(db);
    sqlite3_stmt *st = NULL;
    imr_query_t *q = NULL;
    view_t *w = NULL;
    int64_t letter = 0;
    int found = 0, rc;
    imr_status_t status;
    char *raw = NULL;   /* the letter's text, owned here */
    size_t raw_len = 0; /* its bytes */

    *out = NULL;
    status = imr_query_parse(query ? query : "", &q, err);
    if (status == IMR_OK)
        status = imr_query_correct(db, &q, err);
    if (status == IMR_OK)
        status = find_letter(db, id, &letter, &found, err);
    if (status != IMR_OK || !found) {
        imr_query_free(q);
        return status;
    }
    if (!(w = calloc(1, sizeof *w))) {
        imr_query_free(q);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    imr_letter_view_t *v = &w->pub;
    v->id = letter;
    rc = sqlite3_prepare_v2(
        sql,
        "SELECT name, path, case_number, injury_date, ur_denial_date,"
        " decision_date, specialty, layout, parse, problem, text, kind, pages, year, year_source,"
        " specialties"
        " FROM " IMR_TABLE_LETTER
        " WHERE id = ?1",
        -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 1, letter);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        v->name = imr__pool_column(&w->owned, st, 0);
        v->path = imr__pool_column(&w->owned, st, 1);
        v->case_number = imr__pool_column(&w->owned, st, 2);
        v->injury_date = imr__pool_column(&w->owned, st, 3);
        v->ur_denial_date = imr__pool_column(&w->owned, st, 4);
        v->decision_date = imr__pool_column(&w->owned, st, 5);
        v->specialty = imr__pool_column(&w->owned, st, 6);
        v->specialties = imr__pool_column(&w->owned, st, 15);
        v->layout = sqlite3_column_int(st, 7);
        v->parse = imr__pool_column(&w->owned, st, 8);
        v->problem = imr__pool_column(&w->owned, st, 9);
        v->kind = imr__pool_column(&w->owned, st, 11);
        v->year = imr__pool_column(&w->owned, st, 13);
        v->year_source = imr__pool_column(&w->owned, st, 14);
        const char *text = (const char *)sqlite3_column_text(st, 10);
        raw_len = text ? (size_t)sqlite3_column_bytes(st, 10) : 0;
        /* A copy of the letter's text, from which every item's text is cut below. */
        if (!(raw = malloc(raw_len + 1)))
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        else {
            if (raw_len)
                memcpy(raw, text, raw_len);
            raw[raw_len] = '\0';
        }
        imr__buf_t b = {0};
        if (status == IMR_OK)
            status = mark_text(db, q, raw, raw_len, &b, &v->n_marks, err);
        if (status == IMR_OK && !b.p)
            imr__buf_add(&b, "", 0);
        v->text = status == IMR_OK ? imr__pool_keep(&w->owned, b.p) : (free(b.p), NULL);
        if (status == IMR_OK &&
            (!v->name || !v->path || !v->case_number || !v->injury_date || !v->ur_denial_date ||
             !v->decision_date || !v->specialty || !v->specialties || !v->parse || !v->problem ||
             !v->text || !v->kind || !v->year || !v->year_source ||
             !view_pages(v, (const char *)sqlite3_column_text(st, 12))))
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    } else if (rc == SQLITE_OK || rc == SQLITE_DONE) {
        rc = SQLITE_CORRUPT;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (status == IMR_OK && rc != SQLITE_OK)
        status = imr_db_fail(db, rc, "reading the letter", err);

    if (status == IMR_OK) {
        rc = sqlite3_prepare_v2(
            sql,
            "SELECT i.ord, i.decision, i.item_type, i.body_region,"
            " i.sources,"
            " i.text_off, i.text_len, i.citation, " IMR_SQL_TRUNCATED("l") " FROM " IMR_TABLE_ITEM
            " i JOIN " IMR_TABLE_LETTER " l ON l.id = i.letter_id"
            " WHERE " IMR_SQL_ITEMS_OF("i.id", "?1") " ORDER BY i.id",
            -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 1, letter);
        size_t cap = 0;
        while (status == IMR_OK && rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            rc = SQLITE_OK;
            if (v->n_items == cap) {
                size_t ncap = cap ? cap * 2 : 4;
                imr_view_item_t *p = realloc(v->items, ncap * sizeof *p);
                if (!p) {
                    status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
                    break;
                }
                v->items = p;
                cap = ncap;
            }
            imr_view_item_t *it = &v->items[v->n_items++];
            it->number = sqlite3_column_int(st, 0);
            it->decision = imr__pool_column(&w->owned, st, 1);
            it->item_type = imr__pool_column(&w->owned, st, 2);
            it->body_region = imr__pool_column(&w->owned, st, 3);
            it->sources = (unsigned)sqlite3_column_int(st, 4);
            it->citation = imr__pool_column(&w->owned, st, 7);
            it->partial = sqlite3_column_int(st, 8);
            /* The item's text, cut out of the copy: reading it with substr() for every item
             * would read the whole letter once per item. */
            sqlite3_int64 off = sqlite3_column_int64(st, 5), len = sqlite3_column_int64(st, 6);
            if (off < 0 || len < 0 || (sqlite3_uint64)off + (sqlite3_uint64)len > raw_len) {
                rc = SQLITE_CORRUPT;
                break;
            }
            imr__buf_t b = {0};
            imr__buf_add_display(&b, raw + off, (size_t)len);
            it->text = b.oom ? (free(b.p), NULL) : imr__pool_keep(&w->owned, b.p);
            if (!it->decision || !it->item_type || !it->body_region || !it->text || !it->citation)
                status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
        sqlite3_finalize(st);
        if (status == IMR_OK && rc != SQLITE_DONE)
            status = imr_db_fail(db, rc, "reading the letter's items", err);
    }
    imr_query_free(q);
    free(raw);
    if (status != IMR_OK) {
        imr_letter_view_free(v);
        return status;
    }
    *out = v;
    return IMR_OK;
}
