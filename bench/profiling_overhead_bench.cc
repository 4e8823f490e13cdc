// What op profiling costs: the same model invoked with the profiler's hooks off and on.
//
//   BM_Invoke/<model>/profiling:0|1   plain Invoke, hooks off or on (EventBuffer installed)
//   BM_ProfilingOverhead/<model>      off and on alternate within each iteration (so drift and
//                                     noise hit both alike); counters off_us, on_us (medians),
//                                     overhead_pct = (on - off) / off * 100, and
//                                     estimated_overhead_pct = events per run x the cost of one
//                                     Begin/End pair / off (immune to machine noise)
//   BM_EventPair                      one EventBuffer Begin/End pair (the per-node cost)
//
// Models: builtin:mobilenet_like always; the shared MobileNet-class models when ../shared/models
// (or $LITESCOPE_SHARED_DIR/models) exists. A model the runtime cannot run yet (a missing kernel)
// is skipped with a message on stderr.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "profiler/clock.h"
#include "profiler/event_buffer.h"
#include "profiler/stats.h"
#include "runtime/interpreter.h"
#include "runtime/op_registry.h"
#include "runtime/sample_models.h"
#include "runtime/subgraph.h"

namespace {

namespace lp = litescope::profiler;
namespace lr = litescope::runtime;

const char* const kSharedModels[] = {
    "mobilenet_v1_0.25_224_float.tflite",
    "mobilenet_v1_0.25_224_quant.tflite",
    "mobilenet_v2_1.0_224_quant.tflite",
    "tf2_mobilenet_v2_1.0_224_ptq.tflite",
};

// A model ready to invoke, with its profiling buffer.
struct Subject {
  std::string name;
  std::vector<uint8_t> bytes;  // built-in models own their bytes
  std::shared_ptr<const lr::Model> model;
  std::unique_ptr<lr::Interpreter> interp;
  std::unique_ptr<lp::EventBuffer> events;
};

std::string SharedModelsDir() {
  if (const char* env = std::getenv("LITESCOPE_SHARED_DIR")) return std::string(env) + "/models";
  return (std::filesystem::path(LITESCOPE_SOURCE_DIR).parent_path() / "shared" / "models").string();
}

// Builds the interpreter and fills the inputs; nullptr (and a message) when it cannot run.
std::unique_ptr<Subject> Prepare(const std::string& name, std::vector<uint8_t> bytes,
                                 const std::string& path) {
  auto s = std::make_unique<Subject>();
  s->name = name;
  s->bytes = std::move(bytes);
  auto model = path.empty() ? lr::Model::FromBuffer(s->bytes.data(), s->bytes.size(), name)
                            : lr::Model::FromFile(path);
  litescope::Status status = model.status();
  if (model.ok()) {
    s->model = *model;
    auto interp = lr::Interpreter::Create(s->model, lr::OpRegistry::WithBuiltins());
    status = interp.status();
    if (interp.ok()) {
      s->interp = std::move(interp.value());
      status = s->interp->AllocateTensors();
    }
  }
  if (status.ok()) {
    std::mt19937 rng(1);
    for (int i = 0; i < s->interp->input_count(); ++i) {
      lr::Tensor* t = s->interp->input(i);
      auto* p = static_cast<uint8_t*>(t->data);
      for (size_t b = 0; p && b < t->bytes; ++b) p[b] = static_cast<uint8_t>(rng() & 0x3f);
    }
    status = s->interp->Invoke();  // the first run must work too
  }
  if (!status.ok()) {
    std::fprintf(stderr, "SKIPPED: %s: %s\n", name.c_str(), status.message().c_str());
    return nullptr;
  }
  size_t nodes = 0;
  for (int i = 0; i < s->interp->subgraph_count(); ++i)
    nodes += s->interp->subgraph(i)->nodes().size();
  s->events = std::make_unique<lp::EventBuffer>(nodes + 512);
  return s;
}

// Cost of one Begin/End pair in nanoseconds: the fastest of a few batches, in process CPU time
// (a busy machine preempts us often; wall time would count the preemption).
double EventPairNs() {
  static const double ns = [] {
    lp::EventBuffer buf(1);
    double best = 1e9;
    for (int trial = 0; trial < 7; ++trial) {
      constexpr int kPairs = 200000;
      const int64_t t0 = lp::ProcessCpuNowNs();
      for (int i = 0; i < kPairs; ++i) {
        buf.Clear();
        buf.End(buf.Begin(lr::EventKind::kInvoke, "OP", 0, i));
      }
      best = std::min(best, static_cast<double>(lp::ProcessCpuNowNs() - t0) / kPairs);
    }
    return best;
  }();
  return ns;
}

void BM_EventPair(benchmark::State& state) {
  lp::EventBuffer buf(1);
  lr::ProfilingHooks* hooks = &buf;  // through the interface, as the interpreter calls it
  int node = 0;
  for (auto _ : state) {
    buf.Clear();
    hooks->End(hooks->Begin(lr::EventKind::kInvoke, "OP", 0, node++));
  }
}
BENCHMARK(BM_EventPair);

void BM_Invoke(benchmark::State& state, Subject* s) {
  const bool profiling = state.range(0) != 0;
  s->interp->SetProfilingHooks(profiling ? s->events.get() : nullptr);
  for (auto _ : state) {
    s->events->Clear();
    if (!s->interp->Invoke().ok()) {
      state.SkipWithError("Invoke failed");
      break;
    }
  }
  s->interp->SetProfilingHooks(nullptr);
  state.counters["events_per_run"] = profiling ? static_cast<double>(s->events->size()) : 0.0;
}

// Nanoseconds of one Invoke with the hooks off or on; -1 on failure. `events` gets the number of
// events the run recorded.
int64_t TimedInvoke(Subject* s, bool profiling, size_t* events) {
  s->interp->SetProfilingHooks(profiling ? s->events.get() : nullptr);
  s->events->Clear();
  const int64_t t0 = lp::MonotonicNowNs();
  const bool ok = s->interp->Invoke().ok();
  const int64_t t1 = lp::MonotonicNowNs();
  *events = s->events->size();
  return ok ? t1 - t0 : -1;
}

void BM_ProfilingOverhead(benchmark::State& state, Subject* s) {
  std::vector<double> off_us, on_us;
  bool on_first = false;
  size_t events = 0, no_events = 0;
  for (auto _ : state) {
    int64_t off_ns, on_ns;
    if (on_first) {
      on_ns = TimedInvoke(s, true, &events);
      off_ns = TimedInvoke(s, false, &no_events);
    } else {
      off_ns = TimedInvoke(s, false, &no_events);
      on_ns = TimedInvoke(s, true, &events);
    }
    on_first = !on_first;
    if (off_ns < 0 || on_ns < 0) {
      state.SkipWithError("Invoke failed");
      break;
    }
    off_us.push_back(static_cast<double>(off_ns) / 1000.0);
    on_us.push_back(static_cast<double>(on_ns) / 1000.0);
    state.SetIterationTime(static_cast<double>(off_ns + on_ns) * 1e-9);
  }
  s->interp->SetProfilingHooks(nullptr);
  if (off_us.empty()) return;
  const double off = lp::Median(off_us), on = lp::Median(on_us);
  state.counters["off_us"] = off;
  state.counters["on_us"] = on;
  state.counters["overhead_pct"] = off > 0 ? (on - off) / off * 100.0 : 0.0;
  state.counters["overhead_pct_trimmed_mean"] =
      100.0 * (lp::TrimmedMean(on_us, 0.1) - lp::TrimmedMean(off_us, 0.1)) /
      lp::TrimmedMean(off_us, 0.1);
  state.counters["events_per_run"] = static_cast<double>(events);
  state.counters["estimated_overhead_pct"] =
      off > 0 ? static_cast<double>(events) * EventPairNs() / 1000.0 / off * 100.0 : 0.0;
}

std::vector<std::unique_ptr<Subject>>& Subjects() {
  static std::vector<std::unique_ptr<Subject>> subjects;
  return subjects;
}

void RegisterAll() {
  auto builtin = lr::BuildSampleModel("mobilenet_like");
  if (builtin.ok()) {
    if (auto s = Prepare("builtin:mobilenet_like", std::move(builtin.value()), ""))
      Subjects().push_back(std::move(s));
  } else {
    std::fprintf(stderr, "SKIPPED: builtin:mobilenet_like: %s\n",
                 builtin.status().message().c_str());
  }
  const std::string dir = SharedModelsDir();
  if (!std::filesystem::is_directory(dir)) {
    std::fprintf(stderr, "SKIPPED: shared MobileNet models: %s is missing\n", dir.c_str());
  } else {
    for (const char* file : kSharedModels) {
      const std::string path = dir + "/" + file;
      if (!std::filesystem::exists(path)) {
        std::fprintf(stderr, "SKIPPED: %s: not found\n", path.c_str());
        continue;
      }
      if (auto s = Prepare(file, {}, path)) Subjects().push_back(std::move(s));
    }
  }
  for (auto& s : Subjects()) {
    Subject* subject = s.get();
    benchmark::RegisterBenchmark(("BM_Invoke/" + s->name).c_str(), BM_Invoke, subject)
        ->ArgName("profiling")
        ->Arg(0)
        ->Arg(1)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ProfilingOverhead/" + s->name).c_str(), BM_ProfilingOverhead,
                                 subject)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
