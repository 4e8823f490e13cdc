#pragma once

#include <cstdint>

#include "runtime/kernels/optimized/aligned_buffer.h"
#include "runtime/kernels/reference/conv_quantized.h"

// int8 GEMM with a quantized output stage, for CONV_2D and FULLY_CONNECTED with int8
// activations and symmetric int8 weights (filter offset 0):
//   out[r][j] = requantize_j(bias[j] + sum_t (A[r][t] + input_offset) * W[j][t])
// The input offset is folded into the bias at packing time (input_offset * sum_t W[j][t]), so
// the inner loop is a plain int8 dot product with int32 accumulation. Convolution padding must
// therefore hold the input zero point (A + input_offset = 0), never 0. Bit-exact with
// reference::ConvQuantizedRows / FullyConnectedQuantizedRows (same integers, same requantize).
// The loops are compiled once per ISA level (gemm_int8_driver.h); a packed matrix keeps the
// kernels of the level active when it was packed.
namespace litescope::runtime::optimized {

// Output channels per packed panel.
inline constexpr int kGemmI8Nr = 16;

struct IsaKernels;

// Name of the micro-kernel at the active ISA level, e.g. "i8_gemm_4x16_avx512vnni".
const char* GemmI8KernelName();

// W (N x K, row j at src + j * K) packed in panels of kGemmI8Nr channels: for each group of 4
// k values, kGemmI8Nr x 4 bytes (channel-major within the group), K rounded up to a multiple of
// 4 and N to a multiple of kGemmI8Nr with zeros. Plus the folded bias. Immutable after Pack.
class PackedMatrixI8 {
 public:
  // Returns false when memory runs out. bias may be nullptr (zeros).
  bool Pack(const int8_t* src, int k, int n, const int32_t* bias, int32_t input_offset);
  int k() const { return k_; }
  int n() const { return n_; }
  // K rounded up to a multiple of 4: every row of A must have this many readable bytes (the
  // bytes past K may hold anything; their weights are zero).
  int k_padded() const { return k_padded_; }
  const int8_t* panel(int p) const {
    return data_.data() + static_cast<int64_t>(p) * k_padded_ * kGemmI8Nr;
  }
  const int32_t* bias() const { return bias_.data(); }  // n rounded up to kGemmI8Nr
  // The kernels this matrix was packed for.
  const IsaKernels& kernels() const { return *kernels_; }

 private:
  int k_ = 0;
  int n_ = 0;
  int k_padded_ = 0;
  const IsaKernels* kernels_ = nullptr;
  AlignedBuffer<int8_t> data_;
  AlignedBuffer<int32_t> bias_;
};

// Rows [0, rows) of the product: A row r at a + r * lda (k_padded() readable bytes), output
// row r at out + r * ldo (n() values), requantized with q (per-channel multipliers, output
// offset, clamp; q.input_offset was folded in by Pack and is not read here).
void GemmI8(const int8_t* a, int64_t lda, int rows, const PackedMatrixI8& w,
            const reference::ConvQuantParams& q, int8_t* out, int64_t ldo);

}  // namespace litescope::runtime::optimized
