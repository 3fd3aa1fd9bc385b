/*
 * parse.c - the query language: a user's string -> an AST -> an FTS5 MATCH expression.
 *
 * Design. The translation runs in four steps, each over the whole query:
 *
 *  1. Checks: at most IMR_QUERY_MAX_BYTES bytes of valid UTF-8.
 *  2. Lexing into an array of tokens. Only ASCII `(`, `)`, white space (any Unicode space or
 *     control character), quotes (`"`, curly and full-width quotes), the upper-case words OR,
 *     AND, NOT, NEAR, a leading `-`, a trailing `*`, a known field name before `:`, and commas
 *     inside NEAR(...) mean anything. Every other byte belongs to a word, so `L5-S1`,
 *     `10/325mg`, `#90`, `foo:bar` are words.
 *  3. Recursive-descent parsing into an AST, with this grammar (precedence from loosest):
 *
 *         query   := andlist
 *         andlist := item ( [AND] item )*
 *         item    := [NOT | -] orlist                  NOT/- excludes the whole OR chain
 *         orlist  := primary ( OR primary )*           OR binds tighter than AND
 *         primary := word[*] | "phrase"[*] | ( andlist ) | field: primary | NEAR( ... )
 *
 *     Words and phrases without a letter or digit (`#`, `--`) are dropped, and so is any
 *     operator that is left without an operand by that. An andlist's excluded items are moved
 *     after its included ones: `-b a` becomes `a NOT b`. Runs of plain words that spell a form
 *     of a synonym group (query/synonyms.txt) become that group, and then every remaining
 *     plain word that is a form does.
 *  4. Emitting: every word and phrase goes out as an FTS5 string ("" doubled), so nothing the
 *     user typed is FTS5 syntax; every compound below the top is parenthesised, so FTS5's own
 *     precedence never matters.
 *
 * Recursion is bounded by IMR_QUERY_MAX_DEPTH nested groups and field scopes, the work by
 * IMR_QUERY_MAX_TERMS words. All AST memory comes from one arena freed at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "buf.h"
#include "imr.h"
#include "imr_schema.h"
#include "normalize.h"
#include "rank.h"
#include "reading.h"
#include "rewrite.h"
#include "synonyms.h"

#define IMR_QUERY_MAX_BYTES  10000 /* longest query accepted, in bytes */
#define IMR_QUERY_MAX_TERMS  256   /* most words and phrases in one query */
#define IMR_QUERY_MAX_DEPTH  64    /* deepest nesting of parentheses and field scopes */
#define IMR_QUERY_MAX_NEAR   1000  /* largest NEAR distance */
/* Deepest nesting of parentheses in the FTS5 expression: FTS5's parser (3.40) holds 100
 * symbols, and one level costs at most about 8 (expr OR expr AND expr NOT colset : "("), so
 * deeper output could fail in FTS5 with "parser stack overflow" (found by fuzz_query). */
#define IMR_QUERY_MAX_FTS_DEPTH 10
#define IMR_QUERY_NEAR_DEF   10    /* NEAR distance when none is given */
#define IMR_QUERY_MIN_PREFIX 2     /* fewest letters or digits before a '*' */
#define IMR_QUERY_EXCERPT    40    /* bytes of the query quoted in an error message */
#define IMR_QUERY_MAX_FACETS 16    /* most facet words read from one query */

/* ---------------------------------------------------------------------------------------- */
/* Characters                                                                               */
/* ---------------------------------------------------------------------------------------- */

/* True for characters that separate words: ASCII controls and space, Unicode spaces. */
static int is_space_cp(int32_t c)
{
    if (c < 0x80)
        return c <= 0x20 || c == 0x7f;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC;
}

/* True for the characters that open or close a phrase: " “ ” „ and full-width ＂. */
static int is_quote_cp(int32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0xFF02;
}

/* Counts the letters and digits in s[0..n). */
static size_t count_word_cps(const char *s, size_t n)
{
    size_t count = 0, i = 0, l;
    while (i < n) {
        count += imr__is_letter_or_digit(imr__decode(s + i, n - i, &l)) != 0;
        i += l;
    }
    return count;
}

/* ---------------------------------------------------------------------------------------- */
/* Tokens                                                                                   */
/* ---------------------------------------------------------------------------------------- */

typedef enum tok_kind {
    T_END,    /* end of the query */
    T_WORD,   /* a bare word; s/n without trailing '*' */
    T_PHRASE, /* a quoted phrase; s/n between the quotes */
    T_LP,     /* ( */
    T_RP,     /* ) */
    T_OR,     /* OR */
    T_AND,    /* AND */
    T_NOT,    /* NOT */
    T_NEG,    /* a leading '-' */
    T_FIELD,  /* item: rationale: summary: guideline: */
    T_NEAR,   /* NEAR( */
    T_COMMA   /* , inside NEAR(...) */
} tok_kind_t;

typedef struct token {
    tok_kind_t kind;
    size_t pos;    /* byte offset of the token in the query */
    const char *s; /* T_WORD, T_PHRASE: the text */
    size_t n;      /* its length in bytes */
    int prefix;    /* T_WORD, T_PHRASE: followed by '*' */
    unsigned cols; /* T_FIELD: bit i set for FTS5 column i of table `table` */
    int table;     /* T_FIELD: TABLE_ITEM or TABLE_LETTER */
} token_t;

/* The two FTS5 tables a part of a query is routed to, as bits of a mask. */
enum { TABLE_ITEM = 1, TABLE_LETTER = 2 };

/* A field scope a user may write, the table it searches and the columns there. */
static const struct {
    const char *name;
    int table;
    unsigned cols;
} k_fields[] = {
    {"item", TABLE_ITEM, 1u << IMR_COL_ITEM},
    {"rationale", TABLE_ITEM, 1u << IMR_COL_RATIONALE},
    {"guideline", TABLE_ITEM, (1u << IMR_COL_GUIDELINE) | (1u << IMR_COL_CA_GUIDELINE)},
    {"summary", TABLE_LETTER, 1u << IMR_LCOL_SUMMARY},
    {"letter", TABLE_LETTER, (1u << IMR_LCOL_SUMMARY) | (1u << IMR_LCOL_OTHER)},
};

static const char *const k_item_col_names[IMR_N_ITEM_COLS] = IMR_ITEM_COLUMN_NAMES;
static const char *const k_letter_col_names[IMR_N_LETTER_COLS] = IMR_LETTER_COLUMN_NAMES;

/* ---------------------------------------------------------------------------------------- */
/* The AST                                                                                  */
/* ---------------------------------------------------------------------------------------- */

typedef enum node_kind {
    N_TERM,   /* a word (prefix when `prefix`) */
    N_PHRASE, /* a quoted phrase (prefix when `prefix`) */
    N_SYN,    /* a word or run of words that is a form of synonym group `group` */
    N_NEAR,   /* NEAR(kid..., dist): kids are N_TERM / N_PHRASE */
    N_AND,    /* all kids */
    N_OR,     /* any kid */
    N_NOT,    /* kid[0] and not kid[1] */
    N_FIELD   /* kid[0] within the columns `cols` */
} node_kind_t;

typedef struct node {
    node_kind_t kind;
    const char *s;     /* N_TERM, N_PHRASE, N_SYN: the text as written */
    size_t n;          /* its length in bytes */
    int prefix;        /* N_TERM, N_PHRASE */
    int group;         /* N_SYN */
    size_t form;       /* N_SYN: the form typed (imr__syn_ambiguous() forms need it) */
    int dist;          /* N_NEAR */
    unsigned cols;     /* N_FIELD: columns of `table` */
    int table;         /* N_FIELD: TABLE_ITEM or TABLE_LETTER */
    size_t pos;        /* where the andlist item this node is starts, for messages */
    struct node **kid; /* children, n_kid of them */
    size_t n_kid;
} node_t;

/* One operand of an andlist while it is being parsed. */
typedef struct item {
    node_t *node; /* NULL when everything in it was dropped */
    int neg;      /* preceded by NOT or '-' */
    int plain;    /* a single unscoped word without '*': may join a synonym run */
    int neg_word; /* such a word, excluded: may name a facet value to leave out */
    size_t pos;   /* where it starts, for messages */
} item_t;

typedef struct parser {
    const char *text;          /* the query */
    size_t len;                /* its length in bytes */
    token_t *tok;              /* the tokens, ending with T_END */
    size_t n_tok, at;          /* how many; the next one to read */
    void **arena;              /* every allocation of the AST, freed together */
    size_t n_arena, cap_arena; /* allocations made; room for */
    int depth;                 /* current nesting of groups and field scopes */
    int n_terms;               /* words and phrases seen */
    int literal;               /* IMR_QUERY_LITERAL: no facet words are read */
    imr_query_facet_t facet[IMR_QUERY_MAX_FACETS]; /* facet words read, strings in the arena */
    size_t n_facet;
    size_t span[IMR_QUERY_MAX_FACETS][2]; /* the bytes of the query each facet was read from */
    node_t *excluded;          /* a query of facets and exclusions only: what it excludes */
    imr_error_t *err;          /* where messages go; may be NULL */
} parser_t;

/* Allocates zeroed memory owned by the parser's arena; NULL when out of memory. */
static void *arena_alloc(parser_t *p, size_t size)
{
    if (p->n_arena == p->cap_arena) {
        size_t cap = p->cap_arena ? 2 * p->cap_arena : 64;
        void **grown = realloc(p->arena, cap * sizeof *grown);
        if (!grown)
            return NULL;
        p->arena = grown;
        p->cap_arena = cap;
    }
    void *mem = calloc(1, size ? size : 1);
    if (mem)
        p->arena[p->n_arena++] = mem;
    return mem;
}

/* Frees everything arena_alloc() gave out. */
static void arena_free(parser_t *p)
{
    for (size_t i = 0; i < p->n_arena; i++)
        free(p->arena[i]);
    free(p->arena);
    p->arena = NULL;
    p->n_arena = p->cap_arena = 0;
}

/*
 * Sets a one-line IMR_ERR_QUERY message: `what (at column C): <the query from there>`, the
 * excerpt cut at IMR_QUERY_EXCERPT bytes (on a character boundary) and marked "...". Columns
 * count characters from 1. Returns IMR_ERR_QUERY.
 */
static imr_status_t query_error(const parser_t *p, size_t pos, const char *what)
{
    size_t col = 1;
    for (size_t i = 0; i < pos && i < p->len; i++)
        col += ((unsigned char)p->text[i] & 0xC0) != 0x80;
    char excerpt[IMR_QUERY_EXCERPT + 4];
    size_t n = 0, i = pos;
    while (i < p->len && n < IMR_QUERY_EXCERPT) {
        size_t l;
        int32_t c = imr__decode(p->text + i, p->len - i, &l);
        if (n + l > IMR_QUERY_EXCERPT)
            break;
        if (c < 0x20 || c == 0x7f)
            excerpt[n++] = ' ';
        else
            for (size_t b = 0; b < l; b++)
                excerpt[n++] = p->text[i + b];
        i += l;
    }
    while (n > 0 && excerpt[n - 1] == ' ')
        n--;
    if (i < p->len) {
        memcpy(excerpt + n, "...", 3);
        n += 3;
    }
    excerpt[n] = '\0';
    if (n == 0)
        return imr_error_set(p->err, IMR_ERR_QUERY, "%s (at column %zu)", what, col);
    return imr_error_set(p->err, IMR_ERR_QUERY, "%s (at column %zu): %s", what, col, excerpt);
}

/* ---------------------------------------------------------------------------------------- */
/* Lexer                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* True when s[0..n) is exactly the word w. */
static int word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* Appends a token; the array has room for one token per byte plus T_END. */
static token_t *push_tok(parser_t *p, tok_kind_t kind, size_t pos)
{
    token_t *t = &p->tok[p->n_tok++];
    *t = (token_t){.kind = kind, .pos = pos};
    return t;
}

/*
 * Splits the query into p->tok (see the design note). Returns IMR_ERR_QUERY for an unclosed
 * quote, IMR_ERR_NOMEM.
 */
static imr_status_t lex(parser_t *p)
{
    const char *s = p->text;
    size_t len = p->len, i = 0, l;
    int near_mode = 0;

    if (!(p->tok = malloc((len + 1) * sizeof *p->tok)))
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    for (;;) {
        while (i < len && is_space_cp(imr__decode(s + i, len - i, &l)))
            i += l;
        if (i >= len)
            break;
        int32_t c = imr__decode(s + i, len - i, &l);
        if (c == '(') {
            push_tok(p, T_LP, i++);
        } else if (c == ')') {
            push_tok(p, T_RP, i++);
            near_mode = 0;
        } else if (near_mode && c == ',') {
            push_tok(p, T_COMMA, i++);
        } else if (is_quote_cp(c)) {
            size_t start = i + l, j = start, lj = 0;
            while (j < len && !is_quote_cp(imr__decode(s + j, len - j, &lj)))
                j += lj;
            if (j >= len)
                return query_error(p, i, "unbalanced quote");
            token_t *t = push_tok(p, T_PHRASE, i);
            t->s = s + start;
            t->n = j - start;
            i = j + lj;
            while (i < len && s[i] == '*') {
                t->prefix = 1;
                i++;
            }
        } else if (c == '-' && i + 1 < len && s[i + 1] != '-' && s[i + 1] != ')' &&
                   !(near_mode && s[i + 1] == ',') &&
                   !is_space_cp(imr__decode(s + i + 1, len - i - 1, &l))) {
            push_tok(p, T_NEG, i++);
        } else {
            size_t j = i, colon = 0;
            while (j < len) {
                int32_t cj = imr__decode(s + j, len - j, &l);
                if (is_space_cp(cj) || cj == '(' || cj == ')' || is_quote_cp(cj) ||
                    (near_mode && cj == ','))
                    break;
                if (cj == ':' && !colon)
                    colon = j;
                j += l;
            }
            if (colon > i) {
                size_t f;
                for (f = 0; f < sizeof k_fields / sizeof k_fields[0]; f++)
                    if (strlen(k_fields[f].name) == colon - i &&
                        strncasecmp(s + i, k_fields[f].name, colon - i) == 0)
                        break;
                if (f < sizeof k_fields / sizeof k_fields[0]) {
                    token_t *t = push_tok(p, T_FIELD, i);
                    t->s = s + i;
                    t->n = colon - i;
                    t->cols = k_fields[f].cols;
                    t->table = k_fields[f].table;
                    i = colon + 1;
                    continue;
                }
            }
            tok_kind_t op = T_WORD;
            if (word_is(s + i, j - i, "OR"))
                op = T_OR;
            else if (word_is(s + i, j - i, "AND"))
                op = T_AND;
            else if (word_is(s + i, j - i, "NOT"))
                op = T_NOT;
            if (op != T_WORD) {
                push_tok(p, op, i);
            } else if (word_is(s + i, j - i, "NEAR") && !near_mode) {
                size_t k = j;
                while (k < len && is_space_cp(imr__decode(s + k, len - k, &l)))
                    k += l;
                if (k < len && s[k] == '(') {
                    push_tok(p, T_NEAR, i);
                    near_mode = 1;
                    i = k + 1;
                    continue;
                }
            }
            if (op == T_WORD) {
                size_t e = j;
                while (e > i && s[e - 1] == '*')
                    e--;
                token_t *t = push_tok(p, T_WORD, i);
                t->s = s + i;
                t->n = e - i;
                t->prefix = e < j;
            }
            i = j;
        }
    }
    push_tok(p, T_END, len);
    return IMR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Parser                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static imr_status_t parse_andlist(parser_t *p, node_t **out, int *negated);

/* The next token to read; T_END at the end, which is never passed. */
static const token_t *cur(const parser_t *p)
{
    return &p->tok[p->at];
}

/* True for the tokens that can begin a primary. */
static int starts_primary(tok_kind_t k)
{
    return k == T_WORD || k == T_PHRASE || k == T_LP || k == T_FIELD || k == T_NEAR;
}

/*
 * 1 when the plain words from token i on begin with a decision entry of more than one word
 * (`not medically necessary`, query/decisions.txt), whose `not` is then a word of it.
 */
static int begins_decision_entry(const parser_t *p, size_t i)
{
    enum { MAX_WORDS = 8 };
    char *keys[MAX_WORDS];
    const char *words[MAX_WORDS];
    unsigned char end[MAX_WORDS] = {0};
    size_t n_keys = 0, n_words = 0;
    for (; i < p->n_tok && n_keys < MAX_WORDS && n_words < MAX_WORDS; i++) {
        const token_t *t = &p->tok[i];
        if (t->kind != T_WORD || t->prefix ||
            imr__fold_key(t->s, t->n, &keys[n_keys], NULL) != IMR_OK)
            break;
        for (char *w = keys[n_keys++]; w && *w && n_words < MAX_WORDS;) {
            char *sp = strchr(w, ' ');
            if (sp)
                *sp++ = '\0';
            words[n_words] = w;
            end[n_words++] = sp == NULL;
            w = sp;
        }
    }
    const char *field = NULL, *slug = NULL;
    size_t used = n_words ? imr__read_facet(words, end, n_words, &field, &slug) : 0;
    while (n_keys)
        free(keys[--n_keys]);
    return used > 1 && field && strcmp(field, "decision") == 0;
}

/*
 * Lower-case `or` and `not` between two terms are the operators (docs/query-syntax.md): a
 * word `or` or `not`, in any case, after a word, phrase or `)` and before something that
 * begins a term. Quoted, first or last, they stay words, as does a `not` that begins a
 * decision entry (`not medically necessary`).
 */
static void read_lower_ops(parser_t *p)
{
    int near_mode = 0;
    for (size_t i = 1; i + 1 < p->n_tok; i++) {
        token_t *t = &p->tok[i];
        if (p->tok[i - 1].kind == T_NEAR)
            near_mode = 1;
        if (t->kind == T_RP)
            near_mode = 0;
        if (near_mode)
            continue;
        tok_kind_t before = p->tok[i - 1].kind, after = p->tok[i + 1].kind;
        if (t->kind != T_WORD || t->prefix ||
            !(before == T_WORD || before == T_PHRASE || before == T_RP) ||
            !(starts_primary(after) || after == T_NEG))
            continue;
        if (t->n == 2 && strncasecmp(t->s, "or", 2) == 0 && after != T_NEG)
            t->kind = T_OR;
        else if (t->n == 3 && strncasecmp(t->s, "not", 3) == 0 && !begins_decision_entry(p, i))
            t->kind = T_NOT;
    }
}

/* A new zeroed node of the given kind in the arena; NULL when out of memory. */
static node_t *new_node(parser_t *p, node_kind_t kind)
{
    node_t *nd = arena_alloc(p, sizeof *nd);
    if (nd)
        nd->kind = kind;
    return nd;
}

/* Gives nd the n children in kids (copied into the arena). Returns IMR_ERR_NOMEM. */
static imr_status_t set_kids(parser_t *p, node_t *nd, node_t *const *kids, size_t n)
{
    if (!(nd->kid = arena_alloc(p, n * sizeof *nd->kid)))
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    memcpy(nd->kid, kids, n * sizeof *kids);
    nd->n_kid = n;
    return IMR_OK;
}

/*
 * Makes the leaf for word or phrase token t: *out is NULL when it has no letter or digit.
 * Returns IMR_ERR_QUERY for too many terms or a too short prefix, IMR_ERR_NOMEM.
 */
static imr_status_t make_leaf(parser_t *p, const token_t *t, node_t **out)
{
    *out = NULL;
    if (++p->n_terms > IMR_QUERY_MAX_TERMS)
        return imr_error_set(p->err, IMR_ERR_QUERY, "query is too long: more than %d terms",
                             IMR_QUERY_MAX_TERMS);
    size_t letters = count_word_cps(t->s, t->n);
    if (t->prefix && letters < IMR_QUERY_MIN_PREFIX)
        return query_error(p, t->pos, "a prefix needs at least 2 letters or digits before *");
    if (letters == 0)
        return IMR_OK;
    node_t *nd = new_node(p, t->kind == T_WORD ? N_TERM : N_PHRASE);
    if (!nd)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    nd->s = t->s;
    nd->n = t->n;
    if (t->kind == T_PHRASE) {
        /* White space in a phrase (tabs, line breaks, Unicode spaces) becomes single spaces. */
        char *clean = arena_alloc(p, t->n + 1);
        if (!clean)
            return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        size_t n = 0, i = 0, l;
        int gap = 0;
        while (i < t->n) {
            if (is_space_cp(imr__decode(t->s + i, t->n - i, &l))) {
                gap = 1;
            } else {
                if (gap && n > 0)
                    clean[n++] = ' ';
                gap = 0;
                memcpy(clean + n, t->s + i, l);
                n += l;
            }
            i += l;
        }
        nd->s = clean;
        nd->n = n;
    }
    nd->prefix = t->prefix;
    *out = nd;
    return IMR_OK;
}

/*
 * Parses NEAR( phrase phrase ... [, distance] ) at the current T_NEAR token into an N_NEAR
 * node. Returns IMR_ERR_QUERY for a missing ')', fewer than two words, a bad distance or
 * anything but words, phrases and prefixes inside; IMR_ERR_NOMEM.
 */
static imr_status_t parse_near(parser_t *p, node_t **out)
{
    const token_t *near = cur(p);
    node_t *kids[IMR_QUERY_MAX_TERMS];
    size_t n = 0;
    int dist = IMR_QUERY_NEAR_DEF;
    imr_status_t st;

    *out = NULL;
    p->at++;
    while (cur(p)->kind == T_WORD || cur(p)->kind == T_PHRASE) {
        node_t *leaf;
        if ((st = make_leaf(p, cur(p), &leaf)) != IMR_OK)
            return st;
        if (leaf)
            kids[n++] = leaf;
        p->at++;
    }
    if (cur(p)->kind == T_COMMA) {
        const token_t *comma = cur(p);
        p->at++;
        const token_t *num = cur(p);
        const char *what = "NEAR distance must be a whole number from 0 to 1000";
        if (num->kind != T_WORD)
            return query_error(p, num->kind == T_END ? comma->pos : num->pos, what);
        if (num->prefix || num->n == 0 || num->n > 4)
            return query_error(p, num->pos, what);
        dist = 0;
        for (size_t i = 0; i < num->n; i++) {
            if (num->s[i] < '0' || num->s[i] > '9')
                return query_error(p, num->pos, what);
            dist = dist * 10 + (num->s[i] - '0');
        }
        if (dist > IMR_QUERY_MAX_NEAR)
            return query_error(p, num->pos, what);
        p->at++;
    }
    if (cur(p)->kind == T_END)
        return query_error(p, near->pos, "unbalanced parenthesis");
    if (cur(p)->kind != T_RP)
        return query_error(p, cur(p)->pos, "NEAR accepts only words, phrases and prefixes");
    p->at++;
    if (n < 2)
        return query_error(p, near->pos, "NEAR needs at least two words");
    node_t *nd = new_node(p, N_NEAR);
    if (!nd)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    nd->dist = dist;
    if ((st = set_kids(p, nd, kids, n)) != IMR_OK)
        return st;
    *out = nd;
    return IMR_OK;
}

/*
 * Parses one primary (see the grammar); *out is NULL when it was dropped. *negated is set
 * when the primary is a group of only excluded terms (`(-b -c)`, `item:(-b)`): *out is then
 * what it excludes.
 */
static imr_status_t parse_primary(parser_t *p, node_t **out, int *negated)
{
    const token_t *t = cur(p);
    imr_status_t st;

    *out = NULL;
    *negated = 0;
    switch (t->kind) {
    case T_WORD:
    case T_PHRASE:
        p->at++;
        return make_leaf(p, t, out);
    case T_NEAR:
        return parse_near(p, out);
    case T_LP:
        if (++p->depth > IMR_QUERY_MAX_DEPTH)
            return query_error(p, t->pos, "too many nested parentheses or fields");
        p->at++;
        if (cur(p)->kind == T_RP)
            return query_error(p, t->pos, "empty parentheses");
        if ((st = parse_andlist(p, out, negated)) != IMR_OK)
            return st;
        if (cur(p)->kind != T_RP)
            return query_error(p, t->pos, "unbalanced parenthesis");
        p->at++;
        p->depth--;
        return IMR_OK;
    case T_FIELD: {
        if (++p->depth > IMR_QUERY_MAX_DEPTH)
            return query_error(p, t->pos, "too many nested parentheses or fields");
        p->at++;
        if (!starts_primary(cur(p)->kind)) {
            char what[64];
            snprintf(what, sizeof what, "%.*s: needs a word, phrase or group after it", (int)t->n,
                     t->s);
            return query_error(p, t->pos, what);
        }
        node_t *kid;
        if ((st = parse_primary(p, &kid, negated)) != IMR_OK)
            return st;
        p->depth--;
        if (!kid)
            return IMR_OK;
        node_t *nd = new_node(p, N_FIELD);
        if (!nd)
            return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        nd->cols = t->cols;
        nd->table = t->table;
        if ((st = set_kids(p, nd, &kid, 1)) != IMR_OK)
            return st;
        *out = nd;
        return IMR_OK;
    }
    default:
        return query_error(p, t->pos, "unexpected text");
    }
}

/*
 * Parses primary (OR primary)*; *n_primaries says how many there were, dropped or not.
 * *negated is set when the only primary is a group of only excluded terms.
 */
static imr_status_t parse_orlist(parser_t *p, node_t **out, size_t *n_primaries, int *negated)
{
    node_t **kids = NULL;
    size_t n = 0, cap = 0;
    size_t negated_at = 0;
    imr_status_t st = IMR_OK;

    *out = NULL;
    *n_primaries = 0;
    *negated = 0;
    for (;;) {
        node_t *kid;
        size_t at = cur(p)->pos;
        int neg;
        if ((st = parse_primary(p, &kid, &neg)) != IMR_OK)
            goto done;
        if (neg && kid && !*negated) {
            *negated = 1;
            negated_at = at;
        }
        ++*n_primaries;
        if (kid) {
            if (n == cap) {
                size_t ncap = cap ? 2 * cap : 4;
                node_t **grown = realloc(kids, ncap * sizeof *grown);
                if (!grown) {
                    st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
                    goto done;
                }
                kids = grown;
                cap = ncap;
            }
            kids[n++] = kid;
        }
        if (cur(p)->kind != T_OR)
            break;
        const token_t * or = cur(p);
        p->at++;
        if (cur(p)->kind == T_NOT || cur(p)->kind == T_NEG) {
            st = query_error(p, cur(p)->pos, "NOT cannot follow OR; put it before the OR group");
            goto done;
        }
        if (!starts_primary(cur(p)->kind)) {
            st = query_error(p, or->pos, "OR needs a term after it");
            goto done;
        }
    }
    if (*negated && *n_primaries > 1) {
        st = query_error(p, negated_at, "OR cannot join a group of only excluded terms");
        goto done;
    }
    if (n == 1) {
        *out = kids[0];
    } else if (n > 1) {
        node_t *nd = new_node(p, N_OR);
        if (!nd)
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        else if ((st = set_kids(p, nd, kids, n)) == IMR_OK)
            *out = nd;
    }
done:
    free(kids);
    return st;
}

/* The facets a `field:value` word may name, as the options do (docs/query-syntax.md). */
static const char *const k_value_fields[] = {"decision", "region", "type", "source", "year",
                                             "case", NULL};

/* A copy of s[0..n) in the arena, NUL-terminated; NULL when out of memory. */
static char *arena_strndup(parser_t *p, const char *s, size_t n)
{
    char *c = arena_alloc(p, n + 1);
    if (c)
        memcpy(c, s, n);
    return c;
}

/*
 * Records a facet read from the query bytes [from, to): field, value, soft (see
 * imr_query_facet_t). Returns IMR_ERR_QUERY when the query names too many, IMR_ERR_NOMEM.
 */
static imr_status_t add_facet(parser_t *p, const char *field, const char *value, size_t n_value,
                              int soft, int negated, size_t from, size_t to)
{
    if (p->n_facet == IMR_QUERY_MAX_FACETS)
        return query_error(p, from, "too many facet words (at most 16); quote some to search them");
    imr_query_facet_t *f = &p->facet[p->n_facet];
    memset(f, 0, sizeof *f);
    f->field = field;
    f->value = arena_strndup(p, value, n_value);
    f->written = arena_strndup(p, p->text + from, to - from);
    if (!f->value || !f->written)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    f->soft = soft;
    f->negated = negated;
    f->cols = strcmp(field, "region") == 0 ? 1u << IMR_COL_ITEM : (1u << IMR_N_ITEM_COLS) - 1;
    p->span[p->n_facet][0] = from;
    p->span[p->n_facet][1] = to;
    p->n_facet++;
    return IMR_OK;
}

/* The end, in bytes of the query, of plain item it (a word as written). */
static size_t item_end_pos(const parser_t *p, const item_t *it)
{
    return (size_t)(it->node->s + it->node->n - p->text);
}

/*
 * `field:value` words: an item that is one plain word `decision:overturned`, `region:knee`,
 * `type:...`, `source:...`, `year:2015` or `case:CM13-0011873` (field in any case) becomes
 * that filter, and an excluded one (`-region:knee`) its negation. The value is checked where
 * the filters are (filter.c).
 */
static imr_status_t read_value_fields(parser_t *p, item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(items[i].plain || items[i].neg_word) || !items[i].node)
            continue;
        const char *w = items[i].node->s;
        size_t len = items[i].node->n;
        const char *colon = memchr(w, ':', len);
        if (!colon)
            continue;
        size_t f;
        for (f = 0; k_value_fields[f]; f++)
            if (strlen(k_value_fields[f]) == (size_t)(colon - w) &&
                strncasecmp(w, k_value_fields[f], (size_t)(colon - w)) == 0)
                break;
        if (!k_value_fields[f])
            continue;
        size_t n_value = len - (size_t)(colon + 1 - w);
        if (n_value == 0) {
            char what[64];
            snprintf(what, sizeof what, "%s: needs a value, as in %s", k_value_fields[f],
                     f == 4 ? "year:2015" : f == 5 ? "case:CM13-0011873" : "region:knee");
            return query_error(p, items[i].pos, what);
        }
        imr_status_t st = add_facet(p, k_value_fields[f], colon + 1, n_value, 0, items[i].neg,
                                    items[i].pos, item_end_pos(p, &items[i]));
        if (st != IMR_OK)
            return st;
        p->facet[p->n_facet - 1].cols = 0;
        items[i].node = NULL;
    }
    return IMR_OK;
}

/*
 * Facet words (reading.h): in each run of plain words, the longest run that names a decision,
 * a body region or a guideline source, from the left, becomes a facet (a decision a filter, a
 * region or source a facet-or-text match) and leaves the text query.
 */
static imr_status_t read_facet_words(parser_t *p, item_t *items, size_t n)
{
    imr_status_t st = IMR_OK;
    size_t n_words = 0, cap = 0;
    char **keys = calloc(n ? n : 1, sizeof *keys);
    const char **words = NULL;
    unsigned char *end = NULL;
    size_t *item_of = NULL;
    if (!keys)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == IMR_OK && i < n; i++)
        if (items[i].plain && items[i].node)
            st = imr__fold_key(items[i].node->s, items[i].node->n, &keys[i], p->err);
    for (size_t i = 0; i < n; i++)
        for (char *k = keys[i]; k && *k; k++)
            cap += *k == ' ';
    cap += n;
    if (st == IMR_OK && (!(words = calloc(cap ? cap : 1, sizeof *words)) ||
                         !(end = calloc(cap ? cap : 1, 1)) ||
                         !(item_of = calloc(cap ? cap : 1, sizeof *item_of))))
        st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == IMR_OK && i < n;) {
        /* One run of plain words: items i .. j-1, split into their folded words. */
        size_t j = i;
        n_words = 0;
        while (j < n && keys[j] && *keys[j]) {
            for (char *w = keys[j];;) {
                char *sp = strchr(w, ' ');
                if (sp)
                    *sp = '\0';
                words[n_words] = w;
                item_of[n_words] = j;
                end[n_words++] = sp == NULL;
                if (!sp)
                    break;
                w = sp + 1;
            }
            j++;
        }
        for (size_t w = 0; st == IMR_OK && w < n_words;) {
            const char *field, *slug;
            size_t used = imr__read_facet(words + w, end + w, n_words - w, &field, &slug);
            if (!used) {
                while (w < n_words && !end[w])
                    w++;
                w++;
                continue;
            }
            size_t first = item_of[w], last = item_of[w + used - 1];
            if (field)
                st = add_facet(p, field, slug, strlen(slug), strcmp(field, "decision") != 0, 0,
                               items[first].pos, item_end_pos(p, &items[last]));
            for (size_t k = first; field && k <= last; k++)
                items[k].node = NULL;
            w += used;
        }
        i = j > i ? j : i + 1;
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    free(words);
    free(end);
    free(item_of);
    return st;
}

/*
 * Excluded facet words (`-lumbar`, `not denied`, `-odg`): an excluded single word that names
 * a decision, a body region or a guideline source becomes that facet, negated. A decision
 * word leaves the text (a letter's form text says "overturned" of every decision); a region
 * word stays excluded from the item line, where the treatment's region is written, and a
 * source word from the whole item text, where the reviewer cites the guideline.
 */
static imr_status_t read_excluded_facet_words(parser_t *p, item_t *items, size_t n)
{
    enum { READ_WORDS = 8 };
    imr_status_t st = IMR_OK;
    for (size_t i = 0; st == IMR_OK && i < n; i++) {
        if (!items[i].neg_word || !items[i].node)
            continue;
        char *key;
        if ((st = imr__fold_key(items[i].node->s, items[i].node->n, &key, p->err)) != IMR_OK)
            break;
        /* The word's folded words ("h-wave": "h wave"), all of which the facet must use. */
        const char *words[READ_WORDS];
        unsigned char end[READ_WORDS] = {0};
        size_t n_words = 0;
        char *w = key;
        do {
            words[n_words++] = w;
            if ((w = strchr(w, ' ')))
                *w++ = '\0';
        } while (w && n_words < READ_WORDS);
        end[n_words - 1] = 1;
        const char *field = NULL, *slug = NULL;
        size_t used = w ? 0 : imr__read_facet(words, end, n_words, &field, &slug);
        free(key);
        if (used != n_words || !field)
            continue;
        if ((st = add_facet(p, field, slug, strlen(slug), 0, 1, items[i].pos,
                            item_end_pos(p, &items[i]))) != IMR_OK)
            break;
        imr_query_facet_t *fc = &p->facet[p->n_facet - 1];
        if (strcmp(field, "decision") == 0) {
            fc->cols = 0;
            items[i].node = NULL;
        } else if (fc->cols != (1u << IMR_N_ITEM_COLS) - 1) {
            node_t *nd = new_node(p, N_FIELD);
            if (!nd)
                return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            nd->cols = fc->cols;
            nd->table = TABLE_ITEM;
            if ((st = set_kids(p, nd, &items[i].node, 1)) != IMR_OK)
                break;
            nd->pos = items[i].node->pos;
            items[i].node = nd;
        }
    }
    return st;
}

/*
 * Joins runs of plain words of an andlist that spell a multi-word synonym form (the longest
 * match from the left) into one N_SYN item; the other words of the run become NULL items.
 */
static imr_status_t join_synonym_runs(parser_t *p, item_t *items, size_t n)
{
    imr_status_t st = IMR_OK;
    char **keys = calloc(n, sizeof *keys);
    if (!keys)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == IMR_OK && i < n; i++)
        if (items[i].plain && items[i].node)
            st = imr__fold_key(items[i].node->s, items[i].node->n, &keys[i], p->err);

    for (size_t i = 0; st == IMR_OK && i + 1 < n; i++) {
        if (!keys[i])
            continue;
        size_t best = i, cap = 0, len = 0, best_form = 0, form = 0;
        int best_group = -1;
        char *run = NULL;
        for (size_t j = i; j < n && keys[j] && (int)(j - i) < imr__syn_max_words(); j++) {
            size_t kl = strlen(keys[j]);
            if (len + kl + 2 > cap) {
                cap = 2 * (len + kl + 2);
                char *grown = realloc(run, cap);
                if (!grown) {
                    st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
                    break;
                }
                run = grown;
            }
            if (j > i)
                run[len++] = ' ';
            memcpy(run + len, keys[j], kl + 1);
            len += kl;
            int g = j > i ? imr__syn_lookup(run, &form) : -1;
            if (g >= 0) {
                best = j;
                best_group = g;
                best_form = form;
            }
        }
        free(run);
        if (st != IMR_OK || best == i)
            continue;
        /* The words as written, joined by single spaces. */
        size_t wlen = 0;
        for (size_t j = i; j <= best; j++)
            wlen += items[j].node->n + 1;
        char *written = arena_alloc(p, wlen);
        node_t *nd = new_node(p, N_SYN);
        if (!written || !nd) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            break;
        }
        size_t w = 0;
        for (size_t j = i; j <= best; j++) {
            if (j > i)
                written[w++] = ' ';
            memcpy(written + w, items[j].node->s, items[j].node->n);
            w += items[j].node->n;
            items[j].node = NULL;
        }
        nd->s = written;
        nd->n = w;
        nd->group = best_group;
        nd->form = best_form;
        items[i].node = nd;
        i = best;
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return st;
}

/*
 * The synonym group of a single word or synonym run nd, or -1. An excluded word of the group
 * of an included one is excluded as written (build_andlist()): `oxycodone -oxycontin` means
 * oxycodone but not the OxyContin brand, not every form of the drug.
 */
static int node_group(parser_t *p, const node_t *nd, imr_status_t *st)
{
    if (nd->kind == N_SYN)
        return nd->group;
    if (nd->kind != N_TERM || nd->prefix)
        return -1;
    char *key;
    if ((*st = imr__fold_key(nd->s, nd->n, &key, p->err)) != IMR_OK)
        return -1;
    int g = imr__syn_lookup(key, NULL);
    free(key);
    return g;
}

/*
 * Builds the node of an andlist from its items: (included AND ...) NOT (excluded OR ...).
 * When every item is excluded, an andlist in parentheses (negated != NULL) gives what it
 * excludes and sets *negated; the whole query (negated == NULL) is refused.
 */
static imr_status_t build_andlist(parser_t *p, item_t *items, size_t n, node_t **out, int *negated)
{
    node_t **pos = NULL, **neg = NULL;
    size_t n_pos = 0, n_neg = 0;
    size_t first_neg = 0;
    imr_status_t st = IMR_OK;

    *out = NULL;
    if (n == 0)
        return IMR_OK;
    pos = malloc(n * sizeof *pos);
    neg = malloc(n * sizeof *neg);
    if (!pos || !neg) {
        st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!items[i].node)
            continue;
        if (items[i].neg) {
            if (n_neg == 0)
                first_neg = items[i].pos;
            neg[n_neg++] = items[i].node;
        } else {
            pos[n_pos++] = items[i].node;
        }
    }
    for (size_t i = 0; st == IMR_OK && i < n_neg; i++) {
        int g = node_group(p, neg[i], &st);
        for (size_t k = 0; g >= 0 && k < n_pos; k++)
            if (node_group(p, pos[k], &st) == g) {
                neg[i]->kind = N_PHRASE; /* `oxycodone -oxycontin`: OxyContin as written */
                break;
            }
    }
    node_t *excluded = n_neg ? neg[0] : NULL;
    if (st != IMR_OK)
        goto done;
    if (n_neg > 1) {
        if (!(excluded = new_node(p, N_OR))) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((st = set_kids(p, excluded, neg, n_neg)) != IMR_OK)
            goto done;
    }
    if (n_pos == 0) {
        if (n_neg > 0 && !negated && p->n_facet > 0)
            p->excluded = excluded; /* only facets and exclusions: see exclude_only() */
        else if (n_neg > 0 && !negated)
            st = query_error(p, first_neg, "a query needs at least one term that is not negated");
        else if (n_neg > 0) {
            *negated = 1;
            *out = excluded;
        }
        goto done;
    }
    node_t *included = pos[0];
    if (n_pos > 1) {
        if (!(included = new_node(p, N_AND))) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((st = set_kids(p, included, pos, n_pos)) != IMR_OK)
            goto done;
    }
    if (!excluded) {
        *out = included;
    } else {
        node_t *nd = new_node(p, N_NOT);
        node_t *both[2] = {included, excluded};
        if (!nd) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        if ((st = set_kids(p, nd, both, 2)) != IMR_OK)
            goto done;
        *out = nd;
    }
done:
    free(pos);
    free(neg);
    return st;
}

/*
 * Parses item ([AND] item)* up to a ')' or the end. For a group in parentheses `negated` is
 * not NULL and is set when every item of the group is excluded (see build_andlist()).
 */
static imr_status_t parse_andlist(parser_t *p, node_t **out, int *negated)
{
    item_t *items = NULL;
    size_t n = 0, cap = 0;
    imr_status_t st = IMR_OK;

    *out = NULL;
    if (negated)
        *negated = 0;
    for (;;) {
        const token_t *t = cur(p);
        if (t->kind == T_END || t->kind == T_RP)
            break;
        if (t->kind == T_AND) {
            if (n == 0) {
                st = query_error(p, t->pos, "AND needs a term before it");
                goto done;
            }
            p->at++;
            tok_kind_t k = cur(p)->kind;
            if (!starts_primary(k) && k != T_NOT && k != T_NEG) {
                st = query_error(p, t->pos, "AND needs a term after it");
                goto done;
            }
            continue;
        }
        if (t->kind == T_OR) {
            st = query_error(p, t->pos, "OR needs a term before it");
            goto done;
        }
        item_t it = {.pos = t->pos};
        if (t->kind == T_NOT || t->kind == T_NEG) {
            it.neg = 1;
            p->at++;
            if (!starts_primary(cur(p)->kind)) {
                st = query_error(p, t->pos,
                                 t->kind == T_NOT ? "NOT needs a word, phrase or group after it"
                                                  : "- needs a word, phrase or group after it");
                goto done;
            }
        } else if (!starts_primary(t->kind)) {
            st = query_error(p, t->pos, "unexpected text");
            goto done;
        }
        const token_t *first = cur(p);
        size_t n_primaries;
        int group_negated;
        if ((st = parse_orlist(p, &it.node, &n_primaries, &group_negated)) != IMR_OK)
            goto done;
        if (group_negated && it.neg) {
            st = query_error(p, it.pos, "NOT cannot exclude a group of only excluded terms");
            goto done;
        }
        it.neg |= group_negated;
        if (it.node) /* the outermost andlist holding the node has the last word */
            it.node->pos = it.pos;
        int word = n_primaries == 1 && first->kind == T_WORD && !first->prefix && it.node &&
                   it.node->kind == N_TERM;
        it.plain = !it.neg && word;
        it.neg_word = it.neg && !group_negated && word;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            item_t *grown = realloc(items, ncap * sizeof *grown);
            if (!grown) {
                st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
                goto done;
            }
            items = grown;
            cap = ncap;
        }
        items[n++] = it;
    }
    if (!negated && !p->literal && (st = read_value_fields(p, items, n)) == IMR_OK &&
        (st = read_facet_words(p, items, n)) == IMR_OK)
        st = read_excluded_facet_words(p, items, n);
    if (st == IMR_OK && (st = join_synonym_runs(p, items, n)) == IMR_OK)
        st = build_andlist(p, items, n, out, negated);
done:
    free(items);
    return st;
}

/* Turns every remaining plain word (not a prefix, not inside NEAR) that is a form into N_SYN. */
static imr_status_t expand_words(parser_t *p, node_t *nd)
{
    imr_status_t st = IMR_OK;
    if (nd->kind == N_TERM && !nd->prefix) {
        char *key;
        if ((st = imr__fold_key(nd->s, nd->n, &key, p->err)) != IMR_OK)
            return st;
        size_t form = 0;
        int g = imr__syn_lookup(key, &form);
        free(key);
        if (g >= 0) {
            nd->kind = N_SYN;
            nd->group = g;
            nd->form = form;
        }
        return IMR_OK;
    }
    if (nd->kind == N_NEAR)
        return IMR_OK;
    for (size_t i = 0; st == IMR_OK && i < nd->n_kid; i++)
        st = expand_words(p, nd->kid[i]);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Output                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Appends s[0..n) as an FTS5 string: in double quotes, each '"' doubled. */
static void put_quoted(imr__buf_t *b, const char *s, size_t n)
{
    imr__buf_add(b, "\"", 1);
    for (size_t i = 0; i < n; i++)
        imr__buf_add(b, s + i, 1 + (s[i] == '"'));
    imr__buf_add(b, "\"", 1);
}

/* Appends a leaf: "text" or "text" *. */
static void emit_leaf(imr__buf_t *b, const node_t *nd)
{
    put_quoted(b, nd->s, nd->n);
    if (nd->prefix)
        imr__buf_adds(b, " *");
}

/* Appends the FTS5 form of nd; compounds below the top are parenthesised. */
static void emit(imr__buf_t *b, const node_t *nd, int top)
{
    switch (nd->kind) {
    case N_TERM:
    case N_PHRASE:
        emit_leaf(b, nd);
        break;
    case N_SYN:
        if (!top)
            imr__buf_adds(b, "(");
        size_t first, end;
        imr__syn_group(nd->group, &first, &end);
        for (size_t f = first, k = 0; f < end; f++) {
            if (imr__syn_ambiguous(f) && f != nd->form)
                continue;
            if (k++)
                imr__buf_adds(b, " OR ");
            put_quoted(b, imr__syn_form(f), strlen(imr__syn_form(f)));
        }
        if (!top)
            imr__buf_adds(b, ")");
        break;
    case N_NEAR: {
        char dist[32];
        imr__buf_adds(b, "NEAR(");
        for (size_t i = 0; i < nd->n_kid; i++) {
            if (i)
                imr__buf_adds(b, " ");
            emit_leaf(b, nd->kid[i]);
        }
        snprintf(dist, sizeof dist, ", %d)", nd->dist);
        imr__buf_adds(b, dist);
        break;
    }
    case N_AND:
    case N_OR:
    case N_NOT:
        if (!top)
            imr__buf_adds(b, "(");
        for (size_t i = 0; i < nd->n_kid; i++) {
            if (i)
                imr__buf_adds(b, nd->kind == N_AND ? " AND " : nd->kind == N_OR ? " OR " : " NOT ");
            /* A synonym group inside an OR needs no parentheses of its own. */
            emit(b, nd->kid[i], nd->kind == N_OR && nd->kid[i]->kind == N_SYN);
        }
        if (!top)
            imr__buf_adds(b, ")");
        break;
    case N_FIELD: {
        int item = nd->table == TABLE_ITEM, n_cols = 0;
        int n_table_cols = item ? IMR_N_ITEM_COLS : IMR_N_LETTER_COLS;
        for (int c = 0; c < n_table_cols; c++)
            n_cols += (nd->cols >> c) & 1;
        if (n_cols > 1)
            imr__buf_adds(b, "{");
        for (int c = 0, k = 0; c < n_table_cols; c++) {
            if (!((nd->cols >> c) & 1))
                continue;
            if (k++)
                imr__buf_adds(b, " ");
            imr__buf_adds(b, item ? k_item_col_names[c] : k_letter_col_names[c]);
        }
        imr__buf_adds(b, n_cols > 1 ? "} : " : " : ");
        if (nd->kid[0]->kind == N_FIELD) {
            imr__buf_adds(b, "(");
            emit(b, nd->kid[0], 1);
            imr__buf_adds(b, ")");
        } else {
            emit(b, nd->kid[0], 0);
        }
        break;
    }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The query                                                                                */
/* ---------------------------------------------------------------------------------------- */

struct imr_query {
    char *fts5;        /* the item_fts MATCH expression, NULL when no part is item-level */
    char *fts5_letter; /* the letter_fts MATCH expression, NULL when no part is letter-level */
    char **term; /* the positive words, phrases and prefixes for highlighting */
    size_t n_term, cap_term;
    imr_query_facet_t facet[IMR_QUERY_MAX_FACETS]; /* read from the query; strings owned */
    size_t n_facet;
    char *fts5_exclude; /* facets and exclusions only: the item_fts expression excluded */
    int n_scored; /* phrases of fts5 that are the text query */
    char *text;   /* the query without its facet words */
    char *typed;  /* the query as given to imr_query_parse_flags() */
    unsigned flags;
    size_t (*word)[2]; /* the plain words searched in items' text: byte offset, length in typed */
    size_t n_word, cap_word;
    size_t (*optional)[2]; /* the words a relaxation may leave out (imr__query_optional()) */
    size_t n_optional, cap_optional;
    imr__spelling_fix_t *fix; /* imr_query_correct()'s corrections */
    size_t n_fix;
    char **dropped; /* the words left out because no item holds them all (filter.c) */
    size_t n_dropped;
};

/* Adds s[0..n) (plus "*" when prefix) to q's terms unless it is there already (ASCII case). */
static imr_status_t add_term(imr_query_t *q, const char *s, size_t n, int prefix, imr_error_t *err)
{
    size_t len = n + (prefix != 0);
    for (size_t i = 0; i < q->n_term; i++)
        if (strlen(q->term[i]) == len && strncasecmp(q->term[i], s, n) == 0 &&
            (!prefix || q->term[i][n] == '*'))
            return IMR_OK;
    if (q->n_term == q->cap_term) {
        size_t cap = q->cap_term ? 2 * q->cap_term : 8;
        char **grown = realloc(q->term, cap * sizeof *grown);
        if (!grown)
            return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        q->term = grown;
        q->cap_term = cap;
    }
    char *t = malloc(len + 1);
    if (!t)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    memcpy(t, s, n);
    if (prefix)
        t[n] = '*';
    t[len] = '\0';
    q->term[q->n_term++] = t;
    return IMR_OK;
}

/* Collects the terms of nd that are not under the right side of a NOT. */
static imr_status_t collect_terms(imr_query_t *q, const node_t *nd, imr_error_t *err)
{
    imr_status_t st = IMR_OK;
    switch (nd->kind) {
    case N_TERM:
    case N_PHRASE:
        return add_term(q, nd->s, nd->n, nd->prefix, err);
    case N_SYN:
        st = add_term(q, nd->s, nd->n, 0, err);
        size_t first, end;
        imr__syn_group(nd->group, &first, &end);
        for (size_t f = first; st == IMR_OK && f < end; f++)
            if (!imr__syn_ambiguous(f) || f == nd->form)
                st = add_term(q, imr__syn_form(f), strlen(imr__syn_form(f)), 0, err);
        return st;
    case N_NOT:
        return collect_terms(q, nd->kid[0], err);
    default:
        for (size_t i = 0; st == IMR_OK && i < nd->n_kid; i++)
            st = collect_terms(q, nd->kid[i], err);
        return st;
    }
}

/* Appends the span [pos, pos + len) to the array *a of *n spans (room for *cap). */
static imr_status_t add_span(size_t (**a)[2], size_t *n, size_t *cap, size_t pos, size_t len)
{
    if (*n == *cap) {
        size_t grown_cap = *cap ? 2 * *cap : 8;
        size_t(*grown)[2] = realloc(*a, grown_cap * sizeof *grown);
        if (!grown)
            return IMR_ERR_NOMEM;
        *a = grown;
        *cap = grown_cap;
    }
    (*a)[*n][0] = pos;
    (*a)[(*n)++][1] = len;
    return IMR_OK;
}

/*
 * Collects the words that a relaxation may leave out: the parts of the top-level AND (left
 * of any NOT) that are one unquoted word or synonym form searched in the item's own text, as
 * spans of `typed`. Quoted phrases, prefixes, groups, NEAR and field scopes are kept as typed.
 */
static imr_status_t collect_optional(imr_query_t *q, const node_t *nd, const char *typed,
                                     size_t len)
{
    if (nd->kind == N_NOT)
        return collect_optional(q, nd->kid[0], typed, len);
    if (nd->kind == N_AND) {
        imr_status_t st = IMR_OK;
        for (size_t i = 0; st == IMR_OK && i < nd->n_kid; i++)
            st = collect_optional(q, nd->kid[i], typed, len);
        return st;
    }
    if (!((nd->kind == N_TERM && !nd->prefix) || nd->kind == N_SYN) || nd->s < typed ||
        nd->s + nd->n > typed + len || (nd->s > typed && nd->s[-1] == '"'))
        return IMR_OK;
    return add_span(&q->optional, &q->n_optional, &q->cap_optional, (size_t)(nd->s - typed),
                    nd->n);
}

/*
 * Collects the plain words (not prefixes, not synonym forms) that nd searches in an item's
 * own text, outside the right side of a NOT, as spans of `typed` (spell.c checks them).
 */
static imr_status_t collect_words(imr_query_t *q, const node_t *nd, const char *typed, size_t len,
                                  int table)
{
    if (nd->kind == N_TERM) {
        if (nd->prefix || table != TABLE_ITEM || nd->s < typed || nd->s + nd->n > typed + len)
            return IMR_OK;
        return add_span(&q->word, &q->n_word, &q->cap_word, (size_t)(nd->s - typed), nd->n);
    }
    if (nd->kind == N_FIELD)
        table = nd->table;
    size_t kids = nd->kind == N_NOT ? 1 : nd->n_kid;
    imr_status_t st = IMR_OK;
    for (size_t i = 0; st == IMR_OK && i < kids; i++)
        st = collect_words(q, nd->kid[i], typed, len, table);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Routing: each top-level part of the query to item_fts or letter_fts                      */
/* ---------------------------------------------------------------------------------------- */

/*
 * The tables nd searches, as a mask of TABLE_ITEM / TABLE_LETTER: a word outside any field
 * scope searches `table`; a field scope changes it for what it holds. A scope of one table
 * inside a scope of the other (summary:(item:x)) can match nothing and counts as both.
 */
static int node_tables(const node_t *nd, int table, int in_field)
{
    if (nd->kind == N_FIELD) {
        if (in_field && nd->table != table)
            return TABLE_ITEM | TABLE_LETTER;
        return node_tables(nd->kid[0], nd->table, 1);
    }
    if (nd->n_kid == 0 || nd->kind == N_NEAR)
        return table;
    int mask = 0;
    for (size_t i = 0; i < nd->n_kid; i++)
        mask |= node_tables(nd->kid[i], table, in_field);
    return mask;
}

/* The top-level parts of a query: AND-ed included ones and excluded ones. */
typedef struct parts {
    const node_t **inc, **exc;
    size_t n_inc, n_exc;
} parts_t;

/* Appends nd to the included parts, flattening ANDs (a group's ANDs are the query's). */
static void add_included(parts_t *pt, const node_t *nd)
{
    if (nd->kind == N_AND) {
        for (size_t i = 0; i < nd->n_kid; i++)
            add_included(pt, nd->kid[i]);
        return;
    }
    pt->inc[pt->n_inc++] = nd;
}

/* Counts the parts add_included() would add. */
static size_t count_included(const node_t *nd)
{
    if (nd->kind != N_AND)
        return 1;
    size_t n = 0;
    for (size_t i = 0; i < nd->n_kid; i++)
        n += count_included(nd->kid[i]);
    return n;
}

/*
 * Appends to b the FTS5 expression of the parts whose table is `table` (inc_t[i] and exc_t[i]
 * give each part's): the included ones AND-ed, then NOT the excluded ones.
 */
static void emit_parts(imr__buf_t *b, const node_t *const *inc, const int *inc_t, size_t n_inc,
                       const node_t *const *exc, const int *exc_t, size_t n_exc, int table)
{
    size_t ni = 0, ne = 0;
    for (size_t i = 0; i < n_inc; i++)
        ni += inc_t[i] == table;
    for (size_t i = 0; i < n_exc; i++)
        ne += exc_t[i] == table;
    int wrap = ni > 1 && ne > 0;
    if (wrap)
        imr__buf_adds(b, "(");
    for (size_t i = 0, k = 0; i < n_inc; i++)
        if (inc_t[i] == table) {
            if (k++)
                imr__buf_adds(b, " AND ");
            emit(b, inc[i], ni == 1 && ne == 0);
        }
    if (wrap)
        imr__buf_adds(b, ")");
    if (ne == 0)
        return;
    imr__buf_adds(b, " NOT ");
    if (ne > 1)
        imr__buf_adds(b, "(");
    for (size_t i = 0, k = 0; i < n_exc; i++)
        if (exc_t[i] == table) {
            if (k++)
                imr__buf_adds(b, " OR ");
            emit(b, exc[i], 0);
        }
    if (ne > 1)
        imr__buf_adds(b, ")");
}

/* The number of FTS5 strings (phrases) in expression s. */
static int count_phrases(const char *s)
{
    int n = 0;
    for (; s && *s; s++) {
        if (*s != '"')
            continue;
        n++;
        s = imr__phrase_end(s);
        if (!*s)
            break;
    }
    return n;
}

/* Appends the soft facet f's words as an item_fts expression: `"words"` within its columns. */
static void emit_probe(imr__buf_t *b, const imr_query_facet_t *f)
{
    if (f->cols != (1u << IMR_N_ITEM_COLS) - 1) {
        int n_cols = 0;
        for (int c = 0; c < IMR_N_ITEM_COLS; c++)
            n_cols += (f->cols >> c) & 1;
        imr__buf_adds(b, n_cols > 1 ? "{" : "");
        for (int c = 0, k = 0; c < IMR_N_ITEM_COLS; c++)
            if ((f->cols >> c) & 1) {
                imr__buf_adds(b, k++ ? " " : "");
                imr__buf_adds(b, k_item_col_names[c]);
            }
        imr__buf_adds(b, n_cols > 1 ? "} : " : " : ");
    }
    put_quoted(b, f->written, strlen(f->written));
}

/*
 * The lower-case `or` or `not` read as an operator (read_lower_ops()) at byte i, or NULL; *k
 * is a cursor into the tokens for bytes visited in order.
 */
static const token_t *lower_op_at(const parser_t *p, size_t i, size_t *k)
{
    while (*k < p->n_tok && p->tok[*k].pos < i)
        ++*k;
    const token_t *t = *k < p->n_tok && p->tok[*k].pos == i ? &p->tok[*k] : NULL;
    return t && t->s && (t->kind == T_OR || t->kind == T_NOT) ? t : NULL;
}

/*
 * Moves the parser's facets into q and finishes the expressions: q->text, each soft facet's
 * probe, and, when there is item-level text, its words appended to q->fts5 so that imr_rank()
 * sees where they occur without changing what matches: `(TEXT) AND (PROBE OR ... OR FIRST)`,
 * FIRST being the first included item-level part, which every match of TEXT has. `first` is
 * that part's expression (NULL when TEXT has none).
 */
static imr_status_t finish_reading(parser_t *p, imr_query_t *q, const char *first)
{
    imr__buf_t text = {0};
    int gap = 0;
    size_t tk = 0;
    for (size_t i = 0, l; i < p->len; i += l) {
        int inside = 0;
        for (size_t k = 0; k < p->n_facet; k++)
            inside |= i >= p->span[k][0] && i < p->span[k][1];
        int32_t c = imr__decode(p->text + i, p->len - i, &l);
        if (inside || is_space_cp(c)) {
            gap = 1;
            continue;
        }
        if (gap && text.len)
            imr__buf_add(&text, " ", 1);
        gap = 0;
        const token_t *op = lower_op_at(p, i, &tk);
        if (op) { /* `or` read as the operator shows as OR */
            imr__buf_adds(&text, op->kind == T_OR ? "OR" : "NOT");
            l = op->n;
            continue;
        }
        imr__buf_add(&text, p->text + i, l);
    }
    imr__buf_add(&text, "", 0);
    q->text = text.p;
    q->n_scored = count_phrases(q->fts5);
    imr__buf_t fts = {0};
    int n_soft = 0;
    for (size_t i = 0; i < p->n_facet; i++) {
        imr_query_facet_t *f = &q->facet[q->n_facet];
        *f = p->facet[i];
        f->value = strdup(f->value);
        f->written = strdup(f->written);
        f->probe = NULL;
        f->phrase = -1;
        q->n_facet++;
        if (!f->value || !f->written)
            return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        if (!f->soft)
            continue;
        imr__buf_t probe = {0};
        emit_probe(&probe, f);
        if (probe.oom)
            return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        f->probe = probe.p;
        if (!first)
            continue;
        if (n_soft == 0)
            imr__buf_printf(&fts, "(%s) AND (", q->fts5);
        imr__buf_printf(&fts, "%s%s", n_soft ? " OR " : "", f->probe);
        f->phrase = q->n_scored + n_soft++;
    }
    if (n_soft) {
        imr__buf_printf(&fts, " OR %s)", first);
        if (fts.oom)
            return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        free(q->fts5);
        q->fts5 = fts.p;
    }
    if (text.oom)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    return IMR_OK;
}

/*
 * Splits the query root into its top-level parts, routes each to a table, and fills q's
 * expressions: fts5 (item_fts) and fts5_letter (letter_fts). Refuses a part that needs both tables, and excluded
 * parts of a table that has no included part (FTS5 cannot match NOT alone).
 */
static imr_status_t route(parser_t *p, imr_query_t *q, const node_t *root)
{
    const node_t *inc_root = root, *exc_root = NULL;
    parts_t pt = {0};
    int *inc_t = NULL, *exc_t = NULL;
    imr__buf_t bi = {0}, bl = {0}, first = {0};
    imr_status_t st = IMR_OK;

    if (root->kind == N_NOT) {
        inc_root = root->kid[0];
        exc_root = root->kid[1];
    }
    size_t cap_inc = count_included(inc_root);
    size_t cap_exc = !exc_root ? 0 : exc_root->kind == N_OR ? exc_root->n_kid : 1;
    pt.inc = malloc(cap_inc * sizeof *pt.inc);
    pt.exc = malloc((cap_exc ? cap_exc : 1) * sizeof *pt.exc);
    inc_t = malloc(cap_inc * sizeof *inc_t);
    exc_t = malloc((cap_exc ? cap_exc : 1) * sizeof *exc_t);
    if (!pt.inc || !pt.exc || !inc_t || !exc_t) {
        st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
        goto done;
    }
    add_included(&pt, inc_root);
    if (exc_root && exc_root->kind == N_OR)
        for (size_t i = 0; i < exc_root->n_kid; i++)
            pt.exc[pt.n_exc++] = exc_root->kid[i];
    else if (exc_root)
        pt.exc[pt.n_exc++] = exc_root;

    int have[2][2] = {{0, 0}, {0, 0}}; /* [included?][letter?] */
    size_t first_exc[2] = {0, 0};
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass == 0 ? pt.n_inc : pt.n_exc;
        for (size_t i = 0; i < n; i++) {
            const node_t *nd = pass == 0 ? pt.inc[i] : pt.exc[i];
            int t = node_tables(nd, TABLE_ITEM, 0);
            if (t == (TABLE_ITEM | TABLE_LETTER)) {
                st = query_error(p, nd->pos,
                                 "this part mixes the item's text with the letter's (summary:, "
                                 "letter:) inside one OR, NOT, NEAR or field; write them as "
                                 "separate parts");
                goto done;
            }
            (pass == 0 ? inc_t : exc_t)[i] = t;
            int letter = t == TABLE_LETTER;
            if (pass == 1 && !have[0][letter] && !have[1][letter])
                first_exc[letter] = nd->pos;
            have[pass == 0][letter] = 1;
        }
    }
    for (int letter = 0; letter < 2; letter++)
        if (have[0][letter] && !have[1][letter]) {
            st = query_error(p, first_exc[letter],
                             letter ? "excluding words from the letter (summary:, letter:) needs "
                                      "a summary: or letter: term that is not negated"
                                    : "excluding words from the item needs a term for the item "
                                      "that is not negated");
            goto done;
        }

    if (have[1][0]) {
        emit_parts(&bi, pt.inc, inc_t, pt.n_inc, pt.exc, exc_t, pt.n_exc, TABLE_ITEM);
        if (bi.oom) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        q->fts5 = bi.p;
        bi.p = NULL;
        for (size_t i = 0; i < pt.n_inc && !first.p; i++)
            if (inc_t[i] == TABLE_ITEM)
                emit(&first, pt.inc[i], 0);
        if (first.oom) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    if (have[1][1]) {
        emit_parts(&bl, pt.inc, inc_t, pt.n_inc, pt.exc, exc_t, pt.n_exc, TABLE_LETTER);
        if (bl.oom) {
            st = imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
            goto done;
        }
        q->fts5_letter = bl.p;
        bl.p = NULL;
    }
    st = finish_reading(p, q, first.p);
done:
    free(first.p);
    free(bi.p);
    free(bl.p);
    free(pt.inc);
    free(pt.exc);
    free(inc_t);
    free(exc_t);
    return st;
}

/*
 * A query of facets and exclusions only (`overturned -knee`): the excluded words become
 * q->fts5_exclude, the items the search leaves out, as FTS5 cannot match NOT alone. They must
 * be in the item's own text.
 */
static imr_status_t exclude_only(parser_t *p, imr_query_t *q)
{
    if (!p->excluded)
        return IMR_OK;
    imr_status_t st = expand_words(p, p->excluded);
    if (st != IMR_OK)
        return st;
    if (node_tables(p->excluded, TABLE_ITEM, 0) != TABLE_ITEM)
        return query_error(p, p->excluded->pos,
                           "excluding words from the letter (summary:, letter:) needs a summary: "
                           "or letter: term that is not negated");
    imr__buf_t b = {0};
    emit(&b, p->excluded, 0);
    if (b.oom)
        return imr_error_set(p->err, IMR_ERR_NOMEM, "out of memory");
    q->fts5_exclude = b.p;
    return IMR_OK;
}

/* Frees a query and everything it owns. Accepts NULL. */
void imr_query_free(imr_query_t *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n_term; i++)
        free(q->term[i]);
    free(q->term);
    free(q->fts5);
    free(q->fts5_letter);
    free(q->fts5_exclude);
    for (size_t i = 0; i < q->n_facet; i++) {
        free((char *)q->facet[i].value);
        free((char *)q->facet[i].written);
        free((char *)q->facet[i].probe);
    }
    free(q->text);
    free(q->typed);
    free(q->word);
    free(q->optional);
    for (size_t i = 0; i < q->n_fix; i++) {
        free(q->fix[i].typed);
        free(q->fix[i].searched);
    }
    free(q->fix);
    for (size_t i = 0; i < q->n_dropped; i++)
        free(q->dropped[i]);
    free(q->dropped);
    free(q);
}

/* The deepest nesting of parentheses in an FTS5 expression, outside its quoted strings. */
static int fts_depth(const char *s)
{
    int depth = 0, max = 0, quoted = 0;
    for (; s && *s; s++) {
        if (*s == '"')
            quoted = !quoted; /* a doubled "" inside a string toggles twice */
        else if (!quoted && *s == '(' && ++depth > max)
            max = depth;
        else if (!quoted && *s == ')')
            depth--;
    }
    return max;
}

/*
 * Refuses a query whose FTS5 expressions (item-level, letter-level) nest deeper than FTS5's parser can take. Returns IMR_ERR_QUERY or IMR_OK.
 */
static imr_status_t check_depth(const imr_query_t *q, imr_error_t *err)
{
    int deepest = 0;
    if (q->fts5 && fts_depth(q->fts5) > deepest)
        deepest = fts_depth(q->fts5);
    if (q->fts5_letter && fts_depth(q->fts5_letter) > deepest)
        deepest = fts_depth(q->fts5_letter);
    if (deepest > IMR_QUERY_MAX_FTS_DEPTH)
        return imr_error_set(err, IMR_ERR_QUERY,
                             "query is too deeply nested: more than %d levels of groups and "
                             "exclusions",
                             IMR_QUERY_MAX_FTS_DEPTH);
    return IMR_OK;
}

/*
 * Translates `text` (see imr_query.h and the design note above). Returns IMR_OK with *out
 * set, IMR_ERR_QUERY with a one-line message, IMR_ERR_ARG for NULL arguments, the
 * dictionary's error when synonyms.txt cannot be loaded, or IMR_ERR_NOMEM.
 */
imr_status_t imr_query_parse(const char *text, imr_query_t **out, imr_error_t *err)
{
    return imr_query_parse_flags(text, 0, out, err);
}

imr_status_t imr_query_parse_flags(const char *text, unsigned flags, imr_query_t **out,
                                   imr_error_t *err)
{
    parser_t p = {.text = text, .err = err, .literal = (flags & IMR_QUERY_LITERAL) != 0};
    imr_query_t *q = NULL;
    node_t *root = NULL;
    imr_status_t st;

    if (!out)
        return imr_error_set(err, IMR_ERR_ARG, "imr_query_parse: no place for the result");
    *out = NULL;
    if (!text)
        return imr_error_set(err, IMR_ERR_ARG, "imr_query_parse: no query text");
    p.len = strnlen(text, IMR_QUERY_MAX_BYTES + 1);
    if (p.len > IMR_QUERY_MAX_BYTES)
        return imr_error_set(err, IMR_ERR_QUERY, "query is too long: more than %d bytes",
                             IMR_QUERY_MAX_BYTES);
    for (size_t i = 0; i < p.len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(p.len - i), &cp);
        if (l <= 0 || !utf8proc_codepoint_valid(cp))
            return imr_error_set(err, IMR_ERR_QUERY, "query is not valid UTF-8 (at byte %zu)",
                                 i + 1);
        i += (size_t)l;
    }

    if ((st = imr__synonyms_load(err)) != IMR_OK || (st = imr__reading_load(err)) != IMR_OK)
        return st;

    if (!(q = calloc(1, sizeof *q)) || !(q->typed = strndup(text, p.len))) {
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    q->flags = flags;
    if ((st = lex(&p)) != IMR_OK)
        goto fail;
    if (!p.literal)
        read_lower_ops(&p);
    if ((st = parse_andlist(&p, &root, NULL)) != IMR_OK)
        goto fail;
    if (cur(&p)->kind == T_RP) {
        st = query_error(&p, cur(&p)->pos, "unbalanced parenthesis");
        goto fail;
    }
    if (!root) {
        if (p.n_tok > 1 && p.n_facet == 0) {
            st = query_error(&p, 0, "no letters or digits to search for");
            goto fail;
        }
        /* Blank (matches every item), or only facets (and exclusions). */
        if ((st = exclude_only(&p, q)) != IMR_OK || (st = finish_reading(&p, q, NULL)) != IMR_OK)
            goto fail;
        arena_free(&p);
        free(p.tok);
        *out = q;
        return IMR_OK;
    }
    if ((st = expand_words(&p, root)) != IMR_OK)
        goto fail;
    if ((st = route(&p, q, root)) != IMR_OK)
        goto fail;
    if ((st = check_depth(q, err)) != IMR_OK)
        goto fail;
    if ((st = collect_terms(q, root, err)) != IMR_OK)
        goto fail;
    if (collect_words(q, root, text, p.len, TABLE_ITEM) != IMR_OK ||
        collect_optional(q, root, text, p.len) != IMR_OK) {
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    arena_free(&p);
    free(p.tok);
    *out = q;
    return IMR_OK;

fail:
    arena_free(&p);
    free(p.tok);
    imr_query_free(q);
    return st;
}

/* What a query of facets and exclusions only excludes, owned by q; NULL for other queries. */
const char *imr_query_fts5_exclude(const imr_query_t *q)
{
    return q ? q->fts5_exclude : NULL;
}

/* The item_fts MATCH expression, owned by q; NULL when no part is item-level. */
const char *imr_query_fts5(const imr_query_t *q)
{
    return q ? q->fts5 : NULL;
}

/* The letter_fts MATCH expression, owned by q; NULL when no part is letter-level. */
const char *imr_query_fts5_letter(const imr_query_t *q)
{
    return q ? q->fts5_letter : NULL;
}

/* How many highlight terms q has. */
size_t imr_query_n_terms(const imr_query_t *q)
{
    return q ? q->n_term : 0;
}

/* Highlight term i of q, owned by q; NULL when i is out of range. */
const char *imr_query_term(const imr_query_t *q, size_t i)
{
    return q && i < q->n_term ? q->term[i] : NULL;
}

/* How many facets were read from q. */
size_t imr_query_n_facets(const imr_query_t *q)
{
    return q ? q->n_facet : 0;
}

/* Facet i of q, owned by q; NULL when i is out of range. */
const imr_query_facet_t *imr_query_facet(const imr_query_t *q, size_t i)
{
    return q && i < q->n_facet ? &q->facet[i] : NULL;
}

/* The phrases of q's item_fts expression that are its text query. */
int imr_query_n_scored(const imr_query_t *q)
{
    return q ? q->n_scored : 0;
}

/* The query without its facet words, owned by q. */
const char *imr_query_text(const imr_query_t *q)
{
    return q && q->text ? q->text : "";
}

const char *imr__query_typed(const imr_query_t *q)
{
    return q->typed;
}

unsigned imr__query_flags(const imr_query_t *q)
{
    return q->flags;
}

size_t imr__query_n_words(const imr_query_t *q)
{
    return q->n_word;
}

void imr__query_word(const imr_query_t *q, size_t i, size_t *pos, size_t *len)
{
    *pos = q->word[i][0];
    *len = q->word[i][1];
}

void imr__query_take_fixes(imr_query_t *q, imr__spelling_fix_t *fix, size_t n)
{
    q->fix = fix;
    q->n_fix = n;
}

size_t imr__query_n_optional(const imr_query_t *q)
{
    return q->n_optional;
}

void imr__query_optional(const imr_query_t *q, size_t i, size_t *pos, size_t *len)
{
    *pos = q->optional[i][0];
    *len = q->optional[i][1];
}

imr_status_t imr__query_rewritten(const imr_query_t *q, size_t pos, size_t len,
                                  imr_query_t **out, imr_error_t *err)
{
    size_t n = strlen(q->typed);
    char *text = malloc(n + 1);
    if (!text)
        return imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    memcpy(text, q->typed, pos);
    memcpy(text + pos, q->typed + pos + len, n - pos - len + 1);
    imr_query_t *r = NULL;
    imr_status_t st = imr_query_parse_flags(text, q->flags, &r, err);
    free(text);
    char **dropped = NULL;
    imr__spelling_fix_t *fix = NULL;
    if (st == IMR_OK && (!(dropped = calloc(q->n_dropped + 1, sizeof *dropped)) ||
                         !(dropped[q->n_dropped] = strndup(q->typed + pos, len)) ||
                         (q->n_fix && !(fix = calloc(q->n_fix, sizeof *fix)))))
        st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == IMR_OK && i < q->n_dropped; i++)
        if (!(dropped[i] = strdup(q->dropped[i])))
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == IMR_OK && i < q->n_fix; i++)
        if (!(fix[i].typed = strdup(q->fix[i].typed)) ||
            !(fix[i].searched = strdup(q->fix[i].searched)))
            st = imr_error_set(err, IMR_ERR_NOMEM, "out of memory");
    if (r) { /* r frees what it is given, whole or not */
        r->dropped = dropped;
        r->n_dropped = dropped ? q->n_dropped + 1 : 0;
        r->fix = fix;
        r->n_fix = fix ? q->n_fix : 0;
    }
    if (st != IMR_OK) {
        imr_query_free(r);
        r = NULL;
    }
    *out = r;
    return st;
}

size_t imr_query_n_dropped(const imr_query_t *q)
{
    return q ? q->n_dropped : 0;
}

const char *imr_query_dropped(const imr_query_t *q, size_t i)
{
    return q && i < q->n_dropped ? q->dropped[i] : NULL;
}

size_t imr_query_n_corrections(const imr_query_t *q)
{
    return q ? q->n_fix : 0;
}

int imr_query_correction(const imr_query_t *q, size_t i, const char **typed, const char **searched)
{
    if (!q || i >= q->n_fix)
        return 0;
    *typed = q->fix[i].typed;
    *searched = q->fix[i].searched;
    return 1;
}
