//===- PlanWorkspace.cpp - Place a model's buffers in one workspace -------===//
//
// qc-plan-workspace: after convert-qc-to-linalg, every buffer a model
// function needs (intermediate results and scratch) is a memref.alloc in its
// body. This pass gives each a live interval, from its allocation to the
// last top-level op that uses it (directly or through a view of it), and
// places the intervals in one workspace, largest first, each at the lowest
// 64-byte-aligned offset that overlaps no placed interval alive at the same
// time. The allocations become views of a new last argument, memref<Wxi8>,
// and W is recorded as the function's qc.workspace_size: the generated code
// never allocates.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "qc/Conversion/Passes.h"

#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCPLANWORKSPACE
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

constexpr int64_t kAlignment = 64;

int64_t alignTo(int64_t v) {
  return (v + kAlignment - 1) / kAlignment * kAlignment;
}

/// One buffer's bytes and live range [start, end] in top-level op indices.
struct Interval {
  memref::AllocOp alloc;
  int64_t size;
  int start, end;
  int64_t offset = -1;
};

/// First-fit placement, largest first; returns the bytes used.
int64_t placeIntervals(MutableArrayRef<Interval> intervals) {
  SmallVector<Interval *> order;
  for (Interval &i : intervals)
    order.push_back(&i);
  llvm::stable_sort(order, [](Interval *a, Interval *b) {
    return a->size > b->size;
  });
  SmallVector<Interval *> placed;
  int64_t total = 0;
  for (Interval *cur : order) {
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (Interval *p : placed)
      if (p->start <= cur->end && cur->start <= p->end)
        busy.push_back({p->offset, p->offset + alignTo(p->size)});
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + alignTo(cur->size) <= lo)
        break;
      offset = std::max(offset, hi);
    }
    cur->offset = offset;
    total = std::max(total, offset + alignTo(cur->size));
    placed.push_back(cur);
  }
  return total;
}

LogicalResult planFunction(func::FuncOp func) {
  Block &entry = func.getBody().front();
  // The allocation each buffer value views (itself for an allocation).
  DenseMap<Value, unsigned> rootOf;
  SmallVector<Interval> intervals;
  int index = 0;
  auto use = [&](Value v, int at) {
    auto it = rootOf.find(v);
    if (it != rootOf.end())
      intervals[it->second].end = std::max(intervals[it->second].end, at);
  };
  for (Operation &op : entry) {
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        return alloc.emitError("qc-plan-workspace needs static, identity-"
                               "layout allocations");
      // Elements take whole bytes: an i1 (a bool) is one byte in memory.
      int64_t bytes = std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
      rootOf[alloc] = intervals.size();
      intervals.push_back({alloc,
                           std::max<int64_t>(1, type.getNumElements() * bytes),
                           index, index});
      ++index;
      continue;
    }
    // Every value the op (or an op nested in it) reads or writes.
    op.walk([&](Operation *inner) {
      if (auto alloc = dyn_cast<memref::AllocOp>(inner); alloc && inner != &op)
        inner->emitError("qc-plan-workspace: allocation inside a region");
      for (Value v : inner->getOperands())
        use(v, index);
    });
    // Views extend the buffer they view.
    if (auto view = dyn_cast<ViewLikeOpInterface>(op))
      for (Value r : op.getResults()) {
        auto it = rootOf.find(view.getViewSource());
        if (it != rootOf.end())
          rootOf[r] = it->second;
      }
    ++index;
  }
  // Slack at the end: vector loads may read up to a vector past a buffer.
  int64_t size = placeIntervals(intervals) + kAlignment;
  OpBuilder b(func.getContext());
  auto wsType = MemRefType::get({size}, b.getI8Type());
  Value ws = entry.addArgument(wsType, func.getLoc());
  for (Interval &i : intervals) {
    b.setInsertionPoint(i.alloc);
    Value offset = arith::ConstantIndexOp::create(b, i.alloc.getLoc(), i.offset);
    Value view = memref::ViewOp::create(b, i.alloc.getLoc(), i.alloc.getType(),
                                        ws, offset, ValueRange());
    i.alloc.replaceAllUsesWith(view);
    i.alloc.erase();
  }
  SmallVector<Type> args(func.getFunctionType().getInputs());
  args.push_back(wsType);
  func.setType(b.getFunctionType(args, func.getFunctionType().getResults()));
  func->setAttr(QCDialect::getWorkspaceSizeAttrName(),
                b.getI64IntegerAttr(size));
  return success();
}

struct PlanWorkspacePass
    : public mlir::qc::impl::QCPlanWorkspaceBase<PlanWorkspacePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func->hasAttr(QCDialect::getNumInputsAttrName()) &&
          !func->hasAttr(QCDialect::getWorkspaceSizeAttrName()) &&
          failed(planFunction(func)))
        return signalPassFailure();
  }
};

} // namespace
