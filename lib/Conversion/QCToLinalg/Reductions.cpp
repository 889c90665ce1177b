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

} // namespace

void lowering::populateReductionLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<ReduceOp>(std::make_unique<ReduceLowering>());
  patterns.add<LogSoftmaxOp>(std::make_unique<LogSoftmaxLowering>());
  patterns.add<GroupNormOp>(std::make_unique<GroupNormLowering>());
}
