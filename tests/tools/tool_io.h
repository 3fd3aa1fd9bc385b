/*
 * tool_io.h - reading a whole file, for the test and benchmark tools.
 */
#ifndef IMR_TOOL_IO_H
#define IMR_TOOL_IO_H

#include <stdio.h>
#include <stdlib.h>

/*
 * Reads the file at `path` into a new buffer (not NUL-terminated), its size in *len. Returns
 * NULL when the file cannot be opened or memory runs out; the caller frees the buffer.
 */
static inline char *tool_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *g = realloc(buf, cap *= 2);
            if (!g) {
                free(buf);
                buf = NULL;
            } else {
                buf = g;
            }
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

#endif
