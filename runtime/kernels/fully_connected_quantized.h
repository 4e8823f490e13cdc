#pragma once

#include "runtime/kernel_api.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// The quantized and hybrid variants of FULLY_CONNECTED, dispatched to from fully_connected.cc:
// - int8 input/output with per-channel or per-tensor int8 weights and int32 bias,
// - uint8 input/output with per-tensor uint8 weights (any zero point) and int32 bias,
// - 16x8: int16 input/output (zero points 0) with symmetric int8 weights and int32 or int64
//   bias (reference/conv_16x8.h),
// - hybrid: float32 input/output, int8 weights (per tensor or per channel), float bias, the
//   input quantized per row (asymmetrically when the options ask for it).
namespace litescope::runtime {

// True when FULLY_CONNECTED with these input and weight types takes this file's kernels.
bool FullyConnectedIsQuantizedOrHybrid(DataType input, DataType weights);

// Prepare and Eval of those variants; Prepare stores its own OpData on the node.
Status FullyConnectedPrepareQuantized(KernelContext& ctx, Node& node, const Tensor& in,
                                      const Tensor& w, const Tensor* bias, Tensor& out);
Status FullyConnectedEvalQuantized(KernelContext& ctx, Node& node);

}  // namespace litescope::runtime
