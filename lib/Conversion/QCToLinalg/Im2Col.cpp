//===- Im2Col.cpp - The im2col rows of one convolution --------------------===//
//
// im2col, step 1, emitted for one convolution (step 2, the packing, is a
// shared micro-kernel). Row k = (c, ky, kx) of the GEMM is the input plane c
// shifted by (ky, kx), one value per output pixel. Which output positions
// read the padding is known at compile time for each (ky, kx), so each row
// is a few fills with the zero point of compile-time length and, per output
// row, one contiguous copy of an input row segment (a strided convolution
// gathers element by element instead). Knowing the lengths at compile time
// matters for small images: a 4x4 image's rows are 4 elements, where a
// run-time version spends its time deciding how to move them.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

VectorType vecOf(int64_t n, Type element) {
  return VectorType::get({n}, element);
}

/// Elements per vector of the data-movement loops.
int64_t moveElems(Type element) { return element.isF32() ? 16 : 64; }

/// The tail of a range (`rest` < v elements from `offset`) as unmasked
/// power-of-two pieces, largest first: a 6-element tail is a 4- and a
/// 2-element move.
void pieces(int64_t v, int64_t offset, int64_t rest,
            function_ref<void(int64_t, int64_t)> move) {
  for (int64_t piece = v / 2; piece >= 1; piece /= 2)
    if (rest & piece) {
      move(offset, piece);
      offset += piece;
    }
}

/// dst[base + i] = value for i in [0, count), count known at compile time.
void fill(KernelBuilder &k, Value dst, Type element, Value base, int64_t count,
          Value value) {
  if (count <= 0)
    return;
  int64_t v = moveElems(element);
  if (count / v > 0) {
    Value splat =
        vector::BroadcastOp::create(k.b, k.loc, vecOf(v, element), value);
    k.loop(k.c(0), k.c(count / v * v), k.c(v),
           [&](Value i) { k.store(splat, dst, element, k.add(base, i)); });
  }
  pieces(v, count - count % v, count % v, [&](int64_t offset, int64_t n) {
    Value piece = n == 1 ? value
                         : (Value)vector::BroadcastOp::create(
                               k.b, k.loc, vecOf(n, element), value);
    k.store(piece, dst, element, k.add(base, offset));
  });
}

/// dst[dstBase + i] = src[srcBase + i] for i in [0, count).
void copy(KernelBuilder &k, Value src, Value srcBase, Value dst,
          Value dstBase, Type element, int64_t count) {
  if (count <= 0)
    return;
  int64_t v = moveElems(element);
  if (count / v > 0)
    k.loop(k.c(0), k.c(count / v * v), k.c(v), [&](Value i) {
      k.store(k.load(vecOf(v, element), src, element, k.add(srcBase, i)), dst,
              element, k.add(dstBase, i));
    });
  pieces(v, count - count % v, count % v, [&](int64_t offset, int64_t n) {
    Type t = n == 1 ? element : (Type)vecOf(n, element);
    k.store(k.load(t, src, element, k.add(srcBase, offset)), dst, element,
            k.add(dstBase, offset));
  });
}

/// [lo, hi): the output positions o in [0, out) whose input position
/// o * stride - pad + offset lies in [0, size).
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

} // namespace

void lowering::emitIm2Rows(KernelBuilder &k, Value input, Value rows,
                           Type element, const ConvGeometry &g, Value pad,
                           Value oy0, Value oy1) {
  // Row k of the output rows [oy0, oy1): (oy1 - oy0) * ow values.
  Value rowLen = k.mul(k.sub(oy1, oy0), g.ow);
  k.loop(k.c(0), k.c(g.cg), [&](Value ci) {
    Value plane = k.mul(ci, g.h * g.w);
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      auto [oyLo, oyHi] = validRange(g.h, g.oh, g.sh, g.pt, ky * g.dh);
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        // Plain locals: the loop body lambda below captures them.
        std::pair<int64_t, int64_t> xRange =
            validRange(g.w, g.ow, g.sw, g.pl, kx * g.dw);
        int64_t oxLo = xRange.first, oxHi = xRange.second;
        int64_t rowIndex = ky * g.kw + kx;
        Value row = k.mul(k.add(k.mul(ci, g.kh * g.kw), rowIndex), rowLen);
        auto at = [&](Value oy) {
          return k.add(row, k.mul(k.sub(oy, oy0), g.ow));
        };
        // Output rows of the range entirely in the padding.
        Value validLo = k.max(oy0, k.c(oyLo)), validHi = k.min(oy1, k.c(oyHi));
        auto padRows = [&](Value from, Value to) {
          k.loop(from, to,
                 [&](Value oy) { fill(k, rows, element, at(oy), g.ow, pad); });
        };
        padRows(oy0, k.min(oy1, k.c(oyLo)));
        padRows(k.max(oy0, k.c(oyHi)), oy1);
        if (oyHi <= oyLo)
          continue;
        k.loop(validLo, validHi, [&](Value oy) {
          Value dst = at(oy);
          fill(k, rows, element, dst, oxLo, pad);
          fill(k, rows, element, k.add(dst, oxHi), g.ow - oxHi, pad);
          if (oxHi <= oxLo)
            return;
          // iy = oy * sh - pt + ky * dh; ix = ox * sw - pl + kx * dw.
          Value src =
              k.add(k.add(plane, k.mul(oy, g.sh * g.w)),
                    (ky * g.dh - g.pt) * g.w + oxLo * g.sw - g.pl + kx * g.dw);
          Value dstLo = k.add(dst, oxLo);
          if (g.sw == 1) {
            copy(k, input, src, rows, dstLo, element, oxHi - oxLo);
            return;
          }
          k.loop(k.c(0), k.c(oxHi - oxLo), [&](Value i) {
            k.store(k.load(element, input, element, k.add(src, k.mul(i, g.sw))),
                    rows, element, k.add(dstLo, i));
          });
        });
      }
    }
  });
}
