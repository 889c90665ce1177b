//===- QCTypeUtils.h - Helpers for tensors of !quant.uniform ----*- C++ -*-===//
//
// Small queries on the element types qc computes with, shared by the
// dialect's verifiers, the passes and the lowerings.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCTYPEUTILS_H
#define QC_DIALECT_QC_IR_QCTYPEUTILS_H

#include "qc/Support/QuantMath.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

namespace mlir::qc {

/// The quantized element type of a (tensor) type, or null.
quant::QuantizedType getQuantElementType(Type type);

/// Whether the element type of `type` is a quantized type.
inline bool isQuantized(Type type) {
  return static_cast<bool>(getQuantElementType(type));
}

/// The per-tensor !quant.uniform element type of `type`, or null.
quant::UniformQuantizedType getPerTensorType(Type type);

/// The per-axis !quant.uniform element type of `type`, or null.
quant::UniformQuantizedPerAxisType getPerAxisType(Type type);

/// The storage range of a quantized type (narrow ranges included).
StorageRange getStorageRange(quant::QuantizedType type);

/// The storage range of a per-tensor quantized result clamped to the real
/// interval [min, max] (either bound optional): each bound rounded into the
/// storage domain (round half to even, saturated) as qc.clamp rounds it,
/// intersected with the storage range.
StorageRange getClampedStorageRange(quant::UniformQuantizedType type,
                                    FloatAttr min, FloatAttr max);

/// Whether a quantized type stores unsigned integers.
inline bool isUnsignedStorage(quant::QuantizedType type) {
  return !type.isSigned();
}

/// Checks a tensor type whose element type may be quantized: it must be a
/// !quant.uniform over f32 with positive finite scales, its zero points must
/// lie in the storage range, and a per-axis type's axis must exist with one
/// scale per slice.
/// `what` names the value in messages ("operand #1", "result").
LogicalResult verifyQuantizedTensorType(
    llvm::function_ref<InFlightDiagnostic()> emitError, Type type,
    llvm::StringRef what);

/// The tensor type `like` with its element type replaced by `elementType`.
RankedTensorType withElementType(Type like, Type elementType);

/// The integer type a quantized tensor is stored in: iN for signed storage,
/// uiN for unsigned (so that dense attributes print their values).
IntegerType getStorageIntegerType(quant::QuantizedType type);

/// The !quant.uniform type (f32 expressed) for `params` under `scheme`:
/// per-tensor when `axis` is empty, else per-axis along it.
quant::QuantizedType buildQuantType(MLIRContext *context,
                                    const QuantScheme &scheme,
                                    llvm::ArrayRef<QuantParams> params,
                                    std::optional<int64_t> axis);

/// The quantization parameters of a quantized type (one entry per-tensor, or
/// one per slice for a per-axis type).
llvm::SmallVector<QuantParams> getQuantParams(quant::QuantizedType type);

/// The real range a per-tensor type can represent:
/// [scale * (qmin - zp), scale * (qmax - zp)].
std::pair<double, double> getRepresentableRange(quant::UniformQuantizedType type);

/// The f32 requantization multipliers of a quantized product, input scale x
/// weight scale / output scale: one per channel (`channels` of them; a
/// per-tensor weight gives the same value for each).
llvm::SmallVector<float> getRequantMultipliers(Type input, Type weight,
                                               Type output, int64_t channels);

/// Whether a quantized product's result is its i32 accumulator itself: i32
/// storage, zero point 0 and every multiplier exactly 1 (ONNX MatMulInteger,
/// ConvInteger), so no rounding through f32 happens.
bool isExactAccumulatorOutput(Type output, llvm::ArrayRef<float> multipliers);

} // namespace mlir::qc

#endif // QC_DIALECT_QC_IR_QCTYPEUTILS_H
