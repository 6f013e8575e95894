#!/usr/bin/env bash
# Regenerates Sources/OGIReaders/HantHansRules.swift from the toolchain's ICU (see Package.swift here).
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release >/dev/null
out="../../Sources/OGIReaders/HantHansRules.swift"
"$(swift build -c release --show-bin-path)/hant-hans-keys" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote Sources/OGIReaders/HantHansRules.swift"
