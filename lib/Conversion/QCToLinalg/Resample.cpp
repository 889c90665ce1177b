//===- Resample.cpp - Lowering of pad, resize, broadcast and gather -------===//
//
// The reference lowering of the data-movement ops whose index maps are not
// affine. Their source positions depend only on static shapes and
// attributes, so they are computed here at compile time (by the ops' own
// getSourceIndex/getTaps) into constant i32 tables; the run-time loop over
// the result reads a table entry per resampled dim and loads the input
// element there. Constant padding is a fill and a copy, broadcasting a
// pointwise generic. Ops that move values copy storage integers; linear and
// cubic resizing interpolate in f32, one dim per pass, with f32 scratch
// buffers between the passes.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

/// A constant i32 buffer of `shape` holding `values`.
Value indexTable(LoweringState &state, Location loc, ArrayRef<int64_t> values,
                 ArrayRef<int64_t> shape) {
  SmallVector<int32_t> v(values.begin(), values.end());
  auto type = RankedTensorType::get(shape, state.builder.getI32Type());
  return state.getConstantBuffer(loc,
                                 DenseElementsAttr::get(type, ArrayRef(v)));
}

/// Reads entry `indices` of an i32 table as an index.
Value loadIndex(OpBuilder &b, Location loc, Value table, ValueRange indices) {
  Value v = memref::LoadOp::create(b, loc, table, indices);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

/// A generic over every element of `output` (no inputs): `body` gets the
/// element's indices and returns its value.
void emitIndexed(
    OpBuilder &b, Location loc, Value output,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body) {
  unsigned rank = cast<MemRefType>(output.getType()).getRank();
  buildGeneric(b, loc, ValueRange{}, output, {b.getMultiDimIdentityMap(rank)},
               parallelIterators(rank),
               [&](OpBuilder &nb, Location l, ValueRange) {
                 SmallVector<Value> ivs;
                 for (unsigned d = 0; d < rank; ++d)
                   ivs.push_back(linalg::IndexOp::create(nb, l, d));
                 linalg::YieldOp::create(nb, l, body(nb, l, ivs));
               });
}

/// Copies into `output` the input elements that per-dim tables select:
/// output index `i` reads `input[t_0[i_0], ..., t_{r-1}[i_{r-1}]]`, where
/// a null table is the identity.
void emitTableGather(OpBuilder &b, Location loc, Value input, Value output,
                     ArrayRef<Value> tables) {
  emitIndexed(b, loc, output,
              [&](OpBuilder &nb, Location l, ArrayRef<Value> ivs) -> Value {
                SmallVector<Value> at;
                for (auto [d, iv] : llvm::enumerate(ivs))
                  at.push_back(tables[d] ? loadIndex(nb, l, tables[d], iv)
                                         : iv);
                return memref::LoadOp::create(nb, l, input, at);
              });
}

struct PadLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<PadOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    if (op.getMode() == "constant") {
      ElementInfo info = getElementInfo(inType);
      float value = op.getValue().convertToFloat();
      Value fill;
      if (info.isFloat()) {
        fill = constantOf(b, loc, info.storage, double(value));
      } else if (!info.quant) {
        // Bool and integer data: the value as an integer (the importer
        // only writes values the element type holds).
        fill = constantOf(b, loc, info.storage, static_cast<int64_t>(value));
      } else {
        auto type = cast<quant::UniformQuantizedType>(info.quant);
        fill = constantOf(b, loc, info.storage,
                          quantize(value, float(type.getScale()),
                                   type.getZeroPoint(), getStorageRange(type)));
      }
      emitFill(b, loc, state.result, fill);
      SmallVector<int64_t> strides(rank, 1);
      Value interior =
          memref::SubViewOp::create(b, loc, state.result, pads.take_front(rank),
                                    inType.getShape(), strides);
      emitCopy(b, loc, state.operands[0], interior);
      return success();
    }
    // Edge and reflect: one table per padded dim.
    SmallVector<Value> tables(rank);
    for (int64_t d = 0; d < rank; ++d) {
      if (!pads[d] && !pads[d + rank])
        continue;
      int64_t size = op.getType().getDimSize(d);
      SmallVector<int64_t> source;
      for (int64_t i = 0; i < size; ++i)
        source.push_back(op.getSourceIndex(d, i));
      tables[d] = indexTable(state, loc, source, {size});
    }
    emitTableGather(b, loc, state.operands[0], state.result, tables);
    return success();
  }
};

/// The shapes and taps of a separable interpolation, one pass per dim that
/// is not the identity.
struct Passes {
  SmallVector<unsigned> dims;
  SmallVector<ResizeOp::Taps> taps;
  /// shapes[k] is the input of pass k (shapes[0] the op's input).
  SmallVector<SmallVector<int64_t>> shapes;
};

Passes getPasses(ResizeOp op) {
  Passes p;
  p.shapes.push_back(llvm::to_vector(op.getInput().getType().getShape()));
  for (unsigned d = 0, e = op.getType().getRank(); d < e; ++d) {
    ResizeOp::Taps taps = op.getTaps(d);
    if (taps.isIdentity())
      continue;
    p.dims.push_back(d);
    p.taps.push_back(std::move(taps));
    SmallVector<int64_t> next = p.shapes.back();
    next[d] = op.getType().getDimSize(d);
    p.shapes.push_back(next);
  }
  return p;
}

struct ResizeLowering : OpLowering {
  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<ResizeOp>(o);
    if (op.getMode() == "nearest")
      return {};
    Passes p = getPasses(op);
    SmallVector<MemRefType> scratch;
    Type f32 = Float32Type::get(op.getContext());
    // Between passes: the outputs of all passes but the last.
    for (size_t k = 1; k + 1 < p.shapes.size(); ++k)
      scratch.push_back(MemRefType::get(p.shapes[k], f32));
    return scratch;
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ResizeOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    int64_t rank = op.getType().getRank();
    if (op.getMode() == "nearest") {
      SmallVector<Value> tables(rank);
      for (int64_t d = 0; d < rank; ++d) {
        ResizeOp::Taps taps = op.getTaps(d);
        if (!taps.isIdentity())
          tables[d] = indexTable(state, loc, taps.indices,
                                 {op.getType().getDimSize(d)});
      }
      emitTableGather(b, loc, state.operands[0], state.result, tables);
      return success();
    }

    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    ElementInfo f32;
    f32.storage = b.getF32Type();
    ParamOperands params;
    if (in.quant)
      params = getParamOperands(state, loc, in.quant);
    Passes p = getPasses(op);
    if (p.dims.empty()) {
      // Every dim is the identity: only the parameters may change.
      emitPointwise(b, loc, {state.operands[0]}, state.result,
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      return fromFloat(
                          nb, l, toFloat(nb, l, args[0], in, params), out);
                    });
      return success();
    }
    size_t last = p.dims.size() - 1;
    for (auto [k, d] : llvm::enumerate(p.dims)) {
      const ResizeOp::Taps &taps = p.taps[k];
      Value src = k == 0 ? state.operands[0] : state.scratch[k - 1];
      Value dst = k == last ? state.result : state.scratch[k];
      const ElementInfo &srcInfo = k == 0 ? in : f32;
      const ElementInfo &dstInfo = k == last ? out : f32;
      int64_t size = p.shapes[k + 1][d];
      Value indices = indexTable(state, loc, taps.indices, {size, taps.count});
      SmallVector<float> w(taps.weights.begin(), taps.weights.end());
      Value weights = state.getConstantBuffer(
          loc, DenseElementsAttr::get(
                   RankedTensorType::get({size, taps.count}, b.getF32Type()),
                   ArrayRef(w)));
      emitIndexed(
          b, loc, dst,
          [&](OpBuilder &nb, Location l, ArrayRef<Value> ivs) -> Value {
            SmallVector<Value> at(ivs);
            Value sum;
            for (int64_t t = 0; t < taps.count; ++t) {
              Value tap = arith::ConstantIndexOp::create(nb, l, t);
              at[d] = loadIndex(nb, l, indices, {ivs[d], tap});
              Value x = toFloat(nb, l, memref::LoadOp::create(nb, l, src, at),
                                srcInfo, params);
              Value wt = memref::LoadOp::create(nb, l, weights,
                                                ValueRange{ivs[d], tap});
              Value term = arith::MulFOp::create(nb, l, wt, x);
              sum = sum ? arith::AddFOp::create(nb, l, sum, term) : term;
            }
            return fromFloat(nb, l, sum, dstInfo);
          });
    }
    return success();
  }
};

struct BroadcastLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    emitPointwise(
        state.builder, o->getLoc(), {state.operands[0]}, state.result,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    return success();
  }
};

struct GatherLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<GatherOp>(o);
    int64_t axis = op.getNormalizedAxis();
    SmallVector<Value> tables(op.getType().getRank());
    tables[axis] = indexTable(state, op.getLoc(), op.getIndices(),
                              {static_cast<int64_t>(op.getIndices().size())});
    emitTableGather(state.builder, op.getLoc(), state.operands[0], state.result,
                    tables);
    return success();
  }
};

/// qc.take: the output element at (p, q, s) reads data[p, k, s] with k the
/// index at q, wrapped from the back when negative and clamped into the
/// dim (the op's defined handling of indices ONNX leaves undefined).
struct TakeLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<TakeOp>(o);
    int64_t axis = op.getNormalizedAxis();
    int64_t indexRank = op.getIndices().getType().getRank();
    int64_t size = op.getData().getType().getDimSize(axis);
    Value data = state.operands[0], indices = state.operands[1];
    emitIndexed(
        state.builder, op.getLoc(), state.result,
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) -> Value {
          Value raw =
              memref::LoadOp::create(b, l, indices, ivs.slice(axis, indexRank));
          Type wide = b.getI64Type();
          if (raw.getType() != wide)
            raw = arith::ExtSIOp::create(b, l, wide, raw);
          auto c = [&](int64_t v) {
            return arith::ConstantIntOp::create(b, l, wide, v).getResult();
          };
          Value negative =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, raw, c(0));
          Value wrapped = arith::SelectOp::create(
              b, l, negative, arith::AddIOp::create(b, l, raw, c(size)), raw);
          Value k = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, wrapped, c(0)), c(size - 1));
          SmallVector<Value> at(ivs.take_front(axis));
          at.push_back(arith::IndexCastOp::create(b, l, b.getIndexType(), k));
          llvm::append_range(at, ivs.drop_front(axis + indexRank));
          return memref::LoadOp::create(b, l, data, at);
        });
    return success();
  }
};

} // namespace

void lowering::populateResampleLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<PadOp>(std::make_unique<PadLowering>());
  patterns.add<ResizeOp>(std::make_unique<ResizeLowering>());
  patterns.add<BroadcastOp>(std::make_unique<BroadcastLowering>());
  patterns.add<GatherOp>(std::make_unique<GatherLowering>());
  patterns.add<TakeOp>(std::make_unique<TakeLowering>());
}
