/*
 * tool_io.h - reading a whole file, for the test and benchmark tools: the library's reader.
 */
#ifndef IMR_TOOL_IO_H
#define IMR_TOOL_IO_H

#include <stddef.h>

#include "dict.h"

/*
 * Reads the file at `path` into a new NUL-terminated buffer, its size without the NUL in *len
 * (imr__read_file()). Returns NULL when the file cannot be read or memory runs out; the caller
 * frees the buffer.
 */
static inline char *tool_read_file(const char *path, size_t *len)
{
    char *buf = NULL;
    imr_error_t err;
    return imr__read_file(path, &buf, len, &err) == IMR_OK ? buf : NULL;
}

#endif
