//===- TargetDesc.cpp - Code generation targets as data -------------------===//
//
// The table of targets and the detection of the host's.
//
//===----------------------------------------------------------------------===//

#include "qc/Support/TargetDesc.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir::qc;

static const TargetDesc &avx512vnni() {
  static const TargetDesc t = [] {
    TargetDesc d;
    d.name = "x86-64-avx512vnni";
    d.triple = "x86_64-unknown-linux-gnu";
    d.cpu = "x86-64-v4";
    d.features = "+avx512vnni";
    d.dot = DotKind::Vnni512;
    d.vectorBits = 512;
    d.vectorRegisters = 32;
    d.kGroup = 4;
    // 8 x 3 accumulators (24 zmm) + 3 weight vectors + 1 broadcast: enough
    // independent vpdpbusd chains for latency 4 at 2 per cycle.
    d.rows = 8;
    d.vectors = 3;
    d.f32Rows = 8;
    d.f32Vectors = 3;
    d.blockBytes = 512 * 1024; // L2 of 1 MiB and more on these cores
    return d;
  }();
  return t;
}

/// AVX-512 VNNI plus AMX-INT8 tiles (Sapphire Rapids and later): the
/// products with at least 16 rows run on tiles, the rest on VNNI.
static const TargetDesc &amx() {
  static const TargetDesc t = [] {
    TargetDesc d = avx512vnni();
    d.name = "x86-64-amx";
    // Every CPU with AMX has AVX-512 VBMI.
    d.features = "+avx512vnni,+avx512vbmi,+amx-tile,+amx-int8";
    d.amx = true;
    d.vbmi = true;
    // Two MiB of L2 per core on these CPUs.
    d.blockBytes = 1024 * 1024;
    return d;
  }();
  return t;
}

static const TargetDesc &avxvnni() {
  static const TargetDesc t = [] {
    TargetDesc d;
    d.name = "x86-64-avxvnni";
    d.triple = "x86_64-unknown-linux-gnu";
    d.cpu = "x86-64-v3";
    d.features = "+avxvnni";
    d.dot = DotKind::Vnni256;
    d.vectorBits = 256;
    d.vectorRegisters = 16;
    d.kGroup = 4;
    d.rows = 6; // 12 accumulators + 2 weights + 1 broadcast = 15 ymm
    d.vectors = 2;
    d.f32Rows = 6;
    d.f32Vectors = 2;
    d.blockBytes = 512 * 1024;
    return d;
  }();
  return t;
}

static const TargetDesc &avx2() {
  static const TargetDesc t = [] {
    TargetDesc d;
    d.name = "x86-64-avx2";
    d.triple = "x86_64-unknown-linux-gnu";
    d.cpu = "x86-64-v3";
    d.features = "";
    d.dot = DotKind::MAddWd256;
    d.vectorBits = 256;
    d.vectorRegisters = 16;
    d.kGroup = 2; // i16 pairs per i32 lane
    d.rows = 4;   // 8 accumulators + 2 weights + broadcast + product = 12
    d.vectors = 2;
    d.f32Rows = 6;
    d.f32Vectors = 2;
    return d;
  }();
  return t;
}

static const TargetDesc &aarch64dotprod() {
  static const TargetDesc t = [] {
    TargetDesc d;
    d.name = "aarch64-dotprod";
    d.triple = "aarch64-unknown-linux-gnu";
    d.cpu = "generic";
    d.features = "+neon,+dotprod";
    d.dot = DotKind::NeonSDot;
    d.vectorBits = 128;
    d.vectorRegisters = 32;
    d.kGroup = 4;
    d.signedActivations = true;
    d.rows = 8; // 16 accumulators + 2 weights + broadcast
    d.vectors = 2;
    d.f32Rows = 8;
    d.f32Vectors = 2;
    return d;
  }();
  return t;
}

/// AArch64 without the dot product extension: NEON, no int8 kernels.
static const TargetDesc &aarch64Baseline() {
  static const TargetDesc t = [] {
    TargetDesc d;
    d.name = "aarch64";
    d.triple = "aarch64-unknown-linux-gnu";
    d.cpu = "generic";
    d.features = "+neon";
    d.dot = DotKind::None;
    d.vectorBits = 128;
    d.vectorRegisters = 32;
    d.rows = 4;
    d.vectors = 1;
    d.f32Rows = 8;
    d.f32Vectors = 2;
    return d;
  }();
  return t;
}

static const TargetDesc &baseline() {
  static const TargetDesc t = [] {
    TargetDesc d;
    d.name = "x86-64";
    d.triple = "x86_64-unknown-linux-gnu";
    d.cpu = "x86-64";
    d.features = "";
    d.dot = DotKind::None;
    d.vectorBits = 128;
    d.vectorRegisters = 16;
    d.rows = 4;
    d.vectors = 1;
    d.f32Rows = 4;
    d.f32Vectors = 2;
    return d;
  }();
  return t;
}

const TargetDesc &mlir::qc::getHostTarget() {
  static const TargetDesc host = [] {
    llvm::StringMap<bool> f = llvm::sys::getHostCPUFeatures();
    TargetDesc d;
#if defined(__aarch64__)
    d = f.lookup("dotprod") ? aarch64dotprod() : aarch64Baseline();
#else
    bool vnni512 =
        f.lookup("avx512vnni") && f.lookup("avx512bw") && f.lookup("avx512vl");
    if (vnni512 && f.lookup("amx-tile") && f.lookup("amx-int8"))
      d = amx();
    else if (vnni512)
      d = avx512vnni();
    else if (f.lookup("avxvnni"))
      d = avxvnni();
    else if (f.lookup("avx2") && f.lookup("fma"))
      d = avx2();
    else
      d = baseline();
    // AVX-512 VBMI where this CPU has it (Ice Lake, Zen 4 and later), on
    // top of the target's choices.
    if (d.vectorBits == 512 && f.lookup("avx512vbmi") && !d.vbmi) {
      d.vbmi = true;
      d.features += ",+avx512vbmi";
    }
#endif
    // Tune for the exact CPU while keeping the target's instruction choice.
    std::string cpu = llvm::sys::getHostCPUName().str();
    if (!cpu.empty() && cpu != "generic")
      d.cpu = cpu;
    d.name = "host (" + d.name + ")";
    return d;
  }();
  return host;
}

llvm::ArrayRef<llvm::StringRef> mlir::qc::getTargetNames() {
  static const llvm::StringRef names[] = {
      "host",           "x86-64-amx",  "x86-64-avx512vnni",
      "x86-64-avxvnni", "x86-64-avx2", "aarch64-dotprod",
      "x86-64",         "aarch64"};
  return names;
}

const TargetDesc *mlir::qc::lookupTarget(llvm::StringRef name) {
  if (name == "host")
    return &getHostTarget();
  if (name == "x86-64-amx")
    return &amx();
  if (name == "x86-64-avx512vnni")
    return &avx512vnni();
  if (name == "x86-64-avxvnni")
    return &avxvnni();
  if (name == "x86-64-avx2")
    return &avx2();
  if (name == "aarch64-dotprod")
    return &aarch64dotprod();
  if (name == "x86-64")
    return &baseline();
  if (name == "aarch64")
    return &aarch64Baseline();
  return nullptr;
}

bool mlir::qc::hostSupports(const TargetDesc &target) {
  llvm::StringMap<bool> f = llvm::sys::getHostCPUFeatures();
#if defined(__x86_64__)
  if (!target.isX86())
    return false;
  // What the target's CPU level implies (x86-64-v3: AVX2, FMA, BMI1/2,
  // F16C, LZCNT, MOVBE; x86-64-v4 adds AVX-512 F/BW/CD/DQ/VL).
  auto v3 = [&] {
    return f.lookup("avx2") && f.lookup("fma") && f.lookup("bmi") &&
           f.lookup("bmi2") && f.lookup("f16c") && f.lookup("lzcnt") &&
           f.lookup("movbe");
  };
  auto v4 = [&] {
    return v3() && f.lookup("avx512f") && f.lookup("avx512bw") &&
           f.lookup("avx512cd") && f.lookup("avx512dq") && f.lookup("avx512vl");
  };
  if (target.vbmi && !(v4() && f.lookup("avx512vbmi")))
    return false;
  switch (target.dot) {
  case DotKind::Vnni512:
    // x86-64-amx included: without AMX its code takes the VNNI fallback.
    return v4() && f.lookup("avx512vnni");
  case DotKind::Vnni256:
    return v3() && f.lookup("avxvnni");
  case DotKind::MAddWd256:
    return v3();
  default:
    return true;
  }
#elif defined(__aarch64__)
  return target.isAArch64() &&
         (target.dot == DotKind::None || f.lookup("dotprod"));
#else
  return false;
#endif
}
