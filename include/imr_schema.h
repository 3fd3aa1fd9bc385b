/*
 * imr_schema.h - the one owner of the database schema's names and numbers.
 *
 * The indexer's INSERTs, the search's bm25() weights and snippet() column numbers, the query
 * translator's field scopes and docs/schema.md all follow this file; change them together.
 * The DDL itself is in indexer/db.c, built from these names.
 */
#ifndef IMR_SCHEMA_H
#define IMR_SCHEMA_H

/* PRAGMA user_version of a database this code builds and reads. Bump on any schema change. */
#define IMR_SCHEMA_VERSION 1
/* PRAGMA application_id: "IMRS" in ASCII, so `file` and imrsearch recognise the database. */
#define IMR_APPLICATION_ID 0x494d5253

/* Ordinary tables. */
#define IMR_TABLE_META        "meta"        /* key/value: schema version, tokenizer, created */
#define IMR_TABLE_LETTER      "letter"      /* one row per letter file, with its cleaned text */
#define IMR_TABLE_ITEM        "item"        /* one row per disputed item, with its facets */
#define IMR_TABLE_ITEM_SOURCE "item_source" /* guideline sources, a set per item and party */
#define IMR_VIEW_ITEM_DOC     "item_doc"    /* the FTS5 external content: text of each item */
#define IMR_TABLE_ITEM_FTS    "item_fts"    /* FTS5 index over item_doc, tokenize='imr' */

/*
 * The columns of item_fts (and item_doc), in order. An item's row holds its own text and the
 * text of its letter that a reader would use to judge it: the case summary and the rest of
 * the letter (reviewer qualifications, documents reviewed, header).
 */
enum imr_fts_column {
    IMR_COL_ITEM = 0,     /* the disputed item as written */
    IMR_COL_RATIONALE,    /* the reviewer's decision rationale */
    IMR_COL_GUIDELINE,    /* the MAXIMUS (reviewer's) guideline paragraph */
    IMR_COL_CA_GUIDELINE, /* the claims administrator's guideline paragraph */
    IMR_COL_SUMMARY,      /* the letter's clinical case summary */
    IMR_COL_OTHER,        /* the rest of the letter: header, reviewer, documents reviewed */
    IMR_N_COLS
};

/* Column names, indexed by enum imr_fts_column. */
#define IMR_FTS_COLUMN_NAMES {"item", "rationale", "guideline", "ca_guideline", "summary", "other"}

/*
 * bm25() column weights, indexed by enum imr_fts_column: the item's own words and its
 * rationale count most, the boilerplate least. Tuned by the benchmark (docs/benchmarks.md).
 */
#define IMR_BM25_WEIGHTS {10.0, 4.0, 1.5, 0.5, 1.0, 0.1}

/* Parties whose guideline sources item_source records. */
#define IMR_PARTY_MAXIMUS "maximus" /* the IMR reviewer: the guideline_source facet */
#define IMR_PARTY_CLAIMS  "claims"  /* the claims administrator's utilization review */

#endif
