//===- Equalization.h - Evening channel ranges around activations -*- C++
//-*-===//
//
// Channel equalization through activations: a convolution followed by an
// activation (HardSwish, SiLU, ...) whose channels have very different
// ranges quantizes badly per tensor, on both sides of the activation. Each
// channel of the convolution's output is divided by a factor folded into
// its weight row and bias and multiplied back inside the activation
// (`in_scales`), and each channel of the activation's output is divided by
// a factor (`out_scales`) multiplied into the weights of the convolutions
// that read it: an exact rewrite of the float model after which the
// channels fill one 8-bit scale evenly.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DRIVER_EQUALIZATION_H
#define QC_DRIVER_EQUALIZATION_H

#include "qc/Driver/Model.h"

#include <string>
#include <vector>

namespace mlir::qc {

struct EqualizationOptions {
  /// How the output side splits a channel's range between the activation
  /// and the weights of a consuming convolution that mixes channels (a
  /// pointwise or grouped one): the factor is max|y_c|^alpha /
  /// max|W_c|^(1 - alpha), SmoothQuant's rule. Consumers that read one
  /// channel per output channel (depthwise) take the whole range (their
  /// weights are quantized per output channel, so it costs them nothing).
  double alpha = 0.5;
  /// Where timings go (--time-report), or null.
  TimingScope *timing = nullptr;
};

/// What equalization did to one activation.
struct EqualizedActivation {
  std::string name;
  int64_t channels = 0;
  /// Whether the input side (the producing convolution) and the output
  /// side (the consuming convolutions, how many) were equalized.
  bool input = false;
  unsigned consumers = 0;
  /// The largest channel range over the median one, before and after, on
  /// the input and output sides (1 where a side was left alone).
  double inputSpreadBefore = 1, inputSpreadAfter = 1;
  double outputSpreadBefore = 1, outputSpreadAfter = 1;
};

/// Finds every qc.activation on an NCHW f32 tensor that a convolution with
/// constant weights makes for it alone (the input side), or whose every
/// user is a convolution with constant weights reading it as its input
/// (the output side), measures the per-channel ranges on the samples (one
/// run of the float model) and equalizes them. A remark on each activation
/// tells what moved.
LogicalResult
equalizeChannels(ModuleOp module, const Samples &samples,
                 const EqualizationOptions &options,
                 std::vector<EqualizedActivation> *equalized = nullptr);

/// Parses `--equalize-channels=` text: "off", "on" (alpha 0.5) or an alpha
/// in [0, 1]. Returns an empty string on success, else the reason.
std::string parseEqualization(llvm::StringRef text,
                              std::optional<double> &alpha);

} // namespace mlir::qc

#endif // QC_DRIVER_EQUALIZATION_H
