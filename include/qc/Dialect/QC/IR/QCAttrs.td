//===- QCAttrs.td - Calibration statistics and schemes -----*- tablegen -*-===//
//
// Attributes the quantization passes communicate through: what calibration
// observed about a value (#qc.stats) and what was chosen for a weight
// (#qc.scheme).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECT_QC_IR_QCATTRS_TD
#define QC_DIALECT_QC_IR_QCATTRS_TD

include "qc/Dialect/QC/IR/QCBase.td"

class QC_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<QC_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def QC_StatsAttr : QC_Attr<"Stats", "stats"> {
  let summary = "Calibration statistics of one value";
  let description = [{
    The real range a value took while the float model ran on calibration
    samples, and optionally a histogram of the values: `histogram[i]` counts
    the values in the i-th of `histogram.size()` equal bins spanning
    `[min, max]`. Attached to a value by a `qc.stats` op; consumed by
    `qc-infer-scales`.

    ```mlir
    #qc.stats<min = -1.5, max = 4.0>
    #qc.stats<min = 0.0, max = 6.0, histogram = [10, 0, 3, 1]>
    ```
  }];
  let parameters = (ins APFloatParameter<"lowest value">:$min,
                        APFloatParameter<"highest value">:$max,
                        OptionalArrayRefParameter<"int64_t">:$histogram);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "double":$min, "double":$max,
                     CArg<"::llvm::ArrayRef<int64_t>", "{}">:$histogram), [{
      return $_get($_ctxt, ::llvm::APFloat(min), ::llvm::APFloat(max),
                   histogram);
    }]>
  ];
  let extraClassDeclaration = [{
    double getMinValue() const { return getMin().convertToDouble(); }
    double getMaxValue() const { return getMax().convertToDouble(); }
  }];
}

def QC_SchemeAttr : QC_Attr<"Scheme", "scheme"> {
  let summary = "The quantization scheme chosen for a weight";
  let description = [{
    Granularity (`per_tensor`, or `per_channel` along an axis), symmetry,
    storage type and range, and the measured signal-to-quantization-noise
    ratio (dB) of the choice when known. Recorded by `qc-choose-schemes` as
    the `qc.weight_scheme` attribute of a convolution or matmul, and read by
    `qc-infer-scales`.

    ```mlir
    #qc.scheme<per_channel = 0, symmetric, i8>
    #qc.scheme<per_tensor, asymmetric, u8, narrow, sqnr = 38.5>
    ```
  }];
  let parameters = (ins "bool":$perChannel, "int64_t":$axis,
                        "bool":$symmetric, "unsigned":$bits,
                        "bool":$isSigned, "bool":$narrow,
                        OptionalParameter<"::mlir::FloatAttr">:$sqnr);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The scheme as the quantization math takes it.
    ::mlir::qc::QuantScheme getQuantScheme() const;
  }];
}

def QC_KernelAttr : QC_Attr<"Kernel", "kernel"> {
  let summary = "The micro-kernel qc-select-kernels chose for a product";
  let description = [{
    Everything the kernel decision fixed for a `qc.packed_matmul`,
    `qc.packed_conv2d` or `qc.packed_depthwise_conv2d`, so that the lowering
    only reads it:

    * `kind`: the instruction family of the inner loop: `amx` (AMX-INT8
      tiles, `tdpbusd`/`tdpbsud`, 64 K values per step), `vnni512`
      (`vpdpbusd` zmm), `vnni256` (`{vex} vpdpbusd` ymm), `avx2-maddwd`
      (`vpmaddwd` on widened bytes), `neon-sdot` (AArch64 `sdot`), `fma`
      (f32 FMA) or `depthwise` (a per-channel loop nest LLVM vectorizes);
    * `lanes`: 32-bit lanes per vector; `kGroup`: consecutive K values per
      lane of the packed operand (4 for the dot instructions, 2 for
      `vpmaddwd`, 1 for f32);
    * `tileRows` x `tileVectors`: the register tile (rows of the broadcast
      operand x vectors of the packed one);
    * `blockRows`: rows of the broadcast operand per cache block;
    * `blockDepth` (f32 only; omitted when 0, all of K): K values per cache
      block. The kernel then runs over K in blocks, each pass adding to the
      partial sums the previous one stored in the f32 output, so that one
      block of the packed operand's column tile stays in L2 while the row
      tiles pass over it (deep K: 4096 f32 values make a 48-column tile
      768 KiB);
    * `shift`: the constant added to every activation byte so that it has
      the signedness the instruction wants (0, +128 for i8 activations on
      x86, -128 for u8 activations on AArch64), compensated in the bias.

    ```mlir
    #qc.kernel<kind = "vnni512", lanes = 16, kGroup = 4, tileRows = 8,
               tileVectors = 3, blockRows = 64, shift = 0>
    ```
  }];
  let parameters = (ins StringRefParameter<"instruction family">:$kind,
                        "unsigned":$lanes, "unsigned":$kGroup,
                        "unsigned":$tileRows, "unsigned":$tileVectors,
                        "int64_t":$blockRows, "int64_t":$shift,
                        DefaultValuedParameter<"int64_t", "0">:$blockDepth);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Columns of one tile of the packed operand (lanes x vectors).
    int64_t getTileCols() const { return int64_t(getLanes()) * getTileVectors(); }
    /// Whether the kernel computes in f32.
    bool isFloat() const { return getKind() == "fma"; }
    /// What the packed operands pad K to: the K group, or 64 for AMX (one
    /// tile row of bytes per step).
    int64_t getDepthAlign() const {
      return getKind() == "amx" ? 64 : int64_t(getKGroup());
    }
    int64_t getPaddedDepth(int64_t depth) const {
      int64_t a = getDepthAlign();
      return (depth + a - 1) / a * a;
    }
  }];
}

#endif // QC_DIALECT_QC_IR_QCATTRS_TD
