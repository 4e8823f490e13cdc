#pragma once

#include <cstdint>
#include <vector>

namespace litescope::profiler {

// Statistics over samples, as pure functions. The unit is the caller's (microseconds in the
// benchmark). Every function returns 0 for an empty sample set, which is what TFLite's
// benchmark_model prints for a phase with no runs.

int64_t Count(const std::vector<double>& samples);
double First(const std::vector<double>& samples);
double Last(const std::vector<double>& samples);
double Min(const std::vector<double>& samples);
double Max(const std::vector<double>& samples);
double Mean(const std::vector<double>& samples);
// Population standard deviation (divides by n, as TFLite's Stat::std_deviation does).
double StdDev(const std::vector<double>& samples);
// The p-th percentile, p in [0, 100], by TFLite's rule: the element at index floor(n * p / 100)
// of the sorted samples (no interpolation), the largest for p = 100. Out-of-range p is clamped.
double Percentile(const std::vector<double>& samples, double p);
double Median(const std::vector<double>& samples);
// Mean after dropping floor(n * trim_fraction) of the smallest and as many of the largest
// samples; trim_fraction is clamped to [0, 0.5). Robust to a few outliers (page faults,
// preemption).
double TrimmedMean(const std::vector<double>& samples, double trim_fraction);

// The trimmed mean reported everywhere: 10% dropped at each end.
inline constexpr double kDefaultTrimFraction = 0.1;

// All of the above at once.
struct Summary {
  int64_t count = 0;
  double first = 0, last = 0, min = 0, max = 0, mean = 0, std_dev = 0;
  double p5 = 0, median = 0, p95 = 0;
  double trimmed_mean = 0;
  bool all_same() const { return min == max; }
};
Summary Summarize(const std::vector<double>& samples, double trim_fraction = kDefaultTrimFraction);

// Constant-memory running statistics (count, first, last, min, max, mean, std) for values that
// arrive one at a time, such as per-node times over thousands of runs. Uses Welford's update,
// so the variance stays accurate for large counts.
class RunningStat {
 public:
  void Add(double value);

  int64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  double first() const { return first_; }
  double last() const { return last_; }
  double min() const { return min_; }
  double max() const { return max_; }
  double sum() const { return sum_; }
  double mean() const { return count_ ? mean_ : 0; }
  // Population standard deviation.
  double std_dev() const;
  // The statistics of the same values each multiplied by `factor` (>= 0).
  RunningStat Scaled(double factor) const;

 private:
  int64_t count_ = 0;
  double first_ = 0, last_ = 0, min_ = 0, max_ = 0, sum_ = 0;
  double mean_ = 0, m2_ = 0;
};

}  // namespace litescope::profiler
