/*
 * imr_search.h - ranked item search, snippets, filters, facet counts, database totals and
 * whole letters.
 *
 * The unit of a result is the disputed item, not the letter: a search returns items ranked by
 * bm25() over item_fts (the item's own text) with the column weights IMR_ITEM_BM25_WEIGHTS
 * (imr_schema.h), each with its letter's identity, its facets and a snippet of the part of the
 * item that matched best. A query of only summary:/letter: parts ranks the items of matching
 * letters by bm25() over letter_fts. An item is a hit only on its own text: a word of its
 * letter's summary never makes it one (docs/query-syntax.md).
 *
 * Highlighting: every string below documented as "marked" holds the matched words between
 * the bytes IMR_MARK_OPEN (0x02) and IMR_MARK_CLOSE (0x03), which never occur in letter text
 * (cleaning removes control characters). Printers turn them into colour or plain markers.
 * Marked and display strings have newlines and runs of white space collapsed to one space.
 */
#ifndef IMR_SEARCH_H
#define IMR_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "imr_common.h"
#include "imr_db.h"
#include "imr_query.h"
#include "imr_schema.h"

#define IMR_MARK_OPEN      '\x02'
#define IMR_MARK_CLOSE     '\x03'
#define IMR_MARK_OPEN_STR  "\x02"
#define IMR_MARK_CLOSE_STR "\x03"

/*
 * What to search for. Every filter is NULL (no filter) or a comma-separated list of values, any
 * of which may match ("upheld,overturned"). Values are validated: an unknown one is
 * IMR_ERR_ARG with a message that lists the valid values.
 */
typedef struct imr_search_opts {
    const char *query;         /* query language text (imr_query.h); NULL or blank: every item */
    const char *decision;      /* upheld | overturned | unknown */
    const char *item_type;     /* item_type slugs of the brief */
    const char *body_region;   /* body_region slugs of the brief */
    const char *source;        /* guideline_source slugs (the MAXIMUS reviewer's set) */
    const char *claims_source; /* the same slugs, of the claims administrator's set */
    const char *specialty;     /* reviewer specialty slugs (imr_facet_values("specialty")), or
                                  whole words of them: "orthopedic" is orthopedic-surgery */
    const char *layout;        /* 0, 1, 2, 3 */
    const char *date_from;     /* decision date on or after YYYY, YYYY-MM or YYYY-MM-DD; a
                                  letter without one, by its year (imr_letter_t.year) */
    const char *date_to;       /* decision date on or before it (2015 = through 2015-12-31) */
    size_t limit;              /* hits (or letters, with by_letter) to return; 0 = all */
    size_t offset;             /* hits (or letters) to skip first */
    int by_letter;             /* group hits under their letter; limit/offset count letters */
    int snippet_tokens;        /* words in a snippet; 0 = IMR_SNIPPET_TOKENS */
    int literal;               /* search every query word as text: no facet words are read
                                  (IMR_QUERY_LITERAL, imr_query.h) */
    const double *bm25_weights; /* the item_fts columns' bm25 weights, IMR_N_ITEM_COLS of them in
                                   column order (imr_schema.h); NULL: IMR_ITEM_BM25_WEIGHTS */
    int related;               /* also list items of the matches' kind when they are fewer than
                                  the limit (imr_results_related()) */
} imr_search_opts_t;

/*
 * Reads IMR_N_ITEM_COLS comma-separated non-negative numbers ("10,4,1.5,0.5") from s into w
 * and returns 1; returns 0, w unchanged, when s is NULL or holds anything else. The programs
 * read $IMRSEARCH_BM25_WEIGHTS with it, for the benchmark's weight tuning (docs/benchmarks.md).
 */
IMR_API int imr_search_weights_parse(const char *s, double *w);

#define IMR_SNIPPET_TOKENS 24

/* One matching item. All strings are owned by the result set. */
typedef struct imr_hit {
    size_t rank;               /* 1-based position in the whole ranking (offset included) */
    size_t letter_rank;        /* with by_letter: 1-based rank of its letter; else 0 */
    int first_of_letter;       /* with by_letter: first hit shown of its letter */
    int64_t item_id;           /* item.id */
    int64_t letter_id;         /* letter.id */
    const char *letter;        /* letter name (file name without extension) */
    const char *path;          /* letter file path as indexed */
    const char *case_number;   /* "" when absent */
    const char *decision_date; /* "YYYY-MM-DD" or "" */
    const char *year;          /* the letter's year (imr_letter_t.year), "" when unknown */
    const char *year_source;   /* what it was read from, as imr_letter_view_t.year_source */
    int item_number;           /* 1-based position of the item in its letter */
    const char *item;          /* item text, display form, no marks */
    const char *item_marked;   /* item text, display form, matched words marked */
    const char *decision;      /* upheld | overturned | unknown */
    const char *item_type;     /* slug */
    const char *body_region;   /* slug */
    unsigned sources;          /* enum imr_source bits (MAXIMUS guideline) */
    const char *citation;      /* what the reviewer's guideline paragraph cites, display form;
                                  "" when nothing */
    int partial;               /* the letter was cut off: the item may be half read */
    double score;              /* -bm25(): higher is better; 0 for a query-less listing */
    const char *snippet;       /* marked snippet, display form; "" when the item has no text */
    const char *snippet_from;  /* FTS column the snippet comes from: "rationale", ... */
    int in_letter;             /* matched in its letter's text (a query of summary:/letter:
                                  parts only), not the item's own: the snippet is the
                                  letter's */
    int page;                  /* page of the letter where the snippet starts (1-based), 0
                                  when the letter has no pages (a text file without form
                                  feeds) */
    int related;               /* an item of the matches' kind that lacks some of the query's
                                  words (imr_results_related()), not a match */
} imr_hit_t;

typedef struct imr_results imr_results_t;

/*
 * Runs a search. On success *out holds the hits of the requested page and the totals; free it
 * with imr_results_free(). Errors: IMR_ERR_QUERY (invalid query text, message from the query
 * parser), IMR_ERR_ARG (unknown filter value or bad date), database statuses from
 * imr_db_fail(), IMR_ERR_NOMEM.
 */
IMR_API imr_status_t imr_search(imr_db_t *db, const imr_search_opts_t *opts, imr_results_t **out,
                                imr_error_t *err);

/* Hits in this page, and hit i (0-based) of them, owned by r. */
IMR_API size_t imr_results_count(const imr_results_t *r);
IMR_API const imr_hit_t *imr_results_hit(const imr_results_t *r, size_t i);

/*
 * Items, and their distinct letters, that match the query and filters on their own text, over
 * all pages: the same items the facet counts count, whatever the page size.
 */
IMR_API uint64_t imr_results_total_items(const imr_results_t *r);
IMR_API uint64_t imr_results_total_letters(const imr_results_t *r);

/*
 * The letters that a date filter (date_from, date_to) left out for having no date: no decision
 * date and nothing else that places them in a year (imr_letter_t.year), among those that match
 * the query and the other filters. 0 without a date filter.
 */
IMR_API uint64_t imr_results_undated_letters(const imr_results_t *r);

/*
 * The work the search did: the SQLite virtual-machine steps of all its statements
 * (SQLITE_STMTSTATUS_VM_STEP): about a constant per row its full-text expression matches,
 * plus the page it shows and its items of the same kind, for benchmarks and tests that
 * compare the work of two searches.
 */
IMR_API uint64_t imr_results_work(const imr_results_t *r);

/*
 * The query as the search read it (imr_query.h: its text, the facets read from it and its
 * FTS5 expressions), for showing the reading. Owned by r; NULL for a query-less listing.
 */
IMR_API const imr_query_t *imr_results_query(const imr_results_t *r);

/*
 * Items of the same kind, listed after the matches (opts.related). When a search's matches
 * are all on its first page and fewer than its limit, and most of them have one item type
 * (not `other`), these are items of that type with the facets the query read as filters
 * (decision, region, source, year, case: as their field:value forms) and the search's
 * options, that lack some of the query's words: newest decision year first, up to the limit less
 * the matches and at most IMR_RELATED_MAX (a pointer to the kind, not a listing of it: the
 * field:value forms list it all), numbered after them, each with hit->related set. They are not matches: the
 * totals do not count them, and an export leaves them out. None for a query with exclusions,
 * letter-level parts or two values of one facet, nor for a listing without a query, a page
 * after the first, by_letter or limit 0.
 *
 * imr_results_related_query() is the search they come from (its facets say the kind: "type
 * cold-heat-device", "region shoulder", ...); NULL when there are none. Owned by r.
 */
#define IMR_RELATED_MAX 10
IMR_API size_t imr_results_n_related(const imr_results_t *r);
IMR_API const imr_hit_t *imr_results_related(const imr_results_t *r, size_t i);
IMR_API const imr_query_t *imr_results_related_query(const imr_results_t *r);

/* Frees a result set. Accepts NULL. */
IMR_API void imr_results_free(imr_results_t *r);

/*
 * Validates a date bound written YYYY, YYYY-MM or YYYY-MM-DD and writes the ISO day it stands
 * for into out (11 bytes): the first day of the period when `upper` is 0, the last when 1.
 * Returns IMR_ERR_ARG with a message naming `what` (e.g. "--from") otherwise.
 */
IMR_API imr_status_t imr_date_bound(const char *text, int upper, const char *what, char out[11],
                                    imr_error_t *err);

/* ---- Facet counts ---------------------------------------------------------------------- */

/*
 * The facets a user can count by, in this order: "type", "region", "source", "decision",
 * "specialty", "year", "claims-source". The long names "item_type", "body_region",
 * "guideline_source" and "claims_source" are accepted too. `source` (the reviewer's) and
 * `claims-source` (the claims administrator's) count an item once for each source in its set;
 * `year` is the letter's year (its decision date's, else the year it prints otherwise:
 * imr_letter_t.year), "unknown" when there is none.
 */
IMR_API const char *const *imr_facet_names(void);

/* IMR_OK when name is a facet (a name of imr_facet_names() or a long form); else IMR_ERR_ARG
   with "unknown facet "x"; facets are: ...". For checking a request before a database opens. */
IMR_API imr_status_t imr_facet_check(const char *name, imr_error_t *err);

/* One table to count: one facet (n_dims 1) or a cross table of two (rows by columns). */
typedef struct imr_facet_request {
    const char *dim[2]; /* facet names as imr_facet_names() or the long forms */
    int n_dims;         /* 1 or 2 */
} imr_facet_request_t;

/*
 * A counted table. Rows are the values of dim[0]; columns those of dim[1] (one column, named
 * "count", for a one-facet table). Only values that occur are listed: decision in its natural
 * order (upheld, overturned, unknown), year ascending, others by count, most first, ties by
 * name. Totals count distinct items, so a source row or column never counts an item twice.
 * Every table also counts, per row and in all, the items decided upheld and overturned, so
 * that any table can show an overturn rate without a cross table by decision.
 */
typedef struct imr_facet_table {
    const char *dim[2]; /* canonical facet names; dim[1] NULL for one facet */
    size_t n_rows, n_cols;
    const char **row_value;    /* n_rows values */
    const char **col_value;    /* n_cols values */
    const uint64_t *count;     /* n_rows * n_cols, row-major */
    const uint64_t *row_total; /* distinct items per row */
    const uint64_t *col_total; /* distinct items per column */
    uint64_t total;            /* distinct items counted (items that match) */
    const uint64_t *row_upheld;     /* per row: its items whose decision is upheld */
    const uint64_t *row_overturned; /* per row: its items whose decision is overturned */
    uint64_t upheld, overturned;    /* the same over all the items counted, each once */
} imr_facet_table_t;

typedef struct imr_facets imr_facets_t;

/*
 * Counts, over the items matching opts (query and filters; limit, offset and by_letter are
 * ignored), each requested table. Errors: IMR_ERR_ARG for an unknown facet name (message
 * `unknown facet "foo"; facets are: type, region, ...`) or a table of more than two facets, and
 * those of imr_search().
 */
IMR_API imr_status_t imr_facets(imr_db_t *db, const imr_search_opts_t *opts,
                                const imr_facet_request_t *req, size_t n_req, imr_facets_t **out,
                                imr_error_t *err);

/* Tables, in the order requested, owned by f. Matching items and letters. */
IMR_API size_t imr_facets_count(const imr_facets_t *f);
IMR_API const imr_facet_table_t *imr_facets_table(const imr_facets_t *f, size_t i);
IMR_API uint64_t imr_facets_total_items(const imr_facets_t *f);
IMR_API uint64_t imr_facets_total_letters(const imr_facets_t *f);
/* As imr_results_undated_letters(), for the counts. */
IMR_API uint64_t imr_facets_undated_letters(const imr_facets_t *f);
/*
 * Letters that matched but from which no item was read (unparsed, or no item found in their
 * decisions section): their placeholder items are left out of every table and total.
 */
IMR_API uint64_t imr_facets_left_out(const imr_facets_t *f);

/* The query as the counts read it, as imr_results_query(); NULL without a query. Owned by f. */
IMR_API const imr_query_t *imr_facets_query(const imr_facets_t *f);

/* Frees facet counts. Accepts NULL. */
IMR_API void imr_facets_free(imr_facets_t *f);

/* ---- Database totals ------------------------------------------------------------------- */

typedef struct imr_stats {
    uint64_t letters;   /* letters indexed */
    uint64_t items;     /* items indexed */
    uint64_t complete;  /* letters parsed completely */
    uint64_t partial;   /* letters of a known layout with something missing */
    uint64_t unparsed;  /* letters of an unknown layout */
    uint64_t layout[4]; /* letters per layout: 0 (unknown), 1, 2, 3 */
} imr_stats_t;

/* Fills *out with the totals of the whole database. Errors: database statuses. */
IMR_API imr_status_t imr_stats(imr_db_t *db, imr_stats_t *out, imr_error_t *err);

/* ---- Whole letters --------------------------------------------------------------------- */

/* One item of a shown letter. Strings owned by the imr_letter_view_t. */
typedef struct imr_view_item {
    int number;       /* 1-based */
    const char *text; /* display form */
    const char *decision;
    const char *item_type;
    const char *body_region;
    unsigned sources; /* enum imr_source bits (MAXIMUS guideline) */
    const char *citation; /* what the reviewer's guideline paragraph cites; "" when nothing */
    int partial;          /* the letter was cut off: the item may be half read */
} imr_view_item_t;

/* A letter to show. Everything is owned by the view; free with imr_letter_view_free(). */
typedef struct imr_letter_view {
    int64_t id;
    const char *name, *path, *case_number;
    const char *injury_date, *ur_denial_date, *decision_date;
    const char *year;        /* the letter's year (imr_letter_t.year), "" when unknown */
    const char *year_source; /* what it was read from: decision-date | dated-line |
                                case-number | latest-date | none */
    const char *specialty;   /* as the letter prints it */
    const char *specialties; /* its slugs, comma-joined ("anesthesiology,pain-medicine"); "" */
    int layout;          /* 0..3 */
    const char *parse;   /* complete | partial | unparsed */
    const char *problem; /* why not complete; "" */
    const char *text;    /* the whole cleaned text, line breaks kept, query words marked */
    size_t n_marks;      /* words marked in text */
    const char *kind;    /* the file's kind: txt | pdf */
    const size_t *pages; /* page k + 1 starts at byte pages[k] of text; owned by the view */
    size_t n_pages;      /* 0 when the letter has no pages */
    imr_view_item_t *items;
    size_t n_items;
} imr_letter_view_t;

/*
 * Reads the letter named `id`: its exact name, a unique prefix of a name ("004"), its case
 * number, or its path as indexed. When `query` is not blank, the words of its positive terms
 * are marked in the text, matched through the imr tokenizer so inflections are marked too.
 * When no letter answers to `id`, returns IMR_OK and sets *out to NULL. Errors: IMR_ERR_ARG
 * (a prefix that fits several letters: `letter "00" is ambiguous: 000_..., 001_...`),
 * IMR_ERR_QUERY, database statuses.
 */
IMR_API imr_status_t imr_letter_show(imr_db_t *db, const char *id, const char *query,
                                     imr_letter_view_t **out, imr_error_t *err);

/* Frees a letter view. Accepts NULL. */
IMR_API void imr_letter_view_free(imr_letter_view_t *v);

#endif
