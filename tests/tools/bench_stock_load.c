/*
 * bench_stock_load.c - loads letters into a stock SQLite FTS5 table, the benchmark's peer.
 *
 *     bench_stock_load [--per-item] DB FILELIST
 *
 * FILELIST names one letter file per line. Every file is read whole and inserted, in one
 * transaction, into
 *     CREATE VIRTUAL TABLE doc USING fts5(body,
 *         tokenize='porter unicode61 remove_diacritics 2')
 * with rowid = its line number, and doc_name(rowid, letter, item_number) names the row
 * (letter = the file name without folder and ".txt"). This is FTS5 as anyone would set it up:
 * one column, SQLite's default page cache and journal, nothing of libimr.
 *
 * With --per-item the table gets one row per disputed item instead, holding that item's text,
 * its decision as a word and its decision rationale as imr_letter_parse() cuts and reads them
 * (item_number = 1-based position; the decision word stands for the "Item: Upheld" line that
 * the item text leaves out, so that a query's decision word can match as in a whole letter):
 * the plain per-item baseline, which shows what item-level indexing alone gives without
 * imrsearch's columns, weights and query language. A letter of unknown layout becomes one row
 * with its whole text (item 1), as imrindex indexes it whole. DB must not exist yet.
 *
 * Exit status 0 when every file was loaded, 1 when some could not be read or parsed (they are
 * named on stderr and skipped), 2 for bad usage, 3 for an SQLite failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "imr.h"

static const char create_sql[] =
    "CREATE VIRTUAL TABLE doc USING fts5(body,"
    " tokenize='porter unicode61 remove_diacritics 2');"
    "CREATE TABLE doc_name(rowid INTEGER PRIMARY KEY, letter TEXT NOT NULL,"
    " item_number INTEGER);";

/* A growing byte buffer. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};

/* Makes room for `need` bytes in b. Returns 0, or -1 when memory runs out. */
static int buf_reserve(struct buf *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Reads the whole file `path` into b. Returns 0, or -1 with errno set. */
static int read_file(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    b->len = 0;
    for (;;) {
        if (buf_reserve(b, b->len + 65536) != 0) {
            fclose(f);
            errno = ENOMEM;
            return -1;
        }
        size_t n = fread(b->data + b->len, 1, b->cap - b->len, f);
        b->len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* Writes the letter name of `path` (no folder, no ".txt") into out (n bytes). */
static void letter_name(const char *path, char *out, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".txt") == 0)
        len -= 4;
    if (len >= n)
        len = n - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

/* The open database and its two prepared INSERTs. */
struct loader {
    sqlite3 *db;
    sqlite3_stmt *ins_doc;  /* INSERT INTO doc(rowid, body) */
    sqlite3_stmt *ins_name; /* INSERT INTO doc_name */
    sqlite3_int64 rowid;    /* last rowid used */
};

/* Inserts one row. Returns an SQLite result code. */
static int insert_row(struct loader *L, const char *body, size_t len, const char *name,
                      int item_number)
{
    int rc;
    L->rowid++;
    sqlite3_bind_int64(L->ins_doc, 1, L->rowid);
    sqlite3_bind_text(L->ins_doc, 2, body, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(L->ins_doc);
    sqlite3_reset(L->ins_doc);
    if (rc != SQLITE_DONE)
        return rc;
    sqlite3_bind_int64(L->ins_name, 1, L->rowid);
    sqlite3_bind_text(L->ins_name, 2, name, -1, SQLITE_STATIC);
    if (item_number > 0)
        sqlite3_bind_int(L->ins_name, 3, item_number);
    else
        sqlite3_bind_null(L->ins_name, 3);
    rc = sqlite3_step(L->ins_name);
    sqlite3_reset(L->ins_name);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Inserts one row per disputed item of the letter in b: its text, its decision as a word
 * ("upheld", "overturned", "unknown"), its rationale, one per line.
 * Returns an SQLite result code, or -1 when the letter cannot be parsed (err says why).
 */
static int insert_items(struct loader *L, const struct buf *b, const char *name, struct buf *row,
                        imr_error_t *err)
{
    imr_letter_t *letter = NULL;
    if (imr_letter_parse(b->data, b->len, &letter, err) != IMR_OK)
        return -1;
    int rc = SQLITE_OK;
    if (letter->parse == IMR_PARSE_UNPARSED) {
        /* No items could be cut: the whole letter is its one pseudo-item's row. */
        rc = insert_row(L, letter->text, letter->text_len, name, 1);
        imr_letter_free(letter);
        return rc;
    }
    for (size_t i = 0; rc == SQLITE_OK && i < letter->n_items; i++) {
        const imr_item_t *it = &letter->items[i];
        const char *decision = imr_decision_slug(it->decision);
        size_t dlen = strlen(decision);
        size_t need = (size_t)it->text.len + 1 + dlen + 1 + it->rationale.len;
        if (buf_reserve(row, need + 1) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        char *p = row->data;
        memcpy(p, letter->text + it->text.off, it->text.len);
        p += it->text.len;
        *p++ = '\n';
        memcpy(p, decision, dlen);
        p += dlen;
        *p++ = '\n';
        memcpy(p, letter->text + it->rationale.off, it->rationale.len);
        rc = insert_row(L, row->data, need, name, (int)(i + 1));
    }
    imr_letter_free(letter);
    return rc;
}

/* Loads every file of the list into a new database; see the top of this file. */
int main(int argc, char **argv)
{
    int per_item = 0;
    int argi = 1;
    if (argi < argc && strcmp(argv[argi], "--per-item") == 0) {
        per_item = 1;
        argi++;
    }
    if (argc - argi != 2) {
        fprintf(stderr, "usage: bench_stock_load [--per-item] DB FILELIST\n");
        return 2;
    }
    const char *db_path = argv[argi];
    const char *list_path = argv[argi + 1];
    struct stat st;
    if (stat(db_path, &st) == 0) {
        fprintf(stderr, "bench_stock_load: %s exists already\n", db_path);
        return 2;
    }
    FILE *list = fopen(list_path, "r");
    if (!list) {
        fprintf(stderr, "bench_stock_load: %s: %s\n", list_path, strerror(errno));
        return 2;
    }

    struct loader L = {0};
    struct buf file = {0}, row = {0};
    char *line = NULL;
    size_t line_cap = 0;
    long n_files = 0, n_skipped = 0;
    int exit_code = 0;
    int rc = sqlite3_open(db_path, &L.db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(L.db, create_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(L.db, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(L.db, "INSERT INTO doc(rowid, body) VALUES (?1, ?2)", -1,
                                &L.ins_doc, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(L.db,
                                "INSERT INTO doc_name(rowid, letter, item_number)"
                                " VALUES (?1, ?2, ?3)",
                                -1, &L.ins_name, NULL);
    ssize_t got;
    while (rc == SQLITE_OK && (got = getline(&line, &line_cap, list)) != -1) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (got == 0)
            continue;
        char name[256];
        letter_name(line, name, sizeof name);
        if (read_file(line, &file) != 0) {
            fprintf(stderr, "bench_stock_load: %s: %s\n", line, strerror(errno));
            n_skipped++;
            continue;
        }
        n_files++;
        if (per_item) {
            imr_error_t err = {0};
            rc = insert_items(&L, &file, name, &row, &err);
            if (rc == -1) {
                fprintf(stderr, "bench_stock_load: %s: %s\n", line, err.msg);
                n_skipped++;
                rc = SQLITE_OK;
            }
        } else {
            rc = insert_row(&L, file.data, file.len, name, 0);
        }
    }
    if (rc == SQLITE_OK && ferror(list)) {
        fprintf(stderr, "bench_stock_load: %s: read error\n", list_path);
        exit_code = 2;
    }
    sqlite3_finalize(L.ins_doc);
    sqlite3_finalize(L.ins_name);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(L.db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "bench_stock_load: %s: %s\n", db_path,
                L.db ? sqlite3_errmsg(L.db) : sqlite3_errstr(rc));
        exit_code = 3;
    } else if (n_skipped > 0 && exit_code == 0) {
        exit_code = 1;
    }
    if (exit_code != 3)
        fprintf(stderr, "bench_stock_load: %ld files, %lld rows, %ld skipped\n", n_files,
                (long long)L.rowid, n_skipped);
    sqlite3_close(L.db);
    fclose(list);
    free(line);
    free(file.data);
    free(row.data);
    return exit_code;
}
