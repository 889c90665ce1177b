//===- Pipelines.h - qc pass pipelines --------------------------*- C++ -*-===//
//
// The pass pipelines qc offers as units: `qc-quantize` (float graph with
// statistics -> quantized graph). Registered in qopt and called by the qc
// driver.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PIPELINES_PIPELINES_H
#define QC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::qc {

/// Options of the qc-quantize pipeline: those of qc-choose-schemes and
/// qc-infer-scales, under the same names.
struct QuantizePipelineOptions
    : public PassPipelineOptions<QuantizePipelineOptions> {
  Option<std::string> activationType{
      *this, "activation-type",
      llvm::cl::desc("Activation storage type: u8 or i8"), llvm::cl::init("u8")};
  Option<bool> symmetricActivations{
      *this, "symmetric-activations",
      llvm::cl::desc("Quantize activations symmetrically"),
      llvm::cl::init(false)};
  Option<bool> strict{*this, "strict",
                      llvm::cl::desc("Fail on a value that cannot be given "
                                     "parameters instead of leaving it f32"),
                      llvm::cl::init(false)};
  Option<bool> wideSums{
      *this, "wide-sums",
      llvm::cl::desc("Quantize a convolution or matmul whose only user is a "
                     "residual add to 16 bits instead of 8 (one rounding "
                     "before the add, in the kernel's epilogue)"),
      llvm::cl::init(true)};
  Option<std::string> granularity{
      *this, "granularity",
      llvm::cl::desc("Weight granularity: auto, per-tensor or per-channel"),
      llvm::cl::init("auto")};
  Option<double> thresholdDb{
      *this, "threshold-db",
      llvm::cl::desc("SQNR gain (dB) a finer or asymmetric weight scheme "
                     "needs to be chosen"),
      llvm::cl::init(1.0)};
  Option<bool> allowAsymmetric{
      *this, "allow-asymmetric",
      llvm::cl::desc("Consider asymmetric weights"), llvm::cl::init(false)};
  Option<std::string> weightType{
      *this, "weight-type", llvm::cl::desc("Weight storage type: i8 or u8"),
      llvm::cl::init("i8")};
  Option<bool> narrowRange{
      *this, "narrow-range",
      llvm::cl::desc("Symmetric weights use [-127, 127] (i8) instead of "
                     "[-128, 127]"),
      llvm::cl::init(false)};
};

/// Options of the qc-lower-to-llvm pipeline.
struct LowerPipelineOptions
    : public PassPipelineOptions<LowerPipelineOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc(
          "Code generation target (host, x86-64-amx, x86-64-avx512vnni, "
          "x86-64-avxvnni, x86-64-avx2, aarch64-dotprod, x86-64, aarch64)"),
      llvm::cl::init("host")};
  Option<bool> reference{
      *this, "reference",
      llvm::cl::desc("Use the scalar reference lowering for every op"),
      llvm::cl::init(false)};
  Option<uint64_t> blockBytes{
      *this, "block-bytes",
      llvm::cl::desc("Cache budget of a GEMM row block in bytes (0: the "
                     "target's)"),
      llvm::cl::init(0)};
  Option<bool> outline{
      *this, "outline",
      llvm::cl::desc("Lower each op into a function of its own"),
      llvm::cl::init(true)};
  Option<int64_t> batchTileBytes{
      *this, "batch-tile-bytes",
      llvm::cl::desc("Run batch-separable models over batch tiles whose "
                     "values take at most this many bytes (0: whole batch)"),
      llvm::cl::init(262144)};
};

/// convert-qc-to-linalg, then the upstream lowering of linalg, scf, memref,
/// math, vector, arith and func to the LLVM dialect (bare-pointer memref
/// arguments), then qc-emit-c-interface.
void buildLowerToLLVMPipeline(OpPassManager &pm,
                              const LowerPipelineOptions &options);

/// qc-choose-schemes, qc-infer-scales, qc-fold-qdq, then canonicalization
/// and CSE, on every function.
void buildQuantizePipeline(OpPassManager &pm,
                           const QuantizePipelineOptions &options);

/// Registers the qc pipelines with the pass registry (for qopt).
void registerQCPipelines();

} // namespace mlir::qc

#endif // QC_PIPELINES_PIPELINES_H
