//===- ApplyBiasShifts.cpp - Apply recorded bias corrections --------------===//
//
// qc-apply-bias-shifts: subtract each quantized layer's qc.bias_shift from
// its bias. See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCAPPLYBIASSHIFTS
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

struct ApplyBiasShiftsPass
    : public mlir::qc::impl::QCApplyBiasShiftsBase<ApplyBiasShiftsPass> {
  void runOnOperation() override {
    StringRef name = QCDialect::getBiasShiftAttrName();
    WalkResult r = getOperation().walk([&](Operation *op) {
      auto shift = op->getAttrOfType<DenseFPElementsAttr>(name);
      if (!shift)
        return WalkResult::advance();
      op->removeAttr(name);
      if (op->hasAttr(QCDialect::getKeepFloatAttrName()))
        return WalkResult::advance();
      return apply(op, shift);
    });
    if (r.wasInterrupted())
      signalPassFailure();
  }

  WalkResult apply(Operation *op, DenseFPElementsAttr shift) {
    if (!isa<Conv2DOp, MatMulOp>(op)) {
      op->emitError("'") << QCDialect::getBiasShiftAttrName()
                         << "' is for convolutions and matmuls";
      return WalkResult::interrupt();
    }
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.getElementType().isF32() || type.getRank() == 0) {
      op->emitError("'") << QCDialect::getBiasShiftAttrName()
                         << "' is for f32 layers with output channels, "
                            "before quantization";
      return WalkResult::interrupt();
    }
    int64_t n = shift.getNumElements();
    int64_t channels =
        type.getDimSize(isa<Conv2DOp>(op) ? 1 : type.getRank() - 1);
    if (channels != n) {
      op->emitError("'") << QCDialect::getBiasShiftAttrName() << "' has " << n
                         << " values for " << channels << " output channels";
      return WalkResult::interrupt();
    }
    std::vector<float> values(n, 0.0f);
    Value bias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
    if (bias) {
      DenseFPElementsAttr data;
      if (!matchPattern(bias, m_Constant(&data)) ||
          !data.getElementType().isF32() || data.getNumElements() != n) {
        op->emitError("'") << QCDialect::getBiasShiftAttrName()
                           << "' needs a constant f32 bias of " << n
                           << " values";
        return WalkResult::interrupt();
      }
      values.assign(data.getValues<float>().begin(),
                    data.getValues<float>().end());
    }
    int64_t j = 0;
    for (float s : shift.getValues<float>())
      values[j++] -= s;
    OpBuilder b(op);
    auto attr = DenseElementsAttr::get(
        RankedTensorType::get({n}, b.getF32Type()), ArrayRef(values));
    Value c = arith::ConstantOp::create(b, op->getLoc(), attr);
    if (bias)
      op->setOperand(2, c);
    else
      op->insertOperands(2, c);
    return WalkResult::advance();
  }
};

} // namespace
