#!/usr/bin/env python3
"""Generate a CNN of N layers as qc MLIR, plus calibration samples.

The compile-time benchmark (bench/compile-time.sh) compiles these to see how
compile time grows with the number of layers. Each layer is a 3x3
convolution (16 -> 16 channels, padding 1, bias) and a ReLU on a
1x16x16x16 activation; every second layer adds the layer's input back (a
residual connection), and every fourth layer is a depthwise convolution
instead, so that the model mixes the kernel kinds a real CNN has. Weights
are seeded random normals scaled so that activations stay in range through
any depth. Only the Python standard library is used.

  make_layers.py LAYERS OUT.mlir [--calib OUT.npy --samples 64]
"""

import argparse
import math
import random
import struct

C, H, W = 16, 16, 16


def hex_floats(values):
    """A dense<"0x..."> literal of little-endian float32 values."""
    return '"0x' + b"".join(struct.pack("<f", v) for v in values).hex().upper() + '"'


def tensor(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def make_model(layers, rng):
    act = tensor([1, C, H, W])
    lines = ["func.func @layers(%%x: %s) -> %s {" % (act, act)]
    value = "%x"
    for i in range(layers):
        depthwise = i % 4 == 3
        cin = 1 if depthwise else C
        scale = math.sqrt(2.0 / (9 * cin))
        wshape = [C, cin, 3, 3]
        weights = [rng.gauss(0.0, scale) for _ in range(C * cin * 9)]
        bias = [rng.gauss(0.0, 0.1) for _ in range(C)]
        lines.append("  %%w%d = arith.constant dense<%s> : %s"
                     % (i, hex_floats(weights), tensor(wshape)))
        lines.append("  %%b%d = arith.constant dense<%s> : %s"
                     % (i, hex_floats(bias), tensor([C])))
        groups = " groups = %d : i64," % C if depthwise else ""
        lines.append(
            "  %%c%d = qc.conv2d %s, %%w%d, %%b%d {%s pads = array<i64: 1, 1, 1, 1>}"
            " : (%s, %s, %s) -> %s"
            % (i, value, i, i, groups, act, tensor(wshape), tensor([C]), act))
        lines.append("  %%r%d = qc.clamp %%c%d {min = 0.0 : f32} : %s" % (i, i, act))
        out = "%%r%d" % i
        if i % 2 == 1:
            lines.append("  %%s%d = qc.add %s, %s : (%s, %s) -> %s"
                         % (i, out, value, act, act, act))
            # Keep the sum bounded however deep the model is.
            lines.append("  %%h%d = arith.constant dense<0.5> : tensor<f32>" % i)
            lines.append("  %%n%d = qc.mul %%s%d, %%h%d : (%s, tensor<f32>) -> %s"
                         % (i, i, i, act, act))
            out = "%%n%d" % i
        value = out
    lines.append("  return %s : %s" % (value, act))
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_npy(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % d for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(b"".join(struct.pack("<f", v) for v in values))


def make_samples(count, rng):
    """Smooth random images: a sum of a few random sinusoids per channel."""
    values = []
    for _ in range(count):
        for _ in range(C):
            waves = [(rng.uniform(0.1, 0.8), rng.uniform(0.1, 0.8),
                      rng.uniform(0, 6.3), rng.uniform(0.2, 1.0))
                     for _ in range(3)]
            for y in range(H):
                for x in range(W):
                    values.append(sum(a * math.sin(fx * x + fy * y + p)
                                      for fx, fy, p, a in waves))
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layers", type=int)
    parser.add_argument("out")
    parser.add_argument("--calib", help="also write calibration samples here")
    parser.add_argument("--samples", type=int, default=64)
    args = parser.parse_args()
    rng = random.Random(args.layers)
    with open(args.out, "w") as f:
        f.write(make_model(args.layers, rng))
    if args.calib:
        write_npy(args.calib, [args.samples, C, H, W],
                  make_samples(args.samples, random.Random(7)))


if __name__ == "__main__":
    main()
