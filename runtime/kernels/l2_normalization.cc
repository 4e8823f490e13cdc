// L2_NORMALIZATION along the last axis (rank 1 to 4, as TFLite). The fused activation in
// L2NormOptions is ignored, as TFLite's float kernel does.
#include <fmt/format.h>

#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/normalization.h"
#include "runtime/kernels/reference/normalization_quantized.h"
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
  const bool quantized = in.type == DataType::kInt8 || in.type == DataType::kUInt8;
  if (in.type != DataType::kFloat32 && !quantized)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8 or UINT8");
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (in.shape.rank() < 1 || in.shape.rank() > 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 1 to 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (quantized) {
    // The integer kernel writes values in steps of 1/128 around a fixed zero point.
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
    const int64_t want_zp = in.type == DataType::kInt8 ? 0 : 128;
    if (out.quant.scale[0] != 1.f / 128.f || out.quant.zero_point[0] != want_zp)
      return InvalidModelError(fmt::format(
          "{}: output (tensor {}) is quantized as ({}, {}); expected (0.0078125, {})",
          NodeLabel(node), node.outputs[0], out.quant.scale[0], out.quant.zero_point[0], want_zp));
  }
  return ctx.ResizeTensor(out, in.shape);
}

Status L2NormEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  switch (in.type) {
    case DataType::kFloat32:
      reference::L2NormalizeFloat(in.data_as<float>(), out.data_as<float>(), in.elements() / depth,
                                  depth);
      return Status::Ok();
    case DataType::kInt8:
      reference::L2NormalizeQuantized(static_cast<int32_t>(in.quant.zero_point[0]),
                                      in.data_as<int8_t>(), out.data_as<int8_t>(),
                                      in.elements() / depth, depth);
      return Status::Ok();
    case DataType::kUInt8:
      reference::L2NormalizeQuantized(static_cast<int32_t>(in.quant.zero_point[0]),
                                      in.data_as<uint8_t>(), out.data_as<uint8_t>(),
                                      in.elements() / depth, depth);
      return Status::Ok();
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8 or UINT8");
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
  r.types = "float32,int8,uint8";
  return r;
}

}  // namespace litescope::runtime
