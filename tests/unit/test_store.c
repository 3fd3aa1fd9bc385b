/*
 * test_store.c - the file list and the indexer on a temporary folder and database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "db_private.h"
#include "imr.h"
#include "prepare.h"

static char dir[64];

/* Writes `len` bytes to dir/name. */
static void put(const char *name, const char *bytes, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fwrite(bytes, 1, len, f);
        fclose(f);
    }
}

/* Copies a seed letter to dir/name. */
static void put_seed(const char *seed, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/corpus/letters/%s", IMR_SOURCE_DIR, seed);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    put(name, buf, n);
}

/* The value of a one-number SQL query. */
static long long one(imr_db_t *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(imr_db_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Parses dir/name, checking that it parses; returns the letter (free it) or NULL. */
static imr_letter_t *parse_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    imr_letter_t *L = NULL;
    imr_error_t err;
    CHECK_INT(imr_letter_parse(buf, len, &L, &err), IMR_OK);
    return L;
}

/*
 * The library reads no environment for its dictionaries (the programs pass
 * $IMRSEARCH_DICT_DIR to imr_dict_dir_set()): with the variable naming a folder whose
 * item_types.txt is broken, a letter still parses, with the built-in dictionaries. Run first,
 * before anything in this process reads a dictionary.
 */
static void test_dict_env_ignored(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/dict", dir);
    CHECK_INT(mkdir(path, 0777), 0);
    put("dict/item_types.txt", "hot cold | cold-device\n", 23);
    setenv("IMRSEARCH_DICT_DIR", path, 1);
    put_seed("000_df993e4b537a0a78.txt", "env.txt");
    imr_letter_free(parse_file("env.txt"));
    unsetenv("IMRSEARCH_DICT_DIR");
    snprintf(path, sizeof path, "%s/env.txt", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/dict/item_types.txt", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/dict", dir);
    CHECK_INT(rmdir(path), 0);
}

static void test_hash(void)
{
    /* Pinned values: a change of the hash would re-index every stored letter. */
    CHECK(imr_content_hash("", 0) == imr_content_hash("", 0));
    CHECK(imr_content_hash("abc", 3) != imr_content_hash("abd", 3));
    CHECK(imr_content_hash("abcdefgh", 8) != imr_content_hash("abcdefgh\0", 9));
    char a[20] = "0123456789abcdefghi", b[20];
    memcpy(b, a, sizeof a);
    b[17] ^= 1;
    CHECK(imr_content_hash(a, 19) != imr_content_hash(b, 19));
    CHECK_INT(imr_content_hash("abc", 3), imr_content_hash("abc", 3));
}

static void test_slugs(void)
{
    CHECK_STR(imr_skip_reason_slug(IMR_SKIP_EMPTY), "empty");
    CHECK_STR(imr_skip_reason_slug(IMR_SKIP_PDF), "bad PDF");
    CHECK_STR(imr_skip_reason_slug(IMR_SKIP_DUPLICATE), "duplicate");
    CHECK_STR(imr_skip_reason_slug((imr_skip_reason_t)99), "unknown");
}

static void test_file_list(void)
{
    char sub[128], path[256];
    snprintf(sub, sizeof sub, "%s/b", dir);
    CHECK_INT(mkdir(sub, 0777), 0);
    put("b/z.txt", "x", 1);
    put("b/a.txt", "xy", 2);
    put("c.txt", "xyz", 3);
    put("notes.md", "no", 2);
    put(".txt", "no stem", 7);

    imr_file_list_t *list = NULL;
    imr_error_t err;
    CHECK_INT(imr_file_list_new(&list, &err), IMR_OK);
    CHECK_INT(imr_file_list_add(list, dir, &err), IMR_OK);
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_INT(imr_file_list_add(list, path, &err), IMR_OK);
    snprintf(path, sizeof path, "%s/notes.md", dir);
    CHECK_INT(imr_file_list_add(list, path, &err), IMR_OK);

    CHECK_INT(imr_file_list_count(list), 4);
    CHECK_INT(imr_file_list_bytes(list), 1 + 2 + 3 + 2);
    const char *want[] = {"/b/a.txt", "/b/z.txt", "/c.txt", "/notes.md"};
    for (size_t i = 0; i < 4 && i < imr_file_list_count(list); i++) {
        snprintf(path, sizeof path, "%s%s", dir, want[i]);
        char got[IMR_FILE_PATH_MAX];
        CHECK_INT(imr_file_list_path(list, i, got, sizeof got), strlen(path));
        CHECK_STR(got, path);
    }
    CHECK_INT(imr_file_list_n_problems(list), 1);
    imr_skip_reason_t reason = IMR_SKIP_NONE;
    snprintf(path, sizeof path, "%s/missing: no such file or directory", dir);
    if (imr_file_list_n_problems(list) == 1)
        CHECK_STR(imr_file_list_problem(list, 0, &reason), path);
    CHECK_INT(reason, IMR_SKIP_MISSING);
    imr_file_list_free(list);
    imr_file_list_free(NULL);
}

/* Adds dir/name and returns its outcome. */
static imr_file_outcome_t add(imr_indexer_t *ix, const char *name, imr_file_result_t *res)
{
    char path[256];
    imr_error_t err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK_INT(imr_indexer_add_file(ix, path, res, &err), IMR_OK);
    return res->outcome;
}

/*
 * The one listing of a letter's full-text texts (imr__fts_row(), the order in which the writer
 * inserts them and the preparing thread tokenizes them) is column for column what the views
 * letter_doc and item_doc return for letter `name` of db, read from dir/file: what FTS5
 * indexes and what its 'delete' is fed back.
 */
static void check_fts_rows(imr_db_t *db, const char *name, const char *file)
{
    imr_letter_t *L = parse_file(file);
    char q[160];
    snprintf(q, sizeof q, "SELECT id FROM " IMR_TABLE_LETTER " WHERE name = '%s'", name);
    long long id = one(db, q);
    sqlite3_stmt *st[2] = {NULL, NULL};
    CHECK_INT(sqlite3_prepare_v2(imr_db_sqlite(db), "SELECT summary, other FROM "
                                 IMR_VIEW_LETTER_DOC " WHERE id = ?1", -1, &st[0], NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(imr_db_sqlite(db), "SELECT item, rationale, guideline,"
                                 " ca_guideline FROM " IMR_VIEW_ITEM_DOC " WHERE id = ?1", -1,
                                 &st[1], NULL),
              SQLITE_OK);
    imr_span_t spans[IMR__FTS_MAX_COLS];
    size_t row = 0, n, texts = 0;
    for (; L && st[0] && st[1] && (n = imr__fts_row(L, row, spans)) > 0; row++) {
        sqlite3_stmt *view = st[row > 0];
        sqlite3_bind_int64(view, 1, row ? IMR_ITEM_ID(id, (long long)row) : id);
        CHECK_INT(sqlite3_step(view), SQLITE_ROW);
        CHECK_INT(sqlite3_column_count(view), n);
        for (size_t c = 0; c < n && c < (size_t)sqlite3_column_count(view); c++) {
            const char *got = (const char *)sqlite3_column_text(view, (int)c);
            CHECK_INT(sqlite3_column_bytes(view, (int)c), spans[c].len);
            CHECK(got && memcmp(got, L->text + spans[c].off, spans[c].len) == 0);
        }
        sqlite3_reset(view);
        texts += n;
    }
    CHECK_INT(row, 3); /* the letter's row and its two items' */
    if (L) {
        CHECK_INT(row, 1 + L->n_items);
        CHECK_INT(texts, IMR__FTS_TEXTS(L));
    }
    sqlite3_finalize(st[0]);
    sqlite3_finalize(st[1]);
    imr_letter_free(L);
}

static void test_indexer(void)
{
    char path[256], msg[600];
    imr_error_t err;
    imr_db_t *db = NULL;
    imr_indexer_t *ix = NULL;
    imr_file_result_t res;

    snprintf(path, sizeof path, "%s/db/imr.db", dir);
    CHECK_INT(imr_db_open(path, IMR_DB_WRITE, &db, &err), IMR_OK);
    if (!db)
        return;
    CHECK_INT(imr_indexer_new(db, NULL, &ix, &err), IMR_OK);
    if (!ix) {
        imr_db_close(db);
        return;
    }
    put_seed("004_86369982a4019b49.txt", "L4.txt");
    put_seed("000_df993e4b537a0a78.txt", "L0.txt");
    put("empty.txt", "", 0);
    put("pdf.txt", "%PDF-1.5\n", 9);
    put("bin.txt", "HOW THE\0IMR", 11);

    CHECK_INT(add(ix, "L4.txt", &res), IMR_FILE_NEW);
    CHECK_INT(res.n_items, 2);
    CHECK_STR(res.message, "");
    CHECK_INT(add(ix, "L0.txt", &res), IMR_FILE_NEW);
    CHECK_INT(add(ix, "empty.txt", &res), IMR_FILE_SKIPPED);
    CHECK_INT(res.reason, IMR_SKIP_EMPTY);
    snprintf(msg, sizeof msg, "%s/empty.txt: empty file", dir);
    CHECK_STR(res.message, msg);
    CHECK_INT(add(ix, "pdf.txt", &res), IMR_FILE_SKIPPED);
    CHECK_INT(res.reason, IMR_SKIP_PDF);
    CHECK_INT(add(ix, "bin.txt", &res), IMR_FILE_SKIPPED);
    CHECK_INT(res.reason, IMR_SKIP_BINARY);
    CHECK_INT(add(ix, "nothere.txt", &res), IMR_FILE_SKIPPED);
    CHECK_INT(res.reason, IMR_SKIP_MISSING);
    /* The same path again: unchanged; the same name in another folder with other bytes: a
     * letter of its own, its folder in front of its name; with the same bytes: duplicate. */
    CHECK_INT(add(ix, "L4.txt", &res), IMR_FILE_UNCHANGED);
    CHECK_INT(mkdir(strcat(strcpy(path, dir), "/x"), 0777), 0);
    CHECK_INT(mkdir(strcat(strcpy(path, dir), "/y"), 0777), 0);
    put_seed("000_df993e4b537a0a78.txt", "x/L4.txt");
    put_seed("004_86369982a4019b49.txt", "y/L4.txt");
    CHECK_INT(add(ix, "x/L4.txt", &res), IMR_FILE_NEW);
    CHECK_INT(one(db, "SELECT count(*) FROM letter WHERE name = 'x/L4'"), 1);
    CHECK_INT(add(ix, "y/L4.txt", &res), IMR_FILE_SKIPPED);
    CHECK_INT(res.reason, IMR_SKIP_DUPLICATE);
    CHECK_INT(imr_indexer_commit(ix, &err), IMR_OK);

    const imr_index_stats_t *s = imr_indexer_stats(ix);
    CHECK_INT(s->files, 9);
    CHECK_INT(s->letters_new, 3);
    CHECK_INT(s->letters_unchanged, 1);
    CHECK_INT(s->skipped, 5);
    CHECK_INT(s->items, 4);
    CHECK_INT(s->by_layout[IMR_LAYOUT_1], 3);
    CHECK_INT(one(db, "SELECT count(*) FROM letter"), 3);
    CHECK_INT(one(db, "SELECT count(*) FROM item"), 4);
    /* Seed 004's ThermoCool item names it; its other item only through the letter's summary. */
    CHECK_INT(one(db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH 'thermocool'"), 1);
    CHECK_INT(one(db, "SELECT count(*) FROM letter_fts WHERE letter_fts MATCH 'thermocool'"), 1);
    CHECK_INT(one(db, "SELECT count(*) FROM letter_fts"), 3);
    check_fts_rows(db, "L4", "L4.txt");
    imr_indexer_free(ix);
    ix = NULL;

    /* A new run: L0 changed (now the text of letter 004), L4 and x/L4 removed from disk;
     * counted as gone before they are pruned. */
    CHECK_INT(imr_indexer_new(db, NULL, &ix, &err), IMR_OK);
    if (!ix) {
        imr_db_close(db);
        return;
    }
    put_seed("004_86369982a4019b49.txt", "L0.txt");
    CHECK_INT(add(ix, "L0.txt", &res), IMR_FILE_CHANGED);
    CHECK_INT(res.n_items, 2);
    snprintf(path, sizeof path, "%s/L4.txt", dir);
    CHECK_INT(unlink(path), 0);
    snprintf(path, sizeof path, "%s/x/L4.txt", dir);
    CHECK_INT(unlink(path), 0);
    CHECK_INT(imr_indexer_count_gone(ix, &err), IMR_OK);
    CHECK_INT(imr_indexer_stats(ix)->gone, 2);
    CHECK_INT(imr_indexer_prune(ix, NULL, NULL, &err), IMR_OK);
    CHECK_INT(imr_indexer_finish(ix, &err), IMR_OK);
    s = imr_indexer_stats(ix);
    CHECK_INT(s->letters_changed, 1);
    CHECK_INT(s->pruned, 2);
    CHECK_INT(one(db, "SELECT count(*) FROM letter"), 1);
    CHECK_INT(one(db, "SELECT count(*) FROM item"), 2);
    CHECK_INT(one(db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH 'thermocool'"), 1);
    CHECK_INT(one(db, "SELECT count(*) FROM letter_fts WHERE letter_fts MATCH 'thermocool'"), 1);
    CHECK_INT(one(db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH 'aetna'"), 0);
    CHECK_INT(one(db, "SELECT count(*) FROM letter_fts WHERE letter_fts MATCH 'aetna'"), 0);
    CHECK_INT(one(db, "SELECT count(*) FROM letter_fts"), 1);
    sqlite3_exec(imr_db_sqlite(db), "INSERT INTO item_fts(item_fts) VALUES('integrity-check')",
                 NULL, NULL, NULL);
    CHECK_INT(sqlite3_errcode(imr_db_sqlite(db)), SQLITE_OK);
    sqlite3_exec(imr_db_sqlite(db), "INSERT INTO letter_fts(letter_fts) VALUES('integrity-check')",
                 NULL, NULL, NULL);
    CHECK_INT(sqlite3_errcode(imr_db_sqlite(db)), SQLITE_OK);

    /* A rolled-back batch leaves nothing behind. */
    put_seed("001_f6bc1215f6435560.txt", "L1.txt");
    CHECK_INT(add(ix, "L1.txt", &res), IMR_FILE_NEW);
    imr_indexer_rollback(ix);
    CHECK_INT(one(db, "SELECT count(*) FROM letter"), 1);
    imr_indexer_free(ix);
    imr_indexer_free(NULL);
    imr_db_close(db);
}

/* Counts the files add_list reports, checks their order, stops after `stop_after` if set. */
struct seen_files {
    size_t n, stop_after, bad_order, skipped;
};

static int count_done(size_t i, const char *path, const imr_file_result_t *res, void *ctx)
{
    struct seen_files *s = ctx;
    (void)path;
    if (i != s->n)
        s->bad_order++;
    if (res->outcome == IMR_FILE_SKIPPED)
        s->skipped++;
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

static void test_add_list(void)
{
    char path[256], name[64];
    imr_error_t err;
    imr_db_t *db = NULL;
    imr_indexer_t *ix = NULL;
    imr_file_list_t *list = NULL;

    snprintf(path, sizeof path, "%s/many", dir);
    CHECK_INT(mkdir(path, 0777), 0);
    /* 100 letters (more than the pipeline's slots), one empty file among them. */
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "many/m%03d.txt", i);
        if (i == 50)
            put(name, "", 0);
        else
            put_seed(i % 2 ? "004_86369982a4019b49.txt" : "001_f6bc1215f6435560.txt", name);
    }
    snprintf(path, sizeof path, "%s/many.db", dir);
    CHECK_INT(imr_db_open(path, IMR_DB_WRITE, &db, &err), IMR_OK);
    CHECK_INT(imr_file_list_new(&list, &err), IMR_OK);
    snprintf(path, sizeof path, "%s/many", dir);
    CHECK_INT(imr_file_list_add(list, path, &err), IMR_OK);
    if (!db || !list) {
        imr_db_close(db);
        imr_file_list_free(list);
        return;
    }

    /* Stopped after 30 files: 30 reported, nothing more written once rolled back. */
    imr_index_options_t opt = {.batch_letters = 10};
    CHECK_INT(imr_indexer_new(db, &opt, &ix, &err), IMR_OK);
    struct seen_files s = {.stop_after = 30};
    CHECK_INT(imr_indexer_add_list(ix, list, count_done, &s, &err), IMR_OK);
    CHECK_INT(s.n, 30);
    CHECK_INT(s.bad_order, 0);
    imr_indexer_rollback(ix);
    CHECK_INT(one(db, "SELECT count(*) FROM letter"), 30);
    imr_indexer_free(ix);

    /* The whole list: the rest is indexed, the first 30 are unchanged. */
    CHECK_INT(imr_indexer_new(db, NULL, &ix, &err), IMR_OK);
    struct seen_files all = {0};
    CHECK_INT(imr_indexer_add_list(ix, list, count_done, &all, &err), IMR_OK);
    CHECK_INT(imr_indexer_finish(ix, &err), IMR_OK);
    CHECK_INT(all.n, 100);
    CHECK_INT(all.bad_order, 0);
    CHECK_INT(all.skipped, 1);
    const imr_index_stats_t *st = imr_indexer_stats(ix);
    CHECK_INT(st->letters_unchanged, 30);
    CHECK_INT(st->letters_new, 69);
    CHECK_INT(st->skipped_by[IMR_SKIP_EMPTY], 1);
    CHECK_INT(one(db, "SELECT count(*) FROM letter"), 99);
    /* 50 copies of 004 (2 items each), 49 of 001 (1 item). */
    CHECK_INT(one(db, "SELECT count(*) FROM item"), 50 * 2 + 49);
    imr_indexer_free(ix);
    imr_file_list_free(list);
    imr_db_close(db);
}

/*
 * A FIFO put where the walk saw a letter file (the race of a folder that changes during a run):
 * the indexer names it and goes on, without blocking in open(). An alarm ends the test if it
 * blocks.
 */
static void test_fifo_after_walk(void)
{
    char path[256], dbpath[256];
    imr_error_t err = {0};
    imr_db_t *db = NULL;
    imr_file_list_t *list = NULL;
    imr_indexer_t *ix = NULL;
    snprintf(path, sizeof path, "%s/race", dir);
    CHECK(mkdir(path, 0755) == 0);
    put_seed("004_86369982a4019b49.txt", "race/pipe.txt");
    snprintf(dbpath, sizeof dbpath, "%s/race.db", dir);
    CHECK_INT(imr_db_open(dbpath, IMR_DB_WRITE, &db, &err), IMR_OK);
    CHECK_INT(imr_file_list_new(&list, &err), IMR_OK);
    CHECK_INT(imr_file_list_add(list, path, &err), IMR_OK);
    CHECK_INT(imr_file_list_count(list), 1);
    snprintf(path, sizeof path, "%s/race/pipe.txt", dir);
    CHECK(unlink(path) == 0 && mkfifo(path, 0644) == 0);
    if (!db || !list) {
        imr_db_close(db);
        imr_file_list_free(list);
        return;
    }
    alarm(20);
    CHECK_INT(imr_indexer_new(db, NULL, &ix, &err), IMR_OK);
    imr_file_result_t res;
    CHECK_INT(imr_indexer_add_file(ix, path, &res, &err), IMR_OK);
    alarm(0);
    CHECK_INT(res.outcome, IMR_FILE_SKIPPED);
    char want[300];
    snprintf(want, sizeof want, "%s: not a regular file", path);
    CHECK_STR(res.message, want);
    imr_indexer_free(ix);
    imr_file_list_free(list);
    imr_db_close(db);
}

/*
 * A skipped file whose path is longer than the message (1,170 bytes and more): the message
 * keeps the reason and the file name whole and shortens the path in its middle. Under ASan,
 * the reason used to be read from past the end of the cut message.
 */
static void test_long_path_message(void)
{
    char path[2048], dbpath[256];
    imr_error_t err = {0};
    imr_db_t *db = NULL;
    imr_indexer_t *ix = NULL;
    size_t len = (size_t)snprintf(path, sizeof path, "%s/long", dir);
    CHECK(mkdir(path, 0755) == 0);
    while (len < 1150) {
        path[len++] = '/';
        memset(path + len, 'd', 200);
        len += 200;
        path[len] = '\0';
        CHECK(mkdir(path, 0755) == 0);
    }
    snprintf(path + len, sizeof path - len, "/%s", "empty-letter.txt");
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    snprintf(dbpath, sizeof dbpath, "%s/long.db", dir);
    CHECK_INT(imr_db_open(dbpath, IMR_DB_WRITE, &db, &err), IMR_OK);
    CHECK_INT(imr_indexer_new(db, NULL, &ix, &err), IMR_OK);
    imr_file_result_t res;
    if (ix) {
        CHECK_INT(imr_indexer_add_file(ix, path, &res, &err), IMR_OK);
        CHECK_INT(res.outcome, IMR_FILE_SKIPPED);
        CHECK(strlen(res.message) < sizeof res.message);
        CHECK(strncmp(res.message, dir, strlen(dir)) == 0);
        const char *end = "ddddd/empty-letter.txt: empty file";
        size_t n = strlen(res.message), e = strlen(end);
        CHECK(n > e && strcmp(res.message + n - e, end) == 0);
        CHECK(strstr(res.message, "d...d") != NULL);
    }
    imr_indexer_free(ix);
    imr_db_close(db);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/imr-test-store.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_dict_env_ignored();
    test_hash();
    test_slugs();
    test_file_list();
    test_indexer();
    test_add_list();
    test_fifo_after_walk();
    test_long_path_message();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
