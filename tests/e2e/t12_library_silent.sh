#!/usr/bin/env bash
# t12_library_silent.sh - the library never prints: no object of libimr calls a stdio output
# function (the printers are imrsearch's, in libimrprint); the printing library does.
. "$(dirname "$0")/lib.sh"

out_fns='printf|vprintf|fprintf|vfprintf|dprintf|fputs|puts|putchar|putc|fputc|fwrite|perror|_IO_putc|fputs_unlocked|fwrite_unlocked|putc_unlocked|fputc_unlocked'
nm -A "$IMR_BUILD/libimr.a" >"$T/lib.nm" || fail "nm libimr.a"
if grep -Eq " U ($out_fns)$" "$T/lib.nm"; then
    fail "libimr calls stdio output:"
    grep -E " U ($out_fns)$" "$T/lib.nm" >&2
else
    pass
fi
# The check can fail: the printing library is seen calling them.
nm -A "$IMR_BUILD/libimrprint.a" >"$T/print.nm" || fail "nm libimrprint.a"
if grep -Eq " U ($out_fns)$" "$T/print.nm"; then pass; else fail "nm found no output call in libimrprint"; fi
finish
