#!/usr/bin/env bash
# A/B timing of two (or more) brief binaries on the same command: each runs
# in turn, RUNS times, under GNU time, so that a noisy machine slows them
# alike; prints the median wall, CPU, peak memory and minor page faults of
# each.
# Method and figures: docs/performance.md.
#
# Usage: scripts/ab.sh RUNS "ARGS" BINARY...
#   scripts/ab.sh 11 "check --root /tmp/g10k" /tmp/brief-before target/release/brief
# Environment:
#   PRE="command"   run before each run (e.g. remove the output folder of a
#                   first build: PRE="rm -rf /dev/shm/out")
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,11p' "$0" >&2
    exit 2
fi
runs=$1
args=$2
shift 2
if [ ! -x /usr/bin/time ]; then
    echo "ab.sh needs GNU time: apt-get install time" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq "$runs"); do
    n=0
    for bin in "$@"; do
        n=$((n + 1))
        if [ -n "${PRE:-}" ]; then eval "$PRE"; fi
        # shellcheck disable=SC2086 # ARGS is split into words on purpose
        /usr/bin/time -f "%e %U %S %M %R" -a -o "$work/$n" "$bin" $args >/dev/null 2>&1 ||
            echo "run $i of $bin failed" >&2
    done
done

n=0
for bin in "$@"; do
    n=$((n + 1))
    python3 - "$bin" "$work/$n" <<'PY'
import statistics as st
import sys

name, path = sys.argv[1], sys.argv[2]
rows = [list(map(float, line.split())) for line in open(path) if line[:1].isdigit()]
wall = [r[0] for r in rows]
cpu = [r[1] + r[2] for r in rows]
mem = [r[3] / 1024 for r in rows]
faults = [r[4] for r in rows]
print(
    f"{name}: wall {st.median(wall):.3f} s (min {min(wall):.3f}), "
    f"cpu {st.median(cpu):.2f} s (min {min(cpu):.2f}), "
    f"peak {st.median(mem):.0f} MB, {st.median(faults):.0f} page faults, {len(rows)} runs"
)
PY
done
