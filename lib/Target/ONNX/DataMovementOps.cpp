//===- DataMovementOps.cpp - ONNX data-movement operators as qc ops -------===//
//
// Pad, Resize, Upsample, Expand, Tile, DepthToSpace, SpaceToDepth, Gather
// (constant indices: qc.gather; run-time ones: qc.take), GatherElements
// (constant indices), Einsum (the matmul-like
// equations), and clear errors for Range and ConstantOfShape on run-time
// values. Every shape parameter must be known at import (a constant, or
// folded from the fixed input shapes); the importer turns it into static
// shapes and attributes. Tile, DepthToSpace, SpaceToDepth, GatherElements
// and Einsum become reshapes, transposes, broadcasts, gathers and matmuls,
// so that they need no op of their own.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

namespace {

Value reshapeTo(Importer &im, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return im.b.createOrFold<ReshapeOp>(im.loc, type.clone(shape), v);
}

Value transposeTo(Importer &im, Value v, ArrayRef<int64_t> perm) {
  bool identity = true;
  for (auto [i, p] : llvm::enumerate(perm))
    identity &= p == int64_t(i);
  if (identity)
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return im.b.createOrFold<TransposeOp>(im.loc, type.clone(shape), v,
                                        im.b.getDenseI64ArrayAttr(perm));
}

/// `axis` checked against [-rank, rank), counted from the front.
FailureOr<int64_t> axisIn(Importer &im, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    im.error() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  return normalizeAxis(axis, rank);
}

/// Input `i` of an operator that only moves values: f32, quantized, bool or
/// integer.
FailureOr<Value> movedInput(Importer &im, int i) { return im.value(i); }

/// The name of input `i`, for messages.
std::string inputName(Importer &im, int i) {
  if (i >= im.node->input_size())
    return "input #" + std::to_string(i) + ", not given";
  return "input #" + std::to_string(i) + " '" + im.node->input(i) + "'";
}

/// A shape parameter (pads, repeats, sizes...) given as input `i`: it must
/// be known at compile time.
FailureOr<std::vector<int64_t>> constantInts(Importer &im, int i,
                                             StringRef what) {
  if (!im.has(i)) {
    im.error() << "'" << what << "' (" << inputName(im, i)
               << ") is required";
    return failure();
  }
  if (!im.isConst(i)) {
    im.error() << "'" << what << "' (" << inputName(im, i)
               << ") is computed at run time; it must be known at compile "
                  "time (a constant, or computed from the fixed input "
                  "shapes)";
    return failure();
  }
  return im.constant(i).asInts();
}

/// The real value a constant of the data's element type stands for: the
/// value itself on f32 data, the dequantized storage value on quantized
/// data (ONNX Pad's constant_value has the data's type).
double realValue(Value data, double v) {
  if (auto q = getPerTensorType(data.getType()))
    return (v - double(q.getZeroPoint())) * q.getScale();
  return v;
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

LogicalResult importPad(Importer &im) {
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  std::string mode = im.attrString("mode", "constant");
  if (mode == "wrap")
    return im.error() << "mode 'wrap' is not supported (constant, reflect and "
                         "edge are)";
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return im.error() << "unknown mode '" << mode << "'";
  std::vector<int64_t> pads, axes;
  double value = 0;
  if (im.opset < 11) {
    auto p = im.attrInts("pads");
    if (!p)
      p = im.attrInts("paddings"); // Opset 1.
    if (!p)
      return im.error() << "the 'pads' attribute is required";
    pads = *p;
    value = im.attrFloat("value", 0.0f);
  } else {
    if (!im.has(1))
      return im.error() << "the 'pads' input is required";
    auto p = constantInts(im, 1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (im.has(2)) {
      if (!im.isConst(2))
        return im.error() << "'constant_value' (" << inputName(im, 2)
                          << ") is computed at run time; it must be known "
                             "at compile time";
      if (im.constant(2).values.size() != 1)
        return im.error() << "'constant_value' must be a single value, got "
                             "shape "
                          << shapeStr(im.constant(2).shape);
      value = im.constant(2).values[0];
    }
    if (im.has(3)) {
      auto a = constantInts(im, 3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
  }
  // The value is held as an f32: integer data needs an integer it holds.
  if (Type element = elementOf(*x);
      !element.isF32() && !isQuantized((*x).getType()) &&
      (value != std::trunc(value) ||
       static_cast<double>(static_cast<float>(value)) != value))
    return im.error() << "the pad value " << value << " of a " << element
                      << " tensor is not an integer qc holds exactly "
                         "(|value| <= 2^24)";
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  int64_t n = axes.size();
  if (int64_t(pads.size()) != 2 * n)
    return im.error() << "'pads' has " << pads.size()
                      << " values; it needs 2 x " << n
                      << " (a begin and an end per padded axis)";
  SmallVector<int64_t> full(2 * rank, 0);
  SmallVector<bool> seen(rank, false);
  for (int64_t i = 0; i < n; ++i) {
    auto a = axisIn(im, axes[i], rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return im.error() << "axis " << axes[i] << " is repeated in 'axes'";
    seen[*a] = true;
    full[*a] = pads[i];
    full[*a + rank] = pads[i + n];
  }
  // ONNX pads the positive counts, then crops the negative ones.
  SmallVector<int64_t> grow(2 * rank), padded(xs);
  for (int64_t i = 0; i < 2 * rank; ++i)
    grow[i] = std::max<int64_t>(full[i], 0);
  for (int64_t d = 0; d < rank; ++d)
    if (llvm::AddOverflow(padded[d], grow[d], padded[d]) ||
        llvm::AddOverflow(padded[d], grow[d + rank], padded[d]) ||
        padded[d] > im.maxElements())
      return im.error() << "pads " << shapeStr(pads) << " would make dim "
                        << d << " larger than " << limitText(im.maxElements());
  // A negative count crops at most the whole (padded) dim; checked before
  // anything negates it (INT64_MIN has no negation).
  for (int64_t i = 0; i < 2 * rank; ++i)
    if (full[i] < -padded[i % rank])
      return im.error() << "pad " << full[i] << " removes more than the "
                        << padded[i % rank] << " elements of dim " << i % rank;
  Value y = *x;
  if (llvm::any_of(grow, [](int64_t p) { return p > 0; })) {
    if (mode != "constant")
      for (int64_t d = 0; d < rank; ++d)
        if (xs[d] == 0 && (grow[d] || grow[d + rank]))
          return im.error() << "dim " << d << " is empty: mode '" << mode
                            << "' has nothing to repeat";
    auto type = cast<RankedTensorType>(y.getType()).clone(padded);
    y = PadOp::create(im.b, im.loc, type, y, im.b.getDenseI64ArrayAttr(grow),
                      im.b.getStringAttr(mode),
                      im.b.getF32FloatAttr(float(realValue(y, value))));
  }
  if (llvm::any_of(full, [](int64_t p) { return p < 0; })) {
    SmallVector<int64_t> offsets(rank), sizes(padded);
    for (int64_t d = 0; d < rank; ++d) {
      offsets[d] = -std::min<int64_t>(full[d], 0);
      sizes[d] = padded[d] - offsets[d] + std::min<int64_t>(full[d + rank], 0);
      if (sizes[d] <= 0)
        return im.error() << "negative pads remove all the " << padded[d]
                          << " elements of dim " << d;
    }
    auto type = cast<RankedTensorType>(y.getType()).clone(sizes);
    y = SliceOp::create(im.b, im.loc, type, y,
                        im.b.getDenseI64ArrayAttr(offsets),
                        im.b.getDenseI64ArrayAttr({}));
  }
  im.define(0, y);
  return success();
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

/// A constant float list input (Resize's scales), or nullopt when absent or
/// empty (ONNX's way to leave an input out before opset 13).
FailureOr<std::optional<std::vector<double>>>
optionalFloats(Importer &im, int i, StringRef what) {
  if (!im.has(i))
    return std::optional<std::vector<double>>();
  if (!im.isConst(i)) {
    im.error() << "'" << what << "' (" << inputName(im, i)
               << ") is computed at run time; it must be known at compile "
                  "time (a constant, or computed from the fixed input "
                  "shapes)";
    return failure();
  }
  const Const &c = im.constant(i);
  if (c.values.empty())
    return std::optional<std::vector<double>>();
  return std::optional<std::vector<double>>(c.values);
}

LogicalResult importResize(Importer &im, bool upsample) {
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  std::string mode = im.attrString("mode", "nearest");
  if (mode == "bilinear" && upsample)
    mode = "linear"; // Upsample-1's name.
  if (mode != "nearest" && mode != "linear" && (mode != "cubic" || upsample))
    return im.error() << "mode '" << mode << "' is not supported (nearest, "
                      << (upsample ? "linear)" : "linear, cubic)");
  Type element = elementOf(*x);
  if (mode != "nearest" && !element.isF32() && !isQuantized((*x).getType()))
    return im.error() << "mode '" << mode << "' interpolates; it takes float32 "
                      << "or quantized tensors, not " << element
                      << " (nearest moves any element type)";

  // Scales (attribute before Upsample-9, else an input) or sizes.
  std::optional<std::vector<double>> scales, sizes;
  if (upsample && im.opset < 9) {
    const onnx::AttributeProto *a = im.attr("scales");
    if (!a)
      return im.error() << "the 'scales' attribute is required";
    scales = std::vector<double>(a->floats().begin(), a->floats().end());
  } else {
    int scalesInput = upsample || im.opset < 11 ? 1 : 2;
    auto s = optionalFloats(im, scalesInput, "scales");
    if (failed(s))
      return failure();
    scales = *s;
    if (!upsample && im.opset >= 11) {
      auto z = optionalFloats(im, 3, "sizes");
      if (failed(z))
        return failure();
      sizes = *z;
    }
  }
  if (scales && sizes)
    return im.error() << "gives both 'scales' and 'sizes'; one must be empty";
  if (!scales && !sizes)
    return im.error() << "needs 'scales' or 'sizes'";
  std::vector<int64_t> axes;
  if (auto a = im.attrInts("axes"))
    axes = *a;
  else
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  const std::vector<double> &given = scales ? *scales : *sizes;
  if (given.size() != axes.size())
    return im.error() << "'" << (scales ? "scales" : "sizes") << "' has "
                      << given.size() << " values for " << axes.size()
                      << (im.attr("axes") ? " axes" : " dims");
  SmallVector<double> factor(rank, 1.0);
  SmallVector<int64_t> out(xs);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = axisIn(im, axes[i], rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return im.error() << "axis " << axes[i] << " is repeated in 'axes'";
    seen[*a] = true;
    if (scales) {
      // ONNX's scales are f32; the output size is floor(in * scale).
      double s = double(float(given[i]));
      if (!(s > 0) || !std::isfinite(s))
        return im.error() << "scale " << s << " of dim " << *a
                          << " is not positive and finite";
      factor[*a] = s;
      // Compare in double first: a huge scale would not fit an int64.
      double size = std::floor(s * double(xs[*a]));
      if (!(size <= double(im.maxElements())))
        return im.error() << "scale " << s << " of dim " << *a
                          << " would resize " << xs[*a] << " elements to "
                          << size << ", more than "
                          << limitText(im.maxElements());
      out[*a] = int64_t(size);
    } else {
      if (!(given[i] <= double(im.maxElements())))
        return im.error() << "size " << given[i] << " of dim " << *a
                          << " is more than " << limitText(im.maxElements());
      out[*a] = int64_t(given[i]);
      if (out[*a] >= 1)
        factor[*a] = double(out[*a]) / double(xs[*a]);
    }
    if (out[*a] < 1)
      return im.error() << "dim " << *a << " of size " << xs[*a]
                        << " would be resized to " << out[*a]
                        << " elements; qc needs at least 1";
  }
  std::string policy = im.attrString("keep_aspect_ratio_policy", "stretch");
  if (sizes && policy != "stretch") {
    if (policy != "not_larger" && policy != "not_smaller")
      return im.error() << "unknown keep_aspect_ratio_policy '" << policy
                        << "'";
    // Supported when the sizes already keep the aspect ratio (the policy
    // then changes nothing): every resized axis has the same factor.
    double first = factor[normalizeAxis(axes.front(), rank)];
    for (int64_t d = 0; d < rank; ++d)
      if (seen[d] && std::fabs(factor[d] / first - 1) > 1e-12)
        return im.error() << "keep_aspect_ratio_policy '" << policy
                          << "' would change the sizes " << shapeStr(out)
                          << " (their ratios to the input's differ), which "
                             "is not supported";
  }
  if (im.attrInt("antialias", 0) && mode != "nearest")
    for (int64_t d = 0; d < rank; ++d)
      if (factor[d] < 1)
        return im.error() << "antialias = 1 filters the downscaling of dim "
                          << d << " by " << mode
                          << " interpolation, which is not supported";

  std::string coordinates =
      upsample || im.opset < 11
          ? "asymmetric"
          : im.attrString("coordinate_transformation_mode", "half_pixel");
  static const llvm::StringSet<> knownCoordinates = {
      "half_pixel",    "half_pixel_symmetric", "pytorch_half_pixel",
      "align_corners", "asymmetric",           "tf_half_pixel_for_nn"};
  if (coordinates == "tf_crop_and_resize")
    return im.error() << "coordinate_transformation_mode 'tf_crop_and_resize' "
                         "is not supported";
  if (!knownCoordinates.contains(coordinates))
    return im.error() << "unknown coordinate_transformation_mode '"
                      << coordinates << "'";
  std::string rounding = "round_prefer_floor";
  if (upsample || im.opset < 11) {
    // Before nearest_mode existed, runtimes rounded down when upsampling
    // and up when downsampling (ONNX Runtime's rule).
    bool up = llvm::all_of(factor, [](double s) { return s >= 1; });
    bool down = llvm::all_of(factor, [](double s) { return s <= 1; });
    if (mode == "nearest" && !up && !down)
      return im.error() << "mixes upsampling and downsampling, whose nearest "
                           "rounding opset "
                        << im.opset << " leaves unspecified";
    rounding = up ? "floor" : "ceil";
  } else {
    rounding = im.attrString("nearest_mode", "round_prefer_floor");
    if (rounding != "round_prefer_floor" && rounding != "round_prefer_ceil" &&
        rounding != "floor" && rounding != "ceil")
      return im.error() << "unknown nearest_mode '" << rounding << "'";
  }

  SmallVector<NamedAttribute> attrs = {
      im.b.getNamedAttr("scales", im.b.getDenseF64ArrayAttr(factor)),
      im.b.getNamedAttr("mode", im.b.getStringAttr(mode)),
      im.b.getNamedAttr("coordinate_mode", im.b.getStringAttr(coordinates))};
  if (mode == "nearest")
    attrs.push_back(
        im.b.getNamedAttr("nearest_mode", im.b.getStringAttr(rounding)));
  if (mode == "cubic") {
    attrs.push_back(im.b.getNamedAttr(
        "cubic_coeff_a",
        im.b.getF32FloatAttr(im.attrFloat("cubic_coeff_a", -0.75f))));
    if (im.attrInt("exclude_outside", 0))
      attrs.push_back(
          im.b.getNamedAttr("exclude_outside", im.b.getBoolAttr(true)));
  }
  // A quantized operand keeps its parameters (linear and cubic round the
  // interpolated values back onto them).
  auto type = cast<RankedTensorType>((*x).getType()).clone(out);
  im.define(0, ResizeOp::create(im.b, im.loc, TypeRange{type}, ValueRange{*x},
                                attrs));
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, Tile, DepthToSpace, SpaceToDepth
//===----------------------------------------------------------------------===//

Value broadcastTo(Importer &im, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return BroadcastOp::create(im.b, im.loc, type.clone(shape), v);
}

LogicalResult importExpand(Importer &im) {
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  auto shape = constantInts(im, 1, "shape");
  if (failed(shape))
    return failure();
  auto xs = Importer::shape(*x);
  // Bidirectional broadcasting: a 1 in `shape` keeps the input's dim.
  size_t rank = std::max(xs.size(), shape->size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i + xs.size() >= rank ? xs[i + xs.size() - rank] : 1;
    int64_t b =
        i + shape->size() >= rank ? (*shape)[i + shape->size() - rank] : 1;
    if (a != b && a != 1 && b != 1)
      return im.error() << "shape " << shapeStr(*shape)
                        << " does not broadcast with the input's shape "
                        << shapeStr(xs);
    out[i] = a == 1 ? b : a;
  }
  im.define(0, broadcastTo(im, *x, out));
  return success();
}

LogicalResult importTile(Importer &im) {
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  auto repeats = constantInts(im, 1, "repeats");
  if (failed(repeats))
    return failure();
  auto xs = Importer::shape(*x);
  if (repeats->size() != xs.size())
    return im.error() << "'repeats' has " << repeats->size()
                      << " values for an input of rank " << xs.size();
  // Each dim of size n > 1 repeated r times becomes [r, n] (a unit dim
  // broadcast to r in front of it), merged back by the last reshape.
  SmallVector<int64_t> split, wide, out;
  int64_t elements = 1;
  for (auto [d, r] : llvm::enumerate(*repeats)) {
    if (r < 1)
      return im.error() << "repeat " << r << " of dim " << d
                        << " is not supported (it must be at least 1)";
    int64_t size;
    if (llvm::MulOverflow(xs[d], r, size) ||
        llvm::MulOverflow(elements, size, elements) ||
        elements > im.maxElements())
      return im.error() << "'repeats' " << shapeStr(*repeats)
                        << " would make more than "
                        << limitText(im.maxElements()) << " elements";
    if (r > 1 && xs[d] > 1) {
      split.push_back(1);
      wide.push_back(r);
    }
    split.push_back(xs[d]);
    wide.push_back(xs[d] == 1 ? r : xs[d]);
    out.push_back(size);
  }
  Value v = broadcastTo(im, reshapeTo(im, *x, split), wide);
  im.define(0, reshapeTo(im, v, out));
  return success();
}

/// DepthToSpace (toSpace) and SpaceToDepth as ONNX defines them: a reshape
/// to 6-D, a transpose and a reshape back.
LogicalResult importDepthSpace(Importer &im, bool toSpace) {
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  if (xs.size() != 4)
    return im.error() << "the input must be 4-D (NCHW), got shape "
                      << shapeStr(xs);
  int64_t b = im.attrInt("blocksize", 0);
  if (b < 1)
    return im.error() << "blocksize must be positive, got " << b;
  int64_t n = xs[0], c = xs[1], h = xs[2], w = xs[3];
  Value y;
  if (toSpace) {
    std::string mode = im.attrString("mode", "DCR");
    if (mode != "DCR" && mode != "CRD")
      return im.error() << "unknown mode '" << mode << "' (DCR or CRD)";
    int64_t bb;
    if (llvm::MulOverflow(b, b, bb))
      return im.error() << "the " << c << " channels are fewer than "
                        << "blocksize^2 (blocksize " << b << ")";
    if (c % bb)
      return im.error() << "the " << c << " channels are not divisible by "
                        << "blocksize^2 = " << b * b;
    int64_t cb = c / (b * b);
    if (mode == "DCR")
      y = transposeTo(im, reshapeTo(im, *x, {n, b, b, cb, h, w}),
                      {0, 3, 4, 1, 5, 2});
    else
      y = transposeTo(im, reshapeTo(im, *x, {n, cb, b, b, h, w}),
                      {0, 1, 4, 2, 5, 3});
    y = reshapeTo(im, y, {n, cb, h * b, w * b});
  } else {
    if (h % b || w % b)
      return im.error() << "the spatial size " << h << "x" << w
                        << " is not divisible by blocksize " << b;
    y = transposeTo(im, reshapeTo(im, *x, {n, c, h / b, b, w / b, b}),
                    {0, 3, 5, 1, 2, 4});
    y = reshapeTo(im, y, {n, c * b * b, h / b, w / b});
  }
  im.define(0, y);
  return success();
}

//===----------------------------------------------------------------------===//
// Gather, GatherElements
//===----------------------------------------------------------------------===//

/// The error for indices only known at run time (embedding lookups).
LogicalResult runTimeIndices(Importer &im) {
  return im.error() << "the indices (" << inputName(im, 1)
                    << ") are computed at run time; GatherElements takes "
                       "constant indices only (Gather takes both)";
}

/// Positions `indices` along `axis` of `x`: a strided slice when they are
/// evenly spaced (x[:, 0], x[:, 2:8:2]), else a qc.gather.
Value selectAlong(Importer &im, Value x, int64_t axis,
                  ArrayRef<int64_t> indices) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  int64_t n = indices.size();
  shape[axis] = n;
  int64_t step = n > 1 ? indices[1] - indices[0] : 1;
  bool even = step != 0;
  for (int64_t i = 1; even && i < n; ++i)
    even = indices[i] - indices[i - 1] == step;
  if (even) {
    int64_t rank = shape.size();
    SmallVector<int64_t> offsets(rank, 0), strides;
    offsets[axis] = indices[0];
    if (step != 1) {
      strides.assign(rank, 1);
      strides[axis] = step;
    }
    return SliceOp::create(im.b, im.loc, type.clone(shape), x,
                           im.b.getDenseI64ArrayAttr(offsets),
                           im.b.getDenseI64ArrayAttr(strides));
  }
  return GatherOp::create(im.b, im.loc, type.clone(shape), x,
                          im.b.getI64IntegerAttr(axis),
                          im.b.getDenseI64ArrayAttr(indices));
}

/// Gather at indices computed at run time (token ids into an embedding
/// table): a qc.take.
LogicalResult importRunTimeGather(Importer &im) {
  auto x = im.value(0);
  auto idx = im.value(1);
  if (failed(x) || failed(idx))
    return failure();
  auto xs = Importer::shape(*x);
  if (xs.empty())
    return im.error() << "the data (" << inputName(im, 0)
                      << ") is a scalar; Gather needs rank >= 1";
  Type element = elementOf(*idx);
  if (!element.isInteger(64) && !element.isInteger(32))
    return im.error() << "the indices (" << inputName(im, 1)
                      << ") have element type " << element
                      << "; Gather takes int32 or int64 indices";
  auto axis = axisIn(im, im.attrInt("axis", 0), xs.size());
  if (failed(axis))
    return failure();
  if (xs[*axis] == 0)
    return im.error() << "dim " << *axis
                      << " of the data is empty; there is nothing to gather";
  auto is = Importer::shape(*idx);
  SmallVector<int64_t> out(xs.begin(), xs.begin() + *axis);
  out.append(is.begin(), is.end());
  out.append(xs.begin() + *axis + 1, xs.end());
  auto type = cast<RankedTensorType>((*x).getType()).clone(out);
  im.define(0, TakeOp::create(im.b, im.loc, type, *x, *idx,
                              im.b.getI64IntegerAttr(*axis)));
  return success();
}

LogicalResult importGather(Importer &im) {
  // Constant indices select at compile time, run-time ones at run time.
  if (!im.isConst(1))
    return importRunTimeGather(im);
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  auto xs = Importer::shape(*x);
  auto axis = axisIn(im, im.attrInt("axis", 0), xs.size());
  if (failed(axis))
    return failure();
  const Const &idx = im.constant(1);
  std::vector<int64_t> indices = idx.asInts();
  if (indices.empty())
    return im.error() << "the indices are empty; qc does not support empty "
                         "tensors";
  for (int64_t &i : indices) {
    int64_t k = i < 0 ? i + xs[*axis] : i;
    if (k < 0 || k >= xs[*axis])
      return im.error() << "index " << i << " is out of range for dim " << *axis
                        << " of size " << xs[*axis];
    i = k;
  }
  SmallVector<int64_t> out(xs.begin(), xs.begin() + *axis);
  out.append(idx.shape.begin(), idx.shape.end());
  out.append(xs.begin() + *axis + 1, xs.end());
  im.define(0, reshapeTo(im, selectAlong(im, *x, *axis, indices), out));
  return success();
}

LogicalResult importGatherElements(Importer &im) {
  auto x = movedInput(im, 0);
  if (failed(x))
    return failure();
  if (!im.isConst(1))
    return runTimeIndices(im);
  auto xs = Importer::shape(*x);
  int64_t rank = xs.size();
  auto axis = axisIn(im, im.attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  const Const &idx = im.constant(1);
  if (int64_t(idx.shape.size()) != rank)
    return im.error() << "the indices have rank " << idx.shape.size()
                      << " but the data has rank " << rank;
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis && idx.shape[d] > xs[d])
      return im.error() << "the indices' dim " << d << " (" << idx.shape[d]
                        << ") exceeds the data's (" << xs[d] << ")";
  int64_t count = product(idx.shape);
  if (count == 0)
    return im.error() << "the indices are empty; qc does not support empty "
                         "tensors";
  // output[p] = data[p with p[axis] = indices[p]]: positions in the
  // flattened data.
  std::vector<int64_t> values = idx.asInts(), flat(count);
  SmallVector<int64_t> p(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t k = values[i] < 0 ? values[i] + xs[*axis] : values[i];
    if (k < 0 || k >= xs[*axis])
      return im.error() << "index " << values[i] << " is out of range for dim "
                        << *axis << " of size " << xs[*axis];
    int64_t f = 0;
    for (int64_t d = 0; d < rank; ++d)
      f = f * xs[d] + (d == *axis ? k : p[d]);
    flat[i] = f;
    for (int64_t d = rank - 1; d >= 0 && ++p[d] == idx.shape[d]; --d)
      p[d] = 0;
  }
  Value data = reshapeTo(im, *x, {product(xs)});
  im.define(0, reshapeTo(im, selectAlong(im, data, 0, flat), idx.shape));
  return success();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// Einsum with one operand (a permutation) or two (batched matrix
/// products): indices in both operands and the output are batch dims, in
/// both operands only contracted, in one operand and the output free. The
/// operands are transposed to [batch, free, contracted] and [batch,
/// contracted, free], flattened to matrices, multiplied, and the product
/// reshaped and transposed to the output's order.
LogicalResult importEinsum(Importer &im) {
  std::string eq;
  for (char c : im.attrString("equation", ""))
    if (c != ' ')
      eq += c;
  auto unsupported = [&](const Twine &why) {
    return im.error() << "equation '" << im.attrString("equation", "") << "' "
                      << why;
  };
  int numInputs = im.node->input_size();
  if (numInputs < 1 || numInputs > 2)
    return unsupported("has " + Twine(numInputs) +
                       " operands; qc supports one or two");
  SmallVector<Value> operands;
  for (int i = 0; i < numInputs; ++i) {
    auto v = floatInput(im, i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  size_t arrow = eq.find("->");
  std::string lhs = eq.substr(0, arrow);
  SmallVector<std::string> terms;
  for (StringRef t : llvm::split(StringRef(lhs), ','))
    terms.push_back(t.str());
  if (int(terms.size()) != numInputs)
    return unsupported("names " + Twine(terms.size()) +
                       " operands but the "
                       "node has " +
                       Twine(numInputs));
  // An ellipsis stands for the same leading dims in every operand that has
  // one; it becomes the digits '0', '1', ... of as many dims.
  int64_t ellipsis = -1;
  for (auto [i, t] : llvm::enumerate(terms)) {
    size_t e = t.find("...");
    if (e == std::string::npos)
      continue;
    int64_t covered =
        int64_t(Importer::shape(operands[i]).size()) - int64_t(t.size() - 3);
    if (covered < 0 || covered > 10 || (ellipsis >= 0 && covered != ellipsis))
      return unsupported("covers dims of different ranks with '...', which "
                         "qc cannot express");
    ellipsis = covered;
  }
  std::string digits;
  for (int64_t k = 0; k < ellipsis; ++k)
    digits += char('0' + k);
  auto expand = [&](std::string &t) {
    size_t e = t.find("...");
    if (e != std::string::npos)
      t = t.substr(0, e) + digits + t.substr(e + 3);
  };
  for (std::string &t : terms)
    expand(t);
  std::string output;
  if (arrow != std::string::npos) {
    output = eq.substr(arrow + 2);
    expand(output);
  } else {
    // Implicit output: the ellipsis dims, then the letters used once, in
    // alphabetical order.
    std::string letters, once;
    for (const std::string &t : terms)
      letters += t;
    for (char c : letters)
      if (std::isalpha(c) && llvm::count(letters, c) == 1)
        once += c;
    llvm::sort(once);
    output = digits + once;
  }
  // Sizes of the indices, checked across operands.
  llvm::DenseMap<char, int64_t> size;
  for (auto [i, t] : llvm::enumerate(terms)) {
    auto shape = Importer::shape(operands[i]);
    if (t.size() != shape.size())
      return unsupported("names " + Twine(t.size()) + " dims for operand #" +
                         Twine(i) + " of shape " + shapeStr(shape));
    for (auto [d, c] : llvm::enumerate(t)) {
      if (!std::isalnum(c))
        return unsupported("has the invalid index '" + Twine(c) + "'");
      if (llvm::count(t, c) > 1)
        return unsupported("repeats index '" + Twine(c) +
                           "' in one operand (a diagonal), which qc cannot "
                           "express");
      auto [it, inserted] = size.try_emplace(c, shape[d]);
      if (!inserted && it->second != shape[d])
        return unsupported("gives index '" + Twine(c) + "' sizes " +
                           Twine(it->second) + " and " + Twine(shape[d]));
    }
  }
  for (char c : output)
    if (!size.count(c) || llvm::count(output, c) > 1)
      return unsupported("has the output index '" + Twine(c) +
                         "' missing from the operands or repeated");
  auto in = [](const std::string &t, char c) {
    return t.find(c) != std::string::npos;
  };
  auto permFor = [&](const std::string &from, const std::string &to) {
    SmallVector<int64_t> perm;
    for (char c : to)
      perm.push_back(from.find(c));
    return perm;
  };
  auto sizesOf = [&](const std::string &t) {
    SmallVector<int64_t> s;
    for (char c : t)
      s.push_back(size[c]);
    return s;
  };
  if (numInputs == 1) {
    for (char c : terms[0])
      if (!in(output, c))
        return unsupported("sums over index '" + Twine(c) +
                           "', which qc cannot express");
    im.define(0, transposeTo(im, operands[0], permFor(terms[0], output)));
    return success();
  }
  const std::string &a = terms[0], &b = terms[1];
  std::string batch, freeA, freeB, contracted;
  for (char c : output) {
    if (in(a, c) && in(b, c))
      batch += c;
    else if (in(a, c))
      freeA += c;
    else
      freeB += c;
  }
  for (char c : a) {
    if (in(b, c) && !in(output, c))
      contracted += c;
    else if (!in(b, c) && !in(output, c))
      return unsupported("sums over index '" + Twine(c) +
                         "' of one operand only, which qc cannot express");
  }
  for (char c : b)
    if (!in(a, c) && !in(output, c))
      return unsupported("sums over index '" + Twine(c) +
                         "' of one operand only, which qc cannot express");
  std::string orderA = batch + freeA + contracted;
  std::string orderB = batch + contracted + freeB;
  SmallVector<int64_t> batchSizes = sizesOf(batch);
  int64_t m = product(sizesOf(freeA)), k = product(sizesOf(contracted)),
          n = product(sizesOf(freeB));
  SmallVector<int64_t> shapeA(batchSizes), shapeB(batchSizes);
  shapeA.append({m, k});
  shapeB.append({k, n});
  Value ma =
      reshapeTo(im, transposeTo(im, operands[0], permFor(a, orderA)), shapeA);
  Value mb =
      reshapeTo(im, transposeTo(im, operands[1], permFor(b, orderB)), shapeB);
  Value product;
  if (failed(importMatMulLike(im, ma, mb, product)))
    return failure();
  std::string orderOut = batch + freeA + freeB;
  Value y = reshapeTo(im, product, sizesOf(orderOut));
  im.define(0, transposeTo(im, y, permFor(orderOut, output)));
  return success();
}

} // namespace

std::optional<LogicalResult> onnximport::importDataMovementOp(Importer &im,
                                                              StringRef op) {
  if (op == "Pad")
    return importPad(im);
  if (op == "Resize")
    return importResize(im, /*upsample=*/false);
  if (op == "Upsample")
    return importResize(im, /*upsample=*/true);
  if (op == "Expand")
    return importExpand(im);
  if (op == "Tile")
    return importTile(im);
  if (op == "DepthToSpace")
    return importDepthSpace(im, /*toSpace=*/true);
  if (op == "SpaceToDepth")
    return importDepthSpace(im, /*toSpace=*/false);
  if (op == "Gather")
    return importGather(im);
  if (op == "GatherElements")
    return importGatherElements(im);
  if (op == "Einsum")
    return importEinsum(im);
  if (op == "Range")
    return im.error() << "start, limit and delta must be known at compile "
                         "time (the output's size depends on them)";
  if (op == "ConstantOfShape")
    return im.error() << "the shape (" << inputName(im, 0)
                      << ") must be known at compile time";
  return std::nullopt;
}
