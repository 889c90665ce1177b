//===- QCToLinalg.cpp - Lower qc graphs onto a planned workspace ----------===//
//
// convert-qc-to-linalg: rewrites each function whose body is a qc graph on
// tensors into a function on memrefs (inputs, outputs, workspace). The
// driver here plans the workspace and threads buffers through; the per-op
// lowerings live in the other files of this directory.
//
// The workspace plan: every intermediate tensor and every scratch buffer an
// op asks for is an interval [first op, last op] of the straight-line
// program with a byte size. Intervals are placed largest first at the lowest
// 64-byte-aligned offset that overlaps no placed interval alive at the same
// time. Reshapes are views of their operand (no copy); results that are
// returned are computed directly into the caller's output buffers.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "qc/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

constexpr int64_t kAlignment = 64;

int64_t alignTo(int64_t v) { return (v + kAlignment - 1) / kAlignment * kAlignment; }

int64_t byteSize(MemRefType type) {
  int64_t bits = type.getElementTypeBitWidth();
  return std::max<int64_t>(1, type.getNumElements() * bits / 8);
}

/// One workspace interval.
struct Interval {
  int64_t size;
  int start, end;
  int64_t offset = -1;
};

/// First-fit placement, largest first.
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

bool isConstantOp(Operation *op) {
  return isa<arith::ConstantOp, qc::ConstantOp>(op);
}

/// Ops whose result is a view of their operand.
bool isAliasOp(Operation *op) { return isa<ReshapeOp, StatsOp>(op); }

class FunctionLowering {
public:
  FunctionLowering(func::FuncOp func, const LoweringRegistry &registry,
                   const LoweringOptions &options)
      : func(func), registry(registry), options(options),
        module(func->getParentOfType<ModuleOp>()) {}

  LogicalResult run();

private:
  LogicalResult checkSupported();
  Value root(Value v) {
    while (Operation *def = v.getDefiningOp())
      if (isAliasOp(def))
        v = def->getOperand(0);
      else
        break;
    return v;
  }

  func::FuncOp func;
  const LoweringRegistry &registry;
  const LoweringOptions &options;
  ModuleOp module;
  SmallVector<Operation *> program;
};

LogicalResult FunctionLowering::checkSupported() {
  if (!func.getBody().hasOneBlock())
    return func.emitError("qc lowering needs a function of one block");
  for (Type t : func.getFunctionType().getInputs())
    if (auto rt = dyn_cast<RankedTensorType>(t); !rt || !rt.hasStaticShape())
      return func.emitError("qc lowering needs statically shaped tensor "
                            "arguments, got ")
             << t;
  for (Type t : func.getFunctionType().getResults())
    if (auto rt = dyn_cast<RankedTensorType>(t); !rt || !rt.hasStaticShape())
      return func.emitError("qc lowering needs statically shaped tensor "
                            "results, got ")
             << t;
  for (Operation &op : func.getBody().front()) {
    if (isConstantOp(&op)) {
      Attribute value = isa<arith::ConstantOp>(op)
                            ? cast<arith::ConstantOp>(op).getValue()
                            : cast<qc::ConstantOp>(op).getValue();
      if (!isa<DenseElementsAttr>(value))
        return op.emitError("qc lowering supports dense constants only");
      continue;
    }
    if (isa<func::ReturnOp>(op))
      continue;
    if (!isAliasOp(&op) && !registry.count(op.getName().getStringRef()))
      return op.emitError("no lowering for '")
             << op.getName() << "' (the qc lowering handles qc ops)";
    for (Type t : op.getResultTypes())
      if (auto rt = dyn_cast<RankedTensorType>(t); !rt || !rt.hasStaticShape())
        return op.emitError("qc lowering needs statically shaped results");
    program.push_back(&op);
  }
  return success();
}

LogicalResult FunctionLowering::run() {
  if (failed(checkSupported()))
    return failure();
  auto returnOp = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  int end = static_cast<int>(program.size());

  // Lifetimes of the buffers each op result needs (aliases extend roots).
  DenseMap<Value, int> index;
  llvm::MapVector<Value, Interval> values;
  for (auto [i, op] : llvm::enumerate(program)) {
    for (Value r : op->getResults()) {
      index[r] = i;
      if (!isAliasOp(op))
        values[r] = Interval{byteSize(getBufferType(r.getType())), int(i),
                             int(i)};
    }
  }
  auto extend = [&](Value v, int at) {
    Value r = root(v);
    auto it = values.find(r);
    if (it != values.end())
      it->second.end = std::max(it->second.end, at);
  };
  for (auto [i, op] : llvm::enumerate(program))
    for (Value operand : op->getOperands())
      extend(operand, int(i));
  for (Value v : returnOp.getOperands())
    extend(v, end);

  // Returned results are computed in place in the output buffers.
  DenseMap<Value, unsigned> inOutput;
  SmallVector<bool> outputNeedsCopy;
  for (auto [j, v] : llvm::enumerate(returnOp.getOperands())) {
    bool direct = values.count(v) && !inOutput.count(v);
    if (direct)
      inOutput[v] = j;
    outputNeedsCopy.push_back(!direct);
  }

  // Scratch buffers.
  SmallVector<SmallVector<MemRefType>> scratchTypes;
  SmallVector<Interval> intervals;
  SmallVector<Value> intervalValue;
  for (auto &[v, interval] : values) {
    if (inOutput.count(v))
      continue;
    intervals.push_back(interval);
    intervalValue.push_back(v);
  }
  SmallVector<SmallVector<unsigned>> scratchIntervals(program.size());
  for (auto [i, op] : llvm::enumerate(program)) {
    SmallVector<MemRefType> types;
    if (!isAliasOp(op))
      types = registry.find(op->getName().getStringRef())
                  ->second->getScratch(op, options);
    for (MemRefType t : types) {
      scratchIntervals[i].push_back(intervals.size());
      intervals.push_back(Interval{byteSize(t), int(i), int(i)});
      intervalValue.push_back(Value());
    }
    scratchTypes.push_back(types);
  }
  // Slack at the end: vector loads may read up to a vector past a buffer.
  int64_t workspaceSize = placeIntervals(intervals) + kAlignment;

  // The new signature: inputs, outputs, workspace.
  OpBuilder b(func);
  Location loc = func.getLoc();
  SmallVector<Type> argTypes;
  for (Type t : func.getFunctionType().getInputs())
    argTypes.push_back(getBufferType(t));
  for (Type t : func.getFunctionType().getResults())
    argTypes.push_back(getBufferType(t));
  auto wsType = MemRefType::get({workspaceSize}, b.getI8Type());
  argTypes.push_back(wsType);
  auto newFunc = func::FuncOp::create(
      b, loc, func.getName(), b.getFunctionType(argTypes, {}));
  newFunc.setVisibility(func.getVisibility());
  // Marks of other passes (qc-tile-batch's) travel with the function.
  for (NamedAttribute a : func->getDiscardableAttrs())
    newFunc->setAttr(a.getName(), a.getValue());
  newFunc->setAttr(QCDialect::getWorkspaceSizeAttrName(),
                   b.getI64IntegerAttr(workspaceSize));
  newFunc->setAttr(QCDialect::getNumInputsAttrName(),
                   b.getI64IntegerAttr(func.getNumArguments()));
  Block *entry = newFunc.addEntryBlock();
  b.setInsertionPointToStart(entry);
  unsigned numInputs = func.getNumArguments();
  Value workspace = entry->getArgument(argTypes.size() - 1);

  LoweringState state(b, module, options);
  DenseMap<Value, Value> buffers;
  for (unsigned i = 0; i < numInputs; ++i)
    buffers[func.getArgument(i)] = entry->getArgument(i);

  auto view = [&](int64_t offset, MemRefType type) -> Value {
    Value off = arith::ConstantIndexOp::create(b, loc, offset);
    return memref::ViewOp::create(b, loc, type, workspace, off, ValueRange());
  };
  DenseMap<Value, int64_t> offsets;
  for (auto [interval, v] : llvm::zip(intervals, intervalValue))
    if (v)
      offsets[v] = interval.offset;

  auto bufferOf = [&](Value v) -> Value {
    if (!v)
      return Value();
    if (Value buf = buffers.lookup(v))
      return buf;
    Operation *def = v.getDefiningOp();
    if (def && isConstantOp(def)) {
      Attribute value = isa<arith::ConstantOp>(def)
                            ? cast<arith::ConstantOp>(def).getValue()
                            : cast<qc::ConstantOp>(def).getValue();
      Value buf = state.getConstantBuffer(def->getLoc(),
                                          cast<DenseElementsAttr>(value));
      buffers[v] = buf;
      return buf;
    }
    return Value();
  };

  for (auto [i, op] : llvm::enumerate(program)) {
    Location opLoc = op->getLoc();
    Value result = op->getResult(0);
    if (isAliasOp(op)) {
      Value source = bufferOf(op->getOperand(0));
      auto type = getBufferType(result.getType());
      if (source.getType() == type) {
        buffers[result] = source;
        continue;
      }
      SmallVector<int64_t> strides(type.getRank(), 1);
      for (int d = type.getRank() - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * type.getDimSize(d + 1);
      buffers[result] = memref::ReinterpretCastOp::create(
          b, opLoc, type, source, 0, type.getShape(), strides);
      continue;
    }
    state.results.clear();
    for (Value r : op->getResults()) {
      auto outIt = inOutput.find(r);
      if (outIt != inOutput.end())
        buffers[r] = entry->getArgument(numInputs + outIt->second);
      else
        buffers[r] = view(offsets.lookup(r), getBufferType(r.getType()));
      state.results.push_back(buffers[r]);
    }

    state.operands.clear();
    for (Value operand : op->getOperands())
      state.operands.push_back(bufferOf(operand));
    state.result = buffers[result];
    state.scratch.clear();
    for (auto [k, t] : llvm::enumerate(scratchTypes[i]))
      state.scratch.push_back(
          view(intervals[scratchIntervals[i][k]].offset, t));
    b.setInsertionPoint(entry, entry->end());
    if (failed(registry.find(op->getName().getStringRef())
                   ->second->lower(op, state)))
      return failure();
    b.setInsertionPoint(entry, entry->end());
  }

  for (auto [j, v] : llvm::enumerate(returnOp.getOperands()))
    if (outputNeedsCopy[j])
      emitCopy(b, loc, bufferOf(v), entry->getArgument(numInputs + j));
  func::ReturnOp::create(b, loc);
  func.erase();
  return success();
}

struct ConvertQCToLinalgPass
    : public mlir::qc::impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    LoweringOptions options;
    options.target = lookupTarget(target);
    options.reference = reference;
    options.blockBytes = blockBytes;
    if (!options.target) {
      getOperation().emitError("unknown target '") << target << "'";
      return signalPassFailure();
    }
    LoweringRegistry registry;
    registerQuantizationLowerings(registry);
    registerElementwiseLowerings(registry);
    registerPoolingLowerings(registry);
    registerDataMovementLowerings(registry);
    registerNormalizationLowerings(registry);
    registerProductLowerings(registry);

    SmallVector<func::FuncOp> funcs;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && !func->hasAttr(QCDialect::getWorkspaceSizeAttrName()))
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(FunctionLowering(func, registry, options).run()))
        return signalPassFailure();
  }
};

} // namespace
