#pragma once

#include <cstdint>
#include <ctime>

namespace litescope::runtime {

// What an instrumentation event covers.
enum class EventKind : uint8_t {
  kPrepare,     // a node's Prepare (during AllocateTensors)
  kInvoke,      // a node's Eval
  kDelegateOp,  // an operation a delegate reports inside one of its kernels
  kAllocate,    // arena planning and allocation
  kDeviceOp,    // a node's time as the device measured it (GPU event profiling); Record only
  kCopy,        // a host<->device copy a backend made; Record only
};

// Which clock measured a recorded event. Either way its start is given on the host clock
// below (a backend maps device timestamps onto it, e.g. anchored at a host time taken when the
// work was submitted); kDevice says the duration is the device's own measurement, so tools show
// it on a track of its own.
enum class EventClock : uint8_t { kHost, kDevice };

// Nanoseconds on CLOCK_MONOTONIC, the clock of every profiling event (origin arbitrary; never
// jumps; served by the vDSO on Linux).
inline int64_t ProfilingClockNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// An event whose start and duration the reporter measured itself.
struct RecordedEvent {
  EventKind kind = EventKind::kDeviceOp;
  const char* tag = "";  // op name, or what was copied ("host->device"); static or model storage
  int subgraph = 0;
  int node = -1;         // the node it belongs to; for a copy, the partition's first node or -1
  int64_t start_ns = 0;  // on ProfilingClockNowNs()'s clock
  int64_t duration_ns = 0;
  EventClock clock = EventClock::kHost;
};

// Begin/end instrumentation the interpreter calls around every node, plus Record for events a
// backend measured itself. `node` is the node index;
// for a delegate partition run as one kInvoke event it is -1 - partition index, and the delegate
// reports each original node inside it as a kDelegateOp event with the node's own index.
// Implemented outside the runtime (profiler/). When no hooks are installed the interpreter makes no
// calls at all. Calls come from the thread that runs Invoke/AllocateTensors.
class ProfilingHooks {
 public:
  virtual ~ProfilingHooks() = default;
  // Returns a handle passed back to End. `tag` is the op name (static or model-owned storage).
  virtual uint32_t Begin(EventKind kind, const char* tag, int subgraph, int node) = 0;
  virtual void End(uint32_t handle) = 0;
  // An event with an explicit start and duration, for times measured elsewhere than around a
  // host call: a GPU kernel's execution from its OpenCL event, a copy, an op inside a fused
  // delegate run. Hooks that only time host code may ignore these (the default).
  virtual void Record(const RecordedEvent& event) { (void)event; }
  // Whether a delegate that can time its ops only by running them apart (one runtime per node,
  // losing cross-node fusion) should do so now. When false it runs its fused program, timed as
  // a whole by the partition's event; a benchmark then asks for the breakdown in separate,
  // untimed rounds and scales it to the fused time.
  virtual bool WantsDelegateOpBreakdown() const { return true; }
};

// RAII guard: a no-op when hooks is null.
class ScopedEvent {
 public:
  ScopedEvent(ProfilingHooks* hooks, EventKind kind, const char* tag, int subgraph, int node)
      : hooks_(hooks), handle_(hooks ? hooks->Begin(kind, tag, subgraph, node) : 0) {}
  ~ScopedEvent() {
    if (hooks_) hooks_->End(handle_);
  }
  ScopedEvent(const ScopedEvent&) = delete;
  ScopedEvent& operator=(const ScopedEvent&) = delete;

 private:
  ProfilingHooks* hooks_;
  uint32_t handle_;
};

}  // namespace litescope::runtime
