#include "profiler/run_samples.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace lp = litescope::profiler;
using Measure = lp::RunSamples::Measure;

namespace {

lp::RunRecord Run(int64_t wall_ns, int64_t cpu_ns = 0) {
  lp::RunRecord r;
  r.wall_ns = wall_ns;
  r.cpu_ns = cpu_ns;
  return r;
}

}  // namespace

TEST_CASE("RunSamples keeps every run while below capacity", "[profiler][run_samples]") {
  lp::RunSamples runs(8);
  std::vector<double> us;
  for (int64_t v : {5300, 1200, 9900, 4100, 4100, 7000}) {
    runs.Add(Run(v, v / 2));
    us.push_back(static_cast<double>(v) / 1000.0);
  }
  REQUIRE(runs.exact());
  CHECK(runs.count() == 6);
  CHECK(runs.KeptValues(Measure::kWallUs) == us);  // in run order
  const lp::Summary a = runs.Summarize(Measure::kWallUs);
  const lp::Summary b = lp::Summarize(us);
  CHECK(a.count == b.count);
  CHECK(a.first == b.first);
  CHECK(a.last == b.last);
  CHECK(a.min == b.min);
  CHECK(a.max == b.max);
  CHECK(a.mean == Approx(b.mean));
  CHECK(a.std_dev == Approx(b.std_dev));
  CHECK(a.median == b.median);
  CHECK(a.p95 == b.p95);
  CHECK(runs.Summarize(Measure::kWholeWallUs).max == 9.0);  // truncated, TFLite's rule
  CHECK(runs.Summarize(Measure::kCpuUs).min == Approx(0.6));
}

TEST_CASE("RunSamples stays bounded and exact where it can be", "[profiler][run_samples]") {
  constexpr size_t kCapacity = 4096;
  constexpr int64_t kRuns = 200'000;
  lp::RunSamples runs(kCapacity);
  // A ramp 0..kRuns-1 us in a scrambled order: the true median is kRuns / 2.
  for (int64_t i = 0; i < kRuns; ++i) runs.Add(Run(((i * 7919) % kRuns) * 1000));
  CHECK_FALSE(runs.exact());
  CHECK(runs.count() == kRuns);
  const std::vector<lp::KeptRun> kept = runs.Kept();
  REQUIRE(kept.size() == kCapacity);
  for (size_t i = 1; i < kept.size(); ++i) CHECK(kept[i - 1].index < kept[i].index);
  const lp::Summary s = runs.Summarize(Measure::kWallUs);
  // Exact: count, min, max, mean.
  CHECK(s.count == kRuns);
  CHECK(s.min == 0);
  CHECK(s.max == kRuns - 1);
  CHECK(s.mean == Approx((kRuns - 1) / 2.0));
  // Estimated from 4096 kept runs: one standard error of the median's rank is 0.78 percentage
  // points; allow four.
  CHECK(std::abs(s.median - kRuns / 2.0) < 0.04 * kRuns);
  CHECK(std::abs(s.p95 - 0.95 * kRuns) < 0.02 * kRuns);
}

TEST_CASE("RunSamples picks the same runs every time", "[profiler][run_samples]") {
  lp::RunSamples a(16), b(16);
  for (int64_t i = 0; i < 1000; ++i) {
    a.Add(Run(i));
    b.Add(Run(i));
  }
  const auto ka = a.Kept(), kb = b.Kept();
  REQUIRE(ka.size() == kb.size());
  for (size_t i = 0; i < ka.size(); ++i) CHECK(ka[i].index == kb[i].index);
}
