// TRANSPOSE: output dimension i is input dimension perm[i] (perm from input 1).
#include <vector>

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/transpose.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {
namespace {

namespace dm = data_movement;

constexpr int kMaxRank = 8;

struct TransposeData : OpData {
  bool dynamic = false;
  std::vector<int> perm;
};

Status ReadPerm(const Node& node, const Tensor& in, const Tensor& perm_tensor,
                std::vector<int>* perm) {
  const int rank = in.shape.rank();
  const std::vector<int64_t> v = dm::ReadIndexValues(perm_tensor);
  if (static_cast<int>(v.size()) != rank)
    return InvalidModelError(fmt::format("{}: perm has {} entries; the input has rank {}",
                                         NodeLabel(node), v.size(), rank));
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  perm->assign(static_cast<size_t>(rank), 0);
  for (int i = 0; i < rank; ++i) {
    const int64_t p = v[static_cast<size_t>(i)];
    if (p < 0 || p >= rank || seen[static_cast<size_t>(p)])
      return InvalidArgumentError(
          fmt::format("{}: perm {} is not a permutation of [0, {})", NodeLabel(node),
                      Shape(std::vector<int32_t>(v.begin(), v.end())).ToString(), rank));
    seen[static_cast<size_t>(p)] = true;
    (*perm)[static_cast<size_t>(i)] = static_cast<int>(p);
  }
  return Status::Ok();
}

Status TransposePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in = RequireInput(ctx, node, 0);
  if (!in.ok()) return in.status();
  Result<Tensor*> perm = RequireInput(ctx, node, 1);
  if (!perm.ok()) return perm.status();
  Result<Tensor*> out = RequireOutput(ctx, node, 0);
  if (!out.ok()) return out.status();
  LS_RETURN_IF_ERROR(dm::ExpectCopyableInput(node, 0, **in));
  LS_RETURN_IF_ERROR(dm::ExpectIndexInput(node, 1, **perm));
  LS_RETURN_IF_ERROR(dm::ExpectOutputTypeOf(node, 0, **out, 0, **in));
  if ((*in)->shape.rank() > kMaxRank)
    return UnsupportedOpError(fmt::format("{}: input rank {} exceeds {}", NodeLabel(node),
                                          (*in)->shape.rank(), kMaxRank));
  if ((*perm)->shape.rank() != 1)
    return InvalidModelError(fmt::format("{}: perm has shape {}; expected a 1-D vector",
                                         NodeLabel(node), (*perm)->shape.ToString()));
  auto data = std::make_unique<TransposeData>();
  if ((*perm)->is_constant()) {
    LS_RETURN_IF_ERROR(ReadPerm(node, **in, **perm, &data->perm));
    LS_RETURN_IF_ERROR(
        ctx.ResizeTensor(**out, reference::TransposedShape((*in)->shape, data->perm)));
  } else {
    data->dynamic = true;
    ctx.SetDynamic(**out);
  }
  node.data = std::move(data);
  return Status::Ok();
}

Status TransposeEval(KernelContext& ctx, Node& node) {
  TransposeData& data = *node.data_as<TransposeData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 0, in));
  if (data.dynamic) {
    const Tensor& perm = *ctx.input(node, 1);
    LS_RETURN_IF_ERROR(dm::ExpectData(node, "input", 1, perm));
    LS_RETURN_IF_ERROR(ReadPerm(node, in, perm, &data.perm));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, reference::TransposedShape(in.shape, data.perm)));
  }
  if (out.shape.FlatSize() == 0) return Status::Ok();
  const bool ok = dm::VisitElementSize(DataTypeSize(in.type), [&](auto tag) {
    using T = decltype(tag);
    reference::Transpose(in.shape, data.perm, in.data_as<T>(), out.data_as<T>());
  });
  if (!ok) return dm::UnsupportedElementSize(node, in);
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeTransposeKernel() {
  return {"TRANSPOSE",
          static_cast<int32_t>(schema::BuiltinOperator::TRANSPOSE),
          1,
          7,
          TransposePrepare,
          TransposeEval,
          dm::kCopyableTypeList};
}

}  // namespace litescope::runtime
