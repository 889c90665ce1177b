//===- Compiler.cpp - The qc compilation pipeline as a library ------------===//
//
// Runs the quantization and lowering pipelines on a module.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Compiler.h"
#include "qc/Codegen/Codegen.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/InitAll.h"
#include "qc/Pipelines/Pipelines.h"

#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerCodegenTranslations(registry);
}

/// A timing scope nested in the options' (a no-op one without timing).
static TimingScope nestTiming(const CompileOptions &options, StringRef name) {
  return options.timing ? options.timing->nest(name) : TimingScope();
}

static void configure(PassManager &pm, const CompileOptions &options,
                      TimingScope &timing) {
  if (timing)
    pm.enableTiming(timing);
  if (options.printIR) {
    pm.getContext()->disableMultithreading();
    pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                        [](Pass *, Operation *) { return true; },
                        /*printModuleScope=*/true);
  }
}

LogicalResult mlir::qc::recognizePatterns(ModuleOp module,
                                          const CompileOptions &options) {
  PassManager pm(module.getContext());
  TimingScope timing = nestTiming(options, "recognize patterns");
  configure(pm, options, timing);
  pm.addNestedPass<func::FuncOp>(createQCRecognizePatterns());
  return pm.run(module);
}

LogicalResult mlir::qc::quantizeModule(ModuleOp module,
                                       const CompileOptions &options) {
  bool hasStats = false, hasQDQ = false;
  module.walk([&](Operation *op) {
    hasStats |= isa<StatsOp>(op);
    hasQDQ |= isa<QuantizeOp, DequantizeOp>(op);
  });
  PassManager pm(module.getContext());
  TimingScope timing = nestTiming(options, "quantize");
  configure(pm, options, timing);
  if (!hasStats) {
    if (!hasQDQ)
      return success();
    // A QDQ or QOperator model: its parameters are given; fold them.
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    fpm.addPass(createQCFoldQDQ());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
    return pm.run(module);
  }
  if (options.quantize) {
    QuantizePipelineOptions qopts;
    if (!options.quantizeOptions.empty() &&
        failed(qopts.parseFromString(options.quantizeOptions)))
      return module.emitError("invalid quantization options '")
             << options.quantizeOptions << "'";
    buildQuantizePipeline(pm, qopts);
    return pm.run(module);
  }
  // The float baseline: statistics are not needed.
  module.walk([](StatsOp op) {
    op.getOutput().replaceAllUsesWith(op.getInput());
    op.erase();
  });
  return success();
}

LogicalResult mlir::qc::lowerModule(ModuleOp module,
                                    const CompileOptions &options) {
  if (failed(quantizeModule(module, options)))
    return failure();
  return lowerToLLVM(module, options);
}

LogicalResult mlir::qc::lowerToLLVM(ModuleOp module,
                                    const CompileOptions &options) {
  PassManager pm(module.getContext());
  TimingScope timing = nestTiming(options, "lower to LLVM dialect");
  configure(pm, options, timing);
  LowerPipelineOptions lopts;
  lopts.target = options.target ? options.target->name : "host";
  // `host (...)` names the detected target; the pipeline takes `host`.
  if (options.target && StringRef(options.target->name).starts_with("host"))
    lopts.target = "host";
  lopts.reference = options.reference;
  lopts.blockBytes = options.blockBytes;
  lopts.batchTileBytes = options.batchTileBytes;
  lopts.outline = options.outline;
  buildLowerToLLVMPipeline(pm, lopts);
  return pm.run(module);
}
