#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "runtime/shape.h"

// Reference TRANSPOSE_CONV: plain loops, the definition the GEMM-based kernel is tested against.
namespace litescope::runtime::reference {

// Padding is the number of output rows/columns cut off before the first one, as TFLite derives
// it: the padding a forward convolution from the output back to the input would use.
struct TransposeConvParams {
  int stride_h = 1;
  int stride_w = 1;
  int pad_top = 0;
  int pad_left = 0;
  float act_min = -std::numeric_limits<float>::infinity();
  float act_max = std::numeric_limits<float>::infinity();
};

// input [N, H, W, C], filter [OC, KH, KW, C], bias [OC] or nullptr (zeros), output
// [N, OH, OW, OC]. Each input pixel scatters its filter-weighted values:
//   out[b, y*sh - pt + ky, x*sw - pl + kx, oc] += sum_c in[b, y, x, c] * filter[oc, ky, kx, c]
// (positions outside the output are dropped); then the bias is added and the result clamped.
inline void TransposeConvFloat(const TransposeConvParams& p, const Shape& input_shape,
                               const float* input, const Shape& filter_shape, const float* filter,
                               const float* bias, const Shape& output_shape, float* output) {
  const int batches = input_shape.dim(0);
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int in_c = input_shape.dim(3);
  const int k_h = filter_shape.dim(1);
  const int k_w = filter_shape.dim(2);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  const int out_c = output_shape.dim(3);
  std::fill(output, output + output_shape.FlatSize(), 0.f);
  for (int b = 0; b < batches; ++b) {
    for (int iy = 0; iy < in_h; ++iy) {
      for (int ix = 0; ix < in_w; ++ix) {
        const float* in_px = input + ((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c;
        for (int ky = 0; ky < k_h; ++ky) {
          const int oy = iy * p.stride_h - p.pad_top + ky;
          if (oy < 0 || oy >= out_h) continue;
          for (int kx = 0; kx < k_w; ++kx) {
            const int ox = ix * p.stride_w - p.pad_left + kx;
            if (ox < 0 || ox >= out_w) continue;
            float* out_px = output + ((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c;
            for (int oc = 0; oc < out_c; ++oc) {
              const float* f_px =
                  filter + ((static_cast<int64_t>(oc) * k_h + ky) * k_w + kx) * in_c;
              float sum = 0.f;
              for (int c = 0; c < in_c; ++c) sum += in_px[c] * f_px[c];
              out_px[oc] += sum;
            }
          }
        }
      }
    }
  }
  const int64_t pixels = static_cast<int64_t>(batches) * out_h * out_w;
  for (int64_t i = 0; i < pixels; ++i) {
    for (int oc = 0; oc < out_c; ++oc) {
      float v = output[i * out_c + oc] + (bias ? bias[oc] : 0.f);
      if (v < p.act_min) v = p.act_min;
      if (v > p.act_max) v = p.act_max;
      output[i * out_c + oc] = v;
    }
  }
}

}  // namespace litescope::runtime::reference
