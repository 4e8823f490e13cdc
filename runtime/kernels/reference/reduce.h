#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "runtime/shape.h"

// Reductions over a set of axes: SUM, PROD, MAX, MIN and MEAN.
//
// Algorithm (ReduceInto):
//  1. ResolveAxes turns the axis list (negative = counted from the end, duplicates allowed) into
//     one "reduced" flag per input dimension.
//  2. Neighbouring dimensions with the same flag are merged and size-1 dimensions dropped, so
//     e.g. MEAN over H,W of [N, H, W, C] becomes [N | H*W (reduced) | C].
//  3. The input is walked once, in memory order, one innermost run at a time. A kept innermost
//     run updates a contiguous block of outputs (vectorizable); a reduced one folds into one.
namespace litescope::runtime::reference {

// Sets reduced[d] for every dimension named by axes[0..n). Returns false (and the index of the
// offending entry in *bad) when an axis lies outside [-rank, rank).
inline bool ResolveAxes(int rank, const int64_t* axes, int64_t n, std::vector<bool>* reduced,
                        int64_t* bad) {
  reduced->assign(static_cast<size_t>(rank), false);
  for (int64_t i = 0; i < n; ++i) {
    int64_t a = axes[i];
    if (a < 0) a += rank;
    if (a < 0 || a >= rank) {
      *bad = i;
      return false;
    }
    (*reduced)[static_cast<size_t>(a)] = true;
  }
  return true;
}

// Output shape: reduced dimensions become 1 (keep_dims) or disappear.
inline Shape ReducedShape(const Shape& input, const std::vector<bool>& reduced, bool keep_dims) {
  std::vector<int32_t> dims;
  for (int d = 0; d < input.rank(); ++d) {
    if (!reduced[static_cast<size_t>(d)])
      dims.push_back(input.dim(d));
    else if (keep_dims)
      dims.push_back(1);
  }
  return Shape(std::move(dims));
}

// Number of input elements folded into each output element.
inline int64_t ReducedCount(const Shape& input, const std::vector<bool>& reduced) {
  int64_t n = 1;
  for (int d = 0; d < input.rank(); ++d)
    if (reduced[static_cast<size_t>(d)]) n *= input.dim(d);
  return n;
}

enum class ReduceKind { kSum, kProd, kMax, kMin };

template <typename T, ReduceKind kKind>
constexpr T ReduceIdentity() {
  if constexpr (kKind == ReduceKind::kSum) return T(0);
  if constexpr (kKind == ReduceKind::kProd) return T(1);
  if constexpr (kKind == ReduceKind::kMax) return std::numeric_limits<T>::lowest();
  return std::numeric_limits<T>::max();
}

// Integer sums and products wrap around (computed unsigned) instead of overflowing.
template <typename T, ReduceKind kKind>
inline T ReduceStep(T acc, T v) {
  if constexpr (std::is_integral_v<T> &&
                (kKind == ReduceKind::kSum || kKind == ReduceKind::kProd)) {
    using U = std::make_unsigned_t<T>;
    const uint64_t a = static_cast<U>(acc);
    const uint64_t b = static_cast<U>(v);
    return static_cast<T>(static_cast<U>(kKind == ReduceKind::kSum ? a + b : a * b));
  }
  if constexpr (kKind == ReduceKind::kSum) return acc + v;
  if constexpr (kKind == ReduceKind::kProd) return acc * v;
  if constexpr (kKind == ReduceKind::kMax) return v > acc ? v : acc;
  return v < acc ? v : acc;
}

// Reduces `input` (shape input_shape) over the flagged dimensions into `output`, which holds
// ReducedCount-folded elements in the kept dimensions' row-major order.
template <typename T, ReduceKind kKind>
void ReduceInto(const Shape& input_shape, const T* input, const std::vector<bool>& reduced,
                T* output) {
  // Step 2: merge dimensions.
  std::vector<int64_t> dims;
  std::vector<bool> flags;
  for (int d = 0; d < input_shape.rank(); ++d) {
    const int64_t n = input_shape.dim(d);
    const bool r = reduced[static_cast<size_t>(d)];
    if (n == 1) continue;
    if (!dims.empty() && flags.back() == r) {
      dims.back() *= n;
    } else {
      dims.push_back(n);
      flags.push_back(r);
    }
  }
  int64_t out_count = 1;
  int64_t in_count = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    in_count *= dims[i];
    if (!flags[i]) out_count *= dims[i];
  }
  for (int64_t i = 0; i < out_count; ++i) output[i] = ReduceIdentity<T, kKind>();
  if (in_count == 0) return;
  if (dims.empty()) {  // a single element
    output[0] = ReduceStep<T, kKind>(output[0], input[0]);
    return;
  }
  // Output stride of each merged dimension (0 when reduced).
  const size_t k = dims.size();
  std::vector<int64_t> out_stride(k, 0);
  int64_t s = 1;
  for (size_t i = k; i-- > 0;) {
    if (!flags[i]) {
      out_stride[i] = s;
      s *= dims[i];
    }
  }
  // Step 3: walk the input one innermost run at a time.
  const int64_t run = dims[k - 1];
  const bool run_reduced = flags[k - 1];
  std::vector<int64_t> idx(k, 0);
  int64_t out_base = 0;
  for (int64_t in_pos = 0; in_pos < in_count; in_pos += run) {
    const T* in = input + in_pos;
    if (run_reduced) {
      T acc = output[out_base];
      for (int64_t j = 0; j < run; ++j) acc = ReduceStep<T, kKind>(acc, in[j]);
      output[out_base] = acc;
    } else {
      T* out = output + out_base;
      for (int64_t j = 0; j < run; ++j) out[j] = ReduceStep<T, kKind>(out[j], in[j]);
    }
    // Advance the odometer over the outer merged dimensions.
    for (size_t i = k - 1; i-- > 0;) {
      out_base += out_stride[i];
      if (++idx[i] < dims[i]) break;
      out_base -= out_stride[i] * dims[i];
      idx[i] = 0;
    }
  }
}

// MEAN: the sum divided by the number of folded elements.
inline void MeanFloat(const Shape& input_shape, const float* input,
                      const std::vector<bool>& reduced, float* output) {
  ReduceInto<float, ReduceKind::kSum>(input_shape, input, reduced, output);
  const Shape out_shape = ReducedShape(input_shape, reduced, false);
  const int64_t out_count = out_shape.FlatSize();
  const float n = static_cast<float>(ReducedCount(input_shape, reduced));
  for (int64_t i = 0; i < out_count; ++i) output[i] = n > 0 ? output[i] / n : 0.f;
}

}  // namespace litescope::runtime::reference
