#!/usr/bin/env bash
# Bytes downloaded per search query on a generated site (default 10,000
# stories): builds it with the release binary, serves it over HTTP and
# measures queries in headless Chromium (tests/browser/measure-search.mjs).
# Needs what the browser tests need: node with tests/browser/node_modules
# (npm ci there), Chromium at /usr/bin/chromium (or $BRIEF_CHROMIUM), python3.
#
#   scripts/search-bytes.sh [STORIES] [QUERY...]
set -euo pipefail
cd "$(dirname "$0")/.."
stories=${1:-10000}
shift || true

tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

cargo build --release --quiet --bin brief --example gencorpus
target/release/examples/gencorpus --stories "$stories" --seed 1 --out "$tmp/site" >/dev/null
mkdir -p "$tmp/www"
python3 tests/browser/serve.py "$tmp/www" >"$tmp/serve.log" &
server=$!
for _ in $(seq 100); do
  grep -q "serving at" "$tmp/serve.log" && break
  sleep 0.1
done
url=$(sed -n 's/^serving at \(http[^ ]*\).*/\1/p' "$tmp/serve.log")
[ -n "$url" ] || { echo "the file server did not start" >&2; exit 1; }
target/release/brief build --root "$tmp/site" --output "$tmp/www/gen" --base-url "${url}gen/"
echo "search index: $(du -sh "$tmp/www/gen/search/index" | cut -f1) in $(find "$tmp/www/gen/search/index" -type f | wc -l) files"
node tests/browser/measure-search.mjs "${url}gen/" "$@"
