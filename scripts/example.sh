#!/usr/bin/env bash
#===- example.sh - Set up, build and run qc on the bundled example ------===#
#
# Installs missing Debian packages, builds qc, then takes the bundled digits
# CNN (examples/digits, ONNX, trained on scikit-learn's 8x8 digits): compiles
# the float model and the int8 model calibrated on the bundled samples, runs
# both on the 360-image test split, and prints accuracy and speed of each.
# Also writes build/digits.so + build/digits.h (the library and its C
# header) and build/digits_report.html (per-layer quantization error).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" qc classify

qc="$build/bin/qc"
ex="$root/examples/digits"
split=(--input-shape=image:360x1x8x8 --input "$ex/test_x.npy"
       --labels "$ex/test_y.npy" --repeat 200)

# Median milliseconds per run from qc run's "time: X ms per run" line.
ms() { awk '/^time:/ { print $2 }' <<<"$1"; }

echo "== float32 model (qc --no-quantize), test split of 360 images, one batch"
f32=$("$qc" run "$ex/digits.onnx" --no-quantize "${split[@]}")
echo "$f32"
echo "== int8 model (calibrated on $(basename "$ex/calib.npy")), same split"
i8=$("$qc" run "$ex/digits.onnx" --calibration-data "$ex/calib.npy" "${split[@]}")
echo "$i8"
awk -v f="$(ms "$f32")" -v q="$(ms "$i8")" 'BEGIN {
  printf "== speed: int8 %.4f ms vs float32 %.4f ms per batch: %.2fx faster\n", q, f, f / q }'

echo "== compiling the int8 library: build/digits.so, build/digits.h"
"$qc" "$ex/digits.onnx" --calibration-data "$ex/calib.npy" \
  --input-shape=image:1x1x8x8 --name digits \
  -o "$build/digits.so" --header "$build/digits.h" \
  --report "$build/digits_report.html"
echo "   per-layer error report: build/digits_report.html"
echo "== the C example (examples/digits/classify.c) linked with it"
"$build/bin/classify" "$ex/test_x.npy" "$ex/test_y.npy"
