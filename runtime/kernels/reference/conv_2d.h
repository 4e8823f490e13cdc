#pragma once

#include <cstdint>
#include <limits>

#include "runtime/shape.h"

// Reference CONV_2D: plain loops, the definition the GEMM-based kernel is tested against.
namespace litescope::runtime::reference {

// Derived parameters of one convolution. Padding is the number of implicit zero rows/columns
// before the first input row/column.
struct ConvParams {
  int stride_h = 1;
  int stride_w = 1;
  int dilation_h = 1;
  int dilation_w = 1;
  int pad_top = 0;
  int pad_left = 0;
  float act_min = -std::numeric_limits<float>::infinity();
  float act_max = std::numeric_limits<float>::infinity();
};

// input [N, H, W, C], filter [OC, KH, KW, C / G], bias [OC] or nullptr (zeros),
// output [N, OH, OW, OC], with G = C / filter channels groups of OC / G output channels each:
//   out[b, y, x, oc] = bias[oc] + sum_{ky,kx,c} in[b, y*sh - pt + ky*dh, x*sw - pl + kx*dw,
//                                                  g*(C/G) + c] * filter[oc, ky, kx, c]
// where g = oc / (OC/G), taps outside the input contribute nothing, and the result is clamped
// to [act_min, act_max].
inline void ConvFloat(const ConvParams& p, const Shape& input_shape, const float* input,
                      const Shape& filter_shape, const float* filter, const float* bias,
                      const Shape& output_shape, float* output) {
  const int batches = input_shape.dim(0);
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int in_c = input_shape.dim(3);
  const int k_h = filter_shape.dim(1);
  const int k_w = filter_shape.dim(2);
  const int group_in_c = filter_shape.dim(3);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  const int out_c = output_shape.dim(3);
  const int groups = group_in_c > 0 ? in_c / group_in_c : 1;
  const int group_out_c = out_c / (groups > 0 ? groups : 1);
  for (int b = 0; b < batches; ++b) {
    for (int oy = 0; oy < out_h; ++oy) {
      for (int ox = 0; ox < out_w; ++ox) {
        for (int oc = 0; oc < out_c; ++oc) {
          const int g = group_out_c > 0 ? oc / group_out_c : 0;
          float acc = 0.f;
          for (int ky = 0; ky < k_h; ++ky) {
            const int iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int kx = 0; kx < k_w; ++kx) {
              const int ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const float* in_px = input +
                                   ((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c +
                                   static_cast<int64_t>(g) * group_in_c;
              const float* f_px =
                  filter + ((static_cast<int64_t>(oc) * k_h + ky) * k_w + kx) * group_in_c;
              for (int c = 0; c < group_in_c; ++c) acc += in_px[c] * f_px[c];
            }
          }
          if (bias) acc += bias[oc];
          if (acc < p.act_min) acc = p.act_min;
          if (acc > p.act_max) acc = p.act_max;
          output[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] = acc;
        }
      }
    }
  }
}

}  // namespace litescope::runtime::reference
