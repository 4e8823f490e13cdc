#include "runtime/kernels/optimized/gemm_int8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "runtime/kernels/fixed_point.h"

#if defined(__AVX512F__) && defined(__AVX512VNNI__)
#include <immintrin.h>
#define LS_GEMM_I8_VNNI 1
#endif

namespace litescope::runtime::optimized {
namespace {

// Rows of C computed together by the micro-kernel.
constexpr int kMr = 4;

#if defined(LS_GEMM_I8_VNNI)
// VPDPBUSD multiplies unsigned by signed bytes, so A is fed as (A + 128) (its sign bit
// flipped) and Pack subtracts 128 * sum_t W[j][t] from the bias in exchange.
constexpr int32_t kActivationBias = 128;
#else
constexpr int32_t kActivationBias = 0;
#endif

// acc[r][c] (r < mr) = sum over the panel of A row r times panel channel c, without bias.
void PanelDot(const int8_t* a, int64_t lda, int mr, const int8_t* panel, int k_padded,
              int32_t acc[kMr][kGemmI8Nr]) {
#if defined(LS_GEMM_I8_VNNI)
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
        for (int u = 0; u < 4; ++u)
          s[c] += fixed_point::WrappingProduct(ar[t + u], b[c * 4 + u]);
    }
    for (int c = 0; c < kGemmI8Nr; ++c) acc[r][c] = static_cast<int32_t>(s[c]);
  }
#endif
}

}  // namespace

const char* GemmI8KernelName() {
#if defined(LS_GEMM_I8_VNNI)
  return "i8_gemm_4x16_avx512vnni";
#else
  return "i8_gemm_4x16_scalar";
#endif
}

bool PackedMatrixI8::Pack(const int8_t* src, int k, int n, const int32_t* bias,
                          int32_t input_offset) {
  k_ = k;
  n_ = n;
  k_padded_ = (k + 3) / 4 * 4;
  const int panels = (n + kGemmI8Nr - 1) / kGemmI8Nr;
  const size_t bytes = static_cast<size_t>(panels) * k_padded_ * kGemmI8Nr;
  if (!data_.Resize(bytes) || !bias_.Resize(static_cast<size_t>(panels) * kGemmI8Nr))
    return false;
  if (bytes != 0) std::memset(data_.data(), 0, bytes);  // k or n of 0: no buffer at all
  for (int j = 0; j < panels * kGemmI8Nr; ++j) {
    int32_t b = 0;
    if (j < n) {
      const int8_t* row = src + static_cast<int64_t>(j) * k;
      uint32_t sum = 0;  // wraps; see fixed_point::WrappingProduct
      int8_t* panel = data_.data() + static_cast<int64_t>(j / kGemmI8Nr) * k_padded_ * kGemmI8Nr;
      const int c = j % kGemmI8Nr;
      for (int t = 0; t < k; ++t) {
        sum += static_cast<uint32_t>(int32_t{row[t]});
        panel[static_cast<int64_t>(t / 4) * 4 * kGemmI8Nr + c * 4 + t % 4] = row[t];
      }
      // Wrapping like the int32 accumulator of the reference kernel.
      b = static_cast<int32_t>(static_cast<uint32_t>(bias ? bias[j] : 0) +
                               static_cast<uint32_t>(input_offset - kActivationBias) *
                                   sum);
    }
    bias_.data()[j] = b;
  }
  return true;
}

void GemmI8(const int8_t* a, int64_t lda, int rows, const PackedMatrixI8& w,
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

}  // namespace litescope::runtime::optimized
