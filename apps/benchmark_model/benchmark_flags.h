#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reports/benchmark_result.h"
#include "runtime/status.h"

namespace litescope::apps {

// benchmark_model's flags: TensorFlow Lite's names, defaults and meanings, plus litescope's
// report files. Filled by ParseBenchmarkFlags.
struct BenchmarkFlags {
  // TFLite's BenchmarkModel.
  int num_runs = 50;
  double min_secs = 1.0;
  double max_secs = 150.0;
  double run_delay = -1;      // seconds between runs; <= 0: none
  double run_frequency = -1;  // runs per second (prorated); <= 0: off; overrides run_delay
  int num_threads = -1;       // -1: the runtime's default (1)
  std::string benchmark_name;
  std::string output_prefix;
  int warmup_runs = 1;
  double warmup_min_secs = 0.5;
  bool verbose = false;
  bool dry_run = false;
  bool report_peak_memory_footprint = false;
  int memory_footprint_check_interval_ms = 50;
  // TFLite's BenchmarkTfLiteModel.
  std::string graph;
  std::string signature_to_run_for;
  bool list_signatures = false;
  std::string input_layer;
  std::string input_layer_shape;
  std::string input_layer_value_range;
  std::string input_layer_value_files;
  bool require_full_delegation = false;
  bool enable_op_profiling = false;
  std::string op_profiling_output_mode = "stdout";
  std::string op_profiling_output_file;
  int max_profiling_buffer_entries = 1024;
  std::string profiling_output_csv_file;  // deprecated: sets mode csv and the file
  bool print_preinvoke_state = false;
  bool print_postinvoke_state = false;
  std::string output_filepath;
  // Delegate providers: "use_<name>" for every registered backend (delegates/
  // registered_backends.h) and the flags each owns, by flag name, as text (bools "true" or
  // "false"). ParseBenchmarkFlags fills in every one, with its default when not given.
  std::map<std::string, std::string> backend_flags;
  // litescope's additions.
  // Resource limits against hostile models (the same defaults as tflite_run): the largest arena
  // or tensor one subgraph may allocate, in MiB, and the most iterations a WHILE loop may run.
  // 0 = no limit.
  int64_t max_arena_mb = 2048;
  int64_t max_while_iterations = 1'000'000;
  std::string
      isa;  // caps the CPU kernels' ISA level (runtime/cpu_isa.h); empty: LITESCOPE_ISA or auto
  std::string report_json;    // versioned JSON report (reports/benchmark_report.schema.json)
  std::string trace_file;     // Chrome trace-event JSON
  int64_t trace_max_mb = 32;  // the trace's size budget (reports/trace_writer.h)
  int64_t trace_max_events = 200'000;
  std::string gbench_json;  // Google Benchmark JSON
  // Runs until the 95% interval of the median is within +-target_ci percent (0: off).
  double target_ci = 0;
  std::string cpu_affinity;  // "0,2-3": the CPUs the benchmark's threads may run on
  bool quiet = false;        // no progress line on stderr
  // auto | off | reference | a backend: run the inputs once more there and compare outputs.
  std::string check_outputs = "auto";
  bool require_correct_outputs = false;  // a failed output check is an error (exit 1)

  std::set<std::string> set_on_command_line;  // flag names given explicitly
  std::vector<std::string> warnings;          // one line each, printed before running

  bool was_set(const std::string& name) const { return set_on_command_line.count(name) > 0; }
  // Whether a backend's action flag (--list_gpu_devices) is true: the tool runs it instead of
  // a benchmark, and --graph is not needed.
  bool wants_backend_action() const;
  // Whether --use_<backend>=true was given.
  bool uses_backend(const std::string& backend) const;
  // Per-node events are recorded when tables or a trace are wanted.
  bool collect_events() const { return enable_op_profiling || !trace_file.empty(); }
};

// Parses argv. Accepts "--name=value" and "--name value"; booleans take true/false/1/0 (a bare
// "--name" means true). Returns kInvalidArgument with a one-line message for an unknown flag, a
// malformed value or an inconsistent combination. Sets *help_text (and returns Ok) for --help.
Status ParseBenchmarkFlags(int argc, char** argv, BenchmarkFlags* flags, std::string* help_text);

// Every flag with its value, TFLite echo label and whether it was set, in --help order, plus an
// unnamed echo-only record ("#threads used for CPU inference") where TFLite prints one.
std::vector<reports::FlagRecord> FlagRecords(const BenchmarkFlags& flags);

}  // namespace litescope::apps
