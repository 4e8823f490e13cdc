#include "apps/benchmark_model/benchmark_session.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzers/sha256.h"
#include "apps/benchmark_model/backend_selection.h"
#include "apps/benchmark_model/benchmark_analysis.h"
#include "apps/benchmark_model/output_check.h"
#include "apps/benchmark_model/progress.h"
#include "apps/benchmark_model/run_loop.h"
#include "apps/common/cpu_affinity.h"
#include "apps/common/model_source.h"
#include "profiler/clock.h"
#include "profiler/event_buffer.h"
#include "profiler/host_info.h"
#include "profiler/machine_load.h"
#include "profiler/memory.h"
#include "profiler/noise.h"
#include "profiler/op_stats.h"
#include "reports/benchmark_json.h"
#include "reports/benchmark_result.h"
#include "reports/benchmark_text.h"
#include "reports/gbench_json.h"
#include "reports/interpreter_state.h"
#include "reports/trace_writer.h"
#include "runtime/cpu_isa.h"
#include "runtime/interpreter.h"
#include "runtime/op_registry.h"
#include "runtime/subgraph.h"

namespace litescope::apps {
namespace {

// TFLite grows the profiling buffer to the node count plus this headroom.
constexpr size_t kProfilingBufferHeadroom = 512;

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return IoError(fmt::format("{}: cannot open for writing", path));
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

std::string IsoDate() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  std::string s = buf;  // "+0000" -> "+00:00"
  if (s.size() >= 5) s.insert(s.size() - 2, ":");
  return s;
}

// JSON text; names from the model that are not valid UTF-8 get U+FFFD instead of failing.
std::string Dump(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

double Mb(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

class Session {
 public:
  Session(const BenchmarkFlags& flags, const InputSpecs& inputs, const std::string& executable)
      : flags_(flags), inputs_(inputs) {
    result_.executable = executable;
  }

  Status Run() {
    for (const std::string& w : flags_.warnings) std::fprintf(stderr, "%s\n", w.c_str());
    std::string isa_error;
    if (!runtime::ApplyIsaSelection(flags_.isa, &isa_error)) return InvalidArgumentError(isa_error);
    Print("STARTING!\n");
    result_.flags = FlagRecords(flags_);
    Print(reports::FormatParamEcho(result_.flags, flags_.verbose));
    Print(fmt::format("ISA level: {} (highest on this CPU: {}; CPU: {})\n",
                      runtime::IsaLevelName(runtime::ActiveIsa()),
                      runtime::IsaLevelName(runtime::HighestSupportedIsa()), runtime::CpuName()));
    std::fflush(stdout);
    LS_RETURN_IF_ERROR(CheckSomeRunWillHappen());
    FillResultHeader();
    if (!flags_.cpu_affinity.empty()) {
      // Before the interpreter and delegates create their threads, which inherit the mask.
      auto cpus = ParseCpuList(flags_.cpu_affinity);
      if (!cpus.ok()) return cpus.status();
      LS_RETURN_IF_ERROR(PinToCpus(*cpus));
      result_.cpu_affinity = *cpus;
    }
    result_.load_before = profiler::ReadMachineLoad();
    {
      std::string w = profiler::OversubscriptionWarning(result_.load_before, result_.num_threads);
      if (!result_.cpu_affinity.empty() &&
          result_.num_threads > static_cast<int>(result_.cpu_affinity.size()))
        w = fmt::format(
            "WARNING: {} threads on {} pinned CPUs (--cpu_affinity); the threads "
            "will take turns",
            result_.num_threads, result_.cpu_affinity.size());
      Warn(w);
    }

    std::optional<profiler::PeakMemorySampler> sampler;
    if (flags_.report_peak_memory_footprint) {
      sampler.emplace(flags_.memory_footprint_check_interval_ms);
      sampler->Start();
    }
    // The tool's own storage for run samples is allocated and touched before the baseline, so
    // the footprint deltas count the model, the interpreter and the delegates, not how many runs
    // were kept.
    result_.warmup_runs.Reserve();
    result_.regular_runs.Reserve();
    const int64_t start_rss = profiler::MaxRssBytes();
    Step("start");
    if (!flags_.trace_file.empty()) {
      reports::TraceWriter::Limits limits;
      limits.max_bytes = flags_.trace_max_mb << 20;
      limits.max_events = flags_.trace_max_events;
      auto trace = reports::TraceWriter::Open(flags_.trace_file, limits, result_,
                                              profiler::MonotonicNowNs());
      if (!trace.ok()) return trace.status();
      trace_ = std::move(trace.value());
    }
    init_begin_ns_ = profiler::MonotonicNowNs();
    LS_RETURN_IF_ERROR(Init());
    if (listed_signatures_) return Status::Ok();
    init_end_ns_ = profiler::MonotonicNowNs();
    if (trace_) trace_->AddInit(init_begin_ns_, init_end_ns_);
    result_.init_us = static_cast<double>(init_end_ns_ - init_begin_ns_) / 1000.0;
    result_.memory.init_footprint_delta_mb = Mb(profiler::MaxRssBytes() - start_rss);
    Print(reports::FormatInitSummary(result_.model_size_bytes, result_.init_us));

    Result<std::vector<std::vector<uint8_t>>> data = MakeInputData(inputs_, *subgraph_);
    if (!data.ok()) return data.status();
    input_data_ = std::move(data.value());

    RunLoopParams warmup{flags_.warmup_runs, flags_.warmup_min_secs, flags_.max_secs,
                         flags_.run_delay,   flags_.run_frequency,   {}};
    RunLoopParams regular{flags_.num_runs,  flags_.min_secs,      flags_.max_secs,
                          flags_.run_delay, flags_.run_frequency, {}};
    if (flags_.dry_run) {
      warmup.min_runs = regular.min_runs = 0;
      warmup.min_secs = regular.min_secs = -1;
    }
    if (flags_.print_preinvoke_state)
      Print(reports::FormatInterpreterStateBlock(*interp_, "pre-invoke"));
    LS_RETURN_IF_ERROR(Loop(warmup, profiler::Phase::kWarmup, &result_.warmup_runs));
    if (flags_.target_ci > 0) {
      result_.target_ci_pct = flags_.target_ci;
      int64_t last_check_ns = 0;
      regular.enough = [this, last_check_ns](int runs_done) mutable {
        // The interval needs a sort of the kept runs: at most every 20 ms once runs are fast.
        const int64_t now = profiler::MonotonicNowNs();
        if (runs_done >= 100 && now - last_check_ns < 20'000'000) return false;
        last_check_ns = now;
        result_.target_ci_reached =
            profiler::MedianCiHalfWidthPct(result_.regular_runs.KeptValues(
                profiler::RunSamples::Measure::kWallUs)) <= flags_.target_ci;
        return result_.target_ci_reached;
      };
    }
    result_.cpu_mhz_before = profiler::ReadCpuFrequenciesMhz();
    LS_RETURN_IF_ERROR(Loop(regular, profiler::Phase::kRegular, &result_.regular_runs));
    result_.cpu_mhz_after = profiler::ReadCpuFrequenciesMhz();
    if (result_.regular_runs.empty() && !flags_.dry_run)
      return InvalidArgumentError(
          fmt::format("no inference completed: the run loop stopped before its first timed run "
                      "(--max_secs={} was spent by the warmup); no result is reported",
                      flags_.max_secs));
    result_.memory.overall_footprint_delta_mb = Mb(profiler::MaxRssBytes() - start_rss);
    Step("runs");
    if (sampler) {
      sampler->Stop();
      result_.memory.peak_rss_bytes = sampler->peak_bytes();
      result_.memory.peak_sample_interval_ms = sampler->interval_ms();
      result_.memory.peak_samples = sampler->samples();
    }
    FillMemory();
    Print(reports::FormatTimingSummary(result_));
    Print(reports::FormatPrecisionNote(result_));
    result_.regular_noise = profiler::AnalyzeNoise(result_.regular_runs);
    Print(reports::FormatNoiseLine(result_));
    Print(reports::FormatMemorySummary(result_));
    Print(reports::FormatMemoryBreakdown(result_));
    std::fflush(stdout);
    for (const std::string& w : profiler::NoiseWarnings(result_.regular_noise, "regular runs"))
      Warn(w);
    Warn(profiler::FrequencyChangeWarning(result_.cpu_mhz_before, result_.cpu_mhz_after));
    LS_RETURN_IF_ERROR(RunOutputCheck());
    if (flags_.target_ci > 0 && !result_.target_ci_reached)
      Warn(
          fmt::format("WARNING: --target_ci={}: the median's 95% interval is +-{:.1f}% after {} "
                      "runs, when --max_secs={} ended the runs",
                      flags_.target_ci, result_.regular_noise.median_ci_half_width_pct,
                      result_.regular_runs.count(), flags_.max_secs));
    std::fflush(stdout);
    LS_RETURN_IF_ERROR(Finish());
    if (flags_.require_correct_outputs && result_.output_check.enabled &&
        !result_.output_check.pass)
      return InvalidArgumentError(fmt::format(
          "--require_correct_outputs: the outputs differ from {} (see the warnings above)",
          result_.output_check.against));
    return Status::Ok();
  }

 private:
  // The loop conditions of TFLite's benchmark allow zero timed runs, which it reports as a 0 us
  // latency. Refused before the model is loaded (exit 1): a dashboard must never record that.
  Status CheckSomeRunWillHappen() const {
    if (flags_.dry_run) return Status::Ok();
    if (flags_.max_secs <= 0)
      return InvalidArgumentError(fmt::format(
          "no inference completed: --max_secs={} stops the run loop before its first run; "
          "give a positive number of seconds",
          flags_.max_secs));
    if (flags_.num_runs <= 0 && flags_.min_secs <= 0)
      return InvalidArgumentError(fmt::format(
          "no inference completed: --num_runs={} and --min_secs={} ask for no timed run",
          flags_.num_runs, flags_.min_secs));
    return Status::Ok();
  }

  // --check_outputs: the last run's outputs against another backend's on the same inputs. A
  // check that cannot run is a warning (an error with --require_correct_outputs).
  Status RunOutputCheck() {
    if (flags_.dry_run) return Status::Ok();
    const std::string target = OutputCheckTarget(flags_, !backends_.applied.delegates.empty());
    if (target == "off") return Status::Ok();
    reports::OutputCheckRecord& check = result_.output_check;
    Status s = CheckOutputs(flags_, inputs_, model_, subgraph_index_, input_data_, *subgraph_,
                            target, &check);
    if (!s.ok()) {
      check.pass = false;
      if (flags_.require_correct_outputs) return s;
      Warn("WARNING: the output check did not run: " + s.message());
      return Status::Ok();
    }
    if (check.pass) {
      double worst = 0;
      for (const auto& c : check.outputs) worst = std::max(worst, c.max_abs_diff);
      Print(
          fmt::format("Outputs checked against {}: {} output(s) within tolerance (max |diff| "
                      "{:.3g})\n",
                      target, check.outputs.size(), worst));
      return Status::Ok();
    }
    for (const auto& c : check.outputs)
      if (!c.pass)
        Warn(fmt::format("WARNING: outputs differ from {}: {}", target,
                         analyzers::DescribeComparison(c)));
    return Status::Ok();
  }

  // Resident memory now, attributed to the step that just ended.
  void Step(const char* name) {
    result_.memory.steps.push_back({name, profiler::ReadProcessMemory()});
  }

  // Prints a warning on stderr and keeps it for the JSON report; empty lines are ignored.
  void Warn(const std::string& line) {
    if (line.empty()) return;
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", line.c_str());
    result_.warnings.push_back(line);
  }

  void FillResultHeader() {
    result_.benchmark_name = flags_.benchmark_name;
    result_.output_prefix = flags_.output_prefix;
    result_.model_path = flags_.graph;
    result_.date = IsoDate();
    result_.host = profiler::ReadHostInfo();
    result_.num_threads = flags_.num_threads > 0 ? flags_.num_threads : 1;
    result_.dry_run = flags_.dry_run;
    result_.op_profiling = flags_.collect_events();
  }

  Status Init() {
    Result<std::shared_ptr<const runtime::Model>> model = LoadModel(flags_.graph);
    if (!model.ok()) return model.status().WithContext("Failed to load model");
    model_ = *model;
    Step("model loaded");
    Print(reports::FormatLoadedModel(flags_.graph));
    result_.model_size_bytes = static_cast<int64_t>(model_->size());
    result_.model_sha256 = analyzers::Sha256Hex(model_->data(), model_->size());

    runtime::InterpreterOptions options;
    options.num_threads = result_.num_threads;
    options.max_arena_bytes = flags_.max_arena_mb << 20;
    options.max_while_iterations = flags_.max_while_iterations;
    auto interp =
        runtime::Interpreter::Create(model_, runtime::OpRegistry::WithBuiltins(), options);
    if (!interp.ok()) return interp.status().WithContext(flags_.graph);
    interp_ = std::move(interp.value());
    Step("interpreter created");

    if (flags_.list_signatures) {
      std::vector<std::string> keys;
      for (const runtime::SignatureInfo& s : interp_->signatures()) keys.push_back(s.key);
      Print(reports::FormatSignatureList(keys));
      listed_signatures_ = true;
      return Status::Ok();
    }
    LS_RETURN_IF_ERROR(SelectSubgraph());

    if (flags_.collect_events()) {
      size_t nodes = 0;
      for (int s = 0; s < interp_->subgraph_count(); ++s)
        nodes += interp_->subgraph(s)->nodes().size();
      const size_t entries = static_cast<size_t>(flags_.max_profiling_buffer_entries);
      events_ = std::make_unique<profiler::EventBuffer>(
          nodes > entries ? nodes + kProfilingBufferHeadroom : entries);
      events_->SetPhase(profiler::Phase::kInit, 0);
      interp_->SetProfilingHooks(events_.get());
    }
    LS_RETURN_IF_ERROR(ApplyInputShapes(inputs_, *subgraph_, &warnings_));
    for (const std::string& w : warnings_) std::fprintf(stderr, "%s\n", w.c_str());

    LS_RETURN_IF_ERROR(SelectBackends(flags_, *interp_, &backends_));
    if (!backends_.applied.delegates.empty()) Step("delegates applied");
    for (const std::string& line : backends_.log_lines) Print(line + "\n");
    std::fflush(stdout);
    result_.backend = backends_.backend;
    result_.placement = RecordPlacement(*interp_, backends_);
    LS_RETURN_IF_ERROR(CheckFullDelegation(flags_, *interp_, backends_));

    Status allocated = subgraph_->AllocateTensors();
    if (!allocated.ok()) return allocated.WithContext("Failed to allocate tensors!");
    Step("tensors allocated");
    if (events_) {
      labels_ = profiler::LabelNodes(*interp_);
      init_ops_ = profiler::OpStats(labels_);
      warmup_ops_ = profiler::OpStats(labels_);
      regular_ops_ = profiler::OpStats(labels_);
      breakdown_ops_ = profiler::OpStats(labels_);
      // Op profiling with a delegate: time the fused partitions, take the per-op shares from
      // separate untimed rounds (BreakdownRound) and scale them (Finish).
      breakdown_rounds_ = flags_.enable_op_profiling && !backends_.applied.delegates.empty();
      events_->SetDelegateOpBreakdown(!breakdown_rounds_);
      Drain(&init_ops_);
    }
    return Status::Ok();
  }

  Status SelectSubgraph() {
    const auto& sigs = interp_->signatures();
    int index = 0;
    if (!flags_.signature_to_run_for.empty()) {
      const runtime::SignatureInfo* sig = interp_->FindSignature(flags_.signature_to_run_for);
      if (!sig) {
        std::string keys;
        for (const auto& s : sigs) keys += (keys.empty() ? "" : ", ") + s.key;
        return InvalidArgumentError(
            fmt::format("--signature_to_run_for: the model has no signature '{}' (signatures: {})",
                        flags_.signature_to_run_for, keys.empty() ? "none" : keys));
      }
      index = sig->subgraph;
      result_.signature = sig->key;
    } else if (sigs.size() > 1) {
      return InvalidArgumentError(
          fmt::format("the model has {} signatures; choose one with --signature_to_run_for "
                      "(--list_signatures lists them)",
                      sigs.size()));
    } else if (sigs.size() == 1) {
      index = sigs[0].subgraph;
      result_.signature = sigs[0].key;
    }
    subgraph_ = interp_->subgraph(index);
    subgraph_index_ = index;
    if (!subgraph_)
      return InvalidModelError(fmt::format("signature subgraph {} does not exist", index));
    return Status::Ok();
  }

  // Aggregates (and writes to the trace) the events recorded since the last call.
  void Drain(profiler::OpStats* stats) {
    stats->AddRun(*events_);
    if (trace_) trace_->AddEvents(events_->events(), events_->size(), labels_);
    events_->Clear();
  }

  // One untimed run with the delegates timing their ops apart, for the per-op shares. Its
  // events go to breakdown_ops_ only (not the trace). A failure is kept and reported at the end.
  void BreakdownRound(int run) {
    events_->Clear();
    events_->SetPhase(profiler::Phase::kRegular, run);
    events_->SetDelegateOpBreakdown(true);
    CopyInputs(input_data_, *subgraph_);
    Status s = subgraph_->Invoke();
    if (!s.ok() && breakdown_status_.ok()) breakdown_status_ = s;
    breakdown_ops_.AddRun(*events_);
    events_->Clear();
    events_->SetDelegateOpBreakdown(false);
  }

  // Once the trace is full and nothing else needs the node events (no op profiling), the hooks
  // come off: later runs are timed without their cost, and per-op tables stay unprinted.
  void DetachHooksIfTraceFull() {
    if (!events_detached_ && trace_ && trace_->full() && !flags_.enable_op_profiling) {
      interp_->SetProfilingHooks(nullptr);
      events_detached_ = true;
    }
  }

  Status Loop(const RunLoopParams& params, profiler::Phase phase, profiler::RunSamples* runs) {
    Print(reports::FormatRunBanner(params.min_runs, params.min_secs, params.max_secs));
    std::fflush(stdout);
    profiler::OpStats* stats = phase == profiler::Phase::kWarmup ? &warmup_ops_ : &regular_ops_;
    RunLoopHooks hooks;
    hooks.before = [&](int run) {
      CopyInputs(input_data_, *subgraph_);
      if (events_ && !events_detached_) {
        events_->Clear();
        events_->SetPhase(phase, run);
      }
    };
    Progress progress(flags_.quiet, profiler::PhaseName(phase), params);
    hooks.after = [&](int run, const profiler::RunRecord& record) {
      progress.Update(run + 1, record);
      if (events_ && !events_detached_) Drain(stats);
      if (breakdown_rounds_ && phase == profiler::Phase::kRegular) BreakdownRound(run);
      if (trace_) {
        trace_->AddRun(phase, run, record);
        DetachHooksIfTraceFull();
      }
    };
    Status s = RunLoop(
        params, [this] { return subgraph_->Invoke(); }, hooks, runs);
    progress.Finish();
    if (!s.ok())
      return s.WithContext(fmt::format("{} run {}", profiler::PhaseName(phase), runs->count()));
    Print(reports::FormatLatencyLine(*runs) + "\n");
    return Status::Ok();
  }

  void FillMemory() {
    reports::MemoryFigures& m = result_.memory;
    m.max_rss_bytes = profiler::MaxRssBytes();
    m.at_end = profiler::ReadProcessMemory();
    m.model = profiler::ReadModelMemory(*interp_);
  }

  Status Finish() {
    if (!breakdown_status_.ok()) return breakdown_status_.WithContext("per-node profiling round");
    if (events_ && breakdown_rounds_ && breakdown_ops_.delegate_internal()) {
      auto partition_of = [this](int sg, int node) {
        const runtime::Subgraph* g = interp_->subgraph(sg);
        if (!g || node < 0 || static_cast<size_t>(node) >= g->placement().size()) return -1;
        return g->placement()[static_cast<size_t>(node)].partition;
      };
      regular_ops_.SetDelegateInternal(profiler::ScaleDelegateOps(
          regular_ops_, breakdown_ops_, partition_of, &result_.partition_scales));
      result_.delegate_ops_scaled = true;
      result_.breakdown_ops = &breakdown_ops_;
    }
    if (events_) {
      result_.init_ops = &init_ops_;
      result_.warmup_ops = &warmup_ops_;
      result_.regular_ops = &regular_ops_;
      result_.events_dropped = events_->dropped();
      result_.events_capacity = events_->capacity();
      if (events_->dropped() > 0)
        std::fprintf(stderr,
                     "WARNING: %llu profiling events did not fit the buffer; raise "
                     "--max_profiling_buffer_entries (now %zu)\n",
                     static_cast<unsigned long long>(events_->dropped()), events_->capacity());
    }
    if (flags_.enable_op_profiling) {
      const bool csv = flags_.op_profiling_output_mode == "csv";
      const std::string text =
          csv ? reports::FormatOpProfileCsv(result_) : reports::FormatOpProfileText(result_);
      if (flags_.op_profiling_output_file.empty())
        Print(text);
      else
        LS_RETURN_IF_ERROR(WriteFile(flags_.op_profiling_output_file, text));
    }
    if (flags_.print_postinvoke_state)
      Print(reports::FormatInterpreterStateBlock(*interp_, "post-invoke"));
    if (!flags_.output_filepath.empty()) {
      std::string bytes;
      for (int t : subgraph_->outputs()) {
        const runtime::Tensor& out = subgraph_->tensors()[static_cast<size_t>(t)];
        if (out.data) bytes.append(static_cast<const char*>(out.data), out.bytes);
      }
      LS_RETURN_IF_ERROR(WriteFile(flags_.output_filepath, bytes));
    }
    std::fflush(stdout);
    if (!flags_.report_json.empty()) {
      // The prediction (tflite_analyze's compat and cost) next to the timing; after measuring,
      // because it builds interpreters of its own.
      nlohmann::json report = reports::BenchmarkToJson(result_);
      report["analysis"] = AnalyzeForReport(model_, flags_);
      LS_RETURN_IF_ERROR(WriteFile(flags_.report_json, Dump(report, 1)));
    }
    if (!flags_.gbench_json.empty())
      LS_RETURN_IF_ERROR(WriteFile(flags_.gbench_json, Dump(reports::GbenchToJson(result_), 2)));
    if (trace_) {
      if (trace_->full())
        std::fprintf(stderr,
                     "WARNING: the trace holds the first %lld events (limits: %lld MB, %lld "
                     "events; --trace_max_mb, --trace_max_events); %lld later events were "
                     "counted, not written (otherData.dropped in the file)\n",
                     static_cast<long long>(trace_->events_written()),
                     static_cast<long long>(flags_.trace_max_mb),
                     static_cast<long long>(flags_.trace_max_events),
                     static_cast<long long>(trace_->events_dropped()));
      LS_RETURN_IF_ERROR(trace_->Finish(result_));
      trace_.reset();
    }
    return Status::Ok();
  }

  const BenchmarkFlags& flags_;
  const InputSpecs& inputs_;
  reports::BenchmarkResult result_;
  std::vector<std::string> warnings_;
  // Destroyed in reverse order: the interpreter before the delegates and the model it uses.
  std::shared_ptr<const runtime::Model> model_;
  BackendSelection backends_;
  std::unique_ptr<profiler::EventBuffer> events_;
  std::unique_ptr<runtime::Interpreter> interp_;
  runtime::Subgraph* subgraph_ = nullptr;
  int subgraph_index_ = 0;
  bool listed_signatures_ = false;
  std::vector<std::vector<uint8_t>> input_data_;
  std::vector<profiler::SubgraphLabels> labels_;
  profiler::OpStats init_ops_, warmup_ops_, regular_ops_;
  profiler::OpStats breakdown_ops_;  // per-node rounds (see BreakdownRound)
  bool breakdown_rounds_ = false;
  Status breakdown_status_;
  std::unique_ptr<reports::TraceWriter> trace_;  // null without --trace_file
  bool events_detached_ = false;
  int64_t init_begin_ns_ = 0;
  int64_t init_end_ns_ = 0;
};

}  // namespace

Status RunBenchmark(const BenchmarkFlags& flags, const InputSpecs& inputs,
                    const std::string& executable) {
  Session session(flags, inputs, executable);
  return session.Run();
}

}  // namespace litescope::apps
