#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/broadcast.h"
#include "runtime/kernels/reference/comparisons.h"
#include "runtime/schema/tflite_schema_generated.h"

// LOGICAL_AND and LOGICAL_OR (broadcasting) and LOGICAL_NOT, on BOOL tensors.
namespace litescope::runtime {
namespace {

namespace ref = reference;

struct LogicalOpData : OpData {
  ref::BroadcastLayout<2> layout;
};

Status ExpectBool(const Node& node, const char* role, int slot, int tensor, const Tensor& t) {
  if (t.type == DataType::kBool) return Status::Ok();
  return TypeError(node, role, slot, tensor, t, "BOOL");
}

Status LogicalBinaryPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<2>> ops = elementwise::GetOperands<2>(ctx, node);
  if (!ops.ok()) return ops.status();
  for (int i = 0; i < 2; ++i)
    LS_RETURN_IF_ERROR(ExpectBool(node, "input", i, elementwise::InputIndex(node, i), *ops->in[i]));
  LS_RETURN_IF_ERROR(ExpectBool(node, "output", 0, elementwise::OutputIndex(node, 0), *ops->out));
  auto data = std::make_unique<LogicalOpData>();
  LS_RETURN_IF_ERROR(elementwise::PrepareBroadcast(ctx, node, ops->in, *ops->out,
                                                   elementwise::kMaxBinaryRank, &data->layout));
  node.data = std::move(data);
  return Status::Ok();
}

template <typename Op>
Status LogicalBinaryEval(KernelContext& ctx, Node& node) {
  const LogicalOpData* d = node.data_as<LogicalOpData>();
  Tensor* a = ctx.input(node, 0);
  Tensor* b = ctx.input(node, 1);
  Tensor* out = ctx.output(node, 0);
  if (!d || !a || !b || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  const uint8_t* pa = a->data_as<uint8_t>();
  const uint8_t* pb = b->data_as<uint8_t>();
  bool* po = out->data_as<bool>();
  elementwise::ParallelBroadcastBinary(ctx, d->layout, pa, pb, po, elementwise::kCheapMinChunk,
                                       Op{});
  return Status::Ok();
}

Status LogicalNotPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<1>> ops = elementwise::GetOperands<1>(ctx, node);
  if (!ops.ok()) return ops.status();
  LS_RETURN_IF_ERROR(ExpectBool(node, "input", 0, elementwise::InputIndex(node, 0), *ops->in[0]));
  LS_RETURN_IF_ERROR(ExpectBool(node, "output", 0, elementwise::OutputIndex(node, 0), *ops->out));
  return ctx.ResizeTensor(*ops->out, ops->in[0]->shape);
}

Status LogicalNotEval(KernelContext& ctx, Node& node) {
  Tensor* in = ctx.input(node, 0);
  Tensor* out = ctx.output(node, 0);
  if (!in || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  const uint8_t* pi = in->data_as<uint8_t>();
  bool* po = out->data_as<bool>();
  elementwise::ParallelRange(ctx, in->elements(), elementwise::kCheapMinChunk,
                             [&](int64_t b, int64_t e) { ref::LogicalNot(pi + b, po + b, e - b); });
  return Status::Ok();
}

KernelRegistration MakeLogical(const char* name, schema::BuiltinOperator op, PrepareFn prepare,
                               EvalFn eval) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = prepare;
  r.eval = eval;
  r.types = "bool";
  return r;
}

}  // namespace

KernelRegistration MakeLogicalAndKernel() {
  return MakeLogical("LOGICAL_AND", schema::BuiltinOperator::LOGICAL_AND, LogicalBinaryPrepare,
                     LogicalBinaryEval<reference::LogicalAndOp>);
}
KernelRegistration MakeLogicalOrKernel() {
  return MakeLogical("LOGICAL_OR", schema::BuiltinOperator::LOGICAL_OR, LogicalBinaryPrepare,
                     LogicalBinaryEval<reference::LogicalOrOp>);
}
KernelRegistration MakeLogicalNotKernel() {
  return MakeLogical("LOGICAL_NOT", schema::BuiltinOperator::LOGICAL_NOT, LogicalNotPrepare,
                     LogicalNotEval);
}

}  // namespace litescope::runtime
