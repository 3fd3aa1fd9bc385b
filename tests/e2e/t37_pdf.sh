#!/usr/bin/env bash
# PDF letters: the bundled letters rendered into text-layer PDFs (tests/tools/txt2pdf) give
# the database the .txt originals give; bad PDFs get one line each; an extraction that
# crashes, hangs or eats memory costs its file only; unchanged PDFs are skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
# txt2pdf: fontconfig's caches, which cairo leaves allocated at exit, are not ours to report.
TXT2PDF="env ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 $IMR_BUILD/txt2pdf"
L="$IMR_SRC/corpus/letters"
mkdir -p "$T/pdf" "$T/bad"
# 30 lines a page: every letter takes several pages, with a footer on each.
$TXT2PDF --lines 30 -o "$T/pdf" "$L"/*.txt || fail "txt2pdf"

# facts DB: what the parser found, by letter and item, without anything of the file itself.
facts() {
    sql "$1" "SELECT name, layout, parse, problem, case_number, injury_date, ur_denial_date,
                     decision_date, specialty FROM letter ORDER BY name;
              SELECT l.name, i.ord, i.decision, i.item_type, i.body_region, i.sources,
                     i.ca_sources, i.year
              FROM item i JOIN letter l ON l.id = i.letter_id ORDER BY l.name, i.ord;"
}

expect_status "txt run" 0 "$IMRINDEX" --db "$T/txt.db" "$L"
# (the letters the summary names are named by their paths, which differ)
summary "$T/err" | grep -v '^  /' >"$T/summary.txt"
expect_status "pdf run" 0 "$IMRINDEX" --db "$T/pdf.db" "$T/pdf"
summary "$T/err" | grep -v '^  /' >"$T/summary.pdf"
expect_equal_file "same summary" "$T/summary.pdf" "$T/summary.txt"
facts "$T/txt.db" >"$T/facts.txt"
facts "$T/pdf.db" >"$T/facts.pdf"
expect_equal_file "same items, decisions, types, regions, sources" "$T/facts.pdf" "$T/facts.txt"
expect_equal "letters" "$(sql "$T/pdf.db" "SELECT count(*) FROM letter")" "$(ls "$L"/*.txt | wc -l)"
expect_equal "kinds" "$(sql "$T/pdf.db" "SELECT kind, count(*) FROM letter GROUP BY kind")
$(sql "$T/txt.db" "SELECT kind, count(*) FROM letter GROUP BY kind")" \
    "pdf|$(ls "$L"/*.txt | wc -l)
txt|$(ls "$L"/*.txt | wc -l)"
# The text reads as the .txt's does: the same words, spaces (typed double spaces, redaction
# gaps), line breaks and paragraph breaks, for the bundled letters and 40 generated ones, at
# 13 lines a page (every letter of several pages, so that each page's edges can be judged
# against the others'; docs/parsing.md).
# text DB: each letter's text as show prints it, without its header or page markers.
text() {
    for name in $(sql "$1" "SELECT name FROM letter ORDER BY name"); do
        echo "== $name"
        "$IMRSEARCH" --db "$1" show "$name" | awk 'body && !/^-- page [0-9]+ --$/ {a[++n] = $0}
            /^$/ {body = 1} END {while (n > 0 && a[n] == "") n--; for (i = 1; i <= n; i++) print a[i]}'
    done
}
mkdir -p "$T/gen13" "$T/pdf13"
python3 "$IMR_SRC/corpus/generate.py" --count 40 --seed 11 --out "$T/gen" --jobs 1 2>/dev/null
cp "$L"/*.txt "$T/gen/letters/0000/"
$TXT2PDF --lines 13 -o "$T/pdf13" "$T/gen/letters/0000"/*.txt || fail "txt2pdf --lines 13"
"$IMRINDEX" -q --db "$T/txt13.db" "$T/gen/letters" 2>/dev/null
"$IMRINDEX" -q --db "$T/pdf13.db" "$T/pdf13" 2>/dev/null
text "$T/txt13.db" >"$T/text.txt"
text "$T/pdf13.db" >"$T/text.pdf"
expect_equal "letters compared" "$(grep -c '^== ' "$T/text.pdf")" "$((40 + $(ls "$L"/*.txt | wc -l)))"
expect_equal_file "the same text" "$T/text.pdf" "$T/text.txt"
facts "$T/txt13.db" >"$T/facts13.txt"
facts "$T/pdf13.db" >"$T/facts13.pdf"
expect_equal_file "13 lines a page, generated letters too: the same facts" "$T/facts13.pdf" "$T/facts13.txt"
expect_equal "double spaces kept" "$(grep -c '[^ ]  [^ ]' "$T/text.pdf" | awk '$1 > 100 {print "many"}')" "many"

# Every letter has as many page starts as its PDF has pages, the first at 0, rising.
bad_pages=""
for f in "$T"/pdf/*.pdf; do
    name=$(basename "$f" .pdf)
    want=$(qpdf --show-npages "$f")
    starts=$(sql "$T/pdf.db" "SELECT pages FROM letter WHERE name = '$name'")
    set -- $starts
    [ "$#" = "$want" ] && [ "$1" = 0 ] || bad_pages="$bad_pages $name($#/$want)"
    prev=0
    for s in "$@"; do [ "$s" -ge "$prev" ] || bad_pages="$bad_pages $name:$s"; prev=$s; done
done
expect_equal "page starts" "$bad_pages" ""
expect_equal "several pages" "$(sql "$T/pdf.db" "SELECT min(length(pages) - length(replace(pages, ' ', '')))
    >= 1 FROM letter WHERE name LIKE '00%'")" "1"
check_integrity "pdf" "$T/pdf.db"

# show marks each page where it starts, as many as the PDF has.
"$IMRSEARCH" --db "$T/pdf.db" show 000_df993e4b537a0a78 >"$T/show.out"
expect_equal "show: page markers" "$(grep -- '^-- page' "$T/show.out" | tr '\n' ' ')" \
    "$(seq -f '-- page %g --' "$(qpdf --show-npages "$T/pdf/000_df993e4b537a0a78.pdf")" | tr '\n' ' ')"
expect_equal "show: text letter has none" \
    "$("$IMRSEARCH" --db "$T/txt.db" show 000_df993e4b537a0a78 | grep -c -- '^-- page')" "0"
# Each hit's page holds the start of its snippet: checked against pdftotext's text of that page.
"$IMRSEARCH" --db "$T/pdf.db" --format json --limit 20 "therapy" >"$T/hits.json"
python3 - "$T/hits.json" >"$T/hits" <<'PY'
import json, re, sys
for h in json.load(open(sys.argv[1]))["hits"]:
    words = re.sub(r"[\[\]\u2026]", "", h["snippet"]).split()[:4]
    print(h["letter"], h["page"], " ".join(words))
PY
bad=""
n_hits=0
while read -r name page words; do
    n_hits=$((n_hits + 1))
    pdftotext -f "$page" -l "$page" "$T/pdf/$name.pdf" - | tr -s ' \n' '  ' | grep -qF -- "$words" ||
        bad="$bad $name:$page"
done <"$T/hits"
expect_equal "snippet pages" "$bad" ""
expect_equal "hits checked" "$([ "$n_hits" -ge 10 ] && echo yes)" "yes"
expect_equal "a hit past page 1" "$(awk '$2 > 1' "$T/hits" | head -n 1 | wc -l | tr -d ' ')" "1"
expect_equal "csv page column" "$("$IMRSEARCH" --db "$T/txt.db" --format csv --limit 1 therapy | head -n 1 | tr -d '\r' | tr ',' '\n' | tail -n 1)" "page"

# A second run skips every PDF by its hash; a changed one is read again.
expect_status "rerun" 0 "$IMRINDEX" --db "$T/pdf.db" "$T/pdf"
expect_equal "rerun summary" "$(summary "$T/err" | head -n 1)" \
    "0 indexed (0 new, 0 changed), $(ls "$L"/*.txt | wc -l) unchanged, 0 skipped; 0 items"
$TXT2PDF --lines 40 "$L/004_86369982a4019b49.txt" "$T/pdf/004_86369982a4019b49.pdf"
expect_status "changed" 0 "$IMRINDEX" --db "$T/pdf.db" "$T/pdf"
expect_equal "changed summary" "$(summary "$T/err" | head -n 1)" \
    "1 indexed (0 new, 1 changed), $(($(ls "$L"/*.txt | wc -l) - 1)) unchanged, 0 skipped; 2 items"

# Bad PDFs, one line each, and the run goes on with the good files around them.
src="$L/000_df993e4b537a0a78.txt"
$TXT2PDF --image "$src" "$T/bad/scanned.pdf"
$TXT2PDF "$src" "$T/bad/whole.pdf"
qpdf --encrypt user owner 256 -- "$T/bad/whole.pdf" "$T/bad/locked.pdf"
head -c "$(($(wc -c <"$T/bad/whole.pdf") / 2))" "$T/bad/whole.pdf" >"$T/bad/cut.pdf"
$TXT2PDF --lines 1 "$src" "$T/bad/long.pdf"
cp "$src" "$T/bad/renamed.pdf"
cp "$L/001_f6bc1215f6435560.txt" "$T/bad/"
cp "$T/pdf/002_916c3e67ea9e97c8.pdf" "$T/bad/UPPER.PDF"
expect_status "bad PDFs" 1 "$IMRINDEX" --db "$T/bad.db" --pdf-pages 40 "$T/bad"
sed "s|$T|T|g" "$T/err" | sed '$d' >"$T/got"
cat >"$T/want" <<'WANT'
T/bad/cut.pdf: damaged PDF: PDF document is damaged
T/bad/locked.pdf: encrypted PDF
T/bad/long.pdf: more than 40 pages (the bound for a letter)
T/bad/renamed.pdf: not a PDF, though named .pdf
T/bad/scanned.pdf: no text layer (a scanned image?)
3 indexed (3 new, 0 changed), 0 unchanged, 5 skipped; 3 items
by layout: 1: 3, 2: 0, 3: 0, unknown: 0; partial: 0, unparsed: 0
skipped: 5 bad PDF
WANT
expect_equal_file "bad PDF messages" "$T/got" "$T/want"
expect_equal "good ones in" "$(sql "$T/bad.db" "SELECT name, kind FROM letter ORDER BY name" | tr '\n' ' ')" \
    "001_f6bc1215f6435560|txt UPPER|pdf whole|pdf "

# Isolation: an extraction that crashes, hangs or allocates without end costs its file only
# (IMR_PDF_FAULT makes the worker do so, docs/reliability.md); the text letter goes in.
mkdir -p "$T/iso"
cp "$T/pdf/000_df993e4b537a0a78.pdf" "$L/001_f6bc1215f6435560.txt" "$T/iso/"
for fault in crash hang memory; do
    IMR_PDF_FAULT=$fault expect_status "fault $fault" 1 "$IMRINDEX" --db "$T/iso-$fault.db" \
        --pdf-timeout 1 --pdf-memory 64 "$T/iso"
    line=$(sed "s|$T|T|g" "$T/err" | head -n 1)
    case $fault in
    hang) want="T/iso/000_df993e4b537a0a78.pdf: pdf extraction timed out after 1 s" ;;
    # ASan's allocator reserves its address space up front, so RLIMIT_AS cannot stop it
    # there: the CPU-time limit ends the worker instead.
    memory) [ -n "$SQLITE_PRELOAD" ] && want="T/iso/000_df993e4b537a0a78.pdf: pdf extraction timed out" ||
                want="T/iso/000_df993e4b537a0a78.pdf: pdf extraction crashed (" ;;
    *) want="T/iso/000_df993e4b537a0a78.pdf: pdf extraction crashed (" ;;
    esac
    expect_equal "fault $fault: message" "${line:0:${#want}}" "$want"
    expect_equal "fault $fault: the text letter in" \
        "$(sql "$T/iso-$fault.db" "SELECT name FROM letter")" "001_f6bc1215f6435560"
    check_integrity "fault $fault" "$T/iso-$fault.db"
done
finish
