// MIRROR_PAD: pads each dimension with a mirror image of the input near the border, REFLECT
// (border element excluded, pads <= dim - 1) or SYMMETRIC (border included, pads <= dim).
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/pad.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

constexpr int kMaxRank = 8;

struct MirrorPadData : OpData {
  bool dynamic = false;
  reference::MirrorPadMode mode = reference::MirrorPadMode::kReflect;
  std::vector<int64_t> before;
};

Status ReadMirrorPaddings(const Node& node, const Tensor& in, const Tensor& paddings,
                          reference::MirrorPadMode mode, std::vector<int64_t>* before,
                          Shape* out_shape) {
  const int rank = in.shape.rank();
  const std::vector<int64_t> v = dm::ReadIndexValues(paddings);
  if (static_cast<int64_t>(v.size()) != 2 * static_cast<int64_t>(rank))
    return InvalidModelError(fmt::format("{}: paddings hold {} values; expected {} (rank x 2)",
                                         NodeLabel(node), v.size(), 2 * rank));
  const int64_t skip = mode == reference::MirrorPadMode::kReflect ? 1 : 0;
  before->assign(static_cast<size_t>(rank), 0);
  std::vector<int32_t> dims(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const int64_t b = v[static_cast<size_t>(2 * d)], a = v[static_cast<size_t>(2 * d + 1)];
    const int64_t n = in.shape.dim(d);
    const int64_t limit = n - skip;
    if (b < 0 || a < 0 || (b > 0 && b > limit) || (a > 0 && a > limit))
      return InvalidArgumentError(fmt::format(
          "{}: paddings [{}, {}] of dimension {} (size {}) must lie in [0, {}] for {} mode",
          NodeLabel(node), b, a, d, n, limit < 0 ? 0 : limit,
          mode == reference::MirrorPadMode::kReflect ? "REFLECT" : "SYMMETRIC"));
    if (!dm::FitsDim(n + b + a))
      return InvalidArgumentError(
          fmt::format("{}: padded dimension {} is too large ({})", NodeLabel(node), d, n + b + a));
    (*before)[static_cast<size_t>(d)] = b;
    dims[static_cast<size_t>(d)] = static_cast<int32_t>(n + b + a);
  }
  *out_shape = Shape(std::move(dims));
  return Status::Ok();
}

Status MirrorPadPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> paddings = RequireInput(ctx, node, 1);
  if (!paddings.ok()) return paddings.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **paddings));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  const int rank = (*in)->shape.rank();
  if (rank > kMaxRank)
    return UnsupportedOpError(
        fmt::format("{}: input rank {} exceeds {}", NodeLabel(node), rank, kMaxRank));
  const Shape& ps = (*paddings)->shape;
  if (ps.rank() != 2 || ps.dim(0) != rank || ps.dim(1) != 2)
    return InvalidModelError(fmt::format("{}: paddings have shape {}; expected [{}, 2]",
                                         NodeLabel(node), ps.ToString(), rank));
  auto data = std::make_unique<MirrorPadData>();
  // The parser rejects a mode the schema does not define.
  Result<const MirrorPadParams*> params = NodeParams<MirrorPadParams>(node);
  if (!params.ok()) return params.status();
  data->mode = (*params)->mode == MirrorPadMode::kSymmetric ? reference::MirrorPadMode::kSymmetric
                                                            : reference::MirrorPadMode::kReflect;
  if ((*paddings)->is_constant()) {
    Shape shape;
    LS_RETURN_IF_ERROR(
        ReadMirrorPaddings(node, **in, **paddings, data->mode, &data->before, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(**out, shape));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status MirrorPadEval(KernelContext& ctx, Node& node) {
  MirrorPadData& data = *node.data_as<MirrorPadData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (data.dynamic) {
    const Tensor& paddings = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, paddings));
    Shape shape;
    LS_RETURN_IF_ERROR(ReadMirrorPaddings(node, in, paddings, data.mode, &data.before, &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, shape));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::MirrorPad(in.shape, data.before, data.mode, in.data_as<T>(), out.shape,
                         out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeMirrorPadKernel() {
  return {"MIRROR_PAD",
          static_cast<int32_t>(schema::BuiltinOperator::MIRROR_PAD),
          1,
          3,
          MirrorPadPrepare,
          MirrorPadEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
