//===- QCReduceOps.cpp - Reductions, norms, argmax and top-k --------------===//
//
// Verifiers and quantization propagation rules of the reductions and the
// normalizations built on them. Maxima and minima keep their operand's
// parameters (quantization is monotone); every other result takes its
// calibrated range. argmax and argmin have i64 results only, and top-k's
// values keep its operand's parameters (as a maximum's); their
// canonicalizations select from the quantized values a dequantize reads
// instead (the same order, the same ties).
//
//===----------------------------------------------------------------------===//

#include "GraphOpVerifiers.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/IR/PatternMatch.h"

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

//===----------------------------------------------------------------------===//
// ArgMaxOp / ArgMinOp / TopKOp
//===----------------------------------------------------------------------===//

/// The axis of an index-valued reduction in [0, rank), after checking it.
static FailureOr<int64_t> checkedAxis(Operation *op, int64_t axis,
                                      ShapedType input) {
  if (failed(verifyAxis(op, axis, input.getRank())))
    return failure();
  if (getPerAxisType(input))
    return op->emitOpError("per-channel quantized operands are not supported");
  return axis < 0 ? axis + input.getRank() : axis;
}

template <typename OpT> static LogicalResult verifyArgExtreme(OpT op) {
  auto inType = op.getInput().getType();
  auto axis = checkedAxis(op, static_cast<int64_t>(op.getAxis()), inType);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < inType.getRank(); ++d) {
    if (d != *axis)
      expected.push_back(inType.getDimSize(d));
    else if (op.getKeepdims())
      expected.push_back(1);
  }
  if (failed(verifyQuantizedTensorType([&] { return op.emitOpError(); }, inType,
                                       "operand #0")))
    return failure();
  return verifyResultShape(op, op.getType(), expected);
}

LogicalResult ArgMaxOp::verify() { return verifyArgExtreme(*this); }
LogicalResult ArgMinOp::verify() { return verifyArgExtreme(*this); }

LogicalResult TopKOp::verify() {
  auto inType = getInput().getType();
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), inType);
  if (failed(axis))
    return failure();
  int64_t k = static_cast<int64_t>(getK());
  int64_t size = inType.getDimSize(*axis);
  if (k < 1 || k > size)
    return emitOpError("'k' (")
           << k << ") must lie in [1, " << size << "], the size of the axis";
  SmallVector<int64_t> expected(inType.getShape());
  expected[*axis] = k;
  if (failed(verifyQuantizedTensorType([&] { return emitOpError(); }, inType,
                                       "operand #0")) ||
      failed(verifyResultShape(*this, getValues().getType(), expected)) ||
      failed(verifyResultShape(*this, getIndices().getType(), expected)))
    return failure();
  if (getValues().getType().getElementType() != inType.getElementType())
    return emitOpError("values must have the input's element type ")
           << inType.getElementType();
  return success();
}

/// The values are some of the input's: its parameters (as for a maximum).
QuantRule TopKOp::getQuantRule() { return QuantRule::SameAsInput; }

namespace {

/// The per-tensor quantized value a typed qc.dequantize reads, or null:
/// dequantization with a positive scale keeps the order of its values (and
/// their ties), so selecting by value commutes with it.
Value dequantizedInput(Value v) {
  auto dq = v.getDefiningOp<DequantizeOp>();
  if (!dq || dq.getScale() || !getPerTensorType(dq.getInput().getType()))
    return {};
  return dq.getInput();
}

/// argmax(dequantize(q)) -> argmax(q): the same indices.
template <typename OpT> struct ArgExtremeOfDequantize : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Value q = dequantizedInput(op.getInput());
    if (!q)
      return rewriter.notifyMatchFailure(op, "input is not a typed per-tensor "
                                             "dequantize");
    rewriter.modifyOpInPlace(op, [&] { op.getInputMutable().assign(q); });
    return success();
  }
};

/// top_k(dequantize(q)) -> dequantize(top_k(q)) and the same indices.
struct TopKOfDequantize : OpRewritePattern<TopKOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TopKOp op,
                                PatternRewriter &rewriter) const override {
    Value q = dequantizedInput(op.getInput());
    if (!q)
      return rewriter.notifyMatchFailure(op, "input is not a typed per-tensor "
                                             "dequantize");
    auto valuesType = op.getValues().getType();
    auto top = TopKOp::create(
        rewriter, op.getLoc(),
        valuesType.clone(cast<ShapedType>(q.getType()).getElementType()),
        op.getIndices().getType(), q, op.getKAttr(), op.getAxisAttr(),
        op.getLargestAttr());
    Value values =
        DequantizeOp::create(rewriter, op.getLoc(), valuesType, top.getValues(),
                             Value(), Value(), IntegerAttr());
    rewriter.replaceOp(op, {values, top.getIndices()});
    return success();
  }
};

} // namespace

void ArgMaxOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<ArgExtremeOfDequantize<ArgMaxOp>>(context);
}

void ArgMinOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<ArgExtremeOfDequantize<ArgMinOp>>(context);
}

void TopKOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<TopKOfDequantize>(context);
}
