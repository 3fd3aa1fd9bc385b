/*
 * main.c - imrsearch: ranked item search, facet counts, totals and whole letters from the
 * command line. It only reads arguments, calls libimr and hands the answer to a printer
 * (print.h); every message and exit code is documented in docs/man/imrsearch.1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "imr.h"
#include "imr_schema.h"
#include "print.h"
#include "serve.h"

static const char usage_text[] =
    "usage: imrsearch [OPTIONS] QUERY...      ranked items matching QUERY\n"
    "       imrsearch show ID [QUERY...]      a whole letter, QUERY's words marked\n"
    "       imrsearch stats                   totals and facet counts of the database\n"
    "       imrsearch serve [--port N] [--bind ADDR]\n"
    "                                         the web page on http://127.0.0.1:8080/\n"
    "\n"
    "Query: every word in the item's own text, inflections too (injection, injected);\n"
    "  \"a phrase\"  a OR b  -a or NOT a  prefix*  NEAR(a b, 5)  (grouping); or/not too\n"
    "  field:word with field = item, rationale, guideline (the item), summary, letter\n"
    "  decision words (overturned, denied), regions (shoulder, L5-S1) and guidelines (ODG)\n"
    "  act on the item's facets; decision:, region:, type:, source:, year:, case: filter\n"
    "  brands and generics, abbreviations and their spelled-out forms find each other\n"
    "  --literal   every word as text          --explain   how the query is read; no search\n"
    "  A word starting with - is an exclusion; options are -n N, -f F, -h, -V and --long.\n"
    "\n"
    "Filters (a comma list or a repeated option means any of the values):\n"
    "  --decision upheld|overturned|unknown   --type SLUG       --region SLUG\n"
    "  --source mtus|acoem|odg|aetna|other|none                --specialty SLUG\n"
    "  --claims-source SLUG   a source of the claims administrator's utilization review\n"
    "  --from DATE  --to DATE   decision date (else the letter's year), YYYY, YYYY-MM or\n"
    "                           YYYY-MM-DD\n"
    "  --layout 0|1|2|3\n"
    "Output:\n"
    "  -n, --limit N       hits to show (default 10; 0: all)     --offset N  skip N first\n"
    "  --letters           group hits per letter (limit and offset count letters)\n"
    "  --no-related        when few items match, list no items of their kind after them\n"
    "  -f, --format F      text, json, jsonl, csv or ids         --no-color\n"
    "  --facets LIST       counts per value of type,region,source,claims-source,decision,\n"
    "                      specialty,year\n"
    "  --by FACET          counts by FACET with each row's overturn rate; twice: a cross\n"
    "                      table, e.g. --by region --by decision (csv: one table a file)\n"
    "  --db PATH           database (default $IMRSEARCH_DB, else\n"
    "                      $XDG_DATA_HOME/imrsearch/imr.db or ~/.local/share/imrsearch/imr.db)\n"
    "  -h, --help  -V, --version\n"
    "\n"
    "Examples:\n"
    "  imrsearch continuous flow cryotherapy shoulder\n"
    "  imrsearch game ready knee overturned -rental\n"
    "  imrsearch --explain norco denied L5-S1\n"
    "  imrsearch --format csv --limit 0 \"hot cold unit\" > precedents.csv\n"
    "  imrsearch --type cold-heat-device --by region --by decision\n"
    "  imrsearch show 004 thermocool\n"
    "  imrsearch serve --port 9000          (docs/web.md)\n"
    "\n"
    "Exit status: 0 found, 1 nothing matched, 2 usage or query error, 3 database error,\n"
    "4 input/output error, 70 internal error. See imrsearch(1).\n";

enum long_only {
    OPT_DB = 256,
    OPT_OFFSET,
    OPT_LETTERS,
    OPT_NO_COLOR,
    OPT_DECISION,
    OPT_TYPE,
    OPT_REGION,
    OPT_SOURCE,
    OPT_CLAIMS_SOURCE,
    OPT_SPECIALTY,
    OPT_FROM,
    OPT_TO,
    OPT_LAYOUT,
    OPT_FACETS,
    OPT_BY,
    OPT_LITERAL,
    OPT_EXPLAIN,
    OPT_NO_RELATED
};

static const struct option long_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"limit", required_argument, NULL, 'n'},
    {"offset", required_argument, NULL, OPT_OFFSET},
    {"format", required_argument, NULL, 'f'},
    {"letters", no_argument, NULL, OPT_LETTERS},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"no-colour", no_argument, NULL, OPT_NO_COLOR},
    {"decision", required_argument, NULL, OPT_DECISION},
    {"type", required_argument, NULL, OPT_TYPE},
    {"region", required_argument, NULL, OPT_REGION},
    {"source", required_argument, NULL, OPT_SOURCE},
    {"claims-source", required_argument, NULL, OPT_CLAIMS_SOURCE},
    {"specialty", required_argument, NULL, OPT_SPECIALTY},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"facets", required_argument, NULL, OPT_FACETS},
    {"by", required_argument, NULL, OPT_BY},
    {"literal", no_argument, NULL, OPT_LITERAL},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"no-related", no_argument, NULL, OPT_NO_RELATED},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

/* Everything main() owns, freed in one place. */
typedef struct args {
    imr_search_opts_t opts;
    char *filter[7]; /* joined values of the repeatable filters */
    const char *db_option;
    const char *format;
    int no_color;
    char *facets; /* --facets, joined */
    const char *by[3];
    int n_by;
    char *query;         /* the query words joined by spaces */
    const char *command; /* "search", "show" or "stats" */
    int explain;         /* --explain: print the reading, do not search */
    const char *show_id;
} args_t;

/* Writes "imrsearch: MESSAGE" on stderr and returns code, the exit code to stop with. */
static int fail(imr_exit_t code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(imr_exit_t code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    char *q = msg ? imr_quote_controls(msg) : NULL; /* names and ids reach the terminal here */
    fprintf(stderr, "imrsearch: %s\n", q ? q : "out of memory");
    free(q);
    free(msg);
    return (int)code;
}

/* Appends value to *list with a comma; returns 0 when out of memory. */
static int join(char **list, const char *value, const char *sep)
{
    size_t old = *list ? strlen(*list) : 0, add = strlen(value), sl = strlen(sep);
    char *p = realloc(*list, old + sl + add + 1);
    if (!p)
        return 0;
    if (old) {
        memcpy(p + old, sep, sl);
        old += sl;
    }
    memcpy(p + old, value, add + 1);
    *list = p;
    return 1;
}

/* Parses a count option; -1 when not a non-negative integer. */
static long long count_arg(const char *s)
{
    char *end = NULL;
    if (!*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0)
        return -1;
    return v;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A short description of the filters for the text header: "decision=overturned, ...". */
static char *describe_filters(const args_t *a)
{
    static const char *const names[] = {"decision",  "type",   "region",        "source",
                                        "specialty", "layout", "claims-source", NULL};
    const char *values[] = {a->opts.decision,     a->opts.item_type, a->opts.body_region,
                            a->opts.source,       a->opts.specialty, a->opts.layout,
                            a->opts.claims_source};
    char *d = NULL;
    int ok = join(&d, "", "");
    for (int i = 0; ok && names[i]; i++)
        if (values[i]) {
            char part[300];
            snprintf(part, sizeof part, "%s=%s", names[i], values[i]);
            ok = join(&d, part, ", ");
        }
    if (ok && a->opts.date_from) {
        char part[64];
        snprintf(part, sizeof part, "from=%s", a->opts.date_from);
        ok = join(&d, part, ", ");
    }
    if (ok && a->opts.date_to) {
        char part[64];
        snprintf(part, sizeof part, "to=%s", a->opts.date_to);
        ok = join(&d, part, ", ");
    }
    if (!ok) {
        free(d);
        return NULL;
    }
    if (d[0] == ',')
        memmove(d, d + 2, strlen(d + 2) + 1);
    return d;
}

/*
 * The long option that `arg` ("--name" or "--name=value") names, as getopt_long() reads it
 * (the whole name or a prefix of one option only); NULL when none.
 */
static const struct option *long_option(const char *arg)
{
    size_t n = strcspn(arg + 2, "=");
    const struct option *found = NULL;
    for (const struct option *o = long_options; o->name; o++) {
        if (strncmp(o->name, arg + 2, n) != 0)
            continue;
        if (strlen(o->name) == n)
            return o;
        if (found)
            return NULL;
        found = o;
    }
    return found;
}

/*
 * Splits argv[1..argc) into the options (with their values), left in argv[1..*n_opts] in
 * order, and the query words, moved behind them from argv[*first_word]: options are read up to
 * the first query word, and after it only long options (`--limit 5`), so that `-knee` or
 * `-norco` after a word is an exclusion. `--` ends the options. A word is anything else: the
 * short options are exactly -n, -f, -h, -V (or -nN). Returns -1, or the exit code of an
 * unknown option (named with its place).
 */
static int split_args(int *argc, char **argv, int *n_opts)
{
    char **words = malloc((size_t)*argc * sizeof *words);
    int n_words = 0, n = 1, only_words = 0;
    if (!words)
        return fail(IMR_EXIT_INTERNAL, "out of memory");
    for (int i = 1; i < *argc; i++) {
        const char *arg = argv[i];
        int takes_value = 0;
        if (only_words || arg[0] != '-' || arg[1] == '\0') {
            words[n_words++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_words = 1;
            continue;
        }
        if (arg[1] == '-') {
            const struct option *o = long_option(arg);
            if (!o) {
                free(words);
                return fail(IMR_EXIT_USAGE, "unknown option %s (argument %d); see imrsearch --help",
                            arg, i);
            }
            takes_value = o->has_arg == required_argument && !strchr(arg, '=');
        } else {
            int is_short = strchr("nfhV", arg[1]) &&
                           (arg[2] == '\0' ||
                            (arg[1] == 'n' && strspn(arg + 2, "0123456789") == strlen(arg + 2)));
            if (!is_short) {
                words[n_words++] = argv[i];
                continue;
            }
            takes_value = arg[2] == '\0' && (arg[1] == 'n' || arg[1] == 'f');
        }
        argv[n++] = argv[i];
        if (takes_value && i + 1 < *argc)
            argv[n++] = argv[++i];
    }
    for (int k = 0; k < n_words; k++)
        argv[n + k] = words[k];
    free(words);
    *n_opts = n;
    *argc = n + n_words; /* without `--` */
    return -1;
}

/* Parses argv into a; returns -1 to go on, else the exit code to stop with. */
static int parse_args(int argc, char **argv, args_t *a)
{
    int c, n_opts = 1;
    int rc = split_args(&argc, argv, &n_opts);
    if (rc >= 0)
        return rc;
    opterr = 0;
    a->format = "text";
    a->opts.limit = 10;
    a->opts.related = 1;
    a->command = "search";
    while ((c = getopt_long(n_opts, argv, "+:n:f:hV", long_options, NULL)) != -1) {
        long long v;
        int slot = -1;
        switch (c) {
        case OPT_DB:
            a->db_option = optarg;
            break;
        case 'n':
        case OPT_OFFSET:
            if ((v = count_arg(optarg)) < 0)
                return fail(IMR_EXIT_USAGE, "%s: not a count: \"%s\"",
                            c == 'n' ? "--limit" : "--offset", optarg);
            if (c == 'n')
                a->opts.limit = (size_t)v;
            else
                a->opts.offset = (size_t)v;
            break;
        case 'f':
            a->format = optarg;
            break;
        case OPT_LETTERS:
            a->opts.by_letter = 1;
            break;
        case OPT_NO_COLOR:
            a->no_color = 1;
            break;
        case OPT_DECISION:
            slot = 0;
            break;
        case OPT_TYPE:
            slot = 1;
            break;
        case OPT_REGION:
            slot = 2;
            break;
        case OPT_SOURCE:
            slot = 3;
            break;
        case OPT_LAYOUT:
            slot = 4;
            break;
        case OPT_CLAIMS_SOURCE:
            slot = 5;
            break;
        case OPT_SPECIALTY:
            a->opts.specialty = optarg;
            break;
        case OPT_FROM:
            a->opts.date_from = optarg;
            break;
        case OPT_TO:
            a->opts.date_to = optarg;
            break;
        case OPT_FACETS:
            if (!join(&a->facets, optarg, ","))
                return fail(IMR_EXIT_INTERNAL, "out of memory");
            break;
        case OPT_LITERAL:
            a->opts.literal = 1;
            break;
        case OPT_EXPLAIN:
            a->explain = 1;
            break;
        case OPT_NO_RELATED:
            a->opts.related = 0;
            break;
        case OPT_BY:
            if (a->n_by == 2)
                return fail(IMR_EXIT_USAGE, "--by: at most two facets (rows, columns)");
            a->by[a->n_by++] = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return fflush(stdout) ? IMR_EXIT_IO : IMR_EXIT_OK;
        case 'V':
            printf("imrsearch %s (schema %d, SQLite %s)\n", IMR_VERSION, IMR_SCHEMA_VERSION,
                   sqlite3_libversion());
            return fflush(stdout) ? IMR_EXIT_IO : IMR_EXIT_OK;
        case ':':
            return fail(IMR_EXIT_USAGE, "%s needs a value; see imrsearch --help", argv[optind - 1]);
        default:
            return fail(IMR_EXIT_USAGE, "unknown option %s; see imrsearch --help",
                        argv[optind - 1]);
        }
        if (slot >= 0 && !join(&a->filter[slot], optarg, ","))
            return fail(IMR_EXIT_INTERNAL, "out of memory");
    }
    a->opts.decision = a->filter[0];
    a->opts.item_type = a->filter[1];
    a->opts.body_region = a->filter[2];
    a->opts.source = a->filter[3];
    a->opts.layout = a->filter[4];
    a->opts.claims_source = a->filter[5];

    int first = n_opts;
    if (first < argc && (strcmp(argv[first], "show") == 0 || strcmp(argv[first], "stats") == 0 ||
                         strcmp(argv[first], "search") == 0)) {
        a->command = argv[first++];
        if (strcmp(a->command, "show") == 0) {
            if (first >= argc)
                return fail(IMR_EXIT_USAGE, "show needs a letter ID");
            a->show_id = argv[first++];
        } else if (strcmp(a->command, "stats") == 0 && first < argc) {
            return fail(IMR_EXIT_USAGE, "stats takes no query: \"%s\"", argv[first]);
        }
    }
    if (!join(&a->query, "", ""))
        return fail(IMR_EXIT_INTERNAL, "out of memory");
    for (int i = first; i < argc; i++)
        if (!join(&a->query, argv[i], *a->query ? " " : ""))
            return fail(IMR_EXIT_INTERNAL, "out of memory");
    a->opts.query = a->query;
    return -1;
}

/* Reports a library error on stderr and returns its exit code. */
static int report(const imr_error_t *err)
{
    const char *prefix = "";
    if (err->status == IMR_ERR_QUERY && strncmp(err->msg, "invalid query", 13) != 0)
        prefix = "invalid query: ";
    fprintf(stderr, "imrsearch: %s%s\n", prefix, err->msg);
    return (int)imr_exit_code(err->status);
}

int main(int argc, char **argv)
{
    args_t a;
    imr_error_t err = {IMR_OK, ""};
    imr_db_t *db = NULL;
    imr_results_t *results = NULL;
    imr_facets_t *facets = NULL;
    imr_letter_view_t *view = NULL;
    imr_query_t *reading = NULL;
    imr_facet_request_t req[8];
    size_t n_req = 0;
    char path[4096], *filters = NULL;
    int code;
    double t0 = now_ms();

    memset(&a, 0, sizeof a);
    imr_dict_dir_set(getenv("IMRSEARCH_DICT_DIR"));
    double weights[IMR_N_ITEM_COLS];
    int tuned = imr_search_weights_parse(getenv("IMRSEARCH_BM25_WEIGHTS"), weights);
    if ((code = imr__serve_main(argc, argv, fail, tuned ? weights : NULL)) >= 0)
        return code;
    code = parse_args(argc, argv, &a);
    if (code >= 0)
        goto done;
    a.opts.bm25_weights = tuned ? weights : NULL;

    const imr_printer_t *printer = imr__printer_find(a.format);
    if (!printer) {
        code = fail(IMR_EXIT_USAGE, "unknown format \"%s\"; formats are: %s", a.format,
                    "text, json, jsonl, csv, ids");
        goto done;
    }
    a.opts.related &= printer->related;

    /* Facet tables asked for: --facets a,b,... then the --by cross table. */
    char *facet_names = a.facets;
    for (char *p = facet_names; p && *p;) {
        size_t len = strcspn(p, ",");
        int more = p[len] == ',';
        p[len] = '\0';
        if (*p) {
            if (n_req == sizeof req / sizeof req[0] - 1) {
                code = fail(IMR_EXIT_USAGE, "--facets: too many facets");
                goto done;
            }
            req[n_req++] = (imr_facet_request_t){{p, NULL}, 1};
        }
        p += len + more;
    }
    if (a.n_by)
        req[n_req++] = (imr_facet_request_t){{a.by[0], a.n_by > 1 ? a.by[1] : NULL}, a.n_by};
    /* CSV is one table a file: the long form of one-facet tables, or one cross table. */
    if (a.n_by == 2 && n_req > 1 && strcmp(a.format, "csv") == 0) {
        code = fail(IMR_EXIT_USAGE, "--format csv writes one table: a cross table (--by twice) "
                                    "cannot go with --facets; run them apart");
        goto done;
    }
    /* Usage errors come before the database is opened. */
    for (size_t i = 0; i < n_req; i++)
        for (int k = 0; k < req[i].n_dims; k++)
            if (imr_facet_check(req[i].dim[k], &err) != IMR_OK) {
                code = report(&err);
                goto done;
            }
    char day[11];
    if ((a.opts.date_from && imr_date_bound(a.opts.date_from, 0, "--from", day, &err)) ||
        (a.opts.date_to && imr_date_bound(a.opts.date_to, 1, "--to", day, &err))) {
        code = report(&err);
        goto done;
    }
    if (imr_query_parse_flags(a.query, a.opts.literal ? IMR_QUERY_LITERAL : 0, &reading, &err) !=
        IMR_OK) {
        code = report(&err);
        goto done;
    }
    if (!(filters = describe_filters(&a))) {
        code = fail(IMR_EXIT_INTERNAL, "out of memory");
        goto done;
    }
    if (a.explain) {
        if (!printer->explain) {
            code = fail(IMR_EXIT_USAGE, "format %s cannot print the reading", a.format);
            goto done;
        }
        imr_print_ctx_t ectx = {.out = stdout, .query = a.query, .filters = filters,
                                .elapsed_ms = -1.0, .reading = reading};
        printer->explain(&ectx);
        code = fflush(stdout) ? fail(IMR_EXIT_IO, "writing the output: %s", strerror(errno))
                              : IMR_EXIT_OK;
        goto done;
    }
    if (strcmp(a.command, "search") == 0 && n_req == 0 && !printer->results) {
        code = fail(IMR_EXIT_USAGE, "format %s cannot print hits", a.format);
        goto done;
    }
    if ((n_req || strcmp(a.command, "stats") == 0) && !printer->facets) {
        code = fail(IMR_EXIT_USAGE, "format %s cannot print facet counts", a.format);
        goto done;
    }
    if (strcmp(a.command, "show") == 0 && !printer->letter) {
        code = fail(IMR_EXIT_USAGE, "format %s cannot print a letter", a.format);
        goto done;
    }

    if (imr_db_path(a.db_option, path, sizeof path, &err) != IMR_OK ||
        imr_db_open(path, IMR_DB_READ, &db, &err) != IMR_OK) {
        code = report(&err);
        goto done;
    }
    /*
     * One read transaction for the whole run (imr_db_close() ends it): every query below sees
     * the same committed state, even while imrindex commits batches in WAL mode. Without it,
     * the totals and each facet table could each come from a different batch.
     */
    if (imr_db_begin_read(db, &err) != IMR_OK) {
        code = report(&err);
        goto done;
    }

    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    int tty = isatty(STDOUT_FILENO);
    imr_print_ctx_t ctx = {.out = stdout, .query = a.query, .filters = "", .elapsed_ms = -1.0,
                           .offset = a.opts.offset, .by_letter = a.opts.by_letter};
    ctx.color = tty && !a.no_color && !(no_color && *no_color) &&
                !(term && strcmp(term, "dumb") == 0) && strcmp(a.format, "text") == 0;
    struct winsize ws;
    if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        ctx.width = ws.ws_col;
    ctx.filters = filters;
    ctx.reading = *a.query || strcmp(a.command, "search") == 0 ? reading : NULL;
    const char *no_timing = getenv("IMRSEARCH_NO_TIMING");
    int timing = !(no_timing && *no_timing && strcmp(no_timing, "0") != 0);

    code = IMR_EXIT_OK;
    if (strcmp(a.command, "stats") == 0) {
        static const char *const all[] = {"decision", "type",      "region",
                                          "source",   "specialty", "year"};
        imr_stats_t stats;
        imr_search_opts_t none = {0};
        for (n_req = 0; n_req < 6; n_req++)
            req[n_req] = (imr_facet_request_t){{all[n_req], NULL}, 1};
        if (imr_stats(db, &stats, &err) != IMR_OK ||
            imr_facets(db, &none, req, n_req, &facets, &err) != IMR_OK) {
            code = report(&err);
            goto done;
        }
        printer->stats(&ctx, &stats, facets);
    } else if (strcmp(a.command, "show") == 0) {
        if (imr_letter_show(db, a.show_id, a.query, &view, &err) != IMR_OK) {
            code = report(&err);
            goto done;
        }
        if (!view) {
            code = fail(IMR_EXIT_NO_MATCH, "no letter \"%s\" in %s", a.show_id, path);
            goto done;
        }
        printer->letter(&ctx, view);
    } else if (n_req) {
        if (imr_facets(db, &a.opts, req, n_req, &facets, &err) != IMR_OK) {
            code = report(&err);
            goto done;
        }
        ctx.elapsed_ms = timing ? now_ms() - t0 : -1.0;
        if (ctx.reading) /* as the counts read it: spelling corrected, words left out */
            ctx.reading = imr_facets_query(facets);
        printer->facets(&ctx, facets);
        if (imr_facets_total_items(facets) == 0)
            code = IMR_EXIT_NO_MATCH;
    } else {
        if (imr_search(db, &a.opts, &results, &err) != IMR_OK) {
            code = report(&err);
            goto done;
        }
        ctx.elapsed_ms = timing ? now_ms() - t0 : -1.0;
        if (ctx.reading) /* as the search read it: spelling corrected, words left out */
            ctx.reading = imr_results_query(results);
        printer->results(&ctx, results);
        if (imr_results_total_items(results) == 0)
            code = IMR_EXIT_NO_MATCH;
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        code = fail(IMR_EXIT_IO, "writing the output: %s", strerror(errno));

done:
    imr_results_free(results);
    imr_facets_free(facets);
    imr_letter_view_free(view);
    imr_query_free(reading);
    imr_db_close(db);
    for (int i = 0; i < 7; i++)
        free(a.filter[i]);
    free(a.facets);
    free(a.query);
    free(filters);
    return code;
}
