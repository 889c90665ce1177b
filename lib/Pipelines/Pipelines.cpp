//===- Pipelines.cpp - qc pass pipelines ----------------------------------===//
//
// Assembles the qc passes into the pipelines the tools run.
//
//===----------------------------------------------------------------------===//

#include "qc/Pipelines/Pipelines.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::buildQuantizePipeline(OpPassManager &pm,
                                     const QuantizePipelineOptions &options) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  QCChooseSchemesOptions schemes;
  schemes.granularity = options.granularity;
  schemes.thresholdDb = options.thresholdDb;
  schemes.allowAsymmetric = options.allowAsymmetric;
  schemes.weightType = options.weightType;
  fpm.addPass(createQCChooseSchemes(schemes));
  QCInferScalesOptions scales;
  scales.activationType = options.activationType;
  scales.symmetricActivations = options.symmetricActivations;
  scales.strict = options.strict;
  fpm.addPass(createQCInferScales(scales));
  fpm.addPass(createQCFoldQDQ());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
}

void mlir::qc::registerQCPipelines() {
  PassPipelineRegistration<QuantizePipelineOptions>(
      "qc-quantize",
      "Quantize a float graph with calibration statistics: choose weight "
      "schemes, infer scales, fold QDQ pairs into integer ops",
      buildQuantizePipeline);
}
