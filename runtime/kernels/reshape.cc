// RESHAPE, SQUEEZE and EXPAND_DIMS: the output holds the input's bytes under another shape.
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

constexpr int kMaxRank = 8;

struct ReshapeData : OpData {
  bool dynamic = false;  // the output shape comes from non-constant data; computed in Eval
};

// Resolves a requested shape with at most one -1 against the input's element count.
Result<Shape> ResolveShape(const Node& node, const std::vector<int64_t>& requested,
                           int64_t input_elements) {
  if (requested.size() > static_cast<size_t>(kMaxRank))
    return InvalidModelError(fmt::format("{}: new shape has rank {}; at most {} is supported",
                                         NodeLabel(node), requested.size(), kMaxRank));
  int stretch = -1;
  int64_t known = 1;
  for (size_t i = 0; i < requested.size(); ++i) {
    const int64_t d = requested[i];
    if (d == -1) {
      if (stretch != -1)
        return InvalidModelError(
            fmt::format("{}: new shape has more than one -1 dimension", NodeLabel(node)));
      stretch = static_cast<int>(i);
      continue;
    }
    if (!dm::FitsDim(d))
      return InvalidArgumentError(
          fmt::format("{}: new shape dimension {} is {}", NodeLabel(node), i, d));
    if (d != 0 && known > input_elements / d + 1)  // product certainly exceeds the input
      known = input_elements + 1;
    else
      known *= d;
  }
  std::vector<int32_t> dims(requested.begin(), requested.end());
  if (stretch != -1) {
    if (known == 0 || input_elements % known != 0)
      return InvalidArgumentError(fmt::format(
          "{}: cannot infer the -1 dimension: {} input elements do not split into blocks of {}",
          NodeLabel(node), input_elements, known));
    const int64_t d = input_elements / known;
    if (!dm::FitsDim(d))
      return InvalidArgumentError(
          fmt::format("{}: inferred dimension {} is too large", NodeLabel(node), d));
    dims[static_cast<size_t>(stretch)] = static_cast<int32_t>(d);
    known *= d;
  }
  if (known != input_elements) {
    std::vector<int32_t> shown(requested.begin(), requested.end());
    return InvalidArgumentError(fmt::format("{}: cannot reshape {} elements into {}",
                                            NodeLabel(node), input_elements,
                                            Shape(shown).ToString()));
  }
  return Shape(std::move(dims));
}

// True when input 1 of RESHAPE is a 1-D integer tensor, which then gives the shape.
bool HasShapeTensor(KernelContext& ctx, const Node& node) {
  const Tensor* shape = ctx.input(node, 1);
  return shape && shape->shape.rank() == 1 &&
         (shape->type == DataType::kInt32 || shape->type == DataType::kInt64);
}

Result<Shape> ReshapeOutputShape(KernelContext& ctx, const Node& node, const Tensor& in) {
  std::vector<int64_t> requested;
  if (HasShapeTensor(ctx, node)) {
    requested = dm::ReadIndexValues(*ctx.input(node, 1));
  } else {
    Result<const ReshapeParams*> params = NodeParams<ReshapeParams>(node);
    if (!params.ok()) return params.status();
    if (!(*params)->has_new_shape)
      return InvalidModelError(
          fmt::format("{}: the new shape is neither a 1-D INT32/INT64 input 1 nor in the options",
                      NodeLabel(node)));
    for (int32_t d : (*params)->new_shape) requested.push_back(d);
    // Old converters wrote [0] for a scalar.
    if (requested.size() == 1 && requested[0] == 0) requested.clear();
  }
  return ResolveShape(node, requested, in.shape.FlatSize());
}

Status ReshapePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  auto data = std::make_unique<ReshapeData>();
  if (HasShapeTensor(ctx, node) && !ctx.input(node, 1)->is_constant()) {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  } else {
    Result<Shape> shape = ReshapeOutputShape(ctx, node, **in);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, *shape));
  }
  node.data = std::move(data);
  return Status::Ok();
}

// Copies the input's bytes to the output (shapes already agree on the element count).
Status CopyEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  const size_t bytes = static_cast<size_t>(in.shape.FlatSize()) * DataTypeSize(in.type);
  if (out.shape.FlatSize() != in.shape.FlatSize() || (bytes > 0 && out.data == nullptr))
    return InternalError(fmt::format("{}: output holds {} elements; input has {}", NodeLabel(node),
                                     out.shape.FlatSize(), in.shape.FlatSize()));
  if (bytes > 0 && out.data != in.data) std::memmove(out.data, in.data, bytes);
  return Status::Ok();
}

Status ReshapeEval(KernelContext& ctx, Node& node) {
  if (node.data_as<ReshapeData>()->dynamic) {
    Tensor& shape_tensor = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, shape_tensor));
    Result<Shape> shape = ReshapeOutputShape(ctx, node, *ctx.input(node, 0));
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(*ctx.output(node, 0), *shape));
  }
  return CopyEval(ctx, node);
}

Status SqueezePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  const Shape& s = (*in)->shape;
  const int rank = s.rank();
  std::vector<bool> drop(static_cast<size_t>(rank), false);
  Result<const SqueezeParams*> params = NodeParams<SqueezeParams>(node);
  if (!params.ok()) return params.status();
  if (!(*params)->squeeze_dims.empty()) {
    for (int32_t d : (*params)->squeeze_dims) {
      int axis = 0;
      LS_RETURN_IF_ERROR(dm::NormalizeAxis(node, d, rank, &axis));
      if (s.dim(axis) != 1)
        return InvalidModelError(fmt::format("{}: cannot squeeze dimension {} of size {}",
                                             NodeLabel(node), d, s.dim(axis)));
      drop[static_cast<size_t>(axis)] = true;
    }
  } else {
    for (int d = 0; d < rank; ++d) drop[static_cast<size_t>(d)] = s.dim(d) == 1;
  }
  std::vector<int32_t> dims;
  for (int d = 0; d < rank; ++d)
    if (!drop[static_cast<size_t>(d)]) dims.push_back(s.dim(d));
  node.data = std::make_unique<ReshapeData>();
  return ctx.ResizeTensor(**out, Shape(std::move(dims)));
}

Result<Shape> ExpandDimsShape(const Node& node, const Tensor& in, const Tensor& axis_tensor) {
  const int rank = in.shape.rank();
  if (rank + 1 > kMaxRank)
    return InvalidModelError(
        fmt::format("{}: output rank {} exceeds {}", NodeLabel(node), rank + 1, kMaxRank));
  int axis = 0;
  LS_RETURN_IF_ERROR(dm::ReadAxis(node, 1, axis_tensor, rank + 1, &axis));
  std::vector<int32_t> dims = in.shape.dims();
  dims.insert(dims.begin() + axis, 1);
  return Shape(std::move(dims));
}

Status ExpandDimsPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> axis = RequireInput(ctx, node, 1);
  if (!axis.ok()) return axis.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **axis));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  auto data = std::make_unique<ReshapeData>();
  if ((*axis)->is_constant()) {
    Result<Shape> shape = ExpandDimsShape(node, **in, **axis);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, *shape));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status ExpandDimsEval(KernelContext& ctx, Node& node) {
  if (node.data_as<ReshapeData>()->dynamic) {
    const Tensor& axis = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, axis));
    Result<Shape> shape = ExpandDimsShape(node, *ctx.input(node, 0), axis);
    if (!shape.ok()) return shape.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(*ctx.output(node, 0), *shape));
  }
  return CopyEval(ctx, node);
}

}  // namespace

KernelRegistration MakeReshapeKernel() {
  return {"RESHAPE",
          static_cast<int32_t>(schema::BuiltinOperator::RESHAPE),
          1,
          1,
          ReshapePrepare,
          ReshapeEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakeSqueezeKernel() {
  return {"SQUEEZE",
          static_cast<int32_t>(schema::BuiltinOperator::SQUEEZE),
          1,
          2,
          SqueezePrepare,
          CopyEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakeExpandDimsKernel() {
  return {"EXPAND_DIMS",
          static_cast<int32_t>(schema::BuiltinOperator::EXPAND_DIMS),
          1,
          1,
          ExpandDimsPrepare,
          ExpandDimsEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
