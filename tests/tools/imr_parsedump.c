/*
 * imr_parsedump.c - prints what the letter parser reads from each file, in a stable plain
 * text form for golden files: layout, parse status, problem, warnings, header fields,
 * specialty, and per item its text, decision, facets and the start of its rationale and
 * guidelines.
 *
 * Usage: imr_parsedump [--text] FILE...
 *   --text  print the cleaned text of each letter instead of what was read from it.
 * Exits 0; a file that cannot be read or parsed prints its error in place of the dump.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "tool_io.h"

/* Prints a span on one line: line breaks (and blank lines) as one space, at most max bytes (0:
 * all) plus "...". */
static void put_span(const char *label, const imr_letter_t *l, imr_span_t s, size_t max)
{
    printf("  %s: ", label);
    size_t n = s.len;
    int cut = 0;
    if (max && n > max) {
        n = max;
        /* Do not cut a UTF-8 sequence. */
        while (n > 0 && ((unsigned char)l->text[s.off + n] & 0xC0) == 0x80)
            n--;
        cut = 1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = l->text[s.off + i];
        if (c == '\n' && i > 0 && l->text[s.off + i - 1] == '\n')
            continue; /* a blank line inside a span prints as one space too */
        putchar(c == '\n' ? ' ' : c);
    }
    printf("%s\n", cut ? "..." : "");
}

static void put_sources(const char *label, unsigned bits)
{
    printf("  %s:", label);
    if (!bits)
        printf(" -");
    for (unsigned b = 1; b < (1u << IMR_N_SOURCES); b <<= 1)
        if (bits & b)
            printf(" %s", imr_source_slug(b));
    printf("\n");
}

int main(int argc, char **argv)
{
    int text_only = argc > 1 && strcmp(argv[1], "--text") == 0;
    imr_dict_dir_set(getenv("IMRSEARCH_DICT_DIR"));
    for (int a = 1 + text_only; a < argc; a++) {
        const char *name = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
        size_t len;
        char *bytes = tool_read_file(argv[a], &len);
        printf("== %s\n", name);
        if (!bytes) {
            printf("error: cannot read\n");
            continue;
        }
        imr_letter_t *l;
        imr_error_t err;
        if (imr_letter_parse(bytes, len, &l, &err) != IMR_OK) {
            printf("error: %s\n", err.msg);
            free(bytes);
            continue;
        }
        if (text_only) {
            printf("%s\n", l->text);
            imr_letter_free(l);
            free(bytes);
            continue;
        }
        printf("layout: %d\nparse: %s\nproblem: %s\nwarnings:%s%s%s%s%s%s\n", (int)l->layout,
               imr_parse_status_slug(l->parse), l->problem,
               (l->warnings & IMR_WARN_NOT_UTF8) ? " not-utf8" : "",
               (l->warnings & IMR_WARN_TRUNCATED) ? " truncated" : "",
               (l->warnings & IMR_WARN_NO_HEADING) ? " no-heading" : "",
               (l->warnings & IMR_WARN_DISAGREEMENT) ? " disagreement" : "",
               (l->warnings & IMR_WARN_UNREADABLE) ? " unreadable" : "",
               l->warnings ? "" : " -");
        printf("case_number: %s\ninjury_date: %s\nur_denial_date: %s\ndecision_date: %s\n",
               l->case_number, l->injury_date, l->ur_denial_date, l->decision_date);
        printf("specialty: %s\n", l->specialty);
        put_span("summary", l, l->summary, 60);
        put_span("other", l, l->other, 60);
        printf("items: %zu\n", l->n_items);
        for (size_t i = 0; i < l->n_items; i++) {
            const imr_item_t *it = &l->items[i];
            printf("item %zu:\n", i + 1);
            put_span("text", l, it->text, 0);
            printf("  decision: %s\n  item_type: %s\n  body_region: %s\n",
                   imr_decision_slug(it->decision), it->item_type, it->body_region);
            if (it->wording != IMR_DECISION_UNKNOWN && it->wording != it->decision)
                printf("  rationale reads: %s\n", imr_decision_slug(it->wording));
            put_sources("sources", it->sources);
            put_span("citation", l, it->citation, 0);
            put_sources("ca_sources", it->ca_sources);
            put_span("guideline", l, it->guideline, 60);
            put_span("ca_guideline", l, it->ca_guideline, 60);
            put_span("rationale", l, it->rationale, 60);
        }
        imr_letter_free(l);
        free(bytes);
    }
    return 0;
}
