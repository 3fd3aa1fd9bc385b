/*
 * facets_query.c - exact facet counts over the items that match a search, and database totals.
 *
 * Design. One statement walks the matching items (the same FROM/WHERE as the search, see
 * filter.c) and returns, per item, the columns of every facet asked for; nothing is ranked and
 * no snippet is made. Each value is interned into a small per-facet table as it streams by and
 * the item keeps only the value's index (a bit mask for the guideline sources, a set), so any
 * number of one-facet tables and cross tables are counted from one walk of the full-text
 * index, and an item with several sources counts once in each source's cell but once only in
 * every total. A letter's specialties are a set too, stored comma-joined
 * (letter.specialties): the walk interns the joined text, of which there are few, and only
 * the tables split each joined value into its slugs, so an item of an
 * "anesthesiology,pain-medicine" letter counts once in each of the two rows.
 *
 * The pseudo-item of a letter no item was read from (item.placeholder: an unparsed letter, or
 * one whose decisions section gave no item) is no item a reader would count: the walk leaves
 * it out of every table and total, and counts its letter instead (imr_facets_left_out()).
 *
 * A serving connection (IMR_DB_SERVE, the web server's) keeps a facet cache: every item's
 * value indexes, in item id order, read once from the item and letter tables and kept while
 * PRAGMA data_version says no other connection has committed. A count then asks SQL only for
 * the ids of the matching items (the full-text index alone, unless a filter reads a column)
 * and reads their facets from memory instead of looking each item row up; with no query and
 * no filter it reads no SQL at all. A one-query connection (the command line) keeps nothing:
 * building the cache costs more than one count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "db_private.h"
#include "imr_schema.h"
#include "search_private.h"

enum facet_id {
    F_TYPE, F_REGION, F_SOURCE, F_DECISION, F_SPECIALTY, F_YEAR, F_CLAIMS, N_FACETS
};

static const char *const facet_names[] = {"type",      "region", "source",        "decision",
                                          "specialty", "year",   "claims-source", NULL};
static const char *const facet_long_names[] = {"item_type", "body_region", "guideline_source",
                                               "decision",  "specialty",   "year",
                                               "claims_source"};
/* The SQL expression that gives each facet's value(s) of item i (letter l). */
static const char *const facet_sql[] = {
    "i.item_type",
    "i.body_region",
    "i.sources", /* enum imr_source bits: a set */
    "i.decision",
    "l.specialties", /* comma-joined slugs: a set, split by the tables */
    "i.year",
    "i.ca_sources", /* the claims administrator's set, the same bits */
};

/* Is a facet a set of guideline-source bits? */
static int is_source_set(int dim)
{
    return dim == F_SOURCE || dim == F_CLAIMS;
}

const char *const *imr_facet_names(void)
{
    return facet_names;
}

/* Interned values of one facet: an open-addressing hash of strings to indexes. */
typedef struct intern {
    char **value; /* n values in order of first appearance, owned */
    size_t n, cap;
    uint32_t *slot; /* hash slots: index + 1, 0 = empty */
    size_t n_slots; /* a power of two */
} intern_t;

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void intern_free(intern_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->value[i]);
    free(t->value);
    free(t->slot);
}

/* Returns the index of s (n bytes) in t, adding it when new; -1 when out of memory. */
static long intern(intern_t *t, const char *s, size_t n)
{
    if (t->n * 2 >= t->n_slots) {
        size_t ns = t->n_slots ? t->n_slots * 2 : 64;
        uint32_t *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < t->n; i++) {
            size_t k = hash_str(t->value[i], strlen(t->value[i])) & (ns - 1);
            while (slot[k])
                k = (k + 1) & (ns - 1);
            slot[k] = (uint32_t)i + 1;
        }
        free(t->slot);
        t->slot = slot;
        t->n_slots = ns;
    }
    size_t k = hash_str(s, n) & (t->n_slots - 1);
    while (t->slot[k]) {
        const char *v = t->value[t->slot[k] - 1];
        if (strncmp(v, s, n) == 0 && v[n] == '\0')
            return (long)t->slot[k] - 1;
        k = (k + 1) & (t->n_slots - 1);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **v = realloc(t->value, cap * sizeof *v);
        if (!v)
            return -1;
        t->value = v;
        t->cap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    t->value[t->n] = copy;
    t->slot[k] = (uint32_t)t->n + 1;
    return (long)t->n++;
}

/*
 * Sets of[id], for every letter id up to max_letter, to its reviewer specialties (the joined
 * slugs) interned into `values` ("unknown" when empty or when there is no such letter). Used
 * for a count without a query: the letter table is then read once, in order, instead of once
 * per item.
 */
static imr_status_t specialty_values(imr_db_t *db, int64_t max_letter, intern_t *values,
                                     uint32_t *of, imr_error_t *err)
{
    sqlite3_stmt *st = NULL;
    long unknown = intern(values, "unknown", 7);
    if (unknown < 0)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    for (int64_t i = 0; i <= max_letter; i++)
        of[i] = (uint32_t)unknown;
    int rc = sqlite3_prepare_v2(imr_db_sqlite(db), "SELECT id, specialties FROM " IMR_TABLE_LETTER,
                                -1, &st, NULL);
    imr_status_t status = IMR_OK;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        int64_t id = sqlite3_column_int64(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        size_t len = v ? (size_t)sqlite3_column_bytes(st, 1) : 0;
        if (id < 0 || id > max_letter)
            continue;
        long idx = len ? intern(values, v, len) : unknown;
        if (idx < 0) {
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            break;
        }
        of[id] = (uint32_t)idx;
    }
    sqlite3_finalize(st);
    if (status == IMR_OK && rc != SQLITE_DONE)
        status = imr_db_fail(db, rc, "reading the letters' facets", err);
    return status;
}

/*
 * The value indexes of one item from a statement whose columns from col on are facet_sql[]'s,
 * for the facets `used` (0 for the others): strings interned into values ("unknown" when
 * empty), source sets as their bits. Errors: IMR_ERR_NOMEM.
 */
static imr_status_t read_values(intern_t *values, sqlite3_stmt *st, int col, const int *used,
                                uint32_t *row, imr_error_t *err)
{
    for (int d = 0; d < N_FACETS; d++) {
        row[d] = 0;
        if (!used[d])
            continue;
        if (is_source_set(d)) {
            row[d] = (uint32_t)sqlite3_column_int(st, col + d);
            continue;
        }
        const char *v = (const char *)sqlite3_column_text(st, col + d);
        size_t len = v ? (size_t)sqlite3_column_bytes(st, col + d) : 0;
        if (len == 0) {
            v = "unknown";
            len = 7;
        }
        long idx = intern(&values[d], v, len);
        if (idx < 0)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        row[d] = (uint32_t)idx;
    }
    return IMR_OK;
}

/* A serving connection's facet cache (see the design note). */
typedef struct facet_cache {
    long long data_version; /* PRAGMA data_version when it was read */
    intern_t values[N_FACETS]; /* the strings the indexes stand for (not the source sets) */
    int64_t max_letter;
    uint32_t *first;   /* max_letter + 2 entries: the index of each letter's first item */
    uint16_t *pos;     /* per item: its position in its letter (id % IMR_ITEMS_PER_LETTER) */
    unsigned char *placeholder; /* per item: 1 for a letter's pseudo-item */
    uint32_t *row;     /* per item: N_FACETS value indexes or source bits */
    size_t n;          /* items */
} facet_cache_t;

static void cache_free(void *p)
{
    facet_cache_t *c = p;
    if (!c)
        return;
    for (int d = 0; d < N_FACETS; d++)
        intern_free(&c->values[d]);
    free(c->first);
    free(c->pos);
    free(c->placeholder);
    free(c->row);
    free(c);
}

/* Reads every item's facets into a new cache *out. Errors: the database's, IMR_ERR_NOMEM. */
static imr_status_t cache_build(imr_db_t *db, long long version, facet_cache_t **out,
                                imr_error_t *err)
{
    static const int all[N_FACETS] = {1, 1, 1, 1, 1, 1, 1};
    facet_cache_t *c = calloc(1, sizeof *c);
    imr__buf_t q = {0};
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    imr_status_t status = c ? imr__max_letter(db, &c->max_letter, err)
                            : imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    *out = NULL;
    if (status != IMR_OK)
        goto done;
    c->data_version = version;
    if (!(c->first = calloc((size_t)c->max_letter + 2, sizeof *c->first))) {
        status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        goto done;
    }
    imr__buf_adds(&q, "SELECT i.id, i.placeholder");
    for (int d = 0; d < N_FACETS; d++)
        imr__buf_printf(&q, ", %s", facet_sql[d]);
    imr__buf_adds(&q, " FROM " IMR_TABLE_ITEM " i JOIN " IMR_TABLE_LETTER
                      " l ON l.id = i.letter_id ORDER BY i.id");
    int rc = q.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(imr_db_sqlite(db), q.p, -1, &st, NULL);
    int64_t letter = 0; /* letters up to this one have their first[] */
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        int64_t id = sqlite3_column_int64(st, 0), l = id / IMR_ITEMS_PER_LETTER;
        if (l > c->max_letter) /* ids ascend, so letters never go back */
            continue;
        if (c->n == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            uint16_t *pos = realloc(c->pos, ncap * sizeof *pos);
            if (pos)
                c->pos = pos;
            unsigned char *ph = pos ? realloc(c->placeholder, ncap) : NULL;
            if (ph)
                c->placeholder = ph;
            uint32_t *row = ph ? realloc(c->row, ncap * N_FACETS * sizeof *row) : NULL;
            if (!row) {
                status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
                break;
            }
            c->row = row;
            cap = ncap;
        }
        while (letter <= l)
            c->first[letter++] = (uint32_t)c->n;
        c->pos[c->n] = (uint16_t)(id % IMR_ITEMS_PER_LETTER);
        c->placeholder[c->n] = sqlite3_column_int(st, 1) != 0;
        if ((status = read_values(c->values, st, 2, all, c->row + c->n * N_FACETS, err)) != IMR_OK)
            break;
        c->n++;
    }
    while (letter <= c->max_letter + 1)
        c->first[letter++] = (uint32_t)c->n;
    if (status == IMR_OK && rc != SQLITE_DONE)
        status = imr_db_fail(db, rc, "reading the items' facets", err);
done:
    sqlite3_finalize(st);
    free(q.p);
    if (status != IMR_OK) {
        cache_free(c);
        return status;
    }
    *out = c;
    return IMR_OK;
}

/*
 * The facet cache of db for its current read, built or built again when another connection
 * has committed since; NULL for a connection that keeps none. Errors: the database's,
 * IMR_ERR_NOMEM.
 */
static imr_status_t cache_get(imr_db_t *db, facet_cache_t **out, imr_error_t *err)
{
    imr__db_cache_t *slot = imr__db_cache(db);
    long long version;
    *out = NULL;
    if (!slot)
        return IMR_OK;
    int rc = imr__db_int(imr_db_sqlite(db), "PRAGMA data_version", &version);
    if (rc != SQLITE_OK)
        return imr_db_fail(db, rc, "reading the data version", err);
    facet_cache_t *c = slot->p;
    if (c && c->data_version == version) {
        *out = c;
        return IMR_OK;
    }
    cache_free(c);
    slot->p = NULL;
    slot->free = cache_free;
    imr_status_t st = cache_build(db, version, &c, err);
    if (st == IMR_OK)
        *out = slot->p = c;
    return st;
}

/* The index in the cache of item id, or -1 when the cache does not hold it. */
static long long cache_find(const facet_cache_t *c, int64_t id)
{
    int64_t l = id / IMR_ITEMS_PER_LETTER;
    if (id < 0 || l > c->max_letter)
        return -1;
    for (uint32_t k = c->first[l]; k < c->first[l + 1]; k++)
        if (c->pos[k] == id % IMR_ITEMS_PER_LETTER)
            return k;
    return -1;
}

/* A table being counted; the public view points into it. */
typedef struct table {
    imr_facet_table_t pub;
    int dim[2]; /* enum facet_id; dim[1] -1 for one facet */
    uint64_t *count, *row_total, *col_total, *row_upheld, *row_overturned;
    const char **row_value, **col_value;
} table_t;

/* The largest set of values an item has in one facet (guideline sources, specialties). */
#define MAX_SET 16

struct imr_facets {
    table_t *tables;
    size_t n;
    intern_t values[N_FACETS];
    intern_t specialty;      /* the slugs of the joined values[F_SPECIALTY] */
    uint32_t *slugs_of;      /* per values[F_SPECIALTY] value: MAX_SET + 1 entries, the count
                                of its slugs then their indexes in `specialty` */
    uint64_t items, letters;
    uint64_t undated;   /* letters the date filters left out (imr_facets_undated_letters) */
    uint64_t left_out;       /* letters whose placeholder item matched, not counted */
    imr_query_t *query; /* the query as the counts read it, owned */
};

size_t imr_facets_count(const imr_facets_t *f)
{
    return f->n;
}

const imr_facet_table_t *imr_facets_table(const imr_facets_t *f, size_t i)
{
    return i < f->n ? &f->tables[i].pub : NULL;
}

uint64_t imr_facets_total_items(const imr_facets_t *f)
{
    return f->items;
}

uint64_t imr_facets_total_letters(const imr_facets_t *f)
{
    return f->letters;
}

uint64_t imr_facets_undated_letters(const imr_facets_t *f)
{
    return f->undated;
}

uint64_t imr_facets_left_out(const imr_facets_t *f)
{
    return f->left_out;
}

const imr_query_t *imr_facets_query(const imr_facets_t *f)
{
    return f->query;
}

void imr_facets_free(imr_facets_t *f)
{
    if (!f)
        return;
    imr_query_free(f->query);
    for (size_t i = 0; i < f->n; i++) {
        free(f->tables[i].count);
        free(f->tables[i].row_total);
        free(f->tables[i].col_total);
        free(f->tables[i].row_upheld);
        free(f->tables[i].row_overturned);
        free(f->tables[i].row_value);
        free(f->tables[i].col_value);
    }
    free(f->tables);
    for (int d = 0; d < N_FACETS; d++)
        intern_free(&f->values[d]);
    intern_free(&f->specialty);
    free(f->slugs_of);
    free(f);
}

/* The facet called name (short or long form), or -1 with the error filled. */
static int facet_id(const char *name, imr_error_t *err)
{
    for (int d = 0; d < N_FACETS; d++)
        if (strcmp(name, facet_names[d]) == 0 || strcmp(name, facet_long_names[d]) == 0)
            return d;
    imr_error_set(err, IMR_ERR_ARG,
                  "unknown facet \"%s\"; facets are: type, region, source, decision, specialty, "
                  "year, claims-source",
                  name);
    return -1;
}

imr_status_t imr_facet_check(const char *name, imr_error_t *err)
{
    return facet_id(name, err) < 0 ? err->status : IMR_OK;
}

/* Sorting of a table's values, by facet: see imr_facet_table_t. */
typedef struct order_ctx {
    int dim;
    const char *const *value;
    const uint64_t *total;
} order_ctx_t;

static int natural_rank(int dim, const char *v)
{
    if (dim == F_DECISION) {
        const char *const *canon = imr_facet_values("decision");
        for (int i = 0; canon && canon[i]; i++)
            if (strcmp(canon[i], v) == 0)
                return i;
        return 99;
    }
    return strcmp(v, "unknown") == 0; /* year: unknown last */
}

/* Sorts idx[0..n) by the facet's order. Insertion sort: a facet has few values. */
static void order_values(const order_ctx_t *c, size_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t x = idx[i], j = i;
        while (j > 0) {
            size_t y = idx[j - 1];
            int cmp;
            if (c->dim == F_DECISION || c->dim == F_YEAR) {
                cmp = natural_rank(c->dim, c->value[y]) - natural_rank(c->dim, c->value[x]);
                if (cmp == 0)
                    cmp = strcmp(c->value[y], c->value[x]);
            } else {
                cmp = c->total[y] < c->total[x] ? 1 : c->total[y] > c->total[x] ? -1 : 0;
                if (cmp == 0)
                    cmp = strcmp(c->value[y], c->value[x]);
            }
            if (cmp <= 0)
                break;
            idx[j] = y;
            j--;
        }
        idx[j] = x;
    }
}

/*
 * Splits every joined specialty value of f into its slugs (f->specialty, f->slugs_of), at
 * most MAX_SET of each. Errors: IMR_ERR_NOMEM.
 */
static imr_status_t split_specialties(imr_facets_t *f, imr_error_t *err)
{
    const intern_t *joined = &f->values[F_SPECIALTY];
    if (!(f->slugs_of = malloc((joined->n ? joined->n : 1) * (MAX_SET + 1) * sizeof *f->slugs_of)))
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    for (size_t v = 0; v < joined->n; v++) {
        uint32_t *of = f->slugs_of + v * (MAX_SET + 1);
        of[0] = 0;
        for (const char *p = joined->value[v]; *p && of[0] < MAX_SET;) {
            size_t k = strcspn(p, ",");
            long idx = k ? intern(&f->specialty, p, k) : 0;
            if (idx < 0)
                return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            if (k)
                of[1 + of[0]++] = (uint32_t)idx;
            p += k + (p[k] == ',');
        }
    }
    return IMR_OK;
}

/* The values a table of facet dim lists: the slugs for specialties, else the facet's own. */
static const intern_t *table_values(const imr_facets_t *f, int dim)
{
    return dim == F_SPECIALTY ? &f->specialty : &f->values[dim];
}

/* The value indexes (in table_values()) of one item for one facet, into out[MAX_SET]. */
static size_t item_values(const imr_facets_t *f, const uint32_t *row, int dim, size_t *out)
{
    if (dim == F_SPECIALTY) {
        const uint32_t *of = f->slugs_of + (size_t)row[dim] * (MAX_SET + 1);
        for (uint32_t k = 0; k < of[0]; k++)
            out[k] = of[1 + k];
        return of[0];
    }
    if (!is_source_set(dim)) {
        out[0] = row[dim];
        return 1;
    }
    size_t n = 0;
    for (unsigned b = 0; b < IMR_N_SOURCES; b++)
        if (row[dim] & (1u << b))
            out[n++] = b;
    return n;
}

/* The index of a decision value among the interned decisions, or -1 when no item has it. */
static long decision_index(const imr_facets_t *f, const char *decision)
{
    const intern_t *v = &f->values[F_DECISION];
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->value[i], decision) == 0)
            return (long)i;
    return -1;
}

/*
 * Counts table t from the per-item value rows (n items of N_FACETS indexes each), then orders
 * its rows and columns and builds the public view.
 */
static imr_status_t count_table(imr_facets_t *f, table_t *t, const uint32_t *rows, size_t n,
                                imr_error_t *err)
{
    int d0 = t->dim[0], d1 = t->dim[1];
    long upheld = decision_index(f, "upheld"), overturned = decision_index(f, "overturned");
    const intern_t *v0 = table_values(f, d0), *v1 = d1 >= 0 ? table_values(f, d1) : NULL;
    size_t nr = v0->n, nc = v1 ? v1->n : 1;
    uint64_t *count = calloc(nr * nc > 0 ? nr * nc : 1, sizeof *count);
    uint64_t *rt = calloc(nr ? nr : 1, sizeof *rt), *ct = calloc(nc ? nc : 1, sizeof *ct);
    uint64_t *ru = calloc(nr ? nr : 1, sizeof *ru), *ro = calloc(nr ? nr : 1, sizeof *ro);
    size_t *ri = malloc((nr ? nr : 1) * sizeof *ri), *ci = malloc((nc ? nc : 1) * sizeof *ci);
    t->row_value = malloc((nr ? nr : 1) * sizeof *t->row_value);
    t->col_value = malloc((nc ? nc : 1) * sizeof *t->col_value);
    t->count = calloc(nr * nc > 0 ? nr * nc : 1, sizeof *t->count);
    t->row_total = calloc(nr ? nr : 1, sizeof *t->row_total);
    t->col_total = calloc(nc ? nc : 1, sizeof *t->col_total);
    t->row_upheld = calloc(nr ? nr : 1, sizeof *t->row_upheld);
    t->row_overturned = calloc(nr ? nr : 1, sizeof *t->row_overturned);
    imr_status_t st = IMR_OK;
    if (!count || !rt || !ct || !ru || !ro || !ri || !ci || !t->row_value || !t->col_value ||
        !t->count || !t->row_total || !t->col_total || !t->row_upheld || !t->row_overturned) {
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const uint32_t *row = rows + i * N_FACETS;
        size_t r[MAX_SET], c[MAX_SET];
        size_t n_r = item_values(f, row, d0, r), n_c = d1 >= 0 ? item_values(f, row, d1, c) : 1;
        if (d1 < 0)
            c[0] = 0;
        int up = (long)row[F_DECISION] == upheld, over = (long)row[F_DECISION] == overturned;
        for (size_t a = 0; a < n_r; a++) {
            rt[r[a]]++;
            ru[r[a]] += up;
            ro[r[a]] += over;
            for (size_t b = 0; b < n_c; b++)
                count[r[a] * nc + c[b]]++;
        }
        t->pub.upheld += up;
        t->pub.overturned += over;
        for (size_t b = 0; b < n_c; b++)
            ct[c[b]]++;
    }
    /* Order rows and columns, keep only values that occur. */
    order_ctx_t oc = {d0, (const char *const *)v0->value, rt};
    size_t kr = 0, kc = 0;
    for (size_t i = 0; i < nr; i++)
        if (rt[i])
            ri[kr++] = i;
    order_values(&oc, ri, kr);
    if (d1 >= 0) {
        order_ctx_t occ = {d1, (const char *const *)v1->value, ct};
        for (size_t i = 0; i < nc; i++)
            if (ct[i])
                ci[kc++] = i;
        order_values(&occ, ci, kc);
    } else {
        ci[0] = 0;
        kc = 1;
    }
    for (size_t a = 0; a < kr; a++) {
        t->row_value[a] = v0->value[ri[a]];
        t->row_total[a] = rt[ri[a]];
        t->row_upheld[a] = ru[ri[a]];
        t->row_overturned[a] = ro[ri[a]];
        for (size_t b = 0; b < kc; b++)
            t->count[a * kc + b] = count[ri[a] * nc + ci[b]];
    }
    for (size_t b = 0; b < kc; b++) {
        t->col_value[b] = v1 ? v1->value[ci[b]] : "count";
        t->col_total[b] = d1 >= 0 ? ct[ci[b]] : n;
    }
    t->pub.dim[0] = facet_names[d0];
    t->pub.dim[1] = d1 >= 0 ? facet_names[d1] : NULL;
    t->pub.n_rows = kr;
    t->pub.n_cols = kc;
    t->pub.row_value = t->row_value;
    t->pub.col_value = t->col_value;
    t->pub.count = t->count;
    t->pub.row_total = t->row_total;
    t->pub.col_total = t->col_total;
    t->pub.row_upheld = t->row_upheld;
    t->pub.row_overturned = t->row_overturned;
    t->pub.total = n;
done:
    free(count);
    free(rt);
    free(ct);
    free(ru);
    free(ro);
    free(ri);
    free(ci);
    return st;
}

/* Room for one more row of N_FACETS indexes in *rows (cap rows). Returns 0 when out of memory. */
static int grow_rows(uint32_t **rows, size_t n, size_t *cap)
{
    if (n < *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 1024;
    uint32_t *p = realloc(*rows, ncap * N_FACETS * sizeof *p);
    if (!p)
        return 0;
    *rows = p;
    *cap = ncap;
    return 1;
}

imr_status_t imr_facets(imr_db_t *db, const imr_search_opts_t *opts, const imr_facet_request_t *req,
                        size_t n_req, imr_facets_t **out, imr_error_t *err)
{
    imr_facets_t *f = NULL;
    imr__filter_t flt;
    int used[N_FACETS] = {0};
    imr__buf_t q = {0};
    sqlite3_stmt *st = NULL;
    uint32_t *rows = NULL;
    size_t n = 0, cap = 0;
    unsigned char *seen = NULL;
    uint32_t *specialty_of = NULL;
    int64_t max_letter = 0;
    facet_cache_t *cache = NULL;
    imr_status_t status = IMR_OK;
    sqlite3 *sql = imr_db_sqlite(db);
    int rc;

    *out = NULL;
    memset(&flt, 0, sizeof flt);
    if (!(f = calloc(1, sizeof *f)) ||
        !(f->tables = calloc(n_req ? n_req : 1, sizeof *f->tables))) {
        free(f);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n_req; i++) {
        table_t *t = &f->tables[i];
        if (req[i].n_dims < 1 || req[i].n_dims > 2) {
            status = imr_error_set(err, IMR_ERR_ARG, "a cross table has one or two facets, not %d",
                                   req[i].n_dims);
            goto done;
        }
        t->dim[1] = -1;
        for (int k = 0; k < req[i].n_dims; k++) {
            if ((t->dim[k] = facet_id(req[i].dim[k], err)) < 0) {
                status = IMR_ERR_ARG;
                goto done;
            }
            used[t->dim[k]] = 1;
        }
        f->n = i + 1;
    }
    used[F_DECISION] = 1; /* every table counts its upheld and overturned items */
    /* Sources are interned by bit position, in slug order. */
    for (unsigned b = 0; b < 2 * IMR_N_SOURCES; b++) {
        const char *slug = imr_source_slug(1u << (b % IMR_N_SOURCES));
        if (intern(&f->values[b < IMR_N_SOURCES ? F_SOURCE : F_CLAIMS], slug, strlen(slug)) < 0) {
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    if ((status = cache_get(db, &cache, err)) != IMR_OK)
        goto done;
    /* With a cache, f's values are the cache's, in its order, so that its indexes hold. */
    for (int d = 0; cache && d < N_FACETS; d++)
        for (size_t k = 0; !is_source_set(d) && k < cache->values[d].n; k++)
            if (intern(&f->values[d], cache->values[d].value[k], strlen(cache->values[d].value[k])) !=
                (long)k) {
                status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
                goto done;
            }

    status = imr__filter_compile(db, opts,
                                 cache ? IMR__JOIN_NEEDED | IMR__ITEM_OPTIONAL
                                 : used[F_SPECIALTY] ? IMR__JOIN_QUERY
                                                     : IMR__JOIN_NEEDED,
                                 &flt, err);
    if (status != IMR_OK)
        goto done;
    if (flt.uses_functions && (status = imr__functions_register(db, err)) != IMR_OK)
        goto done;
    if ((status = imr__filter_undated(db, &flt, &f->undated, err)) != IMR_OK)
        goto done;

    status = imr__max_letter(db, &max_letter, err);
    if (status != IMR_OK)
        goto done;
    if (max_letter < 0 || !(seen = calloc((size_t)max_letter / 8 + 1, 1))) {
        status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        goto done;
    }

    if (cache && !flt.has_query && strlen(flt.from_where) == flt.filters_at) {
        /* Every item: the cache alone. */
        if (!(rows = malloc((cache->n ? cache->n : 1) * N_FACETS * sizeof *rows))) {
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (int64_t l = 0; l <= cache->max_letter && l <= max_letter; l++) {
            int counted = 0;
            for (uint32_t k = cache->first[l]; k < cache->first[l + 1]; k++) {
                if (cache->placeholder[k]) {
                    f->left_out++;
                    continue;
                }
                memcpy(rows + n++ * N_FACETS, cache->row + (size_t)k * N_FACETS,
                       N_FACETS * sizeof *rows);
                counted = 1;
            }
            if (counted && imr__mark_letter(seen, max_letter, l))
                f->letters++;
        }
        goto counted;
    }
    if (used[F_SPECIALTY] && !flt.has_query && !cache) {
        if (!(specialty_of = malloc(((size_t)max_letter + 1) * sizeof *specialty_of))) {
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        status = specialty_values(db, max_letter, &f->values[F_SPECIALTY], specialty_of, err);
        if (status != IMR_OK)
            goto done;
    }
    if (cache) {
        imr__buf_printf(&q, "SELECT %s", flt.joins_item ? "i.id" : "f.rowid");
    } else {
        imr__buf_adds(&q, "SELECT i.letter_id, i.placeholder");
        for (int d = 0; d < N_FACETS; d++)
            imr__buf_printf(&q, ", %s",
                            used[d] && !(d == F_SPECIALTY && specialty_of) ? facet_sql[d] : "NULL");
    }
    imr__buf_printf(&q, " %s", flt.from_where);
    if (q.oom) {
        status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        goto done;
    }
    rc = sqlite3_prepare_v2(sql, q.p, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = imr__filter_bind(&flt, st);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        if (!grow_rows(&rows, n, &cap)) {
            status = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
            break;
        }
        uint32_t *row = rows + n * N_FACETS;
        int64_t l;
        if (cache) {
            int64_t id = sqlite3_column_int64(st, 0);
            long long k = cache_find(cache, id);
            if (k < 0) {
                status = imr_error_set(err, IMR_ERR_INTERNAL, "item %lld is not in the facet cache",
                                       (long long)id);
                break;
            }
            if (cache->placeholder[k]) {
                f->left_out++;
                continue;
            }
            memcpy(row, cache->row + (size_t)k * N_FACETS, N_FACETS * sizeof *row);
            l = id / IMR_ITEMS_PER_LETTER;
        } else {
            if (sqlite3_column_int(st, 1)) {
                f->left_out++;
                continue;
            }
            l = sqlite3_column_int64(st, 0);
            if ((status = read_values(f->values, st, 2, used, row, err)) != IMR_OK)
                break;
            if (specialty_of)
                row[F_SPECIALTY] = l >= 0 && l <= max_letter ? specialty_of[l] : 0;
        }
        if (imr__mark_letter(seen, max_letter, l))
            f->letters++;
        n++;
    }
    if (status == IMR_OK && rc != SQLITE_DONE)
        status = imr_db_fail(db, rc, "counting facets", err);
counted:
    f->items = n;
    if (status == IMR_OK)
        status = split_specialties(f, err);
    for (size_t i = 0; status == IMR_OK && i < f->n; i++)
        status = count_table(f, &f->tables[i], rows, n, err);
done:
    sqlite3_finalize(st);
    free(q.p);
    free(rows);
    free(seen);
    free(specialty_of);
    if (status == IMR_OK) {
        f->query = flt.query;
        flt.query = NULL;
    }
    imr__filter_clear(&flt);
    if (status != IMR_OK) {
        imr_facets_free(f);
        return status;
    }
    *out = f;
    return IMR_OK;
}

imr_status_t imr_stats(imr_db_t *db, imr_stats_t *out, imr_error_t *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *sql = imr_db_sqlite(db);
    memset(out, 0, sizeof *out);
    int rc = sqlite3_prepare_v2(
        sql, "SELECT layout, parse, count(*) FROM " IMR_TABLE_LETTER " GROUP BY layout, parse", -1,
        &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        int layout = sqlite3_column_int(st, 0);
        const char *parse = (const char *)sqlite3_column_text(st, 1);
        uint64_t k = (uint64_t)sqlite3_column_int64(st, 2);
        out->letters += k;
        if (layout >= 0 && layout <= 3)
            out->layout[layout] += k;
        if (parse && strcmp(parse, "complete") == 0)
            out->complete += k;
        else if (parse && strcmp(parse, "partial") == 0)
            out->partial += k;
        else
            out->unparsed += k;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return imr_db_fail(db, rc, "counting letters", err);
    rc = sqlite3_prepare_v2(sql, "SELECT count(*) FROM " IMR_TABLE_ITEM, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->items = (uint64_t)sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return imr_db_fail(db, rc, "counting items", err);
    return IMR_OK;
}
