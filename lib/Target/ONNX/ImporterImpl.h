//===- ImporterImpl.h - Internals of the ONNX importer ----------*- C++ -*-===//
//
// The importer's state (value and constant tables, the builder) and the
// host-side tensors used to fold shape computations and weights at import.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LIB_TARGET_ONNX_IMPORTERIMPL_H
#define QC_LIB_TARGET_ONNX_IMPORTERIMPL_H

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Target/ONNX/Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/onnx_pb.h>

namespace mlir::qc::onnximport {

/// ONNX element types the importer handles.
enum class DType { F32, U8, I8, I32, I64, Bool, F64, Unknown };

DType fromOnnx(int32_t dataType);
const char *dtypeName(DType t);
/// The name of an ONNX TensorProto element type as ONNX spells it
/// ("FLOAT16", "STRING"), also for the ones qc does not support.
std::string onnxTypeName(int32_t onnxType);

/// A constant known at import time (weights, shapes): values held as double,
/// which is exact for f32 and for the integers that occur in shapes.
/// The most elements a tensor may have by default (larger shapes are
/// rejected at import rather than overflowing later; see
/// ImportOptions::maxTensorElements).
constexpr int64_t kMaxTensorElements = int64_t(1) << 32;

/// A limit as diagnostics show it: "2^32" for a power of two, else decimal.
std::string limitText(int64_t limit);

struct Const {
  DType dtype = DType::F32;
  SmallVector<int64_t> shape;
  std::vector<double> values;

  int64_t numElements() const;
  /// The value as a scalar, for shape-like attributes.
  bool isScalar() const { return values.size() == 1; }
  std::vector<int64_t> asInts() const;
};

/// Converts a TensorProto to a Const, or returns the reason it cannot.
/// The dims must be >= 0 with at most `maxElements` elements; nothing is
/// allocated before the data is known to match them.
std::string toConst(const onnx::TensorProto &tensor, Const &out,
                    int64_t maxElements = kMaxTensorElements);

/// Builds the attribute of a constant for `type` (f32, or integer storage).
DenseElementsAttr toAttr(const Const &c, MLIRContext *ctx);

/// The MLIR element type for an ONNX element type.
Type elementType(DType t, MLIRContext *ctx);

class Importer {
public:
  Importer(MLIRContext *ctx, const onnx::ModelProto &model,
           const ImportOptions &options, StringRef fileName);
  OwningOpRef<ModuleOp> run();

  // --- Used by the per-op importers -------------------------------------
  OpBuilder b;
  MLIRContext *ctx;
  const onnx::NodeProto *node = nullptr;
  Location loc;
  int64_t opset = 13;

  InFlightDiagnostic error();
  /// Whether input `i` is given (ONNX marks absent optional inputs "").
  bool has(int i) const;
  bool isConst(int i) const;
  const Const &constant(int i) const;
  /// The runtime value of input `i` (materializing a constant).
  FailureOr<Value> value(int i);
  /// The input's shape and element type (constant or runtime).
  SmallVector<int64_t> shapeOf(int i);
  void define(int output, Value v);
  void defineConst(int output, Const c);
  /// Whether output `i` is used by any node or as a graph output.
  bool used(int output) const;
  /// How many nodes read the value named `name`.
  int64_t consumers(StringRef name) const;
  /// Whether `name` is an output of the graph.
  bool isGraphOutput(StringRef name) const {
    return graphOutputs.contains(name);
  }

  /// The most elements a tensor may have (ImportOptions::maxTensorElements).
  int64_t maxElements() const { return options.maxTensorElements; }

  int64_t attrInt(StringRef name, int64_t dflt) const;
  float attrFloat(StringRef name, float dflt) const;
  std::string attrString(StringRef name, StringRef dflt) const;
  std::optional<std::vector<int64_t>> attrInts(StringRef name) const;
  const onnx::AttributeProto *attr(StringRef name) const;

  Value materialize(const Const &c);
  RankedTensorType f32Type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }
  static SmallVector<int64_t> shape(Value v) {
    return SmallVector<int64_t>(cast<ShapedType>(v.getType()).getShape());
  }

  /// The QDQ helpers shared by QuantizeLinear/DequantizeLinear and the
  /// QOperator ops: quantize an f32 value with (scale, zero point) given
  /// as constants (typed result) or runtime values (integer result).
  struct Params {
    // Either constants...
    std::optional<Const> scale, zeroPoint;
    // ...or runtime values.
    Value scaleValue, zeroPointValue;
    DType storage = DType::U8;
    int64_t axis = 1;
  };
  FailureOr<Params> params(int scaleInput, int zpInput, int64_t axis,
                           DType defaultStorage = DType::U8);
  /// Checks `p` against the data it applies to (one value, or one per
  /// slice along `p.axis`) and reshapes the parameters to a scalar or 1-D
  /// with a non-negative axis.
  LogicalResult fitParams(Params &p, ArrayRef<int64_t> dataShape);
  FailureOr<Value> quantizeValue(Value x, const Params &p);
  FailureOr<Value> dequantizeValue(int input, const Params &p);
  FailureOr<Value> dequantizeValue(Value x, const Params &p);
  /// A quantized constant of integers `c` with parameters `p`.
  FailureOr<Value> quantizedConstant(const Const &c, const Params &p);
  FailureOr<quant::QuantizedType> quantType(const Params &p, int64_t rank);

private:
  /// Checks the graph's structure before importing it: outputs exist, every
  /// value has one producer, produced before its use.
  LogicalResult validateGraph();
  LogicalResult importInputs();
  LogicalResult importNode(const onnx::NodeProto &n, int index);

  const onnx::ModelProto &model;
  const onnx::GraphProto &graph;
  const ImportOptions &options;
  std::string fileName;
  ModuleOp module;
  llvm::StringMap<Value> values;
  llvm::StringMap<Const> constants;
  llvm::StringMap<int64_t> uses;
  llvm::StringSet<> graphOutputs;
};


/// The number of elements of a shape.
inline int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The per-dim bounds and steps a Slice node selects from a tensor of
/// `shape` (attributes before opset 10, constant inputs since), clamped to
/// the tensor: elements lo, lo + step, ... short of hi (hi < lo for a
/// negative step), `sizes` of them. Fails (without a diagnostic; the reason
/// in `why`) when a bound is not constant, an axis is invalid or a step is
/// 0.
struct SliceBounds {
  SmallVector<int64_t> lo, hi, steps, sizes;
};
FailureOr<SliceBounds> getSliceBounds(Importer &im, ArrayRef<int64_t> shape,
                                      std::string *why = nullptr);

/// Imports one node; returns failure after reporting an error.
LogicalResult importOp(Importer &im, StringRef opType);

/// Imports the activation and math-function operators (ActivationOps.cpp):
/// nullopt for an operator it does not handle.
std::optional<LogicalResult> importActivationOp(Importer &im, StringRef opType);
/// The data-movement operators (DataMovementOps.cpp): Pad, Resize,
/// Upsample, Expand, Tile, DepthToSpace, SpaceToDepth, Gather and
/// GatherElements with constant indices, Einsum, and the errors of Range
/// and ConstantOfShape on run-time values. std::nullopt for other ops.
std::optional<LogicalResult> importDataMovementOp(Importer &im,
                                                  StringRef opType);

//===----------------------------------------------------------------------===//
// Shared by the operator files (Ops.cpp, QuantOps.cpp)
//===----------------------------------------------------------------------===//

/// An axis attribute in [-rank, rank) as an index in [0, rank).
int64_t normalizeAxis(int64_t axis, int64_t rank);
/// "2x3x4", for messages.
std::string shapeStr(ArrayRef<int64_t> shape);
/// The element type of a shaped value.
Type elementOf(Value v);
/// Input `i` of the node as an f32 tensor, or an error naming it.
FailureOr<Value> floatInput(Importer &im, int i);
/// A convolution of x by w (+ bias) with the node's attributes.
LogicalResult importConvLike(Importer &im, Value x, Value w, Value bias,
                             Value &result);
/// a x b with ONNX MatMul broadcasting, as `result`.
LogicalResult importMatMulLike(Importer &im, Value a, Value b, Value &result);
/// Gemm (alpha, beta, transA, transB from the node) of f32 a, b and the
/// optional c.
LogicalResult importGemmLike(Importer &im, Value a, Value b, Value c,
                             Value &result);
/// Max or average pooling (attributes from the node) of `x`; `global`
/// pools the whole spatial extent. Max pooling keeps a quantized x's type.
LogicalResult importPoolLike(Importer &im, Value x, bool isMax, bool global,
                             Value &result);

/// The quantization operators (QuantOps.cpp).
LogicalResult importQuantizeLinear(Importer &im);
LogicalResult importDequantizeLinear(Importer &im);
LogicalResult importQLinear(Importer &im, bool isConv);
LogicalResult importIntegerProduct(Importer &im, bool isConv);
LogicalResult importDynamicQuantize(Importer &im);
/// ONNX Runtime's contrib QOperator ops (domain com.microsoft) that its
/// quantizer writes: QLinearAdd, QLinearMul, QLinearSigmoid,
/// QLinearLeakyRelu, QLinearConcat, QLinearGlobalAveragePool,
/// QLinearAveragePool, QGemm. Returns nullopt for other ops.
std::optional<LogicalResult> importContribOp(Importer &im, StringRef opType);

/// ConvTranspose, the normalizations and reductions of ConvNormOps.cpp:
/// the result of importing `opType`, or std::nullopt if it is none of them.
std::optional<LogicalResult> importConvNormOp(Importer &im, StringRef opType);

/// Folds `opType` on all-constant inputs. NotFolded: it cannot (the node is
/// then imported as runtime code, or rejected); Failed: the node is invalid
/// and an error has been reported.
enum class FoldResult { Folded, NotFolded, Failed };
FoldResult foldOp(Importer &im, StringRef opType);

/// The comparison, logic, Cast, Mod, Sum/Mean and integer arithmetic
/// operators (LogicOps.cpp): imports the node, or returns nullopt for an
/// operator (or a form of it, such as float Add) it does not handle.
std::optional<LogicalResult> importLogicOp(Importer &im, StringRef opType);
/// Their constant folds, with the run-time semantics; nullopt for the
/// operators (and forms) left to foldOp.
std::optional<FoldResult> foldLogicOp(Importer &im, StringRef opType);

} // namespace mlir::qc::onnximport

#endif // QC_LIB_TARGET_ONNX_IMPORTERIMPL_H
