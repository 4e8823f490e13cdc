#include "profiler/stats.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace lp = litescope::profiler;

TEST_CASE("Stats of an empty sample set are zero", "[profiler][stats]") {
  const std::vector<double> none;
  CHECK(lp::Count(none) == 0);
  CHECK(lp::First(none) == 0);
  CHECK(lp::Last(none) == 0);
  CHECK(lp::Min(none) == 0);
  CHECK(lp::Max(none) == 0);
  CHECK(lp::Mean(none) == 0);
  CHECK(lp::StdDev(none) == 0);
  CHECK(lp::Percentile(none, 50) == 0);
  CHECK(lp::TrimmedMean(none, 0.1) == 0);
  CHECK(lp::Summarize(none).count == 0);
}

TEST_CASE("Stats count, first, last, min, max, mean", "[profiler][stats]") {
  const std::vector<double> v = {4, 1, 3, 10, 2};
  CHECK(lp::Count(v) == 5);
  CHECK(lp::First(v) == 4);
  CHECK(lp::Last(v) == 2);
  CHECK(lp::Min(v) == 1);
  CHECK(lp::Max(v) == 10);
  CHECK(lp::Mean(v) == Approx(4.0));
}

TEST_CASE("StdDev is the population standard deviation", "[profiler][stats]") {
  CHECK(lp::StdDev({2, 4, 4, 4, 5, 5, 7, 9}) == Approx(2.0));
  CHECK(lp::StdDev({5}) == 0);
  CHECK(lp::StdDev({3, 3, 3}) == 0);
}

TEST_CASE("Percentile uses TFLite's nearest-rank rule", "[profiler][stats]") {
  const std::vector<double> v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};  // order does not matter
  CHECK(lp::Percentile(v, 5) == 1);                               // index floor(10 * 0.05) = 0
  CHECK(lp::Percentile(v, 50) == 6);                              // index 5
  CHECK(lp::Median(v) == 6);
  CHECK(lp::Percentile(v, 95) == 10);  // index 9
  CHECK(lp::Percentile(v, 100) == 10);
  CHECK(lp::Percentile(v, 0) == 1);
  SECTION("out-of-range p is clamped") {
    CHECK(lp::Percentile(v, -5) == 1);
    CHECK(lp::Percentile(v, 250) == 10);
  }
  SECTION("a single sample is every percentile") {
    CHECK(lp::Percentile({42}, 5) == 42);
    CHECK(lp::Percentile({42}, 95) == 42);
  }
}

TEST_CASE("TrimmedMean drops the same share at both ends", "[profiler][stats]") {
  std::vector<double> v(10, 10.0);
  v[3] = 1000;  // one outlier
  CHECK(lp::Mean(v) == Approx(109.0));
  CHECK(lp::TrimmedMean(v, 0.1) == Approx(10.0));
  CHECK(lp::TrimmedMean({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.1) == Approx(5.5));
  SECTION("nothing dropped when n * fraction < 1") {
    CHECK(lp::TrimmedMean({1, 2, 100}, 0.1) == Approx(103.0 / 3));
  }
  SECTION("fraction 0 is the mean") { CHECK(lp::TrimmedMean({1, 2, 6}, 0) == Approx(3.0)); }
  SECTION("fractions >= 0.5 keep at least one sample") {
    CHECK(lp::TrimmedMean({1, 2, 3}, 0.9) == Approx(2.0));
  }
}

TEST_CASE("Summarize agrees with the single functions", "[profiler][stats]") {
  const std::vector<double> v = {5, 1, 9, 3, 7, 2, 8};
  const lp::Summary s = lp::Summarize(v);
  CHECK(s.count == 7);
  CHECK(s.first == 5);
  CHECK(s.last == 8);
  CHECK(s.min == 1);
  CHECK(s.max == 9);
  CHECK(s.mean == Approx(lp::Mean(v)));
  CHECK(s.std_dev == Approx(lp::StdDev(v)));
  CHECK(s.p5 == lp::Percentile(v, 5));
  CHECK(s.median == lp::Median(v));
  CHECK(s.p95 == lp::Percentile(v, 95));
  CHECK(s.trimmed_mean == Approx(lp::TrimmedMean(v, lp::kDefaultTrimFraction)));
  CHECK_FALSE(s.all_same());
  CHECK(lp::Summarize({3, 3}).all_same());
}

TEST_CASE("RunningStat matches the batch statistics", "[profiler][stats]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> dist(100, 200);
  std::vector<double> v;
  lp::RunningStat r;
  CHECK(r.empty());
  CHECK(r.mean() == 0);
  for (int i = 0; i < 1000; ++i) {
    v.push_back(dist(rng));
    r.Add(v.back());
  }
  CHECK(r.count() == 1000);
  CHECK(r.first() == v.front());
  CHECK(r.last() == v.back());
  CHECK(r.min() == lp::Min(v));
  CHECK(r.max() == lp::Max(v));
  CHECK(r.mean() == Approx(lp::Mean(v)));
  CHECK(r.std_dev() == Approx(lp::StdDev(v)));
  CHECK(r.sum() == Approx(lp::Mean(v) * 1000));
}

TEST_CASE("RunningStat keeps its variance for large offsets", "[profiler][stats]") {
  lp::RunningStat r;
  for (int i = 0; i < 100; ++i) r.Add(1e12 + (i % 2));  // values 1e12 and 1e12 + 1
  CHECK(r.std_dev() == Approx(0.5));
}
