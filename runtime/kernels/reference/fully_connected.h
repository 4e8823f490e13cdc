#pragma once

#include <cstdint>

#include "runtime/kernels/reference/gemm_f32.h"

// Reference FULLY_CONNECTED: the definition the GEMM-based kernel is tested against.
namespace litescope::runtime::reference {

// input [batches, K] (any shape of batches * K elements), weights [N, K], bias [N] or nullptr
// (zeros), output [batches, N]:
//   out[b, n] = clamp(bias[n] + sum_k in[b, k] * weights[n, k], act_min, act_max)
inline void FullyConnectedFloat(int batches, int k, int n, const float* input, const float* weights,
                                const float* bias, float* output, float act_min, float act_max) {
  GemmF32(batches, n, k, input, k, weights, /*b_k_stride=*/1, /*b_n_stride=*/k, bias, output, n,
          act_min, act_max);
}

}  // namespace litescope::runtime::reference
