//===- CInterface.cpp - The generic C entry points of a model -------------===//
//
// qc-emit-c-interface: after lowering to the LLVM dialect (bare-pointer
// memref arguments), wraps each model function NAME(in..., out..., ws) as
//   int NAME_run(const void *const *inputs, void *const *outputs, void *ws)
//   size_t NAME_workspace_size(void)
// so that any harness can drive any model through one signature. NAME_run
// checks its pointers first: it returns 1 (and touches nothing) when the
// inputs or outputs array, one of their entries, or a needed workspace is
// NULL, 2 when the workspace is not 16-byte aligned, 0 after running.
//
//===----------------------------------------------------------------------===//

#include "qc/Conversion/Passes.h"
#include "qc/Dialect/QC/IR/QCDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::qc {
#define GEN_PASS_DEF_QCEMITCINTERFACE
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Reads an integer attribute the lowering put on a model function.
int64_t intAttr(Operation *op, StringRef name) {
  return op->getAttrOfType<IntegerAttr>(name).getInt();
}

/// The generic entry points of model `name`: `size_t NAME_workspace_size()`
/// returning `wsSize`, and the start of `int NAME_run(const void *const
/// *inputs, void *const *outputs, void *ws)`. On success the builder is at
/// the end of NAME_run's entry block and `buffers` holds the input pointers,
/// then the output pointers, then the workspace; the caller emits the calls
/// and the return.
LogicalResult createEntryPoints(ModuleOp module, Operation *anchor,
                                StringRef name, int64_t numInputs,
                                int64_t numOutputs, int64_t wsSize,
                                OpBuilder &b, SmallVectorImpl<Value> &buffers) {
  if (module.lookupSymbol((name + "_run").str()) ||
      module.lookupSymbol((name + "_workspace_size").str()) ||
      module.lookupSymbol((name + "_impl").str()))
    return anchor->emitError("symbol names derived from '")
           << name << "' are already taken";
  MLIRContext *ctx = module.getContext();
  Location loc = anchor->getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i32 = IntegerType::get(ctx, 32);
  auto i64 = IntegerType::get(ctx, 64);
  b.setInsertionPoint(anchor);

  // size_t NAME_workspace_size(void)
  auto sizeFn = LLVM::LLVMFuncOp::create(
      b, loc, (name + "_workspace_size").str(),
      LLVM::LLVMFunctionType::get(i64, {}));
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(sizeFn.addEntryBlock(b));
    LLVM::ReturnOp::create(b, loc,
                           LLVM::ConstantOp::create(b, loc, i64, wsSize));
  }

  // int NAME_run(const void *const *inputs, void *const *outputs, void *ws)
  auto runFn =
      LLVM::LLVMFuncOp::create(b, loc, (name + "_run").str(),
                               LLVM::LLVMFunctionType::get(i32, {ptr, ptr, ptr}));
  runFn->setAttr(QCDialect::getWorkspaceSizeAttrName(),
                 b.getI64IntegerAttr(wsSize));
  Block *entry = runFn.addEntryBlock(b);
  Region &body = runFn.getBody();
  b.setInsertionPointToStart(entry);
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  auto isNull = [&](Value p) {
    return LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, p, null)
        .getResult();
  };
  // `if (failed) return status;` then go on in a new block.
  auto check = [&](Value failed, int32_t status) {
    Block *fail = b.createBlock(&body, body.end());
    LLVM::ReturnOp::create(b, loc,
                           LLVM::ConstantOp::create(b, loc, i32, status));
    Block *next = b.createBlock(&body, body.end());
    b.setInsertionPointToEnd(fail->getPrevNode());
    LLVM::CondBrOp::create(b, loc, failed, fail, next);
    b.setInsertionPointToStart(next);
  };
  auto anyOf = [&](ArrayRef<Value> conds) {
    Value any = LLVM::ConstantOp::create(b, loc, b.getI1Type(), 0);
    for (Value c : conds)
      any = LLVM::OrOp::create(b, loc, any, c);
    return any;
  };
  Value inputs = entry->getArgument(0), outputs = entry->getArgument(1),
        ws = entry->getArgument(2);
  // The arrays first (their entries are loaded next), then every buffer.
  SmallVector<Value> arrays;
  if (numInputs)
    arrays.push_back(isNull(inputs));
  if (numOutputs)
    arrays.push_back(isNull(outputs));
  if (wsSize)
    arrays.push_back(isNull(ws));
  check(anyOf(arrays), kStatusNullPointer);
  auto load = [&](Value array, int64_t i) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, array,
                                     ArrayRef<LLVM::GEPArg>{int32_t(i)});
    return LLVM::LoadOp::create(b, loc, ptr, slot).getResult();
  };
  for (int64_t i = 0; i < numInputs; ++i)
    buffers.push_back(load(inputs, i));
  for (int64_t i = 0; i < numOutputs; ++i)
    buffers.push_back(load(outputs, i));
  SmallVector<Value> entries;
  for (Value p : buffers)
    entries.push_back(isNull(p));
  check(anyOf(entries), kStatusNullPointer);
  if (wsSize) {
    Value addr = LLVM::PtrToIntOp::create(b, loc, i64, ws);
    Value low = LLVM::AndOp::create(
        b, loc, addr,
        LLVM::ConstantOp::create(b, loc, i64, kWorkspaceAlignment - 1));
    check(LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, low,
                               LLVM::ConstantOp::create(b, loc, i64, 0)),
          kStatusMisalignedWorkspace);
  }
  buffers.push_back(ws);
  return success();
}

/// `return 0` from NAME_run.
void emitReturnZero(OpBuilder &b, Location loc) {
  LLVM::ReturnOp::create(
      b, loc, LLVM::ConstantOp::create(b, loc, b.getI32Type(), 0));
}

struct EmitCInterfacePass
    : public mlir::qc::impl::QCEmitCInterfaceBase<EmitCInterfacePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> models;
    module.walk([&](LLVM::LLVMFuncOp f) {
      if (f->hasAttr(QCDialect::getWorkspaceSizeAttrName()) &&
          f->hasAttr(QCDialect::getNumInputsAttrName()))
        models.push_back(f);
    });
    for (LLVM::LLVMFuncOp f : models) {
      if (f->hasAttr("qc.batch_tail_of"))
        continue; // Called by its tile function's wrapper.
      if (failed(checkSignature(f)) ||
          failed(f->hasAttr("qc.batch_of") ? wrapTiled(f) : wrap(f)))
        return signalPassFailure();
    }
  }

  /// Model functions take bare pointers: inputs, outputs, workspace.
  LogicalResult checkSignature(LLVM::LLVMFuncOp f) {
    auto ptr = LLVM::LLVMPointerType::get(f.getContext());
    for (Type t : f.getFunctionType().getParams())
      if (t != ptr)
        return f.emitError("expected bare-pointer arguments, got ") << t;
    if (int64_t(f.getFunctionType().getNumParams()) <
        intAttr(f, QCDialect::getNumInputsAttrName()) + 1)
      return f.emitError("inconsistent model signature");
    return success();
  }

  /// NAME_run loads the pointers and calls the model function, renamed
  /// NAME_impl (internal).
  LogicalResult wrap(LLVM::LLVMFuncOp impl) {
    std::string name = impl.getName().str();
    int64_t numInputs = intAttr(impl, QCDialect::getNumInputsAttrName());
    int64_t numOutputs =
        int64_t(impl.getFunctionType().getNumParams()) - numInputs - 1;
    OpBuilder b(impl.getContext());
    SmallVector<Value> buffers;
    if (failed(createEntryPoints(
            module(), impl, name, numInputs, numOutputs,
            intAttr(impl, QCDialect::getWorkspaceSizeAttrName()), b, buffers)))
      return failure();
    impl.setSymName(name + "_impl");
    impl.setLinkage(LLVM::Linkage::Internal);
    LLVM::CallOp::create(b, impl.getLoc(), impl, buffers);
    emitReturnZero(b, impl.getLoc());
    return success();
  }

  /// The entry points of a model that qc-tile-batch split into a tile
  /// function (and a remainder): NAME_run calls the tile function on
  /// consecutive slices of every input and output, then the remainder.
  LogicalResult wrapTiled(LLVM::LLVMFuncOp tile) {
    Location loc = tile.getLoc();
    std::string name =
        tile->getAttrOfType<StringAttr>("qc.batch_of").getValue().str();
    int64_t count = intAttr(tile, "qc.batch_count");
    ArrayRef<int64_t> strides =
        tile->getAttrOfType<DenseI64ArrayAttr>("qc.batch_strides").asArrayRef();
    LLVM::LLVMFuncOp tail;
    if (auto tailName = tile->getAttrOfType<StringAttr>("qc.batch_tail")) {
      tail = module().lookupSymbol<LLVM::LLVMFuncOp>(tailName.getValue());
      if (!tail)
        return tile.emitError("missing remainder function ") << tailName;
    }
    int64_t numArgs = tile.getFunctionType().getNumParams();
    int64_t numInputs = intAttr(tile, QCDialect::getNumInputsAttrName());
    if (int64_t(strides.size()) != numArgs - 1)
      return tile.emitError("inconsistent tiled model signature");
    int64_t wsSize =
        intAttr(tile, QCDialect::getWorkspaceSizeAttrName());
    if (tail)
      wsSize = std::max(wsSize,
                        intAttr(tail, QCDialect::getWorkspaceSizeAttrName()));
    OpBuilder b(tile.getContext());
    SmallVector<Value> buffers;
    if (failed(createEntryPoints(module(), tile, name, numInputs,
                                 numArgs - numInputs - 1, wsSize, b, buffers)))
      return failure();
    tile.setLinkage(LLVM::Linkage::Internal);
    if (tail)
      tail.setLinkage(LLVM::Linkage::Internal);

    auto ptr = LLVM::LLVMPointerType::get(tile.getContext());
    auto i64 = b.getI64Type();
    // The arguments of tile number `index`: every buffer but the workspace
    // advanced by index * its tile stride.
    auto argsAt = [&](Value index) {
      SmallVector<Value> args;
      for (auto [base, stride] : llvm::zip(buffers, strides)) {
        Value offset = LLVM::MulOp::create(
            b, loc, index, LLVM::ConstantOp::create(b, loc, i64, stride));
        args.push_back(LLVM::GEPOp::create(b, loc, ptr, b.getI8Type(), base,
                                           ValueRange{offset}));
      }
      args.push_back(buffers.back());
      return args;
    };
    // for (i = 0; i < count; ++i) tile(args at i)
    Block *start = b.getInsertionBlock();
    Region *body = start->getParent();
    Block *header = b.createBlock(body, body->end(), {i64}, {loc});
    Block *loop = b.createBlock(body, body->end());
    Block *exit = b.createBlock(body, body->end());
    b.setInsertionPointToEnd(start);
    LLVM::BrOp::create(
        b, loc, ValueRange{LLVM::ConstantOp::create(b, loc, i64, 0)}, header);
    b.setInsertionPointToStart(header);
    Value i = header->getArgument(0);
    Value more =
        LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::slt, i,
                             LLVM::ConstantOp::create(b, loc, i64, count));
    LLVM::CondBrOp::create(b, loc, more, loop, exit);
    b.setInsertionPointToStart(loop);
    LLVM::CallOp::create(b, loc, tile, argsAt(i));
    Value next = LLVM::AddOp::create(b, loc, i,
                                     LLVM::ConstantOp::create(b, loc, i64, 1));
    LLVM::BrOp::create(b, loc, ValueRange{next}, header);
    b.setInsertionPointToStart(exit);
    if (tail)
      LLVM::CallOp::create(
          b, loc, tail, argsAt(LLVM::ConstantOp::create(b, loc, i64, count)));
    emitReturnZero(b, loc);
    return success();
  }

  ModuleOp module() { return getOperation(); }
};
} // namespace
