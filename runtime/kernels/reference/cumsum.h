#pragma once

#include <cstdint>
#include <type_traits>

#include "runtime/shape.h"

// CUMSUM: running sums along one axis. `exclusive` leaves the current element out of its own
// sum (the first sum is 0); `reverse` sums from the end of the axis. Integer sums wrap on
// overflow (two's complement) instead of being undefined.
namespace litescope::runtime::reference {

namespace cumsum_internal {

template <typename T>
T Add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}

}  // namespace cumsum_internal

template <typename T>
void Cumsum(const Shape& shape, int axis, bool exclusive, bool reverse, const T* input, T* output) {
  const int64_t outer = shape.FlatSize(0, axis);
  const int64_t axis_size = shape.dim(axis);
  const int64_t inner = shape.FlatSize(axis + 1, shape.rank());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * axis_size * inner + i;
      T sum = T(0);
      for (int64_t step = 0; step < axis_size; ++step) {
        const int64_t a = reverse ? axis_size - 1 - step : step;
        const int64_t at = base + a * inner;
        if (exclusive) {
          output[at] = sum;
          sum = cumsum_internal::Add(sum, input[at]);
        } else {
          sum = cumsum_internal::Add(sum, input[at]);
          output[at] = sum;
        }
      }
    }
  }
}

}  // namespace litescope::runtime::reference
