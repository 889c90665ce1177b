//===- Depthwise.cpp - The depthwise convolution kernel -------------------===//
//
// Depthwise convolution has no reduction over channels, so a GEMM would be
// all packing and no reuse. Instead: per channel and output row, accumulate
// the KH x KW taps into a row of i32 (or f32) accumulators with the output
// pixels innermost (a loop LLVM vectorizes), then requantize the row. The
// input is read from a copy padded with the zero point, so the inner loop
// has no bounds checks. Integer sums are exact and f32 sums run in the
// reference's order (bias, then fma per tap), so the result is bit-identical
// to the reference lowering.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

struct DwShape {
  int64_t n, c, h, w, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
  int64_t hp() const { return h + pt + pb; }
  int64_t wp() const { return w + pl + pr; }
  bool padded() const { return pt || pl || pb || pr; }
};

DwShape getShape(Conv2DOp op) {
  auto in = op.getInput().getType();
  auto wt = op.getWeight().getType();
  auto out = op.getType();
  DwShape s;
  s.n = in.getDimSize(0);
  s.c = in.getDimSize(1);
  s.h = in.getDimSize(2);
  s.w = in.getDimSize(3);
  s.oh = out.getDimSize(2);
  s.ow = out.getDimSize(3);
  s.kh = wt.getDimSize(2);
  s.kw = wt.getDimSize(3);
  s.sh = op.getStrides()[0];
  s.sw = op.getStrides()[1];
  s.dh = op.getDilations()[0];
  s.dw = op.getDilations()[1];
  s.pt = op.getPads()[0];
  s.pl = op.getPads()[1];
  s.pb = op.getPads()[2];
  s.pr = op.getPads()[3];
  return s;
}

bool qualifies(Conv2DOp op, const LoweringOptions &options) {
  if (options.reference || !getConstant(op.getWeight()) ||
      (op.getBias() && !getConstant(op.getBias())))
    return false;
  if (!isQuantized(op.getType()))
    return true;
  auto out = getPerTensorType(op.getType());
  int64_t channels = op.getWeight().getType().getDimSize(0);
  auto m = getRequantMultipliers(op.getInput().getType(),
                                 op.getWeight().getType(), op.getType(),
                                 channels);
  return out.getStorageTypeIntegralWidth() == 8 ||
         isExactAccumulatorOutput(op.getType(), m);
}

Value idx(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

} // namespace

std::optional<SmallVector<MemRefType>>
lowering::getDepthwiseScratch(Conv2DOp op, const LoweringOptions &options) {
  if (!qualifies(op, options))
    return std::nullopt;
  DwShape s = getShape(op);
  Builder b(op.getContext());
  bool quantized = isQuantized(op.getType());
  SmallVector<MemRefType> scratch = {MemRefType::get(
      {s.ow}, quantized ? (Type)b.getI32Type() : (Type)b.getF32Type())};
  if (s.padded())
    scratch.push_back(MemRefType::get(
        {s.c, s.hp(), s.wp()}, getElementInfo(op.getInput().getType()).storage));
  return scratch;
}

LogicalResult lowering::tryLowerDepthwise(Conv2DOp op, LoweringState &state) {
  if (!qualifies(op, state.options))
    return failure();
  OpBuilder &b = state.builder;
  Location loc = op.getLoc();
  DwShape s = getShape(op);
  auto inType = op.getInput().getType();
  ElementInfo xi = getElementInfo(inType);
  ElementInfo wi = getElementInfo(op.getWeight().getType());
  bool quantized = !xi.isFloat();
  Type accType = quantized ? (Type)b.getI32Type() : (Type)b.getF32Type();
  Value accRow = state.scratch[0];
  int64_t zx = quantized ? getPerTensorType(inType).getZeroPoint() : 0;

  Value weights = reshapeBuffer(b, loc, state.operands[1],
                                SmallVector<int64_t>{s.c, s.kh, s.kw});
  Value bias = op.getBias() ? state.operands[2] : Value();
  SmallVector<float> mult;
  SmallVector<int64_t> zw(s.c, 0);
  Value multBuf, zwBuf;
  if (quantized) {
    mult = getRequantMultipliers(inType, op.getWeight().getType(), op.getType(),
                                 s.c);
    if (mult.size() == 1)
      mult.assign(s.c, mult.front());
    multBuf = state.getConstantBuffer(
        loc, DenseElementsAttr::get(
                 RankedTensorType::get({s.c}, b.getF32Type()),
                 ArrayRef<float>(mult)));
    SmallVector<QuantParams> wp =
        getQuantParams(getQuantElementType(op.getWeight().getType()));
    SmallVector<int32_t> z;
    for (int64_t c = 0; c < s.c; ++c)
      z.push_back(int32_t(wp[wp.size() == 1 ? 0 : c].zeroPoint));
    zwBuf = state.getConstantBuffer(
        loc, DenseElementsAttr::get(RankedTensorType::get({s.c}, b.getI32Type()),
                                    ArrayRef<int32_t>(z)));
  }
  auto out = getPerTensorType(op.getType());
  bool exact = quantized && isExactAccumulatorOutput(op.getType(), mult);

  // One loop over the images of the batch.
  auto images = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, s.n),
                                   idx(b, loc, 1));
  OpBuilder::InsertionGuard imageGuard(b);
  b.setInsertionPointToStart(images.getBody());
  Value img = images.getInductionVar();
  {
    // This image's planes, padded with the zero point when needed.
    SmallVector<OpFoldResult> offsets = {img, b.getIndexAttr(0),
                                         b.getIndexAttr(0), b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(s.c),
                                       b.getIndexAttr(s.h), b.getIndexAttr(s.w)};
    SmallVector<OpFoldResult> unit(4, b.getIndexAttr(1));
    Value image = memref::SubViewOp::create(b, loc, state.operands[0], offsets,
                                            sizes, unit);
    Value planes;
    if (s.padded()) {
      planes = state.scratch[1];
      emitFill(b, loc, planes,
               quantized ? constantOf(b, loc, xi.storage, zx)
                         : constantOf(b, loc, xi.storage, 0.0));
      Value interior = memref::SubViewOp::create(
          b, loc, planes, SmallVector<int64_t>{0, s.pt, s.pl},
          SmallVector<int64_t>{s.c, s.h, s.w}, SmallVector<int64_t>{1, 1, 1});
      Value src = memref::CollapseShapeOp::create(
          b, loc, image, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
      emitCopy(b, loc, src, interior);
    } else {
      planes = memref::CollapseShapeOp::create(
          b, loc, image, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
    }

    auto cLoop = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, s.c),
                                    idx(b, loc, 1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(cLoop.getBody());
    Value c = cLoop.getInductionVar();
    Value zwc = quantized ? (Value)memref::LoadOp::create(b, loc, zwBuf, c)
                          : Value();
    Value biasc = bias ? (Value)memref::LoadOp::create(b, loc, bias, c) : Value();
    auto yLoop = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, s.oh),
                                    idx(b, loc, 1));
    b.setInsertionPointToStart(yLoop.getBody());
    Value oy = yLoop.getInductionVar();

    // acc = 0 (integer; the bias is added at requantization) or the f32 bias.
    Value init = quantized ? constantOf(b, loc, accType, int64_t(0))
                           : (biasc ? biasc : constantOf(b, loc, accType, 0.0));
    emitFill(b, loc, accRow, init);
    for (int64_t ky = 0; ky < s.kh; ++ky)
      for (int64_t kx = 0; kx < s.kw; ++kx) {
        Value w = memref::LoadOp::create(
            b, loc, weights, ValueRange{c, idx(b, loc, ky), idx(b, loc, kx)});
        if (quantized)
          w = arith::SubIOp::create(
              b, loc, extendInteger(b, loc, w, wi.isUnsigned, accType), zwc);
        Value iy = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, oy, idx(b, loc, s.sh)),
            idx(b, loc, ky * s.dh));
        auto xLoop = scf::ForOp::create(b, loc, idx(b, loc, 0),
                                        idx(b, loc, s.ow), idx(b, loc, 1));
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToStart(xLoop.getBody());
        Value ox = xLoop.getInductionVar();
        Value ix = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, ox, idx(b, loc, s.sw)),
            idx(b, loc, kx * s.dw));
        Value x = memref::LoadOp::create(b, loc, planes, ValueRange{c, iy, ix});
        Value acc = memref::LoadOp::create(b, loc, accRow, ox);
        Value next;
        if (quantized) {
          Value xs = arith::SubIOp::create(
              b, loc, extendInteger(b, loc, x, xi.isUnsigned, accType),
              constantOf(b, loc, accType, zx));
          next = arith::AddIOp::create(b, loc, acc,
                                       arith::MulIOp::create(b, loc, xs, w));
        } else {
          next = math::FmaOp::create(b, loc, x, w, acc);
        }
        memref::StoreOp::create(b, loc, next, accRow, ox);
      }

    // Requantize (or copy) the row into the output.
    auto xLoop = scf::ForOp::create(b, loc, idx(b, loc, 0), idx(b, loc, s.ow),
                                    idx(b, loc, 1));
    b.setInsertionPointToStart(xLoop.getBody());
    Value ox = xLoop.getInductionVar();
    Value acc = memref::LoadOp::create(b, loc, accRow, ox);
    Value y = acc;
    if (quantized) {
      if (biasc)
        acc = arith::AddIOp::create(b, loc, acc, biasc);
      y = acc;
      if (!exact) {
        Value m = memref::LoadOp::create(b, loc, multBuf, c);
        Value f = arith::SIToFPOp::create(b, loc, b.getF32Type(), acc);
        y = emitRoundClampToStorage(
            b, loc, arith::MulFOp::create(b, loc, f, m),
            constantOf(b, loc, b.getI64Type(), out.getZeroPoint()),
            getProductOutputRange(op), out.getStorageTypeIntegralWidth());
      }
    }
    memref::StoreOp::create(b, loc, y, state.result,
                            ValueRange{img, c, oy, ox});
  }
  return success();
}
