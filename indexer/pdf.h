/*
 * pdf.h - the text of PDF letters, read by poppler in worker processes (private to the
 * library; pdf.c has the design note).
 */
#ifndef IMR_PDF_H
#define IMR_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "imr.h"

/* Is this file a PDF: "%PDF-" in its first 1024 bytes (where readers look for it)? */
int imr__pdf_sniff(const char *bytes, size_t len);

/*
 * Reads the text of the PDF in bytes[0, len), in this process: each page's text in reading
 * order, wide gaps between words as that many spaces, a blank line where a gap between two
 * lines says a paragraph ends, the page ended by a form feed. On success stores a new NUL-terminated UTF-8 string in *text (free()) and its
 * length in *text_len. A PDF that cannot be read returns IMR_ERR_INPUT with the reason in
 * `why` ("encrypted PDF", "damaged PDF: ...", "more than N pages (the bound)", "no text layer
 * (a scanned image?)"); IMR_ERR_NOMEM. It is meant for the worker processes (poppler and glib
 * abort when memory runs out) and for fuzzing.
 */
imr_status_t imr__pdf_read(const char *bytes, size_t len, unsigned max_pages, char **text,
                           size_t *text_len, char *why, size_t why_size);

/* Limits of one extraction in a worker process. */
typedef struct imr__pdf_limits {
    unsigned seconds;   /* wall-clock deadline, also the CPU-time limit; 0: IMR_PDF_SECONDS */
    uint64_t memory;    /* address space a worker may add to what it inherits; 0: default */
    unsigned max_pages; /* more pages: refused; 0: IMR_PDF_MAX_PAGES */
} imr__pdf_limits_t;

/* Worker processes that read PDFs, for one thread. */
typedef struct imr__pdf_pool imr__pdf_pool_t;

/* The most extractions a pool runs at once. */
#define IMR__PDF_MAX_JOBS 8

/*
 * Creates a pool of up to `jobs` (1 .. IMR__PDF_MAX_JOBS) extractions at once with limits
 * `lim` (NULL: the defaults). Free with imr__pdf_pool_free(). IMR_ERR_NOMEM.
 */
imr_status_t imr__pdf_pool_new(const imr__pdf_limits_t *lim, unsigned jobs,
                               imr__pdf_pool_t **out, imr_error_t *err);

/* Ends and reaps every worker (killing one still busy), frees the pool. Accepts NULL. */
void imr__pdf_pool_free(imr__pdf_pool_t *pool);

/* Extractions the pool can start now without waiting. */
unsigned imr__pdf_pool_free_jobs(const imr__pdf_pool_t *pool);

/*
 * Starts extracting the PDF in bytes[0, len) in an idle worker process (started first when
 * there is none), which is sent the bytes at this call, so the caller may reuse the buffer at
 * once. Returns the job's number for imr__pdf_finish(), or -1 when the pool is full. A worker
 * that cannot be started is reported by imr__pdf_finish().
 */
int imr__pdf_start(imr__pdf_pool_t *pool, const char *bytes, size_t len);

/*
 * Waits for job `job` to end (reading the other running jobs' output meanwhile, and ending
 * any that passes its deadline) and frees its place. Returns IMR_OK with the text as
 * imr__pdf_read() (*text owned by the caller), IMR_ERR_INPUT with a one-line reason in `why`
 * (imr__pdf_read()'s, "pdf extraction crashed (signal N)", "pdf extraction timed out after N
 * s", ...) or IMR_ERR_NOMEM.
 */
imr_status_t imr__pdf_finish(imr__pdf_pool_t *pool, int job, char **text, size_t *text_len,
                             char *why, size_t why_size);

#endif
