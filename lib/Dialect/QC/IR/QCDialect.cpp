//===- QCDialect.cpp - The qc dialect -------------------------------------===//
//
// Registers the qc ops and attributes, materializes quantized constants for
// the folder, and verifies the dialect's discardable attributes.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::qc;

#include "qc/Dialect/QC/IR/QCOpsDialect.cpp.inc"

void QCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qc/Dialect/QC/IR/QCOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *QCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return nullptr;
  if (isQuantized(type))
    return ConstantOp::create(builder, loc, type, elements);
  // Float and integer tensors folded by qc ops (a transposed weight).
  if (elements.getType() == type)
    return arith::ConstantOp::create(builder, loc, cast<TypedAttr>(value));
  return nullptr;
}

LogicalResult QCDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  if (attr.getName() == getWeightSchemeAttrName()) {
    if (!isa<SchemeAttr>(attr.getValue()))
      return op->emitOpError() << "'" << getWeightSchemeAttrName()
                               << "' must be a #qc.scheme attribute";
    return success();
  }
  if (attr.getName() == getWorkspaceSizeAttrName() ||
      attr.getName() == getNumInputsAttrName()) {
    auto size = dyn_cast<IntegerAttr>(attr.getValue());
    if (!size || size.getInt() < 0)
      return op->emitOpError() << "'" << attr.getName().getValue()
                               << "' must be a non-negative integer";
    return success();
  }
  return op->emitOpError() << "unknown qc attribute '"
                           << attr.getName().getValue() << "'";
}
