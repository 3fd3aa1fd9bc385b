/*
 * pdf.c - the text of PDF letters, read by poppler in worker processes.
 *
 * Design. A letter PDF is read with poppler-glib, page by page in reading order
 * (poppler_page_get_text()), and made to read as the text a letter's .txt holds, from the
 * boxes poppler gives for each character (poppler_page_get_text_layout()):
 *  - poppler writes one space for any gap between words; a gap as wide as several spaces
 *    (typed double spaces after a sentence, a redaction gap "Dear  :") is written as that
 *    many, on lines where every gap is a whole number of spaces (not justified text);
 *  - poppler drops blank lines, and the parser needs paragraph breaks, so a blank line is put
 *    back where the gap between two lines is more than half a line high;
 *  - at a page's edges a gap says nothing by itself (the footer sits in the bottom margin, a
 *    page starts at the top), so the pages are compared: a paragraph ended at the bottom of
 *    a page when the text stops short there, or the next page starts lower (edge_blanks()).
 * Each page ends with a form feed, as pdftotext writes them: text cleaning (text.c) keeps
 * where each page starts, drops the footers and does the rest as for a .txt letter.
 *
 * Isolation. poppler is a large parser and a letter PDF comes from anywhere. PDFs are read in
 * worker processes, so that a crash, a hang or a memory blow-up in poppler costs one file
 * only, never the run or the database:
 *  - a worker is forked when first needed; it sets RLIMIT_AS to its size then plus an
 *    allowance, asks to be killed when its parent dies, and serves requests on a socket: the
 *    bytes of one PDF in, one record out ('T' and the text, or 'E' and why the PDF is
 *    refused). Before each PDF it sets its CPU-time limit to what it used so far plus the
 *    deadline (RLIMIT_CPU);
 *  - the parent reads the answer with a wall-clock deadline, after which it kills the worker
 *    (SIGKILL); a worker that dies, or answers garbage, "crashed" on that PDF. Either way the
 *    next PDF gets a new worker, as does every IMR__PDF_WORKER_JOBS-th, so that what poppler
 *    leaves in a worker's heap does not add up.
 * Workers rather than a process per PDF: forking, starting poppler and ending a process cost
 * more than reading a two-page letter (measured: three times the run time, docs/reliability.md).
 * A pool runs several workers at once (one a core), so that extraction, the far heaviest
 * part of reading a PDF letter, uses every core while the parent parses and writes.
 *
 * Forking a threaded process: the worker calls poppler and glib, which the parent never
 * initialises, and malloc, which glibc keeps usable across fork(); nothing else. It closes
 * every inherited descriptor but its socket, so it holds no database file or lock.
 */
#define _GNU_SOURCE /* close_range(), SOCK_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <poppler.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pdf.h"


int imr__pdf_sniff(const char *bytes, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++) {
        const char *p = memchr(bytes + i, '%', n - i);
        if (!p)
            return 0;
        i = (size_t)(p - bytes);
        if (i + 5 <= n && memcmp(p, "%PDF-", 5) == 0)
            return 1;
    }
    return 0;
}

/* One line of a page's text: bytes [from, to) of poppler's text, characters [k, k_end) of its
 * layout, the box of its first character that is not a space (none: has_box 0), the left
 * edge of that character and the right edge and byte of its last one. */
typedef struct pline {
    const char *from, *to;
    guint k, k_end;
    double top, bottom;
    int has_box;
    double left, right;
    char last;
} pline_t;

/* A page's edges, where blank lines are judged across pages (edge_blanks()). */
typedef struct page_edge {
    size_t last_at;   /* offset in the text where the page's last line starts */
    size_t end_at;    /* where the page's text ends (before its form feed) */
    int boxed;        /* the page has a line with a box: first_top and first_h hold */
    double first_top; /* top of its first line */
    double first_h;   /* and its height */
    int two;          /* the last line and one before it have boxes: the rest holds */
    double last_top;  /* top of the last line */
    double gap;       /* from the bottom of the line before the last to the top of the last */
    double height;    /* height of the line before the last */
    int stops_short;  /* the line before the last ends a sentence well short of the margin */
} page_edge_t;

/* Does a line that starts at `top` begin a new paragraph after the line [ptop, pbottom]: is
 * the gap between them more than half a line high? */
static int paragraph_gap(double ptop, double pbottom, double top)
{
    return pbottom > ptop && top - pbottom > (pbottom - ptop) / 2;
}

/* Height of character box r, and its width. */
static double box_h(const PopplerRectangle *r) { return fabs(r->y2 - r->y1); }
static double box_w(const PopplerRectangle *r) { return fabs(r->x2 - r->x1); }

/*
 * The width of one space on a page, as a fraction of the line height: the most common width
 * of the spaces between words (poppler gives one space for any gap between words, and its box
 * spans the gap), to a hundredth. Returns 0 when the page has no such space.
 */
static double space_unit(const char *text, const PopplerRectangle *r, guint n_r)
{
    unsigned count[101] = {0};
    const char *s = text;
    for (guint k = 0; k < n_r && *s; k++, s = g_utf8_next_char(s)) {
        if (*s != ' ' || k == 0 || k + 1 >= n_r || s[1] == '\n' || s[1] == ' ' || s[-1] == '\n')
            continue;
        double h = box_h(&r[k]);
        if (h > 0 && box_w(&r[k]) / h < 1.005)
            count[(int)(box_w(&r[k]) / h * 100 + 0.5)]++;
    }
    int best = 0;
    for (int i = 1; i <= 100; i++)
        if (count[i] > count[best])
            best = i;
    return count[best] ? best / 100.0 : 0;
}

/*
 * How many spaces each gap between words of line l stands for, written to n[] (one entry a
 * space of the line): its width in spaces of `unit`, when every gap of the line is a whole
 * number of spaces (typed text: "injury.  Studies", "Dear  :"); else one each (justified or
 * irregular text, where a wide gap is no typed space).
 */
static void line_spaces(const pline_t *l, const PopplerRectangle *r, double unit, unsigned *n)
{
    size_t m = 0;
    int whole = unit > 0;
    const char *s = l->from;
    for (guint k = l->k; k < l->k_end; k++, s = g_utf8_next_char(s)) {
        if (*s != ' ')
            continue;
        double q = box_h(&r[k]) > 0 ? box_w(&r[k]) / (unit * box_h(&r[k])) : 0;
        long w = lround(q);
        if (w < 1 || w > 200 || fabs(q - (double)w) > 0.2)
            whole = 0;
        n[m++] = whole ? (unsigned)w : 1;
    }
    for (size_t i = 0; !whole && i < m; i++)
        n[i] = 1;
}

/*
 * Appends the text of one page to b, line by line: each gap between words as the spaces it
 * is wide (line_spaces()), a blank line put back before each line that starts more than half
 * a line below the line before it, except the last line, which edge_blanks() judges with the
 * other pages (a page's last line is often its footer, far below the text). Fills e.
 */
static void page_text(PopplerPage *page, GString *b, page_edge_t *e)
{
    memset(e, 0, sizeof *e);
    char *text = poppler_page_get_text(page);
    if (!text)
        return;
    PopplerRectangle *r = NULL;
    guint n_r = 0;
    if (!poppler_page_get_text_layout(page, &r, &n_r) || n_r != (guint)g_utf8_strlen(text, -1)) {
        g_string_append(b, text); /* no layout to judge gaps by: the text as it is */
        g_free(r);
        g_free(text);
        e->end_at = b->len;
        return;
    }
    /* The lines, with the box of each one's first character that is not a space. */
    GArray *lines = g_array_new(FALSE, TRUE, sizeof(pline_t));
    pline_t cur = {.from = text};
    const char *s = text;
    size_t longest = 0;
    double left = HUGE_VAL, right = -HUGE_VAL; /* of the page's text */
    for (guint k = 0;; k++, s = g_utf8_next_char(s)) {
        if (k >= n_r || !*s || *s == '\n') {
            cur.to = s;
            cur.k_end = k;
            if (cur.to - cur.from > (ptrdiff_t)longest)
                longest = (size_t)(cur.to - cur.from);
            g_array_append_val(lines, cur);
            if (cur.has_box) {
                left = fmin(left, cur.left);
                right = fmax(right, cur.right);
            }
            if (k >= n_r || !*s)
                break;
            cur = (pline_t){.from = s + 1, .k = k + 1};
        } else if (*s != ' ') {
            if (!cur.has_box) {
                cur.top = fmin(r[k].y1, r[k].y2);
                cur.bottom = fmax(r[k].y1, r[k].y2);
                cur.left = fmin(r[k].x1, r[k].x2);
                cur.has_box = 1;
            }
            cur.right = fmax(r[k].x1, r[k].x2);
            cur.last = *s;
        }
    }
    double unit = space_unit(text, r, n_r);
    unsigned *spaces = g_new(unsigned, longest + 1);
    const pline_t *prev = NULL; /* the last line with a box so far */
    for (guint i = 0; i < lines->len; i++) {
        const pline_t *l = &g_array_index(lines, pline_t, i);
        int last = i + 1 == lines->len;
        if (last)
            e->last_at = b->len;
        if (l->has_box) {
            if (!e->boxed) {
                e->boxed = 1;
                e->first_top = l->top;
                e->first_h = l->bottom - l->top;
            }
            if (prev && !last && paragraph_gap(prev->top, prev->bottom, l->top))
                g_string_append_c(b, '\n');
            if (prev && last) {
                e->two = 1;
                e->last_top = l->top;
                e->gap = l->top - prev->bottom;
                e->height = prev->bottom - prev->top;
                e->stops_short = prev->last && strchr(".:?!", prev->last) &&
                                 prev->right - left < (right - left) * 0.85;
            }
            prev = l;
        }
        line_spaces(l, r, unit, spaces);
        size_t m = 0;
        for (const char *c = l->from; c < l->to; c++) {
            if (*c == ' ')
                for (unsigned j = 1; j < spaces[m]; j++)
                    g_string_append_c(b, ' ');
            m += *c == ' ';
            g_string_append_c(b, *c);
        }
        if (!last)
            g_string_append_c(b, '\n');
    }
    e->end_at = b->len;
    g_free(spaces);
    g_array_free(lines, TRUE);
    g_free(r);
    g_free(text);
}

/*
 * The blank lines at the pages' edges, which one page alone cannot tell. A line that every
 * page (but perhaps one) ends with at the same height is a running footer (`Page 2 of 4`):
 * the gap above it is the bottom margin, not a paragraph break, unless the text stops short
 * of the margin, which says a paragraph ended there: the gap is more than half a line wider
 * than on the page (not the last) where it is narrowest, or, with fewer than two such pages
 * to compare, the line above the footer ends a sentence well short of the right margin. A
 * page whose first line starts more than half a line below the highest first line of any
 * page begins a paragraph too. Other pages' last lines are judged as any line is.
 * Writes to at[] the offsets of the text where a line break goes (increasing); returns how many.
 */
static size_t edge_blanks(const page_edge_t *e, int pages, size_t *at)
{
    /* The footer's height: the last line's top that every page but perhaps one shares (within
     * a point), so that of the first page or of the second. */
    double footer = 0, ref = 0, first = 0;
    int have_footer = 0, refs = 0, have_first = 0;
    for (int c = 0; c < 2 && c < pages && !have_footer; c++) {
        int k = 0;
        for (int q = 0; e[c].two && q < pages; q++)
            k += e[q].two && fabs(e[q].last_top - e[c].last_top) < 1;
        have_footer = k >= 2 && k >= pages - 1;
        footer = e[c].last_top;
    }
    for (int p = 0; p < pages; p++) {
        if (have_footer && p + 1 < pages && e[p].two && fabs(e[p].last_top - footer) < 1 &&
            (!refs++ || e[p].gap < ref))
            ref = e[p].gap;
        if (e[p].boxed && (!have_first || e[p].first_top < first)) {
            first = e[p].first_top;
            have_first = 1;
        }
    }
    size_t n = 0;
    for (int p = 0; p < pages; p++) {
        int is_footer = have_footer && e[p].two && fabs(e[p].last_top - footer) < 1;
        int next_late = p + 1 < pages && e[p + 1].boxed &&
                        e[p + 1].first_top - first > e[p + 1].first_h / 2;
        if (is_footer) {
            int ended = refs >= 2 ? e[p].gap - ref > e[p].height / 2 : e[p].stops_short;
            if (ended || next_late)
                at[n++] = e[p].last_at;
        } else {
            if (e[p].two && paragraph_gap(0, e[p].height, e[p].gap + e[p].height))
                at[n++] = e[p].last_at;
            if (next_late)
                at[n++] = e[p].end_at;
        }
    }
    return n;
}

/* Does s hold a letter or a digit (of any script, as far as poppler gave us UTF-8)? */
static int has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0xC0)
            return 1;
    }
    return 0;
}

imr_status_t imr__pdf_read(const char *bytes, size_t len, unsigned max_pages, char **text,
                           size_t *text_len, char *why, size_t why_size)
{
    *text = NULL;
    *text_len = 0;
    if (!max_pages)
        max_pages = IMR_PDF_MAX_PAGES;
    GError *gerr = NULL;
    GBytes *gb = g_bytes_new_static(bytes, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, &gerr);
    if (!doc) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(why, why_size, "encrypted PDF");
        else
            snprintf(why, why_size, "damaged PDF: %s",
                     gerr && gerr->message ? gerr->message : "poppler cannot open it");
        g_clear_error(&gerr);
        g_bytes_unref(gb);
        return IMR_ERR_INPUT;
    }
    imr_status_t st = IMR_OK;
    int pages = poppler_document_get_n_pages(doc);
    GString *b = g_string_new(NULL);
    if (pages < 0 || (unsigned)pages > max_pages) {
        snprintf(why, why_size, "more than %u pages (the bound for a letter)", max_pages);
        st = IMR_ERR_INPUT;
    }
    page_edge_t *edge = st == IMR_OK ? g_new0(page_edge_t, pages ? pages : 1) : NULL;
    for (int i = 0; st == IMR_OK && i < pages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (page) {
            page_text(page, b, &edge[i]);
            g_object_unref(page);
        } else {
            edge[i].last_at = edge[i].end_at = b->len;
        }
        g_string_append_c(b, '\f');
    }
    g_object_unref(doc);
    g_bytes_unref(gb);
    if (st == IMR_OK && !has_text(b->str, b->len)) {
        snprintf(why, why_size, pages ? "no text layer (a scanned image?)" : "damaged PDF: no pages");
        st = IMR_ERR_INPUT;
    }
    size_t *at = st == IMR_OK ? g_new(size_t, 2 * (size_t)pages + 1) : NULL;
    size_t n_at = st == IMR_OK ? edge_blanks(edge, pages, at) : 0;
    if (st == IMR_OK && !(*text = malloc(b->len + n_at + 1))) {
        snprintf(why, why_size, "out of memory reading a PDF");
        st = IMR_ERR_NOMEM;
    }
    if (st == IMR_OK) { /* the text, with a line break at each offset of at[] */
        size_t from = 0, n = 0;
        for (size_t i = 0; i <= n_at; i++) {
            size_t to = i < n_at ? at[i] : b->len;
            memcpy(*text + n, b->str + from, to - from);
            n += to - from;
            if (i < n_at)
                (*text)[n++] = '\n';
            from = to;
        }
        (*text)[n] = '\0';
        *text_len = n;
    }
    g_free(at);
    g_free(edge);
    g_string_free(b, TRUE);
    return st;
}

/* ---- Worker processes ----------------------------------------------------------------- */

/* A worker reads this many PDFs, then a new one takes its place. */
#define IMR__PDF_WORKER_JOBS 1000

/* Bytes of an answer's header: its tag ('T' or 'E') and its length (8 bytes, this host's order). */
#define ANSWER_HEAD 9

/* One worker process and the PDF it reads, if any. */
typedef struct job {
    pid_t pid;        /* the worker, 0 when none runs */
    int fd;           /* the socket to it, -1 when none */
    unsigned served;  /* PDFs it was given */
    int used;         /* a PDF was given to it and not yet finished */
    double deadline;  /* monotonic seconds */
    char *out;        /* its answer so far: n bytes of cap */
    size_t n, cap;
    int done;         /* the answer is whole */
    int dead;         /* the worker ended (status) during this PDF */
    int status;       /* waitpid() status of a worker that ended */
    int timed_out;    /* the parent killed it at the deadline */
    int too_long;     /* it answered more than a letter holds */
    int oom;          /* memory for its answer ran out */
    char failed[160]; /* why no worker could take the PDF, or "" */
} job_t;

struct imr__pdf_pool {
    imr__pdf_limits_t lim;
    unsigned jobs;
    job_t job[IMR__PDF_MAX_JOBS];
};

/* Seconds from the monotonic clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

imr_status_t imr__pdf_pool_new(const imr__pdf_limits_t *lim, unsigned jobs,
                               imr__pdf_pool_t **out, imr_error_t *err)
{
    *out = NULL;
    imr__pdf_pool_t *pool = calloc(1, sizeof *pool);
    if (!pool)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (lim)
        pool->lim = *lim;
    if (!pool->lim.seconds)
        pool->lim.seconds = IMR_PDF_SECONDS;
    if (!pool->lim.memory)
        pool->lim.memory = (uint64_t)IMR_PDF_MEMORY_MB << 20;
    if (!pool->lim.max_pages)
        pool->lim.max_pages = IMR_PDF_MAX_PAGES;
    pool->jobs = jobs < 1 ? 1 : jobs > IMR__PDF_MAX_JOBS ? IMR__PDF_MAX_JOBS : jobs;
    for (unsigned i = 0; i < IMR__PDF_MAX_JOBS; i++)
        pool->job[i].fd = -1;
    *out = pool;
    return IMR_OK;
}

/*
 * Ends job j's worker: kills it when `kill_it` (else, its socket closed, it ends by itself),
 * reaps it into j->status.
 */
static void worker_end(job_t *j, int kill_it)
{
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    if (j->pid > 0) {
        if (kill_it)
            kill(j->pid, SIGKILL);
        while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
            ;
    }
    j->pid = 0;
    j->served = 0;
}

void imr__pdf_pool_free(imr__pdf_pool_t *pool)
{
    if (!pool)
        return;
    for (unsigned i = 0; i < IMR__PDF_MAX_JOBS; i++) {
        worker_end(&pool->job[i], pool->job[i].used);
        free(pool->job[i].out);
    }
    free(pool);
}

unsigned imr__pdf_pool_free_jobs(const imr__pdf_pool_t *pool)
{
    unsigned k = 0;
    for (unsigned i = 0; i < pool->jobs; i++)
        k += !pool->job[i].used;
    return k;
}

/* Writes all of s[0, n) to socket fd; returns 0 on failure (never raises SIGPIPE). */
static int send_all(int fd, const void *s, size_t n)
{
    const char *p = s;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return 0;
        p += w;
        n -= (size_t)w;
    }
    return 1;
}

/* Reads exactly n bytes from fd; returns 0 at end of file or on failure. */
static int read_all(int fd, void *s, size_t n)
{
    char *p = s;
    while (n > 0) {
        ssize_t got = read(fd, p, n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return 0;
        p += got;
        n -= (size_t)got;
    }
    return 1;
}

/* The address space this process maps now, in bytes, or 0 when unknown. */
static uint64_t mapped_bytes(void)
{
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strtoull(buf, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * A test hook, read only by workers: IMR_PDF_FAULT=crash makes extraction die of SIGSEGV,
 * =hang loop without end, =memory allocate without end (docs/reliability.md). It stands for
 * what a hostile PDF could make poppler do.
 */
static void test_fault(void)
{
    const char *f = getenv("IMR_PDF_FAULT");
    if (!f)
        return;
    if (strcmp(f, "crash") == 0) {
        /* Death by the signal itself, as the kernel deals it, not a sanitizer's report of it
         * (which can take longer than the deadline on a loaded machine). */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (strcmp(f, "hang") == 0)
        for (volatile unsigned long spin = 0;; spin++)
            ;
    if (strcmp(f, "memory") == 0)
        for (;;) {
            char *p = malloc(1 << 20);
            if (!p)
                abort(); /* as poppler's allocator does */
            memset(p, 1, 1 << 20);
        }
}

/* Lets this process use `seconds` more of CPU time from now (RLIMIT_CPU's soft limit). */
static void cpu_allowance(unsigned seconds)
{
    struct rusage ru;
    struct rlimit cpu;
    if (getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &cpu) != 0)
        return;
    rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
    cpu.rlim_cur = used + seconds;
    if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_cur > cpu.rlim_max)
        cpu.rlim_cur = cpu.rlim_max;
    setrlimit(RLIMIT_CPU, &cpu);
}

/* A worker's whole life: limits, then one answer for each PDF it is sent, until end of file. */
static void worker(int fd, const imr__pdf_limits_t *lim, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(3);
    /* Only the socket stays open (as descriptor 3); standard streams go to /dev/null. */
    if (fd != 3 && (dup2(fd, 3) < 0))
        _exit(3);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    close_range(4, ~0u, 0);
    fd = 3;
    uint64_t have = mapped_bytes();
    if (have) {
        struct rlimit as = {have + lim->memory, have + lim->memory};
        setrlimit(RLIMIT_AS, &as);
    }
    for (;;) {
        uint64_t len;
        if (!read_all(fd, &len, sizeof len))
            _exit(0); /* the parent is done with this worker */
        char *pdf = len <= IMR_MAX_LETTER_BYTES ? malloc(len ? len : 1) : NULL;
        if (!pdf || !read_all(fd, pdf, len))
            _exit(4);
        cpu_allowance(lim->seconds);
        test_fault();
        char *text = NULL, why[256];
        size_t n = 0;
        imr_status_t st = imr__pdf_read(pdf, len, lim->max_pages, &text, &n, why, sizeof why);
        free(pdf);
        char head[ANSWER_HEAD];
        uint64_t size = st == IMR_OK ? n : strlen(why);
        head[0] = st == IMR_OK ? 'T' : 'E';
        memcpy(head + 1, &size, sizeof size);
        if (!send_all(fd, head, sizeof head) || !send_all(fd, st == IMR_OK ? text : why, size))
            _exit(4);
        free(text);
    }
}

/* Starts a worker for job j; returns 0 (with j->failed set) when none can be started. */
static int worker_start(imr__pdf_pool_t *pool, job_t *j)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(j->failed, sizeof j->failed, "cannot start pdf extraction: %s", strerror(errno));
        return 0;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        worker(sv[1], &pool->lim, parent);
    }
    close(sv[1]);
    if (pid < 0) {
        snprintf(j->failed, sizeof j->failed, "cannot start pdf extraction: %s", strerror(errno));
        close(sv[0]);
        return 0;
    }
    j->pid = pid;
    j->fd = sv[0];
    j->served = 0;
    return 1;
}

int imr__pdf_start(imr__pdf_pool_t *pool, const char *bytes, size_t len)
{
    int k = -1;
    for (unsigned i = 0; i < pool->jobs && k < 0; i++)
        if (!pool->job[i].used)
            k = (int)i;
    if (k < 0)
        return -1;
    job_t *j = &pool->job[k];
    j->used = 1;
    j->n = 0;
    j->done = j->dead = j->status = j->timed_out = j->too_long = j->oom = 0;
    j->failed[0] = '\0';
    if (j->pid > 0 && j->served >= IMR__PDF_WORKER_JOBS)
        worker_end(j, 0);
    uint64_t size = len;
    /* A worker that ended while idle (killed from outside) is replaced once. */
    for (int attempt = 0; attempt < 2; attempt++) {
        if (j->pid <= 0 && !worker_start(pool, j))
            return k;
        if (send_all(j->fd, &size, sizeof size) && send_all(j->fd, bytes, len)) {
            j->served++;
            j->deadline = now() + pool->lim.seconds;
            return k;
        }
        worker_end(j, 1);
    }
    snprintf(j->failed, sizeof j->failed, "cannot start pdf extraction: the worker does not read");
    return k;
}

/*
 * Reads what job j's worker has sent now. The answer is whole (j->done) at its length; at end
 * of file the worker ended (j->dead); more than a letter holds, or no memory for it, ends the
 * worker (too_long, oom).
 */
static void job_read(job_t *j)
{
    for (;;) {
        if (j->cap - j->n < 4096) {
            size_t cap = j->cap ? j->cap * 2 : 65536;
            char *p = cap <= 2 * (size_t)IMR_MAX_LETTER_BYTES ? realloc(j->out, cap) : NULL;
            if (!p) {
                j->too_long = cap > 2 * (size_t)IMR_MAX_LETTER_BYTES;
                j->oom = !j->too_long;
                j->dead = 1;
                worker_end(j, 1);
                return;
            }
            j->out = p;
            j->cap = cap;
        }
        ssize_t got = recv(j->fd, j->out + j->n, j->cap - j->n - 1, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got <= 0) { /* the worker ended, or its socket failed */
            j->dead = 1;
            worker_end(j, 1);
            return;
        }
        j->n += (size_t)got;
        if (j->n >= ANSWER_HEAD) {
            uint64_t size;
            memcpy(&size, j->out + 1, sizeof size);
            if (j->n >= ANSWER_HEAD + size) {
                j->done = j->n == ANSWER_HEAD + size;
                if (!j->done) { /* more than it announced: garbled */
                    j->dead = 1;
                    worker_end(j, 1);
                }
                return;
            }
        }
    }
}

/*
 * Waits, at most until their deadlines, for the running jobs' answers; returns when job
 * `want` is answered or its worker ended. Workers past their deadline are killed.
 */
static void pool_wait(imr__pdf_pool_t *pool, job_t *want)
{
    while (!want->done && !want->dead) {
        struct pollfd fds[IMR__PDF_MAX_JOBS];
        job_t *who[IMR__PDF_MAX_JOBS];
        nfds_t n = 0;
        double t = now(), first = want->deadline;
        for (unsigned i = 0; i < pool->jobs; i++) {
            job_t *j = &pool->job[i];
            if (!j->used || j->done || j->dead || j->failed[0])
                continue;
            if (t >= j->deadline) {
                j->timed_out = j->dead = 1;
                worker_end(j, 1);
                continue;
            }
            if (j->deadline < first)
                first = j->deadline;
            fds[n] = (struct pollfd){j->fd, POLLIN, 0};
            who[n++] = j;
        }
        if (want->done || want->dead)
            break;
        int ms = (int)((first - t) * 1000) + 1;
        int r = poll(fds, n, ms);
        if (r < 0 && errno != EINTR) {
            want->dead = 1;
            worker_end(want, 1);
            break;
        }
        for (nfds_t i = 0; r > 0 && i < n; i++)
            if (fds[i].revents)
                job_read(who[i]);
    }
}

imr_status_t imr__pdf_finish(imr__pdf_pool_t *pool, int job, char **text, size_t *text_len,
                             char *why, size_t why_size)
{
    *text = NULL;
    *text_len = 0;
    if (job < 0 || (unsigned)job >= pool->jobs || !pool->job[job].used) {
        snprintf(why, why_size, "no such pdf extraction");
        return IMR_ERR_INPUT;
    }
    job_t *j = &pool->job[job];
    imr_status_t st = IMR_ERR_INPUT;
    if (j->failed[0]) {
        snprintf(why, why_size, "%s", j->failed);
        j->used = 0;
        return IMR_ERR_INPUT;
    }
    pool_wait(pool, j);
    j->used = 0;
    if (j->oom) {
        snprintf(why, why_size, "out of memory reading a PDF");
        st = IMR_ERR_NOMEM;
    } else if (j->too_long) {
        snprintf(why, why_size, "more text than a letter holds (%u MB)",
                 IMR_MAX_LETTER_BYTES >> 20);
    } else if (j->timed_out || (WIFSIGNALED(j->status) && WTERMSIG(j->status) == SIGXCPU)) {
        snprintf(why, why_size, "pdf extraction timed out after %u s", pool->lim.seconds);
    } else if (j->dead && WIFSIGNALED(j->status)) {
        snprintf(why, why_size, "pdf extraction crashed (signal %d)", WTERMSIG(j->status));
    } else if (j->dead) {
        snprintf(why, why_size, "pdf extraction crashed (exit status %d)",
                 WIFEXITED(j->status) ? WEXITSTATUS(j->status) : -1);
    } else if (j->out[0] == 'E') {
        snprintf(why, why_size, "%.*s", (int)(j->n - ANSWER_HEAD), j->out + ANSWER_HEAD);
    } else if (j->out[0] == 'T') {
        /* The text is handed over in the job's buffer, without its header. */
        memmove(j->out, j->out + ANSWER_HEAD, j->n - ANSWER_HEAD);
        j->out[j->n - ANSWER_HEAD] = '\0';
        *text = j->out;
        *text_len = j->n - ANSWER_HEAD;
        j->out = NULL;
        j->n = j->cap = 0;
        st = IMR_OK;
    } else {
        snprintf(why, why_size, "pdf extraction crashed (a garbled answer)");
        worker_end(j, 1);
    }
    return st;
}
