/*
 * imr_schema.h - the one owner of the database schema's names and numbers.
 *
 * The indexer's INSERTs, the search's bm25() weights and snippet() column numbers, the query
 * translator's field scopes and docs/schema.md all follow this file; change them together.
 * The DDL itself is in indexer/db.c, built from these names and column lists.
 */
#ifndef IMR_SCHEMA_H
#define IMR_SCHEMA_H

/* PRAGMA user_version of a database this code builds and reads. Bump on any schema change. */
#define IMR_SCHEMA_VERSION 7
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
 * The columns of the ordinary tables, each table's once and in order, as X(name, declaration).
 * indexer/db.c makes the CREATE TABLE statements of them (each name padded to the table's
 * longest), indexer/store.c the INSERTs of letter and item; tests/unit/test_schema.c compares
 * them with PRAGMA table_xinfo of a new database; docs/schema.md describes every column.
 */
#define IMR_META_COLUMNS(X)                                                                        \
    X(key, "TEXT PRIMARY KEY")                                                                     \
    X(value, "TEXT NOT NULL")

#define IMR_LETTER_COLUMNS(X)                                                                      \
    X(id, "INTEGER PRIMARY KEY")                                                                   \
    X(name, "TEXT NOT NULL UNIQUE") /* file name without extension */                              \
    X(path, "TEXT NOT NULL")                                                                       \
    X(hash, "TEXT NOT NULL") /* content hash of the file's bytes */                                \
    X(size, "INTEGER NOT NULL")                                                                    \
    X(layout, "INTEGER NOT NULL") /* 0 unknown, 1, 2, 3 */                                         \
    X(parse, "TEXT NOT NULL")     /* complete | partial | unparsed */                              \
    X(problem, "TEXT NOT NULL DEFAULT ''")                                                         \
    X(warnings, "INTEGER NOT NULL DEFAULT 0")                                                      \
    X(case_number, "TEXT NOT NULL DEFAULT ''")                                                     \
    X(injury_date, "TEXT NOT NULL DEFAULT ''")                                                     \
    X(ur_denial_date, "TEXT NOT NULL DEFAULT ''")                                                  \
    X(decision_date, "TEXT NOT NULL DEFAULT ''")                                                   \
    X(year, "TEXT NOT NULL DEFAULT ''") /* the year the letter is placed in, '' when none */       \
    X(year_source, "TEXT NOT NULL DEFAULT 'none'") /* what year was read from */                   \
    X(specialty, "TEXT NOT NULL DEFAULT ''")   /* as the letter prints it */                       \
    X(specialties, "TEXT NOT NULL DEFAULT ''") /* its slugs, comma-joined */                       \
    X(text, "TEXT NOT NULL") /* cleaned text; spans index its bytes */                             \
    X(summary_off, "INTEGER NOT NULL")                                                             \
    X(summary_len, "INTEGER NOT NULL")                                                             \
    X(other_off, "INTEGER NOT NULL")                                                               \
    X(other_len, "INTEGER NOT NULL")                                                               \
    X(kind, "TEXT NOT NULL DEFAULT 'txt'") /* the file's: txt | pdf */                             \
    X(pages, "TEXT NOT NULL DEFAULT ''")   /* page starts in text: "0 2861 ..." */

#define IMR_ITEM_COLUMNS(X)                                                                        \
    X(id, "INTEGER PRIMARY KEY") /* IMR_ITEM_ID(letter_id, ord) */                                 \
    X(letter_id, "INTEGER NOT NULL REFERENCES " IMR_TABLE_LETTER "(id) ON DELETE CASCADE")         \
    X(ord, "INTEGER NOT NULL") /* 1-based position in the letter */                                \
    X(decision, "TEXT NOT NULL")                                                                   \
    X(item_type, "TEXT NOT NULL")                                                                  \
    X(body_region, "TEXT NOT NULL")                                                                \
    X(text_off, "INTEGER NOT NULL")                                                                \
    X(text_len, "INTEGER NOT NULL")                                                                \
    X(guideline_off, "INTEGER NOT NULL")                                                           \
    X(guideline_len, "INTEGER NOT NULL")                                                           \
    X(ca_off, "INTEGER NOT NULL")                                                                  \
    X(ca_len, "INTEGER NOT NULL")                                                                  \
    X(rationale_off, "INTEGER NOT NULL")                                                           \
    X(rationale_len, "INTEGER NOT NULL")                                                           \
    X(sources, "INTEGER NOT NULL")    /* MAXIMUS guideline sources, enum imr_source bits */        \
    X(ca_sources, "INTEGER NOT NULL") /* the claims administrator's, the same way */               \
    X(year, "TEXT NOT NULL")          /* its letter's year (letter.year), '' when unknown */       \
    X(citation, "TEXT NOT NULL DEFAULT ''") /* what the reviewer's paragraph cites */          \
    X(placeholder, "INTEGER NOT NULL DEFAULT 0") /* 1: a letter's pseudo-item, no item read */

/* item_term: the items each term of item_fts occurs in (indexer/term_stats.c). */
#define IMR_ITEM_TERM_COLUMNS(X)                                                                   \
    X(term, "TEXT PRIMARY KEY")                                                                    \
    X(docs, "INTEGER NOT NULL")

/*
 * The columns of item_fts (and of its content view item_doc, after id and letter_id), in order,
 * as X(enumerator, name, span): one row per item, the item's own text, the span of item
 * (span_off, span_len) that the view cuts out of letter.text. What the item shares with the
 * other items of its letter is indexed once, in letter_fts.
 */
#define IMR_ITEM_FTS_COLUMNS(X)                                                                    \
    X(IMR_COL_ITEM, item, text)                 /* the disputed item as written */                 \
    X(IMR_COL_RATIONALE, rationale, rationale)  /* the reviewer's decision rationale */            \
    X(IMR_COL_GUIDELINE, guideline, guideline)  /* the MAXIMUS (reviewer's) guideline paragraph */ \
    X(IMR_COL_CA_GUIDELINE, ca_guideline, ca)   /* the claims administrator's guideline paragraph */

/*
 * The columns of letter_fts (and of letter_doc, after id), in order, as X(enumerator, name,
 * span): one row per letter; span as for item_fts, a span of letter.
 */
#define IMR_LETTER_FTS_COLUMNS(X)                                                                  \
    X(IMR_LCOL_SUMMARY, summary, summary) /* the letter's clinical case summary */                 \
    X(IMR_LCOL_OTHER, other, other) /* the rest of the letter: header, reviewer, documents */

#define IMR_FTS_ENUMERATOR_(e, name, span) e,
#define IMR_FTS_NAME_(e, name, span) #name,

/* The full-text columns in SQL, each after ", ": ", item, rationale, guideline, ca_guideline". */
#define IMR_FTS_SQL_NAME_(e, name, span) ", " #name
#define IMR_SQL_ITEM_FTS_COLUMNS IMR_ITEM_FTS_COLUMNS(IMR_FTS_SQL_NAME_)
#define IMR_SQL_LETTER_FTS_COLUMNS IMR_LETTER_FTS_COLUMNS(IMR_FTS_SQL_NAME_)

/* The columns of item_fts as numbers: its column k is IMR_ITEM_FTS_COLUMNS' k-th. */
enum imr_item_column { IMR_ITEM_FTS_COLUMNS(IMR_FTS_ENUMERATOR_) IMR_N_ITEM_COLS };

/* Column names of item_fts, indexed by enum imr_item_column. */
#define IMR_ITEM_COLUMN_NAMES {IMR_ITEM_FTS_COLUMNS(IMR_FTS_NAME_)}

/* The columns of letter_fts as numbers. */
enum imr_letter_column { IMR_LETTER_FTS_COLUMNS(IMR_FTS_ENUMERATOR_) IMR_N_LETTER_COLS };

/* Column names of letter_fts, indexed by enum imr_letter_column. */
#define IMR_LETTER_COLUMN_NAMES {IMR_LETTER_FTS_COLUMNS(IMR_FTS_NAME_)}

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
