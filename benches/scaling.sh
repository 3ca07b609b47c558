#!/usr/bin/env bash
# How `telltale check` time grows with the size of one file, per input shape
# (docs/hardening.md, "Scaling").
#
#   benches/scaling.sh [BINARY] [WORK_DIR] [THREADS] [FORMAT] [COMMAND]
#   SHAPES='stars brackets' SIZES='0.5 1 2 4' benches/scaling.sh ...
#
# Writes every shape of benches/scaling.py at each size (MB), runs
# `BINARY check --format FORMAT --fail-on never -j THREADS FILE` once per file
# under /usr/bin/time, and prints one row per shape and extension: seconds at
# each size, the ratio of the two largest (about 2 when linear), throughput
# at the largest size, and peak RSS there. A row is marked `!` when a
# doubling costs more than 2.5 times or the throughput is under 2 MB/s.
# A run over 60 s is stopped and the larger sizes of that shape skipped.
# COMMAND (default check) times another way of reading the file instead:
# fix (`check --fix` on a copy), diff (`check --diff`), score
# (`score --explain --paragraphs`, FORMAT human or json) or report (the HTML
# page, written to WORK_DIR/.report.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/telltale}
work=${2:-/tmp/telltale-scaling}
threads=${3:-1}
format=${4:-json}
command=${5:-check}
sizes=${SIZES:-0.5 1 2 4}
export SHAPES=${SHAPES:-}

# shellcheck disable=SC2086
python3 benches/scaling.py "$work" $sizes

printf '%-22s' "shape"
for s in $sizes; do printf '%9s' "${s}MB"; done
printf '%8s %8s %8s\n' "x/2x" "MB/s" "RSS MB"
for file in "$work"/*; do
    base=${file##*/}
    echo "${base%-*}.${base##*.}"
done | sort -u | while read -r key; do
    name=${key%.*}; ext=${key##*.}
    printf '%-22s' "$key"
    prev=""; last=""; skip=0; rss=""; mb=""
    for s in $sizes; do
        f="$work/$name-$s.$ext"
        if [ ! -f "$f" ] || [ $skip = 1 ]; then printf '%9s' "-"; continue; fi
        case $command in
            check) args=(check --format "$format" --fail-on never -j "$threads" "$f") ;;
            fix) cp "$f" "$work/.fix.$ext"
                args=(check --fix --format "$format" --fail-on never -j "$threads" "$work/.fix.$ext") ;;
            diff) args=(check --diff --format "$format" --fail-on never -j "$threads" "$f") ;;
            score) args=(score --explain --paragraphs --format "$format" -j "$threads" "$f") ;;
            report) args=(report -o "$work/.report.html" -j "$threads" "$f") ;;
            *) echo "unknown command: $command" >&2; exit 2 ;;
        esac
        /usr/bin/time -o "$work/.time" -f '%e %M' timeout 60 "$bin" "${args[@]}" \
            >/dev/null 2>&1 || true
        out=$(tail -1 "$work/.time")
        secs=${out% *}; rss=$(( ${out#* } / 1024 ))
        if awk -v t="$secs" 'BEGIN { exit !(t >= 59) }'; then
            printf '%9s' ">60"; skip=1; continue
        fi
        printf '%9s' "$secs"
        prev=$last; last=$secs; mb=$(stat -c %s "$f")
    done
    awk -v a="$prev" -v b="$last" -v mb="$mb" -v rss="$rss" 'BEGIN {
        r = (a > 0.02) ? b / a : 0; tp = (b > 0) ? mb / 1048576 / b : 0;
        flag = (r > 2.5 || (tp > 0 && tp < 2)) ? " !" : "";
        printf "%8s %8.1f %8s%s\n", (r > 0 ? sprintf("%.2f", r) : "-"), tp, rss, flag }'
done
