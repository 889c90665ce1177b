//===- Passes.td - qc quantization passes ------------------*- tablegen -*-===//
//
// The passes that turn a float graph with calibration statistics into a
// quantized graph: choose weight schemes, infer scales (QDQ insertion), and
// fold QDQ pairs into integer ops.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_TRANSFORMS_PASSES_TD
#define QC_DIALECT_QC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QCRecognizePatterns : Pass<"qc-recognize-patterns", "func::FuncOp"> {
  let summary = "Turn chains of elementwise ops that spell an activation or "
                "a normalization into one qc op";
  let description = [{
    Exporters write many activations and normalizations as chains of
    elementwise nodes. Quantized step by step, such a chain is requantized
    after every node and its error compounds; as one op it is quantized
    once (an activation becomes a 256-entry table). Run before calibration,
    so that statistics are collected for the op's result only.

    | chain (operands in either order where the op commutes) | becomes |
    |---|---|
    | `clip(x * a + b, 0, 1)`; `clip(x + c, 0, k) / k` (`* (1/k)`) | `qc.activation hard_sigmoid` |
    | `x * hard_sigmoid(x)` (slope 1/6, offset 1/2); `x * clip(x + 3, 0, 6) / 6` | `qc.activation hard_swish` |
    | `x * sigmoid(x)` | `qc.activation silu` |
    | `x * 1`, `x / 1` (Swish's beta of 1: `x * sigmoid(x * 1)`) | `x` |
    | `activation(x) * s + t` (scalars; also `/ s`, `- t`) | the activation's `scale` and `shift` |
    | `conv(x) * s + t` (scalars or per-channel `[C, 1, 1]` constants) | the convolution's weight and bias |
    | `matmul(x, W) * s + t` (W a constant matrix; scalars or per-column `[N]` constants; also `- t`) | the matmul's weight and bias |
    | `x * 0.5 * (1 + erf(x / sqrt(2)))` (any association; `* (1/sqrt(2))`, `/ 2`) | `qc.activation gelu` |
    | `x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))` (`x^3` as a pow or two muls) | `qc.activation gelu_tanh` |
    | `x * tanh(softplus(x))` (softplus as `log(exp(x) + 1)` or qc's stable form) | `qc.activation mish` |
    | `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)`, then `* gamma`, `+ beta` | `qc.layer_norm` |
    | `x / sqrt(mean(x^2) + eps)` (or `x * (1 / sqrt(...))`), then `* gamma` | `qc.layer_norm {rms}` |

    Means are over trailing dims with `keepdims`; `gamma` and `beta` must
    be constants (or have the normalized shape). Constants match to a
    relative 1e-4 (1/6 written as 0.1666667 matches). Values inside a chain
    that have users outside it are left alone (the chain does not match).
    The f32 result may differ from the chain's by rounding.
  }];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect"];
}

def QCApplyBiasShifts : Pass<"qc-apply-bias-shifts", "func::FuncOp"> {
  let summary = "Subtract the recorded bias corrections of the layers to "
                "be quantized";
  let description = [{
    `qc --bias-correction` records on each convolution and matmul the mean
    shift its 8-bit weights will make to each output channel, as a
    `qc.bias_shift` attribute (a 1-D f32 dense array, one per output
    channel). This pass, the first of `qc-quantize`, subtracts it from the
    op's constant bias (adding a bias where there is none) unless the op
    stays in f32 (`qc.keep_float`), whose weights are not rounded, and
    drops the attribute either way. A shift on anything but an f32
    convolution or matmul, of the wrong size, or with a bias that is not a
    constant, is an error.

    ```mlir
    %y = qc.matmul %x, %w, %b {qc.bias_shift = dense<[0.1, -0.2]> : tensor<2xf32>} ...
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QCChooseSchemes : Pass<"qc-choose-schemes", "func::FuncOp"> {
  let summary = "Choose per-tensor or per-channel (and symmetric or not) "
                "quantization for each constant weight";
  let description = [{
    For every convolution and matmul whose weight is a constant, quantizes
    the weight under each candidate scheme the target allows (per-tensor
    and per-output-channel; symmetric, and asymmetric where allowed),
    measures the error as an SQNR in dB, and records the choice as the op's
    `qc.weight_scheme` attribute (`#qc.scheme<...>`, with the SQNR).

    The SQNR averages the relative squared error over output channels, so a
    channel of small weights counts as much as one of large weights (each
    output channel is a feature of its own after requantization).
    Per-channel is chosen when it beats per-tensor by more than
    `threshold-db`; asymmetric only when allowed and better than symmetric
    by the same margin (an asymmetric weight costs a run-time correction
    term). x86 VNNI (`vpdpbusd`, u8 x s8) wants symmetric s8 weights, the
    default. Each choice is explained in a remark. Ops that already carry a
    `qc.weight_scheme` keep it.

    ```mlir
    %y = qc.conv2d %x, %w {qc.weight_scheme = #qc.scheme<per_channel = 0, symmetric, i8, sqnr = 44.2>} ...
    ```
  }];
  let options = [
    Option<"granularity", "granularity", "std::string", /*default=*/"\"auto\"",
           "Weight granularity: auto (measure), per-tensor or per-channel">,
    Option<"thresholdDb", "threshold-db", "double", /*default=*/"1.0",
           "SQNR gain (dB) a finer or asymmetric scheme needs to be chosen">,
    Option<"allowAsymmetric", "allow-asymmetric", "bool", /*default=*/"false",
           "Consider asymmetric weights (not for x86 VNNI kernels)">,
    Option<"weightType", "weight-type", "std::string", /*default=*/"\"i8\"",
           "Weight storage type: i8 or u8">,
    Option<"narrowRange", "narrow-range", "bool", /*default=*/"false",
           "Use the narrow range ([-127, 127] for i8)">,
  ];
}

def QCInferScales : Pass<"qc-infer-scales", "func::FuncOp"> {
  let summary = "Derive quantization parameters from calibration statistics "
                "and propagation rules, inserting QDQ pairs";
  let description = [{
    Input: a float graph whose activations carry `qc.stats` ops. Output: a
    `qc.quantize` / `qc.dequantize` pair after every value that gets
    quantization parameters; the `qc.stats` ops are consumed.

    Parameters follow each op's `QuantPropagationInterface` rule:
    * **free** ops (convolution, matmul, add, average pooling, ...) take the
      range of their result's statistics; a `qc.clamp` (ReLU, ReLU6, Clip)
      that is the only user narrows that range, so the clamp becomes the
      saturation of the requantization;
    * **same-scale** ops (reshape, transpose, max pooling, clamp, concat)
      give their result the parameters of their input; concat unifies its
      inputs (the union of their ranges) and requantizes an input only where
      its producer cannot simply be given the unified parameters;
    * **fixed-range** ops (sigmoid and softmax [0, 1], tanh and erf [-1, 1])
      take the exact scale (hi - lo) / 2^bits (1/256, 1/128);
    * a constant **weight** is quantized with its `qc.weight_scheme`
      (per-channel symmetric i8 when there is none);
    * a **bias** becomes i32 with zero point 0 and scale input scale x
      weight scale (per channel where the weight is).

    Bool and integer values (masks, indices) are never quantized, and the
    result of a `qc.select` stays f32 whatever its statistics: its range
    holds a mask's fill (-10000 in an attention mask) that no 8-bit scale
    shares with the values the mask leaves.

    Each conflict resolved with a requantization is reported as a remark. A
    value without statistics whose rule needs them stays f32, or, with
    `strict`, is an error naming the op.
  }];
  let options = [
    Option<"activationType", "activation-type", "std::string",
           /*default=*/"\"u8\"", "Activation storage type: u8 or i8">,
    Option<"symmetricActivations", "symmetric-activations", "bool",
           /*default=*/"false", "Quantize activations symmetrically">,
    Option<"strict", "strict", "bool", /*default=*/"false",
           "Fail on a value that cannot be given parameters instead of "
           "leaving it f32">,
    Option<"wideSums", "wide-sums", "bool", /*default=*/"true",
           "Quantize a convolution or matmul whose only user is a residual "
           "add to 16 bits (the add's interface accepts it) instead of 8">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::quant::QuantDialect"];
}

def QCFoldQDQ : Pass<"qc-fold-qdq", "func::FuncOp"> {
  let summary = "Fold quantize/dequantize pairs into integer ops";
  let description = [{
    * `dequantize -> op -> quantize`, with every operand dequantized (a float
      constant bias is quantized to i32 on the way), becomes the op on
      quantized types when that form verifies;
    * `quantize(dequantize(x))` becomes `x` when the types agree and a
      `qc.requantize` otherwise; chains of requantizations merge into one
      (which rounds once instead of twice);
    * a `qc.clamp` whose bounds cover every value its quantized type can
      represent is removed (its work is done by the producer's saturation);
    * `qc.quantize` of a constant becomes a `qc.constant` of storage
      integers (i8/u8 weights, i32 biases), so weights are never quantized at
      run time; `qc.quantize`/`qc.dequantize` with constant runtime
      parameters take the typed form when the parameters are constants;
    * what cannot be folded (an op without a quantized form, mixed operands)
      stays `dequantize -> f32 op -> quantize`, which is correct.
  }];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::quant::QuantDialect"];
}

def QCTileBatch : Pass<"qc-tile-batch", "ModuleOp"> {
  let summary = "Run a model over batch tiles that fit in cache";
  let description = [{
    A model lowered as written runs layer by layer over its whole batch:
    once the intermediates of a layer outgrow the cache, every layer streams
    them from memory. When every op of a model function treats the samples
    of its leading (batch) dimension independently (convolution, pooling,
    matmul rows, elementwise ops, reshapes and transposes that keep the
    batch first, reductions and normalizations over other axes), this pass
    makes copies of the function for a batch tile `B` (and for the remainder
    `N % B`), sized so that the per-sample bytes of all values times `B`
    stay under `tile-bytes`, and removes the original. The C entry point
    `NAME_run` then calls the tile function on consecutive slices of the
    inputs and outputs (see `qc-emit-c-interface`); the workspace shrinks
    to that of one tile. A function with an op outside these rules, or
    whose batch fits already, is left as it is.

    The copies are marked `qc.batch_of = "NAME"`, `qc.batch_count` (full
    tiles), `qc.batch_strides` (bytes per tile of each input, then each
    output) and `qc.batch_tail` (the remainder's function), or
    `qc.batch_tail_of` on the remainder.
  }];
  let options = [
    Option<"tileBytes", "tile-bytes", "int64_t", /*default=*/"262144",
           "Bytes of all values of one tile (0: no tiling)">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

def QCSelectKernels : Pass<"qc-select-kernels", "ModuleOp"> {
  let summary = "Bind each eligible convolution and matmul to a micro-kernel";
  let description = [{
    The kernel decision, made once and written into the IR. Reads the target
    from the `target` option or else the module's `qc.target` attribute
    (default `host`; the option's value is recorded on the module). Each
    `qc.conv2d` and `qc.matmul` whose weights are constant and whose types
    the target's kernels take becomes a `qc.packed_conv2d`,
    `qc.packed_matmul` or `qc.packed_depthwise_conv2d`: the weights packed
    into the kernel's layout (a new constant), the zero-point and
    activation-shift terms folded into an i32 bias, the requantization
    multipliers and output range spelled out, and a `#qc.kernel` with the
    instruction family, register tile, K grouping, cache blocks and shift.
    Every decision is a remark: the kernel and its tile, or the reason the
    op stays on the reference lowering (non-constant or asymmetric weights,
    a type the kernels do not take, an accumulator that could overflow i32,
    a target without dot-product instructions).

    Then, with `fuse-epilogues` (the default), each 8-bit `qc.add` of a
    requantized `qc.packed_conv2d` or `qc.packed_matmul` result (used only
    there) and another tensor of the same shape moves into that product's
    epilogue as its `residual`: the add's arithmetic runs on the values
    still in registers and the product's own 8-bit result is never stored.
    A remark on the product says so, or on the add why not. An f32
    `qc.add` of an f32 product (its only use) and a tensor of its shape
    moves in the same way (the residual added to the sums), then an f32
    `qc.clamp` (ReLU, ReLU6, Clip) of an f32 product's result, its only
    use (`clamp_min`, `clamp_max`, applied after the residual): ResNet's
    conv, add and ReLU become one kernel.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target name (default: the module's qc.target, else host)">,
    Option<"blockBytes", "block-bytes", "uint64_t", /*default=*/"0",
           "Cache budget in bytes of a GEMM row block (0: the target's)">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Fuse residual adds and f32 clamps into the epilogues of the products">,
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // QC_DIALECT_QC_TRANSFORMS_PASSES_TD
