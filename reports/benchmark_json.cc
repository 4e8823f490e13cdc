#include "reports/benchmark_json.h"

#include <cmath>

#include "profiler/stats.h"
#include "reports/git_revision.h"

#ifndef LITESCOPE_VERSION
#define LITESCOPE_VERSION "unknown"
#endif
#ifndef LITESCOPE_BUILD_TYPE
#define LITESCOPE_BUILD_TYPE "unknown"
#endif

namespace litescope::reports {
namespace {

using nlohmann::json;

json StringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json BytesOrNull(int64_t bytes) { return bytes < 0 ? json(nullptr) : json(bytes); }

json SummaryJson(const profiler::Summary& s) {
  return {{"count", s.count},
          {"first", s.first},
          {"last", s.last},
          {"min", s.min},
          {"max", s.max},
          {"mean", s.mean},
          {"std_dev", s.std_dev},
          {"p5", s.p5},
          {"median", s.median},
          {"p95", s.p95},
          {"trimmed_mean", s.trimmed_mean},
          {"trim_fraction", profiler::kDefaultTrimFraction}};
}

json RunningJson(const profiler::RunningStat& s) {
  return {{"count", s.count()}, {"first", s.first()}, {"last", s.last()},       {"min", s.min()},
          {"max", s.max()},     {"mean", s.mean()},   {"std_dev", s.std_dev()}, {"sum", s.sum()}};
}

// The kept runs (all of them up to the reservoir's capacity) and the statistics: count, min,
// max, mean and std over every run; percentiles over the kept ones (exact while
// samples_exact).
json PhaseJson(const profiler::RunSamples& runs) {
  using Measure = profiler::RunSamples::Measure;
  return {{"samples_us", runs.KeptValues(Measure::kWallUs)},
          {"cpu_samples_us", runs.KeptValues(Measure::kCpuUs)},
          {"samples_total", runs.count()},
          {"samples_exact", runs.exact()},
          {"stats", SummaryJson(runs.Summarize(Measure::kWallUs))},
          {"cpu_stats", SummaryJson(runs.Summarize(Measure::kCpuUs))}};
}

json OutputCheckJson(const OutputCheckRecord& c) {
  json outputs = json::array();
  for (const analyzers::OutputComparison& o : c.outputs) {
    json worst = nullptr;
    if (o.worst_index >= 0)
      worst = {{"index", o.worst_index}, {"got", o.worst_got}, {"want", o.worst_want}};
    // JSON has no infinity: a non-finite difference is written as null.
    auto finite = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    outputs.push_back({{"name", o.name},
                       {"dtype", o.dtype},
                       {"elements", o.elements},
                       {"comparable", o.comparable},
                       {"why_not", o.why_not},
                       {"pass", o.pass},
                       {"bad_elements", o.bad_elements},
                       {"max_abs_diff", finite(o.max_abs_diff)},
                       {"mean_abs_diff", finite(o.mean_abs_diff)},
                       {"exact_fraction", o.exact_fraction},
                       {"worst", worst}});
  }
  return {{"enabled", c.enabled},
          {"against", c.enabled ? json(c.against) : json(nullptr)},
          {"pass", c.enabled ? json(c.pass) : json(nullptr)},
          {"tolerance", {{"atol", c.atol}, {"rtol", c.rtol}, {"max_lsb", c.max_lsb}}},
          {"outputs", outputs}};
}

// Resident memory after each set-up step; -1 fields as null.
json StepsJson(const std::vector<profiler::MemoryStep>& steps) {
  auto bytes = [](int64_t b) { return b >= 0 ? json(b) : json(nullptr); };
  json out = json::array();
  for (const profiler::MemoryStep& s : steps)
    out.push_back({{"step", s.step},
                   {"vm_rss_bytes", bytes(s.memory.vm_rss_bytes)},
                   {"rss_anon_bytes", bytes(s.memory.rss_anon_bytes)},
                   {"rss_file_bytes", bytes(s.memory.rss_file_bytes)}});
  return out;
}

// How the delegate-internal rows were obtained.
json DelegateOpsMethod(const BenchmarkResult& r) {
  if (!r.op_profiling) return nullptr;
  return r.delegate_ops_scaled ? "scaled_to_fused" : "measured";
}

json PartitionScalesJson(const BenchmarkResult& r) {
  json out = json::array();
  for (const profiler::PartitionScale& p : r.partition_scales)
    out.push_back({{"subgraph_index", p.subgraph},
                   {"partition", p.partition},
                   {"fused_us_per_run", p.fused_us_per_run},
                   {"breakdown_us_per_run", p.breakdown_us_per_run},
                   {"factor", p.factor}});
  return out;
}

json NoiseJson(const BenchmarkResult& r) {
  const profiler::NoiseStats& n = r.regular_noise;
  json ci = nullptr;
  if (n.median_ci_valid)
    ci = {{"low_us", n.median_ci_low_us},
          {"high_us", n.median_ci_high_us},
          {"half_width_pct", n.median_ci_half_width_pct}};
  json modes = nullptr;
  if (n.bimodal)
    modes = {
        {"fast_us", n.fast_mode_us}, {"slow_us", n.slow_mode_us}, {"slow_share", n.slow_share}};
  auto or_null = [](const std::vector<double>& v) { return v.empty() ? json(nullptr) : json(v); };
  return {{"runs", n.runs},
          {"kept", n.kept},
          {"cv", n.cv},
          {"q1_us", n.q1_us},
          {"q3_us", n.q3_us},
          {"iqr_us", n.iqr_us},
          {"outliers_low", n.outliers_low},
          {"outliers_high", n.outliers_high},
          {"bimodal", n.bimodal},
          {"modes", modes},
          {"mean_over_median", n.mean_over_median},
          {"median_ci95", ci},
          {"target_ci_pct", r.target_ci_pct > 0 ? json(r.target_ci_pct) : json(nullptr)},
          {"target_ci_reached", r.target_ci_reached},
          {"online_cpus", r.load_before.online_cpus},
          {"load_avg_1min",
           r.load_before.load_avg_1min >= 0 ? json(r.load_before.load_avg_1min) : json(nullptr)},
          {"free_cpus", r.load_before.free_cpus()},
          {"cpu_affinity", r.cpu_affinity},
          {"cpu_mhz_before", or_null(r.cpu_mhz_before)},
          {"cpu_mhz_after", or_null(r.cpu_mhz_after)}};
}

json FlagValue(const FlagRecord& f) {
  switch (f.type) {
    case FlagRecord::Type::kBool:
      return f.bool_value;
    case FlagRecord::Type::kInt:
      return f.int_value;
    case FlagRecord::Type::kFloat:
      return f.float_value;
    case FlagRecord::Type::kString:
      return f.string_value;
  }
  return nullptr;
}

const char* FlagTypeName(FlagRecord::Type t) {
  switch (t) {
    case FlagRecord::Type::kBool:
      return "bool";
    case FlagRecord::Type::kInt:
      return "int";
    case FlagRecord::Type::kFloat:
      return "float";
    case FlagRecord::Type::kString:
      return "string";
  }
  return "string";
}

json TableJson(const profiler::OpStatsTable& t) {
  const bool internal = t.kind == profiler::OpStatsTable::Kind::kDelegateInternal;
  const int64_t runs = t.num_runs();
  const double total = t.run_total_us.sum();
  json nodes = json::array();
  for (const profiler::NodeStats& n : t.nodes) {
    nodes.push_back(
        {{"node_index", n.node},
         {"subgraph_index", n.subgraph},
         {"type", n.type},
         {"name", n.name},
         {"backend", n.backend},
         {"run_order", n.run_order},
         {"times_called", n.times_called},
         {"times_called_per_run",
          runs > 0 ? static_cast<double>(n.times_called) / static_cast<double>(runs) : 0.0},
         {"avg_us_per_run", n.avg_us_per_run(runs)},
         {"percent", total > 0 ? n.time_us.sum() * 100.0 / total : 0.0},
         {"time_us", RunningJson(n.time_us)}});
  }
  const bool device = t.kind == profiler::OpStatsTable::Kind::kDevice;
  return {{"graph", internal ? "delegate_internal"
                    : device ? "device"
                             : (t.subgraph == 0 ? "primary" : "subgraph")},
          {"subgraph_index", t.subgraph},
          {"subgraph_name", t.subgraph_name},
          {"num_runs", runs},
          {"run_total_us", RunningJson(t.run_total_us)},
          {"nodes", nodes}};
}

json PlacementJson(const PlacementRecord& p) {
  json nodes = json::array();
  for (const NodePlacementRecord& n : p.nodes) {
    json refusals = json::array();
    for (const RefusalRecord& r : n.refusals)
      refusals.push_back(
          {{"backend", r.backend}, {"reason_code", r.reason_code}, {"reason", r.reason}});
    nodes.push_back({{"subgraph_index", n.subgraph},
                     {"node_index", n.node},
                     {"type", n.type},
                     {"backend", n.backend},
                     {"partition", n.partition >= 0 ? json(n.partition) : json(nullptr)},
                     {"reason_code", StringOrNull(n.reason_code)},
                     {"reason", n.reason},
                     {"refusals", refusals}});
  }
  json partitions = json::array();
  for (const PartitionRecord& r : p.partitions)
    partitions.push_back({{"subgraph_index", r.subgraph},
                          {"partition", r.index},
                          {"backend", r.backend},
                          {"nodes", r.nodes}});
  return {{"delegates", p.delegates}, {"nodes", nodes}, {"partitions", partitions}};
}

json TablesJson(const profiler::OpStats* stats) {
  json tables = json::array();
  if (stats)
    for (const profiler::OpStatsTable* t : stats->tables()) tables.push_back(TableJson(*t));
  return tables;
}

}  // namespace

const char* CompilerDescription() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

const char* BuildType() { return LITESCOPE_BUILD_TYPE; }

json BenchmarkToJson(const BenchmarkResult& r) {
  json flags = json::object();
  for (const FlagRecord& f : r.flags)
    if (!f.name.empty())
      flags[f.name] = {{"value", FlagValue(f)}, {"type", FlagTypeName(f.type)}, {"set", f.set}};

  const profiler::HostInfo& h = r.host;
  json environment = {
      {"cpu_model", StringOrNull(h.cpu_model)},
      {"cpu_cores", h.cpu_cores},
      {"cpu_governor", StringOrNull(h.cpu_governor)},
      {"cpu_max_mhz", h.cpu_max_mhz > 0 ? json(h.cpu_max_mhz) : json(nullptr)},
      {"load_avg", h.load_avg},
      {"os",
       {{"name", h.os_name},
        {"release", h.os_release},
        {"version", h.os_version},
        {"machine", h.machine}}},
      {"hostname", h.hostname},
      {"cpu_name", h.cpu_name},
      {"isa",
       {{"active", h.isa_active},
        {"highest_supported", h.isa_highest},
        {"compiled", h.isa_compiled},
        {"cpu_features", h.isa_features},
        {"kernels", {{"gemm_f32", h.gemm_f32_kernel}, {"gemm_i8", h.gemm_i8_kernel}}}}},
      {"compiler", CompilerDescription()},
      {"build_type", BuildType()},
      {"litescope_version", LITESCOPE_VERSION},
      {"git_revision", GitRevision()}};

  const MemoryFigures& m = r.memory;
  json memory = {
      {"init_footprint_delta_mb",
       m.init_footprint_delta_mb < 0 ? json(nullptr) : json(m.init_footprint_delta_mb)},
      {"overall_footprint_delta_mb",
       m.overall_footprint_delta_mb < 0 ? json(nullptr) : json(m.overall_footprint_delta_mb)},
      {"peak_rss_bytes", BytesOrNull(m.peak_rss_bytes)},
      {"peak_sample_interval_ms", m.peak_sample_interval_ms},
      {"peak_samples", m.peak_samples},
      {"max_rss_bytes", BytesOrNull(m.max_rss_bytes)},
      {"vm_rss_bytes", BytesOrNull(m.at_end.vm_rss_bytes)},
      {"rss_anon_bytes", BytesOrNull(m.at_end.rss_anon_bytes)},
      {"rss_file_bytes", BytesOrNull(m.at_end.rss_file_bytes)},
      {"rss_shmem_bytes", BytesOrNull(m.at_end.rss_shmem_bytes)},
      {"arena_bytes", m.model.arena_bytes},
      {"persistent_bytes", m.model.persistent_bytes},
      {"model_file_bytes", m.model.model_file_bytes},
      {"model_mapped", m.model.model_mapped},
      {"steps", StepsJson(m.steps)}};

  double node_sum = 0;
  if (r.regular_ops && r.regular_ops->primary()) {
    const profiler::OpStatsTable& t = *r.regular_ops->primary();
    for (const auto& n : t.nodes) node_sum += n.avg_us_per_run(t.num_runs());
  }

  return {{"schema_version", kBenchmarkSchemaVersion},
          {"tool",
           {{"name", r.tool},
            {"version", LITESCOPE_VERSION},
            {"git_revision", GitRevision()},
            {"executable", r.executable}}},
          {"name", ReportName(r)},
          {"benchmark_name", r.benchmark_name},
          {"output_prefix", r.output_prefix},
          {"date", r.date},
          {"environment", environment},
          {"model",
           {{"path", r.model_path},
            {"sha256", r.model_sha256},
            {"size_bytes", r.model_size_bytes},
            {"signature", r.signature}}},
          {"flags", flags},
          {"execution",
           {{"backend", r.backend},
            {"num_threads", r.num_threads},
            {"dry_run", r.dry_run},
            {"placement", PlacementJson(r.placement)}}},
          {"latency",
           {{"unit", "us"},
            {"text_output",
             "benchmark_model's text lines truncate each run to whole microseconds (TFLite's "
             "rule); the values here are exact (nanosecond clock)"},
            {"init_us", r.init_us},
            {"warmup", PhaseJson(r.warmup_runs)},
            {"regular", PhaseJson(r.regular_runs)}}},
          {"memory", memory},
          {"noise", NoiseJson(r)},
          {"warnings", r.warnings},
          {"output_check", OutputCheckJson(r.output_check)},
          {"op_profiling",
           {{"enabled", r.op_profiling},
            {"events_dropped", r.events_dropped},
            {"buffer_capacity", r.events_capacity},
            {"regular_node_sum_us_per_run", node_sum},
            {"init", TablesJson(r.init_ops)},
            {"warmup", TablesJson(r.warmup_ops)},
            {"regular", TablesJson(r.regular_ops)},
            {"delegate_ops_method", DelegateOpsMethod(r)},
            {"partition_scales", PartitionScalesJson(r)},
            {"regular_breakdown_unscaled", TablesJson(r.breakdown_ops)}}}};
}

}  // namespace litescope::reports
