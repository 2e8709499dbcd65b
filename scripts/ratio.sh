#!/usr/bin/env bash
# How a first build's time grows from one site size to another: each round
# builds every size with every binary, in turn, into tmpfs (the folder
# removed, `sync` and a pause before each run, so that one run's memory is
# not the next one's), and prints one line per run and the medians.
# Method and figures: docs/performance.md.
#
# Usage: scripts/ratio.sh ROUNDS BINARY...
#   scripts/ratio.sh 5 /tmp/brief-before target/release/brief
# Environment:
#   SIZES="10000 100000"   the sites, made by gencorpus at /tmp/g<N>
#   OUT=/dev/shm/ratio     the output folder (removed before each run)
#   PAUSE=3                seconds to wait before each run
#   WARM=0                 MiB to write into tmpfs and remove just before
#                          each run (after the pause): a virtual machine
#                          whose balloon takes freed memory back makes
#                          the next run pay to fault it in again
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,18p' "$0" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "ratio.sh needs GNU time: apt-get install time" >&2
    exit 2
fi
rounds=$1
shift
sizes=${SIZES:-10000 100000}
out=${OUT:-/dev/shm/ratio}
pause=${PAUSE:-3}
warm=${WARM:-0}
for n in $sizes; do
    if [ ! -d "/tmp/g$n" ]; then
        echo "no site at /tmp/g$n: cargo run --release --example gencorpus -- --stories $n --seed 1 --out /tmp/g$n" >&2
        exit 2
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work" "$out" "$out.warm"' EXIT
echo "round binary stories wall_s user_s system_s peak_KiB minor_faults"
for r in $(seq "$rounds"); do
    b=0
    for bin in "$@"; do
        b=$((b + 1))
        for n in $sizes; do
            rm -rf "$out"
            sync
            sleep "$pause"
            if [ "$warm" -gt 0 ]; then
                dd if=/dev/zero of="$out.warm" bs=1M count="$warm" status=none
                rm -f "$out.warm"
            fi
            /usr/bin/time -f "%e %U %S %M %R" -o "$work/t" \
                "$bin" build --root "/tmp/g$n" --output "$out" >/dev/null 2>&1 ||
                echo "round $r: $bin failed at $n stories" >&2
            line="$(cat "$work/t")"
            echo "$r $bin $n $line"
            echo "${line%% *}" >>"$work/$b-$n"
        done
    done
done

median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
b=0
for bin in "$@"; do
    b=$((b + 1))
    first=""
    for n in $sizes; do
        m=$(median "$work/$b-$n")
        if [ -z "$first" ]; then
            first=$m
            printf '%s: %s stories %.3f s' "$bin" "$n" "$m"
        else
            printf ', %s stories %.3f s (%.1fx)' "$n" "$m" "$(echo "$m / $first" | bc -l)"
        fi
    done
    echo
done
