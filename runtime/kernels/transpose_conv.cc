#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/conv_geometry.h"
#include "runtime/kernels/internal/conv_quant_params.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/aligned_buffer.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/kernels/reference/conv_quantized.h"
#include "runtime/kernels/reference/transpose_conv.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

// TRANSPOSE_CONV as GEMM + col2im:
//   1. cols[M = N*H*W, KH*KW*OC] = input [M, C] x B, where B[c][(ky, kx, oc)] =
//      filter[oc, ky, kx, c] is packed once when the filter is constant.
//   2. Each output pixel gathers the cols of the input pixels whose taps land on it, adds the
//      bias and clamps. Gathering (rather than scattering) lets threads split output rows.
// Inputs: 0 output_shape (int32 [4]), 1 filter [OC, KH, KW, C], 2 input [N, H, W, C],
// 3 bias [OC] (optional). The math is defined by reference::TransposeConvFloat
// (runtime/kernels/reference/transpose_conv.h).
namespace litescope::runtime {
namespace {

constexpr int kOutputShape = 0;
constexpr int kFilter = 1;
constexpr int kInput = 2;
constexpr int kBias = 3;

struct TransposeConvOpData : OpData {
  reference::TransposeConvParams params;
  int padding = 0;  // schema Padding
  optimized::PackedMatrixF32 weights;
  bool packed = false;
  optimized::AlignedBuffer<float> cols;  // M x (KH*KW*OC)
  // int8: per output channel multipliers and the int32 accumulator of the whole output.
  conv_quant::ConvQuantData quant;
  std::vector<int32_t> scratch;
};

Status PackTransposeConvWeights(const Node& node, const Tensor& filter, TransposeConvOpData* d) {
  const int oc = filter.shape.dim(0);
  const int taps = filter.shape.dim(1) * filter.shape.dim(2);
  const int c = filter.shape.dim(3);
  // Reorder [OC, taps, C] to [taps, OC, C], then B's column (tap, oc) is one contiguous row.
  optimized::AlignedBuffer<float> reordered;
  if (!reordered.Resize(static_cast<size_t>(filter.elements())))
    return OutOfMemoryError(fmt::format("{}: cannot allocate a copy of the filter (tensor {})",
                                        NodeLabel(node), node.inputs[kFilter]));
  const float* f = filter.data_as<float>();
  for (int o = 0; o < oc; ++o)
    for (int t = 0; t < taps; ++t)
      std::copy(f + (static_cast<int64_t>(o) * taps + t) * c,
                f + (static_cast<int64_t>(o) * taps + t + 1) * c,
                reordered.data() + (static_cast<int64_t>(t) * oc + o) * c);
  if (!d->weights.Pack(reordered.data(), c, taps * oc, /*k_stride=*/1, /*n_stride=*/c, nullptr))
    return OutOfMemoryError(fmt::format("{}: cannot allocate the packed filter (tensor {})",
                                        NodeLabel(node), node.inputs[kFilter]));
  return Status::Ok();
}

// Validates the requested output shape, sizes the output and derives the padding.
Status ApplyOutputShape(KernelContext& ctx, const Node& node, const Tensor& shape_tensor,
                        const Tensor& in, const Tensor& filter, Tensor& out,
                        TransposeConvOpData* d) {
  const int32_t* s = shape_tensor.data_as<int32_t>();
  if (!s)
    return InvalidModelError(fmt::format("{}: output_shape (tensor {}) has no data",
                                         NodeLabel(node), node.inputs[kOutputShape]));
  const Shape shape{s[0], s[1], s[2], s[3]};
  if (s[0] != in.shape.dim(0) || s[1] < 0 || s[2] < 0 || s[3] != filter.shape.dim(0))
    return InvalidModelError(fmt::format("{}: output_shape {} does not fit input {} and filter {}",
                                         NodeLabel(node), shape.ToString(), in.shape.ToString(),
                                         filter.shape.ToString()));
  reference::TransposeConvParams& p = d->params;
  int unused = 0;
  // TFLite pads as a forward convolution from the output back to the input would.
  if (!ComputeSpatialOutput(d->padding, s[1], filter.shape.dim(1), p.stride_h, 1, &unused,
                            &p.pad_top) ||
      !ComputeSpatialOutput(d->padding, s[2], filter.shape.dim(2), p.stride_w, 1, &unused,
                            &p.pad_left))
    return InvalidModelError(
        fmt::format("{}: invalid stride {}x{}", NodeLabel(node), p.stride_h, p.stride_w));
  const int64_t reach_h =
      static_cast<int64_t>(in.shape.dim(1)) * p.stride_h + s[1] + filter.shape.dim(1);
  const int64_t reach_w =
      static_cast<int64_t>(in.shape.dim(2)) * p.stride_w + s[2] + filter.shape.dim(2);
  if (reach_h > INT_MAX / 2 || reach_w > INT_MAX / 2)
    return InvalidModelError(
        fmt::format("{}: output_shape {} is too large", NodeLabel(node), shape.ToString()));
  return ctx.ResizeTensor(out, shape);
}

Status TransposeConvPrepareFloat(KernelContext& ctx, Node& node, const Tensor& shape_tensor,
                                 const Tensor& filter, const Tensor& in, const Tensor* bias,
                                 Tensor& out) {
  if (filter.type != DataType::kFloat32)
    return TypeError(node, "input", kFilter, node.inputs[kFilter], filter, "FLOAT32");
  if (bias && bias->type != DataType::kFloat32)
    return TypeError(node, "input", kBias, node.inputs[kBias], *bias, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  Result<const TransposeConvParams*> params = NodeParams<TransposeConvParams>(node);
  if (!params.ok()) return params.status();
  LS_RETURN_IF_ERROR(
      conv_geometry::PrepareTransposeConv(node, **params, shape_tensor, filter, in, bias));
  const int out_c = filter.shape.dim(0);
  const int64_t rows = in.shape.FlatSize(0, 3);
  const int64_t cols = static_cast<int64_t>(filter.shape.dim(1)) * filter.shape.dim(2) * out_c;
  auto d = std::make_unique<TransposeConvOpData>();
  d->padding = static_cast<int>((*params)->padding);
  d->params.stride_h = (*params)->stride_h;
  d->params.stride_w = (*params)->stride_w;
  const FusedActivation act = (*params)->activation;
  FloatActivationRange(act, &d->params.act_min, &d->params.act_max);
  LS_RETURN_IF_ERROR(CheckScratchSize(ctx, node, "column buffer", rows * cols, sizeof(float)));
  if (!d->cols.Resize(static_cast<size_t>(rows * cols)))
    return OutOfMemoryError(
        fmt::format("{}: cannot allocate {} x {} column buffer", NodeLabel(node), rows, cols));
  if (filter.is_constant()) {
    LS_RETURN_IF_ERROR(PackTransposeConvWeights(node, filter, d.get()));
    d->packed = true;
  }
  Status resized = Status::Ok();
  if (shape_tensor.is_constant()) {
    resized = ApplyOutputShape(ctx, node, shape_tensor, in, filter, out, d.get());
  } else {
    ctx.SetDynamic(out);  // sized in Eval, once output_shape is known
  }
  node.data = std::move(d);
  return resized;
}

Status TransposeConvPrepareInt8(KernelContext& ctx, Node& node, const Tensor& shape_tensor,
                                const Tensor& filter, const Tensor& in, const Tensor* bias,
                                Tensor& out) {
  if (filter.type != DataType::kInt8)
    return TypeError(node, "input", kFilter, node.inputs[kFilter], filter, "INT8");
  if (bias && bias->type != DataType::kInt32)
    return TypeError(node, "input", kBias, node.inputs[kBias], *bias, "INT32");
  if (out.type != DataType::kInt8)
    return TypeError(node, "output", 0, node.outputs[0], out, "INT8");
  Result<const TransposeConvParams*> params = NodeParams<TransposeConvParams>(node);
  if (!params.ok()) return params.status();
  LS_RETURN_IF_ERROR(
      conv_geometry::PrepareTransposeConv(node, **params, shape_tensor, filter, in, bias));
  const int out_c = filter.shape.dim(0);
  auto d = std::make_unique<TransposeConvOpData>();
  d->padding = static_cast<int>((*params)->padding);
  d->params.stride_h = (*params)->stride_h;
  d->params.stride_w = (*params)->stride_w;
  const FusedActivation act = (*params)->activation;
  LS_RETURN_IF_ERROR(conv_quant::PrepareConvQuant(node, kInput, kFilter, in, filter, out, 0, out_c,
                                                  act, conv_quant::ScaleProduct::kDouble,
                                                  &d->quant));
  Status resized = Status::Ok();
  if (shape_tensor.is_constant()) {
    resized = ApplyOutputShape(ctx, node, shape_tensor, in, filter, out, d.get());
  } else {
    ctx.SetDynamic(out);  // sized in Eval, once output_shape is known
  }
  node.data = std::move(d);
  return resized;
}

Status TransposeConvPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 3, 4, 1));
  Result<Tensor*> shape = RequireInput(ctx, node, kOutputShape);
  if (!shape.ok()) return shape.status();
  Result<Tensor*> filter = RequireInput(ctx, node, kFilter);
  if (!filter.ok()) return filter.status();
  Result<Tensor*> in = RequireInput(ctx, node, kInput);
  if (!in.ok()) return in.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  const Tensor* bias = ctx.input(node, kBias);  // optional: absent means zeros
  switch ((*in)->type) {
    case DataType::kFloat32:
      return TransposeConvPrepareFloat(ctx, node, **shape, **filter, **in, bias, **out);
    case DataType::kInt8:
      return TransposeConvPrepareInt8(ctx, node, **shape, **filter, **in, bias, **out);
    default:
      return TypeError(node, "input", kInput, node.inputs[kInput], **in, "FLOAT32 or INT8");
  }
}

// Output rows [begin, end) of the flattened (batch, y) range.
void GatherRows(const reference::TransposeConvParams& p, const Shape& in_shape,
                const Shape& filter_shape, const float* cols, const float* bias,
                const Shape& out_shape, float* out, int64_t begin, int64_t end) {
  const int in_h = in_shape.dim(1);
  const int in_w = in_shape.dim(2);
  const int k_h = filter_shape.dim(1);
  const int k_w = filter_shape.dim(2);
  const int out_h = out_shape.dim(1);
  const int out_w = out_shape.dim(2);
  const int out_c = out_shape.dim(3);
  const int64_t row_cols = static_cast<int64_t>(k_h) * k_w * out_c;
  for (int64_t r = begin; r < end; ++r) {
    const int b = static_cast<int>(r / out_h);
    const int oy = static_cast<int>(r % out_h);
    for (int ox = 0; ox < out_w; ++ox) {
      float* o = out + (r * out_w + ox) * out_c;
      if (bias) {
        std::copy(bias, bias + out_c, o);
      } else {
        std::fill(o, o + out_c, 0.f);
      }
      for (int ky = 0; ky < k_h; ++ky) {
        // Input row iy reaches oy through tap ky when iy * sh - pad_top + ky == oy.
        const int ny = oy + p.pad_top - ky;
        if (ny < 0 || ny % p.stride_h != 0 || ny / p.stride_h >= in_h) continue;
        const int iy = ny / p.stride_h;
        for (int kx = 0; kx < k_w; ++kx) {
          const int nx = ox + p.pad_left - kx;
          if (nx < 0 || nx % p.stride_w != 0 || nx / p.stride_w >= in_w) continue;
          const int ix = nx / p.stride_w;
          const float* c = cols + ((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * row_cols +
                           (static_cast<int64_t>(ky) * k_w + kx) * out_c;
          for (int ch = 0; ch < out_c; ++ch) o[ch] += c[ch];
        }
      }
      for (int ch = 0; ch < out_c; ++ch) {
        // Written so that NaN passes through.
        if (o[ch] < p.act_min) o[ch] = p.act_min;
        if (o[ch] > p.act_max) o[ch] = p.act_max;
      }
    }
  }
}

Status TransposeConvEvalFloat(KernelContext& ctx, Node& node, TransposeConvOpData* d) {
  const Tensor& shape_tensor = *ctx.input(node, kOutputShape);
  const Tensor& filter = *ctx.input(node, kFilter);
  const Tensor& in = *ctx.input(node, kInput);
  const Tensor* bias = ctx.input(node, kBias);
  Tensor& out = *ctx.output(node, 0);
  if (!shape_tensor.is_constant())
    LS_RETURN_IF_ERROR(ApplyOutputShape(ctx, node, shape_tensor, in, filter, out, d));
  if (out.elements() == 0) return Status::Ok();
  if (!d->packed) LS_RETURN_IF_ERROR(PackTransposeConvWeights(node, filter, d));
  const int rows = static_cast<int>(in.shape.FlatSize(0, 3));
  const int64_t row_cols = d->weights.n();
  constexpr float kInf = std::numeric_limits<float>::infinity();
  ThreadPool& pool = ctx.thread_pool();
  optimized::GemmF32(optimized::GemmInputF32::Dense(in.data_as<float>(), in.shape.dim(3)), rows,
                     d->weights, d->cols.data(), row_cols, -kInf, kInf, &pool);
  const int64_t out_rows = static_cast<int64_t>(out.shape.dim(0)) * out.shape.dim(1);
  const float* bias_data = bias ? bias->data_as<float>() : nullptr;
  const int64_t work_per_row =
      std::max<int64_t>(1, static_cast<int64_t>(out.shape.dim(2)) * row_cols);
  pool.ParallelFor(out_rows, std::max<int64_t>(1, 16384 / work_per_row),
                   [&](int64_t begin, int64_t end) {
                     GatherRows(d->params, in.shape, filter.shape, d->cols.data(), bias_data,
                                out.shape, out.data_as<float>(), begin, end);
                   });
  return Status::Ok();
}

Status TransposeConvEvalInt8(KernelContext& ctx, Node& node, TransposeConvOpData* d) {
  const Tensor& shape_tensor = *ctx.input(node, kOutputShape);
  const Tensor& filter = *ctx.input(node, kFilter);
  const Tensor& in = *ctx.input(node, kInput);
  const Tensor* bias = ctx.input(node, kBias);
  Tensor& out = *ctx.output(node, 0);
  if (!shape_tensor.is_constant())
    LS_RETURN_IF_ERROR(ApplyOutputShape(ctx, node, shape_tensor, in, filter, out, d));
  if (out.elements() == 0) return Status::Ok();
  // The forward convolution from the output back to the input.
  optimized::ConvGeometry g;
  g.batches = out.shape.dim(0);
  g.in_h = out.shape.dim(1);
  g.in_w = out.shape.dim(2);
  g.in_c = out.shape.dim(3);
  g.out_h = in.shape.dim(1);
  g.out_w = in.shape.dim(2);
  g.k_h = filter.shape.dim(1);
  g.k_w = filter.shape.dim(2);
  g.stride_h = d->params.stride_h;
  g.stride_w = d->params.stride_w;
  g.pad_top = d->params.pad_top;
  g.pad_left = d->params.pad_left;
  d->scratch.resize(static_cast<size_t>(out.elements()));
  reference::TransposeConvQuantized<int8_t>(g, in.shape.dim(3), out.shape.dim(3), d->quant.params,
                                            in.data_as<int8_t>(), filter.data_as<int8_t>(),
                                            bias ? bias->data_as<int32_t>() : nullptr,
                                            out.data_as<int8_t>(), d->scratch.data());
  return Status::Ok();
}

Status TransposeConvEval(KernelContext& ctx, Node& node) {
  TransposeConvOpData* d = node.data_as<TransposeConvOpData>();
  const Tensor& in = *ctx.input(node, kInput);
  switch (in.type) {
    case DataType::kFloat32:
      return TransposeConvEvalFloat(ctx, node, d);
    case DataType::kInt8:
      return TransposeConvEvalInt8(ctx, node, d);
    default:
      return TypeError(node, "input", kInput, node.inputs[kInput], in, "FLOAT32 or INT8");
  }
}

}  // namespace

KernelRegistration MakeTransposeConvKernel() {
  KernelRegistration r;
  r.name = "TRANSPOSE_CONV";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::TRANSPOSE_CONV);
  r.min_version = 1;
  r.max_version = 5;
  r.prepare = TransposeConvPrepare;
  r.eval = TransposeConvEval;
  r.types = "float32,int8";
  return r;
}

}  // namespace litescope::runtime
