#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "profiler/run_samples.h"

namespace litescope::profiler {

// How trustworthy one run set's latency is: spread, outliers, a second mode, and the 95%
// confidence interval of the median. Computed from a RunSamples (exact streaming moments, kept
// runs for the order statistics).
struct NoiseStats {
  int64_t runs = 0;    // every run of the set
  int64_t kept = 0;    // runs the order statistics below are computed over
  double mean_us = 0;  // over every run
  double cv = 0;       // coefficient of variation: std / mean, over every run
  double q1_us = 0, q3_us = 0, iqr_us = 0;
  // Runs beyond Tukey's fences (q1 - 1.5 iqr, q3 + 1.5 iqr), among the kept runs.
  int64_t outliers_low = 0, outliers_high = 0;
  // Two modes: the sorted runs split at a gap where the next run is at least 1.5x (and 1 us)
  // slower, with at least 5% of the runs on each side. The medians of both groups and the share
  // of the slower one.
  bool bimodal = false;
  double fast_mode_us = 0, slow_mode_us = 0, slow_share = 0;
  // Distribution-free 95% interval of the median (order statistics at n/2 -+ 0.98 sqrt(n)),
  // and its half width relative to the median, in percent. Needs at least 6 runs.
  bool median_ci_valid = false;
  double median_us = 0, median_ci_low_us = 0, median_ci_high_us = 0, median_ci_half_width_pct = 0;
  double mean_over_median = 0;  // a few very slow runs pull the mean far above the median
};

NoiseStats AnalyzeNoise(const RunSamples& runs);
// Only the median's 95% interval half width in percent (for an adaptive stop); a large value
// when there are fewer than 6 runs.
double MedianCiHalfWidthPct(const std::vector<double>& values);

// Limits behind the warnings.
inline constexpr double kNoisyCv = 0.10;              // std above 10% of the mean
inline constexpr double kSkewedMeanOverMedian = 1.5;  // the mean 50% above the median
inline constexpr int64_t kMinRunsToJudge = 10;
inline constexpr double kMinMeanUsToJudge = 5;

// One line per problem found ("WARNING: ..."), empty when the run set looks clean. `what`
// names the set ("regular runs"). Silent below 10 runs (too few to judge) and for runs under
// 5 us on average, whose spread is mostly the clock's and the cache's (the text's precision
// note covers those).
std::vector<std::string> NoiseWarnings(const NoiseStats& noise, const std::string& what);

}  // namespace litescope::profiler
