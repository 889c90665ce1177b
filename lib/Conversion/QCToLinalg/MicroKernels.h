//===- MicroKernels.h - Shared, parameterized kernel functions --*- C++ -*-===//
//
// The hot loops of the product kernels are a few functions shared by every
// layer of a model (IREE's micro-kernel idea): one GEMM function per
// instruction family, register tile and epilogue, one im2col and one packing
// function per element type, one depthwise function per element type and
// stride. Shapes, strides, counts, zero points and clamp bounds are run-time
// arguments, buffers are raw pointers, so a model of many layers compiles a
// handful of kernels once instead of a fully specialized loop nest per
// layer, and LLVM optimizes small functions. Each function is created on
// first use (by name) and marked noinline.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOLINALG_MICROKERNELS_H
#define QC_LIB_CONVERSION_QCTOLINALG_MICROKERNELS_H

#include "Lowering.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::qc::lowering {

/// The accumulation step of one instruction family, acc += dot(a, b): one
/// subclass per kernel kind, so that a new instruction set is a new
/// DotEmitter (and a target row), not a new kernel.
class DotEmitter {
public:
  virtual ~DotEmitter() = default;
  /// The #qc.kernel kind this emitter implements.
  virtual StringRef getKind() const = 0;
  /// `bcast` is the broadcast operand (the raw bytes of one K group
  /// splatted), `vec` the packed operand's vector, both as raw element
  /// vectors; `activationFirst` says which of them holds activations.
  virtual Value emitDot(OpBuilder &b, Location loc, Value acc, Value bcast,
                        Value vec, bool broadcastIsActivation) const = 0;
};

/// Bytes of a scalar or vector type.
inline unsigned elementBytes(Type t) {
  if (auto v = dyn_cast<VectorType>(t))
    return elementBytes(v.getElementType()) * v.getNumElements();
  return std::max(1u, t.getIntOrFloatBitWidth() / 8);
}

/// An i64 constant.
Value i64Const(OpBuilder &b, Location loc, int64_t v);

/// `ptr` advanced by `index` elements of `element` (index is i64).
Value offsetPointer(OpBuilder &b, Location loc, Value ptr, Type element,
                    Value index);

/// i64 arithmetic, raw-pointer memory access and loops for kernel bodies.
struct KernelBuilder {
  OpBuilder &b;
  Location loc;

  Value c(int64_t v) { return i64Const(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) { return y == 1 ? x : mul(x, c(y)); }
  Value add(Value x, int64_t y) { return y == 0 ? x : add(x, c(y)); }
  Value div(Value x, Value y) { return arith::DivSIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, y);
  }
  Value le(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, x, y);
  }
  Value eq(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  /// ceil(x / y) for x >= 0, y > 0.
  Value ceilDiv(Value x, Value y) { return div(add(x, sub(y, c(1))), y); }

  Value ptr(Value base, Type element, Value index) {
    return offsetPointer(b, loc, base, element, index);
  }
  /// A (vector or scalar) load of `type` at element `index` of `element`s.
  Value load(Type type, Value base, Type element, Value index) {
    return LLVM::LoadOp::create(b, loc, type, ptr(base, element, index),
                                elementBytes(element));
  }
  void store(Value v, Value base, Type element, Value index) {
    LLVM::StoreOp::create(b, loc, v, ptr(base, element, index),
                          elementBytes(element));
  }

  /// for (i = lo; i < hi; i += step) body(i).
  void loop(Value lo, Value hi, Value step, function_ref<void(Value)> body) {
    auto f = scf::ForOp::create(b, loc, lo, hi, step);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(f.getBody());
    body(f.getInductionVar());
  }
  void loop(Value lo, Value hi, function_ref<void(Value)> body) {
    loop(lo, hi, c(1), body);
  }
  void when(Value cond, function_ref<void()> body) {
    auto op = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(&op.getThenRegion().front());
    body();
  }
};

/// The shared kernel function `name` of this lowering run, created on
/// first use at the end of the module (with `b`): private, internal,
/// noinline, no results, `argTypes` arguments, its body made by `body`.
func::FuncOp
getOrCreateKernel(OpBuilder &b, LoweringContext &context, StringRef name,
                  ArrayRef<Type> argTypes,
                  function_ref<void(KernelBuilder &, ValueRange)> body);

/// Stores the lanes of `mask` of `v`, an i32 vector of `bits`-bit values (8
/// or 16), as elements of that width at `ptr`. AVX-512 (16 lanes) takes
/// vpmovdb's (vpmovdw's) masked truncating store as its intrinsic: LLVM
/// 22's x86 back end miscompiles a `trunc` to i8 followed by a masked store
/// whose mask it knows to hold one lane (it stores the lane's whole i32, 3
/// bytes past the element: a fused residual add of a 49-pixel convolution
/// overwrote the next row's first pixels). Other widths truncate and take
/// the generic masked store.
void storeNarrowMasked(KernelBuilder &k, Value v, Value ptr, Value mask,
                       unsigned bits = 8);

/// The requantization epilogue of the vector kernels, on `lanes` i32
/// accumulators: convert to f32, x multiplier, round half to even, clamp in
/// f32 to [lo - zp, hi - zp], convert (what the reference lowering does).
struct Requantizer {
  Value lo, hi, zp; // the f32 bounds and the i32 zero point, splatted

  /// The splats, made once per kernel from the i64 zp, lo and hi.
  static Requantizer get(KernelBuilder &k, int64_t lanes, Value zp, Value lo,
                         Value hi);
  /// t - zp for the i32 sum `acc` and the f32 multipliers `mult`.
  Value offsetFromZero(KernelBuilder &k, Value acc, Value mult) const;
  /// The same as f32 lanes, before the conversion to i32 (an integer
  /// within the storage range, so exactly what converting back would give):
  /// for an epilogue that dequantizes t again.
  Value roundedOffset(KernelBuilder &k, Value acc, Value mult) const;
  /// t as `bits`-bit lanes (8 or 16), from t - zp.
  Value narrow(KernelBuilder &k, Value offset, unsigned bits = 8) const;
};

/// An f32 value of a fused epilogue quantized as the reference lowering's
/// quantize does it: divided by `scale`, rounded half to even, clamped to
/// [`lo`, `hi`] (the storage range less the zero point, f32) and offset by
/// `zp` (i32), the storage values in i32 lanes. `x` must not be NaN (it is
/// computed from integers): the clamps carry nnan and nsz.
Value quantizeToStorage(KernelBuilder &k, Value x, Value scale, Value lo,
                        Value hi, Value zp);

/// A qc.activation fused into a kernel's epilogue: what the kernel is
/// specialized on (the kind, whether the affine epilogue has a scale and a
/// shift), its run-time arguments after all the kernel's others, and the
/// code. Quantized, the arguments are the sum type's scale, alpha, beta,
/// scale, shift, the result's scale (f32 each), zero point, min and max
/// (i64 each); f32, alpha, beta, scale and shift.
struct ActivationSpec {
  std::optional<ActivationKind> kind;
  bool scale = false, shift = false;

  explicit operator bool() const { return kind.has_value(); }
  /// "" or "_<kind>[_s][_t]", for the kernel's name.
  std::string suffix() const;
  void appendArgTypes(OpBuilder &b, bool isFloat,
                      SmallVectorImpl<Type> &types) const;
};

/// The epilogue code of an ActivationSpec, on `lanes`-wide vectors.
class FusedActivation {
public:
  /// The argument splats, made once per kernel from `args` (the kernel's
  /// arguments from the activation's first).
  FusedActivation(KernelBuilder &k, const ActivationSpec &spec, int64_t lanes,
                  bool isFloat, ValueRange args);
  /// f(x) with the affine epilogue, in the order of qc.activation's
  /// reference lowering (f32 lanes; `fm` as emitActivationFunction's).
  Value apply(KernelBuilder &k, Value x,
              arith::FastMathFlags fm = arith::FastMathFlags::none) const;
  /// From `offset`, t - zp of the 16-bit sum type (f32 lanes, from
  /// Requantizer::roundedOffset): dequantized, f, quantized to the result
  /// (quantizeToStorage), the 8-bit values in i32 lanes.
  Value fromSum(KernelBuilder &k, Value offset) const;

private:
  ActivationSpec spec;
  Value sumScale, alpha, beta, scale, shift, outScale, outZp, outLo, outHi;
};

/// What a GEMM micro-kernel function is specialized on.
struct GemmSpec {
  const DotEmitter *dot = nullptr;
  unsigned lanes = 4, kGroup = 4, tileRows = 1, tileVectors = 1;
  bool isFloat = false;
  /// i32 output that is the accumulator itself (no requantization).
  bool exact = false;
  /// The storage width of a requantized result: 8, or 16 for a 16-bit
  /// product stored as it is (its user does not take it in the epilogue).
  unsigned resultBits = 8;
  /// Per-channel bias/multipliers indexed by row (conv) or column (matmul).
  bool channelIsRow = false;
  bool broadcastIsActivation = true;
  /// AMX tiles: tileRows (16 or 32) x 32 columns per step of 64 K values,
  /// through tile registers 0-3 (C), 4-5 (A, the broadcast operand) and
  /// 6-7 (B, the packed one); `dot` is unused. Valid only while the tile
  /// configuration of emitAmxRunBrackets is loaded.
  bool amx = false;
  /// A fused residual add after the requantization (u8 or i8 residual), or
  /// for f32 to the sums before the clamp: see getGemmKernel.
  bool residual = false, residualUnsigned = true;
  /// f32 only: K groups per cache block (0: all of K in one pass). Each
  /// block after the first starts from the partial sums the previous one
  /// stored in C instead of from the bias. Needs rows to be a multiple of
  /// tileRows (no overlapping last row tile).
  int64_t blockGroups = 0;
  /// f32 only: the second operand is not packed but read where it is, a
  /// row-major [K][cols] matrix `ldy` values per row (an extra last
  /// argument); the tail tile's loads are masked to the columns there are.
  bool stridedY = false;
  /// f32 only: a fused clamp of the sums (`maximumf` with a lower bound,
  /// then `minimumf` with an upper one, each an f32 argument after the
  /// others), applied where the last K block is stored.
  bool clampLo = false, clampHi = false;
  /// A fused qc.activation (see getGemmKernel).
  ActivationSpec activation;

  int64_t tileCols() const { return int64_t(lanes) * tileVectors; }
  std::string getName() const;
};

/// The raw pointer (!llvm.ptr) to the first element of a memref (its
/// aligned pointer advanced by its offset).
Value getPointer(OpBuilder &b, Location loc, Value memref);

/// C[r][c] = epilogue(sum_k X[r][k] * Y(k, c) + bias) for r < rows, c < cols.
/// Arguments, in order: X (rows of ldx elements), ldx, packed Y
/// ([ceil(cols/NR)][groups][NR][kGroup]), groups (K / kGroup), C, ldc, bias,
/// multipliers (null for f32 and exact kernels: pass any pointer), rows,
/// cols, blockRows, output zero point, output min, output max (i64 each).
/// With `residual`, the requantized value t (of the sum type: the zero
/// point, min and max above are its) is added to a residual tensor laid
/// out as C, as qc.add does it: quantize(dequantize(t) + dequantize(r)),
/// with these further arguments: residual (ptr, ldc apart), its zero point
/// (i64), its scale, the sum type's scale, the result scale (f32 each), the
/// result zero point, min and max (i64 each).
/// With `activation`, quantized: the requantized value t (of the sum type,
/// as for the residual) becomes the result quantize(f(dequantize(t))) as
/// qc.activation's reference computes it in f32; f32: f of each sum after
/// the residual and before the clamp. Its arguments (ActivationSpec) follow
/// all the others.
/// rows must be at least tileRows.
func::FuncOp getGemmKernel(LoweringState &state, const GemmSpec &spec);

/// The shape of one convolution's window, for im2col.
struct ConvGeometry {
  int64_t cg, h, w, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl;
};

/// im2col, step 1, for one convolution (its lengths are compile-time
/// constants) and the output rows [oy0, oy1) (run-time values):
/// rows[(ci, ky, kx)][(oy - oy0) * ow + ox] for the group whose first input
/// plane `input` points to, `pad` (the element type) where the window reads
/// the padding.
void emitIm2Rows(KernelBuilder &k, Value input, Value rows, Type element,
                 const ConvGeometry &g, Value pad, Value oy0, Value oy1);

/// im2col, step 1 as a shared function of (input, rows, oy0, oy1): one per
/// distinct geometry, element type and pad value (`padBits`: the i8 zero
/// point; f32 pads with 0 and passes 0), so that convolutions of one shape
/// (the repeated blocks of a network) share its code. Its loops are tagged
/// not to be unrolled (qc-no-unroll).
func::FuncOp getIm2RowsKernel(LoweringState &state, Type element,
                              const ConvGeometry &g, int64_t padBits);

/// im2col, step 2: rows [depth][cols] (row stride ldr) into the packed
/// layout [ceil(cols/NR)][paddedDepth/kGroup][NR][kGroup], zero past depth
/// and cols, XOR 0x80 with `shift`. Arguments: rows, ldr, packed, depth,
/// cols, paddedDepth (i64; depth rounded up to a multiple of kGroup or of
/// the kernel's larger K step). `maskedTail`: the last, partial column tile
/// with masked vector loads (targets with AVX-512's masked moves) instead
/// of element by element.
func::FuncOp getPackRowsKernel(LoweringState &state, Type element,
                               unsigned kGroup, int64_t nr, bool shift,
                               bool maskedTail);

/// What a depthwise function is specialized on.
struct DepthwiseSpec {
  Type input;           // i8 or f32 storage
  bool inputUnsigned = true;
  bool isFloat = false;
  bool exact = false;   // i32 result, the accumulator itself
  unsigned resultBits = 8; // a requantized result's storage: 8 or 16
  int64_t strideW = 1;  // 1 or 2, or 0 for a run-time stride
  /// Output pixels per vector chunk (a power of two, at most the output
  /// width: the last chunk of a row overlaps the one before it).
  int64_t lanes = 16;
  /// A fused qc.activation, as getGemmKernel's.
  ActivationSpec activation;
  std::string getName() const;
};

/// One image: out[c][y][x] = epilogue(bias[c] + sum_{ky,kx}
/// planes[c][y*sh + ky*dh][x*sw + kx*dw] * w[c][ky][kx]) over padded planes,
/// the taps accumulated in registers, `lanes` output pixels at a time.
/// Arguments: planes, weights, bias, multipliers, out, c, hp, wp, oh, ow,
/// kh, kw, sh, sw, dh, dw, zp, lo, hi (of the sum type with an activation),
/// then the activation's. ow must be at least `lanes`.
func::FuncOp getDepthwiseKernel(LoweringState &state, const DepthwiseSpec &spec);

/// DepthwiseDot.cpp: the depthwise kernel on vpdpbusd and vpermb (AVX-512
/// VNNI and VBMI), specialized on the whole geometry: u8 input planes
/// padded to hp x wp, i32 weights (w - zp_w, within s8), dilation 1.
struct DepthwiseDotSpec {
  int64_t oh = 0, ow = 0, hp = 0, wp = 0, kh = 0, kw = 0, sh = 1, sw = 1;
  /// Whole output rows per vector of 16 pixels (1 for rows of 16 or more).
  int64_t rows = 1;
  bool exact = false; // i32 result, the accumulator itself
  unsigned resultBits = 8; // a requantized result's storage: 8 or 16
  /// A fused qc.activation, as getGemmKernel's.
  ActivationSpec activation;

  /// The spec for a geometry, or none where a vector's window of input
  /// bytes would not fit 64 bytes or the kernel is wider than 8 taps.
  static std::optional<DepthwiseDotSpec> get(int64_t oh, int64_t ow, int64_t hp,
                                             int64_t wp, int64_t kh, int64_t kw,
                                             int64_t sh, int64_t sw);
  /// Output columns per row of a vector, lanes a vector stores, the input
  /// offset of a lane's first tap from the vector's first and the bytes
  /// of input row a vector reads.
  int64_t columnsPerRow() const;
  int64_t lanesUsed() const;
  int64_t offset(int64_t lane) const;
  int64_t span() const;
  std::string getName() const;
};

/// One image: out[c][y][x] = epilogue(bias[c] + sum planes * w) as
/// getDepthwiseKernel's. Arguments: planes, weights, bias, multipliers,
/// out, c, zp, lo, hi, then the activation's.
func::FuncOp getDepthwiseDotKernel(LoweringState &state,
                                   const DepthwiseDotSpec &spec);

/// AmxRuntime.cpp: whether this process may use AMX tiles, an i1 read from the
/// module's AMX state, which emitAmxRunBrackets sets once per process.
Value emitAmxReady(OpBuilder &b, Location loc, LoweringContext &context);

/// Brackets each model function that calls AMX kernels: at entry, the
/// first call in the process asks Linux for the tile state
/// (arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)) and records the
/// answer atomically; if granted, the tile configuration (8 tiles of 16
/// rows x 64 bytes) is loaded, once per run; before each return the tiles
/// are released. Refused, the kernels take their VNNI fallback.
void emitAmxRunBrackets(LoweringContext &context,
                        ArrayRef<func::FuncOp> models);

} // namespace mlir::qc::lowering

#endif // QC_LIB_CONVERSION_QCTOLINALG_MICROKERNELS_H
