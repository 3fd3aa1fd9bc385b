/*
 * test_html.c - the web server's escapers (html.h): hostile text stays text in element
 * content, attributes and URLs; marks become balanced <mark>; and the SVG chart writers
 * (svg.c) escape their labels and draw bars and points in proportion.
 */
#include <stdlib.h>

#include "check.h"
#include "html.h"
#include "imr.h"
#include "imr_search.h"

typedef void (*escape_fn)(FILE *f, const char *s);

/* Runs fn over s into a string (caller frees). */
static char *esc(escape_fn fn, const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    return buf;
}

static void check_esc(escape_fn fn, const char *s, const char *want)
{
    char *got = esc(fn, s);
    CHECK_STR(got, want);
    free(got);
}

static void text_with_ids(FILE *f, const char *s)
{
    size_t n = 0;
    imr__html_text_ids(f, s, &n, 2);
    fprintf(f, "|%zu", n);
}

int main(void)
{
    /* Element content: markup and quotes become references; marks become <mark>. */
    check_esc(imr__html_text, "<script>alert(1)</script>",
              "&lt;script&gt;alert(1)&lt;/script&gt;");
    check_esc(imr__html_text, "\"><img src=x onerror='a()'>&amp;",
              "&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;amp;");
    check_esc(imr__html_text, "a " IMR_MARK_OPEN_STR "knee" IMR_MARK_CLOSE_STR " b",
              "a <mark>knee</mark> b");
    /* Marks stay balanced whatever the input: an unclosed one is closed, a stray close and a
       nested open are dropped. */
    check_esc(imr__html_text, IMR_MARK_OPEN_STR "a" IMR_MARK_OPEN_STR "b",
              "<mark>ab</mark>");
    check_esc(imr__html_text, "x" IMR_MARK_CLOSE_STR "y", "xy");
    /* Control bytes other than tab and line feed are dropped; UTF-8 passes. */
    check_esc(imr__html_text, "a\x01\x1b[31m\tb\nc\x7f caf\xc3\xa9", "a[31m\tb\nc caf\xc3\xa9");
    /* Numbered marks for the letter page, ids up to the maximum, every mark counted. */
    check_esc(text_with_ids,
              IMR_MARK_OPEN_STR "a" IMR_MARK_CLOSE_STR IMR_MARK_OPEN_STR "b" IMR_MARK_CLOSE_STR
                  IMR_MARK_OPEN_STR "c" IMR_MARK_CLOSE_STR,
              "<mark id=\"m1\">a</mark><mark id=\"m2\">b</mark><mark>c</mark>|3");

    /* Attributes: the same references, marks dropped. */
    check_esc(imr__html_attr, "\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
    check_esc(imr__html_attr, IMR_MARK_OPEN_STR "k" IMR_MARK_CLOSE_STR "'<", "k&#39;&lt;");

    /* URL components: everything but the unreserved characters is percent-encoded. */
    check_esc(imr__html_url, "javascript:alert(1)", "javascript%3Aalert%281%29");
    check_esc(imr__html_url, "a b&c=d\"<>#/caf\xc3\xa9~._-",
              "a%20b%26c%3Dd%22%3C%3E%23%2Fcaf%C3%A9~._-");

    /* Bar chart: labels escaped; a bar half as long for half the count; totals as text. */
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        const char *rows[] = {"<b>knee</b>", "shoulder"};
        const char *cols[] = {"upheld", "overturned"};
        const uint64_t count[] = {3, 1, 2, 0};
        imr__svg_bars(f, "Items \"by\" region", 2, rows, 2, cols, count);
        fclose(f);
        CHECK(strstr(buf, "<svg ") == buf);
        CHECK(strstr(buf, "&lt;b&gt;knee&lt;/b&gt;") != NULL);
        CHECK(strstr(buf, "<b>") == NULL);
        CHECK(strstr(buf, "aria-label=\"Items &quot;by&quot; region\"") != NULL);
        /* Bars 4 and 2 long: the first fills BARS_W (420) as 315 + 105, the second 210. */
        CHECK(strstr(buf, "width=\"315.0\"") != NULL);
        CHECK(strstr(buf, "width=\"105.0\"") != NULL);
        CHECK(strstr(buf, "width=\"210.0\"") != NULL);
        CHECK(strstr(buf, ">4</text>") != NULL);
        CHECK(strstr(buf, ">2</text>") != NULL);
        /* Decisions keep their colours; a zero segment draws nothing. */
        CHECK(strstr(buf, "fill=\"#b8322a\"><title>&lt;b&gt;knee&lt;/b&gt;, overturned: 1") != NULL);
        CHECK(strstr(buf, "shoulder, overturned") == NULL);
        CHECK(strstr(buf, "</svg>\n") != NULL);
        free(buf);
    }
    /* Plain bars (no columns): no legend, the palette's first colour, a bar's title without
       a column name. */
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        const char *rows[] = {"knee"};
        const uint64_t count[] = {3};
        imr__svg_bars(f, "Items by region", 1, rows, 1, NULL, count);
        fclose(f);
        CHECK(strstr(buf, "<title>knee: 3</title>") != NULL);
        CHECK(strstr(buf, "height=\"12\"") == NULL);
        CHECK(strstr(buf, "width=\"420.0\"") != NULL);
        free(buf);
    }
    /* One column is still a column: its legend says which. */
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        const char *rows[] = {"knee"}, *cols[] = {"upheld"};
        const uint64_t count[] = {3};
        imr__svg_bars(f, "Items by region and decision", 1, rows, 1, cols, count);
        fclose(f);
        CHECK(strstr(buf, "height=\"12\" fill=\"#2f5f98\"/><text x=\"206\" y=\"16\">upheld</text>") != NULL);
        CHECK(strstr(buf, "<title>knee, upheld: 3</title>") != NULL);
        free(buf);
    }
    /* Line chart: one point per label, the highest at the top of the plot, escaped labels. */
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        const char *labels[] = {"2013", "2014", "<2015>"};
        const uint64_t values[] = {2, 4, 0};
        imr__svg_line(f, "Items per year", 3, labels, values);
        fclose(f);
        CHECK(strstr(buf, "points=\"50.0,115.0 375.0,20.0 700.0,210.0\"") != NULL);
        CHECK(strstr(buf, "&lt;2015&gt;") != NULL);
        CHECK(strstr(buf, "<2015>") == NULL);
        CHECK(strstr(buf, "<title>2014: 4</title>") != NULL);
        free(buf);
    }
    return check_done();
}
