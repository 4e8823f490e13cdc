// CONCATENATION: joins the inputs along one axis. Float32 outputs apply the fused activation;
// UINT8 inputs whose quantization differs from the output's are requantized (as TFLite does),
// INT8/INT16 inputs must share the output's quantization.
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/concatenation.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct ConcatenationData : OpData {
  int axis = 0;
  std::vector<Shape> input_shapes;
  bool requantize = false;  // UINT8 inputs with differing quantization
  std::vector<float> input_scales;
  std::vector<int32_t> input_zero_points;
  float act_min = 0.f, act_max = 0.f;
  bool clamp = false;  // float32 with a fused activation
};

Status ConcatenationPrepare(KernelContext& ctx, Node& node) {
  if (node.inputs.empty())
    return InvalidModelError(fmt::format("{}: has no inputs", NodeLabel(node)));
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, static_cast<int>(node.inputs.size()), 1));
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  Tensor& out = **out_r;
  Result<Tensor*> first_r = RequireInput(ctx, node, 0);
  if (!first_r.ok()) return first_r.status();
  const Tensor& first = **first_r;
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, first));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, out, 0, first));

  Result<const ConcatenationParams*> params = NodeParams<ConcatenationParams>(node);
  if (!params.ok()) return params.status();
  const int64_t raw_axis = (*params)->axis;
  const FusedActivation act = (*params)->activation;
  auto data = std::make_unique<ConcatenationData>();
  const int rank = first.shape.rank();
  if (rank == 0) {
    // Scalars join into a vector (TFLite accepts axis 0 for them).
    if (raw_axis != 0 && raw_axis != -1)
      return InvalidModelError(
          fmt::format("{}: axis {} is invalid for scalar inputs", NodeLabel(node), raw_axis));
  } else {
    LS_RETURN_IF_ERROR(dm::NormalizeAxis(node, raw_axis, rank, &data->axis));
  }

  int64_t axis_sum = 0;
  for (int i = 0; i < static_cast<int>(node.inputs.size()); ++i) {
    Result<Tensor*> r = RequireInput(ctx, node, i);
    if (!r.ok()) return r.status();
    const Tensor& t = **r;
    if (t.type != first.type)
      return TypeError(node, "input", i, dm::InputIndex(node, i), t, DataTypeName(first.type));
    if (t.shape.rank() != rank)
      return InvalidModelError(fmt::format("{}: input {} has rank {}; input 0 has rank {}",
                                           NodeLabel(node), i, t.shape.rank(), rank));
    Shape s = rank == 0 ? Shape({1}) : t.shape;
    for (int d = 0; d < s.rank(); ++d) {
      if (d == data->axis) continue;
      if (s.dim(d) != (rank == 0 ? 1 : first.shape.dim(d)))
        return InvalidModelError(fmt::format(
            "{}: input {} has shape {}; it must match input 0 {} except along axis {}",
            NodeLabel(node), i, t.shape.ToString(), first.shape.ToString(), data->axis));
    }
    axis_sum += s.dim(data->axis);
    data->input_shapes.push_back(std::move(s));
    data->input_scales.push_back(dm::PerTensorScale(t));
    data->input_zero_points.push_back(static_cast<int32_t>(dm::PerTensorZeroPoint(t)));
  }
  if (!dm::FitsDim(axis_sum))
    return InvalidModelError(
        fmt::format("{}: concatenated axis size {} is too large", NodeLabel(node), axis_sum));

  // Quantization and activation.
  const float out_scale = dm::PerTensorScale(out);
  const int64_t out_zp = dm::PerTensorZeroPoint(out);
  if (first.type == DataType::kUInt8) {
    if (act != FusedActivation::kNone)
      return UnsupportedOpError(
          fmt::format("{}: a fused activation is supported for FLOAT32 only", NodeLabel(node)));
    for (size_t i = 0; i < data->input_scales.size(); ++i)
      if (data->input_scales[i] != out_scale || data->input_zero_points[i] != out_zp)
        data->requantize = true;
    if (data->requantize && !(out_scale > 0.f))
      return InvalidModelError(
          fmt::format("{}: output scale {} must be positive", NodeLabel(node), out_scale));
  } else if (first.type == DataType::kInt8 || first.type == DataType::kInt16) {
    if (act != FusedActivation::kNone)
      return UnsupportedOpError(
          fmt::format("{}: a fused activation is supported for FLOAT32 only", NodeLabel(node)));
    for (int i = 0; i < static_cast<int>(node.inputs.size()); ++i) {
      const Tensor& t = *ctx.input(node, i);
      if (first.type == DataType::kInt8) {
        LS_RETURN_IF_ERROR(dm::ExpectSameQuantization(node, "input", i, t, "output", 0, out));
      } else if (dm::PerTensorZeroPoint(t) != 0 || out_zp != 0) {
        return InvalidModelError(fmt::format(
            "{}: INT16 input {} and the output must have zero point 0", NodeLabel(node), i));
      }
    }
  } else if (act != FusedActivation::kNone) {
    if (first.type != DataType::kFloat32)
      return UnsupportedOpError(
          fmt::format("{}: a fused activation is supported for FLOAT32 only", NodeLabel(node)));
    if (act == FusedActivation::kTanh || act == FusedActivation::kSignBit)
      return UnsupportedOpError(fmt::format("{}: fused activation {} is not supported",
                                            NodeLabel(node), static_cast<int>(act)));
    data->clamp = true;
    FloatActivationRange(act, &data->act_min, &data->act_max);
  }

  std::vector<int32_t> dims = data->input_shapes[0].dims();
  dims[static_cast<size_t>(data->axis)] = static_cast<int32_t>(axis_sum);
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, Shape(std::move(dims))));
  node.data = std::move(data);
  return Status::Ok();
}

Status ConcatenationEval(KernelContext& ctx, Node& node) {
  const ConcatenationData& data = *node.data_as<ConcatenationData>();
  Tensor& out = *ctx.output(node, 0);
  const int n = static_cast<int>(node.inputs.size());
  for (int i = 0; i < n; ++i)
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", i, *ctx.input(node, i)));
  if (out.shape.FlatSize() == 0) return Status::Ok();
  // Typed pointers to every input's data.
  auto inputs = [&](auto tag) {
    using T = decltype(tag);
    std::vector<const T*> p(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
      p[static_cast<size_t>(i)] = ctx.input(node, i)->template data_as<T>();
    return p;
  };
  if (data.requantize) {
    const std::vector<const uint8_t*> in = inputs(uint8_t{});
    reference::ConcatenationWithScaling(data.axis, data.input_shapes, in.data(), data.input_scales,
                                        data.input_zero_points, out.shape, dm::PerTensorScale(out),
                                        static_cast<int32_t>(dm::PerTensorZeroPoint(out)),
                                        out.data_as<uint8_t>());
    return Status::Ok();
  }
  const bool ok = dm::VisitElementSize(DataTypeSize(out.type), [&](auto tag) {
    using T = decltype(tag);
    const std::vector<const T*> in = inputs(tag);
    reference::Concatenation(data.axis, data.input_shapes, in.data(), out.shape, out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, out);
  if (data.clamp)
    reference::ClampFloat(out.data_as<float>(), out.shape.FlatSize(), data.act_min, data.act_max);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeConcatenationKernel() {
  return {"CONCATENATION",
          static_cast<int32_t>(schema::BuiltinOperator::CONCATENATION),
          1,
          5,
          ConcatenationPrepare,
          ConcatenationEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
