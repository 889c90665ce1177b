//===- TargetDesc.h - Code generation targets as data -----------*- C++ -*-===//
//
// Each target qc generates code for is one TargetDesc: the LLVM triple, CPU
// and features, and what the kernel generator needs to know (vector width,
// dot-product instruction, register count, micro-tile shape). Adding a target
// means adding a row here, not code paths elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef QC_SUPPORT_TARGETDESC_H
#define QC_SUPPORT_TARGETDESC_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::qc {

/// The instruction an int8 micro-kernel accumulates with.
enum class DotKind {
  /// No int8 dot product: kernels are plain loops.
  None,
  /// x86 `vpdpbusd` on zmm (AVX-512 VNNI): u8 x s8, 4 products per i32 lane.
  Vnni512,
  /// x86 `{vex} vpdpbusd` on ymm (AVX-VNNI): u8 x s8, 4 products per lane.
  Vnni256,
  /// x86 AVX2 without VNNI: u8 and s8 widened to i16, `vpmaddwd` adds 2
  /// products per i32 lane (no 16-bit saturation is possible).
  MAddWd256,
  /// AArch64 `sdot` (dot product extension): s8 x s8, 4 products per lane.
  NeonSDot,
};

struct TargetDesc {
  /// The name users pass to --target.
  std::string name;
  /// LLVM target triple, CPU and feature string for code generation.
  std::string triple;
  std::string cpu;
  std::string features;
  /// The int8 dot instruction and the vector register width it works on.
  DotKind dot = DotKind::None;
  unsigned vectorBits = 128;
  /// Architectural vector registers (bounds the micro-tile).
  unsigned vectorRegisters = 16;
  /// Consecutive K values per 32-bit lane of the packed weights.
  unsigned kGroup = 4;
  /// Whether the kernel's broadcast/vector operands take signed activations
  /// (sdot: u8 activations are shifted by -128 and the shift compensated).
  bool signedActivations = false;
  /// Default int8 micro-tile: rows x vectors of columns.
  unsigned rows = 1;
  unsigned vectors = 1;
  /// f32 micro-tile (FMA kernels).
  unsigned f32Rows = 1;
  unsigned f32Vectors = 1;
  /// Bytes of the broadcast operand (rows of X) a GEMM row block keeps in
  /// cache while every column tile passes over it: about half the L2.
  unsigned blockBytes = 128 * 1024;
  /// Intel AMX-INT8 tiles (tdpbusd/tdpbsud) for the integer products with
  /// enough rows; the other layers, and every layer where the OS refuses
  /// the tile state at run time, take the `dot` kernels.
  bool amx = false;
  /// AVX-512 VBMI (`vpermi2b`): 256-entry byte tables are looked up 64
  /// bytes at a time from four zmm registers.
  bool vbmi = false;

  unsigned lanes() const { return vectorBits / 32; }
  bool isX86() const { return llvm::StringRef(triple).starts_with("x86_64"); }
  bool isAArch64() const {
    return llvm::StringRef(triple).starts_with("aarch64");
  }
};

/// The targets by name: x86-64-amx, x86-64-avx512vnni, x86-64-avxvnni,
/// x86-64-avx2, aarch64-dotprod, x86-64 (baseline SSE2, no int8 kernels),
/// aarch64 (baseline NEON, no int8 kernels) and host (the best of these this
/// CPU runs). Returns null for an unknown name.
const TargetDesc *lookupTarget(llvm::StringRef name);

/// The target `host` resolves to on this machine.
const TargetDesc &getHostTarget();

/// The names lookupTarget accepts, for help texts and errors.
llvm::ArrayRef<llvm::StringRef> getTargetNames();

/// Whether the CPU this process runs on can execute code for `target`
/// (x86-64-amx: any AVX-512 VNNI CPU with VBMI, where AMX is missing or
/// refused its code runs the VNNI fallback).
bool hostSupports(const TargetDesc &target);

} // namespace mlir::qc

#endif // QC_SUPPORT_TARGETDESC_H
