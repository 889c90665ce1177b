//===- ChooseSchemes.cpp - Pick a quantization scheme per weight ----------===//
//
// qc-choose-schemes: for every constant weight of a convolution or matmul,
// quantize it under each candidate scheme, measure the error, and record the
// best scheme (and why) on the op. See Passes.td for the rule.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/Transforms/Passes.h"
#include "qc/Support/QuantMath.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCCHOOSESCHEMES
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

struct Candidate {
  bool perChannel;
  bool symmetric;
  QuantError error;
};

std::string describe(const Candidate &c) {
  return llvm::formatv("{0} {1}", c.perChannel ? "per-channel" : "per-tensor",
                       c.symmetric ? "symmetric" : "asymmetric");
}

std::string formatDb(double db) {
  if (std::isinf(db))
    return "exact";
  return llvm::formatv("{0:F1} dB", db);
}

struct ChooseSchemesPass
    : public mlir::qc::impl::QCChooseSchemesBase<ChooseSchemesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (granularity != "auto" && granularity != "per-tensor" &&
        granularity != "per-channel") {
      getOperation().emitError("qc-choose-schemes: unknown granularity '")
          << granularity << "' (expected auto, per-tensor or per-channel)";
      return signalPassFailure();
    }
    if (weightType != "i8" && weightType != "u8") {
      getOperation().emitError("qc-choose-schemes: unknown weight-type '")
          << weightType << "' (expected i8 or u8)";
      return signalPassFailure();
    }
    getOperation().walk([&](QuantPropagationInterface iface) {
      chooseFor(iface);
    });
  }

  void chooseFor(QuantPropagationInterface iface) {
    Operation *op = iface.getOperation();
    std::optional<unsigned> weightIndex = iface.getWeightOperand();
    if (!weightIndex || op->hasAttr(QCDialect::getWeightSchemeAttrName()))
      return;
    // A constant bias becomes i32 at input scale x weight scale: it must be
    // finite.
    DenseElementsAttr biasData;
    if (std::optional<unsigned> bias = iface.getBiasOperand();
        bias && *bias < op->getNumOperands() &&
        matchPattern(op->getOperand(*bias), m_Constant(&biasData)) &&
        biasData.getElementType().isF32()) {
      SmallVector<float> values(biasData.getValues<float>());
      if (std::optional<std::string> bad =
              describeNonFinite(values, biasData.getType().getShape())) {
        op->emitError("cannot quantize the bias of ")
            << describeOp(op) << ": " << *bad;
        return signalPassFailure();
      }
    }
    DenseElementsAttr data;
    if (!matchPattern(op->getOperand(*weightIndex), m_Constant(&data)) ||
        !data.getElementType().isF32())
      return; // Not a constant float weight: an activation.
    SmallVector<float> values(data.getValues<float>());
    ArrayRef<int64_t> shape = data.getType().getShape();
    int64_t axis = iface.getWeightChannelAxis();

    SmallVector<Candidate> candidates;
    for (bool perChannel : {false, true}) {
      if ((granularity == "per-tensor" && perChannel) ||
          (granularity == "per-channel" && !perChannel))
        continue;
      for (bool symmetric : {true, false}) {
        if (!symmetric && !allowAsymmetric)
          continue;
        QuantScheme scheme = makeScheme(symmetric);
        auto params = computeParamsForValues(
            values, shape, scheme,
            perChannel ? std::optional<int64_t>(axis) : std::nullopt);
        if (!params) {
          op->emitError("cannot quantize the weight of ")
              << describeOp(op) << ": "
              << llvm::toString(params.takeError());
          return signalPassFailure();
        }
        candidates.push_back(
            {perChannel, symmetric,
             measureChannelAveragedError(values, shape, *params, axis, axis,
                                         scheme.range())});
      }
    }

    // Start from the simplest scheme and move to a costlier one only when it
    // gains more than the threshold. The candidates are ordered simplest
    // first: per-tensor before per-channel, symmetric before asymmetric.
    const Candidate *chosen = &candidates.front();
    for (const Candidate &c : candidates)
      if (c.error.sqnrDb > chosen->error.sqnrDb + thresholdDb)
        chosen = &c;

    QuantScheme scheme = makeScheme(chosen->symmetric);
    MLIRContext *ctx = op->getContext();
    FloatAttr sqnr;
    if (std::isfinite(chosen->error.sqnrDb))
      sqnr = FloatAttr::get(Float64Type::get(ctx),
                            std::round(chosen->error.sqnrDb * 100) / 100);
    op->setAttr(QCDialect::getWeightSchemeAttrName(),
                SchemeAttr::get(ctx, chosen->perChannel, axis,
                                chosen->symmetric, scheme.bits,
                                scheme.isSigned, scheme.narrow, sqnr));

    auto remark = op->emitRemark("weight quantized ")
                  << describe(*chosen) << " " << weightType << " ("
                  << formatDb(chosen->error.sqnrDb) << "); candidates:";
    for (const Candidate &c : candidates)
      remark << " " << describe(c) << " " << formatDb(c.error.sqnrDb) << ";";
    remark << " a costlier scheme needs > "
           << std::string(llvm::formatv("{0:F1}", double(thresholdDb)))
           << " dB gain";
  }

  QuantScheme makeScheme(bool symmetric) const {
    QuantScheme s;
    s.bits = 8;
    s.isSigned = weightType == "i8";
    s.symmetric = symmetric;
    s.narrow = narrowRange;
    return s;
  }
};

} // namespace
