#!/usr/bin/env bash
# t69_memory_bound.sh - imrindex's memory is bounded by bytes, not by a count of files: the
# files prepared ahead of the writer (their bytes, parses and tokens) hold at most the
# --read-ahead bound plus what one letter's preparation takes, however many large letters a
# folder holds; the writer still writes what is ready when the bound stops the preparing
# thread (a run that mixes small and large letters under a tiny bound ends); the letters
# written are the same whatever the bound. imrindex -v reports the peak the pipeline held and
# the process's peak resident size (getrusage), which the checks read; nothing is timed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/store_lib.sh"

sanitized=0
if ldd "$IMR_BUILD/imrindex" 2>/dev/null | grep -q libasan; then sanitized=1; fi
big_mb=50 n_big=3
if [ "$sanitized" = 1 ]; then big_mb=12; fi

# Letters: each is a bundled letter whose last item's rationale goes on for SIZE bytes of the
# letter's own sentences; mid/ has 24 of 1 MB, mixed/ the same between small letters, big/
# has letters of $big_mb MB.
L="$IMR_SRC/corpus/letters/l1_004_four_items.txt"
python3 - "$L" "$T" "$big_mb" "$n_big" "$IMR_SRC/corpus/letters" <<'PY'
import os, shutil, sys
L = open(sys.argv[1], "rb").read()
d, big_mb, n_big, small = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
para = b" ".join(l for l in L.split(b"\n") if l and not l.isupper()) + b"\n"
def letter(path, size, k):
    with open(path, "wb") as f:
        f.write(L)
        n = len(L)
        while n < size:
            f.write(b"Record %d. " % k + para)
            n += len(para) + 12
for sub in ("mid", "mixed", "big"):
    os.makedirs(os.path.join(d, sub))
smalls = sorted(x for x in os.listdir(small) if x.endswith(".txt"))
for k in range(24):
    letter(os.path.join(d, "mid", "m%02d.txt" % k), 1 << 20, k)
    os.link(os.path.join(d, "mid", "m%02d.txt" % k), os.path.join(d, "mixed", "m%02d.txt" % k))
    for j in range(3):
        s = smalls[(3 * k + j) % len(smalls)]
        shutil.copy(os.path.join(small, s), os.path.join(d, "mixed", "m%02d_%d_%s" % (k, j, s)))
for k in range(n_big):
    letter(os.path.join(d, "big", "b%d.txt" % k), big_mb << 20, k)
PY

# index NAME DB ARGS...: runs imrindex -v (exit 0 expected, within 10 minutes however the
# pipeline waits: a deadlock fails here), then sets $held to the most MB the prepared files
# held and $rss to the peak resident MB, from its last line.
index() {
    local name=$1 db=$2 code=0
    shift 2
    timeout 600 "$IMRINDEX" --db "$db" -v "$@" >"$T/out" 2>"$T/err" || code=$?
    expect_equal "$name: exit" "$code" 0
    local line
    line=$(grep '^read .*; memory: ' "$T/err")
    [ -n "$line" ] || fail "$name: no memory figures"
    rss=$(echo "$line" | sed -n 's/.*; memory: peak \([0-9.]*\) MB resident.*/\1/p')
    held=$(echo "$line" | sed -n 's/.*held at most \([0-9.]*\) MB$/\1/p')
    [ -n "$rss" ] && [ -n "$held" ] || fail "$name: memory line [$line]"
}

# at_most NAME X Y: X <= Y (decimal numbers).
at_most() {
    if awk -v x="$2" -v y="$3" 'BEGIN { exit !(x <= y) }'; then pass; else fail "$1: $2 > $3"; fi
}

# What one 1 MB letter's preparation holds: its bytes, cleaned text, parse and tokens.
index "one letter" "$T/one.db" "$T/mid/m00.txt"
one=$held
at_most "one letter holds something" 1 "$one"

# 24 such letters (about 24 times that, far over a 1 MB bound): the prepared files hold at
# most the bound, one letter's preparation, and one more letter's bytes started ahead.
index "bound 1 MB" "$T/b1.db" --read-ahead 1 "$T/mid"
at_most "bound 1 MB: held" "$held" "$(awk -v o="$one" 'BEGIN { print 1 + 2 * o }')"
index "default bound" "$T/b64.db" "$T/mid"
at_most "default bound: held" "$held" "$(awk -v o="$one" 'BEGIN { print 64 + 2 * o }')"
rows "$T/b64.db" >"$T/want.rows"
rows "$T/b1.db" >"$T/got.rows"
expect_equal_file "bound 1 MB: the rows of the default bound" "$T/got.rows" "$T/want.rows"
expect_equal "bound 1 MB: letters" "$(sql "$T/b1.db" "SELECT count(*) FROM letter;")" 24
check_integrity "bound 1 MB" "$T/b1.db"

# Small letters between large ones under a tiny bound: the preparing thread keeps stopping with
# fewer files ready than the writer waits for; the writer must write them (the run ends).
index "mixed, bound 1 MB" "$T/mixed.db" --read-ahead 1 "$T/mixed"
at_most "mixed, bound 1 MB: held" "$held" "$(awk -v o="$one" 'BEGIN { print 1 + 2 * o }')"
expect_equal "mixed, bound 1 MB: letters" "$(sql "$T/mixed.db" "SELECT count(*) FROM letter;")" 96

# Several large letters with the default bound: held stays within the bound and one letter's
# preparation, and (in the plain build, whose resident size is the program's own) the peak
# resident size stays under the figure docs/reliability.md states, 600 MB (three 50 MB letters
# took 800 MB when 32 prepared files were held whatever their size).
index "one large letter" "$T/bigone.db" "$T/big/b0.txt"
one_big=$held
index "$n_big large letters" "$T/big.db" "$T/big"
at_most "$n_big large letters: held" "$held" "$(awk -v o="$one_big" 'BEGIN { print 64 + 2 * o }')"
if [ "$sanitized" = 0 ] && [ "${IMR_VALGRIND:-0}" != 1 ]; then
    at_most "$n_big large letters: peak resident MB" "$rss" 600
fi
expect_equal "$n_big large letters: letters" "$(sql "$T/big.db" "SELECT count(*) FROM letter;")" "$n_big"

finish
