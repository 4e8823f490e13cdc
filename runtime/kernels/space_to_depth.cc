// SPACE_TO_DEPTH and DEPTH_TO_SPACE on NHWC tensors: move block_size x block_size spatial
// blocks into channels and back. Quantized tensors must share one quantization.
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/space_depth.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

struct SpaceDepthData : OpData {
  int block = 1;
};

// Shared checks of both ops; returns the input and output tensors.
Status PrepareCommon(KernelContext& ctx, Node& node, int raw_block, Tensor** in, Tensor** out) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> i = RequireInput(ctx, node, 0);
  if (!i.ok()) return i.status();
  Result<Tensor*> o = RequireOutput(ctx, node, 0);
  if (!o.ok()) return o.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **i));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **o, 0, **i));
  LS_RETURN_IF_ERROR(dm::ExpectSameQuantization(node, "input", 0, **i, "output", 0, **o));
  if ((*i)->shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input has shape {}; expected 4-D NHWC",
                                         NodeLabel(node), (*i)->shape.ToString()));
  if (raw_block < 1)
    return InvalidModelError(
        fmt::format("{}: block_size {} must be at least 1", NodeLabel(node), raw_block));
  *in = *i;
  *out = *o;
  return Status::Ok();
}

Status SpaceToDepthPrepare(KernelContext& ctx, Node& node) {
  Result<const BlockSizeParams*> params = NodeParams<BlockSizeParams>(node);
  if (!params.ok()) return params.status();
  const int block = (*params)->block_size;
  Tensor* in = nullptr;
  Tensor* out = nullptr;
  LS_RETURN_IF_ERROR(PrepareCommon(ctx, node, block, &in, &out));
  const Shape& s = in->shape;
  if (s.dim(1) % block != 0 || s.dim(2) % block != 0)
    return InvalidModelError(
        fmt::format("{}: height and width of {} must be multiples of "
                    "block_size {}",
                    NodeLabel(node), s.ToString(), block));
  const int64_t bb = static_cast<int64_t>(block) * block;
  const int64_t depth = s.dim(3) != 0 && bb > INT32_MAX / s.dim(3) ? -1 : s.dim(3) * bb;
  if (!dm::FitsDim(depth))
    return InvalidModelError(fmt::format("{}: output depth is too large", NodeLabel(node)));
  auto data = std::make_unique<SpaceDepthData>();
  data->block = block;
  node.data = std::move(data);
  return ctx.ResizeTensor(
      *out, Shape({s.dim(0), s.dim(1) / block, s.dim(2) / block, static_cast<int32_t>(depth)}));
}

Status SpaceToDepthEval(KernelContext& ctx, Node& node) {
  const int block = node.data_as<SpaceDepthData>()->block;
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::SpaceToDepth(out.shape, block, in.data_as<T>(), out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

Status DepthToSpacePrepare(KernelContext& ctx, Node& node) {
  Result<const BlockSizeParams*> params = NodeParams<BlockSizeParams>(node);
  if (!params.ok()) return params.status();
  const int block = (*params)->block_size;
  Tensor* in = nullptr;
  Tensor* out = nullptr;
  LS_RETURN_IF_ERROR(PrepareCommon(ctx, node, block, &in, &out));
  const Shape& s = in->shape;
  const int64_t bb = static_cast<int64_t>(block) * block;
  if (s.dim(3) % bb != 0)
    return InvalidModelError(fmt::format("{}: depth of {} must be a multiple of block_size^2 = {}",
                                         NodeLabel(node), s.ToString(), bb));
  const int64_t h = static_cast<int64_t>(s.dim(1)) * block;
  const int64_t w = static_cast<int64_t>(s.dim(2)) * block;
  if (!dm::FitsDim(h) || !dm::FitsDim(w))
    return InvalidModelError(fmt::format("{}: output size is too large", NodeLabel(node)));
  auto data = std::make_unique<SpaceDepthData>();
  data->block = block;
  node.data = std::move(data);
  return ctx.ResizeTensor(*out, Shape({s.dim(0), static_cast<int32_t>(h), static_cast<int32_t>(w),
                                       static_cast<int32_t>(s.dim(3) / bb)}));
}

Status DepthToSpaceEval(KernelContext& ctx, Node& node) {
  const int block = node.data_as<SpaceDepthData>()->block;
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::DepthToSpace(in.shape, block, in.data_as<T>(), out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeSpaceToDepthKernel() {
  return {"SPACE_TO_DEPTH",
          static_cast<int32_t>(schema::BuiltinOperator::SPACE_TO_DEPTH),
          1,
          2,
          SpaceToDepthPrepare,
          SpaceToDepthEval,
          dm::kCopyableTypeList};
}

KernelRegistration MakeDepthToSpaceKernel() {
  return {"DEPTH_TO_SPACE",
          static_cast<int32_t>(schema::BuiltinOperator::DEPTH_TO_SPACE),
          1,
          2,
          DepthToSpacePrepare,
          DepthToSpaceEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
