/*
 * serve.h - `imrsearch serve`, the web server (serve.c, docs/web.md).
 */
#ifndef IMR_SERVE_H
#define IMR_SERVE_H

/*
 * Runs `imrsearch [--db PATH] serve [--port N] [--bind ADDR]` when argv is that command: serves
 * until SIGINT or SIGTERM and returns the exit code. Returns -1 when argv is another command.
 */
int imr__serve_main(int argc, char **argv);

#endif
