/*
 * imr_index.h - storing letters in the database: incremental, batched, crash-safe.
 *
 * Two parts. A file list (imr_file_list_t) turns the paths a user gives into letter files: a
 * folder is walked recursively in sorted order for `*.txt`, `*.text` and `*.pdf` files, a file
 * is taken as given; what cannot be walked is recorded as a problem. An indexer (imr_indexer_t) then adds the
 * files one at a time: it reads a file, hashes its bytes, skips it when the database already
 * holds a letter of the same id and hash, and otherwise parses it and replaces the letter's
 * rows (letter, item and the item_fts and letter_fts indexes). Letters are written in batched
 * transactions; a letter is either wholly in the database or not at all, so a run killed at
 * any moment leaves a consistent database and the next run completes the work.
 *
 * A letter's id is its file name without the extension ("004_86369982a4019b49"), unless
 * another letter whose file still exists holds that id: then its folders come in front, as
 * few as make it free ("b/letter"; docs/schema.md, "Letter identity"). Its path is kept as
 * given (made absolute) so that --prune can tell which files are gone.
 */
#ifndef IMR_INDEX_H
#define IMR_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "imr_common.h"
#include "imr_db.h"
#include "imr_letter.h"

/* Why a file was not indexed. Each has a slug (imr_skip_reason_slug) for the summary. */
typedef enum imr_skip_reason {
    IMR_SKIP_NONE = 0,   /* not skipped */
    IMR_SKIP_MISSING,    /* "no such file or directory" */
    IMR_SKIP_UNREADABLE, /* "permission denied" or another read error */
    IMR_SKIP_LOOP,       /* "symbolic link loop" */
    IMR_SKIP_EMPTY,      /* "empty file" (no bytes, or only white space) */
    IMR_SKIP_BINARY,     /* "binary file" (NUL bytes) */
    IMR_SKIP_PDF,        /* a PDF that cannot be read: encrypted, damaged, no text layer, ... */
    IMR_SKIP_TOO_LARGE,  /* larger than IMR_MAX_LETTER_BYTES */
    IMR_SKIP_NOT_LETTER, /* the parser refused the text for another reason */
    IMR_SKIP_DUPLICATE,  /* a letter of the same id was already added in this run */
    IMR_N_SKIP
} imr_skip_reason_t;

/* The largest letter file read, in bytes; real letters are 3-15 KB (PDFs 30-200 KB). */
#define IMR_MAX_LETTER_BYTES (64u << 20)

/* Defaults of PDF extraction (imr_index_options_t): seconds a PDF may take, pages it may have. */
#define IMR_PDF_SECONDS   30
#define IMR_PDF_MAX_PAGES 200
/* Address space, in MB, that a PDF's extraction may add to the indexer's. */
#define IMR_PDF_MEMORY_MB 1024

/* Default of imr_index_options_t.read_ahead, in MB (docs/reliability.md has the peaks). */
#define IMR_READ_AHEAD_MB 64

/* A short static slug of `reason` for summaries: "missing", "empty", "PDF", ... */
IMR_API const char *imr_skip_reason_slug(imr_skip_reason_t reason);

/* ---- File lists ---------------------------------------------------------------------- */

typedef struct imr_file_list imr_file_list_t;

/* Creates an empty list in *out. Free with imr_file_list_free(). IMR_ERR_NOMEM. */
IMR_API imr_status_t imr_file_list_new(imr_file_list_t **out, imr_error_t *err);

/* Frees a list and every string it owns. Accepts NULL. */
IMR_API void imr_file_list_free(imr_file_list_t *list);

/*
 * Adds `path`: a regular file is added as given, whatever its extension; a folder is walked
 * recursively, in byte order of names, for regular files ending in ".txt", ".text" or ".pdf" in
 * any case (symbolic links are followed; a folder met again below itself is a loop, reported
 * once and not entered again).
 * Problems are not errors: a missing path, an unreadable folder or a loop is recorded (see
 * imr_file_list_problem) and the walk goes on. Returns IMR_ERR_NOMEM only.
 */
IMR_API imr_status_t imr_file_list_add(imr_file_list_t *list, const char *path, imr_error_t *err);

/* The number of files found so far, and the sum of their sizes in bytes. */
IMR_API size_t imr_file_list_count(const imr_file_list_t *list);
IMR_API uint64_t imr_file_list_bytes(const imr_file_list_t *list);

/* The longest path a list holds, with its NUL: a longer one is a problem ("path too long"). */
#define IMR_FILE_PATH_MAX 8192

/*
 * Copies the i-th file's path (i < count) into buf, of n bytes (IMR_FILE_PATH_MAX always
 * suffices), NUL-terminated and cut short when n is smaller; returns its length. A list keeps
 * each folder's path once and each file's name, about 30 bytes a file, and assembles paths
 * on request, so that a list of millions of files stays small.
 */
IMR_API size_t imr_file_list_path(const imr_file_list_t *list, size_t i, char *buf, size_t n);

/*
 * The number of problems met while walking, and the i-th one: its one-line message
 * ("PATH: permission denied"), owned by the list, and its reason in *reason when not NULL.
 */
IMR_API size_t imr_file_list_n_problems(const imr_file_list_t *list);
IMR_API const char *imr_file_list_problem(const imr_file_list_t *list, size_t i,
                                          imr_skip_reason_t *reason);

/* ---- Indexing ------------------------------------------------------------------------ */

typedef struct imr_indexer imr_indexer_t;

/* Options of an indexer; a zeroed struct gives the defaults. */
typedef struct imr_index_options {
    size_t batch_letters; /* commit after this many letters written; 0: 5000 */
    size_t batch_bytes;   /* or after this many bytes of letter text; 0: 32 MB */
    int optimize;         /* nonzero: imr_indexer_finish() merges both indexes into one
                             segment each, even after a run that wrote less than a quarter of
                             the items (after which item_fts alone is merged) */
    unsigned pdf_seconds;   /* a PDF's extraction is killed after this; 0: IMR_PDF_SECONDS */
    uint64_t pdf_memory;    /* bytes it may map beyond the indexer's; 0: IMR_PDF_MEMORY_MB */
    unsigned pdf_max_pages; /* a PDF of more pages is refused; 0: IMR_PDF_MAX_PAGES */
    unsigned pdf_jobs;      /* extractions at once in imr_indexer_add_list(); 0: one a core */
    uint64_t read_ahead;    /* bytes the files imr_indexer_add_list() prepares ahead of the
                               writer may hold (their bytes, parses and tokens); one file is
                               prepared whatever its size; 0: IMR_READ_AHEAD_MB */
} imr_index_options_t;

/* What happened to one file. */
typedef enum imr_file_outcome {
    IMR_FILE_NEW = 0,   /* a letter id not in the database before: indexed */
    IMR_FILE_CHANGED,   /* the id was there with other bytes: re-indexed */
    IMR_FILE_UNCHANGED, /* the id was there with the same bytes: left alone (path updated) */
    IMR_FILE_SKIPPED    /* not indexed; see reason and message */
} imr_file_outcome_t;

/* The result of imr_indexer_add_file() for one file. */
typedef struct imr_file_result {
    imr_file_outcome_t outcome;
    imr_skip_reason_t reason; /* IMR_SKIP_NONE unless skipped */
    char message[600];        /* skipped: "PATH: what is wrong", one line; else "" */
    imr_layout_t layout;      /* new or changed letters: what the parser found */
    imr_parse_status_t parse;
    char problem[160]; /* why parse is not complete; "" when complete */
    size_t n_items;    /* items written */
    size_t n_unknown;  /* of them, items whose decision is unknown */
    char disagreement[160]; /* the first item whose explicit decision and rationale disagree:
                               "item 2: upheld as stated, the rationale reads overturned";
                               "" when none */
    unsigned warnings; /* new or changed letters: enum imr_letter_warning bits */
    uint64_t bytes;    /* bytes read from the file */
} imr_file_result_t;

/* Counts over a run, kept by the indexer. */
typedef struct imr_index_stats {
    size_t files;                  /* files given to imr_indexer_add_file() */
    size_t letters_new;            /* indexed, id new to the database */
    size_t letters_changed;        /* re-indexed because the bytes changed */
    size_t letters_unchanged;      /* same bytes as stored: nothing written */
    size_t skipped;                /* files skipped, all reasons */
    size_t skipped_by[IMR_N_SKIP]; /* files skipped, by reason */
    size_t items;                  /* items written (new and changed letters) */
    size_t items_unknown;          /* of them, items whose decision is unknown */
    size_t disagreements;          /* of them, items whose decision cues disagree */
    size_t by_layout[4];           /* new and changed letters by imr_layout_t */
    size_t partial;                /* new and changed letters parsed partially */
    size_t unparsed;               /* new and changed letters of unknown layout */
    size_t unreadable;             /* new and changed letters with bytes that no encoding
                                      reads (IMR_WARN_UNREADABLE) */
    size_t pruned;                 /* letters removed by imr_indexer_prune() */
    size_t gone;                   /* letters whose file is gone, by imr_indexer_count_gone() */
    uint64_t bytes_read;           /* bytes of every file read, unchanged ones too */
    uint64_t bytes_indexed;        /* bytes of the new and changed letters' cleaned text */
    size_t commits;                /* transactions committed */
    uint64_t read_ahead_peak;      /* the most bytes the files prepared ahead of the writer
                                      held at once (imr_indexer_add_list) */
} imr_index_stats_t;

/*
 * Creates an indexer writing into `db` (opened with IMR_DB_WRITE), with `options` (NULL for the
 * defaults). It prepares its statements and tunes FTS5 for bulk loading. On success *out owns
 * them; free with imr_indexer_free(), which does not close db. Errors: the database's
 * (IMR_ERR_DB_*), IMR_ERR_NOMEM.
 */
IMR_API imr_status_t imr_indexer_new(imr_db_t *db, const imr_index_options_t *options,
                                     imr_indexer_t **out, imr_error_t *err);

/*
 * Adds one file. A problem with the file itself (missing, unreadable, empty, binary, PDF, not
 * a letter, too large, duplicate id in this run) is not an error: the function returns IMR_OK
 * with res->outcome IMR_FILE_SKIPPED and res->message set. Writing may commit the current
 * batch. Errors are the database's (IMR_ERR_DB_*, IMR_ERR_IO for a full disk) and
 * IMR_ERR_NOMEM; after an error the current batch is rolled back and the indexer can only be
 * freed. `res` may be NULL.
 */
IMR_API imr_status_t imr_indexer_add_file(imr_indexer_t *ix, const char *path,
                                          imr_file_result_t *res, imr_error_t *err);

/*
 * Called by imr_indexer_add_list() after each file, in list order, with its index in the list,
 * its path and its result (valid during the call). Return nonzero to stop the run after it.
 */
typedef int (*imr_file_done_fn)(size_t i, const char *path, const imr_file_result_t *res,
                                void *ctx);

/*
 * Adds every file of `list` in order, as imr_indexer_add_file() would, calling `done` (when not
 * NULL) after each. Reading, hashing and parsing run ahead in a second thread (with its own
 * read-only connection to skip parsing files whose stored hash matches), so they overlap the
 * database writes; every write stays in the calling thread, in list order. Returns IMR_OK when
 * every file was added or `done` asked to stop, else the first error (as add_file).
 */
IMR_API imr_status_t imr_indexer_add_list(imr_indexer_t *ix, const imr_file_list_t *list,
                                          imr_file_done_fn done, void *ctx, imr_error_t *err);

/*
 * Removes every letter whose stored path no longer names a file and that was not read in this
 * run (its items and index rows too). When `names` is not NULL it is called with each removed letter's id and path.
 * Errors as imr_indexer_add_file().
 */
typedef void (*imr_prune_fn)(const char *name, const char *path, void *ctx);
IMR_API imr_status_t imr_indexer_prune(imr_indexer_t *ix, imr_prune_fn names, void *ctx,
                                       imr_error_t *err);

/*
 * Counts, into imr_indexer_stats()->gone, the letters of the database whose file is gone: not
 * read in this run and no longer at its stored path (what imr_indexer_prune() would remove).
 * One stat() a letter not read in this run. Errors as imr_indexer_add_file().
 */
IMR_API imr_status_t imr_indexer_count_gone(imr_indexer_t *ix, imr_error_t *err);

/* Commits the current batch, if any. Errors are the database's. */
IMR_API imr_status_t imr_indexer_commit(imr_indexer_t *ix, imr_error_t *err);

/*
 * Rolls the current batch back (what earlier commits wrote stays), for a run that is
 * interrupted. Never fails; safe to call when nothing is pending.
 */
IMR_API void imr_indexer_rollback(imr_indexer_t *ix);

/*
 * Commits, then, when the run wrote letters: merges item_fts's segments into one ('optimize')
 * when the run wrote at least a quarter of the items in the database (a bulk load), both
 * indexes' when options->optimize is set; when anything was written or removed, updates the
 * term statistics of the ranking and the query planner's. Errors are the database's.
 */
IMR_API imr_status_t imr_indexer_finish(imr_indexer_t *ix, imr_error_t *err);

/*
 * Makes again, in one transaction, everything of a database that is derived from its letters'
 * text and spans: the views and indexes, both full-text indexes (FTS5's 'rebuild' over their
 * external content, also when a full-text table is too damaged to open) and the word counts of
 * the ranking (item_term). `db` is opened in IMR_DB_REPAIR mode. Cannot restore the core tables
 * (meta, letter, item). Errors are the database's (term_stats.c).
 */
IMR_API imr_status_t imr_db_rebuild(imr_db_t *db, imr_error_t *err);

/* The counts so far, owned by ix, valid until imr_indexer_free(). */
IMR_API const imr_index_stats_t *imr_indexer_stats(const imr_indexer_t *ix);

/* Rolls back anything not committed and frees the indexer. Accepts NULL. */
IMR_API void imr_indexer_free(imr_indexer_t *ix);

/*
 * A fast 64-bit hash of `len` bytes (FNV-1a's scheme over 64-bit words, then an avalanche;
 * the same on every machine), the content hash stored as letter.hash in 16 lower-case hex
 * digits. Not cryptographic: it tells whether a letter file changed.
 */
IMR_API uint64_t imr_content_hash(const void *bytes, size_t len);

#endif
