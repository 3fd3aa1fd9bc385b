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

typedef struct imr_query imr_query_t;

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
 * The wider pass: for a query without any field scope, its top-level parts, each an FTS5
 * expression without column filters (valid for both tables), owned by q; *excluded (when not
 * NULL) is set for a part that is excluded. imr_query_n_parts() is 0 for a query with a field
 * scope or an empty query.
 */
IMR_API size_t imr_query_n_parts(const imr_query_t *q);
IMR_API const char *imr_query_part(const imr_query_t *q, size_t i, int *excluded);

/*
 * The query's positive words, phrases and prefixes as written (without operators, negated
 * parts, or field names), for highlighting a whole letter. Owned by q. A prefix term ends in '*'.
 */
IMR_API size_t imr_query_n_terms(const imr_query_t *q);
IMR_API const char *imr_query_term(const imr_query_t *q, size_t i);

#endif
