/*
 * imr_vocab.h - the facet vocabulary: the canonical values of the brief and their slugs.
 *
 * Part of the core: the parser, the writer and the query all name facet values through these,
 * so that a slug is spelled in one place (indexer/vocab.c).
 */
#ifndef IMR_VOCAB_H
#define IMR_VOCAB_H

#include "imr_common.h"

typedef enum imr_parse_status {
    IMR_PARSE_COMPLETE = 0, /* layout known, every section and item found */
    IMR_PARSE_PARTIAL,      /* layout known but something missing: truncated, no decision, ... */
    IMR_PARSE_UNPARSED      /* unknown layout: the whole text is one pseudo-item's summary */
} imr_parse_status_t;

typedef enum imr_decision {
    IMR_DECISION_UNKNOWN = 0,
    IMR_DECISION_UPHELD,    /* the denial stands */
    IMR_DECISION_OVERTURNED /* the treatment is approved */
} imr_decision_t;

/* Guideline sources, a bit set per item and party. */
enum imr_source {
    IMR_SOURCE_MTUS = 1u << 0,
    IMR_SOURCE_ACOEM = 1u << 1,
    IMR_SOURCE_ODG = 1u << 2,
    IMR_SOURCE_AETNA = 1u << 3,
    IMR_SOURCE_OTHER = 1u << 4,
    IMR_SOURCE_NONE = 1u << 5,
    IMR_N_SOURCES = 6
};

/* Slugs, all static: "upheld"/"overturned"/"unknown"; source slug of one bit; layout name. */
IMR_API const char *imr_decision_slug(imr_decision_t decision);
IMR_API const char *imr_source_slug(unsigned source_bit);
IMR_API const char *imr_parse_status_slug(imr_parse_status_t status);

/*
 * The canonical values of a facet, in the brief's order, as a NULL-terminated static array.
 * `facet` is one of "decision", "item_type", "body_region", "guideline_source", or
 * "specialty" (the slugs of the dictionary specialties.txt, sorted, then "other" and
 * "unknown"; NULL when that dictionary cannot be read). Returns NULL for any other name.
 */
IMR_API const char *const *imr_facet_values(const char *facet);

#endif
