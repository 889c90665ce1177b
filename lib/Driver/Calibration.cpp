//===- Calibration.cpp - Statistics from running the float model ----------===//
//
// Calibration runs the float model (JIT-compiled with every intermediate
// value made an extra output) on sample inputs and turns what it sees into
// qc.stats ops: the range of each value, chosen by min/max, a percentile,
// minimal KL divergence (entropy) or minimal quantization MSE over a
// 2048-bin histogram. The same machinery measures, per layer, the error of
// the quantized model against the float one (the --report).
//
//===----------------------------------------------------------------------===//

#include "qc/Driver/Model.h"
#include "qc/Dialect/QC/IR/QCOps.h"
#include "qc/Dialect/QC/IR/QCTypeUtils.h"
#include "qc/Dialect/QC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::qc;

//===----------------------------------------------------------------------===//
// Samples
//===----------------------------------------------------------------------===//

std::string mlir::qc::findNonFinite(const HostArray &a, StringRef what) {
  if (a.dtype != "float32" && a.dtype != "float64")
    return "";
  int64_t n = a.numElements();
  for (int64_t i = 0; i < n; ++i) {
    double v = a.get(i);
    if (std::isfinite(v))
      continue;
    // The position [i0, i1, ...] of flat index i.
    std::string pos;
    int64_t rest = i;
    SmallVector<int64_t> idx(a.shape.size());
    for (int d = int(a.shape.size()) - 1; d >= 0; --d) {
      idx[d] = a.shape[d] ? rest % a.shape[d] : 0;
      rest = a.shape[d] ? rest / a.shape[d] : 0;
    }
    for (int64_t x : idx)
      pos += (pos.empty() ? "" : ", ") + std::to_string(x);
    return what.str() + " holds " +
           (std::isnan(v) ? "NaN" : (v > 0 ? "+inf" : "-inf")) +
           " at index " + std::to_string(i) + " ([" + pos + "])";
  }
  return "";
}

/// Reads a calibration array: .pb (TensorProto) or .npy; NaN and infinity
/// are errors (they would make every range they reach meaningless).
static std::string readArray(StringRef path, HostArray &a) {
  std::string err =
      path.ends_with(".pb") ? readTensorProto(path, a) : readNpy(path, a);
  if (!err.empty())
    return err;
  err = findNonFinite(a, "'" + path.str() + "'");
  if (!err.empty())
    return err + "; calibration data must be finite";
  return "";
}

/// float64 data (numpy's default) becomes float32 where the model wants it.
static void convertForInput(HostArray &a, RankedTensorType type) {
  if (a.dtype == "float64" && getDtype(type) == "float32") {
    HostArray f;
    f.dtype = "float32";
    f.shape = a.shape;
    f.data.resize(a.numElements() * 4);
    for (int64_t i = 0, n = a.numElements(); i < n; ++i) {
      float v = float(a.get(i));
      std::memcpy(f.data.data() + 4 * i, &v, 4);
    }
    a = std::move(f);
  }
}

/// The name of input `k` for messages.
static std::string inputName(func::FuncOp func, size_t k) {
  return "'" + getInputNames(func)[k] + "'";
}

static std::string dimsStr(ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

/// Checks one array of an entry against model input `k`: its dtype, its
/// rank and every dim but the first (the examples).
static std::string checkArray(func::FuncOp func, size_t k, const HostArray &a,
                              StringRef where) {
  auto type = cast<RankedTensorType>(func.getArgumentTypes()[k]);
  std::string want = getDtype(type);
  if (a.dtype != want)
    return where.str() + ": input " + inputName(func, k) + " is " + want +
           ", but the data is " + a.dtype;
  ArrayRef<int64_t> shape = type.getShape();
  if (shape.empty() || a.shape.size() != shape.size() ||
      ArrayRef<int64_t>(a.shape).drop_front() != shape.drop_front() ||
      a.shape[0] < 1)
    return where.str() + ": input " + inputName(func, k) + " takes examples "
           "of shape " + dimsStr(shape.drop_front()) +
           " along the first axis (the model's shape is " + dimsStr(shape) +
           "), but the data has shape " + dimsStr(a.shape);
  return "";
}

std::string mlir::qc::peekSampleShapes(
    StringRef path, std::vector<SmallVector<int64_t>> &shapes) {
  shapes.clear();
  auto take = [&](StringRef file) -> std::string {
    HostArray a;
    std::string err = readArray(file, a);
    if (err.empty())
      shapes.push_back(a.shape);
    return err;
  };
  if (!llvm::sys::fs::is_directory(path))
    return take(path);
  std::error_code ec;
  std::vector<std::string> entries;
  for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
       it.increment(ec))
    entries.push_back(it->path());
  if (ec)
    return "cannot list '" + path.str() + "': " + ec.message();
  llvm::sort(entries);
  for (const std::string &e : entries) {
    if (llvm::sys::fs::is_directory(e)) {
      for (size_t k = 0;; ++k) {
        std::string base = e + "/input_" + std::to_string(k);
        if (llvm::sys::fs::exists(base + ".pb")) {
          if (std::string err = take(base + ".pb"); !err.empty())
            return err;
        } else if (llvm::sys::fs::exists(base + ".npy")) {
          if (std::string err = take(base + ".npy"); !err.empty())
            return err;
        } else {
          break;
        }
      }
      return "";
    }
    if (StringRef(e).ends_with(".npy") || StringRef(e).ends_with(".pb"))
      return take(e);
  }
  return "";
}

size_t mlir::qc::countExamples(const Samples &samples) {
  size_t n = 0;
  for (const auto &entry : samples)
    if (!entry.empty())
      n += entry.front().shape.empty() ? 1 : entry.front().shape.front();
  return n;
}

std::string mlir::qc::readSamples(StringRef path, func::FuncOp func,
                                  Samples &samples, size_t limit) {
  auto types = func.getArgumentTypes();
  if (llvm::sys::fs::is_directory(path)) {
    std::error_code ec;
    std::vector<std::string> entries;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      entries.push_back(it->path());
    if (ec)
      return "cannot list '" + path.str() + "': " + ec.message();
    llvm::sort(entries);
    for (const std::string &e : entries) {
      if (countExamples(samples) >= limit)
        break;
      std::vector<HostArray> sample;
      if (llvm::sys::fs::is_directory(e)) {
        for (size_t k = 0; k < types.size(); ++k) {
          std::string base = e + "/input_" + std::to_string(k);
          HostArray a;
          std::string file =
              llvm::sys::fs::exists(base + ".pb") ? base + ".pb" : base + ".npy";
          std::string err = readArray(file, a);
          if (!err.empty())
            return err;
          convertForInput(a, cast<RankedTensorType>(types[k]));
          err = checkArray(func, k, a, file);
          if (!err.empty())
            return err;
          sample.push_back(std::move(a));
        }
        int64_t count = sample.front().shape.front();
        for (const HostArray &a : sample)
          if (a.shape.front() != count)
            return "'" + e + "': the inputs hold different numbers of "
                   "examples (" + std::to_string(count) + " and " +
                   std::to_string(a.shape.front()) + ")";
      } else if (StringRef(e).ends_with(".npy") || StringRef(e).ends_with(".pb")) {
        if (types.size() != 1)
          return "'" + path.str() + "': one file per sample works for "
                 "single-input models; use test_data_set_N/input_K folders";
        HostArray a;
        std::string err = readArray(e, a);
        if (!err.empty())
          return err;
        convertForInput(a, cast<RankedTensorType>(types[0]));
        err = checkArray(func, 0, a, e);
        if (!err.empty())
          return err;
        sample.push_back(std::move(a));
      } else {
        continue;
      }
      samples.push_back(std::move(sample));
    }
    if (samples.empty())
      return "'" + path.str() + "' holds no samples (.npy, .pb or "
             "test_data_set_N folders)";
    return "";
  }
  if (types.size() != 1)
    return "a .npy of samples works for single-input models; the model has " +
           std::to_string(types.size()) + " inputs (use a folder)";
  auto type = cast<RankedTensorType>(types[0]);
  HostArray all;
  std::string err = readArray(path, all);
  if (!err.empty())
    return err;
  convertForInput(all, type);
  err = checkArray(func, 0, all, "'" + path.str() + "'");
  if (!err.empty())
    return err;
  // One entry per example.
  SmallVector<int64_t> one(all.shape);
  one[0] = 1;
  size_t bytes = all.data.size() / all.shape[0];
  for (int64_t i = 0; i < all.shape[0] && samples.size() < limit; ++i) {
    HostArray a;
    a.dtype = all.dtype;
    a.shape = one;
    a.data.assign(all.data.begin() + i * bytes,
                  all.data.begin() + (i + 1) * bytes);
    samples.push_back({std::move(a)});
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Batches
//===----------------------------------------------------------------------===//

namespace {

/// How a model runs the examples: batches of `batch`, with the function
/// rebatched to it when the model keeps its samples apart (`batched`).
struct BatchPlan {
  std::optional<DenseSet<Value>> batched;
  int64_t modelBatch = 1;
  int64_t batch = 1;
  size_t examples = 0;
};

/// The largest calibration batch: more examples per run amortize the runs,
/// fewer keep the probe's memory (every intermediate is an output) small.
constexpr int64_t kMaxBatch = 16;

/// Decides the batches of `func` and groups the examples into them.
std::string planBatches(func::FuncOp func, const Samples &samples,
                        BatchPlan &plan,
                        std::vector<std::vector<HostArray>> &batches) {
  size_t numInputs = func.getNumArguments();
  for (const auto &entry : samples)
    if (entry.size() != numInputs)
      return "a calibration sample has " + std::to_string(entry.size()) +
             " inputs; the model has " + std::to_string(numInputs);
  for (const auto &entry : samples)
    for (auto [k, a] : llvm::enumerate(entry)) {
      std::string err = checkArray(func, k, a, "calibration sample");
      if (!err.empty())
        return err;
    }
  // Every example as one array per input.
  std::vector<std::vector<const uint8_t *>> examples;
  std::vector<size_t> exampleBytes(numInputs);
  for (size_t k = 0; k < numInputs; ++k) {
    auto t = cast<RankedTensorType>(func.getArgumentTypes()[k]);
    exampleBytes[k] = t.getNumElements() / t.getDimSize(0) *
                      HostArray::elementSize(getDtype(t));
  }
  for (const auto &entry : samples) {
    int64_t count = entry.front().shape.front();
    for (int64_t i = 0; i < count; ++i) {
      std::vector<const uint8_t *> ex;
      for (size_t k = 0; k < numInputs; ++k)
        ex.push_back(entry[k].data.data() + i * exampleBytes[k]);
      examples.push_back(std::move(ex));
    }
  }
  plan.examples = examples.size();
  if (examples.empty())
    return "no calibration examples";
  plan.modelBatch =
      cast<RankedTensorType>(func.getArgumentTypes()[0]).getDimSize(0);
  plan.batched = analyzeBatchSeparability(func, plan.modelBatch);
  int64_t total = int64_t(examples.size());
  if (plan.batched) {
    // The largest batch up to kMaxBatch that divides the examples evenly.
    plan.batch = 1;
    for (int64_t b = std::min(total, kMaxBatch); b >= 1; --b)
      if (total % b == 0) {
        plan.batch = b;
        break;
      }
  } else {
    plan.batch = plan.modelBatch;
    if (total < plan.batch)
      return "the model computes a batch of " + std::to_string(plan.batch) +
             " as a whole (its samples are not independent), but the "
             "calibration data holds " + std::to_string(total) + " examples";
    if (total % plan.batch)
      llvm::errs() << "qc: warning: the model computes a batch of "
                   << plan.batch << " as a whole; the last "
                   << total % plan.batch
                   << " calibration examples do not fill one and are not "
                      "used\n";
    plan.examples = total - total % plan.batch;
  }
  for (size_t first = 0; first + plan.batch <= examples.size();
       first += plan.batch) {
    std::vector<HostArray> batch;
    for (size_t k = 0; k < numInputs; ++k) {
      auto t = cast<RankedTensorType>(func.getArgumentTypes()[k]);
      HostArray a;
      a.dtype = getDtype(t);
      a.shape.assign(t.getShape().begin(), t.getShape().end());
      a.shape[0] = plan.batch;
      for (int64_t i = 0; i < plan.batch; ++i)
        a.data.insert(a.data.end(), examples[first + i][k],
                      examples[first + i][k] + exampleBytes[k]);
      batch.push_back(std::move(a));
    }
    batches.push_back(std::move(batch));
  }
  return "";
}

/// Gives the model function of `module` the plan's batch (a no-op when it
/// has it already). `func` was analyzed by planBatches.
void applyBatchPlan(ModuleOp module, const BatchPlan &plan) {
  if (!plan.batched || plan.batch == plan.modelBatch)
    return;
  func::FuncOp func = getModelFunction(module);
  std::string name = func.getName().str();
  func::FuncOp copy = cloneForBatch(func, *plan.batched, plan.batch, name);
  OpBuilder b(func);
  b.insert(copy);
  func.erase();
}

} // namespace

//===----------------------------------------------------------------------===//
// Observing values
//===----------------------------------------------------------------------===//

namespace {

/// Shows progress on a terminal.
class Progress {
public:
  Progress(StringRef what, size_t total, bool enabled)
      : what(what.str()), total(total),
        enabled(enabled && llvm::sys::Process::StandardErrIsDisplayed()) {}
  void step(size_t done) {
    if (!enabled)
      return;
    unsigned width = 30, filled = total ? unsigned(width * done / total) : 0;
    llvm::errs() << "\r" << what << " [" << std::string(filled, '#')
                 << std::string(width - filled, '.') << "] " << done << "/"
                 << total;
    if (done == total)
      llvm::errs() << "\n";
    llvm::errs().flush();
  }

private:
  std::string what;
  size_t total;
  bool enabled;
};

bool isF32Tensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isF32();
}

/// The values calibration observes, in a deterministic order: the f32
/// arguments, then the f32 results of every op but constants.
SmallVector<Value> observedValues(func::FuncOp func) {
  SmallVector<Value> values;
  for (BlockArgument a : func.getArguments())
    if (isF32Tensor(a))
      values.push_back(a);
  func.walk([&](Operation *op) {
    if (op == func.getOperation() || op->hasTrait<OpTrait::ConstantLike>() ||
        isa<StatsOp>(op))
      return;
    for (Value r : op->getResults())
      if (isF32Tensor(r))
        values.push_back(r);
  });
  return values;
}

const float *floats(const HostArray &a) {
  return reinterpret_cast<const float *>(a.data.data());
}

constexpr int kBins = 2048;

/// The smallest and largest of `n` floats, NaN skipped (+inf, -inf when
/// there is none): in independent lanes, so that the compiler vectorizes
/// it (a comparison with NaN is false, so NaN never replaces a bound).
std::pair<float, float> floatRange(const float *f, int64_t n) {
  constexpr int kLanes = 16;
  float lo[kLanes], hi[kLanes];
  for (int j = 0; j < kLanes; ++j) {
    lo[j] = std::numeric_limits<float>::infinity();
    hi[j] = -std::numeric_limits<float>::infinity();
  }
  int64_t k = 0;
  for (; k + kLanes <= n; k += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      float v = f[k + j];
      lo[j] = v < lo[j] ? v : lo[j];
      hi[j] = v > hi[j] ? v : hi[j];
    }
  for (; k < n; ++k) {
    lo[0] = f[k] < lo[0] ? f[k] : lo[0];
    hi[0] = f[k] > hi[0] ? f[k] : hi[0];
  }
  float l = lo[0], h = hi[0];
  for (int j = 1; j < kLanes; ++j) {
    l = std::min(l, lo[j]);
    h = std::max(h, hi[j]);
  }
  return {l, h};
}

/// LLVM optimization level of the models calibration and the report run:
/// they run a few dozen samples once, so compiling fast beats running fast
/// (the micro-kernels are explicit vector code at any level).
constexpr unsigned kCalibrationOptLevel = 1;

struct Observed {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  std::vector<double> histogram;
};

/// Expected squared error of quantizing the histogram's values into
/// [lo, hi] with 8 bits (asymmetric, as activations are).
double quantizationMse(const Observed &o, double lo, double hi) {
  auto p = computeQuantParams(lo, hi, QuantScheme{8, false, false, false});
  if (!p) {
    llvm::consumeError(p.takeError());
    return std::numeric_limits<double>::infinity();
  }
  double width = (o.hi - o.lo) / kBins, err = 0;
  StorageRange r = StorageRange::get(8, false);
  for (int i = 0; i < kBins; ++i) {
    if (o.histogram[i] == 0)
      continue;
    float x = float(o.lo + (i + 0.5) * width);
    float back = dequantize(quantize(x, float(p->scale), p->zeroPoint, r),
                            float(p->scale), p->zeroPoint);
    err += o.histogram[i] * double(x - back) * double(x - back);
  }
  return err;
}

/// KL divergence of the histogram's head [0, n) (outliers folded into its
/// last bin) from the same head quantized into `levels` bins.
double klDivergence(const std::vector<double> &h, int n, int levels) {
  std::vector<double> p(h.begin(), h.begin() + n);
  for (size_t i = n; i < h.size(); ++i)
    p[n - 1] += h[i];
  std::vector<double> q(n, 0.0);
  double per = double(n) / levels;
  for (int l = 0; l < levels; ++l) {
    int s = int(std::floor(l * per)), e = int(std::floor((l + 1) * per));
    e = std::min(std::max(e, s + 1), n);
    double sum = 0;
    int nonzero = 0;
    for (int i = s; i < e; ++i) {
      sum += h[i];
      nonzero += h[i] > 0;
    }
    for (int i = s; i < e; ++i)
      q[i] = h[i] > 0 ? sum / nonzero : 0;
  }
  double pt = 0, qt = 0;
  for (int i = 0; i < n; ++i) {
    pt += p[i];
    qt += q[i];
  }
  if (pt == 0 || qt == 0)
    return std::numeric_limits<double>::infinity();
  double kl = 0;
  for (int i = 0; i < n; ++i) {
    if (p[i] == 0)
      continue;
    double pi = p[i] / pt, qi = q[i] / qt;
    if (qi == 0)
      return std::numeric_limits<double>::infinity();
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

std::pair<double, double> chooseRange(const Observed &o,
                                      const CalibrationOptions &opts) {
  if (opts.method == CalibrationMethod::MinMax || o.lo >= o.hi)
    return {o.lo, o.hi};
  double width = (o.hi - o.lo) / kBins;
  const std::vector<double> &h = o.histogram;
  double total = 0;
  for (double c : h)
    total += c;
  switch (opts.method) {
  case CalibrationMethod::Percentile: {
    double tail = total * (100.0 - opts.percentile) / 100.0;
    double acc = 0;
    int lo = 0, hi = kBins - 1;
    while (lo < kBins - 1 && acc + h[lo] <= tail)
      acc += h[lo++];
    acc = 0;
    while (hi > lo && acc + h[hi] <= tail)
      acc += h[hi--];
    return {o.lo + lo * width, o.lo + (hi + 1) * width};
  }
  case CalibrationMethod::Mse: {
    double best = std::numeric_limits<double>::infinity();
    std::pair<double, double> range{o.lo, o.hi};
    for (int t = 128; t >= 8; --t) {
      double f = t / 128.0;
      double lo = std::min(0.0, o.lo) * f, hi = std::max(0.0, o.hi) * f;
      double e = quantizationMse(o, lo, hi);
      if (e < best) {
        best = e;
        range = {lo, hi};
      }
    }
    return range;
  }
  case CalibrationMethod::Entropy: {
    // On the magnitude histogram (one-sided values are the common case
    // after ReLU): the clipping threshold with the least information loss.
    double absMax = std::max(std::fabs(o.lo), std::fabs(o.hi));
    std::vector<double> mag(kBins, 0.0);
    for (int i = 0; i < kBins; ++i) {
      double x = std::fabs(o.lo + (i + 0.5) * width);
      int j = std::min(kBins - 1, int(x / absMax * kBins));
      mag[j] += h[i];
    }
    bool oneSided = o.lo >= 0 || o.hi <= 0;
    int levels = oneSided ? 256 : 128;
    double best = std::numeric_limits<double>::infinity();
    int bestN = kBins;
    for (int n = levels; n <= kBins; n += 16) {
      double kl = klDivergence(mag, n, levels);
      if (kl < best) {
        best = kl;
        bestN = n;
      }
    }
    double t = absMax * bestN / kBins;
    return {std::max(o.lo, -t), std::min(o.hi, t)};
  }
  case CalibrationMethod::MinMax:
    break;
  }
  return {o.lo, o.hi};
}

} // namespace

/// How calibration, the report and the precision search JIT-compile the
/// models they run: for the host, at a low optimization level (they run a
/// few dozen samples once), quantization already done.
static CompileOptions jitOptions(TimingScope *timing) {
  CompileOptions compile;
  compile.target = &getHostTarget();
  compile.quantize = false;
  compile.optLevel = kCalibrationOptLevel;
  compile.timing = timing;
  return compile;
}

/// Appends the first `n` arrays of `out` to `acc` along their first axis.
static void appendOutputs(std::vector<HostArray> &acc,
                          const std::vector<HostArray> &out, size_t n) {
  if (acc.empty()) {
    acc.assign(out.begin(), out.begin() + n);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    HostArray &a = acc[i];
    if (a.shape.empty() || out[i].shape.empty()) {
      a.shape.insert(a.shape.begin(), 1); // Scalars stack.
    } else {
      a.shape[0] += out[i].shape[0];
    }
    a.data.insert(a.data.end(), out[i].data.begin(), out[i].data.end());
  }
}

LogicalResult mlir::qc::calibrate(ModuleOp module, const Samples &samples,
                                  const CalibrationOptions &options) {
  func::FuncOp func = getModelFunction(module);
  SmallVector<Value> values = observedValues(func);
  unsigned numOutputs = func.getNumResults();

  OwningOpRef<ModuleOp> probe = module.clone();
  func::FuncOp probeFunc = getModelFunction(*probe);
  BatchPlan plan;
  std::vector<std::vector<HostArray>> batches;
  std::string err = planBatches(probeFunc, samples, plan, batches);
  if (!err.empty())
    return module.emitError("calibration: ") << err;
  addOutputs(probeFunc, observedValues(probeFunc));
  applyBatchPlan(*probe, plan);
  CompileOptions compile = jitOptions(nullptr);
  TimingScope compiling = options.timing
                              ? options.timing->nest("compile the float model")
                              : TimingScope();
  compile.timing = compiling ? &compiling : nullptr;
  std::string error;
  auto runner = Runner::create(*probe, compile, error);
  if (!runner)
    return module.emitError("calibration: ") << error;
  compiling.stop();
  TimingScope running = options.timing
                            ? options.timing->nest("run the float model")
                            : TimingScope();
  for (const auto &s : batches) {
    std::string err = runner->check(s);
    if (!err.empty())
      return module.emitError("calibration sample: ") << err;
  }

  if (options.floatOutputs)
    options.floatOutputs->clear();
  std::vector<Observed> seen(values.size());
  bool needHistogram = options.method != CalibrationMethod::MinMax;
  std::vector<HostArray> out;
  for (int pass = 0; pass < (needHistogram ? 2 : 1); ++pass) {
    Progress progress(pass == 0 ? "calibrating" : "histograms",
                      plan.examples, options.progress && plan.examples >= 20);
    if (pass == 1)
      for (Observed &o : seen)
        o.histogram.assign(kBins, 0.0);
    for (auto [n, sample] : llvm::enumerate(batches)) {
      if (std::string e = runner->run(sample, out); !e.empty())
        return module.emitError("calibration: ") << e;
      if (pass == 0 && options.floatOutputs)
        appendOutputs(*options.floatOutputs, out, numOutputs);
      for (size_t i = 0; i < values.size(); ++i) {
        const HostArray &a = out[numOutputs + i];
        const float *f = floats(a);
        Observed &o = seen[i];
        int64_t count = a.numElements();
        if (pass == 0) {
          auto [lo, hi] = floatRange(f, count);
          o.lo = std::min(o.lo, double(lo));
          o.hi = std::max(o.hi, double(hi));
        } else if (o.hi > o.lo) {
          double scale = kBins / (o.hi - o.lo);
          for (int64_t k = 0; k < count; ++k) {
            if (std::isnan(f[k]))
              continue;
            int bin = std::clamp(int((double(f[k]) - o.lo) * scale), 0,
                                 kBins - 1);
            o.histogram[bin] += 1;
          }
        }
      }
      progress.step((n + 1) * plan.batch);
    }
  }

  OpBuilder b(module.getContext());
  for (auto [v, o] : llvm::zip(values, seen)) {
    if (!std::isfinite(o.lo) || !std::isfinite(o.hi))
      continue; // Never finite: leave the value in f32.
    auto [lo, hi] = chooseRange(o, options);
    if (auto arg = dyn_cast<BlockArgument>(v))
      b.setInsertionPointToStart(arg.getOwner());
    else
      b.setInsertionPointAfter(v.getDefiningOp());
    auto stats = StatsOp::create(b, v.getLoc(), v,
                                 StatsAttr::get(b.getContext(), lo, hi));
    v.replaceAllUsesExcept(stats, stats);
  }
  return success();
}

void mlir::qc::addOutputs(func::FuncOp func, ArrayRef<Value> values) {
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  SmallVector<Value> operands(ret.getOperands());
  operands.append(values.begin(), values.end());
  OpBuilder b(ret);
  func::ReturnOp::create(b, ret.getLoc(), operands);
  ret.erase();
  SmallVector<Type> types;
  for (Value v : operands)
    types.push_back(v.getType());
  func.setType(
      FunctionType::get(func.getContext(), func.getArgumentTypes(), types));
}

//===----------------------------------------------------------------------===//
// Per-layer error
//===----------------------------------------------------------------------===//

static std::string nameOf(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc))
    return n.getName().str();
  return "";
}

LogicalResult mlir::qc::runOnSamples(ModuleOp module, const Samples &samples,
                                     std::vector<HostArray> &outputs,
                                     TimingScope *timing, int optLevel) {
  unsigned numOutputs = getModelFunction(module).getNumResults();
  outputs.clear();
  return runEachBatch(
      module, samples,
      [&](const std::vector<HostArray> &out) {
        appendOutputs(outputs, out, numOutputs);
      },
      timing, optLevel);
}

LogicalResult mlir::qc::runEachBatch(
    ModuleOp module, const Samples &samples,
    function_ref<void(const std::vector<HostArray> &)> consume,
    TimingScope *timing, int optLevel) {
  OwningOpRef<ModuleOp> m = module.clone();
  func::FuncOp f = getModelFunction(*m);
  BatchPlan plan;
  std::vector<std::vector<HostArray>> batches;
  std::string err = planBatches(f, samples, plan, batches);
  if (!err.empty())
    return module.emitError("evaluation: ") << err;
  applyBatchPlan(*m, plan);
  CompileOptions compile = jitOptions(timing);
  if (optLevel >= 0)
    compile.optLevel = optLevel;
  std::string error;
  auto runner = Runner::create(*m, compile, error);
  if (!runner)
    return module.emitError("evaluation: ") << error;
  std::vector<HostArray> out;
  TimingScope running = timing ? timing->nest("run") : TimingScope();
  for (const auto &s : batches) {
    if (std::string e = runner->run(s, out); !e.empty())
      return module.emitError("evaluation: ") << e;
    consume(out);
  }
  return success();
}

LogicalResult mlir::qc::measureLayerErrors(ModuleOp floatModule,
                                           ModuleOp quantModule,
                                           const Samples &samples,
                                           std::vector<LayerError> &errors,
                                           TimingScope *timing) {
  OwningOpRef<ModuleOp> fm = floatModule.clone(), qm = quantModule.clone();
  func::FuncOp ff = getModelFunction(*fm), qf = getModelFunction(*qm);
  unsigned numOutputs = ff.getNumResults();
  // Float values by op name.
  // A ReLU that quantization folded into its producer (the producer's range
  // was narrowed) is compared after the float ReLU.
  llvm::StringMap<Value> floatByName, floatClamped;
  auto clampUser = [](Value v) -> Value {
    if (v.hasOneUse())
      if (auto clamp = dyn_cast<ClampOp>(*v.getUsers().begin()))
        return clamp.getResult();
    return Value();
  };
  ff.walk([&](Operation *op) {
    std::string n = nameOf(op->getLoc());
    if (!n.empty() && op->getNumResults() == 1 && isF32Tensor(op->getResult(0)) &&
        !op->hasTrait<OpTrait::ConstantLike>()) {
      floatByName[n] = op->getResult(0);
      if (Value c = clampUser(op->getResult(0)))
        floatClamped[n] = c;
    }
  });
  // Quantized counterparts, in graph order: returned as they are stored
  // (per-tensor quantized values are dequantized here, as qc.dequantize
  // does: float(q - zp) * scale; a fraction of the f32 bytes to fault in
  // and write), else dequantized in the model.
  SmallVector<Value> fv, qv;
  std::vector<std::optional<QuantParams>> dequant;
  std::vector<LayerError> layers;
  auto tap = [&](Value q) -> Value {
    auto t = cast<RankedTensorType>(q.getType());
    if (auto pt = getPerTensorType(t);
        pt && pt.getStorageTypeIntegralWidth() <= 16) {
      dequant.push_back(QuantParams{pt.getScale(), pt.getZeroPoint()});
      return q;
    }
    dequant.push_back(std::nullopt);
    OpBuilder b(q.getContext());
    b.setInsertionPointAfterValue(q);
    return DequantizeOp::create(b, q.getLoc(), t.clone(b.getF32Type()), q,
                                Value(), Value(), IntegerAttr());
  };
  llvm::StringSet<> done;
  qf.walk([&](Operation *op) {
    std::string n = nameOf(op->getLoc());
    if (n.empty() || op->getNumResults() != 1 || done.contains(n) ||
        isa<DequantizeOp, QuantizeOp, qc::ConstantOp, arith::ConstantOp,
            StatsOp>(op))
      return;
    Value r = op->getResult(0);
    auto it = floatByName.find(n);

    auto rt = dyn_cast<RankedTensorType>(r.getType());
    if (it == floatByName.end() || !rt ||
        cast<RankedTensorType>(it->second.getType()).getShape() !=
            rt.getShape())
      return;
    if (isQuantized(rt)) {
      r = tap(r);
    } else if (!isF32Tensor(r)) {
      return;
    } else if (r.hasOneUse() && isa<QuantizeOp>(*r.getUsers().begin())) {
      // Computed in f32 and quantized for its users: compare what they
      // see (the quantization may carry a folded ReLU).
      r = tap(cast<QuantizeOp>(*r.getUsers().begin()).getResult());
    } else {
      dequant.push_back(std::nullopt);
    }
    done.insert(n);
    Value reference = it->second;
    if (floatClamped.count(n) && !clampUser(op->getResult(0)))
      reference = floatClamped.lookup(n);
    fv.push_back(reference);
    qv.push_back(r);
    layers.push_back({n, op->getName().stripDialect().str(), 0});
  });
  // Both models run the same batches: rebatched when both keep their
  // samples apart, else at the model's batch.
  BatchPlan plan;
  std::vector<std::vector<HostArray>> batches;
  std::string err = planBatches(ff, samples, plan, batches);
  if (!err.empty())
    return floatModule.emitError("report: ") << err;
  std::optional<DenseSet<Value>> quantBatched =
      analyzeBatchSeparability(qf, plan.modelBatch);
  BatchPlan quantPlan = plan;
  quantPlan.batched = quantBatched;
  if (plan.batched && !quantBatched) {
    plan.batched.reset();
    batches.clear();
    plan = BatchPlan();
    err = planBatches(qf, samples, plan, batches);
    if (!err.empty())
      return quantModule.emitError("report: ") << err;
    plan.batched.reset();
    quantPlan = plan;
  }
  addOutputs(ff, fv);
  addOutputs(qf, qv);
  applyBatchPlan(*fm, plan);
  applyBatchPlan(*qm, quantPlan);
  CompileOptions compile = jitOptions(timing);
  std::string error;
  auto fr = Runner::create(*fm, compile, error);
  if (!fr)
    return floatModule.emitError("report: ") << error;
  auto qr = Runner::create(*qm, compile, error);
  if (!qr)
    return quantModule.emitError("report: ") << error;
  std::vector<double> signal(layers.size(), 0), noise(layers.size(), 0);
  std::vector<HostArray> fo, qo;
  TimingScope running = timing ? timing->nest("run both") : TimingScope();
  for (const auto &s : batches) {
    TimingScope tf = running ? running.nest("float model") : TimingScope();
    if (std::string e = fr->run(s, fo); !e.empty())
      return floatModule.emitError("report: ") << e;
    tf.stop();
    TimingScope tq = running ? running.nest("quantized model") : TimingScope();
    if (std::string e = qr->run(s, qo); !e.empty())
      return quantModule.emitError("report: ") << e;
    tq.stop();
    TimingScope ts = running ? running.nest("compare") : TimingScope();
    for (size_t i = 0; i < layers.size(); ++i) {
      const float *a = floats(fo[numOutputs + i]);
      const HostArray &qa = qo[numOutputs + i];
      double s = 0, e = 0;
      auto add = [&](auto value) {
        for (int64_t k = 0, n = fo[numOutputs + i].numElements(); k < n; ++k) {
          float d = a[k] - value(k);
          s += double(a[k]) * a[k];
          e += double(d) * d;
        }
      };
      if (const std::optional<QuantParams> &p = dequant[i]) {
        float scale = float(p->scale);
        int32_t zp = int32_t(p->zeroPoint);
        auto stored = [&](auto v) {
          using T = decltype(v);
          const T *q = reinterpret_cast<const T *>(qa.data.data());
          add([&](int64_t k) { return float(int32_t(q[k]) - zp) * scale; });
        };
        if (qa.dtype == "uint8")
          stored(uint8_t());
        else if (qa.dtype == "int8")
          stored(int8_t());
        else
          stored(int16_t());
      } else {
        const float *q = floats(qa);
        add([&](int64_t k) { return q[k]; });
      }
      signal[i] += s;
      noise[i] += e;
    }
  }
  for (size_t i = 0; i < layers.size(); ++i)
    layers[i].sqnrDb = noise[i] == 0 ? std::numeric_limits<double>::infinity()
                                     : 10 * std::log10(signal[i] / noise[i]);
  errors = std::move(layers);
  return success();
}
