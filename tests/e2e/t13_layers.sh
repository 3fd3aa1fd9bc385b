#!/usr/bin/env bash
# t13_layers.sh - the layer order of docs/architecture.md, checked on the object files:
# the shim calls nothing of the library above it and no SQLite function (it reaches SQLite
# only through the fts5_api it is given); build/imr.so needs no libsqlite3 and exports one
# symbol; the query code uses nothing of indexer/ but the core (db, error, dict, vocab).
. "$(dirname "$0")/lib.sh"

obj="$IMR_BUILD/CMakeFiles/imr.dir"
shim="$IMR_BUILD/CMakeFiles/imr_shim.dir/shim"
ls "$shim"/*.o >/dev/null || fail "no shim objects under $shim"

# Symbols each group defines.
defs() { for f in "$@"; do nm --defined-only "$f" | awk '$2 ~ /[TDRB]/ {print $3}'; done | sort -u; }
undefs() { for f in "$@"; do nm -u "$f" | awk '{print $2}'; done | sort -u; }

shim_undef=$(undefs "$shim"/*.o)
above=$(defs "$obj"/indexer/*.o "$obj"/query/*.o)
up=$(comm -12 <(echo "$shim_undef") <(echo "$above"))
[ -z "$up" ] && pass || fail "shim calls up into the library: $up"
sq=$(echo "$shim_undef" | grep '^sqlite3_' || true)
[ -z "$sq" ] && pass || fail "shim calls SQLite directly: $sq"

core="$obj/indexer/db.c.o $obj/indexer/error.c.o $obj/indexer/dict.c.o $obj/indexer/vocab.c.o"
writer=$(for f in "$obj"/indexer/*.o; do case " $core " in *" $f "*) ;; *) echo "$f" ;; esac; done)
[ -n "$writer" ] || fail "no parser/writer objects found"
q_up=$(comm -12 <(undefs "$obj"/query/*.o) <(defs $writer))
[ -z "$q_up" ] && pass || fail "query uses the parser or writer: $q_up"
core_up=$(comm -12 <(undefs $core) <(defs $writer "$obj"/query/*.o))
[ -z "$core_up" ] && pass || fail "the core calls up: $core_up"

needed=$(readelf -d "$IMR_BUILD/imr.so" | grep NEEDED || true)
case $needed in *libsqlite3*) fail "imr.so needs libsqlite3: $needed" ;; *) pass ;; esac
exports=$(nm -D --defined-only "$IMR_BUILD/imr.so" | awk '{print $3}')
[ "$exports" = sqlite3_imr_init ] && pass || fail "imr.so exports: $exports"
finish
