//===- Products.cpp - Lowering of convolution and matmul ------------------===//
//
// The reference lowering of qc.conv2d and qc.matmul: a reduction generic
// (i32 accumulation of zero-point-shifted products for quantized operands,
// f32 for float ones) and a requantization epilogue. The micro-kernels
// lower the qc.packed_* ops qc-select-kernels makes of eligible products
// (Kernels.cpp); this file never calls them.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

Value lowering::reshapeBuffer(OpBuilder &b, Location loc, Value buffer,
                              ArrayRef<int64_t> shape) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getShape() == shape)
    return buffer;
  auto newType = MemRefType::get(shape, type.getElementType());
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int d = int(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return memref::ReinterpretCastOp::create(b, loc, newType, buffer, 0, shape,
                                           strides);
}

StorageRange lowering::getProductOutputRange(Operation *op) {
  auto type = getPerTensorType(op->getResult(0).getType());
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return getClampedStorageRange(type, conv.getClampMinAttr(),
                                  conv.getClampMaxAttr());
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return getClampedStorageRange(type, matmul.getClampMinAttr(),
                                  matmul.getClampMaxAttr());
  return getStorageRange(type);
}

void lowering::emitRequantEpilogue(LoweringState &state, Location loc,
                                   Value acc, Value result, unsigned channelDim,
                                   Value bias, ArrayRef<float> multipliers,
                                   Type outputType, StorageRange range) {
  OpBuilder &b = state.builder;
  auto type = cast<MemRefType>(result.getType());
  unsigned rank = type.getRank();
  auto out = getPerTensorType(outputType);
  unsigned bits = out.getStorageTypeIntegralWidth();
  bool exact = isExactAccumulatorOutput(outputType, multipliers);
  int64_t channels = type.getDimSize(channelDim);
  SmallVector<float> m(multipliers);
  if (m.size() == 1 && channels > 1)
    m.assign(channels, m.front());
  Value mult = state.getConstantBuffer(
      loc, DenseElementsAttr::get(
               RankedTensorType::get({channels}, b.getF32Type()),
               ArrayRef<float>(m)));
  SmallVector<Value> inputs = {acc, mult};
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap ch = axisMap(b.getContext(), rank, channelDim);
  SmallVector<AffineMap> maps = {id, ch};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(ch);
  }
  maps.push_back(id);
  int64_t zp = out.getZeroPoint();
  buildGeneric(
      b, loc, inputs, result, maps, parallelIterators(rank),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value a = args[0];
        if (bias)
          a = arith::AddIOp::create(nb, l, a, args[2]);
        Value y;
        if (exact) {
          y = a;
        } else {
          Value f = arith::SIToFPOp::create(nb, l, nb.getF32Type(), a);
          y = emitRoundClampToStorage(
              nb, l, arith::MulFOp::create(nb, l, f, args[1]),
              constantOf(nb, l, nb.getI64Type(), zp), range, bits);
        }
        linalg::YieldOp::create(nb, l, y);
      });
}

Value lowering::weightZeroPoints(LoweringState &state, Location loc,
                                 Type weight, ArrayRef<int64_t> shape) {
  SmallVector<QuantParams> params = getQuantParams(getQuantElementType(weight));
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  SmallVector<int32_t> zps;
  for (int64_t c = 0; c < n; ++c)
    zps.push_back(int32_t(params[params.size() == 1 ? 0 : c].zeroPoint));
  return state.getConstantBuffer(
      loc, DenseElementsAttr::get(
               RankedTensorType::get(shape, state.builder.getI32Type()),
               ArrayRef<int32_t>(zps)));
}

Value lowering::multiplyAccumulate(OpBuilder &b, Location l, Value acc, Value x,
                                   Value w, Value zw, const ElementInfo &xi,
                                   const ElementInfo &wi, int64_t zx) {
  if (xi.isFloat())
    return math::FmaOp::create(b, l, x, w, acc);
  Type i32 = b.getI32Type();
  Value xs = arith::SubIOp::create(b, l, extendInteger(b, l, x, xi.isUnsigned, i32),
                                   constantOf(b, l, i32, zx));
  Value ws = arith::SubIOp::create(b, l, extendInteger(b, l, w, wi.isUnsigned, i32),
                                   zw);
  return arith::AddIOp::create(b, l, acc, arith::MulIOp::create(b, l, xs, ws));
}

namespace {

struct ConvLowering : OpLowering {
  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &options) const override {
    auto op = cast<Conv2DOp>(o);
    SmallVector<MemRefType> scratch;
    Builder b(op.getContext());
    auto in = op.getInput().getType();
    auto out = op.getType();
    if (isQuantized(out))
      scratch.push_back(MemRefType::get(out.getShape(), b.getI32Type()));
    ArrayRef<int64_t> pads = op.getPads();
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; }))
      scratch.push_back(MemRefType::get(
          {in.getDimSize(0), in.getDimSize(1),
           in.getDimSize(2) + pads[0] + pads[2],
           in.getDimSize(3) + pads[1] + pads[3]},
          getElementInfo(in).storage));
    return scratch;
  }

  LogicalResult lower(Operation *operation,
                      LoweringState &state) const override {
    auto op = cast<Conv2DOp>(operation);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    auto inType = op.getInput().getType();
    auto wType = op.getWeight().getType();
    auto outType = op.getType();
    ElementInfo xi = getElementInfo(inType), wi = getElementInfo(wType);
    bool quantized = !xi.isFloat();
    int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
    int64_t o = wType.getDimSize(0), kh = wType.getDimSize(2),
            kw = wType.getDimSize(3);
    int64_t g = op.getGroups(), cg = c / g, og = o / g;
    int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
    ArrayRef<int64_t> pads = op.getPads();
    unsigned next = 0;
    Value acc = quantized ? state.scratch[next++] : state.result;

    // Padded input (padding is the zero point: it contributes nothing).
    int64_t zx = quantized ? getPerTensorType(inType).getZeroPoint() : 0;
    Value input = state.operands[0];
    int64_t hp = inType.getDimSize(2), wp = inType.getDimSize(3);
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; })) {
      Value padded = state.scratch[next++];
      emitFill(b, loc, padded,
               quantized ? constantOf(b, loc, xi.storage, zx)
                         : constantOf(b, loc, xi.storage, 0.0));
      hp += pads[0] + pads[2];
      wp += pads[1] + pads[3];
      Value interior = memref::SubViewOp::create(
          b, loc, padded, SmallVector<int64_t>{0, 0, pads[0], pads[1]},
          inType.getShape(), SmallVector<int64_t>{1, 1, 1, 1});
      emitCopy(b, loc, input, interior);
      input = padded;
    }

    // Initialize the accumulator: 0, or the f32 bias.
    if (quantized) {
      emitFill(b, loc, acc, constantOf(b, loc, b.getI32Type(), int64_t(0)));
    } else if (op.getBias()) {
      emitPointwise(b, loc,
                    {reshapeBuffer(b, loc, state.operands[2],
                                   SmallVector<int64_t>{o, 1, 1})},
                    acc, [](OpBuilder &, Location, ValueRange args) {
                      return args[0];
                    });
    } else {
      emitFill(b, loc, acc, constantOf(b, loc, b.getF32Type(), 0.0));
    }

    Value x5 = reshapeBuffer(b, loc, input, SmallVector<int64_t>{n, g, cg, hp, wp});
    Value w5 = reshapeBuffer(b, loc, state.operands[1],
                             SmallVector<int64_t>{g, og, cg, kh, kw});
    Value acc5 = reshapeBuffer(b, loc, acc, SmallVector<int64_t>{n, g, og, oh, ow});
    SmallVector<Value> inputs = {x5, w5};
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    int64_t sh = op.getStrides()[0], sw = op.getStrides()[1];
    int64_t dh = op.getDilations()[0], dw = op.getDilations()[1];
    // Dims: n g oc oh ow | ic kh kw
    SmallVector<AffineMap> maps = {
        AffineMap::get(8, 0, {d(0), d(1), d(5), d(3) * sh + d(6) * dh,
                              d(4) * sw + d(7) * dw}, ctx),
        AffineMap::get(8, 0, {d(1), d(2), d(5), d(6), d(7)}, ctx)};
    if (quantized) {
      inputs.push_back(weightZeroPoints(state, loc, wType, {g, og}));
      maps.push_back(AffineMap::get(8, 0, {d(1), d(2)}, ctx));
    }
    maps.push_back(AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx));
    SmallVector<utils::IteratorType> iterators = parallelIterators(5);
    iterators.append(3, utils::IteratorType::reduction);
    buildGeneric(b, loc, inputs, acc5, maps, iterators,
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   Value zw = quantized ? args[2] : Value();
                   linalg::YieldOp::create(
                       nb, l,
                       multiplyAccumulate(nb, l, args.back(), args[0], args[1],
                                          zw, xi, wi, zx));
                 });
    if (quantized)
      emitRequantEpilogue(state, loc, acc, state.result, /*channelDim=*/1,
                          op.getBias() ? state.operands[2] : Value(),
                          getRequantMultipliers(inType, wType, outType, o),
                          outType, getProductOutputRange(op));
    return success();
  }
};

struct MatMulLowering : OpLowering {
  /// The output shape with the unit dims a rank-1 operand implies.
  static SmallVector<int64_t> normalizedOutput(MatMulOp op) {
    auto lhs = op.getLhs().getType(), rhs = op.getRhs().getType();
    SmallVector<int64_t> shape(op.getType().getShape());
    if (lhs.getRank() == 1)
      shape.insert(shape.end() - (rhs.getRank() == 1 ? 0 : 1), 1);
    if (rhs.getRank() == 1)
      shape.push_back(1);
    return shape;
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &options) const override {
    auto op = cast<MatMulOp>(o);
    if (!isQuantized(op.getType()))
      return {};
    return {MemRefType::get(normalizedOutput(op),
                            IntegerType::get(op.getContext(), 32))};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<MatMulOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
    ElementInfo xi = getElementInfo(lhsType), wi = getElementInfo(rhsType);
    bool quantized = !xi.isFloat();
    SmallVector<int64_t> lhsShape(lhsType.getShape()), rhsShape(rhsType.getShape());
    if (lhsShape.size() == 1)
      lhsShape.insert(lhsShape.begin(), 1);
    if (rhsShape.size() == 1)
      rhsShape.push_back(1);
    SmallVector<int64_t> outShape = normalizedOutput(op);
    unsigned rank = outShape.size();
    unsigned batch = rank - 2;
    int64_t nCols = outShape.back();

    Value lhs = reshapeBuffer(b, loc, state.operands[0], lhsShape);
    Value rhs = reshapeBuffer(b, loc, state.operands[1], rhsShape);
    Value result = reshapeBuffer(b, loc, state.result, outShape);
    Value acc = quantized ? state.scratch[0] : result;

    // Dims: batch... m n k.
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto operandMap = [&](ArrayRef<int64_t> shape, AffineExpr r0,
                          AffineExpr r1) {
      SmallVector<AffineExpr> exprs;
      unsigned ob = shape.size() - 2;
      for (unsigned i = 0; i < ob; ++i) {
        unsigned j = batch - ob + i;
        exprs.push_back(shape[i] == 1 && outShape[j] != 1
                            ? getAffineConstantExpr(0, ctx)
                            : d(j));
      }
      exprs.push_back(r0);
      exprs.push_back(r1);
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<Value> inputs = {lhs, rhs};
    SmallVector<AffineMap> maps = {
        operandMap(lhsShape, d(batch), d(batch + 2)),
        operandMap(rhsShape, d(batch + 2), d(batch + 1))};
    if (quantized) {
      inputs.push_back(weightZeroPoints(state, loc, rhsType, {nCols}));
      maps.push_back(AffineMap::get(rank + 1, 0, {d(batch + 1)}, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (unsigned i = 0; i < rank; ++i)
      outExprs.push_back(d(i));
    maps.push_back(AffineMap::get(rank + 1, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.push_back(utils::IteratorType::reduction);

    if (quantized) {
      emitFill(b, loc, acc, constantOf(b, loc, b.getI32Type(), int64_t(0)));
    } else if (op.getBias()) {
      emitPointwise(b, loc, {state.operands[2]}, acc,
                    [](OpBuilder &, Location, ValueRange args) {
                      return args[0];
                    });
    } else {
      emitFill(b, loc, acc, constantOf(b, loc, b.getF32Type(), 0.0));
    }
    int64_t zx = quantized ? getPerTensorType(lhsType).getZeroPoint() : 0;
    buildGeneric(b, loc, inputs, acc, maps, iterators,
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   Value zw = quantized ? args[2] : Value();
                   linalg::YieldOp::create(
                       nb, l,
                       multiplyAccumulate(nb, l, args.back(), args[0], args[1],
                                          zw, xi, wi, zx));
                 });
    if (quantized)
      emitRequantEpilogue(
          state, loc, acc, result, rank - 1,
          op.getBias() ? state.operands[2] : Value(),
          getRequantMultipliers(lhsType, rhsType, op.getType(), nCols),
          op.getType(), getProductOutputRange(op));
    return success();
  }
};

} // namespace

void lowering::populateProductLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<Conv2DOp>(std::make_unique<ConvLowering>());
  patterns.add<MatMulOp>(std::make_unique<MatMulLowering>());
}
