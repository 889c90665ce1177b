//===- Im2Col.cpp - The run-time packing of a convolution's input ---------===//
//
// im2col for the convolution kernel, in two steps: the GEMM's rows [K][P]
// (constant-length fills with the zero point and contiguous copies of
// input row segments, since which output positions read the padding is
// known at compile time), then their interleaving into the packed layout
// the micro-kernel reads (see docs/Kernels.md).
//
//===----------------------------------------------------------------------===//

#include "GemmKernel.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

bool lowering::isPointwise(Conv2DOp op) {
  auto w = op.getWeight().getType();
  return w.getDimSize(2) == 1 && w.getDimSize(3) == 1 &&
         llvm::all_of(op.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(op.getPads(), [](int64_t p) { return p == 0; });
}

namespace {

/// Whether a convolution reads its input as the GEMM's rows directly: a
/// 1x1 kernel with stride 1 and no padding (the rows are the channels, each
/// H*W pixels long).
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
/// im2col, step 2: rows [K][P] (row stride `ldr`, from element `rowBase`)
/// into the packed vector-side layout [P/NR][K/kg][NR][kg]. The kg values of
/// one lane come from kg consecutive rows: per K group, kg loads and kg
/// interleaved stores per pixel, which LLVM vectorizes into shuffles. K
/// values past K and pixels past P are zero; x86 kernels that take i8
/// activations see them shifted (XOR 0x80).

} // namespace

void lowering::emitIm2Rows(OpBuilder &b, Location loc, Conv2DOp op, Value input,
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

void lowering::emitPackRows(OpBuilder &b, Location loc, const GemmConfig &cfg,
                            Value rows, Value rowBase, int64_t ldr,
                            Value packed, bool shift) {
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
