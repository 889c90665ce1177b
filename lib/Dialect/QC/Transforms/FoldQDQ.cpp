//===- FoldQDQ.cpp - Fold quantize/dequantize pairs into integer ops ------===//
//
// qc-fold-qdq: the patterns that turn a graph in QDQ form (float ops between
// qc.dequantize and qc.quantize) into ops on !quant.uniform tensors, remove
// or merge the remaining conversions, and quantize constants at compile time.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qc {
#define GEN_PASS_DEF_QCFOLDQDQ
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

/// Whether a quantize/dequantize has its parameters in its type.
template <typename OpT> static bool isTyped(OpT op) { return !op.getScale(); }

/// Quantizes float `values` (row-major, `shape`) to the storage integers of
/// `type` (per-tensor or per-axis), as a dense attribute of the storage
/// integer type.
static DenseElementsAttr quantizeValues(ArrayRef<float> values,
                                        ArrayRef<int64_t> shape,
                                        quant::QuantizedType type) {
  SmallVector<QuantParams> params = getQuantParams(type);
  StorageRange range = getStorageRange(type);
  int64_t axis = 0, inner = 1;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    axis = perAxis.getQuantizedDimension();
    for (size_t d = axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
  }
  unsigned bits = type.getStorageTypeIntegralWidth();
  SmallVector<APInt> storage;
  storage.reserve(values.size());
  for (size_t i = 0, e = values.size(); i < e; ++i) {
    const QuantParams &p =
        params.size() == 1 ? params.front()
                           : params[(i / inner) % shape[axis]];
    int64_t q = quantize(values[i], float(p.scale), p.zeroPoint, range);
    storage.push_back(APInt(bits, uint64_t(q), /*isSigned=*/true,
                            /*implicitTrunc=*/true));
  }
  auto attrType =
      RankedTensorType::get(shape, getStorageIntegerType(type));
  return DenseElementsAttr::get(attrType, storage);
}

namespace {

/// quantize(arith.constant) with a typed result becomes a qc.constant of
/// storage integers: weights and biases are quantized at compile time.
struct QuantizeConstant : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isTyped(op))
      return rewriter.notifyMatchFailure(op, "runtime parameters");
    DenseElementsAttr data;
    if (!matchPattern(op.getInput(), m_Constant(&data)))
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    SmallVector<float> values(data.getValues<float>());
    auto type = op.getOutput().getType();
    auto storage = quantizeValues(values, type.getShape(),
                                  getQuantElementType(type));
    rewriter.replaceOpWithNewOp<ConstantOp>(op, type, storage);
    return success();
  }
};

/// quantize(dequantize(x)): x itself when the types agree, else a
/// requantization.
struct QuantizeOfDequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto dq = op.getInput().getDefiningOp<DequantizeOp>();
    if (!dq || !isTyped(dq) || !isTyped(op))
      return rewriter.notifyMatchFailure(op, "not a typed quantize(dequantize)");
    if (dq.getInput().getType() == op.getType())
      rewriter.replaceOp(op, dq.getInput());
    else
      rewriter.replaceOpWithNewOp<RequantizeOp>(op, op.getType(),
                                                dq.getInput());
    return success();
  }
};

/// Whether `op` applied to dequantized values of type `element` equals the
/// dequantization of the op applied to the storage integers. The ops
/// SinkDequantize is used for move values, with two exceptions: a resize
/// does so in nearest mode only (linear and cubic round their
/// interpolation onto the grid), and a constant pad only when the
/// parameters represent its value exactly.
static bool movesValuesExactly(Operation *op, quant::QuantizedType element) {
  if (auto resize = dyn_cast<ResizeOp>(op))
    return resize.getMode() == "nearest";
  if (auto pad = dyn_cast<PadOp>(op); pad && pad.getMode() == "constant") {
    auto type = dyn_cast<quant::UniformQuantizedType>(element);
    if (!type)
      return false;
    float value = pad.getValue().convertToFloat(),
          scale = float(type.getScale());
    int64_t q =
        quantize(value, scale, type.getZeroPoint(), getStorageRange(type));
    return dequantize(q, scale, type.getZeroPoint()) == value;
  }
  return true;
}

/// op(dequantize(x)) -> dequantize(op(x)) for the ops that only move or
/// select values (reshape, transpose, slice, max pooling, pad, nearest
/// resize, broadcast, gather): with a positive
/// scale they commute with dequantization exactly, and moving the
/// dequantize down lets the consumer fold (e.g. a Flatten between a
/// quantized pooling and a Gemm, or a transposed Gemm weight, as ONNX
/// exporters write them). Per-axis parameters follow a transpose; other
/// ops take per-tensor parameters only.
template <typename OpT>
struct SinkDequantize : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto dq = op->getOperand(0).template getDefiningOp<DequantizeOp>();
    if (!dq || !isTyped(dq))
      return rewriter.notifyMatchFailure(op, "input is not a typed dequantize");
    auto resultType = cast<RankedTensorType>(op.getType());
    if (isQuantized(resultType))
      return rewriter.notifyMatchFailure(op, "already quantized");
    quant::QuantizedType element = getQuantElementType(dq.getInput().getType());
    if (!movesValuesExactly(op, element))
      return rewriter.notifyMatchFailure(op, "does not commute exactly with "
                                             "dequantization");
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
      if constexpr (!std::is_same_v<OpT, TransposeOp>) {
        return rewriter.notifyMatchFailure(op, "per-axis parameters");
      } else {
        // Result dim j is input dim perm[j].
        ArrayRef<int64_t> perm = op.getPerm();
        int64_t axis = perAxis.getQuantizedDimension();
        int64_t newAxis = llvm::find(perm, axis) - perm.begin();
        element = quant::UniformQuantizedPerAxisType::get(
            perAxis.getFlags(), perAxis.getStorageType(),
            perAxis.getExpressedType(), perAxis.getScales(),
            perAxis.getZeroPoints(), int32_t(newAxis),
            perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
      }
    }
    OperationState state(op.getLoc(), op->getName());
    state.addOperands(dq.getInput());
    state.addTypes(resultType.clone(element));
    state.addAttributes(op->getAttrs());
    if (op->getPropertiesStorageSize())
      state.propertiesAttr = op->getPropertiesAsAttribute();
    Operation *moved = rewriter.create(state);
    {
      ScopedDiagnosticHandler silence(op.getContext(),
                                      [](Diagnostic &) { return success(); });
      if (failed(mlir::verify(moved))) {
        rewriter.eraseOp(moved);
        return rewriter.notifyMatchFailure(op, "quantized form does not "
                                               "verify");
      }
    }
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, resultType,
                                              moved->getResult(0), Value(),
                                              Value(), IntegerAttr());
    return success();
  }
};

/// requantize(requantize(x)) -> requantize(x): one rounding instead of two.
struct MergeRequantizeChain : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<RequantizeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a requantize");
    if (inner.getInput().getType() == op.getType())
      rewriter.replaceOp(op, inner.getInput());
    else
      rewriter.replaceOpWithNewOp<RequantizeOp>(op, op.getType(),
                                                inner.getInput());
    return success();
  }
};

/// A quantized clamp whose bounds, rounded into the storage domain, cover
/// the whole storage range changes nothing.
struct RemoveIdentityClamp : OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    auto type = getPerTensorType(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not a per-tensor quantized clamp");
    StorageRange range = getStorageRange(type);
    float scale = float(type.getScale());
    int64_t zp = type.getZeroPoint();
    if (auto lo = op.getMinAttr())
      if (quantize(lo.getValue().convertToFloat(), scale, zp, range) >
          range.min)
        return rewriter.notifyMatchFailure(op, "lower bound clamps");
    if (auto hi = op.getMaxAttr())
      if (quantize(hi.getValue().convertToFloat(), scale, zp, range) <
          range.max)
        return rewriter.notifyMatchFailure(op, "upper bound clamps");
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

/// clamp(conv2d | conv_transpose2d | matmul) -> the product with a fused
/// output clamp (clamp_min, clamp_max): its requantization saturates to the
/// clamped range, so ReLU, ReLU6 and Clip cost no pass of their own.
/// Bit-identical: clamping the saturated storage integers to [lo, hi] equals
/// saturating to the intersection of the two ranges.
template <typename OpT>
struct FuseClampIntoProduct : OpRewritePattern<ClampOp> {
  using OpRewritePattern<ClampOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    auto product = op.getInput().template getDefiningOp<OpT>();
    if (!product)
      return rewriter.notifyMatchFailure(op, "input is not this product");
    if (!product->hasOneUse())
      return rewriter.notifyMatchFailure(op, "the product has other users");
    auto type = getPerTensorType(op.getType());
    if (!type || type.getStorageTypeIntegralWidth() != 8)
      return rewriter.notifyMatchFailure(
          op, "not a per-tensor 8-bit quantized clamp");
    FloatAttr lo = op.getMinAttr(), hi = op.getMaxAttr();
    auto value = [](FloatAttr a) { return a.getValue().convertToFloat(); };
    if ((lo && std::isnan(value(lo))) || (hi && std::isnan(value(hi))))
      return rewriter.notifyMatchFailure(op, "a bound is NaN");
    StorageRange full = getStorageRange(type);
    StorageRange own = getClampedStorageRange(type, lo, hi);
    if (own.min == full.min && own.max == full.max)
      return rewriter.notifyMatchFailure(op,
                                         "identity clamp (removed instead)");
    // Intersect with a clamp fused before.
    if (FloatAttr prev = product.getClampMinAttr())
      if (!lo || value(prev) > value(lo))
        lo = prev;
    if (FloatAttr prev = product.getClampMaxAttr())
      if (!hi || value(prev) < value(hi))
        hi = prev;
    if (lo && hi && value(lo) > value(hi))
      return rewriter.notifyMatchFailure(op, "empty interval (min > max)");
    rewriter.modifyOpInPlace(product, [&] {
      product.setClampMinAttr(lo);
      product.setClampMaxAttr(hi);
    });
    rewriter.replaceOp(op, product.getResult());
    return success();
  }
};

/// quantize(clamp(x)) -> clamp(quantize(x)): quantization is monotone, so
/// clamping before it equals clamping the storage integers after it with
/// the bounds quantized. This lets `op -> ReLU -> quantize` (as PyTorch and
/// ONNX Runtime export a fused ReLU) fold the op, and the clamp then
/// disappears when the output range already excludes what it cuts.
struct SinkClampBelowQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto clamp = op.getInput().getDefiningOp<ClampOp>();
    if (!clamp || !isTyped(op) || !clamp->hasOneUse() ||
        !getPerTensorType(op.getType()))
      return rewriter.notifyMatchFailure(op, "not a typed quantize of a "
                                             "single-use clamp");
    auto q = QuantizeOp::create(rewriter, op.getLoc(), op.getType(),
                                clamp.getInput(), Value(), Value(),
                                IntegerAttr());
    rewriter.replaceOpWithNewOp<ClampOp>(op, q, clamp.getMinAttr(),
                                         clamp.getMaxAttr());
    return success();
  }
};

/// dequantize(quantize(x, s, z), s, z) with constant runtime parameters
/// takes the typed form.
struct TypeConstantParams : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  /// The per-tensor or per-axis type for constant scale/zero point operands.
  static quant::QuantizedType typeFor(Value scale, Value zeroPoint,
                                      std::optional<int64_t> axis,
                                      ShapedType storage) {
    DenseElementsAttr scales, zeroPoints;
    if (!matchPattern(scale, m_Constant(&scales)))
      return {};
    if (zeroPoint && !matchPattern(zeroPoint, m_Constant(&zeroPoints)))
      return {};
    auto intType = cast<IntegerType>(storage.getElementType());
    QuantScheme scheme;
    scheme.bits = intType.getWidth();
    scheme.isSigned = !intType.isUnsigned();
    SmallVector<QuantParams> params;
    for (auto [i, s] : llvm::enumerate(scales.getValues<APFloat>())) {
      QuantParams p;
      p.scale = s.convertToDouble();
      if (zeroPoints) {
        APInt z = zeroPoints.getValues<APInt>()[i];
        p.zeroPoint = scheme.isSigned ? z.getSExtValue() : z.getZExtValue();
      }
      params.push_back(p);
    }
    std::optional<int64_t> a;
    if (axis)
      a = *axis < 0 ? *axis + storage.getRank() : *axis;
    return buildQuantType(storage.getContext(), scheme, params, a);
  }

  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto q = op.getInput().getDefiningOp<QuantizeOp>();
    if (!q || isTyped(op) || isTyped(q))
      return rewriter.notifyMatchFailure(op, "not a runtime-parameter pair");
    auto storage = cast<ShapedType>(op.getInput().getType());
    quant::QuantizedType dqType = typeFor(
        op.getScale(), op.getZeroPoint(),
        op.getAxis() ? std::optional<int64_t>(int64_t(*op.getAxis()))
                     : std::nullopt,
        storage);
    quant::QuantizedType qType = typeFor(
        q.getScale(), q.getZeroPoint(),
        q.getAxis() ? std::optional<int64_t>(int64_t(*q.getAxis()))
                    : std::nullopt,
        storage);
    if (!dqType || dqType != qType)
      return rewriter.notifyMatchFailure(op, "parameters are not equal "
                                             "constants");
    auto quantType = cast<RankedTensorType>(storage).clone(dqType);
    auto typed = QuantizeOp::create(rewriter, q.getLoc(), quantType,
                                    q.getInput(), Value(), Value(),
                                    IntegerAttr());
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, op.getType(), typed, Value(),
                                              Value(), IntegerAttr());
    return success();
  }
};

/// dequantize -> op -> quantize, with every operand dequantized, becomes the
/// op on quantized types when that form verifies. A float constant bias of
/// a product is quantized to i32 (scale input x weight, zero point 0).
struct FoldQuantizedOp : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isTyped(op))
      return rewriter.notifyMatchFailure(op, "runtime parameters");
    Operation *producer = op.getInput().getDefiningOp();
    auto iface = dyn_cast_or_null<QuantPropagationInterface>(producer);
    if (!iface || producer->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "producer has no quantized form");
    if (producer->hasAttr(QCDialect::getKeepFloatAttrName()))
      return rewriter.notifyMatchFailure(op, "producer is kept in f32");
    Value result = producer->getResult(0);
    for (Operation *user : result.getUsers()) {
      auto q = dyn_cast<QuantizeOp>(user);
      if (!q || q.getType() != op.getType())
        return rewriter.notifyMatchFailure(
            op, "producer result has a float user or differently quantized "
                "users");
    }

    SmallVector<Value> operands;
    std::optional<unsigned> bias = iface.getBiasOperand();
    for (OpOperand &operand : producer->getOpOperands()) {
      if (auto dq = operand.get().getDefiningOp<DequantizeOp>();
          dq && isTyped(dq)) {
        operands.push_back(dq.getInput());
        continue;
      }
      if (bias && operand.getOperandNumber() == *bias) {
        operands.push_back(Value()); // Filled in below.
        continue;
      }
      return rewriter.notifyMatchFailure(
          op, "operand #" + Twine(operand.getOperandNumber()) +
                  " is not dequantized");
    }
    if (bias && !operands[*bias]) {
      Value b = quantizeBias(rewriter, producer, operands, *bias);
      if (!b)
        return rewriter.notifyMatchFailure(op, "float bias is not a constant "
                                               "of a quantized product");
      operands[*bias] = b;
    }

    OperationState state(producer->getLoc(), producer->getName());
    state.addOperands(operands);
    state.addTypes(op.getType());
    state.addAttributes(producer->getAttrs());
    if (producer->getPropertiesStorageSize())
      state.propertiesAttr = producer->getPropertiesAsAttribute();
    Operation *folded = rewriter.create(state);
    // The verifier is the authority on which quantized forms exist (bias
    // scales, same-scale rules): keep the fold only if it verifies.
    {
      ScopedDiagnosticHandler silence(op.getContext(),
                                      [](Diagnostic &) { return success(); });
      if (failed(mlir::verify(folded))) {
        rewriter.eraseOp(folded);
        return rewriter.notifyMatchFailure(op, "quantized form does not "
                                               "verify");
      }
    }
    for (Operation *user : llvm::make_early_inc_range(result.getUsers()))
      rewriter.replaceOp(user, folded->getResults());
    return success();
  }

  /// A float constant bias as an i32 qc.constant with scale input scale x
  /// weight scale.
  static Value quantizeBias(PatternRewriter &rewriter, Operation *producer,
                            ArrayRef<Value> operands, unsigned biasIndex) {
    auto iface = cast<QuantPropagationInterface>(producer);
    std::optional<unsigned> weightIndex = iface.getWeightOperand();
    DenseElementsAttr data;
    if (!weightIndex ||
        !matchPattern(producer->getOperand(biasIndex), m_Constant(&data)))
      return {};
    auto input = getPerTensorType(operands[0].getType());
    auto weight = getQuantElementType(operands[*weightIndex].getType());
    if (!input || !weight)
      return {};
    SmallVector<QuantParams> params;
    for (const QuantParams &w : getQuantParams(weight))
      params.push_back({input.getScale() * w.scale, 0});
    std::optional<int64_t> axis;
    if (params.size() > 1)
      axis = 0;
    auto type = buildQuantType(producer->getContext(),
                               QuantScheme{32, true, false, false}, params,
                               axis);
    auto tensorType = data.getType().clone(type);
    SmallVector<float> values(data.getValues<float>());
    return ConstantOp::create(rewriter, producer->getLoc(), tensorType,
                              quantizeValues(values, data.getType().getShape(),
                                             type));
  }
};

struct FoldQDQPass : public mlir::qc::impl::QCFoldQDQBase<FoldQDQPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldQDQPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::qc::populateFoldQDQPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeConstant, QuantizeOfDequantize, MergeRequantizeChain,
               RemoveIdentityClamp, TypeConstantParams, FoldQuantizedOp,
               SinkClampBelowQuantize, SinkDequantize<ReshapeOp>,
               SinkDequantize<TransposeOp>, SinkDequantize<SliceOp>,
               SinkDequantize<MaxPool2DOp>, SinkDequantize<PadOp>,
               SinkDequantize<ResizeOp>, SinkDequantize<BroadcastOp>,
               SinkDequantize<GatherOp>, FuseClampIntoProduct<Conv2DOp>,
               FuseClampIntoProduct<ConvTranspose2DOp>,
               FuseClampIntoProduct<MatMulOp>>(patterns.getContext());
  // argmax, argmin and top_k select by value, so they move below a
  // dequantize too (their canonicalizations); top_k's values then meet the
  // quantize that follows them with the same parameters and the pair folds.
  ArgMaxOp::getCanonicalizationPatterns(patterns, patterns.getContext());
  ArgMinOp::getCanonicalizationPatterns(patterns, patterns.getContext());
  TopKOp::getCanonicalizationPatterns(patterns, patterns.getContext());
}
