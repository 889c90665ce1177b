//===- QCBase.td - The qc dialect and its type constraints --*- tablegen -*-===//
//
// The qc dialect models quantized computation graphs. Values are ranked
// tensors whose element type is f32 or the upstream quant dialect's
// !quant.uniform (per-tensor or per-axis), or, for masks and indices, i1
// (bool), i8, ui8, i32 or i64; qc adds the ops, calibration statistics and
// quantization scheme choices, not a type system of its own.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCBASE_TD
#define QC_DIALECT_QC_IR_QCBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"

def QC_Dialect : Dialect {
  let name = "qc";
  let cppNamespace = "::mlir::qc";
  let summary = "Quantized computation graphs for ahead-of-time compilation";
  let description = [{
    The `qc` dialect describes neural-network graphs whose tensors hold either
    `f32` values or quantized values typed with the upstream
    `!quant.uniform` type. One op set serves both: quantizing an op means
    retyping its operands and results, and the `qc.quantize` /
    `qc.dequantize` pair (QDQ) is the canonical way into and out of the
    quantized world.

    Numerics of quantized operands are fixed by the dialect, not left to a
    lowering:

    * **Quantize** (`qc.quantize`, and every op whose result is quantized
      through the float domain): `q = saturate(roundHalfToEven(x / scale) +
      zero_point)`, computed in f32, as ONNX QuantizeLinear.
    * **Dequantize**: `x = f32(q - zero_point) * scale`, computed in f32.
    * **Integer products** (`qc.conv2d`, `qc.matmul`): products of
      zero-point-shifted 8-bit operands accumulate in i32; an i32 bias whose
      scale is input scale x weight scale and zero point 0 is added; the
      accumulator is requantized with the f32 multiplier
      `m = input_scale * weight_scale / output_scale` (per output channel for
      per-channel weights) as
      `saturate(roundHalfToEven(f32(acc) * m) + output_zero_point)`.
    * **Everything else** on quantized operands is defined through the float
      domain: operands are dequantized, the f32 op is applied, and the result
      is quantized. Lowerings may compute it differently only when the result
      is bit-identical.

    Saturation clamps to the storage type's range (narrowed where the
    `!quant.uniform` type says so).
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// Name of the discardable attribute recording the quantization scheme
    /// chosen for an op's weight (a #qc.scheme).
    static constexpr ::llvm::StringLiteral getWeightSchemeAttrName() {
      return ::llvm::StringLiteral("qc.weight_scheme");
    }
    /// Name of the discardable unit attribute that keeps an op in f32
    /// (qc --keep-float): its result may still be quantized for its users,
    /// but the op itself computes on dequantized operands.
    static constexpr ::llvm::StringLiteral getKeepFloatAttrName() {
      return ::llvm::StringLiteral("qc.keep_float");
    }
    /// Name of the discardable attribute recording the bias correction of
    /// a convolution or matmul (qc --bias-correction): a 1-D f32 dense
    /// array subtracted from its bias by qc-apply-bias-shifts.
    static constexpr ::llvm::StringLiteral getBiasShiftAttrName() {
      return ::llvm::StringLiteral("qc.bias_shift");
    }
    /// Name of the attribute recording, on a lowered function, the bytes
    /// of workspace it needs (an i64).
    static constexpr ::llvm::StringLiteral getWorkspaceSizeAttrName() {
      return ::llvm::StringLiteral("qc.workspace_size");
    }
    /// Name of the attribute recording, on a lowered function, how many of
    /// its leading arguments are model inputs (the outputs follow, then the
    /// workspace).
    static constexpr ::llvm::StringLiteral getNumInputsAttrName() {
      return ::llvm::StringLiteral("qc.num_inputs");
    }
    /// Name of the module attribute naming the code generation target (a
    /// string lookupTarget accepts, such as "x86-64-avx512vnni"); kernel
    /// selection and the lowering read it.
    static constexpr ::llvm::StringLiteral getTargetAttrName() {
      return ::llvm::StringLiteral("qc.target");
    }
  private:
    void registerAttributes();
  public:
  }];
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QC_Quantized : Type<quant_QuantizedType.predicate, "quantized type">;

def QC_F32OrQuantized
    : Type<Or<[F32.predicate, quant_QuantizedType.predicate]>,
           "f32 or quantized type">;

/// A tensor a graph op computes on: f32 or !quant.uniform elements.
def QC_Tensor : RankedTensorOf<[QC_F32OrQuantized]>;
def QC_F32Tensor : RankedTensorOf<[F32]>;
/// The quantized side of quantize/dequantize: !quant.uniform elements, or
/// plain integers when the parameters are runtime operands.
def QC_QuantOrIntTensor : RankedTensorOf<[QC_Quantized, AnyInteger]>;
def QC_QuantTensor : RankedTensorOf<[QC_Quantized]>;
def QC_IntTensor : RankedTensorOf<[AnyInteger]>;
/// Values that are not quantized activations: bool masks and integer
/// indices (ONNX bool, uint8, int8, int32, int64).
def QC_BoolOrInt : AnyTypeOf<[I1, I8, UI8, I32, I64], "bool or integer">;
/// A tensor data-movement ops copy: anything a graph value may hold.
def QC_ValueTensor
    : RankedTensorOf<[F32, QC_Quantized, I1, I8, UI8, I32, I64]>;
/// A tensor elementwise arithmetic takes: f32, quantized or integer.
def QC_ArithTensor : RankedTensorOf<[F32, QC_Quantized, I8, UI8, I32, I64]>;

#endif // QC_DIALECT_QC_IR_QCBASE_TD
