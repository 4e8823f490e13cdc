#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/output_compare.h"
#include "profiler/event_buffer.h"
#include "profiler/host_info.h"
#include "profiler/machine_load.h"
#include "profiler/memory.h"
#include "profiler/noise.h"
#include "profiler/op_stats.h"
#include "profiler/run_samples.h"

namespace litescope::reports {

// One command-line flag of benchmark_model, as the reports show it.
struct FlagRecord {
  enum class Type { kBool, kInt, kFloat, kString };
  std::string name;   // "num_runs"
  std::string label;  // TFLite's parameter echo text ("Min num runs"); empty: never echoed
  Type type = Type::kString;
  bool bool_value = false;
  int64_t int_value = 0;
  double float_value = 0;
  std::string string_value;
  bool set = false;          // given on the command line
  bool always_echo = false;  // echoed even when not set (TFLite does this for graph)
};

using profiler::RunRecord;

struct MemoryFigures {
  // TFLite's "Memory footprint delta from the start of the tool" (peak RSS growth), MB; < 0
  // when unknown.
  double init_footprint_delta_mb = -1;
  double overall_footprint_delta_mb = -1;
  int64_t peak_rss_bytes = -1;  // periodic VmRSS sampling; -1 when not requested
  int peak_sample_interval_ms = 0;
  int64_t peak_samples = 0;
  int64_t max_rss_bytes = -1;      // getrusage peak at the end
  profiler::ProcessMemory at_end;  // /proc/self/status at the end
  profiler::ModelMemory model;     // arenas, persistent bytes, model bytes
  // Resident memory after each set-up step and after the runs; the first is taken after the
  // tool's own sample storage was allocated, so the growth is the model's, not the tool's.
  std::vector<profiler::MemoryStep> steps;
};

// One delegate's refusal of a node (runtime::Refusal).
struct RefusalRecord {
  std::string backend;      // the delegate's name
  std::string reason_code;  // runtime::SupportCodeName
  std::string reason;
};

// Where one node runs after the delegates were applied (from runtime::Subgraph::placement()).
struct NodePlacementRecord {
  int subgraph = 0;
  int node = 0;
  std::string type;             // op name, "CONV_2D"
  std::string backend = "cpu";  // "cpu" or the delegate that runs it
  int partition = -1;           // index into its subgraph's partitions; -1 on the CPU
  // runtime::SupportCodeName of the delegate's verdict ("supported" when delegated, e.g.
  // "unsupported_op" when not); empty when no delegate was applied.
  std::string reason_code;
  std::string reason;  // why the node stayed on the CPU; empty when delegated or no delegate
  // Every delegate that saw the node and refused it, in the order they were applied (a node a
  // later delegate took keeps the earlier refusals).
  std::vector<RefusalRecord> refusals;
};

// One delegate kernel: a run of nodes of one subgraph that a delegate executes.
struct PartitionRecord {
  int subgraph = 0;
  int index = 0;  // partition index within the subgraph
  std::string backend;
  std::vector<int> nodes;  // node indices, in execution order
};

// The placement of every node of every subgraph. With no delegate applied, every node is on
// the CPU and `partitions` is empty.
struct PlacementRecord {
  std::vector<std::string> delegates;  // applied, in order (their names)
  std::vector<NodePlacementRecord> nodes;
  std::vector<PartitionRecord> partitions;
};

// --check_outputs: the benchmarked outputs against another backend's on the same inputs.
struct OutputCheckRecord {
  bool enabled = false;
  std::string against;  // "reference" or a backend name
  bool pass = true;
  double atol = 0, rtol = 0;
  int64_t max_lsb = 0;
  std::vector<analyzers::OutputComparison> outputs;  // in subgraph output order
};

// Everything one benchmark_model invocation measured: the input of every report. Plain data
// filled by the app; the pointers are borrowed and must outlive the formatting call.
struct BenchmarkResult {
  std::string tool = "benchmark_model";
  std::string benchmark_name;     // --benchmark_name
  std::string output_prefix;      // --output_prefix
  std::string date;               // ISO 8601 local time with offset, when the run started
  std::string executable;         // argv[0]
  std::vector<FlagRecord> flags;  // every flag, in --help order

  std::string model_path;    // as given (--graph)
  std::string model_sha256;  // of the model bytes
  int64_t model_size_bytes = 0;
  std::string signature;  // signature run ("" = primary subgraph)

  profiler::HostInfo host;
  std::string backend = "cpu";  // "cpu" or the delegates applied, "+"-joined
  int num_threads = 1;          // threads the interpreter uses
  bool dry_run = false;
  PlacementRecord placement;

  double init_us = 0;  // load + interpreter creation + AllocateTensors
  // Bounded: exact streaming statistics plus a reservoir of runs (profiler/run_samples.h).
  profiler::RunSamples warmup_runs;
  profiler::RunSamples regular_runs;

  MemoryFigures memory;

  // How far the latency can be trusted (profiler/noise.h, profiler/machine_load.h).
  profiler::NoiseStats regular_noise;
  profiler::MachineLoad load_before;   // read before the model was loaded
  std::vector<double> cpu_mhz_before;  // around the regular runs; empty: unreadable
  std::vector<double> cpu_mhz_after;
  std::vector<int> cpu_affinity;  // --cpu_affinity; empty: not pinned
  double target_ci_pct = 0;       // --target_ci; 0: off
  bool target_ci_reached = false;
  std::vector<std::string> warnings;  // every WARNING line printed, in order
  OutputCheckRecord output_check;

  bool op_profiling = false;                    // per-node events were collected
  const profiler::OpStats* init_ops = nullptr;  // Prepare/AllocateTensors events
  const profiler::OpStats* warmup_ops = nullptr;
  const profiler::OpStats* regular_ops = nullptr;  // what TFLite reports
  // With op profiling and a delegate: the timed runs ran fused; the delegate-internal rows of
  // regular_ops come from separate per-node rounds (breakdown_ops, unscaled), scaled per
  // partition to the fused time (profiler::ScaleDelegateOps).
  bool delegate_ops_scaled = false;
  const profiler::OpStats* breakdown_ops = nullptr;
  std::vector<profiler::PartitionScale> partition_scales;
  uint64_t events_dropped = 0;   // events that did not fit the profiling buffer
  uint64_t events_capacity = 0;  // events the profiling buffer holds per run
};

// The report name: output_prefix + (benchmark_name, or "benchmark_model/<model file name>").
std::string ReportName(const BenchmarkResult& result);

}  // namespace litescope::reports
