#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/reduce.h"
#include "runtime/shape.h"

// MEAN and SUM over int8/uint8 (and int16) tensors with TensorFlow Lite's rules. Each starts
// from the int32 sums of the raw input values over the reduced axes (SumQuantized), then
// rescales them to the output's parameters in one of three ways, chosen as TFLite chooses:
//  - MeanSpatial4D: MEAN with keep_dims of a rank-4 tensor over exactly axes 1 and 2 (TFLite's
//    optimized kernel). Float-derived bias and multiplier.
//  - MeanGeneral: every other MEAN. The multiplier in_scale / out_scale absorbs 1/count.
//  - SumRescale: SUM. Float arithmetic, rounded half away from zero.
namespace litescope::runtime::reference {

// out[j] = sum of input elements folded into output j (wrapping int32, as TFLite's).
template <typename T>
inline void SumQuantized(const Shape& input_shape, const T* input, const std::vector<bool>& reduced,
                         int32_t* output) {
  std::vector<int32_t> wide(static_cast<size_t>(input_shape.FlatSize()));
  for (size_t i = 0; i < wide.size(); ++i) wide[i] = input[i];
  ReduceInto<int32_t, ReduceKind::kSum>(input_shape, wide.data(), reduced, output);
}

// v truncated toward zero into int32's range; NaN (an infinite scale ratio times a zero) is 0.
// A hostile scale ratio takes these float-derived values far outside int32, where TFLite's own
// conversion is undefined.
inline int64_t ClampedFloatToInt32(float v) {
  constexpr float kLimit = 2147483520.f;  // largest float below 2^31
  if (std::isnan(v)) return 0;
  return static_cast<int64_t>(std::min(std::max(v, -kLimit), kLimit));
}

// TFLite's optimized spatial mean: count = H * W (as float);
//   bias = out_zp - round_half_away(in_zp * in_scale / out_scale)    (float, truncated)
//   (m, s) = QuantizeMultiplier(in_scale / (count * out_scale))        (float quotient)
//   out = clamp(MultiplyByQuantizedMultiplier(sum, m, s) + bias)
template <typename T>
inline void MeanSpatial4D(const int32_t* sums, int64_t n, int64_t count, float in_scale,
                          int32_t in_zp, float out_scale, int32_t out_zp, T* output) {
  const float num = static_cast<float>(count);
  float temp = static_cast<float>(in_zp) * in_scale / out_scale;
  temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
  const int64_t bias = int64_t{out_zp} - ClampedFloatToInt32(temp);
  const float real_scale = in_scale / (num * out_scale);
  int32_t multiplier = 0;
  int shift = 0;
  fixed_point::QuantizeMultiplier(static_cast<double>(real_scale), &multiplier, &shift);
  for (int64_t i = 0; i < n; ++i)
    output[i] = fixed_point::SaturateTo<T>(
        int64_t{fixed_point::MultiplyByQuantizedMultiplier(sums[i], multiplier, shift)} + bias);
}

// TFLite's reference quantized mean: (multiplier, shift) = QuantizeMultiplier(in_scale /
// out_scale) from Prepare; 1/count folds into the multiplier with up to 32 extra bits;
//   out = clamp(MultiplyByQuantizedMultiplier(sum - in_zp * count, m', s') + out_zp)
template <typename T>
inline void MeanGeneral(const int32_t* sums, int64_t n, int64_t count, int32_t in_zp,
                        int32_t multiplier, int shift, int32_t out_zp, T* output) {
  if (count <= 0) return;
  int extra = 63 - __builtin_clzll(static_cast<uint64_t>(count));
  extra = std::min(extra, 32);
  extra = std::min(extra, 31 + shift);
  extra = std::max(extra, 0);
  const int32_t m = static_cast<int32_t>((static_cast<int64_t>(multiplier) << extra) / count);
  const int s = shift - extra;
  for (int64_t i = 0; i < n; ++i) {
    const auto shifted =
        static_cast<int32_t>(static_cast<int64_t>(sums[i]) - static_cast<int64_t>(in_zp) * count);
    output[i] = fixed_point::SaturateTo<T>(
        int64_t{fixed_point::MultiplyByQuantizedMultiplier(shifted, m, s)} + out_zp);
  }
}

// TFLite's optimized quantized sum: scale = in_scale / out_scale (float);
//   out = clamp(int(roundf(sum * scale + (-in_zp) * scale * count)) + out_zp)
template <typename T>
inline void SumRescale(const int32_t* sums, int64_t n, int64_t count, float in_scale, int32_t in_zp,
                       float out_scale, int32_t out_zp, T* output) {
  const float scale = in_scale / out_scale;
  const float bias = static_cast<float>(-in_zp) * scale * static_cast<float>(count);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v =
        ClampedFloatToInt32(std::round(static_cast<float>(sums[i]) * scale + bias)) + out_zp;
    output[i] = fixed_point::SaturateTo<T>(v);  // T is at most 16 bits wide
  }
}

}  // namespace litescope::runtime::reference
