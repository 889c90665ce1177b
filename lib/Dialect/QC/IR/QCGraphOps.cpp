//===- QCGraphOps.cpp - qc graph ops: verifiers and propagation rules -----===//
//
// Shape and type checks of the graph ops (convolution, matmul, elementwise,
// pooling, data movement, normalization) for their f32 and quantized forms,
// and each op's QuantPropagationInterface rule.
//
//===----------------------------------------------------------------------===//

#include "GraphOpVerifiers.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstring>
#include <numeric>

using namespace mlir;
using namespace mlir::qc;

#include "qc/Dialect/QC/IR/QCInterfaces.cpp.inc"

static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  os << "]";
  return s;
}

/// Checks the element types of a graph op: operands and results are either
/// all f32 or all quantized (or all of one bool or integer type), every
/// quantized type is valid, and only the operands in `perAxisOperands` may
/// be quantized per axis.
LogicalResult qc::verifyGraphTypes(Operation *op,
                                   ArrayRef<unsigned> perAxisOperands,
                                   bool perAxisResult) {
  auto emitError = [&] { return op->emitOpError(); };
  // Bool and integer tensors (masks, indices) are neither f32 nor
  // quantized: an op on them has that one element type throughout.
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  auto isPlain = [](Type t) {
    return isa<IntegerType>(getElementTypeOrSelf(t));
  };
  if (auto it = llvm::find_if(types, isPlain); it != types.end()) {
    Type plain = getElementTypeOrSelf(*it);
    for (Type t : types)
      if (getElementTypeOrSelf(t) != plain)
        return op->emitOpError("operands and results must all have the "
                               "element type ")
               << plain << " when one has it, got " << getElementTypeOrSelf(t);
    return success();
  }
  std::optional<bool> quantized;
  auto check = [&](Type type, std::string what,
                   bool mayBePerAxis) -> LogicalResult {
    bool q = isQuantized(type);
    if (quantized && *quantized != q)
      return op->emitOpError("operands and results must be all f32 or all "
                             "quantized; ")
             << what << " is " << (q ? "quantized" : "f32");
    quantized = q;
    if (failed(verifyQuantizedTensorType(emitError, type, what)))
      return failure();
    if (!mayBePerAxis && getPerAxisType(type))
      return op->emitOpError("per-channel quantization is only supported for "
                             "weights and biases; ")
             << what << " is per-channel";
    return success();
  };
  for (OpOperand &operand : op->getOpOperands())
    if (failed(check(operand.get().getType(),
                     "operand #" + std::to_string(operand.getOperandNumber()),
                     llvm::is_contained(perAxisOperands,
                                        operand.getOperandNumber()))))
      return failure();
  for (OpResult result : op->getResults())
    if (failed(check(result.getType(),
                     "result #" + std::to_string(result.getResultNumber()),
                     perAxisResult)))
      return failure();
  return success();
}

/// Checks `shape` against the shape a verifier computed.
LogicalResult qc::verifyResultShape(Operation *op, ShapedType resultType,
                                    ArrayRef<int64_t> expected) {
  if (resultType.getShape() == expected)
    return success();
  return op->emitOpError("result shape ")
         << shapeStr(resultType.getShape()) << " does not match the expected "
         << shapeStr(expected);
}

LogicalResult qc::verifyWindowAttrs(Operation *op, ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations) {
  auto positive = [](int64_t v) { return v > 0; };
  if (strides.size() != 2 || !llvm::all_of(strides, positive))
    return op->emitOpError("'strides' must hold 2 positive values");
  if (pads.size() != 4 || llvm::any_of(pads, [](int64_t v) { return v < 0; }))
    return op->emitOpError(
        "'pads' must hold 4 non-negative values [top, left, bottom, right]");
  if (dilations.size() != 2 || !llvm::all_of(dilations, positive))
    return op->emitOpError("'dilations' must hold 2 positive values");
  return success();
}

/// Output size of a sliding window along one dim, or -1 if the dilated
/// window does not fit the padded input.
static int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                int64_t padBegin, int64_t padEnd,
                                int64_t dilation, bool ceilMode) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t room = in + padBegin + padEnd - span;
  if (room < 0)
    return -1;
  int64_t out = (ceilMode ? (room + stride - 1) / stride : room / stride) + 1;
  // With ceil mode, a last window starting in the end padding is dropped.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

/// The NCHW output shape of a convolution or pooling window over `input`.
static FailureOr<SmallVector<int64_t>>
windowOutputShape(Operation *op, ArrayRef<int64_t> input, int64_t channels,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                  bool ceilMode) {
  SmallVector<int64_t> shape = {input[0], channels};
  for (int d = 0; d < 2; ++d) {
    int64_t size = windowOutputSize(input[2 + d], kernel[d], strides[d],
                                    pads[d], pads[d + 2], dilations[d],
                                    ceilMode);
    if (size < 1) {
      op->emitOpError("window of size ")
          << kernel[d] << " (dilation " << dilations[d]
          << ") does not fit spatial dim " << d << " of size " << input[2 + d]
          << " with padding " << pads[d] << "+" << pads[d + 2];
      return failure();
    }
    shape.push_back(size);
  }
  return shape;
}

static bool scalesMatch(double actual, double expected) {
  return std::fabs(actual - expected) <= 1e-6 * std::fabs(expected);
}

/// Quantized convolution and matmul: 8-bit input and weight, a weight
/// quantized per-tensor or along `weightAxis`, and an i32 bias with zero
/// point 0 and scale input scale x weight scale.
LogicalResult qc::verifyQuantizedProduct(Operation *op, Type inputType,
                                         Type weightType, Value bias,
                                         int64_t weightAxis) {
  auto input = getPerTensorType(inputType);
  auto weight = getQuantElementType(weightType);
  if (!input || !weight)
    return success(); // The f32 form.
  if (input.getStorageTypeIntegralWidth() > 8 ||
      weight.getStorageTypeIntegralWidth() > 8)
    return op->emitOpError("quantized input and weight must have at most "
                           "8-bit storage (products accumulate in i32)");
  auto weightPerAxis = getPerAxisType(weightType);
  if (weightPerAxis && weightPerAxis.getQuantizedDimension() != weightAxis)
    return op->emitOpError("per-channel weight must be quantized along axis ")
           << weightAxis << " (output channels), got axis "
           << weightPerAxis.getQuantizedDimension();
  if (!bias)
    return success();
  auto biasType = getQuantElementType(bias.getType());
  if (biasType.getStorageTypeIntegralWidth() != 32 || !biasType.isSigned())
    return op->emitOpError("quantized bias must have i32 storage, got ")
           << biasType;
  SmallVector<double> weightScales, biasScales;
  SmallVector<int64_t> biasZeroPoints;
  if (weightPerAxis)
    weightScales.assign(weightPerAxis.getScales().begin(),
                        weightPerAxis.getScales().end());
  else
    weightScales.push_back(getPerTensorType(weightType).getScale());
  if (auto perAxis = getPerAxisType(bias.getType())) {
    biasScales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    biasZeroPoints.assign(perAxis.getZeroPoints().begin(),
                          perAxis.getZeroPoints().end());
  } else {
    auto perTensor = getPerTensorType(bias.getType());
    biasScales.push_back(perTensor.getScale());
    biasZeroPoints.push_back(perTensor.getZeroPoint());
  }
  if (llvm::any_of(biasZeroPoints, [](int64_t zp) { return zp != 0; }))
    return op->emitOpError("quantized bias zero point must be 0");
  if (biasScales.size() != weightScales.size())
    return op->emitOpError("quantized bias must be per-channel exactly when "
                           "the weight is");
  for (auto [i, pair] : llvm::enumerate(llvm::zip(biasScales, weightScales))) {
    double expected = input.getScale() * std::get<1>(pair);
    if (!scalesMatch(std::get<0>(pair), expected))
      return op->emitOpError("bias scale ")
             << std::get<0>(pair) << " of channel " << i
             << " must equal input scale x weight scale = " << expected;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

/// The fused output clamp of a product (clamp_min, clamp_max): only on a
/// per-tensor quantized result with 8-bit storage, min <= max.
LogicalResult qc::verifyFusedClamp(Operation *op, Type result, FloatAttr min,
                                   FloatAttr max) {
  if (!min && !max)
    return success();
  auto type = getPerTensorType(result);
  if (!type || type.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError("a fused output clamp (clamp_min, clamp_max) "
                           "needs a per-tensor quantized 8-bit result; use "
                           "qc.clamp otherwise");
  if ((min && std::isnan(min.getValue().convertToFloat())) ||
      (max && std::isnan(max.getValue().convertToFloat())))
    return op->emitOpError("clamp bounds must not be NaN");
  if (min && max &&
      min.getValue().convertToFloat() > max.getValue().convertToFloat())
    return op->emitOpError("clamp_min (")
           << min.getValue().convertToFloat() << ") must not exceed clamp_max ("
           << max.getValue().convertToFloat() << ")";
  return success();
}

LogicalResult Conv2DOp::verify() {
  auto inputType = getInput().getType();
  auto weightType = getWeight().getType();
  if (inputType.getRank() != 4)
    return emitOpError("input must have rank 4 (NCHW), got rank ")
           << inputType.getRank();
  if (weightType.getRank() != 4)
    return emitOpError("weight must have rank 4 (OIHW), got rank ")
           << weightType.getRank();
  if (failed(verifyWindowAttrs(*this, getStrides(), getPads(),
                               getDilations())))
    return failure();
  int64_t groups = getGroups();
  int64_t channels = inputType.getDimSize(1);
  int64_t outChannels = weightType.getDimSize(0);
  if (groups < 1)
    return emitOpError("'groups' must be positive, got ") << groups;
  if (channels % groups != 0 || outChannels % groups != 0)
    return emitOpError("input channels (")
           << channels << ") and output channels (" << outChannels
           << ") must be divisible by groups (" << groups << ")";
  if (weightType.getDimSize(1) * groups != channels)
    return emitOpError("weight has ")
           << weightType.getDimSize(1) << " input channels per group but the "
           << "input has " << channels << " channels in " << groups
           << " groups";
  if (getBias()) {
    auto biasType = cast<ShapedType>(getBias().getType());
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != outChannels)
      return emitOpError("bias must be 1-D with ")
             << outChannels << " elements (one per output channel), got "
             << biasType;
  }
  auto shape = windowOutputShape(
      *this, inputType.getShape(), outChannels,
      weightType.getShape().drop_front(2), getStrides(), getPads(),
      getDilations(), /*ceilMode=*/false);
  if (failed(shape) || failed(verifyResultShape(*this, getType(), *shape)))
    return failure();
  if (failed(verifyGraphTypes(*this, /*perAxisOperands=*/{1, 2})) ||
      failed(verifyFusedClamp(*this, getType(), getClampMinAttr(),
                              getClampMaxAttr())))
    return failure();
  return verifyQuantizedProduct(*this, inputType, weightType, getBias(),
                                /*weightAxis=*/0);
}

QuantRule Conv2DOp::getQuantRule() { return QuantRule::Free; }
SmallVector<unsigned> Conv2DOp::getActivationOperands() { return {0}; }
std::optional<unsigned> Conv2DOp::getWeightOperand() { return 1; }
int64_t Conv2DOp::getWeightChannelAxis() { return 0; }
std::optional<unsigned> Conv2DOp::getBiasOperand() {
  if (getBias())
    return 2;
  return std::nullopt;
}
/// Depthwise (each group reading one input channel) only for an
/// activation: the depthwise kernel takes no residual add.
bool Conv2DOp::mayHaveWideResult(Operation *user) {
  int64_t groups = getGroups();
  return groups == 1 || getInput().getType().getDimSize(1) != groups ||
         isa<ActivationOp>(user);
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  ArrayRef<int64_t> lhs = getLhs().getType().getShape();
  ArrayRef<int64_t> rhs = getRhs().getType().getShape();
  if (lhs.empty() || rhs.empty())
    return emitOpError("operands must have rank >= 1");
  int64_t lhsK = lhs.back();
  int64_t rhsK = rhs.size() == 1 ? rhs[0] : rhs[rhs.size() - 2];
  if (lhsK != rhsK)
    return emitOpError("contraction dims differ: lhs has ")
           << lhsK << " columns, rhs has " << rhsK << " rows";
  ArrayRef<int64_t> lhsBatch = lhs.drop_back(lhs.size() >= 2 ? 2 : 1);
  ArrayRef<int64_t> rhsBatch = rhs.drop_back(rhs.size() >= 2 ? 2 : 1);
  SmallVector<int64_t> expected;
  if (!OpTrait::util::getBroadcastedShape(lhsBatch, rhsBatch, expected))
    return emitOpError("batch dims ")
           << shapeStr(lhsBatch) << " and " << shapeStr(rhsBatch)
           << " do not broadcast";
  if (lhs.size() >= 2)
    expected.push_back(lhs[lhs.size() - 2]);
  if (rhs.size() >= 2)
    expected.push_back(rhs.back());
  if (getBias()) {
    auto biasType = cast<ShapedType>(getBias().getType());
    if (rhs.size() < 2 || biasType.getRank() != 1 ||
        biasType.getDimSize(0) != rhs.back())
      return emitOpError("bias must be 1-D with one element per column of "
                         "rhs, got ")
             << biasType;
  }
  if (failed(verifyResultShape(*this, getType(), expected)) ||
      failed(verifyGraphTypes(*this, /*perAxisOperands=*/{1, 2})) ||
      failed(verifyFusedClamp(*this, getType(), getClampMinAttr(),
                              getClampMaxAttr())))
    return failure();
  return verifyQuantizedProduct(*this, getLhs().getType(), getRhs().getType(),
                                getBias(), getWeightChannelAxis());
}

QuantRule MatMulOp::getQuantRule() { return QuantRule::Free; }
SmallVector<unsigned> MatMulOp::getActivationOperands() { return {0}; }
std::optional<unsigned> MatMulOp::getWeightOperand() { return 1; }
int64_t MatMulOp::getWeightChannelAxis() {
  return getRhs().getType().getRank() - 1;
}
std::optional<unsigned> MatMulOp::getBiasOperand() {
  if (getBias())
    return 2;
  return std::nullopt;
}
bool MatMulOp::mayHaveWideResult(Operation *) {
  return getRhs().getType().getRank() == 2;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

static LogicalResult verifyBinaryOp(Operation *op) {
  auto lhs = cast<ShapedType>(op->getOperand(0).getType());
  auto rhs = cast<ShapedType>(op->getOperand(1).getType());
  SmallVector<int64_t> expected;
  if (!OpTrait::util::getBroadcastedShape(lhs.getShape(), rhs.getShape(),
                                          expected))
    return op->emitOpError("operand shapes ")
           << shapeStr(lhs.getShape()) << " and " << shapeStr(rhs.getShape())
           << " do not broadcast";
  if (failed(verifyResultShape(op, cast<ShapedType>(op->getResult(0).getType()),
                               expected)))
    return failure();
  return verifyGraphTypes(op);
}

#define QC_DEFINE_BINARY(OP)                                                   \
  LogicalResult OP::verify() { return verifyBinaryOp(*this); }                 \
  QuantRule OP::getQuantRule() { return QuantRule::Free; }
QC_DEFINE_BINARY(AddOp)
QC_DEFINE_BINARY(SubOp)

/// A residual add (both operands of the result's shape) takes a 16-bit
/// product: the kernels compute it in the product's epilogue. The other
/// binary ops take 8-bit operands.
bool AddOp::acceptsWideOperand(unsigned) {
  ArrayRef<int64_t> shape = getType().getShape();
  return getLhs().getType().getShape() == shape &&
         getRhs().getType().getShape() == shape;
}
#define QC_NARROW_OPERANDS(OP)                                                 \
  bool OP::acceptsWideOperand(unsigned) { return false; }
QC_NARROW_OPERANDS(SubOp)
QC_NARROW_OPERANDS(MulOp)
QC_NARROW_OPERANDS(DivOp)
QC_NARROW_OPERANDS(MaxOp)
QC_NARROW_OPERANDS(MinOp)
QC_NARROW_OPERANDS(PowOp)
#undef QC_NARROW_OPERANDS
QC_DEFINE_BINARY(MulOp)
QC_DEFINE_BINARY(DivOp)
QC_DEFINE_BINARY(MaxOp)
QC_DEFINE_BINARY(MinOp)
QC_DEFINE_BINARY(PowOp)
#undef QC_DEFINE_BINARY

//===----------------------------------------------------------------------===//
// ClampOp
//===----------------------------------------------------------------------===//

LogicalResult ClampOp::verify() {
  std::optional<float> lo, hi;
  if (getMinAttr())
    lo = getMinAttr().getValueAsDouble();
  if (getMaxAttr())
    hi = getMaxAttr().getValueAsDouble();
  if ((lo && std::isnan(*lo)) || (hi && std::isnan(*hi)))
    return emitOpError("bounds must not be NaN");
  if (lo && hi && *lo > *hi)
    return emitOpError("min ") << *lo << " exceeds max " << *hi;
  return verifyGraphTypes(*this);
}

QuantRule ClampOp::getQuantRule() { return QuantRule::SameAsInput; }

std::pair<double, double>
ClampOp::getNeededInputRange(std::pair<double, double> range) {
  auto [lo, hi] = range;
  if (auto min = getMinAttr())
    lo = std::max(lo, min.getValueAsDouble());
  if (auto max = getMaxAttr())
    hi = std::min(hi, max.getValueAsDouble());
  if (lo > hi) // The clamp maps everything to one bound.
    lo = hi;
  return {lo, hi};
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult verifyPool(PoolOp op, ArrayRef<int64_t> dilations) {
  auto inputType = cast<ShapedType>(op.getInput().getType());
  if (inputType.getRank() != 4)
    return op.emitOpError("input must have rank 4 (NCHW), got rank ")
           << inputType.getRank();
  ArrayRef<int64_t> kernel = op.getKernel();
  if (kernel.size() != 2 || llvm::any_of(kernel, [](int64_t k) {
        return k < 1;
      }))
    return op.emitOpError("'kernel' must hold 2 positive values");
  if (failed(verifyWindowAttrs(op, op.getStrides(), op.getPads(), dilations)))
    return failure();
  auto shape = windowOutputShape(op, inputType.getShape(),
                                 inputType.getDimSize(1), kernel,
                                 op.getStrides(), op.getPads(), dilations,
                                 op.getCeilMode());
  if (failed(shape) ||
      failed(verifyResultShape(op, cast<ShapedType>(op.getType()), *shape)))
    return failure();
  return verifyGraphTypes(op);
}

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyPool(*this, getDilations())))
    return failure();
  if (isQuantized(getInput().getType()) &&
      getElementTypeOrSelf(getInput().getType()) !=
          getElementTypeOrSelf(getType()))
    return emitOpError("quantized max pooling keeps the operand's "
                       "parameters: result element type must equal the "
                       "input's");
  return success();
}

QuantRule MaxPool2DOp::getQuantRule() { return QuantRule::SameAsInput; }

LogicalResult AvgPool2DOp::verify() {
  int64_t noDilation[] = {1, 1};
  return verifyPool(*this, noDilation);
}

QuantRule AvgPool2DOp::getQuantRule() { return QuantRule::Free; }

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one operand");
  auto first = cast<ShapedType>(getInputs().front().getType());
  int64_t rank = first.getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << rank;
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> expected(first.getShape());
  expected[axis] = 0;
  for (Value input : getInputs()) {
    auto type = cast<ShapedType>(input.getType());
    if (type.getRank() != rank)
      return emitOpError("operands must have the same rank");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && type.getDimSize(d) != expected[d])
        return emitOpError("operand shapes differ in dim ")
               << d << ", which is not the concatenation axis";
    expected[axis] += type.getDimSize(axis);
  }
  if (failed(verifyResultShape(*this, getType(), expected)) ||
      failed(verifyGraphTypes(*this)))
    return failure();
  Type resultElement = getType().getElementType();
  if (isQuantized(resultElement))
    for (Value input : getInputs())
      if (getElementTypeOrSelf(input.getType()) != resultElement)
        return emitOpError("quantized operands and result must share one "
                           "element type; requantize the operands first");
  return success();
}

QuantRule ConcatOp::getQuantRule() { return QuantRule::SameAsInput; }

//===----------------------------------------------------------------------===//
// ReshapeOp / TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto inputType = getInput().getType();
  auto resultType = getType();
  if (inputType.getNumElements() != resultType.getNumElements())
    return emitOpError("element count changes from ")
           << inputType.getNumElements() << " to "
           << resultType.getNumElements();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError("element type must not change");
  return verifyGraphTypes(*this);
}

QuantRule ReshapeOp::getQuantRule() { return QuantRule::SameAsInput; }

/// The type of a folded constant: the op's shape with the constant's own
/// element type (storage integers for a quantized result, which the
/// dialect's materializer turns into a qc.constant).
static RankedTensorType foldedType(Type resultType, DenseElementsAttr attr) {
  return RankedTensorType::get(cast<RankedTensorType>(resultType).getShape(),
                               attr.getElementType());
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto attr = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!attr)
    return {};
  return attr.reshape(foldedType(getType(), attr));
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  auto attr = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!attr)
    return {};
  RankedTensorType type = foldedType(getType(), attr);
  if (attr.isSplat())
    return attr.resizeSplat(type);
  Type element = attr.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return {};
  // Move whole elements of the raw buffer: output index i (row-major over
  // the result shape) reads the input at the permuted coordinates.
  size_t bytes = element.getIntOrFloatBitWidth() / 8;
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  ArrayRef<int64_t> perm = getPerm();
  int64_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * inShape[d + 1];
  ArrayRef<char> raw = attr.getRawData();
  int64_t count = type.getNumElements();
  std::vector<char> out(count * bytes);
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += index[d] * inStrides[perm[d]];
    std::memcpy(&out[i * bytes], &raw[src * bytes], bytes);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < type.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(type, out);
}

LogicalResult TransposeOp::verify() {
  auto inputType = getInput().getType();
  ArrayRef<int64_t> perm = getPerm();
  int64_t rank = inputType.getRank();
  SmallVector<bool> seen(rank, false);
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitOpError("'perm' must hold ") << rank << " values";
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitOpError("'perm' must be a permutation of [0, ")
             << rank << ")";
    seen[p] = true;
  }
  SmallVector<int64_t> expected;
  for (int64_t p : perm)
    expected.push_back(inputType.getDimSize(p));
  if (failed(verifyResultShape(*this, getType(), expected)))
    return failure();
  // A per-axis operand keeps its parameters on the axis' new position.
  Type expectedElement = inputType.getElementType();
  if (auto perAxis = getPerAxisType(inputType)) {
    int64_t newAxis =
        llvm::find(perm, perAxis.getQuantizedDimension()) - perm.begin();
    expectedElement = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), perAxis.getScales(),
        perAxis.getZeroPoints(), newAxis, perAxis.getStorageTypeMin(),
        perAxis.getStorageTypeMax());
  }
  if (getType().getElementType() != expectedElement)
    return emitOpError("result element type must be ") << expectedElement;
  return verifyGraphTypes(*this, /*perAxisOperands=*/{0},
                          /*perAxisResult=*/true);
}

QuantRule TransposeOp::getQuantRule() { return QuantRule::SameAsInput; }

//===----------------------------------------------------------------------===//
// Softmax, unary ops, layer normalization
//===----------------------------------------------------------------------===//

LogicalResult qc::verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " is out of range for rank " << rank;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (failed(verifyAxis(*this, getAxis(), getInput().getType().getRank())))
    return failure();
  return verifyGraphTypes(*this);
}

QuantRule SoftmaxOp::getQuantRule() { return QuantRule::FixedRange; }
std::pair<double, double> SoftmaxOp::getFixedRange() { return {0.0, 1.0}; }

LogicalResult SigmoidOp::verify() { return verifyGraphTypes(*this); }
QuantRule SigmoidOp::getQuantRule() { return QuantRule::FixedRange; }
std::pair<double, double> SigmoidOp::getFixedRange() { return {0.0, 1.0}; }

LogicalResult TanhOp::verify() { return verifyGraphTypes(*this); }
QuantRule TanhOp::getQuantRule() { return QuantRule::FixedRange; }
std::pair<double, double> TanhOp::getFixedRange() { return {-1.0, 1.0}; }

LogicalResult ErfOp::verify() { return verifyGraphTypes(*this); }
QuantRule ErfOp::getQuantRule() { return QuantRule::FixedRange; }
std::pair<double, double> ErfOp::getFixedRange() { return {-1.0, 1.0}; }

// The activations' building blocks: exp, log, abs and the roundings take
// their calibrated range; sign, sin and cos lie in [-1, 1].
#define QC_DEFINE_MATH(OP)                                                     \
  LogicalResult OP::verify() { return verifyGraphTypes(*this); }               \
  QuantRule OP::getQuantRule() { return QuantRule::Free; }
#define QC_DEFINE_UNIT_RANGE_MATH(OP)                                          \
  LogicalResult OP::verify() { return verifyGraphTypes(*this); }               \
  QuantRule OP::getQuantRule() { return QuantRule::FixedRange; }               \
  std::pair<double, double> OP::getFixedRange() { return {-1.0, 1.0}; }
QC_DEFINE_MATH(ExpOp)
QC_DEFINE_MATH(LogOp)
QC_DEFINE_MATH(AbsOp)
QC_DEFINE_MATH(FloorOp)
QC_DEFINE_MATH(CeilOp)
QC_DEFINE_MATH(RoundOp)
QC_DEFINE_UNIT_RANGE_MATH(SignOp)
QC_DEFINE_UNIT_RANGE_MATH(SinOp)
QC_DEFINE_UNIT_RANGE_MATH(CosOp)
#undef QC_DEFINE_MATH
#undef QC_DEFINE_UNIT_RANGE_MATH

LogicalResult LayerNormOp::verify() {
  auto inputType = getInput().getType();
  int64_t rank = inputType.getRank();
  // I64Attr getters return uint64_t: read the axis as signed first.
  int64_t axis = static_cast<int64_t>(getAxis());
  if (failed(verifyAxis(*this, axis, rank)))
    return failure();
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> normalized = inputType.getShape().drop_front(axis);
  auto checkParam = [&](Value v, StringRef name) -> LogicalResult {
    if (!v)
      return success();
    auto type = cast<ShapedType>(v.getType());
    if (type.getShape() != normalized)
      return emitOpError("'") << name << "' must have the normalized shape "
                              << shapeStr(normalized) << ", got "
                              << shapeStr(type.getShape());
    return success();
  };
  if (failed(checkParam(getScale(), "scale")) ||
      failed(checkParam(getBias(), "bias")))
    return failure();
  if (getType().getShape() != inputType.getShape())
    return emitOpError("result shape must match the input shape");
  if (!(getEpsilon().convertToDouble() >= 0))
    return emitOpError("'epsilon' must be non-negative");
  return verifyGraphTypes(*this);
}

QuantRule LayerNormOp::getQuantRule() { return QuantRule::Free; }
SmallVector<unsigned> LayerNormOp::getActivationOperands() { return {0}; }

LogicalResult SqrtOp::verify() { return verifyGraphTypes(*this); }
QuantRule SqrtOp::getQuantRule() { return QuantRule::Free; }

//===----------------------------------------------------------------------===//
// ReduceMeanOp / SliceOp / DynamicQuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult ReduceMeanOp::verify() {
  auto inType = getInput().getType();
  int64_t rank = inType.getRank();
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : getAxes()) {
    if (a < -rank || a >= rank)
      return emitOpError("axis ") << a << " is out of range for rank " << rank;
    int64_t n = a < 0 ? a + rank : a;
    if (reduced[n])
      return emitOpError("axis ") << a << " is repeated";
    reduced[n] = true;
  }
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      expected.push_back(inType.getDimSize(d));
    else if (getKeepdims())
      expected.push_back(1);
  }
  if (failed(verifyResultShape(*this, getType(), expected)))
    return failure();
  return verifyGraphTypes(*this);
}

QuantRule ReduceMeanOp::getQuantRule() { return QuantRule::Free; }

LogicalResult SliceOp::verify() {
  auto inType = getInput().getType();
  auto outType = getType();
  ArrayRef<int64_t> offsets = getOffsets();
  ArrayRef<int64_t> strides = getStrides();
  if (static_cast<int64_t>(offsets.size()) != inType.getRank() ||
      outType.getRank() != inType.getRank())
    return emitOpError("'offsets' and the result must have the input's rank");
  if (!strides.empty() &&
      (static_cast<int64_t>(strides.size()) != inType.getRank() ||
       llvm::is_contained(strides, 0)))
    return emitOpError("'strides' must be empty or hold one non-zero value "
                       "per dim");
  for (int64_t d = 0; d < inType.getRank(); ++d) {
    int64_t stride = strides.empty() ? 1 : strides[d];
    int64_t size = outType.getDimSize(d);
    if (stride == 1) {
      if (offsets[d] < 0 || offsets[d] + size > inType.getDimSize(d))
        return emitOpError("slice of dim ")
               << d << " [" << offsets[d] << ", " << offsets[d] + size
               << ") is outside the input's size " << inType.getDimSize(d);
      continue;
    }
    int64_t last = offsets[d] + (size - 1) * stride;
    if (size > 0 && (offsets[d] < 0 || offsets[d] >= inType.getDimSize(d) ||
                     last < 0 || last >= inType.getDimSize(d)))
      return emitOpError("strided slice of dim ")
             << d << " (offset " << offsets[d] << ", " << size
             << " elements, stride " << stride
             << ") is outside the input's size " << inType.getDimSize(d);
  }
  if (inType.getElementType() != outType.getElementType())
    return emitOpError("element type must not change");
  return verifyGraphTypes(*this);
}

QuantRule SliceOp::getQuantRule() { return QuantRule::SameAsInput; }

LogicalResult DynamicQuantizeOp::verify() {
  auto out = cast<IntegerType>(getOutput().getType().getElementType());
  if (out.getWidth() != 8 || !out.isUnsigned())
    return emitOpError("result must have ui8 elements");
  if (getOutput().getType().getShape() != getInput().getType().getShape())
    return emitOpError("input and result shapes must match");
  if (getScale().getType().getRank() != 0 ||
      getZeroPoint().getType().getRank() != 0 ||
      getZeroPoint().getType().getElementType() != out)
    return emitOpError("scale must be tensor<f32> and zero point tensor<ui8>");
  return success();
}
