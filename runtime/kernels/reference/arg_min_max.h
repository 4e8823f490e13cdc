#pragma once

#include <cstdint>

#include "runtime/shape.h"

// ARG_MAX and ARG_MIN: the index of the largest (smallest) value along one axis. Ties resolve
// to the first index; a NaN never replaces the current best.
namespace litescope::runtime::reference {

// input_shape.dim(axis) must be at least 1. Output has input_shape without the axis.
template <typename T, typename OutT>
void ArgMinMax(const Shape& input_shape, int axis, bool is_max, const T* input, OutT* output) {
  const int64_t outer = input_shape.FlatSize(0, axis);
  const int64_t axis_size = input_shape.dim(axis);
  const int64_t inner = input_shape.FlatSize(axis + 1, input_shape.rank());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* p = input + o * axis_size * inner + i;
      T best = p[0];
      int64_t best_index = 0;
      for (int64_t a = 1; a < axis_size; ++a) {
        const T v = p[a * inner];
        if (is_max ? (v > best) : (v < best)) {
          best = v;
          best_index = a;
        }
      }
      output[o * inner + i] = static_cast<OutT>(best_index);
    }
  }
}

}  // namespace litescope::runtime::reference
