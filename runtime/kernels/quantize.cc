// QUANTIZE:
//  - FLOAT32 -> INT8/UINT8/INT16 with the output's per-tensor or per-channel affine parameters,
//    rounding half away from zero and saturating, as TFLite does;
//  - requantization (per-tensor) with TFLite's fixed-point multiplier, so results match it bit
//    for bit, for the pairs TFLite serves: INT8/UINT8 -> INT8/UINT8 and INT16 -> INT8/INT16
//    (INT16 -> INT16 with zero points 0).
#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/quantization.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

constexpr const char* kIntegerTypes = "INT8, UINT8 or INT16";

bool IsQuantizedType(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
}

struct QuantizeOpData : OpData {
  int32_t multiplier = 0;  // requantization: in_scale / out_scale in fixed point
  int shift = 0;
};

// Checks that `t` has usable affine parameters (positive scales, per-channel ones along a
// valid dimension of matching size).
Status CheckQuantParams(const Node& node, const char* role, int tensor_index, const Tensor& t,
                        bool allow_per_channel) {
  const QuantParams& q = t.quant;
  if (q.empty() || q.zero_point.size() != q.scale.size())
    return InvalidModelError(fmt::format("{}: {} (tensor {}) lacks quantization parameters",
                                         NodeLabel(node), role, tensor_index));
  for (float s : q.scale)
    if (!(s > 0.f))
      return InvalidModelError(fmt::format("{}: {} (tensor {}) has scale {}; expected > 0",
                                           NodeLabel(node), role, tensor_index, s));
  if (!q.per_channel()) return Status::Ok();
  if (!allow_per_channel)
    return UnsupportedOpError(
        fmt::format("{}: {} (tensor {}) is quantized per channel; requantization needs per-tensor",
                    NodeLabel(node), role, tensor_index));
  const int axis = q.quantized_dimension;
  if (axis < 0 || axis >= t.shape.rank() ||
      static_cast<size_t>(t.shape.dim(axis)) != q.scale.size())
    return InvalidModelError(
        fmt::format("{}: {} (tensor {}) has {} scales along dimension {} of shape {}",
                    NodeLabel(node), role, tensor_index, q.scale.size(), axis, t.shape.ToString()));
  return Status::Ok();
}

Status QuantizePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  if (in.type != DataType::kFloat32 && !IsQuantizedType(in.type))
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8, UINT8 or INT16");
  if (!IsQuantizedType(out.type))
    return TypeError(node, "output", 0, node.outputs[0], out, kIntegerTypes);
  auto data = std::make_unique<QuantizeOpData>();
  if (in.type == DataType::kFloat32) {
    // Per-channel parameters are read against the output's shape, which equals the input's.
    Tensor shaped = out;
    shaped.shape = in.shape;
    LS_RETURN_IF_ERROR(CheckQuantParams(node, "output", node.outputs[0], shaped, true));
  } else {
    const bool from_int16 = in.type == DataType::kInt16;
    const bool pair_ok = from_int16 ? (out.type == DataType::kInt8 || out.type == DataType::kInt16)
                                    : (out.type == DataType::kInt8 || out.type == DataType::kUInt8);
    if (!pair_ok)
      return TypeError(
          node, "output", 0, node.outputs[0], out,
          from_int16 ? "INT8 or INT16 (for an INT16 input)" : "INT8 or UINT8 (for an 8-bit input)");
    LS_RETURN_IF_ERROR(CheckQuantParams(node, "input", node.inputs[0], in, false));
    LS_RETURN_IF_ERROR(CheckQuantParams(node, "output", node.outputs[0], out, false));
    if (from_int16 && out.type == DataType::kInt16 &&
        (in.quant.zero_point[0] != 0 || out.quant.zero_point[0] != 0))
      return InvalidModelError(fmt::format(
          "{}: INT16 to INT16 requantization needs zero points 0; got {} (tensor {}) and {} "
          "(tensor {})",
          NodeLabel(node), in.quant.zero_point[0], node.inputs[0], out.quant.zero_point[0],
          node.outputs[0]));
    const double real = static_cast<double>(in.quant.scale[0]) / out.quant.scale[0];
    fixed_point::QuantizeMultiplier(real, &data->multiplier, &data->shift);
  }
  node.data = std::move(data);
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

template <typename In>
Status RequantizeFrom(const Node& node, const QuantizeOpData& d, const Tensor& in, Tensor& out) {
  const In* x = in.data_as<In>();
  const int64_t n = in.elements();
  const auto in_zp = static_cast<int32_t>(in.quant.zero_point[0]);
  const auto out_zp = static_cast<int32_t>(out.quant.zero_point[0]);
  switch (out.type) {
    case DataType::kInt8:
      reference::Requantize(x, n, in_zp, d.multiplier, d.shift, out_zp, out.data_as<int8_t>());
      return Status::Ok();
    case DataType::kUInt8:
      reference::Requantize(x, n, in_zp, d.multiplier, d.shift, out_zp, out.data_as<uint8_t>());
      return Status::Ok();
    case DataType::kInt16:
      reference::Requantize(x, n, in_zp, d.multiplier, d.shift, out_zp, out.data_as<int16_t>());
      return Status::Ok();
    default:
      return TypeError(node, "output", 0, node.outputs[0], out, kIntegerTypes);
  }
}

Status QuantizeEval(KernelContext& ctx, Node& node) {
  const QuantizeOpData& d = *node.data_as<QuantizeOpData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kFloat32: {
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
          return TypeError(node, "output", 0, node.outputs[0], out, kIntegerTypes);
      }
    }
    case DataType::kInt8:
      return RequantizeFrom<int8_t>(node, d, in, out);
    case DataType::kUInt8:
      return RequantizeFrom<uint8_t>(node, d, in, out);
    case DataType::kInt16:
      return RequantizeFrom<int16_t>(node, d, in, out);
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8, UINT8 or INT16");
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
  r.types = "float32,int8,uint8,int16";
  return r;
}

}  // namespace litescope::runtime
