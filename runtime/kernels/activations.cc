#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/activations.h"
#include "runtime/kernels/reference/activations_int16.h"
#include "runtime/kernels/reference/activations_quantized.h"
#include "runtime/kernels/reference/unary_math.h"
#include "runtime/schema/tflite_schema_generated.h"

// LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, HARD_SWISH, ELU and GELU
// on FLOAT32 tensors: one input, one output of the same shape. LEAKY_RELU reads alpha and GELU
// its approximate flag in Prepare. INT8 and UINT8 (per-tensor quantized) for all but GELU and
// (UINT8) ELU, as TensorFlow Lite: LOGISTIC, TANH and ELU through a table built in Prepare, the
// others in fixed point (reference/activations_quantized.h). INT16 LOGISTIC and TANH (zero
// points 0, output scale 2^-15) use TFLite's interpolated sigmoid table, or for the
// power-of-two input scales its fixed-point functions (reference/activations_int16.h); the
// other kinds do not serve INT16.
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
  // Quantized inputs: the parameters of the kind's integer form, filled once in Prepare.
  ref::QuantRescaleParams relu;
  ref::QuantLeakyReluParams leaky;
  ref::QuantHardSwishParams hard_swish;
  int8_t lut_i8[256] = {};
  uint8_t lut_u8[256] = {};
  ref::Int16SigmoidParams sigmoid16;  // INT16 LOGISTIC and TANH
  bool int16_fixed_point = false;     // power-of-two input scale: gemmlowp's fixed-point form
  bool int16_double_input = false;    // TANH on scale 2^-11
};

constexpr bool UsesLut(ActKind k) {
  return k == ActKind::kLogistic || k == ActKind::kTanh || k == ActKind::kElu;
}

// Whether TFLite's kernel serves `t` quantized for kind K.
constexpr bool ServesQuantized(ActKind k, DataType t) {
  if (t == DataType::kInt16) return k == ActKind::kLogistic || k == ActKind::kTanh;
  if (k == ActKind::kGelu) return false;
  if (k == ActKind::kElu) return t == DataType::kInt8;
  return t == DataType::kInt8 || t == DataType::kUInt8;
}

// The table of element type T.
template <typename T, typename D>
auto* LutFor(D& d) {
  if constexpr (std::is_same_v<T, int8_t>) {
    return d.lut_i8;
  } else {
    return d.lut_u8;
  }
}

// Fills the integer parameters of kind K for input scale/zero point (si, zi) and output
// (so, zo); T is the element type.
// Largest rescale factor of the RELU family and LEAKY_RELU: beyond it the fixed-point result
// of an 8-bit difference overflows int32 before it is clamped.
constexpr float kMaxRescale = 65536.f;

template <ActKind K, typename T>
Status PrepareQuantizedTyped(const Node& node, ActivationOpData& d, float si, int32_t zi, float so,
                             int32_t zo) {
  const int32_t qmin = fixed_point::TypeMin<T>();
  const int32_t qmax = fixed_point::TypeMax<T>();
  if constexpr (K == ActKind::kLogistic) {
    ref::PopulateLut8<T>(
        si, zi, so, zo, [](float v) { return 1.0f / (1.0f + std::exp(-v)); }, LutFor<T>(d));
  } else if constexpr (K == ActKind::kTanh) {
    ref::PopulateLut8<T>(
        si, zi, so, zo, [](float v) { return std::tanh(v); }, LutFor<T>(d));
  } else if constexpr (K == ActKind::kElu) {
    ref::PopulateLut8<T>(
        si, zi, so, zo, [](float v) { return v < 0.0f ? std::expm1(v) : v; }, LutFor<T>(d));
  } else if constexpr (K == ActKind::kLeakyRelu) {
    if (!(si / so <= kMaxRescale) || !(std::fabs(si * d.alpha / so) <= kMaxRescale))
      return InvalidModelError(
          fmt::format("{}: input scale {}, alpha {} and output scale {} rescale by more than {}",
                      NodeLabel(node), si, d.alpha, so, kMaxRescale));
    d.leaky.input_zp = zi;
    d.leaky.output_zp = zo;
    // TFLite forms both ratios in float before widening them.
    ref::QuantizeSignedMultiplier(static_cast<double>(si * d.alpha / so), &d.leaky.mult_alpha,
                                  &d.leaky.shift_alpha);
    fixed_point::QuantizeMultiplier(static_cast<double>(si / so), &d.leaky.mult_identity,
                                    &d.leaky.shift_identity);
  } else if constexpr (K == ActKind::kHardSwish) {
    if (!d.hard_swish.Init(si, zi, so, zo))
      return UnsupportedOpError(
          fmt::format("{}: input scale {} / output scale {} needs an output multiplier above 1/128",
                      NodeLabel(node), si, so));
  } else {
    // RELU family: rescale, then clamp to the activation's bounds on the output scale.
    float lo = 0.f;
    float hi = std::numeric_limits<float>::infinity();
    if (K == ActKind::kRelu6) hi = 6.f;
    if (K == ActKind::kReluN1To1) {
      lo = -1.f;
      hi = 1.f;
    }
    if (K == ActKind::kRelu0To1) hi = 1.f;
    if (!(si / so <= kMaxRescale))
      return InvalidModelError(fmt::format("{}: input scale {} / output scale {} is above {}",
                                           NodeLabel(node), si, so, kMaxRescale));
    d.relu.input_zp = zi;
    d.relu.output_zp = zo;
    fixed_point::QuantizeMultiplier(static_cast<double>(si / so), &d.relu.mult, &d.relu.shift);
    // Clamped before the conversion: a tiny output scale makes the bound overflow int32.
    auto steps = [so](float v) {
      return static_cast<int32_t>(std::clamp(std::round(v / so), -1e9f, 1e9f));
    };
    d.relu.act_min = std::max(qmin, zo + steps(lo));
    d.relu.act_max = std::isinf(hi) ? qmax : std::min(qmax, zo + steps(hi));
  }
  return Status::Ok();
}

// INT16 LOGISTIC and TANH: TFLite's checks (zero points 0, output scale 2^-15; LOGISTIC's
// exactly 1/32768) and the input rescaling of reference/activations_int16.h.
template <ActKind K>
Status PrepareInt16(const Node& node, const Tensor& in, const Tensor& out, ActivationOpData& d) {
  const float si = in.quant.scale[0];
  const float so = out.quant.scale[0];
  const int64_t zps[2] = {in.quant.zero_point[0], out.quant.zero_point[0]};
  for (int i = 0; i < 2; ++i)
    if (zps[i] != 0)
      return InvalidModelError(fmt::format("{}: INT16 {} (tensor {}) has zero point {}; expected 0",
                                           NodeLabel(node), i == 0 ? "input" : "output",
                                           i == 0 ? node.inputs[0] : node.outputs[0], zps[i]));
  int out_log2 = 0;
  const bool out_ok = ref::CheckedLog2(so, &out_log2) && out_log2 == -15 &&
                      (K != ActKind::kLogistic || so == 1.0f / 32768.0f);
  if (!out_ok)
    return InvalidModelError(
        fmt::format("{}: INT16 output (tensor {}) has scale {}; expected 2^-15 (1/32768)",
                    NodeLabel(node), node.outputs[0], so));
  int in_log2 = 0;
  const bool pot = ref::CheckedLog2(si, &in_log2);
  const int pot_shift = 12 + in_log2;  // the input's integer bits are 3: Q3.12 has shift 0
  const bool exact = pot && (pot_shift == 0 || (K == ActKind::kTanh && pot_shift == 1));
  d.sigmoid16.Init(static_cast<double>(si), exact ? pot_shift : -1);
  // TFLite's builtin kernels evaluate those exact power-of-two scales in fixed point.
  d.int16_fixed_point = exact;
  d.int16_double_input = exact && pot_shift == 1;
  return Status::Ok();
}

template <ActKind K>
Status PrepareQuantized(const Node& node, const Tensor& in, const Tensor& out,
                        ActivationOpData& d) {
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  if constexpr (K == ActKind::kLogistic || K == ActKind::kTanh) {
    if (in.type == DataType::kInt16) return PrepareInt16<K>(node, in, out, d);
  }
  const float si = in.quant.scale[0];
  const float so = out.quant.scale[0];
  const auto zi = static_cast<int32_t>(in.quant.zero_point[0]);
  const auto zo = static_cast<int32_t>(out.quant.zero_point[0]);
  if (in.type == DataType::kInt8) return PrepareQuantizedTyped<K, int8_t>(node, d, si, zi, so, zo);
  return PrepareQuantizedTyped<K, uint8_t>(node, d, si, zi, so, zo);
}

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
  const bool quantized = ServesQuantized(K, in.type);
  if (in.type != DataType::kFloat32 && !quantized)
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in,
                     K == ActKind::kGelu  ? "FLOAT32"
                     : K == ActKind::kElu ? "FLOAT32 or INT8"
                     : (K == ActKind::kLogistic || K == ActKind::kTanh)
                         ? "FLOAT32, INT8, UINT8 or INT16"
                         : "FLOAT32, INT8 or UINT8");
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, in.type));
  auto data = std::make_unique<ActivationOpData>();
  if constexpr (K == ActKind::kLeakyRelu) {
    Result<const LeakyReluParams*> params = NodeParams<LeakyReluParams>(node);
    if (!params.ok()) return params.status();
    data->alpha = (*params)->alpha;
  }
  if (quantized) LS_RETURN_IF_ERROR(PrepareQuantized<K>(node, in, out, *data));
  if constexpr (K == ActKind::kGelu) {
    Result<const GeluParams*> params = NodeParams<GeluParams>(node);
    if (!params.ok()) return params.status();
    data->approximate = (*params)->approximate;
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

template <typename T, typename Op>
void RunQuantized(KernelContext& ctx, const Tensor& in, Tensor& out, const Op& op) {
  const T* pi = in.data_as<T>();
  T* po = out.data_as<T>();
  elementwise::ParallelRange(ctx, in.elements(), elementwise::kCheapMinChunk,
                             [&](int64_t b, int64_t e) { ref::Unary(pi + b, po + b, e - b, op); });
}

template <ActKind K, typename T>
void EvalQuantized(KernelContext& ctx, const ActivationOpData& d, const Tensor& in, Tensor& out) {
  if constexpr (UsesLut(K)) {
    const T* lut = LutFor<T>(d);
    RunQuantized<T>(ctx, in, out, ref::LutOp<T>{lut});
  } else if constexpr (K == ActKind::kLeakyRelu) {
    RunQuantized<T>(ctx, in, out, ref::QuantLeakyReluOp<T>{&d.leaky});
  } else if constexpr (K == ActKind::kHardSwish) {
    RunQuantized<T>(ctx, in, out, ref::QuantHardSwishOp<T>{&d.hard_swish});
  } else {
    RunQuantized<T>(ctx, in, out, ref::QuantReluOp<T>{&d.relu});
  }
}

template <ActKind K>
Status ActivationEval(KernelContext& ctx, Node& node) {
  const ActivationOpData* d = node.data_as<ActivationOpData>();
  Tensor* in = ctx.input(node, 0);
  Tensor* out = ctx.output(node, 0);
  if (!d || !in || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if constexpr (K == ActKind::kLogistic) {
    if (in->type == DataType::kInt16) {
      if (d->int16_fixed_point) {
        RunQuantized<int16_t>(ctx, *in, *out, ref::LogisticInt16FixedPointOp{});
      } else {
        RunQuantized<int16_t>(ctx, *in, *out, ref::LogisticInt16Op{&d->sigmoid16});
      }
      return Status::Ok();
    }
  }
  if constexpr (K == ActKind::kTanh) {
    if (in->type == DataType::kInt16) {
      if (d->int16_fixed_point) {
        RunQuantized<int16_t>(ctx, *in, *out, ref::TanhInt16FixedPointOp{d->int16_double_input});
      } else {
        RunQuantized<int16_t>(ctx, *in, *out, ref::TanhInt16Op{&d->sigmoid16});
      }
      return Status::Ok();
    }
  }
  if constexpr (K != ActKind::kGelu) {
    if (in->type == DataType::kInt8) {
      EvalQuantized<K, int8_t>(ctx, *d, *in, *out);
      return Status::Ok();
    }
    if (in->type == DataType::kUInt8) {
      EvalQuantized<K, uint8_t>(ctx, *d, *in, *out);
      return Status::Ok();
    }
  }
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
  constexpr const char* kTypes = K == ActKind::kGelu  ? "float32"
                                 : K == ActKind::kElu ? "float32,int8"
                                 : (K == ActKind::kLogistic || K == ActKind::kTanh)
                                     ? "float32,int8,uint8,int16"
                                     : "float32,int8,uint8";
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = ActivationPrepare<K>;
  r.eval = ActivationEval<K>;
  r.types = kTypes;
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
