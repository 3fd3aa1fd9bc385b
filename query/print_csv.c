/*
 * print_csv.c - the csv format, per RFC 4180: a header row, CRLF line ends, a field quoted
 * when it holds a comma, a quote or a line break, quotes doubled. Marks become "[" and "]".
 *
 * Hits: one row per hit. Facets: a one-facet table is rows of facet,value,count (items); a
 * cross table is wide (one column per value of the second facet, then total), for
 * spreadsheets, after a blank line. Stats: the totals as letters,... and items,all rows first.
 */
#include <string.h>

#include "print.h"

static void csv_field(FILE *o, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', o);
    for (; *s; s++) {
        if (*s == IMR_MARK_OPEN)
            fputc('[', o);
        else if (*s == IMR_MARK_CLOSE)
            fputc(']', o);
        else if (*s == '"')
            fputs("\"\"", o);
        else
            fputc(*s, o);
    }
    if (quote)
        fputc('"', o);
}

static void csv_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    FILE *o = c->out;
    fputs("rank,letter,path,case_number,decision_date,item_number,item,decision,item_type,"
          "body_region,guideline_source,score,matched_in,snippet\r\n",
          o);
    for (size_t i = 0; i < imr_results_count(r); i++) {
        const imr_hit_t *h = imr_results_hit(r, i);
        fprintf(o, "%zu,", h->rank);
        csv_field(o, h->letter);
        fputc(',', o);
        csv_field(o, h->path);
        fputc(',', o);
        csv_field(o, h->case_number);
        fputc(',', o);
        csv_field(o, h->decision_date);
        fprintf(o, ",%d,", h->item_number);
        csv_field(o, h->item);
        fprintf(o, ",%s,%s,%s,", h->decision, h->item_type, h->body_region);
        imr__print_sources(o, h->sources, ";");
        fprintf(o, ",%.6g,%s,", h->score, h->in_letter ? "letter" : "item");
        csv_field(o, h->snippet);
        fputs("\r\n", o);
    }
}

/* Writes the tables of f; `header` is 1 when the facet,value,count header is already out. */
static void csv_tables(FILE *o, const imr_facets_t *f, int header)
{
    for (size_t i = 0; i < imr_facets_count(f); i++) {
        const imr_facet_table_t *t = imr_facets_table(f, i);
        if (t->dim[1])
            continue;
        if (!header++)
            fputs("facet,value,count\r\n", o);
        for (size_t r = 0; r < t->n_rows; r++) {
            fprintf(o, "%s,", t->dim[0]);
            csv_field(o, t->row_value[r]);
            fprintf(o, ",%llu\r\n", (unsigned long long)t->row_total[r]);
        }
    }
    for (size_t i = 0; i < imr_facets_count(f); i++) {
        const imr_facet_table_t *t = imr_facets_table(f, i);
        if (!t->dim[1])
            continue;
        if (header++)
            fputs("\r\n", o);
        fprintf(o, "%s by %s", t->dim[0], t->dim[1]);
        for (size_t j = 0; j < t->n_cols; j++) {
            fputc(',', o);
            csv_field(o, t->col_value[j]);
        }
        fputs(",total\r\n", o);
        for (size_t r = 0; r < t->n_rows; r++) {
            csv_field(o, t->row_value[r]);
            for (size_t j = 0; j < t->n_cols; j++)
                fprintf(o, ",%llu", (unsigned long long)t->count[r * t->n_cols + j]);
            fprintf(o, ",%llu\r\n", (unsigned long long)t->row_total[r]);
        }
        fputs("total", o);
        for (size_t j = 0; j < t->n_cols; j++)
            fprintf(o, ",%llu", (unsigned long long)t->col_total[j]);
        fprintf(o, ",%llu\r\n", (unsigned long long)t->total);
    }
}

static void csv_facets(const imr_print_ctx_t *c, const imr_facets_t *f)
{
    csv_tables(c->out, f, 0);
}

static void csv_stats(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f)
{
    FILE *o = c->out;
    fprintf(o,
            "facet,value,count\r\nletters,all,%llu\r\nletters,complete,%llu\r\n"
            "letters,partial,%llu\r\nletters,unparsed,%llu\r\n",
            (unsigned long long)s->letters, (unsigned long long)s->complete,
            (unsigned long long)s->partial, (unsigned long long)s->unparsed);
    for (int l = 0; l <= 3; l++)
        fprintf(o, "letters,layout %d,%llu\r\n", l, (unsigned long long)s->layout[l]);
    fprintf(o, "items,all,%llu\r\n", (unsigned long long)s->items);
    csv_tables(o, f, 1);
}

const imr_printer_t imr__printer_csv = {"csv", csv_results, csv_facets, csv_stats, NULL};
