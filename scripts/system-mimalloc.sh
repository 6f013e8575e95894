# Sourced by scripts/release.sh and scripts/ci-release-check.sh: `system_mimalloc` succeeds when the system has
# mimalloc where Package.swift (SystemMimalloc) looks for it: this machine's own library folder (x86_64 and aarch64),
# /usr/lib64, /usr/lib.
system_mimalloc() {
  local folders=(/usr/lib64 /usr/lib)
  case "$(uname -m)" in x86_64 | aarch64) folders=("/usr/lib/$(uname -m)-linux-gnu" "${folders[@]}") ;; esac
  local folder
  for folder in "${folders[@]}"; do [ -e "$folder/libmimalloc.so" ] && return 0; done
  return 1
}
