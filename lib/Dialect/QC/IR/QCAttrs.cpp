//===- QCAttrs.cpp - Calibration statistics and scheme attributes ---------===//
//
// Custom syntax and verification of #qc.stats and #qc.scheme.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCAttrs.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/QC/IR/QCAttrs.cpp.inc"

void QCDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qc/Dialect/QC/IR/QCAttrs.cpp.inc"
      >();
}

static void printDouble(AsmPrinter &printer, double v) {
  printer.printFloat(llvm::APFloat(v));
}

//===----------------------------------------------------------------------===//
// StatsAttr
//===----------------------------------------------------------------------===//

// #qc.stats<min = -1.0, max = 2.0 (, histogram = [1, 2, 3])?>
Attribute StatsAttr::parse(AsmParser &parser, Type) {
  double min = 0, max = 0;
  SmallVector<int64_t> histogram;
  if (parser.parseLess() || parser.parseKeyword("min") || parser.parseEqual() ||
      parser.parseFloat(min) || parser.parseComma() ||
      parser.parseKeyword("max") || parser.parseEqual() ||
      parser.parseFloat(max))
    return {};
  if (succeeded(parser.parseOptionalComma())) {
    if (parser.parseKeyword("histogram") || parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
          return parser.parseInteger(histogram.emplace_back());
        }))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return StatsAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), llvm::APFloat(min), llvm::APFloat(max), histogram);
}

void StatsAttr::print(AsmPrinter &printer) const {
  printer << "<min = ";
  printDouble(printer, getMinValue());
  printer << ", max = ";
  printDouble(printer, getMaxValue());
  if (!getHistogram().empty()) {
    printer << ", histogram = [";
    llvm::interleaveComma(getHistogram(), printer);
    printer << "]";
  }
  printer << ">";
}

LogicalResult
StatsAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                  llvm::APFloat minValue, llvm::APFloat maxValue,
                  ArrayRef<int64_t> histogram) {
  double min = minValue.convertToDouble(), max = maxValue.convertToDouble();
  if (!std::isfinite(min) || !std::isfinite(max))
    return emitError() << "statistics range must be finite";
  if (min > max)
    return emitError() << "statistics min " << min << " exceeds max " << max;
  if (llvm::any_of(histogram, [](int64_t c) { return c < 0; }))
    return emitError() << "histogram counts must be non-negative";
  return success();
}

//===----------------------------------------------------------------------===//
// SchemeAttr
//===----------------------------------------------------------------------===//

// #qc.scheme<(per_tensor | per_channel = AXIS), (symmetric | asymmetric),
//            STORAGE-TYPE (, narrow)? (, sqnr = F)?>
Attribute SchemeAttr::parse(AsmParser &parser, Type) {
  bool perChannel = false, symmetric = false, narrow = false;
  int64_t axis = 0;
  FloatAttr sqnr;
  Type storage;
  if (parser.parseLess())
    return {};
  StringRef granularity;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(&granularity))
    return {};
  if (granularity == "per_channel") {
    perChannel = true;
    if (parser.parseEqual() || parser.parseInteger(axis))
      return {};
  } else if (granularity != "per_tensor") {
    parser.emitError(loc, "expected 'per_tensor' or 'per_channel'");
    return {};
  }
  StringRef symmetry;
  loc = parser.getCurrentLocation();
  if (parser.parseComma() || parser.parseKeyword(&symmetry))
    return {};
  if (symmetry != "symmetric" && symmetry != "asymmetric") {
    parser.emitError(loc, "expected 'symmetric' or 'asymmetric'");
    return {};
  }
  symmetric = symmetry == "symmetric";
  loc = parser.getCurrentLocation();
  if (parser.parseComma() || parser.parseType(storage))
    return {};
  auto intType = dyn_cast<IntegerType>(storage);
  if (!intType) {
    parser.emitError(loc, "expected an integer storage type such as i8 or ui8");
    return {};
  }
  while (succeeded(parser.parseOptionalComma())) {
    StringRef key;
    loc = parser.getCurrentLocation();
    if (parser.parseKeyword(&key))
      return {};
    if (key == "narrow") {
      narrow = true;
    } else if (key == "sqnr") {
      double v;
      if (parser.parseEqual() || parser.parseFloat(v))
        return {};
      sqnr = FloatAttr::get(Float64Type::get(parser.getContext()), v);
    } else {
      parser.emitError(loc, "expected 'narrow' or 'sqnr'");
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return SchemeAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), perChannel, axis, symmetric, intType.getWidth(),
      !intType.isUnsigned(), narrow, sqnr);
}

void SchemeAttr::print(AsmPrinter &printer) const {
  printer << "<";
  if (getPerChannel())
    printer << "per_channel = " << getAxis();
  else
    printer << "per_tensor";
  printer << ", " << (getSymmetric() ? "symmetric" : "asymmetric") << ", "
          << (getIsSigned() ? "i" : "ui") << getBits();
  if (getNarrow())
    printer << ", narrow";
  if (getSqnr()) {
    printer << ", sqnr = ";
    printDouble(printer, getSqnr().getValueAsDouble());
  }
  printer << ">";
}

LogicalResult
SchemeAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                   bool perChannel, int64_t axis, bool symmetric,
                   unsigned bits, bool isSigned, bool narrow,
                   FloatAttr sqnr) {
  if (bits < 2 || bits > 16)
    return emitError() << "storage width must be between 2 and 16 bits, got "
                       << bits;
  if (perChannel && axis < 0)
    return emitError() << "per-channel axis must be non-negative, got " << axis;
  if (sqnr && std::isnan(sqnr.getValueAsDouble()))
    return emitError() << "sqnr must not be NaN";
  return success();
}

QuantScheme SchemeAttr::getQuantScheme() const {
  QuantScheme s;
  s.bits = getBits();
  s.isSigned = getIsSigned();
  s.symmetric = getSymmetric();
  s.narrow = getNarrow();
  return s;
}

//===----------------------------------------------------------------------===//
// KernelAttr
//===----------------------------------------------------------------------===//

LogicalResult
KernelAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                   StringRef kind, unsigned lanes, unsigned kGroup,
                   unsigned tileRows, unsigned tileVectors, int64_t blockRows,
                   int64_t shift, int64_t blockDepth) {
  static const char *const kinds[] = {"amx",         "vnni512",   "vnni256",
                                      "avx2-maddwd", "neon-sdot", "fma",
                                      "depthwise"};
  if (!llvm::is_contained(kinds, kind))
    return emitError() << "unknown kernel kind '" << kind
                       << "' (expected amx, vnni512, vnni256, avx2-maddwd, "
                          "neon-sdot, fma or depthwise)";
  if (lanes == 0 || (lanes & (lanes - 1)) != 0 || lanes > 64)
    return emitError() << "kernel lanes must be a power of two <= 64, got "
                       << lanes;
  if (kGroup != 1 && kGroup != 2 && kGroup != 4)
    return emitError() << "kernel kGroup must be 1, 2 or 4, got " << kGroup;
  if (tileRows == 0 || tileVectors == 0 || tileRows * tileVectors > 64)
    return emitError() << "kernel tile " << tileRows << "x" << tileVectors
                       << " is empty or too large";
  if (blockRows < 1)
    return emitError() << "kernel blockRows must be positive";
  if (blockDepth < 0 || (blockDepth > 0 && kind != "fma"))
    return emitError() << "kernel blockDepth must be 0, or positive for an "
                          "fma kernel, got "
                       << blockDepth;
  if (shift != 0 && shift != 128 && shift != -128)
    return emitError() << "kernel shift must be 0, 128 or -128, got " << shift;
  unsigned want = kind == "avx2-maddwd"                       ? 2
                  : (kind == "fma" || kind == "depthwise") ? 1
                                                           : 4;
  if (kGroup != want)
    return emitError() << "a " << kind << " kernel has kGroup " << want
                       << ", got " << kGroup;
  // AMX: one or two 16-row tiles of the broadcast operand by two 16-column
  // tiles of the packed one (16 i32 lanes each).
  if (kind == "amx" &&
      (lanes != 16 || tileVectors != 2 || (tileRows != 16 && tileRows != 32)))
    return emitError() << "an amx kernel has 16 lanes, 2 vectors and 16 or 32 "
                          "rows, got "
                       << lanes << " lanes, tile " << tileRows << "x"
                       << tileVectors;
  return success();
}
