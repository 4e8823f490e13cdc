// STRIDED_SLICE and SLICE. Both resolve their index inputs into a reference::SlicePlan (in
// Prepare when the index inputs are constant, else in Eval) and copy with one routine.
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/strided_slice.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct SliceData : OpData {
  bool dynamic = false;  // index inputs are not constant: planned in Eval
  reference::SlicePlan plan;
};

// Reads a 1-D index input whose values must fit int32.
Status ReadInt32Values(const Node& node, int slot, const Tensor& t, std::vector<int64_t>* v) {
  *v = dm::ReadIndexValues(t);
  for (int64_t x : *v)
    if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max())
      return InvalidArgumentError(
          fmt::format("{}: input {} holds {}, outside the INT32 range", NodeLabel(node), slot, x));
  return Status::Ok();
}

Status PlanStrided(const Node& node, KernelContext& ctx, reference::SlicePlan* plan) {
  const Tensor& in = *ctx.input(node, 0);
  reference::StridedSliceParams p;
  LS_RETURN_IF_ERROR(ReadInt32Values(node, 1, *ctx.input(node, 1), &p.begin));
  LS_RETURN_IF_ERROR(ReadInt32Values(node, 2, *ctx.input(node, 2), &p.end));
  LS_RETURN_IF_ERROR(ReadInt32Values(node, 3, *ctx.input(node, 3), &p.strides));
  Result<const StridedSliceMaskParams*> params = NodeParams<StridedSliceMaskParams>(node);
  if (!params.ok()) return params.status();
  const StridedSliceMaskParams& o = **params;
  p.begin_mask = static_cast<uint32_t>(o.begin_mask);
  p.end_mask = static_cast<uint32_t>(o.end_mask);
  p.ellipsis_mask = static_cast<uint32_t>(o.ellipsis_mask);
  p.new_axis_mask = static_cast<uint32_t>(o.new_axis_mask);
  p.shrink_axis_mask = static_cast<uint32_t>(o.shrink_axis_mask);
  p.offset = o.offset;
  std::string error;
  if (!reference::PlanStridedSlice(in.shape, p, plan, &error))
    return InvalidArgumentError(
        fmt::format("{}: {} (input shape {})", NodeLabel(node), error, in.shape.ToString()));
  return Status::Ok();
}

Status PlanSimple(const Node& node, KernelContext& ctx, reference::SlicePlan* plan) {
  const Tensor& in = *ctx.input(node, 0);
  const std::vector<int64_t> begin = dm::ReadIndexValues(*ctx.input(node, 1));
  const std::vector<int64_t> size = dm::ReadIndexValues(*ctx.input(node, 2));
  std::string error;
  if (!reference::PlanSlice(in.shape, begin, size, plan, &error))
    return InvalidArgumentError(
        fmt::format("{}: {} (input shape {})", NodeLabel(node), error, in.shape.ToString()));
  return Status::Ok();
}

using PlanFn = Status (*)(const Node&, KernelContext&, reference::SlicePlan*);

// Shared Prepare: input 0 is the data, inputs 1.. are 1-D index vectors.
Status PrepareSlice(KernelContext& ctx, Node& node, int num_inputs, PlanFn plan_fn) {
  LS_RETURN_IF_ERROR(ExpectArity(node, num_inputs, num_inputs, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  bool all_constant = true;
  int64_t count = -1;
  for (int i = 1; i < num_inputs; ++i) {
    Result<Tensor*> t = RequireInput(ctx, node, i);
    if (!t.ok()) return t.status();
    LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, i, **t));
    if ((*t)->shape.rank() != 1)
      return InvalidModelError(fmt::format("{}: input {} has shape {}; expected a 1-D vector",
                                           NodeLabel(node), i, (*t)->shape.ToString()));
    if (count != -1 && (*t)->shape.dim(0) != count)
      return InvalidModelError(fmt::format("{}: index inputs 1..{} must have equal lengths",
                                           NodeLabel(node), num_inputs - 1));
    count = (*t)->shape.dim(0);
    all_constant = all_constant && (*t)->is_constant();
  }
  auto data = std::make_unique<SliceData>();
  if (all_constant) {
    LS_RETURN_IF_ERROR(plan_fn(node, ctx, &data->plan));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, data->plan.output));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status EvalSlice(KernelContext& ctx, Node& node, int num_inputs, PlanFn plan_fn) {
  SliceData& data = *node.data_as<SliceData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (data.dynamic) {
    for (int i = 1; i < num_inputs; ++i)
      LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", i, *ctx.input(node, i)));
    LS_RETURN_IF_ERROR(plan_fn(node, ctx, &data.plan));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, data.plan.output));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::StridedSlice(data.plan, in.data_as<T>(), out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

Status StridedSlicePrepare(KernelContext& ctx, Node& node) {
  return PrepareSlice(ctx, node, 4, PlanStrided);
}
Status StridedSliceEval(KernelContext& ctx, Node& node) {
  return EvalSlice(ctx, node, 4, PlanStrided);
}
Status SlicePrepare(KernelContext& ctx, Node& node) {
  return PrepareSlice(ctx, node, 3, PlanSimple);
}
Status SliceEval(KernelContext& ctx, Node& node) { return EvalSlice(ctx, node, 3, PlanSimple); }

}  // namespace

KernelRegistration MakeStridedSliceKernel() {
  return {"STRIDED_SLICE",
          static_cast<int32_t>(schema::BuiltinOperator::STRIDED_SLICE),
          1,
          8,
          StridedSlicePrepare,
          StridedSliceEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakeSliceKernel() {
  return {"SLICE",
          static_cast<int32_t>(schema::BuiltinOperator::SLICE),
          1,
          7,
          SlicePrepare,
          SliceEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
