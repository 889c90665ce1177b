//===- QCActivationOps.td - Fused activation functions -----*- tablegen -*-===//
//
// qc.activation: the smooth and piecewise-linear activations that models
// write either as one ONNX node (HardSigmoid, HardSwish, Gelu, Mish) or as a
// chain of elementwise nodes (x * sigmoid(x), x * relu6(x + 3) / 6, the erf
// form of GELU, ...). One op per activation keeps the chain from being
// requantized step by step, and its quantized form is a table. Included from
// QCOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCACTIVATIONOPS_TD
#define QC_DIALECT_QC_IR_QCACTIVATIONOPS_TD

include "mlir/IR/EnumAttr.td"

def QC_ActivationKind : I32EnumAttr<"ActivationKind",
    "the function qc.activation applies", [
    I32EnumAttrCase<"HardSigmoid", 0, "hard_sigmoid">,
    I32EnumAttrCase<"HardSwish", 1, "hard_swish">,
    I32EnumAttrCase<"Silu", 2, "silu">,
    I32EnumAttrCase<"Gelu", 3, "gelu">,
    I32EnumAttrCase<"GeluTanh", 4, "gelu_tanh">,
    I32EnumAttrCase<"Mish", 5, "mish">]> {
  let cppNamespace = "::mlir::qc";
}

def QC_ActivationOp : QC_Op<"activation", [Pure, SameOperandsAndResultShape,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface,
                              ["getFixedRange", "getNeededInputRange",
                               "acceptsWideOperand"]>]> {
  let summary = "An activation function applied elementwise";
  let description = [{
    In f32, elementwise, evaluated in this order:

    | kind | result |
    |---|---|
    | `hard_sigmoid` | `min(max(alpha * x + beta, 0), 1)` (`alpha`, `beta`: 0.2, 0.5 unless given) |
    | `hard_swish` | `x * min(max(x / 6 + 0.5, 0), 1)` |
    | `silu` | `x * sigmoid(x)` (Swish) |
    | `gelu` | `x * 0.5 * (1 + erf(x / sqrt(2)))` |
    | `gelu_tanh` | `x * 0.5 * (1 + tanh(x * (a + b * x^2)))`, `a = sqrt(2 / pi)`, `b = 0.044715 a` |
    | `mish` | `x * tanh(max(x, 0) + log(1 + exp(-abs(x))))` |

    (`gelu_tanh` is the tanh approximation `tanh(sqrt(2 / pi) * (x + 0.044715
    x^3))` with the polynomial factored; `mish`'s softplus `log(1 + exp(x))`
    is written so that it cannot overflow.)

    NaN stays NaN. Only `hard_sigmoid` takes `alpha` and `beta`. Any kind
    takes an affine epilogue: with `scale` and/or `shift` the result is
    `f(x) * scale + shift` (the learnable affine layers PP-LCNet puts after
    its activations).

    Any kind also takes per-channel factors on dim 1 (NCHW's channels):
    with `in_scales` and/or `out_scales` (one positive value per channel),
    element `[n, c, ...]` is `(f(x * in_scales[c]) * scale + shift) *
    out_scales[c]`. Channel equalization (`qc --equalize-channels`) puts
    them there: it divides each channel of the producing convolution by
    `in_scales[c]` and of the result by `out_scales[c]` (folding the factor
    into the consuming convolution's weights), so that the channels share
    one 8-bit scale on both sides evenly.

    Quantization: `hard_sigmoid` lies in [0, 1] and takes the exact scale
    1/256 (a fixed range); the others take their calibrated range. Where
    the function is constant, the input range is not needed: `hard_swish`
    is 0 at and below -3 and `hard_sigmoid` saturates outside
    `[-beta / alpha, (1 - beta) / alpha]` (divided by the smallest
    `in_scales` factor, so that no channel's live part is cut), so the
    producer of the input (if it has no other user) quantizes only the
    part of its range the activation can tell apart. An 8-bit
    per-tensor operand with an 8-bit per-tensor result is a 256-entry table
    computed at compile time in double precision: entry `q` is
    `quantize(f(dequantize(q)))`, rounded half to even and saturated (one
    table per channel with per-channel factors); wider quantized types go
    through the float domain. With `out_scales` hard_sigmoid's range is
    not fixed any more and is calibrated like the others.

    ```mlir
    %y = qc.activation hard_swish %x : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    %s = qc.activation hard_sigmoid %x {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32}
        : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins QC_ActivationKind:$kind, QC_Tensor:$input,
                       OptionalAttr<F32Attr>:$alpha,
                       OptionalAttr<F32Attr>:$beta,
                       OptionalAttr<F32Attr>:$scale,
                       OptionalAttr<F32Attr>:$shift,
                       OptionalAttr<DenseF32ArrayAttr>:$in_scales,
                       OptionalAttr<DenseF32ArrayAttr>:$out_scales);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $kind $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// hard_sigmoid's slope and offset (0.2 and 0.5 when not given).
    double getSlope();
    double getOffset();
    /// The affine epilogue (1 and 0 when not given).
    double getPostScale();
    double getPostShift();
    /// Whether the op has per-channel factors (in_scales or out_scales).
    bool hasChannelScales() { return getInScalesAttr() || getOutScalesAttr(); }
    /// Channel c's factors (1 when not given).
    double getInScale(int64_t c);
    double getOutScale(int64_t c);
  }];
}

#endif // QC_DIALECT_QC_IR_QCACTIVATIONOPS_TD
