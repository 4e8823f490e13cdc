#include "profiler/noise.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace litescope::profiler {
namespace {

// The value at rank r (0-based, clamped) of sorted values.
double At(const std::vector<double>& sorted, double r) {
  const auto n = static_cast<int64_t>(sorted.size());
  const int64_t i = std::clamp<int64_t>(static_cast<int64_t>(std::floor(r)), 0, n - 1);
  return sorted[static_cast<size_t>(i)];
}

struct MedianCi {
  bool valid = false;
  double median = 0, low = 0, high = 0, half_width_pct = 0;
};

MedianCi MedianInterval(const std::vector<double>& sorted) {
  MedianCi ci;
  const double n = static_cast<double>(sorted.size());
  if (sorted.size() < 6) return ci;
  // Normal approximation to the binomial(n, 1/2) ranks around the median.
  const double spread = 0.98 * std::sqrt(n);
  ci.median = At(sorted, n / 2);
  ci.low = At(sorted, n / 2 - spread);
  ci.high = At(sorted, std::ceil(n / 2 + spread));
  ci.half_width_pct = ci.median > 0 ? 50.0 * (ci.high - ci.low) / ci.median : 0;
  ci.valid = true;
  return ci;
}

}  // namespace

double MedianCiHalfWidthPct(const std::vector<double>& values) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const MedianCi ci = MedianInterval(sorted);
  return ci.valid ? ci.half_width_pct : 1e9;
}

NoiseStats AnalyzeNoise(const RunSamples& runs) {
  NoiseStats s;
  s.runs = runs.count();
  std::vector<double> sorted = runs.KeptValues(RunSamples::Measure::kWallUs);
  s.kept = static_cast<int64_t>(sorted.size());
  if (sorted.empty()) return s;
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(sorted.size());
  const double mean = runs.wall_us().mean();
  s.mean_us = mean;
  s.cv = mean > 0 ? runs.wall_us().std_dev() / mean : 0;
  s.q1_us = At(sorted, n * 0.25);
  s.q3_us = At(sorted, n * 0.75);
  s.iqr_us = s.q3_us - s.q1_us;
  const double low_fence = s.q1_us - 1.5 * s.iqr_us, high_fence = s.q3_us + 1.5 * s.iqr_us;
  for (double v : sorted) {
    if (v < low_fence) ++s.outliers_low;
    if (v > high_fence) ++s.outliers_high;
  }
  const MedianCi ci = MedianInterval(sorted);
  s.median_ci_valid = ci.valid;
  s.median_us = ci.valid ? ci.median : At(sorted, n / 2);
  s.median_ci_low_us = ci.low;
  s.median_ci_high_us = ci.high;
  s.median_ci_half_width_pct = ci.half_width_pct;
  s.mean_over_median = s.median_us > 0 ? mean / s.median_us : 0;

  // The widest relative gap with at least 5% of the runs on each side.
  if (sorted.size() >= 20) {
    const size_t lo = static_cast<size_t>(std::ceil(n * 0.05)) - 1;
    const size_t hi = sorted.size() - static_cast<size_t>(std::ceil(n * 0.05));
    double best_ratio = 0;
    size_t best = 0;
    for (size_t i = lo; i < hi; ++i) {
      const double a = sorted[i], b = sorted[i + 1];
      if (a <= 0 || b - a < 1.0) continue;
      if (b / a > best_ratio) {
        best_ratio = b / a;
        best = i;
      }
    }
    if (best_ratio >= 1.5) {
      s.bimodal = true;
      s.fast_mode_us = sorted[best / 2];
      s.slow_mode_us = sorted[(best + sorted.size()) / 2];
      s.slow_share = static_cast<double>(sorted.size() - best - 1) / n;
    }
  }
  return s;
}

std::vector<std::string> NoiseWarnings(const NoiseStats& s, const std::string& what) {
  std::vector<std::string> out;
  if (s.runs < kMinRunsToJudge || s.mean_us < kMinMeanUsToJudge) return out;
  if (s.cv > kNoisyCv)
    out.push_back(fmt::format(
        "WARNING: noisy {}: the standard deviation is {:.0f}% of the mean (above {:.0f}%); "
        "compare medians, and look for other load on the machine",
        what, 100 * s.cv, 100 * kNoisyCv));
  if (s.bimodal)
    out.push_back(fmt::format(
        "WARNING: {} fall into two groups: {:.0f}% near {:.4g} us, {:.0f}% near {:.4g} us "
        "(preemption, frequency changes or a second code path); the mean describes neither",
        what, 100 * (1 - s.slow_share), s.fast_mode_us, 100 * s.slow_share, s.slow_mode_us));
  else if (s.mean_over_median > kSkewedMeanOverMedian)
    out.push_back(
        fmt::format("WARNING: {}: the mean is {:.1f}x the median; a few very slow runs dominate it",
                    what, s.mean_over_median));
  return out;
}

}  // namespace litescope::profiler
