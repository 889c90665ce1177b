//===- qc.cpp - The qc ahead-of-time compiler -----------------------------===//
//
//   qc MODEL -o OUT [--header H] [--calibration-data D] ...   compile
//   qc run MODEL --input X ... [-o Y.npy] [--expect E] ...     compile and run
//
// Reads a model (ONNX, or MLIR with the qc dialect); calibrates a float
// model on sample data and quantizes it; lowers it for a target; writes an
// object file, shared library, assembly, LLVM IR or MLIR plus a C header, or
// runs it in process. The work is in the qc libraries; this file parses
// flags and does I/O.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "StagedOutput.h"

#include "qc/Codegen/Codegen.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Driver/BiasCorrection.h"
#include "qc/Driver/Compiler.h"
#include "qc/Driver/Equalization.h"
#include "qc/Driver/Model.h"
#include "qc/Driver/Precision.h"
#include "qc/Driver/Smoothing.h"
#include "qc/Support/TargetDesc.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qc;
using namespace qctool;
namespace cl = llvm::cl;

static cl::OptionCategory category("Compiling");
static cl::OptionCategory quantCategory("Quantizing");
static cl::OptionCategory runCategory("Running (qc run)");

static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model.onnx | model.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::list<std::string> outputFiles(
    "o", cl::desc("Output file (qc run: one .npy per model output)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> emit(
    "emit",
    cl::desc("What to write: obj, shared, asm, llvm (LLVM IR) or mlir (the "
             "quantized qc graph) (default: from the extension: .o .so .s .ll "
             ".mlir)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> headerFile("header",
                                       cl::desc("Write the C header here"),
                                       cl::value_desc("file.h"),
                                       cl::cat(category));
static cl::opt<std::string> targetName(
    "target",
    cl::desc("Target: host (default, detected), x86-64-amx, "
             "x86-64-avx512vnni, x86-64-avxvnni, x86-64-avx2, "
             "aarch64-dotprod, x86-64, aarch64"),
    cl::init("host"), cl::cat(category));
static cl::opt<std::string> modelName(
    "name", cl::desc("Symbol prefix of the library (NAME_run, ...)"),
    cl::init(""), cl::cat(category));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix an input's shape, e.g. x:32x1x28x28 (repeatable); an "
             "unset batch (leading) dim defaults to 1, other symbolic dims "
             "come from the calibration data"),
    cl::value_desc("name:dims"), cl::cat(category));
static cl::opt<int64_t> batchTileBytes(
    "batch-tile-bytes",
    cl::desc("Run a model whose samples are independent over batch tiles "
             "whose values take at most this many bytes, so they stay in "
             "cache (0: the whole batch layer by layer)"),
    cl::init(262144), cl::cat(category));
static cl::opt<bool> reference(
    "reference",
    cl::desc("Use the scalar reference lowering for every op (slow; the "
             "oracle the fast kernels are checked against)"),
    cl::cat(category));
static cl::opt<bool> printIR("print-ir-after-all",
                             cl::desc("Print the IR after every pass"),
                             cl::cat(category));
static cl::opt<bool> timeReport(
    "time-report",
    cl::desc("Print where the compile time went (like clang's -ftime-report): "
             "import, calibration, every MLIR pass, LLVM translation, "
             "optimization and code generation, linking"),
    cl::cat(category));

static cl::opt<bool> noQuantize(
    "no-quantize",
    cl::desc("Compile the float model (the baseline): ignore calibration"),
    cl::cat(quantCategory));
static cl::opt<bool> noRecognizePatterns(
    "no-recognize-patterns",
    cl::desc("Keep activations and normalizations written as chains of "
             "elementwise nodes (HardSwish, GELU, LayerNorm, ...) as they "
             "are, instead of one op each (quantized once, as a table)"),
    cl::cat(quantCategory));
static cl::list<std::string> keepFloat(
    "keep-float", cl::CommaSeparated,
    cl::desc("Keep these nodes in f32 (ONNX node names, as --report lists "
             "them; ONNX Runtime's nodes_to_exclude): they compute on "
             "dequantized values, their users are quantized as usual"),
    cl::value_desc("node,..."), cl::cat(quantCategory));
static cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("Samples to calibrate a float model on: a .npy (samples along "
             "the first axis) or a folder of inputs"),
    cl::value_desc("path"), cl::cat(quantCategory));
static cl::opt<std::string> calibrationMethod(
    "calibration-method",
    cl::desc("How a value's range is chosen: minmax (default), percentile, "
             "entropy (least KL divergence) or mse (least quantization "
             "error)"),
    cl::init("minmax"), cl::cat(quantCategory));
static cl::opt<double> percentile(
    "percentile", cl::desc("The percentile of --calibration-method=percentile"),
    cl::init(99.99), cl::cat(quantCategory));
static cl::opt<unsigned> calibrationLimit(
    "calibration-limit", cl::desc("Use at most this many samples"),
    cl::init(100000), cl::cat(quantCategory));
static cl::opt<std::string> activationType(
    "activation-type", cl::desc("Activation storage: u8 (default) or i8"),
    cl::init(""), cl::cat(quantCategory));
static cl::opt<std::string> weightGranularity(
    "weight-granularity",
    cl::desc("auto (default: measured), per-tensor or per-channel"),
    cl::init(""), cl::cat(quantCategory));
static cl::opt<std::string> quantizeOptions(
    "quantize-options",
    cl::desc("Further qc-quantize pipeline options, e.g. "
             "\"threshold-db=2.0 strict\""),
    cl::init(""), cl::cat(quantCategory));
static cl::opt<std::string> smoothQuant(
    "smoothquant", cl::ValueOptional,
    cl::desc("Before calibrating, move the per-channel ranges of each "
             "LayerNorm's output into the weights of the matmuls it feeds "
             "(SmoothQuant's migration, an exact rewrite of the float "
             "model): an alpha in [0, 1] (0.5 without a value) or off "
             "(default)"),
    cl::value_desc("alpha"), cl::init("off"), cl::cat(quantCategory));
static cl::opt<std::string> equalizeOption(
    "equalize-channels", cl::ValueOptional,
    cl::desc("Before calibrating, even out the channel ranges on both sides "
             "of each activation (HardSwish, SiLU, ...) between "
             "convolutions: the factors go into the convolutions' weights "
             "and the activation, an exact rewrite of the float model. on "
             "(alpha 0.5 for consumers that mix channels; without a "
             "value), off, or an alpha in [0, 1]"),
    cl::value_desc("alpha"), cl::init("off"), cl::cat(quantCategory));
static cl::opt<bool> biasCorrection(
    "bias-correction",
    cl::desc("Subtract from each convolution's and matmul's bias the mean "
             "shift its 8-bit weights make to each output channel, "
             "(Wq - W) E[x], E[x] measured on the calibration data (off by "
             "default)"),
    cl::cat(quantCategory));
static cl::opt<std::string> reportFile(
    "report",
    cl::desc("Write an HTML report: per-layer error of the quantized model "
             "against the float one on the calibration data, and the scheme "
             "of each weight"),
    cl::value_desc("file.html"), cl::cat(quantCategory));
static cl::opt<std::string> accuracyBudget(
    "accuracy-budget",
    cl::desc("Keep the most sensitive layers in f32 until the int8 model "
             "loses at most this much of the float model's fidelity on the "
             "calibration data, relative: 1% (default), 0.1%, 0.001, or off "
             "(every layer that can be int8 is). See --accuracy-metric"),
    cl::value_desc("loss"), cl::init("1%"), cl::cat(quantCategory));
static cl::opt<std::string> accuracyMetric(
    "accuracy-metric",
    cl::desc("What the budget is a loss of: agreement (top-1 of output 0 "
             "along its last axis, against the float model's), accuracy "
             "(top-1 against --calibration-labels), error (output error "
             "energy relative to the signal: 1% is 20 dB SQNR) or auto "
             "(default: accuracy with labels; agreement for an output [N, C] "
             "or a softmax or log-softmax along the last axis; else error)"),
    cl::init("auto"), cl::cat(quantCategory));
static cl::opt<std::string> calibrationLabels(
    "calibration-labels",
    cl::desc("Class labels of the calibration examples (.npy, one per row "
             "of output 0): the budget is then a loss of top-1 accuracy"),
    cl::value_desc("file"), cl::cat(quantCategory));
static cl::opt<unsigned> accuracyEvaluations(
    "accuracy-evaluations",
    cl::desc("At most this many candidate models measured by the precision "
             "search (each is quantized and run on the calibration data)"),
    cl::init(8), cl::cat(quantCategory));
static cl::opt<bool> remarks("remarks",
                             cl::desc("Print the quantization remarks"),
                             cl::cat(quantCategory));

static cl::list<std::string>
    runInputs("input",
              cl::desc("An input (.npy or ONNX .pb), in the model's order; "
                       "one holding several of the model's batches along axis "
                       "0 (a test set) runs batch by batch"),
              cl::value_desc("file"), cl::cat(runCategory));
static cl::list<std::string> expectFiles(
    "expect",
    cl::desc("Expected outputs (.npy or .pb): exact for integer outputs, "
             "within --atol/--rtol for float ones"),
    cl::value_desc("file"), cl::cat(runCategory));
static cl::opt<double> absTol("atol", cl::desc("Absolute tolerance"),
                            cl::init(1e-5), cl::cat(runCategory));
static cl::opt<double> relTol("rtol", cl::desc("Relative tolerance"),
                            cl::init(1e-3), cl::cat(runCategory));
static cl::opt<std::string> labelsFile(
    "labels",
    cl::desc("Class labels (.npy): print the top-1 accuracy of output 0"),
    cl::value_desc("file"), cl::cat(runCategory));
static cl::opt<bool> allowNonFinite(
    "allow-nonfinite",
    cl::desc("Run on inputs that hold NaN or infinity (ONNX's ops propagate "
             "them); without it such an input is an error"),
    cl::cat(runCategory));
static cl::opt<unsigned> repeat(
    "repeat", cl::desc("Run this many times and print the median time"),
    cl::init(0), cl::cat(runCategory));

static int fail(const Twine &message) {
  llvm::errs() << "qc: error: " << message << "\n";
  return 1;
}

enum class Emit { Object, Shared, Assembly, LLVM, MLIR };

static std::optional<Emit> parseEmit(StringRef kind) {
  return llvm::StringSwitch<std::optional<Emit>>(kind)
      .Case("obj", Emit::Object)
      .Case("shared", Emit::Shared)
      .Case("asm", Emit::Assembly)
      .Case("llvm", Emit::LLVM)
      .Case("mlir", Emit::MLIR)
      .Default(std::nullopt);
}

static std::optional<Emit> emitFromExtension(StringRef path) {
  return llvm::StringSwitch<std::optional<Emit>>(
             llvm::sys::path::extension(path))
      .Case(".o", Emit::Object)
      .Case(".so", Emit::Shared)
      .Case(".s", Emit::Assembly)
      .Case(".ll", Emit::LLVM)
      .Case(".mlir", Emit::MLIR)
      .Default(std::nullopt);
}

static LogicalResult linkShared(StringRef object, StringRef output,
                                std::string &error) {
  auto lld = llvm::sys::findProgramByName("ld.lld");
  if (!lld)
    lld = llvm::sys::findProgramByName("ld.lld", {"/usr/lib/llvm-22/bin"});
  if (!lld) {
    error = "cannot find ld.lld to link a shared library";
    return failure();
  }
  SmallVector<StringRef> args = {*lld, "-shared", "-o", output, object};
  if (llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, {}, 0, 0, &error) !=
      0) {
    if (error.empty())
      error = "ld.lld failed";
    return failure();
  }
  return success();
}

/// Moves every staged output into place (see StagedOutput.h). Returns 0,
/// or 1 after an error.
static int keepOutputs(PendingOutputs &pending) {
  std::string error = commitOutputs(pending);
  return error.empty() ? 0 : fail(error);
}

static std::string describeShape(const HostArray &a) {
  std::string s = a.dtype + "[";
  for (auto [i, d] : llvm::enumerate(a.shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s + "]";
}

/// Integer (or bool) element `i`, exactly also for int64.
static int64_t intAt(const HostArray &a, int64_t i) {
  if (a.dtype != "int64")
    return int64_t(a.get(i));
  int64_t v;
  std::memcpy(&v, a.data.data() + i * 8, 8);
  return v;
}

/// Element `i` for a message: integers exactly, floats as formatv prints
/// them.
static std::string elementStr(const HostArray &a, int64_t i) {
  if (a.dtype == "float32" || a.dtype == "float64")
    return llvm::formatv("{0}", a.get(i)).str();
  return std::to_string(intAt(a, i));
}

/// Compares an output with an expected array; returns a message on mismatch.
static std::string compare(const HostArray &got, const HostArray &want,
                           StringRef name) {
  if (got.dtype != want.dtype || got.shape != want.shape)
    return name.str() + ": expected " + describeShape(want) + ", got " +
           describeShape(got);
  bool isFloat = got.dtype == "float32" || got.dtype == "float64";
  int64_t bad = 0, first = -1;
  double worst = 0;
  size_t bytes = got.elementSize();
  for (int64_t i = 0; i < got.numElements(); ++i) {
    double g = got.get(i), w = want.get(i);
    // Integers and bools bit for bit (an int64 does not fit a double);
    // equal floats match before the tolerance (inf - inf is NaN).
    bool ok =
        isFloat ? (std::isnan(w) ? std::isnan(g)
                                 : g == w || std::fabs(g - w) <=
                                                 absTol + relTol * std::fabs(w))
                : std::memcmp(got.data.data() + i * bytes,
                              want.data.data() + i * bytes, bytes) == 0;
    if (!ok) {
      if (first < 0)
        first = i;
      ++bad;
      double diff = std::fabs(g - w);
      if (!isFloat) {
        int64_t gi = intAt(got, i), wi = intAt(want, i);
        diff = gi > wi ? double(uint64_t(gi) - uint64_t(wi))
                       : double(uint64_t(wi) - uint64_t(gi));
      }
      worst = std::max(worst, diff);
    }
  }
  if (!bad)
    return "";
  return llvm::formatv("{0}: {1} of {2} elements differ (first at {3}: got "
                       "{4}, expected {5}; largest difference {6})",
                       name, bad, got.numElements(), first,
                       elementStr(got, first), elementStr(want, first), worst)
      .str();
}

/// How many of the model's batches the inputs hold along axis 0: k when
/// every input is the model's with the leading dim k times larger (k > 1),
/// else 1.
static int64_t splitBatches(ArrayRef<RankedTensorType> types,
                            const std::vector<HostArray> &inputs) {
  if (types.size() != inputs.size() || inputs.empty())
    return 1;
  int64_t k = 0;
  for (auto [t, a] : llvm::zip(types, inputs)) {
    if (t.getRank() == 0 || a.shape.size() != size_t(t.getRank()) ||
        a.dtype != getDtype(t) || t.getDimSize(0) <= 0 ||
        a.shape[0] % t.getDimSize(0) != 0 ||
        !llvm::equal(ArrayRef<int64_t>(a.shape).drop_front(),
                     t.getShape().drop_front()))
      return 1;
    int64_t n = a.shape[0] / t.getDimSize(0);
    if (k && n != k)
      return 1;
    k = n;
  }
  return k > 1 ? k : 1;
}

/// Batch `c` of `chunks` equal parts of each input along axis 0.
static std::vector<HostArray> sliceBatch(const std::vector<HostArray> &inputs,
                                         int64_t chunks, int64_t c) {
  std::vector<HostArray> part;
  for (const HostArray &a : inputs) {
    HostArray p;
    p.dtype = a.dtype;
    p.shape = a.shape;
    p.shape[0] /= chunks;
    size_t bytes = a.data.size() / chunks;
    p.data.assign(a.data.begin() + c * bytes, a.data.begin() + (c + 1) * bytes);
    part.push_back(std::move(p));
  }
  return part;
}

/// Appends each array of `part` to `acc` along axis 0.
static void appendAlongAxis0(std::vector<HostArray> &acc,
                             const std::vector<HostArray> &part) {
  if (acc.empty()) {
    acc = part;
    return;
  }
  for (auto [a, p] : llvm::zip(acc, part)) {
    if (a.shape.empty())
      a.shape.push_back(1);
    a.shape[0] += p.shape.empty() ? 1 : p.shape[0];
    a.data.insert(a.data.end(), p.data.begin(), p.data.end());
  }
}

static std::string readAnyArray(StringRef path, HostArray &a) {
  if (path.ends_with(".pb"))
    return readTensorProto(path, a);
  return readNpy(path, a);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  bool runMode = argc > 1 && StringRef(argv[1]) == "run";
  SmallVector<const char *> args(argv, argv + argc);
  if (runMode)
    args.erase(args.begin() + 1);
  cl::HideUnrelatedOptions({&category, &quantCategory, &runCategory});
  cl::ParseCommandLineOptions(
      int(args.size()), args.data(),
      "qc: the qc quantization compiler\n\n"
      "Compiles a model (ONNX, or MLIR with the qc dialect) to native code.\n"
      "A float model is calibrated on --calibration-data and quantized to\n"
      "8-bit integers; QDQ and QOperator models carry their own parameters.\n\n"
      "  qc model.onnx --calibration-data calib.npy -o model.so --header model.h\n"
      "  qc model.onnx --target=aarch64-dotprod -o model.o\n"
      "  qc model.onnx --no-quantize -o model_f32.o\n"
      "  qc run model.onnx --input x.npy -o y.npy\n"
      "  qc run model.onnx --input x.pb --expect y.pb\n");
  // Removed on the way out unless the command succeeds.
  PendingOutputs pending;

  const TargetDesc *target = lookupTarget(targetName);
  if (!target) {
    std::string names;
    for (StringRef n : getTargetNames())
      names += (names.empty() ? "" : ", ") + n.str();
    return fail("unknown target '" + targetName + "' (known: " + names + ")");
  }
  std::optional<CalibrationMethod> method =
      llvm::StringSwitch<std::optional<CalibrationMethod>>(calibrationMethod)
          .Case("minmax", CalibrationMethod::MinMax)
          .Case("percentile", CalibrationMethod::Percentile)
          .Case("entropy", CalibrationMethod::Entropy)
          .Case("mse", CalibrationMethod::Mse)
          .Default(std::nullopt);
  if (!method)
    return fail("unknown --calibration-method '" + calibrationMethod +
                "' (expected minmax, percentile, entropy or mse)");
  std::optional<double> budget;
  if (std::string e = parseAccuracyBudget(accuracyBudget, budget); !e.empty())
    return fail(e);
  std::optional<double> alpha;
  if (std::string e = parseSmoothing(
          smoothQuant.empty() ? StringRef("0.5") : StringRef(smoothQuant),
          alpha);
      !e.empty())
    return fail(e);
  std::optional<double> equalizeAlpha;
  if (std::string e = parseEqualization(
          equalizeOption.empty() ? StringRef("on") : StringRef(equalizeOption),
          equalizeAlpha);
      !e.empty())
    return fail(e);
  if (calibrationData.empty() && !noQuantize) {
    if (equalizeAlpha && equalizeOption.getNumOccurrences())
      return fail("--equalize-channels needs --calibration-data (it measures "
                  "the channels on those samples)");
    if (alpha)
      return fail("--smoothquant needs --calibration-data (it measures the "
                  "channels on those samples)");
    if (biasCorrection)
      return fail("--bias-correction needs --calibration-data (it measures "
                  "the inputs' means on those samples)");
  }
  std::optional<FidelityMetric> metric =
      llvm::StringSwitch<std::optional<FidelityMetric>>(accuracyMetric)
          .Case("auto", FidelityMetric::Auto)
          .Case("agreement", FidelityMetric::Agreement)
          .Case("accuracy", FidelityMetric::Accuracy)
          .Case("error", FidelityMetric::Error)
          .Default(std::nullopt);
  if (!metric)
    return fail("unknown --accuracy-metric '" + accuracyMetric +
                "' (expected auto, agreement, accuracy or error)");
  if (*metric == FidelityMetric::Accuracy && calibrationLabels.empty())
    return fail("--accuracy-metric=accuracy needs --calibration-labels");
  if (!calibrationLabels.empty() && (*metric == FidelityMetric::Agreement ||
                                     *metric == FidelityMetric::Error))
    return fail("--calibration-labels goes with --accuracy-metric=accuracy "
                "(or auto), not " +
                accuracyMetric);
  if (!calibrationLabels.empty() && !budget)
    return fail("--calibration-labels needs an --accuracy-budget");
  if (!(percentile > 50 && percentile <= 100))
    return fail("--percentile must be in (50, 100]");
  if (batchTileBytes < 0)
    return fail("--batch-tile-bytes must not be negative (0 turns tiling off)");
  std::optional<Emit> kind;
  if (!runMode) {
    if (outputFiles.empty())
      return fail("no output file: give -o FILE (or -o - for stdout)");
    if (outputFiles.size() > 1)
      return fail("give one -o when compiling");
    kind = emit.empty() ? emitFromExtension(outputFiles[0]) : parseEmit(emit);
    if (!kind)
      return fail(emit.empty()
                      ? "cannot tell the output kind from '" + outputFiles[0] +
                            "': use --emit=obj|shared|asm|llvm|mlir"
                      : "unknown --emit kind '" + emit +
                            "' (expected obj, shared, asm, llvm or mlir)");
    if (*kind == Emit::Shared && outputFiles[0] == "-")
      return fail("a shared library cannot be written to stdout");
  }

  ImportOptions importOptions;
  importOptions.name = modelName;
  for (const std::string &spec : inputShapes) {
    auto [name, dims] = StringRef(spec).rsplit(':');
    auto parsed = parseDims(dims);
    if (name.empty() || !parsed)
      return fail("--input-shape '" + spec +
                  "' must look like NAME:DIMS, e.g. x:32x1x28x28");
    importOptions.inputShapes[name] = *parsed;
  }

  // Calibration data fixes symbolic dims (but the batch) of the inputs.
  if (!calibrationData.empty() && !noQuantize) {
    std::string err =
        peekSampleShapes(calibrationData, importOptions.sampleShapes);
    if (!err.empty())
      return fail(err);
  }

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler printer(sourceMgr, &context);
  // Remarks (the scheme choices) are collected for the report and printed
  // only with --remarks.
  std::vector<std::pair<std::string, std::string>> schemeRemarks;
  ScopedDiagnosticHandler collector(&context, [&](Diagnostic &d) {
    if (d.getSeverity() != DiagnosticSeverity::Remark)
      return failure(); // Let the printer show it.
    std::string layer;
    if (auto n = dyn_cast<NameLoc>(d.getLocation()))
      layer = n.getName().str();
    schemeRemarks.push_back({layer, d.str()});
    return remarks ? failure() : success();
  });

  // --time-report: a tree of wall-clock timings, printed on exit.
  DefaultTimingManager timingManager;
  timingManager.setEnabled(timeReport);
  timingManager.setDisplayMode(DefaultTimingManager::DisplayMode::Tree);
  TimingScope rootTiming = timingManager.getRootScope();
  TimingScope *timing = timeReport ? &rootTiming : nullptr;
  auto timed = [&](StringRef name) {
    return timing ? timing->nest(name) : TimingScope();
  };

  TimingScope importing = timed("import");
  OwningOpRef<ModuleOp> module =
      loadModel(inputFile, &context, sourceMgr, importOptions);
  if (!module)
    return 1;
  importing.stop();
  if (!modelName.empty())
    renameModel(*module, modelName);
  func::FuncOp func = getModelFunction(*module);
  std::string name = func.getName().str();

  CompileOptions options;
  options.target = target;
  options.reference = reference;
  options.batchTileBytes = batchTileBytes;
  options.quantize = !noQuantize;
  options.printIR = printIR;
  options.timing = timing;

  if (!noRecognizePatterns && failed(recognizePatterns(*module, options)))
    return 1;

  // --keep-float: mark the named nodes (after pattern recognition, a fused
  // chain carries the name of its last node).
  if (!keepFloat.empty()) {
    std::vector<std::string> names(keepFloat.begin(), keepFloat.end());
    std::vector<std::string> missing = markKeepFloat(*module, names);
    if (!missing.empty())
      return fail("--keep-float: the model has no node named '" +
                  missing.front() +
                  "' with a quantized form (names are the ONNX graph's, "
                  "as --report lists them)");
  }

  // Calibrate a float model.
  bool hasQDQ = false, hasStats = false;
  module->walk([&](Operation *op) {
    // A model already in integer form needs no calibration either.
    hasQDQ |= isa<QuantizeOp, DequantizeOp, DynamicQuantizeOp>(op) ||
              llvm::any_of(op->getResultTypes(), isQuantized);
    hasStats |= isa<StatsOp>(op);
  });
  Samples samples;
  OwningOpRef<ModuleOp> floatModule;
  std::vector<HostArray> floatOutputs;
  if (!calibrationData.empty() && !noQuantize) {
    TimingScope calibrating = timed("calibration");
    TimingScope reading =
        timing ? calibrating.nest("read samples") : TimingScope();
    std::string err =
        readSamples(calibrationData, func, samples, calibrationLimit);
    if (!err.empty())
      return fail(err);
    reading.stop();
    if (equalizeAlpha) {
      TimingScope equalizing =
          timing ? calibrating.nest("equalize channels") : TimingScope();
      EqualizationOptions eopts;
      eopts.alpha = *equalizeAlpha;
      eopts.timing = timing ? &equalizing : nullptr;
      if (failed(equalizeChannels(*module, samples, eopts)))
        return 1;
    }
    if (alpha) {
      TimingScope smoothing =
          timing ? calibrating.nest("smoothquant") : TimingScope();
      SmoothingOptions sopts;
      sopts.alpha = *alpha;
      sopts.timing = timing ? &smoothing : nullptr;
      if (failed(smoothActivations(*module, samples, sopts)))
        return 1;
    }
    floatModule = module->clone();
    CalibrationOptions copts;
    copts.method = *method;
    copts.percentile = percentile;
    copts.progress = true;
    copts.timing = timing ? &calibrating : nullptr;
    copts.floatOutputs = &floatOutputs;
    if (failed(calibrate(*module, samples, copts)))
      return 1;
    hasStats = true;
  } else if (!hasQDQ && !hasStats && !noQuantize) {
    llvm::errs() << "qc: warning: no calibration data: compiling the float "
                    "model (give --calibration-data to quantize it)\n";
  }
  if (!reportFile.empty() && !floatModule)
    return fail("--report needs --calibration-data (the report measures on "
                "those samples)");

  std::string qopts = quantizeOptions;
  if (!activationType.empty())
    qopts += " activation-type=" + activationType;
  if (!weightGranularity.empty())
    qopts += " granularity=" + weightGranularity;
  options.quantizeOptions = StringRef(qopts).trim().str();

  if (biasCorrection && floatModule) {
    TimingScope correcting = timed("bias correction");
    CompileOptions copts = options;
    copts.timing = timing ? &correcting : nullptr;
    if (failed(correctBiases(*module, *floatModule, samples, copts)))
      return 1;
  }

  // Mixed precision: keep layers in f32 until the budget holds.
  PrecisionResult precision;
  bool searched = false;
  if (floatModule && budget) {
    TimingScope searching = timed("precision search");
    PrecisionOptions popts;
    popts.budget = *budget;
    popts.metric = *metric;
    HostArray labels;
    if (!calibrationLabels.empty()) {
      if (std::string e = readAnyArray(calibrationLabels, labels); !e.empty())
        return fail(e);
      popts.labels = &labels;
    }
    popts.maxEvaluations = accuracyEvaluations;
    popts.quantizeOptions = options.quantizeOptions;
    popts.progress = true;
    popts.measureLayers = !reportFile.empty();
    popts.timing = timing ? &searching : nullptr;
    if (failed(searchPrecision(*floatModule, *module, samples, floatOutputs,
                               popts, precision)))
      return 1;
    searched = true;
    const PrecisionStep &first = precision.steps.front(),
                        &chosen = precision.steps[precision.chosen];
    auto show = [&](const PrecisionStep &s) {
      return precision.metric == FidelityMetric::Error
                 ? llvm::formatv("{0:F1} dB", s.metric).str()
                 : llvm::formatv("{0:F2}%", 100 * s.metric).str();
    };
    if (!precision.met)
      llvm::errs() << "qc: warning: --accuracy-budget=" << accuracyBudget
                   << " is not met: " << precision.metricName << " "
                   << show(first) << " in int8, " << show(chosen) << " with "
                   << chosen.keptFloat << " layers in f32 after "
                   << precision.steps.size() << " evaluations (see --report)\n";
    else if (chosen.keptFloat)
      llvm::errs() << "qc: note: --accuracy-budget=" << accuracyBudget << ": "
                   << chosen.keptFloat << " of " << precision.layers.size()
                   << " layers kept in f32 (" << precision.metricName << " "
                   << show(first) << " in int8, " << show(chosen) << " now)\n";
  }
  if (failed(quantizeModule(*module, options)))
    return 1;

  if (!reportFile.empty()) {
    TimingScope reporting = timed("report");
    std::vector<LayerError> layers;
    if (failed(measureLayerErrors(*floatModule, *module, samples, layers,
                                  timing ? &reporting : nullptr)))
      return 1;
    std::vector<std::pair<std::string, std::string>> schemes;
    for (auto &[layer, text] : schemeRemarks)
      if (StringRef(text).contains("weight quantized"))
        schemes.push_back({layer, text});
    ReportData data;
    data.model = name;
    data.layers = std::move(layers);
    data.schemes = std::move(schemes);
    data.samples = countExamples(samples);
    data.method = calibrationMethod;
    if (searched) {
      data.precision = &precision;
      data.budget = *budget;
    }
    std::string err = stageText(reportFile, renderReport(data), pending);
    if (!err.empty())
      return fail(err);
  }

  ModelInterface interface = getModelInterface(getModelFunction(*module));

  if (runMode) {
    std::vector<HostArray> inputs;
    for (const std::string &path : runInputs) {
      HostArray a;
      std::string err = readAnyArray(path, a);
      if (!err.empty())
        return fail(err);
      if (!allowNonFinite) {
        err = findNonFinite(a, "'" + path + "'");
        if (!err.empty())
          return fail(err + " (give --allow-nonfinite to run on it anyway)");
      }
      inputs.push_back(std::move(a));
    }
    std::string error;
    auto runner = Runner::create(*module, options, error);
    if (!runner)
      return error == "compilation failed" ? 1 : fail(error);
    // Inputs that hold several of the model's batches along axis 0 (a test
    // set for a batch-1 model) run batch by batch; the outputs are
    // concatenated along axis 0.
    int64_t chunks = splitBatches(runner->inputTypes(), inputs);
    std::string err =
        runner->check(chunks > 1 ? sliceBatch(inputs, chunks, 0) : inputs);
    if (!err.empty())
      return fail(err);
    auto runAll = [&](std::vector<HostArray> &outputs) -> std::string {
      if (chunks == 1)
        return runner->run(inputs, outputs);
      outputs.clear();
      std::vector<HostArray> part;
      for (int64_t c = 0; c < chunks; ++c) {
        if (std::string e = runner->run(sliceBatch(inputs, chunks, c), part);
            !e.empty())
          return e;
        appendAlongAxis0(outputs, part);
      }
      return "";
    };
    std::vector<HostArray> outputs;
    if (std::string e = runAll(outputs); !e.empty())
      return fail(e);
    if (!outputFiles.empty() && outputFiles.size() != outputs.size())
      return fail("the model has " + std::to_string(outputs.size()) +
                  " outputs; give that many -o files");
    for (auto [i, o] : llvm::enumerate(outputs)) {
      if (!outputFiles.empty()) {
        std::string e;
        auto out = StagedOutput::open(outputFiles[i], e);
        if (!out)
          return fail(e);
        e = writeNpy(out->os(), o);
        if (!e.empty())
          return fail(e);
        pending.push_back(std::move(out));
      } else if (expectFiles.empty() && labelsFile.empty() && !repeat) {
        llvm::outs() << interface.outputNames[i] << ": " << describeShape(o)
                     << " = [";
        for (int64_t k = 0; k < std::min<int64_t>(o.numElements(), 16); ++k)
          llvm::outs() << (k ? ", " : "") << o.get(k);
        llvm::outs() << (o.numElements() > 16 ? ", ...]\n" : "]\n");
      }
    }
    int status = 0;
    if (!expectFiles.empty()) {
      if (expectFiles.size() != outputs.size())
        return fail("the model has " + std::to_string(outputs.size()) +
                    " outputs; give that many --expect files");
      for (auto [i, path] : llvm::enumerate(expectFiles)) {
        HostArray want;
        std::string e = readAnyArray(path, want);
        if (!e.empty())
          return fail(e);
        std::string m = compare(outputs[i], want, interface.outputNames[i]);
        if (!m.empty()) {
          llvm::errs() << "qc: mismatch: " << m << "\n";
          status = 1;
        }
      }
      if (!status)
        llvm::outs() << "qc: all " << outputs.size()
                     << " outputs match the expected values\n";
    }
    if (!labelsFile.empty()) {
      HostArray labels;
      std::string e = readAnyArray(labelsFile, labels);
      if (!e.empty())
        return fail(e);
      const HostArray &o = outputs[0];
      int64_t classes = o.shape.empty() ? 1 : o.shape.back();
      int64_t rows = o.numElements() / classes;
      if (labels.numElements() != rows)
        return fail("'" + labelsFile + "' has " +
                    std::to_string(labels.numElements()) + " labels for " +
                    std::to_string(rows) + " predictions");
      int64_t correct = 0;
      for (int64_t r = 0; r < rows; ++r) {
        int64_t best = 0;
        for (int64_t c = 1; c < classes; ++c)
          if (o.get(r * classes + c) > o.get(r * classes + best))
            best = c;
        correct += best == int64_t(labels.get(r));
      }
      llvm::outs() << llvm::formatv("accuracy: {0:F2}% ({1}/{2})\n",
                                    100.0 * correct / rows, correct, rows);
    }
    if (repeat) {
      std::vector<double> times;
      for (unsigned r = 0; r < repeat; ++r) {
        auto start = std::chrono::steady_clock::now();
        if (std::string e = runAll(outputs); !e.empty())
          return fail(e);
        times.push_back(std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count());
      }
      std::sort(times.begin(), times.end());
      llvm::outs() << llvm::formatv("time: {0:F4} ms per run (median of {1})\n",
                                    times[times.size() / 2], repeat);
    }
    if (keepOutputs(pending))
      return 1;
    return status;
  }

  std::string error;
  std::string outputFile = outputFiles[0];
  if (*kind == Emit::MLIR) {
    // The quantized qc graph, before lowering: what to read to see what the
    // quantization did.
    if (!headerFile.empty()) {
      // The header states the workspace size, which lowering decides: lower
      // a copy for it.
      OwningOpRef<ModuleOp> lowered = module->clone();
      if (failed(lowerToLLVM(*lowered, options)))
        return 1;
      std::string err = stageText(
          headerFile,
          generateHeader(interface, getWorkspaceSize(*lowered, name)), pending);
      if (!err.empty())
        return fail(err);
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    std::string err = stageText(outputFile, text, pending);
    if (!err.empty())
      return fail(err);
    return keepOutputs(pending);
  }
  if (failed(lowerToLLVM(*module, options)))
    return 1;
  if (!headerFile.empty()) {
    std::string err = stageText(
        headerFile, generateHeader(interface, getWorkspaceSize(*module, name)),
        pending);
    if (!err.empty())
      return fail(err);
  }

  auto output = StagedOutput::open(outputFile, error);
  if (!output)
    return fail(error);
  auto tm = createTargetMachine(*target, error);
  if (!tm)
    return fail(error);
  llvm::LLVMContext llvmContext;
  auto llvmModule =
      translateToLLVMIR(*module, llvmContext, *tm, error, 3, timing);
  if (!llvmModule)
    return fail(error);
  if (*kind == Emit::LLVM) {
    llvmModule->print(output->os(), nullptr);
  } else if (*kind == Emit::Shared) {
    SmallString<128> object;
    int fd;
    if (llvm::sys::fs::createTemporaryFile("qc", "o", fd, object))
      return fail("cannot create a temporary file");
    llvm::FileRemover remover(object);
    {
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      if (failed(emitCode(*llvmModule, *tm, CodeKind::Object, os, error,
                          timing)))
        return fail(error);
    }
    TimingScope linking = timed("link (ld.lld)");
    if (failed(linkShared(object, output->stagingPath(), error)))
      return fail(error);
  } else if (failed(emitCode(*llvmModule, *tm,
                             *kind == Emit::Object ? CodeKind::Object
                                                   : CodeKind::Assembly,
                             output->pwriteStream(), error, timing))) {
    return fail(error);
  }
  pending.push_back(std::move(output));
  return keepOutputs(pending);
}
