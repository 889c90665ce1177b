//===- Folding.cpp - Evaluate ONNX nodes on constants at import -----------===//
//
// PyTorch's exporter computes shapes at run time (Shape -> Gather ->
// Unsqueeze -> Concat -> Reshape ...). Once the input shapes are fixed all of
// that is constant: these evaluators run such nodes on host constants, so
// the qc graph sees only the resulting shapes and weights.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

namespace {

/// Strides of a row-major shape.
SmallVector<int64_t> strides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> s(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/// numpy broadcasting of two constants with `fn`.
std::optional<Const> broadcast(const Const &a, const Const &b,
                               function_ref<double(double, double)> fn,
                               DType result) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  SmallVector<int64_t> shape(rank);
  auto dim = [&](const Const &c, size_t i) -> int64_t {
    size_t off = rank - c.shape.size();
    return i < off ? 1 : c.shape[i - off];
  };
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = dim(a, i), y = dim(b, i);
    if (x != y && x != 1 && y != 1)
      return std::nullopt;
    shape[i] = std::max(x, y);
  }
  Const out;
  out.dtype = result;
  out.shape = shape;
  int64_t n = product(shape);
  out.values.resize(n);
  SmallVector<int64_t> os = strides(shape);
  auto index = [&](const Const &c, int64_t flat) {
    int64_t idx = 0, stride = 1;
    for (int i = int(rank) - 1; i >= 0; --i) {
      int64_t coord = (flat / os[i]) % shape[i];
      int64_t d = dim(c, i);
      if (d != 1)
        idx += coord * stride;
      stride *= d;
    }
    return idx;
  };
  for (int64_t i = 0; i < n; ++i)
    out.values[i] = fn(a.values[index(a, i)], b.values[index(b, i)]);
  return out;
}

} // namespace

FailureOr<SliceBounds> onnximport::getSliceBounds(Importer &im,
                                                  ArrayRef<int64_t> shape,
                                                  std::string *why) {
  auto fail = [&](const Twine &reason) {
    if (why)
      *why = reason.str();
    return failure();
  };
  std::vector<int64_t> starts, ends, axes, steps;
  if (im.opset < 10) {
    auto s = im.attrInts("starts"), e = im.attrInts("ends");
    if (!s || !e)
      return fail("the starts and ends attributes are required");
    starts = *s;
    ends = *e;
    if (auto a = im.attrInts("axes"))
      axes = *a;
  } else {
    for (int i = 1; i <= 4; ++i)
      if (im.has(i) && !im.isConst(i))
        return fail("starts, ends, axes and steps must be known at compile "
                    "time");
    if (!im.has(1) || !im.has(2))
      return fail("the starts and ends inputs are required");
    starts = im.constant(1).asInts();
    ends = im.constant(2).asInts();
    if (im.has(3))
      axes = im.constant(3).asInts();
    if (im.has(4))
      steps = im.constant(4).asInts();
  }
  int64_t rank = shape.size();
  if (axes.empty())
    for (int64_t i = 0; i < int64_t(starts.size()); ++i)
      axes.push_back(i);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      (!steps.empty() && steps.size() != starts.size()))
    return fail("starts (" + Twine(starts.size()) + "), ends (" +
                Twine(ends.size()) + "), axes (" + Twine(axes.size()) +
                ") and steps (" + Twine(steps.size()) +
                ") must have the same length");
  SliceBounds b;
  b.lo.assign(rank, 0);
  b.hi.assign(shape.begin(), shape.end());
  b.steps.assign(rank, 1);
  b.sizes.assign(shape.begin(), shape.end());
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (a < 0 || a >= rank)
      return fail("axis " + Twine(axes[i]) + " is out of range for rank " +
                  Twine(rank));
    if (seen[a])
      return fail("axis " + Twine(axes[i]) + " is repeated");
    seen[a] = true;
    int64_t d = shape[a], s = steps.empty() ? 1 : steps[i];
    if (s == 0)
      return fail("steps must not be 0");
    int64_t start = starts[i] < 0 ? starts[i] + d : starts[i];
    int64_t end = ends[i] < 0 ? ends[i] + d : ends[i];
    // A negative step walks back from start (at most the last element) to
    // end (exclusive, at least -1).
    b.lo[a] = s > 0 ? std::clamp<int64_t>(start, 0, d)
                    : std::clamp<int64_t>(start, 0, d - 1);
    b.hi[a] = s > 0 ? std::clamp<int64_t>(end, 0, d)
                    : std::clamp<int64_t>(end, -1, d - 1);
    b.steps[a] = s;
    int64_t span = s > 0 ? b.hi[a] - b.lo[a] : b.lo[a] - b.hi[a];
    // |s| without negating INT64_MIN (any step >= span selects one
    // element), and a ceiling division that cannot overflow.
    int64_t step = s > 0 ? s : s == INT64_MIN ? INT64_MAX : -s;
    b.sizes[a] = span > 0 ? (span - 1) / step + 1 : 0;
  }
  return b;
}

FoldResult onnximport::foldOp(Importer &im, StringRef op) {
  // Comparisons, logic, Cast, Mod, Sum/Mean and integer arithmetic.
  if (std::optional<FoldResult> logic = foldLogicOp(im, op))
    return *logic;
  const onnx::NodeProto &n = *im.node;
  auto in = [&](int i) -> const Const & { return im.constant(i); };
  // Malformed nodes are errors, not crashes: these check what the folds
  // below index with.
  auto invalid = [&](const Twine &why) {
    im.error() << why;
    return FoldResult::Failed;
  };
  auto needConsts = [&](int count) {
    for (int i = 0; i < count; ++i)
      if (!im.isConst(i))
        return false;
    return true;
  };
  static const llvm::StringSet<> unary = {
      "ConstantOfShape", "Identity", "Dropout", "Cast",  "Unsqueeze",
      "Squeeze",         "Flatten",  "Slice",   "Transpose",
      "Neg",             "Sqrt",     "Abs",     "Sign",      "Exp",
      "Log",             "Floor",    "Ceil",    "Round",     "Sin",
      "Cos"};
  static const llvm::StringSet<> binary = {"Gather", "Add", "Sub", "Mul",
                                           "Div",    "Pow", "Max", "Min",
                                           "Equal",  "Reshape"};
  if ((unary.contains(op) && !needConsts(1)) ||
      (binary.contains(op) && !needConsts(2)) ||
      ((op == "Where" || op == "Range") && !needConsts(3)) ||
      (op == "Expand" && !needConsts(2)) ||
      (op == "Concat" && (n.input_size() == 0 || !needConsts(n.input_size()))))
    return FoldResult::NotFolded;

  if (op == "Constant") {
    const onnx::AttributeProto *value = im.attr("value");
    Const c;
    if (value && value->has_t()) {
      std::string err = toConst(value->t(), c, im.maxElements());
      if (!err.empty()) {
        im.error() << err;
        return FoldResult::Failed;
      }
    } else if (const auto *f = im.attr("value_float")) {
      c.dtype = DType::F32;
      c.values = {f->f()};
    } else if (const auto *i = im.attr("value_int")) {
      c.dtype = DType::I64;
      c.values = {double(i->i())};
    } else if (const auto *fs = im.attr("value_floats")) {
      c.dtype = DType::F32;
      c.shape = {fs->floats_size()};
      c.values.assign(fs->floats().begin(), fs->floats().end());
    } else if (const auto *is = im.attr("value_ints")) {
      c.dtype = DType::I64;
      c.shape = {is->ints_size()};
      c.values.assign(is->ints().begin(), is->ints().end());
    } else {
      return FoldResult::NotFolded;
    }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Shape" || op == "Size") {
    if (!im.has(0))
      return FoldResult::NotFolded;
    SmallVector<int64_t> shape = im.shapeOf(0);
    if (shape.empty() && !im.isConst(0)) {
      if (auto v = im.value(0); succeeded(v))
        shape = Importer::shape(*v);
    }
    Const c;
    c.dtype = DType::I64;
    if (op == "Size") {
      c.values = {double(product(shape))};
    } else {
      int64_t rank = shape.size();
      int64_t start = im.attrInt("start", 0), end = im.attrInt("end", rank);
      if (start < 0)
        start += rank;
      if (end < 0)
        end += rank;
      start = std::clamp<int64_t>(start, 0, rank);
      end = std::clamp<int64_t>(end, start, rank);
      for (int64_t i = start; i < end; ++i)
        c.values.push_back(double(shape[i]));
      c.shape = {int64_t(c.values.size())};
    }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "ConstantOfShape") {
    if (!im.isConst(0))
      return FoldResult::NotFolded;
    Const c;
    c.dtype = DType::F32;
    double fill = 0;
    if (const auto *v = im.attr("value"); v && v->has_t()) {
      Const t;
      if (!toConst(v->t(), t, im.maxElements()).empty() || t.values.empty())
        return FoldResult::NotFolded;
      c.dtype = t.dtype;
      fill = t.values[0];
    }
    int64_t elements = 1;
    for (int64_t d : in(0).asInts()) {
      if (d < 0 || llvm::MulOverflow(elements, d, elements) ||
          elements > im.maxElements())
        return invalid("shape must have dims >= 0 and at most " +
                       limitText(im.maxElements()) + " elements");
      c.shape.push_back(d);
    }
    c.values.assign(elements, fill);
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Identity" || op == "Dropout") {
    im.defineConst(0, in(0));
    return FoldResult::Folded;
  }
  if (op == "Gather") {
    const Const &data = in(0), &idx = in(1);
    int64_t rank = data.shape.size();
    int64_t axis = im.attrInt("axis", 0);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return invalid("axis " + Twine(im.attrInt("axis", 0)) +
                     " is out of range for rank " + Twine(rank));
    Const c;
    c.dtype = data.dtype;
    for (int64_t d = 0; d < axis; ++d)
      c.shape.push_back(data.shape[d]);
    c.shape.append(idx.shape.begin(), idx.shape.end());
    for (int64_t d = axis + 1; d < rank; ++d)
      c.shape.push_back(data.shape[d]);
    int64_t outer = product(ArrayRef<int64_t>(data.shape).take_front(axis));
    int64_t inner = product(ArrayRef<int64_t>(data.shape).drop_front(axis + 1));
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k : idx.asInts()) {
        if (k < 0)
          k += data.shape[axis];
        if (k < 0 || k >= data.shape[axis])
          return invalid("index " + Twine(k) + " is out of range for dim " +
                         Twine(axis) + " of size " +
                         Twine(data.shape[axis]));
        for (int64_t i = 0; i < inner; ++i)
          c.values.push_back(
              data.values[(o * data.shape[axis] + k) * inner + i]);
      }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    Const c = in(0);
    std::vector<int64_t> axes;
    if (auto a = im.attrInts("axes"))
      axes = *a;
    else if (im.isConst(1))
      axes = in(1).asInts();
    int64_t rank = c.shape.size();
    if (op == "Unsqueeze") {
      int64_t outRank = rank + axes.size();
      for (int64_t &a : axes) {
        if (a < 0)
          a += outRank;
        if (a < 0 || a >= outRank)
          return invalid("axis out of range for an output of rank " +
                         Twine(outRank));
      }
      llvm::sort(axes);
      if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
        return invalid("repeated axis");
      for (int64_t a : axes)
        c.shape.insert(c.shape.begin() + std::min<int64_t>(a, c.shape.size()),
                       1);
    } else {
      for (int64_t a : axes) {
        int64_t d = a < 0 ? a + rank : a;
        if (d < 0 || d >= rank || c.shape[d] != 1)
          return invalid("axis " + Twine(a) +
                         " is not a dimension of size 1");
      }
      SmallVector<int64_t> shape;
      for (int64_t d = 0; d < rank; ++d) {
        bool drop = axes.empty() ? c.shape[d] == 1
                                 : llvm::any_of(axes, [&](int64_t a) {
                                     return (a < 0 ? a + rank : a) == d;
                                   });
        if (!drop)
          shape.push_back(c.shape[d]);
      }
      c.shape = shape;
    }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Concat") {
    int64_t axis = im.attrInt("axis", 0);
    Const c;
    c.dtype = in(0).dtype;
    int64_t rank = in(0).shape.size();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return invalid("axis " + Twine(im.attrInt("axis", 0)) +
                     " is out of range for rank " + Twine(rank));
    for (int i = 1; i < n.input_size(); ++i) {
      ArrayRef<int64_t> s = in(i).shape;
      if (int64_t(s.size()) != rank)
        return invalid("inputs have different ranks");
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis && s[d] != in(0).shape[d])
          return invalid("input #" + Twine(i) +
                         " differs in a dimension other than the axis");
    }
    c.shape = in(0).shape;
    c.shape[axis] = 0;
    for (int i = 0; i < n.input_size(); ++i)
      c.shape[axis] += in(i).shape[axis];
    int64_t outer = product(ArrayRef<int64_t>(c.shape).take_front(axis));
    for (int64_t o = 0; o < outer; ++o)
      for (int i = 0; i < n.input_size(); ++i) {
        const Const &x = in(i);
        int64_t chunk = product(ArrayRef<int64_t>(x.shape).drop_front(axis));
        c.values.insert(c.values.end(), x.values.begin() + o * chunk,
                        x.values.begin() + (o + 1) * chunk);
      }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Reshape" || op == "Flatten") {
    Const c = in(0);
    SmallVector<int64_t> shape;
    if (op == "Flatten") {
      int64_t axis = im.attrInt("axis", 1);
      if (axis < 0)
        axis += c.shape.size();
      if (axis < 0 || axis > int64_t(c.shape.size()))
        return invalid("axis out of range");
      shape = {product(ArrayRef<int64_t>(c.shape).take_front(axis)),
               product(ArrayRef<int64_t>(c.shape).drop_front(axis))};
    } else {
      int64_t infer = -1, known = 1;
      auto target = in(1).asInts();
      for (size_t i = 0; i < target.size(); ++i) {
        int64_t d = target[i];
        if (d == 0 && !im.attrInt("allowzero", 0))
          d = i < c.shape.size() ? c.shape[i] : 0;
        if (d < -1 || (d == -1 && infer >= 0))
          return invalid("shape may have one -1 and no other negative dim");
        if (d == -1)
          infer = i;
        else if (llvm::MulOverflow(known, d, known) ||
                 known > im.maxElements())
          return invalid("the target shape has more than " +
                         limitText(im.maxElements()) + " elements");
        shape.push_back(d);
      }
      if (infer >= 0)
        shape[infer] = known ? c.numElements() / known : 0;
    }
    if (product(shape) != c.numElements())
      return invalid("cannot reshape " + Twine(c.numElements()) +
                     " elements to " + Twine(shape.size()) + "-d shape");
    c.shape = shape;
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Slice") {
    const Const &data = in(0);
    auto bounds = getSliceBounds(im, data.shape);
    if (failed(bounds))
      return FoldResult::NotFolded;
    int64_t rank = data.shape.size();
    SmallVector<int64_t> &lo = bounds->lo, &st = bounds->steps;
    Const c;
    c.dtype = data.dtype;
    c.shape = bounds->sizes;
    SmallVector<int64_t> ds = strides(data.shape), cs = strides(c.shape);
    int64_t total = product(c.shape);
    for (int64_t i = 0; i < total; ++i) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d)
        src += (lo[d] + ((i / cs[d]) % c.shape[d]) * st[d]) * ds[d];
      c.values.push_back(data.values[src]);
    }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Transpose") {
    const Const &data = in(0);
    int64_t rank = data.shape.size();
    std::vector<int64_t> perm;
    if (auto p = im.attrInts("perm"))
      perm = *p;
    else
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    std::vector<int64_t> sorted = perm;
    llvm::sort(sorted);
    bool isPermutation = int64_t(sorted.size()) == rank;
    for (int64_t i = 0; isPermutation && i < rank; ++i)
      isPermutation = sorted[i] == i;
    if (!isPermutation)
      return invalid("perm is not a permutation of the " + Twine(rank) +
                     " dims");
    Const c;
    c.dtype = data.dtype;
    for (int64_t p : perm)
      c.shape.push_back(data.shape[p]);
    SmallVector<int64_t> ds = strides(data.shape), cs = strides(c.shape);
    int64_t total = product(c.shape);
    c.values.resize(total);
    for (int64_t i = 0; i < total; ++i) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d)
        src += ((i / cs[d]) % c.shape[d]) * ds[perm[d]];
      c.values[i] = data.values[src];
    }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  // Elementwise arithmetic on constants.
  using Fn = std::function<double(double, double)>;
  Fn fn;
  DType dt = im.has(0) ? in(0).dtype : DType::F32;
  if (op == "Add")
    fn = [](double a, double b) { return a + b; };
  else if (op == "Sub")
    fn = [](double a, double b) { return a - b; };
  else if (op == "Mul")
    fn = [](double a, double b) { return a * b; };
  else if (op == "Div") // Integers fold in LogicOps.cpp.
    fn = [](double a, double b) { return a / b; };
  else if (op == "Pow")
    fn = [](double a, double b) { return std::pow(a, b); };
  // Max and Min propagate NaN, as ONNX's (and the compiled qc.max/qc.min).
  else if (op == "Max")
    fn = [](double a, double b) {
      return std::isnan(a) || std::isnan(b)
                 ? std::numeric_limits<double>::quiet_NaN()
                 : std::max(a, b);
    };
  else if (op == "Min")
    fn = [](double a, double b) {
      return std::isnan(a) || std::isnan(b)
                 ? std::numeric_limits<double>::quiet_NaN()
                 : std::min(a, b);
    };
  if (fn && n.input_size() == 2) {
    bool f32 = dt == DType::F32;
    auto r = broadcast(in(0), in(1),
                       [&](double a, double b) {
                         double v = fn(a, b);
                         return f32 ? double(float(v)) : v;
                       },
                       dt);
    if (!r)
      return FoldResult::NotFolded;
    im.defineConst(0, std::move(*r));
    return FoldResult::Folded;
  }
  if (op == "Neg" || op == "Sqrt") {
    Const c = in(0);
    for (double &v : c.values)
      v = op == "Neg" ? -v : double(std::sqrt(float(v)));
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  // The math functions on a constant (Abs and Sign also on integers, for
  // shape computations), rounded to f32 as the compiled ops' results are.
  static const llvm::StringMap<double (*)(double)> math = {
      {"Abs", [](double v) { return std::fabs(v); }},
      {"Sign", [](double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : v; }},
      {"Exp", [](double v) { return std::exp(v); }},
      {"Log", [](double v) { return std::log(v); }},
      {"Floor", [](double v) { return std::floor(v); }},
      {"Ceil", [](double v) { return std::ceil(v); }},
      // Ties to even (the default rounding mode), as ONNX Round.
      {"Round", [](double v) { return std::nearbyint(v); }},
      {"Sin", [](double v) { return std::sin(v); }},
      {"Cos", [](double v) { return std::cos(v); }}};
  if (auto it = math.find(op); it != math.end()) {
    Const c = in(0);
    bool isFloat = c.dtype == DType::F32 || c.dtype == DType::F64;
    bool isInteger = c.dtype == DType::I64 || c.dtype == DType::I32 ||
                     c.dtype == DType::I8 || c.dtype == DType::U8;
    if (!isFloat && !(isInteger && (op == "Abs" || op == "Sign")))
      return FoldResult::NotFolded;
    for (double &v : c.values) {
      v = it->second(v);
      if (c.dtype == DType::F32)
        v = double(float(v));
    }
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  if (op == "Expand") {
    Const shape;
    shape.dtype = in(0).dtype;
    int64_t elements = 1;
    for (int64_t d : in(1).asInts()) {
      if (d < 0 || llvm::MulOverflow(elements, d, elements) ||
          elements > im.maxElements())
        return invalid("shape must have dims >= 0 and at most " +
                       limitText(im.maxElements()) + " elements");
      shape.shape.push_back(d);
    }
    shape.values.assign(product(shape.shape), 0);
    auto r = broadcast(in(0), shape, [](double a, double) { return a; },
                       in(0).dtype);
    if (!r)
      return FoldResult::NotFolded;
    im.defineConst(0, std::move(*r));
    return FoldResult::Folded;
  }
  if (op == "Range") {
    for (int i = 0; i < 3; ++i)
      if (in(i).values.size() != 1)
        return invalid("start, limit and delta must be single values");
    double start = in(0).values[0], limit = in(1).values[0],
           delta = in(2).values[0];
    if (delta == 0)
      return invalid("delta must not be 0");
    // As ONNX's function body of Range: the count is computed in f32 from
    // limit - start (in the element type), and each element is the previous
    // one plus delta in the element type.
    bool f32 = in(0).dtype == DType::F32;
    double diff = f32 ? double(float(limit) - float(start)) : limit - start;
    double count = std::ceil(double(float(diff) / float(delta)));
    if (!(count <= double(im.maxElements())))
      return invalid("the range would have more than " +
                     limitText(im.maxElements()) + " elements");
    Const c;
    c.dtype = in(0).dtype;
    double v = start;
    for (int64_t i = 0; i < int64_t(std::max(count, 0.0)); ++i) {
      c.values.push_back(v);
      v = f32 ? double(float(v) + float(delta)) : v + delta;
    }
    c.shape = {int64_t(c.values.size())};
    im.defineConst(0, std::move(c));
    return FoldResult::Folded;
  }
  return FoldResult::NotFolded;
}
