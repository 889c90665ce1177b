//===- IRHelpers.h - Small IR queries the driver's rewrites share -*- C++
//-*-===//
//
// Private to lib/Driver: the calibration-time rewrites (SmoothQuant's
// migration, bias correction) read constants and layer names the same way.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DRIVER_IRHELPERS_H
#define QC_LIB_DRIVER_IRHELPERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"

#include <string>

namespace mlir::qc::detail {

/// The f32 elements of an `arith.constant` operand, or null.
inline DenseElementsAttr constantF32(Value v) {
  if (!v)
    return {};
  auto c = v.getDefiningOp<arith::ConstantOp>();
  if (!c)
    return {};
  auto d = dyn_cast<DenseElementsAttr>(c.getValue());
  if (!d || !d.getElementType().isF32())
    return {};
  return d;
}

/// The layer name of an op (its NameLoc, the ONNX node), or "".
inline std::string nameOf(Operation *op) {
  if (auto n = dyn_cast<NameLoc>(op->getLoc()))
    return n.getName().str();
  return "";
}

} // namespace mlir::qc::detail

#endif // QC_LIB_DRIVER_IRHELPERS_H
