#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "profiler/op_stats.h"
#include "reports/benchmark_result.h"

namespace litescope::reports {

// benchmark_model's console output, line for line as TensorFlow Lite's benchmark_model prints it
// (docs/benchmark_report.md lists the lines), so scripts that parse TFLite's output keep working.
// Every function returns whole lines, each ending in '\n'. Formats only.

// A double as a default-formatted C++ stream prints it (6 significant digits, "%g" style):
// TFLite prints its averages and MB figures this way.
std::string FormatStreamDouble(double value);

// "Log parameter values verbosely: [0]" and one "<label>: [<value>]" line per flag that was set
// on the command line (every labelled flag when `verbose`).
std::string FormatParamEcho(const std::vector<FlagRecord>& flags, bool verbose);

// "Loaded model <path>", "The input model file size (MB): <size / 1e6>" (when known) and
// "Initialized session in <ms>ms.", as TFLite prints them after initialization.
std::string FormatLoadedModel(const std::string& path);
std::string FormatInitSummary(int64_t model_size_bytes, double init_us);

// "The Model contains N signature key(s)." and one "-> Signature Key: <key>" line per key.
std::string FormatSignatureList(const std::vector<std::string>& keys);

// "Running benchmark for at least N iterations and at least S seconds but terminate if
// exceeding M seconds."
std::string FormatRunBanner(int min_runs, double min_secs, double max_secs);

// TFLite's latency statistics line over integer microseconds (each run's wall time truncated):
// "count=50 first=.. curr=.. min=.. max=.. avg=.. std=.. p5=.. median=.. p95=..", or
// "count=N curr=X(all same) p5=.." when every sample is equal, "count=0 ..." when empty.
std::string FormatLatencyLine(const profiler::RunSamples& runs);

// "Inference timings in us: Init: .., First inference: .., Warmup (avg): .., Inference (avg): .."
std::string FormatTimingSummary(const BenchmarkResult& result);

// The "Note: ..." line, "Memory footprint delta ...", the peak line when sampled, and the
// "Memory status at the end of exeution:" block (TFLite's spelling).
// litescope's line on the regular runs' spread (profiler/noise.h): "Noise (regular runs):
// cv=3.1% iqr=12.5 us outliers=2 slow 0 fast, median 123.4 us, 95% CI [120.1, 125.3] us
// (+-2.1%)". Empty without runs.
std::string FormatNoiseLine(const BenchmarkResult& r);
// A note when whole-microsecond truncation (TFLite's rule, kept in the lines above) hides most
// of the latency: runs averaging under 10 us. Points at the JSON report's exact values.
std::string FormatPrecisionNote(const BenchmarkResult& r);
std::string FormatMemorySummary(const BenchmarkResult& result);
// litescope's line: the resident growth per set-up step ("Memory breakdown (resident growth,
// MB): model load +0.48 (file mapped, 0.47 MB), ..."). Empty without steps.
std::string FormatMemoryBreakdown(const BenchmarkResult& result);

// One phase's op profile as TFLite prints it: per table (subgraph, then "Delegate internal:")
// the "Run Order", "Top by Computation Time" (10 rows) and "Summary by node type" tables and
// the "Timings (microseconds): ..." summary.
std::string FormatOpProfileTables(const profiler::OpStats& stats);

// Both phases with their headers: "Profiling Info for Benchmark Initialization:" and
// "Operator-wise Profiling Info for Regular Benchmark Runs:".
std::string FormatOpProfileText(const BenchmarkResult& result);

// The same data as one CSV table (RFC 4180 quoting) with a header row. Columns:
// section (init|regular), graph (primary|subgraph|delegate_internal), subgraph_index, table
// (run_order|summary_by_type), rank, node_type, name, node_index, backend, node_count, first_ms,
// avg_ms, percent, cdf_percent, mem_kb, times_called. Cells that do not apply to a row are
// empty. docs/benchmark_report.md describes each column.
std::string FormatOpProfileCsv(const BenchmarkResult& result);

}  // namespace litescope::reports
