/*
 * bench_stock_query.c - one query against a bench_stock_load database, as JSON Lines.
 *
 *     bench_stock_query DB FTS5_EXPRESSION N
 *
 * Runs `SELECT ... FROM doc WHERE doc MATCH ?1 ORDER BY bm25(doc) LIMIT ?2` with SQLite's own
 * snippet() (24 tokens, as imrsearch's, matches in [brackets]) and prints one line per hit,
 * best first:
 *     {"rank":1,"letter":"...","item_number":2,"score":-7.12,"snippet":"..."}
 * (item_number only for a --per-item database). The benchmark starts one process per query,
 * so the time measured includes opening the database, as it does for imrsearch.
 *
 * Exit status 0 (also for no hits), 2 for bad usage, 3 when the database cannot be opened or
 * the expression is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static const char query_sql[] =
    "SELECT n.letter, n.item_number, bm25(doc), snippet(doc, 0, '[', ']', '...', 24)"
    " FROM doc JOIN doc_name n ON n.rowid = doc.rowid"
    " WHERE doc MATCH ?1 ORDER BY bm25(doc) LIMIT ?2";

/* Prints s as a JSON string, escaping quotes, backslashes and control characters. */
static void print_json_string(const unsigned char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if (*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

/* Runs one query and prints its hits; see the top of this file. */
int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_stock_query DB FTS5_EXPRESSION N\n");
        return 2;
    }
    char *end;
    long limit = strtol(argv[3], &end, 10);
    if (*end || limit <= 0) {
        fprintf(stderr, "bench_stock_query: N must be a positive number\n");
        return 2;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, query_sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, argv[2], -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 2, limit);
    }
    int rank = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        printf("{\"rank\":%d,\"letter\":", ++rank);
        print_json_string(sqlite3_column_text(stmt, 0));
        if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
            printf(",\"item_number\":%d", sqlite3_column_int(stmt, 1));
        printf(",\"score\":%.4f,\"snippet\":", sqlite3_column_double(stmt, 2));
        print_json_string(sqlite3_column_text(stmt, 3));
        printf("}\n");
    }
    int exit_code = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        fprintf(stderr, "bench_stock_query: %s\n", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        exit_code = 3;
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (fflush(stdout) != 0)
        exit_code = 3;
    return exit_code;
}
