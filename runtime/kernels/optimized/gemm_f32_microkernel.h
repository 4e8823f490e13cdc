#pragma once

#include <cstdint>
#include <cstring>

#include <immintrin.h>

#include "runtime/kernels/optimized/gemm_f32.h"

#ifndef LS_ISA_LEVEL
#error "ISA kernel body: included only by runtime/kernels/optimized/kernels.isa.cc"
#endif

// Register-blocked micro-kernels of GemmF32, one set per ISA level (kernels.isa.cc). kMr x kNr is
// the tile this level keeps in registers. MicroKernelF32<MR, NV> computes an MR x nr tile of C
// over one K block, where nr <= NV * kNr / 2 (NV = 2: a whole panel; NV = 1: its left half, for
// a narrow last panel):
//   acc = bias (first K block) or C (later blocks)
//   for each tap t < ks, k < kc:  acc[r][j] += A(r, t, k) * b[(t * kc + k) * kNr + j]
//   C = clamp(acc) when `clamp`, else acc.
namespace litescope::runtime::optimized {
inline namespace LS_ISA_NAMESPACE {
namespace internal {

#if LS_ISA_AVX512
inline constexpr int kMr = 8;
inline constexpr int kNr = 32;
inline constexpr const char* kGemmF32Name = "f32_gemm_8x32_avx512f";
#elif LS_ISA_AVX2
inline constexpr int kMr = 6;
inline constexpr int kNr = 16;
inline constexpr const char* kGemmF32Name = "f32_gemm_6x16_avx2_fma";
#else
inline constexpr int kMr = 4;
inline constexpr int kNr = 8;
inline constexpr const char* kGemmF32Name = "f32_gemm_4x8_scalar";
#endif

struct MicroKernelArgsF32 {
  const float* const* a = nullptr;  // row r, tap t: a[r * a_stride + t]
  int64_t a_stride = 1;
  int64_t a_offset = 0;  // added to every A pointer that is not `zero`
  const float* zero = nullptr;
  int ks = 1;                   // taps in this K block
  int kc = 0;                   // floats per tap
  const float* b = nullptr;     // packed panel rows of this K block
  const float* bias = nullptr;  // kNr initial values, or nullptr: start from C
  float* c = nullptr;
  int64_t ldc = 0;
  int nr = kNr;  // valid columns
  bool clamp = false;
  float min = 0.f;
  float max = 0.f;
};

template <int MR>
inline void LoadRowPointers(const MicroKernelArgsF32& g, int t, const float* (&ap)[MR]) {
  if (g.a_offset == 0) {
    for (int r = 0; r < MR; ++r) ap[r] = g.a[r * g.a_stride + t];
    return;
  }
  for (int r = 0; r < MR; ++r) {
    const float* p = g.a[r * g.a_stride + t];
    ap[r] = p == g.zero ? p : p + g.a_offset;
  }
}

#if LS_ISA_AVX512

// NV (1 or 2) zmm accumulators per row: MR x 16*NV columns of a 32-wide panel. Short rows
// (MR = 1, 2: matrix-vector products) split K over several accumulator sets so that the FMA
// latency stays hidden.
template <int MR, int NV>
void MicroKernelF32(const MicroKernelArgsF32& g) {
  static_assert(kNr == 32, "AVX-512 kernel reads 32-column panels");
  constexpr int kSplit = MR == 1 ? 4 : (MR == 2 ? 2 : 1);
  __mmask16 mask[2];
  mask[0] = g.nr >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << g.nr) - 1u);
  mask[1] = g.nr >= 32  ? static_cast<__mmask16>(0xFFFF)
            : g.nr > 16 ? static_cast<__mmask16>((1u << (g.nr - 16)) - 1u)
                        : static_cast<__mmask16>(0);
  __m512 acc[kSplit][MR][NV];
  for (int r = 0; r < MR; ++r) {
    for (int v = 0; v < NV; ++v) {
      acc[0][r][v] = g.bias ? _mm512_load_ps(g.bias + 16 * v)
                            : _mm512_maskz_loadu_ps(mask[v], g.c + r * g.ldc + 16 * v);
      for (int s = 1; s < kSplit; ++s) acc[s][r][v] = _mm512_setzero_ps();
    }
  }
  const float* b = g.b;
  for (int t = 0; t < g.ks; ++t) {
    const float* ap[MR];
    LoadRowPointers<MR>(g, t, ap);
    int k = 0;
    if (kSplit > 1) {
      for (; k + kSplit <= g.kc; k += kSplit) {
        for (int s = 0; s < kSplit; ++s) {
          __m512 bv[NV];
          for (int v = 0; v < NV; ++v) bv[v] = _mm512_load_ps(b + 16 * v);
          b += 32;
          for (int r = 0; r < MR; ++r) {
            const __m512 av = _mm512_set1_ps(ap[r][k + s]);
            for (int v = 0; v < NV; ++v) acc[s][r][v] = _mm512_fmadd_ps(av, bv[v], acc[s][r][v]);
          }
        }
      }
    }
    for (; k < g.kc; ++k) {
      __m512 bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = _mm512_load_ps(b + 16 * v);
      b += 32;
      for (int r = 0; r < MR; ++r) {
        const __m512 av = _mm512_set1_ps(ap[r][k]);
        for (int v = 0; v < NV; ++v) acc[0][r][v] = _mm512_fmadd_ps(av, bv[v], acc[0][r][v]);
      }
    }
  }
  for (int s = 1; s < kSplit; ++s)
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) acc[0][r][v] = _mm512_add_ps(acc[0][r][v], acc[s][r][v]);
  if (g.clamp) {
    // max(bound, x) and min(bound, x) return x when x is NaN, so NaN propagates. (The masked
    // forms avoid GCC 12's false -Wmaybe-uninitialized on the unmasked intrinsics.)
    const __mmask16 all = static_cast<__mmask16>(0xFFFF);
    const __m512 vmin = _mm512_set1_ps(g.min);
    const __m512 vmax = _mm512_set1_ps(g.max);
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v)
        acc[0][r][v] = _mm512_maskz_min_ps(all, vmax, _mm512_maskz_max_ps(all, vmin, acc[0][r][v]));
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v)
      _mm512_mask_storeu_ps(g.c + r * g.ldc + 16 * v, mask[v], acc[0][r][v]);
}

#elif LS_ISA_AVX2

// NV (1 or 2) ymm accumulators per row: MR x 8*NV columns of a 16-wide panel.
template <int MR, int NV>
void MicroKernelF32(const MicroKernelArgsF32& g) {
  static_assert(kNr == 16, "AVX2 kernel reads 16-column panels");
  __m256 acc[MR][NV];
  for (int r = 0; r < MR; ++r) {
    if (g.bias) {
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_loadu_ps(g.bias + 8 * v);
    } else {
      float tmp[16] = {};
      std::memcpy(tmp, g.c + r * g.ldc, sizeof(float) * static_cast<size_t>(g.nr));
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_loadu_ps(tmp + 8 * v);
    }
  }
  const float* b = g.b;
  for (int t = 0; t < g.ks; ++t) {
    const float* ap[MR];
    LoadRowPointers<MR>(g, t, ap);
    for (int k = 0; k < g.kc; ++k) {
      __m256 bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + 8 * v);
      b += 16;
      for (int r = 0; r < MR; ++r) {
        const __m256 av = _mm256_broadcast_ss(ap[r] + k);
        for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
      }
    }
  }
  if (g.clamp) {
    const __m256 vmin = _mm256_set1_ps(g.min);
    const __m256 vmax = _mm256_set1_ps(g.max);
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_min_ps(vmax, _mm256_max_ps(vmin, acc[r][v]));
  }
  for (int r = 0; r < MR; ++r) {
    float* c = g.c + r * g.ldc;
    if (g.nr == 8 * NV) {
      for (int v = 0; v < NV; ++v) _mm256_storeu_ps(c + 8 * v, acc[r][v]);
    } else {
      float tmp[16];
      for (int v = 0; v < NV; ++v) _mm256_storeu_ps(tmp + 8 * v, acc[r][v]);
      std::memcpy(c, tmp, sizeof(float) * static_cast<size_t>(g.nr));
    }
  }
}

#else

// Portable kernel: plain loops the compiler may vectorize; computes NV * kNr / 2 columns.
template <int MR, int NV>
void MicroKernelF32(const MicroKernelArgsF32& g) {
  constexpr int kCols = NV * kNr / 2;
  float acc[MR][kCols];
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < kCols; ++j)
      acc[r][j] = g.bias ? g.bias[j] : (j < g.nr ? g.c[r * g.ldc + j] : 0.f);
  const float* b = g.b;
  for (int t = 0; t < g.ks; ++t) {
    const float* ap[MR];
    LoadRowPointers<MR>(g, t, ap);
    for (int k = 0; k < g.kc; ++k) {
      for (int r = 0; r < MR; ++r) {
        const float av = ap[r][k];
        for (int j = 0; j < kCols; ++j) acc[r][j] += av * b[j];
      }
      b += kNr;
    }
  }
  for (int r = 0; r < MR; ++r) {
    for (int j = 0; j < g.nr; ++j) {
      float v = acc[r][j];
      if (g.clamp) {
        // Written so that NaN passes through unchanged.
        if (v < g.min) v = g.min;
        if (v > g.max) v = g.max;
      }
      g.c[r * g.ldc + j] = v;
    }
  }
}

#endif

}  // namespace internal
}  // namespace LS_ISA_NAMESPACE
}  // namespace litescope::runtime::optimized
