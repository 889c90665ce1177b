//===- QuantMath.cpp - Quantization arithmetic shared by all of qc --------===//
//
// Scalar definitions of qc's quantization semantics. These are the functions
// the reference lowering mirrors operation for operation, so every rounding
// and saturation step here is deliberate; see QuantMath.h for the contract.
//
//===----------------------------------------------------------------------===//

#include "qc/Support/QuantMath.h"

#include "llvm/Support/FormatVariadic.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir::qc;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

StorageRange StorageRange::get(unsigned bits, bool isSigned, bool narrow) {
  assert(bits >= 2 && bits <= 32 && "unsupported storage width");
  StorageRange r;
  if (isSigned) {
    r.min = -(int64_t(1) << (bits - 1));
    r.max = (int64_t(1) << (bits - 1)) - 1;
  } else {
    r.min = 0;
    r.max = (int64_t(1) << bits) - 1;
  }
  if (narrow)
    r.min += 1;
  return r;
}

template <typename T> static T roundHalfToEvenImpl(T x) {
  if (!std::isfinite(x))
    return x;
  T f = std::floor(x);
  T diff = x - f;
  if (diff > T(0.5))
    return f + T(1);
  if (diff < T(0.5))
    return f;
  // A tie: pick the even neighbour.
  return std::fmod(f, T(2)) == T(0) ? f : f + T(1);
}

float mlir::qc::roundHalfToEven(float x) { return roundHalfToEvenImpl(x); }
double mlir::qc::roundHalfToEven(double x) { return roundHalfToEvenImpl(x); }

llvm::Expected<QuantParams>
mlir::qc::computeQuantParams(double rmin, double rmax, const QuantScheme &scheme) {
  if (std::isnan(rmin) || std::isnan(rmax))
    return makeError("range contains NaN");
  if (std::isinf(rmin) || std::isinf(rmax))
    return makeError(llvm::formatv("range [{0}, {1}] is not finite", rmin, rmax));
  if (rmin > rmax)
    return makeError(llvm::formatv("empty range: min {0} > max {1}", rmin, rmax));
  if (scheme.bits < 2 || scheme.bits > 32)
    return makeError(llvm::formatv("unsupported storage width {0}", scheme.bits));
  StorageRange q = scheme.range();

  // Widen the range to contain zero, so that 0 has an exact integer image.
  rmin = std::min(rmin, 0.0);
  rmax = std::max(rmax, 0.0);

  QuantParams p;
  if (scheme.symmetric) {
    // The zero point is the middle of the storage range: 0 for i8, 128 for u8.
    p.zeroPoint = scheme.isSigned ? 0 : (q.min + q.max + 1) / 2;
    if (!q.contains(p.zeroPoint))
      p.zeroPoint = q.clamp(p.zeroPoint);
    double absMax = std::max(std::fabs(rmin), std::fabs(rmax));
    int64_t halfSpan = std::min(p.zeroPoint - q.min, q.max - p.zeroPoint);
    if (halfSpan <= 0)
      return makeError("storage range too small for a symmetric scheme");
    p.scale = absMax == 0.0 ? 1.0 : absMax / double(halfSpan);
  } else {
    if (rmax == rmin) {
      // Only [0, 0]: any scale represents it; keep 1 and a zero point at 0.
      p.scale = 1.0;
      p.zeroPoint = q.clamp(0);
    } else {
      p.scale = (rmax - rmin) / double(q.max - q.min);
      double zp = double(q.min) - rmin / p.scale;
      p.zeroPoint = q.clamp(int64_t(roundHalfToEven(zp)));
    }
  }
  // A scale below f32's smallest normal cannot be stored in the f32-expressed
  // !quant.uniform type; such a range is numerically zero anyway.
  if (p.scale < double(std::numeric_limits<float>::min()))
    p.scale = double(std::numeric_limits<float>::min());
  if (p.scale > double(std::numeric_limits<float>::max()))
    return makeError(llvm::formatv("range [{0}, {1}] needs a scale beyond f32",
                                   rmin, rmax));
  return p;
}

llvm::Expected<llvm::SmallVector<QuantParams>>
mlir::qc::computePerChannelQuantParams(llvm::ArrayRef<double> mins,
                                 llvm::ArrayRef<double> maxs,
                                 const QuantScheme &scheme) {
  if (mins.size() != maxs.size())
    return makeError(llvm::formatv("{0} channel minima but {1} maxima",
                                   mins.size(), maxs.size()));
  llvm::SmallVector<QuantParams> result;
  result.reserve(mins.size());
  for (size_t i = 0, e = mins.size(); i < e; ++i) {
    auto p = computeQuantParams(mins[i], maxs[i], scheme);
    if (!p)
      return makeError(llvm::formatv("channel {0}: {1}", i,
                                     llvm::toString(p.takeError())));
    result.push_back(*p);
  }
  return result;
}

int64_t mlir::qc::quantize(float x, float scale, int64_t zeroPoint,
                     StorageRange range) {
  float scaled = roundHalfToEven(x / scale);
  // Clamp in the float domain first (as the generated code does): the value
  // may not fit any integer type. max-then-min maps NaN to the lower bound.
  float lo = float(range.min - zeroPoint);
  float hi = float(range.max - zeroPoint);
  float clamped = std::fmin(std::fmax(scaled, lo), hi);
  if (std::isnan(scaled))
    clamped = lo;
  return range.clamp(int64_t(clamped) + zeroPoint);
}

float mlir::qc::dequantize(int64_t q, float scale, int64_t zeroPoint) {
  return float(q - zeroPoint) * scale;
}

int64_t mlir::qc::requantize(int32_t acc, float multiplier, int64_t zeroPoint,
                       StorageRange range) {
  float scaled = roundHalfToEven(float(acc) * multiplier);
  float lo = float(range.min - zeroPoint);
  float hi = float(range.max - zeroPoint);
  float clamped = std::fmin(std::fmax(scaled, lo), hi);
  if (std::isnan(scaled))
    clamped = lo;
  return range.clamp(int64_t(clamped) + zeroPoint);
}

float mlir::qc::computeRequantMultiplier(double inScale, double weightScale,
                                   double outScale) {
  return float(inScale * weightScale / outScale);
}

llvm::Expected<FixedPointMultiplier>
mlir::qc::computeFixedPointMultiplier(double m) {
  if (std::isnan(m) || std::isinf(m))
    return makeError("multiplier is not finite");
  if (m < 0)
    return makeError(llvm::formatv("negative multiplier {0}", m));
  if (m >= 2147483648.0)
    return makeError(llvm::formatv("multiplier {0} is too large", m));
  FixedPointMultiplier fp;
  if (m == 0)
    return fp;
  int exponent = 0;
  double mantissa = std::frexp(m, &exponent); // m = mantissa * 2^exponent
  // Round the Q0.31 mantissa half away from zero (std::round does).
  int64_t q = int64_t(std::round(mantissa * double(int64_t(1) << 31)));
  assert(q <= (int64_t(1) << 31));
  if (q == (int64_t(1) << 31)) {
    q /= 2;
    ++exponent;
  }
  // The doubling high multiply gives x * q / 2^31; the rounding right shift
  // handles at most 31 bits, so smaller multipliers flush to zero.
  if (exponent < -31)
    return FixedPointMultiplier();
  fp.multiplier = int32_t(q);
  fp.shift = exponent;
  return fp;
}

int32_t mlir::qc::saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  int64_t ab = int64_t(a) * int64_t(b);
  int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  // Division truncates toward zero: with the nudge this rounds half away.
  return int32_t((ab + nudge) / (int64_t(1) << 31));
}

int32_t mlir::qc::roundingDivideByPOT(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31 && "shift out of range");
  if (exponent == 0)
    return x;
  int64_t mask = (int64_t(1) << exponent) - 1;
  int64_t remainder = int64_t(x) & mask;
  int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return int32_t((int64_t(x) >> exponent) + (remainder > threshold ? 1 : 0));
}

int32_t mlir::qc::multiplyByFixedPoint(int32_t x, FixedPointMultiplier fp) {
  int leftShift = fp.shift > 0 ? fp.shift : 0;
  int rightShift = fp.shift > 0 ? 0 : -fp.shift;
  int64_t shifted = int64_t(x) * (int64_t(1) << leftShift);
  if (shifted > std::numeric_limits<int32_t>::max())
    shifted = std::numeric_limits<int32_t>::max();
  if (shifted < std::numeric_limits<int32_t>::min())
    shifted = std::numeric_limits<int32_t>::min();
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(int32_t(shifted), fp.multiplier),
      rightShift);
}

int64_t mlir::qc::requantizeFixedPoint(int32_t acc, FixedPointMultiplier fp,
                                 int64_t zeroPoint, StorageRange range) {
  return range.clamp(int64_t(multiplyByFixedPoint(acc, fp)) + zeroPoint);
}

/// Index of the channel (along `axis`) that flat element `i` belongs to.
static int64_t channelOf(int64_t i, llvm::ArrayRef<int64_t> shape,
                         int64_t axis) {
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  return (i / inner) % shape[axis];
}

QuantError mlir::qc::measureQuantError(llvm::ArrayRef<float> values,
                                 llvm::ArrayRef<int64_t> shape,
                                 llvm::ArrayRef<QuantParams> params,
                                 int64_t axis, StorageRange range) {
  QuantError err;
  double sumSq = 0, sumErr = 0;
  bool perChannel = params.size() > 1;
  for (size_t i = 0, e = values.size(); i < e; ++i) {
    const QuantParams &p =
        perChannel ? params[channelOf(i, shape, axis)] : params.front();
    float scale = float(p.scale);
    float back = dequantize(quantize(values[i], scale, p.zeroPoint, range),
                            scale, p.zeroPoint);
    double d = double(values[i]) - double(back);
    sumErr += d * d;
    sumSq += double(values[i]) * double(values[i]);
  }
  double n = values.empty() ? 1.0 : double(values.size());
  err.mse = sumErr / n;
  if (sumErr == 0) {
    err.relativeMse = 0;
    err.sqnrDb = std::numeric_limits<double>::infinity();
  } else {
    err.relativeMse = sumSq == 0 ? std::numeric_limits<double>::infinity()
                                 : sumErr / sumSq;
    err.sqnrDb = -10.0 * std::log10(err.relativeMse);
  }
  return err;
}

void mlir::qc::computeChannelRanges(llvm::ArrayRef<float> values,
                              llvm::ArrayRef<int64_t> shape, int64_t axis,
                              llvm::SmallVectorImpl<double> &mins,
                              llvm::SmallVectorImpl<double> &maxs) {
  int64_t channels = shape[axis];
  mins.assign(channels, std::numeric_limits<double>::infinity());
  maxs.assign(channels, -std::numeric_limits<double>::infinity());
  for (size_t i = 0, e = values.size(); i < e; ++i) {
    int64_t c = channelOf(i, shape, axis);
    mins[c] = std::min(mins[c], double(values[i]));
    maxs[c] = std::max(maxs[c], double(values[i]));
  }
  for (int64_t c = 0; c < channels; ++c)
    if (mins[c] > maxs[c])
      mins[c] = maxs[c] = 0; // An empty channel.
}

QuantError mlir::qc::measureChannelAveragedError(
    llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape,
    llvm::ArrayRef<QuantParams> params, int64_t paramAxis, int64_t channelAxis,
    StorageRange range) {
  int64_t channels = shape[channelAxis];
  llvm::SmallVector<double> sumErr(channels, 0.0), sumSq(channels, 0.0);
  bool perChannel = params.size() > 1;
  double totalErr = 0;
  for (size_t i = 0, e = values.size(); i < e; ++i) {
    const QuantParams &p =
        perChannel ? params[channelOf(i, shape, paramAxis)] : params.front();
    float scale = float(p.scale);
    float back = dequantize(quantize(values[i], scale, p.zeroPoint, range),
                            scale, p.zeroPoint);
    double d = double(values[i]) - double(back);
    int64_t c = channelOf(i, shape, channelAxis);
    sumErr[c] += d * d;
    sumSq[c] += double(values[i]) * double(values[i]);
    totalErr += d * d;
  }
  double meanRel = 0;
  for (int64_t c = 0; c < channels; ++c) {
    if (sumErr[c] == 0)
      continue;
    meanRel += sumSq[c] == 0 ? std::numeric_limits<double>::infinity()
                             : sumErr[c] / sumSq[c];
  }
  meanRel /= double(channels);
  QuantError err;
  err.mse = values.empty() ? 0 : totalErr / double(values.size());
  err.relativeMse = meanRel;
  err.sqnrDb = meanRel == 0 ? std::numeric_limits<double>::infinity()
                            : -10.0 * std::log10(meanRel);
  return err;
}

std::optional<std::string>
mlir::qc::describeNonFinite(llvm::ArrayRef<float> values,
                            llvm::ArrayRef<int64_t> shape) {
  auto bad = llvm::find_if(values, [](float v) { return !std::isfinite(v); });
  if (bad == values.end())
    return std::nullopt;
  int64_t flat = bad - values.begin(), rest = flat;
  llvm::SmallVector<int64_t> index(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    int64_t size = std::max<int64_t>(shape[d], 1);
    index[d] = rest % size;
    rest /= size;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "the value at [";
  llvm::interleaveComma(index, os);
  os << "] (element " << flat << ") is "
     << (std::isnan(*bad) ? "NaN" : *bad > 0 ? "+inf" : "-inf");
  return text;
}

llvm::Expected<llvm::SmallVector<QuantParams>>
mlir::qc::computeParamsForValues(llvm::ArrayRef<float> values,
                                 llvm::ArrayRef<int64_t> shape,
                                 const QuantScheme &scheme,
                                 std::optional<int64_t> axis) {
  // NaN and infinity are rejected for both granularities (min/max would
  // silently drop a NaN; an infinite range has no scale).
  if (std::optional<std::string> bad = describeNonFinite(values, shape))
    return makeError(*bad);
  if (axis) {
    if (*axis < 0 || *axis >= static_cast<int64_t>(shape.size()))
      return makeError(llvm::formatv("axis {0} is out of range for rank {1}",
                                     *axis, shape.size()));
    llvm::SmallVector<double> mins, maxs;
    computeChannelRanges(values, shape, *axis, mins, maxs);
    return computePerChannelQuantParams(mins, maxs, scheme);
  }
  double lo = 0, hi = 0;
  for (float v : values) {
    lo = std::min(lo, double(v));
    hi = std::max(hi, double(v));
  }
  auto p = computeQuantParams(lo, hi, scheme);
  if (!p)
    return p.takeError();
  return llvm::SmallVector<QuantParams>{*p};
}
