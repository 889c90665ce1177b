//===- Report.cpp - The HTML quantization report --------------------------===//
//
// A self-contained page: the end-to-end fidelity before and after the
// precision search (a chart of every model it measured), a bar chart of
// each layer's SQNR colored by its precision, and tables with each layer's
// sensitivity, precision and why, and the weight schemes.
//
//===----------------------------------------------------------------------===//

#include "Report.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir::qc;
using namespace qctool;

std::string qctool::htmlEscape(llvm::StringRef s) {
  std::string r;
  for (char c : s)
    r += c == '<'   ? "&lt;"
         : c == '>' ? "&gt;"
         : c == '&' ? "&amp;"
         : c == '"' ? "&quot;"
                    : std::string(1, c);
  return r;
}

static std::string dbText(double db, const char *format = "{0:F1} dB") {
  return std::isfinite(db) ? llvm::formatv(format, db).str()
                           : std::string("exact");
}

/// A metric value as the report prints it: a percentage, or dB.
static std::string metricText(const PrecisionResult &p, double v) {
  if (p.metric == FidelityMetric::Error)
    return dbText(v);
  return llvm::formatv("{0:F2}%", 100 * v).str();
}

/// The precision search: before and after, and a chart of the loss of
/// every model measured against the budget.
static void renderSearch(llvm::raw_ostream &os, const PrecisionResult &p,
                         double budget) {
  const PrecisionStep &first = p.steps.front(), &chosen = p.steps[p.chosen];
  unsigned kept = 0;
  for (const LayerPrecision &l : p.layers)
    kept += l.keptFloat;
  os << "<h2>Precision</h2><p>Budget: "
     << (p.metric == FidelityMetric::Error
             ? llvm::formatv("an output error energy of at most {0:F3}% of "
                             "the signal (an SQNR of at least {1:F1} dB)",
                             100 * budget, -10 * std::log10(budget))
                   .str()
             : llvm::formatv("a relative loss of at most {0:F2}% of the {1}",
                             100 * budget, p.metricName)
                   .str())
     << ", measured on " << p.examples << " calibration examples"
     << (p.metric == FidelityMetric::Accuracy
             ? " (f32: " + metricText(p, p.floatMetric) + ")"
             : std::string())
     << ".</p><table><tr><th>model</th><th>" << htmlEscape(p.metricName)
     << "</th><th>relative loss</th><th>layers in f32</th></tr>";
  auto row = [&](const char *what, const PrecisionStep &s, unsigned f32) {
    os << "<tr><td>" << what << "</td><td>" << metricText(p, s.metric)
       << "</td><td" << (s.met ? "" : " class=\"bad\"") << ">"
       << llvm::formatv("{0:F3}%", 100 * s.loss) << "</td><td>" << f32 << " of "
       << p.layers.size() << "</td></tr>";
  };
  row("all int8", first, kept - chosen.keptFloat);
  row("chosen", chosen, kept);
  os << "</table><p>"
     << (p.met ? "The budget holds."
               : "<b>The budget is not met</b> within "
                 "the evaluations; the chosen model "
                 "has the lowest loss measured.")
     << " " << p.steps.size() << " models measured; " << p.candidates
     << " int8 layers were candidates, ranked by the noise each adds.</p>";
  // Loss (log scale) against the number of layers in f32.
  int width = 640, height = 220, left = 70, bottom = 30;
  unsigned maxK = 1;
  double lo = budget > 0 ? budget : 1e-4, hi = budget > 0 ? budget : 1e-4;
  for (const PrecisionStep &s : p.steps) {
    maxK = std::max(maxK, s.keptFloat);
    if (s.loss > 0) {
      lo = std::min(lo, s.loss);
      hi = std::max(hi, s.loss);
    }
  }
  lo = std::pow(10, std::floor(std::log10(lo)));
  hi = std::pow(10, std::ceil(std::log10(hi) + 1e-9));
  if (hi <= lo)
    hi = lo * 10;
  auto x = [&](unsigned k) {
    return llvm::formatv("{0:F1}",
                         left + double(k) / maxK * (width - left - 20))
        .str();
  };
  auto yAt = [&](double loss) {
    double v = std::log10(std::max(loss, lo));
    return 10 + (std::log10(hi) - v) / (std::log10(hi) - std::log10(lo)) *
                    (height - bottom - 10);
  };
  auto y = [&](double loss, double offset = 0) {
    return llvm::formatv("{0:F1}", yAt(loss) + offset).str();
  };
  os << "<svg width=\"" << width << "\" height=\"" << height
     << "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">";
  os << "<line x1=\"" << left << "\" y1=\"" << height - bottom << "\" x2=\""
     << width - 10 << "\" y2=\"" << height - bottom
     << "\" stroke=\"#999\"/><line x1=\"" << left << "\" y1=\"10\" x2=\""
     << left << "\" y2=\"" << height - bottom << "\" stroke=\"#999\"/>";
  for (double t = lo; t <= hi * 1.0001; t *= 10)
    os << "<text x=\"" << left - 4 << "\" y=\"" << y(t, 4)
       << "\" text-anchor=\"end\">" << llvm::formatv("{0}%", 100 * t)
       << "</text>";
  os << "<text x=\"" << (left + width) / 2 << "\" y=\"" << height - 4
     << "\" text-anchor=\"middle\">layers kept in f32 by the search</text>";
  if (budget > 0)
    os << "<line x1=\"" << left << "\" y1=\"" << y(budget) << "\" x2=\""
       << width - 10 << "\" y2=\"" << y(budget)
       << "\" stroke=\"#d9534f\" stroke-dasharray=\"4 3\"/><text x=\""
       << width - 12 << "\" y=\"" << y(budget, -4)
       << "\" text-anchor=\"end\" fill=\"#d9534f\">budget</text>";
  for (auto [i, s] : llvm::enumerate(p.steps))
    os << "<circle cx=\"" << x(s.keptFloat) << "\" cy=\"" << y(s.loss)
       << "\" r=\"" << (i == p.chosen ? 6 : 4) << "\" fill=\""
       << (s.met ? "#5cb85c" : "#d9534f") << "\"><title>" << s.keptFloat
       << " in f32: loss " << llvm::formatv("{0:F3}%", 100 * s.loss)
       << "</title></circle>";
  os << "</svg>";
}

std::string qctool::renderReport(const ReportData &d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>qc report: "
     << htmlEscape(d.model) << "</title><style>body{font-family:sans-serif;"
     << "margin:2em;max-width:70em}table{border-collapse:collapse}td,th{"
     << "border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:"
     << "#eee}.bad{color:#b00}.f32{color:#2a6ebb}</style></head><body>";
  os << "<h1>Quantization report: " << htmlEscape(d.model) << "</h1>";
  if (d.precision)
    renderSearch(os, *d.precision, d.budget);
  llvm::StringMap<const LayerPrecision *> precision;
  if (d.precision)
    for (const LayerPrecision &l : d.precision->layers)
      precision[l.name] = &l;
  auto isFloat = [&](const LayerError &l) {
    const LayerPrecision *p = precision.lookup(l.name);
    return p && p->keptFloat;
  };
  os << "<h2>Layers</h2><p>Error of each layer's output against the float "
     << "model's, as signal-to-quantization-noise ratio (higher is better), "
     << "measured on " << d.samples << " calibration samples ("
     << htmlEscape(d.method)
     << " calibration). Errors accumulate along the graph; below about 20 dB "
     << "a layer deserves a look."
     << (d.precision ? " Blue bars are layers in f32; a tick marks the "
                       "layer's SQNR in the all-int8 model."
                     : "")
     << "</p>";
  double maxDb = 1;
  for (const LayerError &l : d.layers)
    if (std::isfinite(l.sqnrDb))
      maxDb = std::max(maxDb, l.sqnrDb);
  int barH = 22, width = 1100, labelW = 380;
  int height = barH * int(d.layers.size()) + 40;
  auto barWidth = [&](double db) {
    db = std::isfinite(db) ? db : maxDb;
    return int(std::clamp(db, 0.0, maxDb) / maxDb * (width - labelW - 80));
  };
  os << "<svg width=\"" << width << "\" height=\"" << height
     << "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">";
  for (size_t i = 0; i < d.layers.size(); ++i) {
    const LayerError &l = d.layers[i];
    double db = std::isfinite(l.sqnrDb) ? l.sqnrDb : maxDb;
    int w = barWidth(l.sqnrDb);
    int y = 10 + int(i) * barH;
    const char *color = isFloat(l) ? "#2a6ebb"
                        : db < 20  ? "#d9534f"
                        : db < 30  ? "#f0ad4e"
                                   : "#5cb85c";
    os << "<text x=\"" << labelW - 6 << "\" y=\"" << y + 15
       << "\" text-anchor=\"end\">" << htmlEscape(l.name) << " ("
       << htmlEscape(l.op) << ")</text>";
    os << "<rect x=\"" << labelW << "\" y=\"" << y + 3 << "\" width=\"" << w
       << "\" height=\"" << barH - 6 << "\" fill=\"" << color << "\"/>";
    if (const LayerPrecision *p = precision.lookup(l.name)) {
      int t = labelW + barWidth(p->sqnrDb);
      os << "<line x1=\"" << t << "\" y1=\"" << y + 1 << "\" x2=\"" << t
         << "\" y2=\"" << y + barH - 1 << "\" stroke=\"#333\" "
         << "stroke-width=\"2\"/>";
    }
    os << "<text x=\"" << labelW + w + 6 << "\" y=\"" << y + 15 << "\">"
       << dbText(l.sqnrDb) << "</text>";
  }
  os << "</svg>";
  os << "<table><tr><th>layer</th><th>op</th><th>SQNR (dB)</th>";
  if (d.precision)
    os << "<th>SQNR all int8 (dB)</th><th>sensitivity (noise added)</th>"
          "<th>precision and why</th>";
  os << "</tr>";
  for (const LayerError &l : d.layers) {
    os << "<tr><td>" << htmlEscape(l.name) << "</td><td>" << htmlEscape(l.op)
       << "</td><td" << (l.sqnrDb < 20 ? " class=\"bad\"" : "") << ">"
       << dbText(l.sqnrDb, "{0:F2}") << "</td>";
    if (d.precision) {
      if (const LayerPrecision *p = precision.lookup(l.name))
        os << "<td>" << dbText(p->sqnrDb, "{0:F2}") << "</td><td>"
           << llvm::formatv("{0:E2}", p->sensitivity) << "</td><td"
           << (p->keptFloat ? " class=\"f32\"" : "") << ">"
           << htmlEscape(p->reason) << "</td>";
      else
        os << "<td></td><td></td><td></td>";
    }
    os << "</tr>";
  }
  os << "</table><h2>Weight schemes</h2><table><tr><th>layer</th><th>choice "
        "and why</th></tr>";
  for (const auto &[layer, why] : d.schemes)
    os << "<tr><td>" << htmlEscape(layer) << "</td><td>" << htmlEscape(why)
       << "</td></tr>";
  os << "</table></body></html>\n";
  return s;
}
