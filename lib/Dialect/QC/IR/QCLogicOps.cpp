//===- QCLogicOps.cpp - Verifiers of the bool and integer ops -------------===//
//
// What ODS cannot say about qc.compare, qc.select, qc.logical and qc.mod:
// the operands broadcast to the result's shape and agree on their element
// type; qc.cast folds when it changes nothing. The enums of the predicate
// and logical kind attributes are defined here too.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::qc;

#include "qc/Dialect/QC/IR/QCEnums.cpp.inc"

namespace {

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  os << "]";
  return s;
}

/// Checks that `operands` broadcast together (numpy) to the shape of the
/// op's result.
LogicalResult verifyBroadcast(Operation *op, ValueRange operands) {
  SmallVector<int64_t> shape;
  for (Value v : operands) {
    ArrayRef<int64_t> s = cast<ShapedType>(v.getType()).getShape();
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, s, next)) {
      InFlightDiagnostic d = op->emitOpError("operand shapes");
      for (Value w : operands)
        d << " " << shapeString(cast<ShapedType>(w.getType()).getShape());
      return d << " do not broadcast";
    }
    shape = std::move(next);
  }
  ArrayRef<int64_t> result =
      cast<ShapedType>(op->getResult(0).getType()).getShape();
  if (result != ArrayRef<int64_t>(shape))
    return op->emitOpError("result shape ")
           << shapeString(result) << " does not match the broadcast shape "
           << shapeString(shape);
  return success();
}

Type elementOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

} // namespace

LogicalResult CompareOp::verify() {
  if (elementOf(getLhs()) != elementOf(getRhs()))
    return emitOpError("operands must have one element type, got ")
           << elementOf(getLhs()) << " and " << elementOf(getRhs());
  return verifyBroadcast(*this, {getLhs(), getRhs()});
}

LogicalResult SelectOp::verify() {
  Type element = elementOf(getOutput());
  if (elementOf(getTrueValue()) != element ||
      elementOf(getFalseValue()) != element)
    return emitOpError("the values and the result must have one element "
                       "type, got ")
           << elementOf(getTrueValue()) << ", " << elementOf(getFalseValue())
           << " -> " << element;
  return verifyBroadcast(*this,
                         {getCondition(), getTrueValue(), getFalseValue()});
}

LogicalResult LogicalOp::verify() {
  return verifyBroadcast(*this, {getLhs(), getRhs()});
}

LogicalResult ModOp::verify() {
  Type element = elementOf(getOutput());
  if (elementOf(getLhs()) != element || elementOf(getRhs()) != element)
    return emitOpError("operands and result must have one element type, got ")
           << elementOf(getLhs()) << ", " << elementOf(getRhs()) << " -> "
           << element;
  if (isa<FloatType>(element) && !getFmod())
    return emitOpError("f32 operands need fmod = true (ONNX Mod defines "
                       "only the truncated remainder of floats)");
  return verifyBroadcast(*this, {getLhs(), getRhs()});
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}
