// GATHER_ND: each innermost k-tuple of input 1 selects a slice params[i0, ..., ik-1, ...].
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

Status GatherNdPrepare(KernelContext& ctx, Node& node) {
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
  if (ps.rank() < 1 || is.rank() < 1)
    return InvalidModelError(
        fmt::format("{}: params and indices must have rank >= 1 (got {} and "
                    "{})",
                    NodeLabel(node), ps.rank(), is.rank()));
  const int k = is.dim(is.rank() - 1);
  if (k > ps.rank())
    return InvalidModelError(fmt::format("{}: index tuples have {} entries; params has rank {}",
                                         NodeLabel(node), k, ps.rank()));
  std::vector<int32_t> dims(is.dims().begin(), is.dims().end() - 1);
  for (int d = k; d < ps.rank(); ++d) dims.push_back(ps.dim(d));
  node.data = std::make_unique<OpData>();
  return ctx.ResizeTensor(**out, Shape(std::move(dims)));
}

Status GatherNdEval(KernelContext& ctx, Node& node) {
  const Tensor& params = *ctx.input(node, 0);
  const Tensor& indices = *ctx.input(node, 1);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, params));
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, indices));
  int64_t bad = -1;
  const bool ok = dm::VisitElementSize(DataTypeSize(params.type), [&](auto tag) {
    using T = decltype(tag);
    auto run = [&](const auto* idx) {
      bad = reference::GatherNd(params.shape, params.data_as<T>(), indices.shape, idx,
                                out.data_as<T>());
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
  if (bad >= 0) {
    const int k = indices.shape.dim(indices.shape.rank() - 1);
    const int dim = static_cast<int>(bad % k);
    return InvalidArgumentError(
        fmt::format("{}: index {} at position {} is out of range [0, {}) for params dimension {}",
                    NodeLabel(node), dm::ReadIndexValues(indices)[static_cast<size_t>(bad)], bad,
                    params.shape.dim(dim), dim));
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeGatherNdKernel() {
  return {"GATHER_ND",
          static_cast<int32_t>(schema::BuiltinOperator::GATHER_ND),
          1,
          5,
          GatherNdPrepare,
          GatherNdEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
