#!/usr/bin/env bash
# t39_identity.sh - which files are letters and which letter a file is: same-named files in
# different folders stay two letters, a letter whose file is gone is counted, extensions match
# in any case, a run that finds no letter says so and exits 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
L="$IMR_SRC/corpus/letters"
B="$T/in"
mkdir -p "$B/a" "$B/b" "$B/c/b"
db="$T/imr.db"
names() { sql "$db" "SELECT name || ' ' || replace(path, '$T/', '') FROM letter ORDER BY name;" | tr '\n' ';'; }
summary() { sed -n '1p' "$T/err"; }

# a/letter.txt, then b/letter.txt (another letter): both stay, the second under b/letter.
cp "$L"/000_*.txt "$B/a/letter.txt"
cp "$L"/001_*.txt "$B/b/letter.txt"
expect_status "first folder" 0 "$IMRINDEX" --db "$db" "$B/a"
expect_status "second folder" 0 "$IMRINDEX" --db "$db" "$B/b"
expect_equal "second is new" "$(summary)" "1 indexed (1 new, 0 changed), 0 unchanged, 0 skipped; 1 items"
expect_equal "two letters" "$(names)" "b/letter in/b/letter.txt;letter in/a/letter.txt;"
# A third one in c/b/: two folders in front. Runs over everything again change nothing.
cp "$L"/002_*.txt "$B/c/b/letter.txt"
expect_status "third" 0 "$IMRINDEX" --db "$db" "$B"
expect_equal "third is new" "$(summary)" "1 indexed (1 new, 0 changed), 2 unchanged, 0 skipped; 1 items"
expect_equal "three letters" "$(names)" \
    "b/letter in/b/letter.txt;c/b/letter in/c/b/letter.txt;letter in/a/letter.txt;"
expect_status "again" 0 "$IMRINDEX" --db "$db" "$B"
expect_equal "stable" "$(summary)" "0 indexed (0 new, 0 changed), 3 unchanged, 0 skipped; 0 items"
expect_equal "search finds each" "$("$IMRSEARCH" --db "$db" --format ids --limit 0 -- 'letter:reviewer' | cut -f1 | sort -u | tr '\n' ' ')" \
    "b/letter c/b/letter letter "
# Editing a file re-indexes its own letter, not the one holding its file name.
sed 's/54-year-old/55-year-old/' "$L"/000_*.txt >"$B/a/letter.txt"
printf '\n' >>"$B/b/letter.txt"
expect_status "edited" 0 "$IMRINDEX" --db "$db" "$B"
expect_equal "edited letters" "$(summary)" "2 indexed (0 new, 2 changed), 1 unchanged, 0 skipped; 2 items"
expect_equal "same ids" "$(names)" \
    "b/letter in/b/letter.txt;c/b/letter in/c/b/letter.txt;letter in/a/letter.txt;"
# A letter moved to a new folder keeps its id; a changed letter whose old file is gone too.
mkdir -p "$B/d"
mv "$B/c/b/letter.txt" "$B/d/moved.txt"
mv "$B/a/letter.txt" "$B/d/letter.txt"
printf '\n' >>"$B/d/letter.txt"
expect_status "moved" 0 "$IMRINDEX" --db "$db" "$B"
expect_equal "moved letters" "$(summary)" "2 indexed (1 new, 1 changed), 1 unchanged, 0 skipped; 2 items"
check_integrity "identity" "$db"

# Same bytes twice in one run: one letter, the second file skipped as before.
mkdir -p "$T/dup/x" "$T/dup/y"
cp "$L"/003_*.txt "$T/dup/x/same.txt"
cp "$L"/003_*.txt "$T/dup/y/same.txt"
expect_status "same bytes" 1 "$IMRINDEX" --db "$T/dup.db" "$T/dup"
expect_equal "same bytes skipped" "$(sed -n "1s|$T|T|gp" "$T/err")" \
    "T/dup/y/same.txt: duplicate letter id same (already read from T/dup/x/same.txt)"

# A letter whose file is gone: counted at the end of the run; --prune removes it.
rm "$B/b/letter.txt"
expect_status "gone" 0 "$IMRINDEX" --db "$db" "$B/d"
expect_equal "gone named" "$(sed -n 2p "$T/err")" \
    "gone: the files of 2 indexed letters no longer exist; they are still searched until imrindex --prune removes them"
expect_status "prune" 0 "$IMRINDEX" --db "$db" --prune "$B/d"
expect_equal "pruned" "$(summary)" "0 indexed (0 new, 0 changed), 2 unchanged, 0 skipped, 2 removed; 0 items"
expect_equal "no gone line after prune" "$(grep -c '^gone' "$T/err")" 0

# Extensions in any case, .text too; other files are not letters.
mkdir -p "$T/ext"
cp "$L"/000_*.txt "$T/ext/upper.TXT"
cp "$L"/001_*.txt "$T/ext/long.text"
cp "$L"/002_*.txt "$T/ext/mixed.Text"
cp "$L"/003_*.txt "$T/ext/notes.md"
cp "$L"/004_*.txt "$T/ext/.text"
expect_status "extensions" 0 "$IMRINDEX" --db "$T/ext.db" "$T/ext"
expect_equal "extension letters" "$(sql "$T/ext.db" "SELECT name FROM letter ORDER BY name;" | tr '\n' ' ')" \
    "long mixed upper "

# A run that finds no letter says so, exits 1 and makes no database.
mkdir -p "$T/none"
echo "notes" >"$T/none/readme.md"
expect_status "empty folder" 1 "$IMRINDEX" --db "$T/none.db" "$T/none"
expect_equal "empty message" "$(cat "$T/err")" \
    "imrindex: no letter file found (folders are searched for *.txt, *.text and *.pdf files, in any case)"
expect_equal "no database made" "$(ls "$T" | grep -c '^none.db')" 0
expect_status "missing path" 1 "$IMRINDEX" --db "$T/none.db" "$T/nowhere"
expect_equal "missing message" "$(sed "s|$T|T|g" "$T/err")" "T/nowhere: no such file or directory
imrindex: no letter file found (folders are searched for *.txt, *.text and *.pdf files, in any case)"
finish
