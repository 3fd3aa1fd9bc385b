/*
 * error.c - statuses, their descriptions, exit codes and the error record.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "imr.h"
#include "error_private.h"

const char *imr_status_str(imr_status_t status)
{
    switch (status) {
    case IMR_OK: return "ok";
    case IMR_ERR_NOMEM: return "out of memory";
    case IMR_ERR_IO: return "input/output error";
    case IMR_ERR_INPUT: return "not a letter";
    case IMR_ERR_QUERY: return "invalid query";
    case IMR_ERR_ARG: return "invalid argument";
    case IMR_ERR_NO_DB: return "no database";
    case IMR_ERR_DB_CORRUPT: return "corrupt database";
    case IMR_ERR_DB_VERSION: return "database of another schema version";
    case IMR_ERR_DB_BUSY: return "database busy";
    case IMR_ERR_DB_READONLY: return "database is read-only";
    case IMR_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

imr_exit_t imr_exit_code(imr_status_t status)
{
    switch (status) {
    case IMR_OK: return IMR_EXIT_OK;
    case IMR_ERR_QUERY:
    case IMR_ERR_ARG: return IMR_EXIT_USAGE;
    case IMR_ERR_NO_DB:
    case IMR_ERR_DB_CORRUPT:
    case IMR_ERR_DB_VERSION:
    case IMR_ERR_DB_BUSY:
    case IMR_ERR_DB_READONLY: return IMR_EXIT_DB;
    case IMR_ERR_IO:
    case IMR_ERR_INPUT: return IMR_EXIT_IO;
    case IMR_ERR_NOMEM:
    case IMR_ERR_INTERNAL: return IMR_EXIT_INTERNAL;
    }
    return IMR_EXIT_INTERNAL;
}

imr_status_t imr_error_set(imr_error_t *err, imr_status_t status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
        /* Messages are one line: fold any newline an embedded string brought in. */
        for (char *p = err->msg; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
    }
    return status;
}

void imr__path_message(char *out, size_t n, const char *path, const char *what)
{
    size_t pl = strlen(path), wl = strlen(what);
    if (pl + 2 + wl < n) {
        snprintf(out, n, "%s: %s", path, what);
        return;
    }
    /* Room for the path: what is left after ": WHAT", "..." and the NUL; at least 16 bytes. */
    size_t room = n > wl + 2 + 3 + 1 + 16 ? n - wl - 2 - 3 - 1 : 16;
    size_t head = room / 3, tail = room - head;
    while (head > 0 && ((unsigned char)path[head] & 0xc0) == 0x80)
        head--; /* do not cut a UTF-8 character */
    const char *t = path + pl - tail;
    while (*t && ((unsigned char)*t & 0xc0) == 0x80)
        t++;
    snprintf(out, n, "%.*s...%s: %s", (int)head, path, t, what);
}

/* The length of the UTF-8 character at s (1-4), or 0 when s does not start a valid one. */
static size_t utf8_length(const unsigned char *s)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
                           : s[0] >= 0xf0 && s[0] < 0xf5                           ? 4
                                                                                   : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 4 && s[0] == 0xf0 && s[1] < 0x90) ||
        (n == 4 && s[0] == 0xf4 && s[1] >= 0x90) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0))
        return 0; /* overlong, past U+10FFFF, or a surrogate */
    return n;
}

char *imr_quote_controls(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(4 * n + 1), *o = out; /* every byte becomes at most "\ooo" */
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t k = utf8_length(p);
        int c1 = k == 2 && p[0] == 0xc2 && p[1] < 0xa0;
        if (k == 1 && *p >= 0x20 && *p != 0x7f) {
            *o++ = (char)*p++;
        } else if (k > 1 && !c1) {
            memcpy(o, p, k);
            o += k;
            p += k;
        } else {
            for (size_t i = 0; i < (c1 ? 2u : 1u); i++, p++) {
                if (*p == '\n' || *p == '\t' || *p == '\r') {
                    *o++ = '\\';
                    *o++ = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
                } else {
                    o += sprintf(o, "\\%03o", *p);
                }
            }
        }
    }
    *o = '\0';
    return out;
}
