//===- Lowering.h - Shared machinery of the qc lowering ---------*- C++ -*-===//
//
// The interface between convert-qc-to-linalg (which rewrites function
// signatures and applies the patterns) and the per-op-family lowerings
// (OpLowering, run by LoweringPattern), plus the scalar/vector helpers that
// spell out qc's numerics in arith ops. Every helper here computes exactly
// what lib/Support/QuantMath.cpp defines.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_CONVERSION_QCTOLINALG_LOWERING_H
#define QC_LIB_CONVERSION_QCTOLINALG_LOWERING_H

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Support/QuantMath.h"
#include "qc/Support/TargetDesc.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/StringMap.h"

#include <memory>

namespace mlir::qc::lowering {

/// How a tensor's elements are stored in memory.
struct ElementInfo {
  /// f32, or the signless integer of the storage width (i1 for a bool,
  /// which memory holds as one byte).
  Type storage;
  /// Whether integer storage is unsigned (u8, ui8).
  bool isUnsigned = false;
  /// The quantized type, for tensors of !quant.uniform.
  quant::QuantizedType quant;

  bool isFloat() const { return isa<FloatType>(storage); }
  unsigned bits() const { return storage.getIntOrFloatBitWidth(); }
};

ElementInfo getElementInfo(Type tensorType);

/// The memref type a tensor is stored in (static shape, identity layout).
MemRefType getBufferType(Type tensorType);

struct LoweringOptions {
  /// The target the kernels and fast paths are for (null: reference only).
  const TargetDesc *target = nullptr;
  /// Lower each op into a function of its own (called from the model
  /// function), so that LLVM optimizes many small functions rather than
  /// one huge one.
  bool outline = true;
};

/// What the patterns of one lowering run share: the module constants made
/// so far (one memref.global per distinct value) and the names handed out.
class LoweringContext {
public:
  explicit LoweringContext(ModuleOp module) : module(module) {}

  ModuleOp module;
  llvm::DenseMap<Attribute, memref::GlobalOp> globals;
  unsigned nextGlobal = 0;
  unsigned nextFunction = 0;
  /// Shared micro-kernel functions by name.
  llvm::StringMap<func::FuncOp> kernels;
  /// Whether some kernel runs on AMX tiles (the model functions then
  /// request and configure them: emitAmxRunBrackets).
  bool usesAmx = false;
};

/// What an op lowering sees: the memrefs of its operands and result, its
/// scratch buffers, and helpers to create module-level constants.
class LoweringState {
public:
  LoweringState(OpBuilder &builder, LoweringContext &context,
                const LoweringOptions &options)
      : builder(builder), module(context.module), options(options),
        context(context) {}

  OpBuilder &builder;
  ModuleOp module;
  const LoweringOptions &options;
  LoweringContext &context;

  /// Operand buffers (absent optional operands are not listed, as in
  /// Operation::getOperands), the buffer of result #0 and of every result,
  /// and the scratch buffers the lowering asked for, in order.
  SmallVector<Value> operands;
  Value result;
  SmallVector<Value> results;
  SmallVector<Value> scratch;

  /// A read-only buffer holding `value` (a memref.global in the module).
  Value getConstantBuffer(Location loc, DenseElementsAttr value,
                          unsigned alignment = 64);
};

/// One op kind's lowering onto buffers. Its pattern (LoweringPattern) asks
/// whether it applies, for the scratch buffers it needs (once: the
/// workspace plan reads the allocations), then has it emit the code.
class OpLowering {
public:
  virtual ~OpLowering() = default;
  /// Whether this lowering applies to `op`; otherwise `why` says why not
  /// (reported through notifyMatchFailure).
  virtual LogicalResult match(Operation *op, const LoweringOptions &,
                              std::string &why) const {
    return success();
  }
  virtual SmallVector<MemRefType> getScratch(Operation *op,
                                             const LoweringOptions &) const {
    return {};
  }
  virtual LogicalResult lower(Operation *op, LoweringState &state) const = 0;
};

/// The conversion pattern that runs an OpLowering: allocates the result
/// buffers (or writes straight into the model's output buffer when the
/// result is returned) and the scratch buffers, emits the code (in a
/// function of its own with `outline`) and replaces the op by its buffers.
class LoweringPattern : public ConversionPattern {
public:
  LoweringPattern(StringRef opName, std::unique_ptr<OpLowering> lowering,
                  const TypeConverter &converter, MLIRContext *ctx,
                  LoweringContext &context, const LoweringOptions &options,
                  PatternBenefit benefit = 1);

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override;

private:
  std::unique_ptr<OpLowering> lowering;
  LoweringContext &context;
  const LoweringOptions &options;
};

/// Collects LoweringPatterns: `add<OpT>(lowering)` lowers OpT with it.
class LoweringPatterns {
public:
  LoweringPatterns(RewritePatternSet &patterns, const TypeConverter &converter,
                   LoweringContext &context, const LoweringOptions &options)
      : patterns(patterns), converter(converter), context(context),
        options(options) {}

  template <typename OpT>
  void add(std::unique_ptr<OpLowering> lowering, PatternBenefit benefit = 1) {
    patterns.add<LoweringPattern>(OpT::getOperationName(), std::move(lowering),
                                  converter, patterns.getContext(), context,
                                  options, benefit);
  }
  template <typename OpT, typename LoweringT, typename... Args>
  void add(Args &&...args) {
    add<OpT>(std::make_unique<LoweringT>(std::forward<Args>(args)...));
  }
  const LoweringOptions &getOptions() const { return options; }

private:
  RewritePatternSet &patterns;
  const TypeConverter &converter;
  LoweringContext &context;
  const LoweringOptions &options;
};

/// The reference lowering of every qc op, one pattern per op (the oracle
/// the kernels are tested against; it never calls them).
void populateQuantizationLoweringPatterns(LoweringPatterns &patterns);
void populateElementwiseLoweringPatterns(LoweringPatterns &patterns);
void populatePoolingLoweringPatterns(LoweringPatterns &patterns);
void populateDataMovementLoweringPatterns(LoweringPatterns &patterns);
/// Pad, resize, broadcast and gather (Resample.cpp).
void populateResampleLoweringPatterns(LoweringPatterns &patterns);
void populateNormalizationLoweringPatterns(LoweringPatterns &patterns);
void populateProductLoweringPatterns(LoweringPatterns &patterns);
void populateConvTransposeLoweringPatterns(LoweringPatterns &patterns);
void populateReductionLoweringPatterns(LoweringPatterns &patterns);
/// Comparisons, selection, bool logic, casts, modulus and the integer forms
/// of add/sub/mul/div/max/min (Logic.cpp).
void populateLogicLoweringPatterns(LoweringPatterns &patterns);
/// The micro-kernel lowerings of qc.packed_*: one pattern per kernel kind
/// (vnni512/vnni256, avx2-maddwd, neon-sdot, fma, depthwise).
void populateKernelLoweringPatterns(LoweringPatterns &patterns);
/// Target-specific fast paths of ops other than products (vectorized max
/// pooling of small images), preferred over the reference patterns.
void populateFastPathLoweringPatterns(LoweringPatterns &patterns);
/// Elementwise.cpp: 8-bit tables looked up 64 bytes at a time (AVX-512
/// VBMI), for the unary ops the reference lowers to scalar table loads.
void populateElementwiseFastPathPatterns(LoweringPatterns &patterns);

//===----------------------------------------------------------------------===//
// Numerics helpers. Each accepts scalars or vectors of the same shape.
//===----------------------------------------------------------------------===//

/// A constant of `type` (scalar, or splat vector).
Value constantOf(OpBuilder &b, Location loc, Type type, double value);
Value constantOf(OpBuilder &b, Location loc, Type type, int64_t value);

/// `type` with its element type replaced (vector shape kept).
Type withElement(Type type, Type element);

/// Extends a storage integer to `to` (zero- or sign-extension).
Value extendInteger(OpBuilder &b, Location loc, Value v, bool isUnsigned,
                    Type to);

/// f32(q - zp) * scale. `zp` is i32-typed, `scale` f32-typed (same shape as
/// q, or scalars broadcast by the caller).
Value emitDequantize(OpBuilder &b, Location loc, Value q, bool isUnsigned,
                     Value zp, Value scale);

/// The common tail of quantization: x (f32, already divided or multiplied
/// by the scale) -> roundHalfToEven -> clamp to [qmin - zp, qmax - zp] in
/// f32 -> integer -> + zp -> storage integer of `bits`. `zp` is i64-typed.
Value emitRoundClampToStorage(OpBuilder &b, Location loc, Value x, Value zp,
                              StorageRange range, unsigned bits);

/// quantize(x) = emitRoundClampToStorage(x / scale, ...).
Value emitQuantize(OpBuilder &b, Location loc, Value x, Value scale, Value zp,
                   StorageRange range, unsigned bits);

/// Builds a linalg.generic on buffers.
void buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                  ValueRange outputs, ArrayRef<AffineMap> maps,
                  ArrayRef<utils::IteratorType> iterators,
                  function_ref<void(OpBuilder &, Location, ValueRange)> body);

/// Identity maps and all-parallel iterators for `rank` dims.
SmallVector<utils::IteratorType> parallelIterators(unsigned rank);

/// The numpy-broadcasting map from an output of `outShape` to an operand of
/// `inShape` (aligned to the right; size-1 dims broadcast).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inShape,
                       ArrayRef<int64_t> outShape);

/// A map reading only dim `axis` of `rank` dims (per-channel parameters).
AffineMap axisMap(MLIRContext *ctx, unsigned rank, unsigned axis);

/// Per-tensor or per-axis parameters of a quantized type as generic
/// inputs: returns (scales, zero points) as either scalar constants (with a
/// null map) or constant buffers indexed by `axisMap`.
struct ParamOperands {
  /// f32 scale and i32 zero point scalars when per-tensor.
  double scale = 1.0;
  int64_t zeroPoint = 0;
  /// Per-axis: buffers of f32 scales and i32 zero points, and the axis.
  Value scales, zeroPoints;
  int64_t axis = -1;
  bool perAxis() const { return static_cast<bool>(scales); }
};
ParamOperands getParamOperands(LoweringState &state, Location loc,
                               quant::QuantizedType type);

/// Fills a buffer with a scalar value.
void emitFill(OpBuilder &b, Location loc, Value buffer, Value value);

/// Copies `src` into `dst` (same shape), via a generic (no runtime library).
void emitCopy(OpBuilder &b, Location loc, Value src, Value dst);

/// A pointwise generic over `output`'s shape: `inputs` (broadcast against
/// the output), `body(args)` returns the output element.
void emitPointwise(OpBuilder &b, Location loc, ValueRange inputs, Value output,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Reads element `v` of a tensor stored per `info` as f32 (dequantizing a
/// quantized value; the params come from `p`, per-axis ones as extra block
/// arguments `scale`, `zp` when given).
Value toFloat(OpBuilder &b, Location loc, Value v, const ElementInfo &info,
              const ParamOperands &p, Value scale = Value(),
              Value zp = Value());

/// Converts an f32 value to the storage of `info` (quantizing per-tensor).
Value fromFloat(OpBuilder &b, Location loc, Value x, const ElementInfo &info);

/// qc.activation's function `kind` of the f32 scalar or vector `x`, in the
/// order of the op's description (without its affine epilogue and factors):
/// what its reference lowering and the kernels' fused epilogues compute.
/// `alpha` and `beta` (hard_sigmoid's, of x's type) may be run-time values.
/// `fm` goes on its maximumf/minimumf: a kernel whose x is never NaN and
/// whose result is rounded to an integer passes nnan and nsz (the sign of a
/// zero cannot change the integer), which lowers them to plain vmaxps/vminps.
Value emitActivationFunction(
    OpBuilder &b, Location loc, Value x, ActivationKind kind, Value alpha,
    Value beta, arith::FastMathFlags fm = arith::FastMathFlags::none);

/// Whether `v` is a contiguous buffer (identity layout, static shape) that
/// reshapeBuffer can view with another shape.
bool isContiguous(Value v);

/// A view of `buffer` (identity layout, contiguous) with another shape.
Value reshapeBuffer(OpBuilder &b, Location loc, Value buffer,
                    ArrayRef<int64_t> shape);

/// The storage range the quantized result of a conv2d or matmul saturates
/// to: its type's storage range narrowed by the fused output clamp.
StorageRange getProductOutputRange(Operation *op);

/// result = requantize(acc + bias) with per-channel multipliers along
/// `channelDim` of `result`, saturated to `range`.
void emitRequantEpilogue(LoweringState &state, Location loc, Value acc,
                         Value result, unsigned channelDim, Value bias,
                         ArrayRef<float> multipliers, Type outputType,
                         StorageRange range);

/// Zero points of a (possibly per-axis) weight as an i32 buffer of `shape`
/// (one per output channel, laid out as the caller's map expects).
Value weightZeroPoints(LoweringState &state, Location loc, Type weight,
                       ArrayRef<int64_t> shape);

/// acc + (x - zx) * (w - zw) in i32, or fma(x, w, acc) in f32 (one rounding
/// per product, in K order: what the f32 kernels compute).
Value multiplyAccumulate(OpBuilder &b, Location l, Value acc, Value x, Value w,
                         Value zw, const ElementInfo &xi, const ElementInfo &wi,
                         int64_t zx);

/// The dense value of a constant (arith.constant or qc.constant), or null.
DenseElementsAttr getConstant(Value v);

} // namespace mlir::qc::lowering

#endif // QC_LIB_CONVERSION_QCTOLINALG_LOWERING_H
