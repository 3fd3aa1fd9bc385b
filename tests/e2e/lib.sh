# lib.sh - helpers for the end-to-end tests, sourced by every tests/e2e/t*.sh.
#
# The environment gives IMR_BUILD (the build folder) and IMR_SRC (the source folder). Each
# test gets a private scratch folder $T, removed at exit, and must end with `finish`, which
# prints "N passed, M failed" and exits non-zero when anything failed.
set -u
: "${IMR_BUILD:?run through ctest}" "${IMR_SRC:?run through ctest}"
T=$(mktemp -d "${TMPDIR:-/tmp}/imr-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
export IMRSEARCH_DB="$T/default.db" NO_COLOR=1 LC_ALL=C
IMRINDEX="$IMR_BUILD/imrindex"
IMRSEARCH="$IMR_BUILD/imrsearch"
GOLDEN="$IMR_SRC/tests/data"
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

# With IMR_UPDATE_GOLDEN=1, golden files are rewritten instead of compared.
update_or_compare() {
    if [ "${IMR_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$2" "$3"; pass; else expect_equal_file "$1" "$2" "$3"; fi
}

finish() {
    echo "$n_pass passed, $n_fail failed"
    [ "$n_fail" -eq 0 ]
}
