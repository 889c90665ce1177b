#!/usr/bin/python3
"""Re-runs the ONNX backend node tests that docs/Conformance.md lists (and any
test named on the command line, to add a candidate) through `qc run` and
rewrites the doc's tables and counts and the float section of tests.txt:

    /usr/bin/python3 test/Target/ONNX/conformance/update_conformance.py [TEST...]

Run it from the source tree with build/bin/qc built (under the build lock, so
that qc is not relinked while the tests run)."""

import glob
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
DOC = os.path.join(ROOT, "docs", "Conformance.md")
TESTS = os.path.join(HERE, "tests.txt")
QC = os.path.join(ROOT, "build", "bin", "qc")
DATA = "/usr/share/libonnx-testdata/data/node"
# Integer tests run with the quantization ones but are candidates of the
# float operators they belong to.
INTEGER = ["test_matmulinteger", "test_convinteger_with_padding",
           "test_convinteger_without_padding"]


def key(path):
    return int(re.search(r"_(\d+)\.pb$", path).group(1))


def run(test):
    """'pass', or qc's first error shortened to 'Op: reason'."""
    data = os.path.join(DATA, test, "test_data_set_0")
    cmd = [QC, "run", os.path.join(DATA, test, "model.onnx")]
    for f in sorted(glob.glob(os.path.join(data, "input_*.pb")), key=key):
        cmd += ["--input", f]
    for f in sorted(glob.glob(os.path.join(data, "output_*.pb")), key=key):
        cmd += ["--expect", f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=300)
    if p.returncode == 0 and "match the expected" in p.stdout:
        return "pass"
    errors = [l for l in p.stdout.splitlines() if "error:" in l]
    msg = errors[0] if errors else p.stdout.strip().splitlines()[-1]
    m = re.match(r".*?:\d+:\d+: error: node '.*?' \((\w+)\): (.*)$", msg)
    if m:
        return f"{m.group(1)}: {m.group(2)}"
    m = re.match(r".*?error: (.*)$", msg)
    return m.group(1) if m else msg


def main():
    doc = open(DOC).read()
    head, rest = doc.split("## Quantization tests", 1)
    quant_sec, rest = rest.split("## Float tests", 1)
    float_sec, unsup_sec = rest.split("## Not supported", 1)
    quant = re.findall(r"^\| `(test_\w+)` \|", quant_sec, re.M)
    floats = re.findall(r"^- `(test_\w+)`", float_sec, re.M)
    unsup = re.findall(r"^\| `(test_\w+)` \|", unsup_sec, re.M)
    cands = sorted(set(floats + unsup + sys.argv[1:]) - set(INTEGER) - set(quant))
    with ThreadPoolExecutor(2) as ex:
        qres = dict(zip(quant, ex.map(run, quant)))
        fres = dict(zip(cands, ex.map(run, cands)))
    qpass = [t for t in quant if qres[t] == "pass"]
    fpass = [t for t in cands if fres[t] == "pass"]
    fail = [t for t in cands if fres[t] != "pass"]

    out = head + f"## Quantization tests: {len(qpass)} of {len(quant)} pass\n\n"
    out += ("The scales and zero points of these tests are graph inputs, so they "
            "exercise run-time\nquantization parameters end to end.\n\n"
            "| test | result |\n|---|---|\n")
    out += "".join(f"| `{t}` | {qres[t]} |\n" for t in quant)
    out += f"\n## Float tests of the supported operators: {len(fpass)} pass\n\n"
    out += ("Candidates: every node test of an operator qc imports (Add, Sub, Mul, "
            "Div, Pow, Max, Min,\nSqrt, Reciprocal, Neg, Relu, Clip, Sigmoid, Tanh, "
            "Erf, the activations HardSigmoid,\nHardSwish, LeakyRelu, PRelu, Elu, "
            "Selu, Celu, Softplus, Softsign, Mish, Gelu, ThresholdedRelu,\n"
            "the math functions Exp, Log, Abs, Floor, Ceil, Round, Sign, Sin, Cos, "
            "Softmax,\nLayerNormalization, Conv, MatMul, Gemm, BatchNormalization, "
            "MaxPool, AveragePool,\nGlobalAveragePool, GlobalMaxPool, Concat, "
            "Reshape, Transpose, Flatten, Squeeze, Unsqueeze,\nSplit, Slice, ReduceMean,\n"
            "ConvTranspose, InstanceNormalization, LogSoftmax, ReduceSum, ReduceSumSquare, "
            "ReduceL1,\nReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceProd, ReduceMax, "
            "ReduceMin, ArgMax, ArgMin,\nTopK, "
            "Identity, Dropout, Cast, Shape, Size, Gather, Constant, Equal, Less,\n"
            "Greater, LessOrEqual, GreaterOrEqual, Where, Not, And, Or, Xor, Mod, "
            "Sum, Mean,\nPad, Resize, Upsample, Expand, Tile, DepthToSpace, SpaceToDepth, "
            "GatherElements,\nRange, ConstantOfShape, Einsum, LpNormalization, "
            "GroupNormalization...), and the "
            "expanded (function body)\nforms of tests made "
            "only of such operators (`*_expanded`), "
            f"{len(cands) + len(INTEGER)} tests: {len(fpass)} pass here,\n"
            f"the {len(INTEGER)} integer ones (`test_matmulinteger`, "
            "`test_convinteger_*`) are counted with the\nquantization tests "
            f"above, and {len(fail)} are not supported (below). Passing:\n\n")
    out += "".join(f"- `{t}`\n" for t in fpass)
    out += f"\n## Not supported: {len(fail)} tests\n\n"
    out += ("Each fails at import with the error shown (no crash, no output): "
            "features outside what\nqc compiles today, mostly element types qc "
            "has no tensors of (float16, bfloat16, float64,\nint16, the unsigned "
            "types but uint8, strings), shapes or axes given as run-time inputs,\n"
            "1-D/3-D windows, extra outputs (indices, masks), run-time Clip/MaxPool "
            "of integers\nand training mode.\n\n| test | qc's error |\n|---|---|\n")
    out += "".join(f"| `{t}` | {fres[t]} |\n" for t in fail)
    open(DOC, "w").write(out)

    marker = "# Float tests of the supported operators.\n"
    pre = open(TESTS).read().split(marker)[0]
    open(TESTS, "w").write(pre + marker + "".join(t + "\n" for t in fpass))
    print(json.dumps({"quantization": f"{len(qpass)}/{len(quant)}",
                      "float pass": len(fpass), "not supported": len(fail)}))


if __name__ == "__main__":
    main()
