/*
 * check.h - a minimal assertion kit for the unit tests.
 *
 * Each test program includes this, calls CHECK*() as often as it likes and ends main() with
 * `return check_done();`, which prints "N passed, M failed" and returns non-zero on failure or
 * when no check ran at all (a test that checks nothing must not pass).
 * A failed check prints its file, line and the values involved, and the test goes on.
 */
#ifndef IMR_TEST_CHECK_H
#define IMR_TEST_CHECK_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (cond) {                                                                               \
            check_passed++;                                                                       \
        } else {                                                                                  \
            check_failed++;                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
        }                                                                                         \
    } while (0)

#define CHECK_INT(got, want)                                                                      \
    do {                                                                                          \
        long long g_ = (long long)(got), w_ = (long long)(want);                                  \
        if (g_ == w_) {                                                                           \
            check_passed++;                                                                       \
        } else {                                                                                  \
            check_failed++;                                                                       \
            fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_);  \
        }                                                                                         \
    } while (0)

#define CHECK_STR(got, want)                                                                      \
    do {                                                                                          \
        const char *g_ = (got), *w_ = (want);                                                     \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                                    \
            check_passed++;                                                                       \
        } else {                                                                                  \
            check_failed++;                                                                       \
            fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,      \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                      \
        }                                                                                         \
    } while (0)

/* Removes a database file and its WAL and shared-memory files. */
static inline void check_remove_db(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    if (check_passed + check_failed == 0) {
        printf("no checks ran\n");
        return 1;
    }
    return check_failed ? 1 : 0;
}

#endif
