#include "reports/trace_events.h"

#include <string>

namespace litescope::reports {
namespace {

using nlohmann::json;

constexpr int kPid = 1;
constexpr int kInitTid = 1;
constexpr int kWarmupTid = 2;
constexpr int kRegularTid = 3;
constexpr int kDelegateTid = 4;
constexpr int kDeviceTid = 5;  // events a backend timed on its device, and its copies

int PhaseTid(profiler::Phase phase) {
  switch (phase) {
    case profiler::Phase::kInit:
      return kInitTid;
    case profiler::Phase::kWarmup:
      return kWarmupTid;
    case profiler::Phase::kRegular:
      return kRegularTid;
  }
  return kRegularTid;
}

const char* KindName(runtime::EventKind kind) {
  switch (kind) {
    case runtime::EventKind::kPrepare:
      return "prepare";
    case runtime::EventKind::kInvoke:
      return "invoke";
    case runtime::EventKind::kDelegateOp:
      return "delegate_op";
    case runtime::EventKind::kAllocate:
      return "allocate";
    case runtime::EventKind::kDeviceOp:
      return "device_op";
    case runtime::EventKind::kCopy:
      return "copy";
  }
  return "other";
}

double Micros(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

json Metadata(const char* what, int tid, const std::string& name) {
  return {{"name", what}, {"ph", "M"}, {"pid", kPid}, {"tid", tid}, {"args", {{"name", name}}}};
}

json Complete(const std::string& name, const std::string& cat, int tid, int64_t begin_ns,
              int64_t dur_ns, int64_t origin_ns, json args) {
  json event = {
      {"name", name},          {"cat", cat},  {"ph", "X"}, {"ts", Micros(begin_ns - origin_ns)},
      {"dur", Micros(dur_ns)}, {"pid", kPid}, {"tid", tid}};
  // Assigned, not put in the list above: a moved value inside a braced list came out empty in
  // a GCC 12 -O1 build with nlohmann/json 3.11.
  event["args"] = std::move(args);
  return event;
}

// Device-measured events (a GPU's own timestamps) and copies get a track of their own.
bool IsDeviceTrack(const profiler::ProfileEvent& e) {
  return e.clock == runtime::EventClock::kDevice || e.kind == runtime::EventKind::kDeviceOp ||
         e.kind == runtime::EventKind::kCopy;
}

}  // namespace

json TraceMetadataEvents(const BenchmarkResult& result) {
  json trace = json::array();
  trace.push_back(Metadata("process_name", kInitTid, result.tool + " " + result.model_path));
  trace.push_back(Metadata("thread_name", kInitTid, "initialization"));
  trace.push_back(Metadata("thread_name", kWarmupTid, "warmup runs"));
  trace.push_back(Metadata("thread_name", kRegularTid, "regular runs"));
  trace.push_back(Metadata("thread_name", kDelegateTid, "delegate internal"));
  trace.push_back(Metadata("thread_name", kDeviceTid, "device (backend-measured)"));
  return trace;
}

json TraceInitEvent(int64_t init_begin_ns, int64_t init_end_ns, int64_t origin_ns) {
  return Complete("Initialize", "init", kInitTid, init_begin_ns, init_end_ns - init_begin_ns,
                  origin_ns, json::object());
}

json TraceRunEvent(profiler::Phase phase, int64_t index, const RunRecord& run, int64_t origin_ns) {
  return Complete("Invoke", std::string(profiler::PhaseName(phase)) + ",run", PhaseTid(phase),
                  run.start_ns, run.wall_ns, origin_ns,
                  {{"run", index}, {"cpu_us", Micros(run.cpu_ns)}});
}

std::string TraceNodeCategory(const profiler::ProfileEvent& e) {
  const bool internal = e.kind == runtime::EventKind::kDelegateOp;
  return std::string(profiler::PhaseName(e.phase)) + "," +
         (IsDeviceTrack(e) ? KindName(e.kind)
          : internal       ? "delegate_op"
                           : "op");
}

json TraceNodeEvent(const profiler::ProfileEvent& e,
                    const std::vector<profiler::SubgraphLabels>& labels, int64_t origin_ns) {
  const bool internal = e.kind == runtime::EventKind::kDelegateOp;
  const bool partition = e.kind == runtime::EventKind::kInvoke && e.node < 0;
  json args = {
      {"subgraph", e.subgraph}, {"node_index", e.node}, {"run", e.run}, {"kind", KindName(e.kind)}};
  if (e.subgraph >= 0 && static_cast<size_t>(e.subgraph) < labels.size()) {
    const profiler::SubgraphLabels& sl = labels[static_cast<size_t>(e.subgraph)];
    const profiler::NodeLabel* l = nullptr;
    if (partition && static_cast<size_t>(-1 - e.node) < sl.partitions.size())
      l = &sl.partitions[static_cast<size_t>(-1 - e.node)];
    else if (!partition && e.node >= 0 && static_cast<size_t>(e.node) < sl.nodes.size())
      l = &sl.nodes[static_cast<size_t>(e.node)];
    if (l) {
      args["name"] = l->name;
      args["backend"] = l->backend;
    }
  }
  const bool device = IsDeviceTrack(e);
  if (device) args["clock"] = e.clock == runtime::EventClock::kDevice ? "device" : "host";
  const std::string cat = TraceNodeCategory(e);
  const int tid = device ? kDeviceTid : internal ? kDelegateTid : PhaseTid(e.phase);
  return Complete(e.tag ? e.tag : "", cat, tid, e.begin_ns, e.duration_ns(), origin_ns,
                  std::move(args));
}

json TraceOtherData(const BenchmarkResult& result) {
  return {{"tool", result.tool},
          {"model", result.model_path},
          {"name", ReportName(result)},
          {"date", result.date}};
}

json TraceToJson(const BenchmarkResult& result, const std::vector<profiler::ProfileEvent>& events,
                 const std::vector<profiler::SubgraphLabels>& labels, int64_t origin_ns,
                 int64_t init_begin_ns, int64_t init_end_ns) {
  json trace = TraceMetadataEvents(result);
  if (init_end_ns > init_begin_ns)
    trace.push_back(TraceInitEvent(init_begin_ns, init_end_ns, origin_ns));
  for (const auto* runs : {&result.warmup_runs, &result.regular_runs}) {
    const profiler::Phase phase =
        runs == &result.warmup_runs ? profiler::Phase::kWarmup : profiler::Phase::kRegular;
    for (const profiler::KeptRun& k : runs->Kept())
      trace.push_back(TraceRunEvent(phase, k.index, k.run, origin_ns));
  }
  for (const profiler::ProfileEvent& e : events)
    if (e.end_ns != 0) trace.push_back(TraceNodeEvent(e, labels, origin_ns));
  return {{"traceEvents", std::move(trace)},
          {"displayTimeUnit", "ms"},
          {"otherData", TraceOtherData(result)}};
}

}  // namespace litescope::reports
