#!/usr/bin/env bash
# Peak memory (max RSS, from /usr/bin/time -v) of `telltale check` on many
# files against one file, for docs/hardening.md.
#
#   cargo build --release
#   benches/memory.sh [BINARY] [WORK_DIR]
#
# Builds the inputs from the prose in corpus/ (repeated to size), then runs
# the binary on: one 1 MB file; 100 files of 1 MB; one 100 MB file; and one
# 20 MB file followed by 2,000 files of 50 KB (a slow first document, the
# case that tests the reorder buffer). Prints one line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/telltale}
work=${2:-$(mktemp -d)}
mkdir -p "$work"

python3 - "$work" <<'PY'
import pathlib, sys
work = pathlib.Path(sys.argv[1])
seed = "\n\n".join(p.read_text() for p in sorted(pathlib.Path("corpus").rglob("*")) if p.is_file())
def sized(n):
    reps = n // len(seed) + 1
    return (seed + "\n\n") * reps
def write(path, n):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = sized(n)
    path.write_text(text[: text.rfind("\n\n", 0, n) + 1])
write(work / "one-1mb" / "doc.md", 1 << 20)
for i in range(100):
    write(work / "many-1mb" / f"doc{i:03}.md", 1 << 20)
write(work / "one-100mb" / "doc.md", 100 << 20)
write(work / "skewed" / "000-big.md", 20 << 20)
for i in range(2000):
    write(work / "skewed" / f"doc{i:04}.md", 50 << 10)
PY

for case in one-1mb many-1mb one-100mb skewed; do
    total=$(du -sb "$work/$case" | cut -f1)
    files=$(find "$work/$case" -type f | wc -l)
    /usr/bin/time -v "$bin" check --quiet --threads 2 --format json --fail-on never \
        "$work/$case" > "$work/$case.json" 2> "$work/$case.time" || true
    rss=$(grep "Maximum resident" "$work/$case.time" | awk '{print $NF}')
    secs=$(grep "Elapsed (wall clock)" "$work/$case.time" | awk '{print $NF}')
    out=$(stat -c %s "$work/$case.json")
    printf '%-10s files=%-5s input=%5d MB  peak_rss=%5d MB  wall=%s  json=%d KB\n' \
        "$case" "$files" $((total >> 20)) $((rss >> 10)) "$secs" $((out >> 10))
done

# SARIF and JSON both stream their findings (SARIF once kept them all): compare
for format in json sarif; do
    /usr/bin/time -v "$bin" check --quiet --threads 2 --format "$format" --fail-on never \
        "$work/many-1mb" > "$work/many.$format" 2> "$work/many.$format.time" || true
    rss=$(grep "Maximum resident" "$work/many.$format.time" | awk '{print $NF}')
    printf 'many-1mb as %-5s peak_rss=%5d MB  output=%d KB\n' \
        "$format" $((rss >> 10)) $(($(stat -c %s "$work/many.$format") >> 10))
done
