/*
 * search_work.c - the work of searches, for the bounded-work test (t70_bounded_work): for each
 * query read from standard input, one per line, runs imr_search() on DB with a page of LIMIT
 * hits (0: all) and prints "ITEMS SHOWN WORK QUERY": the items the query matches over all
 * pages, the hits of the page, and imr_results_work(), the SQLite virtual-machine steps the
 * search took. A refused query prints "error: MESSAGE QUERY". Exits 0, or 2 on a usage or
 * database error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: search_work DB LIMIT < QUERIES\n", stderr);
        return 2;
    }
    imr_db_t *db = NULL;
    imr_error_t err = {0};
    if (imr_db_open(argv[1], IMR_DB_READ, &db, &err) != IMR_OK) {
        fprintf(stderr, "search_work: %s\n", err.msg);
        return 2;
    }
    char line[20000];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        imr_search_opts_t o = {0};
        o.query = line;
        o.limit = (size_t)strtoull(argv[2], NULL, 10);
        imr_results_t *r = NULL;
        if (imr_search(db, &o, &r, &err) != IMR_OK) {
            printf("error: %s %s\n", err.msg, line);
            continue;
        }
        printf("%llu %zu %llu %s\n", (unsigned long long)imr_results_total_items(r),
               imr_results_count(r), (unsigned long long)imr_results_work(r), line);
        imr_results_free(r);
    }
    imr_db_close(db);
    return 0;
}
