//===- Model.h - Loading, running and describing models ---------*- C++ -*-===//
//
// The pieces of the `qc` tool that are more than flag parsing: reading a
// model (ONNX or MLIR), the C header of a compiled model, JIT-running a
// model on arrays, and calibration.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DRIVER_MODEL_H
#define QC_DRIVER_MODEL_H

#include "qc/Codegen/Codegen.h"
#include "qc/Driver/Compiler.h"
#include "qc/Support/Npy.h"
#include "qc/Target/ONNX/Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
}

namespace mlir::qc {

/// Reads `path`: an ONNX model (.onnx) or MLIR. Diagnostics go to the
/// context; returns null on error.
OwningOpRef<ModuleOp> loadModel(llvm::StringRef path, MLIRContext *context,
                                llvm::SourceMgr &sourceMgr,
                                const ImportOptions &options);

/// The single model function of a module (the first public function).
func::FuncOp getModelFunction(ModuleOp module);

/// Renames the model function (the symbol prefix of the library).
void renameModel(ModuleOp module, llvm::StringRef name);

/// The names of the model's inputs and outputs (from the ONNX graph, or
/// arg0.../result0...).
SmallVector<std::string> getInputNames(func::FuncOp func);
SmallVector<std::string> getOutputNames(func::FuncOp func);

/// The numpy dtype of a tensor type's storage ("float32", "uint8", ...).
std::string getDtype(Type tensorType);

/// What the C interface of a model looks like, captured before lowering.
struct ModelInterface {
  std::string name;
  SmallVector<std::string> inputNames, outputNames;
  SmallVector<RankedTensorType> inputTypes, outputTypes;
};
ModelInterface getModelInterface(func::FuncOp func);

/// The workspace size of a lowered module's model (0 if unknown).
int64_t getWorkspaceSize(ModuleOp lowered, llvm::StringRef name);

/// The C header declaring the model's library.
std::string generateHeader(const ModelInterface &model,
                           int64_t workspaceSize);

/// A model compiled in process, callable on arrays.
class Runner {
public:
  /// Lowers (a clone of) `module` for `options` and JIT-compiles it.
  static std::unique_ptr<Runner> create(ModuleOp module,
                                        const CompileOptions &options,
                                        std::string &error);

  const SmallVector<RankedTensorType> &inputTypes() const { return inputs; }
  const SmallVector<RankedTensorType> &outputTypes() const { return outputs; }

  /// Checks the arrays against the input types.
  std::string check(llvm::ArrayRef<HostArray> in) const;
  /// Runs the model once. `out` is resized to the outputs. Returns the
  /// error NAME_run reported, or "".
  [[nodiscard]] std::string run(llvm::ArrayRef<HostArray> in,
                                std::vector<HostArray> &out);

private:
  std::unique_ptr<JitModule> jit;
  JitModule::RunFn fn = nullptr;
  std::vector<uint8_t> workspace;
  SmallVector<RankedTensorType> inputs, outputs;
};

/// Calibration samples: for each entry, one array per model input. Every
/// array of an entry holds one or more examples along its first axis (the
/// other dims are the input's).
using Samples = std::vector<std::vector<HostArray>>;

/// Reads samples from a .npy (examples along the first axis, one entry each)
/// or a folder (one .npy/.pb per entry, or ONNX test_data_set_N folders of
/// input_K.pb), at most `limit` examples.
std::string readSamples(llvm::StringRef path, func::FuncOp func,
                        Samples &samples, size_t limit);

/// The shape of the first sample of each input in `path` (calibration data
/// as readSamples reads it), for the importer to fix symbolic dims with.
std::string peekSampleShapes(llvm::StringRef path,
                             std::vector<llvm::SmallVector<int64_t>> &shapes);

/// An error naming `what` and the first NaN or infinity of a float array
/// (its flat index and its position), or an empty string when every value
/// is finite (or the array holds no floats).
std::string findNonFinite(const HostArray &a, llvm::StringRef what);

/// How many examples the samples hold.
size_t countExamples(const Samples &samples);

enum class CalibrationMethod { MinMax, Percentile, Entropy, Mse };

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.99;
  bool progress = false;
  /// Where timings go (--time-report), or null.
  TimingScope *timing = nullptr;
  /// If set, receives the float model's outputs on the samples, each
  /// concatenated over the examples along its first axis.
  std::vector<HostArray> *floatOutputs = nullptr;
};

/// Runs the float model on the samples and attaches a qc.stats op to every
/// f32 value the model computes. A model whose samples are independent runs
/// on batches of its own choosing whatever its compiled batch size; others
/// on batches of their input shape. The float model is JIT-compiled at a low
/// optimization level: it runs a few dozen samples once.
LogicalResult calibrate(ModuleOp module, const Samples &samples,
                        const CalibrationOptions &options);

/// Adds `values` (of `func`'s body) to the results of `func`.
void addOutputs(func::FuncOp func, ArrayRef<Value> values);

/// Per-layer error of the quantized model against the float one, measured
/// on `samples`: SQNR in dB per named op (ONNX node), in graph order.
struct LayerError {
  std::string name;
  std::string op;
  double sqnrDb = 0;
};
LogicalResult measureLayerErrors(ModuleOp floatModule, ModuleOp quantModule,
                                 const Samples &samples,
                                 std::vector<LayerError> &errors,
                                 TimingScope *timing = nullptr);

/// Runs `module` (float or quantized) on the samples as calibration does
/// (rebatched where its examples are independent, JIT-compiled at a low
/// optimization level) and returns its outputs, each concatenated over the
/// examples along its first axis. `optLevel` is LLVM's (-1: calibration's,
/// 1); 0 compiles fastest and runs slowest, for models that run once on a
/// few samples.
LogicalResult runOnSamples(ModuleOp module, const Samples &samples,
                           std::vector<HostArray> &outputs,
                           TimingScope *timing = nullptr, int optLevel = -1);

/// The same run, but each batch's outputs go to `consume` and are not kept
/// (for probes whose outputs are large: whole intermediate tensors).
LogicalResult
runEachBatch(ModuleOp module, const Samples &samples,
             llvm::function_ref<void(const std::vector<HostArray> &)> consume,
             TimingScope *timing = nullptr, int optLevel = -1);

} // namespace mlir::qc

#endif // QC_DRIVER_MODEL_H
