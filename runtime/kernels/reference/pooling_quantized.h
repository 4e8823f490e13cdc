#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/pooling.h"
#include "runtime/shape.h"

// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC int8/uint8 tensors, TFLite's integer rules. The
// output shares the input's quantization, so values are pooled as raw integers:
//  - average: the int32 sum of the window cells inside the input divided by their count,
//    rounded half away from zero;
//  - max: the largest cell.
// Then clamped to [act_min, act_max] (the fused activation in output units). Computes output
// rows [row_begin, row_end) (row = batch * out_h + oy) so callers may split rows across threads.
namespace litescope::runtime::reference {

template <typename T, PoolKind kKind>
inline void PoolQuantizedRows(const PoolParams& p, int32_t act_min, int32_t act_max,
                              const Shape& input_shape, const T* input, const Shape& output_shape,
                              T* output, int64_t row_begin, int64_t row_end) {
  static_assert(kKind == PoolKind::kAverage || kKind == PoolKind::kMax, "no quantized L2 pool");
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int depth = input_shape.dim(3);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  constexpr int kMaxDepthBlock = 256;
  int32_t acc[kMaxDepthBlock];
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / out_h;
    const int oy = static_cast<int>(row % out_h);
    const int iy_origin = oy * p.stride_h - p.pad_top;
    const int fy0 = std::max(0, -iy_origin);
    const int fy1 = std::min(p.filter_h, in_h - iy_origin);
    for (int ox = 0; ox < out_w; ++ox) {
      const int ix_origin = ox * p.stride_w - p.pad_left;
      const int fx0 = std::max(0, -ix_origin);
      const int fx1 = std::min(p.filter_w, in_w - ix_origin);
      const int count = std::max(0, fy1 - fy0) * std::max(0, fx1 - fx0);
      T* out = output + (row * out_w + ox) * depth;
      for (int c0 = 0; c0 < depth; c0 += kMaxDepthBlock) {
        const int n = std::min(kMaxDepthBlock, depth - c0);
        const int32_t init = kKind == PoolKind::kMax ? std::numeric_limits<T>::lowest() : 0;
        for (int c = 0; c < n; ++c) acc[c] = init;
        for (int fy = fy0; fy < fy1; ++fy) {
          const int iy = iy_origin + fy;
          for (int fx = fx0; fx < fx1; ++fx) {
            const int ix = ix_origin + fx;
            const T* in = input + ((b * in_h + iy) * in_w + ix) * depth + c0;
            if constexpr (kKind == PoolKind::kAverage) {
              for (int c = 0; c < n; ++c) acc[c] = fixed_point::WrappingAdd(acc[c], in[c]);
            } else {
              for (int c = 0; c < n; ++c) acc[c] = std::max<int32_t>(acc[c], in[c]);
            }
          }
        }
        for (int c = 0; c < n; ++c) {
          int32_t v = acc[c];
          if constexpr (kKind == PoolKind::kAverage) {
            if (count == 0)
              v = 0;
            else
              v = v > 0 ? (v + count / 2) / count : (v - count / 2) / count;
          }
          out[c0 + c] = static_cast<T>(std::min(std::max(v, act_min), act_max));
        }
      }
    }
  }
}

}  // namespace litescope::runtime::reference
