// ARG_MAX and ARG_MIN: index of the largest / smallest value along the axis given by input 1.
// The output type (INT32 or INT64) is the output tensor's; quantized inputs compare raw values,
// which orders them like the real values they encode (scales are positive).
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/arg_min_max.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct ArgMinMaxData : OpData {
  bool dynamic = false;
  int axis = 0;
};

Result<Shape> ReducedShape(const Node& node, const Tensor& in, const Tensor& axis_tensor,
                           int* axis) {
  LS_RETURN_IF_ERROR(dm::ReadAxis(node, 1, axis_tensor, in.shape.rank(), axis));
  if (in.shape.dim(*axis) == 0)
    return InvalidArgumentError(
        fmt::format("{}: axis {} of {} is empty", NodeLabel(node), *axis, in.shape.ToString()));
  std::vector<int32_t> dims = in.shape.dims();
  dims.erase(dims.begin() + *axis);
  return Shape(std::move(dims));
}

Status ArgMinMaxPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> axis = RequireInput(ctx, node, 1);
  if (!axis.ok()) return axis.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  switch ((*in)->type) {
    case DataType::kFloat32:
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
    case DataType::kBool:
      break;
    default:
      return TypeError(node, "input", 0, dm::InputIndex(node, 0), **in,
                       "FLOAT32, INT8, UINT8, INT16, INT32, INT64 or BOOL");
  }
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **axis));
  if ((*out)->type != DataType::kInt32 && (*out)->type != DataType::kInt64)
    return TypeError(node, "output", 0, dm::OutputIndex(node, 0), **out, "INT32 or INT64");
  if ((*in)->shape.rank() < 1)
    return InvalidModelError(fmt::format("{}: input must have rank >= 1", NodeLabel(node)));
  auto data = std::make_unique<ArgMinMaxData>();
  if ((*axis)->is_constant()) {
    Result<Shape> shape = ReducedShape(node, **in, **axis, &data->axis);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, *shape));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

template <typename T>
void RunArgMinMax(const Tensor& in, int axis, bool is_max, Tensor& out) {
  if (out.type == DataType::kInt32)
    reference::ArgMinMax(in.shape, axis, is_max, in.data_as<T>(), out.data_as<int32_t>());
  else
    reference::ArgMinMax(in.shape, axis, is_max, in.data_as<T>(), out.data_as<int64_t>());
}

Status ArgMinMaxEval(KernelContext& ctx, Node& node, bool is_max) {
  ArgMinMaxData& data = *node.data_as<ArgMinMaxData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (data.dynamic) {
    const Tensor& axis = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, axis));
    Result<Shape> shape = ReducedShape(node, in, axis, &data.axis);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, *shape));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kFloat32:
      RunArgMinMax<float>(in, data.axis, is_max, out);
      break;
    case DataType::kInt8:
      RunArgMinMax<int8_t>(in, data.axis, is_max, out);
      break;
    case DataType::kUInt8:
      RunArgMinMax<uint8_t>(in, data.axis, is_max, out);
      break;
    case DataType::kInt16:
      RunArgMinMax<int16_t>(in, data.axis, is_max, out);
      break;
    case DataType::kInt32:
      RunArgMinMax<int32_t>(in, data.axis, is_max, out);
      break;
    case DataType::kInt64:
      RunArgMinMax<int64_t>(in, data.axis, is_max, out);
      break;
    case DataType::kBool:
      RunArgMinMax<uint8_t>(in, data.axis, is_max, out);
      break;
    default:
      return dm::UnsupportedElementSize(node, in);
  }
  return Status::Ok();
}

Status ArgMaxEval(KernelContext& ctx, Node& node) { return ArgMinMaxEval(ctx, node, true); }
Status ArgMinEval(KernelContext& ctx, Node& node) { return ArgMinMaxEval(ctx, node, false); }

}  // namespace

KernelRegistration MakeArgMaxKernel() {
  return {"ARG_MAX",
          static_cast<int32_t>(schema::BuiltinOperator::ARG_MAX),
          1,
          3,
          ArgMinMaxPrepare,
          ArgMaxEval,
          "float32,int8,uint8,int16,int32,int64,bool"};
}

KernelRegistration MakeArgMinKernel() {
  return {"ARG_MIN",
          static_cast<int32_t>(schema::BuiltinOperator::ARG_MIN),
          1,
          3,
          ArgMinMaxPrepare,
          ArgMinEval,
          "float32,int8,uint8,int16,int32,int64,bool"};
}

}  // namespace litescope::runtime
