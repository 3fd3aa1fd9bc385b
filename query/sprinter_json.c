/*
 * sprinter_json.c - the JSON structure printer.
 *
 * Layout: ", " between the members of a map or a list and ": " after a key; a separator()
 * puts the next member (or the closing bracket) on a new line, indented two spaces per open
 * list, and at the top level it ends the line at once (one document, or one jsonl record).
 *
 * Strings are escaped per RFC 8259: quote, backslash and every control character (\uXXXX for
 * those without a short form). Bytes that are not valid UTF-8 become U+FFFD, so the output is
 * always valid JSON whatever the database holds. Marks become "[" and "]".
 */
#include <string.h>

#include "imr.h"
#include "sprinter.h"

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is not one. */
static int utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xe0 && s[0] <= 0xef) {
        unsigned lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
    }
    if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        unsigned lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4
                                                                                         : 0;
    }
    return 0;
}

static void write_escaped(FILE *o, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    fputc('"', o);
    while (*s) {
        unsigned char ch = *s;
        int n = 1;
        if (ch == (unsigned char)IMR_MARK_OPEN)
            fputc('[', o);
        else if (ch == (unsigned char)IMR_MARK_CLOSE)
            fputc(']', o);
        else if (ch == '"')
            fputs("\\\"", o);
        else if (ch == '\\')
            fputs("\\\\", o);
        else if (ch == '\n')
            fputs("\\n", o);
        else if (ch == '\r')
            fputs("\\r", o);
        else if (ch == '\t')
            fputs("\\t", o);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(o, "\\u%04x", ch);
        else if ((n = utf8_len(s)) == 0) {
            fputs("\xef\xbf\xbd", o);
            n = 1;
        } else
            fwrite(s, 1, (size_t)n, o);
        s += n;
    }
    fputc('"', o);
}

static int open_lists(const imr_sprinter_t *sp)
{
    int n = 0;
    for (int i = 0; i < sp->depth; i++)
        n += sp->is_list[i];
    return n;
}

static void write_newline(imr_sprinter_t *sp)
{
    fprintf(sp->out, "\n%*s", 2 * open_lists(sp), "");
    sp->newline = 0;
}

/* What comes before a key or a value: the comma, then a line break or a space. */
static void prefix(imr_sprinter_t *sp)
{
    if (sp->after_key) {
        sp->after_key = 0;
        return;
    }
    if (sp->depth == 0)
        return;
    int first = sp->first[sp->depth - 1];
    sp->first[sp->depth - 1] = 0;
    if (!first)
        fputc(',', sp->out);
    if (sp->newline)
        write_newline(sp);
    else if (!first)
        fputc(' ', sp->out);
}

static void push(imr_sprinter_t *sp, int is_list)
{
    prefix(sp);
    fputc(is_list ? '[' : '{', sp->out);
    if (sp->depth < IMR_SPRINTER_DEPTH) {
        sp->is_list[sp->depth] = is_list;
        sp->first[sp->depth] = 1;
    }
    sp->depth++;
}

static void json_begin_map(imr_sprinter_t *sp)
{
    push(sp, 0);
}

static void json_begin_list(imr_sprinter_t *sp)
{
    push(sp, 1);
}

static void json_end(imr_sprinter_t *sp)
{
    if (sp->depth == 0)
        return;
    int is_list = sp->depth <= IMR_SPRINTER_DEPTH ? sp->is_list[sp->depth - 1] : 0;
    sp->depth--;
    if (sp->newline)
        write_newline(sp);
    fputc(is_list ? ']' : '}', sp->out);
}

static void json_key(imr_sprinter_t *sp, const char *key)
{
    prefix(sp);
    write_escaped(sp->out, key);
    fputs(": ", sp->out);
    sp->after_key = 1;
}

static void json_string(imr_sprinter_t *sp, const char *s)
{
    prefix(sp);
    write_escaped(sp->out, s ? s : "");
}

static void json_integer(imr_sprinter_t *sp, long long v)
{
    prefix(sp);
    fprintf(sp->out, "%lld", v);
}

static void json_number(imr_sprinter_t *sp, double v)
{
    prefix(sp);
    fprintf(sp->out, "%.6g", v);
}

static void json_boolean(imr_sprinter_t *sp, int v)
{
    prefix(sp);
    fputs(v ? "true" : "false", sp->out);
}

static void json_null(imr_sprinter_t *sp)
{
    prefix(sp);
    fputs("null", sp->out);
}

static void json_separator(imr_sprinter_t *sp)
{
    if (sp->depth == 0)
        fputc('\n', sp->out);
    else
        sp->newline = 1;
}

void imr__sprinter_json_init(imr_sprinter_t *sp, FILE *out)
{
    memset(sp, 0, sizeof *sp);
    sp->begin_map = json_begin_map;
    sp->begin_list = json_begin_list;
    sp->end = json_end;
    sp->key = json_key;
    sp->string = json_string;
    sp->integer = json_integer;
    sp->number = json_number;
    sp->boolean = json_boolean;
    sp->null = json_null;
    sp->separator = json_separator;
    sp->out = out;
}
