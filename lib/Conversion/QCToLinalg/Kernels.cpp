//===- Kernels.cpp - Micro-kernel lowering of convolution and matmul ------===//
//
// Placeholder entry points: every op takes the reference lowering until the
// kernel generator below qualifies it.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

std::optional<SmallVector<MemRefType>>
lowering::getKernelScratch(Conv2DOp, const LoweringOptions &) {
  return std::nullopt;
}
std::optional<SmallVector<MemRefType>>
lowering::getKernelScratch(MatMulOp, const LoweringOptions &) {
  return std::nullopt;
}
LogicalResult lowering::tryLowerConvWithKernel(Conv2DOp, LoweringState &) {
  return failure();
}
LogicalResult lowering::tryLowerMatMulWithKernel(MatMulOp, LoweringState &) {
  return failure();
}
