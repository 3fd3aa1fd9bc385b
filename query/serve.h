/*
 * serve.h - `imrsearch serve`, the web server (serve.c, docs/web.md).
 */
#ifndef IMR_SERVE_H
#define IMR_SERVE_H

#include <stdint.h>

#include "imr.h"

struct MHD_Daemon;
struct sockaddr;

/* imrsearch's error line: writes "imrsearch: MESSAGE" on stderr and returns code (main.c). */
typedef int (*imr__fail_fn)(imr_exit_t code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * Runs `imrsearch [--db PATH] serve [--port N] [--bind ADDR]` when argv is that command: serves
 * until SIGINT or SIGTERM and returns the exit code; its errors and its warning go through
 * fail; every search ranks with `weights` (imr_search_opts_t.bm25_weights: NULL for the
 * library's). Returns -1 when argv is another command, or asks for --help.
 */
int imr__serve_main(int argc, char **argv, imr__fail_fn fail, const double *weights);

/*
 * The server itself, for imr__serve_main() and the fuzz harness (tests/fuzz/fuzz_http.c), which
 * hands it connections of its own. imr__server_open() opens the database at path once for each
 * worker thread, read-only; *out owns the connections, freed by imr__server_close() (NULL is
 * fine) after the daemon stops. Errors: the database's, IMR_ERR_NOMEM.
 */
typedef struct imr__server imr__server_t;
imr_status_t imr__server_open(const char *path, imr__server_t **out, imr_error_t *err);
/*
 * Starts answering: libmicrohttpd's daemon with imrsearch serve's threads and limits, its own
 * flags or-ed with `flags` (MHD_USE_IPv6; MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC for
 * connections given by MHD_add_connection()), listening on addr (or port on every address
 * when NULL). A connection idle for idle_timeout seconds is closed (0: imrsearch serve's 15;
 * libmicrohttpd holds a request cut short that long, even after the client's end of stream).
 * Returns the daemon, stopped by MHD_stop_daemon(), or NULL with errno set.
 */
struct MHD_Daemon *imr__server_start(imr__server_t *s, unsigned flags, uint16_t port,
                                     const struct sockaddr *addr, unsigned idle_timeout);
void imr__server_close(imr__server_t *s);

#endif
