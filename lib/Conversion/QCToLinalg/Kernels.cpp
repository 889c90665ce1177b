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

#include "Kernels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Kernel configuration
//===----------------------------------------------------------------------===//

struct GemmConfig {
  int64_t rows = 0, cols = 0, depth = 0; // R x C, K
  unsigned lanes = 4;                    // i32 / f32 lanes per vector
  unsigned kGroup = 4;                   // K values per lane (1 for f32)
  unsigned tileRows = 1, tileVectors = 1;
  /// Rows per cache block: a multiple of tileRows whose X rows fit the
  /// target's block budget (all rows when they fit at once).
  int64_t blockRows = 1;
  DotKind dot = DotKind::None;
  bool isFloat = false;
  /// Whether X (broadcast) holds activations (matmul) or weights (conv).
  bool broadcastIsActivation = true;
  /// Whether activations are unsigned as the kernel sees them.
  bool activationsUnsigned = true;

  int64_t groups() const { return (depth + kGroup - 1) / kGroup; }
  int64_t paddedDepth() const { return groups() * kGroup; }
  int64_t tileCols() const { return int64_t(lanes) * tileVectors; }
  int64_t colTiles() const { return (cols + tileCols() - 1) / tileCols(); }
  /// Elements of packed Y per column tile.
  int64_t tileSize() const { return paddedDepth() * tileCols(); }
};

/// Chooses the micro-tile for a GEMM of `rows` rows on `target`.
void chooseTile(GemmConfig &cfg, const TargetDesc &target) {
  unsigned rows = cfg.isFloat ? target.f32Rows : target.rows;
  unsigned vectors = cfg.isFloat ? target.f32Vectors : target.vectors;
  if (cfg.rows < rows) {
    // Few rows (M = 1 GEMV): widen the tile to keep >= 8 independent
    // accumulator chains, as many as the registers allow.
    rows = std::max<int64_t>(cfg.rows, 1);
    unsigned budget = target.vectorRegisters - 2;
    vectors = std::max<unsigned>(vectors, 8 / rows);
    while (rows * vectors + vectors > budget && vectors > 1)
      --vectors;
  }
  int64_t colVectors = (cfg.cols + cfg.lanes - 1) / cfg.lanes;
  vectors = std::min<int64_t>(vectors, std::max<int64_t>(colVectors, 1));
  cfg.tileRows = rows;
  cfg.tileVectors = vectors;
}

/// Chooses the row block: as many rows of X (`depth` elements each) as fit
/// the cache budget, so that a block stays in L2 while every column tile
/// (a weight panel, L1-resident) passes over it, instead of all of X
/// streaming from memory once per column tile.
void chooseRowBlock(GemmConfig &cfg, uint64_t budgetBytes) {
  int64_t rowBytes = cfg.depth * (cfg.isFloat ? 4 : 1);
  int64_t fit = int64_t(budgetBytes) / std::max<int64_t>(rowBytes, 1);
  int64_t block = std::max<int64_t>(fit / cfg.tileRows, 1) * cfg.tileRows;
  cfg.blockRows = std::min(block, std::max<int64_t>(cfg.rows, 1));
}

GemmConfig makeConfig(const LoweringOptions &opts, bool isFloat, int64_t rows,
                      int64_t cols, int64_t depth, bool broadcastIsActivation,
                      bool activationsUnsigned) {
  const TargetDesc &target = *opts.target;
  GemmConfig cfg;
  cfg.rows = rows;
  cfg.cols = cols;
  cfg.depth = depth;
  cfg.lanes = target.lanes();
  cfg.isFloat = isFloat;
  cfg.kGroup = isFloat ? 1 : target.kGroup;
  cfg.dot = target.dot;
  cfg.broadcastIsActivation = broadcastIsActivation;
  cfg.activationsUnsigned = activationsUnsigned;
  chooseTile(cfg, target);
  chooseRowBlock(cfg, opts.blockBytes ? opts.blockBytes : target.blockBytes);
  return cfg;
}

/// The byte the kernel sees for activation byte `a`: x86 wants u8, sdot s8.
bool needsShift(const TargetDesc &target, bool activationUnsigned) {
  bool kernelUnsigned = !target.signedActivations;
  return kernelUnsigned != activationUnsigned;
}

/// The shift s with a' = a + s (as integers): +128 or -128, or 0.
int64_t shiftOf(const TargetDesc &target, bool activationUnsigned) {
  if (!needsShift(target, activationUnsigned))
    return 0;
  return activationUnsigned ? -128 : 128;
}

//===----------------------------------------------------------------------===//
// Index and vector helpers
//===----------------------------------------------------------------------===//

Value idx(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value addi(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}
Value muli(OpBuilder &b, Location loc, Value x, int64_t y) {
  return arith::MulIOp::create(b, loc, x, idx(b, loc, y));
}
Value addc(OpBuilder &b, Location loc, Value x, int64_t y) {
  return y == 0 ? x : addi(b, loc, x, idx(b, loc, y));
}

VectorType vecOf(int64_t n, Type element) {
  return VectorType::get({n}, element);
}

/// One accumulation step acc += dot(a, b) for the target's instruction.
/// `bcast` is the broadcast X operand, `vec` the loaded Y operand (both as
/// the raw element vectors of the packed layout).
Value emitDot(OpBuilder &b, Location loc, const GemmConfig &cfg, Value acc,
              Value bcast, Value vec) {
  MLIRContext *ctx = b.getContext();
  if (cfg.isFloat)
    return vector::FMAOp::create(b, loc, bcast, vec, acc);
  auto accType = cast<VectorType>(acc.getType());
  // The u8 operand goes first for vpdpbusd.
  Value act = cfg.broadcastIsActivation ? bcast : vec;
  Value wgt = cfg.broadcastIsActivation ? vec : bcast;
  auto call = [&](StringRef name, Type result, ValueRange args) {
    return LLVM::CallIntrinsicOp::create(b, loc, result,
                                         StringAttr::get(ctx, name), args)
        .getResult(0);
  };
  switch (cfg.dot) {
  case DotKind::Vnni512:
    return call("llvm.x86.avx512.vpdpbusd.512", accType, {acc, act, wgt});
  case DotKind::Vnni256:
    return call("llvm.x86.avx512.vpdpbusd.256", accType, {acc, act, wgt});
  case DotKind::NeonSDot:
    return call("llvm.aarch64.neon.sdot.v4i32.v16i8", accType,
                {acc, act, wgt});
  case DotKind::MAddWd256: {
    // Widen to i16 (u8 activations zero-, s8 weights sign-extended) and
    // multiply-add pairs into i32: |a * w| <= 255 * 128, so the pair sum
    // never reaches the one saturating case of vpmaddwd.
    auto i16Vec = vecOf(2 * cfg.lanes, b.getI16Type());
    Value a16 = cfg.activationsUnsigned
                    ? (Value)arith::ExtUIOp::create(b, loc, i16Vec, act)
                    : (Value)arith::ExtSIOp::create(b, loc, i16Vec, act);
    Value w16 = arith::ExtSIOp::create(b, loc, i16Vec, wgt);
    Value prod = call("llvm.x86.avx2.pmadd.wd", accType, {a16, w16});
    return arith::AddIOp::create(b, loc, acc, prod);
  }
  case DotKind::None:
    break;
  }
  llvm_unreachable("no dot instruction");
}

//===----------------------------------------------------------------------===//
// The micro-kernel loop nest
//===----------------------------------------------------------------------===//

/// Buffers and epilogue parameters of one GEMM (all buffers flat, 1-D).
struct GemmOperands {
  Value x;          // broadcast side, rows of `ldx` elements
  int64_t ldx = 0;
  int64_t xOffset = 0; // element offset of row 0 in x
  Value y;          // packed vector side
  Value out;        // output, rows of `ldc` elements
  int64_t ldc = 0;
  int64_t outOffset = 0;
  /// A run-time part of the output offset (the image of a batch), or null.
  Value outBase;
  int64_t channelOffset = 0; // first channel of bias/mult for row/col 0
  Value bias;       // i32 (or f32) per channel, already compensated
  Value mult;       // f32 per channel (integer kernels)
  bool channelIsRow = false;
  // Output quantization (integer kernels).
  int64_t outZp = 0;
  StorageRange range;
  unsigned outBits = 8;
  bool exact = false;
};

class GemmEmitter {
public:
  GemmEmitter(OpBuilder &b, Location loc, const GemmConfig &cfg,
              const GemmOperands &ops)
      : b(b), loc(loc), cfg(cfg), ops(ops) {}

  void emit() {
    if (cfg.rows <= cfg.blockRows) {
      emitBlock(idx(b, loc, 0), cfg.rows);
      return;
    }
    // Row blocks: every column tile passes over one block of X rows while
    // it is in cache.
    int64_t fullBlocks = cfg.rows / cfg.blockRows;
    int64_t tailRows = cfg.rows % cfg.blockRows;
    auto loop = scf::ForOp::create(b, loc, idx(b, loc, 0),
                                   idx(b, loc, fullBlocks), idx(b, loc, 1));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      emitBlock(muli(b, loc, loop.getInductionVar(), cfg.blockRows),
                cfg.blockRows);
    }
    if (tailRows > 0)
      emitBlock(idx(b, loc, fullBlocks * cfg.blockRows), tailRows);
  }

private:
  /// Rows [rowStart, rowStart + rows) against every column tile.
  void emitBlock(Value rowStart, int64_t rows) {
    int64_t fullTiles = cfg.cols / cfg.tileCols();
    int64_t tailCols = cfg.cols % cfg.tileCols();
    if (fullTiles > 0) {
      auto loop = scf::ForOp::create(b, loc, idx(b, loc, 0),
                                     idx(b, loc, fullTiles), idx(b, loc, 1));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      emitRows(rowStart, rows, loop.getInductionVar(), cfg.tileVectors,
               cfg.tileCols());
    }
    if (tailCols > 0) {
      unsigned vectors = (tailCols + cfg.lanes - 1) / cfg.lanes;
      emitRows(rowStart, rows, idx(b, loc, fullTiles), vectors, tailCols);
    }
  }

  /// The row tiles of rows [rowStart, rowStart + rows) in column tile
  /// `tile`, with `vectors` vectors of which `validCols` columns are stored.
  void emitRows(Value rowStart, int64_t rows, Value tile, unsigned vectors,
                int64_t validCols) {
    int64_t fullRows = rows / cfg.tileRows;
    int64_t tailRows = rows % cfg.tileRows;
    if (fullRows > 0) {
      auto loop = scf::ForOp::create(b, loc, idx(b, loc, 0),
                                     idx(b, loc, fullRows), idx(b, loc, 1));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      emitTile(addi(b, loc, rowStart,
                    muli(b, loc, loop.getInductionVar(), cfg.tileRows)),
               cfg.tileRows, tile, vectors, validCols);
    }
    if (tailRows > 0)
      emitTile(addc(b, loc, rowStart, fullRows * cfg.tileRows), tailRows,
               tile, vectors, validCols);
  }

  Type accElement() {
    return cfg.isFloat ? (Type)b.getF32Type() : (Type)b.getI32Type();
  }
  /// Raw elements per vector: lanes * kGroup bytes, or lanes floats.
  VectorType rawVector() {
    return cfg.isFloat ? vecOf(cfg.lanes, b.getF32Type())
                       : vecOf(cfg.lanes * cfg.kGroup, b.getI8Type());
  }

  /// The broadcast of X[row][k0 .. k0 + kGroup).
  Value emitBroadcast(Value row, Value k0) {
    Value pos = addi(b, loc, addc(b, loc, muli(b, loc, row, ops.ldx),
                                  ops.xOffset),
                     k0);
    if (cfg.isFloat) {
      Value s = memref::LoadOp::create(b, loc, ops.x, pos);
      return vector::BroadcastOp::create(b, loc, rawVector(), s);
    }
    Value group = vector::LoadOp::create(
        b, loc, vecOf(cfg.kGroup, b.getI8Type()), ops.x, pos);
    if (cfg.kGroup == 2) {
      // Two bytes: splat them as one i16 per lane pair after widening in
      // emitDot; here, splat the 16-bit word across the register.
      Value word = vector::BitCastOp::create(b, loc, vecOf(1, b.getI16Type()),
                                             group);
      Value w = vector::ExtractOp::create(b, loc, word, 0);
      Value splat = vector::BroadcastOp::create(
          b, loc, vecOf(cfg.lanes, b.getI16Type()), w);
      return vector::BitCastOp::create(b, loc, rawVector(), splat);
    }
    Value dword =
        vector::BitCastOp::create(b, loc, vecOf(1, b.getI32Type()), group);
    Value d = vector::ExtractOp::create(b, loc, dword, 0);
    Value splat =
        vector::BroadcastOp::create(b, loc, vecOf(cfg.lanes, b.getI32Type()), d);
    return vector::BitCastOp::create(b, loc, rawVector(), splat);
  }

  /// One micro-tile: `rows` rows from `rowBase`, `vectors` vectors of
  /// column tile `tile`.
  void emitTile(Value rowBase, unsigned rows, Value tile, unsigned vectors,
                int64_t validCols) {
    auto accType = vecOf(cfg.lanes, accElement());
    SmallVector<Value> init;
    if (cfg.isFloat) {
      // f32: start from the bias, then fma in K order, exactly as the
      // reference lowering does.
      for (unsigned r = 0; r < rows; ++r)
        for (unsigned v = 0; v < vectors; ++v)
          init.push_back(loadChannelVector(rowBase, r, tile, v, ops.bias,
                                           accType));
    } else {
      Value zero = constantOf(b, loc, accType, int64_t(0));
      init.assign(rows * vectors, zero);
    }
    Value tileBase = muli(b, loc, tile, cfg.tileSize());
    auto kLoop = scf::ForOp::create(b, loc, idx(b, loc, 0),
                                    idx(b, loc, cfg.groups()), idx(b, loc, 1),
                                    init);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(kLoop.getBody());
      Value group = kLoop.getInductionVar();
      ValueRange accs = kLoop.getRegionIterArgs();
      // Y[tile][group][v * lanes ...]
      Value yBase = addi(b, loc, tileBase,
                         muli(b, loc, group, cfg.tileCols() * cfg.kGroup));
      SmallVector<Value> yv;
      for (unsigned v = 0; v < vectors; ++v)
        yv.push_back(vector::LoadOp::create(
            b, loc, rawVector(), ops.y,
            addc(b, loc, yBase, int64_t(v) * cfg.lanes * cfg.kGroup)));
      Value k0 = muli(b, loc, group, cfg.kGroup);
      SmallVector<Value> next(accs.begin(), accs.end());
      for (unsigned r = 0; r < rows; ++r) {
        Value a = emitBroadcast(addc(b, loc, rowBase, r), k0);
        for (unsigned v = 0; v < vectors; ++v)
          next[r * vectors + v] =
              emitDot(b, loc, cfg, next[r * vectors + v], a, yv[v]);
      }
      scf::YieldOp::create(b, loc, next);
    }
    for (unsigned r = 0; r < rows; ++r)
      for (unsigned v = 0; v < vectors; ++v)
        emitStore(rowBase, r, tile, v, kLoop.getResult(r * vectors + v),
                  validCols);
  }

  /// The per-channel vector (bias or multiplier) for accumulator (r, v):
  /// a splat of the row's value, or a load of the columns' values.
  Value loadChannelVector(Value rowBase, unsigned r, Value tile, unsigned v,
                          Value buffer, VectorType type) {
    if (ops.channelIsRow) {
      Value pos = addc(b, loc, addc(b, loc, rowBase, r), ops.channelOffset);
      Value s = memref::LoadOp::create(b, loc, buffer, pos);
      return vector::BroadcastOp::create(b, loc, type, s);
    }
    Value pos = addc(b, loc, muli(b, loc, tile, cfg.tileCols()),
                     int64_t(v) * cfg.lanes + ops.channelOffset);
    return vector::LoadOp::create(b, loc, type, buffer, pos);
  }

  void emitStore(Value rowBase, unsigned r, Value tile, unsigned v, Value acc,
                 int64_t validCols) {
    auto i32Vec = vecOf(cfg.lanes, b.getI32Type());
    auto f32Vec = vecOf(cfg.lanes, b.getF32Type());
    Value result = acc;
    if (!cfg.isFloat) {
      Value sum = arith::AddIOp::create(
          b, loc, acc, loadChannelVector(rowBase, r, tile, v, ops.bias, i32Vec));
      if (ops.exact) {
        result = sum;
      } else {
        Value f = arith::SIToFPOp::create(b, loc, f32Vec, sum);
        Value m = loadChannelVector(rowBase, r, tile, v, ops.mult, f32Vec);
        result = emitRoundClampToStorage(
            b, loc, arith::MulFOp::create(b, loc, f, m),
            constantOf(b, loc, vecOf(cfg.lanes, b.getI64Type()), ops.outZp),
            ops.range, ops.outBits);
      }
    }
    Value row = addc(b, loc, rowBase, r);
    Value col = addc(b, loc, muli(b, loc, tile, cfg.tileCols()),
                     int64_t(v) * cfg.lanes);
    Value pos = addc(b, loc, addi(b, loc, muli(b, loc, row, ops.ldc), col),
                     ops.outOffset);
    if (ops.outBase)
      pos = addi(b, loc, pos, ops.outBase);
    int64_t remaining = validCols - int64_t(v) * cfg.lanes;
    if (remaining >= int64_t(cfg.lanes)) {
      vector::StoreOp::create(b, loc, result, ops.out, pos);
      return;
    }
    Value mask = vector::ConstantMaskOp::create(
        b, loc, vecOf(cfg.lanes, b.getI1Type()), ArrayRef<int64_t>{remaining});
    vector::MaskedStoreOp::create(b, loc, ops.out, pos, mask, result);
  }

  OpBuilder &b;
  Location loc;
  const GemmConfig &cfg;
  const GemmOperands &ops;
};

//===----------------------------------------------------------------------===//
// Compile-time packing and compensation
//===----------------------------------------------------------------------===//

} // namespace

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

/// Whether a convolution reads its input as the GEMM's rows directly: a
/// 1x1 kernel with stride 1 and no padding (the rows are the channels, each
/// H*W pixels long).
bool isPointwise(Conv2DOp op) {
  auto w = op.getWeight().getType();
  return w.getDimSize(2) == 1 && w.getDimSize(3) == 1 &&
         llvm::all_of(op.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(op.getPads(), [](int64_t p) { return p == 0; });
}

/// Emits `for i in [lo, hi): body(i)` (nothing when the range is empty).
void emitFor(OpBuilder &b, Location loc, Value lo, Value hi,
             function_ref<void(Value)> body) {
  auto loop = scf::ForOp::create(b, loc, lo, hi, idx(b, loc, 1));
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(loop.getBody());
  body(loop.getInductionVar());
}

/// Elements per vector for the data-movement loops of im2col.
int64_t moveVectorElems(Type element) { return element.isF32() ? 16 : 64; }

/// The tail of a range (fewer than one whole vector, `rest` elements from
/// `offset`) as unmasked power-of-two pieces, largest first: a 6-element
/// tail is a 4-element and a 2-element move. Masked moves of a whole vector
/// for a few bytes cost more, and scalarize without AVX-512.
void emitPieces(OpBuilder &b, Location loc, int64_t v, int64_t offset,
                int64_t rest, function_ref<void(int64_t, int64_t)> move) {
  for (int64_t piece = v / 2; piece >= 1; piece /= 2)
    if (rest & piece) {
      move(offset, piece);
      offset += piece;
    }
}

/// dst[base + i] = value for i in [0, count): whole vectors, then the tail
/// in power-of-two pieces (counts are compile-time constants).
void emitFillRange(OpBuilder &b, Location loc, Value dst, Value base,
                   int64_t count, Value value) {
  if (count <= 0)
    return;
  int64_t v = moveVectorElems(value.getType());
  if (count / v > 0) {
    Value splat =
        vector::BroadcastOp::create(b, loc, vecOf(v, value.getType()), value);
    emitFor(b, loc, idx(b, loc, 0), idx(b, loc, count / v), [&](Value i) {
      vector::StoreOp::create(b, loc, splat, dst,
                              addi(b, loc, base, muli(b, loc, i, v)));
    });
  }
  emitPieces(
      b, loc, v, count - count % v, count % v, [&](int64_t offset, int64_t n) {
        Value splat = vector::BroadcastOp::create(
            b, loc, vecOf(n, value.getType()), value);
        vector::StoreOp::create(b, loc, splat, dst, addc(b, loc, base, offset));
      });
}

/// dst[dstBase + i] = src[srcBase + i] for i in [0, count) (contiguous):
/// whole vectors, then the tail in power-of-two pieces.
void emitCopyRange(OpBuilder &b, Location loc, Value src, Value srcBase,
                   Value dst, Value dstBase, int64_t count) {
  if (count <= 0)
    return;
  Type element = cast<MemRefType>(src.getType()).getElementType();
  int64_t v = moveVectorElems(element);
  if (count / v > 0)
    emitFor(b, loc, idx(b, loc, 0), idx(b, loc, count / v), [&](Value i) {
      Value off = muli(b, loc, i, v);
      Value x = vector::LoadOp::create(b, loc, vecOf(v, element), src,
                                       addi(b, loc, srcBase, off));
      vector::StoreOp::create(b, loc, x, dst, addi(b, loc, dstBase, off));
    });
  emitPieces(
      b, loc, v, count - count % v, count % v, [&](int64_t offset, int64_t n) {
        Value x = vector::LoadOp::create(b, loc, vecOf(n, element), src,
                                         addc(b, loc, srcBase, offset));
        vector::StoreOp::create(b, loc, x, dst, addc(b, loc, dstBase, offset));
      });
}

/// First output position o with o * stride - pad + offset >= 0, and one past
/// the last with o * stride - pad + offset < size, clamped to [0, out].
std::pair<int64_t, int64_t> validRange(int64_t size, int64_t out,
                                       int64_t stride, int64_t pad,
                                       int64_t offset) {
  int64_t lo = 0;
  while (lo < out && lo * stride - pad + offset < 0)
    ++lo;
  int64_t hi = lo;
  while (hi < out && hi * stride - pad + offset < size)
    ++hi;
  return {lo, hi};
}

/// im2col, step 1: the GEMM's rows for image `n` and group `gi`, row k =
/// (ci, ky, kx) of `P` pixels, written to `rows`. Which output positions
/// read the padding is known at compile time for each (ky, kx), so every
/// row is a few constant-length fills with the zero point `pad` and one
/// copy of an input row segment (a contiguous copy at stride 1).
void emitIm2Rows(OpBuilder &b, Location loc, Conv2DOp op, Value input,
                 Value rows, Value n, int64_t gi, Value pad) {
  auto in = op.getInput().getType();
  auto w = op.getWeight().getType();
  auto out = op.getType();
  int64_t c = in.getDimSize(1), h = in.getDimSize(2), wd = in.getDimSize(3);
  int64_t cg = w.getDimSize(1), kh = w.getDimSize(2), kw = w.getDimSize(3);
  int64_t oh = out.getDimSize(2), ow = out.getDimSize(3), pixels = oh * ow;
  int64_t sh = op.getStrides()[0], sw = op.getStrides()[1];
  int64_t dh = op.getDilations()[0], dw = op.getDilations()[1];
  int64_t pt = op.getPads()[0], pl = op.getPads()[1];

  emitFor(b, loc, idx(b, loc, 0), idx(b, loc, cg), [&](Value ci) {
    // Element offset of (n, channel, 0, 0) in the NCHW input.
    Value plane = muli(
        b, loc, addi(b, loc, muli(b, loc, n, c), addc(b, loc, ci, gi * cg)),
        h * wd);
    for (int64_t ky = 0; ky < kh; ++ky) {
      auto [oyLo, oyHi] = validRange(h, oh, sh, pt, ky * dh);
      for (int64_t kx = 0; kx < kw; ++kx) {
        // Plain locals: the loop body lambdas below capture them.
        std::pair<int64_t, int64_t> xRange =
            validRange(wd, ow, sw, pl, kx * dw);
        int64_t oxLo = xRange.first, oxHi = xRange.second;
        Value row =
            muli(b, loc, addc(b, loc, muli(b, loc, ci, kh * kw), ky * kw + kx),
                 pixels);
        // Output rows entirely in the padding.
        emitFillRange(b, loc, rows, row, oyLo * ow, pad);
        emitFillRange(b, loc, rows, addc(b, loc, row, oyHi * ow),
                      (oh - oyHi) * ow, pad);
        if (oyHi <= oyLo)
          continue;
        emitFor(b, loc, idx(b, loc, oyLo), idx(b, loc, oyHi), [&](Value oy) {
          Value dst = addi(b, loc, row, muli(b, loc, oy, ow));
          emitFillRange(b, loc, rows, dst, oxLo, pad);
          emitFillRange(b, loc, rows, addc(b, loc, dst, oxHi), ow - oxHi, pad);
          if (oxHi <= oxLo)
            return;
          // iy = oy * sh - pt + ky * dh; ix = ox * sw - pl + kx * dw.
          Value src =
              addc(b, loc, addi(b, loc, plane, muli(b, loc, oy, sh * wd)),
                   (ky * dh - pt) * wd + oxLo * sw - pl + kx * dw);
          Value dstLo = addc(b, loc, dst, oxLo);
          if (sw == 1) {
            emitCopyRange(b, loc, input, src, rows, dstLo, oxHi - oxLo);
            return;
          }
          emitFor(b, loc, idx(b, loc, 0), idx(b, loc, oxHi - oxLo),
                  [&](Value i) {
                    Value v = memref::LoadOp::create(
                        b, loc, input, addi(b, loc, src, muli(b, loc, i, sw)));
                    memref::StoreOp::create(b, loc, v, rows,
                                            addi(b, loc, dstLo, i));
                  });
        });
      }
    }
  });
}

/// im2col, step 2: rows [K][P] (row stride `ldr`, from element `rowBase`)
/// into the packed vector-side layout [P/NR][K/kg][NR][kg]. The kg values of
/// one lane come from kg consecutive rows: per K group, kg loads and kg
/// interleaved stores per pixel, which LLVM vectorizes into shuffles. K
/// values past K and pixels past P are zero; x86 kernels that take i8
/// activations see them shifted (XOR 0x80).
void emitPackRows(OpBuilder &b, Location loc, const GemmConfig &cfg, Value rows,
                  Value rowBase, int64_t ldr, Value packed, bool shift) {
  int64_t nr = cfg.tileCols(), kg = cfg.kGroup, groups = cfg.groups();
  int64_t fullGroups = cfg.depth / kg;
  int64_t fullTiles = cfg.cols / nr, tailCols = cfg.cols % nr;
  Type element = cfg.isFloat ? (Type)b.getF32Type() : (Type)b.getI8Type();
  Value zero = cfg.isFloat ? constantOf(b, loc, element, 0.0)
                           : constantOf(b, loc, element, int64_t(0));
  auto read = [&](Value k, Value col, bool kValid) -> Value {
    if (!kValid)
      return zero;
    Value v = memref::LoadOp::create(
        b, loc, rows,
        addi(b, loc, rowBase, addi(b, loc, muli(b, loc, k, ldr), col)));
    if (shift)
      v = arith::XOrIOp::create(b, loc, v,
                                constantOf(b, loc, element, int64_t(-128)));
    return v;
  };
  // One tile's groups [g0, g1) for columns [0, cols) of the tile.
  auto packGroups = [&](Value tile, Value g0, Value g1, int64_t cols,
                        int64_t validInGroup) {
    emitFor(b, loc, g0, g1, [&](Value g) {
      Value dstBase =
          muli(b, loc, addi(b, loc, muli(b, loc, tile, groups), g), nr * kg);
      emitFor(b, loc, idx(b, loc, 0), idx(b, loc, cols), [&](Value j) {
        Value col = addi(b, loc, muli(b, loc, tile, nr), j);
        Value dst = addi(b, loc, dstBase, muli(b, loc, j, kg));
        for (int64_t kk = 0; kk < kg; ++kk) {
          Value k = addc(b, loc, muli(b, loc, g, kg), kk);
          memref::StoreOp::create(b, loc, read(k, col, kk < validInGroup),
                                  packed, addc(b, loc, dst, kk));
        }
      });
    });
  };
  // A full tile, one K group at a time: kg vector loads of NR values (one
  // per row), interleaved into the lane layout (two rounds of pairwise
  // interleaving for kg = 4), one store of NR * kg values.
  auto packFullGroups = [&](Value tile) {
    auto rowType = vecOf(nr, element);
    emitFor(b, loc, idx(b, loc, 0), idx(b, loc, fullGroups), [&](Value g) {
      SmallVector<Value> r;
      for (int64_t kk = 0; kk < kg; ++kk) {
        Value k = addc(b, loc, muli(b, loc, g, kg), kk);
        Value pos =
            addi(b, loc, rowBase,
                 addi(b, loc, muli(b, loc, k, ldr), muli(b, loc, tile, nr)));
        r.push_back(vector::LoadOp::create(b, loc, rowType, rows, pos));
      }
      Value v = r[0];
      if (kg == 2) {
        v = vector::InterleaveOp::create(b, loc, r[0], r[1]);
      } else if (kg == 4) {
        Value a = vector::InterleaveOp::create(b, loc, r[0], r[2]);
        Value c = vector::InterleaveOp::create(b, loc, r[1], r[3]);
        v = vector::InterleaveOp::create(b, loc, a, c);
      }
      if (shift)
        v = arith::XOrIOp::create(
            b, loc, v,
            constantOf(b, loc, cast<VectorType>(v.getType()), int64_t(-128)));
      Value dst =
          muli(b, loc, addi(b, loc, muli(b, loc, tile, groups), g), nr * kg);
      vector::StoreOp::create(b, loc, v, packed, dst);
    });
  };
  auto packTile = [&](Value tile, int64_t cols) {
    if (cols == nr && (kg == 1 || kg == 2 || kg == 4))
      packFullGroups(tile);
    else
      packGroups(tile, idx(b, loc, 0), idx(b, loc, fullGroups), cols, kg);
    if (fullGroups < groups) // The last group holds K % kg real values.
      packGroups(tile, idx(b, loc, fullGroups), idx(b, loc, groups), cols,
                 cfg.depth % kg);
  };
  if (fullTiles > 0)
    emitFor(b, loc, idx(b, loc, 0), idx(b, loc, fullTiles),
            [&](Value tile) { packTile(tile, nr); });
  if (tailCols > 0) {
    // Columns past P: zero (their results are never stored).
    Value tile = idx(b, loc, fullTiles);
    emitFor(b, loc, idx(b, loc, 0), idx(b, loc, groups), [&](Value g) {
      Value base = muli(b, loc, addc(b, loc, g, fullTiles * groups), nr * kg);
      emitFillRange(b, loc, packed, addc(b, loc, base, tailCols * kg),
                    (nr - tailCols) * kg, zero);
    });
    packTile(tile, tailCols);
  }
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
    GemmEmitter(b, loc, cfg, ops).emit();
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
  GemmEmitter(b, loc, cfg, ops).emit();
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
    GemmEmitter(b, loc, cfg, groupOps).emit();
  }
  return success();
}
