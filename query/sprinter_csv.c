/*
 * sprinter_csv.c - the CSV structure printer (RFC 4180: CRLF line ends, a cell quoted when it
 * holds a comma, a quote or a line break, quotes doubled).
 *
 * It takes lists of flat records: each top-level list is a table, its maps are rows, a map's
 * keys are columns. The first record's keys make the header, so its cells are held until the
 * record ends. A list inside a record is one cell, its values joined by ";" ("none" when it is
 * empty; a list cell holds short values such as guideline slugs and is cut at 511 bytes).
 * Tables after the first follow a blank line. Marks become "[" and "]".
 *
 * Cells that are text and start with = + - @, a tab or a carriage return get a leading ', the
 * OWASP advice against formula injection: letters are untrusted text, and a spreadsheet would
 * otherwise run "=HYPERLINK(...)" from an item's title.
 */
#include <stdlib.h>
#include <string.h>

#include "imr.h"
#include "sprinter.h"

/* The level of a table's records, of a record's cells and of a list cell's values. */
enum { TABLE = 1, RECORD = 2, LIST_CELL = 3 };

/* Where cells go: held while the first record of a table is walked. */
static FILE *dest(imr_sprinter_t *sp)
{
    return sp->row ? sp->row : sp->out;
}

static void write_cell(FILE *o, const char *s, int is_text)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', o);
    if (is_text && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        fputc('\'', o);
    for (; *s; s++) {
        if (*s == IMR_MARK_OPEN)
            fputc('[', o);
        else if (*s == IMR_MARK_CLOSE)
            fputc(']', o);
        else if (*s == '"')
            fputs("\"\"", o);
        else
            fputc(*s, o);
    }
    if (quote)
        fputc('"', o);
}

/* Opens a level, keeping its "nothing written yet" flag. */
static void push(imr_sprinter_t *sp)
{
    if (sp->depth < IMR_SPRINTER_DEPTH)
        sp->first[sp->depth] = 1;
    sp->depth++;
}

/* Writes one cell of the current record, with the comma before all but the first. */
static void record_cell(imr_sprinter_t *sp, const char *s, int is_text)
{
    if (!sp->first[RECORD - 1])
        fputc(',', dest(sp));
    sp->first[RECORD - 1] = 0;
    write_cell(dest(sp), s, is_text);
}

/* A scalar: a cell of a record, or a value of a list cell; ignored anywhere else. */
static void scalar(imr_sprinter_t *sp, const char *s, int is_text)
{
    if (sp->depth == RECORD) {
        record_cell(sp, s, is_text);
    } else if (sp->depth == LIST_CELL) {
        size_t room = sizeof sp->list - sp->list_len;
        int n = snprintf(sp->list + sp->list_len, room, "%s%s",
                         sp->first[LIST_CELL - 1] ? "" : ";", s);
        sp->list_len += n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
        sp->first[LIST_CELL - 1] = 0;
    }
}

static void csv_begin_list(imr_sprinter_t *sp)
{
    if (sp->depth == 0) {
        if (sp->tables++ && sp->records)
            fputs("\r\n", sp->out);
        sp->records = 0;
    } else if (sp->depth == RECORD) {
        sp->list_len = 0;
        sp->list[0] = '\0';
    }
    push(sp);
}

static void csv_begin_map(imr_sprinter_t *sp)
{
    if (sp->depth == TABLE && sp->records == 0) {
        sp->row = open_memstream(&sp->row_buf, &sp->row_len);
        sp->header_cells = 0;
    }
    push(sp);
}

/* Ends a record: the header and the held cells after the first, else the line end. */
static void end_record(imr_sprinter_t *sp)
{
    if (sp->row) {
        fclose(sp->row);
        sp->row = NULL;
        fputs("\r\n", sp->out);
        if (!sp->keys_only && sp->row_buf)
            fprintf(sp->out, "%s\r\n", sp->row_buf);
        free(sp->row_buf);
        sp->row_buf = NULL;
    } else if (!sp->keys_only) {
        fputs("\r\n", sp->out);
    }
    sp->keys_only = 0;
    sp->records++;
}

static void csv_end(imr_sprinter_t *sp)
{
    if (sp->depth == 0)
        return;
    sp->depth--;
    if (sp->depth == RECORD)
        record_cell(sp, sp->list_len ? sp->list : "none", 1);
    else if (sp->depth == TABLE)
        end_record(sp);
}

static void csv_key(imr_sprinter_t *sp, const char *key)
{
    /* Header cells go straight out; the held first row follows them when the record ends. */
    if (sp->depth != RECORD || !sp->row)
        return;
    if (sp->header_cells++)
        fputc(',', sp->out);
    write_cell(sp->out, key, 0);
}

static void csv_string(imr_sprinter_t *sp, const char *s)
{
    scalar(sp, s ? s : "", 1);
}

static void csv_integer(imr_sprinter_t *sp, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v);
    scalar(sp, num, 0);
}

static void csv_number(imr_sprinter_t *sp, double v)
{
    char num[32];
    snprintf(num, sizeof num, "%.6g", v);
    scalar(sp, num, 0);
}

static void csv_boolean(imr_sprinter_t *sp, int v)
{
    scalar(sp, v ? "true" : "false", 0);
}

static void csv_null(imr_sprinter_t *sp)
{
    scalar(sp, "", 0);
}

static void csv_separator(imr_sprinter_t *sp)
{
    (void)sp;
}

void imr__sprinter_csv_init(imr_sprinter_t *sp, FILE *out)
{
    memset(sp, 0, sizeof *sp);
    sp->begin_map = csv_begin_map;
    sp->begin_list = csv_begin_list;
    sp->end = csv_end;
    sp->key = csv_key;
    sp->string = csv_string;
    sp->integer = csv_integer;
    sp->number = csv_number;
    sp->boolean = csv_boolean;
    sp->null = csv_null;
    sp->separator = csv_separator;
    sp->out = out;
}

int imr__sprinter_keys_only(imr_sprinter_t *sp)
{
    if (sp->begin_map != csv_begin_map || sp->records)
        return 0;
    sp->keys_only = 1;
    return 1;
}
