#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::profiler {

// Resident memory of this process as /proc/self/status reports it, in bytes. A field the kernel
// does not report (or a system without /proc) stays -1.
struct ProcessMemory {
  int64_t vm_rss_bytes = -1;     // VmRSS: resident set size
  int64_t vm_hwm_bytes = -1;     // VmHWM: peak resident set size
  int64_t rss_anon_bytes = -1;   // RssAnon: resident anonymous memory (heap, stacks, arena)
  int64_t rss_file_bytes = -1;   // RssFile: resident file mappings (the mmapped model, code)
  int64_t rss_shmem_bytes = -1;  // RssShmem: resident shared memory
};

// Parses the text of a /proc/<pid>/status file ("VmRSS:\t  1234 kB" lines).
ProcessMemory ParseProcStatus(const std::string& text);
// Reads /proc/self/status.
ProcessMemory ReadProcessMemory();
// Peak resident set size of the process so far (getrusage ru_maxrss), bytes; -1 if unknown.
// TFLite's "Memory footprint delta" lines are differences of this value.
int64_t MaxRssBytes();

// Resident memory after one step of a benchmark's set-up or run, for attributing the growth
// to a step (the model's load, the delegates' weight packing, the arena, the runs).
struct MemoryStep {
  std::string step;  // "start", "model loaded", "interpreter created", "delegates applied", ...
  ProcessMemory memory;
};

// What the interpreter itself holds, bytes.
struct ModelMemory {
  int64_t arena_bytes = 0;       // planned arenas of every allocated subgraph
  int64_t persistent_bytes = 0;  // variables, dynamic tensors, realigned constants
  int64_t model_file_bytes = 0;  // the model's bytes (memory-mapped file or buffer)
  bool model_mapped = false;     // the bytes are a mapping of the file (RssFile, shareable)
};
ModelMemory ReadModelMemory(const runtime::Interpreter& interp);

// Samples VmRSS on a background thread every `interval_ms` and keeps the largest value; the
// thread sleeps between samples, so it perturbs timing only slightly (as TFLite's
// MemoryUsageMonitor). Start() and Stop() come from one thread; peak_bytes() may be read any
// time. The destructor stops the thread.
class PeakMemorySampler {
 public:
  explicit PeakMemorySampler(int interval_ms);
  ~PeakMemorySampler();
  PeakMemorySampler(const PeakMemorySampler&) = delete;
  PeakMemorySampler& operator=(const PeakMemorySampler&) = delete;

  void Start();
  // Takes a last sample and joins the thread.
  void Stop();

  int interval_ms() const { return interval_ms_; }
  // Largest VmRSS seen, bytes; -1 before the first sample.
  int64_t peak_bytes() const { return peak_bytes_.load(); }
  int64_t samples() const { return samples_.load(); }

 private:
  void Sample();
  void Loop();

  int interval_ms_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<int64_t> peak_bytes_{-1};
  std::atomic<int64_t> samples_{0};
};

}  // namespace litescope::profiler
