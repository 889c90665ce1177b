//===- ConvNormOps.cpp - ONNX ConvTranspose, normalizations, reductions ---===//
//
// The importers of ConvTranspose (qc.conv_transpose2d; 1-D as 2-D of height
// 1), InstanceNormalization and GroupNormalization (qc.group_norm),
// LpNormalization, LogSoftmax (qc.log_softmax) and the Reduce* family
// (qc.reduce; ReduceMean is Ops.cpp's), and ArgMax, ArgMin and TopK
// (qc.argmax, qc.argmin, qc.top_k: int64 indices). Every unsupported
// attribute value is an error naming the node and the attribute.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "llvm/ADT/StringSwitch.h"

#include <limits>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

namespace {

/// `v` reshaped to `shape` (folded for constants; nothing when equal).
Value reshapeTo(Importer &im, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return im.b.createOrFold<ReshapeOp>(im.loc, type.clone(shape), v);
}

/// A scalar f32 constant.
Value scalar(Importer &im, float v) {
  return arith::ConstantOp::create(im.b, im.loc,
                                   DenseElementsAttr::get(im.f32Type({}), v));
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// A per-spatial-dim attribute (`dflt` when absent) as the 2-D values the
/// node is computed with: a 1-D node gives 1 value, and its height gets
/// `fill`. Wrong counts and values below `min` are errors naming it.
FailureOr<SmallVector<int64_t>> spatialAttr(Importer &im, StringRef name,
                                            bool oneD, int64_t dflt,
                                            int64_t fill, int64_t min) {
  auto v = im.attrInts(name);
  size_t count = oneD ? 1 : 2;
  if (!v)
    return SmallVector<int64_t>(2, dflt);
  if (v->size() != count ||
      llvm::any_of(*v, [&](int64_t x) { return x < min; }))
    return im.error() << "'" << name << "' must hold " << count << " "
                      << (min > 0 ? "positive" : "non-negative") << " value"
                      << (oneD ? "" : "s") << ", got "
                      << (v->empty() ? std::string("none") : shapeStr(*v));
  if (oneD)
    return SmallVector<int64_t>{fill, (*v)[0]};
  return SmallVector<int64_t>(v->begin(), v->end());
}

/// ONNX's [C_in, C_out / G, kh, kw] weight as qc's [C_out, C_in / G, kh,
/// kw]: per group, its two channel dims swap (folded for constants).
Value permuteWeight(Importer &im, Value w, int64_t groups) {
  auto ws = Importer::shape(w);
  int64_t cg = ws[0] / groups, og = ws[1];
  auto type = cast<RankedTensorType>(w.getType());
  if (groups == 1)
    return im.b.createOrFold<TransposeOp>(
        im.loc, type.clone({ws[1], ws[0], ws[2], ws[3]}), w,
        im.b.getDenseI64ArrayAttr({1, 0, 2, 3}));
  Value grouped = reshapeTo(im, w, {groups, cg, og, ws[2], ws[3]});
  Value swapped = im.b.createOrFold<TransposeOp>(
      im.loc, type.clone({groups, og, cg, ws[2], ws[3]}), grouped,
      im.b.getDenseI64ArrayAttr({0, 2, 1, 3, 4}));
  return reshapeTo(im, swapped, {groups * og, cg, ws[2], ws[3]});
}

LogicalResult importConvTranspose(Importer &im) {
  auto xv = floatInput(im, 0), wv = floatInput(im, 1);
  if (failed(xv) || failed(wv))
    return failure();
  Value x = *xv, w = *wv, bias;
  if (im.has(2)) {
    auto b = floatInput(im, 2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto xs = Importer::shape(x), ws = Importer::shape(w);
  // A 1-D transposed convolution is a 2-D one of height 1.
  bool oneD = xs.size() == 3 && ws.size() == 3;
  if (oneD) {
    xs.insert(xs.begin() + 2, 1);
    ws.insert(ws.begin() + 2, 1);
    x = reshapeTo(im, x, xs);
    w = reshapeTo(im, w, ws);
  }
  if (xs.size() != 4 || ws.size() != 4)
    return im.error() << "only 1-D and 2-D transposed convolutions (NCW/NCHW "
                         "input, [C_in, C_out / group, k...] weights) are "
                         "supported (input "
                      << shapeStr(xs) << ", weight " << shapeStr(ws) << ")";
  auto stridesOr = spatialAttr(im, "strides", oneD, 1, 1, 1);
  auto dilationsOr = spatialAttr(im, "dilations", oneD, 1, 1, 1);
  auto paddingOr = spatialAttr(im, "output_padding", oneD, 0, 0, 0);
  if (failed(stridesOr) || failed(dilationsOr) || failed(paddingOr))
    return failure();
  SmallVector<int64_t> strides = *stridesOr, dilations = *dilationsOr,
                       outputPadding = *paddingOr;
  SmallVector<int64_t> kernel = {ws[2], ws[3]};
  if (auto k = im.attrInts("kernel_shape");
      k && ArrayRef<int64_t>(*k) !=
               ArrayRef<int64_t>(kernel).take_back(oneD ? 1 : 2))
    return im.error() << "'kernel_shape' " << shapeStr(*k)
                      << " differs from the weight's "
                      << shapeStr(
                             ArrayRef<int64_t>(kernel).take_back(oneD ? 1 : 2));
  int64_t groups = im.attrInt("group", 1);
  if (groups < 1)
    return im.error() << "'group' must be positive, got " << groups;
  if (ws[0] != xs[1])
    return im.error() << "the weight has " << ws[0]
                      << " input channels (dim 0) but the input has " << xs[1];
  if (xs[1] % groups)
    return im.error() << "the input channels (" << xs[1]
                      << ") are not divisible by 'group' (" << groups << ")";
  int64_t outChannels = ws[1] * groups;
  if (bias) {
    auto bs = Importer::shape(bias);
    if (bs.size() != 1 || bs[0] != outChannels)
      return im.error() << "the bias must have one value per output channel ("
                        << outChannels << "), got shape " << shapeStr(bs);
  }

  // Pads: explicit, from auto_pad (output = input * stride, or the
  // uncropped result when that is smaller, as ONNX Runtime computes it), or
  // from output_shape, which may also extend the result at the end by less
  // than the stride (an implicit output padding, as ONNX's tests and ONNX
  // Runtime have it).
  std::string autoPad = im.attrString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return im.error() << "unknown 'auto_pad' value '" << autoPad << "'";
  std::optional<std::vector<int64_t>> outputShape = im.attrInts("output_shape");
  if (outputShape) {
    // Either the spatial dims or the whole shape (whose tail they are).
    size_t spatial = oneD ? 1 : 2;
    if (outputShape->size() != spatial && outputShape->size() != spatial + 2)
      return im.error() << "'output_shape' must give " << spatial
                        << " spatial dims, got " << outputShape->size()
                        << " values";
    outputShape->erase(outputShape->begin(), outputShape->end() - spatial);
    if (oneD)
      outputShape->insert(outputShape->begin(), 1);
  }
  SmallVector<int64_t> pads(4, 0);
  if (auto p = im.attrInts("pads"); p && !outputShape && autoPad == "NOTSET") {
    if (p->size() != (oneD ? 2u : 4u) ||
        llvm::any_of(*p, [](int64_t v) { return v < 0; }))
      return im.error() << "'pads' must hold " << (oneD ? 2 : 4)
                        << " non-negative values, got " << shapeStr(*p);
    if (oneD) // [begin, end] of the width.
      *p = {0, (*p)[0], 0, (*p)[1]};
    pads.assign(p->begin(), p->end());
  }
  SmallVector<int64_t> out = {xs[0], outChannels};
  for (int d = 0; d < 2; ++d) {
    int64_t full =
        (xs[2 + d] - 1) * strides[d] + dilations[d] * (kernel[d] - 1) + 1;
    std::optional<int64_t> wanted;
    if (outputShape)
      wanted = (*outputShape)[d];
    else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
      wanted = xs[2 + d] * strides[d];
    if (wanted) {
      if (*wanted < 1)
        return im.error() << "'output_shape' must be positive, got " << *wanted;
      int64_t total = full + outputPadding[d] - *wanted;
      if (total < 0 && outputShape) {
        if (-total >= strides[d])
          return im.error()
                 << "'output_shape' " << *wanted << " of spatial dim " << d
                 << " exceeds the size " << full + outputPadding[d]
                 << " of the uncropped result (with output_padding) by "
                 << -total << ", not less than the stride " << strides[d];
        outputPadding[d] -= total;
      }
      total = std::max<int64_t>(total, 0);
      // The larger half goes at the end for SAME_UPPER, at the beginning
      // otherwise (ONNX's rule; ONNX Runtime agrees).
      int64_t small = total / 2, big = total - small;
      pads[d] = autoPad == "SAME_UPPER" ? small : big;
      pads[d + 2] = autoPad == "SAME_UPPER" ? big : small;
    }
    int64_t size = full + outputPadding[d] - pads[d] - pads[d + 2];
    if (size < 1)
      return im.error() << "the pads " << pads[d] << "+" << pads[d + 2]
                        << " crop all of spatial dim " << d << " (size "
                        << full + outputPadding[d] << " before cropping)";
    out.push_back(size);
  }

  SmallVector<Value> operands = {x, permuteWeight(im, w, groups)};
  if (bias)
    operands.push_back(bias);
  auto arr = [&](ArrayRef<int64_t> v) { return im.b.getDenseI64ArrayAttr(v); };
  SmallVector<NamedAttribute> attrs = {
      im.b.getNamedAttr("strides", arr(strides)),
      im.b.getNamedAttr("pads", arr(pads)),
      im.b.getNamedAttr("dilations", arr(dilations)),
      im.b.getNamedAttr("output_padding", arr(outputPadding)),
      im.b.getNamedAttr("groups", im.b.getI64IntegerAttr(groups))};
  Value y = ConvTranspose2DOp::create(im.b, im.loc, TypeRange{im.f32Type(out)},
                                      operands, attrs);
  if (oneD)
    y = reshapeTo(im, y, {out[0], out[1], out[3]});
  im.define(0, y);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

/// Input `i` as a 1-D f32 tensor of `n` values (a scale or a bias), or an
/// error naming it.
FailureOr<Value> vectorInput(Importer &im, int i, StringRef name,
                             ArrayRef<int64_t> sizes, StringRef what) {
  auto v = floatInput(im, i);
  if (failed(v))
    return failure();
  auto s = Importer::shape(*v);
  if (s.size() != 1 || !llvm::is_contained(sizes, s[0])) {
    im.error() << "the " << name << " has shape " << shapeStr(s)
               << " but must have one value per " << what;
    return failure();
  }
  return v;
}

LogicalResult importGroupNorm(Importer &im, bool instance) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  if (xs.size() < 3)
    return im.error() << "the input must be N x C x D1 x ... (rank >= 3), got "
                         "shape "
                      << shapeStr(xs);
  int64_t c = xs[1];
  float eps = im.attrFloat("epsilon", 1e-5f);
  if (!(eps >= 0))
    return im.error() << "'epsilon' must be non-negative, got " << eps;
  int64_t groups = c;
  SmallVector<int64_t> sizes = {c};
  std::string what = "channel (" + std::to_string(c) + ")";
  if (!instance) {
    if (!im.attr("num_groups"))
      return im.error() << "the 'num_groups' attribute is required";
    groups = im.attrInt("num_groups", 1);
    if (groups < 1 || c % groups)
      return im.error() << "'num_groups' (" << groups
                        << ") must be positive and divide the " << c
                        << " channels";
    // Opset 21 scales and shifts each channel, opset 18 each group.
    if (int64_t stash = im.attrInt("stash_type", 1); stash != 1)
      return im.error() << "'stash_type' " << stash
                        << " is not supported (only 1: statistics in float32)";
    if (im.opset < 21) {
      sizes = {groups};
      what = "group (" + std::to_string(groups) + ") at opset " +
             std::to_string(im.opset);
    }
  }
  auto scale = vectorInput(im, 1, "scale", sizes, what);
  auto bias = vectorInput(im, 2, "bias", sizes, what);
  if (failed(scale) || failed(bias))
    return failure();
  im.define(0, GroupNormOp::create(im.b, im.loc, (*x).getType(), *x, *scale,
                                   *bias, im.b.getI64IntegerAttr(groups),
                                   im.b.getF32FloatAttr(eps)));
  return success();
}

/// y = x / ||x||_p along the axis, with a zero norm giving 0 (as ONNX
/// Runtime): the norm is taken at least as FLT_MIN, and x is 0 wherever the
/// norm is.
LogicalResult importLpNorm(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  int64_t axis = im.attrInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return im.error() << "'axis' " << axis << " is out of range for rank "
                      << rank;
  int64_t p = im.attrInt("p", 2);
  if (p != 1 && p != 2)
    return im.error() << "'p' must be 1 or 2, got " << p;
  SmallVector<int64_t> kept(xs);
  kept[normalizeAxis(axis, rank)] = 1;
  auto keptType = im.f32Type(kept);
  Value norm = ReduceOp::create(
      im.b, im.loc, keptType,
      ReduceKindAttr::get(im.ctx, p == 1 ? ReduceKind::L1 : ReduceKind::L2), *x,
      im.b.getDenseI64ArrayAttr({axis}), im.b.getBoolAttr(true));
  norm = MaxOp::create(im.b, im.loc, keptType, norm,
                       scalar(im, std::numeric_limits<float>::min()));
  im.define(0, DivOp::create(im.b, im.loc, (*x).getType(), *x, norm));
  return success();
}

LogicalResult importLogSoftmax(Importer &im) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  int64_t axis = im.attrInt("axis", im.opset >= 13 ? -1 : 1);
  if (axis < -rank || axis >= rank)
    return im.error() << "'axis' " << axis << " is out of range for rank "
                      << rank;
  axis = normalizeAxis(axis, rank);
  if (im.opset >= 13 || axis == rank - 1) {
    im.define(0, LogSoftmaxOp::create(im.b, im.loc, (*x).getType(), *x,
                                      im.b.getI64IntegerAttr(axis)));
    return success();
  }
  // Before opset 13: along axis 1 of the input flattened to 2-D at `axis`.
  SmallVector<int64_t> flat = {product(ArrayRef<int64_t>(xs).take_front(axis)),
                               product(ArrayRef<int64_t>(xs).drop_front(axis))};
  Value f = reshapeTo(im, *x, flat);
  Value y = LogSoftmaxOp::create(im.b, im.loc, f.getType(), f,
                                 im.b.getI64IntegerAttr(1));
  im.define(0, reshapeTo(im, y, xs));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The axes of a reduction: the `axes` attribute (before opset 18; 13 for
/// ReduceSum) or the constant second input (since). Empty means every axis,
/// or none with noop_with_empty_axes (then std::nullopt).
FailureOr<std::optional<SmallVector<int64_t>>> reduceAxes(Importer &im,
                                                          int64_t rank) {
  std::vector<int64_t> axes;
  if (auto a = im.attrInts("axes")) {
    axes = *a;
  } else if (im.has(1)) {
    if (!im.isConst(1))
      return im.error() << "'axes' (input #1) must be a constant";
    axes = im.constant(1).asInts();
  }
  if (axes.empty()) {
    if (im.attrInt("noop_with_empty_axes", 0))
      return std::optional<SmallVector<int64_t>>();
    SmallVector<int64_t> all;
    for (int64_t d = 0; d < rank; ++d)
      all.push_back(d);
    return std::optional<SmallVector<int64_t>>(all);
  }
  SmallVector<int64_t> out;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank)
      return im.error() << "axis " << a << " of 'axes' is out of range for "
                        << "rank " << rank;
    int64_t n = normalizeAxis(a, rank);
    if (llvm::is_contained(out, n))
      return im.error() << "axis " << a << " of 'axes' is repeated";
    out.push_back(n);
  }
  return std::optional<SmallVector<int64_t>>(out);
}

LogicalResult importReduce(Importer &im, ReduceKind kind) {
  auto x = floatInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  auto axes = reduceAxes(im, rank);
  if (failed(axes))
    return failure();
  if (!*axes) { // noop_with_empty_axes
    im.define(0, *x);
    return success();
  }
  int64_t keep = im.attrInt("keepdims", 1);
  if (keep != 0 && keep != 1)
    return im.error() << "'keepdims' must be 0 or 1, got " << keep;
  if (rank == 0) { // Reducing a scalar over no axis changes nothing.
    im.define(0, *x);
    return success();
  }
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(**axes, d))
      out.push_back(xs[d]);
    else if (keep)
      out.push_back(1);
  }
  im.define(0, ReduceOp::create(im.b, im.loc, im.f32Type(out),
                                ReduceKindAttr::get(im.ctx, kind), *x,
                                im.b.getDenseI64ArrayAttr(**axes),
                                im.b.getBoolAttr(keep)));
  return success();
}

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, TopK
//===----------------------------------------------------------------------===//

/// The data input of an index-valued reduction: f32 or integer (no bool).
FailureOr<Value> orderedInput(Importer &im) {
  auto x = im.value(0);
  if (failed(x))
    return failure();
  Type element = elementOf(*x);
  if (element.isInteger(1)) {
    im.error() << "input #0 is a bool tensor; this operator orders numbers";
    return failure();
  }
  return x;
}

LogicalResult importArgExtreme(Importer &im, bool isMax) {
  auto x = orderedInput(im);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  int64_t axis = im.attrInt("axis", 0);
  if (axis < -rank || axis >= rank)
    return im.error() << "'axis' " << axis << " is out of range for rank "
                      << rank;
  axis = normalizeAxis(axis, rank);
  for (StringRef flag : {"keepdims", "select_last_index"})
    if (int64_t v = im.attrInt(flag, 0); v != 0 && v != 1)
      return im.error() << "'" << flag << "' must be 0 or 1, got " << v;
  bool keep = im.attrInt("keepdims", 1);
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis || keep)
      out.push_back(d == axis ? 1 : xs[d]);
  auto type = RankedTensorType::get(out, im.b.getI64Type());
  auto axisAttr = im.b.getI64IntegerAttr(axis);
  auto keepAttr = im.b.getBoolAttr(keep);
  auto lastAttr = im.b.getBoolAttr(im.attrInt("select_last_index", 0));
  Value y = isMax ? ArgMaxOp::create(im.b, im.loc, type, *x, axisAttr, keepAttr,
                                     lastAttr)
                        .getResult()
                  : ArgMinOp::create(im.b, im.loc, type, *x, axisAttr, keepAttr,
                                     lastAttr)
                        .getResult();
  im.define(0, y);
  return success();
}

LogicalResult importTopK(Importer &im) {
  auto x = orderedInput(im);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  int64_t axis = im.attrInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return im.error() << "'axis' " << axis << " is out of range for rank "
                      << rank;
  axis = normalizeAxis(axis, rank);
  for (StringRef flag : {"largest", "sorted"})
    if (int64_t v = im.attrInt(flag, 1); v != 0 && v != 1)
      return im.error() << "'" << flag << "' must be 0 or 1, got " << v;
  // The attribute before opset 10, a constant input since: the result
  // shape depends on it.
  int64_t k;
  if (im.opset < 10) {
    if (!im.attr("k"))
      return im.error() << "the 'k' attribute is required";
    k = im.attrInt("k", 1);
  } else {
    if (!im.has(1) || !im.isConst(1))
      return im.error() << "'k' (input #1) must be a constant";
    if (!im.constant(1).isScalar())
      return im.error() << "'k' (input #1) must be a single value, got shape "
                        << shapeStr(im.constant(1).shape);
    k = im.constant(1).asInts()[0];
  }
  if (k < 1 || k > xs[axis])
    return im.error() << "'k' (" << k << ") must lie in [1, " << xs[axis]
                      << "], the size of axis " << axis;
  // sorted = 0 leaves the order open: the sorted order is one.
  SmallVector<int64_t> out(xs);
  out[axis] = k;
  auto top = TopKOp::create(
      im.b, im.loc, cast<RankedTensorType>((*x).getType()).clone(out),
      RankedTensorType::get(out, im.b.getI64Type()), *x,
      im.b.getI64IntegerAttr(k), im.b.getI64IntegerAttr(axis),
      im.b.getBoolAttr(im.attrInt("largest", 1)));
  im.define(0, top.getValues());
  im.define(1, top.getIndices());
  return success();
}

} // namespace

std::optional<LogicalResult> onnximport::importConvNormOp(Importer &im,
                                                          StringRef op) {
  if (op == "ConvTranspose")
    return importConvTranspose(im);
  if (op == "InstanceNormalization")
    return importGroupNorm(im, /*instance=*/true);
  if (op == "GroupNormalization")
    return importGroupNorm(im, /*instance=*/false);
  if (op == "LpNormalization")
    return importLpNorm(im);
  if (op == "LogSoftmax")
    return importLogSoftmax(im);
  if (op == "ArgMax" || op == "ArgMin")
    return importArgExtreme(im, op == "ArgMax");
  if (op == "TopK")
    return importTopK(im);
  std::optional<ReduceKind> kind =
      llvm::StringSwitch<std::optional<ReduceKind>>(op)
          .Case("ReduceSum", ReduceKind::Sum)
          .Case("ReduceSumSquare", ReduceKind::SumSquare)
          .Case("ReduceL1", ReduceKind::L1)
          .Case("ReduceL2", ReduceKind::L2)
          .Case("ReduceLogSum", ReduceKind::LogSum)
          .Case("ReduceLogSumExp", ReduceKind::LogSumExp)
          .Case("ReduceProd", ReduceKind::Prod)
          .Case("ReduceMax", ReduceKind::Max)
          .Case("ReduceMin", ReduceKind::Min)
          .Default(std::nullopt);
  if (kind)
    return importReduce(im, *kind);
  return std::nullopt;
}
