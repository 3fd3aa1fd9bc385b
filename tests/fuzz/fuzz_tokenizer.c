/*
 * fuzz_tokenizer - libFuzzer harness for the `imr` tokenizer, through the fts5_api as FTS5
 * calls it. Build with -DIMR_FUZZ=ON (clang), run: build/fuzz_tokenizer -max_total_time=60
 *
 * The first input byte picks the flags (document, query, prefix) and the options (stemming,
 * diacritics); the rest is the text. Every token must lie inside the text, in order, and be
 * non-empty; the tokenizer must return SQLITE_OK.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "fts5_api.h"
#include "tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    int n;          /* text length */
    int last_start; /* start of the previous token */
};

static int check_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
    struct check *c = ctx;
    (void)tflags;
    if (n <= 0 || !token || start < c->last_start || start < 0 || end > c->n || end <= start)
        abort();
    c->last_start = start;
    return SQLITE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sqlite3 *db;
    static fts5_tokenizer tk;
    static Fts5Tokenizer *inst[4];
    static const char *args[4][4] = {
        {NULL}, {"stem", "0"}, {"remove_diacritics", "0"}, {"language", "porter"}};
    static const int nargs[4] = {0, 2, 2, 2};
    if (!db) {
        fts5_api *api = NULL;
        void *ud = NULL;
        if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
            imr_tokenizer_register(db, NULL) != IMR_OK || imr__fts5_api(db, &api) != SQLITE_OK ||
            api->xFindTokenizer(api, "imr", &ud, &tk) != SQLITE_OK)
            abort();
        for (int i = 0; i < 4; i++)
            if (tk.xCreate(ud, args[i], nargs[i], &inst[i]) != SQLITE_OK)
                abort();
    }
    if (size == 0 || size > 1 << 20)
        return 0;
    static const int flags[4] = {FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_QUERY,
                                 FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, FTS5_TOKENIZE_AUX};
    struct check c = {(int)size - 1, 0};
    char *text = malloc(size - 1 + 1); /* a copy, so reads past the end are caught */
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    int rc = tk.xTokenize(inst[data[0] & 3], &c, flags[(data[0] >> 2) & 3], text, (int)size - 1,
                          check_token);
    free(text);
    if (rc != SQLITE_OK)
        abort();
    return 0;
}
