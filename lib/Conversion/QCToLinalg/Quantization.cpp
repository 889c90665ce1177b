//===- Quantization.cpp - Lowering of quantize, dequantize, requantize ----===//
//
// Pointwise generics with the exact arithmetic of QuantMath: typed
// (per-tensor or per-axis) and runtime-parameter forms.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

/// The map of a runtime scale/zero point buffer: rank 0 or one element
/// broadcast to every element, or one value per slice along `axis`.
AffineMap paramMap(MLIRContext *ctx, MemRefType paramType, unsigned rank,
                   std::optional<int64_t> axis) {
  if (axis)
    return axisMap(ctx, rank, *axis);
  SmallVector<AffineExpr> zeros(paramType.getRank(),
                                getAffineConstantExpr(0, ctx));
  return AffineMap::get(rank, 0, zeros, ctx);
}

std::optional<int64_t> normalizedAxis(std::optional<uint64_t> axis,
                                      unsigned rank) {
  if (!axis)
    return std::nullopt;
  int64_t a = static_cast<int64_t>(*axis);
  return a < 0 ? a + rank : a;
}

/// Gathers the inputs and maps of a quantize/dequantize: the data, then
/// scale and zero point buffers (runtime or per-axis), and returns a
/// callback reading (scale f32, zero point as i64) from the block args.
struct ParamAccess {
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  std::function<std::pair<Value, Value>(OpBuilder &, Location, ValueRange)>
      read;
};

ParamAccess getParamAccess(LoweringState &state, Location loc, Value data,
                           unsigned rank, Type quantSide, Value scaleBuf,
                           Value zpBuf, std::optional<int64_t> axis,
                           bool zpUnsigned) {
  OpBuilder &b = state.builder;
  MLIRContext *ctx = b.getContext();
  ParamAccess a;
  a.inputs.push_back(data);
  a.maps.push_back(b.getMultiDimIdentityMap(rank));
  if (scaleBuf) {
    a.inputs.push_back(scaleBuf);
    a.maps.push_back(
        paramMap(ctx, cast<MemRefType>(scaleBuf.getType()), rank, axis));
    if (zpBuf) {
      a.inputs.push_back(zpBuf);
      a.maps.push_back(
          paramMap(ctx, cast<MemRefType>(zpBuf.getType()), rank, axis));
    }
    bool hasZp = static_cast<bool>(zpBuf);
    a.read = [hasZp, zpUnsigned](OpBuilder &nb, Location l, ValueRange args) {
      Value zp = hasZp ? extendInteger(nb, l, args[2], zpUnsigned,
                                       nb.getI64Type())
                       : constantOf(nb, l, nb.getI64Type(), int64_t(0));
      return std::make_pair(args[1], zp);
    };
    return a;
  }
  ParamOperands p = getParamOperands(state, loc, getQuantElementType(quantSide));
  if (p.perAxis()) {
    a.inputs.push_back(p.scales);
    a.inputs.push_back(p.zeroPoints);
    a.maps.push_back(axisMap(ctx, rank, p.axis));
    a.maps.push_back(axisMap(ctx, rank, p.axis));
    a.read = [](OpBuilder &nb, Location l, ValueRange args) {
      return std::make_pair(
          args[1], extendInteger(nb, l, args[2], false, nb.getI64Type()));
    };
    return a;
  }
  double scale = p.scale;
  int64_t zp = p.zeroPoint;
  a.read = [scale, zp](OpBuilder &nb, Location l, ValueRange) {
    return std::make_pair(constantOf(nb, l, nb.getF32Type(), double(float(scale))),
                          constantOf(nb, l, nb.getI64Type(), zp));
  };
  return a;
}

/// The buffers of a quantize/dequantize's optional scale and zero point.
template <typename OpT>
std::pair<Value, Value> runtimeParams(OpT op, LoweringState &state) {
  Value scale, zp;
  unsigned next = 1;
  if (op.getScale())
    scale = state.operands[next++];
  if (op.getZeroPoint())
    zp = state.operands[next++];
  return {scale, zp};
}

StorageRange rangeOf(Type quantSide) {
  if (auto q = getQuantElementType(quantSide))
    return getStorageRange(q);
  auto it = cast<IntegerType>(getElementTypeOrSelf(quantSide));
  return StorageRange::get(it.getWidth(), !it.isUnsigned());
}

struct QuantizeLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<QuantizeOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    unsigned rank = op.getInput().getType().getRank();
    Type quantSide = op.getOutput().getType();
    ElementInfo out = getElementInfo(quantSide);
    auto [scaleBuf, zpBuf] = runtimeParams(op, state);
    ParamAccess a = getParamAccess(
        state, loc, state.operands[0], rank, quantSide, scaleBuf, zpBuf,
        normalizedAxis(op.getAxis(), rank), out.isUnsigned);
    a.maps.push_back(b.getMultiDimIdentityMap(rank));
    StorageRange range = rangeOf(quantSide);
    unsigned bits = out.bits();
    buildGeneric(b, loc, a.inputs, state.result, a.maps,
                 parallelIterators(rank),
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   auto [scale, zp] = a.read(nb, l, args);
                   linalg::YieldOp::create(
                       nb, l,
                       emitQuantize(nb, l, args[0], scale, zp, range, bits));
                 });
    return success();
  }
};

struct DequantizeLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<DequantizeOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    unsigned rank = op.getOutput().getType().getRank();
    Type quantSide = op.getInput().getType();
    ElementInfo in = getElementInfo(quantSide);
    auto [scaleBuf, zpBuf] = runtimeParams(op, state);
    ParamAccess a = getParamAccess(
        state, loc, state.operands[0], rank, quantSide, scaleBuf, zpBuf,
        normalizedAxis(op.getAxis(), rank), in.isUnsigned);
    a.maps.push_back(b.getMultiDimIdentityMap(rank));
    buildGeneric(b, loc, a.inputs, state.result, a.maps,
                 parallelIterators(rank),
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   auto [scale, zp] = a.read(nb, l, args);
                   linalg::YieldOp::create(
                       nb, l,
                       emitDequantize(nb, l, args[0], in.isUnsigned, zp,
                                      scale));
                 });
    return success();
  }
};

/// q' = saturate(roundHalfToEven(f32(q - zp) * f32(scale / scale')) + zp').
struct RequantizeLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<RequantizeOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    unsigned rank = op.getInput().getType().getRank();
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getOutput().getType());
    SmallVector<QuantParams> ip = getQuantParams(in.quant);
    SmallVector<QuantParams> opar = getQuantParams(out.quant);
    auto inAxis = getPerAxisType(op.getInput().getType());
    auto outAxis = getPerAxisType(op.getOutput().getType());
    if (inAxis && outAxis &&
        inAxis.getQuantizedDimension() != outAxis.getQuantizedDimension())
      return op.emitError("requantization between different per-axis axes "
                          "is not supported");
    std::optional<int64_t> axis;
    if (inAxis)
      axis = inAxis.getQuantizedDimension();
    else if (outAxis)
      axis = outAxis.getQuantizedDimension();
    size_t n = std::max(ip.size(), opar.size());
    SmallVector<float> ratio;
    SmallVector<int32_t> zin, zout;
    for (size_t c = 0; c < n; ++c) {
      const QuantParams &a = ip[ip.size() == 1 ? 0 : c];
      const QuantParams &z = opar[opar.size() == 1 ? 0 : c];
      ratio.push_back(float(a.scale / z.scale));
      zin.push_back(int32_t(a.zeroPoint));
      zout.push_back(int32_t(z.zeroPoint));
    }
    SmallVector<Value> inputs = {state.operands[0]};
    SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
    if (axis) {
      auto vec = [&](auto values, Type t) {
        return state.getConstantBuffer(
            loc, DenseElementsAttr::get(
                     RankedTensorType::get({int64_t(n)}, t),
                     ArrayRef(values)));
      };
      inputs.push_back(vec(ratio, b.getF32Type()));
      inputs.push_back(vec(zin, b.getI32Type()));
      inputs.push_back(vec(zout, b.getI32Type()));
      for (int i = 0; i < 3; ++i)
        maps.push_back(axisMap(b.getContext(), rank, *axis));
    }
    maps.push_back(b.getMultiDimIdentityMap(rank));
    StorageRange range = getStorageRange(out.quant);
    unsigned bits = out.bits();
    buildGeneric(
        b, loc, inputs, state.result, maps, parallelIterators(rank),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value r, zi, zo;
          if (axis) {
            r = args[1];
            zi = args[2];
            zo = args[3];
          } else {
            r = constantOf(nb, l, nb.getF32Type(), double(ratio[0]));
            zi = constantOf(nb, l, nb.getI32Type(), int64_t(zin[0]));
            zo = constantOf(nb, l, nb.getI32Type(), int64_t(zout[0]));
          }
          Value x = emitDequantize(nb, l, args[0], in.isUnsigned, zi, r);
          linalg::YieldOp::create(
              nb, l, emitRoundClampToStorage(nb, l, x, zo, range, bits));
        });
    return success();
  }
};

} // namespace

void lowering::populateQuantizationLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<QuantizeOp>(std::make_unique<QuantizeLowering>());
  patterns.add<DequantizeOp>(std::make_unique<DequantizeLowering>());
  patterns.add<RequantizeOp>(std::make_unique<RequantizeLowering>());
}
