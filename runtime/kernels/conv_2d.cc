#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/conv_2d_quantized.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/aligned_buffer.h"
#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/schema/tflite_schema_generated.h"

// CONV_2D as a GEMM: output pixels are the rows, output channels the columns, and
// (tap, input channel) the contracted dimension. The filter [OC, KH, KW, C] already is the
// transposed B matrix, so it is packed once when it is constant. A 1x1 stride-1 convolution
// reads the input as a dense matrix; every other one reads it through an indirection table
// (implicit GEMM), which needs no im2col copy. Grouped convolution runs one GEMM per group.
// The math is defined by reference::ConvFloat (runtime/kernels/reference/conv_2d.h).
namespace litescope::runtime {
namespace {

struct ConvOpData : OpData {
  optimized::ConvGeometry geo;
  float act_min = 0.f;
  float act_max = 0.f;
  int groups = 1;
  int group_in_c = 0;
  int group_out_c = 0;
  bool dense = false;  // 1x1, stride 1, no padding, one group: A is the input itself
  // One packed B per group. Valid when `packed` is true; a non-constant filter or bias is
  // packed at every Eval.
  std::vector<optimized::PackedMatrixF32> weights;
  bool packed = false;
  const void* packed_filter = nullptr;  // what `weights` was packed from (reuse on re-Prepare)
  const void* packed_bias = nullptr;
  Shape packed_filter_shape;
  // Implicit GEMM: the pointer table is rebuilt when the input moves.
  optimized::AlignedBuffer<const float*> indirection;
  const float* indirection_input = nullptr;
  std::vector<float> zero;  // in_c zeros, the padding taps' source
};

Status PackConvWeights(const Node& node, const Tensor& filter, const Tensor* bias,
                       ConvOpData* d) {
  const int k = d->geo.taps() * d->group_in_c;
  d->weights.resize(static_cast<size_t>(d->groups));
  const float* f = filter.data_as<float>();
  const float* b = bias ? bias->data_as<float>() : nullptr;
  for (int g = 0; g < d->groups; ++g) {
    const int64_t first_oc = static_cast<int64_t>(g) * d->group_out_c;
    if (!d->weights[static_cast<size_t>(g)].Pack(f + first_oc * k, k, d->group_out_c,
                                                 /*k_stride=*/1, /*n_stride=*/k,
                                                 b ? b + first_oc : nullptr))
      return OutOfMemoryError(
          fmt::format("{}: cannot allocate the packed filter (tensor {})", NodeLabel(node),
                      node.inputs[1]));
  }
  d->packed_filter = filter.data;
  d->packed_bias = bias ? bias->data : nullptr;
  d->packed_filter_shape = filter.shape;
  return Status::Ok();
}

Status ConvPrepareFloat(KernelContext& ctx, Node& node, const Tensor& in, const Tensor& filter,
                        const Tensor* bias, Tensor& out) {
  if (filter.type != DataType::kFloat32)
    return TypeError(node, "input", 1, node.inputs[1], filter, "FLOAT32");
  if (bias && bias->type != DataType::kFloat32)
    return TypeError(node, "input", 2, node.inputs[2], *bias, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (filter.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: filter (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[1],
                                         filter.shape.ToString()));
  const int in_c = in.shape.dim(3);
  const int out_c = filter.shape.dim(0);
  const int group_in_c = filter.shape.dim(3);
  if (group_in_c <= 0 || in_c < group_in_c || in_c % group_in_c != 0 ||
      out_c % (in_c / group_in_c) != 0)
    return InvalidModelError(fmt::format(
        "{}: filter (tensor {}) shape {} does not fit input channels {} (input channels must "
        "be a multiple of the filter's, and output channels of the group count)",
        NodeLabel(node), node.inputs[1], filter.shape.ToString(), in_c));
  if (bias && bias->elements() != out_c)
    return InvalidModelError(fmt::format("{}: bias (tensor {}) has shape {}; expected [{}]",
                                         NodeLabel(node), node.inputs[2],
                                         bias->shape.ToString(), out_c));

  const schema::Conv2DOptions* opts = node.fb->builtin_options_as_Conv2DOptions();
  const int padding = opts ? static_cast<int>(opts->padding()) : 0;
  const auto act = opts ? static_cast<FusedActivation>(opts->fused_activation_function())
                        : FusedActivation::kNone;
  auto d = std::make_unique<ConvOpData>();
  optimized::ConvGeometry& g = d->geo;
  g.batches = in.shape.dim(0);
  g.in_h = in.shape.dim(1);
  g.in_w = in.shape.dim(2);
  g.in_c = in_c;
  g.k_h = filter.shape.dim(1);
  g.k_w = filter.shape.dim(2);
  g.stride_h = opts ? opts->stride_h() : 1;
  g.stride_w = opts ? opts->stride_w() : 1;
  g.dilation_h = opts ? opts->dilation_h_factor() : 1;
  g.dilation_w = opts ? opts->dilation_w_factor() : 1;
  if (!ComputeSpatialOutput(padding, g.in_h, g.k_h, g.stride_h, g.dilation_h, &g.out_h,
                            &g.pad_top) ||
      !ComputeSpatialOutput(padding, g.in_w, g.k_w, g.stride_w, g.dilation_w, &g.out_w,
                            &g.pad_left))
    return InvalidModelError(fmt::format(
        "{}: invalid geometry (stride {}x{}, dilation {}x{}, filter {}x{})", NodeLabel(node),
        g.stride_h, g.stride_w, g.dilation_h, g.dilation_w, g.k_h, g.k_w));
  // Every coordinate the kernel computes must fit in an int, and the GEMM sizes too.
  const int64_t reach_h = static_cast<int64_t>(g.out_h) * g.stride_h +
                          static_cast<int64_t>(g.k_h) * g.dilation_h;
  const int64_t reach_w = static_cast<int64_t>(g.out_w) * g.stride_w +
                          static_cast<int64_t>(g.k_w) * g.dilation_w;
  const int64_t k_total = static_cast<int64_t>(g.k_h) * g.k_w * group_in_c;
  if (reach_h > INT_MAX / 2 || reach_w > INT_MAX / 2 || g.rows() > INT_MAX ||
      k_total > INT_MAX)
    return InvalidModelError(fmt::format("{}: convolution of {} with filter {} is too large",
                                         NodeLabel(node), in.shape.ToString(),
                                         filter.shape.ToString()));
  FloatActivationRange(act, &d->act_min, &d->act_max);
  d->groups = in_c / group_in_c;
  d->group_in_c = group_in_c;
  d->group_out_c = out_c / d->groups;
  d->dense = d->groups == 1 && g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 &&
             g.stride_w == 1 && g.pad_top == 0 && g.pad_left == 0;
  if (!d->dense) d->zero.assign(static_cast<size_t>(in_c), 0.f);

  // Pack constant weights now; keep the previous packing when Prepare runs again.
  const bool constant = filter.is_constant() && (!bias || bias->is_constant());
  if (constant) {
    ConvOpData* old = dynamic_cast<ConvOpData*>(node.data.get());
    if (old && old->packed && old->packed_filter == filter.data &&
        old->packed_bias == (bias ? bias->data : nullptr) &&
        old->packed_filter_shape == filter.shape && old->groups == d->groups) {
      d->weights = std::move(old->weights);
    } else {
      LS_RETURN_IF_ERROR(PackConvWeights(node, filter, bias, d.get()));
    }
    d->packed = true;
  }
  node.data = std::move(d);
  return ctx.ResizeTensor(out, Shape{g.batches, g.out_h, g.out_w, out_c});
}

Status ConvPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> filter = RequireInput(ctx, node, 1);
  if (!filter.ok()) return filter.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  const Tensor* bias = ctx.input(node, 2);  // optional: absent means zeros
  if (ConvIsQuantizedOrHybrid((*in)->type, (*filter)->type))  // conv_2d_quantized.cc
    return ConvPrepareQuantized(ctx, node, **in, **filter, bias, **out);
  switch ((*in)->type) {
    case DataType::kFloat32:
      return ConvPrepareFloat(ctx, node, **in, **filter, bias, **out);
    default:
      return TypeError(node, "input", 0, node.inputs[0], **in, "FLOAT32");
  }
}

Status ConvEvalFloat(KernelContext& ctx, Node& node, ConvOpData* d) {
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& filter = *ctx.input(node, 1);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  const optimized::ConvGeometry& g = d->geo;
  const int64_t rows = g.rows();
  if (rows == 0 || out.elements() == 0) return Status::Ok();
  if (!d->packed) LS_RETURN_IF_ERROR(PackConvWeights(node, filter, bias, d));
  const float* in_data = in.data_as<float>();
  float* out_data = out.data_as<float>();
  const int out_c = out.shape.dim(3);
  ThreadPool* pool = &ctx.thread_pool();
  if (d->dense) {
    optimized::GemmF32(optimized::GemmInputF32::Dense(in_data, g.in_c), static_cast<int>(rows),
                       d->weights[0], out_data, out_c, d->act_min, d->act_max, pool);
    return Status::Ok();
  }
  if (d->indirection.empty() || d->indirection_input != in_data) {
    LS_RETURN_IF_ERROR(CheckScratchSize(ctx, node, "indirection table", rows * g.taps(),
                                        sizeof(const float*)));
    if (!d->indirection.Resize(static_cast<size_t>(rows * g.taps())))
      return OutOfMemoryError(fmt::format("{}: cannot allocate the {}-entry indirection table",
                                          NodeLabel(node), rows * g.taps()));
    optimized::BuildConvIndirection(g, in_data, d->zero.data(), d->indirection.data());
    d->indirection_input = in_data;
  }
  for (int grp = 0; grp < d->groups; ++grp) {
    const optimized::GemmInputF32 a = optimized::GemmInputF32::Indirect(
        d->indirection.data(), g.taps(), d->group_in_c,
        static_cast<int64_t>(grp) * d->group_in_c, d->zero.data());
    optimized::GemmF32(a, static_cast<int>(rows), d->weights[static_cast<size_t>(grp)],
                       out_data + static_cast<int64_t>(grp) * d->group_out_c, out_c, d->act_min,
                       d->act_max, pool);
  }
  return Status::Ok();
}

Status ConvEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  if (ConvIsQuantizedOrHybrid(in.type, ctx.input(node, 1)->type))
    return ConvEvalQuantized(ctx, node);
  ConvOpData* d = node.data_as<ConvOpData>();
  switch (in.type) {
    case DataType::kFloat32:
      return ConvEvalFloat(ctx, node, d);
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

}  // namespace

KernelRegistration MakeConv2DKernel() {
  KernelRegistration r;
  r.name = "CONV_2D";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::CONV_2D);
  r.min_version = 1;
  r.max_version = 8;
  r.prepare = ConvPrepare;
  r.eval = ConvEval;
  r.types = "float32,int8,uint8,int16";
  return r;
}

}  // namespace litescope::runtime
