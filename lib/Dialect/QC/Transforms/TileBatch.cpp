//===- TileBatch.cpp - Run a model over cache-sized batch tiles ----------===//
//
// qc-tile-batch: copies a batch-separable model function for a batch tile
// (and for the remainder) so that the entry point can run it over slices of
// the batch whose intermediates stay in cache. See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCTILEBATCH
#include "qc/Dialect/QC/Transforms/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Whether `t` is a ranked tensor whose leading dim is the batch `n`.
bool hasBatch(Type t, int64_t n) {
  auto r = dyn_cast<RankedTensorType>(t);
  return r && r.getRank() >= 1 && r.getDimSize(0) == n;
}

/// Whether a per-axis quantized type quantizes along the batch dim.
bool perAxisOnBatch(Type t) {
  auto pa = getPerAxisType(t);
  return pa && pa.getQuantizedDimension() == 0;
}

/// An axis attribute normalized to [0, rank).
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Whether `op`, some of whose operands carry the batch (`batched`), keeps
/// the samples of the batch independent. Non-batched operands must not
/// have a leading dim that the op would pair with the batch.
bool keepsSamplesApart(Operation *op, const DenseSet<Value> &batched,
                       int64_t n) {
  auto isBatched = [&](Value v) { return batched.contains(v); };
  for (Type t : op->getResultTypes())
    if (!hasBatch(t, n) || perAxisOnBatch(t))
      return false;
  for (Value v : op->getOperands())
    if (isBatched(v) && perAxisOnBatch(v.getType()))
      return false;
  int64_t rank = cast<RankedTensorType>(op->getResult(0).getType()).getRank();
  // Elementwise with broadcasting: a non-batched operand broadcasts along
  // the batch (lower rank, or a leading 1).
  auto broadcastsAlongBatch = [&](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && (t.getRank() < rank || t.getDimSize(0) == 1);
  };
  return TypeSwitch<Operation *, bool>(op)
      .Case<Conv2DOp, ConvTranspose2DOp, MaxPool2DOp, AvgPool2DOp>(
          [&](auto) { return isBatched(op->getOperand(0)); })
      .Case<MatMulOp>([&](MatMulOp m) {
        auto rhs = m.getRhs().getType();
        return isBatched(m.getLhs()) && !isBatched(m.getRhs()) &&
               m.getLhs().getType().getRank() >= 2 && rhs.getRank() <= 2;
      })
      .Case<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp, ModOp, CompareOp,
            SelectOp, LogicalOp>([&](auto) {
        return llvm::all_of(op->getOperands(), [&](Value v) {
          return isBatched(v) || broadcastsAlongBatch(v);
        });
      })
      .Case<ClampOp, SigmoidOp, ActivationOp, TanhOp, ErfOp, SqrtOp,
            RequantizeOp, ReshapeOp, NotOp, CastOp>([&](auto) { return true; })
      .Case<ExpOp, LogOp, AbsOp, FloorOp, CeilOp, RoundOp, SignOp, SinOp,
            CosOp>([&](auto) { return true; })
      .Case<QuantizeOp, DequantizeOp>([&](auto q) {
        // Runtime parameters: per-tensor, or per-axis on another axis.
        std::optional<int64_t> axis = q.getAxis();
        return isBatched(q.getInput()) &&
               (!axis || normalizeAxis(*axis, rank) != 0) &&
               (!q.getScale() || !isBatched(q.getScale())) &&
               (!q.getZeroPoint() || !isBatched(q.getZeroPoint()));
      })
      .Case<TransposeOp>(
          [&](TransposeOp t) { return t.getPerm().front() == 0; })
      .Case<SoftmaxOp>(
          [&](SoftmaxOp s) { return normalizeAxis(s.getAxis(), rank) != 0; })
      .Case<LayerNormOp>([&](LayerNormOp l) {
        return isBatched(l.getInput()) &&
               normalizeAxis(l.getAxis(), rank) != 0 &&
               llvm::all_of(op->getOperands().drop_front(),
                            [&](Value v) { return !isBatched(v); });
      })
      .Case<ReduceMeanOp>([&](ReduceMeanOp r) {
        int64_t inRank = r.getInput().getType().getRank();
        return llvm::none_of(r.getAxes(), [&](int64_t a) {
          return normalizeAxis(a, inRank) == 0;
        });
      })
      .Case<ReduceOp>([&](ReduceOp r) { return !r.isReduced(0); })
      .Case<LogSoftmaxOp>(
          [&](LogSoftmaxOp s) { return normalizeAxis(s.getAxis(), rank) != 0; })
      .Case<GroupNormOp>([&](GroupNormOp g) {
        return isBatched(g.getInput()) && !isBatched(g.getScale()) &&
               !isBatched(g.getBias());
      })
      .Case<ArgMaxOp, ArgMinOp, TopKOp>([&](auto a) {
        int64_t inRank = a.getInput().getType().getRank();
        return normalizeAxis(a.getAxis(), inRank) != 0;
      })
      .Case<ConcatOp>([&](ConcatOp c) {
        return normalizeAxis(c.getAxis(), rank) != 0 &&
               llvm::all_of(c.getInputs(), isBatched);
      })
      .Case<SliceOp>([&](SliceOp s) {
        return s.getOffsets().front() == 0 &&
               (s.getStrides().empty() || s.getStrides().front() == 1);
      })
      .Case<PadOp>([&](PadOp p) {
        return p.getPads()[0] == 0 && p.getPads()[rank] == 0;
      })
      .Case<ResizeOp>([&](ResizeOp r) {
        return r.getScales()[0] == 1 && r.getTaps(0).isIdentity();
      })
      .Case<BroadcastOp>([&](BroadcastOp b) {
        // The batch must not be what is broadcast.
        auto in = b.getInput().getType();
        return isBatched(b.getInput()) && in.getRank() == rank;
      })
      .Case<GatherOp>([&](GatherOp g) { return g.getNormalizedAxis() != 0; })
      .Case<TakeOp>([&](TakeOp t) {
        // Along the batch of the data only with batched indices and a
        // table shared by all samples (embeddings); along another axis of
        // batched data with indices shared by all samples.
        if (t.getNormalizedAxis() == 0)
          return !isBatched(t.getData()) && isBatched(t.getIndices()) &&
                 t.getIndices().getType().getRank() >= 1;
        return isBatched(t.getData()) && !isBatched(t.getIndices());
      })
      .Default([](Operation *) { return false; });
}

} // namespace

std::optional<DenseSet<Value>>
mlir::qc::analyzeBatchSeparability(func::FuncOp func, int64_t n) {
  DenseSet<Value> batched;
  for (BlockArgument a : func.getArguments()) {
    if (!hasBatch(a.getType(), n) || perAxisOnBatch(a.getType()))
      return std::nullopt;
    batched.insert(a);
  }
  if (!func.getBody().hasOneBlock())
    return std::nullopt;
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      if (!llvm::all_of(ret.getOperands(),
                        [&](Value v) { return batched.contains(v); }))
        return std::nullopt;
      continue;
    }
    bool any = llvm::any_of(op.getOperands(),
                            [&](Value v) { return batched.contains(v); });
    if (!any) {
      // A constant broadcast along the batch (a class token expanded to
      // every sample) is batched: each tile takes its own copies.
      if (auto b = dyn_cast<BroadcastOp>(op);
          b && hasBatch(b.getType(), n) &&
          !hasBatch(b.getInput().getType(), n) &&
          b.getInput().getType().getRank() == b.getType().getRank()) {
        batched.insert(b.getResult());
        continue;
      }
      // Computed from constants alone: the same in every tile.
      if (op.getNumRegions() != 0)
        return std::nullopt;
      continue;
    }
    if (op.getNumResults() == 0 || !keepsSamplesApart(&op, batched, n))
      return std::nullopt;
    for (Value r : op.getResults())
      batched.insert(r);
  }
  return batched;
}

namespace {

/// Bytes of one element of a tensor of `t` as stored.
int64_t elementBytes(RankedTensorType t) {
  Type e = t.getElementType();
  if (auto q = getQuantElementType(t))
    return (q.getStorageTypeIntegralWidth() + 7) / 8;
  return (e.getIntOrFloatBitWidth() + 7) / 8;
}

/// Bytes one sample of a batched value takes.
int64_t sampleBytes(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return t.getNumElements() / t.getDimSize(0) * elementBytes(t);
}

} // namespace

func::FuncOp mlir::qc::cloneForBatch(func::FuncOp func,
                                     const DenseSet<Value> &batched, int64_t b,
                                     StringRef name) {
  IRMapping mapping;
  func::FuncOp copy = func.clone(mapping);
  copy.setSymName(name);
  for (Value v : batched) {
    Value c = mapping.lookup(v);
    auto t = cast<RankedTensorType>(c.getType());
    SmallVector<int64_t> shape(t.getShape());
    shape[0] = b;
    c.setType(t.clone(shape));
  }
  Block &body = copy.getBody().front();
  copy.setFunctionType(
      FunctionType::get(func.getContext(), body.getArgumentTypes(),
                        body.getTerminator()->getOperandTypes()));
  return copy;
}

namespace {

struct TileBatchPass : qc::impl::QCTileBatchBase<TileBatchPass> {
  using QCTileBatchBase::QCTileBatchBase;

  void runOnOperation() override {
    if (tileBytes <= 0)
      return;
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs)
      if (!func.isExternal() && func.isPublic() && func.getNumArguments() > 0)
        tile(module, func);
  }

  void tile(ModuleOp module, func::FuncOp func) {
    auto first = dyn_cast<RankedTensorType>(func.getArgument(0).getType());
    if (!first || first.getRank() < 1 || !first.hasStaticShape())
      return;
    int64_t n = first.getDimSize(0);
    if (n < 2)
      return;
    std::optional<DenseSet<Value>> batched = analyzeBatchSeparability(func, n);
    if (!batched)
      return;
    int64_t perSample = 0;
    for (Value v : *batched)
      perSample += sampleBytes(v);
    int64_t fit =
        std::max<int64_t>(1, tileBytes / std::max<int64_t>(perSample, 1));
    if (fit >= n)
      return;
    // Tiles of equal size where possible: ceil(n / fit) tiles.
    int64_t tiles = (n + fit - 1) / fit;
    int64_t b = (n + tiles - 1) / tiles;
    int64_t count = n / b, rest = n % b;

    std::string name = func.getName().str();
    std::string tileName = name + "__batch_tile",
                tailName = name + "__batch_tail";
    if (module.lookupSymbol(tileName) || module.lookupSymbol(tailName))
      return;
    OpBuilder builder(func);
    func::FuncOp tileFn = cloneForBatch(func, *batched, b, tileName);
    builder.insert(tileFn);
    SmallVector<int64_t> strides;
    for (BlockArgument a : func.getArguments())
      strides.push_back(sampleBytes(a) * b);
    for (Value v : func.getBody().front().getTerminator()->getOperands())
      strides.push_back(sampleBytes(v) * b);
    tileFn->setAttr("qc.batch_of", builder.getStringAttr(name));
    tileFn->setAttr("qc.batch_count", builder.getI64IntegerAttr(count));
    tileFn->setAttr("qc.batch_strides", builder.getDenseI64ArrayAttr(strides));
    func::FuncOp tailFn;
    if (rest) {
      tailFn = cloneForBatch(func, *batched, rest, tailName);
      builder.insert(tailFn);
      tailFn->setAttr("qc.batch_tail_of", builder.getStringAttr(name));
      tileFn->setAttr("qc.batch_tail", builder.getStringAttr(tailName));
    }
    if (failed(verify(tileFn)) || (tailFn && failed(verify(tailFn)))) {
      // Not expected: keep the model whole rather than fail the compile.
      tileFn.erase();
      if (tailFn)
        tailFn.erase();
      return;
    }
    func.erase();
  }
};

} // namespace
