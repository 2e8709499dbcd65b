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
#   With two or more threads the count varies by up to about 0.7% from run
#   to run (how rayon splits the work); RAYON_NUM_THREADS=1 makes it
#   repeat to within 0.03%.
# Environment:
#   BENCH_SEED=S     corpus seed (default 1)
#   BENCH_DIR=DIR    work folder (default: a new folder under /tmp, removed
#                    at exit); sites generated there earlier are reused
#   BENCH_OUT=DIR    where builds write (default: a folder in /dev/shm when it
#                    exists, else in the work folder)
#   BENCH_BUILD=0    use the release binaries already in target/ as they are
#   BENCH_TOP=N      also list the N functions with the most instructions of
#                    their own (self counts) at the last size, with their
#                    growth from the first size (default 0)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seed=${BENCH_SEED:-1}
top=${BENCH_TOP:-0}
log() { printf '%s\n' "$*" >&2; }

if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi
for n in "${sizes[@]}" "$top"; do
    [[ $n =~ ^[0-9]+$ ]] || { log "not a whole number: $n"; exit 2; }
done
if ! command -v valgrind >/dev/null; then
    log "valgrind is not installed (apt-get install valgrind)"
    exit 1
fi
if [ "$top" -gt 0 ] && ! command -v callgrind_annotate >/dev/null; then
    log "callgrind_annotate is not installed: BENCH_TOP needs it"
    exit 1
fi

if [ "${BENCH_BUILD:-1}" != 0 ]; then
    log "building brief and gencorpus (release)"
    (cd "$repo" && cargo build --release --quiet --bin brief --example gencorpus) >&2
fi
brief="$repo/target/release/brief"
gencorpus="$repo/target/release/examples/gencorpus"

work="" outs="" child=""
cleanup() {
    set +e
    if [ -n "$child" ]; then
        kill "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    if [ -z "${BENCH_OUT:-}" ] && [ -n "$outs" ]; then rm -rf "$outs"; fi
    if [ -z "${BENCH_DIR:-}" ] && [ -n "$work" ]; then rm -rf "$work"; fi
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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

# A first build of the site of $1 stories under callgrind; its instruction
# count (callgrind's "Collected" line) goes into $work/ir$1.
count() {
    local n=$1 site="$work/g$1" out="$outs/o$1" status=0
    rm -rf "$out"
    valgrind --tool=callgrind --callgrind-out-file="$work/cg$n.out" \
        "$brief" build --root "$site" --output "$out" >"$work/cg$n.log" 2>&1 &
    child=$!
    wait "$child" || status=$?
    child=""
    rm -rf "$out"
    local ir
    ir=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$work/cg$n.log")
    if [ "$status" != 0 ] || ! grep -q '^built ' "$work/cg$n.log" || [[ ! $ir =~ ^[0-9]+$ ]]; then
        cat "$work/cg$n.log" >&2
        log "the build of $n stories failed under callgrind (status $status)"
        exit 1
    fi
    printf '%s\n' "$ir" >"$work/ir$n"
}

for n in "${sizes[@]}"; do
    # A site is reused only if it was generated whole, with this seed.
    if [ "$(cat "$work/g$n.seed" 2>/dev/null)" != "$seed" ]; then
        log "generating $n stories"
        rm -rf "$work/g$n" "$work/g$n.tmp" "$work/g$n.seed"
        "$gencorpus" --stories "$n" --seed "$seed" --out "$work/g$n.tmp" >/dev/null
        mv "$work/g$n.tmp" "$work/g$n"
        printf '%s\n' "$seed" >"$work/g$n.seed"
    fi
    log "counting a first build of $n stories under callgrind"
    count "$n"
done

commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
printf 'brief %s, seed %s, %s, RAYON_NUM_THREADS=%s.\n\n' \
    "$commit" "$seed" "$(valgrind --version)" "${RAYON_NUM_THREADS:-default}"
printf '| stories | instructions | per story | against %s stories |\n' "${sizes[0]}"
printf '|---:|---:|---:|---:|\n'
first=$(cat "$work/ir${sizes[0]}")
for n in "${sizes[@]}"; do
    awk -v n="$n" -v ir="$(cat "$work/ir$n")" -v base="${sizes[0]}" -v first="$first" 'BEGIN {
        printf "| %d | %.2f G | %.0f | %.2fx for %.3gx the stories |\n",
            n, ir / 1e9, ir / n, ir / first, n / base }'
done

if [ "$top" -gt 0 ] && [ "${#sizes[@]}" -ge 2 ]; then
    small=${sizes[0]}
    large=${sizes[${#sizes[@]} - 1]}
    printf '\nThe %d functions with the most instructions of their own at %d stories\n' "$top" "$large"
    printf '(self counts; a recursive function'"'"'s levels, `f'"'"'2` and so on, summed):\n\n'
    printf '| function | at %d | at %d | growth |\n|---|---:|---:|---:|\n' "$small" "$large"
    # callgrind_annotate lists "count (share) file:function [object]".
    flat() {
        callgrind_annotate --threshold=100 "$1" |
            sed -n "s/^ *\([0-9,]*\) ([ 0-9.]*%)  [^:]*:\(.*\) \[[^]]*\]$/\1\t\2/p" |
            tr -d , | sed "s/'[0-9]*$//"
    }
    flat "$work/cg$small.out" >"$work/small.txt"
    flat "$work/cg$large.out" >"$work/large.txt"
    awk -F '\t' 'NR == FNR { a[$2] += $1; next } { b[$2] += $1 }
        END { for (f in b) printf "%.0f\t%.0f\t%s\n", b[f], a[f], f }' \
        "$work/small.txt" "$work/large.txt" |
        sort -t "$(printf '\t')" -k1,1nr |
        awk -F '\t' -v top="$top" 'NR <= top { printf "| `%s` | %.0f M | %.0f M | %s |\n", $3, $2 / 1e6, $1 / 1e6,
            ($2 > 0 ? sprintf("%.2fx", $1 / $2) : "new") }'
fi
