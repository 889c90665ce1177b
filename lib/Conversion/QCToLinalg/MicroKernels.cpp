//===- MicroKernels.cpp - Shared, parameterized kernel functions ----------===//
//
// The GEMM, im2col, packing and depthwise functions every product layer of
// a model calls (see MicroKernels.h and docs/Kernels.md). Their loops run
// over run-time counts and their buffers are raw pointers; what they are
// specialized on (instruction, register tile, element types, epilogue) is in
// their names, so one model compiles each variant once.
//
// The GEMM: C[r][c] = sum_k X[r][k] * Y[k][c] by a register tile of
// tileRows x tileVectors accumulators, fed per K group by one broadcast of
// X per row and one vector load of the packed Y per vector column. Row
// blocks keep a block of X in cache while every column tile passes over it.
// The last row tile of a matrix overlaps the one before it (rows >= tileRows
// is guaranteed by the tile choice) instead of a narrower copy of the tile;
// the last column tile, zero-padded in the packed layout, stores with masks.
// The epilogue requantizes straight from registers: + folded bias, f32,
// x multiplier, round half to even, clamp to [lo - zp, hi - zp], + zp,
// narrow: the operations, in the order, of the reference lowering.
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

Type ptrType(OpBuilder &b) { return LLVM::LLVMPointerType::get(b.getContext()); }

unsigned byteSize(Type t) {
  if (auto v = dyn_cast<VectorType>(t))
    return byteSize(v.getElementType()) * v.getNumElements();
  return std::max(1u, t.getIntOrFloatBitWidth() / 8);
}

VectorType vecOf(int64_t n, Type element) {
  return VectorType::get({n}, element);
}

/// The kernel `name` of this lowering run, made on first use.
func::FuncOp getOrCreate(LoweringState &state, StringRef name,
                         ArrayRef<Type> argTypes,
                         function_ref<void(KernelBuilder &, ValueRange)> body) {
  return getOrCreateKernel(state.builder, state.context, name, argTypes, body);
}

std::string typeName(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

} // namespace

func::FuncOp lowering::getOrCreateKernel(
    OpBuilder &b, LoweringContext &context, StringRef name,
    ArrayRef<Type> argTypes,
    function_ref<void(KernelBuilder &, ValueRange)> body) {
  auto it = context.kernels.find(name);
  if (it != context.kernels.end())
    return it->second;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(context.module.getBody());
  Location loc = context.module.getLoc();
  auto f = func::FuncOp::create(b, loc, name, b.getFunctionType(argTypes, {}));
  f.setPrivate();
  f->setAttr("llvm.linkage",
             LLVM::LinkageAttr::get(b.getContext(), LLVM::Linkage::Internal));
  f->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  Block *entry = f.addEntryBlock();
  b.setInsertionPointToStart(entry);
  KernelBuilder k{b, loc};
  body(k, entry->getArguments());
  func::ReturnOp::create(b, loc);
  context.kernels[name] = f;
  return f;
}

Value lowering::i64Const(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

Value lowering::offsetPointer(OpBuilder &b, Location loc, Value ptr,
                              Type element, Value index) {
  return LLVM::GEPOp::create(b, loc, ptrType(b), element, ptr,
                             ValueRange{index});
}

Value lowering::getPointer(OpBuilder &b, Location loc, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  Value offset = meta.getOffset();
  Value bytes = arith::MulIOp::create(
      b, loc, offset,
      arith::ConstantIndexOp::create(b, loc, byteSize(type.getElementType())));
  Value addr = arith::IndexCastOp::create(
      b, loc, b.getI64Type(), arith::AddIOp::create(b, loc, base, bytes));
  return LLVM::IntToPtrOp::create(b, loc, ptrType(b), addr);
}

//===----------------------------------------------------------------------===//
// GEMM
//===----------------------------------------------------------------------===//

Requantizer Requantizer::get(KernelBuilder &k, int64_t lanes, Value zp,
                             Value lo, Value hi) {
  OpBuilder &b = k.b;
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  auto splatF = [&](Value v64) {
    return vector::BroadcastOp::create(
               b, k.loc, vecOf(lanes, f32),
               arith::SIToFPOp::create(b, k.loc, f32, v64))
        .getResult();
  };
  Requantizer r;
  r.lo = splatF(k.sub(lo, zp));
  r.hi = splatF(k.sub(hi, zp));
  r.zp = vector::BroadcastOp::create(
      b, k.loc, vecOf(lanes, i32), arith::TruncIOp::create(b, k.loc, i32, zp));
  return r;
}

/// The flags of the kernels' f32 clamps on the way to an integer: their
/// operands come from integers (never NaN), and the sign of a zero does not
/// change the integer, so LLVM may lower maxnum/minnum to plain
/// vmaxps/vminps without the NaN compares (bit-exact all the same).
constexpr arith::FastMathFlags kToInteger =
    arith::FastMathFlags::nnan | arith::FastMathFlags::nsz;

Value Requantizer::roundedOffset(KernelBuilder &k, Value acc,
                                 Value mult) const {
  OpBuilder &b = k.b;
  auto f32Vec = cast<VectorType>(lo.getType());
  Value f = arith::MulFOp::create(
      b, k.loc, arith::SIToFPOp::create(b, k.loc, f32Vec, acc), mult);
  Value r = math::RoundEvenOp::create(b, k.loc, f);
  return arith::MinNumFOp::create(
      b, k.loc, arith::MaxNumFOp::create(b, k.loc, r, lo, kToInteger), hi,
      kToInteger);
}

Value Requantizer::offsetFromZero(KernelBuilder &k, Value acc,
                                  Value mult) const {
  return arith::FPToSIOp::create(k.b, k.loc, zp.getType(),
                                 roundedOffset(k, acc, mult));
}

Value lowering::quantizeToStorage(KernelBuilder &k, Value x, Value scale,
                                  Value lo, Value hi, Value zp) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Value r = math::RoundEvenOp::create(b, loc,
                                      arith::DivFOp::create(b, loc, x, scale));
  Value clamped = arith::MinNumFOp::create(
      b, loc, arith::MaxNumFOp::create(b, loc, r, lo, kToInteger), hi,
      kToInteger);
  return arith::AddIOp::create(
      b, loc, arith::FPToSIOp::create(b, loc, zp.getType(), clamped), zp);
}

Value Requantizer::narrow(KernelBuilder &k, Value offset, unsigned bits) const {
  auto lanes = cast<VectorType>(zp.getType()).getNumElements();
  Value q = arith::AddIOp::create(k.b, k.loc, offset, zp);
  return arith::TruncIOp::create(k.b, k.loc,
                                 vecOf(lanes, k.b.getIntegerType(bits)), q);
}

void lowering::storeNarrowMasked(KernelBuilder &k, Value v, Value ptr,
                                 Value mask, unsigned bits) {
  OpBuilder &b = k.b;
  int64_t lanes = cast<VectorType>(v.getType()).getNumElements();
  if (lanes == 16) {
    Value m = LLVM::BitcastOp::create(b, k.loc, b.getI16Type(), mask);
    LLVM::CallIntrinsicOp::create(
        b, k.loc,
        StringAttr::get(b.getContext(),
                        bits == 8 ? "llvm.x86.avx512.mask.pmov.db.mem.512"
                                  : "llvm.x86.avx512.mask.pmov.dw.mem.512"),
        ValueRange{ptr, v, m});
    return;
  }
  Value narrow = arith::TruncIOp::create(
      b, k.loc, vecOf(lanes, b.getIntegerType(bits)), v);
  LLVM::MaskedStoreOp::create(b, k.loc, narrow, ptr, mask, bits / 8);
}

std::string ActivationSpec::suffix() const {
  if (!kind)
    return "";
  return "_" + stringifyActivationKind(*kind).str() + (scale ? "_s" : "") +
         (shift ? "_t" : "");
}

void ActivationSpec::appendArgTypes(OpBuilder &b, bool isFloat,
                                    SmallVectorImpl<Type> &types) const {
  if (!kind)
    return;
  Type f32 = b.getF32Type(), i64 = b.getI64Type();
  if (isFloat) {
    types.append({f32, f32, f32, f32});
    return;
  }
  types.append({f32, f32, f32, f32, f32, f32, i64, i64, i64});
}

FusedActivation::FusedActivation(KernelBuilder &k, const ActivationSpec &spec,
                                 int64_t lanes, bool isFloat, ValueRange args)
    : spec(spec) {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  auto f32Vec = vecOf(lanes, f32);
  auto splat = [&](Value f) {
    return vector::BroadcastOp::create(b, loc, f32Vec, f).getResult();
  };
  unsigned i = 0;
  if (!isFloat)
    sumScale = splat(args[i++]);
  alpha = splat(args[i++]);
  beta = splat(args[i++]);
  scale = splat(args[i++]);
  shift = splat(args[i++]);
  if (isFloat)
    return;
  outScale = splat(args[i++]);
  Value zp = args[i++], lo = args[i++], hi = args[i++];
  outZp = vector::BroadcastOp::create(b, loc, vecOf(lanes, i32),
                                      arith::TruncIOp::create(b, loc, i32, zp));
  outLo = splat(arith::SIToFPOp::create(b, loc, f32, k.sub(lo, zp)));
  outHi = splat(arith::SIToFPOp::create(b, loc, f32, k.sub(hi, zp)));
}

Value FusedActivation::apply(KernelBuilder &k, Value x,
                             arith::FastMathFlags fm) const {
  Value y = emitActivationFunction(k.b, k.loc, x, *spec.kind, alpha, beta, fm);
  if (spec.scale)
    y = arith::MulFOp::create(k.b, k.loc, y, scale);
  if (spec.shift)
    y = arith::AddFOp::create(k.b, k.loc, y, shift);
  return y;
}

Value FusedActivation::fromSum(KernelBuilder &k, Value offset) const {
  // x is finite (from an integer), and so is f(x).
  Value x = arith::MulFOp::create(k.b, k.loc, offset, sumScale);
  return quantizeToStorage(k, apply(k, x, kToInteger), outScale, outLo, outHi,
                           outZp);
}

std::string GemmSpec::getName() const {
  std::string kind = dot->getKind().str();
  llvm::replace(kind, '-', '_');
  return llvm::formatv("__qc_gemm_{0}_{1}x{2}_{3}{4}{5}{6}", kind, tileRows,
                       tileVectors,
                       isFloat ? "f32"
                               : (exact              ? "i32"
                                  : resultBits == 16 ? "q16"
                                                     : "q8"),
                       channelIsRow ? "_rowch" : "_colch",
                       broadcastIsActivation ? "" : "_bw", amx ? "_tiles" : "")
             .str() +
         (residual
              ? (isFloat ? "_resf32" : (residualUnsigned ? "_resu8" : "_resi8"))
              : "") +
         (blockGroups ? "_kb" + std::to_string(blockGroups) : "") +
         (stridedY ? "_sy" : "") + (clampLo ? "_min" : "") +
         (clampHi ? "_max" : "") + activation.suffix();
}

func::FuncOp lowering::getGemmKernel(LoweringState &state, const GemmSpec &s) {
  OpBuilder &ob = state.builder;
  Type ptr = ptrType(ob), i64 = ob.getI64Type();
  SmallVector<Type> args = {ptr, i64, ptr, i64, ptr, i64, ptr,
                            ptr, i64, i64, i64, i64, i64, i64};
  Type f32Arg = ob.getF32Type();
  if (s.residual && s.isFloat)
    args.push_back(ptr); // Laid out as the output: ldc apart.
  else if (s.residual)
    args.append({ptr, i64, f32Arg, f32Arg, f32Arg, i64, i64, i64});
  assert((!s.stridedY || (s.isFloat && s.kGroup == 1 && !s.amx)) &&
         "only f32 kernels read an unpacked operand");
  assert((s.isFloat || (!s.clampLo && !s.clampHi)) &&
         "quantized kernels clamp through their output range");
  // The optional arguments after the fixed ones: the stride of an
  // unpacked operand, the clamp bounds.
  unsigned ldyArg = args.size();
  if (s.stridedY)
    args.push_back(i64);
  unsigned loArg = args.size();
  if (s.clampLo)
    args.push_back(f32Arg);
  unsigned hiArg = args.size();
  if (s.clampHi)
    args.push_back(f32Arg);
  unsigned actArg = args.size();
  s.activation.appendArgTypes(ob, s.isFloat, args);
  assert(!(s.activation && s.residual && !s.isFloat) &&
         "a quantized activation takes no residual");
  return getOrCreate(state, s.getName(), args, [&](KernelBuilder &k, ValueRange a) {
    OpBuilder &b = k.b;
    Location loc = k.loc;
    Value x = a[0], ldx = a[1], y = a[2], groups = a[3], out = a[4],
          ldc = a[5], bias = a[6], mult = a[7], rows = a[8], cols = a[9],
          blockRows = a[10];
    Type f32 = b.getF32Type(), i32 = b.getI32Type(), i8 = b.getI8Type();
    Type elem = s.isFloat ? f32 : i8;
    Type outElem =
        s.isFloat ? f32 : (s.exact ? i32 : b.getIntegerType(s.resultBits));
    Type accElem = s.isFloat ? f32 : i32;
    auto accType = vecOf(s.lanes, accElem);
    auto f32Vec = vecOf(s.lanes, f32), i32Vec = vecOf(s.lanes, i32);
    VectorType raw = s.isFloat ? vecOf(s.lanes, f32)
                               : vecOf(int64_t(s.lanes) * s.kGroup, i8);
    int64_t nr = s.tileCols(), kg = s.kGroup;
    // The epilogue's run-time constants, splatted once.
    Requantizer requant;
    if (!s.isFloat && !s.exact)
      requant = Requantizer::get(k, s.lanes, a[11], a[12], a[13]);
    Value clampLoV, clampHiV;
    if (s.clampLo)
      clampLoV = vector::BroadcastOp::create(b, loc, f32Vec, a[loArg]);
    if (s.clampHi)
      clampHiV = vector::BroadcastOp::create(b, loc, f32Vec, a[hiArg]);
    // The fused residual add's run-time constants.
    Value resPtr, resZpV, resScaleV, sumScaleV, outScaleV, outZpV, outLoF,
        outHiF;
    if (s.residual && s.isFloat) {
      resPtr = a[14];
    } else if (s.residual) {
      auto splatF = [&](Value v64) {
        Value f = arith::SIToFPOp::create(b, loc, f32, v64);
        return vector::BroadcastOp::create(b, loc, f32Vec, f).getResult();
      };
      auto splatI = [&](Value v64) {
        return vector::BroadcastOp::create(
                   b, loc, i32Vec, arith::TruncIOp::create(b, loc, i32, v64))
            .getResult();
      };
      auto splat = [&](Value f) {
        return vector::BroadcastOp::create(b, loc, f32Vec, f).getResult();
      };
      resPtr = a[14];
      resZpV = splatI(a[15]);
      resScaleV = splat(a[16]);
      sumScaleV = splat(a[17]);
      outScaleV = splat(a[18]);
      outZpV = splatI(a[19]);
      outLoF = splatF(k.sub(a[20], a[19]));
      outHiF = splatF(k.sub(a[21], a[19]));
    }

    auto channelVector = [&](Value row, Value col, Value buffer,
                             VectorType type) -> Value {
      if (s.channelIsRow) {
        Value v = k.load(type.getElementType(), buffer, type.getElementType(),
                         row);
        return vector::BroadcastOp::create(b, loc, type, v);
      }
      return k.load(type, buffer, type.getElementType(), col);
    };
    auto broadcast = [&](Value pos) -> Value {
      if (s.isFloat) {
        Value v = k.load(f32, x, f32, pos);
        return vector::BroadcastOp::create(b, loc, raw, v);
      }
      Type word = b.getIntegerType(8 * kg);
      Value v = k.load(word, x, i8, pos);
      Value splat =
          vector::BroadcastOp::create(b, loc, vecOf(s.lanes, word), v);
      return vector::BitCastOp::create(b, loc, raw, splat);
    };
    // The fused residual add on `diff` (t - zp of the sum type, i32
    // lanes): qc.add's reference arithmetic, each operand dequantized
    // (sitofp(q - zp) * scale), the f32 sum divided by the result scale,
    // rounded half to even, clamped and offset by the result zero point.
    auto residualAdd = [&](Value offset, Value pos, Value mask) -> Value {
      Value lhs = arith::MulFOp::create(b, loc, offset, sumScaleV);
      auto bytes = vecOf(s.lanes, i8);
      Value rv;
      if (mask) {
        Value zeros = arith::ConstantOp::create(
            b, loc, bytes,
            DenseElementsAttr::get(bytes, b.getI8IntegerAttr(0)));
        rv = LLVM::MaskedLoadOp::create(b, loc, bytes, k.ptr(resPtr, i8, pos),
                                        mask, zeros, uint32_t(1));
      } else {
        rv = k.load(bytes, resPtr, i8, pos);
      }
      Value ri = s.residualUnsigned
                     ? (Value)arith::ExtUIOp::create(b, loc, i32Vec, rv)
                     : (Value)arith::ExtSIOp::create(b, loc, i32Vec, rv);
      Value rhs = arith::MulFOp::create(
          b, loc,
          arith::SIToFPOp::create(b, loc, f32Vec,
                                  arith::SubIOp::create(b, loc, ri, resZpV)),
          resScaleV);
      Value total = arith::AddFOp::create(b, loc, lhs, rhs);
      return quantizeToStorage(k, total, outScaleV, outLoF, outHiF, outZpV);
    };
    std::optional<FusedActivation> act;
    if (s.activation)
      act.emplace(k, s.activation, s.lanes, s.isFloat, a.drop_front(actArg));
    // The lanes of the vector at column `col` that are inside the matrix.
    auto columnMask = [&](Value col) -> Value {
      Value n = k.max(k.min(k.sub(cols, col), k.c(s.lanes)), k.c(0));
      return vector::CreateMaskOp::create(
          b, loc, vecOf(s.lanes, b.getI1Type()),
          ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(), n)});
    };
    // The K groups [g0, g1) of this pass; `first` and `last` (i1): whether
    // it is the first and the last (null: one pass over all of K).
    Value g0 = k.c(0), g1 = groups, first, last;
    // `biasV` / `multV`: the channel vectors when the caller loaded them
    // already (per column, the same for every row of a tile).
    auto store = [&](Value row, Value tile, unsigned v, Value acc, bool masked,
                     Value biasV = {}, Value multV = {}) {
      Value col = k.add(k.mul(tile, nr), int64_t(v) * s.lanes);
      Value pos = k.add(k.mul(row, ldc), col);
      Value mask = masked ? columnMask(col) : Value();
      Value result = acc;
      if (s.isFloat && (s.residual || s.activation || s.clampLo || s.clampHi)) {
        Value c = acc;
        // The residual add (qc.add: one f32 add), then the clamp.
        if (s.residual) {
          Value rv;
          if (mask) {
            Value zeros = arith::ConstantOp::create(
                b, loc, f32Vec, DenseElementsAttr::get(f32Vec, 0.0f));
            rv = LLVM::MaskedLoadOp::create(b, loc, f32Vec,
                                            k.ptr(resPtr, f32, pos), mask,
                                            zeros, uint32_t(4));
          } else {
            rv = k.load(f32Vec, resPtr, f32, pos);
          }
          c = arith::AddFOp::create(b, loc, c, rv);
        }
        if (act)
          c = act->apply(k, c);
        if (s.clampLo)
          c = arith::MaximumFOp::create(b, loc, c, clampLoV);
        if (s.clampHi)
          c = arith::MinimumFOp::create(b, loc, c, clampHiV);
        // In K blocks, only the last pass stores final sums.
        result = last ? k.select(last, c, acc) : c;
      }
      if (!s.isFloat) {
        Value sum = arith::AddIOp::create(
            b, loc, acc, biasV ? biasV : channelVector(row, col, bias, i32Vec));
        if (!s.exact) {
          Value m = multV ? multV : channelVector(row, col, mult, f32Vec);
          // The 8-bit values in i32 lanes.
          Value q =
              s.residual
                  ? residualAdd(requant.roundedOffset(k, sum, m), pos, mask)
              : act
                  ? act->fromSum(k, requant.roundedOffset(k, sum, m))
                  : (Value)arith::AddIOp::create(
                        b, loc, requant.offsetFromZero(k, sum, m), requant.zp);
          if (masked) {
            storeNarrowMasked(k, q, k.ptr(out, outElem, pos), mask,
                              s.resultBits);
            return;
          }
          result = arith::TruncIOp::create(b, loc, vecOf(s.lanes, outElem), q);
        } else {
          result = sum;
        }
      }
      if (!masked) {
        k.store(result, out, outElem, pos);
        return;
      }
      LLVM::MaskedStoreOp::create(b, loc, result, k.ptr(out, outElem, pos),
                                  mask, byteSize(outElem));
    };
    // `nv`: the vectors of the tile computed (fewer than the kernel's in a
    // tail tile whose columns fit them; the packed layout keeps nr).
    auto tileAt = [&](Value r0, Value tile, bool masked, unsigned nv) {
      SmallVector<Value> init;
      if (s.isFloat) {
        // f32: start from the bias, then one fma per product in K order,
        // exactly as the reference lowering does. Later K blocks start
        // from the partial sums in C (stored exactly, in f32).
        auto starts = [&](bool fromC) {
          SmallVector<Value> values;
          for (unsigned r = 0; r < s.tileRows; ++r)
            for (unsigned v = 0; v < nv; ++v) {
              Value row = k.add(r0, r);
              Value col = k.add(k.mul(tile, nr), int64_t(v) * s.lanes);
              Value start = channelVector(row, col, bias, accType);
              if (fromC) {
                Value pos = k.add(k.mul(row, ldc), col);
                if (masked) {
                  start = LLVM::MaskedLoadOp::create(
                      b, loc, accType, k.ptr(out, f32, pos), columnMask(col),
                      start, 4u);
                } else {
                  start = k.load(accType, out, f32, pos);
                }
              }
              values.push_back(start);
            }
          return values;
        };
        if (!first) {
          init = starts(false);
        } else {
          // The next row tile's partial sums are fetched while this one
          // computes (its rows clamped to the matrix): a tile's loads of C
          // would otherwise wait for memory before its first product.
          Value next = k.min(k.add(r0, int64_t(s.tileRows)),
                             k.sub(rows, k.c(s.tileRows)));
          for (unsigned r = 0; r < s.tileRows; ++r)
            for (int64_t byte = 0; byte < int64_t(s.tileCols()) * 4;
                 byte += 64) {
              Value pos = k.add(k.mul(k.add(next, r), ldc),
                                k.add(k.mul(tile, nr), byte / 4));
              LLVM::Prefetch::create(b, loc, k.ptr(out, f32, pos),
                                     /*rw=*/1, /*hint=*/3, /*cache=*/1);
            }
          SmallVector<Type> types(s.tileRows * nv, accType);
          auto ifOp = scf::IfOp::create(b, loc, types, first, true, true);
          {
            OpBuilder::InsertionGuard g(b);
            b.setInsertionPointToStart(&ifOp.getThenRegion().front());
            scf::YieldOp::create(b, loc, starts(false));
            b.setInsertionPointToStart(&ifOp.getElseRegion().front());
            scf::YieldOp::create(b, loc, starts(true));
          }
          init.assign(ifOp.getResults().begin(), ifOp.getResults().end());
        }
      } else {
        Value zero = arith::ConstantOp::create(
            b, loc, accType, DenseElementsAttr::get(accType, b.getI32IntegerAttr(0)));
        init.assign(s.tileRows * nv, zero);
      }
      // Packed: the tile's [groups][nr][kg] block; strided: its columns
      // of the [K][ldy] matrix.
      Value tileBase =
          s.stridedY ? k.mul(tile, nr) : k.mul(k.mul(tile, groups), nr * kg);
      Value groupStride = s.stridedY ? a[ldyArg] : k.c(nr * kg);
      SmallVector<Value> yMasks;
      if (s.stridedY && masked)
        for (unsigned v = 0; v < nv; ++v)
          yMasks.push_back(
              columnMask(k.add(k.mul(tile, nr), int64_t(v) * s.lanes)));
      Value noValues;
      if (!yMasks.empty())
        noValues = arith::ConstantOp::create(
            b, loc, raw, DenseElementsAttr::get(raw, b.getF32FloatAttr(0)));
      auto kLoop = scf::ForOp::create(b, loc, g0, g1, k.c(1), init);
      {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToStart(kLoop.getBody());
        Value group = kLoop.getInductionVar();
        Value yBase = k.add(tileBase, k.mul(group, groupStride));
        SmallVector<Value> yv;
        for (unsigned v = 0; v < nv; ++v) {
          Value at = k.add(yBase, int64_t(v) * s.lanes * kg);
          if (yMasks.empty()) {
            yv.push_back(k.load(raw, y, elem, at));
            continue;
          }
          yv.push_back(LLVM::MaskedLoadOp::create(
              b, loc, raw, k.ptr(y, elem, at), yMasks[v], noValues, 4u));
        }
        Value k0 = k.mul(group, kg);
        SmallVector<Value> next(kLoop.getRegionIterArgs());
        for (unsigned r = 0; r < s.tileRows; ++r) {
          Value bc = broadcast(k.add(k.mul(k.add(r0, r), ldx), k0));
          for (unsigned v = 0; v < nv; ++v)
            next[r * nv + v] = s.dot->emitDot(b, loc, next[r * nv + v], bc,
                                              yv[v], s.broadcastIsActivation);
        }
        scf::YieldOp::create(b, loc, next);
      }
      for (unsigned r = 0; r < s.tileRows; ++r)
        for (unsigned v = 0; v < nv; ++v)
          store(k.add(r0, r), tile, v, kLoop.getResult(r * nv + v), masked);
    };
    // AMX: the C tiles accumulate over K in tile registers, are stored to
    // a stack buffer (tileRows x 32 i32) and take the same epilogue as the
    // vector kernels from there, row by row.
    Value amxBuffer;
    if (s.amx) {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(b.getInsertionBlock());
      amxBuffer = LLVM::AllocaOp::create(b, loc, ptrType(b), i32,
                                         k.c(int64_t(s.tileRows) * nr), 64);
    }
    auto tileOp = [&](StringRef name, ValueRange operands) {
      LLVM::CallIntrinsicOp::create(
          b, loc, StringAttr::get(b.getContext(), name), operands);
    };
    auto tmm = [&](int64_t t) -> Value {
      return arith::ConstantIntOp::create(b, loc, i8, t);
    };
    auto amxTileAt = [&](Value r0, Value tile, bool masked) {
      unsigned tr = s.tileRows / 16;
      for (unsigned i = 0; i < tr; ++i)
        for (unsigned j = 0; j < 2; ++j)
          tileOp("llvm.x86.tilezero", {tmm(2 * i + j)});
      // This column tile of the packed operand: [groups][nr][kg] bytes, a
      // B tile is 16 groups (rows) x 16 columns (64 bytes) of it.
      Value tileBase = k.mul(k.mul(tile, groups), nr * kg);
      Value steps = k.div(groups, k.c(16));
      // u8 x s8: tdpbusd with the activations in A (matmul), tdpbsud
      // with the weights in A (convolution).
      StringRef dp = s.broadcastIsActivation ? "llvm.x86.tdpbusd"
                                             : "llvm.x86.tdpbsud";
      k.loop(k.c(0), steps, [&](Value step) {
        Value stepBase = k.add(tileBase, k.mul(step, 16 * nr * kg));
        auto loadA = [&](unsigned i) {
          tileOp("llvm.x86.tileloadd64",
                 {tmm(4 + i),
                  k.ptr(x, i8,
                        k.add(k.mul(k.add(r0, int64_t(16 * i)), ldx),
                              k.mul(step, 64))),
                  ldx});
        };
        auto loadB = [&](unsigned j) {
          tileOp("llvm.x86.tileloadd64",
                 {tmm(6 + j),
                  k.ptr(y, i8, k.add(stepBase, int64_t(16 * kg * j))),
                  k.c(nr * kg)});
        };
        // Each operand tile is loaded just before its first product, so
        // that a load waits only for the products of the previous step
        // that read the same register, not for all of them.
        loadA(0);
        loadB(0);
        tileOp(dp, {tmm(0), tmm(4), tmm(6)});
        loadB(1);
        tileOp(dp, {tmm(1), tmm(4), tmm(7)});
        if (tr == 2) {
          loadA(1);
          tileOp(dp, {tmm(2), tmm(5), tmm(6)});
          tileOp(dp, {tmm(3), tmm(5), tmm(7)});
        }
      });
      for (unsigned i = 0; i < tr; ++i)
        for (unsigned j = 0; j < 2; ++j)
          tileOp("llvm.x86.tilestored64",
                 {tmm(2 * i + j),
                  k.ptr(amxBuffer, i32, k.c(int64_t(16 * i) * nr + 16 * j)),
                  k.c(nr * 4)});
      // Per-column channels: their vectors loaded once for the tile (in
      // the loop, the stores to C could alias them).
      SmallVector<Value> biasV(2), multV(2);
      if (!s.channelIsRow)
        for (unsigned v = 0; v < 2; ++v) {
          Value col = k.add(k.mul(tile, nr), int64_t(v) * s.lanes);
          biasV[v] = k.load(i32Vec, bias, i32, col);
          if (!s.exact)
            multV[v] = k.load(f32Vec, mult, f32, col);
        }
      k.loop(k.c(0), k.c(s.tileRows), [&](Value r) {
        for (unsigned v = 0; v < 2; ++v) {
          Value acc = k.load(i32Vec, amxBuffer, i32,
                             k.add(k.mul(r, nr), int64_t(16 * v)));
          store(k.add(r0, r), tile, v, acc, masked, biasV[v], multV[v]);
        }
      });
    };
    // The row tiles of [rb, rbEnd); the last tile of the matrix overlaps.
    auto rowTiles = [&](Value rb, Value rbEnd, Value tile, bool masked,
                        unsigned nv) {
      k.loop(rb, rbEnd, k.c(s.tileRows), [&](Value r) {
        Value r0 = k.min(r, k.sub(rows, k.c(s.tileRows)));
        if (s.amx)
          amxTileAt(r0, tile, masked);
        else
          tileAt(r0, tile, masked, nv);
      });
    };
    Value fullTiles = k.div(cols, k.c(nr));
    Value tail = k.sub(cols, k.mul(fullTiles, nr));
    // The tail tile computes only the vectors its columns need (14x14
    // pixels: 196 = 4 x 48 + 4 columns, 13 vectors instead of 15); AMX
    // tiles are whole.
    Value tailVectors = k.ceilDiv(tail, k.c(s.lanes));
    auto tailTile = [&](Value rb, Value rbEnd) {
      if (s.amx || s.tileVectors == 1) {
        rowTiles(rb, rbEnd, fullTiles, true, s.tileVectors);
        return;
      }
      for (unsigned nv = 1; nv <= s.tileVectors; ++nv)
        k.when(k.eq(tailVectors, k.c(nv)),
               [&] { rowTiles(rb, rbEnd, fullTiles, true, nv); });
    };
    auto rowBlocks = [&] {
      k.loop(k.c(0), rows, blockRows, [&](Value rb) {
        Value rbEnd = k.min(k.add(rb, blockRows), rows);
        k.loop(k.c(0), fullTiles, [&](Value tile) {
          rowTiles(rb, rbEnd, tile, false, s.tileVectors);
        });
        k.when(k.lt(k.c(0), tail), [&] { tailTile(rb, rbEnd); });
      });
    };
    if (!s.isFloat || s.blockGroups == 0) {
      rowBlocks();
      return;
    }
    // f32 in K blocks: the whole product once per block of K groups.
    k.loop(k.c(0), groups, k.c(s.blockGroups), [&](Value kb) {
      g0 = kb;
      g1 = k.min(k.add(kb, s.blockGroups), groups);
      first = k.eq(kb, k.c(0));
      if (s.residual || s.activation || s.clampLo || s.clampHi)
        last = k.eq(g1, groups);
      rowBlocks();
    });
  });
}

//===----------------------------------------------------------------------===//
// im2col
//===----------------------------------------------------------------------===//

namespace {

/// Elements per vector of the data-movement loops.
int64_t moveElems(Type element) { return element.isF32() ? 16 : 64; }

/// The tail of a range, `rest` < v elements from `offset`, as power-of-two
/// pieces chosen at run time by the bits of `rest` (a 56-byte tail is a 32-,
/// a 16- and an 8-byte move): unmasked moves, which every target has, instead
/// of a loop of single elements.
void tailPieces(KernelBuilder &k, int64_t v, Value offset, Value rest,
                function_ref<void(Value, int64_t)> move) {
  for (int64_t piece = v / 2; piece >= 1; piece /= 2) {
    Value bit = arith::AndIOp::create(k.b, k.loc, rest, k.c(piece));
    Value has = arith::CmpIOp::create(k.b, k.loc, arith::CmpIPredicate::ne,
                                      bit, k.c(0));
    // The pieces go largest first, so this one starts after the larger
    // ones present: offset + (rest & ~(2 * piece - 1)).
    Value before = arith::AndIOp::create(k.b, k.loc, rest, k.c(~(2 * piece - 1)));
    Value at = k.add(offset, before);
    k.when(has, [&] { move(at, piece); });
  }
}

/// dst[i] = value for i in [0, count): whole vectors, then the tail in
/// power-of-two pieces.
void fillRange(KernelBuilder &k, Value dst, Type element, Value base,
               Value count, Value value) {
  int64_t v = moveElems(element);
  Value splat = vector::BroadcastOp::create(k.b, k.loc, vecOf(v, element), value);
  Value whole = k.mul(k.div(count, k.c(v)), v);
  k.loop(k.c(0), whole, k.c(v),
         [&](Value i) { k.store(splat, dst, element, k.add(base, i)); });
  tailPieces(k, v, k.add(base, whole), k.sub(count, whole),
             [&](Value at, int64_t n) {
               Value piece = n == 1 ? value
                                    : (Value)vector::BroadcastOp::create(
                                          k.b, k.loc, vecOf(n, element), value);
               k.store(piece, dst, element, at);
             });
}

} // namespace

func::FuncOp lowering::getIm2RowsKernel(LoweringState &state, Type element,
                                        const ConvGeometry &g,
                                        int64_t padBits) {
  OpBuilder &ob = state.builder;
  Type ptr = ptrType(ob);
  std::string name =
      llvm::formatv("__qc_im2rows_{0}_c{1}_{2}x{3}_k{4}x{5}_o{6}x{7}_s{8}x{9}_"
                    "d{10}x{11}_p{12}x{13}_v{14}",
                    typeName(element), g.cg, g.h, g.w, g.kh, g.kw, g.oh, g.ow,
                    g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, padBits & 0xff)
          .str();
  Type i64 = ob.getI64Type();
  func::FuncOp f = getOrCreate(
      state, name, {ptr, ptr, i64, i64}, [&](KernelBuilder &k, ValueRange a) {
        OpBuilder &b = k.b;
        Value pad = element.isF32()
                        ? (Value)arith::ConstantOp::create(
                              b, k.loc, b.getF32FloatAttr(0))
                        : (Value)arith::ConstantIntOp::create(b, k.loc, element,
                                                              padBits);
        emitIm2Rows(k, a[0], a[1], element, g, pad, a[2], a[3]);
      });
  // The loops have compile-time trip counts and vector bodies: unrolled,
  // they make basic blocks whose scheduling is quadratic (see qc-no-unroll
  // in lib/Codegen).
  f->setAttr("passthrough",
             ob.getArrayAttr({ob.getStringAttr("noinline"),
                              ob.getArrayAttr({ob.getStringAttr("qc-no-unroll"),
                                               ob.getStringAttr("1")})}));
  return f;
}

func::FuncOp lowering::getPackRowsKernel(LoweringState &state, Type element,
                                         unsigned kg, int64_t nr, bool shift,
                                         bool maskedTail) {
  OpBuilder &ob = state.builder;
  Type ptr = ptrType(ob), i64 = ob.getI64Type();
  SmallVector<Type> args = {ptr, i64, ptr, i64, i64, i64};
  std::string name = llvm::formatv("__qc_pack_{0}_k{1}_n{2}{3}{4}",
                                   typeName(element), kg, nr,
                                   shift ? "_xor" : "", maskedTail ? "_mt" : "")
                         .str();
  return getOrCreate(state, name, args, [&](KernelBuilder &k, ValueRange a) {
    OpBuilder &b = k.b;
    Location loc = k.loc;
    Value rows = a[0], ldr = a[1], packed = a[2], depth = a[3], cols = a[4],
          paddedDepth = a[5];
    Value zero = element.isF32()
                     ? (Value)arith::ConstantOp::create(b, loc,
                                                        b.getF32FloatAttr(0))
                     : (Value)arith::ConstantIntOp::create(b, loc, element, 0);
    Value groups = k.div(paddedDepth, k.c(kg));
    Value fullGroups = k.div(depth, k.c(kg));
    Value fullTiles = k.div(cols, k.c(nr));
    Value tailCols = k.sub(cols, k.mul(fullTiles, nr));
    Value lastRow = k.sub(depth, k.c(1));
    auto flip = [&](Value v) -> Value {
      if (!shift)
        return v;
      Type t = v.getType();
      Value m = isa<VectorType>(t)
                    ? (Value)arith::ConstantOp::create(
                          b, loc, t,
                          DenseElementsAttr::get(cast<ShapedType>(t),
                                                 b.getIntegerAttr(element, -128)))
                    : (Value)arith::ConstantIntOp::create(b, loc, element, -128);
      return arith::XOrIOp::create(b, loc, v, m);
    };
    // Element-wise packing of groups [g0, g1) of one tile, `count` columns:
    // rows past depth read as zero.
    auto packGroups = [&](Value tile, Value g0, Value g1, Value count) {
      k.loop(g0, g1, [&](Value g) {
        Value dstBase = k.mul(k.add(k.mul(tile, groups), g), nr * kg);
        k.loop(k.c(0), count, [&](Value j) {
          Value col = k.add(k.mul(tile, nr), j);
          Value dst = k.add(dstBase, k.mul(j, kg));
          for (unsigned kk = 0; kk < kg; ++kk) {
            Value kIdx = k.add(k.mul(g, kg), kk);
            Value valid = k.lt(kIdx, depth);
            Value v = flip(k.load(element, rows, element,
                                  k.add(k.mul(k.min(kIdx, lastRow), ldr), col)));
            k.store(k.select(valid, v, zero), packed, element,
                    k.add(dst, kk));
          }
        });
      });
    };
    // A full tile, one K group at a time: kg vector loads of NR values (one
    // per row), interleaved into the lane layout, one store.
    // With `mask` (the tail tile), masked loads of its first columns, zero
    // in the others.
    auto packFullGroups = [&](Value tile, Value mask) {
      auto rowType = vecOf(nr, element);
      Value none;
      if (mask)
        none = arith::ConstantOp::create(
            b, loc, rowType, DenseElementsAttr::get(rowType, b.getZeroAttr(element)));
      k.loop(k.c(0), fullGroups, [&](Value g) {
        SmallVector<Value> r;
        for (unsigned kk = 0; kk < kg; ++kk) {
          Value kIdx = k.add(k.mul(g, kg), kk);
          Value at = k.add(k.mul(kIdx, ldr), k.mul(tile, nr));
          if (!mask) {
            r.push_back(k.load(rowType, rows, element, at));
            continue;
          }
          r.push_back(LLVM::MaskedLoadOp::create(
              b, loc, rowType, k.ptr(rows, element, at), mask, none,
              uint32_t(byteSize(element))));
        }
        Value v = r[0];
        if (kg == 2) {
          v = vector::InterleaveOp::create(b, loc, r[0], r[1]);
        } else if (kg == 4) {
          Value x = vector::InterleaveOp::create(b, loc, r[0], r[2]);
          Value y = vector::InterleaveOp::create(b, loc, r[1], r[3]);
          v = vector::InterleaveOp::create(b, loc, x, y);
        }
        k.store(flip(v), packed, element,
                k.mul(k.add(k.mul(tile, groups), g), nr * kg));
      });
    };
    Value realGroups = k.ceilDiv(depth, k.c(kg));
    auto groupBase = [&](Value tile, Value g) {
      return k.mul(k.add(k.mul(tile, groups), g), nr * kg);
    };
    // After the whole groups of a tile of `count` columns: the group with
    // the last K values where depth % kg != 0 element by element (`tail`:
    // zero past count first), and the groups past K (the padding to the
    // kernel's K step) zero.
    auto finishTile = [&](Value tile, Value count, bool tail) {
      k.when(k.lt(fullGroups, realGroups), [&] {
        if (tail)
          fillRange(k, packed, element,
                    k.add(groupBase(tile, fullGroups), k.mul(count, kg)),
                    k.mul(k.sub(k.c(nr), count), kg), zero);
        packGroups(tile, fullGroups, realGroups, count);
      });
      Value from = groupBase(tile, realGroups);
      fillRange(k, packed, element, from,
                k.sub(groupBase(tile, groups), from), zero);
    };
    k.loop(k.c(0), fullTiles, [&](Value tile) {
      packFullGroups(tile, Value());
      finishTile(tile, k.c(nr), false);
    });
    k.when(k.lt(k.c(0), tailCols), [&] {
      if (maskedTail) {
        Value mask = vector::CreateMaskOp::create(
            b, loc, vecOf(nr, b.getI1Type()),
            ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                                  tailCols)});
        packFullGroups(fullTiles, mask);
        finishTile(fullTiles, tailCols, true);
        return;
      }
      // Columns past cols: zero (their results are never stored).
      k.loop(k.c(0), groups, [&](Value g) {
        Value base = groupBase(fullTiles, g);
        fillRange(k, packed, element, k.add(base, k.mul(tailCols, kg)),
                  k.mul(k.sub(k.c(nr), tailCols), kg), zero);
      });
      packGroups(fullTiles, k.c(0), groups, tailCols);
    });
  });
}

//===----------------------------------------------------------------------===//
// Depthwise
//===----------------------------------------------------------------------===//

std::string DepthwiseSpec::getName() const {
  return llvm::formatv("__qc_depthwise_{0}{1}_{2}_sw{3}_v{4}",
                       input.isF32() ? "" : (inputUnsigned ? "u" : "s"),
                       typeName(input),
                       isFloat ? "f32"
                       : exact ? "i32"
                               : (resultBits == 16 ? "q16" : "q8"),
                       strideW ? std::to_string(strideW) : "n", lanes)
             .str() +
         activation.suffix();
}

func::FuncOp lowering::getDepthwiseKernel(LoweringState &state,
                                          const DepthwiseSpec &s) {
  OpBuilder &ob = state.builder;
  Type ptr = ptrType(ob), i64 = ob.getI64Type();
  SmallVector<Type> args(5, ptr);
  args.append(14, i64);
  s.activation.appendArgTypes(ob, s.isFloat, args);
  return getOrCreate(state, s.getName(), args, [&](KernelBuilder &k, ValueRange a) {
    OpBuilder &b = k.b;
    Location loc = k.loc;
    Value planes = a[0], weights = a[1], bias = a[2], mult = a[3], out = a[4],
          c = a[5], hp = a[6], wp = a[7], oh = a[8], ow = a[9], kh = a[10],
          kw = a[11], sh = a[12], sw = a[13], dh = a[14], dw = a[15],
          zp = a[16], lo = a[17], hi = a[18];
    int64_t v = s.lanes;
    Type f32 = b.getF32Type(), i32 = b.getI32Type();
    Type accElem = s.isFloat ? f32 : i32;
    auto accType = vecOf(v, accElem);
    auto f32Vec = vecOf(v, f32), i32Vec = vecOf(v, i32);
    Type outElem =
        s.isFloat ? f32 : (s.exact ? i32 : b.getIntegerType(s.resultBits));
    Requantizer requant;
    if (!s.isFloat && !s.exact)
      requant = Requantizer::get(k, v, zp, lo, hi);
    std::optional<FusedActivation> act;
    if (s.activation)
      act.emplace(k, s.activation, v, s.isFloat, a.drop_front(19));
    // `v` input values from element `pos`, `stride` apart, widened to the
    // accumulator type.
    auto loadInputs = [&](Value pos) -> Value {
      Value x;
      if (s.strideW == 1) {
        x = k.load(vecOf(v, s.input), planes, s.input, pos);
      } else if (s.strideW == 2) {
        // The 2v - 1 values the chunk reads, none past the last (the planes
        // may be the caller's input buffer), as two overlapping v-element
        // loads at pos and pos + v - 1 (one odd-sized load became byte
        // inserts and extracts), and their even positions shuffled out.
        auto half = vecOf(v, s.input);
        Value lo = k.load(half, planes, s.input, pos);
        Value hi = k.load(half, planes, s.input, k.add(pos, v - 1));
        SmallVector<int64_t> even;
        for (int64_t i = 0; i < v; ++i)
          even.push_back(2 * i < v ? 2 * i : v + 2 * i - (v - 1));
        x = vector::ShuffleOp::create(b, loc, lo, hi, even);
      } else {
        x = arith::ConstantOp::create(
            b, loc, vecOf(v, s.input),
            DenseElementsAttr::get(vecOf(v, s.input),
                                   b.getZeroAttr(s.input)));
        for (int64_t i = 0; i < v; ++i) {
          Value e = k.load(s.input, planes, s.input, k.add(pos, k.mul(sw, i)));
          x = vector::InsertOp::create(b, loc, e, x, i);
        }
      }
      if (s.isFloat)
        return x;
      return s.inputUnsigned ? (Value)arith::ExtUIOp::create(b, loc, i32Vec, x)
                             : (Value)arith::ExtSIOp::create(b, loc, i32Vec, x);
    };
    Value taps = k.mul(kh, kw);
    k.loop(k.c(0), c, [&](Value ch) {
      Value plane = k.mul(ch, k.mul(hp, wp));
      Value biasC = vector::BroadcastOp::create(
          b, loc, accType, k.load(accElem, bias, accElem, ch));
      Value multC;
      if (!s.isFloat && !s.exact)
        multC = vector::BroadcastOp::create(b, loc, f32Vec,
                                            k.load(f32, mult, f32, ch));
      Value wBase = k.mul(ch, taps);
      k.loop(k.c(0), oh, [&](Value oy) {
        Value outRow = k.mul(k.add(k.mul(ch, oh), oy), ow);
        k.loop(k.c(0), ow, k.c(v), [&](Value x0) {
          // The last chunk of the row overlaps the one before it.
          Value ox = k.min(x0, k.sub(ow, k.c(v)));
          // acc = the bias (f32: then one fma per tap in (ky, kx) order, as
          // the reference; integers: the folded bias, exact in any order).
          auto kyLoop =
              scf::ForOp::create(b, loc, k.c(0), kh, k.c(1), ValueRange{biasC});
          {
            OpBuilder::InsertionGuard g(b);
            b.setInsertionPointToStart(kyLoop.getBody());
            Value ky = kyLoop.getInductionVar();
            Value rowBase = k.add(
                plane, k.mul(k.add(k.mul(oy, sh), k.mul(ky, dh)), wp));
            auto kxLoop = scf::ForOp::create(b, loc, k.c(0), kw, k.c(1),
                                             kyLoop.getRegionIterArgs());
            {
              OpBuilder::InsertionGuard g2(b);
              b.setInsertionPointToStart(kxLoop.getBody());
              Value kx = kxLoop.getInductionVar();
              Value w = k.load(accElem, weights, accElem,
                               k.add(wBase, k.add(k.mul(ky, kw), kx)));
              Value wv = vector::BroadcastOp::create(b, loc, accType, w);
              Value pos = k.add(k.add(rowBase, k.mul(kx, dw)), k.mul(ox, sw));
              Value xv = loadInputs(pos);
              Value acc = kxLoop.getRegionIterArgs()[0];
              Value next =
                  s.isFloat
                      ? (Value)vector::FMAOp::create(b, loc, xv, wv, acc)
                      : (Value)arith::AddIOp::create(
                            b, loc, acc, arith::MulIOp::create(b, loc, xv, wv));
              scf::YieldOp::create(b, loc, next);
            }
            scf::YieldOp::create(b, loc, kxLoop.getResults());
          }
          Value y = kyLoop.getResult(0);
          if (!s.isFloat && !s.exact && act)
            y = arith::TruncIOp::create(
                b, loc, vecOf(v, b.getI8Type()),
                act->fromSum(k, requant.roundedOffset(k, y, multC)));
          else if (!s.isFloat && !s.exact)
            y = requant.narrow(k, requant.offsetFromZero(k, y, multC),
                               s.resultBits);
          else if (act)
            y = act->apply(k, y);
          k.store(y, out, outElem, k.add(outRow, ox));
        });
      });
    });
  });
}
