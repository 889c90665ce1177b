//===- Smoothing.cpp - Migrating activation outliers into weights ---------===//
//
// A LayerNorm's output often has a few channels far wider than the rest (its
// learned scale makes them so); quantized per tensor, those channels set the
// 8-bit step and the others keep a few levels. When every user of the norm
// is a matmul over that channel axis with constant weights, dividing channel
// j by s_j in the norm (its scale and bias) and multiplying row j of every
// weight by s_j leaves the float model's products unchanged and moves the
// range from the activation, quantized per tensor, into weights quantized
// per output channel (SmoothQuant's migration, with its rule
// s_j = max|x_j|^alpha / max|W_j|^(1 - alpha)). The ranges come from one run
// of the float model on the calibration samples.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Smoothing.h"
#include "IRHelpers.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using mlir::qc::detail::constantF32;
using mlir::qc::detail::nameOf;
using mlir::qc::detail::spread;

std::string mlir::qc::parseSmoothing(StringRef text,
                                     std::optional<double> &alpha) {
  StringRef t = text.trim();
  if (t == "off" || t == "none") {
    alpha.reset();
    return "";
  }
  double a;
  if (t.getAsDouble(a) || !(a >= 0 && a <= 1))
    return ("--smoothquant '" + text +
            "' must be an alpha in [0, 1] (e.g. 0.5) or 'off'")
        .str();
  alpha = a;
  return "";
}

namespace {

/// A norm whose channel ranges can move into the weights of its users.
struct Candidate {
  LayerNormOp norm;
  SmallVector<MatMulOp> users;
  int64_t channels = 0;
};

std::optional<Candidate> asCandidate(LayerNormOp norm) {
  auto type = dyn_cast<RankedTensorType>(norm.getOutput().getType());
  if (!type || !type.getElementType().isF32() || type.getRank() < 1)
    return std::nullopt;
  int64_t rank = type.getRank();
  int64_t axis = static_cast<int64_t>(norm.getAxis());
  if (axis < 0)
    axis += rank;
  int64_t c = type.getDimSize(rank - 1);
  if (axis != rank - 1 || ShapedType::isDynamic(c))
    return std::nullopt;
  auto isChannelVector = [&](Value v) {
    DenseElementsAttr d = constantF32(v);
    return d && d.getType().getRank() == 1 && d.getNumElements() == c;
  };
  if (!isChannelVector(norm.getScale()) ||
      (norm.getBias() && !isChannelVector(norm.getBias())))
    return std::nullopt;
  Candidate cand{norm, {}, c};
  for (OpOperand &use : norm.getOutput().getUses()) {
    auto mm = dyn_cast<MatMulOp>(use.getOwner());
    if (!mm || use.getOperandNumber() != 0)
      return std::nullopt;
    DenseElementsAttr w = constantF32(mm.getRhs());
    if (!w || w.getType().getRank() != 2 || w.getType().getDimSize(0) != c)
      return std::nullopt;
    cand.users.push_back(mm);
  }
  if (cand.users.empty())
    return std::nullopt;
  return cand;
}

/// A new f32 constant like `like`'s with `values`, before `user`.
Value constantLike(OpBuilder &b, Operation *user, DenseElementsAttr like,
                   ArrayRef<float> values) {
  b.setInsertionPoint(user);
  auto attr = DenseElementsAttr::get(like.getType(), values);
  return arith::ConstantOp::create(b, user->getLoc(), attr);
}

void eraseIfDead(Value v) {
  if (Operation *op = v.getDefiningOp(); op && op->use_empty())
    op->erase();
}

} // namespace

LogicalResult mlir::qc::smoothActivations(ModuleOp module,
                                          const Samples &samples,
                                          const SmoothingOptions &options,
                                          std::vector<SmoothedNorm> *smoothed) {
  func::FuncOp func = getModelFunction(module);
  if (!func)
    return success();
  std::vector<Candidate> cands;
  func.walk([&](LayerNormOp norm) {
    if (auto c = asCandidate(norm))
      cands.push_back(*c);
  });
  if (cands.empty())
    return success();

  // One run of the float model with the norms' outputs as extra results.
  IRMapping map;
  OwningOpRef<ModuleOp> probe(cast<ModuleOp>(module->clone(map)));
  func::FuncOp probeFunc = getModelFunction(*probe);
  unsigned numOutputs = probeFunc.getNumResults();
  SmallVector<Value> outs;
  for (Candidate &c : cands)
    outs.push_back(map.lookup(c.norm.getOutput()));
  addOutputs(probeFunc, outs);
  std::vector<HostArray> results;
  if (failed(runOnSamples(*probe, samples, results, options.timing)))
    return failure();

  OpBuilder b(module.getContext());
  double alpha = options.alpha;
  for (auto [k, cand] : llvm::enumerate(cands)) {
    const HostArray &a = results[numOutputs + k];
    const float *f = reinterpret_cast<const float *>(a.data.data());
    int64_t c = cand.channels;
    std::vector<double> act(c, 0.0), wt(c, 0.0);
    for (int64_t i = 0, n = a.numElements(); i < n; ++i)
      if (std::isfinite(f[i]))
        act[i % c] = std::max(act[i % c], double(std::fabs(f[i])));
    for (MatMulOp mm : cand.users) {
      DenseElementsAttr w = constantF32(mm.getRhs());
      int64_t cols = w.getType().getDimSize(1);
      int64_t i = 0;
      for (float v : w.getValues<float>()) {
        double &row = wt[i++ / cols];
        row = std::max(row, double(std::fabs(v)));
      }
    }
    // s_j, 1 where a channel has no range or no weight to take it.
    std::vector<double> s(c, 1.0), after(c);
    for (int64_t j = 0; j < c; ++j) {
      if (act[j] > 0 && wt[j] > 0) {
        double sj = std::pow(act[j], alpha) / std::pow(wt[j], 1 - alpha);
        if (std::isfinite(sj) && sj > 0)
          s[j] = std::clamp(sj, 1e-6, 1e6);
      }
      after[j] = act[j] / s[j];
    }

    // Divide the norm's affine parameters, multiply the weight rows.
    LayerNormOp norm = cand.norm;
    auto divided = [&](Value v) {
      DenseElementsAttr d = constantF32(v);
      std::vector<float> vals(d.getValues<float>().begin(),
                              d.getValues<float>().end());
      for (int64_t j = 0; j < c; ++j)
        vals[j] = float(vals[j] / s[j]);
      return constantLike(b, norm, d, vals);
    };
    Value oldScale = norm.getScale();
    norm.getScaleMutable().assign(divided(oldScale));
    eraseIfDead(oldScale);
    if (Value oldBias = norm.getBias()) {
      norm.getBiasMutable().assign(divided(oldBias));
      eraseIfDead(oldBias);
    }
    for (MatMulOp mm : cand.users) {
      Value oldW = mm.getRhs();
      DenseElementsAttr w = constantF32(oldW);
      int64_t cols = w.getType().getDimSize(1);
      std::vector<float> vals(w.getValues<float>().begin(),
                              w.getValues<float>().end());
      for (size_t i = 0; i < vals.size(); ++i)
        vals[i] = float(vals[i] * s[i / cols]);
      mm.getRhsMutable().assign(constantLike(b, mm, w, vals));
      eraseIfDead(oldW);
    }

    SmoothedNorm r;
    r.name = nameOf(norm);
    r.channels = c;
    r.matmuls = cand.users.size();
    r.spreadBefore = spread(act);
    r.spreadAfter = spread(after);
    norm.emitRemark() << llvm::formatv(
        "smoothquant: {0} channels migrated into the weights of {1} "
        "matmul(s) (alpha {2}); largest channel range over the median "
        "{3:F1} -> {4:F1}",
        c, r.matmuls, alpha, r.spreadBefore, r.spreadAfter);
    if (smoothed)
      smoothed->push_back(r);
  }
  return success();
}
