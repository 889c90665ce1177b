//===- QCDialect.h - The qc dialect -----------------------------*- C++ -*-===//
//
// Declares the qc dialect. Include QCOps.h for its operations and QCAttrs.h
// for its attributes.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCDIALECT_H
#define QC_DIALECT_QC_IR_QCDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Dialect.h"

#include "qc/Dialect/QC/IR/QCOpsDialect.h.inc"

#endif // QC_DIALECT_QC_IR_QCDIALECT_H
