//===- InferScales.cpp - Quantization parameters from statistics ----------===//
//
// qc-infer-scales: gives every quantizable value of a float graph its
// !quant.uniform parameters, from calibration statistics (qc.stats ops) and
// the propagation rule each op declares through QuantPropagationInterface,
// and materializes them as qc.quantize/qc.dequantize pairs. qc-fold-qdq then
// turns the pairs into integer ops.
//
// The pass runs in two phases: a forward walk in program order decides the
// parameters of each value (and which ops can be quantized), then the
// decisions are materialized. Deciding first lets a later op (a concat, a
// clamp) revise the parameters of a single-use producer before any IR is
// written.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/MapVector.h"

#include <cmath>

namespace mlir::qc {
#define GEN_PASS_DEF_QCINFERSCALES
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// A real range [lo, hi].
struct Range {
  double lo, hi;
};

/// What the forward walk decided for one quantizable op.
struct OpPlan {
  /// The constant weight operand and the parameters it gets, if any.
  std::optional<unsigned> weightIndex;
  quant::QuantizedType weightType;
  std::optional<unsigned> biasIndex;
  /// The parameters of the input (for the bias scale).
  quant::UniformQuantizedType inputType;
  /// Operands whose parameters differ from what the op needs (a concat's
  /// inputs), with the type they are requantized to.
  struct Requantized {
    unsigned index;
    quant::UniformQuantizedType from, to;
  };
  SmallVector<Requantized> requantized;
};

class ScaleInference {
public:
  ScaleInference(func::FuncOp func, QuantScheme activation, bool strict,
                 bool wideSums)
      : func(func), activation(activation), strict(strict), wideSums(wideSums) {
  }

  LogicalResult run() {
    collectStatistics();
    for (BlockArgument arg : func.getArguments())
      if (arg.use_empty() || !onlyFloatUsers(arg))
        assignFromStatistics(arg);
    bool failedOp = false;
    func.walk([&](Operation *op) {
      if (op == func.getOperation())
        return;
      if (auto iface = dyn_cast<QuantPropagationInterface>(op)) {
        if (failed(plan(iface)))
          failedOp = true;
        return;
      }
      // A value the graph already dequantizes (a QDQ model calibrated
      // anyway, or a pair from an earlier run) keeps its parameters: no
      // second pair.
      if (auto dq = dyn_cast<DequantizeOp>(op); dq && !dq.getScale()) {
        if (auto type = getPerTensorType(dq.getInput().getType())) {
          params[dq.getResult()] = type;
          existing.insert(dq.getResult());
          return;
        }
      }
      for (Value result : op->getResults())
        assignFromStatistics(result);
    });
    if (failedOp)
      return failure();
    materialize();
    return success();
  }

private:
  /// Records each qc.stats op's range for its operand and removes the op.
  /// The result of a qc.select keeps f32 whatever its statistics: the
  /// values it selects from commonly include a mask's fill (-10000 in an
  /// attention mask), whose range no 8-bit scale can share with the values
  /// the mask leaves.
  void collectStatistics() {
    SmallVector<StatsOp> statsOps;
    func.walk([&](StatsOp op) { statsOps.push_back(op); });
    for (StatsOp op : statsOps) {
      Value input = op.getInput();
      Range r{op.getStats().getMinValue(), op.getStats().getMaxValue()};
      if (!input.getDefiningOp<SelectOp>()) {
        auto it = ranges.find(input);
        if (it == ranges.end())
          ranges[input] = r;
        else
          it->second = {std::min(it->second.lo, r.lo),
                        std::max(it->second.hi, r.hi)};
      }
      op.getOutput().replaceAllUsesWith(input);
      op.erase();
    }
  }

  /// Whether every user of `v` computes in f32: ops kept in f32 and the
  /// model's outputs.
  static bool onlyFloatUsers(Value v) {
    return llvm::all_of(v.getUsers(), [](Operation *u) {
      return u->hasAttr(QCDialect::getKeepFloatAttrName()) ||
             isa<func::ReturnOp>(u);
    });
  }

  static bool isF32Tensor(Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.getElementType().isF32();
  }

  /// Parameters for a range in the activation scheme; with `bits` 16, the
  /// signed 16-bit form of it (a product a residual add reads).
  quant::UniformQuantizedType paramsForRange(Range r, unsigned bits = 8) const {
    QuantScheme scheme = activation;
    if (bits != scheme.bits) {
      scheme.bits = bits;
      scheme.isSigned = true;
    }
    auto p = computeQuantParams(r.lo, r.hi, scheme);
    if (!p) {
      llvm::consumeError(p.takeError());
      return {};
    }
    return cast<quant::UniformQuantizedType>(
        buildQuantType(func->getContext(), scheme, {*p}, std::nullopt));
  }

  /// Whether a product's result is quantized to 16 bits: it may be (its
  /// interface), and its only user, quantized, accepts it there.
  bool takesWideResult(QuantPropagationInterface iface) const {
    Value result = iface->getResult(0);
    if (!wideSums || !result.hasOneUse())
      return false;
    OpOperand &use = *result.getUses().begin();
    Operation *user = use.getOwner();
    if (!iface.mayHaveWideResult(user))
      return false;
    auto userIface = dyn_cast<QuantPropagationInterface>(user);
    if (!userIface || user->hasAttr(QCDialect::getKeepFloatAttrName()) ||
        !userIface.acceptsWideOperand(use.getOperandNumber()))
      return false;
    // One wide operand per user (an add of two products fuses one of
    // them, and its residual is 8-bit): the first product decided.
    return llvm::none_of(user->getOperands(), [&](Value other) {
      auto p = getParams(other);
      return other != result && p && p.getStorageTypeIntegralWidth() > 8;
    });
  }

  /// A value with statistics gets parameters from them.
  void assignFromStatistics(Value v) {
    if (!isF32Tensor(v) || params.count(v))
      return;
    auto it = ranges.find(v);
    if (it != ranges.end())
      setParams(v, paramsForRange(it->second));
  }

  /// An activation operand that is a float constant (a scalar in an add)
  /// gets parameters from its values, as one with statistics does.
  void assignFromStatisticsOrValues(Value v) {
    if (!isF32Tensor(v) || params.count(v))
      return;
    if (auto range = getRange(v))
      setParams(v, paramsForRange(*range));
  }

  /// The observed range of a value: its statistics, or the values of a
  /// constant.
  std::optional<Range> getRange(Value v) const {
    auto it = ranges.find(v);
    if (it != ranges.end())
      return it->second;
    DenseElementsAttr data;
    if (matchPattern(v, m_Constant(&data)) && data.getElementType().isF32()) {
      Range r{0.0, 0.0};
      for (float x : data.getValues<float>()) {
        if (std::isnan(x))
          return std::nullopt;
        r.lo = std::min(r.lo, double(x));
        r.hi = std::max(r.hi, double(x));
      }
      return r;
    }
    return std::nullopt;
  }

  void setParams(Value v, quant::UniformQuantizedType type) {
    if (type)
      params[v] = type;
  }

  quant::UniformQuantizedType getParams(Value v) const {
    return params.lookup(v);
  }

  /// Emits the strict-mode error for an op that stays f32, or accepts it.
  LogicalResult cannotQuantize(Operation *op, const Twine &reason) {
    if (!strict)
      return success();
    op->emitError("cannot be quantized: ") << reason;
    return failure();
  }

  /// Decides the parameters of an op's result and whether the op is
  /// quantized.
  LogicalResult plan(QuantPropagationInterface iface) {
    Operation *op = iface.getOperation();
    Value result = op->getResult(0);
    if (!isF32Tensor(result))
      return success(); // Already quantized.
    // Kept in f32 (--keep-float): no weight or bias quantization; the
    // result is quantized from its own statistics for users that are
    // quantized, and stays f32 when every user computes in f32 too (a
    // region of kept ops, or the model's output).
    if (op->hasAttr(QCDialect::getKeepFloatAttrName())) {
      if (std::optional<Range> range = getRange(result);
          range && !onlyFloatUsers(result))
        setParams(result, paramsForRange(narrowByUser(result, *range)));
      return success();
    }

    // The weight is a constant weight, or else one more activation.
    std::optional<unsigned> weightIndex = iface.getWeightOperand();
    DenseElementsAttr weightData;
    if (weightIndex &&
        !(matchPattern(op->getOperand(*weightIndex), m_Constant(&weightData)) &&
          weightData.getElementType().isF32()))
      weightIndex.reset();
    SmallVector<unsigned> activations = iface.getActivationOperands();
    if (iface.getWeightOperand() && !weightIndex)
      activations.push_back(*iface.getWeightOperand());

    // Constant activation operands (a scalar in an add) get parameters from
    // their values.
    for (unsigned i : activations)
      assignFromStatisticsOrValues(op->getOperand(i));

    std::optional<unsigned> missing;
    for (unsigned i : activations)
      if (!getParams(op->getOperand(i)))
        missing = missing ? missing : std::optional<unsigned>(i);

    // The result's parameters, by the op's rule.
    switch (iface.getQuantRule()) {
    case QuantRule::Free: {
      std::optional<Range> range = getRange(result);
      if (range) {
        Range r = narrowByUser(result, *range);
        setParams(result, weightIndex && takesWideResult(iface)
                              ? paramsForRange(r, /*bits=*/16)
                              : paramsForRange(r));
      }
      break;
    }
    case QuantRule::SameAsInput:
      if (!missing)
        planSameAsInput(op, activations);
      else
        assignFromStatistics(result);
      break;
    case QuantRule::FixedRange:
      setParams(result, fixedRangeParams(iface.getFixedRange()));
      break;
    }

    if (missing)
      return cannotQuantize(op, "operand #" + Twine(*missing) +
                                    " has no quantization parameters (no "
                                    "calibration statistics)");
    if (!getParams(result))
      return cannotQuantize(op, "its result has no calibration statistics");

    OpPlan &p = plans[op];
    if (weightIndex) {
      auto scheme = op->getAttrOfType<SchemeAttr>(
          QCDialect::getWeightSchemeAttrName());
      QuantScheme ws;
      std::optional<int64_t> axis = iface.getWeightChannelAxis();
      if (scheme) {
        ws = scheme.getQuantScheme();
        if (!scheme.getPerChannel())
          axis.reset();
      } else {
        ws = QuantScheme{8, true, true, false}; // per-channel symmetric i8
      }
      SmallVector<float> values(weightData.getValues<float>());
      auto wp = computeParamsForValues(values, weightData.getType().getShape(),
                                       ws, axis);
      if (!wp) {
        op->emitError("cannot quantize the weight of ")
            << describeOp(op) << ": "
            << llvm::toString(wp.takeError());
        return failure();
      }
      if (ws.symmetric)
        fitBiasInAccumulator(iface,
                             getParams(op->getOperand(activations.front())),
                             weightData.getType().getShape(), axis, *wp);
      p.weightIndex = weightIndex;
      p.weightType = buildQuantType(op->getContext(), ws, *wp, axis);
      p.inputType = getParams(op->getOperand(activations.front()));
    }
    if (std::optional<unsigned> bias = iface.getBiasOperand();
        bias && weightIndex && isF32Tensor(op->getOperand(*bias))) {
      // A constant bias becomes i32 at input scale x weight scale: it must
      // be finite.
      DenseElementsAttr biasData;
      if (matchPattern(op->getOperand(*bias), m_Constant(&biasData)) &&
          biasData.getElementType().isF32()) {
        SmallVector<float> values(biasData.getValues<float>());
        if (std::optional<std::string> bad =
                describeNonFinite(values, biasData.getType().getShape())) {
          op->emitError("cannot quantize the bias of ")
              << describeOp(op) << ": " << *bad;
          return failure();
        }
      }
      p.biasIndex = bias;
    }
    return success();
  }

  /// Raises symmetric weight scales so that the i32 bias (scale input x
  /// weight) and the products summed onto it fit the i32 accumulator: a
  /// channel whose weights are tiny next to its bias (a channel that BN or
  /// an affine layer folded nearly to a constant) would otherwise get a
  /// bias beyond i32, saturated when quantized. At most 2^31 - 1 - 2 x 255 x
  /// 128 x K for the bias leaves room for K products and a kernel's
  /// zero-point folding; the weights of such a channel round to a few
  /// levels, which the bias dominates anyway.
  void fitBiasInAccumulator(QuantPropagationInterface iface,
                            quant::UniformQuantizedType input,
                            ArrayRef<int64_t> weightShape,
                            std::optional<int64_t> axis,
                            SmallVectorImpl<QuantParams> &weight) {
    std::optional<unsigned> biasIndex = iface.getBiasOperand();
    DenseElementsAttr biasData;
    if (!input || !biasIndex ||
        !matchPattern(iface->getOperand(*biasIndex), m_Constant(&biasData)) ||
        !biasData.getElementType().isF32() || weightShape.empty())
      return;
    int64_t elements = 1;
    for (int64_t d : weightShape)
      elements *= d;
    int64_t channels = weightShape[iface.getWeightChannelAxis()];
    int64_t depth = channels ? elements / channels : 0;
    double room = double((int64_t(1) << 31) - 1) - 2.0 * 255 * 128 * depth;
    if (room < double(1 << 24))
      return; // Depths beyond ~32K: no room to reserve.
    SmallVector<float> bias(biasData.getValues<float>());
    for (auto [c, b] : llvm::enumerate(bias)) {
      QuantParams &w = weight[axis ? c : 0];
      double needed = std::fabs(double(b)) / (input.getScale() * room);
      if (std::isfinite(needed) && w.scale < needed)
        w.scale = needed;
    }
  }

  /// A Free op whose only user needs part of its range (a clamp, as the
  /// user's interface says) takes parameters for that part.
  Range narrowByUser(Value result, Range r) const {
    if (!result.hasOneUse())
      return r;
    auto user =
        dyn_cast<QuantPropagationInterface>(*result.getUsers().begin());
    if (!user)
      return r;
    auto [lo, hi] = user.getNeededInputRange({r.lo, r.hi});
    return Range{lo, hi};
  }

  /// Result parameters equal the inputs'; inputs that disagree (a concat)
  /// are unified to the union of their ranges.
  void planSameAsInput(Operation *op, ArrayRef<unsigned> activations) {
    Value result = op->getResult(0);
    quant::UniformQuantizedType first =
        getParams(op->getOperand(activations.front()));
    bool agree = llvm::all_of(activations, [&](unsigned i) {
      return getParams(op->getOperand(i)) == first;
    });
    if (agree) {
      setParams(result, first);
      return;
    }
    Range u{0.0, 0.0};
    for (unsigned i : activations) {
      auto [lo, hi] = getRepresentableRange(getParams(op->getOperand(i)));
      u.lo = std::min(u.lo, lo);
      u.hi = std::max(u.hi, hi);
    }
    quant::UniformQuantizedType unified = paramsForRange(u);
    setParams(result, unified);
    for (unsigned i : activations) {
      Value input = op->getOperand(i);
      if (getParams(input) == unified)
        continue;
      // A single-use input whose parameters are its own choice can simply
      // take the unified ones; anything else is requantized.
      if (input.hasOneUse() && isFreeValue(input)) {
        setParams(input, unified);
        continue;
      }
      plans[op].requantized.push_back({i, getParams(input), unified});
    }
  }

  /// Whether a value's parameters come from its own range (and may be
  /// changed without touching another value).
  bool isFreeValue(Value v) const {
    Operation *def = v.getDefiningOp();
    if (!def)
      return true;
    if (auto iface = dyn_cast<QuantPropagationInterface>(def))
      return iface.getQuantRule() == QuantRule::Free;
    return true;
  }

  /// The conventional exact parameters of a fixed output range:
  /// scale (hi - lo) / 2^bits, and the zero point that maps lo to qmin.
  quant::UniformQuantizedType fixedRangeParams(std::pair<double, double> r) {
    StorageRange q = activation.range();
    QuantParams p;
    p.scale = (r.second - r.first) / double(int64_t(1) << activation.bits);
    p.zeroPoint =
        q.clamp(q.min - int64_t(roundHalfToEven(r.first / p.scale)));
    QuantScheme plain = activation;
    plain.narrow = false;
    return cast<quant::UniformQuantizedType>(
        buildQuantType(func.getContext(), plain, {p}, std::nullopt));
  }

  /// Inserts `quantize` + `dequantize` of `v` with `type` at the builder's
  /// insertion point and returns the dequantize.
  DequantizeOp insertQDQ(OpBuilder &b, Location loc, Value v,
                         quant::QuantizedType type) {
    auto tensorType = cast<RankedTensorType>(v.getType());
    auto q = QuantizeOp::create(b, loc, tensorType.clone(type), v, Value(),
                                Value(), IntegerAttr());
    return DequantizeOp::create(b, loc, tensorType, q, Value(), Value(),
                                IntegerAttr());
  }

  void materialize() {
    OpBuilder b(func.getContext());
    // Values: one QDQ pair after the definition, used by every user.
    // Arguments' pairs go to the block start, in argument order.
    DenseMap<Block *, Operation *> lastArgumentPair;
    for (auto &[value, type] : params) {
      if (existing.contains(value))
        continue;
      if (auto arg = dyn_cast<BlockArgument>(value)) {
        Operation *&last = lastArgumentPair[arg.getOwner()];
        if (last)
          b.setInsertionPointAfter(last);
        else
          b.setInsertionPointToStart(arg.getOwner());
      } else {
        b.setInsertionPointAfter(value.getDefiningOp());
      }
      DequantizeOp dq = insertQDQ(b, value.getLoc(), value, type);
      value.replaceAllUsesExcept(dq, dq.getInput().getDefiningOp());
      if (auto arg = dyn_cast<BlockArgument>(value))
        lastArgumentPair[arg.getOwner()] = dq;
    }
    // Weights, biases and requantized inputs: per use, before the op.
    for (auto &[op, p] : plans) {
      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      if (p.weightIndex) {
        Value w = op->getOperand(*p.weightIndex);
        op->setOperand(*p.weightIndex, insertQDQ(b, loc, w, p.weightType));
        if (p.biasIndex)
          op->setOperand(*p.biasIndex,
                         insertQDQ(b, loc, op->getOperand(*p.biasIndex),
                                   biasType(p.inputType, p.weightType)));
      }
      for (const OpPlan::Requantized &r : p.requantized) {
        op->emitRemark("requantizing operand #")
            << r.index << " from " << r.from << " to " << r.to;
        op->setOperand(r.index,
                       insertQDQ(b, loc, op->getOperand(r.index), r.to));
      }
    }
  }

  /// i32, zero point 0, scale input scale x weight scale (per channel where
  /// the weight is).
  quant::QuantizedType biasType(quant::UniformQuantizedType input,
                                quant::QuantizedType weight) {
    SmallVector<QuantParams> wp = getQuantParams(weight);
    SmallVector<QuantParams> bp;
    for (const QuantParams &p : wp)
      bp.push_back({input.getScale() * p.scale, 0});
    std::optional<int64_t> axis;
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weight))
      axis = 0;
    return buildQuantType(func.getContext(), QuantScheme{32, true, false, false},
                          bp, axis);
  }

  func::FuncOp func;
  QuantScheme activation;
  bool strict;
  bool wideSums;
  DenseMap<Value, Range> ranges;
  llvm::MapVector<Value, quant::UniformQuantizedType> params;
  /// Values produced by a dequantize already in the graph.
  llvm::DenseSet<Value> existing;
  llvm::MapVector<Operation *, OpPlan> plans;
};

struct InferScalesPass : public mlir::qc::impl::QCInferScalesBase<InferScalesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (activationType != "u8" && activationType != "i8") {
      getOperation().emitError("qc-infer-scales: unknown activation-type '")
          << activationType << "' (expected u8 or i8)";
      return signalPassFailure();
    }
    QuantScheme act;
    act.bits = 8;
    act.isSigned = activationType == "i8";
    act.symmetric = symmetricActivations;
    if (failed(ScaleInference(getOperation(), act, strict, wideSums).run()))
      signalPassFailure();
  }
};

} // namespace
