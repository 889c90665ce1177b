#!/usr/bin/python3
"""Export a PyTorch QDQ model for ONNX Runtime's int8 path.

The peer of qc's int8 code in bench/compare-ort.sh: PyTorch's own static
quantization (FX graph mode: BatchNorm folded, observers after each op,
min/max calibration on the same calibration file qc uses, u8 per-tensor
activations, s8 per-channel symmetric weights) exported by torch.onnx as
QuantizeLinear/DequantizeLinear pairs, which ONNX Runtime fuses into its
QLinear* and integer kernels.

  /usr/bin/python3 bench/make_qdq.py --zoo NAME CALIB.npy OUT.onnx
      the zoo model NAME (test/Zoo/make_zoo.py rebuilds it: same seed,
      same weights as the float model.onnx of the zoo)
  /usr/bin/python3 bench/make_qdq.py --digits CALIB.npy OUT.onnx
      the bundled digits CNN: examples/digits/train.py's architecture with
      the weights of examples/digits/digits.onnx (BatchNorm folded there)

Checks that the torch model reproduces the float ONNX model before it
quantizes, and prints the relative error of the fake-quantized model.
Needs Debian's python3-torch and python3-onnx (the export needs no ONNX
Runtime).
"""

import argparse
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import numpy_helper
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def digits_model():
    """DigitsNet with the BatchNorm folded away and the weights of the
    committed digits.onnx loaded in node order."""
    sys.path.insert(0, os.path.join(ROOT, "examples", "digits"))
    import train  # noqa: E402 (examples/digits/train.py)
    model = train.DigitsNet()
    model.features[1] = torch.nn.Identity()  # folded into the conv in ONNX
    path = os.path.join(ROOT, "examples", "digits", "digits.onnx")
    graph = onnx.load(path).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    params = [inits[name] for node in graph.node if node.op_type in ("Conv", "Gemm")
              for name in node.input[1:]]
    mine = list(model.parameters())
    if len(mine) != len(params) or any(tuple(p.shape) != a.shape
                                       for p, a in zip(mine, params)):
        sys.exit("make_qdq: %s does not match examples/digits/train.py's DigitsNet"
                 % path)
    with torch.no_grad():
        for p, a in zip(mine, params):
            p.copy_(torch.from_numpy(a.copy()))
    return model.eval(), "image", "logits"


def zoo_model(name):
    sys.path.insert(0, os.path.join(ROOT, "test", "Zoo"))
    import make_zoo  # noqa: E402
    if name not in make_zoo.MODELS:
        sys.exit("make_qdq: unknown zoo model '%s'" % name)
    in_names, out_names = make_zoo.MODELS[name][2:]
    if len(in_names) != 1:
        sys.exit("make_qdq: zoo model '%s' has %d inputs; only single-input "
                 "models are exported" % (name, len(in_names)))
    model = make_zoo.prepare(name)[1]
    return model.eval(), in_names[0], out_names[0]


def fake_quantized(model, calib):
    """FX graph-mode static quantization as fake-quant modules: BatchNorm
    folded into the convolutions (eval mode), Conv/Linear replaced by their
    QAT forms so the weights are fake-quantized per channel, an activation
    fake-quant after every quantizable op, observers run on `calib`."""
    import torch.fx.experimental.optimization as fx_opt
    from torch.ao.quantization import (FakeQuantize, FixedQParamsFakeQuantize,
                                       MinMaxObserver, QConfigMapping,
                                       PerChannelMinMaxObserver, QConfig,
                                       disable_fake_quant,
                                       disable_observer, enable_fake_quant,
                                       enable_observer,
                                       get_default_qat_qconfig_mapping)
    from torch.ao.quantization.quantize_fx import prepare_qat_fx
    act = FakeQuantize.with_args(observer=MinMaxObserver, quant_min=0, quant_max=255,
                                 dtype=torch.quint8, qscheme=torch.per_tensor_affine)
    weight = FakeQuantize.with_args(observer=PerChannelMinMaxObserver, quant_min=-128,
                                    quant_max=127, dtype=torch.qint8,
                                    qscheme=torch.per_channel_symmetric, ch_axis=0)
    # PyTorch's defaults for the ops with fixed output ranges (Sigmoid,
    # Hardsigmoid, Tanh...), this observer pair everywhere else.
    mapping = QConfigMapping().set_global(QConfig(activation=act, weight=weight))
    defaults = get_default_qat_qconfig_mapping("fbgemm").object_type_qconfigs
    for op, qconfig in defaults.items():
        if getattr(qconfig.activation, "p", None) is not None and \
                qconfig.activation.p.func is FixedQParamsFakeQuantize:
            mapping.set_object_type(op, qconfig)
    folded = fx_opt.fuse(model)  # Conv + BatchNorm folded (eval statistics)
    folded.train()  # prepare_qat_fx wants training mode; nothing trains here
    prepared = prepare_qat_fx(folded, mapping, example_inputs=(calib[:1],))
    prepared.eval()
    prepared.apply(disable_fake_quant)
    prepared.apply(enable_observer)
    prepared(calib)
    prepared.apply(enable_fake_quant)
    prepared.apply(disable_observer)
    return prepared


def scalar_qparams(model):
    """torch.onnx writes per-tensor scales and zero points as 1-element 1-D
    tensors; ONNX Runtime's QLinearAdd and friends want scalars. Reshape
    those that feed a QuantizeLinear/DequantizeLinear without an axis."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    producers = {o: n for n in graph.node for o in n.output}
    for node in graph.node:
        if node.op_type not in ("QuantizeLinear", "DequantizeLinear"):
            continue
        for name in node.input[1:]:
            while name not in inits and name in producers \
                    and producers[name].op_type == "Identity":
                name = producers[name].input[0]
            init = inits.get(name)
            if init is not None and list(init.dims) == [1]:
                array = numpy_helper.to_array(init).reshape(())
                init.CopyFrom(numpy_helper.from_array(array, init.name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--zoo", metavar="NAME", help="a zoo model (make_zoo.py --list)")
    which.add_argument("--digits", action="store_true", help="the bundled digits CNN")
    parser.add_argument("calib", help="calibration samples, .npy [N, ...]")
    parser.add_argument("out", help="the QDQ ONNX model to write")
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    torch.manual_seed(0)

    model, in_name, out_name = digits_model() if args.digits \
        else zoo_model(args.zoo)
    calib = torch.from_numpy(np.load(args.calib).astype(np.float32))
    reference = model(calib)
    if args.digits:  # the loaded weights must classify as the ONNX model does
        x = np.load(os.path.join(ROOT, "examples", "digits", "test_x.npy"))
        y = np.load(os.path.join(ROOT, "examples", "digits", "test_y.npy"))
        pred = model(torch.from_numpy(x)).argmax(1).numpy()
        print("make_qdq: the loaded digits CNN classifies %.2f%% of the test split "
              "right" % (100.0 * (pred == y).mean()))
    quantized = fake_quantized(model, calib)
    error = float((quantized(calib) - reference).norm() / reference.norm())
    tmp = args.out + ".tmp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(quantized, (calib[:1],), tmp, opset_version=13,
                          do_constant_folding=True, input_names=[in_name],
                          output_names=[out_name],
                          dynamic_axes={in_name: {0: "N"}, out_name: {0: "N"}})
    exported = onnx.load(tmp)
    scalar_qparams(exported)
    onnx.checker.check_model(exported)
    onnx.save(exported, tmp)
    os.replace(tmp, args.out)
    pairs = sum(n.op_type == "QuantizeLinear" for n in exported.graph.node)
    print("make_qdq: wrote %s: %d QuantizeLinear/DequantizeLinear pairs, "
          "fake-quant relative error %.4f on the calibration data"
          % (args.out, pairs, error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
