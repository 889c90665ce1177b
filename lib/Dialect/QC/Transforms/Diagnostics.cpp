//===- Diagnostics.cpp - How the qc passes name ops in messages -----------===//
//
// The passes' errors name the op they concern by its ONNX node name when
// the importer recorded one, so that a user can find it in the model.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/Transforms/Passes.h"

using namespace mlir;

std::string mlir::qc::describeOp(Operation *op) {
  std::string kind = op->getName().getStringRef().str();
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return "'" + name.getName().str() + "' (" + kind + ")";
  return kind;
}
