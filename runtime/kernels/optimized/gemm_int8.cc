#include "runtime/kernels/optimized/gemm_int8.h"

#include <cstdint>
#include <cstring>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/isa_kernels.h"

namespace litescope::runtime::optimized {

const char* GemmI8KernelName() { return ActiveKernels().gemm_i8_name; }

bool PackedMatrixI8::Pack(const int8_t* src, int k, int n, const int32_t* bias,
                          int32_t input_offset) {
  kernels_ = &ActiveKernels();
  // VPDPBUSD multiplies unsigned by signed bytes, so the VNNI kernel feeds A as (A + 128) and
  // the bias takes 128 * sum_t W[j][t] off in exchange.
  const int32_t activation_bias = kernels_->gemm_i8_activation_bias;
  k_ = k;
  n_ = n;
  k_padded_ = (k + 3) / 4 * 4;
  const int panels = (n + kGemmI8Nr - 1) / kGemmI8Nr;
  const size_t bytes = static_cast<size_t>(panels) * k_padded_ * kGemmI8Nr;
  if (!data_.Resize(bytes) || !bias_.Resize(static_cast<size_t>(panels) * kGemmI8Nr)) return false;
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
                               static_cast<uint32_t>(input_offset - activation_bias) * sum);
    }
    bias_.data()[j] = b;
  }
  return true;
}

void GemmI8(const int8_t* a, int64_t lda, int rows, const PackedMatrixI8& w,
            const reference::ConvQuantParams& q, int8_t* out, int64_t ldo) {
  if (rows <= 0 || w.n() <= 0) return;
  w.kernels().gemm_i8(a, lda, rows, w, q, out, ldo);
}

}  // namespace litescope::runtime::optimized
