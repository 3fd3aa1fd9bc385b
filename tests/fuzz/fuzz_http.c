/*
 * fuzz_http.c - libFuzzer harness for `imrsearch serve` (query/serve.c) behind the real
 * libmicrohttpd daemon.
 *
 * Once per process, corpus/letters are indexed into a temporary database and the server is
 * started over it as imrsearch serve starts it (imr__server_start(): the same threads and
 * limits), without a listening socket. Each input is the raw bytes of one or more HTTP
 * requests, written to one end of a socketpair whose other end goes to the daemon by
 * MHD_add_connection(); the writing side is then shut down, and everything the server sends
 * is read back until it closes (or, for a request cut short, until it has been silent for
 * 30 ms: libmicrohttpd waits for the rest until its idle timeout, here 1 s instead of 15).
 * imrsearch serve answers one request a connection ("Connection: close"), so what follows the
 * first request goes unanswered. Checks, each an abort() (a crash with the input saved) when
 * broken:
 *   - the answers are a run of HTTP/1.x responses, each a status line "HTTP/1.x NNN reason",
 *     header lines and a Content-Length body (none for a 1xx, nor for a HEAD: a response
 *     followed at once by another, or by the end, is taken as one);
 *   - every 2xx carries the Content-Security-Policy and nosniff headers;
 *   - an input whose first line is no request line (METHOD SP TARGET SP HTTP/1.d), or whose
 *     method is neither GET nor HEAD, gets a 4xx or 5xx first, if anything;
 *   - the server answers within 10 s once it has begun, and afterwards answers a valid search
 *     on a fresh connection with 200 and JSON, within 10 s (a database connection the input
 *     kept would hang it).
 *
 * Build and run (clang only):
 *   CC=clang cmake -B build-fuzz -DIMR_FUZZ=ON -DIMR_SANITIZE=ON && cmake --build build-fuzz
 *   build-fuzz/tests/fuzz_http -max_total_time=60 -max_len=20000 corpus_dir
 * The normal build links the same checks with replay.c as fuzz_http_replay FILE...
 * (tests/e2e/t63_fuzz_regress.sh replays tests/data/fuzz-regress/fuzz_http/ through it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "imr.h"
#include "serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WAIT_MS      10000   /* longest wait for the server's answer */
#define QUIET_MS     30      /* silence after the last byte sent: the server waits for more */
#define IDLE_TIMEOUT 1       /* seconds the server keeps such a connection (imrsearch: 15) */
#define MAX_REPLY    (64u << 20) /* most bytes read back */
#define MAX_LINE     32768       /* bytes of a request line looked at (the server's limit: 16K) */

static struct MHD_Daemon *g_daemon;
static imr__server_t *g_server;
static char g_dir[] = "/tmp/imr-fuzz-http-XXXXXX";
static char g_db[sizeof g_dir + 16];

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_http: %s%s%.400s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void stop_server(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[sizeof g_db + 16];
    if (g_daemon)
        MHD_stop_daemon(g_daemon);
    imr__server_close(g_server);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(path, sizeof path, "%s%s", g_db, suffix[i]);
        unlink(path);
    }
    rmdir(g_dir);
}

/* Indexes the seed letters into a new database and starts the server on it, once. */
static void start_server(void)
{
    imr_db_t *db = NULL;
    imr_indexer_t *ix = NULL;
    imr_file_list_t *list = NULL;
    imr_error_t err = {IMR_OK, ""};
    if (g_daemon)
        return;
    if (!mkdtemp(g_dir))
        die("mkdtemp", strerror(errno));
    snprintf(g_db, sizeof g_db, "%s/letters.db", g_dir);
    if (imr_db_open(g_db, IMR_DB_WRITE, &db, &err) != IMR_OK ||
        imr_indexer_new(db, NULL, &ix, &err) != IMR_OK ||
        imr_file_list_new(&list, &err) != IMR_OK ||
        imr_file_list_add(list, IMR_SOURCE_DIR "/corpus/letters", &err) != IMR_OK ||
        imr_indexer_add_list(ix, list, NULL, NULL, &err) != IMR_OK ||
        imr_indexer_finish(ix, &err) != IMR_OK)
        die("indexing corpus/letters", err.msg);
    imr_file_list_free(list);
    imr_indexer_free(ix);
    imr_db_close(db);
    signal(SIGPIPE, SIG_IGN);
    if (imr__server_open(g_db, &g_server, &err) != IMR_OK)
        die("opening the database", err.msg);
    g_daemon = imr__server_start(g_server, MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL,
                                 IDLE_TIMEOUT);
    if (!g_daemon)
        die("starting the daemon", strerror(errno));
    atexit(stop_server);
}

/*
 * Sends data on a new connection, shuts the sending side and reads the whole answer into *out
 * (*n bytes, NUL-terminated; free it). With `quiet`, a server silent for QUIET_MS after the last
 * byte waits for the rest of a request cut short (libmicrohttpd does, even after the end of
 * stream, until the idle timeout): that connection is closed, with no answer.
 */
static void exchange(const uint8_t *data, size_t size, int quiet, char **out, size_t *n)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0)
        die("socketpair", strerror(errno));
    struct sockaddr_in peer;
    memset(&peer, 0, sizeof peer);
    peer.sin_family = AF_INET;
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (MHD_add_connection(g_daemon, sv[1], (struct sockaddr *)&peer, sizeof peer) != MHD_YES)
        die("MHD_add_connection", strerror(errno));
    size_t sent = 0, len = 0, cap = 65536;
    char *buf = malloc(cap);
    if (!buf)
        die("out of memory", NULL);
    if (size == 0)
        shutdown(sv[0], SHUT_WR);
    for (;;) {
        struct pollfd p = {sv[0], (short)(POLLIN | (sent < size ? POLLOUT : 0)), 0};
        int waiting = quiet && sent == size && len == 0;
        int r = poll(&p, 1, waiting ? QUIET_MS : WAIT_MS);
        if (r == 0 && waiting)
            break;
        if (r == 0)
            die("the server neither answered nor closed within 10 s", NULL);
        if (r < 0 && errno != EINTR)
            die("poll", strerror(errno));
        if (sent < size && (p.revents & POLLOUT)) {
            ssize_t w = send(sv[0], data + sent, size - sent, MSG_NOSIGNAL);
            if (w > 0 && (sent += (size_t)w) == size)
                shutdown(sv[0], SHUT_WR);
            else if (w < 0 && errno == EPIPE)
                sent = size; /* the server closed early: read what it said */
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            if (len + 65536 + 1 > cap) {
                if (cap >= MAX_REPLY)
                    die("the answer is larger than 64 MB", NULL);
                char *grown = realloc(buf, cap *= 2);
                if (!grown)
                    die("out of memory", NULL);
                buf = grown;
            }
            ssize_t got = recv(sv[0], buf + len, cap - len - 1, 0);
            if (got == 0 || (got < 0 && errno == ECONNRESET))
                break;
            if (got > 0)
                len += (size_t)got;
        }
    }
    close(sv[0]);
    buf[len] = '\0';
    *out = buf;
    *n = len;
}

/* The value of header `name` (case-insensitive) in the header block [h, end), or NULL; its
 * length in *vlen. */
static const char *header(const char *h, const char *end, const char *name, size_t *vlen)
{
    size_t nl = strlen(name);
    while (h < end) {
        const char *eol = memchr(h, '\n', (size_t)(end - h));
        if (!eol)
            eol = end;
        if ((size_t)(eol - h) > nl && strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            const char *v = h + nl + 1;
            while (v < eol && *v == ' ')
                v++;
            *vlen = (size_t)(eol - v) - (eol > v && eol[-1] == '\r');
            return v;
        }
        h = eol + 1;
    }
    return NULL;
}

/* Checks that [buf, buf + n) is a run of responses; returns the first status (0: none). */
static unsigned check_responses(const char *buf, size_t n)
{
    const char *p = buf, *end = buf + n;
    unsigned first = 0;
    while (p < end) {
        if ((size_t)(end - p) < 17 || memcmp(p, "HTTP/1.", 7) != 0 || p[7] < '0' ||
            p[7] > '9' || p[8] != ' ' || p[9] < '1' || p[9] > '5' || p[10] < '0' ||
            p[10] > '9' || p[11] < '0' || p[11] > '9' || p[12] != ' ')
            die("an answer that does not begin with a status line", p);
        unsigned status = (unsigned)((p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0'));
        const char *headers = memchr(p, '\n', (size_t)(end - p));
        const char *blank = NULL;
        for (const char *q = headers; q && q + 1 < end; q = memchr(q + 1, '\n', (size_t)(end - q - 1))) {
            if (q[1] == '\n' || (q[1] == '\r' && q + 2 < end && q[2] == '\n')) {
                blank = q + 1;
                break;
            }
        }
        if (!headers || !blank)
            die("an answer whose header block does not end", p);
        const char *body = blank + (*blank == '\r' ? 2 : 1);
        size_t vlen = 0;
        const char *cl = header(headers + 1, blank, "Content-Length", &vlen);
        if (status >= 200 && status < 300) {
            size_t l1, l2;
            const char *csp = header(headers + 1, blank, "Content-Security-Policy", &l1);
            const char *ns = header(headers + 1, blank, "X-Content-Type-Options", &l2);
            if (!csp || !ns || l2 != 7 || strncmp(ns, "nosniff", 7) != 0)
                die("a 2xx answer without its Content-Security-Policy or nosniff", p);
        }
        if (!first && status >= 200)
            first = status;
        size_t length = 0;
        if (status >= 200) {
            if (!cl)
                die("an answer without Content-Length", p);
            char *stop = NULL;
            length = strtoul(cl, &stop, 10);
            if (stop != cl + vlen)
                die("a malformed Content-Length", p);
        }
        /* A HEAD's answer has no body: the next answer, or the end, follows at once. */
        if ((size_t)(end - body) == 0 || ((size_t)(end - body) >= 7 && memcmp(body, "HTTP/1.", 7) == 0))
            length = 0;
        if (length > (size_t)(end - body))
            die("an answer shorter than its Content-Length", p);
        p = body + length;
    }
    return first;
}

/*
 * 1 when the input begins (after empty lines) with a line METHOD TARGET HTTP/1.d (CR LF or
 * LF), three words apart by spaces (a run of them is taken as one), the method GET or HEAD; 0
 * when it does not: such a request must be refused. Each word is read up to a NUL byte in it,
 * as libmicrohttpd 0.9.75 hands it over (a raw NUL cuts the method or the target short before
 * serve.c sees it; docs/reliability.md); a TAB or a CR is part of a word.
 */
static int plain_request_line(const uint8_t *data, size_t size)
{
    while (size && (*data == '\n' || (*data == '\r' && size > 1 && data[1] == '\n'))) {
        size -= *data == '\r' ? 2 : 1;
        data += *data == '\r' ? 2 : 1;
    }
    const uint8_t *eol = memchr(data, '\n', size);
    if (!eol)
        return 0;
    size_t len = (size_t)(eol - data) - (eol > data && eol[-1] == '\r');
    char word[3][MAX_LINE];
    size_t n[3] = {0, 0, 0};
    int w = -1, cut = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == ' ')
            continue;
        if (i == 0 || data[i - 1] == ' ') {
            if (++w == 3)
                return 0;
            cut = 0;
        }
        if (data[i] == '\0')
            cut = 1;
        if (!cut && n[w] < MAX_LINE - 1)
            word[w][n[w]++] = (char)data[i];
    }
    if (w != 2)
        return 0;
    for (int k = 0; k < 3; k++)
        word[k][n[k]] = '\0';
    return (strcmp(word[0], "GET") == 0 || strcmp(word[0], "HEAD") == 0) &&
           strncmp(word[2], "HTTP/1.", 7) == 0 && n[2] == 8 && word[2][7] >= '0' &&
           word[2][7] <= '9';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char probe[] =
        "GET /api/search?q=pain&limit=1 HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n";
    char *buf;
    size_t n;
    start_server();

    exchange(data, size, 1, &buf, &n);
    unsigned first = check_responses(buf, n);
    if (first && first < 400 && !plain_request_line(data, size)) {
        fprintf(stderr, "fuzz_http: status %u for a malformed request or another method\n", first);
        abort();
    }
    free(buf);

    /* A fresh connection still gets its search answered. */
    exchange((const uint8_t *)probe, sizeof probe - 1, 0, &buf, &n);
    if (check_responses(buf, n) != 200 || !strstr(buf, "application/json") ||
        !strstr(buf, "\r\n\r\n{"))
        die("the server no longer answers a valid search", buf);
    free(buf);
    return 0;
}
