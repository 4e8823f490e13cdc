// BROADCAST_TO: repeats the input to the shape given by input 1 (NumPy broadcasting: the input,
// right-aligned, has each dimension equal to the target's or 1).
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/tile.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

constexpr int kMaxRank = 8;

struct BroadcastToData : OpData {
  bool dynamic = false;
};

Result<Shape> TargetShape(const Node& node, const Tensor& in, const Tensor& shape_tensor) {
  const std::vector<int64_t> v = dm::ReadIndexValues(shape_tensor);
  if (static_cast<int>(v.size()) > kMaxRank || static_cast<int>(v.size()) < in.shape.rank())
    return InvalidModelError(fmt::format("{}: target rank {} must lie in [input rank {}, {}]",
                                         NodeLabel(node), v.size(), in.shape.rank(), kMaxRank));
  std::vector<int32_t> dims(v.size());
  const int shift = static_cast<int>(v.size()) - in.shape.rank();
  for (size_t i = 0; i < v.size(); ++i) {
    if (!dm::FitsDim(v[i]))
      return InvalidArgumentError(
          fmt::format("{}: target dimension {} is {}", NodeLabel(node), i, v[i]));
    const int d = static_cast<int>(i) - shift;
    if (d >= 0 && in.shape.dim(d) != 1 && in.shape.dim(d) != v[i])
      return InvalidArgumentError(fmt::format("{}: cannot broadcast {} to dimension {} of size {}",
                                              NodeLabel(node), in.shape.ToString(), i, v[i]));
    dims[i] = static_cast<int32_t>(v[i]);
  }
  return Shape(std::move(dims));
}

Status BroadcastToPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> shape = RequireInput(ctx, node, 1);
  if (!shape.ok()) return shape.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **shape));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  if ((*shape)->shape.rank() != 1)
    return InvalidModelError(
        fmt::format("{}: the shape (input 1) has shape {}; expected a 1-D "
                    "vector",
                    NodeLabel(node), (*shape)->shape.ToString()));
  auto data = std::make_unique<BroadcastToData>();
  if ((*shape)->is_constant()) {
    Result<Shape> target = TargetShape(node, **in, **shape);
    if (!target.ok()) return target.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, *target));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status BroadcastToEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (node.data_as<BroadcastToData>()->dynamic) {
    const Tensor& shape = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, shape));
    Result<Shape> target = TargetShape(node, in, shape);
    if (!target.ok()) return target.status();
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, *target));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::BroadcastTo(in.shape, in.data_as<T>(), out.shape, out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeBroadcastToKernel() {
  // Version 1 of BROADCAST_TO was withdrawn before release; TFLite serves versions 2 and 3.
  return {"BROADCAST_TO",
          static_cast<int32_t>(schema::BuiltinOperator::BROADCAST_TO),
          2,
          3,
          BroadcastToPrepare,
          BroadcastToEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
