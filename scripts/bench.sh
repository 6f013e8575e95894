#!/usr/bin/env bash
# Benchmark: one report end to end (process start to exit) and a batch of 1,000 reports, release build.
# Usage: scripts/bench.sh [RUNS]   (RUNS single-report runs to average; default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
# A statically linked Swift runtime, as a Linux CLI is shipped: it starts in about half the time.
swift build -c release --static-swift-stdlib --product ogilint >/dev/null
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/ogilint"
sample=samples/clean-2021-government.txt

now() { date +%s%N; }

"$bin" check "$sample" >/dev/null   # warm the file cache
start=$(now)
for _ in $(seq "$runs"); do "$bin" check "$sample" >/dev/null; done
end=$(now)
single_ms=$(awk -v s="$start" -v e="$end" -v n="$runs" 'BEGIN { printf "%.1f", (e - s) / n / 1e6 }')
# What the same loop costs for /bin/true: the shell's own fork and exec, included above.
start=$(now)
for _ in $(seq "$runs"); do /bin/true; done
end=$(now)
spawn_ms=$(awk -v s="$start" -v e="$end" -v n="$runs" 'BEGIN { printf "%.1f", (e - s) / n / 1e6 }')
echo "single report ($sample), process start to exit: ${single_ms} ms (mean of $runs runs; the loop's own spawn cost, measured with /bin/true: ${spawn_ms} ms)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt 1000 ]; do
  for f in samples/clean-2019-department.txt samples/clean-2021-government.txt samples/broken/*.txt; do
    [ "$i" -lt 1000 ] || break
    cp "$f" "$tmp/r$i.txt"; i=$((i + 1))
  done
done
start=$(now)
"$bin" check --fail-on never --format json "$tmp"/*.txt >/dev/null
end=$(now)
awk -v s="$start" -v e="$end" -v cores="$(nproc)" 'BEGIN { t = (e - s) / 1e9; printf "batch of 1000 reports: %.2f s, %.0f reports/s on %d cores\n", t, 1000 / t, cores }'
