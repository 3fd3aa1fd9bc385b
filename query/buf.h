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

#endif
