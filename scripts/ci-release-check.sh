#!/usr/bin/env bash
# CI: builds the release archive (scripts/release.sh), unpacks it into a temporary prefix and runs the README's
# sample check with it as a user without Swift would: a clean environment (PATH = the prefix's bin, /usr/bin,
# /bin; no OGILINT_RULES), from a folder outside the repository. Exits 1 and says why when anything is off.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "release check: FAILED: $*" >&2; exit 1; }
# `system_mimalloc`: whether the system has mimalloc where Package.swift looks for it.
source scripts/system-mimalloc.sh

# The archive.
scripts/release.sh | tee "$tmp/release.log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "scripts/release.sh failed (see above)"
archive=$(tail -n 1 "$tmp/release.log")
[ -f "$archive" ] || fail "scripts/release.sh did not name an archive on its last line (got '$archive')"
name=$(basename "$archive" .tar.gz)
[[ "$name" =~ ^ogilint-[0-9]+\.[0-9]+\.[0-9]+.*-linux-[a-z0-9_]+$ ]] || fail "unexpected archive name $name"
version=${name#ogilint-}
version=${version%-linux-*}

# It holds one folder with exactly the documented layout.
top=$(tar -tzf "$archive" | cut -d/ -f1 | sort -u)
[ "$top" = "$name" ] || fail "the archive should hold the single folder $name/, holds: $top"
prefix="$tmp/prefix"
mkdir -p "$prefix"
tar -xzf "$archive" -C "$prefix" --strip-components=1 || fail "cannot unpack $archive"
for f in bin/ogilint bin/ogilint-server share/ogilint/rules/templates/common.yml share/ogilint/rules/national README.md LICENSE; do
  [ -e "$prefix/$f" ] || fail "$f is missing from the archive"
done
extra=$(cd "$prefix" && ls -A | grep -vxE 'bin|share|README\.md|LICENSE' || true)
[ -z "$extra" ] || fail "unexpected entries at the top of the archive: $extra"
diff -r rules "$prefix/share/ogilint/rules" >/dev/null || fail "share/ogilint/rules differs from the repository's rules/"
for program in ogilint ogilint-server; do
  if ldd "$prefix/bin/$program" | grep -iE 'swift|Foundation|dispatch|BlocksRuntime|not found'; then
    fail "bin/$program needs libraries of the Swift toolchain (listed above)"
  fi
done
# Both programs run on glibc 2.35 (Debian 12, Ubuntu 22.04), as README says: no symbol of a later glibc.
for program in ogilint ogilint-server; do
  newest=$(objdump -T "$prefix/bin/$program" | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sort -uV | tail -n 1)
  [ -n "$newest" ] || fail "objdump -T names no glibc version that bin/$program needs"
  [ "$(printf '%s\nGLIBC_2.35\n' "$newest" | sort -V | tail -n 1)" = GLIBC_2.35 ] \
    || fail "bin/$program needs $newest, README promises glibc 2.35 (objdump -T names the symbols)"
done
# `ogilint` is linked at a fixed address with full RELRO (Package.swift, fixedAddressLinkerSettings) unless
# OGILINT_PIE asks for a PIE; `ogilint-server`, which listens on a network, is always a PIE.
elf_type() { readelf -h "$1" | awk '/Type:/ { print $2 }'; }
if [ -z "${OGILINT_PIE:-}" ] || [ "${OGILINT_PIE}" = 0 ]; then expected_type=EXEC; else expected_type=DYN; fi
[ "$(elf_type "$prefix/bin/ogilint")" = "$expected_type" ] \
  || fail "bin/ogilint is of ELF type $(elf_type "$prefix/bin/ogilint"), expected $expected_type (OGILINT_PIE='${OGILINT_PIE:-}')"
[ "$(elf_type "$prefix/bin/ogilint-server")" = DYN ] || fail "bin/ogilint-server is not a position-independent executable"
# At a fixed address, its pointers to shared libraries are bound at start and read-only (full RELRO: BIND_NOW).
if [ "$expected_type" = EXEC ]; then
  dynamic=$(readelf -d "$prefix/bin/ogilint")
  grep -q 'BIND_NOW' <<<"$dynamic" || fail "bin/ogilint is linked at a fixed address without -z now (full RELRO)"
fi
# Where Package.swift links libstdc++ statically (StaticCxxRuntime: the GCC folder the toolchain's clang links
# with has libstdc++.a, and no libstdc++.so lies in the system's library folders searched before it), a check
# with `ogilint` does not load libstdc++.
gccdir=$(dirname "$("$(dirname "$(readlink -f "$(command -v swift)")")/clang" -print-libgcc-file-name 2>/dev/null || echo /nonexistent/x)")
triple=$(basename "$(dirname "$gccdir")")
static_cxx=0
if [ -f "$gccdir/libstdc++.a" ]; then
  static_cxx=1
  for folder in "/usr/lib/$triple" "/lib/$triple" /usr/lib /lib; do [ -e "$folder/libstdc++.so" ] && static_cxx=0; done
fi
if [ "$static_cxx" = 1 ] && ldd "$prefix/bin/ogilint" | grep -E 'libstdc\+\+'; then
  fail "bin/ogilint loads libstdc++ (above); Package.swift should have linked it statically"
fi

# A user's folder outside the repository, holding reports copied from the samples.
work="$tmp/work"
mkdir -p "$work/samples/broken"
cp samples/clean-2021-government.* samples/clean-2019-department.* "$work/samples/" || fail "cannot copy the samples"
cp samples/broken/app-balance.txt "$work/samples/broken/" || fail "cannot copy the samples"
cd "$work" || fail "cannot enter $work"
links="$tmp/links"   # as after `ln -s PREFIX/bin/ogilint /usr/local/bin/ogilint`
mkdir -p "$links"
ln -s "$prefix/bin/ogilint" "$links/ogilint"

# expect CODE WHAT PATHDIR ARGS...: runs ogilint found on a clean PATH; prints its output; fails unless it exits CODE.
expect() {
  local code=$1 what=$2 bindir=$3
  shift 3
  echo "release check: $what: ogilint $*"
  env -i HOME="$tmp" PATH="$bindir:/usr/bin:/bin" ogilint "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  cat "$tmp/out" "$tmp/err"
  [ "$got" = "$code" ] || fail "'ogilint $*' ($what) exited $got, expected $code"
}

expect 0 "version" "$prefix/bin" --version
[ "$(cat "$tmp/out")" = "$version" ] || fail "'ogilint --version' says $(cat "$tmp/out"), the archive is named for $version"
expect 0 "README sample" "$prefix/bin" check samples/clean-2021-government.txt
grep -q "0 errors" "$tmp/out" || fail "the clean sample's output has no '0 errors' summary"
expect 1 "broken sample" "$prefix/bin" check samples/broken/app-balance.txt
grep -q "APP-BALANCE" "$tmp/out" || fail "the broken sample's output does not report APP-BALANCE"
# The rules used are the archive's own.
expect 0 "bundled rules" "$prefix/bin" rules APP-BALANCE
grep -qF "$prefix/share/ogilint/rules/" "$tmp/out" || fail "'ogilint rules APP-BALANCE' does not name a file under the prefix's share/ogilint/rules"
# Every reader built into the binary works, libxml2 included (DOCX, HTML in UTF-8 and in GBK, report models).
for f in samples/clean-2021-government.docx samples/clean-2021-government.html samples/clean-2019-department.html \
         samples/clean-2019-department.yml samples/clean-2021-government.json; do
  expect 0 "reader" "$prefix/bin" check "$f"
done
# libxml2 is built in: the binary reads HTML without looking for the system's (OGILINT_LIBXML2, which names the
# library the loader would open, points nowhere and must not matter).
env -i HOME="$tmp" PATH="$prefix/bin:/usr/bin:/bin" OGILINT_LIBXML2=/nonexistent/libxml2.so.2 \
  ogilint check samples/clean-2021-government.html >"$tmp/out" 2>"$tmp/err" \
  || fail "the release binary did not read HTML with its built-in libxml2: $(cat "$tmp/err")"
# The release binary drops libxml2's HTML parse errors before they are formatted (--wrap=__xmlRaiseError,
# Sources/CLibXML2Linked): a page saved from Word, whose every <o:p> is such an error, still reads clean, and an XML
# error (a DOCX part the scanner leaves to libxml2: it holds a comment) still reaches the message with libxml2's words.
python3 "$repo/scripts/make-web-page.py" samples/clean-2021-government.html web-page.html || fail "cannot make a web page"
expect 0 "a page saved from Word" "$prefix/bin" check web-page.html
grep -q "0 errors" "$tmp/out" || fail "the Word-saved web page of the clean sample does not read clean"
python3 - samples/clean-2021-government.docx broken-part.docx <<'PY' || fail "cannot make a damaged DOCX"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zin, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "word/document.xml":
            data = data.replace(b"<w:body>", b"<w:body><!-- left to libxml2 --><w:p><w:r></w:p>", 1)
        zout.writestr(info, data)
PY
expect 2 "a DOCX part that is not well-formed" "$prefix/bin" check broken-part.docx
grep -q "not well-formed XML (Premature end of data" "$tmp/out" "$tmp/err" || fail "libxml2's XML error does not reach the message"
# Installed as a link on the PATH.
expect 0 "through a symbolic link" "$links" check samples/clean-2021-government.txt
expect 1 "through a symbolic link" "$links" check samples/broken/app-balance.txt
# `ogilint serve` finds the server program beside the real binary, also through the link.
expect 0 "serve's help through a symbolic link" "$links" serve --help
grep -q -- "--max-checks" "$tmp/out" || fail "'ogilint serve --help' does not list the server's options"

# Where the system has mimalloc, a source build links it (Package.swift, SystemMimalloc): the archive built with it
# (`--mimalloc`, which only links differently) loads it and gives exactly what the archive without it gives, as JSON
# and as SARIF, on each report copied above, the Word-saved page, the damaged DOCX and the folder of them as a batch.
if system_mimalloc; then
  cd "$repo"
  scripts/release.sh --mimalloc | tee "$tmp/release-mimalloc.log"
  [ "${PIPESTATUS[0]}" = 0 ] || fail "scripts/release.sh --mimalloc failed (see above)"
  mi_archive="$repo/$(tail -n 1 "$tmp/release-mimalloc.log")"
  trap 'rm -rf "$tmp"; rm -f "$mi_archive"' EXIT   # a user's build: never left in dist/ beside the real archive
  mi_prefix="$tmp/prefix-mimalloc"
  mkdir -p "$mi_prefix"
  tar -xzf "$mi_archive" -C "$mi_prefix" --strip-components=1 || fail "cannot unpack $mi_archive"
  # ldd's output read whole first (`ldd | grep -q` under pipefail fails when grep stops reading before ldd ends).
  mi_loaded=$(ldd "$mi_prefix/bin/ogilint")
  grep -q libmimalloc <<<"$mi_loaded" || fail "the --mimalloc archive's bin/ogilint does not load libmimalloc"
  cd "$work" || fail "cannot enter $work"
  for f in samples/*.* samples/broken/* web-page.html broken-part.docx samples; do
    for format in json sarif; do
      env -i HOME="$tmp" PATH="$prefix/bin:/usr/bin:/bin" ogilint check --format "$format" "$f" >"$tmp/glibc.out" 2>&1
      a=$?
      env -i HOME="$tmp" PATH="$mi_prefix/bin:/usr/bin:/bin" ogilint check --format "$format" "$f" >"$tmp/mimalloc.out" 2>&1
      b=$?
      [ "$a" = "$b" ] && cmp -s "$tmp/glibc.out" "$tmp/mimalloc.out" \
        || fail "with mimalloc, 'ogilint check --format $format $f' gives other output or exit status ($a, $b)"
    done
  done
  echo "release check: the mimalloc build gives the same output ($mi_archive)"
fi

cd "$repo"
echo "release check: passed ($archive)"
