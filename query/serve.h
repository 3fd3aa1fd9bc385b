/*
 * serve.h - `imrsearch serve`, the web server (serve.c, docs/web.md).
 */
#ifndef IMR_SERVE_H
#define IMR_SERVE_H

#include "imr.h"

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

#endif
