// SOFTMAX (SoftmaxOptions.beta) and LOG_SOFTMAX along the last axis, any rank >= 1.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/softmax.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct SoftmaxOpData : OpData {
  float beta = 1.f;
};

Status SoftmaxPrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  Tensor& out = **out_r;
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (in.shape.rank() < 1)
    return InvalidModelError(fmt::format("{}: input (tensor {}) is a scalar; expected rank >= 1",
                                         NodeLabel(node), node.inputs[0]));
  auto data = std::make_unique<SoftmaxOpData>();
  if (node.op == static_cast<int32_t>(schema::BuiltinOperator::SOFTMAX)) {
    const schema::SoftmaxOptions* opts = node.fb->builtin_options_as_SoftmaxOptions();
    data->beta = opts ? opts->beta() : 1.f;
  }
  node.data = std::move(data);
  return ctx.ResizeTensor(out, in.shape);
}

// Splits the rows across threads when there is enough work.
template <typename Fn>
void ForRows(KernelContext& ctx, int64_t outer, int64_t depth, const Fn& fn) {
  const int64_t min_rows = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, depth));
  ctx.thread_pool().ParallelFor(outer, min_rows, fn);
}

Status SoftmaxEval(KernelContext& ctx, Node& node) {
  const float beta = node.data_as<SoftmaxOpData>()->beta;
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  const int64_t outer = in.elements() / depth;
  switch (in.type) {
    case DataType::kFloat32: {
      const float* x = in.data_as<float>();
      float* y = out.data_as<float>();
      ForRows(ctx, outer, depth, [&](int64_t b, int64_t e) {
        reference::SoftmaxFloat(x + b * depth, y + b * depth, e - b, depth, beta);
      });
      return Status::Ok();
    }
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

Status LogSoftmaxEval(KernelContext& ctx, Node& node) {
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (out.elements() == 0) return Status::Ok();
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  const int64_t outer = in.elements() / depth;
  switch (in.type) {
    case DataType::kFloat32: {
      const float* x = in.data_as<float>();
      float* y = out.data_as<float>();
      ForRows(ctx, outer, depth, [&](int64_t b, int64_t e) {
        reference::LogSoftmaxFloat(x + b * depth, y + b * depth, e - b, depth);
      });
      return Status::Ok();
    }
    default:
      return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32");
  }
}

}  // namespace

KernelRegistration MakeSoftmaxKernel() {
  KernelRegistration r;
  r.name = "SOFTMAX";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::SOFTMAX);
  r.min_version = 1;
  r.max_version = 3;
  r.prepare = SoftmaxPrepare;
  r.eval = SoftmaxEval;
  r.types = "float32";
  return r;
}

KernelRegistration MakeLogSoftmaxKernel() {
  KernelRegistration r;
  r.name = "LOG_SOFTMAX";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::LOG_SOFTMAX);
  r.min_version = 1;
  r.max_version = 2;
  r.prepare = SoftmaxPrepare;
  r.eval = LogSoftmaxEval;
  r.types = "float32";
  return r;
}

}  // namespace litescope::runtime
