//===- Passes.td - qc conversion passes --------------------*- tablegen -*-===//
//
// Lowering of qc graphs to loops, kernels and (through upstream passes) LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_PASSES_TD
#define QC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "ModuleOp"> {
  let summary = "Lower qc graphs on tensors to linalg and micro-kernels on "
                "memrefs in one statically planned workspace";
  let description = [{
    Every public function whose body is a qc graph on tensors becomes a
    function on memrefs: inputs first, then one output buffer per result,
    then a workspace `memref<Wxi8>` that holds every intermediate and every
    scratch buffer. Offsets in the workspace are planned statically by
    liveness (buffers whose lifetimes do not overlap share memory), so the
    generated code never allocates. `W` is recorded as the function's
    `qc.workspace_size` attribute. Constants (packed weights, biases,
    requantization multipliers) become `memref.global`s.

    Each op lowers to `linalg.generic` ops on storage types with exactly the
    semantics in the dialect's documentation; these are the **reference**
    lowering (with `reference`, everything takes it). Otherwise quantized
    and f32 convolutions and matmuls with constant weights take the
    target's packed micro-kernels: weights packed at compile time into the
    layout of the dot instruction (`kGroup` consecutive K values per 32-bit
    lane), zero-point and activation-shift terms folded into the bias, a
    register-tiled loop nest of `vpdpbusd`/`vpmaddwd`/`sdot` (or FMA for
    f32), and the requantization fused into the kernel's stores.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "Code generation target: host, x86-64-avx512vnni, x86-64-avxvnni, "
           "x86-64-avx2, aarch64-dotprod, x86-64, aarch64">,
    Option<"reference", "reference", "bool", /*default=*/"false",
           "Lower every op with the scalar reference lowering (the oracle "
           "the kernels are tested against)">,
    Option<"blockBytes", "block-bytes", "uint64_t", /*default=*/"0",
           "Cache budget in bytes of a GEMM row block (the rows of the "
           "broadcast operand every column tile passes over); 0 takes the "
           "target's">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def QCApproximateMath : Pass<"qc-approximate-math"> {
  let summary = "Replace exp, tanh and erf with vectorizable polynomials";
  let description = [{
    Rewrites `math.exp`, `math.tanh` and `math.erf` into the upstream
    polynomial approximations (arith ops only), so that the loops computing
    them vectorize and the generated code calls no libm function.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def QCEmitCInterface : Pass<"qc-emit-c-interface", "ModuleOp"> {
  let summary = "Give each lowered model the generic C entry points";
  let description = [{
    Runs on the LLVM dialect, after the lowering of a function produced by
    `convert-qc-to-linalg` with bare-pointer memref arguments. For each such
    function `NAME`, renames it `NAME_impl` (internal) and adds

    ```c
    size_t NAME_workspace_size(void);
    int NAME_run(const void *const *inputs, void *const *outputs, void *workspace);
    ```

    `NAME_run` takes the model's inputs and outputs in order as arrays of
    pointers to dense row-major data and returns 0.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // QC_CONVERSION_PASSES_TD
