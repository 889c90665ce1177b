#!/usr/bin/python3
"""Run qc on the model zoo make_zoo.py built, and tabulate the results.

For every DIR/M-opN/ folder: compiles the model in f32 and checks qc's
output against torch's (output_K.npy) within --rtol of the output's largest
magnitude; calibrates it on calib.npy (or calib/) and compiles it in int8,
runs it on the same input and measures the SQNR of its output against
torch's; times both compiles (wall clock) and both runs (qc run --repeat,
median). Writes a Markdown table (--markdown) and a JSON record (--json),
and exits non-zero if any f32 output does not match.

  /usr/bin/python3 test/Zoo/run_zoo.py --zoo DIR --qc build/bin/qc \\
      [--models a,b] [--opsets 13] [--markdown docs/Zoo.md] [--json out.json]
      [--no-timing] [--require-int8] [--qc-flags="..."] [--sqnr-only]
"""

import argparse
import glob
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np


def run_command(cmd, timeout=1800):
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, time.monotonic() - start


def first_error(text):
    for line in text.splitlines():
        if "error" in line:
            return line.split("error:", 1)[-1].strip()[:160]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1][:160] if lines else "failed"


def sqnr_db(ref, got):
    ref = ref.astype(np.float64)
    noise = np.sum((ref - got.astype(np.float64)) ** 2)
    signal = np.sum(ref ** 2)
    if noise == 0:
        return math.inf
    return 10 * math.log10(signal / noise)


def median_ms(text):
    for line in text.splitlines():
        if line.startswith("time:"):
            return float(line.split()[1])
    return None


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def check_model(folder, qc, rtol, repeat, work, timing=True, flags=(),
                sqnr_only=False):
    info = json.load(open(os.path.join(folder, "info.json")))
    model = os.path.join(folder, "model.onnx")
    inputs = sorted(glob.glob(os.path.join(folder, "input_*.npy")))
    outputs = sorted(glob.glob(os.path.join(folder, "output_*.npy")))
    calib = os.path.join(folder, "calib.npy")
    if not os.path.exists(calib):
        calib = os.path.join(folder, "calib")
    in_args = sum((["--input", x] for x in inputs), [])
    out_files = [os.path.join(work, "out%d.npy" % k) for k in range(len(outputs))]
    out_args = sum((["-o", x] for x in out_files), [])
    row = {"model": info.get("model", os.path.basename(folder)),
           "opset": info.get("opset"), "folder": os.path.basename(folder)}

    flags = list(flags)

    def run(cmd):
        # qc's flags after the tool and its subcommand.
        head = cmd[:2] if cmd[1] == "run" else cmd[:1]
        return run_command(head + flags + cmd[len(head):])

    if sqnr_only:
        return int8_sqnr(row, qc, model, calib, in_args, out_args,
                         out_files, outputs, run)

    # f32: compile, run, compare with torch.
    code, text, secs = run([qc, model, "--no-quantize", "-o",
                            os.path.join(work, "f32.o")])
    row["f32_compile_s"] = round(secs, 2)
    if code != 0:
        row["f32"] = "error: " + first_error(text)
        return row
    code, text, _ = run([qc, "run", model, "--no-quantize"] + in_args + out_args)
    if code != 0:
        row["f32"] = "error: " + first_error(text)
        return row
    worst = 0.0
    for ref_file, got_file in zip(outputs, out_files):
        ref, got = np.load(ref_file), np.load(got_file)
        scale = max(float(np.max(np.abs(ref))), 1e-30)
        worst = max(worst, float(np.max(np.abs(ref - got))) / scale)
    row["f32_rel_err"] = worst
    row["f32"] = "match" if worst <= rtol else "MISMATCH"
    if timing:
        code, text, _ = run([qc, "run", model, "--no-quantize", "--repeat",
                             str(repeat)] + in_args)
        row["f32_ms"] = median_ms(text)

    # int8: calibrate, compile, run, SQNR against torch.
    code, text, secs = run([qc, model, "--calibration-data", calib, "-o",
                            os.path.join(work, "int8.o")])
    row["int8_compile_s"] = round(secs, 2)
    if code != 0:
        row["int8"] = "error: " + first_error(text)
        return row
    int8_sqnr(row, qc, model, calib, in_args, out_args, out_files, outputs,
              run)
    if row["int8"] != "ok":
        return row
    if timing:
        code, text, _ = run([qc, "run", model, "--calibration-data", calib,
                             "--repeat", str(repeat)] + in_args)
        row["int8_ms"] = median_ms(text)
    return row


def int8_sqnr(row, qc, model, calib, in_args, out_args, out_files, outputs,
              run):
    """Only the int8 output's SQNR against torch (one calibrated run)."""
    code, text, _ = run([qc, "run", model, "--calibration-data", calib]
                        + in_args + out_args)
    if code != 0:
        row["int8"] = "error: " + first_error(text)
        return row
    row["int8_sqnr_db"] = min(sqnr_db(np.load(r), np.load(g))
                              for r, g in zip(outputs, out_files))
    row["int8"] = "ok"
    return row


def fmt(v, spec):
    if v is None:
        return ""
    if isinstance(v, float) and math.isinf(v):
        return "exact"
    return format(v, spec)


def markdown(rows, rtol):
    lines = [
        "| model | opset | f32 vs torch | max rel. error | int8 SQNR (dB) "
        "| compile f32 / int8 (s) | run f32 / int8 (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        f32 = r.get("f32", "")
        int8 = r.get("int8", "")
        sqnr = fmt(r.get("int8_sqnr_db"), ".1f") if int8 == "ok" else int8
        lines.append("| %s | %s | %s | %s | %s | %s / %s | %s / %s |" % (
            r["model"], r["opset"], f32, fmt(r.get("f32_rel_err"), ".1e"),
            sqnr, fmt(r.get("f32_compile_s"), ".1f"),
            fmt(r.get("int8_compile_s"), ".1f"), fmt(r.get("f32_ms"), ".2f"),
            fmt(r.get("int8_ms"), ".2f")))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zoo", required=True, help="make_zoo.py's --out")
    parser.add_argument("--qc", required=True)
    parser.add_argument("--models", help="comma-separated model names")
    parser.add_argument("--opsets", help="comma-separated opsets")
    parser.add_argument("--rtol", type=float, default=1e-4,
                        help="f32 tolerance relative to the output's largest "
                             "magnitude (default 1e-4)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-timing", action="store_true",
                        help="skip the timed runs (correctness only, as CI)")
    parser.add_argument("--require-int8", action="store_true",
                        help="also fail when an int8 build does not compile "
                             "or run")
    parser.add_argument("--qc-flags", default="",
                        help="further flags for every qc run, e.g. "
                        "--qc-flags=--no-recognize-patterns")
    parser.add_argument("--sqnr-only", action="store_true",
                        help="only the int8 SQNR (no f32 check, no timing)")
    parser.add_argument("--markdown")
    parser.add_argument("--json")
    args = parser.parse_args()
    models = set(args.models.split(",")) if args.models else None
    opsets = set(args.opsets.split(",")) if args.opsets else None
    folders = []
    for folder in sorted(glob.glob(os.path.join(args.zoo, "*-op*"))):
        name, opset = os.path.basename(folder).rsplit("-op", 1)
        if (models and name not in models) or (opsets and opset not in opsets):
            continue
        folders.append(folder)
    if not folders:
        sys.exit("run_zoo: no models in %s (run make_zoo.py first)" % args.zoo)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for folder in folders:
            row = check_model(folder, args.qc, args.rtol, args.repeat, work,
                              timing=not args.no_timing,
                              flags=args.qc_flags.split(),
                              sqnr_only=args.sqnr_only)
            rows.append(row)
            print("%-34s f32: %-10s int8: %s" % (
                row["folder"], row.get("f32", ""),
                ("%.1f dB" % row["int8_sqnr_db"]) if row.get("int8") == "ok"
                else row.get("int8", "")), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": cpu_name(), "rows": rows}, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(rows, args.rtol))
    bad = [r for r in rows if r.get("f32") != "match"]
    if args.sqnr_only:
        bad = []
    else:
        print("%d of %d models match torch in f32" % (len(rows) - len(bad),
                                                      len(rows)))
    no_int8 = [r for r in rows if r.get("int8") != "ok"]
    print("%d of %d models compile and run in int8" % (len(rows) - len(no_int8),
                                                       len(rows)))
    sys.exit(1 if bad or (args.require_int8 and no_int8) else 0)


if __name__ == "__main__":
    main()
