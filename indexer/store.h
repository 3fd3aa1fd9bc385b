/*
 * store.h - the indexer object and the storing of one prepared file, which store.c owns and
 * pipeline.c drives (private to the library; store.c has the design note).
 */
#ifndef IMR_STORE_H
#define IMR_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "imr.h"
#include "pdf.h"
#include "prepare.h"
#include "tokenizer.h"

/* The statements the indexer prepares once (store.c). */
enum imr__stmt_id {
    S_FIND,       /* id, hash, path of a letter by name */
    S_SET_PATH,   /* move a letter to another path */
    S_FTS_DELETE, /* forget a letter's items in item_fts */
    S_LFTS_DELETE, /* forget a letter in letter_fts */
    S_DEL_ITEM,   /* delete a letter's item rows */
    S_DEL_LETTER, /* delete a letter row */
    S_INS_LETTER,
    S_INS_ITEM,
    S_INS_FTS,
    S_INS_LFTS,
    N_STMTS
};

/* Made by imr_indexer_new(), freed by imr_indexer_free() (store.c). */
struct imr_indexer {
    imr_db_t *db;
    sqlite3 *sql;
    sqlite3_stmt *st[N_STMTS];
    imr_index_options_t opt;
    int in_txn;           /* a batch transaction is open */
    int first_load;       /* the database held no letter: see FTS_FIRST_LOAD_CRISISMERGE */
    size_t batch_letters; /* letters written in the open batch */
    uint64_t batch_bytes; /* text bytes written in the open batch */
    size_t run_written;   /* letters written (new or changed) in this run */
    size_t changes_noted; /* items written or removed this run, as far as meta counts them */
    long long items_at_start; /* items in the database when the indexer was made */
    unsigned char *seen;  /* bitmap of letter.id values met in this run */
    size_t seen_bytes;
    imr__prep_t prep;              /* the file being added by imr_indexer_add_file() */
    char name[IMR_FILE_PATH_MAX];  /* the id of the letter being written */
    imr__pdf_pool_t *pdf;          /* the writing thread's PDF extractions */
    imr__tok_shared_t *tok_shared; /* the connection's tokenizer state, for replays; or NULL */
    int failed;                    /* a database error happened: only free is allowed */
    imr_index_stats_t stats;
};

/* Does the database hold a letter (in the open transaction, if any)? 1 when unsure. */
int imr__indexer_has_letters(imr_indexer_t *ix);

/*
 * Writes one prepared file: looks its id up, skips a duplicate, leaves an unchanged letter
 * alone, and otherwise (parsing now, with ix->pdf, if the preparation did not) replaces the
 * letter's rows, committing when the batch is full. Fills res; returns IMR_OK, or the error
 * that stops the run.
 */
imr_status_t imr__store_prepared(imr_indexer_t *ix, const char *path, imr__prep_t *pr,
                                 imr_file_result_t *res, imr_error_t *err);

#endif
