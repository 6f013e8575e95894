#!/usr/bin/env bash
# Builds the archive users install without a Swift toolchain:
#   dist/ogilint-VERSION-linux-ARCH.tar.gz, holding one folder ogilint-VERSION-linux-ARCH/ with
#     bin/ogilint                 the release binary: Swift runtime, Foundation and libxml2 linked in statically
#     bin/ogilint-server          the web server `ogilint serve` runs (found beside bin/ogilint), linked the same way
#     share/ogilint/rules/        the bundled rule packs and templates (found there by bin/ogilint, see BundledRules)
#     README.md, LICENSE
# The binary needs only glibc, libgcc_s and zlib from the system (libstdc++ too where the compiler's GCC folder has
# no libstdc++.a to link in: Package.swift, StaticCxxRuntime; checked below with ldd), and poppler's pdftotext for
# PDF input.
#
# Usage: scripts/release.sh [--dynamic-libxml2] [--mimalloc]
#   --dynamic-libxml2  leave libxml2 out (smaller binary): it is loaded from the system when a DOCX or HTML file
#                      needs it (users then need Debian's libxml2 for those)
#   --mimalloc         link the system's mimalloc as a source build does (Package.swift, SystemMimalloc): faster
#                      batches, but users then need it too (Debian: libmimalloc2.0); the archive is named
#                      ogilint-VERSION-mimalloc-linux-ARCH.tar.gz
# Prints the archive's path on the last line of standard output.
set -euo pipefail
cd "$(dirname "$0")/.."

static_libxml2=1
mimalloc=0
for arg in "$@"; do
  case "$arg" in
    --dynamic-libxml2) static_libxml2=0 ;;
    --mimalloc) mimalloc=1 ;;
    *) echo "usage: scripts/release.sh [--dynamic-libxml2] [--mimalloc]" >&2; exit 2 ;;
  esac
done

fail() { echo "release.sh: $*" >&2; exit 1; }
# `system_mimalloc`: whether the system has mimalloc where Package.swift looks for it.
source scripts/system-mimalloc.sh
[ "$(uname -s)" = Linux ] || fail "builds the Linux archive only; run it on Linux"
arch=$(uname -m)

build_flags=(-c release --static-swift-stdlib)
if [ "$static_libxml2" = 1 ]; then
  # ogilint loads libxml2 with dlopen when a DOCX or HTML file first needs it (Sources/CLibXML2Loader). Here the
  # loader is compiled to call the linked functions instead (OGILINT_LIBXML2_LINKED), and the linker is given a
  # linker script naming the static archives: libxml2 and what it needs (ICU, zlib, liblzma: `Libs.private` of
  # the system's libxml-2.0.pc); Debian's libxml2-dev ships them all. ldd below proves the outcome.
  command -v pkg-config >/dev/null || fail "pkg-config is needed to find libxml2's archives (Debian: apt-get install pkg-config)"
  pkg-config --exists libxml-2.0 || fail "pkg-config knows no libxml-2.0 (Debian: apt-get install libxml2-dev)"
  libdir=$(pkg-config --variable=libdir libxml-2.0)
  for lib in libxml2 libicui18n libicuuc libicudata libz liblzma; do
    [ -f "$libdir/$lib.a" ] || fail "$libdir/$lib.a is missing (Debian: apt-get install libxml2-dev); or pass --dynamic-libxml2"
  done
  linkdir="$PWD/.build/release-static-libxml2"
  mkdir -p "$linkdir"
  cat >"$linkdir/libxml2-static.ld" <<EOF
/* Written by scripts/release.sh: link libxml2 and its dependencies statically. */
GROUP ( $libdir/libxml2.a $libdir/libicui18n.a $libdir/libicuuc.a $libdir/libicudata.a $libdir/libz.a $libdir/liblzma.a -lstdc++ -lm )
EOF
  build_flags+=(-Xcc -DOGILINT_LIBXML2_LINKED -Xlinker "$linkdir/libxml2-static.ld")
fi

# glibc's allocator, not the system's mimalloc that a source build links where it finds one (Package.swift,
# SystemMimalloc): the archive must run where only glibc, libgcc_s and zlib are installed. With --mimalloc, the
# system's (and only the link differs from the archive without it).
if [ "$mimalloc" = 1 ]; then
  system_mimalloc || fail "--mimalloc: the system has no libmimalloc.so (Debian: apt-get install libmimalloc-dev)"
  export OGILINT_MALLOC=mimalloc
else
  export OGILINT_MALLOC=system
fi

start=$(date +%s)
swift build "${build_flags[@]}" --product ogilint
swift build "${build_flags[@]}" --product ogilint-server
bin_dir=$(swift build "${build_flags[@]}" --show-bin-path)
binary="$bin_dir/ogilint"
server="$bin_dir/ogilint-server"
[ -x "$binary" ] || fail "no binary at $binary after the build"
[ -x "$server" ] || fail "no server program at $server after the build"
echo "release.sh: built in $(( $(date +%s) - start )) s"

# The version the tool reports, which must be the one in the sources.
version=$("$binary" --version | tr -d '[:space:]')
source_version=$(sed -nE 's/.*static let string = "([^"]+)".*/\1/p' Sources/OGILint/Linter.swift)
[ -n "$version" ] || fail "'ogilint --version' printed nothing"
[ "$version" = "$source_version" ] || fail "'ogilint --version' says $version, Sources/OGILint/Linter.swift says $source_version"

# Nothing of the Swift toolchain may be loaded at run time: only the C and C++ runtime of the system
# (libxml2, when it is not linked in, is loaded only when a file needs it, and never shows here).
allowed='linux-vdso|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libstdc\+\+\.so|libgcc_s\.so|libz\.so'
if [ "$mimalloc" = 1 ]; then allowed="$allowed|libmimalloc\.so"; fi
for program in "$server" "$binary"; do   # $deps is then the checker's, printed below
  deps=$(ldd "$program")
  unexpected=$(grep -vE "$allowed" <<<"$deps" || true)
  [ -z "$unexpected" ] || fail "$(basename "$program") loads libraries a user may not have:"$'\n'"$unexpected"
  if grep -q "not found" <<<"$deps"; then fail "unresolved libraries of $(basename "$program"):"$'\n'"$deps"; fi
done
glibc=$(objdump -T "$binary" "$server" | grep -oE 'GLIBC_[0-9.]+' | sort -uV | tail -n 1)

# ldd's output is read whole before grep: `ldd | grep -q` under pipefail fails (or, negated, passes) when grep stops
# reading before ldd has written its last line.
loaded=$(ldd "$binary")
if [ "$mimalloc" = 1 ]; then
  grep -q libmimalloc <<<"$loaded" || fail "--mimalloc: bin/ogilint was not linked with the system's mimalloc"
  name="ogilint-$version-mimalloc-linux-$arch"
else
  ! grep -q libmimalloc <<<"$loaded" || fail "bin/ogilint was linked with mimalloc (OGILINT_MALLOC=system was not read)"
  name="ogilint-$version-linux-$arch"
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/share/ogilint"
install -m 0755 "$binary" "$root/bin/ogilint"
install -m 0755 "$server" "$root/bin/ogilint-server"
strip "$root/bin/ogilint" "$root/bin/ogilint-server"
cp -R rules "$root/share/ogilint/rules"
cp README.md LICENSE "$root/"
mkdir -p dist
archive="dist/$name.tar.gz"
# Sorted names, fixed owner and times: the same sources give the same archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(git log -1 --format=%ct 2>/dev/null || echo 0)" \
  -C "$stage" -czf "$archive" "$name"

echo "release.sh: $(du -h "$root/bin/ogilint" | cut -f1) binary ($(du -h "$root/bin/ogilint-server" | cut -f1) server), needs glibc >= ${glibc#GLIBC_}; libraries:"
sed -E 's/^[[:space:]]+/  /; s/ \(0x[0-9a-f]+\)//' <<<"$deps"
echo "$archive"
