# lib.sh - helpers for the end-to-end tests, sourced by every tests/e2e/t*.sh.
#
# The environment gives IMR_BUILD (the build folder) and IMR_SRC (the source folder). Each
# test gets a private scratch folder $T, removed at exit, and must end with `finish`, which
# prints "N passed, M failed" and exits non-zero when anything failed or nothing passed.
set -u
: "${IMR_BUILD:?run through ctest}" "${IMR_SRC:?run through ctest}"
T=$(mktemp -d "${TMPDIR:-/tmp}/imr-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
export IMRSEARCH_DB="$T/default.db" NO_COLOR=1 LC_ALL=C
IMRINDEX="$IMR_BUILD/imrindex"
IMRSEARCH="$IMR_BUILD/imrsearch"
GOLDEN="$IMR_SRC/tests/data"

# With IMR_VALGRIND=1, $IMRINDEX and $IMRSEARCH run under valgrind's memcheck: a leak (definite
# or indirect) or a memory error makes them exit 99, and `finish` fails the test when any of
# their logs (one per process, under $T/valgrind) reports an error. Valgrind writes to those
# logs, never to the programs' stderr, so the expected messages are unchanged.
if [ "${IMR_VALGRIND:-0}" = 1 ]; then
    mkdir -p "$T/valgrind" "$T/vgbin"
    for prog in imrindex imrsearch; do
        cat >"$T/vgbin/$prog" <<VG
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \\
    --show-leak-kinds=definite,indirect --log-file="$T/valgrind/$prog.%p.log" \\
    "$IMR_BUILD/$prog" "\$@"
VG
        chmod +x "$T/vgbin/$prog"
    done
    IMRINDEX="$T/vgbin/imrindex"
    IMRSEARCH="$T/vgbin/imrsearch"
fi
n_pass=0
n_fail=0

pass() { n_pass=$((n_pass + 1)); }
fail() { n_fail=$((n_fail + 1)); echo "FAIL: $*" >&2; }

# expect_equal_file NAME GOT_FILE WANT_FILE: passes when the files are identical, else diffs.
expect_equal_file() {
    if diff -u "$3" "$2" >"$T/diff.out" 2>&1; then pass; else fail "$1"; cat "$T/diff.out" >&2; fi
}

# expect_equal NAME GOT WANT: compares two strings.
expect_equal() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: got [$2], want [$3]"; fi
}

# expect_status NAME WANT_CODE COMMAND...: runs COMMAND, compares its exit status.
expect_status() {
    local name=$1 want=$2 got=0
    shift 2
    "$@" >"$T/out" 2>"$T/err" || got=$?
    if [ "$got" = "$want" ]; then pass; else fail "$name: exit $got, want $want"; cat "$T/err" >&2; fi
}

# error NAME CODE MESSAGE ARGS...: imrsearch ARGS exits CODE and prints exactly MESSAGE.
error() {
    local name=$1 code=$2 msg=$3 got=0
    shift 3
    "$IMRSEARCH" "$@" >"$T/out" 2>"$T/err" || got=$?
    expect_equal "$name: exit" "$got" "$code"
    expect_equal "$name: message" "$(cat "$T/err")" "$msg"
}

# With IMR_UPDATE_GOLDEN=1, golden files are rewritten instead of compared.
update_or_compare() {
    if [ "${IMR_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$2" "$3"; pass; else expect_equal_file "$1" "$2" "$3"; fi
}

# valgrind_check: under IMR_VALGRIND=1, one failure per valgrind log that reports anything
# (memcheck with -q writes only errors and leaks), its text shown.
valgrind_check() {
    [ "${IMR_VALGRIND:-0}" = 1 ] || return 0
    local log
    for log in "$T"/valgrind/*.log; do
        [ -s "$log" ] || continue
        fail "valgrind: $(basename "$log")"
        head -n 60 "$log" >&2
    done
}

finish() {
    valgrind_check
    echo "$n_pass passed, $n_fail failed"
    [ "$n_pass" -gt 0 ] || echo "FAIL: no check passed: the test tested nothing" >&2
    [ "$n_fail" -eq 0 ] && [ "$n_pass" -gt 0 ]
}
