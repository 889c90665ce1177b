//===- Kernels.h - Micro-kernel lowering of convolution and matmul -*- C++ -*-===//
//
// The fast path of qc.conv2d and qc.matmul: weights packed at compile time,
// compensation folded into the bias, register-tiled dot-product kernels with
// the requantization fused into their stores. Each entry point declines
// (returns failure / std::nullopt) when the op or target does not qualify,
// and the reference lowering runs instead.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOLINALG_KERNELS_H
#define QC_LIB_CONVERSION_QCTOLINALG_KERNELS_H

#include "Lowering.h"

namespace mlir::qc::lowering {

/// Scratch buffers of the kernel lowering, or nullopt when the op takes the
/// reference lowering.
std::optional<SmallVector<MemRefType>>
getKernelScratch(Conv2DOp op, const LoweringOptions &options);
std::optional<SmallVector<MemRefType>>
getKernelScratch(MatMulOp op, const LoweringOptions &options);

LogicalResult tryLowerConvWithKernel(Conv2DOp op, LoweringState &state);

/// Depthwise convolution (groups == channels == output channels): a loop
/// nest over a padded copy of the input with the output pixels innermost,
/// which LLVM vectorizes.
std::optional<SmallVector<MemRefType>>
getDepthwiseScratch(Conv2DOp op, const LoweringOptions &options);
LogicalResult tryLowerDepthwise(Conv2DOp op, LoweringState &state);

/// Whether micro-kernels may be used at all (not --reference, a target with
/// a dot instruction).
bool kernelsEnabled(const LoweringOptions &options);

/// The dense value of a constant (arith.constant or qc.constant), or null.
DenseElementsAttr getConstant(Value v);
LogicalResult tryLowerMatMulWithKernel(MatMulOp op, LoweringState &state);

/// A view of `buffer` (identity layout, contiguous) with another shape.
Value reshapeBuffer(OpBuilder &b, Location loc, Value buffer,
                    ArrayRef<int64_t> shape);

/// f32 requantization multipliers input x weight / output, one per channel
/// (or one for a per-tensor weight).
SmallVector<float> getRequantMultipliers(Type input, Type weight, Type output,
                                         int64_t channels);

/// i32 output, zero point 0 and every multiplier exactly 1: the result is the
/// accumulator itself, not rounded through f32 (ONNX MatMulInteger).
bool isExactAccumulatorOutput(Type output, ArrayRef<float> multipliers);

/// The storage range the quantized result of a conv2d or matmul saturates
/// to: its type's storage range narrowed by the fused output clamp.
StorageRange getProductOutputRange(Operation *op);

/// result = requantize(acc + bias) with per-channel multipliers along
/// `channelDim` of `result`, saturated to `range`.
void emitRequantEpilogue(LoweringState &state, Location loc, Value acc,
                         Value result, unsigned channelDim, Value bias,
                         ArrayRef<float> multipliers, Type outputType,
                         StorageRange range);

} // namespace mlir::qc::lowering

#endif // QC_LIB_CONVERSION_QCTOLINALG_KERNELS_H
