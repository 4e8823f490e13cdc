#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/kernels/reference/conv_quantized.h"

// "16x8" CONV_2D and FULLY_CONNECTED: int16 activations (zero point 0), symmetric int8 weights
// (per channel or per tensor) and an int32 or int64 bias, with TensorFlow Lite's two integer
// forms, picked by the kernel in Prepare:
//  - scaled (int64 bias, or int32 bias in a grouped convolution): products and bias summed in
//    int64, then acc * (input_scale * weight_scale / output_scale), the factor formed in
//    double per output channel, is rounded half away from zero and saturated to int32;
//  - GEMM (int32 bias otherwise): the sum and bias wrap in int32 as the GEMM's accumulators do,
//    and the GEMM output stage applies the Q31 multiplier of ConvQuantParams
//    (MultiplyByQuantizedMultiplierGemm in conv_quantized.h).
// Then the output zero point is added and the result clamped to the fused activation's range.
// ConvQuantParams::gemm_rounding selects the GEMM form; the scaled form reads `scales`, one
// double per output channel. Pure functions over NHWC data.
namespace litescope::runtime::reference {

// One output value of channel oc from its accumulator (products plus bias, summed in int64).
inline int16_t Requantize16x8(const ConvQuantParams& q, const double* scales, int oc, int64_t acc) {
  if (q.gemm_rounding) {
    // int32 accumulators wrap modulo 2^32, like the GEMM's.
    const auto wrapped = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(acc)));
    return static_cast<int16_t>(RequantizeConv(q, oc, wrapped));
  }
  const double scaled = std::round(static_cast<double>(acc) * scales[oc]);
  const double limited = std::min(2147483647.0, std::max(-2147483648.0, scaled));
  const int64_t v = static_cast<int64_t>(limited) + q.output_offset;
  return static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(v, q.act_min), q.act_max));
}

// Output rows [row_begin, row_end) of a grouped 16x8 convolution; same layout and row numbering
// as ConvQuantizedRows. Bias: int32_t or int64_t, or nullptr for zeros. Taps in the padding are
// skipped (the input zero point is 0).
template <typename Bias>
inline void Conv16x8Rows(const optimized::ConvGeometry& g, int group_in_c, int out_c,
                         const ConvQuantParams& q, const double* scales, const int16_t* input,
                         const int8_t* filter, const Bias* bias, int16_t* output, int64_t row_begin,
                         int64_t row_end) {
  const int groups = g.in_c / group_in_c;
  const int group_out_c = out_c / groups;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int ox = static_cast<int>(row % g.out_w);
    const int oy = static_cast<int>((row / g.out_w) % g.out_h);
    const int64_t b = row / (static_cast<int64_t>(g.out_w) * g.out_h);
    int16_t* out_px = output + row * out_c;
    for (int oc = 0; oc < out_c; ++oc) {
      const int grp = oc / group_out_c;
      const int8_t* w_oc = filter + static_cast<int64_t>(oc) * g.k_h * g.k_w * group_in_c;
      int64_t acc = 0;
      for (int ky = 0; ky < g.k_h; ++ky) {
        const int iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int kx = 0; kx < g.k_w; ++kx) {
          const int ix = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
          if (ix < 0 || ix >= g.in_w) continue;
          const int16_t* in_px = input + ((b * g.in_h + iy) * g.in_w + ix) * g.in_c +
                                 static_cast<int64_t>(grp) * group_in_c;
          const int8_t* w_tap = w_oc + (static_cast<int64_t>(ky) * g.k_w + kx) * group_in_c;
          for (int c = 0; c < group_in_c; ++c) acc += int32_t{in_px[c]} * int32_t{w_tap[c]};
        }
      }
      if (bias) acc += static_cast<int64_t>(bias[oc]);
      out_px[oc] = Requantize16x8(q, scales, oc, acc);
    }
  }
}

// Rows [row_begin, row_end) of a 16x8 FULLY_CONNECTED: input [rows, k], weights [n, k].
template <typename Bias>
inline void FullyConnected16x8Rows(const ConvQuantParams& q, const double* scales, int k, int n,
                                   const int16_t* input, const int8_t* weights, const Bias* bias,
                                   int16_t* output, int64_t row_begin, int64_t row_end) {
  for (int64_t r = row_begin; r < row_end; ++r) {
    const int16_t* x = input + r * k;
    int16_t* y = output + r * n;
    for (int o = 0; o < n; ++o) {
      const int8_t* w = weights + static_cast<int64_t>(o) * k;
      int64_t acc = 0;
      for (int i = 0; i < k; ++i) acc += int32_t{x[i]} * int32_t{w[i]};
      if (bias) acc += static_cast<int64_t>(bias[o]);
      y[o] = Requantize16x8(q, scales, o, acc);
    }
  }
}

}  // namespace litescope::runtime::reference
