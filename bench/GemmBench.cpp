//===- GemmBench.cpp - qc's generated GEMM kernels against the peak -------===//
//
// Times the int8 (and f32) matmul kernels qc generates for the host, on the
// shapes that matter (square GEMM, transformer GEMV/GEMM, convolution as
// GEMM), single thread. Each result is reported in GOPS (2 * M * N * K per
// run) and as a fraction of the peak this program measures itself before
// the benchmarks run (vpdpbusd for int8, FMA for f32), so the ratio is
// taken on the same machine in the same process.
//
//   build/bin/qc-bench-gemm --benchmark_min_time=0.5s
//
//===----------------------------------------------------------------------===//

#include "qc/Codegen/Codegen.h"
#include "qc/Driver/Compiler.h"
#include "qc/Support/TargetDesc.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <random>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#endif
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace mlir;
using namespace mlir::qc;

namespace {

double gPeakGops = 0, gAmxPeakGops = 0, gFmaPeakGflops = 0;
/// The target the kernels are compiled for (--target=, default host).
const TargetDesc *gTarget = nullptr;

#if defined(__x86_64__)
/// vpdpbusd zmm throughput: 16 independent accumulators (latency x
/// throughput), no memory traffic. 64 multiply-adds = 128 ops each.
__attribute__((target("avx512f,avx512vnni"))) double measurePeakOnce() {
  __m512i acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm512_set1_epi32(i);
  __m512i a = _mm512_set1_epi32(0x01020304), b = _mm512_set1_epi32(0x05060708);
  const long iterations = 20'000'000;
  auto start = std::chrono::steady_clock::now();
  for (long it = 0; it < iterations; ++it) {
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
    asm volatile("" : "+v"(a));
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  __m512i sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm512_add_epi32(sum, acc[i]);
  benchmark::DoNotOptimize(sum);
  return double(iterations) * 16 * 128 / seconds / 1e9;
}
#endif

#if defined(__x86_64__)
/// FMA throughput: 16 independent accumulators (enough for 2 ports x 4
/// cycles of latency), no memory traffic; each fused multiply-add is 2
/// flops per lane. One function per vector width, so that the intrinsics
/// inline into a loop compiled for them.
#define QC_FMA_PEAK(NAME, TARGET, VEC, LANES, FMA, SET1)                       \
  __attribute__((target(TARGET))) double NAME() {                              \
    VEC acc[16];                                                               \
    for (int i = 0; i < 16; ++i)                                               \
      acc[i] = SET1(float(i));                                                 \
    VEC a = SET1(0.999f), b = SET1(1e-3f);                                     \
    const long iterations = 20'000'000;                                        \
    auto start = std::chrono::steady_clock::now();                             \
    for (long it = 0; it < iterations; ++it)                                   \
      for (int i = 0; i < 16; ++i)                                             \
        acc[i] = FMA(a, b, acc[i]);                                            \
    double seconds = std::chrono::duration<double>(                            \
                         std::chrono::steady_clock::now() - start)             \
                         .count();                                             \
    for (int i = 0; i < 16; ++i)                                               \
      benchmark::DoNotOptimize(acc[i]);                                        \
    return double(iterations) * 16 * 2 * LANES / seconds / 1e9;                \
  }
QC_FMA_PEAK(measureFma512Once, "avx512f", __m512, 16, _mm512_fmadd_ps,
            _mm512_set1_ps)
QC_FMA_PEAK(measureFma256Once, "avx2,fma", __m256, 8, _mm256_fmadd_ps,
            _mm256_set1_ps)
#undef QC_FMA_PEAK
#endif

/// The measured f32 FMA peak of the widest vectors the host has (zmm with
/// AVX-512, else ymm with FMA), or 0.
double measureFmaPeak() {
#if defined(__x86_64__)
  bool zmm = __builtin_cpu_supports("avx512f");
  if (!zmm && !__builtin_cpu_supports("fma"))
    return 0;
  double best = 0;
  for (int i = 0; i < 5; ++i)
    best = std::max(best, zmm ? measureFma512Once() : measureFma256Once());
  return best;
#else
  return 0;
#endif
}

#if defined(__x86_64__) && defined(__linux__)
/// tdpbusd throughput: 4 independent accumulator tiles over the same
/// operand tiles, no memory traffic; 16 x 16 x 64 multiply-adds each.
/// Needs the tile state from Linux (arch_prctl), as qc's code asks for it.
__attribute__((target("amx-tile,amx-int8"))) double measureAmxPeakOnce() {
  alignas(64) unsigned char config[64] = {};
  config[0] = 1;
  for (int t = 0; t < 8; ++t) {
    config[16 + 2 * t] = 64;
    config[48 + t] = 16;
  }
  alignas(64) static unsigned char operand[16 * 64];
  for (int i = 0; i < 16 * 64; ++i)
    operand[i] = (unsigned char)(i * 7 + 1);
  _tile_loadconfig(config);
  _tile_loadd(4, operand, 64);
  _tile_loadd(5, operand, 64);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  const long iterations = 2'000'000;
  auto start = std::chrono::steady_clock::now();
  for (long it = 0; it < iterations; ++it) {
    _tile_dpbusd(0, 4, 5);
    _tile_dpbusd(1, 4, 5);
    _tile_dpbusd(2, 4, 5);
    _tile_dpbusd(3, 4, 5);
  }
  alignas(64) static int sink[16 * 16];
  _tile_stored(0, sink, 64);
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  _tile_release();
  benchmark::DoNotOptimize(sink[0]);
  return double(iterations) * 4 * 16 * 16 * 64 * 2 / seconds / 1e9;
}
#endif

/// The measured tdpbusd peak, or 0 where the CPU or OS has no AMX.
double measureAmxPeak() {
#if defined(__x86_64__) && defined(__linux__)
  if (!__builtin_cpu_supports("amx-int8") ||
      syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */,
              18 /* XFEATURE_XTILEDATA */) != 0)
    return 0;
  double best = 0;
  for (int i = 0; i < 3; ++i)
    best = std::max(best, measureAmxPeakOnce());
  return best;
#else
  return 0;
#endif
}

double measurePeak() {
#if defined(__x86_64__)
  if (!__builtin_cpu_supports("avx512vnni"))
    return 0;
  double best = 0;
  for (int i = 0; i < 5; ++i)
    best = std::max(best, measurePeakOnce());
  return best;
#else
  return 0;
#endif
}

std::string hexBytes(const std::vector<uint8_t> &bytes) {
  static const char d[] = "0123456789ABCDEF";
  std::string s = "\"0x";
  s.reserve(bytes.size() * 2 + 4);
  for (uint8_t b : bytes) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s + "\"";
}

/// A module with one matmul of the given shape: int8 (u8 x s8 per-channel
/// -> u8) or f32.
std::string gemmModule(int64_t m, int64_t n, int64_t k, bool isFloat) {
  std::mt19937 rng(1);
  std::vector<uint8_t> w;
  if (isFloat) {
    std::vector<float> f(k * n);
    std::normal_distribution<float> d(0, 1);
    for (float &x : f)
      x = d(rng);
    w.resize(f.size() * 4);
    std::memcpy(w.data(), f.data(), w.size());
    std::string t = "tensor<" + std::to_string(k) + "x" + std::to_string(n) + "xf32>";
    return "func.func @gemm(%a: tensor<" + std::to_string(m) + "x" +
           std::to_string(k) + "xf32>) -> tensor<" + std::to_string(m) + "x" +
           std::to_string(n) + "xf32> {\n  %w = arith.constant dense<" +
           hexBytes(w) + "> : " + t + "\n  %y = qc.matmul %a, %w : (tensor<" +
           std::to_string(m) + "x" + std::to_string(k) + "xf32>, " + t +
           ") -> tensor<" + std::to_string(m) + "x" + std::to_string(n) +
           "xf32>\n  return %y : tensor<" + std::to_string(m) + "x" +
           std::to_string(n) + "xf32>\n}\n";
  }
  w.resize(k * n);
  for (auto &x : w)
    x = uint8_t(rng());
  std::string in = "tensor<" + std::to_string(m) + "x" + std::to_string(k) +
                   "x!quant.uniform<u8:f32, 0.02:128>>";
  std::string wt = "tensor<" + std::to_string(k) + "x" + std::to_string(n) +
                   "x!quant.uniform<i8:f32, 0.01>>";
  std::string out = "tensor<" + std::to_string(m) + "x" + std::to_string(n) +
                    "x!quant.uniform<u8:f32, 4.0:128>>";
  return "func.func @gemm(%a: " + in + ") -> " + out +
         " {\n  %w = qc.constant dense<" + hexBytes(w) + "> : tensor<" +
         std::to_string(k) + "x" + std::to_string(n) + "xi8> -> " + wt +
         "\n  %y = qc.matmul %a, %w : (" + in + ", " + wt + ") -> " + out +
         "\n  return %y : " + out + "\n}\n";
}

struct Compiled {
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<JitModule> jit;
  JitModule::RunFn run = nullptr;
  size_t workspace = 0;
};

/// A module with one int8 convolution (u8 activations, per-tensor s8
/// weights, NCHW, stride 1, `k x k` with same padding): the whole op, im2col
/// included, as a model runs it.
std::string convModule(int64_t c, int64_t h, int64_t w, int64_t o, int64_t k) {
  std::mt19937 rng(2);
  std::vector<uint8_t> wv(o * c * k * k);
  for (auto &x : wv)
    x = uint8_t(rng() % 255 + 1);
  auto dims = [](std::initializer_list<int64_t> d) {
    std::string s;
    for (int64_t x : d)
      s += std::to_string(x) + "x";
    return s;
  };
  std::string in =
      "tensor<" + dims({1, c, h, w}) + "!quant.uniform<u8:f32, 0.02:128>>";
  std::string wt =
      "tensor<" + dims({o, c, k, k}) + "!quant.uniform<i8:f32, 0.01>>";
  std::string out =
      "tensor<" + dims({1, o, h, w}) + "!quant.uniform<u8:f32, 4.0:128>>";
  int64_t p = k / 2;
  return "func.func @gemm(%a: " + in + ") -> " + out +
         " {\n  %w = qc.constant dense<" + hexBytes(wv) + "> : tensor<" +
         dims({o, c, k, k}) + "i8> -> " + wt +
         "\n  %y = qc.conv2d %a, %w {pads = array<i64: " + std::to_string(p) +
         ", " + std::to_string(p) + ", " + std::to_string(p) + ", " +
         std::to_string(p) + ">} : (" + in + ", " + wt + ") -> " + out +
         "\n  return %y : " + out + "\n}\n";
}

Compiled compile(const std::string &text, uint64_t blockBytes) {
  Compiled c;
  DialectRegistry registry;
  registerCompilerDialects(registry);
  c.context = std::make_unique<MLIRContext>(registry);
  auto module = parseSourceString<ModuleOp>(text, c.context.get());
  CompileOptions options;
  options.target = gTarget;
  options.blockBytes = blockBytes;
  std::string error;
  if (!module || failed(lowerModule(*module, options)) ||
      !(c.jit = JitModule::create(*module, *options.target, error))) {
    fprintf(stderr, "qc-bench-gemm: cannot compile: %s\n", error.c_str());
    exit(1);
  }
  c.run = c.jit->getRun("gemm");
  c.workspace = c.jit->getWorkspaceSize("gemm")();
  return c;
}

/// Realistic input data: random bytes, or for f32 inputs random normal
/// floats (constant bytes such as 0x03 repeated would be denormal floats,
/// which cost Intel cores microcode assists on every product and would
/// measure that penalty, not the kernel).
std::vector<uint8_t> randomInput(size_t bytes, bool isFloat) {
  std::mt19937 rng(3);
  std::vector<uint8_t> a(bytes);
  if (isFloat) {
    std::normal_distribution<float> d(0, 1);
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
      float f = d(rng);
      std::memcpy(a.data() + i, &f, 4);
    }
  } else {
    for (uint8_t &x : a)
      x = uint8_t(rng());
  }
  return a;
}

/// Times one compiled module doing `ops` operations per run.
void benchModule(benchmark::State &state, const std::string &text, double ops,
                 size_t inBytes, size_t outBytes, bool isFloat,
                 uint64_t blockBytes = 0) {
  Compiled c = compile(text, blockBytes);
  // Inputs, outputs and workspace on 64-byte boundaries, as a model's
  // workspace and oneDNN's buffers are: a malloc'ed input at an odd
  // multiple of 16 bytes splits every 64-byte row a kernel loads over two
  // cache lines, which made the timings depend on the heap.
  std::vector<uint8_t> a = randomInput(inBytes, isFloat);
  std::vector<uint8_t> storage(inBytes + outBytes + c.workspace + 3 * 128);
  auto align = [&](size_t offset) {
    auto p = reinterpret_cast<uintptr_t>(storage.data()) + offset;
    return reinterpret_cast<uint8_t *>((p + 63) & ~uintptr_t(63));
  };
  uint8_t *input = align(0);
  uint8_t *output = align(inBytes + 64);
  uint8_t *ws = align(inBytes + outBytes + 192);
  std::memcpy(input, a.data(), inBytes);
  const void *in[] = {input};
  void *out[] = {output};
  double seconds = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    c.run(in, out, ws);
    benchmark::ClobberMemory();
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             start)
                   .count();
    seconds += t;
    state.SetIterationTime(t);
  }
  double gops = ops * state.iterations() / seconds / 1e9;
  state.counters["GOPS"] = gops;
  if (isFloat && gFmaPeakGflops > 0)
    state.counters["of_peak"] = gops / gFmaPeakGflops;
  if (!isFloat && gPeakGops > 0)
    state.counters["of_peak"] = gops / gPeakGops;
  if (gAmxPeakGops > 0 && !isFloat)
    state.counters["of_amx_peak"] = gops / gAmxPeakGops;
}

void benchGemm(benchmark::State &state, int64_t m, int64_t n, int64_t k,
               bool isFloat, uint64_t blockBytes = 0) {
  size_t elem = isFloat ? 4 : 1;
  benchModule(state, gemmModule(m, n, k, isFloat), 2.0 * m * n * k,
              m * k * elem, m * n * elem, isFloat, blockBytes);
}

} // namespace

int main(int argc, char **argv) {
  // --target=NAME (qc's target names; default host), before Google
  // Benchmark sees the arguments.
  gTarget = &getHostTarget();
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--target=", 0) == 0) {
      gTarget = lookupTarget(arg.substr(9));
      if (!gTarget || !hostSupports(*gTarget)) {
        fprintf(stderr, "qc-bench-gemm: target '%s' is unknown or cannot run "
                        "here\n", arg.substr(9).c_str());
        return 2;
      }
      continue;
    }
    argv[kept++] = argv[i];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  gPeakGops = measurePeak();
  gAmxPeakGops = measureAmxPeak();
  gFmaPeakGflops = measureFmaPeak();
  benchmark::AddCustomContext("target", gTarget->name);
  benchmark::AddCustomContext(
      "fma_f32_peak_GFLOPS",
      gFmaPeakGflops > 0 ? std::to_string(gFmaPeakGflops) : "n/a (no FMA)");
  benchmark::AddCustomContext(
      "tdpbusd_amx_peak_GOPS",
      gAmxPeakGops > 0 ? std::to_string(gAmxPeakGops) : "n/a (no AMX)");
  benchmark::AddCustomContext(
      "vpdpbusd_zmm_peak_GOPS",
      gPeakGops > 0 ? std::to_string(gPeakGops) : "n/a (no AVX-512 VNNI)");
  struct Shape {
    const char *name;
    int64_t m, n, k;
    bool large = false;
  } shapes[] = {{"gemm_1024x1024x1024", 1024, 1024, 1024},
                {"gemv_M1_K768_N3072", 1, 3072, 768},
                {"gemm_M8_K3072_N768", 8, 768, 3072},
                {"conv_as_gemm_M3136_K576_N64", 3136, 64, 576},
                // Large shapes: operands far beyond L2, where cache blocking
                // decides the speed.
                {"gemm_2048x2048x2048", 2048, 2048, 2048, true},
                {"gemm_M4096_K4096_N1024", 4096, 1024, 4096, true}};
  for (const Shape &s : shapes) {
    for (bool isFloat : {false, true})
      benchmark::RegisterBenchmark(
          (std::string(s.name) + (isFloat ? "/f32" : "/int8")).c_str(),
          [=](benchmark::State &st) { benchGemm(st, s.m, s.n, s.k, isFloat); })
          ->Unit(benchmark::kMicrosecond)
          ->UseManualTime();
    // The baseline for the row blocking: the same kernel with all rows in
    // one block, so every column tile streams the whole of X.
    if (s.large)
      benchmark::RegisterBenchmark(
          (std::string(s.name) + "/int8_unblocked").c_str(),
          [=](benchmark::State &st) {
            benchGemm(st, s.m, s.n, s.k, false, uint64_t(1) << 40);
          })
          ->Unit(benchmark::kMicrosecond)
          ->UseManualTime();
  }
  // The convolution the conv-as-GEMM shape stands for (64 channels, 3x3,
  // 56x56: M = 64 output channels, N = 3136 pixels, K = 576), im2col
  // included: the gap to the GEMM above is the cost of im2col.
  benchmark::RegisterBenchmark("conv3x3_C64_56x56_O64/int8",
                               [](benchmark::State &st) {
                                 benchModule(st, convModule(64, 56, 56, 64, 3),
                                             2.0 * 64 * 56 * 56 * 64 * 9,
                                             64 * 56 * 56, 64 * 56 * 56,
                                             /*isFloat=*/false);
                               })
      ->Unit(benchmark::kMicrosecond)
      ->UseManualTime();
  benchmark::RegisterBenchmark("conv1x1_C256_28x28_O64/int8",
                               [](benchmark::State &st) {
                                 benchModule(st, convModule(256, 28, 28, 64, 1),
                                             2.0 * 256 * 28 * 28 * 64,
                                             256 * 28 * 28, 64 * 28 * 28,
                                             /*isFloat=*/false);
                               })
      ->Unit(benchmark::kMicrosecond)
      ->UseManualTime();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
