/*
 * query_dump.c - prints the FTS5 translation of each query given as an argument (or read one
 * per line from standard input): the MATCH expressions (item_fts, then letter_fts when the
 * query has letter-level parts), the facets read from it, then the highlight terms, or the
 * error. Exits 0 when every query translated, 2 when one was refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"

/* Translates one query and prints the outcome; returns 0 on success, 1 on a refusal. */
static int dump(const char *text)
{
    imr_query_t *q = NULL;
    imr_error_t err = {0};
    printf("query: %s\n", text);
    if (imr_query_parse(text, &q, &err) != IMR_OK) {
        printf("error: %s\n", err.msg);
        return 1;
    }
    const char *fts = imr_query_fts5(q), *letter = imr_query_fts5_letter(q);
    printf("fts5:  %s\n", fts ? fts : letter ? "(none)" : "(everything)");
    if (letter)
        printf("letter: %s\n", letter);
    if (imr_query_fts5_exclude(q))
        printf("not:   %s\n", imr_query_fts5_exclude(q));
    if (imr_query_n_facets(q))
        printf("text:  %s\n", imr_query_text(q));
    for (size_t i = 0; i < imr_query_n_facets(q); i++) {
        const imr_query_facet_t *f = imr_query_facet(q, i);
        printf("facet: %s %s (\"%s\")%s%s\n", f->field, f->value, f->written,
               f->soft ? ", or in the text: " : "", f->probe ? f->probe : "");
    }
    for (size_t i = 0; i < imr_query_n_terms(q); i++)
        printf("term:  %s\n", imr_query_term(q, i));
    imr_query_free(q);
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    imr_dict_dir_set(getenv("IMRSEARCH_DICT_DIR"));
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            failed |= dump(argv[i]);
    } else {
        char line[20000];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = '\0';
            failed |= dump(line);
        }
    }
    return failed ? 2 : 0;
}
