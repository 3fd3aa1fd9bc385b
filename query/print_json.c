/*
 * print_json.c - the json format (one document) and jsonl (one hit a line).
 *
 * Strings are escaped per RFC 8259: quote, backslash and every control character (\uXXXX for
 * those without a short form); the library's marks become the plain markers "[" and "]".
 * Text from the database is valid UTF-8 and is written as is.
 */
#include <string.h>

#include "print.h"

static void json_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == IMR_MARK_OPEN)
            fputc('[', o);
        else if (ch == IMR_MARK_CLOSE)
            fputc(']', o);
        else if (ch == '"')
            fputs("\\\"", o);
        else if (ch == '\\')
            fputs("\\\\", o);
        else if (ch == '\n')
            fputs("\\n", o);
        else if (ch == '\r')
            fputs("\\r", o);
        else if (ch == '\t')
            fputs("\\t", o);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(o, "\\u%04x", ch);
        else
            fputc(ch, o);
    }
    fputc('"', o);
}

static void json_sources(FILE *o, unsigned sources)
{
    int n = 0;
    fputc('[', o);
    for (unsigned b = 0; b < IMR_N_SOURCES; b++)
        if (sources & (1u << b)) {
            fputs(n++ ? ", " : "", o);
            json_str(o, imr_source_slug(1u << b));
        }
    fputc(']', o);
}

static void json_hit(const imr_print_ctx_t *c, const imr_hit_t *h)
{
    FILE *o = c->out;
    fprintf(o, "{\"rank\": %zu, ", h->rank);
    if (c->by_letter)
        fprintf(o, "\"letter_rank\": %zu, ", h->letter_rank);
    fputs("\"letter\": ", o);
    json_str(o, h->letter);
    fputs(", \"path\": ", o);
    json_str(o, h->path);
    fputs(", \"case_number\": ", o);
    json_str(o, h->case_number);
    fputs(", \"decision_date\": ", o);
    json_str(o, h->decision_date);
    fprintf(o, ", \"item_number\": %d, \"item\": ", h->item_number);
    json_str(o, h->item);
    fputs(", \"decision\": ", o);
    json_str(o, h->decision);
    fputs(", \"item_type\": ", o);
    json_str(o, h->item_type);
    fputs(", \"body_region\": ", o);
    json_str(o, h->body_region);
    fputs(", \"guideline_source\": ", o);
    json_sources(o, h->sources);
    fprintf(o, ", \"score\": %.6g, \"matched_in\": \"%s\", \"snippet\": ", h->score,
            h->in_letter ? "letter" : "item");
    json_str(o, h->snippet);
    fputs("}", o);
}

static void json_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    FILE *o = c->out;
    fputs("{\"query\": ", o);
    json_str(o, c->query);
    fprintf(o,
            ", \"total_items\": %llu, \"total_letters\": %llu, \"in_letter_items\": %llu,"
            " \"offset\": %zu, \"hits\": [",
            (unsigned long long)imr_results_total_items(r),
            (unsigned long long)imr_results_total_letters(r),
            (unsigned long long)imr_results_in_letter_items(r), c->offset);
    for (size_t i = 0; i < imr_results_count(r); i++) {
        fputs(i ? ",\n  " : "\n  ", o);
        json_hit(c, imr_results_hit(r, i));
    }
    fputs(imr_results_count(r) ? "\n]}\n" : "]}\n", o);
}

static void jsonl_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    for (size_t i = 0; i < imr_results_count(r); i++) {
        json_hit(c, imr_results_hit(r, i));
        fputc('\n', c->out);
    }
}

static void json_table(FILE *o, const imr_facet_table_t *t)
{
    fputs("{\"rows\": ", o);
    json_str(o, t->dim[0]);
    if (t->dim[1]) {
        fputs(", \"columns\": ", o);
        json_str(o, t->dim[1]);
    }
    fputs(", \"values\": [", o);
    for (size_t i = 0; i < t->n_rows; i++) {
        fputs(i ? ",\n    " : "\n    ", o);
        fputs("{\"value\": ", o);
        json_str(o, t->row_value[i]);
        fprintf(o, ", \"items\": %llu", (unsigned long long)t->row_total[i]);
        if (t->dim[1]) {
            fputs(", \"by\": {", o);
            for (size_t j = 0; j < t->n_cols; j++) {
                fputs(j ? ", " : "", o);
                json_str(o, t->col_value[j]);
                fprintf(o, ": %llu", (unsigned long long)t->count[i * t->n_cols + j]);
            }
            fputc('}', o);
        }
        fputc('}', o);
    }
    fputs("]", o);
    if (t->dim[1]) {
        fputs(", \"column_totals\": {", o);
        for (size_t j = 0; j < t->n_cols; j++) {
            fputs(j ? ", " : "", o);
            json_str(o, t->col_value[j]);
            fprintf(o, ": %llu", (unsigned long long)t->col_total[j]);
        }
        fputc('}', o);
    }
    fprintf(o, ", \"total\": %llu}", (unsigned long long)t->total);
}

static void json_tables(FILE *o, const imr_facets_t *f)
{
    fputs("\"tables\": [", o);
    for (size_t i = 0; i < imr_facets_count(f); i++) {
        fputs(i ? ",\n  " : "\n  ", o);
        json_table(o, imr_facets_table(f, i));
    }
    fputs(imr_facets_count(f) ? "\n]" : "]", o);
}

static void json_facets(const imr_print_ctx_t *c, const imr_facets_t *f)
{
    FILE *o = c->out;
    fputs("{\"query\": ", o);
    json_str(o, c->query);
    fprintf(o, ", \"total_items\": %llu, \"total_letters\": %llu, ",
            (unsigned long long)imr_facets_total_items(f),
            (unsigned long long)imr_facets_total_letters(f));
    json_tables(o, f);
    fputs("}\n", o);
}

static void json_stats(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f)
{
    FILE *o = c->out;
    fprintf(o,
            "{\"letters\": %llu, \"items\": %llu, \"complete\": %llu, \"partial\": %llu, "
            "\"unparsed\": %llu, \"layouts\": {\"0\": %llu, \"1\": %llu, \"2\": %llu, \"3\": "
            "%llu}, ",
            (unsigned long long)s->letters, (unsigned long long)s->items,
            (unsigned long long)s->complete, (unsigned long long)s->partial,
            (unsigned long long)s->unparsed, (unsigned long long)s->layout[0],
            (unsigned long long)s->layout[1], (unsigned long long)s->layout[2],
            (unsigned long long)s->layout[3]);
    json_tables(o, f);
    fputs("}\n", o);
}

static void json_letter(const imr_print_ctx_t *c, const imr_letter_view_t *v)
{
    FILE *o = c->out;
    fputs("{\"letter\": ", o);
    json_str(o, v->name);
    fputs(", \"path\": ", o);
    json_str(o, v->path);
    fputs(", \"case_number\": ", o);
    json_str(o, v->case_number);
    fputs(", \"decision_date\": ", o);
    json_str(o, v->decision_date);
    fputs(", \"injury_date\": ", o);
    json_str(o, v->injury_date);
    fputs(", \"ur_denial_date\": ", o);
    json_str(o, v->ur_denial_date);
    fputs(", \"specialty\": ", o);
    json_str(o, v->specialty);
    fprintf(o, ", \"layout\": %d, \"parse\": ", v->layout);
    json_str(o, v->parse);
    fputs(", \"problem\": ", o);
    json_str(o, v->problem);
    fputs(", \"items\": [", o);
    for (size_t i = 0; i < v->n_items; i++) {
        const imr_view_item_t *it = &v->items[i];
        fprintf(o, "%s{\"item_number\": %d, \"item\": ", i ? ", " : "", it->number);
        json_str(o, it->text);
        fputs(", \"decision\": ", o);
        json_str(o, it->decision);
        fputs(", \"item_type\": ", o);
        json_str(o, it->item_type);
        fputs(", \"body_region\": ", o);
        json_str(o, it->body_region);
        fputs(", \"guideline_source\": ", o);
        json_sources(o, it->sources);
        fputc('}', o);
    }
    fprintf(o, "], \"marks\": %zu, \"text\": ", v->n_marks);
    json_str(o, v->text);
    fputs("}\n", o);
}

const imr_printer_t imr__printer_json = {"json", json_results, json_facets, json_stats,
                                         json_letter};
const imr_printer_t imr__printer_jsonl = {"jsonl", jsonl_results, json_facets, json_stats,
                                          json_letter};
