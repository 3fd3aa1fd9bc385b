/*
 * imr_letter.h - reading one IMR letter: bytes in, a letter with sections, items and facets out.
 *
 * Parsing is pure: no SQLite, no files, no global state beyond the dictionaries compiled into
 * the library (read once, thread-safe). The data flow is
 *     bytes -> cleaned text -> layout and sections -> items -> facets.
 * Every span below is a byte range into letter->text, the cleaned text, which keeps the words
 * as written (see docs/parsing.md for what cleaning changes).
 */
#ifndef IMR_LETTER_H
#define IMR_LETTER_H

#include <stddef.h>
#include <stdint.h>

#include "imr_common.h"

#include "imr_vocab.h"

/* A byte range [off, off + len) of letter->text. len == 0 means absent. */
typedef struct imr_span {
    uint32_t off;
    uint32_t len;
} imr_span_t;

typedef enum imr_layout {
    IMR_LAYOUT_UNKNOWN = 0, /* none of the known layouts: indexed whole, reported */
    IMR_LAYOUT_1 = 1,       /* HOW THE IMR FINAL DETERMINATION WAS MADE ... IMR ISSUES, ... */
    IMR_LAYOUT_2 = 2,       /* MAXIMUS FEDERAL SERVICES, INC. ... IMR DECISION(S) AND ... */
    IMR_LAYOUT_3 = 3        /* MEDICAL PROFESSIONAL REVIEW ... ISSUE AT DISPUTE: ... */
} imr_layout_t;

/* Warnings about a letter that was still read (bit set in imr_letter_t.warnings). */
enum imr_letter_warning {
    IMR_WARN_NOT_UTF8 = 1u << 0,      /* bytes that are not UTF-8: each read as Windows-1252 */
    IMR_WARN_TRUNCATED = 1u << 1,     /* the text stops in the middle of a section */
    IMR_WARN_NO_HEADING = 1u << 2,    /* a section heading is missing: the section was read
                                         from where its text stands */
    IMR_WARN_DISAGREEMENT = 1u << 3,  /* an item's explicit decision and its rationale's
                                         wording disagree (imr_item_t.wording) */
    IMR_WARN_UNREADABLE = 1u << 4     /* bytes that no encoding reads (Windows-1252's unused
                                         bytes, an unpaired UTF-16 surrogate): U+FFFD */
};

/* One disputed item and its facets. */
typedef struct imr_item {
    imr_span_t text;         /* the item as written, e.g. "Hot/cold therapy unit with wrap" */
    imr_span_t guideline;    /* the "MAXIMUS guideline:" paragraph (layout 3: its section) */
    imr_span_t ca_guideline; /* the "Claims Administrator guideline:" paragraph, if any */
    imr_span_t rationale;    /* the "Decision rationale:" text (layout 3: its section) */
    imr_span_t citation;     /* what the guideline paragraph cites, e.g. "ODG, Shoulder
                                Chapter, Continuous-flow cryotherapy"; empty when nothing */
    imr_decision_t decision; /* the explicit cue (item line or item sentence) when there is
                                one, else the rationale's wording */
    imr_decision_t wording;  /* what the rationale's wording states, or unknown: differs from a
                                known decision when the two cues disagree */
    const char *item_type;   /* slug of the brief, static storage: "cold-heat-device", ... */
    const char *body_region; /* slug of the brief, static storage: "lumbar", "multiple", ... */
    unsigned sources;        /* enum imr_source bits from the guideline paragraph */
    unsigned ca_sources;     /* enum imr_source bits from the claims administrator's paragraph */
    int placeholder;         /* 1: the pseudo-item of a letter no item was read from */
} imr_item_t;

/* One letter. Owned by the caller of imr_letter_parse(); free with imr_letter_free(). */
typedef struct imr_letter {
    char *text;                /* cleaned text, NUL-terminated, valid UTF-8 */
    size_t text_len;           /* bytes in text, without the NUL */
    imr_layout_t layout;
    imr_parse_status_t parse;
    char problem[160];         /* why parse is not complete, one line; "" when complete */
    unsigned warnings;         /* enum imr_letter_warning bits */
    char case_number[32];      /* e.g. "CM13-0012345"; "" when absent */
    char injury_date[11];      /* ISO dates "YYYY-MM-DD"; "" when absent */
    char ur_denial_date[11];
    char decision_date[11];
    char year[5];              /* the year the letter is placed in, "YYYY"; "" when nothing
                                  in it is dated (docs/parsing.md, "The letter's year") */
    const char *year_source;   /* where year comes from, static storage: "decision-date",
                                  "dated-line", "case-number", "latest-date" or "none" */
    char specialty[128];       /* reviewer's board certification(s); "" when absent */
    char specialties[128];     /* its slugs, comma-joined ("anesthesiology,pain-medicine") */
    imr_span_t summary;        /* clinical case summary (layout 3: with documents reviewed) */
    imr_span_t other;          /* boilerplate: header, reviewer qualifications, documents */
    imr_item_t *items;         /* n_items items in letter order, owned by the letter */
    size_t n_items;            /* at least 1: an unparsed letter has one pseudo-item */
    uint32_t *pages;           /* page k + 1 starts at byte pages[k] of text; owned */
    size_t n_pages;            /* pages (form feeds end them), 0 when the text has none */
} imr_letter_t;

/*
 * Cleans and parses `len` bytes of one letter. On success stores a new letter in *out.
 * Returns IMR_ERR_INPUT with a message such as "empty file", "binary file (NUL bytes)" or
 * "a PDF, not text ..." when the bytes are not letter text (a PDF's text comes from imrindex,
 * in a child process); a letter whose layout
 * is unknown or whose items cannot all be read is still returned (see letter->parse).
 * IMR_ERR_NOMEM when memory runs out.
 */
IMR_API imr_status_t imr_letter_parse(const char *bytes, size_t len, imr_letter_t **out,
                                      imr_error_t *err);

/* Frees a letter and everything it owns. Accepts NULL. */
IMR_API void imr_letter_free(imr_letter_t *letter);

#endif
