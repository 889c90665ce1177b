//===- Kernels.cpp - Lowering of qc.packed_* onto the micro-kernels -------===//
//
// The patterns of the ops qc-select-kernels made: one pattern per kernel
// kind (vnni512 and vnni256 share the VNNI emitter class, avx2-maddwd,
// neon-sdot, fma, depthwise). A pattern lowers only the kind it implements
// and only reads what the op carries (packed weights, folded bias,
// multipliers, tile): the per-layer code is a few calls into the shared
// micro-kernels of MicroKernels.cpp. A new instruction set is a DotEmitter
// here plus a target row.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <numeric>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

VectorType vecOf(int64_t n, Type element) {
  return VectorType::get({n}, element);
}

Value callIntrinsic(OpBuilder &b, Location loc, StringRef name, Type result,
                    ValueRange args) {
  return LLVM::CallIntrinsicOp::create(b, loc, result,
                                       StringAttr::get(b.getContext(), name),
                                       args)
      .getResult(0);
}

/// x86 `vpdpbusd` (AVX-512 VNNI on zmm, or AVX-VNNI / AVX-512VL on ymm):
/// u8 x s8, 4 products per i32 lane, no saturation.
class VnniDot : public DotEmitter {
public:
  explicit VnniDot(unsigned bits) : bits(bits) {}
  StringRef getKind() const override {
    return bits == 512 ? "vnni512" : "vnni256";
  }
  Value emitDot(OpBuilder &b, Location loc, Value acc, Value bcast, Value vec,
                bool broadcastIsActivation) const override {
    Value act = broadcastIsActivation ? bcast : vec;
    Value wgt = broadcastIsActivation ? vec : bcast;
    return callIntrinsic(b, loc,
                         bits == 512 ? "llvm.x86.avx512.vpdpbusd.512"
                                     : "llvm.x86.avx512.vpdpbusd.256",
                         acc.getType(), {acc, act, wgt});
  }

private:
  unsigned bits;
};

/// AMX tiles (getGemmKernel's tile path); its vector step, for the
/// fallback when the OS refuses the tile state, is AVX-512 VNNI's.
class AmxDot : public VnniDot {
public:
  AmxDot() : VnniDot(512) {}
  StringRef getKind() const override { return "amx"; }
};

/// x86 AVX2 without VNNI: u8 activations zero- and s8 weights sign-extended
/// to i16, `vpmaddwd` multiplies pairs and adds them in i32. |a * w| <=
/// 255 * 128, so the pair sum never reaches vpmaddwd's one saturating case
/// ((-32768)^2 twice); vpmaddubsw (which can saturate) is never used.
class MAddWdDot : public DotEmitter {
public:
  StringRef getKind() const override { return "avx2-maddwd"; }
  Value emitDot(OpBuilder &b, Location loc, Value acc, Value bcast, Value vec,
                bool broadcastIsActivation) const override {
    Value act = broadcastIsActivation ? bcast : vec;
    Value wgt = broadcastIsActivation ? vec : bcast;
    auto lanes = cast<VectorType>(acc.getType()).getNumElements();
    auto i16Vec = vecOf(2 * lanes, b.getI16Type());
    Value a16 = arith::ExtUIOp::create(b, loc, i16Vec, act);
    Value w16 = arith::ExtSIOp::create(b, loc, i16Vec, wgt);
    Value prod =
        callIntrinsic(b, loc, "llvm.x86.avx2.pmadd.wd", acc.getType(), {a16, w16});
    return arith::AddIOp::create(b, loc, acc, prod);
  }
};

/// AArch64 `sdot` (the dot product extension): s8 x s8, 4 per lane.
class SDotDot : public DotEmitter {
public:
  StringRef getKind() const override { return "neon-sdot"; }
  Value emitDot(OpBuilder &b, Location loc, Value acc, Value bcast, Value vec,
                bool broadcastIsActivation) const override {
    Value act = broadcastIsActivation ? bcast : vec;
    Value wgt = broadcastIsActivation ? vec : bcast;
    return callIntrinsic(b, loc, "llvm.aarch64.neon.sdot.v4i32.v16i8",
                         acc.getType(), {acc, act, wgt});
  }
};

/// f32: one fused multiply-add per product.
class FmaDot : public DotEmitter {
public:
  StringRef getKind() const override { return "fma"; }
  Value emitDot(OpBuilder &b, Location loc, Value acc, Value bcast, Value vec,
                bool) const override {
    return vector::FMAOp::create(b, loc, bcast, vec, acc);
  }
};

/// Checks that the op's kernel is this pattern's kind.
LogicalResult matchKind(KernelAttr kernel, StringRef kind, std::string &why) {
  if (kernel.getKind() == kind)
    return success();
  why = ("kernel kind '" + kernel.getKind() + "' is not '" + kind + "'").str();
  return failure();
}

/// The epilogue arguments of a GEMM call: the zero point and range of the
/// requantized product (the result's, or with a fused residual add the
/// sum type's).
void epilogueArgs(KernelBuilder &k, Type resultType, TypeAttr sumType,
                  std::optional<int64_t> outMin, std::optional<int64_t> outMax,
                  SmallVectorImpl<Value> &args) {
  auto out = sumType ? dyn_cast<quant::UniformQuantizedType>(sumType.getValue())
                     : getPerTensorType(resultType);
  args.push_back(k.c(out ? out.getZeroPoint() : 0));
  args.push_back(k.c(outMin.value_or(0)));
  args.push_back(k.c(outMax.value_or(0)));
}

/// The fused residual add's arguments of a GEMM call (see getGemmKernel):
/// the residual at `at` (laid out as the output), its zero point, the
/// three scales, the result's zero point and storage range.
void residualArgs(KernelBuilder &k, Value residual, Type resultType,
                  TypeAttr sumType, Value at, SmallVectorImpl<Value> &args) {
  auto r = getPerTensorType(residual.getType());
  if (!r) { // f32: the residual alone.
    args.push_back(at);
    return;
  }
  auto out = getPerTensorType(resultType);
  auto sum = cast<quant::UniformQuantizedType>(sumType.getValue());
  auto f32 = [&](double v) -> Value {
    return arith::ConstantOp::create(k.b, k.loc, k.b.getF32FloatAttr(float(v)));
  };
  StorageRange range = getStorageRange(out);
  args.append({at, k.c(r.getZeroPoint()), f32(r.getScale()),
               f32(sum.getScale()), f32(out.getScale()),
               k.c(out.getZeroPoint()), k.c(range.min), k.c(range.max)});
}

/// A fused f32 clamp (`clamp_min`, `clamp_max` of a packed product): the
/// spec's flags, and the bounds as the arguments after the others.
template <typename OpT> void clampSpec(OpT op, GemmSpec &spec) {
  spec.clampLo = bool(op.getClampMinAttr());
  spec.clampHi = bool(op.getClampMaxAttr());
}
template <typename OpT>
void clampArgs(KernelBuilder &k, OpT op, SmallVectorImpl<Value> &args) {
  for (FloatAttr bound : {op.getClampMinAttr(), op.getClampMaxAttr()})
    if (bound)
      args.push_back(arith::ConstantOp::create(k.b, k.loc, bound));
}

/// A fused activation (`activation` and its attributes on a packed
/// product): the kernel's spec of it.
template <typename OpT> ActivationSpec activationSpec(OpT op) {
  ActivationSpec spec;
  if (StringAttr kind = op.getActivationAttr()) {
    spec.kind = symbolizeActivationKind(kind.getValue());
    spec.scale = bool(op.getActivationScaleAttr());
    spec.shift = bool(op.getActivationShiftAttr());
  }
  return spec;
}
/// Its arguments, after all the others (see getGemmKernel): alpha and beta
/// (0.2, 0.5 when not given, as qc.activation's), scale and shift (1, 0),
/// and for a quantized result the sum type's scale before them and the
/// result's scale, zero point and storage range after them.
template <typename OpT>
void activationArgs(KernelBuilder &k, OpT op, Type resultType,
                    SmallVectorImpl<Value> &args) {
  if (!op.getActivationAttr())
    return;
  auto f32 = [&](double v) -> Value {
    return arith::ConstantOp::create(k.b, k.loc, k.b.getF32FloatAttr(float(v)));
  };
  auto value = [](FloatAttr a, double d) {
    return a ? a.getValueAsDouble() : d;
  };
  auto out = getPerTensorType(resultType);
  if (out)
    args.push_back(
        f32(cast<quant::UniformQuantizedType>(op.getSumTypeAttr().getValue())
                .getScale()));
  args.append({f32(value(op.getActivationAlphaAttr(), 0.2)),
               f32(value(op.getActivationBetaAttr(), 0.5)),
               f32(value(op.getActivationScaleAttr(), 1.0)),
               f32(value(op.getActivationShiftAttr(), 0.0))});
  if (out) {
    StorageRange range = getStorageRange(out);
    args.append({f32(out.getScale()), k.c(out.getZeroPoint()), k.c(range.min),
                 k.c(range.max)});
  }
}

/// The storage width of a quantized kernel's result (8, or 16 for a 16-bit
/// product stored as it is); 8 for f32 and exact results, which ignore it.
unsigned resultBits(Type result) {
  auto q = getPerTensorType(result);
  return q && q.getStorageTypeIntegralWidth() == 16 ? 16 : 8;
}

GemmSpec makeSpec(const DotEmitter &dot, KernelAttr kernel, bool exact,
                  bool channelIsRow, bool broadcastIsActivation) {
  GemmSpec s;
  s.dot = &dot;
  s.lanes = kernel.getLanes();
  s.kGroup = kernel.getKGroup();
  s.tileRows = kernel.getTileRows();
  s.tileVectors = kernel.getTileVectors();
  s.isFloat = kernel.isFloat();
  s.exact = exact;
  s.channelIsRow = channelIsRow;
  s.broadcastIsActivation = broadcastIsActivation;
  s.amx = kernel.getKind() == "amx";
  s.blockGroups = kernel.getBlockDepth() / kernel.getKGroup();
  return s;
}

/// Calls the GEMM of `spec`. An AMX GEMM runs only where the process has
/// the tile state; elsewhere the same packed operands go through the
/// AVX-512 VNNI loop (8 rows x the same 32 columns), bit for bit equal.
void emitGemmCall(LoweringState &state, Location loc, const GemmSpec &spec,
                  ValueRange args) {
  OpBuilder &b = state.builder;
  if (!spec.amx) {
    func::CallOp::create(b, loc, getGemmKernel(state, spec), args);
    return;
  }
  GemmSpec vector = spec;
  vector.amx = false;
  vector.tileRows = 8;
  func::FuncOp tiles = getGemmKernel(state, spec);
  func::FuncOp fallback = getGemmKernel(state, vector);
  auto ifOp = scf::IfOp::create(b, loc, emitAmxReady(b, loc, state.context),
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  func::CallOp::create(b, loc, tiles, args);
  b.setInsertionPointToStart(&ifOp.getElseRegion().front());
  func::CallOp::create(b, loc, fallback, args);
}

//===----------------------------------------------------------------------===//
// qc.packed_matmul
//===----------------------------------------------------------------------===//

/// Whether the activations must be copied before the kernel reads them:
/// shifted to the instruction's signedness, or K padded to the K group.
bool packsActivations(PackedMatMulOp op) {
  KernelAttr k = op.getKernel();
  return k.getShift() != 0 || op.getDepth() % k.getDepthAlign() != 0;
}

class GemmMatMulLowering : public OpLowering {
public:
  explicit GemmMatMulLowering(const DotEmitter &dot) : dot(dot) {}

  LogicalResult match(Operation *o, const LoweringOptions &,
                      std::string &why) const override {
    return matchKind(cast<PackedMatMulOp>(o).getKernel(), dot.getKind(), why);
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<PackedMatMulOp>(o);
    if (!packsActivations(op))
      return {};
    int64_t kp = op.getKernel().getPaddedDepth(op.getDepth());
    return {MemRefType::get({op.getRows() * kp},
                            IntegerType::get(op.getContext(), 8))};
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<PackedMatMulOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    KernelBuilder k{b, loc};
    KernelAttr kernel = op.getKernel();
    int64_t m = op.getRows(), n = op.getCols(), depth = op.getDepth();
    int64_t kg = kernel.getKGroup(), kp = kernel.getPaddedDepth(depth);
    Value x = getPointer(b, loc, state.operands[0]);
    int64_t ldx = depth;
    if (packsActivations(op)) {
      // Copy the activations with K padded to the group size and the +-128
      // shift (xor 0x80) where the instruction wants the other signedness.
      Type i8 = b.getI8Type();
      Value dst = getPointer(b, loc, state.scratch[0]);
      Value flip = arith::ConstantIntOp::create(
          b, loc, i8, kernel.getShift() ? -128 : 0);
      Value zero = arith::ConstantIntOp::create(b, loc, i8, 0);
      k.loop(k.c(0), k.c(m), [&](Value r) {
        k.loop(k.c(0), k.c(kp), [&](Value kk) {
          Value v = k.load(i8, x, i8,
                           k.add(k.mul(r, depth), k.min(kk, k.c(depth - 1))));
          v = arith::XOrIOp::create(b, loc, v, flip);
          k.store(k.select(k.lt(kk, k.c(depth)), v, zero), dst, i8,
                  k.add(k.mul(r, kp), kk));
        });
      });
      x = dst;
      ldx = kp;
    }
    bool exact = !kernel.isFloat() && !op.getMultipliers();
    GemmSpec spec = makeSpec(dot, kernel, exact, /*channelIsRow=*/false,
                             /*broadcastIsActivation=*/true);
    spec.resultBits = resultBits(op.getType());
    Value bias = getPointer(b, loc, state.operands[2]);
    SmallVector<Value> args = {x,
                               k.c(ldx),
                               getPointer(b, loc, state.operands[1]),
                               k.c(kp / kg),
                               getPointer(b, loc, state.result),
                               k.c(n),
                               bias,
                               op.getMultipliers()
                                   ? getPointer(b, loc, state.operands[3])
                                   : bias,
                               k.c(m),
                               k.c(n),
                               k.c(kernel.getBlockRows())};
    epilogueArgs(k, op.getType(), op.getSumTypeAttr(), op.getOutMin(),
                 op.getOutMax(), args);
    if (Value residual = op.getResidual()) {
      spec.residual = true;
      if (auto q = getPerTensorType(residual.getType()))
        spec.residualUnsigned = !q.isSigned();
      residualArgs(k, residual, op.getType(), op.getSumTypeAttr(),
                   getPointer(b, loc, state.operands.back()), args);
    }
    clampSpec(op, spec);
    clampArgs(k, op, args);
    spec.activation = activationSpec(op);
    activationArgs(k, op, op.getType(), args);
    emitGemmCall(state, loc, spec, args);
    return success();
  }

private:
  const DotEmitter &dot;
};

//===----------------------------------------------------------------------===//
// qc.packed_conv2d
//===----------------------------------------------------------------------===//

/// Bytes of packed input one GEMM call takes: the pixels are im2col'd,
/// packed and multiplied in chunks of about this size, so that a chunk is
/// still in cache when the next step reads it (a 56x56 image with K = 576
/// im2col'd and packed whole wrote 1.8 MB twice, read back from memory).
constexpr int64_t kPackedChunkBytes = 256 * 1024;

/// How a convolution's output pixels are chunked: whole output rows per
/// chunk where it has im2col rows (`rows`, the im2col function takes a
/// range of output rows), any whole column tiles for a pointwise one
/// (`rows` = 0); `pixels`, the most pixels of a chunk.
struct ConvChunks {
  int64_t rows = 0, pixels = 0;
};

ConvChunks getConvChunks(PackedConv2DOp op) {
  KernelAttr kernel = op.getKernel();
  auto out = op.getType();
  int64_t oh = out.getDimSize(2), ow = out.getDimSize(3);
  int64_t nr = kernel.getTileCols();
  int64_t bytes = kernel.getPaddedDepth(op.getDepth()) * (kernel.isFloat() ? 4 : 1);
  int64_t budget = std::max<int64_t>(kPackedChunkBytes / bytes / nr, 1) * nr;
  // Each chunk's GEMM reads all the weights: where they outweigh the whole
  // packed input (deep layers on small images: 512 x 4608 f32 weights,
  // 9.4 MB, against 0.9 MB of input for 7x7 pixels), chunks would stream
  // them from memory once per chunk. Such layers take one chunk.
  int64_t groupChannels = out.getDimSize(1) / op.getGroups();
  int64_t weightBytes = groupChannels * bytes;
  int64_t inputBytes = (oh * ow + nr - 1) / nr * nr * bytes;
  if (weightBytes > inputBytes)
    budget = std::max(budget, (oh * ow + nr - 1) / nr * nr);
  if (op.isPointwise())
    return {0, std::min(budget, (oh * ow + nr - 1) / nr * nr)};
  // Rows per chunk: a multiple of the rows that make whole column tiles
  // (only the image's last chunk then packs a partial tile), up to 4x over
  // the budget for one such multiple: a chunk of one 56-pixel row of 48-
  // column f32 tiles computed a second tile for 8 pixels.
  int64_t rows = std::max<int64_t>(budget / ow, 1);
  int64_t whole = std::lcm(ow, nr) / ow;
  if (rows >= whole)
    rows = rows / whole * whole;
  else if (whole * ow <= 4 * budget)
    rows = whole;
  rows = std::min(rows, oh);
  return {rows, rows * ow};
}

class GemmConvLowering : public OpLowering {
public:
  explicit GemmConvLowering(const DotEmitter &dot) : dot(dot) {}

  LogicalResult match(Operation *o, const LoweringOptions &,
                      std::string &why) const override {
    return matchKind(cast<PackedConv2DOp>(o).getKernel(), dot.getKind(), why);
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<PackedConv2DOp>(o);
    KernelAttr kernel = op.getKernel();
    Builder b(op.getContext());
    Type element =
        kernel.isFloat() ? (Type)b.getF32Type() : (Type)b.getI8Type();
    int64_t nr = kernel.getTileCols();
    int64_t kp = kernel.getPaddedDepth(op.getDepth());
    ConvChunks chunks = getConvChunks(op);
    // f32 reads the im2col rows (or the input) where they are: no packing.
    int64_t packed =
        kernel.isFloat() ? 0 : (chunks.pixels + nr - 1) / nr * nr * kp;
    SmallVector<MemRefType> scratch = {MemRefType::get({packed + 64}, element)};
    if (!op.isPointwise()) // The im2col rows of a chunk, [K][pixels].
      scratch.push_back(
          MemRefType::get({op.getDepth() * chunks.pixels}, element));
    return scratch;
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<PackedConv2DOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    KernelBuilder k{b, loc};
    KernelAttr kernel = op.getKernel();
    auto in = op.getInput().getType();
    auto out = op.getType();
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), h = in.getDimSize(2),
            w = in.getDimSize(3);
    int64_t o_ = out.getDimSize(1), oh = out.getDimSize(2),
            ow = out.getDimSize(3), pixels = oh * ow;
    int64_t g = op.getGroups(), cg = c / g, og = o_ / g;
    int64_t depth = op.getDepth(), kg = kernel.getKGroup();
    int64_t kp = kernel.getPaddedDepth(depth);
    bool isFloat = kernel.isFloat();
    Type element = isFloat ? (Type)b.getF32Type() : (Type)b.getI8Type();
    Type outElement = isFloat ? (Type)b.getF32Type()
                              : (Type)b.getIntegerType(
                                    getPerTensorType(out).getStorageTypeIntegralWidth());
    Type biasElement = isFloat ? (Type)b.getF32Type() : (Type)b.getI32Type();
    bool exact = !isFloat && !op.getMultipliers();

    Value input = getPointer(b, loc, state.operands[0]);
    Value weights = getPointer(b, loc, state.operands[1]);
    Value bias = getPointer(b, loc, state.operands[2]);
    Value mult = op.getMultipliers() ? getPointer(b, loc, state.operands[3])
                                     : bias;
    Value result = getPointer(b, loc, state.result);
    Value packed = getPointer(b, loc, state.scratch[0]);
    Value rows = op.isPointwise() ? Value() : getPointer(b, loc, state.scratch[1]);
    GemmSpec spec = makeSpec(dot, kernel, exact, /*channelIsRow=*/true,
                             /*broadcastIsActivation=*/false);
    spec.resultBits = resultBits(op.getType());
    // f32 (one K value per group, nothing to interleave or shift): the
    // kernel reads the rows with their stride instead of a packed copy,
    // which saved a pass over every chunk (ResNet-18's 3x3 convolutions
    // on 56x56: 10% of their time).
    spec.stridedY = isFloat;
    clampSpec(op, spec);
    spec.activation = activationSpec(op);
    if (Value residual = op.getResidual()) {
      spec.residual = true;
      if (auto q = getPerTensorType(residual.getType()))
        spec.residualUnsigned = !q.isSigned();
    }
    // AVX-512 masks the loads of a partial column tile; elsewhere it is
    // packed element by element.
    const TargetDesc *target = state.options.target;
    bool maskedTail = target && target->isX86() && target->vectorBits >= 512;
    func::FuncOp pack;
    if (!spec.stridedY)
      pack = getPackRowsKernel(state, element, kg, kernel.getTileCols(),
                               kernel.getShift() != 0, maskedTail);
    // The padding holds the input's zero point (the packing shifts it with
    // the data), so it contributes nothing; f32 pads with 0.
    int64_t padBits =
        isFloat ? 0
                : int64_t(int8_t(getPerTensorType(in).getZeroPoint() & 0xff));
    ArrayRef<int64_t> ks = op.getKernelShape(), st = op.getStrides(),
                      di = op.getDilations(), pads = op.getPads();
    ConvGeometry geometry{cg,    h,     w,     ks[0], ks[1],   oh,     ow,
                          st[0], st[1], di[0], di[1], pads[0], pads[1]};
    ConvChunks chunks = getConvChunks(op);
    func::FuncOp im2rows;
    if (!op.isPointwise())
      im2rows = getIm2RowsKernel(state, element, geometry, padBits);
    // Loops over the images and the groups (not unrolled: code size is one
    // GEMM's whatever the batch and the groups).
    k.loop(k.c(0), k.c(n), [&](Value img) {
      k.loop(k.c(0), k.c(g), [&](Value gi) {
        Value plane = k.mul(k.add(k.mul(img, c), k.mul(gi, cg)), h * w);
        Value src = k.ptr(input, element, plane);
        Value channel = k.mul(gi, og);
        // One chunk: `count` pixels from output pixel c0, their im2col rows
        // (or the input's rows, ldr apart) packed, then multiplied.
        auto chunk = [&](Value c0, Value count, Value rowsPtr, Value ldr) {
          if (!spec.stridedY)
            func::CallOp::create(
                b, loc, pack,
                ValueRange{rowsPtr, ldr, packed, k.c(depth), count, k.c(kp)});
          Value outAt =
              k.add(k.mul(k.add(k.mul(img, o_), channel), pixels), c0);
          SmallVector<Value> args = {
              k.ptr(weights, element, k.mul(channel, kp)),
              k.c(kp),
              spec.stridedY ? rowsPtr : packed,
              k.c(kp / kg),
              k.ptr(result, outElement, outAt),
              k.c(pixels),
              k.ptr(bias, biasElement, channel),
              k.ptr(mult, b.getF32Type(), exact || isFloat ? k.c(0) : channel),
              k.c(og),
              count,
              k.c(kernel.getBlockRows())};
          epilogueArgs(k, out, op.getSumTypeAttr(), op.getOutMin(),
                       op.getOutMax(), args);
          if (Value residual = op.getResidual())
            residualArgs(k, residual, out, op.getSumTypeAttr(),
                         k.ptr(getPointer(b, loc, state.operands.back()),
                               outElement, outAt),
                         args);
          if (spec.stridedY)
            args.push_back(ldr);
          clampArgs(k, op, args);
          activationArgs(k, op, out, args);
          emitGemmCall(state, loc, spec, args);
        };
        if (op.isPointwise()) {
          k.loop(k.c(0), k.c(pixels), k.c(chunks.pixels), [&](Value c0) {
            chunk(c0, k.min(k.c(chunks.pixels), k.sub(k.c(pixels), c0)),
                  k.ptr(src, element, c0), k.c(pixels));
          });
          return;
        }
        k.loop(k.c(0), k.c(oh), k.c(chunks.rows), [&](Value oy0) {
          Value oy1 = k.min(k.add(oy0, chunks.rows), k.c(oh));
          Value count = k.mul(k.sub(oy1, oy0), ow);
          func::CallOp::create(b, loc, im2rows,
                               ValueRange{src, rows, oy0, oy1});
          chunk(k.mul(oy0, ow), count, rows, count);
        });
      });
    });
    return success();
  }

private:
  const DotEmitter &dot;
};

//===----------------------------------------------------------------------===//
// qc.packed_depthwise_conv2d
//===----------------------------------------------------------------------===//

/// Depthwise convolution has no reduction over channels, so a GEMM would be
/// all packing and no reuse. Instead, per channel and output row, the taps
/// accumulate into a row of accumulators with the output pixels innermost
/// (a loop LLVM vectorizes), over a copy of the image padded with the zero
/// point so that the inner loop has no bounds checks.
class DepthwiseLowering : public OpLowering {
public:
  LogicalResult match(Operation *o, const LoweringOptions &,
                      std::string &why) const override {
    return matchKind(cast<PackedDepthwiseConv2DOp>(o).getKernel(),
                     "depthwise", why);
  }

  static bool padded(PackedDepthwiseConv2DOp op) {
    return llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; });
  }

  SmallVector<MemRefType> getScratch(Operation *o,
                                     const LoweringOptions &) const override {
    auto op = cast<PackedDepthwiseConv2DOp>(o);
    Builder b(op.getContext());
    auto in = op.getInput().getType();
    ArrayRef<int64_t> p = op.getPads();
    SmallVector<MemRefType> scratch;
    if (padded(op))
      scratch.push_back(MemRefType::get(
          {in.getDimSize(1), in.getDimSize(2) + p[0] + p[2],
           in.getDimSize(3) + p[1] + p[3]},
          getElementInfo(in).storage));
    return scratch;
  }

  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<PackedDepthwiseConv2DOp>(o);
    OpBuilder &b = state.builder;
    Location loc = op.getLoc();
    KernelBuilder k{b, loc};
    auto in = op.getInput().getType();
    auto out = op.getType();
    ElementInfo xi = getElementInfo(in);
    bool isFloat = xi.isFloat();
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), h = in.getDimSize(2),
            w = in.getDimSize(3);
    int64_t oh = out.getDimSize(2), ow = out.getDimSize(3);
    auto wType = op.getWeights().getType();
    ArrayRef<int64_t> p = op.getPads(), st = op.getStrides(),
                      di = op.getDilations();
    int64_t hp = h + p[0] + p[2], wp = w + p[1] + p[3];
    DepthwiseSpec spec;
    spec.input = xi.storage;
    spec.inputUnsigned = xi.isUnsigned;
    spec.isFloat = isFloat;
    spec.exact = !isFloat && !op.getMultipliers();
    spec.resultBits = resultBits(op.getType());
    spec.strideW = st[1] <= 2 ? st[1] : 0;
    // Chunks of the target's i32 lanes, or fewer for narrow outputs.
    int64_t lanes = state.options.target ? state.options.target->lanes() : 4;
    spec.lanes = 1;
    while (spec.lanes * 2 <= std::min<int64_t>(lanes, ow))
      spec.lanes *= 2;
    // kGroup 4: taps in groups of 4 per i32 lane on vpdpbusd
    // (qc-select-kernels checked the target, the types and the geometry).
    std::optional<DepthwiseDotSpec> dotSpec;
    if (op.getKernel().getKGroup() == 4) {
      dotSpec = DepthwiseDotSpec::get(oh, ow, hp, wp, wType.getDimSize(1),
                                      wType.getDimSize(2), st[0], st[1]);
      if (!dotSpec || isFloat || !xi.isUnsigned || di[0] != 1 || di[1] != 1)
        return op.emitOpError("kGroup 4 needs u8 planes, dilation 1 and a "
                              "window of at most 64 bytes per vector");
      dotSpec->exact = spec.exact;
      dotSpec->resultBits = spec.resultBits;
    }
    spec.activation = activationSpec(op);
    if (dotSpec)
      dotSpec->activation = spec.activation;
    func::FuncOp fn = dotSpec ? getDepthwiseDotKernel(state, *dotSpec)
                              : getDepthwiseKernel(state, spec);
    Type outElement = getElementInfo(out).storage;
    Value weights = getPointer(b, loc, state.operands[1]);
    Value bias = getPointer(b, loc, state.operands[2]);
    Value mult =
        op.getMultipliers() ? getPointer(b, loc, state.operands[3]) : bias;
    Value result = getPointer(b, loc, state.result);
    int64_t zx = isFloat ? 0 : getPerTensorType(in).getZeroPoint();
    auto images = scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                                     arith::ConstantIndexOp::create(b, loc, n),
                                     arith::ConstantIndexOp::create(b, loc, 1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(images.getBody());
    Value img = images.getInductionVar();
    Value imgI64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), img);
    Value planes;
    if (padded(op)) {
      // This image's planes, padded with the zero point.
      Value paddedBuf = state.scratch[0];
      emitFill(b, loc, paddedBuf,
               isFloat ? constantOf(b, loc, xi.storage, 0.0)
                       : constantOf(b, loc, xi.storage, zx));
      // Row by row, each an inline memcpy of w elements (a strided
      // element-wise copy does not vectorize).
      planes = getPointer(b, loc, paddedBuf);
      Value image = k.ptr(getPointer(b, loc, state.operands[0]), xi.storage,
                          k.mul(imgI64, c * h * w));
      int64_t bytes = w * (xi.storage.getIntOrFloatBitWidth() / 8);
      k.loop(k.c(0), k.c(c * h), [&](Value row) {
        Value ch = k.div(row, k.c(h));
        Value y = k.sub(row, k.mul(ch, h));
        Value dst =
            k.add(k.mul(k.add(k.mul(ch, hp), k.add(y, p[0])), wp), k.c(p[1]));
        LLVM::MemcpyInlineOp::create(b, loc, k.ptr(planes, xi.storage, dst),
                                     k.ptr(image, xi.storage, k.mul(row, w)),
                                     b.getI64IntegerAttr(bytes),
                                     /*isVolatile=*/false);
      });
    } else {
      planes = k.ptr(getPointer(b, loc, state.operands[0]), xi.storage,
                     k.mul(imgI64, c * h * w));
    }
    SmallVector<Value> args = {
        planes,
        weights,
        bias,
        mult,
        k.ptr(result, outElement, k.mul(imgI64, c * oh * ow)),
        k.c(c)};
    if (!dotSpec)
      args.append({k.c(hp), k.c(wp), k.c(oh), k.c(ow), k.c(wType.getDimSize(1)),
                   k.c(wType.getDimSize(2)), k.c(st[0]), k.c(st[1]), k.c(di[0]),
                   k.c(di[1])});
    epilogueArgs(k, out, op.getSumTypeAttr(), op.getOutMin(), op.getOutMax(),
                 args);
    activationArgs(k, op, out, args);
    func::CallOp::create(b, loc, fn, args);
    return success();
  }
};

} // namespace

void lowering::populateKernelLoweringPatterns(LoweringPatterns &patterns) {
  // The emitters live as long as the process: patterns refer to them.
  static const VnniDot vnni512(512), vnni256(256);
  static const AmxDot amx;
  static const MAddWdDot maddwd;
  static const SDotDot sdot;
  static const FmaDot fma;
  for (const DotEmitter *dot : std::initializer_list<const DotEmitter *>{
           &amx, &vnni512, &vnni256, &maddwd, &sdot, &fma}) {
    patterns.add<PackedMatMulOp>(std::make_unique<GemmMatMulLowering>(*dot));
    patterns.add<PackedConv2DOp>(std::make_unique<GemmConvLowering>(*dot));
  }
  patterns.add<PackedDepthwiseConv2DOp>(std::make_unique<DepthwiseLowering>());
}
