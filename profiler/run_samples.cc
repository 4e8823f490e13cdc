#include "profiler/run_samples.h"

#include <algorithm>

namespace litescope::profiler {
namespace {

// splitmix64: small, fast and good enough to pick reservoir slots.
uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double Value(const RunRecord& r, RunSamples::Measure measure) {
  switch (measure) {
    case RunSamples::Measure::kWallUs:
      return static_cast<double>(r.wall_ns) / 1000.0;
    case RunSamples::Measure::kWholeWallUs:
      return static_cast<double>(r.wall_ns / 1000);
    case RunSamples::Measure::kCpuUs:
      return static_cast<double>(r.cpu_ns) / 1000.0;
  }
  return 0;
}

}  // namespace

RunSamples::RunSamples(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)), rng_state_(0x6c697465736370ull) {}

void RunSamples::Add(const RunRecord& run) {
  const int64_t index = count();
  wall_us_.Add(Value(run, Measure::kWallUs));
  cpu_us_.Add(Value(run, Measure::kCpuUs));
  const double whole = Value(run, Measure::kWholeWallUs);
  whole_wall_us_.Add(whole);
  whole_sum_squares_ += whole * whole;
  if (kept_ < capacity_) {
    if (kept_ < reservoir_.size())
      reservoir_[kept_] = {index, run};
    else
      reservoir_.push_back({index, run});
    ++kept_;
    return;
  }
  // Algorithm R: the (index+1)-th run replaces a random slot with probability capacity/(index+1).
  const uint64_t j = NextRandom(&rng_state_) % static_cast<uint64_t>(index + 1);
  if (j < capacity_) reservoir_[static_cast<size_t>(j)] = {index, run};
}

void RunSamples::Reserve() {
  if (reservoir_.size() < capacity_) reservoir_.resize(capacity_);  // value-initialized: touched
}

std::vector<KeptRun> RunSamples::Kept() const {
  std::vector<KeptRun> kept(reservoir_.begin(),
                            reservoir_.begin() + static_cast<std::ptrdiff_t>(kept_));
  if (!exact())
    std::sort(kept.begin(), kept.end(),
              [](const KeptRun& a, const KeptRun& b) { return a.index < b.index; });
  return kept;
}

std::vector<double> RunSamples::KeptValues(Measure measure) const {
  std::vector<double> values;
  const std::vector<KeptRun> kept = Kept();
  values.reserve(kept.size());
  for (const KeptRun& k : kept) values.push_back(Value(k.run, measure));
  return values;
}

Summary RunSamples::Summarize(Measure measure, double trim_fraction) const {
  const std::vector<double> kept = KeptValues(measure);
  Summary s = profiler::Summarize(kept, trim_fraction);
  const RunningStat& exact_stat = measure == Measure::kWallUs        ? wall_us_
                                  : measure == Measure::kWholeWallUs ? whole_wall_us_
                                                                     : cpu_us_;
  s.count = exact_stat.count();
  s.first = exact_stat.first();
  s.last = exact_stat.last();
  s.min = exact_stat.min();
  s.max = exact_stat.max();
  s.mean = exact_stat.mean();
  s.std_dev = exact_stat.std_dev();
  return s;
}

}  // namespace litescope::profiler
