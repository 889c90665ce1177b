//===- QCInterfaces.td - How ops propagate quantization ----*- tablegen -*-===//
//
// Every graph op that has a quantized form states here how quantization
// parameters flow through it, so qc-infer-scales needs no per-op switch and a
// new op brings its own rule.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCINTERFACES_TD
#define QC_DIALECT_QC_IR_QCINTERFACES_TD

include "mlir/IR/OpBase.td"

def QC_QuantPropagationInterface : OpInterface<"QuantPropagationInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    Implemented by the graph ops that have a quantized form. It tells the
    scale inference how the parameters of the op's result relate to those of
    its operands:

    * `QuantRule::Free`: the result takes the parameters of its calibrated
      range (convolution, matmul, add, ...);
    * `QuantRule::SameAsInput`: the result has exactly the parameters of its
      data operands, which must all agree (reshape, transpose, slice, max
      pooling, concat, clamp): the op moves storage integers and never
      rescales;
    * `QuantRule::FixedRange`: the result range is fixed by the function
      (sigmoid and softmax [0, 1]; tanh, erf, sign, sin and cos [-1, 1]) and
      takes the conventional exact scale 2^-bits * (hi - lo).

    Weights are the operands whose scheme `qc-choose-schemes` picks; a bias
    is quantized to i32 with scale input scale x weight scale.
  }];
  let methods = [
    InterfaceMethod<"How the result's parameters are determined.",
      "::mlir::qc::QuantRule", "getQuantRule">,
    InterfaceMethod<[{The operands holding data activations (quantized with the
      activation scheme and, for SameAsInput ops, sharing the result's
      parameters).}],
      "::llvm::SmallVector<unsigned>", "getActivationOperands", (ins), [{}],
      [{
        ::llvm::SmallVector<unsigned> result;
        for (unsigned i = 0, e = $_op->getNumOperands(); i < e; ++i)
          result.push_back(i);
        return result;
      }]>,
    InterfaceMethod<"The operand that is a weight, if any.",
      "std::optional<unsigned>", "getWeightOperand", (ins), [{}],
      [{ return std::nullopt; }]>,
    InterfaceMethod<[{The axis of the weight operand along which per-channel
      parameters are taken (the output channels).}],
      "int64_t", "getWeightChannelAxis", (ins), [{}], [{ return 0; }]>,
    InterfaceMethod<"The operand that is a bias, if any.",
      "std::optional<unsigned>", "getBiasOperand", (ins), [{}],
      [{ return std::nullopt; }]>,
    InterfaceMethod<[{The part of the real range `range` of the data operand
      that this op needs. A Free producer whose only user is this op takes
      parameters for that part only: a ReLU or clip after a convolution
      narrows the convolution's range, and the clamp then costs nothing
      (it is the requantization's saturation). By default, all of it.}],
      "std::pair<double, double>", "getNeededInputRange",
      (ins "std::pair<double, double>":$range), [{}], [{ return range; }]>,
    InterfaceMethod<[{Whether data operand `index` may be 16-bit when a
      convolution or matmul whose only user is this op makes it. The op
      computes through the float domain and its operand is not a product's
      input, so an 8-bit grid there would only add a rounding: the
      product's accumulator is then requantized once onto a 16-bit grid,
      and a kernel that takes the op into its epilogue never stores it (a
      residual add, an activation). By default, no.}],
      "bool", "acceptsWideOperand", (ins "unsigned":$index), [{}],
      [{ return false; }]>,
    InterfaceMethod<[{Whether the result may be 16-bit for `user`, its only
      user, which accepts it (`acceptsWideOperand`): the products whose
      kernels requantize into such a user's epilogue. By default, no.}],
      "bool", "mayHaveWideResult", (ins "::mlir::Operation *":$user), [{}],
      [{ return false; }]>,
    InterfaceMethod<"For FixedRange ops: the real range of the result.",
      "std::pair<double, double>", "getFixedRange", (ins), [{}],
      [{ return {0.0, 1.0}; }]>,
  ];
}

#endif // QC_DIALECT_QC_IR_QCINTERFACES_TD
