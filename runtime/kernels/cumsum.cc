// CUMSUM: running sums along the axis given by input 1 (options: exclusive, reverse).
#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/cumsum.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct CumsumData : OpData {
  bool exclusive = false;
  bool reverse = false;
};

Status CumsumPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> axis = RequireInput(ctx, node, 1);
  if (!axis.ok()) return axis.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  const DataType t = (*in)->type;
  if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64)
    return TypeError(node, "input", 0, dm::InputIndex(node, 0), **in, "FLOAT32, INT32 or INT64");
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **axis));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  if ((*in)->shape.rank() < 1)
    return InvalidModelError(fmt::format("{}: input must have rank >= 1", NodeLabel(node)));
  if ((*axis)->is_constant()) {  // fail early; Eval reads the axis again
    int a = 0;
    LS_RETURN_IF_ERROR(dm::ReadAxis(node, 1, **axis, (*in)->shape.rank(), &a));
  }
  auto data = std::make_unique<CumsumData>();
  Result<const CumsumParams*> params = NodeParams<CumsumParams>(node);
  if (!params.ok()) return params.status();
  data->exclusive = (*params)->exclusive;
  data->reverse = (*params)->reverse;
  node.data = std::move(data);
  return ctx.ResizeTensor(**out, (*in)->shape);
}

Status CumsumEval(KernelContext& ctx, Node& node) {
  const CumsumData& data = *node.data_as<CumsumData>();
  const Tensor& in = *ctx.input(node, 0);
  const Tensor& axis_tensor = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, axis_tensor));
  int axis = 0;
  LS_RETURN_IF_ERROR(dm::ReadAxis(node, 1, axis_tensor, in.shape.rank(), &axis));
  if (out.shape.FlatSize() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kFloat32:
      reference::Cumsum(in.shape, axis, data.exclusive, data.reverse, in.data_as<float>(),
                        out.data_as<float>());
      break;
    case DataType::kInt32:
      reference::Cumsum(in.shape, axis, data.exclusive, data.reverse, in.data_as<int32_t>(),
                        out.data_as<int32_t>());
      break;
    default:
      reference::Cumsum(in.shape, axis, data.exclusive, data.reverse, in.data_as<int64_t>(),
                        out.data_as<int64_t>());
      break;
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeCumsumKernel() {
  return {"CUMSUM",
          static_cast<int32_t>(schema::BuiltinOperator::CUMSUM),
          1,
          1,
          CumsumPrepare,
          CumsumEval,
          "float32,int32,int64"};
}

}  // namespace litescope::runtime
