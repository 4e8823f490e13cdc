#pragma once

#include "delegates/xnnpack/xnnpack_lowering.h"
#include "runtime/delegate.h"
#include "runtime/kernel_api.h"

namespace litescope::delegates {

// The one support check and lowering of a node for XNNPACK (Debian's 2022-02-16 snapshot).
// With ctx.checking() it only answers "supported, or why not"; otherwise it also defines the
// node's values and XNNPACK nodes in ctx.xnn(). A node may lower to zero XNNPACK nodes
// (DEQUANTIZE of a constant: folded into fp32 weights) or to several (MEAN with keep_dims).
//
// Served, float32: ABS ADD AVERAGE_POOL_2D CEIL CONV_2D DEPTH_TO_SPACE DEPTHWISE_CONV_2D DIV
//   ELU EXPAND_DIMS FLOOR FULLY_CONNECTED HARD_SWISH LEAKY_RELU LOGISTIC MAXIMUM MAX_POOL_2D
//   MEAN(H,W) MINIMUM MUL NEG PAD PADV2 PRELU QUANTIZE RELU RELU6 RELU_N1_TO_1 RESHAPE
//   RESIZE_BILINEAR ROUND SOFTMAX(beta=1) SQRT SQUARE SQUARED_DIFFERENCE SQUEEZE SUB
//   TRANSPOSE_CONV, and DEQUANTIZE (constant FLOAT16/INT8/UINT8 folded; INT8/UINT8 activations).
// Served, INT8 (qs8, per-tensor or per-channel weights) and UINT8 (qu8): ADD CONV_2D
//   DEPTHWISE_CONV_2D FULLY_CONNECTED(per-tensor weights) MAX_POOL_2D MEAN(H,W) MUL PAD RELU
//   RELU6 RELU_N1_TO_1 RESHAPE RESIZE_BILINEAR SQUEEZE EXPAND_DIMS SUB TRANSPOSE_CONV
//   (per-tensor weights) LOGISTIC, AVERAGE_POOL_2D when it pools the whole plane, ELU (INT8).
runtime::SupportResult XnnpackVisitNode(XnnpackLowering& ctx, const runtime::Node& node);

}  // namespace litescope::delegates
