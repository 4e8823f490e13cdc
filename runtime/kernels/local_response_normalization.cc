// LOCAL_RESPONSE_NORMALIZATION over the channel axis of a 4-D NHWC tensor.
#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/normalization.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

struct LrnOpData : OpData {
  reference::LrnParams params;
};

Status LrnPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  auto data = std::make_unique<LrnOpData>();
  // Without an options table every field is 0 (the schema defaults).
  Result<const LocalResponseNormParams*> params = NodeParams<LocalResponseNormParams>(node);
  if (!params.ok()) return params.status();
  data->params.radius = (*params)->radius;
  data->params.bias = (*params)->bias;
  data->params.alpha = (*params)->alpha;
  data->params.beta = (*params)->beta;
  if (data->params.radius < 0)
    return InvalidModelError(
        fmt::format("{}: radius {} is negative", NodeLabel(node), data->params.radius));
  node.data = std::move(data);
  return ctx.ResizeTensor(out, in.shape);
}

Status LrnEval(KernelContext& ctx, Node& node) {
  const reference::LrnParams& p = node.data_as<LrnOpData>()->params;
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(3);
  switch (in.type) {
    case DataType::kFloat32:
      reference::LocalResponseNormalizeFloat(p, in.data_as<float>(), out.data_as<float>(),
                                             in.elements() / depth, depth);
      return Status::Ok();
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

}  // namespace

KernelRegistration MakeLocalResponseNormalizationKernel() {
  KernelRegistration r;
  r.name = "LOCAL_RESPONSE_NORMALIZATION";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::LOCAL_RESPONSE_NORMALIZATION);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = LrnPrepare;
  r.eval = LrnEval;
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
