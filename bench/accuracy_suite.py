#!/usr/bin/python3
"""Accuracy of the trained suite (test/Accuracy/make_suite.py) compiled by
qc: f32 against int8 configurations, on held-out data.

For every model of the suite and every configuration, qc compiles the model
and runs it on the model's test_x.npy; the metric is computed here from
qc's output 0: top-1 accuracy for a classifier (argmax along the last axis
against test_y), and for the CTC recognizer the share of lines read exactly
and of characters right (1 - edit distance / length) after greedy decoding
(argmax per step, repeats collapsed, blanks (0) dropped). Each
configuration is reported against the f32 compile (--no-quantize): the
metric relative to f32's, and the agreement with f32 (the same top-1 class;
for CTC the same reading of the line), with the wall time.

--mode run (default) gives the whole test set to one `qc run` (compile and
run in process):
  qc run MODEL --input test_x.npy -o out.npy [--no-quantize |
         --calibration-data calib.npy FLAGS]
--mode library compiles a shared library instead (`qc MODEL -o lib.so
--header lib.h ...`) and runs it through ctypes on batches of the model's
own batch size, for a model that `qc run` cannot take the whole test set
for.

Usage:
  bench/accuracy_suite.py --suite DIR [--qc build/bin/qc] [--models a,b]
      [--config NAME=FLAGS ...] [--mode run|library] [--markdown]

--config replaces the default int8 configuration (int8: qc's default
flags); f32 is always measured. The exit code is non-zero when a compile or
run fails (its command and qc's message are printed).
"""

import argparse
import ctypes
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def ctc_greedy(out):
    """[n, T, C] scores -> a list of label-id lists (argmax per step,
    repeats collapsed, blanks (0) dropped)."""
    read = []
    for row in out.argmax(-1):
        ids, last = [], 0
        for k in row:
            if k != last and k != 0:
                ids.append(int(k))
            last = k
        read.append(ids)
    return read


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1,
                           prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class Result:
    """The scores of one model under one configuration."""

    def __init__(self, kind, out, labels):
        self.kind = kind
        if kind == "classify":
            self.pred = out.reshape(len(labels), -1).argmax(-1)
            self.metric = float(np.mean(self.pred == labels))
            self.chars = None
        else:
            self.pred = ctc_greedy(out.reshape((len(labels),) +
                                               out.shape[-2:]))
            truth = [[int(k) for k in row if k >= 0] for row in labels]
            self.metric = float(np.mean([p == t for p, t in
                                         zip(self.pred, truth)]))
            errors = sum(edit_distance(p, t) for p, t in
                         zip(self.pred, truth))
            self.chars = 1.0 - errors / max(1, sum(len(t) for t in truth))

    def agreement(self, other):
        if self.kind == "classify":
            return float(np.mean(self.pred == other.pred))
        return float(np.mean([a == b for a, b in
                              zip(self.pred, other.pred)]))


class Failure(Exception):
    def __init__(self, cmd, message):
        super().__init__(message)
        self.cmd, self.message = cmd, message


NOTES = []  # (model, config, qc's notes) of the successful commands


def run_qc(cmd, timeout):
    """Runs qc; returns its wall time, raises Failure with its message.
    qc's notes (e.g. how many layers the accuracy budget kept in f32) go
    to NOTES."""
    start = time.time()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(cmd, "timed out after %d s" % timeout)
    seconds = time.time() - start
    if proc.returncode != 0:
        status = ("killed by signal %d" % -proc.returncode
                  if proc.returncode < 0 else "exit %d" % proc.returncode)
        text = (proc.stderr.strip() or proc.stdout.strip() or "(no output)")
        lines = text.splitlines()
        if len(lines) > 20:
            lines = lines[:10] + ["..."] + lines[-9:]
        raise Failure(cmd, status + ": " + "\n".join(lines))
    notes = [l[len("qc: "):] for l in proc.stderr.splitlines()
             if l.startswith(("qc: note:", "qc: warning:"))]
    if notes:
        NOTES.append((run_qc.current, notes))
    return seconds


def quant_flags(folder, flags):
    """The flags of a configuration: --no-quantize as is, else the
    calibration data first."""
    flags = shlex.split(flags)
    if "--no-quantize" in flags:
        return flags
    return ["--calibration-data", os.path.join(folder, "calib.npy")] + flags


def measure_run(args, folder, flags, tmp):
    """One `qc run` over the whole test set: (output 0, compile s, run s);
    the compile and the run are one wall time (reported as run s = None)."""
    out = os.path.join(tmp, "out.npy")
    if os.path.exists(out):
        os.remove(out)
    cmd = [args.qc, "run", os.path.join(folder, "model.onnx"), "--input",
           os.path.join(folder, "test_x.npy"), "-o", out] + flags
    seconds = run_qc(cmd, args.timeout)
    return np.load(out), seconds, None


def measure_library(args, folder, flags, tmp, info):
    """A shared library run through ctypes, batch by batch (the model's
    own batch size; the last batch padded): (output 0, compile s, run s)."""
    measure_library.count = getattr(measure_library, "count", 0) + 1
    # A file of its own per compile: dlopen returns a library already
    # loaded from the same path.
    lib_path = os.path.join(tmp, "m%d.so" % measure_library.count)
    header = os.path.join(tmp, "m%d.h" % measure_library.count)
    cmd = [args.qc, os.path.join(folder, "model.onnx"), "--name", "m",
           "-o", lib_path, "--header", header] + flags
    compile_s = run_qc(cmd, args.timeout)
    with open(header) as f:
        text = f.read()
    line = next(l for l in text.splitlines() if "output 0" in l)
    out_shape = tuple(int(d) for d in re.findall(r"\[(\d+)\]", line))
    x = np.load(os.path.join(folder, "test_x.npy"))
    batch = int(info["input"]["shape"][0])
    lib = ctypes.CDLL(lib_path)
    lib.m_workspace_size.restype = ctypes.c_size_t
    lib.m_run.restype = ctypes.c_int
    lib.m_run.argtypes = [ctypes.c_void_p] * 3
    workspace = np.empty(lib.m_workspace_size() + 64, np.uint8)
    ws = workspace.ctypes.data + (-workspace.ctypes.data % 64)
    outs = []
    start = time.time()
    for i in range(0, len(x), batch):
        chunk = np.zeros((batch,) + x.shape[1:], x.dtype)
        part = x[i:i + batch]
        chunk[:len(part)] = part
        out = np.empty(out_shape, np.float32)
        ins = (ctypes.c_void_p * 1)(chunk.ctypes.data)
        res = (ctypes.c_void_p * 1)(out.ctypes.data)
        status = lib.m_run(ins, res, ctypes.c_void_p(ws))
        if status != 0:
            raise Failure(cmd, "m_run returned %d" % status)
        outs.append(out[:len(part)])
    run_s = time.time() - start
    return np.concatenate(outs), compile_s, run_s


def fmt_pct(value):
    return "" if value is None else "%.2f%%" % (100 * value)


def fmt_s(value):
    return "" if value is None else "%.1f" % value


def print_table(rows, markdown):
    head = ["model", "task", "config", "metric", "vs f32", "agrees with f32",
            "chars right", "torch f32", "compile s", "run s"]
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(h), *(len(r[i]) for r in rows))
              for i, h in enumerate(head)]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", required=True,
                    help="the folder make_suite.py wrote")
    ap.add_argument("--qc", default=os.path.join(ROOT, "build", "bin", "qc"))
    ap.add_argument("--models", help="comma-separated model names "
                    "(default: every folder of the suite)")
    ap.add_argument("--config", action="append", default=[],
                    help="NAME=QC_FLAGS, repeatable (default: int8= with "
                    "qc's default flags); f32 (--no-quantize) always runs")
    ap.add_argument("--mode", choices=["run", "library"], default="run",
                    help="run: one `qc run` on the whole test set "
                    "(default); library: a shared library through ctypes, "
                    "batch by batch")
    ap.add_argument("--timeout", type=int, default=1800,
                    help="seconds per qc command (default 1800)")
    ap.add_argument("--markdown", action="store_true",
                    help="print the table as markdown")
    args = ap.parse_args()
    if not os.path.exists(args.qc):
        sys.exit("accuracy_suite: no qc at %s (build it, or give --qc)"
                 % args.qc)
    configs = []
    for spec in args.config:
        if "=" not in spec:
            ap.error("--config wants NAME=FLAGS, got '%s'" % spec)
        configs.append(tuple(spec.split("=", 1)))
    configs = [("f32", "--no-quantize")] + (configs or [("int8", "")])
    if args.models:
        names = args.models.split(",")
    else:
        names = sorted(n for n in os.listdir(args.suite) if os.path.exists(
            os.path.join(args.suite, n, "info.json")))
    if not names:
        sys.exit("accuracy_suite: no models in %s" % args.suite)

    rows, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            folder = os.path.join(args.suite, name)
            with open(os.path.join(folder, "info.json")) as f:
                info = json.load(f)
            kind = info["task"]
            labels = np.load(os.path.join(folder, "test_y.npy"))
            torch_f32 = info.get("f32_test_metric_torch")
            metric = "top-1" if kind == "classify" else "lines exact"
            base = None
            for config, flags in configs:
                qflags = quant_flags(folder, flags)
                run_qc.current = "%s %s" % (name, config)
                try:
                    if args.mode == "run":
                        out, c, r = measure_run(args, folder, qflags, tmp)
                    else:
                        out, c, r = measure_library(args, folder, qflags,
                                                    tmp, info)
                    result = Result(kind, out, labels)
                except Failure as err:
                    failures.append((name, config, err))
                    print("FAILED %s %s: %s\n  command: %s"
                          % (name, config, err.message,
                             " ".join(shlex.quote(a) for a in err.cmd)),
                          file=sys.stderr, flush=True)
                    if "but the model expects" in err.message:
                        print("  (qc run does not take more samples than "
                              "the model's batch; --mode library runs the "
                              "test set batch by batch)", file=sys.stderr)
                    rows.append([name, kind, config, "FAILED", "", "", "",
                                 fmt_pct(torch_f32), "", ""])
                    continue
                if config == "f32":
                    base = result
                rel = agree = ""
                if base is not None and result is not base:
                    rel = ("%.1f%%" % (100 * result.metric / base.metric)
                           if base.metric else "")
                    agree = fmt_pct(result.agreement(base))
                rows.append([name, kind, config, fmt_pct(result.metric), rel,
                             agree, fmt_pct(result.chars),
                             fmt_pct(torch_f32), fmt_s(c), fmt_s(r)])
                print("  %s %s: %s %s (%s s)" % (name, config, metric,
                                                 fmt_pct(result.metric),
                                                 fmt_s(c)),
                      file=sys.stderr, flush=True)
    print("# qc %s mode on %s; metric: top-1 (classify) or lines read "
          "exactly (ctc)%s" % (args.mode, args.suite,
                               "" if args.mode == "library" else
                               "; compile s is compile + run"))
    print_table(rows, args.markdown)
    if NOTES:
        print()
    for what, notes in NOTES:
        for note in notes:
            print("%s%s: %s" % ("- " if args.markdown else "", what, note))
    if failures:
        print("%d of %d compiles or runs failed" %
              (len(failures), len(names) * len(configs)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
