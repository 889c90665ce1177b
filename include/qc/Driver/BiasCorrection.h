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
  /// The largest shift removed, relative to the RMS of the layer's bias (0
  /// for a layer that had none).
  double largestShift = 0;
};

/// Quantizes a copy of `statsModule` (a calibrated float model) with
/// `quantize` to learn the 8-bit weights of its convolutions and matmuls
/// with constant weights, runs `floatModule` once on the samples for the
/// mean of each input channel of those layers, and subtracts
/// (Wq - W) E[x] from each layer's bias in `statsModule` (adding a bias
/// where there is none). A remark on each layer tells what moved.
LogicalResult correctBiases(ModuleOp statsModule, ModuleOp floatModule,
                            const Samples &samples,
                            const CompileOptions &quantize,
                            std::vector<CorrectedLayer> *corrected = nullptr);

} // namespace mlir::qc

#endif // QC_DRIVER_BIASCORRECTION_H
