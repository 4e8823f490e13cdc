#pragma once

#include <cstdint>

// FULLY_CONNECTED with blockwise-quantized INT4 weights (the schema's BlockwiseQuantization
// details) and float32 activations, as TensorFlow Lite's builtin kernel computes it:
// 1. Weights are [N, K] signed 4-bit values packed two per byte in row-major order; the element
//    with the even flat index sits in the low nibble, the odd one in the high nibble.
// 2. Each row of K weights splits into K / block_size blocks; block b of row j has the scale
//    scales[j * (K / block_size) + b] (FLOAT16 in the model, widened to float).
// 3. Each input row is quantized to int8 asymmetrically (reference::AsymmetricQuantize in
//    hybrid.h): input scale s, zero point zp.
// 4. Per output: acc = sum over blocks of float(int32 dot(q, w_block)) * block_scale, in block
//    order, in float; kfsum = sum over blocks of block_scale * float(sum(w_block));
//    out = (acc - float(zp) * kfsum) * s + bias. No fused activation is applied.
namespace litescope::runtime::reference {

// The signed 4-bit value at flat index `i` of packed INT4 data.
inline int32_t Int4At(const uint8_t* packed, int64_t i) {
  const uint8_t byte = packed[i >> 1];
  const int32_t nibble = (i & 1) ? (byte >> 4) : (byte & 0x0F);
  return (nibble ^ 8) - 8;
}

// Sum of the block's scaled weight sums for each of the n rows (step 4's kfsum), in block order.
// `block_scales` holds n * (k / block_size) floats.
inline void BlockwiseKernelScaledSums(const uint8_t* weights, const float* block_scales, int k,
                                      int n, int block_size, float* kfsum) {
  const int blocks = k / block_size;
  for (int j = 0; j < n; ++j) {
    float sum = 0.f;
    for (int b = 0; b < blocks; ++b) {
      const int64_t first = static_cast<int64_t>(j) * k + static_cast<int64_t>(b) * block_size;
      int32_t ksum = 0;
      for (int i = 0; i < block_size; ++i) ksum += Int4At(weights, first + i);
      sum += block_scales[static_cast<int64_t>(j) * blocks + b] * static_cast<float>(ksum);
    }
    kfsum[j] = sum;
  }
}

// Output columns [j0, j1) of every one of `rows` input rows. `q_input` holds the rows quantized
// per step 3 (rows * k int8), `input_scale` and `input_zero_point` one entry per row; `bias` may
// be null. Writes out[r * n + j].
inline void BlockwiseInt4FullyConnected(const int8_t* q_input, const float* input_scale,
                                        const int32_t* input_zero_point, const uint8_t* weights,
                                        const float* block_scales, const float* kfsum,
                                        const float* bias, int rows, int k, int n, int block_size,
                                        float* out, int64_t j0, int64_t j1) {
  const int blocks = k / block_size;
  for (int r = 0; r < rows; ++r) {
    const int8_t* x = q_input + static_cast<int64_t>(r) * k;
    for (int64_t j = j0; j < j1; ++j) {
      float acc = 0.f;
      for (int b = 0; b < blocks; ++b) {
        const int64_t first = j * k + static_cast<int64_t>(b) * block_size;
        const int8_t* xb = x + static_cast<int64_t>(b) * block_size;
        int32_t dot = 0;
        for (int i = 0; i < block_size; ++i)
          dot += static_cast<int32_t>(xb[i]) * Int4At(weights, first + i);
        acc += static_cast<float>(dot) * block_scales[j * blocks + b];
      }
      acc -= static_cast<float>(input_zero_point[r]) * kfsum[j];
      acc *= input_scale[r];
      if (bias) acc += bias[j];
      out[static_cast<int64_t>(r) * n + j] = acc;
    }
  }
}

}  // namespace litescope::runtime::reference
