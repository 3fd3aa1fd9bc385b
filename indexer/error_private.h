/*
 * error_private.h - what the core's error.c shares with the rest of the library, and only
 * with it.
 */
#ifndef IMR_ERROR_PRIVATE_H
#define IMR_ERROR_PRIVATE_H

#include <stddef.h>

/*
 * Writes "PATH: WHAT" into out (n bytes, n > 64). When that does not fit, PATH loses bytes
 * from its middle, which become "...", at UTF-8 character boundaries, so the path's start,
 * its file name and the whole of WHAT (the reason) stay.
 */
void imr__path_message(char *out, size_t n, const char *path, const char *what);

#endif
