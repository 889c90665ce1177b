//===- PatternUtils.h - Helpers of the graph-level pattern passes -*- C++
//-*-===//
//
// Matching helpers shared by qc-recognize-patterns' pattern files.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_DIALECT_QC_TRANSFORMS_PATTERNUTILS_H
#define QC_LIB_DIALECT_QC_TRANSFORMS_PATTERNUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::qc::patterns {

/// The value of a constant f32 tensor whose elements are all equal (a
/// scalar, a splat, a one-element tensor).
inline std::optional<double> getScalar(Value v) {
  DenseElementsAttr data;
  if (!matchPattern(v, m_Constant(&data)) || !data.getElementType().isF32() ||
      data.getNumElements() < 1)
    return std::nullopt;
  if (data.isSplat())
    return double(data.getSplatValue<float>());
  auto values = data.getValues<float>();
  float first = *values.begin();
  for (float x : values)
    if (x != first)
      return std::nullopt;
  return double(first);
}

inline bool isF32Tensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isF32();
}

/// Whether the chain rooted at `root` may become an op on `x`: f32, and the
/// same type as the result (no broadcast hidden in the chain).
inline bool fits(Operation *root, Value x) {
  return x && isF32Tensor(x) && x.getType() == root->getResult(0).getType();
}

/// The affine foldings of qc-recognize-patterns (AffineFolding.cpp):
/// scalar and per-channel multiplications and additions after activations,
/// convolutions and matmuls.
void populateAffineFoldingPatterns(RewritePatternSet &patterns);

} // namespace mlir::qc::patterns

#endif // QC_LIB_DIALECT_QC_TRANSFORMS_PATTERNUTILS_H
