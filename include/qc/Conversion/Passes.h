//===- Passes.h - qc conversion passes --------------------------*- C++ -*-===//
//
// Declarations of the lowering passes (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_PASSES_H
#define QC_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qc {

/// The status NAME_run returns (qc-emit-c-interface) and the generated
/// header documents.
enum RunStatus : int32_t {
  kStatusOk = 0,
  /// The inputs or outputs array, one of their entries, or a workspace the
  /// model needs is NULL; nothing was read or written.
  kStatusNullPointer = 1,
  /// The workspace is not kWorkspaceAlignment-byte aligned.
  kStatusMisalignedWorkspace = 2,
};

/// The workspace alignment NAME_run requires (what malloc gives on 64-bit
/// targets); the plan inside aligns buffers to 64 bytes from its base, so a
/// 64-byte aligned workspace is fastest.
constexpr int64_t kWorkspaceAlignment = 16;

#define GEN_PASS_DECL
#include "qc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qc/Conversion/Passes.h.inc"

} // namespace mlir::qc

#endif // QC_CONVERSION_PASSES_H
