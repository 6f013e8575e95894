#!/usr/bin/env bash
# Formats the Swift sources with swift-format (shipped with the Swift toolchain) using .swift-format.
# Usage: scripts/format.sh          rewrite Sources, Tests and Package.swift in place
#        scripts/format.sh --check  change nothing; list every difference and exit 1 if there is any
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Sources Tests Package.swift)
if ! swift format --version >/dev/null 2>&1; then
  echo "format.sh: 'swift format' not found; it ships with Swift 6 toolchains (swift.org/install)" >&2
  exit 2
fi
case "${1:-}" in
  "") swift format --in-place --parallel --recursive "${paths[@]}" ;;
  --check) swift format lint --strict --parallel --recursive "${paths[@]}" ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
