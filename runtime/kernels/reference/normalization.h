#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

// L2_NORMALIZATION and LOCAL_RESPONSE_NORMALIZATION over the innermost axis of a float tensor
// viewed as [outer, depth].
namespace litescope::runtime::reference {

// TFLite clamps the norm from below so that all-zero rows give zeros, not NaN.
inline constexpr float kL2NormEpsilon = 1e-6f;

// out[i, c] = x[i, c] / max(sqrt(sum_c' x[i, c']^2), kL2NormEpsilon)
inline void L2NormalizeFloat(const float* input, float* output, int64_t outer, int64_t depth) {
  for (int64_t i = 0; i < outer; ++i) {
    const float* x = input + i * depth;
    float* y = output + i * depth;
    float sum_sq = 0.f;
    for (int64_t c = 0; c < depth; ++c) sum_sq += x[c] * x[c];
    const float norm = std::max(std::sqrt(sum_sq), kL2NormEpsilon);
    for (int64_t c = 0; c < depth; ++c) y[c] = x[c] / norm;
  }
}

struct LrnParams {
  int radius = 5;
  float bias = 1.f;
  float alpha = 1.f;
  float beta = 0.5f;
};

// out[i, c] = x[i, c] * (bias + alpha * sum_{|c'-c| <= radius} x[i, c']^2) ^ -beta
inline void LocalResponseNormalizeFloat(const LrnParams& p, const float* input, float* output,
                                        int64_t outer, int64_t depth) {
  for (int64_t i = 0; i < outer; ++i) {
    const float* x = input + i * depth;
    float* y = output + i * depth;
    for (int64_t c = 0; c < depth; ++c) {
      const int64_t begin = std::max<int64_t>(0, c - p.radius);
      const int64_t end = std::min<int64_t>(depth, c + p.radius + 1);
      float sum_sq = 0.f;
      for (int64_t k = begin; k < end; ++k) sum_sq += x[k] * x[k];
      y[c] = x[c] * std::pow(p.bias + p.alpha * sum_sq, -p.beta);
    }
  }
}

}  // namespace litescope::runtime::reference
