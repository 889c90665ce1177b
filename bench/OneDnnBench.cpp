//===- OneDnnBench.cpp - The peer of qc-bench-gemm: oneDNN on its shapes ---===//
//
// The int8 GEMM and convolution shapes of qc-bench-gemm, run by oneDNN
// (Debian's libdnnl) with the same numerics: u8 activations with zero point
// 128, s8 per-tensor weights, u8 results with zero point 128 and the same
// requantization scale, weights in the layout oneDNN picks (format_tag::any,
// reordered once outside the timing), activations as qc gets them (row
// major; for convolutions NHWC, oneDNN's int8 layout, where qc takes NCHW).
// Single thread: run it with OMP_NUM_THREADS=1, as
// bench/gemm-vs-onednn.sh does. Names match qc-bench-gemm's, so the script
// pairs the two.
//
//===----------------------------------------------------------------------===//

#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

constexpr float kScale = 0.02f * 0.01f / 4.0f; // input x weight / output
constexpr int32_t kZeroPoint = 128;

dnnl::engine &engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

/// Random bytes (not constant, as in qc-bench-gemm).
void fill(dnnl::memory &m, unsigned seed) {
  std::mt19937 rng(seed);
  auto *p = static_cast<uint8_t *>(m.get_data_handle());
  size_t n = m.get_desc().get_size();
  for (size_t i = 0; i < n; ++i)
    p[i] = uint8_t(rng());
}

/// The weights in the primitive's layout: a reorder from `plain`.
dnnl::memory packedWeights(const dnnl::memory::desc &plain,
                           const dnnl::memory::desc &wanted, unsigned seed) {
  dnnl::stream s(engine());
  dnnl::memory src(plain, engine());
  fill(src, seed);
  dnnl::memory dst(wanted, engine());
  dnnl::reorder(src, dst).execute(s, src, dst);
  s.wait();
  return dst;
}

dnnl::primitive_attr quantAttr() {
  dnnl::primitive_attr attr;
  attr.set_output_scales(0, {kScale});
  attr.set_zero_points(DNNL_ARG_SRC, 0, {kZeroPoint});
  attr.set_zero_points(DNNL_ARG_DST, 0, {kZeroPoint});
  return attr;
}

void timeIt(benchmark::State &state, const dnnl::primitive &p,
            const std::unordered_map<int, dnnl::memory> &args, double ops) {
  dnnl::stream s(engine());
  p.execute(s, args); // first run: JIT and caches
  s.wait();
  double seconds = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    p.execute(s, args);
    s.wait();
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             start)
                   .count();
    seconds += t;
    state.SetIterationTime(t);
  }
  state.counters["GOPS"] = ops * state.iterations() / seconds / 1e9;
}

void benchMatMul(benchmark::State &state, int64_t m, int64_t n, int64_t k) {
  dnnl::memory::desc a({m, k}, dt::u8, tag::ab);
  dnnl::memory::desc bAny({k, n}, dt::s8, tag::any);
  dnnl::memory::desc c({m, n}, dt::u8, tag::ab);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, bAny, c), quantAttr(),
                                  engine());
  state.SetLabel(pd.impl_info_str());
  dnnl::memory am(a, engine()), cm(c, engine());
  fill(am, 3);
  dnnl::memory bm = packedWeights(
      dnnl::memory::desc({k, n}, dt::s8, tag::ab), pd.weights_desc(), 1);
  timeIt(state, dnnl::matmul(pd),
         {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}},
         2.0 * m * n * k);
}

void benchConv(benchmark::State &state, int64_t c, int64_t h, int64_t w,
               int64_t o, int64_t k, tag layout) {
  int64_t p = k / 2;
  dnnl::memory::desc src({1, c, h, w}, dt::u8, layout);
  dnnl::memory::desc wAny({o, c, k, k}, dt::s8, tag::any);
  dnnl::memory::desc dst({1, o, h, w}, dt::u8, layout);
  dnnl::convolution_forward::desc d(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
      src, wAny, dst, {1, 1}, {p, p}, {p, p});
  dnnl::convolution_forward::primitive_desc pd(d, quantAttr(), engine());
  state.SetLabel(pd.impl_info_str());
  dnnl::memory sm(src, engine()), dm(dst, engine());
  fill(sm, 3);
  dnnl::memory wm = packedWeights(
      dnnl::memory::desc({o, c, k, k}, dt::s8, tag::oihw), pd.weights_desc(),
      2);
  timeIt(state, dnnl::convolution_forward(pd),
         {{DNNL_ARG_SRC, sm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, dm}},
         2.0 * o * h * w * c * k * k);
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  dnnl::version_t const *v = dnnl_version();
  benchmark::AddCustomContext("onednn", std::to_string(v->major) + "." +
                                            std::to_string(v->minor) + "." +
                                            std::to_string(v->patch));
  struct Shape {
    const char *name;
    int64_t m, n, k;
  } shapes[] = {{"gemm_1024x1024x1024", 1024, 1024, 1024},
                {"gemv_M1_K768_N3072", 1, 3072, 768},
                {"gemm_M8_K3072_N768", 8, 768, 3072},
                {"conv_as_gemm_M3136_K576_N64", 3136, 64, 576},
                {"gemm_2048x2048x2048", 2048, 2048, 2048}};
  for (const Shape &s : shapes)
    benchmark::RegisterBenchmark(
        (std::string(s.name) + "/int8").c_str(),
        [=](benchmark::State &st) { benchMatMul(st, s.m, s.n, s.k); })
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime();
  struct Conv {
    const char *name;
    int64_t c, h, w, o, k;
  } convs[] = {{"conv3x3_C64_56x56_O64", 64, 56, 56, 64, 3},
               {"conv1x1_C256_28x28_O64", 256, 28, 28, 64, 1}};
  // NHWC only: oneDNN 2.6 has no fast int8 convolution for NCHW
  // activations (it picks its reference implementation, ~3000x slower).
  for (const Conv &c : convs)
    benchmark::RegisterBenchmark(
        (std::string(c.name) + "/int8_nhwc").c_str(),
        [=](benchmark::State &st) {
          benchConv(st, c.c, c.h, c.w, c.o, c.k, tag::nhwc);
        })
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
