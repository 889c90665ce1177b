//===- qopt.cpp - The qc optimizer driver ---------------------------------===//
//
// mlir-opt for qc: parses MLIR with the qc dialect and the upstream dialects
// qc works with, runs the pass pipeline given on the command line (every qc
// pass and pipeline is registered), and prints the result.
//
//===----------------------------------------------------------------------===//

#include "qc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qc::registerAllDialects(registry);
  mlir::qc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "qopt: the qc quantization compiler's optimizer driver\n",
      registry));
}
