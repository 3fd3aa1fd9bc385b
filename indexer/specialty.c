/*
 * specialty.c - the reviewer's specialty as a set of slugs, from indexer/dict/specialties.txt.
 *
 * Design. The letter prints its reviewer's certification as free text ("Orthopaedic Surgery",
 * "Physical Medicine & Rehabilitation", "Anesthesiology, Pain Medicine", "Itnernal
 * Medicine"); imr__specialty() (layout.c) finds that text. Here it is read with a phrase
 * matcher (match.c) compiled once from the dictionary, left to right: each pattern found gives
 * its slug, and a set of slugs in the order the text names them (comma-joined, as
 * letter.specialties stores it) is the letter's specialty facet. Text that names none is
 * `other`, so no letter with a specialty is lost from the facet; no text at all is "" (the
 * facet's `unknown`). The slugs the dictionary knows, sorted, are the facet's values
 * (imr_facet_values("specialty"), read by the core in vocab.c), which the query checks
 * --specialty against without the parser.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "parse.h"

#define SPECIALTY_IGNORE (-1)

static struct {
    imr__matcher_t *m;    /* value: index in imr__specialty_values(), or SPECIALTY_IGNORE */
    const char *const *slugs; /* imr__specialty_values() */
    imr_status_t status;  /* of the one load */
    char msg[512];        /* its error message */
} sp;

static pthread_once_t sp_once = PTHREAD_ONCE_INIT;

/* One entry of specialties.txt into the matcher (vocab.c checked the entries). */
static imr_status_t add_specialty(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    int v = 0;
    if (strcmp(e->field[1], "ignore") == 0)
        v = SPECIALTY_IGNORE;
    else
        while (sp.slugs[v] && strcmp(sp.slugs[v], e->field[1]) != 0)
            v++;
    return imr__matcher_add(sp.m, e->field[0], v, 0, err);
}

/* Compiles specialties.txt; run once by pthread_once. Keeps the status and message. */
static void load(void)
{
    imr_error_t err = {0};
    imr_status_t st = imr__specialties_load(&err);
    if (st == IMR_OK) {
        sp.slugs = imr__specialty_values();
        st = imr__matcher_new(&sp.m, &err);
    }
    if (st == IMR_OK)
        st = imr__dict_each("specialties.txt", add_specialty, NULL, &err);
    sp.status = st;
    if (st != IMR_OK) {
        memcpy(sp.msg, err.msg, sizeof sp.msg);
        imr__matcher_free(sp.m);
        sp.m = NULL;
    }
}

/* Appends slug to the comma-joined set out[size] (o bytes used) unless it is there. */
static size_t add_slug(char *out, size_t size, size_t o, const char *slug)
{
    size_t k = strlen(slug);
    for (const char *p = out; *p;) {
        size_t w = strcspn(p, ",");
        if (w == k && memcmp(p, slug, k) == 0)
            return o;
        p += w + (p[w] == ',');
    }
    if (o + (o > 0) + k + 1 > size)
        return o; /* no room: the letter keeps the slugs named first */
    if (o > 0)
        out[o++] = ',';
    memcpy(out + o, slug, k + 1);
    return o + k;
}

imr_status_t imr__specialty_slugs(const char *specialty, char *out, size_t size,
                                  imr_error_t *err)
{
    imr__toks_t toks = {0};
    imr__match_t found[8];
    size_t o = 0;
    pthread_once(&sp_once, load);
    out[0] = '\0';
    if (sp.status != IMR_OK)
        return imr_error_set(err, sp.status, "%s", sp.msg);
    if (!specialty[0])
        return IMR_OK;
    if (imr__toks_add(&toks, specialty, strlen(specialty), 0) != IMR_OK) {
        imr__toks_free(&toks);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading a specialty");
    }
    for (size_t i = 0; i < toks.n;) {
        size_t n = imr__match_at(sp.m, &toks, i, toks.n, found, 8);
        const imr__match_t *best = NULL;
        for (size_t k = 0; k < n && k < 8; k++)
            if (!best || found[k].pattern < best->pattern)
                best = &found[k];
        if (!best && imr__match_near(sp.m, &toks, i, toks.n, 1, &found[0]))
            best = &found[0];
        if (!best) {
            i++;
            continue;
        }
        if (best->value != SPECIALTY_IGNORE)
            o = add_slug(out, size, o, sp.slugs[best->value]);
        i = best->end;
    }
    imr__toks_free(&toks);
    if (o == 0)
        add_slug(out, size, 0, "other");
    return IMR_OK;
}
