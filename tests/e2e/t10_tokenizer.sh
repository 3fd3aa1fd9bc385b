#!/usr/bin/env bash
# t10_tokenizer - the `imr` tokenizer's tokens, offsets and positions, through imr_tokdump
# (which finds the tokenizer with fts5_api xFindTokenizer, as FTS5 does), against golden files
# in tests/data/tok. Inputs with exact bytes come from tests/data/tok/make_inputs.py.
. "$(dirname "$0")/lib.sh"
TOKDUMP="$IMR_BUILD/imr_tokdump"
TOK="$GOLDEN/tok"

# dump_case NAME INPUT [ARGS...]: dumps INPUT with ARGS and compares with NAME.golden.
dump_case() {
    local name=$1 input=$2
    shift 2
    if "$TOKDUMP" "$@" "$TOK/$input" >"$T/$name.out" 2>"$T/$name.err"; then
        update_or_compare "$name" "$T/$name.out" "$TOK/$name.golden"
    else
        fail "$name: imr_tokdump failed: $(cat "$T/$name.err")"
    fi
}

# Every input, as a document.
for f in "$TOK"/*.txt; do
    base=$(basename "$f" .txt)
    dump_case "$base" "$base.txt"
done

# Query flags: a query tokenizes like a document; a prefix query's last token is folded and
# unstemmed, with its stem as a colocated token (same position).
dump_case doses.query doses.txt --query
dump_case prefix.prefix prefix.txt --prefix
dump_case prefix_same.prefix prefix_same.txt --prefix

# Options.
dump_case inflections.stem0 inflections.txt --tokenizer "imr stem 0"
dump_case accents.diacritics0 accents.txt --tokenizer "imr remove_diacritics 0"
dump_case accents.diacritics2 accents.txt --tokenizer "imr remove_diacritics 2"
dump_case inflections.porter inflections.txt --tokenizer "imr language porter"

# Bad options make xCreate fail: SQLITE_ERROR, "SQL logic error".
for spec in "imr bogus 1" "imr stem" "imr stem 2" "imr remove_diacritics x" \
    "imr language klingon"; do
    expect_status "bad option: $spec" 1 "$TOKDUMP" --tokenizer "$spec" "$TOK/empty.txt"
    expect_equal "bad option message: $spec" "$(cat "$T/err")" \
        "imr_tokdump: tokenizer \"$spec\": SQL logic error"
done

# Empty input: no tokens.
expect_equal "empty input" "$(wc -c <"$TOK/empty.golden")" "0"

# 1 MB without a token character: no tokens, no crash.
python3 -c 'import sys; sys.stdout.write(" .,;:!?-/()[]{}\n\t\u00a0\u2014" * 70000)' >"$T/notoken.txt"
expect_status "1 MB token-free input" 0 "$TOKDUMP" "$T/notoken.txt"
expect_equal "1 MB token-free input is over 1 MB" "$(($(wc -c <"$T/notoken.txt") > 1000000))" 1
expect_equal "1 MB token-free input gives no tokens" "$(wc -c <"$T/out")" "0"

# 1 MB of one word: one token, cut to 256 bytes; the offsets cover the whole run.
python3 -c 'import sys; sys.stdout.write("Ab" * 500000 + " tail")' >"$T/longword.txt"
expect_status "1 MB token" 0 "$TOKDUMP" "$T/longword.txt"
expect_equal "1 MB token" "$(cat "$T/out")" \
    "$(printf '%s\t0\t1000000\t0\ntail\t1000001\t1000005\t1' "$(python3 -c 'print("ab" * 128)')")"

# The same holds for a long run of a non-ASCII letter (the slow path): 2-byte e-acute -> e.
python3 -c 'import sys; sys.stdout.write("\u00e9" * 100000)' >"$T/longaccent.txt"
expect_status "long non-ASCII token" 0 "$TOKDUMP" "$T/longaccent.txt"
expect_equal "long non-ASCII token" "$(cat "$T/out")" \
    "$(printf '%s\t0\t200000\t0' "$(python3 -c 'print("e" * 256)')")"

finish
