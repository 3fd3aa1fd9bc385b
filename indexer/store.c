/*
 * store.c - writing prepared letters into the database: incremental, batched, crash-safe.
 *
 * Design. The text of a letter is stored once, in letter.text; items and the letter keep byte
 * spans into it. Two FTS5 tables index it, both external content over views that cut each
 * column's text out of letter.text by those spans: item_fts (view item_doc) has one row per
 * item with the item's own text, its rationale and guideline paragraphs; letter_fts (view
 * letter_doc) has one row per letter with its summary and the rest of its text. What a
 * letter's items share is so tokenized and stored once, not once per item. The texts of those
 * rows are the ones imr__fts_row() lists, in its order (prepare.c tokenizes them ahead in the
 * same order, and the tokenizer replays them).
 *
 * Replacing a letter deletes its index rows first, through FTS5's 'delete' command fed with
 * the exact text the view still returns, then its item and letter rows, then
 * inserts the new ones: the order matters, because an external-content index can only forget
 * text it is given back.
 *
 * Storing a file is the second half of the work on it (prepare.c does the first, without
 * writes; pipeline.c runs the two in turn or in two threads): which letter of the database the
 * file is (its id, "Letter identity" in docs/schema.md), duplicate and unchanged checks, rows.
 *
 * Letters are written in batches (one transaction per batch_letters letters or batch_bytes of
 * text), with statements prepared once. A letter is always written whole inside one
 * transaction, so a run stopped at any moment - a signal, SIGKILL, a power cut - leaves the
 * last committed batch, and the next run, which skips letters whose stored hash matches,
 * completes the work.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "imr.h"
#include "imr_schema.h"
#include "db_private.h"
#include "error_private.h"
#include "fts5_api.h"
#include "prepare.h"
#include "store.h"
#include "term_stats.h"
#include "tokenizer.h"

#define DEFAULT_BATCH_LETTERS 5000
#define DEFAULT_BATCH_BYTES   (32u << 20)

/*
 * FTS5 settings for bulk loading, chosen by measurement (docs/schema.md): an in-memory term
 * hash as large as a batch writes one level-0 segment per batch instead of one per megabyte,
 * and merging 8 segments at a time instead of 4 rewrites the index less often; together they
 * halve the bytes written while loading.
 */
#define FTS_HASHSIZE    (32 << 20)
#define FTS_AUTOMERGE   8
#define FTS_CRISISMERGE 16
/* A run that wrote this share of the items merges item_fts into one segment (bulk_load()). */
#define IMR_OPTIMIZE_SHARE 0.25
/* Page cache of the writing connection, in KiB (negative cache_size). */
#define CACHE_KIB 65536

/*
 * A first load: a run that starts on a database without letters - the first build, the long
 * one. Two things make it cheaper (docs/benchmarks.md has the measurements).
 * - It commits through a rollback journal instead of the write-ahead log
 *   (imr__db_set_journal). Most pages it writes are new, and a rollback journal keeps only
 *   the old content of the existing pages a batch changes, where the log holds a second copy
 *   of every page until that is copied into the database. The journal file is kept between
 *   batches (journal_mode PERSIST): deleting it after each batch cost a quarter of the time
 *   at 1,000,000 letters. The cost: a search waits while a batch commits, instead of reading
 *   the batch before. The gain shrinks as the index grows and merges rewrite more old pages:
 *   at 200,000 letters it saved a tenth of the run, at 1,000,000 nothing measurable.
 * - item_fts is not merged while it loads (automerge 0), since the 'optimize' that ends the
 *   run rewrites it whole anyway; FTS5 still merges when FTS_FIRST_LOAD_CRISISMERGE segments
 *   pile up.
 * Both end when the indexer finishes or is freed. After a run killed in between, the next
 * writing connection rolls the journal back and the next indexer sets the usual merging.
 */
#define FTS_FIRST_LOAD_CRISISMERGE 64

/*
 * The columns of letter and item, in order (imr_schema.h): the INSERT of each names them all,
 * and column c is its parameter c + 1 (PARAM). letter.id is left NULL: SQLite assigns it.
 */
#define LETTER_COLUMN_(name, decl) L_##name,
#define ITEM_COLUMN_(name, decl) I_##name,
#define COLUMN_NAME_(name, decl) #name,
enum { IMR_LETTER_COLUMNS(LETTER_COLUMN_) N_LETTER_COLUMNS };
enum { IMR_ITEM_COLUMNS(ITEM_COLUMN_) N_ITEM_COLUMNS };
static const char *const letter_columns[] = {IMR_LETTER_COLUMNS(COLUMN_NAME_)};
static const char *const item_columns[] = {IMR_ITEM_COLUMNS(COLUMN_NAME_)};
#define PARAM(column) ((column) + 1)
/* A full-text column's parameter, after ?1, the rowid. */
#define FTS_PARAM_(e, name, span) ", ?"

static const char *const stmt_sql[N_STMTS] = {
    [S_FIND] = "SELECT id, hash, path FROM " IMR_TABLE_LETTER " WHERE name = ?1",
    [S_SET_PATH] = "UPDATE " IMR_TABLE_LETTER " SET path = ?2 WHERE id = ?1",
    [S_FTS_DELETE] = "INSERT INTO " IMR_TABLE_ITEM_FTS "(" IMR_TABLE_ITEM_FTS
                     ", rowid" IMR_SQL_ITEM_FTS_COLUMNS ") SELECT 'delete', id"
                     IMR_SQL_ITEM_FTS_COLUMNS " FROM " IMR_VIEW_ITEM_DOC
                     " WHERE " IMR_SQL_ITEMS_OF("id", "?1"),
    [S_LFTS_DELETE] = "INSERT INTO " IMR_TABLE_LETTER_FTS "(" IMR_TABLE_LETTER_FTS
                      ", rowid" IMR_SQL_LETTER_FTS_COLUMNS ") SELECT 'delete', id"
                      IMR_SQL_LETTER_FTS_COLUMNS " FROM " IMR_VIEW_LETTER_DOC " WHERE id = ?1",
    [S_DEL_ITEM] = "DELETE FROM " IMR_TABLE_ITEM " WHERE " IMR_SQL_ITEMS_OF("id", "?1"),
    [S_DEL_LETTER] = "DELETE FROM " IMR_TABLE_LETTER " WHERE id = ?1",
    /* S_INS_LETTER and S_INS_ITEM: insert_sql(). */
    [S_INS_FTS] = "INSERT INTO " IMR_TABLE_ITEM_FTS "(rowid" IMR_SQL_ITEM_FTS_COLUMNS
                  ") VALUES (?1" IMR_ITEM_FTS_COLUMNS(FTS_PARAM_) ")",
    [S_INS_LFTS] = "INSERT INTO " IMR_TABLE_LETTER_FTS "(rowid" IMR_SQL_LETTER_FTS_COLUMNS
                   ") VALUES (?1" IMR_LETTER_FTS_COLUMNS(FTS_PARAM_) ")",
};

/*
 * Writes into q (n bytes) "INSERT INTO table(c0, c1, ...) VALUES (?1, ?2, ...)" for the n_cols
 * columns `cols`; returns q, or NULL when it does not fit.
 */
static const char *insert_sql(char *q, size_t n, const char *table, const char *const *cols,
                              size_t n_cols)
{
    size_t len = (size_t)snprintf(q, n, "INSERT INTO %s(", table);
    for (size_t c = 0; c < n_cols && len < n; c++)
        len += (size_t)snprintf(q + len, n - len, "%s%s", c ? ", " : "", cols[c]);
    for (size_t c = 0; c < n_cols && len < n; c++)
        len += (size_t)snprintf(q + len, n - len, "%s?%zu", c ? ", " : ") VALUES (", c + 1);
    if (len < n)
        len += (size_t)snprintf(q + len, n - len, ")");
    return len < n ? q : NULL;
}

static const char *const skip_slugs[IMR_N_SKIP] = {
    [IMR_SKIP_NONE] = "none",
    [IMR_SKIP_MISSING] = "missing",
    [IMR_SKIP_UNREADABLE] = "unreadable",
    [IMR_SKIP_LOOP] = "symlink loop",
    [IMR_SKIP_EMPTY] = "empty",
    [IMR_SKIP_BINARY] = "binary",
    [IMR_SKIP_PDF] = "bad PDF",
    [IMR_SKIP_TOO_LARGE] = "too large",
    [IMR_SKIP_NOT_LETTER] = "not a letter",
    [IMR_SKIP_DUPLICATE] = "duplicate",
};

const char *imr_skip_reason_slug(imr_skip_reason_t reason)
{
    return (unsigned)reason < IMR_N_SKIP ? skip_slugs[reason] : "unknown";
}

/*
 * Times exec() tries again a statement that stayed busy through the busy timeout (10 s each):
 * during a first load (rollback journal) a reader's open transaction keeps the writer from
 * committing, and a slow reader (a search whose output is read slowly) must not end the run.
 */
#define BUSY_RETRIES 60

/*
 * Runs one SQL statement (or several) without results, again while it is busy (a statement
 * that fails busy has done nothing; a COMMIT that fails busy stays pending).
 */
static int exec(imr_indexer_t *ix, const char *sql)
{
    int rc = sqlite3_exec(ix->sql, sql, NULL, NULL, NULL);
    for (int i = 0; (rc & 0xff) == SQLITE_BUSY && i < BUSY_RETRIES; i++)
        rc = sqlite3_exec(ix->sql, sql, NULL, NULL, NULL);
    return rc;
}

/* Marks ix failed and maps rc to a status naming `what`. */
static imr_status_t fail(imr_indexer_t *ix, int rc, const char *what, imr_error_t *err)
{
    ix->failed = 1;
    return imr_db_fail(ix->db, rc, what, err);
}

/* Steps a prepared statement to completion and resets it; returns SQLITE_OK or the error. */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int rc2 = sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return rc2;
    return rc;
}

int imr__indexer_has_letters(imr_indexer_t *ix)
{
    long long letters = 1;
    if (imr__db_int(ix->sql, "SELECT EXISTS (SELECT 1 FROM " IMR_TABLE_LETTER ")", &letters) !=
        SQLITE_OK)
        return 1;
    return letters != 0;
}

/*
 * Sets FTS5 option `key` of `table` to `value`. FTS5 keeps options in the table's *_config
 * table and every change rewrites the index's structure record, so a value is written only
 * when it differs: a run that indexes nothing leaves the file as it was.
 */
static int fts_option(imr_indexer_t *ix, const char *table, const char *key, int value)
{
    char sql[256];
    sqlite3_stmt *q = NULL;
    int have = -1;
    snprintf(sql, sizeof sql, "SELECT v FROM %s_config WHERE k = ?1", table);
    int rc = sqlite3_prepare_v2(ix->sql, sql, -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        have = sqlite3_column_int(q, 0);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        rc = SQLITE_OK;
    sqlite3_finalize(q);
    if (rc != SQLITE_OK || have == value)
        return rc;
    snprintf(sql, sizeof sql, "INSERT INTO %s(%s, rank) VALUES ('%s', %d)", table, table, key,
             value);
    return exec(ix, sql);
}

/* Sets both FTS5 tables' options: the bulk-loading ones, and no merging of item_fts during a
 * first load. */
static int tune(imr_indexer_t *ix)
{
    static const char *const tables[] = {IMR_TABLE_ITEM_FTS, IMR_TABLE_LETTER_FTS};
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof tables / sizeof tables[0]; i++) {
        int unmerged = ix->first_load && strcmp(tables[i], IMR_TABLE_ITEM_FTS) == 0;
        rc = fts_option(ix, tables[i], "hashsize", FTS_HASHSIZE);
        if (rc == SQLITE_OK)
            rc = fts_option(ix, tables[i], "automerge", unmerged ? 0 : FTS_AUTOMERGE);
        if (rc == SQLITE_OK)
            rc = fts_option(ix, tables[i], "crisismerge",
                            unmerged ? FTS_FIRST_LOAD_CRISISMERGE : FTS_CRISISMERGE);
    }
    return rc;
}

imr_status_t imr_indexer_new(imr_db_t *db, const imr_index_options_t *options, imr_indexer_t **out,
                             imr_error_t *err)
{
    *out = NULL;
    imr_indexer_t *ix = calloc(1, sizeof *ix);
    if (!ix)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    ix->db = db;
    ix->sql = imr_db_sqlite(db);
    if (options)
        ix->opt = *options;
    imr__pdf_limits_t lim = imr__prep_pdf_limits(&ix->opt);
    imr_status_t pst = imr__pdf_pool_new(&lim, 1, &ix->pdf, err);
    if (pst != IMR_OK) {
        free(ix);
        return pst;
    }
    if (!ix->opt.batch_letters)
        ix->opt.batch_letters = DEFAULT_BATCH_LETTERS;
    if (!ix->opt.batch_bytes)
        ix->opt.batch_bytes = DEFAULT_BATCH_BYTES;

    ix->first_load = !imr__indexer_has_letters(ix) && imr__db_set_journal(ix->sql, 1) == SQLITE_OK;
    imr__db_int(ix->sql, "SELECT count(*) FROM " IMR_TABLE_ITEM, &ix->items_at_start);
    char sql[128];
    /* FAST: deleted content is overwritten only where that costs no extra page write. */
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA secure_delete = FAST", CACHE_KIB);
    int rc = exec(ix, sql);
    if (rc == SQLITE_OK)
        rc = tune(ix);
    if (rc != SQLITE_OK) {
        imr_status_t st = imr_db_fail(db, rc, "setting up the index", err);
        imr_indexer_free(ix);
        return st;
    }
    fts5_api *api = NULL;
    if (imr__fts5_api(ix->sql, &api) != SQLITE_OK ||
        imr__tok_shared_find(api, &ix->tok_shared) != SQLITE_OK)
        ix->tok_shared = NULL;
    for (int i = 0; i < N_STMTS; i++) {
        char q[1024];
        const char *text = i == S_INS_LETTER ? insert_sql(q, sizeof q, IMR_TABLE_LETTER,
                                                         letter_columns, N_LETTER_COLUMNS)
                          : i == S_INS_ITEM ? insert_sql(q, sizeof q, IMR_TABLE_ITEM,
                                                         item_columns, N_ITEM_COLUMNS)
                                            : stmt_sql[i];
        rc = text ? sqlite3_prepare_v3(ix->sql, text, -1, SQLITE_PREPARE_PERSISTENT, &ix->st[i],
                                       NULL)
                  : SQLITE_INTERNAL;
        if (rc != SQLITE_OK) {
            imr_status_t st = imr_db_fail(db, rc, "preparing the index statements", err);
            imr_indexer_free(ix);
            return st;
        }
    }
    *out = ix;
    return IMR_OK;
}

void imr_indexer_rollback(imr_indexer_t *ix)
{
    if (ix && ix->in_txn) {
        for (int i = 0; i < N_STMTS; i++)
            if (ix->st[i])
                sqlite3_reset(ix->st[i]);
        exec(ix, "ROLLBACK");
        ix->in_txn = 0;
        ix->batch_letters = 0;
        ix->batch_bytes = 0;
    }
}

/* Ends a first load: the usual merging, and the write-ahead log again. */
static int end_first_load(imr_indexer_t *ix)
{
    if (!ix->first_load)
        return SQLITE_OK;
    ix->first_load = 0;
    int rc = tune(ix);
    int rc2 = imr__db_set_journal(ix->sql, 0);
    return rc != SQLITE_OK ? rc : rc2;
}

void imr_indexer_free(imr_indexer_t *ix)
{
    if (!ix)
        return;
    imr_indexer_rollback(ix);
    end_first_load(ix); /* on failure the next run ends it */
    for (int i = 0; i < N_STMTS; i++)
        sqlite3_finalize(ix->st[i]);
    free(ix->seen);
    imr__prep_free(&ix->prep);
    imr__pdf_pool_free(ix->pdf);
    free(ix);
}

const imr_index_stats_t *imr_indexer_stats(const imr_indexer_t *ix)
{
    return &ix->stats;
}

/* Opens a batch transaction when none is open. */
static imr_status_t begin(imr_indexer_t *ix, imr_error_t *err)
{
    if (ix->in_txn)
        return IMR_OK;
    int rc = exec(ix, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return fail(ix, rc, "starting a transaction", err);
    ix->in_txn = 1;
    return IMR_OK;
}

/*
 * Records in meta, inside the batch's transaction, the work the end of the run owes to what
 * the batch wrote, so that a run stopped after this commit leaves it for the next run to do:
 * the items written or removed since the last rebuild of item_term ('item_term_pending'), and
 * the merge of item_fts ('merge_pending') during a first load or once the run has written
 * the share of the items after which imr_indexer_finish() merges (bulk_load(); the share is
 * counted against the items at the start plus those written, so a merge recorded here is one
 * the end of the run would do).
 */
static int note_pending(imr_indexer_t *ix)
{
    size_t changes = ix->stats.items + ix->stats.pruned;
    char q[256];
    snprintf(q, sizeof q,
             "INSERT INTO " IMR_TABLE_META "(key, value) VALUES ('item_term_pending', '%zu')"
             " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + %zu",
             changes - ix->changes_noted, changes - ix->changes_noted);
    int rc = changes > ix->changes_noted ? exec(ix, q) : SQLITE_OK;
    /* An upper bound of the items at the end: the share is not over-counted. */
    double items = (double)ix->items_at_start + (double)ix->stats.items;
    if (rc == SQLITE_OK &&
        (ix->first_load || (double)ix->stats.items >= IMR_OPTIMIZE_SHARE * items))
        rc = exec(ix, "INSERT OR REPLACE INTO " IMR_TABLE_META "(key, value)"
                      " VALUES ('merge_pending', '1')");
    if (rc == SQLITE_OK)
        ix->changes_noted = changes;
    return rc;
}

imr_status_t imr_indexer_commit(imr_indexer_t *ix, imr_error_t *err)
{
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    if (!ix->in_txn)
        return IMR_OK;
    int rc = note_pending(ix);
    if (rc == SQLITE_OK)
        rc = exec(ix, "COMMIT");
    if (rc != SQLITE_OK) {
        imr_status_t st = fail(ix, rc, "committing", err);
        imr_indexer_rollback(ix);
        return st;
    }
    ix->in_txn = 0;
    ix->batch_letters = 0;
    ix->batch_bytes = 0;
    ix->stats.commits++;
    return IMR_OK;
}

/* Records that letter row `id` was met in this run. */
static imr_status_t mark_seen(imr_indexer_t *ix, sqlite3_int64 id, imr_error_t *err)
{
    size_t byte = (size_t)id / 8;
    if (byte >= ix->seen_bytes) {
        size_t n = ix->seen_bytes ? ix->seen_bytes : 4096;
        while (n <= byte)
            n *= 2;
        unsigned char *p = realloc(ix->seen, n);
        if (!p)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        memset(p + ix->seen_bytes, 0, n - ix->seen_bytes);
        ix->seen = p;
        ix->seen_bytes = n;
    }
    ix->seen[byte] |= (unsigned char)(1u << (id % 8));
    return IMR_OK;
}

static int was_seen(const imr_indexer_t *ix, sqlite3_int64 id)
{
    size_t byte = (size_t)id / 8;
    return byte < ix->seen_bytes && (ix->seen[byte] >> (id % 8)) & 1;
}

/* Fills res as skipped for `reason` with "PATH: what". */
static void skip(imr_indexer_t *ix, imr_file_result_t *res, const char *path,
                 imr_skip_reason_t reason, const char *what)
{
    res->outcome = IMR_FILE_SKIPPED;
    res->reason = reason;
    imr__path_message(res->message, sizeof res->message, path, what);
    ix->stats.skipped++;
    ix->stats.skipped_by[reason]++;
}

/* Does `path` name something that exists (a letter's file that is still there)? */
static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

/*
 * Binds a span of text as a one-line TEXT value, runs of spaces and line breaks as one space,
 * cut to the n bytes of buf (SQLITE_TRANSIENT: buf may be reused at once).
 */
static int bind_line(sqlite3_stmt *st, int col, const char *text, imr_span_t span, char *buf,
                     size_t n)
{
    size_t o = 0;
    for (uint32_t i = 0; i < span.len && o + 1 < n; i++) {
        char c = text[span.off + i] == '\n' ? ' ' : text[span.off + i];
        if (c != ' ' || (o > 0 && buf[o - 1] != ' '))
            buf[o++] = c;
    }
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    return sqlite3_bind_text(st, col, buf, (int)o, SQLITE_TRANSIENT);
}

/* Binds a span of text as a TEXT value (empty when absent). */
static int bind_span(sqlite3_stmt *st, int col, const char *text, imr_span_t span)
{
    return sqlite3_bind_text(st, col, span.len ? text + span.off : "", (int)span.len,
                             SQLITE_STATIC);
}

/* Deletes letter row `id` with its items and index rows. */
static int delete_letter(imr_indexer_t *ix, sqlite3_int64 id)
{
    static const enum imr__stmt_id order[] = {S_FTS_DELETE, S_LFTS_DELETE, S_DEL_ITEM,
                                              S_DEL_LETTER};
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof order / sizeof order[0]; i++) {
        sqlite3_stmt *st = ix->st[order[i]];
        rc = sqlite3_bind_int64(st, 1, id);
        if (rc == SQLITE_OK)
            rc = step_done(st);
    }
    return rc;
}

/*
 * Inserts row `row` of the letter's full-text rows (imr__fts_row()) with `rowid` through `st`
 * (S_INS_LFTS for row 0, else S_INS_FTS): the same text the letter_doc or item_doc view
 * returns for it. With `tokens` (the letter's texts tokenized ahead), the tokenizer replays
 * its texts from *first on; *first then moves past them.
 */
static int insert_fts(imr_indexer_t *ix, sqlite3_stmt *st, sqlite3_int64 rowid,
                      const imr_letter_t *L, size_t row, const imr__pretok_t *tokens,
                      size_t *first)
{
    imr_span_t spans[IMR__FTS_MAX_COLS];
    size_t n = imr__fts_row(L, row, spans);
    int b = sqlite3_bind_int64(st, 1, rowid);
    for (size_t c = 0; c < n; c++)
        b |= bind_span(st, 2 + (int)c, L->text, spans[c]);
    if (b != SQLITE_OK)
        return SQLITE_INTERNAL;
    int replay = tokens && ix->tok_shared;
    if (replay)
        imr__tok_replay(ix->tok_shared, tokens, *first, n);
    int rc = step_done(st);
    if (replay)
        imr__tok_replay(ix->tok_shared, NULL, 0, 0);
    *first += n;
    return rc;
}

/*
 * Inserts a parsed letter and its items; stores the new letter row id in *id. `tokens` holds
 * the letter's texts tokenized ahead (IMR__FTS_TEXTS of them), or is NULL.
 */
static int insert_letter(imr_indexer_t *ix, const char *name, const char *path, const char *hash,
                         uint64_t size, int pdf, const imr_letter_t *L,
                         const imr__pretok_t *tokens, sqlite3_int64 *id)
{
    sqlite3_stmt *st = ix->st[S_INS_LETTER];
    const char *t = L->text;
    int rc = SQLITE_OK;
    if (L->text_len > (size_t)0x7fffffff)
        return SQLITE_TOOBIG;
    /* letter.pages: where each page starts, "0 2861 5940" (docs/schema.md). */
    char *pages = malloc(L->n_pages * 11 + 1);
    if (!pages)
        return SQLITE_NOMEM;
    pages[0] = '\0';
    for (size_t k = 0, w = 0; k < L->n_pages; k++)
        w += (size_t)sprintf(pages + w, "%s%u", k ? " " : "", (unsigned)L->pages[k]);
    rc |= sqlite3_bind_text(st, PARAM(L_name), name, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_path), path, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_hash), hash, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, PARAM(L_size), (sqlite3_int64)size);
    rc |= sqlite3_bind_int(st, PARAM(L_layout), (int)L->layout);
    rc |= sqlite3_bind_text(st, PARAM(L_parse), imr_parse_status_slug(L->parse), -1,
                            SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_problem), L->problem, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_int(st, PARAM(L_warnings), (int)L->warnings);
    rc |= sqlite3_bind_text(st, PARAM(L_case_number), L->case_number, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_injury_date), L->injury_date, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_ur_denial_date), L->ur_denial_date, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_decision_date), L->decision_date, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_year), L->year, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_year_source), L->year_source, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_specialty), L->specialty, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_specialties), L->specialties, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_text), t, (int)L->text_len, SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, PARAM(L_summary_off), L->summary.off);
    rc |= sqlite3_bind_int64(st, PARAM(L_summary_len), L->summary.len);
    rc |= sqlite3_bind_int64(st, PARAM(L_other_off), L->other.off);
    rc |= sqlite3_bind_int64(st, PARAM(L_other_len), L->other.len);
    rc |= sqlite3_bind_text(st, PARAM(L_kind), pdf ? "pdf" : "txt", -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, PARAM(L_pages), pages, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = step_done(st);
    else
        rc = SQLITE_INTERNAL;
    free(pages);
    if (rc != SQLITE_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(ix->sql);

    /* Its index rows, in the order of imr__fts_row(): the letter's, then each item's. */
    size_t first = 0;
    rc = insert_fts(ix, ix->st[S_INS_LFTS], *id, L, 0, tokens, &first);
    for (size_t i = 0; rc == SQLITE_OK && i < L->n_items; i++) {
        const imr_item_t *it = &L->items[i];
        sqlite3_int64 item_id = IMR_ITEM_ID(*id, (sqlite3_int64)i + 1);
        const char *type = it->item_type ? it->item_type : "other";
        const char *region = it->body_region ? it->body_region : "unspecified";
        /* No source at all is stored as "none". */
        int sources = (int)(it->sources ? it->sources : IMR_SOURCE_NONE);
        int ca_sources = (int)(it->ca_sources ? it->ca_sources : IMR_SOURCE_NONE);
        st = ix->st[S_INS_ITEM];
        int b = sqlite3_bind_int64(st, PARAM(I_id), item_id);
        b |= sqlite3_bind_int64(st, PARAM(I_letter_id), *id);
        b |= sqlite3_bind_int64(st, PARAM(I_ord), (sqlite3_int64)i + 1);
        b |= sqlite3_bind_text(st, PARAM(I_decision), imr_decision_slug(it->decision), -1,
                               SQLITE_STATIC);
        b |= sqlite3_bind_text(st, PARAM(I_item_type), type, -1, SQLITE_STATIC);
        b |= sqlite3_bind_text(st, PARAM(I_body_region), region, -1, SQLITE_STATIC);
        b |= sqlite3_bind_int64(st, PARAM(I_text_off), it->text.off);
        b |= sqlite3_bind_int64(st, PARAM(I_text_len), it->text.len);
        b |= sqlite3_bind_int64(st, PARAM(I_guideline_off), it->guideline.off);
        b |= sqlite3_bind_int64(st, PARAM(I_guideline_len), it->guideline.len);
        b |= sqlite3_bind_int64(st, PARAM(I_ca_off), it->ca_guideline.off);
        b |= sqlite3_bind_int64(st, PARAM(I_ca_len), it->ca_guideline.len);
        b |= sqlite3_bind_int64(st, PARAM(I_rationale_off), it->rationale.off);
        b |= sqlite3_bind_int64(st, PARAM(I_rationale_len), it->rationale.len);
        b |= sqlite3_bind_int(st, PARAM(I_sources), sources);
        b |= sqlite3_bind_int(st, PARAM(I_ca_sources), ca_sources);
        b |= sqlite3_bind_text(st, PARAM(I_year), L->year, -1, SQLITE_STATIC);
        char citation[512];
        b |= bind_line(st, PARAM(I_citation), t, it->citation, citation, sizeof citation);
        b |= sqlite3_bind_int(st, PARAM(I_placeholder), it->placeholder);
        if (b != SQLITE_OK)
            return SQLITE_INTERNAL;
        rc = step_done(st);
        if (rc != SQLITE_OK)
            break;
        rc = insert_fts(ix, ix->st[S_INS_FTS], item_id, L, i + 1, tokens, &first);
    }
    return rc;
}

imr_status_t imr__store_prepared(imr_indexer_t *ix, const char *path, imr__prep_t *pr,
                                   imr_file_result_t *res, imr_error_t *err)
{
    memset(res, 0, sizeof *res);
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    if (pr->err.status != IMR_OK) {
        if (err)
            *err = pr->err;
        return pr->err.status;
    }
    ix->stats.files++;
    if (pr->read_ok) {
        res->bytes = pr->n;
        ix->stats.bytes_read += pr->n;
    }
    if (pr->reason != IMR_SKIP_NONE) {
        skip(ix, res, path, pr->reason, pr->why);
        return IMR_OK;
    }
    const char *hash = pr->hash, *name = ix->name;
    imr_status_t st;


    /*
     * Which letter of the database this file is, among the ids it may take (imr__letter_name(), in
     * order, up to the first free one): the one stored with this path; else one with the same
     * bytes (moved, or a copy); else one whose file is gone (moved and changed), unless read in
     * this run; else the free id: a new letter. An id whose letter is another file, still
     * there, is passed over, so same-named files in different folders stay two letters.
     */
    enum { ID_PATH, ID_BYTES, ID_GONE, ID_FREE, ID_NONE };
    size_t pick[ID_NONE] = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    sqlite3_int64 row[ID_NONE] = {0};
    int path_hash = 0; /* the letter stored with this path has these bytes */
    int rc = SQLITE_DONE;
    sqlite3_stmt *find = ix->st[S_FIND];
    for (size_t k = 0; imr__letter_name(path, k, ix->name, sizeof ix->name); k++) {
        rc = sqlite3_bind_text(find, 1, ix->name, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(find);
        int kind = ID_NONE;
        if (rc == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(find, 0);
            const char *h = (const char *)sqlite3_column_text(find, 1);
            const char *p = (const char *)sqlite3_column_text(find, 2);
            if (p && strcmp(p, path) == 0)
                kind = ID_PATH, path_hash = h && strcmp(h, hash) == 0;
            else if (h && strcmp(h, hash) == 0)
                kind = ID_BYTES;
            else if (p && !was_seen(ix, id) && !file_exists(p))
                kind = ID_GONE;
            if (kind == ID_BYTES && pick[ID_BYTES] == SIZE_MAX && was_seen(ix, id))
                snprintf(res->message, sizeof res->message,
                         "%s: duplicate letter id %.255s (already read from %s)", path, ix->name,
                         p);
            rc = SQLITE_DONE;
            if (kind < ID_NONE && pick[kind] == SIZE_MAX)
                pick[kind] = k, row[kind] = id;
        } else if (rc == SQLITE_DONE) {
            pick[ID_FREE] = k;
        }
        sqlite3_reset(find);
        if (rc != SQLITE_DONE || pick[ID_PATH] != SIZE_MAX || pick[ID_FREE] != SIZE_MAX)
            break;
    }
    if (rc != SQLITE_DONE)
        return fail(ix, rc, "looking up a letter", err);
    int kind = ID_PATH;
    while (kind < ID_NONE && pick[kind] == SIZE_MAX)
        kind++;
    int have_old = kind < ID_FREE, same_path = kind == ID_PATH;
    int same_hash = kind == ID_BYTES || (same_path && path_hash);
    int duplicate = kind == ID_BYTES && res->message[0];
    sqlite3_int64 old_id = have_old ? row[kind] : 0;
    if (kind < ID_NONE)
        imr__letter_name(path, pick[kind], ix->name, sizeof ix->name);
    if (kind != ID_BYTES)
        res->message[0] = '\0';
    if (kind == ID_NONE) {
        duplicate = 1;
        snprintf(res->message, sizeof res->message,
                 "%s: duplicate letter id: other letters hold every id this file could take", path);
    }

    if (duplicate) {
        res->outcome = IMR_FILE_SKIPPED;
        res->reason = IMR_SKIP_DUPLICATE;
        ix->stats.skipped++;
        ix->stats.skipped_by[IMR_SKIP_DUPLICATE]++;
        return IMR_OK;
    }
    if (have_old && same_hash) {
        res->outcome = IMR_FILE_UNCHANGED;
        ix->stats.letters_unchanged++;
        if (!same_path) {
            if ((st = begin(ix, err)) != IMR_OK)
                return st;
            sqlite3_stmt *set = ix->st[S_SET_PATH];
            rc = sqlite3_bind_int64(set, 1, old_id);
            if (rc == SQLITE_OK)
                rc = sqlite3_bind_text(set, 2, path, -1, SQLITE_STATIC);
            if (rc == SQLITE_OK)
                rc = step_done(set);
            if (rc != SQLITE_OK) {
                st = fail(ix, rc, "updating a letter's path", err);
                imr_indexer_rollback(ix);
                return st;
            }
        }
        return mark_seen(ix, old_id, err);
    }

    if (!pr->parsed) {
        imr__prep_parse(pr, path, ix->pdf);
        if (pr->err.status != IMR_OK) {
            if (err)
                *err = pr->err;
            return pr->err.status;
        }
    }
    if (pr->parse_st == IMR_ERR_INPUT) {
        skip(ix, res, path, pr->reason != IMR_SKIP_NONE ? pr->reason : IMR_SKIP_NOT_LETTER,
             pr->why);
        return IMR_OK;
    }
    imr_letter_t *letter = pr->letter;
    pr->letter = NULL;
    if (!imr__letter_spans_valid(letter) || letter->n_items == 0) {
        imr_letter_free(letter);
        return imr_error_set(err, IMR_ERR_INTERNAL,
                             "%s: the parser returned spans outside the text", path);
    }

    if ((st = begin(ix, err)) != IMR_OK) {
        imr_letter_free(letter);
        return st;
    }
    /* The tokens computed ahead, when they are this letter's (not after a late parse). */
    const imr__pretok_t *tokens = NULL;
    if (pr->tokens && imr__pretok_count(pr->tokens) == IMR__FTS_TEXTS(letter))
        tokens = pr->tokens;
    rc = SQLITE_OK;
    if (have_old)
        rc = delete_letter(ix, old_id);
    sqlite3_int64 new_id = 0;
    if (rc == SQLITE_OK)
        rc = insert_letter(ix, name, path, hash, pr->n, pr->pdf, letter, tokens, &new_id);
    if (rc != SQLITE_OK) {
        imr_letter_free(letter);
        st = fail(ix, rc, "writing a letter", err);
        imr_indexer_rollback(ix);
        return st;
    }

    res->outcome = have_old ? IMR_FILE_CHANGED : IMR_FILE_NEW;
    res->layout = letter->layout;
    res->parse = letter->parse;
    snprintf(res->problem, sizeof res->problem, "%s", letter->problem);
    res->n_items = letter->n_items;
    res->warnings = letter->warnings;
    res->n_unknown = 0;
    res->disagreement[0] = '\0';
    for (size_t i = 0; i < letter->n_items; i++) {
        const imr_item_t *it = &letter->items[i];
        res->n_unknown += it->decision == IMR_DECISION_UNKNOWN;
        if (it->wording == IMR_DECISION_UNKNOWN || it->wording == it->decision)
            continue;
        ix->stats.disagreements++;
        if (!res->disagreement[0])
            snprintf(res->disagreement, sizeof res->disagreement,
                     "item %zu: %s as stated, the rationale reads %s", i + 1,
                     imr_decision_slug(it->decision),
                     imr_decision_slug(it->wording));
    }
    ix->stats.items_unknown += res->n_unknown;
    if (have_old)
        ix->stats.letters_changed++;
    else
        ix->stats.letters_new++;
    ix->stats.items += letter->n_items;
    if ((unsigned)letter->layout < 4)
        ix->stats.by_layout[letter->layout]++;
    if (letter->parse == IMR_PARSE_PARTIAL)
        ix->stats.partial++;
    else if (letter->parse == IMR_PARSE_UNPARSED)
        ix->stats.unparsed++;
    if (letter->warnings & IMR_WARN_UNREADABLE)
        ix->stats.unreadable++;
    ix->stats.bytes_indexed += letter->text_len;
    ix->batch_letters++;
    ix->batch_bytes += letter->text_len;
    ix->run_written++;
    imr_letter_free(letter);

    if ((st = mark_seen(ix, new_id, err)) != IMR_OK)
        return st;
    if (ix->batch_letters >= ix->opt.batch_letters || ix->batch_bytes >= ix->opt.batch_bytes)
        return imr_indexer_commit(ix, err);
    return IMR_OK;
}

/* One letter whose file is gone. */
struct gone {
    sqlite3_int64 id;
    char *name, *path;
};

static void free_gone(struct gone *gone, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(gone[i].name);
        free(gone[i].path);
    }
    free(gone);
}

/*
 * Finds the letters whose file is gone (not read in this run, and no file at their path):
 * counts them in *n and, when `out` is not NULL, stores them there in a new array (free with
 * free_gone(*out, *n)). Errors: the database's, IMR_ERR_NOMEM.
 */
static imr_status_t find_gone(imr_indexer_t *ix, struct gone **out, size_t *n, imr_error_t *err)
{
    struct gone *gone = NULL;
    size_t cap = 0;
    imr_status_t st = IMR_OK;
    sqlite3_stmt *q = NULL;
    *n = 0;
    int rc = sqlite3_prepare_v2(
        ix->sql, "SELECT id, name, path FROM " IMR_TABLE_LETTER " ORDER BY id", -1, &q, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(q)) != SQLITE_ROW)
            break;
        const char *path = (const char *)sqlite3_column_text(q, 2);
        sqlite3_int64 id = sqlite3_column_int64(q, 0);
        if (!path || was_seen(ix, id) || file_exists(path))
            continue;
        if (!out) {
            ++*n;
            continue;
        }
        if (*n == cap) {
            size_t c = cap ? cap * 2 : 64;
            struct gone *g = realloc(gone, c * sizeof *g);
            if (!g) {
                st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
                break;
            }
            gone = g;
            cap = c;
        }
        gone[*n].id = id;
        gone[*n].name = strdup((const char *)sqlite3_column_text(q, 1));
        gone[*n].path = strdup(path);
        if (!gone[*n].name || !gone[*n].path) {
            free(gone[*n].name);
            free(gone[*n].path);
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            break;
        }
        ++*n;
    }
    sqlite3_finalize(q);
    if (st == IMR_OK && rc != SQLITE_DONE)
        st = fail(ix, rc, "listing letters whose files are gone", err);
    if (st != IMR_OK) {
        free_gone(gone, out ? *n : 0);
        *n = 0;
        gone = NULL;
    }
    if (out)
        *out = gone;
    return st;
}

imr_status_t imr_indexer_count_gone(imr_indexer_t *ix, imr_error_t *err)
{
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    return find_gone(ix, NULL, &ix->stats.gone, err);
}

imr_status_t imr_indexer_prune(imr_indexer_t *ix, imr_prune_fn names, void *ctx, imr_error_t *err)
{
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    struct gone *gone = NULL;
    size_t n = 0;
    imr_status_t st = find_gone(ix, &gone, &n, err);
    int rc;
    for (size_t i = 0; st == IMR_OK && i < n; i++) {
        if ((st = begin(ix, err)) != IMR_OK)
            break;
        rc = delete_letter(ix, gone[i].id);
        if (rc != SQLITE_OK) {
            st = fail(ix, rc, "removing a letter", err);
            imr_indexer_rollback(ix);
            break;
        }
        ix->stats.pruned++;
        if (names)
            names(gone[i].name, gone[i].path, ctx);
        if (++ix->batch_letters >= ix->opt.batch_letters)
            st = imr_indexer_commit(ix, err);
    }
    free_gone(gone, n);
    return st;
}

/*
 * 1 when the run wrote at least IMR_OPTIMIZE_SHARE of the items now in the database: after
 * such a bulk load item_fts is merged into one segment. Each of a search's lookups there then
 * reads one b-tree instead of a dozen (measured at 200,000 letters: a search's median time 20%
 * lower, for a merge costing a tenth of the load), and a run of a few letters does not pay for
 * rewriting the whole index. letter_fts, read only by letter-level queries and the wider
 * pass, is left to FTS5's automerge (merging it too cost another 4 s of the 34 s load and
 * changed the median by 0.4 ms); --optimize merges both.
 */
static int bulk_load(imr_indexer_t *ix)
{
    long long items = 0;
    imr__db_int(ix->sql, "SELECT count(*) FROM " IMR_TABLE_ITEM, &items); /* 0 on error */
    return (double)ix->stats.items >= IMR_OPTIMIZE_SHARE * (double)items;
}

imr_status_t imr_indexer_finish(imr_indexer_t *ix, imr_error_t *err)
{
    imr_status_t st = imr_indexer_commit(ix, err);
    if (st != IMR_OK)
        return st;
    long long merge_pending = 0;
    imr__db_int(ix->sql, "SELECT value FROM " IMR_TABLE_META " WHERE key = 'merge_pending'",
                &merge_pending); /* 0 on error */
    if (ix->opt.optimize || merge_pending || (bulk_load(ix) && ix->run_written)) {
        int rc = exec(ix, "INSERT INTO " IMR_TABLE_ITEM_FTS "(" IMR_TABLE_ITEM_FTS
                          ") VALUES ('optimize')");
        if (rc == SQLITE_OK && ix->opt.optimize)
            rc = exec(ix, "INSERT INTO " IMR_TABLE_LETTER_FTS "(" IMR_TABLE_LETTER_FTS
                          ") VALUES ('optimize')");
        if (rc == SQLITE_OK && merge_pending)
            rc = exec(ix, "DELETE FROM " IMR_TABLE_META " WHERE key = 'merge_pending'");
        if (rc != SQLITE_OK)
            return fail(ix, rc, "optimizing the index", err);
    }
    /* Every run: the counts a stopped run left pending are brought up to date here. */
    imr_status_t ts = imr__term_stats_update(ix->db, err);
    if (ts != IMR_OK)
        return ts;
    if (ix->run_written || ix->stats.pruned) {
        /* A sampled ANALYZE where the planner would gain from one: quick at any size. */
        int rc = exec(ix, "PRAGMA analysis_limit = 1000; PRAGMA optimize;");
        if (rc != SQLITE_OK)
            return fail(ix, rc, "updating the query planner's statistics", err);
    }
    int rc = end_first_load(ix);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) /* busy: the next run ends it */
        return fail(ix, rc, "ending the first load", err);
    return IMR_OK;
}
