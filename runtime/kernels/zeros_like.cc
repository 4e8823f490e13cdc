#include <fmt/format.h>

#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/fill.h"
#include "runtime/schema/tflite_schema_generated.h"

// ZEROS_LIKE: an output of the input's shape and type holding zeros. FLOAT32, INT32 and INT64,
// as in TFLite.
namespace litescope::runtime {
namespace {

namespace ref = reference;

Status ZerosLikePrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<1>> ops = elementwise::GetOperands<1>(ctx, node);
  if (!ops.ok()) return ops.status();
  const Tensor& in = *ops->in[0];
  Tensor& out = *ops->out;
  LS_RETURN_IF_ERROR(elementwise::ExpectInputType(
      node, 0, in, {DataType::kFloat32, DataType::kInt32, DataType::kInt64}));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, in.type));
  return ctx.ResizeTensor(out, in.shape);
}

template <typename T>
void RunZeros(KernelContext& ctx, Tensor& out) {
  T* po = out.data_as<T>();
  elementwise::ParallelRange(ctx, out.elements(), elementwise::kCheapMinChunk,
                             [&](int64_t b, int64_t e) { ref::Fill(T{0}, po + b, e - b); });
}

Status ZerosLikeEval(KernelContext& ctx, Node& node) {
  Tensor* out = ctx.output(node, 0);
  if (!out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  switch (DataTypeSize(out->type)) {
    case 4:
      RunZeros<uint32_t>(ctx, *out);
      break;
    case 8:
      RunZeros<uint64_t>(ctx, *out);
      break;
    default:
      return TypeError(node, "output", 0, elementwise::OutputIndex(node, 0), *out,
                       "FLOAT32, INT32 or INT64");
  }
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeZerosLikeKernel() {
  KernelRegistration r;
  r.name = "ZEROS_LIKE";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::ZEROS_LIKE);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = ZerosLikePrepare;
  r.eval = ZerosLikeEval;
  r.types = "float32,int32,int64";
  return r;
}

}  // namespace litescope::runtime
