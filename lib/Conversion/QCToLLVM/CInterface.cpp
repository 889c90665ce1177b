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
    for (LLVM::LLVMFuncOp f : models)
      if (failed(wrap(f)))
        return signalPassFailure();
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
