#!/usr/bin/env bash
# Proves a native bootstrap runs on Lambda's provided.al2023 (Amazon Linux 2023, glibc 2.34): fails
# when the binary's dynamic symbol table asks for a GLIBC_ symbol version newer than the limit, or
# when it links (DT_NEEDED) a shared library outside the allow-list of libraries AL2023's base image
# has. Libraries the .NET runtime opens later with dlopen (OpenSSL) are not DT_NEEDED; README.md,
# "Native AOT", says what those are and how AL2023 provides them.
# Usage: scripts/check-native-deps.sh [--max-glibc 2.34] [--arch x86_64|arm64] BINARY
#   --arch also checks the ELF machine, so an x64 binary cannot pass as the arm64 package.
# Exit 0: fine; 1: a violation (each one printed); 2: usage or a file that is not a dynamic ELF binary.
set -euo pipefail

max_glibc=2.34
arch=
while [[ $# -gt 1 ]]; do
  case "$1" in
    --max-glibc) max_glibc=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    *) echo "check-native-deps: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ $# -ne 1 ]]; then
  echo "usage: scripts/check-native-deps.sh [--max-glibc 2.34] [--arch x86_64|arm64] BINARY" >&2
  exit 2
fi
binary=$1

# glibc's own libraries on AL2023 (glibc 2.34 keeps libdl, libpthread and librt as stubs for old
# binaries), the dynamic loader, and libgcc_s (unwinding). libstdc++ is left out on purpose: the
# Native AOT runtime does not need it, so needing it would be a regression to look at.
allowed=(libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1
  ld-linux-x86-64.so.2 ld-linux-aarch64.so.1)

command -v readelf > /dev/null || { echo "check-native-deps: readelf not found (apt-get install binutils)" >&2; exit 2; }
if ! header=$(readelf -h -W "$binary" 2> /dev/null); then
  echo "check-native-deps: $binary is not an ELF file" >&2
  exit 2
fi
dynamic=$(readelf -d -W "$binary")
if ! grep -q '(NEEDED)' <<< "$dynamic"; then
  echo "check-native-deps: $binary has no dynamic section (not a dynamically linked executable)" >&2
  exit 2
fi

problems=0
machine=$(sed -nE 's/^ *Machine: *//p' <<< "$header")
case "$arch" in
  '') ;;
  x86_64) [[ "$machine" == *X86-64* ]] || { echo "check-native-deps: $binary is '$machine', expected x86-64"; problems=$((problems + 1)); } ;;
  arm64) [[ "$machine" == *AArch64* ]] || { echo "check-native-deps: $binary is '$machine', expected AArch64"; problems=$((problems + 1)); } ;;
  *) echo "check-native-deps: --arch must be x86_64 or arm64" >&2; exit 2 ;;
esac

needed=$(sed -nE 's/.*\(NEEDED\).*\[(.*)\]$/\1/p' <<< "$dynamic")
for lib in $needed; do
  ok=0
  for allow in "${allowed[@]}"; do [[ "$lib" == "$allow" ]] && ok=1; done
  if ((ok == 0)); then
    echo "check-native-deps: $binary needs $lib, which is not on the AL2023 allow-list (${allowed[*]})"
    problems=$((problems + 1))
  fi
done

# Every imported symbol's version, e.g. "memcpy@GLIBC_2.14 (3)"; sort -V orders 2.9 before 2.34.
versions=$(readelf --dyn-syms -W "$binary" | grep -oE '@GLIBC_[0-9]+(\.[0-9]+)+' | sed 's/@GLIBC_//' | sort -uV)
newest=$(tail -n 1 <<< "$versions")
for version in $versions; do
  if [[ "$(printf '%s\n%s\n' "$max_glibc" "$version" | sort -V | tail -n 1)" != "$max_glibc" ]]; then
    symbols=$(readelf --dyn-syms -W "$binary" | grep -oE "[^ ]+@GLIBC_${version//./\\.}( |$)" | sed 's/@.*//' | sort -u | xargs)
    echo "check-native-deps: $binary needs GLIBC_$version (newer than $max_glibc) for: $symbols"
    problems=$((problems + 1))
  fi
done

if ((problems > 0)); then
  echo "check-native-deps: FAILED, $problems problem(s)"
  exit 1
fi
echo "check-native-deps: ok: $binary ($machine) needs $(xargs <<< "$needed"); newest glibc symbol version $newest (limit $max_glibc)"
