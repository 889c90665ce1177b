//===- BiasCorrection.h - Removing the mean error of int8 layers -*- C++
//-*-===//
//
// Empirical bias correction: the int8 model's convolutions and matmuls
// are compared channel by channel with the float model's on the
// calibration samples, and each channel's mean error is subtracted from the
// layer's bias before the model is quantized for good.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DRIVER_BIASCORRECTION_H
#define QC_DRIVER_BIASCORRECTION_H

#include "qc/Driver/Model.h"

#include <string>
#include <vector>

namespace mlir::qc {

/// What the correction did to one layer.
struct CorrectedLayer {
  std::string name;
  int64_t channels = 0;
  /// The largest mean error removed, relative to the RMS of the layer's
  /// bias (0 for a layer that had none).
  double largestShift = 0;
};

/// Quantizes a copy of `statsModule` (a calibrated float model) with
/// `quantize`, measures the mean error of every output channel of its
/// convolutions and matmuls with constant weights against `floatModule` on
/// the samples, and subtracts it from the bias of the same layer in
/// `statsModule` (adding a bias where there is none). Layers compared after
/// a fused clamp are left alone. A remark on each layer tells what moved.
LogicalResult correctBiases(ModuleOp statsModule, ModuleOp floatModule,
                            const Samples &samples,
                            const CompileOptions &quantize,
                            std::vector<CorrectedLayer> *corrected = nullptr);

} // namespace mlir::qc

#endif // QC_DRIVER_BIASCORRECTION_H
