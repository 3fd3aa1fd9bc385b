/*
 * html.h - writing untrusted text into HTML and SVG, and the server's charts.
 *
 * Every byte of letter text, item text, snippet, query and filter value that the web server
 * (serve.c) sends goes through one of the escapers below, chosen by its context:
 *
 *   imr__html_text   element content; the library's marks (IMR_MARK_OPEN/CLOSE) become
 *                    <mark> and </mark>, always balanced;
 *   imr__html_attr   a double-quoted attribute value; marks are dropped;
 *   imr__html_url    one component of a URL's query string (percent-encoding), whose output
 *                    is safe in an attribute as it is.
 *
 * The escapers write & < > " ' as character references and drop C0 control bytes other than
 * tab and line feed, so that no input can open a tag, leave an attribute or start a script.
 * SVG is written inline in HTML and takes the same text escaping.
 *
 * Charts (svg.c) are drawn by the server as SVG with presentation attributes only (no style
 * attributes, no script), readable without colour: every bar and point carries its number.
 */
#ifndef IMR_HTML_H
#define IMR_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void imr__html_text(FILE *f, const char *s);

/*
 * As imr__html_text, and each <mark> gets id="mN" numbered from *n_marks + 1 up to max_ids
 * (a jump target); *n_marks counts the marks written.
 */
void imr__html_text_ids(FILE *f, const char *s, size_t *n_marks, size_t max_ids);

void imr__html_attr(FILE *f, const char *s);
void imr__html_url(FILE *f, const char *s);

/*
 * A horizontal bar chart: one bar per row, stacked by column, each segment
 * count[r * n_cols + c] long, with a legend of the columns; cols NULL (and n_cols 1): plain
 * bars, no legend. Each bar is labelled with its row and its total. title is the chart's
 * accessible name.
 */
void imr__svg_bars(FILE *f, const char *title, size_t n_rows, const char *const *rows,
                   size_t n_cols, const char *const *cols, const uint64_t *count);

/* A line chart of values over labelled points (years, in order), each point labelled. */
void imr__svg_line(FILE *f, const char *title, size_t n, const char *const *labels,
                   const uint64_t *values);

#endif
