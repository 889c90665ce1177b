//===- QCActivationOps.cpp - qc.activation --------------------------------===//
//
// Verifier and quantization rule of qc.activation: hard_sigmoid has the
// fixed range [0, 1] (scaled and shifted by an affine epilogue); every other
// activation takes its calibrated range.
//
//===----------------------------------------------------------------------===//

#include "GraphOpVerifiers.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

double ActivationOp::getSlope() {
  if (FloatAttr a = getAlphaAttr())
    return a.getValueAsDouble();
  return 0.2;
}

double ActivationOp::getOffset() {
  if (FloatAttr b = getBetaAttr())
    return b.getValueAsDouble();
  return 0.5;
}

double ActivationOp::getPostScale() {
  if (FloatAttr a = getScaleAttr())
    return a.getValueAsDouble();
  return 1.0;
}

double ActivationOp::getPostShift() {
  if (FloatAttr a = getShiftAttr())
    return a.getValueAsDouble();
  return 0.0;
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
  return verifyGraphTypes(*this);
}

QuantRule ActivationOp::getQuantRule() {
  return getKind() == ActivationKind::HardSigmoid && getPostScale() != 0
             ? QuantRule::FixedRange
             : QuantRule::Free;
}

std::pair<double, double> ActivationOp::getFixedRange() {
  double a = getPostShift(), b = getPostScale() + getPostShift();
  return {std::min(a, b), std::max(a, b)};
}
