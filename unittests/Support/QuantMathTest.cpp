//===- QuantMathTest.cpp - Tests of the quantization arithmetic -----------===//
//
// Parameters from ranges (every edge the scheme chooser and the calibration
// can produce), rounding, saturation, float requantization, the fixed-point
// multiplier and its rounding, error metrics, and agreement with the values
// of ONNX's own QuantizeLinear/DequantizeLinear tests.
//
//===----------------------------------------------------------------------===//

#include "qc/Support/QuantMath.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mlir::qc;

namespace {

QuantScheme u8Asym() { return QuantScheme{8, false, false, false}; }
QuantScheme i8Asym() { return QuantScheme{8, true, false, false}; }
QuantScheme i8Sym() { return QuantScheme{8, true, true, false}; }
QuantScheme u8Sym() { return QuantScheme{8, false, true, false}; }
QuantScheme i8SymNarrow() { return QuantScheme{8, true, true, true}; }

QuantParams params(double lo, double hi, const QuantScheme &s) {
  auto p = computeQuantParams(lo, hi, s);
  EXPECT_TRUE(static_cast<bool>(p)) << llvm::toString(p.takeError());
  return *p;
}

std::string errorOf(double lo, double hi, const QuantScheme &s) {
  auto p = computeQuantParams(lo, hi, s);
  if (p)
    return "";
  return llvm::toString(p.takeError());
}

/// 0 must be exactly representable: quantize(0) dequantizes to exactly 0.
void expectZeroExact(const QuantParams &p, StorageRange r) {
  int64_t q = quantize(0.0f, float(p.scale), p.zeroPoint, r);
  EXPECT_EQ(q, p.zeroPoint);
  EXPECT_EQ(dequantize(q, float(p.scale), p.zeroPoint), 0.0f);
}

TEST(StorageRange, Widths) {
  EXPECT_EQ(StorageRange::get(8, false).min, 0);
  EXPECT_EQ(StorageRange::get(8, false).max, 255);
  EXPECT_EQ(StorageRange::get(8, true).min, -128);
  EXPECT_EQ(StorageRange::get(8, true).max, 127);
  EXPECT_EQ(StorageRange::get(8, true, /*narrow=*/true).min, -127);
  EXPECT_EQ(StorageRange::get(8, false, /*narrow=*/true).min, 1);
  EXPECT_EQ(StorageRange::get(32, true).min, INT32_MIN);
  EXPECT_EQ(StorageRange::get(32, true).max, INT32_MAX);
  EXPECT_EQ(StorageRange::get(4, true).min, -8);
}

TEST(QuantParams, AsymmetricU8) {
  QuantParams p = params(-1.0, 3.0, u8Asym());
  EXPECT_DOUBLE_EQ(p.scale, 4.0 / 255.0);
  EXPECT_EQ(p.zeroPoint, 64); // 0 - (-1) / (4/255) = 63.75 -> 64
  expectZeroExact(p, StorageRange::get(8, false));
}

TEST(QuantParams, AsymmetricI8) {
  QuantParams p = params(-1.0, 3.0, i8Asym());
  EXPECT_DOUBLE_EQ(p.scale, 4.0 / 255.0);
  EXPECT_EQ(p.zeroPoint, -64); // -128 + 63.75 = -64.25 -> -64
  expectZeroExact(p, StorageRange::get(8, true));
}

TEST(QuantParams, ZeroPointTieRoundsToEven) {
  // rmin = -0.5 * scale: zp = 0.5 -> 0; rmin = -1.5 * scale: zp -> 2.
  QuantParams a = params(-0.5, 254.5, u8Asym());
  EXPECT_DOUBLE_EQ(a.scale, 1.0);
  EXPECT_EQ(a.zeroPoint, 0);
  QuantParams b = params(-1.5, 253.5, u8Asym());
  EXPECT_EQ(b.zeroPoint, 2);
}

TEST(QuantParams, SymmetricSigned) {
  QuantParams p = params(-2.0, 1.0, i8Sym());
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_DOUBLE_EQ(p.scale, 2.0 / 127.0);
  // Neither end saturates.
  StorageRange r = StorageRange::get(8, true);
  EXPECT_EQ(quantize(-2.0f, float(p.scale), 0, r), -127);
  EXPECT_EQ(quantize(2.0f, float(p.scale), 0, r), 127);
}

TEST(QuantParams, SymmetricUnsigned) {
  QuantParams p = params(-1.0, 4.0, u8Sym());
  EXPECT_EQ(p.zeroPoint, 128);
  EXPECT_DOUBLE_EQ(p.scale, 4.0 / 127.0);
  expectZeroExact(p, StorageRange::get(8, false));
}

TEST(QuantParams, SymmetricNarrow) {
  QuantParams p = params(-3.0, 3.0, i8SymNarrow());
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_DOUBLE_EQ(p.scale, 3.0 / 127.0);
  StorageRange r = StorageRange::get(8, true, true);
  EXPECT_EQ(quantize(-1000.0f, float(p.scale), 0, r), -127);
}

TEST(QuantParams, RangeNotContainingZero) {
  // All-positive: widened to [0, 5]; zero point at the bottom.
  QuantParams pos = params(2.0, 5.0, u8Asym());
  EXPECT_DOUBLE_EQ(pos.scale, 5.0 / 255.0);
  EXPECT_EQ(pos.zeroPoint, 0);
  expectZeroExact(pos, StorageRange::get(8, false));
  // All-negative: widened to [-5, 0]; zero point at the top.
  QuantParams neg = params(-5.0, -2.0, u8Asym());
  EXPECT_DOUBLE_EQ(neg.scale, 5.0 / 255.0);
  EXPECT_EQ(neg.zeroPoint, 255);
  QuantParams negI8 = params(-5.0, -2.0, i8Asym());
  EXPECT_EQ(negI8.zeroPoint, 127);
}

TEST(QuantParams, MinEqualsMax) {
  // [0, 0]: defined result, scale 1 and zero point at (or nearest) 0.
  QuantParams zero = params(0.0, 0.0, u8Asym());
  EXPECT_DOUBLE_EQ(zero.scale, 1.0);
  EXPECT_EQ(zero.zeroPoint, 0);
  QuantParams zeroSym = params(0.0, 0.0, i8Sym());
  EXPECT_DOUBLE_EQ(zeroSym.scale, 1.0);
  EXPECT_EQ(zeroSym.zeroPoint, 0);
  QuantParams zeroNarrowU8 = params(0.0, 0.0, QuantScheme{8, false, false, true});
  EXPECT_EQ(zeroNarrowU8.zeroPoint, 1);
  // [3, 3] widens to [0, 3].
  QuantParams three = params(3.0, 3.0, u8Asym());
  EXPECT_DOUBLE_EQ(three.scale, 3.0 / 255.0);
  EXPECT_EQ(three.zeroPoint, 0);
  EXPECT_EQ(quantize(3.0f, float(three.scale), 0, StorageRange::get(8, false)),
            255);
}

TEST(QuantParams, TinyRangeKeepsAValidScale) {
  QuantParams p = params(0.0, 1e-45, u8Asym());
  EXPECT_GE(p.scale, double(std::numeric_limits<float>::min()));
  EXPECT_TRUE(std::isfinite(float(p.scale)));
}

TEST(QuantParams, Errors) {
  double nan = std::nan("");
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_NE(errorOf(nan, 1.0, u8Asym()).find("NaN"), std::string::npos);
  EXPECT_NE(errorOf(0.0, nan, i8Sym()).find("NaN"), std::string::npos);
  EXPECT_NE(errorOf(-inf, 1.0, u8Asym()).find("not finite"), std::string::npos);
  EXPECT_NE(errorOf(0.0, inf, u8Asym()).find("not finite"), std::string::npos);
  EXPECT_NE(errorOf(2.0, 1.0, u8Asym()).find("empty range"), std::string::npos);
  EXPECT_NE(errorOf(-1e300, 1e300, u8Asym()).find("beyond f32"),
            std::string::npos);
}

TEST(QuantParams, PerChannel) {
  auto ps = computePerChannelQuantParams({-1.0, 0.0, -4.0}, {1.0, 2.0, 0.5},
                                         i8Sym());
  ASSERT_TRUE(static_cast<bool>(ps));
  ASSERT_EQ(ps->size(), 3u);
  EXPECT_DOUBLE_EQ((*ps)[0].scale, 1.0 / 127.0);
  EXPECT_DOUBLE_EQ((*ps)[1].scale, 2.0 / 127.0);
  EXPECT_DOUBLE_EQ((*ps)[2].scale, 4.0 / 127.0);
  for (const QuantParams &p : *ps)
    EXPECT_EQ(p.zeroPoint, 0);

  auto bad = computePerChannelQuantParams({0.0, std::nan("")}, {1.0, 1.0},
                                          i8Sym());
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("channel 1"),
            std::string::npos);
  auto mismatch = computePerChannelQuantParams({0.0}, {1.0, 2.0}, i8Sym());
  ASSERT_FALSE(static_cast<bool>(mismatch));
  llvm::consumeError(mismatch.takeError());
}

TEST(Rounding, HalfToEven) {
  EXPECT_EQ(roundHalfToEven(0.5f), 0.0f);
  EXPECT_EQ(roundHalfToEven(1.5f), 2.0f);
  EXPECT_EQ(roundHalfToEven(2.5f), 2.0f);
  EXPECT_EQ(roundHalfToEven(-0.5f), -0.0f);
  EXPECT_EQ(roundHalfToEven(-1.5f), -2.0f);
  EXPECT_EQ(roundHalfToEven(-2.5f), -2.0f);
  EXPECT_EQ(roundHalfToEven(2.4999998f), 2.0f);
  EXPECT_EQ(roundHalfToEven(2.5000002f), 3.0f);
  EXPECT_EQ(roundHalfToEven(8388609.0f), 8388609.0f); // 2^23 + 1: integral
  EXPECT_EQ(roundHalfToEven(3.5), 4.0);
  EXPECT_EQ(roundHalfToEven(-3.5), -4.0);
  EXPECT_TRUE(std::isinf(roundHalfToEven(INFINITY)));
  EXPECT_TRUE(std::isnan(roundHalfToEven(NAN)));
}

TEST(Rounding, MatchesRintOnRandomValues) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  for (int i = 0; i < 100000; ++i) {
    float x = dist(rng);
    if (i % 3 == 0)
      x = std::floor(x) + 0.5f; // exercise ties
    ASSERT_EQ(roundHalfToEven(x), std::nearbyint(x)) << x;
  }
}

TEST(Quantize, Saturation) {
  StorageRange u8 = StorageRange::get(8, false);
  StorageRange i8 = StorageRange::get(8, true);
  EXPECT_EQ(quantize(1e30f, 0.1f, 10, u8), 255);
  EXPECT_EQ(quantize(-1e30f, 0.1f, 10, u8), 0);
  EXPECT_EQ(quantize(INFINITY, 1.0f, 0, i8), 127);
  EXPECT_EQ(quantize(-INFINITY, 1.0f, 0, i8), -128);
  EXPECT_EQ(quantize(NAN, 1.0f, 5, i8), -128);
  // Zero points at both ends of the range.
  EXPECT_EQ(quantize(-1.0f, 1.0f, 0, u8), 0);
  EXPECT_EQ(quantize(1.0f, 1.0f, 255, u8), 255);
  EXPECT_EQ(quantize(-3.0f, 1.0f, 255, u8), 252);
  EXPECT_EQ(quantize(3.0f, 1.0f, -128, i8), -125);
  EXPECT_EQ(quantize(300.0f, 1.0f, -128, i8), 127);
}

TEST(Quantize, OnnxQuantizeLinear) {
  // ONNX backend test test_quantizelinear: scale 2, zero point 128 (u8).
  const float x[] = {0, 2, 3, 1000, -254, -1000};
  const int64_t y[] = {128, 129, 130, 255, 1, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(quantize(x[i], 2.0f, 128, StorageRange::get(8, false)), y[i]);
}

TEST(Quantize, OnnxQuantizeLinearAxis) {
  // test_quantizelinear_axis: shape 1x3x3x2, axis 1.
  const float x[3][6] = {{-162, 10, -100, 232, -20, -50},
                         {-76, 0, 0, 252, 32, -44},
                         {245, -485, -960, -270, -375, -470}};
  const float scale[3] = {2, 4, 5};
  const int64_t zp[3] = {84, 24, 196};
  const int64_t y[3][6] = {{3, 89, 34, 200, 74, 59},
                           {5, 24, 24, 87, 32, 13},
                           {245, 99, 4, 142, 121, 102}};
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(quantize(x[c][i], scale[c], zp[c], StorageRange::get(8, false)),
                y[c][i]);
      // And test_dequantizelinear_axis inverts it on these values.
      EXPECT_EQ(dequantize(y[c][i], scale[c], zp[c]), x[c][i]);
    }
}

TEST(Dequantize, OnnxDequantizeLinear) {
  const int64_t q[] = {0, 3, 128, 255};
  const float x[] = {-256, -250, 0, 254};
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(dequantize(q[i], 2.0f, 128), x[i]);
}

TEST(Requantize, Float) {
  StorageRange u8 = StorageRange::get(8, false);
  StorageRange i8 = StorageRange::get(8, true);
  EXPECT_EQ(requantize(100, 0.5f, 10, u8), 60);
  EXPECT_EQ(requantize(101, 0.5f, 10, u8), 60); // 50.5 -> 50
  EXPECT_EQ(requantize(103, 0.5f, 10, u8), 62); // 51.5 -> 52
  EXPECT_EQ(requantize(-101, 0.5f, 0, i8), -50);
  EXPECT_EQ(requantize(INT32_MAX, 1.0f, 0, i8), 127);
  EXPECT_EQ(requantize(INT32_MIN, 1.0f, 0, i8), -128);
  EXPECT_EQ(requantize(INT32_MIN, 1.0f, 255, u8), 0);
  // f32(acc) rounds for |acc| > 2^24: 16777217 -> 16777216.
  EXPECT_EQ(requantize(16777217, 1.0f / 65536.0f, 0,
                       StorageRange::get(16, true)),
            256);
}

TEST(Requantize, Multiplier) {
  EXPECT_EQ(computeRequantMultiplier(0.5, 0.25, 2.0), 0.0625f);
  EXPECT_EQ(computeRequantMultiplier(0.1, 0.2, 0.3), float(0.1 * 0.2 / 0.3));
}

TEST(FixedPoint, Decomposition) {
  auto check = [](double m, int32_t mult, int shift) {
    auto fp = computeFixedPointMultiplier(m);
    ASSERT_TRUE(static_cast<bool>(fp)) << llvm::toString(fp.takeError());
    EXPECT_EQ(fp->multiplier, mult) << m;
    EXPECT_EQ(fp->shift, shift) << m;
  };
  check(0.0, 0, 0);
  check(0.5, 1 << 30, 0);
  check(0.25, 1 << 30, -1);
  check(1.0, 1 << 30, 1);
  check(3.0, 3 << 29, 2);
  // Larger than 1 and a non-power of two.
  check(1.5, 3 << 29, 1);
  // Near 1 from below: the mantissa rounds up to 2^31, which becomes 2^30
  // with the shift incremented.
  check(1.0 - 1e-12, 1 << 30, 1);
  // Tiny: 2^-32 is the smallest representable (right shift 31); below it
  // every i32 product rounds to 0, so the multiplier flushes to zero.
  check(std::ldexp(1.0, -32), 1 << 30, -31);
  check(std::ldexp(1.0, -33), 0, 0);
  check(std::ldexp(1.0, -70), 0, 0);
}

TEST(FixedPoint, Errors) {
  for (double m : {-1.0, std::nan(""), double(INFINITY), 4e9}) {
    auto fp = computeFixedPointMultiplier(m);
    EXPECT_FALSE(static_cast<bool>(fp)) << m;
    llvm::consumeError(fp.takeError());
  }
}

TEST(FixedPoint, DoublingHighMul) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN),
            INT32_MAX);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);
  // 3 * 2^30 * 2 / 2^32 = 1.5: ties go toward +infinity (SQRDMULH).
  EXPECT_EQ(saturatingRoundingDoublingHighMul(3, 1 << 30), 2);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-5, 1 << 30), -2); // -2.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX),
            INT32_MAX - 1);
}

TEST(FixedPoint, RoundingDivideByPOT) {
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);   // 2.5 -> 3
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3); // -2.5 -> -3
  EXPECT_EQ(roundingDivideByPOT(4, 1), 2);
  EXPECT_EQ(roundingDivideByPOT(7, 2), 2);   // 1.75 -> 2
  EXPECT_EQ(roundingDivideByPOT(-7, 2), -2);
  EXPECT_EQ(roundingDivideByPOT(9, 0), 9);
  EXPECT_EQ(roundingDivideByPOT(INT32_MIN, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(INT32_MAX, 31), 1);
}

TEST(FixedPoint, AgreesWithRealMultiplierOnRandomInputs) {
  // The high multiply and the right shift each round, so the result is
  // within 1 of the exact product (not always the nearest integer), and it
  // is the nearest whenever no right shift is needed.
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> mdist(-12, 1);
  std::uniform_int_distribution<int32_t> xdist(-(1 << 20), 1 << 20);
  for (int i = 0; i < 20000; ++i) {
    double m = std::exp2(mdist(rng));
    auto fp = computeFixedPointMultiplier(m);
    ASSERT_TRUE(static_cast<bool>(fp));
    int32_t x = xdist(rng);
    double exact = double(x) * m;
    int32_t got = multiplyByFixedPoint(x, *fp);
    double bound = fp->shift >= 0 ? 0.5 : 1.0;
    EXPECT_LT(std::fabs(double(got) - exact), bound + std::fabs(exact) * 1e-9)
        << "x=" << x << " m=" << m;
  }
}

TEST(FixedPoint, Requantize) {
  StorageRange u8 = StorageRange::get(8, false);
  auto fp = computeFixedPointMultiplier(0.5);
  ASSERT_TRUE(static_cast<bool>(fp));
  EXPECT_EQ(requantizeFixedPoint(101, *fp, 10, u8), 61); // 50.5 -> 51 (away)
  EXPECT_EQ(requantize(101, 0.5f, 10, u8), 60);          // float: to even
  EXPECT_EQ(requantizeFixedPoint(100000, *fp, 10, u8), 255);
  EXPECT_EQ(requantizeFixedPoint(-100000, *fp, 10, u8), 0);
  // A multiplier larger than 1 saturates its left shift instead of
  // wrapping: the sign survives and the magnitude stays >= 2^30, which the
  // storage clamp maps to the end of the range.
  auto big = computeFixedPointMultiplier(4.0);
  ASSERT_TRUE(static_cast<bool>(big));
  EXPECT_EQ(multiplyByFixedPoint(1000, *big), 4000);
  EXPECT_EQ(multiplyByFixedPoint(INT32_MAX, *big), 1 << 30);
  EXPECT_EQ(multiplyByFixedPoint(INT32_MIN, *big), -(1 << 30));
  EXPECT_EQ(requantizeFixedPoint(INT32_MAX, *big, 0, u8), 255);
  EXPECT_EQ(requantizeFixedPoint(INT32_MIN, *big, 0, u8), 0);
}

TEST(QuantError, PerTensorVersusPerChannel) {
  // Two channels with very different ranges: per-channel is far better.
  std::vector<float> w = {0.01f, -0.02f, 0.015f, 5.0f, -4.0f, 3.0f};
  llvm::SmallVector<int64_t> shape = {2, 3};
  StorageRange r = StorageRange::get(8, true);
  llvm::SmallVector<double> mins, maxs;
  computeChannelRanges(w, shape, 0, mins, maxs);
  EXPECT_DOUBLE_EQ(mins[0], double(-0.02f));
  EXPECT_DOUBLE_EQ(maxs[1], 5.0);
  QuantParams whole = params(-4.0, 5.0, i8Sym());
  auto perChannel = computePerChannelQuantParams(mins, maxs, i8Sym());
  ASSERT_TRUE(static_cast<bool>(perChannel));
  QuantError et = measureQuantError(w, shape, {whole}, 0, r);
  QuantError ec = measureQuantError(w, shape, *perChannel, 0, r);
  // The small channel all rounds to 0 per-tensor; per-channel keeps it.
  // (The large channel dominates the tensor-wide figure either way.)
  EXPECT_LT(ec.mse, et.mse / 3);
  EXPECT_GT(ec.sqnrDb, et.sqnrDb + 5);
  EXPECT_NEAR(et.sqnrDb, -10 * std::log10(et.relativeMse), 1e-9);
}

TEST(QuantError, ExactAndAxis) {
  // Exactly representable values: infinite SQNR.
  std::vector<float> v = {0.0f, 0.5f, -1.0f, 1.0f};
  QuantError e = measureQuantError(v, {4}, {QuantParams{0.5, 0}}, 0,
                                   StorageRange::get(8, true));
  EXPECT_EQ(e.mse, 0.0);
  EXPECT_TRUE(std::isinf(e.sqnrDb));
  // Per-channel along the last axis picks the right scale per column.
  std::vector<float> m = {1.0f, 100.0f, 2.0f, 200.0f};
  QuantError col = measureQuantError(
      m, {2, 2}, {QuantParams{1.0, 0}, QuantParams{100.0, 0}}, 1,
      StorageRange::get(8, true));
  EXPECT_EQ(col.mse, 0.0);
}

} // namespace

namespace {

TEST(QuantError, ChannelAveraged) {
  // Channel 0 small, channel 1 large (rows along axis 0). Per-tensor
  // quantization wipes out channel 0 (all round to 0): its relative MSE is
  // 1, so the channel average is at least 1/2, an SQNR of at most 3 dB,
  // however good channel 1 is. Per-channel quantizes both well.
  std::vector<float> w = {0.01f, -0.015f, 0.015f, 5.0f, -4.0f, 3.0f};
  llvm::SmallVector<int64_t> shape = {2, 3};
  StorageRange r = StorageRange::get(8, true);
  QuantScheme s = i8Sym();
  auto whole = computeParamsForValues(w, shape, s, std::nullopt);
  auto perChannel = computeParamsForValues(w, shape, s, 0);
  ASSERT_TRUE(static_cast<bool>(whole));
  ASSERT_TRUE(static_cast<bool>(perChannel));
  ASSERT_EQ(whole->size(), 1u);
  ASSERT_EQ(perChannel->size(), 2u);
  QuantError et = measureChannelAveragedError(w, shape, *whole, 0, 0, r);
  QuantError ec = measureChannelAveragedError(w, shape, *perChannel, 0, 0, r);
  EXPECT_NEAR(et.relativeMse, (1.0 + 0.0) / 2, 0.01);
  EXPECT_LE(et.sqnrDb, 3.02);
  EXPECT_GT(ec.sqnrDb, 35.0);
  // The tensor-wide measure hides the small channel: it is dominated by the
  // large one.
  EXPECT_GT(measureQuantError(w, shape, *whole, 0, r).sqnrDb, 40.0);
}

TEST(QuantError, ChannelAveragedAlongLastAxis) {
  // A matmul weight K x N with per-column parameters (axis 1).
  std::vector<float> w = {1.0f, 0.01f, -1.0f, 0.02f};
  llvm::SmallVector<int64_t> shape = {2, 2};
  auto perColumn = computeParamsForValues(w, shape, i8Sym(), 1);
  ASSERT_TRUE(static_cast<bool>(perColumn));
  EXPECT_DOUBLE_EQ((*perColumn)[0].scale, 1.0 / 127);
  EXPECT_DOUBLE_EQ((*perColumn)[1].scale, double(0.02f) / 127);
  QuantError e = measureChannelAveragedError(w, shape, *perColumn, 1, 1,
                                             StorageRange::get(8, true));
  EXPECT_GT(e.sqnrDb, 40.0);
}

TEST(QuantError, ParamsForValuesErrors) {
  std::vector<float> bad = {1.0f, NAN};
  auto p = computeParamsForValues(bad, {2}, i8Sym(), std::nullopt);
  ASSERT_FALSE(static_cast<bool>(p));
  EXPECT_NE(llvm::toString(p.takeError()).find("NaN"), std::string::npos);
  // Per channel too: a NaN must not vanish into a channel's min/max.
  std::vector<float> badChannel = {1.0f, 2.0f, NAN, 0.5f};
  auto pc = computeParamsForValues(badChannel, {2, 2}, i8Sym(), 0);
  ASSERT_FALSE(static_cast<bool>(pc));
  EXPECT_NE(llvm::toString(pc.takeError()).find("NaN"), std::string::npos);
  auto axis = computeParamsForValues({1.0f}, {1}, i8Sym(), 3);
  ASSERT_FALSE(static_cast<bool>(axis));
  EXPECT_NE(llvm::toString(axis.takeError()).find("axis 3"),
            std::string::npos);
}

} // namespace
