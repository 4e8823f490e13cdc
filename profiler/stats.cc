#include "profiler/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace litescope::profiler {

int64_t Count(const std::vector<double>& samples) { return static_cast<int64_t>(samples.size()); }

double First(const std::vector<double>& samples) { return samples.empty() ? 0 : samples.front(); }

double Last(const std::vector<double>& samples) { return samples.empty() ? 0 : samples.back(); }

double Min(const std::vector<double>& samples) {
  return samples.empty() ? 0 : *std::min_element(samples.begin(), samples.end());
}

double Max(const std::vector<double>& samples) {
  return samples.empty() ? 0 : *std::max_element(samples.begin(), samples.end());
}

double Mean(const std::vector<double>& samples) {
  if (samples.empty()) return 0;
  return std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
}

double StdDev(const std::vector<double>& samples) {
  if (samples.size() < 2) return 0;
  const double mean = Mean(samples);
  double sq = 0;
  for (double v : samples) sq += (v - mean) * (v - mean);
  return std::sqrt(sq / static_cast<double>(samples.size()));
}

double Percentile(const std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  p = std::clamp(p, 0.0, 100.0);
  const size_t n = samples.size();
  size_t k = static_cast<size_t>(std::floor(static_cast<double>(n) * p / 100.0));
  if (k >= n) k = n - 1;
  std::vector<double> copy = samples;
  std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(k), copy.end());
  return copy[k];
}

double Median(const std::vector<double>& samples) { return Percentile(samples, 50); }

double TrimmedMean(const std::vector<double>& samples, double trim_fraction) {
  if (samples.empty()) return 0;
  trim_fraction = std::clamp(trim_fraction, 0.0, 0.499999);
  const size_t n = samples.size();
  const size_t drop = static_cast<size_t>(std::floor(static_cast<double>(n) * trim_fraction));
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  const auto first = sorted.begin() + static_cast<std::ptrdiff_t>(drop);
  const auto last = sorted.end() - static_cast<std::ptrdiff_t>(drop);
  return std::accumulate(first, last, 0.0) / static_cast<double>(last - first);
}

Summary Summarize(const std::vector<double>& samples, double trim_fraction) {
  Summary s;
  s.count = Count(samples);
  s.first = First(samples);
  s.last = Last(samples);
  s.min = Min(samples);
  s.max = Max(samples);
  s.mean = Mean(samples);
  s.std_dev = StdDev(samples);
  s.p5 = Percentile(samples, 5);
  s.median = Median(samples);
  s.p95 = Percentile(samples, 95);
  s.trimmed_mean = TrimmedMean(samples, trim_fraction);
  return s;
}

void RunningStat::Add(double value) {
  if (count_ == 0) {
    first_ = min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  last_ = value;
  sum_ += value;
  ++count_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (value - mean_);
}

RunningStat RunningStat::Scaled(double factor) const {
  RunningStat s = *this;
  s.first_ *= factor;
  s.last_ *= factor;
  s.min_ *= factor;
  s.max_ *= factor;
  s.sum_ *= factor;
  s.mean_ *= factor;
  s.m2_ *= factor * factor;
  return s;
}

double RunningStat::std_dev() const {
  if (count_ < 2) return 0;
  return std::sqrt(std::max(0.0, m2_ / static_cast<double>(count_)));
}

}  // namespace litescope::profiler
