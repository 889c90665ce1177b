//===- Importer.h - ONNX models to qc graphs --------------------*- C++ -*-===//
//
// Reads an ONNX ModelProto and builds a module with one function holding the
// model as a qc graph: weights from initializers and Constant nodes become
// constants; float, QDQ and QOperator models all map onto qc's one op set
// (QOperator ops as quantize/dequantize around the float op). Shape
// computations (Shape, Gather, Concat, ... on shapes) are folded away once
// the input shapes are fixed.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TARGET_ONNX_IMPORTER_H
#define QC_TARGET_ONNX_IMPORTER_H

#include "qc/Support/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir::qc {

struct ImportOptions {
  /// Shapes for inputs with symbolic (or any) dims: name -> dims.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// The function (and symbol prefix) name; empty: from the graph's name.
  std::string name;
  /// The shapes of one sample of each input, in input order (from the
  /// calibration data, when there is some): a symbolic dim other than the
  /// leading (batch) one takes its size from here.
  std::vector<llvm::SmallVector<int64_t>> sampleShapes;
  /// The most elements a tensor (input, initializer or folded constant) may
  /// have; larger ones are refused before anything is allocated. The fuzz
  /// targets lower it to keep every input fast.
  int64_t maxTensorElements = int64_t(1) << 32;
};

/// Imports the ONNX model in `bytes` (a serialized ModelProto). `fileName`
/// names it in diagnostics. Returns null after reporting an error that names
/// the node, its op type and the reason.
OwningOpRef<ModuleOp> importONNX(llvm::StringRef bytes,
                                 llvm::StringRef fileName,
                                 MLIRContext *context,
                                 const ImportOptions &options);

/// Parses a dims list "2x3x4" (or "2,3,4").
std::optional<llvm::SmallVector<int64_t>> parseDims(llvm::StringRef text);

/// Reads an ONNX TensorProto file; returns an error message on failure.
std::string readTensorProto(llvm::StringRef path, HostArray &out);

} // namespace mlir::qc

#endif // QC_TARGET_ONNX_IMPORTER_H
