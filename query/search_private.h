/*
 * search_private.h - what search.c, facets_query.c and show.c share: a growing string
 * buffer, the display form of text, and the compiled WHERE clause of a search's query and
 * filters.
 */
#ifndef IMR_SEARCH_PRIVATE_H
#define IMR_SEARCH_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "imr.h"

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

/* A value bound to a compiled filter's SQL. */
typedef struct imr__bind {
    int is_int; /* 1: bind i; 0: bind s */
    long long i;
    char *s; /* owned */
} imr__bind_t;

/*
 * A search's query and filters compiled to SQL. `from_where` is a FROM ... WHERE ... clause
 * over item i (joined to letter l when needed, and driven by item_fts f when there is a
 * query) whose first parameter ?1 is the FTS5 MATCH expression (when has_match) and whose
 * other parameters are binds[], in order.
 */
typedef struct imr__filter {
    imr_query_t *query;    /* the parsed query, owned */
    const char *match;     /* FTS5 expression owned by query, or NULL: no full-text part */
    char *from_where;      /* SQL, owned */
    imr__bind_t binds[64]; /* filter values */
    int n_binds;
} imr__filter_t;

/* When imr__filter_compile() joins letter l even if no filter needs it. */
enum imr__join {
    IMR__JOIN_NEEDED = 0,  /* only for the filters that read it */
    IMR__JOIN_ALWAYS = 1,  /* always: the caller reads its columns */
    IMR__JOIN_LISTING = 2, /* when there is no query: the caller orders by its columns */
    IMR__JOIN_QUERY = 3    /* when there is a query: the caller reads its columns then */
};

/*
 * Parses opts' query and validates and compiles its filters into f (zeroed first).
 * `join_letter` is an enum imr__join. Errors: IMR_ERR_QUERY,
 * IMR_ERR_ARG (messages for a person), IMR_ERR_NOMEM. Free f with imr__filter_clear() in any
 * case.
 */
imr_status_t imr__filter_compile(const imr_search_opts_t *opts, int join_letter, imr__filter_t *f,
                                 imr_error_t *err);

/* Binds ?1 (the match expression, when any) and the filter values to stmt. */
int imr__filter_bind(const imr__filter_t *f, sqlite3_stmt *stmt);

/* Frees what f owns. */
void imr__filter_clear(imr__filter_t *f);

/*
 * Returns IMR_OK when some letter's reviewer specialty contains `specialty` (ignoring case),
 * else IMR_ERR_ARG with a message that lists the specialties of the database, the commonest
 * first. Called only when a search with a specialty filter matched nothing: it reads every
 * letter.
 */
imr_status_t imr__specialty_check(imr_db_t *db, const char *specialty, imr_error_t *err);

/* The source bit of a guideline_source slug, or 0. */
unsigned imr__source_bit(const char *slug);

/* Turns a comma-separated list of source slugs (group_concat output) into bits. */
unsigned imr__source_bits(const char *list);

/*
 * Registers, when not yet registered on db, the FTS5 auxiliary functions of rank.c:
 * imr_rank(item_fts, item_bytes), the ranking (lower is better, like bm25()), and
 * imr_snippet(item_fts, width), the display text of a hit (snippet.c).
 */
imr_status_t imr__functions_register(imr_db_t *db, imr_error_t *err);

/* Registers imr_snippet(item_fts, width) of snippet.c with api. */
imr_status_t imr__snippet_register(fts5_api *api);

/* Finds the FTS5 API of db's connection into *api. */
imr_status_t imr__search_fts5_api(imr_db_t *db, fts5_api **api, imr_error_t *err);

#endif
