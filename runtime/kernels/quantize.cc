// QUANTIZE: FLOAT32 -> INT8/UINT8/INT16 with the output's per-tensor or per-channel affine
// parameters, rounding half away from zero and saturating, as TFLite does. Requantization
// (integer input) is not served yet.
#include <fmt/format.h>

#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/quantization.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

Status QuantizePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  if (out.type != DataType::kInt8 && out.type != DataType::kUInt8 &&
      out.type != DataType::kInt16)
    return TypeError(node, "output", 0, node.outputs[0], out, "INT8, UINT8 or INT16");
  const QuantParams& q = out.quant;
  if (q.empty() || q.zero_point.size() != q.scale.size())
    return InvalidModelError(fmt::format("{}: output (tensor {}) lacks quantization parameters",
                                         NodeLabel(node), node.outputs[0]));
  for (float s : q.scale)
    if (!(s > 0.f))
      return InvalidModelError(fmt::format("{}: output (tensor {}) has scale {}; expected > 0",
                                           NodeLabel(node), node.outputs[0], s));
  if (q.per_channel()) {
    const int axis = q.quantized_dimension;
    if (axis < 0 || axis >= in.shape.rank() ||
        static_cast<size_t>(in.shape.dim(axis)) != q.scale.size())
      return InvalidModelError(fmt::format(
          "{}: output (tensor {}) has {} scales along dimension {} of shape {}", NodeLabel(node),
          node.outputs[0], q.scale.size(), axis, in.shape.ToString()));
  }
  return ctx.ResizeTensor(out, in.shape);
}

template <typename T>
void QuantizeAffine(const float* x, const Tensor& in, Tensor& out) {
  const QuantParams& q = out.quant;
  T* y = out.data_as<T>();
  if (!q.per_channel()) {
    reference::QuantizePerTensor<T>(x, in.elements(), q.scale[0], q.zero_point[0], y);
    return;
  }
  const int axis = q.quantized_dimension;
  reference::QuantizePerChannel<T>(x, in.shape.FlatSize(0, axis), in.shape.dim(axis),
                                   in.shape.FlatSize(axis + 1, in.shape.rank()), q.scale.data(),
                                   q.zero_point.data(), y);
}

Status QuantizeEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  const float* x = in.data_as<float>();
  switch (out.type) {
    case DataType::kInt8:
      QuantizeAffine<int8_t>(x, in, out);
      return Status::Ok();
    case DataType::kUInt8:
      QuantizeAffine<uint8_t>(x, in, out);
      return Status::Ok();
    case DataType::kInt16:
      QuantizeAffine<int16_t>(x, in, out);
      return Status::Ok();
    default:
      return TypeError(node, "output", 0, node.outputs[0], out, "INT8, UINT8 or INT16");
  }
}

}  // namespace

KernelRegistration MakeQuantizeKernel() {
  KernelRegistration r;
  r.name = "QUANTIZE";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::QUANTIZE);
  r.min_version = 1;
  r.max_version = 5;
  r.prepare = QuantizePrepare;
  r.eval = QuantizeEval;
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
