/*
 * print.h - imrsearch's output formats behind one interface (after notmuch's sprinter.h).
 *
 * Each format is one file (print_text.c, print_json.c, print_csv.c) that fills an
 * imr_printer_t; imrsearch's main.c picks one by name and calls it. A printer writes only to
 * the FILE it is given and knows nothing of SQL. A function a format does not support is NULL.
 *
 * Marks: the library's IMR_MARK_OPEN/IMR_MARK_CLOSE around matched words become ANSI bold
 * colour when ctx->color is set, else the plain markers "[" and "]" (in every format).
 */
#ifndef IMR_PRINT_H
#define IMR_PRINT_H

#include <stdio.h>

#include "imr.h"

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
} imr_print_ctx_t;

typedef struct imr_printer {
    const char *name; /* the --format value */
    void (*results)(const imr_print_ctx_t *c, const imr_results_t *r);
    void (*facets)(const imr_print_ctx_t *c, const imr_facets_t *f);
    void (*stats)(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f);
    void (*letter)(const imr_print_ctx_t *c, const imr_letter_view_t *v);
} imr_printer_t;

extern const imr_printer_t imr__printer_text;
extern const imr_printer_t imr__printer_json;
extern const imr_printer_t imr__printer_jsonl;
extern const imr_printer_t imr__printer_csv;
extern const imr_printer_t imr__printer_ids;

/* The printer called name, or NULL. */
const imr_printer_t *imr__printer_find(const char *name);

/* Writes s to out with marks turned into the plain markers "[" and "]". */
void imr__print_plain_marks(FILE *out, const char *s);

/* Writes "mtus, acoem"-style source lists: slugs of bits joined by sep; "none" when empty. */
void imr__print_sources(FILE *out, unsigned sources, const char *sep);

#endif
