#!/usr/bin/env bash
#===- example.sh - Set up, build and run qc on the bundled example ------===#
#
# Installs missing Debian packages, builds qc, and runs the furthest-reaching
# job qc has on examples/: the bundled small CNN in MLIR with calibration
# statistics, quantized by the qc-quantize pipeline (the remarks explain
# each weight's scheme) and printed as integer ops.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" qopt
"$build/bin/qopt" "$root/examples/small_cnn.mlir" --qc-quantize --mlir-print-op-on-diagnostic=false
