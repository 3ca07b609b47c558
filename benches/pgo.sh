#!/usr/bin/env bash
# A profile-guided (PGO) release build of telltale, for packagers:
#
#   rustup component add llvm-tools
#   benches/pgo.sh                  # writes target/pgo/telltale
#
# Builds an instrumented binary, runs it over the repository's own corpus
# (corpus/: human and generated prose, digests, false alarms; not the
# benchmark corpus the figures are measured on), merges the profile and
# rebuilds with it. LLVM then lays out and inlines the hot paths (the
# Markdown parser, the word scan, the regex engines) by how prose really
# exercises them. docs/performance.md gives the gain. The profile belongs
# to one source tree and compiler: rebuild it rather than keep it.
set -euo pipefail
cd "$(dirname "$0")/.."
profdata="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    echo "error: llvm-profdata not found; run: rustup component add llvm-tools" >&2
    exit 2
fi
work="$PWD/target/pgo"
rm -rf "$work/profiles"
mkdir -p "$work/profiles" "$work/train"

echo "== instrumented build"
RUSTFLAGS="-Cprofile-generate=$work/profiles" \
    cargo build --release --locked --target-dir "$work/gen"
# build scripts ran instrumented too; their profiles are not the linter's
rm -f "$work/profiles"/*.profraw

echo "== training run over corpus/"
gen="$work/gen/release/telltale"
# many small documents on one thread, and one large document cut into
# sections on two, as in use; findings exit 1, so only >1 is an error
for format in json human; do
    "$gen" check --format "$format" --fail-on never -j 1 corpus > /dev/null
done
find corpus -name '*.md' -print0 | sort -z | xargs -0 cat > "$work/train/large.md"
for _ in 1 2 3; do cat "$work/train/large.md"; done > "$work/train/larger.md"
"$gen" check --format json --fail-on never -j 2 "$work/train/larger.md" > /dev/null
"$gen" score corpus > /dev/null

echo "== merge and optimised build"
"$profdata" merge -o "$work/merged.profdata" "$work/profiles"
RUSTFLAGS="-Cprofile-use=$work/merged.profdata -Cllvm-args=-pgo-warn-missing-function=false" \
    cargo build --release --locked --target-dir "$work/use"
cp "$work/use/release/telltale" "$work/telltale"
echo "wrote $work/telltale"
