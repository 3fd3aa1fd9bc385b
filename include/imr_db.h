/*
 * imr_db.h - finding, opening, creating and checking an imrsearch database.
 *
 * The database is an ordinary SQLite file (schema in docs/schema.md, names in imr_schema.h).
 * Opening registers the imr tokenizer, sets WAL and a busy timeout, and checks that the file
 * is an imrsearch database of this schema version.
 */
#ifndef IMR_DB_H
#define IMR_DB_H

#include <sqlite3.h>

#include "imr_common.h"

typedef struct imr_db imr_db_t;

typedef enum imr_db_mode {
    IMR_DB_READ,   /* read only; the file must exist */
    IMR_DB_WRITE,  /* read and write; the file and its folder are created when missing */
    IMR_DB_REPAIR, /* read and write an existing file whose derived tables may be damaged (its
                      core tables must be whole), as the writer (the run lock), for
                      imr_db_check() and imr_db_rebuild() */
    IMR_DB_SERVE   /* read only, for a long-lived connection that answers many searches (the
                      web server): the file is mapped into memory, shared through the system's
                      page cache, and facet counts keep each item's facets in memory while
                      no other connection commits */
} imr_db_mode_t;

/*
 * Resolves where the database is: `option` (the --db value) when not NULL, else
 * $IMRSEARCH_DB, else $XDG_DATA_HOME/imrsearch/imr.db, else ~/.local/share/imrsearch/imr.db.
 * Writes the path into buf (n bytes). Returns IMR_ERR_ARG when it does not fit or no home
 * folder is known, or when `option` is the empty string.
 */
IMR_API imr_status_t imr_db_path(const char *option, char *buf, size_t n, imr_error_t *err);

/*
 * Opens the database at `path`. In IMR_DB_WRITE mode a missing file is created with the
 * current schema, and the connection holds the run lock until imr_db_close(): a second writer
 * on the same file gets IMR_ERR_DB_BUSY at once. Errors: IMR_ERR_NO_DB (read mode, no file;
 * the message says how to build one), IMR_ERR_DB_CORRUPT (not an imrsearch database, or damaged:
 * in IMR_DB_READ and IMR_DB_WRITE modes, a schema that is not whole; the message says whether
 * imrindex --rebuild repairs it), IMR_ERR_DB_VERSION
 * (another schema version), IMR_ERR_DB_READONLY, IMR_ERR_DB_BUSY, IMR_ERR_IO.
 */
IMR_API imr_status_t imr_db_open(const char *path, imr_db_mode_t mode, imr_db_t **out,
                                 imr_error_t *err);

/*
 * Checks the whole database: the schema against the one this version creates (every table,
 * view and index, and each full-text table's shadow tables and format), SQLite's PRAGMA
 * quick_check, and FTS5's integrity-check of each full-text table against its text. Calls
 * fn(problem, core, ctx) for each problem found, a phrase such as "the view item_doc is
 * missing"; `core` is 1 when the problem is in a table that holds what was read from the
 * letters (meta, letter, item), which imr_db_rebuild() cannot make again. Returns IMR_OK when
 * nothing was found, IMR_ERR_DB_CORRUPT (its message says what to do) when something was, or
 * the database's error. FTS5 checks by writing, so `db` is opened in IMR_DB_REPAIR mode.
 */
typedef void (*imr_db_problem_fn)(const char *problem, int core, void *ctx);
IMR_API imr_status_t imr_db_check(imr_db_t *db, imr_db_problem_fn fn, void *ctx,
                                  imr_error_t *err);

/* Closes the database. Accepts NULL. */
IMR_API void imr_db_close(imr_db_t *db);

/*
 * Starts a read transaction and takes its snapshot now, so that every answer until
 * imr_db_close() comes from one committed state of the database, whatever writers commit
 * meanwhile. Errors: the database's, as imr_db_fail().
 */
IMR_API imr_status_t imr_db_begin_read(imr_db_t *db, imr_error_t *err);

/*
 * Ends the read transaction imr_db_begin_read() began, if any, so that the next one sees what
 * writers committed since: a long-lived reader (imrsearch serve) does this after each answer.
 */
IMR_API void imr_db_end_read(imr_db_t *db);

/* The path the database was opened with, owned by db. */
IMR_API const char *imr_db_filename(const imr_db_t *db);

/*
 * Maps an SQLite result code met while using the database to a status and a message that
 * names `what` (e.g. "reading letter 004"): SQLITE_BUSY -> IMR_ERR_DB_BUSY, SQLITE_CORRUPT and
 * SQLITE_NOTADB -> IMR_ERR_DB_CORRUPT, SQLITE_READONLY -> IMR_ERR_DB_READONLY, SQLITE_NOMEM ->
 * IMR_ERR_NOMEM, SQLITE_FULL and SQLITE_IOERR -> IMR_ERR_IO, anything else IMR_ERR_INTERNAL
 * (with SQLite's message, since then it is a bug to report).
 */
IMR_API imr_status_t imr_db_fail(imr_db_t *db, int rc, const char *what, imr_error_t *err);

#endif
