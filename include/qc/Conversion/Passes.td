//===- Passes.td - qc conversion passes --------------------*- tablegen -*-===//
//
// Lowering of qc graphs to loops, kernels and (through upstream passes) LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef QC_CONVERSION_PASSES_TD
#define QC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "ModuleOp"> {
  let summary = "Lower qc graphs on tensors to linalg, loops and micro-kernel "
                "calls on memrefs, one conversion pattern per op";
  let description = [{
    Every function whose body is a qc graph on tensors becomes a function on
    memrefs: its inputs, then one output buffer per result (the function
    returns nothing; `qc.num_inputs` records how many arguments are
    inputs). Each op is converted by its pattern: the reference lowering
    (`linalg.generic` ops on storage types with exactly the semantics of the
    dialect's documentation), the micro-kernel patterns of the
    `qc.packed_*` ops that `qc-select-kernels` made (one per kernel kind,
    calling shared, parameterized kernel functions), or a target's fast
    path. Every buffer an op needs is a `memref.alloc` before it, for
    `qc-plan-workspace` to place; a returned result is computed straight
    into its output buffer. Constants become `memref.global`s. With
    `outline` (the default), each op's code is a private function of its
    own, called from the model function, so that LLVM optimizes many small
    functions rather than one huge one. A pattern that does not apply says
    why (`-debug-only=dialect-conversion`).
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "Target of the fast paths (default: the module's qc.target)">,
    Option<"reference", "reference", "bool", /*default=*/"false",
           "Only the reference lowering (no fast paths; qc.packed_* ops are "
           "an error)">,
    Option<"outline", "outline", "bool", /*default=*/"true",
           "Lower each op into a function of its own">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def QCPlanWorkspace : Pass<"qc-plan-workspace", "ModuleOp"> {
  let summary = "Place a lowered model's buffers in one static workspace";
  let description = [{
    Runs after `convert-qc-to-linalg`. Every `memref.alloc` in a model
    function's body is a buffer with a live interval, from the allocation
    to the last top-level op that uses it or a view of it. The intervals are
    placed largest first, each at the lowest 64-byte-aligned offset that
    overlaps no placed interval alive at the same time, in one workspace
    `memref<Wxi8>` that becomes the function's last argument; the
    allocations become `memref.view`s of it, and `W` (plus 64 bytes of slack
    for vector loads that read past a buffer's end) is recorded as
    `qc.workspace_size`. The generated code never allocates.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
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
