//===- RecognizePatterns.cpp - Activations and norms as single ops --------===//
//
// qc-recognize-patterns: rewrites the elementwise chains that exporters write
// for HardSigmoid, HardSwish, SiLU, GELU, Mish, LayerNorm and RMSNorm into
// qc.activation and qc.layer_norm (see Passes.td for the table). Each
// pattern matches at the chain's last op, walks up through its operands, and
// requires every value inside the chain to be used by the chain only.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qc {
#define GEN_PASS_DEF_QCRECOGNIZEPATTERNS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::patterns;

namespace {

//===----------------------------------------------------------------------===//
// Matching helpers
//===----------------------------------------------------------------------===//

/// Whether `v` is a scalar constant equal to `expected` to a relative 1e-4
/// (exporters write 1/6 and sqrt(2) with a few digits).
bool isScalar(Value v, double expected) {
  std::optional<double> s = getScalar(v);
  return s && std::abs(*s - expected) <= 1e-4 * std::abs(expected);
}

/// Whether `v` is used only by `user` (once or several times).
bool onlyUsedBy(Value v, Operation *user) {
  return llvm::all_of(v.getUsers(), [&](Operation *u) { return u == user; });
}

/// The operand of the commutative binary op `op` that is not `v` when the
/// other one is `v`; null otherwise.
Value otherOperand(Operation *op, Value v) {
  if (op->getOperand(0) == v)
    return op->getOperand(1);
  if (op->getOperand(1) == v)
    return op->getOperand(0);
  return {};
}

/// For `OpT` commutative with a scalar-constant operand: the other operand
/// and the constant.
template <typename OpT>
std::optional<std::pair<Value, double>> matchWithScalar(Value v) {
  auto op = v.getDefiningOp<OpT>();
  if (!op)
    return std::nullopt;
  if (std::optional<double> s = getScalar(op.getRhs()))
    return std::make_pair(op.getLhs(), *s);
  if (std::optional<double> s = getScalar(op.getLhs()))
    return std::make_pair(op.getRhs(), *s);
  return std::nullopt;
}

/// `x * s` or `x / (1/s)` (a division by a constant as the multiplication
/// by its reciprocal): x and s.
std::optional<std::pair<Value, double>> matchScaled(Value v) {
  if (auto m = matchWithScalar<MulOp>(v))
    return m;
  if (auto d = v.getDefiningOp<DivOp>())
    if (std::optional<double> s = getScalar(d.getRhs()); s && *s != 0)
      return std::make_pair(d.getLhs(), 1.0 / *s);
  return std::nullopt;
}

/// A clamp with both bounds: input, lo, hi.
std::optional<std::tuple<Value, double, double>> matchClip(Value v) {
  auto c = v.getDefiningOp<ClampOp>();
  if (!c || !c.getMinAttr() || !c.getMaxAttr())
    return std::nullopt;
  return std::make_tuple(c.getInput(), c.getMinAttr().getValueAsDouble(),
                         c.getMaxAttr().getValueAsDouble());
}

/// The hard sigmoid a value computes: its input, slope and offset, for
/// `clip(x * a + b, 0, 1)`, `clip(x + c, 0, k) * (1/k)` (or `/ k`) and
/// qc.activation hard_sigmoid.
struct HardSigmoidMatch {
  Value x;
  double alpha, beta;
};

std::optional<HardSigmoidMatch> matchHardSigmoid(Value v) {
  if (auto a = v.getDefiningOp<ActivationOp>();
      a && a.getKind() == ActivationKind::HardSigmoid && !a.getScaleAttr() &&
      !a.getShiftAttr())
    return HardSigmoidMatch{a.getInput(), a.getSlope(), a.getOffset()};
  // clip(x * a + b, 0, 1)
  if (auto clip = matchClip(v)) {
    auto [in, lo, hi] = *clip;
    if (lo == 0 && hi == 1 && in.hasOneUse())
      if (auto add = matchWithScalar<AddOp>(in))
        if (auto mul = matchScaled(add->first); mul && add->first.hasOneUse())
          return HardSigmoidMatch{mul->first, mul->second, add->second};
  }
  // clip(x + c, 0, k) / k
  if (auto scaled = matchScaled(v)) {
    auto [in, s] = *scaled;
    if (auto clip = matchClip(in); clip && in.hasOneUse()) {
      auto [sum, lo, hi] = *clip;
      if (lo == 0 && hi > 0 && std::abs(s * hi - 1) <= 1e-4 && sum.hasOneUse())
        if (auto add = matchWithScalar<AddOp>(sum))
          return HardSigmoidMatch{add->first, 1.0 / hi, add->second / hi};
    }
  }
  return std::nullopt;
}

/// The softplus `log(1 + exp(x))` a value computes, as the plain form or
/// the importer's stable `max(x, 0) + log(1 + exp(-|x|))`: its input.
Value matchSoftplus(Value v) {
  auto isLogOnePlusExp = [](Value v, auto expArg) -> Value {
    auto log = v.getDefiningOp<LogOp>();
    if (!log || !log.getInput().hasOneUse())
      return {};
    auto add = matchWithScalar<AddOp>(log.getInput());
    if (!add || add->second != 1.0 || !add->first.hasOneUse())
      return {};
    auto exp = add->first.getDefiningOp<ExpOp>();
    if (!exp)
      return {};
    return expArg(exp.getInput());
  };
  // log(1 + exp(x))
  if (Value x = isLogOnePlusExp(v, [](Value a) { return a; }))
    return x;
  // max(x, 0) + log(1 + exp(-|x|))
  auto add = v.getDefiningOp<AddOp>();
  if (!add)
    return {};
  for (int i = 0; i < 2; ++i) {
    Value relu = add->getOperand(i), rest = add->getOperand(1 - i);
    auto clamp = relu.getDefiningOp<ClampOp>();
    if (!clamp || !clamp.getMinAttr() || clamp.getMaxAttr() ||
        clamp.getMinAttr().getValueAsDouble() != 0 || !relu.hasOneUse() ||
        !rest.hasOneUse())
      continue;
    Value x = clamp.getInput();
    Value found = isLogOnePlusExp(rest, [&](Value a) -> Value {
      auto neg = matchScaled(a);
      if (!neg || neg->second != -1.0 || !a.hasOneUse())
        return {};
      auto abs = neg->first.getDefiningOp<AbsOp>();
      if (!abs || abs.getInput() != x || !neg->first.hasOneUse())
        return {};
      return x;
    });
    if (found)
      return found;
  }
  return {};
}

/// The product of exactly three factors `v` computes with two single-use
/// multiplications (in any association), or with one multiplication and a
/// division by a constant (`(a * b) / 2` as the factor 0.5).
std::optional<SmallVector<Value, 3>> matchTripleProduct(Value v,
                                                        double &constant) {
  constant = 1.0;
  if (auto d = v.getDefiningOp<DivOp>()) {
    std::optional<double> s = getScalar(d.getRhs());
    auto m = d.getLhs().getDefiningOp<MulOp>();
    if (!s || *s == 0 || !m || !d.getLhs().hasOneUse())
      return std::nullopt;
    constant = 1.0 / *s;
    return SmallVector<Value, 3>{m.getLhs(), m.getRhs()};
  }
  auto outer = v.getDefiningOp<MulOp>();
  if (!outer)
    return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    Value inner = outer->getOperand(i), third = outer->getOperand(1 - i);
    auto m = inner.getDefiningOp<MulOp>();
    if (!m || !inner.hasOneUse())
      continue;
    return SmallVector<Value, 3>{m.getLhs(), m.getRhs(), third};
  }
  return std::nullopt;
}

/// For `x * 0.5 * (1 + f)` in any association (f the single-use result of
/// `InnerOp`): x and f's op. Used by both GELU forms.
template <typename InnerOp>
std::optional<std::pair<Value, InnerOp>> matchHalfXOnePlus(Value v) {
  double constant;
  auto factors = matchTripleProduct(v, constant);
  if (!factors)
    return std::nullopt;
  // Fold scalar-constant factors into `constant`.
  SmallVector<Value, 3> rest;
  for (Value f : *factors) {
    if (std::optional<double> s = getScalar(f))
      constant *= *s;
    else
      rest.push_back(f);
  }
  if (rest.size() != 2 || std::abs(constant - 0.5) > 0.5e-4)
    return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    Value x = rest[i], t = rest[1 - i];
    auto onePlus = matchWithScalar<AddOp>(t);
    if (!onePlus || onePlus->second != 1.0 || !t.hasOneUse() ||
        !onePlus->first.hasOneUse())
      continue;
    if (auto inner = onePlus->first.template getDefiningOp<InnerOp>())
      return std::make_pair(x, inner);
  }
  return std::nullopt;
}

/// `x^3` as pow(x, 3), x * x * x or x * (x * x): x.
Value matchCube(Value v) {
  if (auto p = v.getDefiningOp<PowOp>())
    if (isScalar(p.getRhs(), 3.0))
      return p.getLhs();
  auto m = v.getDefiningOp<MulOp>();
  if (!m)
    return {};
  for (int i = 0; i < 2; ++i) {
    Value sq = m->getOperand(i), x = m->getOperand(1 - i);
    auto s = sq.getDefiningOp<MulOp>();
    if (s && sq.hasOneUse() && s.getLhs() == x && s.getRhs() == x)
      return x;
  }
  return {};
}

/// `x * x` or pow(x, 2): x.
Value matchSquare(Value v) {
  if (auto p = v.getDefiningOp<PowOp>())
    if (isScalar(p.getRhs(), 2.0))
      return p.getLhs();
  if (auto m = v.getDefiningOp<MulOp>(); m && m.getLhs() == m.getRhs())
    return m.getLhs();
  return {};
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

Value createActivation(PatternRewriter &rewriter, Operation *root,
                       ActivationKind kind, Value x, FloatAttr alpha = {},
                       FloatAttr beta = {}) {
  return ActivationOp::create(rewriter, root->getLoc(), root->getResultTypes(),
                              kind, x, alpha, beta, FloatAttr(), FloatAttr(),
                              DenseF32ArrayAttr(), DenseF32ArrayAttr());
}

/// x * 1 and x / 1 are x (exactly, NaN and -0 included): exporters write
/// Swish with its beta as x * sigmoid(x * beta), and beta is often 1.
struct UnitScalePattern : RewritePattern {
  UnitScalePattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, DivOp>(op))
      return failure();
    auto scaled = matchScaled(op->getResult(0));
    if (!scaled || scaled->second != 1.0 || !fits(op, scaled->first))
      return failure();
    rewriter.replaceOp(op, scaled->first);
    return success();
  }
};

/// clip(x * a + b, 0, 1) and clip(x + c, 0, k) / k.
struct HardSigmoidPattern : RewritePattern {
  HardSigmoidPattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<ClampOp, MulOp, DivOp>(op))
      return failure();
    auto m = matchHardSigmoid(op->getResult(0));
    if (!m || !fits(op, m->x) || !std::isfinite(m->alpha) ||
        !std::isfinite(m->beta))
      return failure();
    rewriter.replaceOp(op, createActivation(rewriter, op,
                                            ActivationKind::HardSigmoid, m->x,
                                            rewriter.getF32FloatAttr(m->alpha),
                                            rewriter.getF32FloatAttr(m->beta)));
    return success();
  }
};

/// x * hard_sigmoid(x) with slope 1/6 and offset 1/2, x * sigmoid(x), and
/// x * tanh(softplus(x)).
struct GatedPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (int i = 0; i < 2; ++i) {
      Value x = op->getOperand(i), gate = op->getOperand(1 - i);
      if (!fits(op, x) || !onlyUsedBy(gate, op))
        continue;
      if (auto hs = matchHardSigmoid(gate);
          hs && hs->x == x && std::abs(hs->alpha - 1.0 / 6) <= 1e-4 / 6 &&
          std::abs(hs->beta - 0.5) <= 0.5e-4) {
        rewriter.replaceOp(
            op, createActivation(rewriter, op, ActivationKind::HardSwish, x));
        return success();
      }
      if (auto s = gate.getDefiningOp<SigmoidOp>(); s && s.getInput() == x) {
        rewriter.replaceOp(
            op, createActivation(rewriter, op, ActivationKind::Silu, x));
        return success();
      }
      if (auto t = gate.getDefiningOp<TanhOp>();
          t && t.getInput().hasOneUse() && matchSoftplus(t.getInput()) == x) {
        rewriter.replaceOp(
            op, createActivation(rewriter, op, ActivationKind::Mish, x));
        return success();
      }
    }
    return failure();
  }
};

/// x * clip(x + 3, 0, 6) / 6 (the division last).
struct HardSwishScaledPattern : RewritePattern {
  HardSwishScaledPattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, DivOp>(op))
      return failure();
    auto scaled = matchScaled(op->getResult(0));
    if (!scaled || std::abs(scaled->second * 6 - 1) > 1e-4 ||
        !scaled->first.hasOneUse())
      return failure();
    auto prod = scaled->first.getDefiningOp<MulOp>();
    if (!prod)
      return failure();
    for (int i = 0; i < 2; ++i) {
      Value x = prod->getOperand(i), relu6 = prod->getOperand(1 - i);
      auto clip = matchClip(relu6);
      if (!fits(op, x) || !clip || !relu6.hasOneUse())
        continue;
      auto [sum, lo, hi] = *clip;
      auto add = matchWithScalar<AddOp>(sum);
      if (lo != 0 || hi != 6 || !add || add->first != x || add->second != 3.0 ||
          !sum.hasOneUse())
        continue;
      rewriter.replaceOp(
          op, createActivation(rewriter, op, ActivationKind::HardSwish, x));
      return success();
    }
    return failure();
  }
};

/// x * 0.5 * (1 + erf(x / sqrt(2))) and
/// x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
struct GeluPattern : RewritePattern {
  GeluPattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  static bool isErfArgument(Value arg, Value x) {
    auto s = matchScaled(arg);
    return s && s->first == x && arg.hasOneUse() &&
           std::abs(s->second - M_SQRT1_2) <= 1e-4 * M_SQRT1_2;
  }

  /// sqrt(2/pi) * (x + 0.044715 * x^3), or x * (a + b * x^2).
  static bool isTanhArgument(Value arg, Value x) {
    constexpr double a = 0.79788456080286535588, b = 0.044715;
    if (!arg.hasOneUse())
      return false;
    auto outer = matchScaled(arg);
    if (outer && std::abs(outer->second - a) <= 1e-4 * a &&
        outer->first.hasOneUse()) {
      auto sum = outer->first.getDefiningOp<AddOp>();
      if (!sum)
        return false;
      Value cubic = otherOperand(sum, x);
      auto c = cubic ? matchScaled(cubic) : std::nullopt;
      return c && cubic.hasOneUse() && std::abs(c->second - b) <= 1e-4 * b &&
             c->first.hasOneUse() && matchCube(c->first) == x;
    }
    // x * (a + b * x^2)
    auto m = arg.getDefiningOp<MulOp>();
    if (!m)
      return false;
    Value poly = otherOperand(m, x);
    auto sum = poly ? matchWithScalar<AddOp>(poly) : std::nullopt;
    if (!sum || !poly.hasOneUse() || std::abs(sum->second - a) > 1e-4 * a)
      return false;
    auto q = matchScaled(sum->first);
    return q && sum->first.hasOneUse() &&
           std::abs(q->second - a * b) <= 1e-4 * a * b &&
           q->first.hasOneUse() && matchSquare(q->first) == x;
  }

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, DivOp>(op))
      return failure();
    Value v = op->getResult(0);
    if (auto m = matchHalfXOnePlus<ErfOp>(v);
        m && fits(op, m->first) &&
        isErfArgument(m->second.getInput(), m->first)) {
      rewriter.replaceOp(
          op, createActivation(rewriter, op, ActivationKind::Gelu, m->first));
      return success();
    }
    if (auto m = matchHalfXOnePlus<TanhOp>(v);
        m && fits(op, m->first) &&
        isTanhArgument(m->second.getInput(), m->first)) {
      rewriter.replaceOp(
          op,
          createActivation(rewriter, op, ActivationKind::GeluTanh, m->first));
      return success();
    }
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// LayerNorm and RMSNorm
//===----------------------------------------------------------------------===//

/// A keepdims mean over the trailing dims of `x`: the first reduced dim.
std::optional<int64_t> trailingMeanAxis(ReduceMeanOp mean) {
  if (!mean || !mean.getKeepdims())
    return std::nullopt;
  int64_t rank = mean.getInput().getType().getRank();
  SmallVector<int64_t> axes;
  for (int64_t a : mean.getAxes())
    axes.push_back(a < 0 ? a + rank : a);
  llvm::sort(axes);
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] != rank - int64_t(axes.size()) + int64_t(i))
      return std::nullopt;
  if (axes.empty())
    return std::nullopt;
  return axes.front();
}

/// The normalization before the affine part: `div(centered, sqrt(var +
/// eps))` or `centered * (1 / sqrt(var + eps))`. The input, epsilon, axis
/// and whether it is an RMSNorm.
struct NormMatch {
  Value x;
  double epsilon;
  int64_t axis;
  bool rms;
};

std::optional<NormMatch> matchNorm(Value v) {
  Value numerator, root;
  if (auto d = v.getDefiningOp<DivOp>()) {
    numerator = d.getLhs();
    root = d.getRhs();
  } else if (auto m = v.getDefiningOp<MulOp>()) {
    for (int i = 0; i < 2 && !root; ++i) {
      auto inv = m->getOperand(i).getDefiningOp<DivOp>();
      if (inv && isScalar(inv.getLhs(), 1.0) && m->getOperand(i).hasOneUse()) {
        root = inv.getRhs();
        numerator = m->getOperand(1 - i);
      }
    }
  }
  if (!root || !root.hasOneUse())
    return std::nullopt;
  auto sqrt = root.getDefiningOp<SqrtOp>();
  if (!sqrt || !sqrt.getInput().hasOneUse())
    return std::nullopt;
  auto plusEps = matchWithScalar<AddOp>(sqrt.getInput());
  if (!plusEps || !(plusEps->second >= 0) || !plusEps->first.hasOneUse())
    return std::nullopt;
  auto var = plusEps->first.getDefiningOp<ReduceMeanOp>();
  std::optional<int64_t> axis = trailingMeanAxis(var);
  if (!axis || !var.getInput().hasOneUse() ||
      matchSquare(var.getInput()) != numerator)
    return std::nullopt;
  Operation *square = var.getInput().getDefiningOp();
  Operation *normalize = v.getDefiningOp();
  if (!isF32Tensor(numerator))
    return std::nullopt;
  // LayerNorm: numerator = x - mean(x) over the same dims, used by the
  // square and the normalization only.
  if (auto sub = numerator.getDefiningOp<SubOp>()) {
    auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
    if (mean && mean.getInput() == sub.getLhs() &&
        trailingMeanAxis(mean) == axis &&
        mean.getAxes().size() == var.getAxes().size() &&
        sub.getRhs().hasOneUse() &&
        llvm::all_of(numerator.getUsers(), [&](Operation *u) {
          return u == square || u == normalize;
        }))
      return NormMatch{sub.getLhs(), plusEps->second, *axis, false};
  }
  // RMSNorm: the numerator is x itself (which may have other users).
  return NormMatch{numerator, plusEps->second, *axis, true};
}

/// A constant reshaped to `shape` (same element count), or a value whose
/// type already has it; null otherwise.
Value asParameter(PatternRewriter &rewriter, Location loc, Value v,
                  ArrayRef<int64_t> shape) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.getElementType().isF32())
    return {};
  if (type.getShape() == shape)
    return v;
  DenseElementsAttr data;
  if (!matchPattern(v, m_Constant(&data)))
    return {};
  auto target = RankedTensorType::get(shape, type.getElementType());
  if (data.isSplat())
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(target, data.getSplatValue<Attribute>()));
  if (data.getNumElements() != target.getNumElements())
    return {};
  // Leading dims of size 1 only: [1, 1, C] against [C].
  ArrayRef<int64_t> from = type.getShape();
  size_t lead = from.size() - std::min(from.size(), shape.size());
  if (llvm::any_of(from.take_front(lead), [](int64_t d) { return d != 1; }))
    return {};
  return arith::ConstantOp::create(rewriter, loc, data.reshape(target));
}

struct NormPattern : RewritePattern {
  NormPattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<DivOp, MulOp>(op))
      return failure();
    // The normalization, with the affine part after it when there is one.
    Value y = op->getResult(0);
    auto norm = matchNorm(y);
    if (!norm || !fits(op, norm->x))
      return failure();
    if (y.hasOneUse() && isa<MulOp, AddOp>(*y.getUsers().begin()))
      if (succeeded(rewriteAffine(*y.getUsers().begin(), y, *norm, rewriter)))
        return success();
    rewriter.setInsertionPoint(op);
    auto type = cast<RankedTensorType>(norm->x.getType());
    SmallVector<int64_t> shape(type.getShape().drop_front(norm->axis));
    Value ones = arith::ConstantOp::create(
        rewriter, op->getLoc(),
        DenseElementsAttr::get(
            RankedTensorType::get(shape, rewriter.getF32Type()), 1.0f));
    rewriter.replaceOp(op, create(rewriter, op, *norm, ones, Value()));
    return success();
  }

  static Value create(PatternRewriter &rewriter, Operation *root,
                      const NormMatch &norm, Value gamma, Value beta) {
    return LayerNormOp::create(rewriter, root->getLoc(), root->getResultTypes(),
                               norm.x, gamma, beta,
                               rewriter.getI64IntegerAttr(norm.axis),
                               rewriter.getF32FloatAttr(float(norm.epsilon)),
                               norm.rms ? rewriter.getUnitAttr() : UnitAttr());
  }

  /// `norm * gamma [+ beta]` or `norm + beta` at `user`.
  LogicalResult rewriteAffine(Operation *user, Value y, const NormMatch &norm,
                              PatternRewriter &rewriter) const {
    Value other = otherOperand(user, y);
    if (!other || user->getResult(0).getType() != norm.x.getType())
      return failure();
    auto type = cast<RankedTensorType>(norm.x.getType());
    SmallVector<int64_t> shape(type.getShape().drop_front(norm.axis));
    Operation *root = user;
    Value gamma, beta;
    rewriter.setInsertionPoint(user);
    if (isa<MulOp>(user)) {
      gamma = asParameter(rewriter, user->getLoc(), other, shape);
      if (!gamma)
        return failure();
      Value scaled = user->getResult(0);
      if (scaled.hasOneUse())
        if (auto add = dyn_cast<AddOp>(*scaled.getUsers().begin())) {
          Value b = otherOperand(add, scaled);
          if (b && add.getType() == norm.x.getType()) {
            rewriter.setInsertionPoint(add);
            beta = asParameter(rewriter, add.getLoc(), b, shape);
            if (beta)
              root = add;
          }
        }
    } else {
      beta = asParameter(rewriter, user->getLoc(), other, shape);
      if (!beta)
        return failure();
      gamma = arith::ConstantOp::create(
          rewriter, user->getLoc(),
          DenseElementsAttr::get(
              RankedTensorType::get(shape, rewriter.getF32Type()), 1.0f));
    }
    rewriter.setInsertionPoint(root);
    rewriter.replaceOp(root, create(rewriter, root, norm, gamma, beta));
    return success();
  }
};

struct RecognizePatternsPass
    : public mlir::qc::impl::QCRecognizePatternsBase<RecognizePatternsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<UnitScalePattern, HardSigmoidPattern, GatedPattern,
                 HardSwishScaledPattern, GeluPattern, NormPattern>(
        &getContext());
    populateAffineFoldingPatterns(patterns);
    // Only the patterns: no folding, no constant hoisting, no region
    // simplification, so that what is not matched stays as it was.
    GreedyRewriteConfig config;
    config.enableFolding(false)
        .enableConstantCSE(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
