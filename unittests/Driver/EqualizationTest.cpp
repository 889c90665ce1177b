//===- EqualizationTest.cpp - Channel equalization is exact ---------------===//
//
// equalizeChannels rewrites the float model: the rewritten model's outputs
// must equal the original's up to f32 rounding (through depthwise, grouped
// and pointwise consumers), the wide channels must be evened, and an
// activation whose producer or consumers cannot take the factors must be
// left alone on that side.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Equalization.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Driver/Compiler.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

using namespace mlir;
using namespace mlir::qc;

namespace {

std::vector<float> normal(std::mt19937 &rng, size_t n, float sigma) {
  std::normal_distribution<float> d(0, sigma);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

std::string dense(const std::vector<float> &v) {
  std::ostringstream os;
  os.precision(9);
  os << "dense<[";
  for (size_t i = 0; i < v.size(); ++i)
    os << (i ? ", " : "") << v[i];
  os << "]>";
  return os.str();
}

std::string tensor(int64_t c) {
  return "tensor<2x" + std::to_string(c) + "x6x6xf32>";
}

/// A constant of weights [o, i, k, k], the rows in `wide` 30x larger.
std::string weights(std::mt19937 &rng, const std::string &name, int64_t o,
                    int64_t i, int64_t k, std::vector<int64_t> wide = {}) {
  std::vector<float> w = normal(rng, o * i * k * k, 0.4f);
  for (int64_t r : wide)
    for (int64_t j = 0; j < i * k * k; ++j)
      w[r * i * k * k + j] *= 30;
  std::string t = "tensor<" + std::to_string(o) + "x" + std::to_string(i) +
                  "x" + std::to_string(k) + "x" + std::to_string(k) + "xf32>";
  std::ostringstream os;
  os.precision(9);
  os << "  %" << name << " = arith.constant dense<[";
  for (int64_t a = 0; a < o; ++a) {
    os << (a ? ", [" : "[");
    for (int64_t b = 0; b < i; ++b) {
      os << (b ? ", [" : "[");
      for (int64_t y = 0; y < k; ++y) {
        os << (y ? ", [" : "[");
        for (int64_t x = 0; x < k; ++x)
          os << (x ? ", " : "") << w[((a * i + b) * k + y) * k + x];
        os << "]";
      }
      os << "]";
    }
    os << "]";
  }
  os << "]> : " << t << "\n";
  return os.str();
}

/// x [2, 4, 6, 6] -> "expand" 1x1 to 8 (channels 1 and 6 wide) ->
/// hard_swish "act" -> depthwise 3x3 "dw" -> silu "act2" -> grouped 1x1
/// "group" (2 groups) -> hard_swish "act3" -> pointwise "project" -> out,
/// and "act3" also added to the output when `residual` (its output side
/// must stay).
std::string model(bool residual) {
  std::mt19937 rng(3);
  std::string s =
      "func.func @f(%x: " + tensor(4) + ") -> " + tensor(4) + " {\n";
  s += weights(rng, "w1", 8, 4, 1, {1, 6});
  s += "  %b1 = arith.constant " + dense(normal(rng, 8, 0.5f)) +
       " : tensor<8xf32>\n";
  s += weights(rng, "w2", 8, 1, 3);
  s += weights(rng, "w3", 8, 4, 1);
  s += weights(rng, "w4", 4, 8, 1);
  auto conv = [&](const std::string &out, const std::string &in,
                  const std::string &w, const std::string &wt, int64_t ci,
                  int64_t co, const std::string &attrs, const char *name,
                  const std::string &bias = "") {
    s += "  %" + out + " = qc.conv2d %" + in + ", %" + w +
         (bias.empty() ? "" : ", %" + bias) + " " + attrs + ": (" + tensor(ci) +
         ", " + wt + (bias.empty() ? "" : ", tensor<8xf32>") + ") -> " +
         tensor(co) + " loc(\"" + name + "\")\n";
  };
  auto act = [&](const std::string &out, const std::string &in,
                 const char *kind, int64_t c, const char *name) {
    s += "  %" + out + " = qc.activation " + kind + " %" + in + " : (" +
         tensor(c) + ") -> " + tensor(c) + " loc(\"" + name + "\")\n";
  };
  conv("c1", "x", "w1", "tensor<8x4x1x1xf32>", 4, 8, "", "expand", "b1");
  act("a1", "c1", "hard_swish", 8, "act");
  conv("c2", "a1", "w2", "tensor<8x1x3x3xf32>", 8, 8,
       "{groups = 8 : i64, pads = array<i64: 1, 1, 1, 1>} ", "dw");
  act("a2", "c2", "silu", 8, "act2");
  conv("c3", "a2", "w3", "tensor<8x4x1x1xf32>", 8, 8, "{groups = 2 : i64} ",
       "group");
  act("a3", "c3", "hard_swish", 8, "act3");
  conv("c4", "a3", "w4", "tensor<4x8x1x1xf32>", 8, 4, "", "project");
  if (residual) {
    s += "  %r = qc.reduce_mean %a3 {axes = array<i64: 1>, keepdims = true} "
         ": (" +
         tensor(8) + ") -> tensor<2x1x6x6xf32>\n";
    s += "  %y = qc.add %c4, %r : (" + tensor(4) +
         ", tensor<2x1x6x6xf32>) -> " + tensor(4) + "\n";
    s += "  return %y : " + tensor(4) + "\n}\n";
  } else {
    s += "  return %c4 : " + tensor(4) + "\n}\n";
  }
  return s;
}

struct Fixture {
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  Samples samples;

  explicit Fixture(const std::string &text) : context(registry()) {
    context.getDiagEngine().registerHandler([](Diagnostic &) {});
    module = parseSourceString<ModuleOp>(text, &context);
    EXPECT_TRUE(module) << text;
    std::mt19937 rng(9);
    for (int s = 0; s < 3; ++s) {
      HostArray a;
      a.dtype = "float32";
      a.shape = {2, 4, 6, 6};
      std::vector<float> v = normal(rng, 2 * 4 * 6 * 6, 1.5f);
      a.data.resize(v.size() * 4);
      std::memcpy(a.data.data(), v.data(), a.data.size());
      samples.push_back({a});
    }
  }
  static DialectRegistry registry() {
    DialectRegistry r;
    registerCompilerDialects(r);
    return r;
  }
  std::vector<float> run() {
    std::vector<HostArray> out;
    EXPECT_TRUE(succeeded(runOnSamples(*module, samples, out)));
    std::vector<float> v(out[0].numElements());
    std::memcpy(v.data(), out[0].data.data(), v.size() * 4);
    return v;
  }
};

void expectClose(const std::vector<float> &a, const std::vector<float> &b) {
  ASSERT_EQ(a.size(), b.size());
  double scale = 0;
  for (float v : a)
    scale = std::max(scale, double(std::fabs(v)));
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], 1e-4 * scale) << "element " << i;
}

TEST(Equalization, KeepsTheFloatModel) {
  Fixture f(model(/*residual=*/false));
  ASSERT_TRUE(f.module);
  std::vector<float> before = f.run();
  std::vector<EqualizedActivation> eq;
  EqualizationOptions options;
  ASSERT_TRUE(succeeded(equalizeChannels(*f.module, f.samples, options, &eq)));
  ASSERT_EQ(eq.size(), 3u);
  EXPECT_EQ(eq[0].name, "act");
  EXPECT_EQ(eq[1].name, "act2");
  EXPECT_EQ(eq[2].name, "act3");
  for (const EqualizedActivation &e : eq) {
    EXPECT_EQ(e.channels, 8);
    EXPECT_TRUE(e.input);
    EXPECT_EQ(e.consumers, 1u);
    EXPECT_NEAR(e.inputSpreadAfter, 1.0, 1e-6);
  }
  // The 30x rows of "expand" make act's input and output uneven; the
  // depthwise consumer takes the whole range, the others a part.
  EXPECT_GT(eq[0].inputSpreadBefore, 5.0);
  EXPECT_GT(eq[0].outputSpreadBefore, 5.0);
  EXPECT_NEAR(eq[0].outputSpreadAfter, 1.0, 1e-6);
  std::vector<float> after = f.run();
  expectClose(before, after);
  // A second run finds nothing more to do (the factors are there).
  eq.clear();
  ASSERT_TRUE(succeeded(equalizeChannels(*f.module, f.samples, options, &eq)));
  EXPECT_TRUE(eq.empty());
}

TEST(Equalization, LeavesSidesThatCannotTakeFactors) {
  Fixture f(model(/*residual=*/true));
  ASSERT_TRUE(f.module);
  std::vector<float> before = f.run();
  std::vector<EqualizedActivation> eq;
  EqualizationOptions options;
  options.alpha = 0.8;
  ASSERT_TRUE(succeeded(equalizeChannels(*f.module, f.samples, options, &eq)));
  ASSERT_EQ(eq.size(), 3u);
  // act3 feeds a reduction besides "project": its input side only.
  EXPECT_EQ(eq[2].name, "act3");
  EXPECT_TRUE(eq[2].input);
  EXPECT_EQ(eq[2].consumers, 0u);
  EXPECT_EQ(eq[2].outputSpreadAfter, 1.0);
  bool sawOut = false;
  f.module->walk([&](ActivationOp a) {
    if (auto n = dyn_cast<NameLoc>(a.getLoc()); n && n.getName() == "act3")
      sawOut = bool(a.getOutScalesAttr());
  });
  EXPECT_FALSE(sawOut);
  expectClose(before, f.run());
}

TEST(Equalization, ParsesItsOption) {
  std::optional<double> a;
  EXPECT_EQ(parseEqualization("on", a), "");
  EXPECT_EQ(a, 0.5);
  EXPECT_EQ(parseEqualization("0.25", a), "");
  EXPECT_EQ(a, 0.25);
  EXPECT_EQ(parseEqualization("off", a), "");
  EXPECT_FALSE(a);
  EXPECT_NE(parseEqualization("1.5", a), "");
  EXPECT_NE(parseEqualization("much", a), "");
}

} // namespace
