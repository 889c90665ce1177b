//===- Pooling.cpp - Lowering of max and average pooling ------------------===//
//
// Both pool over a padded copy of the input (only when padding or ceil mode
// needs one) with a reduction generic over the window. Max pooling compares
// storage integers (its result has the operand's parameters); average
// pooling sums in f32 and divides by the window's element count.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "MicroKernels.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

struct Window {
  int64_t n, c, h, w, oh, ow, kh, kw, sh, sw, dh, dw;
  int64_t pt, pl, pb, pr; // pads, including the ceil-mode extension
  bool padded() const { return pt || pl || pb || pr; }
  int64_t paddedH() const { return h + pt + pb; }
  int64_t paddedW() const { return w + pl + pr; }
};

template <typename PoolOp>
Window getWindow(PoolOp op, ArrayRef<int64_t> dilations) {
  auto in = cast<ShapedType>(op.getInput().getType());
  auto out = cast<ShapedType>(op.getType());
  Window w;
  w.n = in.getDimSize(0);
  w.c = in.getDimSize(1);
  w.h = in.getDimSize(2);
  w.w = in.getDimSize(3);
  w.oh = out.getDimSize(2);
  w.ow = out.getDimSize(3);
  w.kh = op.getKernel()[0];
  w.kw = op.getKernel()[1];
  w.sh = op.getStrides()[0];
  w.sw = op.getStrides()[1];
  w.dh = dilations[0];
  w.dw = dilations[1];
  ArrayRef<int64_t> pads = op.getPads();
  w.pt = pads[0];
  w.pl = pads[1];
  // Ceil mode may let the last window run past the end padding.
  w.pb = std::max(pads[2], (w.oh - 1) * w.sh + (w.kh - 1) * w.dh + 1 -
                               (w.h + pads[0]));
  w.pr = std::max(pads[3], (w.ow - 1) * w.sw + (w.kw - 1) * w.dw + 1 -
                               (w.w + pads[1]));
  return w;
}

MemRefType paddedType(const Window &w, Type element) {
  return MemRefType::get({w.n, w.c, w.paddedH(), w.paddedW()}, element);
}

/// Copies the input into the interior of `padded`, after filling it with
/// `padValue`.
void emitPad(OpBuilder &b, Location loc, Value input, Value padded,
             const Window &w, Value padValue) {
  emitFill(b, loc, padded, padValue);
  SmallVector<int64_t> offsets = {0, 0, w.pt, w.pl};
  SmallVector<int64_t> sizes = {w.n, w.c, w.h, w.w};
  SmallVector<int64_t> strides = {1, 1, 1, 1};
  Value interior =
      memref::SubViewOp::create(b, loc, padded, offsets, sizes, strides);
  emitCopy(b, loc, input, interior);
}

/// The reduction over windows: `body(acc, x)` combines.
void emitWindowReduction(
    LoweringState &state, Location loc, Value source, Value acc,
    const Window &w,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  OpBuilder &b = state.builder;
  MLIRContext *ctx = b.getContext();
  // A constant [kh, kw] operand gives the window dims their extent.
  Value window = state.getConstantBuffer(
      loc, DenseElementsAttr::get(
               RankedTensorType::get({w.kh, w.kw}, b.getI8Type()),
               b.getI8IntegerAttr(0)));
  AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
             oh = getAffineDimExpr(2, ctx), ow = getAffineDimExpr(3, ctx),
             kh = getAffineDimExpr(4, ctx), kw = getAffineDimExpr(5, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0, {n, c, oh * w.sh + kh * w.dh, ow * w.sw + kw * w.dw},
                     ctx),
      AffineMap::get(6, 0, {kh, kw}, ctx),
      AffineMap::get(6, 0, {n, c, oh, ow}, ctx)};
  SmallVector<utils::IteratorType> iterators = parallelIterators(4);
  iterators.push_back(utils::IteratorType::reduction);
  iterators.push_back(utils::IteratorType::reduction);
  buildGeneric(b, loc, {source, window}, acc, maps, iterators,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, body(nb, l, args[2], args[0]));
               });
}

/// Max pooling with a 2x2 window and stride 2 over rows shorter than a
/// vector (small images, where the loop over a row's few outputs does not
/// vectorize). Without padding and with even H and W, the input is a
/// sequence of R = N*C*OH blocks of two input rows (2W elements) and the
/// output a sequence of R rows of W/2. One vector holds G whole blocks: two
/// shuffles separate each block's upper and lower rows and one max takes
/// their maximum; two more separate even and odd columns and one max makes
/// the G output rows, stored contiguously. The remaining R % G blocks take
/// one block per vector. The same maxima as the reference's window
/// reduction, in another order (max is exact and order-free, NaN and signed
/// zeros included for maximumf).
/// Blocks per vector of the small-image 2x2 max pooling, or why it does not
/// apply.
FailureOr<int64_t> smallMaxPoolGroup(const LoweringOptions &opts,
                                     const Window &w, const ElementInfo &info,
                                     std::string &why) {
  if (!opts.target) {
    why = "no target";
    return failure();
  }
  if (w.kh != 2 || w.kw != 2 || w.sh != 2 || w.sw != 2 || w.dh != 1 ||
      w.dw != 1 || w.padded() || w.h != 2 * w.oh || w.w != 2 * w.ow) {
    why = "not an unpadded 2x2 window of stride 2 over even sizes";
    return failure();
  }
  int64_t elementBytes = info.bits() / 8;
  int64_t vectorBytes = opts.target->vectorBits / 8;
  int64_t block = 2 * w.w; // elements: two input rows
  if (elementBytes < 1 || block * elementBytes > vectorBytes ||
      vectorBytes % (block * elementBytes) != 0) {
    why = "two input rows do not evenly fill a vector";
    return failure();
  }
  return vectorBytes / (block * elementBytes);
}

LogicalResult lowerSmallMaxPool2x2(MaxPool2DOp op, LoweringState &state,
                                   const Window &w, const ElementInfo &info,
                                   int64_t group) {
  int64_t block = 2 * w.w;
  int64_t rows = w.n * w.c * w.oh;
  OpBuilder &b = state.builder;
  Location loc = op.getLoc();
  Value in = reshapeBuffer(b, loc, state.operands[0],
                           SmallVector<int64_t>{rows * block});
  Value out =
      reshapeBuffer(b, loc, state.result, SmallVector<int64_t>{rows * w.ow});
  auto max = [&](Value x, Value y) -> Value {
    if (info.isFloat())
      return arith::MaximumFOp::create(b, loc, x, y);
    if (info.isUnsigned)
      return arith::MaxUIOp::create(b, loc, x, y);
    return arith::MaxSIOp::create(b, loc, x, y);
  };
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  // Blocks [first, first + count) into output rows [first, first + count).
  auto emitGroup = [&](Value first, int64_t count) {
    auto type = VectorType::get({count * block}, info.storage);
    Value v = vector::LoadOp::create(
        b, loc, type, in,
        ValueRange{arith::MulIOp::create(b, loc, first, index(block))});
    SmallVector<int64_t> upper, lower, even, odd;
    for (int64_t g = 0; g < count; ++g)
      for (int64_t x = 0; x < w.w; ++x) {
        upper.push_back(g * block + x);
        lower.push_back(g * block + w.w + x);
      }
    for (int64_t i = 0; i < count * w.ow; ++i) {
      even.push_back(2 * i);
      odd.push_back(2 * i + 1);
    }
    Value rowMax = max(vector::ShuffleOp::create(b, loc, v, v, upper),
                       vector::ShuffleOp::create(b, loc, v, v, lower));
    Value y = max(vector::ShuffleOp::create(b, loc, rowMax, rowMax, even),
                  vector::ShuffleOp::create(b, loc, rowMax, rowMax, odd));
    vector::StoreOp::create(
        b, loc, y, out,
        ValueRange{arith::MulIOp::create(b, loc, first, index(w.ow))});
  };
  int64_t groups = rows / group;
  if (groups > 0) {
    auto loop = scf::ForOp::create(b, loc, index(0), index(groups), index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    emitGroup(
        arith::MulIOp::create(b, loc, loop.getInductionVar(), index(group)),
        group);
  }
  if (rows % group) {
    auto loop = scf::ForOp::create(b, loc, index(groups * group), index(rows),
                                   index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    emitGroup(loop.getInductionVar(), 1);
  }
  return success();
}

/// The vectorized 2x2/2 max pooling of rows shorter than a vector.
struct SmallMaxPoolLowering : OpLowering {
  LogicalResult match(Operation *o, const LoweringOptions &opts,
                      std::string &why) const override {
    auto op = cast<MaxPool2DOp>(o);
    return smallMaxPoolGroup(opts, getWindow(op, op.getDilations()),
                             getElementInfo(op.getInput().getType()), why);
  }
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<MaxPool2DOp>(o);
    Window w = getWindow(op, op.getDilations());
    ElementInfo info = getElementInfo(op.getInput().getType());
    std::string why;
    auto group = smallMaxPoolGroup(state.options, w, info, why);
    return lowerSmallMaxPool2x2(op, state, w, info, *group);
  }
};

struct MaxPoolLowering : OpLowering {
  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<MaxPool2DOp>(o);
    Window w = getWindow(op, op.getDilations());
    if (!w.padded())
      return {};
    return {paddedType(w, getElementInfo(op.getInput().getType()).storage)};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<MaxPool2DOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    Window w = getWindow(op, op.getDilations());
    ElementInfo info = getElementInfo(op.getInput().getType());
    // The neutral element: padded positions never win.
    Value neutral;
    if (info.isFloat())
      neutral = constantOf(b, loc, info.storage,
                           -std::numeric_limits<double>::infinity());
    else
      neutral = constantOf(
          b, loc, info.storage,
          info.quant ? getStorageRange(info.quant).min
                     : StorageRange::get(info.bits(), !info.isUnsigned).min);
    Value source = state.operands[0];
    if (w.padded()) {
      emitPad(b, loc, source, state.scratch[0], w, neutral);
      source = state.scratch[0];
    }
    emitFill(b, loc, state.result, neutral);
    emitWindowReduction(state, loc, source, state.result, w,
                        [&](OpBuilder &nb, Location l, Value acc, Value x) {
                          if (info.isFloat())
                            return (Value)arith::MaximumFOp::create(nb, l, acc,
                                                                    x);
                          if (info.isUnsigned)
                            return (Value)arith::MaxUIOp::create(nb, l, acc, x);
                          return (Value)arith::MaxSIOp::create(nb, l, acc, x);
                        });
    return success();
  }
};

/// Max pooling vectorized over output columns: V adjacent outputs of one
/// row in a vector. Per window tap, one load of S*V input columns (S the
/// column stride) and, for S > 1, one shuffle that keeps every S-th; a
/// max per tap. A row's last vector ends at its last output (overlapping
/// the one before when V does not divide OW: max is idempotent, so the
/// overlap writes the same values twice). The input is first copied row by
/// row into a buffer padded with the smallest value (and with S*V elements
/// of slack at the end, which the strided loads of the last row may read
/// past its window). Same maxima as the reference's window reduction, in
/// another order (max is exact and order-free).
struct VectorMaxPoolPlan {
  int64_t vector = 0; // V: outputs per vector
  bool copy = false;  // through the padded copy
};

FailureOr<VectorMaxPoolPlan> vectorMaxPoolPlan(const LoweringOptions &opts,
                                               const Window &w,
                                               const ElementInfo &info,
                                               std::string &why) {
  if (!opts.target || opts.target->vectorBits < 128) {
    why = "no vector target";
    return failure();
  }
  int64_t lanes = opts.target->vectorBits / info.bits();
  VectorMaxPoolPlan plan;
  plan.vector = 1;
  while (plan.vector * 2 <= std::min(lanes, w.ow) &&
         plan.vector * 2 * w.sw <= 2 * lanes)
    plan.vector *= 2;
  if (plan.vector < 8 || plan.vector * w.sw > 2 * lanes) {
    why = "fewer than 8 outputs per row or per vector";
    return failure();
  }
  if (w.kh * w.kw > 64) {
    why = "a window of more than 64 taps";
    return failure();
  }
  plan.copy = w.padded() || w.sw > 1;
  return plan;
}

struct VectorMaxPoolLowering : OpLowering {
  LogicalResult match(Operation *o, const LoweringOptions &opts,
                      std::string &why) const override {
    auto op = cast<MaxPool2DOp>(o);
    return vectorMaxPoolPlan(opts, getWindow(op, op.getDilations()),
                             getElementInfo(op.getInput().getType()), why);
  }

  SmallVector<MemRefType>
  getScratch(Operation *o, const LoweringOptions &opts) const override {
    auto op = cast<MaxPool2DOp>(o);
    Window w = getWindow(op, op.getDilations());
    ElementInfo info = getElementInfo(op.getInput().getType());
    std::string why;
    auto plan = vectorMaxPoolPlan(opts, w, info, why);
    if (failed(plan) || !plan->copy)
      return {};
    return {MemRefType::get(
        {w.n * w.c * w.paddedH() * w.paddedW() + plan->vector * w.sw},
        info.storage)};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<MaxPool2DOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    KernelBuilder k{b, loc};
    Window w = getWindow(op, op.getDilations());
    ElementInfo info = getElementInfo(op.getInput().getType());
    std::string why;
    VectorMaxPoolPlan plan = *vectorMaxPoolPlan(state.options, w, info, why);
    Type element = info.storage;
    Value neutral =
        info.isFloat()
            ? constantOf(b, loc, element,
                         -std::numeric_limits<double>::infinity())
            : constantOf(
                  b, loc, element,
                  info.quant
                      ? getStorageRange(info.quant).min
                      : StorageRange::get(info.bits(), !info.isUnsigned).min);
    int64_t ph = w.paddedH(), pw = w.paddedW();
    Value source = getPointer(b, loc, state.operands[0]);
    if (plan.copy) {
      emitFill(b, loc, state.scratch[0], neutral);
      Value padded = getPointer(b, loc, state.scratch[0]);
      int64_t bytes = w.w * (info.bits() / 8);
      // Row by row, each an inline memcpy (a strided element-wise copy does
      // not vectorize).
      k.loop(k.c(0), k.c(w.n * w.c * w.h), [&](Value row) {
        Value plane = k.div(row, k.c(w.h));
        Value y = k.sub(row, k.mul(plane, w.h));
        Value dst = k.add(k.mul(k.add(k.mul(plane, ph), k.add(y, w.pt)), pw),
                          k.c(w.pl));
        LLVM::MemcpyInlineOp::create(b, loc, k.ptr(padded, element, dst),
                                     k.ptr(source, element, k.mul(row, w.w)),
                                     b.getI64IntegerAttr(bytes),
                                     /*isVolatile=*/false);
      });
      source = padded;
    }
    Value result = getPointer(b, loc, state.result);
    int64_t v = plan.vector, sw = w.sw;
    auto wide = VectorType::get({v * sw}, element);
    auto narrow = VectorType::get({v}, element);
    SmallVector<int64_t> every;
    for (int64_t i = 0; i < v; ++i)
      every.push_back(i * sw);
    Value init = vector::BroadcastOp::create(b, loc, narrow, neutral);
    auto max = [&](Value x, Value y) -> Value {
      if (info.isFloat())
        return arith::MaximumFOp::create(b, loc, x, y);
      if (info.isUnsigned)
        return arith::MaxUIOp::create(b, loc, x, y);
      return arith::MaxSIOp::create(b, loc, x, y);
    };
    // The vector of outputs [x0, x0 + V) of output row `row`, whose
    // windows start at element `top` of the source.
    auto emitVector = [&](Value row, Value top, Value x0) {
      Value left = k.add(top, k.mul(x0, sw));
      Value acc = init;
      for (int64_t ky = 0; ky < w.kh; ++ky)
        for (int64_t kx = 0; kx < w.kw; ++kx) {
          Value x = k.load(wide, source, element,
                           k.add(left, ky * w.dh * pw + kx * w.dw));
          if (sw > 1)
            x = vector::ShuffleOp::create(b, loc, x, x, every);
          acc = max(acc, x);
        }
      k.store(acc, result, element, k.add(k.mul(row, w.ow), x0));
    };
    int64_t full = w.ow / v;
    k.loop(k.c(0), k.c(w.n * w.c * w.oh), [&](Value row) {
      Value plane = k.div(row, k.c(w.oh));
      Value oy = k.sub(row, k.mul(plane, w.oh));
      Value top = k.add(k.mul(plane, ph * pw), k.mul(oy, w.sh * pw));
      k.loop(k.c(0), k.c(full * v), k.c(v),
             [&](Value x0) { emitVector(row, top, x0); });
      if (w.ow % v)
        emitVector(row, top, k.c(w.ow - v));
    });
    return success();
  }
};

struct AvgPoolLowering : OpLowering {
  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<AvgPool2DOp>(o);
    int64_t noDilation[] = {1, 1};
    Window w = getWindow(op, noDilation);
    Builder b(op.getContext());
    // The window sums: f32 for f32 inputs, exact i32 for quantized ones.
    Type sumType = getElementInfo(op.getInput().getType()).isFloat()
                       ? Type(b.getF32Type())
                       : Type(b.getI32Type());
    SmallVector<MemRefType> scratch = {
        MemRefType::get({w.n, w.c, w.oh, w.ow}, sumType)};
    if (w.padded())
      scratch.push_back(
          paddedType(w, getElementInfo(op.getInput().getType()).storage));
    return scratch;
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<AvgPool2DOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    int64_t noDilation[] = {1, 1};
    Window w = getWindow(op, noDilation);
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    ParamOperands p;
    if (in.quant)
      p = getParamOperands(state, loc, in.quant);
    Value source = state.operands[0];
    if (w.padded()) {
      // Pad with the value that dequantizes to 0.
      Value zero = in.isFloat()
                       ? constantOf(b, loc, in.storage, 0.0)
                       : constantOf(b, loc, in.storage, p.zeroPoint);
      emitPad(b, loc, source, state.scratch[1], w, zero);
      source = state.scratch[1];
    }
    // f32: the sum in window order. Quantized: the exact
    // i32 sum of (q - zp), which is order-free (LLVM vectorizes it) and,
    // below 2^24 in magnitude, exact in f32; it is scaled once at the end.
    Value sum = state.scratch[0];
    Type i32 = b.getI32Type();
    if (in.isFloat()) {
      emitFill(b, loc, sum, constantOf(b, loc, b.getF32Type(), 0.0));
      emitWindowReduction(state, loc, source, sum, w,
                          [&](OpBuilder &nb, Location l, Value acc, Value x) {
                            return (Value)arith::AddFOp::create(nb, l, acc, x);
                          });
    } else {
      emitFill(b, loc, sum, constantOf(b, loc, i32, int64_t(0)));
      emitWindowReduction(
          state, loc, source, sum, w,
          [&](OpBuilder &nb, Location l, Value acc, Value x) {
            Value wide = in.isUnsigned
                             ? (Value)arith::ExtUIOp::create(nb, l, i32, x)
                             : (Value)arith::ExtSIOp::create(nb, l, i32, x);
            return (Value)arith::AddIOp::create(
                nb, l, acc,
                arith::SubIOp::create(nb, l, wide,
                                      constantOf(nb, l, i32, p.zeroPoint)));
          });
    }

    // Divide by the number of window positions that count: inside the
    // input, or with count_include_pad inside the padded input.
    ArrayRef<int64_t> pads = op.getPads();
    bool includePad = op.getCountIncludePad();
    auto count = [&](OpBuilder &nb, Location l, unsigned dim, int64_t stride,
                     int64_t kernel, int64_t padBegin, int64_t padEnd,
                     int64_t size) -> Value {
      auto idx = [&](int64_t v) {
        return (Value)arith::ConstantIndexOp::create(nb, l, v);
      };
      Value o = linalg::IndexOp::create(nb, l, dim);
      Value start = arith::SubIOp::create(
          nb, l, arith::MulIOp::create(nb, l, o, idx(stride)), idx(padBegin));
      Value end = arith::AddIOp::create(nb, l, start, idx(kernel));
      Value lo = includePad ? arith::MaxSIOp::create(nb, l, start, idx(-padBegin))
                            : arith::MaxSIOp::create(nb, l, start, idx(0));
      Value hi = arith::MinSIOp::create(
          nb, l, end, idx(includePad ? size + padEnd : size));
      return arith::SubIOp::create(nb, l, hi, lo);
    };
    AffineMap id = b.getMultiDimIdentityMap(4);
    buildGeneric(
        b, loc, {sum}, state.result, {id, id}, parallelIterators(4),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value ch = count(nb, l, 2, w.sh, w.kh, pads[0], pads[2], w.h);
          Value cw = count(nb, l, 3, w.sw, w.kw, pads[1], pads[3], w.w);
          Value n = arith::MulIOp::create(nb, l, ch, cw);
          Value nf = arith::SIToFPOp::create(
              nb, l, nb.getF32Type(),
              arith::IndexCastOp::create(nb, l, nb.getI64Type(), n));
          Value total = args[0];
          if (!in.isFloat())
            total = arith::MulFOp::create(
                nb, l, arith::SIToFPOp::create(nb, l, nb.getF32Type(), total),
                constantOf(nb, l, nb.getF32Type(), double(float(p.scale))));
          Value mean = arith::DivFOp::create(nb, l, total, nf);
          linalg::YieldOp::create(nb, l, fromFloat(nb, l, mean, out));
        });
    return success();
  }
};

/// Global average pooling of 8-bit quantized planes (the window is the
/// whole unpadded input, one output per plane), vectorized: each plane's
/// bytes are widened and summed into i32 lanes, `lanes` at a time, the
/// lanes added up, the remaining bytes added one by one and hw * zp
/// subtracted. That is the exact integer sum of q - zp the reference's
/// window reduction computes (integer addition is order-free), scaled,
/// divided and quantized by the same f32 operations.
struct GlobalAvgPoolLowering : OpLowering {
  LogicalResult match(Operation *o, const LoweringOptions &opts,
                      std::string &why) const override {
    auto op = cast<AvgPool2DOp>(o);
    int64_t noDilation[] = {1, 1};
    Window w = getWindow(op, noDilation);
    ElementInfo in = getElementInfo(op.getInput().getType());
    if (!opts.target) {
      why = "no target";
      return failure();
    }
    if (in.isFloat() || in.bits() != 8 || !in.quant) {
      why = "not 8-bit quantized";
      return failure();
    }
    if (w.padded() || w.oh != 1 || w.ow != 1 || w.kh != w.h || w.kw != w.w) {
      why = "not a global pooling";
      return failure();
    }
    return success();
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<AvgPool2DOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    int64_t noDilation[] = {1, 1};
    Window w = getWindow(op, noDilation);
    ElementInfo in = getElementInfo(op.getInput().getType());
    ElementInfo out = getElementInfo(op.getType());
    ParamOperands p = getParamOperands(state, loc, in.quant);
    int64_t planes = w.n * w.c, hw = w.h * w.w;
    int64_t lanes = std::max<int64_t>(state.options.target->vectorBits / 32, 4);
    Value src = reshapeBuffer(b, loc, state.operands[0],
                              SmallVector<int64_t>{planes * hw});
    Value dst =
        reshapeBuffer(b, loc, state.result, SmallVector<int64_t>{planes});
    Type i32 = b.getI32Type(), f32 = b.getF32Type();
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    auto widen = [&](OpBuilder &nb, Location l, Type to, Value v) -> Value {
      if (in.isUnsigned)
        return arith::ExtUIOp::create(nb, l, to, v);
      return arith::ExtSIOp::create(nb, l, to, v);
    };
    auto planeLoop =
        scf::ForOp::create(b, loc, index(0), index(planes), index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(planeLoop.getBody());
    Value base =
        arith::MulIOp::create(b, loc, planeLoop.getInductionVar(), index(hw));
    auto accType = VectorType::get({lanes}, i32);
    Value zeros = arith::ConstantOp::create(
        b, loc, accType,
        DenseElementsAttr::get(accType, b.getI32IntegerAttr(0)));
    int64_t chunks = hw / lanes;
    auto vecLoop = scf::ForOp::create(b, loc, index(0), index(chunks), index(1),
                                      ValueRange{zeros});
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(vecLoop.getBody());
      Value at = arith::AddIOp::create(
          b, loc, base,
          arith::MulIOp::create(b, loc, vecLoop.getInductionVar(),
                                index(lanes)));
      Value v = vector::LoadOp::create(
          b, loc, VectorType::get({lanes}, in.storage), src, ValueRange{at});
      scf::YieldOp::create(b, loc,
                           ValueRange{arith::AddIOp::create(
                               b, loc, vecLoop.getRegionIterArgs()[0],
                               widen(b, loc, accType, v))});
    }
    Value sum = vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                            vecLoop.getResult(0));
    auto tailLoop = scf::ForOp::create(b, loc, index(chunks * lanes), index(hw),
                                       index(1), ValueRange{sum});
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(tailLoop.getBody());
      Value x = memref::LoadOp::create(
          b, loc, src,
          ValueRange{
              arith::AddIOp::create(b, loc, base, tailLoop.getInductionVar())});
      scf::YieldOp::create(
          b, loc,
          ValueRange{arith::AddIOp::create(
              b, loc, tailLoop.getRegionIterArgs()[0], widen(b, loc, i32, x))});
    }
    Value total =
        arith::SubIOp::create(b, loc, tailLoop.getResult(0),
                              constantOf(b, loc, i32, hw * p.zeroPoint));
    Value scaled = arith::MulFOp::create(
        b, loc, arith::SIToFPOp::create(b, loc, f32, total),
        constantOf(b, loc, f32, double(float(p.scale))));
    Value mean = arith::DivFOp::create(b, loc, scaled,
                                       constantOf(b, loc, f32, double(hw)));
    memref::StoreOp::create(b, loc, fromFloat(b, loc, mean, out), dst,
                            ValueRange{planeLoop.getInductionVar()});
    return success();
  }
};

} // namespace

void lowering::populatePoolingLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<MaxPool2DOp>(std::make_unique<MaxPoolLowering>());
  patterns.add<AvgPool2DOp>(std::make_unique<AvgPoolLowering>());
}

void lowering::populateFastPathLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<MaxPool2DOp>(std::make_unique<SmallMaxPoolLowering>(),
                            /*benefit=*/3);
  patterns.add<MaxPool2DOp>(std::make_unique<VectorMaxPoolLowering>(),
                            /*benefit=*/2);
  patterns.add<AvgPool2DOp>(std::make_unique<GlobalAvgPoolLowering>(),
                            /*benefit=*/2);
}
