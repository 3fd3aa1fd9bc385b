/*
 * html.c - the escapers of html.h: untrusted text into HTML element content, attributes and
 * URL query components.
 */
#include <string.h>

#include "html.h"
#include "imr.h"

/* Writes the character reference for c, or c itself; drops control bytes. */
static void escape_byte(FILE *f, unsigned char c)
{
    switch (c) {
    case '&':
        fputs("&amp;", f);
        break;
    case '<':
        fputs("&lt;", f);
        break;
    case '>':
        fputs("&gt;", f);
        break;
    case '"':
        fputs("&quot;", f);
        break;
    case '\'':
        fputs("&#39;", f);
        break;
    default:
        if (c >= 0x20 || c == '\n' || c == '\t')
            if (c != 0x7f)
                fputc(c, f);
        break;
    }
}

/* The one text escaper: marks become <mark> (with ids while *n_marks < max_ids), balanced. */
static void text(FILE *f, const char *s, size_t *n_marks, size_t max_ids)
{
    int open = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == (unsigned char)IMR_MARK_OPEN) {
            if (open)
                continue;
            open = 1;
            if (n_marks && *n_marks < max_ids)
                fprintf(f, "<mark id=\"m%zu\">", *n_marks + 1);
            else
                fputs("<mark>", f);
            if (n_marks)
                (*n_marks)++;
        } else if (*p == (unsigned char)IMR_MARK_CLOSE) {
            if (open)
                fputs("</mark>", f);
            open = 0;
        } else {
            escape_byte(f, *p);
        }
    }
    if (open)
        fputs("</mark>", f);
}

void imr__html_text(FILE *f, const char *s)
{
    text(f, s, NULL, 0);
}

void imr__html_text_ids(FILE *f, const char *s, size_t *n_marks, size_t max_ids)
{
    text(f, s, n_marks, max_ids);
}

void imr__html_attr(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p != (unsigned char)IMR_MARK_OPEN && *p != (unsigned char)IMR_MARK_CLOSE)
            escape_byte(f, *p);
}

void imr__html_url(FILE *f, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            fputc(*p, f);
        else
            fprintf(f, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}
