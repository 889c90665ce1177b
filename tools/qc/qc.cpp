//===- qc.cpp - The qc ahead-of-time compiler -----------------------------===//
//
// qc MODEL -o OUT: reads a model (MLIR with the qc dialect), quantizes it
// when it carries calibration statistics, lowers it for a target and writes
// an object file, shared library, assembly, LLVM IR or the lowered MLIR.
// The work is in the qc libraries; this file parses flags and does I/O.
//
//===----------------------------------------------------------------------===//

#include "qc/Codegen/Codegen.h"
#include "qc/Driver/Compiler.h"
#include "qc/Support/TargetDesc.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::qc;
namespace cl = llvm::cl;

static cl::OptionCategory category("qc options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<std::string> emit(
    "emit",
    cl::desc("What to write: obj, shared, asm, llvm or mlir (default: from "
             "the output file's extension: .o .so .s .ll .mlir)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> targetName(
    "target",
    cl::desc("Target: host (default, detected), x86-64-avx512vnni, "
             "x86-64-avxvnni, x86-64-avx2, aarch64-dotprod, x86-64"),
    cl::init("host"), cl::cat(category));
static cl::opt<bool> reference(
    "reference",
    cl::desc("Use the scalar reference lowering for every op (slow; the "
             "oracle the fast kernels are checked against)"),
    cl::cat(category));
static cl::opt<bool> noQuantize(
    "no-quantize",
    cl::desc("Compile the float model: ignore calibration statistics"),
    cl::cat(category));
static cl::opt<std::string> quantizeOptions(
    "quantize-options",
    cl::desc("Options of the qc-quantize pipeline, e.g. "
             "\"activation-type=i8 granularity=per-tensor\""),
    cl::init(""), cl::cat(category));
static cl::opt<bool> printIR("print-ir-after-all",
                             cl::desc("Print the IR after every pass"),
                             cl::cat(category));

enum class Emit { Object, Shared, Assembly, LLVM, MLIR };

static std::optional<Emit> parseEmit(StringRef kind) {
  return llvm::StringSwitch<std::optional<Emit>>(kind)
      .Case("obj", Emit::Object)
      .Case("shared", Emit::Shared)
      .Case("asm", Emit::Assembly)
      .Case("llvm", Emit::LLVM)
      .Case("mlir", Emit::MLIR)
      .Default(std::nullopt);
}

static std::optional<Emit> emitFromExtension(StringRef path) {
  StringRef ext = llvm::sys::path::extension(path);
  return llvm::StringSwitch<std::optional<Emit>>(ext)
      .Case(".o", Emit::Object)
      .Case(".so", Emit::Shared)
      .Case(".s", Emit::Assembly)
      .Case(".ll", Emit::LLVM)
      .Case(".mlir", Emit::MLIR)
      .Default(std::nullopt);
}

static int fail(const Twine &message) {
  llvm::errs() << "qc: error: " << message << "\n";
  return 1;
}

/// Links an object file into a shared library with lld.
static LogicalResult linkShared(StringRef object, StringRef output,
                                std::string &error) {
  auto lld = llvm::sys::findProgramByName("ld.lld");
  if (!lld)
    lld = llvm::sys::findProgramByName("ld.lld", {"/usr/lib/llvm-22/bin"});
  if (!lld) {
    error = "cannot find ld.lld to link a shared library";
    return failure();
  }
  SmallVector<StringRef> args = {*lld, "-shared", "-o", output, object};
  if (llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, {}, 0, 0, &error) != 0) {
    if (error.empty())
      error = "ld.lld failed";
    return failure();
  }
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qc: the qc quantization compiler\n\n"
      "Compiles a model (MLIR with the qc dialect) to native code. A float "
      "model with\ncalibration statistics (qc.stats) is quantized to 8-bit "
      "integers first.\n\n"
      "  qc model.mlir -o model.o                  object file for the host\n"
      "  qc model.mlir -o model.so                 shared library\n"
      "  qc model.mlir --target=aarch64-dotprod -o model.o\n"
      "  qc model.mlir --emit=asm -o -             assembly to stdout\n");

  const TargetDesc *target = lookupTarget(targetName);
  if (!target) {
    std::string names;
    for (StringRef n : getTargetNames())
      names += (names.empty() ? "" : ", ") + n.str();
    return fail("unknown target '" + targetName + "' (known: " + names + ")");
  }
  if (outputFile.empty())
    return fail("no output file: give -o FILE (or -o - for stdout)");
  std::optional<Emit> kind =
      emit.empty() ? emitFromExtension(outputFile) : parseEmit(emit);
  if (!kind)
    return fail(emit.empty()
                    ? "cannot tell the output kind from '" + outputFile +
                          "': use --emit=obj|shared|asm|llvm|mlir"
                    : "unknown --emit kind '" + emit +
                          "' (expected obj, shared, asm, llvm or mlir)");
  if (*kind == Emit::Shared && outputFile == "-")
    return fail("a shared library cannot be written to stdout");

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);

  std::string error;
  auto file = openInputFile(inputFile, &error);
  if (!file)
    return fail(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1; // The parser reported where.

  CompileOptions options;
  options.target = target;
  options.reference = reference;
  options.quantize = !noQuantize;
  options.quantizeOptions = quantizeOptions;
  options.printIR = printIR;
  if (failed(lowerModule(*module, options)))
    return 1;

  // Output goes to a temporary that is only kept when everything succeeded.
  auto output = openOutputFile(outputFile, &error);
  if (!output)
    return fail(error);
  if (*kind == Emit::MLIR) {
    module->print(output->os());
    output->keep();
    return 0;
  }

  auto tm = createTargetMachine(*target, error);
  if (!tm)
    return fail(error);
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateToLLVMIR(*module, llvmContext, *tm, error);
  if (!llvmModule)
    return fail(error);
  if (*kind == Emit::LLVM) {
    llvmModule->print(output->os(), nullptr);
    output->keep();
    return 0;
  }
  if (*kind == Emit::Shared) {
    SmallString<128> object;
    int fd;
    if (llvm::sys::fs::createTemporaryFile("qc", "o", fd, object))
      return fail("cannot create a temporary file");
    llvm::FileRemover remover(object);
    {
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      if (failed(emitCode(*llvmModule, *tm, CodeKind::Object, os, error)))
        return fail(error);
    }
    output.reset(); // lld writes the library itself.
    if (failed(linkShared(object, outputFile, error))) {
      llvm::sys::fs::remove(outputFile);
      return fail(error);
    }
    return 0;
  }
  if (failed(emitCode(*llvmModule, *tm,
                      *kind == Emit::Object ? CodeKind::Object
                                            : CodeKind::Assembly,
                      output->os(), error)))
    return fail(error);
  output->keep();
  return 0;
}
