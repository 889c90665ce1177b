//===- QuantMath.h - Quantization arithmetic shared by all of qc -*- C++ -*-===//
//
// The numeric ground truth of the compiler: how a real range becomes a scale
// and zero point, how a real value is rounded and saturated into its storage
// type, and how an i32 accumulator is requantized, either with a float
// multiplier (the default, matching ONNX's reference) or with a 32-bit
// fixed-point multiplier and shift (the gemmlowp/TFLite scheme for
// integer-only targets). Every lowering of qc implements exactly these
// functions; the reference lowering is checked against them in unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef QC_SUPPORT_QUANTMATH_H
#define QC_SUPPORT_QUANTMATH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>

namespace mlir::qc {

/// The integer range a quantized value may take in its storage type.
struct StorageRange {
  int64_t min = 0;
  int64_t max = 0;

  /// The range of a `bits`-wide integer. `narrow` drops the lowest value of a
  /// signed type (i8: [-127, 127]) or the lowest of an unsigned one
  /// (u8: [1, 255]), as the symmetric schemes of TFLite do.
  static StorageRange get(unsigned bits, bool isSigned, bool narrow = false);

  int64_t size() const { return max - min; }
  bool contains(int64_t v) const { return v >= min && v <= max; }
  int64_t clamp(int64_t v) const { return v < min ? min : (v > max ? max : v); }
};

/// A per-tensor (or one channel's) affine quantization: real = scale * (q - zp).
struct QuantParams {
  double scale = 1.0;
  int64_t zeroPoint = 0;
};

/// How parameters are derived from a real range.
struct QuantScheme {
  unsigned bits = 8;
  bool isSigned = false;
  bool symmetric = false;
  bool narrow = false;

  StorageRange range() const {
    return StorageRange::get(bits, isSigned, narrow);
  }
};

/// Derives scale and zero point from an observed real range [rmin, rmax].
///
/// The range is first widened to contain 0 so that 0 is exactly
/// representable (the zero point is an integer in the storage range).
/// - asymmetric: scale = (rmax - rmin) / (qmax - qmin),
///   zp = clamp(roundHalfToEven(qmin - rmin / scale), qmin, qmax);
/// - symmetric: zp is the middle of the storage range (0 for signed, 128 for
///   u8) and scale = max(|rmin|, |rmax|) / min(zp - qmin, qmax - zp), so that
///   neither end of the range saturates.
/// A range of zero width ([0, 0]) gives scale 1 and the zero point closest to
/// 0. NaN or infinite bounds, rmin > rmax, or a storage range of fewer than
/// two values are errors.
llvm::Expected<QuantParams> computeQuantParams(double rmin, double rmax,
                                               const QuantScheme &scheme);

/// The same, once per channel: `mins[i]`, `maxs[i]` is channel i's range.
llvm::Expected<llvm::SmallVector<QuantParams>>
computePerChannelQuantParams(llvm::ArrayRef<double> mins,
                             llvm::ArrayRef<double> maxs,
                             const QuantScheme &scheme);

/// Rounds to the nearest integer, ties to the even one (IEEE roundTiesToEven,
/// numpy's rint, ONNX QuantizeLinear). Independent of the FP rounding mode.
float roundHalfToEven(float x);
double roundHalfToEven(double x);

/// ONNX QuantizeLinear, computed in f32:
///   q = saturate(roundHalfToEven(x / scale) + zp).
/// +-inf saturate to the ends of the range; NaN gives range.min (the value a
/// max-then-min clamp yields, which is what the generated code does).
int64_t quantize(float x, float scale, int64_t zeroPoint, StorageRange range);

/// ONNX DequantizeLinear, computed in f32: x = float(q - zp) * scale.
float dequantize(int64_t q, float scale, int64_t zeroPoint);

/// Float requantization of an i32 accumulator (the default scheme):
///   q = saturate(roundHalfToEven(float(acc) * multiplier) + zp).
/// float(acc) rounds to nearest even when |acc| > 2^24. The multiplier is
/// typically in_scale * w_scale / out_scale, computed by
/// computeRequantMultiplier.
int64_t requantize(int32_t acc, float multiplier, int64_t zeroPoint,
                   StorageRange range);

/// The f32 requantization multiplier of an integer product: the product of
/// the input scales divided by the output scale, computed in double and
/// rounded once to f32.
float computeRequantMultiplier(double inScale, double weightScale,
                               double outScale);

/// A real multiplier m decomposed as m ~= multiplier * 2^(shift - 31), with
/// multiplier in [2^30, 2^31) (or 0 when m == 0). shift > 0 is a left shift.
struct FixedPointMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

/// Decomposes a real multiplier (>= 0, finite) into a Q0.31 fixed-point
/// multiplier and a power-of-two shift. The mantissa is rounded half away
/// from zero; a mantissa that rounds up to 2^31 is halved and the shift
/// incremented. Multipliers below 2^-32 (which would need a right shift of
/// more than 31) become 0: their product with any i32 rounds to 0 anyway.
/// Negative, NaN or infinite m, or m >= 2^31, are errors.
llvm::Expected<FixedPointMultiplier> computeFixedPointMultiplier(double m);

/// (a * b * 2) / 2^32 rounded to nearest, ties toward +infinity, and
/// saturated: the only overflow, a == b == INT32_MIN, gives INT32_MAX. This is
/// ARM's SQRDMULH and gemmlowp's SaturatingRoundingDoublingHighMul.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// x / 2^exponent rounded half away from zero (ARM's SRSHL by -exponent).
/// `exponent` is in [0, 31].
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// x * multiplier * 2^(shift - 31) in integer arithmetic:
/// a saturating left shift by max(shift, 0), the doubling high multiply, then
/// a rounding right shift by max(-shift, 0). When the left shift saturates
/// (a multiplier > 1 on a large x), the result keeps x's sign with magnitude
/// >= 2^30, which any 8- or 16-bit storage clamp maps to the range end.
int32_t multiplyByFixedPoint(int32_t x, FixedPointMultiplier fp);

/// Fixed-point requantization of an i32 accumulator (integer-only targets):
///   q = saturate(multiplyByFixedPoint(acc, fp) + zp).
/// The high multiply and the right shift each round (the gemmlowp/TFLite
/// scheme), so the result is within 1 of the exact product, and ties do not
/// go to even: it can differ from the float scheme by one step.
int64_t requantizeFixedPoint(int32_t acc, FixedPointMultiplier fp,
                             int64_t zeroPoint, StorageRange range);

/// Quantization error of `values` under per-tensor or per-channel
/// parameters, as used by the scheme chooser.
struct QuantError {
  /// Mean squared error between the values and their dequantized images.
  double mse = 0;
  /// mse divided by the mean square of the values (0 when both are 0).
  double relativeMse = 0;
  /// Signal-to-quantization-noise ratio in dB: -10 log10(relativeMse);
  /// +infinity for an exact quantization.
  double sqnrDb = 0;
};

/// Measures the error of quantizing `values` (row-major, shape `shape`) with
/// `params`: one entry for per-tensor, or shape[axis] entries for per-channel
/// along `axis`. Values are quantized with `quantize` in f32.
QuantError measureQuantError(llvm::ArrayRef<float> values,
                             llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<QuantParams> params, int64_t axis,
                             StorageRange range);

/// The same measure averaged over output channels: each slice along
/// `channelAxis` gets its own relative MSE, and the SQNR is
/// -10 log10(mean of those). A channel of small weights then counts as much
/// as one of large weights, as it does after per-channel requantization.
/// `params` holds one entry, or one per slice along `paramAxis`.
QuantError measureChannelAveragedError(llvm::ArrayRef<float> values,
                                       llvm::ArrayRef<int64_t> shape,
                                       llvm::ArrayRef<QuantParams> params,
                                       int64_t paramAxis, int64_t channelAxis,
                                       StorageRange range);

/// The first NaN or infinity of a tensor of `shape` holding `values`, as
/// messages name it ("the value at [1, 0, 2] (element 14) is NaN"), or
/// nullopt when every value is finite.
std::optional<std::string> describeNonFinite(llvm::ArrayRef<float> values,
                                             llvm::ArrayRef<int64_t> shape);

/// Parameters for a tensor of known values under `scheme`: one entry from
/// the whole tensor's range, or, with `axis`, one per slice along it.
llvm::Expected<llvm::SmallVector<QuantParams>>
computeParamsForValues(llvm::ArrayRef<float> values,
                       llvm::ArrayRef<int64_t> shape, const QuantScheme &scheme,
                       std::optional<int64_t> axis);

/// Minimum and maximum of each slice along `axis` of a row-major tensor.
void computeChannelRanges(llvm::ArrayRef<float> values,
                          llvm::ArrayRef<int64_t> shape, int64_t axis,
                          llvm::SmallVectorImpl<double> &mins,
                          llvm::SmallVectorImpl<double> &maxs);

} // namespace mlir::qc

#endif // QC_SUPPORT_QUANTMATH_H
