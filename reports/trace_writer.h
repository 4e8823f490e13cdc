#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "profiler/event_buffer.h"
#include "profiler/op_stats.h"
#include "reports/benchmark_result.h"
#include "runtime/status.h"

namespace litescope::reports {

// Writes a Chrome trace-event document (the layout of trace_events.h) while the benchmark runs,
// in bounded memory and within a size budget: each event is serialized when it is added and
// appended to "<path>.part", the first events are kept, and once either limit would be passed
// every later event is counted, by category, instead of written. Finish() closes the document
// with a "otherData.dropped" summary and renames the file into place; a writer destroyed
// without Finish() (a failed run) removes its partial file, so nothing half-written is left.
class TraceWriter {
 public:
  struct Limits {
    int64_t max_bytes = int64_t{32} << 20;  // the whole file, summary included
    int64_t max_events = 200'000;           // complete events (metadata not counted)
  };

  // Opens "<path>.part" and writes the header and metadata events. `origin_ns` is the time
  // that becomes ts 0.
  static Result<std::unique_ptr<TraceWriter>> Open(const std::string& path, const Limits& limits,
                                                   const BenchmarkResult& result,
                                                   int64_t origin_ns);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void AddInit(int64_t init_begin_ns, int64_t init_end_ns);
  void AddRun(profiler::Phase phase, int64_t index, const RunRecord& run);
  // Node events of one drain of the profiling buffer (open events are skipped).
  void AddEvents(const profiler::ProfileEvent* events, size_t count,
                 const std::vector<profiler::SubgraphLabels>& labels);

  // True once an event was dropped: later events will be dropped too.
  bool full() const { return full_; }
  int64_t events_written() const { return events_written_; }
  int64_t events_dropped() const;
  // Dropped events per category ("regular,op", "warmup,run", ...).
  const std::map<std::string, int64_t>& dropped() const { return dropped_; }
  const Limits& limits() const { return limits_; }

  // Closes the document ("otherData": trace_events.h's plus "limits" and "dropped") and moves
  // it to `path`.
  Status Finish(const BenchmarkResult& result);

 private:
  TraceWriter(std::string path, const Limits& limits, std::FILE* file, int64_t origin_ns);
  void Add(const nlohmann::json& event);

  std::string path_;
  std::string part_path_;
  Limits limits_;
  std::FILE* file_;
  int64_t origin_ns_;
  int64_t bytes_ = 0;
  int64_t events_written_ = 0;
  bool first_event_ = true;
  bool full_ = false;
  bool write_failed_ = false;
  std::map<std::string, int64_t> dropped_;
};

}  // namespace litescope::reports
