//===- QCAttrs.h - Calibration statistics and scheme attributes -*- C++ -*-===//
//
// #qc.stats (what calibration observed of a value) and #qc.scheme (what was
// chosen for a weight).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCATTRS_H
#define QC_DIALECT_QC_IR_QCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "qc/Support/QuantMath.h"

#include <optional>

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/QC/IR/QCAttrs.h.inc"

#endif // QC_DIALECT_QC_IR_QCATTRS_H
