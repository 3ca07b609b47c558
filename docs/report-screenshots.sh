#!/usr/bin/env bash
# Regenerates the README's screenshots of `telltale report` from the corpus
# digest, with headless Chromium (Debian: apt-get install -y chromium).
# The second shot is the same page with the "Word pull" view switched on.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --release --quiet -- report --quiet corpus/ai/weekly-digest.md -o "$work/digest.html"
sed 's/<input id="show-pull" type="checkbox">/<input id="show-pull" type="checkbox" checked>/' \
  "$work/digest.html" > "$work/digest-pull.html"
for page in digest digest-pull; do
  out=docs/report.png
  [ "$page" = digest-pull ] && out=docs/report-word-pull.png
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    "--host-resolver-rules=MAP * ~NOTFOUND" --user-data-dir="$work/profile" \
    --hide-scrollbars --window-size=1280,1640 --screenshot="$PWD/$out" \
    "file://$work/$page.html" 2>/dev/null
done
