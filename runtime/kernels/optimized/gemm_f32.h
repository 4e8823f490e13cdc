#pragma once

#include <cstdint>

#include "runtime/kernels/optimized/aligned_buffer.h"

namespace litescope::runtime {
class ThreadPool;
}  // namespace litescope::runtime

// Blocked float32 GEMM for CONV_2D, FULLY_CONNECTED, BATCH_MATMUL and TRANSPOSE_CONV:
//   C[m][n] = clamp(bias[n] + sum_k A[m][k] * B[k][n], out_min, out_max)
// B is packed once (PackedMatrixF32) into panels that the register-blocked micro-kernel reads
// sequentially. A is read in place, either as dense rows or through an indirection table
// (implicit GEMM: convolution without an im2col copy).
namespace litescope::runtime::optimized {

struct IsaKernels;

// Name of the micro-kernel that GemmF32 uses at the active ISA level, e.g.
// "f32_gemm_8x32_avx512f".
const char* GemmF32KernelName();

// B (K x N) and the bias (N), packed: ceil(N / nr) panels, each K rows of nr contiguous floats,
// zero padded past N, where nr is the panel width of the micro-kernel of the ISA level active
// at Pack time (isa_kernels.h); the matrix keeps those kernels, so GemmF32 on it stays
// consistent if the level changes later. Owns its storage; immutable after Pack.
class PackedMatrixF32 {
 public:
  // Packs B, whose element (k, n) is src[k * k_stride + n * n_stride], and the bias (n values,
  // nullptr = zeros). Returns false when memory runs out.
  bool Pack(const float* src, int k, int n, int64_t k_stride, int64_t n_stride, const float* bias);
  // Replaces only the bias (n values, nullptr = zeros) of a packed matrix.
  void SetBias(const float* bias);

  int k() const { return k_; }
  int n() const { return n_; }
  int nr() const { return nr_; }
  int panel_count() const { return (n_ + nr_ - 1) / nr_; }
  // K x nr floats of panel p (columns p * nr ...).
  const float* panel(int p) const { return data_.data() + static_cast<int64_t>(p) * k_ * nr_; }
  // nr bias values of panel p.
  const float* bias_panel(int p) const { return bias_.data() + static_cast<int64_t>(p) * nr_; }
  bool empty() const { return bias_.empty(); }
  // The kernels this matrix was packed for.
  const IsaKernels& kernels() const { return *kernels_; }

 private:
  AlignedBuffer<float> data_;
  AlignedBuffer<float> bias_;
  int k_ = 0;
  int n_ = 0;
  int nr_ = 1;
  const IsaKernels* kernels_ = nullptr;
};

// Where the GEMM reads A (M x K).
struct GemmInputF32 {
  // Dense: row m is the K floats at a + m * lda.
  static GemmInputF32 Dense(const float* a, int64_t lda) {
    GemmInputF32 in;
    in.a = a;
    in.lda = lda;
    return in;
  }
  // Indirect: K = taps * tap_k. Tap t of row m is the tap_k floats at
  // table[m * taps + t] + offset, except that a pointer equal to `zero` (a buffer of at least
  // tap_k zeros, for padding) is used as is.
  static GemmInputF32 Indirect(const float* const* table, int taps, int tap_k, int64_t offset,
                               const float* zero) {
    GemmInputF32 in;
    in.table = table;
    in.taps = taps;
    in.tap_k = tap_k;
    in.offset = offset;
    in.zero = zero;
    return in;
  }

  const float* a = nullptr;
  int64_t lda = 0;
  const float* const* table = nullptr;
  int taps = 1;
  int tap_k = 0;
  int64_t offset = 0;
  const float* zero = nullptr;
};

// Computes m rows of C (row r at c + r * ldc, b.n() columns) from A and the packed B and bias,
// clamped to [out_min, out_max]. A's K must equal b.k(). Tiles of C are spread over `pool`
// (nullptr: the calling thread does everything). Never fails.
void GemmF32(const GemmInputF32& a, int m, const PackedMatrixF32& b, float* c, int64_t ldc,
             float out_min, float out_max, ThreadPool* pool);

}  // namespace litescope::runtime::optimized
