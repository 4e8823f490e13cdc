// L2_NORMALIZATION along the last axis (rank 1 to 4, as TFLite). The fused activation in
// L2NormOptions is ignored, as TFLite's float kernel does.
#include <fmt/format.h>

#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/normalization.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

Status L2NormPrepare(KernelContext& ctx, Node& node) {
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
  if (in.shape.rank() < 1 || in.shape.rank() > 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 1 to 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  return ctx.ResizeTensor(out, in.shape);
}

Status L2NormEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  switch (in.type) {
    case DataType::kFloat32:
      reference::L2NormalizeFloat(in.data_as<float>(), out.data_as<float>(),
                                  in.elements() / depth, depth);
      return Status::Ok();
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

}  // namespace

KernelRegistration MakeL2NormalizationKernel() {
  KernelRegistration r;
  r.name = "L2_NORMALIZATION";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::L2_NORMALIZATION);
  r.min_version = 1;
  r.max_version = 2;
  r.prepare = L2NormPrepare;
  r.eval = L2NormEval;
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
