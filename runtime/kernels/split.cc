// SPLIT (axis from input 0, equal parts) and SPLIT_V (sizes from input 1, axis from input 2).
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

struct SplitData : OpData {
  bool dynamic = false;  // axis or sizes are not constant: shapes computed in Eval
  int input_slot = 0;    // where the data tensor is (SPLIT: 1, SPLIT_V: 0)
  int axis = 0;
  std::vector<Shape> output_shapes;
};

// Output shapes of splitting `in` along `axis` into `sizes`.
std::vector<Shape> SplitShapes(const Shape& in, int axis, const std::vector<int64_t>& sizes) {
  std::vector<Shape> shapes;
  for (int64_t s : sizes) {
    Shape o = in;
    o.dim(axis) = static_cast<int32_t>(s);
    shapes.push_back(std::move(o));
  }
  return shapes;
}

// SPLIT: the axis (input 0) and num_splits equal parts.
Status PlanSplit(KernelContext& ctx, const Node& node, SplitData* data) {
  const Tensor& in = *ctx.input(node, 1);
  LS_RETURN_IF_ERROR(dm::ReadAxis(node, 0, *ctx.input(node, 0), in.shape.rank(), &data->axis));
  const int64_t n = static_cast<int64_t>(node.outputs.size());
  const int64_t dim = in.shape.dim(data->axis);
  if (dim % n != 0)
    return InvalidArgumentError(
        fmt::format("{}: dimension {} of size {} does not split into {} "
                    "equal parts",
                    NodeLabel(node), data->axis, dim, n));
  data->output_shapes =
      SplitShapes(in.shape, data->axis, std::vector<int64_t>(static_cast<size_t>(n), dim / n));
  return Status::Ok();
}

// SPLIT_V: sizes (input 1, one may be -1) and axis (input 2).
Status PlanSplitV(KernelContext& ctx, const Node& node, SplitData* data) {
  const Tensor& in = *ctx.input(node, 0);
  LS_RETURN_IF_ERROR(dm::ReadAxis(node, 2, *ctx.input(node, 2), in.shape.rank(), &data->axis));
  std::vector<int64_t> sizes = dm::ReadIndexValues(*ctx.input(node, 1));
  if (sizes.size() != node.outputs.size())
    return InvalidModelError(fmt::format("{}: {} split sizes for {} outputs", NodeLabel(node),
                                         sizes.size(), node.outputs.size()));
  const int64_t dim = in.shape.dim(data->axis);
  int64_t known = 0;
  int stretch = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1 && stretch == -1) {
      stretch = static_cast<int>(i);
    } else if (sizes[i] < 0 || sizes[i] > dim) {
      return InvalidArgumentError(
          fmt::format("{}: split size {} is invalid for dimension {} of "
                      "size {}",
                      NodeLabel(node), sizes[i], data->axis, dim));
    } else {
      known += sizes[i];
    }
  }
  if (stretch != -1 && known <= dim)
    sizes[static_cast<size_t>(stretch)] = dim - known;
  else if (known != dim)
    return InvalidArgumentError(
        fmt::format("{}: split sizes add up to {}; dimension {} has size "
                    "{}",
                    NodeLabel(node), known, data->axis, dim));
  data->output_shapes = SplitShapes(in.shape, data->axis, sizes);
  return Status::Ok();
}

using PlanFn = Status (*)(KernelContext&, const Node&, SplitData*);

Status PrepareSplit(KernelContext& ctx, Node& node, int input_slot,
                    const std::vector<int>& index_slots, PlanFn plan) {
  const int num_inputs = static_cast<int>(index_slots.size()) + 1;
  if (node.outputs.empty())
    return InvalidModelError(fmt::format("{}: has no outputs", NodeLabel(node)));
  LS_RETURN_IF_ERROR(
      ExpectArity(node, num_inputs, num_inputs, static_cast<int>(node.outputs.size())));
  Result<Tensor*> in = RequireInput(ctx, node, input_slot);
  if (!in.ok()) return in.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, input_slot, **in));
  if ((*in)->shape.rank() < 1)
    return InvalidModelError(fmt::format("{}: cannot split a scalar", NodeLabel(node)));
  bool constant = true;
  for (int slot : index_slots) {
    Result<Tensor*> t = RequireInput(ctx, node, slot);
    if (!t.ok()) return t.status();
    LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, slot, **t));
    constant = constant && (*t)->is_constant();
  }
  for (int i = 0; i < static_cast<int>(node.outputs.size()); ++i) {
    Result<Tensor*> out = RequireOutput(ctx, node, i);
    if (!out.ok()) return out.status();
    LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, i, **out, input_slot, **in));
  }
  auto data = std::make_unique<SplitData>();
  data->input_slot = input_slot;
  if (constant) {
    LS_RETURN_IF_ERROR(plan(ctx, node, data.get()));
    for (size_t i = 0; i < data->output_shapes.size(); ++i)
      LS_RETURN_IF_ERROR(
          ctx.ResizeTensor(*ctx.output(node, static_cast<int>(i)), data->output_shapes[i]));
  } else {
    data->dynamic = true;
    for (int i = 0; i < static_cast<int>(node.outputs.size()); ++i)
      ctx.SetDynamic(*ctx.output(node, i));
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status EvalSplit(KernelContext& ctx, Node& node, const std::vector<int>& index_slots, PlanFn plan) {
  SplitData& data = *node.data_as<SplitData>();
  const Tensor& in = *ctx.input(node, data.input_slot);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", data.input_slot, in));
  const int n = static_cast<int>(node.outputs.size());
  if (data.dynamic) {
    for (int slot : index_slots)
      LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", slot, *ctx.input(node, slot)));
    LS_RETURN_IF_ERROR(plan(ctx, node, &data));
    for (int i = 0; i < n; ++i)
      LS_RETURN_IF_ERROR(
          ctx.ResizeTensor(*ctx.output(node, i), data.output_shapes[static_cast<size_t>(i)]));
  }
  if (in.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    std::vector<T*> outs(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) outs[static_cast<size_t>(i)] = ctx.output(node, i)->data_as<T>();
    reference::Split(data.axis, in.shape, in.data_as<T>(), data.output_shapes, outs.data());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

// SPLIT and SPLIT_V: num_splits, when the options give it, is the number of outputs.
Status CheckNumSplits(const Node& node) {
  Result<const SplitParams*> params = NodeParams<SplitParams>(node);
  if (!params.ok()) return params.status();
  const SplitParams& p = **params;
  if (!p.defaulted && p.num_splits != static_cast<int>(node.outputs.size()))
    return InvalidModelError(fmt::format("{}: num_splits is {} but the op has {} outputs",
                                         NodeLabel(node), p.num_splits, node.outputs.size()));
  return Status::Ok();
}

Status SplitPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(CheckNumSplits(node));
  return PrepareSplit(ctx, node, /*input_slot=*/1, {0}, PlanSplit);
}
Status SplitEval(KernelContext& ctx, Node& node) { return EvalSplit(ctx, node, {0}, PlanSplit); }

Status SplitVPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(CheckNumSplits(node));
  if (const Tensor* sizes = ctx.input(node, 1))
    if (sizes->shape.rank() != 1)
      return InvalidModelError(
          fmt::format("{}: size_splits (input 1) has shape {}; expected a "
                      "1-D vector",
                      NodeLabel(node), sizes->shape.ToString()));
  return PrepareSplit(ctx, node, /*input_slot=*/0, {1, 2}, PlanSplitV);
}
Status SplitVEval(KernelContext& ctx, Node& node) {
  return EvalSplit(ctx, node, {1, 2}, PlanSplitV);
}

}  // namespace

KernelRegistration MakeSplitKernel() {
  return {"SPLIT",
          static_cast<int32_t>(schema::BuiltinOperator::SPLIT),
          1,
          4,
          SplitPrepare,
          SplitEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakeSplitVKernel() {
  return {"SPLIT_V",
          static_cast<int32_t>(schema::BuiltinOperator::SPLIT_V),
          1,
          2,
          SplitVPrepare,
          SplitVEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
