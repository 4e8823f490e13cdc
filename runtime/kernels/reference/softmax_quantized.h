#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

// SOFTMAX over int8/uint8 inputs along the innermost axis, viewed as [outer, depth], with
// TensorFlow Lite's rules on x86 (its builtin kernel's lookup-table path):
//  1. Prepare fills a 256-entry float table: table[255 - d] = expf(-input_scale * beta * d),
//     the exponential of a difference of d input steps below the row maximum.
//  2. Per row: find the maximum m; sum = float sum of table[255 - m + x] in row order.
//  3. Each output is table[255 - m + x] / (sum * output_scale), quantized: uint8 outputs add
//     0.5 and truncate (the zero point is 0); int8/int16 outputs round half away from zero
//     and add the zero point; then saturate to the output type.
namespace litescope::runtime::reference {

inline constexpr int kSoftmaxTableSize = 256;

inline void PopulateSoftmaxTable(float input_scale, float beta, float* table) {
  const float scale = -input_scale * beta;
  for (int32_t d = 0; d < kSoftmaxTableSize; ++d)
    table[kSoftmaxTableSize - 1 - d] = std::exp(scale * static_cast<float>(d));
}

template <typename Out>
inline int32_t QuantizeSoftmaxProbability(float prob_rescaled, int32_t zero_point) {
  if constexpr (std::is_same_v<Out, uint8_t>) {
    return static_cast<int32_t>(prob_rescaled + 0.5f);
  } else {
    return static_cast<int32_t>(std::round(prob_rescaled)) + zero_point;
  }
}

// In: int8_t or uint8_t; Out: int8_t, uint8_t or int16_t. table from PopulateSoftmaxTable.
template <typename In, typename Out>
inline void SoftmaxQuantized(const float* table, float output_scale, int32_t output_zero_point,
                             const In* input, Out* output, int64_t outer, int64_t depth) {
  constexpr int32_t kOutMin = std::numeric_limits<Out>::min();
  constexpr int32_t kOutMax = std::numeric_limits<Out>::max();
  for (int64_t i = 0; i < outer; ++i) {
    const In* x = input + i * depth;
    Out* y = output + i * depth;
    int32_t max_val = std::numeric_limits<In>::min();
    for (int64_t c = 0; c < depth; ++c) max_val = std::max(max_val, static_cast<int32_t>(x[c]));
    // Entry of value v: table[255 - max + v], always inside [0, 255] since v <= max and
    // max - v <= 255.
    const int32_t base = kSoftmaxTableSize - 1 - max_val;
    float sum = 0.f;
    for (int64_t c = 0; c < depth; ++c) sum += table[base + static_cast<int32_t>(x[c])];
    const float inv = 1.0f / (sum * output_scale);
    for (int64_t c = 0; c < depth; ++c) {
      const float prob = table[base + static_cast<int32_t>(x[c])] * inv;
      const int32_t q = QuantizeSoftmaxProbability<Out>(prob, output_zero_point);
      y[c] = static_cast<Out>(std::min(std::max(q, kOutMin), kOutMax));
    }
  }
}

}  // namespace litescope::runtime::reference
