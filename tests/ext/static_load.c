/*
 * static_load.c - build/imr.so loaded into a program that links SQLite statically (CTest
 * extension/static_load; docs/architecture.md).
 *
 * This program links libsqlite3.a, not libsqlite3.so. It loads the extension named by argv[1]
 * with SELECT load_extension(), as any SQLite client would, creates an FTS5 table with
 * tokenize='imr', and checks that a stemmed word matches its inflections (and does not with
 * FTS5's own tokenizer, so the stemming is the extension's). Then it checks that no
 * libsqlite3.so was mapped into the process: the extension needs none, so the tokenizer ran
 * in this program's own SQLite. Exits 0 when every check passes.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "check.h"

/* rowids that `query` matches in table `t`, in order, as "1 2" ("-" for none) into out. */
static void matches(sqlite3 *db, const char *t, const char *query, char *out, size_t size)
{
    char *sql = sqlite3_mprintf("SELECT rowid FROM %s WHERE %s MATCH ?1 ORDER BY rowid", t, t);
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    out[0] = '\0';
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW && n + 24 < size)
        n += (size_t)snprintf(out + n, size - n, "%s%lld", n ? " " : "",
                              (long long)sqlite3_column_int64(st, 0));
    if (!n)
        snprintf(out, size, "-");
    sqlite3_finalize(st);
    sqlite3_free(sql);
}

/* dl_iterate_phdr() callback: counts the loaded objects named libsqlite3.so*. */
static int count_sqlite_so(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    if (strstr(info->dlpi_name, "libsqlite3.so"))
        ++*(int *)data;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: static_load PATH/imr.so\n");
        return 2;
    }
    int shared = 0;
    dl_iterate_phdr(count_sqlite_so, &shared);
    CHECK_INT(shared, 0); /* this program's SQLite is its own, linked in */

    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT load_extension(?1)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, argv[1], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        fprintf(stderr, "load_extension(%s): %s\n", argv[1], sqlite3_errmsg(db));
    CHECK_INT(rc, SQLITE_ROW);
    sqlite3_finalize(st);

    char *err = NULL;
    rc = sqlite3_exec(db,
                      "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='imr');"
                      "CREATE VIRTUAL TABLE plain USING fts5(body);"
                      "INSERT INTO doc(rowid, body) VALUES"
                      " (1, 'Cryotherapies were requested after shoulder surgery.'),"
                      " (2, 'Continuous-flow cryotherapy unit for the right knee.'),"
                      " (3, 'Norco 10/325 mg is not medically necessary.');"
                      "INSERT INTO plain(rowid, body) SELECT rowid, body FROM doc;",
                      NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s\n", err);
    sqlite3_free(err);
    CHECK_INT(rc, SQLITE_OK);

    char got[64];
    matches(db, "doc", "cryotherapy", got, sizeof got);
    CHECK_STR(got, "1 2");
    matches(db, "doc", "requesting", got, sizeof got);
    CHECK_STR(got, "1");
    matches(db, "doc", "medical", got, sizeof got);
    CHECK_STR(got, "3");
    matches(db, "plain", "cryotherapy", got, sizeof got); /* unicode61 does not stem */
    CHECK_STR(got, "2");

    shared = 0; /* before sqlite3_close(), which unloads the extension */
    dl_iterate_phdr(count_sqlite_so, &shared);
    CHECK_INT(shared, 0); /* loading imr.so brought in no second SQLite */
    sqlite3_close(db);
    return check_done();
}
