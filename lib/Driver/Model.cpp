//===- Model.cpp - Loading, running and describing models -----------------===//
//
// Model I/O for the qc tool: reading ONNX or MLIR, the generated C header,
// and an in-process runner over arrays.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Model.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qc;

OwningOpRef<ModuleOp> mlir::qc::loadModel(StringRef path, MLIRContext *context,
                                          llvm::SourceMgr &sourceMgr,
                                          const ImportOptions &options) {
  std::string error;
  if (path.ends_with(".onnx")) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
    if (!buffer) {
      emitError(FileLineColLoc::get(context, path, 0, 0))
          << "cannot read '" << path << "': " << buffer.getError().message();
      return nullptr;
    }
    return importONNX((*buffer)->getBuffer(), path, context, options);
  }
  auto file = openInputFile(path, &error);
  if (!file) {
    emitError(FileLineColLoc::get(context, path, 0, 0)) << error;
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, context);
  if (module && !getModelFunction(*module)) {
    emitError(module->getLoc()) << "'" << path << "' has no function";
    return nullptr;
  }
  if (module && !options.name.empty())
    renameModel(*module, options.name);
  return module;
}

func::FuncOp mlir::qc::getModelFunction(ModuleOp module) {
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal() && f.isPublic())
      return f;
  return {};
}

void mlir::qc::renameModel(ModuleOp module, StringRef name) {
  if (func::FuncOp f = getModelFunction(module))
    f.setSymName(name);
}

static SmallVector<std::string> names(func::FuncOp func, bool inputs) {
  SmallVector<std::string> result;
  unsigned n = inputs ? func.getNumArguments() : func.getNumResults();
  for (unsigned i = 0; i < n; ++i) {
    auto attr = inputs ? func.getArgAttrOfType<StringAttr>(i, "qc.name")
                       : func.getResultAttrOfType<StringAttr>(i, "qc.name");
    result.push_back(attr ? attr.str()
                          : (inputs ? "input" : "output") + std::to_string(i));
  }
  return result;
}

SmallVector<std::string> mlir::qc::getInputNames(func::FuncOp func) {
  return names(func, true);
}
SmallVector<std::string> mlir::qc::getOutputNames(func::FuncOp func) {
  return names(func, false);
}

std::string mlir::qc::getDtype(Type tensorType) {
  Type e = cast<ShapedType>(tensorType).getElementType();
  if (auto q = dyn_cast<quant::QuantizedType>(e))
    e = getStorageIntegerType(q);
  if (e.isF32())
    return "float32";
  if (auto i = dyn_cast<IntegerType>(e)) {
    if (i.getWidth() == 1)
      return "bool";
    if (i.getWidth() == 8)
      return i.isUnsigned() ? "uint8" : "int8";
    if (i.getWidth() == 16 && !i.isUnsigned())
      return "int16";
    if (i.getWidth() == 32)
      return "int32";
    if (i.getWidth() == 64)
      return "int64";
  }
  return "unsupported";
}

ModelInterface mlir::qc::getModelInterface(func::FuncOp func) {
  ModelInterface m;
  m.name = func.getName().str();
  m.inputNames = getInputNames(func);
  m.outputNames = getOutputNames(func);
  for (Type t : func.getArgumentTypes())
    m.inputTypes.push_back(cast<RankedTensorType>(t));
  for (Type t : func.getResultTypes())
    m.outputTypes.push_back(cast<RankedTensorType>(t));
  return m;
}

int64_t mlir::qc::getWorkspaceSize(ModuleOp lowered, StringRef name) {
  int64_t size = 0;
  lowered.walk([&](Operation *op) {
    auto sym = op->getAttrOfType<StringAttr>("sym_name");
    auto attr = op->getAttrOfType<IntegerAttr>(
        QCDialect::getWorkspaceSizeAttrName());
    if (sym && attr &&
        (sym.getValue() == name || sym.getValue() == (name + "_impl").str() ||
         sym.getValue() == (name + "_run").str()))
      size = attr.getInt();
  });
  return size;
}

static std::string cType(StringRef dtype) {
  if (dtype == "float32")
    return "float";
  // A bool is one byte holding 0 or 1, as numpy stores it.
  if (dtype == "uint8" || dtype == "bool")
    return "uint8_t";
  if (dtype == "int8")
    return "int8_t";
  if (dtype == "int16")
    return "int16_t";
  if (dtype == "int32")
    return "int32_t";
  if (dtype == "int64")
    return "int64_t";
  return "void";
}

static std::string identifier(StringRef s) {
  std::string r;
  for (char c : s)
    r += (isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (r.empty() || isdigit(static_cast<unsigned char>(r[0])))
    r = "t_" + r;
  return r;
}

static std::string describe(RankedTensorType t) {
  std::string s = cType(getDtype(t));
  for (int64_t d : t.getShape())
    s += "[" + std::to_string(d) + "]";
  if (auto q = getPerTensorType(t)) {
    int64_t zp = q.getZeroPoint();
    s += "  (quantized: real = " +
         llvm::formatv("{0}", llvm::format("%.9g", q.getScale())).str() +
         (zp == 0  ? " * q)"
          : zp > 0 ? " * (q - " + std::to_string(zp) + "))"
                   : " * (q + " + std::to_string(-zp) + "))");
  } else if (t.getElementType().isInteger(1))
    s += "  (bool: one byte each, 0 or 1)";
  else if (getPerAxisType(t))
    s += "  (quantized per axis)";
  return s;
}

std::string mlir::qc::generateHeader(const ModelInterface &m,
                                     int64_t workspaceSize) {
  std::string n = m.name, guard = "QC_MODEL_" + identifier(m.name) + "_H";
  for (char &c : guard)
    c = toupper(static_cast<unsigned char>(c));
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* " << n << ".h: the C interface of the model '" << n << "'.\n"
     << " * Generated by qc. Inputs and outputs are dense row-major arrays\n"
     << " * in the order below; the caller provides every buffer, including\n"
     << " * a workspace of " << n << "_workspace_size() bytes aligned to\n"
     << " * " << kWorkspaceAlignment
     << " bytes (as malloc gives; 64 is fastest). Buffers need only\n"
     << " * the alignment of their element type. The code keeps no state:\n"
     << " * threads may run the model at once, each with its own workspace.\n"
     << " *\n";
  for (auto [i, name] : llvm::enumerate(m.inputNames))
    os << " *   input  " << i << " \"" << name << "\": " << describe(m.inputTypes[i])
       << "\n";
  for (auto [i, name] : llvm::enumerate(m.outputNames))
    os << " *   output " << i << " \"" << name << "\": "
       << describe(m.outputTypes[i]) << "\n";
  os << " */\n#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "#define " << n << "_NUM_INPUTS " << m.inputNames.size() << "\n"
     << "#define " << n << "_NUM_OUTPUTS " << m.outputNames.size() << "\n"
     << "#define " << n << "_WORKSPACE_SIZE " << workspaceSize << "\n"
     << "#define " << n << "_WORKSPACE_ALIGNMENT " << kWorkspaceAlignment
     << "\n";
  auto sizes = [&](StringRef kind, ArrayRef<RankedTensorType> types) {
    for (auto [i, t] : llvm::enumerate(types)) {
      os << "#define " << n << "_" << kind << "_" << i << "_SIZE "
         << t.getNumElements() << " /* elements */\n";
      os << "#define " << n << "_" << kind << "_" << i << "_RANK "
         << t.getRank() << "\n";
    }
  };
  sizes("INPUT", m.inputTypes);
  sizes("OUTPUT", m.outputTypes);
  os << "\n/* The names, shapes and element types of the inputs and outputs. */\n";
  auto table = [&](StringRef kind, ArrayRef<std::string> names,
                   ArrayRef<RankedTensorType> types) {
    os << "static const char *const " << n << "_" << kind << "_names[] = {";
    for (auto [i, name] : llvm::enumerate(names))
      os << (i ? ", " : "") << "\"" << name << "\"";
    os << "};\nstatic const char *const " << n << "_" << kind
       << "_dtypes[] = {";
    for (auto [i, t] : llvm::enumerate(types))
      os << (i ? ", " : "") << "\"" << getDtype(t) << "\"";
    os << "};\n";
    for (auto [i, t] : llvm::enumerate(types)) {
      os << "static const int64_t " << n << "_" << kind << "_" << i
         << "_shape[] = {";
      for (auto [j, d] : llvm::enumerate(t.getShape()))
        os << (j ? ", " : "") << d;
      if (t.getRank() == 0)
        os << "1";
      os << "};\n";
    }
  };
  table("input", m.inputNames, m.inputTypes);
  table("output", m.outputNames, m.outputTypes);
  os << "\n/* The bytes of workspace " << n << "_run needs. */\n"
     << "size_t " << n << "_workspace_size(void);\n\n"
     << "/* What " << n << "_run returns. */\n"
     << "#define " << n << "_OK " << int(kStatusOk) << "\n"
     << "#define " << n << "_ERROR_NULL_POINTER " << int(kStatusNullPointer)
     << " /* an array, a buffer or the workspace is NULL */\n"
     << "#define " << n << "_ERROR_MISALIGNED_WORKSPACE "
     << int(kStatusMisalignedWorkspace) << " /* not " << kWorkspaceAlignment
     << "-byte aligned */\n\n"
     << "/* Runs the model: inputs and outputs in the order above. Returns\n"
     << " * " << n << "_OK, or an error before reading or writing anything. */\n"
     << "int " << n
     << "_run(const void *const *inputs, void *const *outputs, void *workspace);\n\n"
     << "/* The same with one typed argument per input and output. */\n"
     << "static inline int " << n << "_run_typed(";
  bool first = true;
  for (auto [i, name] : llvm::enumerate(m.inputNames)) {
    os << (first ? "" : ", ") << "const " << cType(getDtype(m.inputTypes[i]))
       << " *" << identifier(name);
    first = false;
  }
  for (auto [i, name] : llvm::enumerate(m.outputNames)) {
    os << (first ? "" : ", ") << cType(getDtype(m.outputTypes[i])) << " *"
       << identifier(name) << "_out";
    first = false;
  }
  os << (first ? "" : ", ") << "void *workspace) {\n  const void *in[] = {";
  for (auto [i, name] : llvm::enumerate(m.inputNames))
    os << (i ? ", " : "") << identifier(name);
  if (m.inputNames.empty())
    os << "0";
  os << "};\n  void *out[] = {";
  for (auto [i, name] : llvm::enumerate(m.outputNames))
    os << (i ? ", " : "") << identifier(name) << "_out";
  os << "};\n  return " << n << "_run(in, out, workspace);\n}\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return s;
}

//===----------------------------------------------------------------------===//
// Runner
//===----------------------------------------------------------------------===//

std::unique_ptr<Runner> Runner::create(ModuleOp module,
                                       const CompileOptions &options,
                                       std::string &error) {
  func::FuncOp func = getModelFunction(module);
  if (!func) {
    error = "the module has no model function";
    return nullptr;
  }
  auto runner = std::unique_ptr<Runner>(new Runner());
  for (Type t : func.getArgumentTypes())
    runner->inputs.push_back(cast<RankedTensorType>(t));
  for (Type t : func.getResultTypes())
    runner->outputs.push_back(cast<RankedTensorType>(t));
  for (RankedTensorType t : llvm::concat<RankedTensorType>(runner->inputs,
                                                          runner->outputs))
    if (HostArray::elementSize(getDtype(t)) == 0) {
      error = "the model has a tensor of " +
              llvm::formatv("{0}", t.getElementType()).str() +
              ", which qc cannot pass in or out";
      return nullptr;
    }
  std::string name = func.getName().str();
  OwningOpRef<ModuleOp> clone = module.clone();
  if (failed(lowerModule(*clone, options))) {
    error = "compilation failed";
    return nullptr;
  }
  runner->jit = JitModule::create(*clone, *options.target, error,
                                  options.optLevel, options.timing);
  if (!runner->jit)
    return nullptr;
  // The first lookup optimizes and generates the code.
  TimingScope generating = options.timing
                               ? options.timing->nest("LLVM optimization and "
                                                      "code generation (JIT)")
                               : TimingScope();
  runner->fn = runner->jit->getRun(name);
  auto size = runner->jit->getWorkspaceSize(name);
  generating.stop();
  if (!runner->fn || !size) {
    error = "the compiled model has no entry points";
    return nullptr;
  }
  runner->workspace.assign(size() + 64, 0);
  return runner;
}

std::string Runner::check(ArrayRef<HostArray> in) const {
  if (in.size() != inputs.size())
    return "the model has " + std::to_string(inputs.size()) +
           " inputs, got " + std::to_string(in.size());
  for (auto [i, a] : llvm::enumerate(in)) {
    std::string want = getDtype(inputs[i]);
    if (a.dtype != want)
      return "input " + std::to_string(i) + " must be " + want + ", got " +
             a.dtype;
    if (ArrayRef<int64_t>(a.shape) != inputs[i].getShape()) {
      std::string got, exp;
      for (int64_t d : a.shape)
        got += (got.empty() ? "" : "x") + std::to_string(d);
      for (int64_t d : inputs[i].getShape())
        exp += (exp.empty() ? "" : "x") + std::to_string(d);
      return "input " + std::to_string(i) + " has shape " + got +
             " but the model expects " + exp +
             " (fix it with --input-shape=NAME:" + got + ")";
    }
  }
  return "";
}

std::string Runner::run(ArrayRef<HostArray> in,
                        std::vector<HostArray> &out) {
  out.resize(outputs.size());
  SmallVector<const void *> inPtrs;
  SmallVector<void *> outPtrs;
  for (const HostArray &a : in)
    inPtrs.push_back(a.data.data());
  for (auto [i, t] : llvm::enumerate(outputs)) {
    out[i].dtype = getDtype(t);
    out[i].shape.assign(t.getShape().begin(), t.getShape().end());
    out[i].data.assign(t.getNumElements() * out[i].elementSize(), 0);
    outPtrs.push_back(out[i].data.data());
  }
  // The workspace plan aligns buffers to 64 bytes relative to the base:
  // pass a 64-byte aligned base (the vector holds 64 bytes of slack).
  auto base = reinterpret_cast<uintptr_t>(workspace.data());
  void *ws = workspace.data() + ((64 - base % 64) % 64);
  switch (int status = fn(inPtrs.data(), outPtrs.data(), ws)) {
  case kStatusOk:
    return "";
  case kStatusNullPointer:
    return "the model's run function was given a NULL pointer";
  case kStatusMisalignedWorkspace:
    return "the model's run function was given a misaligned workspace";
  default:
    return "the model's run function failed with status " +
           std::to_string(status);
  }
}
