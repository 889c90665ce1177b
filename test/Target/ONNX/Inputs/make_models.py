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


def quantize(x, scale, zp, lo=0, hi=255):
    """ONNX QuantizeLinear: round half to even, saturate."""
    return np.clip(np.rint(x / np.float32(scale)) + zp, lo, hi)


def conv2d(x, w, b, pad):
    """NCHW float convolution, stride 1 (the reference the tests compare
    qc's output with)."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    y = np.zeros((n, o, oh, ow), np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i:i + kh, j:j + kw].astype(np.float64)
            y[:, :, i, j] = np.einsum("nchw,ochw->no", patch, w) + b
    return y


def bn_conv():
    """Convolutions followed by BatchNormalization (inference form), one
    with a bias and one without: the importer folds each BN into its
    convolution's weights and bias."""
    rng = np.random.default_rng(1)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 7, 7])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5, 7, 7])
    w1 = rng.normal(0, 0.3, (4, 3, 3, 3)).astype(np.float32)
    b1 = rng.normal(0, 0.1, 4).astype(np.float32)
    w2 = rng.normal(0, 0.3, (5, 4, 1, 1)).astype(np.float32)
    bn = []
    for c in (4, 5):
        bn.append([rng.uniform(0.5, 1.5, c).astype(np.float32),
                   rng.normal(0, 0.2, c).astype(np.float32),
                   rng.normal(0, 0.2, c).astype(np.float32),
                   rng.uniform(0.2, 2.0, c).astype(np.float32)])
    inits = [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
             numpy_helper.from_array(w2, "w2")]
    for k, names in enumerate(bn):
        for name, v in zip(("gamma", "beta", "mean", "var"), names):
            inits.append(numpy_helper.from_array(v, f"{name}{k}"))
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
        helper.make_node("BatchNormalization", ["c1", "gamma0", "beta0", "mean0", "var0"],
                         ["n1"], epsilon=1e-3, name="bn1"),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], name="conv2"),
        helper.make_node("BatchNormalization", ["c2", "gamma1", "beta1", "mean1", "var1"],
                         ["y"], name="bn2"),
    ]
    save(helper.make_model(helper.make_graph(nodes, "bn_conv", [x], [y], inits),
                           opset_imports=[helper.make_opsetid("", 15)]),
         "bn_conv.onnx")
    xin = rng.normal(0, 1, (1, 3, 7, 7)).astype(np.float32)

    def batchnorm(v, p, eps):
        g, b, m, var = (a.astype(np.float64)[None, :, None, None] for a in p)
        return (v - m) / np.sqrt(var + eps) * g + b

    r1 = np.maximum(batchnorm(conv2d(xin, w1, b1, 1), bn[0], 1e-3), 0)
    out = batchnorm(conv2d(r1, w2, np.zeros(5), 0), bn[1], 1e-5)
    np.save(os.path.join(HERE, "bn_conv_x.npy"), xin)
    np.save(os.path.join(HERE, "bn_conv_y.npy"), out.astype(np.float32))


def runtime_elementwise():
    """Max and Min of several broadcast inputs, a Clip with a constant min
    and a run-time max (shape [1]), and a BatchNormalization whose scale and
    mean are graph inputs (bias and variance initializers)."""
    rng = np.random.default_rng(5)
    f32 = TensorProto.FLOAT
    shapes = {"x": [2, 3, 4, 5], "a": [3, 1, 1], "b": [5], "hi": [1], "s": [3],
              "m": [3]}
    ins = [helper.make_tensor_value_info(n, f32, s) for n, s in shapes.items()]
    y = helper.make_tensor_value_info("y", f32, [2, 3, 4, 5])
    bias = rng.normal(0, 0.5, 3).astype(np.float32)
    var = rng.uniform(0.2, 2.0, 3).astype(np.float32)
    inits = [numpy_helper.from_array(np.array(-0.5, np.float32), "lo"),
             numpy_helper.from_array(bias, "bias"),
             numpy_helper.from_array(var, "var")]
    nodes = [
        helper.make_node("Max", ["x", "a", "b"], ["mx"], name="max"),
        helper.make_node("Min", ["mx", "a"], ["mn"], name="min"),
        helper.make_node("Clip", ["mn", "lo", "hi"], ["c"], name="clip"),
        helper.make_node("BatchNormalization", ["c", "s", "bias", "m", "var"], ["y"],
                         epsilon=1e-3, name="bn"),
    ]
    save(helper.make_model(helper.make_graph(nodes, "runtime_elementwise", ins, [y],
                                             inits),
                           opset_imports=[helper.make_opsetid("", 15)]),
         "runtime_elementwise.onnx")
    v = {n: rng.normal(0, 1, s).astype(np.float32) for n, s in shapes.items()}
    v["hi"] = np.array([0.8], np.float32)
    v["s"] = rng.uniform(0.5, 1.5, 3).astype(np.float32)
    c = np.clip(np.minimum(np.maximum(np.maximum(v["x"], v["a"]), v["b"]), v["a"]),
                -0.5, v["hi"][0])
    ch = (slice(None), None, None)
    out = ((c - v["m"][ch]) / np.sqrt(var[ch] + np.float32(1e-3)) * v["s"][ch]
           + bias[ch])
    for n in shapes:
        np.save(os.path.join(HERE, f"runtime_elementwise_{n}.npy"), v[n])
    np.save(os.path.join(HERE, "runtime_elementwise_y.npy"), out.astype(np.float32))


def ort_qdq():
    """A QDQ model laid out the way ONNX Runtime's static quantization
    writes it: u8 activations with scalar u8 zero points, every activation
    tensor followed by a QuantizeLinear/DequantizeLinear pair (shared scale
    initializers), int8 per-channel conv weights and int32 biases stored
    quantized behind a DequantizeLinear, a ReLU with its own QDQ pair, max
    pooling with its input's parameters, global average pooling, Flatten
    and a Gemm (transB) with per-tensor int8 weights."""
    rng = np.random.default_rng(2)
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 2, 6, 6])
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3])
    s_in, z_in = np.float32(0.03), 128
    s_conv, z_conv = np.float32(0.05), 120
    s_relu = np.float32(0.025)
    s_gap, z_gap = np.float32(0.01), 3
    s_out, z_out = np.float32(0.04), 130
    w = rng.integers(-127, 128, (4, 2, 3, 3)).astype(np.int8)
    w_s = np.array([0.004, 0.006, 0.005, 0.003], np.float32)
    b = rng.integers(-300, 300, 4).astype(np.int32)
    b_s = (s_in * w_s).astype(np.float32)
    fw = rng.integers(-127, 128, (3, 4)).astype(np.int8)
    fw_s = np.float32(0.02)
    fb = rng.integers(-200, 200, 3).astype(np.int32)
    fb_s = np.float32(s_gap * fw_s)
    t = numpy_helper.from_array
    inits = [
        t(np.array(s_in), "input_scale"), t(np.array(z_in, np.uint8), "input_zero_point"),
        t(np.array(s_conv), "conv_out_scale"), t(np.array(z_conv, np.uint8), "conv_out_zero_point"),
        t(np.array(s_relu), "relu_out_scale"), t(np.array(0, np.uint8), "relu_out_zero_point"),
        t(np.array(s_gap), "gap_out_scale"), t(np.array(z_gap, np.uint8), "gap_out_zero_point"),
        t(np.array(s_out), "output_scale"), t(np.array(z_out, np.uint8), "output_zero_point"),
        t(w, "conv.weight_quantized"), t(w_s, "conv.weight_scale"),
        t(np.zeros(4, np.int8), "conv.weight_zero_point"),
        t(b, "conv.bias_quantized"), t(b_s, "conv.bias_scale"),
        t(np.zeros(4, np.int32), "conv.bias_zero_point"),
        t(fw, "fc.weight_quantized"), t(np.array(fw_s), "fc.weight_scale"),
        t(np.array(0, np.int8), "fc.weight_zero_point"),
        t(fb, "fc.bias_quantized"), t(np.array(fb_s), "fc.bias_scale"),
        t(np.array(0, np.int32), "fc.bias_zero_point"),
    ]

    def qdq(name, scale, zp):
        return [helper.make_node("QuantizeLinear", [name, scale, zp], [name + "_quantized"],
                                 name=name + "_QuantizeLinear"),
                helper.make_node("DequantizeLinear", [name + "_quantized", scale, zp],
                                 [name + "_dequantized"], name=name + "_DequantizeLinear")]

    nodes = qdq("input", "input_scale", "input_zero_point") + [
        helper.make_node("DequantizeLinear", ["conv.weight_quantized", "conv.weight_scale",
                                              "conv.weight_zero_point"], ["conv.weight"], axis=0),
        helper.make_node("DequantizeLinear", ["conv.bias_quantized", "conv.bias_scale",
                                              "conv.bias_zero_point"], ["conv.bias"], axis=0),
        helper.make_node("Conv", ["input_dequantized", "conv.weight", "conv.bias"], ["conv_out"],
                         pads=[1, 1, 1, 1], name="Conv_0"),
    ] + qdq("conv_out", "conv_out_scale", "conv_out_zero_point") + [
        helper.make_node("Relu", ["conv_out_dequantized"], ["relu_out"], name="Relu_1"),
    ] + qdq("relu_out", "relu_out_scale", "relu_out_zero_point") + [
        helper.make_node("MaxPool", ["relu_out_dequantized"], ["pool_out"], kernel_shape=[2, 2],
                         strides=[2, 2], name="MaxPool_2"),
    ] + qdq("pool_out", "relu_out_scale", "relu_out_zero_point") + [
        helper.make_node("GlobalAveragePool", ["pool_out_dequantized"], ["gap_out"],
                         name="GlobalAveragePool_3"),
    ] + qdq("gap_out", "gap_out_scale", "gap_out_zero_point") + [
        helper.make_node("Flatten", ["gap_out_dequantized"], ["flat"], name="Flatten_4"),
        helper.make_node("DequantizeLinear", ["fc.weight_quantized", "fc.weight_scale",
                                              "fc.weight_zero_point"], ["fc.weight"]),
        helper.make_node("DequantizeLinear", ["fc.bias_quantized", "fc.bias_scale",
                                              "fc.bias_zero_point"], ["fc.bias"]),
        helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["fc_out"], transB=1,
                         name="Gemm_5"),
        helper.make_node("QuantizeLinear", ["fc_out", "output_scale", "output_zero_point"],
                         ["fc_out_quantized"]),
        helper.make_node("DequantizeLinear", ["fc_out_quantized", "output_scale",
                                              "output_zero_point"], ["output"]),
    ]
    save(helper.make_model(helper.make_graph(nodes, "ort_qdq", [x], [y], inits),
                           opset_imports=[helper.make_opsetid("", 13)]),
         "ort_qdq.onnx")
    # ONNX's semantics: float ops between quantize/dequantize steps.
    xin = rng.normal(0, 1, (1, 2, 6, 6)).astype(np.float32)
    dq = lambda q, s, z: (q - z) * np.float64(s)
    a = dq(quantize(xin, s_in, z_in), s_in, z_in)
    c = conv2d(a, w.astype(np.float64) * w_s[:, None, None, None].astype(np.float64),
               b * b_s.astype(np.float64), 1)
    c = dq(quantize(c, s_conv, z_conv), s_conv, z_conv)
    r = dq(quantize(np.maximum(c, 0), s_relu, 0), s_relu, 0)
    p = r.reshape(1, 4, 3, 2, 3, 2).max(axis=(3, 5))
    g = dq(quantize(p.mean(axis=(2, 3)), s_gap, z_gap), s_gap, z_gap)
    f = g @ (fw.astype(np.float64) * fw_s).T + fb * np.float64(fb_s)
    out = dq(quantize(f, s_out, z_out), s_out, z_out)
    np.save(os.path.join(HERE, "ort_qdq_x.npy"), xin)
    np.save(os.path.join(HERE, "ort_qdq_y.npy"), out.astype(np.float32))


def invalid_models():
    """Models that pass protobuf parsing but are wrong: the importer must
    name the node and the reason, never crash."""
    def model(nodes, inits, name, out_shape):
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)
        m = helper.make_model(helper.make_graph(nodes, name, [x], [y], inits),
                              opset_imports=[helper.make_opsetid("", 13)])
        onnx.save(m, os.path.join(HERE, name + ".onnx"))  # no checker: invalid

    t = numpy_helper.from_array
    model([helper.make_node("ConstantOfShape", ["shape"], ["z"], name="fill"),
           helper.make_node("Add", ["x", "z"], ["y"])],
          [t(np.array([2, -3], np.int64), "shape")], "bad_constant_of_shape", [2, 3])
    model([helper.make_node("Transpose", ["c"], ["ct"], perm=[0, 0], name="flip"),
           helper.make_node("Add", ["x", "ct"], ["y"])],
          [t(np.zeros((3, 2), np.float32), "c")], "bad_transpose_perm", [2, 3])
    model([helper.make_node("Concat", ["a", "b"], ["c"], axis=3, name="join"),
           helper.make_node("Add", ["x", "c"], ["y"])],
          [t(np.zeros((1, 3), np.float32), "a"), t(np.zeros((1, 3), np.float32), "b")],
          "bad_concat_axis", [2, 3])
    model([helper.make_node("Reshape", ["c", "shape"], ["r"], name="reshape"),
           helper.make_node("Add", ["x", "r"], ["y"])],
          [t(np.zeros(6, np.float32), "c"), t(np.array([4, 2], np.int64), "shape")],
          "bad_reshape", [2, 3])


def invalid_runtime_models():
    """Malformed nodes whose data input is a run-time value (a graph input),
    so that they reach the operator importers rather than constant folding:
    each must be an error naming the node and the reason."""
    t = numpy_helper.from_array
    f32 = TensorProto.FLOAT

    def model(name, nodes, inits=(), inputs=(("x", f32, [2, 3]),),
              outputs=(("y", f32, None),), opset=13):
        ins = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in inputs]
        outs = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in outputs]
        m = helper.make_model(helper.make_graph(nodes, name, ins, outs, list(inits)),
                              opset_imports=[helper.make_opsetid("", opset)])
        onnx.save(m, os.path.join(HERE, "bad_rt_" + name + ".onnx"))  # no checker

    node = helper.make_node
    nchw = (("x", f32, [1, 3, 5, 5]),)
    # Contrib ops: an unsupported com.microsoft op, NHWC pooling, and
    # per-channel parameters where ONNX Runtime wants one value.
    def ms_model(name, nodes, inits=(), inputs=(("x", f32, [1, 3, 4, 4]),)):
        ins = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in inputs]
        outs = [helper.make_tensor_value_info("y", f32, None)]
        m = helper.make_model(
            helper.make_graph(nodes, name, ins, outs, list(inits)),
            opset_imports=[helper.make_opsetid("", 13),
                           helper.make_opsetid("com.microsoft", 1)])
        onnx.save(m, os.path.join(HERE, "bad_rt_" + name + ".onnx"))
    q = [t(np.array(0.1, np.float32), "s"), t(np.array(128, np.uint8), "z"),
         t(np.array([0.1, 0.2, 0.3], np.float32), "s3")]
    quant = node("QuantizeLinear", ["x", "s", "z"], ["xq"])
    deq = node("DequantizeLinear", ["yq", "s", "z"], ["y"])
    ms_model("contrib_unknown", [node("FusedConv", ["x", "x"], ["y"],
                                      domain="com.microsoft", name="fc")])
    ms_model("contrib_nhwc", [quant, node(
        "QLinearGlobalAveragePool", ["xq", "s", "z", "s", "z"], ["yq"],
        channels_last=1, domain="com.microsoft", name="gap"), deq], q)
    ms_model("contrib_scale", [quant, node(
        "QLinearSigmoid", ["xq", "s3", "z", "s", "z"], ["yq"],
        domain="com.microsoft", name="sig"), deq], q)
    # Transpose: duplicated, out-of-range and too few perm entries.
    model("transpose_dup", [node("Transpose", ["x"], ["y"], perm=[0, 0], name="t")])
    model("transpose_range", [node("Transpose", ["x"], ["y"], perm=[0, 2], name="t")])
    model("transpose_rank", [node("Transpose", ["x"], ["y"], perm=[1], name="t")])
    # Concat: no inputs, axis out of range, ranks and dims that differ.
    model("concat_empty", [node("Concat", [], ["c"], axis=0, name="cat"),
                           node("Add", ["x", "c"], ["y"])])
    model("concat_axis", [node("Concat", ["x", "x"], ["y"], axis=2, name="cat")])
    model("concat_rank", [node("Concat", ["x", "z"], ["y"], axis=0, name="cat")],
          inputs=(("x", f32, [2, 3]), ("z", f32, [2, 3, 1])))
    model("concat_dims", [node("Concat", ["x", "z"], ["y"], axis=1, name="cat")],
          inputs=(("x", f32, [2, 3]), ("z", f32, [3, 3])))
    # Split: axis out of range, sizes that do not add up, are negative or
    # are not one per output, and no outputs at all.
    model("split_axis", [node("Split", ["x"], ["y", "z"], axis=-3, name="split")],
          outputs=(("y", f32, None), ("z", f32, None)))
    model("split_sum", [node("Split", ["x", "s"], ["y", "z"], axis=1, name="split")],
          [t(np.array([1, 1], np.int64), "s")], outputs=(("y", f32, None), ("z", f32, None)))
    model("split_negative", [node("Split", ["x", "s"], ["y", "z"], axis=1, name="split")],
          [t(np.array([4, -1], np.int64), "s")], outputs=(("y", f32, None), ("z", f32, None)))
    model("split_count", [node("Split", ["x", "s"], ["y", "z", "w"], axis=1, name="split")],
          [t(np.array([1, 2], np.int64), "s")],
          outputs=(("y", f32, None), ("z", f32, None), ("w", f32, None)))
    model("split_no_outputs", [node("Split", ["x"], [], axis=1, name="split"),
                               node("Identity", ["x"], ["y"])])
    # Axes used to split the shape: Softmax (both opsets), Flatten,
    # LayerNormalization, ReduceMean, Squeeze, Unsqueeze, Slice.
    model("softmax_axis", [node("Softmax", ["x"], ["y"], axis=2, name="sm")])
    model("softmax_axis_opset11", [node("Softmax", ["x"], ["y"], axis=-3, name="sm")],
          opset=11)
    model("flatten_axis", [node("Flatten", ["x"], ["y"], axis=3, name="flat")])
    model("layernorm_axis", [node("LayerNormalization", ["x", "g"], ["y"], axis=2,
                                  name="ln")],
          [t(np.ones(3, np.float32), "g")], opset=17)
    model("layernorm_scale", [node("LayerNormalization", ["x", "g"], ["y"], name="ln")],
          [t(np.ones(4, np.float32), "g")], opset=17)
    model("reducemean_axes", [node("ReduceMean", ["x"], ["y"], axes=[2], name="mean")])
    model("squeeze_axes", [node("Squeeze", ["x", "a"], ["y"], name="sq")],
          [t(np.array([4], np.int64), "a")])
    model("unsqueeze_axes", [node("Unsqueeze", ["x", "a"], ["y"], name="unsq")],
          [t(np.array([-9], np.int64), "a")])
    model("slice_axes", [node("Slice", ["x", "s", "e", "a"], ["y"], name="slice")],
          [t(np.array([0], np.int64), "s"), t(np.array([1], np.int64), "e"),
           t(np.array([2], np.int64), "a")])
    # Reshape: element counts that differ, negative dims.
    model("reshape_count", [node("Reshape", ["x", "s"], ["y"], name="reshape")],
          [t(np.array([4, 2], np.int64), "s")])
    model("reshape_negative", [node("Reshape", ["x", "s"], ["y"], name="reshape")],
          [t(np.array([-2, -3], np.int64), "s")])
    # Gather: a constant index out of range.
    model("gather_index", [node("Gather", ["c", "i"], ["g"], axis=0, name="gather"),
                           node("Add", ["x", "g"], ["y"])],
          [t(np.zeros((2, 3), np.float32), "c"), t(np.array([2], np.int64), "i")])
    # Products whose shapes do not fit.
    model("matmul_shapes", [node("MatMul", ["x", "w"], ["y"], name="mm")],
          [t(np.zeros((2, 4), np.float32), "w")])
    model("gemm_shapes", [node("Gemm", ["x", "w"], ["y"], transB=1, name="fc")],
          [t(np.zeros((4, 2), np.float32), "w")])
    model("conv_channels", [node("Conv", ["x", "w"], ["y"], name="conv")],
          [t(np.zeros((4, 2, 3, 3), np.float32), "w")], inputs=nchw)
    model("conv_kernel", [node("Conv", ["x", "w"], ["y"], name="conv")],
          [t(np.zeros((4, 3, 7, 7), np.float32), "w")], inputs=nchw)
    model("conv_strides", [node("Conv", ["x", "w"], ["y"], strides=[0, 1], name="conv")],
          [t(np.zeros((4, 3, 3, 3), np.float32), "w")], inputs=nchw)
    model("conv_bias", [node("Conv", ["x", "w", "b"], ["y"], name="conv")],
          [t(np.zeros((4, 3, 3, 3), np.float32), "w"), t(np.zeros(3, np.float32), "b")],
          inputs=nchw)
    model("conv_group", [node("Conv", ["x", "w"], ["y"], group=0, name="conv")],
          [t(np.zeros((4, 3, 3, 3), np.float32), "w")], inputs=nchw)
    model("pool_strides", [node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[1],
                                name="pool")], inputs=nchw)
    model("pool_kernel", [node("AveragePool", ["x"], ["y"], kernel_shape=[0, 2],
                               name="pool")], inputs=nchw)
    # Clip bounds that are empty tensors.
    model("clip_empty", [node("Clip", ["x", "lo"], ["y"], name="clip")],
          [t(np.zeros(0, np.float32), "lo")])
    # Max/Min: no inputs, shapes that do not broadcast.
    model("max_empty", [node("Max", [], ["m"], name="max"),
                        node("Add", ["x", "m"], ["y"])])
    model("min_shapes", [node("Min", ["x", "x", "z"], ["y"], name="min")],
          inputs=(("x", f32, [2, 3]), ("z", f32, [4])))
    # A run-time Clip bound that is not a single value.
    model("clip_bound", [node("Clip", ["x", "", "hi"], ["y"], name="clip")],
          inputs=(("x", f32, [2, 3]), ("hi", f32, [3])))
    # BatchNormalization: training mode, run-time parameters that are not
    # one per channel, an input without a channel dimension.
    bn_params = [("s", f32, [3]), ("b", f32, [3]), ("m", f32, [3]), ("v", f32, [3])]
    model("batchnorm_training",
          [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], training_mode=1,
                name="bn")], inputs=nchw + tuple(bn_params), opset=15)
    model("batchnorm_channels",
          [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn")],
          inputs=(("x", f32, [1, 4, 5, 5]),) + tuple(bn_params), opset=15)
    model("batchnorm_rank",
          [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn")],
          inputs=(("x", f32, [3]),) + tuple(bn_params), opset=15)
    # Quantization parameters that do not fit the data.
    model("quantize_axis", [node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=2, name="q"),
                            node("DequantizeLinear", ["q", "s", "z"], ["y"])],
          [t(np.ones(3, np.float32), "s"), t(np.zeros(3, np.uint8), "z")])
    model("quantize_count", [node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=1, name="q"),
                             node("DequantizeLinear", ["q", "s", "z"], ["y"])],
          [t(np.ones(4, np.float32), "s"), t(np.zeros(4, np.uint8), "z")])
    model("quantize_float_zp", [node("QuantizeLinear", ["x", "s", "z"], ["q"], name="q"),
                                node("DequantizeLinear", ["q", "s"], ["y"])],
          [t(np.ones(1, np.float32), "s")], inputs=(("x", f32, [2, 3]), ("z", f32, [1])))
    model("matmulinteger_zp", [node("MatMulInteger", ["a", "b", "az"], ["y"], name="mmi")],
          [t(np.zeros(3, np.uint8), "az")],
          inputs=(("a", TensorProto.UINT8, [2, 3]), ("b", TensorProto.UINT8, [3, 4])),
          outputs=(("y", TensorProto.INT32, None),))


def conv2d_int(x, w, pad):
    """Integer NCHW convolution, stride 1, exact in int64."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x.astype(np.int64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    y = np.zeros((n, o, oh, ow), np.int64)
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = np.einsum("nchw,ochw->no", xp[:, :, i:i + kh, j:j + kw],
                                      w.astype(np.int64))
    return y


def integer_products():
    """MatMulInteger, QLinearMatMul and ConvInteger with per-row (A),
    per-column (B) and per-output-channel (W) zero points and scales on
    non-square shapes, given at run time and as initializers, and
    DequantizeLinear of int8 data without a zero point; expected outputs
    from ONNX's definitions in numpy."""
    rng = np.random.default_rng(3)
    t = numpy_helper.from_array
    u8, i8, i32, f32 = TensorProto.UINT8, TensorProto.INT8, TensorProto.INT32, TensorProto.FLOAT
    vi = helper.make_tensor_value_info

    def save_io(name, arrays):
        for k, v in arrays.items():
            np.save(os.path.join(HERE, f"{name}_{k}.npy"), v)

    # MatMulInteger, everything at run time: A [3, 4] with a zero point per
    # row (3 values), B [4, 2] with one per column (2 values).
    a = rng.integers(0, 256, (3, 4)).astype(np.uint8)
    b = rng.integers(0, 256, (4, 2)).astype(np.uint8)
    az = np.array([3, 200, 77], np.uint8)
    bz = np.array([128, 9], np.uint8)
    y = (a.astype(np.int32) - az[:, None]) @ (b.astype(np.int32) - bz[None, :])
    save(helper.make_model(helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"])], "mmi",
        [vi("a", u8, [3, 4]), vi("b", u8, [4, 2]), vi("az", u8, [3]), vi("bz", u8, [2])],
        [vi("y", i32, [3, 2])]), opset_imports=[helper.make_opsetid("", 13)]),
        "matmulinteger_axes.onnx")
    save_io("matmulinteger_axes", {"a": a, "b": b, "az": az, "bz": bz, "y": y})

    # The same with int8 B and zero points as initializers in their N-D
    # form ([M, 1] for A, [1, N] for B).
    b8 = rng.integers(-128, 128, (4, 2)).astype(np.int8)
    bz8 = np.array([[-5, 17]], np.int8)
    y = (a.astype(np.int32) - az[:, None]) @ (b8.astype(np.int32) - bz8)
    save(helper.make_model(helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"])], "mmi_const",
        [vi("a", u8, [3, 4])], [vi("y", i32, [3, 2])],
        [t(b8, "b"), t(az.reshape(3, 1), "az"), t(bz8, "bz")]),
        opset_imports=[helper.make_opsetid("", 13)]), "matmulinteger_axes_const.onnx")
    save_io("matmulinteger_axes_const", {"y": y})

    # QLinearMatMul at run time: per-row a, per-column b, per-tensor y.
    a_s = np.array([0.02, 0.035, 0.011], np.float32)
    b_s = np.array([0.013, 0.029], np.float32)
    y_s, y_z = np.array(0.7, np.float32), np.array(120, np.uint8)
    b2 = rng.integers(0, 256, (4, 2)).astype(np.uint8)
    acc = (a.astype(np.int64) - az[:, None]) * a_s[:, None].astype(np.float64)
    acc = acc @ ((b2.astype(np.int64) - bz[None, :]) * b_s[None, :].astype(np.float64))
    yq = np.clip(np.rint(acc / np.float64(y_s)) + y_z, 0, 255).astype(np.uint8)
    names = ["a", "a_s", "az", "b", "b_s", "bz", "y_s", "y_z"]
    arrays = [a, a_s, az, b2, b_s, bz, y_s, y_z]
    save(helper.make_model(helper.make_graph(
        [helper.make_node("QLinearMatMul", names, ["y"])], "qlmm",
        [vi(n, {np.uint8: u8, np.float32: f32}[v.dtype.type], list(v.shape))
         for n, v in zip(names, arrays)], [vi("y", u8, [3, 2])]),
        opset_imports=[helper.make_opsetid("", 13)]), "qlinearmatmul_axes.onnx")
    save_io("qlinearmatmul_axes", dict(zip(names, arrays), out=yq))

    # ConvInteger with the weight's zero point per output channel, at run
    # time.
    x = rng.integers(0, 256, (1, 2, 5, 5)).astype(np.uint8)
    w = rng.integers(0, 256, (3, 2, 3, 3)).astype(np.uint8)
    xz = np.array(131, np.uint8)
    wz = np.array([0, 128, 250], np.uint8)
    y = conv2d_int(x.astype(np.int64) - xz, w.astype(np.int64) - wz[:, None, None, None], 1)
    save(helper.make_model(helper.make_graph(
        [helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], pads=[1, 1, 1, 1])],
        "convi", [vi("x", u8, [1, 2, 5, 5]), vi("w", u8, [3, 2, 3, 3]), vi("xz", u8, []),
                  vi("wz", u8, [3])], [vi("y", i32, [1, 3, 5, 5])]),
        opset_imports=[helper.make_opsetid("", 13)]), "convinteger_axes.onnx")
    save_io("convinteger_axes", {"x": x, "w": w, "xz": xz, "wz": wz,
                                 "y": y.astype(np.int32)})

    # DequantizeLinear without a zero point on int8 data: from a
    # QuantizeLinear with an int8 zero point of 0, and from an int8 input.
    xf = rng.normal(0, 4, (2, 3)).astype(np.float32)
    s = np.float32(0.125)
    q8 = rng.integers(-128, 128, (2, 3)).astype(np.int8)
    save(helper.make_model(helper.make_graph([
        helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
        helper.make_node("DequantizeLinear", ["q", "s"], ["y"]),
        helper.make_node("DequantizeLinear", ["q8", "s"], ["y8"])], "dq_i8",
        [vi("x", f32, [2, 3]), vi("q8", i8, [2, 3])],
        [vi("y", f32, [2, 3]), vi("y8", f32, [2, 3])],
        [t(np.array(s), "s"), t(np.array(0, np.int8), "z")]),
        opset_imports=[helper.make_opsetid("", 13)]), "dequantize_int8.onnx")
    save_io("dequantize_int8", {
        "x": xf, "q8": q8,
        "y": (np.clip(np.rint(xf / s), -128, 127) * s).astype(np.float32),
        "y8": (q8.astype(np.float32) * s).astype(np.float32)})


def ort_qoperator():
    """A QOperator model as ONNX Runtime writes it: QuantizeLinear on the
    float input, QLinearConv with int8 per-channel weights, their scales and
    zero points and an int32 bias as initializers, Flatten, QLinearMatMul
    with int8 per-column weights, DequantizeLinear on the output. Expected
    output from ONNX's definitions: integer accumulation, then the float
    multiplier, rounding half to even and saturation."""
    rng = np.random.default_rng(4)
    t = numpy_helper.from_array
    x_s, x_z = np.float32(0.05), np.uint8(128)
    w = rng.integers(-127, 128, (3, 2, 3, 3)).astype(np.int8)
    w_s = np.array([0.011, 0.007, 0.013], np.float32)
    b = rng.integers(-2000, 2000, 3).astype(np.int32)
    c_s, c_z = np.float32(0.13), np.uint8(100)
    m = rng.integers(-127, 128, (75, 4)).astype(np.int8)
    m_s = np.array([0.004, 0.0031, 0.0057, 0.0022], np.float32)
    y_s, y_z = np.float32(0.21), np.uint8(120)
    inits = [
        t(np.array(x_s), "x_scale"), t(np.array(x_z), "x_zero_point"),
        t(w, "conv.weight_quantized"), t(w_s, "conv.weight_scale"),
        t(np.zeros(3, np.int8), "conv.weight_zero_point"), t(b, "conv.bias_quantized"),
        t(np.array(c_s), "conv_out_scale"), t(np.array(c_z), "conv_out_zero_point"),
        t(m, "fc.weight_quantized"), t(m_s, "fc.weight_scale"),
        t(np.zeros(4, np.int8), "fc.weight_zero_point"),
        t(np.array(y_s), "y_scale"), t(np.array(y_z), "y_zero_point"),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_quantized"],
                         name="x_QuantizeLinear"),
        helper.make_node("QLinearConv", ["x_quantized", "x_scale", "x_zero_point",
                                         "conv.weight_quantized", "conv.weight_scale",
                                         "conv.weight_zero_point", "conv_out_scale",
                                         "conv_out_zero_point", "conv.bias_quantized"],
                         ["conv_out_quantized"], pads=[1, 1, 1, 1], name="Conv_0_quant"),
        helper.make_node("Flatten", ["conv_out_quantized"], ["flat_quantized"], name="Flatten_1"),
        helper.make_node("QLinearMatMul", ["flat_quantized", "conv_out_scale",
                                           "conv_out_zero_point", "fc.weight_quantized",
                                           "fc.weight_scale", "fc.weight_zero_point",
                                           "y_scale", "y_zero_point"],
                         ["y_quantized"], name="MatMul_2_quant"),
        helper.make_node("DequantizeLinear", ["y_quantized", "y_scale", "y_zero_point"], ["y"],
                         name="y_DequantizeLinear"),
    ]
    save(helper.make_model(helper.make_graph(
        nodes, "ort_qoperator",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 5, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], inits),
        opset_imports=[helper.make_opsetid("", 13)]), "ort_qoperator.onnx")
    xin = rng.normal(0, 2, (1, 2, 5, 5)).astype(np.float32)
    xq = np.clip(np.rint(xin / x_s) + x_z, 0, 255).astype(np.int64)
    acc = conv2d_int(xq - x_z, w.astype(np.int64), 1) + b[None, :, None, None]
    mult = (np.float64(x_s) * w_s.astype(np.float64) / np.float64(c_s))[None, :, None, None]
    cq = np.clip(np.rint(acc * mult) + c_z, 0, 255).astype(np.int64)
    acc = (cq.reshape(1, 75) - c_z) @ m.astype(np.int64)
    yq = np.clip(np.rint(acc * (np.float64(c_s) * m_s.astype(np.float64) / np.float64(y_s)))
                 + y_z, 0, 255)
    np.save(os.path.join(HERE, "ort_qoperator_x.npy"), xin)
    np.save(os.path.join(HERE, "ort_qoperator_y.npy"),
            ((yq - y_z) * np.float64(y_s)).astype(np.float32))


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


def activations():
    """The ONNX activations and math functions on one NCHW input, each a
    graph output: LeakyRelu with alpha > 1 and < 0, PRelu with per-channel
    slopes [C, 1, 1] (in [0, 1], mixed, and at run time, and one computed
    by an Abs of an initializer, which folds at import), and the rest with
    non-default attributes. Expected outputs from ONNX's reference
    definitions in numpy (f32)."""
    rng = np.random.default_rng(6)
    f32 = TensorProto.FLOAT
    shape = [2, 3, 4, 5]
    x = rng.normal(0, 2, shape).astype(np.float32)
    slope_unit = np.array([0.25, 0.0, 1.0], np.float32).reshape(3, 1, 1)
    slope_mixed = np.array([-0.5, 0.1, 2.0], np.float32).reshape(3, 1, 1)
    slope_rt = rng.normal(0, 1, (3, 1, 1)).astype(np.float32)
    slope_neg = np.array([-0.3, -0.6, -0.9], np.float32).reshape(3, 1, 1)
    pos, neg = np.clip(x, 0, np.inf), np.clip(x, -np.inf, 0)
    ref = {}
    nodes = []

    def add(op, name, inputs=("x",), **attrs):
        nodes.append(helper.make_node(op, list(inputs), [name], name=name, **attrs))

    add("HardSigmoid", "hardsigmoid", alpha=0.3, beta=0.4)
    ref["hardsigmoid"] = np.clip(x * np.float32(0.3) + np.float32(0.4), 0, 1)
    add("HardSwish", "hardswish")
    ref["hardswish"] = x * np.maximum(0, np.minimum(1, np.float32(1 / 6) * x + np.float32(0.5)))
    add("LeakyRelu", "leakyrelu_steep", alpha=1.5)
    ref["leakyrelu_steep"] = pos + neg * np.float32(1.5)
    add("LeakyRelu", "leakyrelu_negative", alpha=-0.5)
    ref["leakyrelu_negative"] = pos + neg * np.float32(-0.5)
    add("PRelu", "prelu_unit", ("x", "slope_unit"))
    ref["prelu_unit"] = pos + neg * slope_unit
    add("PRelu", "prelu_mixed", ("x", "slope_mixed"))
    ref["prelu_mixed"] = pos + neg * slope_mixed
    add("PRelu", "prelu_runtime", ("x", "slope"))
    ref["prelu_runtime"] = pos + neg * slope_rt
    nodes.append(helper.make_node("Abs", ["slope_neg"], ["slope_abs"], name="slope_abs"))
    add("PRelu", "prelu_folded", ("x", "slope_abs"))
    ref["prelu_folded"] = pos + neg * np.abs(slope_neg)
    add("Elu", "elu", alpha=0.7)
    ref["elu"] = pos + (np.exp(neg) - 1) * np.float32(0.7)
    add("Selu", "selu", alpha=1.5, gamma=1.2)
    ref["selu"] = pos * np.float32(1.2) + (np.exp(neg) - 1) * np.float32(1.5) * np.float32(1.2)
    add("Celu", "celu", alpha=0.5)
    ref["celu"] = np.maximum(0, x) + np.minimum(0, np.float32(0.5) * (np.exp(x / np.float32(0.5)) - 1))
    add("Softplus", "softplus")
    ref["softplus"] = np.log(np.exp(x) + 1)
    add("Softsign", "softsign")
    ref["softsign"] = x / (1 + np.abs(x))
    add("ThresholdedRelu", "thresholdedrelu", alpha=0.5)
    t = np.clip(x, 0.5, np.inf)
    t[t == 0.5] = 0
    ref["thresholdedrelu"] = t
    for op, fn in (("Exp", np.exp), ("Abs", np.abs), ("Floor", np.floor),
                   ("Ceil", np.ceil), ("Round", np.round), ("Sign", np.sign),
                   ("Sin", np.sin), ("Cos", np.cos)):
        add(op, op.lower())
        ref[op.lower()] = fn(x)
    nodes.append(helper.make_node("Log", ["abs"], ["log"], name="log"))
    ref["log"] = np.log(np.abs(x))
    t = numpy_helper.from_array
    inits = [t(slope_unit, "slope_unit"), t(slope_mixed, "slope_mixed"),
             t(slope_neg, "slope_neg")]
    outs = [helper.make_tensor_value_info(n, f32, shape) for n in ref]
    save(helper.make_model(helper.make_graph(
        nodes, "activations",
        [helper.make_tensor_value_info("x", f32, shape),
         helper.make_tensor_value_info("slope", f32, [3, 1, 1])], outs, inits),
        opset_imports=[helper.make_opsetid("", 17)]), "activations.onnx")
    np.save(os.path.join(HERE, "activations_x.npy"), x)
    np.save(os.path.join(HERE, "activations_slope.npy"), slope_rt)
    for i, (n, v) in enumerate(ref.items()):
        np.save(os.path.join(HERE, f"activations_{i:02d}_{n}.npy"), v.astype(np.float32))


def gelu_mish():
    """Gelu (opset 20) with approximate "none" and "tanh", and Mish (opset
    18), in a model that declares opset 20: python3-onnx 1.12 knows neither
    operator, so the nodes are built by hand and the checker is skipped.
    Expected outputs from ONNX's reference definitions (erf in double)."""
    import math

    rng = np.random.default_rng(7)
    f32 = TensorProto.FLOAT
    shape = [4, 64]
    x = rng.normal(0, 3, shape).astype(np.float32)
    nodes = [
        helper.make_node("Gelu", ["x"], ["gelu"], name="gelu"),
        helper.make_node("Gelu", ["x"], ["gelu_tanh"], approximate="tanh", name="gelu_tanh"),
        helper.make_node("Mish", ["x"], ["mish"], name="mish"),
    ]
    m = helper.make_model(helper.make_graph(
        nodes, "gelu_mish", [helper.make_tensor_value_info("x", f32, shape)],
        [helper.make_tensor_value_info(n, f32, shape) for n in ("gelu", "gelu_tanh", "mish")]),
        opset_imports=[helper.make_opsetid("", 20)])
    onnx.save(m, os.path.join(HERE, "gelu_mish.onnx"))  # no checker: opset 20
    xd = x.astype(np.float64)
    gelu = 0.5 * xd * (1 + np.vectorize(math.erf)(xd / np.sqrt(2)))
    gelu_tanh = 0.5 * xd * (1 + np.tanh(np.sqrt(2 / np.pi) * (xd + 0.044715 * np.power(xd, 3))))
    mish = xd * np.tanh(np.log1p(np.exp(xd)))
    np.save(os.path.join(HERE, "gelu_mish_x.npy"), x)
    for n, v in (("gelu", gelu), ("gelu_tanh", gelu_tanh), ("mish", mish)):
        np.save(os.path.join(HERE, f"gelu_mish_{n}.npy"), v.astype(np.float32))
    calib = rng.normal(0, 3, (16, 64)).astype(np.float32)
    np.save(os.path.join(HERE, "gelu_mish_calib.npy"), calib)


def qdq_activations():
    """HardSwish and LeakyRelu between QuantizeLinear/DequantizeLinear pairs,
    as a QDQ exporter writes them: the activations run in f32 between the
    quantization steps. Expected output from ONNX's definitions in numpy."""
    rng = np.random.default_rng(8)
    f32 = TensorProto.FLOAT
    shape = [1, 4, 6, 6]
    t = numpy_helper.from_array
    s_in, z_in = np.float32(0.04), np.uint8(128)
    s_hs, z_hs = np.float32(0.03), np.uint8(20)
    s_lr, z_lr = np.float32(0.035), np.uint8(60)
    inits = [t(np.array(s_in), "s_in"), t(np.array(z_in), "z_in"),
             t(np.array(s_hs), "s_hs"), t(np.array(z_hs), "z_hs"),
             t(np.array(s_lr), "s_lr"), t(np.array(z_lr), "z_lr")]
    node = helper.make_node
    nodes = [
        node("QuantizeLinear", ["x", "s_in", "z_in"], ["xq"]),
        node("DequantizeLinear", ["xq", "s_in", "z_in"], ["xd"]),
        node("HardSwish", ["xd"], ["hs"], name="hardswish"),
        node("QuantizeLinear", ["hs", "s_hs", "z_hs"], ["hsq"]),
        node("DequantizeLinear", ["hsq", "s_hs", "z_hs"], ["hsd"]),
        node("LeakyRelu", ["hsd"], ["lr"], alpha=0.2, name="leakyrelu"),
        node("QuantizeLinear", ["lr", "s_lr", "z_lr"], ["lrq"]),
        node("DequantizeLinear", ["lrq", "s_lr", "z_lr"], ["y"]),
    ]
    save(helper.make_model(helper.make_graph(
        nodes, "qdq_activations", [helper.make_tensor_value_info("x", f32, shape)],
        [helper.make_tensor_value_info("y", f32, shape)], inits),
        opset_imports=[helper.make_opsetid("", 14)]), "qdq_activations.onnx")
    x = rng.normal(0, 2, shape).astype(np.float32)
    dq = lambda q, s, z: ((q - z) * s).astype(np.float32)
    xd = dq(quantize(x, s_in, z_in), s_in, z_in)
    hs = xd * np.maximum(0, np.minimum(1, np.float32(1 / 6) * xd + np.float32(0.5)))
    hsd = dq(quantize(hs, s_hs, z_hs), s_hs, z_hs)
    lr = np.maximum(hsd, np.float32(0.2) * hsd)
    np.save(os.path.join(HERE, "qdq_activations_x.npy"), x)
    np.save(os.path.join(HERE, "qdq_activations_y.npy"), dq(quantize(lr, s_lr, z_lr), s_lr, z_lr))


def abs_sign_shape():
    """A Reshape whose target shape is computed by Abs, Sign and Mul of an
    int64 initializer: the math functions fold on integer constants."""
    f32 = TensorProto.FLOAT
    node = helper.make_node
    nodes = [node("Abs", ["s"], ["sa"]), node("Sign", ["s"], ["sg"]),
             node("Mul", ["sa", "sg"], ["sm"]), node("Abs", ["sm"], ["t"]),
             node("Reshape", ["x", "t"], ["y"], name="reshape")]
    save(helper.make_model(helper.make_graph(
        nodes, "abs_sign_shape", [helper.make_tensor_value_info("x", f32, [2, 3, 4])],
        [helper.make_tensor_value_info("y", f32, [6, 4])],
        [numpy_helper.from_array(np.array([-6, 4], np.int64), "s")]),
        opset_imports=[helper.make_opsetid("", 13)]), "abs_sign_shape.onnx")


def invalid_activation_models():
    """Activations with attributes or inputs that make no sense: an
    unknown Gelu approximation, a Celu alpha of 0 (it divides by alpha), a
    PRelu slope that does not broadcast to the input. Each must be an error
    naming the node and the attribute or input."""
    f32 = TensorProto.FLOAT

    def model(name, node, inputs=(("x", f32, [2, 3]),), opset=13):
        ins = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in inputs]
        outs = [helper.make_tensor_value_info("y", f32, None)]
        m = helper.make_model(helper.make_graph([node], name, ins, outs),
                              opset_imports=[helper.make_opsetid("", opset)])
        onnx.save(m, os.path.join(HERE, "bad_rt_" + name + ".onnx"))  # no checker

    node = helper.make_node
    model("gelu_approximate", node("Gelu", ["x"], ["y"], approximate="bogus", name="gelu"),
          opset=20)
    model("celu_alpha", node("Celu", ["x"], ["y"], alpha=0.0, name="celu"), opset=12)
    model("prelu_slope", node("PRelu", ["x", "s"], ["y"], name="prelu"),
          inputs=(("x", f32, [2, 3]), ("s", f32, [2, 1, 3])))
def trunc_div(a, b):
    """Integer division as qc defines it: truncated toward zero, a divisor
    of 0 gives 0, wrapping in the operands' type."""
    safe = np.where(b == 0, 1, b)
    q = np.abs(a.astype(object)) // np.abs(safe.astype(object))
    q = np.where((a < 0) != (safe < 0), -q, q)
    return np.where(b == 0, 0, q).astype(np.int64).astype(a.dtype)


def logic_models():
    """Bool, int32 and int64 tensors end to end: comparisons, Where, bool
    logic, Cast between every supported pair, Mod, Sum/Mean, integer
    arithmetic, a BERT-style attention mask, and mask computations on
    constants that fold at import. Expected outputs are numpy's (with qc's
    definitions where ONNX leaves a result undefined)."""
    t = numpy_helper.from_array
    T = TensorProto

    def model(name, nodes, inputs, outputs, inits=(), opset=13):
        ins = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in inputs]
        outs = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in outputs]
        save(helper.make_model(helper.make_graph(nodes, name, ins, outs, list(inits)),
                               opset_imports=[helper.make_opsetid("", opset)]),
             name + ".onnx")

    def arrays(prefix, values):
        for k, v in values.items():
            np.save(os.path.join(HERE, f"{prefix}_{k}.npy"), v)

    def folded(name, values):
        """`name`.onnx with its inputs made initializers: every node folds
        at import, with the semantics the compiled code has."""
        m = onnx.load(os.path.join(HERE, name + ".onnx"))
        g = m.graph
        for i in g.input:
            g.initializer.append(t(values[i.name], i.name))
        del g.input[:]
        save(m, name + "_const.onnx")

    # A BERT-style attention mask: an int64 mask, Equal(mask, 0) unsqueezed
    # to [B, 1, 1, S] selects -10000 in the scores (Where), and the
    # extended-mask form (1 - float(mask)) * -10000 added to them; the bool
    # mask is an output too.
    rng = np.random.default_rng(11)
    mask = (rng.random((2, 8)) > 0.35).astype(np.int64)
    mask[:, 0] = 1
    scores = rng.normal(0, 2, (2, 4, 8, 8)).astype(np.float32)
    model("bert_mask", [
        helper.make_node("Equal", ["mask", "zero"], ["pad"], name="eq"),
        helper.make_node("Unsqueeze", ["pad", "axes"], ["pad4"], name="unsq"),
        helper.make_node("Where", ["pad4", "big", "scores"], ["masked"], name="where"),
        helper.make_node("Softmax", ["masked"], ["probs"], axis=-1, name="softmax"),
        helper.make_node("Cast", ["mask"], ["maskf"], to=T.FLOAT, name="cast"),
        helper.make_node("Unsqueeze", ["maskf", "axes"], ["maskf4"], name="unsq2"),
        helper.make_node("Sub", ["one", "maskf4"], ["inv"], name="sub"),
        helper.make_node("Mul", ["inv", "big"], ["ext"], name="mul"),
        helper.make_node("Add", ["scores", "ext"], ["scores2"], name="add"),
        helper.make_node("Softmax", ["scores2"], ["probs2"], axis=-1, name="softmax2"),
        helper.make_node("Not", ["pad4"], ["keep"], name="not"),
    ], [("mask", T.INT64, [2, 8]), ("scores", T.FLOAT, [2, 4, 8, 8])],
        [("probs", T.FLOAT, [2, 4, 8, 8]), ("probs2", T.FLOAT, [2, 4, 8, 8]),
         ("keep", T.BOOL, [2, 1, 1, 8])],
        [t(np.array(0, np.int64), "zero"), t(np.array([1, 2], np.int64), "axes"),
         t(np.array(-10000, np.float32), "big"), t(np.array(1, np.float32), "one")])

    def softmax(x):
        e = np.exp(x - x.max(-1, keepdims=True))
        return (e / e.sum(-1, keepdims=True)).astype(np.float32)
    pad4 = (mask == 0)[:, None, None, :]
    ext = (np.float32(1) - mask.astype(np.float32)[:, None, None, :]) * np.float32(-10000)
    arrays("bert_mask", {"mask": mask, "scores": scores,
                         "probs": softmax(np.where(pad4, np.float32(-10000), scores)),
                         "probs2": softmax(scores + ext), "keep": ~pad4})

    # Integer arithmetic on int64 (broadcast), int32 and uint8: wrapping,
    # truncating division, both Mods, Max/Min, Where and Equal on integers.
    a = np.array([[-7, 7, 5], [-4, 9, 100]], np.int64)
    b = np.array([3, -3, 0], np.int64)
    c = np.array([2147483647, -2147483648, 100, -7], np.int32)
    d = np.array([1, -1, 0, 2], np.int32)
    u = np.array([200, 3, 255, 10], np.uint8)
    v = np.array([100, 5, 0, 3], np.uint8)
    bs = np.where(b == 0, 1, b)
    nodes = [helper.make_node(op, ins, [out], name=out, **kw) for op, ins, out, kw in [
        ("Add", ["a", "b"], "a_add", {}), ("Sub", ["a", "b"], "a_sub", {}),
        ("Mul", ["a", "b"], "a_mul", {}), ("Div", ["a", "b"], "a_div", {}),
        ("Mod", ["a", "b"], "a_mod", {}), ("Mod", ["a", "b"], "a_fmod", {"fmod": 1}),
        ("Max", ["a", "b"], "a_max", {}), ("Min", ["a", "b", "seven"], "a_min", {}),
        ("Add", ["c", "d"], "c_add", {}), ("Mul", ["c", "c"], "c_mul", {}),
        ("Div", ["c", "d"], "c_div", {}), ("Mod", ["c", "d"], "c_mod", {}),
        ("Add", ["u", "v"], "u_add", {}), ("Sub", ["v", "u"], "u_sub", {}),
        ("Div", ["u", "v"], "u_div", {}), ("Mod", ["u", "v"], "u_mod", {}),
        ("Greater", ["a", "b"], "a_gt", {}), ("Equal", ["c", "d"], "c_eq", {}),
        ("Where", ["a_gt", "a", "b"], "a_where", {})]]
    with np.errstate(all="ignore"):
        expected = {
            "a_add": a + b, "a_sub": a - b, "a_mul": a * b, "a_div": trunc_div(a, b),
            "a_mod": np.where(b == 0, 0, np.mod(a, bs)),
            "a_fmod": np.where(b == 0, 0, np.fmod(a, bs)),
            "a_max": np.maximum(a, b), "a_min": np.minimum(np.minimum(a, b), 7),
            "c_add": c + d, "c_mul": c * c, "c_div": trunc_div(c, d),
            "c_mod": np.where(d == 0, 0, np.mod(c, np.where(d == 0, 1, d))).astype(np.int32),
            "u_add": u + v, "u_sub": v - u, "u_div": np.where(v == 0, 0, u // np.where(v == 0, 1, v)).astype(np.uint8),
            "u_mod": np.where(v == 0, 0, u % np.where(v == 0, 1, v)).astype(np.uint8),
            "a_gt": a > b, "c_eq": c == d, "a_where": np.where(a > b, a, b)}
    model("int_arith", nodes,
          [("a", T.INT64, [2, 3]), ("b", T.INT64, [3]), ("c", T.INT32, [4]),
           ("d", T.INT32, [4]), ("u", T.UINT8, [4]), ("v", T.UINT8, [4])],
          [(k, {np.dtype(np.int64): T.INT64, np.dtype(np.int32): T.INT32,
                np.dtype(np.uint8): T.UINT8, np.dtype(bool): T.BOOL}[e.dtype],
            list(e.shape)) for k, e in expected.items()],
          [t(np.array([7], np.int64), "seven")])
    arrays("int_arith", {"a": a, "b": b, "c": c, "d": d, "u": u, "v": v, **expected})
    folded("int_arith", {"a": a, "b": b, "c": c, "d": d, "u": u, "v": v})

    # Cast between every supported pair that matters: float to integers
    # (truncation; out-of-range values saturate and NaN converts to 0, qc's
    # definition of what ONNX leaves undefined), to bool (x != 0), integers
    # narrowing (wrapping) and widening, bool and integers to float.
    x = np.array([0.0, -0.0, 1.7, -1.7, 2.5, -2.5, 300.0, -300.0, 3e9, -3e9,
                  np.nan, np.inf, -np.inf], np.float32)
    bl = np.array([True, False, True, False])
    i64 = np.array([2**32 + 5, -1, 2**40, 7], np.int64)
    u8 = np.array([0, 128, 255, 1], np.uint8)
    i32 = np.array([-129, 256, 127, -1], np.int32)

    def saturate(x, lo, hi, dtype):
        r = np.clip(np.trunc(np.nan_to_num(x, nan=0.0, posinf=np.inf, neginf=-np.inf)), lo, hi)
        return r.astype(dtype)
    casts = [  # (output, input, ONNX type, expected)
        ("x_i64", "x", T.INT64, saturate(x.astype(np.float64), -2.0**63, 2.0**63 - 1024, np.int64)),
        ("x_i32", "x", T.INT32, saturate(x, -2**31, 2**31 - 1, np.int32)),
        ("x_i8", "x", T.INT8, saturate(x, -128, 127, np.int8)),
        ("x_u8", "x", T.UINT8, saturate(x, 0, 255, np.uint8)),
        ("x_bool", "x", T.BOOL, x != 0),
        ("b_f32", "bl", T.FLOAT, bl.astype(np.float32)),
        ("b_i64", "bl", T.INT64, bl.astype(np.int64)),
        ("i64_i32", "i64", T.INT32, i64.astype(np.int32)),
        ("i64_u8", "i64", T.UINT8, i64.astype(np.uint8)),
        ("i64_f32", "i64", T.FLOAT, i64.astype(np.float32)),
        ("i64_bool", "i64", T.BOOL, i64 != 0),
        ("u8_i8", "u8", T.INT8, u8.astype(np.int8)),
        ("u8_i64", "u8", T.INT64, u8.astype(np.int64)),
        ("i32_u8", "i32", T.UINT8, i32.astype(np.uint8)),
        ("i32_i8", "i32", T.INT8, i32.astype(np.int8)),
        ("i32_f32", "i32", T.FLOAT, i32.astype(np.float32)),
    ]
    # +inf saturates to INT64_MAX, which float64 cannot hold: set it exactly.
    casts[0][3][11] = np.iinfo(np.int64).max
    casts[0][3][12] = np.iinfo(np.int64).min
    onnx_of = {np.dtype(np.int64): T.INT64, np.dtype(np.int32): T.INT32,
               np.dtype(np.int8): T.INT8, np.dtype(np.uint8): T.UINT8,
               np.dtype(np.float32): T.FLOAT, np.dtype(bool): T.BOOL}
    model("casts", [helper.make_node("Cast", [i], [o], to=ty, name=o)
                    for o, i, ty, _ in casts],
          [("x", T.FLOAT, [13]), ("bl", T.BOOL, [4]), ("i64", T.INT64, [4]),
           ("u8", T.UINT8, [4]), ("i32", T.INT32, [4])],
          [(o, onnx_of[e.dtype], list(e.shape)) for o, _, _, e in casts])
    arrays("casts", {"x": x, "bl": bl, "i64": i64, "u8": u8, "i32": i32,
                     **{o: e for o, _, _, e in casts}})
    folded("casts", {"x": x, "bl": bl, "i64": i64, "u8": u8, "i32": i32})

    # Bool logic with broadcasting, float comparisons with NaN (ordered:
    # false, except Not(Equal)), float Mod (fmod), Sum and Mean of three
    # broadcast inputs.
    p = rng.random((3, 4)) > 0.5
    q = rng.random(4) > 0.5
    f = np.array([1.0, np.nan, -2.0, 3.0, 0.5, -0.0], np.float32)
    g = np.array([1.0, 1.0, np.nan, -3.0, 0.25, 0.0], np.float32)
    s0 = rng.normal(0, 1, (2, 3)).astype(np.float32)
    s1 = rng.normal(0, 1, 3).astype(np.float32)
    s2 = rng.normal(0, 1, (2, 1)).astype(np.float32)
    model("logic_ops", [
        helper.make_node("And", ["p", "q"], ["and"], name="and"),
        helper.make_node("Or", ["p", "q"], ["or"], name="or"),
        helper.make_node("Xor", ["p", "q"], ["xor"], name="xor"),
        helper.make_node("Not", ["p"], ["not"], name="not"),
        helper.make_node("Equal", ["f", "g"], ["eq"], name="eq"),
        helper.make_node("Not", ["eq"], ["ne"], name="ne"),
        helper.make_node("Less", ["f", "g"], ["lt"], name="lt"),
        helper.make_node("LessOrEqual", ["f", "g"], ["le"], name="le"),
        helper.make_node("Greater", ["f", "g"], ["gt"], name="gt"),
        helper.make_node("GreaterOrEqual", ["f", "g"], ["ge"], name="ge"),
        helper.make_node("Mod", ["f", "g"], ["fmod"], fmod=1, name="fmod"),
        helper.make_node("Sum", ["s0", "s1", "s2"], ["sum"], name="sum"),
        helper.make_node("Mean", ["s0", "s1", "s2"], ["mean"], name="mean"),
    ], [("p", T.BOOL, [3, 4]), ("q", T.BOOL, [4]), ("f", T.FLOAT, [6]),
        ("g", T.FLOAT, [6]), ("s0", T.FLOAT, [2, 3]), ("s1", T.FLOAT, [3]),
        ("s2", T.FLOAT, [2, 1])],
        [(n, T.BOOL, [3, 4]) for n in ["and", "or", "xor", "not"]]
        + [(n, T.BOOL, [6]) for n in ["eq", "ne", "lt", "le", "gt", "ge"]]
        + [("fmod", T.FLOAT, [6]), ("sum", T.FLOAT, [2, 3]), ("mean", T.FLOAT, [2, 3])],
        opset=16)
    with np.errstate(all="ignore"):
        arrays("logic_ops", {
            "p": p, "q": q, "f": f, "g": g, "s0": s0, "s1": s1, "s2": s2,
            "and": p & q, "or": p | q, "xor": p ^ q, "not": ~p, "eq": f == g,
            "ne": ~(f == g), "lt": f < g, "le": f <= g, "gt": f > g, "ge": f >= g,
            "fmod": np.fmod(f, g), "sum": s0 + s1 + s2,
            "mean": ((s0 + s1 + s2) / np.float32(3)).astype(np.float32)})
    folded("logic_ops", {"p": p, "q": q, "f": f, "g": g, "s0": s0, "s1": s1, "s2": s2})

    # A mask computed from constants only, as exporters write causal masks:
    # Range-like constants compared (Less), negated, cast and selected; it
    # all folds at import, and only the final Add runs.
    causal = np.arange(4, dtype=np.int64)
    model("folded_mask", [
        helper.make_node("Unsqueeze", ["pos", "ax0"], ["row"], name="row"),
        helper.make_node("Unsqueeze", ["pos", "ax1"], ["col"], name="col"),
        helper.make_node("Greater", ["row", "col"], ["future"], name="future"),
        helper.make_node("Not", ["future"], ["allowed"], name="allowed"),
        helper.make_node("Cast", ["allowed"], ["allowed_i"], to=T.INT32, name="cast_i"),
        helper.make_node("Mod", ["allowed_i", "two"], ["m"], name="mod"),
        helper.make_node("Equal", ["m", "one"], ["ok"], name="ok"),
        helper.make_node("Where", ["ok", "zero", "neg"], ["bias"], name="where"),
        helper.make_node("Add", ["x", "bias"], ["y"], name="add"),
    ], [("x", T.FLOAT, [4, 4])], [("y", T.FLOAT, [4, 4])],
        [t(causal, "pos"), t(np.array([0], np.int64), "ax0"),
         t(np.array([1], np.int64), "ax1"), t(np.array(2, np.int32), "two"),
         t(np.array(1, np.int32), "one"), t(np.array(0, np.float32), "zero"),
         t(np.array(-1e9, np.float32), "neg")])
    xm = rng.normal(0, 1, (4, 4)).astype(np.float32)
    allowed = ~(causal[None, :] > causal[:, None])
    arrays("folded_mask", {"x": xm, "y": xm + np.where(allowed, np.float32(0),
                                                        np.float32(-1e9))})

    # int64 values beyond 2^53 (which doubles do not hold) in and out, from
    # .npy and from a TensorProto; an expected output off by one is caught.
    big = np.array([2**62 + 1, -(2**53) - 3], np.int64)
    model("int64_exact", [helper.make_node("Sub", ["e", "one"], ["d"], name="dec")],
          [("e", T.INT64, [2])], [("d", T.INT64, [2])], [t(np.array(1, np.int64), "one")])
    arrays("int64_exact", {"e": big, "d": big - 1, "d_off": big})
    with open(os.path.join(HERE, "int64_exact_e.pb"), "wb") as fpb:
        fpb.write(t(big).SerializeToString())

    # Masked self-attention whose matmuls quantize while the mask (int64 in,
    # Equal, Where) and the softmax after it stay f32; calibration samples
    # are test_data_set-style folders of both inputs.
    dm = 16
    wq, wk, wv = (rng.normal(0, 0.3, (dm, dm)).astype(np.float32) for _ in range(3))
    model("masked_attention", [
        helper.make_node("MatMul", ["x", "wq"], ["q"], name="q"),
        helper.make_node("MatMul", ["x", "wk"], ["k"], name="k"),
        helper.make_node("MatMul", ["x", "wv"], ["v"], name="v"),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1], name="kt"),
        helper.make_node("MatMul", ["q", "kt"], ["qk"], name="qk"),
        helper.make_node("Mul", ["qk", "scale"], ["s"], name="scale"),
        helper.make_node("Equal", ["mask", "zero"], ["pad"], name="pad"),
        helper.make_node("Unsqueeze", ["pad", "ax"], ["pad3"], name="pad3"),
        helper.make_node("Where", ["pad3", "big", "s"], ["ms"], name="where"),
        helper.make_node("Softmax", ["ms"], ["p"], axis=-1, name="softmax"),
        helper.make_node("MatMul", ["p", "v"], ["y"], name="out"),
    ], [("mask", T.INT64, [2, 8]), ("x", T.FLOAT, [2, 8, dm])],
        [("y", T.FLOAT, [2, 8, dm])],
        [t(wq, "wq"), t(wk, "wk"), t(wv, "wv"), t(np.array(0.25, np.float32), "scale"),
         t(np.array(0, np.int64), "zero"), t(np.array([1], np.int64), "ax"),
         t(np.array(-10000, np.float32), "big")])

    def attention(mk, x):
        sc = (x @ wq) @ (x @ wk).transpose(0, 2, 1) * np.float32(0.25)
        sc = np.where((mk == 0)[:, None, :], np.float32(-10000), sc)
        return (softmax(sc) @ (x @ wv)).astype(np.float32)

    def attention_mask():
        mk = (rng.random((2, 8)) > 0.3).astype(np.int64)
        mk[:, 0] = 1
        return mk
    calib = os.path.join(HERE, "masked_attention_calib")
    for i in range(8):
        os.makedirs(os.path.join(calib, str(i)), exist_ok=True)
        np.save(os.path.join(calib, str(i), "input_0.npy"), attention_mask())
        np.save(os.path.join(calib, str(i), "input_1.npy"),
                rng.normal(0, 1, (2, 8, dm)).astype(np.float32))
    mk, xa = attention_mask(), rng.normal(0, 1, (2, 8, dm)).astype(np.float32)
    arrays("masked_attention", {"mask": mk, "x": xa, "y": attention(mk, xa)})


def invalid_logic_models():
    """Logic and Cast nodes qc rejects: each error names the node and why."""
    T = TensorProto

    def model(name, nodes, inputs, out=("y", T.FLOAT)):
        ins = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in inputs]
        outs = [helper.make_tensor_value_info(out[0], out[1], None)]
        m = helper.make_model(helper.make_graph(nodes, name, ins, outs),
                              opset_imports=[helper.make_opsetid("", 13)])
        onnx.save(m, os.path.join(HERE, "bad_logic_" + name + ".onnx"))  # no checker

    f = [("x", T.FLOAT, [2, 3])]
    model("cast_float16", [helper.make_node("Cast", ["x"], ["y"], to=T.FLOAT16,
                                            name="to_half")], f, ("y", T.FLOAT16))
    model("cast_string", [helper.make_node("Cast", ["x"], ["y"], to=T.STRING,
                                           name="to_text")], f, ("y", T.STRING))
    model("where_shapes", [helper.make_node("Where", ["c", "a", "b"], ["y"], name="pick")],
          [("c", T.BOOL, [2, 1]), ("a", T.FLOAT, [3]), ("b", T.FLOAT, [4])])
    model("where_condition", [helper.make_node("Where", ["x", "x", "x"], ["y"], name="pick")], f)
    model("where_types", [helper.make_node("Where", ["c", "x", "i"], ["y"], name="pick")],
          [("c", T.BOOL, [2, 3]), ("x", T.FLOAT, [2, 3]), ("i", T.INT64, [2, 3])])
    model("and_float", [helper.make_node("And", ["x", "x"], ["y"], name="both")], f,
          ("y", T.BOOL))
    model("equal_types", [helper.make_node("Equal", ["a", "b"], ["y"], name="same")],
          [("a", T.INT64, [3]), ("b", T.INT32, [3])], ("y", T.BOOL))
    model("mod_float", [helper.make_node("Mod", ["x", "x"], ["y"], name="rem")], f)
    model("sum_int", [helper.make_node("Sum", ["a", "a"], ["y"], name="total")],
          [("a", T.INT64, [3])], ("y", T.INT64))
    model("input_float16", [helper.make_node("Cast", ["h"], ["y"], to=T.FLOAT, name="up")],
          [("h", T.FLOAT16, [3])])
    # A bool graph input no longer fails at import: Dropout must reject a
    # training_mode it cannot see rather than act as the identity.
    model("dropout_training", [helper.make_node("Dropout", ["x", "", "t"], ["y"],
                                                name="drop")],
          f + [("t", T.BOOL, [])])


def malformed():
    with open(os.path.join(HERE, "malformed.onnx"), "wb") as f:
        f.write(b"\x08\x07this is not a protobuf model\xff\xff\xff")


def symbolic_dims():
    """A convolution on an input whose batch, height and width are symbolic
    (as converters from other frameworks write them), with a sample of the
    calibration data's shape (two 3x6x10 examples)."""
    rng = np.random.default_rng(5)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4, "H", "W"])
    w = rng.normal(0, 0.3, (4, 3, 3, 3)).astype(np.float32)
    node = helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1],
                            name="conv")
    graph = helper.make_graph([node], "symbolic", [x], [y],
                              [numpy_helper.from_array(w, "w")])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
         "symbolic_dims.onnx")
    np.save(os.path.join(HERE, "symbolic_dims_calib.npy"),
            rng.uniform(-1, 1, (2, 3, 6, 10)).astype(np.float32))


def conv1d():
    """1-D convolution (grouped, strided, dilated, asymmetric pads), 1-D max
    and average pooling (count_include_pad, ceil_mode) and a global average
    over the last axis, as audio models use them; expected outputs from
    torch."""
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(6)
    x = rng.uniform(-1, 1, (2, 4, 40)).astype(np.float32)
    w = rng.normal(0, 0.4, (6, 2, 5)).astype(np.float32)
    b = rng.normal(0, 0.1, (6,)).astype(np.float32)
    xi = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4, 40])
    outs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape)
            for n, shape in (("conv", [2, 6, 18]), ("maxp", [2, 6, 10]),
                             ("avgp", [2, 6, 7]), ("gap", [2, 6, 1]))]
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["conv"], group=2,
                         strides=[2], dilations=[2], pads=[3, 1],
                         kernel_shape=[5]),
        helper.make_node("MaxPool", ["conv"], ["maxp"], kernel_shape=[3],
                         strides=[2], pads=[1, 1], ceil_mode=1),
        helper.make_node("AveragePool", ["conv"], ["avgp"], kernel_shape=[4],
                         strides=[3], pads=[2, 2], count_include_pad=1),
        helper.make_node("GlobalAveragePool", ["conv"], ["gap"]),
    ]
    graph = helper.make_graph(nodes, "conv1d", [xi], outs,
                              [numpy_helper.from_array(w, "w"),
                               numpy_helper.from_array(b, "b")])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
         "conv1d.onnx")
    t = torch.from_numpy(x)
    conv = F.conv1d(F.pad(t, (3, 1)), torch.from_numpy(w), torch.from_numpy(b),
                    stride=2, dilation=2, groups=2)
    maxp = F.max_pool1d(conv, 3, 2, padding=1, ceil_mode=True)
    avgp = F.avg_pool1d(conv, 4, 3, padding=2, count_include_pad=True)
    gap = conv.mean(dim=2, keepdim=True)
    np.save(os.path.join(HERE, "conv1d_x.npy"), x)
    for name, v in (("conv", conv), ("maxp", maxp), ("avgp", avgp), ("gap", gap)):
        np.save(os.path.join(HERE, "conv1d_%s.npy" % name), v.numpy())


def opset_forms():
    """The same computation at the opsets where its operators moved an
    attribute to an input: Split (attribute split at 11, input at 13,
    num_outputs with an uneven last chunk at 18), Squeeze/Unsqueeze (axes
    attribute at 11, input at 13), ReduceMean (axes attribute at 13, input
    at 18, noop_with_empty_axes at 18), Clip (min/max attributes at 9,
    inputs at 11), Slice (attributes at 9, inputs at 10) and Softmax's 2-D
    coercion before 13. One model per opset; expected outputs from numpy.
    Models newer than this onnx package knows (opset 18) skip its checker."""
    rng = np.random.default_rng(8)
    x = rng.uniform(-2, 2, (2, 6, 5)).astype(np.float32)
    np.save(os.path.join(HERE, "opset_x.npy"), x)
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, np.int64), name)
    f32 = lambda name, v: numpy_helper.from_array(np.array(v, np.float32), name)

    def softmax(v, axis):
        e = np.exp(v - v.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    # Expected: split dim 1 into [2, 4] (or [3, 3] / ceil chunks), ...
    for opset in (7, 9, 11, 13, 18):
        nodes, inits = [], []
        if opset < 13:
            nodes.append(helper.make_node("Split", ["x"], ["a", "b"], axis=1,
                                          split=[2, 4]))
        elif opset < 18:
            inits.append(i64("split", [2, 4]))
            nodes.append(helper.make_node("Split", ["x", "split"], ["a", "b"],
                                          axis=1))
        else:
            # num_outputs: 6 into 2 chunks of 3.
            nodes.append(helper.make_node("Split", ["x"], ["a", "b"], axis=1,
                                          num_outputs=2))
        # Unsqueeze a at axis 0, squeeze it back.
        if opset < 13:
            nodes.append(helper.make_node("Unsqueeze", ["a"], ["u"], axes=[0]))
            nodes.append(helper.make_node("Squeeze", ["u"], ["sq"], axes=[0]))
        else:
            inits.append(i64("axes0", [0]))
            nodes.append(helper.make_node("Unsqueeze", ["a", "axes0"], ["u"]))
            nodes.append(helper.make_node("Squeeze", ["u", "axes0"], ["sq"]))
        # ReduceMean over axis 2, keepdims.
        if opset < 18:
            nodes.append(helper.make_node("ReduceMean", ["b"], ["m"], axes=[2]))
        else:
            inits.append(i64("axes2", [2]))
            nodes.append(helper.make_node("ReduceMean", ["b", "axes2"], ["m"]))
        # Clip to [-1, 1].
        if opset < 11:
            nodes.append(helper.make_node("Clip", ["sq"], ["c"], min=-1.0,
                                          max=1.0))
        else:
            inits += [f32("lo", -1.0), f32("hi", 1.0)]
            nodes.append(helper.make_node("Clip", ["sq", "lo", "hi"], ["c"]))
        # Slice columns 1..4 of the last dim.
        if opset < 10:
            nodes.append(helper.make_node("Slice", ["c"], ["sl"], axes=[2],
                                          starts=[1], ends=[4]))
        else:
            inits += [i64("starts", [1]), i64("ends", [4]), i64("axes2s", [2])]
            nodes.append(helper.make_node("Slice", ["c", "starts", "ends",
                                                    "axes2s"], ["sl"]))
        # Softmax with axis 1: before 13 the 3-D input is coerced to 2-D.
        nodes.append(helper.make_node("Softmax", ["sl"], ["s"], axis=1))
        half = 2 if opset < 18 else 3
        outs = [helper.make_tensor_value_info("s", TensorProto.FLOAT,
                                              [2, half, 3]),
                helper.make_tensor_value_info("m", TensorProto.FLOAT,
                                              [2, 6 - half, 1])]
        graph = helper.make_graph(
            nodes, "opset%d" % opset,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 6, 5])],
            outs, inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", opset)])
        path = os.path.join(HERE, "opset%d.onnx" % opset)
        if opset <= 17:
            save(model, "opset%d.onnx" % opset)
        else:
            onnx.save(model, path)
        if opset < 18:
            a, b = x[:, :2], x[:, 2:]
        else:
            a, b = x[:, :3], x[:, 3:]
        sl = np.clip(a, -1, 1)[:, :, 1:4]
        if opset < 13:
            s_ = softmax(sl.reshape(2, -1), 1).reshape(sl.shape)
        else:
            s_ = softmax(sl, 1)
        np.save(os.path.join(HERE, "opset%d_s.npy" % opset),
                s_.astype(np.float32))
        np.save(os.path.join(HERE, "opset%d_m.npy" % opset),
                b.mean(axis=2, keepdims=True).astype(np.float32))
    # Opset 18: ReduceMean without axes and noop_with_empty_axes is the
    # identity; an uneven num_outputs split (5 into 2: 3 and 2).
    nodes = [helper.make_node("ReduceMean", ["x"], ["m"], noop_with_empty_axes=1),
             helper.make_node("Split", ["x"], ["p", "q"], axis=2, num_outputs=2)]
    graph = helper.make_graph(
        nodes, "opset18b",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 6, 5])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape)
         for n, shape in (("m", [2, 6, 5]), ("p", [2, 6, 3]),
                          ("q", [2, 6, 2]))])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]),
              os.path.join(HERE, "opset18b.onnx"))
    np.save(os.path.join(HERE, "opset18b_p.npy"), x[:, :, :3])
    np.save(os.path.join(HERE, "opset18b_q.npy"), x[:, :, 3:])


def ort_contrib():
    """A QOperator model as ONNX Runtime's quantizer writes it, with its
    contrib ops (domain com.microsoft) and standard ops on uint8 tensors:
    QLinearConv -> MaxPool (uint8) -> QLinearAdd / QLinearMul ->
    QLinearSigmoid, QLinearLeakyRelu -> QLinearConcat -> QLinearAveragePool,
    QLinearGlobalAveragePool -> Flatten (uint8) -> QGemm -> DequantizeLinear.
    The expected output (ort_contrib_y.npy) is ONNX Runtime's, written by
    node bench/ort_run.js test/Target/ONNX/Inputs/ort_contrib.onnx PREFIX
    x=test/Target/ONNX/Inputs/ort_contrib_x.npy."""
    rng = np.random.default_rng(9)
    ms = "com.microsoft"
    f32 = lambda n, v: numpy_helper.from_array(np.array(v, np.float32), n)
    u8 = lambda n, v: numpy_helper.from_array(np.array(v, np.uint8), n)
    inits = [
        f32("xs", 0.02), u8("xz", 128),
        numpy_helper.from_array(rng.integers(-100, 100, (8, 3, 3, 3)).astype(np.int8), "w"),
        f32("ws", 0.01), numpy_helper.from_array(np.array(0, np.int8), "wz"),
        f32("cs", 0.05), u8("cz", 100),
        f32("as", 0.07), u8("az", 90),
        f32("ms", 0.1), u8("mz", 20),
        f32("ss", 1.0 / 256), u8("sz", 0),
        f32("ls", 0.04), u8("lz", 120),
        f32("ks", 0.06), u8("kz", 110),
        f32("ps", 0.05), u8("pz", 105),
        f32("gs", 0.03), u8("gz", 100),
        numpy_helper.from_array(rng.integers(-80, 80, (10, 16)).astype(np.int8), "gw"),
        f32("gws", 0.02), numpy_helper.from_array(np.array(0, np.int8), "gwz"),
        numpy_helper.from_array(rng.integers(-300, 300, (10,)).astype(np.int32), "gb"),
        f32("ys", 0.1), u8("yz", 128),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
        helper.make_node("QLinearConv", ["xq", "xs", "xz", "w", "ws", "wz", "cs", "cz"],
                         ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["c"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("QLinearAdd", ["p", "cs", "cz", "p", "cs", "cz", "as", "az"],
                         ["a"], domain=ms),
        helper.make_node("QLinearMul", ["a", "as", "az", "p", "cs", "cz", "ms", "mz"],
                         ["m"], domain=ms),
        helper.make_node("QLinearSigmoid", ["m", "ms", "mz", "ss", "sz"], ["s"],
                         domain=ms),
        helper.make_node("QLinearLeakyRelu", ["a", "as", "az", "ls", "lz"], ["l"],
                         alpha=0.1, domain=ms),
        helper.make_node("QLinearConcat", ["ks", "kz", "s", "ss", "sz", "l", "ls", "lz"],
                         ["k"], axis=1, domain=ms),
        helper.make_node("QLinearAveragePool", ["k", "ks", "kz", "ps", "pz"], ["ap"],
                         kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 1, 1],
                         count_include_pad=0, domain=ms),
        helper.make_node("QLinearGlobalAveragePool", ["ap", "ps", "pz", "gs", "gz"],
                         ["g"], domain=ms),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("QGemm", ["f", "gs", "gz", "gw", "gws", "gwz", "gb", "ys", "yz"],
                         ["yq"], transB=1, domain=ms),
        helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "ort_contrib",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(ms, 1)])
    onnx.save(model, os.path.join(HERE, "ort_contrib.onnx"))
    np.save(os.path.join(HERE, "ort_contrib_x.npy"),
            rng.uniform(-2, 2, (2, 3, 8, 8)).astype(np.float32))


def hostile_graphs():
    """Graphs that break ONNX's structural rules (no checker runs on them):
    no outputs, a value with two producers, an input nobody produces, nodes
    out of topological order (a cycle), and an input with a zero-size dim.
    Each must be an error naming the value, not a crash."""
    f32 = TensorProto.FLOAT
    node = helper.make_node

    def model(name, nodes, outputs=("y",), shape=(2, 3)):
        ins = [helper.make_tensor_value_info("x", f32, list(shape))]
        outs = [helper.make_tensor_value_info(o, f32, None) for o in outputs]
        m = helper.make_model(helper.make_graph(nodes, name, ins, outs),
                              opset_imports=[helper.make_opsetid("", 13)])
        onnx.save(m, os.path.join(HERE, "bad_graph_" + name + ".onnx"))

    model("no_outputs", [node("Relu", ["x"], ["y"])], outputs=())
    model("duplicate", [node("Relu", ["x"], ["y"], name="first"),
                        node("Neg", ["x"], ["y"], name="second")])
    model("missing", [node("Add", ["x", "ghost"], ["y"], name="add")])
    model("cycle", [node("Relu", ["b"], ["a"], name="r"),
                    node("Neg", ["a"], ["b"], name="n"),
                    node("Abs", ["b"], ["y"], name="abs")])
    model("self_loop", [node("Add", ["x", "y"], ["y"], name="acc")])
    model("undefined_output", [node("Relu", ["x"], ["a"])], outputs=("nowhere",))
    model("zero_size", [node("Relu", ["x"], ["y"])], shape=(2, 0))


def resize_ref(x, scales, out_shape, mode="nearest", coord="half_pixel",
               nearest="round_prefer_floor", a=-0.75, exclude=False):
    """ONNX Resize in numpy (f64), one dim after another: the coordinate
    transformation, then nearest rounding or linear/cubic taps with the
    input indices clamped to the edge."""
    y = x.astype(np.float64)
    for d, (s, out) in enumerate(zip(scales, out_shape)):
        n = y.shape[d]
        length = s * n
        if out == n and s == 1:
            continue
        rows = []
        for o in range(out):
            if coord == "half_pixel":
                xs = (o + 0.5) / s - 0.5
            elif coord == "half_pixel_symmetric":
                xs = n / 2 * (1 - out / length) + (o + 0.5) / s - 0.5
            elif coord == "pytorch_half_pixel":
                xs = (o + 0.5) / s - 0.5 if length != 1 else 0.0
            elif coord == "align_corners":
                xs = o * (n - 1) / (length - 1) if length != 1 else 0.0
            else:
                xs = o / s
            f = np.floor(xs)
            r = xs - f
            if mode == "nearest":
                i = {"floor": f, "ceil": np.ceil(xs),
                     "round_prefer_floor": f if r <= 0.5 else f + 1,
                     "round_prefer_ceil": f if r < 0.5 else f + 1}[nearest]
                taps = [(int(i), 1.0)]
            elif mode == "linear":
                taps = [(int(f), 1 - r), (int(f) + 1, r)]
            else:
                def w(u):
                    u = abs(u)
                    if u <= 1:
                        return ((a + 2) * u - (a + 3)) * u * u + 1
                    return ((a * u - 5 * a) * u + 8 * a) * u - 4 * a if u < 2 else 0.0
                taps = [(int(f) + t, w(t - r)) for t in (-1, 0, 1, 2)]
                if exclude:
                    taps = [(i, wt if 0 <= i < n else 0.0) for i, wt in taps]
                    total = sum(wt for _, wt in taps)
                    taps = [(i, wt / total) for i, wt in taps]
            rows.append(sum(wt * np.take(y, min(max(i, 0), n - 1), axis=d)
                            for i, wt in taps))
        y = np.stack(rows, axis=d)
    return y.astype(np.float32)


def torch_export(module, args, name, opset):
    """Exports a torch module (no dynamic axes) and checks the model."""
    import io
    import torch
    buf = io.BytesIO()
    torch.onnx.export(module, args, buf, opset_version=opset)
    save(onnx.load_from_string(buf.getvalue()), name)


def resize_models():
    """Resize as PyTorch exports F.interpolate (nearest, bilinear and
    bicubic, align_corners False and True, by scale factor and by size, up
    and down) at opsets 11 and 13, nearest at opsets 9 (Upsample) and 10;
    hand-written Upsample-7 and Resize-10 linear (asymmetric), Resize-18
    with axes and Resize-19 half_pixel_symmetric against resize_ref; and the
    lraspp pattern, a resize to the size of another input (Shape, Slice,
    Concat)."""
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    x = torch.randn(1, 2, 5, 7)

    class Interpolate(torch.nn.Module):
        def forward(self, v):
            return (F.interpolate(v, scale_factor=2, mode="nearest"),
                    F.interpolate(v, size=(9, 11), mode="nearest"),
                    F.interpolate(v, size=(9, 11), mode="bilinear", align_corners=False),
                    F.interpolate(v, size=(9, 11), mode="bilinear", align_corners=True),
                    F.interpolate(v, scale_factor=2, mode="bicubic", align_corners=False),
                    F.interpolate(v, size=(3, 4), mode="bicubic", align_corners=True),
                    F.interpolate(v, size=(3, 2), mode="bilinear", align_corners=False))

    class Nearest(torch.nn.Module):
        def forward(self, v):
            return (F.interpolate(v, scale_factor=2, mode="nearest"),
                    F.interpolate(v, scale_factor=(2, 3), mode="nearest"))

    np.save(os.path.join(HERE, "resize_x.npy"), x.numpy())
    with torch.no_grad():
        for k, y in enumerate(Interpolate()(x)):
            np.save(os.path.join(HERE, f"resize_y{k}.npy"), y.numpy())
        for k, y in enumerate(Nearest()(x)):
            np.save(os.path.join(HERE, f"resize_nearest_y{k}.npy"), y.numpy())
    for opset in (11, 13):
        torch_export(Interpolate(), (x,), f"resize_opset{opset}.onnx", opset)
    for opset in (9, 10):
        torch_export(Nearest(), (x,), f"resize_nearest_opset{opset}.onnx", opset)

    # Linear before opset 11: asymmetric coordinates (Upsample-7 takes the
    # scales as an attribute, Resize-10 as an input).
    xv = x.numpy()
    vi = helper.make_tensor_value_info
    f32 = TensorProto.FLOAT
    scales = np.array([1, 1, 2, 1.5], np.float32)
    out = [1, 2, 10, 10]
    np.save(os.path.join(HERE, "resize_linear_asym_y.npy"),
            resize_ref(xv, scales, out, "linear", "asymmetric"))
    save(helper.make_model(helper.make_graph(
        [helper.make_node("Upsample", ["x"], ["y"], mode="linear", scales=list(scales))],
        "upsample7", [vi("x", f32, [1, 2, 5, 7])], [vi("y", f32, out)]),
        opset_imports=[helper.make_opsetid("", 7)]), "upsample_opset7.onnx")
    save(helper.make_model(helper.make_graph(
        [helper.make_node("Resize", ["x", "s"], ["y"], mode="linear")],
        "resize10", [vi("x", f32, [1, 2, 5, 7])], [vi("y", f32, out)],
        [numpy_helper.from_array(scales, "s")]),
        opset_imports=[helper.make_opsetid("", 10)]), "resize_linear_opset10.onnx")

    # Opset 18: scales for the listed axes only; opset 19's
    # half_pixel_symmetric. (ONNX 1.12's checker stops at opset 17.)
    s2 = np.array([0.6, 1.7], np.float32)
    out = [1, 2, 3, 11]
    np.save(os.path.join(HERE, "resize_axes_y.npy"),
            resize_ref(xv, [1, 1, s2[0], s2[1]], out, "cubic", "half_pixel"))
    np.save(os.path.join(HERE, "resize_symmetric_y.npy"),
            resize_ref(xv, [1, 1, s2[0], s2[1]], out, "linear", "half_pixel_symmetric"))
    for name, opset, attrs in (("resize_axes_opset18.onnx", 18, dict(mode="cubic")),
                               ("resize_symmetric_opset19.onnx", 19,
                                dict(mode="linear",
                                     coordinate_transformation_mode="half_pixel_symmetric"))):
        onnx.save(helper.make_model(helper.make_graph(
            [helper.make_node("Resize", ["x", "", "s"], ["y"], axes=[-2, 3], **attrs)],
            "resize", [vi("x", f32, [1, 2, 5, 7])], [vi("y", f32, out)],
            [numpy_helper.from_array(s2, "s")]),
            opset_imports=[helper.make_opsetid("", opset)]), os.path.join(HERE, name))

    # Opset 18's keep_aspect_ratio_policy with sizes that keep the aspect
    # ratio already (a factor of 2 on both axes).
    np.save(os.path.join(HERE, "resize_aspect_y.npy"),
            resize_ref(xv, [1, 1, 2, 2], [1, 2, 10, 14]))
    onnx.save(helper.make_model(helper.make_graph(
        [helper.make_node("Resize", ["x", "", "", "z"], ["y"], axes=[2, 3],
                          keep_aspect_ratio_policy="not_smaller")],
        "resize", [vi("x", f32, [1, 2, 5, 7])], [vi("y", f32, [1, 2, 10, 14])],
        [numpy_helper.from_array(np.array([10, 14], np.int64), "z")]),
        opset_imports=[helper.make_opsetid("", 18)]),
        os.path.join(HERE, "resize_aspect_opset18.onnx"))

    # A decoder resizing to the size of a skip connection.
    class ResizeLike(torch.nn.Module):
        def forward(self, v, skip):
            up = F.interpolate(v, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            return up + skip

    skip = torch.randn(1, 2, 10, 13)
    np.save(os.path.join(HERE, "resize_like_skip.npy"), skip.numpy())
    with torch.no_grad():
        np.save(os.path.join(HERE, "resize_like_y.npy"), ResizeLike()(x, skip).numpy())
    for opset in (11, 13):
        torch_export(ResizeLike(), (x, skip), f"resize_like_opset{opset}.onnx", opset)


def pad_models():
    """Pad with its attributes (opset 2) and its inputs (opset 11: constant
    pads and value, negative pads cropping; opset 18: axes) in constant,
    reflect and edge modes against numpy; F.pad as PyTorch exports it."""
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(7)
    x = rng.normal(size=(1, 2, 4, 5)).astype(np.float32)
    np.save(os.path.join(HERE, "pad_x.npy"), x)
    vi = helper.make_tensor_value_info
    f32 = TensorProto.FLOAT
    t = numpy_helper.from_array
    # numpy pad widths: [begin, end] per dim; ONNX's pads: all begins, then
    # all ends.
    widths = [((0, 0), (0, 0), (1, 2), (3, 0)),
              ((0, 0), (1, 0), (2, 3), (1, 1)),
              ((0, 0), (0, 0), (3, 3), (4, 4))]
    refs = [np.pad(x, widths[0], constant_values=1.5),
            np.pad(x, widths[1], mode="edge"),
            np.pad(x, widths[2], mode="reflect")]
    for k, r in enumerate(refs):
        np.save(os.path.join(HERE, f"pad_y{k}.npy"), r)
    onnx_pads = [[w[0] for w in ws] + [w[1] for w in ws] for ws in widths]
    modes = ["constant", "edge", "reflect"]
    nodes = [helper.make_node("Pad", ["x"], [f"y{k}"], mode=m, pads=p,
                              **({"value": 1.5} if k == 0 else {}))
             for k, (m, p) in enumerate(zip(modes, onnx_pads))]
    outs = [vi(f"y{k}", f32, list(r.shape)) for k, r in enumerate(refs)]
    save(helper.make_model(helper.make_graph(nodes, "pad2", [vi("x", f32, [1, 2, 4, 5])], outs),
                           opset_imports=[helper.make_opsetid("", 2)]), "pad_opset2.onnx")
    inits = [t(np.array(p, np.int64), f"p{k}") for k, p in enumerate(onnx_pads)]
    inits.append(t(np.array(1.5, np.float32), "v"))
    nodes = [helper.make_node("Pad", ["x", f"p{k}"] + (["v"] if k == 0 else []), [f"y{k}"],
                              mode=m) for k, m in enumerate(modes)]
    # Negative pads crop: 1 column off the left, 2 rows off the bottom.
    inits.append(t(np.array([0, 0, 1, -1, 0, 0, -2, 1], np.int64), "pc"))
    nodes.append(helper.make_node("Pad", ["x", "pc"], ["y3"], mode="reflect"))
    crop = np.pad(x, ((0, 0), (0, 0), (1, 0), (0, 1)), mode="reflect")[:, :, :-2, 1:]
    np.save(os.path.join(HERE, "pad_y3.npy"), crop)
    outs.append(vi("y3", f32, list(crop.shape)))
    save(helper.make_model(helper.make_graph(nodes, "pad11", [vi("x", f32, [1, 2, 4, 5])],
                                             outs, inits),
                           opset_imports=[helper.make_opsetid("", 11)]), "pad_opset11.onnx")
    # Opset 18: pads for the listed axes only.
    ax = np.pad(x, ((0, 0), (0, 0), (0, 0), (2, 1)), mode="edge")
    np.save(os.path.join(HERE, "pad_axes_y.npy"), ax)
    onnx.save(helper.make_model(helper.make_graph(
        [helper.make_node("Pad", ["x", "p", "", "a"], ["y"], mode="edge")], "pad18",
        [vi("x", f32, [1, 2, 4, 5])], [vi("y", f32, list(ax.shape))],
        [t(np.array([2, 1], np.int64), "p"), t(np.array([-1], np.int64), "a")]),
        opset_imports=[helper.make_opsetid("", 18)]), os.path.join(HERE, "pad_axes_opset18.onnx"))

    class TorchPad(torch.nn.Module):
        def forward(self, v):
            return (F.pad(v, (1, 2, 2, 1), mode="reflect"),
                    F.pad(v, (3, 0, 1, 2), mode="replicate"),
                    F.pad(v, (1, 1, 0, 2), value=-0.5))

    xt = torch.from_numpy(x)
    with torch.no_grad():
        for k, y in enumerate(TorchPad()(xt)):
            np.save(os.path.join(HERE, f"pad_torch_y{k}.npy"), y.numpy())
    for opset in (11, 13):
        torch_export(TorchPad(), (xt,), f"pad_torch_opset{opset}.onnx", opset)


def movement_models():
    """Expand, Tile, DepthToSpace (DCR, CRD), SpaceToDepth, Slice with
    steps (negative ones too), Gather with constant indices (a scalar index
    removing the axis, negative and 2-D indices, evenly spaced ones becoming
    a slice), GatherElements, and the matmul-like Einsum equations, against
    numpy."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 8, 4, 6)).astype(np.float32)
    v = rng.normal(size=(3, 1)).astype(np.float32)
    np.save(os.path.join(HERE, "movement_x.npy"), x)
    np.save(os.path.join(HERE, "movement_v.npy"), v)
    vi = helper.make_tensor_value_info
    f32 = TensorProto.FLOAT
    t = numpy_helper.from_array

    def i64(name, *values):
        return t(np.array(values, np.int64), name)

    b = 2
    n, c, h, w = x.shape
    dcr = x.reshape(n, b, b, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, c // 4, h * b, w * b)
    crd = x.reshape(n, c // 4, b, b, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c // 4, h * b, w * b)
    s2d = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4).reshape(n, c * 4, h // b, w // b)
    gi = np.array([[5, -6], [2, -1]], np.int64)
    ge = rng.integers(-4, 4, size=(2, 8, 3, 6)).astype(np.int64)
    ge_ref = np.take_along_axis(x, np.where(ge < 0, ge + 4, ge)[:, :, :3], axis=2)
    cases = [
        ("expand", helper.make_node("Expand", ["v", "es"], ["expand"]), [i64("es", 2, 1, 4)],
         np.broadcast_to(v, (2, 3, 4))),
        ("tile", helper.make_node("Tile", ["x", "tr"], ["tile"]), [i64("tr", 1, 2, 1, 3)],
         np.tile(x, (1, 2, 1, 3))),
        ("dcr", helper.make_node("DepthToSpace", ["x"], ["dcr"], blocksize=2), [], dcr),
        ("crd", helper.make_node("DepthToSpace", ["x"], ["crd"], blocksize=2, mode="CRD"), [], crd),
        ("s2d", helper.make_node("SpaceToDepth", ["x"], ["s2d"], blocksize=2), [], s2d),
        ("slice_steps", helper.make_node("Slice", ["x", "ss", "se", "sa", "st"], ["slice_steps"]),
         [i64("ss", -1, 1, 5), i64("se", -100, 4, 0), i64("sa", 1, 2, 3), i64("st", -3, 2, -2)],
         x[:, ::-3, 1:4:2, 5:0:-2]),
        ("cls", helper.make_node("Gather", ["x", "g0"], ["cls"], axis=1), [t(np.array(0, np.int64), "g0")],
         x[:, 0]),
        ("gather2d", helper.make_node("Gather", ["x", "g1"], ["gather2d"], axis=-1), [t(gi, "g1")],
         np.take(x, np.where(gi < 0, gi + 6, gi), axis=3)),
        ("even", helper.make_node("Gather", ["x", "g2"], ["even"], axis=1), [i64("g2", 6, 4, 2)],
         x[:, 6:1:-2]),
        ("gather_elements", helper.make_node("GatherElements", ["x", "g3"], ["gather_elements"], axis=2),
         [t(ge[:, :, :3], "g3")], ge_ref),
    ]
    nodes = [cs[1] for cs in cases]
    inits = [i for cs in cases for i in cs[2]]
    outs = [vi(cs[0], f32, list(cs[3].shape)) for cs in cases]
    save(helper.make_model(helper.make_graph(
        nodes, "movement", [vi("x", f32, list(x.shape)), vi("v", f32, [3, 1])], outs, inits),
        opset_imports=[helper.make_opsetid("", 13)]), "movement.onnx")
    for name, _, _, ref in cases:
        np.save(os.path.join(HERE, f"movement_{name}.npy"), np.ascontiguousarray(ref))

    # Einsum: the equations exporters write for attention and projections.
    a = rng.normal(size=(2, 3, 4)).astype(np.float32)
    bm = rng.normal(size=(2, 4, 5)).astype(np.float32)
    q = rng.normal(size=(2, 2, 3, 4)).astype(np.float32)
    k = rng.normal(size=(2, 2, 5, 4)).astype(np.float32)
    wt = rng.normal(size=(4, 6)).astype(np.float32)
    ins = {"a": a, "b": bm, "q": q, "k": k}
    eqs = [("bij,bjk->bik", ["a", "b"]), ("bhid, bhjd -> bhij", ["q", "k"]),
           ("ij,jk->ik", ["m", "n"]), ("bnd,dk->bnk", ["a", "w"]),
           ("...ij,...jk->...ik", ["a", "b"]), ("ij->ji", ["m"]), ("ij,jk", ["m", "n"]),
           ("bhqd,bhkd->bhkq", ["q", "k"])]
    m2, n2 = a[0], bm[0]
    vals = dict(ins, m=m2, n=n2, w=wt)
    nodes, outs = [], []
    for j, (eq, args) in enumerate(eqs):
        ref = np.einsum(eq.replace(" ", ""), *[vals[z].astype(np.float64) for z in args])
        np.save(os.path.join(HERE, f"einsum_y{j}.npy"), np.ascontiguousarray(ref, np.float32))
        nodes.append(helper.make_node("Einsum", args, [f"y{j}"], equation=eq))
        outs.append(vi(f"y{j}", f32, list(ref.shape)))
    for name in ("a", "b", "q", "k"):
        np.save(os.path.join(HERE, f"einsum_{name}.npy"), ins[name])
    save(helper.make_model(helper.make_graph(
        nodes, "einsum", [vi(z, f32, list(ins[z].shape)) for z in ("a", "b", "q", "k")], outs,
        [t(m2, "m"), t(n2, "n"), t(wt, "w")]),
        opset_imports=[helper.make_opsetid("", 12)]), "einsum.onnx")

    # Shape computations folded at import (opset 15): Shape with start and
    # end, ConstantOfShape, Size, and Range on constants: ONNX counts
    # ceil((limit - start) / delta) in f32 and accumulates the elements in
    # f32 (0 to 0.3 by 0.1 is 3 elements; a sum in f64 stays below 0.3f
    # once more).
    x = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    np.save(os.path.join(HERE, "shapes_x.npy"), x)
    f = TensorProto.FLOAT
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], start=1, end=-1),
        helper.make_node("ConstantOfShape", ["s"], ["c"],
                         value=t(np.array([2.0], np.float32))),
        helper.make_node("Size", ["x"], ["n"]),
        helper.make_node("Cast", ["n"], ["nf"], to=f),
        helper.make_node("Mul", ["c", "nf"], ["cn"]),
        helper.make_node("ReduceMean", ["x"], ["m"], axes=[0, 3], keepdims=0),
        helper.make_node("Add", ["m", "cn"], ["y0"]),
        helper.make_node("Range", ["r0", "r1", "r2"], ["y1"]),
        helper.make_node("Range", ["i0", "i1", "i2"], ["ri"]),
        helper.make_node("Cast", ["ri"], ["y2"], to=f),
    ]
    inits = [t(np.array(0, np.float32), "r0"), t(np.array(0.3, np.float32), "r1"),
             t(np.array(0.1, np.float32), "r2"), t(np.array(10, np.int32), "i0"),
             t(np.array(4, np.int32), "i1"), t(np.array(-3, np.int32), "i2")]
    acc, r = np.float32(0), []
    while len(r) < 3:
        r.append(acc)
        acc = np.float32(acc + np.float32(0.1))
    refs = [x.mean(axis=(0, 3)) + np.float32(240), np.array(r, np.float32),
            np.array([10, 7], np.float32)]
    save(helper.make_model(helper.make_graph(
        nodes, "shapes", [vi("x", f, [2, 3, 4, 5])],
        [vi(f"y{k}", f, list(v.shape)) for k, v in enumerate(refs)], inits),
        opset_imports=[helper.make_opsetid("", 15)]), "shapes.onnx")
    for k, v in enumerate(refs):
        np.save(os.path.join(HERE, f"shapes_y{k}.npy"), v.astype(np.float32))


def quantized_resample_models():
    """A QDQ chain as exporters write it around data movement (u8, one
    scale): nearest Resize, Pad with zeros and DepthToSpace, each between a
    DequantizeLinear and a QuantizeLinear; the same values in float.
    And a small CNN with a bilinear resize between two convolutions (from
    torch), with calibration data, for an int8 run."""
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(5)
    vi = helper.make_tensor_value_info
    f32 = TensorProto.FLOAT
    t = numpy_helper.from_array
    x = rng.normal(size=(1, 4, 3, 4)).astype(np.float32)
    scale, zp = np.float32(0.05), 128
    inits = [t(np.array(scale, np.float32), "s"), t(np.array(zp, np.uint8), "z"),
             t(np.array([1, 1, 2, 2], np.float32), "scales"),
             t(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads")]

    def qdq(src, dst):
        return [helper.make_node("QuantizeLinear", [src, "s", "z"], [dst + "_q"]),
                helper.make_node("DequantizeLinear", [dst + "_q", "s", "z"], [dst])]

    nodes = (qdq("x", "xd")
             + [helper.make_node("Resize", ["xd", "", "scales"], ["r"], mode="nearest",
                                 coordinate_transformation_mode="asymmetric",
                                 nearest_mode="floor", name="resize")]
             + qdq("r", "rd")
             + [helper.make_node("Pad", ["rd", "pads"], ["p"], name="pad")] + qdq("p", "pd")
             + [helper.make_node("DepthToSpace", ["pd"], ["d"], blocksize=2, name="d2s")]
             + qdq("d", "y"))
    save(helper.make_model(helper.make_graph(
        nodes, "qdq_resample", [vi("x", f32, [1, 4, 3, 4])], [vi("y", f32, [1, 1, 16, 20])],
        inits), opset_imports=[helper.make_opsetid("", 13)]), "qdq_resample.onnx")
    xd = ((quantize(x, scale, zp) - zp) * scale).astype(np.float32)
    r = xd.repeat(2, axis=2).repeat(2, axis=3)
    p = np.pad(r, ((0, 0), (0, 0), (1, 1), (1, 1)))
    d = p.reshape(1, 2, 2, 1, 8, 10).transpose(0, 3, 4, 1, 5, 2).reshape(1, 1, 16, 20)
    np.save(os.path.join(HERE, "qdq_resample_x.npy"), x)
    np.save(os.path.join(HERE, "qdq_resample_y.npy"), d)

    torch.manual_seed(3)

    class ConvResize(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Conv2d(3, 8, 3, padding=1)
            self.b = torch.nn.Conv2d(8, 4, 3, padding=1)

        def forward(self, v):
            up = F.interpolate(torch.relu(self.a(v)), scale_factor=2, mode="bilinear",
                               align_corners=False)
            return self.b(up)

    m = ConvResize().eval()
    grid = torch.linspace(0, 1, 8)
    samples = torch.stack([torch.sin(3 * grid[None, :, None] * (k + 1) + grid[None, None, :] * 5
                                     + torch.arange(3.0)[:, None, None])
                           for k in range(9)])
    # The test sample lies between calibration samples (frequency 5 of 1..9).
    test = samples[4:5]
    np.save(os.path.join(HERE, "conv_resize_calib.npy"),
            torch.cat([samples[:4], samples[5:]]).numpy())
    np.save(os.path.join(HERE, "conv_resize_x.npy"), test.numpy())
    with torch.no_grad():
        np.save(os.path.join(HERE, "conv_resize_y.npy"), m(test).numpy())
    torch_export(m, (test,), "conv_resize.onnx", 13)


def invalid_data_movement_models():
    """Data-movement nodes qc rejects, each an error naming the node and
    the attribute or input at fault (models saved without the checker)."""
    f32 = TensorProto.FLOAT
    t = numpy_helper.from_array
    node = helper.make_node

    def model(name, nodes, inits=(), inputs=(("x", f32, [1, 2, 4, 4]),), opset=13):
        ins = [helper.make_tensor_value_info(n, ty, sh) for n, ty, sh in inputs]
        outs = [helper.make_tensor_value_info("y", f32, None)]
        m = helper.make_model(helper.make_graph(nodes, name, ins, outs, list(inits)),
                              opset_imports=[helper.make_opsetid("", opset)])
        onnx.save(m, os.path.join(HERE, "bad_dm_" + name + ".onnx"))

    scales = t(np.array([1, 1, 2, 2], np.float32), "s")
    model("resize_mode", [node("Resize", ["x", "", "s"], ["y"], mode="area", name="up")],
          [scales])
    model("resize_coordinates",
          [node("Resize", ["x", "", "s"], ["y"], mode="linear",
                coordinate_transformation_mode="tf_crop_and_resize", name="up")], [scales])
    model("resize_nearest_mode",
          [node("Resize", ["x", "", "s"], ["y"], nearest_mode="round", name="up")], [scales])
    model("resize_runtime_scales", [node("Resize", ["x", "", "s"], ["y"], name="up")],
          inputs=(("x", f32, [1, 2, 4, 4]), ("s", f32, [4])))
    model("resize_both", [node("Resize", ["x", "", "s", "z"], ["y"], name="up")],
          [scales, t(np.array([1, 2, 8, 8], np.int64), "z")])
    model("resize_antialias",
          [node("Resize", ["x", "", "s"], ["y"], mode="linear", antialias=1, name="down")],
          [t(np.array([1, 1, 0.5, 0.5], np.float32), "s")], opset=18)
    model("resize_aspect",
          [node("Resize", ["x", "", "", "z"], ["y"], keep_aspect_ratio_policy="not_larger",
                axes=[2, 3], name="up")],
          [t(np.array([8, 6], np.int64), "z")], opset=18)
    model("upsample_mode", [node("Upsample", ["x", "s"], ["y"], mode="cubic", name="up")],
          [scales], opset=9)
    model("pad_wrap", [node("Pad", ["x", "p"], ["y"], mode="wrap", name="pad")],
          [t(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "p")], opset=19)
    model("pad_runtime", [node("Pad", ["x", "p"], ["y"], name="pad")],
          inputs=(("x", f32, [1, 2, 4, 4]), ("p", TensorProto.INT32, [8])))
    model("pad_count", [node("Pad", ["x", "p"], ["y"], name="pad")],
          [t(np.array([1, 1], np.int64), "p")])
    model("gather_float_indices", [node("Gather", ["x", "i"], ["y"], axis=1, name="embed")],
          inputs=(("x", f32, [1, 2, 4, 4]), ("i", f32, [3])))
    model("gather_empty_dim", [node("Gather", ["x", "i"], ["y"], axis=1, name="embed")],
          inputs=(("x", f32, [1, 0, 4, 4]), ("i", TensorProto.INT64, [3])))
    model("gather_elements_runtime",
          [node("GatherElements", ["x", "i"], ["y"], axis=1, name="pick")],
          inputs=(("x", f32, [1, 2, 4, 4]), ("i", TensorProto.INT32, [1, 2, 4, 4])))
    model("einsum_diagonal",
          [node("Einsum", ["x"], ["y"], equation="bcii->bci", name="diag")])
    model("einsum_sum", [node("Einsum", ["x", "w"], ["y"], equation="bchw,wk->bk",
                              name="proj")],
          [t(np.ones((4, 3), np.float32), "w")])
    model("expand_shape", [node("Expand", ["x", "e"], ["y"], name="expand")],
          [t(np.array([3, 4, 4], np.int64), "e")])
    model("tile_runtime", [node("Tile", ["x", "r"], ["y"], name="tile")],
          inputs=(("x", f32, [1, 2, 4, 4]), ("r", TensorProto.INT32, [4])))
    model("depthtospace_channels",
          [node("DepthToSpace", ["x"], ["y"], blocksize=2, name="d2s")])
    model("range_runtime", [node("Range", ["a", "b", "c"], ["y"], name="range")],
          inputs=(("a", f32, []), ("b", f32, []), ("c", f32, [])))


def runtime_gather_models():
    """Gather at indices that are graph inputs: an int64 token-id lookup in
    an embedding table (negative ids count from the back), int32 indices
    along an inner axis of run-time data, integer data (ids picked by ids),
    and ids outside [-dim, dim), which read the nearest valid row (qc's
    defined handling of what ONNX leaves undefined). Against numpy; then a
    BERT-style embedding (token + position embeddings, LayerNorm, a dense
    layer) exported by PyTorch, against torch."""
    rng = np.random.default_rng(23)
    vi = helper.make_tensor_value_info
    table = rng.normal(size=(10, 4)).astype(np.float32)
    ids = np.array([[0, 3, 9, -1, -10], [5, 5, 2, 1, 7]], np.int64)
    x = rng.normal(size=(3, 6)).astype(np.float32)
    cols = np.array([[0, 5], [-2, 1]], np.int32)
    wild = np.array([12, -11, 4, 9, 10, -100], np.int64)
    nodes = [helper.make_node("Gather", ["table", "ids"], ["emb"], axis=0, name="emb"),
             helper.make_node("Gather", ["x", "cols"], ["cols_out"], axis=1, name="cols"),
             helper.make_node("Gather", ["ids", "pick"], ["ids_out"], axis=1, name="pick"),
             helper.make_node("Gather", ["table", "wild"], ["wild_out"], axis=0, name="wild")]
    graph = helper.make_graph(
        nodes, "runtime_gather",
        [vi("ids", TensorProto.INT64, [2, 5]), vi("x", TensorProto.FLOAT, [3, 6]),
         vi("cols", TensorProto.INT32, [2, 2]), vi("pick", TensorProto.INT64, [3]),
         vi("wild", TensorProto.INT64, [6])],
        [vi("emb", TensorProto.FLOAT, [2, 5, 4]), vi("cols_out", TensorProto.FLOAT, [3, 2, 2]),
         vi("ids_out", TensorProto.INT64, [2, 3]), vi("wild_out", TensorProto.FLOAT, [6, 4])],
        [numpy_helper.from_array(table, "table")])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(HERE, "gather_runtime.onnx"))
    pick = np.array([4, 0, -1], np.int64)
    for name, value in [("ids", ids), ("x", x), ("cols", cols), ("pick", pick), ("wild", wild),
                        ("emb", table[ids]), ("cols_out", np.take(x, cols, axis=1)),
                        ("ids_out", np.take(ids, pick, axis=1)),
                        ("wild_out", table[np.clip(np.where(wild < 0, wild + 10, wild), 0, 9)])]:
        np.save(os.path.join(HERE, "gather_runtime_" + name + ".npy"), value)

    import torch

    class Embed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = torch.nn.Embedding(50, 16)
            self.positions = torch.nn.Embedding(12, 16)
            self.norm = torch.nn.LayerNorm(16)
            self.dense = torch.nn.Linear(16, 8)

        def forward(self, ids):
            pos = torch.arange(ids.shape[1]).unsqueeze(0)
            return self.dense(self.norm(self.tokens(ids) + self.positions(pos))).tanh()

    torch.manual_seed(5)
    net = Embed().eval()
    tokens = torch.randint(0, 50, (64, 12), generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        y = net(tokens[:4])
    torch.onnx.export(net, (tokens[:4],), os.path.join(HERE, "embedding.onnx"),
                      input_names=["ids"], output_names=["y"], opset_version=13,
                      dynamic_axes={"ids": {0: "batch"}})
    np.save(os.path.join(HERE, "embedding_ids.npy"), tokens[:4].numpy())
    np.save(os.path.join(HERE, "embedding_calib.npy"), tokens.numpy())
    np.save(os.path.join(HERE, "embedding_y.npy"), y.numpy())


def conv_norm_torch():
    """Transposed convolutions (2-D grouped with stride, padding and output
    padding; dilated with asymmetric strides and no bias; 1-D), GroupNorm
    (exported as InstanceNormalization of a reshaped input), InstanceNorm2d,
    LogSoftmax along the channels and the reductions PyTorch exports (sum,
    amax, amin, prod, L1 and L2 norms, logsumexp), as torch writes them at
    opset 11 (ReduceSum's axes an attribute, LogSoftmax behind transposes),
    13 (ReduceSum's axes an input) and 17; expected outputs from torch."""
    import torch
    import torch.nn.functional as F

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.up = torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1,
                                               output_padding=1, groups=2)
            self.dil = torch.nn.ConvTranspose2d(4, 3, (2, 3), stride=(1, 2),
                                                padding=(1, 0), dilation=2,
                                                bias=False)
            self.up1d = torch.nn.ConvTranspose1d(4, 2, 4, stride=3, padding=2,
                                                 output_padding=1)
            self.gn = torch.nn.GroupNorm(2, 6)
            self.inorm = torch.nn.InstanceNorm2d(3, affine=True)

        def forward(self, x, a):
            u = self.gn(self.up(x))
            d = self.inorm(self.dil(x))
            v = self.up1d(a)
            return (u, d, v, F.log_softmax(u, dim=1),
                    torch.sum(d, dim=(2, 3)), torch.amax(u, dim=1, keepdim=True),
                    torch.amin(d, dim=-1), torch.prod(v, dim=2),
                    torch.norm(u, p=1, dim=(2, 3)),
                    torch.norm(d, p=2, dim=1, keepdim=True),
                    torch.logsumexp(v, dim=1))

    torch.manual_seed(3)
    net = Net().eval()
    with torch.no_grad():  # Affine parameters other than the initial 1 and 0.
        for norm in (net.gn, net.inorm):
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.uniform_(-0.5, 0.5)
    x, a = torch.randn(2, 4, 5, 5), torch.randn(2, 4, 7)
    for opset in (11, 13, 17):
        torch.onnx.export(net, (x, a), os.path.join(HERE, f"convnorm_opset{opset}.onnx"),
                          input_names=["x", "a"], opset_version=opset)
    np.save(os.path.join(HERE, "convnorm_x.npy"), x.numpy())
    np.save(os.path.join(HERE, "convnorm_a.npy"), a.numpy())
    with torch.no_grad():
        for i, y in enumerate(net(x, a)):
            np.save(os.path.join(HERE, f"convnorm_y{i}.npy"), y.numpy())


def conv_norm_forms():
    """The forms PyTorch does not write, one model per opset, expected
    outputs from numpy (float64): ReduceSumSquare, ReduceLogSum and ReduceL1
    with axes attributes (opset 13) and inputs (18), ReduceSum without axes
    under noop_with_empty_axes (18), keepdims=0; LpNormalization with p = 1
    and 2; LogSoftmax's 2-D coercion (opset 11) against its axis semantics
    (13); GroupNormalization with per-group (18) and per-channel (21)
    scale and bias; ConvTranspose with an output_shape of odd total padding
    (2-D and 1-D) and auto_pad SAME_LOWER. Models newer than this onnx
    package knows skip its checker."""
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(9)
    x = rng.uniform(0.1, 2.0, (2, 3, 4)).astype(np.float32)
    img = rng.normal(0, 1, (1, 2, 3, 3)).astype(np.float32)
    sig = rng.normal(0, 1, (1, 2, 3)).astype(np.float32)
    w = rng.normal(0, 0.5, (2, 3, 3, 3)).astype(np.float32)  # [C_in, C_out, k, k]
    w1 = rng.normal(0, 0.5, (2, 2, 4)).astype(np.float32)
    gn_x = rng.normal(0, 1, (2, 4, 3, 2)).astype(np.float32)
    gn_g, gn_b = (rng.uniform(0.5, 1.5, 4).astype(np.float32),
                  rng.normal(0, 0.3, 4).astype(np.float32))
    np.save(os.path.join(HERE, "convnorm_forms_x.npy"), x)
    np.save(os.path.join(HERE, "convnorm_forms_img.npy"), img)
    np.save(os.path.join(HERE, "convnorm_forms_sig.npy"), sig)
    np.save(os.path.join(HERE, "convnorm_forms_gn.npy"), gn_x)
    t = numpy_helper.from_array
    i64 = lambda name, v: t(np.array(v, np.int64), name)
    node = helper.make_node
    x64, img64 = x.astype(np.float64), torch.from_numpy(img.astype(np.float64))

    def full_transpose(xv, wv, stride):
        return F.conv_transpose2d(xv, torch.from_numpy(wv.astype(np.float64)),
                                  stride=stride).numpy()

    def log_softmax(v, axis):
        m = v.max(axis=axis, keepdims=True)
        return v - m - np.log(np.exp(v - m).sum(axis=axis, keepdims=True))

    def group_norm(v, groups, g, b):
        n, c = v.shape[:2]
        r = v.astype(np.float64).reshape(n, groups, -1)
        r = (r - r.mean(-1, keepdims=True)) / np.sqrt(r.var(-1, keepdims=True) + 1e-5)
        return r.reshape(v.shape) * g[None, :, None, None] + b[None, :, None, None]

    # Each opset: (nodes, initializers, outputs as (name, expected)).
    forms = {}
    full = full_transpose(img64, w, 2)  # 1x3x7x7
    full1 = F.conv_transpose1d(torch.from_numpy(sig.astype(np.float64)),
                               torch.from_numpy(w1.astype(np.float64)),
                               stride=3).numpy()  # 1x2x10
    forms[13] = (
        [node("ReduceSumSquare", ["x"], ["ssq"], axes=[1], keepdims=0),
         node("ReduceLogSum", ["x"], ["lsum"], axes=[0, 2]),
         node("ReduceL1", ["x"], ["l1"], axes=[-1], keepdims=0),
         node("LpNormalization", ["x"], ["lp1"], axis=1, p=1),
         node("LpNormalization", ["x"], ["lp2"]),
         node("LogSoftmax", ["x"], ["ls"], axis=1),
         # total padding 7 - 4 = 3: 2 at the beginning, 1 at the end.
         node("ConvTranspose", ["img", "w"], ["ct_shape"], strides=[2, 2],
              output_shape=[4, 6]),
         node("ConvTranspose", ["img", "w"], ["ct_same"], strides=[2, 2],
              auto_pad="SAME_LOWER"),
         node("ConvTranspose", ["sig", "w1"], ["ct_1d"], strides=[3],
              output_shape=[7])],
        [t(w, "w"), t(w1, "w1")],
        [("ssq", (x64 ** 2).sum(1)), ("lsum", np.log(x64.sum((0, 2), keepdims=True))),
         ("l1", np.abs(x64).sum(-1)),
         ("lp1", x64 / np.abs(x64).sum(1, keepdims=True)),
         ("lp2", x64 / np.sqrt((x64 ** 2).sum(-1, keepdims=True))),
         ("ls", log_softmax(x64, 1)), ("ct_shape", full[:, :, 2:6, 1:7]),
         ("ct_same", full[:, :, 1:7, 1:7]), ("ct_1d", full1[:, :, 2:9])])
    forms[11] = (
        [node("ReduceSumSquare", ["x"], ["ssq"], axes=[0, 1]),
         node("LogSoftmax", ["x"], ["ls"], axis=1)],
        [],
        [("ssq", (x64 ** 2).sum((0, 1), keepdims=True)),
         ("ls", log_softmax(x64.reshape(2, 12), 1).reshape(2, 3, 4))])
    forms[18] = (
        [node("ReduceSumSquare", ["x", "ax1"], ["ssq"], keepdims=0),
         node("ReduceLogSum", ["x", "ax02"], ["lsum"]),
         node("ReduceMax", ["x", "ax1"], ["max"], keepdims=0),
         node("ReduceL2", ["x", "ax02"], ["l2"]),
         node("ReduceSum", ["x"], ["same"], noop_with_empty_axes=1),
         node("ReduceProd", ["x"], ["prod"]),
         node("GroupNormalization", ["gn", "g2", "b2"], ["gnorm"], num_groups=2)],
        [i64("ax1", [1]), i64("ax02", [0, -1]),
         t(gn_g[:2].copy(), "g2"), t(gn_b[:2].copy(), "b2")],
        [("ssq", (x64 ** 2).sum(1)), ("lsum", np.log(x64.sum((0, 2), keepdims=True))),
         ("max", x64.max(1)), ("l2", np.sqrt((x64 ** 2).sum((0, 2), keepdims=True))),
         ("same", x64), ("prod", x64.prod(keepdims=True)),
         ("gnorm", group_norm(gn_x, 2, np.repeat(gn_g[:2], 2), np.repeat(gn_b[:2], 2)))])
    forms[21] = (
        [node("GroupNormalization", ["gn", "g", "b"], ["gnorm"], num_groups=2,
              epsilon=1e-5)],
        [t(gn_g, "g"), t(gn_b, "b")],
        [("gnorm", group_norm(gn_x, 2, gn_g, gn_b))])
    inputs = {"x": x, "img": img, "sig": sig, "gn": gn_x}
    for opset, (nodes, inits, outs) in forms.items():
        used = [n for n in inputs if any(n in nd.input for nd in nodes)]
        graph = helper.make_graph(
            nodes, f"convnorm_forms{opset}",
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, inputs[n].shape)
             for n in used],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, v.shape)
             for n, v in outs], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        name = f"convnorm_forms{opset}.onnx"
        if opset <= 17:
            save(model, name)
        else:
            onnx.save(model, os.path.join(HERE, name))
        for n, v in outs:
            np.save(os.path.join(HERE, f"convnorm_forms{opset}_{n}.npy"),
                    v.astype(np.float32))


def qdq_conv_transpose():
    """A QDQ ConvTranspose as ONNX Runtime's quantizer writes it: u8
    activations, int8 weights per channel along axis 1 (the output channels
    of the [C_in, C_out, kh, kw] weight), an int32 bias with scale x_scale *
    w_scale, and a ReLU before the last QuantizeLinear. Expected: ONNX's
    float semantics (the transposed convolution of the dequantized values,
    in float64, then QuantizeLinear)."""
    import torch
    import torch.nn.functional as F
    rng = np.random.default_rng(10)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 5, 5])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 10, 10])
    w = rng.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8)
    w_scale = np.array([0.01, 0.02, 0.015], np.float32)
    x_scale, y_scale = np.float32(0.02), np.float32(0.04)
    b = rng.integers(-800, 800, 3).astype(np.int32)
    b_scale = (x_scale * w_scale).astype(np.float32)
    t = numpy_helper.from_array
    inits = [t(np.array(x_scale), "x_scale"), t(np.array(128, np.uint8), "x_zp"),
             t(w, "w_q"), t(w_scale, "w_scale"), t(np.zeros(3, np.int8), "w_zp"),
             t(b, "b_q"), t(b_scale, "b_scale"), t(np.zeros(3, np.int32), "b_zp"),
             t(np.array(y_scale), "y_scale"), t(np.array(0, np.uint8), "y_zp")]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "x_scale", "x_zp"], ["xd"]),
        helper.make_node("DequantizeLinear", ["w_q", "w_scale", "w_zp"], ["wd"], axis=1),
        helper.make_node("DequantizeLinear", ["b_q", "b_scale", "b_zp"], ["bd"], axis=0),
        helper.make_node("ConvTranspose", ["xd", "wd", "bd"], ["c"], strides=[2, 2],
                         pads=[1, 1, 1, 1], output_padding=[1, 1], name="up"),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("QuantizeLinear", ["r", "y_scale", "y_zp"], ["yq"]),
        helper.make_node("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"]),
    ]
    save(helper.make_model(helper.make_graph(nodes, "qdq_conv_transpose", [x], [y], inits),
                           opset_imports=[helper.make_opsetid("", 13)]),
         "qdq_conv_transpose.onnx")
    xin = rng.normal(0, 1, (1, 4, 5, 5)).astype(np.float32)
    xd = (quantize(xin, x_scale, 128) - 128).astype(np.float64) * np.float64(x_scale)
    wd = w.astype(np.float64) * w_scale.astype(np.float64)[None, :, None, None]
    bd = b * b_scale.astype(np.float64)
    c = F.conv_transpose2d(torch.from_numpy(xd), torch.from_numpy(wd), torch.from_numpy(bd),
                           stride=2, padding=1, output_padding=1).numpy()
    yq = np.clip(np.rint(np.maximum(c, 0) / np.float64(y_scale)), 0, 255)
    np.save(os.path.join(HERE, "qdq_conv_transpose_x.npy"), xin)
    np.save(os.path.join(HERE, "qdq_conv_transpose_y.npy"),
            (yq * np.float64(y_scale)).astype(np.float32))


def calibrated_decoder():
    """A small encoder-decoder as segmentation and text-detection heads
    are built (strided convolution, ReLU, ConvTranspose2d upsampling by 2
    with a BatchNorm2d and a ReLU after it, a 1x1 convolution) exported by
    torch at opset 13, with calibration samples, an input and torch's
    output."""
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.down = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.up = torch.nn.ConvTranspose2d(8, 4, 2, stride=2)
            self.bn = torch.nn.BatchNorm2d(4)
            self.head = torch.nn.Conv2d(4, 2, 1)

        def forward(self, x):
            h = torch.relu(self.down(x))
            return self.head(torch.relu(self.bn(self.up(h))))

    torch.manual_seed(4)
    net = Net().eval()
    with torch.no_grad():  # Statistics other than the initial 0 and 1.
        net.bn.running_mean.uniform_(-0.2, 0.2)
        net.bn.running_var.uniform_(0.5, 2.0)
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.uniform_(-0.2, 0.2)
    x = torch.rand(1, 3, 16, 16)
    torch.onnx.export(net, x, os.path.join(HERE, "decoder.onnx"), input_names=["x"],
                      output_names=["y"], opset_version=13)
    with torch.no_grad():
        y = net(x)
    np.save(os.path.join(HERE, "decoder_x.npy"), x.numpy())
    np.save(os.path.join(HERE, "decoder_y.npy"), y.numpy())
    np.save(os.path.join(HERE, "decoder_calib.npy"), torch.rand(16, 3, 16, 16).numpy())


def invalid_conv_norm_models():
    """Malformed ConvTranspose, normalization, reduction and index nodes
    (bad_cn_*.onnx) on run-time inputs: each is an error naming the node,
    the attribute and the reason."""
    t = numpy_helper.from_array
    f32 = TensorProto.FLOAT

    def model(name, nodes, inits=(), inputs=(("x", f32, [1, 3, 4, 4]),), opset=13):
        ins = [helper.make_tensor_value_info(n, ty, s) for n, ty, s in inputs]
        outs = [helper.make_tensor_value_info("y", f32, None)]
        m = helper.make_model(helper.make_graph(nodes, name, ins, outs, list(inits)),
                              opset_imports=[helper.make_opsetid("", opset)])
        onnx.save(m, os.path.join(HERE, "bad_cn_" + name + ".onnx"))  # no checker

    node = helper.make_node
    w = [t(np.zeros((3, 2, 3, 3), np.float32), "w")]

    def ct(name, inits=w, inputs=(("x", f32, [1, 3, 4, 4]),), **attrs):
        model("ct_" + name, [node("ConvTranspose", ["x", "w"], ["y"], name="up", **attrs)],
              inits, inputs)

    ct("strides", strides=[0, 1])
    ct("output_padding", output_padding=[-1, 0])
    ct("output_shape_count", output_shape=[9])
    ct("output_shape_large", strides=[2, 2], output_shape=[12, 9])
    ct("kernel_shape", kernel_shape=[2, 2])
    ct("group", group=2)
    ct("channels", [t(np.zeros((2, 2, 3, 3), np.float32), "w")])
    ct("pads", pads=[3, 0, 3, 0])
    ct("auto_pad", auto_pad="SAME")
    ct("rank", [t(np.zeros((3, 2, 3, 3, 3), np.float32), "w")],
       inputs=(("x", f32, [1, 3, 4, 4, 4]),))
    ct("1d_strides", [t(np.zeros((3, 2, 3), np.float32), "w")],
       inputs=(("x", f32, [1, 3, 4]),), strides=[2, 2])
    ct("1d_pads", [t(np.zeros((3, 2, 3), np.float32), "w")],
       inputs=(("x", f32, [1, 3, 4]),), pads=[1, -1])
    params = [t(np.ones(3, np.float32), "s"), t(np.zeros(3, np.float32), "b")]
    model("instancenorm_scale",
          [node("InstanceNormalization", ["x", "s", "b"], ["y"], name="norm")],
          [t(np.ones(2, np.float32), "s"), t(np.zeros(3, np.float32), "b")])
    gn = (("x", f32, [1, 4, 3, 3]),)
    model("groupnorm_missing", [node("GroupNormalization", ["x", "s", "b"], ["y"],
                                     name="norm")], params, gn, opset=18)
    model("groupnorm_groups", [node("GroupNormalization", ["x", "s", "b"], ["y"],
                                    num_groups=3, name="norm")], params, gn, opset=18)
    model("groupnorm_scale", [node("GroupNormalization", ["x", "s", "b"], ["y"],
                                   num_groups=2, name="norm")],
          [t(np.ones(4, np.float32), "s"), t(np.zeros(4, np.float32), "b")], gn, opset=18)
    model("groupnorm_stash", [node("GroupNormalization", ["x", "s", "b"], ["y"],
                                   num_groups=2, stash_type=10, name="norm")],
          [t(np.ones(4, np.float32), "s"), t(np.zeros(4, np.float32), "b")], gn, opset=21)
    model("lpnorm_p", [node("LpNormalization", ["x"], ["y"], p=3, name="norm")])
    model("lpnorm_axis", [node("LpNormalization", ["x"], ["y"], axis=4, name="norm")])
    model("logsoftmax_axis", [node("LogSoftmax", ["x"], ["y"], axis=-5, name="lsm")])
    model("reduce_axis", [node("ReduceSumSquare", ["x"], ["y"], axes=[4], name="sum")])
    model("reduce_repeated", [node("ReduceMax", ["x"], ["y"], axes=[1, -3], name="max")])
    model("reduce_keepdims", [node("ReduceL2", ["x"], ["y"], axes=[1], keepdims=2,
                                   name="l2")])
    model("reduce_axes_input", [node("ReduceProd", ["x", "axes"], ["y"], name="prod")],
          inputs=(("x", f32, [1, 3, 4, 4]), ("axes", TensorProto.INT64, [1])), opset=18)
    model("argmax_last", [node("ArgMax", ["x"], ["y"], axis=1, select_last_index=2,
                               name="am")])
    model("argmin_axis", [node("ArgMin", ["x"], ["y"], axis=4, name="am")])
    model("topk_k", [node("TopK", ["x", "k"], ["y", "i"], axis=-1, name="top")],
          [t(np.array([5], np.int64), "k")])
    model("topk_runtime_k", [node("TopK", ["x", "k"], ["y", "i"], name="top")],
          inputs=(("x", f32, [1, 3, 4, 4]), ("k", TensorProto.INT64, [1])))
    model("maxpool_storage_order",
          [node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], storage_order=2,
                name="pool")])


def pool_forms():
    """MaxPool and AveragePool with the attributes whose interplay is easy to
    get wrong, against a numpy loop of ONNX's definition: dilations with
    ceil_mode and pads (and storage_order, which only orders the unused
    Indices), asymmetric pads with ceil_mode and count_include_pad (the
    count stops at the end padding), auto_pad SAME_LOWER on odd sizes
    without counting the padding, and a dilated SAME_UPPER window (output
    ceil(in / stride), the padding sized with the dilated kernel)."""
    rng = np.random.default_rng(11)
    x = rng.normal(0, 1, (1, 2, 9, 8)).astype(np.float32)
    np.save(os.path.join(HERE, "pool_forms_x.npy"), x)

    def same_pads(size, k, s, d, upper):
        out = -(-size // s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
        small, big = total // 2, total - total // 2
        return (small, big) if upper else (big, small)

    def pool(v, kind, k, s, d, pads, ceil, include_pad):
        h, w = v.shape[2:]
        def size(n, i):
            room = n + pads[i] + pads[i + 2] - ((k[i] - 1) * d[i] + 1)
            o = (-(-room // s[i]) if ceil else room // s[i]) + 1
            return o - 1 if ceil and (o - 1) * s[i] >= n + pads[i] else o
        oh, ow = size(h, 0), size(w, 1)
        y = np.zeros(v.shape[:2] + (oh, ow))
        for i in range(oh):
            for j in range(ow):
                rows = [i * s[0] - pads[0] + a * d[0] for a in range(k[0])]
                cols = [j * s[1] - pads[1] + b * d[1] for b in range(k[1])]
                inside = [(r, c) for r in rows for c in cols
                          if 0 <= r < h and 0 <= c < w]
                vals = np.stack([v[:, :, r, c] for r, c in inside], -1).astype(np.float64)
                if kind == "max":
                    y[:, :, i, j] = vals.max(-1)
                    continue
                padded = [(r, c) for r in rows for c in cols
                          if -pads[0] <= r < h + pads[2] and -pads[1] <= c < w + pads[3]]
                y[:, :, i, j] = vals.sum(-1) / len(padded if include_pad else inside)
        return y

    node = helper.make_node
    su = same_pads(9, 2, 3, 2, True) , same_pads(8, 2, 2, 1, True)
    sl = same_pads(9, 3, 2, 1, False), same_pads(8, 3, 2, 1, False)
    cases = [
        ("mp_ceil", node("MaxPool", ["x"], ["mp_ceil"], kernel_shape=[3, 3], strides=[2, 2],
                         dilations=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, storage_order=1),
         pool(x, "max", [3, 3], [2, 2], [2, 2], [1, 1, 1, 1], True, False)),
        ("ap_ceil", node("AveragePool", ["x"], ["ap_ceil"], kernel_shape=[3, 2], strides=[2, 3],
                         pads=[1, 0, 1, 1], ceil_mode=1, count_include_pad=1),
         pool(x, "avg", [3, 2], [2, 3], [1, 1], [1, 0, 1, 1], True, True)),
        ("ap_same", node("AveragePool", ["x"], ["ap_same"], kernel_shape=[3, 3], strides=[2, 2],
                         auto_pad="SAME_LOWER"),
         pool(x, "avg", [3, 3], [2, 2], [1, 1], [sl[0][0], sl[1][0], sl[0][1], sl[1][1]],
              False, False)),
        ("mp_same", node("MaxPool", ["x"], ["mp_same"], kernel_shape=[2, 2], strides=[3, 2],
                         dilations=[2, 1], auto_pad="SAME_UPPER"),
         pool(x, "max", [2, 2], [3, 2], [2, 1], [su[0][0], su[1][0], su[0][1], su[1][1]],
              False, False)),
    ]
    graph = helper.make_graph(
        [c[1] for c in cases], "pool_forms",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, v.shape) for n, _, v in cases])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
         "pool_forms.onnx")
    for n, _, v in cases:
        np.save(os.path.join(HERE, f"pool_forms_{n}.npy"), v.astype(np.float32))


def arg_topk():
    """ArgMax, ArgMin and TopK as PyTorch exports them (argmax, argmin with
    keepdim, topk largest and smallest) at opset 9 (TopK's k an attribute,
    largest only), 11 and 13 (k a constant input), against torch on values
    without ties; and a QDQ model whose ArgMax and TopK read a dequantized
    tensor (they then select among the quantized values), against numpy."""
    import torch

    class Net(torch.nn.Module):
        def __init__(self, smallest=True):
            super().__init__()
            self.smallest = smallest

        def forward(self, x):
            v, i = torch.topk(x, 3, dim=2)
            out = (torch.argmax(x, dim=1), torch.argmin(x, dim=-1, keepdim=True), v, i)
            if self.smallest:
                out += torch.topk(x, 2, dim=1, largest=False)
            return out

    torch.manual_seed(5)
    x = torch.randn(2, 5, 6)
    for opset in (9, 11, 13):
        torch.onnx.export(Net(smallest=opset > 9), x,
                          os.path.join(HERE, f"argtopk_opset{opset}.onnx"),
                          input_names=["x"], opset_version=opset)
    np.save(os.path.join(HERE, "argtopk_x.npy"), x.numpy())
    for k, y in enumerate(Net()(x)):
        np.save(os.path.join(HERE, f"argtopk_y{k}.npy"), y.numpy())

    # QDQ: u8 scale 0.05, zero point 128.
    t = numpy_helper.from_array
    inits = [t(np.array(0.05, np.float32), "s"), t(np.array(128, np.uint8), "z"),
             t(np.array([2], np.int64), "k")]
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
             helper.make_node("DequantizeLinear", ["q", "s", "z"], ["d"]),
             helper.make_node("ArgMax", ["d"], ["am"], axis=-1, keepdims=0,
                              select_last_index=1),
             helper.make_node("TopK", ["d", "k"], ["v", "i"], axis=1)]
    graph = helper.make_graph(
        nodes, "qdq_argtopk", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5, 6])],
        [helper.make_tensor_value_info("am", TensorProto.INT64, [2, 5]),
         helper.make_tensor_value_info("v", TensorProto.FLOAT, [2, 2, 6]),
         helper.make_tensor_value_info("i", TensorProto.INT64, [2, 2, 6])], inits)
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
         "qdq_argtopk.onnx")
    d = (quantize(x.numpy(), 0.05, 128) - 128) * np.float32(0.05)
    last = d.shape[-1] - 1 - np.argmax(d[..., ::-1], axis=-1)  # the last maximum
    order = np.argsort(-d, axis=1, kind="stable")[:, :2]  # ties: lower index first
    np.save(os.path.join(HERE, "qdq_argtopk_am.npy"), last.astype(np.int64))
    np.save(os.path.join(HERE, "qdq_argtopk_v.npy"),
            np.take_along_axis(d, order, 1).astype(np.float32))
    np.save(os.path.join(HERE, "qdq_argtopk_i.npy"), order.astype(np.int64))


def arg_topk_ties():
    """ArgMax, ArgMin and TopK on values with ties, against numpy: the first
    extreme, or the last with select_last_index; TopK's equal values in
    index order (the lower index first, as ONNX Runtime orders them); the
    smallest; negative and default axes; int64 data (through a Cast); k as
    the attribute of opset 1; and NaN and -inf in numpy's order (the first
    or last NaN wins ArgMax and ArgMin; TopK ranks NaN above every number,
    so it is among the largest and never among the smallest)."""
    x = np.array([[3, 1, 3, 2, 1, 3, 0, 2],
                  [-1, -1, 4, 4, -1, 0, 4, 0],
                  [2, 2, 2, 2, 2, 2, 2, 2],
                  [3, 7, 1, 7, 3, 1, 3, 7]], np.float32)
    n = np.array([[1, np.nan, 3, np.nan, 3, 0],
                  [2, 2, -np.inf, -np.inf, 1, 2]], np.float32)
    np.save(os.path.join(HERE, "argtopk_ties_x.npy"), x)
    np.save(os.path.join(HERE, "argtopk_ties_n.npy"), n)

    def arg(v, axis, largest, last, keep):
        w = v if largest else -v
        if last:
            w = np.flip(w, axis)
        i = np.argmax(w, axis)  # the first NaN, else the first maximum
        if last:
            i = v.shape[axis] - 1 - i
        return (np.expand_dims(i, axis) if keep else i).astype(np.int64)

    def topk(v, k, axis, largest):
        m = np.moveaxis(v, axis, -1)
        nan = np.isnan(m) if m.dtype.kind == "f" else np.zeros(m.shape, bool)
        key = np.where(nan, 0, -m if largest else m)
        # lexsort is stable; its last key is the primary one.
        order = np.lexsort((key, ~nan if largest else nan), axis=-1)[..., :k]
        vals = np.take_along_axis(m, order, -1)
        return (np.moveaxis(vals, -1, axis),
                np.moveaxis(order, -1, axis).astype(np.int64))

    node = helper.make_node
    xi = x.astype(np.int64)
    nodes = [node("Cast", ["x"], ["xi"], to=TensorProto.INT64)]
    expected = []

    def add(op, inputs, outputs, want, **attrs):
        nodes.append(node(op, inputs, outputs, **attrs))
        expected.extend(zip(outputs, want))

    add("ArgMax", ["x"], ["am_first"], [arg(x, 1, True, False, False)], axis=1, keepdims=0)
    add("ArgMax", ["x"], ["am_last"], [arg(x, 1, True, True, True)], axis=-1,
        select_last_index=1)
    add("ArgMin", ["x"], ["an_last"], [arg(x, 0, False, True, False)], axis=0, keepdims=0,
        select_last_index=1)
    add("ArgMin", ["x"], ["an_first"], [arg(x, 0, False, False, True)])
    add("TopK", ["x", "k3"], ["top_v", "top_i"], topk(x, 3, 1, True), axis=1)
    add("TopK", ["x", "k2"], ["low_v", "low_i"], topk(x, 2, 0, False), axis=0, largest=0,
        sorted=1)
    add("ArgMax", ["xi"], ["int_am"], [arg(xi, 1, True, True, False)], axis=1, keepdims=0,
        select_last_index=1)
    add("TopK", ["xi", "k3"], ["int_v", "int_i"], topk(xi, 3, -1, False), largest=0)
    add("ArgMax", ["n"], ["nan_am"], [arg(n, 1, True, False, False)], axis=1, keepdims=0)
    add("ArgMax", ["n"], ["nan_am_last"], [arg(n, 1, True, True, False)], axis=1, keepdims=0,
        select_last_index=1)
    add("ArgMin", ["n"], ["nan_an"], [arg(n, 1, False, False, False)], axis=1, keepdims=0)
    add("ArgMin", ["n"], ["nan_an_last"], [arg(n, 1, False, True, False)], axis=1, keepdims=0,
        select_last_index=1)
    add("TopK", ["n", "k3"], ["nan_top_v", "nan_top_i"], topk(n, 3, 1, True))
    add("TopK", ["n", "k3"], ["nan_low_v", "nan_low_i"], topk(n, 3, 1, False), largest=0)
    ty = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int64): TensorProto.INT64}
    graph = helper.make_graph(
        nodes, "argtopk_ties",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape),
         helper.make_tensor_value_info("n", TensorProto.FLOAT, n.shape)],
        [helper.make_tensor_value_info(name, ty[v.dtype], v.shape) for name, v in expected],
        [numpy_helper.from_array(np.array([3], np.int64), "k3"),
         numpy_helper.from_array(np.array([2], np.int64), "k2")])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
         "argtopk_ties.onnx")
    for name, v in expected:
        np.save(os.path.join(HERE, f"argtopk_ties_{name}.npy"), np.ascontiguousarray(v))

    # Opset 1: k is an attribute (axis -1 by default).
    graph = helper.make_graph(
        [node("TopK", ["x"], ["v", "i"], k=3)], "argtopk_ties_opset1",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("v", TensorProto.FLOAT, [4, 3]),
         helper.make_tensor_value_info("i", TensorProto.INT64, [4, 3])])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 1)]),
         "argtopk_ties_opset1.onnx")



def qoperator_data_movement():
    """Every data-movement operator of a QOperator model applied directly to
    uint8 tensors, as ONNX allows and ONNX Runtime's quantizer writes: the
    values move and keep their quantization parameters (one
    QuantizeLinear in, one DequantizeLinear out, nothing in between
    rescales). MaxPool, Pad (the default raw 0, and ORT's explicit zero
    point), Resize nearest, DepthToSpace, Gather with constant and with
    run-time indices, Transpose, Slice, Concat, Split, Squeeze/Unsqueeze,
    Reshape, Flatten. Expected output by numpy on the stored integers."""
    rng = np.random.default_rng(31)
    t = numpy_helper.from_array
    node = helper.make_node
    s, z = np.float32(0.05), np.uint8(128)
    x = rng.normal(size=(1, 8, 4, 4)).astype(np.float32)
    ids = np.array([0, 5, -1, 11, 2], np.int64)
    inits = [t(np.array(s), "s"), t(np.array(z), "z"),
             t(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads"),
             t(np.array([0, 0, 0, 1, 0, 0, 0, 0], np.int64), "pads1"),
             t(np.array([1, 1, 2, 2], np.float32), "scales"),
             t(np.array([1, 0, 1], np.int64), "gidx"),
             t(np.array([1], np.int64), "st"), t(np.array([4], np.int64), "en"),
             t(np.array([3], np.int64), "ax"), t(np.array([0], np.int64), "ax0"),
             t(np.array([2, 3, 15], np.int64), "shape"),
             t(np.array([5, 1], np.int64), "parts")]
    nodes = [node("QuantizeLinear", ["x", "s", "z"], ["q"]),
             node("MaxPool", ["q"], ["mp"], kernel_shape=[2, 2], strides=[1, 1]),
             node("Pad", ["mp", "pads"], ["p"], mode="constant"),
             node("Pad", ["p", "pads1", "z"], ["p1"], mode="constant"),
             node("Resize", ["p1", "", "scales"], ["r"], mode="nearest",
                  coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
             node("DepthToSpace", ["r"], ["d"], blocksize=2),
             node("Gather", ["d", "gidx"], ["g"], axis=1),
             node("Gather", ["g", "ids"], ["tk"], axis=3),
             node("Transpose", ["tk"], ["tt"], perm=[0, 1, 3, 2]),
             node("Slice", ["tt", "st", "en", "ax"], ["sl"]),
             node("Concat", ["sl", "sl"], ["cc"], axis=1),
             node("Split", ["cc", "parts"], ["a", "b"], axis=1),
             node("Squeeze", ["b", "ax0"], ["sq"]),
             node("Unsqueeze", ["sq", "ax0"], ["us"]),
             node("Concat", ["a", "us"], ["cat"], axis=1),
             node("Reshape", ["cat", "shape"], ["rs"]),
             node("Flatten", ["rs"], ["fl"], axis=1),
             node("DequantizeLinear", ["fl", "s", "z"], ["y"])]
    q = np.clip(np.round(x / s) + 128, 0, 255).astype(np.uint8)
    mp = np.max(np.stack([q[:, :, i:i + 3, j:j + 3] for i in (0, 1) for j in (0, 1)]), axis=0)
    p = np.pad(mp, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=0)
    p1 = np.pad(p, ((0, 0), (0, 0), (0, 0), (1, 0)), constant_values=128)
    r = p1.repeat(2, axis=2).repeat(2, axis=3)
    n, c, h, w = r.shape
    d = r.reshape(n, 2, 2, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, c // 4, h * 2, w * 2)
    tk = np.take(d[:, [1, 0, 1]], ids, axis=3)
    sl = tk.transpose(0, 1, 3, 2)[:, :, :, 1:4]
    cc = np.concatenate([sl, sl], axis=1)
    a, b = cc[:, :5], cc[:, 5:]
    fl = np.concatenate([a, b], axis=1).reshape(2, 3, 15).reshape(2, -1)
    y = (fl.astype(np.float32) - 128) * s
    vi = helper.make_tensor_value_info
    graph = helper.make_graph(nodes, "qoperator_data_movement",
                              [vi("x", TensorProto.FLOAT, list(x.shape)),
                               vi("ids", TensorProto.INT64, [5])],
                              [vi("y", TensorProto.FLOAT, list(y.shape))], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(HERE, "qop_movement.onnx"))
    np.save(os.path.join(HERE, "qop_movement_x.npy"), x)
    np.save(os.path.join(HERE, "qop_movement_ids.npy"), ids)
    np.save(os.path.join(HERE, "qop_movement_y.npy"), y)


def integer_data_movement():
    """Bool and integer tensors through the data-movement operators, as
    BERT-style masks and index computations use them: Expand of a bool mask,
    Pad of int64 (edge) and int32 (constant -7), Tile of int32, Gather of
    int64 at constant indices, DepthToSpace of bool, nearest Resize of int64,
    against numpy (exact). Then what stays an error: linear Resize of an
    integer tensor, and a pad value the integer type cannot hold."""
    vi = helper.make_tensor_value_info
    t = numpy_helper.from_array
    node = helper.make_node
    rng = np.random.default_rng(41)
    mask = rng.integers(0, 2, (2, 1, 1, 6)).astype(bool)
    a = rng.integers(-1000, 1000, (2, 3, 4)).astype(np.int64)
    b = rng.integers(-50, 50, (2, 3)).astype(np.int32)
    c = rng.integers(0, 2, (1, 8, 2, 2)).astype(bool)
    inits = [t(np.array([2, 4, 3, 6], np.int64), "eshape"),
             t(np.array([0, 1, 2, 0, 0, 1], np.int64), "epads"),
             t(np.array([1, 0, 0, 2], np.int64), "cpads"), t(np.array(-7, np.int32), "cval"),
             t(np.array([2, 3], np.int64), "reps"), t(np.array([2, 0, 2], np.int64), "gidx"),
             t(np.array([1, 1, 2, 3], np.float32), "scales")]
    nodes = [node("Expand", ["mask", "eshape"], ["expanded"], name="expand"),
             node("Pad", ["a", "epads"], ["edge"], mode="edge", name="edge"),
             node("Pad", ["b", "cpads", "cval"], ["padded"], name="pad"),
             node("Tile", ["b", "reps"], ["tiled"], name="tile"),
             node("Gather", ["a", "gidx"], ["gathered"], axis=2, name="gather"),
             node("DepthToSpace", ["c"], ["d2s"], blocksize=2, name="d2s"),
             node("Unsqueeze", ["a", "zero"], ["a4"], name="unsq"),
             node("Resize", ["a4", "", "scales"], ["resized"], mode="nearest", name="up")]
    inits.append(t(np.array([0], np.int64), "zero"))
    n, ch, h, w = c.shape
    d2s = c.reshape(n, 2, 2, ch // 4, h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, ch // 4, h * 2, w * 2)
    a4 = a[None]
    outs = {"expanded": np.broadcast_to(mask, (2, 4, 3, 6)),
            "edge": np.pad(a, ((0, 0), (1, 0), (2, 1)), mode="edge"),
            "padded": np.pad(b, ((1, 0), (0, 2)), constant_values=-7),
            "tiled": np.tile(b, (2, 3)), "gathered": a[:, :, [2, 0, 2]], "d2s": d2s,
            "resized": a4.repeat(2, axis=2).repeat(3, axis=3)}
    types = {np.dtype(bool): TensorProto.BOOL, np.dtype(np.int64): TensorProto.INT64,
             np.dtype(np.int32): TensorProto.INT32}
    graph = helper.make_graph(
        nodes, "integer_data_movement",
        [vi("mask", TensorProto.BOOL, list(mask.shape)), vi("a", TensorProto.INT64, list(a.shape)),
         vi("b", TensorProto.INT32, list(b.shape)), vi("c", TensorProto.BOOL, list(c.shape))],
        [vi(k, types[v.dtype], list(v.shape)) for k, v in outs.items()], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(HERE, "int_movement.onnx"))
    for k, v in [("mask", mask), ("a", a), ("b", b), ("c", c)] + list(outs.items()):
        np.save(os.path.join(HERE, "int_movement_" + k + ".npy"), np.ascontiguousarray(v))

    def bad(name, nodes, inputs, inits=(), opset=13):
        g = helper.make_graph(nodes, name, [vi(k, ty, sh) for k, ty, sh in inputs],
                              [vi("y", TensorProto.INT64, None)], list(inits))
        onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)]),
                  os.path.join(HERE, "bad_dm_" + name + ".onnx"))

    bad("resize_linear_int", [node("Resize", ["x", "", "s"], ["y"], mode="linear", name="up")],
        [("x", TensorProto.INT64, [1, 1, 2, 2])], [t(np.array([1, 1, 2, 2], np.float32), "s")])
    bad("pad_int_fraction", [node("Pad", ["x"], ["y"], pads=[0, 1, 0, 1], value=0.5, name="pad")],
        [("x", TensorProto.INT32, [2, 2])], opset=10)


def nonfinite_parameters():
    """Float models whose weights or bias hold NaN or infinity (a NaN
    weight, a +inf weight, a -inf bias): they compile in f32, where IEEE
    arithmetic defines the result, but cannot be quantized."""
    vi = helper.make_tensor_value_info
    t = numpy_helper.from_array
    for name, where, value in [("nan_weight", "w", np.nan), ("inf_weight", "w", np.inf),
                               ("inf_bias", "b", -np.inf)]:
        w = np.ones((2, 1, 3, 3), np.float32)
        b = np.zeros(2, np.float32)
        if where == "w":
            w[1, 0, 2, 1] = value
        else:
            b[1] = value
        graph = helper.make_graph(
            [helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[1, 1, 1, 1], name="conv")],
            name, [vi("x", TensorProto.FLOAT, [1, 1, 4, 4])],
            [vi("y", TensorProto.FLOAT, [1, 2, 4, 4])], [t(w, "w"), t(b, "b")])
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
                  os.path.join(HERE, "nonfinite_" + name + ".onnx"))
    np.save(os.path.join(HERE, "nonfinite_calib.npy"),
            np.random.default_rng(3).random((4, 1, 4, 4)).astype(np.float32))

if __name__ == "__main__":
    # With arguments, only the named generators run (e.g. `bn_conv`).
    import sys
    generators = [unsupported_op, qdq_conv, bn_conv, runtime_elementwise, ort_qdq,
                  invalid_models, invalid_runtime_models, integer_products, ort_qoperator,
                  transformer_block, malformed, symbolic_dims, conv1d,
                  opset_forms, ort_contrib, activations, gelu_mish,
                  qdq_activations, abs_sign_shape, invalid_activation_models,
                  logic_models, invalid_logic_models, hostile_graphs, conv_norm_torch,
                  conv_norm_forms, qdq_conv_transpose, calibrated_decoder,
                  invalid_conv_norm_models, pool_forms, arg_topk,
                  arg_topk_ties]
    generators += [resize_models, pad_models, movement_models, quantized_resample_models,
                   invalid_data_movement_models, runtime_gather_models,
                   qoperator_data_movement, integer_data_movement,
                   nonfinite_parameters]
    wanted = set(sys.argv[1:])
    for g in generators:
        if not wanted or g.__name__ in wanted:
            g()
