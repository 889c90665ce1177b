//===- AmxRuntime.cpp - AMX tile state and configuration for a model -----===//
//
// What a model with AMX kernels needs besides the kernels (MicroKernels.h's
// emitAmxReady and emitAmxRunBrackets, docs/Kernels.md "AMX tiles"): the
// process-wide answer of Linux to the tile-state request, the tile
// configuration, and the begin/end functions each model function calls.
//
//===----------------------------------------------------------------------===//

#include "MicroKernels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::lowering;

namespace {

Type ptrType(OpBuilder &b) {
  return LLVM::LLVMPointerType::get(b.getContext());
}

constexpr StringLiteral kAmxState = "__qc_amx_state";
constexpr StringLiteral kAmxConfig = "__qc_amx_config";

/// The module's AMX globals: the process-wide state (0 not asked yet, 1
/// granted, 2 refused) and the 64-byte tile configuration, palette 1 with
/// tiles 0-7 of 16 rows x 64 bytes.
void ensureAmxGlobals(LoweringContext &context) {
  ModuleOp module = context.module;
  if (module.lookupSymbol(kAmxState))
    return;
  OpBuilder b(module.getContext());
  b.setInsertionPointToStart(module.getBody());
  Location loc = module.getLoc();
  LLVM::GlobalOp::create(b, loc, b.getI32Type(), /*isConstant=*/false,
                         LLVM::Linkage::Internal, kAmxState,
                         b.getI32IntegerAttr(0), /*alignment=*/4);
  std::string config(64, '\0');
  config[0] = 1; // palette
  for (int t = 0; t < 8; ++t) {
    config[16 + 2 * t] = 64; // colsb[t] (u16, little endian)
    config[48 + t] = 16;     // rows[t]
  }
  LLVM::GlobalOp::create(b, loc, LLVM::LLVMArrayType::get(b.getI8Type(), 64),
                         /*isConstant=*/true, LLVM::Linkage::Internal,
                         kAmxConfig, b.getStringAttr(config),
                         /*alignment=*/64);
}

Value addressOf(OpBuilder &b, Location loc, StringRef name) {
  return LLVM::AddressOfOp::create(b, loc, ptrType(b), name);
}

Value loadState(OpBuilder &b, Location loc, LLVM::AtomicOrdering ordering) {
  return LLVM::LoadOp::create(b, loc, b.getI32Type(),
                              addressOf(b, loc, kAmxState), 4, false, false,
                              false, false, ordering);
}

Value isGranted(OpBuilder &b, Location loc, Value state) {
  return arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, state,
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), 1));
}

/// A private function of no arguments, made once, its body by `body`.
func::FuncOp getAmxFunction(LoweringContext &context, StringRef name,
                            function_ref<void(KernelBuilder &)> body) {
  OpBuilder b(context.module.getContext());
  return getOrCreateKernel(b, context, name, {},
                           [&](KernelBuilder &k, ValueRange) { body(k); });
}

} // namespace

Value lowering::emitAmxReady(OpBuilder &b, Location loc,
                             LoweringContext &context) {
  ensureAmxGlobals(context);
  context.usesAmx = true;
  return isGranted(b, loc, loadState(b, loc, LLVM::AtomicOrdering::monotonic));
}

void lowering::emitAmxRunBrackets(LoweringContext &context,
                                  ArrayRef<func::FuncOp> models) {
  if (!context.usesAmx)
    return;
  ensureAmxGlobals(context);
  func::FuncOp begin =
      getAmxFunction(context, "__qc_amx_begin", [&](KernelBuilder &k) {
        OpBuilder &b = k.b;
        Location loc = k.loc;
        Type i32 = b.getI32Type();
        Value state = loadState(b, loc, LLVM::AtomicOrdering::acquire);
        Value unknown =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, state,
                                  arith::ConstantIntOp::create(b, loc, i32, 0));
        auto ask = scf::IfOp::create(b, loc, TypeRange{i32}, unknown,
                                     /*withElseRegion=*/true);
        {
          OpBuilder::InsertionGuard g(b);
          b.setInsertionPointToStart(&ask.getThenRegion().front());
          // arch_prctl(ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18):
          // 0 when granted; an error (older kernels, no AMX) means refused.
          // Every thread that asks gets the same answer, so a race between
          // first runs stores the same value twice.
          Value rc = LLVM::InlineAsmOp::create(
                         b, loc, b.getI64Type(),
                         ValueRange{k.c(158), k.c(0x1023), k.c(18)}, "syscall",
                         "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}",
                         /*has_side_effects=*/true, /*is_align_stack=*/false,
                         LLVM::tailcallkind::TailCallKind::None,
                         LLVM::AsmDialectAttr(), ArrayAttr())
                         .getResult(0);
          Value answer = k.select(k.eq(rc, k.c(0)),
                                  arith::ConstantIntOp::create(b, loc, i32, 1),
                                  arith::ConstantIntOp::create(b, loc, i32, 2));
          LLVM::StoreOp::create(b, loc, answer, addressOf(b, loc, kAmxState), 4,
                                false, false, false,
                                LLVM::AtomicOrdering::release);
          scf::YieldOp::create(b, loc, answer);
          b.setInsertionPointToStart(&ask.getElseRegion().front());
          scf::YieldOp::create(b, loc, state);
        }
        k.when(isGranted(b, loc, ask.getResult(0)), [&] {
          LLVM::CallIntrinsicOp::create(
              b, loc, StringAttr::get(b.getContext(), "llvm.x86.ldtilecfg"),
              ValueRange{addressOf(b, loc, kAmxConfig)});
        });
      });
  func::FuncOp end =
      getAmxFunction(context, "__qc_amx_end", [&](KernelBuilder &k) {
        OpBuilder &b = k.b;
        k.when(isGranted(b, k.loc,
                         loadState(b, k.loc, LLVM::AtomicOrdering::monotonic)),
               [&] {
                 LLVM::CallIntrinsicOp::create(
                     b, k.loc,
                     StringAttr::get(b.getContext(), "llvm.x86.tilerelease"),
                     ValueRange{});
               });
      });
  for (func::FuncOp model : models) {
    OpBuilder b(model.getContext());
    b.setInsertionPointToStart(&model.getBody().front());
    func::CallOp::create(b, model.getLoc(), begin, ValueRange{});
    model.walk([&](func::ReturnOp ret) {
      b.setInsertionPoint(ret);
      func::CallOp::create(b, ret.getLoc(), end, ValueRange{});
    });
  }
}
