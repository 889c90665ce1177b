//===- ONNXImportFuzzer.cpp - libFuzzer target: ONNX import ---------------===//
//
// Feeds arbitrary bytes to the ONNX importer as a serialized ModelProto and
// verifies what it builds. A hostile model must end in a diagnostic; a
// crash, a sanitizer report, or an imported module that does not verify is
// a finding. Tensors are capped far below the tool's limit so that one input
// stays fast and within libFuzzer's memory limit.
//
//===----------------------------------------------------------------------===//

#include "qc/Target/ONNX/Importer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(MLIRContext::Threading::DISABLED);
  // Diagnostics are the expected outcome of most inputs: drop them.
  context.getDiagEngine().registerHandler([](Diagnostic &) {});
  qc::ImportOptions options;
  options.maxTensorElements = int64_t(1) << 20;
  OwningOpRef<ModuleOp> module = qc::importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      &context, options);
  if (module && failed(verify(*module))) {
    std::fprintf(stderr, "imported module does not verify\n");
    std::abort();
  }
  return 0;
}
