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
#define IMR_SCHEMA_VERSION 4
/* PRAGMA application_id: "IMRS" in ASCII, so `file` and imrsearch recognise the database. */
#define IMR_APPLICATION_ID 0x494d5253

/* Ordinary tables. */
#define IMR_TABLE_META        "meta"        /* key/value: schema version, tokenizer, created */
#define IMR_TABLE_LETTER      "letter"      /* one row per letter file, with its cleaned text */
#define IMR_TABLE_ITEM        "item"        /* one row per disputed item, with its facets */
#define IMR_TABLE_ITEM_SOURCE "item_source" /* view: item.sources, item.ca_sources as rows */
#define IMR_VIEW_ITEM_DOC     "item_doc"    /* FTS5 external content: each item's own text */
#define IMR_TABLE_ITEM_FTS    "item_fts"    /* FTS5 index over item_doc, tokenize='imr' */
#define IMR_VIEW_LETTER_DOC   "letter_doc"  /* FTS5 external content: each letter's own text */
#define IMR_TABLE_LETTER_FTS  "letter_fts"  /* FTS5 index over letter_doc, tokenize='imr' */
#define IMR_TABLE_ITEM_TERM   "item_term"   /* per term of item_fts: the items it occurs in */

/*
 * The columns of item_fts (and item_doc), in order: one row per item, the item's own text.
 * What the item shares with the other items of its letter is indexed once, in letter_fts.
 */
enum imr_item_column {
    IMR_COL_ITEM = 0,     /* the disputed item as written */
    IMR_COL_RATIONALE,    /* the reviewer's decision rationale */
    IMR_COL_GUIDELINE,    /* the MAXIMUS (reviewer's) guideline paragraph */
    IMR_COL_CA_GUIDELINE, /* the claims administrator's guideline paragraph */
    IMR_N_ITEM_COLS
};

/* Column names of item_fts, indexed by enum imr_item_column. */
#define IMR_ITEM_COLUMN_NAMES {"item", "rationale", "guideline", "ca_guideline"}

/* The columns of letter_fts (and letter_doc), in order: one row per letter. */
enum imr_letter_column {
    IMR_LCOL_SUMMARY = 0, /* the letter's clinical case summary */
    IMR_LCOL_OTHER,       /* the rest of the letter: header, reviewer, documents reviewed */
    IMR_N_LETTER_COLS
};

/* Column names of letter_fts, indexed by enum imr_letter_column. */
#define IMR_LETTER_COLUMN_NAMES {"summary", "other"}

/*
 * bm25() column weights of item_fts, indexed by enum imr_item_column: the item's own words
 * and its rationale count most. Tuned by the benchmark (docs/benchmarks.md).
 */
#define IMR_ITEM_BM25_WEIGHTS {10.0, 4.0, 1.5, 0.5}

/*
 * Factor on the bm25() score of an item without a rationale (a truncated or unparsed letter):
 * its item_fts row holds little more than the item line, and BM25's length normalisation
 * would otherwise put such rows above the items a reader can judge. Measured on the
 * 200,000-letter generated corpus (docs/schema.md).
 */
#define IMR_NO_RATIONALE_FACTOR 0.5

/*
 * Factors on an item's score from the query's reading (docs/query-syntax.md): for each group
 * of region or guideline words in the query, IMR_FACET_AGREE_BOOST when the item's facet is
 * one of them, and IMR_FACET_TEXT_BOOST when the words are in its own text (for a region, its
 * item line). Tuned on the typed-query benchmark (docs/benchmarks.md).
 */
#define IMR_FACET_AGREE_BOOST 1.5
#define IMR_FACET_TEXT_BOOST 1.2

/*
 * Factor 1 + IMR_PROXIMITY_BOOST * share of the query's neighbouring words that stand next to
 * each other, in order, in the item line or the rationale ("continuous flow cryotherapy"
 * written as the user typed it beats the three words scattered).
 */
#define IMR_PROXIMITY_BOOST 0.5

/*
 * bm25() column weights of letter_fts, indexed by enum imr_letter_column: the case summary
 * counts ten times the boilerplate, as it did when both were columns of item_fts.
 */
#define IMR_LETTER_BM25_WEIGHTS {1.0, 0.1}

/*
 * An item's id is its letter's id times IMR_ITEMS_PER_LETTER plus its 1-based position in the
 * letter, so a search reads the letter of every full-text match from the match's rowid, with
 * no lookup in the item table. A letter keeps at most IMR_MAX_ITEMS items (the parser reports
 * the rest). IMR_SQL_ITEMS_OF(l) is the SQL condition "item.id belongs to the letter whose id
 * is the SQL expression l" (a range of the primary key), for the id column `col`;
 * IMR_SQL_ITEM_ID(l, ord) is the id as an SQL expression.
 */
#define IMR_ITEMS_PER_LETTER 1024
#define IMR_MAX_ITEMS 1023 /* IMR_ITEMS_PER_LETTER - 1 */
#define IMR_ITEM_ID(letter_id, ord) ((letter_id) * IMR_ITEMS_PER_LETTER + (ord))
#define IMR_ITEM_LETTER(item_id) ((item_id) / IMR_ITEMS_PER_LETTER)
#define IMR_XSTR_(x) #x
#define IMR_XSTR(x) IMR_XSTR_(x)
#define IMR_SQL_ITEM_ID(l, ord) "(" l ") * " IMR_XSTR(IMR_ITEMS_PER_LETTER) " + (" ord ")"
#define IMR_SQL_ITEMS_OF(col, l)                                                                   \
    col " BETWEEN " IMR_SQL_ITEM_ID(l, "0") " AND " IMR_SQL_ITEM_ID(l, IMR_XSTR(IMR_MAX_ITEMS))

/*
 * The SQL condition "letter row l was cut off" (its warnings hold IMR_WARN_TRUNCATED, whose
 * value db.c checks): every item of such a letter is shown as partial.
 */
#define IMR_SQL_TRUNCATED(l) "(" l ".warnings & 2) != 0"
#define IMR_SQL_TRUNCATED_BIT 2

/* The parties of the item_source view: item.sources is maximus', item.ca_sources claims'. */
#define IMR_PARTY_MAXIMUS "maximus" /* the IMR reviewer: the guideline_source facet */
#define IMR_PARTY_CLAIMS  "claims"  /* the claims administrator's utilization review */

#endif
