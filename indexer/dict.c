/*
 * dict.c - reading the dictionaries (format in dict.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"

/* The folder of edited dictionaries (imr_dict_dir_set()), "" for none. */
static char dict_dir[4096];

void imr_dict_dir_set(const char *dir)
{
    snprintf(dict_dir, sizeof dict_dir, "%s", dir ? dir : "");
}

/* See dict.h. */
imr_status_t imr__read_file(const char *path, char **out, size_t *len, imr_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return imr_error_set(err, IMR_ERR_IO, "%s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            } else {
                buf = grown;
            }
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory reading %s", path);
    if (failed) {
        free(buf);
        return imr_error_set(err, IMR_ERR_IO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return IMR_OK;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* Splits one line (modified in place) into trimmed fields at TABs and " | ". */
static imr_status_t split_fields(char *line, imr_dict_entry_t *e, imr_error_t *err)
{
    e->n_fields = 0;
    char *p = line;
    for (;;) {
        char *tab = strchr(p, '\t'), *bar = strstr(p, " | "), *cut = tab;
        if (bar && (!cut || bar < cut))
            cut = bar;
        if (e->n_fields == IMR_DICT_MAX_FIELDS)
            return imr_error_set(err, IMR_ERR_ARG, "%s:%d: more than %d fields", e->file,
                                 e->line, IMR_DICT_MAX_FIELDS);
        if (cut)
            *cut = '\0';
        char *f = trim(p);
        if (*f || cut == NULL || e->n_fields > 0)
            e->field[e->n_fields++] = f;
        if (!cut)
            break;
        p = cut + (cut == bar ? 3 : 1);
        while (*p == '\t')
            p++;
    }
    return IMR_OK;
}

imr_status_t imr__dict_each(const char *name, imr_dict_fn fn, void *ctx, imr_error_t *err)
{
    char *text = NULL;
    imr_status_t st = IMR_OK;

    char path[sizeof dict_dir + 256];
    int w = dict_dir[0] ? snprintf(path, sizeof path, "%s/%s", dict_dir, name) : -1;
    if (w > 0 && (size_t)w < sizeof path && access(path, F_OK) == 0) {
        if ((st = imr__read_file(path, &text, NULL, err)) != IMR_OK)
            return st;
    } else { /* the built-in file, also for a name the folder does not have */
        const struct imr_embedded *e = imr_embedded_files;
        while (e->name && strcmp(e->name, name) != 0)
            e++;
        if (!e->name)
            return imr_error_set(err, IMR_ERR_IO, "no dictionary named %s", name);
        if (!(text = malloc(*e->len + 1)))
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        memcpy(text, e->bytes, *e->len + 1);
    }

    imr_dict_entry_t entry = {.file = name};
    char *line = text;
    while (st == IMR_OK && line && *line) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        entry.line++;
        char *t = trim(line);
        if (*t && *t != '#') {
            st = split_fields(t, &entry, err);
            if (st == IMR_OK)
                st = fn(&entry, ctx, err);
        }
        line = next;
    }
    free(text);
    return st;
}
