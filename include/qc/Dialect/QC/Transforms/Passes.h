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

/// An op as the passes' error messages name it: "'conv1' (qc.conv2d)" with
/// the ONNX node name the importer records (a NameLoc), else its kind.
std::string describeOp(Operation *op);

/// Patterns of qc-fold-qdq: QDQ pairs around ops with a quantized form
/// become the quantized op, quantize(dequantize) becomes a requantize or
/// nothing, requantize chains merge, identity clamps disappear, and
/// constants are quantized at compile time.
void populateFoldQDQPatterns(RewritePatternSet &patterns);

/// The values of `func` that carry a leading batch dim of size `n` when the
/// function keeps the samples of that batch apart (every op computes each
/// sample from the same sample of its operands), or nothing when it does
/// not. The analysis of qc-tile-batch.
std::optional<DenseSet<Value>> analyzeBatchSeparability(func::FuncOp func,
                                                        int64_t n);

/// A copy of `func` named `name` for batch `b`: the values `batched`
/// (from analyzeBatchSeparability) get `b` as their leading dim. Not
/// inserted anywhere.
func::FuncOp cloneForBatch(func::FuncOp func, const DenseSet<Value> &batched,
                           int64_t b, StringRef name);

#define GEN_PASS_REGISTRATION
#include "qc/Dialect/QC/Transforms/Passes.h.inc"

} // namespace qc
} // namespace mlir

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_H
