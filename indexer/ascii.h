/*
 * ascii.h - ASCII character classes (private to the library; part of the core).
 *
 * The C library's <ctype.h> depends on the locale and is undefined for a negative char; a
 * letter's bytes are UTF-8 whatever the locale. These look at ASCII alone: every byte of a
 * multibyte character is outside every class, and imr__lower() leaves it as it is.
 */
#ifndef IMR_ASCII_H
#define IMR_ASCII_H

static inline int imr__is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}
static inline int imr__is_lower(int c)
{
    return c >= 'a' && c <= 'z';
}
static inline int imr__is_alpha(int c)
{
    return imr__is_upper(c) || imr__is_lower(c);
}
static inline int imr__is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static inline int imr__is_alnum(int c)
{
    return imr__is_alpha(c) || imr__is_digit(c);
}
/* c in lower case when it is an ASCII capital, else c. */
static inline int imr__lower(int c)
{
    return imr__is_upper(c) ? c + ('a' - 'A') : c;
}

#endif
