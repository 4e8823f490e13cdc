#pragma once

#include "runtime/kernel_api.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// FULLY_CONNECTED with INT4 weights under BlockwiseQuantization details (LLM weight layout:
// FLOAT16 scales for every block of `block_size` input channels, kept in a separate tensor that
// the details name), float32 input, output and bias. Dispatched to from fully_connected.cc when
// the weights are INT4. The math is reference::BlockwiseInt4FullyConnected
// (runtime/kernels/reference/fully_connected_blockwise.h).
//
// Served: constant [N, K] weights with K even, block_size dividing K, no zero points, scales a
// constant FLOAT16 [N, K / block_size] tensor, no fused activation, DEFAULT weights format.
// Everything else fails in Prepare with an error naming the node ("unsupported: ..." for valid
// models that this kernel does not serve).
namespace litescope::runtime {

// Prepare and Eval of the variant; Prepare stores its own OpData on the node.
Status FullyConnectedPrepareBlockwise(KernelContext& ctx, Node& node, const Tensor& in,
                                      const Tensor& w, const Tensor* bias, Tensor& out);
Status FullyConnectedEvalBlockwise(KernelContext& ctx, Node& node);

}  // namespace litescope::runtime
