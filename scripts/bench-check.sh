#!/usr/bin/env bash
# In-process benchmarks (Benchmarks/, ordo-one/benchmark) checked against the committed thresholds in
# Benchmarks/Thresholds/: more than 10% more instructions or allocations per report (p90) than recorded fails.
# Not part of `swift test`: the benchmark package builds ordo-one/benchmark and the whole of ogilint in release.
# Usage: scripts/bench-check.sh            run and check; exit 1 on a regression
#        scripts/bench-check.sh --update   run and record new thresholds (commit Benchmarks/Thresholds/ after)
#        scripts/bench-check.sh --run      run and print the full results table, check nothing
# Instructions need the machine's performance counters (perf_event_open; `perf stat -e instructions true`
# tells); where they are missing, as on 2-core CI VMs here, the instruction rows read zero and only the
# allocation counts guard.
set -euo pipefail
cd "$(dirname "$0")/.."
OGILINT_BENCH_PDF=$(scripts/bench-pdf.sh)
export OGILINT_BENCH_PDF
cd Benchmarks
# Only the counts are recorded and checked: times and resident memory vary with the machine's load.
guarded=(--metric instructions --metric mallocCountTotal --path "$(pwd)/Thresholds")
case "${1:-}" in
  --update)
    swift package --allow-writing-to-package-directory benchmark thresholds update "${guarded[@]}" --no-progress
    echo "thresholds written to Benchmarks/Thresholds/; review and commit them" ;;
  --run)
    swift package benchmark --no-progress ;;
  "")
    # `swift package` turns the tool's exit codes (2 regression, 4 improvement) into 1; its last words tell.
    log=$(mktemp); trap 'rm -f "$log"' EXIT
    set +e
    swift package benchmark thresholds check "${guarded[@]}" --no-progress 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" = 0 ]; then
      echo "bench-check: within 10% of the committed thresholds"
    elif grep -q "benchmarkThresholdRegression\|is WORSE than" "$log"; then
      echo "bench-check: REGRESSION: more than 10% worse than the committed thresholds (tables above)" >&2; exit 1
    elif grep -q "benchmarkThresholdImprovement\|is BETTER than" "$log"; then
      echo "bench-check: better than the committed thresholds by more than 10%; record the gain with scripts/bench-check.sh --update"
    else
      echo "bench-check: the benchmark run failed (exit $status)" >&2; exit 2
    fi ;;
  *) echo "usage: scripts/bench-check.sh [--update | --run]" >&2; exit 2 ;;
esac
