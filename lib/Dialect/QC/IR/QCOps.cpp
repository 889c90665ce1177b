//===- QCOps.cpp - qc quantization ops ------------------------------------===//
//
// Verifiers and folders of qc.quantize, qc.dequantize, qc.requantize,
// qc.constant and qc.stats. The graph ops are in QCGraphOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

#define GET_OP_CLASSES
#include "qc/Dialect/QC/IR/QCOps.cpp.inc"

/// Checks the two sides of a quantize/dequantize: `floatType` is the f32
/// side, `quantSide` the quantized (or, with runtime parameters, integer)
/// side.
static LogicalResult verifyQuantizeLike(Operation *op, ShapedType floatType,
                                        ShapedType quantSide, Value scale,
                                        Value zeroPoint,
                                        std::optional<int64_t> axis) {
  auto emitError = [&] { return op->emitOpError(); };
  if (floatType.getShape() != quantSide.getShape())
    return op->emitOpError("input and result shapes must match");

  if (!scale) {
    if (zeroPoint)
      return op->emitOpError("'zero_point' requires a 'scale' operand");
    if (axis)
      return op->emitOpError("'axis' is only used with a runtime 'scale'; a "
                             "per-axis type carries its own axis");
    if (!isQuantized(quantSide))
      return op->emitOpError(
          "the quantized side must have a !quant.uniform element type when "
          "no 'scale' operand is given, got ")
             << quantSide;
    return verifyQuantizedTensorType(emitError, quantSide, "quantized type");
  }

  Type storageType = quantSide.getElementType();
  if (!isa<IntegerType>(storageType))
    return op->emitOpError("with a runtime 'scale' the quantized side must "
                           "have an integer element type, got ")
           << storageType;
  auto scaleType = cast<ShapedType>(scale.getType());
  if (scaleType.getRank() > 1)
    return op->emitOpError("'scale' must have rank 0 or 1, got rank ")
           << scaleType.getRank();
  if (axis) {
    int64_t rank = quantSide.getRank();
    if (*axis < -rank || *axis >= rank)
      return op->emitOpError("axis ")
             << *axis << " is out of range for rank " << rank;
    int64_t a = *axis < 0 ? *axis + rank : *axis;
    if (scaleType.getRank() != 1 ||
        scaleType.getDimSize(0) != quantSide.getDimSize(a))
      return op->emitOpError("per-axis 'scale' must be 1-D with one value "
                             "per slice: dimension ")
             << a << " has size " << quantSide.getDimSize(a)
             << " but 'scale' has type " << scaleType;
  } else if (scaleType.getNumElements() != 1) {
    return op->emitOpError("a per-tensor 'scale' must have one element (set "
                           "'axis' for per-axis parameters), got ")
           << scaleType;
  }
  if (zeroPoint) {
    auto zpType = cast<ShapedType>(zeroPoint.getType());
    if (zpType.getShape() != scaleType.getShape())
      return op->emitOpError("'zero_point' shape must match 'scale' shape");
    if (zpType.getElementType() != storageType)
      return op->emitOpError("'zero_point' element type ")
             << zpType.getElementType()
             << " must match the quantized element type " << storageType;
  }
  DenseElementsAttr scaleValues;
  if (matchPattern(scale, m_Constant(&scaleValues))) {
    for (APFloat v : scaleValues.getValues<APFloat>()) {
      double d = v.convertToDouble();
      if (!(d > 0) || !std::isfinite(d))
        return op->emitOpError("'scale' values must be positive and finite, "
                               "got ")
               << d;
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  return verifyQuantizeLike(getOperation(), getInput().getType(),
                            getOutput().getType(), getScale(), getZeroPoint(),
                            getAxis());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizeLike(getOperation(), getOutput().getType(),
                            getInput().getType(), getScale(), getZeroPoint(),
                            getAxis());
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult RequantizeOp::verify() {
  auto emitError = [&] { return emitOpError(); };
  if (failed(verifyQuantizedTensorType(emitError, getInput().getType(),
                                       "operand")) ||
      failed(verifyQuantizedTensorType(emitError, getOutput().getType(),
                                       "result")))
    return failure();
  return success();
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto emitError = [&] { return emitOpError(); };
  auto resultType = getOutput().getType();
  if (failed(verifyQuantizedTensorType(emitError, resultType, "result")))
    return failure();
  auto valueType = cast<ShapedType>(getValue().getType());
  if (valueType.getShape() != resultType.getShape())
    return emitOpError("value shape must match the result shape");
  auto qtype = getQuantElementType(resultType);
  auto intType = dyn_cast<IntegerType>(valueType.getElementType());
  if (!intType ||
      intType.getWidth() != qtype.getStorageTypeIntegralWidth())
    return emitOpError("value must have an integer element type of the "
                       "storage width ")
           << qtype.getStorageTypeIntegralWidth() << ", got "
           << valueType.getElementType();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }
