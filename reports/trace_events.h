#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "profiler/event_buffer.h"
#include "profiler/op_stats.h"
#include "reports/benchmark_result.h"

namespace litescope::reports {

// A Chrome trace-event JSON document (the "JSON Object Format" that chrome://tracing, Perfetto
// and speedscope open): one complete ("ph": "X") event per recorded node event, per run
// ("Invoke") and for initialization, with process and thread names as metadata events.
// Timestamps are microseconds since `origin_ns` (a MonotonicNowNs() value).
//
// Threads: 1 = initialization, 2 = warmup runs, 3 = regular runs, 4 = ops that delegates report
// from inside their kernels (kept on their own track: delegates may time them after the fact).
//
// `events` are ProfileEvents of every phase; their tags must still be valid (the interpreter
// that reported them alive). Formats only; the runs are the kept ones of each RunSamples. A
// long benchmark writes its trace with TraceWriter (trace_writer.h) instead, in bounded memory.
nlohmann::json TraceToJson(const BenchmarkResult& result,
                           const std::vector<profiler::ProfileEvent>& events,
                           const std::vector<profiler::SubgraphLabels>& labels, int64_t origin_ns,
                           int64_t init_begin_ns, int64_t init_end_ns);

// The pieces of the document, for writers that stream it.
// Process and thread names ("ph": "M").
nlohmann::json TraceMetadataEvents(const BenchmarkResult& result);
nlohmann::json TraceInitEvent(int64_t init_begin_ns, int64_t init_end_ns, int64_t origin_ns);
// One run's "Invoke" event on its phase's track; `index` is the run's index in the phase.
nlohmann::json TraceRunEvent(profiler::Phase phase, int64_t index, const RunRecord& run,
                             int64_t origin_ns);
// One node, partition, delegate-internal or device event (e.end_ns != 0).
nlohmann::json TraceNodeEvent(const profiler::ProfileEvent& e,
                              const std::vector<profiler::SubgraphLabels>& labels,
                              int64_t origin_ns);
// Its "cat": "<phase>,op", "<phase>,delegate_op", "<phase>,device_op", "<phase>,copy", ...
std::string TraceNodeCategory(const profiler::ProfileEvent& e);
// "otherData": tool, model, report name, date.
nlohmann::json TraceOtherData(const BenchmarkResult& result);

}  // namespace litescope::reports
