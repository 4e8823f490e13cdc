// DEQUANTIZE: FLOAT16 -> FLOAT32, and INT8/UINT8/INT16 -> FLOAT32 with per-tensor or
// per-channel (quantized_dimension) affine parameters.
#include <fmt/format.h>

#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/quantization.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

constexpr const char* kDequantizeTypes = "FLOAT16, INT8, UINT8 or INT16";

Status DequantizeCompute(const Node& node, const Tensor& in, Tensor& out);

Status DequantizePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  switch (in.type) {
    case DataType::kFloat16:
      break;
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kInt16: {
      const QuantParams& q = in.quant;
      if (q.empty())
        return InvalidModelError(fmt::format("{}: input (tensor {}) has no quantization parameters",
                                             NodeLabel(node), node.inputs[0]));
      if (q.zero_point.size() != q.scale.size())
        return InvalidModelError(
            fmt::format("{}: input (tensor {}) has {} scales but {} zero points", NodeLabel(node),
                        node.inputs[0], q.scale.size(), q.zero_point.size()));
      if (q.per_channel()) {
        const int axis = q.quantized_dimension;
        if (axis < 0 || axis >= in.shape.rank() ||
            static_cast<size_t>(in.shape.dim(axis)) != q.scale.size())
          return InvalidModelError(fmt::format(
              "{}: input (tensor {}) has {} scales along dimension {} of shape {}", NodeLabel(node),
              node.inputs[0], q.scale.size(), axis, in.shape.ToString()));
      }
      break;
    }
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, kDequantizeTypes);
  }
  if (out.type != DataType::kFloat32)
    return TypeError(node, "output", 0, node.outputs[0], out, "FLOAT32");
  if (!in.is_constant()) return ctx.ResizeTensor(out, in.shape);
  // Constant weights (float16 or int8 storage): dequantize once, so consumers see a constant
  // they can pack in their own Prepare.
  LS_RETURN_IF_ERROR(ctx.FoldToConstant(out, in.shape));
  return DequantizeCompute(node, in, out);
}

template <typename T>
void DequantizeAffine(const Tensor& in, float* out) {
  const QuantParams& q = in.quant;
  const T* x = in.data_as<T>();
  if (!q.per_channel()) {
    reference::DequantizePerTensor(x, in.elements(), q.scale[0], q.zero_point[0], out);
    return;
  }
  const int axis = q.quantized_dimension;
  reference::DequantizePerChannel(x, in.shape.FlatSize(0, axis), in.shape.dim(axis),
                                  in.shape.FlatSize(axis + 1, in.shape.rank()), q.scale.data(),
                                  q.zero_point.data(), out);
}

Status DequantizeCompute(const Node& node, const Tensor& in, Tensor& out) {
  if (out.elements() == 0) return Status::Ok();
  float* y = out.data_as<float>();
  switch (in.type) {
    case DataType::kFloat16:
      reference::Float16ToFloat32(in.data_as<uint16_t>(), in.elements(), y);
      return Status::Ok();
    case DataType::kInt8:
      DequantizeAffine<int8_t>(in, y);
      return Status::Ok();
    case DataType::kUInt8:
      DequantizeAffine<uint8_t>(in, y);
      return Status::Ok();
    case DataType::kInt16:
      DequantizeAffine<int16_t>(in, y);
      return Status::Ok();
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, kDequantizeTypes);
  }
}

Status DequantizeEval(KernelContext& ctx, Node& node) {
  Tensor& out = *ctx.output(node, 0);
  if (out.allocation == Allocation::kFolded) return Status::Ok();  // done once in Prepare
  return DequantizeCompute(node, *ctx.input(node, 0), out);
}

}  // namespace

KernelRegistration MakeDequantizeKernel() {
  KernelRegistration r;
  r.name = "DEQUANTIZE";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::DEQUANTIZE);
  r.min_version = 1;
  r.max_version = 8;
  r.prepare = DequantizePrepare;
  r.eval = DequantizeEval;
  r.types = "float16,int8,uint8,int16";
  return r;
}

}  // namespace litescope::runtime
