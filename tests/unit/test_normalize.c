/*
 * test_normalize - the scanner of the `imr` tokenizer (shim/normalize.c) and its stemmer with
 * cache (shim/stem.c), tested directly: table-driven token lists, properties on random bytes,
 * and the cache against plain Snowball.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "check.h"
#include "normalize.h"
#include "stem.h"

/*
 * Scans `text` and writes its tokens as "token@start-end" separated by spaces into out.
 * Returns the last scan result (IMR__SCAN_END when all went well).
 */
static int scan_to_string(const char *text, int n, int remove_diacritics, char *out, size_t cap)
{
    imr__scan_t s;
    imr__token_t tok;
    int r;
    size_t used = 0;
    out[0] = '\0';
    imr__scan_init(&s, text, n, remove_diacritics);
    while ((r = imr__scan_next(&s, &tok)) == IMR__SCAN_TOKEN) {
        int w = snprintf(out + used, cap - used, "%s%s@%d-%d", used ? " " : "", tok.buf, tok.start,
                         tok.end);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    return r;
}

struct scan_case {
    const char *text;
    const char *want;
};

/* clang-format off */
static const struct scan_case cases[] = {
    {"", ""},
    {"   ,.;  ", ""},
    {"Hello World", "hello@0-5 world@6-11"},
    {"C5-6", "c5@0-2 c6@3-4"},
    {"C5-C6", "c5@0-2 c6@3-5"},
    {"C5/6", "c5@0-2 c6@3-4"},
    {"c5-c6", "c5@0-2 c6@3-5"},
    {"L5-S1", "l5@0-2 s1@3-5"},
    {"L4-5", "l4@0-2 l5@3-4"},
    {"T12-L1", "t12@0-3 l1@4-6"},
    {"C4-5-6", "c4@0-2 c5@3-4 c6@5-6"},
    {"C5 6", "c5@0-2 6@3-4"},
    {"C5--6", "c5@0-2 6@4-5"},
    {"C5-678", "c5@0-2 678@3-6"},
    {"X5-6", "x5@0-2 6@3-4"},
    {"MC5-6", "mc5@0-3 6@4-5"},
    {"C5\xe2\x80\x93" "6", "c5@0-2 c6@5-6"},            /* en dash */
    {"L5S1", "l5@0-2 s1@2-4"},
    {"S1diagnostic", "s1@0-2 diagnostic@2-12"},
    {"10/325mg", "10@0-2 325@3-6 mg@6-8"},
    {"#90", "90@1-3"},
    {"3.5mg", "3@0-1 5@2-3 mg@3-5"},
    {"hot/cold", "hot@0-3 cold@4-8"},
    {"continuous-flow", "continuous@0-10 flow@11-15"},
    {"Spurling's", "spurling's@0-10"},
    {"Spurling\xe2\x80\x99s", "spurling's@0-12"},        /* U+2019 */
    {"patients' 'x'", "patients@0-8 x@11-12"},
    {"5's", "5@0-1 s@2-3"},                              /* apostrophe only between letters */
    {"\xef\xac\x81" "brosis", "fibrosis@0-9"},           /* U+FB01 ligature */
    {"N\xc3\xba\xc3\xb1" "ez", "nunez@0-7"},             /* precomposed */
    {"Nu\xcc\x81n\xcc\x83" "ez", "nunez@0-9"},           /* combining marks */
    {"a\xc2\xa0" "b", "a@0-1 b@3-4"},                    /* NBSP */
    {"cryo\xc2\xad" "therapy", "cryotherapy@0-13"},      /* soft hyphen inside */
    {"cryo\xc2\xad", "cryo@0-4"},                        /* soft hyphen at the end */
    {"a\xe2\x80\x8b" "b", "a@0-1 b@4-5"},                /* zero width space */
    {"\xcc\x81", ""},                                    /* a lone mark normalises to nothing */
    {"\xcc\x81" "a", "a@0-3"},
    {"abc\xff" "def", "abc@0-3 def@4-7"},                /* invalid byte */
    {"caf\xe9", "caf@0-3"},                              /* Latin-1 byte */
    {"\xed\xa0\x80", ""},                                /* surrogate */
    {"\xc3", ""},                                        /* truncated */
    {"\xef\xbc\xa3\xef\xbc\x95-\xef\xbc\x96", "c5@0-6 c6@7-10"}, /* full-width C5-6 */
    {"STRA\xc3\x9f" "E", "strasse@0-7"},                 /* sharp s case-folds to ss */
    {"\xe2\x85\xab", "xii@0-3"},                         /* Roman numeral twelve */
};
/* clang-format on */

static void test_cases(void)
{
    char got[2048];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = scan_to_string(cases[i].text, (int)strlen(cases[i].text), 1, got, sizeof got);
        CHECK_INT(r, IMR__SCAN_END);
        CHECK_STR(got, cases[i].want);
    }
}

static void test_keep_diacritics(void)
{
    char got[256];
    const char *precomposed = "N\xc3\xba\xc3\xb1"
                              "ez";
    const char *combining = "Nu\xcc\x81n\xcc\x83"
                            "ez";
    CHECK_INT(scan_to_string(precomposed, (int)strlen(precomposed), 0, got, sizeof got),
              IMR__SCAN_END);
    CHECK_STR(got, "n\xc3\xba\xc3\xb1"
                   "ez@0-7");
    /* Composed again, so both spellings give the same token. */
    CHECK_INT(scan_to_string(combining, (int)strlen(combining), 0, got, sizeof got), IMR__SCAN_END);
    CHECK_STR(got, "n\xc3\xba\xc3\xb1"
                   "ez@0-9");
    /* Marks in non-canonical order (dot below after acute) are put in order first. */
    const char *order1 = "a\xcc\x81\xcc\xa3", *order2 = "a\xcc\xa3\xcc\x81";
    char got2[256];
    scan_to_string(order1, (int)strlen(order1), 0, got, sizeof got);
    scan_to_string(order2, (int)strlen(order2), 0, got2, sizeof got2);
    CHECK_STR(got, got2);
}

static void test_truncation(void)
{
    static char text[1000 + 1];
    memset(text, 'Q', 1000);
    imr__scan_t s;
    imr__token_t tok;
    imr__scan_init(&s, text, 1000, 1);
    CHECK_INT(imr__scan_next(&s, &tok), IMR__SCAN_TOKEN);
    CHECK_INT(tok.len, IMR__TOKEN_MAX);
    CHECK_INT(tok.start, 0);
    CHECK_INT(tok.end, 1000);
    CHECK_INT((int)strlen(tok.buf), IMR__TOKEN_MAX);
    CHECK_INT(imr__scan_next(&s, &tok), IMR__SCAN_END);

    /* Non-ASCII: cut at a character boundary (2-byte o-umlaut kept with diacritics). */
    static char wide[2 * 300];
    for (int i = 0; i < 300; i++)
        memcpy(wide + 2 * i, "\xc3\xb6", 2);
    imr__scan_init(&s, wide, (int)sizeof wide, 0);
    CHECK_INT(imr__scan_next(&s, &tok), IMR__SCAN_TOKEN);
    CHECK_INT(tok.len, IMR__TOKEN_MAX);
    CHECK_INT(tok.end, (int)sizeof wide);
}

/* Returns 1 when s[0, n) is valid UTF-8 of letters, marks, numbers and apostrophes. */
static int valid_token(const char *s, int n)
{
    for (int i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i, n - i, &cp);
        if (r <= 0)
            return 0;
        utf8proc_category_t c = utf8proc_category(cp);
        int ok = cp == '\'' || (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
        if (!ok)
            return 0;
        i += (int)r;
    }
    return n > 0;
}

/* Random bytes, biased to UTF-8 lead and continuation bytes: never crash, always sane. */
static void test_random_bytes(void)
{
    uint32_t seed = 12345;
    char text[96];
    int bad = 0;
    for (int round = 0; round < 20000; round++) {
        for (size_t i = 0; i < sizeof text; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned v = seed >> 16;
            static const unsigned char pick[] = {'a',  'Z',  '5',  '-',  '/',  '\'', ' ',  0x80,
                                                 0xbf, 0xc3, 0xcc, 0xe2, 0xef, 0xf0, 0xff, 0xad};
            text[i] = (char)((v & 0x100) ? pick[v % sizeof pick] : (v & 0xff));
        }
        imr__scan_t s;
        imr__token_t tok;
        int r, last_end = 0;
        imr__scan_init(&s, text, (int)sizeof text, round & 1);
        while ((r = imr__scan_next(&s, &tok)) == IMR__SCAN_TOKEN) {
            if (tok.start < last_end || tok.end <= tok.start || tok.end > (int)sizeof text ||
                !valid_token(tok.buf, tok.len) || (int)strlen(tok.buf) != tok.len)
                bad++;
            last_end = tok.end;
        }
        if (r != IMR__SCAN_END)
            bad++;
    }
    CHECK_INT(bad, 0);
}

/* The cache gives what Snowball gives, also after its slots have been overwritten. */
static void test_stem_cache(void)
{
    imr__stemmer_t *st = NULL;
    struct sb_stemmer *sb = sb_stemmer_new("english", "UTF_8");
    CHECK(sb != NULL);
    CHECK_INT(imr__stemmer_new("english", &st), SQLITE_OK);
    CHECK(st != NULL);
    if (!st || !sb)
        return;

    const char *s;
    int n;
    CHECK_INT(imr__stem(st, "cryotherapies", 13, imr__word_hash("cryotherapies", 13), &s, &n),
              SQLITE_OK);
    CHECK_INT(n, 11);
    CHECK(memcmp(s, "cryotherapi", 11) == 0);
    CHECK_INT(imr__stem(st, "spurling's", 10, imr__word_hash("spurling's", 10), &s, &n), SQLITE_OK);
    CHECK(n == 5 && memcmp(s, "spurl", 5) == 0);

    int mismatches = 0;
    char word[64];
    for (int pass = 0; pass < 2; pass++) {
        uint32_t seed = 99;
        for (int i = 0; i < 30000; i++) {
            seed = seed * 1103515245u + 12345u;
            int len = 3 + (int)((seed >> 16) % 28); /* some longer than the cache keeps */
            for (int k = 0; k < len; k++) {
                seed = seed * 1103515245u + 12345u;
                word[k] = "aeioubcdfglmnrstyingsed"[(seed >> 16) % 23];
            }
            /* A weak hash on the second pass: more collisions, same stems. */
            unsigned h = pass == 0 ? imr__word_hash(word, len) : (unsigned)len;
            if (imr__stem(st, word, len, h, &s, &n) != SQLITE_OK) {
                mismatches++;
                continue;
            }
            const sb_symbol *want = sb_stemmer_stem(sb, (const sb_symbol *)word, len);
            int wn = sb_stemmer_length(sb);
            if (!want || wn != n || memcmp(want, s, (size_t)n) != 0)
                mismatches++;
        }
    }
    CHECK_INT(mismatches, 0);

    imr__stemmer_t *none = (imr__stemmer_t *)&mismatches;
    CHECK_INT(imr__stemmer_new("klingon", &none), SQLITE_ERROR);
    CHECK(none == NULL);
    CHECK(imr__stemmer_known("porter"));
    CHECK(!imr__stemmer_known("Klingon"));
    imr__stemmer_free(st);
    imr__stemmer_free(NULL);
    sb_stemmer_delete(sb);
}

int main(void)
{
    test_cases();
    test_keep_diacritics();
    test_truncation();
    test_random_bytes();
    test_stem_cache();
    return check_done();
}
