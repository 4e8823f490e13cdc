#pragma once

#include <cstdint>

namespace litescope::runtime {

// What an instrumentation event covers.
enum class EventKind : uint8_t {
  kPrepare,         // a node's Prepare (during AllocateTensors)
  kInvoke,          // a node's Eval
  kDelegateOp,      // an operation a delegate reports inside one of its kernels
  kAllocate,        // arena planning and allocation
};

// Begin/end instrumentation the interpreter calls around every node. `node` is the node index;
// for a delegate partition run as one kInvoke event it is -1 - partition index, and the delegate
// reports each original node inside it as a kDelegateOp event with the node's own index. Implemented outside the
// runtime (profiler/). When no hooks are installed the interpreter makes no calls at all.
// Calls come from the thread that runs Invoke/AllocateTensors.
class ProfilingHooks {
 public:
  virtual ~ProfilingHooks() = default;
  // Returns a handle passed back to End. `tag` is the op name (static or model-owned storage).
  virtual uint32_t Begin(EventKind kind, const char* tag, int subgraph, int node) = 0;
  virtual void End(uint32_t handle) = 0;
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
