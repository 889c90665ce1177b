//===- MLIRParseFuzzer.cpp - libFuzzer target: MLIR with qc's dialects ----===//
//
// Parses arbitrary text as MLIR with every dialect qopt registers, verifies
// it and prints it back (qc's attribute and type printers). A parse or
// verifier error is the expected outcome of most inputs; a crash or a
// sanitizer report is a finding.
//
//===----------------------------------------------------------------------===//

#include "qc/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DialectRegistry registry;
  qc::registerAllDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.getDiagEngine().registerHandler([](Diagnostic &) {});
  ParserConfig config(&context);
  // MLIR's lexer reads up to a terminating NUL (as files and tools give it):
  // parse a NUL-terminated copy, not libFuzzer's exact-size buffer.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, config, "fuzz.mlir");
  if (!module || failed(verify(*module)))
    return 0;
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  return 0;
}
