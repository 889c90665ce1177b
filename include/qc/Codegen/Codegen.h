//===- Codegen.h - From the LLVM dialect to machine code --------*- C++ -*-===//
//
// The last steps of the compiler: translate a lowered module (LLVM dialect)
// to LLVM IR, optimize it for the target at O3, and emit an object file or
// assembly through LLVM's TargetMachine; or JIT-compile it in process (for
// `qc run` and the tests).
//
//===----------------------------------------------------------------------===//

#ifndef QC_CODEGEN_CODEGEN_H
#define QC_CODEGEN_CODEGEN_H

#include "qc/Support/TargetDesc.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class ExecutionEngine;
namespace qc {

/// Registers what translating the lowered module to LLVM IR needs.
void registerCodegenTranslations(DialectRegistry &registry);

/// The TargetMachine for `target` (PIC, O3), or null with `error` set.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetDesc &target, std::string &error);

/// Translates a module in the LLVM dialect to LLVM IR for `tm` and runs the
/// O3 pipeline on it. Returns null with `error` set on failure.
/// Translates a module in the LLVM dialect to LLVM IR and optimizes it at
/// `optLevel` with the target's cost model. With `timing`, the translation
/// and the optimization are timed as two nested scopes.
std::unique_ptr<llvm::Module>
translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                  llvm::TargetMachine &tm, std::string &error,
                  unsigned optLevel = 3, TimingScope *timing = nullptr);

enum class CodeKind { Object, Assembly };

/// Emits machine code for `module`.
/// Machine code generation (timed as "LLVM code generation").
LogicalResult emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                       CodeKind kind, llvm::raw_pwrite_stream &os,
                       std::string &error, TimingScope *timing = nullptr);

/// A lowered module compiled in process for the host.
class JitModule {
public:
  ~JitModule();
  /// JIT-compiles a module in the LLVM dialect at `optLevel` (IR and code
  /// generation) for `target`'s CPU and features. Fails (null, `error` set)
  /// when this CPU cannot run the target's code. The optimization and code
  /// generation happen on the first lookup of a symbol.
  static std::unique_ptr<JitModule>
  create(ModuleOp module, const TargetDesc &target, std::string &error,
         unsigned optLevel = 3, TimingScope *timing = nullptr);

  using RunFn = int (*)(const void *const *, void *const *, void *);
  using SizeFn = uint64_t (*)();

  /// The entry points of model `name` (NAME_run, NAME_workspace_size), or
  /// null when absent.
  RunFn getRun(llvm::StringRef name);
  SizeFn getWorkspaceSize(llvm::StringRef name);

private:
  std::unique_ptr<llvm::TargetMachine> tm;
  std::unique_ptr<ExecutionEngine> engine;
};

} // namespace qc
} // namespace mlir

#endif // QC_CODEGEN_CODEGEN_H
