//===- BiasCorrection.cpp - Removing the mean error of int8 layers --------===//
//
// Rounding weights and activations to 8 bits adds an error to every
// output channel of a convolution or matmul whose mean need not be zero
// (AIMET's empirical bias correction). One run of the float and of the
// all-int8 model on the calibration samples measures each channel's mean
// error; subtracting it from the channel's bias removes it. The
// correction is computed once for all layers from the uncorrected int8
// model: it does not chase how correcting one layer changes the next.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/BiasCorrection.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The f32 elements of a constant operand, or null.
DenseElementsAttr constantF32(Value v) {
  if (!v)
    return {};
  auto c = v.getDefiningOp<arith::ConstantOp>();
  if (!c)
    return {};
  auto d = dyn_cast<DenseElementsAttr>(c.getValue());
  if (!d || !d.getElementType().isF32())
    return {};
  return d;
}

/// Subtracts `shift` from the bias of `op` (its operand 2, a new one when
/// absent). Returns the RMS of the old bias, or -1 when the bias is not a
/// constant of the right size.
double shiftBias(Operation *op, Value bias, ArrayRef<double> shift) {
  int64_t n = shift.size();
  std::vector<float> values(n, 0.0f);
  double rms = 0;
  if (bias) {
    DenseElementsAttr d = constantF32(bias);
    if (!d || d.getType().getRank() != 1 || d.getNumElements() != n)
      return -1;
    values.assign(d.getValues<float>().begin(), d.getValues<float>().end());
    for (float v : values)
      rms += double(v) * v;
    rms = std::sqrt(rms / n);
  }
  for (int64_t j = 0; j < n; ++j)
    values[j] = float(values[j] - shift[j]);
  OpBuilder b(op);
  auto type = RankedTensorType::get({n}, b.getF32Type());
  Value c = arith::ConstantOp::create(
      b, op->getLoc(), DenseElementsAttr::get(type, ArrayRef(values)));
  if (bias) {
    op->setOperand(2, c);
    if (Operation *old = bias.getDefiningOp(); old && old->use_empty())
      old->erase();
  } else {
    op->insertOperands(2, c);
  }
  return rms;
}

} // namespace

LogicalResult mlir::qc::correctBiases(ModuleOp statsModule,
                                      ModuleOp floatModule,
                                      const Samples &samples,
                                      const CompileOptions &quantize,
                                      std::vector<CorrectedLayer> *corrected) {
  std::vector<LayerError> errors;
  {
    // The scheme remarks come again with the final quantization.
    ScopedDiagnosticHandler quiet(statsModule.getContext(), [](Diagnostic &d) {
      return success(d.getSeverity() == DiagnosticSeverity::Remark);
    });
    OwningOpRef<ModuleOp> int8 = statsModule.clone();
    CompileOptions q = quantize;
    q.quantize = true;
    q.timing = nullptr;
    if (failed(quantizeModule(*int8, q)))
      return failure();
    if (failed(measureLayerErrors(floatModule, *int8, samples, errors,
                                  quantize.timing, /*channelMeans=*/true)))
      return failure();
  }
  llvm::StringMap<const LayerError *> byName;
  for (const LayerError &e : errors)
    if (!e.meanError.empty())
      byName[e.name] = &e;

  func::FuncOp func = getModelFunction(statsModule);
  SmallVector<Operation *> products;
  func.walk([&](Operation *op) {
    if (isa<Conv2DOp, MatMulOp>(op) &&
        !op->hasAttr(QCDialect::getKeepFloatAttrName()))
      products.push_back(op);
  });
  for (Operation *op : products) {
    auto loc = dyn_cast<NameLoc>(op->getLoc());
    if (!loc)
      continue;
    const LayerError *e = byName.lookup(loc.getName().strref());
    if (!e)
      continue;
    // Only products with constant weights have a bias to correct.
    Value weight = op->getOperand(1);
    Value bias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
    if (!constantF32(weight))
      continue;
    // The name's last op is the one compared: it must be this one.
    auto rt = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    int64_t axis = isa<Conv2DOp>(op) ? 1 : rt.getRank() - 1;
    if (!rt || rt.getDimSize(axis) != int64_t(e->meanError.size()))
      continue;
    double rms = shiftBias(op, bias, e->meanError);
    if (rms < 0)
      continue;
    double largest = 0;
    for (double m : e->meanError)
      largest = std::max(largest, std::fabs(m));
    CorrectedLayer c{loc.getName().str(), int64_t(e->meanError.size()),
                     rms > 0 ? largest / rms : 0};
    op->emitRemark() << llvm::formatv(
        "bias corrected: the mean error of {0} output channels removed "
        "(at most {1:e2}{2})",
        c.channels, largest,
        rms > 0
            ? llvm::formatv(", {0:P1} of the bias RMS", c.largestShift).str()
            : std::string());
    if (corrected)
      corrected->push_back(c);
  }
  return success();
}
