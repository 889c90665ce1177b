//===- ONNXQuantizeFuzzer.cpp - libFuzzer target: import + quantization ---===//
//
// Feeds arbitrary bytes to the ONNX importer and runs the quantization the
// qc tool would run on the model, without code generation: a QDQ or
// QOperator model has its parameters folded (qc-fold-qdq); a float model
// gets synthetic calibration statistics on every f32 value (what calibration
// would attach, with small deterministic ranges, some of them empty) and
// runs the whole qc-quantize pipeline. The result must verify. Diagnostics
// are expected; crashes and sanitizer reports are findings.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Driver/Compiler.h"
#include "qc/InitAll.h"
#include "qc/Target/ONNX/Importer.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qc;

static bool isF32Tensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isF32();
}

/// Attaches a qc.stats op to every f32 argument and non-constant f32 result,
/// as calibration does; the i-th value gets the range [-(i % 3), (i+1) % 4 /
/// 2].
static void attachStats(ModuleOp module) {
  SmallVector<Value> values;
  module.walk([&](Operation *op) {
    if (auto f = dyn_cast<func::FuncOp>(op)) {
      if (!f.isExternal())
        for (BlockArgument a : f.getArguments())
          if (isF32Tensor(a))
            values.push_back(a);
      return;
    }
    if (op->hasTrait<OpTrait::ConstantLike>() || isa<StatsOp>(op))
      return;
    for (Value r : op->getResults())
      if (isF32Tensor(r))
        values.push_back(r);
  });
  OpBuilder b(module.getContext());
  for (auto [i, v] : llvm::enumerate(values)) {
    if (auto arg = dyn_cast<BlockArgument>(v))
      b.setInsertionPointToStart(arg.getOwner());
    else
      b.setInsertionPointAfter(v.getDefiningOp());
    double lo = -double(i % 3), hi = double((i + 1) % 4) / 2;
    auto stats = StatsOp::create(b, v.getLoc(), v,
                                 StatsAttr::get(b.getContext(), lo, hi));
    v.replaceAllUsesExcept(stats, stats);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.getDiagEngine().registerHandler([](Diagnostic &) {});
  ImportOptions importOptions;
  importOptions.maxTensorElements = int64_t(1) << 20;
  OwningOpRef<ModuleOp> module =
      importONNX(llvm::StringRef(reinterpret_cast<const char *>(data), size),
                 "fuzz.onnx", &context, importOptions);
  if (!module)
    return 0;

  bool hasQuant = false;
  module->walk([&](Operation *op) {
    hasQuant |= isa<QuantizeOp, DequantizeOp, DynamicQuantizeOp, StatsOp>(op);
  });
  if (!hasQuant)
    attachStats(*module);

  // Vary the scheme with the input's size (it does not disturb the bytes).
  static const char *const schemes[] = {
      "", "activation-type=i8", "granularity=per-channel narrow-range=true",
      "symmetric-activations=true allow-asymmetric=true "
      "granularity=per-tensor"};
  CompileOptions options;
  options.quantizeOptions = schemes[size % 4];
  if (failed(quantizeModule(*module, options)))
    return 0;
  if (failed(verify(*module))) {
    std::fprintf(stderr, "quantized module does not verify\n");
    std::abort();
  }
  return 0;
}
