/*
 * vocab.c - the facet vocabulary of the brief: canonical values and their slugs (imr_vocab.h).
 */
#include <string.h>

#include "imr.h"
#include "vocab.h"

/* The canonical values, in the brief's order. */
const char *const imr__item_types[] = {
    "cold-heat-device", "tens-estim", "traction", "dme-other", "opioid", "nsaid",
    "muscle-relaxant", "topical", "medication-other", "epidural-injection", "facet-mbb",
    "trigger-point-injection", "injection-other", "physical-therapy", "chiropractic",
    "acupuncture", "surgery", "mri", "imaging-other", "emg-ncv", "lab-drug-screen", "psych",
    "home-health", "functional-restoration", "consultation", "other", NULL};
const char *const imr__body_regions[] = {
    "cervical", "thoracic", "lumbar", "shoulder", "elbow", "wrist-hand", "hip", "knee",
    "ankle-foot", "head", "multiple", "unspecified", NULL};
static const char *const decisions[] = {"upheld", "overturned", "unknown", NULL};
static const char *const sources[] = {"mtus", "acoem", "odg", "aetna", "other", "none", NULL};

/* Slug functions: see imr_letter.h. */
const char *imr_decision_slug(imr_decision_t decision)
{
    switch (decision) {
    case IMR_DECISION_UPHELD: return "upheld";
    case IMR_DECISION_OVERTURNED: return "overturned";
    case IMR_DECISION_UNKNOWN: break;
    }
    return "unknown";
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
    return NULL;
}

