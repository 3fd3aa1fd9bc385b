#!/usr/bin/env bash
# Problem files: one exact line each on stderr, skipped, exit 1, and the good files go in.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
B="$T/in"
mkdir -p "$B/sub" "$B/other"
cp "$IMR_SRC"/corpus/letters/00[01]*.txt "$B/"
cp "$IMR_SRC"/corpus/letters/002*.txt "$B/sub/"
: >"$B/empty.txt"
printf ' \r\n\n  \t\n' >"$B/blank.txt"
printf 'HOW THE IMR\0FINAL DETERMINATION\n' >"$B/binary.txt"
printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj\n' >"$B/scan.txt"   # a PDF's bytes: read as one
cp "$B/scan.txt" "$B/scan.pdf"
printf 'HOW THE IMR FINAL DETERMINATION WAS MADE\n' >"$B/fake.PDF"
ln -s .. "$B/sub/up"                           # a symbolic link loop
ln -s nowhere.txt "$B/dangling.txt"            # a link to nothing
cp "$IMR_SRC"/corpus/letters/000*.txt "$B/other/"  # the same letter id a second time
echo "not a letter" >"$B/notes.md"             # not *.txt: ignored

db="$T/imr.db"
expect_status "bad inputs" 1 "$IMRINDEX" --db "$db" "$B" "$T/missing"
sed "s|$T|T|g" "$T/err" >"$T/err.t"
cat >"$T/want" <<'WANT'
T/in/dangling.txt: no such file or directory
T/in/sub/up: symbolic link loop
T/missing: no such file or directory
T/in/binary.txt: binary file
T/in/blank.txt: empty file
T/in/empty.txt: empty file
T/in/fake.PDF: not a PDF, though named .pdf
T/in/other/000_df993e4b537a0a78.txt: duplicate letter id 000_df993e4b537a0a78 (already read from T/in/000_df993e4b537a0a78.txt)
T/in/scan.pdf: damaged PDF: PDF document is damaged
T/in/scan.txt: damaged PDF: PDF document is damaged
3 indexed (3 new, 0 changed), 0 unchanged, 10 skipped; 3 items
by layout: 1: 3, 2: 0, 3: 0, unknown: 0; partial: 0, unparsed: 0
skipped: 2 missing, 1 symlink loop, 2 empty, 1 binary, 3 bad PDF, 1 duplicate
WANT
sed '$d' "$T/err.t" >"$T/got"
expect_equal_file "messages" "$T/got" "$T/want"
expect_equal "good files in" "$(counts "$db" | cut -d' ' -f1,2)" "3 3"
check_integrity "bad inputs" "$db"

# --quiet still names every problem file, and nothing else.
expect_status "quiet" 1 "$IMRINDEX" --db "$db" --quiet "$B/empty.txt" "$B/000_df993e4b537a0a78.txt"
expect_equal "quiet messages" "$(sed "s|$T|T|g" "$T/err")" "T/in/empty.txt: empty file"

# An unreadable file; root reads every file, so this case is only run as another user.
if [ "$(id -u)" != 0 ]; then
    cp "$B/000_df993e4b537a0a78.txt" "$T/locked.txt"
    chmod 000 "$T/locked.txt"
    expect_status "unreadable" 1 "$IMRINDEX" --db "$db" -q "$T/locked.txt"
    expect_equal "unreadable message" "$(sed "s|$T|T|g" "$T/err")" "T/locked.txt: permission denied"
else
    echo "note: running as root, which can read any file: unreadable-file case skipped" >&2
fi
finish
