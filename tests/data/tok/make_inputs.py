#!/usr/bin/env python3
"""Writes the token-dump inputs whose exact bytes matter (non-ASCII, invalid UTF-8, empty).

Run from anywhere: python3 tests/data/tok/make_inputs.py. The files are checked in; this
script documents their bytes and rewrites them identically. Inputs of plain text are written
by hand and not listed here.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

TEXTS = {
    # Ligatures and compatibility forms: U+FB01 fi, U+FB02 fl, U+FB00 ff, U+FB03 ffi,
    # full-width letters and digits, superscript two, circled digit, Roman numeral twelve,
    # vulgar fraction one half.
    "ligatures.txt": "\ufb01brosis \ufb02exion e\ufb00ect e\ufb03cacy\n"
                     "\uff2d\uff32\uff29 \uff11\uff10\uff4d\uff47 \uff23\uff15-\uff16\n"
                     "m\u00b2 \u2460 \u216b \u00bd\n",
    # Accented Latin-1 names as UTF-8, precomposed and decomposed (combining marks), an
    # uppercase sharp s word, a letter with no decomposition (o with stroke).
    "accents.txt": "N\u00fa\u00f1ez Jos\u00e9 Garc\u00eda M\u00fcller Fran\u00e7oise "
                   "\u00c5ngstr\u00f6m na\u00efve r\u00e9sum\u00e9\n"
                   "Nu\u0301n\u0303ez STRA\u00dfE \u00d8stergaard \u00c9VALUATION\n",
    # Curly quotes around words, typographic and ASCII apostrophes inside and after words.
    "quotes.txt": "\u201ccontinuous flow\u201d \u2018hot\u2019 Spurling\u2019s Spurling's\n"
                  "patients\u2019 claimants' 'quoted' don\u2019t O'Brien \u2019tis\n",
    # No-break spaces, a soft hyphen inside a word, a zero width space between words,
    # a narrow no-break space.
    "nbsp.txt": "C5-6\u00a0level 10\u00a0mg hot\u00a0and\u00a0cold\n"
                "cryo\u00adtherapy flow\u200bcryotherapy 5\u202fmg\n",
    # Invalid UTF-8: a stray 0xFF, a Latin-1 e-acute byte, an overlong slash, a UTF-16
    # surrogate, a truncated 3-byte sequence, a lone continuation byte, and a truncated
    # 2-byte sequence at the very end.
    "invalid_utf8.txt": b"abc\xffdef caf\xe9 x\xc0\xafy sur\xed\xa0\x80rogate "
                        b"dash\xe2\x80word good\x80word end\xc3",
    "empty.txt": b"",
}

for name, text in TEXTS.items():
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
