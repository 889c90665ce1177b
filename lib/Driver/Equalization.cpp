//===- Equalization.cpp - Evening channel ranges around activations -------===//
//
// The backbones of mobile CNNs (MobileNetV3, PP-LCNet) put a HardSwish or
// SiLU after every convolution, and the channels of both its input and its
// output differ in range by factors of 10 to 100. Quantized per tensor, the
// widest channel sets the 8-bit step and the narrow ones keep a few levels,
// a loss that compounds layer after layer. Cross-layer equalization does
// not apply (those activations do not commute with a channel scale), but
// the activation can carry the factors itself:
//
//   z = conv(x, W, b)          ->  z' = conv(x, W / b_c, b / b_c)
//   y = f(z)                   ->  y' = f(z' * b_c) / a_c
//   conv(y, V)                 ->  conv(y', V * a_c)     (V's input channels)
//
// The rewrite is exact in float. Dividing a convolution's output channel
// scales its weight row, which per-output-channel quantization does not
// see; multiplying a consumer's input channel scales a weight column,
// free for a depthwise consumer (one channel per row) and SmoothQuant's
// trade-off for one that mixes channels.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Equalization.h"
#include "IRHelpers.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qc;
using mlir::qc::detail::constantF32;
using mlir::qc::detail::nameOf;
using mlir::qc::detail::spread;

std::string mlir::qc::parseEqualization(StringRef text,
                                        std::optional<double> &alpha) {
  StringRef t = text.trim();
  if (t == "off" || t == "none") {
    alpha.reset();
    return "";
  }
  if (t == "on") {
    alpha = 0.5;
    return "";
  }
  double a;
  if (t.getAsDouble(a) || !(a >= 0 && a <= 1))
    return ("--equalize-channels '" + text +
            "' must be on, off or an alpha in [0, 1] (e.g. 0.5)")
        .str();
  alpha = a;
  return "";
}

namespace {

/// Factors below this are raised to it: a channel never grows by more
/// than 1000x (a nearly dead channel needs no more).
constexpr double kMinFactor = 1e-3;

/// A 4-D f32 convolution with constant weights (and bias, if any).
bool hasConstantWeights(Conv2DOp conv) {
  DenseElementsAttr w = constantF32(conv.getWeight());
  if (!w || w.getType().getRank() != 4)
    return false;
  if (Value bias = conv.getBias()) {
    DenseElementsAttr b = constantF32(bias);
    if (!b || b.getNumElements() != w.getType().getDimSize(0))
      return false;
  }
  return true;
}

/// An activation whose channels can be equalized on one side or both.
struct Candidate {
  ActivationOp act;
  int64_t channels = 0;
  /// The producing convolution, when its only user is the activation.
  Conv2DOp producer;
  /// The consuming convolutions, when they are all of the users.
  SmallVector<Conv2DOp> consumers;
};

std::optional<Candidate> asCandidate(ActivationOp act) {
  if (act.hasChannelScales())
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(act.getInput().getType());
  if (!type || !type.getElementType().isF32() || type.getRank() != 4 ||
      !type.hasStaticShape())
    return std::nullopt;
  Candidate cand{act, type.getDimSize(1), {}, {}};
  if (auto conv = act.getInput().getDefiningOp<Conv2DOp>();
      conv && conv->hasOneUse() && hasConstantWeights(conv) &&
      !conv.getClampMinAttr() && !conv.getClampMaxAttr())
    cand.producer = conv;
  for (OpOperand &use : act.getOutput().getUses()) {
    auto conv = dyn_cast<Conv2DOp>(use.getOwner());
    if (!conv || use.getOperandNumber() != 0 || !hasConstantWeights(conv)) {
      cand.consumers.clear();
      break;
    }
    cand.consumers.push_back(conv);
  }
  if (!cand.producer && cand.consumers.empty())
    return std::nullopt;
  return cand;
}

/// A channel's observed range; NaN bounds where it held NaN or infinities.
struct Range {
  double lo = 0, hi = 0;
  double magnitude() const { return std::max(std::fabs(lo), std::fabs(hi)); }
};

/// Folds the range of each channel (dim 1) of an NCHW f32 array into `r`.
void foldChannelRanges(const HostArray &a, std::vector<Range> &r) {
  const float *f = reinterpret_cast<const float *>(a.data.data());
  int64_t c = r.size(), n = a.numElements();
  int64_t plane = a.shape.size() == 4 ? a.shape[2] * a.shape[3] : 1;
  for (int64_t i = 0; i < n; i += plane) {
    Range &m = r[(i / plane) % c];
    float lo = 0, hi = 0;
    bool finite = true;
    for (int64_t k = i; k < i + plane; ++k) {
      finite &= std::isfinite(f[k]);
      lo = std::min(lo, f[k]);
      hi = std::max(hi, f[k]);
    }
    if (!finite || std::isnan(m.lo)) {
      m.lo = m.hi = std::nan("");
      continue;
    }
    m.lo = std::min(m.lo, double(lo));
    m.hi = std::max(m.hi, double(hi));
  }
}

/// The magnitude of the part of a channel's input range that `act` can
/// tell apart (qc.activation's getNeededInputRange), which equalization
/// evens; at least the magnitude of the activation's own cuts (HardSwish's
/// -3), so that every channel's live part near the cut stays within the
/// widest channel's range M after the division: the smallest factor is
/// then at least 3 / M, and the cut getNeededInputRange makes at -3 / that
/// factor drops only values the activation maps to one output anyway.
double neededMagnitude(ActivationOp act, const Range &r) {
  if (std::isnan(r.lo) || std::isnan(r.hi))
    return std::nan("");
  auto [lo, hi] = act.getNeededInputRange({r.lo, r.hi});
  double m = std::max(std::fabs(lo), std::fabs(hi));
  constexpr double inf = std::numeric_limits<double>::infinity();
  auto [cutLo, cutHi] = act.getNeededInputRange({-inf, inf});
  for (double cut : {cutLo, cutHi})
    if (std::isfinite(cut))
      m = std::max(m, std::fabs(cut));
  return m;
}

/// Factors that bring each channel's `score` to the largest one's: s_c /
/// max s, at least kMinFactor; 1 for channels with no score.
std::vector<double> normalized(const std::vector<double> &score) {
  double top = 0;
  for (double s : score)
    if (std::isfinite(s))
      top = std::max(top, s);
  std::vector<double> f(score.size(), 1.0);
  if (!(top > 0))
    return f;
  for (size_t c = 0; c < score.size(); ++c)
    if (std::isfinite(score[c]) && score[c] > 0)
      f[c] = std::max(score[c] / top, kMinFactor);
  return f;
}

/// Replaces `user`'s operand `v` (a constant) by `values` in its type.
void replaceConstant(OpBuilder &b, Operation *user, Value v,
                     ArrayRef<float> values) {
  DenseElementsAttr like = constantF32(v);
  b.setInsertionPoint(user);
  auto c = arith::ConstantOp::create(
      b, user->getLoc(), DenseElementsAttr::get(like.getType(), values));
  user->replaceUsesOfWith(v, c);
  if (Operation *op = v.getDefiningOp(); op && op->use_empty())
    op->erase();
}

std::vector<float> valuesOf(Value v) {
  DenseElementsAttr d = constantF32(v);
  return std::vector<float>(d.getValues<float>().begin(),
                            d.getValues<float>().end());
}

/// Divides output channel o of `conv` (weight row and bias) by f[o].
void divideOutputs(OpBuilder &b, Conv2DOp conv, ArrayRef<double> f) {
  std::vector<float> w = valuesOf(conv.getWeight());
  int64_t row = w.size() / f.size();
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = float(w[i] / f[i / row]);
  replaceConstant(b, conv, conv.getWeight(), w);
  if (Value bias = conv.getBias()) {
    std::vector<float> v = valuesOf(bias);
    for (size_t o = 0; o < v.size(); ++o)
      v[o] = float(v[o] / f[o]);
    replaceConstant(b, conv, bias, v);
  }
}

/// Calls fn(element index, input channel) for every weight of `conv`
/// (layout [O, C / groups, KH, KW]).
template <typename Fn> void forEachWeight(Conv2DOp conv, Fn fn) {
  auto type = cast<RankedTensorType>(conv.getWeight().getType());
  int64_t outs = type.getDimSize(0), perGroup = type.getDimSize(1);
  int64_t window = type.getDimSize(2) * type.getDimSize(3);
  int64_t groups = conv.getGroups();
  int64_t outsPerGroup = outs / std::max<int64_t>(groups, 1);
  for (int64_t o = 0; o < outs; ++o) {
    int64_t first = (o / outsPerGroup) * perGroup;
    for (int64_t j = 0; j < perGroup; ++j)
      for (int64_t k = 0; k < window; ++k)
        fn((o * perGroup + j) * window + k, first + j);
  }
}

} // namespace

LogicalResult
mlir::qc::equalizeChannels(ModuleOp module, const Samples &samples,
                           const EqualizationOptions &options,
                           std::vector<EqualizedActivation> *equalized) {
  func::FuncOp func = getModelFunction(module);
  if (!func)
    return success();
  std::vector<Candidate> cands;
  func.walk([&](ActivationOp act) {
    if (auto c = asCandidate(act))
      cands.push_back(*c);
  });
  if (cands.empty())
    return success();

  // One run of the float model with the activations' inputs and outputs as
  // extra results, folded into per-channel ranges batch by batch.
  IRMapping map;
  OwningOpRef<ModuleOp> probe(cast<ModuleOp>(module->clone(map)));
  func::FuncOp probeFunc = getModelFunction(*probe);
  unsigned numOutputs = probeFunc.getNumResults();
  SmallVector<Value> outs;
  for (Candidate &c : cands) {
    outs.push_back(map.lookup(c.act.getInput()));
    outs.push_back(map.lookup(c.act.getOutput()));
  }
  addOutputs(probeFunc, outs);
  std::vector<std::vector<Range>> ranges;
  for (Candidate &c : cands)
    ranges.insert(ranges.end(), 2, std::vector<Range>(c.channels));
  if (failed(runEachBatch(
          *probe, samples,
          [&](const std::vector<HostArray> &out) {
            for (size_t i = 0; i < ranges.size(); ++i)
              foldChannelRanges(out[numOutputs + i], ranges[i]);
          },
          options.timing)))
    return failure();

  OpBuilder b(module.getContext());
  for (auto [k, cand] : llvm::enumerate(cands)) {
    int64_t c = cand.channels;
    EqualizedActivation r;
    r.name = nameOf(cand.act);
    r.channels = c;
    std::vector<double> in(c), out(c);
    for (int64_t j = 0; j < c; ++j) {
      in[j] = neededMagnitude(cand.act, ranges[2 * k][j]);
      out[j] = ranges[2 * k + 1][j].magnitude();
    }

    // Input side: every channel of the convolution's output to the widest
    // one's range (of the part the activation needs).
    if (cand.producer) {
      std::vector<double> f = normalized(in);
      divideOutputs(b, cand.producer, f);
      SmallVector<float> scales;
      std::vector<double> after(c);
      for (int64_t j = 0; j < c; ++j) {
        scales.push_back(float(f[j]));
        after[j] = in[j] / f[j];
      }
      cand.act.setInScalesAttr(b.getDenseF32ArrayAttr(scales));
      r.input = true;
      r.inputSpreadBefore = spread(in);
      r.inputSpreadAfter = spread(after);
    }

    // Output side: a channel's range to the widest one's where every
    // consumer is depthwise, else SmoothQuant's split with the largest
    // weight each channel meets.
    if (!cand.consumers.empty()) {
      bool depthwise = llvm::all_of(cand.consumers, [](Conv2DOp conv) {
        auto w = cast<RankedTensorType>(conv.getWeight().getType());
        return w.getDimSize(1) == 1;
      });
      std::vector<double> score = out;
      if (!depthwise) {
        std::vector<double> wmax(c, 0.0);
        for (Conv2DOp conv : cand.consumers) {
          std::vector<float> w = valuesOf(conv.getWeight());
          forEachWeight(conv, [&](int64_t i, int64_t ch) {
            wmax[ch] = std::max(wmax[ch], double(std::fabs(w[i])));
          });
        }
        for (int64_t j = 0; j < c; ++j)
          score[j] = out[j] > 0 && wmax[j] > 0
                         ? std::pow(out[j], options.alpha) /
                               std::pow(wmax[j], 1 - options.alpha)
                         : 0.0;
      }
      std::vector<double> f = normalized(score);
      for (Conv2DOp conv : cand.consumers) {
        std::vector<float> w = valuesOf(conv.getWeight());
        forEachWeight(
            conv, [&](int64_t i, int64_t ch) { w[i] = float(w[i] * f[ch]); });
        replaceConstant(b, conv, conv.getWeight(), w);
      }
      SmallVector<float> scales;
      std::vector<double> after(c);
      for (int64_t j = 0; j < c; ++j) {
        scales.push_back(float(1.0 / f[j]));
        after[j] = out[j] / f[j];
      }
      cand.act.setOutScalesAttr(b.getDenseF32ArrayAttr(scales));
      r.consumers = cand.consumers.size();
      r.outputSpreadBefore = spread(out);
      r.outputSpreadAfter = spread(after);
    }

    auto diag = cand.act.emitRemark()
                << "equalize-channels: " << c << " channels";
    if (r.input)
      diag << llvm::formatv("; input (the convolution's output) widest "
                            "channel over the median {0:F1} -> {1:F1}",
                            r.inputSpreadBefore, r.inputSpreadAfter);
    if (r.consumers)
      diag << llvm::formatv("; output {0:F1} -> {1:F1}, the factors in the "
                            "weights of {2} convolution(s)",
                            r.outputSpreadBefore, r.outputSpreadAfter,
                            r.consumers);
    if (equalized)
      equalized->push_back(r);
  }
  return success();
}
