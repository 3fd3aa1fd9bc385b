/*
 * test_specialty.c - a reviewer's specialty text as slugs (indexer/specialty.c and the
 * dictionary indexer/dict/specialties.txt), each spelling the letters print as input.
 */
#include <string.h>

#include "check.h"
#include "parse.h"

/* The slugs of one specialty text. */
static const char *slugs(const char *text)
{
    static char out[128];
    imr_error_t err = {0};
    CHECK_INT(imr__specialty_slugs(text, out, sizeof out, &err), IMR_OK);
    return out;
}

static void test_spellings(void)
{
    CHECK_STR(slugs("Orthopedic Surgery"), "orthopedic-surgery");
    CHECK_STR(slugs("Orthopaedic Surgery"), "orthopedic-surgery");
    CHECK_STR(slugs("ORTHOPAEDIC SURGERY"), "orthopedic-surgery");
    CHECK_STR(slugs("Physical Medicine and Rehabilitation"), "physical-medicine-rehabilitation");
    CHECK_STR(slugs("Physical Medicine & Rehabilitation"), "physical-medicine-rehabilitation");
    CHECK_STR(slugs("Physical Medicine/Rehabilitation"), "physical-medicine-rehabilitation");
    CHECK_STR(slugs("Internal Medicine"), "internal-medicine");
    CHECK_STR(slugs("Itnernal Medicine"), "internal-medicine");
    CHECK_STR(slugs("Interanl Medicine"), "internal-medicine"); /* one letter off: not data */
    CHECK_STR(slugs("Family Practice"), "family-medicine");
    CHECK_STR(slugs("Family Medicine"), "family-medicine");
    CHECK_STR(slugs("Neurological Surgery"), "neurosurgery");
    CHECK_STR(slugs("Hand Surgery"), "hand-surgery");
    CHECK_STR(slugs("Surgery"), "general-surgery");
    CHECK_STR(slugs("Chiropractic"), "chiropractic");
    CHECK_STR(slugs("Acupuncture"), "acupuncture");
    CHECK_STR(slugs("Psychology"), "psychology");
    CHECK_STR(slugs("Psychiatry"), "psychiatry");
    CHECK_STR(slugs("Podiatry"), "podiatry");
}

static void test_pairs(void)
{
    CHECK_STR(slugs("Anesthesiology, Pain Medicine"), "anesthesiology,pain-medicine");
    CHECK_STR(slugs("Pain Medicine, Anesthesiology"), "pain-medicine,anesthesiology");
    CHECK_STR(slugs("Preventive Medicine, Occupational Medicine"),
              "preventive-medicine,occupational-medicine");
    CHECK_STR(slugs("Orthopaedic Surgery; Orthopedic Surgery"), "orthopedic-surgery");
    CHECK_STR(slugs("American Board of Physical Medicine and Rehabilitation"),
              "physical-medicine-rehabilitation");
}

static void test_other(void)
{
    CHECK_STR(slugs(""), "");
    CHECK_STR(slugs("Aerospace Engineering"), "other");
    CHECK_STR(slugs("Board Certified"), "other");
    /* No room for a second slug: the first is kept whole. */
    char out[24];
    imr_error_t err = {0};
    CHECK_INT(imr__specialty_slugs("Anesthesiology, Pain Medicine", out, sizeof out, &err), IMR_OK);
    CHECK_STR(out, "anesthesiology");
}

static void test_values(void)
{
    const char *const *v = imr_facet_values("specialty");
    CHECK(v != NULL);
    size_t n = 0;
    int ortho = 0;
    while (v && v[n]) {
        ortho |= strcmp(v[n], "orthopedic-surgery") == 0;
        if (n > 0 && v[n + 1] && strcmp(v[n], "other") != 0)
            CHECK(strcmp(v[n - 1], v[n]) < 0); /* sorted, no twice */
        n++;
    }
    CHECK(ortho);
    CHECK(n >= 3);
    if (n >= 2) {
        CHECK_STR(v[n - 2], "other");
        CHECK_STR(v[n - 1], "unknown");
    }
}

int main(void)
{
    test_spellings();
    test_pairs();
    test_other();
    test_values();
    return check_done();
}
