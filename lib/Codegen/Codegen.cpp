//===- Codegen.cpp - From the LLVM dialect to machine code ----------------===//
//
// Translation to LLVM IR, O3 optimization with the target's cost model,
// object/assembly emission, and the in-process JIT.
//
//===----------------------------------------------------------------------===//

#include "qc/Codegen/Codegen.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::registerCodegenTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

static void initializeTargets() {
  static const bool initialized = [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    // The AMX run prologue asks the OS for the tile state with an inline
    // `syscall`, which object emission assembles.
    LLVMInitializeX86AsmParser();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // x86's cmov converter turns conditional moves in loops into branches
    // when it expects them to predict well. In generated code they are the
    // data-dependent max/min of pooling and clamps: as branches they
    // mispredict on real data (max pooling of the digits CNN ran 2.5x slower
    // on some inputs than on others). Keep them conditional moves (timing
    // then does not depend on the data), unless the user set the option.
    auto &options = llvm::cl::getRegisteredOptions();
    auto it = options.find("x86-cmov-converter");
    if (it != options.end() && it->second->getNumOccurrences() == 0)
      if (auto *flag = static_cast<llvm::cl::opt<bool> *>(it->second))
        flag->setValue(false);
    return true;
  }();
  (void)initialized;
}

/// Marks every loop of the functions qc's lowering tagged "qc-no-unroll"
/// (the per-convolution im2col code: loops of compile-time trip counts whose
/// bodies are already vector code) so that LLVM does not unroll them:
/// unrolled, they make basic blocks of thousands of stores whose scheduling
/// costs time quadratic in their size (100 small 3x3 convolutions took two
/// minutes to compile) and buy nothing.
static void disableTaggedUnrolling(llvm::Module &module) {
  llvm::LLVMContext &ctx = module.getContext();
  for (llvm::Function &f : module) {
    if (f.isDeclaration() || !f.hasFnAttribute("qc-no-unroll"))
      continue;
    llvm::DominatorTree dt(f);
    llvm::LoopInfo loops(dt);
    for (llvm::Loop *loop : loops.getLoopsInPreorder()) {
      llvm::Metadata *disable = llvm::MDNode::get(
          ctx, llvm::MDString::get(ctx, "llvm.loop.unroll.disable"));
      llvm::MDNode *id = llvm::MDNode::getDistinct(ctx, {nullptr, disable});
      id->replaceOperandWith(0, id);
      loop->setLoopID(id);
    }
  }
}

/// Gives every function the target's CPU and features, so that the
/// optimizer's cost model and the backend follow the target. The features
/// are set even when empty: a function without the attribute would take the
/// executing TargetMachine's own (for the JIT: the host's).
static void setTargetAttributes(llvm::Module &module, llvm::StringRef cpu,
                                llvm::StringRef features) {
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", cpu);
    f.addFnAttr("target-features", features);
  }
}

std::unique_ptr<llvm::TargetMachine>
mlir::qc::createTargetMachine(const TargetDesc &target, std::string &error) {
  initializeTargets();
  llvm::Triple triple(target.triple);
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return nullptr;
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(t->createTargetMachine(
      triple, target.cpu, target.features, options, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    error = "cannot create a target machine for " + target.triple;
  return tm;
}

static llvm::CodeGenOptLevel codeGenLevel(unsigned optLevel) {
  switch (optLevel) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

static TimingScope nest(TimingScope *timing, StringRef name) {
  return timing ? timing->nest(name) : TimingScope();
}

std::unique_ptr<llvm::Module>
mlir::qc::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                            llvm::TargetMachine &tm, std::string &error,
                            unsigned optLevel, TimingScope *timing) {
  TimingScope translating = nest(timing, "translate to LLVM IR");
  DialectRegistry registry;
  registerCodegenTranslations(registry);
  module->getContext()->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule) {
    error = "cannot translate the lowered module to LLVM IR";
    return nullptr;
  }
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  setTargetAttributes(*llvmModule, tm.getTargetCPU(),
                      tm.getTargetFeatureString());
  disableTaggedUnrolling(*llvmModule);
  translating.stop();
  TimingScope optimizing = nest(timing, "LLVM optimization");
  auto optimize = makeOptimizingTransformer(optLevel, 0, &tm);
  if (llvm::Error err = optimize(llvmModule.get())) {
    error = llvm::toString(std::move(err));
    return nullptr;
  }
  return llvmModule;
}

LogicalResult mlir::qc::emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                                 CodeKind kind, llvm::raw_pwrite_stream &os,
                                 std::string &error, TimingScope *timing) {
  TimingScope scope = nest(timing, "LLVM code generation");
  llvm::legacy::PassManager pm;
  auto fileType = kind == CodeKind::Object ? llvm::CodeGenFileType::ObjectFile
                                           : llvm::CodeGenFileType::AssemblyFile;
  if (tm.addPassesToEmitFile(pm, os, nullptr, fileType)) {
    error = "the target cannot emit this kind of file";
    return failure();
  }
  pm.run(module);
  return success();
}

JitModule::~JitModule() = default;

std::unique_ptr<JitModule> JitModule::create(ModuleOp module,
                                             const TargetDesc &target,
                                             std::string &error,
                                             unsigned optLevel,
                                             TimingScope *timing) {
  if (!hostSupports(target)) {
    error = "code for target '" + target.name +
            "' cannot run on this CPU (qc run and the JIT need a target the "
            "host executes)";
    return nullptr;
  }
  initializeTargets();
  DialectRegistry registry;
  registerCodegenTranslations(registry);
  module->getContext()->appendDialectRegistry(registry);
  auto jit = std::unique_ptr<JitModule>(new JitModule());
  // The optimizer's cost model and the JIT's instruction selection both
  // follow the target's CPU and features (function attributes), not the
  // host's: code JIT-compiled for x86-64-avx2 is the code `qc
  // --target=x86-64-avx2` emits, even on an AVX-512 machine.
  jit->tm = createTargetMachine(target, error);
  if (!jit->tm)
    return nullptr;
  jit->tm->setOptLevel(codeGenLevel(optLevel));
  // The options hold a function_ref: the transformer must outlive create().
  std::string cpu = target.cpu, features = target.features;
  auto optimize = makeOptimizingTransformer(optLevel, 0, jit->tm.get());
  std::function<llvm::Error(llvm::Module *)> transformer =
      [cpu, features, optimize](llvm::Module *m) {
        setTargetAttributes(*m, cpu, features);
        disableTaggedUnrolling(*m);
        return optimize(m);
      };
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = codeGenLevel(optLevel);
  TimingScope translating = nest(timing, "translate to LLVM IR");
  auto engine = ExecutionEngine::create(module, options);
  translating.stop();
  if (!engine) {
    error = llvm::toString(engine.takeError());
    return nullptr;
  }
  jit->engine = std::move(*engine);
  return jit;
}

JitModule::RunFn JitModule::getRun(llvm::StringRef name) {
  auto sym = engine->lookup((name + "_run").str());
  if (!sym) {
    llvm::consumeError(sym.takeError());
    return nullptr;
  }
  return reinterpret_cast<RunFn>(*sym);
}

JitModule::SizeFn JitModule::getWorkspaceSize(llvm::StringRef name) {
  auto sym = engine->lookup((name + "_workspace_size").str());
  if (!sym) {
    llvm::consumeError(sym.takeError());
    return nullptr;
  }
  return reinterpret_cast<SizeFn>(*sym);
}
