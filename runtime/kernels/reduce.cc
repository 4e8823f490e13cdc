// MEAN, SUM, REDUCE_PROD, REDUCE_MAX and REDUCE_MIN: input, axis tensor (int32 or int64;
// negative and duplicate axes allowed), ReducerOptions.keep_dims. A non-constant axis tensor
// makes the output dynamic: its shape is computed in Eval.
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/reduce.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

enum class ReduceOp { kMean, kSum, kProd, kMax, kMin };

struct ReduceOpData : OpData {
  bool keep_dims = false;
  bool dynamic = false;          // axes known only in Eval
  std::vector<bool> reduced;     // per input dimension; valid when !dynamic
};

// Reads the axis tensor's values (int32 or int64).
std::vector<int64_t> AxisValues(const Tensor& axis) {
  std::vector<int64_t> v(static_cast<size_t>(axis.elements()));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = axis.type == DataType::kInt32 ? axis.data_as<int32_t>()[i]
                                         : axis.data_as<int64_t>()[i];
  return v;
}

Status ResolveNodeAxes(const Node& node, const Tensor& in, const Tensor& axis,
                       std::vector<bool>* reduced) {
  const std::vector<int64_t> axes = AxisValues(axis);
  int64_t bad = 0;
  if (!reference::ResolveAxes(in.shape.rank(), axes.data(), static_cast<int64_t>(axes.size()),
                              reduced, &bad))
    return InvalidArgumentError(fmt::format(
        "{}: axis tensor {} entry {} is {}; expected a value in [{}, {})", NodeLabel(node),
        node.inputs[1], bad, axes[static_cast<size_t>(bad)], -in.shape.rank(),
        in.shape.rank()));
  return Status::Ok();
}

const char* ServedTypes(ReduceOp op) {
  return op == ReduceOp::kMean ? "FLOAT32" : "FLOAT32, INT32 or INT64";
}

template <ReduceOp kOp>
Status ReducePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> axis_r = RequireInput(ctx, node, 1);
  if (!axis_r.ok()) return axis_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  const Tensor& axis = **axis_r;
  Tensor& out = **out_r;

  const bool type_ok = in.type == DataType::kFloat32 ||
                       (kOp != ReduceOp::kMean &&
                        (in.type == DataType::kInt32 || in.type == DataType::kInt64));
  if (!type_ok) return TypeError(node, "input", 0, node.inputs[0], in, ServedTypes(kOp));
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (axis.type != DataType::kInt32 && axis.type != DataType::kInt64)
    return TypeError(node, "input", 1, node.inputs[1], axis, "INT32 or INT64");
  if (axis.shape.rank() > 1)
    return InvalidModelError(fmt::format("{}: axis tensor {} has shape {}; expected rank 0 or 1",
                                         NodeLabel(node), node.inputs[1], axis.shape.ToString()));

  auto data = std::make_unique<ReduceOpData>();
  const schema::ReducerOptions* opts = node.fb->builtin_options_as_ReducerOptions();
  data->keep_dims = opts ? opts->keep_dims() : false;
  if (axis.is_constant()) {
    LS_RETURN_IF_ERROR(ResolveNodeAxes(node, in, axis, &data->reduced));
    const Shape shape = reference::ReducedShape(in.shape, data->reduced, data->keep_dims);
    node.data = std::move(data);
    return ctx.ResizeTensor(out, shape);
  }
  data->dynamic = true;
  node.data = std::move(data);
  ctx.SetDynamic(out);
  return Status::Ok();
}

template <typename T>
void RunReduce(ReduceOp op, const Tensor& in, const std::vector<bool>& reduced, Tensor& out) {
  const T* x = in.data_as<T>();
  T* y = out.data_as<T>();
  switch (op) {
    case ReduceOp::kSum:
      reference::ReduceInto<T, reference::ReduceKind::kSum>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kProd:
      reference::ReduceInto<T, reference::ReduceKind::kProd>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kMax:
      reference::ReduceInto<T, reference::ReduceKind::kMax>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kMin:
      reference::ReduceInto<T, reference::ReduceKind::kMin>(in.shape, x, reduced, y);
      break;
    case ReduceOp::kMean:
      break;  // float only; handled by the caller
  }
}

template <ReduceOp kOp>
Status ReduceEval(KernelContext& ctx, Node& node) {
  ReduceOpData* data = node.data_as<ReduceOpData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  std::vector<bool> dynamic_reduced;
  const std::vector<bool>* reduced = &data->reduced;
  if (data->dynamic) {
    LS_RETURN_IF_ERROR(ResolveNodeAxes(node, in, *ctx.input(node, 1), &dynamic_reduced));
    reduced = &dynamic_reduced;
    LS_RETURN_IF_ERROR(
        ctx.ResizeTensor(out, reference::ReducedShape(in.shape, *reduced, data->keep_dims)));
  }
  if (out.elements() == 0) return Status::Ok();
  switch (in.type) {
    case DataType::kFloat32:
      if constexpr (kOp == ReduceOp::kMean)
        reference::MeanFloat(in.shape, in.data_as<float>(), *reduced, out.data_as<float>());
      else
        RunReduce<float>(kOp, in, *reduced, out);
      return Status::Ok();
    case DataType::kInt32:
      RunReduce<int32_t>(kOp, in, *reduced, out);
      return Status::Ok();
    case DataType::kInt64:
      RunReduce<int64_t>(kOp, in, *reduced, out);
      return Status::Ok();
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, ServedTypes(kOp));
  }
}

template <ReduceOp kOp>
KernelRegistration MakeReduceKernel(const char* name, schema::BuiltinOperator code,
                                    int max_version) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(code);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = ReducePrepare<kOp>;
  r.eval = ReduceEval<kOp>;
  r.types = kOp == ReduceOp::kMean ? "float32" : "float32,int32,int64";
  return r;
}

}  // namespace

KernelRegistration MakeMeanKernel() {
  return MakeReduceKernel<ReduceOp::kMean>("MEAN", schema::BuiltinOperator::MEAN, 3);
}

KernelRegistration MakeSumKernel() {
  return MakeReduceKernel<ReduceOp::kSum>("SUM", schema::BuiltinOperator::SUM, 2);
}

KernelRegistration MakeReduceProdKernel() {
  return MakeReduceKernel<ReduceOp::kProd>("REDUCE_PROD", schema::BuiltinOperator::REDUCE_PROD,
                                           2);
}

KernelRegistration MakeReduceMaxKernel() {
  return MakeReduceKernel<ReduceOp::kMax>("REDUCE_MAX", schema::BuiltinOperator::REDUCE_MAX, 3);
}

KernelRegistration MakeReduceMinKernel() {
  return MakeReduceKernel<ReduceOp::kMin>("REDUCE_MIN", schema::BuiltinOperator::REDUCE_MIN, 3);
}

}  // namespace litescope::runtime
