#!/usr/bin/env bash
# Measures time and peak memory of ogilint on hostile inputs (issue 10: items 4-8), generated here in a
# temporary folder and removed afterwards. Usage: scripts/measure-hostile-inputs.sh [path/to/ogilint]
# (default: .build/release/ogilint, built when missing). Prints one line per input: exit status, wall
# seconds, peak RSS in MB and the first line of the message. The tests assert the behaviour; this script
# shows the cost.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release/ogilint}"
if [ ! -x "$BIN" ]; then swift build -c release --product ogilint >/dev/null; fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import os, sys, zipfile
w = sys.argv[1]
def write(name, data, mode="w"):
    with open(os.path.join(w, name), mode) as f: f.write(data)
write("newlines-10MB.txt", "\n" * 10_000_000)
write("one-char-lines-2MB.txt", "a\n" * 1_000_000)
write("one-char-lines-400KB.txt", "a\n" * 200_000)
body = "<w:p/>" * 8_000_000
xml = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       '<w:body>' + body + '</w:body></w:document>')
with zipfile.ZipFile(os.path.join(w, "empty-paragraphs-48MB.docx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", xml)
big = "x" * 1_000_000
write("alias-bomb.yml", "ogilint_model: 1\nmetadata:\n  title: &big " + big + "\npreamble:\n" + "  - text: *big\n" * 20_000)
row = "<tr>" + '<td rowspan="1000" colspan="1000">1</td>' * 20 + "</tr>"
write("spans-250KB.html", "<html><body><table>" + row * 600 + "</table></body></html>")
write("nested-tables-250KB.html", "<html><body>" + "<table><tr><td>" * 8000 + "x" + "</td></tr></table>" * 8000 + "</body></html>")
PY
mkfifo "$WORK/fifo.txt"

printf '%-30s %5s %8s %9s  %s\n' input exit seconds "peak MB" message
for f in "$WORK"/*; do
  name="$(basename "$f")"
  set +e
  /usr/bin/time -v -o "$WORK/.time" timeout 120 "$BIN" check --format json "$f" >/dev/null 2>"$WORK/.err"
  status=$?
  set -e
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/.time")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/.time")
  printf '%-30s %5s %8s %9.1f  %s\n' "$name" "$status" "$secs" "$(echo "$kb / 1024" | bc -l)" "$(head -c 150 "$WORK/.err" | head -1)"
done
