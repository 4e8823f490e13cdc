#include "runtime/kernels/internal/conv_geometry.h"

#include <fmt/format.h>

#include <climits>
#include <cstdint>

#include "runtime/kernels/kernel_util.h"

namespace litescope::runtime::conv_geometry {

Status PrepareConv2D(const Node& node, const Conv2DParams& params, const Tensor& in,
                     const Tensor& filter, const Tensor* bias, optimized::ConvGeometry* g,
                     int* group_in_c, int* out_c) {
  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (filter.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: filter (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[1], filter.shape.ToString()));
  const int in_c = in.shape.dim(3);
  *out_c = filter.shape.dim(0);
  *group_in_c = filter.shape.dim(3);
  if (*group_in_c <= 0 || in_c < *group_in_c || in_c % *group_in_c != 0 ||
      *out_c % (in_c / *group_in_c) != 0)
    return InvalidModelError(fmt::format(
        "{}: filter (tensor {}) shape {} does not fit input channels {} (input channels must "
        "be a multiple of the filter's, and output channels of the group count)",
        NodeLabel(node), node.inputs[1], filter.shape.ToString(), in_c));
  if (bias && bias->elements() != *out_c)
    return InvalidModelError(fmt::format("{}: bias (tensor {}) has shape {}; expected [{}]",
                                         NodeLabel(node), node.inputs[2], bias->shape.ToString(),
                                         *out_c));
  const int padding = static_cast<int>(params.padding);
  g->batches = in.shape.dim(0);
  g->in_h = in.shape.dim(1);
  g->in_w = in.shape.dim(2);
  g->in_c = in_c;
  g->k_h = filter.shape.dim(1);
  g->k_w = filter.shape.dim(2);
  g->stride_h = params.stride_h;
  g->stride_w = params.stride_w;
  g->dilation_h = params.dilation_h;
  g->dilation_w = params.dilation_w;
  if (!ComputeSpatialOutput(padding, g->in_h, g->k_h, g->stride_h, g->dilation_h, &g->out_h,
                            &g->pad_top) ||
      !ComputeSpatialOutput(padding, g->in_w, g->k_w, g->stride_w, g->dilation_w, &g->out_w,
                            &g->pad_left))
    return InvalidModelError(fmt::format(
        "{}: invalid geometry (stride {}x{}, dilation {}x{}, filter {}x{})", NodeLabel(node),
        g->stride_h, g->stride_w, g->dilation_h, g->dilation_w, g->k_h, g->k_w));
  // Every coordinate the kernels compute must fit in an int, and the GEMM sizes too.
  const int64_t reach_h =
      static_cast<int64_t>(g->out_h) * g->stride_h + static_cast<int64_t>(g->k_h) * g->dilation_h;
  const int64_t reach_w =
      static_cast<int64_t>(g->out_w) * g->stride_w + static_cast<int64_t>(g->k_w) * g->dilation_w;
  const int64_t k_total = static_cast<int64_t>(g->k_h) * g->k_w * *group_in_c;
  if (reach_h > INT_MAX / 2 || reach_w > INT_MAX / 2 || g->rows() > INT_MAX || k_total > INT_MAX)
    return InvalidModelError(fmt::format("{}: convolution of {} with filter {} is too large",
                                         NodeLabel(node), in.shape.ToString(),
                                         filter.shape.ToString()));
  return Status::Ok();
}

Status PrepareTransposeConv(const Node& node, const TransposeConvParams& params,
                            const Tensor& output_shape, const Tensor& filter, const Tensor& in,
                            const Tensor* bias) {
  constexpr int kOutputShape = 0, kFilter = 1, kInput = 2, kBias = 3;
  if (output_shape.type != DataType::kInt32)
    return TypeError(node, "input", kOutputShape, node.inputs[kOutputShape], output_shape, "INT32");
  if (output_shape.shape.rank() != 1 || output_shape.elements() != 4)
    return InvalidModelError(fmt::format("{}: output_shape (tensor {}) has shape {}; expected [4]",
                                         NodeLabel(node), node.inputs[kOutputShape],
                                         output_shape.shape.ToString()));
  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[kInput],
                                         in.shape.ToString()));
  if (filter.shape.rank() != 4 || filter.shape.dim(3) != in.shape.dim(3))
    return InvalidModelError(fmt::format(
        "{}: filter (tensor {}) has shape {}; expected [OC, KH, KW, {}]", NodeLabel(node),
        node.inputs[kFilter], filter.shape.ToString(), in.shape.dim(3)));
  const int out_c = filter.shape.dim(0);
  if (bias && bias->elements() != out_c)
    return InvalidModelError(fmt::format("{}: bias (tensor {}) has shape {}; expected [{}]",
                                         NodeLabel(node), node.inputs[kBias],
                                         bias->shape.ToString(), out_c));
  // The kernels index a [rows, cols] column matrix with int.
  const int64_t rows = in.shape.FlatSize(0, 3);
  const int64_t cols = static_cast<int64_t>(filter.shape.dim(1)) * filter.shape.dim(2) * out_c;
  if (rows > INT_MAX || cols > INT_MAX)
    return InvalidModelError(fmt::format("{}: input {} with filter {} is too large",
                                         NodeLabel(node), in.shape.ToString(),
                                         filter.shape.ToString()));
  if (params.stride_h <= 0 || params.stride_w <= 0)
    return InvalidModelError(
        fmt::format("{}: invalid stride {}x{}", NodeLabel(node), params.stride_h, params.stride_w));
  return Status::Ok();
}

}  // namespace litescope::runtime::conv_geometry
