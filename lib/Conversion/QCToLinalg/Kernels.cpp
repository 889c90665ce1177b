//===- Kernels.cpp - Micro-kernel lowering of convolution and matmul ------===//
//
// The fast path of qc.conv2d and qc.matmul. Both become one GEMM shape,
//
//   C[r][c] = sum_k X[r][k] * Y[k][c]   (then + bias, requantize, store)
//
// computed by a register-tiled micro-kernel: a tile of `rows` x `vectors`
// accumulator vectors, fed per K group by one broadcast of X per row and one
// vector load of Y per vector column (see docs/Kernels.md for pictures).
//
// * matmul: X = the activations (row-major, K contiguous), Y = the weights,
//   packed at compile time as [N/NR][K/kg][NR][kg]: kg consecutive K values
//   of one column fill one 32-bit lane, NR columns make a tile.
// * conv2d: X = the weights [O][K] (a constant), Y = the im2col'd input,
//   packed at run time into the same layout with pixels as columns, so the
//   kernel's vector stores write NCHW output rows directly.
//
// Integer kernels compute sum_k a'[k] * w[k] where a' is the activation as
// the instruction wants it (x86 vpdpbusd: u8, so i8 activations are shifted
// by +128; AArch64 sdot: s8, so u8 activations are shifted by -128). With
// s the shift and za the activation zero point,
//
//   sum_k (a - za) * w + bias = sum_k a' * w + (bias - (s + za) * sum_k w),
//
// and the bracket is a per-channel constant folded at compile time. Weights
// must be symmetric (zero point 0); others take the reference lowering.
// Every product is < 2^15 in magnitude and the planner checks that the sum
// over K plus the folded bias stays below 2^31, so i32 accumulation is exact
// and the result equals the reference bit for bit.
//
//===----------------------------------------------------------------------===//

#include "GemmKernel.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

//===----------------------------------------------------------------------===//
// Compile-time packing and compensation
//===----------------------------------------------------------------------===//

DenseElementsAttr lowering::getConstant(Value v) {
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  if (auto c = v.getDefiningOp<qc::ConstantOp>())
    return dyn_cast<DenseElementsAttr>(c.getValue());
  return {};
}

namespace {

SmallVector<int64_t> intValues(DenseElementsAttr attr, bool isUnsigned) {
  SmallVector<int64_t> v;
  for (APInt x : attr.getValues<APInt>())
    v.push_back(isUnsigned ? int64_t(x.getZExtValue()) : x.getSExtValue());
  return v;
}

/// Packs W (given as w(k, c) for k < K, c < C) into the vector side layout
/// [C/NR][K/kg][NR][kg] with zeros outside.
template <typename T>
SmallVector<T> packVectorSide(const GemmConfig &cfg,
                              function_ref<T(int64_t, int64_t)> w) {
  SmallVector<T> packed(cfg.colTiles() * cfg.tileSize(), T(0));
  int64_t nr = cfg.tileCols(), kg = cfg.kGroup;
  for (int64_t t = 0; t < cfg.colTiles(); ++t)
    for (int64_t g = 0; g < cfg.groups(); ++g)
      for (int64_t j = 0; j < nr; ++j)
        for (int64_t kk = 0; kk < kg; ++kk) {
          int64_t k = g * kg + kk, c = t * nr + j;
          if (k < cfg.depth && c < cfg.cols)
            packed[((t * cfg.groups() + g) * nr + j) * kg + kk] = w(k, c);
        }
  return packed;
}

/// The folded i32 bias of an integer kernel: bias - (s + za) * sum_k w,
/// checked against the accumulator bound. Fails when i32 could overflow.
LogicalResult foldBias(ArrayRef<int64_t> bias, ArrayRef<int64_t> weightSums,
                       int64_t shiftPlusZp, int64_t depth,
                       SmallVectorImpl<int32_t> &out) {
  const int64_t bound = int64_t(1) << 31;
  for (size_t c = 0; c < weightSums.size(); ++c) {
    int64_t v = (bias.empty() ? 0 : bias[c]) - shiftPlusZp * weightSums[c];
    if (std::llabs(v) + 255 * 128 * depth >= bound)
      return failure();
    out.push_back(int32_t(v));
  }
  return success();
}

Value constantBuffer(LoweringState &state, Location loc, ArrayRef<int8_t> v) {
  return state.getConstantBuffer(
      loc, DenseElementsAttr::get(
               RankedTensorType::get({int64_t(v.size())},
                                     state.builder.getI8Type()),
               v));
}
template <typename T>
Value constantBuffer(LoweringState &state, Location loc, ArrayRef<T> v,
                     Type element) {
  return state.getConstantBuffer(
      loc, DenseElementsAttr::get(
               RankedTensorType::get({int64_t(v.size())}, element), v));
}

/// Whether an op's quantized product qualifies for integer kernels; fills
/// the weight values and bias values.
struct IntegerProduct {
  SmallVector<int64_t> weights; // as stored, signed
  SmallVector<int64_t> bias;    // empty when absent
  SmallVector<float> multipliers;
  bool activationUnsigned = true;
  int64_t inputZp = 0;
  quant::UniformQuantizedType output;
  bool exact = false;
};

std::optional<IntegerProduct>
analyzeIntegerProduct(Operation *op, Value input, Value weight, Value bias,
                      int64_t channels) {
  auto in = getPerTensorType(input.getType());
  auto out = getPerTensorType(op->getResult(0).getType());
  auto w = getQuantElementType(weight.getType());
  if (!in || !out || !w)
    return std::nullopt;
  if (in.getStorageTypeIntegralWidth() != 8 ||
      w.getStorageTypeIntegralWidth() != 8 || !w.isSigned())
    return std::nullopt;
  if (llvm::any_of(getQuantParams(w),
                   [](const QuantParams &p) { return p.zeroPoint != 0; }))
    return std::nullopt; // Asymmetric weights: reference lowering.
  DenseElementsAttr wAttr = getConstant(weight);
  if (!wAttr)
    return std::nullopt;
  IntegerProduct p;
  p.weights = intValues(wAttr, /*isUnsigned=*/false);
  if (bias) {
    DenseElementsAttr bAttr = getConstant(bias);
    if (!bAttr)
      return std::nullopt;
    p.bias = intValues(bAttr, false);
  }
  p.multipliers = getRequantMultipliers(input.getType(), weight.getType(),
                                        op->getResult(0).getType(), channels);
  p.exact = isExactAccumulatorOutput(op->getResult(0).getType(), p.multipliers);
  if (!p.exact && out.getStorageTypeIntegralWidth() != 8)
    return std::nullopt;
  p.activationUnsigned = !in.isSigned();
  p.inputZp = in.getZeroPoint();
  p.output = out;
  if (p.multipliers.size() == 1)
    p.multipliers.assign(channels, p.multipliers.front());
  return p;
}

} // namespace

bool lowering::kernelsEnabled(const LoweringOptions &options) {
  return !options.reference && options.target &&
         options.target->dot != DotKind::None;
}

namespace {

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

/// Shapes of a matmul the kernels take: lhs [..., M, K] (or [K]) against a
/// constant 2-D rhs [K, N].
struct MatMulShape {
  int64_t m, n, k;
};

std::optional<MatMulShape> getMatMulShape(MatMulOp op) {
  auto lhs = op.getLhs().getType(), rhs = op.getRhs().getType();
  if (rhs.getRank() != 2)
    return std::nullopt;
  MatMulShape s;
  s.k = rhs.getDimSize(0);
  s.n = rhs.getDimSize(1);
  s.m = lhs.getNumElements() / s.k;
  return s;
}

struct MatMulPlan {
  GemmConfig cfg;
  bool packActivations = false;
  std::optional<IntegerProduct> product;
  /// The integer bias with the zero-point terms folded in (one per column).
  SmallVector<int32_t> foldedBias;
};

std::optional<MatMulPlan> planMatMul(MatMulOp op, const LoweringOptions &opts) {
  if (!kernelsEnabled(opts))
    return std::nullopt;
  auto shape = getMatMulShape(op);
  if (!shape)
    return std::nullopt;
  MatMulPlan plan;
  const TargetDesc &t = *opts.target;
  if (isQuantized(op.getType())) {
    plan.product = analyzeIntegerProduct(op, op.getLhs(), op.getRhs(),
                                         op.getBias(), shape->n);
    if (!plan.product)
      return std::nullopt;
    plan.cfg = makeConfig(opts, false, shape->m, shape->n, shape->k,
                          /*broadcastIsActivation=*/true,
                          !t.signedActivations);
    plan.packActivations = needsShift(t, plan.product->activationUnsigned) ||
                           shape->k % plan.cfg.kGroup != 0;
    // Decided here, not at lowering time: an op whose accumulator could
    // overflow i32 takes the reference path, which plans its own scratch.
    const IntegerProduct &p = *plan.product;
    SmallVector<int64_t> colSums(shape->n, 0);
    for (int64_t k = 0; k < shape->k; ++k)
      for (int64_t c = 0; c < shape->n; ++c)
        colSums[c] += p.weights[k * shape->n + c];
    if (failed(foldBias(p.bias, colSums,
                        shiftOf(t, p.activationUnsigned) + p.inputZp, shape->k,
                        plan.foldedBias)))
      return std::nullopt;
    return plan;
  }
  if (!getConstant(op.getRhs()) ||
      (op.getBias() && !getConstant(op.getBias())))
    return std::nullopt;
  plan.cfg = makeConfig(opts, true, shape->m, shape->n, shape->k, true, true);
  return plan;
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

struct ConvPlan {
  GemmConfig cfg; // per group: rows = Og, cols = pixels, depth = Cg*KH*KW
  std::optional<IntegerProduct> product;
  int64_t pixels = 0;
  /// The integer bias with the zero-point terms folded in (one per output
  /// channel).
  SmallVector<int32_t> foldedBias;
};

bool isDepthwise(Conv2DOp op) {
  int64_t c = op.getInput().getType().getDimSize(1);
  int64_t o = op.getWeight().getType().getDimSize(0);
  return int64_t(op.getGroups()) == c && o == c && c > 1;
}

std::optional<ConvPlan> planConv(Conv2DOp op, const LoweringOptions &opts) {
  if (!kernelsEnabled(opts) || isDepthwise(op))
    return std::nullopt;
  auto in = op.getInput().getType();
  auto w = op.getWeight().getType();
  auto out = op.getType();
  int64_t g = op.getGroups();
  int64_t og = w.getDimSize(0) / g;
  int64_t depth = w.getDimSize(1) * w.getDimSize(2) * w.getDimSize(3);
  ConvPlan plan;
  plan.pixels = out.getDimSize(2) * out.getDimSize(3);
  const TargetDesc &t = *opts.target;
  if (isQuantized(out)) {
    plan.product = analyzeIntegerProduct(op, op.getInput(), op.getWeight(),
                                         op.getBias(), w.getDimSize(0));
    if (!plan.product)
      return std::nullopt;
    plan.cfg = makeConfig(opts, false, og, plan.pixels, depth,
                          /*broadcastIsActivation=*/false,
                          !t.signedActivations);
    const IntegerProduct &p = *plan.product;
    SmallVector<int64_t> rowSums(w.getDimSize(0), 0);
    for (int64_t r = 0; r < w.getDimSize(0); ++r)
      for (int64_t k = 0; k < depth; ++k)
        rowSums[r] += p.weights[r * depth + k];
    if (failed(foldBias(p.bias, rowSums,
                        shiftOf(t, p.activationUnsigned) + p.inputZp, depth,
                        plan.foldedBias)))
      return std::nullopt;
    return plan;
  }
  if (!getConstant(op.getWeight()) ||
      (op.getBias() && !getConstant(op.getBias())))
    return std::nullopt;
  (void)in;
  plan.cfg = makeConfig(opts, true, og, plan.pixels, depth, false, true);
  return plan;
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::optional<SmallVector<MemRefType>>
lowering::getKernelScratch(MatMulOp op, const LoweringOptions &options) {
  auto plan = planMatMul(op, options);
  if (!plan)
    return std::nullopt;
  SmallVector<MemRefType> scratch;
  Builder b(op.getContext());
  if (plan->packActivations)
    scratch.push_back(MemRefType::get(
        {plan->cfg.rows * plan->cfg.paddedDepth() + 64}, b.getI8Type()));
  return scratch;
}

std::optional<SmallVector<MemRefType>>
lowering::getKernelScratch(Conv2DOp op, const LoweringOptions &options) {
  if (isDepthwise(op))
    return getDepthwiseScratch(op, options);
  auto plan = planConv(op, options);
  if (!plan)
    return std::nullopt;
  Builder b(op.getContext());
  Type element = plan->cfg.isFloat ? (Type)b.getF32Type() : (Type)b.getI8Type();
  SmallVector<MemRefType> scratch = {MemRefType::get(
      {plan->cfg.colTiles() * plan->cfg.tileSize() + 64}, element)};
  if (!isPointwise(op)) // The im2col rows, [K][P].
    scratch.push_back(
        MemRefType::get({plan->cfg.depth * plan->pixels}, element));
  return scratch;
}

LogicalResult lowering::tryLowerMatMulWithKernel(MatMulOp op,
                                                 LoweringState &state) {
  auto plan = planMatMul(op, state.options);
  if (!plan)
    return failure();
  OpBuilder &b = state.builder;
  Location loc = op.getLoc();
  const GemmConfig &cfg = plan->cfg;
  auto shape = *getMatMulShape(op);
  GemmOperands ops;
  ops.channelIsRow = false;
  ops.ldc = shape.n;
  ops.out = reshapeBuffer(b, loc, state.result,
                          SmallVector<int64_t>{shape.m * shape.n});
  Value lhs = reshapeBuffer(b, loc, state.operands[0],
                            SmallVector<int64_t>{shape.m * shape.k});

  if (!plan->product) {
    // f32: pack the weights, broadcast the bias.
    DenseElementsAttr w = getConstant(op.getRhs());
    SmallVector<float> wv(w.getValues<float>());
    auto packed = packVectorSide<float>(cfg, [&](int64_t k, int64_t c) {
      return wv[k * shape.n + c];
    });
    ops.y = constantBuffer<float>(state, loc, packed, b.getF32Type());
    SmallVector<float> bias(cfg.colTiles() * cfg.tileCols(), 0.0f);
    if (op.getBias()) {
      SmallVector<float> bv(getConstant(op.getBias()).getValues<float>());
      std::copy(bv.begin(), bv.end(), bias.begin());
    }
    ops.bias = constantBuffer<float>(state, loc, bias, b.getF32Type());
    ops.x = lhs;
    ops.ldx = shape.k;
    emitGemm(b, loc, cfg, ops);
    return success();
  }

  const IntegerProduct &p = *plan->product;
  const TargetDesc &t = *state.options.target;
  auto packed = packVectorSide<int8_t>(cfg, [&](int64_t k, int64_t c) {
    return int8_t(p.weights[k * shape.n + c]);
  });
  SmallVector<int32_t> bias(plan->foldedBias);
  bias.resize(cfg.colTiles() * cfg.tileCols(), 0);
  SmallVector<float> mult(p.multipliers);
  mult.resize(bias.size(), 0.0f);
  ops.y = constantBuffer(state, loc, ArrayRef<int8_t>(packed));
  ops.bias = constantBuffer<int32_t>(state, loc, bias, b.getI32Type());
  ops.mult = constantBuffer<float>(state, loc, mult, b.getF32Type());
  ops.outZp = p.output.getZeroPoint();
  ops.range = getProductOutputRange(op);
  ops.outBits = p.output.getStorageTypeIntegralWidth();
  ops.exact = p.exact;

  if (plan->packActivations) {
    // Copy the activations with K padded to the group size and, where the
    // instruction wants the other signedness, the +-128 shift (xor 0x80).
    Value dst = state.scratch[0];
    bool shift = needsShift(t, p.activationUnsigned);
    int64_t kp = cfg.paddedDepth();
    auto rows = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, shape.m),
                                   idx(b, loc, 1));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(rows.getBody());
      Value r = rows.getInductionVar();
      auto cols = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, kp),
                                     idx(b, loc, 1));
      b.setInsertionPointToStart(cols.getBody());
      Value k = cols.getInductionVar();
      Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                            k, idx(b, loc, shape.k));
      Value kc = arith::MinSIOp::create(b, loc, k, idx(b, loc, shape.k - 1));
      Value v = memref::LoadOp::create(
          b, loc, lhs, addi(b, loc, muli(b, loc, r, shape.k), kc));
      if (shift)
        v = arith::XOrIOp::create(b, loc, v,
                                  constantOf(b, loc, b.getI8Type(), int64_t(-128)));
      v = arith::SelectOp::create(b, loc, inRange, v,
                                  constantOf(b, loc, b.getI8Type(), int64_t(0)));
      memref::StoreOp::create(b, loc, v, dst,
                              addi(b, loc, muli(b, loc, r, kp), k));
    }
    ops.x = dst;
    ops.ldx = kp;
  } else {
    ops.x = lhs;
    ops.ldx = shape.k;
  }
  emitGemm(b, loc, cfg, ops);
  return success();
}

LogicalResult lowering::tryLowerConvWithKernel(Conv2DOp op,
                                               LoweringState &state) {
  if (isDepthwise(op))
    return tryLowerDepthwise(op, state);
  auto plan = planConv(op, state.options);
  if (!plan)
    return failure();
  OpBuilder &b = state.builder;
  Location loc = op.getLoc();
  const GemmConfig &cfg = plan->cfg;
  auto inType = op.getInput().getType();
  auto wType = op.getWeight().getType();
  auto outType = op.getType();
  int64_t n = inType.getDimSize(0), o = wType.getDimSize(0);
  int64_t g = op.getGroups(), og = o / g;
  int64_t depth = cfg.depth, kp = cfg.paddedDepth();
  int64_t pixels = plan->pixels;
  const TargetDesc &t = *state.options.target;

  Value input = reshapeBuffer(b, loc, state.operands[0],
                              SmallVector<int64_t>{inType.getNumElements()});
  Value packed = state.scratch[0];
  GemmOperands ops;
  ops.channelIsRow = true;
  ops.ldc = pixels;
  ops.out = reshapeBuffer(b, loc, state.result,
                          SmallVector<int64_t>{outType.getNumElements()});
  ops.y = packed;
  ops.ldx = kp;
  Value rawPad;
  bool shift = false;

  if (!plan->product) {
    SmallVector<float> wv(getConstant(op.getWeight()).getValues<float>());
    SmallVector<float> weights(o * kp, 0.0f);
    for (int64_t r = 0; r < o; ++r)
      for (int64_t k = 0; k < depth; ++k)
        weights[r * kp + k] = wv[r * depth + k];
    ops.x = constantBuffer<float>(state, loc, weights, b.getF32Type());
    SmallVector<float> bias(o, 0.0f);
    if (op.getBias()) {
      SmallVector<float> bv(getConstant(op.getBias()).getValues<float>());
      bias.assign(bv.begin(), bv.end());
    }
    ops.bias = constantBuffer<float>(state, loc, bias, b.getF32Type());
    rawPad = constantOf(b, loc, b.getF32Type(), 0.0);
  } else {
    const IntegerProduct &p = *plan->product;
    SmallVector<int8_t> weights(o * kp, 0);
    for (int64_t r = 0; r < o; ++r)
      for (int64_t k = 0; k < depth; ++k)
        weights[r * kp + k] = int8_t(p.weights[r * depth + k]);
    ArrayRef<int32_t> bias = plan->foldedBias;
    ops.x = constantBuffer(state, loc, ArrayRef<int8_t>(weights));
    ops.bias = constantBuffer<int32_t>(state, loc, bias, b.getI32Type());
    ops.mult = constantBuffer<float>(state, loc, p.multipliers, b.getF32Type());
    ops.outZp = p.output.getZeroPoint();
    ops.range = getProductOutputRange(op);
    ops.outBits = p.output.getStorageTypeIntegralWidth();
    ops.exact = p.exact;
    shift = needsShift(t, p.activationUnsigned);
    // The padding holds the input's zero point (the packing shifts it with
    // the data), so it contributes nothing.
    rawPad =
        constantOf(b, loc, b.getI8Type(), int64_t(int8_t(p.inputZp & 0xff)));
  }

  // One loop over the images of the batch (not unrolled: code size stays
  // that of one image whatever the batch).
  auto images = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, n),
                                   idx(b, loc, 1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(images.getBody());
  Value img = images.getInductionVar();
  int64_t cg = wType.getDimSize(1);
  for (int64_t gi = 0; gi < g; ++gi) {
    if (isPointwise(op)) {
      // The input's channels are the rows.
      Value base =
          muli(b, loc,
               addc(b, loc, muli(b, loc, img, inType.getDimSize(1)), gi * cg),
               pixels);
      emitPackRows(b, loc, cfg, input, base, pixels, packed, shift);
    } else {
      emitIm2Rows(b, loc, op, input, state.scratch[1], img, gi, rawPad);
      emitPackRows(b, loc, cfg, state.scratch[1], idx(b, loc, 0), pixels,
                   packed, shift);
    }
    GemmOperands groupOps = ops;
    groupOps.xOffset = gi * og * kp;
    groupOps.channelOffset = gi * og;
    groupOps.outOffset = gi * og * pixels;
    groupOps.outBase = muli(b, loc, img, o * pixels);
    emitGemm(b, loc, cfg, groupOps);
  }
  return success();
}
