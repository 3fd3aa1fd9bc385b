/*
 * vocab.c - the facet vocabulary of the brief: canonical values and their slugs (imr_vocab.h),
 * built from the one list of the slugs, vocab.def.
 */
#include <string.h>

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

