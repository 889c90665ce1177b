//===- QCReduceOps.cpp - qc.reduce, qc.log_softmax, qc.group_norm ---------===//
//
// Verifiers and quantization propagation rules of the reductions and the
// normalizations built on them. Maxima and minima keep their operand's
// parameters (quantization is monotone); every other result takes its
// calibrated range.
//
//===----------------------------------------------------------------------===//

#include "GraphOpVerifiers.h"
#include "qc/Dialect/QC/IR/QCOps.h"

using namespace mlir;
using namespace mlir::qc;

//===----------------------------------------------------------------------===//
// ReduceOp
//===----------------------------------------------------------------------===//

bool ReduceOp::isReduced(int64_t d) {
  int64_t rank = getInput().getType().getRank();
  return llvm::any_of(getAxes(),
                      [&](int64_t a) { return (a < 0 ? a + rank : a) == d; });
}

SmallVector<int64_t> ReduceOp::getKeptShape() {
  SmallVector<int64_t> shape(getInput().getType().getShape());
  for (int64_t d = 0, e = shape.size(); d < e; ++d)
    if (isReduced(d))
      shape[d] = 1;
  return shape;
}

LogicalResult ReduceOp::verify() {
  auto inType = getInput().getType();
  int64_t rank = inType.getRank();
  if (getAxes().empty())
    return emitOpError("needs at least one axis to reduce");
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : getAxes()) {
    if (a < -rank || a >= rank)
      return emitOpError("axis ") << a << " is out of range for rank " << rank;
    int64_t n = a < 0 ? a + rank : a;
    if (reduced[n])
      return emitOpError("axis ") << a << " is repeated";
    reduced[n] = true;
  }
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      expected.push_back(inType.getDimSize(d));
    else if (getKeepdims())
      expected.push_back(1);
  }
  if (failed(verifyResultShape(*this, getType(), expected)))
    return failure();
  return verifyGraphTypes(*this);
}

QuantRule ReduceOp::getQuantRule() {
  if (getKind() == ReduceKind::Max || getKind() == ReduceKind::Min)
    return QuantRule::SameAsInput;
  return QuantRule::Free;
}

//===----------------------------------------------------------------------===//
// LogSoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult LogSoftmaxOp::verify() {
  if (failed(verifyAxis(*this, static_cast<int64_t>(getAxis()),
                        getInput().getType().getRank())))
    return failure();
  return verifyGraphTypes(*this);
}

QuantRule LogSoftmaxOp::getQuantRule() { return QuantRule::Free; }

//===----------------------------------------------------------------------===//
// GroupNormOp
//===----------------------------------------------------------------------===//

LogicalResult GroupNormOp::verify() {
  auto inType = getInput().getType();
  if (inType.getRank() < 2)
    return emitOpError("input must be [N, C, ...] (rank >= 2), got rank ")
           << inType.getRank();
  int64_t channels = inType.getDimSize(1);
  int64_t groups = static_cast<int64_t>(getGroups());
  if (groups < 1 || channels % groups != 0)
    return emitOpError("'groups' (")
           << groups << ") must be positive and divide the " << channels
           << " channels";
  for (auto [v, name] :
       {std::pair(getScale(), "scale"), std::pair(getBias(), "bias")}) {
    auto type = cast<ShapedType>(v.getType());
    if (type.getRank() != 1 ||
        (type.getDimSize(0) != channels && type.getDimSize(0) != groups))
      return emitOpError("'")
             << name << "' must be 1-D with one value per channel (" << channels
             << ") or per group (" << groups << "), got " << type;
  }
  if (getType().getShape() != inType.getShape())
    return emitOpError("result shape must match the input shape");
  if (!(getEpsilon().convertToDouble() >= 0))
    return emitOpError("'epsilon' must be non-negative");
  return verifyGraphTypes(*this);
}

QuantRule GroupNormOp::getQuantRule() { return QuantRule::Free; }
SmallVector<unsigned> GroupNormOp::getActivationOperands() { return {0}; }
