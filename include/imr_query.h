/*
 * imr_query.h - the query language: a user's string -> an FTS5 MATCH expression.
 */
#ifndef IMR_QUERY_H
#define IMR_QUERY_H

#endif
