/*
 * prepare.c - preparing one letter file for the database: read, sniff, hash, parse, and the
 * letter's texts tokenized ahead, with no write to the database.
 *
 * Design. The work on one file is cut in two: preparing it (here, into an imr__prep_t) and
 * storing it (store.c: lookup, duplicate and unchanged checks, rows). Preparing reads nothing
 * of the database but, when the caller gives one, the stored hash of the letter's id, so that
 * a file whose bytes are already indexed is not parsed: it can run in a thread of its own
 * ahead of the writer (pipeline.c), each thread with its own PDF pool and tokenizer.
 *
 * A file is read whole (at most IMR_MAX_LETTER_BYTES), sniffed (empty, binary, PDF, a file
 * named .pdf that is none), hashed (imr_content_hash) and parsed (imr_letter_parse). A PDF's
 * text is extracted in a child process (pdf.c) between the hash check and the parse;
 * imr__prep_launch() and imr__prep_extract() let the preparing thread start the extraction of
 * the next few files (one per core) before it parses the current one, so that on a folder of
 * PDFs every core extracts while this process parses and writes.
 *
 * The texts tokenized ahead are those imr__fts_row() lists, in its order, which is also the
 * order in which store.c inserts them: the writer's tokenizer replays the tokens computed
 * here (shim/tokenizer.h) and would index wrong words if the two orders differed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imr.h"
#include "imr_schema.h"
#include "parse.h"
#include "pdf.h"
#include "prepare.h"
#include "tokenizer.h"

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

imr__pdf_limits_t imr__prep_pdf_limits(const imr_index_options_t *o)
{
    imr__pdf_limits_t lim = {o->pdf_seconds, o->pdf_memory, o->pdf_max_pages};
    return lim;
}

void imr__prep_free(imr__prep_t *p)
{
    imr_letter_free(p->letter);
    imr__pretok_free(p->tokens);
    free(p->buf);
    free(p->text);
    memset(p, 0, sizeof *p);
}

uint64_t imr__prep_bytes(const imr__prep_t *p)
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

void imr__prep_release(imr__prep_t *p, uint64_t keep)
{
    imr_letter_free(p->letter);
    p->letter = NULL;
    free(p->text);
    p->text = NULL;
    p->text_n = 0;
    if (imr__prep_bytes(p) > keep) {
        free(p->buf);
        p->buf = NULL;
        p->cap = p->n = 0;
        imr__pretok_free(p->tokens);
        p->tokens = NULL;
    }
}

/* Records that the file is skipped for `reason`, `what`; returns IMR_ERR_INPUT. */
static imr_status_t prep_skip(imr__prep_t *p, imr_skip_reason_t reason, const char *what)
{
    p->reason = reason;
    snprintf(p->why, sizeof p->why, "%s", what);
    return IMR_ERR_INPUT;
}

void imr__prep_launch(imr__prep_t *p, imr__pdf_pool_t *pool)
{
    if (p->pdf && !p->parsed && !p->text && p->job < 0 && imr__pdf_pool_free_jobs(pool) > 0)
        p->job = imr__pdf_start(pool, p->buf, p->n);
}

int imr__prep_extract(imr__prep_t *p, const char *path, imr__pdf_pool_t *pool)
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

void imr__prep_parse(imr__prep_t *p, const char *path, imr__pdf_pool_t *pool)
{
    imr_error_t perr;
    if (!imr__prep_extract(p, path, pool))
        return;
    p->parsed = 1;
    p->parse_st = p->pdf ? imr_letter_parse(p->text, p->text_n, &p->letter, &perr)
                         : imr_letter_parse(p->buf, p->n, &p->letter, &perr);
    if (p->parse_st == IMR_ERR_INPUT)
        snprintf(p->why, sizeof p->why, "%s", perr.msg);
    else if (p->parse_st != IMR_OK)
        imr_error_set(&p->err, p->parse_st, "%s: %s", path, perr.msg);
}

imr_skip_reason_t imr__errno_reason(int e, const char **what)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        *what = "no such file or directory";
        return IMR_SKIP_MISSING;
    case EACCES:
    case EPERM:
        *what = "permission denied";
        return IMR_SKIP_UNREADABLE;
    case ELOOP:
        *what = "symbolic link loop";
        return IMR_SKIP_LOOP;
    case EISDIR:
        *what = "is a folder";
        return IMR_SKIP_UNREADABLE;
    case EIO:
        *what = "input/output error";
        return IMR_SKIP_UNREADABLE;
    case ENAMETOOLONG:
        *what = "path too long for the system (over " IMR_XSTR(PATH_MAX) " bytes)";
        return IMR_SKIP_UNREADABLE;
    default:
        *what = "cannot be read";
        return IMR_SKIP_UNREADABLE;
    }
}

/*
 * Reads the whole file into p->buf. Returns IMR_OK with p->n set, or IMR_ERR_INPUT with
 * p->reason and p->why set (the file is skipped), or IMR_ERR_NOMEM.
 */
static imr_status_t read_file(imr__prep_t *p, const char *path)
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

int imr__letter_name(const char *path, size_t k, char *name, size_t n)
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

int imr__letter_spans_valid(const imr_letter_t *L)
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

_Static_assert((int)IMR_N_LETTER_COLS <= (int)IMR__FTS_MAX_COLS, "a row's spans fit");

size_t imr__fts_row(const imr_letter_t *L, size_t row, imr_span_t spans[IMR__FTS_MAX_COLS])
{
    if (row == 0) {
        spans[IMR_LCOL_SUMMARY] = L->summary;
        spans[IMR_LCOL_OTHER] = L->other;
        return IMR_N_LETTER_COLS;
    }
    if (row > L->n_items)
        return 0;
    const imr_item_t *it = &L->items[row - 1];
    spans[IMR_COL_ITEM] = it->text;
    spans[IMR_COL_RATIONALE] = it->rationale;
    spans[IMR_COL_GUIDELINE] = it->guideline;
    spans[IMR_COL_CA_GUIDELINE] = it->ca_guideline;
    return IMR_N_ITEM_COLS;
}

/*
 * Tokenizes ahead, with `tok`, the texts store.c will give FTS5 for p's letter, in their one
 * order (imr__fts_row()). On any failure p->tokens is left empty: the writer's tokenizer then
 * does the work (and meets the same error, if it was not a lack of memory here).
 */
static void prep_tokens(imr__prep_t *p, imr__tok_t *tok)
{
    const imr_letter_t *L = p->letter;
    if (!p->tokens && imr__pretok_new(&p->tokens) != SQLITE_OK)
        return;
    imr__pretok_clear(p->tokens);
    if (!imr__letter_spans_valid(L))
        return;
    imr_span_t spans[IMR__FTS_MAX_COLS];
    int rc = SQLITE_OK;
    size_t n;
    for (size_t row = 0; rc == SQLITE_OK && (n = imr__fts_row(L, row, spans)) > 0; row++)
        for (size_t c = 0; rc == SQLITE_OK && c < n; c++)
            rc = imr__pretok_add(p->tokens, tok, L->text + spans[c].off, (int)spans[c].len);
    if (rc != SQLITE_OK)
        imr__pretok_clear(p->tokens);
}

int imr__prep_start(imr__prep_t *p, const char *path, sqlite3_stmt *known)
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
    if (!imr__letter_name(path, 0, p->name, sizeof p->name))
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

void imr__prep_finish(imr__prep_t *p, const char *path, imr__pdf_pool_t *pool, imr__tok_t *tok)
{
    if (!p->parsed)
        imr__prep_parse(p, path, pool);
    if (tok && p->parse_st == IMR_OK && p->letter && p->letter->text_len <= (size_t)0x7fffffff)
        prep_tokens(p, tok);
}
