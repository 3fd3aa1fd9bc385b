/*
 * store.c - writing letters into the database: incremental, batched, crash-safe.
 *
 * Design. The text of a letter is stored once, in letter.text; items and the letter keep byte
 * spans into it. Two FTS5 tables index it, both external content over views that cut each
 * column's text out of letter.text by those spans: item_fts (view item_doc) has one row per
 * item with the item's own text, its rationale and guideline paragraphs; letter_fts (view
 * letter_doc) has one row per letter with its summary and the rest of its text. What a
 * letter's items share is so tokenized and stored once, not once per item.
 *
 * Replacing a letter deletes its index rows first, through FTS5's 'delete' command fed with
 * the exact text the view still returns, then its item and letter rows, then
 * inserts the new ones: the order matters, because an external-content index can only forget
 * text it is given back.
 *
 * The work on one file is cut in two: preparing it (read, sniff, hash, parse: struct prep,
 * no database writes) and storing it (lookup, duplicate and unchanged checks, rows). add_file
 * does both in turn; add_list prepares up to N_SLOTS files ahead in a second thread while the
 * calling thread stores them in list order, so results equal one thread's; what the prepared
 * files hold is bounded by bytes too (options.read_ahead: see struct pipeline).
 *
 * A PDF's text is extracted in a child process (pdf.c) between the hash check and the parse.
 * The preparing thread starts the extraction of the next few files (one per core) before it
 * parses the current one, so that on a folder of PDFs every core extracts while this process
 * parses and writes.
 *
 * Letters are written in batches (one transaction per batch_letters letters or batch_bytes of
 * text), with statements prepared once. A letter is always written whole inside one
 * transaction, so a run stopped at any moment - a signal, SIGKILL, a power cut - leaves the
 * last committed batch, and the next run, which skips letters whose stored hash matches,
 * completes the work.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imr.h"
#include "imr_schema.h"
#include "parse.h"
#include "pdf.h"
#include "store_private.h"
#include "fts5_api.h"
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

enum stmt_id {
    S_FIND,       /* id, hash, path of a letter by name */
    S_SET_PATH,   /* move a letter to another path */
    S_FTS_DELETE, /* forget a letter's items in item_fts */
    S_LFTS_DELETE, /* forget a letter in letter_fts */
    S_DEL_ITEM,   /* delete a letter's item rows */
    S_DEL_LETTER, /* delete a letter row */
    S_INS_LETTER,
    S_INS_ITEM,
    S_INS_FTS,
    S_INS_LFTS,
    N_STMTS
};

static const char *const stmt_sql[N_STMTS] = {
    [S_FIND] = "SELECT id, hash, path FROM " IMR_TABLE_LETTER " WHERE name = ?1",
    [S_SET_PATH] = "UPDATE " IMR_TABLE_LETTER " SET path = ?2 WHERE id = ?1",
    [S_FTS_DELETE] = "INSERT INTO " IMR_TABLE_ITEM_FTS "(" IMR_TABLE_ITEM_FTS
                     ", rowid, item, rationale, guideline, ca_guideline)"
                     " SELECT 'delete', id, item, rationale, guideline, ca_guideline FROM "
                     IMR_VIEW_ITEM_DOC " WHERE " IMR_SQL_ITEMS_OF("id", "?1"),
    [S_LFTS_DELETE] = "INSERT INTO " IMR_TABLE_LETTER_FTS "(" IMR_TABLE_LETTER_FTS
                      ", rowid, summary, other) SELECT 'delete', id, summary, other FROM "
                      IMR_VIEW_LETTER_DOC " WHERE id = ?1",
    [S_DEL_ITEM] = "DELETE FROM " IMR_TABLE_ITEM " WHERE " IMR_SQL_ITEMS_OF("id", "?1"),
    [S_DEL_LETTER] = "DELETE FROM " IMR_TABLE_LETTER " WHERE id = ?1",
    [S_INS_LETTER] = "INSERT INTO " IMR_TABLE_LETTER "(name, path, hash, size, layout, parse,"
                     " problem, warnings, case_number, injury_date, ur_denial_date,"
                     " decision_date, specialty, text, summary_off, summary_len, other_off,"
                     " other_len, kind, pages) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                     " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    [S_INS_ITEM] = "INSERT INTO " IMR_TABLE_ITEM "(id, letter_id, ord, decision, item_type,"
                   " body_region, text_off, text_len, guideline_off, guideline_len, ca_off,"
                   " ca_len, rationale_off, rationale_len, sources, ca_sources, year, citation)"
                   " VALUES (" IMR_SQL_ITEM_ID("?1", "?2") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                   " ?10, ?11, ?12, ?13, ?14, ?15, substr(?16, 1, 4), ?17)",
    [S_INS_FTS] = "INSERT INTO " IMR_TABLE_ITEM_FTS "(rowid, item, rationale, guideline,"
                  " ca_guideline) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_INS_LFTS] = "INSERT INTO " IMR_TABLE_LETTER_FTS "(rowid, summary, other)"
                   " VALUES (?1, ?2, ?3)",
};

/*
 * A file read, checked, hashed and perhaps parsed: all the work on one file that needs no
 * write to the database, so that it can run ahead in another thread (imr_indexer_add_list).
 */
struct prep {
    imr_error_t err;          /* err.status != IMR_OK: stop the run with this error */
    imr_skip_reason_t reason; /* not NONE: skipped before any lookup; why says why */
    char why[512];            /* why the file is skipped, without its path */
    char *buf; /* the file's bytes, NUL-terminated; owned, reused */
    size_t cap, n;
    int read_ok;    /* the bytes were read (counted in bytes_read) */
    char name[256]; /* the letter id */
    char hash[17];  /* the content hash in hex */
    int pdf;        /* the bytes are a PDF: text is its extracted text */
    int job;        /* the PDF's extraction in the preparing thread's pool, or -1 */
    char *text;     /* a PDF's text (pdf.c), owned; NULL before extraction */
    size_t text_n;
    int parsed;     /* imr_letter_parse() was called: see letter, parse_st */
    imr_status_t parse_st;
    imr_letter_t *letter;  /* owned */
    imr__pretok_t *tokens; /* owned, reused; letter's texts tokenized ahead, when it holds
                              their PRETOK_TEXTS(letter) texts */
};

/*
 * The texts of a letter tokenized ahead, in the order insert_letter() gives them to FTS5:
 * letter_fts's columns, then each item's item_fts columns.
 */
#define PRETOK_TEXTS(L) (IMR_N_LETTER_COLS + (L)->n_items * IMR_N_ITEM_COLS)

static void prep_free(struct prep *p);

struct imr_indexer {
    imr_db_t *db;
    sqlite3 *sql;
    sqlite3_stmt *st[N_STMTS];
    imr_index_options_t opt;
    int in_txn;           /* a batch transaction is open */
    int first_load;       /* the database held no letter: see FTS_FIRST_LOAD_CRISISMERGE */
    size_t batch_letters; /* letters written in the open batch */
    uint64_t batch_bytes; /* text bytes written in the open batch */
    size_t run_written;   /* letters written (new or changed) in this run */
    size_t changes_noted; /* items written or removed this run, as far as meta counts them */
    long long items_at_start; /* items in the database when the indexer was made */
    unsigned char *seen;  /* bitmap of letter.id values met in this run */
    size_t seen_bytes;
    struct prep prep;              /* the file being added by imr_indexer_add_file() */
    char name[IMR_FILE_PATH_MAX];  /* the id of the letter being written */
    imr__pdf_pool_t *pdf;          /* the writing thread's PDF extractions */
    imr__tok_shared_t *tok_shared; /* the connection's tokenizer state, for replays; or NULL */
    int failed;                    /* a database error happened: only free is allowed */
    imr_index_stats_t stats;
};

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

uint64_t imr_content_hash(const void *bytes, size_t len)
{
    /*
     * FNV-1a's xor-then-multiply scheme over 64-bit little-endian words instead of bytes
     * (eight times fewer multiplications), with a stronger odd multiplier, a shift that folds
     * the high bits back down, and a final avalanche (MurmurHash3's fmix64 constants). The same
     * bytes give the same hash on every machine.
     */
    const unsigned char *p = bytes;
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)len;
    while (len > 0) {
        uint64_t w = 0;
        size_t k = len < 8 ? len : 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(&w, p, k);
#else
        for (size_t i = 0; i < k; i++)
            w |= (uint64_t)p[i] << (8 * i);
#endif
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
        p += k;
        len -= k;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
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

/* Does the database hold a letter (in the open transaction, if any)? 1 when unsure. */
static int has_letters(imr_indexer_t *ix)
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

/* The limits of PDF extraction that options ask for. */
static imr__pdf_limits_t pdf_limits(const imr_index_options_t *o)
{
    imr__pdf_limits_t lim = {o->pdf_seconds, o->pdf_memory, o->pdf_max_pages};
    return lim;
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
    imr__pdf_limits_t lim = pdf_limits(&ix->opt);
    imr_status_t pst = imr__pdf_pool_new(&lim, 1, &ix->pdf, err);
    if (pst != IMR_OK) {
        free(ix);
        return pst;
    }
    if (!ix->opt.batch_letters)
        ix->opt.batch_letters = DEFAULT_BATCH_LETTERS;
    if (!ix->opt.batch_bytes)
        ix->opt.batch_bytes = DEFAULT_BATCH_BYTES;

    ix->first_load = !has_letters(ix) && imr__db_set_journal(ix->sql, 1) == SQLITE_OK;
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
        rc = sqlite3_prepare_v3(ix->sql, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &ix->st[i],
                                NULL);
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
    prep_free(&ix->prep);
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

/* Frees what a prep owns. */
static void prep_free(struct prep *p)
{
    imr_letter_free(p->letter);
    imr__pretok_free(p->tokens);
    free(p->buf);
    free(p->text);
    memset(p, 0, sizeof *p);
}

/* The bytes of memory p holds: the file's bytes, a PDF's text, the parse and the tokens. */
static uint64_t prep_bytes(const struct prep *p)
{
    uint64_t n = p->cap + p->text_n;
    const imr_letter_t *L = p->letter;
    if (L)
        n += sizeof *L + L->text_len + 1 + L->n_items * sizeof *L->items +
             L->n_pages * sizeof *L->pages;
    if (p->tokens)
        n += imr__pretok_bytes(p->tokens);
    return n;
}

/*
 * Once p's file is written: frees its parse and a PDF's text, and its buffers too when they
 * hold more than `keep` bytes (kept, they are reused by the next file).
 */
static void prep_release(struct prep *p, uint64_t keep)
{
    imr_letter_free(p->letter);
    p->letter = NULL;
    free(p->text);
    p->text = NULL;
    p->text_n = 0;
    if (prep_bytes(p) > keep) {
        free(p->buf);
        p->buf = NULL;
        p->cap = p->n = 0;
        imr__pretok_free(p->tokens);
        p->tokens = NULL;
    }
}

/* Records that the file is skipped for `reason`, `what`; returns IMR_ERR_INPUT. */
static imr_status_t prep_skip(struct prep *p, imr_skip_reason_t reason, const char *what)
{
    p->reason = reason;
    snprintf(p->why, sizeof p->why, "%s", what);
    return IMR_ERR_INPUT;
}

/* Starts the extraction of p's PDF with `pool` when it waits for one and the pool has room. */
static void prep_launch(struct prep *p, imr__pdf_pool_t *pool)
{
    if (p->pdf && !p->parsed && !p->text && p->job < 0 && imr__pdf_pool_free_jobs(pool) > 0)
        p->job = imr__pdf_start(pool, p->buf, p->n);
}

/*
 * Makes sure p's PDF has its text: extracts it with `pool` (finishing the job p->job if one
 * was started). Returns 1 when the text is there (or p is no PDF), else 0 with p->parsed set
 * and p->parse_st IMR_ERR_INPUT (p->reason IMR_SKIP_PDF, p->why the reason), or p->err.
 */
static int prep_extract(struct prep *p, const char *path, imr__pdf_pool_t *pool)
{
    if (!p->pdf || p->text)
        return 1;
    char why[300];
    if (p->job < 0)
        p->job = imr__pdf_start(pool, p->buf, p->n);
    imr_status_t st = imr__pdf_finish(pool, p->job, &p->text, &p->text_n, why, sizeof why);
    p->job = -1;
    if (st == IMR_OK)
        return 1;
    p->parsed = 1;
    if (st == IMR_ERR_NOMEM)
        imr_error_set(&p->err, st, "%s: %s", path, why);
    else
        p->parse_st = prep_skip(p, IMR_SKIP_PDF, why);
    return 0;
}

/*
 * Parses p's text: a text file's bytes, or a PDF's text, extracted first when it is not yet
 * (prep_extract). A refusal leaves p->parse_st IMR_ERR_INPUT (p->reason IMR_SKIP_PDF for a
 * PDF that cannot be read) and p->why the reason.
 */
static void prep_parse(struct prep *p, const char *path, imr__pdf_pool_t *pool)
{
    imr_error_t perr;
    if (!prep_extract(p, path, pool))
        return;
    p->parsed = 1;
    p->parse_st = p->pdf ? imr_letter_parse(p->text, p->text_n, &p->letter, &perr)
                         : imr_letter_parse(p->buf, p->n, &p->letter, &perr);
    if (p->parse_st == IMR_ERR_INPUT)
        snprintf(p->why, sizeof p->why, "%s", perr.msg);
    else if (p->parse_st != IMR_OK)
        imr_error_set(&p->err, p->parse_st, "%s: %s", path, perr.msg);
}

/*
 * Reads the whole file into p->buf. Returns IMR_OK with p->n set, or IMR_ERR_INPUT with
 * p->reason and p->why set (the file is skipped), or IMR_ERR_NOMEM.
 */
static imr_status_t read_file(struct prep *p, const char *path)
{
    const char *what;
    /* O_NONBLOCK: a FIFO or device put where the walk saw a file must not block the open;
     * the flag is cleared once the file is known to be regular. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        imr_skip_reason_t reason = imr__errno_reason(e, &what);
        return prep_skip(p, reason, what);
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return prep_skip(p, IMR_SKIP_UNREADABLE,
                         S_ISDIR(sb.st_mode) ? "is a folder" : "not a regular file");
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if ((uint64_t)sb.st_size > IMR_MAX_LETTER_BYTES) {
        close(fd);
        char msg[96];
        snprintf(msg, sizeof msg, "file too large (%llu MB; a letter is at most %u MB)",
                 (unsigned long long)(sb.st_size >> 20), IMR_MAX_LETTER_BYTES >> 20);
        return prep_skip(p, IMR_SKIP_TOO_LARGE, msg);
    }
    size_t len = 0;
    for (;;) {
        if (len + 65536 > p->cap) {
            size_t cap = p->cap ? p->cap * 2 : (size_t)sb.st_size + 65536;
            char *q = realloc(p->buf, cap);
            if (!q) {
                close(fd);
                return imr_error_set(&p->err, IMR_ERR_NOMEM, "out of memory reading %s", path);
            }
            p->buf = q;
            p->cap = cap;
        }
        ssize_t got = read(fd, p->buf + len, p->cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            imr_skip_reason_t reason = imr__errno_reason(e, &what);
            return prep_skip(p, reason, what);
        }
        if (got == 0)
            break;
        len += (size_t)got;
        if (len > IMR_MAX_LETTER_BYTES) {
            close(fd);
            return prep_skip(p, IMR_SKIP_TOO_LARGE, "file too large");
        }
    }
    close(fd);
    p->buf[len] = '\0';
    p->n = len;
    return IMR_OK;
}

/* Does `path` end in ".pdf", in any case? */
static int named_pdf(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && path[n - 4] == '.' && (path[n - 3] | 32) == 'p' && (path[n - 2] | 32) == 'd' &&
           (path[n - 1] | 32) == 'f';
}

/*
 * Says what is wrong with bytes that cannot be a letter, before parsing: no text, NUL bytes,
 * a file named .pdf that is not one. Returns IMR_SKIP_NONE when the bytes may be a letter,
 * with *pdf 1 when they are a PDF (whatever the file's name).
 */
static imr_skip_reason_t sniff(const char *p, size_t n, const char *path, const char **what,
                               int *pdf)
{
    *pdf = 0;
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
        (unsigned char)p[2] == 0xbf)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n' || p[i] == '\f' ||
                     p[i] == '\v'))
        i++;
    if (i == n) {
        *what = "empty file";
        return IMR_SKIP_EMPTY;
    }
    if (imr__pdf_sniff(p, n)) {
        *pdf = 1;
        return IMR_SKIP_NONE;
    }
    if (named_pdf(path)) {
        *what = "not a PDF, though named .pdf";
        return IMR_SKIP_PDF;
    }
    if (!imr__text_utf16(p, n) && memchr(p, '\0', n)) {
        *what = "binary file";
        return IMR_SKIP_BINARY;
    }
    return IMR_SKIP_NONE;
}

/*
 * The k-th id that the letter of `path` may take (docs/schema.md, "Letter identity"), into
 * name (n bytes): k = 0 its file name without the extension ("letter"); k = 1, 2, ... that name
 * after one, two, ... of its folders ("b/letter", "a/b/letter"); after the last folder, the
 * whole path. Returns 0 when there is no k-th id (or it does not fit).
 */
static int letter_name(const char *path, size_t k, char *name, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    const char *end = dot && dot != base ? dot : base + strlen(base);
    const char *from = base;
    for (size_t i = 0; i < k && from > path; i++) {
        from--; /* the '/' before */
        while (from > path && from[-1] != '/')
            from--;
    }
    size_t folders = 0;
    for (const char *c = path; c < base; c++)
        folders += *c == '/' && c + 1 < base;
    if (k > folders + 1)
        return 0;
    if (k == folders + 1) /* the whole path, extension and all: no two files share it */
        from = path, end = path + strlen(path);
    size_t len = (size_t)(end - from);
    if (len >= n)
        return 0;
    memcpy(name, from, len);
    name[len] = '\0';
    return 1;
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
    static const enum stmt_id order[] = {S_FTS_DELETE, S_LFTS_DELETE, S_DEL_ITEM, S_DEL_LETTER};
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
 * Steps an insert into an FTS5 table whose texts are texts first .. first + count - 1 of
 * `tokens`, so that the tokenizer replays their tokens; with tokens NULL it tokenizes them.
 */
static int step_fts(imr_indexer_t *ix, sqlite3_stmt *st, const imr__pretok_t *tokens, size_t first,
                    size_t count)
{
    if (!tokens || !ix->tok_shared)
        return step_done(st);
    imr__tok_replay(ix->tok_shared, tokens, first, count);
    int rc = step_done(st);
    imr__tok_replay(ix->tok_shared, NULL, 0, 0);
    return rc;
}

/*
 * Inserts a parsed letter and its items; stores the new letter row id in *id. `tokens` holds
 * the letter's texts tokenized ahead (PRETOK_TEXTS of them), or is NULL.
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
    rc |= sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
    rc |= sqlite3_bind_int(st, 5, (int)L->layout);
    rc |= sqlite3_bind_text(st, 6, imr_parse_status_slug(L->parse), -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 7, L->problem, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_int(st, 8, (int)L->warnings);
    rc |= sqlite3_bind_text(st, 9, L->case_number, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 10, L->injury_date, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 11, L->ur_denial_date, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 12, L->decision_date, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 13, L->specialty, -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 14, t, (int)L->text_len, SQLITE_STATIC);
    rc |= sqlite3_bind_int64(st, 15, L->summary.off);
    rc |= sqlite3_bind_int64(st, 16, L->summary.len);
    rc |= sqlite3_bind_int64(st, 17, L->other.off);
    rc |= sqlite3_bind_int64(st, 18, L->other.len);
    rc |= sqlite3_bind_text(st, 19, pdf ? "pdf" : "txt", -1, SQLITE_STATIC);
    rc |= sqlite3_bind_text(st, 20, pages, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = step_done(st);
    else
        rc = SQLITE_INTERNAL;
    free(pages);
    if (rc != SQLITE_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(ix->sql);

    /* The letter's index row: the same text the letter_doc view returns for it. */
    st = ix->st[S_INS_LFTS];
    rc = sqlite3_bind_int64(st, 1, *id);
    rc |= bind_span(st, 2 + IMR_LCOL_SUMMARY, t, L->summary);
    rc |= bind_span(st, 2 + IMR_LCOL_OTHER, t, L->other);
    if (rc != SQLITE_OK)
        return SQLITE_INTERNAL;
    rc = step_fts(ix, st, tokens, 0, IMR_N_LETTER_COLS);
    for (size_t i = 0; rc == SQLITE_OK && i < L->n_items; i++) {
        const imr_item_t *it = &L->items[i];
        st = ix->st[S_INS_ITEM];
        int b = 0;
        b |= sqlite3_bind_int64(st, 1, *id);
        b |= sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        b |= sqlite3_bind_text(st, 3, imr_decision_slug(it->decision), -1, SQLITE_STATIC);
        b |= sqlite3_bind_text(st, 4, it->item_type ? it->item_type : "other", -1, SQLITE_STATIC);
        b |= sqlite3_bind_text(st, 5, it->body_region ? it->body_region : "unspecified", -1,
                               SQLITE_STATIC);
        b |= sqlite3_bind_int64(st, 6, it->text.off);
        b |= sqlite3_bind_int64(st, 7, it->text.len);
        b |= sqlite3_bind_int64(st, 8, it->guideline.off);
        b |= sqlite3_bind_int64(st, 9, it->guideline.len);
        b |= sqlite3_bind_int64(st, 10, it->ca_guideline.off);
        b |= sqlite3_bind_int64(st, 11, it->ca_guideline.len);
        b |= sqlite3_bind_int64(st, 12, it->rationale.off);
        b |= sqlite3_bind_int64(st, 13, it->rationale.len);
        /* No source at all is stored as "none". */
        b |= sqlite3_bind_int(st, 14, (int)(it->sources ? it->sources : IMR_SOURCE_NONE));
        b |= sqlite3_bind_int(st, 15, (int)(it->ca_sources ? it->ca_sources : IMR_SOURCE_NONE));
        b |= sqlite3_bind_text(st, 16, L->decision_date, -1, SQLITE_STATIC);
        char citation[512];
        b |= bind_line(st, 17, t, it->citation, citation, sizeof citation);
        if (b != SQLITE_OK)
            return SQLITE_INTERNAL;
        rc = step_done(st);
        if (rc != SQLITE_OK)
            break;
        sqlite3_int64 item_id = IMR_ITEM_ID(*id, (sqlite3_int64)i + 1);

        /* The index row: the same text the item_doc view returns for this item. */
        st = ix->st[S_INS_FTS];
        b = sqlite3_bind_int64(st, 1, item_id);
        b |= bind_span(st, 2 + IMR_COL_ITEM, t, it->text);
        b |= bind_span(st, 2 + IMR_COL_RATIONALE, t, it->rationale);
        b |= bind_span(st, 2 + IMR_COL_GUIDELINE, t, it->guideline);
        b |= bind_span(st, 2 + IMR_COL_CA_GUIDELINE, t, it->ca_guideline);
        if (b != SQLITE_OK)
            return SQLITE_INTERNAL;
        rc = step_fts(ix, st, tokens, IMR_N_LETTER_COLS + i * IMR_N_ITEM_COLS, IMR_N_ITEM_COLS);
    }
    return rc;
}

/* Checks that every span of a parsed letter lies inside its text. */
static int spans_valid(const imr_letter_t *L)
{
#define SPAN_OK(s) ((uint64_t)(s).off + (s).len <= L->text_len)
    if (!SPAN_OK(L->summary) || !SPAN_OK(L->other))
        return 0;
    for (size_t i = 0; i < L->n_items; i++) {
        const imr_item_t *it = &L->items[i];
        if (!SPAN_OK(it->text) || !SPAN_OK(it->guideline) || !SPAN_OK(it->ca_guideline) ||
            !SPAN_OK(it->rationale) || !SPAN_OK(it->citation))
            return 0;
    }
    return 1;
#undef SPAN_OK
}

/*
 * Tokenizes ahead, with `tok`, the texts insert_letter() will give FTS5 for p's letter, in
 * its order (PRETOK_TEXTS). On any failure p->tokens is left empty: the writer's tokenizer
 * then does the work (and meets the same error, if it was not a lack of memory here).
 */
static void prep_tokens(struct prep *p, imr__tok_t *tok)
{
    const imr_letter_t *L = p->letter;
    if (!p->tokens && imr__pretok_new(&p->tokens) != SQLITE_OK)
        return;
    imr__pretok_clear(p->tokens);
    if (!spans_valid(L))
        return;
    imr_span_t spans[IMR_N_ITEM_COLS];
    int rc = SQLITE_OK;
    spans[IMR_LCOL_SUMMARY] = L->summary;
    spans[IMR_LCOL_OTHER] = L->other;
    for (size_t c = 0; rc == SQLITE_OK && c < IMR_N_LETTER_COLS; c++)
        rc = imr__pretok_add(p->tokens, tok, L->text + spans[c].off, (int)spans[c].len);
    for (size_t i = 0; rc == SQLITE_OK && i < L->n_items; i++) {
        const imr_item_t *it = &L->items[i];
        spans[IMR_COL_ITEM] = it->text;
        spans[IMR_COL_RATIONALE] = it->rationale;
        spans[IMR_COL_GUIDELINE] = it->guideline;
        spans[IMR_COL_CA_GUIDELINE] = it->ca_guideline;
        for (size_t c = 0; rc == SQLITE_OK && c < IMR_N_ITEM_COLS; c++)
            rc = imr__pretok_add(p->tokens, tok, L->text + spans[c].off, (int)spans[c].len);
    }
    if (rc != SQLITE_OK)
        imr__pretok_clear(p->tokens);
}

/*
 * Starts the write-free work on one file into p: read, sniff, hash; then, unless `known` (a
 * statement reading letter.hash by name on a connection of the calling thread, or NULL) says
 * the database already holds these bytes, marks it for parsing (p->parsed 0, p->job -1 ...).
 * Problems end up in p->reason / p->err. Returns 1 when prep_finish() has work to do.
 */
static int prep_start(struct prep *p, const char *path, sqlite3_stmt *known)
{
    imr_letter_free(p->letter);
    p->letter = NULL;
    if (p->tokens)
        imr__pretok_clear(p->tokens);
    free(p->text);
    p->text = NULL;
    p->text_n = 0;
    p->job = -1;
    p->err.status = IMR_OK;
    p->reason = IMR_SKIP_NONE;
    p->why[0] = '\0';
    p->n = 0;
    p->read_ok = p->parsed = 0;
    p->parse_st = IMR_OK;

    if (read_file(p, path) != IMR_OK)
        return 0;
    p->read_ok = 1;
    const char *what;
    imr_skip_reason_t reason = sniff(p->buf, p->n, path, &what, &p->pdf);
    if (reason != IMR_SKIP_NONE) {
        prep_skip(p, reason, what);
        return 0;
    }
    if (!letter_name(path, 0, p->name, sizeof p->name))
        p->name[0] = '\0';
    snprintf(p->hash, sizeof p->hash, "%016llx",
             (unsigned long long)imr_content_hash(p->buf, p->n));
    if (known) {
        int same = 0;
        if (sqlite3_bind_text(known, 1, p->name, -1, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_step(known) == SQLITE_ROW) {
            const char *h = (const char *)sqlite3_column_text(known, 0);
            same = h && strcmp(h, p->hash) == 0;
        }
        sqlite3_reset(known);
        if (same)
            return 0;
    }
    return 1;
}

/*
 * Ends the write-free work prep_start() began: parses (extracting a PDF's text with `pool`
 * first), then, with `tok` (a tokenizer of the calling thread, or NULL for none), tokenizes
 * the letter's texts for the full-text tables.
 */
static void prep_finish(struct prep *p, const char *path, imr__pdf_pool_t *pool, imr__tok_t *tok)
{
    if (!p->parsed)
        prep_parse(p, path, pool);
    if (tok && p->parse_st == IMR_OK && p->letter && p->letter->text_len <= (size_t)0x7fffffff)
        prep_tokens(p, tok);
}

/*
 * Writes one prepared file: looks its id up, skips a duplicate, leaves an unchanged letter
 * alone, and otherwise (parsing now if the preparation did not) replaces the letter's rows.
 * Fills res; returns IMR_OK, or the error that stops the run.
 */
static imr_status_t store_prepared(imr_indexer_t *ix, const char *path, struct prep *pr,
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
     * Which letter of the database this file is, among the ids it may take (letter_name(), in
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
    for (size_t k = 0; letter_name(path, k, ix->name, sizeof ix->name); k++) {
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
        letter_name(path, pick[kind], ix->name, sizeof ix->name);
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
        prep_parse(pr, path, ix->pdf);
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
    if (!spans_valid(letter) || letter->n_items == 0) {
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
    if (pr->tokens && imr__pretok_count(pr->tokens) == PRETOK_TEXTS(letter))
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

/* Slots of prepared files between the preparing thread and the writing one. */
#define N_SLOTS 32
/*
 * A preparing thread that found every slot full waits until this many are free again, and a
 * writer that found none filled waits until this many are (or the list's end): whichever
 * thread is ahead sleeps and wakes once per REFILL_SLOTS files instead of once per file.
 */
#define REFILL_SLOTS (N_SLOTS / 2)

/*
 * The bytes the prepared files may hold (options.read_ahead). A slot whose buffers outgrow
 * its share of them, read_ahead / N_SLOTS, frees them once its file is written.
 */
static uint64_t read_ahead(const imr_indexer_t *ix)
{
    return ix->opt.read_ahead ? ix->opt.read_ahead : (uint64_t)IMR_READ_AHEAD_MB << 20;
}

imr_status_t imr_indexer_add_file(imr_indexer_t *ix, const char *path, imr_file_result_t *res,
                                  imr_error_t *err)
{
    imr_file_result_t local;
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    if (prep_start(&ix->prep, path, NULL))
        prep_finish(&ix->prep, path, ix->pdf, NULL);
    imr_status_t st = store_prepared(ix, path, &ix->prep, res ? res : &local, err);
    prep_release(&ix->prep, read_ahead(ix) / N_SLOTS);
    return st;
}

/*
 * The pipeline of imr_indexer_add_list(). Each side signals the other only when that one is
 * waiting (prep_waiting, writer_waiting), so a run where the preparing thread stays ahead
 * takes the mutex twice per file and makes no system call for it.
 *
 * It is bounded by bytes as well as by slots: the preparing thread starts no file while the
 * slots hold more than `bound` bytes and the writer has a prepared file to write (which frees
 * bytes), so the slots hold at most the bound plus what the files started since the last check
 * hold (one file finished, at most `ahead` started: docs/reliability.md). Whenever it waits, it
 * wakes a waiting writer first, so that what is ready gets written: the writer otherwise sleeps
 * until REFILL_SLOTS files are ready, which bytes may never allow.
 */
struct pipeline {
    const imr_file_list_t *list;
    sqlite3 *reader;     /* the preparing thread's read-only connection, or NULL */
    sqlite3_stmt *known; /* SELECT hash FROM letter WHERE name = ?1 on reader */
    imr__tok_t *tok;     /* the preparing thread's tokenizer, or NULL (the writer tokenizes) */
    imr__pdf_pool_t *pdf; /* the preparing thread's PDF extractions */
    size_t ahead;         /* files started ahead of the one being finished, at most */
    struct prep slot[N_SLOTS];
    char path[N_SLOTS][IMR_FILE_PATH_MAX]; /* path[i % N_SLOTS]: file i's, for slot i */
    uint64_t slot_bytes[N_SLOTS]; /* what each slot held when last counted (count_slot) */
    uint64_t held;       /* the sum of slot_bytes */
    uint64_t peak;       /* the most held at once */
    uint64_t bound;      /* read_ahead(): see above */
    pthread_mutex_t mu;
    pthread_cond_t filled_cv, freed_cv;
    size_t filled;      /* files prepared so far (slot i % N_SLOTS holds file i) */
    size_t consumed;    /* files written so far */
    size_t want;        /* the furthest file the waiting preparing thread is to start */
    int stop;           /* the writer stopped: the preparing thread ends */
    int prep_waiting;   /* the preparing thread waits on freed_cv */
    int writer_waiting; /* the writing thread waits on filled_cv */
};

/* Counts again the bytes slot k holds (with the mutex held, when there is a second thread). */
static void count_slot(struct pipeline *pl, size_t k)
{
    uint64_t b = prep_bytes(&pl->slot[k]);
    pl->held = pl->held - pl->slot_bytes[k] + b;
    pl->slot_bytes[k] = b;
    if (pl->held > pl->peak)
        pl->peak = pl->held;
}

/* The slots hold more than the bound, and the writer has a file to write (mutex held). */
static int over_bound(const struct pipeline *pl)
{
    return pl->held > pl->bound && pl->consumed < pl->filled;
}

/* May the preparing thread, waiting to start files up to pl->want, go on? (mutex held) */
static int prep_may_go(const struct pipeline *pl)
{
    return pl->stop || (pl->want - pl->consumed <= N_SLOTS - REFILL_SLOTS && !over_bound(pl));
}

/* Starts extractions for files [from, to) of the pipeline while its pool has room. */
static void launch(struct pipeline *pl, size_t from, size_t to, const unsigned char *todo)
{
    for (size_t k = from; k < to && imr__pdf_pool_free_jobs(pl->pdf) > 0; k++)
        if (todo[k % N_SLOTS])
            prep_launch(&pl->slot[k % N_SLOTS], pl->pdf);
}

/*
 * The preparing thread: prepares every file of the list in order, N_SLOTS ahead at most. It
 * reads files up to pl->ahead ahead of the one it finishes, but none beyond that one while the
 * slots are over the bound, and keeps the pool's workers busy with their PDFs: a worker done
 * with this file's PDF gets the next one before this file is parsed.
 */
static void *prepare_all(void *arg)
{
    struct pipeline *pl = arg;
    size_t n = imr_file_list_count(pl->list), started = 0;
    unsigned char todo[N_SLOTS]; /* todo[i % N_SLOTS]: file i needs prep_finish() */
    for (size_t i = 0; i < n; i++) {
        size_t last = i + pl->ahead - 1; /* the furthest file started below */
        pthread_mutex_lock(&pl->mu);
        if (!pl->stop && (last - pl->consumed >= N_SLOTS || over_bound(pl))) {
            pl->want = last;
            pl->prep_waiting = 1;
            if (pl->writer_waiting)
                pthread_cond_signal(&pl->filled_cv);
            while (!prep_may_go(pl))
                pthread_cond_wait(&pl->freed_cv, &pl->mu);
            pl->prep_waiting = 0;
        }
        int stop = pl->stop;
        pthread_mutex_unlock(&pl->mu);
        if (stop)
            break;
        for (; started < n && started <= last; started++) {
            size_t k = started % N_SLOTS;
            pthread_mutex_lock(&pl->mu);
            int full = started > i && pl->held > pl->bound;
            pthread_mutex_unlock(&pl->mu);
            if (full)
                break;
            imr_file_list_path(pl->list, started, pl->path[k], IMR_FILE_PATH_MAX);
            todo[k] = (unsigned char)prep_start(&pl->slot[k], pl->path[k], pl->known);
            pthread_mutex_lock(&pl->mu);
            count_slot(pl, k);
            pthread_mutex_unlock(&pl->mu);
        }
        launch(pl, i, started, todo);
        size_t k = i % N_SLOTS;
        if (todo[k]) {
            prep_extract(&pl->slot[k], pl->path[k], pl->pdf);
            launch(pl, i + 1, started, todo);
            prep_finish(&pl->slot[k], pl->path[k], pl->pdf, pl->tok);
        }
        pthread_mutex_lock(&pl->mu);
        count_slot(pl, k);
        pl->filled = i + 1;
        if (pl->writer_waiting && (pl->filled - pl->consumed >= REFILL_SLOTS || pl->filled == n))
            pthread_cond_signal(&pl->filled_cv);
        pthread_mutex_unlock(&pl->mu);
    }
    return NULL;
}

/* Opens the preparing thread's connection; on any failure leaves none (it then parses all). */
static void open_reader(imr_indexer_t *ix, struct pipeline *pl)
{
    if (sqlite3_open_v2(imr_db_filename(ix->db), &pl->reader,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
        imr_tokenizer_register(pl->reader, NULL) == IMR_OK &&
        sqlite3_prepare_v2(pl->reader, "SELECT hash FROM " IMR_TABLE_LETTER " WHERE name = ?1", -1,
                           &pl->known, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(pl->reader, 1000);
        return;
    }
    sqlite3_finalize(pl->known);
    sqlite3_close(pl->reader);
    pl->known = NULL;
    pl->reader = NULL;
}

imr_status_t imr_indexer_add_list(imr_indexer_t *ix, const imr_file_list_t *list,
                                  imr_file_done_fn done, void *ctx, imr_error_t *err)
{
    if (ix->failed)
        return imr_error_set(err, IMR_ERR_INTERNAL, "the indexer failed before; nothing more");
    size_t n = imr_file_list_count(list);
    struct pipeline *pl = calloc(1, sizeof *pl);
    if (!pl)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    pl->list = list;
    pl->bound = read_ahead(ix);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = ix->opt.pdf_jobs ? ix->opt.pdf_jobs : cores > 0 ? (size_t)cores : 1;
    if (jobs > IMR__PDF_MAX_JOBS)
        jobs = IMR__PDF_MAX_JOBS;
    pl->ahead = jobs + 1; /* one file more than the workers: read while they extract */
    imr__pdf_limits_t lim = pdf_limits(&ix->opt);
    if (imr__pdf_pool_new(&lim, (unsigned)jobs, &pl->pdf, err) != IMR_OK) {
        free(pl);
        return IMR_ERR_NOMEM;
    }
    /* Without a letter in the database no file can be unchanged: nothing to look up. */
    if (has_letters(ix))
        open_reader(ix, pl);
    if (ix->tok_shared && imr__tok_new_default(&pl->tok) != SQLITE_OK)
        pl->tok = NULL;
    pthread_t thread;
    int threaded = pthread_mutex_init(&pl->mu, NULL) == 0;
    if (threaded && pthread_cond_init(&pl->filled_cv, NULL) != 0) {
        pthread_mutex_destroy(&pl->mu);
        threaded = 0;
    }
    if (threaded && pthread_cond_init(&pl->freed_cv, NULL) != 0) {
        pthread_cond_destroy(&pl->filled_cv);
        pthread_mutex_destroy(&pl->mu);
        threaded = 0;
    }
    if (threaded && pthread_create(&thread, NULL, prepare_all, pl) != 0) {
        pthread_cond_destroy(&pl->freed_cv);
        pthread_cond_destroy(&pl->filled_cv);
        pthread_mutex_destroy(&pl->mu);
        threaded = 0;
    }

    imr_status_t st = IMR_OK;
    for (size_t i = 0; i < n && st == IMR_OK; i++) {
        size_t k = i % N_SLOTS;
        char *path = pl->path[k];
        struct prep *p = &pl->slot[k];
        if (threaded) {
            pthread_mutex_lock(&pl->mu);
            if (pl->filled <= i) {
                pl->writer_waiting = 1;
                while (pl->filled <= i)
                    pthread_cond_wait(&pl->filled_cv, &pl->mu);
                pl->writer_waiting = 0;
            }
            pthread_mutex_unlock(&pl->mu);
        } else {
            imr_file_list_path(list, i, path, IMR_FILE_PATH_MAX);
            if (prep_start(p, path, NULL))
                prep_finish(p, path, ix->pdf, NULL);
            count_slot(pl, k);
        }
        imr_file_result_t res;
        st = store_prepared(ix, path, p, &res, err);
        prep_release(p, pl->bound / N_SLOTS);
        int stop = st == IMR_OK && done && done(i, path, &res, ctx) != 0;
        if (threaded) {
            pthread_mutex_lock(&pl->mu);
            count_slot(pl, k);
            pl->consumed = i + 1;
            pl->stop = stop || st != IMR_OK;
            if (pl->prep_waiting && prep_may_go(pl))
                pthread_cond_signal(&pl->freed_cv);
            pthread_mutex_unlock(&pl->mu);
        } else {
            count_slot(pl, k);
        }
        if (stop)
            break;
    }
    if (threaded) {
        pthread_mutex_lock(&pl->mu);
        pl->stop = 1;
        pthread_cond_signal(&pl->freed_cv);
        pthread_mutex_unlock(&pl->mu);
        pthread_join(thread, NULL);
        pthread_cond_destroy(&pl->freed_cv);
        pthread_cond_destroy(&pl->filled_cv);
        pthread_mutex_destroy(&pl->mu);
    }
    if (pl->peak > ix->stats.read_ahead_peak)
        ix->stats.read_ahead_peak = pl->peak;
    imr__pdf_pool_free(pl->pdf);
    for (size_t i = 0; i < N_SLOTS; i++)
        prep_free(&pl->slot[i]);
    sqlite3_finalize(pl->known);
    sqlite3_close(pl->reader);
    imr__tok_free(pl->tok);
    free(pl);
    return st;
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
