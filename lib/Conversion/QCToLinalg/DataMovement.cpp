//===- DataMovement.cpp - Lowering of concat and transpose ----------------===//
//
// Both copy storage elements (quantized operands share the result's
// parameters). Reshape needs no code: the driver makes it a view.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

struct ConcatLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<ConcatOp>(o);
    OpBuilder &b = state.builder;
    auto outType = cast<MemRefType>(state.result.getType());
    int64_t rank = outType.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t offset = 0;
    for (Value in : state.operands) {
      auto inType = cast<MemRefType>(in.getType());
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      Value slice = memref::SubViewOp::create(b, op.getLoc(), state.result,
                                              offsets, inType.getShape(),
                                              strides);
      emitCopy(b, op.getLoc(), in, slice);
      offset += inType.getDimSize(axis);
    }
    return success();
  }
};

struct TransposeLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<TransposeOp>(o);
    OpBuilder &b = state.builder;
    ArrayRef<int64_t> perm = op.getPerm();
    unsigned rank = perm.size();
    // output[i...] = input[j...] with j[perm[d]] = i[d].
    SmallVector<AffineExpr> exprs(rank);
    for (unsigned d = 0; d < rank; ++d)
      exprs[perm[d]] = getAffineDimExpr(d, b.getContext());
    AffineMap in = AffineMap::get(rank, 0, exprs, b.getContext());
    buildGeneric(b, op.getLoc(), state.operands[0], state.result,
                 {in, b.getMultiDimIdentityMap(rank)}, parallelIterators(rank),
                 [](OpBuilder &nb, Location l, ValueRange args) {
                   linalg::YieldOp::create(nb, l, args[0]);
                 });
    return success();
  }
};

struct SliceLowering : OpLowering {
  LogicalResult lower(Operation *o, LoweringState &state) const override {
    auto op = cast<SliceOp>(o);
    OpBuilder &b = state.builder;
    auto outType = cast<MemRefType>(state.result.getType());
    SmallVector<int64_t> strides(outType.getRank(), 1);
    if (!op.getStrides().empty() && op.getStrides() != ArrayRef(strides)) {
      // Strided (possibly backward): input index offset + i * stride.
      MLIRContext *ctx = b.getContext();
      SmallVector<AffineExpr> exprs;
      for (auto [d, s] : llvm::enumerate(op.getStrides()))
        exprs.push_back(getAffineDimExpr(d, ctx) * s + op.getOffsets()[d]);
      unsigned rank = outType.getRank();
      buildGeneric(
          b, op.getLoc(), state.operands[0], state.result,
          {AffineMap::get(rank, 0, exprs, ctx), b.getMultiDimIdentityMap(rank)},
          parallelIterators(rank),
          [](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(nb, l, args[0]);
          });
      return success();
    }
    Value block = memref::SubViewOp::create(b, op.getLoc(), state.operands[0],
                                            op.getOffsets(), outType.getShape(),
                                            strides);
    emitCopy(b, op.getLoc(), block, state.result);
    return success();
  }
};

} // namespace

void lowering::populateDataMovementLoweringPatterns(LoweringPatterns &patterns) {
  patterns.add<ConcatOp>(std::make_unique<ConcatLowering>());
  patterns.add<TransposeOp>(std::make_unique<TransposeLowering>());
  patterns.add<SliceOp>(std::make_unique<SliceLowering>());
}
