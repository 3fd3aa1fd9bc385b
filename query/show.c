/*
 * show.c - one whole letter, with the words of a query marked.
 *
 * Design. Marking must agree with matching: a word is marked when the imr tokenizer, the one
 * the index was built with, turns it into the same token as a word of the query's positive
 * terms (imr_query_term()). So "cryotherapies" in the letter is marked for the query
 * "cryotherapy", ligatures and accents fold alike, and a prefix term ("cryo*") marks every
 * word whose token starts with the prefix's token. The tokenizer reports byte offsets into the
 * original text, so the marks land around the words as written.
 */
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "search_private.h"

/* The tokens of the query's terms. */
typedef struct term_set {
    char **tok;     /* n tokens, owned */
    int *prefix;    /* 1 when tok[i] is a prefix */
    size_t n, cap;
    int adding_prefix;
    int oom;
} term_set_t;

static int collect_term(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    term_set_t *ts = ctx;
    (void)flags;
    (void)start;
    (void)end;
    if (n <= 0)
        return SQLITE_OK;
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 16;
        char **t = realloc(ts->tok, cap * sizeof *t);
        if (!t)
            return SQLITE_NOMEM;
        ts->tok = t;
        int *p = realloc(ts->prefix, cap * sizeof *p);
        if (!p)
            return SQLITE_NOMEM;
        ts->prefix = p;
        ts->cap = cap;
    }
    char *copy = malloc((size_t)n + 1);
    if (!copy)
        return SQLITE_NOMEM;
    memcpy(copy, tok, (size_t)n);
    copy[n] = '\0';
    ts->tok[ts->n] = copy;
    ts->prefix[ts->n] = ts->adding_prefix;
    ts->n++;
    return SQLITE_OK;
}

/* Marking state while tokenizing the letter. */
typedef struct marker {
    const term_set_t *terms;
    const char *text;
    imr__buf_t *out;
    int done;           /* bytes of text already copied to out */
    size_t n_marks;
} marker_t;

static int mark_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    marker_t *m = ctx;
    if ((flags & FTS5_TOKEN_COLOCATED) || start < m->done)
        return SQLITE_OK;
    int hit = 0;
    for (size_t i = 0; i < m->terms->n && !hit; i++) {
        const char *t = m->terms->tok[i];
        size_t tl = strlen(t);
        if (m->terms->prefix[i])
            hit = (size_t)n >= tl && memcmp(tok, t, tl) == 0;
        else
            hit = (size_t)n == tl && memcmp(tok, t, tl) == 0;
    }
    if (!hit)
        return SQLITE_OK;
    imr__buf_add(m->out, m->text + m->done, (size_t)(start - m->done));
    imr__buf_add(m->out, IMR_MARK_OPEN_STR, 1);
    imr__buf_add(m->out, m->text + start, (size_t)(end - start));
    imr__buf_add(m->out, IMR_MARK_CLOSE_STR, 1);
    m->done = end;
    m->n_marks++;
    return m->out->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/*
 * Writes text (len bytes) into out with the words of query's terms marked; *n_marks counts
 * them.
 */
static imr_status_t mark_text(imr_db_t *db, const imr_query_t *query, const char *text,
                              size_t len, imr__buf_t *out, size_t *n_marks, imr_error_t *err)
{
    fts5_api *api = NULL;
    fts5_tokenizer tk;
    Fts5Tokenizer *inst = NULL;
    void *ud = NULL;
    term_set_t ts = {0};
    imr_status_t st = imr__fts5_api(db, &api, err);
    int rc = SQLITE_OK;

    *n_marks = 0;
    if (st != IMR_OK)
        return st;
    rc = api->xFindTokenizer(api, "imr", &ud, &tk);
    if (rc == SQLITE_OK)
        rc = tk.xCreate(ud, NULL, 0, &inst);
    for (size_t i = 0; rc == SQLITE_OK && i < imr_query_n_terms(query); i++) {
        const char *term = imr_query_term(query, i);
        size_t tl = strlen(term);
        int prefix = tl > 0 && term[tl - 1] == '*';
        ts.adding_prefix = prefix;
        rc = tk.xTokenize(inst, &ts, prefix ? FTS5_TOKENIZE_PREFIX : FTS5_TOKENIZE_QUERY, term,
                          (int)(prefix ? tl - 1 : tl), collect_term);
    }
    if (rc == SQLITE_OK && ts.n > 0) {
        marker_t m = {&ts, text, out, 0, 0};
        rc = tk.xTokenize(inst, &m, FTS5_TOKENIZE_DOCUMENT, text, (int)len, mark_token);
        if (rc == SQLITE_OK)
            imr__buf_add(out, text + m.done, len - (size_t)m.done);
        *n_marks = m.n_marks;
    } else if (rc == SQLITE_OK) {
        imr__buf_add(out, text, len);
    }
    if (inst)
        tk.xDelete(inst);
    for (size_t i = 0; i < ts.n; i++)
        free(ts.tok[i]);
    free(ts.tok);
    free(ts.prefix);
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
    char **owned;
    size_t n_owned, cap_owned;
} view_t;

void imr_letter_view_free(imr_letter_view_t *v)
{
    if (!v)
        return;
    view_t *w = (view_t *)v;
    for (size_t i = 0; i < w->n_owned; i++)
        free(w->owned[i]);
    free(w->owned);
    free(v->items);
    free(w);
}

static const char *keep(view_t *w, char *s)
{
    if (!s)
        return NULL;
    if (w->n_owned == w->cap_owned) {
        size_t cap = w->cap_owned ? w->cap_owned * 2 : 32;
        char **p = realloc(w->owned, cap * sizeof *p);
        if (!p) {
            free(s);
            return NULL;
        }
        w->owned = p;
        w->cap_owned = cap;
    }
    w->owned[w->n_owned++] = s;
    return s;
}

static const char *keep_column(view_t *w, sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return keep(w, strdup(s ? s : ""));
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

    *out = NULL;
    status = imr_query_parse(query ? query : "", &q, err);
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
    rc = sqlite3_prepare_v2(sql,
                            "SELECT name, path, case_number, injury_date, ur_denial_date,"
                            " decision_date, specialty, layout, parse, problem, text FROM "
                            IMR_TABLE_LETTER " WHERE id = ?1",
                            -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 1, letter);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        v->name = keep_column(w, st, 0);
        v->path = keep_column(w, st, 1);
        v->case_number = keep_column(w, st, 2);
        v->injury_date = keep_column(w, st, 3);
        v->ur_denial_date = keep_column(w, st, 4);
        v->decision_date = keep_column(w, st, 5);
        v->specialty = keep_column(w, st, 6);
        v->layout = sqlite3_column_int(st, 7);
        v->parse = keep_column(w, st, 8);
        v->problem = keep_column(w, st, 9);
        const char *text = (const char *)sqlite3_column_text(st, 10);
        imr__buf_t b = {0};
        status = mark_text(db, q, text ? text : "", text ? (size_t)sqlite3_column_bytes(st, 10) : 0,
                           &b, &v->n_marks, err);
        if (status == IMR_OK && !b.p)
            imr__buf_add(&b, "", 0);
        v->text = status == IMR_OK ? keep(w, b.p) : (free(b.p), NULL);
        if (status == IMR_OK && (!v->name || !v->path || !v->case_number || !v->injury_date ||
                                 !v->ur_denial_date || !v->decision_date || !v->specialty ||
                                 !v->parse || !v->problem || !v->text))
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
            " (SELECT group_concat(s.source) FROM " IMR_TABLE_ITEM_SOURCE " s"
            " WHERE s.item_id = i.id AND s.party = '" IMR_PARTY_MAXIMUS "'),"
            " CAST(substr(CAST(l.text AS BLOB), i.text_off + 1, i.text_len) AS TEXT)"
            " FROM " IMR_TABLE_ITEM " i JOIN " IMR_TABLE_LETTER " l ON l.id = i.letter_id"
            " WHERE i.letter_id = ?1 ORDER BY i.ord",
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
            it->decision = keep_column(w, st, 1);
            it->item_type = keep_column(w, st, 2);
            it->body_region = keep_column(w, st, 3);
            it->sources = imr__source_bits((const char *)sqlite3_column_text(st, 4));
            const char *t = (const char *)sqlite3_column_text(st, 5);
            imr__buf_t b = {0};
            imr__buf_add_display(&b, t ? t : "", t ? (size_t)sqlite3_column_bytes(st, 5) : 0);
            it->text = b.oom ? (free(b.p), NULL) : keep(w, b.p);
            if (!it->decision || !it->item_type || !it->body_region || !it->text)
                status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        }
        sqlite3_finalize(st);
        if (status == IMR_OK && rc != SQLITE_DONE)
            status = imr_db_fail(db, rc, "reading the letter's items", err);
    }
    imr_query_free(q);
    if (status != IMR_OK) {
        imr_letter_view_free(v);
        return status;
    }
    *out = v;
    return IMR_OK;
}
