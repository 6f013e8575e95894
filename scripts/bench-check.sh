#!/usr/bin/env bash
# In-process benchmarks (Benchmarks/, ordo-one/benchmark) checked against the committed thresholds in
# Benchmarks/Thresholds/: more than 10% more instructions or allocations per report (p90) than recorded fails.
# Not part of `swift test`: the benchmark package builds ordo-one/benchmark and the whole of ogilint in release.
# Usage: scripts/bench-check.sh            run and check; exit 1 on a regression
#        scripts/bench-check.sh --update   run and record new thresholds (commit Benchmarks/Thresholds/ after)
#        scripts/bench-check.sh --run      run and print the full results table, check nothing
# Instructions in-process need the machine's performance counters (perf_event_open; `perf stat -e
# instructions true` tells); where they are missing, as on the 2-core VMs here, the benchmark package records
# none, so this script also counts instructions with valgrind (callgrind counts the same on a busy machine):
# one text report from process start to exit, each further report of a 20-report batch, one DOCX as Word
# saves it (scripts/make-word-docx.py: a part the DOCX scanner must read without libxml2), one web page as Word
# saves it (scripts/make-web-page.py) and one report in traditional characters (a rendering), against
# Benchmarks/Thresholds/callgrind-instructions.txt, with the same 10% margin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Instructions of the release ogilint (static Swift runtime, as shipped), counted by callgrind.
# Prints "one-text-report N", "per-batch-report N", "one-word-docx-report N", "one-web-page-report N" and
# "one-traditional-report N".
# Built and run from the checkout's root, in a subshell: the script is in Benchmarks/ when it counts, and a build
# there is the Benchmarks package's own build of ogilint (a dependency: shared Swift runtime, position-independent,
# about 28 M instructions for one text report against the shipped program's 12.6 M).
callgrind_counts() (
  cd "$root"
  swift build -c release --static-swift-stdlib --product ogilint >/dev/null
  local bin tmp
  bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/ogilint"
  tmp=$(mktemp -d)
  # valgrind 3.19 cannot read the Swift DWARF of this binary; the symbol table is enough to count.
  objcopy --strip-debug "$bin" "$tmp/ogilint"
  for i in $(seq 0 19); do cp "$root/samples/clean-2021-government.txt" "$tmp/r$i.txt"; done
  mkdir "$tmp/batch" && mv "$tmp"/r*.txt "$tmp/batch/" && cp "$tmp/batch/r0.txt" "$tmp/one.txt"
  python3 "$root/scripts/make-word-docx.py" "$root/samples/clean-2021-government.docx" "$tmp/word.docx"
  python3 "$root/scripts/make-web-page.py" "$root/samples/clean-2021-government.html" "$tmp/web.html"
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$tmp/ogilint" check --fail-on never --format json "$1" 2>&1 >/dev/null | awk '/refs:/ { gsub(",", "", $NF); print $NF }'; }
  local one many word web hant
  # A rule cache entry is trusted only by the executable that wrote it, and under valgrind that is another
  # executable than a plain run's: one run first, so both counts load the rules from a warm cache.
  count "$tmp/one.txt" >/dev/null
  one=$(count "$tmp/one.txt"); many=$(count "$tmp/batch"); word=$(count "$tmp/word.docx")
  # A page saved from Word (its HTML parse errors dropped before libxml2 formats them) and a report in
  # traditional characters (read again in simplified ones, without ICU's transliterator).
  web=$(count "$tmp/web.html"); hant=$(count "$root/samples/renderings/cell-blank.hant.txt")
  rm -rf "$tmp"
  echo "one-text-report $one"
  echo "per-batch-report $(( (many - one) / 19 ))"
  echo "one-word-docx-report $word"
  echo "one-web-page-report $web"
  echo "one-traditional-report $hant"
)
counts_file="$root/Benchmarks/Thresholds/callgrind-instructions.txt"

OGILINT_BENCH_PDF=$(scripts/bench-pdf.sh)
export OGILINT_BENCH_PDF
cd Benchmarks
# Only the counts are recorded and checked: times and resident memory vary with the machine's load.
guarded=(--metric instructions --metric mallocCountTotal --path "$(pwd)/Thresholds")
case "${1:-}" in
  --update)
    swift package --allow-writing-to-package-directory benchmark thresholds update "${guarded[@]}" --no-progress
    if command -v valgrind >/dev/null; then callgrind_counts | tee "$counts_file"; fi
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
    if [ "$status" = 0 ] && command -v valgrind >/dev/null && [ -s "$counts_file" ]; then
      echo "instructions (callgrind), against $counts_file:"
      while read -r name now; do
        recorded=$(awk -v n="$name" '$1 == n { print $2 }' "$counts_file")
        verdict=$(awk -v now="$now" -v rec="$recorded" 'BEGIN { d = (now - rec) * 100 / rec; printf "%+.1f%%%s", d, (d > 10 ? " REGRESSION" : (d < -10 ? " better" : "")) }')
        echo "  $name: $now (recorded $recorded, $verdict)"
        case "$verdict" in *REGRESSION*) status=3 ;; esac
      done < <(callgrind_counts)
    fi
    if [ "$status" = 0 ]; then
      echo "bench-check: within 10% of the committed thresholds"
    elif [ "$status" = 3 ]; then
      echo "bench-check: REGRESSION: more than 10% more instructions than recorded (above)" >&2; exit 1
    elif grep -q "benchmarkThresholdRegression\|is WORSE than" "$log"; then
      echo "bench-check: REGRESSION: more than 10% worse than the committed thresholds (tables above)" >&2; exit 1
    elif grep -q "benchmarkThresholdImprovement\|is BETTER than" "$log"; then
      echo "bench-check: better than the committed thresholds by more than 10%; record the gain with scripts/bench-check.sh --update"
    else
      echo "bench-check: the benchmark run failed (exit $status)" >&2; exit 2
    fi ;;
  *) echo "usage: scripts/bench-check.sh [--update | --run]" >&2; exit 2 ;;
esac
