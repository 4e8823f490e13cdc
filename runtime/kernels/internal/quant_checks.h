#pragma once

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "runtime/data_type.h"
#include "runtime/kernel_api.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// Prepare-time checks of quantization parameters shared by the quantized kernels (pooling,
// depthwise convolution, reductions, softmax, L2 normalization, resize). Header-only; not part
// of the public API. Each returns a one-line error naming the node and the tensor.
namespace litescope::runtime::quant_checks {

// [min, max] of an integer element type; false for other types.
inline bool IntegerRange(DataType t, int64_t* min, int64_t* max) {
  switch (t) {
    case DataType::kInt8:
      *min = -128;
      *max = 127;
      return true;
    case DataType::kUInt8:
      *min = 0;
      *max = 255;
      return true;
    case DataType::kInt16:
      *min = -32768;
      *max = 32767;
      return true;
    default:
      return false;
  }
}

// Per-tensor affine parameters: one finite scale > 0 and a zero point inside the type's range.
inline Status CheckPerTensor(const Node& node, const char* role, int tensor_index,
                             const Tensor& t) {
  const QuantParams& q = t.quant;
  if (q.scale.empty() || q.zero_point.size() != q.scale.size())
    return InvalidModelError(fmt::format("{}: {} (tensor {}) lacks quantization parameters",
                                         NodeLabel(node), role, tensor_index));
  if (q.scale.size() != 1)
    return UnsupportedOpError(fmt::format("{}: {} (tensor {}) has {} scales; expected one",
                                          NodeLabel(node), role, tensor_index, q.scale.size()));
  if (!(q.scale[0] > 0.f) || !std::isfinite(q.scale[0]))
    return InvalidModelError(fmt::format("{}: {} (tensor {}) has scale {}; expected finite > 0",
                                         NodeLabel(node), role, tensor_index, q.scale[0]));
  int64_t lo = 0, hi = 0;
  if (IntegerRange(t.type, &lo, &hi) && (q.zero_point[0] < lo || q.zero_point[0] > hi))
    return InvalidModelError(fmt::format("{}: {} (tensor {}) has zero point {}; expected [{}, {}]",
                                         NodeLabel(node), role, tensor_index, q.zero_point[0], lo,
                                         hi));
  return Status::Ok();
}

// Weights quantized per tensor or per channel along `channel_dim` with `channels` entries;
// finite scales > 0; zero points in range, and all zero when `symmetric`.
inline Status CheckWeights(const Node& node, const char* role, int tensor_index, const Tensor& t,
                           int channel_dim, int channels, bool symmetric) {
  const QuantParams& q = t.quant;
  if (q.scale.empty() || q.zero_point.size() != q.scale.size())
    return InvalidModelError(fmt::format("{}: {} (tensor {}) lacks quantization parameters",
                                         NodeLabel(node), role, tensor_index));
  if (q.scale.size() != 1 &&
      (q.quantized_dimension != channel_dim || q.scale.size() != static_cast<size_t>(channels)))
    return InvalidModelError(fmt::format(
        "{}: {} (tensor {}) has {} scales along dimension {}; expected 1 or {} along {}",
        NodeLabel(node), role, tensor_index, q.scale.size(), q.quantized_dimension, channels,
        channel_dim));
  int64_t lo = 0, hi = 0;
  IntegerRange(t.type, &lo, &hi);
  for (size_t i = 0; i < q.scale.size(); ++i) {
    if (!(q.scale[i] > 0.f) || !std::isfinite(q.scale[i]))
      return InvalidModelError(fmt::format("{}: {} (tensor {}) scale {} is {}; expected finite > 0",
                                           NodeLabel(node), role, tensor_index, i, q.scale[i]));
    const int64_t zp = q.zero_point[i];
    if ((symmetric && zp != 0) || zp < lo || zp > hi)
      return InvalidModelError(fmt::format("{}: {} (tensor {}) zero point {} is {}; expected {}",
                                           NodeLabel(node), role, tensor_index, i, zp,
                                           symmetric ? "0" : fmt::format("[{}, {}]", lo, hi)));
  }
  return Status::Ok();
}

// Input and output must share scale and zero point (pooling, REDUCE_MAX).
inline Status CheckSameQuant(const Node& node, const Tensor& in, const Tensor& out) {
  if (in.quant.scale[0] != out.quant.scale[0] || in.quant.zero_point[0] != out.quant.zero_point[0])
    return InvalidModelError(fmt::format(
        "{}: output (tensor {}) is quantized as ({}, {}) but the input as ({}, {}); expected equal",
        NodeLabel(node), node.outputs[0], out.quant.scale[0], out.quant.zero_point[0],
        in.quant.scale[0], in.quant.zero_point[0]));
  return Status::Ok();
}

}  // namespace litescope::runtime::quant_checks
