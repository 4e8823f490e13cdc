#pragma once

#include <cstdint>
#include <ctime>

#include "runtime/profiling_hooks.h"

namespace litescope::profiler {

// Nanoseconds on CLOCK_MONOTONIC (never jumps; the origin is arbitrary). Cheap: served by the
// vDSO on Linux, no system call. Thread-safe.
// The same clock as runtime::ProfilingClockNowNs, which backends use for recorded events.
inline int64_t MonotonicNowNs() { return runtime::ProfilingClockNowNs(); }

// CPU time consumed by the whole process (all threads), nanoseconds. A system call: call it
// around a run, never per node.
inline int64_t ProcessCpuNowNs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace litescope::profiler
