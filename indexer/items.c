/*
 * items.c - the disputed items of a letter and their decisions.
 *
 * Design. In layouts 1 and 2 the decisions section is a sequence of lines of four kinds:
 * item lines (`ITEM TEXT: Upheld`, possibly numbered, upper case or wrapped over up to three
 * lines), and the labelled paragraphs `Claims Administrator guideline:`, `MAXIMUS guideline:`
 * and `Decision rationale:`. A first pass finds the item lines (a line ending in
 * `: Upheld`/`: Overturned`, plus the lines just above it that continue the same text); a
 * second pass hands every other line to the current field. A labelled paragraph that
 * arrives when the current item already has that field starts an item whose line carries no
 * decision: its text is the paragraph just before the label. Layout 3 has one item whose
 * decision is in the wording of the rationale (imr__decision_from_wording).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* ASCII character classes (the C library's depend on the locale). */
static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/*
 * Does the line s[0, n) start with `label` (lower case; a space matches one or more spaces)?
 * Returns the length matched, or 0.
 */
static size_t label_len(const char *s, size_t n, const char *label)
{
    size_t i = 0;
    for (const char *p = label; *p; p++) {
        if (*p == ' ') {
            if (i >= n || s[i] != ' ')
                return 0;
            while (i < n && s[i] == ' ')
                i++;
            continue;
        }
        if (i >= n || lower((unsigned char)s[i]) != *p)
            return 0;
        i++;
    }
    return i;
}

enum ltype { L_BLANK, L_TEXT, L_CA, L_MAX, L_RAT, L_END };
enum field { F_NONE = 0, F_CA, F_MAX, F_RAT };

/* The kind of a line and, for a label, where its text starts. */
static enum ltype classify(const char *s, size_t n, size_t *after)
{
    static const struct {
        const char *label;
        enum ltype type;
    } labels[] = {{"claims administrator guideline:", L_CA},
                  {"claims administrator guidelines:", L_CA},
                  {"claims administrator's guideline:", L_CA},
                  {"maximus guideline:", L_MAX},
                  {"maximus guidelines:", L_MAX},
                  {"decision rationale:", L_RAT}};
    if (n == 0)
        return L_BLANK;
    /* The letter's trailer: typist's initials ("/cmc") or a copy line ("cc: ..."). */
    if (label_len(s, n, "cc:"))
        return L_END;
    if (s[0] == '/' && n >= 3 && n <= 6) {
        size_t k = 1;
        while (k < n && lower((unsigned char)s[k]) >= 'a' && lower((unsigned char)s[k]) <= 'z')
            k++;
        if (k == n)
            return L_END;
    }
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t m = label_len(s, n, labels[k].label);
        if (m) {
            *after = m;
            return labels[k].type;
        }
    }
    return L_TEXT;
}

/*
 * Does the line s[0, n) end with a decision? Returns the decision and stores in *text_end the
 * length of the item text before the colon (0 when the line is only the decision word).
 */
static imr_decision_t decision_end(const char *s, size_t n, size_t *text_end)
{
    static const struct {
        const char *word;
        imr_decision_t d;
    } words[] = {{"upheld", IMR_DECISION_UPHELD}, {"overturned", IMR_DECISION_OVERTURNED}};
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.'))
        n--;
    for (size_t k = 0; k < 2; k++) {
        size_t w = strlen(words[k].word);
        if (n < w)
            continue;
        size_t i;
        for (i = 0; i < w; i++)
            if (lower((unsigned char)s[n - w + i]) != words[k].word[i])
                break;
        if (i < w)
            continue;
        size_t p = n - w;
        if (p > 0 && ((s[p - 1] >= 'a' && s[p - 1] <= 'z') || (s[p - 1] >= 'A' && s[p - 1] <= 'Z')))
            continue;
        while (p > 0 && s[p - 1] == ' ')
            p--;
        if (p == 0) {
            *text_end = 0;
            return words[k].d;
        }
        if (s[p - 1] != ':')
            continue;
        p--;
        while (p > 0 && s[p - 1] == ' ')
            p--;
        *text_end = p;
        return words[k].d;
    }
    return IMR_DECISION_UNKNOWN;
}

imr_span_t imr__strip_numbering(const char *text, imr_span_t s)
{
    const char *p = text + s.off;
    size_t n = s.len, i = label_len(p, n, "item ");
    if (!i)
        i = label_len(p, n, "issue ");
    size_t word = i;
    int hash = 0, paren = 0;
    if (i < n && p[i] == '#')
        hash = 1, i++;
    else if (i < n && p[i] == '(')
        paren = 1, i++;
    size_t d = i;
    while (i < n && is_digit(p[i]))
        i++;
    if (i == d || i - d > 3)
        return s;
    size_t j = i;
    if (j < n && p[j] == ')')
        j++;
    else if (paren)
        return s;
    else if (j < n && (p[j] == '.' || p[j] == ':') && !(j + 1 < n && is_digit(p[j + 1])))
        j++;
    else if (j + 1 < n && p[j] == ' ' && (p[j + 1] == '-' || p[j + 1] == ')'))
        j += 2;
    else if (j + 3 < n && p[j] == ' ' && (unsigned char)p[j + 1] == 0xE2 &&
             (unsigned char)p[j + 2] == 0x80 && (unsigned char)p[j + 3] >= 0x93 &&
             (unsigned char)p[j + 3] <= 0x94)
        j += 4; /* "2 – " with an en or em dash */
    else if (!word && !hash)
        return s; /* a plain number is part of the text: "12 sessions of ..." */
    if (j < n && p[j] != ' ' && p[j] != '\n')
        return s;
    while (j < n && (p[j] == ' ' || p[j] == '\n'))
        j++;
    return (imr_span_t){s.off + (uint32_t)j, s.len - (uint32_t)j};
}

/* One item line found by the first pass. */
typedef struct found_item {
    size_t first, last;   /* lines of the item text */
    uint32_t text_end;    /* offset where the item text ends (its colon) */
    imr_decision_t decision;
} found_item_t;

/* Does a line end a sentence (so that it cannot continue into a wrapped item line)? */
static int ends_sentence(const char *s, size_t n)
{
    return n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?');
}

/* Makes room for one more item in *items (capacity *cap). IMR_ERR_NOMEM or IMR_OK. */
static imr_status_t grow_items(imr_item_t **items, size_t n, size_t *cap)
{
    if (n < *cap)
        return IMR_OK;
    size_t c = *cap ? *cap * 2 : 4;
    imr_item_t *p = realloc(*items, c * sizeof *p);
    if (!p)
        return IMR_ERR_NOMEM;
    *items = p;
    *cap = c;
    return IMR_OK;
}

imr_status_t imr__items_parse(const imr__doc_t *doc, imr_span_t dec, imr_item_t **items,
                              size_t *n_items, char *problem, size_t size, int *truncated,
                              imr_error_t *err)
{
    const char *t = doc->text;
    *items = NULL;
    *n_items = 0;
    *truncated = 0;
    problem[0] = '\0';
    if (dec.len == 0)
        return IMR_OK;

    /* The lines of the section. */
    size_t lo = 0, hi = doc->n;
    while (lo < doc->n && doc->lines[lo].off + doc->lines[lo].len < dec.off)
        lo++;
    while (hi > lo && doc->lines[hi - 1].off >= dec.off + dec.len)
        hi--;
    /* The sentence introducing the items is not an item. */
    if (lo < hi && label_len(t + doc->lines[lo].off, doc->lines[lo].len, "the final determination")) {
        size_t k = lo;
        while (k < hi && k < lo + 3 && doc->lines[k].len > 0 &&
               t[doc->lines[k].off + doc->lines[k].len - 1] != ':')
            k++;
        lo = k < hi && doc->lines[k].len > 0 ? k + 1 : lo + 1;
    }

    size_t nl = hi - lo;
    enum ltype *type = malloc((nl ? nl : 1) * sizeof *type);
    size_t *after = malloc((nl ? nl : 1) * sizeof *after);
    found_item_t *found = malloc((nl ? nl : 1) * sizeof *found);
    imr_item_t *out = NULL;
    size_t n_out = 0, cap = 0, n_found = 0;
    if (!type || !after || !found)
        goto nomem;

    /* Pass 1: item lines. The trailer ends the section. */
    for (size_t j = 0; j < nl; j++) {
        const imr__line_t *l = &doc->lines[lo + j];
        after[j] = 0;
        type[j] = classify(t + l->off, l->len, &after[j]);
        if (type[j] == L_END) {
            nl = j;
            break;
        }
    }
    size_t floor = 0;
    for (size_t j = 0; j < nl; j++) {
        const imr__line_t *l = &doc->lines[lo + j];
        size_t te;
        if (type[j] != L_TEXT)
            continue;
        imr_decision_t d = decision_end(t + l->off, l->len, &te);
        if (d == IMR_DECISION_UNKNOWN)
            continue;
        size_t s = j;
        uint32_t text_end = l->off + (uint32_t)te;
        if (te == 0) {
            /* The decision word alone: the item text is on the line above (a blank line may
             * stand between), ending in ':'. */
            size_t k = j > floor && type[j - 1] == L_BLANK ? j - 1 : j;
            const imr__line_t *p = k > floor ? &doc->lines[lo + k - 1] : NULL;
            if (!p || type[k - 1] != L_TEXT || p->len < 2 || t[p->off + p->len - 1] != ':')
                continue;
            s = k - 1;
            text_end = p->off + p->len - 1;
            while (text_end > p->off && t[text_end - 1] == ' ')
                text_end--;
        }
        while (s > floor && j - (s - 1) < 3 && type[s - 1] == L_TEXT &&
               !ends_sentence(t + doc->lines[lo + s - 1].off, doc->lines[lo + s - 1].len))
            s--;
        /* A page break (blank line) inside a one-line item: the line above the blank is the
         * item's first half when it is a paragraph of its own that does not end a sentence. */
        if (s == j && s >= floor + 2 && type[s - 1] == L_BLANK && type[s - 2] == L_TEXT &&
            (s - 2 == floor || type[s - 3] == L_BLANK) &&
            !ends_sentence(t + doc->lines[lo + s - 2].off, doc->lines[lo + s - 2].len))
            s -= 2;
        found[n_found++] = (found_item_t){s, j, text_end, d};
        floor = j + 1;
    }

    /* Pass 2: fields. */
    enum field field = F_NONE;
    size_t fi = 0;           /* next found item */
    size_t field_label = 0;  /* line of the current field's label */
    size_t para = 0;         /* first line of the current field's latest paragraph */
    uint32_t field_start = 0, field_end = 0, before_para = 0;
    int after_blank = 0;
    imr_item_t *cur = NULL;

#define CLOSE_FIELD()                                                                            \
    do {                                                                                         \
        if (cur && field != F_NONE) {                                                            \
            imr_span_t sp_ = imr__span_trim(t, field_start, field_end);                          \
            if (field == F_CA)                                                                   \
                cur->ca_guideline = sp_;                                                         \
            else if (field == F_MAX)                                                             \
                cur->guideline = sp_;                                                            \
            else                                                                                 \
                cur->rationale = sp_;                                                            \
        }                                                                                        \
        field = F_NONE;                                                                          \
    } while (0)

    for (size_t j = 0; j < nl; j++) {
        const imr__line_t *l = &doc->lines[lo + j];
        if (fi < n_found && found[fi].first == j) {
            CLOSE_FIELD();
            if (grow_items(&out, n_out, &cap) != IMR_OK)
                goto nomem;
            cur = &out[n_out++];
            memset(cur, 0, sizeof *cur);
            uint32_t start = doc->lines[lo + j].off;
            cur->text = imr__strip_numbering(t, imr__span_trim(t, start, found[fi].text_end));
            cur->decision = found[fi].decision;
            j = found[fi].last;
            fi++;
            after_blank = 0;
            continue;
        }
        if (type[j] == L_BLANK) {
            after_blank = 1;
            continue;
        }
        if (type[j] == L_TEXT) {
            if (field != F_NONE) {
                if (after_blank) {
                    para = j;
                    before_para = field_end;
                }
                field_end = l->off + l->len;
            } else if (!cur || after_blank) {
                /* Text outside any field: maybe the text of an item without decision. */
                para = j;
                before_para = 0;
                field_label = SIZE_MAX;
            }
            after_blank = 0;
            continue;
        }
        /* A label. */
        enum field f = type[j] == L_CA ? F_CA : type[j] == L_MAX ? F_MAX : F_RAT;
        int taken = cur && ((f == F_CA && (cur->ca_guideline.len || cur->guideline.len ||
                                           cur->rationale.len || field >= F_CA)) ||
                            (f == F_MAX && (cur->guideline.len || cur->rationale.len ||
                                            field >= F_MAX)) ||
                            (f == F_RAT && (cur->rationale.len || field == F_RAT)));
        if (!cur || taken) {
            /* A new item whose line carries no decision: its text is the paragraph above. */
            imr_span_t text = {0, 0};
            size_t last = j;
            while (last > 0 && type[last - 1] == L_BLANK)
                last--;
            if (last > 0 && type[last - 1] == L_TEXT && para < last &&
                (field_label == SIZE_MAX || para > field_label)) {
                text = imr__span_trim(t, doc->lines[lo + para].off,
                                      doc->lines[lo + last - 1].off +
                                          doc->lines[lo + last - 1].len);
                if (field != F_NONE)
                    field_end = before_para;
            }
            CLOSE_FIELD();
            if (grow_items(&out, n_out, &cap) != IMR_OK)
                goto nomem;
            cur = &out[n_out++];
            memset(cur, 0, sizeof *cur);
            cur->text = imr__strip_numbering(t, text);
        }
        CLOSE_FIELD();
        field = f;
        field_label = j;
        para = j;
        field_start = l->off + (uint32_t)after[j];
        field_end = l->off + l->len;
        after_blank = 0;
    }
    CLOSE_FIELD();
#undef CLOSE_FIELD

    /* Problems: an item without decision, a section that stops short. */
    for (size_t k = 0; k < n_out && !problem[0]; k++)
        if (out[k].decision == IMR_DECISION_UNKNOWN)
            snprintf(problem, size, "no decision for item %zu", k + 1);
    if (n_out > 0) {
        const imr_item_t *last = &out[n_out - 1];
        const char *r = t + last->rationale.off;
        size_t rn = last->rationale.len;
        char c = rn ? r[rn - 1] : 0;
        int ends = c == '.' || c == '!' || c == '?' || c == ')' || c == '"' ||
                   (rn >= 3 && (unsigned char)r[rn - 3] == 0xE2 &&
                    (unsigned char)r[rn - 2] == 0x80 && (unsigned char)r[rn - 1] == 0x9D);
        if (!ends) {
            *truncated = 1;
            snprintf(problem, size, "truncated in the decisions section");
        }
    } else {
        /* No item and no label: when the section is empty or stops inside a sentence, the
         * text was cut off there. */
        size_t k = nl;
        while (k > 0 && type[k - 1] == L_BLANK)
            k--;
        *truncated = k == 0 || !ends_sentence(t + doc->lines[lo + k - 1].off,
                                              doc->lines[lo + k - 1].len);
        snprintf(problem, size, "%s",
                 *truncated ? "truncated in the decisions section"
                            : "no items found in the decisions section");
    }
    free(type);
    free(after);
    free(found);
    *items = out;
    *n_items = n_out;
    return IMR_OK;

nomem:
    free(type);
    free(after);
    free(found);
    free(out);
    return imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading items");
}

/*
 * Is a within one edit of b (one letter inserted, deleted, replaced, or two neighbours
 * swapped)? Typed letters misspell the decisive words ("medcally", "meidcally").
 */
static int near_word(const char *a, const char *b)
{
    size_t an = strlen(a), bn = strlen(b), i = 0;
    if (an > bn + 1 || bn > an + 1)
        return 0;
    while (i < an && i < bn && a[i] == b[i])
        i++;
    if (i == an && i == bn)
        return 1;
    if (an == bn)
        return strcmp(a + i + 1, b + i + 1) == 0 ||
               (i + 1 < an && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                strcmp(a + i + 2, b + i + 2) == 0);
    return an < bn ? strcmp(a + i, b + i + 1) == 0 : strcmp(a + i + 1, b + i) == 0;
}

imr_decision_t imr__decision_from_wording(const char *text, imr_span_t rationale)
{
    static const char *const negations[] = {"not", "cannot", "never", "no", NULL};
    static const char *const verbs[] = {"is", "was", "are", "were", "remains", "deemed",
                                        "considered", "appears", "appear", NULL};
    imr__toks_t toks = {0};
    imr_decision_t d = IMR_DECISION_UNKNOWN;
    if (imr__toks_add(&toks, text + rationale.off, rationale.len, rationale.off) != IMR_OK) {
        imr__toks_free(&toks);
        return IMR_DECISION_UNKNOWN;
    }
    for (size_t i = 1; i + 1 < toks.n; i++) {
        if (!near_word(imr__tok_str(&toks, i), "medically") ||
            !near_word(imr__tok_str(&toks, i + 1), "necessary"))
            continue;
        int neg = 0, verb = 0;
        for (size_t k = i >= 3 ? i - 3 : 0; k < i; k++) {
            const char *w = imr__tok_str(&toks, k);
            for (const char *const *p = negations; *p; p++)
                neg |= strcmp(w, *p) == 0;
            for (const char *const *p = verbs; *p; p++)
                verb |= strcmp(w, *p) == 0;
        }
        if (neg)
            d = IMR_DECISION_UPHELD;
        else if (verb)
            d = IMR_DECISION_OVERTURNED;
    }
    imr__toks_free(&toks);
    return d;
}
