/*
 * rank.h - the matches of a search while they are collected, and imr_rank(), the FTS5
 * auxiliary function that scores item_fts matches straight into them (rank.c). search.c and
 * facets_query.c include it, parse.c for imr__phrase_end(); rank.c includes nothing else of
 * query/.
 */
#ifndef IMR_RANK_H
#define IMR_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "imr.h"
#include "imr_schema.h"

/* The largest letter id of db (0 when it has none) into *max. Errors: the database's. */
imr_status_t imr__max_letter(imr_db_t *db, int64_t *max, imr_error_t *err);

/* Marks letter l in the bitmap `seen` of letters 0..max; 1 when it was not marked before. */
static inline int imr__mark_letter(unsigned char *seen, int64_t max, int64_t l)
{
    if (l < 0 || l > max || (seen[l / 8] & (1u << (l % 8))))
        return 0;
    seen[l / 8] |= (unsigned char)(1u << (l % 8));
    return 1;
}

/* A match of a search. */
typedef struct imr__match {
    double key; /* sort key, lower is better: -score, or the listing position */
    int64_t item_id;
    int64_t letter_id;
} imr__match_t;

/*
 * The closing quote of the FTS5 string (a phrase) that opens at the quote `open` ("" inside it
 * is a quote), or the NUL that ends an unterminated one. The phrases of an expression are its
 * strings, in the order FTS5 numbers them (parse.c counts them, imr_rank() scores them).
 */
const char *imr__phrase_end(const char *open);

/* Orders matches best first: key, then item id. */
int imr__match_cmp(const void *a, const void *b);

/* Most groups of soft facets (region words, guideline words) a search ranks by. */
#define IMR__MAX_GROUPS 2

/* The matches of a search while they are collected (rank.c). */
typedef struct imr__collector {
    size_t keep;         /* 0: keep every match; else only the `keep` best */
    imr__match_t *m;     /* the kept matches; a max-heap (worst on top) once n == keep */
    size_t n, cap;
    uint64_t count;      /* matches added */
    uint64_t letters;    /* distinct letters of the matches */
    uint64_t scored;     /* item_fts rows whose exact score imr_rank() computed */
    unsigned char *seen; /* bitmap of those letters, max_letter + 1 bits */
    int64_t max_letter;
    /* imr_rank()'s state: set up at its first row */
    double weights[IMR_N_ITEM_COLS]; /* item_fts column weights */
    int n_phrases;                   /* -1 until set up */
    int n_scored;                    /* phrases that score; -1: all of them. The rest probe
                                        for the soft facets' words */
    int n_groups;                    /* soft facet groups: imr_rank()'s arguments after the
                                        collector say whether the item's facet agrees */
    unsigned group_mask[IMR__MAX_GROUPS]; /* each group's probe phrases, bit b = phrase
                                             n_scored + b */
    double proximity;                /* IMR_PROXIMITY_BOOST (imr_schema.h); 0: none */
    double *idf, *freq;              /* per phrase; freq is the current row's */
    int *alt;                        /* per phrase: the first phrase of its run of OR-ed
                                        alternatives, which score as their best one */
    double avgdl;
    const char *match;    /* the item_fts expression (not owned) */
    sqlite3_stmt *lookup; /* a term's count in item_term, or NULL: FTS5 counts */
} imr__collector_t;

/* The sqlite3_bind_pointer() type of a collector given to imr_rank(). */
#define IMR__COLLECTOR_TYPE "imr_collector"

/*
 * Sets c up to keep the `keep` best matches (0: all) and count the letters of ids up to
 * max_letter, scoring with the item_fts column weights. Free with imr__collector_free().
 */
imr_status_t imr__collector_init(imr__collector_t *c, size_t keep, int64_t max_letter,
                                 const double *weights, imr_error_t *err);
void imr__collector_free(imr__collector_t *c);

/*
 * Makes imr_rank() take the phrase counts of its IDF from item_term where it can, for the
 * item_fts expression `match` (kept, not copied). Returns an SQLite code.
 */
int imr__collector_scoring(imr__collector_t *c, sqlite3 *sql, const char *match);

/* Counts m and keeps it when it is among the best. SQLITE_OK or SQLITE_NOMEM. */
int imr__collector_add(imr__collector_t *c, const imr__match_t *m);

/* 1 when m, added now, would be kept. */
int imr__collector_would_keep(const imr__collector_t *c, const imr__match_t *m);

/* Sorts the kept matches best first. */
void imr__collector_sort(imr__collector_t *c);

/*
 * imr_rank(item_fts, collector, agree...): the FTS5 auxiliary function that scores the
 * current match into the collector bound as a pointer of type IMR__COLLECTOR_TYPE, and
 * returns NULL. The score is bm25 over the item's own text (the first n_scored phrases) times
 * each soft facet group's boost: IMR_FACET_AGREE_BOOST when its `agree` argument is true (the
 * item's facet is a value read from the query), IMR_FACET_TEXT_BOOST when the group's words
 * are in the item's text.
 */
void imr__rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_arg,
                  sqlite3_value **arg);

/*
 * imr_probe(item_fts, first, mask): 1 when one of the phrases first + b (bit b set in mask)
 * occurs in the current row, else 0 (in the columns its expression names).
 */
void imr__probe_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_arg,
                   sqlite3_value **arg);

#endif
