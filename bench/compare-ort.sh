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
# build folder on first use), ONNX Runtime's int8 path on a PyTorch QDQ
# export of the same model, qc's f32 code (--no-quantize) and qc's int8
# code (calibrated on CALIB.npy), each the median of many runs on the same
# input (calibration samples), and prints the ratios. ONNX Runtime is called
# through Node.js, which adds ~10 us of call overhead per run: compare at
# batch sizes where a run takes far longer.
#
# The QDQ model: QDQ_MODEL if set, else bench/make_qdq.py exports one (it
# needs Debian's python3-torch) for the bundled digits CNN or for a zoo
# model (found by the info.json next to MODEL.onnx), calibrated on
# CALIB.npy. Without either, the ORT int8 columns read "-".
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

# The PyTorch QDQ export for ONNX Runtime's int8 path.
qdq="${QDQ_MODEL:-}"
if [ -z "$qdq" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  info="$(dirname "$model")/info.json"
  which=()
  if [ "$model" = "$root/examples/digits/digits.onnx" ]; then
    which=(--digits)
  elif [ -f "$info" ]; then
    which=(--zoo "$(/usr/bin/python3 -c "import json, sys
print(json.load(open(sys.argv[1]))['model'])" "$info")")
  fi
  if [ ${#which[@]} -gt 0 ]; then
    /usr/bin/python3 "$root/bench/make_qdq.py" "${which[@]}" "$calib" "$tmp/qdq.onnx" \
      2> "$tmp/qdq.log" || { cat "$tmp/qdq.log" >&2; exit 1; }
    qdq="$tmp/qdq.onnx"
  fi
fi
[ -n "$qdq" ] || echo "compare-ort: no QDQ model for ONNX Runtime int8 (set QDQ_MODEL)" >&2

printf '%-8s %12s %12s %12s %12s %10s %10s %10s %10s\n' batch "ORT f32 ms" "ORT i8 ms" \
  "qc f32 ms" "qc int8 ms" "i8/ORTf32" "i8/ORTi8" "i8/qcf32" "f32/ORT"
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
    node "$root/bench/ort_time.js" "$model" "$input" "$shape" "$repeat" "$tmp/x.npy" | ms)
  t_ort8=-
  if [ -n "$qdq" ]; then
    t_ort8=$(cd "$ort" && NODE_PATH="$ort/node_modules" \
      node "$root/bench/ort_time.js" "$qdq" "$input" "$shape" "$repeat" "$tmp/x.npy" | ms)
  fi
  t_f32=$("$build/bin/qc" run "$model" --no-quantize --input-shape="$input:$shape" \
    --input "$tmp/x.npy" --repeat "$repeat" | ms)
  # shellcheck disable=SC2086
  t_i8=$("$build/bin/qc" run "$model" --calibration-data "$calib" ${QC_FLAGS:-} \
    --input-shape="$input:$shape" --input "$tmp/x.npy" --repeat "$repeat" | ms)
  awk -v b="$b" -v o="$t_ort" -v o8="$t_ort8" -v f="$t_f32" -v q="$t_i8" 'BEGIN {
    r8 = o8 == "-" ? "-" : sprintf("%.2fx", o8 / q)
    o8 = o8 == "-" ? "-" : sprintf("%.4f", o8)
    printf "%-8s %12.4f %12s %12.4f %12.4f %9.2fx %10s %9.2fx %9.2fx\n", b, o, o8, f, q,
      o / q, r8, f / q, o / f }'
done
echo "(ratios: how many times faster qc is than the peer; below 1 is slower)"
