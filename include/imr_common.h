/*
 * imr_common.h - what every part of libimr's API shares: statuses, the error record, exit
 * codes (the conventions of every imr_*.h header are in imr.h).
 */
#ifndef IMR_COMMON_H
#define IMR_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define IMR_API __attribute__((visibility("default")))
#else
#define IMR_API
#endif

#define IMR_VERSION "0.1.0"

/* What went wrong, coarsely; the message in imr_error_t says exactly what. */
typedef enum imr_status {
    IMR_OK = 0,
    IMR_ERR_NOMEM,       /* out of memory */
    IMR_ERR_IO,          /* a file or folder could not be read or written */
    IMR_ERR_INPUT,       /* a letter file is not usable text: empty, binary, PDF, ... */
    IMR_ERR_QUERY,       /* the query string is not valid query syntax */
    IMR_ERR_ARG,         /* an option, filter value, facet name or date is not valid */
    IMR_ERR_NO_DB,       /* the database file does not exist */
    IMR_ERR_DB_CORRUPT,  /* the file is not an imrsearch database, or it is damaged */
    IMR_ERR_DB_VERSION,  /* the database was built by another schema version */
    IMR_ERR_DB_BUSY,     /* another process holds the database lock for too long */
    IMR_ERR_DB_READONLY, /* the database cannot be written */
    IMR_ERR_INTERNAL     /* an SQLite or library failure that is a bug, not a user mistake */
} imr_status_t;

/* A status and its one-line message. */
typedef struct imr_error {
    imr_status_t status; /* same as the function's return value */
    char msg[512];       /* "what: why", one line, NUL-terminated */
} imr_error_t;

/*
 * Exit codes of imrindex and imrsearch, documented in their man pages. Programs choose one
 * with imr_exit_code() from a status, or use IMR_EXIT_PARTIAL / IMR_EXIT_NO_MATCH directly.
 */
typedef enum imr_exit {
    IMR_EXIT_OK = 0,       /* everything asked for was done */
    IMR_EXIT_PARTIAL = 1,  /* imrindex: some files were skipped; imrsearch: nothing matched */
    IMR_EXIT_USAGE = 2,    /* bad option, query, facet, filter value or date */
    IMR_EXIT_DB = 3,       /* database missing, corrupt, of another version, busy, read-only */
    IMR_EXIT_IO = 4,       /* an input or output file could not be read or written */
    IMR_EXIT_INTERNAL = 70 /* a bug or out of memory */
} imr_exit_t;

#define IMR_EXIT_NO_MATCH IMR_EXIT_PARTIAL

/* Returns a short static description of `status` ("out of memory", ...). Never NULL. */
IMR_API const char *imr_status_str(imr_status_t status);

/* Returns the documented exit code for a program that stops because of `status`. */
IMR_API imr_exit_t imr_exit_code(imr_status_t status);

/*
 * Fills `err` (when not NULL) with `status` and a printf-style message, and returns `status`,
 * so that a failing path can end with `return imr_error_set(err, IMR_ERR_IO, "%s: %s", ...)`.
 */
IMR_API imr_status_t imr_error_set(imr_error_t *err, imr_status_t status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*
 * Returns a copy of `s` fit for a terminal and for one-line messages, as ls and git quote
 * names: control bytes (0x01-0x1f, 0x7f), the C1 controls U+0080-U+009F and bytes that are not
 * UTF-8 become C escapes (\n, \t, \r, else \ooo in octal); the rest is copied. Escape
 * sequences in a file name then cannot move the cursor, clear the screen or retitle the
 * terminal, and a newline in a name cannot split a line. Returns NULL when out of memory;
 * the caller frees the result.
 */
IMR_API char *imr_quote_controls(const char *s);

/*
 * Names a folder of edited dictionaries, read instead of the built-in files of the same names
 * (docs/facets.md, docs/query-syntax.md); NULL or "" for none, the default. The parser and the
 * query translator read their dictionaries once, on first use: call this before either. The
 * programs give it $IMRSEARCH_DICT_DIR. The string is copied.
 */
IMR_API void imr_dict_dir_set(const char *dir);

#endif
