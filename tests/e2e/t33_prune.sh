#!/usr/bin/env bash
# --prune removes the letters whose files are gone, with their items and index entries.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
mkdir -p "$T/p"
cp "$IMR_SRC"/corpus/letters/00[0-4]_*.txt "$T/p/"   # the five seeds
db="$T/imr.db"

"$IMRINDEX" --db "$db" "$T/p" 2>"$T/err"
expect_equal "before" "$(matches "$db" medial | tr '\n' ' ')" "004_86369982a4019b49 "

# Without --prune a gone file's letter stays.
rm "$T/p/004_86369982a4019b49.txt"
"$IMRINDEX" --db "$db" "$T/p" 2>"$T/err"
expect_equal "kept without --prune" "$(counts "$db" | cut -d' ' -f1,2)" "5 7"

expect_status "prune" 0 "$IMRINDEX" --db "$db" --prune --verbose "$T/p"
expect_equal "prune messages" "$(grep -v ': unchanged$' "$T/err" | sed '$d')" \
    "$T/p/004_86369982a4019b49.txt: removed (file gone)
0 indexed (0 new, 0 changed), 4 unchanged, 0 skipped, 1 removed; 0 items"
expect_equal "after" "$(counts "$db" | cut -d' ' -f1,2)" "4 5"
expect_equal "gone from the index" "$(matches "$db" medial)" ""
expect_equal "no orphan sources" "$(sql "$db" "SELECT count(*) FROM item_source
    WHERE item_id NOT IN (SELECT id FROM item);")" 0
check_integrity "pruned" "$db"

# --prune alone, without paths, looks at every stored path.
rm "$T/p/000_df993e4b537a0a78.txt"
expect_status "prune only" 0 "$IMRINDEX" --db "$db" --prune
expect_equal "prune only summary" "$(head -n 1 "$T/err")" \
    "0 indexed (0 new, 0 changed), 0 unchanged, 0 skipped, 1 removed; 0 items"
expect_equal "after prune only" "$(counts "$db" | cut -d' ' -f1,2)" "3 4"
check_integrity "pruned again" "$db"

# --optimize alone merges the index; nothing else changes.
rows "$db" >"$T/rows.before"
expect_status "optimize only" 0 "$IMRINDEX" --db "$db" --optimize
rows "$db" >"$T/rows.after"
expect_equal_file "optimize keeps rows" "$T/rows.after" "$T/rows.before"
check_integrity "optimized" "$db"
"$IMRINDEX" --db "$db" --optimize "$T/p" 2>/dev/null
expect_equal "optimized index" "$(matches "$db" medial)" ""
check_integrity "optimized after a run" "$db"

# The same rows as a fresh database of the remaining files.
"$IMRINDEX" --db "$T/fresh.db" "$T/p" 2>/dev/null
rows "$db" >"$T/rows"
rows "$T/fresh.db" >"$T/rows.fresh"
expect_equal_file "same rows as a fresh run" "$T/rows" "$T/rows.fresh"
finish
