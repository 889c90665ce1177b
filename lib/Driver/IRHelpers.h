//===- IRHelpers.h - Small IR queries the driver's rewrites share -*- C++
//-*-===//
//
// Private to lib/Driver: the calibration-time rewrites (SmoothQuant's
// migration, channel equalization, bias correction) read constants and
// layer names, and measure channel spreads, the same way.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DRIVER_IRHELPERS_H
#define QC_LIB_DRIVER_IRHELPERS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

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

/// The largest of `v` over its median, NaN and infinities left out (1 when
/// the median is 0 or nothing is left): how uneven channel ranges are.
inline double spread(std::vector<double> v) {
  llvm::erase_if(v, [](double x) { return !std::isfinite(x); });
  if (v.empty())
    return 1;
  double top = *std::max_element(v.begin(), v.end());
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  double median = v[v.size() / 2];
  return median > 0 ? top / median : 1;
}

} // namespace mlir::qc::detail

#endif // QC_LIB_DRIVER_IRHELPERS_H
