/*
 * search_private.h - what search.c, facets_query.c and show.c share: the compiled WHERE
 * clause of a search's query and filters. The matches of a search and their ranking are rank.c's (rank.h).
 */
#ifndef IMR_SEARCH_PRIVATE_H
#define IMR_SEARCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "db_private.h"
#include "imr.h"
#include "buf.h"
#include "imr_schema.h"
#include "rank.h"

/*
 * The 1-based page holding byte `off` of a letter's text, from its letter.pages column
 * (page starts, "0 2861 5940"); 0 when pages is NULL or empty (show.c).
 */
int imr__page_of(const char *pages, long off);

/*
 * The first parameter number of the filter values in a compiled filter's SQL: they are
 * ?IMR__FILTER_PARAM, ?IMR__FILTER_PARAM+1, ..., so a statement that embeds the clause numbers
 * its own parameters from ?1 without meeting them.
 */
#define IMR__FILTER_PARAM 101

/*
 * A search's query and filters compiled to SQL. `from_where` is a FROM ... WHERE ... clause
 * driven by item_fts f when there is an item-level query (else by letter_fts lf when there is
 * a letter-level one, else by item i), joined to item i when the caller asked for it or a
 * filter reads it, and to letter l when needed (enum imr__join). Its parameters: ?1 the
 * item_fts MATCH expression (when match), the letter_fts one next (?2, or ?1 without match),
 * and the filter values binds[] at ?IMR__FILTER_PARAM and on.
 */
typedef struct imr__filter {
    imr_query_t *query;       /* the parsed query, owned */
    const char *match;        /* item_fts expression owned by query, or NULL */
    const char *match_letter; /* letter_fts expression owned by query, or NULL */
    int has_query;            /* match or match_letter: there is a full-text part */
    size_t filters_at;        /* from_where + filters_at: the filters' " AND ..." conditions */
    int joins_item;           /* from_where has item i */
    int joins_letter;         /* from_where joins letter l */
    char *from_where;         /* SQL, owned */
    size_t dates_at;          /* from_where + dates_at: the date filters' conditions, the last
                                 ones; 0 when there is no date filter */
    char *binds[64];          /* filter values, owned */
    int n_binds;
    int n_binds_dates;        /* binds before the date filters' values */
    char *boost_args;         /* ", AGREE, ..." for imr_rank(): each soft facet group's SQL test
                                 of the facet, 1 when it agrees (owned; "" when none) */
    unsigned probe_mask[2];   /* phrases (after the scored ones) of the soft groups, in the
                                 order of boost_args: region, source */
    int n_groups;             /* soft facet groups in boost_args */
    int uses_functions;       /* from_where calls imr_probe(): imr__functions_register() */
} imr__filter_t;

/* When imr__filter_compile() joins letter l even if no filter needs it. */
enum imr__join {
    IMR__JOIN_NEEDED = 0,  /* only for the filters that read it */
    IMR__JOIN_ALWAYS = 1,  /* always: the caller reads its columns */
    IMR__JOIN_LISTING = 2, /* when there is no query: the caller orders by its columns */
    IMR__JOIN_QUERY = 3,   /* when there is a query: the caller reads its columns then */
    /* Or-ed in: the caller reads no column of item i, so an item-level query without filters
     * leaves item out (f is then the only table). */
    IMR__ITEM_OPTIONAL = 8
};

/*
 * Parses opts' query, corrects its spelling against db's items (imr_query_correct()),
 * validates and compiles its filters into f (zeroed first), and leaves words out of the query
 * when no item matches them all (filter.c, "When no item has every word").
 * `join_letter` is an enum imr__join. Errors: IMR_ERR_QUERY,
 * IMR_ERR_ARG (messages for a person), IMR_ERR_NOMEM. Free f with imr__filter_clear() in any
 * case.
 */
imr_status_t imr__filter_compile(imr_db_t *db, const imr_search_opts_t *opts, int join_letter,
                                 imr__filter_t *f, imr_error_t *err);

/* Binds the match expressions (when any, from ?1) and the filter values to stmt. */
int imr__filter_bind(const imr__filter_t *f, sqlite3_stmt *stmt);

/*
 * *n: the letters that the date filters of f (--from, --to) left out for having no date (no
 * letter.year), of those that match its query and its other filters; 0 when f has no date
 * filter. Errors: database statuses, IMR_ERR_NOMEM.
 */
imr_status_t imr__filter_undated(imr_db_t *db, const imr__filter_t *f, uint64_t *n,
                                 imr_error_t *err);

/* Frees what f owns. */
void imr__filter_clear(imr__filter_t *f);

/*
 * Registers on db, when not yet registered, imr_snippet(item_fts | letter_fts, width [, rows]),
 * the display text of a hit (snippet.c), and imr_rank() (rank.c). `rows`, bound with
 * sqlite3_bind_pointer() as IMR__ROWS_POINTER, limits the work to the rows of a page: any
 * other row gets NULL at once, so that one pass over a query's matches makes a whole page's
 * snippets.
 */
#define IMR__ROWS_POINTER "imr_rows"
typedef struct imr__rows {
    const int64_t *id; /* sorted ascending */
    size_t n;
} imr__rows_t;

imr_status_t imr__functions_register(imr_db_t *db, imr_error_t *err);

/* Finds the FTS5 API of db's connection into *api. */
imr_status_t imr__search_fts5_api(imr_db_t *db, fts5_api **api, imr_error_t *err);

#endif
