#!/usr/bin/env bash
#===- build.sh - Configure (once) and build qc --------------------------===#
#
# Usage: scripts/build.sh [ninja targets...]   (build dir: $QC_BUILD_DIR or build/)
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DPython3_EXECUTABLE=/usr/bin/python3
fi
ninja -C "$build" "$@"
