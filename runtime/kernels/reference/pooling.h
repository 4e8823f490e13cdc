#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/shape.h"

// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D over NHWC float tensors. Each function computes
// output rows [row_begin, row_end) (row = batch * out_h + oy), so callers may split the rows
// across threads; the *Float wrappers compute everything. Padding cells never count: the
// average and the L2 norm divide by the number of window cells inside the input.
namespace litescope::runtime::reference {

struct PoolParams {
  int stride_h = 1;
  int stride_w = 1;
  int filter_h = 1;
  int filter_w = 1;
  int pad_top = 0;
  int pad_left = 0;
  float act_min = std::numeric_limits<float>::lowest();
  float act_max = std::numeric_limits<float>::max();
};

enum class PoolKind { kAverage, kMax, kL2 };

template <PoolKind kKind>
inline void PoolFloatRows(const PoolParams& p, const Shape& input_shape, const float* input,
                          const Shape& output_shape, float* output, int64_t row_begin,
                          int64_t row_end) {
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int depth = input_shape.dim(3);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
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
      float* out = output + (row * out_w + ox) * depth;
      const float init = kKind == PoolKind::kMax ? std::numeric_limits<float>::lowest() : 0.f;
      for (int c = 0; c < depth; ++c) out[c] = init;
      int count = 0;
      for (int fy = fy0; fy < fy1; ++fy) {
        const int iy = iy_origin + fy;
        for (int fx = fx0; fx < fx1; ++fx) {
          const int ix = ix_origin + fx;
          const float* in = input + ((b * in_h + iy) * in_w + ix) * depth;
          if constexpr (kKind == PoolKind::kAverage) {
            for (int c = 0; c < depth; ++c) out[c] += in[c];
          } else if constexpr (kKind == PoolKind::kMax) {
            for (int c = 0; c < depth; ++c) out[c] = std::max(out[c], in[c]);
          } else {
            for (int c = 0; c < depth; ++c) out[c] += in[c] * in[c];
          }
          ++count;
        }
      }
      if constexpr (kKind == PoolKind::kAverage) {
        const float n = static_cast<float>(count);
        for (int c = 0; c < depth; ++c) out[c] = count > 0 ? out[c] / n : 0.f;
      } else if constexpr (kKind == PoolKind::kL2) {
        const float n = static_cast<float>(count);
        for (int c = 0; c < depth; ++c) out[c] = count > 0 ? std::sqrt(out[c] / n) : 0.f;
      }
      for (int c = 0; c < depth; ++c) out[c] = std::min(std::max(out[c], p.act_min), p.act_max);
    }
  }
}

// Whole-tensor wrappers: input [N, H, W, C], output [N, OH, OW, C].
inline void AveragePoolFloat(const PoolParams& p, const Shape& input_shape, const float* input,
                             const Shape& output_shape, float* output) {
  PoolFloatRows<PoolKind::kAverage>(p, input_shape, input, output_shape, output, 0,
                                    int64_t{output_shape.dim(0)} * output_shape.dim(1));
}

inline void MaxPoolFloat(const PoolParams& p, const Shape& input_shape, const float* input,
                         const Shape& output_shape, float* output) {
  PoolFloatRows<PoolKind::kMax>(p, input_shape, input, output_shape, output, 0,
                                int64_t{output_shape.dim(0)} * output_shape.dim(1));
}

inline void L2PoolFloat(const PoolParams& p, const Shape& input_shape, const float* input,
                        const Shape& output_shape, float* output) {
  PoolFloatRows<PoolKind::kL2>(p, input_shape, input, output_shape, output, 0,
                               int64_t{output_shape.dim(0)} * output_shape.dim(1));
}

}  // namespace litescope::runtime::reference
