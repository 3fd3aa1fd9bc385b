/*
 * prepare.h - preparing one letter file for the database without writing to it: read, sniff,
 * hash, parse, tokenize ahead (private to the library; prepare.c has the design note). Used by
 * store.c, which writes what it prepared, and pipeline.c, which prepares ahead of the writer.
 */
#ifndef IMR_PREPARE_H
#define IMR_PREPARE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "imr.h"
#include "imr_schema.h"
#include "pdf.h"
#include "tokenizer.h"

/*
 * A file read, checked, hashed and perhaps parsed: all the work on one file that needs no
 * write to the database, so that it can run ahead in another thread (pipeline.c). Zeroed,
 * it is empty; it keeps its buffers from one file to the next; imr__prep_free() frees it.
 */
typedef struct imr__prep {
    imr_error_t err;          /* err.status != IMR_OK: stop the run with this error */
    imr_skip_reason_t reason; /* not NONE: skipped before any lookup; why says why */
    char why[512];            /* why the file is skipped, without its path */
    char *buf; /* the file's bytes, NUL-terminated; owned, reused */
    size_t cap, n;
    int read_ok;    /* the bytes were read (counted in bytes_read) */
    char name[256]; /* the letter id */
    char hash[17];  /* the content hash in hex */
    int pdf;        /* the bytes are a PDF: text is its extracted text */
    int job;        /* the PDF's extraction in the preparing thread's pool, or -1 */
    char *text;     /* a PDF's text (pdf.c), owned; NULL before extraction */
    size_t text_n;
    int parsed;     /* imr_letter_parse() was called: see letter, parse_st */
    imr_status_t parse_st;
    imr_letter_t *letter;  /* owned */
    imr__pretok_t *tokens; /* owned, reused; letter's texts tokenized ahead, when it holds
                              their IMR__FTS_TEXTS(letter) texts */
} imr__prep_t;

/*
 * The texts a letter gives the full-text tables, in the one order in which store.c inserts
 * them and imr__prep_finish() tokenizes them ahead (the writer's tokenizer replays the tokens
 * in this order): row 0 is the letter's row of letter_fts, row 1 + i item i's row of item_fts.
 * Fills spans with the row's columns, indexed by enum imr_letter_column (row 0) or enum
 * imr_item_column, and returns how many; 0 past the last row.
 */
#define IMR__FTS_MAX_COLS IMR_N_ITEM_COLS /* the most columns of a row: letter_fts has fewer */
size_t imr__fts_row(const imr_letter_t *L, size_t row, imr_span_t spans[IMR__FTS_MAX_COLS]);

/* The number of texts of all the rows of imr__fts_row(). */
#define IMR__FTS_TEXTS(L) (IMR_N_LETTER_COLS + (L)->n_items * IMR_N_ITEM_COLS)

/* Does every span of a parsed letter lie inside its text? */
int imr__letter_spans_valid(const imr_letter_t *L);

/*
 * The k-th id that the letter of `path` may take (docs/schema.md, "Letter identity"), into
 * name (n bytes): k = 0 its file name without the extension ("letter"); k = 1, 2, ... that name
 * after one, two, ... of its folders ("b/letter", "a/b/letter"); after the last folder, the
 * whole path. Returns 0 when there is no k-th id (or it does not fit).
 */
int imr__letter_name(const char *path, size_t k, char *name, size_t n);

/*
 * Maps an errno value met on a file or folder to a skip reason and a static lower-case
 * description for "PATH: description" ("no such file or directory", "permission denied", ...).
 * Used for the files read here and the folders walk.c lists.
 */
imr_skip_reason_t imr__errno_reason(int e, const char **what);

/* The limits of PDF extraction that options ask for. */
imr__pdf_limits_t imr__prep_pdf_limits(const imr_index_options_t *o);

/*
 * Starts the write-free work on one file into p: read, sniff, hash; then, unless `known` (a
 * statement reading letter.hash by name on a connection of the calling thread, or NULL) says
 * the database already holds these bytes, marks it for parsing (p->parsed 0, p->job -1 ...).
 * Problems end up in p->reason / p->err. Returns 1 when imr__prep_finish() has work to do.
 */
int imr__prep_start(imr__prep_t *p, const char *path, sqlite3_stmt *known);

/* Starts the extraction of p's PDF with `pool` when it waits for one and the pool has room. */
void imr__prep_launch(imr__prep_t *p, imr__pdf_pool_t *pool);

/*
 * Makes sure p's PDF has its text: extracts it with `pool` (finishing the job p->job if one
 * was started). Returns 1 when the text is there (or p is no PDF), else 0 with p->parsed set
 * and p->parse_st IMR_ERR_INPUT (p->reason IMR_SKIP_PDF, p->why the reason), or p->err.
 */
int imr__prep_extract(imr__prep_t *p, const char *path, imr__pdf_pool_t *pool);

/*
 * Parses p's text: a text file's bytes, or a PDF's text, extracted first when it is not yet
 * (imr__prep_extract). A refusal leaves p->parse_st IMR_ERR_INPUT (p->reason IMR_SKIP_PDF for
 * a PDF that cannot be read) and p->why the reason; another error p->err.
 */
void imr__prep_parse(imr__prep_t *p, const char *path, imr__pdf_pool_t *pool);

/*
 * Ends the write-free work imr__prep_start() began: parses (extracting a PDF's text with
 * `pool` first), then, with `tok` (a tokenizer of the calling thread, or NULL for none),
 * tokenizes the letter's texts for the full-text tables (imr__fts_row(), in its order).
 */
void imr__prep_finish(imr__prep_t *p, const char *path, imr__pdf_pool_t *pool, imr__tok_t *tok);

/* The bytes of memory p holds: the file's bytes, a PDF's text, the parse and the tokens. */
uint64_t imr__prep_bytes(const imr__prep_t *p);

/*
 * Once p's file is written: frees its parse and a PDF's text, and its buffers too when they
 * hold more than `keep` bytes (kept, they are reused by the next file).
 */
void imr__prep_release(imr__prep_t *p, uint64_t keep);

/* Frees what p owns and zeroes it. */
void imr__prep_free(imr__prep_t *p);

#endif
