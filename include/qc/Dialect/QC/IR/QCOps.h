//===- QCOps.h - qc dialect operations --------------------------*- C++ -*-===//
//
// The qc operations (see QCOps.td for their semantics).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCOPS_H
#define QC_DIALECT_QC_IR_QCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qc/Dialect/QC/IR/QCAttrs.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCInterfaces.h"

#include "qc/Dialect/QC/IR/QCEnums.h.inc"

#define GET_OP_CLASSES
#include "qc/Dialect/QC/IR/QCOps.h.inc"

#endif // QC_DIALECT_QC_IR_QCOPS_H
