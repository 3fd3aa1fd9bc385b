/*
 * serve.c - `imrsearch serve`: the database as a local web site (docs/web.md).
 *
 * HTTP comes from libmicrohttpd: a pool of threads, each answering its connections; a request
 * takes one of as many read-only database connections as there are threads, opens a read
 * transaction of its own (so every page is one committed state, and the next page sees what
 * imrindex committed since), and gives the connection back. Nothing is ever written.
 *
 * Pages are written on the server into a memory stream and sent whole. Every untrusted string
 * (letter text, items, snippets, the query, filter values) goes through html.h's escapers;
 * JSON and CSV are print_walk.c's walks, the ones the command line prints. Every answer
 * carries a strict Content-Security-Policy (scripts and styles from this server only, no
 * inline script or handler) and nosniff. No part of a request reaches the file system: the
 * style sheet and the script are compiled in, and a letter is looked up in the database.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "dict.h"
#include "html.h"
#include "imr.h"
#include "print.h"
#include "serve.h"
#include "sprinter.h"

#define THREADS        4       /* worker threads, and database connections */
/* Connections open at once. libmicrohttpd gives each worker thread a quarter, and a worker at
 * its share closes the next connection it accepts although others have room: 64 let twenty
 * half-sent requests from slow clients reset a whole one (t50_serve). */
#define MAX_CONNS      512
#define CONN_TIMEOUT   15      /* seconds a connection may stay idle */
#define MAX_REQUEST    16384   /* bytes of a request's line and headers */
#define MAX_VALUE      1024    /* bytes of one query parameter */
#define PAGE_HITS      20      /* hits (or letters) per page by default */
#define MAX_LIMIT      100     /* most hits per page */
#define MAX_OFFSET     10000   /* deepest page start */
#define MAX_EXPORT     10000   /* hits in one CSV or JSON export */
#define MAX_JUMPS      200     /* match jump links on a letter page */

static const char csp[] = "default-src 'none'; style-src 'self'; script-src 'self'; "
                          "img-src 'self'; form-action 'self'; base-uri 'none'; "
                          "frame-ancestors 'none'";

/* ---- Database connections ----------------------------------------------------------- */

typedef struct pool {
    imr_db_t *db[THREADS];
    int busy[THREADS];
    pthread_mutex_t mu;
    pthread_cond_t freed;
    const double *weights; /* every search's bm25 weights (imr_search_opts_t) */
} pool_t;

/* Takes a free connection, waiting for one. */
static imr_db_t *pool_take(pool_t *p)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        for (int i = 0; i < THREADS; i++)
            if (!p->busy[i]) {
                p->busy[i] = 1;
                pthread_mutex_unlock(&p->mu);
                return p->db[i];
            }
        pthread_cond_wait(&p->freed, &p->mu);
    }
}

/* Ends the connection's read transaction and gives it back. */
static void pool_give(pool_t *p, imr_db_t *db)
{
    imr_db_end_read(db);
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < THREADS; i++)
        if (p->db[i] == db)
            p->busy[i] = 0;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->mu);
}

/* ---- Requests --------------------------------------------------------------------------- */

/* The query parameters a page reads, in the order links write them. */
enum param {
    P_Q,
    P_DECISION,
    P_TYPE,
    P_REGION,
    P_SOURCE,
    P_CLAIMS,
    P_FROM,
    P_TO,
    P_LETTERS,
    P_OFFSET,
    P_LIMIT,
    N_PARAMS
};
static const char *const param_names[N_PARAMS] = {
    "q", "decision", "type", "region", "source", "claims-source", "from", "to",
    "letters", "offset", "limit"};

typedef struct request {
    struct MHD_Connection *conn;
    pool_t *pool;
    const char *v[N_PARAMS]; /* owned by libmicrohttpd; NULL when absent */
    const char *by[2];       /* report facets, in order */
    int n_by;
    char error[600];         /* a bad parameter's message; "" */
    imr_search_opts_t opts;
} request_t;

/* An answer being written: a page, or JSON or CSV. */
typedef struct reply {
    FILE *f;
    char *buf;
    size_t len;
    unsigned status;
    const char *type;       /* Content-Type */
    const char *attachment; /* a file name to download as, or NULL */
} reply_t;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    request_t *rq = cls;
    (void)kind;
    if (!value)
        value = "";
    if (strlen(value) > MAX_VALUE) {
        snprintf(rq->error, sizeof rq->error, "%s: too long (at most %d bytes)", key, MAX_VALUE);
        return MHD_YES;
    }
    if (strcmp(key, "by") == 0) {
        if (rq->n_by == 2)
            snprintf(rq->error, sizeof rq->error, "by: at most two facets (rows, columns)");
        else if (*value)
            rq->by[rq->n_by++] = value;
        return MHD_YES;
    }
    for (int i = 0; i < N_PARAMS; i++)
        if (strcmp(key, param_names[i]) == 0 && !rq->v[i])
            rq->v[i] = value;
    return MHD_YES;
}

/* A count parameter, capped at max; def when absent or blank; -1 when not a count. */
static long long count_param(const char *s, long long def, long long max)
{
    char *end = NULL;
    if (!s || !*s)
        return def;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return -1;
    return errno || v > max ? max : v;
}

/* Reads the query parameters into rq and its search options; sets rq->error when bad. */
static void read_params(request_t *rq, size_t def_limit, size_t max_limit)
{
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, collect, rq);
    for (int i = 0; i < N_PARAMS; i++)
        if (rq->v[i] && !*rq->v[i])
            rq->v[i] = NULL;
    long long offset = count_param(rq->v[P_OFFSET], 0, MAX_OFFSET);
    long long limit = count_param(rq->v[P_LIMIT], (long long)def_limit, (long long)max_limit);
    if (!rq->error[0] && (offset < 0 || limit < 0))
        snprintf(rq->error, sizeof rq->error, "%s: not a count",
                 offset < 0 ? "offset" : "limit");
    imr_search_opts_t *o = &rq->opts;
    o->query = rq->v[P_Q] ? rq->v[P_Q] : "";
    o->decision = rq->v[P_DECISION];
    o->item_type = rq->v[P_TYPE];
    o->body_region = rq->v[P_REGION];
    o->source = rq->v[P_SOURCE];
    o->claims_source = rq->v[P_CLAIMS];
    o->date_from = rq->v[P_FROM];
    o->date_to = rq->v[P_TO];
    o->offset = offset > 0 ? (size_t)offset : 0;
    o->limit = limit > 0 ? (size_t)limit : def_limit;
    o->by_letter = rq->v[P_LETTERS] && strcmp(rq->v[P_LETTERS], "0") != 0;
    o->bm25_weights = rq->pool->weights;
    o->related = 1;
}

/* The one-line message the command line prints for err, without "imrsearch: ". */
static void user_message(const imr_error_t *err, char *out, size_t n)
{
    const char *prefix = "";
    if (err->status == IMR_ERR_QUERY && strncmp(err->msg, "invalid query", 13) != 0)
        prefix = "invalid query: ";
    snprintf(out, n, "%s%s", prefix, err->msg);
}

/* ---- Links ------------------------------------------------------------------------------- */

/* One parameter changed in a link: value NULL drops it. */
typedef struct change {
    enum param key;
    const char *value;
} change_t;

/*
 * Writes, for an HTML attribute, the URL of path with the request's parameters, those in
 * `changes` replaced; a change of any filter drops the offset (back to the first page).
 * with_by keeps the report's facets.
 */
static void write_url(FILE *f, const char *path, const request_t *rq, const change_t *changes,
                      int n_changes, int with_by)
{
    int sep = 0;
    fputs(path, f);
    for (int i = 0; i < N_PARAMS; i++) {
        const char *v = rq->v[i];
        for (int k = 0; k < n_changes; k++)
            if (changes[k].key == (enum param)i)
                v = changes[k].value;
        if (i == P_OFFSET)
            for (int k = 0; k < n_changes; k++)
                if (changes[k].key != P_OFFSET && changes[k].key != P_LETTERS)
                    v = NULL;
        if (!v || !*v)
            continue;
        fputs(sep++ ? "&amp;" : "?", f);
        fprintf(f, "%s=", param_names[i]);
        imr__html_url(f, v);
    }
    for (int i = 0; with_by && i < rq->n_by; i++) {
        fputs(sep++ ? "&amp;by=" : "?by=", f);
        imr__html_url(f, rq->by[i]);
    }
}

/* Whether value is one of the comma-separated list. */
static int in_list(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, value, n) == 0)
            return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* Writes into out (n bytes) the list with value taken out when in it, else added. */
static void toggle(const char *list, const char *value, char *out, size_t n)
{
    size_t used = 0;
    int found = 0, vn = (int)strlen(value);
    out[0] = '\0';
    for (const char *p = list; p && *p;) {
        int len = (int)strcspn(p, ",");
        if (len == vn && strncmp(p, value, (size_t)vn) == 0)
            found = 1;
        else if (len && used + (size_t)len + 2 < n)
            used += (size_t)snprintf(out + used, n - used, "%s%.*s", used ? "," : "", len, p);
        p += len + (p[len] == ',');
    }
    if (!found && used + strlen(value) + 2 < n)
        snprintf(out + used, n - used, "%s%s", used ? "," : "", value);
}

/* ---- Page frame ------------------------------------------------------------------------ */

static const char *const decisions[] = {"upheld", "overturned", "unknown"};

/* The decision badge; the class is one of three fixed names, never text from the letter. */
static void badge(FILE *f, const char *decision)
{
    const char *d = "unknown";
    for (int i = 0; i < 3; i++)
        if (strcmp(decision, decisions[i]) == 0)
            d = decisions[i];
    fprintf(f, "<span class=\"badge badge-%s\">%s</span>", d, d);
}

static void page_begin(FILE *f, const char *title, const request_t *rq, const char *here)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n<title>",
          f);
    imr__html_text(f, title);
    fputs(" - imrsearch</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
          "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
          "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
          "<header class=\"top\">\n<a class=\"brand\" href=\"/\">imrsearch</a>\n"
          "<form class=\"search\" action=\"",
          f);
    fputs(strcmp(here, "report") == 0 ? "/report" : "/", f);
    fputs("\" method=\"get\" role=\"search\">\n"
          "<input id=\"q\" type=\"search\" name=\"q\" maxlength=\"1024\" "
          "placeholder=\"continuous flow cryotherapy shoulder\" aria-label=\"Query\" value=\"",
          f);
    imr__html_attr(f, rq->v[P_Q] ? rq->v[P_Q] : "");
    fputs("\">\n", f);
    for (int i = P_DECISION; i <= P_LETTERS; i++)
        if (rq->v[i]) {
            fprintf(f, "<input type=\"hidden\" name=\"%s\" value=\"", param_names[i]);
            imr__html_attr(f, rq->v[i]);
            fputs("\">\n", f);
        }
    for (int i = 0; strcmp(here, "report") == 0 && i < rq->n_by; i++) {
        fputs("<input type=\"hidden\" name=\"by\" value=\"", f);
        imr__html_attr(f, rq->by[i]);
        fputs("\">\n", f);
    }
    fputs("<button type=\"submit\">Search</button>\n</form>\n<nav>\n", f);
    fprintf(f, "<a%s href=\"", strcmp(here, "search") == 0 ? " aria-current=\"page\"" : "");
    write_url(f, "/", rq, NULL, 0, 0);
    fprintf(f, "\">Results</a>\n<a%s href=\"", strcmp(here, "report") == 0 ? " aria-current=\"page\"" : "");
    write_url(f, "/report", rq, (change_t[]){{P_OFFSET, NULL}}, 1, 1);
    fputs("\">Report</a>\n</nav>\n</header>\n", f);
    if (rq->error[0]) {
        fputs("<p class=\"error\" role=\"alert\">", f);
        imr__html_text(f, rq->error);
        fputs("</p>\n", f);
    }
}

static void page_end(FILE *f)
{
    fputs("</body>\n</html>\n", f);
}

/* A page with only a message: 404, 500. */
static void message_page(reply_t *rp, const request_t *rq, unsigned status, const char *title,
                         const char *msg)
{
    rp->status = status;
    page_begin(rp->f, title, rq, "");
    fputs("<main class=\"message\">\n<h1>", rp->f);
    imr__html_text(rp->f, title);
    fputs("</h1>\n<p>", rp->f);
    imr__html_text(rp->f, msg);
    fputs("</p>\n<p><a href=\"/\">Back to the search</a></p>\n</main>\n", rp->f);
    page_end(rp->f);
}

/*
 * Answers a library error: the user's mistakes (query, filter, facet, ambiguous letter) as
 * the page's message with status 400, anything else as a 500 page whose detail goes to the
 * server's log only.
 */
static int user_error(request_t *rq, const imr_error_t *err)
{
    if (err->status != IMR_ERR_QUERY && err->status != IMR_ERR_ARG)
        return 0;
    user_message(err, rq->error, sizeof rq->error);
    return 1;
}

static void server_error(reply_t *rp, const request_t *rq, const imr_error_t *err)
{
    fprintf(stderr, "imrsearch: serve: %s\n", err->msg);
    message_page(rp, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "Server error",
                 "The database could not be read; the server's log says why.");
}

/* ---- The filters in force ----------------------------------------------------------------- */

/* The filters a page can be narrowed by, with the names the filters line gives them. */
static const struct {
    enum param key;
    const char *label;
} filter_params[] = {{P_DECISION, "decision"}, {P_TYPE, "type"},          {P_REGION, "region"},
                     {P_SOURCE, "guideline"},  {P_CLAIMS, "claims source"}};
#define N_FILTER_PARAMS (sizeof filter_params / sizeof filter_params[0])

/* One value of the filters line: a link to path without it. */
static void filter_chip(FILE *f, const request_t *rq, const char *path, int with_by,
                        const change_t *changes, int n_changes, const char *label,
                        const char *value)
{
    fputs("<a class=\"chip\" href=\"", f);
    write_url(f, path, rq, changes, n_changes, with_by);
    fputs("\" title=\"Remove this filter\">", f);
    imr__html_text(f, label);
    fputs(": <strong>", f);
    imr__html_text(f, value);
    fputs("</strong> <span aria-hidden=\"true\">&times;</span></a>\n", f);
}

/*
 * The filters in force, above the results and on the report, so that no count is read without
 * what it counts: each value a link that takes it away, and one link that takes them all away
 * (the query stays). Nothing when no filter is set.
 */
static void write_filters(FILE *f, const request_t *rq, const char *path, int with_by)
{
    int any = rq->v[P_FROM] || rq->v[P_TO];
    for (size_t i = 0; i < N_FILTER_PARAMS; i++)
        any |= rq->v[filter_params[i].key] != NULL;
    if (!any)
        return;
    fputs("<p class=\"filters\">Filters:\n", f);
    for (size_t i = 0; i < N_FILTER_PARAMS; i++) {
        enum param key = filter_params[i].key;
        for (const char *p = rq->v[key]; p && *p;) {
            size_t len = strcspn(p, ",");
            char value[MAX_VALUE + 1], rest[MAX_VALUE + 64];
            snprintf(value, sizeof value, "%.*s", (int)len, p);
            p += len + (p[len] == ',');
            if (!*value)
                continue;
            toggle(rq->v[key], value, rest, sizeof rest);
            filter_chip(f, rq, path, with_by, (change_t[]){{key, rest}}, 1,
                        filter_params[i].label, value);
        }
    }
    if (rq->v[P_FROM] || rq->v[P_TO]) {
        char span[2 * MAX_VALUE + 16];
        if (rq->v[P_FROM] && rq->v[P_TO] && strcmp(rq->v[P_FROM], rq->v[P_TO]) == 0)
            snprintf(span, sizeof span, "%s", rq->v[P_FROM]);
        else
            snprintf(span, sizeof span, "%s to %s", rq->v[P_FROM] ? rq->v[P_FROM] : "…",
                     rq->v[P_TO] ? rq->v[P_TO] : "…");
        filter_chip(f, rq, path, with_by, (change_t[]){{P_FROM, NULL}, {P_TO, NULL}}, 2,
                    "decided", span);
    }
    fputs("<a class=\"clear\" href=\"", f);
    write_url(f, path, rq,
              (change_t[]){{P_DECISION, NULL}, {P_TYPE, NULL}, {P_REGION, NULL},
                           {P_SOURCE, NULL}, {P_CLAIMS, NULL}, {P_FROM, NULL}, {P_TO, NULL}},
              7, with_by);
    fputs("\">Clear all</a></p>\n", f);
}

/* ---- The search page ------------------------------------------------------------------- */

/* The sidebar's facets and the parameter a click on one of their values sets. */
static const struct {
    const char *facet, *label;
    enum param key; /* P_FROM: a year sets from and to */
} sidebar[] = {{"decision", "Decision", P_DECISION}, {"type", "Item type", P_TYPE},
               {"region", "Body region", P_REGION},  {"source", "Guideline", P_SOURCE},
               {"year", "Year", P_FROM}};
#define N_SIDEBAR (sizeof sidebar / sizeof sidebar[0])

/* The note on the letters the counts left out (imr_facets_left_out()), when there are any. */
static void write_left_out(FILE *f, const imr_facets_t *facets)
{
    uint64_t n = imr_facets_left_out(facets);
    if (n)
        fprintf(f, "<p class=\"note left-out\">%llu %s no item was read from (unparsed) %s left "
                   "out of the counts; %s text is still searched.</p>\n",
                (unsigned long long)n, n == 1 ? "letter" : "letters", n == 1 ? "is" : "are",
                n == 1 ? "its" : "their");
}

static void write_facets(FILE *f, const request_t *rq, const imr_facets_t *facets)
{
    fputs("<aside class=\"facets\" aria-label=\"Filters\">\n", f);
    for (size_t i = 0; i < N_SIDEBAR && facets; i++) {
        const imr_facet_table_t *t = imr_facets_table(facets, i);
        fprintf(f, "<section class=\"facet\" data-facet=\"%s\">\n<h2>%s</h2>\n<ul>\n",
                sidebar[i].facet, sidebar[i].label);
        for (size_t r = 0; r < t->n_rows; r++) {
            const char *value = t->row_value[r];
            char list[MAX_VALUE + 64];
            int on;
            if (sidebar[i].key == P_FROM && strcmp(value, "unknown") == 0) {
                /* No date filter keeps the undated: a count, not a link. */
                fprintf(f, "<li><span class=\"undated\"><span class=\"value\">unknown</span> "
                           "<span class=\"count\">%llu</span></span></li>\n",
                        (unsigned long long)t->count[r]);
                continue;
            }
            fputs("<li><a href=\"", f);
            if (sidebar[i].key == P_FROM) {
                on = rq->v[P_FROM] && rq->v[P_TO] && strcmp(rq->v[P_FROM], value) == 0 &&
                     strcmp(rq->v[P_TO], value) == 0;
                change_t c[2] = {{P_FROM, on ? NULL : value}, {P_TO, on ? NULL : value}};
                write_url(f, "/", rq, c, 2, 0);
            } else {
                on = in_list(rq->v[sidebar[i].key], value);
                toggle(rq->v[sidebar[i].key], value, list, sizeof list);
                write_url(f, "/", rq, (change_t[]){{sidebar[i].key, list}}, 1, 0);
            }
            fprintf(f, "\"%s><span class=\"value\">", on ? " class=\"on\" aria-pressed=\"true\"" : "");
            imr__html_text(f, value);
            fprintf(f, "</span> <span class=\"count\">%llu</span></a></li>\n",
                    (unsigned long long)t->count[r]);
        }
        if (t->n_rows == 0)
            fputs("<li class=\"none\">none</li>\n", f);
        fputs("</ul>\n</section>\n", f);
    }
    if (facets)
        write_left_out(f, facets);
    fputs("</aside>\n", f);
}

/* The guideline sources of a hit or item, as slugs joined by ", ". */
static void write_sources(FILE *f, unsigned bits)
{
    int n = 0;
    for (unsigned b = 0; b < IMR_N_SOURCES; b++)
        if (bits & (1u << b)) {
            fputs(n++ ? ", " : "", f);
            imr__html_text(f, imr_source_slug(1u << b));
        }
    if (!n)
        fputs("none", f);
}

/* An item's type, body region, guideline sources and the reviewer's citation, for a hit or
   the letter page's outline. */
static void write_item_meta(FILE *f, const char *type, const char *region, unsigned sources,
                            const char *citation)
{
    imr__html_text(f, type);
    fputs(" · ", f);
    imr__html_text(f, region);
    fputs(" · guideline: ", f);
    write_sources(f, sources);
    if (*citation) {
        fputs(" (", f);
        imr__html_text(f, citation);
        fputs(")", f);
    }
}

/* The link to a letter, its query kept, at an anchor ("item-3") or none. */
static void letter_url(FILE *f, const char *name, const request_t *rq, const char *anchor,
                       int number)
{
    fputs("/letter/", f);
    imr__html_url(f, name);
    if (rq->v[P_Q]) {
        fputs("?q=", f);
        imr__html_url(f, rq->v[P_Q]);
    }
    if (anchor)
        fprintf(f, "#%s-%d", anchor, number);
}

static void write_hit(FILE *f, const request_t *rq, const imr_hit_t *h)
{
    if (rq->opts.by_letter && h->first_of_letter) {
        fprintf(f, "<li class=\"letter-group\"><h3>%zu. <a href=\"", h->letter_rank);
        letter_url(f, h->letter, rq, NULL, 0);
        fputs("\">", f);
        imr__html_text(f, h->letter);
        fputs("</a></h3></li>\n", f);
    }
    fprintf(f, "<li class=\"hit\">\n<div class=\"hit-head\">");
    badge(f, h->decision);
    fputs(" <a class=\"item\" href=\"", f);
    letter_url(f, h->letter, rq, "item", h->item_number);
    fputs("\">", f);
    imr__html_text(f, *h->item_marked ? h->item_marked : "(item without text)");
    fputs("</a></div>\n<p class=\"meta\">", f);
    write_item_meta(f, h->item_type, h->body_region, h->sources, h->citation);
    fputs("</p>\n", f);
    if (*h->snippet) {
        fprintf(f, "<p class=\"snippet\"><span class=\"from\">%s:</span> ",
                h->in_letter ? "letter" : "item");
        imr__html_text(f, h->snippet);
        fputs("</p>\n", f);
    }
    fputs("<p class=\"ids\">letter <a href=\"", f);
    letter_url(f, h->letter, rq, NULL, 0);
    fputs("\">", f);
    imr__html_text(f, h->letter);
    fprintf(f, "</a> · item %d", h->item_number);
    if (*h->case_number) {
        fputs(" · case ", f);
        imr__html_text(f, h->case_number);
    }
    if (*h->decision_date) {
        fputs(" · ", f);
        imr__html_text(f, h->decision_date);
    } else if (*h->year) { /* placed in a year by what else it prints, as the text format */
        fputs(" · ", f);
        imr__html_text(f, h->year);
        fputs(" (", f);
        imr__html_text(f, h->year_source);
        fputs(")", f);
    }
    if (h->partial)
        fputs(" · <span class=\"partial\">letter cut off: item may be half read</span>", f);
    fputs("</p>\n</li>\n", f);
}

/* The note that the date filter left out `undated` letters for having no date; none for 0. */
static void write_undated(FILE *f, uint64_t undated)
{
    if (undated)
        fprintf(f, "<p class=\"note undated\">left out: %llu %s with no date (no decision date, "
                   "nothing else dated)</p>\n",
                (unsigned long long)undated, undated == 1 ? "letter" : "letters");
}

static void write_results(FILE *f, const request_t *rq, const imr_results_t *r)
{
    uint64_t items = imr_results_total_items(r), letters = imr_results_total_letters(r);
    size_t n = imr_results_count(r);
    fputs("<section class=\"results\" aria-label=\"Results\">\n", f);
    write_filters(f, rq, "/", 0);
    fputs("<div class=\"summary\">\n<p class=\"totals\" id=\"totals\">", f);
    fprintf(f, "<strong>%llu</strong> %s in <strong>%llu</strong> %s",
            (unsigned long long)items, items == 1 ? "item" : "items", (unsigned long long)letters,
            letters == 1 ? "letter" : "letters");
    fputs("</p>\n", f);
    write_undated(f, imr_results_undated_letters(r));
    char reading[2048];
    if (imr__reading_line(imr_results_query(r), reading, sizeof reading)) {
        fputs("<p class=\"reading\">read as: ", f);
        imr__html_text(f, reading);
        fputs(" <span class=\"hint\">(quote a word to search it as text)</span></p>\n", f);
    }
    fputs("<p class=\"tools\"><a href=\"", f);
    write_url(f, "/", rq, (change_t[]){{P_LETTERS, rq->opts.by_letter ? NULL : "1"}, {P_OFFSET, NULL}},
              2, 0);
    fprintf(f, "\">%s</a> · <a href=\"", rq->opts.by_letter ? "List items" : "Group by letter");
    write_url(f, "/export.csv", rq, (change_t[]){{P_OFFSET, NULL}, {P_LIMIT, NULL}}, 2, 0);
    fputs("\" download>Export CSV</a> · <a href=\"", f);
    write_url(f, "/api/search", rq, NULL, 0, 0);
    fputs("\">JSON</a></p>\n</div>\n", f);
    if (n == 0)
        fputs("<p class=\"empty\">Nothing matched.</p>\n", f);
    fprintf(f, "<ol class=\"hits\" start=\"%zu\">\n", n ? imr_results_hit(r, 0)->rank : 1);
    for (size_t i = 0; i < n; i++) {
        write_hit(f, rq, imr_results_hit(r, i));
    }
    fputs("</ol>\n", f);
    size_t n_related = imr_results_n_related(r);
    if (n_related) {
        char kind[512];
        imr__reading_line(imr_results_related_query(r), kind, sizeof kind);
        fprintf(f, "<h2 class=\"related\">%zu more %s of the same kind, without every word "
                   "<span class=\"hint\">(newest first: ", n_related,
                n_related == 1 ? "item" : "items");
        imr__html_text(f, kind);
        fprintf(f, ")</span></h2>\n<ol class=\"hits related\" start=\"%zu\">\n", n + 1);
        for (size_t i = 0; i < n_related; i++)
            write_hit(f, rq, imr_results_related(r, i));
        fputs("</ol>\n", f);
    }

    uint64_t total = rq->opts.by_letter ? letters : items;
    size_t off = rq->opts.offset, lim = rq->opts.limit;
    if (off > 0 || off + n < total) {
        char prev[32], next[32];
        snprintf(prev, sizeof prev, "%zu", off > lim ? off - lim : 0);
        snprintf(next, sizeof next, "%zu", off + lim);
        fputs("<nav class=\"pages\" aria-label=\"Pages\">\n", f);
        if (off > 0) {
            fputs("<a rel=\"prev\" href=\"", f);
            write_url(f, "/", rq, (change_t[]){{P_OFFSET, off > lim ? prev : NULL}}, 1, 0);
            fputs("\">&larr; Previous</a>\n", f);
        }
        fprintf(f, "<span>%s %zu&ndash;%zu of %llu</span>\n",
                rq->opts.by_letter ? "letters" : "items", n ? off + 1 : off, off + n,
                (unsigned long long)total);
        if (off + n < total && off + lim <= MAX_OFFSET) {
            fputs("<a rel=\"next\" href=\"", f);
            write_url(f, "/", rq, (change_t[]){{P_OFFSET, next}}, 1, 0);
            fputs("\">Next &rarr;</a>\n", f);
        }
        fputs("</nav>\n", f);
    }
    fputs("</section>\n", f);
}

static void search_page(request_t *rq, reply_t *rp)
{
    imr_error_t err = {IMR_OK, ""};
    imr_results_t *results = NULL;
    imr_facets_t *facets = NULL;
    imr_facet_request_t req[N_SIDEBAR];
    for (size_t i = 0; i < N_SIDEBAR; i++)
        req[i] = (imr_facet_request_t){{sidebar[i].facet, NULL}, 1};
    read_params(rq, PAGE_HITS, MAX_LIMIT);
    if (!rq->error[0]) {
        imr_db_t *db = pool_take(rq->pool);
        if (imr_db_begin_read(db, &err) == IMR_OK &&
            imr_search(db, &rq->opts, &results, &err) == IMR_OK)
            imr_facets(db, &rq->opts, req, N_SIDEBAR, &facets, &err);
        pool_give(rq->pool, db);
        if (err.status != IMR_OK && !user_error(rq, &err)) {
            server_error(rp, rq, &err);
            goto done;
        }
    }
    rp->status = rq->error[0] ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK;
    page_begin(rp->f, rq->v[P_Q] ? rq->v[P_Q] : "Search", rq, "search");
    fputs("<main class=\"layout\">\n", rp->f);
    write_facets(rp->f, rq, facets);
    if (results)
        write_results(rp->f, rq, results);
    fputs("</main>\n", rp->f);
    page_end(rp->f);
done:
    imr_results_free(results);
    imr_facets_free(facets);
}

/* /api/search and /export.csv: the command line's json and csv printers of the same search. */
static void search_data(request_t *rq, reply_t *rp, int csv)
{
    imr_error_t err = {IMR_OK, ""};
    imr_results_t *results = NULL;
    read_params(rq, csv ? MAX_EXPORT : PAGE_HITS, MAX_EXPORT);
    rq->opts.related = !csv; /* an export holds matches only */
    if (!rq->error[0]) {
        imr_db_t *db = pool_take(rq->pool);
        if (imr_db_begin_read(db, &err) == IMR_OK)
            imr_search(db, &rq->opts, &results, &err);
        pool_give(rq->pool, db);
        if (err.status != IMR_OK && !user_error(rq, &err)) {
            server_error(rp, rq, &err);
            return;
        }
    }
    imr_sprinter_t sp;
    imr_print_ctx_t ctx = {.out = rp->f,
                           .query = rq->opts.query,
                           .filters = "",
                           .elapsed_ms = -1.0,
                           .offset = rq->opts.offset,
                           .by_letter = rq->opts.by_letter};
    if (rq->error[0]) {
        rp->status = MHD_HTTP_BAD_REQUEST;
        rp->type = csv ? "text/plain; charset=utf-8" : "application/json";
        if (csv) {
            fprintf(rp->f, "%s\n", rq->error);
            return;
        }
        imr__sprinter_json_init(&sp, rp->f);
        sp.begin_map(&sp);
        sp.key(&sp, "error");
        sp.string(&sp, rq->error);
        sp.end(&sp);
        sp.separator(&sp);
        return;
    }
    ctx.reading = imr_results_query(results);
    if (csv) {
        rp->type = "text/csv; charset=utf-8";
        rp->attachment = "imrsearch.csv";
        fputs("\xEF\xBB\xBF", rp->f);
        imr__printer_csv.results(&ctx, results);
    } else {
        rp->type = "application/json";
        imr__printer_json.results(&ctx, results);
    }
    imr_results_free(results);
}

/* ---- The letter page ------------------------------------------------------------------- */

static void meta_row(FILE *f, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    fprintf(f, "<dt>%s</dt><dd>", name);
    imr__html_text(f, value);
    fputs("</dd>\n", f);
}

static void letter_page(request_t *rq, reply_t *rp, const char *id)
{
    imr_error_t err = {IMR_OK, ""};
    imr_letter_view_t *v = NULL;
    read_params(rq, PAGE_HITS, MAX_LIMIT);
    if (!*id || strlen(id) > 255 || strchr(id, '/')) {
        message_page(rp, rq, MHD_HTTP_NOT_FOUND, "Not found", "There is no such letter.");
        return;
    }
    if (!rq->error[0]) {
        imr_db_t *db = pool_take(rq->pool);
        if (imr_db_begin_read(db, &err) == IMR_OK)
            imr_letter_show(db, id, rq->opts.query, &v, &err);
        pool_give(rq->pool, db);
        if (err.status != IMR_OK && !user_error(rq, &err)) {
            server_error(rp, rq, &err);
            return;
        }
    }
    if (!v && !rq->error[0]) {
        char msg[400];
        snprintf(msg, sizeof msg, "no letter \"%s\"", id);
        message_page(rp, rq, MHD_HTTP_NOT_FOUND, "Not found", msg);
        return;
    }
    FILE *f = rp->f;
    rp->status = v ? MHD_HTTP_OK : MHD_HTTP_BAD_REQUEST;
    page_begin(f, v ? v->name : "Letter", rq, "letter");
    if (!v) {
        page_end(f);
        return;
    }
    fputs("<main class=\"letter\">\n<h1>", f);
    imr__html_text(f, v->name);
    fputs("</h1>\n<dl class=\"letter-meta\">\n", f);
    meta_row(f, "Case number", v->case_number);
    meta_row(f, "Decision date", v->decision_date);
    char year[64];
    snprintf(year, sizeof year, "%s (%s)", *v->year ? v->year : "unknown", v->year_source);
    meta_row(f, "Year", year);
    meta_row(f, "Date of injury", v->injury_date);
    meta_row(f, "UR denial date", v->ur_denial_date);
    meta_row(f, "Reviewer specialty", v->specialty);
    if (*v->specialty)
        meta_row(f, "Specialty facet", v->specialties);
    meta_row(f, "Parse", v->parse);
    meta_row(f, "Problem", v->problem);
    meta_row(f, "File kind", v->kind);
    fprintf(f, "<dt>Layout</dt><dd>%d</dd>\n</dl>\n", v->layout);

    fprintf(f, "<section class=\"outline\">\n<h2>%zu %s</h2>\n<ol class=\"items\">\n",
            v->n_items, v->n_items == 1 ? "item" : "items");
    for (size_t i = 0; i < v->n_items; i++) {
        const imr_view_item_t *it = &v->items[i];
        fprintf(f, "<li id=\"item-%d\" class=\"item-box\">", it->number);
        badge(f, it->decision);
        fputs(" <span class=\"item-text\">", f);
        imr__html_text(f, *it->text ? it->text : "(item without text)");
        fputs("</span>\n<p class=\"meta\">", f);
        write_item_meta(f, it->item_type, it->body_region, it->sources, it->citation);
        if (it->partial)
            fputs(" · <span class=\"partial\">letter cut off: item may be half read</span>", f);
        fputs("</p></li>\n", f);
    }
    fputs("</ol>\n</section>\n", f);

    if (v->n_marks) {
        fprintf(f, "<nav class=\"jumps\" aria-label=\"Matches\">%zu %s: ", v->n_marks,
                v->n_marks == 1 ? "match" : "matches");
        for (size_t i = 1; i <= v->n_marks && i <= MAX_JUMPS; i++)
            fprintf(f, "<a href=\"#m%zu\">%zu</a> ", i, i);
        fputs("</nav>\n", f);
    }
    size_t marks = 0;
    fputs("<pre class=\"letter-text\">", f);
    imr__html_text_ids(f, v->text, &marks, MAX_JUMPS);
    fputs("</pre>\n</main>\n", f);
    page_end(f);
    imr_letter_view_free(v);
}

/* ---- The report page ------------------------------------------------------------------- */

/* The overturn rate of row r of t (its totals row when r is t->n_rows) as a cell. */
static void rate_cell(FILE *f, const imr_facet_table_t *t, size_t r)
{
    double rate;
    if (imr__overturn_rate(t, r, &rate))
        fprintf(f, "<td class=\"num\">%.1f%%</td>", rate);
    else
        fputs("<td class=\"num\">&mdash;</td>", f);
}

/* The report's table; every row ends with its overturn rate unless the rows are decisions. */
static void write_table(FILE *f, const imr_facet_table_t *t)
{
    int cross = t->dim[1] != NULL, rates = strcmp(t->dim[0], "decision") != 0;
    fputs("<table class=\"counts\">\n<thead><tr><th scope=\"col\">", f);
    imr__html_text(f, t->dim[0]);
    if (cross) {
        fputs(" \\ ", f);
        imr__html_text(f, t->dim[1]);
    }
    fputs("</th>", f);
    for (size_t c = 0; cross && c < t->n_cols; c++) {
        fputs("<th scope=\"col\" class=\"num\">", f);
        imr__html_text(f, t->col_value[c]);
        fputs("</th>", f);
    }
    fputs("<th scope=\"col\" class=\"num\">items</th>", f);
    if (rates)
        fputs("<th scope=\"col\" class=\"num\">overturn rate</th>", f);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t r = 0; r < t->n_rows; r++) {
        fputs("<tr><th scope=\"row\">", f);
        imr__html_text(f, t->row_value[r]);
        fputs("</th>", f);
        for (size_t c = 0; cross && c < t->n_cols; c++)
            fprintf(f, "<td class=\"num\">%llu</td>",
                    (unsigned long long)t->count[r * t->n_cols + c]);
        fprintf(f, "<td class=\"num\">%llu</td>", (unsigned long long)t->row_total[r]);
        if (rates)
            rate_cell(f, t, r);
        fputs("</tr>\n", f);
    }
    fprintf(f, "</tbody>\n<tfoot><tr><th scope=\"row\">total</th>");
    for (size_t c = 0; cross && c < t->n_cols; c++)
        fprintf(f, "<td class=\"num\">%llu</td>", (unsigned long long)t->col_total[c]);
    fprintf(f, "<td class=\"num\">%llu</td>", (unsigned long long)t->total);
    if (rates)
        rate_cell(f, t, t->n_rows);
    fputs("</tr></tfoot>\n</table>\n", f);
}

/* The report's tables: [0] the asked one (by, by), [1] items per year. */
static imr_status_t count_report(request_t *rq, imr_facets_t **out, imr_error_t *err)
{
    if (rq->n_by == 0) {
        rq->by[0] = "type";
        rq->by[1] = "decision";
        rq->n_by = 2;
    }
    imr_facet_request_t req[2] = {
        {{rq->by[0], rq->n_by > 1 ? rq->by[1] : NULL}, rq->n_by},
        {{"year", NULL}, 1},
    };
    imr_db_t *db = pool_take(rq->pool);
    imr_status_t st = imr_db_begin_read(db, err);
    if (st == IMR_OK)
        st = imr_facets(db, &rq->opts, req, 2, out, err);
    pool_give(rq->pool, db);
    return st;
}

/* The report's choice of rows and columns, the search's query and filters kept. */
static void write_by_form(FILE *f, const request_t *rq)
{
    fputs("<form class=\"by\" action=\"/report\" method=\"get\">\n<span>Count items by</span>\n",
          f);
    for (int i = P_Q; i <= P_TO; i++)
        if (rq->v[i]) {
            fprintf(f, "<input type=\"hidden\" name=\"%s\" value=\"", param_names[i]);
            imr__html_attr(f, rq->v[i]);
            fputs("\">\n", f);
        }
    for (int k = 0; k < 2; k++) {
        fprintf(f, "<label>%s <select name=\"by\">", k ? "columns" : "rows");
        if (k)
            fputs("<option value=\"\">(none)</option>", f);
        for (const char *const *name = imr_facet_names(); *name; name++) {
            int sel = k < rq->n_by && strcmp(rq->by[k], *name) == 0;
            fprintf(f, "<option%s>%s</option>", sel ? " selected" : "", *name);
        }
        fputs("</select></label>\n", f);
    }
    fputs("<button type=\"submit\">Count</button>\n</form>\n", f);
}

static void report_page(request_t *rq, reply_t *rp)
{
    imr_error_t err = {IMR_OK, ""};
    imr_facets_t *facets = NULL;
    read_params(rq, PAGE_HITS, MAX_LIMIT);
    if (!rq->error[0] && count_report(rq, &facets, &err) != IMR_OK &&
        !user_error(rq, &err)) {
        server_error(rp, rq, &err);
        return;
    }
    FILE *f = rp->f;
    rp->status = facets ? MHD_HTTP_OK : MHD_HTTP_BAD_REQUEST;
    page_begin(f, "Report", rq, "report");
    fputs("<main class=\"report\">\n", f);
    write_filters(f, rq, "/report", 1);
    write_by_form(f, rq);
    if (facets) {
        const imr_facet_table_t *t = imr_facets_table(facets, 0);
        const imr_facet_table_t *years = imr_facets_table(facets, 1);
        char title[200];
        snprintf(title, sizeof title, "Items by %s%s%s", t->dim[0], t->dim[1] ? " and " : "",
                 t->dim[1] ? t->dim[1] : "");
        fprintf(f, "<p class=\"totals\"><strong>%llu</strong> items in <strong>%llu</strong> "
                   "letters</p>\n",
                (unsigned long long)imr_facets_total_items(facets),
                (unsigned long long)imr_facets_total_letters(facets));
        write_undated(f, imr_facets_undated_letters(facets));
        fputs("<h2>", f);
        imr__html_text(f, title);
        fputs("</h2>\n", f);
        write_left_out(f, facets);
        fputs("<p class=\"tools\"><a href=\"", f);
        write_url(f, "/report.csv", rq, NULL, 0, 1);
        fputs("\" download>Table as CSV</a></p>\n", f);
        write_table(f, t);
        imr__svg_bars(f, title, t->n_rows, t->row_value, t->dim[1] ? t->n_cols : 1,
                      t->dim[1] ? t->col_value : NULL, t->count);
        const char *labels[256];
        uint64_t values[256], undated = 0;
        size_t n = 0;
        for (size_t r = 0; r < years->n_rows; r++)
            if (strcmp(years->row_value[r], "unknown") == 0) {
                undated += years->count[r];
            } else if (n < 256) {
                labels[n] = years->row_value[r];
                values[n++] = years->count[r];
            }
        fputs("<h2>Items per year</h2>\n", f);
        if (n)
            imr__svg_line(f, "Items per year", n, labels, values);
        else
            fputs("<p class=\"empty\">No item is dated.</p>\n", f);
        if (undated)
            fprintf(f, "<p class=\"note\">%llu %s with no date %s not counted "
                       "here.</p>\n",
                    (unsigned long long)undated, undated == 1 ? "item" : "items",
                    undated == 1 ? "is" : "are");
    }
    fputs("</main>\n", f);
    page_end(f);
    imr_facets_free(facets);
}

/* /report.csv: the report's table through the command line's csv walk. */
static void report_csv(request_t *rq, reply_t *rp)
{
    imr_error_t err = {IMR_OK, ""};
    imr_facets_t *facets = NULL;
    read_params(rq, PAGE_HITS, MAX_LIMIT);
    rp->type = "text/plain; charset=utf-8";
    if (rq->error[0] || count_report(rq, &facets, &err) != IMR_OK) {
        if (!rq->error[0] && !user_error(rq, &err)) {
            fprintf(stderr, "imrsearch: serve: %s\n", err.msg);
            snprintf(rq->error, sizeof rq->error, "the database could not be read");
            rp->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        } else {
            rp->status = MHD_HTTP_BAD_REQUEST;
        }
        fprintf(rp->f, "%s\n", rq->error);
        return;
    }
    imr_sprinter_t sp;
    rp->type = "text/csv; charset=utf-8";
    rp->attachment = "imrsearch-report.csv";
    fputs("\xEF\xBB\xBF", rp->f);
    imr__sprinter_csv_init(&sp, rp->f);
    sp.begin_list(&sp);
    imr__walk_table_rows(&sp, imr_facets_table(facets, 0));
    imr__walk_left_out_row(&sp, facets, imr_facets_table(facets, 0));
    sp.end(&sp);
    imr_facets_free(facets);
}

/* ---- Static files and routing ---------------------------------------------------------- */

/* The compiled-in files of query/web/ served under /static/, with their types. */
static const struct {
    const char *url, *type;
} statics[] = {{"/static/style.css", "text/css; charset=utf-8"},
               {"/static/app.js", "text/javascript; charset=utf-8"},
               {"/static/favicon.svg", "image/svg+xml"}};

/* The Content-Type of url when it is one of the static files, else NULL. */
static const char *static_type(const char *url)
{
    for (size_t i = 0; i < sizeof statics / sizeof statics[0]; i++)
        if (strcmp(url, statics[i].url) == 0)
            return statics[i].type;
    return NULL;
}

/* A compiled-in file of query/web/, or NULL. */
static const struct imr_embedded *asset(const char *name)
{
    for (const struct imr_embedded *e = imr_embedded_files; e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, reply_t *rp)
{
    if (fclose(rp->f) != 0) {
        free(rp->buf);
        return MHD_NO;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(rp->len, rp->buf, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rp->buf);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rp->type);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (rp->status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (rp->attachment) {
        char disp[128];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", rp->attachment);
        MHD_add_response_header(resp, "Content-Disposition", disp);
    }
    enum MHD_Result ret = MHD_queue_response(conn, rp->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/*
 * libmicrohttpd's URI log callback, called with the request's URI before it is decoded: a
 * %00 would decode to a NUL byte and cut the path or a parameter short without a word, so
 * the request is refused instead. Returns the message for answer() (its *con_cls), or NULL.
 */
static void *check_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    static char nul_byte[] = "the address holds a NUL byte (%00)";
    (void)cls;
    (void)conn;
    return strstr(uri, "%00") ? nul_byte : NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload;
    (void)upload_size;
    request_t rq;
    const char *type;
    const struct imr_embedded *e;
    reply_t rp = {NULL, NULL, 0, MHD_HTTP_OK, "text/html; charset=utf-8", NULL};
    memset(&rq, 0, sizeof rq);
    rq.conn = conn;
    rq.pool = cls;
    if (!(rp.f = open_memstream(&rp.buf, &rp.len)))
        return MHD_NO;
    if (*con_cls)
        snprintf(rq.error, sizeof rq.error, "%s", (const char *)*con_cls);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        message_page(&rp, &rq, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed",
                     "This server only answers GET and HEAD.");
    } else if (strcmp(url, "/") == 0) {
        search_page(&rq, &rp);
    } else if (strcmp(url, "/api/search") == 0) {
        search_data(&rq, &rp, 0);
    } else if (strcmp(url, "/export.csv") == 0) {
        search_data(&rq, &rp, 1);
    } else if (strcmp(url, "/report") == 0) {
        report_page(&rq, &rp);
    } else if (strcmp(url, "/report.csv") == 0) {
        report_csv(&rq, &rp);
    } else if (strncmp(url, "/letter/", 8) == 0) {
        letter_page(&rq, &rp, url + 8);
    } else if (!rq.error[0] && (type = static_type(url)) && (e = asset(url + 8))) {
        fwrite(e->bytes, 1, *e->len, rp.f);
        rp.type = type;
    } else if (rq.error[0]) {
        message_page(&rp, &rq, MHD_HTTP_BAD_REQUEST, "Bad request", "The request was refused.");
    } else {
        message_page(&rp, &rq, MHD_HTTP_NOT_FOUND, "Not found", "There is no such page.");
    }
    return send_reply(conn, &rp);
}

/* ---- The server ------------------------------------------------------------------------ */

struct imr__server {
    pool_t pool;
};

imr_status_t imr__server_open(const char *path, imr__server_t **out, imr_error_t *err)
{
    imr__server_t *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&s->pool.mu, NULL);
    pthread_cond_init(&s->pool.freed, NULL);
    for (int i = 0; i < THREADS; i++)
        if (imr_db_open(path, IMR_DB_SERVE, &s->pool.db[i], err) != IMR_OK) {
            imr__server_close(s);
            return err->status;
        }
    *out = s;
    return IMR_OK;
}

struct MHD_Daemon *imr__server_start(imr__server_t *s, unsigned flags, uint16_t port,
                                     const struct sockaddr *addr, unsigned idle_timeout)
{
    return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | flags, port, NULL,
                            NULL, answer, &s->pool, MHD_OPTION_SOCK_ADDR, addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNS,
                            MHD_OPTION_CONNECTION_TIMEOUT,
                            idle_timeout ? idle_timeout : (unsigned)CONN_TIMEOUT,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MAX_REQUEST,
                            MHD_OPTION_STRICT_FOR_CLIENT, (int)1, /* no SP in a target,
                                                                   Host in HTTP/1.1 */
                            MHD_OPTION_URI_LOG_CALLBACK, check_uri, NULL, MHD_OPTION_END);
}

void imr__server_close(imr__server_t *s)
{
    if (!s)
        return;
    for (int i = 0; i < THREADS; i++)
        imr_db_close(s->pool.db[i]);
    pthread_mutex_destroy(&s->pool.mu);
    pthread_cond_destroy(&s->pool.freed);
    free(s);
}

/* ---- The command ------------------------------------------------------------------------- */

/* Where "serve" stands in argv (after the global --db option), or 0 when it is not there. */
static int serve_index(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0)
            i++;
        else if (strncmp(argv[i], "--db=", 5) == 0)
            continue;
        else
            return strcmp(argv[i], "serve") == 0 ? i : 0;
    }
    return 0;
}

int imr__serve_main(int argc, char **argv, imr__fail_fn fail, const double *weights)
{
    int at = serve_index(argc, argv);
    if (!at)
        return -1;
    const char *db_option = NULL, *bind_addr = "127.0.0.1";
    long port = 8080;
    for (int i = 1; i < at; i++)
        db_option = strncmp(argv[i], "--db=", 5) == 0 ? argv[i] + 5 : argv[++i];
    for (int i = at + 1; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0)
            return -1; /* main.c prints the usage */
        if (strcmp(opt, "--port") != 0 && strcmp(opt, "--bind") != 0)
            return fail(IMR_EXIT_USAGE, "serve: unknown argument \"%s\"; see imrsearch --help",
                        opt);
        if (i + 1 >= argc)
            return fail(IMR_EXIT_USAGE, "%s needs a value; see imrsearch --help", opt);
        const char *value = argv[++i];
        if (strcmp(opt, "--bind") == 0) {
            bind_addr = value;
            continue;
        }
        char *end = NULL;
        port = strtol(value, &end, 10);
        if (!*value || *end || port < 0 || port > 65535)
            return fail(IMR_EXIT_USAGE, "--port: not a port number: \"%s\"", value);
    }

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    int ipv6 = 0, loopback;
    if (inet_pton(AF_INET, bind_addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    } else if (inet_pton(AF_INET6, bind_addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        ipv6 = 1;
        loopback = memcmp(&v6->sin6_addr, &in6addr_loopback, sizeof in6addr_loopback) == 0;
    } else {
        return fail(IMR_EXIT_USAGE, "--bind: not an IP address: \"%s\"", bind_addr);
    }

    imr_error_t err = {IMR_OK, ""};
    char path[4096];
    imr__server_t *server = NULL;
    int code = IMR_EXIT_OK;
    if (imr_db_path(db_option, path, sizeof path, &err) != IMR_OK ||
        imr__server_open(path, &server, &err) != IMR_OK)
        code = fail(imr_exit_code(err.status), "%s", err.msg);
    else
        server->pool.weights = weights;

    /* SIGINT and SIGTERM are taken by sigwait() below, in no thread of the pool. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (code == IMR_EXIT_OK && !loopback)
        fail(IMR_EXIT_OK,
             "warning: serving on %s, not only this machine: the letters hold medical "
             "information; put a reverse proxy with authentication in front (docs/web.md)",
             bind_addr);
    struct MHD_Daemon *d = NULL;
    if (code == IMR_EXIT_OK &&
        !(d = imr__server_start(server, ipv6 ? MHD_USE_IPv6 : 0, (uint16_t)port,
                                (struct sockaddr *)&ss, 0)))
        code = fail(IMR_EXIT_IO, "serve: cannot listen on %s port %ld: %s", bind_addr, port,
                    strerror(errno));
    if (d) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        unsigned bound = info ? info->port : (unsigned)port;
        printf("listening on http://%s%s%s:%u/\n", ipv6 ? "[" : "", bind_addr, ipv6 ? "]" : "",
               bound);
        fflush(stdout);
        int sig;
        sigwait(&stop, &sig);
        MHD_stop_daemon(d);
    }
    imr__server_close(server);
    return code;
}
