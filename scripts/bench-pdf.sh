#!/usr/bin/env bash
# Prints the path of the PDF sample the benchmarks use: $OGILINT_BENCH_PDF when set; else the HTML sample
# converted once by LibreOffice into .build-bench/ (ignored by git); else the corpus PDF when present.
# (The HTML sample, not the DOCX one: LibreOffice 7.4 refuses the minimal DOCX that make-samples.py writes.)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${OGILINT_BENCH_PDF:-}" ]; then echo "$OGILINT_BENCH_PDF"; exit 0; fi
pdf="$(pwd)/.build-bench/clean-2021-government.pdf"
if [ ! -s "$pdf" ] && command -v libreoffice >/dev/null; then
  mkdir -p .build-bench
  echo "making the PDF sample from the HTML sample with LibreOffice..." >&2
  # A profile of its own, so a LibreOffice already running for someone else does not swallow the request.
  libreoffice -env:UserInstallation="file://$(pwd)/.build-bench/libreoffice-profile" --headless \
    --convert-to pdf:writer_web_pdf_Export --outdir "$(pwd)/.build-bench" "$(pwd)/samples/clean-2021-government.html" >/dev/null 2>&1 || true
fi
if [ ! -s "$pdf" ] && [ -s /work/shared/corpus/original/huaian-shi-2024.pdf ]; then
  pdf=/work/shared/corpus/original/huaian-shi-2024.pdf
fi
[ -s "$pdf" ] || { echo "no PDF sample: install LibreOffice (apt-get install libreoffice-writer) or set OGILINT_BENCH_PDF" >&2; exit 2; }
echo "$pdf"
