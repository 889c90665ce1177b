//===- SelectKernels.cpp - Bind convolutions and matmuls to micro-kernels -===//
//
// qc-select-kernels: the kernel decision, made once and written into the IR.
// For each qc.conv2d and qc.matmul the pass either
//
//  * rewrites it into qc.packed_conv2d / qc.packed_matmul /
//    qc.packed_depthwise_conv2d with the kernel configuration (#qc.kernel:
//    instruction family, register tile, K group, cache blocks, activation
//    shift), the weights packed into the kernel's layout as a new constant
//    and the zero-point and shift terms folded into the bias, or
//  * leaves it for the reference lowering,
//
// and says which with a remark naming the kernel or the reason it was
// declined. The integer kernels compute sum_k a'[k] * w[k] with a' = a + s
// the activation as the instruction wants it; with za the activation zero
// point,
//
//   sum_k (a - za) * w + bias = sum_k a' * w + (bias - (s + za) * sum_k w),
//
// so the bracket is the folded bias. Weights must be symmetric. Every
// product is below 2^15 in magnitude and the pass declines an op whose
// folded bias plus K such products could leave i32, so the kernel's i32 sum
// is exact and equals the reference lowering's bit for bit.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/Support/TargetDesc.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCSELECTKERNELS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The dense value of a constant (arith.constant or qc.constant), or null.
DenseElementsAttr getConstant(Value v) {
  if (!v)
    return {};
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  if (auto c = v.getDefiningOp<qc::ConstantOp>())
    return dyn_cast<DenseElementsAttr>(c.getValue());
  return {};
}

SmallVector<int64_t> intValues(DenseElementsAttr attr) {
  SmallVector<int64_t> v;
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  for (APInt x : attr.getValues<APInt>())
    v.push_back(isUnsigned ? int64_t(x.getZExtValue()) : x.getSExtValue());
  return v;
}

/// The GEMM shape of a product and the register tile and cache blocks
/// chosen for it.
struct Tiling {
  int64_t rows = 0, cols = 0, depth = 0;
  unsigned lanes = 4, kGroup = 4, tileRows = 1, tileVectors = 1;
  int64_t blockRows = 1;
  /// K values per cache block (f32 only; 0: all of K).
  int64_t blockDepth = 0;
  /// AMX tiles instead of the target's vector dot instruction, or on an
  /// AMX target why not (for the remark).
  bool amx = false;
  std::string notAmx;

  int64_t tileCols() const { return int64_t(lanes) * tileVectors; }
  int64_t colTiles() const { return ceilDiv(cols, tileCols()); }
  int64_t paddedCols() const { return colTiles() * tileCols(); }
  /// K padded to the K group, or to 64 for AMX (a tile row of bytes).
  int64_t paddedDepth() const {
    int64_t align = amx ? 64 : kGroup;
    return ceilDiv(depth, align) * align;
  }
  int64_t groups() const { return paddedDepth() / kGroup; }
};

/// The smallest products AMX tiles pay for; smaller ones stay on the
/// vector kernels. A tile holds 16 rows of A; a step covers 32 columns and
/// 64 K values, so fewer columns (a convolution over a 4x4 image) or a
/// shorter K (a 3x3 convolution of 1 channel: K = 9) would mostly compute
/// padding, and the packing of a partial column tile is element-wise.
constexpr int64_t kAmxMinRows = 16, kAmxMinCols = 32, kAmxMinDepth = 64;

/// Why a product on an AMX target stays on the vector kernels, or "" when
/// it takes AMX tiles.
std::string amxDecline(int64_t rows, int64_t cols, int64_t depth) {
  if (rows < kAmxMinRows)
    return "fewer than " + std::to_string(kAmxMinRows) +
           " rows of the broadcast operand";
  if (cols < kAmxMinCols)
    return "fewer than " + std::to_string(kAmxMinCols) + " columns";
  if (depth < kAmxMinDepth)
    return "K below " + std::to_string(kAmxMinDepth);
  return "";
}

/// The register tile and row blocks of a rows x cols GEMM over depth.
Tiling chooseTiling(const TargetDesc &target, bool isFloat, int64_t rows,
                    int64_t cols, int64_t depth, uint64_t blockBytes) {
  Tiling t;
  t.rows = rows;
  t.cols = cols;
  t.depth = depth;
  t.lanes = target.lanes();
  t.kGroup = isFloat ? 1 : target.kGroup;
  if (target.amx && !isFloat)
    t.notAmx = amxDecline(rows, cols, depth);
  if (target.amx && !isFloat && t.notAmx.empty()) {
    // 1 or 2 A tiles of 16 rows x 2 B tiles of 16 columns: 2 x 2 C tiles
    // of i32 use 4 of the 8 tile registers, the operands the other 4.
    t.amx = true;
    t.lanes = 16;
    t.kGroup = 4;
    t.tileRows = rows >= 2 * kAmxMinRows ? 2 * kAmxMinRows : kAmxMinRows;
    t.tileVectors = 2;
    int64_t budget = blockBytes ? blockBytes : target.blockBytes;
    int64_t fit = budget / std::max<int64_t>(t.paddedDepth(), 1);
    int64_t block = std::max<int64_t>(fit / t.tileRows, 1) * t.tileRows;
    t.blockRows = std::min(block, rows);
    return t;
  }
  unsigned tileRows = isFloat ? target.f32Rows : target.rows;
  unsigned vectors = isFloat ? target.f32Vectors : target.vectors;
  if (rows < tileRows) {
    // Few rows (M = 1 GEMV): widen the tile to keep >= 8 independent
    // accumulator chains, as many as the registers allow.
    tileRows = std::max<int64_t>(rows, 1);
    unsigned budget = target.vectorRegisters - 2;
    vectors = std::max<unsigned>(vectors, 8 / tileRows);
    while (tileRows * vectors + vectors > budget && vectors > 1)
      --vectors;
  }
  int64_t colVectors = ceilDiv(cols, t.lanes);
  vectors = std::min<int64_t>(vectors, std::max<int64_t>(colVectors, 1));
  // A narrower tile where the widest one would mostly compute padding (49
  // columns: 2 x 2 vectors rather than 3 + 1). Per K group a tile of R x V
  // vectors issues R * V dot products and R + V loads, about two of either
  // per cycle: a narrower tile is taken when it costs at least 10% less
  // over all column tiles, each counted whole. (The tail tile computes
  // only the vectors it needs, so this overstates a wide tile's tail; for
  // 49 columns both ran as fast, 512 channels of 7x7 int8 and f32, and the
  // counted cost is kept.)
  auto cost = [&](int64_t v) {
    return ceilDiv(colVectors, v) *
           std::max<int64_t>(tileRows * v, tileRows + v);
  };
  for (int64_t v = vectors - 1; v >= 1; --v)
    if (cost(v) * 10 <= cost(vectors) * 9)
      vectors = v;
  t.tileRows = tileRows;
  t.tileVectors = vectors;
  // A row block holds as many rows of the broadcast operand as fit the
  // cache budget, so that every column tile passes over it while it is in
  // L2 instead of streaming all of it from memory once per column tile.
  int64_t budget = blockBytes ? blockBytes : target.blockBytes;
  int64_t effectiveDepth = depth;
  if (isFloat) {
    // f32 rows are 4x as long: half the budget, so that the packed
    // operand's column tile (up to 1024 x 48 f32: 192 KiB) stays in L2
    // next to the row block (measured on 2048^3: 190 -> 220 GFLOP/s).
    budget = std::max<int64_t>(budget / 2, 1);
    // Deep K runs in K blocks of at most 1024 (fewer where the column
    // tile's block would outgrow the budget), so that the block stays in
    // L2 while the row tiles pass over it; each block after the first
    // adds to the partial sums in the output (exact: the same f32 fmas in
    // the same order). Only where the row tiles divide the rows: the
    // overlapping last tile would add its block twice to the rows it
    // shares.
    int64_t maxBlockDepth =
        std::clamp<int64_t>(budget / (4 * t.tileCols()) / 64 * 64, 64, 1024);
    if (depth >= 2 * maxBlockDepth && rows % tileRows == 0) {
      int64_t passes = ceilDiv(depth, maxBlockDepth);
      t.blockDepth = ceilDiv(ceilDiv(depth, passes), 64) * 64;
      effectiveDepth = t.blockDepth;
    }
  }
  int64_t rowBytes = effectiveDepth * (isFloat ? 4 : 1);
  int64_t fit = budget / std::max<int64_t>(rowBytes, 1);
  int64_t block = std::max<int64_t>(fit / tileRows, 1) * tileRows;
  t.blockRows = std::min(block, std::max<int64_t>(rows, 1));
  return t;
}

StringRef kindOf(const TargetDesc &target, const Tiling &t, bool isFloat) {
  if (isFloat)
    return "fma";
  if (t.amx)
    return "amx";
  switch (target.dot) {
  case DotKind::Vnni512:
    return "vnni512";
  case DotKind::Vnni256:
    return "vnni256";
  case DotKind::MAddWd256:
    return "avx2-maddwd";
  case DotKind::NeonSDot:
    return "neon-sdot";
  case DotKind::None:
    break;
  }
  return "";
}

/// What an integer product needs from its operands' types.
struct IntegerProduct {
  SmallVector<int64_t> weights;
  SmallVector<int64_t> bias; // empty when absent
  SmallVector<float> multipliers;
  int64_t inputZp = 0;
  bool activationUnsigned = true;
  bool exact = false;
  StorageRange range;
};

/// An 8-bit type quantized per tensor, or null.
quant::UniformQuantizedType getByteType(Type t) {
  auto q = getPerTensorType(t);
  return q && q.getStorageTypeIntegralWidth() == 8 ? q : nullptr;
}

/// A 16-bit type quantized per tensor, or null.
quant::UniformQuantizedType getWideType(Type t) {
  auto q = getPerTensorType(t);
  return q && q.getStorageTypeIntegralWidth() == 16 ? q : nullptr;
}

/// Whether `act` can be the epilogue of a product kernel: no per-channel
/// factors (the kernel applies one function to every lane), and for a
/// quantized result one 8-bit type per tensor.
bool isFusableActivation(ActivationOp act, std::string &why) {
  if (act.hasChannelScales()) {
    why = "it has per-channel factors";
    return false;
  }
  if (isQuantized(act.getType()) && !getByteType(act.getType())) {
    why = "its result is not 8-bit per tensor";
    return false;
  }
  return true;
}

/// Checks the types of a quantized product for the integer kernels; on
/// failure `why` says what disqualifies it. A 16-bit result (the sum type
/// of a residual add or activation fused later) is stored as 16-bit values
/// where its user does not take it.
std::optional<IntegerProduct>
analyzeIntegerProduct(Operation *op, Value input, Value weight, Value bias,
                      int64_t channels, FloatAttr clampMin, FloatAttr clampMax,
                      std::string &why) {
  auto in = getPerTensorType(input.getType());
  auto out = getPerTensorType(op->getResult(0).getType());
  auto w = getQuantElementType(weight.getType());
  if (!in || !out || !w) {
    why = "the input and result are not quantized per tensor";
    return std::nullopt;
  }
  if (in.getStorageTypeIntegralWidth() != 8 ||
      w.getStorageTypeIntegralWidth() != 8 || !w.isSigned()) {
    why = "the kernels take 8-bit activations and signed 8-bit weights";
    return std::nullopt;
  }
  if (llvm::any_of(getQuantParams(w),
                   [](const QuantParams &p) { return p.zeroPoint != 0; })) {
    why = "the weights are asymmetric (non-zero zero point)";
    return std::nullopt;
  }
  DenseElementsAttr wAttr = getConstant(weight);
  if (!wAttr) {
    why = "the weights are not a constant";
    return std::nullopt;
  }
  IntegerProduct p;
  p.weights = intValues(wAttr);
  if (bias) {
    DenseElementsAttr bAttr = getConstant(bias);
    if (!bAttr) {
      why = "the bias is not a constant";
      return std::nullopt;
    }
    p.bias = intValues(bAttr);
  }
  p.multipliers = getRequantMultipliers(input.getType(), weight.getType(),
                                        op->getResult(0).getType(), channels);
  p.exact = isExactAccumulatorOutput(op->getResult(0).getType(), p.multipliers);
  if (!p.exact && out.getStorageTypeIntegralWidth() != 8 &&
      out.getStorageTypeIntegralWidth() != 16) {
    why = "the result is neither 8-bit nor the plain i32 accumulator";
    return std::nullopt;
  }
  p.activationUnsigned = !in.isSigned();
  p.inputZp = in.getZeroPoint();
  p.range = getClampedStorageRange(out, clampMin, clampMax);
  return p;
}

/// The shift s with a' = a + s that gives activations the signedness the
/// target's instruction wants (x86: u8, AArch64 sdot: s8).
int64_t shiftOf(const TargetDesc &target, bool activationUnsigned) {
  bool kernelUnsigned = !target.signedActivations;
  if (kernelUnsigned == activationUnsigned)
    return 0;
  return activationUnsigned ? -128 : 128;
}

/// The folded bias of an integer kernel, bias - (s + za) * sum_k w, or
/// failure when an i32 accumulator could overflow.
LogicalResult foldBias(ArrayRef<int64_t> bias, ArrayRef<int64_t> weightSums,
                       int64_t shiftPlusZp, int64_t depth, int64_t maxProduct,
                       SmallVectorImpl<int32_t> &out) {
  const int64_t bound = int64_t(1) << 31;
  for (size_t c = 0; c < weightSums.size(); ++c) {
    int64_t v = (bias.empty() ? 0 : bias[c]) - shiftPlusZp * weightSums[c];
    if (std::llabs(v) + maxProduct * depth >= bound)
      return failure();
    out.push_back(int32_t(v));
  }
  return success();
}

class Selector {
public:
  Selector(const TargetDesc &target, uint64_t blockBytes)
      : target(target), blockBytes(blockBytes) {}

  void select(MatMulOp op);
  void select(Conv2DOp op);

private:
  KernelAttr kernelAttr(MLIRContext *ctx, StringRef kind, const Tiling &t,
                        int64_t shift) {
    return KernelAttr::get(ctx, kind, t.lanes, t.kGroup, t.tileRows,
                           t.tileVectors, t.blockRows, shift, t.blockDepth);
  }
  void decline(Operation *op, const Twine &why) {
    op->emitRemark() << "kernel: none, " << op->getName()
                     << " takes the reference lowering: " << why;
  }
  /// `notAmx`: on an AMX target, why the product stays on vectors; for
  /// depthwise, why its taps go one by one.
  void chose(Operation *op, KernelAttr k, StringRef notAmx = "") {
    auto remark = op->emitRemark();
    remark << "kernel: " << k.getKind();
    if (k.getKind() == "depthwise") {
      if (k.getKGroup() == 4)
        remark << ", 4 taps per vpdpbusd";
      else if (!notAmx.empty())
        remark << " (taps one by one: " << notAmx << ")";
      return;
    }
    remark << ", tile " << k.getTileRows() << "x" << k.getTileVectors() << " ("
           << k.getTileRows() << " rows x " << k.getTileCols()
           << " columns), kGroup " << k.getKGroup() << ", " << k.getBlockRows()
           << "-row blocks";
    if (k.getBlockDepth())
      remark << ", K in blocks of " << k.getBlockDepth();
    if (k.getShift())
      remark << ", activations shifted by " << k.getShift();
    if (!notAmx.empty())
      remark << " (not amx: " << notAmx << ")";
  }
  bool dotAvailable(Operation *op) {
    if (target.dot != DotKind::None)
      return true;
    decline(op, "target '" + target.name + "' has no dot-product kernels");
    return false;
  }
  Value i8Constant(OpBuilder &b, Location loc, ArrayRef<int8_t> v,
                   ArrayRef<int64_t> shape) {
    auto type = RankedTensorType::get(shape, b.getI8Type());
    return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, v));
  }
  template <typename T>
  Value constant(OpBuilder &b, Location loc, ArrayRef<T> v, Type element,
                 ArrayRef<int64_t> shape) {
    auto type = RankedTensorType::get(shape, element);
    return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, v));
  }
  void selectDepthwise(Conv2DOp op);
  /// `weightIndex(k, c)`: where weight (k, c) of the [K][N] product is in
  /// the weight constant (row-major [K][N] for a matmul, [N][K] for a
  /// pointwise convolution).
  using WeightIndex = function_ref<int64_t(int64_t, int64_t)>;
  /// The packed matmul of `lhs` ([M][K] in memory) with the constant
  /// weights, created at `b`; null (with the remark) where the kernels
  /// cannot take it.
  Operation *selectColumns(OpBuilder &b, Operation *op, Value lhs, Value weight,
                           Value bias, FloatAttr clampMin, FloatAttr clampMax,
                           Type resultType, int64_t m, int64_t k, int64_t n,
                           WeightIndex weightIndex);
  /// Replaces `op` by `packed`, dropping the constants only it used.
  void replace(Operation *op, Operation *packed) {
    SmallVector<Value> operands(op->getOperands());
    op->replaceAllUsesWith(packed->getResults());
    op->erase();
    for (Value v : operands)
      if (Operation *def = v.getDefiningOp();
          def && def->use_empty() && isa<arith::ConstantOp, qc::ConstantOp>(def))
        def->erase();
  }

  const TargetDesc &target;
  uint64_t blockBytes;
};

/// Packs W (w(k, c) for k < K, c < C) into [C/NR][K/kg][NR][kg], zeros
/// outside.
template <typename T>
SmallVector<T> packColumns(const Tiling &t, function_ref<T(int64_t, int64_t)> w) {
  SmallVector<T> packed(t.colTiles() * t.paddedDepth() * t.tileCols(), T(0));
  int64_t nr = t.tileCols(), kg = t.kGroup;
  for (int64_t tile = 0; tile < t.colTiles(); ++tile)
    for (int64_t g = 0; g < t.groups(); ++g)
      for (int64_t j = 0; j < nr; ++j)
        for (int64_t kk = 0; kk < kg; ++kk) {
          int64_t k = g * kg + kk, c = tile * nr + j;
          if (k < t.depth && c < t.cols)
            packed[((tile * t.groups() + g) * nr + j) * kg + kk] = w(k, c);
        }
  return packed;
}

void Selector::select(MatMulOp op) {
  if (!dotAvailable(op))
    return;
  auto lhs = op.getLhs().getType(), rhs = op.getRhs().getType();
  if (rhs.getRank() != 2)
    return decline(op, "the weights are not a 2-D matrix");
  int64_t k = rhs.getDimSize(0), n = rhs.getDimSize(1);
  if (lhs.getShape().back() != k || k == 0 || n == 0)
    return decline(op, "the operands' shapes are not [..., M, K] x [K, N]");
  int64_t m = lhs.getNumElements() / k;
  OpBuilder b(op);
  if (Operation *packed = selectColumns(
          b, op, op.getLhs(), op.getRhs(), op.getBias(), op.getClampMinAttr(),
          op.getClampMaxAttr(), op.getType(), m, k, n,
          [&](int64_t kk, int64_t c) { return kk * n + c; }))
    replace(op, packed);
}

Operation *Selector::selectColumns(OpBuilder &b, Operation *op, Value lhs,
                                   Value weight, Value biasValue,
                                   FloatAttr clampMin, FloatAttr clampMax,
                                   Type resultType, int64_t m, int64_t k,
                                   int64_t n, WeightIndex weightIndex) {
  bool isFloat = !isQuantized(resultType);
  Location loc = op->getLoc();
  MLIRContext *ctx = op->getContext();
  Tiling t = chooseTiling(target, isFloat, m, n, k, blockBytes);
  Value weights, bias, mult;
  IntegerAttr outMin, outMax;
  int64_t shift = 0;
  if (isFloat) {
    DenseElementsAttr w = getConstant(weight);
    if (!w)
      return decline(op, "the weights are not a constant"), nullptr;
    DenseElementsAttr bAttr = getConstant(biasValue);
    if (biasValue && !bAttr)
      return decline(op, "the bias is not a constant"), nullptr;
    SmallVector<float> wv(w.getValues<float>());
    SmallVector<float> packed = packColumns<float>(
        t, [&](int64_t kk, int64_t c) { return wv[weightIndex(kk, c)]; });
    SmallVector<float> bv(t.paddedCols(), 0.0f);
    if (bAttr)
      llvm::copy(bAttr.getValues<float>(), bv.begin());
    weights = constant<float>(b, loc, packed, b.getF32Type(),
                              {int64_t(packed.size())});
    bias = constant<float>(b, loc, bv, b.getF32Type(), {t.paddedCols()});
  } else {
    std::string why;
    auto p = analyzeIntegerProduct(op, lhs, weight, biasValue, n, clampMin,
                                   clampMax, why);
    if (!p)
      return decline(op, why), nullptr;
    shift = shiftOf(target, p->activationUnsigned);
    SmallVector<int64_t> colSums(n, 0);
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t c = 0; c < n; ++c)
        colSums[c] += p->weights[weightIndex(kk, c)];
    SmallVector<int32_t> folded;
    if (failed(foldBias(p->bias, colSums, shift + p->inputZp, k, 255 * 128,
                        folded)))
      return decline(op, "its i32 accumulator could overflow (K = " + Twine(k) +
                             ")"),
             nullptr;
    folded.resize(t.paddedCols(), 0);
    SmallVector<int8_t> packed =
        packColumns<int8_t>(t, [&](int64_t kk, int64_t c) {
          return int8_t(p->weights[weightIndex(kk, c)]);
        });
    weights = i8Constant(b, loc, packed, {int64_t(packed.size())});
    bias = constant<int32_t>(b, loc, folded, b.getI32Type(), {t.paddedCols()});
    if (!p->exact) {
      SmallVector<float> m(t.paddedCols(), 0.0f);
      for (int64_t c = 0; c < n; ++c)
        m[c] = p->multipliers[p->multipliers.size() == 1 ? 0 : c];
      mult = constant<float>(b, loc, m, b.getF32Type(), {t.paddedCols()});
    }
    outMin = b.getI64IntegerAttr(p->range.min);
    outMax = b.getI64IntegerAttr(p->range.max);
  }
  KernelAttr kernel = kernelAttr(ctx, kindOf(target, t, isFloat), t, shift);
  auto packed = PackedMatMulOp::create(
      b, loc, resultType, lhs, weights, bias, mult,
      /*residual=*/Value(), kernel, outMin, outMax, /*sum_type=*/TypeAttr(),
      /*clamp_min=*/FloatAttr(), /*clamp_max=*/FloatAttr(),
      /*activation=*/StringAttr(), FloatAttr(), FloatAttr(), FloatAttr(),
      FloatAttr());
  chose(packed, kernel, t.notAmx);
  return packed;
}

void Selector::selectDepthwise(Conv2DOp op) {
  auto in = op.getInput().getType();
  auto wType = op.getWeight().getType();
  int64_t c = in.getDimSize(1), kh = wType.getDimSize(2),
          kw = wType.getDimSize(3), taps = kh * kw;
  bool isFloat = !isQuantized(op.getType());
  OpBuilder b(op);
  Location loc = op.getLoc();
  DenseElementsAttr bAttr = getConstant(op.getBias());
  if (op.getBias() && !bAttr)
    return decline(op, "the bias is not a constant");
  DenseElementsAttr wAttr = getConstant(op.getWeight());
  if (!wAttr)
    return decline(op, "the weights are not a constant");
  Value weights, bias, mult;
  IntegerAttr outMin, outMax;
  // Whether the taps can go 4 per i32 lane on vpdpbusd: u8 input, s8
  // weights.
  bool dotTaps = false;
  if (isFloat) {
    SmallVector<float> bv(c, 0.0f);
    if (bAttr)
      llvm::copy(bAttr.getValues<float>(), bv.begin());
    SmallVector<float> wv(wAttr.getValues<float>());
    weights = constant<float>(b, loc, wv, b.getF32Type(), {c, kh, kw});
    bias = constant<float>(b, loc, bv, b.getF32Type(), {c});
  } else {
    auto inQ = getPerTensorType(in);
    auto out = getPerTensorType(op.getType());
    auto wq = getQuantElementType(wType);
    if (!inQ || !out || !wq || inQ.getStorageTypeIntegralWidth() != 8 ||
        wq.getStorageTypeIntegralWidth() != 8)
      return decline(op, "the depthwise kernel takes 8-bit operands "
                         "quantized per tensor (weights per channel)");
    SmallVector<float> m = getRequantMultipliers(in, wType, op.getType(), c);
    bool exact = isExactAccumulatorOutput(op.getType(), m);
    // A 16-bit result: an activation's sum type, which fuseActivation
    // moves into the epilogue, else stored as it is.
    if (!exact && out.getStorageTypeIntegralWidth() != 8 &&
        out.getStorageTypeIntegralWidth() != 16)
      return decline(op, "the result is neither 8-bit, 16-bit nor the plain "
                         "i32 accumulator");
    SmallVector<QuantParams> wp = getQuantParams(wq);
    SmallVector<int64_t> w = intValues(wAttr);
    SmallVector<int64_t> bv = bAttr ? intValues(bAttr) : SmallVector<int64_t>();
    SmallVector<int32_t> shifted(c * taps), folded(c);
    int64_t zx = inQ.getZeroPoint();
    const int64_t bound = int64_t(1) << 31;
    for (int64_t ch = 0; ch < c; ++ch) {
      int64_t zw = wp[wp.size() == 1 ? 0 : ch].zeroPoint, sum = 0;
      for (int64_t t = 0; t < taps; ++t) {
        shifted[ch * taps + t] = int32_t(w[ch * taps + t] - zw);
        sum += w[ch * taps + t] - zw;
      }
      int64_t v = (bv.empty() ? 0 : bv[ch]) - zx * sum;
      if (std::llabs(v) + 255 * 255 * taps >= bound)
        return decline(op, "its i32 accumulator could overflow");
      folded[ch] = int32_t(v);
    }
    dotTaps = !inQ.isSigned() && llvm::all_of(shifted, [](int32_t v) {
      return v >= -128 && v <= 127;
    });
    weights = constant<int32_t>(b, loc, shifted, b.getI32Type(), {c, kh, kw});
    bias = constant<int32_t>(b, loc, folded, b.getI32Type(), {c});
    if (!exact)
      mult = constant<float>(b, loc, m, b.getF32Type(), {c});
    StorageRange range =
        getClampedStorageRange(out, op.getClampMinAttr(), op.getClampMaxAttr());
    outMin = b.getI64IntegerAttr(range.min);
    outMax = b.getI64IntegerAttr(range.max);
  }
  // Groups of 4 taps per i32 lane on vpdpbusd, where the target has VNNI
  // and VBMI (vpermb gathers each lane's taps from one 64-byte window), the
  // input is u8, the weights w - zp_w fit s8 and a vector of 16 output
  // pixels reads at most 64 bytes of an input row (15 * stride + width).
  unsigned kGroup = 1;
  auto dil = op.getDilations(), str = op.getStrides();
  std::string oneByOne;
  if (target.dot == DotKind::Vnni512 && target.vbmi) {
    if (isFloat)
      oneByOne = "f32";
    else if (!dotTaps)
      oneByOne = "signed input or weights w - zp_w outside s8";
    else if (dil[0] != 1 || dil[1] != 1)
      oneByOne = "dilated";
    else if (kw > 8 || 15 * str[1] + kw > 64)
      oneByOne = "16 output pixels read more than 64 bytes of a row";
    else
      kGroup = 4;
  }
  auto kernel = KernelAttr::get(op.getContext(), "depthwise", target.lanes(),
                                kGroup, 1, 1, 1, 0, 0);
  auto packed = PackedDepthwiseConv2DOp::create(
      b, loc, op.getType(), op.getInput(), weights, bias, mult, kernel,
      op.getStridesAttr(), op.getPadsAttr(), op.getDilationsAttr(), outMin,
      outMax, /*sum_type=*/TypeAttr(), /*activation=*/StringAttr(), FloatAttr(),
      FloatAttr(), FloatAttr(), FloatAttr());
  chose(packed, kernel, oneByOne);
  replace(op, packed);
}

void Selector::select(Conv2DOp op) {
  auto in = op.getInput().getType();
  auto wType = op.getWeight().getType();
  int64_t c = in.getDimSize(1), o = wType.getDimSize(0);
  int64_t g = op.getGroups();
  if (g == c && o == c && c > 1)
    return selectDepthwise(op);
  if (!dotAvailable(op))
    return;
  int64_t og = o / g;
  int64_t depth = wType.getDimSize(1) * wType.getDimSize(2) * wType.getDimSize(3);
  int64_t pixels = op.getType().getDimSize(2) * op.getType().getDimSize(3);
  // A 1x1 convolution of a 1x1 image (squeeze-excite's) is a matmul of
  // [N][C] by the transposed weights, in the same memory: as a convolution
  // its one pixel would fill one lane of each vector. (A 16-bit result
  // for a residual add stays a convolution: the add is fused where the
  // residual has the result's layout. An activation is fused through the
  // reshape back.)
  ArrayRef<int64_t> pads = op.getPads();
  bool wideForAdd = getWideType(op.getType()) && op->hasOneUse() &&
                    isa<AddOp>(*op->user_begin());
  if (g == 1 && depth == c && in.getDimSize(2) == 1 && in.getDimSize(3) == 1 &&
      pixels == 1 && llvm::all_of(pads, [](int64_t p) { return p == 0; }) &&
      !wideForAdd) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    int64_t n = in.getDimSize(0);
    Value rows = ReshapeOp::create(
        b, loc, RankedTensorType::get({n, c}, in.getElementType()),
        op.getInput());
    Operation *packed = selectColumns(
        b, op, rows, op.getWeight(), op.getBias(), op.getClampMinAttr(),
        op.getClampMaxAttr(),
        RankedTensorType::get({n, o}, op.getType().getElementType()), n, c, o,
        [&](int64_t kk, int64_t ch) { return ch * c + kk; });
    if (!packed) {
      rows.getDefiningOp()->erase();
      return;
    }
    replace(op, ReshapeOp::create(b, loc, op.getType(), packed->getResult(0)));
    return;
  }
  bool isFloat = !isQuantized(op.getType());
  OpBuilder b(op);
  Location loc = op.getLoc();
  Tiling t = chooseTiling(target, isFloat, og, pixels, depth, blockBytes);
  int64_t kp = t.paddedDepth();
  Value weights, bias, mult;
  IntegerAttr outMin, outMax;
  int64_t shift = 0;
  if (isFloat) {
    DenseElementsAttr w = getConstant(op.getWeight());
    if (!w)
      return decline(op, "the weights are not a constant");
    DenseElementsAttr bAttr = getConstant(op.getBias());
    if (op.getBias() && !bAttr)
      return decline(op, "the bias is not a constant");
    SmallVector<float> wv(w.getValues<float>());
    SmallVector<float> rows(o * kp, 0.0f);
    for (int64_t r = 0; r < o; ++r)
      for (int64_t k = 0; k < depth; ++k)
        rows[r * kp + k] = wv[r * depth + k];
    SmallVector<float> bv(o, 0.0f);
    if (bAttr)
      llvm::copy(bAttr.getValues<float>(), bv.begin());
    weights = constant<float>(b, loc, rows, b.getF32Type(), {o, kp});
    bias = constant<float>(b, loc, bv, b.getF32Type(), {o});
  } else {
    std::string why;
    auto p = analyzeIntegerProduct(op, op.getInput(), op.getWeight(),
                                   op.getBias(), o, op.getClampMinAttr(),
                                   op.getClampMaxAttr(), why);
    if (!p)
      return decline(op, why);
    shift = shiftOf(target, p->activationUnsigned);
    SmallVector<int64_t> rowSums(o, 0);
    for (int64_t r = 0; r < o; ++r)
      for (int64_t k = 0; k < depth; ++k)
        rowSums[r] += p->weights[r * depth + k];
    SmallVector<int32_t> folded;
    if (failed(foldBias(p->bias, rowSums, shift + p->inputZp, depth, 255 * 128,
                        folded)))
      return decline(op, "its i32 accumulator could overflow (K = " +
                             Twine(depth) + ")");
    SmallVector<int8_t> rows(o * kp, 0);
    for (int64_t r = 0; r < o; ++r)
      for (int64_t k = 0; k < depth; ++k)
        rows[r * kp + k] = int8_t(p->weights[r * depth + k]);
    weights = i8Constant(b, loc, rows, {o, kp});
    bias = constant<int32_t>(b, loc, folded, b.getI32Type(), {o});
    if (!p->exact) {
      SmallVector<float> m(o);
      for (int64_t r = 0; r < o; ++r)
        m[r] = p->multipliers[p->multipliers.size() == 1 ? 0 : r];
      mult = constant<float>(b, loc, m, b.getF32Type(), {o});
    }
    outMin = b.getI64IntegerAttr(p->range.min);
    outMax = b.getI64IntegerAttr(p->range.max);
  }
  KernelAttr kernel =
      kernelAttr(op.getContext(), kindOf(target, t, isFloat), t, shift);
  auto packed = PackedConv2DOp::create(
      b, loc, op.getType(), op.getInput(), weights, bias, mult, kernel,
      b.getDenseI64ArrayAttr({wType.getDimSize(2), wType.getDimSize(3)}),
      op.getStridesAttr(), op.getPadsAttr(), op.getDilationsAttr(),
      op.getGroupsAttr(), outMin, outMax, /*residual=*/Value(),
      /*sum_type=*/TypeAttr(), /*clamp_min=*/FloatAttr(),
      /*clamp_max=*/FloatAttr(), /*activation=*/StringAttr(), FloatAttr(),
      FloatAttr(), FloatAttr(), FloatAttr());
  chose(packed, kernel, t.notAmx);
  replace(op, packed);
}

/// The packed product that `v` is the only use of, if `v` is one that can
/// take a residual add in its epilogue; else why not. An 8-bit product
/// must be requantized; an f32 one must have no fused clamp yet (the clamp
/// would have to come after the add).
Operation *fusableProduct(Value v, bool isFloat, std::string &why) {
  Operation *def = v.getDefiningOp();
  if (!isa_and_nonnull<PackedConv2DOp, PackedMatMulOp>(def)) {
    why = "not the result of a convolution or matmul kernel";
    return nullptr;
  }
  if (!v.hasOneUse()) {
    why = "the product has other users";
    return nullptr;
  }
  bool requantized = isa<PackedConv2DOp>(def)
                         ? bool(cast<PackedConv2DOp>(def).getMultipliers())
                         : bool(cast<PackedMatMulOp>(def).getMultipliers());
  bool fused = (isa<PackedConv2DOp>(def)
                    ? bool(cast<PackedConv2DOp>(def).getResidual())
                    : bool(cast<PackedMatMulOp>(def).getResidual())) ||
               def->hasAttr("activation");
  if (isFloat &&
      (fused || def->hasAttr("clamp_min") || def->hasAttr("clamp_max"))) {
    why = "the product has a fused epilogue already";
    return nullptr;
  }
  if (!isFloat &&
      (!requantized ||
       !(getByteType(v.getType()) || getWideType(v.getType())) || fused)) {
    why = "the product is not requantized to 8 or 16 bits";
    return nullptr;
  }
  return def;
}

/// Moves `add` into the epilogue of the product one of its operands is
/// (the first that can take it): the product then adds the other operand
/// as its residual. 8-bit: the product is requantized to its former type
/// (`sum_type`) and the epilogue computes the add's result; f32: the
/// residual is added to the sums, before a clamp fused later.
void fuseResidualAdd(AddOp add) {
  Type result = add.getType();
  Value lhs = add.getLhs(), rhs = add.getRhs();
  auto isF32 = [](Type t) {
    return cast<ShapedType>(t).getElementType().isF32();
  };
  bool isFloat = isF32(result) && isF32(lhs.getType()) && isF32(rhs.getType());
  // A 16-bit operand (a product quantized for this add) must be the fused
  // product: the residual is 8-bit.
  bool wideLhs = bool(getWideType(lhs.getType())),
       wideRhs = bool(getWideType(rhs.getType()));
  if (!isFloat &&
      (!getByteType(result) || !(getByteType(lhs.getType()) || wideLhs) ||
       !(getByteType(rhs.getType()) || wideRhs) || (wideLhs && wideRhs)))
    return;
  auto shape = cast<ShapedType>(result).getShape();
  if (cast<ShapedType>(lhs.getType()).getShape() != shape ||
      cast<ShapedType>(rhs.getType()).getShape() != shape) {
    add.emitRemark("residual add not fused: its operands are broadcast");
    return;
  }
  std::string whyLhs, whyRhs;
  Operation *product = wideRhs ? nullptr : fusableProduct(lhs, isFloat, whyLhs);
  Value residual = rhs;
  if (!product && !wideLhs) {
    product = fusableProduct(rhs, isFloat, whyRhs);
    residual = lhs;
  }
  if (!product) {
    add.emitRemark("residual add not fused: ")
        << (whyLhs.empty() ? whyRhs : whyLhs);
    return;
  }
  Type sumType =
      cast<ShapedType>(product->getResult(0).getType()).getElementType();
  // The product moves to the add (its operands dominate the add as they
  // did the product; the residual is defined before the add).
  product->moveBefore(add);
  if (auto conv = dyn_cast<PackedConv2DOp>(product))
    conv.getResidualMutable().assign(residual);
  else
    cast<PackedMatMulOp>(product).getResidualMutable().assign(residual);
  if (!isFloat) {
    product->setAttr("sum_type", TypeAttr::get(sumType));
    product->getResult(0).setType(result);
  }
  add.replaceAllUsesWith(product->getResult(0));
  add.erase();
  auto remark = product->emitRemark("epilogue: + residual add (")
                << residual.getType() << ")";
  if (!isFloat)
    remark << ", sum " << sumType << ", result " << result;
}

/// Moves `act` into the epilogue of the product kernel it reads, when it is
/// the product's only use and has no per-channel factors: quantized, the
/// product must be requantized to 16 bits (qc-infer-scales' wide result),
/// which becomes the `sum_type`; the epilogue dequantizes it and computes
/// the activation in f32, and the 16-bit value is never stored. f32: the
/// kernel applies the function to its sums, after a fused residual add
/// (before a clamp fused later). An 8-bit product keeps its own table.
void fuseActivation(ActivationOp act) {
  Value input = act.getInput();
  Operation *product = input.getDefiningOp();
  // A 1x1 convolution of a 1x1 image is a matmul and a reshape back.
  auto reshape = dyn_cast_or_null<ReshapeOp>(product);
  if (reshape) {
    if (!input.hasOneUse())
      return;
    input = reshape.getInput();
    product = input.getDefiningOp();
  }
  if (!isa_and_nonnull<PackedConv2DOp, PackedMatMulOp, PackedDepthwiseConv2DOp>(
          product))
    return;
  bool isFloat = !isQuantized(input.getType());
  std::string why;
  if (!input.hasOneUse()) {
    why = "the product has other users";
  } else if (!isFusableActivation(act, why)) {
  } else if (isFloat != !isQuantized(act.getType())) {
    why = "the product and the activation are not both f32 or quantized";
  } else if (product->hasAttr("activation") || product->hasAttr("clamp_min") ||
             product->hasAttr("clamp_max")) {
    why = "the product has a fused clamp or activation already";
  } else if (!isFloat && !getWideType(input.getType())) {
    why = "the product is requantized to 8 bits (the activation is a table of "
          "its own)";
  }
  if (!why.empty()) {
    act.emitRemark("activation not fused: ") << why;
    return;
  }
  MLIRContext *ctx = act.getContext();
  StringRef kind = stringifyActivationKind(act.getKind());
  product->setAttr("activation", StringAttr::get(ctx, kind));
  for (auto [name, attr] : {std::pair{"activation_alpha", act.getAlphaAttr()},
                            std::pair{"activation_beta", act.getBetaAttr()},
                            std::pair{"activation_scale", act.getScaleAttr()},
                            std::pair{"activation_shift", act.getShiftAttr()}})
    if (attr)
      product->setAttr(name, attr);
  Type sumType = cast<ShapedType>(input.getType()).getElementType();
  if (!isFloat) {
    product->setAttr("sum_type", TypeAttr::get(sumType));
    product->getResult(0).setType(cast<ShapedType>(input.getType())
                                      .clone(act.getType().getElementType()));
    if (reshape)
      reshape.getResult().setType(act.getType());
  }
  act.replaceAllUsesWith(reshape ? Value(reshape.getResult())
                                 : product->getResult(0));
  act.erase();
  auto remark = product->emitRemark("epilogue: + ") << kind;
  if (!isFloat)
    remark << " (sum " << sumType << ", result "
           << product->getResult(0).getType() << ")";
}

/// Moves an f32 `clamp` (ReLU, ReLU6, Clip) into the epilogue of the f32
/// product kernel it reads, when it is the product's only use: the kernel
/// clamps the sums in registers as `qc.clamp` does (`maximumf`, then
/// `minimumf`), intersected with a clamp fused before. (Quantized products
/// take their clamp before selection, into their output range.)
void fuseFloatClamp(ClampOp clamp) {
  Value input = clamp.getInput();
  Operation *product = input.getDefiningOp();
  if (!isa_and_nonnull<PackedConv2DOp, PackedMatMulOp>(product) ||
      isQuantized(input.getType()))
    return;
  if (!input.hasOneUse()) {
    clamp.emitRemark("clamp not fused: the product has other users");
    return;
  }
  auto value = [](FloatAttr a) { return a.getValue().convertToFloat(); };
  FloatAttr lo = clamp.getMinAttr(), hi = clamp.getMaxAttr();
  if ((lo && std::isnan(value(lo))) || (hi && std::isnan(value(hi))))
    return;
  if (auto prev = product->getAttrOfType<FloatAttr>("clamp_min"))
    if (!lo || value(prev) > value(lo))
      lo = prev;
  if (auto prev = product->getAttrOfType<FloatAttr>("clamp_max"))
    if (!hi || value(prev) < value(hi))
      hi = prev;
  if (lo && hi && value(lo) > value(hi)) {
    clamp.emitRemark("clamp not fused: empty interval with the product's");
    return;
  }
  if (lo)
    product->setAttr("clamp_min", lo);
  if (hi)
    product->setAttr("clamp_max", hi);
  clamp.replaceAllUsesWith(input);
  clamp.erase();
  auto remark = product->emitRemark("epilogue: + clamp to [");
  remark << (lo ? std::to_string(value(lo)) : "-inf") << ", "
         << (hi ? std::to_string(value(hi)) : "inf") << "]";
}

struct SelectKernelsPass
    : public qc::impl::QCSelectKernelsBase<SelectKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    StringRef name = target;
    if (name.empty()) {
      auto attr =
          module->getAttrOfType<StringAttr>(QCDialect::getTargetAttrName());
      name = attr ? attr.getValue() : StringRef("host");
    }
    const TargetDesc *desc = lookupTarget(name);
    if (!desc) {
      module.emitError("unknown target '")
          << name << "' (expected one of: " << llvm::join(getTargetNames(), ", ")
          << ")";
      return signalPassFailure();
    }
    module->setAttr(QCDialect::getTargetAttrName(),
                    StringAttr::get(module.getContext(), name));
    Selector selector(*desc, blockBytes);
    SmallVector<Operation *> products;
    module.walk([&](Operation *op) {
      if (isa<MatMulOp, Conv2DOp>(op))
        products.push_back(op);
    });
    for (Operation *op : products) {
      if (auto m = dyn_cast<MatMulOp>(op))
        selector.select(m);
      else
        selector.select(cast<Conv2DOp>(op));
    }
    if (fuseEpilogues) {
      SmallVector<AddOp> adds;
      module.walk([&](AddOp op) { adds.push_back(op); });
      for (AddOp add : adds)
        fuseResidualAdd(add);
      SmallVector<ActivationOp> activations;
      module.walk([&](ActivationOp op) { activations.push_back(op); });
      for (ActivationOp act : activations)
        fuseActivation(act);
      SmallVector<ClampOp> clamps;
      module.walk([&](ClampOp op) { clamps.push_back(op); });
      for (ClampOp clamp : clamps)
        fuseFloatClamp(clamp);
    }
  }
};

} // namespace
