#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/shape.h"

// Reference DEPTHWISE_CONV_2D: plain loops, the definition the optimized kernel is tested against.
namespace litescope::runtime::reference {

// Derived parameters of one depthwise convolution. Padding is the number of implicit zero
// rows/columns before the first input row/column.
struct DepthwiseParams {
  int stride_h = 1;
  int stride_w = 1;
  int dilation_h = 1;
  int dilation_w = 1;
  int pad_top = 0;
  int pad_left = 0;
  int depth_multiplier = 1;
  float act_min = -3.402823466e+38f;
  float act_max = 3.402823466e+38f;
};

// input [N, H, W, C], filter [1, KH, KW, C*M], bias [C*M] or nullptr (zeros),
// output [N, OH, OW, C*M]. Output channel oc reads input channel oc / M:
//   out[b, y, x, ic*M + m] = bias[oc] + sum_{ky,kx} in[b, y*sh - pt + ky*dh, x*sw - pl + kx*dw, ic]
//                                                   * filter[0, ky, kx, ic*M + m]
// with taps outside the input contributing nothing, then clamped to [act_min, act_max].
inline void DepthwiseConvFloat(const DepthwiseParams& p, const Shape& input_shape,
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
  const int m_count = p.depth_multiplier;
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int ic = 0; ic < in_c; ++ic) {
          for (int m = 0; m < m_count; ++m) {
            const int oc = ic * m_count + m;
            float acc = 0.f;
            for (int ky = 0; ky < k_h; ++ky) {
              const int iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int kx = 0; kx < k_w; ++kx) {
                const int ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                const float v =
                    input[((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c + ic];
                const float w = filter[(static_cast<int64_t>(ky) * k_w + kx) * out_c + oc];
                acc += v * w;
              }
            }
            if (bias) acc += bias[oc];
            output[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
                std::min(std::max(acc, p.act_min), p.act_max);
          }
        }
      }
    }
  }
}

}  // namespace litescope::runtime::reference
