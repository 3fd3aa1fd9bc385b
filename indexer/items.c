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

#include "ascii.h"
#include "parse.h"

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
        if (i >= n || imr__lower((unsigned char)s[i]) != *p)
            return 0;
        i++;
    }
    return i;
}

enum ltype { L_BLANK, L_TEXT, L_CA, L_MAX, L_RAT, L_END };

/*
 * Does text[0, n) end a sentence: '.', '!', '?' or a closing quote? (A line that does cannot
 * continue into a wrapped item line; a paragraph that does not goes on after a page break.)
 */
static int ends_sentence(const char *text, size_t n)
{
    if (n >= 3 && (unsigned char)text[n - 3] == 0xE2 && (unsigned char)text[n - 2] == 0x80 &&
        (unsigned char)text[n - 1] == 0x9D)
        return 1;
    return n > 0 && (text[n - 1] == '.' || text[n - 1] == '!' || text[n - 1] == '?' ||
                     text[n - 1] == '"');
}

/* Does line j of lines[lo..] start a sentence, given the kinds of the lines above? */
static int starts_sentence(const imr__doc_t *doc, size_t lo, const enum ltype *type, size_t j)
{
    const imr__line_t *p = j > 0 ? &doc->lines[lo + j - 1] : NULL;
    return !p || type[j - 1] != L_TEXT || ends_sentence(doc->text + p->off, p->len);
}
enum field { F_NONE = 0, F_CA, F_MAX, F_RAT };

/* Is a line the letter's trailer: typist's initials ("/cmc") or a copy line ("cc: ...")? */
static int trailer(const char *s, size_t n)
{
    if (label_len(s, n, "cc:"))
        return 1;
    if (s[0] != '/' || n < 3 || n > 6)
        return 0;
    size_t k = 1;
    while (k < n && imr__is_alpha(s[k]))
        k++;
    return k == n;
}

/*
 * The kind of a line and, for a label (item_labels.txt), where the paragraph's text starts:
 * after the label and its colon (*after), or at the line's start for a sentence that belongs
 * to the paragraph (*after 0); such a sentence label counts only where a sentence starts
 * (`sentence_start`: the line above is blank, a label, or ends a sentence) with a capital, so
 * that a wrapped line of a rationale ("... as" / "the Claims Administrator noted") is none.
 * toks is scratch memory. Returns L_TEXT when memory runs out.
 */
static enum ltype classify(const char *s, size_t n, int sentence_start, size_t *after,
                           imr__toks_t *toks)
{
    static const enum ltype of_para[] = {[IMR__PARA_CLAIMS] = L_CA,
                                         [IMR__PARA_REVIEWER] = L_MAX,
                                         [IMR__PARA_RATIONALE] = L_RAT};
    const imr__matcher_t *labels = imr__labels();
    imr__match_t m[8];
    *after = 0;
    if (n == 0)
        return L_BLANK;
    if (trailer(s, n))
        return L_END;
    if (!labels || !imr__is_alpha(s[0]))
        return L_TEXT;
    imr__toks_reset(toks);
    if (imr__toks_add(toks, s, n < 80 ? n : 80, 0) != IMR_OK || toks->n == 0)
        return L_TEXT;
    size_t k = imr__match_at(labels, toks, 0, toks->n, m, 8);
    /* The longest label that fits: a heading form needs its colon or the end of the line. */
    enum ltype best = L_TEXT;
    uint32_t best_end = 0;
    for (size_t j = 0; j < k && j < 8; j++) {
        const imr__tok_t *last = &toks->t[m[j].end - 1];
        size_t e = last->src + last->len;
        if (e > n || e <= best_end)
            continue;
        if (m[j].arg == IMR__FORM_LABEL) {
            size_t p = e;
            while (p < n && s[p] == ' ')
                p++;
            if (p < n && s[p] != ':')
                continue;
            *after = p < n ? p + 1 : n;
        } else if (sentence_start && imr__is_upper(s[0])) {
            *after = 0;
        } else {
            continue;
        }
        best = of_para[m[j].value];
        best_end = (uint32_t)e;
    }
    return best;
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
            if (imr__lower((unsigned char)s[n - w + i]) != words[k].word[i])
                break;
        if (i < w)
            continue;
        size_t p = n - w;
        if (p > 0 && imr__is_alpha(s[p - 1]))
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
    while (i < n && imr__is_digit(p[i]))
        i++;
    if (i == d || i - d > 3)
        return s;
    size_t j = i;
    if (j < n && p[j] == ')')
        j++;
    else if (paren)
        return s;
    else if (j < n && (p[j] == '.' || p[j] == ':') && !(j + 1 < n && imr__is_digit(p[j + 1])))
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

/* Is a line kind one of the paragraph labels? */
static int is_label(enum ltype k)
{
    return k == L_CA || k == L_MAX || k == L_RAT;
}

/*
 * An item sentence at line j of a decisions section (lines lo.. of doc, kinds type[0, nl)):
 * "1. Ice machine is not medically necessary and appropriate.", numbered or opening a
 * paragraph (`para_start`: also the section's first line), ending its sentence within three
 * lines (a blank line may stand after each), stating a decision after some item text, and
 * followed by a paragraph label.
 * Returns the number of lines it covers, with the decision in *d
 * and the end of the item text in *text_end, or 0.
 */
static size_t item_sentence(const imr__doc_t *doc, size_t lo, const enum ltype *type, size_t nl,
                            size_t j, int para_start, imr_decision_t *d, uint32_t *text_end)
{
    const char *t = doc->text;
    const imr__line_t *l = &doc->lines[lo + j];
    imr_span_t line = {l->off, l->len};
    imr_span_t text = imr__strip_numbering(t, line);
    if (text.off == line.off && !para_start && type[j - 1] != L_BLANK)
        return 0;
    /* The sentence's lines; a blank line may stand after each (the letters' double spacing). */
    size_t k = j, lines = 1;
    while (k < nl && type[k] == L_TEXT &&
           !ends_sentence(t + doc->lines[lo + k].off, doc->lines[lo + k].len)) {
        k++;
        if (k < nl && type[k] == L_BLANK)
            k++;
        if (++lines > 3)
            return 0;
    }
    if (k >= nl || type[k] != L_TEXT)
        return 0;
    size_t next = k + 1;
    while (next < nl && type[next] == L_BLANK)
        next++;
    if (next >= nl || !is_label(type[next]))
        return 0;
    imr_span_t sentence = {l->off, doc->lines[lo + k].off + doc->lines[lo + k].len - l->off};
    uint32_t clause;
    *d = imr__decision_from_wording(t, sentence, &clause);
    if (*d == IMR_DECISION_UNKNOWN || imr__span_trim(t, text.off, clause).len == 0)
        return 0;
    *text_end = clause;
    return k - j + 1;
}

/*
 * Does the line s[0, n) open the sentence that introduces the items ("The Final Determination
 * was based on decisions for the disputed items/services set forth below:")?
 */
static int intro(const char *s, size_t n)
{
    return n > 0 && s[0] == 'T' && label_len(s, n, "the final determination") != 0;
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
    if (lo < hi && intro(t + doc->lines[lo].off, doc->lines[lo].len)) {
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
    imr__toks_t toks = {0};
    size_t n_out = 0, cap = 0, n_found = 0;
    if (!type || !after || !found)
        goto nomem;

    /* Pass 1: item lines. The trailer ends the section. */
    for (size_t j = 0; j < nl; j++) {
        const imr__line_t *l = &doc->lines[lo + j];
        type[j] = classify(t + l->off, l->len, starts_sentence(doc, lo, type, j), &after[j],
                           &toks);
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
        if (d == IMR_DECISION_UNKNOWN) {
            uint32_t end;
            size_t lines = item_sentence(doc, lo, type, nl, j, j == floor, &d, &end);
            if (lines) {
                size_t last = j + lines - 1;
                found[n_found++] = (found_item_t){j, last, end, d};
                floor = last + 1;
                j = last;
            }
            continue;
        }
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
        if (f == field && after[j] == 0 && imr__span_trim(t, field_start, field_end).len == 0) {
            /* The paragraph's first sentence below its label: "MAXIMUS guideline:" / "The
             * Expert Reviewer based his/her decision on ...". */
            field_end = l->off + l->len;
            after_blank = 0;
            continue;
        }
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

    /* The rationale's conclusion: the decision of an item whose line states none, and the
     * second opinion on one whose line does. */
    for (size_t k = 0; k < n_out; k++) {
        out[k].wording = out[k].rationale.len
                             ? imr__decision_from_wording(t, out[k].rationale, NULL)
                             : IMR_DECISION_UNKNOWN;
        if (out[k].decision == IMR_DECISION_UNKNOWN)
            out[k].decision = out[k].wording;
    }

    /* Problems: a section that stops short (the caller reports items without decision). The
     * last item was cut off when its rationale does not end a sentence, or, when it has no
     * rationale, when the section's last line does not (a letter that simply lacks a rationale
     * ends its last label's sentence). With no item and no label, the section was cut off when
     * it is empty or stops inside a sentence. */
    size_t last_line = nl;
    while (last_line > 0 && type[last_line - 1] == L_BLANK)
        last_line--;
    int cut = last_line == 0 || !ends_sentence(t + doc->lines[lo + last_line - 1].off,
                                               doc->lines[lo + last_line - 1].len);
    if (n_out > 0) {
        const imr_item_t *last = &out[n_out - 1];
        const char *r = t + last->rationale.off;
        size_t rn = last->rationale.len;
        if (rn ? !ends_sentence(r, rn) && r[rn - 1] != ')' : cut) {
            *truncated = 1;
            snprintf(problem, size, "truncated in the decisions section");
        }
    } else {
        *truncated = cut;
        snprintf(problem, size, "%s",
                 *truncated ? "truncated in the decisions section"
                            : "no items found in the decisions section");
    }
    free(type);
    free(after);
    free(found);
    imr__toks_free(&toks);
    *items = out;
    *n_items = n_out;
    return IMR_OK;

nomem:
    free(type);
    free(after);
    free(found);
    imr__toks_free(&toks);
    free(out);
    return imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading items");
}

/* Is token k of toks a single word of decision_cues.txt of kind `kind`? */
static int cue_word(const imr__matcher_t *cues, const imr__toks_t *toks, size_t k, int kind)
{
    imr__match_t m[4];
    size_t n = imr__match_at(cues, toks, k, k + 1, m, 4);
    for (size_t j = 0; j < n && j < 4; j++)
        if (m[j].value == kind)
            return 1;
    return 0;
}

/* Does a sentence end between tokens k and k + 1 (a '.', ';', ':', '?' or '!' between them)? */
static int boundary(const char *text, const imr__toks_t *toks, size_t k)
{
    for (uint32_t p = toks->t[k].src + toks->t[k].len; p < toks->t[k + 1].src; p++)
        if (text[p] == '.' || text[p] == ';' || text[p] == ':' || text[p] == '?' ||
            text[p] == '!')
            return 1;
    return 0;
}

imr_decision_t imr__decision_from_wording(const char *text, imr_span_t span, uint32_t *clause)
{
    const imr__matcher_t *cues = imr__cues(), *necessity = imr__necessity();
    imr__toks_t toks = {0};
    imr__match_t m[8];
    imr_decision_t d = IMR_DECISION_UNKNOWN;
    uint32_t at = span.off;
    if (!cues || !necessity ||
        imr__toks_add(&toks, text + span.off, span.len, span.off) != IMR_OK) {
        imr__toks_free(&toks);
        return IMR_DECISION_UNKNOWN;
    }
    /* The adverbs a conclusion puts inside its phrase are left out: "is therefore not
     * supported" reads as "is not supported". */
    size_t kept = 0;
    for (size_t i = 0; i < toks.n; i++)
        if (!cue_word(cues, &toks, i, IMR__CUE_FILLER))
            toks.t[kept++] = toks.t[i];
    toks.n = kept;
    for (size_t i = 0; i < toks.n; i++) {
        /* A phrase that states a decision, or a `necessity` phrase; the longest one at this
         * word. The words inside it start no other phrase ("non-certification is
         * recommended" holds "certification is recommended"). */
        size_t k = imr__match_at(cues, &toks, i, toks.n, m, 8), best = SIZE_MAX;
        for (size_t j = 0; j < k && j < 8; j++)
            if ((m[j].value == IMR__CUE_UPHELD || m[j].value == IMR__CUE_OVERTURNED ||
                 m[j].value == IMR__CUE_NECESSITY) &&
                (best == SIZE_MAX || m[j].end > m[best].end))
                best = j;
        if (best == SIZE_MAX && imr__match_near(necessity, &toks, i, toks.n, 2, m))
            best = 0; /* misspelt: "medcally necesary" */
        if (best == SIZE_MAX)
            continue;
        size_t end = m[best].end;
        if (m[best].value != IMR__CUE_NECESSITY) {
            d = m[best].value == IMR__CUE_UPHELD ? IMR_DECISION_UPHELD : IMR_DECISION_OVERTURNED;
            size_t c = i;
            if (c > 0 && !boundary(text, &toks, c - 1) && cue_word(cues, &toks, c - 1, IMR__CUE_VERB))
                c--; /* "is | not certified" */
            at = toks.t[c].src;
            i = end - 1;
            continue;
        }
        /* "medically necessary" after a negation or a verb of the same sentence. */
        int neg = 0, verb = 0, run = 1;
        size_t first = i; /* the clause: the run of negations and verbs just before */
        for (size_t w = i; w > 0 && w + 4 > i && !boundary(text, &toks, w - 1); w--) {
            size_t k2 = w - 1;
            int is_neg = cue_word(cues, &toks, k2, IMR__CUE_NEGATION);
            int is_verb = !is_neg && cue_word(cues, &toks, k2, IMR__CUE_VERB);
            neg |= is_neg;
            verb |= is_verb;
            run = run && (is_neg || is_verb);
            if (run)
                first = k2;
        }
        if (neg || verb) {
            d = neg ? IMR_DECISION_UPHELD : IMR_DECISION_OVERTURNED;
            at = toks.t[first].src;
        }
        i = end - 1;
    }
    imr__toks_free(&toks);
    if (clause)
        *clause = at;
    return d;
}

/* ---- layout 3 ------------------------------------------------------------------------ */

/* A growing array of spans. */
typedef struct spans {
    imr_span_t *s;
    size_t n, cap;
} spans_t;

static int spans_push(spans_t *a, imr_span_t s)
{
    if (a->n == a->cap) {
        size_t c = a->cap ? a->cap * 2 : 8;
        imr_span_t *p = realloc(a->s, c * sizeof *p);
        if (!p)
            return 0;
        a->s = p;
        a->cap = c;
    }
    a->s[a->n++] = s;
    return 1;
}

/* The first line of doc that ends at or after offset off. */
static size_t line_at(const imr__doc_t *doc, uint32_t off)
{
    size_t lo = 0, hi = doc->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (doc->lines[mid].off + doc->lines[mid].len < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Does the line text[s) open an item's paragraph of a layout-3 section: a colon within its
 * first 100 bytes, after "For" or "Regarding" ("For the cold therapy unit: ...") or after the
 * first words of one of the items (the lines of ISSUE AT DISPUTE, `items`; in any case:
 * "transcutaneous electrical nerve stimulation (tens) unit: ...")?
 */
static int item_opener(const char *text, imr_span_t s, const spans_t *items)
{
    uint32_t colon = 0;
    while (colon < s.len && colon < 100 && text[s.off + colon] != ':')
        colon++;
    if (colon < 3 || colon == s.len || colon == 100)
        return 0;
    if (imr__is_upper(text[s.off]) &&
        (label_len(text + s.off, colon, "for ") || label_len(text + s.off, colon, "regarding ")))
        return 1;
    for (size_t i = 0; i < items->n; i++) {
        imr_span_t it = imr__strip_numbering(text, items->s[i]);
        uint32_t k = 0;
        while (k < colon && k < it.len && imr__lower((unsigned char)text[it.off + k]) ==
                                               imr__lower((unsigned char)text[s.off + k]))
            k++;
        if (k == colon)
            return 1;
    }
    return 0;
}

/*
 * The paragraphs (runs of non-blank lines) of span s, or its lines when `lines`, into *out
 * (`items`: the item lines, for item_opener(), or NULL with `lines`).
 * A blank line inside a sentence is a page break, not a paragraph's end ("Guidelines (May
 * 2009)," / blank / "Physical Medicine, page 179."); a line that opens an item's paragraph
 * ("For the cold therapy unit: ...") after a sentence's end starts one, blank line or not.
 */
static int split_span(const imr__doc_t *doc, imr_span_t s, int lines, const spans_t *items,
                      spans_t *out)
{
    if (s.len == 0)
        return 1;
    uint32_t end = s.off + s.len, start = UINT32_MAX, last = 0;
    for (size_t i = line_at(doc, s.off); i < doc->n && doc->lines[i].off < end; i++) {
        const imr__line_t *l = &doc->lines[i];
        uint32_t a = l->off > s.off ? l->off : s.off, b = l->off + l->len;
        if (b > end)
            b = end;
        imr_span_t t = imr__span_trim(doc->text, a, b);
        if (!lines && t.len && start != UINT32_MAX && ends_sentence(doc->text, last) &&
            item_opener(doc->text, t, items)) {
            if (!spans_push(out, (imr_span_t){start, last - start}))
                return 0;
            start = UINT32_MAX;
        }
        if (t.len && start == UINT32_MAX)
            start = t.off;
        if (t.len)
            last = t.off + t.len;
        if ((lines || (!t.len && ends_sentence(doc->text, last))) && start != UINT32_MAX) {
            if (!spans_push(out, (imr_span_t){start, last - start}))
                return 0;
            start = UINT32_MAX;
        }
    }
    return start == UINT32_MAX || spans_push(out, (imr_span_t){start, last - start});
}

/* Does a span start with a lower-case (or an upper-case) ASCII letter? */
static int starts_lower(const char *t, imr_span_t s)
{
    return s.len && imr__is_lower(t[s.off]);
}
static int starts_upper(const char *t, imr_span_t s)
{
    return s.len && imr__is_upper(t[s.off]);
}

/*
 * Gives each of the n items its paragraphs of a section (p paragraphs): the i-th when there
 * are as many as items, all of them for a single item, and otherwise in order, a paragraph
 * going to the next item when it names that item (imr__mentions) and staying with the current
 * one when not. Sets the items' guideline (or, with `rationale`, rationale) spans.
 */
static imr_status_t assign_paragraphs(const char *t, imr_item_t *items, size_t n,
                                      const spans_t *par, int rationale)
{
    imr__scratch_t sc = {{0}, {0}};
    imr_status_t st = IMR_OK;
    size_t cur = 0;
    for (size_t j = 0; j < par->n && st == IMR_OK; j++) {
        size_t to;
        if (n == 1) {
            to = 0;
        } else if (par->n == n) {
            to = j;
        } else {
            to = cur;
            if (j > 0 && cur + 1 < n) {
                size_t here = 0, next = 0;
                st = imr__mentions(t, items[cur + 1].text, par->s[j], &sc, &next);
                if (st == IMR_OK && next)
                    st = imr__mentions(t, items[cur].text, par->s[j], &sc, &here);
                if (next && next >= here)
                    to = cur + 1;
            }
        }
        cur = to;
        imr_span_t *f = rationale ? &items[to].rationale : &items[to].guideline;
        uint32_t end = par->s[j].off + par->s[j].len;
        if (f->len == 0)
            *f = par->s[j];
        else
            f->len = end - f->off;
    }
    imr__toks_free(&sc.a);
    imr__toks_free(&sc.b);
    return st;
}

imr_status_t imr__items_layout3(const imr__doc_t *doc, imr_span_t issue, imr_span_t guideline,
                                imr_span_t rationale, imr_item_t **items, size_t *n,
                                imr_error_t *err)
{
    const char *t = doc->text;
    spans_t lines = {0}, gpar = {0}, rpar = {0};
    imr_item_t *out = NULL;
    size_t n_out = 0;
    imr_status_t st = IMR_OK;
    *items = NULL;
    *n = 0;
    if (!split_span(doc, issue, 1, NULL, &lines) ||
        !split_span(doc, guideline, 0, &lines, &gpar) ||
        !split_span(doc, rationale, 0, &lines, &rpar) ||
        !(out = calloc(lines.n ? lines.n : 1, sizeof *out))) {
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading items");
        goto done;
    }
    /* Items: when the lines are numbered, a numbered line starts one. Otherwise a line
     * continues the item above when it starts in lower case, or when the line above is long
     * (wrapped) and it is short, starts with no capital ("... between 6/24/2013 and" /
     * "8/23/2013", "... as needed" / "(DOS: 8/1/13)") or the sections have fewer paragraphs
     * than there are lines - unless a section opens as many paragraphs for an item ("For
     * the ...:", item_opener()) as there are lines. */
    int numbered = 0;
    for (size_t i = 0; i < lines.n; i++)
        numbered |= imr__strip_numbering(t, lines.s[i]).off != lines.s[i].off;
    int each = lines.n > 1 && (rpar.n >= lines.n || gpar.n >= lines.n);
    /* As many paragraphs opened for an item as lines in a section: every line is an item. */
    size_t g_open = 0, r_open = 0;
    for (size_t j = 0; j < gpar.n; j++)
        g_open += (size_t)item_opener(t, gpar.s[j], &lines);
    for (size_t j = 0; j < rpar.n; j++)
        r_open += (size_t)item_opener(t, rpar.s[j], &lines);
    int opened = lines.n > 1 && (g_open == lines.n || r_open == lines.n);
    for (size_t i = 0; i < lines.n; i++) {
        imr_span_t text = imr__strip_numbering(t, lines.s[i]);
        int wrapped = i > 0 && (starts_lower(t, text) ||
                                (!opened && lines.s[i - 1].len >= 70 &&
                                 (!each || !starts_upper(t, text) || text.len < 25)));
        int starts = n_out == 0 || (numbered ? text.off != lines.s[i].off : !wrapped);
        if (starts) {
            out[n_out++].text = text;
        } else {
            imr_span_t *cur = &out[n_out - 1].text;
            cur->len = text.off + text.len - cur->off;
        }
    }
    if (n_out && (st = assign_paragraphs(t, out, n_out, &gpar, 0)) == IMR_OK)
        st = assign_paragraphs(t, out, n_out, &rpar, 1);
    if (st != IMR_OK) {
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading items");
        goto done;
    }
    /* An item that no guideline paragraph names (one paragraph cites the sources of all the
     * items: "... relied on the MTUS ..., page 22, Aquatic therapy; the MTUS ACOEM Chapter 9
     * ...") has the whole section as its guideline. */
    for (size_t i = 0; i < n_out; i++)
        if (out[i].guideline.len == 0 && gpar.n)
            out[i].guideline = imr__span_trim(t, gpar.s[0].off,
                                              gpar.s[gpar.n - 1].off + gpar.s[gpar.n - 1].len);
    for (size_t i = 0; i < n_out; i++) {
        out[i].decision = out[i].rationale.len
                              ? imr__decision_from_wording(t, out[i].rationale, NULL)
                              : IMR_DECISION_UNKNOWN;
        out[i].wording = out[i].decision;
    }
    *items = out;
    *n = n_out;
    out = NULL;
done:
    free(out);
    free(lines.s);
    free(gpar.s);
    free(rpar.s);
    return st;
}

uint32_t imr__items_start(const imr__doc_t *doc, imr_span_t from)
{
    const char *t = doc->text;
    size_t lo = line_at(doc, from.off), nl = 0;
    while (lo + nl < doc->n && doc->lines[lo + nl].off < from.off + from.len)
        nl++;
    enum ltype *type = malloc((nl ? nl : 1) * sizeof *type);
    imr__toks_t toks = {0};
    uint32_t start = UINT32_MAX;
    if (!type)
        return UINT32_MAX;
    for (size_t j = 0; j < nl; j++) {
        const imr__line_t *l = &doc->lines[lo + j];
        size_t after;
        type[j] = classify(t + l->off, l->len, starts_sentence(doc, lo, type, j), &after, &toks);
    }
    /* The sentence that introduces the items: what stands above it is the summary, though a
     * sentence there may look like a label ("The claims administrator referenced ..."). */
    for (size_t j = 0; j < nl && start == UINT32_MAX; j++)
        if (type[j] == L_TEXT && starts_sentence(doc, lo, type, j) &&
            intro(t + doc->lines[lo + j].off, doc->lines[lo + j].len))
            start = doc->lines[lo + j].off;
    for (size_t j = 0; j < nl && start == UINT32_MAX; j++) {
        const imr__line_t *l = &doc->lines[lo + j];
        size_t te;
        imr_decision_t d;
        uint32_t end;
        size_t first = j;
        if (type[j] == L_TEXT && decision_end(t + l->off, l->len, &te) != IMR_DECISION_UNKNOWN) {
            while (first > 0 && j - first < 2 && type[first - 1] == L_TEXT &&
                   !ends_sentence(t + doc->lines[lo + first - 1].off,
                                  doc->lines[lo + first - 1].len))
                first--;
        } else if (is_label(type[j])) {
            /* The item's text is the paragraph above its first label. */
            while (first > 0 && type[first - 1] == L_BLANK)
                first--;
            while (first > 0 && type[first - 1] == L_TEXT)
                first--;
        } else if (type[j] != L_TEXT || !item_sentence(doc, lo, type, nl, j, j == 0, &d, &end)) {
            continue;
        }
        start = doc->lines[lo + first].off;
    }
    free(type);
    imr__toks_free(&toks);
    return start;
}
