#pragma once

#include <cstdint>

// Plain float32 matrix product, the yardstick the optimized GEMM is tested against.
namespace litescope::runtime::reference {

// C[i][j] = clamp(bias[j] + sum_k A[i][k] * B[k][j], out_min, out_max) for i < m, j < n, where
// A[i][k] = a[i * lda + k] and B[k][j] = b[k * b_k_stride + j * b_n_stride]; bias may be null.
inline void GemmF32(int m, int n, int k, const float* a, int64_t lda, const float* b,
                    int64_t b_k_stride, int64_t b_n_stride, const float* bias, float* c,
                    int64_t ldc, float out_min, float out_max) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      float sum = bias ? bias[j] : 0.f;
      for (int kk = 0; kk < k; ++kk) sum += a[i * lda + kk] * b[kk * b_k_stride + j * b_n_stride];
      if (sum < out_min) sum = out_min;
      if (sum > out_max) sum = out_max;
      c[i * ldc + j] = sum;
    }
  }
}

}  // namespace litescope::runtime::reference
