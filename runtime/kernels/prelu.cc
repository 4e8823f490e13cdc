#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/activations.h"
#include "runtime/kernels/reference/binary_arithmetic_quantized.h"
#include "runtime/kernels/reference/broadcast.h"
#include "runtime/schema/tflite_schema_generated.h"

// PRELU: x for x >= 0, alpha * x otherwise, with alpha broadcast against the input (typically
// per channel, e.g. input [1, H, W, C] with alpha [1, 1, C]). The output has the broadcast
// shape of input and alpha, as in TFLite. FLOAT32, and INT8/UINT8 with per-tensor quantized input,
// alpha and output (TFLite's two-multiplier rule, reference/binary_arithmetic_quantized.h).
namespace litescope::runtime {
namespace {

namespace ref = reference;

struct PreluOpData : OpData {
  ref::BroadcastLayout<2> layout;
  ref::QuantPreluParams quant;  // INT8/UINT8
};

Status PreluPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<2>> ops = elementwise::GetOperands<2>(ctx, node);
  if (!ops.ok()) return ops.status();
  const Tensor& in = *ops->in[0];
  const Tensor& alpha = *ops->in[1];
  Tensor& out = *ops->out;
  if (!elementwise::TypeIn(in.type, {DataType::kFloat32, DataType::kInt8, DataType::kUInt8}))
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in,
                     "FLOAT32, INT8 or UINT8");
  LS_RETURN_IF_ERROR(elementwise::ExpectSameInputType(node, 1, alpha, in));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, in.type));
  auto data = std::make_unique<PreluOpData>();
  if (in.type != DataType::kFloat32) {
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "alpha", node.inputs[1], alpha));
    LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
    data->quant.Init(in.quant.scale[0], static_cast<int32_t>(in.quant.zero_point[0]),
                     alpha.quant.scale[0], static_cast<int32_t>(alpha.quant.zero_point[0]),
                     out.quant.scale[0], static_cast<int32_t>(out.quant.zero_point[0]));
  }
  LS_RETURN_IF_ERROR(elementwise::PrepareBroadcast(ctx, node, ops->in, out,
                                                   elementwise::kMaxBinaryRank, &data->layout));
  node.data = std::move(data);
  return Status::Ok();
}

Status PreluEval(KernelContext& ctx, Node& node) {
  const PreluOpData* d = node.data_as<PreluOpData>();
  Tensor* in = ctx.input(node, 0);
  Tensor* alpha = ctx.input(node, 1);
  Tensor* out = ctx.output(node, 0);
  if (!d || !in || !alpha || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if (in->type == DataType::kInt8 || in->type == DataType::kUInt8) {
    auto run = [&](auto tag) {
      using T = decltype(tag);
      elementwise::ParallelBroadcastBinary(ctx, d->layout, in->data_as<T>(), alpha->data_as<T>(),
                                           out->data_as<T>(), elementwise::kCheapMinChunk,
                                           ref::QuantPreluOp<T>{&d->quant});
    };
    if (in->type == DataType::kInt8) {
      run(int8_t{});
    } else {
      run(uint8_t{});
    }
    return Status::Ok();
  }
  const float* px = in->data_as<float>();
  const float* pa = alpha->data_as<float>();
  float* po = out->data_as<float>();
  elementwise::ParallelBroadcastBinary(ctx, d->layout, px, pa, po, elementwise::kCheapMinChunk,
                                       ref::PreluOp{});
  return Status::Ok();
}

}  // namespace

KernelRegistration MakePreluKernel() {
  KernelRegistration r;
  r.name = "PRELU";
  r.op = static_cast<int32_t>(schema::BuiltinOperator::PRELU);
  r.min_version = 1;
  r.max_version = 1;
  r.prepare = PreluPrepare;
  r.eval = PreluEval;
  r.types = "float32,int8,uint8";
  return r;
}

}  // namespace litescope::runtime
