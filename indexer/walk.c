/*
 * walk.c - turning the paths a user gives into a list of letter files.
 *
 * Folders are walked depth first with their entries sorted by name (strcmp order), so two
 * runs over the same tree see the files in the same order and assign the same row ids. Only
 * regular files whose names end in ".txt", ".text" or ".pdf" (any case) are taken from
 * folders; a file named on the command line is taken whatever its name. Symbolic links are
 * followed, and a folder whose device and inode equal one of its ancestors' is a loop:
 * reported once, not entered.
 *
 * Paths are stored absolute (the current folder prepended to a relative path), so that the
 * database can later tell from any folder whether a letter's file still exists. They are
 * kept as the path of each folder, stored once, and the name of each file: about 30 bytes a
 * file, 60 MB for two million letters, where whole paths took about 70 bytes a file.
 */
#define _DEFAULT_SOURCE /* d_type and DT_* in struct dirent */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imr.h"
#include "imr_schema.h"
#include "prepare.h"

/* One folder being walked, for loop detection. */
struct ancestor {
    dev_t dev;
    ino_t ino;
};

/* One problem met while walking. */
struct problem {
    char *msg;
    imr_skip_reason_t reason;
};

/* A file of the list: its folder and its name. */
struct file {
    size_t name;     /* where its name starts in names */
    uint32_t folder; /* its folder's number */
};

struct imr_file_list {
    char *names; /* every file name, NUL-terminated, one after another */
    size_t names_len, names_cap;
    char *folders; /* every folder path, NUL-terminated, one after another */
    size_t folders_len, folders_cap;
    size_t *folder; /* folder[k]: where folder k's path starts in folders */
    uint32_t n_folders;
    size_t cap_folders;
    struct file *files;
    size_t n, cap;
    uint64_t bytes; /* sum of the files' sizes */
    struct problem *problems;
    size_t n_problems, cap_problems;
    struct ancestor *stack; /* the folders from the root being walked down to the current one */
    size_t depth, cap_stack;
};

imr_status_t imr_file_list_new(imr_file_list_t **out, imr_error_t *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    return IMR_OK;
}

void imr_file_list_free(imr_file_list_t *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n_problems; i++)
        free(list->problems[i].msg);
    free(list->problems);
    free(list->names);
    free(list->folders);
    free(list->folder);
    free(list->files);
    free(list->stack);
    free(list);
}

size_t imr_file_list_count(const imr_file_list_t *list)
{
    return list->n;
}

uint64_t imr_file_list_bytes(const imr_file_list_t *list)
{
    return list->bytes;
}

size_t imr_file_list_path(const imr_file_list_t *list, size_t i, char *buf, size_t n)
{
    int len = snprintf(buf, n, "%s/%s", list->folders + list->folder[list->files[i].folder],
                       list->names + list->files[i].name);
    return len < 0 ? 0 : (size_t)len;
}

size_t imr_file_list_n_problems(const imr_file_list_t *list)
{
    return list->n_problems;
}

const char *imr_file_list_problem(const imr_file_list_t *list, size_t i, imr_skip_reason_t *reason)
{
    if (reason)
        *reason = list->problems[i].reason;
    return list->problems[i].msg;
}

/* Grows *p (of *cap elements of `size` bytes) to hold at least `need` elements. */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/*
 * Appends file `path` (absolute; its folder is path[0, folder_len), empty for the root) to
 * the list. The folder is stored unless it is the one of the file before.
 */
static imr_status_t add_file(imr_file_list_t *list, const char *path, size_t folder_len,
                             uint64_t size, imr_error_t *err)
{
    const char *last = list->n_folders ? list->folders + list->folder[list->n_folders - 1] : NULL;
    int new_folder = !last || strlen(last) != folder_len || memcmp(last, path, folder_len) != 0;
    const char *name = path + folder_len + 1;
    size_t name_len = strlen(name) + 1;
    if (new_folder &&
        (list->n_folders == UINT32_MAX ||
         grow((void **)&list->folders, &list->folders_cap, list->folders_len + folder_len + 1,
              1) != 0 ||
         grow((void **)&list->folder, &list->cap_folders, list->n_folders + 1U,
              sizeof *list->folder) != 0))
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory listing files");
    if (grow((void **)&list->names, &list->names_cap, list->names_len + name_len, 1) != 0 ||
        grow((void **)&list->files, &list->cap, list->n + 1, sizeof *list->files) != 0)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory listing files");
    if (new_folder) {
        char *f = list->folders + list->folders_len;
        memcpy(f, path, folder_len);
        f[folder_len] = '\0';
        list->folder[list->n_folders++] = list->folders_len;
        list->folders_len += folder_len + 1;
    }
    memcpy(list->names + list->names_len, name, name_len);
    list->files[list->n].name = list->names_len;
    list->files[list->n].folder = list->n_folders - 1;
    list->n++;
    list->names_len += name_len;
    list->bytes += size;
    return IMR_OK;
}

/* Records the problem "PATH: what" with its reason. */
static imr_status_t add_problem(imr_file_list_t *list, const char *path, const char *what,
                                imr_skip_reason_t reason, imr_error_t *err)
{
    size_t len = strlen(path) + strlen(what) + 3;
    char *msg = malloc(len);
    if (!msg || grow((void **)&list->problems, &list->cap_problems, list->n_problems + 1,
                     sizeof *list->problems) != 0) {
        free(msg);
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory listing files");
    }
    memcpy(msg, path, strlen(path));
    memcpy(msg + strlen(path), ": ", 2);
    memcpy(msg + strlen(path) + 2, what, strlen(what) + 1);
    list->problems[list->n_problems].msg = msg;
    list->problems[list->n_problems].reason = reason;
    list->n_problems++;
    return IMR_OK;
}

/* Records the problem of a failed system call on `path` from errno value `e`. */
static imr_status_t add_errno_problem(imr_file_list_t *list, const char *path, int e,
                                      imr_error_t *err)
{
    const char *what;
    imr_skip_reason_t reason = imr__errno_reason(e, &what);
    return add_problem(list, path, what, reason, err);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns 1 when `name` has a stem and ends in ".txt", ".text" or ".pdf", in any case. */
static int is_letter_name(const char *name)
{
    static const char *const extensions[] = {".txt", ".text", ".pdf"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        size_t e = strlen(extensions[i]);
        if (n > e && strcasecmp(name + n - e, extensions[i]) == 0)
            return 1;
    }
    return 0;
}

static imr_status_t walk(imr_file_list_t *list, char *path, size_t len, size_t cap,
                         const struct stat *sb, imr_error_t *err);

/*
 * Walks the entries of folder `path` (held in a buffer of `cap` bytes, `len` used, which the
 * walk extends and restores).
 */
static imr_status_t walk_dir(imr_file_list_t *list, char *path, size_t len, size_t cap,
                             imr_error_t *err)
{
    DIR *d = opendir(path);
    if (!d)
        return add_errno_problem(list, path, errno, err);

    char **names = NULL;
    size_t n = 0, n_cap = 0;
    imr_status_t st = IMR_OK;
    struct dirent *e;
    errno = 0;
    while (st == IMR_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        /* Skip what is certainly neither a folder nor a letter without a stat call. */
        if (e->d_type != DT_DIR && e->d_type != DT_LNK && e->d_type != DT_UNKNOWN &&
            !is_letter_name(e->d_name))
            continue;
        char *copy = strdup(e->d_name);
        if (!copy || grow((void **)&names, &n_cap, n + 1, sizeof *names) != 0) {
            free(copy);
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory listing files");
            break;
        }
        names[n++] = copy;
    }
    if (st == IMR_OK && errno != 0 && !e)
        st = add_errno_problem(list, path, errno, err);
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, compare_names);

    for (size_t i = 0; i < n && st == IMR_OK; i++) {
        size_t nl = strlen(names[i]);
        if (len + 1 + nl + 1 > cap) {
            st = add_problem(list, path, "path too long", IMR_SKIP_UNREADABLE, err);
            break;
        }
        path[len] = '/';
        memcpy(path + len + 1, names[i], nl + 1);
        struct stat csb;
        if (stat(path, &csb) != 0) {
            /* A dangling link or a file gone since readdir: worth saying for letters only;
             * a path past PATH_MAX may be a folder of letters. */
            if (is_letter_name(names[i]) || errno == ELOOP || errno == ENAMETOOLONG)
                st = add_errno_problem(list, path, errno, err);
        } else if (S_ISDIR(csb.st_mode)) {
            st = walk(list, path, len + 1 + nl, cap, &csb, err);
        } else if (S_ISREG(csb.st_mode) && is_letter_name(names[i])) {
            st = add_file(list, path, len, (uint64_t)csb.st_size, err);
        } else if (is_letter_name(names[i])) {
            st = add_problem(list, path, "not a regular file", IMR_SKIP_UNREADABLE, err);
        }
        path[len] = '\0';
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

/* Walks folder `path` whose stat is `sb`, unless it is one of its own ancestors. */
static imr_status_t walk(imr_file_list_t *list, char *path, size_t len, size_t cap,
                         const struct stat *sb, imr_error_t *err)
{
    for (size_t i = 0; i < list->depth; i++)
        if (list->stack[i].dev == sb->st_dev && list->stack[i].ino == sb->st_ino)
            return add_problem(list, path, "symbolic link loop", IMR_SKIP_LOOP, err);
    if (grow((void **)&list->stack, &list->cap_stack, list->depth + 1, sizeof *list->stack) != 0)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory listing files");
    list->stack[list->depth].dev = sb->st_dev;
    list->stack[list->depth].ino = sb->st_ino;
    list->depth++;
    imr_status_t st = walk_dir(list, path, len, cap, err);
    list->depth--;
    return st;
}

imr_status_t imr_file_list_add(imr_file_list_t *list, const char *path, imr_error_t *err)
{
    struct stat sb;
    if (!*path)
        return add_problem(list, "''", "no such file or directory", IMR_SKIP_MISSING, err);
    if (stat(path, &sb) != 0)
        return add_errno_problem(list, path, errno, err);

    /* Absolute path, without "./" in front or '/' at the end. */
    size_t cap = IMR_FILE_PATH_MAX;
    char *buf = malloc(cap);
    if (!buf)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory listing files");
    size_t len = 0;
    if (path[0] != '/') {
        if (!getcwd(buf, cap - 2)) {
            free(buf);
            return add_errno_problem(list, path, errno, err);
        }
        len = strlen(buf);
        if (len > 1)
            buf[len++] = '/';
        while (path[0] == '.' && path[1] == '/') {
            path += 2;
            while (*path == '/')
                path++;
        }
        if (path[0] == '.' && path[1] == '\0')
            path++;
    }
    size_t pl = strlen(path);
    if (len + pl + 1 > cap) {
        free(buf);
        return add_problem(list, path, "path too long", IMR_SKIP_UNREADABLE, err);
    }
    memcpy(buf + len, path, pl + 1);
    len += pl;
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';

    imr_status_t st;
    if (S_ISDIR(sb.st_mode))
        st = walk(list, buf, len, cap, &sb, err);
    else if (S_ISREG(sb.st_mode))
        st = add_file(list, buf, (size_t)(strrchr(buf, '/') - buf), (uint64_t)sb.st_size, err);
    else
        st = add_problem(list, path, "not a regular file", IMR_SKIP_UNREADABLE, err);
    free(buf);
    return st;
}
