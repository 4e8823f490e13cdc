#include "profiler/event_buffer.h"

#include "profiler/clock.h"

namespace litescope::profiler {

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kInit:
      return "init";
    case Phase::kWarmup:
      return "warmup";
    case Phase::kRegular:
      return "regular";
  }
  return "unknown";
}

EventBuffer::EventBuffer(size_t capacity) : events_(capacity > 0 ? capacity : 1) {}

uint32_t EventBuffer::Begin(runtime::EventKind kind, const char* tag, int subgraph, int node) {
  if (size_ >= events_.size() || size_ >= kDroppedHandle) {
    ++dropped_;
    return kDroppedHandle;
  }
  ProfileEvent& e = events_[size_];
  e.tag = tag;
  e.subgraph = subgraph;
  e.node = node;
  e.run = run_;
  e.kind = kind;
  e.clock = runtime::EventClock::kHost;
  e.phase = phase_;
  e.end_ns = 0;
  e.begin_ns = MonotonicNowNs();  // last, so the bookkeeping above is not timed
  return static_cast<uint32_t>(size_++);
}

void EventBuffer::End(uint32_t handle) {
  const int64_t now = MonotonicNowNs();  // first, so the lookup below is not timed
  if (handle < size_) events_[handle].end_ns = now;
}

void EventBuffer::Record(const runtime::RecordedEvent& event) {
  if (size_ >= events_.size() || size_ >= kDroppedHandle) {
    ++dropped_;
    return;
  }
  ProfileEvent& e = events_[size_++];
  e.tag = event.tag;
  e.subgraph = event.subgraph;
  e.node = event.node;
  e.run = run_;
  e.kind = event.kind;
  e.clock = event.clock;
  e.phase = phase_;
  e.begin_ns = event.start_ns;
  // end_ns == 0 marks an open event, so a zero-length event at time 0 still needs an end.
  e.end_ns = event.start_ns + (event.duration_ns > 0 ? event.duration_ns : 0);
  if (e.end_ns == 0) e.end_ns = 1;
}

void EventBuffer::Reserve(size_t capacity) {
  if (capacity > events_.size()) events_.resize(capacity);
}

}  // namespace litescope::profiler
