#include "runtime/kernels/optimized/gemm_f32.h"

#include <algorithm>
#include <cstddef>

#include "runtime/kernels/optimized/isa_kernels.h"

namespace litescope::runtime::optimized {

const char* GemmF32KernelName() { return ActiveKernels().gemm_f32_name; }

bool PackedMatrixF32::Pack(const float* src, int k, int n, int64_t k_stride, int64_t n_stride,
                           const float* bias) {
  k_ = 0;
  n_ = 0;
  if (k < 0 || n < 0) return false;
  kernels_ = &ActiveKernels();
  nr_ = kernels_->gemm_f32_nr;
  const int kNr = nr_;
  const int panels = (n + kNr - 1) / kNr;
  const size_t floats = static_cast<size_t>(panels) * static_cast<size_t>(k) * kNr;
  if (!data_.Resize(std::max<size_t>(1, floats))) return false;
  if (!bias_.Resize(std::max<size_t>(1, static_cast<size_t>(panels) * kNr))) return false;
  k_ = k;
  n_ = n;
  float* dst = data_.data();
  for (int p = 0; p < panels; ++p) {
    float* panel = dst + static_cast<int64_t>(p) * k * kNr;
    const int cols = std::min(kNr, n - p * kNr);
    if (cols < kNr) std::fill(panel, panel + static_cast<int64_t>(k) * kNr, 0.f);
    // Walk the source along its contiguous direction.
    if (k_stride == 1) {
      for (int j = 0; j < cols; ++j) {
        const float* s = src + static_cast<int64_t>(p * kNr + j) * n_stride;
        for (int kk = 0; kk < k; ++kk) panel[static_cast<int64_t>(kk) * kNr + j] = s[kk];
      }
    } else {
      for (int kk = 0; kk < k; ++kk) {
        const float* s = src + kk * k_stride + static_cast<int64_t>(p) * kNr * n_stride;
        float* d = panel + static_cast<int64_t>(kk) * kNr;
        for (int j = 0; j < cols; ++j) d[j] = s[j * n_stride];
      }
    }
  }
  SetBias(bias);
  return true;
}

void PackedMatrixF32::SetBias(const float* bias) {
  float* d = bias_.data();
  const size_t size = bias_.size();
  std::fill(d, d + size, 0.f);
  if (bias) std::copy(bias, bias + n_, d);
}

void GemmF32(const GemmInputF32& a, int m, const PackedMatrixF32& b, float* c, int64_t ldc,
             float out_min, float out_max, ThreadPool* pool) {
  if (m <= 0 || b.n() <= 0) return;
  b.kernels().gemm_f32(a, m, b, c, ldc, out_min, out_max, pool);
}

}  // namespace litescope::runtime::optimized
