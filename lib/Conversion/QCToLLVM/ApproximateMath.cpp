//===- ApproximateMath.cpp - Polynomial exp, log, sin, cos, tanh, erf -----===//
//
// qc-approximate-math: the upstream polynomial approximations, so that the
// loops of softmax, sigmoid, tanh, GELU and the ONNX activations vectorize
// and call no libm.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCAPPROXIMATEMATH
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;

namespace {
struct ApproximateMathPass
    : public mlir::qc::impl::QCApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // powf becomes exp(y * log(x)) (with its sign and special cases), and
    // exp, log, sin, cos, tanh and erf become polynomials.
    math::populateExpansionPatterns(patterns, {"powf"});
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == "math.exp" || name == "math.log" || name == "math.sin" ||
             name == "math.cos";
    });
    populatePolynomialApproximateTanhPattern(patterns);
    populatePolynomialApproximateErfPattern(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
