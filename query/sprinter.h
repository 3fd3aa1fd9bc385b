/*
 * sprinter.h - a structure printer: the one interface through which imrsearch's structured
 * formats write (after notmuch's sprinter.h).
 *
 * A walk (print_walk.c) describes a thing once - a hit, a facet table, a letter - as maps,
 * lists, keys and scalars; a sprinter turns that description into one concrete syntax:
 *
 *   json  every structure as JSON (RFC 8259); separator() asks for a line break, so that a
 *         list of hits or table rows has one element a line; jsonl is json with one hit a line.
 *   csv   a list of flat maps (records) as a header row (the first record's keys) and one row a
 *         record (RFC 4180); a list inside a record is one cell, its values joined by ";".
 *
 * Strings may hold the library's marks (IMR_MARK_OPEN/IMR_MARK_CLOSE): every sprinter writes
 * them as the plain markers "[" and "]". A sprinter writes only to the FILE it was given.
 * Sprinters live on the caller's stack: there is nothing to free, and nothing can fail but the
 * FILE (check ferror()).
 */
#ifndef IMR_SPRINTER_H
#define IMR_SPRINTER_H

#include <stdio.h>

#define IMR_SPRINTER_DEPTH 16 /* deepest nesting of maps and lists any walk uses, with room */

typedef struct imr_sprinter imr_sprinter_t;

struct imr_sprinter {
    void (*begin_map)(imr_sprinter_t *sp);
    void (*begin_list)(imr_sprinter_t *sp);
    void (*end)(imr_sprinter_t *sp);                   /* ends the innermost map or list */
    void (*key)(imr_sprinter_t *sp, const char *key);  /* in a map, before each value */
    void (*string)(imr_sprinter_t *sp, const char *s); /* UTF-8, marks allowed */
    void (*integer)(imr_sprinter_t *sp, long long v);
    void (*number)(imr_sprinter_t *sp, double v); /* written with 6 significant digits */
    void (*boolean)(imr_sprinter_t *sp, int v);
    void (*null)(imr_sprinter_t *sp);
    void (*separator)(imr_sprinter_t *sp); /* a line break for the reader; no meaning */

    /* State, private to the sprinter's file. */
    FILE *out;
    int depth;                        /* open maps and lists */
    int is_list[IMR_SPRINTER_DEPTH];  /* per level: a list, else a map */
    int first[IMR_SPRINTER_DEPTH];    /* per level: nothing written in it yet */
    int after_key;                    /* json: a key was written, its value comes next */
    int newline;                      /* json: a separator is pending */
    int records;                      /* csv: records written in the current table */
    int tables;                       /* csv: tables (top-level lists) begun */
    int keys_only;                    /* csv: the next record gives the header only */
    int header_cells;                 /* csv: header cells written for the current table */
    FILE *row;                        /* csv: the first record's cells, held for its header */
    char *row_buf;                    /* csv: row's memory */
    size_t row_len;
    char list[512];                   /* csv: the values of a list cell, joined */
    size_t list_len;
};

/* Sets sp up to write JSON to out. */
void imr__sprinter_json_init(imr_sprinter_t *sp, FILE *out);

/*
 * Sets sp up to write CSV to out. Every cell is a string quoted when needed; a cell that
 * starts with = + - @, a tab or a carriage return gets a leading ' so that a spreadsheet does
 * not run it as a formula (OWASP "CSV injection"); numbers are written as they are.
 * Several top-level lists make several tables, a blank line between them.
 */
void imr__sprinter_csv_init(imr_sprinter_t *sp, FILE *out);

/*
 * Asks that the next record walked give only its keys: the header of a table that has no rows.
 * Returns 1 when sp writes headers (csv) and the current table has none yet, else 0: then the
 * record is not to be walked.
 */
int imr__sprinter_keys_only(imr_sprinter_t *sp);

#endif
