//===- QCDialect.cpp - The qc dialect -------------------------------------===//
//
// Registers the qc ops and attributes, materializes quantized constants for
// the folder, and verifies the dialect's discardable attributes.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Support/TargetDesc.h"
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
  if (attr.getName() == getKeepFloatAttrName()) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitOpError()
             << "'" << getKeepFloatAttrName() << "' must be a unit attribute";
    return success();
  }
  if (attr.getName() == getBiasShiftAttrName()) {
    auto shift = dyn_cast<DenseFPElementsAttr>(attr.getValue());
    if (!shift || shift.getType().getRank() != 1 ||
        !shift.getElementType().isF32())
      return op->emitOpError() << "'" << getBiasShiftAttrName()
                               << "' must be a 1-D f32 dense array";
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
  if (attr.getName() == getTargetAttrName()) {
    auto name = dyn_cast<StringAttr>(attr.getValue());
    if (!name || !lookupTarget(name.getValue()))
      return op->emitOpError() << "'" << getTargetAttrName()
                               << "' must name a target, one of: "
                               << llvm::join(getTargetNames(), ", ");
    return success();
  }
  // qc-tile-batch's marks on the copies of a model function.
  StringRef name = attr.getName().getValue();
  if (name == "qc.batch_of" || name == "qc.batch_tail" ||
      name == "qc.batch_tail_of") {
    if (!isa<StringAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name << "' must be a string";
    return success();
  }
  if (name == "qc.batch_count") {
    auto count = dyn_cast<IntegerAttr>(attr.getValue());
    if (!count || count.getInt() < 1)
      return op->emitOpError() << "'" << name << "' must be a positive integer";
    return success();
  }
  if (name == "qc.batch_strides") {
    auto strides = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
    if (!strides ||
        llvm::any_of(strides.asArrayRef(), [](int64_t s) { return s < 0; }))
      return op->emitOpError()
             << "'" << name << "' must be an array of non-negative i64";
    return success();
  }
  return op->emitOpError() << "unknown qc attribute '" << name << "'";
}
