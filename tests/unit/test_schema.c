/*
 * test_schema.c - the column lists of include/imr_schema.h against PRAGMA table_xinfo of a new
 * database: every table and view has exactly the listed columns, in order, with the listed
 * type, NOT NULL, primary key and default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db_private.h"
#include "imr.h"
#include "imr_schema.h"

/* A column as the lists give it: name, and declaration (NULL for a full-text or view column). */
struct column {
    const char *name, *decl;
};
#define COLUMN_(name, decl) {#name, decl},
#define FTS_COLUMN_(e, name, span) {#name, NULL},

static const struct column meta[] = {IMR_META_COLUMNS(COLUMN_)};
static const struct column letter[] = {IMR_LETTER_COLUMNS(COLUMN_)};
static const struct column item[] = {IMR_ITEM_COLUMNS(COLUMN_)};
static const struct column item_term[] = {IMR_ITEM_TERM_COLUMNS(COLUMN_)};
static const struct column item_fts[] = {IMR_ITEM_FTS_COLUMNS(FTS_COLUMN_)};
static const struct column letter_fts[] = {IMR_LETTER_FTS_COLUMNS(FTS_COLUMN_)};
static const struct column item_doc[] = {{"id", NULL}, {"letter_id", NULL},
                                         IMR_ITEM_FTS_COLUMNS(FTS_COLUMN_)};
static const struct column letter_doc[] = {{"id", NULL}, IMR_LETTER_FTS_COLUMNS(FTS_COLUMN_)};
#define N_(a) (sizeof a / sizeof a[0])

/*
 * Checks table_xinfo(table) against cols: the visible columns' names in order and, where a
 * declaration is given, its type (its first word), NOT NULL, PRIMARY KEY and DEFAULT. The
 * primary key of a table WITHOUT ROWID (`without_rowid`) is NOT NULL whatever it declares.
 */
static void check_table(sqlite3 *sql, const char *table, const struct column *cols, size_t n,
                        int without_rowid)
{
    char q[128];
    snprintf(q, sizeof q, "SELECT name, type, \"notnull\", dflt_value, pk FROM"
                          " pragma_table_xinfo('%s') WHERE hidden = 0 ORDER BY cid", table);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(sql, q, -1, &st, NULL), SQLITE_OK);
    size_t k = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (k >= n) {
            fprintf(stderr, "%s: column %s is not in imr_schema.h\n", table, name);
            CHECK(k < n);
            k++;
            continue;
        }
        CHECK_STR(name, cols[k].name);
        const char *decl = cols[k].decl;
        if (decl) {
            const char *type = (const char *)sqlite3_column_text(st, 1);
            CHECK(type && strncmp(decl, type, strlen(type)) == 0 && decl[strlen(type)] == ' ');
            int pk = strstr(decl, "PRIMARY KEY") != NULL;
            CHECK_INT(sqlite3_column_int(st, 2),
                      strstr(decl, "NOT NULL") != NULL || (pk && without_rowid));
            CHECK_INT(sqlite3_column_int(st, 4) != 0, pk);
            const char *dflt = (const char *)sqlite3_column_text(st, 3);
            const char *want = strstr(decl, " DEFAULT ");
            if (want)
                CHECK_STR(dflt, want + strlen(" DEFAULT "));
            else
                CHECK(dflt == NULL);
        }
        k++;
    }
    if (k != n)
        fprintf(stderr, "%s: %zu columns, imr_schema.h lists %zu\n", table, k, n);
    CHECK_INT(k, n);
    sqlite3_finalize(st);
}

/*
 * The content hash of every statement of the schema as SQLite stores it (sqlite_schema.sql, in
 * order; not FTS5's shadow tables, which are FTS5's).
 * An opened database whose statements differ is "not as this version makes it", so a change of
 * this text, even of its spaces, must come with a new IMR_SCHEMA_VERSION (and a new pin).
 */
static unsigned long long schema_hash(sqlite3 *sql)
{
    static char text[16384];
    size_t len = 0;
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(sql, "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL"
                                      " AND name NOT GLOB '*_fts_*' ORDER BY rowid", -1, &st, NULL), SQLITE_OK);
    while (st && sqlite3_step(st) == SQLITE_ROW)
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0, "%s;\n",
                                (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    CHECK(len < sizeof text);
    return (unsigned long long)imr_content_hash(text, len < sizeof text ? len : 0);
}

int main(void)
{
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/tmp/imr-test-schema.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/imr.db", dir);
    imr_db_t *db = NULL;
    imr_error_t err;
    CHECK_INT(imr_db_open(path, IMR_DB_WRITE, &db, &err), IMR_OK);
    if (db) {
        sqlite3 *sql = imr_db_sqlite(db);
        check_table(sql, IMR_TABLE_META, meta, N_(meta), 1);
        check_table(sql, IMR_TABLE_LETTER, letter, N_(letter), 0);
        check_table(sql, IMR_TABLE_ITEM, item, N_(item), 0);
        check_table(sql, IMR_TABLE_ITEM_TERM, item_term, N_(item_term), 1);
        check_table(sql, IMR_TABLE_ITEM_FTS, item_fts, N_(item_fts), 0);
        check_table(sql, IMR_TABLE_LETTER_FTS, letter_fts, N_(letter_fts), 0);
        check_table(sql, IMR_VIEW_ITEM_DOC, item_doc, N_(item_doc), 0);
        check_table(sql, IMR_VIEW_LETTER_DOC, letter_doc, N_(letter_doc), 0);
        CHECK_INT(N_(item_fts), IMR_N_ITEM_COLS);
        CHECK_INT(N_(letter_fts), IMR_N_LETTER_COLS);
        /* Pinned with schema version 7: letter.specialties and item.placeholder added to 6. */
        CHECK_INT(IMR_SCHEMA_VERSION, 7);
        unsigned long long hash = schema_hash(sql);
        if (hash != 0x25297c6e9a0ed9acull)
            fprintf(stderr, "the schema's text changed (hash %016llx): new IMR_SCHEMA_VERSION\n",
                    hash);
        CHECK(hash == 0x25297c6e9a0ed9acull);
        imr_db_close(db);
    }
    check_remove_db(path);
    rmdir(dir);
    return check_done();
}
