#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/depthwise_conv.h"
#include "runtime/kernels/reference/depthwise_conv.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct DepthwiseOpData : OpData {
  reference::DepthwiseParams params;
};

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

  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  if (filter.type != DataType::kFloat32)
    return TypeError(node, "input", 1, node.inputs[1], filter, "FLOAT32");
  if (bias && bias->type != DataType::kFloat32)
    return TypeError(node, "input", 2, node.inputs[2], *bias, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");

  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (filter.shape.rank() != 4 || filter.shape.dim(0) != 1)
    return InvalidModelError(fmt::format(
        "{}: filter (tensor {}) has shape {}; expected [1, KH, KW, C*M]", NodeLabel(node),
        node.inputs[1], filter.shape.ToString()));
  const int in_c = in.shape.dim(3);
  const int out_c = filter.shape.dim(3);
  if (in_c <= 0 || out_c % in_c != 0)
    return InvalidModelError(fmt::format(
        "{}: filter (tensor {}) has {} channels, not a multiple of the input's {}",
        NodeLabel(node), node.inputs[1], out_c, in_c));
  if (bias && bias->elements() != out_c)
    return InvalidModelError(fmt::format("{}: bias (tensor {}) has shape {}; expected [{}]",
                                         NodeLabel(node), node.inputs[2],
                                         bias->shape.ToString(), out_c));

  const schema::DepthwiseConv2DOptions* opts =
      node.fb->builtin_options_as_DepthwiseConv2DOptions();
  const int padding = opts ? static_cast<int>(opts->padding()) : 0;
  const int stride_w = opts ? opts->stride_w() : 1;
  const int stride_h = opts ? opts->stride_h() : 1;
  const int dilation_w = opts ? opts->dilation_w_factor() : 1;
  const int dilation_h = opts ? opts->dilation_h_factor() : 1;
  const auto act = opts ? static_cast<FusedActivation>(opts->fused_activation_function())
                        : FusedActivation::kNone;

  auto data = std::make_unique<DepthwiseOpData>();
  reference::DepthwiseParams& p = data->params;
  p.stride_h = stride_h;
  p.stride_w = stride_w;
  p.dilation_h = dilation_h;
  p.dilation_w = dilation_w;
  // TFLite derives the multiplier from the shapes; the option is not trusted.
  p.depth_multiplier = out_c / in_c;
  FloatActivationRange(act, &p.act_min, &p.act_max);
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
  // Aim for chunks of at least ~32k multiply-adds, so waking a thread pays off.
  const int64_t macs_per_row = static_cast<int64_t>(out.shape.dim(2)) * out.shape.dim(3) *
                               filter.shape.dim(1) * filter.shape.dim(2);
  const int64_t min_rows = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, macs_per_row));
  ctx.thread_pool().ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
    optimized::DepthwiseConvFloatRows(p, in.shape, in_data, filter.shape, filter_data, bias_data,
                                      out.shape, out_data, begin, end);
  });
  return Status::Ok();
}

Status DepthwiseEval(KernelContext& ctx, Node& node) {
  const DepthwiseOpData* data = node.data_as<DepthwiseOpData>();
  switch (ctx.input(node, 0)->type) {
    case DataType::kFloat32:
      return DepthwiseEvalFloat(ctx, node, data->params);
    default:
      return TypeError(node, "input", 0, node.inputs[0], *ctx.input(node, 0), "FLOAT32");
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
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
