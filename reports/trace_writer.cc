#include "reports/trace_writer.h"

#include <cstdio>

#include <fmt/format.h>

#include "reports/trace_events.h"

namespace litescope::reports {
namespace {

using nlohmann::json;

// Room kept for the closing text and the summary: a few hundred bytes per dropped category.
constexpr int64_t kTailReserveBytes = 16 * 1024;

std::string Compact(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Result<std::unique_ptr<TraceWriter>> TraceWriter::Open(const std::string& path,
                                                       const Limits& limits,
                                                       const BenchmarkResult& result,
                                                       int64_t origin_ns) {
  const std::string part = path + ".part";
  std::FILE* file = std::fopen(part.c_str(), "wb");
  if (file == nullptr) return IoError(fmt::format("{}: cannot open for writing", part));
  std::unique_ptr<TraceWriter> writer(new TraceWriter(path, limits, file, origin_ns));
  const std::string head = "{\"traceEvents\":[\n";
  std::fwrite(head.data(), 1, head.size(), file);
  writer->bytes_ = static_cast<int64_t>(head.size());
  // Metadata always fits: it is a few hundred bytes and not counted as events.
  for (const json& m : TraceMetadataEvents(result)) {
    const std::string text = (writer->first_event_ ? "" : ",\n") + Compact(m);
    writer->first_event_ = false;
    std::fwrite(text.data(), 1, text.size(), file);
    writer->bytes_ += static_cast<int64_t>(text.size());
  }
  return writer;
}

TraceWriter::TraceWriter(std::string path, const Limits& limits, std::FILE* file, int64_t origin_ns)
    : path_(std::move(path)),
      part_path_(path_ + ".part"),
      limits_(limits),
      file_(file),
      origin_ns_(origin_ns) {}

TraceWriter::~TraceWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(part_path_.c_str());
  }
}

void TraceWriter::Add(const json& event) {
  if (!full_) {
    const std::string text = ",\n" + Compact(event);
    const int64_t size = static_cast<int64_t>(text.size());
    if (events_written_ < limits_.max_events &&
        bytes_ + size + kTailReserveBytes <= limits_.max_bytes) {
      if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) write_failed_ = true;
      bytes_ += size;
      ++events_written_;
      return;
    }
    full_ = true;
  }
  ++dropped_[event.value("cat", std::string("other"))];
}

void TraceWriter::AddInit(int64_t init_begin_ns, int64_t init_end_ns) {
  if (init_end_ns > init_begin_ns) Add(TraceInitEvent(init_begin_ns, init_end_ns, origin_ns_));
}

void TraceWriter::AddRun(profiler::Phase phase, int64_t index, const RunRecord& run) {
  if (full_) {  // counted without building the event
    ++dropped_[std::string(profiler::PhaseName(phase)) + ",run"];
    return;
  }
  Add(TraceRunEvent(phase, index, run, origin_ns_));
}

void TraceWriter::AddEvents(const profiler::ProfileEvent* events, size_t count,
                            const std::vector<profiler::SubgraphLabels>& labels) {
  for (size_t i = 0; i < count; ++i) {
    if (events[i].end_ns == 0) continue;
    if (full_) {
      ++dropped_[TraceNodeCategory(events[i])];  // counted without formatting the event
      continue;
    }
    Add(TraceNodeEvent(events[i], labels, origin_ns_));
  }
}

int64_t TraceWriter::events_dropped() const {
  int64_t n = 0;
  for (const auto& [category, count] : dropped_) n += count;
  return n;
}

Status TraceWriter::Finish(const BenchmarkResult& result) {
  json other = TraceOtherData(result);
  other["limits"] = {{"max_bytes", limits_.max_bytes}, {"max_events", limits_.max_events}};
  other["events_written"] = events_written_;
  other["events_dropped"] = events_dropped();
  other["dropped"] = dropped_;
  const std::string tail = "\n],\"displayTimeUnit\":\"ms\",\"otherData\":" + Compact(other) + "}\n";
  if (std::fwrite(tail.data(), 1, tail.size(), file_) != tail.size()) write_failed_ = true;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed || write_failed_) {
    std::remove(part_path_.c_str());
    return IoError(fmt::format("{}: write failed", part_path_));
  }
  if (std::rename(part_path_.c_str(), path_.c_str()) != 0) {
    std::remove(part_path_.c_str());
    return IoError(fmt::format("{}: cannot move the trace into place", path_));
  }
  return Status::Ok();
}

}  // namespace litescope::reports
