/*
 * pdf.c - the text of PDF letters, read by poppler in child processes.
 *
 * Design. A letter PDF is read with poppler-glib, page by page in reading order
 * (poppler_page_get_text()). poppler drops blank lines, and the parser needs paragraph
 * breaks, so a blank line is put back where the gap between two lines is more than half a
 * line high (poppler_page_get_text_layout() gives one rectangle per character of the text).
 * Each page ends with a form feed, as pdftotext writes them: text cleaning (text.c) keeps
 * where each page starts.
 *
 * Isolation. poppler is a large parser and a letter PDF comes from anywhere. Each PDF is read
 * in a child process forked for it, so that a crash, a hang or a memory blow-up in poppler
 * costs that file only, never the run or the database:
 *  - the child gets the bytes through fork(), sets RLIMIT_AS to its size at fork plus an
 *    allowance and RLIMIT_CPU to the deadline, asks to be killed when its parent dies, and
 *    writes one record to a pipe: 'T' and the text, or 'E' and why the PDF is refused;
 *  - the parent reads the pipe with a wall-clock deadline, after which it kills the child
 *    (SIGKILL); a child killed by a signal, or ending without a whole record, "crashed".
 * A pool runs several children at once (one a core), so that extraction, the far heaviest
 * part of reading a PDF letter, uses every core while the parent parses and writes.
 *
 * Forking a threaded process: the child calls poppler and glib, which the parent never
 * initialises, and malloc, which glibc keeps usable across fork(); nothing else. It closes
 * every inherited descriptor but its pipe, so it holds no database file or lock.
 */
#define _GNU_SOURCE /* close_range(), pipe2() */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <poppler.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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

/*
 * Appends the text of one page to b: poppler's text with a blank line put back before each
 * line that starts more than half a line below the end of the line before it.
 */
static void page_text(PopplerPage *page, GString *b)
{
    char *text = poppler_page_get_text(page);
    if (!text)
        return;
    PopplerRectangle *r = NULL;
    guint n_r = 0;
    if (!poppler_page_get_text_layout(page, &r, &n_r) || n_r != (guint)g_utf8_strlen(text, -1)) {
        g_string_append(b, text); /* no layout to judge gaps by: the text as it is */
    } else {
        double top = 0, bottom = 0; /* of the line before */
        int have_line = 0, line_start = 1;
        const char *s = text, *from = text;
        for (guint k = 0; k < n_r && *s; k++, s = g_utf8_next_char(s)) {
            if (*s == '\n') {
                line_start = 1;
                continue;
            }
            if (line_start && *s != ' ') {
                double y1 = r[k].y1 < r[k].y2 ? r[k].y1 : r[k].y2;
                double y2 = r[k].y1 < r[k].y2 ? r[k].y2 : r[k].y1;
                if (have_line && y1 - bottom > (bottom - top) / 2 && bottom > top) {
                    g_string_append_len(b, from, s - from);
                    g_string_append_c(b, '\n');
                    from = s;
                }
                top = y1;
                bottom = y2;
                have_line = 1;
                line_start = 0;
            }
        }
        g_string_append(b, from);
    }
    g_free(r);
    g_free(text);
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
    for (int i = 0; st == IMR_OK && i < pages; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (page) {
            page_text(page, b);
            g_object_unref(page);
        }
        g_string_append_c(b, '\f');
    }
    g_object_unref(doc);
    g_bytes_unref(gb);
    if (st == IMR_OK && !has_text(b->str, b->len)) {
        snprintf(why, why_size, pages ? "no text layer (a scanned image?)" : "damaged PDF: no pages");
        st = IMR_ERR_INPUT;
    }
    if (st == IMR_OK && !(*text = malloc(b->len + 1))) {
        snprintf(why, why_size, "out of memory reading a PDF");
        st = IMR_ERR_NOMEM;
    }
    if (st == IMR_OK) {
        memcpy(*text, b->str, b->len + 1);
        *text_len = b->len;
    }
    g_string_free(b, TRUE);
    return st;
}

/* ---- Child processes ------------------------------------------------------------------ */

/* One extraction in a child process. */
typedef struct job {
    int used;         /* the place is taken */
    pid_t pid;        /* the child, 0 when none was started or it was reaped */
    int fd;           /* the pipe's read end, -1 when closed */
    double deadline;  /* monotonic seconds */
    char *out;        /* what the child wrote: n bytes of cap */
    size_t n, cap;
    int too_long;     /* it wrote more than a letter holds */
    int oom;          /* memory for its output ran out */
    int status;       /* waitpid() status, once reaped */
    int timed_out;    /* the parent killed it at the deadline */
    char failed[160]; /* why no child could be started, or "" */
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

/* Kills a job's child if it runs, reaps it, closes its pipe. */
static void job_end(job_t *j)
{
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    if (j->pid > 0) {
        kill(j->pid, SIGKILL);
        while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
            ;
        j->pid = 0;
    }
}

void imr__pdf_pool_free(imr__pdf_pool_t *pool)
{
    if (!pool)
        return;
    for (unsigned i = 0; i < IMR__PDF_MAX_JOBS; i++) {
        job_end(&pool->job[i]);
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

/* Writes all of s[0, n) to fd; returns 0 on failure. */
static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return 0;
        s += w;
        n -= (size_t)w;
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
 * A test hook, read only by children: IMR_PDF_FAULT=crash makes extraction die of SIGSEGV,
 * =hang loop without end, =memory allocate without end (docs/reliability.md). It stands for
 * what a hostile PDF could make poppler do.
 */
static void test_fault(void)
{
    const char *f = getenv("IMR_PDF_FAULT");
    if (!f)
        return;
    if (strcmp(f, "crash") == 0)
        raise(SIGSEGV);
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

/* The child's whole life: limits, extraction, one record on fd, exit. */
static void child(int fd, const char *bytes, size_t len, const imr__pdf_limits_t *lim,
                  pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(3);
    /* Only the pipe stays open (as descriptor 3); standard streams go to /dev/null. */
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
    struct rlimit cpu = {lim->seconds, lim->seconds + 1};
    setrlimit(RLIMIT_CPU, &cpu);
    test_fault();

    char *text = NULL, why[256];
    size_t n = 0;
    imr_status_t st = imr__pdf_read(bytes, len, lim->max_pages, &text, &n, why, sizeof why);
    int ok = st == IMR_OK ? write_all(fd, "T", 1) && write_all(fd, text, n)
                          : write_all(fd, "E", 1) && write_all(fd, why, strlen(why));
    _exit(ok ? 0 : 4);
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
    j->pid = 0;
    j->fd = -1;
    j->n = 0;
    j->too_long = j->oom = 0;
    j->status = 0;
    j->timed_out = 0;
    j->failed[0] = '\0';
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(j->failed, sizeof j->failed, "cannot start pdf extraction: %s", strerror(errno));
        return k;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        child(p[1], bytes, len, &pool->lim, parent);
    }
    close(p[1]);
    if (pid < 0) {
        snprintf(j->failed, sizeof j->failed, "cannot start pdf extraction: %s", strerror(errno));
        close(p[0]);
        return k;
    }
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    j->pid = pid;
    j->fd = p[0];
    j->deadline = now() + pool->lim.seconds;
    return k;
}

/*
 * Reads what job j's pipe holds now into j->out. At end of file or a read error closes the
 * pipe; at more than a letter holds (IMR_MAX_LETTER_BYTES), or no memory for it, ends the
 * job (too_long, oom).
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
                job_end(j);
                return;
            }
            j->out = p;
            j->cap = cap;
        }
        ssize_t got = read(j->fd, j->out + j->n, j->cap - j->n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got > 0) {
            j->n += (size_t)got;
            continue;
        }
        /* End of file (or a read error): the child is done. It may still be exiting. */
        close(j->fd);
        j->fd = -1;
        return;
    }
}

/*
 * Waits, at most until their deadlines, for the running jobs' output; returns when job
 * `want` has closed its pipe or was killed. Jobs past their deadline are killed.
 */
static void pool_wait(imr__pdf_pool_t *pool, job_t *want)
{
    while (want->fd >= 0) {
        struct pollfd fds[IMR__PDF_MAX_JOBS];
        job_t *who[IMR__PDF_MAX_JOBS];
        nfds_t n = 0;
        double t = now(), first = want->deadline;
        for (unsigned i = 0; i < pool->jobs; i++) {
            job_t *j = &pool->job[i];
            if (!j->used || j->fd < 0)
                continue;
            if (t >= j->deadline) {
                j->timed_out = 1;
                job_end(j);
                continue;
            }
            if (j->deadline < first)
                first = j->deadline;
            fds[n] = (struct pollfd){j->fd, POLLIN, 0};
            who[n++] = j;
        }
        if (want->fd < 0)
            break;
        int ms = (int)((first - t) * 1000) + 1;
        int r = poll(fds, n, ms);
        if (r < 0 && errno != EINTR)
            break;
        for (nfds_t i = 0; r > 0 && i < n; i++)
            if (fds[i].revents)
                job_read(who[i]);
    }
}

/* Reaps job j's child, which closed its pipe; kills it if it has not exited by the deadline. */
static void job_reap(job_t *j)
{
    while (j->pid > 0) {
        pid_t r = waitpid(j->pid, &j->status, WNOHANG);
        if (r == j->pid || (r < 0 && errno != EINTR)) {
            j->pid = 0;
            break;
        }
        if (now() >= j->deadline) {
            j->timed_out = 1;
            job_end(j);
            break;
        }
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
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
    if (j->fd >= 0) /* poll() failed */
        job_end(j);
    job_reap(j);
    int clean_exit = !j->timed_out && WIFEXITED(j->status) && WEXITSTATUS(j->status) == 0;
    if (j->timed_out || (WIFSIGNALED(j->status) && WTERMSIG(j->status) == SIGXCPU)) {
        snprintf(why, why_size, "pdf extraction timed out after %u s", pool->lim.seconds);
    } else if (WIFSIGNALED(j->status)) {
        snprintf(why, why_size, "pdf extraction crashed (signal %d)", WTERMSIG(j->status));
    } else if (j->oom) {
        snprintf(why, why_size, "out of memory reading a PDF");
        st = IMR_ERR_NOMEM;
    } else if (j->too_long) {
        snprintf(why, why_size, "more text than a letter holds (%u MB)",
                 IMR_MAX_LETTER_BYTES >> 20);
    } else if (!clean_exit || j->n == 0) {
        snprintf(why, why_size, "pdf extraction crashed (exit status %d)",
                 WIFEXITED(j->status) ? WEXITSTATUS(j->status) : -1);
    } else if (j->out[0] == 'E') {
        snprintf(why, why_size, "%.*s", (int)(j->n - 1), j->out + 1);
    } else if (j->out[0] == 'T') {
        /* The text is handed over in the job's buffer, without its tag. */
        memmove(j->out, j->out + 1, j->n - 1);
        j->out[j->n - 1] = '\0';
        *text = j->out;
        *text_len = j->n - 1;
        j->out = NULL;
        j->n = j->cap = 0;
        st = IMR_OK;
    } else {
        snprintf(why, why_size, "pdf extraction crashed (a garbled answer)");
    }
    j->used = 0;
    return st;
}
