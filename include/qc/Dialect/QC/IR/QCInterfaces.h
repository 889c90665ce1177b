//===- QCInterfaces.h - How ops propagate quantization ----------*- C++ -*-===//
//
// QuantPropagationInterface: the rule each graph op states for the scale
// inference (see QCInterfaces.td).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCINTERFACES_H
#define QC_DIALECT_QC_IR_QCINTERFACES_H

#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <utility>

namespace mlir::qc {
/// How the parameters of an op's quantized result are determined.
enum class QuantRule {
  /// From the result's own calibrated range.
  Free,
  /// Equal to those of the data operands (which must agree).
  SameAsInput,
  /// From a range the function fixes (sigmoid: [0, 1]).
  FixedRange,
};
} // namespace mlir::qc

#include "qc/Dialect/QC/IR/QCInterfaces.h.inc"

#endif // QC_DIALECT_QC_IR_QCINTERFACES_H
