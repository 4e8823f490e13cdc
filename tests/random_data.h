#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace litescope::testing {

// n floats drawn uniformly from [-1, 1) with a fixed seed: the kernel tests' inputs and weights.
inline std::vector<float> RandomVector(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

}  // namespace litescope::testing
