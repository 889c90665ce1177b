//===- GemmKernel.cpp - The register-tiled GEMM micro-kernel --------------===//
//
// The loop nest shared by the matmul and convolution kernels (see
// Kernels.cpp for how each maps onto it, and docs/Kernels.md): row blocks
// for the cache, column tiles of the packed Y, row tiles of accumulator
// vectors fed per K group by one broadcast of X per row and one load of Y
// per vector, the target's dot instruction, and the fused requantizing
// epilogue.
//
//===----------------------------------------------------------------------===//

#include "GemmKernel.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

//===----------------------------------------------------------------------===//
// Kernel configuration
//===----------------------------------------------------------------------===//

namespace {

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

} // namespace

GemmConfig lowering::makeConfig(const LoweringOptions &opts, bool isFloat,
                                int64_t rows, int64_t cols, int64_t depth,
                                bool broadcastIsActivation,
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

bool lowering::needsShift(const TargetDesc &target, bool activationUnsigned) {
  bool kernelUnsigned = !target.signedActivations;
  return kernelUnsigned != activationUnsigned;
}

int64_t lowering::shiftOf(const TargetDesc &target, bool activationUnsigned) {
  if (!needsShift(target, activationUnsigned))
    return 0;
  return activationUnsigned ? -128 : 128;
}

//===----------------------------------------------------------------------===//
// Index and vector helpers
//===----------------------------------------------------------------------===//

Value lowering::idx(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value lowering::addi(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}

Value lowering::muli(OpBuilder &b, Location loc, Value x, int64_t y) {
  return arith::MulIOp::create(b, loc, x, idx(b, loc, y));
}

Value lowering::addc(OpBuilder &b, Location loc, Value x, int64_t y) {
  return y == 0 ? x : addi(b, loc, x, idx(b, loc, y));
}

VectorType lowering::vecOf(int64_t n, Type element) {
  return VectorType::get({n}, element);
}

namespace {

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
    return call("llvm.aarch64.neon.sdot.v4i32.v16i8", accType, {acc, act, wgt});
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
      emitTile(addc(b, loc, rowStart, fullRows * cfg.tileRows), tailRows, tile,
               vectors, validCols);
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
    Value pos =
        addi(b, loc, addc(b, loc, muli(b, loc, row, ops.ldx), ops.xOffset), k0);
    if (cfg.isFloat) {
      Value s = memref::LoadOp::create(b, loc, ops.x, pos);
      return vector::BroadcastOp::create(b, loc, rawVector(), s);
    }
    Value group = vector::LoadOp::create(
        b, loc, vecOf(cfg.kGroup, b.getI8Type()), ops.x, pos);
    if (cfg.kGroup == 2) {
      // Two bytes: splat them as one i16 per lane pair after widening in
      // emitDot; here, splat the 16-bit word across the register.
      Value word =
          vector::BitCastOp::create(b, loc, vecOf(1, b.getI16Type()), group);
      Value w = vector::ExtractOp::create(b, loc, word, 0);
      Value splat = vector::BroadcastOp::create(
          b, loc, vecOf(cfg.lanes, b.getI16Type()), w);
      return vector::BitCastOp::create(b, loc, rawVector(), splat);
    }
    Value dword =
        vector::BitCastOp::create(b, loc, vecOf(1, b.getI32Type()), group);
    Value d = vector::ExtractOp::create(b, loc, dword, 0);
    Value splat = vector::BroadcastOp::create(
        b, loc, vecOf(cfg.lanes, b.getI32Type()), d);
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
          init.push_back(
              loadChannelVector(rowBase, r, tile, v, ops.bias, accType));
    } else {
      Value zero = constantOf(b, loc, accType, int64_t(0));
      init.assign(rows * vectors, zero);
    }
    Value tileBase = muli(b, loc, tile, cfg.tileSize());
    auto kLoop =
        scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, cfg.groups()),
                           idx(b, loc, 1), init);
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
          b, loc, acc,
          loadChannelVector(rowBase, r, tile, v, ops.bias, i32Vec));
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
} // namespace

void lowering::emitGemm(OpBuilder &b, Location loc, const GemmConfig &cfg,
                        const GemmOperands &ops) {
  GemmEmitter(b, loc, cfg, ops).emit();
}
