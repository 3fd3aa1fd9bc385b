/*
 * test_text.c - text cleaning (indexer/text.c), one artefact of PDF extraction at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"

static char got[4096];
static char pages[256]; /* where the pages of the last text cleaned start: "0 12 40" */
static unsigned warnings;

/* Cleans s; returns the cleaned text (or "ERR: message"). */
static const char *clean_n(const char *s, size_t n)
{
    char *out;
    size_t len, n_pages;
    uint32_t *starts;
    imr_error_t err;
    warnings = 0;
    pages[0] = '\0';
    if (imr__text_clean(s, n, &out, &len, &starts, &n_pages, &warnings, &err) != IMR_OK) {
        snprintf(got, sizeof got, "ERR: %s", err.msg);
        return got;
    }
    CHECK_INT(strlen(out), len);
    snprintf(got, sizeof got, "%s", out);
    for (size_t i = 0, w = 0; i < n_pages && w < sizeof pages; i++)
        w += (size_t)snprintf(pages + w, sizeof pages - w, "%s%u", i ? " " : "", starts[i]);
    free(out);
    free(starts);
    return got;
}

static const char *clean(const char *s)
{
    return clean_n(s, strlen(s));
}

int main(void)
{
    /* Line endings: CRLF, CR and form feed all become '\n'. */
    CHECK_STR(clean("one\r\ntwo\rthree\fdone\n"), "one\ntwo\nthree\ndone");
    /* Spaces at both ends of lines go. */
    CHECK_STR(clean("  alpha   \nbeta \n"), "alpha\nbeta");
    /* The empty line after every line goes; a line of one space is a paragraph break. */
    CHECK_STR(clean("line one \n\nline two \n\n \n\nnext para \n\n \n\n"),
              "line one\nline two\n\nnext para");
    /* Runs of empty lines in a double-spaced file collapse to one paragraph break. */
    CHECK_STR(clean("a \n\n\n\n\n\nb \n\nc \n\n"), "a\n\nb\nc");
    /* A single-spaced file keeps its empty lines as paragraph breaks. */
    CHECK_STR(clean("a\nb\n\nc\nd\n"), "a\nb\n\nc\nd");
    /* Page footers go. */
    CHECK_STR(clean("first \n\nPage 1 of 3 \n\nsecond \n\n"), "first\nsecond");
    CHECK_STR(clean("a\npage 12 of 14\nb\n"), "a\nb");
    CHECK_STR(clean("a\nPage 2 of 4 pages\nb\n"), "a\nPage 2 of 4 pages\nb");
    CHECK_STR(clean("a\n2 of 3\nb\n"), "a\nb");
    CHECK_STR(clean("a\n2 of 3 visits\nb\n"), "a\n2 of 3 visits\nb");
    /* Words hyphenated across a line break. */
    CHECK_STR(clean("standard cryo-\ntherapy with ice\n"), "standard cryotherapy\nwith ice");
    CHECK_STR(clean("at L4-L5 and L5-\nS1 level\n"), "at L4-L5 and L5-S1\nlevel");
    CHECK_STR(clean("level of C4-\nC5 and\n"), "level of C4-C5\nand");
    CHECK_STR(clean("not for non-\nsurgical treatment\n"), "not for non-surgical\ntreatment");
    CHECK_STR(clean("a follow-\nup visit\n"), "a follow-up\nvisit");
    CHECK_STR(clean("X-\nray of the knee\n"), "X-ray\nof the knee");
    CHECK_STR(clean("uses continuous-flow cryotherapy\n"), "uses continuous-flow cryotherapy");
    CHECK_STR(clean("from cervical 5-\ncervical 7\n"), "from cervical 5-\ncervical 7");
    CHECK_STR(clean("a dash -\nthen\n"), "a dash -\nthen");
    CHECK_STR(clean("it was sub-\nsequently pre-\nscribed\n"), "it was subsequently\nprescribed");
    CHECK_STR(clean("the follow-\ning day\n"), "the following\nday");
    CHECK_STR(clean("OFFI-\nCIAL DISABILITY\n"), "OFFICIAL\nDISABILITY");
    CHECK_STR(clean("ODG-\nTWC 2015 and NON-\nMTUS\n"), "ODG-TWC\n2015 and NON-MTUS");
    CHECK_STR(clean("the MTUS-\nadopted text\n"), "the MTUS-adopted\ntext");
    /* No paragraph ends in a hyphen: a blank line after one is a page break. */
    CHECK_STR(clean("is not medic-\n\nally necessary\n"), "is not medically\nnecessary");
    /* The next line was only the rest of the word: it goes with its line break. */
    CHECK_STR(clean("the cryo-\ntherapy\nunit\n"), "the cryotherapy\nunit");
    /* Across the extraction blank line and a footer too. */
    CHECK_STR(clean("the cryo- \n\nPage 1 of 2 \n\ntherapy unit \n\n"), "the cryotherapy\nunit");
    /* Sentences run together. */
    CHECK_STR(clean("and acupuncture.Utilization review\n"), "and acupuncture. Utilization review");
    CHECK_STR(clean("March 1, 2013.Medical records\n"), "March 1, 2013. Medical records");
    CHECK_STR(clean("is not medically necessary.CA MTUS\n"), "is not medically necessary. CA MTUS");
    CHECK_STR(clean("devices (e.g., the Hot/Ice) and e.g.The\n"), "devices (e.g., the Hot/Ice) and e.g.The");
    CHECK_STR(clean("a 10.5 mm disc in the U.S.Army\n"), "a 10.5 mm disc in the U.S.Army");
    /* NBSP becomes a space, ligatures their letters; curly quotes stay. */
    CHECK_STR(clean("Game\xC2\xA0Ready \xEF\xAC\x81le \xE2\x80\x9Cnot\xE2\x80\x9D\n"),
              "Game Ready file \xE2\x80\x9Cnot\xE2\x80\x9D");
    CHECK_INT(warnings, 0);
    /* A UTF-8 BOM goes. */
    CHECK_STR(clean("\xEF\xBB\xBFHOW\n"), "HOW");
    /* Invalid UTF-8 is read as Windows-1252, with a warning. */
    CHECK_STR(clean("the \x93quoted\x94 caf\xE9 C5\x96" "C6\n"),
              "the \xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9 C5\xE2\x80\x93" "C6");
    CHECK_INT(warnings, IMR_WARN_NOT_UTF8);
    /* A file that mixes encodings: each valid UTF-8 sequence is UTF-8, only the stray bytes
     * are Windows-1252, so a Latin-1 n-tilde costs the UTF-8 ligature nothing. */
    CHECK_STR(clean("Pe\xF1" "a: a signi\xEF\xAC\x81" "cant \xE2\x80\x9Cgain\xE2\x80\x9D \x96 caf\xC3\xA9\n"),
              "Pe\xC3\xB1" "a: a significant \xE2\x80\x9Cgain\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9");
    CHECK_INT(warnings, IMR_WARN_NOT_UTF8);
    /* A UTF-8 sequence cut by a stray byte: its lead byte is read as Windows-1252 too. */
    CHECK_STR(clean("a \xC3\x41 b\n"), "a \xC3\x83" "A b");
    /* Bytes that no encoding reads become U+FFFD, with their own warning. */
    CHECK_STR(clean("x\x81y \xE9\n"), "x\xEF\xBF\xBDy \xC3\xA9");
    CHECK_INT(warnings, IMR_WARN_NOT_UTF8 | IMR_WARN_UNREADABLE);
    /* UTF-16 after a byte order mark, either order, with a pair of surrogates: NUL bytes and
     * all, it is text. */
    CHECK_STR(clean_n("\xFF\xFEH\0i\0 \0\xE9\0\r\0\n\0\x3D\xD8\x00\xDE\n\0", 18),
              "Hi \xC3\xA9\n\xF0\x9F\x98\x80");
    CHECK_INT(warnings, 0);
    CHECK_STR(clean_n("\xFE\xFF\0O\0K\0\n", 8), "OK");
    CHECK_INT(warnings, 0);
    /* An unpaired surrogate and an odd final byte make no character. */
    CHECK_STR(clean_n("\xFF\xFE" "a\0\x00\xDC" "b\0c", 9), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    CHECK_INT(warnings, IMR_WARN_UNREADABLE);
    /* UTF-16 holding only white space, or a NUL character, is refused as ever. */
    CHECK_STR(clean_n("\xFF\xFE \0\n\0", 6), "ERR: empty file");
    CHECK_STR(clean_n("\xFF\xFE" "a\0\0\0b\0", 8), "ERR: binary file (NUL bytes)");
    /* Overlong and surrogate encodings are not UTF-8 either. */
    clean("a \xC0\xAF b\n");
    CHECK_INT(warnings, IMR_WARN_NOT_UTF8);
    clean("a \xED\xA0\x80 b\n");
    CHECK_INT(warnings, IMR_WARN_NOT_UTF8);
    /* Tabs become spaces; other control characters go. */
    CHECK_STR(clean("a\tb\x01" "c and a longer line of ordinary text\n"),
              "a bc and a longer line of ordinary text");

    /* What is not letter text is refused. */
    CHECK_STR(clean(""), "ERR: empty file");
    CHECK_STR(clean(" \r\n\t\n"), "ERR: empty file");
    CHECK_STR(clean("%PDF-1.7\n..."), "ERR: a PDF, not text (imrindex reads its text)");

    /* Form feeds end pages: where each starts in the cleaned text; none without them. */
    CHECK_STR(clean("one\ntwo\n"), "one\ntwo");
    CHECK_STR(pages, "");
    CHECK_STR(clean("one\ntwo\fthree\nPage 2 of 3\ffour\f"), "one\ntwo\nthree\nfour");
    CHECK_STR(pages, "0 8 14");
    /* A page of a footer only starts where the next one does; a word joined across the
     * break stays on the first page. */
    CHECK_STR(clean("a cryo-\nPage 1 of 3\f\ftherapy unit\nend\f"), "a cryotherapy\nunit\nend");
    CHECK_STR(pages, "0 14 14");
    /* Trailing form feeds with nothing after them make no page. */
    CHECK_STR(clean("only\f\f\n"), "only");
    CHECK_STR(pages, "0");
    CHECK_STR(clean_n("text\0more", 9), "ERR: binary file (NUL bytes)");
    CHECK_STR(clean("\x01\x02\x03\x04\x05\x06 abcdefghij\n"), "ERR: binary file (control characters)");
    return check_done();
}
