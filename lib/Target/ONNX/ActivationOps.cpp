//===- ActivationOps.cpp - ONNX activations and math functions as qc ops --===//
//
// The math functions (Exp, Log, Abs, Floor, Ceil, Round, Sign, Sin, Cos)
// become one qc op each, and so do HardSigmoid, HardSwish, Mish and Gelu
// (qc.activation, whose quantized form is a table). The other activations
// (LeakyRelu, PRelu, Elu, Selu, Celu, Softplus, Softsign, ThresholdedRelu)
// are composed of qc elementwise ops in the order of ONNX's reference
// definitions, so that the f32 results round as ONNX's do. Composed of qc
// ops, they need nothing of their own to be quantized: each step has its own
// quantization rule and a quantized step goes through the float domain.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

namespace {

/// Emits the elementwise steps of one node at its location. (The callers
/// name intermediate values so that the ops come out in a fixed order, not
/// in the compiler's order of evaluating arguments.)
struct Composer {
  Importer &im;

  Value scalar(float v) {
    return arith::ConstantOp::create(im.b, im.loc,
                                     DenseElementsAttr::get(im.f32Type({}), v));
  }

  /// `OpT(a, b)` with numpy broadcasting (the callers pass shapes that
  /// broadcast: a tensor and a scalar, or shapes checked before).
  template <typename OpT> Value binary(Value a, Value b) {
    SmallVector<int64_t> shape;
    (void)OpTrait::util::getBroadcastedShape(Importer::shape(a),
                                             Importer::shape(b), shape);
    return OpT::create(im.b, im.loc, im.f32Type(shape), a, b);
  }
  template <typename OpT> Value binary(Value a, float b) {
    return binary<OpT>(a, scalar(b));
  }
  template <typename OpT> Value unary(Value x) {
    return OpT::create(im.b, im.loc, x.getType(), x);
  }

  Value add(Value a, Value b) { return binary<AddOp>(a, b); }
  Value add(Value a, float b) { return binary<AddOp>(a, b); }
  Value sub(Value a, float b) { return binary<SubOp>(a, b); }
  Value mul(Value a, Value b) { return binary<MulOp>(a, b); }
  Value mul(Value a, float b) { return binary<MulOp>(a, b); }
  Value div(Value a, Value b) { return binary<DivOp>(a, b); }
  Value div(Value a, float b) { return binary<DivOp>(a, b); }
  Value max(Value a, Value b) { return binary<MaxOp>(a, b); }
  Value max(Value a, float b) { return binary<MaxOp>(a, b); }
  Value min(Value a, Value b) { return binary<MinOp>(a, b); }

  /// min(max(x, lo), hi) with either bound optional (NaN propagates).
  Value clamp(Value x, std::optional<float> lo, std::optional<float> hi) {
    return ClampOp::create(im.b, im.loc, x,
                           lo ? im.b.getF32FloatAttr(*lo) : FloatAttr(),
                           hi ? im.b.getF32FloatAttr(*hi) : FloatAttr());
  }
  /// np.clip(x, 0, inf) and np.clip(x, -inf, 0).
  Value positivePart(Value x) { return clamp(x, 0.0f, std::nullopt); }
  Value negativePart(Value x) { return clamp(x, std::nullopt, 0.0f); }

  /// log(exp(x) + 1) as max(x, 0) + log(exp(-|x|) + 1). Below exp's
  /// overflow (x < 88.7) this agrees with ONNX's reference, which computes
  /// the first form in f32, to within its rounding (6e-7 here); above, it
  /// gives x where the reference overflows to +inf (ONNX Runtime and
  /// PyTorch give x too). Its steps all have bounded ranges, so that it
  /// also quantizes: exp(x) itself would span [0, e^max] and leave no
  /// resolution for the small values the log needs.
  Value softplus(Value x) {
    Value relu = positivePart(x);
    Value e = unary<ExpOp>(mul(unary<AbsOp>(x), -1.0f));
    return add(relu, unary<LogOp>(add(e, 1.0f)));
  }
  /// exp(min(x, 0)) - 1: Elu's and Selu's negative branch before scaling.
  Value expm1OfNegativePart(Value x) {
    return sub(unary<ExpOp>(negativePart(x)), 1.0f);
  }
};

/// x * a for a slope (scalar or tensor) that lies in [0, 1] everywhere:
/// max(x, a * x); above 1 everywhere: min(x, a * x); otherwise the
/// reference form clip(x, 0, inf) + clip(x, -inf, 0) * a. Each gives the
/// reference's f32 result: one of its two terms is an exact zero.
Value leaky(Composer &c, Value x, Value slope, bool inUnit, bool aboveOne) {
  if (inUnit)
    return c.max(x, c.mul(x, slope));
  if (aboveOne)
    return c.min(x, c.mul(x, slope));
  Value pos = c.positivePart(x);
  return c.add(pos, c.mul(c.negativePart(x), slope));
}

LogicalResult importLeakyRelu(Importer &im, Composer &c, Value x) {
  float alpha = im.attrFloat("alpha", 0.01f);
  if (alpha == 0.0f) {
    im.define(0, c.positivePart(x));
    return success();
  }
  if (alpha == 1.0f) {
    im.define(0, x);
    return success();
  }
  bool inUnit = alpha > 0.0f && alpha < 1.0f, aboveOne = alpha > 1.0f;
  im.define(0, leaky(c, x, c.scalar(alpha), inUnit, aboveOne));
  return success();
}

LogicalResult importPRelu(Importer &im, Composer &c, Value x) {
  auto slope = floatInput(im, 1);
  if (failed(slope))
    return failure();
  // The slope broadcasts to the input (unidirectionally: the result has the
  // input's shape), e.g. [C, 1, 1] per channel of an NCHW tensor.
  SmallVector<int64_t> xs = Importer::shape(x), ss = Importer::shape(*slope);
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(xs, ss, shape) || shape != xs)
    return im.error() << "the slope's shape " << shapeStr(ss)
                      << " does not broadcast to the input's shape "
                      << shapeStr(xs);
  bool inUnit = false, aboveOne = false;
  if (im.isConst(1)) {
    const std::vector<double> &v = im.constant(1).values;
    inUnit = llvm::all_of(v, [](double a) { return a >= 0 && a <= 1; });
    aboveOne = llvm::all_of(v, [](double a) { return a > 1; });
  }
  im.define(0, leaky(c, x, *slope, inUnit, aboveOne));
  return success();
}

/// ONNX ThresholdedRelu: x where x > alpha, else 0. With m = max(x, alpha),
/// m - alpha is positive exactly where x > alpha and 0 elsewhere, so
/// m * sign(m - alpha) selects without a compare (and -inf gives 0, NaN
/// stays NaN).
Value thresholdedRelu(Composer &c, Value x, float alpha) {
  Value m = c.max(x, alpha);
  return c.mul(m, c.unary<SignOp>(c.sub(m, alpha)));
}

/// qc.activation of `kind` on the node's input.
Value activation(Importer &im, ActivationKind kind, Value x,
                 FloatAttr alpha = {}, FloatAttr beta = {}) {
  return ActivationOp::create(im.b, im.loc, x.getType(), kind, x, alpha, beta,
                              FloatAttr(), FloatAttr(), DenseF32ArrayAttr(),
                              DenseF32ArrayAttr());
}

LogicalResult importGelu(Importer &im, Composer &, Value x) {
  std::string approximate = im.attrString("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return im.error() << "attribute 'approximate' is '" << approximate
                      << "'; it must be 'none' (erf) or 'tanh'";
  im.define(0, activation(im,
                          approximate == "none" ? ActivationKind::Gelu
                                                : ActivationKind::GeluTanh,
                          x));
  return success();
}

/// The ops that map to one qc op.
template <typename OpT>
LogicalResult importMath(Importer &im, Composer &, Value x) {
  im.define(0, OpT::create(im.b, im.loc, x.getType(), x));
  return success();
}

LogicalResult importHardSigmoid(Importer &im, Composer &, Value x) {
  float alpha = im.attrFloat("alpha", 0.2f), beta = im.attrFloat("beta", 0.5f);
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    return im.error() << "attributes 'alpha' (" << alpha << ") and 'beta' ("
                      << beta << ") must be finite";
  im.define(0, activation(im, ActivationKind::HardSigmoid, x,
                          im.b.getF32FloatAttr(alpha),
                          im.b.getF32FloatAttr(beta)));
  return success();
}

LogicalResult importHardSwish(Importer &im, Composer &, Value x) {
  im.define(0, activation(im, ActivationKind::HardSwish, x));
  return success();
}

LogicalResult importElu(Importer &im, Composer &c, Value x) {
  // clip(x, 0, inf) + (exp(clip(x, -inf, 0)) - 1) * alpha
  float alpha = im.attrFloat("alpha", 1.0f);
  Value pos = c.positivePart(x);
  im.define(0, c.add(pos, c.mul(c.expm1OfNegativePart(x), alpha)));
  return success();
}

LogicalResult importSelu(Importer &im, Composer &c, Value x) {
  // clip(x, 0, inf) * gamma + (exp(clip(x, -inf, 0)) - 1) * alpha * gamma
  float alpha = im.attrFloat("alpha", 1.67326319217681884765625f);
  float gamma = im.attrFloat("gamma", 1.05070102214813232421875f);
  Value pos = c.mul(c.positivePart(x), gamma);
  im.define(0, c.add(pos, c.mul(c.expm1OfNegativePart(x), alpha * gamma)));
  return success();
}

LogicalResult importCelu(Importer &im, Composer &c, Value x) {
  // max(0, x) + min(0, alpha * (exp(x / alpha) - 1)). The second term is
  // 0 for x >= 0 and alpha * (exp(x / alpha) - 1) otherwise (it is negative
  // there whatever the sign of alpha), so it equals
  // alpha * (exp(min(x, 0) / alpha) - 1) exactly, whose exp stays bounded
  // for alpha > 0 (and so quantizes).
  float alpha = im.attrFloat("alpha", 1.0f);
  if (alpha == 0.0f)
    return im.error() << "attribute 'alpha' is 0; Celu divides its input by "
                         "alpha";
  Value pos = c.positivePart(x);
  Value e = c.sub(c.unary<ExpOp>(c.div(c.negativePart(x), alpha)), 1.0f);
  im.define(0, c.add(pos, c.mul(e, alpha)));
  return success();
}

LogicalResult importSoftplus(Importer &im, Composer &c, Value x) {
  im.define(0, c.softplus(x));
  return success();
}

LogicalResult importSoftsign(Importer &im, Composer &c, Value x) {
  // x / (1 + |x|)
  im.define(0, c.div(x, c.add(c.unary<AbsOp>(x), 1.0f)));
  return success();
}

LogicalResult importMish(Importer &im, Composer &, Value x) {
  im.define(0, activation(im, ActivationKind::Mish, x));
  return success();
}

LogicalResult importThresholdedRelu(Importer &im, Composer &c, Value x) {
  im.define(0, thresholdedRelu(c, x, im.attrFloat("alpha", 1.0f)));
  return success();
}

} // namespace

std::optional<LogicalResult> onnximport::importActivationOp(Importer &im,
                                                            StringRef op) {
  using Handler = LogicalResult (*)(Importer &, Composer &, Value);
  Handler handler = llvm::StringSwitch<Handler>(op)
                        .Case("Exp", importMath<ExpOp>)
                        .Case("Log", importMath<LogOp>)
                        .Case("Abs", importMath<AbsOp>)
                        .Case("Floor", importMath<FloorOp>)
                        .Case("Ceil", importMath<CeilOp>)
                        .Case("Round", importMath<RoundOp>)
                        .Case("Sign", importMath<SignOp>)
                        .Case("Sin", importMath<SinOp>)
                        .Case("Cos", importMath<CosOp>)
                        .Case("HardSigmoid", importHardSigmoid)
                        .Case("HardSwish", importHardSwish)
                        .Case("LeakyRelu", importLeakyRelu)
                        .Case("PRelu", importPRelu)
                        .Case("Elu", importElu)
                        .Case("Selu", importSelu)
                        .Case("Celu", importCelu)
                        .Case("Softplus", importSoftplus)
                        .Case("Softsign", importSoftsign)
                        .Case("Mish", importMish)
                        .Case("Gelu", importGelu)
                        .Case("ThresholdedRelu", importThresholdedRelu)
                        .Default(nullptr);
  if (!handler)
    return std::nullopt;
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  Composer c{im};
  return handler(im, c, *x);
}
