#pragma once

#include <cstdint>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/kernels/reference/conv_quantized.h"

// The reference quantized convolution's loop, apart from conv_quantized.h because it is also
// compiled once per ISA level (runtime/kernels/optimized/kernels.isa.cc: the legacy uint8 path
// has no GEMM yet, and the compiler vectorizes this loop well). Each compiled copy lives in its
// own inline namespace, so the copies never share a symbol.
#ifndef LS_ISA_NAMESPACE
#define LS_ISA_NAMESPACE isa_build
#endif

namespace litescope::runtime::reference {
inline namespace LS_ISA_NAMESPACE {

// Output rows [row_begin, row_end) of a grouped convolution, a row being one output pixel
// (b * out_h + y) * out_w + x. Filter [OC, KH, KW, group_in_c], groups = in_c / group_in_c,
// output channel oc belongs to group oc / (OC / groups). For each output channel:
//   acc = bias[oc] + sum_{taps inside the input} (in + input_offset) * (w + filter_offset)
// Taps in the padding are skipped. bias may be nullptr (zeros).
template <typename T>
inline void ConvQuantizedRows(const optimized::ConvGeometry& g, int group_in_c, int out_c,
                              const ConvQuantParams& q, const T* input, const T* filter,
                              const int32_t* bias, T* output, int64_t row_begin, int64_t row_end) {
  const int groups = g.in_c / group_in_c;
  const int group_out_c = out_c / groups;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int ox = static_cast<int>(row % g.out_w);
    const int oy = static_cast<int>((row / g.out_w) % g.out_h);
    const int b = static_cast<int>(row / (static_cast<int64_t>(g.out_w) * g.out_h));
    T* out_px = output + row * out_c;
    for (int oc = 0; oc < out_c; ++oc) {
      const int grp = oc / group_out_c;
      const T* w_oc = filter + static_cast<int64_t>(oc) * g.k_h * g.k_w * group_in_c;
      uint32_t acc = 0;  // wraps like TFLite's int32 accumulator (fixed_point::WrappingProduct)
      for (int ky = 0; ky < g.k_h; ++ky) {
        const int iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int kx = 0; kx < g.k_w; ++kx) {
          const int ix = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
          if (ix < 0 || ix >= g.in_w) continue;
          const T* in_px = input +
                           ((static_cast<int64_t>(b) * g.in_h + iy) * g.in_w + ix) * g.in_c +
                           static_cast<int64_t>(grp) * group_in_c;
          const T* w_tap = w_oc + (static_cast<int64_t>(ky) * g.k_w + kx) * group_in_c;
          for (int c = 0; c < group_in_c; ++c)
            acc += fixed_point::WrappingProduct(static_cast<int32_t>(in_px[c]) + q.input_offset,
                                                static_cast<int32_t>(w_tap[c]) + q.filter_offset);
        }
      }
      if (bias) acc += static_cast<uint32_t>(bias[oc]);
      out_px[oc] = static_cast<T>(RequantizeConv(q, oc, static_cast<int32_t>(acc)));
    }
  }
}

}  // namespace LS_ISA_NAMESPACE
}  // namespace litescope::runtime::reference
