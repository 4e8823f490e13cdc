// GATHER: slices of input 0 along `axis`, chosen by the indices of input 1 (with optional
// leading batch dimensions shared by both).
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/gather.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct GatherData : OpData {
  int axis = 0;
  int batch_dims = 0;
};

Status GatherPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> params = RequireInput(ctx, node, 0);
  if (!params.ok()) return params.status();
  Result<Tensor*> indices = RequireInput(ctx, node, 1);
  if (!indices.ok()) return indices.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **params));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **indices, /*allow_int16=*/true));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **params));
  const Shape& ps = (*params)->shape;
  const Shape& is = (*indices)->shape;
  if (ps.rank() < 1)
    return InvalidModelError(
        fmt::format("{}: params (input 0) must have rank >= 1", NodeLabel(node)));
  Result<const GatherParams*> gather_params = NodeParams<GatherParams>(node);
  if (!gather_params.ok()) return gather_params.status();
  auto data = std::make_unique<GatherData>();
  LS_RETURN_IF_ERROR(dm::NormalizeAxis(node, (*gather_params)->axis, ps.rank(), &data->axis));
  int batch_dims = (*gather_params)->batch_dims;
  if (batch_dims < 0) batch_dims += is.rank();
  if (batch_dims < 0 || batch_dims > data->axis || batch_dims > is.rank())
    return InvalidModelError(
        fmt::format("{}: batch_dims {} must lie in [0, min(axis {}, "
                    "indices rank {})]",
                    NodeLabel(node), (*gather_params)->batch_dims, data->axis, is.rank()));
  for (int d = 0; d < batch_dims; ++d)
    if (ps.dim(d) != is.dim(d))
      return InvalidModelError(fmt::format("{}: batch dimension {} differs: params {}, indices {}",
                                           NodeLabel(node), d, ps.ToString(), is.ToString()));
  data->batch_dims = batch_dims;
  std::vector<int32_t> dims;
  for (int d = 0; d < data->axis; ++d) dims.push_back(ps.dim(d));
  for (int d = batch_dims; d < is.rank(); ++d) dims.push_back(is.dim(d));
  for (int d = data->axis + 1; d < ps.rank(); ++d) dims.push_back(ps.dim(d));
  LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, Shape(std::move(dims))));
  node.data = std::move(data);
  return Status::Ok();
}

Status GatherEval(KernelContext& ctx, Node& node) {
  const GatherData& data = *node.data_as<GatherData>();
  const Tensor& params = *ctx.input(node, 0);
  const Tensor& indices = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, params));
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, indices));
  int64_t bad = -1;
  const bool ok = dm::VisitElementSize(DataTypeSize(params.type), [&](auto tag) {
    using T = decltype(tag);
    auto run = [&](const auto* idx) {
      bad = reference::Gather(params.shape, params.data_as<T>(), data.axis, data.batch_dims,
                              indices.shape, idx, out.data_as<T>());
    };
    switch (indices.type) {
      case DataType::kInt16:
        run(indices.data_as<int16_t>());
        break;
      case DataType::kInt32:
        run(indices.data_as<int32_t>());
        break;
      default:
        run(indices.data_as<int64_t>());
        break;
    }
  });
  if (!ok) return dm::UnsupportedElementSize(node, params);
  if (bad >= 0)
    return InvalidArgumentError(
        fmt::format("{}: index {} at position {} is out of range [0, {}) for axis {}",
                    NodeLabel(node), dm::ReadIndexValues(indices)[static_cast<size_t>(bad)], bad,
                    params.shape.dim(data.axis), data.axis));
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeGatherKernel() {
  return {"GATHER",
          static_cast<int32_t>(schema::BuiltinOperator::GATHER),
          1,
          7,
          GatherPrepare,
          GatherEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
