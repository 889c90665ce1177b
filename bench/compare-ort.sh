#!/usr/bin/env bash
#===- compare-ort.sh - qc against ONNX Runtime on a float ONNX model -----===#
#
# Usage: bench/compare-ort.sh [MODEL.onnx INPUT_NAME CALIB.npy] [BATCH...]
#   (default: the bundled digits CNN at batch 1 and 360)
#   QC_FLAGS: more flags for the int8 compile (e.g. --accuracy-budget=off
#   for random-weight models, whose budget search is not meaningful)
#
# Times, single thread and in one run of this script, ONNX Runtime 1.30's
# f32 session (onnxruntime-node from the npm registry, installed into the
# build folder on first use), qc's f32 code (--no-quantize) and qc's int8
# code (calibrated on CALIB.npy), each the median of many runs, and prints
# the ratios. ONNX Runtime is called through Node.js, which adds ~10 us of
# call overhead per run: compare at batch sizes where a run takes far longer.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
model="$root/examples/digits/digits.onnx"
input=image
calib="$root/examples/digits/calib.npy"
if [ $# -ge 3 ] && [[ "$1" == *.onnx ]]; then
  model="$1" input="$2" calib="$3"
  shift 3
fi
batches=("$@")
[ ${#batches[@]} -gt 0 ] || batches=(1 360)

command -v node >/dev/null || { echo "compare-ort: needs node and npm" >&2; exit 1; }
/usr/bin/python3 -c 'import numpy' 2>/dev/null || {
  echo "compare-ort: needs Debian's python3-numpy (apt-get install python3-numpy)" >&2
  exit 1
}
ort="$build/ort"
if [ ! -d "$ort/node_modules/onnxruntime-node" ]; then
  mkdir -p "$ort"
  # --ignore-scripts: the CPU library ships inside the package; its install
  # script would try a download.
  (cd "$ort" && npm install --silent --no-audit --no-fund --ignore-scripts \
     onnxruntime-node@1.30.0)
fi
"$root/scripts/build.sh" qc >/dev/null

# Per-sample shape from the calibration file: (N, d1, d2, ...) -> d1x d2...
sample=$(/usr/bin/python3 -c "
import numpy as np, sys
s = np.load(sys.argv[1], mmap_mode='r').shape[1:]
print('x'.join(map(str, s)))" "$calib")
ms() { awk '/^time:/ { print $2 }'; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-8s %14s %14s %14s %12s %12s\n' batch "ORT f32 ms" "qc f32 ms" "qc int8 ms" \
  "int8/ORT" "f32/ORT"
for b in "${batches[@]}"; do
  shape="${b}x${sample}"
  /usr/bin/python3 -c "
import numpy as np, sys
c = np.load(sys.argv[1])
n = int(sys.argv[2])
x = np.resize(c, (n,) + c.shape[1:]).astype(np.float32)
np.save(sys.argv[3], x)" "$calib" "$b" "$tmp/x.npy"
  repeat=$(( b >= 64 ? 200 : 2000 ))
  t_ort=$(cd "$ort" && NODE_PATH="$ort/node_modules" \
    node "$root/bench/ort_time.js" "$model" "$input" "$shape" "$repeat" | ms)
  t_f32=$("$build/bin/qc" run "$model" --no-quantize --input-shape="$input:$shape" \
    --input "$tmp/x.npy" --repeat "$repeat" | ms)
  # shellcheck disable=SC2086
  t_i8=$("$build/bin/qc" run "$model" --calibration-data "$calib" ${QC_FLAGS:-} \
    --input-shape="$input:$shape" --input "$tmp/x.npy" --repeat "$repeat" | ms)
  awk -v b="$b" -v o="$t_ort" -v f="$t_f32" -v q="$t_i8" 'BEGIN {
    printf "%-8s %14.4f %14.4f %14.4f %11.2fx %11.2fx\n", b, o, f, q, o / q, o / f }'
done
echo "(ratios: how many times faster than ONNX Runtime f32; below 1 is slower)"
