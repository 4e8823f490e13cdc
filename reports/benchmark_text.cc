#include "reports/benchmark_text.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "profiler/stats.h"

namespace litescope::reports {
namespace {

constexpr int kTopByTimeRows = 10;

// TFLite's InitField: a tab, then the value right-aligned in `width` characters.
std::string Field(const std::string& value, int width) {
  std::string s = "\t";
  if (static_cast<int>(value.size()) < width)
    s.append(static_cast<size_t>(width) - value.size(), ' ');
  return s + value;
}

std::string Fixed3(double v) { return fmt::format("{:.3f}", v); }

// TFLite's Stat<int64_t>::OutputToStream over integer samples, optionally with percentiles.
// TFLite's Stat line over the whole-microsecond samples of a run set: "count=N first=F curr=C
// min=.. max=.. avg=.. std=.." (or "count=N curr=C(all same)"), plus the percentiles.
std::string FormatIntStat(const profiler::RunSamples& runs, bool percentiles) {
  const profiler::Summary s = runs.Summarize(profiler::RunSamples::Measure::kWholeWallUs);
  auto i = [](double v) { return std::to_string(static_cast<int64_t>(v)); };
  std::string out;
  if (s.count == 0) {
    out = "count=0";
  } else if (s.all_same()) {
    out = "count=" + std::to_string(s.count) + " curr=" + i(s.last);
    if (s.count > 1) out += "(all same)";
  } else {
    // TFLite computes the variance as E[x^2] - E[x]^2 and truncates it and the deviation to
    // integers.
    const double n = static_cast<double>(s.count);
    const double mean = runs.whole_wall_us().sum() / n;
    const double variance = runs.whole_wall_us_sum_squares() / n - mean * mean;
    const auto std_dev = static_cast<int64_t>(
        std::sqrt(static_cast<double>(static_cast<int64_t>(std::max(0.0, variance)))));
    out = "count=" + std::to_string(s.count) + " first=" + i(s.first) + " curr=" + i(s.last) +
          " min=" + i(s.min) + " max=" + i(s.max) + " avg=" + FormatStreamDouble(mean) +
          " std=" + std::to_string(std_dev);
  }
  if (percentiles) out += " p5=" + i(s.p5) + " median=" + i(s.median) + " p95=" + i(s.p95);
  return out;
}

std::string FlagText(const FlagRecord& f) {
  switch (f.type) {
    case FlagRecord::Type::kBool:
      return f.bool_value ? "1" : "0";
    case FlagRecord::Type::kInt:
      return std::to_string(f.int_value);
    case FlagRecord::Type::kFloat:
      return FormatStreamDouble(f.float_value);
    case FlagRecord::Type::kString:
      return f.string_value;
  }
  return "";
}

// A node's share of its table's total time, in percent.
double Percent(double part, double total) { return total > 0 ? part * 100.0 / total : 0; }

std::string NodeHeader(const std::string& title) {
  return "============================== " + title + " ==============================\n" +
         Field("[node type]", 24) + Field("[first]", 9) + Field("[avg ms]", 9) + Field("[%]", 8) +
         Field("[cdf%]", 8) + Field("[mem KB]", 10) + Field("[times called]", 9) + "\t[Name]\n";
}

std::string NodeRow(const profiler::NodeStats& n, double cumulative_us, double total_us,
                    int64_t runs) {
  const int64_t per_run = runs > 0 ? n.times_called / runs : 0;
  return Field(n.type, 24) + Field(Fixed3(n.time_us.first() / 1000.0), 9) +
         Field(Fixed3(n.time_us.mean() / 1000.0), 9) +
         Field(Fixed3(Percent(n.time_us.sum(), total_us)), 7) + "%" +
         Field(Fixed3(Percent(cumulative_us, total_us)), 7) + "%" + Field(Fixed3(0), 10) +
         Field(std::to_string(per_run), 9) + "\t" + n.name + "\n";
}

std::vector<const profiler::NodeStats*> ByTime(const profiler::OpStatsTable& t) {
  std::vector<const profiler::NodeStats*> rows;
  for (const auto& n : t.nodes) rows.push_back(&n);
  std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return a->time_us.mean() > b->time_us.mean();
  });
  return rows;
}

struct TypeRow {
  std::string type;
  int64_t count = 0;
  double us_per_run = 0;
  int64_t times_called = 0;
};

// TFLite's ComputeStatsByType: per node type, the node count, the time per run and the calls
// per run, largest time first.
std::vector<TypeRow> ByType(const profiler::OpStatsTable& t, double* total_us_per_run) {
  std::map<std::string, TypeRow> by_type;
  const int64_t runs = t.num_runs();
  *total_us_per_run = 0;
  for (const auto& n : t.nodes) {
    TypeRow& r = by_type[n.type];
    r.type = n.type;
    r.count += 1;
    const double us = n.avg_us_per_run(runs);
    r.us_per_run += us;
    *total_us_per_run += us;
    r.times_called += runs > 0 ? n.times_called / runs : 0;
  }
  std::vector<TypeRow> rows;
  for (auto& [type, row] : by_type) rows.push_back(row);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const TypeRow& a, const TypeRow& b) { return a.us_per_run > b.us_per_run; });
  return rows;
}

std::string TableText(const profiler::OpStatsTable& t) {
  std::string out;
  const double total = t.run_total_us.sum();
  const int64_t runs = t.num_runs();
  out += NodeHeader("Run Order");
  double cumulative = 0;
  for (const auto& n : t.nodes) {
    cumulative += n.time_us.sum();
    out += NodeRow(n, cumulative, total, runs);
  }
  out += "\n" + NodeHeader("Top by Computation Time");
  cumulative = 0;
  int shown = 0;
  for (const auto* n : ByTime(t)) {
    if (++shown > kTopByTimeRows) break;
    cumulative += n->time_us.sum();
    out += NodeRow(*n, cumulative, total, runs);
  }
  out += "\n";
  out += "Number of nodes executed: " + std::to_string(t.nodes.size()) + "\n";
  out += "============================== Summary by node type ==============================\n";
  out += Field("[Node type]", 24) + Field("[count]", 9) + Field("[avg ms]", 10) +
         Field("[avg %]", 11) + Field("[cdf %]", 11) + Field("[mem KB]", 10) +
         Field("[times called]", 10) + "\n";
  double type_total = 0;
  double cdf = 0;
  for (const TypeRow& r : ByType(t, &type_total)) {
    const double pct = Percent(r.us_per_run, type_total);
    cdf += pct;
    out += Field(r.type, 24) + Field(std::to_string(r.count), 9) +
           Field(Fixed3(r.us_per_run / 1000.0), 10) + Field(Fixed3(pct), 10) + "%" +
           Field(Fixed3(cdf), 10) + "%" + Field(Fixed3(0), 10) +
           Field(std::to_string(r.times_called), 9) + "\n";
  }
  out += "\n";
  return out;
}

std::string ShortSummary(const profiler::OpStatsTable& t) {
  const profiler::RunningStat& s = t.run_total_us;
  auto i = [](double v) { return std::to_string(static_cast<int64_t>(v)); };
  std::string stat;
  if (s.empty()) {
    stat = "count=0";
  } else if (static_cast<int64_t>(s.min()) == static_cast<int64_t>(s.max())) {
    // All equal at TFLite's integer-microsecond resolution.
    stat = "count=" + std::to_string(s.count()) + " curr=" + i(s.last());
    if (s.count() > 1) stat += "(all same)";
  } else {
    stat = "count=" + std::to_string(s.count()) + " first=" + i(s.first()) +
           " curr=" + i(s.last()) + " min=" + i(s.min()) + " max=" + i(s.max()) +
           " avg=" + FormatStreamDouble(s.mean()) + " std=" + i(s.std_dev());
  }
  return "Timings (microseconds): " + stat + "\nMemory (bytes): count=0\n" +
         std::to_string(t.nodes.size()) + " nodes observed\n";
}

// CSV cell with RFC 4180 quoting.
std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

// CSV numbers: milliseconds with nanosecond resolution, percentages with 3 decimals.
std::string Ms(double v) { return fmt::format("{:.6f}", v); }
std::string Pct(double v) { return fmt::format("{:.3f}", v); }

std::string GraphKind(const profiler::OpStatsTable& t) {
  if (t.kind == profiler::OpStatsTable::Kind::kDelegateInternal) return "delegate_internal";
  if (t.kind == profiler::OpStatsTable::Kind::kDevice) return "device";
  return t.subgraph == 0 ? "primary" : "subgraph";
}

void CsvSection(const char* section, const profiler::OpStats& stats, std::string* out) {
  for (const profiler::OpStatsTable* t : stats.tables()) {
    const std::string prefix =
        std::string(section) + "," + GraphKind(*t) + "," + std::to_string(t->subgraph) + ",";
    const double total = t->run_total_us.sum();
    const int64_t runs = t->num_runs();
    double cumulative = 0;
    int rank = 0;
    for (const auto& n : t->nodes) {
      cumulative += n.time_us.sum();
      *out += prefix + "run_order," + std::to_string(++rank) + "," + Csv(n.type) + "," +
              Csv(n.name) + "," + std::to_string(n.node) + "," + Csv(n.backend) + ",," +
              Ms(n.time_us.first() / 1000.0) + "," + Ms(n.time_us.mean() / 1000.0) + "," +
              Pct(Percent(n.time_us.sum(), total)) + "," + Pct(Percent(cumulative, total)) + ",0," +
              std::to_string(runs > 0 ? n.times_called / runs : 0) + "\n";
    }
    double type_total = 0;
    double cdf = 0;
    rank = 0;
    for (const TypeRow& r : ByType(*t, &type_total)) {
      const double pct = Percent(r.us_per_run, type_total);
      cdf += pct;
      *out += prefix + "summary_by_type," + std::to_string(++rank) + "," + Csv(r.type) + ",,,," +
              std::to_string(r.count) + ",," + Ms(r.us_per_run / 1000.0) + "," + Pct(pct) + "," +
              Pct(cdf) + ",0," + std::to_string(r.times_called) + "\n";
    }
  }
}

}  // namespace

std::string FormatStreamDouble(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

std::string FormatParamEcho(const std::vector<FlagRecord>& flags, bool verbose) {
  std::string out =
      std::string("Log parameter values verbosely: [") + (verbose ? "1" : "0") + "]\n";
  for (const FlagRecord& f : flags) {
    if (f.label.empty() || !(verbose || f.set || f.always_echo)) continue;
    out += f.label + ": [" + FlagText(f) + "]\n";
  }
  return out;
}

std::string FormatLoadedModel(const std::string& path) { return "Loaded model " + path + "\n"; }

std::string FormatInitSummary(int64_t model_size_bytes, double init_us) {
  std::string out;
  if (model_size_bytes > 0)
    out += "The input model file size (MB): " +
           FormatStreamDouble(static_cast<double>(model_size_bytes) / 1e6) + "\n";
  return out + "Initialized session in " + FormatStreamDouble(init_us / 1e3) + "ms.\n";
}

std::string FormatSignatureList(const std::vector<std::string>& keys) {
  std::string out = "The Model contains " + std::to_string(keys.size()) + " signature key(s).\n";
  if (!keys.empty()) out += "They are listed below: \n";
  for (const std::string& k : keys) out += "-> Signature Key: " + k + "\n";
  return out;
}

std::string FormatRunBanner(int min_runs, double min_secs, double max_secs) {
  return "Running benchmark for at least " + std::to_string(min_runs) +
         " iterations and at least " + FormatStreamDouble(min_secs) +
         " seconds but terminate if exceeding " + FormatStreamDouble(max_secs) + " seconds.\n";
}

std::string FormatLatencyLine(const profiler::RunSamples& runs) {
  return FormatIntStat(runs, /*percentiles=*/true) + "\n";
}

std::string FormatTimingSummary(const BenchmarkResult& r) {
  // Means of the whole-microsecond samples, as TFLite's (sum / count).
  auto mean = [](const profiler::RunningStat& s) {
    return s.count() ? s.sum() / static_cast<double>(s.count()) : 0.0;
  };
  const profiler::RunningStat& warmup = r.warmup_runs.whole_wall_us();
  const profiler::RunningStat& regular = r.regular_runs.whole_wall_us();
  return "Inference timings in us: Init: " + std::to_string(static_cast<int64_t>(r.init_us)) +
         ", First inference: " + std::to_string(static_cast<int64_t>(warmup.first())) +
         ", Warmup (avg): " + FormatStreamDouble(mean(warmup)) +
         ", Inference (avg): " + FormatStreamDouble(mean(regular)) + "\n";
}

std::string FormatNoiseLine(const BenchmarkResult& r) {
  const profiler::NoiseStats& n = r.regular_noise;
  if (n.runs == 0) return "";
  std::string out =
      fmt::format("Noise (regular runs): cv={:.1f}% iqr={:.4g} us outliers={} slow {} fast",
                  100 * n.cv, n.iqr_us, n.outliers_high, n.outliers_low);
  if (n.median_ci_valid)
    out += fmt::format(", median {:.4g} us, 95% CI [{:.4g}, {:.4g}] us (+-{:.1f}%)", n.median_us,
                       n.median_ci_low_us, n.median_ci_high_us, n.median_ci_half_width_pct);
  if (n.kept < n.runs) out += fmt::format(" (order statistics over {} kept runs)", n.kept);
  return out + "\n";
}

std::string FormatPrecisionNote(const BenchmarkResult& r) {
  const profiler::RunningStat& wall = r.regular_runs.wall_us();
  if (wall.count() == 0 || wall.mean() >= 10) return "";
  return fmt::format(
      "Note: the timing lines above truncate each run to whole microseconds, as TensorFlow "
      "Lite does; these runs average {:.4g} us, so the truncated figures are off by up to 1 us "
      "per run. The JSON report (--report_json, latency.regular.stats) has exact values.\n",
      wall.mean());
}

std::string FormatMemoryBreakdown(const BenchmarkResult& r) {
  const std::vector<profiler::MemoryStep>& steps = r.memory.steps;
  if (steps.size() < 2 || steps.front().memory.vm_rss_bytes < 0) return "";
  auto mb = [](int64_t b) { return static_cast<double>(b) / (1024.0 * 1024.0); };
  std::string out = "Memory breakdown (resident growth per step, MB):";
  for (size_t i = 1; i < steps.size(); ++i) {
    const int64_t grew = steps[i].memory.vm_rss_bytes - steps[i - 1].memory.vm_rss_bytes;
    out += fmt::format("{} {} {:+.2f}", i == 1 ? "" : ",", steps[i].step, mb(grew));
    if (steps[i].step == "model loaded")
      out += fmt::format(" ({} {:.2f} MB)", r.memory.model.model_mapped ? "file mapped" : "copied",
                         mb(r.memory.model.model_file_bytes));
    if (steps[i].step == "tensors allocated")
      out += fmt::format(" (arena {:.2f} MB planned)", mb(r.memory.model.arena_bytes));
  }
  const int64_t total = steps.back().memory.vm_rss_bytes - steps.front().memory.vm_rss_bytes;
  out += fmt::format("; total {:+.2f}\n", mb(total));
  return out;
}

std::string FormatMemorySummary(const BenchmarkResult& r) {
  const MemoryFigures& m = r.memory;
  std::string out;
  if (m.init_footprint_delta_mb < 0) return out;
  out +=
      "Note: as the benchmark tool itself affects memory footprint, the following is only "
      "APPROXIMATE to the actual memory footprint of the model at runtime. Take the "
      "information at your discretion.\n";
  out += "Memory footprint delta from the start of the tool (MB): init=" +
         FormatStreamDouble(m.init_footprint_delta_mb) +
         " overall=" + FormatStreamDouble(m.overall_footprint_delta_mb) + "\n";
  if (m.peak_rss_bytes >= 0)
    out += "Overall peak memory footprint (MB) via periodic monitoring: " +
           FormatStreamDouble(static_cast<double>(m.peak_rss_bytes) / (1024.0 * 1024.0)) + "\n";
  const profiler::ProcessMemory& e = m.at_end;
  if (e.vm_rss_bytes >= 0) {
    auto mb = [](int64_t b) { return std::to_string(std::max<int64_t>(b, 0) / (1024 * 1024)); };
    out += "Memory status at the end of exeution:\n";
    out += "- VmRSS              : " + mb(e.vm_rss_bytes) + " MB\n";
    out += "+ RssAnnon           : " + mb(e.rss_anon_bytes) + " MB\n";
    out += "+ RssFile + RssShmem : " +
           mb(std::max<int64_t>(e.rss_file_bytes, 0) + std::max<int64_t>(e.rss_shmem_bytes, 0)) +
           " MB\n";
  }
  return out;
}

std::string FormatOpProfileTables(const profiler::OpStats& stats) {
  std::string out;
  const std::vector<const profiler::OpStatsTable*> tables = stats.tables();
  bool non_primary = false;
  for (const auto* t : tables)
    if (t->kind == profiler::OpStatsTable::Kind::kSubgraph && t->subgraph != 0) non_primary = true;
  for (const auto* t : tables) {
    if (t->kind == profiler::OpStatsTable::Kind::kDelegateInternal) {
      out += "Delegate internal: \n" + TableText(*t) + ShortSummary(*t) + "\n";
      continue;
    }
    if (t->kind == profiler::OpStatsTable::Kind::kDevice) {
      out += "Device (times measured by the backend's device, and its copies): \n" + TableText(*t) +
             ShortSummary(*t) + "\n";
      continue;
    }
    const std::string sub =
        "Subgraph (index: " + std::to_string(t->subgraph) + ", name: " + t->subgraph_name + ") ";
    if (non_primary)
      out += t->subgraph == 0 ? "Primary graph (name: " + t->subgraph_name + ") profile:\n"
                              : sub + "profile:\n";
    out += TableText(*t);
    if (t->subgraph != 0) out += sub;
    out += ShortSummary(*t) + "\n";
  }
  return out;
}

std::string FormatOpProfileText(const BenchmarkResult& r) {
  std::string out;
  if (r.init_ops)
    out += "Profiling Info for Benchmark Initialization:\n" + FormatOpProfileTables(*r.init_ops) +
           "\n";
  if (r.regular_ops)
    out += "Operator-wise Profiling Info for Regular Benchmark Runs:\n" +
           FormatOpProfileTables(*r.regular_ops) + "\n";
  if (r.delegate_ops_scaled && !r.partition_scales.empty()) {
    out +=
        "Delegate internal times: the timed runs ran each partition fused; per-op shares come "
        "from separate per-node rounds, scaled to the fused time:\n";
    for (const profiler::PartitionScale& p : r.partition_scales)
      out += fmt::format(
          "  subgraph {} partition {}: fused {:.3f} ms, per-node sum {:.3f} ms, "
          "scale {:.3f}\n",
          p.subgraph, p.partition, p.fused_us_per_run / 1000.0, p.breakdown_us_per_run / 1000.0,
          p.factor);
    out += "\n";
  }
  return out;
}

std::string FormatOpProfileCsv(const BenchmarkResult& r) {
  std::string out =
      "section,graph,subgraph_index,table,rank,node_type,name,node_index,backend,node_count,"
      "first_ms,avg_ms,percent,cdf_percent,mem_kb,times_called\n";
  if (r.init_ops) CsvSection("init", *r.init_ops, &out);
  if (r.regular_ops) CsvSection("regular", *r.regular_ops, &out);
  return out;
}

}  // namespace litescope::reports
