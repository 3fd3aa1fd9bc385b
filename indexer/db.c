/*
 * db.c - finding, opening, creating and checking an imrsearch database.
 *
 * The schema is created here and only here, from the names and column lists in imr_schema.h;
 * docs/schema.md describes it for people. A database is recognised by PRAGMA application_id
 * and its schema by PRAGMA user_version, both set in the same transaction that creates the
 * tables, so a file is either an empty new database or a complete one.
 *
 * A writer holds the run lock from imr_db_open() to imr_db_close(): an exclusive flock() on
 * the database file itself, so that two writers on one database never interleave their
 * batches (each would take the other's new letters for its own). flock() locks are apart from
 * SQLite's POSIX record locks on local file systems, and the kernel drops them when a process
 * dies, so a killed run leaves no stale lock.
 */
#define _DEFAULT_SOURCE /* flock() */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imr.h"
#include "db_private.h"
#include "fts5_api.h"
#include "imr_schema.h"
#include "tokenizer.h"

_Static_assert(IMR_WARN_TRUNCATED == IMR_SQL_TRUNCATED_BIT, "IMR_SQL_TRUNCATED tests the bit");

struct imr_db {
    sqlite3 *sql;   /* the connection */
    char *filename; /* as given to imr_db_open() */
    int lock_fd;    /* a writer's run lock (flock on the file), -1 for a reader */
    int serving;    /* opened IMR_DB_SERVE */
    imr__db_cache_t cache; /* a serving connection's cache (db_private.h) */
};

/* How much of the file a serving connection maps: SQLite's most on Debian, about 2 GiB. */
#define IMR_SERVE_MMAP_BYTES 2147418112

/* Milliseconds a statement waits for another process's lock before IMR_ERR_DB_BUSY. */
#define IMR_BUSY_TIMEOUT_MS 10000

#define STR_(x) #x
#define STR(x) STR_(x)

/* A text written into a buffer of n bytes; len grows past n when it does not fit. */
struct text {
    char *q;
    size_t n, len;
};

static void put(struct text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(struct text *t, const char *fmt, ...)
{
    size_t at = t->len < t->n ? t->len : t->n;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(t->q + at, t->n - at, fmt, ap);
    va_end(ap);
    t->len += w > 0 ? (size_t)w : 0;
}

/* One column of an ordinary table, from imr_schema.h's lists. */
struct column {
    const char *name, *decl;
};
#define COLUMN_(name, decl) {#name, decl},
static const struct column meta_columns[] = {IMR_META_COLUMNS(COLUMN_)};
static const struct column letter_columns[] = {IMR_LETTER_COLUMNS(COLUMN_)};
static const struct column item_columns[] = {IMR_ITEM_COLUMNS(COLUMN_)};
static const struct column item_term_columns[] = {IMR_ITEM_TERM_COLUMNS(COLUMN_)};
#define N_(a) (sizeof a / sizeof a[0])

/*
 * Writes the CREATE TABLE statement of `table`: a line a column, each name padded to the
 * longest, then ")", `suffix` and ";\n".
 */
static void put_table(struct text *t, const char *table, const struct column *c, size_t n,
                      const char *suffix)
{
    int width = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(c[i].name) > width)
            width = (int)strlen(c[i].name);
    put(t, "CREATE TABLE %s(\n", table);
    for (size_t i = 0; i < n; i++)
        put(t, "  %-*s %s%s\n", width, c[i].name, c[i].decl, i + 1 < n ? "," : "");
    put(t, ")%s;\n", suffix);
}

/* The text each full-text column cuts out of letter.text; its name in fts5(). */
#define ITEM_DOC_TEXT_(e, name, span)                                                             \
    ",\n  CAST(substr(CAST(l.text AS BLOB), i." #span "_off + 1, i." #span "_len) AS TEXT)"
#define LETTER_DOC_TEXT_(e, name, span)                                                           \
    ",\n  CAST(substr(CAST(text AS BLOB), " #span "_off + 1, " #span "_len) AS TEXT)"
#define FTS_COLUMN_(e, name, span) #name ", "

/*
 * Writes the view item_source(item_id, party, source): one row per guideline source of an
 * item and party, read from the bit columns item.sources (party maximus) and item.ca_sources
 * (claims), for analysts' SQL and the tests. The slugs come from imr_source_slug(), so the
 * view cannot disagree with the library.
 */
static void put_item_source_view(struct text *t)
{
    put(t, "CREATE VIEW " IMR_TABLE_ITEM_SOURCE "(item_id, party, source) AS WITH bit(value, slug)"
           " AS (VALUES ");
    for (unsigned b = 0; b < IMR_N_SOURCES; b++)
        put(t, "%s(%u, '%s')", b ? ", " : "", 1u << b, imr_source_slug(1u << b));
    put(t, ") SELECT i.id, '" IMR_PARTY_MAXIMUS "', bit.slug FROM " IMR_TABLE_ITEM
           " i JOIN bit ON i.sources & bit.value UNION ALL SELECT i.id, '" IMR_PARTY_CLAIMS
           "', bit.slug FROM " IMR_TABLE_ITEM " i JOIN bit ON i.ca_sources & bit.value;");
}

/*
 * Writes the whole schema into q (n bytes): every statement that makes a new database, the
 * item_source view last. Returns 0 when it does not fit.
 */
static int schema_text(char *q, size_t n)
{
    struct text t = {q, n, 0};
    put_table(&t, IMR_TABLE_META, meta_columns, N_(meta_columns), " WITHOUT ROWID");
    put_table(&t, IMR_TABLE_LETTER, letter_columns, N_(letter_columns), "");
    put(&t, "CREATE INDEX letter_decision_date ON " IMR_TABLE_LETTER "(decision_date);\n");
    put_table(&t, IMR_TABLE_ITEM, item_columns, N_(item_columns), "");
    put(&t, "CREATE INDEX item_decision ON " IMR_TABLE_ITEM "(decision);\n"
            "CREATE INDEX item_kind ON " IMR_TABLE_ITEM "(item_type, decision, body_region, year);\n"
            "CREATE INDEX item_body_region ON " IMR_TABLE_ITEM "(body_region);\n");
    /* The text of every FTS column, cut out of the letter's text by byte offsets. */
    put(&t, "CREATE VIEW " IMR_VIEW_ITEM_DOC "(id, letter_id" IMR_SQL_ITEM_FTS_COLUMNS
            ") AS SELECT i.id, i.letter_id" IMR_ITEM_FTS_COLUMNS(ITEM_DOC_TEXT_)
            "\n  FROM " IMR_TABLE_ITEM " i JOIN " IMR_TABLE_LETTER " l ON l.id = i.letter_id;\n"
            "CREATE VIRTUAL TABLE " IMR_TABLE_ITEM_FTS " USING fts5("
            IMR_ITEM_FTS_COLUMNS(FTS_COLUMN_) "content='" IMR_VIEW_ITEM_DOC
            "', content_rowid='id', tokenize='imr');\n");
    /* Document frequencies of item_fts's terms, for BM25's IDF (indexer/term_stats.c). */
    put_table(&t, IMR_TABLE_ITEM_TERM, item_term_columns, N_(item_term_columns), " WITHOUT ROWID");
    put(&t, "CREATE VIEW " IMR_VIEW_LETTER_DOC "(id" IMR_SQL_LETTER_FTS_COLUMNS
            ") AS SELECT id" IMR_LETTER_FTS_COLUMNS(LETTER_DOC_TEXT_)
            "\n  FROM " IMR_TABLE_LETTER ";\n"
            "CREATE VIRTUAL TABLE " IMR_TABLE_LETTER_FTS " USING fts5("
            IMR_LETTER_FTS_COLUMNS(FTS_COLUMN_) "content='" IMR_VIEW_LETTER_DOC
            "', content_rowid='id', tokenize='imr');\n");
    put(&t, "INSERT INTO " IMR_TABLE_META "(key, value) VALUES ('schema_version', '" STR(
                IMR_SCHEMA_VERSION) "'), ('tokenizer', 'imr'), ('created_by', 'imrindex "
                IMR_VERSION "');\n"
            "PRAGMA application_id = " STR(IMR_APPLICATION_ID) ";\n"
            "PRAGMA user_version = " STR(IMR_SCHEMA_VERSION) ";\n");
    put_item_source_view(&t);
    return t.len < n;
}

imr_status_t imr_db_path(const char *option, char *buf, size_t n, imr_error_t *err)
{
    const char *env = getenv("IMRSEARCH_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int w;

    if (option && !*option)
        return imr_error_set(err, IMR_ERR_ARG, "--db '': an empty path names no database");
    if (option)
        w = snprintf(buf, n, "%s", option);
    else if (env && *env)
        w = snprintf(buf, n, "%s", env);
    else if (xdg && *xdg)
        w = snprintf(buf, n, "%s/imrsearch/imr.db", xdg);
    else if (home && *home)
        w = snprintf(buf, n, "%s/.local/share/imrsearch/imr.db", home);
    else
        return imr_error_set(err, IMR_ERR_ARG,
                             "no database path: give --db PATH or set IMRSEARCH_DB or HOME");
    if (w < 0 || (size_t)w >= n)
        return imr_error_set(err, IMR_ERR_ARG, "database path is too long");
    return IMR_OK;
}

/* Creates every missing folder above `path` (mkdir -p of its dirname). */
static imr_status_t make_parent_dirs(const char *path, imr_error_t *err)
{
    char *dir = strdup(path);
    if (!dir)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    imr_status_t st = IMR_OK;
    for (char *p = dir + 1; *p && st == IMR_OK; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            st = imr_error_set(err, IMR_ERR_IO, "%s: cannot create folder: %s", dir,
                               strerror(errno));
        *p = '/';
    }
    free(dir);
    return st;
}

imr_status_t imr_db_fail(imr_db_t *db, int rc, const char *what, imr_error_t *err)
{
    const char *name = db ? db->filename : "database";
    if (rc == SQLITE_READONLY_ROLLBACK) /* a hot journal that only a writer may roll back */
        return imr_error_set(err, IMR_ERR_DB_BUSY,
                             "%s: an indexing run was stopped while writing a batch; run imrindex "
                             "on this database again to undo that batch and finish",
                             name);
    if (rc == SQLITE_CORRUPT_VTAB) /* FTS5's shadow tables, or an index the text no longer fits */
        return imr_error_set(err, IMR_ERR_DB_CORRUPT,
                             "%s: %s: database inconsistent: the full-text index does not match "
                             "the letters' text; run imrindex --rebuild --db %s",
                             name, what, name);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return imr_error_set(err, IMR_ERR_DB_BUSY,
                             "%s: %s: the database is locked by another process", name, what);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return imr_error_set(err, IMR_ERR_DB_CORRUPT,
                             "%s: %s: the database file is damaged or not a database", name,
                             what);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return imr_error_set(err, IMR_ERR_DB_READONLY, "%s: %s: cannot write the database",
                             name, what);
    case SQLITE_NOMEM: return imr_error_set(err, IMR_ERR_NOMEM, "%s: out of memory", what);
    case SQLITE_FULL: return imr_error_set(err, IMR_ERR_IO, "%s: %s: disk full", name, what);
    case SQLITE_IOERR:
        /* A reader too writes: the -shm file of the write-ahead log. */
        if (db && db->sql && sqlite3_system_errno(db->sql) == ENOSPC)
            return imr_error_set(err, IMR_ERR_IO, "%s: %s: disk full", name, what);
        return imr_error_set(err, IMR_ERR_IO, "%s: %s: input/output error", name, what);
    default:
        return imr_error_set(err, IMR_ERR_INTERNAL, "%s: %s: %s", name, what,
                             db && db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
    }
}

int imr__db_set_journal(sqlite3 *sql, int rollback)
{
    const char *want = rollback ? "persist" : "wal";
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA journal_mode = %s", want);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(sql, pragma, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        /* The pragma answers with the mode in force: the old one when it could not change. */
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const char *mode = (const char *)sqlite3_column_text(st, 0);
            rc = mode && strcmp(mode, want) == 0 ? SQLITE_OK : SQLITE_BUSY;
        }
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(sql,
                          rollback ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                          NULL, NULL, NULL);
    return rc;
}

int imr__db_int(sqlite3 *sql, const char *query, long long *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(sql, query, -1, &st, NULL);
    *value = 0;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *value = sqlite3_column_int64(st, 0);
        if (rc == SQLITE_ROW || rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The tables that hold what was read from the letters; everything else can be made again. */
static int is_core(const char *name, size_t n)
{
    static const char *const core[] = {IMR_TABLE_META, IMR_TABLE_LETTER, IMR_TABLE_ITEM};
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
        if (strlen(core[i]) == n && memcmp(core[i], name, n) == 0)
            return 1;
    return 0;
}

/* The full-text tables and the shadow tables FTS5 keeps for each. */
static const char *const fts_tables[] = {IMR_TABLE_ITEM_FTS, IMR_TABLE_LETTER_FTS};
static const char *const fts_shadows[] = {"data", "idx", "docsize", "config"};
#define FTS5_FORMAT 4 /* the %_config 'version' this SQLite's FTS5 writes and reads */

/* Bytes that hold the schema's text (schema_text()), about 4 KB. */
#define SCHEMA_BYTES 8192

/*
 * Calls fn for each CREATE statement of the schema (schema_text(), in order), with the
 * object's type word ("TABLE", "VIEW", "INDEX", "VIRTUAL"), its name and the statement without
 * its ';', while fn returns SQLITE_OK. Returns the first other code.
 */
typedef int (*statement_fn)(sqlite3 *sql, const char *type, const char *name, size_t name_len,
                            const char *stmt, size_t len, void *ctx);
static int each_statement(sqlite3 *sql, statement_fn fn, void *ctx)
{
    char text[SCHEMA_BYTES];
    if (!schema_text(text, sizeof text))
        return SQLITE_INTERNAL;
    int rc = SQLITE_OK;
    for (const char *p = text; rc == SQLITE_OK && *p;) {
        const char *end = strstr(p, ";\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *next = end ? end + 2 : p + len;
        if (len && p[len - 1] == ';')
            len--;
        if (strncmp(p, "CREATE ", 7) == 0) {
            const char *type = p + 7;
            const char *name = strchr(type + (strncmp(type, "VIRTUAL ", 8) == 0 ? 8 : 0), ' ');
            name = name ? name + 1 : type;
            size_t n = strcspn(name, " (");
            rc = fn(sql, type, name, n, p, len, ctx);
        }
        p = next;
    }
    return rc;
}

/* What schema_check() reports to. */
struct problems {
    imr_db_problem_fn fn;
    void *ctx;
    int n;    /* problems reported */
    int core; /* one of them is in a core table */
};

static void problem(struct problems *pr, int core, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void problem(struct problems *pr, int core, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pr->n++;
    pr->core |= core;
    if (pr->fn)
        pr->fn(msg, core, pr->ctx);
}

/* Reports a schema object that is missing or not as this version creates it. */
static int check_object(sqlite3 *sql, const char *type, const char *name, size_t n,
                        const char *stmt, size_t len, void *ctx)
{
    struct problems *pr = ctx;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(sql, "SELECT sql FROM sqlite_schema WHERE name = ?1", -1, &q,
                                NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, 1, name, (int)n, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    const char *what = strncmp(type, "VIEW", 4) == 0    ? "view"
                       : strncmp(type, "INDEX", 5) == 0   ? "index"
                       : strncmp(type, "VIRTUAL", 7) == 0 ? "full-text table"
                                                          : "table";
    if (rc == SQLITE_DONE)
        problem(pr, is_core(name, n), "the %s %.*s is missing", what, (int)n, name);
    else if (rc == SQLITE_ROW) {
        const char *have = (const char *)sqlite3_column_text(q, 0);
        if (!have || strlen(have) != len || memcmp(have, stmt, len) != 0)
            problem(pr, is_core(name, n), "the %s %.*s is not as this version makes it", what,
                    (int)n, name);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Reports to pr every schema object that is missing or altered, and every full-text table that
 * lacks one of its shadow tables or is of another FTS5 format. Returns an SQLite code.
 */
static int schema_check(sqlite3 *sql, struct problems *pr)
{
    int rc = each_statement(sql, check_object, pr);
    for (size_t t = 0; rc == SQLITE_OK && t < sizeof fts_tables / sizeof fts_tables[0]; t++) {
        char q[160];
        long long have = 0, format = 0;
        int lost = 0;
        for (size_t k = 0; rc == SQLITE_OK && k < sizeof fts_shadows / sizeof fts_shadows[0];
             k++) {
            snprintf(q, sizeof q,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s_%s'",
                     fts_tables[t], fts_shadows[k]);
            rc = imr__db_int(sql, q, &have);
            if (rc == SQLITE_OK && !have) {
                problem(pr, 0, "the full-text table %s has lost its table %s_%s", fts_tables[t],
                        fts_tables[t], fts_shadows[k]);
                lost = 1;
            }
        }
        if (rc != SQLITE_OK || lost)
            continue;
        snprintf(q, sizeof q, "SELECT v FROM %s_config WHERE k = 'version'", fts_tables[t]);
        rc = imr__db_int(sql, q, &format);
        if (rc == SQLITE_OK && format != FTS5_FORMAT)
            problem(pr, 0, "the full-text table %s is of FTS5 format %lld, not %d", fts_tables[t],
                    format, FTS5_FORMAT);
    }
    return rc;
}

/* The first problem of schema_check() (of a core table only, when `core_only`). */
struct first_problem {
    char msg[256];
    int core_only;
};

static void keep_first(const char *msg, int core, void *ctx)
{
    struct first_problem *f = ctx;
    if (!f->msg[0] && (core || !f->core_only))
        snprintf(f->msg, sizeof f->msg, "%s", msg);
}

/*
 * Fails with IMR_ERR_DB_CORRUPT, naming the first problem and what to do, when the schema of
 * an opened imrsearch database is not whole (schema_check()), or, when `core_only`, when one
 * of its core tables is missing or altered.
 */
static imr_status_t check_whole(imr_db_t *db, int core_only, imr_error_t *err)
{
    struct first_problem f = {"", core_only};
    struct problems pr = {keep_first, &f, 0, 0};
    int rc = schema_check(db->sql, &pr);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "reading the schema", err);
    if (!f.msg[0])
        return IMR_OK;
    if (pr.core)
        return imr_error_set(err, IMR_ERR_DB_CORRUPT,
                             "%s: damaged: %s; its letters are lost: delete the file and index "
                             "the letters again",
                             db->filename, f.msg);
    return imr_error_set(err, IMR_ERR_DB_CORRUPT, "%s: damaged: %s; run imrindex --rebuild --db %s",
                         db->filename, f.msg, db->filename);
}

/*
 * Checks that an opened file is an imrsearch database of this schema version, creating the
 * schema when the file is empty and `mode` allows writing.
 */
static imr_status_t check_or_create_schema(imr_db_t *db, imr_db_mode_t mode, imr_error_t *err)
{
    long long app_id = 0, version = 0, n_objects = 0;
    int rc = imr__db_int(db->sql, "PRAGMA application_id", &app_id);
    if (rc == SQLITE_OK)
        rc = imr__db_int(db->sql, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK)
        rc = imr__db_int(db->sql, "SELECT count(*) FROM sqlite_schema", &n_objects);
    if ((rc & 0xff) == SQLITE_NOTADB)
        return imr_error_set(err, IMR_ERR_DB_CORRUPT, "%s: not an imrsearch database",
                             db->filename);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "reading the schema", err);

    if (n_objects == 0 && app_id == 0) {
        if (mode != IMR_DB_WRITE)
            return imr_error_set(err, IMR_ERR_NO_DB,
                                 "%s: the database is empty; build it with: imrindex --db %s "
                                 "FOLDER",
                                 db->filename, db->filename);
        char text[SCHEMA_BYTES];
        rc = schema_text(text, sizeof text) ? SQLITE_OK : SQLITE_INTERNAL;
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->sql, text, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            imr_status_t st = imr_db_fail(db, rc, "creating the schema", err);
            sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
        return IMR_OK;
    }
    if (app_id != IMR_APPLICATION_ID)
        return imr_error_set(err, IMR_ERR_DB_CORRUPT, "%s: not an imrsearch database",
                             db->filename);
    if (version != IMR_SCHEMA_VERSION)
        return imr_error_set(err, IMR_ERR_DB_VERSION,
                             "%s: built with schema version %lld, but this is version %d; "
                             "delete it and index the letters again, or give --db another file",
                             db->filename, version, IMR_SCHEMA_VERSION);
    return check_whole(db, mode == IMR_DB_REPAIR, err);
}

imr_status_t imr_tokenizer_register(sqlite3 *sql, imr_error_t *err)
{
    fts5_api *api = NULL;
    int rc = imr__fts5_api(sql, &api);
    if (rc != SQLITE_OK)
        return imr_error_set(err, rc == SQLITE_NOMEM ? IMR_ERR_NOMEM : IMR_ERR_INTERNAL,
                             "registering the imr tokenizer: this SQLite has no FTS5 (%s)",
                             sqlite3_errmsg(sql));
    rc = imr__tokenizer_install(api);
    if (rc != SQLITE_OK)
        return imr_error_set(err, rc == SQLITE_NOMEM ? IMR_ERR_NOMEM : IMR_ERR_INTERNAL,
                             "registering the imr tokenizer: %s", sqlite3_errstr(rc));
    return IMR_OK;
}

/*
 * Takes a writer's run lock on `path` (created empty when missing: SQLite takes an empty file
 * for a new database, so even the creation of the schema happens under the lock) and stores
 * its descriptor in db->lock_fd. A file that cannot be opened for writing is left to
 * sqlite3_open_v2() to report. Returns IMR_OK, or IMR_ERR_DB_BUSY when another process holds
 * the lock.
 */
static imr_status_t take_run_lock(imr_db_t *db, const char *path, imr_error_t *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return IMR_OK;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        close(fd);
        return busy ? imr_error_set(err, IMR_ERR_DB_BUSY,
                                    "%s: another imrindex is updating this database; run "
                                    "again when it has finished",
                                    path)
                    : IMR_OK;
    }
    db->lock_fd = fd;
    return IMR_OK;
}

imr_status_t imr_db_open(const char *path, imr_db_mode_t mode, imr_db_t **out, imr_error_t *err)
{
    struct stat sb;
    imr_status_t st;
    int rc;

    *out = NULL;
    int reader = mode == IMR_DB_READ || mode == IMR_DB_SERVE;
    if (mode != IMR_DB_WRITE && stat(path, &sb) != 0)
        return imr_error_set(err, IMR_ERR_NO_DB,
                             "%s: no such database; build one with: imrindex --db %s FOLDER",
                             path, path);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return imr_error_set(err, IMR_ERR_ARG, "%s: is a folder, not a database file", path);
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) /* a FIFO would block the open */
        return imr_error_set(err, IMR_ERR_ARG, "%s: not a regular file, not a database file",
                             path);
    if (mode == IMR_DB_WRITE && (st = make_parent_dirs(path, err)) != IMR_OK)
        return st;

    imr_db_t *db = calloc(1, sizeof *db);
    if (!db || !(db->filename = strdup(path))) {
        free(db);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    db->lock_fd = -1;
    db->serving = mode == IMR_DB_SERVE;
    if (!reader && (st = take_run_lock(db, path, err)) != IMR_OK) {
        imr_db_close(db);
        return st;
    }
    int flags = reader ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &db->sql, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        st = rc == SQLITE_CANTOPEN
                 ? imr_error_set(err, reader ? IMR_ERR_IO : IMR_ERR_DB_READONLY,
                                 "%s: cannot open the database: %s", path,
                                 strerror(errno ? errno : EACCES))
                 : imr_db_fail(db, rc, "opening", err);
        imr_db_close(db);
        return st;
    }
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, IMR_BUSY_TIMEOUT_MS);

    st = imr_tokenizer_register(db->sql, err);
    if (st == IMR_OK)
        st = check_or_create_schema(db, mode, err);
    if (st == IMR_OK) {
        rc = sqlite3_exec(db->sql,
                          reader ? "PRAGMA foreign_keys = ON; PRAGMA query_only = 1;"
                                 : "PRAGMA foreign_keys = ON;",
                          NULL, NULL, NULL);
        if (rc == SQLITE_OK && !reader)
            rc = imr__db_set_journal(db->sql, 0);
        if (rc == SQLITE_OK && db->serving)
            rc = sqlite3_exec(db->sql, "PRAGMA mmap_size = " STR(IMR_SERVE_MMAP_BYTES), NULL,
                              NULL, NULL);
        if (rc != SQLITE_OK)
            st = imr_db_fail(db, rc, "setting up the connection", err);
    }
    if (st != IMR_OK) {
        imr_db_close(db);
        return st;
    }
    *out = db;
    return IMR_OK;
}

imr_status_t imr_db_check(imr_db_t *db, imr_db_problem_fn fn, void *ctx, imr_error_t *err)
{
    struct problems pr = {fn, ctx, 0, 0};
    int rc = schema_check(db->sql, &pr);
    int schema_problems = pr.n;
    sqlite3_stmt *q = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db->sql, "PRAGMA quick_check", -1, &q, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(q, 0);
        if (line && strcmp(line, "ok") != 0)
            problem(&pr, 1, "quick_check: %s", line);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    /* FTS5 reads a table of another format or without its shadow tables no further. */
    for (size_t t = 0; rc == SQLITE_OK && !schema_problems &&
                       t < sizeof fts_tables / sizeof fts_tables[0]; t++) {
        char check[160];
        snprintf(check, sizeof check, "INSERT INTO %s(%s, rank) VALUES ('integrity-check', 1)",
                 fts_tables[t], fts_tables[t]);
        int crc = sqlite3_exec(db->sql, check, NULL, NULL, NULL);
        if ((crc & 0xff) == SQLITE_CORRUPT)
            problem(&pr, 0, "the full-text table %s does not match the letters' text",
                    fts_tables[t]);
        else
            rc = crc;
    }
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "checking", err);
    if (!pr.n)
        return IMR_OK;
    if (pr.core)
        return imr_error_set(err, IMR_ERR_DB_CORRUPT,
                             "%s: %d problem%s, some in the letters' own tables: delete the file "
                             "and index the letters again",
                             db->filename, pr.n, pr.n == 1 ? "" : "s");
    return imr_error_set(err, IMR_ERR_DB_CORRUPT, "%s: %d problem%s; run imrindex --rebuild --db %s",
                         db->filename, pr.n, pr.n == 1 ? "" : "s", db->filename);
}

/* Drops a derived object (not a core table) whatever it now is; see imr__db_recreate_derived(). */
static int drop_derived(sqlite3 *sql, const char *type, const char *name, size_t n,
                        const char *stmt, size_t len, void *ctx)
{
    (void)type, (void)stmt, (void)len, (void)ctx;
    if (is_core(name, n))
        return SQLITE_OK;
    char q[256];
    long long virt = 0;
    snprintf(q, sizeof q,
             "SELECT count(*) FROM sqlite_schema WHERE name = '%.*s' AND type = 'table' AND"
             " sql LIKE 'CREATE VIRTUAL TABLE %%'",
             (int)n, name);
    int rc = imr__db_int(sql, q, &virt);
    if (rc != SQLITE_OK)
        return rc;
    if (virt) {
        /* A damaged FTS5 table cannot be dropped (its constructor fails): its shadow tables
         * go as ordinary tables, its own row of the schema by hand. */
        for (size_t k = 0; rc == SQLITE_OK && k < sizeof fts_shadows / sizeof fts_shadows[0];
             k++) {
            snprintf(q, sizeof q, "DROP TABLE IF EXISTS \"%.*s_%s\"", (int)n, name,
                     fts_shadows[k]);
            rc = sqlite3_exec(sql, q, NULL, NULL, NULL);
        }
        snprintf(q, sizeof q,
                 "PRAGMA writable_schema = ON; DELETE FROM sqlite_schema WHERE name = '%.*s';"
                 " PRAGMA writable_schema = RESET;",
                 (int)n, name);
        return rc == SQLITE_OK ? sqlite3_exec(sql, q, NULL, NULL, NULL) : rc;
    }
    static const char *const kinds[] = {"VIEW", "INDEX", "TABLE"};
    for (size_t k = 0; rc == SQLITE_OK && k < 3; k++) {
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM sqlite_schema WHERE name = '%.*s' AND type = lower('%s')",
                 (int)n, name, kinds[k]);
        long long have = 0;
        rc = imr__db_int(sql, q, &have);
        if (rc == SQLITE_OK && have) {
            snprintf(q, sizeof q, "DROP %s \"%.*s\"", kinds[k], (int)n, name);
            rc = sqlite3_exec(sql, q, NULL, NULL, NULL);
        }
    }
    return rc;
}

/* Creates a derived object again. */
static int create_derived(sqlite3 *sql, const char *type, const char *name, size_t n,
                          const char *stmt, size_t len, void *ctx)
{
    (void)type, (void)ctx;
    if (is_core(name, n))
        return SQLITE_OK;
    char *q = sqlite3_mprintf("%.*s", (int)len, stmt);
    if (!q)
        return SQLITE_NOMEM;
    int rc = sqlite3_exec(sql, q, NULL, NULL, NULL);
    sqlite3_free(q);
    return rc;
}

int imr__db_recreate_derived(sqlite3 *sql)
{
    int rc = each_statement(sql, drop_derived, NULL);
    if (rc == SQLITE_OK)
        rc = each_statement(sql, create_derived, NULL);
    for (size_t t = 0; rc == SQLITE_OK && t < sizeof fts_tables / sizeof fts_tables[0]; t++) {
        char q[128];
        snprintf(q, sizeof q, "INSERT INTO %s(%s) VALUES ('rebuild')", fts_tables[t],
                 fts_tables[t]);
        rc = sqlite3_exec(sql, q, NULL, NULL, NULL);
    }
    return rc;
}

imr__db_cache_t *imr__db_cache(imr_db_t *db)
{
    return db->serving ? &db->cache : NULL;
}

void imr_db_close(imr_db_t *db)
{
    if (!db)
        return;
    if (db->cache.free)
        db->cache.free(db->cache.p);
    sqlite3_close_v2(db->sql);
    if (db->lock_fd >= 0)
        close(db->lock_fd); /* after SQLite's descriptors: closing drops a process's record locks */
    free(db->filename);
    free(db);
}

imr_status_t imr_db_begin_read(imr_db_t *db, imr_error_t *err)
{
    long long version;
    int rc = sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = imr__db_int(db->sql, "PRAGMA user_version", &version); /* the snapshot starts */
    if (rc != SQLITE_OK) {
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
        return imr_db_fail(db, rc, "starting a read", err);
    }
    return IMR_OK;
}

void imr_db_end_read(imr_db_t *db)
{
    if (db && !sqlite3_get_autocommit(db->sql))
        sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3 *imr_db_sqlite(imr_db_t *db)
{
    return db->sql;
}

const char *imr_db_filename(const imr_db_t *db)
{
    return db->filename;
}
