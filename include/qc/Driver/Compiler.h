//===- Compiler.h - The qc compilation pipeline as a library ----*- C++ -*-===//
//
// What the `qc` tool and the tests share: quantize a qc module (when it
// carries calibration statistics) and lower it to the LLVM dialect for a
// target.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DRIVER_COMPILER_H
#define QC_DRIVER_COMPILER_H

#include "qc/Support/TargetDesc.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"

#include <string>

namespace mlir {
class DialectRegistry;
namespace qc {

struct CompileOptions {
  const TargetDesc *target = nullptr;
  /// Scalar reference lowering for every op.
  bool reference = false;
  /// Cache budget of a GEMM row block in bytes (0: the target's).
  uint64_t blockBytes = 0;
  /// Bytes of the values of one batch tile (qc-tile-batch; 0: run the whole
  /// batch layer by layer).
  int64_t batchTileBytes = 262144;
  /// Run qc-quantize when the module has qc.stats ops; otherwise the stats
  /// are dropped and the model stays f32.
  bool quantize = true;
  /// Options of the qc-quantize pipeline, in pass-option syntax
  /// ("activation-type=i8 granularity=per-tensor").
  std::string quantizeOptions;
  /// Print the IR after every pass (to stderr).
  bool printIR = false;
  /// Lower each op into a function of its own (see convert-qc-to-linalg).
  bool outline = true;
  /// LLVM optimization level of the code (3: what qc emits; calibration and
  /// the report's measurements JIT-compile at a lower one).
  unsigned optLevel = 3;
  /// Where pass and code generation timings go (--time-report), or null.
  TimingScope *timing = nullptr;
};

/// Registers every dialect a qc input may use and what lowering needs.
void registerCompilerDialects(DialectRegistry &registry);

/// Rewrites the elementwise chains that spell an activation or a
/// normalization into one op (qc-recognize-patterns). Run on a float model
/// before calibration.
LogicalResult recognizePatterns(ModuleOp module, const CompileOptions &options);

/// Quantizes (as asked) and lowers `module` to the LLVM dialect in place.
/// Diagnostics go to the context's handler.
LogicalResult quantizeModule(ModuleOp module, const CompileOptions &options);
LogicalResult lowerModule(ModuleOp module, const CompileOptions &options);

/// Only the lowering (for a module quantizeModule already ran on).
LogicalResult lowerToLLVM(ModuleOp module, const CompileOptions &options);

} // namespace qc
} // namespace mlir

#endif // QC_DRIVER_COMPILER_H
