#!/usr/bin/env bash
# Renders the HTML report of a few samples in headless Chromium (Debian package `chromium`), fails on any
# JavaScript or page error in the browser log, and writes a screenshot.
# Usage: scripts/html-report-screenshot.sh [OUT.png]   (default: bench-out/html-report.png)
# For readable Chinese in the picture install a CJK font too (Debian: fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-out/html-report.png}"
mkdir -p "$(dirname "$out")"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "headless Chromium is needed: apt-get install chromium" >&2; exit 2; }
swift build --product ogilint >/dev/null
bin="$(swift build --show-bin-path)/ogilint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" check --fail-on never --format "html=$tmp/report.html" --quiet \
  samples/broken/app-balance.txt samples/broken/cell-sign-text.docx samples/broken/late-department.html
# No network: every asset is inline. The browser log must show no error from the page.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1800 \
  --enable-logging=stderr --v=0 --screenshot="$out" "file://$tmp/report.html" 2>"$tmp/browser.log" || true
if grep -E "Uncaught|SyntaxError|ReferenceError|TypeError|Failed to load resource" "$tmp/browser.log"; then
  echo "the page logged errors (above)" >&2
  exit 1
fi
[ -s "$out" ] || { echo "no screenshot was written" >&2; cat "$tmp/browser.log" >&2; exit 1; }
echo "wrote $out"
