#include <fmt/format.h>

#include <cstdint>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/internal/elementwise.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/unary_math.h"
#include "runtime/schema/tflite_schema_generated.h"

// EXP, LOG, SQRT, RSQRT, SQUARE, ABS, NEG, SIN, COS, FLOOR, CEIL, ROUND and SIGN: one input,
// one output of the same shape and type. Float32 for all; ABS also INT32 and (unquantized)
// INT16, NEG also INT32 and INT64, SIGN also FLOAT64 and INT32. The quantized int8/int16
// variants of ABS, LOG and RSQRT are not served yet.
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

bool Serves(UnaryKind k, const Tensor& t) {
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
      return "FLOAT32, INT32 or INT16 (not quantized)";
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

template <UnaryKind K>
Status UnaryPrepare(KernelContext& ctx, Node& node) {
  Result<elementwise::Operands<1>> ops = elementwise::GetOperands<1>(ctx, node);
  if (!ops.ok()) return ops.status();
  const Tensor& in = *ops->in[0];
  Tensor& out = *ops->out;
  if (!Serves(K, in))
    return TypeError(node, "input", 0, elementwise::InputIndex(node, 0), in, ServedTypes(K));
  LS_RETURN_IF_ERROR(elementwise::ExpectOutputType(node, 0, out, in.type));
  return ctx.ResizeTensor(out, in.shape);
}

template <typename T, typename Op>
void RunUnary(KernelContext& ctx, const Tensor& in, Tensor& out, int64_t min_chunk, const Op& op) {
  const T* pi = in.data_as<T>();
  T* po = out.data_as<T>();
  elementwise::ParallelRange(ctx, in.elements(), min_chunk,
                             [&](int64_t b, int64_t e) { ref::Unary(pi + b, po + b, e - b, op); });
}

template <UnaryKind K>
Status UnaryEval(KernelContext& ctx, Node& node) {
  Tensor* in = ctx.input(node, 0);
  Tensor* out = ctx.output(node, 0);
  if (!in || !out)
    return InternalError(fmt::format("{}: Eval before a successful Prepare", NodeLabel(node)));
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
  return MakeUnary<UnaryKind::kExp>("EXP", schema::BuiltinOperator::EXP, 2, "float32");
}
KernelRegistration MakeLogKernel() {
  return MakeUnary<UnaryKind::kLog>("LOG", schema::BuiltinOperator::LOG, 2, "float32");
}
KernelRegistration MakeSqrtKernel() {
  return MakeUnary<UnaryKind::kSqrt>("SQRT", schema::BuiltinOperator::SQRT, 2, "float32");
}
KernelRegistration MakeRsqrtKernel() {
  return MakeUnary<UnaryKind::kRsqrt>("RSQRT", schema::BuiltinOperator::RSQRT, 3, "float32");
}
KernelRegistration MakeSquareKernel() {
  return MakeUnary<UnaryKind::kSquare>("SQUARE", schema::BuiltinOperator::SQUARE, 1, "float32");
}
KernelRegistration MakeAbsKernel() {
  return MakeUnary<UnaryKind::kAbs>("ABS", schema::BuiltinOperator::ABS, 5, "float32,int32,int16");
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
