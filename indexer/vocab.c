/*
 * vocab.c - the facet vocabulary of the brief: canonical values and their slugs (imr_vocab.h),
 * built from the one list of the slugs, vocab.def.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "imr.h"
#include "vocab.def"
#include "vocab.h"

/* The canonical values, in the brief's order (vocab.def). */
#define SLUG(s) s,
const char *const imr__item_types[] = {IMR_SLUGS_ITEM_TYPE(SLUG) NULL};
const char *const imr__body_regions[] = {IMR_SLUGS_BODY_REGION(SLUG) NULL};
static const char *const decisions[] = {IMR_SLUGS_DECISION(SLUG) NULL};
static const char *const sources[] = {IMR_SLUGS_GUIDELINE_SOURCE(SLUG) NULL};
#undef SLUG

/* Slug functions: see imr_letter.h. */
const char *imr_decision_slug(imr_decision_t decision)
{
    switch (decision) {
    case IMR_DECISION_UPHELD: return decisions[0];
    case IMR_DECISION_OVERTURNED: return decisions[1];
    case IMR_DECISION_UNKNOWN: break;
    }
    return decisions[2];
}

const char *imr_source_slug(unsigned source_bit)
{
    for (int i = 0; i < IMR_N_SOURCES; i++)
        if (source_bit == 1u << i)
            return sources[i];
    return "unknown";
}

const char *imr_parse_status_slug(imr_parse_status_t status)
{
    switch (status) {
    case IMR_PARSE_COMPLETE: return "complete";
    case IMR_PARSE_PARTIAL: return "partial";
    case IMR_PARSE_UNPARSED: return "unparsed";
    }
    return "unparsed";
}

const char *const *imr_facet_values(const char *facet)
{
    if (!facet)
        return NULL;
    if (strcmp(facet, "decision") == 0)
        return decisions;
    if (strcmp(facet, "item_type") == 0)
        return imr__item_types;
    if (strcmp(facet, "body_region") == 0)
        return imr__body_regions;
    if (strcmp(facet, "guideline_source") == 0)
        return sources;
    if (strcmp(facet, "specialty") == 0)
        return imr__specialty_values();
    return NULL;
}

/*
 * The specialty slugs: the second fields of indexer/dict/specialties.txt (not `ignore`), read
 * once. The phrase matcher over the same file is the parser's (specialty.c); only the list of
 * values is here, for the query to check --specialty against without the parser.
 */
#define MAX_SPECIALTIES 96
static struct {
    char slug[MAX_SPECIALTIES][IMR__SPECIALTY_BYTES];
    size_t n;
    const char *sorted[MAX_SPECIALTIES + 3]; /* slugs sorted, "other", "unknown", NULL */
    imr_status_t status;
    char msg[512];
} specialties;
static pthread_once_t specialties_once = PTHREAD_ONCE_INIT;

/* A slug: lower-case letters and digits, words joined by single '-'. */
static int is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= IMR__SPECIALTY_BYTES || s[0] == '-' || s[n - 1] == '-' || strstr(s, "--"))
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* One entry of specialties.txt: its slug into the list. IMR_ERR_ARG for a bad entry. */
static imr_status_t add_specialty(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    if (e->n_fields != 2)
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: want `pattern | slug`", e->file, e->line);
    const char *slug = e->field[1];
    if (strcmp(slug, "ignore") == 0)
        return IMR_OK;
    if (!is_slug(slug) || strcmp(slug, "other") == 0 || strcmp(slug, "unknown") == 0)
        return imr_error_set(err, IMR_ERR_ARG,
                             "%s:%d: \"%s\" is not a specialty slug (lower-case words joined "
                             "by '-', under %d bytes, not other or unknown)",
                             e->file, e->line, slug, IMR__SPECIALTY_BYTES);
    for (size_t v = 0; v < specialties.n; v++)
        if (strcmp(specialties.slug[v], slug) == 0)
            return IMR_OK;
    if (specialties.n == MAX_SPECIALTIES)
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: more than %d specialty slugs", e->file,
                             e->line, MAX_SPECIALTIES);
    memcpy(specialties.slug[specialties.n++], slug, strlen(slug) + 1);
    return IMR_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void load_specialties(void)
{
    imr_error_t err = {0};
    specialties.status = imr__dict_each("specialties.txt", add_specialty, NULL, &err);
    if (specialties.status != IMR_OK) {
        memcpy(specialties.msg, err.msg, sizeof specialties.msg);
        return;
    }
    size_t n = specialties.n;
    for (size_t i = 0; i < n; i++)
        specialties.sorted[i] = specialties.slug[i];
    qsort(specialties.sorted, n, sizeof specialties.sorted[0], cmp_str);
    specialties.sorted[n] = "other";
    specialties.sorted[n + 1] = "unknown";
    specialties.sorted[n + 2] = NULL;
}

imr_status_t imr__specialties_load(imr_error_t *err)
{
    pthread_once(&specialties_once, load_specialties);
    if (specialties.status != IMR_OK)
        return imr_error_set(err, specialties.status, "dictionary: %s", specialties.msg);
    return IMR_OK;
}

const char *const *imr__specialty_values(void)
{
    pthread_once(&specialties_once, load_specialties);
    return specialties.status == IMR_OK ? specialties.sorted : NULL;
}

