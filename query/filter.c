/*
 * filter.c - a search's query and filters compiled into one SQL clause.
 *
 * Every filter value a user gives is validated against the canonical values
 * (imr_facet_values()) and then bound as an SQL parameter, never pasted into SQL text. The
 * clause is driven by item_fts when there is a query (CROSS JOIN keeps the full-text index as
 * the outer loop, so a broad filter never turns into one full-text lookup per item) and by
 * item otherwise.
 *
 * When no item has every word. A query typed as a description ("continuous flow cryotherapy
 * unit after shoulder arthroscopy overturned") can hold a word that no item has together with
 * the others, and then lists nothing. When no item's text matches the query's text and the
 * query has RELAX_MIN_WORDS words or more that may be left out (imr__query_optional():
 * unquoted words and synonym forms of its top-level AND), the search leaves words out one at
 * a time, each time the one without which the most items match with the filters (counted up
 * to RELAX_CAP; on a tie, the most items matching the text alone, then the word typed last),
 * until some item's text matches. For such a short query the filters choose the word but
 * never start the relaxation: one whose items all have another decision, region or source
 * lists nothing, rather than items about something else (a false precedent: "tens unit
 * rental knee overturned" must not become overturned knee items of another unit). A query of
 * RELAX_LONG such words or more is a description whose words matter less one by one: it is
 * relaxed until an item matches with the filters. The words left out are listed
 * (imr_query_dropped(), the reading line's "left out"), and the search, its facet counts and
 * the web page all search the query so relaxed. A query that matches nothing down to its last
 * such word, or that has letter-level parts (summary:, letter:), is searched as typed.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "imr_schema.h"
#include "rewrite.h"
#include "search_private.h"

#define RELAX_CAP 1000     /* matches counted when choosing a word to leave out */
#define RELAX_MIN_WORDS 3  /* words that may be left out, for a query to be relaxed */
#define RELAX_LONG 5       /* such words, for the filters to count as well as the text */

/* Edit distance between a and b (both short), for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (tolower((unsigned char)a[i - 1]) != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/*
 * Fills err with `unknown NOUN "value"; NOUNs are: a, b, c` and, when one value is close,
 * ` (did you mean "x"?)` before the list. A list too long for the message is cut after a
 * whole value, with ", ...".
 */
static imr_status_t unknown_value(const char *noun, const char *value, const char *const *valid,
                                  imr_error_t *err)
{
    imr__buf_t list = {0};
    const char *close = NULL;
    size_t best = 3;
    for (size_t i = 0; valid[i]; i++) {
        imr__buf_printf(&list, "%s%s", i ? ", " : "", valid[i]);
        size_t d = edit_distance(value, valid[i]);
        if (d < best && d * 3 <= strlen(valid[i])) {
            best = d;
            close = valid[i];
        }
    }
    /* No close spelling: a unique value that contains what was typed ("tens" -> tens-estim). */
    size_t typed = strlen(value), n_containing = 0;
    for (size_t i = 0; !close && typed >= 3 && valid[i]; i++)
        if (strstr(valid[i], value))
            n_containing++;
    for (size_t i = 0; !close && n_containing == 1 && valid[i]; i++)
        if (strstr(valid[i], value))
            close = valid[i];
    /* What the message holds besides the list (the format below), for the plural 2 more. */
    size_t fixed = 21 + 2 * strlen(noun) + 2 + strlen(value) + (close ? 19 + strlen(close) : 0);
    size_t room = fixed < sizeof err->msg - 16 ? sizeof err->msg - 1 - fixed : 0;
    if (!list.oom && list.len > room) {
        size_t cut = room > 5 ? room - 5 : 0;
        while (cut > 0 && strncmp(list.p + cut, ", ", 2) != 0)
            cut--;
        memcpy(list.p + cut, ", ...", 6);
    }
    /* The plural: "types", "specialties". */
    size_t nl = strlen(noun);
    int y = nl > 0 && noun[nl - 1] == 'y';
    const char *ending = y ? "ies" : "s";
    int stem = (int)(nl - (size_t)y);
    imr_status_t st;
    if (list.oom)
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    else if (close)
        st = imr_error_set(err, IMR_ERR_ARG,
                           "unknown %s \"%s\" (did you mean \"%s\"?); %.*s%s are: %s", noun,
                           value, close, stem, noun, ending, list.p);
    else
        st = imr_error_set(err, IMR_ERR_ARG, "unknown %s \"%s\"; %.*s%s are: %s", noun, value,
                           stem, noun, ending, list.p);
    free(list.p);
    return st;
}

/*
 * Appends to w the parameter of f's next filter value, ?IMR__FILTER_PARAM + n_binds, and
 * records the value (n bytes of s) to bind there.
 */
static imr_status_t add_bind(imr__filter_t *f, imr__buf_t *w, const char *s, size_t n,
                             imr_error_t *err)
{
    imr__buf_printf(w, "?%d", IMR__FILTER_PARAM + f->n_binds);
    if (f->n_binds == (int)(sizeof f->binds / sizeof f->binds[0]))
        return imr_error_set(err, IMR_ERR_ARG, "too many filter values (at most %d)",
                             (int)(sizeof f->binds / sizeof f->binds[0]));
    char *v = malloc(n + 1);
    if (!v)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    memcpy(v, s, n);
    v[n] = '\0';
    f->binds[f->n_binds++] = v;
    return IMR_OK;
}

/*
 * Splits a comma-separated filter into values, checks each against `valid` (lower-cased
 * first), binds them and appends `sql_col IN (?,?,...)` to w, or, when `sources` is set
 * (sql_col is then a column of enum imr_source bits), binds the values' bits as one mask and
 * appends the test that the item has one of them.
 */
static imr_status_t slug_filter(imr__filter_t *f, imr__buf_t *w, const char *noun, const char *list,
                                const char *const *valid, const char *sql_col, int sources,
                                imr_error_t *err)
{
    imr_status_t st = IMR_OK;
    int n = 0;
    unsigned mask = 0;
    if (!sources)
        imr__buf_printf(w, " AND %s IN (", sql_col);
    const char *p = list;
    while (st == IMR_OK && *p) {
        size_t len = strcspn(p, ",");
        char value[64];
        size_t a = 0, z = len;
        while (a < z && isspace((unsigned char)p[a]))
            a++;
        while (z > a && isspace((unsigned char)p[z - 1]))
            z--;
        if (z > a) {
            size_t k = 0;
            for (size_t j = a; j < z && k + 1 < sizeof value; j++)
                value[k++] = (char)tolower((unsigned char)p[j]);
            value[k] = '\0';
            size_t v = 0;
            while (valid[v] && (z - a >= sizeof value || strcmp(valid[v], value) != 0))
                v++;
            if (!valid[v]) {
                char shown[64];
                snprintf(shown, sizeof shown, "%.*s", (int)(z - a), p + a);
                return unknown_value(noun, shown, valid, err);
            }
            if (sources) {
                for (unsigned bit = 1; bit < (1u << IMR_N_SOURCES); bit <<= 1)
                    if (strcmp(imr_source_slug(bit), valid[v]) == 0)
                        mask |= bit;
            } else {
                if (n)
                    imr__buf_adds(w, ",");
                st = add_bind(f, w, valid[v], strlen(valid[v]), err);
            }
            n++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (st == IMR_OK && n == 0)
        return unknown_value(noun, list, valid, err);
    if (st == IMR_OK && sources) {
        char bits[16];
        snprintf(bits, sizeof bits, "%u", mask);
        imr__buf_printf(w, " AND (%s & ", sql_col);
        st = add_bind(f, w, bits, strlen(bits), err);
        imr__buf_adds(w, ") <> 0");
        return st;
    }
    imr__buf_adds(w, ")");
    return st;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

imr_status_t imr_date_bound(const char *text, int upper, const char *what, char out[11],
                            imr_error_t *err)
{
    int y = 0, m = 0, d = 0;
    size_t n = strlen(text);
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (i == 4 || i == 7)
            ok = text[i] == '-';
        else
            ok = isdigit((unsigned char)text[i]) != 0;
    }
    if (ok && (n == 4 || n == 7 || n == 10)) {
        y = atoi(text);
        m = n >= 7 ? atoi(text + 5) : (upper ? 12 : 1);
        d = n == 10 ? atoi(text + 8) : 0;
        if (y < 1900 || y > 2999 || m < 1 || m > 12)
            ok = 0;
        else if (n == 10 && (d < 1 || d > days_in_month(y, m)))
            ok = 0;
        if (n < 10)
            d = upper ? days_in_month(y, m) : 1;
    } else {
        ok = 0;
    }
    if (!ok)
        return imr_error_set(err, IMR_ERR_ARG,
                             "bad date \"%s\" for %s: write YYYY, YYYY-MM or YYYY-MM-DD", text,
                             what);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return IMR_OK;
}

/* Bytes of a --specialty value: a list of slugs or words of slugs. */
#define SPECIALTY_MAX 200

/* Is `word` (n bytes, lower case, words joined by '-') the whole of slug or whole words of it? */
static int slug_has_words(const char *slug, const char *word, size_t n)
{
    for (const char *p = strstr(slug, word); p; p = strstr(p + 1, word))
        if ((p == slug || p[-1] == '-') && (p[n] == '\0' || p[n] == '-'))
            return 1;
    return 0;
}

/*
 * Appends to w the filter of a --specialty list: each comma-separated value (case and the
 * difference of ' ' and '-' ignored) picks every specialty slug (imr_facet_values
 * ("specialty")) it is, or is whole words of ("orthopedic" is orthopedic-surgery, "medicine"
 * every slug that ends so), and the letter must name one of the slugs picked; `unknown` picks
 * the letters that name no specialty. Errors: IMR_ERR_ARG for a list over SPECIALTY_MAX bytes
 * or a value that picks no slug (the message lists the slugs), IMR_ERR_IO when the
 * dictionary cannot be read, IMR_ERR_NOMEM.
 */
static imr_status_t specialty_filter(imr__filter_t *f, imr__buf_t *w, const char *list,
                                     imr_error_t *err)
{
    const char *const *valid = imr_facet_values("specialty");
    size_t len = strlen(list);
    if (!valid)
        return imr_error_set(err, IMR_ERR_IO, "--specialty: the dictionary specialties.txt "
                                              "cannot be read");
    if (len > SPECIALTY_MAX)
        return imr_error_set(err, IMR_ERR_ARG, "--specialty: at most %d bytes, not %zu",
                             SPECIALTY_MAX, len);
    imr_status_t st = IMR_OK;
    int n = 0;
    imr__buf_adds(w, " AND (");
    for (const char *p = list; st == IMR_OK && *p;) {
        size_t k = strcspn(p, ","), o = 0;
        char value[SPECIALTY_MAX + 1];
        for (size_t j = 0; j < k; j++) {
            char c = (char)tolower((unsigned char)p[j]);
            if (c == ' ' || c == '\t' || c == '_')
                c = '-';
            if (c != '-' || (o > 0 && value[o - 1] != '-'))
                value[o++] = c;
        }
        while (o > 0 && value[o - 1] == '-')
            o--;
        value[o] = '\0';
        int picked = 0;
        for (size_t v = 0; o > 0 && st == IMR_OK && valid[v]; v++) {
            if (!slug_has_words(valid[v], value, o))
                continue;
            imr__buf_adds(w, n++ ? " OR " : "");
            if (strcmp(valid[v], "unknown") == 0) {
                imr__buf_adds(w, "l.specialties = ''");
            } else {
                char quoted[64];
                int q = snprintf(quoted, sizeof quoted, ",%s,", valid[v]);
                imr__buf_adds(w, "instr(',' || l.specialties || ',', ");
                st = add_bind(f, w, quoted, (size_t)q, err);
                imr__buf_adds(w, ") > 0");
            }
            picked = 1;
        }
        if (st == IMR_OK && o > 0 && !picked) {
            char shown[SPECIALTY_MAX + 1];
            snprintf(shown, sizeof shown, "%.*s", (int)k, p);
            return unknown_value("specialty", shown, valid, err);
        }
        p += k;
        if (*p == ',')
            p++;
    }
    if (st == IMR_OK && n == 0)
        return unknown_value("specialty", list, valid, err);
    imr__buf_adds(w, ")");
    return st;
}

/*
 * Appends to w the filters of the facets read from f's query (imr_query.h): the field:value
 * forms and decision words as the options' filters, and each group of soft facets (region
 * words, guideline words) as `(the item has one of the facet values OR one of the group's words
 * is in its own text)`. Fills f->boost_args with the groups' facet tests for imr_rank().
 */
static imr_status_t query_facets(imr__filter_t *f, imr__buf_t *w, imr_error_t *err)
{
    static const struct {
        const char *field, *noun, *facet, *col;
        int sources;
    } k_fields[] = {
        {"decision", "decision", "decision", "i.decision", 0},
        {"region", "region", "body_region", "i.body_region", 0},
        {"type", "type", "item_type", "i.item_type", 0},
        {"source", "source", "guideline_source", "i.sources", 1},
    };
    const imr_query_t *q = f->query;
    imr__buf_t boost = {0};
    imr_status_t st = IMR_OK;
    imr__buf_add(&boost, "", 0);
    for (size_t k = 0; st == IMR_OK && k < imr_query_n_facets(q); k++) {
        const imr_query_facet_t *fc = imr_query_facet(q, k);
        if (fc->soft)
            continue;
        /* The facet's filter, " AND cond", into `one`; an excluded facet's as " AND NOT (cond)". */
        imr__buf_t one = {0};
        imr__buf_t *w_facet = w;
        if (fc->negated)
            w = &one;
        size_t d;
        for (d = 0; d < sizeof k_fields / sizeof k_fields[0]; d++)
            if (strcmp(k_fields[d].field, fc->field) == 0)
                break;
        if (d < sizeof k_fields / sizeof k_fields[0]) {
            st = slug_filter(f, w, k_fields[d].noun, fc->value,
                             imr_facet_values(k_fields[d].facet), k_fields[d].col,
                             k_fields[d].sources, err);
        } else if (strcmp(fc->field, "year") == 0) {
            char from[11];
            char what[64];
            snprintf(what, sizeof what, "year:%s", fc->value);
            if (strlen(fc->value) != 4)
                st = imr_error_set(err, IMR_ERR_QUERY, "%s: write the year as YYYY", what);
            /* The item's year is its letter's: the decision date's, or what else dates it. */
            if (st == IMR_OK && (st = imr_date_bound(fc->value, 0, what, from, err)) == IMR_OK) {
                imr__buf_adds(w, " AND i.year = ");
                st = add_bind(f, w, fc->value, 4, err);
            }
        } else { /* case */
            imr__buf_adds(w, " AND l.case_number = ");
            st = add_bind(f, w, fc->value, strlen(fc->value), err);
            imr__buf_adds(w, " COLLATE NOCASE");
        }
        w = w_facet;
        if (fc->negated && st == IMR_OK && one.p)
            imr__buf_printf(w, " AND NOT (%s)", one.p + 5);
        if (one.oom && st == IMR_OK)
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        free(one.p);
    }
    /* The soft groups: region words, then guideline words. */
    static const char *const groups[2] = {"region", "source"};
    for (int g = 0; st == IMR_OK && g < 2; g++) {
        imr__buf_t values = {0}, agree = {0}, text = {0};
        unsigned mask = 0;
        int n = 0;
        for (size_t k = 0; k < imr_query_n_facets(q); k++) {
            const imr_query_facet_t *fc = imr_query_facet(q, k);
            if (!fc->soft || strcmp(fc->field, groups[g]) != 0)
                continue;
            if (fc->phrase >= 0)
                mask |= 1u << (fc->phrase - imr_query_n_scored(q));
            else
                imr__buf_printf(&text, "%s%s", n ? " OR " : "", fc->probe);
            imr__buf_printf(&values, "%s%s", n ? "," : "", fc->value);
            n++;
        }
        if (n) {
            st = slug_filter(f, &agree, k_fields[g == 0 ? 1 : 3].noun, values.p,
                             imr_facet_values(k_fields[g == 0 ? 1 : 3].facet),
                             k_fields[g == 0 ? 1 : 3].col, g == 1, err);
            /* slug_filter() wrote " AND cond": the condition is after the " AND ". */
            const char *cond = agree.p ? agree.p + 5 : "";
            imr__buf_printf(w, " AND (%s OR ", cond);
            if (mask) {
                imr__buf_printf(w, "imr_probe(" IMR_TABLE_ITEM_FTS ", %d, %u))",
                                imr_query_n_scored(q), mask);
                imr__buf_printf(&boost, ", (%s)", cond);
                f->probe_mask[f->n_groups++] = mask;
                f->uses_functions = 1;
            } else if (st == IMR_OK) {
                imr__buf_adds(w, "i.id IN (SELECT rowid FROM " IMR_TABLE_ITEM_FTS " WHERE "
                                 IMR_TABLE_ITEM_FTS " MATCH ");
                st = add_bind(f, w, text.p, text.len, err);
                imr__buf_adds(w, "))");
            }
        }
        if (values.oom || agree.oom || text.oom)
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        free(values.p);
        free(agree.p);
        free(text.p);
    }
    if (boost.oom && st == IMR_OK)
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (st != IMR_OK) {
        free(boost.p);
        return st;
    }
    f->boost_args = boost.p;
    return IMR_OK;
}

/* Compiles the clause of f->query (set) and opts into f. */
static imr_status_t compile_clause(const imr_search_opts_t *opts, int join_letter,
                                   imr__filter_t *f, imr_error_t *err)
{
    static const char *const layouts[] = {"0", "1", "2", "3", NULL};
    imr__buf_t w = {0};
    imr_status_t st = IMR_OK;

    f->match = imr_query_fts5(f->query);
    f->match_letter = imr_query_fts5_letter(f->query);
    f->has_query = f->match || f->match_letter;

    int join = join_letter & ~IMR__ITEM_OPTIONAL;
    int facet_letter = 0, facet_item = 0; /* the query's facets read letter l, item i */
    for (size_t k = 0; k < imr_query_n_facets(f->query); k++) {
        const char *field = imr_query_facet(f->query, k)->field;
        facet_item = 1;
        facet_letter |= strcmp(field, "case") == 0;
    }
    int need_letter = facet_letter || join == IMR__JOIN_ALWAYS ||
                      (join == IMR__JOIN_LISTING && !f->has_query) ||
                      (join == IMR__JOIN_QUERY && f->has_query) || opts->specialty ||
                      opts->layout || opts->date_from || opts->date_to;
    int need_item = !f->match || !(join_letter & IMR__ITEM_OPTIONAL) || need_letter || facet_item ||
                    opts->decision || opts->item_type || opts->body_region || opts->source ||
                    opts->claims_source;
    if (f->match)
        imr__buf_adds(&w, "FROM " IMR_TABLE_ITEM_FTS " f");
    if (f->match && need_item)
        imr__buf_adds(&w, " CROSS JOIN " IMR_TABLE_ITEM " i ON i.id = f.rowid");
    else if (f->match_letter && !f->match)
        imr__buf_adds(&w, "FROM " IMR_TABLE_LETTER_FTS " lf CROSS JOIN " IMR_TABLE_ITEM
                          " i ON " IMR_SQL_ITEMS_OF("i.id", "lf.rowid"));
    else if (!f->match)
        imr__buf_adds(&w, "FROM " IMR_TABLE_ITEM " i");
    if (need_letter)
        imr__buf_adds(&w, " JOIN " IMR_TABLE_LETTER " l ON l.id = i.letter_id");
    if (f->match && f->match_letter)
        imr__buf_adds(&w, " WHERE " IMR_TABLE_ITEM_FTS " MATCH ?1 AND f.rowid / "
                          IMR_XSTR(IMR_ITEMS_PER_LETTER) " IN (SELECT rowid FROM "
                          IMR_TABLE_LETTER_FTS " WHERE " IMR_TABLE_LETTER_FTS " MATCH ?2)");
    else if (f->match)
        imr__buf_adds(&w, " WHERE " IMR_TABLE_ITEM_FTS " MATCH ?1");
    else if (f->match_letter)
        imr__buf_adds(&w, " WHERE " IMR_TABLE_LETTER_FTS " MATCH ?1");
    else
        imr__buf_adds(&w, " WHERE 1");
    f->joins_item = need_item;
    f->filters_at = w.len;
    f->joins_letter = need_letter;

    if (opts->decision)
        st = slug_filter(f, &w, "decision", opts->decision, imr_facet_values("decision"),
                         "i.decision", 0, err);
    if (st == IMR_OK && opts->item_type)
        st = slug_filter(f, &w, "type", opts->item_type, imr_facet_values("item_type"),
                         "i.item_type", 0, err);
    if (st == IMR_OK && opts->body_region)
        st = slug_filter(f, &w, "region", opts->body_region, imr_facet_values("body_region"),
                         "i.body_region", 0, err);
    if (st == IMR_OK && opts->source)
        st = slug_filter(f, &w, "source", opts->source, imr_facet_values("guideline_source"),
                         "i.sources", 1, err);
    if (st == IMR_OK && opts->claims_source)
        st = slug_filter(f, &w, "claims source", opts->claims_source,
                         imr_facet_values("guideline_source"), "i.ca_sources", 1, err);
    if (st == IMR_OK && opts->layout) {
        /* Bound as text, then compared as an integer. */
        st = slug_filter(f, &w, "layout", opts->layout, layouts, "CAST(l.layout AS TEXT)", 0,
                         err);
    }
    if (st == IMR_OK && opts->specialty)
        st = specialty_filter(f, &w, opts->specialty, err);
    if (st == IMR_OK)
        st = query_facets(f, &w, err);
    const char *exclude = imr_query_fts5_exclude(f->query);
    if (st == IMR_OK && exclude) {
        imr__buf_adds(&w, " AND i.id NOT IN (SELECT rowid FROM " IMR_TABLE_ITEM_FTS " WHERE "
                          IMR_TABLE_ITEM_FTS " MATCH ");
        st = add_bind(f, &w, exclude, strlen(exclude), err);
        imr__buf_adds(&w, ")");
    }
    char from[11] = "", to[11] = "";
    if (st == IMR_OK && opts->date_from)
        st = imr_date_bound(opts->date_from, 0, "--from", from, err);
    if (st == IMR_OK && opts->date_to)
        st = imr_date_bound(opts->date_to, 1, "--to", to, err);
    if (st == IMR_OK && *from && *to && strcmp(from, to) > 0)
        st = imr_error_set(err, IMR_ERR_ARG, "--from %s is after --to %s", opts->date_from,
                           opts->date_to);
    /* A letter without a decision date is compared by its year (letter.year, from what else
       it prints): a bound in its year keeps it. A letter with no year is left out. */
    if (*from || *to) {
        f->dates_at = w.len;
        f->n_binds_dates = f->n_binds;
    }
    if (st == IMR_OK && *from) {
        imr__buf_adds(&w, " AND (l.decision_date >= ");
        st = add_bind(f, &w, from, strlen(from), err);
        imr__buf_adds(&w, " OR (l.decision_date = '' AND l.year >= ");
        if (st == IMR_OK)
            st = add_bind(f, &w, from, 4, err);
        imr__buf_adds(&w, "))");
    }
    if (st == IMR_OK && *to) {
        imr__buf_adds(&w, " AND (l.decision_date <> '' AND l.decision_date <= ");
        st = add_bind(f, &w, to, strlen(to), err);
        imr__buf_adds(&w, " OR (l.decision_date = '' AND l.year <> '' AND l.year <= ");
        if (st == IMR_OK)
            st = add_bind(f, &w, to, 4, err);
        imr__buf_adds(&w, "))");
    }
    if (st == IMR_OK && w.oom)
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (st != IMR_OK) {
        free(w.p);
        return st;
    }
    f->from_where = w.p;
    return IMR_OK;
}

/* *n: the items f matches, up to cap, or with text_only those its item_fts expression
   matches, without the filters. */
static imr_status_t count_matches(imr_db_t *db, const imr__filter_t *f, int text_only, int cap,
                                  long long *n, imr_error_t *err)
{
    *n = 0;
    if (text_only && !f->match)
        return IMR_OK;
    imr__buf_t sql = {0};
    if (text_only)
        imr__buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 FROM " IMR_TABLE_ITEM_FTS " WHERE "
                              IMR_TABLE_ITEM_FTS " MATCH ?1 LIMIT %d)", cap);
    else
        imr__buf_printf(&sql, "SELECT count(*) FROM (SELECT 1 %s LIMIT %d)", f->from_where, cap);
    if (sql.oom) {
        free(sql.p);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(imr_db_sqlite(db), sql.p, -1, &st, NULL);
    free(sql.p);
    if (rc == SQLITE_OK)
        rc = text_only ? sqlite3_bind_text(st, 1, f->match, -1, SQLITE_STATIC)
                       : imr__filter_bind(f, st);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? IMR_OK : imr_db_fail(db, rc, "counting the matches", err);
}

/* Leaves words out of f's query while no item's text matches it (the design note's "When no
   item has every word"); f is replaced by the relaxed search when one's text matches. */
static imr_status_t relax(imr_db_t *db, const imr_search_opts_t *opts, int join_letter,
                          imr__filter_t *f, imr_error_t *err)
{
    long long n;
    int by_filters = imr__query_n_optional(f->query) >= RELAX_LONG;
    /* imr_probe() for the soft facets of f and of the candidates; then whether anything matches
       as typed, which the first match answers. */
    imr_status_t st = imr__functions_register(db, err);
    if (st == IMR_OK)
        st = count_matches(db, f, !by_filters, 1, &n, err);
    imr__filter_t cur = {0}; /* the query so far relaxed (cur.query NULL: none yet) */
    while (st == IMR_OK && n == 0) {
        const imr__filter_t *from = cur.query ? &cur : f;
        size_t k = imr__query_n_optional(from->query);
        if (k < 2)
            break;
        imr__filter_t best = {0};
        long long best_n = -1, best_text = -1;
        for (size_t i = 0; st == IMR_OK && i < k; i++) {
            size_t pos, len;
            imr__query_optional(from->query, i, &pos, &len);
            imr__filter_t g = {0};
            long long gn = 0, gt = 0;
            st = imr__query_rewritten(from->query, pos, len, &g.query, err);
            if (st == IMR_ERR_QUERY) { /* what is left does not parse: keep the word */
                st = IMR_OK;
                continue;
            }
            if (st == IMR_OK)
                st = compile_clause(opts, join_letter, &g, err);
            if (st == IMR_OK)
                st = count_matches(db, &g, 0, RELAX_CAP, &gn, err);
            if (st == IMR_OK)
                st = count_matches(db, &g, 1, RELAX_CAP, &gt, err);
            if (st == IMR_OK && (gn > best_n || (gn == best_n && gt >= best_text))) {
                imr__filter_clear(&best);
                best = g;
                best_n = gn;
                best_text = gt;
            } else {
                imr__filter_clear(&g);
            }
        }
        if (st != IMR_OK || !best.query) {
            imr__filter_clear(&best);
            break;
        }
        imr__filter_clear(&cur);
        cur = best;
        n = by_filters ? best_n : best_text;
    }
    if (st == IMR_OK && n > 0 && cur.query) {
        imr__filter_clear(f);
        *f = cur;
    } else {
        imr__filter_clear(&cur);
    }
    return st;
}

imr_status_t imr__filter_compile(imr_db_t *db, const imr_search_opts_t *opts, int join_letter,
                                 imr__filter_t *f, imr_error_t *err)
{
    memset(f, 0, sizeof *f);
    imr_status_t st = imr_query_parse_flags(opts->query ? opts->query : "",
                                            opts->literal ? IMR_QUERY_LITERAL : 0, &f->query, err);
    if (st == IMR_OK)
        st = imr_query_correct(db, &f->query, err);
    if (st == IMR_OK)
        st = compile_clause(opts, join_letter, f, err);
    if (st == IMR_OK && f->match && !f->match_letter && !opts->literal &&
        imr__query_n_optional(f->query) >= RELAX_MIN_WORDS)
        st = relax(db, opts, join_letter, f, err);
    if (st != IMR_OK)
        imr__filter_clear(f);
    return st;
}

/* Binds the match expressions (when any, from ?1) and the first n filter values to stmt. */
static int bind_first(const imr__filter_t *f, sqlite3_stmt *stmt, int n)
{
    int rc = SQLITE_OK, idx = 1;
    if (f->match)
        rc = sqlite3_bind_text(stmt, idx++, f->match, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && f->match_letter)
        rc = sqlite3_bind_text(stmt, idx++, f->match_letter, -1, SQLITE_STATIC);
    for (int i = 0; rc == SQLITE_OK && i < n; i++)
        rc = sqlite3_bind_text(stmt, IMR__FILTER_PARAM + i, f->binds[i], -1, SQLITE_STATIC);
    return rc;
}

int imr__filter_bind(const imr__filter_t *f, sqlite3_stmt *stmt)
{
    return bind_first(f, stmt, f->n_binds);
}

imr_status_t imr__filter_undated(imr_db_t *db, const imr__filter_t *f, uint64_t *n,
                                 imr_error_t *err)
{
    *n = 0;
    if (!f->dates_at)
        return IMR_OK;
    imr_status_t st = f->uses_functions ? imr__functions_register(db, err) : IMR_OK;
    if (st != IMR_OK)
        return st;
    imr__buf_t sql = {0};
    imr__buf_printf(&sql, "SELECT count(DISTINCT i.letter_id) %.*s AND l.year = ''",
                    (int)f->dates_at, f->from_where);
    if (sql.oom) {
        free(sql.p);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(imr_db_sqlite(db), sql.p, -1, &stmt, NULL);
    free(sql.p);
    /* The clause without its date filters, whose values are the last ones. */
    if (rc == SQLITE_OK)
        rc = bind_first(f, stmt, f->n_binds_dates);
    if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        *n = (uint64_t)sqlite3_column_int64(stmt, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_OK ? IMR_OK : imr_db_fail(db, rc, "counting the undated letters", err);
}

void imr__filter_clear(imr__filter_t *f)
{
    imr_query_free(f->query);
    free(f->from_where);
    free(f->boost_args);
    for (int i = 0; i < f->n_binds; i++)
        free(f->binds[i]);
    memset(f, 0, sizeof *f);
}
