#!/usr/bin/env bash
# run.sh SECONDS [OUTDIR] - builds the clang libFuzzer build (ASan+UBSan) in build-fuzz/ and
# runs each harness (fuzz_letter, fuzz_tokenizer, fuzz_query, fuzz_pdf, fuzz_http) for SECONDS,
# one after another, seeded from the repository (corpus/letters, tests/data/tok, the queries of
# tests/data/query_translate.txt, corpus/letters rendered into PDFs by txt2pdf, and the HTTP
# requests of tests/data/fuzz-regress/fuzz_http). Seed folders are made at run time under OUTDIR (default
# build-fuzz/fuzz-run); new inputs libFuzzer finds go there too, crashes as OUTDIR/<harness>/
# crash-*. Exits non-zero when any harness crashed, leaked or timed out.
#
# Environment: IMR_FUZZ_JOBS=N runs the harnesses in parallel (default 1: in turn);
# IMR_FUZZ_BUILD=DIR uses another build folder (IMR_FUZZ_NOBUILD=1: as it is, without
# building, e.g. a copy of the binaries for a long run); IMR_FUZZ_NICE=1 runs them under
# nice -n 19; IMR_FUZZ_ONLY="fuzz_letter fuzz_pdf" runs only those. Each harness runs with
# -jobs=1, so after a crash libFuzzer saves the input and goes on fuzzing in a fresh process;
# crashes are found afterwards as the saved files.
set -euo pipefail
secs=${1:?usage: run.sh SECONDS [OUTDIR]}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${IMR_FUZZ_BUILD:-$src/build-fuzz}
out=${2:-$build/fuzz-run}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "${IMR_FUZZ_NOBUILD:-0}" != 1 ]; then
    CC=clang cmake -S "$src" -B "$build" -DIMR_FUZZ=ON -DIMR_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
    cmake --build "$build" -j2 --target fuzz_letter fuzz_tokenizer fuzz_query fuzz_pdf fuzz_http \
        txt2pdf \
        >/dev/null
fi

# Seeds. Letters: the bundled letters as they are.
mkdir -p "$out/seed/letter" "$out/seed/tokenizer" "$out/seed/query" "$out/seed/pdf"
cp "$src"/corpus/letters/*.txt "$out/seed/letter/"
# PDFs: the bundled letters rendered with several pages each (fontconfig's caches, left
# allocated by cairo at exit, are not ours to report).
ASAN_OPTIONS=detect_leaks=0 "$build/txt2pdf" --lines 30 -o "$out/seed/pdf" "$src"/corpus/letters/*.txt
# Tokenizer: the first byte picks options and flags; each text goes in with two of them.
for f in "$src"/tests/data/tok/*.txt; do
    b=$(basename "$f" .txt)
    { printf '\000'; cat "$f"; } >"$out/seed/tokenizer/$b.doc"
    { printf '\005'; cat "$f"; } >"$out/seed/tokenizer/$b.query"
done
# Queries: line 1 of each block of query_translate.txt ("esc:" lines decoded).
python3 - "$src/tests/data/query_translate.txt" "$out/seed/query" <<'PY'
import sys, os, re
text = open(sys.argv[1], encoding='utf-8', errors='surrogateescape').read()
blocks, cur = [], []
for line in text.split('\n'):
    if line.startswith('##'):
        continue
    if line == '':
        if cur: blocks.append(cur); cur = []
        continue
    cur.append(line)
if cur: blocks.append(cur)
for i, b in enumerate(blocks):
    q = b[0]
    if q.startswith('esc:'):
        q = q[4:]
        raw = q.encode('utf-8', 'surrogateescape')
        raw = re.sub(rb'\\x([0-9a-fA-F]{2})|\\t|\\n|\\\\',
                     lambda m: bytes([int(m.group(1), 16)]) if m.group(1) else
                     {b'\\t': b'\t', b'\\n': b'\n', b'\\\\': b'\\'}[m.group(0)], raw)
    else:
        raw = q.encode('utf-8', 'surrogateescape')
    open(os.path.join(sys.argv[2], '%03d' % i), 'wb').write(raw)
PY

# The PDF harness's own check: a worker that dies (here of its memory limit) is an outcome,
# not a finding, so a few runs where every worker dies must save no crash file.
selfcheck=$out/fuzz_pdf-selfcheck
rm -rf "$selfcheck" && mkdir -p "$selfcheck/corpus"
(cd "$selfcheck" && IMR_PDF_FAULT=memory "$build/tests/fuzz_pdf" -runs=5 corpus "$out/seed/pdf" \
    >log.txt 2>&1) || { echo "FAIL: fuzz_pdf's self-check run failed (see $selfcheck/)" >&2; exit 1; }
if compgen -G "$selfcheck/crash-*" >/dev/null; then
    echo "FAIL: fuzz_pdf saved a worker's death as a crash (see $selfcheck/)" >&2
    exit 1
fi

nice_cmd=()
[ "${IMR_FUZZ_NICE:-0}" = 1 ] && nice_cmd=(nice -n 19)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

run_one() { # run_one HARNESS SEEDDIR MAXLEN
    local h=$1 seed=$2 maxlen=$3
    mkdir -p "$out/$h/corpus"
    (cd "$out/$h" && "${nice_cmd[@]}" "$build/tests/$h" -max_total_time="$secs" -timeout=20 \
        -rss_limit_mb=2048 -max_len="$maxlen" -print_final_stats=1 -jobs=1 -workers=1 \
        corpus "$seed" >"$out/$h/log.txt" 2>&1)
}

harnesses=("fuzz_letter:$out/seed/letter:65536" "fuzz_tokenizer:$out/seed/tokenizer:16384"
           "fuzz_query:$out/seed/query:12288" "fuzz_pdf:$out/seed/pdf:65536"
           "fuzz_http:$src/tests/data/fuzz-regress/fuzz_http:20000")
if [ -n "${IMR_FUZZ_ONLY:-}" ]; then
    chosen=()
    for spec in "${harnesses[@]}"; do
        case " $IMR_FUZZ_ONLY " in *" ${spec%%:*} "*) chosen+=("$spec") ;; esac
    done
    [ ${#chosen[@]} -gt 0 ] || { echo "run.sh: IMR_FUZZ_ONLY names no harness: $IMR_FUZZ_ONLY" >&2; exit 2; }
    harnesses=("${chosen[@]}")
fi
status=0
pids=()
for spec in "${harnesses[@]}"; do
    IFS=: read -r h seed maxlen <<<"$spec"
    if [ "${IMR_FUZZ_JOBS:-1}" -gt 1 ]; then
        run_one "$h" "$seed" "$maxlen" & pids+=("$!:$h")
    else
        run_one "$h" "$seed" "$maxlen" || { status=1; echo "FAIL: $h (see $out/$h/)" >&2; }
    fi
done
for p in "${pids[@]}"; do
    wait "${p%%:*}" || { status=1; echo "FAIL: ${p#*:} (see $out/${p#*:}/)" >&2; }
done
for spec in "${harnesses[@]}"; do
    h=${spec%%:*}
    for f in "$out/$h"/crash-* "$out/$h"/leak-* "$out/$h"/timeout-* "$out/$h"/oom-*; do
        [ -e "$f" ] || continue
        status=1
        echo "FAIL: $h found $f" >&2
    done
done
# The last status line of each log: executions, coverage (cov) and features (ft).
for spec in "${harnesses[@]}"; do
    h=${spec%%:*}
    log=$out/$h/log.txt
    [ -f "$out/$h/fuzz-0.log" ] && log=$out/$h/fuzz-0.log
    line=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    if ! grep -qE '^#[0-9]+[[:space:]]+DONE' "$log"; then
        status=1
        echo "FAIL: $h did not finish its run (see $log)" >&2
    fi
    execs=$(grep -E 'stat::number_of_executed_units' "$log" | tail -n 1 | awk '{print $2}' || true)
    echo "$h: ${line:-no status line} execs=${execs:-?}"
done
exit $status
