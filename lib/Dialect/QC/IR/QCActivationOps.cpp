//===- QCActivationOps.cpp - qc.activation --------------------------------===//
//
// Verifier and quantization rule of qc.activation: hard_sigmoid has the
// fixed range [0, 1] (scaled and shifted by an affine epilogue); every other
// activation takes its calibrated range.
//
//===----------------------------------------------------------------------===//

#include "GraphOpVerifiers.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qc;

/// An optional attribute's value, or `otherwise`.
static double valueOr(FloatAttr a, double otherwise) {
  return a ? a.getValueAsDouble() : otherwise;
}

double ActivationOp::getSlope() { return valueOr(getAlphaAttr(), 0.2); }
double ActivationOp::getOffset() { return valueOr(getBetaAttr(), 0.5); }
double ActivationOp::getPostScale() { return valueOr(getScaleAttr(), 1.0); }
double ActivationOp::getPostShift() { return valueOr(getShiftAttr(), 0.0); }
double ActivationOp::getInScale(int64_t c) {
  return getInScalesAttr() ? double((*getInScales())[c]) : 1.0;
}
double ActivationOp::getOutScale(int64_t c) {
  return getOutScalesAttr() ? double((*getOutScales())[c]) : 1.0;
}

LogicalResult ActivationOp::verify() {
  if (!std::isfinite(getPostScale()) || !std::isfinite(getPostShift()))
    return emitOpError("needs a finite 'scale' and 'shift'");
  if (getKind() != ActivationKind::HardSigmoid) {
    if (getAlphaAttr() || getBetaAttr())
      return emitOpError("'alpha' and 'beta' apply to hard_sigmoid only, not ")
             << stringifyActivationKind(getKind());
  } else if (!std::isfinite(getSlope()) || !std::isfinite(getOffset())) {
    return emitOpError("hard_sigmoid needs finite 'alpha' and 'beta'");
  }
  for (auto [name, factors] : {std::pair{"in_scales", getInScales()},
                               std::pair{"out_scales", getOutScales()}}) {
    if (!factors)
      continue;
    auto type = dyn_cast<RankedTensorType>(getInput().getType());
    if (!type || type.getRank() < 2 || type.isDynamicDim(1))
      return emitOpError("'") << name << "' needs a static channel dim 1";
    if (int64_t(factors->size()) != type.getDimSize(1))
      return emitOpError("'")
             << name << "' has " << factors->size() << " values for "
             << type.getDimSize(1) << " channels";
    for (float f : *factors)
      if (!std::isfinite(f) || !(f > 0))
        return emitOpError("'") << name << "' must be finite and positive";
  }
  return verifyGraphTypes(*this);
}

QuantRule ActivationOp::getQuantRule() {
  return getKind() == ActivationKind::HardSigmoid && getPostScale() != 0 &&
                 !getOutScalesAttr()
             ? QuantRule::FixedRange
             : QuantRule::Free;
}

std::pair<double, double> ActivationOp::getFixedRange() {
  double a = getPostShift(), b = getPostScale() + getPostShift();
  return {std::min(a, b), std::max(a, b)};
}

/// A 16-bit input from a product: the product kernel computes the function
/// in its epilogue, in f32 on the dequantized 16-bit value, instead of a
/// table on an 8-bit one. Not with per-channel factors (one function for
/// every lane of the kernel).
bool ActivationOp::acceptsWideOperand(unsigned) { return !hasChannelScales(); }

std::pair<double, double>
ActivationOp::getNeededInputRange(std::pair<double, double> range) {
  auto [lo, hi] = range;
  // Channel c computes f(x * in_c): a bound t of f is t / in_c there. The
  // bound that holds for every channel is the one of the smallest factor
  // (for t < 0 the lowest, for t > 0 the highest).
  double smallest = 1.0;
  if (auto in = getInScales(); in && !in->empty())
    smallest = double(*std::min_element(in->begin(), in->end()));
  if (!(smallest > 0))
    return range;
  auto cut = [&](std::optional<double> below, std::optional<double> above) {
    if (below)
      lo = std::max(lo, *below / smallest);
    if (above)
      hi = std::min(hi, *above / smallest);
    if (lo > hi) // Everything maps to one value.
      lo = hi;
  };
  switch (getKind()) {
  case ActivationKind::HardSwish:
    // x * relu6(x + 3) / 6 is exactly 0 at and below -3.
    cut(-3.0, std::nullopt);
    break;
  case ActivationKind::HardSigmoid: {
    double a = getSlope(), b = getOffset();
    if (a > 0)
      cut(-b / a, (1 - b) / a);
    break;
  }
  default:
    break;
  }
  return {lo, hi};
}
