#!/usr/bin/env bash
# Fuzzes one of ogilint's input parsers with libFuzzer for a number of seconds.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   scripts/fuzz.sh TARGET --repro FILE...     # run saved inputs once (no fuzzing), e.g. a crash file
#
# TARGET: text, docx, html, model, rulepack or config (see Fuzz/README.md). Builds Fuzz/ (a separate
# SwiftPM package) when needed, seeds from samples/, rules/, Fuzz/seeds/ and Fuzz/regressions/, keeps the
# growing corpus in Fuzz/.corpus/TARGET and writes crashes, hangs (timeout-*) and out-of-memory inputs
# (oom-*) to Fuzz/.crashes/TARGET/. Exit status: 0 when nothing was found, 1 when an input crashed, hung or
# ran out of memory (its path is printed), 2 on a usage or build error.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

targets="text docx html model rulepack config"
usage() { echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options]   (TARGET: ${targets// /, })" >&2; exit 2; }
[ $# -ge 2 ] || usage
target=${1#fuzz-}; shift
case " $targets " in *" $target "*) ;; *) echo "fuzz.sh: unknown target '$target'" >&2; usage ;; esac

# Longest input per format: a little above the largest seed, so mutations can grow it without the
# fuzzer spending its time on megabyte inputs (the readers' size budgets have their own tests).
case $target in
  text|html) max_len=65536 ;;
  docx|model) max_len=131072 ;;
  rulepack) max_len=32768 ;;
  config) max_len=8192 ;;
esac

# Build (incremental: a no-op when nothing changed). libFuzzer + AddressSanitizer, debug so that
# preconditions and overflow checks trap; -parse-as-library because libFuzzer supplies the entry.
build_log=$(mktemp)
build() { swift build --package-path Fuzz -c debug --product "fuzz-$target" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$build_log" 2>&1; }
# Retried once: after the main package's manifest gains a target, SwiftPM's first incremental build of Fuzz/
# can compile a module before its new dependency ("no such module"); the second build is right.
if ! build && ! build; then
  grep -v "Cannot export local symbol" "$build_log" | tail -n 40 >&2
  rm -f "$build_log"
  echo "fuzz.sh: building fuzz-$target failed" >&2
  exit 2
fi
rm -f "$build_log"
binary="$root/Fuzz/.build/debug/fuzz-$target"

export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export OGILINT_RULES="$root/rules"
# Swift's own crash backtracer does not run under AddressSanitizer; libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no

if [ "$1" = "--repro" ]; then
  shift
  [ $# -ge 1 ] || usage
  exec "$binary" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 "$@"
fi
seconds=$1; shift
[[ "$seconds" =~ ^[0-9]+$ ]] || usage

# Seeds, rebuilt on each run from the repository (never edited by the fuzzer).
seeds="$root/Fuzz/.seeds/$target"
corpus="$root/Fuzz/.corpus/$target"
crashes="$root/Fuzz/.crashes/$target"
rm -rf "$seeds"; mkdir -p "$seeds" "$corpus" "$crashes"
copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$seeds/$(echo "$f" | tr '/' '_')"; done; return 0; }
shopt -s nullglob
case $target in
  text) copy samples/*.txt samples/broken/*.txt samples/province-example/examples/*.txt ;;
  html) copy samples/*.html samples/broken/*.html ;;
  docx)
    copy samples/*.docx samples/broken/*.docx
    # The other half of the target: a bare word/document.xml, wrapped into a stored zip by the target.
    python3 - "$seeds" samples/*.docx samples/broken/*.docx <<'PY'
import os, sys, zipfile
out = sys.argv[1]
for path in sys.argv[2:]:
    with zipfile.ZipFile(path) as z:
        with open(os.path.join(out, os.path.basename(path) + ".document.xml"), "wb") as f:
            f.write(z.read("word/document.xml"))
PY
    ;;
  model) copy samples/*.yml samples/*.json ;;
  rulepack) copy rules/national/*.yml samples/province-example/*.yml ;;
  config) copy Fuzz/seeds/config/* ;;
esac
copy Fuzz/seeds/"$target"/* Fuzz/regressions/"$target"/*

echo "fuzz.sh: fuzz-$target for ${seconds}s, seeds $(ls "$seeds" | wc -l), corpus $(ls "$corpus" | wc -l), crashes to $crashes/"
before=$(ls "$crashes" | wc -l)
log="$crashes/last-run.log"
"$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
  -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$crashes/" "$@" "$corpus" "$seeds" >"$log" 2>&1
status=$?
grep -aE "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)" "$log" | sed 's/^/  /'
found=$(ls "$crashes" | grep -v '^last-run.log$' | wc -l)
if [ "$status" -ne 0 ] || [ "$found" -gt "$before" ]; then
  grep -aE "^==[0-9]+==ERROR|SUMMARY|Fatal error|ALARM|out-of-memory|Test unit written" "$log" | head -n 10 >&2
  echo "fuzz.sh: fuzz-$target FOUND A PROBLEM (exit $status); full log: $log" >&2
  for f in $(ls -t "$crashes" | grep -v '^last-run.log$' | head -n 5); do
    echo "  reproducer: $crashes/$f   (rerun: scripts/fuzz.sh $target --repro $crashes/$f)" >&2
  done
  exit 1
fi
echo "fuzz.sh: fuzz-$target: nothing found"
exit 0
