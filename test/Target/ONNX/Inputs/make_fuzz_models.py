#!/usr/bin/env python3
"""Hand-written forms of what the fuzz targets found (fuzz/, docs/Hardening.md).

The byte-level findings are committed as the fuzzers wrote them
(fuzz_*.onnx next to this file); these are the same faults written with
onnx.helper, named fuzz_<what>.onnx, for fuzz-regressions.test.
Run: /usr/bin/python3 make_fuzz_models.py
"""

import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, nodes, inits, shape=(2, 3)):
    f32 = TensorProto.FLOAT
    ins = [helper.make_tensor_value_info("x", f32, list(shape))]
    outs = [helper.make_tensor_value_info("y", f32, None)]
    g = helper.make_graph(nodes, name, ins, outs, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(m, os.path.join(HERE, "fuzz_" + name + ".onnx"))


def tensor(name, dims, raw=b""):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    if raw:
        t.raw_data = raw
    return t


def main():
    add = [helper.make_node("Add", ["x", "w"], ["y"], name="add")]
    # An initializer whose dims are negative: the element count was
    # reserved before the data was checked (std::length_error, an abort).
    save("initializer_negative_dims", add, [tensor("w", [-1, 3])])
    # Dims whose product overflows int64 (signed overflow, then a huge
    # reservation).
    save("initializer_overflow_dims", add,
         [tensor("w", [1 << 40, 1 << 40], b"\0" * 4)])
    # A Constant node's tensor with dims far beyond the element limit.
    const = helper.make_node("Constant", [], ["w"], name="c",
                             value=tensor("cw", [1 << 20, 1 << 20]))
    save("constant_huge_dims", [const] + add, [])
    # A DepthToSpace blocksize whose square overflows int64.
    d2s = helper.make_node("DepthToSpace", ["x"], ["y"], name="d2s",
                           blocksize=1 << 33)
    save("depth_to_space_huge_block", [d2s], [], shape=(1, 4, 2, 2))


if __name__ == "__main__":
    main()
