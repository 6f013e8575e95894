#!/usr/bin/env bash
# Runs the real-browser test of `ogilint serve` (scripts/browser-test.py), installing what it needs when it
# is missing: Debian's chromium, chromium-driver and fonts-noto-cjk (so the Chinese page renders), and
# selenium from PyPI. Builds ogilint first when no debug build is there.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "ci-browser-test: installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
# `ogilint serve` runs the program ogilint-server beside ogilint: both are needed.
[ -x .build/debug/ogilint ] || swift build --product ogilint
[ -x .build/debug/ogilint-server ] || swift build --product ogilint-server
python3 scripts/browser-test.py --ogilint .build/debug/ogilint --out .build/browser-test "$@"
