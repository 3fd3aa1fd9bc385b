/*
 * bench_tokenizer - tokenizing speed of `imr` against FTS5's stock porter tokenizer.
 *
 * usage: bench_tokenizer [--mb MB] [--runs N] PATH...
 *
 * Reads every PATH (a file, or every *.txt file in a folder), repeats that set of documents
 * until it holds at least MB megabytes (default 20), then tokenizes every document through
 * `imr` and through `porter unicode61 remove_diacritics 2`, both found with fts5_api
 * xFindTokenizer in this process, N times each (default 5, alternating), and prints the best
 * MB/s of each and their ratio. Times are the thread's CPU time, so that other processes on a
 * busy machine disturb the figures less. A benchmark, not a test: it asserts nothing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imr.h"
#include "fts5_api.h"
#include "tokenizer.h"

struct doc {
    const char *text; /* not owned: points into a file buffer */
    int len;
};

struct corpus {
    char **files; /* file contents, owned */
    int nfiles;
    struct doc *docs; /* documents, owned array */
    int ndocs, capdocs;
    double bytes;
};

struct counter {
    long long tokens;
    long long token_bytes;
};

/* The xToken callback: counts tokens and their bytes. */
static int count_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
    struct counter *c = ctx;
    (void)tflags, (void)token, (void)start, (void)end;
    c->tokens++;
    c->token_bytes += n;
    return SQLITE_OK;
}

/* Appends a document (not copied) to the corpus. Returns 0, or -1 when memory runs out. */
static int add_doc(struct corpus *c, const char *text, int len)
{
    if (c->ndocs == c->capdocs) {
        int cap = c->capdocs ? c->capdocs * 2 : 64;
        struct doc *d = realloc(c->docs, (size_t)cap * sizeof *d);
        if (!d)
            return -1;
        c->docs = d;
        c->capdocs = cap;
    }
    c->docs[c->ndocs].text = text;
    c->docs[c->ndocs].len = len;
    c->ndocs++;
    c->bytes += len;
    return 0;
}

/* Reads a file into the corpus as one document. Returns 0, or -1 (with a message). */
static int add_file(struct corpus *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    char **files = realloc(c->files, (size_t)(c->nfiles + 1) * sizeof *files);
    if (!buf || !files || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        if (files)
            c->files = files;
        fclose(f);
        return -1;
    }
    fclose(f);
    c->files = files;
    c->files[c->nfiles++] = buf;
    return add_doc(c, buf, (int)n);
}

/* Adds a file, or every *.txt file of a folder. Returns 0, or -1 (with a message). */
static int add_path(struct corpus *c, const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return add_file(c, path);
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        rc = add_file(c, full);
    }
    closedir(dir);
    return rc;
}

/* Returns the CPU time this thread has used, in seconds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A tokenizer ready to run: its module and instance. */
struct bench_tok {
    const char *label;
    fts5_tokenizer tk;
    Fts5Tokenizer *inst;
    double best; /* seconds of the fastest run */
    struct counter count;
};

/* Finds tokenizer `name` and creates an instance with `args`. Returns an SQLite code. */
static int open_tok(fts5_api *api, struct bench_tok *b, const char *name, const char **args,
                    int nargs)
{
    void *user_data = NULL;
    int rc = api->xFindTokenizer(api, name, &user_data, &b->tk);
    if (rc == SQLITE_OK)
        rc = b->tk.xCreate(user_data, args, nargs, &b->inst);
    if (rc != SQLITE_OK)
        fprintf(stderr, "bench_tokenizer: %s: %s\n", b->label, sqlite3_errstr(rc));
    return rc;
}

/* Tokenizes every document once, keeping the time when it is the best. Returns an SQLite code. */
static int run_once(struct bench_tok *b, const struct corpus *c)
{
    struct counter count = {0, 0};
    double t0 = now();
    for (int i = 0; i < c->ndocs; i++) {
        int rc = b->tk.xTokenize(b->inst, &count, FTS5_TOKENIZE_DOCUMENT, c->docs[i].text,
                                 c->docs[i].len, count_token);
        if (rc != SQLITE_OK) {
            fprintf(stderr, "bench_tokenizer: %s: %s\n", b->label, sqlite3_errstr(rc));
            return rc;
        }
    }
    double t = now() - t0;
    if (b->best == 0 || t < b->best)
        b->best = t;
    b->count = count;
    return SQLITE_OK;
}

int main(int argc, char **argv)
{
    double mb = 20;
    int runs = 5, i;
    struct corpus c = {0};

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc)
            mb = atof(argv[++i]);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else
            break;
    }
    if (i >= argc || runs < 1) {
        fprintf(stderr, "usage: bench_tokenizer [--mb MB] [--runs N] PATH...\n");
        return 2;
    }
    for (; i < argc; i++)
        if (add_path(&c, argv[i]) != 0)
            return 2;
    if (c.ndocs == 0 || c.bytes == 0) {
        fprintf(stderr, "bench_tokenizer: no text\n");
        return 2;
    }
    for (int base = c.ndocs; c.bytes < mb * 1e6;)
        for (int k = 0; k < base && c.bytes < mb * 1e6; k++)
            if (add_doc(&c, c.docs[k].text, c.docs[k].len) != 0)
                return 2;

    sqlite3 *db = NULL;
    fts5_api *api = NULL;
    imr_error_t err;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || imr_tokenizer_register(db, &err) != IMR_OK ||
        imr__fts5_api(db, &api) != SQLITE_OK) {
        fprintf(stderr, "bench_tokenizer: cannot set up SQLite with the imr tokenizer\n");
        return 1;
    }
    struct bench_tok imr = {.label = "imr"};
    struct bench_tok porter = {.label = "porter unicode61 remove_diacritics 2"};
    const char *porter_args[] = {"unicode61", "remove_diacritics", "2"};
    if (open_tok(api, &imr, "imr", NULL, 0) != SQLITE_OK ||
        open_tok(api, &porter, "porter", porter_args, 3) != SQLITE_OK)
        return 1;
    for (int r = 0; r < runs; r++)
        if (run_once(&imr, &c) != SQLITE_OK || run_once(&porter, &c) != SQLITE_OK)
            return 1;

    double mbytes = c.bytes / 1e6;
    printf("input: %.1f MB in %d documents, best of %d runs each (CPU time)\n", mbytes, c.ndocs,
           runs);
    printf("%-38s %8.1f MB/s  %lld tokens\n", imr.label, mbytes / imr.best, imr.count.tokens);
    printf("%-38s %8.1f MB/s  %lld tokens\n", porter.label, mbytes / porter.best,
           porter.count.tokens);
    printf("ratio imr/porter: %.2f\n", porter.best / imr.best);

    imr.tk.xDelete(imr.inst);
    porter.tk.xDelete(porter.inst);
    sqlite3_close(db);
    for (int k = 0; k < c.nfiles; k++)
        free(c.files[k]);
    free(c.files);
    free(c.docs);
    return 0;
}
