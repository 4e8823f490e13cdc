#include <fmt/format.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fully_connected_blockwise.h"
#include "runtime/kernels/fully_connected_quantized.h"
#include "runtime/kernels/internal/fully_connected_shape.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/schema/tflite_schema_generated.h"

// FULLY_CONNECTED as a GEMM: input rows x weights [N, K] (the transposed B matrix), packed once
// when constant. The math is defined by reference::FullyConnectedFloat
// (runtime/kernels/reference/fully_connected.h).
namespace litescope::runtime {
namespace {

struct FullyConnectedOpData : OpData {
  int batches = 0;
  int k = 0;
  int n = 0;
  float act_min = 0.f;
  float act_max = 0.f;
  optimized::PackedMatrixF32 weights;
  bool weights_packed = false;  // constant weights, packed in Prepare
  bool bias_packed = false;     // constant (or absent) bias, set in Prepare
  const void* packed_from = nullptr;  // weights data `weights` was packed from
};

Status PackFcWeights(const Node& node, const Tensor& w, const float* bias,
                     FullyConnectedOpData* d) {
  if (!d->weights.Pack(w.data_as<float>(), d->k, d->n, /*k_stride=*/1, /*n_stride=*/d->k, bias))
    return OutOfMemoryError(fmt::format("{}: cannot allocate the packed weights (tensor {})",
                                        NodeLabel(node), node.inputs[1]));
  d->packed_from = w.data;
  return Status::Ok();
}

Status FullyConnectedPrepareFloat(KernelContext& ctx, Node& node, const Tensor& in,
                                  const Tensor& w, const Tensor* bias, Tensor& out) {
  if (w.type != DataType::kFloat32)
    return TypeError(node, "input", 1, node.inputs[1], w, "FLOAT32");
  if (bias && bias->type != DataType::kFloat32)
    return TypeError(node, "input", 2, node.inputs[2], *bias, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  Result<const FullyConnectedParams*> params = NodeParams<FullyConnectedParams>(node);
  if (!params.ok()) return params.status();
  const FullyConnectedParams& opts = **params;
  if (opts.weights_format != FullyConnectedWeightsFormat::kDefault)
    return UnsupportedTypeError(
        fmt::format("{}: weights format {} is not supported; expected DEFAULT", NodeLabel(node),
                    FullyConnectedWeightsFormatName(opts.weights_format)));
  const bool keep_num_dims = opts.keep_num_dims;
  const FusedActivation act = opts.activation;
  if (w.shape.rank() != 2 || w.shape.dim(1) <= 0)
    return InvalidModelError(fmt::format("{}: weights (tensor {}) have shape {}; expected [N, K] "
                                         "with K > 0",
                                         NodeLabel(node), node.inputs[1], w.shape.ToString()));
  const int n = w.shape.dim(0);
  const int k = w.shape.dim(1);
  const int64_t in_elements = in.elements();
  Shape out_shape;
  LS_RETURN_IF_ERROR(FullyConnectedOutputShape(node, in, bias, n, k, keep_num_dims, &out_shape));

  auto d = std::make_unique<FullyConnectedOpData>();
  d->batches = static_cast<int>(in_elements / k);
  d->k = k;
  d->n = n;
  FloatActivationRange(act, &d->act_min, &d->act_max);
  if (w.is_constant()) {
    FullyConnectedOpData* old = dynamic_cast<FullyConnectedOpData*>(node.data.get());
    if (old && old->weights_packed && old->packed_from == w.data && old->k == k &&
        old->n == n) {
      d->weights = std::move(old->weights);
      d->packed_from = w.data;
    } else {
      LS_RETURN_IF_ERROR(PackFcWeights(node, w, nullptr, d.get()));
    }
    d->weights_packed = true;
    if (!bias || bias->is_constant()) {
      d->weights.SetBias(bias ? bias->data_as<float>() : nullptr);
      d->bias_packed = true;
    }
  }
  node.data = std::move(d);
  return ctx.ResizeTensor(out, out_shape);
}

Status FullyConnectedPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> w = RequireInput(ctx, node, 1);
  if (!w.ok()) return w.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  const Tensor* bias = ctx.input(node, 2);  // optional: absent means zeros
  if ((*w)->type == DataType::kInt4)  // fully_connected_blockwise.cc
    return FullyConnectedPrepareBlockwise(ctx, node, **in, **w, bias, **out);
  if (FullyConnectedIsQuantizedOrHybrid((*in)->type, (*w)->type))  // fully_connected_quantized.cc
    return FullyConnectedPrepareQuantized(ctx, node, **in, **w, bias, **out);
  switch ((*in)->type) {
    case DataType::kFloat32:
      return FullyConnectedPrepareFloat(ctx, node, **in, **w, bias, **out);
    default:
      return TypeError(node, "input", 0, node.inputs[0], **in, "FLOAT32");
  }
}

Status FullyConnectedEvalFloat(KernelContext& ctx, Node& node, FullyConnectedOpData* d) {
  const Tensor& in = *ctx.input(node, 0);
  const Tensor* bias = ctx.input(node, 2);
  Tensor& out = *ctx.output(node, 0);
  if (d->batches == 0 || d->n == 0) return Status::Ok();
  const float* bias_data = bias ? bias->data_as<float>() : nullptr;
  if (!d->weights_packed) {
    LS_RETURN_IF_ERROR(PackFcWeights(node, *ctx.input(node, 1), bias_data, d));
  } else if (!d->bias_packed) {
    d->weights.SetBias(bias_data);
  }
  optimized::GemmF32(optimized::GemmInputF32::Dense(in.data_as<float>(), d->k), d->batches,
                     d->weights, out.data_as<float>(), d->n, d->act_min, d->act_max,
                     &ctx.thread_pool());
  return Status::Ok();
}

Status FullyConnectedEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  if (ctx.input(node, 1)->type == DataType::kInt4) return FullyConnectedEvalBlockwise(ctx, node);
  if (FullyConnectedIsQuantizedOrHybrid(in.type, ctx.input(node, 1)->type))
    return FullyConnectedEvalQuantized(ctx, node);
  FullyConnectedOpData* d = node.data_as<FullyConnectedOpData>();
  switch (in.type) {
    case DataType::kFloat32:
      return FullyConnectedEvalFloat(ctx, node, d);
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

}  // namespace

KernelRegistration MakeFullyConnectedKernel() {
  KernelRegistration r;
  r.name = "FULLY_CONNECTED";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::FULLY_CONNECTED);
  r.min_version = 1;
  r.max_version = 14;
  r.prepare = FullyConnectedPrepare;
  r.eval = FullyConnectedEval;
  r.types = "float32,int8,uint8,int16";
  return r;
}

}  // namespace litescope::runtime
