#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

// SOFTMAX and LOG_SOFTMAX along the innermost axis of a float tensor viewed as [outer, depth].
// Both subtract the row maximum first, so large inputs do not overflow exp().
namespace litescope::runtime::reference {

// out[i, c] = exp(beta * (x[i, c] - max_i)) / sum_c' exp(beta * (x[i, c'] - max_i))
inline void SoftmaxFloat(const float* input, float* output, int64_t outer, int64_t depth,
                         float beta) {
  for (int64_t i = 0; i < outer; ++i) {
    const float* x = input + i * depth;
    float* y = output + i * depth;
    float max = std::numeric_limits<float>::lowest();
    for (int64_t c = 0; c < depth; ++c) max = std::max(max, x[c]);
    float sum = 0.f;
    for (int64_t c = 0; c < depth; ++c) {
      y[c] = std::exp((x[c] - max) * beta);
      sum += y[c];
    }
    const float inv = 1.f / sum;
    for (int64_t c = 0; c < depth; ++c) y[c] *= inv;
  }
}

// out[i, c] = x[i, c] - max_i - log(sum_c' exp(x[i, c'] - max_i))
inline void LogSoftmaxFloat(const float* input, float* output, int64_t outer, int64_t depth) {
  for (int64_t i = 0; i < outer; ++i) {
    const float* x = input + i * depth;
    float* y = output + i * depth;
    float max = std::numeric_limits<float>::lowest();
    for (int64_t c = 0; c < depth; ++c) max = std::max(max, x[c]);
    float sum = 0.f;
    for (int64_t c = 0; c < depth; ++c) sum += std::exp(x[c] - max);
    const float log_sum = std::log(sum);
    for (int64_t c = 0; c < depth; ++c) y[c] = x[c] - max - log_sum;
  }
}

}  // namespace litescope::runtime::reference
