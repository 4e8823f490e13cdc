#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/fixed_point_math.h"

// L2_NORMALIZATION over int8/uint8 tensors viewed as [outer, depth], TFLite's integer rules.
// The output scale is fixed at 1/128 (zero point 0 for int8, 128 for uint8). Per row:
//  1. s = sum of (x - input_zero_point)^2 in int32;
//  2. (multiplier, shift) = 1 / sqrt(s) from GetInvSqrtQuantizedMultiplierExp;
//  3. int8: out = clamp(MultiplyByQuantizedMultiplier(x - zp, multiplier, shift + 7));
//     uint8: out = clamp(128 + MultiplyByQuantizedMultiplierSmallerThanOneExp(128 * (x - zp),
//                                                                           multiplier, shift)).
namespace litescope::runtime::reference {

template <typename T>
inline void L2NormalizeQuantized(int32_t input_zero_point, const T* input, T* output, int64_t outer,
                                 int64_t depth) {
  for (int64_t i = 0; i < outer; ++i) {
    const T* x = input + i * depth;
    T* y = output + i * depth;
    int32_t sum_sq = 0;
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t d = static_cast<int32_t>(x[c]) - input_zero_point;
      sum_sq += d * d;
    }
    int32_t multiplier = 0;
    int shift = 0;
    fixed_point::GetInvSqrtQuantizedMultiplierExp(sum_sq, /*reverse_shift=*/-1, &multiplier,
                                                  &shift);
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t d = static_cast<int32_t>(x[c]) - input_zero_point;
      int32_t v;
      if constexpr (std::is_same_v<T, int8_t>) {
        v = fixed_point::MultiplyByQuantizedMultiplier(d, multiplier, shift + 7);
        v = std::min<int32_t>(127, std::max<int32_t>(-128, v));
      } else {
        v = 128 +
            fixed_point::MultiplyByQuantizedMultiplierSmallerThanOneExp(128 * d, multiplier, shift);
        v = std::min<int32_t>(255, std::max<int32_t>(0, v));
      }
      y[c] = static_cast<T>(v);
    }
  }
}

}  // namespace litescope::runtime::reference
