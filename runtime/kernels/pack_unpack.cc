// PACK stacks N tensors of equal shape along a new axis; UNPACK splits one tensor along an axis
// into tensors without it. Quantized tensors must share one quantization (TFLite requires it).
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

struct PackData : OpData {
  int axis = 0;
  std::vector<Shape> part_shapes;  // each input (PACK) or output (UNPACK) with 1 at the axis
};

Shape InsertOne(const Shape& s, int axis) {
  std::vector<int32_t> dims = s.dims();
  dims.insert(dims.begin() + axis, 1);
  return Shape(std::move(dims));
}

Status PackPrepare(KernelContext& ctx, Node& node) {
  const int n = static_cast<int>(node.inputs.size());
  if (n == 0) return InvalidModelError(fmt::format("{}: has no inputs", NodeLabel(node)));
  LS_RETURN_IF_ERROR(ExpectArity(node, n, n, 1));
  Result<const PackParams*> params = NodeParams<PackParams>(node);
  if (!params.ok()) return params.status();
  const PackParams& opts = **params;
  if (!opts.defaulted && opts.values_count != n)
    return InvalidModelError(fmt::format("{}: values_count is {} but the op has {} inputs",
                                         NodeLabel(node), opts.values_count, n));
  Result<Tensor*> first = RequireInput(ctx, node, 0);
  if (!first.ok()) return first.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **first));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **first));
  const Shape& s = (*first)->shape;
  auto data = std::make_unique<PackData>();
  LS_RETURN_IF_ERROR(dm::NormalizeAxis(node, opts.axis, s.rank() + 1, &data->axis));
  for (int i = 0; i < n; ++i) {
    Result<Tensor*> t = RequireInput(ctx, node, i);
    if (!t.ok()) return t.status();
    if ((*t)->type != (*first)->type)
      return TypeError(node, "input", i, dm::InputIndex(node, i), **t,
                       DataTypeName((*first)->type));
    if ((*t)->shape != s)
      return InvalidModelError(fmt::format("{}: input {} has shape {}; input 0 has {}",
                                           NodeLabel(node), i, (*t)->shape.ToString(),
                                           s.ToString()));
    LS_RETURN_IF_ERROR(dm::ExpectSameQuantization(node, "input", i, **t, "output", 0, **out));
    data->part_shapes.push_back(InsertOne(s, data->axis));
  }
  std::vector<int32_t> dims = s.dims();
  dims.insert(dims.begin() + data->axis, n);
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, Shape(std::move(dims))));
  node.data = std::move(data);
  return Status::Ok();
}

Status PackEval(KernelContext& ctx, Node& node) {
  const PackData& data = *node.data_as<PackData>();
  Tensor& out = *ctx.output(node, 0);
  const int n = static_cast<int>(node.inputs.size());
  for (int i = 0; i < n; ++i)
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", i, *ctx.input(node, i)));
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(out.type), [&](auto tag) {
    using T = decltype(tag);
    std::vector<const T*> ins(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ins[static_cast<size_t>(i)] = ctx.input(node, i)->data_as<T>();
    reference::Concatenation(data.axis, data.part_shapes, ins.data(), out.shape, out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, out);
  return Status::Ok();
}

Status UnpackPrepare(KernelContext& ctx, Node& node) {
  const int n = static_cast<int>(node.outputs.size());
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, n));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  const Shape& s = (*in)->shape;
  if (s.rank() < 1)
    return InvalidModelError(fmt::format("{}: cannot unpack a scalar", NodeLabel(node)));
  Result<const UnpackParams*> params = NodeParams<UnpackParams>(node);
  if (!params.ok()) return params.status();
  const UnpackParams& opts = **params;
  auto data = std::make_unique<PackData>();
  LS_RETURN_IF_ERROR(dm::NormalizeAxis(node, opts.axis, s.rank(), &data->axis));
  const int dim = s.dim(data->axis);
  if (n != dim || (opts.num != 0 && opts.num != dim))
    return InvalidModelError(
        fmt::format("{}: dimension {} has size {}; the op has {} outputs and "
                    "num {}",
                    NodeLabel(node), data->axis, dim, n, opts.num));
  std::vector<int32_t> dims = s.dims();
  dims.erase(dims.begin() + data->axis);
  const Shape out_shape(std::move(dims));
  for (int i = 0; i < n; ++i) {
    Result<Tensor*> out = RequireOutput(ctx, node, i);
    if (!out.ok()) return out.status();
    LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, i, **out, 0, **in));
    LS_RETURN_IF_ERROR(dm::ExpectSameQuantization(node, "input", 0, **in, "output", i, **out));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, out_shape));
    data->part_shapes.push_back(InsertOne(out_shape, data->axis));
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status UnpackEval(KernelContext& ctx, Node& node) {
  const PackData& data = *node.data_as<PackData>();
  const Tensor& in = *ctx.input(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  const int n = static_cast<int>(node.outputs.size());
  if (in.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    std::vector<T*> outs(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) outs[static_cast<size_t>(i)] = ctx.output(node, i)->data_as<T>();
    reference::Split(data.axis, in.shape, in.data_as<T>(), data.part_shapes, outs.data());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakePackKernel() {
  return {"PACK",
          static_cast<int32_t>(schema::BuiltinOperator::PACK),
          1,
          4,
          PackPrepare,
          PackEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakeUnpackKernel() {
  return {"UNPACK",
          static_cast<int32_t>(schema::BuiltinOperator::UNPACK),
          1,
          4,
          UnpackPrepare,
          UnpackEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
