/*
 * text.c - from the bytes of a letter file to its cleaned text.
 *
 * Design. The letters are text extracted from PDFs: lines wrapped near 100 columns, each
 * followed by an empty line, trailing spaces, page footers, words hyphenated across line
 * breaks, occasional Windows-1252 bytes. Cleaning undoes exactly these artefacts and nothing
 * else, so the cleaned text keeps the words as written and snippets read naturally:
 *
 *   1. UTF-16 with a byte order mark becomes UTF-8. Refuse what is not letter text: empty,
 *      NUL bytes or many control bytes, a PDF.
 *   2. Decode as a careful reader would a file that mixes encodings: each valid UTF-8
 *      sequence is UTF-8, each other byte Windows-1252 (with a warning), so a Latin-1 byte
 *      beside a UTF-8 ligature costs neither its word. A byte that neither reads (0x81, 0x8D,
 *      0x8F, 0x90, 0x9D; an unpaired UTF-16 surrogate) becomes U+FFFD, with a warning.
 *      On the way NBSP becomes a space, ligatures (U+FB00..U+FB06) their letters, tabs
 *      spaces; soft hyphens, BOMs and control characters go.
 *   3. Split lines at CRLF, CR, LF and form feed; trim spaces at both ends of each line. A
 *      form feed ends a page (PDF text comes so, pdf.c): each line keeps its page, and the
 *      cleaned text records where each page starts.
 *   4. When most lines are followed by an empty line, drop one empty line after each line:
 *      what remains empty (often a line that held one space) is a paragraph break.
 *   5. Drop page footers (`Page 2 of 4`, `2 of 4`), collapse runs of blank lines, drop blank lines at
 *      both ends.
 *   6. Join words hyphenated across a line break (and a page break): `cryo-`/`therapy` ->
 *      `cryotherapy`, `OFFI-`/`CIAL` -> `OFFICIAL`; `L5-`/`S1` -> `L5-S1`, `Back-`/`Lumbar`
 *      and `non-`/`surgical` -> `non-surgical` keep the hyphen (the next part starts with a
 *      digit or a capital, or the first part is a common prefix). The joined word moves up;
 *      the line break stays after it.
 *   7. Put a space into sentences run together: `acupuncture.Utilization` ->
 *      `acupuncture. Utilization`, but not `e.g.`, `10.5` or `U.S.`.
 * Lines stay wrapped; the parser joins what it needs. Every step is linear in the input.
 */
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "parse.h"

/* A growable byte buffer. */
typedef struct buf {
    char *p;
    size_t n, cap;
} buf_t;

/* Makes room for `extra` more bytes and a NUL; returns 0 when memory runs out. */
static int buf_grow(buf_t *b, size_t extra)
{
    if (b->n + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return 0;
    b->p = p;
    b->cap = cap;
    return 1;
}

/* Appends n bytes; returns 0 when memory runs out. */
static int buf_put(buf_t *b, const char *s, size_t n)
{
    if (!buf_grow(b, n))
        return 0;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    return 1;
}

/* Appends one byte; returns 0 when memory runs out. */
static int buf_putc(buf_t *b, char c)
{
    return buf_put(b, &c, 1);
}

/* Code points of Windows-1252 bytes 0x80..0x9F; 0 where the code page leaves a byte unused. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Returns the length of the valid UTF-8 sequence at s (n bytes left) and its code point. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Appends code point cp encoded as UTF-8; returns 0 when memory runs out. */
static int put_utf8(buf_t *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    }
    return buf_put(b, u, n);
}

/* Writes one decoded code point with the substitutions of step 2. */
static int put_cp(buf_t *b, uint32_t cp)
{
    static const char *const ligatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    if (cp == '\n' || cp == '\r' || cp == '\f')
        return buf_putc(b, (char)cp);
    if (cp == '\t' || cp == '\v' || cp == 0xA0 || cp == 0x2007 || cp == 0x202F)
        return buf_putc(b, ' ');
    if (cp == 0x2028 || cp == 0x2029)
        return buf_putc(b, '\n');
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xAD || cp == 0xFEFF)
        return 1;
    if (cp >= 0xFB00 && cp <= 0xFB06)
        return buf_put(b, ligatures[cp - 0xFB00], strlen(ligatures[cp - 0xFB00]));
    return put_utf8(b, cp);
}

/*
 * Step 2: decodes the bytes into b, each valid UTF-8 sequence as UTF-8 and every other byte as
 * Windows-1252; ORs IMR_WARN_NOT_UTF8 into *warnings when a byte was read so, and adds to
 * *unreadable the bytes that neither reads (written as U+FFFD).
 */
static int decode(const unsigned char *s, size_t n, unsigned *warnings, size_t *unreadable,
                  buf_t *b)
{
    if (!buf_grow(b, n + n / 8))
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            /* Plain ASCII runs are copied in one go. */
            size_t j = i + 1;
            while (j < n && s[j] >= 0x20 && s[j] < 0x7F)
                j++;
            if (!buf_put(b, (const char *)s + i, j - i))
                return 0;
            i = j;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k) {
            i += k;
        } else {
            *warnings |= IMR_WARN_NOT_UTF8;
            cp = c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
            if (!cp) {
                cp = 0xFFFD;
                ++*unreadable;
            }
            i++;
        }
        if (!put_cp(b, cp))
            return 0;
    }
    return 1;
}

int imr__text_utf16(const char *bytes, size_t len)
{
    const unsigned char *s = (const unsigned char *)bytes;
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return 1;
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return 2;
    return 0;
}

/*
 * Transcodes UTF-16 after its byte order mark (little-endian when le) into UTF-8 in b; adds
 * to *unreadable the code units that make no character (an unpaired surrogate, a final odd
 * byte), written as U+FFFD.
 */
static int utf16_to_utf8(const unsigned char *s, size_t n, int le, size_t *unreadable, buf_t *b)
{
    if (!buf_grow(b, n + n / 2))
        return 0;
    for (size_t i = 2; i < n; i += 2) {
        if (i + 1 >= n) {
            ++*unreadable;
            if (!put_utf8(b, 0xFFFD))
                return 0;
            break;
        }
        uint32_t u = le ? (uint32_t)(s[i] | s[i + 1] << 8) : (uint32_t)(s[i] << 8 | s[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t v = le ? (uint32_t)(s[i + 2] | s[i + 3] << 8)
                            : (uint32_t)(s[i + 2] << 8 | s[i + 3]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD;
            ++*unreadable;
        }
        if (!put_utf8(b, u))
            return 0;
    }
    return 1;
}

/* One line of the decoded text during cleaning. */
typedef struct cline {
    size_t off, len; /* trimmed text */
    int raw_empty;   /* the line had no character at all before trimming */
    uint32_t page;   /* form feeds before the line */
} cline_t;

/* A footer line: "Page 2 of 4" (any case) or "2 of 4", nothing else on the line. */
static int is_footer(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 5 && (s[0] == 'P' || s[0] == 'p') && strncmp(s + 1, "age ", 4) == 0)
        i = 5;
    size_t d = i;
    while (i < n && imr__is_digit(s[i]))
        i++;
    if (i == d || i + 4 > n || (s[i] != ' ') || (s[i + 1] != 'o' && s[i + 1] != 'O') ||
        (s[i + 2] != 'f' && s[i + 2] != 'F') || s[i + 3] != ' ')
        return 0;
    i += 4;
    d = i;
    while (i < n && imr__is_digit(s[i]))
        i++;
    return i > d && i == n;
}

/*
 * First parts of words whose hyphen at a line break is kept ("non-surgical", "self-directed",
 * "long-term", "re-evaluation"). Short on purpose: a long word broken at an inserted hyphen
 * ("pre-"/"scribed", "sub-"/"sequently") must be joined without it, so only prefixes that
 * rarely begin an unhyphenated word are listed; dictionaries also list joined forms
 * ("postconcussion"). "follow" keeps it before "up".
 */
static const char *const keep_hyphen_words[] = {
    "anti", "bi",   "co",    "de",    "ex",  "high", "in", "long", "low", "multi", "non", "on",
    "one",  "post", "re",    "self",  "semi", "short", "three", "two", "un", "up", "well", "x",
    NULL};

/* Does the word w[0, n) before a line-end hyphen keep it, the next line starting next? */
static int keeps_hyphen(const char *w, size_t n, const char *next, size_t nn)
{
    char low[16];
    if (n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)imr__lower(w[i]);
    low[n] = '\0';
    if (strcmp(low, "follow") == 0)
        return nn >= 2 && next[0] == 'u' && next[1] == 'p' && (nn == 2 || !imr__is_alnum(next[2]));
    for (const char *const *p = keep_hyphen_words; *p; p++)
        if (strcmp(*p, low) == 0)
            return 1;
    return 0;
}

/* Step 7: writes s[0, n) into b, putting a space after a period between run-together
 * sentences ("pain.Utilization"). */
static int put_fixed(buf_t *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 2; i + 2 < n; i++) {
        const char *dot = memchr(s + i, '.', n - 2 - i);
        if (!dot)
            break;
        i = (size_t)(dot - s);
        int before =
            (imr__is_lower(s[i - 1]) || imr__is_digit(s[i - 1])) && imr__is_alnum(s[i - 2]);
        int after = imr__is_upper(s[i + 1]) && (imr__is_upper(s[i + 2]) || imr__is_lower(s[i + 2]));
        if (before && after) {
            if (!buf_put(b, s + from, i + 1 - from) || !buf_putc(b, ' '))
                return 0;
            from = i + 1;
        }
    }
    return buf_put(b, s + from, n - from);
}

/*
 * Step 6: how a line (cur, cn bytes) ends and the next one (next, nn bytes) begins decide
 * whether a word hyphenated at the break is joined: returns 0 (no), 1 (join, drop the
 * hyphen) or 2 (join, keep the hyphen).
 */
static int hyphen_join(const char *cur, size_t cn, const char *next, size_t nn)
{
    if (cn < 2 || nn == 0 || cur[cn - 1] != '-')
        return 0;
    size_t e = cn - 1; /* index of the hyphen */
    int prev = cur[e - 1], nx = next[0];
    if (!imr__is_alnum(prev))
        return 0;
    size_t w = e;
    while (w > 0 && imr__is_alnum(cur[w - 1]))
        w--;
    if (imr__is_digit(nx) || imr__is_digit(prev))
        return imr__is_digit(nx) || imr__is_upper(nx) ? 2 : 0; /* "L5-"/"S1", "C4-"/"C5" */
    if (imr__is_upper(nx)) {
        /* An upper-case word broken in two ("OFFI-"/"CIAL") loses the hyphen; a short
         * acronym or a prefix ("ODG-"/"TWC", "NON-"/"MTUS") and "Back-"/"Lumbar" keep it. */
        int upper_word = 1;
        for (size_t k = w; k < e; k++)
            upper_word &= imr__is_upper(cur[k]);
        int upper_next = nn >= 2 && imr__is_upper(next[1]);
        if (upper_word && upper_next && e - w > 3 && !keeps_hyphen(cur + w, e - w, next, nn))
            return 1;
        return 2;
    }
    if (!imr__is_lower(nx))
        return 0;
    if (imr__is_lower(prev))
        return keeps_hyphen(cur + w, e - w, next, nn) ? 2 : 1;
    return 2; /* a capital before the hyphen: "X-"/"ray", "H-"/"wave", "MTUS-"/"adopted" */
}

/* Frees the transcoded UTF-16, if any, and refuses the file with message msg. */
static imr_status_t refuse(buf_t *u16, imr_error_t *err, const char *msg)
{
    free(u16->p);
    return imr_error_set(err, IMR_ERR_INPUT, "%s", msg);
}

imr_status_t imr__text_clean(const char *bytes, size_t len, char **out, size_t *out_len,
                             uint32_t **pages, size_t *n_pages, unsigned *warnings,
                             imr_error_t *err)
{
    const unsigned char *s = (const unsigned char *)bytes;
    *out = NULL;
    *out_len = 0;
    *pages = NULL;
    *n_pages = 0;

    /* Step 1: UTF-16 (it has a byte order mark) becomes UTF-8; refuse what is not text. */
    buf_t dec = {0}, res = {0}, line = {0}, u16 = {0};
    size_t unreadable = 0;
    int utf16 = imr__text_utf16(bytes, len);
    if (utf16) {
        if (!utf16_to_utf8(s, len, utf16 == 1, &unreadable, &u16)) {
            free(u16.p);
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory cleaning a letter");
        }
        s = (const unsigned char *)u16.p;
        len = u16.n;
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        s += 3, len -= 3;
    size_t lead = 0, controls = 0;
    while (lead < len && (s[lead] == ' ' || (s[lead] >= '\t' && s[lead] <= '\r')))
        lead++;
    if (lead == len)
        return refuse(&u16, err, "empty file");
    if (len - lead >= 4 && memcmp(s + lead, "%PDF", 4) == 0)
        return refuse(&u16, err, "a PDF, not text (imrindex reads its text)");
    int plain = 1; /* printable ASCII and '\n' only */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    for (size_t i = 0; i < len; i++) {
        /* Eight printable ASCII bytes at a time: none >= 0x80, < 0x20 or == 0x7F. */
        while (i + 8 <= len) {
            uint64_t x, del;
            memcpy(&x, s + i, 8);
            del = x ^ (0x7F * ones);
            if (((x | ((x - 0x20 * ones) & ~x) | ((del - ones) & ~del)) & highs) != 0)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = s[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\n')
            continue;
        plain = 0;
        if (c == '\0')
            return refuse(&u16, err, "binary file (NUL bytes)");
        if (c < 0x80 && (c == 0x7F || c < '\t' || c > '\r'))
            controls++;
    }
    if (controls * 20 > len)
        return refuse(&u16, err, "binary file (control characters)");

    /* Step 2: decode. */
    cline_t *lines = NULL;
    uint32_t *starts = NULL, page = 0, last_page = 0; /* last_page: of the last text line */
    int paged = 0;                                    /* a form feed was met */
    imr_status_t st = IMR_ERR_NOMEM;
    /* Plain text needs no decoding: it is read in place. */
    const char *dp = (const char *)s;
    size_t dn = len;
    if (!plain) {
        if (!decode(s, len, warnings, &unreadable, &dec))
            goto done;
        dp = dec.p;
        dn = dec.n;
    }
    if (unreadable)
        *warnings |= IMR_WARN_UNREADABLE;

    /* Step 3: lines, trimmed. */
    size_t n = 0, cap = 64;
    if (!(lines = malloc(cap * sizeof *lines)))
        goto done;
    for (size_t i = 0; i <= dn;) {
        size_t j = i;
        if (plain) {
            const char *nl = memchr(dp + i, '\n', dn - i);
            j = nl ? (size_t)(nl - dp) : dn;
        } else {
            while (j < dn && dp[j] != '\n' && dp[j] != '\r' && dp[j] != '\f')
                j++;
        }
        if (j == dn && i == j && n > 0)
            break; /* no empty line after the final line break */
        if (n == cap) {
            cline_t *g = realloc(lines, (cap *= 2) * sizeof *lines);
            if (!g)
                goto done;
            lines = g;
        }
        size_t a = i, z = j;
        while (a < z && dp[a] == ' ')
            a++;
        while (z > a && dp[z - 1] == ' ')
            z--;
        lines[n++] = (cline_t){a, z - a, i == j, page};
        if (z > a)
            last_page = page;
        if (j < dn && dp[j] == '\f')
            page++, paged = 1;
        if (j < dn && dp[j] == '\r' && j + 1 < dn && dp[j + 1] == '\n')
            j++;
        i = j + 1;
    }

    /* Step 4: the empty line PDF extraction leaves after every line. */
    size_t content = 0, followed = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!lines[i].raw_empty) {
            content++;
            followed += lines[i + 1].raw_empty;
        }
    }
    if (content >= 2 && followed * 2 > content) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            lines[k++] = lines[i];
            if (i + 1 < n && lines[i + 1].raw_empty)
                i++;
        }
        n = k;
    }

    /* Step 5: footers, runs of blank lines, blank lines at the ends. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_footer(dp + lines[i].off, lines[i].len))
            continue;
        if (lines[i].len == 0 && (k == 0 || lines[k - 1].len == 0))
            continue;
        lines[k++] = lines[i];
    }
    while (k > 0 && lines[k - 1].len == 0)
        k--;
    n = k;

    /* Steps 6 and 7: join hyphenated words, write the lines, note where pages start. */
    if (!buf_grow(&res, dn))
        goto done;
    size_t n_starts = paged ? (size_t)last_page + 1 : 0, started = 0;
    if (n_starts && !(starts = malloc(n_starts * sizeof *starts)))
        goto done;
    for (size_t i = 0; i < n;) {
        while (started < n_starts && started <= lines[i].page)
            starts[started++] = (uint32_t)(res.n + (res.n > 0));
        line.n = 0;
        if (!buf_put(&line, dp + lines[i].off, lines[i].len))
            goto done;
        size_t j = i + 1;
        int join;
        for (;;) {
            /* No paragraph ends in a hyphen: a blank line after one is a page break. */
            if (j + 1 < n && lines[j].len == 0 &&
                hyphen_join(line.p, line.n, dp + lines[j + 1].off, lines[j + 1].len))
                j++;
            if (j >= n ||
                !(join = hyphen_join(line.p, line.n, dp + lines[j].off, lines[j].len)))
                break;
            /* The first word of the next line moves up; the hyphen stays when join == 2. */
            cline_t *nx = &lines[j];
            size_t w = 0;
            while (w < nx->len && dp[nx->off + w] != ' ')
                w++;
            if (join == 1)
                line.n--;
            if (!buf_put(&line, dp + nx->off, w))
                goto done;
            while (w < nx->len && dp[nx->off + w] == ' ')
                w++;
            nx->off += w;
            nx->len -= w;
            if (nx->len > 0)
                break;
            j++; /* that line was one word: it goes, with its line break */
        }
        if ((res.n > 0 && !buf_putc(&res, '\n')) || !put_fixed(&res, line.p, line.n))
            goto done;
        i = j;
    }
    while (started < n_starts)
        starts[started++] = (uint32_t)res.n;
    st = IMR_OK;
done:
    free(lines);
    free(dec.p);
    free(u16.p);
    free(line.p);
    if (st != IMR_OK || (!res.p && !buf_grow(&res, 0))) {
        free(res.p);
        free(starts);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory cleaning a letter");
    }
    res.p[res.n] = '\0';
    *out = res.p;
    *out_len = res.n;
    *pages = starts;
    *n_pages = n_starts;
    return IMR_OK;
}
