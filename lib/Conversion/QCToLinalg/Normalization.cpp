//===- Normalization.cpp - Lowering of softmax and layer normalization ----===//
//
// Reductions into "keepdims" buffers (the reduced dims of size 1), then
// pointwise passes that broadcast them back, all in f32. Quantized operands
// are dequantized on read and the result quantized on write.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

/// `shape` with the dims in [from, to) set to 1.
SmallVector<int64_t> keepDims(ArrayRef<int64_t> shape, unsigned from,
                              unsigned to) {
  SmallVector<int64_t> result(shape);
  for (unsigned d = from; d < to; ++d)
    result[d] = 1;
  return result;
}

/// Reduces `input` into `acc` (keepdims over [from, to)): acc = body(acc, x).
void emitReduce(OpBuilder &b, Location loc, Value input, Value acc,
                unsigned from, unsigned to,
                function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto type = cast<MemRefType>(input.getType());
  unsigned rank = type.getRank();
  SmallVector<AffineExpr> exprs;
  SmallVector<utils::IteratorType> iterators;
  for (unsigned d = 0; d < rank; ++d) {
    bool reduced = d >= from && d < to;
    exprs.push_back(reduced ? getAffineConstantExpr(0, b.getContext())
                            : getAffineDimExpr(d, b.getContext()));
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
  }
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, exprs, b.getContext())};
  buildGeneric(b, loc, input, acc, maps, iterators,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, body(nb, l, args[1], args[0]));
               });
}

/// Row-wise loops for normalizations over the innermost dims: a buffer of
/// `outer * count` elements is viewed as [outer, count], and per row the
/// reductions carry their accumulator in a register (scf.for iter_args) and
/// the pointwise loops see the row's statistics as SSA values. (Reading
/// them from a workspace buffer inside the loop would be a loop-invariant
/// load LLVM cannot separate from the stores into the same workspace, and
/// keeps those loops from vectorizing.)
class RowLoops {
public:
  RowLoops(OpBuilder &b, Location loc, int64_t count)
      : b(b), loc(loc), count(count) {}

  Value rows(Value buffer, int64_t outer) {
    return reshapeBuffer(b, loc, buffer, {outer, count});
  }

  /// acc = body(acc, k) for k in [0, count), from `init`.
  Value reduce(Value init,
               function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
    auto loop = scf::ForOp::create(b, loc, idx(0), idx(count), idx(1), init);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(loop.getBody());
    scf::YieldOp::create(
        b, loc, body(b, loc, loop.getRegionIterArgs()[0],
                     loop.getInductionVar()));
    return loop.getResult(0);
  }

  /// body(k) for k in [0, count).
  void forEach(function_ref<void(OpBuilder &, Location, Value)> body) {
    auto loop = scf::ForOp::create(b, loc, idx(0), idx(count), idx(1));
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(loop.getBody());
    body(b, loc, loop.getInductionVar());
  }

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

private:
  OpBuilder &b;
  Location loc;
  int64_t count;
};

/// Emits `body(row)` inside a loop over the `outer` rows.
void forEachRow(OpBuilder &b, Location loc, int64_t outer,
                function_ref<void(Value)> body) {
  auto loop = scf::ForOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0),
      arith::ConstantIndexOp::create(b, loc, outer),
      arith::ConstantIndexOp::create(b, loc, 1));
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(loop.getBody());
  body(loop.getInductionVar());
}

struct SoftmaxLowering : OpLowering {
  static unsigned axisOf(SoftmaxOp op) {
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    return axis < 0 ? axis + rank : axis;
  }

  /// Whether the softmax runs along contiguous rows (the axis is the last
  /// dim, or only size-1 dims follow it).
  static bool isInnermost(SoftmaxOp op) {
    ArrayRef<int64_t> shape = op.getInput().getType().getShape();
    for (unsigned d = axisOf(op) + 1; d < shape.size(); ++d)
      if (shape[d] != 1)
        return false;
    return true;
  }

  /// Per row: the max (in order), exp(x - max) into the row buffer, their
  /// sum (in order), then each exponential divided by the sum: the same
  /// operations in the same order as the general form below.
  static void lowerRows(SoftmaxOp op, LoweringState &state,
                        const ElementInfo &in, const ElementInfo &out,
                        const ParamOperands &p) {
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    auto type = op.getInput().getType();
    int64_t count = type.getDimSize(axisOf(op));
    int64_t outer = type.getNumElements() / count;
    Type f32 = b.getF32Type();
    RowLoops rows(b, loc, count);
    Value x = rows.rows(state.operands[0], outer);
    Value y = rows.rows(state.result, outer);
    Value exps = state.scratch[0];
    forEachRow(b, loc, outer, [&](Value r) {
      auto read = [&](OpBuilder &nb, Location l, Value k) {
        Value v = memref::LoadOp::create(nb, l, x, ValueRange{r, k});
        return toFloat(nb, l, v, in, p);
      };
      Value max = rows.reduce(
          constantOf(b, loc, f32, -std::numeric_limits<double>::infinity()),
          [&](OpBuilder &nb, Location l, Value acc, Value k) {
            return (Value)arith::MaximumFOp::create(nb, l, acc,
                                                    read(nb, l, k));
          });
      rows.forEach([&](OpBuilder &nb, Location l, Value k) {
        Value e = math::ExpOp::create(
            nb, l, arith::SubFOp::create(nb, l, read(nb, l, k), max));
        memref::StoreOp::create(nb, l, e, exps, k);
      });
      Value sum = rows.reduce(
          constantOf(b, loc, f32, 0.0),
          [&](OpBuilder &nb, Location l, Value acc, Value k) {
            Value e = memref::LoadOp::create(nb, l, exps, k);
            return (Value)arith::AddFOp::create(nb, l, acc, e);
          });
      rows.forEach([&](OpBuilder &nb, Location l, Value k) {
        Value e = memref::LoadOp::create(nb, l, exps, k);
        Value v = fromFloat(nb, l, arith::DivFOp::create(nb, l, e, sum), out);
        memref::StoreOp::create(nb, l, v, y, ValueRange{r, k});
      });
    });
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<SoftmaxOp>(o);
    Builder b(op.getContext());
    ArrayRef<int64_t> shape = op.getInput().getType().getShape();
    unsigned axis = axisOf(op);
    if (isInnermost(op)) // One row of exponentials.
      return {MemRefType::get({shape[axis]}, b.getF32Type())};
    auto reduced = MemRefType::get(keepDims(shape, axis, axis + 1),
                                   b.getF32Type());
    return {reduced, reduced, MemRefType::get(shape, b.getF32Type())};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<SoftmaxOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    unsigned axis = axisOf(op);
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    ParamOperands p;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    Type f32 = b.getF32Type();
    if (isInnermost(op)) {
      lowerRows(op, state, in, out, p);
      return success();
    }
    Value max = state.scratch[0], sum = state.scratch[1], exps = state.scratch[2];

    emitFill(b, loc, max,
             constantOf(b, loc, f32, -std::numeric_limits<double>::infinity()));
    emitReduce(b, loc, state.operands[0], max, axis, axis + 1,
               [&](OpBuilder &nb, Location l, Value acc, Value x) {
                 return (Value)arith::MaximumFOp::create(
                     nb, l, acc, toFloat(nb, l, x, in, p));
               });
    emitPointwise(b, loc, {state.operands[0], max}, exps,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    Value x = toFloat(nb, l, args[0], in, p);
                    return (Value)math::ExpOp::create(
                        nb, l, arith::SubFOp::create(nb, l, x, args[1]));
                  });
    emitFill(b, loc, sum, constantOf(b, loc, f32, 0.0));
    emitReduce(b, loc, exps, sum, axis, axis + 1,
               [](OpBuilder &nb, Location l, Value acc, Value x) {
                 return (Value)arith::AddFOp::create(nb, l, acc, x);
               });
    emitPointwise(b, loc, {exps, sum}, state.result,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    return fromFloat(
                        nb, l, arith::DivFOp::create(nb, l, args[0], args[1]),
                        out);
                  });
    return success();
  }
};

struct LayerNormLowering : OpLowering {
  static unsigned axisOf(LayerNormOp op) {
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    return axis < 0 ? axis + rank : axis;
  }

  SmallVector<MemRefType> getScratch(Operation *,
                                     const LoweringOptions &) const override {
    return {};
  }

  /// The normalized dims [axis, rank) are contiguous: per row, the mean
  /// (sum in order / n), the biased variance (sum of squared differences in
  /// order / n), sqrt(variance + epsilon), then
  /// ((x - mean) / stddev) * scale (+ bias), all in f32. With `rms` the
  /// mean is not computed and not subtracted.
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<LayerNormOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    unsigned rank = inType.getRank();
    unsigned axis = axisOf(op);
    int64_t count = 1;
    for (unsigned d = axis; d < rank; ++d)
      count *= inType.getDimSize(d);
    int64_t outer = inType.getNumElements() / count;
    ElementInfo in = getElementInfo(inType);
    ElementInfo gi = getElementInfo(op.getScale().getType());
    ElementInfo out = getElementInfo(op.getType());
    ElementInfo bi;
    ParamOperands p, gp, bp;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    if (gi.quant)
      gp = getParamOperands(state, loc, gi.quant);
    if (op.getBias()) {
      bi = getElementInfo(op.getBias().getType());
      if (bi.quant)
        bp = getParamOperands(state, loc, bi.quant);
    }
    Type f32 = b.getF32Type();
    Value n = constantOf(b, loc, f32, double(count));
    double eps = op.getEpsilon().convertToDouble();
    Value epsilon = constantOf(b, loc, f32, double(float(eps)));
    RowLoops rows(b, loc, count);
    Value x = rows.rows(state.operands[0], outer);
    Value y = rows.rows(state.result, outer);
    Value gamma = rows.rows(state.operands[1], 1);
    Value beta = op.getBias() ? rows.rows(state.operands[2], 1) : Value();
    forEachRow(b, loc, outer, [&](Value r) {
      auto read = [&](OpBuilder &nb, Location l, Value k) {
        Value v = memref::LoadOp::create(nb, l, x, ValueRange{r, k});
        return toFloat(nb, l, v, in, p);
      };
      Value zero = constantOf(b, loc, f32, 0.0);
      // x - mean, or x itself for RMSNorm.
      Value mean;
      if (!op.getRms()) {
        Value sum = rows.reduce(
            zero, [&](OpBuilder &nb, Location l, Value acc, Value k) {
              return (Value)arith::AddFOp::create(nb, l, acc, read(nb, l, k));
            });
        mean = arith::DivFOp::create(b, loc, sum, n);
      }
      auto centered = [&](OpBuilder &nb, Location l, Value k) -> Value {
        Value v = read(nb, l, k);
        return mean ? (Value)arith::SubFOp::create(nb, l, v, mean) : v;
      };
      Value squares = rows.reduce(zero, [&](OpBuilder &nb, Location l,
                                            Value acc, Value k) {
        Value d = centered(nb, l, k);
        return (Value)arith::AddFOp::create(
            nb, l, acc, arith::MulFOp::create(nb, l, d, d));
      });
      Value stddev = math::SqrtOp::create(
          b, loc,
          arith::AddFOp::create(b, loc,
                                arith::DivFOp::create(b, loc, squares, n),
                                epsilon));
      Value c0 = rows.idx(0);
      rows.forEach([&](OpBuilder &nb, Location l, Value k) {
        Value v = arith::DivFOp::create(nb, l, centered(nb, l, k), stddev);
        Value g = memref::LoadOp::create(nb, l, gamma, ValueRange{c0, k});
        v = arith::MulFOp::create(nb, l, v, toFloat(nb, l, g, gi, gp));
        if (beta) {
          Value bv = memref::LoadOp::create(nb, l, beta, ValueRange{c0, k});
          v = arith::AddFOp::create(nb, l, v, toFloat(nb, l, bv, bi, bp));
        }
        memref::StoreOp::create(nb, l, fromFloat(nb, l, v, out), y,
                                ValueRange{r, k});
      });
    });
    return success();
  }
};

struct ReduceMeanLowering : OpLowering {
  static SmallVector<int64_t> keptShape(ReduceMeanOp op, int64_t &count) {
    auto type = op.getInput().getType();
    SmallVector<int64_t> shape(type.getShape());
    count = 1;
    for (int64_t a : op.getAxes()) {
      int64_t d = a < 0 ? a + type.getRank() : a;
      count *= shape[d];
      shape[d] = 1;
    }
    return shape;
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<ReduceMeanOp>(o);
    int64_t count;
    return {MemRefType::get(keptShape(op, count),
                            Float32Type::get(op.getContext()))};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ReduceMeanOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    int64_t count;
    SmallVector<int64_t> kept = keptShape(op, count);
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    ParamOperands p;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    Value sum = state.scratch[0];
    auto type = op.getInput().getType();
    unsigned rank = type.getRank();
    SmallVector<AffineExpr> exprs;
    SmallVector<utils::IteratorType> iterators;
    for (unsigned d = 0; d < rank; ++d) {
      bool isAxis = llvm::any_of(op.getAxes(), [&](int64_t a) {
        return (a < 0 ? a + rank : a) == d;
      });
      exprs.push_back(isAxis ? getAffineConstantExpr(0, b.getContext())
                             : getAffineDimExpr(d, b.getContext()));
      iterators.push_back(isAxis ? utils::IteratorType::reduction
                                 : utils::IteratorType::parallel);
    }
    emitFill(b, loc, sum, constantOf(b, loc, b.getF32Type(), 0.0));
    buildGeneric(b, loc, state.operands[0], sum,
                 {b.getMultiDimIdentityMap(rank),
                  AffineMap::get(rank, 0, exprs, b.getContext())},
                 iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
                   Value x = toFloat(nb, l, args[0], in, p);
                   Value next = arith::AddFOp::create(nb, l, args[1], x);
                   linalg::YieldOp::create(nb, l, next);
                 });
    Value n = constantOf(b, loc, b.getF32Type(), double(count));
    emitPointwise(b, loc, {sum}, reshapeBuffer(b, loc, state.result, kept),
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    return fromFloat(
                        nb, l, arith::DivFOp::create(nb, l, args[0], n), out);
                  });
    return success();
  }
};

/// lo = min(0, min x), hi = max(0, max x), scale = (hi - lo) / 255,
/// zp = saturate(rint(-lo / scale)), then a runtime-parameter quantize.
struct DynamicQuantizeLowering : OpLowering {
  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto f32 = Float32Type::get(o->getContext());
    return {MemRefType::get({}, f32), MemRefType::get({}, f32)};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<DynamicQuantizeOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    Type f32 = b.getF32Type();
    Value lo = state.scratch[0], hi = state.scratch[1];
    unsigned rank = op.getInput().getType().getRank();
    SmallVector<utils::IteratorType> all(rank, utils::IteratorType::reduction);
    AffineMap id = b.getMultiDimIdentityMap(rank);
    AffineMap scalar = AffineMap::get(rank, 0, {}, b.getContext());
    // Starting from 0 includes 0 in the range, as the definition asks.
    emitFill(b, loc, lo, constantOf(b, loc, f32, 0.0));
    emitFill(b, loc, hi, constantOf(b, loc, f32, 0.0));
    buildGeneric(b, loc, state.operands[0], ValueRange{lo, hi},
                 {id, scalar, scalar}, all,
                 [](OpBuilder &nb, Location l, ValueRange args) {
                   linalg::YieldOp::create(
                       nb, l,
                       ValueRange{
                           arith::MinNumFOp::create(nb, l, args[1], args[0]),
                           arith::MaxNumFOp::create(nb, l, args[2], args[0])});
                 });
    Value l = memref::LoadOp::create(b, loc, lo);
    Value h = memref::LoadOp::create(b, loc, hi);
    Value scale = arith::DivFOp::create(b, loc,
                                        arith::SubFOp::create(b, loc, h, l),
                                        constantOf(b, loc, f32, 255.0));
    Value zpf = arith::DivFOp::create(b, loc, arith::NegFOp::create(b, loc, l),
                                      scale);
    // A zero scale (an all-zero tensor) gives zero point 0.
    Value zero = constantOf(b, loc, f32, 0.0);
    Value isZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                         scale, zero);
    zpf = arith::SelectOp::create(b, loc, isZero, zero, zpf);
    Value zp = emitRoundClampToStorage(
        b, loc, zpf, constantOf(b, loc, b.getI64Type(), int64_t(0)),
        StorageRange::get(8, false), 8);
    memref::StoreOp::create(b, loc, scale, state.results[1]);
    memref::StoreOp::create(b, loc, zp, state.results[2]);
    Value zp64 = arith::ExtUIOp::create(b, loc, b.getI64Type(), zp);
    emitPointwise(b, loc, {state.operands[0]}, state.results[0],
                  [&](OpBuilder &nb, Location lc, ValueRange args) {
                    return emitQuantize(nb, lc, args[0], scale, zp64,
                                        StorageRange::get(8, false), 8);
                  });
    return success();
  }
};

} // namespace

void lowering::populateNormalizationLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<SoftmaxOp>(std::make_unique<SoftmaxLowering>());
  patterns.add<LayerNormOp>(std::make_unique<LayerNormLowering>());
  patterns.add<ReduceMeanOp>(std::make_unique<ReduceMeanLowering>());
  patterns.add<DynamicQuantizeOp>(std::make_unique<DynamicQuantizeLowering>());
}
