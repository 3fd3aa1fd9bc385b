/*
 * facets.c - item type, body region and guideline sources of an item, from the dictionaries.
 *
 * Design. The rules are those of docs/facets.md; the words are data, in indexer/dict/:
 * item_types.txt, body_regions.txt, guideline_sources.txt and generic_words.txt. Each is
 * compiled once, on first use and thread-safely (pthread_once), into a phrase matcher
 * (match.c), so a facet costs a few hash lookups per word of the text it reads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "parse.h"

/* Kinds of guideline_sources.txt entries beyond the source bits. */
enum gkind { G_SOURCE = 0, G_NEGATE, G_CITE, G_REFER };

#define REGION_IGNORE (-1)
#define TYPE_IGNORE (-2)
#define MAX_MATCHES 32
#define MAX_FRAGMENTS 64

static struct {
    imr__matcher_t *item;     /* item_types.txt: value = index in imr__item_types */
    imr__matcher_t *region;   /* body_regions.txt: value = index in imr__body_regions */
    imr__matcher_t *guide;    /* guideline_sources.txt: value = enum gkind, arg = bit/window */
    imr__matcher_t *generic;  /* generic_words.txt */
    imr__matcher_t *labels;   /* item_labels.txt: value = enum imr__para, arg = form */
    imr__matcher_t *cues;     /* decision_cues.txt: value = enum imr__cue */
    imr__matcher_t *necessity; /* its `necessity` phrases only */
    struct fragment {
        char s[16];           /* a piece of a drug's name, lower case ("gaba") */
        int type;             /* index in imr__item_types */
    } frag[MAX_FRAGMENTS];    /* item_types.txt's `fragment` entries */
    size_t nfrag;
    imr_status_t status;      /* of the one load */
    char msg[512];            /* its error message */
} dicts;

static pthread_once_t dicts_once = PTHREAD_ONCE_INIT;

/* The index of slug in a NULL-terminated table, or -1. */
static int slug_index(const char *const *table, const char *slug)
{
    for (int i = 0; table[i]; i++)
        if (strcmp(table[i], slug) == 0)
            return i;
    return -1;
}

/* IMR_ERR_ARG unless entry e has at least n fields. */
static imr_status_t need_fields(const imr_dict_entry_t *e, int n, imr_error_t *err)
{
    if (e->n_fields < n)
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: expected %d fields", e->file, e->line, n);
    return IMR_OK;
}

/* Dictionary callbacks: one entry of each file into its matcher; IMR_ERR_ARG for a bad
 * entry (unknown slug or kind, bad window), IMR_ERR_NOMEM. */
static imr_status_t add_item_type(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    imr_status_t st = need_fields(e, 2, err);
    if (st != IMR_OK)
        return st;
    int v = strcmp(e->field[1], "ignore") == 0 ? TYPE_IGNORE
                                                : slug_index(imr__item_types, e->field[1]);
    if (v < 0 && v != TYPE_IGNORE)
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: unknown item type \"%s\"", e->file,
                             e->line, e->field[1]);
    int weak = e->n_fields >= 3 && strcmp(e->field[2], "weak") == 0;
    int fragment = e->n_fields >= 3 && strcmp(e->field[2], "fragment") == 0;
    if (e->n_fields >= 3 && !weak && !fragment)
        return imr_error_set(err, IMR_ERR_ARG,
                             "%s:%d: the third field can only be \"weak\" or \"fragment\"",
                             e->file, e->line);
    if (fragment) {
        size_t n = strlen(e->field[0]);
        if (v < 0 || n < 2 || n >= sizeof dicts.frag[0].s || strspn(e->field[0],
            "abcdefghijklmnopqrstuvwxyz") != n || dicts.nfrag == MAX_FRAGMENTS)
            return imr_error_set(err, IMR_ERR_ARG,
                                 "%s:%d: a fragment is one lower-case word of 2 to 15 letters "
                                 "with a type (at most %d fragments)",
                                 e->file, e->line, MAX_FRAGMENTS);
        memcpy(dicts.frag[dicts.nfrag].s, e->field[0], n + 1);
        dicts.frag[dicts.nfrag++].type = v;
        return IMR_OK;
    }
    return imr__matcher_add(dicts.item, e->field[0], v, weak, err);
}

static imr_status_t add_region(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    imr_status_t st = need_fields(e, 2, err);
    if (st != IMR_OK)
        return st;
    int v = strcmp(e->field[1], "ignore") == 0 ? REGION_IGNORE
                                                : slug_index(imr__body_regions, e->field[1]);
    if (v != REGION_IGNORE && (v < 0 || strcmp(e->field[1], "multiple") == 0 ||
                               strcmp(e->field[1], "unspecified") == 0))
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: unknown body region \"%s\"", e->file,
                             e->line, e->field[1]);
    int implied = e->n_fields >= 3 && strcmp(e->field[2], "implied") == 0;
    if (e->n_fields >= 3 && (!implied || v == REGION_IGNORE))
        return imr_error_set(err, IMR_ERR_ARG,
                             "%s:%d: the third field can only be \"implied\", with a region",
                             e->file, e->line);
    return imr__matcher_add(dicts.region, e->field[0], v, implied, err);
}

static imr_status_t add_source(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    imr_status_t st = need_fields(e, 2, err);
    if (st != IMR_OK)
        return st;
    const char *k = e->field[1];
    if (strcmp(k, "negate") == 0) {
        char *end = NULL;
        long w = e->n_fields >= 3 ? strtol(e->field[2], &end, 10) : 0;
        if (e->n_fields < 3 || end == e->field[2] || *end || w < -16 || w > 16)
            return imr_error_set(err, IMR_ERR_ARG, "%s:%d: negate needs a window -16..16",
                                 e->file, e->line);
        return imr__matcher_add(dicts.guide, e->field[0], G_NEGATE, (int)w, err);
    }
    if (strcmp(k, "cite") == 0)
        return imr__matcher_add(dicts.guide, e->field[0], G_CITE, 0, err);
    if (strcmp(k, "refer") == 0)
        return imr__matcher_add(dicts.guide, e->field[0], G_REFER, 0, err);
    for (unsigned bit = 1; bit < IMR_SOURCE_NONE; bit <<= 1)
        if (strcmp(k, imr_source_slug(bit)) == 0)
            return imr__matcher_add(dicts.guide, e->field[0], G_SOURCE, (int)bit, err);
    return imr_error_set(err, IMR_ERR_ARG, "%s:%d: unknown guideline kind \"%s\"", e->file,
                         e->line, k);
}

static imr_status_t add_generic(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    (void)ctx;
    return imr__matcher_add(dicts.generic, e->field[0], 0, 0, err);
}

static imr_status_t add_label(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    static const char *const paras[] = {"claims", "reviewer", "rationale", NULL};
    static const char *const forms[] = {"label", "text", NULL};
    (void)ctx;
    imr_status_t st = need_fields(e, 3, err);
    if (st != IMR_OK)
        return st;
    int para = slug_index(paras, e->field[1]), form = slug_index(forms, e->field[2]);
    if (para < 0 || form < 0)
        return imr_error_set(err, IMR_ERR_ARG,
                             "%s:%d: want `pattern | claims|reviewer|rationale | label|text`",
                             e->file, e->line);
    return imr__matcher_add(dicts.labels, e->field[0], para + 1, form, err);
}

static imr_status_t add_cue(const imr_dict_entry_t *e, void *ctx, imr_error_t *err)
{
    static const char *const kinds[] = {"upheld", "overturned", "negation", "verb",
                                        "necessity", "filler", NULL};
    (void)ctx;
    imr_status_t st = need_fields(e, 2, err);
    if (st != IMR_OK)
        return st;
    int kind = slug_index(kinds, e->field[1]);
    if (kind < 0)
        return imr_error_set(err, IMR_ERR_ARG, "%s:%d: unknown decision cue kind \"%s\"",
                             e->file, e->line, e->field[1]);
    if (kind + 1 == IMR__CUE_NECESSITY &&
        (st = imr__matcher_add(dicts.necessity, e->field[0], kind + 1, 0, err)) != IMR_OK)
        return st;
    return imr__matcher_add(dicts.cues, e->field[0], kind + 1, 0, err);
}

/* Compiles the dictionaries; run once by pthread_once. Keeps the status and message. */
static void load_dicts(void)
{
    imr_error_t err = {0};
    imr_status_t st;
    if ((st = imr__matcher_new(&dicts.item, &err)) == IMR_OK &&
        (st = imr__matcher_new(&dicts.region, &err)) == IMR_OK &&
        (st = imr__matcher_new(&dicts.guide, &err)) == IMR_OK &&
        (st = imr__matcher_new(&dicts.generic, &err)) == IMR_OK &&
        (st = imr__matcher_new(&dicts.labels, &err)) == IMR_OK &&
        (st = imr__matcher_new(&dicts.cues, &err)) == IMR_OK &&
        (st = imr__matcher_new(&dicts.necessity, &err)) == IMR_OK &&
        (st = imr__dict_each("item_types.txt", add_item_type, NULL, &err)) == IMR_OK &&
        (st = imr__dict_each("body_regions.txt", add_region, NULL, &err)) == IMR_OK &&
        (st = imr__dict_each("guideline_sources.txt", add_source, NULL, &err)) == IMR_OK &&
        (st = imr__dict_each("generic_words.txt", add_generic, NULL, &err)) == IMR_OK &&
        (st = imr__dict_each("item_labels.txt", add_label, NULL, &err)) == IMR_OK)
        st = imr__dict_each("decision_cues.txt", add_cue, NULL, &err);
    dicts.status = st;
    if (st != IMR_OK) {
        memcpy(dicts.msg, err.msg, sizeof dicts.msg);
        imr__matcher_t **all[] = {&dicts.item,   &dicts.region, &dicts.guide,    &dicts.generic,
                                  &dicts.labels, &dicts.cues,   &dicts.necessity};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
            imr__matcher_free(*all[i]);
            *all[i] = NULL;
        }
    }
}

const imr__matcher_t *imr__labels(void)
{
    pthread_once(&dicts_once, load_dicts);
    return dicts.labels;
}

const imr__matcher_t *imr__cues(void)
{
    pthread_once(&dicts_once, load_dicts);
    return dicts.cues;
}

const imr__matcher_t *imr__necessity(void)
{
    pthread_once(&dicts_once, load_dicts);
    return dicts.necessity;
}

imr_status_t imr__facets_init(imr_error_t *err)
{
    pthread_once(&dicts_once, load_dicts);
    if (dicts.status != IMR_OK)
        return imr_error_set(err, dicts.status, "dictionary: %s", dicts.msg);
    return IMR_OK;
}

/* Tokenises a span of text into toks (emptied first). */
static imr_status_t tokenize(const char *text, imr_span_t s, imr__toks_t *toks)
{
    imr__toks_reset(toks);
    return imr__toks_add(toks, text + s.off, s.len, s.off);
}

/*
 * The type of a coined name made of pieces of drug names (item_types.txt's fragments), as
 * compounding pharmacies name their creams: GABACYCLOTRAM is gaba + cyclo + tram. The word w
 * (n letters, lower case) must split wholly into two fragments or more; the type is the first
 * fragment's. Returns the index in imr__item_types, or -1.
 */
static int coined_type(const char *w, size_t n)
{
    enum { MAXW = 40 };
    int parts[MAXW + 1], first[MAXW + 1]; /* fragments to reach position i, -1: none */
    if (n < 6 || n > MAXW)
        return -1;
    for (size_t i = 0; i <= n; i++)
        parts[i] = -1;
    parts[0] = 0;
    first[0] = -1;
    for (size_t i = 0; i < n; i++) {
        if (parts[i] < 0)
            continue;
        for (size_t f = 0; f < dicts.nfrag; f++) {
            size_t k = strlen(dicts.frag[f].s);
            if (i + k <= n && memcmp(w + i, dicts.frag[f].s, k) == 0 &&
                (parts[i + k] < 0 || parts[i + k] > parts[i] + 1)) {
                parts[i + k] = parts[i] + 1;
                first[i + k] = i == 0 ? dicts.frag[f].type : first[i];
            }
        }
    }
    return parts[n] >= 2 ? first[n] : -1;
}

imr_status_t imr__item_type(const char *text, imr_span_t item, imr__scratch_t *sc,
                            const char **slug)
{
    imr__match_t m[MAX_MATCHES];
    imr_status_t st = tokenize(text, item, &sc->a);
    *slug = "other";
    if (st != IMR_OK)
        return st;
    uint32_t best = UINT32_MAX;
    int weak = 1; /* no pattern, or only a weak one, matched */
    size_t hidden = 0; /* tokens before this one are inside an `ignore` phrase */
    for (size_t i = 0; i < sc->a.n; i++) {
        size_t k = imr__match_at(dicts.item, &sc->a, i, sc->a.n, m, MAX_MATCHES);
        for (size_t j = 0; j < k && j < MAX_MATCHES; j++)
            if (m[j].value == TYPE_IGNORE && m[j].end > hidden)
                hidden = m[j].end;
        for (size_t j = 0; j < k && j < MAX_MATCHES; j++) {
            if (m[j].value != TYPE_IGNORE && i >= hidden && m[j].pattern < best) {
                best = m[j].pattern;
                weak = m[j].arg;
                *slug = imr__item_types[m[j].value];
            }
        }
    }
    /* No pattern, or only a weak one: the letter's own typo ("Physcial therapy")? */
    uint32_t near = UINT32_MAX;
    for (size_t i = 0; weak && i < sc->a.n; i++)
        if (imr__match_near(dicts.item, &sc->a, i, sc->a.n, 1, m) && m[0].value != TYPE_IGNORE &&
            !m[0].arg && m[0].pattern < near) {
            near = m[0].pattern;
            *slug = imr__item_types[m[0].value];
        }
    /* Still nothing: a coined name ("GABACYCLOTRAM 30 g tube")? */
    for (size_t i = 0; weak && near == UINT32_MAX && i < sc->a.n; i++) {
        int v = coined_type(imr__tok_str(&sc->a, i), sc->a.t[i].len);
        if (v >= 0) {
            *slug = imr__item_types[v];
            break;
        }
    }
    return IMR_OK;
}

/*
 * Does text[s) hold a journal article's reference in the form medical citations use,
 * ";volume(issue):pages" or ";volume:pages" ("Spine (Phila Pa 1976). 2009 May
 * 1;34(10):1066-77")? Such a reference cites `other` evidence whatever the journal's name.
 */
static int article_reference(const char *text, imr_span_t s)
{
    const char *p = text + s.off, *end = p + s.len;
#define DIGITS(q) (q < end && *q >= '0' && *q <= '9')
    for (; p < end; p++) {
        if (*p != ';')
            continue;
        const char *q = p + 1;
        while (q < end && *q == ' ')
            q++;
        if (!DIGITS(q))
            continue;
        while (DIGITS(q))
            q++;
        if (q < end && *q == '(') {
            const char *r = q + 1;
            while (r < end && *r != ')' && r - q < 12)
                r++;
            if (r == end || *r != ')')
                continue;
            q = r + 1;
        }
        if (q + 1 < end && *q == ':' && (q[1] >= '0' && q[1] <= '9'))
            return 1;
    }
#undef DIGITS
    return 0;
}

/* Guideline matches of a token list, and whether any was found. */
static int has_guideline_words(const imr__toks_t *toks)
{
    imr__match_t m[1];
    for (size_t i = 0; i < toks->n; i++)
        if (imr__match_at(dicts.guide, toks, i, toks->n, m, 1))
            return 1;
    return 0;
}

imr_status_t imr__guideline_sources(const char *text, imr_span_t para, imr__scratch_t *sc,
                                    unsigned *sources)
{
    imr__match_t m[MAX_MATCHES];
    imr__toks_t *t = &sc->a;
    imr_status_t st = tokenize(text, para, t);
    *sources = 0;
    if (st != IMR_OK)
        return st;

    /* One pass collects negations, citations and sources, in text order. */
    enum { MAXN = 64 };
    struct gfound {
        uint32_t start, end;
        int kind, arg;
        int negated; /* a source that a negation takes back */
    } f[MAXN];
    size_t nf = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = imr__match_at(dicts.guide, t, i, t->n, m, MAX_MATCHES);
        for (size_t j = 0; j < k && j < MAX_MATCHES && nf < MAXN; j++)
            if (m[j].value != G_REFER)
                f[nf++] = (struct gfound){m[j].start, m[j].end, m[j].value, m[j].arg, 0};
    }
    /* A source is counted unless a negation ends at most `window` words before it. */
    for (size_t a = 0; a < nf; a++) {
        if (f[a].kind != G_SOURCE)
            continue;
        int negated = 0;
        for (size_t b = 0; b < nf && !negated; b++) {
            if (f[b].kind != G_NEGATE)
                continue;
            if (f[b].arg >= 0) /* "Non-MTUS": the source follows the negation */
                negated = f[b].end <= f[a].start && f[a].start <= f[b].end + (uint32_t)f[b].arg;
            else /* "the MTUS is silent": the source comes just before */
                negated = f[a].end <= f[b].start && f[b].start - f[a].end <= (uint32_t)-f[b].arg;
        }
        f[a].negated = negated;
        if (!negated)
            *sources |= (unsigned)f[a].arg;
    }
    /* A citation whose words up to the next citation name no source (but those taken back:
     * "the Spine journal, which is not part of the MTUS") cites other evidence. */
    for (size_t a = 0; a < nf; a++) {
        if (f[a].kind != G_CITE)
            continue;
        uint32_t from = f[a].end, to = (uint32_t)t->n;
        for (size_t b = a + 1; b < nf; b++)
            if (f[b].kind == G_CITE && f[b].start >= from) {
                to = f[b].start;
                break;
            }
        /* Only function words before the next citation ("relied on the Other ...") cite
         * nothing themselves. */
        int words = 0;
        for (uint32_t w = from; w < to && !words; w++)
            words = t->t[w].len >= 2 && !imr__match_at(dicts.generic, t, w, w + 1, m, 1);
        if (!words)
            continue;
        int named = 0;
        for (size_t b = 0; b < nf && !named; b++)
            named = f[b].kind == G_SOURCE && !f[b].negated && f[b].start >= from &&
                    f[b].start < to;
        if (!named)
            *sources |= IMR_SOURCE_OTHER;
    }
    if (article_reference(text, para))
        *sources |= IMR_SOURCE_OTHER;
    if (!*sources)
        *sources = IMR_SOURCE_NONE;
    return IMR_OK;
}

/* ORs into *bits the regions named in tokens [from, to) of toks (bit i = imr__body_regions[i]):
 * those of body_regions.txt's `implied` entries when `implied`, the others when not. */
static void regions_of(const imr__toks_t *toks, size_t from, size_t to, int implied,
                       unsigned *bits)
{
    imr__match_t m[MAX_MATCHES];
    for (size_t i = from; i < to;) {
        size_t k = imr__match_at(dicts.region, toks, i, to, m, MAX_MATCHES);
        if (k == 0) {
            i++;
            continue;
        }
        size_t best = 0;
        for (size_t j = 1; j < k && j < MAX_MATCHES; j++)
            if (m[j].end > m[best].end || (m[j].end == m[best].end && m[j].value < 0))
                best = j;
        if (m[best].value != REGION_IGNORE && m[best].arg == implied)
            *bits |= 1u << m[best].value;
        i = m[best].end;
    }
}

/* Does the period at text[q] end an abbreviation ("No. 3", "Dr. Smith", "e.g.", "J. Smith")? */
static int abbreviation(const char *text, uint32_t from, uint32_t q)
{
    static const char *const abbrevs[] = {"no", "nos", "dr", "drs", "mr", "mrs", "ms", "vs",
                                          "st", "jr", "sr", "inc", "co", "approx", "fig", "pg",
                                          "pp", "vol", "ed", "eg", "ie", "etc", NULL};
    uint32_t w = q;
    while (w > from && ((text[w - 1] >= 'a' && text[w - 1] <= 'z') ||
                        (text[w - 1] >= 'A' && text[w - 1] <= 'Z') || text[w - 1] == '.'))
        w--;
    char word[8];
    size_t n = 0;
    for (uint32_t i = w; i < q; i++) {
        if (text[i] == '.')
            continue;
        if (n + 1 >= sizeof word)
            return 0;
        word[n++] = (char)(text[i] | 0x20);
    }
    word[n] = '\0';
    if (n == 1)
        return 1; /* an initial */
    for (const char *const *a = abbrevs; *a; a++)
        if (strcmp(*a, word) == 0)
            return 1;
    return 0;
}

/*
 * The next sentence of span s from offset *pos: ends after '.', '!' or '?' followed by white
 * space, unless the period ends an abbreviation (a blank line inside a sentence is a page
 * break, not its end). Returns 0 when the span is used up.
 */
static int next_sentence(const char *text, imr_span_t s, uint32_t *pos, imr_span_t *out)
{
    uint32_t end = s.off + s.len, p = *pos;
    while (p < end && (text[p] == ' ' || text[p] == '\n'))
        p++;
    if (p >= end)
        return 0;
    uint32_t q = p;
    while (q < end) {
        char c = text[q];
        if ((c == '.' || c == '!' || c == '?') &&
            (q + 1 == end || text[q + 1] == ' ' || text[q + 1] == '\n') &&
            (c != '.' || !abbreviation(text, p, q))) {
            q++;
            break;
        }
        q++;
    }
    out->off = p;
    out->len = q - p;
    *pos = q;
    return 1;
}

/* Is one of the tokens [from, to) of toks one of the distinctive words in d? */
static int shares_word(const imr__toks_t *toks, size_t from, size_t to, const imr__toks_t *d)
{
    for (size_t i = from; i < to; i++)
        for (size_t j = 0; j < d->n; j++)
            if (toks->t[i].len == d->t[j].len &&
                memcmp(imr__tok_str(toks, i), imr__tok_str(d, j), toks->t[i].len) == 0)
                return 1;
    return 0;
}

/* Is s made of digits only? */
static int is_number(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The body_region slug of a set of region bits: one, multiple or unspecified. */
static const char *region_slug(unsigned bits)
{
    if (!bits)
        return "unspecified";
    if (bits & (bits - 1))
        return "multiple";
    int i = 0;
    while (!(bits & (1u << i)))
        i++;
    return imr__body_regions[i];
}

imr_status_t imr__citation(const char *text, imr_span_t para, unsigned sources,
                           imr__scratch_t *sc, imr_span_t *out)
{
    imr__match_t m[MAX_MATCHES];
    imr__toks_t *t = &sc->a;
    uint32_t end = para.off + para.len, start = para.off;
    *out = (imr_span_t){0, 0};
    if (!para.len || !sources || sources == IMR_SOURCE_NONE)
        return IMR_OK;
    imr_status_t st = tokenize(text, para, t);
    if (st != IMR_OK)
        return st;
    /* The first run of citation words: each one starts where the one before ended. */
    size_t after = SIZE_MAX;
    for (size_t i = 0; i < t->n; i++) {
        if (after != SIZE_MAX && i != after)
            break;
        size_t k = imr__match_at(dicts.guide, t, i, t->n, m, MAX_MATCHES), cite = SIZE_MAX;
        for (size_t j = 0; j < k && j < MAX_MATCHES; j++)
            if (m[j].value == G_CITE && (cite == SIZE_MAX || m[j].end > m[cite].end))
                cite = j;
        if (cite != SIZE_MAX) {
            after = m[cite].end;
            i = after - 1;
        }
    }
    if (after != SIZE_MAX) {
        if (after < t->n && strcmp(imr__tok_str(t, after), "the") == 0)
            after++;
        start = after < t->n ? t->t[after].src : end;
    }
    imr_span_t s;
    uint32_t pos = start;
    if (!next_sentence(text, (imr_span_t){start, end - start}, &pos, &s))
        return IMR_OK;
    /* A relative clause says why, not what: "..., Continuous-flow cryotherapy, which is not
     * part of the MTUS, as the most relevant guideline". */
    for (uint32_t i = 0; i + 7 <= s.len; i++)
        if (memcmp(text + s.off + i, ", which", 7) == 0) {
            s.len = i;
            break;
        }
    while (s.len && (text[s.off + s.len - 1] == '.' || text[s.off + s.len - 1] == ' '))
        s.len--;
    if (s.len > IMR__CITATION_MAX) {
        uint32_t cut = IMR__CITATION_MAX;
        while (cut > 0 && text[s.off + cut] != ' ' && text[s.off + cut] != '\n')
            cut--;
        s.len = cut ? cut : IMR__CITATION_MAX;
        while ((text[s.off + s.len] & 0xC0) == 0x80) /* not inside a UTF-8 character */
            s.len--;
    }
    *out = imr__span_trim(text, s.off, s.off + s.len);
    return IMR_OK;
}

void imr__summary_init(imr__summary_t *sum, const char *text, imr_span_t span)
{
    imr__summary_free(sum);
    sum->text = text;
    sum->span = span;
}

void imr__summary_free(imr__summary_t *sum)
{
    imr__toks_free(&sum->toks);
    free(sum->sent);
    memset(sum, 0, sizeof *sum);
}

/* Cuts the summary into sentences and finds the regions each names, once per letter. */
static imr_status_t summary_sentences(imr__summary_t *sum)
{
    imr_span_t s;
    uint32_t pos = sum->span.off;
    imr__toks_reset(&sum->toks);
    sum->n = 0;
    while (next_sentence(sum->text, sum->span, &pos, &s)) {
        size_t from = sum->toks.n;
        if (imr__toks_add(&sum->toks, sum->text + s.off, s.len, s.off) != IMR_OK)
            return IMR_ERR_NOMEM;
        if (sum->n == sum->cap) {
            size_t cap = sum->cap ? 2 * sum->cap : 16;
            imr__sentence_t *p = realloc(sum->sent, cap * sizeof *p);
            if (!p)
                return IMR_ERR_NOMEM;
            sum->sent = p;
            sum->cap = cap;
        }
        imr__sentence_t *sent = &sum->sent[sum->n++];
        sent->end = (uint32_t)sum->toks.n;
        sent->regions = 0;
        regions_of(&sum->toks, from, sum->toks.n, 0, &sent->regions);
    }
    sum->ready = 1;
    return IMR_OK;
}

/*
 * Keeps in toks only the distinctive words of an item text (see docs/facets.md, body_region
 * step 3): two characters or more, not a number, not glued to a number before it ("x4" in
 * "2x4"), not in generic_words.txt.
 */
static void keep_distinctive(const char *text, imr_span_t item, imr__toks_t *toks)
{
    imr__match_t m[1];
    size_t k = 0;
    for (size_t i = 0; i < toks->n; i++) {
        const char *w = imr__tok_str(toks, i);
        uint32_t src = toks->t[i].src;
        int after_digit = src > item.off && text[src - 1] >= '0' && text[src - 1] <= '9';
        if (toks->t[i].len < 2 || is_number(w) || after_digit ||
            imr__match_at(dicts.generic, toks, i, i + 1, m, 1))
            continue;
        toks->t[k++] = toks->t[i];
    }
    toks->n = k;
}

imr_status_t imr__mentions(const char *text, imr_span_t item, imr_span_t para,
                           imr__scratch_t *sc, size_t *count)
{
    imr_status_t st;
    *count = 0;
    if ((st = tokenize(text, item, &sc->a)) != IMR_OK ||
        (st = tokenize(text, para, &sc->b)) != IMR_OK)
        return st;
    keep_distinctive(text, item, &sc->a);
    size_t to = sc->b.n < 40 ? sc->b.n : 40;
    for (size_t i = 0; i < sc->a.n; i++)
        for (size_t j = 0; j < to; j++)
            if (sc->a.t[i].len == sc->b.t[j].len &&
                memcmp(imr__tok_str(&sc->a, i), imr__tok_str(&sc->b, j), sc->a.t[i].len) == 0) {
                (*count)++;
                break;
            }
    return IMR_OK;
}

imr_status_t imr__body_region(const char *text, imr_span_t item, imr_span_t rationale,
                              imr__summary_t *summary, imr__scratch_t *sc, const char **slug)
{
    unsigned bits = 0;
    imr_status_t st;
    imr_span_t s;
    uint32_t pos;

    /* 1. The item text. */
    if ((st = tokenize(text, item, &sc->a)) != IMR_OK)
        return st;
    regions_of(&sc->a, 0, sc->a.n, 0, &bits);
    unsigned bits_item = bits;

    /* 2. The rationale, without the sentences that cite or paraphrase a guideline. */
    for (pos = rationale.off; !bits_item && next_sentence(text, rationale, &pos, &s);) {
        if ((st = tokenize(text, s, &sc->b)) != IMR_OK)
            return st;
        if (!has_guideline_words(&sc->b))
            regions_of(&sc->b, 0, sc->b.n, 0, &bits);
    }
    /* 3. The summary sentences that share a distinctive word with the item text. */
    if (!bits && summary->span.len) {
        /* sc->a still holds the item's tokens: keep only the distinctive ones. */
        keep_distinctive(text, item, &sc->a);
        size_t k = sc->a.n;
        if (k && !summary->ready && (st = summary_sentences(summary)) != IMR_OK)
            return st;
        /* Only a sentence that would add a region needs the word check. */
        for (size_t j = 0, from = 0; k && j < summary->n; from = summary->sent[j++].end)
            if ((summary->sent[j].regions & ~bits) &&
                shares_word(&summary->toks, from, summary->sent[j].end, &sc->a))
                bits |= summary->sent[j].regions;
    }
    /* 4. Nothing named: the region the item's treatment implies ("Custom orthotics"). */
    if (!bits) {
        if ((st = tokenize(text, item, &sc->a)) != IMR_OK)
            return st;
        regions_of(&sc->a, 0, sc->a.n, 1, &bits);
    }
    *slug = region_slug(bits);
    return IMR_OK;
}
