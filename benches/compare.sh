#!/usr/bin/env bash
# Two builds of telltale timed against each other on the same input:
#
#   benches/compare.sh OLD_BINARY NEW_BINARY RUNS check --format json -j 1 DIR
#
# Runs the two alternately RUNS times each (so a slow spell of a shared
# machine hits both alike) and prints each one's fastest and median wall
# time. docs/performance.md compares rounds this way, because absolute
# figures on a virtual machine drift from day to day by more than a
# round's gain.
set -euo pipefail
old=${1:?old binary}
new=${2:?new binary}
runs=${3:?runs}
shift 3
declare -A walls=([old]="" [new]="")
for _ in $(seq "$runs"); do
    for which in old new; do
        bin=$old
        [ "$which" = new ] && bin=$new
        t0=$EPOCHREALTIME
        "$bin" "$@" > /dev/null || [ $? -eq 1 ]
        t1=$EPOCHREALTIME
        walls[$which]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') "
    done
done
for which in old new; do
    printf '%s\n' ${walls[$which]} | sort -n | awk -v w="$which" '
        { t[NR] = $1 }
        END { printf "%-4s fastest %.3f s  median %.3f s  (%d runs)\n", w, t[1], t[int((NR + 1) / 2)], NR }'
done
