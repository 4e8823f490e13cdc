#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/fixed_point_math.h"

// INT16 SOFTMAX (zero points 0, output scale 1/32768) with TensorFlow Lite's rules:
//  1. Prepare fills two 513-entry int16 tables (PopulateInt16Lut): exp(x) for x in [-10, 0] and
//     1 / (1 + x) for x in [0, 1], both with outputs in Q0.15 over [-1, 1).
//  2. Per row: each x - max(row) is rescaled by input_scale * beta / (10 / 65535) (a Q31
//     multiplier, so [-65535, 0] covers [-10, 0]), re-centred by +32767, saturated to int16 and
//     looked up (with interpolation) in the exp table; the results are summed in int32.
//  3. The sum is normalized to its leading one (headroom h = leading zeros), reduced to Q.15
//     with rounding, re-centred to [-32768, 32767] and looked up in the 1 / (1 + x) table.
//  4. Each output is exp * reciprocal >> (31 - h), rounded half up and clamped to [0, 32767].
namespace litescope::runtime::reference {

inline constexpr int kInt16LutSize = 513;

// TFLite's LUTPopulateInt16 in double: 512 samples of f over the int16 input range, each biased
// by half the interpolation error at the segment's midpoint, plus the last point.
template <typename Fn>
inline void PopulateInt16Lut(double input_scale, int32_t input_zero_point, double output_scale,
                             int32_t output_zero_point, const Fn& f, int16_t* lut) {
  constexpr int32_t kMin = std::numeric_limits<int16_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int16_t>::max();
  const double input_min = input_scale * (kMin - input_zero_point);
  const double input_max = input_scale * (kMax - input_zero_point);
  const double output_min = output_scale * (kMin - output_zero_point);
  const double output_max = output_scale * (kMax - output_zero_point);
  constexpr int kSteps = kInt16LutSize - 1;
  const double step = (input_max - input_min) / kSteps;
  const double half_step = step / 2;
  const double to_table = static_cast<double>(kMax - kMin + 1) / (output_max - output_min);
  auto clamp = [](double v) {
    return static_cast<int16_t>(std::min<double>(std::max<double>(v, kMin), kMax));
  };
  for (int i = 0; i < kSteps; ++i) {
    const double at = f(input_min + i * step);
    const double mid = f(input_min + i * step + half_step);
    const double next = f(input_min + (i + 1) * step);
    const double sample = std::round(at * to_table);
    const double interpolated_mid = std::round((next * to_table + std::round(at * to_table)) / 2);
    const double exact_mid = std::round(mid * to_table);
    const double bias = std::round((interpolated_mid - exact_mid) / 2);
    lut[i] = clamp(sample - bias);
  }
  lut[kSteps] = clamp(std::round(f(input_max) * to_table));
}

// Interpolated lookup: the high 9 bits of value pick the segment, the low 7 interpolate.
inline int16_t LookupInt16Lut(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);
  const int offset = value & 0x7F;
  const int16_t base = lut[index];
  const auto slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

struct SoftmaxInt16Params {
  int16_t exp_lut[kInt16LutSize] = {};
  int16_t one_over_one_plus_x_lut[kInt16LutSize] = {};
  int32_t input_multiplier = 0;
  int input_shift = 0;

  void Init(float input_scale, float beta) {
    constexpr double kRange = 65535.0;  // int16 max - min
    PopulateInt16Lut(
        10.0 / kRange, 32767, 2.0 / kRange, 0, [](double v) { return std::exp(v); }, exp_lut);
    PopulateInt16Lut(
        1.0 / kRange, -32768, 2.0 / kRange, 0, [](double v) { return 1.0 / (1.0 + v); },
        one_over_one_plus_x_lut);
    // input_scale * beta is a float product in TFLite.
    fixed_point::QuantizeMultiplier(static_cast<double>(input_scale * beta) / (10.0 / 65535.0),
                                    &input_multiplier, &input_shift);
  }
};

// Rows of depth values; output may not alias input.
inline void SoftmaxInt16Rows(const SoftmaxInt16Params& p, const int16_t* input, int16_t* output,
                             int64_t rows, int64_t depth) {
  for (int64_t r = 0; r < rows; ++r) {
    const int16_t* x = input + r * depth;
    int16_t* y = output + r * depth;
    int16_t max_value = std::numeric_limits<int16_t>::min();
    for (int64_t c = 0; c < depth; ++c) max_value = std::max(max_value, x[c]);
    int64_t sum = 0;
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t diff = int32_t{x[c]} - max_value;
      const int32_t scaled =
          fixed_point::MultiplyByQuantizedMultiplier(diff, p.input_multiplier, p.input_shift);
      const int64_t centred = int64_t{scaled} + 32767;
      const auto index =
          static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(centred, -32768), 32767));
      y[c] = LookupInt16Lut(index, p.exp_lut);  // exp in Q0.15, kept in the output for step 4
      sum += y[c];
    }
    // Beyond int32 only for rows of more than 65537 values; TFLite's int32 sum would overflow.
    sum = std::min<int64_t>(std::max<int64_t>(sum, 1), std::numeric_limits<int32_t>::max());
    const int headroom = fixed_point::CountLeadingZeros32(static_cast<uint32_t>(sum));
    const int64_t normalized = ((sum << (headroom - 1)) + (1 << 13)) >> 14;
    const int64_t centred = normalized - ((1 << 15) + (1 << 16));
    const auto reciprocal = LookupInt16Lut(
        static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(centred, -32768), 32767)),
        p.one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int64_t c = 0; c < depth; ++c) {
      const int64_t v = (int64_t{y[c]} * reciprocal + round) >> right_shift;
      y[c] = static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(v, 0), 32767));
    }
  }
}

}  // namespace litescope::runtime::reference
