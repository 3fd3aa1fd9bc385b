/*
 * imr_parsebench.c - how fast the letter parser reads letters: parses the given files over and
 * over (cleaning, sections, items and facets, no SQLite) and prints the input megabytes per
 * second on one core (wall clock and CPU time). A benchmark, not a test: it asserts nothing.
 *
 * Usage: imr_parsebench [-m MEGABYTES] FILE...   (default: parse 100 MB in total)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imr.h"
#include "tool_io.h"

/* Seconds on the given clock: CLOCK_MONOTONIC (wall) or CLOCK_PROCESS_CPUTIME_ID (CPU). */
static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double want_mb = 100;
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "-m") == 0) {
        want_mb = atof(argv[a + 1]);
        a += 2;
    }
    int nfiles = argc - a;
    if (nfiles <= 0 || want_mb <= 0) {
        fprintf(stderr, "usage: imr_parsebench [-m MEGABYTES] FILE...\n");
        return 2;
    }
    char **bytes = calloc((size_t)nfiles, sizeof *bytes);
    size_t *lens = calloc((size_t)nfiles, sizeof *lens), total = 0;
    if (!bytes || !lens)
        return 70;
    for (int i = 0; i < nfiles; i++) {
        if (!(bytes[i] = tool_read_file(argv[a + i], &lens[i]))) {
            fprintf(stderr, "imr_parsebench: cannot read %s\n", argv[a + i]);
            return 4;
        }
        total += lens[i];
    }
    /* One warm-up pass loads the dictionaries. */
    imr_letter_t *l;
    imr_error_t err;
    for (int i = 0; i < nfiles; i++)
        if (imr_letter_parse(bytes[i], lens[i], &l, &err) == IMR_OK)
            imr_letter_free(l);
    size_t done = 0, letters = 0, items = 0;
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    while ((double)done < want_mb * 1e6) {
        for (int i = 0; i < nfiles; i++) {
            if (imr_letter_parse(bytes[i], lens[i], &l, &err) == IMR_OK) {
                items += l->n_items;
                imr_letter_free(l);
            }
            done += lens[i];
            letters++;
        }
    }
    double dt = now(CLOCK_MONOTONIC) - t0, ct = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    /* On a shared machine the CPU time is the fairer figure: it leaves out waiting. */
    printf("parsed %zu letters (%zu items, %.1f MB): wall %.2f s, %.1f MB/s; "
           "cpu %.2f s, %.1f MB/s, %.0f letters/s\n",
           letters, items, (double)done / 1e6, dt, (double)done / 1e6 / dt, ct,
           (double)done / 1e6 / ct, (double)letters / ct);
    for (int i = 0; i < nfiles; i++)
        free(bytes[i]);
    free(bytes);
    free(lens);
    return 0;
}
