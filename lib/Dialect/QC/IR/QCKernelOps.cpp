//===- QCKernelOps.cpp - Products bound to a micro-kernel -----------------===//
//
// Verifiers of qc.packed_matmul, qc.packed_conv2d and
// qc.packed_depthwise_conv2d: the packed operands must have exactly the
// sizes their kernel configuration implies, so that the lowering can trust
// them.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

using namespace mlir;
using namespace mlir::qc;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Checks that a 1-D (or given-shape) operand has `expected` elements.
LogicalResult checkSize(Operation *op, Value v, StringRef what,
                        int64_t expected) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() != expected)
    return op->emitOpError() << what << " must have " << expected
                             << " elements for this kernel, got " << type;
  return success();
}

/// The common checks of the three ops: element types that agree with the
/// kernel kind, the epilogue's operands and range.
LogicalResult verifyEpilogue(Operation *op, KernelAttr kernel, Value input,
                             Value weights, Value bias, Value multipliers,
                             std::optional<int64_t> outMin,
                             std::optional<int64_t> outMax, int64_t channels) {
  Type result = op->getResult(0).getType();
  // With a fused residual add, the product is requantized to `sum_type`.
  Value residual;
  if (auto packed = dyn_cast<PackedMatMulOp>(op))
    residual = packed.getResidual();
  if (auto packed = dyn_cast<PackedConv2DOp>(op))
    residual = packed.getResidual();
  auto sumType = op->getAttrOfType<TypeAttr>("sum_type");
  // With a fused activation, a quantized product is requantized to the
  // 16-bit `sum_type` and the result is the activation's.
  auto activation = op->getAttrOfType<StringAttr>("activation");
  if (activation && !symbolizeActivationKind(activation.getValue()))
    return op->emitOpError("unknown activation '")
           << activation.getValue() << "'";
  for (StringRef name : {"activation_alpha", "activation_beta",
                         "activation_scale", "activation_shift"})
    if (op->hasAttr(name) && !activation)
      return op->emitOpError("'") << name << "' needs 'activation'";
  bool floatResidual = residual && !isQuantized(result);
  if (activation && isQuantized(result)) {
    if (residual)
      return op->emitOpError("a fused activation does not take a quantized "
                             "residual");
    auto resultQ = getPerTensorType(result);
    auto sumQ = sumType
                    ? dyn_cast<quant::UniformQuantizedType>(sumType.getValue())
                    : nullptr;
    if (!resultQ || !sumQ || !multipliers ||
        resultQ.getStorageTypeIntegralWidth() != 8 ||
        sumQ.getStorageTypeIntegralWidth() != 16)
      return op->emitOpError("a fused activation takes a product requantized "
                             "to 16 bits ('sum_type') and has an 8-bit result "
                             "quantized per tensor");
    result = cast<ShapedType>(result).clone(sumQ);
  } else if (floatResidual) {
    // f32: the sums plus the residual, before the clamp.
    auto shaped = cast<ShapedType>(result);
    auto rt = cast<ShapedType>(residual.getType());
    if (sumType || !rt.getElementType().isF32())
      return op->emitOpError("an f32 product's residual is f32, with no "
                             "'sum_type'");
    if (rt.getShape() != shaped.getShape())
      return op->emitOpError("the residual must have the result's shape");
  } else if (bool(residual) != bool(sumType)) {
    return op->emitOpError("a residual and 'sum_type' go together");
  }
  if (residual && !floatResidual) {
    auto shaped = cast<ShapedType>(result);
    auto resultQ = getPerTensorType(result);
    auto residualQ = getPerTensorType(residual.getType());
    auto sumQ = dyn_cast<quant::UniformQuantizedType>(sumType.getValue());
    if (!resultQ || !residualQ || !sumQ || !multipliers ||
        resultQ.getStorageTypeIntegralWidth() != 8 ||
        residualQ.getStorageTypeIntegralWidth() != 8 ||
        (sumQ.getStorageTypeIntegralWidth() != 8 &&
         sumQ.getStorageTypeIntegralWidth() != 16))
      return op->emitOpError("a fused residual add takes 8-bit tensors "
                             "quantized per tensor and a product requantized "
                             "to 8 or 16 bits");
    if (cast<ShapedType>(residual.getType()).getShape() != shaped.getShape())
      return op->emitOpError("the residual must have the result's shape");
    result = shaped.clone(sumQ);
  }
  bool isFloat = !isQuantized(result);
  auto clampMin = op->getAttrOfType<FloatAttr>("clamp_min");
  auto clampMax = op->getAttrOfType<FloatAttr>("clamp_max");
  if ((clampMin || clampMax) && !isFloat)
    return op->emitOpError("'clamp_min' and 'clamp_max' are for f32 results "
                           "('out_min' and 'out_max' clamp quantized ones)");
  auto value = [](FloatAttr a) { return a.getValue().convertToFloat(); };
  if ((clampMin && std::isnan(value(clampMin))) ||
      (clampMax && std::isnan(value(clampMax))))
    return op->emitOpError("clamp bounds must not be NaN");
  if (clampMin && clampMax && value(clampMin) > value(clampMax))
    return op->emitOpError("clamp_min must not exceed clamp_max");
  if (isQuantized(input.getType()) == isFloat)
    return op->emitOpError("input and result must be both f32 or both "
                           "quantized");
  auto in = getPerTensorType(input.getType());
  auto out = getPerTensorType(result);
  Type wElement = cast<ShapedType>(weights.getType()).getElementType();
  Type bElement = cast<ShapedType>(bias.getType()).getElementType();
  if (isFloat) {
    if (!wElement.isF32() || !bElement.isF32() || multipliers || outMin ||
        outMax)
      return op->emitOpError("an f32 kernel takes f32 weights and bias and "
                             "no multipliers or output range");
    if (kernel.getKind() != "fma" && kernel.getKind() != "depthwise")
      return op->emitOpError("f32 operands need an fma or depthwise kernel, "
                             "got ")
             << kernel.getKind();
    return success();
  }
  if (!in || !out)
    return op->emitOpError("input and result must be quantized per tensor");
  if (in.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError("the input must have 8-bit storage");
  if (kernel.getKind() == "fma")
    return op->emitOpError("an fma kernel computes in f32");
  if (!bElement.isInteger(32))
    return op->emitOpError("the bias of an integer kernel is i32");
  bool exact = !multipliers;
  if (exact && (out.getStorageTypeIntegralWidth() != 32 ||
                out.getZeroPoint() != 0))
    return op->emitOpError("without multipliers the result is the i32 sum "
                           "itself (i32 storage, zero point 0)");
  // 16-bit: the sum type of a fused residual add or activation, or a
  // 16-bit product stored as it is.
  if (!exact && out.getStorageTypeIntegralWidth() != 8 &&
      out.getStorageTypeIntegralWidth() != 16)
    return op->emitOpError("a requantized result has 8-bit or 16-bit "
                           "storage");
  if (multipliers && failed(checkSize(op, multipliers, "multipliers",
                                      channels)))
    return failure();
  if (!outMin || !outMax)
    return op->emitOpError("a quantized result needs 'out_min' and 'out_max'");
  StorageRange range = getStorageRange(out);
  if (*outMin > *outMax || *outMin < range.min || *outMax > range.max)
    return op->emitOpError("output range [")
           << *outMin << ", " << *outMax
           << "] is not within the storage range [" << range.min << ", "
           << range.max << "]";
  return success();
}

LogicalResult verifyWindow(Operation *op, ArrayRef<int64_t> input,
                           ArrayRef<int64_t> output, ArrayRef<int64_t> kernel,
                           ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                           ArrayRef<int64_t> dilations) {
  if (input.size() != 4 || output.size() != 4)
    return op->emitOpError("input and result must be NCHW (rank 4)");
  if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4 ||
      dilations.size() != 2)
    return op->emitOpError("kernel_shape, strides and dilations hold 2 values "
                           "and pads 4");
  for (int d = 0; d < 2; ++d) {
    if (kernel[d] < 1 || strides[d] < 1 || dilations[d] < 1 || pads[d] < 0 ||
        pads[d + 2] < 0)
      return op->emitOpError("window attributes must be positive (pads "
                             "non-negative)");
    int64_t span = dilations[d] * (kernel[d] - 1) + 1;
    int64_t room = input[2 + d] + pads[d] + pads[d + 2] - span;
    int64_t size = room < 0 ? -1 : room / strides[d] + 1;
    if (size != output[2 + d])
      return op->emitOpError("output spatial dim ")
             << d << " is " << output[2 + d] << ", expected " << size;
  }
  if (input[0] != output[0])
    return op->emitOpError("input and result batch sizes differ");
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// PackedMatMulOp
//===----------------------------------------------------------------------===//

int64_t PackedMatMulOp::getDepth() {
  return getInput().getType().getShape().back();
}
int64_t PackedMatMulOp::getCols() { return getType().getShape().back(); }
int64_t PackedMatMulOp::getRows() {
  return getInput().getType().getNumElements() / std::max<int64_t>(getDepth(), 1);
}

LogicalResult PackedMatMulOp::verify() {
  auto in = getInput().getType();
  auto out = getType();
  if (in.getRank() < 1 || out.getRank() != in.getRank() ||
      in.getShape().drop_back() != out.getShape().drop_back())
    return emitOpError("result must have the input's shape with its last dim "
                       "replaced by the columns");
  KernelAttr k = getKernel();
  if (k.getKind() == "depthwise")
    return emitOpError("a matmul cannot take a depthwise kernel");
  int64_t nr = k.getTileCols();
  int64_t padded = ceilDiv(getCols(), nr) * nr;
  if (failed(checkSize(*this, getWeights(), "weights",
                       padded * k.getPaddedDepth(getDepth()))) ||
      failed(checkSize(*this, getBias(), "bias", padded)))
    return failure();
  return verifyEpilogue(*this, k, getInput(), getWeights(), getBias(),
                        getMultipliers(), getOutMin(), getOutMax(), padded);
}

//===----------------------------------------------------------------------===//
// PackedConv2DOp
//===----------------------------------------------------------------------===//

int64_t PackedConv2DOp::getDepth() {
  auto in = getInput().getType();
  return in.getDimSize(1) / getGroups() * getKernelShape()[0] *
         getKernelShape()[1];
}

bool PackedConv2DOp::isPointwise() {
  return getKernelShape()[0] == 1 && getKernelShape()[1] == 1 &&
         llvm::all_of(getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(getPads(), [](int64_t p) { return p == 0; });
}

LogicalResult PackedConv2DOp::verify() {
  auto in = getInput().getType();
  auto out = getType();
  if (failed(verifyWindow(*this, in.getShape(), out.getShape(),
                          getKernelShape(), getStrides(), getPads(),
                          getDilations())))
    return failure();
  int64_t g = getGroups();
  if (g < 1 || in.getDimSize(1) % g || out.getDimSize(1) % g)
    return emitOpError("groups must divide the input and output channels");
  KernelAttr k = getKernel();
  if (k.getKind() == "depthwise")
    return emitOpError("a depthwise kernel is qc.packed_depthwise_conv2d's");
  int64_t o = out.getDimSize(1);
  auto wType = getWeights().getType();
  int64_t kp = k.getPaddedDepth(getDepth());
  if (wType.getRank() != 2 || wType.getDimSize(0) != o ||
      wType.getDimSize(1) != kp)
    return emitOpError("weights must be [") << o << "][" << kp << "], got "
                                            << wType;
  if (failed(checkSize(*this, getBias(), "bias", o)))
    return failure();
  return verifyEpilogue(*this, k, getInput(), getWeights(), getBias(),
                        getMultipliers(), getOutMin(), getOutMax(), o);
}

//===----------------------------------------------------------------------===//
// PackedDepthwiseConv2DOp
//===----------------------------------------------------------------------===//

LogicalResult PackedDepthwiseConv2DOp::verify() {
  auto in = getInput().getType();
  auto out = getType();
  auto wType = getWeights().getType();
  if (wType.getRank() != 3)
    return emitOpError("weights must be [C][KH][KW]");
  if (failed(verifyWindow(*this, in.getShape(), out.getShape(),
                          wType.getShape().drop_front(), getStrides(),
                          getPads(), getDilations())))
    return failure();
  int64_t c = in.getDimSize(1);
  if (out.getDimSize(1) != c || wType.getDimSize(0) != c)
    return emitOpError("a depthwise convolution keeps its ")
           << c << " channels";
  if (getKernel().getKind() != "depthwise")
    return emitOpError("needs a depthwise kernel, got ")
           << getKernel().getKind();
  if (isQuantized(out) != !wType.getElementType().isF32() ||
      (!wType.getElementType().isF32() &&
       !wType.getElementType().isInteger(32)))
    return emitOpError("weights are i32 (w - zp) for quantized operands and "
                       "f32 otherwise");
  if (failed(checkSize(*this, getBias(), "bias", c)))
    return failure();
  return verifyEpilogue(*this, getKernel(), getInput(), getWeights(),
                        getBias(), getMultipliers(), getOutMin(), getOutMax(),
                        c);
}
