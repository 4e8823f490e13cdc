// VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE: resource variables that live in the
// Interpreter and keep their value across invocations. A RESOURCE tensor holds one int32 id.
#include <cstring>

#include <fmt/format.h>

#include "runtime/interpreter.h"
#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

Result<int> ResourceIdOf(const Node& node, const Tensor& handle) {
  if (handle.type != DataType::kResource || !handle.data || handle.bytes < 4)
    return InvalidModelError(fmt::format("{}: input 0 is not a resource handle", NodeLabel(node)));
  return *handle.data_as<int32_t>();
}

Status VarHandlePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 0, 0, 1));
  Result<const VarHandleParams*> params = NodeParams<VarHandleParams>(node);
  if (!params.ok()) return params.status();
  Tensor* out = ctx.output(node, 0);
  if (!out || out->type != DataType::kResource)
    return InvalidModelError(fmt::format("{}: output must be a RESOURCE tensor", NodeLabel(node)));
  return ctx.ResizeTensor(*out, Shape{1});
}

Status VarHandleEval(KernelContext& ctx, Node& node) {
  Result<const VarHandleParams*> params = NodeParams<VarHandleParams>(node);
  if (!params.ok()) return params.status();
  const VarHandleParams& opts = **params;
  *ctx.output(node, 0)->data_as<int32_t>() =
      ctx.interpreter().ResourceId(opts.container, opts.shared_name);
  return Status::Ok();
}

Status AssignVariablePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 0));
  if (!ctx.input(node, 0) || !ctx.input(node, 1))
    return InvalidModelError(fmt::format("{}: inputs are missing", NodeLabel(node)));
  return Status::Ok();
}

Status AssignVariableEval(KernelContext& ctx, Node& node) {
  Result<int> id = ResourceIdOf(node, *ctx.input(node, 0));
  if (!id.ok()) return id.status();
  return ctx.interpreter().AssignResource(*id, *ctx.input(node, 1)).WithContext(NodeLabel(node));
}

Status ReadVariablePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Tensor* out = ctx.output(node, 0);
  if (!ctx.input(node, 0) || !out)
    return InvalidModelError(fmt::format("{}: tensors are missing", NodeLabel(node)));
  // The value's shape is known only once the variable has been assigned.
  ctx.SetDynamic(*out);
  return Status::Ok();
}

Status ReadVariableEval(KernelContext& ctx, Node& node) {
  Result<int> id = ResourceIdOf(node, *ctx.input(node, 0));
  if (!id.ok()) return id.status();
  const Tensor* value = ctx.interpreter().resource(*id);
  if (!value || !value->data)
    return InvalidModelError(
        fmt::format("{}: variable {} is read before it is assigned", NodeLabel(node), *id));
  Tensor* out = ctx.output(node, 0);
  if (out->type != value->type)
    return InvalidModelError(fmt::format("{}: variable holds {} but the output is {}",
                                         NodeLabel(node), DataTypeName(value->type),
                                         DataTypeName(out->type)));
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(*out, value->shape));
  if (out->bytes != value->bytes) return InternalError(NodeLabel(node) + ": size mismatch");
  if (out->bytes) std::memcpy(out->data, value->data, out->bytes);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeAssignVariableKernel() {
  return {"ASSIGN_VARIABLE",
          static_cast<int32_t>(schema::BuiltinOperator::ASSIGN_VARIABLE),
          1,
          1,
          AssignVariablePrepare,
          AssignVariableEval,
          "any"};
}

KernelRegistration MakeReadVariableKernel() {
  return {"READ_VARIABLE",
          static_cast<int32_t>(schema::BuiltinOperator::READ_VARIABLE),
          1,
          1,
          ReadVariablePrepare,
          ReadVariableEval,
          "any"};
}

KernelRegistration MakeVarHandleKernel() {
  return {"VAR_HANDLE",
          static_cast<int32_t>(schema::BuiltinOperator::VAR_HANDLE),
          1,
          1,
          VarHandlePrepare,
          VarHandleEval,
          "resource"};
}

}  // namespace litescope::runtime
