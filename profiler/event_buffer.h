#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/profiling_hooks.h"

namespace litescope::profiler {

// What the benchmark was doing when an event was recorded.
enum class Phase : uint8_t {
  kInit,     // loading, delegate application and AllocateTensors (node Prepare events)
  kWarmup,   // warmup runs (not part of the reported statistics)
  kRegular,  // timed runs
};

// "init", "warmup" or "regular".
const char* PhaseName(Phase phase);

// One begin/end pair, or one recorded event, reported through runtime::ProfilingHooks. Plain
// data.
struct ProfileEvent {
  const char* tag = "";  // op or backend name; storage belongs to the interpreter, so an event
                         // is readable only while the interpreter that reported it lives
  int64_t begin_ns = 0;  // MonotonicNowNs() at Begin
  int64_t end_ns = 0;    // MonotonicNowNs() at End; 0 while the event is still open
  int32_t subgraph = 0;
  int32_t node = -1;  // node index; -1 - p for delegate partition p; -1 for kAllocate
  int32_t run = 0;    // run index within the phase (0 during init)
  runtime::EventKind kind = runtime::EventKind::kInvoke;
  runtime::EventClock clock = runtime::EventClock::kHost;  // kDevice: the device measured it
  Phase phase = Phase::kInit;

  int64_t duration_ns() const { return end_ns > begin_ns ? end_ns - begin_ns : 0; }
};

// A ProfilingHooks implementation that records events into storage allocated up front.
//
// Hot path: Begin() and End() read the monotonic clock and write one slot; they never allocate,
// lock or format. When the buffer is full, further events are counted in dropped() and their
// handles are ignored by End(). The owner drains the buffer between runs (events(), Clear()) and
// tags what follows with SetPhase(). Nested events (a WHILE node and its body's nodes, a
// delegate partition and the ops it reports) each get their own slot.
//
// Not thread-safe: the interpreter calls hooks from the thread that runs Invoke, and the owner
// must not drain while a run is in progress.
class EventBuffer final : public runtime::ProfilingHooks {
 public:
  // Handle returned for an event that did not fit.
  static constexpr uint32_t kDroppedHandle = 0xffffffffu;

  // Allocates room for `capacity` events (at least 1).
  explicit EventBuffer(size_t capacity);

  uint32_t Begin(runtime::EventKind kind, const char* tag, int subgraph, int node) override;
  void End(uint32_t handle) override;
  // Stores an event with its own start and duration (same slot rules as Begin).
  void Record(const runtime::RecordedEvent& event) override;

  // Events recorded after this call carry `phase` and `run`.
  void SetPhase(Phase phase, int run) {
    phase_ = phase;
    run_ = run;
  }
  Phase phase() const { return phase_; }
  // runtime::ProfilingHooks::WantsDelegateOpBreakdown; true until set.
  bool WantsDelegateOpBreakdown() const override { return breakdown_; }
  void SetDelegateOpBreakdown(bool breakdown) { breakdown_ = breakdown; }

  // Events recorded since the last Clear(), in Begin order.
  const ProfileEvent* events() const { return events_.data(); }
  size_t size() const { return size_; }
  const ProfileEvent& operator[](size_t i) const { return events_[i]; }

  // Forgets the recorded events; keeps the storage.
  void Clear() { size_ = 0; }
  // Grows the storage to hold `capacity` events. Allocates: call between runs, never inside one.
  void Reserve(size_t capacity);
  size_t capacity() const { return events_.size(); }
  // Events that did not fit, since construction.
  uint64_t dropped() const { return dropped_; }

 private:
  std::vector<ProfileEvent> events_;
  size_t size_ = 0;
  uint64_t dropped_ = 0;
  Phase phase_ = Phase::kInit;
  int32_t run_ = 0;
  bool breakdown_ = true;
};

}  // namespace litescope::profiler
