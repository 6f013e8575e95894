#!/usr/bin/env bash
# Regenerates samples/: the text samples from scripts/make-samples.py, then the report-model YAML
# of each clean sample with `ogilint model` (so the model files show exactly what the reader extracts).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/make-samples.py
swift build -c debug --product ogilint >/dev/null
bin="$(swift build -c debug --show-bin-path)/ogilint"
for f in samples/clean-2019-department samples/clean-2021-government; do
  "$bin" model "$f.txt" --format yaml > "$f.yml"
  "$bin" model "$f.txt" --format json > "$f.json"
done
echo "wrote samples/*.yml and samples/*.json" >&2
