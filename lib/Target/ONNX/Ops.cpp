//===- Ops.cpp - ONNX operators as qc ops ---------------------------------===//
//
// One importer per ONNX operator (or family) that has run-time inputs. Each
// computes its result shape, checks what qc supports, and emits qc ops; an
// unsupported attribute or operator is an error naming the node.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

namespace {

/// `axis` counted from the front, after checking that it lies in
/// [-rank, rank) (or [-rank, rank] for ops like Flatten that split a shape
/// in two, `allowRank`).
FailureOr<int64_t> checkedAxis(Importer &im, int64_t axis, int64_t rank,
                               bool allowRank = false) {
  int64_t hi = allowRank ? rank : rank - 1;
  if (axis < -rank || axis > hi) {
    im.error() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  return normalizeAxis(axis, rank);
}

/// Axes (ONNX reduce/squeeze style) counted from the front, each checked
/// against `rank` and none repeated.
FailureOr<SmallVector<int64_t>>
checkedAxes(Importer &im, ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> out;
  for (int64_t a : axes) {
    auto n = checkedAxis(im, a, rank);
    if (failed(n))
      return failure();
    if (llvm::is_contained(out, *n)) {
      im.error() << "axis " << a << " is repeated";
      return failure();
    }
    out.push_back(*n);
  }
  return out;
}


/// Reshapes `v` to `shape` (no-op when equal).
Value reshape(Importer &im, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return ReshapeOp::create(im.b, im.loc, type.clone(shape), v);
}


/// Casts the importer accepts: those that change nothing (PyTorch's exporter
/// puts one after each QuantizeLinear).
bool castIsNoOp(DType to, Type storage) {
  if (storage.isF32())
    return to == DType::F32;
  auto it = dyn_cast<IntegerType>(storage);
  if (!it)
    return false;
  if (it.getWidth() == 8)
    return to == (it.isUnsigned() ? DType::U8 : DType::I8);
  return it.getWidth() == 32 && to == DType::I32;
}

/// Pads of a windowed op: explicit `pads`, or from auto_pad.
/// With `oneD`, the node is a 1-D window computed as a 2-D one of height 1:
/// its 2 pads are the width's.
FailureOr<SmallVector<int64_t>> windowPads(Importer &im,
                                           ArrayRef<int64_t> inSpatial,
                                           ArrayRef<int64_t> kernel,
                                           ArrayRef<int64_t> strides,
                                           ArrayRef<int64_t> dilations,
                                           bool oneD = false) {
  std::string autoPad = im.attrString("auto_pad", "NOTSET");
  SmallVector<int64_t> pads(4, 0);
  if (autoPad == "NOTSET") {
    if (auto p = im.attrInts("pads")) {
      if (oneD && p->size() == 2) // [begin, end] of the one spatial dim.
        *p = {0, (*p)[0], 0, (*p)[1]};
      if (p->size() != 4) {
        im.error() << "only 2-D windows are supported (pads has " << p->size()
                   << " values)";
        return failure();
      }
      if (llvm::any_of(*p, [](int64_t v) { return v < 0; })) {
        im.error() << "pads must not be negative";
        return failure();
      }
      pads.assign(p->begin(), p->end());
    }
    return pads;
  }
  if (autoPad == "VALID")
    return pads;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    im.error() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  for (int d = 0; d < 2; ++d) {
    int64_t out = (inSpatial[d] + strides[d] - 1) / strides[d];
    int64_t span = dilations[d] * (kernel[d] - 1) + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[d] + span - inSpatial[d]);
    int64_t small = total / 2, big = total - small;
    pads[d] = autoPad == "SAME_UPPER" ? small : big;
    pads[d + 2] = autoPad == "SAME_UPPER" ? big : small;
  }
  return pads;
}

int64_t windowOut(int64_t in, int64_t k, int64_t s, int64_t p0, int64_t p1,
                  int64_t d, bool ceil) {
  int64_t room = in + p0 + p1 - (d * (k - 1) + 1);
  if (room < 0)
    return 0;
  int64_t out = (ceil ? (room + s - 1) / s : room / s) + 1;
  if (ceil && (out - 1) * s >= in + p0)
    --out;
  return out;
}

/// A window attribute (strides, dilations, kernel_shape) of a 1-D node as
/// the 2-D one of height 1 it is computed as.
std::optional<std::vector<int64_t>> windowAttr(Importer &im, StringRef name,
                                               bool oneD) {
  auto v = im.attrInts(name);
  if (v && oneD && v->size() == 1)
    v = std::vector<int64_t>{1, (*v)[0]};
  return v;
}

/// Checks the window attributes of a 2-D convolution or pooling: two
/// positive kernel dims, strides and dilations.
LogicalResult checkWindow(Importer &im, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations) {
  auto positive = [](int64_t v) { return v > 0; };
  if (kernel.size() != 2 || !llvm::all_of(kernel, positive))
    return im.error() << "the kernel must have 2 positive dims, got "
                      << shapeStr(kernel);
  if (strides.size() != 2 || !llvm::all_of(strides, positive))
    return im.error() << "strides must be 2 positive values (2-D windows)";
  if (dilations.size() != 2 || !llvm::all_of(dilations, positive))
    return im.error() << "dilations must be 2 positive values (2-D windows)";
  return success();
}

/// The spatial output size of a window, or an error when it does not fit.
FailureOr<int64_t> checkedWindowOut(Importer &im, int d, ArrayRef<int64_t> in,
                                    ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations, bool ceil) {
  int64_t out = windowOut(in[d], kernel[d], strides[d], pads[d], pads[d + 2],
                          dilations[d], ceil);
  if (out < 1) {
    im.error() << "kernel dim " << d << " of size " << kernel[d]
               << " (dilation " << dilations[d]
               << ") does not fit the input's size " << in[d]
               << " with padding " << pads[d] << "+" << pads[d + 2];
    return failure();
  }
  return out;
}


/// A qc.matmul with an optional bias (its other attributes default).
Value createMatMul(Importer &im, Type type, Value a, Value b, Value bias) {
  SmallVector<Value> operands = {a, b};
  if (bias)
    operands.push_back(bias);
  return MatMulOp::create(im.b, im.loc, TypeRange{type}, operands,
                          ArrayRef<NamedAttribute>{});
}

SmallVector<int64_t> matmulShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                                 bool &ok) {
  ok = !a.empty() && !b.empty();
  if (!ok)
    return {};
  SmallVector<int64_t> batch;
  ok = OpTrait::util::getBroadcastedShape(
      a.drop_back(a.size() >= 2 ? 2 : 1), b.drop_back(b.size() >= 2 ? 2 : 1),
      batch);
  int64_t ka = a.back(), kb = b.size() == 1 ? b[0] : b[b.size() - 2];
  ok = ok && ka == kb;
  if (a.size() >= 2)
    batch.push_back(a[a.size() - 2]);
  if (b.size() >= 2)
    batch.push_back(b.back());
  return batch;
}

template <typename OpT>
LogicalResult importBinary(Importer &im) {
  auto a = floatInput(im, 0), b = floatInput(im, 1);
  if (failed(a) || failed(b))
    return failure();
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(Importer::shape(*a),
                                          Importer::shape(*b), shape))
    return im.error() << "operand shapes " << shapeStr(Importer::shape(*a))
                      << " and " << shapeStr(Importer::shape(*b))
                      << " do not broadcast";
  im.define(0, OpT::create(im.b, im.loc, im.f32Type(shape), *a, *b));
  return success();
}

/// Max and Min: one or more inputs, broadcast together, as a chain of
/// binary ops.
template <typename OpT> LogicalResult importVariadic(Importer &im) {
  if (im.node->input_size() == 0)
    return im.error() << "needs at least one input";
  auto acc = floatInput(im, 0);
  if (failed(acc))
    return failure();
  Value result = *acc;
  for (int i = 1; i < im.node->input_size(); ++i) {
    auto v = floatInput(im, i);
    if (failed(v))
      return failure();
    SmallVector<int64_t> shape;
    if (!OpTrait::util::getBroadcastedShape(Importer::shape(result),
                                            Importer::shape(*v), shape))
      return im.error() << "input #" << i << " has shape "
                        << shapeStr(Importer::shape(*v))
                        << ", which does not broadcast with "
                        << (i == 1 ? "input #0's " : "the earlier inputs' ")
                        << shapeStr(Importer::shape(result));
    result = OpT::create(im.b, im.loc, im.f32Type(shape), result, *v);
  }
  im.define(0, result);
  return success();
}

template <typename OpT>
LogicalResult importUnary(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  im.define(0, OpT::create(im.b, im.loc, (*x).getType(), *x));
  return success();
}

LogicalResult importClamp(Importer &im, std::optional<float> lo,
                          std::optional<float> hi) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto op = ClampOp::create(im.b, im.loc, *x,
                            lo ? im.b.getF32FloatAttr(*lo) : FloatAttr(),
                            hi ? im.b.getF32FloatAttr(*hi) : FloatAttr());
  im.define(0, op);
  return success();
}

/// Clip: bounds that are attributes (before opset 11) or constants become a
/// qc.clamp; a bound given at run time (a single value) is applied as
/// qc.max (min) or qc.min (max), broadcast over the input.
LogicalResult importClip(Importer &im) {
  std::optional<float> lo, hi;
  if (im.opset < 11) {
    if (im.attr("min"))
      lo = im.attrFloat("min", 0);
    if (im.attr("max"))
      hi = im.attrFloat("max", 0);
    return importClamp(im, lo, hi);
  }
  auto boundName = [](int i) { return i == 1 ? "min" : "max"; };
  bool runTime = false;
  for (int i : {1, 2}) {
    if (!im.has(i))
      continue;
    if (!im.isConst(i)) {
      runTime = true;
      continue;
    }
    if (im.constant(i).values.size() != 1)
      return im.error() << boundName(i) << " must be a single value, got shape "
                        << shapeStr(im.constant(i).shape);
    (i == 1 ? lo : hi) = float(im.constant(i).values[0]);
  }
  if (!runTime)
    return importClamp(im, lo, hi);
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  Value y = *x;
  // max(x, min) first, then min(., max), as numpy's clip (ONNX's reference).
  for (int i : {1, 2}) {
    if (!im.has(i))
      continue;
    if (im.isConst(i)) {
      y = ClampOp::create(im.b, im.loc, y,
                          i == 1 ? im.b.getF32FloatAttr(*lo) : FloatAttr(),
                          i == 2 ? im.b.getF32FloatAttr(*hi) : FloatAttr());
      continue;
    }
    auto bound = floatInput(im, i);
    if (failed(bound))
      return failure();
    auto bs = Importer::shape(*bound);
    if (product(bs) != 1)
      return im.error() << boundName(i)
                        << " (given at run time) must be a single value, got "
                           "shape "
                        << shapeStr(bs);
    // A scalar, so that broadcasting keeps the input's shape.
    Value b = reshape(im, *bound, {});
    if (i == 1)
      y = MaxOp::create(im.b, im.loc, y.getType(), y, b);
    else
      y = MinOp::create(im.b, im.loc, y.getType(), y, b);
  }
  im.define(0, y);
  return success();
}

} // namespace

LogicalResult onnximport::importPoolLike(Importer &im, Value input, bool isMax,
                                         bool global, Value &result) {
  FailureOr<Value> x = input;
  Type element = elementOf(*x);
  auto xs = Importer::shape(*x);
  // 1-D pooling (audio models) is 2-D pooling of height 1.
  bool oneD = xs.size() == 3;
  if (oneD) {
    xs.insert(xs.begin() + 2, 1);
    x = reshape(im, *x, xs);
  }
  if (xs.size() != 4)
    return im.error() << "only 1-D and 2-D pooling (NCW and NCHW tensors) is "
                         "supported, got a tensor of rank "
                      << xs.size();
  if (im.used(1))
    return im.error() << "the Indices output is not supported";
  // storage_order only orders the indices: 0 (row major) or 1 (column major).
  if (int64_t order = im.attrInt("storage_order", 0); order != 0 && order != 1)
    return im.error() << "'storage_order' must be 0 or 1, got " << order;
  SmallVector<int64_t> kernel, strides(2, 1), dilations(2, 1);
  SmallVector<int64_t> pads(4, 0);
  bool ceil = false, countPad = false;
  if (global) {
    kernel = {xs[2], xs[3]};
  } else {
    auto k = windowAttr(im, "kernel_shape", oneD);
    if (!k || k->size() != 2)
      return im.error() << "'kernel_shape' must give " << (oneD ? 1 : 2)
                        << " dims";
    kernel.assign(k->begin(), k->end());
    if (auto s = windowAttr(im, "strides", oneD))
      strides.assign(s->begin(), s->end());
    if (auto d = windowAttr(im, "dilations", oneD))
      dilations.assign(d->begin(), d->end());
    if (failed(checkWindow(im, kernel, strides, dilations)))
      return failure();
    auto p = windowPads(im, {xs[2], xs[3]}, kernel, strides, dilations, oneD);
    if (failed(p))
      return failure();
    pads = *p;
    ceil = im.attrInt("ceil_mode", 0);
    countPad = im.attrInt("count_include_pad", 0);
    if (!isMax && (dilations[0] != 1 || dilations[1] != 1))
      return im.error() << "dilated average pooling is not supported";
  }
  auto h = checkedWindowOut(im, 0, {xs[2], xs[3]}, kernel, strides, pads,
                            dilations, ceil);
  if (failed(h))
    return failure();
  auto w = checkedWindowOut(im, 1, {xs[2], xs[3]}, kernel, strides, pads,
                            dilations, ceil);
  if (failed(w))
    return failure();
  SmallVector<int64_t> out = {xs[0], xs[1], *h, *w};
  auto arr = [&](ArrayRef<int64_t> v) { return im.b.getDenseI64ArrayAttr(v); };
  Value y;
  if (isMax)
    y = MaxPool2DOp::create(im.b, im.loc, RankedTensorType::get(out, element),
                            *x, arr(kernel),
                            arr(strides), arr(pads), arr(dilations),
                            im.b.getBoolAttr(ceil));
  else
    y = AvgPool2DOp::create(im.b, im.loc, im.f32Type(out), *x, arr(kernel),
                            arr(strides), arr(pads), im.b.getBoolAttr(ceil),
                            im.b.getBoolAttr(countPad));
  if (oneD)
    y = reshape(im, y, {out[0], out[1], out[3]});
  result = y;
  return success();
}

namespace {

LogicalResult importPool(Importer &im, bool isMax, bool global) {
  // Max pooling also runs on the 8-bit tensors of a QOperator model (ORT's
  // quantizer leaves MaxPool on uint8): the maximum of quantized values is
  // the quantized maximum, so the result keeps the input's parameters.
  auto in = im.value(0);
  if (failed(in))
    return failure();
  FailureOr<Value> x = in;
  if (!isMax || !getPerTensorType((*in).getType()))
    x = floatInput(im, 0);
  if (failed(x))
    return failure();
  Value y;
  if (failed(importPoolLike(im, *x, isMax, global, y)))
    return failure();
  im.define(0, y);
  return success();
}

/// The target shape of Reshape (0 copies, -1 infers).
FailureOr<SmallVector<int64_t>> reshapeTarget(Importer &im,
                                              ArrayRef<int64_t> in,
                                              std::vector<int64_t> target) {
  SmallVector<int64_t> shape;
  int64_t infer = -1, known = 1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == 0 && !im.attrInt("allowzero", 0))
      d = i < in.size() ? in[i] : 0;
    if (d < -1) {
      im.error() << "the target shape has dim " << d
                 << "; only -1 (inferred) may be negative";
      return failure();
    }
    if (d == -1) {
      if (infer >= 0) {
        im.error() << "more than one -1 in the target shape";
        return failure();
      }
      infer = i;
    } else if (llvm::MulOverflow(known, d, known) || known > im.maxElements()) {
      im.error() << "the target shape " << shapeStr(target) << " has more than "
                 << limitText(im.maxElements()) << " elements";
      return failure();
    }
    shape.push_back(d);
  }
  if (infer >= 0)
    shape[infer] = known ? product(in) / known : 0;
  if (product(shape) != product(in)) {
    im.error() << "cannot reshape " << product(in) << " elements ("
               << shapeStr(in) << ") to " << shapeStr(shape);
    return failure();
  }
  return shape;
}

} // namespace

//===----------------------------------------------------------------------===//
// Helpers shared with QuantOps.cpp
//===----------------------------------------------------------------------===//

int64_t onnximport::normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// "2x3x4" (or "scalar") for diagnostics.
std::string onnximport::shapeStr(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

Type onnximport::elementOf(Value v) { return cast<ShapedType>(v.getType()).getElementType(); }

/// The f32 value of input `i`, dequantizing nothing (float graphs).
FailureOr<Value> onnximport::floatInput(Importer &im, int i) {
  auto v = im.value(i);
  if (failed(v))
    return failure();
  if (!elementOf(*v).isF32()) {
    im.error() << "input #" << i << " has element type " << elementOf(*v)
               << "; this operator takes float32 tensors";
    return failure();
  }
  return v;
}

LogicalResult onnximport::importConvLike(Importer &im, Value x, Value w, Value bias,
                             Value &result) {
  auto xs = Importer::shape(x), ws = Importer::shape(w);
  // A 1-D convolution (audio models) is a 2-D one of height 1.
  bool oneD = xs.size() == 3 && ws.size() == 3;
  if (oneD) {
    xs.insert(xs.begin() + 2, 1);
    ws.insert(ws.begin() + 2, 1);
    x = reshape(im, x, xs);
    w = reshape(im, w, ws);
  }
  if (xs.size() != 4 || ws.size() != 4)
    return im.error() << "only 1-D and 2-D convolutions (NCW/NCHW input, "
                         "OIW/OIHW weights) are supported (input "
                      << shapeStr(xs) << ", weight " << shapeStr(ws) << ")";
  SmallVector<int64_t> strides(2, 1), dilations(2, 1);
  if (auto s = windowAttr(im, "strides", oneD))
    strides.assign(s->begin(), s->end());
  if (auto d = windowAttr(im, "dilations", oneD))
    dilations.assign(d->begin(), d->end());
  SmallVector<int64_t> kernel = {ws[2], ws[3]};
  if (auto k = windowAttr(im, "kernel_shape", oneD);
      k && ArrayRef<int64_t>(*k) != ArrayRef<int64_t>(kernel))
    return im.error() << "kernel_shape " << shapeStr(*k)
                      << " differs from the weight's " << shapeStr(kernel);
  if (failed(checkWindow(im, kernel, strides, dilations)))
    return failure();
  int64_t groups = im.attrInt("group", 1);
  if (groups < 1)
    return im.error() << "group must be positive, got " << groups;
  if (xs[1] % groups || ws[0] % groups)
    return im.error() << "input channels (" << xs[1] << ") and output "
                      << "channels (" << ws[0]
                      << ") must be divisible by group (" << groups << ")";
  if (ws[1] * groups != xs[1])
    return im.error() << "the weight has " << ws[1]
                      << " input channels per group but the input has " << xs[1]
                      << " channels in " << groups << " group"
                      << (groups == 1 ? "" : "s");
  if (bias) {
    auto bs = Importer::shape(bias);
    if (bs.size() != 1 || bs[0] != ws[0])
      return im.error() << "the bias must have one value per output channel ("
                        << ws[0] << "), got shape " << shapeStr(bs);
  }
  auto pads = windowPads(im, {xs[2], xs[3]}, kernel, strides, dilations, oneD);
  if (failed(pads))
    return failure();
  auto h = checkedWindowOut(im, 0, {xs[2], xs[3]}, kernel, strides, *pads,
                            dilations, false);
  if (failed(h))
    return failure();
  auto wd = checkedWindowOut(im, 1, {xs[2], xs[3]}, kernel, strides, *pads,
                             dilations, false);
  if (failed(wd))
    return failure();
  SmallVector<int64_t> out = {xs[0], ws[0], *h, *wd};
  SmallVector<Value> operands = {x, w};
  if (bias)
    operands.push_back(bias);
  // Attributes by name: those not set here keep their defaults.
  SmallVector<NamedAttribute> attrs = {
      im.b.getNamedAttr("strides", im.b.getDenseI64ArrayAttr(strides)),
      im.b.getNamedAttr("pads", im.b.getDenseI64ArrayAttr(*pads)),
      im.b.getNamedAttr("dilations", im.b.getDenseI64ArrayAttr(dilations)),
      im.b.getNamedAttr("groups", im.b.getI64IntegerAttr(groups))};
  Type outType = RankedTensorType::get(out, elementOf(x));
  result = Conv2DOp::create(im.b, im.loc, TypeRange{outType}, operands, attrs);
  if (oneD)
    result = reshape(im, result, {out[0], out[1], out[3]});
  return success();
}

LogicalResult onnximport::importMatMulLike(Importer &im, Value a, Value b, Value &result) {
  bool ok;
  auto shape = matmulShape(Importer::shape(a), Importer::shape(b), ok);
  if (!ok)
    return im.error() << "operand shapes " << shapeStr(Importer::shape(a))
                      << " and " << shapeStr(Importer::shape(b))
                      << " do not multiply";
  result = createMatMul(im, im.f32Type(shape), a, b, Value());
  return success();
}
//===----------------------------------------------------------------------===//
// The operators
//===----------------------------------------------------------------------===//

namespace {

LogicalResult importConv(Importer &im) {
  auto x = floatInput(im, 0), w = floatInput(im, 1);
  if (failed(x) || failed(w))
    return failure();
  Value bias;
  if (im.has(2)) {
    auto bv = floatInput(im, 2);
    if (failed(bv))
      return failure();
    bias = *bv;
  }
  Value y;
  if (failed(importConvLike(im, *x, *w, bias, y)))
    return failure();
  im.define(0, y);
  return success();
}

/// BatchNormalization whose scale, bias, mean or variance is given at run
/// time: y = (x - mean) / sqrt(var + epsilon) * scale + bias, each [C]
/// parameter reshaped to [1, C, 1, ...] to broadcast over the channels.
LogicalResult importRunTimeBatchNorm(Importer &im, Value x, float eps) {
  auto xs = Importer::shape(x);
  if (xs.size() < 2)
    return im.error() << "the input must have a channel dimension (N x C x "
                         "...), got shape "
                      << shapeStr(xs);
  int64_t c = xs[1];
  SmallVector<int64_t> pshape(xs.size(), 1);
  pshape[1] = c;
  static const char *names[] = {"scale", "bias", "mean", "var"};
  Value p[4];
  for (int i = 1; i <= 4; ++i) {
    auto v = floatInput(im, i);
    if (failed(v))
      return failure();
    auto s = Importer::shape(*v);
    if (s.size() != 1 || s[0] != c)
      return im.error() << "the " << names[i - 1] << " has shape "
                        << shapeStr(s)
                        << " but must have one value per channel (" << c << ")";
    p[i - 1] = reshape(im, *v, pshape);
  }
  auto xt = x.getType();
  auto pt = im.f32Type(pshape);
  Value epsilon = arith::ConstantOp::create(
      im.b, im.loc, DenseElementsAttr::get(im.f32Type({}), eps));
  Value centered = SubOp::create(im.b, im.loc, xt, x, p[2]);
  Value stdDev = SqrtOp::create(im.b, im.loc, pt,
                                AddOp::create(im.b, im.loc, pt, p[3], epsilon));
  Value normalized = DivOp::create(im.b, im.loc, xt, centered, stdDev);
  Value scaled = MulOp::create(im.b, im.loc, xt, normalized, p[0]);
  im.define(0, AddOp::create(im.b, im.loc, xt, scaled, p[1]));
  return success();
}

/// BatchNormalization (inference): folded into the preceding convolution or
/// transposed convolution (both have [C_out, ...] weights) when it is the
/// conv's only user and everything is constant, else a
/// multiply-add with constant factors, or the formula at run time.
LogicalResult importBatchNorm(Importer &im) {
  if (int64_t mode = im.attrInt("training_mode", 0))
    return im.error() << "training mode (training_mode = " << mode
                      << ") is not supported, only inference";
  if (im.used(1) || im.used(2) || im.used(3) || im.used(4))
    return im.error() << "training-mode outputs are not supported";
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  float eps = im.attrFloat("epsilon", 1e-5f);
  for (int i = 1; i <= 4; ++i)
    if (!im.isConst(i))
      return importRunTimeBatchNorm(im, *x, eps);
  const Const &gamma = im.constant(1), &beta = im.constant(2),
              &mean = im.constant(3), &var = im.constant(4);
  int64_t c = gamma.values.size();
  auto xs = Importer::shape(*x);
  if (xs.size() < 2 || xs[1] != c)
    return im.error() << "scale has " << c
                      << " values but the input's channel dimension is "
                      << (xs.size() < 2 ? 0 : xs[1]);
  for (const Const *p : {&beta, &mean, &var})
    if (int64_t(p->values.size()) != c)
      return im.error() << "scale, bias, mean and var must all have " << c
                        << " values";
  std::vector<float> a(c), shift(c);
  for (int64_t i = 0; i < c; ++i) {
    a[i] = float(gamma.values[i] / std::sqrt(var.values[i] + double(eps)));
    shift[i] = float(beta.values[i] - mean.values[i] * double(a[i]));
  }
  Operation *conv = (*x).getDefiningOp();
  if (conv && !isa<Conv2DOp, ConvTranspose2DOp>(conv))
    conv = nullptr;
  Value convBias =
      conv && conv->getNumOperands() > 2 ? conv->getOperand(2) : Value();
  DenseElementsAttr w, bias;
  // At import the convolution's result has no uses yet: BN must be the
  // only consumer in the graph, and the value no graph output.
  if (conv && conv->getResult(0).use_empty() &&
      im.consumers(im.node->input(0)) == 1 &&
      !im.isGraphOutput(im.node->input(0)) &&
      matchPattern(conv->getOperand(1), m_Constant(&w)) &&
      (!convBias || matchPattern(convBias, m_Constant(&bias)))) {
    auto ws = w.getType().getShape();
    int64_t per = product(ws.drop_front());
    std::vector<float> nw(w.getValues<float>().begin(),
                          w.getValues<float>().end());
    std::vector<float> nb(c, 0.0f);
    if (bias)
      nb.assign(bias.getValues<float>().begin(), bias.getValues<float>().end());
    for (int64_t o = 0; o < c; ++o) {
      for (int64_t k = 0; k < per; ++k)
        nw[o * per + k] *= a[o];
      nb[o] = nb[o] * a[o] + shift[o];
    }
    OpBuilder::InsertionGuard g(im.b);
    im.b.setInsertionPoint(conv);
    Value newW = arith::ConstantOp::create(
        im.b, im.loc, DenseElementsAttr::get(w.getType(), ArrayRef<float>(nw)));
    Value newB = arith::ConstantOp::create(
        im.b, im.loc,
        DenseElementsAttr::get(RankedTensorType::get({c}, im.b.getF32Type()),
                               ArrayRef<float>(nb)));
    conv->setOperand(1, newW);
    if (convBias)
      conv->setOperand(2, newB);
    else
      conv->insertOperands(2, newB);
    im.define(0, conv->getResult(0));
    return success();
  }
  SmallVector<int64_t> cshape(xs.size() - 1, 1);
  cshape[0] = c;
  auto t = im.f32Type(cshape);
  Value av = arith::ConstantOp::create(im.b, im.loc,
                                       DenseElementsAttr::get(t, ArrayRef<float>(a)));
  Value sv = arith::ConstantOp::create(
      im.b, im.loc, DenseElementsAttr::get(t, ArrayRef<float>(shift)));
  Value m = MulOp::create(im.b, im.loc, (*x).getType(), *x, av);
  im.define(0, AddOp::create(im.b, im.loc, (*x).getType(), m, sv));
  return success();
}

} // namespace

LogicalResult onnximport::importGemmLike(Importer &im, Value a, Value b,
                                         Value c, Value &y) {
  float alpha = im.attrFloat("alpha", 1.0f), beta = im.attrFloat("beta", 1.0f);
  bool ta = im.attrInt("transA", 0), tb = im.attrInt("transB", 0);
  Value av = a, bv = b;
  auto transpose = [&](Value v) {
    auto s = Importer::shape(v);
    // A constant (the usual transB weight) is transposed here.
    return im.b.createOrFold<TransposeOp>(im.loc, im.f32Type({s[1], s[0]}), v,
                                          im.b.getDenseI64ArrayAttr({1, 0}));
  };
  if (Importer::shape(av).size() != 2 || Importer::shape(bv).size() != 2)
    return im.error() << "Gemm operands must be 2-D";
  if (ta)
    av = transpose(av);
  if (tb)
    bv = transpose(bv);
  if (alpha != 1.0f) {
    Value s = arith::ConstantOp::create(
        im.b, im.loc, DenseElementsAttr::get(im.f32Type({}), alpha));
    bv = MulOp::create(im.b, im.loc, bv.getType(), bv, s);
  }
  auto as = Importer::shape(av), bs = Importer::shape(bv);
  if (as[1] != bs[0])
    return im.error() << "operand shapes " << shapeStr(as) << " and "
                      << shapeStr(bs) << " do not multiply (after transA=" << ta
                      << ", transB=" << tb << ")";
  auto outType = im.f32Type({as[0], bs[1]});
  Value bias;
  std::optional<Value> addAfter;
  if (c) {
    Value cv = c;
    if (beta != 1.0f) {
      Value s = arith::ConstantOp::create(
          im.b, im.loc, DenseElementsAttr::get(im.f32Type({}), beta));
      cv = MulOp::create(im.b, im.loc, cv.getType(), cv, s);
    }
    auto cs = Importer::shape(cv);
    if (product(cs) == bs[1] && (cs.size() == 1 || cs[0] == 1))
      bias = reshape(im, cv, {bs[1]});
    else
      addAfter = cv;
  }
  y = createMatMul(im, outType, av, bv, bias);
  if (addAfter) {
    SmallVector<int64_t> shape;
    if (!OpTrait::util::getBroadcastedShape(Importer::shape(y),
                                            Importer::shape(*addAfter), shape))
      return im.error() << "C does not broadcast to the product";
    y = AddOp::create(im.b, im.loc, im.f32Type(shape), y, *addAfter);
  }
  return success();
}

namespace {

LogicalResult importGemm(Importer &im) {
  auto a = floatInput(im, 0), b = floatInput(im, 1);
  if (failed(a) || failed(b))
    return failure();
  Value c;
  if (im.has(2)) {
    auto cv = floatInput(im, 2);
    if (failed(cv))
      return failure();
    c = *cv;
  }
  Value y;
  if (failed(importGemmLike(im, *a, *b, c, y)))
    return failure();
  im.define(0, y);
  return success();
}

LogicalResult importSoftmax(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  auto checked =
      checkedAxis(im, im.attrInt("axis", im.opset >= 13 ? -1 : 1), rank);
  if (failed(checked))
    return failure();
  int64_t axis = *checked;
  if (im.opset >= 13 || axis == rank - 1) {
    im.define(0, SoftmaxOp::create(im.b, im.loc, (*x).getType(), *x,
                                   im.b.getI64IntegerAttr(axis)));
    return success();
  }
  // Opset < 13: softmax of the input flattened to 2-D at `axis`.
  SmallVector<int64_t> flat = {product(ArrayRef<int64_t>(xs).take_front(axis)),
                               product(ArrayRef<int64_t>(xs).drop_front(axis))};
  Value f = reshape(im, *x, flat);
  Value s = SoftmaxOp::create(im.b, im.loc, f.getType(), f,
                              im.b.getI64IntegerAttr(1));
  im.define(0, reshape(im, s, xs));
  return success();
}

LogicalResult importReshapeLike(Importer &im, StringRef op) {
  auto x = im.value(0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  SmallVector<int64_t> shape;
  if (op == "Reshape") {
    if (!im.isConst(1))
      return im.error() << "the target shape must be known at compile time "
                           "(fix the input shapes with --input-shape)";
    auto s = reshapeTarget(im, xs, im.constant(1).asInts());
    if (failed(s))
      return failure();
    shape = *s;
  } else if (op == "Flatten") {
    auto checked = checkedAxis(im, im.attrInt("axis", 1), rank,
                               /*allowRank=*/true);
    if (failed(checked))
      return failure();
    int64_t axis = *checked;
    shape = {product(ArrayRef<int64_t>(xs).take_front(axis)),
             product(ArrayRef<int64_t>(xs).drop_front(axis))};
  } else {
    std::vector<int64_t> axes;
    if (auto a = im.attrInts("axes"))
      axes = *a;
    else if (im.has(1)) {
      if (!im.isConst(1))
        return im.error() << "axes must be constant";
      axes = im.constant(1).asInts();
    }
    if (op == "Unsqueeze") {
      if (axes.empty())
        return im.error() << "axes must be given";
      shape.assign(xs.begin(), xs.end());
      int64_t outRank = rank + axes.size();
      auto checked = checkedAxes(im, axes, outRank);
      if (failed(checked))
        return failure();
      llvm::sort(*checked);
      for (int64_t a : *checked)
        shape.insert(shape.begin() + std::min<int64_t>(a, shape.size()), 1);
    } else {
      auto checked = checkedAxes(im, axes, rank);
      if (failed(checked))
        return failure();
      for (int64_t d = 0; d < rank; ++d) {
        bool drop = axes.empty() ? xs[d] == 1 : llvm::is_contained(*checked, d);
        if (drop && xs[d] != 1)
          return im.error() << "cannot squeeze dim " << d << " of size "
                            << xs[d];
        if (!drop)
          shape.push_back(xs[d]);
      }
    }
  }
  im.define(0, reshape(im, *x, shape));
  return success();
}

LogicalResult importTranspose(Importer &im) {
  auto x = im.value(0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  std::vector<int64_t> perm;
  if (auto p = im.attrInts("perm"))
    perm = *p;
  else
    for (int64_t i = xs.size() - 1; i >= 0; --i)
      perm.push_back(i);
  std::vector<int64_t> sorted = perm;
  llvm::sort(sorted);
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted.size() != xs.size() || sorted[i] != int64_t(i))
      return im.error() << "perm is not a permutation of the " << xs.size()
                        << " dims";
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(xs[p]);
  auto type = cast<RankedTensorType>((*x).getType()).clone(out);
  im.define(0, TransposeOp::create(im.b, im.loc, type, *x,
                                   im.b.getDenseI64ArrayAttr(perm)));
  return success();
}

LogicalResult importConcat(Importer &im) {
  SmallVector<Value> inputs;
  for (int i = 0; i < im.node->input_size(); ++i) {
    auto v = im.value(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return im.error() << "needs at least one input";
  SmallVector<int64_t> shape = Importer::shape(inputs[0]);
  int64_t rank = shape.size();
  auto checked = checkedAxis(im, im.attrInt("axis", 0), rank);
  if (failed(checked))
    return failure();
  int64_t axis = *checked;
  Type element = elementOf(inputs[0]);
  for (auto [i, v] : llvm::enumerate(inputs)) {
    auto s = Importer::shape(v);
    if (int64_t(s.size()) != rank)
      return im.error() << "input #" << i << " has rank " << s.size()
                        << " but input #0 has rank " << rank;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && s[d] != shape[d])
        return im.error() << "input #" << i << " has shape " << shapeStr(s)
                          << ", which differs from input #0's "
                          << shapeStr(shape) << " in dim " << d
                          << " (not the axis)";
    if (elementOf(v) != element)
      return im.error() << "input #" << i << " has element type "
                        << elementOf(v) << " but input #0 has " << element;
  }
  shape[axis] = 0;
  for (Value v : inputs)
    shape[axis] += Importer::shape(v)[axis];
  auto type = cast<RankedTensorType>(inputs[0].getType()).clone(shape);
  im.define(0, ConcatOp::create(im.b, im.loc, type, inputs,
                                im.b.getI64IntegerAttr(axis)));
  return success();
}

LogicalResult importSlice(Importer &im) {
  auto x = im.value(0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  std::string why;
  auto bounds = getSliceBounds(im, xs, &why);
  if (failed(bounds))
    return im.error() << why;
  for (auto [d, size] : llvm::enumerate(bounds->sizes))
    if (size == 0)
      return im.error() << "the slice of dim " << d
                        << " is empty; qc does not support empty tensors";
  auto type = cast<RankedTensorType>((*x).getType()).clone(bounds->sizes);
  bool unit = llvm::all_of(bounds->steps, [](int64_t s) { return s == 1; });
  im.define(0,
            SliceOp::create(im.b, im.loc, type, *x,
                            im.b.getDenseI64ArrayAttr(bounds->lo),
                            im.b.getDenseI64ArrayAttr(unit ? ArrayRef<int64_t>()
                                                           : bounds->steps)));
  return success();
}

LogicalResult importSplit(Importer &im) {
  auto x = im.value(0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  auto checked = checkedAxis(im, im.attrInt("axis", 0), rank);
  if (failed(checked))
    return failure();
  int64_t axis = *checked;
  int64_t n = im.node->output_size();
  if (n == 0)
    return im.error() << "has no outputs";
  std::vector<int64_t> split;
  if (auto s = im.attrInts("split"))
    split = *s;
  else if (im.has(1)) {
    if (!im.isConst(1))
      return im.error() << "split sizes must be constant";
    split = im.constant(1).asInts();
  } else if (im.attr("num_outputs")) {
    // Opset 18: num_outputs chunks of ceil(dim / n), the last one smaller.
    int64_t count = im.attrInt("num_outputs", n);
    if (count != n)
      return im.error() << "num_outputs is " << count << " but the node has "
                        << n << " outputs";
    int64_t chunk = (xs[axis] + n - 1) / n;
    if (chunk * (n - 1) >= xs[axis] && n > 1)
      return im.error() << "dim " << axis << " of size " << xs[axis]
                        << " cannot be split into " << n
                        << " non-empty chunks of " << chunk;
    split.assign(n, chunk);
    split.back() = xs[axis] - chunk * (n - 1);
  } else {
    if (xs[axis] % n)
      return im.error() << "dim " << axis << " of size " << xs[axis]
                        << " does not split evenly into " << n;
    split.assign(n, xs[axis] / n);
  }
  if (int64_t(split.size()) != n)
    return im.error() << "gives " << split.size() << " split sizes for " << n
                      << " outputs";
  int64_t total = 0;
  for (int64_t size : split) {
    if (size < 0)
      return im.error() << "split size " << size << " is negative";
    total += size;
  }
  if (total != xs[axis])
    return im.error() << "split sizes add up to " << total << ", not "
                      << xs[axis] << " (dim " << axis << ")";
  int64_t offset = 0;
  for (size_t i = 0; i < split.size(); ++i) {
    SmallVector<int64_t> offsets(rank, 0), sizes(xs);
    offsets[axis] = offset;
    sizes[axis] = split[i];
    offset += split[i];
    auto type = cast<RankedTensorType>((*x).getType()).clone(sizes);
    im.define(i, SliceOp::create(im.b, im.loc, type, *x,
                                 im.b.getDenseI64ArrayAttr(offsets)));
  }
  return success();
}

LogicalResult importReduceMean(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  std::vector<int64_t> axes;
  if (auto a = im.attrInts("axes"))
    axes = *a;
  else if (im.has(1)) {
    if (!im.isConst(1))
      return im.error() << "axes must be constant";
    axes = im.constant(1).asInts();
  }
  if (axes.empty()) {
    // Opset 18: no axes with noop_with_empty_axes is the identity;
    // otherwise every axis is reduced.
    if (im.attrInt("noop_with_empty_axes", 0)) {
      im.define(0, *x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (failed(checkedAxes(im, axes, rank)))
    return failure();
  bool keep = im.attrInt("keepdims", 1);
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::any_of(
        axes, [&](int64_t a) { return normalizeAxis(a, rank) == d; });
    if (!reduced)
      out.push_back(xs[d]);
    else if (keep)
      out.push_back(1);
  }
  im.define(0, ReduceMeanOp::create(im.b, im.loc, im.f32Type(out), *x,
                                    im.b.getDenseI64ArrayAttr(axes),
                                    im.b.getBoolAttr(keep)));
  return success();
}

LogicalResult importPow(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  if (im.isConst(1) && im.constant(1).isScalar()) {
    double e = im.constant(1).values[0];
    if (e == 1.0) {
      im.define(0, *x);
      return success();
    }
    if (e == 2.0) {
      im.define(0, MulOp::create(im.b, im.loc, (*x).getType(), *x, *x));
      return success();
    }
    if (e == 0.5) {
      im.define(0, SqrtOp::create(im.b, im.loc, (*x).getType(), *x));
      return success();
    }
  }
  return importBinary<PowOp>(im);
}

LogicalResult importLayerNorm(Importer &im) {
  auto x = floatInput(im, 0), g = floatInput(im, 1);
  if (failed(x) || failed(g))
    return failure();
  Value bias;
  if (im.has(2)) {
    auto bv = floatInput(im, 2);
    if (failed(bv))
      return failure();
    bias = *bv;
  }
  SmallVector<int64_t> xs = Importer::shape(*x);
  int64_t rank = xs.size();
  auto checked = checkedAxis(im, im.attrInt("axis", -1), rank);
  if (failed(checked))
    return failure();
  int64_t axis = *checked;
  float eps = im.attrFloat("epsilon", 1e-5f);
  auto norm = ArrayRef<int64_t>(xs).drop_front(axis);
  // Scale and bias hold one value per normalized element (leading unit
  // dims aside).
  for (auto [v, name] : {std::pair(*g, "scale"), std::pair(bias, "bias")})
    if (v && product(Importer::shape(v)) != product(norm))
      return im.error() << "the " << name << " has shape "
                        << shapeStr(Importer::shape(v))
                        << " but the normalized dims are " << shapeStr(norm);
  Value gv = reshape(im, *g, norm);
  if (bias)
    bias = reshape(im, bias, norm);
  im.define(0, LayerNormOp::create(im.b, im.loc, (*x).getType(), *x, gv, bias,
                                   im.b.getI64IntegerAttr(axis),
                                   im.b.getF32FloatAttr(eps), UnitAttr()));
  if (!im.used(1) && !im.used(2))
    return success();
  // The optional statistics, as ONNX's function body defines them:
  // Mean = ReduceMean(X), InvStdDev = 1 / Sqrt(ReduceMean((X - Mean)^2) +
  // epsilon) over the normalized dims, which are kept with size 1.
  SmallVector<int64_t> axes, reduced(xs.begin(), xs.begin() + axis);
  for (int64_t d = axis; d < rank; ++d)
    axes.push_back(d);
  reduced.append(rank - axis, 1);
  auto statType = im.f32Type(reduced);
  auto reduceMean = [&](Value v) -> Value {
    return ReduceMeanOp::create(im.b, im.loc, statType, v,
                                im.b.getDenseI64ArrayAttr(axes),
                                im.b.getBoolAttr(true));
  };
  auto scalar = [&](float v) -> Value {
    return arith::ConstantOp::create(im.b, im.loc,
                                     DenseElementsAttr::get(im.f32Type({}), v));
  };
  Value mean = reduceMean(*x);
  Value diff = SubOp::create(im.b, im.loc, (*x).getType(), *x, mean);
  Value sq = MulOp::create(im.b, im.loc, (*x).getType(), diff, diff);
  Value var =
      AddOp::create(im.b, im.loc, statType, reduceMean(sq), scalar(eps));
  Value stdDev = SqrtOp::create(im.b, im.loc, statType, var);
  im.define(1, mean);
  im.define(2, DivOp::create(im.b, im.loc, statType, scalar(1.0f), stdDev));
  return success();
}

LogicalResult importPassThrough(Importer &im) {
  if (im.node->op_type() == "Dropout" && im.used(1))
    return im.error() << "the mask output is not supported";
  // Dropout is the identity only in inference: a training_mode input must
  // be a constant false (or the ratio a constant 0).
  auto constantZero = [&](int i) {
    return im.isConst(i) && llvm::all_of(im.constant(i).values,
                                         [](double v) { return v == 0; });
  };
  if (im.node->op_type() == "Dropout" && im.has(2) && !constantZero(2) &&
      !constantZero(1))
    return im.error() << "training mode (a training_mode input that is not "
                         "a constant false) is not supported, only inference";
  auto x = im.value(0);
  if (failed(x))
    return failure();
  if (im.node->op_type() == "Cast") {
    int32_t onnxTo = int32_t(im.attrInt("to", 1));
    DType to = fromOnnx(onnxTo);
    Type element = elementOf(*x);
    Type storage = element;
    if (auto q = getQuantElementType((*x).getType()))
      storage = getStorageIntegerType(q);
    if (!castIsNoOp(to, storage))
      return im.error() << "casts from " << element << " to "
                        << onnxTypeName(onnxTo) << " are not supported";
  }
  im.define(0, *x);
  return success();
}

} // namespace


LogicalResult onnximport::importOp(Importer &im, StringRef op) {
  if (std::optional<LogicalResult> logic = importLogicOp(im, op))
    return *logic;
  if (op == "Conv")
    return importConv(im);
  if (op == "MatMul") {
    auto a = floatInput(im, 0), b = floatInput(im, 1);
    if (failed(a) || failed(b))
      return failure();
    Value y;
    if (failed(importMatMulLike(im, *a, *b, y)))
      return failure();
    im.define(0, y);
    return success();
  }
  if (op == "Gemm")
    return importGemm(im);
  if (op == "BatchNormalization")
    return importBatchNorm(im);
  if (op == "Add")
    return importBinary<AddOp>(im);
  if (op == "Sub")
    return importBinary<SubOp>(im);
  if (op == "Mul")
    return importBinary<MulOp>(im);
  if (op == "Div")
    return importBinary<DivOp>(im);
  if (op == "Pow")
    return importPow(im);
  if (op == "Max")
    return importVariadic<MaxOp>(im);
  if (op == "Min")
    return importVariadic<MinOp>(im);
  if (op == "Sqrt")
    return importUnary<SqrtOp>(im);
  if (op == "Neg") {
    auto x = floatInput(im, 0);
    if (failed(x))
      return failure();
    Value minusOne = arith::ConstantOp::create(
        im.b, im.loc, DenseElementsAttr::get(im.f32Type({}), -1.0f));
    im.define(0, MulOp::create(im.b, im.loc, (*x).getType(), *x, minusOne));
    return success();
  }
  if (op == "Reciprocal") {
    auto x = floatInput(im, 0);
    if (failed(x))
      return failure();
    Value one = arith::ConstantOp::create(
        im.b, im.loc, DenseElementsAttr::get(im.f32Type({}), 1.0f));
    im.define(0, DivOp::create(im.b, im.loc, (*x).getType(), one, *x));
    return success();
  }
  if (op == "Sigmoid")
    return importUnary<SigmoidOp>(im);
  if (op == "Tanh")
    return importUnary<TanhOp>(im);
  if (op == "Erf")
    return importUnary<ErfOp>(im);
  if (op == "Relu")
    return importClamp(im, 0.0f, std::nullopt);
  if (op == "Clip")
    return importClip(im);
  if (op == "MaxPool")
    return importPool(im, true, false);
  if (op == "AveragePool")
    return importPool(im, false, false);
  if (op == "GlobalAveragePool")
    return importPool(im, false, true);
  if (op == "GlobalMaxPool")
    return importPool(im, true, true);
  if (op == "Softmax")
    return importSoftmax(im);
  if (op == "LayerNormalization")
    return importLayerNorm(im);
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" ||
      op == "Unsqueeze")
    return importReshapeLike(im, op);
  if (op == "Transpose")
    return importTranspose(im);
  if (op == "Concat")
    return importConcat(im);
  if (op == "Slice")
    return importSlice(im);
  if (op == "Split")
    return importSplit(im);
  if (op == "ReduceMean")
    return importReduceMean(im);
  if (op == "Identity" || op == "Dropout" || op == "Cast")
    return importPassThrough(im);
  if (op == "QuantizeLinear")
    return importQuantizeLinear(im);
  if (op == "DequantizeLinear")
    return importDequantizeLinear(im);
  if (op == "QLinearConv")
    return importQLinear(im, true);
  if (op == "QLinearMatMul")
    return importQLinear(im, false);
  if (op == "MatMulInteger")
    return importIntegerProduct(im, false);
  if (op == "ConvInteger")
    return importIntegerProduct(im, true);
  if (op == "DynamicQuantizeLinear")
    return importDynamicQuantize(im);
  if (auto result = importActivationOp(im, op))
    return *result;
  if (auto result = importDataMovementOp(im, op))
    return *result;
  if (std::optional<LogicalResult> r = importConvNormOp(im, op))
    return *r;
  return im.error() << "unsupported operator";
}
