//===- Reductions.cpp - Lowering of qc.reduce and the norms built on it ---===//
//
// qc.reduce and qc.log_softmax accumulate in f32 into "kept" buffers (the
// input's shape with the reduced dims of size 1) with one reduction generic
// each, then a pointwise pass finishes the value (sqrt, log, ...) and
// quantizes it. Quantized maxima and minima with the operand's parameters
// compare storage integers straight into the result. qc.group_norm works
// on the contiguous rows of one (sample, group) each: mean and variance as
// loop-carried sums, then the normalization channel by channel.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

/// A reduction generic over `inputs[0]`'s dims: `inputs[0]` is read at
/// every index, the other inputs and `acc` at the kept index (dims in
/// `reduced` fixed at 0); `body(args)` returns the new accumulator from
/// the input elements and the old one (the last argument).
void emitKeptReduction(
    OpBuilder &b, Location loc, ValueRange inputs, Value acc,
    ArrayRef<bool> reduced,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = reduced.size();
  SmallVector<AffineExpr> kept;
  SmallVector<utils::IteratorType> iterators;
  for (unsigned d = 0; d < rank; ++d) {
    kept.push_back(reduced[d] ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(d, ctx));
    iterators.push_back(reduced[d] ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
  }
  AffineMap keptMap = AffineMap::get(rank, 0, kept, ctx);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  maps.append(inputs.size(), keptMap);
  buildGeneric(b, loc, inputs, acc, maps, iterators,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, body(nb, l, args));
               });
}

Value infinity(OpBuilder &b, Location loc, bool negative) {
  double inf = std::numeric_limits<double>::infinity();
  return constantOf(b, loc, b.getF32Type(), negative ? -inf : inf);
}

struct ReduceLowering : OpLowering {
  static bool isMaxOrMin(ReduceOp op) {
    return op.getKind() == ReduceKind::Max || op.getKind() == ReduceKind::Min;
  }

  /// Max/min of quantized values with the operand's own parameters:
  /// storage integers compared directly (quantization is monotone).
  static bool comparesStorage(ReduceOp op) {
    return isMaxOrMin(op) && isQuantized(op.getType()) &&
           op.getInput().getType().getElementType() ==
               op.getType().getElementType();
  }

  /// Whether the f32 accumulator needs a finishing step.
  static bool needsFinish(ReduceOp op) {
    return op.getKind() == ReduceKind::L2 ||
           op.getKind() == ReduceKind::LogSum ||
           op.getKind() == ReduceKind::LogSumExp;
  }

  /// Whether the accumulation happens in the result buffer itself.
  static bool accumulatesInResult(ReduceOp op) {
    return comparesStorage(op) ||
           (!isQuantized(op.getType()) && !needsFinish(op));
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<ReduceOp>(o);
    auto type =
        MemRefType::get(op.getKeptShape(), Float32Type::get(op.getContext()));
    SmallVector<MemRefType> scratch;
    if (!accumulatesInResult(op))
      scratch.push_back(type);
    if (op.getKind() == ReduceKind::LogSumExp) // The maxima.
      scratch.push_back(type);
    return scratch;
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ReduceOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    ReduceKind kind = op.getKind();
    SmallVector<int64_t> kept = op.getKeptShape();
    SmallVector<bool> reduced;
    for (int64_t d = 0, e = kept.size(); d < e; ++d)
      reduced.push_back(op.isReduced(d));
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    Value input = state.operands[0];
    Value result = reshapeBuffer(b, loc, state.result, kept);

    if (comparesStorage(op)) {
      bool isMax = kind == ReduceKind::Max;
      StorageRange range = getStorageRange(in.quant);
      emitFill(b, loc, result,
               constantOf(b, loc, in.storage, isMax ? range.min : range.max));
      emitKeptReduction(
          b, loc, input, result, reduced,
          [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
            Value x = args[0], acc = args[1];
            if (isMax)
              return in.isUnsigned
                         ? (Value)arith::MaxUIOp::create(nb, l, acc, x)
                         : (Value)arith::MaxSIOp::create(nb, l, acc, x);
            return in.isUnsigned ? (Value)arith::MinUIOp::create(nb, l, acc, x)
                                 : (Value)arith::MinSIOp::create(nb, l, acc, x);
          });
      return success();
    }

    ParamOperands p;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    Type f32 = b.getF32Type();
    Value acc = accumulatesInResult(op) ? result : state.scratch[0];
    auto read = [&](OpBuilder &nb, Location l, Value v) {
      return toFloat(nb, l, v, in, p);
    };

    // log_sum_exp: the maxima first, then sum(exp(x - max)).
    Value maxima;
    if (kind == ReduceKind::LogSumExp) {
      maxima = state.scratch[1];
      emitFill(b, loc, maxima, infinity(b, loc, /*negative=*/true));
      emitKeptReduction(b, loc, input, maxima, reduced,
                        [&](OpBuilder &nb, Location l, ValueRange args) {
                          return (Value)arith::MaximumFOp::create(
                              nb, l, args[1], read(nb, l, args[0]));
                        });
    }

    double init = 0.0;
    if (kind == ReduceKind::Prod)
      init = 1.0;
    Value start = constantOf(b, loc, f32, init);
    if (kind == ReduceKind::Max || kind == ReduceKind::Min)
      start = infinity(b, loc, /*negative=*/kind == ReduceKind::Max);
    emitFill(b, loc, acc, start);
    SmallVector<Value> inputs = {input};
    if (maxima)
      inputs.push_back(maxima);
    emitKeptReduction(
        b, loc, inputs, acc, reduced,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value x = read(nb, l, args[0]), a = args.back();
          switch (kind) {
          case ReduceKind::Sum:
          case ReduceKind::LogSum:
            return arith::AddFOp::create(nb, l, a, x);
          case ReduceKind::SumSquare:
          case ReduceKind::L2:
            return arith::AddFOp::create(nb, l, a,
                                         arith::MulFOp::create(nb, l, x, x));
          case ReduceKind::L1:
            return arith::AddFOp::create(nb, l, a,
                                         math::AbsFOp::create(nb, l, x));
          case ReduceKind::LogSumExp:
            return arith::AddFOp::create(
                nb, l, a,
                math::ExpOp::create(nb, l,
                                    arith::SubFOp::create(nb, l, x, args[1])));
          case ReduceKind::Prod:
            return arith::MulFOp::create(nb, l, a, x);
          case ReduceKind::Max:
            return arith::MaximumFOp::create(nb, l, a, x);
          case ReduceKind::Min:
            return arith::MinimumFOp::create(nb, l, a, x);
          }
          llvm_unreachable("unknown reduction");
        });
    if (acc == result)
      return success();

    SmallVector<Value> finishInputs = {acc};
    if (maxima)
      finishInputs.push_back(maxima);
    emitPointwise(b, loc, finishInputs, result,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    Value v = args[0];
                    if (kind == ReduceKind::L2) {
                      v = math::SqrtOp::create(nb, l, v);
                    } else if (kind == ReduceKind::LogSum) {
                      v = math::LogOp::create(nb, l, v);
                    } else if (kind == ReduceKind::LogSumExp) {
                      // An infinite maximum is the result (and would give NaN
                      // in x - max).
                      Value m = args[1];
                      Value shifted = arith::AddFOp::create(
                          nb, l, m, math::LogOp::create(nb, l, v));
                      Value isInf = arith::CmpFOp::create(
                          nb, l, arith::CmpFPredicate::OEQ,
                          math::AbsFOp::create(nb, l, m),
                          infinity(nb, l, /*negative=*/false));
                      v = arith::SelectOp::create(nb, l, isInf, m, shifted);
                    }
                    return fromFloat(nb, l, v, out);
                  });
    return success();
  }
};

/// x - max - log(sum(exp(x - max))) along the axis, through keepdims
/// buffers of the maxima and the sums.
struct LogSoftmaxLowering : OpLowering {
  static SmallVector<bool> reducedDims(LogSoftmaxOp op) {
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<bool> reduced(rank, false);
    reduced[axis] = true;
    return reduced;
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<LogSoftmaxOp>(o);
    SmallVector<int64_t> kept(op.getInput().getType().getShape());
    for (auto [d, r] : llvm::enumerate(reducedDims(op)))
      if (r)
        kept[d] = 1;
    auto type = MemRefType::get(kept, Float32Type::get(op.getContext()));
    return {type, type};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<LogSoftmaxOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    SmallVector<bool> reduced = reducedDims(op);
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    ParamOperands p;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    Value input = state.operands[0];
    Value max = state.scratch[0], sum = state.scratch[1];
    emitFill(b, loc, max, infinity(b, loc, /*negative=*/true));
    emitKeptReduction(b, loc, input, max, reduced,
                      [&](OpBuilder &nb, Location l, ValueRange args) {
                        return (Value)arith::MaximumFOp::create(
                            nb, l, args[1], toFloat(nb, l, args[0], in, p));
                      });
    emitFill(b, loc, sum, constantOf(b, loc, b.getF32Type(), 0.0));
    emitKeptReduction(b, loc, {input, max}, sum, reduced,
                      [&](OpBuilder &nb, Location l, ValueRange args) {
                        Value x = toFloat(nb, l, args[0], in, p);
                        Value e = math::ExpOp::create(
                            nb, l, arith::SubFOp::create(nb, l, x, args[1]));
                        return (Value)arith::AddFOp::create(nb, l, args[2], e);
                      });
    emitPointwise(b, loc, {input, max, sum}, state.result,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    Value x = toFloat(nb, l, args[0], in, p);
                    Value shifted = arith::SubFOp::create(nb, l, x, args[1]);
                    Value y = arith::SubFOp::create(
                        nb, l, shifted, math::LogOp::create(nb, l, args[2]));
                    return fromFloat(nb, l, y, out);
                  });
    return success();
  }
};

/// A loop over [0, count) carrying one f32 value: acc = body(acc, k).
Value emitSum(OpBuilder &b, Location loc, int64_t count, Value init,
              function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto idx = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto loop = scf::ForOp::create(b, loc, idx(0), idx(count), idx(1), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  scf::YieldOp::create(
      b, loc,
      body(b, loc, loop.getRegionIterArgs()[0], loop.getInductionVar()));
  return loop.getResult(0);
}

/// body(k) for k in [0, count).
void emitLoop(OpBuilder &b, Location loc, int64_t count,
              function_ref<void(Value)> body) {
  auto loop =
      scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                         arith::ConstantIndexOp::create(b, loc, count),
                         arith::ConstantIndexOp::create(b, loc, 1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  body(loop.getInductionVar());
}

/// Per (sample, group) row of C/G * S contiguous elements (S spatial
/// positions): mean = sum / count and var = sum((x - mean)^2) / count (in
/// order), then per channel of the group and position
/// ((x - mean) / sqrt(var + epsilon)) * scale + bias.
struct GroupNormLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<GroupNormOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
    int64_t groups = static_cast<int64_t>(op.getGroups());
    int64_t cg = c / groups;
    int64_t spatial = inType.getNumElements() / (n * c);
    int64_t count = cg * spatial;
    bool perGroup = op.getScale().getType().getDimSize(0) != c;
    bool biasPerGroup = op.getBias().getType().getDimSize(0) != c;
    ElementInfo in = getElementInfo(inType);
    ElementInfo out = getElementInfo(op.getType());
    ElementInfo gi = getElementInfo(op.getScale().getType());
    ElementInfo bi = getElementInfo(op.getBias().getType());
    ParamOperands p, gp, bp;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    if (gi.quant)
      gp = getParamOperands(state, loc, gi.quant);
    if (bi.quant)
      bp = getParamOperands(state, loc, bi.quant);
    Type f32 = b.getF32Type();
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value x = reshapeBuffer(b, loc, state.operands[0],
                            SmallVector<int64_t>{n * groups, count});
    Value y = reshapeBuffer(b, loc, state.result,
                            SmallVector<int64_t>{n * groups, count});
    Value gamma = state.operands[1], beta = state.operands[2];
    Value total = constantOf(b, loc, f32, double(count));
    Value epsilon =
        constantOf(b, loc, f32, double(op.getEpsilon().convertToFloat()));
    emitLoop(b, loc, n * groups, [&](Value r) {
      auto read = [&](OpBuilder &nb, Location l, Value k) {
        Value v = memref::LoadOp::create(nb, l, x, ValueRange{r, k});
        return toFloat(nb, l, v, in, p);
      };
      Value zero = constantOf(b, loc, f32, 0.0);
      Value sum = emitSum(b, loc, count, zero,
                          [&](OpBuilder &nb, Location l, Value a, Value k) {
                            return (Value)arith::AddFOp::create(nb, l, a,
                                                                read(nb, l, k));
                          });
      Value mean = arith::DivFOp::create(b, loc, sum, total);
      Value squares =
          emitSum(b, loc, count, zero,
                  [&](OpBuilder &nb, Location l, Value a, Value k) {
                    Value d =
                        arith::SubFOp::create(nb, l, read(nb, l, k), mean);
                    return (Value)arith::AddFOp::create(
                        nb, l, a, arith::MulFOp::create(nb, l, d, d));
                  });
      Value stddev = math::SqrtOp::create(
          b, loc,
          arith::AddFOp::create(
              b, loc, arith::DivFOp::create(b, loc, squares, total), epsilon));
      Value group = arith::RemUIOp::create(b, loc, r, idx(groups));
      emitLoop(b, loc, cg, [&](Value cl) {
        Value channel = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, group, idx(cg)), cl);
        Value g =
            memref::LoadOp::create(b, loc, gamma, perGroup ? group : channel);
        Value bv = memref::LoadOp::create(b, loc, beta,
                                          biasPerGroup ? group : channel);
        g = toFloat(b, loc, g, gi, gp);
        bv = toFloat(b, loc, bv, bi, bp);
        Value base = arith::MulIOp::create(b, loc, cl, idx(spatial));
        emitLoop(b, loc, spatial, [&](Value s) {
          Value k = arith::AddIOp::create(b, loc, base, s);
          Value v = arith::DivFOp::create(
              b, loc, arith::SubFOp::create(b, loc, read(b, loc, k), mean),
              stddev);
          v = arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, v, g),
                                    bv);
          memref::StoreOp::create(b, loc, fromFloat(b, loc, v, out), y,
                                  ValueRange{r, k});
        });
      });
    });
    return success();
  }
};

/// Whether `x` is strictly better than `y` for a maximum (`max`) or a
/// minimum. Integers compare as signed numbers (unsigned for ui8 and u8
/// storage); f32 in order, with a NaN better than every number when
/// `nanIsBest` (numpy's argmax and argmin) and worse otherwise.
Value emitBetter(OpBuilder &b, Location loc, Value x, Value y,
                 const ElementInfo &info, bool max, bool nanIsBest) {
  if (!info.isFloat()) {
    arith::CmpIPredicate p =
        max ? (info.isUnsigned ? arith::CmpIPredicate::ugt
                               : arith::CmpIPredicate::sgt)
            : (info.isUnsigned ? arith::CmpIPredicate::ult
                               : arith::CmpIPredicate::slt);
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value ordered = arith::CmpFOp::create(
      b, loc, max ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x,
      y);
  Value xNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  Value yNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, y, y);
  Value one = constantOf(b, loc, b.getI1Type(), int64_t(1));
  Value nan = nanIsBest
                  ? arith::AndIOp::create(
                        b, loc, xNaN, arith::XOrIOp::create(b, loc, yNaN, one))
                  : arith::AndIOp::create(
                        b, loc, yNaN, arith::XOrIOp::create(b, loc, xNaN, one));
  return arith::OrIOp::create(b, loc, ordered, nan);
}

/// argmax / argmin: one reduction generic along the axis with two
/// accumulators, the best value so far (in the storage type) and its index.
/// A later element replaces them when it is strictly better (the first
/// index wins ties), or with select_last_index when it is not worse. A NaN
/// wins over every number for both (numpy's argmax and argmin).
template <typename OpT, bool IsMax> struct ArgExtremeLowering : OpLowering {
  static SmallVector<int64_t> keptShape(OpT op, int64_t &axis) {
    auto type = op.getInput().getType();
    axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += type.getRank();
    SmallVector<int64_t> kept(type.getShape());
    kept[axis] = 1;
    return kept;
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<OpT>(o);
    int64_t axis;
    return {MemRefType::get(keptShape(op, axis),
                            getElementInfo(op.getInput().getType()).storage)};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<OpT>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    int64_t axis;
    SmallVector<int64_t> kept = keptShape(op, axis);
    ElementInfo in = getElementInfo(op.getInput().getType());
    bool last = op.getSelectLastIndex();
    Value best = state.scratch[0];
    Value index = reshapeBuffer(b, loc, state.result, kept);
    // Start from the worst value at index 0: the first element replaces it
    // unless it is that value, whose index is then 0 anyway.
    Value worst;
    if (in.isFloat()) {
      worst = infinity(b, loc, /*negative=*/IsMax);
    } else {
      // The extreme of the storage width (i64 included), not of a narrowed
      // quantized range.
      unsigned bits = in.bits();
      APInt w = IsMax ? (in.isUnsigned ? APInt::getMinValue(bits)
                                       : APInt::getSignedMinValue(bits))
                      : (in.isUnsigned ? APInt::getMaxValue(bits)
                                       : APInt::getSignedMaxValue(bits));
      worst =
          arith::ConstantOp::create(b, loc, b.getIntegerAttr(in.storage, w));
    }
    emitFill(b, loc, best, worst);
    emitFill(b, loc, index, constantOf(b, loc, b.getI64Type(), int64_t(0)));
    SmallVector<bool> reduced(kept.size(), false);
    reduced[axis] = true;
    MLIRContext *ctx = b.getContext();
    unsigned rank = kept.size();
    SmallVector<AffineExpr> keptExprs;
    SmallVector<utils::IteratorType> iterators;
    for (unsigned d = 0; d < rank; ++d) {
      keptExprs.push_back(reduced[d] ? getAffineConstantExpr(0, ctx)
                                     : getAffineDimExpr(d, ctx));
      iterators.push_back(reduced[d] ? utils::IteratorType::reduction
                                     : utils::IteratorType::parallel);
    }
    AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, ctx);
    buildGeneric(
        b, loc, state.operands[0], ValueRange{best, index},
        {b.getMultiDimIdentityMap(rank), keptMap, keptMap}, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value x = args[0], cur = args[1], curIndex = args[2];
          // Not worse = not (cur strictly better than x).
          Value take =
              last ? arith::XOrIOp::create(
                         nb, l,
                         emitBetter(nb, l, cur, x, in, IsMax,
                                    /*nanIsBest=*/true),
                         constantOf(nb, l, nb.getI1Type(), int64_t(1)))
                   : emitBetter(nb, l, x, cur, in, IsMax, /*nanIsBest=*/true);
          Value j = arith::IndexCastOp::create(
              nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, axis));
          linalg::YieldOp::create(
              nb, l,
              ValueRange{arith::SelectOp::create(nb, l, take, x, cur),
                         arith::SelectOp::create(nb, l, take, j, curIndex)});
        });
    return success();
  }
};

/// top_k along the axis of a [outer, n, inner] view: per (outer, inner)
/// slice, each element in index order is inserted into the sorted k-list
/// held in the outputs (index -1 marks an empty slot): it goes before the
/// first entry it is strictly better than, and every entry from there on
/// moves down one place (so equal values keep their index order).
struct TopKLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<TopKOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    auto type = op.getInput().getType();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += type.getRank();
    ArrayRef<int64_t> shape = type.getShape();
    int64_t outer = product(shape.take_front(axis));
    int64_t n = shape[axis];
    int64_t inner = product(shape.drop_front(axis + 1));
    int64_t k = static_cast<int64_t>(op.getK());
    ElementInfo in = getElementInfo(type);
    bool largest = op.getLargest();
    Value x = reshapeBuffer(b, loc, state.operands[0],
                            SmallVector<int64_t>{outer, n, inner});
    Value vals = reshapeBuffer(b, loc, state.results[0],
                               SmallVector<int64_t>{outer, k, inner});
    Value idxs = reshapeBuffer(b, loc, state.results[1],
                               SmallVector<int64_t>{outer, k, inner});
    Type i64 = b.getI64Type(), i1 = b.getI1Type();
    Value empty = constantOf(b, loc, i64, int64_t(-1));
    emitFill(b, loc, idxs, empty);
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    emitLoop(b, loc, outer, [&](Value oi) {
      emitLoop(b, loc, inner, [&](Value ii) {
        emitLoop(b, loc, n, [&](Value j) {
          Value v0 = memref::LoadOp::create(b, loc, x, ValueRange{oi, j, ii});
          Value j64 = arith::IndexCastOp::create(b, loc, i64, j);
          SmallVector<Value> init = {v0, j64,
                                     constantOf(b, loc, i1, int64_t(0))};
          auto loop = scf::ForOp::create(b, loc, idx(0), idx(k), idx(1), init);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(loop.getBody());
          Value p = loop.getInductionVar();
          Value cur = loop.getRegionIterArgs()[0];
          Value curIndex = loop.getRegionIterArgs()[1];
          Value inserted = loop.getRegionIterArgs()[2];
          Value slot =
              memref::LoadOp::create(b, loc, vals, ValueRange{oi, p, ii});
          Value slotIndex =
              memref::LoadOp::create(b, loc, idxs, ValueRange{oi, p, ii});
          Value isEmpty = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::eq, slotIndex, empty);
          Value shift = arith::OrIOp::create(
              b, loc, inserted,
              arith::OrIOp::create(b, loc, isEmpty,
                                   emitBetter(b, loc, cur, slot, in, largest,
                                              /*nanIsBest=*/largest)));
          memref::StoreOp::create(
              b, loc, arith::SelectOp::create(b, loc, shift, cur, slot), vals,
              ValueRange{oi, p, ii});
          memref::StoreOp::create(
              b, loc,
              arith::SelectOp::create(b, loc, shift, curIndex, slotIndex), idxs,
              ValueRange{oi, p, ii});
          scf::YieldOp::create(
              b, loc,
              ValueRange{
                  arith::SelectOp::create(b, loc, shift, slot, cur),
                  arith::SelectOp::create(b, loc, shift, slotIndex, curIndex),
                  shift});
        });
      });
    });
    return success();
  }

  static int64_t product(ArrayRef<int64_t> dims) {
    int64_t p = 1;
    for (int64_t d : dims)
      p *= d;
    return p;
  }
};

} // namespace

void lowering::populateReductionLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<ReduceOp>(std::make_unique<ReduceLowering>());
  patterns.add<LogSoftmaxOp>(std::make_unique<LogSoftmaxLowering>());
  patterns.add<GroupNormOp>(std::make_unique<GroupNormLowering>());
  patterns.add<ArgMaxOp>(
      std::make_unique<ArgExtremeLowering<ArgMaxOp, /*IsMax=*/true>>());
  patterns.add<ArgMinOp>(
      std::make_unique<ArgExtremeLowering<ArgMinOp, /*IsMax=*/false>>());
  patterns.add<TopKOp>(std::make_unique<TopKLowering>());
}
