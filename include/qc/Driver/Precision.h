//===- Precision.h - Mixed precision under an accuracy budget ---*- C++ -*-===//
//
// Chooses which layers of a calibrated model stay in f32 so that the int8
// model keeps the float model's fidelity within a budget, measured on the
// calibration samples.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DRIVER_PRECISION_H
#define QC_DRIVER_PRECISION_H

#include "qc/Driver/Model.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::qc {

/// What the budget is a relative loss of.
enum class FidelityMetric {
  /// Pick by the model: Accuracy with labels; Agreement when output 0 is
  /// [N, C] or a softmax or log-softmax along its last axis (class scores
  /// per row, e.g. [N, T, C] for a sequence); else Error.
  Auto,
  /// The share of rows of output 0 whose argmax (last axis) equals the
  /// float model's: the loss is 1 - agreement.
  Agreement,
  /// Top-1 accuracy of output 0 against labels: the loss is (float - int8)
  /// / float.
  Accuracy,
  /// The output error energy relative to the signal, sum |q - f|^2 / sum
  /// |f|^2 over all outputs (1% is 20 dB SQNR).
  Error,
};

/// Parses a budget: "1%", "0.5%", "0.01"; "off" or "none" give nullopt in
/// `budget`. Returns an error message or "".
std::string parseAccuracyBudget(llvm::StringRef text,
                                std::optional<double> &budget);

struct PrecisionOptions {
  double budget = 0.01;
  FidelityMetric metric = FidelityMetric::Auto;
  /// Labels of the calibration examples (for Accuracy), or null.
  const HostArray *labels = nullptr;
  /// At most this many candidate evaluations after the plain int8 one.
  unsigned maxEvaluations = 8;
  /// The layers already kept in f32 by the user (--keep-float).
  std::vector<std::string> forced;
  /// Quantization pipeline options (as CompileOptions::quantizeOptions).
  std::string quantizeOptions;
  bool progress = false;
  /// Measure every layer (for the report) even when the all-int8 model
  /// meets the budget.
  bool measureLayers = false;
  TimingScope *timing = nullptr;
};

/// One layer as the search saw it.
struct LayerPrecision {
  std::string name;
  std::string op;
  /// SQNR of the layer's output in the all-int8 model (dB).
  double sqnrDb = 0;
  /// The noise the layer adds: its noise-to-signal ratio minus its inputs'
  /// largest (both relative to the signal; 0 when it adds none).
  double sensitivity = 0;
  /// Rank by sensitivity (0 = most sensitive).
  unsigned rank = 0;
  bool keptFloat = false;
  /// Why it has the precision it has.
  std::string reason;
};

/// One model the search measured.
struct PrecisionStep {
  unsigned ranked = 0;    ///< The k most sensitive layers were kept f32,
  unsigned keptFloat = 0; ///< which with what they read is this many.
  double loss = 0;        ///< Relative loss of the metric.
  double metric = 0;      ///< The int8 model's metric (agreement, accuracy,
                          ///< or the SQNR in dB for Error).
  bool met = false;       ///< Whether the loss is within the budget.
};

struct PrecisionResult {
  FidelityMetric metric = FidelityMetric::Error;
  std::string metricName; ///< e.g. "top-1 agreement with f32"
  double floatMetric = 0; ///< The float model's metric (1 for agreement).
  std::vector<LayerPrecision> layers; ///< In graph order.
  std::vector<PrecisionStep> steps;   ///< In evaluation order; [0] = int8.
  unsigned chosen = 0;                ///< Index into steps of the model chosen.
  bool met = false;        ///< Whether the chosen model meets the budget.
  size_t examples = 0;     ///< Calibration examples measured on.
  unsigned candidates = 0; ///< int8 layers the search could keep f32.
  std::vector<std::string> keptFloat; ///< The layers the search keeps f32.
};

/// Measures the calibrated model `statsModule` (qc.stats on its values)
/// quantized against the float model's outputs `reference` on `samples`
/// (as calibration gives them), and if it misses the budget, keeps the most
/// sensitive layers in f32 (the qc.keep_float attribute on `statsModule`'s
/// ops) until it holds: layers ranked by the noise each adds (measured
/// against `floatModule`), the number kept found by doubling then
/// bisection, every candidate quantized and JIT-run on the samples. Also
/// fills the per-layer figures of the report.
LogicalResult searchPrecision(ModuleOp floatModule, ModuleOp statsModule,
                              const Samples &samples,
                              const std::vector<HostArray> &reference,
                              const PrecisionOptions &options,
                              PrecisionResult &result);

/// Marks the ops named `names` (those with a quantized form) qc.keep_float.
/// Returns the names that matched no such op.
std::vector<std::string> markKeepFloat(ModuleOp module,
                                       llvm::ArrayRef<std::string> names);

} // namespace mlir::qc

#endif // QC_DRIVER_PRECISION_H
