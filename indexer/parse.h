/*
 * parse.h - what the letter parser's files share (private to the library).
 *
 * The parser runs in stages, one file each:
 *     text.c    bytes -> cleaned text (encoding, line endings, extraction artefacts)
 *     layout.c  cleaned text -> lines, layout, sections, header fields
 *     items.c   the decisions section -> items with their spans and decisions
 *     match.c   normalised tokens and the phrase matcher the dictionaries are compiled into
 *     facets.c  item type, body region and guideline sources from the dictionaries
 *     letter.c  imr_letter_parse(): the stages in order, and the public slug functions
 * docs/parsing.md describes the behaviour; docs/facets.md the facet rules.
 */
#ifndef IMR_PARSE_H
#define IMR_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "imr.h"
#include "vocab.h"

/* ---- spans, for every stage ---------------------------------------------------------- */

/*
 * The span [off, end) of text without the white space (space, '\n') at either end; empty at
 * off when end < off (a section that would end before it starts).
 */
static inline imr_span_t imr__span_trim(const char *text, uint32_t off, uint32_t end)
{
    if (end < off)
        end = off;
    while (off < end && (text[off] == ' ' || text[off] == '\n'))
        off++;
    while (end > off && (text[end - 1] == ' ' || text[end - 1] == '\n'))
        end--;
    return (imr_span_t){off, end - off};
}

/* ---- text.c ------------------------------------------------------------------------- */

/*
 * Cleans `len` bytes of a letter file (UTF-8, Windows-1252, a mix of both, or UTF-16 after a
 * byte order mark) into a new NUL-terminated UTF-8 string stored in *out
 * (owned by the caller, free()) with its length in *out_len; ORs IMR_WARN_* bits into
 * *warnings. When the bytes hold form feeds (page breaks), *pages gets a new array (free())
 * of *n_pages byte offsets into *out where each page starts; else NULL and 0. Returns
 * IMR_ERR_INPUT ("empty file", "binary file (NUL bytes)", "binary file (control
 * characters)", "a PDF, not text ...") or IMR_ERR_NOMEM.
 */
imr_status_t imr__text_clean(const char *bytes, size_t len, char **out, size_t *out_len,
                             uint32_t **pages, size_t *n_pages, unsigned *warnings,
                             imr_error_t *err);

/*
 * Does a letter file start with a UTF-16 byte order mark? Returns 1 (little-endian), 2
 * (big-endian) or 0. Such a file holds NUL bytes and is still text: imr__text_clean() reads it.
 */
int imr__text_utf16(const char *bytes, size_t len);

/* ---- layout.c ----------------------------------------------------------------------- */

/* One line of the cleaned text: [off, off + len), without its '\n'. Blank lines have len 0. */
typedef struct imr__line {
    uint32_t off;
    uint32_t len;
} imr__line_t;

/* The cleaned text split into lines. */
typedef struct imr__doc {
    const char *text;    /* the cleaned text (not owned) */
    size_t len;          /* its length */
    imr__line_t *lines;  /* n lines, owned (free()) */
    size_t n;
} imr__doc_t;

/* Splits text into lines. Returns IMR_ERR_NOMEM or IMR_OK. */
imr_status_t imr__doc_init(imr__doc_t *doc, const char *text, size_t len, imr_error_t *err);
void imr__doc_free(imr__doc_t *doc);

/* Section headings the layouts use. */
typedef enum imr__heading {
    IMR__H_HOW = 0,       /* HOW THE IMR FINAL DETERMINATION WAS MADE */
    IMR__H_SUMMARY,       /* CLINICAL CASE SUMMARY */
    IMR__H_ISSUES,        /* IMR ISSUES, DECISIONS AND RATIONALES (layout 1) */
    IMR__H_MAXIMUS,       /* MAXIMUS FEDERAL SERVICES, INC. (layout 2's first line) */
    IMR__H_DOCUMENTS,     /* DOCUMENTS REVIEWED (layout 2) */
    IMR__H_DECISIONS,     /* IMR DECISION(S) AND RATIONALE(S) (layout 2) */
    IMR__H_PROFESSIONAL,  /* MEDICAL PROFESSIONAL REVIEW (layout 3's first line) */
    IMR__H_ISSUE,         /* ISSUE AT DISPUTE: */
    IMR__H_CASE_SUMMARY,  /* CASE SUMMARY: */
    IMR__H_DOCUMENTS3,    /* DOCUMENTS REVIEWED FOR DETERMINATION: */
    IMR__H_GUIDELINES3,   /* MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY ... AND WHY: */
    IMR__H_RATIONALE3,    /* RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT ... */
    IMR__H_QUALIFICATIONS,/* MEDICAL REVIEWER QUALIFICATIONS: */
    IMR__H_NOTICE,        /* Notice of Independent Medical Review Determination (layout 2) */
    IMR__N_HEADINGS
} imr__heading_t;

/* Where one heading was found: its first line, and where its body starts (off). */
typedef struct imr__found {
    int found;       /* 0 when the heading is absent */
    size_t line;     /* first line of the heading */
    uint32_t start;  /* byte offset where the heading starts */
    uint32_t body;   /* byte offset just after the heading (after its colon, if any) */
} imr__found_t;

/* The sections of one letter, as found by imr__sections_split(). */
typedef struct imr__sections {
    imr_layout_t layout;
    imr__found_t h[IMR__N_HEADINGS];
    imr_span_t header;     /* where header fields are looked for */
    imr_span_t other;      /* boilerplate span (see imr_letter_t.other) */
    imr_span_t summary;    /* case summary span */
    imr_span_t decisions;  /* layouts 1/2: the body of the decisions section */
    imr_span_t issue;      /* layout 3: ISSUE AT DISPUTE body */
    imr_span_t guideline;  /* layout 3: guidelines section body */
    imr_span_t rationale;  /* layout 3: rationale section body */
    char problem[160];     /* a section that is missing, or "" */
    int missing_heading;   /* a heading is missing, its section read from where it stands */
} imr__sections_t;

/*
 * Finds the heading `h` at line i of doc: returns the number of lines it covers (1, or 2 or 3
 * when it is wrapped, with a blank line between the halves) and stores its body offset in
 * *body, or returns 0.
 */
int imr__heading_at(const imr__doc_t *doc, size_t i, imr__heading_t h, uint32_t *body);

/* Detects the layout and splits the sections of doc into *s. Never fails. */
void imr__sections_split(const imr__doc_t *doc, imr__sections_t *s);

/* Fills the header fields and the specialty of letter from the text of the span `where`. */
void imr__header_fields(const char *text, imr_span_t where, imr_letter_t *letter);

/* Reviewer specialty from `Certification(s)/Specialty:` or "Board Certified in ..." in span. */
void imr__specialty(const char *text, imr_span_t where, char *out, size_t size);

/*
 * The slugs of a specialty text (specialty.c, the dictionary specialties.txt), comma-joined
 * in the order the text names them, into out[size]: "anesthesiology,pain-medicine"; "other"
 * for text that names none, "" for "". Slugs that do not fit are left out. Errors: the
 * dictionary's (IMR_ERR_IO, IMR_ERR_ARG), IMR_ERR_NOMEM; out is then "".
 */
imr_status_t imr__specialty_slugs(const char *specialty, char *out, size_t size,
                                  imr_error_t *err);

/*
 * Parses a date at s (n bytes) into ISO "YYYY-MM-DD" in out[11]; returns 1 when found. Dates
 * are written 3/1/13, 03/01/2013, 2013-03-01, March 1, 2013, Sept. 9, 2014 or 2 May 2016.
 */
int imr__parse_date(const char *s, size_t n, char out[11]);

/*
 * Places the letter in a year (letter->year, letter->year_source) from what it prints, after
 * its header fields are read: its decision date; else the first "Dated:" line (or "Date:",
 * "Date of Notice:", ...) of text[0, len); else the year of its case number's CMyy- prefix;
 * else its latest date (docs/parsing.md, "The letter's year").
 */
void imr__letter_year(const char *text, size_t len, imr_letter_t *letter);

/* ---- items.c ------------------------------------------------------------------------ */

/*
 * Reads the items of a layout 1/2 decisions section (the span `dec` of doc). Stores a new
 * array (free()) of *n items in *items (0 items: *items may be NULL); writes a one-line
 * problem into problem[size] when the section looks cut off or holds no item, and sets
 * *truncated when cut off. An item whose line states no decision takes its rationale's
 * (imr_item_t.wording). Facets are not set. Returns IMR_ERR_NOMEM or IMR_OK.
 */
imr_status_t imr__items_parse(const imr__doc_t *doc, imr_span_t dec, imr_item_t **items,
                              size_t *n, char *problem, size_t size, int *truncated,
                              imr_error_t *err);

/*
 * Reads the items of a layout-3 letter: one item per line of the ISSUE AT DISPUTE span `issue`
 * (a numbered line starts an item, an unnumbered one continues it when the lines are numbered
 * or when the sections have fewer paragraphs than the span has lines), each with its paragraph
 * of the guideline and rationale sections (in order, or the one paragraph that names it) and
 * its decision from the rationale's wording. Stores a new array (free()) of *n items in
 * *items. Facets are not set. Returns IMR_ERR_NOMEM or IMR_OK.
 */
imr_status_t imr__items_layout3(const imr__doc_t *doc, imr_span_t issue, imr_span_t guideline,
                                imr_span_t rationale, imr_item_t **items, size_t *n,
                                imr_error_t *err);

/*
 * Where the items of a layout 1/2 decisions section start when its heading is missing: the
 * offset of the sentence introducing the items ("The Final Determination was based on
 * decisions ..."), or else of the first item line, item sentence or item paragraph label in
 * span `from` of doc, or UINT32_MAX when there is none.
 */
uint32_t imr__items_start(const imr__doc_t *doc, imr_span_t from);

/*
 * The decision that the wording of a span states (decision_cues.txt): the last phrase that
 * states one decides. Returns IMR_DECISION_UNKNOWN when none does (or memory runs out).
 * When clause is not NULL, stores there the offset where the stating clause begins (its verb:
 * "Ice machine |is not medically necessary").
 */
imr_decision_t imr__decision_from_wording(const char *text, imr_span_t span, uint32_t *clause);

/* Strips item numbering ("1)", "2.", "3 -", "#4", "Item 5:") from the start of a span. */
imr_span_t imr__strip_numbering(const char *text, imr_span_t s);

/* ---- match.c ------------------------------------------------------------------------ */

/*
 * Normalised tokens of a text: ASCII letters lower-cased, digits kept, a digit followed by a
 * letter split ("325mg" -> "325 mg", but "L5" stays "l5"), everything else a separator; the
 * word "and" is dropped, so "Hot/Cold", "hot cold" and "HOT AND COLD" give the same tokens.
 */
typedef struct imr__tok {
    uint32_t off;  /* offset of the token in imr__toks_t.buf */
    uint16_t len;  /* its length */
    uint32_t src;  /* byte offset in the source text where it starts */
} imr__tok_t;

typedef struct imr__toks {
    char *buf;         /* token characters, each token NUL-terminated */
    size_t buf_len, buf_cap;
    imr__tok_t *t;     /* the tokens */
    size_t n, cap;
} imr__toks_t;

/* Empties toks for reuse (keeps its memory). */
void imr__toks_reset(imr__toks_t *toks);
void imr__toks_free(imr__toks_t *toks);
/* Appends the tokens of s[0, n) (source offsets start at `base`). IMR_ERR_NOMEM or IMR_OK. */
imr_status_t imr__toks_add(imr__toks_t *toks, const char *s, size_t n, uint32_t base);
/* The text of token i. */
static inline const char *imr__tok_str(const imr__toks_t *toks, size_t i)
{
    return toks->buf + toks->t[i].off;
}

/* A compiled set of patterns (token sequences, the last one optionally a prefix "cryo*"; or
 * one word's suffix "*ectomy"). */
typedef struct imr__matcher imr__matcher_t;

/* Compiles a new empty matcher into *out. IMR_ERR_NOMEM or IMR_OK. */
imr_status_t imr__matcher_new(imr__matcher_t **out, imr_error_t *err);
void imr__matcher_free(imr__matcher_t *m);
/*
 * Adds `pattern` with a value and an optional number `arg`; patterns are numbered in the
 * order they are added. Returns IMR_ERR_ARG when the pattern has no token, a prefix shorter
 * than 3 characters or a suffix that is not one word of 4 letters or more; IMR_ERR_NOMEM.
 */
imr_status_t imr__matcher_add(imr__matcher_t *m, const char *pattern, int value, int arg,
                              imr_error_t *err);

/* One pattern found in tokens [start, end). */
typedef struct imr__match {
    uint32_t pattern; /* its number, in the order added: lower is higher priority */
    uint32_t start, end;
    int value, arg;
} imr__match_t;

/*
 * Finds the patterns that match starting at token i (not beyond token `to`): stores up to
 * `max` of them in out[] and returns how many there were.
 */
size_t imr__match_at(const imr__matcher_t *m, const imr__toks_t *toks, size_t i, size_t to,
                     imr__match_t *out, size_t max);

/*
 * The first pattern (in the order added) that matches at token i with one to max_words of
 * its words misspelt, each by one edit (a letter inserted, deleted or replaced, or two
 * neighbours swapped; only words of five letters or more whose first letter is right, not
 * numbers): stores it in *out
 * and returns 1, or returns 0. Tries every pattern: for a fallback when no pattern matches
 * exactly, or for a small matcher.
 */
size_t imr__match_near(const imr__matcher_t *m, const imr__toks_t *toks, size_t i, size_t to,
                       int max_words, imr__match_t *out);

/* ---- facets.c ----------------------------------------------------------------------- */

/* Loads the dictionaries once (thread-safe). Returns the status of that one load. */
imr_status_t imr__facets_init(imr_error_t *err);

/* The paragraphs an item_labels.txt entry opens (its value), and its form (its arg). */
enum imr__para { IMR__PARA_CLAIMS = 1, IMR__PARA_REVIEWER, IMR__PARA_RATIONALE };
enum imr__label_form { IMR__FORM_LABEL = 0, IMR__FORM_TEXT };
/* The kinds of decision_cues.txt entries (their value). */
enum imr__cue {
    IMR__CUE_UPHELD = 1,
    IMR__CUE_OVERTURNED,
    IMR__CUE_NEGATION,
    IMR__CUE_VERB,
    IMR__CUE_NECESSITY,
    IMR__CUE_FILLER
};

/*
 * The compiled item_labels.txt and decision_cues.txt, loading the dictionaries first when
 * needed; NULL when they could not be loaded (imr__facets_init() says why). imr__necessity()
 * holds only the `necessity` phrases of decision_cues.txt ("medically necessary"), for
 * matching them misspelt.
 */
const imr__matcher_t *imr__labels(void);
const imr__matcher_t *imr__cues(void);
const imr__matcher_t *imr__necessity(void);

/* Working memory for facet computations, reused across items of one letter. */
typedef struct imr__scratch {
    imr__toks_t a, b;
} imr__scratch_t;

/* The item type slug of an item text. IMR_ERR_NOMEM or IMR_OK. */
imr_status_t imr__item_type(const char *text, imr_span_t item, imr__scratch_t *sc,
                            const char **slug);
/* The guideline source bits of a guideline paragraph. IMR_ERR_NOMEM or IMR_OK. */
imr_status_t imr__guideline_sources(const char *text, imr_span_t para, imr__scratch_t *sc,
                                    unsigned *sources);
/*
 * The citation of a guideline paragraph that names `sources` (its bits; nothing when NONE), as
 * a span of the text into *out: the sentence after the paragraph's first run of `cite` words
 * ("Decision based on Non-MTUS Citation | Official Disability Guidelines (ODG), Shoulder
 * Chapter, Continuous-flow cryotherapy"), or its first sentence when it has none, up to a
 * relative clause (", which ..."), without the final period and at most IMR__CITATION_MAX
 * bytes (cut at a space). IMR_ERR_NOMEM or IMR_OK.
 */
#define IMR__CITATION_MAX 240
imr_status_t imr__citation(const char *text, imr_span_t para, unsigned sources,
                           imr__scratch_t *sc, imr_span_t *out);

/* A sentence of a letter's summary: where its tokens end, and the regions it names. */
typedef struct imr__sentence {
    uint32_t end;     /* its tokens are [end of the sentence before, end) */
    unsigned regions; /* bit i: imr__body_regions[i] */
} imr__sentence_t;

/*
 * A letter's summary, cut into sentences and tokenized the first time an item's body region
 * needs it and then kept for the letter's other items. imr__summary_init() starts it on a
 * letter (and forgets the one before); imr__summary_free() releases it.
 */
typedef struct imr__summary {
    const char *text; /* the letter's text */
    imr_span_t span;  /* its summary */
    int ready;        /* toks and sent are filled */
    imr__toks_t toks; /* the tokens of all sentences, one after the other */
    imr__sentence_t *sent;
    size_t n, cap;
} imr__summary_t;

void imr__summary_init(imr__summary_t *sum, const char *text, imr_span_t span);
void imr__summary_free(imr__summary_t *sum);

/*
 * How many distinctive words (as for body regions: see docs/facets.md) of the item text `item`
 * occur among the first 40 words of `para`, into *count: whether a paragraph names the item.
 * IMR_ERR_NOMEM or IMR_OK.
 */
imr_status_t imr__mentions(const char *text, imr_span_t item, imr_span_t para,
                           imr__scratch_t *sc, size_t *count);

/* The body region slug of an item from its text, rationale and the letter's summary. */
imr_status_t imr__body_region(const char *text, imr_span_t item, imr_span_t rationale,
                              imr__summary_t *summary, imr__scratch_t *sc, const char **slug);

#endif
