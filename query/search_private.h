/*
 * search_private.h - what search.c, facets_query.c and show.c share: a growing string
 * buffer, the display form of text, and the compiled WHERE clause of a search's query and
 * filters.
 */
#ifndef IMR_SEARCH_PRIVATE_H
#define IMR_SEARCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "db_private.h"
#include "imr.h"
#include "imr_schema.h"

/* A growing NUL-terminated string. Zero-initialise; free p when done. */
typedef struct imr__buf {
    char *p;    /* the bytes, NUL-terminated once anything was appended */
    size_t len; /* bytes without the NUL */
    size_t cap; /* bytes allocated */
    int oom;    /* set when an append ran out of memory; later appends do nothing */
} imr__buf_t;

/* Appends n bytes / a C string / printf output. Failures set b->oom. */
void imr__buf_add(imr__buf_t *b, const char *s, size_t n);
void imr__buf_adds(imr__buf_t *b, const char *s);
void imr__buf_printf(imr__buf_t *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * Appends the display form of n bytes of text: every run of white space (spaces, tabs, line
 * breaks, no-break spaces U+00A0) becomes one space, leading and trailing white space is
 * dropped. Marks (0x02/0x03) are kept.
 */
void imr__buf_add_display(imr__buf_t *b, const char *s, size_t n);

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
    char *binds[64];          /* filter values, owned */
    int n_binds;
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
 * Parses opts' query and validates and compiles its filters into f (zeroed first).
 * `join_letter` is an enum imr__join. Errors: IMR_ERR_QUERY,
 * IMR_ERR_ARG (messages for a person), IMR_ERR_NOMEM. Free f with imr__filter_clear() in any
 * case.
 */
imr_status_t imr__filter_compile(const imr_search_opts_t *opts, int join_letter, imr__filter_t *f,
                                 imr_error_t *err);

/* Binds the match expressions (when any, from ?1) and the filter values to stmt. */
int imr__filter_bind(const imr__filter_t *f, sqlite3_stmt *stmt);

/* Binds only the filter values, at ?IMR__FILTER_PARAM and on. */
int imr__filter_bind_values(const imr__filter_t *f, sqlite3_stmt *stmt);

/* Frees what f owns. */
void imr__filter_clear(imr__filter_t *f);

/*
 * Returns IMR_OK when some letter's reviewer specialty contains `specialty` (ignoring case),
 * else IMR_ERR_ARG with a message that lists the specialties of the database, the commonest
 * first. Called only when a search with a specialty filter matched nothing: it reads every
 * letter.
 */
imr_status_t imr__specialty_check(imr_db_t *db, const char *specialty, imr_error_t *err);

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
    int tier;   /* 0: matched in the item's own text; 1: the wider pass, ranked after tier 0 */
    double key; /* sort key, lower is better: -score, or the listing position */
    int64_t item_id;
    int64_t letter_id;
} imr__match_t;

/* Orders matches best first: tier, key, then item id. */
int imr__match_cmp(const void *a, const void *b);

/* The matches of a search while they are collected (rank.c). */
typedef struct imr__collector {
    size_t keep;      /* 0: keep every match; else only the `keep` best */
    imr__match_t *m;  /* the kept matches; a max-heap (worst on top) once n == keep */
    size_t n, cap;
    uint64_t count[2];   /* matches added, per tier */
    uint64_t letters;    /* distinct letters of the tier-0 matches */
    uint64_t scored;     /* item_fts rows whose exact score imr_rank() computed */
    unsigned char *seen; /* bitmap of those letters, max_letter + 1 bits */
    int64_t max_letter;
    /* imr_rank()'s state: set up at its first row */
    double weights[IMR_N_ITEM_COLS]; /* item_fts column weights */
    int n_phrases;                   /* -1 until set up */
    double *idf, *freq;              /* per phrase; freq is the current row's */
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
 * imr_rank(item_fts, collector): the FTS5 auxiliary function that scores the current match
 * (bm25 over the item's own text) into the collector bound as a pointer of type
 * IMR__COLLECTOR_TYPE, and returns NULL (rank.c).
 */
void imr__rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_arg,
                  sqlite3_value **arg);

/*
 * Registers on db, when not yet registered, imr_snippet(item_fts | letter_fts, width), the
 * display text of a hit (snippet.c), and imr_rank() (rank.c).
 */
imr_status_t imr__functions_register(imr_db_t *db, imr_error_t *err);

/* Finds the FTS5 API of db's connection into *api. */
imr_status_t imr__search_fts5_api(imr_db_t *db, fts5_api **api, imr_error_t *err);

#endif
