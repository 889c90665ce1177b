//===- QuantOps.cpp - ONNX quantization operators as qc ops ---------------===//
//
// QuantizeLinear and DequantizeLinear (per tensor and per axis, constant or
// run-time parameters), the QOperator products (QLinearConv, QLinearMatMul,
// ConvInteger, MatMulInteger) imported as dequantize -> float op ->
// quantize so that every model takes the same path, DynamicQuantizeLinear,
// and the Importer's helpers for quantization parameters.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

//===----------------------------------------------------------------------===//
// Quantization helpers
//===----------------------------------------------------------------------===//

FailureOr<Importer::Params> Importer::params(int scaleInput, int zpInput,
                                             int64_t axis,
                                             DType defaultStorage) {
  Params p;
  p.axis = axis;
  p.storage = defaultStorage;
  if (!has(scaleInput)) {
    error() << "the scale input is missing";
    return failure();
  }
  if (isConst(scaleInput)) {
    p.scale = constant(scaleInput);
    if (p.scale->dtype != DType::F32) {
      error() << "the scale must be float32, got " << dtypeName(p.scale->dtype);
      return failure();
    }
  } else {
    auto v = value(scaleInput);
    if (failed(v))
      return failure();
    if (!elementOf(*v).isF32()) {
      error() << "the scale must be float32, got " << elementOf(*v);
      return failure();
    }
    p.scaleValue = *v;
  }
  if (has(zpInput)) {
    if (isConst(zpInput)) {
      p.zeroPoint = constant(zpInput);
      p.storage = p.zeroPoint->dtype;
    } else {
      auto v = value(zpInput);
      if (failed(v))
        return failure();
      p.zeroPointValue = *v;
      auto it = dyn_cast<IntegerType>(elementOf(*v));
      if (!it || (it.getWidth() != 8 && it.getWidth() != 32)) {
        error() << "zero points of type " << elementOf(*v)
                << " are not supported (uint8, int8, int32)";
        return failure();
      }
      p.storage = it.getWidth() == 32 ? DType::I32
                  : it.isUnsigned()   ? DType::U8
                                      : DType::I8;
    }
  }
  if (p.storage != DType::U8 && p.storage != DType::I8 &&
      p.storage != DType::I32) {
    error() << "zero points of type " << dtypeName(p.storage)
            << " are not supported (uint8, int8, int32)";
    return failure();
  }
  return p;
}

LogicalResult Importer::fitParams(Params &p, ArrayRef<int64_t> dataShape) {
  int64_t rank = dataShape.size();
  SmallVector<int64_t> ss = p.scale ? p.scale->shape : shape(p.scaleValue);
  std::optional<SmallVector<int64_t>> zs;
  if (p.zeroPoint)
    zs = p.zeroPoint->shape;
  else if (p.zeroPointValue)
    zs = shape(p.zeroPointValue);
  int64_t n = product(ss);
  if (n == 0)
    return error() << "the scale is empty";
  if (zs && product(*zs) != n)
    return error() << "the scale (" << shapeStr(ss) << ") and zero point ("
                   << shapeStr(*zs) << ") have different sizes";
  // Parameters are passed on as scalars (per tensor) or 1-D (per axis);
  // run-time ones (integer zero points cannot be reshaped) must be so.
  for (Value v : {p.scaleValue, p.zeroPointValue})
    if (v && shape(v).size() > 1)
      return error() << "run-time scales and zero points must be scalars or "
                        "1-D, got shape "
                     << shapeStr(shape(v));
  auto fit = [&](SmallVector<int64_t> to) {
    if (p.scale)
      p.scale->shape = to;
    if (p.zeroPoint)
      p.zeroPoint->shape = to;
    // Scale and zero point must have one shape; a run-time f32 scale can
    // be reshaped to the zero point's.
    if (p.scaleValue && shape(p.scaleValue) != ArrayRef<int64_t>(to))
      p.scaleValue = ReshapeOp::create(
          b, loc, cast<RankedTensorType>(p.scaleValue.getType()).clone(to),
          p.scaleValue);
  };
  if (n == 1) {
    // A single value: a scalar, or [1] when a run-time zero point is so.
    fit(p.zeroPointValue ? shape(p.zeroPointValue)
        : p.scaleValue   ? shape(p.scaleValue)
                         : SmallVector<int64_t>{});
    return success();
  }
  if (p.axis < -rank || p.axis >= rank)
    return error() << "axis " << p.axis << " of the per-axis parameters (" << n
                   << " values) is out of range for the data's rank " << rank;
  int64_t axis = normalizeAxis(p.axis, rank);
  if (n != dataShape[axis])
    return error() << "the per-axis scale/zero point has " << n
                   << " values but dim " << axis << " of the data ("
                   << shapeStr(dataShape) << ") has size " << dataShape[axis];
  // 1-D, or the data's rank with size 1 in every dim but the axis (the
  // N-D form of MatMulInteger and QLinearMatMul).
  auto fits = [&](ArrayRef<int64_t> s) {
    if (s.size() == 1)
      return true;
    if (int64_t(s.size()) != rank)
      return false;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && s[d] != 1)
        return false;
    return true;
  };
  for (auto [s, name] :
       {std::pair(std::optional(ss), "scale"), std::pair(zs, "zero point")})
    if (s && !fits(*s))
      return error() << "the " << name << " has shape " << shapeStr(*s)
                     << "; per-axis parameters along dim " << axis
                     << " must be 1-D or have size 1 in every other dim";
  fit({n});
  p.axis = axis;
  return success();
}

FailureOr<quant::QuantizedType> Importer::quantType(const Params &p,
                                                    int64_t rank) {
  QuantScheme scheme;
  scheme.bits = p.storage == DType::I32 ? 32 : 8;
  scheme.isSigned = p.storage != DType::U8;
  SmallVector<QuantParams> qp;
  for (size_t i = 0; i < p.scale->values.size(); ++i) {
    QuantParams q;
    q.scale = p.scale->values[i];
    q.zeroPoint = p.zeroPoint ? int64_t(p.zeroPoint->values[i]) : 0;
    if (!(q.scale > 0) || !std::isfinite(q.scale)) {
      error() << "scale " << q.scale << " is not positive and finite";
      return failure();
    }
    if (!scheme.range().contains(q.zeroPoint)) {
      error() << "zero point " << q.zeroPoint << " is outside the range of "
              << dtypeName(p.storage);
      return failure();
    }
    qp.push_back(q);
  }
  if (p.zeroPoint && p.zeroPoint->values.size() != qp.size()) {
    error() << "scale and zero point have different sizes";
    return failure();
  }
  std::optional<int64_t> axis;
  if (qp.size() > 1)
    axis = normalizeAxis(p.axis, rank);
  return buildQuantType(ctx, scheme, qp, axis);
}

FailureOr<Value> Importer::quantizeValue(Value x, const Params &given) {
  auto xType = cast<RankedTensorType>(x.getType());
  Params p = given;
  if (failed(fitParams(p, xType.getShape())))
    return failure();
  if (p.scale && !p.zeroPointValue) {
    auto qt = quantType(p, xType.getRank());
    if (failed(qt))
      return failure();
    return (Value)QuantizeOp::create(b, loc, xType.clone(*qt), x, Value(),
                                     Value(), IntegerAttr());
  }
  Value scale = p.scaleValue ? p.scaleValue : materialize(*p.scale);
  Value zp = p.zeroPointValue
                 ? p.zeroPointValue
                 : (p.zeroPoint ? materialize(*p.zeroPoint) : Value());
  auto scaleShape = shape(scale);
  IntegerAttr axis;
  if (product(scaleShape) > 1)
    axis = b.getI64IntegerAttr(normalizeAxis(p.axis, xType.getRank()));
  return (Value)QuantizeOp::create(
      b, loc, xType.clone(elementType(p.storage, ctx)), x, scale, zp, axis);
}

FailureOr<Value> Importer::quantizedConstant(const Const &c,
                                             const Params &given) {
  Params p = given;
  if (failed(fitParams(p, c.shape)))
    return failure();
  auto qt = quantType(p, c.shape.size());
  if (failed(qt))
    return failure();
  Const storage = c;
  if (storage.dtype != p.storage) {
    error() << "quantized data of type " << dtypeName(c.dtype)
            << " does not match its zero point's type " << dtypeName(p.storage);
    return failure();
  }
  return (Value)qc::ConstantOp::create(
      b, loc, RankedTensorType::get(c.shape, *qt), toAttr(storage, ctx));
}

FailureOr<Value> Importer::dequantizeValue(int input, const Params &p) {
  if (isConst(input) && p.scale && !p.zeroPointValue) {
    // Quantized weights: a typed constant, dequantized (folded later).
    auto q = quantizedConstant(constant(input), p);
    if (failed(q))
      return failure();
    return dequantizeValue(*q, p);
  }
  auto x = value(input);
  if (failed(x))
    return failure();
  return dequantizeValue(*x, p);
}

FailureOr<Value> Importer::dequantizeValue(Value x, const Params &given) {
  auto xType = cast<RankedTensorType>(x.getType());
  Params p = given;
  if (failed(fitParams(p, xType.getShape())))
    return failure();
  auto f32 = xType.clone(b.getF32Type());
  if (auto qt = getQuantElementType(xType)) {
    // A typed value (from a typed QuantizeLinear or constant): its own
    // parameters must be the ones this DequantizeLinear states.
    if (p.scale && !p.zeroPointValue) {
      auto want = quantType(p, xType.getRank());
      if (failed(want))
        return failure();
      if (*want != qt) {
        error() << "dequantizes with parameters " << *want
                << " a value quantized with " << qt;
        return failure();
      }
      return (Value)DequantizeOp::create(b, loc, f32, x, Value(), Value(),
                                         IntegerAttr());
    }
    error() << "dequantizes a statically quantized value with run-time "
               "parameters";
    return failure();
  }
  if (!isa<IntegerType>(xType.getElementType())) {
    error() << "dequantizes a tensor of " << xType.getElementType();
    return failure();
  }
  Value scale = p.scaleValue ? p.scaleValue : materialize(*p.scale);
  Value zp = p.zeroPointValue
                 ? p.zeroPointValue
                 : (p.zeroPoint ? materialize(*p.zeroPoint) : Value());
  if (zp && elementOf(zp) != xType.getElementType()) {
    error() << "zero point type " << elementOf(zp)
            << " differs from the data type " << xType.getElementType();
    return failure();
  }
  IntegerAttr axis;
  if (product(shape(scale)) > 1)
    axis = b.getI64IntegerAttr(normalizeAxis(p.axis, xType.getRank()));
  return (Value)DequantizeOp::create(b, loc, f32, x, scale, zp, axis);
}

//===----------------------------------------------------------------------===//
// The operators
//===----------------------------------------------------------------------===//

namespace {

/// An integer input with a scale of 1 and a zero point (MatMulInteger,
/// ConvInteger): dequantized exactly to f32. A zero point with more than one
/// value runs along `axis` of the data; `perTensorOnly` rejects that.
FailureOr<Value> integerInput(Importer &im, int data, int zp, int64_t axis,
                              bool perTensorOnly = false) {
  Importer::Params p;
  p.scale = Const{DType::F32, {}, {1.0}};
  DType dt = im.isConst(data) ? im.constant(data).dtype : DType::U8;
  if (!im.isConst(data)) {
    auto v = im.value(data);
    if (failed(v))
      return failure();
    auto it = dyn_cast<IntegerType>(elementOf(*v));
    if (!it || it.getWidth() != 8)
      return im.error() << "input #" << data << " must be uint8 or int8";
    dt = it.isUnsigned() ? DType::U8 : DType::I8;
  }
  if (dt != DType::U8 && dt != DType::I8)
    return im.error() << "input #" << data << " must be uint8 or int8, got "
                      << dtypeName(dt);
  p.storage = dt;
  if (im.has(zp)) {
    if (im.isConst(zp)) {
      p.zeroPoint = im.constant(zp);
      if (p.zeroPoint->dtype != dt)
        return im.error() << "input #" << zp << " (a zero point) is "
                          << dtypeName(p.zeroPoint->dtype) << " but input #"
                          << data << " is " << dtypeName(dt);
      // A scale of 1 shaped like the zero point.
      p.scale = Const{DType::F32, p.zeroPoint->shape,
                      std::vector<double>(p.zeroPoint->values.size(), 1.0)};
    } else {
      auto v = im.value(zp);
      if (failed(v))
        return failure();
      p.zeroPointValue = *v;
      p.scale.reset();
      // A scale of 1 shaped like the zero point.
      auto zs = Importer::shape(*v);
      Const one{DType::F32, zs, std::vector<double>(product(zs), 1.0)};
      p.scaleValue = im.materialize(one);
    }
  }
  p.axis = axis;
  if (perTensorOnly && im.has(zp) && product(im.shapeOf(zp)) != 1)
    return im.error() << "input #" << zp
                      << " (a zero point) must be a single value";
  return im.dequantizeValue(data, p);
}

/// i32 results of MatMulInteger/ConvInteger: scale 1, zero point 0.
FailureOr<Value> toInt32(Importer &im, Value f) {
  Importer::Params p;
  p.scale = Const{DType::F32, {}, {1.0}};
  p.zeroPoint = Const{DType::I32, {}, {0.0}};
  p.storage = DType::I32;
  return im.quantizeValue(f, p);
}

} // namespace

LogicalResult onnximport::importQuantizeLinear(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto p = im.params(1, 2, im.attrInt("axis", 1));
  if (failed(p))
    return failure();
  auto q = im.quantizeValue(*x, *p);
  if (failed(q))
    return failure();
  im.define(0, *q);
  return success();
}

LogicalResult onnximport::importDequantizeLinear(Importer &im) {
  // Without a zero point, the storage type is the input's (zero point 0).
  DType storage = DType::U8;
  if (im.isConst(0)) {
    storage = im.constant(0).dtype;
  } else {
    auto x = im.value(0);
    if (failed(x))
      return failure();
    Type element = elementOf(*x);
    if (auto q = getQuantElementType((*x).getType()))
      element = getStorageIntegerType(q);
    auto it = dyn_cast<IntegerType>(element);
    if (!it || (it.getWidth() != 8 && it.getWidth() != 32))
      return im.error() << "dequantizes a tensor of " << element
                        << " (uint8, int8 or int32 expected)";
    storage = it.getWidth() == 32 ? DType::I32
              : it.isUnsigned()   ? DType::U8
                                  : DType::I8;
  }
  auto p = im.params(1, 2, im.attrInt("axis", 1), storage);
  if (failed(p))
    return failure();
  auto d = im.dequantizeValue(0, *p);
  if (failed(d))
    return failure();
  im.define(0, *d);
  return success();
}

LogicalResult onnximport::importIntegerProduct(Importer &im, bool isConv) {
  // MatMulInteger: A's zero point is per row (A is [..., M, K]), B's per
  // column (B is [..., K, N]). ConvInteger: x's is per tensor, w's per
  // output channel.
  auto a = isConv ? integerInput(im, 0, 2, 1, /*perTensorOnly=*/true)
                  : integerInput(im, 0, 2, -2);
  auto b = integerInput(im, 1, 3, isConv ? 0 : -1);
  if (failed(a) || failed(b))
    return failure();
  Value y;
  if (failed(isConv ? importConvLike(im, *a, *b, Value(), y)
                    : importMatMulLike(im, *a, *b, y)))
    return failure();
  auto r = toInt32(im, y);
  if (failed(r))
    return failure();
  im.define(0, *r);
  return success();
}

/// QLinearConv / QLinearMatMul: dequantize the operands, the float op, then
/// quantize the result; qc-fold-qdq makes it integer when the parameters
/// are constants.
LogicalResult onnximport::importQLinear(Importer &im, bool isConv) {
  // Inputs: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp (, B).
  // QLinearConv: x and y per tensor, w per output channel (axis 0).
  // QLinearMatMul: a per row (axis -2 of [..., M, K]), b per column (axis
  // -1 of [..., K, N]); y's vector runs along its last dim, as numpy
  // broadcasting (ONNX's reference) applies it.
  auto xp = im.params(1, 2, isConv ? 1 : -2);
  auto wp = im.params(4, 5, isConv ? 0 : -1);
  auto yp = im.params(6, 7, isConv ? 1 : -1);
  if (failed(xp) || failed(wp) || failed(yp))
    return failure();
  if (isConv)
    for (int i : {1, 2, 6, 7})
      if (im.has(i) && product(im.shapeOf(i)) != 1)
        return im.error() << "input #" << i << " (" << (i < 3 ? "x" : "y")
                          << "'s scale or zero point) must be a single value";
  auto x = im.dequantizeValue(0, *xp);
  auto w = im.dequantizeValue(3, *wp);
  if (failed(x) || failed(w))
    return failure();
  Value bias;
  if (isConv && im.has(8)) {
    // The i32 bias has scale x_scale * w_scale (per output channel).
    Importer::Params bp;
    bp.storage = DType::I32;
    bp.axis = 0;
    if ((*xp).scale && (*wp).scale) {
      Const s = *(*wp).scale;
      for (double &v : s.values)
        v *= (*xp).scale->values[0];
      bp.scale = s;
      bp.zeroPoint =
          Const{DType::I32, s.shape, std::vector<double>(s.values.size(), 0.0)};
    } else {
      Value xs =
          (*xp).scaleValue ? (*xp).scaleValue : im.materialize(*(*xp).scale);
      Value ws =
          (*wp).scaleValue ? (*wp).scaleValue : im.materialize(*(*wp).scale);
      SmallVector<int64_t> shape;
      OpTrait::util::getBroadcastedShape(Importer::shape(xs),
                                         Importer::shape(ws), shape);
      bp.scaleValue = MulOp::create(im.b, im.loc, im.f32Type(shape), xs, ws);
    }
    auto bv = im.dequantizeValue(8, bp);
    if (failed(bv))
      return failure();
    bias = *bv;
  }
  Value y;
  if (failed(isConv ? importConvLike(im, *x, *w, bias, y)
                    : importMatMulLike(im, *x, *w, y)))
    return failure();
  auto q = im.quantizeValue(y, *yp);
  if (failed(q))
    return failure();
  im.define(0, *q);
  return success();
}

LogicalResult onnximport::importDynamicQuantize(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  MLIRContext *ctx = im.ctx;
  Type u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  auto xt = cast<RankedTensorType>((*x).getType());
  auto op = DynamicQuantizeOp::create(
      im.b, im.loc, xt.clone(u8), RankedTensorType::get({}, im.b.getF32Type()),
      RankedTensorType::get({}, u8), *x);
  im.define(0, op.getOutput());
  im.define(1, op.getScale());
  im.define(2, op.getZeroPoint());
  return success();
}

//===----------------------------------------------------------------------===//
// ONNX Runtime's contrib QOperator ops
//===----------------------------------------------------------------------===//

namespace {

/// The per-tensor parameters at inputs (scale, zp) of a contrib op.
FailureOr<Importer::Params> scalarParams(Importer &im, int scale, int zp) {
  for (int i : {scale, zp})
    if (im.has(i) && product(im.shapeOf(i)) != 1)
      return im.error() << "input #" << i
                        << " (a scale or zero point) must be a single value";
  return im.params(scale, zp, 0);
}

/// y = quantize(fn(dequantize(x))) for a one-input contrib op with inputs
/// X, X_scale, X_zero_point, Y_scale, Y_zero_point.
LogicalResult importUnaryContrib(Importer &im,
                                 function_ref<FailureOr<Value>(Value)> fn) {
  auto xp = scalarParams(im, 1, 2), yp = scalarParams(im, 3, 4);
  if (failed(xp) || failed(yp))
    return failure();
  auto x = im.dequantizeValue(0, *xp);
  if (failed(x))
    return failure();
  auto y = fn(*x);
  if (failed(y))
    return failure();
  auto q = im.quantizeValue(*y, *yp);
  if (failed(q))
    return failure();
  im.define(0, *q);
  return success();
}

Value scalarConst(Importer &im, float v) {
  return arith::ConstantOp::create(
      im.b, im.loc, DenseElementsAttr::get(im.f32Type({}), v));
}

} // namespace

std::optional<LogicalResult> onnximport::importContribOp(Importer &im,
                                                         StringRef op) {
  // QLinearAdd / QLinearMul: A, A_scale, A_zp, B, B_scale, B_zp, C_scale,
  // C_zp, with numpy broadcasting; the float op between dequantize and
  // quantize.
  if (op == "QLinearAdd" || op == "QLinearMul") {
    auto ap = scalarParams(im, 1, 2), bp = scalarParams(im, 4, 5),
         cp = scalarParams(im, 6, 7);
    if (failed(ap) || failed(bp) || failed(cp))
      return failure();
    auto a = im.dequantizeValue(0, *ap), b = im.dequantizeValue(3, *bp);
    if (failed(a) || failed(b))
      return failure();
    SmallVector<int64_t> shape;
    if (!OpTrait::util::getBroadcastedShape(Importer::shape(*a),
                                            Importer::shape(*b), shape))
      return im.error() << "operand shapes " << shapeStr(Importer::shape(*a))
                        << " and " << shapeStr(Importer::shape(*b))
                        << " do not broadcast";
    Value y = op == "QLinearAdd"
                  ? (Value)AddOp::create(im.b, im.loc, im.f32Type(shape), *a, *b)
                  : (Value)MulOp::create(im.b, im.loc, im.f32Type(shape), *a, *b);
    auto q = im.quantizeValue(y, *cp);
    if (failed(q))
      return failure();
    im.define(0, *q);
    return success();
  }
  if (op == "QLinearSigmoid")
    return importUnaryContrib(im, [&](Value x) -> FailureOr<Value> {
      return (Value)SigmoidOp::create(im.b, im.loc, x.getType(), x);
    });
  if (op == "QLinearLeakyRelu") {
    float alpha = im.attrFloat("alpha", 0.01f);
    return importUnaryContrib(im, [&](Value x) -> FailureOr<Value> {
      // x for x >= 0, alpha * x below: the larger of the two for alpha <= 1,
      // the smaller for alpha > 1.
      Value ax = MulOp::create(im.b, im.loc, x.getType(), x,
                               scalarConst(im, alpha));
      if (alpha <= 1.0f)
        return (Value)MaxOp::create(im.b, im.loc, x.getType(), x, ax);
      return (Value)MinOp::create(im.b, im.loc, x.getType(), x, ax);
    });
  }
  if (op == "QLinearGlobalAveragePool" || op == "QLinearAveragePool") {
    if (im.attrInt("channels_last", 0))
      return im.error() << "channels_last = 1 (NHWC) is not supported";
    bool global = op == "QLinearGlobalAveragePool";
    return importUnaryContrib(im, [&](Value x) -> FailureOr<Value> {
      Value y;
      if (failed(importPoolLike(im, x, /*isMax=*/false, global, y)))
        return failure();
      return y;
    });
  }
  if (op == "QLinearConcat") {
    // Y_scale, Y_zp, then (X, X_scale, X_zp) per input.
    int n = im.node->input_size();
    if (n < 5 || (n - 2) % 3)
      return im.error() << "needs Y_scale, Y_zero_point and triples (X, "
                           "X_scale, X_zero_point), got "
                        << n << " inputs";
    auto yp = scalarParams(im, 0, 1);
    if (failed(yp))
      return failure();
    SmallVector<Value> inputs;
    for (int i = 2; i < n; i += 3) {
      auto xp = scalarParams(im, i + 1, i + 2);
      if (failed(xp))
        return failure();
      auto x = im.dequantizeValue(i, *xp);
      if (failed(x))
        return failure();
      inputs.push_back(*x);
    }
    SmallVector<int64_t> shape = Importer::shape(inputs[0]);
    int64_t rank = shape.size(), axis = im.attrInt("axis", 0);
    if (axis < -rank || axis >= rank)
      return im.error() << "axis " << axis << " is out of range for rank "
                        << rank;
    axis = normalizeAxis(axis, rank);
    shape[axis] = 0;
    for (auto [i, v] : llvm::enumerate(inputs)) {
      auto s = Importer::shape(v);
      if (int64_t(s.size()) != rank)
        return im.error() << "input " << i << " has rank " << s.size()
                          << ", input 0 has rank " << rank;
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis && s[d] != Importer::shape(inputs[0])[d])
          return im.error() << "input " << i << " has shape " << shapeStr(s)
                            << ", which differs from input 0's in dim " << d;
      shape[axis] += s[axis];
    }
    Value y = ConcatOp::create(im.b, im.loc, im.f32Type(shape), inputs,
                               im.b.getI64IntegerAttr(axis));
    auto q = im.quantizeValue(y, *yp);
    if (failed(q))
      return failure();
    im.define(0, *q);
    return success();
  }
  if (op == "QGemm") {
    // A, a_scale, a_zp, B, b_scale, b_zp, C (i32 with scale a_scale *
    // b_scale), y_scale, y_zp: the product in f32, quantized when y_scale
    // is given.
    auto ap = scalarParams(im, 1, 2);
    auto bp = im.params(4, 5, im.attrInt("transB", 0) ? 0 : 1);
    if (failed(ap) || failed(bp))
      return failure();
    auto a = im.dequantizeValue(0, *ap), b = im.dequantizeValue(3, *bp);
    if (failed(a) || failed(b))
      return failure();
    Value c;
    if (im.has(6)) {
      if (!(*ap).scale || !(*bp).scale)
        return im.error() << "a bias C needs constant scales of A and B";
      Importer::Params cp;
      cp.storage = DType::I32;
      Const s = *(*bp).scale;
      for (double &v : s.values)
        v *= (*ap).scale->values[0];
      cp.scale = s;
      cp.zeroPoint =
          Const{DType::I32, s.shape, std::vector<double>(s.values.size(), 0.0)};
      cp.axis = -1;
      auto cv = im.dequantizeValue(6, cp);
      if (failed(cv))
        return failure();
      c = *cv;
    }
    if (im.attr("beta"))
      return im.error() << "QGemm has no beta attribute";
    Value y;
    if (failed(importGemmLike(im, *a, *b, c, y)))
      return failure();
    if (im.has(7)) {
      auto yp = scalarParams(im, 7, 8);
      if (failed(yp))
        return failure();
      auto q = im.quantizeValue(y, *yp);
      if (failed(q))
        return failure();
      y = *q;
    }
    im.define(0, y);
    return success();
  }
  return std::nullopt;
}
