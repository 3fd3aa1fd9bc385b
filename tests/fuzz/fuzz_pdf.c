/*
 * fuzz_pdf.c - libFuzzer harness for PDF letters: any bytes go the way imrindex reads a PDF
 * (extraction in a worker process with limits, indexer/pdf.c; then the letter parser) and
 * must give a letter whose page starts and spans lie inside its text, or a clean refusal
 * with a one-line reason; never a crash or a hang of this process. What poppler does inside
 * the worker (a crash included) is an outcome to check, not a finding: the harness tests the
 * isolation and everything after it; poppler is fuzzed by its own project.
 * Build with -DIMR_FUZZ=ON (clang); run: build/tests/fuzz_pdf SEEDS (PDFs from txt2pdf).
 *
 * A worker is a fork of this process and inherits libFuzzer's hooks: its death callback
 * (called on a sanitizer's report, e.g. the allocator out of memory under the worker's
 * RLIMIT_AS) and its deadly-signal handlers, each of which saves the current input as a
 * crash-* file. A worker dying is the designed outcome above, so a forked child drops them
 * and dies the kernel's way (IMR_PDF_FAULT=memory made every input a "crash" before).
 */
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(const imr_letter_t *l, imr_span_t s)
{
    if ((size_t)s.off + s.len > l->text_len)
        abort();
}

static void child_is_not_the_target(void)
{
    __sanitizer_set_death_callback(NULL);
    static const int deadly[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};
    for (size_t k = 0; k < sizeof deadly / sizeof deadly[0]; k++)
        signal(deadly[k], SIG_DFL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static imr__pdf_pool_t *pool;
    if (!pool) {
        if (pthread_atfork(NULL, NULL, child_is_not_the_target) != 0)
            abort();
        imr__pdf_limits_t lim = {5, 256u << 20, 50};
        if (imr__pdf_pool_new(&lim, 1, &pool, NULL) != IMR_OK)
            abort();
    }
    char *text = NULL, why[300];
    size_t n = 0;
    int job = imr__pdf_start(pool, (const char *)data, size);
    imr_status_t st = imr__pdf_finish(pool, job, &text, &n, why, sizeof why);
    if (st == IMR_ERR_INPUT) {
        if (text || !why[0] || strchr(why, '\n'))
            abort();
        return 0;
    }
    if (st != IMR_OK || !text || text[n] != '\0' || memchr(text, '\0', n))
        abort();
    imr_letter_t *l = NULL;
    imr_error_t err;
    st = imr_letter_parse(text, n, &l, &err);
    free(text);
    if (st != IMR_OK) {
        if (st != IMR_ERR_INPUT || l)
            abort();
        return 0;
    }
    if (l->n_items < 1 || l->text[l->text_len] != '\0')
        abort();
    for (size_t k = 0; k < l->n_pages; k++)
        if (l->pages[k] > l->text_len || (k > 0 && l->pages[k] < l->pages[k - 1]) ||
            (k == 0 && l->pages[0] != 0))
            abort();
    check_span(l, l->summary);
    check_span(l, l->other);
    for (size_t i = 0; i < l->n_items; i++) {
        check_span(l, l->items[i].text);
        check_span(l, l->items[i].guideline);
        check_span(l, l->items[i].ca_guideline);
        check_span(l, l->items[i].rationale);
    }
    imr_letter_free(l);
    return 0;
}
