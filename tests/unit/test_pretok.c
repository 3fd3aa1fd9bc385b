/*
 * test_pretok - tokens computed ahead (shim/tokenizer.c: imr__pretok_*, imr__tok_replay): an
 * FTS5 table fed replayed tokens holds exactly what one that tokenized the same texts holds,
 * and the tokenizer replays only the texts it expects, with the same bytes, for documents, in
 * instances with the default options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "check.h"
#include "imr.h"
#include "fts5_api.h"
#include "tokenizer.h"

static sqlite3 *db;
static imr__tok_shared_t *shared;

/* Runs SQL that returns no rows; returns the SQLite result code. */
static int exec(const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Inserts (rowid, x, y) into `table`; returns the SQLite result code. */
static int insert(const char *table, int rowid, const char *x, const char *y)
{
    char sql[128];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "INSERT INTO %s(rowid, x, y) VALUES (?1, ?2, ?3)", table);
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 1, rowid);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, x, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 3, y, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE)
        rc = SQLITE_OK;
    sqlite3_finalize(st);
    return rc;
}

/*
 * The whole index of an FTS5 table as "term:rowid:col:offset ..." (fts5vocab 'instance'),
 * in buf (cap bytes).
 */
static const char *instances(const char *table, char *buf, size_t cap)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    size_t used = 0;
    buf[0] = '\0';
    snprintf(sql, sizeof sql,
             "DROP TABLE IF EXISTS temp.v; CREATE VIRTUAL TABLE temp.v USING "
             "fts5vocab(main, %s, 'instance');",
             table);
    if (exec(sql) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT term, doc, col, offset FROM temp.v", -1, &st, NULL) !=
            SQLITE_OK)
        return "(error)";
    while (sqlite3_step(st) == SQLITE_ROW) {
        int w = snprintf(buf + used, cap - used, "%s%s:%lld:%s:%d", used ? " " : "",
                         (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                         (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3));
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    sqlite3_finalize(st);
    return buf;
}

static const char *const texts[] = {
    "The patient's C5-6 cryotherapy units were denied; 10/325mg #90.",
    "Café naïve REVIEWERS reviewed the reviews",
    "",
    "Lumbar spine L4-5, physical therapy x12",
};

int main(void)
{
    static char got[8192], want[8192];
    imr__tok_t *tok = NULL;
    imr__pretok_t *p = NULL;
    fts5_api *api = NULL;

    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(imr_tokenizer_register(db, NULL), IMR_OK);
    CHECK_INT(imr__fts5_api(db, &api), SQLITE_OK);
    CHECK_INT(imr__tok_shared_find(api, &shared), SQLITE_OK);
    CHECK(shared != NULL);
    CHECK_INT(exec("CREATE VIRTUAL TABLE a USING fts5(x, y, tokenize='imr');"
                   "CREATE VIRTUAL TABLE b USING fts5(x, y, tokenize='imr');"
                   "CREATE VIRTUAL TABLE c USING fts5(x, y, tokenize='imr stem 0');"
                   "CREATE VIRTUAL TABLE d USING fts5(x, y, tokenize='imr stem 0');"),
              SQLITE_OK);

    CHECK_INT(imr__tok_new_default(&tok), SQLITE_OK);
    CHECK_INT(imr__pretok_new(&p), SQLITE_OK);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        CHECK_INT(imr__pretok_add(p, tok, texts[i], (int)strlen(texts[i])), SQLITE_OK);
    CHECK_INT(imr__pretok_count(p), 4);

    /* Two documents replayed, column by column, give the index the tokenizer gives. */
    imr__tok_replay(shared, p, 0, 2);
    CHECK_INT(insert("a", 1, texts[0], texts[1]), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 2);
    imr__tok_replay(shared, p, 2, 2);
    CHECK_INT(insert("a", 2, texts[2], texts[3]), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 2);
    imr__tok_replay(shared, NULL, 0, 0);
    CHECK_INT(insert("b", 1, texts[0], texts[1]), SQLITE_OK);
    CHECK_INT(insert("b", 2, texts[2], texts[3]), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 0);
    CHECK_STR(instances("a", got, sizeof got), instances("b", want, sizeof want));
    CHECK(strstr(got, "cryotherapi:1:x:4") != NULL);
    CHECK(strstr(got, "cafe:1:y:0") != NULL);

    /* A text other than the one expected is tokenized; the expectation waits for its text. */
    imr__tok_replay(shared, p, 0, 2);
    CHECK_INT(insert("a", 3, "other words", texts[1]), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 0);
    CHECK_INT(insert("b", 3, "other words", texts[1]), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 0);
    /* The same length, other bytes. */
    imr__tok_replay(shared, p, 1, 1);
    char same_len[64];
    snprintf(same_len, sizeof same_len, "%s", texts[1]);
    same_len[0] = 'X';
    CHECK_INT(insert("a", 4, same_len, ""), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 0);
    imr__tok_replay(shared, NULL, 0, 0);
    CHECK_INT(insert("b", 4, same_len, ""), SQLITE_OK);
    CHECK_STR(instances("a", got, sizeof got), instances("b", want, sizeof want));

    /* Queries are tokenized, not replayed, even while their very text is expected. */
    imr__pretok_t *p2 = NULL;
    CHECK_INT(imr__pretok_new(&p2), SQLITE_OK);
    CHECK_INT(imr__pretok_add(p2, tok, "cryotherapies patients", 22), SQLITE_OK);
    imr__tok_replay(shared, p2, 0, 1);
    sqlite3_stmt *q = NULL;
    CHECK_INT(
        sqlite3_prepare_v2(db, "SELECT group_concat(rowid) FROM a WHERE a MATCH ?1", -1, &q, NULL),
        SQLITE_OK);
    CHECK_INT(sqlite3_bind_text(q, 1, "cryotherapies patients", -1, SQLITE_STATIC), SQLITE_OK);
    CHECK_INT(sqlite3_step(q), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(q, 0), "1");
    sqlite3_finalize(q);
    CHECK_INT(imr__tok_replayed(shared), 0);
    imr__tok_replay(shared, NULL, 0, 0);
    imr__pretok_free(p2);

    /* An instance with other options (no stemming) tokenizes by itself. */
    imr__tok_replay(shared, p, 0, 2);
    CHECK_INT(insert("c", 1, texts[0], texts[1]), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 0);
    imr__tok_replay(shared, NULL, 0, 0);
    CHECK_INT(insert("d", 1, texts[0], texts[1]), SQLITE_OK);
    CHECK_STR(instances("c", got, sizeof got), instances("d", want, sizeof want));
    CHECK(strstr(got, "cryotherapy:1:x:4") != NULL);

    /* A range beyond the pretok's texts expects nothing; clearing empties it. */
    imr__tok_replay(shared, p, 3, 2);
    CHECK_INT(insert("a", 5, texts[3], ""), SQLITE_OK);
    CHECK_INT(imr__tok_replayed(shared), 0);
    imr__tok_replay(shared, NULL, 0, 0);
    imr__pretok_clear(p);
    CHECK_INT(imr__pretok_count(p), 0);
    CHECK_INT(imr__pretok_add(p, tok, texts[3], (int)strlen(texts[3])), SQLITE_OK);
    CHECK_INT(imr__pretok_count(p), 1);

    imr__pretok_free(p);
    imr__pretok_free(NULL);
    imr__tok_free(tok);
    imr__tok_free(NULL);
    sqlite3_close(db);
    return check_done();
}
