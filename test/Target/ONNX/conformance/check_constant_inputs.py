#!/usr/bin/python3
"""Runs ONNX backend node tests whose shape parameters (pads, scales,
sizes, repeats, starts, indices...) are graph inputs, with those inputs
turned into initializers: qc needs such values at compile time, so the
tests as written are not supported, but with the values fixed they check
the operator's semantics against ONNX's reference outputs.

    /usr/bin/python3 test/Target/ONNX/conformance/check_constant_inputs.py [TEST...]

Every input but the first becomes a constant (the first stays the data).
Without arguments it runs the data-movement tests listed below. It needs
python3-onnx and build/bin/qc, writes the rewritten models to a temporary
folder, and prints one line per test (docs/Conformance.md has the result).
"""

import glob
import os
import re
import subprocess
import sys
import tempfile

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
QC = os.path.join(HERE, "..", "..", "..", "..", "build", "bin", "qc")
DATA = "/usr/share/libonnx-testdata/data/node"
DEFAULT = r"^test_(resize|upsample|constant_pad|edge_pad|reflect_pad|expand|tile|slice|gather)"


def key(path):
    return int(re.search(r"_(\d+)\.pb$", path).group(1))


def run(test, folder):
    model = onnx.load(os.path.join(DATA, test, "model.onnx"))
    data = os.path.join(DATA, test, "test_data_set_0")
    inputs = sorted(glob.glob(os.path.join(data, "input_*.pb")), key=key)
    outputs = sorted(glob.glob(os.path.join(data, "output_*.pb")), key=key)
    known = {t.name for t in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in known]
    for value, path in list(zip(graph_inputs, inputs))[1:]:
        tensor = onnx.TensorProto()
        with open(path, "rb") as f:
            tensor.ParseFromString(f.read())
        tensor.name = value.name
        model.graph.initializer.append(tensor)
    path = os.path.join(folder, test + ".onnx")
    onnx.save(model, path)
    cmd = [QC, "run", path, "--input", inputs[0]]
    for out in outputs:
        cmd += ["--expect", out]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode == 0 and "match the expected" in p.stdout:
        return "pass"
    errors = [l for l in p.stdout.splitlines() if "error:" in l]
    return errors[0].split("error: ", 1)[1] if errors else p.stdout.strip()


def main():
    tests = sys.argv[1:] or sorted(t for t in os.listdir(DATA) if re.match(DEFAULT, t))
    passed = 0
    with tempfile.TemporaryDirectory() as folder:
        for test in tests:
            result = run(test, folder)
            passed += result == "pass"
            print(f"{test}: {result}")
    print(f"{passed} of {len(tests)} pass")


if __name__ == "__main__":
    main()
