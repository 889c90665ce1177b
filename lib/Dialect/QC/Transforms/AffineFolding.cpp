//===- AffineFolding.cpp - Scales and shifts folded into their producer --===//
//
// Part of qc-recognize-patterns: a multiplication or addition by a constant
// after an activation, a convolution or a matmul becomes part of that op
// (the activation's affine epilogue, the product's weights and bias), so it
// is neither quantized nor run on its own.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"

#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::patterns;

namespace {

/// `activation(x) * s`, `/ s`, `+ t`, `- t` with scalar constants: the
/// activation's affine epilogue (PP-LCNet's learnable affine blocks), so
/// that the product is not quantized on its own.
struct ActivationAffinePattern : RewritePattern {
  ActivationAffinePattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, DivOp, AddOp, SubOp>(op))
      return failure();
    for (int i = 0; i < 2; ++i) {
      Value a = op->getOperand(i), c = op->getOperand(1 - i);
      auto act = a.getDefiningOp<ActivationOp>();
      std::optional<double> k = getScalar(c);
      if (!act || !k || !a.hasOneUse() || !fits(op, a) ||
          act.hasChannelScales())
        continue;
      // Only x / k and x - k (not k / x, k - x).
      if (isa<DivOp, SubOp>(op) && i != 0)
        continue;
      double scale = act.getPostScale(), shift = act.getPostShift();
      if (isa<MulOp>(op)) {
        scale *= *k;
        shift *= *k;
      } else if (isa<DivOp>(op)) {
        if (*k == 0)
          continue;
        scale /= *k;
        shift /= *k;
      } else if (isa<AddOp>(op)) {
        shift += *k;
      } else {
        shift -= *k;
      }
      if (!std::isfinite(float(scale)) || !std::isfinite(float(shift)))
        continue;
      auto fused = ActivationOp::create(
          rewriter, op->getLoc(), op->getResultTypes(), act.getKind(),
          act.getInput(), act.getAlphaAttr(), act.getBetaAttr(),
          rewriter.getF32FloatAttr(float(scale)),
          rewriter.getF32FloatAttr(float(shift)), DenseF32ArrayAttr(),
          DenseF32ArrayAttr());
      rewriter.replaceOp(op, fused);
      return success();
    }
    return failure();
  }
};

/// The per-output-channel values of a constant that broadcasts along an
/// NCHW result of `channels` channels: a scalar, or a shape whose only
/// non-1 dim is the channel dim ([C, 1, 1], [1, C, 1, 1]).
std::optional<SmallVector<float>> getChannelValues(Value v, int64_t channels) {
  if (std::optional<double> s = getScalar(v))
    return SmallVector<float>(channels, float(*s));
  DenseElementsAttr data;
  if (!matchPattern(v, m_Constant(&data)) || !data.getElementType().isF32())
    return std::nullopt;
  ArrayRef<int64_t> shape = data.getType().getShape();
  int64_t rank = shape.size();
  if (rank < 3 || rank > 4 || shape[rank - 3] != channels)
    return std::nullopt;
  for (int64_t d = 0; d < rank; ++d)
    if (d != rank - 3 && shape[d] != 1)
      return std::nullopt;
  return SmallVector<float>(data.getValues<float>());
}

/// `conv(x) * s` and `conv(x) + t` with per-channel (or scalar) constants
/// fold into the convolution's weight and bias, as a BatchNormalization
/// does: w' = w * s[o], b' = b * s[o]; b' = b + t[o].
struct ConvAffinePattern : RewritePattern {
  ConvAffinePattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, AddOp>(op))
      return failure();
    for (int i = 0; i < 2; ++i) {
      Value y = op->getOperand(i), c = op->getOperand(1 - i);
      auto conv = y.getDefiningOp<Conv2DOp>();
      if (!conv || !y.hasOneUse() || !fits(op, y) || conv.getClampMinAttr() ||
          conv.getClampMaxAttr())
        continue;
      DenseElementsAttr w, b;
      if (!matchPattern(conv.getWeight(), m_Constant(&w)) ||
          !w.getElementType().isF32() ||
          (conv.getBias() && !matchPattern(conv.getBias(), m_Constant(&b))))
        continue;
      int64_t channels = w.getType().getDimSize(0);
      auto k = getChannelValues(c, channels);
      if (!k)
        continue;
      SmallVector<float> weights(w.getValues<float>());
      SmallVector<float> bias(channels, 0.0f);
      if (b)
        bias.assign(b.getValues<float>().begin(), b.getValues<float>().end());
      int64_t per = weights.size() / channels;
      if (isa<MulOp>(op)) {
        for (int64_t o = 0; o < channels; ++o) {
          for (int64_t j = 0; j < per; ++j)
            weights[o * per + j] *= (*k)[o];
          bias[o] *= (*k)[o];
        }
      } else {
        for (int64_t o = 0; o < channels; ++o)
          bias[o] += (*k)[o];
      }
      Location loc = conv.getLoc();
      Value newWeight = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(w.getType(), ArrayRef<float>(weights)));
      Value newBias = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({channels}, rewriter.getF32Type()),
              ArrayRef<float>(bias)));
      OperationState state(loc, conv->getName());
      state.addOperands({conv.getInput(), newWeight, newBias});
      state.addTypes(conv.getType());
      state.addAttributes(conv->getAttrs());
      if (conv->getPropertiesStorageSize())
        state.propertiesAttr = conv->getPropertiesAsAttribute();
      Operation *fused = rewriter.create(state);
      rewriter.replaceOp(op, fused->getResults());
      return success();
    }
    return failure();
  }
};

/// The per-column values of a constant that broadcasts along the last dim
/// of a rank-`rank` matmul result with `columns` columns: a scalar, or a
/// shape whose only non-1 dim is the last ([N], [1, 1, N]).
std::optional<SmallVector<float>> getColumnValues(Value v, int64_t columns,
                                                  int64_t rank) {
  if (std::optional<double> s = getScalar(v))
    return SmallVector<float>(columns, float(*s));
  DenseElementsAttr data;
  if (!matchPattern(v, m_Constant(&data)) || !data.getElementType().isF32())
    return std::nullopt;
  ArrayRef<int64_t> shape = data.getType().getShape();
  if (shape.empty() || int64_t(shape.size()) > rank || shape.back() != columns)
    return std::nullopt;
  for (int64_t d : shape.drop_back())
    if (d != 1)
      return std::nullopt;
  return SmallVector<float>(data.getValues<float>());
}

/// `matmul(x, W) * s`, `+ t` and `- t`, with W a constant 2-D weight and
/// per-column (or scalar) constants, fold into W's columns and the
/// matmul's bias: w' = w * s[n], b' = b * s[n]; b' = b + t[n]. ONNX
/// exporters write a linear layer on a 3-D input as MatMul + Add; folded,
/// its bias is an i32 term of the quantized product instead of an 8-bit
/// tensor added and requantized on its own, and the product can take a
/// residual add in its epilogue.
struct MatMulAffinePattern : RewritePattern {
  MatMulAffinePattern(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MulOp, AddOp, SubOp>(op))
      return failure();
    for (int i = 0; i < 2; ++i) {
      // Only y - t, not t - y.
      if (isa<SubOp>(op) && i != 0)
        continue;
      Value y = op->getOperand(i), c = op->getOperand(1 - i);
      auto matmul = y.getDefiningOp<MatMulOp>();
      if (!matmul || !y.hasOneUse() || !fits(op, y) ||
          matmul.getClampMinAttr() || matmul.getClampMaxAttr())
        continue;
      DenseElementsAttr w, b;
      if (!matchPattern(matmul.getRhs(), m_Constant(&w)) ||
          !w.getElementType().isF32() || w.getType().getRank() != 2 ||
          (matmul.getBias() && !matchPattern(matmul.getBias(), m_Constant(&b))))
        continue;
      int64_t depth = w.getType().getDimSize(0),
              columns = w.getType().getDimSize(1);
      auto k = getColumnValues(c, columns, matmul.getType().getRank());
      if (!k)
        continue;
      SmallVector<float> bias(columns, 0.0f);
      if (b)
        bias.assign(b.getValues<float>().begin(), b.getValues<float>().end());
      Value weight = matmul.getRhs();
      Location loc = matmul.getLoc();
      if (isa<MulOp>(op)) {
        SmallVector<float> weights(w.getValues<float>());
        for (int64_t r = 0; r < depth; ++r)
          for (int64_t n = 0; n < columns; ++n)
            weights[r * columns + n] *= (*k)[n];
        for (int64_t n = 0; n < columns; ++n)
          bias[n] *= (*k)[n];
        weight = arith::ConstantOp::create(
            rewriter, loc,
            DenseElementsAttr::get(w.getType(), ArrayRef<float>(weights)));
      } else {
        float sign = isa<SubOp>(op) ? -1.0f : 1.0f;
        for (int64_t n = 0; n < columns; ++n)
          bias[n] += sign * (*k)[n];
      }
      Value newBias = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({columns}, rewriter.getF32Type()),
              ArrayRef<float>(bias)));
      rewriter.replaceOpWithNewOp<MatMulOp>(op, matmul.getType(),
                                            matmul.getLhs(), weight, newBias);
      return success();
    }
    return failure();
  }
};

} // namespace

void mlir::qc::patterns::populateAffineFoldingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ActivationAffinePattern, ConvAffinePattern, MatMulAffinePattern>(
      patterns.getContext());
}
