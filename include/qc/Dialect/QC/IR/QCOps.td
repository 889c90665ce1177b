//===- QCOps.td - qc dialect operations ---------------------*- tablegen -*-===//
//
// The quantization ops (quantize, dequantize, requantize, constant, stats)
// and the graph ops. Graph ops take f32 or !quant.uniform tensors; their
// quantized semantics are stated in each description and in the dialect's.
// Data movement (concat, reshape, transpose, slice) also moves bool and
// integer tensors, and add/sub/mul/div/max/min also compute on integers;
// the bool and integer ops are in QCLogicOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCOPS_TD
#define QC_DIALECT_QC_IR_QCOPS_TD

include "qc/Dialect/QC/IR/QCBase.td"
include "qc/Dialect/QC/IR/QCAttrs.td"
include "qc/Dialect/QC/IR/QCInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

class QC_Op<string mnemonic, list<Trait> traits = []>
    : Op<QC_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

def QC_QuantizeOp : QC_Op<"quantize", [Pure, AttrSizedOperandSegments]> {
  let summary = "Quantizes an f32 tensor (ONNX QuantizeLinear)";
  let description = [{
    `q = saturate(roundHalfToEven(x / scale) + zero_point)`, computed in f32
    with ties rounded to even; saturation clamps to the storage range. `+-inf`
    saturate; NaN gives the lowest storage value.

    The parameters come from the result type, a per-tensor or per-axis
    `!quant.uniform`:

    ```mlir
    %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
    ```

    or, when they are only known at run time (ONNX graph inputs, dynamic
    quantization), from operands: `scale` is an f32 tensor of rank 0 (or one
    element) for per-tensor quantization, or of rank 1 with one value per
    slice along `axis`; `zero_point` (0 when absent) has the shape of
    `scale` and the result's integer element type. Integer element types are
    signed unless written `ui<N>`.

    ```mlir
    %q = qc.quantize %x scale(%s : tensor<f32>) zero_point(%z : tensor<ui8>)
        : tensor<4xf32> -> tensor<4xui8>
    ```

    Both forms have one semantics; `qc-fold-qdq` turns constant operands
    into the typed form.
  }];
  let arguments = (ins QC_F32Tensor:$input, Optional<QC_F32Tensor>:$scale,
                       Optional<QC_IntTensor>:$zero_point,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs QC_QuantOrIntTensor:$output);
  let assemblyFormat = [{
    $input (`scale` `(` $scale^ `:` type($scale) `)`)?
    (`zero_point` `(` $zero_point^ `:` type($zero_point) `)`)?
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def QC_DequantizeOp : QC_Op<"dequantize", [Pure, AttrSizedOperandSegments]> {
  let summary = "Dequantizes to an f32 tensor (ONNX DequantizeLinear)";
  let description = [{
    `x = f32(q - zero_point) * scale`, computed in f32. Parameters come from
    the operand's `!quant.uniform` type or, as for `qc.quantize`, from
    runtime `scale` and `zero_point` operands.

    ```mlir
    %x = qc.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.25>> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins QC_QuantOrIntTensor:$input, Optional<QC_F32Tensor>:$scale,
                       Optional<QC_IntTensor>:$zero_point,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs QC_F32Tensor:$output);
  let assemblyFormat = [{
    $input (`scale` `(` $scale^ `:` type($scale) `)`)?
    (`zero_point` `(` $zero_point^ `:` type($zero_point) `)`)?
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def QC_RequantizeOp : QC_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Changes the quantization parameters of a tensor";
  let description = [{
    Equivalent to `qc.quantize(qc.dequantize(x))` with the result type's
    parameters: `q' = saturate(roundHalfToEven(f32(q - zp) * (scale /
    scale')) + zp')`, where the ratio `scale / scale'` is computed in double
    and rounded once to f32. Storage types may differ (u8 to i8, i32 to u8).

    ```mlir
    %r = qc.requantize %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>>
                          -> tensor<4x!quant.uniform<i8:f32, 0.25>>
    ```
  }];
  let arguments = (ins QC_QuantTensor:$input);
  let results = (outs QC_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_ConstantOp : QC_Op<"constant", [ConstantLike, Pure]> {
  let summary = "A constant tensor of quantized values";
  let description = [{
    A tensor of `!quant.uniform` values given by their storage integers.
    `value` has the result's shape and an integer element type of the
    storage width (`ui8` shows u8 storage as unsigned numbers). Weights and
    biases become `qc.constant`s when `qc-fold-qdq` folds their quantization.

    ```mlir
    %w = qc.constant dense<[-3, 0, 127]> : tensor<3xi8>
        -> tensor<3x!quant.uniform<i8:f32, 0.02>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QC_QuantTensor:$output);
  let assemblyFormat = "$value attr-dict `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_StatsOp : QC_Op<"stats", [Pure, SameOperandsAndResultType]> {
  let summary = "Attaches calibration statistics to a value";
  let description = [{
    An identity on its operand that records what calibration observed of it.
    Because it is an op, statistics attach the same way to function
    arguments and op results. `qc-infer-scales` consumes these ops: each
    becomes a quantize/dequantize pair with parameters derived from the
    statistics, or disappears when the value stays f32.

    ```mlir
    %1 = qc.stats %0 <min = -0.5, max = 3.25> : tensor<1x8xf32>
    ```
  }];
  let arguments = (ins QC_F32Tensor:$input, QC_StatsAttr:$stats);
  let results = (outs QC_F32Tensor:$output);
  let assemblyFormat = "$input $stats attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Graph ops
//===----------------------------------------------------------------------===//

def QC_Conv2DOp : QC_Op<"conv2d", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface, ["getActivationOperands",
      "getWeightOperand", "getWeightChannelAxis", "getBiasOperand",
      "mayHaveWideResult"]>]> {
  let summary = "2-D convolution, NCHW input and OIHW weights";
  let description = [{
    `output[n, o, y, x] = bias[o] + sum_{c, ky, kx} input[n, g*C/G + c,
    y*sy - pt + ky*dy, x*sx - pl + kx*dx] * weight[o, c, ky, kx]`, with `g`
    the group of output channel `o` (`groups` G splits input and output
    channels evenly; depthwise is G = C). Out-of-bounds input positions are
    zero (the zero point in the quantized form). `pads` is
    `[top, left, bottom, right]`. Output size per spatial dim:
    `floor((in + pad_begin + pad_end - dilation * (k - 1) - 1) / stride) + 1`.

    Quantized form: input and output per-tensor, weight per-tensor or
    per-axis along axis 0 (output channels), all 8-bit; the bias is i32 with
    zero point 0 and scale input_scale x weight_scale (per channel where the
    weight is). `(input - zp_in) * (weight - zp_w)` products accumulate in
    i32 with the bias, then requantize with the f32 multiplier
    `input_scale * weight_scale / output_scale` (see the dialect
    description).

    Fused output clamp: `clamp_min` / `clamp_max` (real values, quantized
    results with 8-bit storage only) are a `qc.clamp` folded into the op
    (ReLU, ReLU6, Clip after it). The bounds are rounded into the storage
    domain as `qc.clamp` rounds them, and the requantized output saturates
    to the intersection of that interval with the storage range, so the
    result is bit-identical to the op followed by the clamp, in one pass.

    ```mlir
    %y = qc.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, QC_Tensor:$weight,
                       Optional<QC_Tensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
  let results = (outs QC_Tensor:$output);
  let builders = [
    // Without a fused clamp.
    OpBuilder<(ins "Type":$output, "Value":$input, "Value":$weight,
                   "Value":$bias, "DenseI64ArrayAttr":$strides,
                   "DenseI64ArrayAttr":$pads, "DenseI64ArrayAttr":$dilations,
                   "IntegerAttr":$groups), [{
      build($_builder, $_state, output, input, weight, bias, strides, pads,
            dilations, groups, FloatAttr(), FloatAttr());
    }]>
  ];
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QC_MatMulOp : QC_Op<"matmul", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface, ["getActivationOperands",
      "getWeightOperand", "getWeightChannelAxis", "getBiasOperand",
      "mayHaveWideResult"]>]> {
  let summary = "Matrix product with ONNX MatMul broadcasting";
  let description = [{
    numpy `matmul` semantics: operands of rank >= 2 multiply their last two
    dims and broadcast the leading ones; a rank-1 `lhs` is a row vector and a
    rank-1 `rhs` a column vector, whose unit dim is then removed. An optional
    1-D `bias` of size N is added to every row (ONNX Gemm's C for the usual
    shape; Gemm's transposes and alpha/beta are expressed with
    `qc.transpose` and `qc.mul`).

    Quantized form: `lhs` per-tensor, `rhs` per-tensor or per-axis along its
    last dim (N), both 8-bit; bias i32 as for `qc.conv2d`; i32 accumulation
    and the same requantization, with the same optional fused output clamp
    (`clamp_min`, `clamp_max`).

    ```mlir
    %y = qc.matmul %a, %b, %bias : (tensor<2x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$lhs, QC_Tensor:$rhs,
                       Optional<QC_Tensor>:$bias,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
  let results = (outs QC_Tensor:$output);
  let builders = [
    // Without a fused clamp.
    OpBuilder<(ins "Type":$output, "Value":$lhs, "Value":$rhs, "Value":$bias), [{
      build($_builder, $_state, output, lhs, rhs, bias, FloatAttr(),
            FloatAttr());
    }]>
  ];
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class QC_BinaryOp<string mnemonic, string what, string formula,
                  string note = "", Type tensor = QC_Tensor>
    : QC_Op<mnemonic, [Pure,
        DeclareOpInterfaceMethods<QC_QuantPropagationInterface,
                                  ["acceptsWideOperand"]>]> {
  let summary = "Elementwise " # what # " with numpy broadcasting";
  let description = [{
    `output = }] # formula # [{`, operands broadcast as in numpy (and ONNX).
    Quantized operands are per-tensor; the op is computed through the float
    domain (dequantize both operands, apply the f32 op, quantize the result).
    }] # note # [{
  }];
  let arguments = (ins tensor:$lhs, tensor:$rhs);
  let results = (outs tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

/// What the integer forms of add/sub/mul/div/max/min compute (see
/// QCLogicOps.td for the other integer and bool ops).
defvar QC_IntegerArithNote = [{
    Integer operands (i8, ui8, i32, i64; both and the result of one type)
    compute in that type: add, sub and mul wrap around (two's complement),
    div truncates toward zero (C and ONNX integer division; ui8 is unsigned)
    and a divisor of 0 gives 0 instead of trapping, as does numpy; the
    overflowing signed `min / -1` wraps to `min`.
}];

/// add/sub/mul/div/max/min: f32, quantized or integer operands.
class QC_ArithOp<string mnemonic, string what, string formula, string note>
    : QC_BinaryOp<mnemonic, what, formula, note # [{

    ```mlir
    %y = qc.}] # mnemonic # [{ %x, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
    %n = qc.}] # mnemonic # [{ %ids, %k : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi64>
    ```
    }], QC_ArithTensor>;

def QC_AddOp : QC_ArithOp<"add", "addition", "lhs + rhs", QC_IntegerArithNote>;
def QC_SubOp : QC_ArithOp<"sub", "subtraction", "lhs - rhs", QC_IntegerArithNote>;
def QC_MulOp : QC_ArithOp<"mul", "multiplication", "lhs * rhs",
                          QC_IntegerArithNote>;
def QC_DivOp : QC_ArithOp<"div", "division", "lhs / rhs", QC_IntegerArithNote>;
def QC_MaxOp : QC_ArithOp<"max", "maximum", "max(lhs, rhs)",
    "A NaN operand gives NaN (as ONNX Max and `arith.maximumf`). Integer "
    "operands (one type) compare as signed, ui8 as unsigned.">;
def QC_MinOp : QC_ArithOp<"min", "minimum", "min(lhs, rhs)",
    "A NaN operand gives NaN (as ONNX Min and `arith.minimumf`). Integer "
    "operands (one type) compare as signed, ui8 as unsigned.">;

def QC_ClampOp : QC_Op<"clamp", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface,
                              ["getNeededInputRange"]>]> {
  let summary = "Clamps values to [min, max] (ReLU, ReLU6, Clip)";
  let description = [{
    `output = min(max(input, min), max)` with either bound optional: ReLU is
    `{min = 0.0 : f32}`, ReLU6 adds `max = 6.0 : f32`. Bounds are real
    values; on a quantized tensor they are rounded into the storage domain
    (`roundHalfToEven(bound / scale) + zp`, saturated), so the op is a clamp
    of storage integers and keeps the operand's parameters.

    ```mlir
    %r = qc.clamp %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, OptionalAttr<F32Attr>:$min,
                       OptionalAttr<F32Attr>:$max);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

class QC_Pool2DOp<string mnemonic, string what> : QC_Op<mnemonic, [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = what # " pooling over the spatial dims of an NCHW tensor";
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_MaxPool2DOp : QC_Pool2DOp<"max_pool2d", "Max"> {
  let description = [{
    The maximum of each `kernel` window, with `strides`, `dilations` and
    `pads` (`[top, left, bottom, right]`, padded positions never win); with
    `ceil_mode` the output size rounds up. Global max pooling is the kernel
    covering the whole input. On a quantized tensor the op compares storage
    integers, so the result has the operand's parameters.

    ```mlir
    %y = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
}

def QC_AvgPool2DOp : QC_Pool2DOp<"avg_pool2d", "Average"> {
  let description = [{
    The mean of each `kernel` window, with `strides` and `pads`; the count
    includes padded positions only with `count_include_pad`. Global average
    pooling is the kernel covering the whole input (ONNX GlobalAveragePool
    imports so). f32: the sum in window order (row by row), divided by the
    count. Quantized: the exact i32 sum of `q - zp` over the window (padding
    counts as the zero point), then in f32 `float(sum) * scale / count`,
    quantized to the result type (half to even, saturated). `float(sum)` is
    exact while the window holds fewer than 2^16 values.

    ```mlir
    %y = qc.avg_pool2d %x {kernel = array<i64: 8, 8>}
        : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
}

def QC_ConcatOp : QC_Op<"concat", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Concatenates tensors along an axis";
  let description = [{
    Operands agree on every dim but `axis` (negative counts from the back).
    Quantized operands and the result share one element type, so the op
    copies storage integers; `qc-infer-scales` requantizes inputs whose
    parameters differ. Bool and integer operands all have the result's
    element type.

    ```mlir
    %y = qc.concat %a, %b {axis = 1} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins Variadic<QC_ValueTensor>:$inputs, I64Attr:$axis);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_ReshapeOp : QC_Op<"reshape", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Changes the shape, keeping the row-major element order";
  let description = [{
    The result type gives the new shape; the element count and element type
    (f32, per-tensor quantized, bool or integer) are unchanged.

    ```mlir
    %y = qc.reshape %x : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_TransposeOp : QC_Op<"transpose", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Permutes the dims of a tensor";
  let description = [{
    `output.shape[i] = input.shape[perm[i]]`. A per-axis quantized operand
    keeps its parameters on the moved axis; bool and integer elements move
    as they are.

    ```mlir
    %y = qc.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_SoftmaxOp : QC_Op<"softmax", [Pure, SameOperandsAndResultShape,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface, ["getFixedRange"]>]> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (ONNX opset 13 semantics;
    negative counts from the back), in f32. Quantized operands go through the
    float domain; the conventional quantized result is
    `!quant.uniform<u8:f32, 0.00390625>` (1/256, zero point 0) or i8 with
    zero point -128.

    ```mlir
    %y = qc.softmax %x {axis = 1} : (tensor<2x10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

class QC_UnaryOp<string mnemonic, string what, string fixedRange>
    : QC_Op<mnemonic, [Pure, SameOperandsAndResultShape,
        DeclareOpInterfaceMethods<QC_QuantPropagationInterface,
                                  ["getFixedRange"]>]> {
  let summary = "Elementwise " # what;
  let description = [{
    Applied elementwise in f32; quantized operands go through the float
    domain. }] # fixedRange # [{
  }];
  let arguments = (ins QC_Tensor:$input);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_PowOp : QC_BinaryOp<"pow", "power", "lhs ^ rhs">;

def QC_SqrtOp : QC_Op<"sqrt", [Pure, SameOperandsAndResultShape,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Elementwise square root";
  let description = [{
    `sqrt(x)` in f32 (NaN for negative values); quantized operands go through
    the float domain.
  }];
  let arguments = (ins QC_Tensor:$input);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_SigmoidOp : QC_UnaryOp<"sigmoid", "logistic sigmoid 1 / (1 + exp(-x))",
    "The output range is [0, 1]: quantized results conventionally use scale "
    "1/256 with zero point 0 (u8) or -128 (i8).">;
def QC_TanhOp : QC_UnaryOp<"tanh", "hyperbolic tangent",
    "The output range is [-1, 1]: quantized results conventionally use scale "
    "1/128 with zero point 128 (u8) or 0 (i8).">;
def QC_ErfOp : QC_UnaryOp<"erf", "Gauss error function (GELU's building block)",
    "The output range is [-1, 1].">;

// The elementwise functions the ONNX activations are composed of. `rule` says
// how a quantized result gets its parameters; `overrides` names the
// interface methods the op defines beyond getQuantRule.
class QC_MathOp<string mnemonic, string what, string semantics, string rule,
                list<string> overrides = []>
    : QC_Op<mnemonic, [Pure, SameOperandsAndResultShape,
        DeclareOpInterfaceMethods<QC_QuantPropagationInterface, overrides>]> {
  let summary = "Elementwise " # what;
  let description = [{
    }] # semantics # [{

    Quantized operands go through the float domain: the operand is
    dequantized, the f32 function applied, and the result quantized with
    its own parameters. }] # rule # [{

    ```mlir
    %y = qc.}] # mnemonic # [{ %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

defvar QC_CalibratedRule = "Those parameters come from the result's "
    "calibrated range.";
defvar QC_UnitRangeRule = "The result lies in [-1, 1], its fixed range: "
    "quantized results take scale 2 / 2^bits (1/128 for 8 bits) without "
    "calibration.";

def QC_ExpOp : QC_MathOp<"exp", "natural exponential",
    "`exp(x)` in f32 (ONNX Exp): `+inf` above about 88.72, 0 far below zero.",
    QC_CalibratedRule>;
def QC_LogOp : QC_MathOp<"log", "natural logarithm",
    "`log(x)` in f32 (ONNX Log): `-inf` at 0, NaN for negative values; "
    "subnormal inputs count as the smallest normal number (-87.34).",
    QC_CalibratedRule>;
def QC_AbsOp : QC_MathOp<"abs", "absolute value",
    "`|x|` in f32 (ONNX Abs): clears the sign bit, so `abs(-0.0) = 0.0` and "
    "NaN stays NaN.", QC_CalibratedRule>;
def QC_FloorOp : QC_MathOp<"floor", "rounding down",
    "The largest integer not above `x`, in f32 (ONNX Floor); infinities and "
    "NaN are returned as they are.", QC_CalibratedRule>;
def QC_CeilOp : QC_MathOp<"ceil", "rounding up",
    "The smallest integer not below `x`, in f32 (ONNX Ceil); infinities and "
    "NaN are returned as they are.", QC_CalibratedRule>;
def QC_RoundOp : QC_MathOp<"round",
    "rounding to the nearest integer, ties to even",
    "The integer nearest to `x`, halves rounded to the even neighbour, as "
    "ONNX Round and numpy's `rint`: `round(2.5) = 2`, `round(-1.5) = -2`, "
    "`round(0.5) = 0`.", QC_CalibratedRule>;
def QC_SignOp : QC_MathOp<"sign", "sign",
    "`1` for positive `x`, `-1` for negative, and `x` itself for zeros and NaN "
    "(ONNX Sign, numpy's `sign`).", QC_UnitRangeRule, ["getFixedRange"]>;
def QC_SinOp : QC_MathOp<"sin", "sine",
    "`sin(x)` of `x` in radians, in f32 (ONNX Sin): the argument is reduced "
    "by whole turns first, which keeps the result within 3e-7 of the exact "
    "value for |x| up to 1e4 (1.2e-6 up to 1e5); NaN for NaN and infinities.",
    QC_UnitRangeRule, ["getFixedRange"]>;
def QC_CosOp : QC_MathOp<"cos", "cosine",
    "`cos(x)` of `x` in radians, in f32 (ONNX Cos), with the accuracy of "
    "`qc.sin`.", QC_UnitRangeRule, ["getFixedRange"]>;

def QC_LayerNormOp : QC_Op<"layer_norm", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface,
                              ["getActivationOperands"]>]> {
  let summary = "Layer normalization over the trailing dims (ONNX LayerNormalization)";
  let description = [{
    Over the dims `[axis, rank)`: `y = (x - mean) / sqrt(var + epsilon) *
    scale + bias`, with the biased variance, all in f32. `scale` and the
    optional `bias` have the shape of those trailing dims. With `rms`
    (RMSNorm), nothing is subtracted: `y = x / sqrt(mean(x^2) + epsilon) *
    scale + bias`. Quantized operands go through the float domain.

    ```mlir
    %y = qc.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32}
        : (tensor<4x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, QC_Tensor:$scale,
                       Optional<QC_Tensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon,
                       UnitAttr:$rms);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QC_ReduceMeanOp : QC_Op<"reduce_mean", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Mean over some axes (ONNX ReduceMean)";
  let description = [{
    The f32 mean over `axes` (negative counts from the back); with
    `keepdims` the reduced dims stay with size 1. Quantized operands go
    through the float domain.

    ```mlir
    %m = qc.reduce_mean %x {axes = array<i64: -1>, keepdims = true}
        : (tensor<4x16xf32>) -> tensor<4x1xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_SliceOp : QC_Op<"slice", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "A strided block of a tensor (ONNX Slice, Split)";
  let description = [{
    `output[i] = input[offsets + i * strides]` for every index of the
    result, whose type gives the sizes. `strides` (one non-zero value per
    dim; all 1 when empty) may be negative, walking a dim backward from its
    offset. Quantized operands keep their parameters; bool and integer
    elements are copied as they are.

    ```mlir
    %q = qc.slice %qkv {offsets = array<i64: 0, 16>} : (tensor<4x48xf32>) -> tensor<4x16xf32>
    %r = qc.slice %x {offsets = array<i64: 0, 7>, strides = array<i64: 1, -2>}
        : (tensor<4x8xf32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input, DenseI64ArrayAttr:$offsets,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_DynamicQuantizeOp : QC_Op<"dynamic_quantize", [Pure]> {
  let summary = "Quantizes with parameters computed from the data (ONNX DynamicQuantizeLinear)";
  let description = [{
    With `lo = min(0, min(x))` and `hi = max(0, max(x))` over the whole
    tensor: `scale = (hi - lo) / 255` and `zero_point = saturate(
    roundHalfToEven(-lo / scale))` (u8), then `q = saturate(roundHalfToEven(
    x / scale) + zero_point)`, all in f32. An all-zero tensor has scale 0 and
    quantizes to 0. Returns the u8 tensor, the scale and the zero point.

    ```mlir
    %q, %s, %z = qc.dynamic_quantize %x : tensor<6xf32> -> tensor<6xui8>, tensor<f32>, tensor<ui8>
    ```
  }];
  let arguments = (ins QC_F32Tensor:$input);
  let results = (outs QC_IntTensor:$output, QC_F32Tensor:$scale,
                      QC_IntTensor:$zero_point);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output) `,` type($scale) `,`
    type($zero_point)
  }];
  let hasVerifier = 1;
}

include "qc/Dialect/QC/IR/QCDataOps.td"
include "qc/Dialect/QC/IR/QCConvOps.td"
include "qc/Dialect/QC/IR/QCReduceOps.td"
include "qc/Dialect/QC/IR/QCActivationOps.td"
include "qc/Dialect/QC/IR/QCKernelOps.td"
include "qc/Dialect/QC/IR/QCLogicOps.td"

#endif // QC_DIALECT_QC_IR_QCOPS_TD
