#!/usr/bin/env bash
#===- build.sh - Configure (once) and build qc --------------------------===#
#
# Usage: scripts/build.sh [--sanitize] [ninja targets...]
#   build dir: $QC_BUILD_DIR or build/
#   --sanitize: the ASan+UBSan build with the fuzz targets
#               ($QC_ASAN_BUILD_DIR or build-asan/; see docs/Hardening.md)
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
extra=()
if [ "${1:-}" = "--sanitize" ]; then
  shift
  build="${QC_ASAN_BUILD_DIR:-$root/build-asan}"
  extra=(-DQC_SANITIZE=address,undefined -DQC_ENABLE_FUZZERS=ON)
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DPython3_EXECUTABLE=/usr/bin/python3 "${extra[@]}"
fi
ninja -C "$build" "$@"
