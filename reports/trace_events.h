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
// that reported them alive). Formats only.
nlohmann::json TraceToJson(const BenchmarkResult& result,
                           const std::vector<profiler::ProfileEvent>& events,
                           const std::vector<profiler::SubgraphLabels>& labels, int64_t origin_ns,
                           int64_t init_begin_ns, int64_t init_end_ns);

}  // namespace litescope::reports
