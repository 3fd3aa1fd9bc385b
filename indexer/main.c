/*
 * main.c - imrindex: letter files in, an imrsearch database out.
 *
 * Parses the options, lists the files (walking folders first, so the progress line knows the
 * total), feeds them to the library's indexer, and reports: one line per problem file, a
 * progress line on a terminal, a summary at the end. Everything it prints goes to stderr.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "imr.h"

static const char usage_text[] =
    "Usage: imrindex [OPTION]... PATH...\n"
    "Index IMR determination letters (text files or PDFs) into an imrsearch database.\n"
    "\n"
    "PATH is a letter file or a folder, searched recursively for *.txt, *.text and *.pdf\n"
    "files (in any case); '-' reads more paths from standard input, one per line. A letter's\n"
    "id is its file name without the extension; when another letter whose file still exists\n"
    "holds that id, its folder comes in front (b/letter). Files whose bytes have not changed\n"
    "since the last run are skipped. The summary counts indexed letters whose files are\n"
    "gone. PDFs are read by poppler in worker processes with the limits below.\n"
    "\n"
    "Options:\n"
    "      --db PATH      the database (default: $IMRSEARCH_DB, else\n"
    "                     $XDG_DATA_HOME/imrsearch/imr.db, else\n"
    "                     ~/.local/share/imrsearch/imr.db); created with its folder\n"
    "      --prune        also remove letters whose files no longer exist\n"
    "      --batch N      commit every N letters (default 5000, or every 32 MB of text)\n"
    "      --check        check the database (SQLite's quick_check, the schema, both\n"
    "                     full-text indexes against the letters' text) and exit\n"
    "      --rebuild      build the full-text indexes and word counts again from the\n"
    "                     letters' text (what --check and searches ask for) and exit\n"
    "      --optimize     merge both full-text indexes into one segment each at the end\n"
    "                     (the item index is merged anyway after a run that wrote a\n"
    "                     quarter of the items or more)\n"
    "      --pdf-timeout S  give up a PDF whose text takes more than S seconds (default 30)\n"
    "      --pdf-memory MB  memory a PDF's reading may take (default 1024)\n"
    "      --pdf-pages N    refuse PDFs of more than N pages (default 200)\n"
    "      --read-ahead MB  memory the letters read and parsed ahead of the writing may\n"
    "                     hold (default 64; one letter is read whatever its size)\n"
    "  -q, --quiet        print only problem files: no progress line, no summary\n"
    "  -v, --verbose      print one line per letter: indexed, unchanged, partial, ...,\n"
    "                     and the memory the run took\n"
    "  -h, --help         show this help and exit\n"
    "  -V, --version      show the version and exit\n"
    "\n"
    "Exit status: 0 all files indexed; 1 some files skipped (each named on stderr), or no\n"
    "letter found in the PATHs;\n"
    "2 usage error; 3 database problem; 4 input/output error; 70 internal error;\n"
    "130/143 interrupted by SIGINT/SIGTERM (the last batch is rolled back).\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

/* Options of one run. */
struct options {
    const char *db;
    int prune, quiet, verbose, optimize;
    const char *repair; /* "--check" or "--rebuild": only that, on the database */
    size_t batch; /* letters per transaction; 0: the library's default */
    long long pdf_seconds, pdf_memory_mb, pdf_pages; /* 0: the library's defaults */
    long long read_ahead_mb;                         /* 0: the library's default */
};

/* A numeric option: its name, its range, where it goes, what its value counts. */
struct number_option {
    const char *name;
    long long lo, hi;
    const char *unit;
};

/*
 * When argv[*i] is option `o` ("--name N" or "--name=N"), reads its value into *out (moving *i
 * past it) and returns 1, or prints why the value is wrong and returns -1; returns 0 when
 * argv[*i] is another option.
 */
static int number_arg(const struct number_option *o, int argc, char **argv, int *i,
                      long long *out)
{
    const char *a = argv[*i];
    size_t n = strlen(o->name);
    if (strncmp(a, o->name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return 0;
    const char *v = a[n] == '=' ? a + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
    char *end = NULL;
    long long k = v ? strtoll(v, &end, 10) : 0;
    if (!v || !*v || *end || k < o->lo || k > o->hi) {
        fprintf(stderr, "imrindex: %s needs a number of %s from %lld to %lld\n", o->name, o->unit,
                o->lo, o->hi);
        return -1;
    }
    *out = k;
    return 1;
}

/* Seconds since an arbitrary start, from the monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Formats seconds as "1h02m", "3m05s" or "12s". */
static void format_duration(double s, char *buf, size_t n)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

/* The terminal progress line: letters done / total, MB/s, time left. */
struct progress {
    int on;             /* stderr is a terminal and not --quiet */
    double start, last; /* times of the run's start and the last line drawn */
    size_t total;
    uint64_t total_bytes;
    int drawn; /* a line is on screen */
};

static void progress_draw(struct progress *p, size_t done, uint64_t bytes, int force)
{
    if (!p->on)
        return;
    double t = now();
    if (!force && t - p->last < 0.2)
        return;
    p->last = t;
    double el = t - p->start;
    double mbs = el > 0 ? (double)bytes / 1e6 / el : 0;
    char left[32] = "?";
    if (bytes > 0 && p->total_bytes >= bytes)
        format_duration(el * (double)(p->total_bytes - bytes) / (double)bytes, left, sizeof left);
    fprintf(stderr, "\r\033[K%zu / %zu letters, %.1f MB/s, %s left", done, p->total, mbs, left);
    fflush(stderr);
    p->drawn = 1;
}

/* Removes the progress line so that a message can be printed. */
static void progress_clear(struct progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = 0;
    }
}

/*
 * Writes s to stderr with its control bytes quoted (imr_quote_controls()): file names reach
 * the terminal through every message.
 */
static void put_quoted(const char *s)
{
    char *q = imr_quote_controls(s);
    fputs(q ? q : "(out of memory)", stderr);
    free(q);
}

/* Writes "imrindex: MESSAGE" on stderr, quoted. */
static void print_error(const imr_error_t *err)
{
    fputs("imrindex: ", stderr);
    put_quoted(err->msg);
    fputc('\n', stderr);
}

/* Adds each line of standard input as a path. */
static imr_status_t add_stdin_paths(imr_file_list_t *list, imr_error_t *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    imr_status_t st = IMR_OK;
    while (st == IMR_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            st = imr_file_list_add(list, line, err);
    }
    if (st == IMR_OK && ferror(stdin))
        st = imr_error_set(err, IMR_ERR_IO, "standard input: %s", strerror(errno));
    free(line);
    return st;
}

/* Prints one removed letter under --verbose. */
static void print_pruned(const char *name, const char *path, void *ctx)
{
    (void)name;
    if (*(const int *)ctx) {
        put_quoted(path);
        fputs(": removed (file gone)\n", stderr);
    }
}

static const char *layout_name(int layout)
{
    static const char *const names[] = {"unknown", "1", "2", "3"};
    return names[layout];
}

/* Prints the --verbose line of one file. */
static void print_verbose(const char *path, const imr_file_result_t *r)
{
    switch (r->outcome) {
    case IMR_FILE_NEW:
    case IMR_FILE_CHANGED:
        put_quoted(path);
        fprintf(stderr, ": %s, layout %s, %zu item%s",
                r->outcome == IMR_FILE_NEW ? "indexed" : "re-indexed", layout_name(r->layout),
                r->n_items, r->n_items == 1 ? "" : "s");
        if (r->parse != IMR_PARSE_COMPLETE)
            fprintf(stderr, ", %s: %s", imr_parse_status_slug(r->parse), r->problem);
        if (r->disagreement[0])
            fprintf(stderr, "; decision cues disagree: %s", r->disagreement);
        if (r->warnings & IMR_WARN_NOT_UTF8)
            fputs("; bytes not UTF-8, read as Windows-1252", stderr);
        if (r->warnings & IMR_WARN_UNREADABLE)
            fputs("; bytes that no encoding reads, shown as U+FFFD", stderr);
        fputc('\n', stderr);
        break;
    case IMR_FILE_UNCHANGED:
        put_quoted(path);
        fputs(": unchanged\n", stderr);
        break;
    case IMR_FILE_SKIPPED:
        break;
    }
}

/* The letters the end of a run names: the first few whose reading has a problem. */
#define NAMED_PROBLEMS 5
struct problems {
    char line[NAMED_PROBLEMS][IMR_FILE_PATH_MAX + 200];
    size_t n;     /* letters with a problem, all of them */
};

/* What file_done() needs. */
struct run {
    const struct options *opt;
    struct progress *prog;
    imr_indexer_t *ix;
    struct problems *problems;
};

/*
 * Notes a new or changed letter that was not read completely, whose cues disagree or that holds
 * bytes no encoding reads.
 */
static void note_problem(struct problems *p, const char *path, const imr_file_result_t *r)
{
    int unreadable = (r->warnings & IMR_WARN_UNREADABLE) != 0;
    if (r->parse == IMR_PARSE_COMPLETE && !r->n_unknown && !r->disagreement[0] && !unreadable)
        return;
    if (p->n < NAMED_PROBLEMS) {
        char *l = p->line[p->n];
        size_t n = sizeof p->line[0];
        if (r->parse != IMR_PARSE_COMPLETE)
            snprintf(l, n, "%s: %s: %s", path, imr_parse_status_slug(r->parse), r->problem);
        else if (r->n_unknown)
            snprintf(l, n, "%s: %zu item%s with unknown decision", path, r->n_unknown,
                     r->n_unknown == 1 ? "" : "s");
        else if (r->disagreement[0])
            snprintf(l, n, "%s: decision cues disagree: %s", path, r->disagreement);
        else
            snprintf(l, n, "%s: bytes that no encoding reads, shown as U+FFFD", path);
    }
    p->n++;
}

/* The share of part in whole, in percent. */
static double share(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/*
 * Prints, when some letter was not read completely, some item has no decision or some bytes
 * could not be read, the shares of partial and unparsed letters and of items without decision,
 * the letters with unreadable bytes, and names the first few.
 */
static void print_parse_problems(const imr_index_stats_t *s, const struct problems *p, int verbose)
{
    size_t letters = s->letters_new + s->letters_changed;
    if (!p->n)
        return;
    fprintf(stderr,
            "reading: %.1f%% of letters partial (%zu of %zu), %.1f%% unparsed (%zu); %.1f%% of "
            "items with unknown decision (%zu of %zu); %zu item%s whose decision cues disagree\n",
            share(s->partial, letters), s->partial, letters, share(s->unparsed, letters),
            s->unparsed, share(s->items_unknown, s->items), s->items_unknown, s->items,
            s->disagreements, s->disagreements == 1 ? "" : "s");
    if (s->unreadable)
        fprintf(stderr, "encoding: %zu letter%s with bytes that no encoding reads (shown as "
                "U+FFFD)\n", s->unreadable, s->unreadable == 1 ? "" : "s");
    for (size_t i = 0; i < p->n && i < NAMED_PROBLEMS; i++) {
        fputs("  ", stderr);
        put_quoted(p->line[i]);
        fputc('\n', stderr);
    }
    if (p->n > NAMED_PROBLEMS)
        fprintf(stderr, "  ... and %zu more letters%s\n", p->n - NAMED_PROBLEMS,
                verbose ? " (named above)" : " (imrindex -v names every one)");
}

/*
 * Prints the end-of-run summary: counts first (the same on every run over the same input),
 * the time and speed on the last line.
 */
static void print_summary(const imr_index_stats_t *s, size_t walk_problems,
                          const size_t walk_by[IMR_N_SKIP], const struct problems *problems,
                          int verbose, double seconds)
{
    fprintf(stderr, "%zu indexed (%zu new, %zu changed), %zu unchanged, %zu skipped",
            s->letters_new + s->letters_changed, s->letters_new, s->letters_changed,
            s->letters_unchanged, s->skipped + walk_problems);
    if (s->pruned)
        fprintf(stderr, ", %zu removed", s->pruned);
    fprintf(stderr, "; %zu items\n", s->items);
    if (s->gone)
        fprintf(stderr, "gone: the files of %zu indexed letter%s no longer exist; they are still "
                "searched until imrindex --prune removes them\n", s->gone, s->gone == 1 ? "" : "s");
    if (s->letters_new + s->letters_changed) {
        fprintf(stderr, "by layout: 1: %zu, 2: %zu, 3: %zu, unknown: %zu", s->by_layout[1],
                s->by_layout[2], s->by_layout[3], s->by_layout[0]);
        fprintf(stderr, "; partial: %zu, unparsed: %zu\n", s->partial, s->unparsed);
    }
    const char *sep = "skipped: ";
    for (int r = 1; r < IMR_N_SKIP; r++) {
        size_t k = s->skipped_by[r] + walk_by[r];
        if (k) {
            fprintf(stderr, "%s%zu %s", sep, k, imr_skip_reason_slug((imr_skip_reason_t)r));
            sep = ", ";
        }
    }
    if (s->skipped + walk_problems)
        fputc('\n', stderr);
    print_parse_problems(s, problems, verbose);
    double mb = (double)s->bytes_read / 1e6;
    fprintf(stderr, "read %.1f MB in %.1f s (%.1f MB/s)", mb, seconds,
            seconds > 0 ? mb / seconds : 0);
    struct rusage ru;
    if (verbose && getrusage(RUSAGE_SELF, &ru) == 0)
        fprintf(stderr, "; memory: peak %.1f MB resident, letters read ahead held at most %.1f MB",
                (double)ru.ru_maxrss / 1024, (double)s->read_ahead_peak / (1 << 20));
    fputc('\n', stderr);
}

/*
 * Reports one file as the indexer finishes it: its problem line, its --verbose line, the
 * progress line. Returns nonzero, to stop the run, once a signal came.
 */
static int file_done(size_t i, const char *path, const imr_file_result_t *res, void *ctx)
{
    struct run *run = ctx;
    if (res->outcome == IMR_FILE_NEW || res->outcome == IMR_FILE_CHANGED)
        note_problem(run->problems, path, res);
    if (res->outcome == IMR_FILE_SKIPPED) {
        progress_clear(run->prog);
        put_quoted(res->message);
        fputc('\n', stderr);
    } else if (run->opt->verbose) {
        progress_clear(run->prog);
        print_verbose(path, res);
    }
    progress_draw(run->prog, i + 1, imr_indexer_stats(run->ix)->bytes_read, 0);
    return interrupted != 0;
}

/* Parses argv into opt and the list of paths; returns 0, or an exit code to stop with. */
static int parse_args(int argc, char **argv, struct options *opt, char ***paths, int *n_paths)
{
    static const struct number_option batch = {"--batch", 1, 1000000, "letters"},
                                      timeout = {"--pdf-timeout", 1, 3600, "seconds"},
                                      memory = {"--pdf-memory", 16, 1 << 20, "MB"},
                                      pages = {"--pdf-pages", 1, 100000, "pages"},
                                      ahead = {"--read-ahead", 1, 1 << 20, "MB"};
    int only_paths = 0, n = 0, got;
    long long k = 0;
    char **p = calloc((size_t)argc + 1, sizeof *p);
    if (!p) {
        fputs("imrindex: out of memory\n", stderr);
        return IMR_EXIT_INTERNAL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            p[n++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_paths = 1;
        } else if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc) {
                fputs("imrindex: --db needs a PATH (try imrindex --help)\n", stderr);
                free(p);
                return IMR_EXIT_USAGE;
            }
            opt->db = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            opt->db = a + 5;
        } else if ((got = number_arg(&batch, argc, argv, &i, &k)) != 0 ||
                   (got = number_arg(&timeout, argc, argv, &i, &opt->pdf_seconds)) != 0 ||
                   (got = number_arg(&memory, argc, argv, &i, &opt->pdf_memory_mb)) != 0 ||
                   (got = number_arg(&pages, argc, argv, &i, &opt->pdf_pages)) != 0 ||
                   (got = number_arg(&ahead, argc, argv, &i, &opt->read_ahead_mb)) != 0) {
            if (got < 0) {
                free(p);
                return IMR_EXIT_USAGE;
            }
            if (strncmp(a, "--batch", 7) == 0)
                opt->batch = (size_t)k;
        } else if (strcmp(a, "--check") == 0 || strcmp(a, "--rebuild") == 0) {
            opt->repair = a;
        } else if (strcmp(a, "--optimize") == 0) {
            opt->optimize = 1;
        } else if (strcmp(a, "--prune") == 0) {
            opt->prune = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            opt->quiet = 1;
        } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            opt->verbose = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            free(p);
            return -1;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("imrindex %s\n", IMR_VERSION);
            free(p);
            return -1;
        } else {
            fprintf(stderr, "imrindex: unknown option %s (try imrindex --help)\n", a);
            free(p);
            return IMR_EXIT_USAGE;
        }
    }
    if (opt->quiet && opt->verbose) {
        fputs("imrindex: --quiet and --verbose do not go together\n", stderr);
        free(p);
        return IMR_EXIT_USAGE;
    }
    if (opt->repair && (n || opt->prune || opt->optimize)) {
        fprintf(stderr, "imrindex: %s takes no PATH, --prune or --optimize\n", opt->repair);
        free(p);
        return IMR_EXIT_USAGE;
    }
    if (n == 0 && !opt->prune && !opt->optimize && !opt->repair) {
        fputs("imrindex: no PATH given (try imrindex --help)\n", stderr);
        free(p);
        return IMR_EXIT_USAGE;
    }
    *paths = p;
    *n_paths = n;
    return 0;
}

/* Prints one problem that --check found. */
static void print_problem(const char *problem, int core, void *ctx)
{
    (void)core;
    fprintf(stderr, "imrindex: %s: %s\n", (const char *)ctx, problem);
}

/* imrindex --check or --rebuild on the database at path; returns the exit code. */
static int repair(const struct options *opt, const char *path)
{
    imr_error_t err = {0};
    imr_db_t *db = NULL;
    imr_status_t st = imr_db_open(path, IMR_DB_REPAIR, &db, &err);
    int check = strcmp(opt->repair, "--check") == 0;
    if (st == IMR_OK)
        st = check ? imr_db_check(db, print_problem, (void *)path, &err) : imr_db_rebuild(db, &err);
    imr_db_close(db);
    if (st != IMR_OK) {
        print_error(&err);
        return imr_exit_code(st);
    }
    if (!opt->quiet)
        fprintf(stderr, "imrindex: %s: %s\n", path,
                check ? "ok" : "full-text indexes and word counts rebuilt");
    return IMR_EXIT_OK;
}

int main(int argc, char **argv)
{
    struct options opt = {0};
    char **paths = NULL;
    int n_paths = 0;
    imr_dict_dir_set(getenv("IMRSEARCH_DICT_DIR"));
    int code = parse_args(argc, argv, &opt, &paths, &n_paths);
    if (code)
        return code < 0 ? IMR_EXIT_OK : code;

    imr_error_t err = {0};
    imr_status_t st;
    char db_path[4096];
    imr_db_t *db = NULL;
    imr_file_list_t *list = NULL;
    imr_indexer_t *ix = NULL;
    struct progress prog = {0};
    size_t walk_by[IMR_N_SKIP] = {0};
    size_t n_problems = 0;
    int empty = 0; /* PATHs were given and held no letter */

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    double start = now();
    st = imr_db_path(opt.db, db_path, sizeof db_path, &err);
    if (st == IMR_OK && opt.repair) {
        free(paths);
        return repair(&opt, db_path);
    }
    if (st == IMR_OK)
        st = imr_file_list_new(&list, &err);
    for (int i = 0; st == IMR_OK && i < n_paths && !interrupted; i++)
        st = strcmp(paths[i], "-") == 0 ? add_stdin_paths(list, &err)
                                        : imr_file_list_add(list, paths[i], &err);
    if (st == IMR_OK) {
        n_problems = imr_file_list_n_problems(list);
        for (size_t i = 0; i < n_problems; i++) {
            imr_skip_reason_t r;
            put_quoted(imr_file_list_problem(list, i, &r));
            fputc('\n', stderr);
            walk_by[r]++;
        }
        if (n_paths > 0 && imr_file_list_count(list) == 0 && !interrupted) {
            fputs("imrindex: no letter file found (folders are searched for *.txt, *.text and "
                  "*.pdf files, in any case)\n", stderr);
            if (!opt.prune && !opt.optimize) {
                imr_file_list_free(list);
                free(paths);
                return IMR_EXIT_PARTIAL;
            }
            empty = 1;
        }
        st = imr_db_open(db_path, IMR_DB_WRITE, &db, &err);
    }
    if (st == IMR_OK) {
        imr_index_options_t io = {0};
        io.batch_letters = opt.batch;
        io.optimize = opt.optimize;
        io.pdf_seconds = (unsigned)opt.pdf_seconds;
        io.pdf_memory = (uint64_t)opt.pdf_memory_mb << 20;
        io.pdf_max_pages = (unsigned)opt.pdf_pages;
        io.read_ahead = (uint64_t)opt.read_ahead_mb << 20;
        st = imr_indexer_new(db, &io, &ix, &err);
    }

    prog.on = !opt.quiet && isatty(STDERR_FILENO);
    prog.start = now();
    prog.total = list ? imr_file_list_count(list) : 0;
    prog.total_bytes = list ? imr_file_list_bytes(list) : 0;
    size_t n_files = prog.total;
    static struct problems problems;
    struct run run = {&opt, &prog, ix, &problems};
    if (st == IMR_OK && !interrupted)
        st = imr_indexer_add_list(ix, list, file_done, &run, &err);
    if (st == IMR_OK && !interrupted)
        st = opt.prune ? imr_indexer_prune(ix, print_pruned, &opt.verbose, &err)
                       : imr_indexer_count_gone(ix, &err);
    if (st == IMR_OK && !interrupted) {
        progress_draw(&prog, n_files, imr_indexer_stats(ix)->bytes_read, 1);
        st = imr_indexer_finish(ix, &err);
    }
    progress_clear(&prog);

    int exit_code;
    if (interrupted) {
        imr_indexer_rollback(ix);
        fputs("imrindex: interrupted; the last batch was rolled back, earlier ones are kept\n",
              stderr);
        exit_code = 128 + (int)interrupted;
    } else if (st != IMR_OK) {
        print_error(&err);
        exit_code = imr_exit_code(st);
    } else {
        const imr_index_stats_t *s = imr_indexer_stats(ix);
        if (!opt.quiet) {
            print_summary(s, n_problems, walk_by, &problems, opt.verbose, now() - start);
        }
        exit_code = s->skipped + n_problems || empty ? IMR_EXIT_PARTIAL : IMR_EXIT_OK;
    }
    imr_indexer_free(ix);
    imr_db_close(db);
    imr_file_list_free(list);
    free(paths);
    return exit_code;
}
