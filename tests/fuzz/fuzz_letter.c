/*
 * fuzz_letter.c - libFuzzer harness for the letter parser: any bytes must give a letter or a
 * clean IMR_ERR_INPUT, never a crash, and every span must lie inside the cleaned text.
 * Build with -DIMR_FUZZ=ON (clang); run: build/fuzz_letter corpus/letters
 */
#include <stdint.h>
#include <stdlib.h>

#include "imr.h"

static void check_span(const imr_letter_t *l, imr_span_t s)
{
    if ((size_t)s.off + s.len > l->text_len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    imr_letter_t *l = NULL;
    imr_error_t err;
    imr_status_t st = imr_letter_parse((const char *)data, size, &l, &err);
    if (st == IMR_OK) {
        if (l->n_items < 1 || !l->text || l->text[l->text_len] != '\0')
            abort();
        check_span(l, l->summary);
        check_span(l, l->other);
        for (size_t i = 0; i < l->n_items; i++) {
            const imr_item_t *it = &l->items[i];
            check_span(l, it->text);
            check_span(l, it->guideline);
            check_span(l, it->ca_guideline);
            check_span(l, it->rationale);
            if (!it->item_type || !it->body_region)
                abort();
        }
        imr_letter_free(l);
    } else if (st != IMR_ERR_INPUT || l) {
        abort();
    }
    return 0;
}
