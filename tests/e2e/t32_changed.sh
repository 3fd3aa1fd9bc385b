#!/usr/bin/env bash
# A changed file is re-indexed: its old items and index entries are gone, the new ones found.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"
mkdir -p "$T/c"
cp "$IMR_SRC"/corpus/letters/00[0-4]_*.txt "$T/c/"   # the five seeds
db="$T/imr.db"
f="$T/c/004_86369982a4019b49.txt"

"$IMRINDEX" --db "$db" "$T/c" 2>"$T/err"
before=$(counts "$db")
expect_equal "before: medial" "$(matches "$db" medial | tr '\n' ' ')" "004_86369982a4019b49 "
expect_equal "before: zygapophysial" "$(matches "$db" zygapophysial)" ""

sed -i 's/medial/zygapophysial/g; s/Medial/Zygapophysial/g' "$f"
expect_status "changed run" 0 "$IMRINDEX" --db "$db" "$T/c"
expect_equal "changed summary" "$(summary "$T/err")" \
    "1 indexed (0 new, 1 changed), 4 unchanged, 0 skipped; 2 items
by layout: 1: 1, 2: 0, 3: 0, unknown: 0; partial: 0, unparsed: 0"
expect_equal "same counts" "$(counts "$db")" "$before"
expect_equal "new words found" "$(matches "$db" zygapophysial | tr '\n' ' ')" "004_86369982a4019b49 "
expect_equal "old words gone" "$(matches "$db" medial)" ""
expect_equal "old text gone" "$(sql "$db" "SELECT count(*) FROM item_doc
    WHERE item || rationale || summary || other LIKE '%medial%';")" 0
expect_equal "new items" "$(sql "$db" "SELECT count(*) FROM item i JOIN letter l ON l.id = i.letter_id
    WHERE l.name = '004_86369982a4019b49';")" 2
expect_equal "no orphan sources" "$(sql "$db" "SELECT count(*) FROM item_source
    WHERE item_id NOT IN (SELECT id FROM item);")" 0
expect_equal "hash updated" "$(sql "$db" "SELECT size FROM letter WHERE name = '004_86369982a4019b49';")" \
    "$(wc -c <"$f")"
check_integrity "changed" "$db"

# The same rows as a fresh database built from the changed files.
"$IMRINDEX" --db "$T/fresh.db" "$T/c" 2>/dev/null
rows "$db" >"$T/rows"
rows "$T/fresh.db" >"$T/rows.fresh"
expect_equal_file "same rows as a fresh run" "$T/rows" "$T/rows.fresh"
finish
