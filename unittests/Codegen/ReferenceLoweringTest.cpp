//===- ReferenceLoweringTest.cpp - The reference lowering is the spec -----===//
//
// The reference lowering is the oracle the kernels are tested against, so it
// is itself tested against the scalar definitions in QuantMath (and plain
// C++ loops for the products): each case is a small function compiled with
// --reference, run in process, and compared element by element (exactly
// for integers; f32 functions that go through polynomial approximations
// within a tolerance).
//
//===----------------------------------------------------------------------===//

#include "qc/Codegen/Codegen.h"
#include "qc/Driver/Compiler.h"
#include "qc/Support/QuantMath.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Compiles `mlir` (one function @f) with the reference lowering and runs it.
class Runner {
public:
  explicit Runner(const std::string &mlir) {
    DialectRegistry registry;
    registerCompilerDialects(registry);
    context = std::make_unique<MLIRContext>(registry);
    auto module = parseSourceString<ModuleOp>(mlir, context.get());
    if (!module) {
      ADD_FAILURE() << "does not parse:\n" << mlir;
      return;
    }
    CompileOptions options;
    options.target = &getHostTarget();
    options.reference = true;
    std::string error;
    if (failed(lowerModule(*module, options)) ||
        !(jit = JitModule::create(*module, *options.target, error)))
      ADD_FAILURE() << "does not compile: " << error << "\n" << mlir;
  }

  template <typename Out, typename... In>
  std::vector<Out> run(size_t outCount, const std::vector<In> &...inputs) {
    std::vector<Out> out(outCount);
    if (!jit)
      return out;
    std::vector<uint8_t> ws(jit->getWorkspaceSize("f")() + 64);
    const void *in[] = {inputs.data()...};
    void *outs[] = {out.data()};
    EXPECT_EQ(jit->getRun("f")(in, outs, ws.data()), 0);
    return out;
  }

private:
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<JitModule> jit;
};

TEST(ReferenceLowering, QuantizeMatchesQuantMath) {
  std::vector<float> x = {0.0f,   0.25f,  0.75f, -0.25f, 1.25f, 63.5f,
                          64.0f, -64.5f, 1e30f, -1e30f, INFINITY,
                          -INFINITY, NAN,  2.5f,  -2.5f, 127.4f};
  for (auto [storage, scale, zp, lo, hi] :
       {std::make_tuple("u8", 0.5f, 128, 0, 255),
        std::make_tuple("i8", 0.5f, 0, -128, 127),
        std::make_tuple("u8", 1.0f, 0, 0, 255),
        std::make_tuple("i8", 2.0f, 127, -128, 127),
        std::make_tuple("i8<-127:127>", 0.25f, -1, -127, 127)}) {
    std::string t = std::string("!quant.uniform<") + storage + ":f32, " +
                    std::to_string(scale) + ":" + std::to_string(zp) + ">";
    Runner r("func.func @f(%x: tensor<16xf32>) -> tensor<16x" + t +
             "> {\n %q = qc.quantize %x : tensor<16xf32> -> tensor<16x" + t +
             ">\n return %q : tensor<16x" + t + ">\n}");
    bool isSigned = std::string(storage).front() == 'i';
    StorageRange range{lo, hi};
    if (isSigned) {
      auto q = r.run<int8_t>(16, x);
      for (size_t i = 0; i < x.size(); ++i)
        EXPECT_EQ(q[i], quantize(x[i], scale, zp, range))
            << storage << " x=" << x[i];
    } else {
      auto q = r.run<uint8_t>(16, x);
      for (size_t i = 0; i < x.size(); ++i)
        EXPECT_EQ(q[i], quantize(x[i], scale, zp, range))
            << storage << " x=" << x[i];
    }
  }
}

TEST(ReferenceLowering, OnnxQuantizeLinearAxisWithRuntimeParameters) {
  // test_quantizelinear_axis, with scale and zero point as inputs.
  std::vector<float> x = {-162, 10,  -100, 232,  -20,  -50,  -76,  0,    0,
                          252,  32,  -44,  245,  -485, -960, -270, -375, -470};
  std::vector<float> scale = {2, 4, 5};
  std::vector<uint8_t> zp = {84, 24, 196};
  std::vector<uint8_t> expected = {3,  89, 34, 200, 74,  59,  5,   24,  24,
                                   87, 32, 13, 245, 99, 4,   142, 121, 102};
  Runner r(R"(func.func @f(%x: tensor<1x3x3x2xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) -> tensor<1x3x3x2xui8> {
    %q = qc.quantize %x scale(%s : tensor<3xf32>) zero_point(%z : tensor<3xui8>) {axis = 1 : i64} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2xui8>
    return %q : tensor<1x3x3x2xui8>
  })");
  EXPECT_EQ(r.run<uint8_t>(18, x, scale, zp), expected);
}

TEST(ReferenceLowering, DequantizeAndRequantizeMatchQuantMath) {
  std::vector<uint8_t> q(256);
  for (int i = 0; i < 256; ++i)
    q[i] = uint8_t(i);
  Runner d(R"(func.func @f(%q: tensor<256x!quant.uniform<u8:f32, 0.37:100>>) -> tensor<256xf32> {
    %d = qc.dequantize %q : tensor<256x!quant.uniform<u8:f32, 0.37:100>> -> tensor<256xf32>
    return %d : tensor<256xf32>
  })");
  auto f = d.run<float>(256, q);
  for (int i = 0; i < 256; ++i)
    EXPECT_EQ(f[i], dequantize(i, 0.37f, 100)) << i;

  Runner r(R"(func.func @f(%q: tensor<256x!quant.uniform<u8:f32, 0.37:100>>) -> tensor<256x!quant.uniform<i8:f32, 0.29:-7>> {
    %r = qc.requantize %q : tensor<256x!quant.uniform<u8:f32, 0.37:100>> -> tensor<256x!quant.uniform<i8:f32, 0.29:-7>>
    return %r : tensor<256x!quant.uniform<i8:f32, 0.29:-7>>
  })");
  auto out = r.run<int8_t>(256, q);
  float ratio = float(0.37 / 0.29);
  for (int i = 0; i < 256; ++i)
    EXPECT_EQ(out[i], requantize(i - 100, ratio, -7, StorageRange::get(8, true)))
        << i;
}

TEST(ReferenceLowering, QuantizedAddIsDefinedThroughFloats) {
  std::mt19937 rng(3);
  std::vector<uint8_t> a(64), b(64);
  for (auto &v : a)
    v = uint8_t(rng());
  for (auto &v : b)
    v = uint8_t(rng());
  Runner r(R"(func.func @f(%a: tensor<64x!quant.uniform<u8:f32, 0.1:30>>, %b: tensor<64x!quant.uniform<u8:f32, 0.07:200>>) -> tensor<64x!quant.uniform<u8:f32, 0.13:90>> {
    %y = qc.add %a, %b : (tensor<64x!quant.uniform<u8:f32, 0.1:30>>, tensor<64x!quant.uniform<u8:f32, 0.07:200>>) -> tensor<64x!quant.uniform<u8:f32, 0.13:90>>
    return %y : tensor<64x!quant.uniform<u8:f32, 0.13:90>>
  })");
  auto y = r.run<uint8_t>(64, a, b);
  for (int i = 0; i < 64; ++i) {
    float sum = dequantize(a[i], 0.1f, 30) + dequantize(b[i], 0.07f, 200);
    EXPECT_EQ(y[i], quantize(sum, 0.13f, 90, StorageRange::get(8, false))) << i;
  }
}

TEST(ReferenceLowering, MatMulMatchesPlainLoops) {
  // [2, 3, 5] x [5, 4] (broadcast over the leading dim), i8 activations
  // with zero point -128, per-column weights with the extreme values, bias,
  // i8 output; and the same product with an i32 output (ONNX
  // MatMulInteger: the accumulator itself).
  std::mt19937 rng(7);
  std::vector<int8_t> x(2 * 3 * 5);
  for (auto &v : x)
    v = int8_t(rng());
  x[0] = -128;
  x[1] = 127;
  std::vector<int> w = {-128, 127, 0,  5,   3,  -7,  127, -128, 1,  2,
                        -3,   4,   99, -99, 50, -50, 7,   8,    -9, 10};
  std::vector<int> bias = {1000, -1000, 0, 77};
  float sx = 0.03f, sw[] = {0.01f, 0.002f, 0.02f, 0.005f}, sy = 0.2f;
  std::string weights = "dense<[";
  for (int k = 0; k < 5; ++k) {
    weights += k ? ", [" : "[";
    for (int n = 0; n < 4; ++n)
      weights += (n ? ", " : "") + std::to_string(w[k * 4 + n]);
    weights += "]";
  }
  weights += "]>";
  const char *wt =
      "tensor<5x4x!quant.uniform<i8:f32:1, {0.01, 0.002, 0.02, 0.005}>>";
  const char *bt =
      "tensor<4x!quant.uniform<i32:f32:0, {3.0e-4, 6.0e-5, 6.0e-4, 1.5e-4}>>";
  Runner r(
      std::string(
          "func.func @f(%x: tensor<2x3x5x!quant.uniform<i8:f32, 0.03:-128>>) "
          "-> tensor<2x3x4x!quant.uniform<i8:f32, 0.2:-5>> {\n") +
      "  %w = qc.constant " + weights + " : tensor<5x4xi8> -> " + wt + "\n" +
      "  %b = qc.constant dense<[1000, -1000, 0, 77]> : tensor<4xi32> -> " +
      bt + "\n" +
      "  %y = qc.matmul %x, %w, %b : (tensor<2x3x5x!quant.uniform<i8:f32, "
      "0.03:-128>>, " +
      wt + ", " + bt + ") -> tensor<2x3x4x!quant.uniform<i8:f32, 0.2:-5>>\n" +
      "  return %y : tensor<2x3x4x!quant.uniform<i8:f32, 0.2:-5>>\n}");
  auto y = r.run<int8_t>(2 * 3 * 4, x);
  Runner exact(
      std::string(
          "func.func @f(%x: tensor<2x3x5x!quant.uniform<i8:f32, 1.0:-128>>) -> "
          "tensor<2x3x4x!quant.uniform<i32:f32, 1.0>> {\n") +
      "  %w = qc.constant " + weights +
      " : tensor<5x4xi8> -> tensor<5x4x!quant.uniform<i8:f32, 1.0>>\n" +
      "  %y = qc.matmul %x, %w : (tensor<2x3x5x!quant.uniform<i8:f32, "
      "1.0:-128>>, tensor<5x4x!quant.uniform<i8:f32, 1.0>>) -> "
      "tensor<2x3x4x!quant.uniform<i32:f32, 1.0>>\n" +
      "  return %y : tensor<2x3x4x!quant.uniform<i32:f32, 1.0>>\n}");
  auto acc = exact.run<int32_t>(2 * 3 * 4, x);
  size_t inRange = 0;
  for (int m = 0; m < 6; ++m)
    for (int n = 0; n < 4; ++n) {
      int32_t sum = 0;
      for (int k = 0; k < 5; ++k)
        sum += (x[m * 5 + k] + 128) * w[k * 4 + n];
      EXPECT_EQ(acc[m * 4 + n], sum) << m << "," << n;
      float mult = computeRequantMultiplier(sx, sw[n], sy);
      int64_t want =
          requantize(sum + bias[n], mult, -5, StorageRange::get(8, true));
      inRange += want > -128 && want < 127;
      EXPECT_EQ(y[m * 4 + n], want) << m << "," << n;
    }
  EXPECT_GT(inRange, 12u); // Not everything saturates.
}

TEST(ReferenceLowering, PoolingCountsAndPadding) {
  // 1x1x3x3 input, 2x2 windows, stride 1, pads 1 at the end: the last
  // windows see 2 or 1 real elements.
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  auto module = [](bool includePad) {
    return std::string(R"(func.func @f(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
      %y = qc.avg_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, count_include_pad = )") +
           (includePad ? "true" : "false") +
           R"(} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
      return %y : tensor<1x1x3x3xf32>
    })";
  };
  auto excl = Runner(module(false)).run<float>(9, x);
  std::vector<float> expectedExcl = {3, 4, 4.5, 6, 7, 7.5, 7.5, 8.5, 9};
  EXPECT_EQ(excl, expectedExcl);
  auto incl = Runner(module(true)).run<float>(9, x);
  std::vector<float> expectedIncl = {3, 4, 2.25, 6, 7, 3.75, 3.75, 4.25, 2.25};
  EXPECT_EQ(incl, expectedIncl);

  std::vector<uint8_t> q = {0, 9, 3, 255, 1, 7, 4, 2, 8};
  Runner m(R"(func.func @f(%x: tensor<1x1x3x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>> {
    %y = qc.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : (tensor<1x1x3x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>
    return %y : tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>
  })");
  std::vector<uint8_t> expectedMax = {255, 7, 4, 8};
  EXPECT_EQ(m.run<uint8_t>(4, q), expectedMax);

  // Quantized average: the exact sum of q - 5 over the window's real
  // elements, times 0.5, divided by their count, quantized at 1.5 : 10.
  // E.g. the first window: (0 + 9 + 255 + 1 - 4 * 5) * 0.5 / 4 = 30.625,
  // 30.625 / 1.5 = 20.4, so 20 + 10.
  std::vector<uint8_t> a = {0, 9, 3, 255, 1, 7, 4, 2, 200};
  Runner avg(
      R"(func.func @f(%x: tensor<1x1x3x3x!quant.uniform<u8:f32, 0.5:5>>) -> tensor<1x1x3x3x!quant.uniform<u8:f32, 1.5:10>> {
    %y = qc.avg_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : (tensor<1x1x3x3x!quant.uniform<u8:f32, 0.5:5>>) -> tensor<1x1x3x3x!quant.uniform<u8:f32, 1.5:10>>
    return %y : tensor<1x1x3x3x!quant.uniform<u8:f32, 1.5:10>>
  })");
  std::vector<uint8_t> expectedAvg = {30, 10, 10, 30, 26, 43, 9, 42, 75};
  EXPECT_EQ(avg.run<uint8_t>(9, a), expectedAvg);
}

TEST(ReferenceLowering, SoftmaxAndLayerNorm) {
  std::vector<float> x = {1, 2, 3, 4, -1, 0, 10, 0.5};
  Runner s(R"(func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    %y = qc.softmax %x : (tensor<2x4xf32>) -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  })");
  auto y = s.run<float>(8, x);
  for (int r = 0; r < 2; ++r) {
    float m = *std::max_element(x.begin() + 4 * r, x.begin() + 4 * r + 4);
    double sum = 0;
    for (int c = 0; c < 4; ++c)
      sum += std::exp(double(x[4 * r + c] - m));
    for (int c = 0; c < 4; ++c)
      EXPECT_NEAR(y[4 * r + c], std::exp(double(x[4 * r + c] - m)) / sum, 1e-6);
  }
  Runner l(R"(func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    %g = arith.constant dense<[1.0, 2.0, 0.5, -1.0]> : tensor<4xf32>
    %b = arith.constant dense<[0.0, 1.0, -1.0, 0.25]> : tensor<4xf32>
    %y = qc.layer_norm %x, %g, %b : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  })");
  auto n = l.run<float>(8, x);
  float g[] = {1, 2, 0.5, -1}, bb[] = {0, 1, -1, 0.25};
  for (int r = 0; r < 2; ++r) {
    double mean = 0, var = 0;
    for (int c = 0; c < 4; ++c)
      mean += x[4 * r + c] / 4.0;
    for (int c = 0; c < 4; ++c)
      var += (x[4 * r + c] - mean) * (x[4 * r + c] - mean) / 4.0;
    for (int c = 0; c < 4; ++c)
      EXPECT_NEAR(n[4 * r + c],
                  (x[4 * r + c] - mean) / std::sqrt(var + 1e-5) * g[c] + bb[c],
                  1e-5);
  }
}

TEST(ReferenceLowering, ConvolutionMatchesPlainLoops) {
  // 1x3x6x5 input, 4 output channels, 3x3 kernel, stride 2, pads 1/0/1/2,
  // per-channel weights, bias.
  std::mt19937 rng(5);
  std::vector<uint8_t> x(3 * 6 * 5);
  for (auto &v : x)
    v = uint8_t(rng());
  std::vector<int> w(4 * 3 * 9), bias = {100, -2000, 0, 12345};
  for (auto &v : w)
    v = int(rng() % 256) - 128;
  // The weights as raw bytes (a flat list would need the nested shape).
  std::string hex = "dense<\"0x";
  for (int v : w) {
    char buf[3];
    snprintf(buf, sizeof buf, "%02X", unsigned(uint8_t(v)));
    hex += buf;
  }
  hex += "\">";
  float sx = 0.05f, sw[] = {0.01f, 0.02f, 0.005f, 0.03f}, sy = 0.4f;
  // The same convolution plain, and with a fused output clamp to the real
  // interval [-3.0, 5.4]: its bounds round into the storage domain as
  // qc.clamp's do (-7.5 -> -8 and 13.5 -> 14, half to even, + 100).
  for (std::string clamp :
       {"", ", clamp_min = -3.0 : f32, clamp_max = 5.4 : f32"}) {
    Runner r(
        std::string(
            R"(func.func @f(%x: tensor<1x3x6x5x!quant.uniform<u8:f32, 0.05:77>>) -> tensor<1x4x3x3x!quant.uniform<u8:f32, 0.4:100>> {
    %w = qc.constant )") +
        hex +
        R"( : tensor<4x3x3x3xi8> -> tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.005, 0.03}>>
    %b = qc.constant dense<[100, -2000, 0, 12345]> : tensor<4xi32> -> tensor<4x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3, 2.5e-4, 1.5e-3}>>
    %y = qc.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 2>)" +
        clamp +
        R"(} : (tensor<1x3x6x5x!quant.uniform<u8:f32, 0.05:77>>, tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.01, 0.02, 0.005, 0.03}>>, tensor<4x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3, 2.5e-4, 1.5e-3}>>) -> tensor<1x4x3x3x!quant.uniform<u8:f32, 0.4:100>>
    return %y : tensor<1x4x3x3x!quant.uniform<u8:f32, 0.4:100>>
  })");
    auto y = r.run<uint8_t>(4 * 3 * 3, x);
    for (int o = 0; o < 4; ++o)
      for (int oy = 0; oy < 3; ++oy)
        for (int ox = 0; ox < 3; ++ox) {
          int32_t acc = bias[o];
          for (int c = 0; c < 3; ++c)
            for (int ky = 0; ky < 3; ++ky)
              for (int kx = 0; kx < 3; ++kx) {
                int iy = oy * 2 - 1 + ky, ix = ox * 2 - 0 + kx;
                int xv = (iy >= 0 && iy < 6 && ix >= 0 && ix < 5)
                             ? x[(c * 6 + iy) * 5 + ix]
                             : 77;
                acc += (xv - 77) * w[((o * 3 + c) * 3 + ky) * 3 + kx];
              }
          float m = computeRequantMultiplier(sx, sw[o], sy);
          int64_t want = requantize(acc, m, 100, StorageRange::get(8, false));
          if (!clamp.empty())
            want = std::min<int64_t>(std::max<int64_t>(want, 92), 114);
          EXPECT_EQ(y[(o * 3 + oy) * 3 + ox], want)
              << o << "," << oy << "," << ox << clamp;
        }
  }
}

TEST(ReferenceLowering, TransposedConvolutionMatchesPlainLoops) {
  // 1x4x3x4 input, 2 groups of 2 input and 3 output channels, 3x3 kernel,
  // strides 2/3, dilations 1/2, pads 1/2/0/1, output padding 1/0 (7x11
  // output), per-channel weights, bias, and a fused ReLU.
  std::mt19937 rng(6);
  std::vector<uint8_t> x(4 * 3 * 4);
  for (auto &v : x)
    v = uint8_t(rng());
  std::vector<int> w(6 * 2 * 9), bias = {300, -1000, 0, 4000, -77, 12};
  for (auto &v : w)
    v = int(rng() % 256) - 128;
  std::string hex = "dense<\"0x";
  for (int v : w) {
    char buf[3];
    snprintf(buf, sizeof buf, "%02X", unsigned(uint8_t(v)));
    hex += buf;
  }
  hex += "\">";
  // The scales as the types hold them (double), from which the multipliers
  // are computed.
  double sx = 0.05, sy = 0.3;
  double sw[] = {0.01, 0.02, 0.005, 0.03, 0.015, 0.025};
  std::string wType = "tensor<6x2x3x3x!quant.uniform<i8:f32:0, {0.01, 0.02, "
                      "0.005, 0.03, 0.015, 0.025}>>";
  std::string bType = "tensor<6x!quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3, "
                      "2.5e-4, 1.5e-3, 7.5e-4, 1.25e-3}>>";
  Runner r(
      R"(func.func @f(%x: tensor<1x4x3x4x!quant.uniform<u8:f32, 0.05:77>>) -> tensor<1x6x7x11x!quant.uniform<u8:f32, 0.3:100>> {
    %w = qc.constant )" +
      hex + " : tensor<6x2x3x3xi8> -> " + wType + R"(
    %b = qc.constant dense<[300, -1000, 0, 4000, -77, 12]> : tensor<6xi32> -> )" +
      bType + R"(
    %y = qc.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 3>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 2, 0, 1>, output_padding = array<i64: 1, 0>, groups = 2 : i64, clamp_min = 0.0 : f32} : (tensor<1x4x3x4x!quant.uniform<u8:f32, 0.05:77>>, )" +
      wType + ", " + bType +
      R"() -> tensor<1x6x7x11x!quant.uniform<u8:f32, 0.3:100>>
    return %y : tensor<1x6x7x11x!quant.uniform<u8:f32, 0.3:100>>
  })");
  auto y = r.run<uint8_t>(6 * 7 * 11, x);
  for (int o = 0; o < 6; ++o)
    for (int oy = 0; oy < 7; ++oy)
      for (int ox = 0; ox < 11; ++ox) {
        // Gather the input pixels whose scatter reaches (oy, ox).
        int32_t acc = bias[o];
        int g = o / 3;
        for (int c = 0; c < 2; ++c)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              int ty = oy + 1 - ky, tx = ox + 2 - kx * 2;
              if (ty < 0 || tx < 0 || ty % 2 || tx % 3 || ty / 2 >= 3 ||
                  tx / 3 >= 4)
                continue;
              int xv = x[((g * 2 + c) * 3 + ty / 2) * 4 + tx / 3];
              acc += (xv - 77) * w[((o * 2 + c) * 3 + ky) * 3 + kx];
            }
        float m = computeRequantMultiplier(sx, sw[o], sy);
        int64_t want = requantize(acc, m, 100, StorageRange::get(8, false));
        want = std::max<int64_t>(want, 100); // The ReLU: real 0 is 100.
        EXPECT_EQ(y[(o * 7 + oy) * 11 + ox], want)
            << o << "," << oy << "," << ox;
      }
}

TEST(ReferenceLowering, QuantizedReductionsAreDefinedThroughFloats) {
  // Each row of 8 u8 values: the maximum compares storage integers, the
  // sums and the L2 norm are f32 in order, requantized; log-sum-exp goes
  // through the polynomial exp and log (within one output step).
  std::mt19937 rng(8);
  std::vector<uint8_t> x(2 * 8);
  for (auto &v : x)
    v = uint8_t(rng());
  const char *in = "tensor<2x8x!quant.uniform<u8:f32, 0.1:30>>";
  const char *out = "tensor<2x!quant.uniform<u8:f32, 0.5:10>>";
  auto reduce = [&](const char *kind, const char *result) {
    Runner r(std::string("func.func @f(%x: ") + in + ") -> " + result +
             " {\n  %y = qc.reduce " + kind +
             " %x {axes = array<i64: 1>, keepdims = false} : (" + in + ") -> " +
             result + "\n  return %y : " + result + "\n}");
    return r.run<uint8_t>(2, x);
  };
  StorageRange u8 = StorageRange::get(8, false);
  auto max = reduce("max", "tensor<2x!quant.uniform<u8:f32, 0.1:30>>");
  auto sum = reduce("sum", out);
  auto squares = reduce("sum_square", "tensor<2x!quant.uniform<u8:f32, 10.0>>");
  auto l2 = reduce("l2", out), lse = reduce("log_sum_exp", out);
  for (int r = 0; r < 2; ++r) {
    uint8_t m = 0;
    float s = 0, sq = 0;
    double e = 0;
    for (int k = 0; k < 8; ++k) {
      m = std::max(m, x[8 * r + k]);
      float v = dequantize(x[8 * r + k], 0.1f, 30);
      s += v;
      float v2 = v * v;
      sq += v2;
      e += std::exp(double(v));
    }
    EXPECT_EQ(max[r], m) << r;
    EXPECT_EQ(sum[r], quantize(s, 0.5f, 10, u8)) << r;
    EXPECT_EQ(squares[r], quantize(sq, 10.0f, 0, u8)) << r;
    EXPECT_LT(squares[r], 255) << r; // Not saturated: a real check.
    EXPECT_EQ(l2[r], quantize(std::sqrt(sq), 0.5f, 10, u8)) << r;
    EXPECT_NEAR(lse[r], quantize(float(std::log(e)), 0.5f, 10, u8), 1) << r;
  }
}

TEST(ReferenceLowering, QuantizedGroupNormIsDefinedThroughFloats) {
  // [1, 4, 3] in 2 groups of 2 channels, per-group scale and per-channel
  // bias: mean and variance of each group's 6 values in order, then
  // ((x - mean) / sqrt(var + eps)) * scale + bias in f32, quantized.
  std::vector<uint8_t> x = {10, 200, 37, 99, 140, 3, 255, 0, 128, 64, 77, 180};
  Runner r(
      R"(func.func @f(%x: tensor<1x4x3x!quant.uniform<u8:f32, 0.05:100>>) -> tensor<1x4x3x!quant.uniform<i8:f32, 0.02>> {
    %g = qc.constant dense<[50, -25]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.02>>
    %b = qc.constant dense<[0, 10, -10, 100]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.02>>
    %y = qc.group_norm %x, %g, %b {groups = 2 : i64, epsilon = 1.0e-3 : f32} : (tensor<1x4x3x!quant.uniform<u8:f32, 0.05:100>>, tensor<2x!quant.uniform<i8:f32, 0.02>>, tensor<4x!quant.uniform<i8:f32, 0.02>>) -> tensor<1x4x3x!quant.uniform<i8:f32, 0.02>>
    return %y : tensor<1x4x3x!quant.uniform<i8:f32, 0.02>>
  })");
  auto y = r.run<int8_t>(12, x);
  int g[] = {50, -25}, b[] = {0, 10, -10, 100};
  for (int grp = 0; grp < 2; ++grp) {
    float sum = 0, squares = 0;
    for (int k = 0; k < 6; ++k)
      sum += dequantize(x[6 * grp + k], 0.05f, 100);
    float mean = sum / 6.0f;
    for (int k = 0; k < 6; ++k) {
      float d = dequantize(x[6 * grp + k], 0.05f, 100) - mean;
      float d2 = d * d;
      squares += d2;
    }
    float stddev = std::sqrt(squares / 6.0f + 1.0e-3f);
    for (int k = 0; k < 6; ++k) {
      int c = 2 * grp + k / 3;
      float v = (dequantize(x[6 * grp + k], 0.05f, 100) - mean) / stddev;
      float scaled = v * dequantize(g[grp], 0.02f, 0);
      float shifted = scaled + dequantize(b[c], 0.02f, 0);
      EXPECT_EQ(y[6 * grp + k],
                quantize(shifted, 0.02f, 0, StorageRange::get(8, true)))
          << grp << "," << k;
    }
  }
}

} // namespace
