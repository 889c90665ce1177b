#!/usr/bin/python3
"""Writes the small ONNX models the importer tests use (committed; run with
Debian's python3, which has python3-onnx, python3-numpy and python3-torch):

    /usr/bin/python3 test/Target/ONNX/Inputs/make_models.py
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(model, name):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def unsupported_op():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    node = helper.make_node("Hardmax", ["x"], ["y"], name="the_hardmax")
    save(helper.make_model(helper.make_graph([node], "g", [x], [y]),
                           opset_imports=[helper.make_opsetid("", 13)]),
         "unsupported_op.onnx")


def qdq_conv():
    """A QDQ convolution as exporters write it: per-axis int8 weights, an
    int32 bias dequantized along axis 0 with scale x_scale * w_scale, a no-op
    Cast after QuantizeLinear and a zero point from ConstantOfShape."""
    rng = np.random.default_rng(0)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 6, 6])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 6, 6])
    w = rng.integers(-127, 128, size=(4, 3, 3, 3)).astype(np.int8)
    w_scale = np.array([0.01, 0.02, 0.015, 0.03], np.float32)
    x_scale = np.array(0.02, np.float32)
    b = rng.integers(-500, 500, size=4).astype(np.int32)
    b_scale = (x_scale * w_scale).astype(np.float32)
    inits = [
        numpy_helper.from_array(x_scale, "x_scale"),
        numpy_helper.from_array(np.array(128, np.uint8), "x_zp"),
        numpy_helper.from_array(w, "w_q"),
        numpy_helper.from_array(w_scale, "w_scale"),
        numpy_helper.from_array(np.zeros(4, np.int8), "w_zp"),
        numpy_helper.from_array(b, "b_q"),
        numpy_helper.from_array(b_scale, "b_scale"),
        numpy_helper.from_array(np.zeros(4, np.int32), "b_zp"),
        numpy_helper.from_array(np.array(0.05, np.float32), "y_scale"),
        numpy_helper.from_array(np.array([1], np.int64), "one"),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"]),
        helper.make_node("Cast", ["xq"], ["xq2"], to=TensorProto.UINT8),
        helper.make_node("DequantizeLinear", ["xq2", "x_scale", "x_zp"], ["xd"]),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zp"], ["wd"], axis=0),
        helper.make_node("DequantizeLinear", ["b_q", "b_scale", "b_zp"], ["bd"], axis=0),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["c"], pads=[1, 1, 1, 1],
                         name="conv"),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("ConstantOfShape", ["one"], ["y_zp1"],
                         value=numpy_helper.from_array(np.array([0], np.uint8))),
        helper.make_node("Squeeze", ["y_zp1"], ["y_zp"]),
        helper.make_node("QuantizeLinear", ["r", "y_scale", "y_zp"], ["yq"]),
        helper.make_node("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"]),
    ]
    save(helper.make_model(helper.make_graph(nodes, "qdq_conv", [x], [y], inits),
                           opset_imports=[helper.make_opsetid("", 13)]),
         "qdq_conv.onnx")
    # The ONNX semantics in numpy (float convolution of dequantized values).
    xin = rng.normal(0, 1, size=(1, 3, 6, 6)).astype(np.float32)
    xq = np.clip(np.rint(xin / x_scale) + 128, 0, 255)
    xd = ((xq - 128) * x_scale).astype(np.float32)
    wd = (w.astype(np.float32) * w_scale[:, None, None, None]).astype(np.float32)
    bd = (b * b_scale).astype(np.float32)
    xp = np.pad(xd, ((0, 0), (0, 0), (1, 1), (1, 1)))
    c = np.zeros((1, 4, 6, 6), np.float32)
    for o in range(4):
        for i in range(6):
            for j in range(6):
                c[0, o, i, j] = (xp[0, :, i:i + 3, j:j + 3] * wd[o]).sum() + bd[o]
    yq = np.clip(np.rint(np.maximum(c, 0) / 0.05), 0, 255)
    np.save(os.path.join(HERE, "qdq_conv_x.npy"), xin)
    np.save(os.path.join(HERE, "qdq_conv_y.npy"), (yq * np.float32(0.05)).astype(np.float32))


def transformer_block():
    """One pre-norm transformer encoder block as PyTorch exports it, at
    opset 13 (LayerNorm decomposed into ReduceMean/Sub/Pow/Sqrt/Div) and 17
    (LayerNormalization), with symbolic batch and sequence dims; plus an
    input and the expected output."""
    import torch

    torch.manual_seed(0)

    class Block(torch.nn.Module):
        def __init__(self, d=32, heads=4):
            super().__init__()
            self.heads = heads
            self.ln1 = torch.nn.LayerNorm(d)
            self.qkv = torch.nn.Linear(d, 3 * d)
            self.proj = torch.nn.Linear(d, d)
            self.ln2 = torch.nn.LayerNorm(d)
            self.fc1 = torch.nn.Linear(d, 4 * d)
            self.fc2 = torch.nn.Linear(4 * d, d)

        def forward(self, x):
            b, t, d = x.shape
            h = self.ln1(x)
            q, k, v = self.qkv(h).split(d, dim=-1)
            q = q.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
            k = k.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
            v = v.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
            att = torch.softmax(q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5, -1)
            o = (att @ v).transpose(1, 2).reshape(b, t, d)
            x = x + self.proj(o)
            h = self.ln2(x)
            g = self.fc1(h)
            g = 0.5 * g * (1.0 + torch.erf(g / 2 ** 0.5))
            return x + self.fc2(g)

    model = Block().eval()
    x = torch.randn(2, 8, 32)
    with torch.no_grad():
        y = model(x)
    for opset in (13, 17):
        torch.onnx.export(model, x, os.path.join(HERE, f"transformer_opset{opset}.onnx"),
                          input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch", 1: "seq"},
                                        "y": {0: "batch", 1: "seq"}},
                          opset_version=opset)
    np.save(os.path.join(HERE, "transformer_x.npy"), x.numpy())
    np.save(os.path.join(HERE, "transformer_y.npy"), y.numpy())
    calib = torch.randn(16, 8, 32).numpy()
    np.save(os.path.join(HERE, "transformer_calib.npy"), calib.reshape(8, 2, 8, 32).reshape(16, 8, 32))


if __name__ == "__main__":
    unsupported_op()
    qdq_conv()
    transformer_block()
    with open(os.path.join(HERE, "malformed.onnx"), "wb") as f:
        f.write(b"\x08\x07this is not a protobuf model\xff\xff\xff")
