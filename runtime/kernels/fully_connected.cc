#include <fmt/format.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fully_connected_blockwise.h"
#include "runtime/kernels/fully_connected_quantized.h"
#include "runtime/kernels/internal/fully_connected_shape.h"
#include "runtime/kernels/internal/type_table.h"
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
  bool weights_packed = false;        // constant weights, packed in Prepare
  bool bias_packed = false;           // constant (or absent) bias, set in Prepare
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

Status FullyConnectedPrepareFloat(KernelContext& ctx, Node& node, const Tensor& in, const Tensor& w,
                                  const Tensor* bias, Tensor& out) {
  if (w.type != DataType::kFloat32)
    return TypeError(node, "input", 1, node.inputs[1], w, "FLOAT32");
  if (bias && bias->type != DataType::kFloat32)
    return TypeError(node, "input", 2, node.inputs[2], *bias, "FLOAT32");
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  Result<const FullyConnectedParams*> params = DefaultFormatFullyConnectedParams(node);
  if (!params.ok()) return params.status();
  const FullyConnectedParams& opts = **params;
  const bool keep_num_dims = opts.keep_num_dims;
  const FusedActivation act = opts.activation;
  int n = 0;
  int k = 0;
  LS_RETURN_IF_ERROR(FullyConnectedWeightsShape(node, w, &n, &k));
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
    if (old && old->weights_packed && old->packed_from == w.data && old->k == k && old->n == n) {
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

// FLOAT32 input: float weights, or INT8 weights (hybrid, fully_connected_quantized.cc).
Status PrepareFloatOrHybrid(KernelContext& ctx, Node& node, const Tensor& in, const Tensor& w,
                            const Tensor* bias, Tensor& out) {
  if (FullyConnectedIsQuantizedOrHybrid(in.type, w.type))
    return FullyConnectedPrepareQuantized(ctx, node, in, w, bias, out);
  return FullyConnectedPrepareFloat(ctx, node, in, w, bias, out);
}
Status EvalFloatOrHybrid(KernelContext& ctx, Node& node) {
  if (FullyConnectedIsQuantizedOrHybrid(ctx.input(node, 0)->type, ctx.input(node, 1)->type))
    return FullyConnectedEvalQuantized(ctx, node);
  return FullyConnectedEvalFloat(ctx, node, node.data_as<FullyConnectedOpData>());
}

// The types of input 0 served, with their variants: drives the dispatch, the registration's
// types and the "unsupported type" message (internal/type_table.h). INT4 weights go to the
// blockwise variant first, whatever the input (fully_connected_blockwise.cc checks it).
struct FullyConnectedVariant {
  DataType type;
  Status (*prepare)(KernelContext&, Node&, const Tensor&, const Tensor&, const Tensor*, Tensor&);
  Status (*eval)(KernelContext&, Node&);
};
constexpr FullyConnectedVariant kVariants[] = {
    {DataType::kFloat32, PrepareFloatOrHybrid, EvalFloatOrHybrid},
    {DataType::kInt8, FullyConnectedPrepareQuantized, FullyConnectedEvalQuantized},
    {DataType::kUInt8, FullyConnectedPrepareQuantized, FullyConnectedEvalQuantized},
    {DataType::kInt16, FullyConnectedPrepareQuantized, FullyConnectedEvalQuantized},
};

Status UnservedType(const Node& node, const Tensor& in) {
  return TypeError(node, "input", 0, node.inputs[0], in, ServedTypeNames(kVariants).c_str());
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
  if ((*w)->type == DataType::kInt4)        // fully_connected_blockwise.cc
    return FullyConnectedPrepareBlockwise(ctx, node, **in, **w, bias, **out);
  const FullyConnectedVariant* v = FindServedType(kVariants, (*in)->type);
  if (!v) return UnservedType(node, **in);
  return v->prepare(ctx, node, **in, **w, bias, **out);
}

Status FullyConnectedEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  if (ctx.input(node, 1)->type == DataType::kInt4) return FullyConnectedEvalBlockwise(ctx, node);
  const FullyConnectedVariant* v = FindServedType(kVariants, in.type);
  if (!v) return UnservedType(node, in);
  return v->eval(ctx, node);
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
  static const std::string types = ServedTypesDeclaration(kVariants);
  r.types = types.c_str();
  return r;
}

}  // namespace litescope::runtime
