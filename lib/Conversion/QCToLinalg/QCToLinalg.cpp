//===- QCToLinalg.cpp - Lower qc graphs onto buffers with patterns --------===//
//
// convert-qc-to-linalg: rewrites each model function (a qc graph on
// tensors) into a function on memrefs, its inputs followed by one output
// buffer per result, by dialect conversion with one pattern per op (the
// reference lowerings, the kernel patterns of qc.packed_*, the fast paths).
// Every buffer an op needs (results and scratch) is a memref.alloc before
// it; a result that is returned is computed straight into its output
// buffer. qc-plan-workspace then places the allocations in one workspace.
// With `outline`, each op's code is a function of its own, so that LLVM
// optimizes many small functions instead of one huge one.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"
#include "qc/Conversion/Passes.h"

#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "qc/Conversion/Passes.h.inc"
} // namespace mlir::qc

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

//===----------------------------------------------------------------------===//
// LoweringPattern
//===----------------------------------------------------------------------===//

LoweringPattern::LoweringPattern(StringRef opName,
                                 std::unique_ptr<OpLowering> lowering,
                                 const TypeConverter &converter,
                                 MLIRContext *ctx, LoweringContext &context,
                                 const LoweringOptions &options,
                                 PatternBenefit benefit)
    : ConversionPattern(converter, opName, benefit, ctx),
      lowering(std::move(lowering)), context(context), options(options) {}

/// The model output `v` is computed into, if the function returns it: the
/// first of the outputs it is returned as (the others are copies).
static std::optional<unsigned> outputSlot(Value v) {
  std::optional<unsigned> slot;
  for (OpOperand &use : v.getUses())
    if (isa<func::ReturnOp>(use.getOwner()))
      slot = std::min(slot.value_or(use.getOperandNumber()),
                      use.getOperandNumber());
  return slot;
}

LogicalResult
LoweringPattern::matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                 ConversionPatternRewriter &rewriter) const {
  std::string why;
  if (failed(lowering->match(op, options, why)))
    return rewriter.notifyMatchFailure(op, why);
  auto func = op->getParentOfType<func::FuncOp>();
  auto numInputs =
      func ? func->getAttrOfType<IntegerAttr>(QCDialect::getNumInputsAttrName())
           : IntegerAttr();
  if (!numInputs)
    return rewriter.notifyMatchFailure(op, "not in a model function being "
                                           "lowered");
  for (Type t : op->getResultTypes())
    if (auto rt = dyn_cast<RankedTensorType>(t); !rt || !rt.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "results must be statically "
                                             "shaped tensors");
  Location loc = op->getLoc();
  SmallVector<MemRefType> scratchTypes = lowering->getScratch(op, options);

  // Result buffers: the model's output buffer for a returned value, else a
  // new allocation (qc-plan-workspace places it).
  Block &entry = func.getBody().front();
  SmallVector<Value> results;
  for (Value r : op->getResults()) {
    if (auto slot = outputSlot(r)) {
      results.push_back(entry.getArgument(numInputs.getInt() + *slot));
      continue;
    }
    results.push_back(memref::AllocOp::create(rewriter, loc,
                                              getBufferType(r.getType()),
                                              rewriter.getI64IntegerAttr(64)));
  }
  SmallVector<Value> scratch;
  for (MemRefType t : scratchTypes)
    scratch.push_back(
        memref::AllocOp::create(rewriter, loc, t, rewriter.getI64IntegerAttr(64)));

  LoweringState state(rewriter, context, options);
  state.operands.assign(operands.begin(), operands.end());
  state.results = results;
  state.scratch = scratch;
  if (!options.outline) {
    state.result = results.front();
    if (failed(lowering->lower(op, state)))
      return failure();
    rewriter.replaceOp(op, results);
    return success();
  }

  // The op's code in a function of its own, called with every buffer.
  SmallVector<Value> args(operands.begin(), operands.end());
  llvm::append_range(args, results);
  llvm::append_range(args, scratch);
  SmallVector<Type> types;
  for (Value v : args)
    types.push_back(v.getType());
  func::FuncOp callee;
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(func);
    std::string name = (func.getName() + "__" + Twine(context.nextFunction++) +
                        "_" + op->getName().stripDialect())
                           .str();
    for (char &c : name)
      if (c == '.')
        c = '_';
    callee = func::FuncOp::create(rewriter, loc, name,
                                  rewriter.getFunctionType(types, {}));
    callee.setPrivate();
    callee->setAttr("llvm.linkage", LLVM::LinkageAttr::get(
                                        op->getContext(), LLVM::Linkage::Internal));
    callee->setAttr("passthrough",
                    rewriter.getArrayAttr({rewriter.getStringAttr("noinline")}));
    Block *body = rewriter.createBlock(&callee.getBody(), {}, types,
                                       SmallVector<Location>(types.size(), loc));
    rewriter.setInsertionPointToStart(body);
    auto ret = func::ReturnOp::create(rewriter, loc);
    rewriter.setInsertionPoint(ret);
    unsigned k = 0;
    for (Value &v : state.operands)
      v = body->getArgument(k++);
    for (Value &v : state.results)
      v = body->getArgument(k++);
    for (Value &v : state.scratch)
      v = body->getArgument(k++);
    state.result = state.results.front();
    if (failed(lowering->lower(op, state)))
      return failure();
  }
  func::CallOp::create(rewriter, loc, callee, args);
  rewriter.replaceOp(op, results);
  return success();
}

namespace {

//===----------------------------------------------------------------------===//
// Constants, views, returns
//===----------------------------------------------------------------------===//

/// arith.constant / qc.constant tensors become read-only globals.
template <typename OpT>
struct ConstantLowering : public OpConversionPattern<OpT> {
  ConstantLowering(const TypeConverter &converter, MLIRContext *ctx,
                   LoweringContext &context, const LoweringOptions &options)
      : OpConversionPattern<OpT>(converter, ctx), context(context),
        options(options) {}

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "not a dense tensor constant");
    LoweringState state(rewriter, context, options);
    rewriter.replaceOp(op, state.getConstantBuffer(op.getLoc(), value));
    return success();
  }

  LoweringContext &context;
  const LoweringOptions &options;
};

/// qc.reshape is a view of its operand; qc.stats is its operand.
struct ReshapeLowering : public OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = getBufferType(op.getType());
    rewriter.replaceOp(op, reshapeBuffer(rewriter, op.getLoc(),
                                         adaptor.getInput(), type.getShape()));
    return success();
  }
};

struct StatsLowering : public OpConversionPattern<StatsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(StatsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// Strips the casts the conversion put between a buffer and its uses.
Value stripCasts(Value v) {
  while (auto cast = v.getDefiningOp<UnrealizedConversionCastOp>())
    if (cast->getNumOperands() == 1)
      v = cast->getOperand(0);
    else
      break;
  return v;
}

/// The model function returns nothing: every result not already computed
/// in its output buffer is copied there.
struct ReturnLowering : public OpConversionPattern<func::ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto func = op->getParentOfType<func::FuncOp>();
    auto numInputs =
        func->getAttrOfType<IntegerAttr>(QCDialect::getNumInputsAttrName());
    if (!numInputs)
      return rewriter.notifyMatchFailure(op, "not a model function");
    Block &entry = func.getBody().front();
    for (auto [j, v] : llvm::enumerate(adaptor.getOperands())) {
      Value out = entry.getArgument(numInputs.getInt() + j);
      if (stripCasts(v) != out)
        emitCopy(rewriter, op.getLoc(), v, out);
    }
    rewriter.replaceOpWithNewOp<func::ReturnOp>(op);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

bool isModelFunction(func::FuncOp func) {
  return !func.isExternal() &&
         !func->hasAttr(QCDialect::getNumInputsAttrName()) &&
         llvm::all_of(func.getFunctionType().getInputs(),
                      [](Type t) { return isa<TensorType>(t); });
}

/// Gives `func` memref arguments (inputs, then one output buffer per
/// result) with casts back to the tensors its body uses.
LogicalResult rewriteSignature(func::FuncOp func) {
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
  Block &entry = func.getBody().front();
  for (Operation &op : entry) {
    if (isa<QCDialect>(op.getDialect()) ||
        isa<arith::ConstantOp, func::ReturnOp>(op))
      continue;
    auto isTensor = [](Type t) { return isa<TensorType>(t); };
    if (llvm::any_of(op.getOperandTypes(), isTensor) ||
        llvm::any_of(op.getResultTypes(), isTensor))
      return op.emitError("no lowering for '")
             << op.getName() << "' (the qc lowering handles qc ops)";
  }
  OpBuilder b(func.getContext());
  b.setInsertionPointToStart(&entry);
  SmallVector<Type> argTypes;
  for (BlockArgument arg : entry.getArguments()) {
    Type tensor = arg.getType();
    MemRefType buffer = getBufferType(tensor);
    arg.setType(buffer);
    auto cast =
        UnrealizedConversionCastOp::create(b, func.getLoc(), tensor, arg);
    arg.replaceAllUsesExcept(cast.getResult(0), cast);
    argTypes.push_back(buffer);
  }
  unsigned numInputs = entry.getNumArguments();
  for (Type t : func.getFunctionType().getResults()) {
    argTypes.push_back(getBufferType(t));
    entry.addArgument(argTypes.back(), func.getLoc());
  }
  func.setType(b.getFunctionType(argTypes, {}));
  func.setAllArgAttrs(ArrayRef<DictionaryAttr>{});
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  func->setAttr(QCDialect::getNumInputsAttrName(),
                b.getI64IntegerAttr(numInputs));
  return success();
}

struct ConvertQCToLinalgPass
    : public mlir::qc::impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    LoweringOptions options;
    StringRef name = target;
    if (name.empty())
      if (auto attr = module->getAttrOfType<StringAttr>(
              QCDialect::getTargetAttrName()))
        name = attr.getValue();
    if (!name.empty()) {
      options.target = lookupTarget(name);
      if (!options.target) {
        module.emitError("unknown target '") << name << "'";
        return signalPassFailure();
      }
    }
    options.outline = outline;

    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (isModelFunction(func))
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(rewriteSignature(func)))
        return signalPassFailure();

    TypeConverter converter;
    converter.addConversion([](Type t) { return t; });
    converter.addConversion(
        [](RankedTensorType t) -> Type { return getBufferType(t); });
    ConversionTarget conversionTarget(*ctx);
    conversionTarget.addLegalDialect<arith::ArithDialect, math::MathDialect,
                                     memref::MemRefDialect, linalg::LinalgDialect,
                                     scf::SCFDialect, vector::VectorDialect,
                                     LLVM::LLVMDialect, func::FuncDialect>();
    conversionTarget.addIllegalDialect<QCDialect>();
    conversionTarget.addDynamicallyLegalOp<arith::ConstantOp>(
        [](arith::ConstantOp op) { return !isa<TensorType>(op.getType()); });
    conversionTarget.addDynamicallyLegalOp<func::ReturnOp>(
        [](func::ReturnOp op) { return op.getNumOperands() == 0; });
    conversionTarget.addLegalOp<UnrealizedConversionCastOp>();

    LoweringContext context(module);
    RewritePatternSet patterns(ctx);
    patterns.add<ConstantLowering<arith::ConstantOp>,
                 ConstantLowering<qc::ConstantOp>>(converter, ctx, context,
                                                   options);
    patterns.add<ReshapeLowering, StatsLowering, ReturnLowering>(converter, ctx);
    LoweringPatterns lowerings(patterns, converter, context, options);
    populateQuantizationLoweringPatterns(lowerings);
    populateElementwiseLoweringPatterns(lowerings);
    populatePoolingLoweringPatterns(lowerings);
    populateDataMovementLoweringPatterns(lowerings);
    populateResampleLoweringPatterns(lowerings);
    populateNormalizationLoweringPatterns(lowerings);
    populateProductLoweringPatterns(lowerings);
    populateConvTransposeLoweringPatterns(lowerings);
    populateReductionLoweringPatterns(lowerings);
    populateLogicLoweringPatterns(lowerings);
    if (!reference) {
      populateKernelLoweringPatterns(lowerings);
      if (options.target) {
        populateFastPathLoweringPatterns(lowerings);
        populateElementwiseFastPathPatterns(lowerings);
      }
    }
    if (failed(applyPartialConversion(module, conversionTarget,
                                      std::move(patterns))))
      return signalPassFailure();

    SmallVector<UnrealizedConversionCastOp> casts;
    module.walk([&](UnrealizedConversionCastOp op) { casts.push_back(op); });
    reconcileUnrealizedCasts(casts);
    emitAmxRunBrackets(context, funcs);
  }
};

} // namespace
