//===- QCConvOps.cpp - qc.conv_transpose2d: verifier and propagation rule -===//
//
// The shape rules of the transposed convolution (the input and output
// channels split into groups, the output size from the uncropped size, the
// pads and the output padding) and its quantized form, which is
// qc.conv2d's: a Free result, a weight quantized along its output channels
// (dim 0 of the [C_out, C_in / G, kh, kw] weight) and an i32 bias.
//
//===----------------------------------------------------------------------===//

#include "GraphOpVerifiers.h"
#include "qc/Dialect/QC/IR/QCOps.h"

using namespace mlir;
using namespace mlir::qc;

int64_t ConvTranspose2DOp::getFullSize(unsigned d) {
  int64_t in = getInput().getType().getDimSize(2 + d);
  int64_t k = getWeight().getType().getDimSize(2 + d);
  return (in - 1) * getStrides()[d] + getDilations()[d] * (k - 1) + 1;
}

LogicalResult ConvTranspose2DOp::verify() {
  auto inputType = getInput().getType();
  auto weightType = getWeight().getType();
  if (inputType.getRank() != 4)
    return emitOpError("input must have rank 4 (NCHW), got rank ")
           << inputType.getRank();
  if (weightType.getRank() != 4)
    return emitOpError("weight must have rank 4 ([C_out, C_in / groups, kh, "
                       "kw]), got rank ")
           << weightType.getRank();
  if (failed(verifyWindowAttrs(*this, getStrides(), getPads(), getDilations())))
    return failure();
  ArrayRef<int64_t> outputPadding = getOutputPadding();
  if (outputPadding.size() != 2 ||
      llvm::any_of(outputPadding, [](int64_t v) { return v < 0; }))
    return emitOpError("'output_padding' must hold 2 non-negative values");
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
  SmallVector<int64_t> expected = {inputType.getDimSize(0), outChannels};
  ArrayRef<int64_t> pads = getPads();
  for (unsigned d = 0; d < 2; ++d) {
    int64_t size = getFullSize(d) + outputPadding[d] - pads[d] - pads[d + 2];
    if (size < 1)
      return emitOpError("spatial dim ")
             << d << " of the result would have size " << size
             << " (uncropped size " << getFullSize(d) << ", output padding "
             << outputPadding[d] << ", pads " << pads[d] << "+" << pads[d + 2]
             << ")";
    expected.push_back(size);
  }
  if (failed(verifyResultShape(*this, getType(), expected)) ||
      failed(verifyGraphTypes(*this, /*perAxisOperands=*/{1, 2})) ||
      failed(verifyFusedClamp(*this, getType(), getClampMinAttr(),
                              getClampMaxAttr())))
    return failure();
  return verifyQuantizedProduct(*this, inputType, weightType, getBias(),
                                /*weightAxis=*/0);
}

QuantRule ConvTranspose2DOp::getQuantRule() { return QuantRule::Free; }
SmallVector<unsigned> ConvTranspose2DOp::getActivationOperands() { return {0}; }
std::optional<unsigned> ConvTranspose2DOp::getWeightOperand() { return 1; }
int64_t ConvTranspose2DOp::getWeightChannelAxis() { return 0; }
std::optional<unsigned> ConvTranspose2DOp::getBiasOperand() {
  if (getBias())
    return 2;
  return std::nullopt;
}
