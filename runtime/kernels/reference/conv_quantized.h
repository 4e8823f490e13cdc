#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/conv_indirection.h"

// Reference quantized CONV_2D and TRANSPOSE_CONV with TFLite's integer rules: int8 activations
// with per-channel int8 weights (filter offset 0), or uint8 activations with per-tensor uint8
// weights and a filter zero point. Plain loops over NHWC data; pure functions.
namespace litescope::runtime::reference {

// Integer parameters of one quantized convolution. The arrays hold one entry per output channel
// (a per-tensor multiplier is repeated) and must outlive the call.
struct ConvQuantParams {
  int32_t input_offset = 0;             // minus the input zero point
  int32_t filter_offset = 0;            // minus the filter zero point (0 for int8 weights)
  int32_t output_offset = 0;            // the output zero point
  const int32_t* multiplier = nullptr;  // Q31 multipliers (fixed_point::QuantizeMultiplier)
  const int* shift = nullptr;           // their exponents (> 0 = left shift)
  int32_t act_min = 0;                  // fused activation clamp, in output units
  int32_t act_max = 0;
  bool gemm_rounding = false;  // MultiplyByQuantizedMultiplierGemm, not fixed_point's
};

// x * M as TFLite's int8 GEMM-based kernels (CONV_2D, FULLY_CONNECTED, BATCH_MATMUL) produce it
// on x86, where the GEMM library applies the output stage: the same left shift and rounding
// doubling high multiply as fixed_point::MultiplyByQuantizedMultiplier, but the final right
// shift rounds ties toward +infinity instead of away from zero (-64.5 -> -64). Observed in
// TFLite's int8 CONV_2D outputs (conformance conv_2d_int8_05 and _07, the golden
// tf2_mobilenet_v2_1.0_224_ptq); its uint8 kernels keep fixed_point's rounding.
inline int32_t MultiplyByQuantizedMultiplierGemm(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const int32_t high = fixed_point::SaturatingRoundingDoublingHighMul(
      fixed_point::WrappingShiftLeft(x, left), multiplier);
  if (right == 0) return high;
  return static_cast<int32_t>((static_cast<int64_t>(high) + (int64_t{1} << (right - 1))) >> right);
}

// Requantizes one int32 accumulator of output channel oc.
inline int32_t RequantizeConv(const ConvQuantParams& q, int oc, int32_t acc) {
  int32_t v = q.gemm_rounding
                  ? MultiplyByQuantizedMultiplierGemm(acc, q.multiplier[oc], q.shift[oc])
                  : fixed_point::MultiplyByQuantizedMultiplier(acc, q.multiplier[oc], q.shift[oc]);
  const int64_t w = int64_t{v} + q.output_offset;  // 64-bit: v may be saturated
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(w, q.act_min), q.act_max));
}

// Quantized TRANSPOSE_CONV (int8 activations, per-channel int8 weights): every input pixel
// scatters (in + input_offset) * w into an int32 accumulator of the output, as TFLite does;
// then each output element is acc + bias[oc], requantized. Filter [OC, KH, KW, IC]; `g`
// describes the forward convolution from the output (in_*) back to the input (out_*), so
// g.in_h/in_w are the transposed conv's output size and g.out_h/out_w its input size.
// `scratch` holds batches * in_h * in_w * out_c int32 values.
template <typename T>
inline void TransposeConvQuantized(const optimized::ConvGeometry& g, int in_c, int out_c,
                                   const ConvQuantParams& q, const T* input, const T* filter,
                                   const int32_t* bias, T* output, int32_t* scratch) {
  const int64_t out_elems = static_cast<int64_t>(g.batches) * g.in_h * g.in_w * out_c;
  std::fill(scratch, scratch + out_elems, 0);
  for (int b = 0; b < g.batches; ++b) {
    for (int y = 0; y < g.out_h; ++y) {
      for (int x = 0; x < g.out_w; ++x) {
        const T* in_px = input + ((static_cast<int64_t>(b) * g.out_h + y) * g.out_w + x) * in_c;
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int oy = y * g.stride_h - g.pad_top + ky;
          if (oy < 0 || oy >= g.in_h) continue;
          for (int kx = 0; kx < g.k_w; ++kx) {
            const int ox = x * g.stride_w - g.pad_left + kx;
            if (ox < 0 || ox >= g.in_w) continue;
            int32_t* acc =
                scratch + ((static_cast<int64_t>(b) * g.in_h + oy) * g.in_w + ox) * out_c;
            for (int oc = 0; oc < out_c; ++oc) {
              const T* w = filter + ((static_cast<int64_t>(oc) * g.k_h + ky) * g.k_w + kx) * in_c;
              int32_t sum = 0;
              for (int ic = 0; ic < in_c; ++ic)
                sum = fixed_point::WrappingAdd(sum,
                                               (static_cast<int32_t>(in_px[ic]) + q.input_offset) *
                                                   (static_cast<int32_t>(w[ic]) + q.filter_offset));
              acc[oc] = fixed_point::WrappingAdd(acc[oc], sum);
            }
          }
        }
      }
    }
  }
  for (int64_t i = 0; i < out_elems; ++i) {
    const int oc = static_cast<int>(i % out_c);
    const int32_t acc = fixed_point::WrappingAdd(scratch[i], bias ? bias[oc] : 0);
    output[i] = static_cast<T>(RequantizeConv(q, oc, acc));
  }
}

}  // namespace litescope::runtime::reference
