#pragma once

#include <climits>
#include <cstdint>

#include <fmt/format.h>

#include "runtime/kernel_api.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_params.h"
#include "runtime/shape.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

namespace litescope::runtime {

// The parsed options of the float and quantized/hybrid FULLY_CONNECTED kernels, which serve only
// the DEFAULT weights format.
inline Result<const FullyConnectedParams*> DefaultFormatFullyConnectedParams(const Node& node) {
  Result<const FullyConnectedParams*> params = NodeParams<FullyConnectedParams>(node);
  if (!params.ok()) return params.status();
  if ((*params)->weights_format != FullyConnectedWeightsFormat::kDefault)
    return UnsupportedTypeError(
        fmt::format("{}: weights format {} is not supported; expected DEFAULT", NodeLabel(node),
                    FullyConnectedWeightsFormatName((*params)->weights_format)));
  return params;
}

// The weights of every FULLY_CONNECTED form (float, quantized, hybrid, blockwise): [N, K] with
// K > 0.
inline Status FullyConnectedWeightsShape(const Node& node, const Tensor& w, int* n, int* k) {
  if (w.shape.rank() != 2 || w.shape.dim(1) <= 0)
    return InvalidModelError(
        fmt::format("{}: weights (tensor {}) have shape {}; expected [N, K] "
                    "with K > 0",
                    NodeLabel(node), node.inputs[1], w.shape.ToString()));
  *n = w.shape.dim(0);
  *k = w.shape.dim(1);
  return Status::Ok();
}

// The shape checks every FULLY_CONNECTED form shares (float, quantized, hybrid, blockwise):
// bias of n elements, the input a whole number of rows of k, and the output shape
// ([rows, n], or the input's shape with its last dim set to n under keep_num_dims).
inline Status FullyConnectedOutputShape(const Node& node, const Tensor& in, const Tensor* bias,
                                        int n, int k, bool keep_num_dims, Shape* out_shape) {
  if (bias && bias->elements() != n)
    return InvalidModelError(fmt::format("{}: bias (tensor {}) has shape {}; expected [{}]",
                                         NodeLabel(node), node.inputs[2], bias->shape.ToString(),
                                         n));
  const int64_t in_elements = in.elements();
  if (in.shape.rank() < 1 || in_elements % k != 0 || in_elements / k > INT_MAX)
    return InvalidModelError(
        fmt::format("{}: input (tensor {}) of shape {} is not a whole number of rows of {} weights",
                    NodeLabel(node), node.inputs[0], in.shape.ToString(), k));
  if (keep_num_dims) {
    if (in.shape.dim(in.shape.rank() - 1) != k)
      return InvalidModelError(fmt::format(
          "{}: keep_num_dims needs the input's last dim ({}) to equal the weights' K ({})",
          NodeLabel(node), in.shape.ToString(), k));
    *out_shape = in.shape;
    out_shape->dim(out_shape->rank() - 1) = n;
  } else {
    *out_shape = Shape{static_cast<int32_t>(in_elements / k), n};
  }
  return Status::Ok();
}

}  // namespace litescope::runtime
