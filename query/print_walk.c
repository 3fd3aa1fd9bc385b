/*
 * print_walk.c - the structured formats: each thing imrsearch prints is walked once here, as
 * maps, lists and scalars, through a structure printer (sprinter.h), and the json, jsonl and
 * csv printers are those walks over the json or csv sprinter.
 *
 * A hit, a letter and a facet table as a JSON object are walked by one function each; a new
 * field is one line in that function and appears in every format (and in the web server's
 * /api/search and /export.csv, which call the same walks). A facet table has a second,
 * flat walk (imr__walk_table_rows) for tabular output: CSV wants rows of cells where JSON
 * wants nested objects.
 */
#include <stdio.h>
#include <string.h>

#include "print.h"
#include "sprinter.h"

/* "key": "value" in a map. */
static void str(imr_sprinter_t *sp, const char *key, const char *value)
{
    sp->key(sp, key);
    sp->string(sp, value);
}

static void num(imr_sprinter_t *sp, const char *key, long long value)
{
    sp->key(sp, key);
    sp->integer(sp, value);
}

/* A guideline source set as a list of slugs. */
static void sources(imr_sprinter_t *sp, const char *key, unsigned bits)
{
    sp->key(sp, key);
    sp->begin_list(sp);
    for (unsigned b = 0; b < IMR_N_SOURCES; b++)
        if (bits & (1u << b))
            sp->string(sp, imr_source_slug(1u << b));
    sp->end(sp);
}

void imr__walk_hit(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_hit_t *h)
{
    sp->begin_map(sp);
    num(sp, "rank", (long long)h->rank);
    if (c->by_letter)
        num(sp, "letter_rank", (long long)h->letter_rank);
    str(sp, "letter", h->letter);
    str(sp, "path", h->path);
    str(sp, "case_number", h->case_number);
    str(sp, "decision_date", h->decision_date);
    str(sp, "year", h->year);
    str(sp, "year_source", h->year_source);
    num(sp, "item_number", h->item_number);
    str(sp, "item", h->item);
    str(sp, "decision", h->decision);
    str(sp, "item_type", h->item_type);
    str(sp, "body_region", h->body_region);
    sources(sp, "guideline_source", h->sources);
    str(sp, "citation", h->citation);
    sp->key(sp, "partial");
    sp->boolean(sp, h->partial);
    sp->key(sp, "score");
    sp->number(sp, h->score);
    str(sp, "matched_in", h->in_letter ? "letter" : h->related ? "related" : "item");
    str(sp, "snippet", h->snippet);
    /* The page the snippet starts on; null for a letter without pages. */
    sp->key(sp, "page");
    if (h->page)
        sp->integer(sp, h->page);
    else
        sp->null(sp);
    sp->end(sp);
}

/* A string value, or null for NULL. */
static void str_or_null(imr_sprinter_t *sp, const char *key, const char *value)
{
    sp->key(sp, key);
    if (value)
        sp->string(sp, value);
    else
        sp->null(sp);
}

void imr__walk_reading(imr_sprinter_t *sp, const imr_query_t *q)
{
    if (!q) {
        sp->null(sp);
        return;
    }
    sp->begin_map(sp);
    str(sp, "text", imr_query_text(q));
    sp->key(sp, "facets");
    sp->begin_list(sp);
    for (size_t i = 0; i < imr_query_n_facets(q); i++) {
        const imr_query_facet_t *f = imr_query_facet(q, i);
        sp->begin_map(sp);
        str(sp, "field", f->field);
        str(sp, "value", f->value);
        str(sp, "written", f->written);
        /* A filter, as the option; the item's facet or the words in its own text; or, typed as
           an exclusion, what the item must not have. */
        str(sp, "acts_as", f->negated ? "exclusion" : f->soft ? "facet or text" : "filter");
        sp->end(sp);
    }
    sp->end(sp);
    sp->key(sp, "corrections");
    sp->begin_list(sp);
    const char *typed, *searched;
    for (size_t i = 0; imr_query_correction(q, i, &typed, &searched); i++) {
        sp->begin_map(sp);
        str(sp, "typed", typed);
        str(sp, "searched", searched);
        sp->end(sp);
    }
    sp->end(sp);
    sp->key(sp, "dropped");
    sp->begin_list(sp);
    for (size_t i = 0; i < imr_query_n_dropped(q); i++)
        sp->string(sp, imr_query_dropped(q, i));
    sp->end(sp);
    str_or_null(sp, "excluded", imr_query_fts5_exclude(q));
    str_or_null(sp, "fts5_item", imr_query_fts5(q));
    str_or_null(sp, "fts5_letter", imr_query_fts5_letter(q));
    sp->end(sp);
}

int imr__reading_line(const imr_query_t *q, char *buf, size_t cap)
{
    size_t n = 0;
    int says = 0;
    buf[0] = '\0';
    if (!q)
        return 0;
    const char *text = imr_query_text(q);
    if (*text)
        n += (size_t)snprintf(buf, cap, "%s", text);
    for (size_t i = 0; i < imr_query_n_facets(q); i++) {
        const imr_query_facet_t *f = imr_query_facet(q, i);
        size_t same = 0; /* "lumbar ... l4-l5" reads region lumbar twice: say it once */
        while (same < i && !(strcmp(imr_query_facet(q, same)->field, f->field) == 0 &&
                             strcmp(imr_query_facet(q, same)->value, f->value) == 0 &&
                             imr_query_facet(q, same)->negated == f->negated))
            same++;
        if (same < i)
            continue;
        n += (size_t)snprintf(buf + (n < cap ? n : cap), n < cap ? cap - n : 0, "%s%s%s %s",
                              n ? " \xc2\xb7 " : "", f->negated ? "not " : "", f->field,
                              f->value);
        says = 1;
    }
    const char *typed, *searched;
    for (size_t i = 0; imr_query_correction(q, i, &typed, &searched); i++) {
        n += (size_t)snprintf(buf + (n < cap ? n : cap), n < cap ? cap - n : 0,
                              "%sspelling %s \xe2\x86\x92 %s", n ? " \xc2\xb7 " : "", typed,
                              searched);
        says = 1;
    }
    for (size_t i = 0; i < imr_query_n_dropped(q); i++) {
        n += (size_t)snprintf(buf + (n < cap ? n : cap), n < cap ? cap - n : 0, "%s%s",
                              i ? ", " : n ? " \xc2\xb7 left out (no matching item has every word): "
                                        : "left out (no matching item has every word): ",
                              imr_query_dropped(q, i));
        says = 1;
    }
    /* An operator read from a lower-case `or` or `not` shows in the text as OR or NOT. */
    for (const char *p = text; *p && !says; p++)
        says = (strncmp(p, "OR ", 3) == 0 || strncmp(p, "NOT ", 4) == 0) && (p == text || p[-1] == ' ');
    return says;
}

void imr__walk_results(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_results_t *r)
{
    size_t n = imr_results_count(r);
    sp->begin_map(sp);
    str(sp, "query", c->query);
    sp->key(sp, "interpretation");
    imr__walk_reading(sp, c->reading);
    num(sp, "total_items", (long long)imr_results_total_items(r));
    num(sp, "total_letters", (long long)imr_results_total_letters(r));
    num(sp, "undated_left_out", (long long)imr_results_undated_letters(r));
    num(sp, "offset", (long long)c->offset);
    sp->key(sp, "hits");
    sp->begin_list(sp);
    for (size_t i = 0; i < n; i++) {
        sp->separator(sp);
        imr__walk_hit(sp, c, imr_results_hit(r, i));
    }
    if (n)
        sp->separator(sp);
    sp->end(sp);
    /* Items of the matches' kind (imr_results_related()), and that kind as a reading line. */
    char kind[512];
    imr__reading_line(imr_results_related_query(r), kind, sizeof kind);
    str_or_null(sp, "related_kind", imr_results_n_related(r) ? kind : NULL);
    sp->key(sp, "related");
    sp->begin_list(sp);
    for (size_t i = 0; i < imr_results_n_related(r); i++) {
        sp->separator(sp);
        imr__walk_hit(sp, c, imr_results_related(r, i));
    }
    if (imr_results_n_related(r))
        sp->separator(sp);
    sp->end(sp);
    sp->end(sp);
    sp->separator(sp);
}

void imr__walk_hit_rows(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_results_t *r)
{
    static const imr_hit_t blank;
    sp->begin_list(sp);
    for (size_t i = 0; i < imr_results_count(r); i++)
        imr__walk_hit(sp, c, imr_results_hit(r, i));
    if (imr_results_count(r) == 0 && imr__sprinter_keys_only(sp))
        imr__walk_hit(sp, c, &blank);
    sp->end(sp);
}

/* A map from the columns' values to the numbers of one row (or of the column totals). */
static void by_column(imr_sprinter_t *sp, const char *key, const imr_facet_table_t *t,
                      const uint64_t *counts)
{
    sp->key(sp, key);
    sp->begin_map(sp);
    for (size_t j = 0; j < t->n_cols; j++)
        num(sp, t->col_value[j], (long long)counts[j]);
    sp->end(sp);
}

int imr__overturn_rate(const imr_facet_table_t *t, size_t r, double *rate)
{
    if (strcmp(t->dim[0], "decision") == 0 || r > t->n_rows)
        return 0;
    uint64_t upheld = r == t->n_rows ? t->upheld : t->row_upheld[r];
    uint64_t overturned = r == t->n_rows ? t->overturned : t->row_overturned[r];
    if (upheld + overturned == 0)
        return 0;
    /* Tenths of a percent, the half rounded up, in integers: every format prints the same. */
    uint64_t decided = upheld + overturned;
    *rate = (double)((1000 * overturned + decided / 2) / decided) / 10.0;
    return 1;
}

/*
 * "key": the overturn rate of row r of t (r == t->n_rows: the totals) in percent, to a
 * tenth as every format shows it, or null when there is none (imr__overturn_rate).
 */
static void rate(imr_sprinter_t *sp, const char *key, const imr_facet_table_t *t, size_t r)
{
    double pct;
    sp->key(sp, key);
    if (t && imr__overturn_rate(t, r, &pct))
        sp->number(sp, pct);
    else
        sp->null(sp);
}

void imr__walk_table(imr_sprinter_t *sp, const imr_facet_table_t *t)
{
    sp->begin_map(sp);
    str(sp, "rows", t->dim[0]);
    if (t->dim[1])
        str(sp, "columns", t->dim[1]);
    sp->key(sp, "values");
    sp->begin_list(sp);
    for (size_t i = 0; i < t->n_rows; i++) {
        sp->separator(sp);
        sp->begin_map(sp);
        str(sp, "value", t->row_value[i]);
        num(sp, "items", (long long)t->row_total[i]);
        if (t->dim[1])
            by_column(sp, "by", t, t->count + i * t->n_cols);
        rate(sp, "overturn_rate", t, i);
        sp->end(sp);
    }
    sp->end(sp);
    if (t->dim[1])
        by_column(sp, "column_totals", t, t->col_total);
    num(sp, "total", (long long)t->total);
    rate(sp, "overturn_rate", t, t->n_rows);
    sp->end(sp);
}

/* One record of a cross table's wide form: the row's name, a count per column, its total. */
static void wide_row(imr_sprinter_t *sp, const char *head, const imr_facet_table_t *t, size_t r)
{
    sp->begin_map(sp);
    str(sp, head, t->row_value[r]);
    for (size_t j = 0; j < t->n_cols; j++)
        num(sp, t->col_value[j], (long long)t->count[r * t->n_cols + j]);
    num(sp, "total", (long long)t->row_total[r]);
    rate(sp, "overturn_rate", t, r);
    sp->end(sp);
}

/*
 * One record of the long form: row r of one-facet table t, or (t NULL) a database total of
 * the stats, whose overturn rate is empty.
 */
static void facet_row(imr_sprinter_t *sp, const char *facet, const char *value, uint64_t n,
                      const imr_facet_table_t *t, size_t r)
{
    sp->begin_map(sp);
    str(sp, "facet", facet);
    str(sp, "value", value);
    num(sp, "count", (long long)n);
    rate(sp, "overturn_rate", t, r);
    sp->end(sp);
}

void imr__walk_table_rows(imr_sprinter_t *sp, const imr_facet_table_t *t)
{
    if (!t->dim[1]) {
        for (size_t i = 0; i < t->n_rows; i++)
            facet_row(sp, t->dim[0], t->row_value[i], t->row_total[i], t, i);
        if (t->n_rows == 0 && imr__sprinter_keys_only(sp))
            facet_row(sp, t->dim[0], "", 0, NULL, 0);
        return;
    }
    char head[80];
    snprintf(head, sizeof head, "%s by %s", t->dim[0], t->dim[1]);
    for (size_t i = 0; i < t->n_rows; i++)
        wide_row(sp, head, t, i);
    if (t->n_rows == 0 && imr__sprinter_keys_only(sp)) {
        static const uint64_t zero;
        imr_facet_table_t blank = *t;
        blank.n_cols = 0;
        blank.row_value = (const char *[]){""};
        blank.row_total = blank.row_upheld = blank.row_overturned = &zero;
        wide_row(sp, head, &blank, 0);
    }
}

void imr__walk_left_out_row(imr_sprinter_t *sp, const imr_facets_t *f,
                            const imr_facet_table_t *t)
{
    uint64_t left = imr_facets_left_out(f);
    if (!left)
        return;
    if (!t || !t->dim[1]) {
        facet_row(sp, "letters", IMR__LEFT_OUT_VALUE, left, NULL, 0);
        return;
    }
    char head[80];
    snprintf(head, sizeof head, "%s by %s", t->dim[0], t->dim[1]);
    sp->begin_map(sp);
    str(sp, head, "letters " IMR__LEFT_OUT_VALUE);
    for (size_t j = 0; j < t->n_cols; j++) {
        sp->key(sp, t->col_value[j]);
        sp->null(sp);
    }
    num(sp, "total", (long long)left);
    sp->key(sp, "overturn_rate");
    sp->null(sp);
    sp->end(sp);
}

/* "tables": [...] of a facets or stats object. */
static void tables(imr_sprinter_t *sp, const imr_facets_t *f)
{
    size_t n = imr_facets_count(f);
    sp->key(sp, "tables");
    sp->begin_list(sp);
    for (size_t i = 0; i < n; i++) {
        sp->separator(sp);
        imr__walk_table(sp, imr_facets_table(f, i));
    }
    if (n)
        sp->separator(sp);
    sp->end(sp);
}

void imr__walk_facets(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_facets_t *f)
{
    sp->begin_map(sp);
    str(sp, "query", c->query);
    sp->key(sp, "interpretation");
    imr__walk_reading(sp, c->reading);
    num(sp, "total_items", (long long)imr_facets_total_items(f));
    num(sp, "total_letters", (long long)imr_facets_total_letters(f));
    num(sp, "undated_left_out", (long long)imr_facets_undated_letters(f));
    num(sp, "left_out_letters", (long long)imr_facets_left_out(f));
    tables(sp, f);
    sp->end(sp);
    sp->separator(sp);
}

void imr__walk_stats(imr_sprinter_t *sp, const imr_stats_t *s, const imr_facets_t *f)
{
    static const char *const layouts[] = {"0", "1", "2", "3"};
    sp->begin_map(sp);
    num(sp, "letters", (long long)s->letters);
    num(sp, "items", (long long)s->items);
    num(sp, "complete", (long long)s->complete);
    num(sp, "partial", (long long)s->partial);
    num(sp, "unparsed", (long long)s->unparsed);
    sp->key(sp, "layouts");
    sp->begin_map(sp);
    for (int l = 0; l <= 3; l++)
        num(sp, layouts[l], (long long)s->layout[l]);
    sp->end(sp);
    num(sp, "left_out_letters", (long long)imr_facets_left_out(f));
    tables(sp, f);
    sp->end(sp);
    sp->separator(sp);
}

void imr__walk_letter(imr_sprinter_t *sp, const imr_letter_view_t *v)
{
    sp->begin_map(sp);
    str(sp, "letter", v->name);
    str(sp, "path", v->path);
    str(sp, "case_number", v->case_number);
    str(sp, "decision_date", v->decision_date);
    str(sp, "year", v->year);
    str(sp, "year_source", v->year_source);
    str(sp, "injury_date", v->injury_date);
    str(sp, "ur_denial_date", v->ur_denial_date);
    str(sp, "specialty", v->specialty);
    sp->key(sp, "specialties"); /* the slugs, a list */
    sp->begin_list(sp);
    for (const char *p = v->specialties; *p;) {
        size_t k = strcspn(p, ",");
        char slug[64];
        snprintf(slug, sizeof slug, "%.*s", (int)k, p);
        sp->string(sp, slug);
        p += k + (p[k] == ',');
    }
    sp->end(sp);
    num(sp, "layout", v->layout);
    str(sp, "parse", v->parse);
    str(sp, "problem", v->problem);
    str(sp, "kind", v->kind);
    num(sp, "pages", (long long)v->n_pages);
    sp->key(sp, "items");
    sp->begin_list(sp);
    for (size_t i = 0; i < v->n_items; i++) {
        const imr_view_item_t *it = &v->items[i];
        sp->begin_map(sp);
        num(sp, "item_number", it->number);
        str(sp, "item", it->text);
        str(sp, "decision", it->decision);
        str(sp, "item_type", it->item_type);
        str(sp, "body_region", it->body_region);
        sources(sp, "guideline_source", it->sources);
        str(sp, "citation", it->citation);
        sp->key(sp, "partial");
        sp->boolean(sp, it->partial);
        sp->end(sp);
    }
    sp->end(sp);
    num(sp, "marks", (long long)v->n_marks);
    str(sp, "text", v->text);
    sp->end(sp);
    sp->separator(sp);
}

/* ---- The json, jsonl and csv printers ------------------------------------------------- */

static void json_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, c->out);
    imr__walk_results(&sp, c, r);
}

static void jsonl_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, c->out);
    for (size_t i = 0; i < imr_results_count(r); i++) {
        imr__walk_hit(&sp, c, imr_results_hit(r, i));
        sp.separator(&sp);
    }
    for (size_t i = 0; i < imr_results_n_related(r); i++) {
        imr__walk_hit(&sp, c, imr_results_related(r, i));
        sp.separator(&sp);
    }
}

static void json_facets(const imr_print_ctx_t *c, const imr_facets_t *f)
{
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, c->out);
    imr__walk_facets(&sp, c, f);
}

static void json_stats(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f)
{
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, c->out);
    imr__walk_stats(&sp, s, f);
}

static void json_letter(const imr_print_ctx_t *c, const imr_letter_view_t *v)
{
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, c->out);
    imr__walk_letter(&sp, v);
}

static void json_explain(const imr_print_ctx_t *c)
{
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, c->out);
    sp.begin_map(&sp);
    str(&sp, "query", c->query);
    sp.key(&sp, "interpretation");
    imr__walk_reading(&sp, c->reading);
    str(&sp, "filters", c->filters);
    sp.end(&sp);
    sp.separator(&sp);
}

const imr_printer_t imr__printer_json = {"json", json_results, json_facets, json_stats,
                                         json_letter, json_explain, 1};
const imr_printer_t imr__printer_jsonl = {"jsonl", jsonl_results, json_facets, json_stats,
                                          json_letter, json_explain, 1};

static void csv_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    imr_sprinter_t sp;
    imr__sprinter_csv_init(&sp, c->out);
    imr__walk_hit_rows(&sp, c, r);
}

/*
 * The tables of f as one CSV table: the one-facet tables one after the other in the long
 * form (facet,value,count,overturn_rate), in the list already open when `open` is 1; or f's
 * one cross table in its wide form (main.c refuses a cross table beside anything else); then
 * the record of the letters left out, if any.
 */
static void csv_tables(imr_sprinter_t *sp, const imr_facets_t *f, int open)
{
    if (!open)
        sp->begin_list(sp);
    const imr_facet_table_t *last = NULL;
    for (size_t i = 0; i < imr_facets_count(f); i++)
        imr__walk_table_rows(sp, last = imr_facets_table(f, i));
    imr__walk_left_out_row(sp, f, last);
    sp->end(sp);
}

static void csv_facets(const imr_print_ctx_t *c, const imr_facets_t *f)
{
    imr_sprinter_t sp;
    imr__sprinter_csv_init(&sp, c->out);
    csv_tables(&sp, f, 0);
}

static void csv_stats(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f)
{
    static const char *const layouts[] = {"layout 0", "layout 1", "layout 2", "layout 3"};
    imr_sprinter_t sp;
    imr__sprinter_csv_init(&sp, c->out);
    sp.begin_list(&sp);
    facet_row(&sp, "letters", "all", s->letters, NULL, 0);
    facet_row(&sp, "letters", "complete", s->complete, NULL, 0);
    facet_row(&sp, "letters", "partial", s->partial, NULL, 0);
    facet_row(&sp, "letters", "unparsed", s->unparsed, NULL, 0);
    for (int l = 0; l <= 3; l++)
        facet_row(&sp, "letters", layouts[l], s->layout[l], NULL, 0);
    facet_row(&sp, "items", "all", s->items, NULL, 0);
    csv_tables(&sp, f, 1);
}

const imr_printer_t imr__printer_csv = {"csv", csv_results, csv_facets, csv_stats, NULL,
                                        NULL, 0};
