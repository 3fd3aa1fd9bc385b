/*
 * txt2pdf - renders letter text files into PDFs, as the state publishes them, for tests and
 * benchmarks: the fixtures are made at test time, never checked in.
 *
 *   txt2pdf [--image] [--lines N] IN.txt OUT.pdf
 *   txt2pdf [--image] [--lines N] -o OUTDIR IN.txt...   (OUTDIR/NAME.pdf for each IN)
 *
 * Each file is read as a letter extracted from a PDF (the empty line after every line that
 * extraction leaves is taken out again; bytes that are not UTF-8 are read as Windows-1252,
 * as the indexer reads them), laid
 * out in DejaVu Sans, N lines a page (default 50), each page with a centred footer
 * "Page P of M". A form feed starts a new page. The PDF has a text layer (cairo embeds the
 * font subset with its Unicode map), unless --image: then each page is a picture of its text,
 * with no text at all, like a scanned letter.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_io.h"

#define PAGE_W 612.0 /* US letter, in points */
#define PAGE_H 792.0
#define MARGIN 54.0
#define FONT   "DejaVu Sans"
#define IMAGE_DPI 100.0

/* One line of the letter, UTF-8, NUL-terminated; page_break: a form feed came before it. */
struct line {
    char *s;
    int page_break;
};

/* Appends code point cp as UTF-8 to out. */
static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Code points of Windows-1252 bytes 0x80..0x9F (0: unused, drawn as U+FFFD). */
static const unsigned cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Copies s[0, n) as UTF-8: valid sequences as they are, any other byte as Windows-1252. */
static char *to_utf8(const unsigned char *s, size_t n)
{
    char *out = malloc(n * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        int ok = k > 0 && i + k <= n;
        for (size_t j = 1; ok && j < k; j++)
            ok = (s[i + j] & 0xC0) == 0x80;
        if (ok) {
            memcpy(o, s + i, k);
            o += k;
            i += k;
        } else {
            unsigned cp = c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
            o += put_utf8(o, cp ? cp : 0xFFFD);
            i++;
        }
    }
    *o = '\0';
    return out;
}

/* Splits text into lines (trailing spaces and CRs cut), undoing extraction's empty lines. */
static struct line *split_lines(char *text, size_t *n_out)
{
    size_t cap = 64, n = 0;
    struct line *l = malloc(cap * sizeof *l);
    int brk = 0;
    for (char *p = text; l;) {
        size_t k = strcspn(p, "\n\f");
        char end = p[k], *next = p + k + 1;
        p[k] = '\0';
        while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\r' || p[k - 1] == '\t'))
            p[--k] = '\0';
        if (n == cap) {
            struct line *g = realloc(l, (cap *= 2) * sizeof *l);
            if (!g) {
                free(l);
                return NULL;
            }
            l = g;
        }
        if (end || *p)
            l[n++] = (struct line){p, brk};
        if (!end)
            break;
        brk = end == '\f';
        p = next;
    }
    if (!l)
        return NULL;
    /* Most lines followed by an empty line: drop one empty line after each. */
    size_t content = 0, followed = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (l[i].s[0]) {
            content++;
            followed += l[i + 1].s[0] == '\0';
        }
    if (content >= 2 && followed * 2 > content) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            l[k++] = l[i];
            if (i + 1 < n && l[i + 1].s[0] == '\0' && !l[i + 1].page_break)
                i++;
        }
        n = k;
    }
    /* A line of spaces only is a blank line. */
    for (size_t i = 0; i < n; i++)
        if (strspn(l[i].s, " ") == strlen(l[i].s))
            l[i].s[0] = '\0';
    *n_out = n;
    return l;
}

/* Draws page lines [from, to) of l, then the footer, on cr at the current font size. */
static void draw_page(cairo_t *cr, const struct line *l, size_t from, size_t to, double leading,
                      int page, int pages)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    double y = MARGIN + leading;
    for (size_t i = from; i < to; i++, y += leading) {
        const char *s = l[i].s;
        size_t lead = strspn(s, " ");
        if (!s[lead])
            continue;
        cairo_text_extents_t sp;
        cairo_text_extents(cr, " ", &sp);
        cairo_move_to(cr, MARGIN + (double)lead * sp.x_advance, y);
        cairo_show_text(cr, s + lead);
    }
    char footer[64];
    snprintf(footer, sizeof footer, "Page %d of %d", page, pages);
    cairo_text_extents_t e;
    cairo_text_extents(cr, footer, &e);
    cairo_move_to(cr, (PAGE_W - e.x_advance) / 2, PAGE_H - MARGIN / 2);
    cairo_show_text(cr, footer);
}

/* Sets the font and returns the size at which every line fits between the margins. */
static double fit_font(cairo_t *cr, const struct line *l, size_t n)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    double size = 9.0;
    cairo_set_font_size(cr, size);
    double widest = 0;
    for (size_t i = 0; i < n; i++) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, l[i].s, &e);
        if (e.x_advance > widest)
            widest = e.x_advance;
    }
    if (widest > PAGE_W - 2 * MARGIN)
        size *= (PAGE_W - 2 * MARGIN) / widest;
    cairo_set_font_size(cr, size);
    return size;
}

/* Renders one letter file; returns 0 on success, else prints why and returns 1. */
static int render(const char *in, const char *out, int image, size_t per_page)
{
    size_t len = 0, n = 0;
    char *raw = tool_read_file(in, &len);
    if (!raw) {
        fprintf(stderr, "txt2pdf: %s: cannot read\n", in);
        return 1;
    }
    char *text = to_utf8((const unsigned char *)raw, len);
    free(raw);
    struct line *l = text ? split_lines(text, &n) : NULL;
    if (!l) {
        fprintf(stderr, "txt2pdf: out of memory\n");
        free(text);
        return 1;
    }
    /* Page starts: every per_page lines, and at each form feed. */
    size_t *start = malloc((n + 2) * sizeof *start), pages = 0;
    for (size_t i = 0; start && i < n; i++)
        if (pages == 0 || l[i].page_break || i - start[pages - 1] == per_page)
            start[pages++] = i;
    if (!start) {
        fprintf(stderr, "txt2pdf: out of memory\n");
        free(l);
        free(text);
        return 1;
    }
    if (pages == 0)
        start[pages++] = 0;
    start[pages] = n;

    cairo_surface_t *pdf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(pdf);
    double size = fit_font(cr, l, n), leading = size * 4 / 3;
    for (size_t p = 0; p < pages; p++) {
        if (!image) {
            draw_page(cr, l, start[p], start[p + 1], leading, (int)p + 1, (int)pages);
        } else {
            /* The page as a picture: drawn on an image surface, painted on the page. */
            double scale = IMAGE_DPI / 72.0;
            cairo_surface_t *img = cairo_image_surface_create(
                CAIRO_FORMAT_RGB24, (int)(PAGE_W * scale), (int)(PAGE_H * scale));
            cairo_t *ic = cairo_create(img);
            cairo_set_source_rgb(ic, 1, 1, 1);
            cairo_paint(ic);
            cairo_scale(ic, scale, scale);
            cairo_select_font_face(ic, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
            cairo_set_font_size(ic, size);
            draw_page(ic, l, start[p], start[p + 1], leading, (int)p + 1, (int)pages);
            cairo_destroy(ic);
            cairo_save(cr);
            cairo_scale(cr, 1 / scale, 1 / scale);
            cairo_set_source_surface(cr, img, 0, 0);
            cairo_paint(cr);
            cairo_restore(cr);
            cairo_surface_destroy(img);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_status_t cs = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    free(start);
    free(l);
    free(text);
    if (cs != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "txt2pdf: %s: %s\n", out, cairo_status_to_string(cs));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int image = 0, i = 1;
    size_t per_page = 50;
    const char *dir = NULL;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--image") == 0) {
            image = 1;
        } else if (strcmp(argv[i], "--lines") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0) {
            per_page = (size_t)atoi(argv[++i]);
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            break;
        }
    }
    if (dir ? i >= argc : argc - i != 2) {
        fputs("usage: txt2pdf [--image] [--lines N] IN.txt OUT.pdf\n"
              "       txt2pdf [--image] [--lines N] -o OUTDIR IN.txt...\n",
              stderr);
        return 2;
    }
    if (!dir)
        return render(argv[i], argv[i + 1], image, per_page);
    int bad = 0;
    for (; i < argc; i++) {
        const char *base = strrchr(argv[i], '/');
        base = base ? base + 1 : argv[i];
        size_t stem = strcspn(base, ".");
        char out[4096];
        snprintf(out, sizeof out, "%s/%.*s.pdf", dir, (int)stem, base);
        bad |= render(argv[i], out, image, per_page);
    }
    return bad;
}
