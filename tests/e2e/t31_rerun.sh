#!/usr/bin/env bash
# Running imrindex again over the same files changes nothing; a moved file keeps its rows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
mkdir -p "$T/a"
cp "$IMR_SRC"/corpus/letters/00[0-4]_*.txt "$T/a/"   # the five seeds
db="$T/imr.db"

"$IMRINDEX" --db "$db" "$T/a" 2>"$T/err1"
sql "$db" .dump >"$T/dump1"
expect_status "re-run" 0 "$IMRINDEX" --db "$db" "$T/a"
expect_equal "re-run summary" "$(summary "$T/err")" \
    "0 indexed (0 new, 0 changed), 5 unchanged, 0 skipped; 0 items"
sql "$db" .dump >"$T/dump2"
expect_equal_file "database unchanged" "$T/dump2" "$T/dump1"
check_integrity "re-run" "$db"

# The same folder named relatively from elsewhere is the same files.
(cd "$T" && "$IMRINDEX" --db "$db" ./a/ ) 2>"$T/err"
expect_equal "relative path" "$(head -n 1 "$T/err")" \
    "0 indexed (0 new, 0 changed), 5 unchanged, 0 skipped; 0 items"
sql "$db" .dump >"$T/dump3"
expect_equal_file "database unchanged (relative)" "$T/dump3" "$T/dump1"

# A file given twice in one run is read once more, as unchanged.
"$IMRINDEX" --db "$db" "$T/a" "$T/a/000_df993e4b537a0a78.txt" 2>"$T/err"
expect_equal "same file twice" "$(head -n 1 "$T/err")" \
    "0 indexed (0 new, 0 changed), 6 unchanged, 0 skipped; 0 items"

# Moved files: same ids, same bytes: only the path changes.
mv "$T/a" "$T/b"
expect_status "moved" 0 "$IMRINDEX" --db "$db" "$T/b"
expect_equal "moved summary" "$(head -n 1 "$T/err")" \
    "0 indexed (0 new, 0 changed), 5 unchanged, 0 skipped; 0 items"
expect_equal "moved paths" "$(sql "$db" "SELECT count(*) FROM letter WHERE path LIKE '$T/b/%';")" 5
expect_equal "moved rows" "$(counts "$db")" "$(counts "$db")"
sed "s|$T/b/|$T/a/|g" <(sql "$db" .dump) >"$T/dump4"
expect_equal_file "only paths changed" "$T/dump4" "$T/dump1"
finish
