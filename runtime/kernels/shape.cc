// SHAPE: the input's dimensions as a 1-D INT32 or INT64 tensor (the output's type decides).
#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

Status ShapePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  if ((*out)->type != DataType::kInt32 && (*out)->type != DataType::kInt64)
    return TypeError(node, "output", 0, dm::OutputIndex(node, 0), **out, "INT32 or INT64");
  node.data = std::make_unique<OpData>();
  return ctx.ResizeTensor(**out, Shape({(*in)->shape.rank()}));
}

// The output depends only on the input's shape, which is final once Eval runs.
Status ShapeEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.shape.FlatSize() != in.shape.rank())
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, Shape({in.shape.rank()})));
  for (int d = 0; d < in.shape.rank(); ++d) {
    if (out.type == DataType::kInt32)
      out.data_as<int32_t>()[d] = in.shape.dim(d);
    else
      out.data_as<int64_t>()[d] = in.shape.dim(d);
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeShapeKernel() {
  return {"SHAPE",
          static_cast<int32_t>(schema::BuiltinOperator::SHAPE),
          1,
          1,
          ShapePrepare,
          ShapeEval,
          "int32,int64"};
}

}  // namespace litescope::runtime
