#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/depthwise_conv_quantized.h"
#include "runtime/kernels/optimized/isa_kernels.h"
#include "runtime/kernels/reference/depthwise_conv.h"
#include "runtime/kernels/reference/depthwise_conv_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct DepthwiseOpData : OpData {
  reference::DepthwiseParams params;
  // Quantized kernels only: per output channel multipliers, the integer parameters pointing
  // at them, and the packed filter (built here when the filter is constant, else in Eval).
  std::vector<int32_t> multipliers;
  std::vector<int> shifts;
  reference::DepthwiseQuantParams quant;
  optimized::DepthwiseQuantizedFilter packed;
  bool packed_valid = false;
};

// INT8 and UINT8 take the integer kernels.
bool IsQuantized(DataType t) { return t == DataType::kInt8 || t == DataType::kUInt8; }

// Checks the quantization of a quantized node and computes its integer parameters:
//  - int8: per-channel (or per-tensor) int8 weights with zero points 0, int32 bias;
//    multiplier[oc] = input_scale * filter_scale[oc] / output_scale (in double);
//  - uint8: per-tensor uint8 weights with any zero point, int32 bias; the legacy multiplier
//    (input_scale * filter_scale formed in float) / output_scale.
Status PrepareQuantized(const Node& node, const Tensor& in, const Tensor& filter,
                        const Tensor* bias, const Tensor& out, FusedActivation act,
                        DepthwiseOpData* data) {
  const int out_c = filter.shape.dim(3);
  const bool is_int8 = in.type == DataType::kInt8;
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  LS_RETURN_IF_ERROR(
      quant_checks::CheckWeights(node, "filter", node.inputs[1], filter, 3, out_c, is_int8));
  if (!is_int8 && filter.quant.per_channel())
    return UnsupportedOpError(fmt::format("{}: uint8 filter (tensor {}) is quantized per channel",
                                          NodeLabel(node), node.inputs[1]));
  const float in_scale = in.quant.scale[0];
  const float out_scale = out.quant.scale[0];
  data->multipliers.resize(static_cast<size_t>(out_c));
  data->shifts.resize(static_cast<size_t>(out_c));
  for (int oc = 0; oc < out_c; ++oc) {
    const size_t i = static_cast<size_t>(oc);
    const float f_scale = filter.quant.scale[filter.quant.per_channel() ? i : 0];
    const double real =
        is_int8 ? static_cast<double>(in_scale) * static_cast<double>(f_scale) /
                      static_cast<double>(out_scale)
                : static_cast<double>(in_scale * f_scale) / static_cast<double>(out_scale);
    fixed_point::QuantizeMultiplier(real, &data->multipliers[i], &data->shifts[i]);
  }
  reference::DepthwiseQuantParams& q = data->quant;
  q.input_offset = -static_cast<int32_t>(in.quant.zero_point[0]);
  q.filter_offset = -static_cast<int32_t>(filter.quant.zero_point[0]);
  q.output_offset = static_cast<int32_t>(out.quant.zero_point[0]);
  q.multiplier = data->multipliers.data();
  q.shift = data->shifts.data();
  const int32_t qmin = is_int8 ? -128 : 0;
  const int32_t qmax = is_int8 ? 127 : 255;
  fixed_point::QuantizedActivationRange(act, out_scale, q.output_offset, qmin, qmax, &q.act_min,
                                        &q.act_max);
  if (filter.is_constant() && (!bias || bias->is_constant())) {
    const int taps = filter.shape.dim(1) * filter.shape.dim(2);
    const int32_t* b = bias ? bias->data_as<int32_t>() : nullptr;
    if (is_int8)
      optimized::PackDepthwiseQuantizedFilter(filter.data_as<int8_t>(), taps, out_c, b,
                                              q.input_offset, q.filter_offset, &data->packed);
    else
      optimized::PackDepthwiseQuantizedFilter(filter.data_as<uint8_t>(), taps, out_c, b,
                                              q.input_offset, q.filter_offset, &data->packed);
    data->packed_valid = true;
  }
  return Status::Ok();
}

Status DepthwisePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> filter_r = RequireInput(ctx, node, 1);
  if (!filter_r.ok()) return filter_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  const Tensor& filter = **filter_r;
  Tensor& out = **out_r;
  const Tensor* bias = ctx.input(node, 2);  // optional: absent means zeros

  if (in.type != DataType::kFloat32 && !IsQuantized(in.type))
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8 or UINT8");
  const bool quantized = IsQuantized(in.type);
  if (filter.type != in.type)
    return TypeError(node, "input", 1, node.inputs[1], filter, DataTypeName(in.type));
  const DataType bias_type = quantized ? DataType::kInt32 : DataType::kFloat32;
  if (bias && bias->type != bias_type)
    return TypeError(node, "input", 2, node.inputs[2], *bias, DataTypeName(bias_type));
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));

  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (filter.shape.rank() != 4 || filter.shape.dim(0) != 1)
    return InvalidModelError(
        fmt::format("{}: filter (tensor {}) has shape {}; expected [1, KH, KW, C*M]",
                    NodeLabel(node), node.inputs[1], filter.shape.ToString()));
  const int in_c = in.shape.dim(3);
  const int out_c = filter.shape.dim(3);
  if (in_c <= 0 || out_c % in_c != 0)
    return InvalidModelError(
        fmt::format("{}: filter (tensor {}) has {} channels, not a multiple of the input's {}",
                    NodeLabel(node), node.inputs[1], out_c, in_c));
  if (bias && bias->elements() != out_c)
    return InvalidModelError(fmt::format("{}: bias (tensor {}) has shape {}; expected [{}]",
                                         NodeLabel(node), node.inputs[2], bias->shape.ToString(),
                                         out_c));

  Result<const DepthwiseConv2DParams*> params = NodeParams<DepthwiseConv2DParams>(node);
  if (!params.ok()) return params.status();
  // Without an options table the schema defaults apply: stride 0, which is rejected below.
  const int padding = static_cast<int>((*params)->padding);
  const int stride_w = (*params)->stride_w;
  const int stride_h = (*params)->stride_h;
  const int dilation_w = (*params)->dilation_w;
  const int dilation_h = (*params)->dilation_h;
  const FusedActivation act = (*params)->activation;

  // Keep every coordinate computation of the kernels far inside int.
  constexpr int64_t kMaxExtent = int64_t{1} << 24;
  const int64_t extent_h = static_cast<int64_t>(filter.shape.dim(1) - 1) * dilation_h + 1;
  const int64_t extent_w = static_cast<int64_t>(filter.shape.dim(2) - 1) * dilation_w + 1;
  if (extent_h > kMaxExtent || extent_w > kMaxExtent || stride_h > kMaxExtent ||
      stride_w > kMaxExtent || in.shape.dim(1) > (1 << 30) || in.shape.dim(2) > (1 << 30))
    return UnsupportedOpError(fmt::format(
        "{}: geometry beyond the supported range (input {}, filter extent {}x{}, stride {}x{})",
        NodeLabel(node), in.shape.ToString(), extent_h, extent_w, stride_h, stride_w));

  auto data = std::make_unique<DepthwiseOpData>();
  reference::DepthwiseParams& p = data->params;
  p.stride_h = stride_h;
  p.stride_w = stride_w;
  p.dilation_h = dilation_h;
  p.dilation_w = dilation_w;
  // TFLite derives the multiplier from the shapes; the option is not trusted.
  p.depth_multiplier = out_c / in_c;
  FloatActivationRange(act, &p.act_min, &p.act_max);
  if (quantized) LS_RETURN_IF_ERROR(PrepareQuantized(node, in, filter, bias, out, act, data.get()));
  int out_h = 0, out_w = 0;
  if (!ComputeSpatialOutput(padding, in.shape.dim(1), filter.shape.dim(1), stride_h, dilation_h,
                            &out_h, &p.pad_top) ||
      !ComputeSpatialOutput(padding, in.shape.dim(2), filter.shape.dim(2), stride_w, dilation_w,
                            &out_w, &p.pad_left))
    return InvalidModelError(fmt::format(
        "{}: invalid geometry (stride {}x{}, dilation {}x{}, filter {}x{})", NodeLabel(node),
        stride_h, stride_w, dilation_h, dilation_w, filter.shape.dim(1), filter.shape.dim(2)));
  node.data = std::move(data);
  return ctx.ResizeTensor(out, Shape{in.shape.dim(0), out_h, out_w, out_c});
}

Status DepthwiseEvalFloat(KernelContext& ctx, Node& node, const reference::DepthwiseParams& p) {
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& filter = *ctx.input(node, 1);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  const float* in_data = in.data_as<float>();
  const float* filter_data = filter.data_as<float>();
  const float* bias_data = bias ? bias->data_as<float>() : nullptr;
  float* out_data = out.data_as<float>();
  const int64_t rows = static_cast<int64_t>(out.shape.dim(0)) * out.shape.dim(1);
  if (rows == 0 || out.elements() == 0) return Status::Ok();
  // Chunks of at least ~256k multiply-adds (~15 us on one core): waking a worker costs several
  // microseconds, and MobileNet's small layers ran slower when split 16 ways.
  constexpr int64_t kMinMacsPerChunk = int64_t{1} << 18;
  const int64_t macs_per_row = static_cast<int64_t>(out.shape.dim(2)) * out.shape.dim(3) *
                               filter.shape.dim(1) * filter.shape.dim(2);
  const int64_t min_rows =
      std::max<int64_t>(1, kMinMacsPerChunk / std::max<int64_t>(1, macs_per_row));
  ctx.thread_pool().ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
    optimized::DepthwiseConvFloatRows(p, in.shape, in_data, filter.shape, filter_data, bias_data,
                                      out.shape, out_data, begin, end);
  });
  return Status::Ok();
}

template <typename T>
Status DepthwiseEvalQuantized(KernelContext& ctx, Node& node, DepthwiseOpData* data) {
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& filter = *ctx.input(node, 1);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  const reference::DepthwiseParams& p = data->params;
  const reference::DepthwiseQuantParams& q = data->quant;
  if (!data->packed_valid)  // filter or bias computed at run time: pack them now
    optimized::PackDepthwiseQuantizedFilter(
        filter.data_as<T>(), filter.shape.dim(1) * filter.shape.dim(2), filter.shape.dim(3),
        bias ? bias->data_as<int32_t>() : nullptr, q.input_offset, q.filter_offset, &data->packed);
  const int64_t rows = static_cast<int64_t>(out.shape.dim(0)) * out.shape.dim(1);
  if (rows == 0 || out.elements() == 0) return Status::Ok();
  constexpr int64_t kMinMacsPerChunk = int64_t{1} << 18;
  const int64_t macs_per_row = static_cast<int64_t>(out.shape.dim(2)) * out.shape.dim(3) *
                               filter.shape.dim(1) * filter.shape.dim(2);
  const int64_t min_rows =
      std::max<int64_t>(1, kMinMacsPerChunk / std::max<int64_t>(1, macs_per_row));
  const T* in_data = in.data_as<T>();
  T* out_data = out.data_as<T>();
  const optimized::DepthwiseQuantizedFilter& packed = data->packed;
  ctx.thread_pool().ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
    optimized::DepthwiseConvQuantizedRows(p, q, in.shape, in_data, filter.shape, packed, out.shape,
                                          out_data, begin, end);
  });
  return Status::Ok();
}

Status DepthwiseEval(KernelContext& ctx, Node& node) {
  DepthwiseOpData* data = node.data_as<DepthwiseOpData>();
  switch (ctx.input(node, 0)->type) {
    case DataType::kFloat32:
      return DepthwiseEvalFloat(ctx, node, data->params);
    case DataType::kInt8:
      return DepthwiseEvalQuantized<int8_t>(ctx, node, data);
    case DataType::kUInt8:
      return DepthwiseEvalQuantized<uint8_t>(ctx, node, data);
    default:
      return TypeError(node, "input", 0, node.inputs[0], *ctx.input(node, 0),
                       "FLOAT32, INT8 or UINT8");
  }
}

}  // namespace

KernelRegistration MakeDepthwiseConv2DKernel() {
  KernelRegistration r;
  r.name = "DEPTHWISE_CONV_2D";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::DEPTHWISE_CONV_2D);
  r.min_version = 1;
  r.max_version = 7;
  r.prepare = DepthwisePrepare;
  r.eval = DepthwiseEval;
  r.types = "float32,int8,uint8";
  return r;
}

}  // namespace litescope::runtime
