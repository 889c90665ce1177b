//===- Npy.h - Dense arrays and the .npy format -----------------*- C++ -*-===//
//
// The arrays `qc run` and calibration read and write: numpy's .npy format
// (version 1 and 2 headers, little-endian, C order).
//
//===----------------------------------------------------------------------===//

#ifndef QC_SUPPORT_NPY_H
#define QC_SUPPORT_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qc {

/// A dense row-major array with a numpy dtype name.
struct HostArray {
  /// "float32", "float64", "uint8", "int8", "int32", "int64" or "bool".
  std::string dtype;
  llvm::SmallVector<int64_t> shape;
  std::vector<uint8_t> data;

  /// Bytes per element, 0 for an unknown dtype.
  static size_t elementSize(llvm::StringRef dtype);
  size_t elementSize() const { return elementSize(dtype); }
  int64_t numElements() const;
  /// Element `i` converted to double.
  double get(int64_t i) const;
};

/// Reads a .npy file. Returns an empty string on success, else the reason.
std::string readNpy(llvm::StringRef path, HostArray &out);

/// Reads the .npy file held in `bytes`; `name` names it in the errors.
std::string readNpyBuffer(llvm::StringRef bytes, llvm::StringRef name,
                          HostArray &out);

/// Writes `array` in the .npy format to `os`. Returns an empty string on
/// success, else the reason (a dtype .npy cannot hold).
std::string writeNpy(llvm::raw_ostream &os, const HostArray &array);

} // namespace mlir::qc

#endif // QC_SUPPORT_NPY_H
