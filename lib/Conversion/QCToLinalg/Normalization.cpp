//===- Normalization.cpp - Lowering of softmax and layer normalization ----===//
//
// Reductions into "keepdims" buffers (the reduced dims of size 1), then
// pointwise passes that broadcast them back, all in f32. Quantized operands
// are dequantized on read and the result quantized on write.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"

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

struct SoftmaxLowering : OpLowering {
  static unsigned axisOf(SoftmaxOp op) {
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    return axis < 0 ? axis + rank : axis;
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<SoftmaxOp>(o);
    Builder b(op.getContext());
    ArrayRef<int64_t> shape = op.getInput().getType().getShape();
    unsigned axis = axisOf(op);
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
    Value max = state.scratch[0], sum = state.scratch[1], exps = state.scratch[2];
    Type f32 = b.getF32Type();

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

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<LayerNormOp>(o);
    Builder b(op.getContext());
    ArrayRef<int64_t> shape = op.getInput().getType().getShape();
    auto reduced = MemRefType::get(keepDims(shape, axisOf(op), shape.size()),
                                   b.getF32Type());
    return {reduced, reduced};
  }

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
    Value mean = state.scratch[0], stddev = state.scratch[1];
    Type f32 = b.getF32Type();
    Value n = constantOf(b, loc, f32, double(count));
    auto add = [&](OpBuilder &nb, Location l, Value acc, Value x) {
      return (Value)arith::AddFOp::create(nb, l, acc, x);
    };

    emitFill(b, loc, mean, constantOf(b, loc, f32, 0.0));
    emitReduce(b, loc, state.operands[0], mean, axis, rank,
               [&](OpBuilder &nb, Location l, Value acc, Value x) {
                 return add(nb, l, acc, toFloat(nb, l, x, in, p));
               });
    emitPointwise(b, loc, {mean}, mean,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    return (Value)arith::DivFOp::create(nb, l, args[0], n);
                  });
    // The biased variance, then sqrt(var + epsilon).
    emitFill(b, loc, stddev, constantOf(b, loc, f32, 0.0));
    {
      SmallVector<AffineExpr> exprs;
      SmallVector<utils::IteratorType> iterators;
      for (unsigned d = 0; d < rank; ++d) {
        bool reduced = d >= axis;
        exprs.push_back(reduced ? getAffineConstantExpr(0, b.getContext())
                                : getAffineDimExpr(d, b.getContext()));
        iterators.push_back(reduced ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      }
      AffineMap keep = AffineMap::get(rank, 0, exprs, b.getContext());
      buildGeneric(b, loc, {state.operands[0], mean}, stddev,
                   {b.getMultiDimIdentityMap(rank), keep, keep}, iterators,
                   [&](OpBuilder &nb, Location l, ValueRange args) {
                     Value x = toFloat(nb, l, args[0], in, p);
                     Value d = arith::SubFOp::create(nb, l, x, args[1]);
                     linalg::YieldOp::create(
                         nb, l,
                         add(nb, l, args[2], arith::MulFOp::create(nb, l, d, d)));
                   });
    }
    double eps = op.getEpsilon().convertToDouble();
    emitPointwise(b, loc, {stddev}, stddev,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    Value var = arith::DivFOp::create(nb, l, args[0], n);
                    return (Value)math::SqrtOp::create(
                        nb, l,
                        arith::AddFOp::create(
                            nb, l, var,
                            constantOf(nb, l, f32, double(float(eps)))));
                  });
    SmallVector<Value> inputs = {state.operands[0], mean, stddev,
                                 state.operands[1]};
    if (op.getBias())
      inputs.push_back(state.operands[2]);
    emitPointwise(b, loc, inputs, state.result,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    Value x = toFloat(nb, l, args[0], in, p);
                    Value y = arith::DivFOp::create(
                        nb, l, arith::SubFOp::create(nb, l, x, args[1]),
                        args[2]);
                    y = arith::MulFOp::create(nb, l, y,
                                              toFloat(nb, l, args[3], gi, gp));
                    if (args.size() > 4)
                      y = arith::AddFOp::create(
                          nb, l, y, toFloat(nb, l, args[4], bi, bp));
                    return fromFloat(nb, l, y, out);
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

void lowering::registerNormalizationLowerings(LoweringRegistry &registry) {
  registry["qc.softmax"] = std::make_unique<SoftmaxLowering>();
  registry["qc.layer_norm"] = std::make_unique<LayerNormLowering>();
  registry["qc.reduce_mean"] = std::make_unique<ReduceMeanLowering>();
  registry["qc.dynamic_quantize"] = std::make_unique<DynamicQuantizeLowering>();
}
