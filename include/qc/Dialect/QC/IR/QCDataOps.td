//===- QCDataOps.td - Padding, resampling, broadcast, gather -*- tablegen -*-===//
//
// The data-movement ops of CNN, detector and transformer graphs beyond
// reshape/transpose/slice/concat: padding (constant, edge, reflect),
// resizing (nearest, linear, cubic, with ONNX's coordinate modes),
// broadcasting to a larger shape, and selecting positions along an axis.
// Every shape they depend on is static: the result type gives the output
// shape, the attributes what the importer fixed at compile time.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCDATAOPS_TD
#define QC_DIALECT_QC_IR_QCDATAOPS_TD

/// A string attribute restricted to `cases` (printed as the string).
class QC_StrAttrOf<list<string> cases> : StringBasedAttr<
    And<[StrAttrPred, CPred<
        "::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{" #
        !interleave(!foreach(c, cases, "\"" # c # "\""), ", ") #
        "}, ::llvm::cast<::mlir::StringAttr>($_self).getValue())">]>,
    "string attribute, one of: " # !interleave(cases, ", ")>;

def QC_PadMode : QC_StrAttrOf<["constant", "edge", "reflect"]>;
def QC_ResizeMode : QC_StrAttrOf<["nearest", "linear", "cubic"]>;
def QC_CoordinateMode : QC_StrAttrOf<["half_pixel", "half_pixel_symmetric",
    "pytorch_half_pixel", "align_corners", "asymmetric",
    "tf_half_pixel_for_nn"]>;
def QC_NearestMode : QC_StrAttrOf<["round_prefer_floor", "round_prefer_ceil",
    "floor", "ceil"]>;

def QC_PadOp : QC_Op<"pad", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Pads a tensor (ONNX Pad in constant, edge or reflect mode)";
  let description = [{
    `pads` holds `2 x rank` non-negative counts in ONNX's order: the
    elements added before each dim, then those added after each dim
    (`[b_0, ..., b_(r-1), e_0, ..., e_(r-1)]`); result dim `d` has size
    `in_d + b_d + e_d`. Output position `o` reads input position
    `i = o - b` in each dim; where `i` falls outside `[0, in_d)`:

    * `constant`: the element is `value`, a real value (on a quantized
      tensor, `quantize(value)` with the operand's parameters);
    * `edge`: `i` is clamped to `[0, in_d - 1]`;
    * `reflect`: `i` is mirrored about the first and the last element
      without repeating them, as often as needed (numpy's `reflect`): with
      period `p = 2 (in_d - 1)` and `j = i mod p` in `[0, p)`, it reads
      `j < in_d ? j : p - j`; a dim of size 1 repeats its element.

    Quantized operands keep their parameters: the op moves storage
    integers, and the result has the operand's element type. Bool and
    integer operands are moved as they are (a constant pad fills with
    `value`, an integer).

    ```mlir
    %y = qc.pad %x {mode = "reflect", pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>}
        : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedStrAttr<QC_PadMode, "constant">:$mode,
                       DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The input position that output position `position` of dim `dim`
    /// reads, or -1 where the element is the constant `value`.
    int64_t getSourceIndex(unsigned dim, int64_t position);
  }];
}

def QC_ResizeOp : QC_Op<"resize", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Resizes a tensor by interpolation (ONNX Resize, Upsample)";
  let description = [{
    Every dim `d` of the input (size `in`) is resampled to the result's size
    `out` with the factor `s = scales[d]` (ONNX's scale, or `out / in` when
    ONNX gave sizes). With `L = s * in` (the real resized length, which
    ONNX's reference uses; `out = floor(L)`), output coordinate `x` maps to
    the input coordinate `x'` (in f64) by `coordinate_mode`:

    * `half_pixel`: `(x + 0.5) / s - 0.5`;
    * `half_pixel_symmetric`: the same plus `in / 2 * (1 - out / L)`;
    * `pytorch_half_pixel`: `(x + 0.5) / s - 0.5`, or `0` when `L = 1`;
    * `align_corners`: `x * (in - 1) / (L - 1)`, or `0` when `L = 1`;
    * `asymmetric`: `x / s`;
    * `tf_half_pixel_for_nn`: `(x + 0.5) / s`.

    Then `mode` selects the interpolation (input indices are clamped to
    `[0, in - 1]`, the edge value):

    * `nearest`: the element at `x'` rounded by `nearest_mode`
      (`round_prefer_floor` rounds halves down, `round_prefer_ceil` up,
      `floor`, `ceil`);
    * `linear`: with `f = floor(x')`, `r = x' - f`:
      `(1 - r) * in[f] + r * in[f + 1]`;
    * `cubic`: `sum_t W(t - r) * in[f + t]` for `t = -1 .. 2`, with Keys'
      kernel of parameter `a = cubic_coeff_a`: `W(u) = (a + 2)|u|^3 -
      (a + 3)|u|^2 + 1` for `|u| <= 1`, `a|u|^3 - 5a|u|^2 + 8a|u| - 4a`
      for `1 < |u| < 2`. With `exclude_outside`, taps outside `[0, in)`
      get weight 0 and the others are scaled to sum to 1.

    Linear and cubic interpolation are separable: they apply to one dim
    after another, in dim order, in f32 with the weights rounded to f32
    (dims whose mapping is the identity are skipped; `linear` on the two
    last dims of NCHW is bilinear). On quantized operands, `nearest` moves
    storage integers (the result has the operand's parameters); `linear`
    and `cubic` dequantize, interpolate and quantize with the result's
    parameters. Bool and integer operands take `nearest` only.

    ```mlir
    %y = qc.resize %x {mode = "linear", coordinate_mode = "pytorch_half_pixel",
                       scales = array<f64: 1.0, 1.0, 2.0, 2.0>}
        : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input, DenseF64ArrayAttr:$scales,
      DefaultValuedStrAttr<QC_ResizeMode, "nearest">:$mode,
      DefaultValuedStrAttr<QC_CoordinateMode, "half_pixel">:$coordinate_mode,
      DefaultValuedStrAttr<QC_NearestMode, "round_prefer_floor">:$nearest_mode,
      DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
      DefaultValuedAttr<BoolAttr, "false">:$exclude_outside);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// How one dim is resampled: output position `o` reads input positions
    /// `indices[o * count + t]` with weights `weights[o * count + t]` for
    /// `t < count` (one tap of weight 1 for `nearest`).
    struct Taps {
      int64_t count = 1;
      ::llvm::SmallVector<int64_t> indices;
      ::llvm::SmallVector<double> weights;
      /// Whether output position `o` is input position `o` (weight 1).
      bool isIdentity() const;
    };
    /// The taps of dim `dim` (computed in f64 as the description says).
    Taps getTaps(unsigned dim);
  }];
}

def QC_BroadcastOp : QC_Op<"broadcast", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Broadcasts a tensor to a larger shape (ONNX Expand)";
  let description = [{
    numpy broadcasting to the result's shape: the input's dims align with
    the result's last dims, and each is either the result's size or 1
    (repeated along that dim). `output[i] = input[j]` with `j_d = 0` where
    the input's dim is 1 and `i_d` (of the aligned dim) elsewhere. ONNX
    Tile imports as a reshape, a broadcast and a reshape. Quantized operands
    keep their parameters; bool and integer ones are copied as they are.

    ```mlir
    %y = qc.broadcast %cls : (tensor<1x1x64xf32>) -> tensor<4x1x64xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def QC_GatherOp : QC_Op<"gather", [Pure,
    DeclareOpInterfaceMethods<QC_QuantPropagationInterface>]> {
  let summary = "Selects positions along one axis (ONNX Gather with constant indices)";
  let description = [{
    `output[..., k, ...] = input[..., indices[k], ...]` along `axis`
    (negative counts from the back): the result has the input's shape with
    that dim replaced by the number of indices, each in `[0, dim)`. ONNX
    Gather with constant indices of other shapes, and GatherElements, import
    as this op between reshapes. Quantized operands keep their parameters;
    bool and integer ones are copied as they are.

    ```mlir
    %y = qc.gather %x {axis = 1 : i64, indices = array<i64: 2, 0, 2>}
        : (tensor<2x5x8xf32>) -> tensor<2x3x8xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$indices);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis counted from the front.
    int64_t getNormalizedAxis();
  }];
}

def QC_TakeOp : QC_Op<"take", [Pure]> {
  let summary = "Selects positions along one axis at run-time indices (ONNX Gather)";
  let description = [{
    `output[p..., q..., s...] = data[p..., k, s...]` with
    `k = indices[q...]` along `axis`: the result's shape is the data's with
    that dim replaced by the indices' shape. ONNX Gather with indices
    computed at run time (token ids into an embedding table) imports as
    this op. An index `k` in `[-dim, 0)` counts from the back, as ONNX
    defines; ONNX leaves indices outside `[-dim, dim)` undefined, and here
    they read the nearest valid position (clamped to `[0, dim - 1]`, as
    XLA's gather does), so no input makes the code read outside the data.
    Values are moved, never rescaled: quantized data keeps its parameters,
    bool and integer data are copied as they are.

    ```mlir
    %e = qc.take %table, %ids {axis = 0 : i64}
        : (tensor<1000x64xf32>, tensor<2x16xi64>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins QC_ValueTensor:$data, RankedTensorOf<[I32, I64]>:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs QC_ValueTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis counted from the front.
    int64_t getNormalizedAxis();
  }];
}

#endif // QC_DIALECT_QC_IR_QCDATAOPS_TD
