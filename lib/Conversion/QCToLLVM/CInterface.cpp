//===- CInterface.cpp - The generic C entry points of a model -------------===//
//
// qc-emit-c-interface: after lowering to the LLVM dialect (bare-pointer
// memref arguments), wraps each model function NAME(in..., out..., ws) as
//   int NAME_run(const void *const *inputs, void *const *outputs, void *ws)
//   size_t NAME_workspace_size(void)
// so that any harness can drive any model through one signature.
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
      if (failed(f->hasAttr("qc.batch_of") ? wrapTiled(f) : wrap(f)))
        return signalPassFailure();
    }
  }

  /// The entry points of a model that qc-tile-batch split into a tile
  /// function (and a remainder): NAME_run calls the tile function on
  /// consecutive slices of every input and output, then the remainder.
  LogicalResult wrapTiled(LLVM::LLVMFuncOp tile) {
    MLIRContext *ctx = tile.getContext();
    OpBuilder b(tile);
    Location loc = tile.getLoc();
    std::string name =
        tile->getAttrOfType<StringAttr>("qc.batch_of").getValue().str();
    int64_t count = tile->getAttrOfType<IntegerAttr>("qc.batch_count").getInt();
    ArrayRef<int64_t> strides =
        tile->getAttrOfType<DenseI64ArrayAttr>("qc.batch_strides").asArrayRef();
    LLVM::LLVMFuncOp tail;
    if (auto tailName = tile->getAttrOfType<StringAttr>("qc.batch_tail")) {
      tail = module().lookupSymbol<LLVM::LLVMFuncOp>(tailName.getValue());
      if (!tail)
        return tile.emitError("missing remainder function ") << tailName;
    }
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i8 = IntegerType::get(ctx, 8);
    auto i32 = IntegerType::get(ctx, 32);
    auto i64 = IntegerType::get(ctx, 64);
    int64_t numInputs =
        tile->getAttrOfType<IntegerAttr>(QCDialect::getNumInputsAttrName())
            .getInt();
    int64_t numArgs = tile.getFunctionType().getNumParams();
    int64_t numOutputs = numArgs - numInputs - 1;
    if (numOutputs < 0 || int64_t(strides.size()) != numArgs - 1)
      return tile.emitError("inconsistent tiled model signature");
    if (module().lookupSymbol(name + "_run") ||
        module().lookupSymbol(name + "_workspace_size"))
      return tile.emitError("symbol names derived from '")
             << name << "' are already taken";
    auto wsOf = [](LLVM::LLVMFuncOp f) {
      return f
          ->getAttrOfType<IntegerAttr>(QCDialect::getWorkspaceSizeAttrName())
          .getInt();
    };
    int64_t wsSize = std::max(wsOf(tile), tail ? wsOf(tail) : int64_t(0));
    tile.setLinkage(LLVM::Linkage::Internal);
    if (tail)
      tail.setLinkage(LLVM::Linkage::Internal);

    auto sizeFn = LLVM::LLVMFuncOp::create(
        b, loc, name + "_workspace_size", LLVM::LLVMFunctionType::get(i64, {}));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(sizeFn.addEntryBlock(b));
      LLVM::ReturnOp::create(b, loc,
                             LLVM::ConstantOp::create(b, loc, i64, wsSize));
    }

    auto runFn = LLVM::LLVMFuncOp::create(
        b, loc, name + "_run",
        LLVM::LLVMFunctionType::get(i32, {ptr, ptr, ptr}));
    runFn->setAttr(QCDialect::getWorkspaceSizeAttrName(),
                   b.getI64IntegerAttr(wsSize));
    OpBuilder::InsertionGuard g(b);
    Block *entry = runFn.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    SmallVector<Value> bases;
    auto load = [&](Value array, int64_t i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, array,
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      return LLVM::LoadOp::create(b, loc, ptr, slot).getResult();
    };
    for (int64_t i = 0; i < numInputs; ++i)
      bases.push_back(load(entry->getArgument(0), i));
    for (int64_t i = 0; i < numOutputs; ++i)
      bases.push_back(load(entry->getArgument(1), i));
    Value ws = entry->getArgument(2);
    // The arguments of tile number `index`: every buffer advanced by
    // index * its tile stride.
    auto argsAt = [&](Value index) {
      SmallVector<Value> args;
      for (auto [base, stride] : llvm::zip(bases, strides)) {
        Value offset = LLVM::MulOp::create(
            b, loc, index, LLVM::ConstantOp::create(b, loc, i64, stride));
        args.push_back(
            LLVM::GEPOp::create(b, loc, ptr, i8, base, ValueRange{offset}));
      }
      args.push_back(ws);
      return args;
    };
    // for (i = 0; i < count; ++i) tile(args at i)
    Block *header = runFn.addBlock();
    header->addArgument(i64, loc);
    Block *body = runFn.addBlock();
    Block *exit = runFn.addBlock();
    LLVM::BrOp::create(
        b, loc, ValueRange{LLVM::ConstantOp::create(b, loc, i64, 0)}, header);
    b.setInsertionPointToStart(header);
    Value i = header->getArgument(0);
    Value more =
        LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::slt, i,
                             LLVM::ConstantOp::create(b, loc, i64, count));
    LLVM::CondBrOp::create(b, loc, more, body, exit);
    b.setInsertionPointToStart(body);
    LLVM::CallOp::create(b, loc, tile, argsAt(i));
    Value next = LLVM::AddOp::create(b, loc, i,
                                     LLVM::ConstantOp::create(b, loc, i64, 1));
    LLVM::BrOp::create(b, loc, ValueRange{next}, header);
    b.setInsertionPointToStart(exit);
    if (tail)
      LLVM::CallOp::create(
          b, loc, tail, argsAt(LLVM::ConstantOp::create(b, loc, i64, count)));
    LLVM::ReturnOp::create(b, loc, LLVM::ConstantOp::create(b, loc, i32, 0));
    return success();
  }

  LogicalResult wrap(LLVM::LLVMFuncOp impl) {
    MLIRContext *ctx = impl.getContext();
    OpBuilder b(impl);
    Location loc = impl.getLoc();
    std::string name = impl.getName().str();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    auto i64 = IntegerType::get(ctx, 64);
    auto type = impl.getFunctionType();
    for (Type t : type.getParams())
      if (t != ptr)
        return impl.emitError("expected bare-pointer arguments, got ") << t;
    int64_t numInputs =
        impl->getAttrOfType<IntegerAttr>(QCDialect::getNumInputsAttrName())
            .getInt();
    int64_t wsSize =
        impl->getAttrOfType<IntegerAttr>(QCDialect::getWorkspaceSizeAttrName())
            .getInt();
    int64_t numOutputs = int64_t(type.getNumParams()) - numInputs - 1;
    if (numOutputs < 0)
      return impl.emitError("inconsistent model signature");
    if (module().lookupSymbol(name + "_run") ||
        module().lookupSymbol(name + "_workspace_size") ||
        module().lookupSymbol(name + "_impl"))
      return impl.emitError("symbol names derived from '")
             << name << "' are already taken";
    impl.setSymName(name + "_impl");
    impl.setLinkage(LLVM::Linkage::Internal);

    // size_t NAME_workspace_size(void)
    auto sizeFn = LLVM::LLVMFuncOp::create(
        b, loc, name + "_workspace_size", LLVM::LLVMFunctionType::get(i64, {}));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(sizeFn.addEntryBlock(b));
      Value size = LLVM::ConstantOp::create(b, loc, i64, wsSize);
      LLVM::ReturnOp::create(b, loc, size);
    }

    // int NAME_run(const void *const *inputs, void *const *outputs, void *ws)
    auto runFn = LLVM::LLVMFuncOp::create(
        b, loc, name + "_run",
        LLVM::LLVMFunctionType::get(i32, {ptr, ptr, ptr}));
    OpBuilder::InsertionGuard g(b);
    Block *entry = runFn.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    SmallVector<Value> args;
    auto load = [&](Value array, int64_t i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, array,
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      return LLVM::LoadOp::create(b, loc, ptr, slot).getResult();
    };
    for (int64_t i = 0; i < numInputs; ++i)
      args.push_back(load(entry->getArgument(0), i));
    for (int64_t i = 0; i < numOutputs; ++i)
      args.push_back(load(entry->getArgument(1), i));
    args.push_back(entry->getArgument(2));
    LLVM::CallOp::create(b, loc, impl, args);
    Value zero = LLVM::ConstantOp::create(b, loc, i32, 0);
    LLVM::ReturnOp::create(b, loc, zero);
    return success();
  }

  ModuleOp module() { return getOperation(); }
};
} // namespace
