#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <memory>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/internal/quant_checks.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/activations_quantized.h"
#include "runtime/kernels/reference/unary_math.h"
#include "runtime/schema/tflite_schema_generated.h"

// EXP, LOG, SQRT, RSQRT, SQUARE, ABS, NEG, SIN, COS, FLOOR, CEIL, ROUND and SIGN: one input,
// one output of the same shape and type. Float32 for all; ABS also INT32 and (unquantized)
// INT16, NEG also INT32 and INT64, SIGN also FLOAT64 and INT32. Quantized INT8 for EXP, LOG,
// SQRT, RSQRT and ABS (and quantized INT16 ABS), as TensorFlow Lite computes them: EXP and LOG
// through a table built in Prepare, the others per element (reference/activations_quantized.h).
namespace litescope::runtime {
namespace {

namespace ref = reference;

enum class UnaryKind {
  kExp,
  kLog,
  kSqrt,
  kRsqrt,
  kSquare,
  kAbs,
  kNeg,
  kSin,
  kCos,
  kFloor,
  kCeil,
  kRound,
  kSign
};

// Quantized element types TFLite serves for kind k.
bool ServesQuantized(UnaryKind k, const Tensor& t) {
  if (t.quant.empty()) return false;
  switch (k) {
    case UnaryKind::kAbs:
      return t.type == DataType::kInt8 || t.type == DataType::kInt16;
    case UnaryKind::kExp:
    case UnaryKind::kLog:
    case UnaryKind::kSqrt:
    case UnaryKind::kRsqrt:
      return t.type == DataType::kInt8;
    default:
      return false;
  }
}

bool Serves(UnaryKind k, const Tensor& t) {
  if (ServesQuantized(k, t)) return true;
  switch (k) {
    case UnaryKind::kAbs:
      return t.type == DataType::kFloat32 || t.type == DataType::kInt32 ||
             (t.type == DataType::kInt16 && t.quant.empty());
    case UnaryKind::kNeg:
      return t.type == DataType::kFloat32 || t.type == DataType::kInt32 ||
             t.type == DataType::kInt64;
    case UnaryKind::kSign:
      return t.type == DataType::kFloat32 || t.type == DataType::kFloat64 ||
             t.type == DataType::kInt32;
    default:
      return t.type == DataType::kFloat32;
  }
}

const char* ServedTypes(UnaryKind k) {
  switch (k) {
    case UnaryKind::kAbs:
      return "FLOAT32, INT8 (quantized), INT16 or INT32";
    case UnaryKind::kExp:
    case UnaryKind::kLog:
    case UnaryKind::kSqrt:
    case UnaryKind::kRsqrt:
      return "FLOAT32 or INT8 (quantized)";
    case UnaryKind::kNeg:
      return "FLOAT32, INT32 or INT64";
    case UnaryKind::kSign:
      return "FLOAT32, FLOAT64 or INT32";
    default:
      return "FLOAT32";
  }
}

constexpr bool IsCostly(UnaryKind k) {
  return k == UnaryKind::kExp || k == UnaryKind::kLog || k == UnaryKind::kSin ||
         k == UnaryKind::kCos;
}

// Parameters of the quantized forms, filled once in Prepare.
struct UnaryOpData : OpData {
  bool quantized = false;
  ref::QuantRescaleParams rescale;              // ABS, RSQRT
  bool abs_rescale = false;                     // ABS: input and output scales differ
  float input_scale = 0.f, output_scale = 0.f;  // SQRT
  int8_t lut[256] = {};                         // EXP, LOG
};

template <UnaryKind K>
Status PrepareQuantized(const Node& node, const Tensor& in, const Tensor& out, UnaryOpData& d) {
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "input", node.inputs[0], in));
  LS_RETURN_IF_ERROR(quant_checks::CheckPerTensor(node, "output", node.outputs[0], out));
  const float si = in.quant.scale[0];
  const float so = out.quant.scale[0];
  const auto zi = static_cast<int32_t>(in.quant.zero_point[0]);
  const auto zo = static_cast<int32_t>(out.quant.zero_point[0]);
  if (in.type == DataType::kInt16 && (zi != 0 || zo != 0))
    return InvalidModelError(fmt::format("{}: quantized INT16 needs zero points 0; got {} and {}",
                                         NodeLabel(node), zi, zo));
  d.quantized = true;
  d.rescale.input_zp = zi;
  d.rescale.output_zp = zo;
  d.input_scale = si;
  d.output_scale = so;
  if constexpr (K == UnaryKind::kAbs) {
    d.abs_rescale = si != so;
    // TFLite forms the ratio in float before widening it.
    if (d.abs_rescale)
      fixed_point::QuantizeMultiplier(static_cast<double>(si / so), &d.rescale.mult,
                                      &d.rescale.shift);
  } else if constexpr (K == UnaryKind::kRsqrt) {
    fixed_point::QuantizeMultiplier(1.0 / static_cast<double>(std::sqrt(si) * so), &d.rescale.mult,
                                    &d.rescale.shift);
  } else if constexpr (K == UnaryKind::kExp) {
    ref::PopulateLut8<int8_t>(
        si, zi, so, zo, [](float v) { return std::exp(v); }, d.lut);
  } else if constexpr (K == UnaryKind::kLog) {
    // Inputs <= 0 map to the output's lowest value.
    const float output_min = static_cast<float>(-128 - zo) * so;
    ref::PopulateLut8<int8_t>(
        si, zi, so, zo, [output_min](float v) { return v <= 0.f ? output_min : std::log(v); },
        d.lut);
  }
  return Status::Ok();
}

template <UnaryKind K>
Status UnaryPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<1>> ops = elementwise::GetOperands<1>(ctx, node);
  if (!ops.ok()) return ops.status();
  const Tensor& in = *ops->in[0];
  Tensor& out = *ops->out;
  if (!Serves(K, in))
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in, ServedTypes(K));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, in.type));
  auto data = std::make_unique<UnaryOpData>();
  if (ServesQuantized(K, in)) LS_RETURN_IF_ERROR(PrepareQuantized<K>(node, in, out, *data));
  node.data = std::move(data);
  return ctx.ResizeTensor(out, in.shape);
}

template <typename T, typename Op>
void RunUnary(KernelContext& ctx, const Tensor& in, Tensor& out, int64_t min_chunk, const Op& op) {
  const T* pi = in.data_as<T>();
  T* po = out.data_as<T>();
  elementwise::ParallelRange(ctx, in.elements(), min_chunk,
                             [&](int64_t b, int64_t e) { ref::Unary(pi + b, po + b, e - b, op); });
}

// Quantized Eval. SQRT and RSQRT reject inputs below the zero point, as TFLite does.
template <UnaryKind K>
Status EvalQuantized(KernelContext& ctx, const Node& node, const UnaryOpData& d, const Tensor& in,
                     Tensor& out) {
  if constexpr (K == UnaryKind::kAbs) {
    if (in.type == DataType::kInt16) {
      RunUnary<int16_t>(ctx, in, out, elementwise::kCheapMinChunk,
                        ref::QuantAbsOp<int16_t>{&d.rescale, d.abs_rescale});
    } else {
      RunUnary<int8_t>(ctx, in, out, elementwise::kCheapMinChunk,
                       ref::QuantAbsOp<int8_t>{&d.rescale, d.abs_rescale});
    }
  } else if constexpr (K == UnaryKind::kExp || K == UnaryKind::kLog) {
    RunUnary<int8_t>(ctx, in, out, elementwise::kCheapMinChunk, ref::LutOp<int8_t>{d.lut});
  } else if constexpr (K == UnaryKind::kSqrt || K == UnaryKind::kRsqrt) {
    const int8_t* p = in.data_as<int8_t>();
    const int64_t n = in.elements();
    for (int64_t i = 0; i < n; ++i)
      if (p[i] < d.rescale.input_zp)
        return InvalidArgumentError(
            fmt::format("{} holds {} at element {}, below the zero point {}; {} needs values >= 0",
                        elementwise::InputLabel(node, 0, in), static_cast<int>(p[i]), i,
                        d.rescale.input_zp, K == UnaryKind::kSqrt ? "SQRT" : "RSQRT"));
    if constexpr (K == UnaryKind::kSqrt) {
      RunUnary<int8_t>(ctx, in, out, elementwise::kCostlyMinChunk,
                       ref::QuantSqrtOp<int8_t>{d.input_scale, d.output_scale, d.rescale.input_zp,
                                                d.rescale.output_zp});
    } else {
      RunUnary<int8_t>(ctx, in, out, elementwise::kCostlyMinChunk,
                       ref::QuantRsqrtOp<int8_t>{&d.rescale});
    }
  }
  return Status::Ok();
}

template <UnaryKind K>
Status UnaryEval(KernelContext& ctx, Node& node) {
  Tensor* in = ctx.input(node, 0);
  Tensor* out = ctx.output(node, 0);
  const UnaryOpData* d = node.data_as<UnaryOpData>();
  if (!d || !in || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
  if (d->quantized) return EvalQuantized<K>(ctx, node, *d, *in, *out);
  const int64_t chunk = IsCostly(K) ? elementwise::kCostlyMinChunk : elementwise::kCheapMinChunk;
  if constexpr (K == UnaryKind::kAbs || K == UnaryKind::kNeg || K == UnaryKind::kSign) {
    using Op =
        std::conditional_t<K == UnaryKind::kAbs, ref::AbsOp,
                           std::conditional_t<K == UnaryKind::kNeg, ref::NegOp, ref::SignOp>>;
    switch (in->type) {
      case DataType::kFloat32:
        RunUnary<float>(ctx, *in, *out, chunk, Op{});
        break;
      case DataType::kFloat64:
        RunUnary<double>(ctx, *in, *out, chunk, Op{});
        break;
      case DataType::kInt16:
        RunUnary<int16_t>(ctx, *in, *out, chunk, Op{});
        break;
      case DataType::kInt32:
        RunUnary<int32_t>(ctx, *in, *out, chunk, Op{});
        break;
      case DataType::kInt64:
        RunUnary<int64_t>(ctx, *in, *out, chunk, Op{});
        break;
      default:
        return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), *in, ServedTypes(K));
    }
    return Status::Ok();
  } else {
    if (in->type != DataType::kFloat32)
      return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), *in, ServedTypes(K));
    switch (K) {
      case UnaryKind::kExp:
        RunUnary<float>(ctx, *in, *out, chunk, ref::ExpOp{});
        break;
      case UnaryKind::kLog:
        RunUnary<float>(ctx, *in, *out, chunk, ref::LogOp{});
        break;
      case UnaryKind::kSqrt:
        RunUnary<float>(ctx, *in, *out, chunk, ref::SqrtOp{});
        break;
      case UnaryKind::kRsqrt:
        RunUnary<float>(ctx, *in, *out, chunk, ref::RsqrtOp{});
        break;
      case UnaryKind::kSquare:
        RunUnary<float>(ctx, *in, *out, chunk, ref::SquareOp{});
        break;
      case UnaryKind::kSin:
        RunUnary<float>(ctx, *in, *out, chunk, ref::SinOp{});
        break;
      case UnaryKind::kCos:
        RunUnary<float>(ctx, *in, *out, chunk, ref::CosOp{});
        break;
      case UnaryKind::kFloor:
        RunUnary<float>(ctx, *in, *out, chunk, ref::FloorOp{});
        break;
      case UnaryKind::kCeil:
        RunUnary<float>(ctx, *in, *out, chunk, ref::CeilOp{});
        break;
      case UnaryKind::kRound:
        RunUnary<float>(ctx, *in, *out, chunk, ref::RoundOp{});
        break;
      default:
        break;
    }
    return Status::Ok();
  }
}

template <UnaryKind K>
KernelRegistration MakeUnary(const char* name, schema::BuiltinOperator op, int max_version,
                             const char* types) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = max_version;
  r.prepare = UnaryPrepare<K>;
  r.eval = UnaryEval<K>;
  r.types = types;
  return r;
}

}  // namespace

KernelRegistration MakeExpKernel() {
  return MakeUnary<UnaryKind::kExp>("EXP", schema::BuiltinOperator::EXP, 2, "float32,int8");
}
KernelRegistration MakeLogKernel() {
  return MakeUnary<UnaryKind::kLog>("LOG", schema::BuiltinOperator::LOG, 2, "float32,int8");
}
KernelRegistration MakeSqrtKernel() {
  return MakeUnary<UnaryKind::kSqrt>("SQRT", schema::BuiltinOperator::SQRT, 2, "float32,int8");
}
KernelRegistration MakeRsqrtKernel() {
  return MakeUnary<UnaryKind::kRsqrt>("RSQRT", schema::BuiltinOperator::RSQRT, 3, "float32,int8");
}
KernelRegistration MakeSquareKernel() {
  return MakeUnary<UnaryKind::kSquare>("SQUARE", schema::BuiltinOperator::SQUARE, 1, "float32");
}
KernelRegistration MakeAbsKernel() {
  return MakeUnary<UnaryKind::kAbs>("ABS", schema::BuiltinOperator::ABS, 5,
                                    "float32,int8,int16,int32");
}
KernelRegistration MakeNegKernel() {
  return MakeUnary<UnaryKind::kNeg>("NEG", schema::BuiltinOperator::NEG, 1, "float32,int32,int64");
}
KernelRegistration MakeSinKernel() {
  return MakeUnary<UnaryKind::kSin>("SIN", schema::BuiltinOperator::SIN, 1, "float32");
}
KernelRegistration MakeCosKernel() {
  return MakeUnary<UnaryKind::kCos>("COS", schema::BuiltinOperator::COS, 1, "float32");
}
KernelRegistration MakeFloorKernel() {
  return MakeUnary<UnaryKind::kFloor>("FLOOR", schema::BuiltinOperator::FLOOR, 1, "float32");
}
KernelRegistration MakeCeilKernel() {
  return MakeUnary<UnaryKind::kCeil>("CEIL", schema::BuiltinOperator::CEIL, 1, "float32");
}
KernelRegistration MakeRoundKernel() {
  return MakeUnary<UnaryKind::kRound>("ROUND", schema::BuiltinOperator::ROUND, 1, "float32");
}
KernelRegistration MakeSignKernel() {
  return MakeUnary<UnaryKind::kSign>("SIGN", schema::BuiltinOperator::SIGN, 2,
                                     "float32,float64,int32");
}

}  // namespace litescope::runtime
