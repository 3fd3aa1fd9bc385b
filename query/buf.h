/*
 * buf.h - a growing NUL-terminated string, the one string buffer of query/ (buf.c).
 */
#ifndef IMR_BUF_H
#define IMR_BUF_H

#include <stddef.h>

/* A growing NUL-terminated string. Zero-initialise; free p when done. */
typedef struct imr__buf {
    char *p;    /* the bytes, NUL-terminated once anything was appended */
    size_t len; /* bytes without the NUL */
    size_t cap; /* bytes allocated */
    int oom;    /* set when an append ran out of memory; later appends do nothing */
} imr__buf_t;

/* Appends n bytes / a C string / printf output. Failures set b->oom. */
void imr__buf_add(imr__buf_t *b, const char *s, size_t n);
void imr__buf_adds(imr__buf_t *b, const char *s);
void imr__buf_printf(imr__buf_t *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * Appends the display form of n bytes of text: every run of white space (spaces, tabs, line
 * breaks, no-break spaces U+00A0) becomes one space, leading and trailing white space is
 * dropped. Marks (0x02/0x03) are kept.
 */
void imr__buf_add_display(imr__buf_t *b, const char *s, size_t n);

/* Strings kept until the pool is freed: a result set's or a letter view's. Zero-initialise. */
typedef struct imr__pool {
    char **s;
    size_t n, cap;
} imr__pool_t;

/* Keeps s (malloc'd) in p and returns it; NULL when s is NULL or out of memory (s freed). */
const char *imr__pool_keep(imr__pool_t *p, char *s);

/* A copy of column col of the statement's row ("" for NULL), kept in p; NULL when out of
   memory. The statement is a sqlite3_stmt *; buf.h does not include sqlite3.h. */
struct sqlite3_stmt;
const char *imr__pool_column(imr__pool_t *p, struct sqlite3_stmt *st, int col);

/* Frees the strings kept and the pool's array; p is zeroed. */
void imr__pool_free(imr__pool_t *p);

#endif
