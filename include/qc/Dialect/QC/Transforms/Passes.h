//===- Passes.h - qc quantization passes ------------------------*- C++ -*-===//
//
// Declarations of the qc passes (see Passes.td) and of the rewrite patterns
// they are built from.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_TRANSFORMS_PASSES_H
#define QC_DIALECT_QC_TRANSFORMS_PASSES_H

#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace qc {

#define GEN_PASS_DECL
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

/// Patterns of qc-fold-qdq: QDQ pairs around ops with a quantized form
/// become the quantized op, quantize(dequantize) becomes a requantize or
/// nothing, requantize chains merge, identity clamps disappear, and
/// constants are quantized at compile time.
void populateFoldQDQPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

} // namespace qc
} // namespace mlir

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_H
