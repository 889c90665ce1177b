//===- QCConvOps.td - Transposed convolution ----------------*- tablegen -*-===//
//
// qc.conv_transpose2d: the gradient of qc.conv2d with respect to its input
// (ONNX ConvTranspose, PyTorch ConvTranspose1d/2d), the upsampling layer of
// decoders and text detectors. Included from QCOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCCONVOPS_TD
#define QC_DIALECT_QC_IR_QCCONVOPS_TD

def QC_ConvTranspose2DOp : QC_Op<"conv_transpose2d", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface, ["getActivationOperands",
      "getWeightOperand", "getWeightChannelAxis", "getBiasOperand"]>]> {
  let summary = "2-D transposed convolution, NCHW input and OIHW weights";
  let description = [{
    Every input pixel scatters its channels, weighted by the kernel, onto a
    window of the output:

    `output[n, o, y, x] = bias[o] + sum input[n, g*C/G + c, iy, ix] *
    weight[o, c, ky, kx]` over the `c < C/G`, `ky`, `kx`, `iy`, `ix` with
    `y + pt = iy*sy + ky*dy` and `x + pl = ix*sx + kx*dx`, where `g` is the
    group of output channel `o` (`groups` G splits input and output channels
    evenly) and `pads` is `[top, left, bottom, right]`. Output size per
    spatial dim: `(in - 1) * stride + dilation * (k - 1) + 1 +
    output_padding - pad_begin - pad_end`; the pads crop the full result,
    and `output_padding` extends it at the end with positions that only get
    the bias.

    The weight is `[C_out, C_in / G, kh, kw]`, the layout of `qc.conv2d`'s,
    so that its output channels are dim 0 for every G. ONNX stores it as
    `[C_in, C_out / G, kh, kw]`; the importer permutes it (at compile time
    for constants).

    Quantized form: exactly `qc.conv2d`'s. Input and output per-tensor,
    weight per-tensor or per-axis along axis 0, all 8-bit; bias i32 with zero
    point 0 and scale input_scale x weight_scale; the zero-point-shifted
    products accumulate in i32, which is requantized with the f32 multiplier
    `input_scale * weight_scale / output_scale` and saturated to the
    storage range narrowed by the optional fused clamp (`clamp_min`,
    `clamp_max`).

    ```mlir
    %y = qc.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>,
                                          pads = array<i64: 1, 1, 1, 1>,
                                          output_padding = array<i64: 1, 1>}
        : (tensor<1x8x4x4xf32>, tensor<4x8x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, QC_Tensor:$weight,
                       Optional<QC_Tensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The size of the uncropped result along spatial dim `d` (0: height, 1:
    /// width): `(in - 1) * stride + dilation * (k - 1) + 1`.
    int64_t getFullSize(unsigned d);
  }];
}

#endif // QC_DIALECT_QC_IR_QCCONVOPS_TD
