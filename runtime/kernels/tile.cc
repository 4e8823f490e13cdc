// TILE: output dimension d repeats input dimension d multiples[d] times.
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

struct TileData : OpData {
  bool dynamic = false;
  std::vector<int64_t> multiples;
};

Status ReadMultiples(const Node& node, const Tensor& in, const Tensor& multiples_tensor,
                     std::vector<int64_t>* multiples, Shape* out_shape) {
  const int rank = in.shape.rank();
  *multiples = dm::ReadIndexValues(multiples_tensor);
  if (static_cast<int>(multiples->size()) != rank)
    return InvalidModelError(fmt::format("{}: {} multiples for an input of rank {}",
                                         NodeLabel(node), multiples->size(), rank));
  std::vector<int32_t> dims(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const int64_t m = (*multiples)[static_cast<size_t>(d)];
    if (m < 0 || m > INT32_MAX)
      return InvalidArgumentError(
          fmt::format("{}: multiple {} of dimension {} is invalid", NodeLabel(node), m, d));
    const int64_t size = m * in.shape.dim(d);
    if (!dm::FitsDim(size))
      return InvalidArgumentError(
          fmt::format("{}: tiled dimension {} is too large ({})", NodeLabel(node), d, size));
    dims[static_cast<size_t>(d)] = static_cast<int32_t>(size);
  }
  *out_shape = Shape(std::move(dims));
  return Status::Ok();
}

Status TilePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> multiples = RequireInput(ctx, node, 1);
  if (!multiples.ok()) return multiples.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **multiples));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  if ((*multiples)->shape.rank() != 1)
    return InvalidModelError(fmt::format("{}: multiples have shape {}; expected a 1-D vector",
                                         NodeLabel(node), (*multiples)->shape.ToString()));
  auto data = std::make_unique<TileData>();
  if ((*multiples)->is_constant()) {
    Shape shape;
    LS_RETURN_IF_ERROR(ReadMultiples(node, **in, **multiples, &data->multiples, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, shape));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status TileEval(KernelContext& ctx, Node& node) {
  TileData& data = *node.data_as<TileData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (data.dynamic) {
    const Tensor& multiples = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, multiples));
    Shape shape;
    LS_RETURN_IF_ERROR(ReadMultiples(node, in, multiples, &data.multiples, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, shape));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::Tile(in.shape, data.multiples, in.data_as<T>(), out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeTileKernel() {
  return {"TILE",
          static_cast<int32_t>(schema::BuiltinOperator::TILE),
          1,
          3,
          TilePrepare,
          TileEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
