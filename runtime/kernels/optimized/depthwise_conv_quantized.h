#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/depthwise_conv_quantized.h"
#include "runtime/shape.h"

// Fast quantized DEPTHWISE_CONV_2D for NHWC (int8 per-channel and uint8 per-tensor). Same
// results as reference::DepthwiseConvQuantized, bit for bit, over a range of output rows. This
// header has the packed filter; the loops (depthwise_conv_quantized_rows.h) are compiled once
// per ISA level and called through optimized::DepthwiseConvQuantizedRows (isa_kernels.h).
//
// How it is fast:
//  1. Prepare widens the filter to int32 with the filter offset folded in
//     (PackDepthwiseQuantizedFilter), and precomputes per channel
//     bias + input_offset * sum of all taps, so interior pixels (every tap inside the input)
//     accumulate plain products in * w.
//  2. Border pixels add the input offset per tap instead, over only the valid taps.
//  3. Channels go in blocks of 16, 8 and 4 with compile-time sizes, so the accumulators stay in
//     vector registers across all taps, and each block is requantized straight to the output.
// Depth multipliers above 1 take a simpler per-pixel path with a scratch accumulator.
namespace litescope::runtime::optimized {

// Filter [1, KH, KW, OC] of type T with the filter offset added, as int32; and per output
// channel bias + input_offset * sum over all taps (the interior bias). bias may be nullptr.
struct DepthwiseQuantizedFilter {
  std::vector<int32_t> weights;        // KH * KW * OC
  std::vector<int32_t> bias;           // OC (zeros when the model has none)
  std::vector<int32_t> interior_bias;  // OC
};

template <typename T>
inline void PackDepthwiseQuantizedFilter(const T* filter, int taps, int out_c, const int32_t* bias,
                                         int32_t input_offset, int32_t filter_offset,
                                         DepthwiseQuantizedFilter* packed) {
  packed->weights.resize(static_cast<size_t>(taps) * out_c);
  packed->bias.assign(static_cast<size_t>(out_c), 0);
  packed->interior_bias.resize(static_cast<size_t>(out_c));
  if (bias) std::copy(bias, bias + out_c, packed->bias.begin());
  for (int oc = 0; oc < out_c; ++oc) {
    uint32_t sum = 0;  // wraps; see fixed_point::WrappingProduct
    for (int t = 0; t < taps; ++t) {
      const size_t i = static_cast<size_t>(t) * out_c + oc;
      const int32_t w = static_cast<int32_t>(filter[i]) + filter_offset;
      packed->weights[i] = w;
      sum += static_cast<uint32_t>(w);
    }
    // Wraps like the int32 accumulator it stands for.
    packed->interior_bias[static_cast<size_t>(oc)] =
        static_cast<int32_t>(static_cast<uint32_t>(packed->bias[static_cast<size_t>(oc)]) +
                             static_cast<uint32_t>(input_offset) * sum);
  }
}

}  // namespace litescope::runtime::optimized
