#!/usr/bin/env bash
# CI: fails when the Swift sources are not formatted as .swift-format says (fix with scripts/format.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
if scripts/format.sh --check; then
  echo "format check: passed"
else
  echo "format check: FAILED: the sources are not formatted; run scripts/format.sh and commit the result" >&2
  exit 1
fi
