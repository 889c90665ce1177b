//===- BiasCorrection.cpp - Removing the mean error of 8-bit weights ------===//
//
// Rounding a layer's weights to 8 bits changes its output by
// (Wq - W) x, whose mean over the data, (Wq - W) E[x], need not be zero:
// where many weights fall below half a step they all round the same way.
// Subtracting that mean from the bias (the analytic bias correction of
// Nagel et al.'s data-free quantization, with E[x] measured) removes it.
// It is computed for each layer from its own weights and the float model's
// inputs, so correcting one layer does not count the errors of the layers
// before it again; Wq are the weights the quantization pipeline chooses,
// read from a quantized copy of the model.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/BiasCorrection.h"
#include "IRHelpers.h"
#include "qc/Dialect/QC/IR/QCDialect.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using mlir::qc::detail::constantF32;
using mlir::qc::detail::nameOf;

namespace {

/// The real values of a quantized constant weight, or nothing.
std::optional<std::vector<double>> dequantizedWeight(Value v) {
  auto c = v.getDefiningOp<qc::ConstantOp>();
  if (!c)
    return std::nullopt;
  auto data = dyn_cast<DenseElementsAttr>(c.getValue());
  auto type = cast<RankedTensorType>(c.getType());
  if (!data || !isa<IntegerType>(data.getElementType()))
    return std::nullopt;
  // Storage integers (uiN for unsigned storage), dequantized as the
  // reference lowering does.
  bool isUnsigned = data.getElementType().isUnsignedInteger();
  std::vector<int64_t> q;
  for (const APInt &i : data.getValues<APInt>())
    q.push_back(isUnsigned ? int64_t(i.getZExtValue()) : i.getSExtValue());
  std::vector<double> out;
  out.reserve(q.size());
  if (auto t = getPerTensorType(type)) {
    for (int64_t x : q)
      out.push_back(dequantize(x, t.getScale(), t.getZeroPoint()));
    return out;
  }
  if (auto t = getPerAxisType(type)) {
    ArrayRef<int64_t> shape = type.getShape();
    int64_t axis = t.getQuantizedDimension(), inner = 1;
    for (size_t d = axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
    ArrayRef<double> scales = t.getScales();
    ArrayRef<int64_t> zps = t.getZeroPoints();
    for (size_t k = 0; k < q.size(); ++k) {
      int64_t ch = (k / inner) % shape[axis];
      out.push_back(dequantize(q[k], scales[ch], zps[ch]));
    }
    return out;
  }
  return std::nullopt;
}

/// A layer to correct: the op in the calibrated module and the shift of
/// each output channel, (Wq - W) E[x].
struct Layer {
  Operation *op;
  std::vector<double> weightError; // Wq - W, in the weight's layout.
  std::vector<double> shift;
};

} // namespace

LogicalResult mlir::qc::correctBiases(ModuleOp statsModule,
                                      ModuleOp floatModule,
                                      const Samples &samples,
                                      const CompileOptions &quantize,
                                      std::vector<CorrectedLayer> *corrected) {
  // The products with constant weights, by name (a name used by two
  // products is ambiguous: neither is corrected).
  llvm::StringMap<Operation *> byName;
  llvm::StringMap<unsigned> count;
  getModelFunction(statsModule).walk([&](Operation *op) {
    std::string n = nameOf(op);
    if (n.empty() || !isa<Conv2DOp, MatMulOp>(op))
      return;
    ++count[n];
    if (!op->hasAttr(QCDialect::getKeepFloatAttrName()) &&
        constantF32(op->getOperand(1)))
      byName[n] = op;
  });

  // The weights the quantization pipeline gives them.
  std::vector<Layer> layers;
  llvm::StringMap<unsigned> index;
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
    getModelFunction(*int8).walk([&](Operation *op) {
      std::string n = nameOf(op);
      if (!isa<Conv2DOp, MatMulOp>(op) || count.lookup(n) != 1 ||
          !byName.count(n))
        return;
      Operation *floatOp = byName.lookup(n);
      DenseElementsAttr w = constantF32(floatOp->getOperand(1));
      std::optional<std::vector<double>> wq =
          dequantizedWeight(op->getOperand(1));
      if (!wq || int64_t(wq->size()) != w.getNumElements())
        return;
      Layer l{floatOp, std::move(*wq), {}};
      int64_t k = 0;
      for (float v : w.getValues<float>())
        l.weightError[k++] -= v;
      index[n] = layers.size();
      layers.push_back(std::move(l));
    });
  }
  if (layers.empty())
    return success();

  // One float run with the layers' inputs as extra outputs.
  OwningOpRef<ModuleOp> probe = floatModule.clone();
  func::FuncOp probeFunc = getModelFunction(*probe);
  unsigned numOutputs = probeFunc.getNumResults();
  SmallVector<Value> inputs;
  SmallVector<unsigned> measured;
  probeFunc.walk([&](Operation *op) {
    std::string n = nameOf(op);
    if (!isa<Conv2DOp, MatMulOp>(op) || !index.count(n))
      return;
    measured.push_back(index[n]);
    inputs.push_back(op->getOperand(0));
  });
  addOutputs(probeFunc, inputs);
  std::vector<HostArray> results;
  if (failed(runOnSamples(*probe, samples, results, quantize.timing)))
    return failure();

  for (auto [k, li] : llvm::enumerate(measured)) {
    Layer &l = layers[li];
    const HostArray &a = results[numOutputs + k];
    const float *x = reinterpret_cast<const float *>(a.data.data());
    auto wType = cast<RankedTensorType>(l.op->getOperand(1).getType());
    ArrayRef<int64_t> ws = wType.getShape();
    // E[x] per input channel: axis 1 of a convolution's NCHW input, the
    // last axis of a matmul's.
    bool conv = isa<Conv2DOp>(l.op);
    if ((conv && (a.shape.size() != 4 || ws.size() != 4)) ||
        (!conv && (a.shape.empty() || ws.size() != 2)))
      continue;
    int64_t channels = conv ? a.shape[1] : a.shape.back();
    int64_t inner = 1;
    for (size_t d = conv ? 2 : a.shape.size(); d < a.shape.size(); ++d)
      inner *= a.shape[d];
    int64_t outer = a.numElements() / std::max<int64_t>(channels * inner, 1);
    std::vector<double> mean(channels, 0.0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c = 0; c < channels; ++c) {
        const float *p = x + (o * channels + c) * inner;
        double s = 0;
        for (int64_t j = 0; j < inner; ++j)
          s += p[j];
        mean[c] += s;
      }
    for (double &m : mean)
      m /= std::max<int64_t>(outer * inner, 1);

    if (conv) {
      // W [O, C/g, kh, kw]; output o reads input channels of its group.
      int64_t outC = ws[0], perGroup = ws[1], taps = ws[2] * ws[3];
      int64_t groups = channels / std::max<int64_t>(perGroup, 1);
      if (groups * perGroup != channels || outC % groups)
        continue;
      l.shift.assign(outC, 0.0);
      for (int64_t o = 0; o < outC; ++o) {
        int64_t g = o / (outC / groups);
        for (int64_t ci = 0; ci < perGroup; ++ci)
          for (int64_t t = 0; t < taps; ++t)
            l.shift[o] += l.weightError[(o * perGroup + ci) * taps + t] *
                          mean[g * perGroup + ci];
      }
    } else {
      // W [K, N].
      if (ws[0] != channels)
        continue;
      l.shift.assign(ws[1], 0.0);
      for (int64_t kk = 0; kk < ws[0]; ++kk)
        for (int64_t n = 0; n < ws[1]; ++n)
          l.shift[n] += l.weightError[kk * ws[1] + n] * mean[kk];
    }
  }

  for (Layer &l : layers) {
    if (l.shift.empty())
      continue;
    // Recorded, applied by qc-apply-bias-shifts when the layer is
    // quantized (not when the precision search keeps it in f32).
    std::vector<float> shift(l.shift.begin(), l.shift.end());
    auto type = RankedTensorType::get({int64_t(shift.size())},
                                      Float32Type::get(l.op->getContext()));
    l.op->setAttr(QCDialect::getBiasShiftAttrName(),
                  DenseElementsAttr::get(type, ArrayRef(shift)));
    double rms = 0;
    if (DenseElementsAttr bias = constantF32(
            l.op->getNumOperands() > 2 ? l.op->getOperand(2) : Value())) {
      for (float v : bias.getValues<float>())
        rms += double(v) * v;
      rms = std::sqrt(rms / std::max<int64_t>(bias.getNumElements(), 1));
    }
    double largest = 0;
    for (double m : l.shift)
      largest = std::max(largest, std::fabs(m));
    CorrectedLayer c{nameOf(l.op), int64_t(l.shift.size()),
                     rms > 0 ? largest / rms : 0};
    l.op->emitRemark() << llvm::formatv(
        "bias corrected: the mean error of the 8-bit weights removed from "
        "{0} output channels (at most {1:e2}{2})",
        c.channels, largest,
        rms > 0
            ? llvm::formatv(", {0:P1} of the bias RMS", c.largestShift).str()
            : std::string());
    if (corrected)
      corrected->push_back(c);
  }
  return success();
}
