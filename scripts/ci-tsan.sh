#!/usr/bin/env bash
# CI: runs the tests of the parallel batch path (LintSession checking files on several threads, streaming
# results in input order) under the thread sanitizer, in its own build folder .build-tsan.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
filter=${TSAN_FILTER:-"OGILintTests.(StreamingTests|CIAndConfigTests|FuzzRegressionTests|OrderedParallelTests|WorkerLintersTests.testABatchWithReplicas)|OGIReadersTests.AlignmentDecisionsTests.testThreadsSharingDecisions"}
log=$(mktemp)
# halt_on_error: a data race fails the run even when XCTest would otherwise report success.
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:${TSAN_OPTIONS:-}" SWIFT_BACKTRACE=enable=no \
  swift test --sanitize=thread --scratch-path .build-tsan --filter "$filter" >"$log" 2>&1
status=$?
grep -E "WARNING: ThreadSanitizer|SUMMARY: ThreadSanitizer|Executed [0-9]+ tests|error:|failed" "$log" | tail -n 20
if grep -q "WARNING: ThreadSanitizer" "$log"; then
  status=1
  echo "ci-tsan: data race reported; the first report:" >&2
  sed -n '/WARNING: ThreadSanitizer/,/SUMMARY: ThreadSanitizer/p' "$log" | head -n 60 >&2
fi
rm -f "$log"
echo "ci-tsan: $(( $(date +%s) - start ))s"
[ "$status" -eq 0 ] || { echo "ci-tsan: FAILED (exit $status)" >&2; exit 1; }
echo "ci-tsan: no data race in the parallel batch tests"
