#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <fp16.h>

#include "runtime/kernels/fixed_point.h"

// DEQUANTIZE and QUANTIZE element conversions (affine: real = scale * (q - zero_point)).
// Per-channel variants index scale/zero_point by the coordinate along `axis` of a tensor viewed
// as [outer, channels, inner].
namespace litescope::runtime::reference {

// Per-tensor: the product is formed in double and rounded once, as TFLite does.
template <typename T>
inline void DequantizePerTensor(const T* input, int64_t n, float scale, int64_t zero_point,
                                float* output) {
  const double s = scale;
  for (int64_t i = 0; i < n; ++i)
    output[i] =
        static_cast<float>(s * static_cast<double>(static_cast<int64_t>(input[i]) - zero_point));
}

template <typename T>
inline void DequantizePerChannel(const T* input, int64_t outer, int64_t channels, int64_t inner,
                                 const float* scales, const int64_t* zero_points, float* output) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const float s = scales[c];
      const int64_t zp = zero_points[c];
      const int64_t base = (o * channels + c) * inner;
      for (int64_t i = 0; i < inner; ++i)
        output[base + i] = s * static_cast<float>(static_cast<int64_t>(input[base + i]) - zp);
    }
  }
}

// IEEE half (raw bits) to float.
inline void Float16ToFloat32(const uint16_t* input, int64_t n, float* output) {
  for (int64_t i = 0; i < n; ++i) output[i] = fp16_ieee_to_fp32_value(input[i]);
}

// q = clamp(round_half_away_from_zero(x / scale) + zero_point, min(T), max(T)). NaN maps to
// the lowest value.
template <typename T>
inline T QuantizeValue(float x, float scale, int64_t zero_point) {
  double r = std::round(static_cast<double>(x) / static_cast<double>(scale));
  // Keep the value in a range where the integer conversion is defined.
  constexpr double kLimit = 4.0e9;
  if (!(r >= -kLimit)) r = -kLimit;
  if (r > kLimit) r = kLimit;
  int64_t q = static_cast<int64_t>(r) + zero_point;
  q = std::min<int64_t>(std::max<int64_t>(q, std::numeric_limits<T>::lowest()),
                        std::numeric_limits<T>::max());
  return static_cast<T>(q);
}

template <typename T>
inline void QuantizePerTensor(const float* input, int64_t n, float scale, int64_t zero_point,
                              T* output) {
  for (int64_t i = 0; i < n; ++i) output[i] = QuantizeValue<T>(input[i], scale, zero_point);
}

template <typename T>
inline void QuantizePerChannel(const float* input, int64_t outer, int64_t channels, int64_t inner,
                               const float* scales, const int64_t* zero_points, T* output) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = (o * channels + c) * inner;
      for (int64_t i = 0; i < inner; ++i)
        output[base + i] = QuantizeValue<T>(input[base + i], scales[c], zero_points[c]);
    }
  }
}

// Requantization between integer types: q_out = clamp(out_zp + M * (q_in - in_zp)) with
// M = in_scale / out_scale as TFLite's fixed-point (multiplier, shift) pair.
template <typename In, typename Out>
inline void Requantize(const In* input, int64_t n, int32_t in_zero_point, int32_t multiplier,
                       int shift, int32_t out_zero_point, Out* output) {
  constexpr int32_t kMin = std::numeric_limits<Out>::lowest();
  constexpr int32_t kMax = std::numeric_limits<Out>::max();
  for (int64_t i = 0; i < n; ++i) {
    const int32_t centered = static_cast<int32_t>(input[i]) - in_zero_point;
    const int32_t scaled = fixed_point::MultiplyByQuantizedMultiplier(centered, multiplier, shift);
    // Saturating add: the scaled value may sit near the int32 limits.
    const int64_t q = static_cast<int64_t>(scaled) + out_zero_point;
    output[i] = static_cast<Out>(std::min<int64_t>(std::max<int64_t>(q, kMin), kMax));
  }
}

}  // namespace litescope::runtime::reference
