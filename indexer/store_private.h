/*
 * store_private.h - what walk.c and store.c share, private to the library.
 */
#ifndef IMR_STORE_PRIVATE_H
#define IMR_STORE_PRIVATE_H

#include "imr.h"

/*
 * Maps an errno value met on a file or folder to a skip reason and a static lower-case
 * description for "PATH: description" ("no such file or directory", "permission denied", ...).
 */
imr_skip_reason_t imr__errno_reason(int e, const char **what);

#endif
