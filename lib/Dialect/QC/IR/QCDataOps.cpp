//===- QCDataOps.cpp - Padding, resampling, broadcast, gather -------------===//
//
// Verifiers and propagation rules of qc.pad, qc.resize, qc.broadcast and
// qc.gather, and the index computations their semantics define (the input
// position each padded output reads, the taps of each resized dim), which
// the lowering and qc-tile-batch share so that they cannot disagree.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Checks the element types of a one-operand data op: operand and result
/// statically shaped, both f32 or both per-tensor quantized, and with
/// `sameParams` (ops that move storage integers) of one element type.
LogicalResult verifyMovedElements(Operation *op, bool sameParams) {
  Type in = op->getOperand(0).getType(), out = op->getResult(0).getType();
  auto emitError = [&] { return op->emitOpError(); };
  if (!cast<ShapedType>(in).hasStaticShape() ||
      !cast<ShapedType>(out).hasStaticShape())
    return op->emitOpError("operand and result must be statically shaped");
  if (isQuantized(in) != isQuantized(out))
    return op->emitOpError("operand and result must be both f32 or both "
                           "quantized");
  // Bool and integer elements are moved as they are.
  Type inElement = getElementTypeOrSelf(in);
  if (!isQuantized(in) && !inElement.isF32()) {
    if (!sameParams)
      return op->emitOpError("interpolates, so it takes f32 or quantized "
                             "operands, not ")
             << inElement;
    if (inElement != getElementTypeOrSelf(out))
      return op->emitOpError("result element type must equal the operand's ")
             << inElement << " (values are moved, not converted)";
    return success();
  }
  if (failed(verifyQuantizedTensorType(emitError, in, "operand")) ||
      failed(verifyQuantizedTensorType(emitError, out, "result")))
    return failure();
  if (getPerAxisType(in) || getPerAxisType(out))
    return op->emitOpError("per-channel quantized operands are not supported");
  if (sameParams && getElementTypeOrSelf(in) != getElementTypeOrSelf(out))
    return op->emitOpError("result element type must equal the operand's ")
           << getElementTypeOrSelf(in) << " (values are moved, not rescaled)";
  return success();
}

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s + "]";
}

LogicalResult checkShape(Operation *op, ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> actual =
      cast<ShapedType>(op->getResult(0).getType()).getShape();
  if (actual == expected)
    return success();
  return op->emitOpError("result shape ")
         << shapeStr(actual) << " does not match the expected "
         << shapeStr(expected);
}

} // namespace

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

LogicalResult PadOp::verify() {
  auto inType = getInput().getType();
  int64_t rank = inType.getRank();
  ArrayRef<int64_t> pads = getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitOpError("'pads' must hold 2 x rank = ")
           << 2 * rank << " values, got " << pads.size();
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return emitOpError("'pads' must not be negative");
  if (std::isnan(getValue().convertToFloat()))
    return emitOpError("the pad value must not be NaN");
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < rank; ++d)
    expected.push_back(inType.getDimSize(d) + pads[d] + pads[d + rank]);
  if (failed(checkShape(*this, expected)))
    return failure();
  if (getMode() != "constant")
    for (int64_t d = 0; d < rank; ++d)
      if (inType.getDimSize(d) == 0 && (pads[d] || pads[d + rank]))
        return emitOpError("dim ") << d << " is empty: '" << getMode()
                                   << "' padding has nothing to repeat";
  return verifyMovedElements(*this, /*sameParams=*/true);
}

int64_t PadOp::getSourceIndex(unsigned dim, int64_t position) {
  int64_t size = getInput().getType().getDimSize(dim);
  int64_t i = position - getPads()[dim];
  if (i >= 0 && i < size)
    return i;
  StringRef mode = getMode();
  if (mode == "constant")
    return -1;
  if (mode == "edge" || size == 1)
    return std::clamp<int64_t>(i, 0, size - 1);
  int64_t period = 2 * (size - 1);
  int64_t j = ((i % period) + period) % period;
  return j < size ? j : period - j;
}

QuantRule PadOp::getQuantRule() { return QuantRule::SameAsInput; }

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::verify() {
  auto inType = getInput().getType();
  int64_t rank = inType.getRank();
  if (getType().getRank() != rank)
    return emitOpError("result must have the operand's rank ") << rank;
  ArrayRef<double> scales = getScales();
  if (static_cast<int64_t>(scales.size()) != rank)
    return emitOpError("'scales' must hold one value per dim (")
           << rank << "), got " << scales.size();
  for (double s : scales)
    if (!(s > 0) || !std::isfinite(s))
      return emitOpError("scales must be positive and finite, got ") << s;
  for (int64_t d = 0; d < rank; ++d)
    if (getType().getDimSize(d) < 1 || inType.getDimSize(d) < 1)
      return emitOpError("dims must not be empty (dim ") << d << ")";
  if (!std::isfinite(getCubicCoeffA().convertToFloat()))
    return emitOpError("'cubic_coeff_a' must be finite");
  return verifyMovedElements(*this, /*sameParams=*/getMode() == "nearest");
}

bool ResizeOp::Taps::isIdentity() const {
  int64_t outputs = static_cast<int64_t>(indices.size()) / count;
  for (int64_t o = 0; o < outputs; ++o) {
    double sum = 0;
    for (int64_t t = 0; t < count; ++t) {
      double w = weights[o * count + t];
      if (w != 0 && indices[o * count + t] != o)
        return false;
      sum += w;
    }
    if (sum != 1)
      return false;
  }
  return true;
}

ResizeOp::Taps ResizeOp::getTaps(unsigned dim) {
  int64_t in = getInput().getType().getDimSize(dim);
  int64_t out = getType().getDimSize(dim);
  double scale = getScales()[dim];
  double length = scale * double(in);
  StringRef coordinates = getCoordinateMode();
  auto source = [&](int64_t x) -> double {
    double xr = double(x);
    if (coordinates == "half_pixel")
      return (xr + 0.5) / scale - 0.5;
    if (coordinates == "half_pixel_symmetric") {
      double offset = double(in) / 2 * (1 - double(out) / length);
      return offset + (xr + 0.5) / scale - 0.5;
    }
    if (coordinates == "pytorch_half_pixel")
      return length == 1 ? 0.0 : (xr + 0.5) / scale - 0.5;
    if (coordinates == "align_corners")
      return length == 1 ? 0.0 : xr * double(in - 1) / (length - 1);
    if (coordinates == "asymmetric")
      return xr / scale;
    return (xr + 0.5) / scale; // tf_half_pixel_for_nn
  };
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i, 0, in - 1);
  };

  Taps taps;
  StringRef mode = getMode();
  if (mode == "nearest") {
    StringRef rounding = getNearestMode();
    for (int64_t x = 0; x < out; ++x) {
      double xs = source(x);
      double f = std::floor(xs), r = xs - f;
      double i = rounding == "floor"                ? f
                 : rounding == "ceil"               ? std::ceil(xs)
                 : rounding == "round_prefer_floor" ? (r <= 0.5 ? f : f + 1)
                                                    : (r < 0.5 ? f : f + 1);
      taps.indices.push_back(clampIndex(int64_t(i)));
      taps.weights.push_back(1.0);
    }
    return taps;
  }
  taps.count = mode == "linear" ? 2 : 4;
  double a = getCubicCoeffA().convertToFloat();
  auto keys = [&](double u) {
    u = std::fabs(u);
    if (u <= 1)
      return ((a + 2) * u - (a + 3)) * u * u + 1;
    if (u < 2)
      return ((a * u - 5 * a) * u + 8 * a) * u - 4 * a;
    return 0.0;
  };
  for (int64_t x = 0; x < out; ++x) {
    double xs = source(x);
    double f = std::floor(xs), r = xs - f;
    int64_t first = int64_t(f) - (taps.count == 4 ? 1 : 0);
    SmallVector<double, 4> w;
    if (taps.count == 2)
      w = {1 - r, r};
    else
      w = {keys(1 + r), keys(r), keys(1 - r), keys(2 - r)};
    if (taps.count == 4 && getExcludeOutside()) {
      double sum = 0;
      for (int64_t t = 0; t < 4; ++t) {
        if (first + t < 0 || first + t >= in)
          w[t] = 0;
        sum += w[t];
      }
      for (double &v : w)
        v = sum != 0 ? v / sum : v;
    }
    for (int64_t t = 0; t < taps.count; ++t) {
      taps.indices.push_back(clampIndex(first + t));
      taps.weights.push_back(w[t]);
    }
  }
  return taps;
}

QuantRule ResizeOp::getQuantRule() {
  return getMode() == "nearest" ? QuantRule::SameAsInput : QuantRule::Free;
}

//===----------------------------------------------------------------------===//
// BroadcastOp
//===----------------------------------------------------------------------===//

LogicalResult BroadcastOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> out = getType().getShape();
  if (in.size() > out.size())
    return emitOpError("result rank ")
           << out.size() << " is lower than the operand's " << in.size();
  size_t offset = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d)
    if (in[d] != 1 && in[d] != out[offset + d])
      return emitOpError("operand shape ")
             << shapeStr(in) << " does not broadcast to " << shapeStr(out);
  return verifyMovedElements(*this, /*sameParams=*/true);
}

QuantRule BroadcastOp::getQuantRule() { return QuantRule::SameAsInput; }

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

int64_t GatherOp::getNormalizedAxis() {
  int64_t axis = static_cast<int64_t>(getAxis());
  return axis < 0 ? axis + getInput().getType().getRank() : axis;
}

LogicalResult GatherOp::verify() {
  auto inType = getInput().getType();
  int64_t rank = inType.getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  axis = getNormalizedAxis();
  int64_t size = inType.getDimSize(axis);
  for (int64_t i : getIndices())
    if (i < 0 || i >= size)
      return emitOpError("index ")
             << i << " is out of range for dim " << axis << " of size " << size;
  SmallVector<int64_t> expected(inType.getShape());
  expected[axis] = static_cast<int64_t>(getIndices().size());
  if (failed(checkShape(*this, expected)))
    return failure();
  return verifyMovedElements(*this, /*sameParams=*/true);
}

QuantRule GatherOp::getQuantRule() { return QuantRule::SameAsInput; }

//===----------------------------------------------------------------------===//
// TakeOp
//===----------------------------------------------------------------------===//

int64_t TakeOp::getNormalizedAxis() {
  int64_t axis = static_cast<int64_t>(getAxis());
  return axis < 0 ? axis + getData().getType().getRank() : axis;
}

LogicalResult TakeOp::verify() {
  auto dataType = getData().getType();
  auto indexType = getIndices().getType();
  int64_t rank = dataType.getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (rank == 0)
    return emitOpError("the data must have rank >= 1");
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  axis = getNormalizedAxis();
  if (!dataType.hasStaticShape() || !indexType.hasStaticShape() ||
      !getType().hasStaticShape())
    return emitOpError("operands and result must be statically shaped");
  if (dataType.getDimSize(axis) == 0)
    return emitOpError("dim ") << axis << " of the data is empty";
  if (getPerAxisType(dataType))
    return emitOpError("per-channel quantized data is not supported");
  if (dataType.getElementType() != getType().getElementType())
    return emitOpError("result element type must equal the data's ")
           << dataType.getElementType() << " (values are moved, not rescaled)";
  SmallVector<int64_t> expected(dataType.getShape().take_front(axis));
  llvm::append_range(expected, indexType.getShape());
  llvm::append_range(expected, dataType.getShape().drop_front(axis + 1));
  return checkShape(*this, expected);
}
