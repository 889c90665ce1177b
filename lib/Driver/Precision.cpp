//===- Precision.cpp - Mixed precision under an accuracy budget ----------===//
//
// The search behind --accuracy-budget. One run of the float and the all-int8
// model on the calibration samples gives every layer's SQNR and the loss of
// the chosen metric; a layer's sensitivity is the noise it adds (its
// noise-to-signal ratio less its inputs'). When the loss exceeds the budget,
// the k most sensitive layers are kept in f32 (qc.keep_float) for k = 1, 2,
// 4, ... until the budget holds, then k is bisected. Every candidate is
// quantized from the same calibrated module and JIT-run on the samples, so
// the model chosen is exactly the model measured.
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Precision.h"
#include "qc/Dialect/QC/IR/QCInterfaces.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qc;

/// LLVM's optimization level for the candidates: each runs once on the
/// calibration samples, and on PP-OCRv4's recognizer (50 lines) O0 halves
/// their compile time (2.8 s to 1.4 s each) for twice the run time (0.5 s
/// to 1 s). The models are the same at any level.
constexpr int kCandidateOptLevel = 0;

std::string mlir::qc::parseAccuracyBudget(StringRef text,
                                          std::optional<double> &budget) {
  StringRef t = text.trim();
  if (t == "off" || t == "none") {
    budget.reset();
    return "";
  }
  bool percent = t.consume_back("%");
  double v;
  if (t.trim().getAsDouble(v) || !std::isfinite(v) || v < 0 ||
      (percent ? v >= 100 : v >= 1))
    return "--accuracy-budget '" + text.str() +
           "' must be a relative loss in [0, 1) or a percentage in [0%, "
           "100%), e.g. 1% or 0.01, or 'off'";
  budget = percent ? v / 100 : v;
  return "";
}

static std::string nameOf(Operation *op) {
  if (auto n = dyn_cast<NameLoc>(op->getLoc()))
    return n.getName().str();
  return "";
}

std::vector<std::string> mlir::qc::markKeepFloat(ModuleOp module,
                                                 ArrayRef<std::string> names) {
  llvm::StringSet<> wanted, found;
  for (const std::string &n : names)
    wanted.insert(n);
  UnitAttr unit = UnitAttr::get(module.getContext());
  module.walk([&](Operation *op) {
    std::string n = nameOf(op);
    if (n.empty() || !isa<QuantPropagationInterface>(op) || !wanted.contains(n))
      return;
    op->setAttr(QCDialect::getKeepFloatAttrName(), unit);
    found.insert(n);
  });
  // A ReLU or clip after a kept op computes in f32 too: quantized, it would
  // be folded into its producer's output range, which is not quantized.
  SmallVector<Operation *> work;
  module.walk([&](Operation *op) {
    if (op->hasAttr(QCDialect::getKeepFloatAttrName()))
      work.push_back(op);
  });
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    for (Operation *user : op->getUsers())
      if (isa<ClampOp>(user) &&
          !user->hasAttr(QCDialect::getKeepFloatAttrName())) {
        user->setAttr(QCDialect::getKeepFloatAttrName(), unit);
        work.push_back(user);
      }
  }
  std::vector<std::string> missing;
  for (const std::string &n : names)
    if (!found.contains(n))
      missing.push_back(n);
  return missing;
}

namespace {

/// Rows of output 0 for the argmax metrics: [rows, classes].
struct Rows {
  int64_t rows = 0, classes = 0;
};

std::optional<Rows> classRows(const HostArray &a) {
  if (a.shape.size() < 2 || a.shape.back() < 2)
    return std::nullopt;
  Rows r;
  r.classes = a.shape.back();
  r.rows = a.numElements() / r.classes;
  return r;
}

std::vector<int64_t> argmaxRows(const HostArray &a, Rows r) {
  std::vector<int64_t> best(r.rows, 0);
  for (int64_t i = 0; i < r.rows; ++i) {
    double top = a.get(i * r.classes);
    for (int64_t c = 1; c < r.classes; ++c) {
      double v = a.get(i * r.classes + c);
      if (v > top || (std::isnan(top) && !std::isnan(v))) {
        top = v;
        best[i] = c;
      }
    }
  }
  return best;
}

int64_t labelAt(const HostArray &labels, int64_t i) {
  if (labels.dtype == "int64") {
    int64_t v;
    std::memcpy(&v, labels.data.data() + i * 8, 8);
    return v;
  }
  return int64_t(labels.get(i));
}

/// Evaluates the loss of the metric of one quantized model's outputs.
class Judge {
public:
  Judge(FidelityMetric metric, const std::vector<HostArray> &reference,
        const HostArray *labels, bool classOutput)
      : metric(metric), reference(reference), labels(labels),
        classOutput(classOutput) {}

  /// Fixes the metric from the reference outputs; returns an error or "".
  std::string prepare() {
    if (reference.empty())
      return "the model has no outputs";
    std::optional<Rows> rows = classRows(reference[0]);
    if (metric == FidelityMetric::Auto)
      metric = labels ? FidelityMetric::Accuracy
               : rows && (reference[0].shape.size() == 2 || classOutput)
                   ? FidelityMetric::Agreement
                   : FidelityMetric::Error;
    if (metric == FidelityMetric::Agreement ||
        metric == FidelityMetric::Accuracy) {
      if (!rows)
        return "output 0 has no class axis (its last dim must be at least 2 "
               "for top-1)";
      this->rows = *rows;
      floatTop = argmaxRows(reference[0], *rows);
    }
    if (metric == FidelityMetric::Accuracy) {
      if (!labels)
        return "the accuracy metric needs labels";
      if (labels->dtype.find("int") == std::string::npos)
        return "the labels must be integers (class indices), not " +
               labels->dtype;
      if (labels->numElements() != rows->rows)
        return "the labels hold " + std::to_string(labels->numElements()) +
               " entries; the calibration examples give " +
               std::to_string(rows->rows) + " rows of output 0";
      int64_t right = 0;
      for (int64_t i = 0; i < rows->rows; ++i)
        right += floatTop[i] == labelAt(*labels, i);
      floatAccuracy = double(right) / double(rows->rows);
    }
    return "";
  }

  FidelityMetric getMetric() const { return metric; }
  /// The rows whose top-1 the loss counts (0 for the error metric): for
  /// accuracy, those the float model gets right.
  double getCountedRows() const {
    if (metric == FidelityMetric::Error)
      return 0;
    double n = double(floatTop.size());
    return metric == FidelityMetric::Accuracy ? n * floatAccuracy : n;
  }
  double getFloatMetric() const {
    return metric == FidelityMetric::Accuracy ? floatAccuracy
           : metric == FidelityMetric::Error
               ? std::numeric_limits<double>::infinity()
               : 1.0;
  }
  std::string getName() const {
    switch (metric) {
    case FidelityMetric::Agreement:
      return "top-1 agreement with f32";
    case FidelityMetric::Accuracy:
      return "top-1 accuracy";
    default:
      return "output SQNR against f32";
    }
  }

  /// The step's metric and loss for the outputs `q`.
  PrecisionStep judge(const std::vector<HostArray> &q) const {
    PrecisionStep step;
    if (metric == FidelityMetric::Error) {
      double signal = 0, noise = 0;
      for (size_t k = 0; k < reference.size() && k < q.size(); ++k) {
        int64_t n = std::min(reference[k].numElements(), q[k].numElements());
        for (int64_t i = 0; i < n; ++i) {
          double f = reference[k].get(i), d = f - q[k].get(i);
          signal += f * f;
          noise += d * d;
        }
      }
      step.loss = signal > 0 ? noise / signal : noise > 0 ? 1 : 0;
      step.metric = noise == 0 ? std::numeric_limits<double>::infinity()
                               : 10 * std::log10(signal / noise);
      return step;
    }
    std::vector<int64_t> top = argmaxRows(q[0], rows);
    int64_t n = std::min<int64_t>(top.size(), floatTop.size()), same = 0;
    for (int64_t i = 0; i < n; ++i)
      same += metric == FidelityMetric::Agreement
                  ? top[i] == floatTop[i]
                  : top[i] == labelAt(*labels, i);
    step.metric = n ? double(same) / double(n) : 1;
    if (metric == FidelityMetric::Agreement)
      step.loss = 1 - step.metric;
    else
      step.loss =
          floatAccuracy > 0
              ? std::max(0.0, (floatAccuracy - step.metric) / floatAccuracy)
              : 0;
    return step;
  }

private:
  FidelityMetric metric;
  const std::vector<HostArray> &reference;
  const HostArray *labels;
  bool classOutput;
  Rows rows;
  std::vector<int64_t> floatTop;
  double floatAccuracy = 0;
};

/// The names of the ops whose result `v` depends on, nearest first: for
/// each operand, the first named layer in `layers` on the way back.
llvm::StringSet<> inputLayers(Operation *op,
                              const llvm::StringMap<unsigned> &layers) {
  llvm::StringSet<> inputs;
  SmallVector<Value> work(op->getOperands().begin(), op->getOperands().end());
  DenseSet<Operation *> seen;
  std::string self = nameOf(op);
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || !seen.insert(def).second)
      continue;
    std::string n = nameOf(def);
    if (!n.empty() && n != self && layers.count(n)) {
      inputs.insert(n);
      continue;
    }
    work.append(def->getOperands().begin(), def->getOperands().end());
  }
  return inputs;
}

/// Whether output 0 is a distribution over its last axis: a softmax or
/// log-softmax along it.
bool isClassOutput(func::FuncOp func) {
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  if (ret.getNumOperands() == 0)
    return false;
  Operation *def = ret.getOperand(0).getDefiningOp();
  int64_t axis;
  if (auto s = dyn_cast_or_null<SoftmaxOp>(def))
    axis = s.getAxis();
  else if (auto s = dyn_cast_or_null<LogSoftmaxOp>(def))
    axis = s.getAxis();
  else
    return false;
  auto type = cast<RankedTensorType>(def->getResult(0).getType());
  return axis == -1 || axis == type.getRank() - 1;
}

} // namespace

LogicalResult mlir::qc::searchPrecision(ModuleOp floatModule,
                                        ModuleOp statsModule,
                                        const Samples &samples,
                                        const std::vector<HostArray> &reference,
                                        const PrecisionOptions &options,
                                        PrecisionResult &result) {
  MLIRContext *ctx = statsModule.getContext();
  // Candidate quantizations repeat the scheme remarks: keep them quiet.
  ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &d) {
    return success(d.getSeverity() == DiagnosticSeverity::Remark);
  });
  CompileOptions quantize;
  quantize.quantize = true;
  quantize.quantizeOptions = options.quantizeOptions;
  auto quantized = [&](ArrayRef<std::string> kept) -> OwningOpRef<ModuleOp> {
    OwningOpRef<ModuleOp> m = statsModule.clone();
    markKeepFloat(*m, kept);
    if (failed(quantizeModule(*m, quantize)))
      return nullptr;
    return m;
  };

  Judge judge(options.metric, reference, options.labels,
              isClassOutput(getModelFunction(floatModule)));
  if (std::string e = judge.prepare(); !e.empty())
    return statsModule.emitError("--accuracy-budget: ") << e;
  result.metric = judge.getMetric();
  result.metricName = judge.getName();
  result.floatMetric = judge.getFloatMetric();
  result.examples = countExamples(samples);

  // A count of changed rows (agreement, accuracy) misses the budget when it
  // exceeds it by more than one standard deviation of a binomial count at
  // the budget's rate: on 100 rows one changed row is not yet a 1% loss.
  // A loss equal to the budget holds it (1 - 0.99 is not 0.01 in double).
  double rows = judge.getCountedRows();
  auto meets = [&](const PrecisionStep &s) {
    if (rows > 0) {
      double allowed = options.budget * rows;
      return s.loss * rows <= allowed + std::sqrt(allowed) + 1e-9;
    }
    return s.loss <= options.budget * (1 + 1e-9) + 1e-12;
  };

  // The all-int8 model: done if it holds the budget.
  OwningOpRef<ModuleOp> int8 = quantized({});
  if (!int8)
    return failure();
  std::vector<HostArray> int8Outputs;
  if (failed(runOnSamples(*int8, samples, int8Outputs, options.timing,
                          kCandidateOptLevel)))
    return failure();
  result.steps.push_back(judge.judge(int8Outputs));
  result.steps[0].met = result.met = meets(result.steps[0]);
  if (result.met && !options.measureLayers)
    return success();

  // Layer by layer against the float model.
  std::vector<LayerError> errors;
  if (failed(measureLayerErrors(floatModule, *int8, samples, errors,
                                options.timing)))
    return failure();

  // Layers, their precision in the int8 model and their sensitivity.
  llvm::StringMap<unsigned> index;
  for (auto [i, e] : llvm::enumerate(errors)) {
    LayerPrecision l;
    l.name = e.name;
    l.op = e.op;
    l.sqnrDb = e.sqnrDb;
    index[e.name] = i;
    result.layers.push_back(l);
  }
  llvm::StringSet<> quantizedLayers, forced, markable;
  int8->walk([&](Operation *op) {
    std::string n = nameOf(op);
    if (!n.empty() && llvm::any_of(op->getResultTypes(),
                                   [](Type t) { return isQuantized(t); }))
      quantizedLayers.insert(n);
  });
  statsModule.walk([&](Operation *op) {
    std::string n = nameOf(op);
    if (n.empty() || !isa<QuantPropagationInterface>(op))
      return;
    markable.insert(n);
    if (op->hasAttr(QCDialect::getKeepFloatAttrName()))
      forced.insert(n);
  });
  auto nsr = [](double db) {
    return std::isfinite(db) ? std::pow(10.0, -db / 10) : 0.0;
  };
  llvm::StringMap<Operation *> floatOps;
  floatModule.walk([&](Operation *op) {
    std::string n = nameOf(op);
    if (!n.empty() && index.count(n) && op->getNumResults() == 1)
      floatOps[n] = op; // The last op of a name computes its result.
  });
  std::vector<unsigned> candidates;
  // The layers each layer reads: keeping a layer in f32 keeps them too, so
  // that the values between them stay f32 (the noise a layer adds is
  // mostly the quantization of what it reads).
  std::vector<SmallVector<unsigned>> producers(result.layers.size());
  for (auto [i, l] : llvm::enumerate(result.layers)) {
    double worstInput = 0;
    if (Operation *op = floatOps.lookup(l.name))
      for (const auto &in : inputLayers(op, index)) {
        unsigned j = index[in.getKey()];
        producers[i].push_back(j);
        worstInput = std::max(worstInput, nsr(result.layers[j].sqnrDb));
      }
    llvm::sort(producers[i]);
    l.sensitivity = std::max(0.0, nsr(l.sqnrDb) - worstInput);
    if (forced.contains(l.name)) {
      l.keptFloat = true;
      l.reason = "f32: --keep-float";
    } else if (!quantizedLayers.contains(l.name)) {
      l.reason = markable.contains(l.name) ? "f32: no quantization parameters"
                                           : "f32: no quantized form";
      l.keptFloat = true;
    } else {
      l.reason = "int8";
      candidates.push_back(index[l.name]);
    }
  }
  llvm::sort(candidates, [&](unsigned a, unsigned b) {
    double sa = result.layers[a].sensitivity, sb = result.layers[b].sensitivity;
    return sa != sb ? sa > sb : a < b; // Ties in graph order.
  });
  result.candidates = candidates.size();
  for (auto [rank, i] : llvm::enumerate(candidates))
    result.layers[i].rank = rank;

  // The search: double k until the budget holds, then bisect.
  // The layers in f32 when the k most sensitive are: each with the
  // layers it reads.
  auto keptLayers = [&](unsigned k) {
    SmallVector<unsigned> kept;
    for (unsigned i = 0; i < k && i < candidates.size(); ++i) {
      kept.push_back(candidates[i]);
      for (unsigned p : producers[candidates[i]])
        if (!result.layers[p].keptFloat)
          kept.push_back(p);
    }
    llvm::sort(kept);
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    return kept;
  };
  auto keptNames = [&](unsigned k) {
    std::vector<std::string> names;
    for (unsigned i : keptLayers(k))
      names.push_back(result.layers[i].name);
    return names;
  };
  bool showProgress =
      options.progress && llvm::sys::Process::StandardErrIsDisplayed();
  unsigned evaluations = 0;
  auto evaluate = [&](unsigned k) -> FailureOr<bool> {
    ++evaluations;
    if (showProgress)
      llvm::errs() << llvm::formatv("\rprecision search: {0} of {1} layers in "
                                    "f32 (evaluation {2})   ",
                                    k, candidates.size(), evaluations);
    OwningOpRef<ModuleOp> m = quantized(keptNames(k));
    if (!m)
      return failure();
    std::vector<HostArray> out;
    if (failed(
            runOnSamples(*m, samples, out, options.timing, kCandidateOptLevel)))
      return failure();
    PrecisionStep step = judge.judge(out);
    step.ranked = k;
    step.keptFloat = keptLayers(k).size();
    step.met = meets(step);
    result.steps.push_back(step);
    return step.met;
  };
  unsigned chosenK = 0;
  if (!result.met && !candidates.empty()) {
    unsigned lo = 0, hi = 0; // lo fails; hi meets (0: none found yet).
    for (unsigned k = 1; evaluations < options.maxEvaluations;
         k = std::min<unsigned>(2 * k, candidates.size())) {
      FailureOr<bool> ok = evaluate(k);
      if (failed(ok))
        return failure();
      if (*ok) {
        hi = k;
        break;
      }
      lo = k;
      if (k == candidates.size())
        break;
    }
    while (hi && hi - lo > 1 && evaluations < options.maxEvaluations) {
      unsigned mid = lo + (hi - lo) / 2;
      FailureOr<bool> ok = evaluate(mid);
      if (failed(ok))
        return failure();
      (*ok ? hi : lo) = mid;
    }
    if (showProgress)
      llvm::errs() << "\n";
    result.met = hi != 0;
    // The smallest k that meets the budget, else the lowest loss seen.
    unsigned best = 0;
    for (unsigned i = 1; i < result.steps.size(); ++i) {
      const PrecisionStep &s = result.steps[i], &b = result.steps[best];
      bool sMeets = s.met, bMeets = b.met;
      if (sMeets != bMeets ? sMeets
          : sMeets         ? s.keptFloat < b.keptFloat
                           : s.loss < b.loss)
        best = i;
    }
    result.chosen = best;
    chosenK = result.steps[best].ranked;
  }
  result.keptFloat = keptNames(chosenK);
  for (unsigned r = 0; r < chosenK; ++r) {
    unsigned i = candidates[r];
    for (unsigned p : producers[i]) {
      LayerPrecision &l = result.layers[p];
      if (l.keptFloat)
        continue;
      l.keptFloat = true;
      l.reason = "f32: read by " + result.layers[i].name;
    }
    LayerPrecision &l = result.layers[i];
    l.keptFloat = true;
    l.reason = llvm::formatv("f32: sensitivity rank {0}; the budget needs the "
                             "{1} most sensitive layers (and what they read) "
                             "in f32",
                             r + 1, chosenK);
  }
  markKeepFloat(statsModule, result.keptFloat);
  return success();
}
