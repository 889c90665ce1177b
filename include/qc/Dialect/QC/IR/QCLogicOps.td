//===- QCLogicOps.td - Bool and integer ops ------------------*- tablegen -*-===//
//
// The ops on masks and indices that transformer graphs compute besides their
// float arithmetic: comparisons (to i1), selection, bool logic, element type
// conversion and modulus. None of them has a quantized form: they compute on
// f32, bool and integer tensors only, so the quantizer leaves them (and the
// values they produce) in those types. Integer add/sub/mul/div/max/min are
// the graph ops of QCOps.td on integer tensors.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCLOGICOPS_TD
#define QC_DIALECT_QC_IR_QCLOGICOPS_TD

include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Constraints and enums
//===----------------------------------------------------------------------===//

def QC_BoolTensor : RankedTensorOf<[I1]>;
/// What comparisons and selections take: f32, bool or integer.
def QC_PlainTensor : RankedTensorOf<[F32, I1, I8, UI8, I32, I64]>;
/// What modulus takes: f32 or integer.
def QC_NumberTensor : RankedTensorOf<[F32, I8, UI8, I32, I64]>;

def QC_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "comparison of qc.compare", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::mlir::qc";
}

def QC_LogicalKind : I32EnumAttr<"LogicalKind",
    "bool operation of qc.logical", [
      I32EnumAttrCase<"and_", 0, "and">, I32EnumAttrCase<"or_", 1, "or">,
      I32EnumAttrCase<"xor_", 2, "xor">]> {
  let cppNamespace = "::mlir::qc";
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

def QC_CompareOp : QC_Op<"compare", [Pure]> {
  let summary = "Elementwise comparison with numpy broadcasting (ONNX Equal, Less, ...)";
  let description = [{
    `output = lhs <predicate> rhs` as i1, operands broadcast as in numpy.
    Both operands have one element type: f32, i1, i8, ui8, i32 or i64.
    Integers compare as signed numbers, ui8 and i1 as unsigned ones (false
    < true). f32 comparisons are ordered as numpy's: a NaN operand makes
    `eq`, `lt`, `le`, `gt` and `ge` false and `ne` true.

    ```mlir
    %m = qc.compare eq, %mask, %zero : (tensor<2x8xi64>, tensor<i64>) -> tensor<2x8xi1>
    ```
  }];
  let arguments = (ins QC_ComparePredicate:$predicate, QC_PlainTensor:$lhs,
                       QC_PlainTensor:$rhs);
  let results = (outs QC_BoolTensor:$output);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QC_SelectOp : QC_Op<"select", [Pure]> {
  let summary = "Elementwise choice between two tensors (ONNX Where)";
  let description = [{
    `output = condition ? true_value : false_value`, the three operands
    broadcast together as in numpy. The values and the result share one
    element type (f32, i1 or an integer type); the value that is not chosen
    is never observed, so a NaN or infinity there does not leak. An
    attention mask:

    ```mlir
    %s = qc.select %mask, %minus_big, %scores
        : (tensor<2x1x1x8xi1>, tensor<f32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
    ```
  }];
  let arguments = (ins QC_BoolTensor:$condition, QC_PlainTensor:$true_value,
                       QC_PlainTensor:$false_value);
  let results = (outs QC_PlainTensor:$output);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QC_LogicalOp : QC_Op<"logical", [Pure]> {
  let summary = "Elementwise and, or, xor of bool tensors (ONNX And, Or, Xor)";
  let description = [{
    `output = lhs <kind> rhs` on i1 tensors broadcast as in numpy.

    ```mlir
    %b = qc.logical or, %x, %y : (tensor<3x4xi1>, tensor<4xi1>) -> tensor<3x4xi1>
    ```
  }];
  let arguments = (ins QC_LogicalKind:$kind, QC_BoolTensor:$lhs,
                       QC_BoolTensor:$rhs);
  let results = (outs QC_BoolTensor:$output);
  let assemblyFormat = [{
    $kind `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QC_NotOp : QC_Op<"not", [Pure, SameOperandsAndResultType]> {
  let summary = "Elementwise negation of a bool tensor (ONNX Not)";
  let description = [{
    `output = !input`.

    ```mlir
    %n = qc.not %m : tensor<3x4xi1>
    ```
  }];
  let arguments = (ins QC_BoolTensor:$input);
  let results = (outs QC_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def QC_CastOp : QC_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Converts elements between f32, i64, i32, i8, ui8 and i1 (ONNX Cast)";
  let description = [{
    Converts each element to the result's element type as ONNX Cast and
    numpy's `astype` do:

    * integer to integer: sign-extended (zero-extended from ui8 and i1) when
      widening, the low bits kept (wrapping around) when narrowing;
    * integer or i1 to f32: the nearest f32 (ties to even); i1 is 0 or 1;
    * f32 to integer: truncated toward zero. ONNX leaves values outside the
      target's range undefined; qc saturates them to the target's minimum
      or maximum (+-inf included) and converts NaN to 0;
    * anything to i1: `x != 0` (so NaN is true and -0.0 false).

    A cast to the operand's own type changes nothing.

    ```mlir
    %f = qc.cast %mask : tensor<2x8xi64> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins QC_PlainTensor:$input);
  let results = (outs QC_PlainTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def QC_ModOp : QC_Op<"mod", [Pure]> {
  let summary = "Elementwise remainder with numpy broadcasting (ONNX Mod)";
  let description = [{
    With `fmod = false` (integers only) the remainder of floored division,
    with the sign of the divisor, as `numpy.mod`: `mod(-7, 3) = 2`,
    `mod(7, -3) = -2`. With `fmod = true` the remainder of truncated
    division, with the sign of the dividend, as C `fmod` and `numpy.fmod`:
    `fmod(-7, 3) = -1`; f32 operands need `fmod = true`, as ONNX requires.
    Operands and the result share one element type (f32, i8, ui8, i32 or
    i64). An integer divisor of 0 gives 0 (numpy's result; ONNX leaves it
    platform dependent) instead of trapping.

    ```mlir
    %r = qc.mod %x, %y : (tensor<6xi64>, tensor<6xi64>) -> tensor<6xi64>
    %f = qc.mod %a, %b {fmod = true} : (tensor<6xf32>, tensor<f32>) -> tensor<6xf32>
    ```
  }];
  let arguments = (ins QC_NumberTensor:$lhs, QC_NumberTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let results = (outs QC_NumberTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QC_DIALECT_QC_IR_QCLOGICOPS_TD
