#!/usr/bin/env bash
# Process-level benchmark of ogilint against the floor program (scripts/floor/floor.swift), release builds
# with the static Swift runtime. Prints one Markdown table:
#   - one report per format (text, DOCX, HTML, PDF, the DOCX sample as Word saves it, by scripts/make-word-docx.py,
#     and the HTML sample saved from Word as a portal's web page by scripts/make-web-page.py), process start to exit: ogilint's time as a multiple of
#     the floor's (PDF: of pdftotext + the floor), wall clock and CPU (user + system), from paired hyperfine
#     runs (ROUNDS rounds, each timing the floor and ogilint back to back; the ratio is the median of the
#     rounds' ratios, so drift in the machine's load hits both sides alike); each ratio also against the floor
#     linked at a fixed address as the release ogilint is (Package.swift, fixedAddressLinkerSettings), which does
#     not pay the start-up relocations of the default (position-independent) floor;
#   - batches of 1,000 and 10,000 generated text reports (100,000 with --full), 1,000 copies of the shared
#     corpus's real reports when it is there (../shared/corpus or $OGILINT_BENCH_CORPUS), plus 1,000 DOCX,
#     1,000 Word-saved DOCX, 1,000 HTML and 1,000 Word-saved web-page reports, each run BATCH_RUNS times:
#     the median run's reports/s and CPU per report, and the range of reports/s over the runs;
#   - peak RSS (/usr/bin/time -v) for every row, and the page faults of one report;
#   - the size of both binaries (as built and stripped).
# Usage: scripts/bench.sh [--runs N] [--rounds R] [--batch-runs B] [--full] [--no-batch]
#   --runs N    hyperfine runs per command and round (default 20)
#   --batch-runs B  runs of each batch row (default 3); the row gives the median run's throughput and the
#               range over the runs (a batch on a shared 2-core machine moves by a tenth or more between runs)
#   --rounds R  paired rounds per format (default 5)
#   --full      also the batch of 100,000 text reports (about 3 minutes at today's speed, ~1 GB of temp files)
#   --no-batch  single-report rows only
# OGILINT_BIN=PATH measures that ogilint binary instead of building this checkout's.
# Needs: hyperfine, /usr/bin/time (GNU time), python3, pdftotext; LibreOffice to make the PDF sample from the
# HTML sample (scripts/bench-pdf.sh), else /work/shared/corpus/original/huaian-shi-2024.pdf or $OGILINT_BENCH_PDF is used.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=20; rounds=5; batch_runs=3; full=0; batch=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --batch-runs) batch_runs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --full) full=1; shift ;;
    --no-batch) batch=0; shift ;;
    *) echo "bench.sh: unknown option $1 (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
for tool in hyperfine python3 pdftotext; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench.sh: GNU time is not installed (apt-get install time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Builds quietly; shows the build's output only when it fails.
quiet() { "$@" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 2; }; }

echo "building ogilint and the floor (release, static Swift runtime)..." >&2
if [ -n "${OGILINT_BIN:-}" ]; then
  bin="$OGILINT_BIN"   # an ogilint built elsewhere, e.g. a copy of an earlier build to compare with
else
  quiet swift build -c release --static-swift-stdlib --product ogilint
  bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/ogilint"
fi
quiet swift build -c release --static-swift-stdlib --package-path scripts/floor
floor="$(swift build -c release --static-swift-stdlib --package-path scripts/floor --show-bin-path)/floor"
# The floor at a fixed address, as the release ogilint is linked on Linux (its own build folder).
fixed_flags=(-c release --static-swift-stdlib --package-path scripts/floor --scratch-path "$root/.build-floor-fixed"
  -Xswiftc -Xclang-linker -Xswiftc -no-pie -Xlinker -z -Xlinker now)
quiet swift build "${fixed_flags[@]}"
fixed_floor="$(swift build "${fixed_flags[@]}" --show-bin-path)/floor"

pdf=$(scripts/bench-pdf.sh)

# Peak RSS in MB of one command and its minor page faults, from GNU time.
peak_mb() {
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time.txt" || true
  awk -F': ' '/Maximum resident set size/ { rss = $2 / 1024 } /Minor \(reclaiming a frame\) page faults/ { faults = $2 }
    END { printf "%.1f MB, %d page faults", rss, faults }' "$tmp/time.txt"
}
# Size in MB of a binary as built and stripped.
size_mb() {
  strip -o "$tmp/stripped" "$1"
  printf "%.1f MB (%.1f MB stripped)" "$(stat -c %s "$1")e-6" "$(stat -c %s "$tmp/stripped")e-6"
}

# One single-report row: FORMAT FILE. The floor side of a PDF is pdftotext (as ogilint runs it) + the floor.
rows="$tmp/rows.txt"; : >"$rows"
single() {
  local format="$1" file="$2" base fixed
  if [ "$format" = PDF ]; then
    printf '#!/bin/sh\npdftotext -layout -enc UTF-8 -q "$1" "%s/floor-pdf.txt" && exec "%s" "$1"\n' "$tmp" "$floor" >"$tmp/floor-pdf.sh"
    printf '#!/bin/sh\npdftotext -layout -enc UTF-8 -q "$1" "%s/floor-pdf.txt" && exec "%s" "$1"\n' "$tmp" "$fixed_floor" >"$tmp/fixed-pdf.sh"
    chmod +x "$tmp/floor-pdf.sh" "$tmp/fixed-pdf.sh"
    base="$tmp/floor-pdf.sh"; fixed="$tmp/fixed-pdf.sh"
  else
    base="$floor"; fixed="$fixed_floor"
  fi
  for r in $(seq "$rounds"); do
    hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$tmp/$format-$r.json" \
      "$base $file" "$fixed $file" "$bin check --fail-on never $file" >/dev/null 2>&1
  done
  local rss_base rss_ogi
  rss_base=$(peak_mb "$base" "$file")
  rss_ogi=$(peak_mb "$bin" check --fail-on never "$file")
  python3 - "$format" "$rss_base" "$rss_ogi" "$tmp"/"$format"-*.json >>"$rows" <<'EOF'
import json, statistics, sys
fmt, rss_base, rss_ogi, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
wall_ratios, cpu_ratios, base_ms, ogi_ms, base_cpu, ogi_cpu, fixed_ratios = [], [], [], [], [], [], []
for f in files:
    base, fixed, ogi = json.load(open(f))["results"]
    wall_ratios.append(ogi["median"] / base["median"])
    fixed_ratios.append(ogi["median"] / fixed["median"])
    cpu_ratios.append((ogi["user"] + ogi["system"]) / (base["user"] + base["system"]))
    base_ms.append(base["median"] * 1e3); ogi_ms.append(ogi["median"] * 1e3)
    base_cpu.append((base["user"] + base["system"]) * 1e3); ogi_cpu.append((ogi["user"] + ogi["system"]) * 1e3)
m = statistics.median
floor_name = "pdftotext + floor" if fmt == "PDF" else "floor"
label = {"web": "Word-saved web page (330 KB)", "word": "Word-saved DOCX (380 KB document.xml)"}.get(fmt, fmt)
print(f"| one {label} report | {m(ogi_ms):.1f} ms wall, {m(ogi_cpu):.1f} ms CPU | {floor_name}: {m(base_ms):.1f} ms wall, {m(base_cpu):.1f} ms CPU "
      f"| **{m(wall_ratios):.2f}×** wall, **{m(cpu_ratios):.2f}×** CPU ({m(fixed_ratios):.2f}× wall against the floor at a fixed address) "
      f"| {rss_ogi} (floor {rss_base}) |")
EOF
}

echo "timing single reports ($rounds paired rounds of $runs runs each)..." >&2
single text "$root/samples/clean-2021-government.txt"
single DOCX "$root/samples/clean-2021-government.docx"
# The DOCX sample as Word saves it: Word's namespaces, revision ids and run properties (380 KB of document.xml).
python3 "$root/scripts/make-word-docx.py" "$root/samples/clean-2021-government.docx" "$tmp/word-2021.docx"
python3 "$root/scripts/make-word-docx.py" "$root/samples/clean-2019-department.docx" "$tmp/word-2019.docx"
single word "$tmp/word-2021.docx"
single HTML "$root/samples/clean-2021-government.html"
# The HTML sample as agencies publish it: saved from Word as a web page inside a portal page (about 330 KB).
python3 "$root/scripts/make-web-page.py" "$root/samples/clean-2021-government.html" "$tmp/web-2021.html"
python3 "$root/scripts/make-web-page.py" "$root/samples/clean-2019-department.html" "$tmp/web-2019.html"
single web "$tmp/web-2021.html"
single PDF "$pdf"

# One batch row: COUNT EXTENSION SOURCES...; copies the sources round-robin into a folder and checks the folder
# `batch_runs` times: the row gives the median run's throughput (wall clock in nanoseconds around the run), the
# range over the runs, that run's CPU per report and the largest peak RSS (GNU time).
batch_row() {
  local count="$1" ext="$2"; shift 2
  local dir="$tmp/batch-$ext-$count"
  mkdir -p "$dir"
  local sources=("$@") n=${#sources[@]} i=0
  while [ "$i" -lt "$count" ]; do
    cp "${sources[$((i % n))]}" "$dir/r$i.$ext"
    i=$((i + 1))
  done
  local r=1 start end
  while [ "$r" -le "$batch_runs" ]; do
    start=$(date +%s%N)
    /usr/bin/time -v "$bin" check --fail-on never --format json "$dir" >/dev/null 2>"$tmp/time-$r.txt"
    end=$(date +%s%N)
    echo "$((end - start))" >"$tmp/wall-$r.txt"
    r=$((r + 1))
  done
  python3 - "$count" "$ext" "$(nproc)" "$tmp" "$batch_runs" >>"$rows" <<'EOF'
import re, statistics, sys
count, ext, cores, tmp, runs = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
measured = []
for r in range(1, runs + 1):
    text = open(f"{tmp}/time-{r}.txt").read()
    def field(name):
        return re.search(re.escape(name) + r": (.*)", text).group(1).strip()
    wall = int(open(f"{tmp}/wall-{r}.txt").read()) / 1e9
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    measured.append((wall, cpu, rss))
walls = sorted(m[0] for m in measured)
wall = statistics.median_low(walls)
cpu = next(m[1] for m in measured if m[0] == wall)
rss = max(m[2] for m in measured)
label = {"txt": "text", "docx": "DOCX", "html": "HTML"}[ext]
spread = f"; {count / walls[-1]:,.0f}–{count / walls[0]:,.0f} over {runs} runs" if runs > 1 else ""
print(f"| batch of {count:,} {label} reports, {cores} cores | **{count / wall:,.0f} reports/s** ({wall:.2f} s wall{spread}) "
      f"| {cpu / count * 1e3:.2f} ms CPU per report | | {rss:.1f} MB |")
EOF
  rm -rf "$dir"
}

if [ "$batch" = 1 ]; then
  texts=("$root"/samples/clean-2019-department.txt "$root"/samples/clean-2021-government.txt "$root"/samples/broken/*.txt)
  sizes=(1000 10000)
  [ "$full" = 1 ] && sizes+=(100000)
  for count in "${sizes[@]}"; do
    echo "batch of $count text reports..." >&2
    batch_row "$count" txt "${texts[@]}"
  done
  # Real published reports, when the shared corpus sits beside the checkout (../shared/corpus, or
  # $OGILINT_BENCH_CORPUS): cut pages, traditional-character copies and converter noise that the samples lack.
  corpus="${OGILINT_BENCH_CORPUS:-$root/../shared/corpus}"
  if compgen -G "$corpus/*.txt" >/dev/null; then
    echo "batch of 1000 corpus reports..." >&2
    batch_row 1000 txt "$corpus"/*.txt
    sed -i '$ s/text reports/corpus text reports/' "$rows"
  fi
  echo "batches of 1000 DOCX and HTML reports..." >&2
  batch_row 1000 docx "$root"/samples/clean-2019-department.docx "$root"/samples/clean-2021-government.docx
  batch_row 1000 docx "$tmp/word-2019.docx" "$tmp/word-2021.docx"
  sed -i '$ s/DOCX reports/Word-saved DOCX reports/' "$rows"
  batch_row 1000 html "$root"/samples/clean-2019-department.html "$root"/samples/clean-2021-government.html
  batch_row 1000 html "$tmp/web-2019.html" "$tmp/web-2021.html"
  sed -i '$ s/HTML reports/Word-saved web-page reports (330 KB)/' "$rows"
fi

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "ogilint ${OGILINT_BIN:-$(git rev-parse --short HEAD)} on $(date -u +%Y-%m-%d), $(uname -m) ${cpu:-unknown CPU}, $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(swift --version 2>/dev/null | head -1 | sed 's/ (.*//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# Which allocator the measured ogilint uses: mimalloc when it loads it (Package.swift links it where the system has it
# when SwiftPM reads the manifest), else glibc's with the block cache in front (Sources/COGIMallocCache).
# ldd's output is read whole before grep (`ldd | grep -q` under pipefail fails when grep stops reading first).
loaded=$(ldd "$bin" 2>/dev/null || true)
if grep -q mimalloc <<<"$loaded"; then allocator="mimalloc"; else allocator="glibc's (with ogilint's block cache)"; fi
echo "binaries: ogilint $(size_mb "$bin"), floor $(size_mb "$floor"); ogilint's allocator: $allocator"
echo
echo "| what | ogilint | floor / measure | ratio | peak RSS |"
echo "|---|---|---|---|---|"
cat "$rows"
[ "$full" = 1 ] || [ "$batch" = 0 ] || echo "(100,000 reports: run with --full)"
