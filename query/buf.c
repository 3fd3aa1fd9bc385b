/*
 * buf.c - the growing string buffer of query/ (buf.h): the query translator's FTS5 output,
 * the search's SQL and the display form of text; and the string pool of result sets and
 * letter views.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"

void imr__buf_add(imr__buf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void imr__buf_adds(imr__buf_t *b, const char *s)
{
    imr__buf_add(b, s, strlen(s));
}

void imr__buf_printf(imr__buf_t *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        imr__buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    imr__buf_add(b, big, (size_t)n);
    free(big);
}

void imr__buf_add_display(imr__buf_t *b, const char *s, size_t n)
{
    int pending_space = 0, any = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t w = 0;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            w = 1;
        else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0)
            w = 2;
        if (w) {
            pending_space = any;
            i += w;
            continue;
        }
        size_t j = i + 1;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' || d == '\v' ||
                (d == 0xc2 && j + 1 < n && (unsigned char)s[j + 1] == 0xa0))
                break;
            j++;
        }
        if (pending_space)
            imr__buf_add(b, " ", 1);
        imr__buf_add(b, s + i, j - i);
        pending_space = 0;
        any = 1;
        i = j;
    }
    if (!b->p)
        imr__buf_add(b, "", 0);
}

const char *imr__pool_keep(imr__pool_t *p, char *s)
{
    if (!s)
        return NULL;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        char **grown = realloc(p->s, cap * sizeof *grown);
        if (!grown) {
            free(s);
            return NULL;
        }
        p->s = grown;
        p->cap = cap;
    }
    p->s[p->n++] = s;
    return s;
}

const char *imr__pool_column(imr__pool_t *p, sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return imr__pool_keep(p, strdup(s ? s : ""));
}

void imr__pool_free(imr__pool_t *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->s[i]);
    free(p->s);
    memset(p, 0, sizeof *p);
}
