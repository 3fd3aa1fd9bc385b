/*
 * print_text.c - the text format, imrsearch's front door, and the printer lookup.
 *
 * A header line says what matched and how long it took; then one compact block per hit:
 *
 *      1. 004_86369982a4019b49  CM13-0004017  2013-08-01  UPHELD
 *         Rental of a ThermoCool Hot and Cold Contrast Therapy Unit ...
 *         cold-heat-device · unspecified · odg · item 2 of the letter
 *         … ODG guidelines support the use of [continuous-flow] [cryotherapy] …
 *
 * On a terminal the decision is coloured (overturned green, upheld red, unknown dim) and the
 * matched words are bold yellow; elsewhere the decision is in capitals and the matched words
 * are in [brackets]. Text is wrapped at the terminal's width when there is one.
 */
#include <stdlib.h>
#include <string.h>

#include "imr_schema.h"
#include "print.h"

/* Shown beside an item of a letter that was cut off. */
#define PARTIAL_NOTE "PARTIAL: the letter is cut off"

/* Shown for the pseudo-item of a letter whose layout is unknown. */
#define NO_ITEM_TEXT "(no item found: the letter's layout is unknown; its whole text is searched)"

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD  "\033[1m"
#define ANSI_DIM   "\033[2m"
#define ANSI_MARK  "\033[1;33m"
#define ANSI_GREEN "\033[1;32m"
#define ANSI_RED   "\033[1;31m"

/* Writes a letter's name or path with its control bytes quoted (imr_quote_controls()). */
static void put_name(FILE *o, const char *name)
{
    char *q = imr_quote_controls(name);
    fputs(q ? q : "(out of memory)", o);
    free(q);
}

static const imr_printer_t *const printers[] = {&imr__printer_text,  &imr__printer_json,
                                                &imr__printer_jsonl, &imr__printer_csv,
                                                &imr__printer_ids,   NULL};

const imr_printer_t *imr__printer_find(const char *name)
{
    for (size_t i = 0; printers[i]; i++)
        if (strcmp(printers[i]->name, name) == 0)
            return printers[i];
    return NULL;
}

/* Writes "mtus, acoem"-style source lists: slugs of bits joined by sep; "none" when empty. */
static void write_sources(FILE *out, unsigned sources, const char *sep)
{
    int n = 0;
    for (unsigned b = 0; b < IMR_N_SOURCES; b++)
        if (sources & (1u << b))
            fprintf(out, "%s%s", n++ ? sep : "", imr_source_slug(1u << b));
    if (n == 0)
        fputs("none", out);
}

/* Display columns of one UTF-8 string up to n bytes, marks excluded. */
static int columns(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b != IMR_MARK_OPEN && b != IMR_MARK_CLOSE && (b & 0xc0) != 0x80)
            c++;
    }
    return c;
}

/*
 * Writes s at `indent` spaces, wrapped at c->width (0: one line), with marks rendered.
 * Ends with a newline.
 */
static void write_wrapped(const imr_print_ctx_t *c, int indent, const char *s)
{
    int avail = c->width > indent + 20 ? c->width - indent : 0;
    int col = 0, in_mark = 0;
    fprintf(c->out, "%*s", indent, "");
    while (*s) {
        size_t wl = strcspn(s, " ");
        int wc = columns(s, wl);
        if (avail && col > 0 && col + 1 + wc > avail) {
            if (in_mark && c->color)
                fputs(ANSI_RESET, c->out);
            fprintf(c->out, "\n%*s", indent, "");
            if (in_mark && c->color)
                fputs(ANSI_MARK, c->out);
            col = 0;
        } else if (col > 0) {
            fputc(' ', c->out);
            col++;
        }
        for (size_t i = 0; i < wl; i++) {
            char ch = s[i];
            if (ch == IMR_MARK_OPEN) {
                in_mark = 1;
                fputs(c->color ? ANSI_MARK : "[", c->out);
            } else if (ch == IMR_MARK_CLOSE) {
                in_mark = 0;
                fputs(c->color ? ANSI_RESET : "]", c->out);
            } else {
                fputc(ch, c->out);
            }
        }
        col += wc;
        s += wl;
        while (*s == ' ')
            s++;
    }
    if (in_mark && c->color)
        fputs(ANSI_RESET, c->out);
    fputc('\n', c->out);
}

static void write_decision(const imr_print_ctx_t *c, const char *decision)
{
    const char *colour = strcmp(decision, "overturned") == 0 ? ANSI_GREEN
                         : strcmp(decision, "upheld") == 0   ? ANSI_RED
                                                             : ANSI_DIM;
    if (c->color)
        fputs(colour, c->out);
    for (const char *p = decision; *p; p++)
        fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, c->out);
    if (c->color)
        fputs(ANSI_RESET, c->out);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/*
 * The header line: "412 items in 388 letters match "q" (23 ms)", then, when a date filter left
 * letters out for having no date (`undated` of them), a line that says so, and the reading.
 */
static void write_header(const imr_print_ctx_t *c, uint64_t items, uint64_t letters,
                         uint64_t undated, size_t shown_first, size_t shown_last,
                         const char *unit)
{
    FILE *o = c->out;
    if (items == 0)
        fputs("no items", o);
    else
        fprintf(o, "%llu %s in %llu %s", (unsigned long long)items, plural(items, "item", "items"),
                (unsigned long long)letters, plural(letters, "letter", "letters"));
    const char *verb = items == 1 ? "matches" : "match";
    /* The query in double quotes, or in single ones when it holds a double quote and no single
       one (match '"hot cold" unit', not match ""hot cold" unit"). */
    char qt = strchr(c->query, '"') && !strchr(c->query, '\'') ? '\'' : '"';
    if (*c->query && *c->filters)
        fprintf(o, " %s %c%s%c and %s", verb, qt, c->query, qt, c->filters);
    else if (*c->query)
        fprintf(o, " %s %c%s%c", verb, qt, c->query, qt);
    else if (*c->filters)
        fprintf(o, " %s %s", verb, c->filters);
    if (!unit)
        ;
    else if (items && shown_last >= shown_first &&
             (shown_first > 1 || shown_last < (size_t)(c->by_letter ? letters : items))) {
        if (shown_last == shown_first) /* "item 2 shown", not "items 2-2" */
            fprintf(o, "; %.*s %zu shown", (int)strlen(unit) - 1, unit, shown_first);
        else
            fprintf(o, "; %s %zu-%zu shown", unit, shown_first, shown_last);
    }
    else if (items && shown_last < shown_first)
        fprintf(o, "; none shown past %s %zu", unit, shown_first - 1);
    if (c->elapsed_ms >= 0)
        fprintf(o, " (%.0f ms)", c->elapsed_ms);
    fputc('\n', o);
    if (undated) {
        if (c->color)
            fputs(ANSI_DIM, o);
        fprintf(o, "left out: %llu %s with no date (no decision date, nothing else dated)",
                (unsigned long long)undated, plural(undated, "letter", "letters"));
        if (c->color)
            fputs(ANSI_RESET, o);
        fputc('\n', o);
    }
    char line[2048];
    if (imr__reading_line(c->reading, line, sizeof line)) {
        if (c->color)
            fputs(ANSI_DIM, o);
        fprintf(o, "read as: %s  (--literal or \"quotes\": words as text)", line);
        if (c->color)
            fputs(ANSI_RESET, o);
        fputc('\n', o);
    }
}

/* The guideline line of an item: "cites ODG, Shoulder Chapter, Continuous-flow cryotherapy". */
static void write_citation(const imr_print_ctx_t *c, int indent, const char *citation)
{
    fprintf(c->out, "%*s", indent, "");
    if (c->color)
        fputs(ANSI_DIM, c->out);
    fprintf(c->out, "cites %s", citation);
    if (c->color)
        fputs(ANSI_RESET, c->out);
    fputc('\n', c->out);
}

/* The facet line of a hit: "cold-heat-device · unspecified · odg", then its citation. */
static void write_meta(const imr_print_ctx_t *c, int indent, const imr_hit_t *h, int with_item)
{
    fprintf(c->out, "%*s", indent, "");
    if (c->color)
        fputs(ANSI_DIM, c->out);
    fprintf(c->out, "%s \xc2\xb7 %s \xc2\xb7 ", h->item_type, h->body_region);
    write_sources(c->out, h->sources, ", ");
    if (with_item)
        fprintf(c->out, " \xc2\xb7 item %d", h->item_number);
    if (h->in_letter)
        fputs(" \xc2\xb7 matched in the letter", c->out);
    if (h->partial)
        fputs(" \xc2\xb7 " PARTIAL_NOTE, c->out);
    if (c->color)
        fputs(ANSI_RESET, c->out);
    fputc('\n', c->out);
    if (*h->citation)
        write_citation(c, indent, h->citation);
}

/* One hit: its number, letter and decision, item text, facets and snippet. */
static void write_hit(const imr_print_ctx_t *c, const imr_hit_t *h)
{
    if (!c->by_letter || h->first_of_letter) {
        fputc('\n', c->out);
        if (c->color)
            fputs(ANSI_BOLD, c->out);
        fprintf(c->out, "%3zu. ", h->rank);
        put_name(c->out, h->letter);
        if (c->color)
            fputs(ANSI_RESET, c->out);
        if (*h->case_number)
            fprintf(c->out, "  %s", h->case_number);
        if (*h->decision_date)
            fprintf(c->out, "  %s", h->decision_date);
        else if (*h->year) /* placed in a year by what else it prints */
            fprintf(c->out, "  %s (%s)", h->year, h->year_source);
        if (!c->by_letter) {
            fputs("  ", c->out);
            write_decision(c, h->decision);
        }
        fputc('\n', c->out);
    }
    if (c->by_letter) {
        fprintf(c->out, "     item %d  ", h->item_number);
        write_decision(c, h->decision);
        fputc('\n', c->out);
        write_wrapped(c, 7, *h->item_marked ? h->item_marked : NO_ITEM_TEXT);
        write_meta(c, 7, h, 0);
        if (*h->snippet)
            write_wrapped(c, 7, h->snippet);
    } else {
        write_wrapped(c, 5, *h->item_marked ? h->item_marked : NO_ITEM_TEXT);
        write_meta(c, 5, h, 1);
        if (*h->snippet)
            write_wrapped(c, 5, h->snippet);
    }
}

static void text_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    size_t n = imr_results_count(r);
    const imr_hit_t *first = n ? imr_results_hit(r, 0) : NULL;
    const imr_hit_t *last = n ? imr_results_hit(r, n - 1) : NULL;
    size_t from = first ? (c->by_letter ? first->letter_rank : first->rank) : c->offset + 1;
    size_t to = last ? (c->by_letter ? last->letter_rank : last->rank) : c->offset;
    write_header(c, imr_results_total_items(r), imr_results_total_letters(r),
                 imr_results_undated_letters(r),
                 from, to,
                 c->by_letter ? "letters" : "items");
    for (size_t i = 0; i < n; i++)
        write_hit(c, imr_results_hit(r, i));
    size_t n_related = imr_results_n_related(r);
    if (n_related) {
        char kind[512];
        imr__reading_line(imr_results_related_query(r), kind, sizeof kind);
        fputc('\n', c->out);
        if (c->color)
            fputs(ANSI_DIM, c->out);
        fprintf(c->out, "  %zu more %s of the same kind, without every word (newest first; "
                "--no-related hides them):\n  %s\n", n_related,
                n_related == 1 ? "item" : "items", kind);
        if (c->color)
            fputs(ANSI_RESET, c->out);
        for (size_t i = 0; i < n_related; i++)
            write_hit(c, imr_results_related(r, i));
    }
}

/* The overturn rate column's cell of row r (the totals row when r == t->n_rows). */
static void rate_cell(FILE *o, const imr_facet_table_t *t, size_t r)
{
    double rate;
    if (imr__overturn_rate(t, r, &rate))
        fprintf(o, "  %12.1f%%", rate);
    else
        fprintf(o, "  %13s", "-");
}

/*
 * Aligned table: first column left-aligned, the others right-aligned; a one-facet table has
 * each row's share of the items; every table whose rows are not decisions ends each row, and
 * the totals, with the overturn rate.
 */
static void write_table(const imr_print_ctx_t *c, const imr_facet_table_t *t, uint64_t items)
{
    FILE *o = c->out;
    char head[64];
    if (t->dim[1])
        snprintf(head, sizeof head, "%s \\ %s", t->dim[0], t->dim[1]);
    else
        snprintf(head, sizeof head, "%s", t->dim[0]);
    int w0 = columns(head, strlen(head));
    if (w0 < 5)
        w0 = 5;
    for (size_t i = 0; i < t->n_rows; i++) {
        int w = columns(t->row_value[i], strlen(t->row_value[i]));
        if (w > w0)
            w0 = w;
    }
    size_t nc = t->dim[1] ? t->n_cols : 0;
    int *wc = calloc(nc + 2, sizeof *wc);
    if (!wc)
        return;
    char num[32];
    for (size_t j = 0; j <= nc; j++) {
        const char *name = j < nc ? t->col_value[j] : (t->dim[1] ? "total" : "items");
        wc[j] = (int)strlen(name);
        uint64_t maxv = j < nc ? t->col_total[j] : t->total;
        int w = snprintf(num, sizeof num, "%llu", (unsigned long long)maxv);
        if (w > wc[j])
            wc[j] = w;
    }
    /* Header. */
    if (c->color)
        fputs(ANSI_BOLD, o);
    fprintf(o, "%-*s", w0, head);
    for (size_t j = 0; j < nc; j++)
        fprintf(o, "  %*s", wc[j], t->col_value[j]);
    fprintf(o, "  %*s", wc[nc], t->dim[1] ? "total" : "items");
    int rates = strcmp(t->dim[0], "decision") != 0;
    if (!t->dim[1])
        fputs("       %", o);
    if (rates)
        fputs("  overturn rate", o);
    if (c->color)
        fputs(ANSI_RESET, o);
    fputc('\n', o);
    for (size_t i = 0; i < t->n_rows; i++) {
        fprintf(o, "%s", t->row_value[i]);
        fprintf(o, "%*s", w0 - columns(t->row_value[i], strlen(t->row_value[i])), "");
        for (size_t j = 0; j < nc; j++)
            fprintf(o, "  %*llu", wc[j], (unsigned long long)t->count[i * t->n_cols + j]);
        fprintf(o, "  %*llu", wc[nc], (unsigned long long)t->row_total[i]);
        if (!t->dim[1])
            fprintf(o, "  %6.1f", items ? 100.0 * (double)t->row_total[i] / (double)items : 0.0);
        if (rates)
            rate_cell(o, t, i);
        fputc('\n', o);
    }
    fprintf(o, "%-*s", w0, "total");
    for (size_t j = 0; j < nc; j++)
        fprintf(o, "  %*llu", wc[j], (unsigned long long)t->col_total[j]);
    fprintf(o, "  %*llu", wc[nc], (unsigned long long)t->total);
    if (!t->dim[1])
        fprintf(o, "  %6.1f", items ? 100.0 : 0.0);
    if (rates)
        rate_cell(o, t, t->n_rows);
    fputc('\n', o);
    free(wc);
    if (strstr(t->dim[0], "source") || (t->dim[1] && strstr(t->dim[1], "source")))
        fputs("(an item with several sources counts under each; totals count items once)\n", o);
}

/* The line that says how many letters the counts left out (imr_facets_left_out()), if any. */
static void write_left_out(const imr_print_ctx_t *c, const imr_facets_t *f)
{
    uint64_t n = imr_facets_left_out(f);
    if (n)
        fprintf(c->out,
                "left out: %llu %s no item was read from (unparsed); %s text is still searched\n",
                (unsigned long long)n, plural(n, "letter", "letters"), plural(n, "its", "their"));
}

static void text_facets(const imr_print_ctx_t *c, const imr_facets_t *f)
{
    write_header(c, imr_facets_total_items(f), imr_facets_total_letters(f),
                 imr_facets_undated_letters(f), 1, 0, NULL);
    write_left_out(c, f);
    for (size_t i = 0; i < imr_facets_count(f); i++) {
        fputc('\n', c->out);
        write_table(c, imr_facets_table(f, i), imr_facets_total_items(f));
    }
}

static void text_stats(const imr_print_ctx_t *c, const imr_stats_t *s, const imr_facets_t *f)
{
    FILE *o = c->out;
    fprintf(o, "letters       %llu\n", (unsigned long long)s->letters);
    fprintf(o, "  complete    %llu\n", (unsigned long long)s->complete);
    fprintf(o, "  partial     %llu\n", (unsigned long long)s->partial);
    fprintf(o, "  unparsed    %llu\n", (unsigned long long)s->unparsed);
    for (int l = 1; l <= 3; l++)
        fprintf(o, "  layout %d    %llu\n", l, (unsigned long long)s->layout[l]);
    fprintf(o, "  layout ?    %llu\n", (unsigned long long)s->layout[0]);
    fprintf(o, "items         %llu\n", (unsigned long long)s->items);
    if (imr_facets_count(f))
        write_left_out(c, f);
    for (size_t i = 0; i < imr_facets_count(f); i++) {
        fputc('\n', o);
        write_table(c, imr_facets_table(f, i), imr_facets_total_items(f));
    }
}

static void text_letter(const imr_print_ctx_t *c, const imr_letter_view_t *v)
{
    FILE *o = c->out;
    static const char *const layout_names[] = {"unknown", "1", "2", "3"};
    if (c->color)
        fputs(ANSI_BOLD, o);
    put_name(o, v->name);
    if (c->color)
        fputs(ANSI_RESET, o);
    fputc('\n', o);
    fputs("path            ", o);
    put_name(o, v->path);
    fputc('\n', o);
    if (*v->case_number)
        fprintf(o, "case number     %s\n", v->case_number);
    if (*v->decision_date)
        fprintf(o, "decision date   %s\n", v->decision_date);
    fprintf(o, "year            %s (%s)\n", *v->year ? v->year : "unknown", v->year_source);
    if (*v->injury_date)
        fprintf(o, "injury date     %s\n", v->injury_date);
    if (*v->ur_denial_date)
        fprintf(o, "UR denial date  %s\n", v->ur_denial_date);
    if (*v->specialty)
        fprintf(o, "specialty       %s (%s)\n", v->specialty, v->specialties);
    fprintf(o, "layout          %s, parse %s%s%s\n",
            layout_names[v->layout >= 0 && v->layout <= 3 ? v->layout : 0], v->parse,
            *v->problem ? ": " : "", v->problem);
    for (size_t i = 0; i < v->n_items; i++) {
        const imr_view_item_t *it = &v->items[i];
        fprintf(o, "item %-2d         ", it->number);
        write_decision(c, it->decision);
        fprintf(o, "  %s\n", it->text);
        fprintf(o, "                %s \xc2\xb7 %s \xc2\xb7 ", it->item_type, it->body_region);
        write_sources(o, it->sources, ", ");
        if (it->partial)
            fputs(" \xc2\xb7 " PARTIAL_NOTE, o);
        fputc('\n', o);
        if (*it->citation)
            write_citation(c, 16, it->citation);
    }
    if (*c->query)
        fprintf(o, "query words     %zu marked\n", v->n_marks);
    fputc('\n', o);
    size_t page = 0;
    for (const char *p = v->text;; p++) {
        /* Page markers where pages start; a page starts at the start of a line. */
        while (page < v->n_pages && v->pages[page] <= (size_t)(p - v->text))
            fprintf(o, "%s-- page %zu --\n", p > v->text && p[-1] != '\n' ? "\n" : "", ++page);
        if (!*p)
            break;
        if (*p == IMR_MARK_OPEN)
            fputs(c->color ? ANSI_MARK : "[", o);
        else if (*p == IMR_MARK_CLOSE)
            fputs(c->color ? ANSI_RESET : "]", o);
        else
            fputc(*p, o);
    }
    if (v->text[0] && v->text[strlen(v->text) - 1] != '\n')
        fputc('\n', o);
}

/* --explain: the reading, the full-text expressions and the filters, one labelled line each. */
static void text_explain(const imr_print_ctx_t *c)
{
    FILE *o = c->out;
    const imr_query_t *q = c->reading;
    char line[2048];
    imr__reading_line(q, line, sizeof line);
    fprintf(o, "query:       %s\n", c->query);
    fprintf(o, "read as:     %s\n", *line ? line : "(every item)");
    fprintf(o, "text:        %s\n", *imr_query_text(q) ? imr_query_text(q) : "(none)");
    for (size_t i = 0; i < imr_query_n_facets(q); i++) {
        const imr_query_facet_t *f = imr_query_facet(q, i);
        fprintf(o, "%-13s%s %s, from \"%s\": ", i ? "" : "facets:", f->field, f->value,
                f->written);
        if (f->negated)
            fprintf(o, "left out: items whose %s is %s%s\n", f->field, f->value,
                    !f->cols                        ? ""
                    : f->cols == 1u << IMR_COL_ITEM ? ", and those whose item line has the word"
                                                    : ", and those whose text has the word");
        else if (f->soft)
            fprintf(o, "the item's %s is %s, or %s\n", f->field, f->value, f->probe);
        else
            fprintf(o, "a filter, as --%s %s\n", f->field, f->value);
    }
    if (imr_query_fts5_exclude(q))
        fprintf(o, "excluded:    items whose text matches %s\n", imr_query_fts5_exclude(q));
    fprintf(o, "item_fts:    %s\n", imr_query_fts5(q) ? imr_query_fts5(q) : "(not searched)");
    fprintf(o, "letter_fts:  %s\n",
            imr_query_fts5_letter(q) ? imr_query_fts5_letter(q) : "(not searched)");
    fprintf(o, "options:     %s\n", *c->filters ? c->filters : "(none)");
}

const imr_printer_t imr__printer_text = {"text", text_results, text_facets, text_stats,
                                         text_letter, text_explain, 1};

/* ids: one hit a line, "letter<TAB>item number"; with --letters, one letter a line. */
static void ids_results(const imr_print_ctx_t *c, const imr_results_t *r)
{
    for (size_t i = 0; i < imr_results_count(r); i++) {
        const imr_hit_t *h = imr_results_hit(r, i);
        if (c->by_letter) {
            if (h->first_of_letter) {
                put_name(c->out, h->letter);
                fputc('\n', c->out);
            }
        } else {
            put_name(c->out, h->letter);
            fprintf(c->out, "\t%d\n", h->item_number);
        }
    }
}

const imr_printer_t imr__printer_ids = {"ids", ids_results, NULL, NULL, NULL, NULL, 0};
