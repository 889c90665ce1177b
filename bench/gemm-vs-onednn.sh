#!/usr/bin/env bash
#===- gemm-vs-onednn.sh - qc's int8 kernels against oneDNN and the peaks --===#
#
# Usage: bench/gemm-vs-onednn.sh [REPETITIONS]   (default 5)
#
# Runs, single thread and in one run of this script, qc-bench-gemm (qc's
# kernels for the host target; on an AMX host also for x86-64-avx512vnni)
# and qc-bench-onednn (Debian's oneDNN on the same shapes and numerics:
# u8 x s8 -> u8 with zero points, weights in the layout oneDNN picks), and
# prints a Markdown table of medians: GOPS, qc / oneDNN, and the fraction of
# the vpdpbusd and tdpbusd peaks qc-bench-gemm measures on this CPU.
# oneDNN's convolutions take NHWC activations (its int8 layout), qc's NCHW.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
reps="${1:-5}"
for b in qc-bench-gemm qc-bench-onednn; do
  [ -x "$build/bin/$b" ] || {
    echo "gemm-vs-onednn: $build/bin/$b is missing: ninja -C $build qc-bench" \
         "(qc-bench-onednn needs Debian's libdnnl-dev)" >&2
    exit 1
  }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
filter='/int8/|/int8_nhwc/'
common=(--benchmark_repetitions="$reps" --benchmark_min_time=0.2
        --benchmark_format=json)
echo "gemm-vs-onednn: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed "s/^ //") ($(grep -o -w -E "amx_int8|avx512_vnni|avx_vnni" /proc/cpuinfo | sort -u | tr "\n" " "))" >&2
"$build/bin/qc-bench-gemm" "${common[@]}" --benchmark_filter=/int8/ \
  > "$tmp/qc.json"
targets=(host)
if grep -q -w amx_int8 /proc/cpuinfo; then
  "$build/bin/qc-bench-gemm" --target=x86-64-avx512vnni "${common[@]}" \
    --benchmark_filter=/int8/ > "$tmp/vnni.json"
  targets+=(vnni)
fi
OMP_NUM_THREADS=1 "$build/bin/qc-bench-onednn" "${common[@]}" \
  --benchmark_filter="$filter" > "$tmp/onednn.json"
/usr/bin/python3 - "$tmp" <<'EOF'
import json, statistics, sys, os
tmp = sys.argv[1]

def load(name):
    path = os.path.join(tmp, name + ".json")
    if not os.path.exists(path):
        return {}, {}
    data = json.load(open(path))
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        key = b["run_name"].replace("/manual_time", "")
        runs.setdefault(key, []).append(b)
    return runs, data["context"]

qc, ctx = load("qc")
vnni, _ = load("vnni")
dnnl, dctx = load("onednn")
med = lambda rs, f: statistics.median(r[f] for r in rs)
print(f"qc target {ctx.get('target')}; oneDNN {dctx.get('onednn')}; "
      f"vpdpbusd peak {float(ctx.get('vpdpbusd_zmm_peak_GOPS', 0) or 0):.0f} GOPS, "
      f"tdpbusd peak {ctx.get('tdpbusd_amx_peak_GOPS')} GOPS; medians of "
      f"{len(next(iter(qc.values())))} runs, single thread\n")
head = "| shape | qc GOPS |"
if vnni:
    head += " qc VNNI GOPS |"
head += " oneDNN GOPS (kernel) | qc / oneDNN | qc of vpdpbusd peak | qc of tdpbusd peak |"
print(head)
print("|" + "---|" * (head.count("|") - 1))
for name, rs in qc.items():
    shape = name.rsplit("/", 1)[0]
    g = med(rs, "GOPS")
    peaks = [f"{med(rs, c):.2f}" if c in rs[0] else "" for c in ("of_peak", "of_amx_peak")]
    row = f"| {shape} | {g:.0f} |"
    if vnni:
        v = vnni.get(name)
        row += f" {med(v, 'GOPS'):.0f} |" if v else " |"
    d = dnnl.get(name + "_nhwc") or dnnl.get(name)
    if d:
        dg = med(d, "GOPS")
        row += f" {dg:.0f} ({d[0].get('label', '')}) | {g / dg:.2f} |"
    else:
        row += " | |"
    row += f" {peaks[0]} | {peaks[1]} |"
    print(row)
EOF
