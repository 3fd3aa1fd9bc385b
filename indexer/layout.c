/*
 * layout.c - lines, layout detection, sections and header fields of a cleaned letter.
 *
 * Design. A heading is recognised by its key: the upper-cased words of a line, with
 * punctuation and "(S)" left out, so "IMR ISSUES, DECISIONS AND RATIONALES", "Imr Issues,
 * Decisions  and Rationales" and "IMR DECISION(S) AND RATIONALE(S)" compare as plain words.
 * A heading may end in a colon followed by text on the same line (layout 3), and may be
 * wrapped over two lines. Every line's key is computed once, so finding all headings is
 * linear in the text. The layout follows from the headings found (brief, "Three layouts"),
 * the sections from where they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "parse.h"

imr_status_t imr__doc_init(imr__doc_t *doc, const char *text, size_t len, imr_error_t *err)
{
    size_t n = 1;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))) != NULL; p++)
        n++;
    doc->text = text;
    doc->len = len;
    doc->n = 0;
    doc->lines = malloc(n * sizeof *doc->lines);
    if (!doc->lines)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory splitting lines");
    size_t i = 0;
    while (i <= len && doc->n < n) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t j = nl ? (size_t)(nl - text) : len;
        doc->lines[doc->n++] = (imr__line_t){(uint32_t)i, (uint32_t)(j - i)};
        i = j + 1;
    }
    return IMR_OK;
}

void imr__doc_free(imr__doc_t *doc)
{
    if (!doc)
        return;
    free(doc->lines);
    doc->lines = NULL;
    doc->n = 0;
}

/* The keys of each heading (alternatives), see the design note, with their lengths. */
typedef struct hkey {
    const char *k;
    size_t n;
} hkey_t;
#define K(s) {s, sizeof(s) - 1}
static const hkey_t heading_keys[IMR__N_HEADINGS][4] = {
    [IMR__H_HOW] = {K("HOW THE IMR FINAL DETERMINATION WAS MADE")},
    [IMR__H_SUMMARY] = {K("CLINICAL CASE SUMMARY")},
    [IMR__H_ISSUES] = {K("IMR ISSUES DECISIONS AND RATIONALES"),
                       K("IMR ISSUES DECISIONS AND RATIONALE")},
    [IMR__H_MAXIMUS] = {K("MAXIMUS FEDERAL SERVICES INC"), K("MAXIMUS FEDERAL SERVICES")},
    [IMR__H_DOCUMENTS] = {K("DOCUMENTS REVIEWED")},
    [IMR__H_DECISIONS] = {K("IMR DECISION AND RATIONALE"), K("IMR DECISIONS AND RATIONALES")},
    [IMR__H_PROFESSIONAL] = {K("MEDICAL PROFESSIONAL REVIEW")},
    [IMR__H_ISSUE] = {K("ISSUE AT DISPUTE"), K("ISSUES AT DISPUTE")},
    [IMR__H_CASE_SUMMARY] = {K("CASE SUMMARY")},
    [IMR__H_DOCUMENTS3] = {K("DOCUMENTS REVIEWED FOR DETERMINATION")},
    [IMR__H_GUIDELINES3] = {K("MEDICAL TREATMENT GUIDELINE RELIED UPON BY PROFESSIONAL REVIEWER "
                              "AND WHY")},
    [IMR__H_RATIONALE3] = {K("RATIONALE FOR WHY THE REQUESTED TREATMENT SERVICE IS WAS NOT "
                             "MEDICALLY NECESSARY"),
                           K("RATIONALE FOR WHY THE REQUESTED TREATMENT SERVICE IS NOT MEDICALLY "
                             "NECESSARY"),
                           K("RATIONALE FOR WHY THE REQUESTED TREATMENT SERVICE IS WAS MEDICALLY "
                             "NECESSARY")},
    [IMR__H_QUALIFICATIONS] = {K("MEDICAL REVIEWER QUALIFICATIONS")},
    [IMR__H_NOTICE] = {K("NOTICE OF INDEPENDENT MEDICAL REVIEW DETERMINATION")},
};
#undef K

/*
 * Could a line starting s[0, n) start a heading? Only when its first word is the first word of
 * some heading (HOW, CLINICAL, IMR, MAXIMUS, DOCUMENTS, MEDICAL, ISSUE(S), CASE, RATIONALE,
 * NOTICE), so
 * the keys of other lines are never computed.
 */
static int may_start_heading(const char *s, size_t n)
{
    static const char *const by_len[10][2] = {
        [3] = {"how", "imr"},          [4] = {"case"},     [5] = {"issue"},
        [6] = {"issues", "notice"},    [7] = {"maximus", "medical"},
        [8] = {"clinical"},            [9] = {"documents", "rationale"}};
    char w[10];
    size_t k = 0;
    while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) {
        if (k == sizeof w)
            return 0;
        w[k] = (char)(s[k] | 0x20);
        k++;
    }
    for (int v = 0; k < 10 && v < 2 && by_len[k][v]; v++)
        if (memcmp(by_len[k][v], w, k) == 0)
            return 1;
    return 0;
}

#define KEYMAX 96 /* longer than any heading key */

/*
 * The key of one line: of the whole line (k, kn) and of the part before its first colon, which
 * is the first pn bytes of k.
 */
typedef struct lkey {
    char k[KEYMAX];
    size_t kn;        /* 0 when the line is blank, too long or does not start like a heading */
    size_t pn;        /* 0 when there is no colon */
    uint32_t after;   /* offset just after the colon */
    uint32_t end;     /* offset of the line's end */
} lkey_t;

/* Does some heading key start with the n bytes of k followed by a space or its end? */
static int heading_prefix(const char *k, size_t n)
{
    for (int h = 0; h < IMR__N_HEADINGS; h++)
        for (int v = 0; v < 4 && heading_keys[h][v].k; v++)
            if (heading_keys[h][v].n >= n && memcmp(heading_keys[h][v].k, k, n) == 0 &&
                (heading_keys[h][v].n == n || heading_keys[h][v].k[n] == ' '))
                return 1;
    return 0;
}

/*
 * Computes the key of line i (see the design note). With `first`, only for a line whose first
 * word starts some heading.
 */
static void make_key(const imr__doc_t *doc, size_t i, int first, lkey_t *key)
{
    const imr__line_t *l = &doc->lines[i];
    const char *s = doc->text + l->off;
    size_t n = l->len, kn = 0;
    key->kn = key->pn = 0;
    key->end = l->off + l->len;
    key->after = key->end;
    if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return;
    if (first && !may_start_heading(s, n))
        return;
    int space = 0, colon = 0;
    for (size_t j = 0; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        if (c == '(' && j + 2 < n && (s[j + 1] == 'S' || s[j + 1] == 's') && s[j + 2] == ')') {
            j += 2;
            continue;
        }
        if (c == ':' && !colon) {
            colon = 1;
            key->pn = kn;
            key->after = l->off + (uint32_t)j + 1;
        }
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 32);
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (kn + 2 >= KEYMAX) {
                kn = 0; /* longer than any heading: only the part before a colon counts */
                break;
            }
            if (space && kn > 0) {
                /* A word ends: stop when no heading starts with the words so far. */
                if (first && !heading_prefix(key->k, kn)) {
                    kn = 0;
                    break;
                }
                key->k[kn++] = ' ';
            }
            space = 0;
            key->k[kn++] = (char)c;
        } else {
            space = 1;
        }
    }
    key->kn = kn;
    if (kn)
        key->k[kn] = '\0';
}

/* Could line key a be the first line of a heading wrapped over two lines? */
static int starts_wrapped(const lkey_t *a)
{
    for (int h = 0; a->kn && h < IMR__N_HEADINGS; h++)
        for (int v = 0; v < 4 && heading_keys[h][v].k; v++)
            if (heading_keys[h][v].n > a->kn + 1 && heading_keys[h][v].k[a->kn] == ' ' &&
                memcmp(heading_keys[h][v].k, a->k, a->kn) == 0)
                return 1;
    return 0;
}

/* Does heading h start at line i (key a, next line's key b or NULL)? Lines covered or 0. */
static int heading_match(const lkey_t *a, const lkey_t *b, imr__heading_t h, uint32_t *body)
{
    for (int v = 0; v < 4 && heading_keys[h][v].k; v++) {
        const char *hk = heading_keys[h][v].k;
        size_t hn = heading_keys[h][v].n;
        if (a->kn == hn && memcmp(a->k, hk, hn) == 0) {
            *body = a->end;
            return 1;
        }
        if (a->pn == hn && memcmp(a->k, hk, hn) == 0) {
            *body = a->after;
            return 1;
        }
        /* Wrapped: this line is the first words of the heading, the next line the rest. */
        if (!b || a->kn == 0 || a->kn + 1 >= hn || memcmp(a->k, hk, a->kn) != 0 ||
            hk[a->kn] != ' ')
            continue;
        const char *rest = hk + a->kn + 1;
        size_t rn = hn - a->kn - 1;
        if (b->kn == rn && memcmp(b->k, rest, rn) == 0) {
            *body = b->end;
            return 2;
        }
        if (b->pn == rn && memcmp(b->k, rest, rn) == 0) {
            *body = b->after;
            return 2;
        }
    }
    return 0;
}

/*
 * The line that may continue a heading wrapped at line i: the next one, or the one after when
 * a blank line stands between the halves. Returns doc->n when there is none.
 */
static size_t continuation(const imr__doc_t *doc, size_t i)
{
    size_t j = i + 1;
    if (j < doc->n && doc->lines[j].len == 0)
        j++;
    return j < doc->n ? j : doc->n;
}

int imr__heading_at(const imr__doc_t *doc, size_t i, imr__heading_t h, uint32_t *body)
{
    lkey_t a, b;
    if (i >= doc->n)
        return 0;
    make_key(doc, i, 1, &a);
    size_t j = continuation(doc, i);
    if (j < doc->n)
        make_key(doc, j, 0, &b);
    int lines = heading_match(&a, j < doc->n ? &b : NULL, h, body);
    return lines == 2 ? (int)(j - i) + 1 : lines;
}

/* Finds the first occurrence of every heading. */
static void find_headings(const imr__doc_t *doc, imr__sections_t *s)
{
    lkey_t a, b;
    for (size_t i = 0; i < doc->n; i++) {
        make_key(doc, i, 1, &a);
        if (a.kn == 0 && a.pn == 0)
            continue;
        /* The next line's key is needed only when this line may be the first half. */
        size_t j = starts_wrapped(&a) ? continuation(doc, i) : doc->n;
        int have_b = j < doc->n;
        if (have_b)
            make_key(doc, j, 0, &b);
        for (int h = 0; h < IMR__N_HEADINGS; h++) {
            uint32_t body;
            if (s->h[h].found)
                continue;
            int lines = heading_match(&a, have_b ? &b : NULL, (imr__heading_t)h, &body);
            if (lines) {
                s->h[h] = (imr__found_t){1, i, doc->lines[i].off, body};
                if (lines == 2)
                    i = j;
                break;
            }
        }
    }
}

/* The end of the body of layout-3 heading h: the start of the next heading found after it. */
static uint32_t body_end(const imr__doc_t *doc, const imr__sections_t *s, imr__heading_t h)
{
    static const imr__heading_t l3[] = {IMR__H_ISSUE, IMR__H_CASE_SUMMARY, IMR__H_DOCUMENTS3,
                                         IMR__H_GUIDELINES3, IMR__H_RATIONALE3,
                                         IMR__H_QUALIFICATIONS};
    uint32_t end = (uint32_t)doc->len;
    for (size_t k = 0; k < sizeof l3 / sizeof l3[0]; k++) {
        const imr__found_t *f = &s->h[l3[k]];
        if (f->found && l3[k] != h && f->start >= s->h[h].body && f->start < end)
            end = f->start;
    }
    return end;
}

/* The trimmed body of layout-3 heading h, or an empty span when it is absent. */
static imr_span_t section(const imr__doc_t *doc, const imr__sections_t *s, imr__heading_t h)
{
    if (!s->h[h].found)
        return (imr_span_t){0, 0};
    return imr__span_trim(doc->text, s->h[h].body, body_end(doc, s, h));
}

static int header_line(const char *s, size_t n);

/*
 * The disputed items of a layout-3 letter whose ISSUE AT DISPUTE heading is missing: the
 * paragraph just before the first heading (at offset `first`), when it is not the letter's
 * title (its first four lines) and none of its lines is a header field (header_line: "Date of
 * Injury: 11/01/2007", but not "DME: Iceman cold therapy unit"). A
 * paragraph that opens with the title line (`MEDICAL PROFESSIONAL REVIEW` / "1. Knee
 * sleeve" / ...) holds the items after it.
 */
static imr_span_t issue_without_heading(const imr__doc_t *doc, const imr__sections_t *s,
                                        uint32_t first)
{
    size_t i = 0;
    while (i < doc->n && doc->lines[i].off + doc->lines[i].len < first)
        i++;
    while (i > 0 && doc->lines[i - 1].len == 0)
        i--;
    size_t end = i;
    while (i > 0 && doc->lines[i - 1].len > 0) {
        const imr__line_t *l = &doc->lines[i - 1];
        if (header_line(doc->text + l->off, l->len))
            return (imr_span_t){0, 0};
        i--;
    }
    const imr__heading_t titles[] = {IMR__H_PROFESSIONAL, IMR__H_MAXIMUS};
    int titled = 0;
    for (size_t k = 0; k < 2; k++)
        if (i < end && s->h[titles[k]].found && s->h[titles[k]].start == doc->lines[i].off) {
            i++;
            titled = 1;
        }
    if (end == i || (i < 4 && !titled))
        return (imr_span_t){0, 0};
    return imr__span_trim(doc->text, doc->lines[i].off,
                          doc->lines[end - 1].off + doc->lines[end - 1].len);
}

/* Sections of a layout-3 letter, and the problem when one that matters is missing. */
static void split_layout3(const imr__doc_t *doc, imr__sections_t *s)
{
    const char *t = doc->text;
    uint32_t first = (uint32_t)doc->len;
    for (int h = IMR__H_ISSUE; h <= IMR__H_QUALIFICATIONS; h++)
        if (s->h[h].found && s->h[h].start < first)
            first = s->h[h].start;
    s->header = imr__span_trim(t, 0, first);
    s->issue = section(doc, s, IMR__H_ISSUE);
    s->guideline = section(doc, s, IMR__H_GUIDELINES3);
    s->rationale = section(doc, s, IMR__H_RATIONALE3);
    s->other = section(doc, s, IMR__H_QUALIFICATIONS);
    /* The case summary runs on through the documents reviewed when those follow it. */
    if (s->h[IMR__H_CASE_SUMMARY].found) {
        uint32_t end = body_end(doc, s, IMR__H_CASE_SUMMARY);
        if (s->h[IMR__H_DOCUMENTS3].found && s->h[IMR__H_DOCUMENTS3].start == end)
            end = body_end(doc, s, IMR__H_DOCUMENTS3);
        s->summary = imr__span_trim(t, s->h[IMR__H_CASE_SUMMARY].body, end);
    } else {
        s->summary = section(doc, s, IMR__H_DOCUMENTS3);
    }
    if (!s->h[IMR__H_ISSUE].found) {
        s->issue = issue_without_heading(doc, s, first);
        s->missing_heading = s->issue.len > 0;
    }
    if (!s->h[IMR__H_ISSUE].found && !s->issue.len)
        snprintf(s->problem, sizeof s->problem, "no ISSUE AT DISPUTE section");
    else if (!s->h[IMR__H_RATIONALE3].found)
        snprintf(s->problem, sizeof s->problem, "%s",
                 s->h[IMR__H_QUALIFICATIONS].found ? "no rationale section"
                                                   : "truncated before the rationale");
}

/* Sections of a layout-1 or layout-2 letter, and the problem when one is missing. */
static void split_layout12(const imr__doc_t *doc, imr__sections_t *s)
{
    const char *t = doc->text;
    uint32_t len = (uint32_t)doc->len;
    const imr__found_t *sum = &s->h[IMR__H_SUMMARY];
    const imr__found_t *dec = s->h[IMR__H_ISSUES].found ? &s->h[IMR__H_ISSUES]
                                                       : &s->h[IMR__H_DECISIONS];
    static const imr__found_t absent;
    if (dec->found && sum->found && dec->start < sum->start)
        dec = &absent; /* a decisions heading before the summary is not the section */
    uint32_t other_end = sum->found ? sum->start : dec->found ? dec->start : len;
    s->other = imr__span_trim(t, 0, other_end);
    /* Header fields come before the reviewer's section when there is one. */
    const imr__found_t *how = &s->h[IMR__H_HOW];
    s->header = how->found && how->start < other_end ? imr__span_trim(t, 0, how->start) : s->other;
    uint32_t dec_start = dec->found ? dec->start : len, dec_body = dec->found ? dec->body : len;
    if (!dec->found) {
        /* No decisions heading: the items start at the first item line or label after the
         * summary heading (or the reviewer's section). */
        uint32_t from = sum->found ? sum->body : how->found ? how->body : 0;
        uint32_t at = imr__items_start(doc, (imr_span_t){from, len - from});
        if (at != UINT32_MAX) {
            dec_start = dec_body = at;
            s->missing_heading = 1;
        }
    }
    if (sum->found) {
        s->summary = imr__span_trim(t, sum->body, dec_start);
    } else if (how->found && dec_start < len) {
        /* No summary heading: the summary is what stands between the reviewer's section
         * and the decisions. */
        s->summary = imr__span_trim(t, how->body, dec_start);
        s->other = imr__span_trim(t, 0, how->body);
        s->missing_heading = 1;
    }
    if (dec_start < len || dec->found)
        s->decisions = imr__span_trim(t, dec_body, len);
    if (!dec->found && dec_start == len)
        snprintf(s->problem, sizeof s->problem, "truncated before the decisions section");
    else if (!sum->found && !how->found)
        snprintf(s->problem, sizeof s->problem, "no case summary section");
}

void imr__sections_split(const imr__doc_t *doc, imr__sections_t *s)
{
    memset(s, 0, sizeof *s);
    find_headings(doc, s);
    const imr__found_t *h = s->h;
    if ((h[IMR__H_PROFESSIONAL].found && h[IMR__H_PROFESSIONAL].line <= 3) ||
        (h[IMR__H_ISSUE].found && (h[IMR__H_RATIONALE3].found || h[IMR__H_GUIDELINES3].found)))
        s->layout = IMR_LAYOUT_3;
    else if ((h[IMR__H_MAXIMUS].found && h[IMR__H_MAXIMUS].line <= 3) ||
             (h[IMR__H_NOTICE].found && h[IMR__H_NOTICE].line <= 3) ||
             h[IMR__H_DECISIONS].found || h[IMR__H_DOCUMENTS].found)
        s->layout = IMR_LAYOUT_2; /* its first lines, or a heading only it has */
    else if (h[IMR__H_ISSUES].found || h[IMR__H_HOW].found || h[IMR__H_SUMMARY].found)
        s->layout = IMR_LAYOUT_1;
    else
        s->layout = IMR_LAYOUT_UNKNOWN;

    if (s->layout == IMR_LAYOUT_3) {
        split_layout3(doc, s);
    } else if (s->layout != IMR_LAYOUT_UNKNOWN) {
        split_layout12(doc, s);
    } else {
        s->summary = imr__span_trim(doc->text, 0, (uint32_t)doc->len);
        s->header = imr__span_trim(doc->text, 0, doc->len < 3000 ? (uint32_t)doc->len : 3000);
        snprintf(s->problem, sizeof s->problem, "unknown layout");
    }
}

/* ---- header fields ------------------------------------------------------------------- */

/* Case-insensitive: does s (n bytes) start with the lower-case word w? Returns its length. */
static size_t starts_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (k > n)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (imr__lower((unsigned char)s[i]) != w[i])
            return 0;
    return k;
}

/* Reads at most maxd digits at s[*i] into *val; returns how many were read. */
static int read_num(const char *s, size_t n, size_t *i, int maxd, int *val)
{
    int d = 0, v = 0;
    while (*i < n && imr__is_digit(s[*i]) && d < maxd) {
        v = v * 10 + (s[*i] - '0');
        (*i)++, d++;
    }
    *val = v;
    return d;
}

/*
 * The month (1-12) whose name, or the first three letters or more of it, is the word at
 * s[*i] ("March", "Sept.", "dec"), *i moved past the word and a period; 0 for any other word
 * ("decreased", "Mark"), *i unchanged.
 */
static int month_at(const char *s, size_t n, size_t *i)
{
    static const char *const months[] = {"january", "february", "march",     "april",
                                         "may",     "june",     "july",      "august",
                                         "september", "october", "november", "december"};
    size_t k = 0;
    while (*i + k < n && imr__is_alpha(s[*i + k]))
        k++;
    for (int m = 0; k >= 3 && m < 12; m++) {
        size_t j = 0;
        while (j < k && months[m][j] && imr__lower((unsigned char)s[*i + j]) == months[m][j])
            j++;
        if (j == k) {
            *i += k + (*i + k < n && s[*i + k] == '.');
            return m + 1;
        }
    }
    return 0;
}

int imr__parse_date(const char *s, size_t n, char out[11])
{
    size_t i = 0;
    int y = 0, m = 0, d = 0, nd;
    while (i < n && (s[i] == ' ' || s[i] == '\n'))
        i++;
    if (i < n && imr__is_digit(s[i])) {
        int a, b, c;
        nd = read_num(s, n, &i, 4, &a);
        size_t j = i;
        while (nd <= 2 && j < n && (s[j] == ' ' || s[j] == '\n'))
            j++;
        if (j > i && (m = month_at(s, n, &j)) != 0) {
            /* "2 May 2016" */
            while (j < n && (s[j] == ' ' || s[j] == '\n'))
                j++;
            if (read_num(s, n, &j, 4, &y) != 4 || (j < n && imr__is_digit(s[j])))
                return 0;
            d = a;
        } else {
            if (i >= n || (s[i] != '/' && s[i] != '-' && s[i] != '.'))
                return 0;
            char sep = s[i++];
            if (!read_num(s, n, &i, 2, &b) || i >= n || s[i] != sep)
                return 0;
            i++;
            int nc = read_num(s, n, &i, 4, &c);
            if (nd == 4 && nc >= 1 && nc <= 2) {
                y = a, m = b, d = c;
            } else if (nd <= 2 && (nc == 2 || nc == 4)) {
                m = a, d = b, y = nc == 4 ? c : (c < 70 ? 2000 + c : 1900 + c);
            } else {
                return 0;
            }
            if (i < n && imr__is_digit(s[i]))
                return 0;
        }
    } else {
        if (!(m = month_at(s, n, &i)))
            return 0;
        while (i < n && (s[i] == ' ' || s[i] == '\n'))
            i++;
        if (!read_num(s, n, &i, 2, &d))
            return 0;
        if (i < n && s[i] == ',')
            i++;
        while (i < n && (s[i] == ' ' || s[i] == '\n'))
            i++;
        if (read_num(s, n, &i, 4, &y) != 4)
            return 0;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2099)
        return 0;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 1;
}

enum field { F_CASE, F_INJURY, F_UR, F_DECISION };

/* Labels of header fields, lower case, without their colon. */
#define L(s) s, sizeof(s) - 1
static const struct {
    const char *label;
    size_t len;
    enum field field;
} labels[] = {
    {L("imr case number"), F_CASE},      {L("case number"), F_CASE},
    {L("case no"), F_CASE},              {L("date of injury"), F_INJURY},
    {L("injury date"), F_INJURY},        {L("doi"), F_INJURY},        {L("ur denial date"), F_UR},
    {L("date of ur decision"), F_UR},    {L("date of ur denial"), F_UR},
    {L("ur decision date"), F_UR},       {L("ur date"), F_UR},
    {L("imr decision date"), F_DECISION}, {L("decision date"), F_DECISION},
    {L("date of decision"), F_DECISION}, {L("date of imr decision"), F_DECISION},
};
#undef L

/*
 * Is the line s[0, n) a header field: a label of the table above, or a label (the words before
 * the first colon) holding the word "date", "dated", "number" or "received" ("Dated:",
 * "Application Received:")? "DME: Iceman cold therapy unit" is none.
 */
static int header_line(const char *s, size_t n)
{
    static const char *const words[] = {"date", "dated", "number", "received"};
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return 0;
    size_t ln = (size_t)(colon - s);
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++)
        if (starts_with(s, ln, labels[k].label))
            return 1;
    for (size_t p = 0; p < ln; p++) {
        if (p > 0 && s[p - 1] != ' ')
            continue;
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
            size_t kl = starts_with(s + p, ln - p, words[k]);
            if (kl && (p + kl == ln || s[p + kl] == ' '))
                return 1;
        }
    }
    return 0;
}

void imr__header_fields(const char *text, imr_span_t where, imr_letter_t *letter)
{
    const char *s = text + where.off;
    size_t n = where.len;
    for (size_t p = 0; p < n; p++) {
        int c = imr__lower((unsigned char)s[p]);
        if ((c != 'c' && c != 'd' && c != 'i' && c != 'u') ||
            (p > 0 && (imr__is_alpha(s[p - 1]) || imr__is_digit(s[p - 1]))))
            continue;
        for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
            if (labels[k].label[0] != c || labels[k].len > n - p ||
                !starts_with(s + p, n - p, labels[k].label))
                continue;
            size_t ln = labels[k].len;
            size_t v = p + ln;
            if (v < n && s[v] == '.')
                v++;
            while (v < n && s[v] == ' ')
                v++;
            if (v >= n || s[v] != ':')
                continue;
            v++;
            while (v < n && s[v] == ' ')
                v++;
            switch (labels[k].field) {
            case F_CASE:
                if (!letter->case_number[0]) {
                    size_t e = v, o = 0;
                    while (e < n && (imr__is_alpha(s[e]) || imr__is_digit(s[e]) || s[e] == '-') &&
                           o + 1 < sizeof letter->case_number)
                        letter->case_number[o++] = s[e++];
                    letter->case_number[o] = '\0';
                }
                break;
            case F_INJURY:
                if (!letter->injury_date[0])
                    imr__parse_date(s + v, n - v, letter->injury_date);
                break;
            case F_UR:
                if (!letter->ur_denial_date[0])
                    imr__parse_date(s + v, n - v, letter->ur_denial_date);
                break;
            case F_DECISION:
                if (!letter->decision_date[0])
                    imr__parse_date(s + v, n - v, letter->decision_date);
                break;
            }
            p = v > p ? v - 1 : p;
            break;
        }
    }
}

/* ---- the letter's year --------------------------------------------------------------- */

#define FIRST_YEAR 2013 /* IMR began in 2013: no letter is older */
#define LAST_YEAR 2030  /* a later date is a typo or a planned date, not a letter's */

/* Labels of a line that dates the letter itself, lower case, without their colon. */
static const char *const dated_labels[] = {"dated", "date", "date of notice", "notice date",
                                           "date of letter", "letter date", "date signed"};

/*
 * The date of the line s[0, n) into out when the line is "Dated: 7/15/2014" (a label of
 * dated_labels, a colon, a date); returns 1 then, else 0.
 */
static int dated_line(const char *s, size_t n, char out[11])
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (i == n || imr__lower((unsigned char)s[i]) != 'd') /* every label starts with "date" */
        return 0;
    const char *colon = memchr(s + i, ':', n - i);
    if (!colon)
        return 0;
    size_t ln = (size_t)(colon - s) - i;
    while (ln > 0 && s[i + ln - 1] == ' ')
        ln--;
    for (size_t k = 0; k < sizeof dated_labels / sizeof dated_labels[0]; k++)
        if (strlen(dated_labels[k]) == ln && starts_with(s + i, ln, dated_labels[k]))
            return imr__parse_date(colon + 1, (size_t)(s + n - colon - 1), out);
    return 0;
}

/* The year of an ISO date "YYYY-MM-DD". */
static int year_of(const char d[11])
{
    return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

/*
 * The latest date written in s[0, n) whose year is LAST_YEAR or earlier, into out; returns 0
 * when there is none. A date starts a word: a number (not one after '/', '-' or '.') or a
 * word with a month's initial that a number follows (imr__parse_date() tells a month's name).
 * Each word is looked at once, from its first character.
 */
static int latest_date(const char *s, size_t n, char out[11])
{
    out[0] = '\0';
    for (size_t p = 0; p < n; p++) {
        int c = (unsigned char)s[p];
        if (!imr__is_digit(c) && !imr__is_alpha(c))
            continue;
        size_t e = p; /* the end of the word */
        while (e < n && (imr__is_digit(s[e]) || imr__is_alpha(s[e])))
            e++;
        int start = p == 0 || (s[p - 1] != '/' && s[p - 1] != '-' && s[p - 1] != '.');
        if (start && !imr__is_digit(c)) {
            size_t k = e < n && s[e] == '.' ? e + 1 : e;
            while (k < n && (s[k] == ' ' || s[k] == '\n'))
                k++;
            /* Month initials: a(pr, ug), d(ec), f(eb), j(an, un, ul), m(ar, ay), n, o, s. */
            start = k < n && imr__is_digit(s[k]) && e - p >= 3 &&
                    strchr("adfjmnos", imr__lower(c));
        }
        char d[11];
        if (start && imr__parse_date(s + p, n - p, d) && year_of(d) <= LAST_YEAR &&
            strcmp(d, out) > 0)
            memcpy(out, d, sizeof d);
        p = e - 1;
    }
    return out[0] != '\0';
}

/* The year of a case number "CM13-0012345" (2013), or 0 when it has no such prefix or the
 * year is not one of IMR's. */
static int case_number_year(const char *cn)
{
    if (imr__lower((unsigned char)cn[0]) != 'c' || imr__lower((unsigned char)cn[1]) != 'm' ||
        !imr__is_digit(cn[2]) || !imr__is_digit(cn[3]) || cn[4] != '-')
        return 0;
    int year = 2000 + (cn[2] - '0') * 10 + (cn[3] - '0');
    return year >= FIRST_YEAR && year <= LAST_YEAR ? year : 0;
}

void imr__letter_year(const char *text, size_t len, imr_letter_t *letter)
{
    char d[11] = "";
    int year = 0;
    letter->year_source = "none";
    if (letter->decision_date[0]) {
        year = year_of(letter->decision_date);
        letter->year_source = "decision-date";
    }
    for (size_t i = 0; !year && i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (dated_line(text + i, e - i, d)) {
            year = year_of(d);
            letter->year_source = "dated-line";
        }
        i = e + 1;
    }
    if (!year && (year = case_number_year(letter->case_number)))
        letter->year_source = "case-number";
    if (!year && latest_date(text, len, d)) {
        /* The latest date may be an event of the year before the letter's earliest one. */
        year = year_of(d) < FIRST_YEAR ? FIRST_YEAR : year_of(d);
        letter->year_source = "latest-date";
    }
    if (year)
        snprintf(letter->year, sizeof letter->year, "%04u", (unsigned)year % 10000u);
    else
        letter->year[0] = '\0';
}

/* Copies s[0, n) into out[size] with line breaks and runs of spaces as one space, trimmed,
 * without a final period. */
static void copy_phrase(const char *s, size_t n, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        char c = s[i] == '\n' ? ' ' : s[i];
        if (c == ' ' && (o == 0 || out[o - 1] == ' '))
            continue;
        out[o++] = c;
    }
    while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '.'))
        o--;
    out[o] = '\0';
}

/* Case-insensitive search of the lower-case phrase w in s[0, n), a line break matching a
 * space. Returns the offset or n. */
static size_t find_phrase(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    int c0 = w[0], C0 = c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0;
    for (size_t p = 0; p + k <= n; p++) {
        if (s[p] != c0 && s[p] != C0)
            continue;
        size_t i = 1;
        while (i < k) {
            int c = imr__lower((unsigned char)s[p + i]);
            if (c == '\n')
                c = ' ';
            if (c != w[i])
                break;
            i++;
        }
        if (i == k)
            return p;
    }
    return n;
}

void imr__specialty(const char *text, imr_span_t where, char *out, size_t size)
{
    const char *s = text + where.off;
    size_t n = where.len;
    size_t cert = find_phrase(s, n, "specialty:");
    size_t board = find_phrase(s, n, "board certified in ");
    out[0] = '\0';
    if (cert < n && cert <= board) {
        size_t v = cert + strlen("specialty:"), e = v;
        while (e < n && s[e] != '\n')
            e++;
        copy_phrase(s + v, e - v, out, size);
    } else if (board < n) {
        static const char *const stops[] = {" and is ", " and has ", " who ", " with ",
                                            " has ", " and he ", " and she ", NULL};
        size_t v = board + strlen("board certified in "), e = v;
        while (e < n && e - v < size && s[e] != ',' && s[e] != '.' && s[e] != ';' && s[e] != ':')
            e++;
        for (const char *const *st = stops; *st; st++) {
            size_t f = find_phrase(s + v, e - v, *st);
            if (f < e - v)
                e = v + f;
        }
        copy_phrase(s + v, e - v, out, size);
    }
}
