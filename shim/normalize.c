/*
 * normalize.c - word segmentation and normalisation for the `imr` tokenizer.
 *
 * Design. Letters are mostly ASCII, so the scanner has two speeds. While a token's bytes are
 * ASCII it classifies each byte from a 128-entry table and writes the lower-cased byte
 * straight into the token buffer: no decoding, no utf8proc call. The first non-ASCII byte in
 * a token only marks it; when the token ends, its original bytes are normalised again by the
 * slow path, which decodes each character, decomposes it with utf8proc_decompose_char()
 * (compatibility forms, case folding and, when asked, mark stripping), puts combining marks
 * in canonical order, recomposes (so the result is NFKC case-folded) and encodes it back.
 * Both paths write into the caller's fixed buffer: nothing is allocated per token.
 *
 * The rules themselves are listed in normalize.h.
 */
#include <string.h>

#include <utf8proc.h>

#include "normalize.h"

/* Character classes the segmentation rules use. */
enum {
    C_SEP = 0, /* separates tokens */
    C_LET,     /* letter */
    C_DIG,     /* number */
    C_MARK,    /* combining mark */
    C_APOS,    /* apostrophe: in a token only between two letters */
    C_FMT,     /* format character: dropped between two token characters */
    C_HIGH     /* a byte of 0x80 or more: decode it to know */
};

/* Classes of all byte values; every byte from 0x80 up is C_HIGH and needs decoding. */
/* clang-format off */
#define S_ C_SEP
#define L_ C_LET
#define D_ C_DIG
#define A_ C_APOS
#define H_ C_HIGH
#define H16_ H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_
static const unsigned char byte_class[256] = {
    S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, /* 0x00 */
    S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, /* 0x10 */
    S_, S_, S_, S_, S_, S_, S_, A_, S_, S_, S_, S_, S_, S_, S_, S_, /* 0x20  !"#$%&'()*+,-./ */
    D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, S_, S_, S_, S_, S_, S_, /* 0x30 0-9 :;<=>? */
    S_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, /* 0x40 @A-O */
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, S_, S_, S_, S_, S_, /* 0x50 P-Z [\]^_ */
    S_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, /* 0x60 `a-o */
    L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, S_, S_, S_, S_, S_, /* 0x70 p-z {|}~ DEL */
    H16_, H16_, H16_, H16_, H16_, H16_, H16_, H16_,                 /* 0x80-0xFF */
};
/* clang-format on */
#undef H16_
#undef H_
#undef A_

/* utf8proc options of the slow path; UTF8PROC_STRIPMARK is added when diacritics go. */
#define NORM_OPTIONS (UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE)

/* Codepoints one character may decompose into; the longest in Unicode 15 is 18 (U+FDFA). */
#define DECOMP_MAX 32

/* The class of a codepoint by its Unicode general category alone: L* letter, M* mark, N*
   digit, Cf format, anything else a separator. */
static int category_class(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return C_LET;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_DIG;
    case UTF8PROC_CATEGORY_CF:
        return C_FMT;
    default:
        return C_SEP;
    }
}

/* Returns the class of a non-ASCII codepoint. */
static int classify_cp(utf8proc_int32_t cp)
{
    if (cp == 0x2019) /* RIGHT SINGLE QUOTATION MARK, the usual typographic apostrophe */
        return C_APOS;
    if (cp == 0x200B) /* ZERO WIDTH SPACE is Cf but means a word break */
        return C_SEP;
    return category_class(cp);
}

int imr__is_letter_or_digit(int32_t cp)
{
    int cls = cp >= 0 && cp < 0x80 ? byte_class[cp] : cp < 0 ? C_SEP : classify_cp(cp);
    return cls == C_LET || cls == C_DIG;
}

/* Returns 1 when a decomposed codepoint may appear in a normalised token: a letter, a mark or
   a number (L*, M*, N*). */
static int keep_cp(utf8proc_int32_t cp)
{
    int cls = category_class(cp);
    return cls == C_LET || cls == C_MARK || cls == C_DIG;
}

/*
 * Returns the class of the character at byte `pos` of the text and stores its length in
 * *len. Past the end it returns C_SEP with *len 0. A byte that does not start a valid UTF-8
 * sequence is a one-byte C_SEP.
 */
static int class_at(const imr__scan_t *s, int pos, int *len)
{
    if (pos >= s->n) {
        *len = 0;
        return C_SEP;
    }
    unsigned char c = s->text[pos];
    if (c < 0x80) {
        *len = 1;
        return byte_class[c];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t r = utf8proc_iterate(s->text + pos, s->n - pos, &cp);
    if (r < 0) {
        *len = 1;
        return C_SEP;
    }
    *len = (int)r;
    return classify_cp(cp);
}

/* Returns 1 for the classes that make up tokens. */
static int is_token_class(int cls)
{
    return cls == C_LET || cls == C_DIG || cls == C_MARK;
}

/* Puts combining marks in canonical order (a stable sort of each run by combining class). */
static void canonical_order(utf8proc_int32_t *cp, int n)
{
    for (int i = 1; i < n; i++) {
        int cc = utf8proc_get_property(cp[i])->combining_class;
        if (cc == 0)
            continue;
        for (int j = i; j > 0; j--) {
            int pc = utf8proc_get_property(cp[j - 1])->combining_class;
            if (pc <= cc)
                break;
            utf8proc_int32_t t = cp[j];
            cp[j] = cp[j - 1];
            cp[j - 1] = t;
        }
    }
}

/*
 * The slow path: normalises the original bytes [start, end) of a token that holds a
 * non-ASCII character into buf (IMR__TOKEN_MAX bytes and a NUL). Returns the number of bytes
 * written, or IMR__SCAN_ERROR when utf8proc fails.
 */
static int normalize_slow(const imr__scan_t *s, int start, int end, char *buf)
{
    utf8proc_int32_t cps[IMR__TOKEN_MAX];
    utf8proc_option_t opts = NORM_OPTIONS | (s->remove_diacritics ? UTF8PROC_STRIPMARK : 0);
    int ncp = 0;

    for (int pos = start; pos < end && ncp < IMR__TOKEN_MAX;) {
        utf8proc_int32_t cp;
        unsigned char c = s->text[pos];
        if (c < 0x80) {
            cp = c;
            pos++;
        } else {
            utf8proc_ssize_t r = utf8proc_iterate(s->text + pos, end - pos, &cp);
            if (r < 0) /* the scanner only puts valid characters in a token */
                return IMR__SCAN_ERROR;
            pos += (int)r;
        }
        if (cp == '\'' || cp == 0x2019) {
            cps[ncp++] = '\'';
            continue;
        }
        if (cp < 0x80) {
            cps[ncp++] = (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
            continue;
        }
        if (classify_cp(cp) == C_FMT)
            continue;
        utf8proc_int32_t d[DECOMP_MAX];
        utf8proc_ssize_t nd = utf8proc_decompose_char(cp, d, DECOMP_MAX, opts, NULL);
        if (nd < 0 || nd > DECOMP_MAX)
            return IMR__SCAN_ERROR;
        for (utf8proc_ssize_t i = 0; i < nd && ncp < IMR__TOKEN_MAX; i++)
            if (keep_cp(d[i]))
                cps[ncp++] = d[i];
    }
    if (ncp == 0)
        return 0;
    canonical_order(cps, ncp);
    utf8proc_ssize_t m = utf8proc_normalize_utf32(cps, ncp, UTF8PROC_COMPOSE);
    if (m < 0)
        return IMR__SCAN_ERROR;

    int out = 0;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t k = utf8proc_encode_char(cps[i], enc);
        if (k <= 0)
            return IMR__SCAN_ERROR;
        if (out + k > IMR__TOKEN_MAX)
            break;
        memcpy(buf + out, enc, (size_t)k);
        out += (int)k;
    }
    return out;
}

/* Returns 1 when text[a, b) is one of the dashes or the slash that join spinal levels. */
static int is_level_joiner(const imr__scan_t *s, int a, int b)
{
    if (a < 0)
        return 0;
    const unsigned char *t = s->text + a;
    if (b - a == 1)
        return t[0] == '-' || t[0] == '/';
    if (b - a != 3)
        return 0;
    /* U+2010 HYPHEN .. U+2013 EN DASH are E2 80 90 .. E2 80 93. */
    if (t[0] == 0xE2 && t[1] == 0x80 && t[2] >= 0x90 && t[2] <= 0x93)
        return 1;
    /* U+FF0D FULLWIDTH HYPHEN-MINUS and U+FF0F FULLWIDTH SOLIDUS are EF BC 8D and EF BC 8F. */
    return t[0] == 0xEF && t[1] == 0xBC && (t[2] == 0x8D || t[2] == 0x8F);
}

/* Returns 1 when t[0, n) is one or two ASCII digits. */
static int short_number(const char *t, int n)
{
    for (int i = 0; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return 0;
    return n >= 1 && n <= 2;
}

/* Returns the letter when t[0, n) (normalised) is a spinal level such as c5 or l12, else 0. */
static char level_letter(const char *t, int n)
{
    if (n < 2 || (t[0] != 'c' && t[0] != 't' && t[0] != 'l' && t[0] != 's'))
        return 0;
    return short_number(t + 1, n - 1) ? t[0] : 0;
}

void imr__scan_init(imr__scan_t *scan, const char *text, int n, int remove_diacritics)
{
    scan->text = (const unsigned char *)text;
    scan->n = text ? n : 0;
    scan->pos = 0;
    scan->remove_diacritics = remove_diacritics;
    scan->prev_end = -1;
    scan->prev_level = 0;
}

int imr__scan_next(imr__scan_t *s, imr__token_t *tok)
{
    const unsigned char *t = s->text;
    int len, cls;

    for (;;) {
        /* Skip separators. */
        int pos = s->pos, n = s->n;
        while (pos < n) {
            cls = byte_class[t[pos]];
            if (cls == C_SEP || cls == C_APOS) {
                pos++;
                continue;
            }
            if (cls == C_HIGH && !is_token_class(cls = class_at(s, pos, &len))) {
                pos += len;
                continue;
            }
            break;
        }
        s->pos = pos;
        if (pos >= n)
            return IMR__SCAN_END;

        /*
         * Find the end of the token, lower-casing ASCII into the buffer and hashing it on the
         * way: a run of ASCII letters, the common case, takes the tight inner loop.
         */
        int start = pos, out = 0, prev = C_SEP, non_ascii = 0, has_digit = 0;
        unsigned hash = 0;
        char *buf = tok->buf;
        for (;;) {
            if (prev != C_DIG && pos < n && byte_class[t[pos]] == C_LET) {
                /* Find the run's end first, then copy what fits: two tight loops. */
                int run = pos;
                do
                    pos++;
                while (pos < n && byte_class[t[pos]] == C_LET);
                int take = pos - run < IMR__TOKEN_MAX - out ? pos - run : IMR__TOKEN_MAX - out;
                for (int k = 0; k < take; k++) {
                    unsigned char lc = t[run + k] | 0x20;
                    buf[out + k] = (char)lc;
                    hash = IMR__HASH_STEP(hash, lc);
                }
                out += take;
                prev = C_LET;
            }
            if (pos >= n)
                break;
            unsigned char c = t[pos];
            cls = byte_class[c];
            if (cls == C_DIG) {
                if (out < IMR__TOKEN_MAX) {
                    buf[out++] = (char)c;
                    hash = IMR__HASH_STEP(hash, c);
                }
                prev = C_DIG;
                has_digit = 1;
                pos++;
                continue;
            }
            if (cls == C_APOS) {
                if (prev != C_LET || class_at(s, pos + 1, &len) != C_LET)
                    break;
                if (out < IMR__TOKEN_MAX) {
                    buf[out++] = '\'';
                    hash = IMR__HASH_STEP(hash, '\'');
                }
                pos++;
                continue;
            }
            if (cls != C_HIGH) /* a separator, or a letter after a digit */
                break;
            cls = class_at(s, pos, &len);
            if (cls == C_LET) {
                if (prev == C_DIG)
                    break;
                prev = C_LET;
            } else if (cls == C_DIG) {
                prev = C_DIG;
                has_digit = 1;
            } else if (cls == C_APOS) {
                int next_len;
                if (prev != C_LET || class_at(s, pos + len, &next_len) != C_LET)
                    break;
            } else if (cls == C_FMT) {
                int next_len, next = class_at(s, pos + len, &next_len);
                if (!is_token_class(next) || (prev == C_DIG && next == C_LET))
                    break;
            } else if (cls != C_MARK) {
                break;
            }
            non_ascii = 1;
            pos += len;
        }
        s->pos = pos;

        if (non_ascii) {
            out = normalize_slow(s, start, pos, buf);
            if (out < 0)
                return IMR__SCAN_ERROR;
            hash = imr__word_hash(buf, out);
        }
        if (out == 0) { /* nothing left after normalisation: not a token */
            s->prev_level = 0;
            continue;
        }

        /* Spinal levels: "C5-6" -> c5 c6. */
        char level;
        if (s->prev_level && short_number(buf, out) && is_level_joiner(s, s->prev_end, start)) {
            memmove(buf + 1, buf, (size_t)out);
            buf[0] = s->prev_level;
            out++;
            level = s->prev_level;
            hash = imr__word_hash(buf, out);
        } else {
            level = level_letter(buf, out);
        }
        buf[out] = '\0';
        s->prev_level = level;
        s->prev_end = pos;

        tok->start = start;
        tok->end = pos;
        tok->len = out;
        tok->has_digit = has_digit;
        tok->hash = hash;
        return IMR__SCAN_TOKEN;
    }
}
