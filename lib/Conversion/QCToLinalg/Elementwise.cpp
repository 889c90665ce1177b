//===- Elementwise.cpp - Lowering of elementwise qc ops -------------------===//
//
// add/sub/mul/div/pow/max/min (numpy broadcasting), clamp, sqrt, sigmoid,
// tanh, erf, the activations of qc.activation and the math functions of the
// ONNX activations (exp, log, abs, floor, ceil, round, sign, sin, cos) as
// pointwise generics. Quantized operands go through the float domain, except
// clamp, which clamps storage integers, and unary functions from 8 bits to 8
// bits, which are 256-entry tables computed at compile time.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "qc/Support/QuantMath.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

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

using FloatFn = std::function<Value(OpBuilder &, Location, Value)>;
using ReferenceFn = std::function<double(double)>;

/// Whether a unary function from `in` to `out` is a table: both 8-bit and
/// quantized per tensor.
bool isTabulated(const ElementInfo &in, const ElementInfo &out) {
  return isa_and_nonnull<quant::UniformQuantizedType>(in.quant) &&
         isa_and_nonnull<quant::UniformQuantizedType>(out.quant) &&
         in.bits() == 8 && out.bits() == 8;
}

/// The 256-entry table of `ref` from `in`'s storage values to `out`'s: entry
/// q (offset by 128 for signed storage) is
/// quantize(float(ref(dequantize(q)))), the f32 dequantization and
/// quantization of the float domain around the function evaluated in
/// double precision.
void appendTable(const ElementInfo &in, const ElementInfo &out,
                 const ReferenceFn &ref, SmallVectorImpl<int8_t> &entries) {
  auto inType = cast<quant::UniformQuantizedType>(in.quant);
  auto outType = cast<quant::UniformQuantizedType>(out.quant);
  StorageRange inRange = getStorageRange(inType);
  StorageRange outRange = getStorageRange(outType);
  int64_t first = in.isUnsigned ? 0 : -128;
  for (int64_t i = 0; i < 256; ++i) {
    int64_t q = inRange.clamp(first + i);
    float x = dequantize(q, float(inType.getScale()), inType.getZeroPoint());
    float y = float(ref(double(x)));
    int64_t r = quantize(y, float(outType.getScale()), outType.getZeroPoint(),
                         outRange);
    entries.push_back(static_cast<int8_t>(static_cast<uint8_t>(r & 0xff)));
  }
}

ReferenceFn referenceFunction(Operation *op, int64_t channel = 0);

/// The channels of an op with per-channel factors (qc.activation's
/// in_scales/out_scales, on dim 1), else 0.
int64_t channelCount(Operation *op) {
  auto act = dyn_cast<ActivationOp>(op);
  if (!act || !act.hasChannelScales())
    return 0;
  return cast<ShapedType>(act.getInput().getType()).getDimSize(1);
}

/// The op's tables, one per channel (one without per-channel factors),
/// 256 entries each, back to back.
DenseElementsAttr buildTables(Operation *op, const ElementInfo &in,
                              const ElementInfo &out) {
  int64_t channels = std::max<int64_t>(channelCount(op), 1);
  SmallVector<int8_t> entries;
  entries.reserve(256 * channels);
  for (int64_t c = 0; c < channels; ++c)
    appendTable(in, out, referenceFunction(op, c), entries);
  auto type = RankedTensorType::get({256 * channels},
                                    IntegerType::get(op->getContext(), 8));
  return DenseElementsAttr::get(type, ArrayRef<int8_t>(entries));
}

/// A constant buffer of one value per channel of `op`'s result, shaped to
/// broadcast along it: [1, C, 1, ...].
Value channelBuffer(LoweringState &state, Operation *op, Type element,
                    ArrayRef<double> values) {
  auto type = cast<ShapedType>(op->getResult(0).getType());
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[1] = values.size();
  auto tensor = RankedTensorType::get(shape, element);
  DenseElementsAttr attr;
  if (isa<FloatType>(element)) {
    SmallVector<float> v(values.begin(), values.end());
    attr = DenseElementsAttr::get(tensor, ArrayRef<float>(v));
  } else {
    SmallVector<int32_t> v;
    for (double d : values)
      v.push_back(int32_t(d));
    attr = DenseElementsAttr::get(tensor, ArrayRef<int32_t>(v));
  }
  return state.getConstantBuffer(op->getLoc(), attr);
}

/// A float function of an element and the op's per-channel operands (the
/// broadcast `extras` given to emitUnary, one element each).
using ChannelFn =
    std::function<Value(OpBuilder &, Location, Value, ValueRange)>;

/// Applies `fn` elementwise from operand 0 to the result: through the float
/// domain, or as a table of the op's reference function where both sides
/// are 8-bit quantized (a table per channel where the op has per-channel
/// factors: `extras` are then not needed).
void emitUnary(Operation *op, LoweringState &state, const ChannelFn &fn,
               ValueRange extras = {}) {
  ElementInfo in = getElementInfo(op->getOperand(0).getType());
  ElementInfo out = getElementInfo(op->getResult(0).getType());
  Location loc = op->getLoc();
  if (referenceFunction(op) && isTabulated(in, out)) {
    Value table = state.getConstantBuffer(loc, buildTables(op, in, out),
                                          /*alignment=*/64);
    SmallVector<Value> inputs{state.operands[0]};
    if (int64_t channels = channelCount(op)) {
      SmallVector<double> offsets;
      for (int64_t c = 0; c < channels; ++c)
        offsets.push_back(double(256 * c));
      inputs.push_back(
          channelBuffer(state, op, state.builder.getI32Type(), offsets));
    }
    emitPointwise(
        state.builder, loc, inputs, state.result,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type i32 = b.getI32Type();
          Value i = in.isUnsigned
                        ? (Value)arith::ExtUIOp::create(b, l, i32, args[0])
                        : (Value)arith::AddIOp::create(
                              b, l, arith::ExtSIOp::create(b, l, i32, args[0]),
                              constantOf(b, l, i32, int64_t(128)));
          if (args.size() > 1)
            i = arith::AddIOp::create(b, l, i, args[1]);
          Value index = arith::IndexCastUIOp::create(b, l, b.getIndexType(), i);
          return memref::LoadOp::create(b, l, table, index);
        });
    return;
  }
  ParamOperands p;
  if (in.quant)
    p = getParamOperands(state, loc, in.quant);
  SmallVector<Value> inputs{state.operands[0]};
  llvm::append_range(inputs, extras);
  emitPointwise(state.builder, loc, inputs, state.result,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value x = toFloat(b, l, args[0], in, p);
                  return fromFloat(b, l, fn(b, l, x, args.drop_front()), out);
                });
}

/// Unary float functions. The op's reference function (in double
/// precision) makes the 8-bit to 8-bit form a table.
struct UnaryLowering : OpLowering {
  FloatFn fn;
  explicit UnaryLowering(FloatFn fn) : fn(std::move(fn)) {}

  LogicalResult lower(Operation *op, LoweringState &state) const override {
    emitUnary(op, state, [&](OpBuilder &b, Location l, Value x, ValueRange) {
      return fn(b, l, x);
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

double sigmoidRef(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double signRef(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }

Value hardSigmoid(OpBuilder &b, Location l, Value x, Value alpha, Value beta,
                  arith::FastMathFlags fm = arith::FastMathFlags::none) {
  Type t = x.getType();
  Value v =
      arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, alpha), beta);
  v = arith::MaximumFOp::create(b, l, v, constantOf(b, l, t, 0.0), fm);
  return arith::MinimumFOp::create(b, l, v, constantOf(b, l, t, 1.0), fm);
}

double hardSigmoidRef(double x, double alpha, double beta) {
  double v = alpha * x + beta;
  return std::isnan(v) ? v : std::min(std::max(v, 0.0), 1.0);
}

/// qc.activation: the f32 body in the order of the op's description, and
/// the same function in double precision for the tables.
struct ActivationLowering : OpLowering {
  static constexpr double kSqrt2 = 1.41421356237309504880;
  static constexpr double kGeluA = 0.79788456080286535588; // sqrt(2 / pi)
  static constexpr double kGeluB = kGeluA * 0.044715;

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ActivationOp>(o);
    ActivationKind kind = op.getKind();
    double alpha = float(op.getSlope()), beta = float(op.getOffset());
    FloatFn body = [&](OpBuilder &b, Location l, Value x) -> Value {
      Type t = x.getType();
      return emitActivationFunction(b, l, x, kind, constantOf(b, l, t, alpha),
                                    constantOf(b, l, t, beta));
    };
    // The channel's input factor, f, the affine epilogue f(x) * scale +
    // shift, the channel's output factor, where given.
    FloatAttr scale = op.getScaleAttr(), shift = op.getShiftAttr();
    SmallVector<Value> extras;
    auto factors = [&](std::optional<ArrayRef<float>> values) {
      if (!values)
        return;
      SmallVector<double> v(values->begin(), values->end());
      extras.push_back(channelBuffer(state, op, state.builder.getF32Type(), v));
    };
    // (A table has the factors in its entries.)
    if (!isTabulated(getElementInfo(op.getInput().getType()),
                     getElementInfo(op.getType()))) {
      factors(op.getInScales());
      factors(op.getOutScales());
    }
    bool hasIn = bool(op.getInScalesAttr()),
         hasOut = bool(op.getOutScalesAttr());
    ChannelFn fn = [&](OpBuilder &b, Location l, Value x,
                       ValueRange per) -> Value {
      unsigned next = 0;
      if (hasIn)
        x = arith::MulFOp::create(b, l, x, per[next++]);
      Value y = body(b, l, x);
      if (scale)
        y = arith::MulFOp::create(
            b, l, y, constantOf(b, l, y.getType(), scale.getValueAsDouble()));
      if (shift)
        y = arith::AddFOp::create(
            b, l, y, constantOf(b, l, y.getType(), shift.getValueAsDouble()));
      if (hasOut)
        y = arith::MulFOp::create(b, l, y, per[next++]);
      return y;
    };
    emitUnary(op, state, fn, extras);
    return success();
  }
};

/// qc.activation's function in double precision (the tables'), with the
/// op's affine epilogue and channel `channel`'s factors.
ReferenceFn activationReference(ActivationOp op, int64_t channel) {
  constexpr double kSqrt2 = ActivationLowering::kSqrt2;
  constexpr double kGeluA = ActivationLowering::kGeluA;
  constexpr double kGeluB = ActivationLowering::kGeluB;
  ActivationKind kind = op.getKind();
  double alpha = float(op.getSlope()), beta = float(op.getOffset());
  ReferenceFn function = [=](double x) -> double {
    switch (kind) {
    case ActivationKind::HardSigmoid:
      return hardSigmoidRef(x, alpha, beta);
    case ActivationKind::HardSwish:
      return x * hardSigmoidRef(x, 1.0 / 6, 0.5);
    case ActivationKind::Silu:
      return x * sigmoidRef(x);
    case ActivationKind::Gelu:
      return 0.5 * x * (1.0 + std::erf(x / kSqrt2));
    case ActivationKind::GeluTanh:
      return 0.5 * x * (1.0 + std::tanh(x * (kGeluA + kGeluB * x * x)));
    case ActivationKind::Mish:
      return x *
             std::tanh(std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x))));
    }
    llvm_unreachable("unknown activation kind");
  };
  double postScale = op.getPostScale(), postShift = op.getPostShift();
  if (!op.hasChannelScales())
    return [=](double x) { return function(x) * postScale + postShift; };
  double in = op.getInScale(channel), out = op.getOutScale(channel);
  return [=](double x) {
    return (function(x * in) * postScale + postShift) * out;
  };
}

ReferenceFn referenceFunction(Operation *op, int64_t channel) {
  return llvm::TypeSwitch<Operation *, ReferenceFn>(op)
      .Case([](SqrtOp) { return [](double x) { return std::sqrt(x); }; })
      .Case([](SigmoidOp) { return sigmoidRef; })
      .Case([](TanhOp) { return [](double x) { return std::tanh(x); }; })
      .Case([](ErfOp) { return [](double x) { return std::erf(x); }; })
      .Case([&](ActivationOp a) { return activationReference(a, channel); })
      .Case([](ExpOp) { return [](double x) { return std::exp(x); }; })
      .Case([](LogOp) { return [](double x) { return std::log(x); }; })
      .Case([](AbsOp) { return [](double x) { return std::abs(x); }; })
      .Case([](FloorOp) { return [](double x) { return std::floor(x); }; })
      .Case([](CeilOp) { return [](double x) { return std::ceil(x); }; })
      .Case([](RoundOp) { return [](double x) { return roundHalfToEven(x); }; })
      .Case([](SignOp) { return signRef; })
      .Case([](SinOp) { return [](double x) { return std::sin(x); }; })
      .Case([](CosOp) { return [](double x) { return std::cos(x); }; })
      .Default([](Operation *) { return ReferenceFn(); });
}

/// The 8-bit table of a unary op looked up 64 bytes at a time on AVX-512
/// VBMI: the 256 entries sit in four zmm registers; `vpermi2b` picks from
/// entries 0-127 and from 128-255 by the index's low 7 bits, and the
/// index's top bit selects between the two. The same table entries as the
/// reference's scalar loads, so bit-exact with them. The last partial
/// vector is loaded and stored with masks. With per-channel tables each
/// [n, c] plane loads its channel's table and ends in its own masked tail.
struct VbmiTableLowering : OpLowering {
  LogicalResult match(Operation *op, const LoweringOptions &opts,
                      std::string &why) const override {
    if (!opts.target || !opts.target->vbmi) {
      why = "the target has no AVX-512 VBMI";
      return failure();
    }
    if (!referenceFunction(op) ||
        !isTabulated(getElementInfo(op->getOperand(0).getType()),
                     getElementInfo(op->getResult(0).getType()))) {
      why = "not an 8-bit table";
      return failure();
    }
    return success();
  }

  LogicalResult lower(Operation *op, LoweringState &state) const override {
    ElementInfo in = getElementInfo(op->getOperand(0).getType());
    ElementInfo out = getElementInfo(op->getResult(0).getType());
    OpBuilder &b = state.builder;
    Location loc = op->getLoc();
    Value src = state.operands[0], dst = state.result;
    if (!isContiguous(src) || !isContiguous(dst)) {
      emitUnary(op, state, nullptr);
      return success();
    }
    // One plane per table: the whole tensor, or each [n, c] plane with
    // per-channel tables (its table at c * 256).
    int64_t n = cast<MemRefType>(dst.getType()).getNumElements();
    int64_t channels = channelCount(op);
    int64_t planes = 1;
    if (channels) {
      ArrayRef<int64_t> shape = cast<MemRefType>(dst.getType()).getShape();
      planes = shape[0] * channels;
    }
    int64_t plane = n / planes;
    if (plane == 0)
      return success();
    src = reshapeBuffer(b, loc, src, {n});
    dst = reshapeBuffer(b, loc, dst, {n});
    Value table = state.getConstantBuffer(loc, buildTables(op, in, out),
                                          /*alignment=*/64);
    Type i8 = b.getI8Type();
    auto bytes = VectorType::get({64}, i8);
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    auto planeLoop =
        scf::ForOp::create(b, loc, index(0), index(planes), index(1));
    OpBuilder::InsertionGuard outer(b);
    b.setInsertionPointToStart(planeLoop.getBody());
    Value p = planeLoop.getInductionVar();
    Value base = arith::MulIOp::create(b, loc, p, index(plane));
    Value tableAt =
        channels
            ? (Value)arith::MulIOp::create(
                  b, loc, arith::RemUIOp::create(b, loc, p, index(channels)),
                  index(256))
            : index(0);
    Value parts[4];
    for (int64_t j = 0; j < 4; ++j)
      parts[j] = vector::LoadOp::create(
          b, loc, bytes, table,
          ValueRange{arith::AddIOp::create(b, loc, tableAt, index(64 * j))});
    auto lookUp = [&](Value v) -> Value {
      // Signed storage: entry q + 128, the byte with its top bit flipped.
      Value idx = in.isUnsigned ? v
                                : (Value)arith::XOrIOp::create(
                                      b, loc, v,
                                      constantOf(b, loc, bytes, int64_t(-128)));
      auto permute = [&](Value lo, Value hi) -> Value {
        return LLVM::CallIntrinsicOp::create(
                   b, loc, bytes,
                   StringAttr::get(b.getContext(),
                                   "llvm.x86.avx512.vpermi2var.qi.512"),
                   ValueRange{lo, idx, hi})
            .getResult(0);
      };
      Value high = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx,
                                         constantOf(b, loc, bytes, int64_t(0)));
      return arith::SelectOp::create(b, loc, high, permute(parts[2], parts[3]),
                                     permute(parts[0], parts[1]));
    };
    int64_t whole = plane / 64;
    if (whole > 0) {
      auto loop =
          scf::ForOp::create(b, loc, index(0), index(whole * 64), index(64));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      Value at = arith::AddIOp::create(b, loc, base, loop.getInductionVar());
      Value v = vector::LoadOp::create(b, loc, bytes, src, ValueRange{at});
      vector::StoreOp::create(b, loc, lookUp(v), dst, ValueRange{at});
    }
    if (int64_t rest = plane % 64) {
      auto maskType = VectorType::get({64}, b.getI1Type());
      Value mask = vector::CreateMaskOp::create(b, loc, maskType,
                                                ValueRange{index(rest)});
      Value at = arith::AddIOp::create(b, loc, base, index(whole * 64));
      Value pass = constantOf(b, loc, bytes, int64_t(0));
      Value v = vector::MaskedLoadOp::create(b, loc, bytes, src, ValueRange{at},
                                             mask, pass);
      vector::MaskedStoreOp::create(b, loc, dst, ValueRange{at}, mask,
                                    lookUp(v));
    }
    return success();
  }
};

} // namespace

Value lowering::emitActivationFunction(OpBuilder &b, Location l, Value x,
                                       ActivationKind kind, Value alpha,
                                       Value beta, arith::FastMathFlags fm) {
  Type t = x.getType();
  auto c = [&](double v) { return constantOf(b, l, t, v); };
  switch (kind) {
  case ActivationKind::HardSigmoid:
    return hardSigmoid(b, l, x, alpha, beta, fm);
  case ActivationKind::HardSwish:
    return arith::MulFOp::create(
        b, l, x, hardSigmoid(b, l, x, c(double(1.0f / 6)), c(0.5), fm));
  case ActivationKind::Silu:
    return arith::MulFOp::create(b, l, x, sigmoid(b, l, x));
  case ActivationKind::Gelu:
  case ActivationKind::GeluTanh: {
    Value inner;
    if (kind == ActivationKind::Gelu) {
      inner = math::ErfOp::create(
          b, l, arith::DivFOp::create(b, l, x, c(ActivationLowering::kSqrt2)));
    } else {
      Value x2 = arith::MulFOp::create(b, l, x, x);
      Value poly = arith::AddFOp::create(
          b, l, arith::MulFOp::create(b, l, x2, c(ActivationLowering::kGeluB)),
          c(ActivationLowering::kGeluA));
      inner = math::TanhOp::create(b, l, arith::MulFOp::create(b, l, x, poly));
    }
    Value half = arith::MulFOp::create(b, l, x, c(0.5));
    return arith::MulFOp::create(b, l, half,
                                 arith::AddFOp::create(b, l, inner, c(1.0)));
  }
  case ActivationKind::Mish: {
    Value relu = arith::MaximumFOp::create(b, l, x, c(0.0), fm);
    Value e = math::ExpOp::create(
        b, l, arith::NegFOp::create(b, l, math::AbsFOp::create(b, l, x)));
    Value softplus = arith::AddFOp::create(
        b, l, relu,
        math::LogOp::create(b, l, arith::AddFOp::create(b, l, e, c(1.0))));
    return arith::MulFOp::create(b, l, x, math::TanhOp::create(b, l, softplus));
  }
  }
  llvm_unreachable("unknown activation kind");
}

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
  auto unary = [](FloatFn fn) {
    return std::make_unique<UnaryLowering>(std::move(fn));
  };
  patterns.add<SqrtOp>(mathLowering<math::SqrtOp>());
  patterns.add<SigmoidOp>(unary(sigmoid));
  patterns.add<TanhOp>(mathLowering<math::TanhOp>());
  patterns.add<ErfOp>(mathLowering<math::ErfOp>());
  patterns.add<ActivationOp>(std::make_unique<ActivationLowering>());
  // exp, log, sin and cos become polynomials in qc-approximate-math; abs and
  // the roundings are instructions (roundeven: ties to even, as ONNX Round).
  patterns.add<ExpOp>(mathLowering<math::ExpOp>());
  patterns.add<LogOp>(mathLowering<math::LogOp>());
  patterns.add<AbsOp>(mathLowering<math::AbsFOp>());
  patterns.add<FloorOp>(mathLowering<math::FloorOp>());
  patterns.add<CeilOp>(mathLowering<math::CeilOp>());
  patterns.add<RoundOp>(mathLowering<math::RoundEvenOp>());
  patterns.add<SignOp>(unary(sign));
  patterns.add<SinOp>(unary(trigonometric<math::SinOp>));
  patterns.add<CosOp>(unary(trigonometric<math::CosOp>));
}

void lowering::populateElementwiseFastPathPatterns(LoweringPatterns &patterns) {
  auto add = [&](auto op) {
    patterns.add<decltype(op)>(std::make_unique<VbmiTableLowering>(),
                               /*benefit=*/2);
  };
  add(SqrtOp());
  add(SigmoidOp());
  add(TanhOp());
  add(ErfOp());
  add(ActivationOp());
  add(ExpOp());
  add(LogOp());
  add(AbsOp());
  add(FloorOp());
  add(CeilOp());
  add(RoundOp());
  add(SignOp());
  add(SinOp());
  add(CosOp());
}
