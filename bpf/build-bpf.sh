#!/bin/sh
# Compiles every *.bpf.c of a source folder ($2, default src/main/bpf) into a CO-RE object under
# $1/bpf/ (a class-path folder), so the objects ship inside the jar. Run by Maven in
# generate-resources (and for test programs in generate-test-resources); needs clang and the
# libbpf headers (Debian: clang libbpf-dev).
set -eu
out="$1/bpf"
here=$(cd "$(dirname "$0")" && pwd)
src="${2:-$here/src/main/bpf}"
include="$here/src/main/bpf/include"
case "$(uname -m)" in
  x86_64) arch=x86 ;;
  aarch64) arch=arm64 ;;
  *) arch=$(uname -m) ;;
esac
command -v clang >/dev/null || { echo "build-bpf: clang not found (Debian: apt-get install clang)" >&2; exit 1; }
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "build-bpf: libbpf headers not found (Debian: apt-get install libbpf-dev)" >&2; exit 1; }
strip=$(command -v llvm-strip || ls /usr/bin/llvm-strip-* 2>/dev/null | head -n 1 || true)
mkdir -p "$out"
for c in "$src"/*.bpf.c; do
  o="$out/$(basename "$c" .c).o"
  clang -O2 -g -target bpf -D__TARGET_ARCH_$arch -Wall -Werror \
    -I"$include" -I"$here/src/main/bpf" -I"$src" -c "$c" -o "$o"
  if [ -n "$strip" ]; then "$strip" -g "$o"; fi
done
