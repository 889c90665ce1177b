#!/usr/bin/env bash
#===- compile-time.sh - How qc's compile time grows with the model -------===#
#
# Compiles generated CNNs of 10, 100 and 1000 layers (bench/make_layers.py:
# 3x3 and depthwise convolutions, ReLU, residual adds) in f32 and in int8
# (calibrated on 64 samples), and, when given, real ONNX models, each once,
# and prints wall time, peak memory and the time per layer. Compile time
# that is linear in the model shows as a constant time per layer.
#
#   bench/compile-time.sh [MODEL.onnx:INPUT_SHAPE ...]
#
# e.g. bench/compile-time.sh model.onnx:x:1x3x48x192 (the input shape is
# NAME:DIMS as qc's --input-shape takes it; int8 runs calibrate on smooth
# random samples of that shape). Build first (scripts/build.sh).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
qc="$build/bin/qc"
work="$build/bench-compile-time"
mkdir -p "$work"
python=/usr/bin/python3

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"

# Runs a command once; prints "seconds peak_MB".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || {
    echo "compile-time.sh: failed: $*" >&2
    cat "$work/err.txt" >&2
    exit 1
  }
  read -r secs kb <"$work/time.txt"
  echo "$secs $((kb / 1024))"
}

printf "\n%-28s %10s %10s %12s %10s\n" "model" "mode" "seconds" "ms/layer" "peak MB"
for n in 10 100 1000; do
  model="$work/layers$n.mlir"
  calib="$work/calib.npy"
  "$python" "$root/bench/make_layers.py" "$n" "$model" --calib "$calib" --samples 64
  for mode in f32 int8; do
    if [ "$mode" = f32 ]; then
      cmd=("$qc" "$model" --no-quantize -o "$work/out.o")
    else
      cmd=("$qc" "$model" --calibration-data "$calib" -o "$work/out.o")
    fi
    read -r secs mb < <(measure "${cmd[@]}")
    printf "%-28s %10s %10s %12s %10s\n" "$n layers" "$mode" "$secs" \
      "$(awk -v s="$secs" -v n="$n" 'BEGIN{printf "%.1f", 1000*s/n}')" "$mb"
  done
done

for spec in "$@"; do
  file="${spec%%:*}"
  shape="${spec#*:}"
  name="$(basename "$file" .onnx)"
  dims="${shape#*:}"
  calib="$work/$name-calib.npy"
  "$python" - "$dims" "$calib" <<'EOF'
import math, random, struct, sys
dims = [int(d) for d in sys.argv[1].split("x")]
dims[0] = 64
n = 1
for d in dims:
    n *= d
rng = random.Random(3)
plane = dims[-2] * dims[-1]
values = []
while len(values) < n:
    fx, fy, p = rng.uniform(0.02, 0.3), rng.uniform(0.02, 0.3), rng.uniform(0, 6.3)
    values.extend(math.sin(fx * (i % dims[-1]) + fy * (i // dims[-1]) + p)
                  for i in range(plane))
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
    "".join("%d, " % d for d in dims))
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
with open(sys.argv[2], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
    f.write(header.encode("latin1"))
    f.write(b"".join(struct.pack("<f", v) for v in values[:n]))
EOF
  for mode in f32 int8; do
    if [ "$mode" = f32 ]; then
      cmd=("$qc" "$file" --input-shape="$shape" --no-quantize -o "$work/out.o")
    else
      cmd=("$qc" "$file" --input-shape="$shape" --calibration-data "$calib" -o "$work/out.o")
    fi
    read -r secs mb < <(measure "${cmd[@]}")
    printf "%-28s %10s %10s %12s %10s\n" "$name" "$mode" "$secs" "" "$mb"
  done
done
