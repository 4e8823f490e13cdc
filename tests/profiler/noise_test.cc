#include "profiler/noise.h"

#include <catch2/catch.hpp>

#include <random>

#include "profiler/machine_load.h"

namespace lp = litescope::profiler;

namespace {

lp::RunSamples FromUs(const std::vector<double>& us) {
  lp::RunSamples runs;
  for (double u : us) {
    lp::RunRecord r;
    r.wall_ns = static_cast<int64_t>(u * 1000);
    runs.Add(r);
  }
  return runs;
}

}  // namespace

TEST_CASE("AnalyzeNoise: a tight run set has no warnings", "[profiler][noise]") {
  std::mt19937 rng(7);
  std::normal_distribution<double> d(1000, 10);  // 1 ms, 1% spread
  std::vector<double> us;
  for (int i = 0; i < 500; ++i) us.push_back(d(rng));
  const lp::NoiseStats n = lp::AnalyzeNoise(FromUs(us));
  CHECK(n.runs == 500);
  CHECK(n.cv == Approx(0.01).margin(0.003));
  CHECK_FALSE(n.bimodal);
  REQUIRE(n.median_ci_valid);
  CHECK(n.median_ci_low_us <= n.median_us);
  CHECK(n.median_us <= n.median_ci_high_us);
  CHECK(n.median_ci_half_width_pct < 0.5);
  CHECK(lp::NoiseWarnings(n, "regular runs").empty());
}

TEST_CASE("AnalyzeNoise finds two modes and a skewed mean", "[profiler][noise]") {
  // #19's example: most runs near 0.98 ms, a third near 160 ms (preempted on busy cores).
  std::vector<double> us;
  for (int i = 0; i < 200; ++i) us.push_back(980 + i % 7);
  for (int i = 0; i < 100; ++i) us.push_back(160000 + i % 11);
  const lp::NoiseStats n = lp::AnalyzeNoise(FromUs(us));
  CHECK(n.bimodal);
  CHECK(n.fast_mode_us == Approx(983).margin(5));
  CHECK(n.slow_mode_us == Approx(160005).margin(10));
  CHECK(n.slow_share == Approx(1.0 / 3).margin(0.01));
  const auto w = lp::NoiseWarnings(n, "regular runs");
  REQUIRE(w.size() == 2);  // noisy and bimodal
  CHECK(w[0].find("noisy regular runs") != std::string::npos);
  CHECK(w[1].find("two groups") != std::string::npos);
}

TEST_CASE("AnalyzeNoise counts Tukey outliers", "[profiler][noise]") {
  std::vector<double> us(100, 100.0);
  for (int i = 0; i < 100; ++i) us[static_cast<size_t>(i)] += i % 10;  // 100..109
  us[3] = 500;                                                         // 1 slow outlier
  us[4] = 1;                                                           // 1 fast outlier
  const lp::NoiseStats n = lp::AnalyzeNoise(FromUs(us));
  CHECK(n.outliers_high == 1);
  CHECK(n.outliers_low == 1);
}

TEST_CASE("Noise warnings stay silent on too few or sub-5 us runs", "[profiler][noise]") {
  CHECK(lp::NoiseWarnings(lp::AnalyzeNoise(FromUs({100, 900, 100, 900})), "r").empty());
  std::vector<double> tiny;
  for (int i = 0; i < 100; ++i) tiny.push_back(i % 2 ? 0.3 : 1.5);
  CHECK(lp::NoiseWarnings(lp::AnalyzeNoise(FromUs(tiny)), "r").empty());
}

TEST_CASE("Machine load warnings", "[profiler][noise]") {
  lp::MachineLoad load;
  load.online_cpus = 4;
  load.load_avg_1min = 3.2;
  CHECK(lp::OversubscriptionWarning(load, 1).empty());
  CHECK(lp::OversubscriptionWarning(load, 4).find("4 threads but only 0.8 of 4 CPUs") !=
        std::string::npos);
  CHECK(lp::FrequencyChangeWarning({3000, 3000}, {3050, 2990}).empty());
  CHECK_FALSE(lp::FrequencyChangeWarning({3000, 3000}, {2000, 2100}).empty());
  CHECK(lp::FrequencyChangeWarning({}, {}).empty());
}
