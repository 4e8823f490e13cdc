#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/depthwise_conv.h"
#include "runtime/shape.h"

// Reference quantized DEPTHWISE_CONV_2D (int8 with per-channel int8 weights, uint8 with
// per-tensor uint8 weights), TFLite's integer rules: plain loops, the definition the optimized
// kernel is tested against.
namespace litescope::runtime::reference {

// Integer parameters of one quantized depthwise convolution. The arrays hold one entry per
// output channel and must outlive the call.
struct DepthwiseQuantParams {
  int32_t input_offset = 0;             // minus the input zero point
  int32_t filter_offset = 0;            // minus the filter zero point (0 for int8 weights)
  int32_t output_offset = 0;            // the output zero point
  const int32_t* multiplier = nullptr;  // Q31 multipliers (QuantizeMultiplier)
  const int* shift = nullptr;           // their exponents (> 0 = left shift)
  int32_t act_min = 0;                  // fused activation clamp, in output units
  int32_t act_max = 0;
};

// Output channel oc of pixel (b, y, x):
//   acc = bias[oc] + sum_{taps inside the input} (in + input_offset) * (w + filter_offset)
//   out = clamp(MultiplyByQuantizedMultiplier(acc, multiplier[oc], shift[oc]) + output_offset,
//               act_min, act_max)
// Geometry as DepthwiseConvFloat; bias may be nullptr (zeros).
template <typename T>
inline void DepthwiseConvQuantized(const DepthwiseParams& p, const DepthwiseQuantParams& q,
                                   const Shape& input_shape, const T* input,
                                   const Shape& filter_shape, const T* filter, const int32_t* bias,
                                   const Shape& output_shape, T* output) {
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
            int32_t acc = 0;
            for (int ky = 0; ky < k_h; ++ky) {
              const int iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (iy < 0 || iy >= in_h) continue;
              for (int kx = 0; kx < k_w; ++kx) {
                const int ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ix < 0 || ix >= in_w) continue;
                const int32_t v =
                    input[((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c + ic];
                const int32_t w = filter[(static_cast<int64_t>(ky) * k_w + kx) * out_c + oc];
                acc = fixed_point::WrappingAdd(acc, (v + q.input_offset) * (w + q.filter_offset));
              }
            }
            if (bias) acc = fixed_point::WrappingAdd(acc, bias[oc]);
            const int64_t v =  // 64-bit: the product may be saturated
                int64_t{fixed_point::MultiplyByQuantizedMultiplier(acc, q.multiplier[oc],
                                                                   q.shift[oc])} +
                q.output_offset;
            output[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
                static_cast<T>(std::min<int64_t>(std::max<int64_t>(v, q.act_min), q.act_max));
          }
        }
      }
    }
  }
}

}  // namespace litescope::runtime::reference
