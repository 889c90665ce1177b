//===- Logic.cpp - Lowering of the bool and integer qc ops ----------------===//
//
// qc.compare, qc.select, qc.logical, qc.not, qc.cast and qc.mod, and the
// integer forms of qc.add/sub/mul/div/max/min, as pointwise generics with
// numpy broadcasting (emitPointwise). Buffers hold signless integers, so
// the signedness of ui8 (and of i1, which compares and extends as
// unsigned) comes from the tensor types. Integer division and remainder
// never trap: a divisor of 0 (and the overflowing signed min / -1) is
// replaced before the division and the result fixed after it, as the op
// descriptions define.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

/// Whether a plain (non-quantized) integer element type is read as
/// unsigned: ui8, and i1 (false < true, zero-extended).
bool isUnsignedElement(Type tensorType) {
  auto it = dyn_cast<IntegerType>(getElementTypeOrSelf(tensorType));
  return it && (it.isUnsigned() || it.getWidth() == 1);
}

bool isPlainInteger(Type tensorType) {
  return isa<IntegerType>(getElementTypeOrSelf(tensorType));
}

Value intConstant(OpBuilder &b, Location l, Type type, int64_t v) {
  return arith::ConstantOp::create(b, l, b.getIntegerAttr(type, v));
}

//===----------------------------------------------------------------------===//
// Comparison, selection, logic
//===----------------------------------------------------------------------===//

/// numpy's comparisons: ordered for f32 (NaN compares false) except `ne`,
/// which is unordered (NaN compares true).
Value emitCompare(OpBuilder &b, Location l, ComparePredicate p, Value x,
                  Value y, bool isFloat, bool isUnsigned) {
  if (isFloat) {
    arith::CmpFPredicate fp;
    switch (p) {
    case ComparePredicate::eq:
      fp = arith::CmpFPredicate::OEQ;
      break;
    case ComparePredicate::ne:
      fp = arith::CmpFPredicate::UNE;
      break;
    case ComparePredicate::lt:
      fp = arith::CmpFPredicate::OLT;
      break;
    case ComparePredicate::le:
      fp = arith::CmpFPredicate::OLE;
      break;
    case ComparePredicate::gt:
      fp = arith::CmpFPredicate::OGT;
      break;
    case ComparePredicate::ge:
      fp = arith::CmpFPredicate::OGE;
      break;
    }
    return arith::CmpFOp::create(b, l, fp, x, y);
  }
  arith::CmpIPredicate ip;
  switch (p) {
  case ComparePredicate::eq:
    ip = arith::CmpIPredicate::eq;
    break;
  case ComparePredicate::ne:
    ip = arith::CmpIPredicate::ne;
    break;
  case ComparePredicate::lt:
    ip = isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt;
    break;
  case ComparePredicate::le:
    ip = isUnsigned ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle;
    break;
  case ComparePredicate::gt:
    ip = isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt;
    break;
  case ComparePredicate::ge:
    ip = isUnsigned ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge;
    break;
  }
  return arith::CmpIOp::create(b, l, ip, x, y);
}

struct CompareLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<CompareOp>(o);
    Type lhs = op.getLhs().getType();
    bool isFloat = isa<FloatType>(getElementTypeOrSelf(lhs));
    bool isUnsigned = isUnsignedElement(lhs);
    ComparePredicate p = op.getPredicate();
    emitPointwise(
        state.builder, op.getLoc(), {state.operands[0], state.operands[1]},
        state.result, [&](OpBuilder &b, Location l, ValueRange args) {
          return emitCompare(b, l, p, args[0], args[1], isFloat, isUnsigned);
        });
    return success();
  }
};

struct SelectLowering : OpLowering {
  LogicalResult lower(Operation *op, LoweringState &state) const override {
    emitPointwise(state.builder, op->getLoc(), state.operands, state.result,
                  [](OpBuilder &b, Location l, ValueRange args) -> Value {
                    return arith::SelectOp::create(b, l, args[0], args[1],
                                                   args[2]);
                  });
    return success();
  }
};

struct LogicalLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<LogicalOp>(o);
    LogicalKind kind = op.getKind();
    emitPointwise(state.builder, op.getLoc(),
                  {state.operands[0], state.operands[1]}, state.result,
                  [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                    switch (kind) {
                    case LogicalKind::and_:
                      return arith::AndIOp::create(b, l, args[0], args[1]);
                    case LogicalKind::or_:
                      return arith::OrIOp::create(b, l, args[0], args[1]);
                    case LogicalKind::xor_:
                      break;
                    }
                    return arith::XOrIOp::create(b, l, args[0], args[1]);
                  });
    return success();
  }
};

struct NotLowering : OpLowering {
  LogicalResult lower(Operation *op, LoweringState &state) const override {
    emitPointwise(state.builder, op->getLoc(), {state.operands[0]},
                  state.result,
                  [](OpBuilder &b, Location l, ValueRange args) -> Value {
                    Value one = intConstant(b, l, b.getI1Type(), 1);
                    return arith::XOrIOp::create(b, l, args[0], one);
                  });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

/// f32 -> integer of `bits` (unsigned when `isUnsigned`): truncated toward
/// zero, NaN -> 0, out-of-range values (and +-inf) saturated. The bounds
/// 2^(bits-1) and 2^bits are exact in f32, so the range tests are exact;
/// fptosi only sees values it converts without overflow.
Value emitFloatToInt(OpBuilder &b, Location l, Value x, unsigned bits,
                     bool isUnsigned) {
  Type f32 = x.getType();
  Type i64 = b.getI64Type();
  double top = isUnsigned ? std::ldexp(1.0, bits) : std::ldexp(1.0, bits - 1);
  double bottom = isUnsigned ? -1.0 : -std::ldexp(1.0, bits - 1);
  int64_t maxValue = isUnsigned ? int64_t((uint64_t(1) << bits) - 1)
                                : int64_t((uint64_t(1) << (bits - 1)) - 1);
  int64_t minValue = isUnsigned ? 0 : -int64_t(maxValue) - 1;
  Value hi = constantOf(b, l, f32, top), lo = constantOf(b, l, f32, bottom);
  Value tooHigh = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x, hi);
  // Unsigned targets take (-1, 2^bits): -0.5 truncates to 0.
  Value tooLow = arith::CmpFOp::create(
      b, l, isUnsigned ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT,
      x, lo);
  Value inRange = arith::AndIOp::create(
      b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, hi),
      arith::CmpFOp::create(b, l,
                            isUnsigned ? arith::CmpFPredicate::OGT
                                       : arith::CmpFPredicate::OGE,
                            x, lo));
  Value safe =
      arith::SelectOp::create(b, l, inRange, x, constantOf(b, l, f32, 0.0));
  Value v = arith::FPToSIOp::create(b, l, i64, safe);
  v = arith::SelectOp::create(b, l, tooLow, intConstant(b, l, i64, minValue),
                              v);
  v = arith::SelectOp::create(b, l, tooHigh, intConstant(b, l, i64, maxValue),
                              v);
  if (bits == 64)
    return v;
  return arith::TruncIOp::create(b, l, b.getIntegerType(bits), v);
}

/// One element converted from the element type of `from` to that of `to`
/// (tensor types), per qc.cast's description.
Value emitCast(OpBuilder &b, Location l, Value x, Type from, Type to) {
  Type src = getElementTypeOrSelf(from), dst = getElementTypeOrSelf(to);
  bool srcFloat = isa<FloatType>(src), dstFloat = isa<FloatType>(dst);
  bool srcUnsigned = isUnsignedElement(from);
  if (dst.isInteger(1)) {
    if (srcFloat)
      return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, x,
                                   constantOf(b, l, x.getType(), 0.0));
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, x,
                                 intConstant(b, l, x.getType(), 0));
  }
  if (dstFloat) {
    if (srcFloat)
      return x;
    if (srcUnsigned)
      return arith::UIToFPOp::create(b, l, dst, x);
    return arith::SIToFPOp::create(b, l, dst, x);
  }
  unsigned bits = dst.getIntOrFloatBitWidth();
  if (srcFloat)
    return emitFloatToInt(b, l, x, bits, isUnsignedElement(to));
  return extendInteger(b, l, x, srcUnsigned, b.getIntegerType(bits));
}

struct CastLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<CastOp>(o);
    Type from = op.getInput().getType(), to = op.getType();
    emitPointwise(state.builder, op.getLoc(), {state.operands[0]}, state.result,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    return emitCast(b, l, args[0], from, to);
                  });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer arithmetic and modulus
//===----------------------------------------------------------------------===//

enum class IntOp { Add, Sub, Mul, Div, Max, Min };

/// The divisor of an integer division or remainder with the cases that
/// would trap (0, and -1 for signed operands, whose quotient can overflow)
/// replaced by 1; `isZero` and `isMinusOne` say which case it was.
struct SafeDivisor {
  Value divisor, isZero, isMinusOne;
};
SafeDivisor makeSafeDivisor(OpBuilder &b, Location l, Value y,
                            bool isUnsigned) {
  Type t = y.getType();
  SafeDivisor s;
  s.isZero = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, y,
                                   intConstant(b, l, t, 0));
  Value replace = s.isZero;
  if (!isUnsigned) {
    s.isMinusOne = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, y,
                                         intConstant(b, l, t, -1));
    replace = arith::OrIOp::create(b, l, replace, s.isMinusOne);
  }
  s.divisor =
      arith::SelectOp::create(b, l, replace, intConstant(b, l, t, 1), y);
  return s;
}

Value emitIntBinary(OpBuilder &b, Location l, IntOp kind, Value x, Value y,
                    bool isUnsigned) {
  switch (kind) {
  case IntOp::Add:
    return arith::AddIOp::create(b, l, x, y);
  case IntOp::Sub:
    return arith::SubIOp::create(b, l, x, y);
  case IntOp::Mul:
    return arith::MulIOp::create(b, l, x, y);
  case IntOp::Max:
    return isUnsigned ? (Value)arith::MaxUIOp::create(b, l, x, y)
                      : (Value)arith::MaxSIOp::create(b, l, x, y);
  case IntOp::Min:
    return isUnsigned ? (Value)arith::MinUIOp::create(b, l, x, y)
                      : (Value)arith::MinSIOp::create(b, l, x, y);
  case IntOp::Div:
    break;
  }
  Type t = x.getType();
  SafeDivisor s = makeSafeDivisor(b, l, y, isUnsigned);
  Value zero = intConstant(b, l, t, 0);
  if (isUnsigned) {
    Value q = arith::DivUIOp::create(b, l, x, s.divisor);
    return arith::SelectOp::create(b, l, s.isZero, zero, q);
  }
  // x / -1 is -x (min / -1 wraps to min); x / 0 is 0.
  Value q = arith::DivSIOp::create(b, l, x, s.divisor);
  q = arith::SelectOp::create(b, l, s.isMinusOne,
                              arith::SubIOp::create(b, l, zero, x), q);
  return arith::SelectOp::create(b, l, s.isZero, zero, q);
}

/// qc.add/sub/mul/div/max/min on integer tensors; preferred over the float
/// lowering of Elementwise.cpp, which takes the f32 and quantized forms.
struct IntegerBinaryLowering : OpLowering {
  IntOp kind;
  explicit IntegerBinaryLowering(IntOp kind) : kind(kind) {}

  LogicalResult match(Operation *op, const LoweringOptions &,
                      std::string &why) const override {
    if (isPlainInteger(op->getResult(0).getType()))
      return success();
    why = "not an integer op (the float lowering takes it)";
    return failure();
  }

  LogicalResult lower(Operation *op, LoweringState &state) const override {
    bool isUnsigned = isUnsignedElement(op->getResult(0).getType());
    emitPointwise(
        state.builder, op->getLoc(), {state.operands[0], state.operands[1]},
        state.result, [&](OpBuilder &b, Location l, ValueRange args) {
          return emitIntBinary(b, l, kind, args[0], args[1], isUnsigned);
        });
    return success();
  }
};

/// The remainder of truncated division (fmod) or of floored division (the
/// sign of the divisor), without trapping on a divisor of 0 or -1 (both
/// give 0).
Value emitIntMod(OpBuilder &b, Location l, Value x, Value y, bool isUnsigned,
                 bool fmod) {
  SafeDivisor s = makeSafeDivisor(b, l, y, isUnsigned);
  if (isUnsigned)
    return arith::RemUIOp::create(b, l, x, s.divisor);
  Value r = arith::RemSIOp::create(b, l, x, s.divisor);
  if (fmod)
    return r;
  Type t = x.getType();
  Value zero = intConstant(b, l, t, 0);
  Value nonZero =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, r, zero);
  Value rNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, zero);
  Value yNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, y, zero);
  Value signsDiffer = arith::XOrIOp::create(b, l, rNeg, yNeg);
  Value adjust = arith::AndIOp::create(b, l, nonZero, signsDiffer);
  return arith::SelectOp::create(b, l, adjust,
                                 arith::AddIOp::create(b, l, r, y), r);
}

struct ModLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ModOp>(o);
    Type type = op.getType();
    bool isFloat = isa<FloatType>(getElementTypeOrSelf(type));
    bool isUnsigned = isUnsignedElement(type);
    bool fmod = op.getFmod();
    emitPointwise(state.builder, op.getLoc(),
                  {state.operands[0], state.operands[1]}, state.result,
                  [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                    // frem is C's fmod: the sign of the dividend.
                    if (isFloat)
                      return arith::RemFOp::create(b, l, args[0], args[1]);
                    return emitIntMod(b, l, args[0], args[1], isUnsigned, fmod);
                  });
    return success();
  }
};

} // namespace

void lowering::populateLogicLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<CompareOp, CompareLowering>();
  patterns.add<SelectOp, SelectLowering>();
  patterns.add<LogicalOp, LogicalLowering>();
  patterns.add<NotOp, NotLowering>();
  patterns.add<CastOp, CastLowering>();
  patterns.add<ModOp, ModLowering>();
  // Benefit 2: tried before the f32/quantized lowering of the same ops.
  auto integer = [&](auto op, IntOp kind) {
    using OpT = decltype(op);
    patterns.add<OpT>(std::make_unique<IntegerBinaryLowering>(kind),
                      /*benefit=*/2);
  };
  integer(AddOp(), IntOp::Add);
  integer(SubOp(), IntOp::Sub);
  integer(MulOp(), IntOp::Mul);
  integer(DivOp(), IntOp::Div);
  integer(MaxOp(), IntOp::Max);
  integer(MinOp(), IntOp::Min);
}
