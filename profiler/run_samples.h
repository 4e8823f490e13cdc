#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "profiler/stats.h"

namespace litescope::profiler {

// One timed Invoke. Times come from profiler/clock.h.
struct RunRecord {
  int64_t start_ns = 0;  // MonotonicNowNs() when the run started
  int64_t wall_ns = 0;   // wall-clock duration
  int64_t cpu_ns = 0;    // process CPU time during the run (all threads)
};

// A kept run and its index among all runs of the set (0-based, in the order they ran).
struct KeptRun {
  int64_t index = 0;
  RunRecord run;
};

// The runs of one phase in fixed memory, however many there are (a sub-microsecond model runs
// millions of times in a few seconds).
//
// - Exact, in constant memory: the count, first, last, min, max, mean and standard deviation of
//   the wall time (in fractional and in whole microseconds, TFLite's truncation) and of the CPU
//   time (streaming, Welford).
// - Percentiles and the trimmed mean come from a uniform reservoir of up to `capacity` runs
//   (Vitter's algorithm R with a fixed seed, so a run set is reproducible). While count() <=
//   capacity the reservoir holds every run and they are exact. Beyond it they are estimates: the
//   p-th percentile of a uniform sample of k runs is the population's (p +- e)-th with e about
//   100 * sqrt(p/100 * (1 - p/100) / k) percentage points (one standard error), 0.20 points at
//   the median and 0.085 at p5 / p95 for the default k = 65536 (1.5 MiB).
class RunSamples {
 public:
  static constexpr size_t kDefaultCapacity = size_t{1} << 16;

  explicit RunSamples(size_t capacity = kDefaultCapacity);

  void Add(const RunRecord& run);
  // Allocates and touches the whole reservoir now (1.5 MiB at the default capacity), so that a
  // memory measurement started afterwards does not count the tool's own sample storage.
  void Reserve();

  int64_t count() const { return wall_us_.count(); }
  bool empty() const { return count() == 0; }
  size_t capacity() const { return capacity_; }
  // True while every run is kept (percentiles exact).
  bool exact() const { return static_cast<size_t>(count()) <= capacity_; }

  // The kept runs in the order they ran (all of them while exact()).
  std::vector<KeptRun> Kept() const;

  // Exact streaming statistics, microseconds.
  const RunningStat& wall_us() const { return wall_us_; }
  const RunningStat& cpu_us() const { return cpu_us_; }
  // Of floor(wall_ns / 1000), as TFLite's benchmark accumulates its samples.
  const RunningStat& whole_wall_us() const { return whole_wall_us_; }
  // Sum of squares of the whole-microsecond samples (exact while below 2^53), for TFLite's
  // truncated variance.
  double whole_wall_us_sum_squares() const { return whole_sum_squares_; }

  // What a field of the summary is computed over.
  enum class Measure { kWallUs, kWholeWallUs, kCpuUs };
  // Count, first, last, min, max, mean and std exact; p5, median, p95 and the trimmed mean over
  // the kept runs.
  Summary Summarize(Measure measure, double trim_fraction = kDefaultTrimFraction) const;
  // The kept runs' values of `measure`, in run order.
  std::vector<double> KeptValues(Measure measure) const;

 private:
  size_t capacity_;
  std::vector<KeptRun> reservoir_;  // slot order, not run order; the first kept_ are in use
  size_t kept_ = 0;
  uint64_t rng_state_;
  RunningStat wall_us_, cpu_us_, whole_wall_us_;
  double whole_sum_squares_ = 0;
};

}  // namespace litescope::profiler
