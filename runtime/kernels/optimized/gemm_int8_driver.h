#pragma once

#include <immintrin.h>
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/gemm_int8.h"
#include "runtime/kernels/reference/conv_quantized.h"

#ifndef LS_ISA_LEVEL
#error "ISA kernel body: included only by runtime/kernels/optimized/kernels.isa.cc"
#endif

// The int8 GEMM loop and micro-kernel, compiled once per ISA level: AVX-512 VNNI at avx512vnni
// and above, else portable C++ that the compiler vectorizes for the level.
namespace litescope::runtime::optimized {
inline namespace LS_ISA_NAMESPACE {
namespace gemm_i8 {

#if LS_ISA_AVX512VNNI
inline constexpr const char* kName = "i8_gemm_4x16_avx512vnni";
// A is fed to VPDPBUSD as (A + 128); PackedMatrixI8::Pack compensates in the bias.
inline constexpr int32_t kActivationBias = 128;
#else
inline constexpr const char* kName = "i8_gemm_4x16_portable";
inline constexpr int32_t kActivationBias = 0;
#endif

// Rows of C computed together by the micro-kernel.
constexpr int kMr = 4;

// acc[r][c] (r < mr) = sum over the panel of A row r times panel channel c, without bias.
inline void PanelDot(const int8_t* a, int64_t lda, int mr, const int8_t* panel, int k_padded,
                     int32_t acc[kMr][kGemmI8Nr]) {
#if LS_ISA_AVX512VNNI
  const __m512i flip = _mm512_set1_epi32(static_cast<int32_t>(0x80808080u));
  __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
  const int8_t* a0 = a;
  const int8_t* a1 = a + lda * (mr > 1 ? 1 : 0);
  const int8_t* a2 = a + lda * (mr > 2 ? 2 : 0);
  const int8_t* a3 = a + lda * (mr > 3 ? 3 : 0);
  for (int t = 0; t < k_padded; t += 4) {
    const __m512i b = _mm512_load_si512(panel + static_cast<int64_t>(t) * kGemmI8Nr);
    int32_t v0, v1, v2, v3;
    std::memcpy(&v0, a0 + t, 4);
    std::memcpy(&v1, a1 + t, 4);
    std::memcpy(&v2, a2 + t, 4);
    std::memcpy(&v3, a3 + t, 4);
    c0 = _mm512_dpbusd_epi32(c0, _mm512_xor_si512(_mm512_set1_epi32(v0), flip), b);
    c1 = _mm512_dpbusd_epi32(c1, _mm512_xor_si512(_mm512_set1_epi32(v1), flip), b);
    c2 = _mm512_dpbusd_epi32(c2, _mm512_xor_si512(_mm512_set1_epi32(v2), flip), b);
    c3 = _mm512_dpbusd_epi32(c3, _mm512_xor_si512(_mm512_set1_epi32(v3), flip), b);
  }
  _mm512_storeu_si512(acc[0], c0);
  _mm512_storeu_si512(acc[1], c1);
  _mm512_storeu_si512(acc[2], c2);
  _mm512_storeu_si512(acc[3], c3);
#else
  for (int r = 0; r < mr; ++r) {
    uint32_t s[kGemmI8Nr] = {};  // wraps; see fixed_point::WrappingProduct
    const int8_t* ar = a + lda * r;
    for (int t = 0; t < k_padded; t += 4) {
      const int8_t* b = panel + static_cast<int64_t>(t) * kGemmI8Nr;
      for (int c = 0; c < kGemmI8Nr; ++c)
        for (int u = 0; u < 4; ++u) s[c] += fixed_point::WrappingProduct(ar[t + u], b[c * 4 + u]);
    }
    for (int c = 0; c < kGemmI8Nr; ++c) acc[r][c] = static_cast<int32_t>(s[c]);
  }
#endif
}

inline void Gemm(const int8_t* a, int64_t lda, int rows, const PackedMatrixI8& w,
                 const reference::ConvQuantParams& q, int8_t* out, int64_t ldo) {
  const int n = w.n();
  const int panels = (n + kGemmI8Nr - 1) / kGemmI8Nr;
  int32_t acc[kMr][kGemmI8Nr];
  for (int r0 = 0; r0 < rows; r0 += kMr) {
    const int mr = std::min(kMr, rows - r0);
    const int8_t* ar = a + lda * r0;
    for (int p = 0; p < panels; ++p) {
      PanelDot(ar, lda, mr, w.panel(p), w.k_padded(), acc);
      const int first = p * kGemmI8Nr;
      const int cols = std::min(kGemmI8Nr, n - first);
      const int32_t* bias = w.bias() + first;
      for (int r = 0; r < mr; ++r) {
        int8_t* o = out + ldo * (r0 + r) + first;
        for (int c = 0; c < cols; ++c) {
          const int32_t total = fixed_point::WrappingAdd(acc[r][c], bias[c]);
          o[c] = static_cast<int8_t>(reference::RequantizeConv(q, first + c, total));
        }
      }
    }
  }
}

}  // namespace gemm_i8
}  // namespace LS_ISA_NAMESPACE
}  // namespace litescope::runtime::optimized
