/*
 * letter.c - imr_letter_parse(): bytes -> cleaned text -> sections -> items -> facets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr_schema.h"
#include "parse.h"

/* Frees a letter: see imr_letter.h. */
void imr_letter_free(imr_letter_t *letter)
{
    if (!letter)
        return;
    free(letter->text);
    free(letter->items);
    free(letter->pages);
    free(letter);
}

/* Does a span of text end like a finished sentence? */
static int ends_finished(const char *t, imr_span_t s)
{
    if (s.len == 0)
        return 0;
    char c = t[s.off + s.len - 1];
    return c == '.' || c == '!' || c == '?' || c == ')' || c == '"' ||
           (s.len >= 3 && strncmp(t + s.off + s.len - 3, "\xE2\x80\x9D", 3) == 0);
}

/* Reads the items of a letter whose sections are known. */
static imr_status_t read_items(imr_letter_t *l, const imr__doc_t *doc, const imr__sections_t *s,
                               char *problem, size_t size, imr_error_t *err)
{
    problem[0] = '\0';
    if (l->layout == IMR_LAYOUT_1 || l->layout == IMR_LAYOUT_2) {
        int truncated = 0;
        imr_status_t st = imr__items_parse(doc, s->decisions, &l->items, &l->n_items, problem,
                                           size, &truncated, err);
        if (st != IMR_OK)
            return st;
        if (truncated)
            l->warnings |= IMR_WARN_TRUNCATED;
        if (s->decisions.len == 0 && !s->problem[0])
            snprintf(problem, size, "truncated in the decisions section"); /* heading only */
        if (l->n_items > IMR_MAX_ITEMS) { /* the item id has room for this many */
            snprintf(problem, size, "%zu items; only the first %d are indexed as items",
                     l->n_items, IMR_MAX_ITEMS);
            l->n_items = IMR_MAX_ITEMS;
        }
    } else if (l->layout == IMR_LAYOUT_3 && !s->problem[0] && !s->issue.len) {
        snprintf(problem, size, "no ISSUE AT DISPUTE text");
    } else if (l->layout == IMR_LAYOUT_3 && s->issue.len) {
        imr_status_t st = imr__items_layout3(doc, s->issue, s->guideline, s->rationale,
                                             &l->items, &l->n_items, err);
        if (st != IMR_OK)
            return st;
        if (s->rationale.len && !s->h[IMR__H_QUALIFICATIONS].found &&
            !ends_finished(l->text, s->rationale)) {
            l->warnings |= IMR_WARN_TRUNCATED;
            snprintf(problem, size, "truncated in the rationale");
        }
    }
    for (size_t k = 0; k < l->n_items && !problem[0]; k++)
        if (l->items[k].decision == IMR_DECISION_UNKNOWN)
            snprintf(problem, size, "no decision for item %zu", k + 1);
    for (size_t k = 0; k < l->n_items; k++)
        if (l->items[k].wording != IMR_DECISION_UNKNOWN &&
            l->items[k].wording != l->items[k].decision)
            l->warnings |= IMR_WARN_DISAGREEMENT;
    if (s->missing_heading)
        l->warnings |= IMR_WARN_NO_HEADING;
    return IMR_OK;
}

/* Sets the facets of every item. */
static imr_status_t set_facets(imr_letter_t *l, int pseudo, imr_error_t *err)
{
    imr__scratch_t sc = {{0}, {0}};
    imr__summary_t summary = {0};
    imr__summary_init(&summary, l->text, l->summary);
    imr_status_t st = IMR_OK;
    for (size_t i = 0; st == IMR_OK && i < l->n_items; i++) {
        imr_item_t *it = &l->items[i];
        if (pseudo) {
            it->placeholder = 1;
            it->item_type = "other";
            it->body_region = "unspecified";
            it->sources = IMR_SOURCE_NONE;
            it->ca_sources = IMR_SOURCE_NONE;
            continue;
        }
        if ((st = imr__item_type(l->text, it->text, &sc, &it->item_type)) == IMR_OK &&
            (st = imr__body_region(l->text, it->text, it->rationale, &summary, &sc,
                                   &it->body_region)) == IMR_OK &&
            (st = imr__guideline_sources(l->text, it->guideline, &sc, &it->sources)) == IMR_OK &&
            (st = imr__citation(l->text, it->guideline, it->sources, &sc, &it->citation)) ==
                IMR_OK) {
            if (l->layout == IMR_LAYOUT_3)
                it->ca_sources = 0; /* layout 3 has no claims administrator paragraph */
            else
                st = imr__guideline_sources(l->text, it->ca_guideline, &sc, &it->ca_sources);
        }
    }
    imr__toks_free(&sc.a);
    imr__toks_free(&sc.b);
    imr__summary_free(&summary);
    if (st != IMR_OK)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory computing facets");
    return IMR_OK;
}

imr_status_t imr_letter_parse(const char *bytes, size_t len, imr_letter_t **out,
                              imr_error_t *err)
{
    imr__doc_t doc = {0};
    imr__sections_t s;
    char problem[160];
    imr_status_t st;
    imr_letter_t *l = NULL;

    *out = NULL;
    if ((st = imr__facets_init(err)) != IMR_OK)
        return st;
    if (!(l = calloc(1, sizeof *l)))
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading a letter");
    if ((st = imr__text_clean(bytes, len, &l->text, &l->text_len, &l->pages, &l->n_pages,
                              &l->warnings, err)) != IMR_OK)
        goto fail;
    if (l->text_len > UINT32_MAX / 2) {
        st = imr_error_set(err, IMR_ERR_INPUT, "letter too large");
        goto fail;
    }
    if ((st = imr__doc_init(&doc, l->text, l->text_len, err)) != IMR_OK)
        goto fail;

    imr__sections_split(&doc, &s);
    l->layout = s.layout;
    l->summary = s.summary;
    l->other = s.other;
    imr__header_fields(l->text, s.header, l);
    imr__letter_year(l->text, l->text_len, l);
    imr_span_t where = l->layout == IMR_LAYOUT_UNKNOWN
                           ? (imr_span_t){0, (uint32_t)l->text_len}
                           : l->other;
    imr__specialty(l->text, where, l->specialty, sizeof l->specialty);
    /* Without a summary heading, the credentials can stand in the span read as the summary. */
    if (!l->specialty[0] && where.len < l->text_len)
        imr__specialty(l->text, (imr_span_t){0, (uint32_t)l->text_len}, l->specialty,
                       sizeof l->specialty);
    if ((st = imr__specialty_slugs(l->specialty, l->specialties, sizeof l->specialties, err)) !=
        IMR_OK)
        goto fail;

    if ((st = read_items(l, &doc, &s, problem, sizeof problem, err)) != IMR_OK)
        goto fail;
    int pseudo = l->n_items == 0;
    if (pseudo) {
        free(l->items);
        if (!(l->items = calloc(1, sizeof *l->items))) {
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading a letter");
            goto fail;
        }
        l->n_items = 1;
    }
    if ((st = set_facets(l, pseudo, err)) != IMR_OK)
        goto fail;

    if (l->layout == IMR_LAYOUT_UNKNOWN) {
        l->parse = IMR_PARSE_UNPARSED;
        snprintf(l->problem, sizeof l->problem, "%s", s.problem);
    } else if (s.problem[0] || problem[0]) {
        l->parse = IMR_PARSE_PARTIAL;
        snprintf(l->problem, sizeof l->problem, "%s", s.problem[0] ? s.problem : problem);
        if (strncmp(l->problem, "truncated", 9) == 0)
            l->warnings |= IMR_WARN_TRUNCATED;
    } else {
        l->parse = IMR_PARSE_COMPLETE;
    }
    imr__doc_free(&doc);
    *out = l;
    return IMR_OK;

fail:
    imr__doc_free(&doc);
    imr_letter_free(l);
    return st;
}
