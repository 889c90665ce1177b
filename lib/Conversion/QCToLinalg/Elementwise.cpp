//===- Elementwise.cpp - Lowering of elementwise qc ops -------------------===//
//
// add/sub/mul/div/pow/max/min (numpy broadcasting), clamp, sqrt, sigmoid,
// tanh, erf and the math functions of the ONNX activations (exp, log, abs,
// floor, ceil, round, sign, sin, cos) as pointwise generics. Quantized
// operands go through the float domain, except clamp, which clamps storage
// integers.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

template <typename FloatOp>
struct BinaryLowering : OpLowering {
  LogicalResult lower(Operation *op, LoweringState &state) const override {
    ElementInfo lhs = getElementInfo(op->getOperand(0).getType());
    ElementInfo rhs = getElementInfo(op->getOperand(1).getType());
    ElementInfo out = getElementInfo(op->getResult(0).getType());
    ParamOperands lp, rp;
    if (lhs.quant)
      lp = getParamOperands(state, op->getLoc(), lhs.quant);
    if (rhs.quant)
      rp = getParamOperands(state, op->getLoc(), rhs.quant);
    emitPointwise(state.builder, op->getLoc(),
                  {state.operands[0], state.operands[1]}, state.result,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    Value x = toFloat(b, l, args[0], lhs, lp);
                    Value y = toFloat(b, l, args[1], rhs, rp);
                    return fromFloat(b, l, FloatOp::create(b, l, x, y), out);
                  });
    return success();
  }
};

struct ClampLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ClampOp>(o);
    ElementInfo info = getElementInfo(op.getType());
    std::optional<float> lo, hi;
    if (op.getMinAttr())
      lo = op.getMinAttr().getValue().convertToFloat();
    if (op.getMaxAttr())
      hi = op.getMaxAttr().getValue().convertToFloat();
    emitPointwise(
        state.builder, op.getLoc(), {state.operands[0]}, state.result,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value v = args[0];
          if (info.isFloat()) {
            // maximumf/minimumf propagate NaN, as ONNX Relu and Clip do.
            if (lo)
              v = arith::MaximumFOp::create(
                  b, l, v, constantOf(b, l, v.getType(), double(*lo)));
            if (hi)
              v = arith::MinimumFOp::create(
                  b, l, v, constantOf(b, l, v.getType(), double(*hi)));
            return v;
          }
          // Bounds rounded into the storage domain, then an integer clamp.
          auto type = cast<quant::UniformQuantizedType>(info.quant);
          StorageRange range = getStorageRange(type);
          float scale = float(type.getScale());
          if (lo) {
            Value q = constantOf(
                b, l, v.getType(),
                quantize(*lo, scale, type.getZeroPoint(), range));
            v = info.isUnsigned ? (Value)arith::MaxUIOp::create(b, l, v, q)
                                : (Value)arith::MaxSIOp::create(b, l, v, q);
          }
          if (hi) {
            Value q = constantOf(
                b, l, v.getType(),
                quantize(*hi, scale, type.getZeroPoint(), range));
            v = info.isUnsigned ? (Value)arith::MinUIOp::create(b, l, v, q)
                                : (Value)arith::MinSIOp::create(b, l, v, q);
          }
          return v;
        });
    return success();
  }
};

/// Unary float functions; quantized operands go through the float domain.
struct UnaryLowering : OpLowering {
  std::function<Value(OpBuilder &, Location, Value)> fn;
  explicit UnaryLowering(std::function<Value(OpBuilder &, Location, Value)> fn)
      : fn(std::move(fn)) {}

  LogicalResult lower(Operation *op, LoweringState &state) const override {
    ElementInfo in = getElementInfo(op->getOperand(0).getType());
    ElementInfo out = getElementInfo(op->getResult(0).getType());
    ParamOperands p;
    if (in.quant)
      p = getParamOperands(state, op->getLoc(), in.quant);
    emitPointwise(state.builder, op->getLoc(), {state.operands[0]},
                  state.result,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    Value x = toFloat(b, l, args[0], in, p);
                    return fromFloat(b, l, fn(b, l, x), out);
                  });
    return success();
  }
};

Value sigmoid(OpBuilder &b, Location l, Value x) {
  // 1 / (1 + exp(-x))
  Value one = constantOf(b, l, x.getType(), 1.0);
  Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
  return arith::DivFOp::create(b, l, one, arith::AddFOp::create(b, l, one, e));
}

/// ONNX Sign: 1 above zero, -1 below, and the operand itself otherwise (so
/// that zeros keep their sign and NaN stays NaN).
Value sign(OpBuilder &b, Location l, Value x) {
  Value zero = constantOf(b, l, x.getType(), 0.0);
  Value positive =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, zero);
  Value negative =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, zero);
  Value y = arith::SelectOp::create(b, l, positive,
                                    constantOf(b, l, x.getType(), 1.0), x);
  return arith::SelectOp::create(b, l, negative,
                                 constantOf(b, l, x.getType(), -1.0), y);
}

/// `TrigOp` (math.sin or math.cos) of x reduced by whole turns first:
/// r = x - k * 2pi with k = round(x / 2pi), the 2pi in two parts whose
/// first has 8 significant bits, so that k * part is exact for |k| < 2^16
/// (|x| < 4e5) and r keeps x's accuracy. (The polynomial of
/// qc-approximate-math reduces by pi/2 with one f32 constant, whose error
/// grows with |x|.) The result is clamped to [-1, 1], which arguments too
/// large to reduce would leave; NaN and infinities give NaN.
template <typename TrigOp>
Value trigonometric(OpBuilder &b, Location l, Value x) {
  Type t = x.getType();
  constexpr double twoPi = 6.283185307179586476925286766559;
  constexpr double hi = 6.28125; // 2pi to 8 bits: 201 / 32
  Value k = math::RoundEvenOp::create(
      b, l, arith::MulFOp::create(b, l, x, constantOf(b, l, t, 1 / twoPi)));
  Value r = arith::SubFOp::create(
      b, l, x, arith::MulFOp::create(b, l, k, constantOf(b, l, t, hi)));
  r = arith::SubFOp::create(
      b, l, r, arith::MulFOp::create(b, l, k, constantOf(b, l, t, twoPi - hi)));
  Value y = TrigOp::create(b, l, r);
  y = arith::MaximumFOp::create(b, l, y, constantOf(b, l, t, -1.0));
  return arith::MinimumFOp::create(b, l, y, constantOf(b, l, t, 1.0));
}

/// A unary lowering that applies the math dialect op `MathOp`.
template <typename MathOp> std::unique_ptr<UnaryLowering> mathLowering() {
  return std::make_unique<UnaryLowering>(
      [](OpBuilder &b, Location l, Value x) -> Value {
        return MathOp::create(b, l, x);
      });
}

} // namespace

void lowering::populateElementwiseLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<AddOp>(std::make_unique<BinaryLowering<arith::AddFOp>>());
  patterns.add<SubOp>(std::make_unique<BinaryLowering<arith::SubFOp>>());
  patterns.add<MulOp>(std::make_unique<BinaryLowering<arith::MulFOp>>());
  patterns.add<DivOp>(std::make_unique<BinaryLowering<arith::DivFOp>>());
  patterns.add<PowOp>(std::make_unique<BinaryLowering<math::PowFOp>>());
  // maximumf/minimumf propagate NaN, as ONNX Max and Min do.
  patterns.add<MaxOp>(std::make_unique<BinaryLowering<arith::MaximumFOp>>());
  patterns.add<MinOp>(std::make_unique<BinaryLowering<arith::MinimumFOp>>());
  patterns.add<ClampOp>(std::make_unique<ClampLowering>());
  patterns.add<SqrtOp>(std::make_unique<UnaryLowering>(
      [](OpBuilder &b, Location l, Value x) -> Value {
        return math::SqrtOp::create(b, l, x);
      }));
  patterns.add<SigmoidOp>(std::make_unique<UnaryLowering>(sigmoid));
  patterns.add<TanhOp>(std::make_unique<UnaryLowering>(
      [](OpBuilder &b, Location l, Value x) -> Value {
        return math::TanhOp::create(b, l, x);
      }));
  patterns.add<ErfOp>(std::make_unique<UnaryLowering>(
      [](OpBuilder &b, Location l, Value x) -> Value {
        return math::ErfOp::create(b, l, x);
      }));
  // exp, log, sin and cos become polynomials in qc-approximate-math; abs and
  // the roundings are instructions (roundeven: ties to even, as ONNX Round).
  patterns.add<ExpOp>(mathLowering<math::ExpOp>());
  patterns.add<LogOp>(mathLowering<math::LogOp>());
  patterns.add<AbsOp>(mathLowering<math::AbsFOp>());
  patterns.add<FloorOp>(mathLowering<math::FloorOp>());
  patterns.add<CeilOp>(mathLowering<math::CeilOp>());
  patterns.add<RoundOp>(mathLowering<math::RoundEvenOp>());
  patterns.add<SignOp>(std::make_unique<UnaryLowering>(sign));
  patterns.add<SinOp>(
      std::make_unique<UnaryLowering>(trigonometric<math::SinOp>));
  patterns.add<CosOp>(
      std::make_unique<UnaryLowering>(trigonometric<math::CosOp>));
}
