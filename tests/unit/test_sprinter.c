/*
 * test_sprinter.c - the structure printers: JSON layout and escaping (control bytes, marks,
 * invalid UTF-8), CSV headers, quoting, list cells, formula-injection guards, several tables.
 */
#include <stdlib.h>

#include "check.h"
#include "imr.h"
#include "sprinter.h"

typedef void (*walk_fn)(imr_sprinter_t *sp);

/* Runs walk over a json (csv = 0) or csv sprinter into a string (caller frees). */
static char *render(walk_fn walk, int csv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    imr_sprinter_t sp;
    if (csv)
        imr__sprinter_csv_init(&sp, f);
    else
        imr__sprinter_json_init(&sp, f);
    walk(&sp);
    fclose(f);
    return buf;
}

static void record(imr_sprinter_t *sp, const char *name, long long n, double score)
{
    sp->begin_map(sp);
    sp->key(sp, "name");
    sp->string(sp, name);
    sp->key(sp, "n");
    sp->integer(sp, n);
    sp->key(sp, "score");
    sp->number(sp, score);
    sp->key(sp, "tags");
    sp->begin_list(sp);
    if (n > 1) {
        sp->string(sp, "a");
        sp->string(sp, "b");
    }
    sp->end(sp);
    sp->key(sp, "ok");
    sp->boolean(sp, n > 1);
    sp->key(sp, "none");
    sp->null(sp);
    sp->end(sp);
}

static void two_records(imr_sprinter_t *sp)
{
    sp->begin_list(sp);
    sp->separator(sp);
    record(sp, "x,\"y\"", 2, 1.5);
    sp->separator(sp);
    record(sp, "=HYPERLINK(\"http://x\")", -1, -2.25);
    sp->separator(sp);
    sp->end(sp);
    sp->separator(sp);
}

static void json_layout(void)
{
    char *s = render(two_records, 0);
    CHECK_STR(s, "[\n  {\"name\": \"x,\\\"y\\\"\", \"n\": 2, \"score\": 1.5, \"tags\": [\"a\", "
                 "\"b\"], \"ok\": true, \"none\": null},\n  {\"name\": "
                 "\"=HYPERLINK(\\\"http://x\\\")\", \"n\": -1, \"score\": -2.25, \"tags\": [], "
                 "\"ok\": false, \"none\": null}\n]\n");
    free(s);
}

static void hostile_string(imr_sprinter_t *sp)
{
    /* A mark pair, a tab, an escape byte, a lone continuation byte, an overlong "/", a
     * surrogate, a cut sequence at the end; then valid two-, three- and four-byte ones. */
    sp->string(sp, "\x02m\x03\t\x1b|\x80|\xc0\xaf|\xed\xa0\x80|\xc3\xa9\xe2\x80\xa6\xf0\x9f\x98\x80|\xe2\x80");
}

static void json_escaping(void)
{
    char *s = render(hostile_string, 0);
    CHECK_STR(s, "\"[m]\\t\\u001b|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd"
                 "\xef\xbf\xbd|\xc3\xa9\xe2\x80\xa6\xf0\x9f\x98\x80|\xef\xbf\xbd\xef\xbf\xbd\"");
    free(s);
}

static void csv_table(void)
{
    char *s = render(two_records, 1);
    CHECK_STR(s, "name,n,score,tags,ok,none\r\n"
                 "\"x,\"\"y\"\"\",2,1.5,a;b,true,\r\n"
                 "\"'=HYPERLINK(\"\"http://x\"\")\",-1,-2.25,none,false,\r\n");
    free(s);
}

static void guarded(imr_sprinter_t *sp)
{
    static const char *const cells[] = {"+1", "-2", "@SUM(A1)", "\tx", "a-b", "\x02q\x03", NULL};
    sp->begin_list(sp);
    sp->begin_map(sp);
    for (int i = 0; cells[i]; i++) {
        char key[8];
        snprintf(key, sizeof key, "c%d", i);
        sp->key(sp, key);
        sp->string(sp, cells[i]);
    }
    sp->end(sp);
    sp->end(sp);
}

static void csv_formulas(void)
{
    char *s = render(guarded, 1);
    CHECK_STR(s, "c0,c1,c2,c3,c4,c5\r\n'+1,'-2,'@SUM(A1),'\tx,a-b,[q]\r\n");
    free(s);
}

static void empty_then_table(imr_sprinter_t *sp)
{
    /* A table with no rows keeps its header through keys_only; a second table follows. */
    sp->begin_list(sp);
    CHECK_INT(imr__sprinter_keys_only(sp), 1);
    record(sp, "", 0, 0);
    sp->end(sp);
    sp->begin_list(sp);
    sp->begin_map(sp);
    sp->key(sp, "k");
    sp->string(sp, "v");
    sp->end(sp);
    sp->end(sp);
}

static void csv_tables(void)
{
    char *s = render(empty_then_table, 1);
    CHECK_STR(s, "name,n,score,tags,ok,none\r\n\r\nk\r\nv\r\n");
    free(s);
    imr_sprinter_t sp;
    imr__sprinter_json_init(&sp, stdout);
    CHECK_INT(imr__sprinter_keys_only(&sp), 0);
}

int main(void)
{
    json_layout();
    json_escaping();
    csv_table();
    csv_formulas();
    csv_tables();
    return check_done();
}
