#include "apps/benchmark_model/benchmark_flags.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <map>
#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "apps/common/cpu_affinity.h"
#include "apps/common/output_path.h"
#include "delegates/registered_backends.h"
#include "runtime/cpu_isa.h"

namespace litescope::apps {
namespace {

using delegates::BackendFlag;

// A backend's flag: its text in BenchmarkFlags::backend_flags, parsed as `type`.
struct BackendTarget {
  std::string* text;
  BackendFlag::Type type;
};

using Target = std::variant<bool*, int*, int64_t*, double*, std::string*, BackendTarget>;

struct FlagSpec {
  std::string name;
  std::string label;  // TFLite's parameter echo text; "" = not echoed
  std::string help;
  Target target;
  bool always_echo = false;
};

// The flags of every registered backend, in registration order: --use_<name>, then the ones
// it owns. Their texts start at the defaults.
void AddBackendSpecs(BenchmarkFlags* f, std::vector<FlagSpec>* specs) {
  auto target = [f](const std::string& name, const std::string& default_value,
                    BackendFlag::Type type) {
    auto it = f->backend_flags.find(name);
    if (it == f->backend_flags.end()) it = f->backend_flags.emplace(name, default_value).first;
    return BackendTarget{&it->second, type};
  };
  for (const delegates::BackendRegistration& b : delegates::RegisteredBackends().backends()) {
    specs->push_back({"use_" + b.name, "Use " + b.name,
                      "run supported nodes on the " + b.display_name + " delegate",
                      target("use_" + b.name, "false", BackendFlag::Type::kBool)});
    for (const BackendFlag& flag : b.flags)
      specs->push_back(
          {flag.name, flag.label, flag.help, target(flag.name, flag.default_value, flag.type)});
  }
}

// Every flag, in the order TFLite logs its parameters (BenchmarkModel, BenchmarkTfLiteModel,
// delegate providers), then litescope's own.
std::vector<FlagSpec> Specs(BenchmarkFlags* f) {
  std::vector<FlagSpec> specs = {
      {"num_runs", "Min num runs", "minimum number of timed runs (see min_secs, max_secs)",
       &f->num_runs},
      {"min_secs", "Min runs duration (seconds)", "keep running at least this long", &f->min_secs},
      {"max_secs", "Max runs duration (seconds)", "start no run after this many seconds",
       &f->max_secs},
      {"target_ci", "Target CI of the median (%)",
       "litescope: keep running (within max_secs) until the 95% confidence interval of the "
       "median is within +-this percent; 0: off",
       &f->target_ci},
      {"cpu_affinity", "CPU affinity",
       "litescope: run the benchmark's threads on these CPUs only, e.g. 0,2-3", &f->cpu_affinity},
      {"quiet", "Quiet", "litescope: no progress line on stderr during long runs", &f->quiet},
      {"check_outputs", "Check outputs against",
       "litescope: after timing, run the inputs once on this backend (reference, a backend name, "
       "off; auto: reference when a delegate ran) and compare the outputs",
       &f->check_outputs},
      {"require_correct_outputs", "Require correct outputs",
       "litescope: exit 1 when the output check finds a mismatch", &f->require_correct_outputs},
      {"run_delay", "Inter-run delay (seconds)", "sleep between runs in seconds; <= 0: none",
       &f->run_delay},
      {"run_frequency", "Number of prorated runs per second",
       "runs per second at a fixed rate (overrides run_delay); <= 0: off", &f->run_frequency},
      {"num_threads", "Num threads", "interpreter threads; -1: the default (1)", &f->num_threads},
      {"benchmark_name", "Benchmark name", "name of the benchmark in the reports",
       &f->benchmark_name},
      {"output_prefix", "Output prefix", "prefix of the benchmark name in the reports",
       &f->output_prefix},
      {"warmup_runs", "Min warmup runs", "minimum number of warmup runs", &f->warmup_runs},
      {"warmup_min_secs", "Min warmup runs duration (seconds)", "minimum warmup duration",
       &f->warmup_min_secs},
      {"verbose", "", "log every parameter, not only those set", &f->verbose},
      {"dry_run", "Run w/o invoking kernels", "load and allocate only; no runs", &f->dry_run},
      {"report_peak_memory_footprint", "Report the peak memory footprint",
       "sample the resident set size on a thread and report its peak",
       &f->report_peak_memory_footprint},
      {"memory_footprint_check_interval_ms", "Memory footprint check interval (ms)",
       "sampling period of report_peak_memory_footprint", &f->memory_footprint_check_interval_ms},
      {"graph", "Graph", "model file, or builtin:<name> for a built-in sample model", &f->graph,
       true},
      {"signature_to_run_for", "Signature to run",
       "signature to benchmark (required when the model has several)", &f->signature_to_run_for,
       true},
      {"list_signatures", "List signatures from the provided model",
       "print the model's signature keys and exit", &f->list_signatures},
      {"input_layer", "Input layers", "names of all inputs, comma-separated, in input order",
       &f->input_layer},
      {"input_layer_shape", "Input shapes", "shapes of those inputs: 1,224,224,3:1,10",
       &f->input_layer_shape},
      {"input_layer_value_range", "Input value ranges",
       "inclusive integer ranges of random input values: input1,1,2:input2,0,254",
       &f->input_layer_value_range},
      {"input_layer_value_files", "Input value files",
       "raw input bytes from files: input1:path1,input2:path2 (':' in a name as '\\:' or '::')",
       &f->input_layer_value_files},
      {"require_full_delegation", "Require full delegation",
       "fail unless one delegate runs the whole graph", &f->require_full_delegation},
      {"enable_op_profiling", "Enable op profiling", "per-operator profiling tables",
       &f->enable_op_profiling},
      {"op_profiling_output_mode", "Op profiling output mode.", "stdout or csv",
       &f->op_profiling_output_mode},
      {"op_profiling_output_file", "Op profiling output file.",
       "file for the op profiling output (default: stdout)", &f->op_profiling_output_file},
      {"max_profiling_buffer_entries", "Max initial profiling buffer entries",
       "profiling events per run kept (grows to the node count plus headroom)",
       &f->max_profiling_buffer_entries},
      {"profiling_output_csv_file", "CSV File to export profiling data to",
       "deprecated: same as op_profiling_output_mode=csv op_profiling_output_file=FILE",
       &f->profiling_output_csv_file},
      {"print_preinvoke_state", "Print pre-invoke interpreter state",
       "print the interpreter's tensors and nodes before the first run", &f->print_preinvoke_state},
      {"print_postinvoke_state", "Print post-invoke interpreter state",
       "print the interpreter's tensors and nodes after the last run", &f->print_postinvoke_state},
      {"output_filepath", "File path to export outputs layer to",
       "write the raw bytes of every output after the last run", &f->output_filepath},
  };
  // Delegate providers come after TFLite's own flags, as in TFLite's parameter log.
  AddBackendSpecs(f, &specs);
  specs.insert(
      specs.end(),
      {
          {"max_arena_mb", "Max arena size (MB)",
           "largest arena (and tensor) one subgraph may allocate, in MiB; 0 = no limit",
           &f->max_arena_mb},
          {"max_while_iterations", "Max WHILE loop iterations",
           "a WHILE loop running more iterations than this fails; 0 = no limit",
           &f->max_while_iterations},
          {"isa", "ISA level",
           "litescope: highest instruction-set level of the CPU kernels (baseline, avx2, avx512, "
           "avx512vnni, amx; neon, dotprod on Arm; auto); default: LITESCOPE_ISA, else the "
           "highest the CPU has",
           &f->isa},
          {"report_json", "Report JSON file", "litescope: write the versioned JSON report here",
           &f->report_json},
          {"trace_file", "Trace file", "litescope: write a Chrome trace-event JSON file here",
           &f->trace_file},
          {"trace_max_mb", "Trace size limit (MB)",
           "litescope: the trace file stays below this size; later events are counted, not written",
           &f->trace_max_mb},
          {"trace_max_events", "Trace event limit",
           "litescope: at most this many events in the trace file; later ones are counted",
           &f->trace_max_events},
          {"gbench_json", "Google Benchmark JSON file",
           "litescope: write the runs in Google Benchmark's JSON format here", &f->gbench_json},
      });
  return specs;
}

Status BadValue(const std::string& name, const std::string& value, const char* expected) {
  return InvalidArgumentError(
      fmt::format("--{}: invalid value '{}' (expected {})", name, value, expected));
}

Status Convert(const std::string& name, const std::string& v, const Target& target) {
  if (auto* bt = std::get_if<BackendTarget>(&target)) {
    BackendFlag flag;
    flag.name = name;
    flag.type = bt->type;
    LS_RETURN_IF_ERROR(delegates::CheckBackendFlagValue(flag, v));
    *bt->text = v;
    if (bt->type == BackendFlag::Type::kBool)  // stored as "true" / "false"
      *bt->text = (v.empty() || v == "true" || v == "1") ? "true" : "false";
    return Status::Ok();
  }
  if (auto* b = std::get_if<bool*>(&target)) {
    if (v.empty() || v == "true" || v == "1")
      **b = true;
    else if (v == "false" || v == "0")
      **b = false;
    else
      return BadValue(name, v, "true, false, 1 or 0");
    return Status::Ok();
  }
  if (auto* i = std::get_if<int*>(&target)) {
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE || x < INT_MIN || x > INT_MAX)
      return BadValue(name, v, "an integer");
    **i = static_cast<int>(x);
    return Status::Ok();
  }
  if (auto* i = std::get_if<int64_t*>(&target)) {
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE) return BadValue(name, v, "an integer");
    **i = static_cast<int64_t>(x);
    return Status::Ok();
  }
  if (auto* d = std::get_if<double*>(&target)) {
    errno = 0;
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || errno == ERANGE || x != x)
      return BadValue(name, v, "a number");
    **d = x;
    return Status::Ok();
  }
  *std::get<std::string*>(target) = v;
  return Status::Ok();
}

Status Validate(BenchmarkFlags* f) {
  if (f->graph.empty() && !f->wants_backend_action())
    return InvalidArgumentError("--graph is required: a .tflite file or builtin:<name>");
  if (f->num_runs < 0) return BadValue("num_runs", std::to_string(f->num_runs), ">= 0");
  if (f->warmup_runs < 0) return BadValue("warmup_runs", std::to_string(f->warmup_runs), ">= 0");
  if (f->num_threads != -1 && (f->num_threads < 1 || f->num_threads > 256))
    return BadValue("num_threads", std::to_string(f->num_threads), "-1 or 1..256");
  if (f->max_profiling_buffer_entries < 1)
    return BadValue("max_profiling_buffer_entries", std::to_string(f->max_profiling_buffer_entries),
                    ">= 1");
  // The range tflite_run accepts; the limit in bytes then fits in 64 bits.
  if (f->max_arena_mb < 0 || f->max_arena_mb > (int64_t{1} << 30))
    return BadValue("max_arena_mb", std::to_string(f->max_arena_mb), "0 (no limit) to 1073741824");
  if (f->trace_max_mb < 1 || f->trace_max_mb > 65536)
    return BadValue("trace_max_mb", std::to_string(f->trace_max_mb), "1..65536");
  if (f->trace_max_events < 1)
    return BadValue("trace_max_events", std::to_string(f->trace_max_events), ">= 1");
  if (f->max_while_iterations < 0)
    return BadValue("max_while_iterations", std::to_string(f->max_while_iterations),
                    ">= 0 (0: no limit)");
  if (!f->isa.empty() && f->isa != "auto") {
    const std::optional<runtime::IsaLevel> level = runtime::ParseIsaLevel(f->isa);
    bool known = false;
    for (runtime::IsaLevel l : runtime::ArchitectureIsaLevels()) known = known || level == l;
    if (!known)
      return BadValue("isa", f->isa, (runtime::ArchitectureIsaLevelList() + " or auto").c_str());
  }
  if (f->op_profiling_output_mode != "stdout" && f->op_profiling_output_mode != "csv")
    return BadValue("op_profiling_output_mode", f->op_profiling_output_mode,
                    "stdout or csv; TFLite's proto mode is not supported");
  if (f->report_peak_memory_footprint && f->memory_footprint_check_interval_ms <= 0) {
    // TFLite's behaviour: warn and fall back to the default.
    f->warnings.push_back(fmt::format(
        "WARNING: --memory_footprint_check_interval_ms is set to {} (ms), This value is "
        "invalid, and it will be set to the default value 50 (ms).",
        f->memory_footprint_check_interval_ms));
    f->memory_footprint_check_interval_ms = 50;
  }
  if (!f->profiling_output_csv_file.empty() && f->enable_op_profiling) {
    f->op_profiling_output_mode = "csv";
    f->op_profiling_output_file = f->profiling_output_csv_file;
  }
  if (f->target_ci < 0 || f->target_ci > 100)
    return BadValue("target_ci", fmt::format("{}", f->target_ci), "0 (off) to 100 percent");
  if (!f->cpu_affinity.empty()) LS_RETURN_IF_ERROR(ParseCpuList(f->cpu_affinity).status());
  if (f->check_outputs != "auto" && f->check_outputs != "off" && f->check_outputs != "reference" &&
      !delegates::RegisteredBackends().Find(f->check_outputs))
    return BadValue(
        "check_outputs", f->check_outputs,
        ("auto, off, reference or a backend: " + delegates::RegisteredBackends().NameList())
            .c_str());
  if (f->require_correct_outputs && f->check_outputs == "off")
    return InvalidArgumentError(
        "--require_correct_outputs needs an output check; "
        "--check_outputs=off turns it off");
  // Every file the run will write is checked now, before the model is loaded, so that a typo
  // in a path does not cost a whole benchmark.
  const std::pair<const char*, const std::string*> outputs[] = {
      {"report_json", &f->report_json},
      {"gbench_json", &f->gbench_json},
      {"trace_file", &f->trace_file},
      {"output_filepath", &f->output_filepath},
      {"profiling_output_csv_file", &f->profiling_output_csv_file},
      {"op_profiling_output_file", &f->op_profiling_output_file}};
  for (const auto& [name, path] : outputs)
    if (!path->empty()) LS_RETURN_IF_ERROR(CheckOutputPath(name, *path));
  for (const delegates::BackendRegistration& b : delegates::RegisteredBackends().backends())
    for (const BackendFlag& flag : b.flags)
      if (f->was_set(flag.name) && !b.FindAction(flag.name) && !f->uses_backend(b.name))
        f->warnings.push_back(
            fmt::format("WARNING: --{} has no effect without --use_{}", flag.name, b.name));
  return Status::Ok();
}

}  // namespace

bool BenchmarkFlags::wants_backend_action() const {
  for (const delegates::BackendRegistration& b : delegates::RegisteredBackends().backends())
    for (const BackendFlag& flag : b.flags) {
      auto it = backend_flags.find(flag.name);
      if (b.FindAction(flag.name) && it != backend_flags.end() && it->second == "true") return true;
    }
  return false;
}

bool BenchmarkFlags::uses_backend(const std::string& backend) const {
  auto it = backend_flags.find("use_" + backend);
  return it != backend_flags.end() && it->second == "true";
}

Status ParseBenchmarkFlags(int argc, char** argv, BenchmarkFlags* flags, std::string* help_text) {
  CLI::App app{
      "benchmark_model: benchmarks a TFLite model with TensorFlow Lite's flags and "
      "output, plus JSON, trace and Google Benchmark reports."};
  app.name("benchmark_model");
  std::vector<FlagSpec> specs = Specs(flags);
  BenchmarkFlags defaults;
  const std::vector<reports::FlagRecord> default_records = FlagRecords(defaults);
  std::map<std::string, std::string> raw;
  std::map<std::string, CLI::Option*> options;
  for (const FlagSpec& s : specs) {
    std::string help = s.help;
    const char* type = "TEXT";
    for (const reports::FlagRecord& d : default_records) {
      if (d.name != s.name) continue;
      switch (d.type) {
        case reports::FlagRecord::Type::kBool:
          type = "BOOL";
          help += d.bool_value ? " (default: true)" : " (default: false)";
          break;
        case reports::FlagRecord::Type::kInt:
          type = "INT";
          help += " (default: " + std::to_string(d.int_value) + ")";
          break;
        case reports::FlagRecord::Type::kFloat:
          type = "FLOAT";
          help += fmt::format(" (default: {})", d.float_value);
          break;
        case reports::FlagRecord::Type::kString:
          if (!d.string_value.empty()) help += " (default: " + d.string_value + ")";
          break;
      }
    }
    CLI::Option* o = app.add_option("--" + s.name, raw[s.name], help)
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
                         ->type_name(type);
    const auto* bt = std::get_if<BackendTarget>(&s.target);
    if (std::holds_alternative<bool*>(s.target) || (bt && bt->type == BackendFlag::Type::kBool))
      o->expected(0, 1);
    options[s.name] = o;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    *help_text = app.help();
    return Status::Ok();
  } catch (const CLI::ParseError& e) {
    return InvalidArgumentError(e.what());
  }
  for (const FlagSpec& s : specs) {
    if (options[s.name]->count() == 0) continue;
    flags->set_on_command_line.insert(s.name);
    LS_RETURN_IF_ERROR(Convert(s.name, raw[s.name], s.target));
  }
  return Validate(flags);
}

namespace {

// A backend flag's record: its text converted to the record's type.
void FillBackendRecord(const BackendTarget& t, reports::FlagRecord* r) {
  switch (t.type) {
    case BackendFlag::Type::kBool:
      r->type = reports::FlagRecord::Type::kBool;
      r->bool_value = *t.text == "true" || *t.text == "1" || t.text->empty();
      break;
    case BackendFlag::Type::kInt:
      r->type = reports::FlagRecord::Type::kInt;
      r->int_value = std::strtoll(t.text->c_str(), nullptr, 10);
      break;
    case BackendFlag::Type::kFloat:
      r->type = reports::FlagRecord::Type::kFloat;
      r->float_value = std::strtod(t.text->c_str(), nullptr);
      break;
    case BackendFlag::Type::kString:
      r->type = reports::FlagRecord::Type::kString;
      r->string_value = *t.text;
      break;
  }
}

}  // namespace

std::vector<reports::FlagRecord> FlagRecords(const BenchmarkFlags& flags) {
  BenchmarkFlags copy = flags;  // Specs() wants mutable targets; read them from a copy
  std::vector<reports::FlagRecord> records;
  for (const FlagSpec& s : Specs(&copy)) {
    reports::FlagRecord r;
    r.name = s.name;
    r.label = s.label;
    r.set = flags.was_set(s.name);
    r.always_echo = s.always_echo;
    if (auto* b = std::get_if<bool*>(&s.target)) {
      r.type = reports::FlagRecord::Type::kBool;
      r.bool_value = **b;
    } else if (auto* i = std::get_if<int*>(&s.target)) {
      r.type = reports::FlagRecord::Type::kInt;
      r.int_value = **i;
    } else if (auto* i64 = std::get_if<int64_t*>(&s.target)) {
      r.type = reports::FlagRecord::Type::kInt;
      r.int_value = **i64;
    } else if (auto* d = std::get_if<double*>(&s.target)) {
      r.type = reports::FlagRecord::Type::kFloat;
      r.float_value = **d;
    } else if (auto* bt = std::get_if<BackendTarget>(&s.target)) {
      FillBackendRecord(*bt, &r);
    } else {
      r.type = reports::FlagRecord::Type::kString;
      r.string_value = *std::get<std::string*>(s.target);
    }
    const bool after_outputs = r.name == "output_filepath";
    records.push_back(std::move(r));
    if (after_outputs) {
      // TFLite's default execution provider echoes the thread count again.
      reports::FlagRecord threads;
      threads.label = "#threads used for CPU inference";
      threads.type = reports::FlagRecord::Type::kInt;
      threads.int_value = flags.num_threads;
      threads.set = flags.was_set("num_threads");
      records.push_back(std::move(threads));
    }
  }
  return records;
}

}  // namespace litescope::apps
