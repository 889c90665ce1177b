//===- Common.cpp - Numerics helpers and state of the qc lowering ---------===//
//
// The arith spelling of qc's numerics (dequantize, round-clamp-store,
// quantize), generic-building shorthands, and module constants.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

ElementInfo lowering::getElementInfo(Type tensorType) {
  ElementInfo info;
  Type element = getElementTypeOrSelf(tensorType);
  if (auto q = dyn_cast<quant::QuantizedType>(element)) {
    info.quant = q;
    info.storage =
        IntegerType::get(element.getContext(), q.getStorageTypeIntegralWidth());
    info.isUnsigned = !q.isSigned();
    return info;
  }
  if (auto i = dyn_cast<IntegerType>(element)) {
    info.storage = IntegerType::get(element.getContext(), i.getWidth());
    info.isUnsigned = i.isUnsigned();
    return info;
  }
  info.storage = element;
  return info;
}

MemRefType lowering::getBufferType(Type tensorType) {
  auto shaped = cast<ShapedType>(tensorType);
  return MemRefType::get(shaped.getShape(),
                         getElementInfo(tensorType).storage);
}

Value LoweringState::getConstantBuffer(Location loc, DenseElementsAttr value,
                                       unsigned alignment) {
  // Storage is signless: reinterpret ui8/si8 data as i8.
  if (auto it = dyn_cast<IntegerType>(value.getElementType());
      it && !it.isSignless())
    value = value.bitcast(IntegerType::get(it.getContext(), it.getWidth()));
  memref::GlobalOp &global = context.globals[value];
  auto type = MemRefType::get(value.getType().getShape(),
                              value.getElementType());
  if (!global) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(module.getBody());
    std::string name;
    do {
      name = "__qc_constant_" + std::to_string(context.nextGlobal++);
    } while (module.lookupSymbol(name));
    global = memref::GlobalOp::create(
        builder, loc, name, builder.getStringAttr("private"), type, value,
        /*constant=*/true, builder.getI64IntegerAttr(alignment));
  }
  return memref::GetGlobalOp::create(builder, loc, type, global.getSymName());
}

Type lowering::withElement(Type type, Type element) {
  if (auto v = dyn_cast<VectorType>(type))
    return v.clone(element);
  return element;
}

Value lowering::constantOf(OpBuilder &b, Location loc, Type type,
                           double value) {
  Type element = getElementTypeOrSelf(type);
  TypedAttr attr = b.getFloatAttr(element, value);
  if (auto v = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(b, loc, v,
                                     DenseElementsAttr::get(v, attr));
  return arith::ConstantOp::create(b, loc, attr);
}

Value lowering::constantOf(OpBuilder &b, Location loc, Type type,
                           int64_t value) {
  Type element = getElementTypeOrSelf(type);
  TypedAttr attr = b.getIntegerAttr(element, value);
  if (auto v = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(b, loc, v,
                                     DenseElementsAttr::get(v, attr));
  return arith::ConstantOp::create(b, loc, attr);
}

Value lowering::extendInteger(OpBuilder &b, Location loc, Value v,
                              bool isUnsigned, Type to) {
  unsigned from = getElementTypeOrSelf(v.getType()).getIntOrFloatBitWidth();
  unsigned width = getElementTypeOrSelf(to).getIntOrFloatBitWidth();
  if (from == width)
    return v;
  if (from > width)
    return arith::TruncIOp::create(b, loc, to, v);
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, to, v);
  return arith::ExtSIOp::create(b, loc, to, v);
}

Value lowering::emitDequantize(OpBuilder &b, Location loc, Value q,
                               bool isUnsigned, Value zp, Value scale) {
  unsigned bits = getElementTypeOrSelf(q.getType()).getIntOrFloatBitWidth();
  // q - zp is exact in i32 for storage up to 16 bits, in i64 beyond.
  Type work = withElement(q.getType(), b.getIntegerType(bits < 32 ? 32 : 64));
  Value qi = extendInteger(b, loc, q, isUnsigned, work);
  Value zpi = extendInteger(b, loc, zp, /*isUnsigned=*/false, work);
  Value diff = arith::SubIOp::create(b, loc, qi, zpi);
  Value f = arith::SIToFPOp::create(
      b, loc, withElement(q.getType(), b.getF32Type()), diff);
  return arith::MulFOp::create(b, loc, f, scale);
}

Value lowering::emitRoundClampToStorage(OpBuilder &b, Location loc, Value x,
                                        Value zp, StorageRange range,
                                        unsigned bits) {
  Type f32 = x.getType();
  Type i64 = withElement(f32, b.getI64Type());
  Value zp64 = extendInteger(b, loc, zp, /*isUnsigned=*/false, i64);
  Value rounded = math::RoundEvenOp::create(b, loc, x);
  // Bounds in the float domain: [qmin - zp, qmax - zp]. max-then-min maps
  // NaN to the lower bound, as QuantMath does.
  Value lo = arith::SIToFPOp::create(
      b, loc, f32,
      arith::SubIOp::create(b, loc, constantOf(b, loc, i64, range.min), zp64));
  Value hi = arith::SIToFPOp::create(
      b, loc, f32,
      arith::SubIOp::create(b, loc, constantOf(b, loc, i64, range.max), zp64));
  Value clamped = arith::MinNumFOp::create(
      b, loc, arith::MaxNumFOp::create(b, loc, rounded, lo), hi);
  Value asInt = arith::FPToSIOp::create(b, loc, i64, clamped);
  Value shifted = arith::AddIOp::create(b, loc, asInt, zp64);
  if (bits >= 32) {
    // f32(qmax - zp) may round up past the i32 range: clamp the integer.
    shifted = arith::MinSIOp::create(
        b, loc,
        arith::MaxSIOp::create(b, loc, shifted,
                               constantOf(b, loc, i64, range.min)),
        constantOf(b, loc, i64, range.max));
  }
  return arith::TruncIOp::create(b, loc, withElement(f32, b.getIntegerType(bits)),
                                 shifted);
}

Value lowering::emitQuantize(OpBuilder &b, Location loc, Value x, Value scale,
                             Value zp, StorageRange range, unsigned bits) {
  Value scaled = arith::DivFOp::create(b, loc, x, scale);
  return emitRoundClampToStorage(b, loc, scaled, zp, range, bits);
}

void lowering::buildGeneric(
    OpBuilder &b, Location loc, ValueRange inputs, ValueRange outputs,
    ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  linalg::GenericOp::create(b, loc, inputs, outputs, maps, iterators, body);
}

SmallVector<utils::IteratorType> lowering::parallelIterators(unsigned rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

AffineMap lowering::broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inShape,
                                 ArrayRef<int64_t> outShape) {
  unsigned rank = outShape.size();
  SmallVector<AffineExpr> exprs;
  unsigned offset = rank - inShape.size();
  for (unsigned i = 0; i < inShape.size(); ++i) {
    unsigned j = offset + i;
    if (inShape[i] == 1 && outShape[j] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(j, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

AffineMap lowering::axisMap(MLIRContext *ctx, unsigned rank, unsigned axis) {
  return AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
}

ParamOperands lowering::getParamOperands(LoweringState &state, Location loc,
                                         quant::QuantizedType type) {
  ParamOperands p;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    p.scale = perTensor.getScale();
    p.zeroPoint = perTensor.getZeroPoint();
    return p;
  }
  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(type);
  SmallVector<float> scales;
  SmallVector<int32_t> zps;
  for (double s : perAxis.getScales())
    scales.push_back(float(s));
  for (int64_t z : perAxis.getZeroPoints())
    zps.push_back(int32_t(z));
  OpBuilder &b = state.builder;
  auto n = static_cast<int64_t>(scales.size());
  p.scales = state.getConstantBuffer(
      loc, DenseElementsAttr::get(RankedTensorType::get({n}, b.getF32Type()),
                                  ArrayRef<float>(scales)));
  p.zeroPoints = state.getConstantBuffer(
      loc, DenseElementsAttr::get(RankedTensorType::get({n}, b.getI32Type()),
                                  ArrayRef<int32_t>(zps)));
  p.axis = perAxis.getQuantizedDimension();
  return p;
}

void lowering::emitFill(OpBuilder &b, Location loc, Value buffer,
                        Value value) {
  linalg::FillOp::create(b, loc, value, buffer);
}

bool lowering::isContiguous(Value v) {
  auto t = cast<MemRefType>(v.getType());
  return t.getLayout().isIdentity() && t.hasStaticShape();
}

namespace {

/// The shapes of a pointwise loop nest over `output` with `inputs`
/// broadcast against it, with its dims merged as far as the broadcasts
/// allow: unit dims dropped, and adjacent dims merged when every input
/// either has both or broadcasts along both. A [1, C, H, W] tensor plus a
/// [1, C, 1, 1] bias becomes a [C, H*W] loop nest, an add of two equal
/// shapes a single loop: one inner loop for LLVM to vectorize instead of a
/// deep nest of short constant-trip loops it unrolls.
void collapseShapes(ArrayRef<SmallVector<int64_t>> inputs,
                    ArrayRef<int64_t> output,
                    SmallVectorImpl<SmallVector<int64_t>> &newInputs,
                    SmallVector<int64_t> &newOutput) {
  unsigned rank = output.size();
  SmallVector<SmallVector<int64_t>> ext;
  for (const auto &in : inputs) {
    SmallVector<int64_t> e(rank - in.size(), 1);
    e.append(in.begin(), in.end());
    ext.push_back(e);
  }
  SmallVector<SmallVector<bool>> keys;
  newInputs.assign(inputs.size(), {});
  for (unsigned d = 0; d < rank; ++d) {
    if (output[d] == 1)
      continue;
    SmallVector<bool> key;
    for (const auto &e : ext)
      key.push_back(e[d] == 1);
    if (!keys.empty() && keys.back() == key) {
      newOutput.back() *= output[d];
      for (auto [i, e] : llvm::enumerate(ext))
        newInputs[i].back() *= e[d];
      continue;
    }
    keys.push_back(key);
    newOutput.push_back(output[d]);
    for (auto [i, e] : llvm::enumerate(ext))
      newInputs[i].push_back(e[d]);
  }
  if (newOutput.empty()) {
    newOutput.push_back(1);
    for (auto &in : newInputs)
      in.assign(1, 1);
  }
}

} // namespace

void lowering::emitCopy(OpBuilder &b, Location loc, Value src, Value dst) {
  if (isContiguous(src) && isContiguous(dst)) {
    // A copy of whole buffers is one loop.
    int64_t n = cast<MemRefType>(dst.getType()).getNumElements();
    src = reshapeBuffer(b, loc, src, {n});
    dst = reshapeBuffer(b, loc, dst, {n});
  }
  unsigned rank = cast<MemRefType>(dst.getType()).getRank();
  AffineMap id = b.getMultiDimIdentityMap(rank);
  buildGeneric(b, loc, src, dst, {id, id}, parallelIterators(rank),
               [](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, args[0]);
               });
}

void lowering::emitPointwise(
    OpBuilder &b, Location loc, ValueRange inputs, Value output,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> ins(inputs);
  if (isContiguous(output) && llvm::all_of(inputs, isContiguous)) {
    SmallVector<SmallVector<int64_t>> shapes, newShapes;
    for (Value in : inputs)
      shapes.push_back(
          llvm::to_vector(cast<MemRefType>(in.getType()).getShape()));
    SmallVector<int64_t> newOutput;
    collapseShapes(shapes, cast<MemRefType>(output.getType()).getShape(),
                   newShapes, newOutput);
    for (auto [i, in] : llvm::enumerate(ins))
      in = reshapeBuffer(b, loc, in, newShapes[i]);
    output = reshapeBuffer(b, loc, output, newOutput);
  }
  auto outType = cast<MemRefType>(output.getType());
  SmallVector<AffineMap> maps;
  for (Value in : ins)
    maps.push_back(broadcastMap(b.getContext(),
                                cast<MemRefType>(in.getType()).getShape(),
                                outType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(outType.getRank()));
  buildGeneric(b, loc, ins, output, maps,
               parallelIterators(outType.getRank()),
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 Value v = body(nb, l, args.drop_back());
                 linalg::YieldOp::create(nb, l, v);
               });
}

Value lowering::toFloat(OpBuilder &b, Location loc, Value v,
                        const ElementInfo &info, const ParamOperands &p,
                        Value scale, Value zp) {
  if (info.isFloat())
    return v;
  if (!scale) {
    scale = constantOf(b, loc, b.getF32Type(), double(float(p.scale)));
    zp = constantOf(b, loc, b.getI32Type(), p.zeroPoint);
  }
  return emitDequantize(b, loc, v, info.isUnsigned, zp, scale);
}

Value lowering::fromFloat(OpBuilder &b, Location loc, Value x,
                          const ElementInfo &info) {
  if (info.isFloat())
    return x;
  auto perTensor = cast<quant::UniformQuantizedType>(info.quant);
  return emitQuantize(
      b, loc, x,
      constantOf(b, loc, b.getF32Type(), double(float(perTensor.getScale()))),
      constantOf(b, loc, b.getI64Type(), perTensor.getZeroPoint()),
      getStorageRange(info.quant), info.bits());
}
