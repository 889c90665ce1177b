#!/usr/bin/env python3
"""Copies the seed corpora of the fuzz targets into a build directory.

The seeds are the test inputs of the tree (never committed as copies):
  qc-onnx-import-fuzzer, qc-onnx-quantize-fuzzer:
      test/**/*.onnx, examples/**/*.onnx and the node models of ONNX's
      backend test suite (/usr/share/libonnx-testdata), those <= --max-len
  qc-npy-fuzzer:        test/**/*.npy, examples/**/*.npy (<= --max-len)
  qc-mlir-parse-fuzzer: test/**/*.mlir, one seed per `// -----` block
Usage: seed_corpora.py --src ROOT --out DIR [--max-len BYTES]
Writes DIR/<fuzzer>/<name>; an existing DIR/<fuzzer> is replaced.
"""

import argparse
import glob
import hashlib
import os
import shutil

ONNX_TESTDATA = "/usr/share/libonnx-testdata/data/node"


def files(root, pattern):
    return sorted(glob.glob(os.path.join(root, "**", pattern), recursive=True))


def write(outdir, data):
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--max-len", type=int, default=65536)
    args = p.parse_args()

    def fresh(name):
        d = os.path.join(args.out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    def small(path):
        return os.path.getsize(path) <= args.max_len

    onnx = [f for d in ("test", "examples")
            for f in files(os.path.join(args.src, d), "*.onnx")]
    onnx += files(ONNX_TESTDATA, "model.onnx")
    npy = [f for d in ("test", "examples")
           for f in files(os.path.join(args.src, d), "*.npy")]
    mlir = files(os.path.join(args.src, "test"), "*.mlir")

    counts = {}
    for fuzzer in ("qc-onnx-import-fuzzer", "qc-onnx-quantize-fuzzer"):
        d = fresh(fuzzer)
        for f in filter(small, onnx):
            with open(f, "rb") as h:
                write(d, h.read())
        counts[fuzzer] = len(os.listdir(d))
    d = fresh("qc-npy-fuzzer")
    for f in filter(small, npy):
        with open(f, "rb") as h:
            write(d, h.read())
    counts["qc-npy-fuzzer"] = len(os.listdir(d))
    d = fresh("qc-mlir-parse-fuzzer")
    for f in mlir:
        with open(f, "rb") as h:
            text = h.read()
        for block in text.split(b"\n// -----\n"):
            if block.strip() and len(block) <= args.max_len:
                write(d, block)
    counts["qc-mlir-parse-fuzzer"] = len(os.listdir(d))
    for k, v in counts.items():
        print(f"seed_corpora: {k}: {v} seeds")


if __name__ == "__main__":
    main()
