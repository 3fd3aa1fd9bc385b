#!/usr/bin/env bash
# t63_fuzz_regress.sh - replays every input under tests/data/fuzz-regress/<harness>/ (crashes
# found by the libFuzzer harnesses, minimised, and hand-made edge cases) through the normal
# build's tools, which run the same library code as the harnesses: the letter parser
# (imr_parsedump, then imrindex), the tokenizer (imr_tokdump, with the options and flags the
# input's first byte picks, as in fuzz_tokenizer.c) and the query translator (query_dump, then
# imrsearch). Each must end with one of its documented exit codes, never by a signal or a
# sanitizer report. The web server's inputs (the seed requests of fuzz_http and what it found)
# go through fuzz_http_replay, the harness itself without libFuzzer, whose checks abort. See
# docs/reliability.md.
. "$(dirname "$0")/lib.sh"
R="$IMR_SRC/tests/data/fuzz-regress"

# Every harness has inputs to replay: an empty or missing folder would pass unread.
for h in fuzz_letter fuzz_pdf fuzz_tokenizer fuzz_query; do
    [ -n "$(find "$R/$h" -maxdepth 1 -type f -size +0 2>/dev/null | head -n 1)" ] && pass ||
        fail "no inputs under $R/$h"
done

# ok NAME CODE WANTED...: passes when CODE is one of WANTED.
ok() {
    local name=$1 code=$2 w
    shift 2
    for w in "$@"; do [ "$code" = "$w" ] && { pass; return; }; done
    fail "$name: exit $code; stderr: $(head -c 400 "$T/err")"
}

for f in "$R"/fuzz_letter/*; do
    [ -f "$f" ] || continue
    code=0
    "$IMR_BUILD/imr_parsedump" "$f" >"$T/out" 2>"$T/err" || code=$?
    ok "parse $(basename "$f")" "$code" 0
    mkdir -p "$T/l"
    cp "$f" "$T/l/x.txt"
    code=0
    "$IMRINDEX" --db "$T/l.db" -q "$T/l/x.txt" >"$T/out" 2>"$T/err" || code=$?
    ok "index $(basename "$f")" "$code" 0 1
done

# PDFs: through imrindex, whose child process reads them.
for f in "$R"/fuzz_pdf/*; do
    [ -f "$f" ] || continue
    mkdir -p "$T/p"
    cp "$f" "$T/p/x.pdf"
    code=0
    "$IMRINDEX" --db "$T/p.db" -q --pdf-timeout 5 "$T/p/x.pdf" >"$T/out" 2>"$T/err" || code=$?
    ok "index pdf $(basename "$f")" "$code" 0 1
done

TOKENIZERS=("imr" "imr stem 0" "imr remove_diacritics 0" "imr language porter")
FLAGS=("" "--query" "--prefix" "--aux")
for f in "$R"/fuzz_tokenizer/*; do
    [ -f "$f" ] || continue
    b=$(od -An -tu1 -N1 "$f" | tr -d ' ')
    [ -n "$b" ] || continue
    tail -c +2 "$f" >"$T/text"
    flag=${FLAGS[$(((b >> 2) & 3))]}
    code=0
    "$IMR_BUILD/imr_tokdump" ${flag:+"$flag"} --tokenizer "${TOKENIZERS[$((b & 3))]}" "$T/text" \
        >"$T/out" 2>"$T/err" || code=$?
    ok "tokenize $(basename "$f")" "$code" 0
done

"$IMRINDEX" --db "$T/q.db" -q "$IMR_SRC/corpus/letters" || fail "index for queries"
for f in "$R"/fuzz_query/*; do
    [ -f "$f" ] || continue
    q=$(head -z -n 1 "$f" | tr -d '\0' | head -c 12288) # up to a NUL, as in C; 12 KB cap
    code=0
    "$IMR_BUILD/query_dump" "$q" >"$T/out" 2>"$T/err" || code=$?
    ok "translate $(basename "$f")" "$code" 0 2
    code=0
    "$IMRSEARCH" --db "$T/q.db" -- "$q" >"$T/out" 2>"$T/err" || code=$?
    ok "search $(basename "$f")" "$code" 0 1 2
done
for f in "$R"/fuzz_http/*; do
    [ -f "$f" ] || continue
    code=0
    "$IMR_BUILD/fuzz_http_replay" "$f" >"$T/out" 2>"$T/err" || code=$?
    ok "serve $(basename "$f")" "$code" 0
done
finish
