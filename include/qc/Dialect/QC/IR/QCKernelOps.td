//===- QCKernelOps.td - Products bound to a micro-kernel ----*- tablegen -*-===//
//
// The ops qc-select-kernels rewrites eligible convolutions and matmuls into:
// the weights already packed into the kernel's layout, the zero-point and
// activation-shift terms already folded into the bias, and the kernel's
// configuration (#qc.kernel) fixed. Their lowering only reads what they
// carry; nothing is planned twice.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCKERNELOPS_TD
#define QC_DIALECT_QC_IR_QCKERNELOPS_TD

def QC_PackedWeights : RankedTensorOf<[I8, I32, F32]>;
def QC_PackedBias : RankedTensorOf<[I32, F32]>;

def QC_PackedMatMulOp : QC_Op<"packed_matmul", [Pure, AttrSizedOperandSegments]> {
  let summary = "Matmul by constant weights packed for a micro-kernel";
  let description = [{
    `output[..., m, n] = epilogue(sum_k a'[..., m, k] * W(k, n) + bias[n])`
    where `a'` is the activation byte plus the kernel's `shift` (or the f32
    activation), `W(k, n)` is read from `weights`, the packed layout
    `[ceil(N/NR)][ceil(K/kGroup)][NR][kGroup]` with `NR = lanes x
    tileVectors` (zeros past K and N), and `bias` (one per column, padded to
    whole tiles) holds the original bias minus `(shift + zp_in) * sum_k W`.

    Quantized form: the epilogue converts the i32 sum to f32, multiplies by
    `multipliers[n]`, rounds half to even, clamps to `[out_min, out_max]`
    (the storage range narrowed by a fused clamp) relative to the output zero
    point and adds it, exactly as the reference lowering requantizes. An i32
    output without `multipliers` is the sum itself (ONNX MatMulInteger). The
    f32 form starts each sum at the bias and accumulates with one FMA per
    product in K order; `clamp_min` / `clamp_max` (f32 only) are a fused
    `qc.clamp` of the sum, computed as it is (`maximumf`, `minimumf`: NaN
    propagates).

    Fused residual add (qc-select-kernels, from a `qc.add` of the product
    and a tensor of its shape): with `residual`, the requantized value `t`
    above is of `sum_type` (its zero point; `out_min`/`out_max` are its
    range), and the result is `qc.add`'s, computed as its reference does:
    `quantize(dequantize(t) + dequantize(residual))` in f32, the sum
    divided by the result scale, rounded half to even and saturated. An
    f32 product takes an f32 `residual` (no `sum_type`): one f32 add of the
    residual to each sum, before the fused clamp.

    Fused activation (qc-select-kernels, from a `qc.activation` without
    per-channel factors whose only operand is the product): `activation`
    is its kind (`"hard_swish"`, ...) and `activation_alpha`, `_beta`, `_scale`, `_shift` its
    attributes. Quantized, the requantized value `t` is of `sum_type` (a
    16-bit type: the wide result qc-infer-scales gives a product that feeds
    an activation) and the result is the activation's, computed as its
    reference does: `quantize(f(dequantize(t)))` with `f` in f32, so the
    16-bit value is never stored. f32: `f` of each sum (after a fused
    residual, before a fused clamp). Not with a quantized `residual`.

    ```mlir
    %y = qc.packed_matmul %x, %w, %b, %m {kernel = #qc.kernel<...>, out_min = 0 : i64, out_max = 255 : i64}
        : (tensor<8x64x!quant.uniform<u8:f32, 0.1:3>>, tensor<4096xi8>, tensor<64xi32>, tensor<64xf32>)
        -> tensor<8x48x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, QC_PackedWeights:$weights,
                       QC_PackedBias:$bias,
                       Optional<RankedTensorOf<[F32]>>:$multipliers,
                       Optional<QC_Tensor>:$residual,
                       QC_KernelAttr:$kernel,
                       OptionalAttr<I64Attr>:$out_min,
                       OptionalAttr<I64Attr>:$out_max,
                       OptionalAttr<TypeAttr>:$sum_type,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max,
                       OptionalAttr<StrAttr>:$activation,
                       OptionalAttr<F32Attr>:$activation_alpha,
                       OptionalAttr<F32Attr>:$activation_beta,
                       OptionalAttr<F32Attr>:$activation_scale,
                       OptionalAttr<F32Attr>:$activation_shift);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weights `,` $bias (`,` $multipliers^)?
    (`residual` $residual^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Rows (M: every dim of the input but the last), depth (K) and columns (N).
    int64_t getRows();
    int64_t getDepth();
    int64_t getCols();
  }];
}

def QC_PackedConv2DOp : QC_Op<"packed_conv2d", [Pure, AttrSizedOperandSegments]> {
  let summary = "Convolution by constant weights packed for a micro-kernel";
  let description = [{
    The convolution of `qc.conv2d` as one GEMM per image and group,
    `output[n, o, p] = epilogue(sum_k W[o][k] * a'(k, p) + bias[o])`, with
    `p` the output pixel, `k = (c, ky, kx)` of the group's input channels,
    `a'(k, p)` the input (padding reads the input zero point) plus the
    kernel's `shift`, im2col'd at run time into the kernel's packed layout.
    `weights` is `[O][Kp]`: each output channel's `C/G x KH x KW` weights
    padded with zeros to a multiple of `kGroup`. `bias`, `multipliers`,
    `out_min` and `out_max` are per output channel, `residual` with
    `sum_type` a fused residual add, `activation` and its attributes a
    fused activation and `clamp_min` / `clamp_max` a fused f32 clamp, as
    for `qc.packed_matmul`.

    ```mlir
    %y = qc.packed_conv2d %x, %w, %b, %m {kernel = #qc.kernel<...>, kernel_shape = array<i64: 3, 3>,
                                          pads = array<i64: 1, 1, 1, 1>, out_min = 0 : i64, out_max = 255 : i64}
        : (...) -> tensor<1x16x8x8x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, QC_PackedWeights:$weights,
                       QC_PackedBias:$bias,
                       Optional<RankedTensorOf<[F32]>>:$multipliers,
                       QC_KernelAttr:$kernel,
                       DenseI64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       OptionalAttr<I64Attr>:$out_min,
                       OptionalAttr<I64Attr>:$out_max,
                       Optional<QC_Tensor>:$residual,
                       OptionalAttr<TypeAttr>:$sum_type,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max,
                       OptionalAttr<StrAttr>:$activation,
                       OptionalAttr<F32Attr>:$activation_alpha,
                       OptionalAttr<F32Attr>:$activation_beta,
                       OptionalAttr<F32Attr>:$activation_scale,
                       OptionalAttr<F32Attr>:$activation_shift);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weights `,` $bias (`,` $multipliers^)?
    (`residual` $residual^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The GEMM depth of one group (C/G x KH x KW).
    int64_t getDepth();
    /// Whether the input's channels are the GEMM's rows as they are (1x1,
    /// stride 1, no padding): no im2col.
    bool isPointwise();
  }];
}

def QC_PackedDepthwiseConv2DOp : QC_Op<"packed_depthwise_conv2d", [Pure]> {
  let summary = "Depthwise convolution with folded zero points";
  let description = [{
    The depthwise convolution (groups = channels) of `qc.conv2d`:
    `output[n, c, y, x] = epilogue(bias[c] + sum_{ky, kx} a[n, c, y*sy - pt +
    ky*dy, x*sx - pl + kx*dx] * weights[c, ky, kx])`. Quantized: `a` is the
    stored input byte (padding reads the input zero point), `weights` the i32
    `w - zp_w`, and `bias` the original bias minus `zp_in * sum(w - zp_w)`,
    so the i32 sum equals the reference's; the epilogue is that of
    `qc.packed_matmul`. f32: the sum starts at the bias and takes one FMA per
    tap in `(ky, kx)` order, as the reference does. A fused activation
    (`activation` and its attributes, with `sum_type` for a quantized
    result) is that of `qc.packed_matmul`.

    ```mlir
    %y = qc.packed_depthwise_conv2d %x, %w, %b, %m {kernel = #qc.kernel<kind = "depthwise", ...>,
                                                    pads = array<i64: 1, 1, 1, 1>, out_min = 0 : i64, out_max = 255 : i64}
        : (...) -> tensor<1x32x8x8x!quant.uniform<u8:f32, 0.2:0>>
    ```
  }];
  let arguments = (ins QC_Tensor:$input, RankedTensorOf<[I32, F32]>:$weights,
                       QC_PackedBias:$bias,
                       Optional<RankedTensorOf<[F32]>>:$multipliers,
                       QC_KernelAttr:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       OptionalAttr<I64Attr>:$out_min,
                       OptionalAttr<I64Attr>:$out_max,
                       OptionalAttr<TypeAttr>:$sum_type,
                       OptionalAttr<StrAttr>:$activation,
                       OptionalAttr<F32Attr>:$activation_alpha,
                       OptionalAttr<F32Attr>:$activation_beta,
                       OptionalAttr<F32Attr>:$activation_scale,
                       OptionalAttr<F32Attr>:$activation_shift);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weights `,` $bias (`,` $multipliers^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QC_DIALECT_QC_IR_QCKERNELOPS_TD
