#!/usr/bin/env bash
# How brief's work grows with the site, counted in instructions rather than
# seconds: a first build of generated sites at each size runs under
# valgrind's callgrind, which counts every user-space instruction the
# process executes. Unlike wall time, the count does not depend on how fast
# this machine hands out fresh memory or how its disk behaves, so its ratio
# between two sizes says whether the work itself is linear. Prints a
# Markdown table on stdout; progress goes to stderr. Method and figures:
# docs/performance.md ("Is the work linear?").
#
# Usage: scripts/instructions.sh [SIZE...]     (default: 1000 10000)
#   100000 stories take about 10 minutes under callgrind (one core).
# Environment:
#   BENCH_SEED=S     corpus seed (default 1)
#   BENCH_DIR=DIR    work folder (default: a new folder under /tmp, removed at exit)
#   BENCH_OUT=DIR    where builds write (default: a folder in /dev/shm when it
#                    exists, else in the work folder)
#   BENCH_BUILD=0    use the release binaries already in target/ as they are
#   BENCH_TOP=N      also print the N functions with the most instructions
#                    at the largest size, with their growth (default 0)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seed=${BENCH_SEED:-1}
log() { printf '%s\n' "$*" >&2; }

if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi

if ! command -v valgrind >/dev/null; then
    log "valgrind is not installed (apt-get install valgrind)"
    exit 1
fi

if [ "${BENCH_BUILD:-1}" != 0 ]; then
    log "building brief and gencorpus (release)"
    (cd "$repo" && cargo build --release --quiet --bin brief --example gencorpus) >&2
fi
brief="$repo/target/release/brief"
gencorpus="$repo/target/release/examples/gencorpus"

if [ -n "${BENCH_DIR:-}" ]; then
    work=$BENCH_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d /tmp/brief-instructions.XXXXXX)
fi
if [ -n "${BENCH_OUT:-}" ]; then
    outs=$BENCH_OUT
elif [ -d /dev/shm ]; then
    outs=$(mktemp -d /dev/shm/brief-instructions.XXXXXX)
else
    outs="$work/out"
fi
mkdir -p "$outs"
cleanup() {
    if [ -z "${BENCH_OUT:-}" ]; then rm -rf "$outs"; fi
    if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# The instruction count callgrind reports for one build (its "Collected"
# line), with the build's own summary line in the log.
count() {
    local n=$1 site="$work/g$1" out="$outs/o$1"
    rm -rf "$out"
    valgrind --tool=callgrind --callgrind-out-file="$work/cg$n.out" \
        "$brief" build --root "$site" --output "$out" >"$work/cg$n.log" 2>&1
    rm -rf "$out"
    grep -q '^built ' "$work/cg$n.log" || { cat "$work/cg$n.log" >&2; exit 1; }
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$work/cg$n.log"
}

printf '| stories | instructions | per story | against %s stories |\n' "${sizes[0]}"
printf '|---:|---:|---:|---:|\n'
first=""
for n in "${sizes[@]}"; do
    if [ ! -f "$work/g$n/site.yaml" ]; then
        log "generating $n stories"
        "$gencorpus" --stories "$n" --seed "$seed" --out "$work/g$n" >/dev/null
    fi
    log "counting a first build of $n stories under callgrind"
    ir=$(count "$n")
    [ -n "$first" ] || first="$ir/${sizes[0]}"
    awk -v n="$n" -v ir="$ir" -v base="${sizes[0]}" -v first="${first%/*}" 'BEGIN {
        printf "| %d | %.2f G | %.0f | %.2fx for %.0fx the stories |\n",
            n, ir / 1e9, ir / n, ir / first, n / base }'
done

top=${BENCH_TOP:-0}
if [ "$top" -gt 0 ] && [ "${#sizes[@]}" -ge 2 ] && command -v callgrind_annotate >/dev/null; then
    small=${sizes[0]}
    large=${sizes[${#sizes[@]} - 1]}
    printf '\nThe %d functions with the most instructions at %d stories:\n\n' "$top" "$large"
    printf '| function | at %d | at %d | growth |\n|---|---:|---:|---:|\n' "$small" "$large"
    # callgrind_annotate lists "count (share) file:function [object]".
    flat() { callgrind_annotate --threshold=100 "$1" 2>/dev/null |
        sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%)  [^:]*:\(.*\) \[[^]]*\]$/\1\t\2/p' | tr -d ,; }
    flat "$work/cg$small.out" >"$work/small.txt"
    flat "$work/cg$large.out" >"$work/large.txt"
    awk -F '\t' -v top="$top" 'NR == FNR { a[$2] += $1; next }
        { b[$2] += $1; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
        END { for (i = 1; i <= k && i <= top; i++) { f = order[i]
            printf "| `%s` | %.0f M | %.0f M | %s |\n", f, a[f] / 1e6, b[f] / 1e6,
                (a[f] > 0 ? sprintf("%.2fx", b[f] / a[f]) : "new") } }' \
        "$work/small.txt" "$work/large.txt"
fi
