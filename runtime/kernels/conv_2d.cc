#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/conv_2d_quantized.h"
#include "runtime/kernels/internal/conv_geometry.h"
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

Status PackConvWeights(const Node& node, const Tensor& filter, const Tensor* bias, ConvOpData* d) {
  const int k = d->geo.taps() * d->group_in_c;
  d->weights.resize(static_cast<size_t>(d->groups));
  const float* f = filter.data_as<float>();
  const float* b = bias ? bias->data_as<float>() : nullptr;
  for (int g = 0; g < d->groups; ++g) {
    const int64_t first_oc = static_cast<int64_t>(g) * d->group_out_c;
    if (!d->weights[static_cast<size_t>(g)].Pack(f + first_oc * k, k, d->group_out_c,
                                                 /*k_stride=*/1, /*n_stride=*/k,
                                                 b ? b + first_oc : nullptr))
      return OutOfMemoryError(fmt::format("{}: cannot allocate the packed filter (tensor {})",
                                          NodeLabel(node), node.inputs[1]));
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
  Result<const Conv2DParams*> params = NodeParams<Conv2DParams>(node);
  if (!params.ok()) return params.status();
  const Conv2DParams& p = **params;
  auto d = std::make_unique<ConvOpData>();
  optimized::ConvGeometry& g = d->geo;
  int group_in_c = 0, out_c = 0;
  LS_RETURN_IF_ERROR(
      conv_geometry::PrepareConv2D(node, p, in, filter, bias, &g, &group_in_c, &out_c));
  const int in_c = g.in_c;
  FloatActivationRange(p.activation, &d->act_min, &d->act_max);
  d->groups = in_c / group_in_c;
  d->group_in_c = group_in_c;
  d->group_out_c = out_c / d->groups;
  d->dense = d->groups == 1 && g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
             g.pad_top == 0 && g.pad_left == 0;
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
  const Tensor* bias = ctx.input(node, 2);                    // optional: absent means zeros
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
    LS_RETURN_IF_ERROR(
        CheckScratchSize(ctx, node, "indirection table", rows * g.taps(), sizeof(const float*)));
    if (!d->indirection.Resize(static_cast<size_t>(rows * g.taps())))
      return OutOfMemoryError(fmt::format("{}: cannot allocate the {}-entry indirection table",
                                          NodeLabel(node), rows * g.taps()));
    optimized::BuildConvIndirection(g, in_data, d->zero.data(), d->indirection.data());
    d->indirection_input = in_data;
  }
  for (int grp = 0; grp < d->groups; ++grp) {
    const optimized::GemmInputF32 a = optimized::GemmInputF32::Indirect(
        d->indirection.data(), g.taps(), d->group_in_c, static_cast<int64_t>(grp) * d->group_in_c,
        d->zero.data());
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
