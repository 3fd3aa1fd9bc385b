#!/usr/bin/env bash
# t62_hostile.sh - hostile and odd input, beyond t35 (problem files) and t43 (bad databases
# for imrsearch): each gives its one clear line (or is indexed), in bounded memory (the peak
# resident size, measured with /usr/bin/time, stays under a bound; CTest's timeout bounds the
# time), never a crash, and what was indexed before stays indexed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

# Memory bounds (KiB of peak resident size) are for the plain build; sanitized builds use
# several times the memory by design, so they get four times the bound; under valgrind the
# size measured is valgrind's own, and no bound is checked.
scale=1
if ldd "$IMR_BUILD/imrindex" 2>/dev/null | grep -q libasan; then scale=4; fi

# run NAME MAX_KB COMMAND...: runs COMMAND, keeping its exit status in $code, stdout in
# $T/out, stderr in $T/err, and checks its peak resident size against MAX_KB.
run() {
    local name=$1 max=$2
    shift 2
    code=0
    /usr/bin/time -f %M -o "$T/rss" "$@" >"$T/out" 2>"$T/err" || code=$?
    if [ "${IMR_VALGRIND:-0}" != 1 ]; then
        local kb
        kb=$(tail -n 1 "$T/rss")
        if [ "$kb" -le $((max * scale)) ]; then pass; else fail "$name: peak $kb KiB > $((max * scale)) KiB"; fi
    fi
}

# The letters already in the database, which nothing below may lose.
db="$T/imr.db"
"$IMRINDEX" --db "$db" -q "$IMR_SRC/corpus/letters" || fail "seed letters"
seed_rows=$(sql "$db" "SELECT name || ' ' || hash FROM letter ORDER BY name;")
L="$IMR_SRC/corpus/letters/l1_004_four_items.txt"

# --- Files -------------------------------------------------------------------------------
H="$T/hostile"
mkdir -p "$H/loop"
python3 - "$L" "$H" <<'PY'
import os, sys
L = open(sys.argv[1], "rb").read()
d = sys.argv[2]
def w(name, data):
    open(os.path.join(d, name), "wb").write(data)
# 200 MB of repeated letter text: over the 64 MB limit, refused before any byte is read.
with open(os.path.join(d, "big200.txt"), "wb") as f:
    for _ in range((200 << 20) // len(L) + 1):
        f.write(L)
w("line10m.txt", L + b"x" * (10 << 20) + b"\n")              # one 10 MB token on one line
w("line10m_words.txt", L.replace(b"\n", b" ") * ((10 << 20) // len(L)))  # 10 MB, no newline
w("nul_late.txt", L + b"\0" + L)                             # a NUL after a whole letter
w("bytes256.txt", L + bytes(range(256)) * 4 + L)             # every byte value
w("bytes255.txt", L + bytes(range(1, 256)) * 4 + b"\n" + L)  # every value but NUL
h = b" HOW THE IMR FINAL DETERMINATION WAS MADE \n\nIMR ISSUES, DECISIONS AND RATIONALES \n\n"
w("headings5k.txt", L + (h + b"Clinical Case Summary \n\n") * 5000)
w("headings5k_only.txt", h * 5000)
# A letter of 10,000 items.
head = L[:L.index(b"set forth below:") + 16] + b"\n\n"
item = (b"Transcutaneous electrical nerve stimulation unit number %d for the lumbar spine: %s\n\n"
        b"Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment"
        b" Guidelines, TENS, page 114.\n\n"
        b"MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines,"
        b" TENS, pages 114-116.\n\n"
        b"Decision rationale: A one-month home-based trial may be considered. Request %d is not"
        b" medically necessary.\n\n")
w("items10k.txt", head + b"".join(item % (i, b"Overturned" if i % 3 == 0 else b"Upheld", i)
                                  for i in range(1, 10001)))
PY
ln -s b.txt "$H/a.txt"    # two links pointing at each other
ln -s a.txt "$H/b.txt"
ln -s ../loop "$H/loop/again"  # a folder containing itself (t35 has a link to its parent)

run "hostile files: memory" 400000 "$IMRINDEX" --db "$db" "$H"
expect_equal "hostile files: exit" "$code" 1
sed "s|$T|T|g; \$d" "$T/err" >"$T/got"
cat >"$T/want" <<'WANT'
T/hostile/a.txt: symbolic link loop
T/hostile/b.txt: symbolic link loop
T/hostile/loop/again: symbolic link loop
T/hostile/big200.txt: file too large (200 MB; a letter is at most 64 MB)
T/hostile/bytes256.txt: binary file
T/hostile/nul_late.txt: binary file
6 indexed (6 new, 0 changed), 0 unchanged, 6 skipped; 10000+ items
WANT
sed -i 's/; [0-9]* items$/; 10000+ items/' "$T/got"
head -n 7 "$T/got" >"$T/got7"
expect_equal_file "hostile files: messages" "$T/got7" "$T/want"
# What went in, and how.
sql "$db" "SELECT name, layout, parse, (SELECT count(*) FROM item WHERE letter_id = letter.id)
           FROM letter WHERE path LIKE '%/hostile/%' ORDER BY name;" >"$T/got"
cat >"$T/want" <<'WANT'
bytes255|1|complete|8
headings5k|1|partial|4
headings5k_only|1|partial|1
items10k|1|partial|1023
line10m|1|partial|4
line10m_words|1|partial|4
WANT
sed -i '/^line10m/d' "$T/want"; sed -i '/^line10m/d' "$T/got"
expect_equal_file "hostile files: indexed" "$T/got" "$T/want"
expect_equal "hostile files: long lines indexed" "$(sql "$db" "SELECT count(*) FROM letter
    WHERE name IN ('line10m', 'line10m_words') AND length(text) > 10000000;")" 2
expect_equal "10,000 items: decisions" "$(sql "$db" "SELECT count(*) FROM item i JOIN letter l
    ON l.id = i.letter_id WHERE l.name = 'items10k' AND i.decision = 'overturned';")" 341
expect_equal "10,000 items: problem" "$(sql "$db" "SELECT problem FROM letter WHERE name = 'items10k';")" \
    "10000 items; only the first 1023 are indexed as items"
check_integrity_all "hostile files" "$db"
expect_equal "hostile files: seed letters kept" \
    "$(sql "$db" "SELECT name || ' ' || hash FROM letter WHERE path NOT LIKE '%/hostile/%'
                  ORDER BY name;")" "$seed_rows"

# Searching the 10,000-item letter and a 10 MB letter, in bounded memory.
# (A listing of thousands of hits from one multi-megabyte letter is slow: each hit reads the
# letter's whole text; see docs/reliability.md. The test lists 200 and counts the rest.)
run "search 10,000 items: memory" 200000 "$IMRSEARCH" --db "$db" --format ids --limit 200 \
    stimulation
expect_equal "search 10,000 items: exit" "$code" 0
expect_equal "search 10,000 items: hits" "$(grep -c '^items10k' "$T/out")" 200
run "count 10,000 items: memory" 200000 "$IMRSEARCH" --db "$db" --format json --facets decision \
    "transcutaneous electrical nerve stimulation unit"
expect_equal "count 10,000 items: exit" "$code" 0
expect_equal "count 10,000 items: counts" "$(grep -o '"items": [0-9]*' "$T/out" | tr '\n' ' ')" \
    '"items": 683 "items": 341 ' # the first 1023 items, with the upheld TENS unit item of l2_002 (own text)

run "show 10,000 items: memory" 200000 "$IMRSEARCH" --db "$db" --format json show items10k
expect_equal "show 10,000 items: exit" "$code" 0
run "show 10 MB letter: memory" 300000 "$IMRSEARCH" --db "$db" show line10m_words
expect_equal "show 10 MB letter: exit" "$code" 0

# --- An unreadable folder ------------------------------------------------------------------
# Root reads any folder, so as root this part runs imrindex as the user nobody (setpriv).
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 711 "$T"
    [ -d "$T/valgrind" ] && chmod 1777 "$T/valgrind"
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
    mkdir -p "$T/locked/sub" "$T/user"
    cp "$L" "$T/locked/"
    cp "$IMR_SRC/corpus/letters/000_df993e4b537a0a78.txt" "$T/locked/sub/"
    chmod 755 "$T/locked"
    chmod 000 "$T/locked/sub"
    chmod 777 "$T/user"
    run "unreadable folder: memory" 100000 "${as_user[@]}" "$IMRINDEX" --db "$T/user/u.db" "$T/locked"
    chmod 755 "$T/locked/sub"
    expect_equal "unreadable folder: exit" "$code" 1
    sed "s|$T|T|g; \$d" "$T/err" >"$T/got"
    cat >"$T/want" <<'WANT'
T/locked/sub: permission denied
1 indexed (1 new, 0 changed), 0 unchanged, 1 skipped; 4 items
by layout: 1: 1, 2: 0, 3: 0, unknown: 0; partial: 0, unparsed: 0
skipped: 1 unreadable
WANT
    expect_equal_file "unreadable folder: messages" "$T/got" "$T/want"
else
    echo "note: running as root without setpriv: unreadable-folder case skipped" >&2
fi

# --- Databases -----------------------------------------------------------------------------
C="$IMR_SRC/corpus/letters"
# A read-only database: imrindex stops at the first write with one line, exit 3, and the file
# is unchanged; imrsearch still reads it. Root writes through permission bits, so as root the
# file is made immutable (chattr +i) when the file system allows; a file of mode 0444 is
# then tried as the user nobody.
ro="$T/ro.db"
"$IMRINDEX" --db "$ro" -q "$IMR_SRC/corpus/letters/000_df993e4b537a0a78.txt"
sql "$ro" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$ro" "$T/ro.copy"
# read_only NAME PREFIX...: the checks, with imrindex run through PREFIX.
read_only() {
    local name=$1
    shift
    run "$name: memory" 100000 "$@" "$IMRINDEX" --db "$ro" -q "$C"
    expect_equal "$name: exit" "$code" 3
    case "$(cat "$T/err")" in
    "imrindex: $ro: "*"cannot write the database"*) pass ;;
    *) fail "$name: message: $(cat "$T/err")" ;;
    esac
    expect_equal "$name: one line" "$(wc -l <"$T/err")" 1
    echo "note: $name: $(cat "$T/err")" >&2
    run "$name: search memory" 100000 "$@" "$IMRSEARCH" --db "$ro" --format ids cryotherapy
    expect_equal "$name: search exit" "$code" 0
}
if [ "$(id -u)" != 0 ]; then
    chmod 444 "$ro"
    read_only "read-only (0444)"
    chmod 644 "$ro"
else
    if chattr +i "$ro" 2>/dev/null; then
        read_only "read-only (immutable)"
        chattr -i "$ro"
    else
        echo "note: no chattr +i on this file system: immutable database case skipped" >&2
    fi
    if [ ${#as_user[@]} -gt 0 ]; then
        chmod 444 "$ro"
        chmod 777 "$T" # nobody may not create files here, but SQLite's -wal and -shm exist
        chmod 666 "$ro-wal" "$ro-shm" 2>/dev/null
        read_only "read-only (0444, as nobody)" "${as_user[@]}"
        chmod 711 "$T"
        chmod 644 "$ro"
    fi
fi
if cmp -s "$ro" "$T/ro.copy"; then pass; else fail "read-only: the file changed"; fi

# A truncated database: both programs say it is damaged (exit 3) and leave it as it is.
cp "$db" "$T/full.db"
sql "$T/full.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
size=$(stat -c %s "$T/full.db")
head -c $((size / 2)) "$T/full.db" >"$T/half.db"
cp "$T/half.db" "$T/half.copy"
run "truncated: memory" 100000 "$IMRINDEX" --db "$T/half.db" -q "$C"
expect_equal "truncated: exit" "$code" 3
expect_equal "truncated: message" "$(cat "$T/err")" \
    "imrindex: $T/half.db: reading the schema: the database file is damaged or not a database"
run "truncated search: memory" 100000 "$IMRSEARCH" --db "$T/half.db" pain
expect_equal "truncated search: exit" "$code" 3
expect_equal "truncated search: message" "$(cat "$T/err")" \
    "imrsearch: $T/half.db: reading the schema: the database file is damaged or not a database"
if cmp -s "$T/half.db" "$T/half.copy"; then pass; else fail "truncated: the file changed"; fi

# A database from a future schema version: imrindex refuses to touch it.
cp "$T/full.db" "$T/v99.db"
sqlite3 "$T/v99.db" "PRAGMA user_version = 99"
cp "$T/v99.db" "$T/v99.copy"
run "future version: memory" 100000 "$IMRINDEX" --db "$T/v99.db" -q "$C"
expect_equal "future version: exit" "$code" 3
expect_equal "future version: message" "$(cat "$T/err")" \
    "imrindex: $T/v99.db: built with schema version 99, but this is version 7; delete it and index the letters again, or give --db another file"
if cmp -s "$T/v99.db" "$T/v99.copy"; then pass; else fail "future version: the file changed"; fi

# --- Queries and filter values -------------------------------------------------------------
export IMRSEARCH_DB="$db"
long=$(head -c 102400 /dev/zero | tr '\0' 'a')
run "100 KB query: memory" 50000 "$IMRSEARCH" "$long"
expect_equal "100 KB query: exit" "$code" 2
expect_equal "100 KB query: message" "$(cat "$T/err")" \
    "imrsearch: invalid query: query is too long: more than 10000 bytes"
words=$(python3 -c 'print("pain " * 20480)')
run "100 KB of words: memory" 50000 "$IMRSEARCH" "$words"
expect_equal "100 KB of words: exit" "$code" 2
expect_equal "100 KB of words: message" "$(cat "$T/err")" \
    "imrsearch: invalid query: query is too long: more than 10000 bytes"
run "100 KB letter id: memory" 50000 "$IMRSEARCH" show "$long"
expect_equal "100 KB letter id: exit" "$code" 1

REGIONS="cervical, thoracic, lumbar, shoulder, elbow, wrist-hand, hip, knee, ankle-foot, head, multiple, unspecified"
run "SQL in --region" 50000 "$IMRSEARCH" --region "shoulder'; DROP TABLE letter;--" pain
expect_equal "SQL in --region: exit" "$code" 2
expect_equal "SQL in --region: message" "$(cat "$T/err")" \
    "imrsearch: unknown region \"shoulder'; DROP TABLE letter;--\"; regions are: $REGIONS"
run "quotes in --specialty" 50000 "$IMRSEARCH" --specialty "Anesthesiology\" OR \"1\"=\"1" pain
expect_equal "quotes in --specialty: exit" "$code" 2
run "LIKE pattern in --specialty" 50000 "$IMRSEARCH" --specialty "%" pain
expect_equal "LIKE pattern in --specialty: exit" "$code" 2
for id in "%" "_" "x' OR '1'='1" "000*"; do
    run "show $id" 50000 "$IMRSEARCH" show "$id"
    expect_equal "show $id: exit" "$code" 1
    expect_equal "show $id: message" "$(cat "$T/err")" "imrsearch: no letter \"$id\" in $db"
done
run "SQL in a query" 50000 "$IMRSEARCH" "pain') OR 1=1; DROP TABLE letter; --"
case $code in 0 | 1 | 2) pass ;; *) fail "SQL in a query: exit $code" ;; esac
expect_equal "still every letter" "$(sql "$db" "SELECT count(*) FROM letter;")" \
    "$(($(echo "$seed_rows" | wc -l) + 6))"
check_integrity_all "after the queries" "$db"
finish
