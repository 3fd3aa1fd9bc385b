#!/usr/bin/env bash
# t93_pdf_bench.sh - the long letters of the PDF benchmark (tests/bench/long_letters.awk, which
# tests/bench/pdf.sh renders to measure peak memory at the page bound), on the bundled letters:
# each letter is written as txt2pdf draws it, so a long letter of n lines renders into
# ceil(n / L) pages of L lines; a long letter holds whole letters, in order, while they fit.
. "$(dirname "$0")/lib.sh"
AWK="$IMR_SRC/tests/bench/long_letters.awk"
TXT2PDF="$IMR_BUILD/txt2pdf"
export ASAN_OPTIONS=detect_leaks=0
ls "$IMR_SRC"/corpus/letters/*.txt | sort >"$T/letters.list"

# Each letter alone, drawn at one line a page: as many pages as the lines written (the
# bundled letters are double-spaced, as extraction leaves them: txt2pdf drops half their lines).
i=0
while read -r f; do
    i=$((i + 1))
    mkdir -p "$T/one/$i"
    echo "$f" >"$T/one/$i/list"
    awk -v k=1 -v max=1000000 -v out="$T/one/$i" -f "$AWK" "$T/one/$i/list"
    drawn[i]=$(wc -l <"$T/one/$i/long-1.txt")
    if [ "$i" -le 3 ]; then
        "$TXT2PDF" --lines 1 "$f" "$T/one/$i/letter.pdf"
        expect_equal "pages of $(basename "$f") at one line a page" \
            "$(qpdf --show-npages "$T/one/$i/letter.pdf")" "${drawn[i]}"
        expect_equal "$(basename "$f") loses half its lines" \
            "$((drawn[i] * 2 < $(wc -l <"$f") + 2))" 1
    fi
done <"$T/letters.list"

# Three long letters of at most 150 lines: whole letters while they fit, the letters' drawn
# text in order, and ceil(lines / 20) pages at 20 lines a page.
mkdir -p "$T/long" "$T/pdf"
awk -v k=3 -v max=150 -v out="$T/long" -f "$AWK" "$T/letters.list"
expect_equal "three files" "$(cd "$T/long" && ls | paste -sd ' ')" "long-1.txt long-2.txt long-3.txt"
want="" used=0 files=1 m=0
for i in $(seq "${#drawn[@]}"); do
    if [ "$used" -gt 0 ] && [ $((used + drawn[i])) -gt 150 ]; then
        want="$want $used" used=0 files=$((files + 1))
        [ "$files" -le 3 ] || break
    fi
    used=$((used + drawn[i])) m=$i
done
[ "$files" -gt 3 ] || want="$want $used"
got=$(for n in 1 2 3; do printf ' %s' "$(wc -l <"$T/long/long-$n.txt")"; done)
expect_equal "lines of each (whole letters while they fit in 150)" "$got" "$want"
for i in $(seq "$m"); do cat "$T/one/$i/long-1.txt"; done >"$T/want.txt"
cat "$T"/long/long-{1,2,3}.txt >"$T/got.txt"
expect_equal_file "the letters in order" "$T/got.txt" "$T/want.txt"
"$TXT2PDF" --lines 20 -o "$T/pdf" "$T"/long/long-*.txt
for n in 1 2 3; do
    lines=$(wc -l <"$T/long/long-$n.txt")
    expect_equal "pages of long-$n" "$(qpdf --show-npages "$T/pdf/long-$n.pdf")" $(((lines + 19) / 20))
done
finish
