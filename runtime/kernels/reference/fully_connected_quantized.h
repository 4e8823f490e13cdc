#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/conv_quantized.h"

// Reference quantized FULLY_CONNECTED and BATCH_MATMUL with TFLite's integer rules. Pure
// functions over row-major data.
namespace litescope::runtime::reference {

// Rows [row_begin, row_end) of out[batches, n] = requantize(in[batches, k] x w[n, k]^T + bias):
//   acc = bias[j] + sum_i (in[r, i] + input_offset) * (w[j, i] + filter_offset)
// with the multiplier of output channel j. bias may be nullptr (zeros).
template <typename T>
inline void FullyConnectedQuantizedRows(const ConvQuantParams& q, int k, int n, const T* input,
                                        const T* weights, const int32_t* bias, T* output,
                                        int64_t row_begin, int64_t row_end) {
  for (int64_t r = row_begin; r < row_end; ++r) {
    const T* in_row = input + r * k;
    T* out_row = output + r * n;
    for (int j = 0; j < n; ++j) {
      const T* w = weights + static_cast<int64_t>(j) * k;
      int32_t acc = 0;
      for (int i = 0; i < k; ++i)
        acc = fixed_point::WrappingAdd(acc, (static_cast<int32_t>(in_row[i]) + q.input_offset) *
                                                (static_cast<int32_t>(w[i]) + q.filter_offset));
      if (bias) acc = fixed_point::WrappingAdd(acc, bias[j]);
      out_row[j] = static_cast<T>(RequantizeConv(q, j, acc));
    }
  }
}

// One [m, k] x [k, n] product of BATCH_MATMUL in int8 with a single multiplier:
//   out[i, j] = clamp(M(sum_t (lhs[i, t] + lhs_offset) * (rhs[t, j] + rhs_offset))
//                     + output_offset)
// where M is MultiplyByQuantizedMultiplierGemm: TFLite runs int8 BATCH_MATMUL through its GEMM.
// lhs element (i, t) is at lhs[i * lhs_row + t * lhs_col], rhs (t, j) at
// rhs[t * rhs_row + j * rhs_col] (strides express the adjoint flags).
template <typename T>
inline void BatchMatMulQuantized(int m, int k, int n, const T* lhs, int64_t lhs_row,
                                 int64_t lhs_col, int32_t lhs_offset, const T* rhs, int64_t rhs_row,
                                 int64_t rhs_col, int32_t rhs_offset, int32_t multiplier, int shift,
                                 int32_t output_offset, int32_t act_min, int32_t act_max, T* out) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      int32_t acc = 0;
      for (int t = 0; t < k; ++t)
        acc = fixed_point::WrappingAdd(
            acc, (static_cast<int32_t>(lhs[i * lhs_row + t * lhs_col]) + lhs_offset) *
                     (static_cast<int32_t>(rhs[t * rhs_row + j * rhs_col]) + rhs_offset));
      // 64-bit: the product may be saturated near the int32 limits.
      const int64_t v =
          int64_t{MultiplyByQuantizedMultiplierGemm(acc, multiplier, shift)} + output_offset;
      out[static_cast<int64_t>(i) * n + j] =
          static_cast<T>(std::min<int64_t>(std::max<int64_t>(v, act_min), act_max));
    }
  }
}

}  // namespace litescope::runtime::reference
