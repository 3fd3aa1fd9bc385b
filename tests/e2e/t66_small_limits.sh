#!/usr/bin/env bash
# t66_small_limits.sh - small reliability cases: a read-only search on a full disk says "disk
# full" (it must create the WAL's -shm file); --db '' is refused, not read as the default
# database; a 100 KB --specialty is a usage error, not an internal one.
. "$(dirname "$0")/lib.sh"
export IMRSEARCH_NO_TIMING=1

DB="$T/a.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"

error "--db ''" 2 "imrsearch: --db '': an empty path names no database" --db '' cryotherapy
expect_status "imrindex --db ''" 2 "$IMRINDEX" --db '' "$IMR_SRC/corpus/letters"
expect_equal "imrindex --db '': line" "$(cat "$T/err")" "imrindex: --db '': an empty path names no database"
long=$(head -c 100000 /dev/zero | tr '\0' a)
error "100 KB --specialty" 2 "imrsearch: --specialty: at most 200 bytes, not 100000" --db "$DB" --specialty "$long" pain
error "100 KB --specialty, facets" 2 "imrsearch: --specialty: at most 200 bytes, not 100000" --db "$DB" --specialty "$long" --by region

# A full disk needs a file system of its own: a 1 MB tmpfs, when this test may mount one.
mkdir "$T/mnt"
if mount -t tmpfs -o size=1m tmpfs "$T/mnt" 2>/dev/null; then
    trap 'umount "$T/mnt"; rm -rf "$T"' EXIT
    sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    cp "$DB" "$T/mnt/a.db"
    head -c 2000000 /dev/zero >"$T/mnt/fill" 2>/dev/null
    error "search on a full disk" 4 "imrsearch: $T/mnt/a.db: reading the schema: disk full" --db "$T/mnt/a.db" cryotherapy
else
    echo "the full-disk case is skipped: this test may not mount a tmpfs"
fi

finish
