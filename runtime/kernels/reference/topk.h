#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

// TOPK_V2: the k largest values of each row (the last dimension) in descending order, with
// their positions. Equal values keep their order (lower index first). NaN counts as larger
// than every number, which keeps the ordering strict and weak.
namespace litescope::runtime::reference {

namespace topk_internal {

template <typename T>
bool Greater(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return !std::isnan(b);
    if (std::isnan(b)) return false;
  }
  return a > b;
}

}  // namespace topk_internal

// input: rows x row_size; values, indices: rows x k. Requires 0 <= k <= row_size.
template <typename T, typename IndexT>
void TopK(const T* input, int64_t rows, int64_t row_size, int64_t k, T* values, IndexT* indices) {
  if (k <= 0) return;
  std::vector<int64_t> order(static_cast<size_t>(row_size));
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = input + r * row_size;
    for (int64_t i = 0; i < row_size; ++i) order[static_cast<size_t>(i)] = i;
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [row](int64_t a, int64_t b) {
      if (topk_internal::Greater(row[a], row[b])) return true;
      if (topk_internal::Greater(row[b], row[a])) return false;
      return a < b;
    });
    for (int64_t j = 0; j < k; ++j) {
      const int64_t src = order[static_cast<size_t>(j)];
      values[r * k + j] = row[src];
      indices[r * k + j] = static_cast<IndexT>(src);
    }
  }
}

}  // namespace litescope::runtime::reference
