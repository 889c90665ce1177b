//===- LogicOps.cpp - ONNX comparison, logic and integer operators --------===//
//
// The operators of masks and indices: Equal, Less, Greater, LessOrEqual,
// GreaterOrEqual (qc.compare), Where (qc.select), Not, And, Or, Xor, Cast
// between float32/int64/int32/int8/uint8/bool (qc.cast), Mod, the variadic
// Sum and Mean of float32 tensors, and Add/Sub/Mul/Div/Max/Min when their
// inputs are integers. Each has a run-time importer and a constant folder
// with the same semantics, since exported transformers compute their masks
// from constants as often as from inputs.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

namespace {

//===----------------------------------------------------------------------===//
// Run-time import
//===----------------------------------------------------------------------===//

/// Whether `t` is an element type the logic ops take.
bool isPlainElement(Type t) {
  if (t.isF32())
    return true;
  auto i = dyn_cast<IntegerType>(t);
  return i && (i.getWidth() == 1 || i.getWidth() == 8 || i.getWidth() == 32 ||
               i.getWidth() == 64);
}

bool isIntegerElement(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.getWidth() != 1;
}

/// The element type of input `i`, or null when it is absent or has a type
/// qc does not represent.
Type inputElement(Importer &im, int i) {
  if (!im.has(i))
    return {};
  if (im.isConst(i))
    return elementType(im.constant(i).dtype, im.ctx);
  auto v = im.value(i);
  return succeeded(v) ? elementOf(*v) : Type();
}

/// Input `i` as a value of f32, bool or integer elements.
FailureOr<Value> plainInput(Importer &im, int i) {
  auto v = im.value(i);
  if (failed(v))
    return failure();
  if (!isPlainElement(elementOf(*v))) {
    im.error() << "input #" << i << " has element type " << elementOf(*v)
               << "; this operator takes float32, bool or integer tensors";
    return failure();
  }
  return v;
}

/// Every input of the node, of one element type (`kind` restricts it).
enum class Kind { Any, Bool, Number, Float };
FailureOr<SmallVector<Value>> sameTypeInputs(Importer &im, Kind kind,
                                             int count = -1) {
  int n = count < 0 ? im.node->input_size() : count;
  if (n == 0) {
    im.error() << "needs at least one input";
    return failure();
  }
  SmallVector<Value> values;
  for (int i = 0; i < n; ++i) {
    auto v = plainInput(im, i);
    if (failed(v))
      return failure();
    Type e = elementOf(*v);
    if (i > 0 && e != elementOf(values[0])) {
      im.error() << "input #" << i << " has element type " << e
                 << " but input #0 has " << elementOf(values[0])
                 << "; the inputs must have one element type";
      return failure();
    }
    bool ok = kind == Kind::Any || (kind == Kind::Bool && e.isInteger(1)) ||
              (kind == Kind::Number && !e.isInteger(1)) ||
              (kind == Kind::Float && e.isF32());
    if (!ok) {
      const char *want = kind == Kind::Bool    ? "bool"
                         : kind == Kind::Float ? "float32"
                                               : "float32 or integer";
      im.error() << "input #" << i << " has element type " << e
                 << "; this operator takes " << want << " tensors";
      return failure();
    }
    values.push_back(*v);
  }
  return values;
}

/// The numpy broadcast of the shapes of `values`, or an error naming them.
FailureOr<SmallVector<int64_t>> broadcastShape(Importer &im,
                                               ArrayRef<Value> values) {
  SmallVector<int64_t> shape;
  for (Value v : values) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, Importer::shape(v), next)) {
      InFlightDiagnostic d = im.error() << "input shapes";
      for (auto [i, w] : llvm::enumerate(values))
        d << (i ? ", " : " ") << shapeStr(Importer::shape(w));
      d << " do not broadcast";
      return failure();
    }
    shape = std::move(next);
  }
  return shape;
}

RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element);
}

LogicalResult importCompare(Importer &im, ComparePredicate predicate) {
  auto in = sameTypeInputs(im, Kind::Any, 2);
  if (failed(in))
    return failure();
  auto shape = broadcastShape(im, *in);
  if (failed(shape))
    return failure();
  im.define(0,
            CompareOp::create(im.b, im.loc, tensorOf(*shape, im.b.getI1Type()),
                              predicate, (*in)[0], (*in)[1]));
  return success();
}

LogicalResult importLogical(Importer &im, LogicalKind kind) {
  auto in = sameTypeInputs(im, Kind::Bool, 2);
  if (failed(in))
    return failure();
  auto shape = broadcastShape(im, *in);
  if (failed(shape))
    return failure();
  im.define(0,
            LogicalOp::create(im.b, im.loc, tensorOf(*shape, im.b.getI1Type()),
                              kind, (*in)[0], (*in)[1]));
  return success();
}

LogicalResult importNot(Importer &im) {
  auto in = sameTypeInputs(im, Kind::Bool, 1);
  if (failed(in))
    return failure();
  im.define(0, NotOp::create(im.b, im.loc, (*in)[0]));
  return success();
}

LogicalResult importWhere(Importer &im) {
  auto cond = plainInput(im, 0);
  if (failed(cond))
    return failure();
  if (!elementOf(*cond).isInteger(1))
    return im.error() << "the condition has element type " << elementOf(*cond)
                      << "; it must be bool";
  auto x = plainInput(im, 1), y = plainInput(im, 2);
  if (failed(x) || failed(y))
    return failure();
  if (elementOf(*x) != elementOf(*y))
    return im.error() << "X has element type " << elementOf(*x) << " but Y has "
                      << elementOf(*y) << "; they must have one element type";
  auto shape = broadcastShape(im, {*cond, *x, *y});
  if (failed(shape))
    return failure();
  im.define(0, SelectOp::create(im.b, im.loc, tensorOf(*shape, elementOf(*x)),
                                *cond, *x, *y));
  return success();
}

LogicalResult importMod(Importer &im) {
  auto in = sameTypeInputs(im, Kind::Number, 2);
  if (failed(in))
    return failure();
  bool fmod = im.attrInt("fmod", 0) != 0;
  Type element = elementOf((*in)[0]);
  if (element.isF32() && !fmod)
    return im.error() << "fmod must be 1 for float32 inputs (ONNX Mod "
                         "defines only the truncated remainder of floats)";
  auto shape = broadcastShape(im, *in);
  if (failed(shape))
    return failure();
  im.define(0, ModOp::create(im.b, im.loc, tensorOf(*shape, element), (*in)[0],
                             (*in)[1], im.b.getBoolAttr(fmod)));
  return success();
}

/// Sum, Mean, and Add/Sub/Mul/Div/Max/Min of integers: a chain of binary
/// ops over the inputs (two for the binary operators).
template <typename OpT>
LogicalResult importChain(Importer &im, Kind kind, int count = -1) {
  auto in = sameTypeInputs(im, kind, count);
  if (failed(in))
    return failure();
  Value acc = (*in)[0];
  for (Value v : ArrayRef<Value>(*in).drop_front()) {
    auto shape = broadcastShape(im, {acc, v});
    if (failed(shape))
      return failure();
    acc = OpT::create(im.b, im.loc, tensorOf(*shape, elementOf(acc)), acc, v);
  }
  if (im.node->op_type() == "Mean" && in->size() > 1) {
    // As ONNX's reference: the f32 sum divided by the count.
    Value n = arith::ConstantOp::create(
        im.b, im.loc,
        DenseElementsAttr::get(im.f32Type({}), float(in->size())));
    acc = DivOp::create(im.b, im.loc, acc.getType(), acc, n);
  }
  im.define(0, acc);
  return success();
}

/// The element types Cast converts between.
std::optional<Type> castTarget(Importer &im, int32_t onnxType) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return elementType(fromOnnx(onnxType), im.ctx);
  default:
    return std::nullopt;
  }
}

/// Cast of a run-time value. A quantized value (a Cast after QuantizeLinear,
/// as PyTorch exports it) is left to the pass-through importer, which
/// accepts the no-op cast to its storage type.
std::optional<LogicalResult> importCast(Importer &im) {
  auto x = im.value(0);
  if (failed(x))
    return failure();
  if (isQuantized((*x).getType()))
    return std::nullopt;
  int32_t onnxTo = int32_t(im.attrInt("to", onnx::TensorProto::FLOAT));
  std::optional<Type> to = castTarget(im, onnxTo);
  Type from = elementOf(*x);
  if (!to || !isPlainElement(from))
    return im.error() << "casts from " << from << " to " << onnxTypeName(onnxTo)
                      << " are not supported (qc casts between float32, "
                         "int64, int32, int8, uint8 and bool)";
  if (*to == from)
    im.define(0, *x);
  else
    im.define(0, CastOp::create(
                     im.b, im.loc,
                     cast<RankedTensorType>((*x).getType()).clone(*to), *x));
  return success();
}

/// Add/Sub/Mul/Div/Max/Min with an integer input; nullopt for the float
/// (and quantized) forms, which Ops.cpp imports.
std::optional<LogicalResult> importIntegerArith(Importer &im, StringRef op) {
  bool anyInteger = false;
  for (int i = 0; i < im.node->input_size(); ++i)
    if (Type t = inputElement(im, i); t && isIntegerElement(t))
      anyInteger = true;
  if (!anyInteger)
    return std::nullopt;
  bool variadic = op == "Max" || op == "Min";
  int count = variadic ? -1 : 2;
  if (op == "Add")
    return importChain<AddOp>(im, Kind::Number, count);
  if (op == "Sub")
    return importChain<SubOp>(im, Kind::Number, count);
  if (op == "Mul")
    return importChain<MulOp>(im, Kind::Number, count);
  if (op == "Div")
    return importChain<DivOp>(im, Kind::Number, count);
  if (op == "Max")
    return importChain<MaxOp>(im, Kind::Number, count);
  return importChain<MinOp>(im, Kind::Number, count);
}

//===----------------------------------------------------------------------===//
// Constant folding (the same semantics as the lowering, on host values)
//===----------------------------------------------------------------------===//

bool isIntDType(DType t) {
  return t == DType::I64 || t == DType::I32 || t == DType::I8 || t == DType::U8;
}

/// A double holding an integer, as int64 (saturated, NaN as 0).
int64_t toInt(double v) {
  if (std::isnan(v))
    return 0;
  if (v >= 9.2233720368547758e18)
    return std::numeric_limits<int64_t>::max();
  if (v <= -9.2233720368547758e18)
    return std::numeric_limits<int64_t>::min();
  return int64_t(v);
}

/// `v` wrapped to the range of integer type `t` (two's complement).
int64_t wrapTo(int64_t v, DType t) {
  switch (t) {
  case DType::I8:
    return int8_t(uint8_t(uint64_t(v)));
  case DType::U8:
    return uint8_t(uint64_t(v));
  case DType::I32:
    return int32_t(uint32_t(uint64_t(v)));
  case DType::Bool:
    return v != 0;
  default:
    return v;
  }
}

/// qc.cast of one element.
double castElement(double v, DType from, DType to) {
  if (to == DType::Bool)
    return v != 0 || std::isnan(v);
  if (to == DType::F32)
    return double(float(v));
  if (!isIntDType(from) && from != DType::Bool) {
    // Float to integer: truncate, NaN -> 0, saturate.
    if (std::isnan(v))
      return 0;
    double lo, hi;
    switch (to) {
    case DType::I8:
      lo = -128, hi = 127;
      break;
    case DType::U8:
      lo = 0, hi = 255;
      break;
    case DType::I32:
      lo = -2147483648.0, hi = 2147483647.0;
      break;
    default:
      return double(toInt(std::trunc(v)));
    }
    return std::clamp(std::trunc(v), lo, hi);
  }
  return double(wrapTo(toInt(v), to));
}

/// Strides of a row-major shape.
SmallVector<int64_t> rowStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> s(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/// `fn` over the numpy broadcast of `inputs`, or nullopt when their shapes
/// do not broadcast.
std::optional<Const> broadcastAll(ArrayRef<const Const *> inputs,
                                  function_ref<double(ArrayRef<double>)> fn,
                                  DType result) {
  SmallVector<int64_t> shape;
  for (const Const *c : inputs) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, c->shape, next))
      return std::nullopt;
    shape = std::move(next);
  }
  Const out;
  out.dtype = result;
  out.shape = shape;
  int64_t n = product(shape), rank = shape.size();
  SmallVector<int64_t> outStrides = rowStrides(shape);
  // Each input's stride per output dim (0 where it broadcasts).
  SmallVector<SmallVector<int64_t>> strides;
  for (const Const *c : inputs) {
    SmallVector<int64_t> own = rowStrides(c->shape), s(rank, 0);
    int64_t offset = rank - int64_t(c->shape.size());
    for (int64_t d = offset; d < rank; ++d)
      if (c->shape[d - offset] != 1)
        s[d] = own[d - offset];
    strides.push_back(std::move(s));
  }
  out.values.resize(n);
  SmallVector<double> args(inputs.size());
  for (int64_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k) {
      int64_t idx = 0;
      for (int64_t d = 0; d < rank; ++d)
        idx += (i / outStrides[d]) % shape[d] * strides[k][d];
      args[k] = inputs[k]->values[idx];
    }
    out.values[i] = fn(args);
  }
  return out;
}

/// The integer forms of Div and Mod, as the lowering computes them.
int64_t intDiv(int64_t a, int64_t b, DType t) {
  if (b == 0)
    return 0;
  if (b == -1)
    return wrapTo(int64_t(0 - uint64_t(a)), t);
  return wrapTo(a / b, t);
}

int64_t intMod(int64_t a, int64_t b, bool fmod) {
  if (b == 0 || b == -1)
    return 0;
  int64_t r = a % b;
  if (!fmod && r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

std::optional<double> intBinary(StringRef op, int64_t a, int64_t b, DType t) {
  auto wrap = [&](uint64_t v) { return double(wrapTo(int64_t(v), t)); };
  if (op == "Add")
    return wrap(uint64_t(a) + uint64_t(b));
  if (op == "Sub")
    return wrap(uint64_t(a) - uint64_t(b));
  if (op == "Mul")
    return wrap(uint64_t(a) * uint64_t(b));
  if (op == "Div")
    return double(intDiv(a, b, t));
  if (op == "Max")
    return double(std::max(a, b));
  if (op == "Min")
    return double(std::min(a, b));
  return std::nullopt;
}

std::optional<ComparePredicate> comparePredicate(StringRef op) {
  return llvm::StringSwitch<std::optional<ComparePredicate>>(op)
      .Case("Equal", ComparePredicate::eq)
      .Case("Less", ComparePredicate::lt)
      .Case("LessOrEqual", ComparePredicate::le)
      .Case("Greater", ComparePredicate::gt)
      .Case("GreaterOrEqual", ComparePredicate::ge)
      .Default(std::nullopt);
}

bool compare(ComparePredicate p, double a, double b) {
  switch (p) {
  case ComparePredicate::eq:
    return a == b;
  case ComparePredicate::ne:
    return a != b;
  case ComparePredicate::lt:
    return a < b;
  case ComparePredicate::le:
    return a <= b;
  case ComparePredicate::gt:
    return a > b;
  case ComparePredicate::ge:
    return a >= b;
  }
  return false;
}

std::optional<Const> foldConsts(Importer &im, StringRef op,
                                ArrayRef<const Const *> in) {
  DType dt = in[0]->dtype;
  auto sameTypes =
      llvm::all_of(in, [&](const Const *c) { return c->dtype == dt; });
  if (!sameTypes)
    return std::nullopt;
  if (auto p = comparePredicate(op)) {
    if (in.size() != 2)
      return std::nullopt;
    return broadcastAll(
        in, [&](ArrayRef<double> v) { return double(compare(*p, v[0], v[1])); },
        DType::Bool);
  }
  if (op == "Not" || op == "And" || op == "Or" || op == "Xor") {
    if (dt != DType::Bool || in.size() != (op == "Not" ? 1u : 2u))
      return std::nullopt;
    return broadcastAll(
        in,
        [&](ArrayRef<double> v) -> double {
          bool a = v[0] != 0;
          if (op == "Not")
            return !a;
          bool b = v[1] != 0;
          return op == "And" ? (a && b) : op == "Or" ? (a || b) : (a != b);
        },
        DType::Bool);
  }
  if (op == "Mod") {
    bool fmod = im.attrInt("fmod", 0) != 0;
    if (in.size() != 2 || !(isIntDType(dt) || (dt == DType::F32 && fmod)))
      return std::nullopt;
    return broadcastAll(
        in,
        [&](ArrayRef<double> v) -> double {
          if (dt == DType::F32)
            return double(std::fmod(float(v[0]), float(v[1])));
          return double(intMod(toInt(v[0]), toInt(v[1]), fmod));
        },
        dt);
  }
  if (op == "Sum" || op == "Mean") {
    if (dt != DType::F32)
      return std::nullopt;
    float n = float(in.size());
    bool mean = op == "Mean";
    return broadcastAll(
        in,
        [&](ArrayRef<double> v) -> double {
          float acc = float(v[0]);
          for (double x : v.drop_front())
            acc += float(x);
          return mean && in.size() > 1 ? double(acc / n) : double(acc);
        },
        dt);
  }
  // Integer arithmetic: two inputs, or any number for Max and Min.
  bool variadic = op == "Max" || op == "Min";
  if (isIntDType(dt) && (in.size() == 2 || variadic) && intBinary(op, 0, 1, dt))
    return broadcastAll(
        in,
        [&](ArrayRef<double> v) {
          double acc = v[0];
          for (double x : v.drop_front())
            acc = *intBinary(op, toInt(acc), toInt(x), dt);
          return acc;
        },
        dt);
  return std::nullopt;
}

} // namespace

std::optional<LogicalResult> onnximport::importLogicOp(Importer &im,
                                                       StringRef op) {
  if (auto p = comparePredicate(op))
    return importCompare(im, *p);
  if (op == "And")
    return importLogical(im, LogicalKind::and_);
  if (op == "Or")
    return importLogical(im, LogicalKind::or_);
  if (op == "Xor")
    return importLogical(im, LogicalKind::xor_);
  if (op == "Not")
    return importNot(im);
  if (op == "Where")
    return importWhere(im);
  if (op == "Mod")
    return importMod(im);
  if (op == "Sum")
    return importChain<AddOp>(im, Kind::Float);
  if (op == "Mean")
    return importChain<AddOp>(im, Kind::Float);
  if (op == "Cast")
    return importCast(im);
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Max" ||
      op == "Min")
    return importIntegerArith(im, op);
  return std::nullopt;
}

std::optional<FoldResult> onnximport::foldLogicOp(Importer &im, StringRef op) {
  const onnx::NodeProto &n = *im.node;
  static const llvm::StringSet<> handled = {
      "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual",
      "Not",   "And",  "Or",          "Xor",     "Mod",
      "Sum",   "Mean", "Where",       "Cast",    "Add",
      "Sub",   "Mul",  "Div",         "Max",     "Min"};
  if (!handled.contains(op) || n.input_size() == 0)
    return std::nullopt;
  SmallVector<const Const *> in;
  for (int i = 0; i < n.input_size(); ++i) {
    if (!im.isConst(i))
      return std::nullopt;
    in.push_back(&im.constant(i));
  }
  std::optional<Const> result;
  if (op == "Cast") {
    DType to = fromOnnx(int32_t(im.attrInt("to", onnx::TensorProto::FLOAT)));
    DType from = in[0]->dtype;
    if (to == DType::Unknown || to == DType::F64 || from == DType::Unknown)
      return FoldResult::NotFolded;
    result = *in[0];
    for (double &v : result->values)
      v = castElement(v, from, to);
    result->dtype = to;
  } else if (op == "Where") {
    if (in.size() != 3 || in[0]->dtype != DType::Bool ||
        in[1]->dtype != in[2]->dtype)
      return FoldResult::NotFolded;
    result = broadcastAll(
        in, [](ArrayRef<double> v) { return v[0] != 0 ? v[1] : v[2]; },
        in[1]->dtype);
  } else {
    // Float Add/Sub/Mul/Div/Max/Min keep Folding.cpp's fold.
    bool floatArith = (op == "Add" || op == "Sub" || op == "Mul" ||
                       op == "Div" || op == "Max" || op == "Min") &&
                      !isIntDType(in[0]->dtype);
    if (floatArith)
      return std::nullopt;
    result = foldConsts(im, op, in);
  }
  if (!result)
    return FoldResult::NotFolded;
  im.defineConst(0, std::move(*result));
  return FoldResult::Folded;
}
