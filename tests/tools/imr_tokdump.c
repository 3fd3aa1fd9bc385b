/*
 * imr_tokdump - prints the tokens a tokenizer makes of a text, one per line:
 *
 *     token<TAB>start<TAB>end<TAB>position
 *
 * start and end are byte offsets into the input; position counts tokens from 0, and a
 * colocated token (a prefix query's stem) repeats the position of the token before it.
 *
 * usage: imr_tokdump [--query | --prefix | --aux] [--tokenizer "NAME ARG..."] [FILE | -]
 *
 * The tokenizer (default "imr") is found through fts5_api xFindTokenizer on an in-memory
 * database where imr_tokenizer_register() has run, so this is the path FTS5 itself takes.
 * --tokenizer "porter unicode61 remove_diacritics 2" dumps the stock tokenizer instead.
 * Exit status: 0, 1 when the tokenizer fails (its SQLite error is printed), 2 for bad usage
 * or an unreadable file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "fts5_api.h"
#include "tokenizer.h"

#define MAX_ARGS 32

struct dump {
    FILE *out;    /* where lines go */
    int position; /* position of the last token printed, -1 before the first */
};

/* The xToken callback: prints one line per token. */
static int print_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
    struct dump *d = ctx;
    if (!(tflags & FTS5_TOKEN_COLOCATED))
        d->position++;
    fprintf(d->out, "%.*s\t%d\t%d\t%d\n", n, token, start, end, d->position);
    return SQLITE_OK;
}

/* Reads all of `f` into a malloc'ed buffer. Returns NULL when reading or memory fails. */
static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            return NULL;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Prints the usage line and returns the exit status for bad usage. */
static int usage(void)
{
    fprintf(stderr, "usage: imr_tokdump [--query | --prefix | --aux] [--tokenizer \"NAME ARG...\"]"
                    " [FILE | -]\n");
    return 2;
}

int main(int argc, char **argv)
{
    int flags = FTS5_TOKENIZE_DOCUMENT;
    const char *spec = "imr", *path = "-";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--query") == 0)
            flags = FTS5_TOKENIZE_QUERY;
        else if (strcmp(argv[i], "--prefix") == 0)
            flags = FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX;
        else if (strcmp(argv[i], "--aux") == 0)
            flags = FTS5_TOKENIZE_AUX;
        else if (strcmp(argv[i], "--tokenizer") == 0 && i + 1 < argc)
            spec = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage();
        else
            path = argv[i];
    }

    /* Split the tokenizer spec into its name and arguments. */
    char *words = strdup(spec);
    const char *targ[MAX_ARGS];
    int ntarg = 0;
    if (!words)
        return 2;
    for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
        if (ntarg == MAX_ARGS)
            return usage();
        targ[ntarg++] = w;
    }
    if (ntarg == 0)
        return usage();

    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    size_t len = 0;
    char *text = read_all(f, &len);
    if (f != stdin)
        fclose(f);
    if (!text || len > 0x7fffffff) {
        fprintf(stderr, "%s: cannot read\n", path);
        return 2;
    }

    sqlite3 *db = NULL;
    imr_error_t err;
    fts5_api *api = NULL;
    fts5_tokenizer tk;
    void *user_data = NULL;
    Fts5Tokenizer *inst = NULL;
    int status = 1, rc = sqlite3_open(":memory:", &db);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "imr_tokdump: cannot open a database\n");
        goto done;
    }
    if (imr_tokenizer_register(db, &err) != IMR_OK) {
        fprintf(stderr, "imr_tokdump: %s\n", err.msg);
        goto done;
    }
    rc = imr__fts5_api(db, &api);
    if (rc == SQLITE_OK)
        rc = api->xFindTokenizer(api, targ[0], &user_data, &tk);
    if (rc == SQLITE_OK)
        rc = tk.xCreate(user_data, targ + 1, ntarg - 1, &inst);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "imr_tokdump: tokenizer \"%s\": %s\n", spec, sqlite3_errstr(rc));
        goto done;
    }
    struct dump d = {stdout, -1};
    rc = tk.xTokenize(inst, &d, flags, text, (int)len, print_token);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "imr_tokdump: tokenizing: %s\n", sqlite3_errstr(rc));
        goto done;
    }
    status = fflush(stdout) == 0 ? 0 : 1;
done:
    if (inst)
        tk.xDelete(inst);
    sqlite3_close(db);
    free(text);
    free(words);
    return status;
}
