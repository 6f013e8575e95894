#!/usr/bin/env bash
# CI: fuzzes every libFuzzer target briefly (FUZZ_SECONDS each, 20 by default) and fails when any input
# crashes, hangs or runs out of memory, printing the reproducer's path. A smoke test that keeps the harness
# building and catches shallow regressions; longer runs are `scripts/fuzz.sh TARGET SECONDS`.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
start=$(date +%s)
echo "ci-fuzz: building Fuzz/ (libFuzzer + AddressSanitizer)"
log=$(mktemp)
build() { swift build --package-path Fuzz -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$log" 2>&1; }
# Retried once, as in fuzz.sh (a stale incremental build after the main manifest changed).
if ! build && ! build; then
  grep -v "Cannot export local symbol" "$log" | tail -n 40 >&2
  rm -f "$log"
  echo "ci-fuzz: FAILED to build the fuzz targets" >&2
  exit 1
fi
rm -f "$log"
echo "ci-fuzz: built in $(( $(date +%s) - start ))s"
failed=()
for target in text docx html model rulepack config; do
  scripts/fuzz.sh "$target" "$seconds" || failed+=("$target")
done
echo "ci-fuzz: $(( $(date +%s) - start ))s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "ci-fuzz: FAILED: ${failed[*]} (reproducers listed above; each becomes a test in Tests/OGILintTests/FuzzRegressionTests.swift and an input in Fuzz/regressions/TARGET/)" >&2
  exit 1
fi
echo "ci-fuzz: every target ran ${seconds}s without a crash, hang or out-of-memory"
