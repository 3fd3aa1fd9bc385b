#!/usr/bin/env bash
# t51_serve_load.sh - the web server's load benchmark (tests/bench/serve_load.sh) on the seed
# letters, small: 4 clients x 10 requests over search, letter and report pages all answered
# 200, the server stopped cleanly and the database unchanged. Its latencies are printed, not
# checked.
. "$(dirname "$0")/lib.sh"

expect_status "serve_load.sh" 0 "$IMR_SRC/tests/bench/serve_load.sh" --corpus "$IMR_SRC/corpus/letters" \
    --build "$IMR_BUILD" --work "$T" --clients 4 --requests 10
cat "$T/out"
grep -q '^4 clients x 10 requests = 40 answers in ' "$T/out" && pass || fail "answer count"
expect_equal "statuses" "$(grep '^statuses: ' "$T/out")" "statuses: 200 x40"
grep -q '^database unchanged$' "$T/out" && pass || fail "database changed"
for kind in search letter report; do
    grep -q "^$kind " "$T/out" && pass || fail "no $kind pages in the mix"
done
finish
