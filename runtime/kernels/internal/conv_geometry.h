#pragma once

#include "runtime/kernel_api.h"
#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/op_params.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// Shape and geometry checks shared by the variants of one op family, so the float, quantized,
// hybrid and 16x8 kernels accept the same shapes and fail with the same messages.
namespace litescope::runtime::conv_geometry {

// CONV_2D (every variant): input and filter [OC, KH, KW, IC/groups] of rank 4, input channels
// a multiple of the filter's and output channels of the group count, a bias of OC elements,
// an output under the padding, and every coordinate and GEMM size the kernels compute inside
// int. Fills `g`, `*group_in_c` and `*out_c`. Types are the caller's to check.
Status PrepareConv2D(const Node& node, const Conv2DParams& params, const Tensor& in,
                     const Tensor& filter, const Tensor* bias, optimized::ConvGeometry* g,
                     int* group_in_c, int* out_c);

// TRANSPOSE_CONV (float and int8), inputs (output_shape, filter, input, bias): output_shape an
// INT32 [4], input of rank 4, filter [OC, KH, KW, IC], a bias of OC elements, the GEMM sizes
// (input pixels x KH*KW*OC) inside int, and positive strides. Element types of the filter,
// bias and output are the caller's to check.
Status PrepareTransposeConv(const Node& node, const TransposeConvParams& params,
                            const Tensor& output_shape, const Tensor& filter, const Tensor& in,
                            const Tensor* bias);

}  // namespace litescope::runtime::conv_geometry
