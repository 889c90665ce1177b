//===- ConvTranspose.cpp - Lowering of the transposed convolution ---------===//
//
// The reference lowering of qc.conv_transpose2d scatters: for each kernel
// tap (ky, kx), input pixel (iy, ix) adds its products to the output pixel
// (iy * sy + ky * dy, ix * sx + kx * dx) of the uncropped result. With the
// tap fixed, that pixel is an index of a strided view of the accumulator,
// so each tap is one reduction generic over (n, group, channel, iy, ix |
// input channel) with projected-permutation maps, and every product is
// computed exactly once (no inserted zeros). The accumulator is i32 for
// quantized operands (zero-point-shifted products, requantized from the
// cropped window by the shared epilogue) and f32 otherwise (started at the
// bias; the cropped window is the result).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

/// The sizes of one transposed convolution.
struct Geometry {
  int64_t n, c, o, g, cg, og, h, w, kh, kw, sh, sw, dh, dw;
  int64_t pt, pl, oh, ow;
  /// Accumulator spatial sizes: the uncropped result, extended to cover the
  /// output padding.
  int64_t fh, fw;

  explicit Geometry(ConvTranspose2DOp op) {
    auto in = op.getInput().getType(), wt = op.getWeight().getType();
    auto out = op.getType();
    n = in.getDimSize(0);
    c = in.getDimSize(1);
    h = in.getDimSize(2);
    w = in.getDimSize(3);
    o = wt.getDimSize(0);
    kh = wt.getDimSize(2);
    kw = wt.getDimSize(3);
    g = op.getGroups();
    cg = c / g;
    og = o / g;
    sh = op.getStrides()[0];
    sw = op.getStrides()[1];
    dh = op.getDilations()[0];
    dw = op.getDilations()[1];
    pt = op.getPads()[0];
    pl = op.getPads()[1];
    oh = out.getDimSize(2);
    ow = out.getDimSize(3);
    fh = std::max(op.getFullSize(0), pt + oh);
    fw = std::max(op.getFullSize(1), pl + ow);
  }

  /// Whether the accumulator is the result itself (f32, nothing cropped).
  bool accumulatesInResult(bool quantized) const {
    return !quantized && pt == 0 && pl == 0 && fh == oh && fw == ow;
  }
};

struct ConvTransposeLowering : OpLowering {
  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<ConvTranspose2DOp>(o);
    Geometry geo(op);
    bool quantized = isQuantized(op.getType());
    if (geo.accumulatesInResult(quantized))
      return {};
    Builder b(op.getContext());
    Type element = quantized ? Type(b.getI32Type()) : Type(b.getF32Type());
    return {MemRefType::get({geo.n, geo.o, geo.fh, geo.fw}, element)};
  }

  LogicalResult lower(Operation *operation,
                      LoweringState &state) const override {
    auto op = cast<ConvTranspose2DOp>(operation);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    auto inType = op.getInput().getType();
    auto wType = op.getWeight().getType();
    auto outType = op.getType();
    ElementInfo xi = getElementInfo(inType), wi = getElementInfo(wType);
    bool quantized = !xi.isFloat();
    Geometry geo(op);
    bool direct = geo.accumulatesInResult(quantized);
    Value acc = direct ? state.result : state.scratch[0];
    Value bias = op.getBias() ? state.operands[2] : Value();

    // The accumulator starts at 0, or at the f32 bias of each channel.
    if (quantized || !bias)
      emitFill(b, loc, acc,
               quantized ? constantOf(b, loc, b.getI32Type(), int64_t(0))
                         : constantOf(b, loc, b.getF32Type(), 0.0));
    else
      emitPointwise(
          b, loc,
          {reshapeBuffer(b, loc, bias, SmallVector<int64_t>{geo.o, 1, 1})}, acc,
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });

    Value x5 =
        reshapeBuffer(b, loc, state.operands[0],
                      SmallVector<int64_t>{geo.n, geo.g, geo.cg, geo.h, geo.w});
    Value w5 = reshapeBuffer(
        b, loc, state.operands[1],
        SmallVector<int64_t>{geo.g, geo.og, geo.cg, geo.kh, geo.kw});
    Value acc5 = reshapeBuffer(
        b, loc, acc,
        SmallVector<int64_t>{geo.n, geo.g, geo.og, geo.fh, geo.fw});
    int64_t zx = quantized ? getPerTensorType(inType).getZeroPoint() : 0;
    Value zw = quantized ? weightZeroPoints(state, loc, wType, {geo.g, geo.og})
                         : Value();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto cst = [&](int64_t v) { return getAffineConstantExpr(v, ctx); };
    SmallVector<utils::IteratorType> iterators = parallelIterators(5);
    iterators.push_back(utils::IteratorType::reduction);
    // Dims: n g oc iy ix | ic.
    for (int64_t ky = 0; ky < geo.kh; ++ky) {
      for (int64_t kx = 0; kx < geo.kw; ++kx) {
        Value window = memref::SubViewOp::create(
            b, loc, acc5,
            SmallVector<int64_t>{0, 0, 0, ky * geo.dh, kx * geo.dw},
            SmallVector<int64_t>{geo.n, geo.g, geo.og, geo.h, geo.w},
            SmallVector<int64_t>{1, 1, 1, geo.sh, geo.sw});
        SmallVector<Value> inputs = {x5, w5};
        SmallVector<AffineMap> maps = {
            AffineMap::get(6, 0, {d(0), d(1), d(5), d(3), d(4)}, ctx),
            AffineMap::get(6, 0, {d(1), d(2), d(5), cst(ky), cst(kx)}, ctx)};
        if (quantized) {
          inputs.push_back(zw);
          maps.push_back(AffineMap::get(6, 0, {d(1), d(2)}, ctx));
        }
        maps.push_back(
            AffineMap::get(6, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx));
        buildGeneric(b, loc, inputs, window, maps, iterators,
                     [&](OpBuilder &nb, Location l, ValueRange args) {
                       Value zwv = quantized ? args[2] : Value();
                       linalg::YieldOp::create(
                           nb, l,
                           multiplyAccumulate(nb, l, args.back(), args[0],
                                              args[1], zwv, xi, wi, zx));
                     });
      }
    }
    if (direct)
      return success();

    // The result is the window [pt, pt + oh) x [pl, pl + ow).
    Value cropped = memref::SubViewOp::create(
        b, loc, acc, SmallVector<int64_t>{0, 0, geo.pt, geo.pl},
        SmallVector<int64_t>{geo.n, geo.o, geo.oh, geo.ow},
        SmallVector<int64_t>{1, 1, 1, 1});
    if (!quantized) {
      emitCopy(b, loc, cropped, state.result);
      return success();
    }
    emitRequantEpilogue(
        state, loc, cropped, state.result, /*channelDim=*/1, bias,
        getRequantMultipliers(inType, wType, outType, geo.o), outType,
        getClampedStorageRange(getPerTensorType(outType), op.getClampMinAttr(),
                               op.getClampMaxAttr()));
    return success();
  }
};

} // namespace

void lowering::populateConvTransposeLoweringPatterns(
    LoweringPatterns &patterns) {
  patterns.add<ConvTranspose2DOp>(std::make_unique<ConvTransposeLowering>());
}
