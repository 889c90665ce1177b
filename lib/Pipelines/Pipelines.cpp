//===- Pipelines.cpp - qc pass pipelines ----------------------------------===//
//
// Assembles the qc passes into the pipelines the tools run.
//
//===----------------------------------------------------------------------===//

#include "qc/Pipelines/Pipelines.h"
#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::buildQuantizePipeline(OpPassManager &pm,
                                     const QuantizePipelineOptions &options) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createQCApplyBiasShifts());
  QCChooseSchemesOptions schemes;
  schemes.granularity = options.granularity;
  schemes.thresholdDb = options.thresholdDb;
  schemes.allowAsymmetric = options.allowAsymmetric;
  schemes.weightType = options.weightType;
  schemes.narrowRange = options.narrowRange;
  fpm.addPass(createQCChooseSchemes(schemes));
  QCInferScalesOptions scales;
  scales.activationType = options.activationType;
  scales.symmetricActivations = options.symmetricActivations;
  scales.strict = options.strict;
  scales.wideSums = options.wideSums;
  fpm.addPass(createQCInferScales(scales));
  fpm.addPass(createQCFoldQDQ());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
}

/// The upstream passes the lowering pipeline names, registered once.
static void registerUpstreamLoweringPasses() {
  static const bool registered = [] {
    registerConversionPasses();
    registerLinalgPasses();
    memref::registerMemRefPasses();
    registerTransformsPasses();
    return true;
  }();
  (void)registered;
}

void mlir::qc::buildLowerToLLVMPipeline(OpPassManager &pm,
                                        const LowerPipelineOptions &options) {
  registerUpstreamLoweringPasses();
  QCTileBatchOptions tiling;
  tiling.tileBytes = options.batchTileBytes;
  pm.addPass(createQCTileBatch(tiling));
  if (!options.reference) {
    QCSelectKernelsOptions select;
    select.target = options.target;
    select.blockBytes = options.blockBytes;
    pm.addPass(createQCSelectKernels(select));
  }
  ConvertQCToLinalgOptions lowering;
  lowering.target = options.target;
  lowering.reference = options.reference;
  lowering.outline = options.outline;
  pm.addPass(createConvertQCToLinalg(lowering));
  pm.addPass(createQCPlanWorkspace());
  pm.addPass(createCanonicalizerPass());
  // Constants the kernels replaced by packed copies are dead now.
  pm.addPass(createSymbolDCEPass());
  // The upstream lowering, spelled as pipeline strings so that it reads as
  // it would on the mlir-opt command line.
  auto add = [&](OpPassManager &to, StringRef pipeline) {
    if (failed(parsePassPipeline(pipeline, to)))
      llvm::report_fatal_error("qc: malformed built-in lowering pipeline");
  };
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  add(fpm, "convert-linalg-to-loops");
  fpm.addPass(createQCApproximateMath());
  add(fpm, "lower-affine, convert-scf-to-cf, canonicalize");
  add(pm, "expand-strided-metadata, lower-affine, finalize-memref-to-llvm,"
          "convert-math-to-llvm, convert-vector-to-llvm, convert-arith-to-llvm,"
          "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
          "convert-cf-to-llvm, reconcile-unrealized-casts, canonicalize");
  pm.addPass(createQCEmitCInterface());
}

void mlir::qc::registerQCPipelines() {
  registerUpstreamLoweringPasses();
  PassPipelineRegistration<LowerPipelineOptions>(
      "qc-lower-to-llvm",
      "Lower quantized (or f32) qc graphs to the LLVM dialect with the "
      "target's kernels and the generic C entry points",
      buildLowerToLLVMPipeline);
  PassPipelineRegistration<QuantizePipelineOptions>(
      "qc-quantize",
      "Quantize a float graph with calibration statistics: choose weight "
      "schemes, infer scales, fold QDQ pairs into integer ops",
      buildQuantizePipeline);
}
