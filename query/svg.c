/*
 * svg.c - the report page's charts (html.h), drawn by the server as inline SVG.
 *
 * Layout is fixed in user units, scaled by the browser through the viewBox: a bar chart is a
 * label column, the bars and a number column; a line chart is an axis, a polyline and a
 * labelled dot per point. Colours are presentation attributes; overturned and upheld keep
 * their own colours in every chart, and every number is written as text, so that a chart
 * printed in grey still reads.
 */
#include <string.h>

#include "html.h"

#define BAR_H      22  /* height of one bar's row */
#define LABEL_W    190 /* the row label column */
#define BARS_W     420 /* the longest bar */
#define NUMBER_W   90  /* the total after each bar */
#define LEGEND_H   24

/* The fill of a column (NULL: plain bars): decisions keep theirs, other columns take the
   palette in turn. */
static const char *fill(const char *col, size_t i)
{
    static const char *const palette[] = {"#3b6ea8", "#e08a2c", "#5a9e54", "#8c63a8",
                                          "#c2524f", "#6b8e9e", "#b38f3c", "#7a7a7a"};
    if (!col)
        return palette[0];
    if (strcmp(col, "overturned") == 0)
        return "#b8322a";
    if (strcmp(col, "upheld") == 0)
        return "#2f5f98";
    if (strcmp(col, "unknown") == 0)
        return "#9a9a9a";
    return palette[i % (sizeof palette / sizeof palette[0])];
}

void imr__svg_bars(FILE *f, const char *title, size_t n_rows, const char *const *rows,
                   size_t n_cols, const char *const *cols, const uint64_t *count)
{
    uint64_t max = 1;
    for (size_t r = 0; r < n_rows; r++) {
        uint64_t sum = 0;
        for (size_t c = 0; c < n_cols; c++)
            sum += count[r * n_cols + c];
        if (sum > max)
            max = sum;
    }
    int legend = cols ? LEGEND_H : 0;
    int width = LABEL_W + BARS_W + NUMBER_W, height = legend + (int)n_rows * BAR_H + 8;
    fprintf(f, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            width, height, width, height);
    imr__html_attr(f, title);
    fputs("\" font-family=\"sans-serif\" font-size=\"12\">\n<title>", f);
    imr__html_text(f, title);
    fputs("</title>\n", f);
    for (size_t c = 0; legend && c < n_cols; c++) {
        int x = LABEL_W + (int)c * 100;
        fprintf(f, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"16\">",
                x, fill(cols[c], c), x + 16);
        imr__html_text(f, cols[c]);
        fputs("</text>\n", f);
    }
    for (size_t r = 0; r < n_rows; r++) {
        int y = legend + (int)r * BAR_H + 4;
        uint64_t sum = 0;
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 8, y + 15);
        imr__html_text(f, rows[r]);
        fputs("</text>\n", f);
        double x = LABEL_W;
        for (size_t c = 0; c < n_cols; c++) {
            uint64_t v = count[r * n_cols + c];
            double w = (double)BARS_W * (double)v / (double)max;
            sum += v;
            if (v == 0)
                continue;
            fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                       "<title>",
                    x, y + 2, w, BAR_H - 6, fill(cols ? cols[c] : NULL, c));
            imr__html_text(f, rows[r]);
            if (cols) {
                fputs(", ", f);
                imr__html_text(f, cols[c]);
            }
            fprintf(f, ": %llu</title></rect>\n", (unsigned long long)v);
            x += w;
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%d\">%llu</text>\n", x + 6, y + 15,
                (unsigned long long)sum);
    }
    fputs("</svg>\n", f);
}

#define LINE_W   720
#define LINE_H   240
#define MARGIN_L 50
#define MARGIN_B 30
#define MARGIN_T 20

void imr__svg_line(FILE *f, const char *title, size_t n, const char *const *labels,
                   const uint64_t *values)
{
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    int plot_w = LINE_W - MARGIN_L - 20, plot_h = LINE_H - MARGIN_B - MARGIN_T;
    int base = MARGIN_T + plot_h;
    fprintf(f, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            LINE_W, LINE_H, LINE_W, LINE_H);
    imr__html_attr(f, title);
    fputs("\" font-family=\"sans-serif\" font-size=\"12\">\n<title>", f);
    imr__html_text(f, title);
    fputs("</title>\n", f);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", MARGIN_L,
            base, MARGIN_L + plot_w, base);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", MARGIN_L,
            MARGIN_T, MARGIN_L, base);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>\n", MARGIN_L - 6,
            MARGIN_T + 4, (unsigned long long)max);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", MARGIN_L - 6, base);
    double step = n > 1 ? (double)plot_w / (double)(n - 1) : 0.0;
    if (n > 1) {
        fputs("<polyline fill=\"none\" stroke=\"#2f5f98\" stroke-width=\"2\" points=\"", f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", MARGIN_L + step * (double)i,
                    base - (double)plot_h * (double)values[i] / (double)max);
        fputs("\"/>\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        double x = n > 1 ? MARGIN_L + step * (double)i : MARGIN_L + plot_w / 2.0;
        double y = base - (double)plot_h * (double)values[i] / (double)max;
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#2f5f98\"><title>", x, y);
        imr__html_text(f, labels[i]);
        fprintf(f, ": %llu</title></circle>\n", (unsigned long long)values[i]);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%llu</text>\n", x, y - 7,
                (unsigned long long)values[i]);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, base + 18);
        imr__html_text(f, labels[i]);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}
