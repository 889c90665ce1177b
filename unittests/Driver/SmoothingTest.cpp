//===- SmoothingTest.cpp - The SmoothQuant migration is exact -------------===//
//
// smoothActivations rewrites the float model: the outputs of the rewritten
// model must equal the original's up to f32 rounding, the outlier channels
// of the norm must be evened, and norms whose output is read by anything
// but a matmul's left operand with constant weights must be left alone.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Smoothing.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Driver/Compiler.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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

std::string dense(const std::vector<float> &v, int64_t rows, int64_t cols) {
  std::ostringstream os;
  os.precision(9);
  os << "dense<[";
  for (int64_t r = 0; r < rows; ++r) {
    if (rows > 1)
      os << (r ? ", [" : "[");
    for (int64_t c = 0; c < cols; ++c)
      os << (c ? ", " : "") << v[r * cols + c];
    if (rows > 1)
      os << "]";
  }
  os << "]>";
  return os.str();
}

std::vector<float> normal(std::mt19937 &rng, size_t n, float sigma) {
  std::normal_distribution<float> d(0, sigma);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

/// x [2, 5, C] -> layer_norm (outlier channels) -> two matmuls (q, k),
/// their sum the output; with `residual`, the norm's output is also added
/// to the result (which forbids the migration).
std::string model(bool residual, bool rms) {
  const int64_t c = 24, n = 8;
  std::mt19937 rng(5);
  std::vector<float> g = normal(rng, c, 0.2f), b = normal(rng, c, 0.1f);
  for (float &x : g)
    x += 1;
  for (int64_t j : {2, 9, 20})
    g[j] *= 40;
  std::vector<float> wq = normal(rng, c * n, 0.3f),
                     wk = normal(rng, c * n, 0.3f);
  std::string t = "tensor<2x5x" + std::to_string(c) + "xf32>";
  std::string ot = "tensor<2x5x" + std::to_string(n) + "xf32>";
  std::string s = "func.func @f(%x: " + t + ") -> " + ot + " {\n";
  s += "  %g = arith.constant " + dense(g, 1, c) + " : tensor<" +
       std::to_string(c) + "xf32>\n";
  s += "  %b = arith.constant " + dense(b, 1, c) + " : tensor<" +
       std::to_string(c) + "xf32>\n";
  s += "  %wq = arith.constant " + dense(wq, c, n) + " : tensor<" +
       std::to_string(c) + "x" + std::to_string(n) + "xf32>\n";
  s += "  %wk = arith.constant " + dense(wk, c, n) + " : tensor<" +
       std::to_string(c) + "x" + std::to_string(n) + "xf32>\n";
  s += std::string("  %n = qc.layer_norm %x, %g, %b {axis = -1 : i64") +
       (rms ? ", rms" : "") + "} : (" + t + ", tensor<" + std::to_string(c) +
       "xf32>, tensor<" + std::to_string(c) + "xf32>) -> " + t +
       " loc(\"norm\")\n";
  std::string wt =
      "tensor<" + std::to_string(c) + "x" + std::to_string(n) + "xf32>";
  s += "  %q = qc.matmul %n, %wq : (" + t + ", " + wt + ") -> " + ot + "\n";
  s += "  %k = qc.matmul %n, %wk : (" + t + ", " + wt + ") -> " + ot + "\n";
  s += "  %y = qc.add %q, %k : (" + ot + ", " + ot + ") -> " + ot + "\n";
  if (residual) {
    s +=
        "  %r = qc.reduce_mean %n {axes = array<i64: 2>, keepdims = true} : (" +
        t + ") -> tensor<2x5x1xf32>\n";
    s += "  %z = qc.add %y, %r : (" + ot + ", tensor<2x5x1xf32>) -> " + ot +
         "\n";
    s += "  return %z : " + ot + "\n}\n";
  } else {
    s += "  return %y : " + ot + "\n}\n";
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
      a.shape = {2, 5, 24};
      std::vector<float> v = normal(rng, 2 * 5 * 24, 2.0f);
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

TEST(Smoothing, MigrationKeepsTheFloatModel) {
  for (bool rms : {false, true}) {
    Fixture f(model(/*residual=*/false, rms));
    ASSERT_TRUE(f.module);
    std::vector<float> before = f.run();
    std::vector<SmoothedNorm> smoothed;
    SmoothingOptions options;
    ASSERT_TRUE(
        succeeded(smoothActivations(*f.module, f.samples, options, &smoothed)));
    ASSERT_EQ(smoothed.size(), 1u) << "rms " << rms << "\n"
                                   << model(false, rms);
    EXPECT_EQ(smoothed[0].name, "norm");
    EXPECT_EQ(smoothed[0].channels, 24);
    EXPECT_EQ(smoothed[0].matmuls, 2u);
    // The 40x channels dominate before; alpha 0.5 takes their square root
    // at most.
    EXPECT_GT(smoothed[0].spreadBefore, 20.0);
    EXPECT_LT(smoothed[0].spreadAfter, 0.5 * smoothed[0].spreadBefore);
    std::vector<float> after = f.run();
    ASSERT_EQ(before.size(), after.size());
    double top = 0;
    for (float v : before)
      top = std::max(top, double(std::fabs(v)));
    for (size_t i = 0; i < before.size(); ++i)
      EXPECT_NEAR(after[i], before[i], 1e-5 * top) << "element " << i;
    // The old constants are gone, the norm's scale is divided.
    unsigned constants = 0;
    f.module->walk([&](arith::ConstantOp) { ++constants; });
    EXPECT_EQ(constants, 4u);
  }
}

TEST(Smoothing, NormReadByOtherOpsIsLeftAlone) {
  Fixture f(model(/*residual=*/true, /*rms=*/false));
  ASSERT_TRUE(f.module);
  std::string before;
  llvm::raw_string_ostream(before) << *f.module;
  std::vector<SmoothedNorm> smoothed;
  ASSERT_TRUE(succeeded(
      smoothActivations(*f.module, f.samples, SmoothingOptions(), &smoothed)));
  EXPECT_TRUE(smoothed.empty());
  std::string after;
  llvm::raw_string_ostream(after) << *f.module;
  EXPECT_EQ(before, after);
}

TEST(Smoothing, ParsesAlpha) {
  std::optional<double> a;
  EXPECT_EQ(parseSmoothing("0.5", a), "");
  EXPECT_EQ(*a, 0.5);
  EXPECT_EQ(parseSmoothing("off", a), "");
  EXPECT_FALSE(a);
  EXPECT_NE(parseSmoothing("1.5", a), "");
  EXPECT_NE(parseSmoothing("strong", a), "");
  EXPECT_NE(parseSmoothing("nan", a), "");
}

} // namespace
