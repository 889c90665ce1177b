//===- Smoothing.h - Migrating activation outliers into weights -*- C++ -*-===//
//
// SmoothQuant-style migration for the matmuls a LayerNorm feeds: the
// per-channel range of the normalized activations is divided out of the
// norm's affine parameters and multiplied into the matmuls' weight rows, an
// exact rewrite of the float model that evens the activation's channels
// before they share one 8-bit scale.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DRIVER_SMOOTHING_H
#define QC_DRIVER_SMOOTHING_H

#include "qc/Driver/Model.h"

#include <string>
#include <vector>

namespace mlir::qc {

struct SmoothingOptions {
  /// The migration strength: channel j is divided by
  /// max|x_j|^alpha / max|W_j|^(1 - alpha). 0 moves nothing into the
  /// activations' favor, 1 moves the whole range into the weights.
  double alpha = 0.5;
  /// Where timings go (--time-report), or null.
  TimingScope *timing = nullptr;
};

/// What the migration did to one LayerNorm.
struct SmoothedNorm {
  std::string name;
  int64_t channels = 0;
  unsigned matmuls = 0;
  /// The largest channel range over the median one, before and after.
  double spreadBefore = 0, spreadAfter = 0;
};

/// Finds every LayerNorm (or RMSNorm) with constant affine parameters over
/// its last dim whose users are all matmuls reading it as their left
/// operand with constant weights, measures its per-channel ranges on the
/// samples (one run of the float model) and migrates them into the weights.
/// A remark on each norm tells what moved.
LogicalResult smoothActivations(ModuleOp module, const Samples &samples,
                                const SmoothingOptions &options,
                                std::vector<SmoothedNorm> *smoothed = nullptr);

/// Parses `--smoothquant=` text: "off" (no migration) or an alpha in [0, 1].
/// Returns an empty string on success, else the reason.
std::string parseSmoothing(llvm::StringRef text, std::optional<double> &alpha);

} // namespace mlir::qc

#endif // QC_DRIVER_SMOOTHING_H
