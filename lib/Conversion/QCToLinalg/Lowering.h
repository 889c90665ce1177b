//===- Lowering.h - Shared machinery of the qc lowering ---------*- C++ -*-===//
//
// The interface between the driver of convert-qc-to-linalg (which plans the
// workspace and rewrites functions) and the per-op-family lowerings, plus
// the scalar/vector helpers that spell out qc's numerics in arith ops. Every
// helper here computes exactly what lib/Support/QuantMath.cpp defines.
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
#include "llvm/ADT/StringMap.h"

#include <memory>

namespace mlir::qc::lowering {

/// How a tensor's elements are stored in memory.
struct ElementInfo {
  /// f32, or the signless integer of the storage width.
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
  const TargetDesc *target = nullptr;
  bool reference = false;
  /// Cache budget of a GEMM row block in bytes (0: the target's).
  uint64_t blockBytes = 0;
};

/// What an op lowering sees: the memrefs of its operands and result, its
/// scratch buffers, and helpers to create module-level constants.
class LoweringState {
public:
  LoweringState(OpBuilder &builder, ModuleOp module,
                const LoweringOptions &options)
      : builder(builder), module(module), options(options) {}

  OpBuilder &builder;
  ModuleOp module;
  const LoweringOptions &options;

  /// Operand buffers (null for an operand that is absent), the result's, and
  /// the scratch buffers the lowering asked for, in order.
  SmallVector<Value> operands;
  /// The buffer of result #0, and of every result.
  Value result;
  SmallVector<Value> results;
  SmallVector<Value> scratch;

  /// A read-only buffer holding `value` (a memref.global in the module).
  Value getConstantBuffer(Location loc, DenseElementsAttr value,
                          unsigned alignment = 64);

private:
  unsigned nextGlobal = 0;
  llvm::DenseMap<Attribute, memref::GlobalOp> globals;
};

/// One op's lowering. The driver first asks for the scratch buffers the op
/// needs (to plan the workspace), then calls lower() with them.
class OpLowering {
public:
  virtual ~OpLowering() = default;
  virtual SmallVector<MemRefType> getScratch(Operation *op,
                                             const LoweringOptions &) const {
    return {};
  }
  virtual LogicalResult lower(Operation *op, LoweringState &state) const = 0;
};

using LoweringRegistry = llvm::StringMap<std::unique_ptr<OpLowering>>;

void registerQuantizationLowerings(LoweringRegistry &registry);
void registerElementwiseLowerings(LoweringRegistry &registry);
void registerPoolingLowerings(LoweringRegistry &registry);
void registerDataMovementLowerings(LoweringRegistry &registry);
void registerNormalizationLowerings(LoweringRegistry &registry);
void registerProductLowerings(LoweringRegistry &registry);

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

} // namespace mlir::qc::lowering

#endif // QC_LIB_CONVERSION_QCTOLINALG_LOWERING_H
