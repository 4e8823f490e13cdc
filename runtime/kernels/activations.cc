#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/activations.h"
#include "runtime/kernels/reference/unary_math.h"
#include "runtime/schema/tflite_schema_generated.h"

// LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, HARD_SWISH, ELU and GELU
// on FLOAT32 tensors: one input, one output of the same shape. LEAKY_RELU reads alpha and GELU
// its approximate flag in Prepare. Quantized (int8/uint8/int16) variants are not served yet.
namespace litescope::runtime {
namespace {

namespace ref = reference;

enum class ActKind {
  kLogistic,
  kTanh,
  kRelu,
  kRelu6,
  kReluN1To1,
  kRelu0To1,
  kLeakyRelu,
  kHardSwish,
  kElu,
  kGelu
};

struct ActivationOpData : OpData {
  float alpha = 0.f;         // LEAKY_RELU
  bool approximate = false;  // GELU
};

constexpr bool IsCostly(ActKind k) {
  return k == ActKind::kLogistic || k == ActKind::kTanh || k == ActKind::kElu ||
         k == ActKind::kGelu;
}

template <ActKind K>
Status ActivationPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<1>> ops = elementwise::GetOperands<1>(ctx, node);
  if (!ops.ok()) return ops.status();
  const Tensor& in = *ops->in[0];
  Tensor& out = *ops->out;
  if (in.type != DataType::kFloat32)
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in, "FLOAT32");
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, in.type));
  auto data = std::make_unique<ActivationOpData>();
  if constexpr (K == ActKind::kLeakyRelu) {
    if (const auto* o = node.fb->builtin_options_as_LeakyReluOptions()) data->alpha = o->alpha();
  }
  if constexpr (K == ActKind::kGelu) {
    if (const auto* o = node.fb->builtin_options_as_GeluOptions())
      data->approximate = o->approximate();
  }
  node.data = std::move(data);
  return ctx.ResizeTensor(out, in.shape);
}

template <typename Op>
void RunActivation(KernelContext& ctx, const Tensor& in, Tensor& out, int64_t min_chunk,
                   const Op& op) {
  const float* pi = in.data_as<float>();
  float* po = out.data_as<float>();
  elementwise::ParallelRange(ctx, in.elements(), min_chunk,
                             [&](int64_t b, int64_t e) { ref::Unary(pi + b, po + b, e - b, op); });
}

template <ActKind K>
Status ActivationEval(KernelContext& ctx, Node& node) {
  const ActivationOpData* d = node.data_as<ActivationOpData>();
  Tensor* in = ctx.input(node, 0);
  Tensor* out = ctx.output(node, 0);
  if (!d || !in || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  const int64_t chunk = IsCostly(K) ? elementwise::kCostlyMinChunk : elementwise::kCheapMinChunk;
  switch (K) {
    case ActKind::kLogistic:
      RunActivation(ctx, *in, *out, chunk, ref::LogisticOp{});
      break;
    case ActKind::kTanh:
      RunActivation(ctx, *in, *out, chunk, ref::TanhOp{});
      break;
    case ActKind::kRelu:
      RunActivation(ctx, *in, *out, chunk, ref::ReluOp{});
      break;
    case ActKind::kRelu6:
      RunActivation(ctx, *in, *out, chunk, ref::ClampOp{0.f, 6.f});
      break;
    case ActKind::kReluN1To1:
      RunActivation(ctx, *in, *out, chunk, ref::ClampOp{-1.f, 1.f});
      break;
    case ActKind::kRelu0To1:
      RunActivation(ctx, *in, *out, chunk, ref::ClampOp{0.f, 1.f});
      break;
    case ActKind::kLeakyRelu:
      RunActivation(ctx, *in, *out, chunk, ref::LeakyReluOp{d->alpha});
      break;
    case ActKind::kHardSwish:
      RunActivation(ctx, *in, *out, chunk, ref::HardSwishOp{});
      break;
    case ActKind::kElu:
      RunActivation(ctx, *in, *out, chunk, ref::EluOp{});
      break;
    case ActKind::kGelu:
      if (d->approximate) {
        RunActivation(ctx, *in, *out, chunk, ref::GeluApproximateOp{});
      } else {
        RunActivation(ctx, *in, *out, chunk, ref::GeluOp{});
      }
      break;
  }
  return Status::Ok();
}

template <ActKind K>
KernelRegistration MakeActivation(const char* name, schema::BuiltinOperator op, int max_version) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = ActivationPrepare<K>;
  r.eval = ActivationEval<K>;
  r.types = "float32";
  return r;
}

}  // namespace

KernelRegistration MakeLogisticKernel() {
  return MakeActivation<ActKind::kLogistic>("LOGISTIC", schema::BuiltinOperator::LOGISTIC, 3);
}
KernelRegistration MakeTanhKernel() {
  return MakeActivation<ActKind::kTanh>("TANH", schema::BuiltinOperator::TANH, 3);
}
KernelRegistration MakeReluKernel() {
  return MakeActivation<ActKind::kRelu>("RELU", schema::BuiltinOperator::RELU, 3);
}
KernelRegistration MakeRelu6Kernel() {
  return MakeActivation<ActKind::kRelu6>("RELU6", schema::BuiltinOperator::RELU6, 3);
}
KernelRegistration MakeReluN1To1Kernel() {
  return MakeActivation<ActKind::kReluN1To1>("RELU_N1_TO_1", schema::BuiltinOperator::RELU_N1_TO_1,
                                             1);
}
KernelRegistration MakeRelu0To1Kernel() {
  return MakeActivation<ActKind::kRelu0To1>("RELU_0_TO_1", schema::BuiltinOperator::RELU_0_TO_1, 1);
}
KernelRegistration MakeLeakyReluKernel() {
  return MakeActivation<ActKind::kLeakyRelu>("LEAKY_RELU", schema::BuiltinOperator::LEAKY_RELU, 2);
}
KernelRegistration MakeHardSwishKernel() {
  return MakeActivation<ActKind::kHardSwish>("HARD_SWISH", schema::BuiltinOperator::HARD_SWISH, 1);
}
KernelRegistration MakeEluKernel() {
  return MakeActivation<ActKind::kElu>("ELU", schema::BuiltinOperator::ELU, 1);
}
KernelRegistration MakeGeluKernel() {
  return MakeActivation<ActKind::kGelu>("GELU", schema::BuiltinOperator::GELU, 2);
}

}  // namespace litescope::runtime
