/*
 * imr_query.h - the query language: a user's string -> an FTS5 MATCH expression.
 *
 * The language is documented in docs/query-syntax.md. Every input is either translated into
 * valid FTS5 expressions over item_fts and letter_fts (column names from imr_schema.h) or
 * refused with a one-line message that points at the problem. Nothing a user types reaches SQLite as syntax.
 */
#ifndef IMR_QUERY_H
#define IMR_QUERY_H

#include <stddef.h>

#include "imr_common.h"

typedef struct imr_query imr_query_t;
typedef struct imr_db imr_db_t;

/*
 * Parses `text`, expanding abbreviations from query/synonyms.txt. An empty or blank string is
 * a valid query that matches every item (for filter-only searches). Returns IMR_ERR_QUERY with
 * a message such as `unbalanced quote: "cold unit` or `NEAR needs at least two words (at
 * column 5)`, or IMR_ERR_NOMEM. On success *out owns everything; free with imr_query_free().
 */
IMR_API imr_status_t imr_query_parse(const char *text, imr_query_t **out, imr_error_t *err);

/* Frees a query. Accepts NULL. */
IMR_API void imr_query_free(imr_query_t *q);

/*
 * A query is an AND of top-level parts, each routed to one FTS5 table: unscoped words and
 * item:, rationale:, guideline: to item_fts (the item's own text), summary: and letter: to
 * letter_fts (the letter's text). A part that needs both tables inside one OR, NOT or NEAR is
 * refused with IMR_ERR_QUERY.
 *
 * imr_query_fts5(): the MATCH expression for item_fts of the item-level parts, owned by q, or
 * NULL when there is none. imr_query_fts5_letter(): the same for letter_fts and the
 * letter-level parts. Both NULL: the query is empty (match everything).
 */
IMR_API const char *imr_query_fts5(const imr_query_t *q);
IMR_API const char *imr_query_fts5_letter(const imr_query_t *q);

/*
 * A query of facets and exclusions only (`overturned -knee`, docs/query-syntax.md): the
 * item_fts expression of the items left out; NULL for any other query.
 */
IMR_API const char *imr_query_fts5_exclude(const imr_query_t *q);

/* ---- The reading: facet words in the query (docs/query-syntax.md, "How a query is read") ---- */

/* imr_query_parse_flags(): every word is text; no facet word is read. */
#define IMR_QUERY_LITERAL 1u

/*
 * Parses as imr_query_parse() does. With IMR_QUERY_LITERAL the query is searched as written;
 * otherwise its unquoted top-level words that name a facet value are read as that facet
 * (imr_query_facet()) and taken out of the text query.
 */
IMR_API imr_status_t imr_query_parse_flags(const char *text, unsigned flags, imr_query_t **out,
                                           imr_error_t *err);

/* One facet read from the query. Strings owned by the query. */
typedef struct imr_query_facet {
    const char *field;   /* "decision", "region", "source" (words), or "type", "year", "case"
                            and those three (field:value forms) */
    const char *value;   /* a slug of the dictionaries, or the value of field:value as typed
                            (checked by the search) */
    const char *written; /* the words of the query it was read from */
    int soft;            /* 0: a filter, like the option. 1 (region and source words): the item
                            has the facet OR the words in its own text (columns `cols`) */
    int negated;         /* typed as an exclusion (`-lumbar`, `not denied`, `-region:knee`): the
                            item must not have the facet, nor, for a region or source word, the
                            word in its own text (columns `cols`) */
    unsigned cols;       /* soft or negated: bit i for item_fts column i (0: none) */
    int phrase;          /* soft: the words' phrase in imr_query_fts5(), or -1 when there is no
                            item-level text (then probe() alone is searched) */
    const char *probe;   /* soft: an item_fts expression of the words in those columns */
} imr_query_facet_t;

/* ---- Spelling: words that no item holds (docs/query-syntax.md, "Misspelt words") ---- */

/*
 * Corrects the spelling of *q against the items of db: a plain word of four letters or more
 * (not quoted, not a prefix, not a facet word or abbreviation) is replaced by the word one
 * edit away (a letter left out, added, changed, two letters swapped, or a space added) that
 * most items hold, when at least IMR_SPELL_MIN_ITEMS do and IMR_SPELL_RATIO times as many as
 * hold the word typed (none, mostly; the letters have typos of their own). When a word
 * changed, *q is replaced by the parse of the corrected text (with the flags it was parsed
 * with), which lists the corrections; otherwise *q is left as it is. A literal query
 * (IMR_QUERY_LITERAL) is never corrected. Returns IMR_OK, or a database error or
 * IMR_ERR_NOMEM (*q unchanged).
 */
#define IMR_SPELL_MIN_ITEMS 3
#define IMR_SPELL_RATIO 500
IMR_API imr_status_t imr_query_correct(imr_db_t *db, imr_query_t **q, imr_error_t *err);

/* The corrections of q; correction i as the word typed and the word searched (owned by q).
   imr_query_correction() returns 0 when i is out of range. */
IMR_API size_t imr_query_n_corrections(const imr_query_t *q);
IMR_API int imr_query_correction(const imr_query_t *q, size_t i, const char **typed,
                                 const char **searched);

/*
 * The words the search left out because no item matched them all (docs/query-syntax.md, "When
 * no item has every word"), as typed, in the order they were left out; NULL when i is out of
 * range. Set by the search (imr_search(), imr_facets()), never by imr_query_parse().
 */
IMR_API size_t imr_query_n_dropped(const imr_query_t *q);
IMR_API const char *imr_query_dropped(const imr_query_t *q, size_t i);

/* Facets read, and facet i of them; NULL when i is out of range. */
IMR_API size_t imr_query_n_facets(const imr_query_t *q);
IMR_API const imr_query_facet_t *imr_query_facet(const imr_query_t *q, size_t i);

/*
 * The phrases of imr_query_fts5() that are the text query and score: the first n. The rest
 * only find the soft facets' words (and do not change what matches).
 */
IMR_API int imr_query_n_scored(const imr_query_t *q);

/* The query as searched as text: the query without its facet words, as written. Owned by q. */
IMR_API const char *imr_query_text(const imr_query_t *q);

/*
 * The query's positive words, phrases and prefixes as written (without operators, negated
 * parts, or field names), for highlighting a whole letter. Owned by q. A prefix term ends in '*'.
 */
IMR_API size_t imr_query_n_terms(const imr_query_t *q);
IMR_API const char *imr_query_term(const imr_query_t *q, size_t i);

#endif
