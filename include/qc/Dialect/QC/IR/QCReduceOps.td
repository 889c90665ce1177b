//===- QCReduceOps.td - Reductions and the norms built on them -*- tablegen -*-===//
//
// qc.reduce (ONNX ReduceSum, ReduceMax, ..., ReduceLogSumExp), qc.log_softmax,
// qc.group_norm (ONNX GroupNormalization and InstanceNormalization) and the
// index-valued qc.argmax, qc.argmin and qc.top_k. qc.reduce_mean (QCOps.td)
// stays the op of ReduceMean. Included from QCOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCREDUCEOPS_TD
#define QC_DIALECT_QC_IR_QCREDUCEOPS_TD

include "mlir/IR/EnumAttr.td"

def QC_ReduceKind : I32EnumAttr<"ReduceKind", "what qc.reduce computes", [
    I32EnumAttrCase<"Sum", 0, "sum">,
    I32EnumAttrCase<"SumSquare", 1, "sum_square">,
    I32EnumAttrCase<"L1", 2, "l1">,
    I32EnumAttrCase<"L2", 3, "l2">,
    I32EnumAttrCase<"LogSum", 4, "log_sum">,
    I32EnumAttrCase<"LogSumExp", 5, "log_sum_exp">,
    I32EnumAttrCase<"Prod", 6, "prod">,
    I32EnumAttrCase<"Max", 7, "max">,
    I32EnumAttrCase<"Min", 8, "min">]> {
  let cppNamespace = "::mlir::qc";
}

def QC_ReduceOp : QC_Op<"reduce", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "A reduction over some axes (ONNX ReduceSum, ReduceMax, ...)";
  let description = [{
    Reduces `input` over `axes` (negative counts from the back; at least one,
    none repeated); with `keepdims` the reduced dims stay with size 1. Over
    the reduced elements `x`, in f32:

    | kind | result | ONNX |
    |---|---|---|
    | `sum` | `sum(x)` | ReduceSum |
    | `sum_square` | `sum(x * x)` | ReduceSumSquare |
    | `l1` | `sum(abs(x))` | ReduceL1 |
    | `l2` | `sqrt(sum(x * x))` | ReduceL2 |
    | `log_sum` | `log(sum(x))` | ReduceLogSum |
    | `log_sum_exp` | `log(sum(exp(x)))` | ReduceLogSumExp |
    | `prod` | `prod(x)` | ReduceProd |
    | `max`, `min` | `max(x)`, `min(x)` (NaN if any x is NaN) | ReduceMax, ReduceMin |

    Sums and products accumulate in f32 in row-major order of the reduced
    elements. `log_sum_exp` is computed as `m + log(sum(exp(x - m)))` with
    `m = max(x)` (`m` itself when it is infinite), which never overflows.

    Quantized operands go through the float domain. `max` and `min` commute
    with quantization (it is monotone), so their result takes the operand's
    parameters (`SameAsInput`), and with equal element types the lowering
    compares storage integers.

    ```mlir
    %s = qc.reduce sum %x {axes = array<i64: 1, 2>, keepdims = false}
        : (tensor<2x3x4xf32>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins QC_ReduceKind:$kind, QC_Tensor:$input,
                       DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $kind $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Whether dim `d` of the input is reduced.
    bool isReduced(int64_t d);
    /// The input shape with the reduced dims set to 1.
    SmallVector<int64_t> getKeptShape();
  }];
}

def QC_LogSoftmaxOp : QC_Op<"log_softmax", [Pure, SameOperandsAndResultShape,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Logarithm of the softmax along one axis (ONNX LogSoftmax)";
  let description = [{
    `x - m - log(sum(exp(x - m)))` along `axis` (negative counts from the
    back) with `m` the maximum along it, in f32 (ONNX opset 13 semantics; the
    importer flattens the input to 2-D for earlier opsets). The result lies
    in `(-inf, 0]`; quantized operands go through the float domain and the
    result takes its calibrated range.

    ```mlir
    %y = qc.log_softmax %x {axis = -1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_GroupNormOp : QC_Op<"group_norm", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface,
                              ["getActivationOperands"]>]> {
  let summary = "Group normalization (ONNX GroupNormalization, InstanceNormalization)";
  let description = [{
    `input` is `[N, C, D...]`; its C channels form `groups` groups of C / G
    consecutive channels. For each sample and group, over the group's
    channels and all spatial positions: `y = (x - mean) / sqrt(var +
    epsilon) * scale + bias`, with the biased variance, all in f32 (the mean
    is the f32 sum in order divided by the count; the variance likewise of
    the squared differences). `scale` and `bias` hold one value per channel
    (C values) or one per group (G values). Instance normalization is
    `groups = C`.

    Quantized operands go through the float domain; only the input is an
    activation (scale and bias stay f32 unless given quantized).

    ```mlir
    %y = qc.group_norm %x, %g, %b {groups = 2 : i64, epsilon = 1.0e-05 : f32}
        : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, QC_Tensor:$scale, QC_Tensor:$bias,
                       I64Attr:$groups,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Index-valued reductions
//===----------------------------------------------------------------------===//

class QC_ArgExtremeOp<string mnemonic, string what, string onnx>
    : QC_Op<mnemonic, [Pure]> {
  let summary = "Index of the " # what # " along an axis (ONNX " # onnx # ")";
  let description = [{
    The i64 index along `axis` (negative counts from the back) of the
    }] # what # [{ of each slice; with `keepdims` the axis stays with size
    1. Ties give the first index, or the last with `select_last_index`. A
    NaN wins over every number (the first or last NaN), as numpy's
    `argmax` and `argmin` have it. Integers compare as signed numbers, ui8
    as unsigned ones; quantized operands compare their storage integers,
    which orders them as their real values do.

    ```mlir
    %i = qc.}] # mnemonic # [{ %x {axis = 1 : i64, keepdims = false}
        : (tensor<2x10xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins QC_ArithTensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def QC_ArgMaxOp : QC_ArgExtremeOp<"argmax", "maximum", "ArgMax">;
def QC_ArgMinOp : QC_ArgExtremeOp<"argmin", "minimum", "ArgMin">;

def QC_TopKOp : QC_Op<"top_k", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "The k largest or smallest values along an axis and their indices (ONNX TopK)";
  let description = [{
    Along `axis` (negative counts from the back), the `k` largest (or with
    `largest = false` smallest) values of each slice, sorted from the most
    extreme, and their i64 indices. Equal values keep their index order
    (the lower index first). NaN orders above every number, as numpy's
    sort has it: first among the largest, never among the smallest (unless
    the slice has fewer numbers than k). The values have the input's
    element type; quantized operands compare their storage integers and
    the values keep their parameters (`SameAsInput`: top-k only selects).

    ```mlir
    %v, %i = qc.top_k %x {k = 3 : i64, axis = -1 : i64}
        : (tensor<2x10xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
    ```
  }];
  let arguments = (ins QC_ArithTensor:$input, I64Attr:$k,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest);
  let results = (outs QC_ArithTensor:$values, RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

#endif // QC_DIALECT_QC_IR_QCREDUCEOPS_TD
