/*
 * print.h - imrsearch's output formats behind one interface.
 *
 * The printers are part of the imrsearch program, not of libimr (which never prints). Text
 * has its own layout (print_text.c); json, jsonl and csv are the walks of print_walk.c over a
 * structure printer (sprinter.h). main.c picks a printer by name and calls it; the web server
 * calls the walks directly. A printer writes only to the FILE it is given and knows nothing of
 * SQL. A function a format does not support is NULL.
 *
 * Marks: the library's IMR_MARK_OPEN/IMR_MARK_CLOSE around matched words become ANSI bold
 * colour when ctx->color is set, else the plain markers "[" and "]" (in every format).
 */
#ifndef IMR_PRINT_H
#define IMR_PRINT_H

#include <stdio.h>

#include "imr.h"
#include "sprinter.h"

/* What every printer is told besides the data. */
typedef struct imr_print_ctx {
    FILE *out;           /* where to write */
    int color;           /* 1: ANSI colour and bold marks (text format on a terminal) */
    int width;           /* terminal width for wrapping, 0: no wrapping */
    const char *query;   /* the query as typed ("" when none) */
    const char *filters; /* a short description of the filters ("" when none) */
    double elapsed_ms;   /* time taken; negative: do not print it */
    size_t offset;       /* the --offset asked for */
    int by_letter;       /* hits are grouped per letter */
    const imr_query_t *reading; /* the query as read (imr_query.h); NULL when there is none */
} imr_print_ctx_t;

typedef struct imr_printer {
    const char *name; /* the --format value */
    void (*results)(const imr_print_ctx_t *c, const imr_results_t *r);
    void (*facets)(const imr_print_ctx_t *c, const imr_facets_t *f);
    void (*stats)(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f);
    void (*letter)(const imr_print_ctx_t *c, const imr_letter_view_t *v);
    void (*explain)(const imr_print_ctx_t *c); /* --explain: the reading of c->reading */
    int related; /* prints the items of the matches' kind (imr_results_related()); an export
                    format (csv, ids) does not */
} imr_printer_t;

extern const imr_printer_t imr__printer_text;
extern const imr_printer_t imr__printer_json;
extern const imr_printer_t imr__printer_jsonl;
extern const imr_printer_t imr__printer_csv;
extern const imr_printer_t imr__printer_ids;

/*
 * The walks: each describes one thing through sp. imr__walk_results, imr__walk_facets,
 * imr__walk_stats and imr__walk_letter walk a whole document (a map, then a separator);
 * imr__walk_hit and imr__walk_table one object; imr__walk_hit_rows a list of hit records (a
 * table of their own for csv, its header even without rows); imr__walk_table_rows the flat
 * records of a table into a list the caller opens: facet,value,count,overturn_rate for one
 * facet; for a cross table its wide form, one record a row (the row's value under "X by Y",
 * a count per column value, total, overturn_rate) and no totals record, so that every line
 * of the CSV is a row of data. A table without rows walks one keys-only record (the header)
 * when sp writes headers.
 */
void imr__walk_hit(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_hit_t *h);
void imr__walk_results(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_results_t *r);
void imr__walk_hit_rows(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_results_t *r);
void imr__walk_table(imr_sprinter_t *sp, const imr_facet_table_t *t);
void imr__walk_table_rows(imr_sprinter_t *sp, const imr_facet_table_t *t);
/*
 * After the flat records of table t (NULL: of no table) of f, the record that counts the
 * letters f left out (imr_facets_left_out()), when there are any: `letters,` IMR__LEFT_OUT_VALUE
 * `,N,` in the long form; for a cross table "letters " IMR__LEFT_OUT_VALUE as its row value,
 * empty column cells and N as the total.
 */
#define IMR__LEFT_OUT_VALUE "left out (no item read)"
void imr__walk_left_out_row(imr_sprinter_t *sp, const imr_facets_t *f,
                            const imr_facet_table_t *t);
void imr__walk_facets(imr_sprinter_t *sp, const imr_print_ctx_t *c, const imr_facets_t *f);
void imr__walk_stats(imr_sprinter_t *sp, const imr_stats_t *s, const imr_facets_t *f);
void imr__walk_letter(imr_sprinter_t *sp, const imr_letter_view_t *v);

/*
 * The "interpretation" object of a query's reading (docs/query-syntax.md): the text searched,
 * the facets read from the words and how each acts, what is excluded, and the FTS5
 * expressions. Writes null for NULL.
 */
void imr__walk_reading(imr_sprinter_t *sp, const imr_query_t *q);

/*
 * The reading as one line for people: "cryotherapy · decision overturned · region shoulder"
 * into buf (cap bytes); returns 0 when it says nothing the query as typed does not (no facet
 * word, no operator read), else 1.
 */
int imr__reading_line(const imr_query_t *q, char *buf, size_t cap);

/*
 * The overturn rate of row r of t: its overturned items over its decided ones (upheld +
 * overturned), in percent rounded to a tenth (the half up), into *rate; r == t->n_rows stands
 * for the totals. Returns 0, *rate untouched, when the row has no decided item or when t's
 * rows are the decisions themselves. Every format and the web report show it.
 */
int imr__overturn_rate(const imr_facet_table_t *t, size_t r, double *rate);

/* The printer called name, or NULL. */
const imr_printer_t *imr__printer_find(const char *name);

#endif
