//===- GraphOpVerifiers.h - Checks shared by the graph op verifiers -*- C++
//-*-===//
//
// The type, shape and attribute checks that the verifiers of several graph
// op families use (defined in QCGraphOps.cpp), so that op families in files
// of their own state their rules the same way. Private to the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DIALECT_QC_IR_GRAPHOPVERIFIERS_H
#define QC_LIB_DIALECT_QC_IR_GRAPHOPVERIFIERS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace mlir::qc {

/// Checks the element types of a graph op: operands and results are either
/// all f32 or all quantized, every quantized type is valid, and only the
/// operands in `perAxisOperands` (and the results with `perAxisResult`) may
/// be quantized per axis.
LogicalResult verifyGraphTypes(Operation *op,
                               ArrayRef<unsigned> perAxisOperands = {},
                               bool perAxisResult = false);

/// Checks the shape of `resultType` against the one a verifier computed.
LogicalResult verifyResultShape(Operation *op, ShapedType resultType,
                                ArrayRef<int64_t> expected);

/// Checks 2 positive strides, 4 non-negative pads and 2 positive dilations.
LogicalResult verifyWindowAttrs(Operation *op, ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads,
                                ArrayRef<int64_t> dilations);

/// Checks the quantized form of a product: 8-bit input and weight, a weight
/// per-tensor or per-axis along `weightAxis`, and an i32 bias with zero
/// point 0 and scale input scale x weight scale. The f32 form passes.
LogicalResult verifyQuantizedProduct(Operation *op, Type inputType,
                                     Type weightType, Value bias,
                                     int64_t weightAxis);

/// Checks a product's fused output clamp: only on a per-tensor quantized
/// 8-bit result, bounds not NaN, min <= max.
LogicalResult verifyFusedClamp(Operation *op, Type result, FloatAttr min,
                               FloatAttr max);

/// Checks that `axis` lies in [-rank, rank).
LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank);

} // namespace mlir::qc

#endif // QC_LIB_DIALECT_QC_IR_GRAPHOPVERIFIERS_H
