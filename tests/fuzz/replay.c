/*
 * replay.c - runs a libFuzzer harness without libFuzzer: main() passes each FILE argument to
 * LLVMFuzzerTestOneInput() in turn, so the normal build replays saved inputs through the same
 * checks (fuzz_http_replay, tests/e2e/t63_fuzz_regress.sh). A broken check aborts; exit 0
 * means every input passed, 2 that a file could not be read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        char *data = NULL;
        size_t len = 0, cap = 0, got;
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        do {
            if (len == cap) {
                char *grown = realloc(data, cap = cap ? 2 * cap : 65536);
                if (!grown) {
                    fclose(f);
                    free(data);
                    return 2;
                }
                data = grown;
            }
            got = fread(data + len, 1, cap - len, f);
            len += got;
        } while (got > 0);
        int bad = ferror(f);
        fclose(f);
        if (bad) {
            perror(argv[i]);
            free(data);
            return 2;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
    }
    return 0;
}
