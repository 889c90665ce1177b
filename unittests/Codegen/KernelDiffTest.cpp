//===- KernelDiffTest.cpp - Fast kernels against the reference lowering ---===//
//
// Differential tests: random quantized (and f32) matmuls and convolutions,
// random data with extreme values and zero points at both ends of the
// range, awkward shapes (M = 1, odd N, K not a multiple of 4, strides,
// padding, dilation, groups, depthwise) and shapes drawn at random from a
// fixed seed. Each case is compiled with the
// reference lowering and with every target's kernels, run, and compared
// bit for bit. x86 targets run in process (JIT) when this CPU has their
// instructions; AArch64 code is cross-compiled, linked with a C harness and
// run under qemu-aarch64.
//
//===----------------------------------------------------------------------===//

#include "qc/Codegen/Codegen.h"
#include "qc/Driver/Compiler.h"
#include "qc/Support/QuantMath.h"
#include "qc/Support/TargetDesc.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include "gtest/gtest.h"

#include <cstring>
#include <random>
#include <sstream>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#if defined(__x86_64__) && defined(__linux__)
#include <cerrno>
#include <cstddef>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#endif

using namespace mlir;
using namespace mlir::qc;

namespace {

/// One generated test function: its MLIR and the bytes of its inputs.
struct Case {
  std::string name;
  std::string mlir;
  std::vector<std::vector<uint8_t>> inputs;
  std::vector<size_t> outputSizes;
};

std::string quantType(const char *storage, double scale, int64_t zp) {
  return llvm::formatv("!quant.uniform<{0}:f32, {1:e}:{2}>", storage, scale, zp);
}

std::string perChannelType(const char *storage, int axis,
                           const std::vector<double> &scales) {
  std::string s = std::string("!quant.uniform<") + storage + ":f32:" +
                  std::to_string(axis) + ", {";
  for (size_t i = 0; i < scales.size(); ++i)
    s += llvm::formatv("{0}{1:e}", i ? "," : "", scales[i]).str();
  return s + "}>";
}

std::string shapeOf(const std::vector<int64_t> &shape) {
  std::string s;
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s;
}

/// A dense attribute of any shape from raw little-endian bytes.
std::string denseHex(const void *data, size_t bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string s = "dense<\"0x";
  auto *p = static_cast<const uint8_t *>(data);
  for (size_t i = 0; i < bytes; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s + "\">";
}

/// Integers stored as i8 (weights) or i32 (biases).
std::string denseInts(const std::vector<int64_t> &v, unsigned bits = 8) {
  std::vector<uint8_t> bytes;
  for (int64_t x : v)
    for (unsigned b = 0; b < bits / 8; ++b)
      bytes.push_back(uint8_t(uint64_t(x) >> (8 * b)));
  return denseHex(bytes.data(), bytes.size());
}

std::string denseFloats(const std::vector<float> &v) {
  return denseHex(v.data(), v.size() * sizeof(float));
}

/// Random bytes with the extremes of the type over-represented.
std::vector<uint8_t> randomBytes(std::mt19937 &rng, size_t n) {
  std::vector<uint8_t> v(n);
  std::uniform_int_distribution<int> byte(0, 255), pick(0, 9);
  for (auto &x : v) {
    int p = pick(rng);
    x = p == 0 ? 0 : p == 1 ? 255 : p == 2 ? 128 : p == 3 ? 127 : byte(rng);
  }
  return v;
}

std::vector<uint8_t> randomFloats(std::mt19937 &rng, size_t n) {
  std::vector<float> f(n);
  std::normal_distribution<float> d(0.0f, 1.0f);
  for (float &x : f)
    x = d(rng);
  std::vector<uint8_t> bytes(n * 4);
  std::memcpy(bytes.data(), f.data(), bytes.size());
  return bytes;
}

struct Generator {
  std::mt19937 rng{12345};
  std::vector<Case> cases;

  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  }

  /// When set, the next products get a fused output clamp (ReLU-, ReLU6- or
  /// Clip-like bounds inside the storage range, some on .5 boundaries).
  bool withClamp = false;

  /// The fused clamp attributes for an output of scale `so`, zero point
  /// `zo` (", clamp_min = ..., clamp_max = ..."), or "".
  std::string clampAttrs(double so, int64_t zo) {
    if (!withClamp)
      return "";
    auto bound = [&](int64_t q, bool half) {
      return llvm::formatv("{0:e}", so * (double(q - zo) + (half ? 0.5 : 0.0)))
          .str();
    };
    switch (uniform(0, 2)) {
    case 0: // ReLU: the real 0, the zero point in storage.
      return ", clamp_min = 0.0 : f32";
    case 1:
      return ", clamp_max = " + bound(uniform(100, 200), true) + " : f32";
    default:
      return ", clamp_min = " + bound(uniform(20, 90), uniform(0, 1)) +
             " : f32, clamp_max = " + bound(uniform(150, 240), uniform(0, 1)) +
             " : f32";
    }
  }

  /// Activation zero points at the ends of the range, or in between.
  int64_t activationZp(bool isSigned) {
    int64_t lo = isSigned ? -128 : 0, hi = isSigned ? 127 : 255;
    switch (uniform(0, 3)) {
    case 0:
      return lo;
    case 1:
      return hi;
    default:
      return uniform(lo, hi);
    }
  }

  std::vector<int64_t> weights(size_t n) {
    std::vector<int64_t> w(n);
    for (auto &x : w) {
      int64_t p = uniform(0, 9);
      x = p == 0 ? -128 : p == 1 ? 127 : uniform(-128, 127);
    }
    return w;
  }

  /// An output scale that keeps most results inside the 8-bit range: the
  /// accumulator's spread is about 128 * 128 * sqrt(K) / 2.
  double outputScale(double accScale, int64_t depth) {
    return accScale * 128.0 * 128.0 * std::sqrt(double(depth)) / 300.0;
  }

  void addMatMul(int64_t m, int64_t n, int64_t k, bool signedAct,
                 bool perChannel, bool bias, bool exactI32 = false) {
    const char *act = signedAct ? "i8" : "u8";
    double sx = 0.02 + 0.01 * uniform(0, 10);
    int64_t zx = activationZp(signedAct);
    std::vector<double> sw(perChannel ? n : 1);
    for (double &s : sw)
      s = 0.001 * uniform(1, 50);
    if (exactI32) {
      sx = 1.0;
      sw.assign(1, 1.0);
    }
    std::string wType = perChannel ? perChannelType("i8", 1, sw)
                                   : quantType("i8", sw[0], 0);
    double so = exactI32 ? 1.0 : outputScale(sx * sw[0], k);
    int64_t zo = exactI32 ? 0 : uniform(0, 255);
    std::string outType =
        exactI32 ? quantType("i32", 1.0, 0) : quantType("u8", so, zo);
    std::string clamp = exactI32 ? "" : clampAttrs(so, zo);
    if (!clamp.empty())
      clamp = " {" + clamp.substr(2) + "}";
    std::string inType = quantType(act, sx, zx);
    std::string name = "case" + std::to_string(cases.size());
    std::ostringstream s;
    s << "func.func @" << name << "(%a: tensor<" << m << "x" << k << "x"
      << inType << ">) -> tensor<" << m << "x" << n << "x" << outType
      << "> {\n";
    s << "  %w = qc.constant " << denseInts(weights(k * n)) << " : tensor<" << k
      << "x" << n << "xi8> -> tensor<" << k << "x" << n << "x" << wType
      << ">\n";
    std::string operands = "%a, %w";
    std::string types = "tensor<" + std::to_string(m) + "x" +
                        std::to_string(k) + "x" + inType + ">, tensor<" +
                        std::to_string(k) + "x" + std::to_string(n) + "x" +
                        wType + ">";
    if (bias) {
      std::vector<double> bs;
      for (double w : sw)
        bs.push_back(sx * w);
      std::string bType = perChannel ? perChannelType("i32", 0, bs)
                                     : quantType("i32", bs[0], 0);
      std::vector<int64_t> bv(n);
      for (auto &x : bv)
        x = uniform(-100000, 100000);
      s << "  %b = qc.constant " << denseInts(bv, 32) << " : tensor<" << n
        << "xi32> -> tensor<" << n << "x" << bType << ">\n";
      operands += ", %b";
      types += ", tensor<" + std::to_string(n) + "x" + bType + ">";
    }
    s << "  %y = qc.matmul " << operands << clamp << " : (" << types
      << ") -> tensor<" << m << "x" << n << "x" << outType << ">\n";
    s << "  return %y : tensor<" << m << "x" << n << "x" << outType << ">\n}\n";
    cases.push_back({name, s.str(), {randomBytes(rng, m * k)},
                     {size_t(m * n * (exactI32 ? 4 : 1))}});
  }

  void addConv(std::vector<int64_t> in, int64_t o, int64_t kh, int64_t kw,
               int64_t groups, std::vector<int64_t> strides,
               std::vector<int64_t> pads, std::vector<int64_t> dilations,
               bool signedAct, bool perChannel, bool bias) {
    int64_t n = in[0], c = in[1], h = in[2], w = in[3], cg = c / groups;
    auto outDim = [](int64_t x, int64_t k, int64_t s, int64_t p0, int64_t p1,
                     int64_t d) { return (x + p0 + p1 - d * (k - 1) - 1) / s + 1; };
    int64_t oh = outDim(h, kh, strides[0], pads[0], pads[2], dilations[0]);
    int64_t ow = outDim(w, kw, strides[1], pads[1], pads[3], dilations[1]);
    const char *act = signedAct ? "i8" : "u8";
    double sx = 0.02 + 0.01 * uniform(0, 10);
    int64_t zx = activationZp(signedAct);
    std::vector<double> sw(perChannel ? o : 1);
    for (double &s : sw)
      s = 0.001 * uniform(1, 50);
    std::string wType = perChannel ? perChannelType("i8", 0, sw)
                                   : quantType("i8", sw[0], 0);
    int64_t depth = cg * kh * kw;
    double so = outputScale(sx * sw[0], depth);
    int64_t zo = uniform(0, 255);
    std::string outType = quantType("u8", so, zo);
    std::string clamp = clampAttrs(so, zo);
    std::string inType = quantType(act, sx, zx);
    std::string name = "case" + std::to_string(cases.size());
    std::string inT = "tensor<" + shapeOf(in) + inType + ">";
    std::string wT = "tensor<" + shapeOf({o, cg, kh, kw}) + wType + ">";
    std::string outT = "tensor<" + shapeOf({n, o, oh, ow}) + outType + ">";
    std::ostringstream s;
    s << "func.func @" << name << "(%x: " << inT << ") -> " << outT << " {\n";
    s << "  %w = qc.constant " << denseInts(weights(o * depth)) << " : tensor<"
      << shapeOf({o, cg, kh, kw}) << "i8> -> " << wT << "\n";
    std::string operands = "%x, %w", types = inT + ", " + wT;
    if (bias) {
      std::vector<double> bs;
      for (double x : sw)
        bs.push_back(sx * x);
      std::string bType = perChannel ? perChannelType("i32", 0, bs)
                                     : quantType("i32", bs[0], 0);
      std::vector<int64_t> bv(o);
      for (auto &x : bv)
        x = uniform(-100000, 100000);
      s << "  %b = qc.constant " << denseInts(bv, 32) << " : tensor<" << o
        << "xi32> -> tensor<" << o << "x" << bType << ">\n";
      operands += ", %b";
      types += ", tensor<" + std::to_string(o) + "x" + bType + ">";
    }
    s << "  %y = qc.conv2d " << operands
      << llvm::formatv(" {{strides = array<i64: {0}, {1}>, pads = array<i64: "
                       "{2}, {3}, {4}, {5}>, dilations = array<i64: {6}, {7}>, "
                       "groups = {8} : i64{9}}",
                       strides[0], strides[1], pads[0], pads[1], pads[2],
                       pads[3], dilations[0], dilations[1], groups, clamp)
             .str()
      << " : (" << types << ") -> " << outT << "\n";
    s << "  return %y : " << outT << "\n}\n";
    cases.push_back({name, s.str(), {randomBytes(rng, n * c * h * w)},
                     {size_t(n * o * oh * ow)}});
  }

  /// `clamp`: the attributes of a qc.clamp after the product ("" for
  /// none), which the kernels fuse into their epilogue.
  void addFloatMatMul(int64_t m, int64_t n, int64_t k,
                      const std::string &clamp = "") {
    std::vector<float> w(k * n), b(n);
    std::normal_distribution<float> d(0.0f, 1.0f);
    for (float &x : w)
      x = d(rng);
    for (float &x : b)
      x = d(rng);
    std::string name = "case" + std::to_string(cases.size());
    std::ostringstream s;
    s << "func.func @" << name << "(%a: tensor<" << m << "x" << k
      << "xf32>) -> tensor<" << m << "x" << n << "xf32> {\n"
      << "  %w = arith.constant " << denseFloats(w) << " : tensor<" << k << "x"
      << n << "xf32>\n"
      << "  %b = arith.constant " << denseFloats(b) << " : tensor<" << n
      << "xf32>\n"
      << "  %y = qc.matmul %a, %w, %b : (tensor<" << m << "x" << k
      << "xf32>, tensor<" << k << "x" << n << "xf32>, tensor<" << n
      << "xf32>) -> tensor<" << m << "x" << n << "xf32>\n";
    std::string outT =
        "tensor<" + std::to_string(m) + "x" + std::to_string(n) + "xf32>";
    s << clampThen(clamp, outT);
    cases.push_back(
        {name, s.str(), {randomFloats(rng, m * k)}, {size_t(m * n * 4)}});
  }

  /// The end of a case's function: `%y` returned, or clamped first.
  static std::string clampThen(const std::string &clamp,
                               const std::string &type) {
    if (clamp.empty())
      return "  return %y : " + type + "\n}\n";
    return "  %z = qc.clamp %y " + clamp + " : " + type +
           "\n  return %z : " + type + "\n}\n";
  }

  void addFloatConv(std::vector<int64_t> in, int64_t o, int64_t k,
                    int64_t groups, int64_t stride, int64_t pad,
                    const std::string &clamp = "") {
    int64_t n = in[0], c = in[1], h = in[2], w = in[3], cg = c / groups;
    int64_t oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
    std::vector<float> wv(o * cg * k * k), b(o);
    std::normal_distribution<float> d(0.0f, 1.0f);
    for (float &x : wv)
      x = d(rng);
    for (float &x : b)
      x = d(rng);
    std::string name = "case" + std::to_string(cases.size());
    std::string inT = "tensor<" + shapeOf(in) + "f32>";
    std::string wT = "tensor<" + shapeOf({o, cg, k, k}) + "f32>";
    std::string outT = "tensor<" + shapeOf({n, o, oh, ow}) + "f32>";
    std::ostringstream s;
    s << "func.func @" << name << "(%x: " << inT << ") -> " << outT << " {\n"
      << "  %w = arith.constant " << denseFloats(wv) << " : " << wT << "\n"
      << "  %b = arith.constant " << denseFloats(b) << " : tensor<" << o
      << "xf32>\n"
      << llvm::formatv("  %y = qc.conv2d %x, %w, %b {{strides = array<i64: "
                       "{0}, {0}>, pads = array<i64: {1}, {1}, {1}, {1}>, "
                       "groups = {2} : i64} : ",
                       stride, pad, groups)
             .str()
      << "(" << inT << ", " << wT << ", tensor<" << o << "xf32>) -> " << outT
      << "\n"
      << clampThen(clamp, outT);
    cases.push_back({name, s.str(), {randomFloats(rng, n * c * h * w)},
                     {size_t(n * o * oh * ow * 4)}});
  }

  /// Max pooling, u8, i8 or f32: by default 2x2 with stride 2 (the
  /// small-image fast path where two rows fit a vector), else a k x k
  /// window with the given stride, padding and dilation (the fast path
  /// vectorized over output columns, or the generic loops for narrow
  /// outputs).
  void addMaxPool(std::vector<int64_t> in, const char *storage,
                  int64_t kernel = 2, int64_t stride = 2, int64_t pad = 0,
                  int64_t dilation = 1) {
    bool isFloat = std::string(storage) == "f32";
    std::string element =
        isFloat ? "f32" : quantType(storage, 0.05, uniform(0, 100));
    auto size = [&](int64_t x) {
      return (x + 2 * pad - (kernel - 1) * dilation - 1) / stride + 1;
    };
    std::vector<int64_t> out = {in[0], in[1], size(in[2]), size(in[3])};
    std::string inT = "tensor<" + shapeOf(in) + element + ">";
    std::string outT = "tensor<" + shapeOf(out) + element + ">";
    std::string name = "case" + std::to_string(cases.size());
    std::ostringstream s;
    s << "func.func @" << name << "(%x: " << inT << ") -> " << outT << " {\n"
      << llvm::formatv("  %y = qc.max_pool2d %x {{kernel = array<i64: {0}, "
                       "{0}>, strides = array<i64: {1}, {1}>, pads = "
                       "array<i64: {2}, {2}, {2}, {2}>, dilations = "
                       "array<i64: {3}, {3}>} : (",
                       kernel, stride, pad, dilation)
             .str()
      << inT << ") -> " << outT << "\n  return %y : " << outT << "\n}\n";
    int64_t n = in[0] * in[1] * in[2] * in[3];
    cases.push_back(
        {name,
         s.str(),
         {isFloat ? randomFloats(rng, n) : randomBytes(rng, n)},
         {size_t(out[0] * out[1] * out[2] * out[3] * (isFloat ? 4 : 1))}});
  }

  /// Global average pooling (the vectorized sum over each plane), with
  /// input zero point `zpIn` (at the ends of the range too); the output
  /// scale, 0.9 of the input's, keeps most means inside the range.
  void addGlobalAvgPool(std::vector<int64_t> in, const char *storage,
                        int64_t zpIn) {
    std::string inT =
        "tensor<" + shapeOf(in) + quantType(storage, 0.05, zpIn) + ">";
    std::string outT = "tensor<" + shapeOf({in[0], in[1], 1, 1}) +
                       quantType(storage, 0.045, zpIn) + ">";
    std::string name = "case" + std::to_string(cases.size());
    std::ostringstream s;
    s << "func.func @" << name << "(%x: " << inT << ") -> " << outT << " {\n"
      << "  %y = qc.avg_pool2d %x {kernel = array<i64: " << in[2] << ", "
      << in[3] << ">} : (" << inT << ") -> " << outT
      << "\n  return %y : " << outT << "\n}\n";
    int64_t n = in[0] * in[1] * in[2] * in[3];
    cases.push_back(
        {name, s.str(), {randomBytes(rng, n)}, {size_t(in[0] * in[1])}});
  }

  /// A unary op from 8 bits to 8 bits (a 256-entry table; 64 bytes at a
  /// time on AVX-512 VBMI), `op` being e.g. "qc.activation hard_swish".
  /// With `channelScales`, a qc.activation takes random per-channel
  /// in_scales and out_scales (a table per channel).
  void addTable(const std::string &op, std::vector<int64_t> shape,
                const char *inStorage, int64_t zpIn, const char *outStorage,
                int64_t zpOut, bool channelScales = false) {
    std::string inT =
        "tensor<" + shapeOf(shape) + quantType(inStorage, 0.04, zpIn) + ">";
    std::string outT =
        "tensor<" + shapeOf(shape) + quantType(outStorage, 0.03, zpOut) + ">";
    std::string name = "case" + std::to_string(cases.size());
    std::ostringstream s;
    s << "func.func @" << name << "(%x: " << inT << ") -> " << outT << " {\n"
      << "  %y = " << op << " %x ";
    if (channelScales) {
      for (const char *attr : {"in_scales", "out_scales"}) {
        s << (attr[0] == 'i' ? "{" : ", ") << attr << " = array<f32: ";
        for (int64_t c = 0; c < shape[1]; ++c)
          s << (c ? ", " : "")
            << llvm::formatv("{0:e}", uniform(5, 400) * 0.01).str();
        s << ">";
      }
      s << "} ";
    }
    s << ": (" << inT << ") -> " << outT << "\n  return %y : " << outT
      << "\n}\n";
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    cases.push_back({name, s.str(), {randomBytes(rng, n)}, {size_t(n)}});
  }

  /// The last case's product (an 8-bit conv or matmul returning %y): its
  /// result type, that type's shape prefix ("1x8x6x6x") and u8 scale.
  struct Product {
    std::string type, shape;
    double scale;
  };
  Product lastProduct() {
    const std::string &m = cases.back().mlir;
    size_t ret = m.rfind("  return %y : ");
    size_t end = m.find('\n', ret);
    Product p;
    p.type = m.substr(ret + 14, end - ret - 14);
    size_t open = p.type.find("!quant.uniform<u8:f32, ");
    p.scale = std::stod(p.type.substr(open + 23));
    p.shape = p.type.substr(7, open - 7);
    return p;
  }

  /// Makes the last case's product 16-bit, its u8 scale divided by
  /// `divisor`, zero point `zp`; returns the new type.
  std::string widenProduct(const Product &p, double divisor, int64_t zp) {
    std::string &m = cases.back().mlir;
    std::string wideT =
        "tensor<" + p.shape + quantType("i16", p.scale / divisor, zp) + ">";
    for (size_t at = m.find(p.type); at != std::string::npos;
         at = m.find(p.type, at + wideT.size()))
      m.replace(at, p.type.size(), wideT);
    return wideT;
  }

  /// Appends to the last case (an 8-bit conv or matmul) a qc.add of its
  /// result and a new input tensor of its shape (u8 or i8 storage, the
  /// product first or second), which qc-select-kernels fuses into the
  /// product's epilogue. With `wideDivisor`, the product is i16 instead,
  /// with its u8 scale divided by it and zero point `wideZp` (the wide sums
  /// of qc-infer-scales; a large divisor saturates the i16 range).
  void addResidual(const char *storage, bool productFirst,
                   double wideDivisor = 0, int64_t wideZp = 0) {
    Product p = lastProduct();
    double so = p.scale;
    const std::string &shape = p.shape;
    std::string outT =
        wideDivisor ? widenProduct(p, wideDivisor, wideZp) : p.type;
    Case &c = cases.back();
    size_t ret = c.mlir.rfind("  return %y : ");
    bool isSigned = std::string(storage) == "i8";
    std::string resT =
        "tensor<" + shape +
        quantType(storage, so * 0.01 * uniform(50, 150),
                  isSigned ? uniform(-128, 127) : uniform(0, 255)) +
        ">";
    std::string sumT =
        "tensor<" + shape +
        quantType("u8", so * 0.01 * uniform(120, 200), uniform(60, 190)) + ">";
    std::string lhs = productFirst ? "%y" : "%r",
                rhs = productFirst ? "%r" : "%y";
    std::string lhsT = productFirst ? outT : resT,
                rhsT = productFirst ? resT : outT;
    c.mlir = c.mlir.substr(0, ret) + "  %z = qc.add " + lhs + ", " + rhs +
             " : (" + lhsT + ", " + rhsT + ") -> " + sumT +
             "\n  return %z : " + sumT + "\n}\n";
    // The residual becomes the function's second argument.
    size_t sig = c.mlir.find(") -> ");
    c.mlir = c.mlir.substr(0, sig) + ", %r: " + resT + ") -> " + sumT +
             c.mlir.substr(c.mlir.find(" {\n", sig));
    c.inputs.push_back(randomBytes(rng, c.outputSizes[0]));
  }

  /// Appends to the last case (an 8-bit conv or matmul) a qc.activation
  /// `kind` (with `attrs`, e.g. "{alpha = ...}") of its result, quantized to
  /// `storage`; the product becomes i16 with its u8 scale divided by
  /// `wideDivisor` and zero point `wideZp` (the wide result qc-infer-scales
  /// gives a product that feeds an activation), which qc-select-kernels
  /// fuses into the product's epilogue.
  void addActivation(const std::string &kind, const char *storage,
                     double wideDivisor, int64_t wideZp,
                     const std::string &attrs = "") {
    Product p = lastProduct();
    double so = p.scale;
    const std::string &shape = p.shape;
    std::string wideT = widenProduct(p, wideDivisor, wideZp);
    Case &c = cases.back();
    size_t ret = c.mlir.rfind("  return %y : ");
    bool isSigned = std::string(storage) == "i8";
    std::string actT =
        "tensor<" + shape +
        quantType(storage, so * 0.01 * uniform(30, 120),
                  isSigned ? uniform(-128, 127) : uniform(0, 255)) +
        ">";
    c.mlir = c.mlir.substr(0, ret) + "  %z = qc.activation " + kind + " %y " +
             (attrs.empty() ? "" : attrs + " ") + ": (" + wideT + ") -> " +
             actT + "\n  return %z : " + actT + "\n}\n";
    size_t sig = c.mlir.find(") -> ");
    c.mlir = c.mlir.substr(0, sig) + ") -> " + actT +
             c.mlir.substr(c.mlir.find(" {\n", sig));
  }

  /// Makes the last case's product (an 8-bit conv or matmul returning %y)
  /// 16-bit: its u8 scale divided by `divisor`, zero point `zp`. No user
  /// takes it in an epilogue, so the kernel stores the 16-bit values.
  void makeWideResult(double divisor, int64_t zp) {
    widenProduct(lastProduct(), divisor, zp);
    cases.back().outputSizes[0] *= 2;
  }

  /// Appends to the last case (an f32 conv or matmul returning %y) a
  /// qc.activation `kind` (with `attrs`) of its result, then optionally a
  /// qc.clamp (`clamp`): the kernel applies both to its sums.
  void addFloatActivation(const std::string &kind, const std::string &attrs,
                          const std::string &clamp = "") {
    Case &c = cases.back();
    size_t ret = c.mlir.rfind("  return %y : ");
    size_t end = c.mlir.find('\n', ret);
    std::string outT = c.mlir.substr(ret + 14, end - ret - 14);
    std::string tail = "  %f = qc.activation " + kind + " %y " +
                       (attrs.empty() ? "" : attrs + " ") + ": (" + outT +
                       ") -> " + outT + "\n";
    if (clamp.empty())
      tail += "  return %f : " + outT + "\n}\n";
    else
      tail += "  %z = qc.clamp %f " + clamp + " : " + outT +
              "\n  return %z : " + outT + "\n}\n";
    c.mlir = c.mlir.substr(0, ret) + tail;
  }

  /// Appends to the last case (an f32 conv or matmul returning %y) a
  /// qc.add of its result and a new f32 input of its shape (the product
  /// first or second), then optionally a qc.clamp (`clamp`): the kernel
  /// adds the residual to its sums, then clamps.
  void addFloatResidual(bool productFirst, const std::string &clamp = "") {
    Case &c = cases.back();
    size_t ret = c.mlir.rfind("  return %y : ");
    size_t end = c.mlir.find('\n', ret);
    std::string outT = c.mlir.substr(ret + 14, end - ret - 14);
    std::string lhs = productFirst ? "%y" : "%r",
                rhs = productFirst ? "%r" : "%y";
    std::string tail = "  %s = qc.add " + lhs + ", " + rhs + " : (" + outT +
                       ", " + outT + ") -> " + outT + "\n";
    if (clamp.empty())
      tail += "  return %s : " + outT + "\n}\n";
    else
      tail += "  %z = qc.clamp %s " + clamp + " : " + outT +
              "\n  return %z : " + outT + "\n}\n";
    c.mlir = c.mlir.substr(0, ret) + tail;
    size_t sig = c.mlir.find(") -> ");
    c.mlir = c.mlir.substr(0, sig) + ", %r: " + outT + ") -> " +
             c.mlir.substr(sig + 5);
    c.inputs.push_back(randomFloats(rng, c.outputSizes[0] / 4));
  }

  void build() {
    // Matmul: awkward and ordinary shapes, both activation types, weight
    // granularities and biases.
    const int64_t shapes[][3] = {{1, 1, 1},   {1, 17, 5},   {3, 33, 7},
                                 {8, 48, 64}, {13, 100, 33}, {1, 200, 96},
                                 {2, 7, 3},   {37, 71, 129}, {9, 64, 256},
                                 {70, 40, 300}};
    int i = 0;
    for (auto &sh : shapes) {
      addMatMul(sh[0], sh[1], sh[2], /*signedAct=*/i % 2 == 1,
                /*perChannel=*/i % 3 != 0, /*bias=*/i % 4 != 3);
      addMatMul(sh[0], sh[1], sh[2], i % 2 == 0, i % 3 == 0, i % 4 == 3);
      ++i;
    }
    addMatMul(4, 9, 13, false, false, true, /*exactI32=*/true);
    // Convolutions: 1x1, 3x3 padded, strided, dilated, grouped, depthwise,
    // batch 2, odd sizes.
    addConv({1, 8, 5, 5}, 16, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false, true, true);
    addConv({1, 3, 9, 9}, 8, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false, true, true);
    addConv({2, 5, 11, 7}, 6, 3, 3, 1, {2, 2}, {1, 0, 1, 2}, {1, 1}, true, false, true);
    addConv({1, 4, 10, 10}, 5, 3, 3, 1, {1, 1}, {2, 2, 2, 2}, {2, 2}, false, true, false);
    addConv({1, 8, 6, 6}, 12, 3, 3, 4, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, true, true);
    addConv({1, 16, 8, 8}, 16, 3, 3, 16, {1, 1}, {1, 1, 1, 1}, {1, 1}, false, true, true);
    addConv({2, 6, 9, 9}, 6, 3, 3, 6, {2, 2}, {1, 1, 1, 1}, {1, 1}, true, false, true);
    addConv({1, 7, 13, 5}, 3, 5, 3, 1, {3, 1}, {2, 1, 0, 1}, {1, 2}, false, false, false);
    // Depthwise: chunks of output pixels with an overlapping last chunk
    // (37 wide), narrow rows (3 and 5 wide), strides 2 and 3 (the general
    // path), dilation, 5x5 windows, i8 and u8 activations.
    addConv({1, 5, 6, 37}, 5, 3, 3, 5, {1, 1}, {1, 1, 1, 1}, {1, 1}, false, true, true);
    addConv({2, 4, 7, 40}, 4, 3, 3, 4, {2, 2}, {1, 1, 1, 1}, {1, 1}, true, true, true);
    addConv({1, 3, 9, 31}, 3, 3, 3, 3, {3, 3}, {0, 2, 1, 0}, {1, 1}, false, false, true);
    addConv({1, 6, 11, 20}, 6, 3, 3, 6, {1, 1}, {2, 2, 2, 2}, {2, 2}, true, true, false);
    addConv({1, 4, 9, 5}, 4, 5, 5, 4, {1, 1}, {2, 2, 2, 2}, {1, 1}, false, true, true);
    addConv({1, 4, 3, 3}, 4, 3, 3, 4, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, false, true);
    // Random shapes (fixed seed): sizes around and between the tile sizes,
    // every option of the convolution drawn independently.
    for (int r = 0; r < 6; ++r)
      addMatMul(uniform(1, 24), uniform(1, 100), uniform(1, 200),
                uniform(0, 1), uniform(0, 1), uniform(0, 1));
    for (int r = 0; r < 5; ++r) {
      int64_t groups = uniform(1, 3);
      int64_t c = groups * uniform(1, 5), o = groups * uniform(1, 6);
      int64_t kh = uniform(1, 3), kw = uniform(1, 3);
      int64_t dh = uniform(1, 2), dw = uniform(1, 2);
      // At least one output pixel: the input covers the dilated kernel.
      int64_t h = uniform(dh * (kh - 1) + 1, 12), w = uniform(dw * (kw - 1) + 1, 12);
      addConv({uniform(1, 2), c, h, w}, o, kh, kw, groups,
              {uniform(1, 3), uniform(1, 3)},
              {uniform(0, 2), uniform(0, 2), uniform(0, 2), uniform(0, 2)},
              {dh, dw}, uniform(0, 1), uniform(0, 1), uniform(0, 1));
    }
    // f32 kernels must equal the reference bit for bit too.
    addFloatMatMul(1, 37, 11);
    addFloatMatMul(7, 40, 64);
    addFloatMatMul(50, 37, 20);
    addFloatConv({1, 3, 9, 9}, 10, 3, 1, 1, 1);
    addFloatConv({1, 4, 8, 8}, 4, 3, 4, 2, 1);
    addFloatConv({1, 6, 7, 29}, 6, 3, 6, 1, 1); // depthwise, overlapping chunk
    addFloatConv({2, 3, 9, 18}, 3, 5, 3, 2, 2); // depthwise, stride 2
    // im2col's data movement: rows wider than one 64-byte (16-float) vector
    // take the whole-vector copy and fill loops as well as the masked tail;
    // 1x1 stride-1 convolutions pack their input directly (grouped, s8,
    // K % 4 != 0, batch 2, more pixels than one column tile).
    addConv({1, 3, 5, 150}, 8, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addConv({1, 2, 4, 140}, 4, 3, 3, 1, {1, 2}, {1, 1, 1, 1}, {1, 1}, true,
            false, true);
    addConv({1, 2, 3, 70}, 5, 1, 5, 1, {1, 1}, {0, 70, 0, 66}, {1, 1}, false,
            true, false);
    addConv({2, 6, 9, 10}, 10, 1, 1, 2, {1, 1}, {0, 0, 0, 0}, {1, 1}, true,
            true, true);
    addConv({1, 20, 12, 12}, 24, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            false, true);
    addFloatConv({1, 5, 3, 70}, 6, 1, 1, 1, 0);
    addFloatConv({1, 2, 4, 40}, 3, 3, 1, 1, 1);
    // AMX tiles (x86-64-amx, for products of >= 16 rows, >= 32 columns and
    // K >= 64; the other targets run them too): 16 and 32 row tiles with an
    // overlapping last tile (33, 50 rows), K a multiple of 64 read in place
    // and K padded to 64 (70, 96, 129, 144, 288), column tails of the
    // 32-column tile, i8 activations (shifted), grouped and strided
    // convolutions, batch 2.
    addMatMul(64, 100, 128, false, true, true);
    addMatMul(33, 50, 64, true, false, true);
    addMatMul(16, 40, 64, false, false, false);
    addMatMul(50, 40, 70, false, true, true);
    addMatMul(40, 33, 576, true, true, true);
    addMatMul(20, 33, 129, false, false, true, /*exactI32=*/true);
    addConv({1, 64, 8, 8}, 64, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addConv({1, 96, 7, 7}, 48, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, true,
            true, true);
    addConv({2, 16, 12, 12}, 40, 3, 3, 1, {2, 2}, {1, 1, 1, 1}, {1, 1}, false,
            false, true);
    addConv({1, 64, 6, 6}, 64, 3, 3, 2, {1, 1}, {1, 1, 1, 1}, {1, 1}, true,
            true, false);
    // More output pixels than one packed chunk (256 KiB of packed input:
    // 432-448 pixels at K = 576 for int8, 432 at K = 144 for f32): the
    // pixels are packed and multiplied in several chunks, the last partial.
    addConv({1, 64, 24, 24}, 32, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addFloatConv({1, 16, 24, 24}, 8, 3, 1, 1, 1);
    addFloatConv({2, 40, 1, 1}, 72, 1, 1, 1, 0);
    // f32 clamps fused into the epilogue: ReLU, ReLU6, an upper bound
    // only; a partial column tile; K blocks (K = 2304, 8 rows per tile).
    addFloatConv({1, 8, 9, 9}, 16, 3, 1, 1, 1, "{min = 0.0 : f32}");
    addFloatConv({1, 12, 7, 7}, 24, 1, 1, 1, 0,
                 "{min = 0.0 : f32, max = 6.0 : f32}");
    addFloatMatMul(9, 37, 50, "{max = 0.5 : f32}");
    addFloatConv({1, 256, 5, 5}, 16, 3, 1, 1, 1, "{min = -0.25 : f32}");
    // f32 residual adds fused into the epilogue, then a ReLU: a 3x3
    // convolution (the product as either operand), a 1x1 with a partial
    // column tile, K blocks, a matmul, one without a clamp.
    addFloatConv({1, 16, 14, 14}, 24, 3, 1, 1, 1);
    addFloatResidual(true, "{min = 0.0 : f32}");
    addFloatConv({2, 12, 7, 7}, 20, 1, 1, 1, 0);
    addFloatResidual(false, "{min = 0.0 : f32}");
    addFloatConv({1, 256, 5, 5}, 16, 3, 1, 1, 1);
    addFloatResidual(true, "{min = 0.0 : f32, max = 6.0 : f32}");
    addFloatMatMul(9, 37, 50);
    addFloatResidual(false);
    // K blocks without a clamp: the residual is added on the last block
    // only (it was added once per block).
    addFloatConv({1, 256, 5, 5}, 16, 3, 1, 1, 1);
    addFloatResidual(false);
    // Fused output clamps (ReLU, ReLU6, Clip folded into the product):
    // matmul, convolution, 1x1 and depthwise.
    withClamp = true;
    for (int r = 0; r < 4; ++r)
      addMatMul(uniform(1, 20), uniform(1, 70), uniform(1, 90), uniform(0, 1),
                uniform(0, 1), uniform(0, 1));
    addConv({1, 6, 7, 9}, 10, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addConv({1, 16, 10, 10}, 32, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addMatMul(48, 64, 256, false, true, true);
    addConv({2, 8, 6, 6}, 12, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, true,
            false, true);
    addConv({1, 8, 9, 9}, 8, 3, 3, 8, {2, 2}, {1, 1, 1, 1}, {1, 1}, false, true,
            true);
    addConv({1, 6, 5, 5}, 6, 3, 3, 6, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, false,
            false);
    // 1x1 convolutions of a 1x1 image (squeeze-excite), which become
    // matmuls of [N][C] by the transposed weights: batch 1 and 3, K not a
    // multiple of 4, with the clamp; f32 below.
    addConv({1, 72, 1, 1}, 24, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    addConv({3, 30, 1, 1}, 120, 1, 1, 1, {2, 2}, {0, 0, 0, 0}, {1, 1}, true,
            false, false);
    // Residual adds fused into the epilogue: convolutions (3x3 chunked,
    // 1x1, a partial column tile), matmuls, u8 and i8 residuals, the
    // product as either operand.
    addConv({1, 16, 14, 14}, 24, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addResidual("u8", true);
    addConv({2, 32, 7, 7}, 40, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    addResidual("i8", false);
    addConv({1, 8, 9, 11}, 20, 3, 3, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true,
            false, true);
    addResidual("u8", false);
    addMatMul(37, 71, 129, false, true, true);
    addResidual("u8", true);
    addMatMul(5, 48, 20, true, false, false);
    addResidual("i8", true);
    withClamp = false;
    // The same with the product quantized to i16 (the sum type of a
    // residual add): random zero points and ones at the ends of the range,
    // scales that keep the sums inside it and ones that saturate them.
    // Each shares its GEMM kernel with the 8-bit case of its shape, with
    // other output zero points: LLVM then specializes the kernel for the
    // 49 columns of the 7x7 images but not for the zero point, the form in
    // which its x86 back end stored 4 bytes for the 1-column tail (see
    // storeBytesMasked).
    addConv({1, 16, 14, 14}, 24, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addResidual("u8", true, 200, uniform(-3000, 3000));
    addConv({2, 32, 7, 7}, 40, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    addResidual("i8", false, 1500, -32768);
    addConv({1, 8, 9, 11}, 20, 3, 3, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true,
            false, true);
    addResidual("u8", false, 2000, 32767);
    addMatMul(37, 71, 129, false, true, true);
    addResidual("u8", true, 256, 0);
    addMatMul(5, 48, 20, true, false, false);
    addResidual("i8", true, 900, uniform(-20000, 20000));
    // Activations fused into the epilogue of a product requantized to i16
    // (the wide result of a product feeding an activation): every kind,
    // hard_sigmoid with its own slope and offset, the affine epilogue,
    // u8 and i8 results, zero points at the ends of the i16 range and
    // scales that saturate it; 3x3 chunked, 1x1 with a partial column tile,
    // grouped, matmuls (the 7x7 images share kernels with the cases above).
    addConv({1, 16, 14, 14}, 24, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addActivation("hard_swish", "u8", 200, uniform(-3000, 3000));
    addConv({2, 32, 7, 7}, 40, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    addActivation("silu", "i8", 1500, -32768);
    addConv({1, 8, 9, 11}, 20, 3, 3, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true,
            false, true);
    addActivation("gelu", "u8", 2000, 32767);
    addMatMul(37, 71, 129, false, true, true);
    addActivation("gelu_tanh", "u8", 256, 0);
    addMatMul(5, 48, 20, true, false, false);
    addActivation("mish", "i8", 900, uniform(-20000, 20000));
    addMatMul(9, 64, 256, false, true, true);
    addActivation("hard_sigmoid", "u8", 300, uniform(-100, 100),
                  "{alpha = 0.25 : f32, beta = 0.375 : f32}");
    addConv({1, 12, 7, 7}, 24, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    addActivation("hard_swish", "u8", 400, uniform(-500, 500),
                  "{scale = 1.25 : f32, shift = -0.5 : f32}");
    // Squeeze-excite: a 1x1 convolution of a 1x1 image (a matmul and a
    // reshape back), then hard_sigmoid.
    addConv({2, 72, 1, 1}, 24, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    addActivation("hard_sigmoid", "u8", 100, uniform(-1000, 1000),
                  "{alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32}");
    // Depthwise: on vpdpbusd (u8 input; several rows per vector, 3x3 and
    // 5x5, stride 2) and the general kernel (i8 input, a dilation).
    addConv({1, 16, 7, 7}, 16, 3, 3, 16, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addActivation("hard_swish", "u8", 300, uniform(-2000, 2000));
    addConv({1, 24, 20, 20}, 24, 5, 5, 24, {2, 2}, {2, 2, 2, 2}, {1, 1}, false,
            true, true);
    addActivation("gelu", "i8", 1000, -32768);
    addConv({2, 8, 13, 13}, 8, 3, 3, 8, {1, 1}, {2, 2, 2, 2}, {2, 2}, true,
            false, true);
    addActivation("silu", "u8", 150, 32767);
    // 16-bit products stored as they are (their user does not take them
    // in an epilogue): zero points at the ends of the i16 range and scales
    // that saturate it; 3x3 chunked, 1x1 with a partial column tile (49
    // columns), grouped, matmuls with partial tiles, depthwise on vpdpbusd
    // (several rows per vector; 5x5 stride 2) and the general kernel (i8
    // input, a dilation).
    addConv({1, 16, 14, 14}, 24, 3, 3, 1, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    makeWideResult(200, uniform(-3000, 3000));
    addConv({2, 32, 7, 7}, 40, 1, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false,
            true, true);
    makeWideResult(1500, -32768);
    addConv({1, 8, 9, 11}, 20, 3, 3, 2, {2, 2}, {1, 1, 1, 1}, {1, 1}, true,
            false, true);
    makeWideResult(2000, 32767);
    addMatMul(37, 71, 129, false, true, true);
    makeWideResult(256, 0);
    addMatMul(5, 48, 20, true, false, false);
    makeWideResult(900, uniform(-20000, 20000));
    addConv({1, 16, 7, 7}, 16, 3, 3, 16, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    makeWideResult(300, uniform(-2000, 2000));
    addConv({1, 24, 20, 20}, 24, 5, 5, 24, {2, 2}, {2, 2, 2, 2}, {1, 1}, false,
            true, true);
    makeWideResult(1000, -32768);
    addConv({2, 8, 13, 13}, 8, 3, 3, 8, {1, 1}, {2, 2, 2, 2}, {2, 2}, true,
            false, true);
    makeWideResult(150, 32767);
    // f32: the function of each sum, then a clamp where given; a partial
    // column tile, K blocks (K = 2304), a matmul, the affine epilogue.
    addFloatConv({1, 8, 9, 9}, 16, 3, 1, 1, 1);
    addFloatActivation("hard_swish", "");
    addFloatConv({1, 12, 7, 7}, 24, 1, 1, 1, 0);
    addFloatActivation("gelu", "", "{min = -0.1 : f32, max = 2.0 : f32}");
    addFloatConv({1, 256, 5, 5}, 16, 3, 1, 1, 1);
    addFloatActivation("silu", "{scale = 0.75 : f32, shift = 0.125 : f32}");
    addFloatMatMul(9, 37, 50);
    addFloatActivation("mish", "");
    addFloatMatMul(13, 64, 40);
    addFloatActivation("hard_sigmoid", "{alpha = 0.2 : f32, beta = 0.5 : f32}");
    addFloatMatMul(4, 33, 17);
    addFloatActivation("gelu_tanh", "");
    addFloatConv({1, 16, 12, 12}, 16, 3, 16, 1, 1);
    addFloatActivation("hard_swish", "{scale = 0.5 : f32}");
    addFloatConv({1, 8, 11, 11}, 8, 5, 8, 2, 2);
    addFloatActivation("mish", "");
    // Depthwise on vpdpbusd (u8 input, VNNI + VBMI targets): several
    // output rows per vector (7x7, 3x3, 7x7 from stride 2), one row per
    // vector with an overlapping last one (14, 20 and 112 columns), 3x3,
    // 5x5 and 7x7 kernels (two groups of 4 taps), strides 1 and 2.
    addConv({1, 16, 7, 7}, 16, 3, 3, 16, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, true);
    addConv({1, 8, 14, 14}, 8, 5, 5, 8, {2, 2}, {2, 2, 2, 2}, {1, 1}, false,
            true, true);
    addConv({1, 4, 28, 28}, 4, 3, 3, 4, {2, 2}, {1, 1, 1, 1}, {1, 1}, false,
            false, true);
    addConv({1, 3, 5, 112}, 3, 3, 3, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, false,
            true, false);
    addConv({2, 5, 3, 3}, 5, 5, 5, 5, {1, 1}, {2, 2, 2, 2}, {1, 1}, false, true,
            true);
    addConv({1, 6, 20, 20}, 6, 5, 5, 6, {1, 1}, {2, 2, 2, 2}, {1, 1}, false,
            false, true);
    addConv({1, 4, 10, 10}, 4, 7, 7, 4, {1, 1}, {3, 3, 3, 3}, {1, 1}, false,
            true, true);
    // Max pooling: blocks of two rows that fill a vector exactly (several
    // per vector, with and without a remainder of blocks), rows too wide
    // for the fast path, and odd sizes it does not take.
    addMaxPool({2, 3, 8, 8}, "u8");
    addMaxPool({1, 3, 6, 8}, "u8");
    addMaxPool({1, 5, 4, 4}, "i8");
    addMaxPool({2, 2, 16, 16}, "u8");
    addMaxPool({1, 2, 8, 32}, "i8");
    addMaxPool({1, 2, 4, 64}, "u8");
    addMaxPool({2, 3, 6, 10}, "u8");
    addMaxPool({2, 3, 8, 8}, "f32");
    addMaxPool({1, 3, 6, 4}, "f32");
    addMaxPool({1, 1, 7, 9}, "u8");
    // Vectorized over output columns: ResNet's 3x3/2 padded pool (56
    // outputs: whole vectors and an overlapping last one), stride 1, a
    // dilated window, unpadded stride 1 (no copy), a 5x5 window, widths of
    // exactly one vector.
    addMaxPool({1, 3, 112, 112}, "u8", 3, 2, 1);
    addMaxPool({1, 2, 112, 112}, "f32", 3, 2, 1);
    addMaxPool({2, 3, 30, 30}, "i8", 3, 2, 1);
    addMaxPool({1, 3, 20, 20}, "f32", 3, 1, 1);
    addMaxPool({1, 2, 24, 40}, "u8", 3, 1, 2, 2);
    addMaxPool({1, 4, 19, 21}, "f32", 2, 1, 0);
    addMaxPool({1, 2, 17, 33}, "i8", 5, 1, 2);
    addMaxPool({1, 2, 16, 32}, "f32", 3, 2, 1);
    addMaxPool({1, 2, 18, 66}, "u8", 3, 1, 0);
    // Global average pooling: planes shorter than a vector, with a tail,
    // and whole vectors; zero points inside and at the ends.
    addGlobalAvgPool({1, 24, 7, 7}, "u8", 3);
    addGlobalAvgPool({2, 5, 1, 1}, "u8", 255);
    addGlobalAvgPool({1, 3, 56, 56}, "u8", 0);
    addGlobalAvgPool({1, 4, 14, 14}, "i8", -128);
    addGlobalAvgPool({1, 6, 3, 5}, "i8", 127);
    // 8-bit tables: whole 64-byte vectors, a masked tail, fewer than 64
    // bytes; unsigned and signed storage on either side.
    addTable("qc.activation hard_swish", {1, 16, 12, 12}, "u8", 100, "u8", 20);
    addTable("qc.activation hard_swish", {1, 3, 5, 7}, "i8", -5, "i8", -100);
    addTable("qc.sigmoid", {2, 40}, "i8", 0, "u8", 0);
    addTable("qc.tanh", {1, 2, 17, 9}, "u8", 128, "i8", 0);
    addTable("qc.activation gelu", {1, 64}, "u8", 255, "u8", 0);
    // A table per channel: planes of whole vectors and a tail, planes
    // shorter than a vector in two batches, signed storage.
    addTable("qc.activation hard_swish", {1, 6, 12, 12}, "u8", 100, "u8", 20,
             true);
    addTable("qc.activation hard_swish", {2, 3, 5, 7}, "i8", -5, "u8", 255,
             true);
    addTable("qc.activation silu", {1, 4, 64}, "u8", 0, "i8", -128, true);
  }

  std::string module() const {
    std::string s;
    for (const Case &c : cases)
      s += c.mlir;
    return s;
  }
};

/// Outputs of every case, in order, concatenated.
using Outputs = std::vector<std::vector<uint8_t>>;

std::optional<Outputs> runJit(const Generator &gen, const TargetDesc &target,
                              bool reference, std::string &error,
                              uint64_t blockBytes = 0) {
  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.disableMultithreading();
  auto module = parseSourceString<ModuleOp>(gen.module(), &context);
  if (!module) {
    error = "generated module does not parse";
    return std::nullopt;
  }
  CompileOptions options;
  options.target = &target;
  options.reference = reference;
  options.blockBytes = blockBytes;
  if (failed(lowerModule(*module, options))) {
    error = "lowering failed";
    return std::nullopt;
  }
  auto jit = JitModule::create(*module, *options.target, error);
  if (!jit)
    return std::nullopt;
  Outputs outputs;
  for (const Case &c : gen.cases) {
    auto run = jit->getRun(c.name);
    auto size = jit->getWorkspaceSize(c.name);
    if (!run || !size) {
      error = "missing entry points for " + c.name;
      return std::nullopt;
    }
    std::vector<uint8_t> ws(size() + 64, 0xAB);
    std::vector<uint8_t> out(c.outputSizes[0], 0xCD);
    std::vector<const void *> in;
    for (const auto &bytes : c.inputs)
      in.push_back(bytes.data());
    void *outs[] = {out.data()};
    if (run(in.data(), outs, ws.data()) != 0) {
      error = "run failed for " + c.name;
      return std::nullopt;
    }
    outputs.push_back(std::move(out));
  }
  return outputs;
}

const Outputs &referenceOutputs(const Generator &gen) {
  static Outputs ref = [&] {
    std::string error;
    auto outs = runJit(gen, getHostTarget(), /*reference=*/true, error);
    if (!outs) {
      ADD_FAILURE() << "reference: " << error;
      return Outputs();
    }
    return *outs;
  }();
  return ref;
}

const Generator &generator() {
  static Generator gen = [] {
    Generator g;
    g.build();
    return g;
  }();
  return gen;
}

void expectEqual(const Generator &gen, const Outputs &ref, const Outputs &got,
                 llvm::StringRef target) {
  ASSERT_EQ(ref.size(), got.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    size_t diffs = 0, first = 0;
    for (size_t j = 0; j < ref[i].size(); ++j)
      if (ref[i][j] != got[i][j] && diffs++ == 0)
        first = j;
    EXPECT_EQ(diffs, 0u) << target.str() << ": " << gen.cases[i].name
                         << " differs in " << diffs << " of " << ref[i].size()
                         << " bytes, first at " << first << "\n"
                         << gen.cases[i].mlir.substr(0, 400);
  }
}

class KernelDiffTest : public ::testing::TestWithParam<const char *> {};

/// Whether Linux lets this process use AMX tiles (the generated code asks
/// the same; without them its AMX kernels fall back to VNNI, which would
/// test VNNI twice).
bool amxGranted() {
#if defined(__x86_64__) && defined(__linux__)
  const long archReqXcompPerm = 0x1023, xfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, archReqXcompPerm, xfeatureXtiledata) == 0;
#else
  return false;
#endif
}

/// Skips the test where `target` cannot run here.
#define SKIP_UNLESS_RUNNABLE(target)                                           \
  do {                                                                         \
    if (!hostSupports(*target))                                                \
      GTEST_SKIP() << target->name << " instructions are not available here";  \
    if (target->amx && !amxGranted())                                          \
      GTEST_SKIP() << "no AMX tiles for this process (not in CPUID, or "       \
                      "arch_prctl ARCH_REQ_XCOMP_PERM refused)";               \
  } while (false)

TEST_P(KernelDiffTest, MatchesReferenceBitForBit) {
  const TargetDesc *target = lookupTarget(GetParam());
  ASSERT_NE(target, nullptr);
  SKIP_UNLESS_RUNNABLE(target);
  const Generator &gen = generator();
  const Outputs &ref = referenceOutputs(gen);
  ASSERT_FALSE(ref.empty());
  // The outputs are not all saturated: the test can see a wrong result.
  size_t interior = 0, total = 0;
  for (const auto &o : ref)
    for (uint8_t v : o) {
      interior += v != 0 && v != 255;
      ++total;
    }
  EXPECT_GT(interior, total / 2);
  std::string error;
  auto got = runJit(gen, *target, /*reference=*/false, error);
  ASSERT_TRUE(got.has_value()) << error;
  expectEqual(gen, ref, *got, target->name);
}

/// A tiny cache budget splits the rows of the larger GEMMs into several
/// blocks (of one or more row tiles) plus a tail block: e.g. 37 x 129 into
/// blocks of 16 rows and a tail of 5, 70 x 300 into blocks of one tile.
TEST_P(KernelDiffTest, MatchesReferenceWithSmallCacheBlocks) {
  const TargetDesc *target = lookupTarget(GetParam());
  ASSERT_NE(target, nullptr);
  SKIP_UNLESS_RUNNABLE(target);
  const Generator &gen = generator();
  const Outputs &ref = referenceOutputs(gen);
  ASSERT_FALSE(ref.empty());
  std::string error;
  auto got = runJit(gen, *target, /*reference=*/false, error,
                    /*blockBytes=*/2100);
  ASSERT_TRUE(got.has_value()) << error;
  expectEqual(gen, ref, *got, target->name + " (blocks of 2100 bytes)");
}

#if defined(__x86_64__) && defined(__linux__)
/// Makes arch_prctl(ARCH_REQ_XCOMP_PERM, ...) fail with EPERM in this
/// process, as a restrictive seccomp policy would; nothing else changes.
bool refuseAmxPermission() {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_arch_prctl, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
               offsetof(struct seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x1023, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog program = {
      static_cast<unsigned short>(sizeof(filter) / sizeof(filter[0])), filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0 &&
         syscall(SYS_arch_prctl, 0x1023, 18) == -1 && errno == EPERM;
}

/// Where the OS refuses the tile state, code for x86-64-amx runs its VNNI
/// fallback and gives the reference's bytes. Runs in a child process (a
/// death test) whose seccomp filter refuses the request; needs AVX-512
/// VNNI only, so it also runs on hosts without AMX.
TEST(KernelDiffTest, AmxRefusedFallsBackToVnni) {
  if (!hostSupports(*lookupTarget("x86-64-avx512vnni")))
    GTEST_SKIP() << "the fallback needs AVX-512 VNNI";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Generator &gen = generator();
  const Outputs &ref = referenceOutputs(gen);
  ASSERT_FALSE(ref.empty());
  EXPECT_EXIT(
      {
        if (!refuseAmxPermission())
          _exit(3);
        std::string error;
        auto got = runJit(gen, *lookupTarget("x86-64-amx"),
                          /*reference=*/false, error);
        if (!got)
          _exit(2);
        _exit(*got == ref ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "")
      << "exit 1: outputs differ, 2: compile or run failed, 3: the seccomp "
         "filter could not be installed";
}
#endif

INSTANTIATE_TEST_SUITE_P(X86, KernelDiffTest,
                         ::testing::Values("host", "x86-64-amx",
                                           "x86-64-avx512vnni",
                                           "x86-64-avxvnni", "x86-64-avx2"));

/// Finds a program on PATH or in LLVM 22's directory.
std::optional<std::string> findTool(llvm::StringRef name) {
  if (auto p = llvm::sys::findProgramByName(name))
    return *p;
  if (auto p = llvm::sys::findProgramByName(name, {"/usr/lib/llvm-22/bin"}))
    return *p;
  return std::nullopt;
}

TEST(KernelDiffTest, AArch64DotProdUnderQemu) {
  auto clang = findTool("clang-22");
  auto qemu = findTool("qemu-aarch64");
  if (!clang || !qemu || !llvm::sys::fs::exists("/usr/aarch64-linux-gnu/lib"))
    GTEST_SKIP() << "needs clang-22, qemu-aarch64 and the arm64 cross libc";
  const Generator &gen = generator();
  const Outputs &ref = referenceOutputs(gen);
  ASSERT_FALSE(ref.empty());

  // Compile the cases for AArch64 into an object file.
  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  auto module = parseSourceString<ModuleOp>(gen.module(), &context);
  ASSERT_TRUE(module);
  const TargetDesc *target = lookupTarget("aarch64-dotprod");
  CompileOptions options;
  options.target = target;
  ASSERT_TRUE(succeeded(lowerModule(*module, options)));
  std::string error;
  auto tm = createTargetMachine(*target, error);
  ASSERT_TRUE(tm) << error;
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateToLLVMIR(*module, llvmContext, *tm, error);
  ASSERT_TRUE(llvmModule) << error;

  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qc-aarch64", dir));
  auto path = [&](llvm::StringRef file) {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, file);
    return std::string(p);
  };
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path("cases.o"), ec);
    ASSERT_FALSE(ec);
    ASSERT_TRUE(succeeded(emitCode(*llvmModule, *tm, CodeKind::Object, os, error)));
  }
  // Check that the dot product instructions are really there: a CPU
  // without them (qemu -cpu cortex-a53) would have to fault.
  {
    std::string asmText;
    llvm::raw_string_ostream os(asmText);
    llvm::SmallVector<char> buffer;
    llvm::raw_svector_ostream sv(buffer);
    llvm::LLVMContext ctx2;
    auto m2 = translateToLLVMIR(*module, ctx2, *tm, error);
    ASSERT_TRUE(succeeded(emitCode(*m2, *tm, CodeKind::Assembly, sv, error)));
    EXPECT_NE(llvm::StringRef(buffer.data(), buffer.size()).find("sdot"),
              llvm::StringRef::npos);
  }
  // The harness: runs every case on inputs read from a file.
  {
    std::error_code ec;
    llvm::raw_fd_ostream c(path("harness.c"), ec);
    ASSERT_FALSE(ec);
    c << "#include <stdio.h>\n#include <stdlib.h>\n#include <stdint.h>\n";
    for (const Case &k : gen.cases)
      c << "int " << k.name << "_run(const void *const *, void *const *, void *);\n"
        << "uint64_t " << k.name << "_workspace_size(void);\n";
    c << "int main(int argc, char **argv) {\n"
      << "  FILE *in = fopen(argv[1], \"rb\"), *out = fopen(argv[2], \"wb\");\n"
      << "  if (!in || !out) return 2;\n";
    // Every input of a case, in order, then its output.
    for (const Case &k : gen.cases) {
      size_t count = k.inputs.size();
      c << "  { const void *ins[" << count << "];\n";
      for (size_t i = 0; i < count; ++i)
        c << "    unsigned char *x" << i << " = malloc(" << k.inputs[i].size()
          << ");\n    if (fread(x" << i << ", 1, " << k.inputs[i].size()
          << ", in) != " << k.inputs[i].size() << ") return 3;\n    ins[" << i
          << "] = x" << i << ";\n";
      c << "    size_t m = " << k.outputSizes[0]
        << ";\n    unsigned char *y = malloc(m), *w = malloc(" << k.name
        << "_workspace_size() + 64);\n"
        << "    void *outs[] = {y};\n"
        << "    if (" << k.name << "_run(ins, outs, w)) return 4;\n"
        << "    fwrite(y, 1, m, out); free(y); free(w);\n";
      for (size_t i = 0; i < count; ++i)
        c << "    free(x" << i << ");\n";
      c << "  }\n";
    }
    c << "  fclose(out); return 0;\n}\n";
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream in(path("inputs.bin"), ec);
    ASSERT_FALSE(ec);
    for (const Case &k : gen.cases)
      for (const auto &bytes : k.inputs)
        in.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  }
  std::string exe = path("harness"), harness = path("harness.c"),
              object = path("cases.o"), inputs = path("inputs.bin");
  llvm::SmallVector<llvm::StringRef> link = {
      *clang, "--target=aarch64-linux-gnu", "-march=armv8.2-a+dotprod",
      "-O2", "-fuse-ld=lld", harness, object, "-o", exe};
  std::string msg;
  ASSERT_EQ(llvm::sys::ExecuteAndWait(*clang, link, std::nullopt, {}, 120, 0,
                                      &msg),
            0)
      << msg;
  std::string outFile = path("outputs.bin");
  llvm::SmallVector<llvm::StringRef> run = {*qemu, "-cpu", "max", "-L",
                                            "/usr/aarch64-linux-gnu", exe,
                                            inputs, outFile};
  ASSERT_EQ(llvm::sys::ExecuteAndWait(*qemu, run, std::nullopt, {}, 300, 0,
                                      &msg),
            0)
      << msg;
  auto buffer = llvm::MemoryBuffer::getFile(outFile);
  ASSERT_TRUE(bool(buffer));
  llvm::StringRef bytes = (*buffer)->getBuffer();
  Outputs got;
  size_t offset = 0;
  for (const Case &k : gen.cases) {
    ASSERT_LE(offset + k.outputSizes[0], bytes.size());
    got.emplace_back(bytes.begin() + offset,
                     bytes.begin() + offset + k.outputSizes[0]);
    offset += k.outputSizes[0];
  }
  expectEqual(gen, ref, got, "aarch64-dotprod");
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
