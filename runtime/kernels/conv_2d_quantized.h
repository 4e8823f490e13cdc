#pragma once

#include "runtime/kernel_api.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// The quantized and hybrid variants of CONV_2D, dispatched to from conv_2d.cc:
// - int8 input/output with per-channel int8 weights and int32 bias,
// - uint8 input/output with per-tensor uint8 weights (any zero point) and int32 bias,
// - 16x8: int16 input/output (zero points 0) with symmetric int8 weights and int32 or int64
//   bias (reference/conv_16x8.h),
// - hybrid: float32 input/output, int8 constant weights (per tensor or per channel), float bias.
namespace litescope::runtime {

// True when CONV_2D with these input and filter types takes this file's kernels.
bool ConvIsQuantizedOrHybrid(DataType input, DataType filter);

// Prepare and Eval of those variants; Prepare stores its own OpData on the node.
Status ConvPrepareQuantized(KernelContext& ctx, Node& node, const Tensor& in, const Tensor& filter,
                            const Tensor* bias, Tensor& out);
Status ConvEvalQuantized(KernelContext& ctx, Node& node);

}  // namespace litescope::runtime
