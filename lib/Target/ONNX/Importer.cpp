//===- Importer.cpp - ONNX models to qc graphs ----------------------------===//
//
// The importer's driver: parses the ModelProto, fixes input shapes, walks
// the nodes in order (they are topologically sorted in a valid model),
// keeps values known at import time as host constants and everything else
// as SSA values, and builds the function.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnximport;

DType onnximport::fromOnnx(int32_t t) {
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return DType::F32;
  case onnx::TensorProto::UINT8:
    return DType::U8;
  case onnx::TensorProto::INT8:
    return DType::I8;
  case onnx::TensorProto::INT32:
    return DType::I32;
  case onnx::TensorProto::INT64:
    return DType::I64;
  case onnx::TensorProto::BOOL:
    return DType::Bool;
  case onnx::TensorProto::DOUBLE:
    return DType::F64;
  default:
    return DType::Unknown;
  }
}

const char *onnximport::dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "float32";
  case DType::U8:
    return "uint8";
  case DType::I8:
    return "int8";
  case DType::I32:
    return "int32";
  case DType::I64:
    return "int64";
  case DType::Bool:
    return "bool";
  case DType::F64:
    return "float64";
  case DType::Unknown:
    break;
  }
  return "unsupported";
}

std::string onnximport::onnxTypeName(int32_t onnxType) {
  if (onnx::TensorProto_DataType_IsValid(onnxType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(onnxType));
  return "element type " + std::to_string(onnxType);
}

Type onnximport::elementType(DType t, MLIRContext *ctx) {
  switch (t) {
  case DType::F32:
    return Float32Type::get(ctx);
  case DType::U8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case DType::I8:
    return IntegerType::get(ctx, 8);
  case DType::I32:
    return IntegerType::get(ctx, 32);
  case DType::I64:
    return IntegerType::get(ctx, 64);
  case DType::Bool:
    return IntegerType::get(ctx, 1);
  case DType::F64:
    return Float64Type::get(ctx);
  case DType::Unknown:
    break;
  }
  return {};
}

int64_t Const::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> Const::asInts() const {
  std::vector<int64_t> r;
  for (double v : values)
    r.push_back(v >= 9.2e18 ? INT64_MAX : v <= -9.2e18 ? INT64_MIN : int64_t(v));
  return r;
}

std::string onnximport::limitText(int64_t limit) {
  if (limit > 0 && llvm::isPowerOf2_64(uint64_t(limit)))
    return "2^" + std::to_string(llvm::Log2_64(uint64_t(limit)));
  return std::to_string(limit);
}

std::string onnximport::toConst(const onnx::TensorProto &t, Const &out,
                                int64_t maxElements) {
  out.dtype = fromOnnx(t.data_type());
  if (out.dtype == DType::Unknown)
    return "tensor '" + t.name() + "' has element type " +
           onnxTypeName(t.data_type()) + ", which is not supported";
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return "tensor '" + t.name() + "' keeps its data in an external file, "
           "which is not supported";
  // The dims come from the file: check them before multiplying or
  // allocating anything.
  int64_t n = 1;
  for (int64_t d : t.dims())
    if (d < 0 || llvm::MulOverflow(n, d, n) || n > maxElements)
      return "tensor '" + t.name() + "' has dims that are negative or " +
             "give more than " + limitText(maxElements) + " elements";
  out.shape.assign(t.dims().begin(), t.dims().end());
  out.values.clear();
  const std::string &raw = t.raw_data();
  auto fromRaw = [&](auto sample) -> std::string {
    using T = decltype(sample);
    if (raw.size() != size_t(n) * sizeof(T))
      return "tensor '" + t.name() + "' has " + std::to_string(raw.size()) +
             " bytes of data for " + std::to_string(n) + " elements";
    out.values.reserve(n);
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
      out.values.push_back(double(v));
    }
    return "";
  };
  if (!raw.empty()) {
    switch (out.dtype) {
    case DType::F32:
      return fromRaw(float());
    case DType::F64:
      return fromRaw(double());
    case DType::U8:
    case DType::Bool:
      return fromRaw(uint8_t());
    case DType::I8:
      return fromRaw(int8_t());
    case DType::I32:
      return fromRaw(int32_t());
    case DType::I64:
      return fromRaw(int64_t());
    case DType::Unknown:
      break;
    }
  }
  auto take = [&](const auto &field) -> std::string {
    if (field.size() != n)
      return "tensor '" + t.name() + "' has " + std::to_string(field.size()) +
             " values for " + std::to_string(n) + " elements";
    out.values.reserve(n);
    for (auto v : field)
      out.values.push_back(double(v));
    return "";
  };
  switch (out.dtype) {
  case DType::F32:
    return take(t.float_data());
  case DType::F64:
    return take(t.double_data());
  case DType::I64:
    return take(t.int64_data());
  default:
    return take(t.int32_data());
  }
}

DenseElementsAttr onnximport::toAttr(const Const &c, MLIRContext *ctx) {
  Type element = elementType(c.dtype, ctx);
  auto type = RankedTensorType::get(c.shape, element);
  if (c.dtype == DType::F32) {
    std::vector<float> v(c.values.begin(), c.values.end());
    return DenseElementsAttr::get(type, ArrayRef<float>(v));
  }
  if (c.dtype == DType::F64)
    return DenseElementsAttr::get(type, ArrayRef<double>(c.values));
  unsigned bits = element.getIntOrFloatBitWidth();
  std::vector<APInt> v;
  for (double x : c.values) {
    // Saturated as Const::asInts does: int64 bounds are not exact doubles.
    int64_t i = x >= 9.2e18 ? INT64_MAX : x <= -9.2e18 ? INT64_MIN : int64_t(x);
    v.push_back(APInt(bits, uint64_t(i), /*isSigned=*/true,
                      /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(type, v);
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

Importer::Importer(MLIRContext *ctx, const onnx::ModelProto &model,
                   const ImportOptions &options, StringRef fileName)
    : b(ctx), ctx(ctx), loc(FileLineColLoc::get(ctx, fileName, 0, 0)),
      model(model), graph(model.graph()), options(options),
      fileName(fileName.str()) {
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  for (const auto &n : graph.node())
    for (const auto &in : n.input())
      if (!in.empty())
        ++uses[in];
  for (const auto &o : graph.output())
    graphOutputs.insert(o.name());
}

InFlightDiagnostic Importer::error() {
  InFlightDiagnostic d = emitError(loc);
  // A node is named by its name, else its first output.
  if (node)
    d << "node '"
      << (!node->name().empty()   ? node->name()
          : node->output_size() > 0 ? node->output(0)
                                    : std::string("(unnamed)"))
      << "' (" << node->op_type() << "): ";
  return d;
}

bool Importer::has(int i) const {
  return i < node->input_size() && !node->input(i).empty();
}

bool Importer::isConst(int i) const {
  return has(i) && constants.count(node->input(i));
}

const Const &Importer::constant(int i) const {
  return constants.find(node->input(i))->second;
}

Value Importer::materialize(const Const &c) {
  return arith::ConstantOp::create(b, loc, toAttr(c, ctx));
}

FailureOr<Value> Importer::value(int i) {
  if (!has(i)) {
    error() << "input #" << i << " is missing";
    return failure();
  }
  const std::string &name = node->input(i);
  if (Value v = values.lookup(name))
    return v;
  auto it = constants.find(name);
  if (it != constants.end()) {
    if (it->second.dtype == DType::F64) {
      error() << "input '" << name << "' is a " << dtypeName(it->second.dtype)
              << " tensor computed at run time, which is not supported";
      return failure();
    }
    Value v = materialize(it->second);
    values[name] = v;
    return v;
  }
  error() << "input '" << name << "' is not defined before its use";
  return failure();
}

SmallVector<int64_t> Importer::shapeOf(int i) {
  if (isConst(i))
    return constant(i).shape;
  if (!has(i))
    return {};
  if (Value v = values.lookup(node->input(i)))
    return shape(v);
  return {};
}

void Importer::define(int output, Value v) {
  if (output < node->output_size() && !node->output(output).empty())
    values[node->output(output)] = v;
}

void Importer::defineConst(int output, Const c) {
  if (output < node->output_size() && !node->output(output).empty())
    constants[node->output(output)] = std::move(c);
}

bool Importer::used(int output) const {
  if (output >= node->output_size() || node->output(output).empty())
    return false;
  const std::string &name = node->output(output);
  return uses.lookup(name) > 0 || graphOutputs.contains(name);
}

int64_t Importer::consumers(StringRef name) const { return uses.lookup(name); }

const onnx::AttributeProto *Importer::attr(StringRef name) const {
  for (const auto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t Importer::attrInt(StringRef name, int64_t dflt) const {
  const auto *a = attr(name);
  return a ? a->i() : dflt;
}

float Importer::attrFloat(StringRef name, float dflt) const {
  const auto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string Importer::attrString(StringRef name, StringRef dflt) const {
  const auto *a = attr(name);
  return a ? a->s() : dflt.str();
}

std::optional<std::vector<int64_t>> Importer::attrInts(StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

LogicalResult Importer::validateGraph() {
  if (graph.output_size() == 0)
    return emitError(loc) << "the graph has no outputs";
  // Every value has one producer (ONNX graphs are in SSA form), produced
  // before it is used (nodes are in topological order).
  struct Producer {
    std::string what;
    int index; // -1: an initializer or graph input
  };
  llvm::StringMap<Producer> producers;
  auto label = [](const onnx::NodeProto &n) {
    std::string name = n.name().empty() ? (n.output_size() ? n.output(0) : "")
                                        : n.name();
    return "node '" + name + "' (" + n.op_type() + ")";
  };
  auto produce = [&](const std::string &name, Producer p) -> LogicalResult {
    auto [it, inserted] = producers.try_emplace(name, p);
    if (inserted)
      return success();
    return emitError(loc) << "value '" << name << "' is produced by "
                          << it->second.what << " and again by " << p.what
                          << "; an ONNX value has one producer";
  };
  for (const auto &t : graph.initializer())
    if (failed(produce(t.name(), {"initializer '" + t.name() + "'", -1})))
      return failure();
  for (const auto &in : graph.input())
    if (!producers.count(in.name()) &&
        failed(produce(in.name(), {"graph input '" + in.name() + "'", -1})))
      return failure();
  for (auto [i, n] : llvm::enumerate(graph.node()))
    for (const auto &out : n.output())
      if (!out.empty() && failed(produce(out, {label(n), int(i)})))
        return failure();
  for (auto [i, n] : llvm::enumerate(graph.node())) {
    for (const auto &in : n.input()) {
      if (in.empty())
        continue;
      auto it = producers.find(in);
      if (it == producers.end())
        return emitError(FileLineColLoc::get(ctx, fileName, i + 1, 0))
               << label(n) << ": input '" << in
               << "' is not produced by any node, initializer or graph input";
      if (it->second.index >= int(i))
        return emitError(FileLineColLoc::get(ctx, fileName, i + 1, 0))
               << label(n) << ": input '" << in << "' is produced by "
               << it->second.what
               << (it->second.index == int(i) ? " itself" : " later")
               << ": the nodes must be in topological order (a cycle?)";
    }
  }
  for (const auto &o : graph.output())
    if (!producers.count(o.name()))
      return emitError(loc) << "graph output '" << o.name()
                            << "' is not produced by any node, initializer "
                               "or graph input";
  return success();
}

LogicalResult Importer::importInputs() {
  llvm::StringSet<> initializers;
  for (const auto &t : graph.initializer()) {
    Const c;
    std::string err = toConst(t, c, options.maxTensorElements);
    if (!err.empty())
      return emitError(loc) << "initializer: " << err;
    constants[t.name()] = std::move(c);
    initializers.insert(t.name());
  }
  SmallVector<Type> types;
  SmallVector<std::string> names;
  for (const auto &in : graph.input()) {
    if (initializers.contains(in.name()))
      continue;
    if (!in.type().has_tensor_type())
      return emitError(loc) << "graph input '" << in.name()
                            << "' is not a tensor";
    const auto &tt = in.type().tensor_type();
    DType dt = fromOnnx(tt.elem_type());
    if (dt == DType::F64 || dt == DType::Unknown)
      return emitError(loc)
             << "graph input '" << in.name() << "' has element type "
             << onnxTypeName(tt.elem_type())
             << "; inputs must be float32, uint8, int8, int32, "
                "int64 or bool";
    SmallVector<int64_t> dims;
    auto given = options.inputShapes.find(in.name());
    if (given != options.inputShapes.end()) {
      dims = given->second;
      if (tt.has_shape() && tt.shape().dim_size() != int64_t(dims.size()))
        return emitError(loc)
               << "--input-shape for '" << in.name() << "' has "
               << dims.size() << " dims but the model's input has "
               << tt.shape().dim_size();
      // Only symbolic dimensions are free; fixed ones must agree.
      for (auto [i, d] : llvm::enumerate(tt.shape().dim()))
        if (d.has_dim_value() && d.dim_value() > 0 &&
            d.dim_value() != dims[i])
          return emitError(loc)
                 << "--input-shape gives input '" << in.name() << "' dim "
                 << i << " = " << dims[i] << ", but the model fixes it at "
                 << d.dim_value();
    } else {
      if (!tt.has_shape())
        return emitError(loc) << "graph input '" << in.name()
                              << "' has no shape: give --input-shape="
                              << in.name() << ":DIMS";
      const SmallVector<int64_t> *sample =
          names.size() < options.sampleShapes.size()
              ? &options.sampleShapes[names.size()]
              : nullptr;
      if (sample && int64_t(sample->size()) != tt.shape().dim_size())
        sample = nullptr;
      for (auto [i, d] : llvm::enumerate(tt.shape().dim())) {
        if (d.has_dim_value() && d.dim_value() > 0) {
          dims.push_back(d.dim_value());
          continue;
        }
        if (d.has_dim_value() && d.dim_value() == 0)
          return emitError(loc)
                 << "input '" << in.name() << "' dim " << i
                 << " has size 0; qc compiles models of non-empty tensors";
        std::string what = d.has_dim_param() ? "'" + d.dim_param() + "'"
                                              : std::string("?");
        if (i == 0) {
          // The batch: one sample unless the user says otherwise.
          emitWarning(loc) << "input '" << in.name() << "' dim " << what
                           << " is not fixed; using 1 (set it with "
                              "--input-shape="
                           << in.name() << ":DIMS)";
          dims.push_back(1);
          continue;
        }
        if (sample && (*sample)[i] > 0) {
          dims.push_back((*sample)[i]);
          continue;
        }
        return emitError(loc)
               << "input '" << in.name() << "' dim " << i << " (" << what
               << ") is not fixed: give its size with --input-shape="
               << in.name() << ":DIMS (or calibration data of the input's "
               << "shape)";
      }
    }
    int64_t elements = 1;
    for (int64_t d : dims)
      if (llvm::MulOverflow(elements, d, elements) ||
          elements > options.maxTensorElements)
        return emitError(loc)
               << "input '" << in.name() << "' would have more than "
               << limitText(options.maxTensorElements)
               << " elements; qc supports at most that many per tensor";
    types.push_back(RankedTensorType::get(dims, elementType(dt, ctx)));
    names.push_back(in.name());
  }
  for (const auto &[k, v] : options.inputShapes)
    if (!llvm::is_contained(names, k.str()))
      return emitError(loc) << "--input-shape names '" << k
                            << "', which is not an input of the model";

  std::string name = options.name;
  if (name.empty()) {
    for (char c : graph.name())
      name += (llvm::isAlnum(c) || c == '_') ? c : '_';
    if (name.empty() || llvm::isDigit(name[0]))
      name = "model" + name;
  }
  auto func = func::FuncOp::create(b, loc, name, b.getFunctionType(types, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, n] : llvm::enumerate(names)) {
    values[n] = entry->getArgument(i);
    func.setArgAttr(i, "qc.name", b.getStringAttr(n));
  }
  b.setInsertionPointToStart(entry);
  return success();
}

LogicalResult Importer::importNode(const onnx::NodeProto &n, int index) {
  node = &n;
  std::string label = n.name().empty() ? (n.output_size() ? n.output(0) : "")
                                       : n.name();
  loc = NameLoc::get(b.getStringAttr(label),
                     FileLineColLoc::get(ctx, fileName, index + 1, 0));
  if (n.domain() == "com.microsoft") {
    if (auto r = importContribOp(*this, n.op_type()))
      return *r;
    return error() << "operators of domain 'com.microsoft' are not "
                      "supported, except ONNX Runtime's QOperator ops "
                      "(QLinearAdd, QLinearMul, QLinearSigmoid, "
                      "QLinearLeakyRelu, QLinearConcat, "
                      "QLinearGlobalAveragePool, QLinearAveragePool, QGemm)";
  }
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    return error() << "operators of domain '" << n.domain()
                   << "' are not supported";
  // Shape computations and anything else on constants are evaluated here.
  bool allConst = n.input_size() > 0;
  for (int i = 0; i < n.input_size(); ++i)
    if (has(i) && !isConst(i))
      allConst = false;
  if (allConst || n.op_type() == "Constant" || n.op_type() == "Shape" ||
      n.op_type() == "Size" || n.op_type() == "ConstantOfShape") {
    switch (foldOp(*this, n.op_type())) {
    case FoldResult::Folded:
      return success();
    case FoldResult::Failed:
      return failure();
    case FoldResult::NotFolded:
      break;
    }
  }
  // The ops emitted for the node must verify: a shape the per-op checks
  // missed is reported as this node's error, not as a later failure of an
  // anonymous op.
  Block *block = b.getInsertionBlock();
  Operation *last = block->empty() ? nullptr : &block->back();
  if (failed(importOp(*this, n.op_type())))
    return failure();
  std::string message;
  {
    ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &d) {
      if (message.empty() && d.getSeverity() == DiagnosticSeverity::Error)
        message = d.str();
      return success();
    });
    for (Operation *op = last ? last->getNextNode()
                              : (block->empty() ? nullptr : &block->front());
         op; op = op->getNextNode()) {
      if (failed(mlir::verify(op))) {
        if (message.empty())
          message = "an emitted op does not verify";
        break;
      }
      // No value may outgrow the tensor limit (an attribute can ask for
      // any size: Tile's repeats, Resize's scales, ...).
      for (Type t : op->getResultTypes()) {
        auto rt = dyn_cast<RankedTensorType>(t);
        int64_t elements = 1;
        if (rt && rt.hasStaticShape() &&
            llvm::any_of(rt.getShape(), [&](int64_t d) {
              return llvm::MulOverflow(elements, d, elements) ||
                     elements > maxElements();
            })) {
          message = "a result of shape " + shapeStr(rt.getShape()) +
                    " would have more than " + limitText(maxElements()) +
                    " elements";
          break;
        }
      }
      if (!message.empty())
        break;
    }
  }
  if (!message.empty())
    return error() << message;
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  OwningOpRef<ModuleOp> owned = ModuleOp::create(loc);
  module = *owned;
  b.setInsertionPointToEnd(module.getBody());
  if (failed(validateGraph()) || failed(importInputs()))
    return nullptr;
  for (auto [i, n] : llvm::enumerate(graph.node()))
    if (failed(importNode(n, i)))
      return nullptr;
  node = nullptr;
  loc = FileLineColLoc::get(ctx, fileName, 0, 0);
  SmallVector<Value> results;
  SmallVector<std::string> names;
  for (const auto &o : graph.output()) {
    Value v = values.lookup(o.name());
    if (!v) {
      auto it = constants.find(o.name());
      if (it == constants.end()) {
        emitError(loc) << "graph output '" << o.name() << "' is never computed";
        return nullptr;
      }
      v = materialize(it->second);
    }
    results.push_back(v);
    names.push_back(o.name());
  }
  func::ReturnOp::create(b, loc, results);
  auto func = cast<func::FuncOp>(module.getBody()->front());
  SmallVector<Type> resultTypes;
  for (Value v : results)
    resultTypes.push_back(v.getType());
  func.setType(b.getFunctionType(func.getArgumentTypes(), resultTypes));
  for (auto [i, n] : llvm::enumerate(names))
    func.setResultAttr(i, "qc.name", b.getStringAttr(n));
  if (failed(verify(module)))
    return nullptr;
  return owned;
}

OwningOpRef<ModuleOp> mlir::qc::importONNX(StringRef bytes, StringRef fileName,
                                           MLIRContext *context,
                                           const ImportOptions &options) {
  context->loadDialect<QCDialect, arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect>();
  onnx::ModelProto model;
  if (bytes.size() > size_t(INT32_MAX)) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0))
        << "'" << fileName << "' is " << bytes.size()
        << " bytes, over protobuf's 2 GiB limit for one ONNX file (models "
        << "this large keep their weights in external data files, which qc "
        << "does not read)";
    return nullptr;
  }
  if (!model.ParseFromArray(bytes.data(), int(bytes.size()))) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0))
        << "'" << fileName << "' is not a valid ONNX model (protobuf parse "
        << "failed)";
    return nullptr;
  }
  if (!model.has_graph()) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0))
        << "'" << fileName << "' has no graph";
    return nullptr;
  }
  Importer importer(context, model, options, fileName);
  return importer.run();
}

std::optional<SmallVector<int64_t>> mlir::qc::parseDims(StringRef text) {
  SmallVector<int64_t> dims;
  SmallVector<StringRef> parts;
  text.split(parts, text.contains(',') ? ',' : 'x');
  for (StringRef p : parts) {
    int64_t v;
    if (p.trim().getAsInteger(10, v) || v <= 0)
      return std::nullopt;
    dims.push_back(v);
  }
  if (dims.empty())
    return std::nullopt;
  return dims;
}

std::string mlir::qc::readTensorProto(StringRef path, HostArray &out) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return "cannot read '" + path.str() + "': " + buffer.getError().message();
  onnx::TensorProto t;
  if (!t.ParseFromArray((*buffer)->getBufferStart(),
                        int((*buffer)->getBufferSize())))
    return "'" + path.str() + "' is not a serialized ONNX TensorProto";
  Const c;
  std::string err = toConst(t, c);
  if (!err.empty())
    return "'" + path.str() + "': " + err;
  out.dtype = dtypeName(c.dtype);
  out.shape.assign(c.shape.begin(), c.shape.end());
  size_t es = HostArray::elementSize(out.dtype);
  out.data.assign(c.values.size() * es, 0);
  for (size_t i = 0; i < c.values.size(); ++i) {
    uint8_t *p = out.data.data() + i * es;
    double v = c.values[i];
    switch (c.dtype) {
    case DType::F32: {
      float f = float(v);
      std::memcpy(p, &f, 4);
      break;
    }
    case DType::F64:
      std::memcpy(p, &v, 8);
      break;
    case DType::I32: {
      int32_t x = int32_t(v);
      std::memcpy(p, &x, 4);
      break;
    }
    case DType::I64: {
      int64_t x = int64_t(v);
      std::memcpy(p, &x, 8);
      break;
    }
    default:
      *p = uint8_t(int64_t(v));
    }
  }
  // int64 values exactly: a double holds only 53 bits of them.
  if (c.dtype == DType::I64) {
    if (!t.raw_data().empty())
      std::memcpy(out.data.data(), t.raw_data().data(), out.data.size());
    else
      for (int i = 0; i < t.int64_data_size(); ++i) {
        int64_t x = t.int64_data(i);
        std::memcpy(out.data.data() + i * 8, &x, 8);
      }
  }
  return "";
}
