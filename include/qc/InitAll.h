//===- InitAll.h - Register every dialect and pass qc uses ------*- C++ -*-===//
//
// One place that lists the dialects qc parses and the passes it registers,
// shared by qopt, the qc driver and the tests.
//
//===----------------------------------------------------------------------===//

#ifndef QC_INITALL_H
#define QC_INITALL_H

#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::qc {

/// Adds the qc dialect and the upstream dialects qc programs use.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<QCDialect, quant::QuantDialect, func::FuncDialect,
                  arith::ArithDialect, tensor::TensorDialect,
                  linalg::LinalgDialect, memref::MemRefDialect,
                  scf::SCFDialect, math::MathDialect, vector::VectorDialect,
                  LLVM::LLVMDialect>();
}

/// Registers the qc passes and pipelines and the upstream passes worth
/// running between them (canonicalize, cse, ...).
inline void registerAllPasses() {
  registerQCPasses();
  registerQCConversionPasses();
  registerQCPipelines();
}

} // namespace mlir::qc

#endif // QC_INITALL_H
