//===- DepthwiseDot.cpp - Depthwise convolution on vpdpbusd ---------------===//
//
// The depthwise kernel for AVX-512 VNNI with VBMI (qc-select-kernels gives
// it kGroup 4): 16 output pixels per zmm of i32 accumulators, and for each
// kernel row one vpdpbusd per group of 4 taps. A masked 64-byte load reads
// the window of the row that the 16 pixels need; `vpermb` gathers, for
// lane p, the 4 consecutive input bytes of its taps (a constant permutation:
// the geometry is fixed per function); the weights are 4 s8 taps per i32
// lane, zero past the kernel width. Narrow outputs (fewer than 16 columns)
// put several whole output rows in one vector, so a 7x7 plane takes 4
// vectors instead of 7 rows of partial ones.
//
// The i32 sum is that of the generic depthwise kernel (u8 x s8 products,
// exact, order-free), so the result is bit-exact with the reference.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

constexpr int64_t kLanes = 16, kWindow = 64;

VectorType vec(int64_t n, Type element) {
  return VectorType::get({n}, element);
}

Value intrinsic(OpBuilder &b, Location loc, StringRef name, Type result,
                ValueRange args) {
  return LLVM::CallIntrinsicOp::create(
             b, loc, result, StringAttr::get(b.getContext(), name), args)
      .getResult(0);
}

} // namespace

int64_t DepthwiseDotSpec::columnsPerRow() const {
  return rows > 1 || ow < kLanes ? ow : kLanes;
}

int64_t DepthwiseDotSpec::lanesUsed() const {
  return rows > 1 ? rows * ow : std::min(ow, kLanes);
}

int64_t DepthwiseDotSpec::offset(int64_t lane) const {
  int64_t cols = columnsPerRow();
  return (lane / cols) * sh * wp + (lane % cols) * sw;
}

int64_t DepthwiseDotSpec::span() const { return offset(lanesUsed() - 1) + kw; }

std::optional<DepthwiseDotSpec> DepthwiseDotSpec::get(int64_t oh, int64_t ow,
                                                      int64_t hp, int64_t wp,
                                                      int64_t kh, int64_t kw,
                                                      int64_t sh, int64_t sw) {
  if (kw > 8 || kh < 1 || kw < 1)
    return std::nullopt;
  DepthwiseDotSpec s;
  s.oh = oh, s.ow = ow, s.hp = hp, s.wp = wp, s.kh = kh, s.kw = kw, s.sh = sh,
  s.sw = sw;
  // As many whole output rows per vector as fit its lanes and the window.
  s.rows = ow < kLanes ? std::min(oh, kLanes / ow) : 1;
  while (s.rows > 1 && s.span() > kWindow)
    --s.rows;
  if (s.span() > kWindow)
    return std::nullopt;
  return s;
}

std::string DepthwiseDotSpec::getName() const {
  return llvm::formatv("__qc_depthwise_dot_{0}_{1}x{2}_k{3}x{4}_s{5}x{6}_w{7}_"
                       "r{8}",
                       exact ? "i32" : (resultBits == 16 ? "q16" : "q8"), oh,
                       ow, kh, kw, sh, sw, wp, rows)
             .str() +
         activation.suffix();
}

func::FuncOp lowering::getDepthwiseDotKernel(LoweringState &state,
                                             const DepthwiseDotSpec &s) {
  OpBuilder &ob = state.builder;
  Type ptr = LLVM::LLVMPointerType::get(ob.getContext()), i64 = ob.getI64Type();
  SmallVector<Type> args(5, ptr);
  args.append(4, i64);
  s.activation.appendArgTypes(ob, /*isFloat=*/false, args);
  return getOrCreateKernel(
      ob, state.context, s.getName(), args,
      [&](KernelBuilder &k, ValueRange a) {
        OpBuilder &b = k.b;
        Location loc = k.loc;
        Value planes = a[0], weights = a[1], bias = a[2], mult = a[3],
              out = a[4], c = a[5], zp = a[6], lo = a[7], hi = a[8];
        Type i8 = b.getI8Type(), i32 = b.getI32Type(), f32 = b.getF32Type();
        auto i32Vec = vec(kLanes, i32), f32Vec = vec(kLanes, f32);
        auto bytes = vec(kWindow, i8);
        int64_t groups = (s.kw + 3) / 4, lanes = s.lanesUsed();
        Requantizer requant;
        if (!s.exact)
          requant = Requantizer::get(k, kLanes, zp, lo, hi);
        std::optional<FusedActivation> act;
        if (s.activation)
          act.emplace(k, s.activation, kLanes, /*isFloat=*/false,
                      a.drop_front(9));
        // Per group of 4 taps, which window byte each byte of the vector
        // takes: lane p, byte j reads tap 4g + j of p's window (byte 0 for
        // taps past the kernel width, whose weights are 0; lanes past
        // `lanes` are computed and never stored).
        SmallVector<Value> perms;
        for (int64_t g = 0; g < groups; ++g) {
          SmallVector<int8_t> idx;
          for (int64_t p = 0; p < kLanes; ++p)
            for (int64_t j = 0; j < 4; ++j) {
              int64_t tap = 4 * g + j;
              idx.push_back(p < lanes && tap < s.kw ? int8_t(s.offset(p) + tap)
                                                    : int8_t(0));
            }
          perms.push_back(arith::ConstantOp::create(
              b, loc, bytes, DenseElementsAttr::get(bytes, ArrayRef(idx))));
        }
        Value window = vector::CreateMaskOp::create(
            b, loc, vec(kWindow, b.getI1Type()),
            ValueRange{arith::ConstantIndexOp::create(b, loc, s.span())});
        Value zeros = arith::ConstantOp::create(
            b, loc, bytes,
            DenseElementsAttr::get(bytes, b.getI8IntegerAttr(0)));
        Value storeMask = vector::CreateMaskOp::create(
            b, loc, vec(kLanes, b.getI1Type()),
            ValueRange{arith::ConstantIndexOp::create(b, loc, lanes)});
        int64_t perRow = s.rows > 1 ? 1 : (s.ow + kLanes - 1) / kLanes;
        int64_t rowGroups = s.rows > 1 ? (s.oh + s.rows - 1) / s.rows : s.oh;
        k.loop(k.c(0), c, [&](Value ch) {
          Value plane = k.mul(ch, s.hp * s.wp);
          // The weights of this channel, 4 s8 taps per i32 lane, splatted:
          // from the i32 (w - zp_w) values, which qc-select-kernels checked
          // fit s8.
          SmallVector<Value> wq;
          for (int64_t ky = 0; ky < s.kh; ++ky)
            for (int64_t g = 0; g < groups; ++g) {
              Value quad = arith::ConstantOp::create(
                  b, loc, vec(4, i8),
                  DenseElementsAttr::get(vec(4, i8), b.getI8IntegerAttr(0)));
              for (int64_t j = 0; j < 4 && 4 * g + j < s.kw; ++j) {
                Value w = k.load(
                    i32, weights, i32,
                    k.add(k.mul(ch, s.kh * s.kw), ky * s.kw + 4 * g + j));
                quad = vector::InsertOp::create(
                    b, loc, arith::TruncIOp::create(b, loc, i8, w), quad, j);
              }
              Value word = vector::ExtractOp::create(
                  b, loc, vector::BitCastOp::create(b, loc, vec(1, i32), quad),
                  0);
              wq.push_back(vector::BitCastOp::create(
                  b, loc, bytes,
                  vector::BroadcastOp::create(b, loc, i32Vec, word)));
            }
          Value biasC = vector::BroadcastOp::create(b, loc, i32Vec,
                                                    k.load(i32, bias, i32, ch));
          Value multC;
          if (!s.exact)
            multC = vector::BroadcastOp::create(b, loc, f32Vec,
                                                k.load(f32, mult, f32, ch));
          Value outPlane = k.mul(ch, s.oh * s.ow);
          k.loop(k.c(0), k.c(rowGroups * perRow), [&](Value chunk) {
            // The first output row and column of this vector; the last
            // vector of a row (or the last row group) overlaps the one
            // before it rather than run past the end.
            Value oy, ox;
            if (s.rows > 1) {
              oy = k.min(k.mul(chunk, s.rows), k.c(s.oh - s.rows));
              ox = k.c(0);
            } else {
              oy = k.div(chunk, k.c(perRow));
              Value xi = k.sub(chunk, k.mul(oy, perRow));
              ox = k.min(k.mul(xi, kLanes),
                         k.c(std::max<int64_t>(s.ow - kLanes, 0)));
            }
            Value acc = biasC;
            for (int64_t ky = 0; ky < s.kh; ++ky) {
              Value at =
                  k.add(plane, k.add(k.mul(k.add(k.mul(oy, s.sh), ky), s.wp),
                                     k.mul(ox, s.sw)));
              Value win = LLVM::MaskedLoadOp::create(
                  b, loc, bytes, k.ptr(planes, i8, at), window, zeros,
                  uint32_t(1));
              for (int64_t g = 0; g < groups; ++g) {
                Value x = intrinsic(b, loc, "llvm.x86.avx512.permvar.qi.512",
                                    bytes, {win, perms[g]});
                acc = intrinsic(b, loc, "llvm.x86.avx512.vpdpbusd.512", i32Vec,
                                {acc, x, wq[ky * groups + g]});
              }
            }
            Value y = acc;
            Type outElem = s.exact ? i32 : b.getIntegerType(s.resultBits);
            Value dst = k.ptr(out, outElem,
                              k.add(outPlane, k.add(k.mul(oy, s.ow), ox)));
            if (!s.exact) {
              Value q =
                  act ? act->fromSum(k, requant.roundedOffset(k, acc, multC))
                      : (Value)arith::AddIOp::create(
                            b, loc, requant.offsetFromZero(k, acc, multC),
                            requant.zp);
              if (lanes != kLanes) {
                storeNarrowMasked(k, q, dst, storeMask, s.resultBits);
                return;
              }
              y = arith::TruncIOp::create(
                  b, loc, VectorType::get({kLanes}, outElem), q);
            }
            if (lanes == kLanes)
              LLVM::StoreOp::create(b, loc, y, dst, 1);
            else
              LLVM::MaskedStoreOp::create(b, loc, y, dst, storeMask, 1);
          });
        });
      });
}
