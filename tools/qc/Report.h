//===- Report.h - The HTML quantization report ------------------*- C++ -*-===//
//
// What `qc --report=FILE.html` writes: per-layer error of the quantized
// model against the float one, the precision search, the weight schemes.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_QC_REPORT_H
#define QC_TOOLS_QC_REPORT_H

#include "qc/Driver/Model.h"
#include "qc/Driver/Precision.h"

#include <string>
#include <utility>
#include <vector>

namespace qctool {

struct ReportData {
  std::string model;
  /// The compiled model's per-layer error.
  std::vector<mlir::qc::LayerError> layers;
  /// (layer, remark) for every weight scheme choice.
  std::vector<std::pair<std::string, std::string>> schemes;
  size_t samples = 0;
  std::string method;
  /// The precision search, when one ran; its budget as given.
  const mlir::qc::PrecisionResult *precision = nullptr;
  double budget = 0;
};

std::string renderReport(const ReportData &data);

std::string htmlEscape(llvm::StringRef s);

} // namespace qctool

#endif // QC_TOOLS_QC_REPORT_H
